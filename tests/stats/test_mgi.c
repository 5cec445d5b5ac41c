/* test_mgi.c - the aggregate-mode math (sim/core/mgi.c) against theory.
 *
 * G and H against numeric integration of GSL's densities (Simpson) and
 * against Monte Carlo of dist_sample (5 standard errors, fixed seeds); the
 * window probability W against Monte Carlo of (t uniform in [a, b), X);
 * exact identities (partitions of [c, inf) sum to W(c, inf), the buckets
 * sum to the served part, all = served + timeout); Erlang-B against exact
 * rational values; the multinomial split by a chi-square test; the
 * bucket maximum by its probability integral transform.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "sim/core/dist.h"
#include "sim/core/mgi.h"
#include "sim/core/rng.h"
#include "sim/core/stats.h"

#define MS 1e6
#define N_MC 100000

static sim_time_t emp_samples[] = { 3000000, 5000000, 5000000, 9000000,
				    20000000 };

/* The families under test (ns parameters), as the loader builds them. */
static struct dist t_law(int i)
{
	struct dist d = dist_constant(0);

	switch (i) {
	case 0:
		d = dist_constant(5000000);
		break;
	case 1:
		d.kind = DIST_UNIFORM;
		d.a_ns = 2000000;
		d.b_ns = 8000000;
		break;
	case 2:
		d.kind = DIST_EXPONENTIAL;
		d.a_ns = 10000000;
		break;
	case 3:
		d.kind = DIST_NORMAL;
		d.a_ns = 10000000;
		d.b_ns = 6000000;
		break;
	case 4:
		d.kind = DIST_LOGNORMAL;
		d.a_ns = 10000000;
		d.shape = 0.8;
		break;
	case 5:
		d.kind = DIST_GAMMA;
		d.a_ns = 10000000;
		d.shape = 2.5;
		break;
	case 6:
		d.kind = DIST_WEIBULL;
		d.a_ns = 10000000;
		d.shape = 1.5;
		break;
	default:
		d.kind = DIST_EMPIRICAL;
		d.samples = emp_samples;
		d.n_samples = 5;
		break;
	}
	return d;
}

#define N_LAWS 8

/* Density of S (ns) for the continuous families 1..6, from GSL. */
static double t_pdf(const struct dist *d, double x)
{
	double m = (double)d->a_ns, s = (double)d->b_ns;

	switch (d->kind) {
	case DIST_UNIFORM:
		/* closed at both ends, for Simpson's end points */
		return x >= m && x <= s ? 1 / (s - m) : 0;
	case DIST_EXPONENTIAL:
		return gsl_ran_exponential_pdf(x, m);
	case DIST_NORMAL:
		return x < 0 ? 0 : gsl_ran_gaussian_pdf(x - m, s) /
				       gsl_cdf_ugaussian_Q(-m / s);
	case DIST_LOGNORMAL:
		return gsl_ran_lognormal_pdf(x, log(m), d->shape);
	case DIST_GAMMA:
		return gsl_ran_gamma_pdf(x, d->shape, m / d->shape);
	case DIST_WEIBULL:
		return gsl_ran_weibull_pdf(x, m, d->shape);
	default:
		return 0;
	}
}

/* G and H of V = f S at x by Simpson on the density (split at the
 * uniform's corners, where the density jumps). */
static void t_simpson(const struct dist *d, double f, double x, double *G,
		      double *H)
{
	double lo = 0, hi = x / f, h, g = 0, m = 0;
	int i, n = 200000;

	if (d->kind == DIST_UNIFORM) {
		lo = fmin(hi, (double)d->a_ns);
		hi = fmin(hi, (double)d->b_ns);
	}
	h = (hi - lo) / n;
	for (i = 0; i <= n && h > 0; i++) {
		double y = lo + i * h, w = (i == 0 || i == n) ? 1 : i % 2 ? 4 : 2;
		double p = t_pdf(d, y);

		if (!isfinite(p))
			p = 0;
		g += w * p;
		m += w * p * y;
	}
	*G = g * h / 3;
	*H = m * h / 3 * f;
}

