/* hash.c - FNV-1a (hash.h): for each byte, h ^= byte, then h *= prime.
 * One loop serves both widths: the 32-bit hash is the 64-bit product
 * kept modulo 2^32, which is what 32-bit arithmetic computes. */
#include "hash.h"

static uint64_t fnv1a(uint64_t h, const void *data, size_t n,
		      uint64_t prime, uint64_t mask)
{
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i < n; i++)
		h = ((h ^ p[i]) * prime) & mask;
	return h;
}

uint32_t hash_fnv32a_more(uint32_t h, const void *data, size_t n)
{
	return (uint32_t)fnv1a(h, data, n, HASH_FNV32_PRIME, UINT32_MAX);
}

uint32_t hash_fnv32a(const void *data, size_t n)
{
	return hash_fnv32a_more(HASH_FNV32_OFFSET, data, n);
}

uint64_t hash_fnv64a_more(uint64_t h, const void *data, size_t n)
{
	return fnv1a(h, data, n, HASH_FNV64_PRIME, UINT64_MAX);
}

uint64_t hash_fnv64a(const void *data, size_t n)
{
	return hash_fnv64a_more(HASH_FNV64_OFFSET, data, n);
}
