/* test_board.c - `rollsim watch --view board` as a transcript (--plain,
 * or standard output that is not a terminal), and --speed's checks.
 *
 * The scenario (board_scenario below) is small enough to work out by hand
 * with the rules of docs/kubernetes.md: 3 replicas, maxSurge 1,
 * maxUnavailable 0, so at most 3 + 1 = 4 pods that are not terminating
 * and at least 3 - 0 = 3 available. Constant timings as in
 * test_operations.c: a pod created at t is Ready (and, minReadySeconds 0,
 * Available) at t + 7 s (pull 2 s, so it runs from t + 2 s; app up 3 s
 * later; the first probe that counts 5 s after the start), a deleted pod
 * is gone 1 s later; syncDelay 0. web:2.0 is set at 30 s and undone at
 * 60 s. A = the web:1.0 ReplicaSet, B = web:2.0's:
 *
 *    0 s  A 0 -> 3                      (Ready at 7 s)
 *   30 s  B 0 -> 1 (4 pods; old: 4 - 3 - 1 unavailable = 0 may go)
 *   37 s  B's pod Ready: A 3 -> 2, then B 1 -> 2
 *   44 s  A 2 -> 1, B 2 -> 3
 *   51 s  A 1 -> 0                      (gone at 52 s)
 *   60 s  undo: A is the new one again: A 0 -> 1
 *   67 s  B 3 -> 2, A 1 -> 2;  74 s  B 2 -> 1, A 2 -> 3;  81 s  B 1 -> 0
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"

static const char board_scenario[] =
	"{ \"name\": \"board-small\", \"seed\": 1, \"until\": \"100s\",\n"
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
	"  \"events\": [\n"
	"    { \"at\": \"30s\", \"action\": \"setImage\", \"image\": \"web:2.0\" },\n"
	"    { \"at\": \"60s\", \"action\": \"rolloutUndo\" } ] }\n";

#define MAX_FRAMES 200
#define MAX_GROUPS 4
#define MAX_DEC 4

/* One frame of the transcript. */
struct frame {
	double t;
	int decided;
	int ng;
	char label[MAX_GROUPS][64];
	char image[MAX_GROUPS][64];
	char blocks[MAX_GROUPS][64];
	int pods, most, replicas, surge, available, least, unavail, term;
	int n_dec, n_why;
	char dec[MAX_DEC][160];
	char status[200];
};

struct board {
	char *dir, path[1100];
	char *text;
	struct frame f[MAX_FRAMES];
	int n;
};

static int only_blocks(const char *s)
{
	return *s && strspn(s, "#o.!x") == strlen(s);
}

/* "  v1 web:1.0  ###x  (3 ready, 1 terminating)" or "  new  ###  (...)" */
static void parse_group(struct frame *f, const char *line)
{
	char a[64] = "", b[64] = "", c[64] = "";
	int k = f->ng++;

	cr_assert_lt(k, MAX_GROUPS, "too many groups: %s", line);
	cr_assert_geq(sscanf(line, "%63s %63s %63s", a, b, c), 2, "%s", line);
	snprintf(f->label[k], sizeof(f->label[k]), "%s", a);
	if (only_blocks(b)) {
		snprintf(f->blocks[k], sizeof(f->blocks[k]), "%s", b);
	} else {
		snprintf(f->image[k], sizeof(f->image[k]), "%s", b);
		cr_assert(only_blocks(c), "no blocks in: %s", line);
		snprintf(f->blocks[k], sizeof(f->blocks[k]), "%s", c);
	}
}

static void parse_line(struct frame *f, const char *line)
{
	if (sscanf(line, "  pods %d, at most %d = %d + maxSurge %d; "
		   "available %d, at least %d = %*d - maxUnavailable %d; "
		   "terminating %d", &f->pods, &f->most, &f->replicas,
		   &f->surge, &f->available, &f->least, &f->unavail,
		   &f->term) == 8)
		return;
	if (strncmp(line, "  decision: ", 12) == 0) {
		cr_assert_lt(f->n_dec, MAX_DEC);
		snprintf(f->dec[f->n_dec++], sizeof(f->dec[0]), "%s", line + 12);
	} else if (strncmp(line, "  why: ", 7) == 0) {
		f->n_why++;
	} else if (strncmp(line, "  status: ", 10) == 0) {
		snprintf(f->status, sizeof(f->status), "%s", line + 10);
	} else if (strncmp(line, "  pods ", 7) == 0) {
		cr_assert_fail("bounds line not understood: %s", line);
	} else if ((line[2] == 'v' && line[3] >= '1' && line[3] <= '9') ||
		   strncmp(line, "  old ", 6) == 0 ||
		   strncmp(line, "  new ", 6) == 0) {
		parse_group(f, line);
	}
}