Test(mgi, cdf_and_partial_moment_by_integration)
{
	double f = 1.7, q[] = { 3 * MS, 9 * MS, 17 * MS, 40 * MS };
	int i, j;

	for (i = 1; i <= 6; i++) {
		struct dist d = t_law(i);
		struct mgi_law L;

		cr_assert_eq(mgi_law_init(&L, &d, f, 0), 0);
		for (j = 0; j < 4; j++) {
			double G, H;

			t_simpson(&d, f, q[j], &G, &H);
			cr_expect(fabs(mgi_cdf(&L, q[j]) - G) < 1e-6,
				  "law %d G(%g) %.9g vs %.9g", i, q[j],
				  mgi_cdf(&L, q[j]), G);
			cr_expect(fabs(mgi_pmean(&L, q[j]) - H) < 1e-6 * L.mean,
				  "law %d H(%g) %.9g vs %.9g", i, q[j],
				  mgi_pmean(&L, q[j]), H);
			cr_expect(fabs(mgi_cdf(&L, q[j]) + mgi_sf(&L, q[j]) -
				       1) < 1e-12, "law %d G + Q", i);
			cr_expect(fabs(mgi_icdf_int(&L, q[j]) -
				       (q[j] * G - H)) < 1e-5 * q[j],
				  "law %d IG", i);
		}
		mgi_law_release(&L);
	}
}

Test(mgi, cdf_and_partial_moment_by_sampling)
{
	double f = 1.3, q[] = { 4 * MS, 7 * MS, 13 * MS, 30 * MS };
	int i, j, n;

	for (i = 0; i < N_LAWS; i++) {
		struct dist d = t_law(i);
		struct mgi_law L;
		gsl_rng *r = rng_stream_new(7, (uint32_t)i, "mgi-mc");
		double cnt[4] = { 0 }, sum[4] = { 0 }, sq[4] = { 0 };

		cr_assert(r);
		cr_assert_eq(mgi_law_init(&L, &d, f, 0), 0);
		for (n = 0; n < N_MC; n++) {
			double v = f * (double)dist_sample(&d, r);

			for (j = 0; j < 4; j++)
				if (v <= q[j]) {
					cnt[j]++;
					sum[j] += v;
					sq[j] += v * v;
				}
		}
		for (j = 0; j < 4; j++) {
			double p = cnt[j] / N_MC, m = sum[j] / N_MC;
			double sp = sqrt(p * (1 - p) / N_MC) + 1e-9;
			double sm = sqrt(fmax(sq[j] / N_MC - m * m, 0) / N_MC);

			cr_expect(fabs(mgi_cdf(&L, q[j]) - p) <= 5 * sp,
				  "law %d G(%g) = %g, sampled %g", i, q[j],
				  mgi_cdf(&L, q[j]), p);
			cr_expect(fabs(mgi_pmean(&L, q[j]) - m) <=
					  5 * sm + 1e-3 * MS,
				  "law %d H(%g) = %g, sampled %g", i, q[j],
				  mgi_pmean(&L, q[j]), m);
		}
		cr_expect(fabs(L.mean - f * dist_mean_ns(&d)) < 1e-6 * L.mean,
			  "law %d mean", i);
		mgi_law_release(&L);
		gsl_rng_free(r);
	}
}

/* Monte Carlo of P(c <= t + X < d, part) with t ~ U[a, b). */
Test(mgi, window_against_sampling)
{
	double a = 0, b = 20 * MS, T = 25 * MS;
	double win[][2] = { { 0, 10 * MS }, { 10 * MS, 30 * MS },
			    { 30 * MS, 45 * MS }, { 45 * MS, HUGE_VAL } };
	int i, j, n;

	for (i = 0; i < N_LAWS; i++) {
		struct dist d = t_law(i);
		struct mgi_law L;
		gsl_rng *r = rng_stream_new(8, (uint32_t)i, "mgi-win");
		double cs[4] = { 0 }, ct[4] = { 0 }, cb[4] = { 0 };
		int bk;

		cr_assert(r);
		cr_assert_eq(mgi_law_init(&L, &d, 1.5, T), 0);
		bk = hist_bucket_of(L.mean < T ? L.mean : T / 2);
		for (n = 0; n < N_MC; n++) {
			double t = a + (b - a) * rng_uniform_pos(r);
			double v = 1.5 * (double)dist_sample(&d, r);
			double x = v > T ? T : v;

			for (j = 0; j < 4; j++) {
				if (t + x < win[j][0] || t + x >= win[j][1])
					continue;
				if (v > T)
					ct[j]++;
				else
					cs[j]++;
				if (v <= T && hist_bucket_of(v) == bk)
					cb[j]++;
			}
		}
		for (j = 0; j < 4; j++) {
			double c = win[j][0], e = win[j][1];
			double ws = mgi_window(&L, MGI_SERVED, a, b, c, e);
			double wt = mgi_window(&L, MGI_TIMEOUT, a, b, c, e);
			double wb = mgi_window_bucket(&L, bk, a, b, c, e);
			double ps = cs[j] / N_MC, pt = ct[j] / N_MC;
			double pb = cb[j] / N_MC;

			cr_expect(fabs(ws - ps) <=
				  5 * sqrt(ps * (1 - ps) / N_MC) + 2e-4,
				  "law %d win %d served %g vs %g", i, j, ws, ps);
			cr_expect(fabs(wt - pt) <=
				  5 * sqrt(pt * (1 - pt) / N_MC) + 2e-4,
				  "law %d win %d timeout %g vs %g", i, j, wt, pt);
			cr_expect(fabs(wb - pb) <=
				  5 * sqrt(pb * (1 - pb) / N_MC) + 2e-4,
				  "law %d win %d bucket %g vs %g", i, j, wb, pb);
			cr_expect(fabs(mgi_window(&L, MGI_ALL, a, b, c, e) -
				       ws - wt) < 1e-12);
		}
		mgi_law_release(&L);
		gsl_rng_free(r);
	}
}

