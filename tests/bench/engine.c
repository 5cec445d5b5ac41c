/* bench/engine.c - the classic "hold" benchmark on the rollsim engine.
 *
 * n events (100, 10^4, 10^6) stay pending; each hold op is one engine_step
 * whose handler schedules one new event at now + Exp(mean 1 s). A second
 * series adds cancellation: the handler schedules two events and cancels
 * one of them (picked by a coin flip), so n stays fixed. Each figure is
 * the median of 3 timed repetitions after a warm-up, printed as a table
 * and as JSON lines for tests/bench/bench.sh. Comparable to the 4-ary
 * pop_push series of the speed anchors' heap_limit.c (same sizes and op
 * counts; bench.sh finds it through BENCH_ANCHORS); `--quick` divides the
 * op counts by 4.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim/core/engine.h"

#define BENCH_SIZES 3
#define BENCH_REPS 3
#define BENCH_GOLDEN UINT64_C(0x9e3779b97f4a7c15)

struct bench {
	engine *eng;        /* the engine under test */
	uint64_t s[4];      /* xoshiro256+ state */
	uint64_t sink;      /* sum of event times, keeps the work observable */
};

static inline uint64_t bench_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256+ (Blackman & Vigna): the top 53 bits are what we use. */
static inline uint64_t bench_next(struct bench *b)
{
	uint64_t *s = b->s;
	uint64_t out = s[0] + s[3];
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = bench_rotl(s[3], 45);
	return out;
}

static void bench_seed(struct bench *b, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++) {
		uint64_t z = seed + (uint64_t)(i + 1) * BENCH_GOLDEN;

		z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
		z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
		b->s[i] = z ^ (z >> 31);
	}
}

/* Exp(mean 1 s) in ns: -log(u) with u uniform in (0, 1). */
static inline sim_time_t bench_exp_ns(struct bench *b)
{
	double u = ((double)(bench_next(b) >> 11) + 0.5) * 0x1.0p-53;

	return (sim_time_t)(-log(u) * 1e9);
}

static void bench_hold(void *ctx, uint64_t arg)
{
	struct bench *b = ctx;

	b->sink += (uint64_t)engine_now(b->eng);
	engine_after(b->eng, bench_exp_ns(b), bench_hold, b, arg);
}

static void bench_hold_cancel(void *ctx, uint64_t arg)
{
	struct bench *b = ctx;
	engine_handle h[2];

	b->sink += (uint64_t)engine_now(b->eng);
	h[0] = engine_after(b->eng, bench_exp_ns(b), bench_hold_cancel, b, arg);
	h[1] = engine_after(b->eng, bench_exp_ns(b), bench_hold_cancel, b, arg);
	engine_cancel(b->eng, h[bench_next(b) >> 63]);
}

static double bench_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int bench_cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x;
	double b = *(const double *)y;

	return (a > b) - (a < b);
}

static int bench_steps(engine *e, uint64_t ops)
{
	uint64_t i;

	for (i = 0; i < ops; i++)
		if (!engine_step(e))
			return -1;
	return engine_error(e) ? -1 : 0;
}

/* Median ns per hold op with n pending events, or a negative value when
 * the engine failed (out of memory, or the queue ran dry). */
static double bench_run(size_t n, uint64_t ops, engine_fn fn, uint64_t seed)
{
	struct bench b = {0};
	double ns[BENCH_REPS];
	uint64_t warm = 2 * (uint64_t)n > ops / 4 ? 2 * (uint64_t)n : ops / 4;
	size_t i;
	int r;

	b.eng = engine_new(n + 2);
	if (!b.eng)
		return -1.0;
	bench_seed(&b, seed);
	for (i = 0; i < n; i++)
		engine_schedule(b.eng, bench_exp_ns(&b), fn, &b, 0);
	if (bench_steps(b.eng, warm))
		goto out_free_engine;
	for (r = 0; r < BENCH_REPS; r++) {
		double t0 = bench_now_s();

		if (bench_steps(b.eng, ops))
			goto out_free_engine;
		ns[r] = (bench_now_s() - t0) * 1e9 / (double)ops;
	}
	engine_free(b.eng);
	qsort(ns, BENCH_REPS, sizeof(ns[0]), bench_cmp_double);
	return ns[BENCH_REPS / 2];

out_free_engine:
	engine_free(b.eng);
	return -1.0;
}

static void bench_json(const char *key, const size_t *sizes, const double *v)
{
	int i;

	printf("{\"%s\": {", key);
	for (i = 0; i < BENCH_SIZES; i++)
		printf("%s\"%zu\": %.2f", i ? ", " : "", sizes[i], v[i]);
	printf("}}\n");
}

int main(int argc, char **argv)
{
	static const size_t sizes[BENCH_SIZES] = {100, 10000, 1000000};
	uint64_t ops[BENCH_SIZES] = {5000000, 2000000, 1000000};
	double hold[BENCH_SIZES], cancel[BENCH_SIZES];
	int i;

	if (argc == 2 && strcmp(argv[1], "--quick") == 0) {
		for (i = 0; i < BENCH_SIZES; i++)
			ops[i] /= 4;
	} else if (argc != 1) {
		fprintf(stderr, "usage: %s [--quick]\n", argv[0]);
		return 2;
	}
	printf("%-10s %12s %14s %22s\n", "pending", "ops", "hold ns/op",
	       "hold+cancel ns/op");
	for (i = 0; i < BENCH_SIZES; i++) {
		size_t n = sizes[i];

		hold[i] = bench_run(n, ops[i], bench_hold, 12345 + n);
		cancel[i] = bench_run(n, ops[i], bench_hold_cancel, 54321 + n);
		if (hold[i] < 0 || cancel[i] < 0) {
			fprintf(stderr, "bench_engine: failed at n=%zu\n", n);
			return 1;
		}
		printf("%-10zu %12llu %14.2f %22.2f\n", n,
		       (unsigned long long)ops[i], hold[i], cancel[i]);
		fflush(stdout);
	}
	bench_json("engine_hold_ns", sizes, hold);
	bench_json("engine_hold_cancel_ns", sizes, cancel);
	return 0;
}
