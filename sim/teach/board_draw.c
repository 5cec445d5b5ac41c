/* board_draw.c - lays the board out on a terminal of any size (board.h).
 *
 * From the top: a title bar (deployment, revision, clock, speed), the
 * strategy with its resolved values, one row of coloured blocks per
 * version (wrapped, or one block for several pods when the window is too
 * small; with a progressive strategy one per version and role), the pods
 * and the available pods as bars against the surge and availability
 * bounds, the canary weight, step or Services (board_prog.c), the
 * traffic, the rollout status line, the last
 * decision and its reason, a legend and the keys. Lines that do not fit
 * are dropped from the least useful up; every line is cut at the width.
 * Colours are ANSI (one per version, by image index); the same view and
 * size draw the same bytes.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "board.h"

#define ESC "\033"
#define LABEL_W 11       /* " available " */
#define BOARD_MIN_ROWS 10
#define BOARD_MIN_COLS 40

/* One screen line being written: its columns are counted, and text past
 * the width is dropped. */
struct line {
	struct strbuf *sb;
	int col, cols;
	int rc;
};

static void put_esc(struct line *l, const char *esc)
{
	if (strbuf_addstr(l->sb, esc))
		l->rc = RSIM_ENOMEM;
}

/* Text: one column per character (UTF-8 continuation bytes take none);
 * control characters print as '?'. */
static void put(struct line *l, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		int cont = (c & 0xC0) == 0x80;

		if (!cont && l->col >= l->cols)
			break;
		if (strbuf_addch(l->sb, c < 0x20 || c == 0x7f ? '?' : c))
			l->rc = RSIM_ENOMEM;
		l->col += !cont;
	}
}

