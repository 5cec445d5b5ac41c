/* test_dist.c - latency distributions (sim/core/dist.c): formulas and samples.
 *
 * Two independent checks per family: dist_mean_ns / dist_variance_ns2
 * against closed-form numbers computed outside the program (mpmath, 60
 * digits, quoted beside the table), and the sample mean / variance of
 * 200000 draws against dist_mean_ns / dist_variance_ns2 within 5 standard
 * errors estimated from the same sample. Also: no sample is ever negative
 * or wrapped, degenerate parameters, dist_copy is deep, kind names.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include <criterion/criterion.h>

#include "sim/core/dist.h"
#include "sim/core/err.h"
#include "sim/core/rng.h"

#define S SIM_NS_PER_S
#define MS SIM_NS_PER_MS
#define N_DRAWS 200000

struct moments {
	double mean;   /* ns */
	double var;    /* ns^2, divided by n */
	double m4;     /* fourth central moment, ns^4 */
};

/* Draws n samples of d from a fixed stream, asserting each is >= 0, and
 * returns their mean and central moments (two passes, in double). */
static struct moments t_draw_moments(const struct dist *d, const char *name,
				     int n)
{
	gsl_rng *r = rng_stream_new(20240601, 0, name);
	double *x = malloc((size_t)n * sizeof(*x));
	struct moments m = { 0, 0, 0 };
	double dev2;
	sim_time_t v;
	int i;

	cr_assert(r && x);
	for (i = 0; i < n; i++) {
		v = dist_sample(d, r);
		cr_assert_geq(v, 0, "%s: draw %d is %lld", name, i,
			      (long long)v);
		x[i] = (double)v;
		m.mean += x[i];
	}
	m.mean /= n;
	for (i = 0; i < n; i++) {
		dev2 = (x[i] - m.mean) * (x[i] - m.mean);
		m.var += dev2;
		m.m4 += dev2 * dev2;
	}
	m.var /= n;
	m.m4 /= n;
	free(x);
	gsl_rng_free(r);
	return m;
}

/* Tolerances. The sample mean has standard error sqrt(var/n); the sample
 * variance, asymptotically, sqrt((mu4 - var^2)/n) (delta method; exact
 * up to O(1/n) for any law with a finite fourth moment, which every row
 * here has). Both are estimated from the sample itself, so a wrong
 * dist_variance_ns2 cannot widen its own tolerance. 5 standard errors:
 * a correct implementation fails with probability ~6e-7 per check, and
 * the seeds are fixed, so the outcome is deterministic. Rounding samples
 * to whole ns moves the mean by < 0.5 ns and the variance by ~1/12 ns^2,
 * far below every tolerance except that of a constant, which is exact. */
static void t_check_moments(const struct dist *d, const char *name, int n)
{
	struct moments m = t_draw_moments(d, name, n);
	double want_mean = dist_mean_ns(d);
	double want_var = dist_variance_ns2(d);
	double tol_mean = 5.0 * sqrt(m.var / n);
	double tol_var = 5.0 * sqrt(fmax(m.m4 - m.var * m.var, 0.0) / n);

	cr_expect_leq(fabs(m.mean - want_mean), tol_mean,
		      "%s: sample mean %.6g ns, theory %.6g ns, tol %.3g",
		      name, m.mean, want_mean, tol_mean);
	cr_expect_leq(fabs(m.var - want_var), tol_var,
		      "%s: sample var %.6g ns^2, theory %.6g ns^2, tol %.3g",
		      name, m.var, want_var, tol_var);
}

struct dist_row {
	const char *name;
	struct dist d;
};

static const struct dist_row dist_rows[] = {
	{ "constant 1.5s", { .kind = DIST_CONSTANT, .a_ns = 3 * S / 2 } },
	{ "uniform 1-4s",
	  { .kind = DIST_UNIFORM, .a_ns = 1 * S, .b_ns = 4 * S } },
	{ "exponential 20ms", { .kind = DIST_EXPONENTIAL, .a_ns = 20 * MS } },
	{ "normal 1s sd 2s (truncated)",
	  { .kind = DIST_NORMAL, .a_ns = 1 * S, .b_ns = 2 * S } },
	{ "normal 5s sd 1s",
	  { .kind = DIST_NORMAL, .a_ns = 5 * S, .b_ns = 1 * S } },
	{ "normal -1s sd 1s",
	  { .kind = DIST_NORMAL, .a_ns = -1 * S, .b_ns = 1 * S } },
	/* alpha = 40 and 100: the tail-law branch of dist.c, whose relative
	 * bias (~1/alpha^2 <= 6e-4) is far below 5 standard errors (~1%). */
	{ "normal -40s sd 1s",
	  { .kind = DIST_NORMAL, .a_ns = -40 * S, .b_ns = 1 * S } },
	{ "normal -100s sd 1s",
	  { .kind = DIST_NORMAL, .a_ns = -100 * S, .b_ns = 1 * S } },
	{ "lognormal median 3s sigma 0.3",
	  { .kind = DIST_LOGNORMAL, .a_ns = 3 * S, .shape = 0.3 } },
	{ "gamma mean 2s shape 2.5",
	  { .kind = DIST_GAMMA, .a_ns = 2 * S, .shape = 2.5 } },
	{ "weibull scale 4s shape 1.5",
	  { .kind = DIST_WEIBULL, .a_ns = 4 * S, .shape = 1.5 } },
};

