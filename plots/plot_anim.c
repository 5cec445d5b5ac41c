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

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/alloc.h"
#include "sim/core/file.h"

#define ANIM_MAX_FRAMES 400
#define ANIM_MAX_VER 6              /* version rows; later ones share */
#define ANIM_FILE_MAX ((size_t)1 << 30)

/* One timeline row: the counts a frame shows. */
struct tl_row {
	double t;
	int old_pods, new_pods, old_ready, new_ready, available, term;
};

/* One pods.csv row, and a pod's state as of a moment. */
struct pod_row {
	double t;
	char pod[96], rs[96];
	int rev, ready, term, gone;
};

struct pod_state {
	char name[96];
	int ver, ready, term;
};

struct anim {
	struct tl_row *tl;
	int n_tl;
	struct pod_row *pr;         /* NULL: no pods.csv */
	int n_pr;
	char ver[ANIM_MAX_VER][96]; /* ReplicaSet of each version row */
	char revs[ANIM_MAX_VER][48];     /* its revisions: "1, 3" */
	int last_rev[ANIM_MAX_VER];
	int n_ver;
	struct pod_state *pods;
	int n_pods;
	int next_pr;                /* pods.csv rows applied so far */
	double surge_bound, avail_bound;  /* NaN: none (Recreate) */
	int width;                  /* blocks in the widest row */
};

/* ------------------------------------------------------------ reading */

/* The lines of a CSV text: fn(ctx, header, line) for each data line. */
static int each_line(char *text, int (*fn)(struct anim *, const char *,
					   const char *),
		     struct anim *a)
{
	char *hdr = text, *line, *nl;
	int rc;

	if (!(nl = strchr(hdr, '\n')))
		return 0;
	*nl = '\0';
	for (line = nl + 1; *line; line = nl + 1) {
		if (!(nl = strchr(line, '\n')))
			nl = line + strlen(line) - 1;
		else
			*nl = '\0';
		if (*line && (rc = fn(a, hdr, line)))
			return rc;
		if (!nl[1])
			break;
	}
	return 0;
}

static int tl_line(struct anim *a, const char *hdr, const char *line)
{
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
	r->old_pods = (int)plot_csv_num(line, plot_csv_col(hdr, "old_pods"));
	r->new_pods = (int)plot_csv_num(line, plot_csv_col(hdr, "new_pods"));
	r->old_ready = (int)plot_csv_num(line,
					 plot_csv_col(hdr, "old_ready"));
	r->new_ready = (int)plot_csv_num(line,
					 plot_csv_col(hdr, "new_ready"));
	r->available = (int)plot_csv_num(line,
					 plot_csv_col(hdr, "available"));
	r->term = (int)plot_csv_num(line, plot_csv_col(hdr, "terminating"));
	return 0;
}

/* Field k of a CSV line into out. */
static void csv_text(const char *line, int k, char *out, size_t n)
{
	size_t len;

	out[0] = '\0';
	if (k < 0)
		return;
	for (; k > 0 && *line; line++)
		k -= *line == ',';
	if (k > 0)
		return;
	len = strcspn(line, ",\r\n");
	snprintf(out, n, "%.*s", (int)(len < n ? len : n - 1), line);
}

/* READY as kubectl prints it ("1/1") or a count: all containers ready. */
static int ready_text(const char *s)
{
	const char *slash = strchr(s, '/');
	int r = atoi(s);

	return slash ? r > 0 && r == atoi(slash + 1) : r > 0;
}

static int pod_line(struct anim *a, const char *hdr, const char *line)
{
	struct pod_row *r;
	char f[64];

	if (!(a->n_pr & (a->n_pr + 1))) {
		r = rsim_realloc(a->pr, (size_t)(a->n_pr + 1) * 2 *
				 sizeof(*r));
		if (!r)
			return RSIM_ENOMEM;
		a->pr = r;
	}
	r = &a->pr[a->n_pr++];
	r->t = strtod(line, NULL);
	csv_text(line, plot_csv_col(hdr, "pod"), r->pod, sizeof(r->pod));
	csv_text(line, plot_csv_col(hdr, "replicaset"), r->rs, sizeof(r->rs));
	r->rev = (int)plot_csv_num(line, plot_csv_col(hdr, "revision"));
	csv_text(line, plot_csv_col(hdr, "ready"), f, sizeof(f));
	r->ready = ready_text(f);
	csv_text(line, plot_csv_col(hdr, "status"), f, sizeof(f));
	r->term = strcmp(f, "Terminating") == 0;
	csv_text(line, plot_csv_col(hdr, "change"), f, sizeof(f));
	r->gone = strcmp(f, "deleted") == 0;
	return 0;
}

