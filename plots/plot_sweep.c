/* plot_sweep.c - the charts of a sweep directory (plot_impl.h): the
 * duration heatmap over maxSurge x maxUnavailable, the trade-off of mean
 * duration against mean failed requests, bars per variant; from
 * sweep.json and summary.csv, both read through their owners in
 * sim/sweep.
 */
#include "plot_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/alloc.h"
#include "sim/sweep/sweep_json.h"
#include "sim/sweep/sweep_summary.h"

static const char path_surge[] = "deployment.strategy.rollingUpdate.maxSurge";
static const char path_unavail[] =
	"deployment.strategy.rollingUpdate.maxUnavailable";

struct sw_point {
	int variant;                /* index into variants, -1 none */
	int valid;                  /* the loader accepted it */
	int ix, iy;                 /* heatmap cell, -1: not on the grid */
	char label[160];            /* vary values, " / " between */
	char group[240];            /* heatmap panel: variant, other values */
	double dur_mean, dur_ci95;  /* rollout.duration_s, s */
	int dur_n;                  /* runs that completed */
	double fail_mean, fail_ci95;     /* requests.failed per run */
	double total_mean;          /* requests.total per run */
	double res_surge, res_unavail;   /* as resolved (summary.csv means) */
};

struct sweep_info {
	cJSON *root;                /* sweep.json, owned */
	const cJSON *vary;          /* plan.vary (path -> list), borrowed */
	const char *scenario;
	double replications;        /* as sweep.json says (NaN: absent) */
	int n_vary;
	int n_variants;
	const char **variants;      /* names: array owned, names borrowed */
	int k_surge, k_unavail;     /* their vary index, -1 when not varied */
	double grid_min_s;          /* least and greatest mean duration on */
	double grid_max_s;          /* the heatmap grid, s (NaN: none) */
	int n_points;
	struct sw_point *pts;       /* owned */
};

void plot_value_text(const cJSON *v, char *out, size_t n)
{
	char *txt;

	if (cJSON_IsString(v)) {
		snprintf(out, n, "%s", v->valuestring);
		return;
	}
	txt = cJSON_PrintUnformatted(v);
	snprintf(out, n, "%s", txt ? txt : "?");
	free(txt);
}

/* The last component of a dotted path: "maxSurge". */
static const char *short_name(const char *path)
{
	const char *dot = strrchr(path, '.');

	return dot ? dot + 1 : path;
}

static int list_index(const cJSON *list, const cJSON *v)
{
	const cJSON *c;
	int i = 0;

	cJSON_ArrayForEach(c, list) {
		if (cJSON_Compare(c, v, 1))
			return i;
		i++;
	}
	return -1;
}

/* Label, heatmap cell and group of one point of plan.points. */
static void point_describe(const struct sweep_info *si, const cJSON *values,
			   struct sw_point *p)
{
	const cJSON *list;
	char v[64];
	int i = 0;

	p->ix = p->iy = -1;
	p->label[0] = p->group[0] = '\0';
	if (p->variant >= 0)
		plot_appendf(p->group, sizeof(p->group), "variant %s",
			si->variants[p->variant]);
	cJSON_ArrayForEach(list, si->vary) {
		const cJSON *val = cJSON_GetObjectItemCaseSensitive(values,
							     list->string);

		plot_value_text(val, v, sizeof(v));
		plot_appendf(p->label, sizeof(p->label), "%s%s",
			     i ? " / " : "", v);
		if (i == si->k_surge)
			p->ix = list_index(list, val);
		else if (i == si->k_unavail)
			p->iy = list_index(list, val);
		else
			plot_appendf(p->group, sizeof(p->group), "%s%s = %s",
				p->group[0] ? ", " : "",
				short_name(list->string), v);
		i++;
	}
}

static int variant_index(const struct sweep_info *si, const cJSON *name)
{
	int i;

	for (i = 0; cJSON_IsString(name) && i < si->n_variants; i++)
		if (strcmp(si->variants[i], name->valuestring) == 0)
			return i;
	return -1;
}

