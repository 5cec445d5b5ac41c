/* alloc.c - the allocator and its test hook (alloc.h). */
#include "alloc.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

static atomic_long alloc_countdown;  /* k: the k-th call fails; 0: none */
static atomic_long alloc_calls;      /* calls since rsim_alloc_fail_after */
static atomic_int alloc_fired;       /* the armed failure happened */
static _Thread_local unsigned long alloc_failures;  /* NULLs, this thread */

/* 1 when this call is the armed one. Exactly one caller sees the
 * countdown go from 1 to 0, whatever the threads do. */
static int alloc_should_fail(void)
{
	long c;

	atomic_fetch_add_explicit(&alloc_calls, 1, memory_order_relaxed);
	c = atomic_load_explicit(&alloc_countdown, memory_order_relaxed);
	while (c > 0 && !atomic_compare_exchange_weak(&alloc_countdown, &c,
						      c - 1))
		;
	if (c != 1)
		return 0;
	atomic_store(&alloc_fired, 1);
	return 1;
}

static void *alloc_result(void *p)
{
	if (!p)
		alloc_failures++;
	return p;
}

void *rsim_malloc(size_t n)
{
	return alloc_result(alloc_should_fail() ? NULL : malloc(n));
}

void *rsim_calloc(size_t n, size_t size)
{
	return alloc_result(alloc_should_fail() ? NULL : calloc(n, size));
}

void *rsim_realloc(void *p, size_t n)
{
	/* realloc fails past PTRDIFF_MAX anyway; saying so spares GCC's
	 * -Walloc-size-larger-than when LTO inlines a caller passing
	 * SIZE_MAX (test_core_util.c's strbuf overflow test) */
	if (alloc_should_fail() || n > PTRDIFF_MAX)
		return alloc_result(NULL);
	return alloc_result(realloc(p, n));
}

char *rsim_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = rsim_malloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}

void rsim_free(void *p)
{
	free(p);
}

void rsim_alloc_init(void)
{
	cJSON_Hooks h = { rsim_malloc, rsim_free };

	cJSON_InitHooks(&h);
}

unsigned long rsim_alloc_failures(void)
{
	return alloc_failures;
}

void rsim_alloc_fail_after(long k)
{
	atomic_store(&alloc_countdown, 0);
	if (k <= 0)
		return;                /* disarm; rsim_alloc_failed still tells */
	atomic_store(&alloc_fired, 0);
	atomic_store(&alloc_calls, 0);
	atomic_store(&alloc_countdown, k);
}

int rsim_alloc_failed(void)
{
	return atomic_load(&alloc_fired);
}

long rsim_alloc_count(void)
{
	return atomic_load(&alloc_calls);
}