static void parse(struct board *b)
{
	char *text = strdup(b->text), *line, *next;
	struct frame *f = NULL;

	for (line = text; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (strncmp(line, "t=", 2) == 0) {
			cr_assert_lt(b->n, MAX_FRAMES);
			f = &b->f[b->n++];
			memset(f, 0, sizeof(*f));
			f->t = atof(line + 2);
			f->decided = strstr(line, "(controller decision)") != 0;
		} else if (f) {
			parse_line(f, line);
		}
	}
	free(text);
}

static void board_plain(struct board *b, const char *extra)
{
	struct cli_result r;
	char args[1300];

	memset(b, 0, sizeof(*b));
	b->dir = cli_tmpdir();
	snprintf(b->path, sizeof(b->path), "%s/board.json", b->dir);
	cr_assert_eq(cli_write(b->path, board_scenario), 0);
	snprintf(args, sizeof(args), "watch %s --view board %s", b->path,
		 extra);
	cli_run(&r, args);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	b->text = strdup(r.out);
	cli_result_free(&r);
	parse(b);
}

static void board_free(struct board *b)
{
	cli_rmrf(b->dir);
	free(b->dir);
	free(b->text);
}

static int count(const char *s, char c)
{
	int n = 0;

	for (; *s; s++)
		n += *s == c;
	return n;
}

/* The rolling update's bounds hold in every frame, and the blocks are
 * the counts: one per pod that is not terminating, 'x' per terminating
 * pod, '#' per available one (minReadySeconds 0: Ready is Available). */
Test(board, plain_bounds_and_blocks_match_counts)
{
	struct board b;
	int i, k, seen_x = 0, seen_four = 0;

	board_plain(&b, "--plain");
	cr_assert_gt(b.n, 10, "frames: %d\n%s", b.n, b.text);
	for (i = 0; i < b.n; i++) {
		const struct frame *f = &b.f[i];
		int active = 0, term = 0, ready = 0;

		cr_assert_eq(f->most, 4, "t=%g: at most %d", f->t, f->most);
		cr_assert_eq(f->replicas, 3);
		cr_assert_eq(f->surge, 1);
		cr_assert_eq(f->least, 3);
		cr_assert_eq(f->unavail, 0);
		cr_assert_leq(f->pods, 4, "t=%g: %d pods", f->t, f->pods);
		if (f->t >= 7)
			cr_assert_geq(f->available, 3, "t=%g: %d available",
				      f->t, f->available);
		for (k = 0; k < f->ng; k++) {
			term += count(f->blocks[k], 'x');
			ready += count(f->blocks[k], '#');
			active += (int)strlen(f->blocks[k]) -
				  count(f->blocks[k], 'x');
		}
		cr_assert_eq(active, f->pods, "t=%g", f->t);
		cr_assert_eq(term, f->term, "t=%g", f->t);
		cr_assert_eq(ready, f->available, "t=%g", f->t);
		seen_x |= term > 0;
		seen_four |= f->pods == 4;
	}
	cr_assert(seen_x && seen_four, "the surge and the terminations show");
	board_free(&b);
}

/* A frame's decision lines, with A and B put for the ReplicaSet names. */
static void decisions(const struct frame *f, const char *a, const char *b,
		      char *out, size_t n)
{
	int k;

	out[0] = '\0';
	for (k = 0; k < f->n_dec; k++) {
		char line[200], *p;
		size_t la = strlen(a), lb = strlen(b);

		snprintf(line, sizeof(line), "%s", f->dec[k]);
		if ((p = strstr(line, a)) != NULL && la)
			memmove(p + 1, p + la, strlen(p + la) + 1), *p = 'A';
		else if ((p = strstr(line, b)) != NULL && lb)
			memmove(p + 1, p + lb, strlen(p + lb) + 1), *p = 'B';
		snprintf(out + strlen(out), n - strlen(out), "%s%s",
			 k ? "; " : "", line);
	}
}