static int read_points(struct sweep_info *si, const cJSON *plan)
{
	const cJSON *pts =
		cJSON_GetObjectItemCaseSensitive(plan, SWEEP_PLAN_POINTS);
	const cJSON *e;
	int i = 0;

	si->n_points = cJSON_GetArraySize(pts);
	si->pts = rsim_calloc((size_t)si->n_points + 1, sizeof(*si->pts));
	if (!si->pts)
		return RSIM_ENOMEM;
	cJSON_ArrayForEach(e, pts) {
		struct sw_point *p = &si->pts[i++];

		p->variant = variant_index(si, cJSON_GetObjectItemCaseSensitive(
			e, SWEEP_POINT_VARIANT));
		p->valid = cJSON_IsTrue(
			cJSON_GetObjectItemCaseSensitive(e, SWEEP_POINT_VALID));
		point_describe(si, cJSON_GetObjectItemCaseSensitive(e,
							SWEEP_POINT_VALUES),
			       p);
		p->dur_mean = p->dur_ci95 = p->fail_mean = NO_VALUE;
		p->fail_ci95 = p->total_mean = NO_VALUE;
		p->res_surge = p->res_unavail = NO_VALUE;
	}
	return 0;
}

/* The plan of dir's sweep.json, as sim/sweep reads it, with its vary
 * lists (path -> values). */
static int read_plan(struct sweep_info *si, const char *dir,
		     struct rsim_error *err)
{
	const cJSON *plan, *v, *c;
	int i = 0;

	if (!(si->root = sweep_read_plan(dir, err)))
		return err->code;
	plan = si->root;
	si->vary = cJSON_GetObjectItemCaseSensitive(plan, SWEEP_PLAN_VARY);
	if (!cJSON_IsObject(si->vary))
		return rsim_error_set(err, RSIM_EINPUT, dir, "",
				      SWEEP_JSON_FILE ": not the sweep.json of "
				      "rollsim sweep (no plan.vary)");
	si->scenario = plot_json_str(plan, SWEEP_PLAN_SCENARIO);
	/* shown only */
	si->replications = plot_json_num(plan, SWEEP_PLAN_REPLICATIONS);
	si->k_surge = si->k_unavail = -1;
	cJSON_ArrayForEach(c, si->vary) {
		if (strcmp(c->string, path_surge) == 0)
			si->k_surge = i;
		if (strcmp(c->string, path_unavail) == 0)
			si->k_unavail = i;
		i++;
	}
	si->n_vary = i;
	v = cJSON_GetObjectItemCaseSensitive(plan, SWEEP_PLAN_VARIANTS);
	si->variants = rsim_calloc((size_t)cJSON_GetArraySize(v) + 1,
			      sizeof(*si->variants));
	if (!si->variants)
		return rsim_error_set(err, RSIM_ENOMEM, "", "",
				      "out of memory");
	cJSON_ArrayForEach(c, v)
		if (cJSON_IsString(c))
			si->variants[si->n_variants++] = c->valuestring;
	if (read_points(si, plan))
		return rsim_error_set(err, RSIM_ENOMEM, "", "",
				      "out of memory");
	return 0;
}

/* One summary.csv row: the numbers the plots show of its point. */
static int summary_row(void *ctx, const struct sweep_summary_row *r)
{
	struct sweep_info *si = ctx;
	struct sw_point *p;

	if (r->point < 0 || r->point >= si->n_points)
		return 0;
	p = &si->pts[r->point];
	if (strcmp(r->metric, "rollout.duration_s") == 0) {
		p->dur_n = r->n;
		p->dur_mean = r->stat[SWEEP_STAT_MEAN];
		p->dur_ci95 = r->stat[SWEEP_STAT_CI95];
	} else if (strcmp(r->metric, "requests.failed") == 0) {
		p->fail_mean = r->stat[SWEEP_STAT_MEAN];
		p->fail_ci95 = r->stat[SWEEP_STAT_CI95];
	} else if (strcmp(r->metric, "requests.total") == 0) {
		p->total_mean = r->stat[SWEEP_STAT_MEAN];
	} else if (strcmp(r->metric, "deployment.max_surge") == 0) {
		p->res_surge = r->stat[SWEEP_STAT_MEAN];
	} else if (strcmp(r->metric, "deployment.max_unavailable") == 0) {
		p->res_unavail = r->stat[SWEEP_STAT_MEAN];
	}
	return 0;
}

