/* test_sweep_stats.c - the statistics of summary.csv (sim/sweep/sweep_summary.c).
 *
 * A sweep plan is built by hand (4 valid points and an invalid one, one
 * vary path, 10 replications) with runs.csv rows whose metric columns hold
 * textbook numbers in rollout.duration_s and pods.max_total and nothing
 * elsewhere; sweep_write must put into summary.csv, for every point and
 * metric: n, mean, sd (n - 1), the 95 % half-width t(0.975, n - 1) sd /
 * sqrt(n), min, max, and the same for the paired differences against the
 * baseline over the replications both points have.
 *
 * Expected values: computed outside the program with mpmath at 50 digits
 * (the t quantile by root-finding on the regularized incomplete beta,
 * cross-checked with the closed forms of Abramowitz & Stegun 26.7.3 and
 * 26.7.4: t(0.975, 7) = 2.36462425159278534, t(0.975, 8) =
 * 2.30600413520416668, t(0.975, 9) = 2.26215716279820554). summary.csv
 * prints 9 decimals, so values are compared to 1e-9 relative plus half a
 * unit of the 9th decimal.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "sim/sweep/sweep_out.h"

#define REPS 10
#define N_POINTS 5          /* 0..3 valid, 4 invalid */
#define NA ((double)NAN)    /* an empty field */

/* rollout.duration_s by point and replication (NA: empty column);
 * point 2 has no row at all for replication 3. */
static const double dur[4][REPS] = {
	{ 41.2, 38.7, 45.1, 40.0, 39.4, 43.8, 42.5, 37.9, 44.6, 41.3 },
	{ 36.5, 35.2, 40.8, 36.1, 34.0, 39.9, 38.3, 33.6, 40.2, 37.0 },
	{ 30.1, 29.4, 33.0, NA, 28.7, 32.2, NA, 27.5, 33.9, 30.6 },
	{ 12.25, NA, NA, NA, NA, NA, NA, NA, NA, NA },
};

/* pods.max_total: the baseline lacks replication 6. */
static const double maxt[4][REPS] = {
	{ 13, 13, 12, 13, 14, 13, NA, 13, 12, 13 },
	{ 11, 12, 11, 11, 11, 12, 11, 11, 12, 11 },
	{ 10, 10, 11, NA, 10, 10, 10, 11, 10, 10 },
	{ 9, NA, NA, NA, NA, NA, NA, NA, NA, NA },
};

static int has_row(int point, int rep)
{
	if (point == 4)
		return 0;                    /* invalid: never run */
	if (point == 2 && rep == 3)
		return 0;                    /* not run (e.g. another shard) */
	if (point == 3 && rep > 0)
		return 0;
	return 1;
}

struct expect {
	const char *name;
	int baseline, point;
	const char *metric;
	int n;
	double mean, sd, ci95, min, max;
	int dn;
	double dmean, dsd, dci95;
};