/* The controller's scaling decisions, at the instants worked out above
 * (the header), and only there; those instants are marked as decisions.
 * Another instant may be marked only for a decision the run explains
 * (a "why" line: the Deployment controller's on_decision). */
Test(board, plain_decisions_at_the_hand_worked_instants)
{
	static const struct {
		double t;
		const char *what;
	} want[] = {
		{ 0, "Scaled up replica set A from 0 to 3" },
		{ 30, "Scaled up replica set B from 0 to 1" },
		{ 37, "Scaled down replica set A from 3 to 2; "
		      "Scaled up replica set B from 1 to 2" },
		{ 44, "Scaled down replica set A from 2 to 1; "
		      "Scaled up replica set B from 2 to 3" },
		{ 51, "Scaled down replica set A from 1 to 0" },
		{ 60, "Scaled up replica set A from 0 to 1" },
		{ 67, "Scaled down replica set B from 3 to 2; "
		      "Scaled up replica set A from 1 to 2" },
		{ 74, "Scaled down replica set B from 2 to 1; "
		      "Scaled up replica set A from 2 to 3" },
		{ 81, "Scaled down replica set B from 1 to 0" },
	};
	struct board b;
	char a[64] = "", bn[64] = "", got[600], prev[600] = "";
	size_t w = 0;
	int i;

	board_plain(&b, "--plain");
	cr_assert(b.f[0].n_dec == 1 && sscanf(b.f[0].dec[0], "Scaled up "
		  "replica set %63s", a) == 1, "%s", b.text);
	for (i = 0; i < b.n; i++) {
		const struct frame *f = &b.f[i];

		if (!bn[0] && f->t == 30 && f->n_dec == 1)
			sscanf(f->dec[0], "Scaled up replica set %63s", bn);
		decisions(f, a, bn, got, sizeof(got));
		if (strcmp(got, prev) != 0) {
			cr_assert_lt(w, sizeof(want) / sizeof(*want),
				     "a decision at %g s too many", f->t);
			cr_assert_float_eq(f->t, want[w].t, 1e-9,
					   "decision %zu at %g", w, f->t);
			cr_assert_str_eq(got, want[w].what, "at %g s", f->t);
			cr_assert(f->decided, "t=%g not marked", f->t);
			w++;
		} else if (f->decided) {
			cr_assert_gt(f->n_why, 0, "t=%g: marked, no decision",
				     f->t);
		}
		snprintf(prev, sizeof(prev), "%s", got);
	}
	cr_assert_eq(w, sizeof(want) / sizeof(*want));
	/* the last frame: the undo done, the B pod gone at 82 s */
	cr_assert_float_eq(b.f[b.n - 1].t, 82, 1e-9);
	cr_assert_eq(b.f[b.n - 1].ng, 1);
	cr_assert_str_eq(b.f[b.n - 1].blocks[0], "###");
	board_free(&b);
}

/* The same bytes every time, without escape codes, and the same with
 * --plain as without it when standard output is not a terminal; --speed
 * is ignored there. */
Test(board, plain_is_deterministic_and_the_non_tty_default)
{
	struct board x, y, z;

	board_plain(&x, "--plain");
	board_plain(&y, "--plain --speed 7");
	board_plain(&z, "");
	cr_assert_str_eq(x.text, y.text);
	cr_assert_str_eq(x.text, z.text);
	cr_assert_null(strchr(x.text, '\033'), "an escape code");
	cr_assert(strncmp(x.text, "board of deployment \"web\"", 25) == 0,
		  "%s", x.text);
	board_free(&x);
	board_free(&y);
	board_free(&z);
}

/* --speed X must be a positive number: anything else is bad usage, one
 * line on stderr, exit 2, nothing on stdout. */