/* ---------------------------------------------------- sweep: heatmap */

/* The least and greatest resolved value of the points of group whose
 * value on axis k (0 maxSurge, 1 maxUnavailable) is the i-th of its list;
 * 0 when no such point ran. */
static int resolved_range(const struct sweep_info *si, const char *group,
			  int k, int i, double *lo, double *hi)
{
	int j, n = 0;

	for (j = 0; j < si->n_points; j++) {
		const struct sw_point *p = &si->pts[j];
		double v = k ? p->res_unavail : p->res_surge;

		if ((k ? p->iy : p->ix) != i || !p->valid || !isfinite(v) ||
		    strcmp(p->group, group) != 0)
			continue;
		*lo = n && *lo < v ? *lo : v;
		*hi = n && *hi > v ? *hi : v;
		n++;
	}
	return n > 0;
}

/* The tic label of a vary value: a percentage with the number of pods
 * it resolved to ("25% → 2"; "25% → 0 to 1" when the points of the
 * column differ), anything else as it is. */
static void tic_label(const struct sweep_info *si, const char *group, int k,
		      int i, const cJSON *c, char *out, size_t n)
{
	double lo, hi;
	char v[64];

	plot_value_text(c, v, sizeof(v));
	if (!cJSON_IsString(c) || !strchr(v, '%') ||
	    !resolved_range(si, group, k, i, &lo, &hi))
		snprintf(out, n, "%s", v);
	else if (lo == hi)
		snprintf(out, n, "%s \u2192 %.0f", v, lo);
	else
		snprintf(out, n, "%s \u2192 %.0f to %.0f", v, lo, hi);
}

/* Tic labels of the vary list of axis k (0 maxSurge, 1 maxUnavailable):
 * prefix0='0'; prefix1='25% → 2'; ..., each also as a comment line
 * "# prefix I LABEL" of the cell table f. */
static int gp_list(struct plot_text *t, const struct sweep_info *si,
		   const char *group, int k, const char *prefix, FILE *f)
{
	const cJSON *list = cJSON_GetArrayItem(si->vary,
					       k ? si->k_unavail : si->k_surge);
	const cJSON *c;
	char v[96];
	int i = 0;

	cJSON_ArrayForEach(c, list) {
		tic_label(si, group, k, i, c, v, sizeof(v));
		fprintf(f, "# %s %d %s\n", prefix, i, v);
		plot_gp_stri(t, prefix, i++, v);
	}
	return i;
}

/* Heatmap cell rows of the points of one group: ix iy mean ci95 n
 * status (1 a mean, 0 invalid, 2 no run completed). */
static int heatmap_data(const struct sweep_info *si, const char *group,
			const char *path, FILE *f, struct rsim_error *err)
{
	int i;

	fprintf(f, "# ix iy mean_duration_s ci95_s n status\n");
	for (i = 0; i < si->n_points; i++) {
		const struct sw_point *p = &si->pts[i];
		int status = !p->valid ? 0 : isfinite(p->dur_mean) ? 1 : 2;

		if (p->ix < 0 || p->iy < 0 || strcmp(p->group, group) != 0)
			continue;
		fprintf(f, "%d %d", p->ix, p->iy);
		plot_data_num(f, status == 1 ? p->dur_mean : NO_VALUE);
		plot_data_num(f, status == 1 ? p->dur_ci95 : NO_VALUE);
		fprintf(f, " %d %d\n", p->dur_n, status);
	}
	return plot_close_data(f, path, err);
}

