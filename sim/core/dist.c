/* dist.c - sampling and theoretical moments of the dist.h families.
 *
 * Every sample is computed in double nanoseconds and rounded once, to
 * nearest, saturating at 0 and SIM_TIME_MAX (NaN -> 0), so no family can
 * return a negative or wrapped duration. Parameters the loader should have
 * rejected (non-positive mean, scale or shape, empty sample set) degrade to
 * a constant, and dist_mean_ns / dist_variance_ns2 describe that constant,
 * so sampling and moments always agree (uniform assumes 0 <= min; min
 * and max may come in either order). Nothing loops on the rng: each
 * family draws a bounded number of values.
 */
#include "dist.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_erf.h>
#include <gsl/gsl_sf_gamma.h>

#include "alloc.h"
#include "err.h"
#include "zig_exp.h"
#include "rng.h"

/* Above this alpha = -mean/sd, Q(alpha) < 1e-299 is too close to underflow
 * for inversion; the tail law is used instead (dist_normal_tail_ns). */
#define DIST_NORMAL_TAIL_ALPHA 37.0

/* 2^63 as a double: the first value that does not fit in sim_time_t. */
#define DIST_TWO_POW_63 9223372036854775808.0

static const char *const dist_names[] = {
	[DIST_CONSTANT] = "constant",
	[DIST_UNIFORM] = "uniform",
	[DIST_EXPONENTIAL] = "exponential",
	[DIST_NORMAL] = "normal",
	[DIST_LOGNORMAL] = "lognormal",
	[DIST_GAMMA] = "gamma",
	[DIST_WEIBULL] = "weibull",
	[DIST_EMPIRICAL] = "empirical",
};

/* Rounds x ns to nearest, saturating at 0 and SIM_TIME_MAX; NaN -> 0. */
static sim_time_t dist_round_ns(double x)
{
	if (!(x > 0.0))
		return 0;
	if (x >= DIST_TWO_POW_63)
		return SIM_TIME_MAX;
	/* x < 2^63: adding one half and truncating rounds half up (the same
	 * as llround for positive x, without the libm call) */
	return (sim_time_t)(x + 0.5);
}

static sim_time_t dist_clamp_ns(sim_time_t t)
{
	return t < 0 ? 0 : t;
}

/* The value a degenerate (invalid-parameter) family collapses to. */
static double dist_degenerate_ns(const struct dist *d)
{
	return (double)dist_clamp_ns(d->a_ns);
}

/* 1 when the shape parameter of gamma/weibull is usable. */
static int dist_shape_ok(const struct dist *d)
{
	return isfinite(d->shape) && d->shape > 0.0 && d->a_ns > 0;
}

struct dist dist_constant(sim_time_t value_ns)
{
	struct dist d;

	memset(&d, 0, sizeof(d));
	d.kind = DIST_CONSTANT;
	d.a_ns = value_ns;
	d.samples = NULL;
	return d;
}

void dist_release(struct dist *d)
{
	if (!d)
		return;
	free(d->samples);
	*d = dist_constant(0);
}

/* dst is overwritten without being released first (it is treated as
 * uninitialised storage). On RSIM_ENOMEM dst is left as constant 0. */
int dist_copy(struct dist *dst, const struct dist *src)
{
	struct dist tmp = *src;

	if (dst == src)
		return 0;
	tmp.samples = NULL;
	if (src->samples && src->n_samples > 0) {
		if (src->n_samples > SIZE_MAX / sizeof(*tmp.samples))
			goto out_nomem;
		tmp.samples = rsim_malloc(src->n_samples * sizeof(*tmp.samples));
		if (!tmp.samples)
			goto out_nomem;
		memcpy(tmp.samples, src->samples,
		       src->n_samples * sizeof(*tmp.samples));
	} else {
		tmp.n_samples = 0;
	}
	*dst = tmp;
	return 0;

out_nomem:
	*dst = dist_constant(0);
	return RSIM_ENOMEM;
}

const char *dist_kind_name(enum dist_kind k)
{
	if ((unsigned)k >= sizeof(dist_names) / sizeof(dist_names[0]))
		return "unknown";
	return dist_names[k];
}

