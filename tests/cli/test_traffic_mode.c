/* test_traffic_mode.c - traffic.mode ("per-request" or "aggregate"):
 * the key's contract (values, one-line error, --set), summary.json's
 * requests.aggregated, and that a scenario the aggregate path cannot
 * treat exactly (keep-alive, retries, a non-random load balancer,
 * constant arrivals, a progressive strategy) gives, in aggregate mode,
 * the very bytes per-request mode gives for the same seed: the mode
 * changes no random stream, so any difference would be a leak of the
 * aggregate path into a run it must not touch.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"
#include "models/traffic.h"

static const char *const files[] = {
	"timeline.csv", "traffic.csv", "events.log", "pods.csv", "summary.json"
};

static void run_ok(const char *args)
{
	struct cli_result r;

	cli_run(&r, args);
	cr_assert_eq(r.status, 0, "rollsim %s: exit %d: %s", args, r.status,
		     r.err ? r.err : "");
	cli_result_free(&r);
}

static void assert_same_outputs(const char *a, const char *b)
{
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(*files); i++) {
		char pa[1300], pb[1300];
		long na = 0, nb = 0;
		char *x, *y;

		snprintf(pa, sizeof(pa), "%s/%s", a, files[i]);
		snprintf(pb, sizeof(pb), "%s/%s", b, files[i]);
		x = cli_slurp(pa, &na);
		y = cli_slurp(pb, &nb);
		cr_assert(x && y, "%s or %s missing", pa, pb);
		cr_assert(na == nb && memcmp(x, y, (size_t)na) == 0,
			  "%s differs from %s", pa, pb);
		free(x);
		free(y);
	}
}

/* Runs F with SETS once per mode and compares all outputs. */
static void same_in_both_modes(const char *f, const char *sets)
{
	char *d = cli_tmpdir(), args[2048];

	snprintf(args, sizeof(args), "run %s %s --out %s/p", f, sets, d);
	run_ok(args);
	snprintf(args, sizeof(args),
		 "run %s %s --set traffic.mode=aggregate --out %s/a", f, sets,
		 d);
	run_ok(args);
	snprintf(args, sizeof(args), "%s/p", d);
	{
		char b[1300];

		snprintf(b, sizeof(b), "%s/a", d);
		assert_same_outputs(args, b);
	}
	cli_rmrf(d);
	free(d);
}

Test(traffic_mode, an_unknown_mode_is_one_line_of_bad_input)
{
	struct cli_result r;

	cli_run(&r, "run scenarios/flask-app.json --set traffic.mode=fast "
		    "--out /tmp/rollsim-mode-never");
	cr_assert_eq(r.status, 2);
	cr_assert_not_null(strstr(r.err, "traffic.mode: expected "
					 "\"per-request\" or \"aggregate\", "
					 "got \"fast\""), "%s", r.err);
	{
		const char *nl = strchr(r.err, '\n');

		cr_assert(nl && nl[1] == '\0', "not one line: %s", r.err);
	}
	cli_result_free(&r);
	cli_run(&r, "run scenarios/flask-app.json --set traffic.mode=3 "
		    "--out /tmp/rollsim-mode-never");
	cr_assert_eq(r.status, 2, "%s", r.err);
	cli_result_free(&r);
}

/* requests.aggregated exists, is 0 per request, and the totals stay
 * consistent in aggregate mode: total = ok + failed, and traffic.csv's
 * requests column sums to total + unfinished. */
