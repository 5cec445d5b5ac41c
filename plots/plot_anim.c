/* plot_anim.c - `rollsim plot RUN --animate` (plot_impl.h): pods.gif, the
 * pods of a run over time as coloured blocks, one frame per change.
 *
 * Rows of blocks, from the top: the pods that count against the surge
 * bound (every pod not terminating) with the bound replicas + maxSurge
 * as a line; the available pods with the bound replicas -
 * maxUnavailable; then one row per version. With pods.csv in the run
 * directory a version is a ReplicaSet (a pod template: `rollout undo`
 * scales the old ReplicaSet up again, so v1 keeps its row and colour),
 * its ready pods solid, the others light, its terminating ones pale and
 * framed. Without pods.csv the rows come from timeline.csv's counts:
 * old and new (relative to the newest revision) and the terminating
 * pods in a row of their own.
 * Frames: the window (--from/--to, else the rollout view of the
 * timeline_rollout plot, else the whole run) opens with its first
 * state, then one frame per instant that changed something (the last
 * state of each instant, as the timelines); more than ANIM_MAX_FRAMES
 * changes: one frame per equal step instead. The table gnuplot draws is
 * pods_anim.dat (one block per frame).
 */
#include "plot_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/alloc.h"

#define ANIM_MAX_FRAMES 400

/* One timeline row: the counts a frame shows. */
struct tl_row {
	double t;
	int old_pods, new_pods, old_ready, new_ready, available, term;
};

struct anim {
	struct tl_row *tl;
	int n_tl;
	struct plot_pods pp;        /* pods.csv; pp.rows NULL: none */
	double surge_bound, avail_bound;  /* NaN: none (Recreate) */
};

/* ------------------------------------------------------------ reading */

/* The count in column name of a timeline row; 0 when missing. */
static int col_int(const char *hdr, const char *line, const char *name)
{
	double v = plot_csv_num(line, plot_csv_col(hdr, name));

	return isfinite(v) && v >= 0 && v < 1e9 ? (int)v : 0;
}

static int tl_line(void *ctx, const char *hdr, const char *line)
{
	struct anim *a = ctx;
	struct tl_row *r;

	if (!(a->n_tl & (a->n_tl + 1))) {   /* 0, 1, 3, 7 ...: grow */
		r = rsim_realloc(a->tl, (size_t)(a->n_tl + 1) * 2 *
				 sizeof(*r));
		if (!r)
			return RSIM_ENOMEM;
		a->tl = r;
	}
	r = &a->tl[a->n_tl++];
	r->t = strtod(line, NULL);
	r->old_pods = col_int(hdr, line, "old_pods");
	r->new_pods = col_int(hdr, line, "new_pods");
	r->old_ready = col_int(hdr, line, "old_ready");
	r->new_ready = col_int(hdr, line, "new_ready");
	r->available = col_int(hdr, line, "available");
	r->term = col_int(hdr, line, "terminating");
	return 0;
}

/* The timeline row in force at t (the last at or before it). */
static const struct tl_row *tl_at(const struct anim *a, double t)
{
	int i;

	for (i = a->n_tl - 1; i > 0 && a->tl[i].t > t; i--)
		;
	return &a->tl[i];
}

/* ------------------------------------------------------------ frames */

/* solid (ready), light (not ready), pale (terminating) per version, as
 * timeline.gp's (no green: the available row is green). */
static const unsigned long ver_rgb[PLOT_MAX_VER][3] = {
	{ 0x2c6db5, 0xa9c8ea, 0xdde9f6 }, { 0xe07b00, 0xf7c98b, 0xfbe6c8 },
	{ 0x7b3294, 0xc9a6d8, 0xece0f2 }, { 0x01665e, 0x80cdc1, 0xd5efeb },
	{ 0x8c510a, 0xdfc27d, 0xf3e8cc }, { 0xc51b7d, 0xf1b6da, 0xfbe2ef },
};
static const unsigned long grey_rgb[3] = { 0x909090, 0xc8c8c8, 0xe4e4e4 };

/* One row of a frame: n blocks of kind (0 solid, 1 framed) from x. */
static int blocks(FILE *f, int x, int y, int n, int kind, unsigned long rgb)
{
	int i;

	for (i = 0; i < n; i++)
		fprintf(f, "%d %d %d %lu \"\"\n", kind, x + i, y, rgb);
	return x + n;
}

