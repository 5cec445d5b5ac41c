/* test_board_tmux.c - the full-screen board tried as a person would: in
 * a detached tmux session (its own server socket), keys sent with
 * send-keys, the screen read with capture-pane.
 *
 * The scenario is test_board.c's, later: web:2.0 at 300 s, the undo at
 * 400 s, so that at --speed 50 the first 6 wall seconds show no rollout
 * and the test has time to pause before it. The controller scales at 0,
 * 300, 307, 314, 321, 400, 407, 414 and 421 s (worked out in
 * test_board.c, shifted); n may also stop where the run explains a
 * decision of the Deployment controller that scales nothing, so the
 * instants n must reach are read from the transcript (test_board.c
 * checks it), after checking that the scaling ones are among them.
 * Skipped, saying so, when tmux is missing.
 */
#define _XOPEN_SOURCE 700   /* realpath */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "cli_util.h"

static const char tmux_scenario[] =
	"{ \"name\": \"board-tmux\", \"seed\": 1, \"until\": \"10m\",\n"
	"  \"controllers\": { \"syncDelay\": \"0s\" },\n"
	"  \"deployment\": { \"name\": \"web\", \"replicas\": 3,\n"
	"    \"strategy\": { \"type\": \"RollingUpdate\", \"rollingUpdate\":\n"
	"      { \"maxSurge\": 1, \"maxUnavailable\": 0 } },\n"
	"    \"image\": \"web:1.0\" },\n"
	"  \"images\": {\n"
	"    \"web:1.0\": { \"pull\": \"2s\", \"startup\": \"3s\",\n"
	"      \"readinessProbe\": { \"initialDelaySeconds\": 4,\n"
	"                            \"periodSeconds\": 5 },\n"
	"      \"shutdown\": \"1s\" },\n"
	"    \"web:2.0\": { \"pull\": \"2s\", \"startup\": \"3s\",\n"
	"      \"readinessProbe\": { \"initialDelaySeconds\": 4,\n"
	"                            \"periodSeconds\": 5 },\n"
	"      \"shutdown\": \"1s\" } },\n"
	"  \"traffic\": { \"rate\": 20, \"start\": \"0s\" },\n"
	"  \"events\": [\n"
	"    { \"at\": \"300s\", \"action\": \"setImage\", \"image\": \"web:2.0\" },\n"
	"    { \"at\": \"400s\", \"action\": \"rolloutUndo\" } ] }\n";

static const double scaling_s[] = { 0, 300, 307, 314, 321, 400, 407, 414,
				    421 };

#define MAX_DECISIONS 100
static double decision_s[MAX_DECISIONS];   /* from the transcript */
static size_t n_decisions;

struct session {
	char *dir;
	char sock[1100], scen[1100], pidfile[1100], stty0[1100], stty1[1100];
};

