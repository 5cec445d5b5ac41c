/* alloc.h - the heap allocator of sim/ and models/, with a failure hook
 * for tests.
 *
 * rs_malloc, rs_calloc, rs_realloc and rs_strdup behave as the C
 * library's functions (the memory is ordinary heap memory: free() and
 * rs_free() both release it; rs_calloc returns NULL when n * size
 * overflows). Code in sim/ and models/ allocates only through them, so
 * that a test can make any one allocation fail and check that the
 * RS_ENOMEM path it takes is clean: no crash, no leak, no partial output
 * (tests/unit/test_oom.c).
 *
 * rs_alloc_init() routes cJSON's allocations through rs_malloc/rs_free
 * (cJSON_InitHooks); main() and the tests call it once, before any
 * thread starts. libyaml, GSL and the C library's own allocations
 * (fopen, getline, qsort scratch) do not go through here: their failures
 * are not simulated.
 *
 * State: the test countdown is the one mutable global of sim/, an atomic
 * so that sweep workers may allocate while a test has armed it; the
 * count of failed allocations is per thread (rs_alloc_failures), so that
 * code building a cJSON tree, whose cJSON_Add* calls drop a failure
 * silently, can tell that the tree is incomplete.
 */
#ifndef RS_ALLOC_H
#define RS_ALLOC_H

#include <stddef.h>

void *rs_malloc(size_t n);
void *rs_calloc(size_t n, size_t size);
void *rs_realloc(void *p, size_t n);
char *rs_strdup(const char *s);
void rs_free(void *p);

/* cJSON allocates through rs_malloc/rs_free from now on. Call before
 * threads start. */
void rs_alloc_init(void);

/* The number of allocations through this module that returned NULL on
 * the calling thread so far (injected or real). */
unsigned long rs_alloc_failures(void);

/* Tests only: the k-th allocation from now (counting every thread's)
 * fails, once; k = 0 disarms (and keeps what rs_alloc_failed and
 * rs_alloc_count say about the armed pass). */
void rs_alloc_fail_after(long k);

/* Tests only: 1 when the failure armed by rs_alloc_fail_after has
 * happened. */
int rs_alloc_failed(void);

/* Tests only: the allocations made since rs_alloc_fail_after(k > 0)
 * (every thread's). */
long rs_alloc_count(void);

#endif