static int heatmap_one(const struct plotter *pl, const struct sweep_info *si,
		       const char *group, const char *name,
		       struct rsim_error *err)
{
	char path[PLOT_PATH_MAX], file[64];
	struct plot_text t = PLOT_TEXT_INIT;
	FILE *f;
	int rc;

	snprintf(file, sizeof(file), "%s.dat", name);
	if (!(f = plot_open_data(pl, file, path, err)))
		return err->code;
	fprintf(f, "# %s; tic labels:\n", group[0] ? group : "all points");
	plot_gp_num(&t, "nx", gp_list(&t, si, group, 0, "xt", f));
	plot_gp_num(&t, "ny", gp_list(&t, si, group, 1, "yt", f));
	if ((rc = heatmap_data(si, group, path, f, err))) {
		strbuf_release(&t.sb);
		return rc;
	}
	plot_gp_str(&t, "data", path);
	plot_gp_str(&t, "title", si->scenario);
	plot_gp_str(&t, "group", group);
	plot_gp_str(&t, "xname", short_name(path_surge));
	plot_gp_str(&t, "yname", short_name(path_unavail));
	plot_gp_num(&t, "reps", si->replications);
	plot_gp_num(&t, "cbmin", isfinite(si->grid_min_s) ? si->grid_min_s : 0);
	plot_gp_num(&t, "cbmax", isfinite(si->grid_max_s) ? si->grid_max_s : 1);
	rc = plot_render(pl, name, "heatmap", &t, err);
	strbuf_release(&t.sb);
	return rc;
}

static int first_of_group(const struct sweep_info *si, int i)
{
	int j;

	for (j = 0; j < i; j++)
		if (strcmp(si->pts[j].group, si->pts[i].group) == 0)
			return 0;
	return 1;
}

/* One heatmap per group (variant and the values of other vary paths):
 * heatmap, or heatmap_1, heatmap_2, ... when there are several. */
static int plot_heatmaps(const struct plotter *pl, struct sweep_info *si,
			 struct rsim_error *err)
{
	int i, n_groups = 0, k = 0, rc = 0;
	char name[32];

	si->grid_min_s = si->grid_max_s = NO_VALUE;
	for (i = 0; i < si->n_points; i++) {
		const struct sw_point *p = &si->pts[i];

		n_groups += first_of_group(si, i);
		if (p->ix < 0 || p->iy < 0 || !p->valid ||
		    !isfinite(p->dur_mean))
			continue;
		if (!(p->dur_mean >= si->grid_min_s))
			si->grid_min_s = p->dur_mean;
		if (!(p->dur_mean <= si->grid_max_s))
			si->grid_max_s = p->dur_mean;
	}
	for (i = 0; !rc && i < si->n_points; i++) {
		if (!first_of_group(si, i))
			continue;
		if (n_groups > 1)
			snprintf(name, sizeof(name), "heatmap_%d", ++k);
		else
			snprintf(name, sizeof(name), "heatmap");
		rc = heatmap_one(pl, si, si->pts[i].group, name, err);
	}
	return rc;
}

/* Valid points with a mean duration (dur) or a mean of failed requests
 * (!dur). */
static int count_means(const struct sweep_info *si, int dur)
{
	int i, n = 0;

	for (i = 0; i < si->n_points; i++)
		n += si->pts[i].valid && isfinite(dur ? si->pts[i].dur_mean
						      : si->pts[i].fail_mean);
	return n;
}

static int has_traffic(const struct sweep_info *si)
{
	int i;

	for (i = 0; i < si->n_points; i++)
		if (si->pts[i].valid && si->pts[i].total_mean > 0)
			return 1;
	return 0;
}

/* --------------------------------------------------- sweep: trade-off */

static int n_blocks(const struct sweep_info *si)
{
	return si->n_variants > 0 ? si->n_variants : 1;
}

static int in_block(const struct sw_point *p, int v, int n_variants)
{
	return p->valid && (n_variants == 0 || p->variant == v);
}