/* Exact identities: windows partitioning [c, inf) add up to W(c, inf),
 * buckets add up to the served part, and everything is decided. */
Test(mgi, window_partitions)
{
	double T = 30 * MS;
	int i, k, tmo;

	for (tmo = 0; tmo < 2; tmo++)
		for (i = 0; i < N_LAWS; i++) {
			struct dist d = t_law(i);
			struct mgi_law L;
			double a = 3e12, b = a + 1e9, c = a + 0.4e9, e, sum = 0;
			double sb = 0;
			int bk;

			cr_assert_eq(mgi_law_init(&L, &d, 2.0,
						  tmo ? T : 0), 0);
			for (k = 0, e = c; k < 40; k++, e += 3.7e7) {
				sum += mgi_window(&L, MGI_ALL, a, b, e,
						  e + 3.7e7);
			}
			sum += mgi_window(&L, MGI_ALL, a, b, e, HUGE_VAL);
			cr_expect(fabs(sum - mgi_window(&L, MGI_ALL, a, b, c,
							HUGE_VAL)) < 1e-12,
				  "law %d partition %.17g", i, sum);
			cr_expect(fabs(mgi_window(&L, MGI_ALL, a, b, a - 1,
						  HUGE_VAL) - 1) < 1e-12);
			for (bk = 0; bk < HIST_BUCKETS; bk++)
				sb += mgi_window_bucket(&L, bk, a, b,
							a + 2e6, a + 8e8);
			cr_expect(fabs(sb - mgi_window(&L, MGI_SERVED, a, b,
						       a + 2e6, a + 8e8)) <
					  1e-12,
				  "law %d buckets %.17g", i, sb);
			/* a point slab: the law itself */
			cr_expect(fabs(mgi_window(&L, MGI_SERVED, a, a, a,
						  a + 12 * MS) -
				       (tmo && 12 * MS > T ? L.G_T :
					mgi_cdf(&L, 12 * MS - 1e-9))) < 1e-6,
				  "law %d point", i);
			mgi_law_release(&L);
		}
}

Test(mgi, occupancy_is_littles_law)
{
	int i, k;

	for (i = 0; i < N_LAWS; i++) {
		struct dist d = t_law(i);
		struct mgi_law L;
		double a = 0, b = 5 * MS, s = 0, h = 0.01 * MS;

		cr_assert_eq(mgi_law_init(&L, &d, 1.0, 0), 0);
		/* int O dt0 over all t0 = E[V] (each request stays V) */
		for (k = 0; k < 20000; k++)
			s += mgi_occupancy(&L, a, b, (k + 0.5) * h) * h;
		cr_expect(fabs(s - L.mean) < 1e-3 * L.mean + 2 * h,
			  "law %d occupancy integral %g vs mean %g", i, s,
			  L.mean);
		cr_expect(fabs(mgi_occupancy(&L, a, a, 4 * MS) -
			       mgi_sf(&L, 4 * MS)) < 1e-12);
		mgi_law_release(&L);
	}
}

Test(mgi, erlang_b_known_values)
{
	struct {
		double a;
		int c;
		double b;
	} t[] = { { 1, 1, 0.5 }, { 2, 2, 0.4 },
		  { 10, 10, 0.21458234310734733 },
		  { 5, 10, 0.018384570336648132 },
		  { 50, 60, 0.021668473057806243 },
		  { 0.5, 3, 0.012658227848101266 },
		  { 80, 100, 0.003992028604553197 } };
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		cr_expect(fabs(mgi_erlang_b(t[i].a, t[i].c) - t[i].b) <
				  1e-12 * t[i].b,
			  "B(%g, %d) = %.17g", t[i].a, t[i].c,
			  mgi_erlang_b(t[i].a, t[i].c));
	cr_expect(mgi_is_far(1, 10));      /* B = 1.0e-7 */
	cr_expect(!mgi_is_far(2, 10));     /* B = 3.8e-5 */
	cr_expect_eq(mgi_erlang_b(0, 3), 0);
}

