/* hash.h - FNV-1a, 32 and 64 bits (Fowler, Noll, Vo).
 *
 * For identities that must be stable across runs and machines: the
 * Kubernetes pod-template-hash (FNV-32a, as
 * pkg/controller/controller_utils.go ComputeHash uses), rng stream names,
 * scenario fingerprints. Not for hash tables facing untrusted keys.
 * The _more variants continue a hash: hash_fnv32a_more(hash_fnv32a(a),
 * b) is the hash of a followed by b.
 */
#ifndef RSIM_HASH_H
#define RSIM_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_FNV32_OFFSET UINT32_C(0x811c9dc5)
#define HASH_FNV32_PRIME UINT32_C(0x01000193)
#define HASH_FNV64_OFFSET UINT64_C(0xcbf29ce484222325)
#define HASH_FNV64_PRIME UINT64_C(0x00000100000001b3)

/* FNV-1a 32 of n bytes. */
uint32_t hash_fnv32a(const void *data, size_t n);
/* FNV-1a 32 continued from h over n more bytes. */
uint32_t hash_fnv32a_more(uint32_t h, const void *data, size_t n);
/* FNV-1a 64 of n bytes. */
uint64_t hash_fnv64a(const void *data, size_t n);
/* FNV-1a 64 continued from h over n more bytes. */
uint64_t hash_fnv64a_more(uint64_t h, const void *data, size_t n);

#endif
