/* test_traffic_lat.c - the lazy latency split of the aggregate mode
 * (models/traffic_lat.h) against the full multinomial split.
 *
 * Each "second" holds two items (two window shapes of one law, 300 and
 * 500 answers) and a few values added one by one. The lazy split gives
 * the second's p50 and p99; the reference splits the same items fully
 * (gsl_ran_multinomial) into a histogram and asks hist_quantiles. Over
 * 3,000 seconds each (and again with 49 and 60 answers, where p99 is
 * often the second's maximum), the two laws of p50 and of p99 must agree (a
 * two-sample chi-square at the 0.1 % level over the values seen); at the
 * end the pooled run histogram must hold every answer, bucket by bucket
 * as the weights say (chi-square against k w / W).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "models/traffic_lat.h"
#include "sim/core/rng.h"

#define SECONDS 3000
#define N_SHAPE 2
#define SPAN 240

static struct mgi_law law;

static const struct mgi_law *the_law(void *ctx, int32_t tmpl)
{
	(void)ctx;
	(void)tmpl;
	return &law;
}

/* Cumulative weights of shape i over buckets first .. first + SPAN. */
static void weights(int i, int first, double *w)
{
	int j;

	w[0] = 0;
	for (j = 0; j < SPAN; j++) {
		double x = (j + 0.5) / SPAN;
		double d = i == 0 ? exp(-4 * x) : x * exp(-6 * x) + 0.02;

		w[j + 1] = w[j] + d * (hist_bucket_low(first + j + 1) -
				       hist_bucket_low(first + j));
	}
}

/* Two-sample chi-square over values (bucket mids, compared exactly):
 * categories with fewer than 10 in both samples are pooled. */
static void expect_same_law(const double *a, const double *b, int n,
			    const char *what)
{
	double *v = malloc(2 * (size_t)n * sizeof(*v)), x2 = 0, pa = 0,
	       pb = 0;
	int i, j, m = 0, df = -1;

	cr_assert(v);
	for (i = 0; i < n; i++) {
		v[m++] = a[i];
		v[m++] = b[i];
	}
	for (i = 1; i < m; i++)
		for (j = i; j > 0 && v[j] < v[j - 1]; j--) {
			double t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	for (i = 0; i < m; i = j) {
		double ca = 0, cb = 0;

		for (j = i; j < m && v[j] == v[i]; j++)
			;
		for (int k = 0; k < n; k++) {
			ca += a[k] == v[i];
			cb += b[k] == v[i];
		}
		if (ca + cb < 20) {
			pa += ca;
			pb += cb;
			continue;
		}
		x2 += (ca - cb) * (ca - cb) / (ca + cb);
		df++;
	}
	if (pa + pb >= 20) {
		x2 += (pa - pb) * (pa - pb) / (pa + pb);
		df++;
	}
	free(v);
	cr_assert_gt(df, 0, "%s: one value only", what);
	cr_expect(x2 < gsl_cdf_chisq_Qinv(1e-3, df), "%s: chi2 %g, %d df",
		  what, x2, df);
}

static void run_case(uint64_t k0, uint64_t k1, uint64_t seed)
{
	static struct hist all, win, sec, ref;
	static double p50[2][SECONDS], p99[2][SECONDS];
	static double w[N_SHAPE][SPAN + 1];
	const uint64_t k[N_SHAPE] = { k0, k1 };
	static unsigned counts[SPAN];
	struct dist d = dist_constant(0);
	struct lat_state *s;
	gsl_rng *r = rng_stream_new(seed, 0, "lat-test");
	const double q[2] = { 0.5, 0.99 };
	double out[2], p[SPAN], x2 = 0;
	int first, i, sec_i, b, df = -1;

	d.kind = DIST_EXPONENTIAL;
	d.a_ns = 20000000;
	cr_assert_eq(mgi_law_init(&law, &d, 1.0, 0), 0);
	first = hist_bucket_of(5e6);
	for (i = 0; i < N_SHAPE; i++)
		weights(i, first, w[i]);
	hist_init(&all);
	hist_init(&win);
	cr_assert_eq(lat_new(&s, r, &all, &win, the_law, NULL), 0);
	for (sec_i = 0; sec_i < SECONDS; sec_i++) {
		hist_init(&sec);
		hist_init(&ref);
		/* three values one by one, in both */
		for (i = 0; i < 3; i++) {
			double v = 1e6 * (10 + 30 * gsl_rng_uniform(r));

			hist_add(&sec, v);
			hist_add(&ref, v);
		}
		for (i = 0; i < N_SHAPE; i++) {
			cr_assert_eq(lat_defer(s, 0, first, SPAN, 1e9, 0,
					       1e9 * (i + 1), i, k[i], w[i]),
				     0);
			for (b = 0; b < SPAN; b++)
				p[b] = w[i][b + 1] - w[i][b];
			gsl_ran_multinomial(r, SPAN, (unsigned)k[i], p,
					    counts);
			for (b = 0; b < SPAN; b++)
				if (counts[b])
					mgi_hist_add(&law, &ref, r, first + b,
						     counts[b]);
		}
		lat_second(s, &sec, q, out, 2);
		p50[0][sec_i] = out[0];
		p99[0][sec_i] = out[1];
		hist_quantiles(&ref, q, out, 2);
		p50[1][sec_i] = out[0];
		p99[1][sec_i] = out[1];
		hist_merge(&all, &sec);
	}
	expect_same_law(p50[0], p50[1], SECONDS, "p50");
	expect_same_law(p99[0], p99[1], SECONDS, "p99");
	lat_flush_all(s);
	cr_expect_eq(all.count, SECONDS * (3 + k[0] + k[1]));
	cr_expect_eq(win.count, SECONDS * k[1]);
	/* the window histogram against k[1] w[1] / W[1] per bucket */
	for (b = 0; b < SPAN; b++) {
		double e = (double)SECONDS * (double)k[1] *
			   (w[1][b + 1] - w[1][b]) / w[1][SPAN];

		if (e < 5)
			continue;
		x2 += ((double)win.bucket[first + b] - e) *
		      ((double)win.bucket[first + b] - e) / e;
		df++;
	}
	cr_expect(x2 < gsl_cdf_chisq_Qinv(1e-3, df), "window: chi2 %g, %d df",
		  x2, df);
	lat_free(s);
	mgi_law_release(&law);
	gsl_rng_free(r);
}

Test(traffic_lat, quantiles_and_pool_match_the_full_split)
{
	run_case(300, 500, 3);
}

/* Few answers: p99 is often in the second's highest bucket, whose
 * maximum caps it. */
Test(traffic_lat, few_answers_and_the_highest_bucket)
{
	run_case(49, 60, 4);
}
