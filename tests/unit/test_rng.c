/* test_rng.c - named random streams (sim/core/rng.c).
 *
 * Pins the documented seed-hash recipe with golden values computed outside
 * the program (a Python re-implementation, quoted beside the table) and
 * with a second C re-implementation written here; checks that streams are
 * reproducible, that changing seed, replication or name gives a different,
 * uncorrelated stream, and the ranges of rng_uniform_pos and rng_below.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "sim/core/rng.h"

/* FNV-1a 64, written from the published definition (Fowler/Noll/Vo). */
static uint64_t t_fnv1a64(const unsigned char *p, size_t n)
{
	uint64_t h = UINT64_C(14695981039346656037);
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ p[i]) * UINT64_C(1099511628211);
	return h;
}

static uint64_t t_mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* The recipe documented above rng_stream_seed in sim/core/rng.c. */
static uint64_t t_stream_seed(uint64_t seed, uint32_t rep, const char *name)
{
	const uint64_t g = UINT64_C(0x9e3779b97f4a7c15);
	uint64_t f = t_fnv1a64((const unsigned char *)name, strlen(name));

	return t_mix((t_mix((t_mix(seed + g) ^ rep) + g) ^ f) + g);
}

Test(rng, fnv_reference_vectors)
{
	/* Test vectors from the FNV reference test suite (test_fnv.c). */
	cr_assert_eq(t_fnv1a64((const unsigned char *)"", 0),
		     UINT64_C(0xcbf29ce484222325));
	cr_assert_eq(t_fnv1a64((const unsigned char *)"a", 1),
		     UINT64_C(0xaf63dc4c8601ec8c));
	cr_assert_eq(t_fnv1a64((const unsigned char *)"foobar", 6),
		     UINT64_C(0x85944171f73967e8));
}

struct seed_row {
	uint64_t seed;
	uint32_t rep;
	const char *name;
	uint64_t hash;   /* golden: see the comment on the table */
	unsigned long mt_seed;   /* 1 + hash % (2^32 - 1) */
};

/* Golden values from an independent Python implementation of the recipe
 * (arbitrary-precision integers masked to 64 bits):
 *   mix(z): z ^= z>>30; z = z*0xbf58476d1ce4e5b9 & M; z ^= z>>27;
 *           z = z*0x94d049bb133111eb & M; z ^= z>>31
 *   seed(s, r, name) = mix((mix((mix(s+G) ^ r) + G) ^ fnv1a(name)) + G)
 * "\xff\x80" catches a name hashed through signed char. */
static const struct seed_row seed_rows[] = {
	{ 0, 0, "", UINT64_C(0x7dc2c42b173ebf65), 2499904401UL },
	{ 1, 0, "startup", UINT64_C(0x83ece69c4b5c2399), 3477670454UL },
	{ 1, 1, "startup", UINT64_C(0x9862bd7b354869bd), 3450545977UL },
	{ 42, 7, "traffic", UINT64_C(0x66161cafa580b840), 194434289UL },
	{ UINT64_MAX, UINT32_MAX, "network", UINT64_C(0xdffe4b8c82af8b4b),
	  1655559897UL },
	{ 7, 3, "\xff\x80", UINT64_C(0x4afdfa514de3b96b), 0 },
	{ 123456789, 2, "pod-startup.image-pull/pod-startup.image-pull/"
	  "pod-startup.image-pull/pod-startup.image-pull/",
	  UINT64_C(0x7f408a47581a93e2), 0 },
};

#define N_SEED_ROWS (sizeof(seed_rows) / sizeof(seed_rows[0]))

Test(rng, stream_seed_golden_values)
{
	size_t i;

	for (i = 0; i < N_SEED_ROWS; i++) {
		const struct seed_row *t = &seed_rows[i];
		uint64_t got = rng_stream_seed(t->seed, t->rep, t->name);

		cr_expect_eq(got, t->hash, "row %zu (%s): got 0x%016" PRIx64
			     " want 0x%016" PRIx64, i, t->name, got, t->hash);
		cr_expect_eq(got, t_stream_seed(t->seed, t->rep, t->name),
			     "row %zu (%s): C re-implementation differs",
			     i, t->name);
	}
}