struct t_tally {
	uint64_t n[HIST_BUCKETS];
	int calls, last;
};

static void t_sink(void *ctx, int bucket, uint64_t count)
{
	struct t_tally *t = ctx;

	cr_assert(count > 0 && bucket > t->last);
	t->last = bucket;
	t->n[bucket] += count;
	t->calls++;
}

/* mgi_binomial against the exact pmf (gsl_ran_binomial_pdf) in the
 * regimes it draws by: its own inversion (n > 64, mean < 14), GSL's
 * below and above. Chi-square over the values with expected count >= 5
 * (the rest pooled), at the 0.1 % level (gsl_cdf_chisq_Qinv). */
Test(mgi, binomial_matches_its_pmf)
{
	static const struct { uint64_t n; double p; } c[] = {
		{ 1000000, 5e-6 }, { 100000, 1.3e-4 }, { 65, 0.2 },
		{ 64, 0.2 }, { 5000, 0.01 }, { 100, 0.5 }
	};
	gsl_rng *r = rng_stream_new(11, 0, "mgi-binomial");
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(*c); i++) {
		enum { DRAWS = 200000, KMAX = 200 };
		static uint64_t hits[KMAX + 1];
		double x2 = 0, pooled_e = 0, pooled_o = 0, mean = 0;
		unsigned n = (unsigned)c[i].n;
		int k, df = -1, j;

		memset(hits, 0, sizeof(hits));
		for (j = 0; j < DRAWS; j++) {
			uint64_t v = mgi_binomial(r, c[i].n, c[i].p);

			cr_assert_leq(v, c[i].n);
			hits[v > KMAX ? KMAX : v]++;
			mean += (double)v / DRAWS;
		}
		for (k = 0; k < KMAX; k++) {
			double e = DRAWS * gsl_ran_binomial_pdf((unsigned)k,
								c[i].p, n);

			if (e < 5) {
				pooled_e += e;
				pooled_o += (double)hits[k];
				continue;
			}
			x2 += ((double)hits[k] - e) * ((double)hits[k] - e) / e;
			df++;
		}
		pooled_o += (double)hits[KMAX];
		pooled_e += DRAWS * gsl_cdf_binomial_Q(KMAX - 1, c[i].p, n);
		if (pooled_e >= 5) {
			x2 += (pooled_o - pooled_e) * (pooled_o - pooled_e) /
			      pooled_e;
			df++;
		}
		cr_assert_gt(df, 0);
		cr_expect(x2 < gsl_cdf_chisq_Qinv(1e-3, df),
			  "n %llu p %g: chi2 %g with %d df",
			  (unsigned long long)c[i].n, c[i].p, x2, df);
		cr_expect(fabs(mean - (double)c[i].n * c[i].p) <
			  5 * sqrt((double)c[i].n * c[i].p * (1 - c[i].p) /
				   DRAWS), "n %llu p %g: mean %g",
			  (unsigned long long)c[i].n, c[i].p, mean);
	}
	gsl_rng_free(r);
}

/* chi-square with 9 degrees of freedom: 0.1 % point 27.877 */
Test(mgi, split_is_multinomial)
{
	static struct t_tally t;
	double w[10] = { 1, 0, 3, 0.5, 2, 7, 0, 1, 4, 1.5 }, tot = 20, x2 = 0;
	gsl_rng *r = rng_stream_new(9, 0, "mgi-split");
	uint64_t k = 200000, sum = 0;
	int i, df = -1;

	memset(&t, 0, sizeof(t));
	t.last = -1;
	mgi_split(r, k, 100, w, 10, t_sink, &t);
	for (i = 0; i < 10; i++) {
		double e = (double)k * w[i] / tot;

		sum += t.n[100 + i];
		if (w[i] == 0) {
			cr_expect_eq(t.n[100 + i], 0);
			continue;
		}
		x2 += ((double)t.n[100 + i] - e) * ((double)t.n[100 + i] - e) / e;
		df++;
	}
	cr_expect_eq(sum, k);
	cr_expect_eq(df, 7);
	cr_expect(x2 < 24.32, "chi2 = %g with 7 df", x2); /* 0.1 % point */
	gsl_rng_free(r);
}