#define N_DIST_ROWS (sizeof(dist_rows) / sizeof(dist_rows[0]))

Test(dist, sample_moments_match_theory)
{
	size_t i;

	for (i = 0; i < N_DIST_ROWS; i++)
		t_check_moments(&dist_rows[i].d, dist_rows[i].name, N_DRAWS);
}

Test(dist, empirical_sample_moments)
{
	sim_time_t v[] = { 100 * MS, 250 * MS, 250 * MS, 900 * MS, 3 * S };
	struct dist d = { .kind = DIST_EMPIRICAL, .samples = v,
			  .n_samples = 5 };

	t_check_moments(&d, "empirical 5 values", N_DRAWS);
}

struct formula_row {
	const char *name;
	struct dist d;
	double mean_ns;   /* closed form, see the comment on the table */
	double var_ns2;
	double rel_tol;   /* relative tolerance on both */
};

/* Expected values from closed forms, evaluated with mpmath at 60 digits:
 *   lognormal median m, sigma s: mean = m e^{s^2/2}, var = (e^{s^2}-1)
 *     m^2 e^{s^2}; m = 3 s, s = 0.3: 3 e^{0.045} s = 3.13808357972615083 s,
 *     0.92738771474939826 s^2.
 *   normal mu, sd truncated at 0, alpha = -mu/sd, Q = erfc(alpha/sqrt2)/2,
 *     lambda = phi(alpha)/Q: mean = mu + sd lambda, var = sd^2 (1 + alpha
 *     lambda - lambda^2):
 *     (1 s, 2 s)    2.0183208676740669717 s,    1.9447017427854684129 s^2
 *     (5 s, 1 s)    5.0000014867199409049 s,    0.99999256639808513929 s^2
 *     (-1 s, 1 s)   0.52513527616098120909 s,   0.19909766557034879155 s^2
 *     (-40 s, 1 s)  0.024968847207263723245 s,  6.226683785913887735e-4 s^2
 *     (-100 s, 1 s) 0.0099980009992607051849 s, 9.9940049948263450361e-5 s^2
 *   weibull scale 4 s, shape 1.5: 4 Gamma(5/3) = 3.6109811718037344452 s,
 *     16 (Gamma(7/3) - Gamma(5/3)^2) = 6.0110445570229120349 s^2.
 *   gamma mean 2 s, shape 2.5: 2 s, 2^2/2.5 = 1.6 s^2.
 *   uniform 1-4 s: 2.5 s, 3^2/12 = 0.75 s^2. exponential 20 ms: 20 ms,
 *     400 ms^2. constant 1.5 s: 1.5 s, 0.
 * The far-tail normal rows get a looser tolerance: their variance is a
 * difference of terms ~alpha^2 times larger than the result. */
static const struct formula_row formula_rows[] = {
	{ "lognormal", { .kind = DIST_LOGNORMAL, .a_ns = 3 * S, .shape = 0.3 },
	  3.13808357972615083e9, 0.92738771474939826e18, 1e-12 },
	{ "normal 1s 2s", { .kind = DIST_NORMAL, .a_ns = S, .b_ns = 2 * S },
	  2.0183208676740669717e9, 1.9447017427854684129e18, 1e-12 },
	{ "normal 5s 1s", { .kind = DIST_NORMAL, .a_ns = 5 * S, .b_ns = S },
	  5.0000014867199409049e9, 0.99999256639808513929e18, 1e-12 },
	{ "normal -1s 1s", { .kind = DIST_NORMAL, .a_ns = -S, .b_ns = S },
	  0.52513527616098120909e9, 0.19909766557034879155e18, 1e-12 },
	{ "normal -40s 1s",
	  { .kind = DIST_NORMAL, .a_ns = -40 * S, .b_ns = S },
	  0.024968847207263723245e9, 6.226683785913887735e-4 * 1e18, 1e-7 },
	{ "normal -100s 1s",
	  { .kind = DIST_NORMAL, .a_ns = -100 * S, .b_ns = S },
	  0.0099980009992607051849e9, 9.9940049948263450361e-5 * 1e18, 1e-6 },
	{ "weibull", { .kind = DIST_WEIBULL, .a_ns = 4 * S, .shape = 1.5 },
	  3.6109811718037344452e9, 6.0110445570229120349e18, 1e-12 },
	{ "gamma", { .kind = DIST_GAMMA, .a_ns = 2 * S, .shape = 2.5 },
	  2e9, 1.6e18, 1e-12 },
	{ "uniform", { .kind = DIST_UNIFORM, .a_ns = S, .b_ns = 4 * S },
	  2.5e9, 0.75e18, 1e-12 },
	{ "exponential", { .kind = DIST_EXPONENTIAL, .a_ns = 20 * MS },
	  2e7, 4e14, 1e-12 },
	{ "constant", { .kind = DIST_CONSTANT, .a_ns = 3 * S / 2 },
	  1.5e9, 0.0, 0.0 },
};