/* mpmath, 17 significant digits */
static const struct expect table[] = {
	{ "textbook n = 10 (baseline itself)", 0, 0, "rollout.duration_s",
	  10, 41.45, 2.5038858688934774, 1.7911720480753079, 37.9, 45.1,
	  10, 0, 0, 0 },
	{ "second point, all pairs", 0, 1, "rollout.duration_s",
	  10, 37.16, 2.5687004928995171, 1.8375376369659204, 33.6, 40.8,
	  10, -4.29, 0.51088159097779203, 0.36546267423924406 },
	{ "a missing row and an empty field", 0, 2, "rollout.duration_s",
	  8, 30.675, 2.2063220850222986, 1.8445314229323291, 27.5, 33.9,
	  8, -10.825, 0.83280935908011299, 0.69624604792000556 },
	{ "one value: no sd", 0, 3, "rollout.duration_s",
	  1, 12.25, NA, NA, 12.25, 12.25, 1, -28.95, NA, NA },
	{ "baseline lacks a replication (itself)", 0, 0, "pods.max_total",
	  9, 12.888888888888889, 0.60092521257733155, 0.46191200838392316,
	  12, 14, 9, 0, 0, 0 },
	{ "baseline lacks a replication: 9 pairs", 0, 1, "pods.max_total",
	  10, 11.3, 0.48304589153964795, 0.34555021441364394, 11, 12,
	  9, -1.5555555555555556, 0.88191710368819686, 0.67790149600408794 },
	{ "both lack one: 8 pairs", 0, 2, "pods.max_total",
	  9, 10.222222222222222, 0.44095855184409843, 0.33895074800204397,
	  10, 11, 8, -2.625, 0.91612538131290429, 0.76589998561358529 },
	{ "one value, one pair", 0, 3, "pods.max_total",
	  1, 9, NA, NA, 9, 9, 1, -4, NA, NA },
	{ "empty metric", 0, 1, "requests.latency_ms.p99",
	  0, NA, NA, NA, NA, NA, 0, NA, NA, NA },
	{ "empty metric (baseline)", 0, 0, "requests.latency_ms.p99",
	  0, NA, NA, NA, NA, NA, 0, NA, NA, NA },
	/* the same rows with point 1 as the baseline */
	{ "baseline 1: point 0", 1, 0, "rollout.duration_s",
	  10, 41.45, 2.5038858688934774, 1.7911720480753079, 37.9, 45.1,
	  10, 4.29, 0.51088159097779203, 0.36546267423924406 },
	{ "baseline 1: itself", 1, 1, "rollout.duration_s",
	  10, 37.16, 2.5687004928995171, 1.8375376369659204, 33.6, 40.8,
	  10, 0, 0, 0 },
	{ "baseline 1: point 2", 1, 2, "rollout.duration_s",
	  8, 30.675, 2.2063220850222986, 1.8445314229323291, 27.5, 33.9,
	  8, -6.475, 0.86808492013824809, 0.72573715498683284 },
	{ "baseline 1: point 3", 1, 3, "rollout.duration_s",
	  1, 12.25, NA, NA, 12.25, 12.25, 1, -24.25, NA, NA },
	{ "baseline 1: max_total of point 0", 1, 0, "pods.max_total",
	  9, 12.888888888888889, 0.60092521257733155, 0.46191200838392316,
	  12, 14, 9, 1.5555555555555556, 0.88191710368819686,
	  0.67790149600408794 },
	{ "baseline 1: max_total of point 2", 1, 2, "pods.max_total",
	  9, 10.222222222222222, 0.44095855184409843, 0.33895074800204397,
	  10, 11, 9, -1.1111111111111111, 0.78173595997057159,
	  0.600895452109979 },
};

/* ------------------------------------------------------------ fixture */

static int metric_index(const struct sweep_metrics *mx, const char *name)
{
	int i;

	for (i = 0; i < mx->n; i++)
		if (strcmp(mx->names[i], name) == 0)
			return i;
	cr_assert_fail("no metric column %s", name);
	return -1;
}

static void num(char *buf, size_t n, double v)
{
	if (isnan(v))
		buf[0] = '\0';
	else
		snprintf(buf, n, "%.17g", v);
}

/* "run,point,variant,<vary>,replication,seed,<metrics>" */
static char *make_row(const struct sweep_metrics *mx, int point, int rep,
		      int k_dur, int k_max)
{
	size_t cap = 64 + (size_t)mx->n * 32;
	char *row = malloc(cap), v[40];
	size_t len;
	int k;

	cr_assert_not_null(row);
	len = (size_t)snprintf(row, cap, "%d,%d,,%d,%d,1", point * REPS + rep,
			       point, 5 + point, rep);
	for (k = 0; k < mx->n; k++) {
		v[0] = '\0';
		if (k == k_dur)
			num(v, sizeof(v), dur[point][rep]);
		else if (k == k_max)
			num(v, sizeof(v), maxt[point][rep]);
		len += (size_t)snprintf(row + len, cap - len, ",%s", v);
	}
	return row;
}