/* Reads a whole file and hands its lines to fn. Returns 0, RSIM_E*, or
 * -1 when the file does not exist (pods.csv is optional). */
static int read_table(const char *path,
		      int (*fn)(struct anim *, const char *, const char *),
		      struct anim *a, struct rsim_error *err)
{
	char *text = NULL;
	size_t len;
	int rc;

	if ((rc = file_read(path, ANIM_FILE_MAX, &text, &len)))
		return rc == ENOENT ? -1 : rsim_error_set(err, RSIM_EINPUT,
			path, "", "cannot read: %s", strerror(rc));
	rc = each_line(text, fn, a);
	free(text);
	return rc ? rsim_error_set(err, rc, path, "", "out of memory") : 0;
}

/* ------------------------------------------------------------ states */

static int version_of(struct anim *a, const char *rs)
{
	int v;

	for (v = 0; v < a->n_ver; v++)
		if (strcmp(a->ver[v], rs) == 0)
			return v;
	if (a->n_ver == ANIM_MAX_VER)
		return ANIM_MAX_VER - 1;
	snprintf(a->ver[a->n_ver], sizeof(a->ver[0]), "%s", rs);
	return a->n_ver++;
}

static struct pod_state *pod_find(struct anim *a, const char *name)
{
	int i;

	for (i = 0; i < a->n_pods; i++)
		if (strcmp(a->pods[i].name, name) == 0)
			return &a->pods[i];
	return NULL;
}

/* Applies the pods.csv rows up to time t; a deleted pod leaves. */
static void pods_until(struct anim *a, double t)
{
	for (; a->next_pr < a->n_pr && a->pr[a->next_pr].t <= t;
	     a->next_pr++) {
		const struct pod_row *r = &a->pr[a->next_pr];
		struct pod_state *p = pod_find(a, r->pod);

		if (r->gone) {
			if (p)
				*p = a->pods[--a->n_pods];
			continue;
		}
		if (!p) {
			p = &a->pods[a->n_pods++];
			snprintf(p->name, sizeof(p->name), "%s", r->pod);
			p->ver = version_of(a, r->rs);
		}
		p->ready = r->ready && !r->term;
		p->term = r->term;
	}
}

/* The timeline row in force at t (the last at or before it). */
static const struct tl_row *tl_at(const struct anim *a, double t)
{
	int i;

	for (i = a->n_tl - 1; i > 0 && a->tl[i].t > t; i--)
		;
	return &a->tl[i];
}

/* Every ReplicaSet gets its row in order of its first pod, and the list
 * of revisions it had ("1, 3" after an undo), before the first frame. */
static void plan_versions(struct anim *a)
{
	int i, v;

	for (i = 0; i < a->n_pr; i++) {
		v = version_of(a, a->pr[i].rs);
		if (a->pr[i].rev > 0 && a->pr[i].rev != a->last_rev[v]) {
			plot_appendf(a->revs[v], sizeof(a->revs[v]), "%s%d",
				     a->revs[v][0] ? ", " : "",
				     a->pr[i].rev);
			a->last_rev[v] = a->pr[i].rev;
		}
	}
}

/* ------------------------------------------------------------ frames */

/* solid (ready), light (not ready), pale (terminating) per version. */
static const unsigned long ver_rgb[ANIM_MAX_VER][3] = {
	{ 0x2c6db5, 0xa9c8ea, 0xdde9f6 }, { 0xe07b00, 0xf7c98b, 0xfbe6c8 },
	{ 0x108a3a, 0x9fd8b0, 0xd9f0e0 }, { 0x7b3294, 0xc9a6d8, 0xece0f2 },
	{ 0x8c510a, 0xdfc27d, 0xf3e8cc }, { 0x01665e, 0x80cdc1, 0xd5efeb },
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

	if (!a->pr) {
		x = blocks(f, 1, y, r->old_ready, 0, ver_rgb[0][0]);
		blocks(f, x, y, r->old_pods - r->old_ready, 0, ver_rgb[0][1]);
		x = blocks(f, 1, y - 1, r->new_ready, 0, ver_rgb[1][0]);
		blocks(f, x, y - 1, r->new_pods - r->new_ready, 0,
		       ver_rgb[1][1]);
		blocks(f, 1, y - 2, r->term, 1, grey_rgb[2]);
		return r->old_pods + r->new_pods;
	}
	for (v = 0; v < a->n_ver; v++) {
		n[0] = n[1] = n[2] = 0;
		for (i = 0; i < a->n_pods; i++)
			if (a->pods[i].ver == v)
				n[a->pods[i].term ? 2 : a->pods[i].ready ? 0
								    : 1]++;
		x = blocks(f, 1, y - v, n[0], 0, ver_rgb[v][0]);
		x = blocks(f, x, y - v, n[1], 0, ver_rgb[v][1]);
		blocks(f, x, y - v, n[2], 1, ver_rgb[v][2]);
	}
	for (i = n[0] = 0; i < a->n_pods; i++)
		n[0] += !a->pods[i].term;
	return n[0];
}

