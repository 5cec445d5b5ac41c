/* test_agg_agree.c - traffic.mode "aggregate" agrees in distribution with
 * the per-request mode, for every shipped scenario with traffic.
 *
 * For each scenario file (the .json files of scenarios/ and of
 * scenarios/lessons/NN-name/, not answers.json) the base scenario
 * (`--set sweep=null`: no vary, no variants, one point) is run as R replications in each mode through
 * `rollsim sweep --replications R --jobs 2`, and summary.csv's mean and
 * ci95 (the half-width of the Student t 95 % interval, t(0.975, R - 1)
 * sd / sqrt(R)) are compared per metric: requests.total, requests.failed,
 * requests.errors.<cause> for the six causes, and requests.latency_ms
 * p50, p90, p99. The criterion: the two intervals overlap,
 * |m1 - m2| <= h1 + h2; when both have zero width the means are equal.
 *
 * Multiple comparisons. For one comparison of two equal-variance means
 * with R = 30 the overlap rule rejects a true H0 with probability about
 * 0.006 (the difference must exceed about 2.9 of its standard errors).
 * There are about a hundred non-trivial comparisons, so demanding that
 * all of them overlap would fail a correct implementation roughly one
 * time in two. The test therefore fails when
 *   - two zero-width intervals differ (no randomness can explain that), or
 *   - one difference is beyond FAR_FACTOR (1.5) times h1 + h2 (about 4.3
 *     standard errors: p ~ 2e-5 each, ~2e-3 for the family), or
 *   - more intervals fail to overlap than Binomial(K, P_OVERLAP_FAIL)
 *     allows at level 1e-3 (K = the comparisons with some width).
 * Replications share seeds between the modes (sweep run numbers): the
 * pod lifecycle may then be positively correlated across modes, which
 * makes the unpaired overlap rule conservative; a bias in the traffic
 * model itself is what it looks for. Seeds are not tuned.
 *
 * It also asserts that the aggregate mode was used where it should be, so
 * the comparison cannot pass vacuously: requests.aggregated is 0 in
 * per-request mode and for scenarios with a global fallback (keep-alive,
 * retries.count > 0, a load balancing other than random, constant
 * arrivals, a progressive strategy), and > 0 for the others whose pods
 * are clearly far from capacity in steady state (Erlang-B blocking of
 * replicas pods sharing a rate of the scenario below 1e-7, computed here
 * from the loaded scenario; aggregate_expected).
 *
 * Time: about 40 s on 2 cores in the plain pass. Under the sanitizer
 * passes of `make test` (ASAN_OPTIONS or UBSAN_OPTIONS set by the
 * Makefile, or an ASan build) a reduced run: 2 scenarios, 10
 * replications. ROLLSIM_AGG_REPS overrides R (all scenarios), and
 * ROLLSIM_AGG_TABLE=FILE writes the table of every comparison as
 * Markdown (tools/agg-agree.sh).
 */
#include <criterion/criterion.h>
#include <glob.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/deployment.h"
#include "models/world.h"
#include "sim/core/dist.h"
#include "sim/scenario/scenario.h"
#include "tests/cli/cli_util.h"

#define P_OVERLAP_FAIL 0.006   /* overlap rule's false-alarm rate, R = 30 */
#define COUNT_LEVEL    1e-3    /* family level for the count of misses */
#define FAR_FACTOR     1.5

static const char *const metrics[] = {
	"requests.total", "requests.failed",
	"requests.errors.no_endpoint", "requests.errors.refused",
	"requests.errors.overload", "requests.errors.timeout",
	"requests.errors.reset", "requests.errors.app_error",
	"requests.latency_ms.p50", "requests.latency_ms.p90",
	"requests.latency_ms.p99",
};
#define NMETRIC (sizeof(metrics) / sizeof(metrics[0]))

/* Lesson files that are invalid on purpose (the lesson shows the error). */
static const char *const invalid_by_design[] = {
	"scenarios/lessons/02-rounding/both-zero-literal.json",
};

/* Reduced run under sanitizers. */
static const char *const reduced_set[] = {
	"scenarios/flask-app.json",
	"scenarios/lessons/06-shutdown/no-prestop.json",
};

struct stat_row {
	int n;
	double mean, ci95;
};

static int sanitized(void)
{
#if defined(__SANITIZE_ADDRESS__)
	return 1;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
	return 1;
#endif
#endif
	return getenv("ASAN_OPTIONS") || getenv("UBSAN_OPTIONS");
}

/* The row of `metric` of point 0 in DIR/summary.csv; n = -1 if absent. */
static struct stat_row summary_row(const char *csv, const char *metric)
{
	struct stat_row r = { -1, (double)NAN, (double)NAN };
	size_t ml = strlen(metric);
	const char *line = csv;