static void putf(struct line *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void putf(struct line *l, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	put(l, buf);
}

/* Starts screen row (0-based). */
static void line_begin(struct line *l, struct strbuf *sb, int row, int cols)
{
	char pos[32];

	l->sb = sb;
	l->rc = 0;
	l->col = 0;
	l->cols = cols;
	snprintf(pos, sizeof(pos), ESC "[%d;1H", row + 1);
	put_esc(l, pos);
}

/* Clears the rest of the line; a full line is left alone (the cursor
 * sits on its last column, which erasing would take). */
static int line_end(struct line *l)
{
	put_esc(l, l->col < l->cols ? ESC "[0m" ESC "[K" : ESC "[0m");
	return l->rc;
}

static void spaces(struct line *l, int n)
{
	while (n-- > 0 && l->col < l->cols)
		put(l, " ");
}

/* The glyphs of a pod cell by state (two columns each), and colours. */
static const char *const glyph_utf8[BOARD_NSTATES] = {
	"\u2588\u2588", "\u2592\u2592", "\u2591\u2591", "!!", "xx"
};
static const char *const glyph_ascii[BOARD_NSTATES] = {
	"##", "oo", "..", "!!", "xx"
};
/* foreground per version (image index modulo 6): blue, green, magenta,
 * cyan, yellow, white; red is kept for failures and broken bounds */
static const char *const version_fg[] = { "34", "32", "35", "36", "33", "37" };

static const char *version_colour(int32_t version)
{
	if (version == BOARD_OLD)
		return version_fg[0];
	if (version == BOARD_NEW)
		return version_fg[1];
	return version_fg[version % 6];
}

static void put_cell(struct line *l, const struct board_view *v,
		     int32_t version, int state, int width)
{
	const char *g = (v->utf8 ? glyph_utf8 : glyph_ascii)[state];
	char esc[32];
	int i;

	if (l->col + width > l->cols)
		return;
	if (state == BOARD_FAILING)
		snprintf(esc, sizeof(esc), ESC "[0;1;37;41m");
	else
		snprintf(esc, sizeof(esc), ESC "[0;%s%sm",
			 state == BOARD_TERMINATING ? "2;" : "1;",
			 version_colour(version));
	put_esc(l, esc);
	for (i = 0; i < width / 2; i++)
		put(l, g);
	if (width % 2)      /* a glyph is one character twice */
		putf(l, "%.*s", (int)strlen(g) / 2, g);
	put_esc(l, ESC "[0m");
	spaces(l, 1);
}

/* How a text is cut into lines of width columns: the next line's length
 * from p (at a space when a word would be cut), and where the one after
 * starts. */
static int wrap_next(const char *p, int width, const char **next)
{
	int n = 0, brk = -1;

	while (p[n] && p[n] != '\n' && n < width) {
		if (p[n] == ' ')
			brk = n;
		n++;
	}
	if (p[n] && p[n] != '\n' && p[n] != ' ' && brk > 0)
		n = brk;
	*next = p + n;
	while (**next == ' ')
		(*next)++;
	if (**next == '\n')
		(*next)++;
	return n;
}

static int wrap_count(const char *text, int width)
{
	int n = 0;

	while (*text) {
		wrap_next(text, width, &text);
		n++;
	}
	return n;
}

/* Where things go on a screen of rows x cols. */
struct plan {
	int rows, cols;
	int label_w;          /* version label column */
	int per_line;         /* pod cells per block line */
	int cell_w, cell_h;   /* a cell's columns (even) and rows */
	int32_t scale;        /* pods per block */
	int block_n;          /* block lines in all */
	int spec, traffic, legend, keys, blanks;   /* 0 or 1 (blanks: 0-2) */
	int prog_n;                               /* board_prog_lines shown */
	int status_n, decision_n, why_n;          /* lines of each */
};

/* Cells of a group at scale k. */
static int64_t group_cells(const struct board_group *g, int32_t k)
{
	int64_t cells = 0;
	int s;

	for (s = 0; s < BOARD_NSTATES; s++)
		cells += (g->n[s] + k - 1) / k;
	return cells;
}

/* Lines of cells of a group: at least 1, at most 1000. */
static int cell_lines(const struct board_group *g, const struct plan *p,
		      int32_t k)
{
	int64_t n = (group_cells(g, k) + p->per_line - 1) / p->per_line;

	return n < 1 ? 1 : n > 1000 ? 1000 : (int)n;
}

/* Screen lines the blocks of f need at scale k: each line of cells is
 * cell_h rows, followed by an empty one when cells are taller than 1. */
static int block_lines(const struct board_run *r, const struct board_frame *f,
		       const struct plan *p, int32_t k)
{
	int lines = 0, per = p->cell_h + (p->cell_h > 1);
	uint32_t i;

	for (i = 0; i < f->ng; i++)
		lines += cell_lines(&r->groups[f->g0 + i], p, k) * per;
	return lines ? lines : 1;
}

/* The label column: "v1 flask-app:1.0" of the widest version, within a
 * third of the width. */
static void plan_labels(const struct board_view *v,
			const struct board_frame *f, struct plan *p)
{
	const struct board_run *r = v->run;
	uint32_t i;
	char lab[16];

	p->label_w = 4;
	for (i = 0; i < f->ng; i++) {
		const struct board_group *g = &r->groups[f->g0 + i];
		int32_t ver = g->version;
		size_t role = strlen(board_group_role(r, f, g));
		int w = (int)(strlen(board_version_label(ver, lab, sizeof(lab))) +
			      strlen(board_version_image(r, ver)) + 3 +
			      (role ? role + 1 : 0));

		if (w > p->label_w)
			p->label_w = w;
	}
	if (p->label_w > p->cols / 3)
		p->label_w = p->cols / 3;
	p->cell_w = 2;
	p->cell_h = 1;
	p->per_line = (p->cols - p->label_w) / 3;
}

/* Larger cells for a projector, when the rows left (*left) hold them
 * at scale 1: 6x3 or 4x2 instead of 2x1. */
static void plan_cells(const struct board_view *v, const struct board_frame *f,
		       struct plan *p, int *left)
{
	static const int sizes[][2] = { { 6, 3 }, { 4, 2 } };
	struct plan big;
	size_t i;

	if (p->scale != 1)
		return;
	for (i = 0; i < sizeof(sizes) / sizeof(*sizes); i++) {
		int need;

		big = *p;
		big.cell_w = sizes[i][0];
		big.cell_h = sizes[i][1];
		big.per_line = (p->cols - p->label_w) / (big.cell_w + 1);
		need = block_lines(v->run, f, &big, 1);
		if (big.per_line > 0 && need - p->block_n <= *left) {
			*left -= need - p->block_n;
			big.block_n = need;
			*p = big;
			return;
		}
	}
}

/* Takes up to want lines from *left. */
static int take(int *left, int want)
{
	int n = want < *left ? want : *left;

	if (n < 0)
		n = 0;
	*left -= n;
	return n;
}

/* Fills p for frame f, most useful lines first; -1 if the window cannot
 * hold the board. */
static int plan_layout(const struct board_view *v, const struct board_frame *f,
		       struct plan *p)
{
	const struct board_run *r = v->run;
	int wrap_w = p->cols - LABEL_W, left, need;
	static const int32_t scales[] = { 1, 2, 5, 10, 20, 50, 100, 200, 500,
					  1000, 2000, 5000, 10000, 100000 };
	size_t i;

	plan_labels(v, f, p);
	need = (int)(f->ng ? f->ng : 1);
	left = p->rows - 5 - need; /* title, 2 bars, status, decision */
	if (left < 0 || p->rows < BOARD_MIN_ROWS || p->cols < BOARD_MIN_COLS)
		return -1;
	p->keys = take(&left, 1);
	p->spec = take(&left, 1);
	p->traffic = take(&left, r->n_ticks > 0);
	{
		struct board_prog_line pl[BOARD_PROG_LINES];

		p->prog_n = take(&left, board_prog_lines(r, f, pl,
							 BOARD_PROG_LINES));
	}
	p->legend = take(&left, 1);
	for (i = 0; i < sizeof(scales) / sizeof(*scales); i++) {
		p->scale = scales[i];
		if (block_lines(r, f, p, p->scale) - need <= left)
			break;
	}
	p->block_n = need + take(&left, block_lines(r, f, p, p->scale) - need);
	p->blanks = take(&left, 2);
	p->status_n = 1 + take(&left, wrap_count(board_text(r, f->status),
						 wrap_w) - 1);
	p->decision_n = 1 + take(&left, wrap_count(board_text(r, f->decision),
						   wrap_w) - 1);
	p->why_n = take(&left, wrap_count(board_text(r, f->why), wrap_w));
	plan_cells(v, f, p, &left);
	return 0;
}

static void draw_title(struct line *l, const struct board_view *v,
		       const struct board_frame *f)
{
	const struct world_config *cfg = v->run->cfg;
	char left[160], right[96];
	int lw, rw;

	snprintf(left, sizeof(left), " deployment \"%s\"  revision %" PRId32,
		 cfg->deployment.name, f->counts.revision);
	snprintf(right, sizeof(right), "t=%" PRId64 ".%" PRId64 "s  speed x%g"
		 "  %s ", v->now_ns / SIM_NS_PER_S,
		 v->now_ns % SIM_NS_PER_S / (SIM_NS_PER_S / 10), v->speed,
		 v->ended ? "END" : v->paused ? "PAUSED" : "playing");
	lw = (int)strlen(left);
	rw = (int)strlen(right);
	put_esc(l, ESC "[0;1;7m");
	if (lw + rw > l->cols)
		lw = l->cols - rw > 0 ? l->cols - rw : 0;
	putf(l, "%.*s", lw, left);
	spaces(l, l->cols - lw - rw);
	put(l, right);
}

static void put_intstr(struct line *l, struct intstr v)
{
	if (v.is_percent)
		putf(l, "%" PRId32 "%%", v.value);
	else
		putf(l, "%" PRId32, v.value);
}

/* "RollingUpdate  replicas 5  maxSurge 25% -> 2  maxUnavailable ..." */
static void draw_spec(struct line *l, const struct board_view *v,
		      const struct board_frame *f)
{
	(void)v;
	if (f->strategy == STRATEGY_RECREATE) {
		putf(l, " Recreate  replicas %" PRId32 "  (every old pod "
		     "goes before a new one is made)", f->replicas);
		return;
	}
	if (f->strategy == STRATEGY_BLUE_GREEN ||
	    f->strategy == STRATEGY_FLAGGER) {
		putf(l, " %s  replicas %" PRId32, deploy_strategy_name(
			     f->strategy), f->replicas);
		return;
	}
	putf(l, " %s  replicas %" PRId32 "  maxSurge ",
	     deploy_strategy_name(f->strategy), f->replicas);
	put_intstr(l, f->max_surge);
	putf(l, " -> %" PRId32 "  maxUnavailable ", f->surge);
	put_intstr(l, f->max_unavailable);
	putf(l, " -> %" PRId32, f->unavailable);
}

/* The label of a group's first block line, in its version's colour:
 * its role (progressive strategies), version and image. */
static void draw_label(struct line *l, const struct board_run *r,
		       const struct board_frame *f,
		       const struct board_group *g, int width)
{
	int32_t version = g->version;
	const char *role = board_group_role(r, f, g);
	char lab[16], esc[24];

	snprintf(esc, sizeof(esc), ESC "[0;1;%sm", version_colour(version));
	put_esc(l, esc);
	put(l, " ");
	if (*role)
		putf(l, "%.*s ", width - 2 > 0 ? width - 2 : 0, role);
	putf(l, "%.*s", width - 2, board_version_label(version, lab,
						       sizeof(lab)));
	if (*board_version_image(r, version) && l->col + 1 < width) {
		put(l, " ");
		putf(l, "%.*s", width - 1 - l->col,
		     board_version_image(r, version));
	}
	put_esc(l, ESC "[0m");
	spaces(l, width - l->col);
}

/* The state of a group's cell idx at scale k (cells in state order),
 * -1 past its last. */
static int cell_state(const struct board_group *g, int32_t k, int64_t idx)
{
	int s;

	for (s = 0; s < BOARD_NSTATES; s++) {
		int64_t n = (g->n[s] + k - 1) / k;

		if (idx < n)
			return s;
		idx -= n;
	}
	return -1;
}

/* One row of a line of cells: from cell first, per_line of them. */
static void draw_cell_row(struct line *l, const struct board_view *v,
			  const struct board_group *g, const struct plan *p,
			  int64_t first)
{
	int c, st;

	for (c = 0; c < p->per_line; c++) {
		st = cell_state(g, p->scale, first + c);
		if (st < 0)
			return;
		put_cell(l, v, g->version, st, p->cell_w);
	}
}

/* One group's blocks from screen row *row, on at most max rows. */
static int draw_group(struct strbuf *sb, const struct board_view *v,
		      const struct board_frame *f,
		      const struct board_group *g, const struct plan *p,
		      int *row, int max)
{
	int n = cell_lines(g, p, p->scale), gap = p->cell_h > 1;
	int end = *row + max, ln, r, rc = 0;
	struct line l;

	for (ln = 0; ln < n && *row + p->cell_h <= end; ln++) {
		for (r = 0; r < p->cell_h; r++) {
			line_begin(&l, sb, (*row)++, p->cols);
			if (ln == 0 && r == 0)
				draw_label(&l, v->run, f, g, p->label_w);
			else
				spaces(&l, p->label_w);
			draw_cell_row(&l, v, g, p, (int64_t)ln * p->per_line);
			rc |= line_end(&l);
		}
		if (gap && *row < end) {
			line_begin(&l, sb, (*row)++, p->cols);
			rc |= line_end(&l);
		}
	}
	return rc;
}

/* The blocks of every version, on n lines in all. */
static int draw_blocks(struct strbuf *sb, const struct board_view *v,
		       const struct board_frame *f, const struct plan *p,
		       int *row, int n)
{
	const struct board_run *r = v->run;
	uint32_t i;
	int end = *row + n, rc = 0;
	struct line l;

	if (!f->ng) {
		line_begin(&l, sb, (*row)++, p->cols);
		put(&l, " (no pods)");
		return line_end(&l);
	}
	for (i = 0; i < f->ng; i++) {
		/* what the later groups need at least: a line each */
		int max = end - *row - (int)(f->ng - i - 1) * p->cell_h;

		rc |= draw_group(sb, v, f, &r->groups[f->g0 + i], p, row,
				 max > 1 ? max : 1);
	}
	return rc;
}

/* A bar of cells against a bound: filled cells, then terminating ones,
 * then empty ones up to top, the bound marked '|' before its cell (no
 * mark when bound < 0). q pods per column. */
struct bar {
	int32_t filled, dying, top, bound;
	int ok;                 /* within the bound */
};

/* A bar cell u columns wide: kind 0 filled, 1 terminating, 2 empty. */
static const char *bar_glyph(int utf8, int u, int kind)
{
	static const char *const g[2][2][3] = {
		{ { "#", "x", "." }, { "##", "xx", ". " } },
		{ { "\u2588", "x", "\u00b7" }, { "\u2588\u2588", "xx", "\u00b7 " } },
	};

	return g[utf8 != 0][u == 2][kind];
}

static void draw_bar(struct line *l, const struct board_view *v,
		     const struct bar *b, int width)
{
	int32_t q = 1, i, cols;
	int u = 2;

	if ((int64_t)b->top * 2 + 1 > width) {
		u = 1;
		while ((int64_t)(b->top + q - 1) / q + 1 > width)
			q *= 2;
	}
	cols = (b->top + q - 1) / q;
	put_esc(l, b->ok ? ESC "[0;1;32m" : ESC "[0;1;31m");
	for (i = 0; i <= cols; i++) {
		if (b->bound >= 0 && i == (b->bound + q - 1) / q) {
			put_esc(l, ESC "[0;1m");
			put(l, v->utf8 ? "\u2503" : "|");
			put_esc(l, b->ok ? ESC "[0;1;32m" : ESC "[0;1;31m");
		}
		if (i == cols)
			break;
		if (i * q >= b->filled + b->dying)
			put_esc(l, ESC "[0;2m");
		else if (i * q >= b->filled)
			put_esc(l, ESC "[0;2;37m");
		put(l, bar_glyph(v->utf8, u, i * q < b->filled ? 0 :
				 i * q < b->filled + b->dying ? 1 : 2));
	}
	put_esc(l, ESC "[0m");
}

/* "pods      ██ ██ ┃·  7, at most 7 = 5 + maxSurge 2" */
static int draw_bar_line(struct strbuf *sb, const struct board_view *v,
			 const struct plan *p, int row, const char *label,
			 const struct bar *b, const char *text)
{
	struct line l;
	int width = p->cols - LABEL_W - 2 - (int)strlen(text);

	line_begin(&l, sb, row, p->cols);
	putf(&l, " %-*s", LABEL_W - 1, label);
	if (width >= 4)
		draw_bar(&l, v, b, width);
	put(&l, "  ");
	put_esc(&l, b->ok ? ESC "[0;1m" : ESC "[0;1;31m");
	put(&l, text);
	return line_end(&l);
}

static int draw_bars(struct strbuf *sb, const struct board_view *v,
		     const struct board_frame *f, const struct plan *p,
		     int *row)
{
	const struct world_counts *c = &f->counts;
	int32_t active = c->old_pods + c->new_pods;
	int32_t most = deploy_max_total(f->replicas, f->surge);
	int32_t least = f->replicas - f->unavailable;
	int rolling = f->strategy == STRATEGY_ROLLING_UPDATE ||
		      f->strategy == STRATEGY_CANARY;
	struct bar pods = { active, c->terminating, 0, rolling ? most : -1,
			    !rolling || active <= most };
	struct bar avail = { c->available, 0, 0, rolling ? least : -1,
			     !rolling || c->available >= least };
	char tp[96], ta[96];
	int32_t top = active + c->terminating;

	top = top > f->replicas ? top : f->replicas;
	top = rolling && most > top ? most : top;
	pods.top = avail.top = top;
	if (rolling) {
		snprintf(tp, sizeof(tp), "%" PRId32 ", at most %" PRId32
			 " = %" PRId32 " + %" PRId32, active, most,
			 f->replicas, f->surge);
		snprintf(ta, sizeof(ta), "%" PRId32 ", at least %" PRId32
			 " = %" PRId32 " - %" PRId32, c->available, least,
			 f->replicas, f->unavailable);
	} else {
		snprintf(tp, sizeof(tp), "%" PRId32 " of %" PRId32, active,
			 f->replicas);
		snprintf(ta, sizeof(ta), "%" PRId32, c->available);
	}
	if (c->terminating)
		snprintf(tp + strlen(tp), sizeof(tp) - strlen(tp),
			 " (+%" PRId32 " terminating)", c->terminating);
	*row += 2;
	return draw_bar_line(sb, v, p, *row - 2, "pods", &pods, tp) |
	       draw_bar_line(sb, v, p, *row - 1, "available", &avail, ta);
}

/* A labelled text on n lines, wrapped after the label column. */
static int draw_text(struct strbuf *sb, const struct plan *p, int *row,
		     const char *label, const char *colour, const char *text,
		     int n)
{
	struct line l;
	int rc = 0, i;

	for (i = 0; i < n; i++) {
		const char *next;
		int len = wrap_next(text, p->cols - LABEL_W, &next);

		line_begin(&l, sb, (*row)++, p->cols);
		put_esc(&l, ESC "[0;2m");
		putf(&l, " %-*s", LABEL_W - 1, i ? "" : label);
		put_esc(&l, colour);
		putf(&l, "%.*s", len, text);
		rc |= line_end(&l);
		text = next;
	}
	return rc;
}

/* A progressive rollout's weight, step or Services, as many lines as
 * the plan kept. */
static int draw_prog(struct strbuf *sb, const struct board_view *v,
		     const struct board_frame *f, const struct plan *p,
		     int *row)
{
	struct board_prog_line pl[BOARD_PROG_LINES];
	int i, rc = 0, n = board_prog_lines(v->run, f, pl, BOARD_PROG_LINES);

	for (i = 0; i < n && i < p->prog_n; i++)
		rc |= draw_text(sb, p, row, pl[i].label, ESC "[0;1;36m",
				pl[i].text, 1);
	return rc;
}

static int draw_traffic(struct strbuf *sb, const struct board_view *v,
			const struct plan *p, int *row)
{
	const struct board_tick *k = board_tick_at(v->run, v->now_ns);
	uint64_t req = k ? k->requests : 0, errs = k ? k->errors : 0;
	struct line l;

	line_begin(&l, sb, (*row)++, p->cols);
	put_esc(&l, ESC "[0;2m");
	putf(&l, " %-*s", LABEL_W - 1, "traffic");
	put_esc(&l, ESC "[0;1m");
	putf(&l, "%" PRIu64 " requests/s   ", req);
	put_esc(&l, errs ? ESC "[0;1;31m" : ESC "[0;1m");
	putf(&l, "%" PRIu64 " errors/s", errs);
	return line_end(&l);
}

static int draw_legend(struct strbuf *sb, const struct board_view *v,
		       const struct plan *p, int row)
{
	struct line l;
	int s;

	line_begin(&l, sb, row, p->cols);
	put(&l, " ");
	if (p->scale > 1)
		putf(&l, "1 block = %" PRId32 " pods:  ", p->scale);
	for (s = 0; s < BOARD_NSTATES; s++) {
		put_cell(&l, v, 0, s, 1); /* in v1's colour */
		putf(&l, "%s  ", board_state_name((enum board_state)s));
	}
	return line_end(&l);
}

static int draw_keys(struct strbuf *sb, const struct board_view *v,
		     const struct plan *p, int row)
{
	struct line l;

	line_begin(&l, sb, row, p->cols);
	if (v->note) {
		put_esc(&l, ESC "[0;1;33m");
		putf(&l, " %s ", v->note);
	}
	put_esc(&l, ESC "[0;2m");
	put(&l, " space pause  n next decision  + faster  - slower  q quit");
	return line_end(&l);
}

static int draw_too_small(struct strbuf *sb, int rows, int cols)
{
	struct line l;
	int row, rc = 0;

	for (row = 0; row < rows; row++) {
		line_begin(&l, sb, row, cols);
		if (row == 0)
			putf(&l, "too small (%dx%d): the board needs %dx%d",
			     cols, rows, BOARD_MIN_COLS, BOARD_MIN_ROWS);
		rc |= line_end(&l);
	}
	return rc;
}

/* Clears the rows from *row up to end. */
static int draw_blank(struct strbuf *sb, const struct plan *p, int *row,
		      int end)
{
	struct line l;
	int rc = 0;

	while (*row < end) {
		line_begin(&l, sb, (*row)++, p->cols);
		rc |= line_end(&l);
	}
	return rc;
}

int board_draw(const struct board_view *v, int rows, int cols,
	       struct strbuf *sb)
{
	const struct board_run *r = v->run;
	const struct board_frame *f = &r->frames[board_frame_at(r, v->now_ns)];
	struct plan p = { .rows = rows, .cols = cols };
	struct line l;
	int row = 0, rc;

	if (plan_layout(v, f, &p))
		return draw_too_small(sb, rows, cols);
	line_begin(&l, sb, row++, cols);
	draw_title(&l, v, f);
	rc = line_end(&l);
	if (p.spec) {
		line_begin(&l, sb, row++, cols);
		draw_spec(&l, v, f);
		rc |= line_end(&l);
	}
	rc |= draw_blank(sb, &p, &row, row + (p.blanks > 0));
	rc |= draw_blocks(sb, v, f, &p, &row, p.block_n);
	rc |= draw_blank(sb, &p, &row, row + (p.blanks > 1));
	rc |= draw_bars(sb, v, f, &p, &row);
	rc |= draw_prog(sb, v, f, &p, &row);
	if (p.traffic)
		rc |= draw_traffic(sb, v, &p, &row);
	rc |= draw_text(sb, &p, &row, "status", ESC "[0;1m",
			board_text(r, f->status), p.status_n);
	rc |= draw_text(sb, &p, &row, "decision", ESC "[0;1;33m",
			board_text(r, f->decision), p.decision_n);
	rc |= draw_text(sb, &p, &row, "why", ESC "[0m",
			board_text(r, f->why), p.why_n);
	rc |= draw_blank(sb, &p, &row, rows - p.legend - p.keys);
	if (p.legend)
		rc |= draw_legend(sb, v, &p, row++);
	if (p.keys)
		rc |= draw_keys(sb, v, &p, row++);
	return rc;
}