static void build_plan(struct sweep_plan *p, int baseline)
{
	int i;

	memset(p, 0, sizeof(*p));
	snprintf(p->file, sizeof(p->file), "hand-made.json");
	snprintf(p->name, sizeof(p->name), "stats");
	p->seed = 1;
	p->replications = REPS;
	p->n_vary = 1;
	p->vary_paths = calloc(1, sizeof(char *));
	cr_assert_not_null(p->vary_paths);
	p->vary_paths[0] = strdup("deployment.replicas");
	p->points = calloc(N_POINTS, sizeof(*p->points));
	cr_assert_not_null(p->points);
	p->n_points = N_POINTS;
	for (i = 0; i < N_POINTS; i++) {
		p->points[i].variant = -1;
		p->points[i].values = cJSON_CreateArray();
		cJSON_AddItemToArray(p->points[i].values,
				     cJSON_CreateNumber(5 + i));
		p->points[i].valid = i < 4;
		world_config_init(&p->points[i].cfg);
	}
	snprintf(p->points[4].error, sizeof(p->points[4].error), "invalid");
	p->baseline = baseline;
	p->plan_json = cJSON_CreateObject();
	cJSON_AddStringToObject(p->plan_json, "scenario", "stats");
}

/* Writes the sweep into a fresh directory; returns it (malloc'ed). */
static char *write_sweep(int baseline, const struct sweep_metrics *mx,
			 int complete)
{
	char tmpl[] = "/tmp/rollsim-stats-XXXXXX";
	char *dir = mkdtemp(tmpl);
	char *rows[N_POINTS * REPS] = { 0 };
	struct sweep_plan p;
	struct rsim_error err = { 0 };
	int k_dur = metric_index(mx, "rollout.duration_s");
	int k_max = metric_index(mx, "pods.max_total");
	int pt, r, rc;

	cr_assert_not_null(dir);
	build_plan(&p, baseline);
	for (pt = 0; pt < N_POINTS; pt++)
		for (r = 0; r < REPS; r++)
			if (has_row(pt, r))
				rows[pt * REPS + r] = make_row(mx, pt, r, k_dur,
							       k_max);
	rc = sweep_write(dir, &p, mx, rows, 1, 1, complete, &err);
	cr_assert_eq(rc, 0, "sweep_write: %s %s", err.file, err.msg);
	for (r = 0; r < N_POINTS * REPS; r++)
		free(rows[r]);
	sweep_plan_release(&p);
	return strdup(dir);
}

static char *slurp(const char *dir, const char *name)
{
	char path[1200];
	FILE *f;
	char *text = NULL;
	size_t cap = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	cr_assert_not_null(f, "cannot read %s", path);
	cr_assert(getdelim(&text, &cap, '\0', f) >= 0);
	fclose(f);
	return text;
}

static void rmrf(const char *dir)
{
	static const char *const files[] = { "runs.csv", "summary.csv",
					     "sweep.json" };
	char path[1200];
	size_t i;

	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

/* Splits at commas keeping empty fields (summary.csv here has no
 * quoted fields); returns the count. */
static int split(char *line, char **f, int max)
{
	int n = 0;

	f[n++] = line;
	for (; *line && n < max; line++)
		if (*line == ',') {
			*line = '\0';
			f[n++] = line + 1;
		}
	return n;
}

static void check_number(const char *row, const char *col, const char *got,
			 double want)
{
	double v;
	char *end;

	if (isnan(want)) {
		cr_expect_str_empty(got, "%s: %s: expected empty, got %s", row,
				    col, got);
		return;
	}
	v = strtod(got, &end);
	cr_expect(end != got && *end == '\0', "%s: %s: not a number: \"%s\"",
		  row, col, got);
	cr_expect(fabs(v - want) <= 1e-9 * fabs(want) + 5.000001e-10,
		  "%s: %s: got %s, expected %.17g", row, col, got, want);
}

/* The summary.csv line of (point, metric), split; NULL if absent. */
static char *find_line(char *text, int point, const char *metric, char **f)
{
	char *save = NULL, *line, *copy = strdup(text);
	char pfx[32];

	snprintf(pfx, sizeof(pfx), "%d,", point);
	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, pfx, strlen(pfx)) != 0)
			continue;
		if (split(line, f, 32) == 14 && strcmp(f[3], metric) == 0)
			return copy;
	}
	free(copy);
	return NULL;
}