Test(traffic_mode, aggregate_mode_keeps_totals_consistent)
{
	char *d = cli_tmpdir(), args[1400], path[1400];
	const char *mode[2] = { "per-request", "aggregate" };
	int k;

	for (k = 0; k < 2; k++) {
		long n = 0;
		char *s, *csv, *line;
		cJSON *root;
		double total, ok, failed, unfinished, agg, sum = 0;

		snprintf(args, sizeof(args),
			 "run scenarios/flask-app.json --set traffic.mode=%s "
			 "--out %s/%d", mode[k], d, k);
		run_ok(args);
		snprintf(path, sizeof(path), "%s/%d/summary.json", d, k);
		s = cli_slurp(path, &n);
		cr_assert_not_null(s);
		root = cJSON_Parse(s);
		cr_assert_not_null(root);
		total = cli_json_number(root, "requests.total");
		ok = cli_json_number(root, "requests.ok");
		failed = cli_json_number(root, "requests.failed");
		unfinished = cli_json_number(root, "requests.unfinished");
		agg = cli_json_number(root, "requests.aggregated");
		cr_assert(total > 0);
		cr_assert_eq(total, ok + failed);
		cr_assert(agg >= 0 && agg <= total, "aggregated %g", agg);
		if (k == 0)
			cr_assert_eq(agg, 0.0);
		snprintf(path, sizeof(path), "%s/%d/traffic.csv", d, k);
		csv = cli_slurp(path, &n);
		cr_assert_not_null(csv);
		line = strchr(csv, '\n');      /* header: t, requests, ... */
		cr_assert(strncmp(csv, "time_s,requests,", 16) == 0,
			  "%.60s", csv);
		while (line && line[1]) {
			char *comma = strchr(line + 1, ',');

			cr_assert_not_null(comma);
			sum += strtod(comma + 1, NULL);
			line = strchr(line + 1, '\n');
		}
		cr_assert_eq(sum, total + unfinished, "csv %g, summary %g",
			     sum, total + unfinished);
		free(csv);
		cJSON_Delete(root);
		free(s);
	}
	cli_rmrf(d);
	free(d);
}

Test(traffic_mode, aggregate_mode_is_deterministic)
{
	char *d = cli_tmpdir(), a[1400], b[1400], args[1500];

	snprintf(a, sizeof(a), "%s/1", d);
	snprintf(b, sizeof(b), "%s/2", d);
	snprintf(args, sizeof(args), "run scenarios/flask-app.json "
		 "--set traffic.mode=aggregate --out %s", a);
	run_ok(args);
	snprintf(args, sizeof(args), "run scenarios/flask-app.json "
		 "--set traffic.mode=aggregate --out %s", b);
	run_ok(args);
	assert_same_outputs(a, b);
	cli_rmrf(d);
	free(d);
}

Test(traffic_mode, keep_alive_falls_back_to_per_request)
{
	same_in_both_modes("scenarios/failure-long-connections.json",
			   "--set traffic.connections.keepAlive=true");
}

Test(traffic_mode, retries_fall_back_to_per_request)
{
	same_in_both_modes("scenarios/flask-app.json",
			   "--set traffic.retries.count=2");
}

Test(traffic_mode, round_robin_and_least_request_fall_back)
{
	same_in_both_modes("scenarios/flask-app.json",
			   "--set traffic.loadBalancing=roundRobin");
	same_in_both_modes("scenarios/flask-app.json",
			   "--set traffic.loadBalancing=leastRequest");
}

Test(traffic_mode, constant_arrivals_and_progressive_fall_back)
{
	same_in_both_modes("scenarios/flask-app.json",
			   "--set traffic.arrivals=constant");
	same_in_both_modes("scenarios/canary.json", "");
}

/* The reasons, one condition at a time (traffic_agg_fallback). */
Test(traffic_mode, fallback_reasons)
{
	struct traffic_config c;

	traffic_config_defaults(&c);
	c.enabled = 1;
	cr_assert_null(traffic_agg_fallback(&c, 0));
	cr_assert_not_null(traffic_agg_fallback(&c, 1));
	c.keep_alive = 1;
	cr_assert_not_null(traffic_agg_fallback(&c, 0));
	c.keep_alive = 0;
	c.retries = 1;
	cr_assert_not_null(traffic_agg_fallback(&c, 0));
	c.retries = 0;
	c.lb = LB_ROUND_ROBIN;
	cr_assert_not_null(traffic_agg_fallback(&c, 0));
	c.lb = LB_RANDOM;
	c.arrivals = ARRIVALS_CONSTANT;
	cr_assert_not_null(traffic_agg_fallback(&c, 0));
}

/* A steady run with no rollout: 4 pods far from capacity (100 slots,
 * 100 req/s each, exponential service of mean 50 ms: Erlang-B blocking
 * far below 1e-6), 400 req/s for 120 s, timeout 100 ms, errorRate 0.1.
 * In aggregate mode as per request, the numbers must follow M/G/inf
 * theory: arrivals per second Poisson(400) (mean and variance), timeouts
 * a share P(S > T) = e^-2 of the decided requests, app_error a share 0.1
 * of the served, and ok latencies distributed as S given S < T, whose
 * q-quantile is -m ln(1 - q (1 - e^-2)). Bounds are 5 standard errors
 * (plus the histogram's bucket width for quantiles). */