/* Output of a shell command (malloc'ed), NULL if it failed. */
static char *sh_out(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!p)
		return NULL;
	do {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			buf = realloc(buf, cap);
			cr_assert_not_null(buf);
		}
		n = fread(buf + len, 1, 4096, p);
		len += n;
	} while (n > 0);
	buf[len] = '\0';
	if (pclose(p) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* tmux ARGS against the session's own server; its output. */
static char *tmux(const struct session *s, const char *args)
{
	char cmd[4000];

	snprintf(cmd, sizeof(cmd), "LC_ALL=C.UTF-8 tmux -u -S '%s' %s", s->sock,
		 args);
	return sh_out(cmd);
}

static void tmux_do(const struct session *s, const char *args)
{
	char *out = tmux(s, args);

	cr_assert_not_null(out, "tmux %s failed", args);
	free(out);
}

static char *screen(const struct session *s)
{
	char *out = tmux(s, "capture-pane -p -t b");

	cr_assert_not_null(out, "capture-pane failed");
	return out;
}

static void nap_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Waits (up to 10 s) for the screen to show what; returns the screen. */
static char *wait_for(const struct session *s, const char *what)
{
	char *sc;
	int i;

	for (i = 0; i < 500; i++) {
		sc = screen(s);
		if (strstr(sc, what))
			return sc;
		free(sc);
		nap_ms(20);
	}
	sc = screen(s);
	cr_assert_fail("the screen never showed \"%s\":\n%s", what, sc);
	free(sc);
	return NULL;
}

/* tmux's format variable of the pane, e.g. alternate_on. */
static int pane_flag(const struct session *s, const char *var)
{
	char args[200], *out;
	int v;

	snprintf(args, sizeof(args), "display-message -p -t b '#{%s}'", var);
	out = tmux(s, args);
	cr_assert_not_null(out);
	v = atoi(out);
	free(out);
	return v;
}

static void start(struct session *s)
{
	const char *bin = getenv("ROLLSIM") ? getenv("ROLLSIM") : "./rollsim";
	char script[1100], text[6000], *abs, args[1300];

	if (system("command -v tmux >/dev/null 2>&1") != 0)
		cr_skip_test("tmux is not installed (make deps installs it): "
			     "the board was not tried on a terminal");
	abs = realpath(bin, NULL);
	cr_assert_not_null(abs, "no %s", bin);
	s->dir = cli_tmpdir();
	snprintf(s->sock, sizeof(s->sock), "%s/tmux.sock", s->dir);
	snprintf(s->scen, sizeof(s->scen), "%s/board.json", s->dir);
	snprintf(s->pidfile, sizeof(s->pidfile), "%s/pid", s->dir);
	snprintf(s->stty0, sizeof(s->stty0), "%s/stty0", s->dir);
	snprintf(s->stty1, sizeof(s->stty1), "%s/stty1", s->dir);
	snprintf(script, sizeof(script), "%s/run.sh", s->dir);
	cr_assert_eq(cli_write(s->scen, tmux_scenario), 0);
	/* the shell the board returns to: termios before and after it */
	snprintf(text, sizeof(text),
		 "export LC_ALL=C.UTF-8\n"
		 "trap : INT\n"          /* Ctrl-C is for the board */
		 "stty -g > '%s'\n"
		 "echo shell-before\n"
		 "sh -c 'echo $$ > \"$0\"; exec \"$1\" watch \"$2\" "
		 "--view board --speed 50' '%s' '%s' '%s'\n"
		 "echo \"rc=$?\"\n"
		 "stty -g > '%s'\n"
		 "exec sleep 600\n", s->stty0, s->pidfile, abs, s->scen,
		 s->stty1);
	free(abs);
	cr_assert_eq(cli_write(script, text), 0);
	snprintf(args, sizeof(args), "new-session -d -s b -x 100 -y 30 "
		 "'sh %s'", script);
	tmux_do(s, args);
}

static void stop(struct session *s)
{
	char *out = tmux(s, "kill-server");

	free(out);
	cli_rmrf(s->dir);
	free(s->dir);
}

/* The simulated clock of the title: "t=300.0s". */
static double clock_of(const char *sc)
{
	const char *t = strstr(sc, "t=");
	double v = -1;

	cr_assert(t && sscanf(t + 2, "%lf", &v) == 1, "no clock:\n%s", sc);
	return v;
}

/* Back in the shell: the board's screen gone, the cursor shown, the
 * terminal's modes as before, the exit status rc. */
static void expect_restored(const struct session *s, const char *rc)
{
	char *sc = wait_for(s, rc), *a, *b;

	cr_assert_eq(pane_flag(s, "alternate_on"), 0, "alternate screen left");
	cr_assert_eq(pane_flag(s, "cursor_flag"), 1, "cursor hidden");
	cr_assert(strncmp(sc, "shell-before\n", 13) == 0, "%s", sc);
	cr_assert_null(strstr(sc, "q quit"), "the board stayed:\n%s", sc);
	free(sc);
	sc = wait_for(s, rc);   /* stty1 is written after rc= */
	free(sc);
	nap_ms(200);
	a = cli_slurp(s->stty0, NULL);
	b = cli_slurp(s->stty1, NULL);
	cr_assert(a && b, "stty -g before and after");
	cr_assert_str_eq(a, b, "termios not restored");
	free(a);
	free(b);
}

/* The cells of full blocks on the line that starts with label. */
static int ready_blocks(const char *sc, const char *label)
{
	const char *p = strstr(sc, label), *end;
	int n = 0, in = 0;

	cr_assert_not_null(p, "no %s", label);
	end = strchr(p, '\n');
	for (p += strlen(label); p < end; p++) {
		int full = strncmp(p, "\u2588", 3) == 0;

		n += full && !in;
		in = full || (in && (*p & 0xC0) == 0x80);
	}
	return n;
}

/* The decision n should go to from clock c (shown to 0.1 s, so the clock
 * may be up to 0.1 s later: a decision that close may have passed). */
static int next_ok(double c, double got)
{
	size_t i;

	for (i = 0; i < n_decisions; i++)
		if (decision_s[i] > c) {
			if (got == decision_s[i])
				return 1;
			return decision_s[i] - c < 0.1 && i + 1 < n_decisions &&
			       got == decision_s[i + 1];
		}
	return 0;
}

/* The instants of the transcript's "(controller decision)" frames. */
static void load_decisions(const struct session *s)
{
	struct cli_result r;
	char args[1300];
	const char *p;
	size_t i, k;

	snprintf(args, sizeof(args), "watch %s --view board --plain", s->scen);
	cli_run(&r, args);
	cr_assert_eq(r.status, 0, "%s", r.err);
	n_decisions = 0;
	for (p = r.out; (p = strstr(p, "\nt=")) != NULL; p++) {
		const char *eol = strchr(p + 1, '\n');
		const char *mark = strstr(p + 1, "(controller decision)");

		if (mark && (!eol || mark < eol)) {
			cr_assert_lt(n_decisions, MAX_DECISIONS);
			decision_s[n_decisions++] = atof(p + 3);
		}
	}
	cli_result_free(&r);
	for (i = 0; i < sizeof(scaling_s) / sizeof(*scaling_s); i++) {
		for (k = 0; k < n_decisions && decision_s[k] != scaling_s[i]; k++)
			;
		cr_assert_lt(k, n_decisions, "no decision at %g s",
			     scaling_s[i]);
	}
}

/* The title says what, and the clock moved from before; the screen. */
static char *wait_clock(const struct session *s, double before)
{
	char *sc;
	int i;

	for (i = 0; i < 500; i++) {
		sc = screen(s);
		if (clock_of(sc) != before)
			return sc;
		free(sc);
		nap_ms(20);
	}
	cr_assert_fail("the clock stayed at %g", before);
	return NULL;
}

Test(board_tmux, shows_pauses_steps_speeds_and_quits, .timeout = 60)
{
	struct session s;
	char *sc, *again;
	double t0, t1;

	start(&s);
	load_decisions(&s);
	/* the 3 pods of web:1.0 are Ready at 7 s: 0.14 s at x50 */
	sc = wait_for(&s, "successfully rolled out");
	free(sc);
	tmux_do(&s, "send-keys -t b Space");
	sc = wait_for(&s, "PAUSED");
	/* what a class sees: the bounds, the blocks of v1, the traffic */
	cr_assert(strstr(sc, "at most 4 = 3 + 1"), "%s", sc);
	cr_assert(strstr(sc, "at least 3 = 3 - 0"), "%s", sc);
	cr_assert(strstr(sc, "v1 web:1.0"), "%s", sc);
	cr_assert_eq(ready_blocks(sc, " v1 web:1.0"), 3, "%s", sc);
	cr_assert(strstr(sc, "requests/s"), "%s", sc);
	cr_assert(strstr(sc, "speed x50"), "%s", sc);
	t0 = clock_of(sc);
	nap_ms(500);
	again = screen(&s);
	cr_assert_str_eq(sc, again, "paused, yet the screen changed");
	free(sc);
	free(again);

	tmux_do(&s, "send-keys -t b n");
	sc = wait_clock(&s, t0);
	t1 = clock_of(sc);
	cr_assert(next_ok(t0, t1), "n from %g went to %g", t0, t1);
	cr_assert(strstr(sc, "PAUSED"), "n pauses there:\n%s", sc);
	if (t1 == 300)
		cr_assert(strstr(sc, "from 0 to 1"), "%s", sc);
	free(sc);
	tmux_do(&s, "send-keys -t b n");
	sc = wait_clock(&s, t1);
	cr_assert(next_ok(t1, clock_of(sc)), "n from %g went to %g", t1,
		  clock_of(sc));
	if (clock_of(sc) == 307)   /* A 3 -> 2 and B 1 -> 2 at once */
		cr_assert(strstr(sc, "from 3 to 2") && strstr(sc, "from 1 to 2"),
			  "%s", sc);
	free(sc);

	tmux_do(&s, "send-keys -t b +");
	free(wait_for(&s, "speed x100"));
	tmux_do(&s, "send-keys -t b - -");
	free(wait_for(&s, "speed x25"));

	tmux_do(&s, "send-keys -t b q");
	expect_restored(&s, "rc=0");
	stop(&s);
}

/* Counts the lines of sc holding what. */
static int lines_with(const char *sc, const char *what)
{
	int n = 0;
	const char *p = sc;

	while ((p = strstr(p, what)) != NULL) {
		n++;
		p = strchr(p, '\n');
		if (!p)
			break;
	}
	return n;
}

/* After a resize the board is laid out again for the new size: the
 * title on the first line, the keys on the last, each once, and the
 * screen is what a clean redraw (Ctrl-L) gives. */
static void resized(const struct session *s, int cols, int rows)
{
	char args[100], *sc, *clean, *last;
	int n = 0;

	snprintf(args, sizeof(args), "resize-window -t b -x %d -y %d", cols,
		 rows);
	tmux_do(s, args);
	nap_ms(400);
	sc = screen(s);
	tmux_do(s, "send-keys -t b C-l");
	nap_ms(400);
	clean = screen(s);
	cr_assert_str_eq(sc, clean, "resize at %dx%d vs Ctrl-L", cols, rows);
	for (last = sc; strchr(last, '\n') && strchr(last, '\n')[1];
	     last = strchr(last, '\n') + 1)
		n++;
	cr_assert_eq(n + 1, rows, "%s", sc);
	cr_assert(strncmp(sc, " deployment \"web\"", 17) == 0, "%s", sc);
	cr_assert(strstr(last, "q quit"), "keys not last:\n%s", sc);
	cr_assert_eq(lines_with(sc, "deployment \"web\"  revision"), 1, "%s",
		     sc);
	cr_assert_eq(lines_with(sc, "q quit"), 1, "%s", sc);
	cr_assert(strstr(sc, "at most 4 = 3 + 1"), "%s", sc);
	free(sc);
	free(clean);
}

Test(board_tmux, resize_redraws_for_the_new_size, .timeout = 60)
{
	struct session s;

	start(&s);
	free(wait_for(&s, "deployment \"web\""));
	tmux_do(&s, "send-keys -t b Space");
	free(wait_for(&s, "PAUSED"));
	resized(&s, 80, 24);
	resized(&s, 120, 40);
	resized(&s, 80, 24);
	tmux_do(&s, "send-keys -t b q");
	expect_restored(&s, "rc=0");
	stop(&s);
}

/* Ctrl-C (SIGINT) and SIGTERM end the board as q does: the terminal is
 * given back; the exit status is 128 + the signal. */
Test(board_tmux, signals_restore_the_terminal, .timeout = 60)
{
	struct session s;
	char *pid;

	start(&s);
	free(wait_for(&s, "deployment \"web\""));
	tmux_do(&s, "send-keys -t b C-c");
	expect_restored(&s, "rc=130");
	stop(&s);

	start(&s);
	free(wait_for(&s, "deployment \"web\""));
	pid = cli_slurp(s.pidfile, NULL);
	cr_assert(pid && atoi(pid) > 0);
	cr_assert_eq(kill((pid_t)atoi(pid), SIGTERM), 0);
	free(pid);
	expect_restored(&s, "rc=143");
	stop(&s);
}
