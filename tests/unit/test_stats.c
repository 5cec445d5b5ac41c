/* test_stats.c - the log-bucket histogram (sim/core/stats.c) against exact
 * order statistics.
 *
 * The q-quantile of n values is defined (stats.h) as the smallest value
 * with at least ceil(q n) values <= it, i.e. the order statistic
 * x_(max(1, ceil(q n))) of the sorted values. The histogram reports the
 * geometric middle of that value's bucket (each octave is cut into
 * 2^HIST_SUB_BITS = 128 equal buckets: a bucket spans a ratio of at most
 * 1 + 1/128), clamped to the exact maximum, so the report is within
 * sqrt(1 + 1/128) - 1 = 0.39 % of the exact order statistic (stats.h);
 * the tests allow exactly that (the brief of these tests asked for
 * 0.6 %). The quantile levels are dyadic (k / 1024: q n is exact in
 * double, so ceil(q n) is computed exactly in integers here), plus the
 * decimal levels the program reports (0.5, 0.9, 0.99), whose ranks
 * ceil(q n) are computed from the decimal k / 1000 in integers. (Other
 * decimal levels are not exact in binary: 0.07 is slightly above 7/100,
 * so ceil(0.07 * 100) = 8, correctly for the double given.)
 * Data: the integers 1..100000 ns, 200000 lognormal draws (median 10 ms,
 * sigma 1.5: six decades) sorted exactly, and a few edge cases. The count,
 * the sum (hence the mean) and the maximum are exact: compared with ==.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <gsl/gsl_randist.h>

#include "sim/core/rng.h"
#include "sim/core/stats.h"

#define REL_TOL 0.0039
#define N_INT 100000
#define N_LOGN 200000

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* rank = max(1, ceil(num * n / den)), exactly. */
static uint64_t rank_of(uint64_t num, uint64_t den, uint64_t n)
{
	uint64_t r = (num * n + den - 1) / den;

	return r ? r : 1;
}

/* Checks every dyadic level k / 1024 and the decimal levels of the
 * program against sorted[] (n values, ascending), all added to h: one
 * assertion on the worst relative error, which names its level. */
static void check_quantiles(const struct hist *h, const double *sorted,
			    uint64_t n, const char *name)
{
	static const uint64_t dec[] = { 500, 900, 990 };
	double worst = -1, worst_got = 0, worst_want = 0;
	uint64_t k, num, den, worst_num = 0, worst_den = 1;

	for (k = 0; k <= 1024 + sizeof(dec) / sizeof(*dec); k++) {
		double got, want, err;

		num = k <= 1024 ? k : dec[k - 1025];
		den = k <= 1024 ? 1024 : 1000;
		got = hist_quantile(h, (double)num / (double)den);
		want = sorted[rank_of(num, den, n) - 1];
		err = fabs(got - want) / want;
		if (err > worst) {
			worst = err;
			worst_got = got;
			worst_want = want;
			worst_num = num;
			worst_den = den;
		}
	}
	cr_expect_leq(worst, REL_TOL,
		      "%s: worst quantile q = %llu/%llu: histogram %.9g, exact "
		      "x_(%llu) = %.9g, %.3f %% off (allowed %.2f %%)", name,
		      (unsigned long long)worst_num,
		      (unsigned long long)worst_den, worst_got,
		      (unsigned long long)rank_of(worst_num, worst_den, n),
		      worst_want, 100 * worst, 100 * REL_TOL);
	cr_log_info("%s: worst quantile error %.3f %% at q = %llu/%llu", name,
		    100 * worst, (unsigned long long)worst_num,
		    (unsigned long long)worst_den);
	cr_expect_eq(hist_quantile(h, 1.0), sorted[n - 1],
		     "%s: q = 1 gives %.17g, max %.17g", name,
		     hist_quantile(h, 1.0), sorted[n - 1]);
	cr_expect_eq(h->max, sorted[n - 1], "%s: max %.17g, exact %.17g", name,
		     h->max, sorted[n - 1]);
	cr_expect_eq(h->count, n, "%s: count %llu, expected %llu", name,
		     (unsigned long long)h->count, (unsigned long long)n);
}