/* The window split: total kept, counts per bucket group against
 * k W_bucket / W_served (chi-square over 10 equiprobable groups). */
Test(mgi, split_window_matches_bucket_probabilities)
{
	static struct t_tally t;
	struct dist d = t_law(4);
	struct mgi_law L;
	gsl_rng *r = rng_stream_new(10, 0, "mgi-splitw");
	double a = 0, b = 1e9, c = 1e9, e = 1.05e9, tot, cum = 0, exp_g = 0;
	double x2 = 0;
	uint64_t k = 100000, sum = 0, got_g = 0;
	int i, g = 0;

	cr_assert_eq(mgi_law_init(&L, &d, 1.0, 60 * MS), 0);
	memset(&t, 0, sizeof(t));
	t.last = -1;
	mgi_split_window(&L, r, k, a, b, c, e, t_sink, &t);
	tot = mgi_window(&L, MGI_SERVED, a, b, c, e);
	for (i = 0; i < HIST_BUCKETS; i++) {
		double p = mgi_window_bucket(&L, i, a, b, c, e) / tot;

		sum += t.n[i];
		cum += p;
		exp_g += p * (double)k;
		got_g += t.n[i];
		if (cum >= (g + 1) / 10.0 - 1e-12 || i == HIST_BUCKETS - 1) {
			if (exp_g > 0)
				x2 += ((double)got_g - exp_g) *
				      ((double)got_g - exp_g) / exp_g;
			exp_g = 0;
			got_g = 0;
			g++;
		}
	}
	cr_expect_eq(sum, k);
	cr_expect(x2 < 27.88, "chi2 = %g over %d groups", x2, g);
	mgi_law_release(&L);
	gsl_rng_free(r);
}

/* The max of k values in a bucket: its transform ((G(M) - G(p)) / mass)^k
 * is uniform; and the histogram update. */
Test(mgi, bucket_max_and_hist_add)
{
	struct dist d = t_law(5);
	struct mgi_law L;
	gsl_rng *r = rng_stream_new(11, 0, "mgi-max");
	static struct hist h;
	int bk = hist_bucket_of(12 * MS), n, m = 4000;
	double p = hist_bucket_low(bk), q = hist_bucket_low(bk + 1), s = 0;
	double gp, mass, mean;

	cr_assert_eq(mgi_law_init(&L, &d, 1.0, 0), 0);
	gp = mgi_cdf(&L, p);
	mass = mgi_cdf(&L, q) - gp;
	for (n = 0; n < m; n++) {
		double x = mgi_bucket_max(&L, r, bk, 7);

		cr_assert(x >= p && x <= q);
		s += pow((mgi_cdf(&L, x) - gp) / mass, 7);
	}
	s /= m;
	cr_expect(fabs(s - 0.5) < 5 * sqrt(1.0 / 12 / m), "PIT mean %g", s);
	mean = mgi_bucket_mean(&L, bk);
	cr_expect(mean > p && mean < q);
	cr_expect(fabs(mean - (mgi_pmean(&L, q) - mgi_pmean(&L, p)) / mass) <
		  1e-6 * mean);
	hist_init(&h);
	mgi_hist_add(&L, &h, r, bk, 5);
	cr_expect_eq(h.count, 5);
	cr_expect_eq(h.bucket[bk], 5);
	cr_expect(h.lo == bk && h.hi == bk);
	cr_expect(fabs(h.sum - 5 * mean) < 1e-6);
	cr_expect(h.max >= p && h.max <= q);
	mgi_law_release(&L);
	/* atoms: the empirical law scaled by 2 has one value, 10 ms, in
	 * its bucket; the constant 5 ms likewise */
	d = t_law(7);
	cr_assert_eq(mgi_law_init(&L, &d, 2.0, 0), 0);
	bk = hist_bucket_of(10 * MS);
	cr_expect_eq(mgi_bucket_max(&L, r, bk, 3), 10 * MS);
	cr_expect(fabs(mgi_bucket_mean(&L, bk) - 10 * MS) < 1e-6);
	mgi_law_release(&L);
	d = t_law(0);
	cr_assert_eq(mgi_law_init(&L, &d, 1.0, 0), 0);
	bk = hist_bucket_of(5 * MS);
	cr_expect(fabs(mgi_bucket_max(&L, r, bk, 3) - 5 * MS) < 1e-3);
	cr_expect_eq(L.b_lo, bk);
	cr_expect_eq(L.b_hi, bk);
	mgi_law_release(&L);
	gsl_rng_free(r);
}