static const char steady[] =
	"{ \"seed\": 7, \"until\": \"140s\",\n"
	"  \"deployment\": { \"name\": \"web\", \"replicas\": 4, "
	"\"image\": \"web:1\" },\n"
	"  \"images\": { \"web:1\": { \"startup\": \"1s\", "
	"\"concurrency\": 100, \"queueCapacity\": 0, \"errorRate\": 0.1,\n"
	"      \"serviceTime\": { \"dist\": \"exponential\", "
	"\"mean\": \"50ms\" } } },\n"
	"  \"traffic\": { \"rate\": 400, \"start\": \"20s\", "
	"\"timeout\": \"100ms\", \"mode\": \"aggregate\" } }\n";

Test(traffic_mode, steady_aggregate_run_matches_mg_inf_theory)
{
	char *d = cli_tmpdir(), path[1300], args[1400];
	char *s, *csv, *line;
	long n = 0;
	cJSON *root;
	double total, unfinished, tmo, app, p50, p90, x, m = 50.0;
	double sum = 0, sum2 = 0, rows = 0, mean, var, pt = exp(-2.0), q;

	snprintf(path, sizeof(path), "%s/steady.json", d);
	cr_assert_eq(cli_write(path, steady), 0);
	snprintf(args, sizeof(args), "run %s --out %s/o", path, d);
	run_ok(args);
	snprintf(path, sizeof(path), "%s/o/summary.json", d);
	s = cli_slurp(path, &n);
	cr_assert_not_null(s);
	root = cJSON_Parse(s);
	cr_assert_not_null(root);
	total = cli_json_number(root, "requests.total");
	unfinished = cli_json_number(root, "requests.unfinished");
	tmo = cli_json_number(root, "requests.errors.timeout");
	app = cli_json_number(root, "requests.errors.app_error");
	p50 = cli_json_number(root, "requests.latency_ms.p50");
	p90 = cli_json_number(root, "requests.latency_ms.p90");
	cr_assert_eq(cli_json_number(root, "requests.errors.overload"), 0.0);
	/* far pods past their start: everything is drawn in aggregate */
	cr_assert_eq(cli_json_number(root, "requests.aggregated"), total);

	x = tmo / total;
	cr_expect(fabs(x - pt) < 5 * sqrt(pt * (1 - pt) / total),
		  "timeout share %g, theory %g", x, pt);
	x = app / (total - tmo);
	cr_expect(fabs(x - 0.1) < 5 * sqrt(0.09 / (total - tmo)),
		  "app_error share %g, theory 0.1", x);
	q = -m * log(1 - 0.5 * (1 - pt));
	cr_expect(fabs(p50 - q) < 1.5, "p50 %g ms, theory %g", p50, q);
	q = -m * log(1 - 0.9 * (1 - pt));
	cr_expect(fabs(p90 - q) < 2.5, "p90 %g ms, theory %g", p90, q);

	snprintf(path, sizeof(path), "%s/o/traffic.csv", d);
	csv = cli_slurp(path, &n);
	cr_assert_not_null(csv);
	for (line = strchr(csv, '\n'); line && line[1];
	     line = strchr(line + 1, '\n')) {
		double k = strtod(strchr(line + 1, ',') + 1, NULL);

		sum += k;
		sum2 += k * k;
		rows++;
	}
	cr_assert_eq(rows, 120);
	cr_assert_eq(sum, total + unfinished);
	mean = sum / rows;
	var = (sum2 - rows * mean * mean) / (rows - 1);
	/* sd of the mean sqrt(400/120); of the sample variance of a
	 * Poisson(400) about sqrt((400 + 2 400^2) / 120) */
	cr_expect(fabs(mean - 400) < 5 * sqrt(400 / rows), "mean %g", mean);
	cr_expect(fabs(var - 400) < 5 * sqrt((400 + 2 * 400.0 * 400) / rows),
		  "variance %g", var);
	free(csv);
	cJSON_Delete(root);
	free(s);
	cli_rmrf(d);
	free(d);
}

/* Every shipped scenario runs in aggregate mode, those without traffic
 * too (a traffic object of nothing but a mode sends no requests). */