Test(stats, integers_quantiles_mean_max)
{
	struct hist *h = malloc(sizeof(*h));
	double *v = malloc(N_INT * sizeof(*v));
	int i;

	cr_assert(h && v);
	hist_init(h);
	for (i = 0; i < N_INT; i++)
		v[i] = i + 1;
	for (i = N_INT - 1; i >= 0; i--)     /* added in descending order */
		hist_add(h, v[i]);
	check_quantiles(h, v, N_INT, "1..100000");
	/* the sum of 1..n is n (n + 1) / 2, exact in double */
	cr_expect_eq(h->sum, 5000050000.0, "sum %.17g", h->sum);
	cr_expect_eq(hist_mean(h), 50000.5, "mean %.17g, exact 50000.5",
		     hist_mean(h));
	free(v);
	free(h);
}

Test(stats, lognormal_sample_quantiles_mean_max)
{
	struct hist *h = malloc(sizeof(*h));
	double *v = malloc(N_LOGN * sizeof(*v)), sum = 0;
	gsl_rng *r = rng_stream_new(20240917, 0, "test-stats");
	int i;

	cr_assert(h && v && r);
	hist_init(h);
	for (i = 0; i < N_LOGN; i++) {
		v[i] = gsl_ran_lognormal(r, log(1e7), 1.5);
		hist_add(h, v[i]);
		sum += v[i];    /* the same additions in the same order */
	}
	cr_expect_eq(h->sum, sum, "sum %.17g, exact %.17g", h->sum, sum);
	cr_expect_eq(hist_mean(h), sum / N_LOGN, "mean %.17g, exact %.17g",
		     hist_mean(h), sum / N_LOGN);
	qsort(v, N_LOGN, sizeof(*v), cmp_double);
	check_quantiles(h, v, N_LOGN, "lognormal");
	gsl_rng_free(r);
	free(v);
	free(h);
}

/* Two halves merged are the histogram of the whole: the same buckets,
 * count, max, quantiles, and the same sum (whole-ns values: exact). */
Test(stats, merge_equals_adding_all)
{
	struct hist *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	struct hist *all = malloc(sizeof(*all));
	gsl_rng *r = rng_stream_new(20240917, 1, "test-stats");
	int i, k;

	cr_assert(a && b && all && r);
	hist_init(a);
	hist_init(b);
	hist_init(all);
	for (i = 0; i < 50000; i++) {
		double x = floor(gsl_ran_lognormal(r, log(1e6), 2.0)) + 1;

		hist_add(i % 3 ? a : b, x);
		hist_add(all, x);
	}
	hist_merge(a, b);
	cr_expect_eq(a->count, all->count);
	cr_expect_eq(a->sum, all->sum, "merged sum %.17g, all %.17g", a->sum,
		     all->sum);
	cr_expect_eq(a->max, all->max, "merged max %.17g, all %.17g", a->max,
		     all->max);
	cr_expect(memcmp(a->bucket, all->bucket, sizeof(a->bucket)) == 0,
		  "merged buckets differ from adding all values");
	for (k = 0; k <= 100; k++)
		cr_expect_eq(hist_quantile(a, k / 100.0),
			     hist_quantile(all, k / 100.0), "q = %d %%", k);
	/* merging an empty histogram changes nothing, into one copies */
	hist_init(b);
	hist_merge(a, b);
	cr_expect_eq(a->count, all->count);
	hist_merge(b, all);
	cr_expect(memcmp(b, all, sizeof(*b)) == 0,
		  "an empty histogram merged with h is not h");
	gsl_rng_free(r);
	free(a);
	free(b);
	free(all);
}

/* Buckets: hist_bucket_low(b) <= v < hist_bucket_low(b + 1) for v from
 * 1 ns to 2^47 ns, increasing, 2^HIST_SUB_BITS buckets per octave (2^e
 * starts bucket e 2^HIST_SUB_BITS). */
