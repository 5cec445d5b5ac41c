/* alloc.h - the heap allocator of sim/ and models/, with a failure hook
 * for tests.
 *
 * rsim_malloc, rsim_calloc, rsim_realloc and rsim_strdup behave as the C
 * library's functions (the memory is ordinary heap memory: free() and
 * rsim_free() both release it; rsim_calloc returns NULL when n * size
 * overflows). Code in sim/ and models/ allocates only through them, so
 * that a test can make any one allocation fail and check that the
 * RSIM_ENOMEM path it takes is clean: no crash, no leak, no partial output
 * (tests/unit/test_oom.c).
 *
 * rsim_alloc_init() routes cJSON's allocations through rsim_malloc/rsim_free
 * (cJSON_InitHooks); main() and the tests call it once, before any
 * thread starts. libyaml, GSL and the C library's own allocations
 * (fopen, getline, qsort scratch) do not go through here: their failures
 * are not simulated.
 *
 * State: the test countdown is the one mutable global of sim/, an atomic
 * so that sweep workers may allocate while a test has armed it; the
 * count of failed allocations is per thread (rsim_alloc_failures), so that
 * code building a cJSON tree, whose cJSON_Add* calls drop a failure
 * silently, can tell that the tree is incomplete.
 */
#ifndef RSIM_ALLOC_H
#define RSIM_ALLOC_H

#include <stddef.h>

void *rsim_malloc(size_t n);
void *rsim_calloc(size_t n, size_t size);
void *rsim_realloc(void *p, size_t n);
char *rsim_strdup(const char *s);
void rsim_free(void *p);

/* cJSON allocates through rsim_malloc/rsim_free from now on. Call before
 * threads start. */
void rsim_alloc_init(void);

/* The number of allocations through this module that returned NULL on
 * the calling thread so far (injected or real). */
unsigned long rsim_alloc_failures(void);

/* Tests only: the k-th allocation from now (counting every thread's)
 * fails, once; k = 0 disarms (and keeps what rsim_alloc_failed and
 * rsim_alloc_count say about the armed pass). */
void rsim_alloc_fail_after(long k);

/* Tests only: 1 when the failure armed by rsim_alloc_fail_after has
 * happened. */
int rsim_alloc_failed(void);

/* Tests only: the allocations made since rsim_alloc_fail_after(k > 0)
 * (every thread's). */
long rsim_alloc_count(void);

#endif