/* The version rows of a frame, y from nrows - 3 down. */
static int version_rows(struct anim *a, FILE *f, const struct tl_row *r,
			int y)
{
	int v, i, x, n[3];

	if (!a->pp.rows) {
		x = blocks(f, 1, y, r->old_ready, 0, ver_rgb[0][0]);
		blocks(f, x, y, r->old_pods - r->old_ready, 0, ver_rgb[0][1]);
		x = blocks(f, 1, y - 1, r->new_ready, 0, ver_rgb[1][0]);
		blocks(f, x, y - 1, r->new_pods - r->new_ready, 0,
		       ver_rgb[1][1]);
		blocks(f, 1, y - 2, r->term, 1, grey_rgb[2]);
		return r->old_pods + r->new_pods;
	}
	for (v = 0; v < a->pp.n_ver; v++) {
		plot_pods_count(&a->pp, v, n);
		x = blocks(f, 1, y - v, n[0], 0, ver_rgb[v][0]);
		x = blocks(f, x, y - v, n[1], 0, ver_rgb[v][1]);
		blocks(f, x, y - v, n[2], 1, ver_rgb[v][2]);
	}
	for (i = n[0] = 0; i < a->pp.n_pods; i++)
		n[0] += !a->pp.pods[i].term;
	return n[0];
}

static int n_rows(const struct anim *a)
{
	return 2 + (a->pp.rows ? a->pp.n_ver : 3);
}

/* One frame: a block of the table (the state at t). */
static void write_frame(struct anim *a, FILE *f, double t, int k)
{
	const struct tl_row *r = tl_at(a, t);
	int top = n_rows(a) - 1, counted;

	if (a->pp.rows)
		plot_pods_until(&a->pp, t);
	fprintf(f, "%s# frame %d: t = %.9g s\n", k ? "\n\n" : "", k, t);
	fprintf(f, "0 -100 0 0 \"\"\n1 -100 0 0 \"\"\n");  /* never empty */
	counted = version_rows(a, f, r, top - 2);
	blocks(f, 1, top, counted, 0, 0x505050);
	blocks(f, 1, top - 1, r->available, 0, 0x108a3a);
	fprintf(f, "2 0.5 %g 0 \"t = %.3f s\"\n", top + 0.75, t);
	fprintf(f, "3 0 %d 0 \"%d\"\n3 0 %d 0 \"%d\"\n", top, counted,
		top - 1, r->available);
}

/* The instants in (x0, x1] at which a row of either table changed
 * something, with x0 first, into times (room for both tables' rows + 1);
 * returns their number. */
static int change_times(const struct anim *a, double x0, double x1,
			double *times)
{
	int i = 0, j = 0, n = 0;
	double t;

	times[n++] = x0;
	while (i < a->n_tl || j < a->pp.n_rows) {
		if (j >= a->pp.n_rows ||
		    (i < a->n_tl && a->tl[i].t <= a->pp.rows[j].t))
			t = a->tl[i++].t;
		else
			t = a->pp.rows[j++].t;
		if (t > x0 && t <= x1 && t > times[n - 1])
			times[n++] = t;
	}
	return n;
}

/* Too many changes: ANIM_MAX_FRAMES equal steps over the window. */
static int frame_times(const struct anim *a, double x0, double x1,
		       double *times)
{
	int n = change_times(a, x0, x1, times), k;

	if (n <= ANIM_MAX_FRAMES)
		return n;
	for (k = 0; k < ANIM_MAX_FRAMES; k++)
		times[k] = x0 + (x1 - x0) * k / (ANIM_MAX_FRAMES - 1);
	return ANIM_MAX_FRAMES;
}

/* The widest row: every pod at once, or the surge bound. */
static int widest(const struct anim *a)
{
	int i, w = isfinite(a->surge_bound) && a->surge_bound > 0 &&
		    a->surge_bound < 1e6 ? (int)a->surge_bound : 1;

	for (i = 0; i < a->n_tl; i++) {
		int n = a->tl[i].old_pods + a->tl[i].new_pods + a->tl[i].term;

		w = n > w ? n : w;
	}
	return w;
}

static int write_frames(const struct plotter *pl, struct anim *a,
			double x0, double x1, char *path, int *n_frames,
			struct rsim_error *err)
{
	double *times = rsim_malloc(((size_t)a->n_tl +
				     (size_t)a->pp.n_rows + 1) *
				    sizeof(*times));
	FILE *f;
	int k, n;

	if (!times)
		return rsim_error_set(err, RSIM_ENOMEM, "", "",
				      "out of memory");
	if (!(f = plot_open_data(pl, "pods_anim.dat", path, err))) {
		free(times);
		return err->code;
	}
	n = frame_times(a, x0, x1, times);
	fprintf(f, "# kind x y rgb \"text\": kind 0 a pod, 1 a terminating "
		"pod, 2 the time, 3 a row's count\n");
	for (k = 0; k < n; k++)
		write_frame(a, f, times[k], k);
	*n_frames = n;
	free(times);
	return plot_close_data(f, path, err);
}