#define N_FORMULA_ROWS (sizeof(formula_rows) / sizeof(formula_rows[0]))

static void t_expect_rel(double got, double want, double rel,
			 const char *row, const char *what)
{
	cr_expect_leq(fabs(got - want), rel * fabs(want),
		      "%s %s: got %.17g want %.17g (rel tol %g)",
		      row, what, got, want, rel);
}

Test(dist, formulas_match_closed_forms)
{
	size_t i;

	for (i = 0; i < N_FORMULA_ROWS; i++) {
		const struct formula_row *t = &formula_rows[i];

		t_expect_rel(dist_mean_ns(&t->d), t->mean_ns, t->rel_tol,
			     t->name, "mean");
		t_expect_rel(dist_variance_ns2(&t->d), t->var_ns2, t->rel_tol,
			     t->name, "variance");
	}
}

/* Population moments of { 1, 2, 2, 9, 30 } (x 100 ms): mean 8.8, mean of
 * squares (1 + 4 + 4 + 81 + 900)/5 = 198, variance 198 - 77.44 = 120.56. */
Test(dist, empirical_formulas)
{
	sim_time_t v[] = { 100 * MS, 200 * MS, 200 * MS, 900 * MS, 3 * S };
	struct dist d = { .kind = DIST_EMPIRICAL, .samples = v,
			  .n_samples = 5 };

	t_expect_rel(dist_mean_ns(&d), 8.8e8, 1e-12, "empirical", "mean");
	t_expect_rel(dist_variance_ns2(&d), 120.56e16, 1e-12, "empirical",
		     "variance");
}

/* Parameters that push samples to the edges of sim_time_t: every sample
 * must be in [0, SIM_TIME_MAX], with saturation rather than wrap-around. */
static const struct dist_row edge_rows[] = {
	{ "normal -1s sd 1s",
	  { .kind = DIST_NORMAL, .a_ns = -S, .b_ns = S } },
	{ "normal -1e18 sd 1", { .kind = DIST_NORMAL,
	  .a_ns = -INT64_C(1000000000000000000), .b_ns = 1 } },
	{ "normal 0 sd 9e18", { .kind = DIST_NORMAL, .a_ns = 0,
	  .b_ns = INT64_C(9000000000000000000) } },
	{ "normal min sd 1",
	  { .kind = DIST_NORMAL, .a_ns = INT64_MIN, .b_ns = 1 } },
	{ "normal max sd max",
	  { .kind = DIST_NORMAL, .a_ns = INT64_MAX, .b_ns = INT64_MAX } },
	{ "lognormal 9e18 sigma 3", { .kind = DIST_LOGNORMAL,
	  .a_ns = INT64_C(9000000000000000000), .shape = 3.0 } },
	{ "exponential max", { .kind = DIST_EXPONENTIAL, .a_ns = INT64_MAX } },
	{ "uniform 0-max",
	  { .kind = DIST_UNIFORM, .a_ns = 0, .b_ns = INT64_MAX } },
	{ "weibull 1e18 shape 0.1", { .kind = DIST_WEIBULL,
	  .a_ns = INT64_C(1000000000000000000), .shape = 0.1 } },
	{ "gamma 1s shape 0.01",
	  { .kind = DIST_GAMMA, .a_ns = S, .shape = 0.01 } },
	{ "constant -5", { .kind = DIST_CONSTANT, .a_ns = -5 } },
	{ "exponential -1s", { .kind = DIST_EXPONENTIAL, .a_ns = -S } },
};

#define N_EDGE_ROWS (sizeof(edge_rows) / sizeof(edge_rows[0]))

Test(dist, samples_never_negative)
{
	size_t i;

	for (i = 0; i < N_EDGE_ROWS; i++)
		t_draw_moments(&edge_rows[i].d, edge_rows[i].name, 20000);
}

