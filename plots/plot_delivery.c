/* plot_delivery.c - the delivery chart of a sweep (plot_impl.h): which
 * strategy ships a bad release to the fewest users, at what cost in time
 * and pods. One marker per variant, 95 % confidence bars both ways.
 * Left, the bad release: failed requests caused by the new version
 * (exposure.new_failed) against the time from the change until it was
 * rolled back (delivery.time_to_rollback_s) or, when it was not, fully
 * shipped. Right, the good release: extra pod-seconds
 * (cost.extra_pod_seconds) against the time to promote. The releases are
 * the sweep's vary combinations: the bad one has the most app errors
 * (requests.errors.app_error, else exposure.new_failed), the good one
 * the fewest. Drawn only for a sweep with variants whose summary.csv has
 * exposure.new_failed: older sweeps plot as before.
 */
#include "plot_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/alloc.h"
#include "sim/sweep/sweep_json.h"
#include "sim/sweep/sweep_summary.h"

/* The metrics of summary.csv the chart reads. */
enum dv_metric {
	DV_NEW_FAILED,
	DV_COST,
	DV_PROMOTE,
	DV_ROLLBACK,
	DV_ABORTED,
	DV_PROMOTED,
	DV_DURATION,
	DV_APP_ERROR,
	DV_N
};

static const char *const dv_names[DV_N] = {
	"exposure.new_failed", "cost.extra_pod_seconds",
	"delivery.time_to_promote_s", "delivery.time_to_rollback_s",
	"delivery.aborted", "delivery.promoted", "rollout.duration_s",
	"requests.errors.app_error"
};

#define DV_MAX_REL 16

struct dv_point {
	int variant;                /* index into variants, -1 none */
	int release;                /* index into rel, -1 none */
	int valid;
	double mean[DV_N], ci95[DV_N];   /* NaN: absent */
	int n[DV_N];
};

struct dv_info {
	cJSON *root;                /* sweep.json's plan, owned */
	const char *scenario;
	double replications;
	int n_variants;
	const char **variants;      /* names: array owned, names borrowed */
	int n_rel;
	char rel[DV_MAX_REL][160];  /* the vary values of each release */
	int n_points;
	struct dv_point *pts;       /* owned */
	int has_exposure;           /* some row of exposure.new_failed */
};

/* The release of a point: its vary values, " / " between; a new one
 * joins rel (at most DV_MAX_REL, else -1). */
static int dv_release(struct dv_info *di, const cJSON *vary,
		      const cJSON *values)
{
	char label[160] = "", v[64];
	const cJSON *c;
	int i;

	cJSON_ArrayForEach(c, vary) {
		plot_value_text(cJSON_GetObjectItemCaseSensitive(values,
								 c->string),
				v, sizeof(v));
		plot_appendf(label, sizeof(label), "%s%s",
			     label[0] ? " / " : "", v);
	}
	for (i = 0; i < di->n_rel; i++)
		if (strcmp(di->rel[i], label) == 0)
			return i;
	if (di->n_rel == DV_MAX_REL)
		return -1;
	snprintf(di->rel[di->n_rel], sizeof(di->rel[0]), "%s", label);
	return di->n_rel++;
}

static int dv_variant(const struct dv_info *di, const cJSON *name)
{
	int i;

	for (i = 0; cJSON_IsString(name) && i < di->n_variants; i++)
		if (strcmp(di->variants[i], name->valuestring) == 0)
			return i;
	return -1;
}

static int dv_points(struct dv_info *di, const cJSON *plan)
{
	const cJSON *vary = cJSON_GetObjectItemCaseSensitive(plan,
							     SWEEP_PLAN_VARY);
	const cJSON *e;
	int i = 0, k;

	di->n_points = cJSON_GetArraySize(
		cJSON_GetObjectItemCaseSensitive(plan, SWEEP_PLAN_POINTS));
	di->pts = rsim_calloc((size_t)di->n_points + 1, sizeof(*di->pts));
	if (!di->pts)
		return RSIM_ENOMEM;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(
				      plan, SWEEP_PLAN_POINTS)) {
		struct dv_point *p = &di->pts[i++];

		p->variant = dv_variant(di, cJSON_GetObjectItemCaseSensitive(
			e, SWEEP_POINT_VARIANT));
		p->valid = cJSON_IsTrue(
			cJSON_GetObjectItemCaseSensitive(e, SWEEP_POINT_VALID));
		p->release = dv_release(di, vary,
			cJSON_GetObjectItemCaseSensitive(e, SWEEP_POINT_VALUES));
		for (k = 0; k < DV_N; k++)
			p->mean[k] = p->ci95[k] = NO_VALUE;
	}
	return 0;
}

