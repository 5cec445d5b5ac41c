/* board_term.c - replays a recorded run on the terminal (board.h).
 *
 * The terminal goes into non-canonical mode without echo, the alternate
 * screen, the cursor hidden; all of it is undone on q, on SIGINT and
 * SIGTERM (the loop sees the signal and leaves through the same door)
 * and on an error. A resize (SIGWINCH) redraws the whole screen at the
 * new size. The clock runs at speed simulated seconds per wall second
 * from the run's start to its end, where the board stays until q. Keys:
 * space pause/resume (at the end: again from the start), n the next
 * controller decision (and pause there), + and - speed x2 and /2, Ctrl-L
 * redraw, q quit. Standard input gives the keys; when it is not a
 * terminal the board plays without them and ends with the run.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "board.h"

#define TERM_TICK_MS 40              /* redraw period while playing */
#define TERM_NOTE_NS (2 * SIM_NS_PER_S) /* a note stays 2 wall seconds */
#define SPEED_MIN (1.0 / 1024)
#define SPEED_MAX (1024.0 * 1024)

/* Set by the handlers, read by the loop: a signal handler can do no
 * more (these are the file's only mutable globals). */
static volatile sig_atomic_t term_signal;   /* SIGINT or SIGTERM seen */
static volatile sig_atomic_t term_resized;  /* SIGWINCH seen */

static void on_stop_signal(int sig)
{
	term_signal = sig;
}

static void on_winch(int sig)
{
	(void)sig;
	term_resized = 1;
}

struct term {
	int in, out;                 /* file descriptors */
	int keys;                    /* stdin is a terminal */
	int raw;                     /* termios to restore */
	struct termios saved;
	struct sigaction old_int, old_term, old_winch;
	int rows, cols;
};

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return RSIM_EIO;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

static void term_size(struct term *t)
{
	struct winsize ws;

	t->rows = 24;
	t->cols = 80;
	if (ioctl(t->out, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col) {
		t->rows = ws.ws_row;
		t->cols = ws.ws_col;
	}
}

static void catch(int sig, void (*fn)(int), struct sigaction *old)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;    /* poll still returns EINTR */
	sigaction(sig, &sa, old);
}

/* Raw keys, the alternate screen, no cursor; signals caught. */
static int term_enter(struct term *t)
{
	static const char hello[] = "\033[?1049h\033[?25l\033[2J";
	struct termios raw;

	term_signal = 0;
	term_resized = 0;
	catch(SIGINT, on_stop_signal, &t->old_int);
	catch(SIGTERM, on_stop_signal, &t->old_term);
	catch(SIGWINCH, on_winch, &t->old_winch);
	t->keys = isatty(t->in);
	if (t->keys && tcgetattr(t->in, &t->saved) == 0) {
		raw = t->saved;
		raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
		raw.c_cc[VMIN] = 0;
		raw.c_cc[VTIME] = 0;
		raw.c_cc[VSUSP] = _POSIX_VDISABLE; /* no Ctrl-Z: it would
						      leave the screen as is */
		t->raw = tcsetattr(t->in, TCSANOW, &raw) == 0;
	}
	term_size(t);
	return write_all(t->out, hello, sizeof(hello) - 1);
}

/* Undoes term_enter: colours, cursor, screen, termios, handlers. */
static int term_leave(struct term *t)
{
	static const char bye[] = "\033[0m\033[?25h\033[?1049l";
	int rc = write_all(t->out, bye, sizeof(bye) - 1);

	if (t->raw)
		tcsetattr(t->in, TCSANOW, &t->saved);
	sigaction(SIGINT, &t->old_int, NULL);
	sigaction(SIGTERM, &t->old_term, NULL);
	sigaction(SIGWINCH, &t->old_winch, NULL);
	return rc;
}

static sim_time_t wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (sim_time_t)ts.tv_sec * SIM_NS_PER_S + ts.tv_nsec;
}

/* The replay: the simulated clock ran from base_sim at wall base_wall. */
struct replay {
	struct board_view v;
	sim_time_t end_ns;
	sim_time_t base_sim, base_wall;
	sim_time_t note_until;       /* wall time the note goes */
	int quit;
};

static void rebase(struct replay *p)
{
	p->base_sim = p->v.now_ns;
	p->base_wall = wall_ns();
}

static void note(struct replay *p, const char *text)
{
	p->v.note = text;
	p->note_until = wall_ns() + TERM_NOTE_NS;
}

/* n: the next decision after the clock, paused there. */
static void next_decision(struct replay *p)
{
	long i = board_next_decision(p->v.run, p->v.now_ns);

	if (i < 0) {
		note(p, "no later decision");
		return;
	}
	p->v.now_ns = p->v.run->frames[i].t_ns;
	p->v.paused = 1;
	p->v.ended = 0;
}