Test(stats, bucket_bounds_contain_their_values)
{
	gsl_rng *r = rng_stream_new(20240917, 2, "test-stats");
	int i, b;

	cr_assert_not_null(r);
	for (i = 0; i < 100000; i++) {
		double v = exp2(47 * gsl_rng_uniform(r));

		b = hist_bucket_of(v);
		cr_assert(hist_bucket_low(b) <= v && v < hist_bucket_low(b + 1),
			  "v = %.17g in bucket %d [%.17g, %.17g)", v, b,
			  hist_bucket_low(b), hist_bucket_low(b + 1));
	}
	for (b = 0; b < HIST_BUCKETS - 1; b++) {
		cr_assert_eq(hist_bucket_of(hist_bucket_low(b)), b);
		cr_assert_lt(hist_bucket_low(b), hist_bucket_low(b + 1));
	}
	for (i = 0; i < HIST_OCTAVES; i++)
		cr_assert_eq(hist_bucket_of(ldexp(1, i)), i << HIST_SUB_BITS,
			     "2^%d", i);
	cr_expect_eq(hist_bucket_of(0.25), 0);
	cr_expect_eq(hist_bucket_of(ldexp(1, 60)), HIST_BUCKETS - 1);
	gsl_rng_free(r);
}

/* stats.h: "a bucket spans a ratio of at most 1 + 1/128 and the value
 * reported for a quantile (the bucket's geometric middle) is within
 * 0.39 % of every value in the bucket". Checked on every bucket: its
 * ratio high / low, and the distance of its middle to both ends. */
Test(stats, bucket_resolution_as_documented)
{
	double worst_ratio = 0, worst_mid = 0;
	int b, at_ratio = -1, at_mid = -1;

	for (b = 0; b < HIST_BUCKETS - 1; b++) {
		double lo = hist_bucket_low(b), hi = hist_bucket_low(b + 1);
		double mid = sqrt(lo * hi), e;

		if (hi / lo > worst_ratio) {
			worst_ratio = hi / lo;
			at_ratio = b;
		}
		e = fmax((mid - lo) / lo, (hi - mid) / hi);
		if (e > worst_mid) {
			worst_mid = e;
			at_mid = b;
		}
	}
	cr_expect_leq(worst_ratio, (1 + 1.0 / 128) * (1 + 1e-12),
		      "bucket %d [%.17g, %.17g) spans a ratio of %.6f, "
		      "documented at most 1 + 1/128 = %.6f", at_ratio,
		      hist_bucket_low(at_ratio), hist_bucket_low(at_ratio + 1),
		      worst_ratio, 1 + 1.0 / 128);
	cr_expect_leq(worst_mid, REL_TOL,
		      "the middle of bucket %d is %.3f %% from a value in it, "
		      "documented within 0.39 %%", at_mid, 100 * worst_mid);
}

/* Edge cases: empty, one value, values below 1 ns, q outside [0, 1]. */
Test(stats, edge_cases)
{
	struct hist *h = malloc(sizeof(*h));

	cr_assert_not_null(h);
	hist_init(h);
	cr_expect_eq(hist_quantile(h, 0.5), 0.0);
	cr_expect_eq(hist_mean(h), 0.0);
	hist_add(h, 12345678.0);
	cr_expect_eq(hist_quantile(h, 0), 12345678.0,
		     "one value: q = 0 clamped to the max, got %.17g",
		     hist_quantile(h, 0));
	cr_expect_eq(hist_quantile(h, 0.5), 12345678.0);
	cr_expect_eq(hist_quantile(h, 2), 12345678.0);
	cr_expect_eq(hist_quantile(h, -1), 12345678.0);
	hist_init(h);
	hist_add(h, 0);
	hist_add(h, -5);
	cr_expect_eq(h->count, 2);
	cr_expect_eq(h->sum, 2.0, "values <= 0 count as 1 ns: sum %.17g",
		     h->sum);
	cr_expect_eq(h->max, 1.0);
	cr_expect_eq(hist_quantile(h, 0.5), 1.0);
	free(h);
}
