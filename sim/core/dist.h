/* dist.h - latency distributions, sampled in integer nanoseconds.
 *
 * A distribution is parsed once (by scenario.c) into a struct dist whose
 * duration parameters are nanoseconds; sampling returns a non-negative
 * sim_time_t. Families and parameters:
 *   constant     value                      -> a_ns
 *   uniform      min, max                   -> a_ns, b_ns
 *   exponential  mean                       -> a_ns
 *   normal       mean, sd, truncated at 0   -> a_ns, b_ns (resampled by
 *                inversion on the part above 0, never clamped)
 *   lognormal    median + sigma             -> a_ns (median), shape (sigma)
 *                (mean + sd is converted to median + sigma by the loader)
 *   gamma        mean + shape               -> a_ns (mean), shape
 *   weibull      scale + shape              -> a_ns (scale), shape
 *   empirical    samples, drawn uniformly   -> samples[], n_samples
 */
#ifndef RSIM_DIST_H
#define RSIM_DIST_H

#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "engine.h"

enum dist_kind {
	DIST_CONSTANT = 0,
	DIST_UNIFORM,
	DIST_EXPONENTIAL,
	DIST_NORMAL,
	DIST_LOGNORMAL,
	DIST_GAMMA,
	DIST_WEIBULL,
	DIST_EMPIRICAL
};

struct dist {
	enum dist_kind kind;
	sim_time_t a_ns;       /* value / min / mean / median / scale */
	sim_time_t b_ns;       /* max (uniform), sd (normal) */
	double shape;          /* sigma (lognormal), shape (gamma, weibull) */
	sim_time_t *samples;   /* empirical samples, owned (dist_release) */
	size_t n_samples;
};

/* A constant distribution of value_ns (owns nothing). */
struct dist dist_constant(sim_time_t value_ns);

/* Frees what d owns and makes it constant 0. */
void dist_release(struct dist *d);

/* Deep copy (empirical samples duplicated). Returns 0 or RSIM_ENOMEM. */
int dist_copy(struct dist *dst, const struct dist *src);

/* One sample, >= 0, saturating at SIM_TIME_MAX. */
sim_time_t dist_sample(const struct dist *d, gsl_rng *r);

/* Theoretical mean and variance of the sampled values in ns and ns^2
 * (for the truncated normal: of the truncated law). */
double dist_mean_ns(const struct dist *d);
double dist_variance_ns2(const struct dist *d);

/* The family's name as written in scenarios ("lognormal", ...). */
const char *dist_kind_name(enum dist_kind k);

#endif