Test(rng, stream_seed_null_name_is_empty)
{
	cr_assert_eq(rng_stream_seed(5, 6, NULL), rng_stream_seed(5, 6, ""));
}

/* rng_stream_new is gsl_rng_set(taus2, 1 + hash % (2^32 - 1)). */
Test(rng, stream_new_seeds_taus2_as_documented)
{
	size_t i, k;

	for (i = 0; i < N_SEED_ROWS; i++) {
		const struct seed_row *t = &seed_rows[i];
		gsl_rng *a = rng_stream_new(t->seed, t->rep, t->name);
		gsl_rng *b = gsl_rng_alloc(gsl_rng_taus2);
		unsigned long s = (unsigned long)(1 + t->hash % 0xffffffffu);

		cr_assert(a && b);
		cr_assert_str_eq(gsl_rng_name(a), "taus2");
		if (t->mt_seed)
			cr_expect_eq(s, t->mt_seed, "row %zu", i);
		gsl_rng_set(b, s);
		for (k = 0; k < 5; k++)
			cr_expect_eq(gsl_rng_get(a), gsl_rng_get(b),
				     "row %zu draw %zu", i, k);
		gsl_rng_free(a);
		gsl_rng_free(b);
	}
}

static int t_cmp_ul(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = *(const unsigned long *)b;

	return (x > y) - (x < y);
}

/* The effective generator seeds of 10 stream names x 1000 replications are
 * all distinct (the generator only has 2^32 - 1 of them). */
Test(rng, no_seed_collisions_across_names_and_replications)
{
	static const char *const names[] = {
		"startup", "probe", "traffic", "network", "names",
		"pull", "shutdown", "crash", "controller", "sync",
	};
	enum { N_NAMES = 10, N_REPS = 1000 };
	unsigned long *s = malloc(N_NAMES * N_REPS * sizeof(*s));
	size_t i, n = 0;
	uint32_t r;

	cr_assert(s);
	for (i = 0; i < N_NAMES; i++)
		for (r = 0; r < N_REPS; r++)
			s[n++] = (unsigned long)(1 +
				rng_stream_seed(1, r, names[i]) % 0xffffffffu);
	qsort(s, n, sizeof(*s), t_cmp_ul);
	for (i = 1; i < n; i++)
		cr_expect_neq(s[i - 1], s[i], "two streams share seed %lu",
			      s[i]);
	free(s);
}

Test(rng, same_triple_same_sequence)
{
	gsl_rng *a = rng_stream_new(1, 3, "startup");
	gsl_rng *b = rng_stream_new(1, 3, "startup");
	int k;

	cr_assert(a && b);
	for (k = 0; k < 10000; k++)
		cr_assert_eq(gsl_rng_get(a), gsl_rng_get(b), "draw %d", k);
	gsl_rng_free(a);
	gsl_rng_free(b);
}

/* Pearson correlation of n uniform pairs drawn from a and b. Under
 * independence it is ~ N(0, 1/n), so |r| < 5/sqrt(n) fails with
 * probability ~6e-7 (and the seeds are fixed, so never at random). */
static double t_correlation(gsl_rng *a, gsl_rng *b, int n)
{
	double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, x, y;
	int i;

	for (i = 0; i < n; i++) {
		x = rng_uniform_pos(a);
		y = rng_uniform_pos(b);
		sx += x;
		sy += y;
		sxx += x * x;
		syy += y * y;
		sxy += x * y;
	}
	return (sxy - sx * sy / n) /
	       sqrt((sxx - sx * sx / n) * (syy - sy * sy / n));
}