static int n_rows(const struct anim *a)
{
	return 2 + (a->pr ? a->n_ver : 3);
}

/* One frame: a block of the table (the state at t). */
static void write_frame(struct anim *a, FILE *f, double t, int k, int n)
{
	const struct tl_row *r = tl_at(a, t);
	int top = n_rows(a) - 1, counted;

	pods_until(a, t);
	fprintf(f, "%s# frame %d: t = %.9g s\n", k ? "\n\n" : "", k, t);
	fprintf(f, "0 -100 0 0 \"\"\n1 -100 0 0 \"\"\n");  /* never empty */
	counted = version_rows(a, f, r, top - 2);
	blocks(f, 1, top, counted, 0, 0x505050);
	blocks(f, 1, top - 1, r->available, 0, 0x108a3a);
	fprintf(f, "2 0.5 %g 0 \"t = %.3f s\"\n", top + 0.75, t);
	fprintf(f, "3 0 %d 0 \"%d\"\n3 0 %d 0 \"%d\"\n", top, counted,
		top - 1, r->available);
	(void)n;
}

/* The instants in (x0, x1] at which a row of either table changed
 * something, with x0 first, into times (room for n_tl + n_pr + 1);
 * returns their number. */
static int change_times(const struct anim *a, double x0, double x1,
			double *times)
{
	int i = 0, j = 0, n = 0;
	double t;

	times[n++] = x0;
	while (i < a->n_tl || j < a->n_pr) {
		if (j >= a->n_pr || (i < a->n_tl && a->tl[i].t <= a->pr[j].t))
			t = a->tl[i++].t;
		else
			t = a->pr[j++].t;
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
	int i, w = isfinite(a->surge_bound) ? (int)a->surge_bound : 1;

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
	double *times = rsim_malloc(((size_t)a->n_tl + (size_t)a->n_pr + 1) *
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
		write_frame(a, f, times[k], k, n);
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
	if (!a->pr) {
		plot_gp_stri(t, "rl", row++, "old");
		plot_gp_stri(t, "rl", row++, "new");
		plot_gp_stri(t, "rl", row++, "terminating");
		return;
	}
	for (v = 0; v < a->n_ver; v++) {
		snprintf(label, sizeof(label), "%s%s%s%s", a->ver[v],
			 a->revs[v][0] ? " (rev " : "", a->revs[v],
			 a->revs[v][0] ? ")" : "");
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
	char path[PLOT_PATH_MAX];
	int rc;

	if ((rc = read_table(ri->steps, tl_line, a, err)))
		return rc < 0 ? rsim_error_set(err, RSIM_EIO, ri->steps, "",
					       "vanished") : rc;
	if (a->n_tl == 0)
		return rsim_error_set(err, RSIM_EINPUT, ri->dir, "",
				      "timeline.csv: no rows to animate");
	if ((rc = plot_join(path, ri->dir, "pods.csv", err)))
		return rc;
	rc = read_table(path, pod_line, a, err);
	if (rc > 0)
		return rc;
	if (rc == 0 && a->n_pr > 0) {
		a->pods = rsim_calloc((size_t)a->n_pr, sizeof(*a->pods));
		if (!a->pods)
			return rsim_error_set(err, RSIM_ENOMEM, "", "",
					      "out of memory");
		plan_versions(a);
	} else {
		free(a->pr);
		a->pr = NULL;
		a->n_pr = 0;
	}
	return 0;
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
	free(a.pr);
	free(a.pods);
	return rc;
}