/* The window: --from/--to, else the rollout view, else the run. */
static void anim_window(const struct plotter *pl,
			const struct plot_run_info *ri, double *x0,
			double *x1)
{
	*x0 = isfinite(ri->roll_min) ? ri->roll_min : 0;
	*x1 = isfinite(ri->roll_max) ? ri->roll_max : ri->t_end;
	if (isfinite(pl->opt->from))
		*x0 = pl->opt->from;
	if (isfinite(pl->opt->to))
		*x1 = pl->opt->to;
}

/* Row labels rl0.. (top first) and the bounds for the script. */
static void anim_defs(struct plot_text *t, const struct anim *a,
		      const struct plot_run_info *ri)
{
	char label[160];
	int v, row = 2;

	plot_gp_str(t, "title", plot_json_str(ri->summary, "scenario"));
	plot_gp_num(t, "nrows", n_rows(a));
	plot_gp_num(t, "blocks", widest(a));
	plot_gp_num(t, "surge_bound", a->surge_bound);
	plot_gp_num(t, "avail_bound", a->avail_bound);
	if (isfinite(a->surge_bound))
		snprintf(label, sizeof(label), "not terminating (at most %.0f)",
			 a->surge_bound);
	else
		snprintf(label, sizeof(label), "not terminating");
	plot_gp_stri(t, "rl", 0, label);
	if (isfinite(a->avail_bound))
		snprintf(label, sizeof(label), "available (at least %.0f)",
			 a->avail_bound);
	else
		snprintf(label, sizeof(label), "available");
	plot_gp_stri(t, "rl", 1, label);
	if (!a->pp.rows) {
		plot_gp_stri(t, "rl", row++, "old");
		plot_gp_stri(t, "rl", row++, "new");
		plot_gp_stri(t, "rl", row++, "terminating");
		return;
	}
	for (v = 0; v < a->pp.n_ver; v++) {
		plot_pods_label(&a->pp, v, label, sizeof(label));
		plot_gp_stri(t, "rl", row++, label);
	}
}

/* The bounds of summary.json's deployment; none for Recreate. */
static void anim_bounds(struct anim *a, const cJSON *s)
{
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(s, "deployment");
	double r = plot_json_num(s, "deployment.replicas");

	a->surge_bound = a->avail_bound = NO_VALUE;
	if (strcmp(plot_json_str(d, "strategy"), "Recreate") == 0)
		return;
	a->surge_bound = r + plot_json_num(s, "deployment.max_surge");
	a->avail_bound = r - plot_json_num(s, "deployment.max_unavailable");
}

/* The tables: timeline (the filtered copy) and pods.csv if any. */
static int anim_read(struct anim *a, const struct plot_run_info *ri,
		     struct rsim_error *err)
{
	int rc;

	if ((rc = plot_read_table(ri->steps, tl_line, a, err)))
		return rc < 0 ? rsim_error_set(err, RSIM_EIO, ri->steps, "",
					       "vanished") : rc;
	if (a->n_tl == 0)
		return rsim_error_set(err, RSIM_EINPUT, ri->dir, "",
				      "timeline.csv: no rows to animate");
	rc = plot_pods_read(ri->dir, &a->pp, err);
	return rc < 0 ? 0 : rc;
}

int plot_animate(const struct plotter *pl, const struct plot_run_info *ri,
		 struct rsim_error *err)
{
	char data[PLOT_PATH_MAX], gif[PLOT_PATH_MAX];
	struct plot_text t = PLOT_TEXT_INIT;
	struct anim a;
	double x0, x1;
	int rc, n = 0;

	memset(&a, 0, sizeof(a));
	anim_bounds(&a, ri->summary);
	anim_window(pl, ri, &x0, &x1);
	rc = anim_read(&a, ri, err);
	if (!rc)
		rc = write_frames(pl, &a, x0, x1, data, &n, err);
	if (!rc)
		rc = plot_stage(pl, "pods.gif", gif, err);
	if (!rc) {
		anim_defs(&t, &a, ri);
		plot_gp_str(&t, "data", data);
		plot_gp_num(&t, "nframes", n);
		plot_gp_str(&t, "out", gif);
		rc = plot_render_once(pl, "anim", &t, err);
	}
	strbuf_release(&t.sb);
	free(a.tl);
	plot_pods_release(&a.pp);
	return rc;
}
