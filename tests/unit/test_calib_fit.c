/* test_calib_fit.c - calibrate's maximum-likelihood fits, AIC choice and
 * Kolmogorov-Smirnov p-value (sim/scenario/calib_fit.c) against closed
 * forms, the likelihood equations and known tables.
 *
 * Recovery tolerances are 4 asymptotic standard errors: lognormal
 * SE(log median) = sigma/sqrt(n), SE(sigma) = sigma/sqrt(2n); gamma
 * Var(k) = k / (n (k psi'(k) - 1)); Weibull SE(k) = 0.78 k / sqrt(n)
 * (Var = 0.608 k^2 / n, the inverse Fisher information).
 */
#include <math.h>
#include <stdlib.h>

#include <criterion/criterion.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sf_psi.h>

#include "sim/scenario/calib_fit.h"

Test(calib_fit, lognormal_closed_form)
{
	double x[3] = { 1, exp(1.0), exp(2.0) }, p[2];

	cr_assert_eq(calib_fit_lognormal(x, 3, p), 0);
	/* mean of logs 1, MLE variance ((-1)^2 + 0 + 1^2) / 3 */
	cr_assert_float_eq(p[0], exp(1.0), 1e-12);
	cr_assert_float_eq(p[1], sqrt(2.0 / 3.0), 1e-12);
}

Test(calib_fit, shifted_exponential_unbiased)
{
	double x[4] = { 1, 2, 3, 4 }, p[2];

	cr_assert_eq(calib_fit_shexp(x, 4, p), 0);
	/* theta = n/(n-1) (mean - min) = 4/3 * 1.5 = 2; shift = 1 - 2/4 */
	cr_assert_float_eq(p[0], 0.5, 1e-12);
	cr_assert_float_eq(p[1], 2.0, 1e-12);
}

Test(calib_fit, gamma_solves_its_likelihood_equation)
{
	double x[5] = { 0.5, 1.2, 2.0, 3.1, 7.5 }, p[2], m = 0, ml = 0;
	int i;

	cr_assert_eq(calib_fit_gamma(x, 5, p), 0);
	for (i = 0; i < 5; i++) {
		m += x[i] / 5;
		ml += log(x[i]) / 5;
	}
	cr_assert_float_eq(p[0], m, 1e-12);
	cr_assert_float_eq(log(p[1]) - gsl_sf_psi(p[1]), log(m) - ml, 1e-9);
}

Test(calib_fit, weibull_solves_its_profile_equation)
{
	double x[5] = { 0.5, 1.2, 2.0, 3.1, 7.5 }, p[2], a = 0, b = 0, ml = 0;
	int i;

	cr_assert_eq(calib_fit_weibull(x, 5, p), 0);
	for (i = 0; i < 5; i++) {
		a += pow(x[i], p[1]) * log(x[i]);
		b += pow(x[i], p[1]);
		ml += log(x[i]) / 5;
	}
	cr_assert_float_eq(a / b - 1 / p[1] - ml, 0, 1e-9);
	cr_assert_float_eq(p[0], pow(b / 5, 1 / p[1]), 1e-9);
}

static gsl_rng *rng(unsigned long seed)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);

	gsl_rng_set(r, seed);
	return r;
}