static const char summary_header[] =
	"point,variant,deployment.replicas,metric,n,mean,sd,ci95,min,max,"
	"diff_n,diff_mean,diff_sd,diff_ci95\n";

static const char runs_header[] =
	"run,point,variant,deployment.replicas,replication,seed,";

/* ------------------------------------------------------------ tests */

Test(sweepstats, summary_against_independent_values)
{
	struct sweep_metrics mx;
	char *dirs[2], *text[2];
	size_t i;
	int b;

	cr_assert_eq(sweep_metrics_init(&mx), 0);
	for (b = 0; b < 2; b++) {
		dirs[b] = write_sweep(b, &mx, 1);
		text[b] = slurp(dirs[b], "summary.csv");
		cr_assert(strncmp(text[b], summary_header,
				  strlen(summary_header)) == 0,
			  "header: %.200s", text[b]);
	}
	for (i = 0; i < sizeof(table) / sizeof(*table); i++) {
		const struct expect *e = &table[i];
		char *f[32], *copy, nbuf[16];

		copy = find_line(text[e->baseline], e->point, e->metric, f);
		cr_assert_not_null(copy, "%s: no line for point %d, %s",
				   e->name, e->point, e->metric);
		cr_expect_str_eq(f[1], "", "%s: variant", e->name);
		snprintf(nbuf, sizeof(nbuf), "%d", 5 + e->point);
		cr_expect_str_eq(f[2], nbuf, "%s: vary value", e->name);
		snprintf(nbuf, sizeof(nbuf), "%d", e->n);
		cr_expect_str_eq(f[4], nbuf, "%s: n", e->name);
		check_number(e->name, "mean", f[5], e->mean);
		check_number(e->name, "sd", f[6], e->sd);
		check_number(e->name, "ci95", f[7], e->ci95);
		check_number(e->name, "min", f[8], e->min);
		check_number(e->name, "max", f[9], e->max);
		snprintf(nbuf, sizeof(nbuf), "%d", e->dn);
		cr_expect_str_eq(f[10], nbuf, "%s: diff_n", e->name);
		check_number(e->name, "diff_mean", f[11], e->dmean);
		check_number(e->name, "diff_sd", f[12], e->dsd);
		check_number(e->name, "diff_ci95", f[13], e->dci95);
		free(copy);
	}
	for (b = 0; b < 2; b++) {
		free(text[b]);
		rmrf(dirs[b]);
		free(dirs[b]);
	}
	sweep_metrics_release(&mx);
}

/* One line per valid point and metric, in point then metric order; the
 * invalid point has none. */
Test(sweepstats, summary_lines_per_valid_point_and_metric)
{
	struct sweep_metrics mx;
	char *dir, *text, *save = NULL, *line, want[300];
	int n = 0, pt, k;

	cr_assert_eq(sweep_metrics_init(&mx), 0);
	dir = write_sweep(0, &mx, 1);
	text = slurp(dir, "summary.csv");
	line = strtok_r(text, "\n", &save);            /* header */
	for (pt = 0; pt < 4; pt++)
		for (k = 0; k < mx.n; k++) {
			line = strtok_r(NULL, "\n", &save);
			cr_assert_not_null(line, "summary.csv ends at line %d",
					   n + 2);
			snprintf(want, sizeof(want), "%d,,%d,%s,", pt, 5 + pt,
				 mx.names[k]);
			cr_assert(strncmp(line, want, strlen(want)) == 0,
				  "line %d: %.100s, expected %s...", n + 2, line,
				  want);
			n++;
		}
	cr_assert_null(strtok_r(NULL, "\n", &save), "extra lines");
	free(text);
	rmrf(dir);
	free(dir);
	sweep_metrics_release(&mx);
}