/* One block per variant (gnuplot's index): point dur ci95 fail ci95. */
static int tradeoff_data(const struct plotter *pl, const struct sweep_info *si,
			 char *path, struct rsim_error *err)
{
	FILE *f = plot_open_data(pl, "tradeoff.dat", path, err);
	int v, i;

	if (!f)
		return err->code;
	for (v = 0; v < n_blocks(si); v++) {
		fprintf(f, "%s# %s: point dur_mean_s dur_ci95_s fail_mean "
			"fail_ci95\n", v ? "\n\n" : "",
			si->n_variants ? si->variants[v] : "all points");
		fprintf(f, "-1 NaN NaN NaN NaN\n");   /* no block is empty */
		for (i = 0; i < si->n_points; i++) {
			const struct sw_point *p = &si->pts[i];

			if (!in_block(p, v, si->n_variants))
				continue;
			fprintf(f, "%d", i);
			plot_data_num(f, p->dur_mean);
			plot_data_num(f, p->dur_ci95);
			plot_data_num(f, p->fail_mean);
			plot_data_num(f, p->fail_ci95);
			fputc('\n', f);
		}
	}
	return plot_close_data(f, path, err);
}

/* The text beside point i: its vary values, or its variant's name. */
static const char *point_text(const struct sweep_info *si, int i)
{
	const struct sw_point *p = &si->pts[i];

	if (si->n_vary > 0 || p->variant < 0)
		return p->label;
	return si->variants[p->variant];
}

static int labelled(const struct sw_point *p)
{
	return p->valid && isfinite(p->dur_mean) && isfinite(p->fail_mean);
}

static int same_spot(const struct sw_point *a, const struct sw_point *b)
{
	return a->valid && a->dur_mean == b->dur_mean &&
	       a->fail_mean == b->fail_mean;
}

/* Point j is labelled: no earlier point on its spot has its text. */
static int first_text(const struct sweep_info *si, int j)
{
	int i;

	for (i = 0; i < j; i++)
		if (same_spot(&si->pts[i], &si->pts[j]) &&
		    strcmp(point_text(si, i), point_text(si, j)) == 0)
			return 0;
	return 1;
}

/* Rows x y k "text": the k-th distinct text on one spot (stacked there
 * by the script). Returns the largest k + 1 via *nk. */
static void labels_direct(const struct sweep_info *si, FILE *f, int *nk)
{
	int i, j, k, dup;

	for (i = 0; i < si->n_points; i++) {
		const struct sw_point *p = &si->pts[i];

		if (!labelled(p))
			continue;
		for (j = k = dup = 0; j < i; j++)
			if (same_spot(&si->pts[j], p)) {
				dup |= strcmp(point_text(si, j),
					      point_text(si, i)) == 0;
				k += first_text(si, j);
			}
		if (dup)
			continue;
		fprintf(f, "%.10g %.10g %d ", p->dur_mean, p->fail_mean, k);
		plot_data_label(f, point_text(si, i));
		fputc('\n', f);
		*nk = k + 1 > *nk ? k + 1 : *nk;
	}
}

/* A spot of the trade-off chart with every point on it. */
struct spot {
	double x, y;                /* mean duration (s), mean failed */
	char text[240];             /* their texts, "; " between */
};

/* The text of point i in the table: with its variant when the colour
 * alone would have to tell it. */
static void table_text(const struct sweep_info *si, int i, char *out,
		       size_t n)
{
	const struct sw_point *p = &si->pts[i];

	if (si->n_vary > 0 && p->variant >= 0)
		snprintf(out, n, "%s: %s", si->variants[p->variant], p->label);
	else
		snprintf(out, n, "%s", point_text(si, i));
}

