/* rng.h - named, independent random streams.
 *
 * Every source of randomness in a run (pod startup, probes, traffic,
 * network, names, ...) draws from its own GSL generator, seeded from a hash
 * of (scenario seed, replication index, stream name). Changing what one
 * part of a scenario draws therefore never shifts another part's samples,
 * and replication r sees the same streams at every sweep point (common
 * random numbers).
 */
#ifndef RS_RNG_H
#define RS_RNG_H

#include <stdint.h>

#include <gsl/gsl_rng.h>

/* The 64-bit seed of stream name for (seed, replication): a hash, stable
 * across platforms and releases (it is part of reproducibility). */
uint64_t rng_stream_seed(uint64_t seed, uint32_t replication,
			 const char *name);

/* A new GSL generator (taus2) seeded with rng_stream_seed(...). NULL when
 * out of memory. Free with gsl_rng_free. */
gsl_rng *rng_stream_new(uint64_t seed, uint32_t replication,
			const char *name);

/* Uniform in the open interval (0, 1). */
double rng_uniform_pos(gsl_rng *r);

/* Uniform integer in [0, n), n >= 1. */
uint32_t rng_below(gsl_rng *r, uint32_t n);

#endif