/* runs.csv: the header, then the given rows in run order (missing ones
 * left out); sweep.json counts them. */
Test(sweepstats, runs_csv_and_sweep_json)
{
	struct sweep_metrics mx;
	char *dir, *text, *save = NULL, *line, want[64];
	int pt, r, n = 0;
	cJSON *js;

	cr_assert_eq(sweep_metrics_init(&mx), 0);
	dir = write_sweep(0, &mx, 0);
	text = slurp(dir, "runs.csv");
	line = strtok_r(text, "\n", &save);
	cr_assert(strncmp(line, runs_header, strlen(runs_header)) == 0,
		  "%.80s", line);
	for (pt = 0; pt < N_POINTS; pt++)
		for (r = 0; r < REPS; r++) {
			if (!has_row(pt, r))
				continue;
			line = strtok_r(NULL, "\n", &save);
			cr_assert_not_null(line);
			snprintf(want, sizeof(want), "%d,%d,,%d,%d,1,",
				 pt * REPS + r, pt, 5 + pt, r);
			cr_assert(strncmp(line, want, strlen(want)) == 0,
				  "%.60s, expected %s", line, want);
			n++;
		}
	cr_assert_null(strtok_r(NULL, "\n", &save));
	free(text);
	text = slurp(dir, "sweep.json");
	js = cJSON_Parse(text);
	cr_assert_not_null(js);
	cr_expect_eq(cJSON_GetNumberValue(cJSON_GetObjectItem(js,
			 "runs_done")), (double)n);
	cr_expect(cJSON_IsFalse(cJSON_GetObjectItem(js, "complete")));
	cr_expect(cJSON_IsNull(cJSON_GetObjectItem(js, "shard")));
	cr_expect_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(
		cJSON_GetObjectItem(js, "plan"), "scenario")), "stats");
	cJSON_Delete(js);
	free(text);
	rmrf(dir);
	free(dir);
	sweep_metrics_release(&mx);
}

/* The metrics runs.csv may leave empty (--resume and merge refuse an
 * empty cell elsewhere): the keys report_summary.c writes as null, read
 * off its code: add_seconds of a time that did not happen (the rollout's
 * trigger, completion and duration), success_ratio without requests and
 * latency_ms.* without a successful response, for the whole run and for
 * requests.during_rollout; exposure.new_share without requests and the
 * delivery times (from the first rollout's trigger: none here). */
Test(sweepstats, nullable_metrics_are_the_keys_summary_json_can_null)
{
	static const char *const want[] = {
		"rollout.triggered_s", "rollout.completed_s",
		"rollout.duration_s", "requests.success_ratio",
		"requests.latency_ms.mean", "requests.latency_ms.p50",
		"requests.latency_ms.p90", "requests.latency_ms.p99",
		"requests.latency_ms.max",
		"requests.during_rollout.success_ratio",
		"requests.during_rollout.latency_ms.mean",
		"requests.during_rollout.latency_ms.p50",
		"requests.during_rollout.latency_ms.p90",
		"requests.during_rollout.latency_ms.p99",
		"requests.during_rollout.latency_ms.max",
		"exposure.new_share", "delivery.time_to_promote_s",
		"delivery.time_to_detect_s", "delivery.time_to_rollback_s",
	};
	struct sweep_metrics mx;
	size_t i, n = sizeof(want) / sizeof(*want), found = 0;
	int32_t k;

	cr_assert_eq(sweep_metrics_init(&mx), 0);
	for (k = 0; k < mx.n; k++) {
		int listed = 0;

		for (i = 0; i < n; i++)
			listed |= strcmp(mx.names[k], want[i]) == 0;
		cr_expect_eq(mx.nullable[k], listed, "%s: nullable %d",
			     mx.names[k], mx.nullable[k]);
		found += (size_t)listed;
	}
	cr_expect_eq(found, n, "%zu of the %zu keys are metrics", found, n);
	sweep_metrics_release(&mx);
}