/* alpha = -mean/sd of the normal truncated at 0 (sd > 0). */
static double dist_normal_alpha(const struct dist *d)
{
	return -(double)d->a_ns / (double)d->b_ns;
}

/* Far in the lower tail (alpha > DIST_NORMAL_TAIL_ALPHA, i.e. the mean is
 * more than 37 sd below 0), P(X > t sd | X > 0) = Q(alpha + t) / Q(alpha)
 * ~ exp(-alpha t - t^2/2); inverting that against an Exp(1) draw gives
 * t = 2E / (alpha + sqrt(alpha^2 + 2E)). Relative error of the law is
 * O(1/alpha^2) < 0.1%, on values already below sd/37. */
static double dist_normal_tail_ns(const struct dist *d, gsl_rng *r)
{
	double alpha = dist_normal_alpha(d);
	double e = -log(rng_uniform_pos(r));
	double t = 2.0 * e / (alpha + sqrt(alpha * alpha + 2.0 * e));

	return (double)d->b_ns * t;
}

/* Normal truncated at 0 by inversion on the part above 0:
 * X = mean + sd * Qinv(u * Q(alpha)), u in (0, 1). No rejection loop. */
static double dist_normal_ns(const struct dist *d, gsl_rng *r)
{
	double mean = (double)d->a_ns;
	double sd = (double)d->b_ns;
	double alpha, q;

	if (d->b_ns <= 0)
		return mean;
	alpha = dist_normal_alpha(d);
	if (alpha > DIST_NORMAL_TAIL_ALPHA)
		return dist_normal_tail_ns(d, r);
	q = gsl_cdf_ugaussian_Q(alpha);
	return mean + sd * gsl_cdf_ugaussian_Qinv(rng_uniform_pos(r) * q);
}

static double dist_empirical_ns(const struct dist *d, gsl_rng *r)
{
	size_t i;

	if (!d->samples || d->n_samples == 0)
		return 0.0;
	if (d->n_samples <= UINT32_MAX) {
		i = rng_below(r, (uint32_t)d->n_samples);
	} else {
		i = (size_t)(rng_uniform_pos(r) * (double)d->n_samples);
		if (i >= d->n_samples)
			i = d->n_samples - 1;
	}
	return (double)dist_clamp_ns(d->samples[i]);
}

/* One draw in double ns, before rounding (constant handled by caller). */
static double dist_draw_ns(const struct dist *d, gsl_rng *r)
{
	double a = (double)d->a_ns;

	switch (d->kind) {
	case DIST_UNIFORM:
		return gsl_ran_flat(r, a, (double)d->b_ns);
	case DIST_EXPONENTIAL:
		/* the ziggurat: no logarithm on 99 % of draws */
		return d->a_ns > 0 ? a * zig_exp(r) : 0.0;
	case DIST_NORMAL:
		return dist_normal_ns(d, r);
	case DIST_LOGNORMAL:
		if (d->a_ns <= 0 || !isfinite(d->shape))
			return dist_degenerate_ns(d);
		/* median * exp(sigma Z); the ziggurat normal is about twice
		 * as fast as the polar method of gsl_ran_lognormal */
		return a * exp(d->shape * gsl_ran_gaussian_ziggurat(r, 1.0));
	case DIST_GAMMA:
		if (!dist_shape_ok(d))
			return dist_degenerate_ns(d);
		return gsl_ran_gamma(r, d->shape, a / d->shape);
	case DIST_WEIBULL:
		if (!dist_shape_ok(d))
			return dist_degenerate_ns(d);
		return gsl_ran_weibull(r, a, d->shape);
	case DIST_EMPIRICAL:
		return dist_empirical_ns(d, r);
	case DIST_CONSTANT:
	default:
		return dist_degenerate_ns(d);
	}
}

sim_time_t dist_sample(const struct dist *d, gsl_rng *r)
{
	if (d->kind == DIST_CONSTANT)
		return dist_clamp_ns(d->a_ns);
	return dist_round_ns(dist_draw_ns(d, r));
}