/* The plan of dir's sweep.json: its variants and points. */
static int dv_read_plan(struct dv_info *di, const char *dir,
			struct rsim_error *err)
{
	const cJSON *v, *c;

	if (!(di->root = sweep_read_plan(dir, err)))
		return err->code;
	di->scenario = plot_json_str(di->root, SWEEP_PLAN_SCENARIO);
	di->replications = plot_json_num(di->root, SWEEP_PLAN_REPLICATIONS);
	v = cJSON_GetObjectItemCaseSensitive(di->root, SWEEP_PLAN_VARIANTS);
	di->variants = rsim_calloc((size_t)cJSON_GetArraySize(v) + 1,
				   sizeof(*di->variants));
	if (!di->variants)
		return rsim_error_set(err, RSIM_ENOMEM, "", "",
				      "out of memory");
	cJSON_ArrayForEach(c, v)
		if (cJSON_IsString(c))
			di->variants[di->n_variants++] = c->valuestring;
	if (dv_points(di, di->root))     /* after the variants */
		return rsim_error_set(err, RSIM_ENOMEM, "", "",
				      "out of memory");
	return 0;
}

/* One summary.csv row: the metrics the chart shows. */
static int dv_row(void *ctx, const struct sweep_summary_row *r)
{
	struct dv_info *di = ctx;
	struct dv_point *p;
	int k;

	if (r->point < 0 || r->point >= di->n_points)
		return 0;
	p = &di->pts[r->point];
	for (k = 0; k < DV_N; k++)
		if (strcmp(r->metric, dv_names[k]) == 0) {
			p->mean[k] = r->stat[SWEEP_STAT_MEAN];
			p->ci95[k] = r->stat[SWEEP_STAT_CI95];
			p->n[k] = r->n;
			di->has_exposure |= k == DV_NEW_FAILED;
		}
	return 0;
}

/* How bad release r is: the sum of its valid points' means of metric k
 * (-1 when none has one). */
static double dv_badness(const struct dv_info *di, int r, int k)
{
	double s = -1;
	int i;

	for (i = 0; i < di->n_points; i++) {
		const struct dv_point *p = &di->pts[i];

		if (p->valid && p->release == r && isfinite(p->mean[k]))
			s = (s < 0 ? 0 : s) + p->mean[k];
	}
	return s;
}

/* The bad release (the most app errors, else the most failed requests
 * of the new version) and the good one (the fewest; another release
 * than the bad one whenever there are two). */
static void dv_pick(const struct dv_info *di, int *bad, int *good)
{
	int k = DV_APP_ERROR, r;

	for (r = 0; r < di->n_rel && dv_badness(di, r, k) < 0; r++)
		;
	if (r == di->n_rel)
		k = DV_NEW_FAILED;
	*bad = *good = 0;
	for (r = 1; r < di->n_rel; r++) {
		if (dv_badness(di, r, k) > dv_badness(di, *bad, k))
			*bad = r;
		if (dv_badness(di, r, k) < dv_badness(di, *good, k))
			*good = r;
	}
	if (*bad == *good && di->n_rel > 1)
		*good = *bad == 0 ? 1 : 0;
}

static const struct dv_point *dv_find(const struct dv_info *di, int v, int r)
{
	int i;

	for (i = 0; i < di->n_points; i++)
		if (di->pts[i].variant == v && di->pts[i].release == r)
			return &di->pts[i];
	return NULL;
}

/* What ended the release in most runs, the metric of the time axis:
 * rolled back (delivery.aborted in at least half the runs), promoted,
 * else the rollout's completion. */
static int dv_time(const struct dv_point *p, const char **what)
{
	if (p->mean[DV_ABORTED] >= 0.5 && isfinite(p->mean[DV_ROLLBACK])) {
		*what = "rolled-back";
		return DV_ROLLBACK;
	}
	if (isfinite(p->mean[DV_PROMOTE])) {
		*what = "promoted";
		return DV_PROMOTE;
	}
	*what = "completed";
	return DV_DURATION;
}

/* One marker of a panel: a variant at one release. */
struct dv_mark {
	const struct dv_point *p;   /* NULL: no valid point */
	int t;                      /* the metric of its time axis */
	const char *what;           /* "rolled-back", "promoted", ... */
	double x, y;                /* where it is drawn */
	double xci, yci;            /* its error bars' half-widths (0: none) */
	char text[200];             /* the label beside it */
	double label_y;             /* where the label is (data units) */
	int left;                   /* the label ends left of the marker */
};