	while (line && *line) {
		/* point,variant,metric,n,mean,sd,ci95,... (no vary columns) */
		const char *p = strchr(line, ',');
		const char *q = p ? strchr(p + 1, ',') : NULL;
		if (q && strncmp(line, "0,", 2) == 0
		    && strncmp(q + 1, metric, ml) == 0 && q[1 + ml] == ',') {
			double sd;
			if (sscanf(q + 1 + ml, ",%d,%lf,%lf,%lf", &r.n, &r.mean,
				   &sd, &r.ci95) != 4) {
				/* empty cells: no value in any run */
				r.n = 0;
			}
			return r;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return r;
}

/* Runs the sweep of one mode; returns summary.csv (malloc'ed) or NULL
 * with *why set. */
static char *run_mode(const char *file, const char *mode, int reps,
		      const char *dir, char *why, size_t whyn)
{
	struct cli_result res;
	char args[2048], path[1200];
	long n;

	snprintf(args, sizeof(args),
		 "sweep '%s' --replications %d --jobs 2 --out '%s/%s' --quiet"
		 " --set sweep=null --set traffic.mode=%s",
		 file, reps, dir, mode, mode);
	cli_run(&res, args);
	if (res.status != 0) {
		snprintf(why, whyn, "%s: %s mode: exit %d: %.300s", file, mode,
			 res.status, res.err ? res.err : "");
		cli_result_free(&res);
		return NULL;
	}
	cli_result_free(&res);
	snprintf(path, sizeof(path), "%s/%s/summary.csv", dir, mode);
	return cli_slurp(path, &n);
}

/* 1 when the scenario's traffic must fall back to per-request as a
 * whole (the contract's global fallbacks). */
static int global_fallback(const struct world_config *c)
{
	const struct traffic_config *t = &c->traffic;

	return c->deployment.strategy == STRATEGY_CANARY
	       || c->deployment.strategy == STRATEGY_BLUE_GREEN
	       || c->deployment.strategy == STRATEGY_FLAGGER
	       || t->arrivals != ARRIVALS_POISSON || t->lb != LB_RANDOM
	       || t->retries > 0 || t->keep_alive;
}

/* Erlang-B blocking B(a, c) by the stable recursion. */
static double erlang_b(double a, int32_t c)
{
	double b = 1.0;

	for (int32_t k = 1; k <= c; k++)
		b = a * b / ((double)k + a * b);
	return b;
}

/* Some stretch must be aggregated when, by an estimate independent of
 * the mode's code, all `replicas` pods of the first template up and
 * splitting one of the scenario's rates evenly are far from capacity
 * with a margin: blocking B < FAR_MARGIN, a tenth of the mode's threshold
 * (1e-6). Warm-up only delays that, so it is ignored. Returns the
 * smallest such B (1 when there is none). */
#define FAR_MARGIN 1e-7
static double steady_blocking(const struct world_config *c)
{
	const struct traffic_config *t = &c->traffic;
	struct image_config img;
	double es, best = HUGE_VAL;

	if (c->deployment.image < 0 || c->deployment.replicas < 1)
		return 1;
	image_config_apply(&img, &c->images[c->deployment.image],
			   &c->deployment.tmpl);
	es = dist_mean_ns(&img.service_time) * 1e-9 * img.service_time_factor;
	if (t->rate_per_s > 0)
		best = t->rate_per_s;
	for (size_t i = 0; i < t->n_schedule; i++)
		if (t->schedule[i].rate_per_s > 0)
			best = fmin(best, t->schedule[i].rate_per_s);
	if (!isfinite(best))
		return 1;
	return erlang_b(best / c->deployment.replicas * es, img.concurrency);
}

/* The report: every comparison, one line each. */
static char *report;
static size_t report_len, report_cap;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;
	int k;

	for (;;) {
		va_start(ap, fmt);
		k = vsnprintf(report + report_len, report_cap - report_len,
			      fmt, ap);
		va_end(ap);
		if (k >= 0 && report_len + (size_t)k < report_cap)
			break;
		report_cap = 2 * report_cap + (size_t)k + 1024;
		report = realloc(report, report_cap);
		cr_assert_not_null(report);
	}
	report_len += (size_t)k;
}

static int listed(const char *file, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(file, list[i]) == 0)
			return 1;
	return 0;
}