Test(traffic_mode, every_shipped_scenario_runs_in_aggregate_mode)
{
	DIR *dir = opendir("scenarios");
	struct dirent *e;
	struct cli_result r;
	char args[600];
	int n = 0;

	cr_assert_not_null(dir);
	while ((e = readdir(dir)) != NULL) {
		size_t len = strlen(e->d_name);

		if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
			continue;
		snprintf(args, sizeof(args), "run 'scenarios/%s' "
			 "--set traffic.mode=aggregate --json", e->d_name);
		cli_run(&r, args);
		cr_expect_eq(r.status, 0, "%s: %s", e->d_name, r.err);
		cr_expect_not_null(strstr(r.out, "\"aggregated\":"), "%s",
				   e->d_name);
		cli_result_free(&r);
		n++;
	}
	closedir(dir);
	cr_assert_gt(n, 20);
}

/* Resets when far pods are killed with requests inside. Recreate with
 * shutdown 0 s: the 4 old pods get SIGTERM and exit at the same instant,
 * each with the requests its clients still wait for: those that arrived
 * within min(V, T) before, Poisson with mean lambda E[min(V, T)] where
 * lambda = 400/4 per s, V exponential of mean m = 50 ms, T = 100 ms:
 * E[min(V, T)] = m (1 - e^-2). Over 20 seeds the mean of the resets is
 * within 5 standard errors of 4 lambda E[min(V, T)] = 17.3, in each mode
 * (the aggregate draws them as binomial shares of the slabs; the
 * per-request mode is the independent check of the same theory). */
static const char recreate[] =
	"{ \"until\": \"90s\",\n"
	"  \"deployment\": { \"name\": \"web\", \"replicas\": 4, "
	"\"image\": \"web:1\", \"strategy\": { \"type\": \"Recreate\" } },\n"
	"  \"images\": {\n"
	"    \"web:1\": { \"startup\": \"1s\", \"shutdown\": \"0s\", "
	"\"concurrency\": 100, \"queueCapacity\": 0,\n"
	"      \"serviceTime\": { \"dist\": \"exponential\", \"mean\": \"50ms\" } },\n"
	"    \"web:2\": { \"startup\": \"1s\", \"shutdown\": \"0s\", "
	"\"concurrency\": 100, \"queueCapacity\": 0,\n"
	"      \"serviceTime\": { \"dist\": \"exponential\", \"mean\": \"50ms\" } } },\n"
	"  \"traffic\": { \"rate\": 400, \"start\": \"20s\", "
	"\"timeout\": \"100ms\" },\n"
	"  \"events\": [ { \"at\": \"60s\", \"action\": \"setImage\", "
	"\"image\": \"web:2\" } ] }\n";

static void resets_match_theory(const char *mode)
{
	char *d = cli_tmpdir(), path[1300], args[1500];
	double sum = 0, agg = 0, total = 0;
	double want = 4 * 100.0 * 0.050 * (1 - exp(-2.0)), n = 20;
	int seed;

	snprintf(path, sizeof(path), "%s/recreate.json", d);
	cr_assert_eq(cli_write(path, recreate), 0);
	for (seed = 1; seed <= (int)n; seed++) {
		struct cli_result r;
		cJSON *root;

		snprintf(args, sizeof(args), "run %s --seed %d --json "
			 "--set traffic.mode=%s", path, seed, mode);
		cli_run(&r, args);
		cr_assert_eq(r.status, 0, "%s", r.err ? r.err : "");
		root = cJSON_Parse(r.out);
		cr_assert_not_null(root);
		sum += cli_json_number(root, "requests.errors.reset");
		agg += cli_json_number(root, "requests.aggregated");
		total += cli_json_number(root, "requests.total");
		cJSON_Delete(root);
		cli_result_free(&r);
	}
	cr_expect(fabs(sum / n - want) < 5 * sqrt(want / n),
		  "%s: mean resets %g, theory %g", mode, sum / n, want);
	if (strcmp(mode, "aggregate") == 0)
		cr_expect(agg > 0.99 * total, "aggregated %g of %g", agg,
			  total);
	cli_rmrf(d);
	free(d);
}

Test(traffic_mode, resets_of_killed_far_pods_match_theory)
{
	resets_match_theory("per-request");
	resets_match_theory("aggregate");
}
