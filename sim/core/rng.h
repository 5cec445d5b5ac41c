/* rng.h - named, independent random streams.
 *
 * Every source of randomness in a run (pod startup, probes, traffic,
 * network, names, ...) draws from its own GSL generator, seeded from a hash
 * of (scenario seed, replication index, stream name). Changing what one
 * part of a scenario draws therefore never shifts another part's samples,
 * and replication r sees the same streams at every sweep point (common
 * random numbers).
 */
#ifndef RSIM_RNG_H
#define RSIM_RNG_H

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

/* The state of GSL's taus2 generator: three 32-bit Tausworthe components
 * (L'Ecuyer 1996), kept in unsigned longs. */
struct rng_taus2_state {
	unsigned long s1, s2, s3;
};

/* The next 32 random bits of r: for taus2 (every stream of rng_stream_new)
 * L'Ecuyer's recurrence computed inline on the generator's state, which
 * gives exactly gsl_rng_get's value (tests/unit/test_rng.c checks it)
 * without an indirect call on the hot paths; other types: gsl_rng_get. */
static inline uint32_t rng_get32(gsl_rng *r)
{
	struct rng_taus2_state *s;
	unsigned long b;

	if (r->type != gsl_rng_taus2)
		return (uint32_t)gsl_rng_get(r);
	s = r->state;
	b = (((s->s1 << 13) & 0xffffffffUL) ^ s->s1) >> 19;
	s->s1 = (((s->s1 & 4294967294UL) << 12) & 0xffffffffUL) ^ b;
	b = (((s->s2 << 2) & 0xffffffffUL) ^ s->s2) >> 25;
	s->s2 = (((s->s2 & 4294967288UL) << 4) & 0xffffffffUL) ^ b;
	b = (((s->s3 << 3) & 0xffffffffUL) ^ s->s3) >> 11;
	s->s3 = (((s->s3 & 4294967280UL) << 17) & 0xffffffffUL) ^ b;
	return (uint32_t)(s->s1 ^ s->s2 ^ s->s3);
}

/* Uniform in the open interval (0, 1). */
double rng_uniform_pos(gsl_rng *r);

/* Uniform integer in [0, n), n >= 1. */
uint32_t rng_below(gsl_rng *r, uint32_t n);

#endif