/* A panel's axes as delivery.gp draws them: x from 0 to xhi, y from ylo
 * to yhi, logarithmic when logy. */
struct dv_axes {
	double xhi, ylo, yhi;
	int logy;
	char gone[256];             /* the valid variants not drawn */
};

/* The label of variant v at release r: its name, and how the release
 * ended unless it was promoted in every run (then "shipped" for the bad
 * one): rolled back (in k of n runs), promoted in k of n runs, or
 * neither (still paused or stalled at the end of the run). */
static void dv_text(const struct dv_info *di, int v, const struct dv_point *p,
		    int bad, char *out, size_t n)
{
	const char *name = di->variants[v];
	double a = p ? p->mean[DV_ABORTED] : NO_VALUE;
	double pr = p ? p->mean[DV_PROMOTED] : NO_VALUE;

	if (!p)
		snprintf(out, n, "%s (invalid)", name);
	else if (a == 1)
		snprintf(out, n, "%s: rolled back", name);
	else if (a > 0)
		snprintf(out, n, "%s: rolled back in %.0f of %d runs", name,
			 a * p->n[DV_ABORTED], p->n[DV_ABORTED]);
	else if (pr == 0)
		snprintf(out, n, "%s: neither promoted nor rolled back", name);
	else if (pr > 0 && pr < 1)
		snprintf(out, n, "%s: promoted in %.0f of %d runs", name,
			 pr * p->n[DV_PROMOTED], p->n[DV_PROMOTED]);
	else
		snprintf(out, n, "%s%s", name, bad ? ": shipped" : "");
}

static double dv_ok(double ci)
{
	return isfinite(ci) ? ci : 0;
}

/* The markers of release r, y the metric k (one per variant). */
static void dv_marks(const struct dv_info *di, int r, int k, int bad,
		     struct dv_mark *m)
{
	int v;

	for (v = 0; v < di->n_variants; v++) {
		const struct dv_point *p = dv_find(di, v, r);

		memset(&m[v], 0, sizeof(m[v]));
		m[v].p = p && p->valid ? p : NULL;
		m[v].t = m[v].p ? dv_time(p, &m[v].what) : DV_DURATION;
		if (!m[v].p)
			m[v].what = "invalid";
		m[v].x = m[v].p ? p->mean[m[v].t] : NO_VALUE;
		m[v].y = m[v].p ? p->mean[k] : NO_VALUE;
		m[v].xci = m[v].p ? dv_ok(p->ci95[m[v].t]) : 0;
		m[v].yci = m[v].p ? dv_ok(p->ci95[k]) : 0;
		m[v].label_y = NO_VALUE;
		dv_text(di, v, m[v].p, bad, m[v].text, sizeof(m[v].text));
	}
}

static int dv_drawn(const struct dv_mark *m)
{
	return isfinite(m->x) && isfinite(m->y);
}

/* The axes of a panel: 10 % room right of the last error bar, 15 % above
 * the highest; the y axis logarithmic (whole decades) when asked (logy)
 * and every y is above 0 and they span more than a factor 20. */
static void dv_axes_of(const struct dv_mark *m, int n, int logy,
		       struct dv_axes *ax)
{
	double lo = HUGE_VAL, hi = 0, top = 0, right = 0;
	int i;

	for (i = 0; i < n; i++) {
		if (!dv_drawn(&m[i]))
			continue;
		right = fmax(right, m[i].x + m[i].xci);
		top = fmax(top, m[i].y + m[i].yci);
		lo = fmin(lo, m[i].y);
		hi = fmax(hi, m[i].y);
	}
	ax->xhi = right > 0 ? 1.1 * right : 1;
	ax->logy = logy && lo > 0 && lo < HUGE_VAL && hi > 20 * lo;
	ax->ylo = ax->logy ? pow(10, floor(log10(lo))) : 0;
	ax->yhi = ax->logy ? pow(10, ceil(log10(top))) :
		  top > 0 ? 1.15 * top : 1;
}

/* Where y sits on the y axis, 0 (bottom) to 1 (top), and back. */
static double dv_frac(const struct dv_axes *ax, double y)
{
	if (ax->logy)
		return (log10(y) - log10(ax->ylo)) /
		       (log10(ax->yhi) - log10(ax->ylo));
	return (y - ax->ylo) / (ax->yhi - ax->ylo);
}

static double dv_unfrac(const struct dv_axes *ax, double f)
{
	if (ax->logy)
		return pow(10, log10(ax->ylo) +
			       f * (log10(ax->yhi) - log10(ax->ylo)));
	return ax->ylo + f * (ax->yhi - ax->ylo);
}