Test(dist, saturates_at_sim_time_max)
{
	struct dist d = { .kind = DIST_LOGNORMAL,
			  .a_ns = INT64_C(9000000000000000000), .shape = 3.0 };
	gsl_rng *r = rng_stream_new(1, 0, "saturate");
	int i, at_max = 0;

	cr_assert(r);
	for (i = 0; i < 1000; i++)
		at_max += dist_sample(&d, r) == SIM_TIME_MAX;
	/* P(X > 2^63) = P(Z > ln(2^63 / 9e18) / 3) ~ 0.497. */
	cr_expect(at_max > 400 && at_max < 600, "%d of 1000 at max", at_max);
	gsl_rng_free(r);
}

/* Invalid parameters degrade to a constant; moments agree with samples. */
Test(dist, degenerate_parameters)
{
	static const struct dist_row rows[] = {
		{ "gamma shape 0", { .kind = DIST_GAMMA, .a_ns = S } },
		{ "weibull shape -1",
		  { .kind = DIST_WEIBULL, .a_ns = S, .shape = -1 } },
		{ "normal sd 0", { .kind = DIST_NORMAL, .a_ns = S } },
		{ "lognormal median 0", { .kind = DIST_LOGNORMAL,
		  .shape = 0.5 } },
		{ "empirical empty", { .kind = DIST_EMPIRICAL } },
	};
	static const double want[] = { 1e9, 1e9, 1e9, 0, 0 };
	gsl_rng *r = rng_stream_new(1, 0, "degenerate");
	size_t i;

	cr_assert(r);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		cr_expect_eq(dist_sample(&rows[i].d, r), (sim_time_t)want[i],
			     "%s", rows[i].name);
		cr_expect_eq(dist_mean_ns(&rows[i].d), want[i], "%s",
			     rows[i].name);
		cr_expect_eq(dist_variance_ns2(&rows[i].d), 0.0, "%s",
			     rows[i].name);
	}
	gsl_rng_free(r);
}

Test(dist, same_stream_same_samples)
{
	gsl_rng *a = rng_stream_new(3, 1, "startup");
	gsl_rng *b = rng_stream_new(3, 1, "startup");
	struct dist d = { .kind = DIST_NORMAL, .a_ns = S, .b_ns = 2 * S };
	int i;

	cr_assert(a && b);
	for (i = 0; i < 1000; i++)
		cr_assert_eq(dist_sample(&d, a), dist_sample(&d, b));
	gsl_rng_free(a);
	gsl_rng_free(b);
}

Test(dist, copy_is_deep)
{
	sim_time_t *v = malloc(3 * sizeof(*v));
	struct dist src, dst;

	cr_assert(v);
	v[0] = 1;
	v[1] = 2;
	v[2] = 3;
	src = (struct dist){ .kind = DIST_EMPIRICAL, .samples = v,
			     .n_samples = 3 };
	cr_assert_eq(dist_copy(&dst, &src), 0);
	cr_assert_eq(dst.kind, DIST_EMPIRICAL);
	cr_assert_eq(dst.n_samples, 3u);
	cr_assert_neq(dst.samples, src.samples);
	src.samples[1] = 99;
	cr_expect_eq(dst.samples[1], 2);
	dist_release(&src);
	cr_expect_eq(dst.samples[0] + dst.samples[2], 4);
	dist_release(&dst);
	cr_expect_eq(dst.kind, DIST_CONSTANT);
	cr_expect_null(dst.samples);
	cr_expect_eq(dst.a_ns, 0);
}

Test(dist, copy_parametric_and_release)
{
	struct dist src = { .kind = DIST_WEIBULL, .a_ns = 4 * S, .b_ns = 7,
			    .shape = 1.5 };
	struct dist dst;
	struct dist c = dist_constant(42);

	cr_assert_eq(dist_copy(&dst, &src), RSIM_OK);
	cr_expect_eq(dst.kind, DIST_WEIBULL);
	cr_expect_eq(dst.a_ns, 4 * S);
	cr_expect_eq(dst.b_ns, 7);
	cr_expect_eq(dst.shape, 1.5);
	cr_expect_null(dst.samples);
	dist_release(&dst);
	cr_expect_eq(c.kind, DIST_CONSTANT);
	cr_expect_eq(c.a_ns, 42);
	cr_expect_null(c.samples);
	cr_expect_eq(c.n_samples, 0u);
	dist_release(NULL);
}

Test(dist, kind_names)
{
	static const struct {
		enum dist_kind k;
		const char *name;
	} rows[] = {
		{ DIST_CONSTANT, "constant" }, { DIST_UNIFORM, "uniform" },
		{ DIST_EXPONENTIAL, "exponential" }, { DIST_NORMAL, "normal" },
		{ DIST_LOGNORMAL, "lognormal" }, { DIST_GAMMA, "gamma" },
		{ DIST_WEIBULL, "weibull" }, { DIST_EMPIRICAL, "empirical" },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		cr_expect_str_eq(dist_kind_name(rows[i].k), rows[i].name);
	cr_expect_str_eq(dist_kind_name((enum dist_kind)99), "unknown");
}
