/* test_analysis.c - the analysis arithmetic: a metric's value over a
 * window, thresholdRange, and Argo's assessMetricStatus
 * (argo-rollouts analysis/analysis.go) over a metric's measurements.
 * Expected values are worked out by hand from those rules.
 */
#include <math.h>
#include <string.h>

#include <criterion/criterion.h>

#include "models/deployment.h"
#include "models/prog_impl.h"

static struct metric_config metric(enum metric_kind k)
{
	struct metric_config m;

	metric_config_defaults(&m);
	m.kind = k;
	return m;
}

Test(analysis, success_and_error_rate_in_percent)
{
	struct metric_config s = metric(METRIC_SUCCESS_RATE);
	struct metric_config e = metric(METRIC_ERROR_RATE);
	struct hist h;
	int nd;

	hist_init(&h);
	/* 200 answered, 6 failed: 194/200 = 97 %, 6/200 = 3 % */
	cr_expect_float_eq(analysis_measure(&s, 200, 6, &h, &nd), 97.0, 1e-9);
	cr_expect_eq(nd, 0);
	cr_expect_float_eq(analysis_measure(&e, 200, 6, &h, &nd), 3.0, 1e-9);
	cr_expect_eq(nd, 0);
}

Test(analysis, too_few_requests_is_no_data)
{
	struct metric_config s = metric(METRIC_SUCCESS_RATE);
	struct hist h;
	int nd;

	hist_init(&h);
	analysis_measure(&s, 0, 0, &h, &nd);
	cr_expect_eq(nd, 1, "no request at all");
	s.min_requests = 10;
	analysis_measure(&s, 9, 0, &h, &nd);
	cr_expect_eq(nd, 1, "9 < minRequests 10");
	analysis_measure(&s, 10, 0, &h, &nd);
	cr_expect_eq(nd, 0, "10 = minRequests");
}

Test(analysis, latency_quantiles_in_ms)
{
	struct metric_config p99 = metric(METRIC_LATENCY_P99);
	struct metric_config p50 = metric(METRIC_LATENCY_P50);
	struct hist h;
	double v;
	int i, nd;

	hist_init(&h);
	/* no ok request: a latency has no data even with requests */
	analysis_measure(&p99, 5, 5, &h, &nd);
	cr_expect_eq(nd, 1);
	/* 98 requests of 10 ms and 2 of 800 ms: the 99th percentile is
	 * 800 ms, the median 10 ms (within the histogram's bucket width) */
	for (i = 0; i < 98; i++)
		hist_add(&h, 10e6);
	hist_add(&h, 800e6);
	hist_add(&h, 800e6);
	v = analysis_measure(&p99, 100, 0, &h, &nd);
	cr_expect_eq(nd, 0);
	cr_expect(fabs(v - 800) / 800 < 0.05, "p99 %g ms", v);
	v = analysis_measure(&p50, 100, 0, &h, &nd);
	cr_expect(fabs(v - 10) / 10 < 0.05, "p50 %g ms", v);
}

Test(analysis, threshold_range_bounds_are_inclusive)
{
	struct metric_config m = metric(METRIC_SUCCESS_RATE);

	m.has_min = 1;
	m.min = 99;
	cr_expect(analysis_in_range(&m, 99.0));
	cr_expect(!analysis_in_range(&m, 98.99));
	m.has_max = 1;
	m.max = 99.5;
	cr_expect(analysis_in_range(&m, 99.5));
	cr_expect(!analysis_in_range(&m, 99.51));
	m.has_min = m.has_max = 0;
	cr_expect(analysis_in_range(&m, -1e9), "no range: always within");
}

static enum analysis_phase phase(const struct metric_config *m, int measured,
				 int failed, int inconclusive, int cerr)
{
	struct analysis_metric_run x;

	memset(&x, 0, sizeof(x));
	x.measured = measured;
	x.failed = failed;
	x.inconclusive = inconclusive;
	x.consecutive_errors = cerr;
	return analysis_metric_phase(m, &x);
}

Test(analysis, failure_limit_counts_failures_beyond_it)
{
	struct metric_config m = metric(METRIC_SUCCESS_RATE);

	m.count = 5;
	/* failureLimit 0 (the default): the first failure fails */
	cr_expect_eq(phase(&m, 1, 1, 0, 0), ANALYSIS_FAILED);
	m.failure_limit = 1;
	cr_expect_eq(phase(&m, 2, 1, 0, 0), ANALYSIS_RUNNING);
	cr_expect_eq(phase(&m, 3, 2, 0, 0), ANALYSIS_FAILED);
	/* a negative limit disables the check: count reached, Successful */
	m.failure_limit = -1;
	cr_expect_eq(phase(&m, 5, 5, 0, 0), ANALYSIS_SUCCESSFUL);
}

Test(analysis, failed_wins_over_count_reached)
{
	struct metric_config m = metric(METRIC_SUCCESS_RATE);

	m.count = 3;
	m.failure_limit = 0;
	/* the third measurement failed: Failed is checked first */
	cr_expect_eq(phase(&m, 3, 1, 0, 0), ANALYSIS_FAILED);
	cr_expect_eq(phase(&m, 3, 0, 0, 0), ANALYSIS_SUCCESSFUL);
	cr_expect_eq(phase(&m, 2, 0, 0, 0), ANALYSIS_RUNNING);
}

Test(analysis, inconclusive_and_error_limits)
{
	struct metric_config m = metric(METRIC_SUCCESS_RATE);

	m.count = 10;
	cr_expect_eq(phase(&m, 1, 0, 1, 0), ANALYSIS_INCONCLUSIVE,
		     "inconclusiveLimit 0: one is too many");
	m.inconclusive_limit = 2;
	cr_expect_eq(phase(&m, 2, 0, 2, 0), ANALYSIS_RUNNING);
	/* consecutiveErrorLimit 4 (default): the fifth error in a row */
	cr_expect_eq(phase(&m, 4, 0, 0, 4), ANALYSIS_RUNNING);
	cr_expect_eq(phase(&m, 5, 0, 0, 5), ANALYSIS_ERROR);
}

Test(analysis, no_count_runs_until_stopped)
{
	struct metric_config m = metric(METRIC_SUCCESS_RATE);

	m.count = 0;
	cr_expect_eq(phase(&m, 1000, 0, 0, 0), ANALYSIS_RUNNING);
	/* no interval and no count: one measurement decides */
	m.interval_ns = 0;
	cr_expect_eq(phase(&m, 1, 0, 0, 0), ANALYSIS_SUCCESSFUL);
}