static void key(struct replay *p, int c)
{
	switch (c) {
	case ' ':
		if (p->v.ended) {
			p->v.now_ns = 0;
			p->v.ended = 0;
			p->v.paused = 0;
		} else {
			p->v.paused = !p->v.paused;
		}
		break;
	case 'n': case 'N':
		next_decision(p);
		break;
	case '+': case '=':
		p->v.speed = p->v.speed * 2 > SPEED_MAX ? SPEED_MAX :
			     p->v.speed * 2;
		break;
	case '-': case '_':
		p->v.speed = p->v.speed / 2 < SPEED_MIN ? SPEED_MIN :
			     p->v.speed / 2;
		break;
	case 'q': case 'Q':
		p->quit = 1;
		break;
	}
	rebase(p);
}

/* Moves the clock on while playing. */
static void advance(struct replay *p)
{
	double d;

	if (p->v.note && wall_ns() >= p->note_until)
		p->v.note = NULL;
	if (p->v.paused || p->v.ended)
		return;
	d = (double)(wall_ns() - p->base_wall) * p->v.speed;
	if (d >= (double)(p->end_ns - p->base_sim)) {
		p->v.now_ns = p->end_ns;
		p->v.ended = 1;
		return;
	}
	p->v.now_ns = p->base_sim + (sim_time_t)d;
}

/* Reads the keys waiting (or waits a tick for them). */
static void read_keys(struct term *t, struct replay *p, int *force)
{
	struct pollfd pfd = { t->in, POLLIN, 0 };
	char buf[64];
	ssize_t n, i;

	if (!t->keys) {
		poll(NULL, 0, TERM_TICK_MS);
		return;
	}
	if (poll(&pfd, 1, TERM_TICK_MS) <= 0)
		return;
	n = read(t->in, buf, sizeof(buf));
	if (n <= 0 && !(n < 0 && errno == EINTR)) {
		t->keys = 0;             /* end of input: play on */
		return;
	}
	for (i = 0; i < n && !p->quit; i++) {
		if (buf[i] == '\f')      /* Ctrl-L */
			*force = 1;
		else
			key(p, buf[i]);
	}
}

/* Draws the board when it changed (or force: after a resize). */
static int redraw(struct term *t, const struct replay *p, struct strbuf *cur,
		  struct strbuf *last, int force)
{
	int rc;

	strbuf_reset(cur);
	if (force && strbuf_addstr(cur, "\033[0m\033[2J"))
		return RSIM_ENOMEM;
	rc = board_draw(&p->v, t->rows, t->cols, cur);
	if (rc)
		return rc;
	if (!force && cur->len == last->len &&
	    memcmp(cur->buf, last->buf, cur->len) == 0)
		return 0;
	rc = write_all(t->out, cur->buf, cur->len);
	strbuf_reset(last);
	return rc ? rc : strbuf_add(last, cur->buf, cur->len);
}

static int replay_loop(struct term *t, struct replay *p)
{
	struct strbuf cur = STRBUF_INIT, last = STRBUF_INIT;
	int rc = 0, force = 1;

	while (!rc && !p->quit && !term_signal) {
		if (term_resized) {
			term_resized = 0;
			term_size(t);
			force = 1;
		}
		advance(p);
		rc = redraw(t, p, &cur, &last, force);
		force = 0;
		if (p->v.ended && !t->keys)
			break;          /* no keyboard: the end is the end */
		if (!rc)
			read_keys(t, p, &force);
	}
	strbuf_release(&cur);
	strbuf_release(&last);
	return rc;
}

/* A board that uses block characters: the locale says UTF-8. */
static int locale_utf8(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_CTYPE", "LANG" };
	size_t i;

	for (i = 0; i < sizeof(vars) / sizeof(*vars); i++) {
		const char *s = getenv(vars[i]);

		if (s && *s)
			return strstr(s, "UTF-8") || strstr(s, "utf8") ||
			       strstr(s, "utf-8") || strstr(s, "UTF8");
	}
	return 0;
}

int board_term_run(const struct board_run *r, double speed, FILE *out,
		   struct rsim_error *err)
{
	struct term t = { .in = STDIN_FILENO };
	struct replay p = { .v = { .run = r, .speed = speed } };
	int rc, rc2;

	fflush(out);
	t.out = fileno(out);
	p.v.utf8 = locale_utf8();
	p.end_ns = r->cfg->until_ns;
	rebase(&p);
	rc = term_enter(&t);
	if (!rc)
		rc = replay_loop(&t, &p);
	rc2 = term_leave(&t);
	rc = rc ? rc : rc2;
	if (rc)
		return rsim_error_set(err, rc, "", "", rc == RSIM_ENOMEM ?
				      "out of memory" :
				      "cannot write to the terminal");
	return term_signal ? 128 + term_signal : 0;
}