/* The distinct spots, sorted by x then y; returns their number. */
static int collect_spots(const struct sweep_info *si, struct spot *sp)
{
	struct spot tmp;
	char txt[200];
	int i, j, n = 0;

	for (i = 0; i < si->n_points; i++) {
		if (!labelled(&si->pts[i]) || !first_text(si, i))
			continue;
		for (j = 0; j < n && !(sp[j].x == si->pts[i].dur_mean &&
				       sp[j].y == si->pts[i].fail_mean); j++)
			;
		if (j == n) {
			sp[n].x = si->pts[i].dur_mean;
			sp[n].y = si->pts[i].fail_mean;
			sp[n++].text[0] = '\0';
		}
		table_text(si, i, txt, sizeof(txt));
		plot_appendf(sp[j].text, sizeof(sp[j].text), "%s%s",
			sp[j].text[0] ? "; " : "", txt);
	}
	for (i = 1; i < n; i++)          /* insertion sort: n is small */
		for (j = i; j > 0 && (sp[j].x < sp[j - 1].x ||
			(sp[j].x == sp[j - 1].x && sp[j].y < sp[j - 1].y)); j--) {
			tmp = sp[j];
			sp[j] = sp[j - 1];
			sp[j - 1] = tmp;
		}
	return n;
}

/* The axes' spans as tradeoff.gp draws them (15 % headroom). */
static void spans(const struct spot *sp, int n, double *xs, double *ys)
{
	int i;

	*xs = *ys = 0;
	for (i = 0; i < n; i++) {
		*xs = fmax(*xs, sp[i].x);
		*ys = fmax(*ys, sp[i].y);
	}
	*xs = *xs > 0 ? 1.15 * *xs : 1;
	*ys = *ys > 0 ? 1.15 * *ys : 1;
}

/* Two spots so close that texts beside them would overlap: within 15 %
 * of the x axis and 8 % of the y axis (a text is about that big). */
static int crowded(const struct spot *sp, int n)
{
	double xs, ys;
	int i, j;

	spans(sp, n, &xs, &ys);
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (fabs(sp[i].x - sp[j].x) < 0.15 * xs &&
			    fabs(sp[i].y - sp[j].y) < 0.08 * ys)
				return 1;
	return 0;
}

/* Numbered spots: spots closer than 3.5 % of the axes share one label
 * ("3", "3,4" or "3-6", numbered left to right); the table of numbers
 * and texts goes to gnuplot as tt0, tt1, ... */
static void labels_table(const struct spot *sp, int n, FILE *f,
			 struct plot_text *t)
{
	double xs, ys;
	char tt[300];
	int i, c;

	spans(sp, n, &xs, &ys);
	xs *= 0.035;
	ys *= 0.035;
	for (c = 0; c < n; c = i) {
		for (i = c + 1; i < n && fabs(sp[i].x - sp[c].x) < xs &&
		     fabs(sp[i].y - sp[c].y) < ys; i++)
			;
		fprintf(f, "%.10g %.10g 0 \"%d%s", sp[c].x, sp[c].y, c + 1,
			i - c > 1 ? (i - c > 2 ? "-" : ",") : "");
		if (i - c > 1)
			fprintf(f, "%d", i);
		fprintf(f, "\"\n");
	}
	for (i = 0; i < n; i++) {
		snprintf(tt, sizeof(tt), "%d: %s", i + 1, sp[i].text);
		plot_gp_stri(t, "tt", i, tt);
	}
	plot_gp_num(t, "ntab", n);
}

/* Direct labels for a handful of spots, else numbers and a table. */
static int tradeoff_labels(const struct plotter *pl,
			   const struct sweep_info *si, char *path,
			   struct plot_text *t, struct rsim_error *err)
{
	FILE *f = plot_open_data(pl, "tradeoff_labels.dat", path, err);
	struct spot *sp = rsim_malloc(((size_t)si->n_points + 1) * sizeof(*sp));
	int n, nk = 1;

