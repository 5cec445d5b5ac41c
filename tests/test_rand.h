/* test_rand.h - the tests' own random numbers (splitmix64), independent
 * of the program's streams, for generating random cases with fixed seeds.
 */
#ifndef RSIM_TEST_RAND_H
#define RSIM_TEST_RAND_H

#include <stdint.h>

/* splitmix64: the next value of the state *s. */
static inline uint64_t sm_next(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* Uniform integer in [lo, hi] (modulo bias irrelevant for tests). */
static inline int64_t sm_range(uint64_t *s, int64_t lo, int64_t hi)
{
	return lo + (int64_t)(sm_next(s) % (uint64_t)(hi - lo + 1));
}

/* 1 with probability pct / 100. */
static inline int sm_chance(uint64_t *s, int pct)
{
	return sm_range(s, 0, 99) < pct;
}

/* Uniform in [0, 1). */
static inline double sm_unit(uint64_t *s)
{
	return (double)(sm_next(s) >> 11) * 0x1.0p-53;
}

#endif
