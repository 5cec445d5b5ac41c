/* hash.c - FNV-1a (hash.h): for each byte, h ^= byte, then h *= prime. */
#include "hash.h"

uint32_t hash_fnv32a_more(uint32_t h, const void *data, size_t n)
{
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= p[i];
		h *= HASH_FNV32_PRIME;
	}
	return h;
}

uint32_t hash_fnv32a(const void *data, size_t n)
{
	return hash_fnv32a_more(HASH_FNV32_OFFSET, data, n);
}

uint64_t hash_fnv64a_more(uint64_t h, const void *data, size_t n)
{
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= p[i];
		h *= HASH_FNV64_PRIME;
	}
	return h;
}

uint64_t hash_fnv64a(const void *data, size_t n)
{
	return hash_fnv64a_more(HASH_FNV64_OFFSET, data, n);
}