/* The size of text in a panel of the default 1500 x 720 image, as a
 * share of the plot area: a character's width at font 10 and a line. */
#define DV_CHAR_W 0.0105
#define DV_LINE_H 0.036
#define DV_GAP 0.013             /* between a marker and its label */

/* A label's box in axis shares, its centre line k + 0.6 lines above
 * its marker (up) or below, to its right or ending left of it (left). */
static void dv_box(const struct dv_mark *m, const struct dv_axes *ax, int k,
		   int up, int left, double box[4])
{
	double fx = m->x / ax->xhi, fy = dv_frac(ax, m->y);
	double w = DV_CHAR_W * (double)strlen(m->text);

	box[0] = left ? fx - DV_GAP - w : fx + DV_GAP;
	box[1] = box[0] + w;
	box[2] = fy + (up ? 1 : -1) * (0.6 + k) * DV_LINE_H - DV_LINE_H / 2;
	box[3] = box[2] + DV_LINE_H;
}

/* A marker's box: about its symbol's size. */
static void dv_marker_box(const struct dv_mark *m, const struct dv_axes *ax,
			  double box[4])
{
	double fx = m->x / ax->xhi, fy = dv_frac(ax, m->y);

	box[0] = fx - DV_GAP;
	box[1] = fx + DV_GAP;
	box[2] = fy - DV_LINE_H / 2;
	box[3] = fy + DV_LINE_H / 2;
}

static int dv_overlap(const double a[4], const double b[4])
{
	return a[0] < b[1] && b[0] < a[1] && a[2] < b[3] && b[2] < a[3];
}

/* Whether box b stays inside the plot and clear of every marker and of
 * the labels placed so far (box[0 .. i-1]). */
static int dv_free(const double b[4], const struct dv_mark *m, int n,
		   const struct dv_axes *ax, double (*box)[4], int i)
{
	double mb[4];
	int j;

	if (b[0] < 0 || b[1] > 1 || b[2] < 0 || b[3] > 1)
		return 0;
	for (j = 0; j < n; j++) {
		if (!dv_drawn(&m[j]))
			continue;
		dv_marker_box(&m[j], ax, mb);
		if (dv_overlap(b, mb) || (j < i && dv_overlap(b, box[j])))
			return 0;
	}
	return 1;
}

/* Places label i at the nearest free spot: k lines away, above then
 * below its marker (below first near the top), right then left of it;
 * above and right when nothing is free. */
static void dv_place_one(struct dv_mark *m, int n, const struct dv_axes *ax,
			 double (*box)[4], int i)
{
	int up0 = dv_frac(ax, m[i].y) < 0.85, k, c;

	for (k = 0; k < n + 2; k++)
		for (c = 0; c < 4; c++) {
			dv_box(&m[i], ax, k, c & 1 ? !up0 : up0, c >= 2, box[i]);
			if (dv_free(box[i], m, n, ax, box, i)) {
				m[i].left = c >= 2;
				return;
			}
		}
	dv_box(&m[i], ax, 0, 1, 0, box[i]);
	m[i].left = 0;
}

/* Places every label clear of the markers and of the labels before it. */
static void dv_place(struct dv_mark *m, int n, const struct dv_axes *ax)
{
	double (*box)[4] = rsim_calloc((size_t)n + 1, sizeof(*box));
	int i;

	for (i = 0; i < n; i++) {
		if (!dv_drawn(&m[i]))
			continue;
		if (!box) {                 /* out of memory: beside it */
			m[i].label_y = m[i].y;
			continue;
		}
		dv_place_one(m, n, ax, box, i);
		m[i].label_y = dv_unfrac(ax, (box[i][2] + box[i][3]) / 2);
	}
	free(box);
}

/* One row per variant of release r (bad: the left panel, else the
 * right): v time_s time_ci95 new_failed new_failed_ci95 extra_pod_s
 * extra_pod_s_ci95 aborted n "time_of" label_y left "label" (NaN:
 * missing; an invalid point has no numbers). Sets the panel's axes. */
static void dv_block(const struct dv_info *di, int r, int bad,
		     struct dv_mark *m, struct dv_axes *ax, FILE *f)
{
	static const int cols[] = { DV_NEW_FAILED, DV_COST };
	int v, k;

