/* zig_exp.h - fast exponential variates by the ziggurat method.
 *
 * Marsaglia and Tsang's 256-level ziggurat (J. Stat. Softw. 5(8), 2000)
 * for the standard exponential law: about 99 % of draws cost one 32-bit
 * random integer and a multiply; the rest fall back to the exact tail
 * (r - log U) or wedge tests. It replaces -log(U) on the hot paths (request
 * arrivals, exponential service times), where the logarithm dominated.
 */
#ifndef RSIM_ZIG_EXP_H
#define RSIM_ZIG_EXP_H

#include <math.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "rng.h"

extern const uint32_t zig_exp_k[256];
extern const double zig_exp_w[256];
extern const double zig_exp_f[256];

#define ZIG_EXP_R 7.697117470131487

/* A standard exponential variate (mean 1) from r, whose gsl_rng_get must
 * return 32 random bits (taus2 does). */
static inline double zig_exp(gsl_rng *r)
{
	uint32_t j = rng_get32(r);
	uint32_t i = j & 255;

	if (j < zig_exp_k[i])
		return j * zig_exp_w[i];
	for (;;) {
		double x;

		if (i == 0)
			return ZIG_EXP_R - log(gsl_rng_uniform_pos(r));
		x = j * zig_exp_w[i];
		if (zig_exp_f[i] + gsl_rng_uniform(r) *
				   (zig_exp_f[i - 1] - zig_exp_f[i]) < exp(-x))
			return x;
		j = rng_get32(r);
		i = j & 255;
		if (j < zig_exp_k[i])
			return j * zig_exp_w[i];
	}
}

#endif