/* Population mean (m != NULL) and variance of the clamped samples. */
static void dist_empirical_moments(const struct dist *d, double *m,
				   double *v)
{
	double mean = 0.0, ss = 0.0, x;
	size_t i, n = d->samples ? d->n_samples : 0;

	for (i = 0; i < n; i++)
		mean += (double)dist_clamp_ns(d->samples[i]);
	mean = n ? mean / (double)n : 0.0;
	for (i = 0; i < n; i++) {
		x = (double)dist_clamp_ns(d->samples[i]) - mean;
		ss += x * x;
	}
	*m = mean;
	*v = n ? ss / (double)n : 0.0;
}

/* Truncated normal at 0: lambda = phi(alpha)/Q(alpha) (gsl_sf_hazard, which
 * stays accurate where Q underflows), mean = mu + sd lambda,
 * var = sd^2 (1 + alpha lambda - lambda^2). */
static void dist_normal_moments(const struct dist *d, double *m, double *v)
{
	double sd = (double)d->b_ns, alpha, lambda, f;

	if (d->b_ns <= 0) {
		*m = dist_degenerate_ns(d);
		*v = 0.0;
		return;
	}
	alpha = dist_normal_alpha(d);
	lambda = gsl_sf_hazard(alpha);
	*m = (double)d->a_ns + sd * lambda;
	f = 1.0 + alpha * lambda - lambda * lambda;
	*v = f > 0.0 ? sd * sd * f : 0.0;
}

static void dist_lognormal_moments(const struct dist *d, double *m,
				   double *v)
{
	double mu, s2;

	if (d->a_ns <= 0 || !isfinite(d->shape)) {
		*m = dist_degenerate_ns(d);
		*v = 0.0;
		return;
	}
	mu = log((double)d->a_ns);
	s2 = d->shape * d->shape;
	*m = exp(mu + s2 / 2.0);
	*v = expm1(s2) * exp(2.0 * mu + s2);
}

/* Weibull: scale Gamma(1 + 1/k),
 * scale^2 (Gamma(1 + 2/k) - Gamma(1 + 1/k)^2). */
static void dist_weibull_moments(const struct dist *d, double *m, double *v)
{
	double a = (double)d->a_ns, g1, g2;

	g1 = gsl_sf_gamma(1.0 + 1.0 / d->shape);
	g2 = gsl_sf_gamma(1.0 + 2.0 / d->shape);
	*m = a * g1;
	*v = a * a * (g2 - g1 * g1);
	if (!isfinite(g2))
		*v = HUGE_VAL;  /* tiny shapes: Gamma(1 + 2/k) overflows */
	else if (!(*v > 0.0))
		*v = 0.0;
}

/* Mean and variance of whatever dist_sample draws (before rounding). */
static void dist_moments(const struct dist *d, double *m, double *v)
{
	double a = (double)d->a_ns, b = (double)d->b_ns;

	*m = dist_degenerate_ns(d);
	*v = 0.0;
	switch (d->kind) {
	case DIST_UNIFORM:
		*m = (a + b) / 2.0;
		*v = (b - a) * (b - a) / 12.0;
		break;
	case DIST_EXPONENTIAL:
		*v = *m * *m;
		break;
	case DIST_NORMAL:
		dist_normal_moments(d, m, v);
		break;
	case DIST_LOGNORMAL:
		dist_lognormal_moments(d, m, v);
		break;
	case DIST_GAMMA:
		if (dist_shape_ok(d))
			*v = a * a / d->shape;  /* k theta^2, theta = mean/k */
		break;
	case DIST_WEIBULL:
		if (dist_shape_ok(d))
			dist_weibull_moments(d, m, v);
		break;
	case DIST_EMPIRICAL:
		dist_empirical_moments(d, m, v);
		break;
	case DIST_CONSTANT:
	default:
		break;
	}
}

double dist_mean_ns(const struct dist *d)
{
	double m, v;

	dist_moments(d, &m, &v);
	return m;
}

double dist_variance_ns2(const struct dist *d)
{
	double m, v;

	dist_moments(d, &m, &v);
	return v;
}