	dv_marks(di, r, bad ? DV_NEW_FAILED : DV_COST, bad, m);
	dv_axes_of(m, di->n_variants, bad, ax);
	dv_place(m, di->n_variants, ax);
	ax->gone[0] = '\0';
	for (v = 0; v < di->n_variants; v++)
		if (m[v].p && !dv_drawn(&m[v]))
			plot_appendf(ax->gone, sizeof(ax->gone), "%s%s",
				     ax->gone[0] ? ", " : "", di->variants[v]);
	fprintf(f, "# %s release %s: v time_s time_ci95 new_failed "
		"new_failed_ci95 extra_pod_s extra_pod_s_ci95 aborted n "
		"time_of label_y left label\n", bad ? "bad" : "good",
		di->rel[r]);
	for (v = 0; v < di->n_variants; v++) {
		const struct dv_point *p = m[v].p;

		fprintf(f, "%d", v);
		plot_data_num(f, p ? p->mean[m[v].t] : NO_VALUE);
		plot_data_num(f, p ? p->ci95[m[v].t] : NO_VALUE);
		for (k = 0; k < 2; k++) {
			plot_data_num(f, p ? p->mean[cols[k]] : NO_VALUE);
			plot_data_num(f, p ? p->ci95[cols[k]] : NO_VALUE);
		}
		plot_data_num(f, p ? p->mean[DV_ABORTED] : NO_VALUE);
		fprintf(f, " %d ", p ? p->n[m[v].t] : 0);
		plot_data_label(f, m[v].what);
		plot_data_num(f, m[v].label_y);
		fprintf(f, " %d ", m[v].left);
		plot_data_label(f, m[v].text);
		fputc('\n', f);
	}
}

/* delivery.dat: block 0 the bad release, block 1 the good one. */
static int dv_data(const struct plotter *pl, const struct dv_info *di,
		   int bad, int good, char *path, struct dv_axes ax[2],
		   struct rsim_error *err)
{
	FILE *f = plot_open_data(pl, "delivery.dat", path, err);
	struct dv_mark *m = rsim_calloc((size_t)di->n_variants + 1,
					sizeof(*m));

	if (!f || !m) {
		free(m);
		if (f)
			fclose(f);
		return f ? rsim_error_set(err, RSIM_ENOMEM, "", "",
					  "out of memory")
			 : err->code;
	}
	dv_block(di, bad, 1, m, &ax[0], f);
	fprintf(f, "\n\n");
	dv_block(di, good, 0, m, &ax[1], f);
	free(m);
	return plot_close_data(f, path, err);
}

/* The variables of delivery.gp. */
static void dv_defs(const struct dv_info *di, int bad, int good,
		    const char *data, const struct dv_axes ax[2],
		    struct plot_text *t)
{
	char name[16];
	int i;

	plot_gp_str(t, "data", data);
	plot_gp_str(t, "title", di->scenario);
	plot_gp_num(t, "reps", di->replications);
	plot_gp_str(t, "bad", di->rel[bad]);
	/* "bad" and "good" only when one release failed more than another */
	plot_gp_num(t, "known", dv_badness(di, bad, DV_APP_ERROR) >
				dv_badness(di, good, DV_APP_ERROR) ||
			dv_badness(di, bad, DV_NEW_FAILED) >
				dv_badness(di, good, DV_NEW_FAILED));
	plot_gp_str(t, "good", di->rel[good]);
	plot_gp_num(t, "nv", di->n_variants);
	plot_gp_num(t, "logy", ax[0].logy);
	for (i = 0; i < 2; i++) {
		snprintf(name, sizeof(name), "xhi%d", i);
		plot_gp_num(t, name, ax[i].xhi);
		snprintf(name, sizeof(name), "ylo%d", i);
		plot_gp_num(t, name, ax[i].ylo);
		snprintf(name, sizeof(name), "yhi%d", i);
		plot_gp_num(t, name, ax[i].yhi);
		if (ax[i].gone[0])
			plot_gp_stri(t, "gone", i, ax[i].gone);
	}
}

int plot_delivery(const struct plotter *pl, struct rsim_error *err)
{
	struct plot_text t = PLOT_TEXT_INIT;
	char data[PLOT_PATH_MAX];
	struct dv_axes ax[2];
	struct dv_info di;
	int rc, bad, good;

	memset(&di, 0, sizeof(di));
	rc = dv_read_plan(&di, pl->dir, err);
	if (!rc)
		rc = sweep_summary_read(pl->dir, dv_row, &di, err);
	if (!rc && di.has_exposure && di.n_variants > 0 && di.n_rel > 0) {
		dv_pick(&di, &bad, &good);
		rc = dv_data(pl, &di, bad, good, data, ax, err);
		if (!rc) {
			dv_defs(&di, bad, good, data, ax, &t);
			rc = plot_render(pl, "delivery", "delivery", &t, err);
		}
	}
	strbuf_release(&t.sb);
	free(di.pts);
	free(di.variants);
	cJSON_Delete(di.root);
	return rc;
}