	if (!f || !sp) {
		free(sp);
		if (f)
			fclose(f);
		return f ? rsim_error_set(err, RSIM_ENOMEM, "", "",
					  "out of memory")
			 : err->code;
	}
	fprintf(f, "# dur_mean_s fail_mean stack \"label\"\n");
	n = collect_spots(si, sp);
	if (n <= 6 && !crowded(sp, n))
		labels_direct(si, f, &nk);
	else
		labels_table(sp, n, f, t);
	plot_gp_num(t, "nk", nk);
	free(sp);
	return plot_close_data(f, path, err);
}

/* "maxSurge / maxUnavailable": what the vary labels list. */
static void vary_names(const struct sweep_info *si, char *out, size_t n)
{
	const cJSON *c;

	out[0] = '\0';
	cJSON_ArrayForEach(c, si->vary)
		plot_appendf(out, n, "%s%s", out[0] ? " / " : "",
			short_name(c->string));
}

/* nv and the variant names vn0, ...; "(invalid)" after a variant none
 * of whose points the loader accepted. */
static void gp_variants(struct plot_text *t, const struct sweep_info *si)
{
	char name[256];
	int v, i, valid;

	plot_gp_num(t, "nv", n_blocks(si));
	for (v = 0; v < si->n_variants; v++) {
		for (i = valid = 0; i < si->n_points; i++)
			valid |= si->pts[i].variant == v && si->pts[i].valid;
		snprintf(name, sizeof(name), "%s%s", si->variants[v],
			 valid ? "" : " (invalid)");
		plot_gp_stri(t, "vn", v, name);
	}
}

static int plot_tradeoff(const struct plotter *pl, const struct sweep_info *si,
			 struct rsim_error *err)
{
	char data[PLOT_PATH_MAX], labels[PLOT_PATH_MAX], names[200];
	char note[256];
	struct plot_text t = PLOT_TEXT_INIT;
	int rc;

	if ((rc = tradeoff_data(pl, si, data, err)) ||
	    (rc = tradeoff_labels(pl, si, labels, &t, err))) {
		strbuf_release(&t.sb);
		return rc;
	}
	plot_gp_str(&t, "data", data);
	plot_gp_str(&t, "labels", labels);
	plot_gp_str(&t, "title", si->scenario);
	plot_gp_num(&t, "reps", si->replications);
	plot_gp_num(&t, "has_traffic", has_traffic(si));
	plot_gp_num(&t, "nvalid", count_means(si, 1));
	gp_variants(&t, si);
	vary_names(si, names, sizeof(names));
	if (si->n_vary > 0) {
		snprintf(note, sizeof(note), "labels: %s", names);
		plot_gp_str(&t, "labelnote", note);
	}
	rc = plot_render(pl, "tradeoff", "tradeoff", &t, err);
	strbuf_release(&t.sb);
	return rc;
}

/* ---------------------------------------------------- sweep: variants */

/* The vary combinations in order of first appearance: groups[i] is the
 * first point with that label; returns their number. */
static int label_groups(const struct sweep_info *si, int *groups)
{
	int i, j, n = 0;

	for (i = 0; i < si->n_points; i++) {
		for (j = 0; j < n; j++)
			if (strcmp(si->pts[groups[j]].label,
				   si->pts[i].label) == 0)
				break;
		if (j == n)
			groups[n++] = i;
	}
	return n;
}

static int group_of(const struct sweep_info *si, const int *groups, int n,
		    int i)
{
	int g;

	for (g = 0; g < n; g++)
		if (strcmp(si->pts[groups[g]].label, si->pts[i].label) == 0)
			return g;
	return 0;
}

/* One bar row: x dur ci95 fail ci95 width status n. */
static void bar_row(FILE *f, const struct sw_point *p, double x, double w)
{
	int status = !p->valid ? 0 : isfinite(p->dur_mean) ? 1 : 2;

	fprintf(f, "%.6g", x);
	plot_data_num(f, p->valid ? p->dur_mean : NO_VALUE);
	plot_data_num(f, p->valid ? p->dur_ci95 : NO_VALUE);
	plot_data_num(f, p->valid ? p->fail_mean : NO_VALUE);
	plot_data_num(f, p->valid ? p->fail_ci95 : NO_VALUE);
	fprintf(f, " %g %d %d\n", w, status, p->dur_n);
}

