/* rng.c - named random streams: the seed hash of rng.h and its GSL setup.
 *
 * The hash below is a contract: changing it changes every sample of every
 * scenario, so tests/unit/test_rng.c pins it with golden values computed
 * outside the program. Each stream owns its generator; nothing here keeps
 * state between calls.
 *
 * Non-goal: cryptographic quality. The hash only has to spread nearby
 * inputs (seed 1 vs 2, replication 0 vs 1, "probe" vs "probes") apart.
 */
#include "rng.h"

#include <stddef.h>
#include <string.h>

#include "hash.h"

#define RNG_GOLDEN UINT64_C(0x9e3779b97f4a7c15)
/* taus2 (L'Ecuyer's maximally equidistributed Tausworthe generator,
 * period 2^88; about twice as fast as mt19937 here) seeded through
 * gsl_rng_set uses the low 32 bits of the seed and maps 0 to 1, so its
 * distinct seeds are exactly 1..2^32-1. */
#define RNG_MT_SEEDS UINT64_C(0xffffffff)

/* The splitmix64 finaliser (Stafford "Mix13" constants): a bijection on
 * 64-bit words with good avalanche. */
static uint64_t rng_mix64(uint64_t z)
{
	z ^= z >> 30;
	z *= UINT64_C(0xbf58476d1ce4e5b9);
	z ^= z >> 27;
	z *= UINT64_C(0x94d049bb133111eb);
	z ^= z >> 31;
	return z;
}

/* The recipe (all arithmetic modulo 2^64, G = 0x9e3779b97f4a7c15):
 *
 *   f = FNV-1a 64 of the name's bytes (offset basis 0xcbf29ce484222325,
 *       prime 0x100000001b3; each byte: f ^= byte, f *= prime)
 *   h = mix(seed + G)
 *   h = mix((h ^ replication) + G)
 *   h = mix((h ^ f) + G)
 *
 * with mix(z): z ^= z >> 30; z *= 0xbf58476d1ce4e5b9; z ^= z >> 27;
 * z *= 0x94d049bb133111eb; z ^= z >> 31. Each step is a bijection of its
 * new input, so changing only one of seed, replication or f always changes
 * the result. */
uint64_t rng_stream_seed(uint64_t seed, uint32_t replication,
			 const char *name)
{
	uint64_t h = rng_mix64(seed + RNG_GOLDEN);
	uint64_t f = hash_fnv64a(name, name ? strlen(name) : 0);

	h = rng_mix64((h ^ (uint64_t)replication) + RNG_GOLDEN);
	h = rng_mix64((h ^ f) + RNG_GOLDEN);
	return h;
}

/* The generator is seeded with 1 + (hash mod (2^32 - 1)), which lands in
 * 1..2^32-1: never 0 (which GSL would silently turn into 1, aliasing
 * another stream) and never above 32 bits (which taus2 would truncate).
 * Two streams share a state only when their hashes agree modulo 2^32 - 1,
 * the unavoidable ~2^-32 chance per pair of a 32-bit-seeded generator. */
gsl_rng *rng_stream_new(uint64_t seed, uint32_t replication,
			const char *name)
{
	uint64_t h = rng_stream_seed(seed, replication, name);
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);

	if (!r)
		return NULL;
	gsl_rng_set(r, (unsigned long)(1 + h % RNG_MT_SEEDS));
	return r;
}

double rng_uniform_pos(gsl_rng *r)
{
	return gsl_rng_uniform_pos(r);
}

/* gsl_rng_uniform_int rejects (no modulo bias). n == 0 is a caller bug; it
 * returns 0 rather than reaching GSL's error path. */
/* Lemire's multiply-shift with rejection: exactly uniform, and a
 * division only on the rare rejection path (taus2 gives 32 bits). */
uint32_t rng_below(gsl_rng *r, uint32_t n)
{
	uint64_t m;
	uint32_t low, floor_n;

	if (n <= 1)
		return 0;
	m = (uint64_t)rng_get32(r) * n;
	low = (uint32_t)m;
	if (low < n) {
		floor_n = (uint32_t)(-n) % n;      /* 2^32 mod n */
		while (low < floor_n) {
			m = (uint64_t)rng_get32(r) * n;
			low = (uint32_t)m;
		}
	}
	return (uint32_t)(m >> 32);
}