/* Streams a and b differ (few equal draws at equal positions: a shared
 * value has probability 2^-32) and are uncorrelated. */
static void t_check_independent(gsl_rng *a, gsl_rng *b, const char *what)
{
	const int n = 100000;
	int k, same = 0;
	double r;

	cr_assert(a && b);
	for (k = 0; k < 1000; k++)
		same += gsl_rng_get(a) == gsl_rng_get(b);
	cr_expect_lt(same, 3, "%s: %d of 1000 draws equal", what, same);
	r = t_correlation(a, b, n);
	cr_expect_lt(fabs(r), 5.0 / sqrt(n), "%s: correlation %g (bound %g)",
		     what, r, 5.0 / sqrt(n));
	gsl_rng_free(a);
	gsl_rng_free(b);
}

Test(rng, different_name_independent)
{
	t_check_independent(rng_stream_new(1, 0, "startup"),
			    rng_stream_new(1, 0, "probe"), "names");
	t_check_independent(rng_stream_new(1, 0, "probe"),
			    rng_stream_new(1, 0, "probes"), "near names");
}

Test(rng, different_replication_independent)
{
	t_check_independent(rng_stream_new(1, 0, "startup"),
			    rng_stream_new(1, 1, "startup"), "replications");
}

Test(rng, different_seed_independent)
{
	t_check_independent(rng_stream_new(1, 0, "startup"),
			    rng_stream_new(2, 0, "startup"), "seeds");
}

Test(rng, uniform_pos_open_interval)
{
	gsl_rng *r = rng_stream_new(9, 0, "u");
	double u, sum = 0;
	const int n = 100000;
	int k;

	cr_assert(r);
	for (k = 0; k < n; k++) {
		u = rng_uniform_pos(r);
		cr_assert(u > 0.0 && u < 1.0, "draw %d = %g", k, u);
		sum += u;
	}
	/* mean 1/2, sd of the mean sqrt(1/12/n); 5 standard errors. */
	cr_expect_lt(fabs(sum / n - 0.5), 5.0 * sqrt(1.0 / 12.0 / n));
	gsl_rng_free(r);
}

/* Each of m buckets gets ~ Binomial(n, 1/m) draws; each count must be
 * within 5 binomial standard deviations of n/m. */
Test(rng, below_range_and_uniformity)
{
	enum { M = 10, N = 200000 };
	gsl_rng *r = rng_stream_new(9, 0, "below");
	long count[M] = { 0 };
	double sd = sqrt(N * (1.0 / M) * (1.0 - 1.0 / M));
	uint32_t v;
	int k;

	cr_assert(r);
	for (k = 0; k < N; k++) {
		v = rng_below(r, M);
		cr_assert_lt(v, (uint32_t)M, "draw %d", k);
		count[v]++;
	}
	for (k = 0; k < M; k++)
		cr_expect_lt(fabs(count[k] - (double)N / M), 5.0 * sd,
			     "bucket %d: %ld", k, count[k]);
	for (k = 0; k < 1000; k++) {
		cr_assert_eq(rng_below(r, 1), 0u);
		cr_assert_lt(rng_below(r, UINT32_MAX), UINT32_MAX);
	}
	cr_expect_eq(rng_below(r, 0), 0u);
	gsl_rng_free(r);
}

/* rng_get32's inline taus2 step gives exactly gsl_rng_get's values. */
Test(rng, get32_equals_gsl_rng_get)
{
	gsl_rng *a = rng_stream_new(42, 3, "traffic");
	gsl_rng *b = rng_stream_new(42, 3, "traffic");
	int i;

	cr_assert(a && b);
	for (i = 0; i < 100000; i++) {
		uint32_t x = rng_get32(a);
		unsigned long y = gsl_rng_get(b);

		if (x != (uint32_t)y)
			cr_assert_fail("draw %d: %u != %lu", i, x, y);
	}
	gsl_rng_free(a);
	gsl_rng_free(b);
}