/* Bar positions: one bar per variant, x = variant (no vary) or grouped
 * around x = vary combination; one block per variant. */
static int variants_data(const struct plotter *pl, const struct sweep_info *si,
			 const int *groups, int ng, char *path,
			 struct rsim_error *err)
{
	FILE *f = plot_open_data(pl, "variants.dat", path, err);
	double w = ng > 1 ? 0.8 / si->n_variants : 0.7;
	int v, i;

	if (!f)
		return err->code;
	for (v = 0; v < si->n_variants; v++) {
		fprintf(f, "%s# %s: x dur_mean_s dur_ci95_s fail_mean "
			"fail_ci95 width status n\n", v ? "\n\n" : "",
			si->variants[v]);
		fprintf(f, "%d NaN NaN NaN NaN %g 3 0\n", ng > 1 ? 0 : v, w);
		for (i = 0; i < si->n_points; i++)
			if (si->pts[i].variant == v)
				bar_row(f, &si->pts[i], ng > 1
					? group_of(si, groups, ng, i) +
					  (v - (si->n_variants - 1) / 2.0) * w
					: v, w);
	}
	return plot_close_data(f, path, err);
}

static void gp_tics(struct plot_text *t, const struct sweep_info *si,
		    const int *groups, int ng)
{
	char name[200];
	int i, n = ng > 1 ? ng : si->n_variants;

	plot_gp_num(t, "nt", n);
	for (i = 0; i < n; i++) {
		plot_gp_stri(t, "tl", i, ng > 1 ? si->pts[groups[i]].label
					   : si->variants[i]);
		snprintf(name, sizeof(name), "tp%d", i);
		plot_gp_num(t, name, i);
	}
	vary_names(si, name, sizeof(name));
	plot_gp_str(t, "xname", ng > 1 ? name : "variant");
	plot_gp_num(t, "showkey", ng > 1);
}

static int plot_variants(const struct plotter *pl, const struct sweep_info *si,
			 struct rsim_error *err)
{
	char data[PLOT_PATH_MAX];
	struct plot_text t = PLOT_TEXT_INIT;
	int *groups = rsim_malloc(((size_t)si->n_points + 1) * sizeof(*groups));
	int ng, rc;

	if (!groups)
		return rsim_error_set(err, RSIM_ENOMEM, "", "",
				      "out of memory");
	ng = label_groups(si, groups);
	rc = variants_data(pl, si, groups, ng, data, err);
	if (!rc) {
		plot_gp_str(&t, "data", data);
		plot_gp_str(&t, "title", si->scenario);
		plot_gp_num(&t, "reps", si->replications);
		plot_gp_num(&t, "has_traffic", has_traffic(si));
		plot_gp_num(&t, "ndur", count_means(si, 1));
		plot_gp_num(&t, "nfail", count_means(si, 0));
		gp_variants(&t, si);
		gp_tics(&t, si, groups, ng);
		rc = plot_render(pl, "variants", "variants", &t, err);
	}
	free(groups);
	strbuf_release(&t.sb);
	return rc;
}

int plot_sweep(const struct plotter *pl, struct rsim_error *err)
{
	struct sweep_info si;
	int rc;

	memset(&si, 0, sizeof(si));
	rc = read_plan(&si, pl->dir, err);
	if (!rc)
		rc = sweep_summary_read(pl->dir, summary_row, &si, err);
	if (!rc && si.k_surge >= 0 && si.k_unavail >= 0)
		rc = plot_heatmaps(pl, &si, err);
	if (!rc)
		rc = plot_tradeoff(pl, &si, err);
	if (!rc && si.n_variants > 0)
		rc = plot_variants(pl, &si, err);
	if (!rc)
		rc = plot_delivery(pl, err);
	free(si.pts);
	free(si.variants);
	cJSON_Delete(si.root);
	return rc;
}