Test(agg_agree, aggregate_matches_per_request_in_distribution,
     .timeout = 900)
{
	const char *env_reps = getenv("ROLLSIM_AGG_REPS");
	const char *table = getenv("ROLLSIM_AGG_TABLE");
	int reduced = sanitized() && !env_reps;
	int reps = env_reps ? atoi(env_reps) : reduced ? 10 : 30;
	char *dir = cli_tmpdir();
	glob_t g;
	int k_width = 0, misses = 0, hard = 0, scen = 0;
	FILE *md = NULL;

	cr_assert(reps >= 2, "ROLLSIM_AGG_REPS must be >= 2");
	cr_assert_not_null(dir);
	report_cap = 1 << 16;
	report_len = 0;
	report = malloc(report_cap);
	cr_assert_not_null(report);
	report[0] = '\0';
	if (table) {
		md = fopen(table, "w");
		cr_assert_not_null(md, "cannot write %s", table);
		fprintf(md, "| scenario | metric | per-request mean ± hw |"
			    " aggregate mean ± hw | overlap |\n"
			    "|---|---|---|---|---|\n");
	}

	cr_assert_eq(glob("scenarios/*.json", 0, NULL, &g), 0);
	cr_assert_eq(glob("scenarios/lessons/*/*.json", GLOB_APPEND, NULL, &g),
		     0);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		const char *file = g.gl_pathv[i];
		const char *base = strrchr(file, '/') + 1;
		char why[600], sub[1300];
		char *csv[2];
		struct world_config cfg;
		struct rsim_error err;
		int fallback, expect;
		double blocking;

		if (strcmp(base, "answers.json") == 0
		    || listed(file, invalid_by_design,
			      sizeof(invalid_by_design) / sizeof(char *)))
			continue;
		if (reduced && !listed(file, reduced_set,
				       sizeof(reduced_set) / sizeof(char *)))
			continue;
		world_config_init(&cfg);
		cr_assert_eq(scenario_load_with_sets(file, NULL, 0, &cfg, &err), 0,
			     "%s: %s: %s", file, err.path, err.msg);
		if (!cfg.traffic.enabled
		    || (cfg.traffic.rate_per_s <= 0
			&& cfg.traffic.n_schedule == 0)) {
			world_config_release(&cfg);
			continue;          /* no traffic: nothing to compare */
		}
		fallback = global_fallback(&cfg);
		blocking = steady_blocking(&cfg);
		expect = !fallback && blocking < FAR_MARGIN;
		world_config_release(&cfg);

		snprintf(sub, sizeof(sub), "%s/%zu", dir, i);
		csv[0] = run_mode(file, "per-request", reps, sub, why,
				  sizeof(why));
		cr_assert_not_null(csv[0], "%s", why);
		csv[1] = run_mode(file, "aggregate", reps, sub, why,
				  sizeof(why));
		cr_assert_not_null(csv[1], "%s", why);
		scen++;

		for (size_t m = 0; m < NMETRIC; m++) {
			struct stat_row a = summary_row(csv[0], metrics[m]);
			struct stat_row b = summary_row(csv[1], metrics[m]);
			double d, w, tol;
			const char *verdict;

			cr_assert(a.n >= 0 && b.n >= 0,
				  "%s: %s missing from summary.csv", file,
				  metrics[m]);
			if (a.n < 2 || b.n < 2 || isnan(a.mean)
			    || isnan(b.mean)) {
				/* no value (no request served) in a mode */
				verdict = a.n == b.n ? "n/a" : "MISMATCH";
				if (a.n != b.n)
					hard++;
				goto line;
			}
			d = fabs(a.mean - b.mean);
			w = a.ci95 + b.ci95;
			tol = 1e-9 * fmax(1.0, fabs(a.mean) + fabs(b.mean));
			if (w == 0) {
				verdict = d <= tol ? "equal" : "UNEQUAL";
				if (d > tol)
					hard++;
			} else {
				k_width++;
				if (d <= w + tol) {
					verdict = "yes";
				} else if (d <= FAR_FACTOR * w) {
					verdict = "NO";
					misses++;
				} else {
					verdict = "FAR";
					misses++;
					hard++;
				}
			}
line:
			say("%s %s: per-request %.6g ± %.3g (n %d),"
			    " aggregate %.6g ± %.3g (n %d): %s\n", file,
			    metrics[m], a.mean, a.ci95, a.n, b.mean, b.ci95,
			    b.n, verdict);
			if (md)
				fprintf(md, "| %s | %s | %.6g ± %.3g |"
					    " %.6g ± %.3g | %s |\n", file,
					metrics[m], a.mean, a.ci95, b.mean,
					b.ci95, verdict);
		}

		/* the aggregate mode was used exactly where it should be */
		{
			struct stat_row a = summary_row(csv[0],
							"requests.aggregated");
			struct stat_row b = summary_row(csv[1],
							"requests.aggregated");
			int ok = a.n >= 1 && b.n >= 1 && a.mean == 0
				 && (!fallback || b.mean == 0)
				 && (!expect || b.mean > 0);
			say("%s requests.aggregated: per-request %.6g,"
			    " aggregate %.6g (%s, steady B %.2g): %s\n", file,
			    a.mean, b.mean,
			    fallback ? "global fallback, 0 expected"
			    : expect ? "far pods, > 0 expected"
				     : "pods not clearly far, any",
			    blocking, ok ? "ok" : "WRONG");
			if (!ok)
				hard++;
		}
		free(csv[0]);
		free(csv[1]);
	}
	globfree(&g);
	if (md)
		fclose(md);
	cli_rmrf(dir);
	free(dir);

	{
		/* most misses a correct model gives at level COUNT_LEVEL */
		int allowed = 0;
		while (allowed < k_width
		       && gsl_cdf_binomial_Q((unsigned)allowed, P_OVERLAP_FAIL,
					     (unsigned)k_width) > COUNT_LEVEL)
			allowed++;
		say("%d scenarios, %d replications each mode;"
		    " %d comparisons with width, %d without overlap"
		    " (at most %d allowed), %d hard failures\n", scen, reps,
		    k_width, misses, allowed, hard);
		cr_assert(scen > 0, "no scenario compared");
		cr_expect(hard == 0 && misses <= allowed, "%s", report);
	}
	free(report);
	report = NULL;
}