Test(calib_fit, recovers_known_parameters)
{
	enum { N = 2000 };
	static double x[N];
	gsl_rng *r = rng(11);
	struct calib_fit f[CALIB_N_FAMILIES];
	double k = 3, vk = k / (N * (k * gsl_sf_psi_1(k) - 1));
	int i;

	for (i = 0; i < N; i++)
		x[i] = gsl_ran_gamma(r, k, 2.0 / k);   /* mean 2 */
	calib_fit_all(x, N, f);
	cr_assert(fabs(f[CALIB_GAMMA].p[1] - k) < 4 * sqrt(vk));
	cr_assert(fabs(f[CALIB_GAMMA].p[0] - 2) < 4 * 2 / sqrt(k * N));

	for (i = 0; i < N; i++)
		x[i] = gsl_ran_weibull(r, 10, 2.5);
	calib_fit_all(x, N, f);
	cr_assert(fabs(f[CALIB_WEIBULL].p[1] - 2.5) < 4 * 0.78 * 2.5 /
		  sqrt(N));
	/* SE(scale) = 1.053 scale / (k sqrt(n)) */
	cr_assert(fabs(f[CALIB_WEIBULL].p[0] - 10) < 4 * 1.053 * 10 /
		  (2.5 * sqrt(N)));

	for (i = 0; i < N; i++)
		x[i] = gsl_ran_lognormal(r, log(3.0), 0.4);
	calib_fit_all(x, N, f);
	cr_assert(fabs(log(f[CALIB_LOGNORMAL].p[0] / 3)) < 4 * 0.4 / sqrt(N));
	cr_assert(fabs(f[CALIB_LOGNORMAL].p[1] - 0.4) < 4 * 0.4 /
		  sqrt(2.0 * N));
	gsl_rng_free(r);
}

Test(calib_fit, aic_picks_clearly_separated_families)
{
	enum { N = 1000 };
	static double x[N];
	gsl_rng *r = rng(5);
	struct calib_fit f[CALIB_N_FAMILIES];
	int i;

	/* heavy right tail: only the lognormal fits */
	for (i = 0; i < N; i++)
		x[i] = gsl_ran_lognormal(r, 0, 1.2);
	cr_assert_eq(calib_fit_all(x, N, f), CALIB_LOGNORMAL);
	/* skewed to the left (shape 6): lognormal and gamma cannot */
	for (i = 0; i < N; i++)
		x[i] = gsl_ran_weibull(r, 10, 6);
	cr_assert_eq(calib_fit_all(x, N, f), CALIB_WEIBULL);
	/* two clusters: no family passes KS, the sample is used as is */
	for (i = 0; i < N; i++)
		x[i] = (i % 2 ? 2 : 20) + gsl_ran_gaussian(r, 0.1);
	cr_assert_eq(calib_fit_all(x, N, f), CALIB_EMPIRICAL);
	gsl_rng_free(r);
}

Test(calib_fit, ks_pvalue_matches_the_kolmogorov_table)
{
	size_t n = 100;
	double c = sqrt(100.0) + 0.12 + 0.11 / sqrt(100.0);

	/* P(K > 1.3581) = 0.05, P(K > 1.2238) = 0.10, P(K > 1.6276) = 0.01 */
	cr_assert_float_eq(calib_ks_pvalue(1.3581 / c, n), 0.05, 2e-4);
	cr_assert_float_eq(calib_ks_pvalue(1.2238 / c, n), 0.10, 2e-4);
	cr_assert_float_eq(calib_ks_pvalue(1.6276 / c, n), 0.01, 2e-4);
	cr_assert_float_eq(calib_ks_pvalue(0, n), 1, 0);
}

static int cmp(const void *a, const void *b)
{
	double u = *(const double *)a, v = *(const double *)b;

	return (u > v) - (u < v);
}

/* With the law fully specified, P(p <= a) = a: over 400 samples of 50,
 * the mean p-value is 0.5 (SE 0.0144) and 5 % of them fall below 0.05
 * (SE 1.1 %); 4 SE each. */
Test(calib_fit, ks_pvalue_is_uniform_under_h0)
{
	enum { R = 400, N = 50 };
	double x[N], p[2] = { 2, 0.5 }, mean = 0;
	gsl_rng *r = rng(3);
	int i, j, low = 0;

	for (j = 0; j < R; j++) {
		double pv;

		for (i = 0; i < N; i++)
			x[i] = gsl_ran_lognormal(r, log(2), 0.5);
		qsort(x, N, sizeof(*x), cmp);
		pv = calib_ks_pvalue(calib_ks_d(CALIB_LOGNORMAL, p, x, N), N);
		mean += pv / R;
		low += pv < 0.05;
	}
	cr_assert(fabs(mean - 0.5) < 4 * 0.0144, "mean p %f", mean);
	cr_assert(fabs(low / (double)R - 0.05) < 4 * 0.011, "low %d", low);
	gsl_rng_free(r);
}