Test(board, speed_must_be_positive)
{
	static const char *const bad[] = { "0", "-1", "abc", "2x", "inf",
					   "nan", "1e999" };
	struct cli_result r;
	char args[1300];
	struct board b;
	size_t i;

	board_plain(&b, "--plain");
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		snprintf(args, sizeof(args), "watch %s --view board --plain "
			 "--speed %s", b.path, bad[i]);
		cli_run(&r, args);
		cr_assert_eq(r.status, 2, "--speed %s: %d", bad[i], r.status);
		cr_assert_str_eq(r.out, "", "--speed %s", bad[i]);
		cr_assert(strstr(r.err, "--speed: expected a positive number"),
			  "--speed %s: %s", bad[i], r.err);
		cr_assert_eq(count(r.err, '\n'), 1, "%s", r.err);
		cli_result_free(&r);
	}
	snprintf(args, sizeof(args), "watch %s --view board --plain --speed "
		 "0.25", b.path);
	cli_run(&r, args);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);
	board_free(&b);
}

/* Every frame, worked out from the header's steps: pods are Pending
 * ('.') for the 2 s pull, Running not Ready ('o') until 7 s after their
 * creation, Ready ('#'); a deleted pod is Terminating ('x') for 1 s.
 * web:1.0 is v1 throughout, also after the undo makes it new again. */
Test(board, plain_blocks_by_version_frame_by_frame)
{
	static const struct {
		double t;
		const char *v1, *v2;   /* blocks, NULL: no such group */
	} want[] = {
		{ 0, "...", NULL }, { 2, "ooo", NULL }, { 7, "###", NULL },
		{ 30, "###", "." }, { 32, "###", "o" },
		{ 37, "##x", "#." }, { 38, "##", "#." }, { 39, "##", "#o" },
		{ 44, "#x", "##." }, { 45, "#", "##." }, { 46, "#", "##o" },
		{ 51, "x", "###" }, { 52, NULL, "###" },
		{ 60, ".", "###" }, { 62, "o", "###" },
		{ 67, "#.", "##x" }, { 68, "#.", "##" }, { 69, "#o", "##" },
		{ 74, "##.", "#x" }, { 75, "##.", "#" }, { 76, "##o", "#" },
		{ 81, "###", "x" }, { 82, "###", NULL },
	};
	struct board b;
	size_t i;

	board_plain(&b, "--plain");
	cr_assert(strstr(b.text, "versions: v1 = web:1.0, v2 = web:2.0\n"),
		  "%s", b.text);
	cr_assert_eq((size_t)b.n, sizeof(want) / sizeof(*want), "%s", b.text);
	for (i = 0; i < sizeof(want) / sizeof(*want); i++) {
		const struct frame *f = &b.f[i];
		int k = 0;

		cr_assert_float_eq(f->t, want[i].t, 1e-9, "frame %zu", i);
		cr_assert_eq(f->ng, (want[i].v1 != NULL) + (want[i].v2 != NULL),
			     "t=%g", f->t);
		if (want[i].v1) {
			cr_assert_str_eq(f->label[k], "v1");
			cr_assert_str_eq(f->image[k], "web:1.0");
			cr_assert_str_eq(f->blocks[k], want[i].v1, "t=%g", f->t);
			k++;
		}
		if (want[i].v2) {
			cr_assert_str_eq(f->label[k], "v2");
			cr_assert_str_eq(f->image[k], "web:2.0");
			cr_assert_str_eq(f->blocks[k], want[i].v2, "t=%g", f->t);
		}
	}
	board_free(&b);
}

/* The status line is kubectl rollout status's for the state: waiting on
 * the new ReplicaSet, then on the old pods (44 s: B has 3 updated, A
 * still 1 not terminating), then done at 51 s though A's last pod is
 * still terminating (status.replicas counts no terminating pod). */
Test(board, plain_status_line)
{
	struct board b;
	int i;

	board_plain(&b, "--plain");
	for (i = 0; i < b.n; i++) {
		const struct frame *f = &b.f[i];

		if (f->t == 30)
			cr_assert_str_eq(f->status, "Waiting for deployment "
					 "\"web\" rollout to finish: 1 out of 3 "
					 "new replicas have been updated...");
		if (f->t == 44)
			cr_assert_str_eq(f->status, "Waiting for deployment "
					 "\"web\" rollout to finish: 1 old "
					 "replicas are pending termination...");
		if ((f->t >= 51 && f->t < 60) || f->t >= 81)
			cr_assert_str_eq(f->status, "deployment \"web\" "
					 "successfully rolled out", "t=%g",
					 f->t);
	}
	board_free(&b);
}
