/* test_engine.c - the event queue and clock (sim/core/engine.c).
 *
 * Checks (time, seq) order with FIFO ties, cancellation, stale handles
 * (after run, after cancel, after slot reuse), handlers that schedule and
 * cancel while running, engine_run's clock rule, the event counter,
 * the packing of a two-halved event argument (engine_arg),
 * growth, the out-of-memory path (address-space limit, skipped under
 * sanitizers and valgrind), the time helpers, and a randomized run of 10^6
 * schedule/cancel/step/run operations against a sorted-array reference:
 * the executed (time, arg) sequences must be identical. Seeds are fixed and
 * printed with the operation index on failure.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <criterion/criterion.h>

#include "sim/core/engine.h"
#include "sim/core/err.h"

#define T_LOG_MAX 4096

/* What handlers ran, in order. */
struct t_log {
	engine *e;
	size_t n;
	sim_time_t t[T_LOG_MAX];
	uint64_t arg[T_LOG_MAX];
};

static void t_record(void *ctx, uint64_t arg)
{
	struct t_log *l = ctx;

	cr_assert_lt(l->n, (size_t)T_LOG_MAX, "log overflow");
	l->t[l->n] = engine_now(l->e);
	l->arg[l->n] = arg;
	l->n++;
}

static struct t_log *t_log_new(size_t capacity)
{
	struct t_log *l = calloc(1, sizeof(*l));

	cr_assert_not_null(l);
	l->e = engine_new(capacity);
	cr_assert_not_null(l->e);
	return l;
}

static void t_log_free(struct t_log *l)
{
	engine_free(l->e);
	free(l);
}

static uint64_t t_splitmix(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* ------------------------------------------------------------ ordering */

Test(engine, runs_in_time_order)
{
	static const sim_time_t at[] = {50, 10, 40, 0, 30, 20, 60, 5};
	static const uint64_t want[] = {3, 7, 1, 5, 4, 2, 0, 6};
	struct t_log *l = t_log_new(4);
	size_t i;

	for (i = 0; i < sizeof(at) / sizeof(at[0]); i++)
		cr_assert_neq(engine_schedule(l->e, at[i], t_record, l, i),
			      ENGINE_HANDLE_NONE);
	cr_assert_eq(engine_next_time(l->e), 0);
	cr_assert_eq(engine_run(l->e, SIM_TIME_MAX), 0);
	cr_assert_eq(l->n, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < l->n; i++) {
		cr_assert_eq(l->arg[i], want[i], "position %zu: arg %" PRIu64
			     ", want %" PRIu64, i, l->arg[i], want[i]);
		cr_assert_eq(l->t[i], at[want[i]], "position %zu", i);
	}
	cr_assert_eq(engine_now(l->e), 60);
	cr_assert_eq(engine_next_time(l->e), SIM_TIME_MAX);
	t_log_free(l);
}

/* 3000 events over 3 instants, interleaved: each instant's events must
 * run in scheduling order. */
Test(engine, same_time_runs_fifo)
{
	struct t_log *l = t_log_new(8);
	uint64_t i, k[3] = {0, 0, 0};

	for (i = 0; i < 3000; i++)
		engine_schedule(l->e, (sim_time_t)(2 - i % 3) * 100, t_record,
				l, i);
	cr_assert_eq(engine_run(l->e, SIM_TIME_MAX), 0);
	cr_assert_eq(l->n, 3000);
	for (i = 0; i < l->n; i++) {
		uint64_t slot = i / 1000;
		uint64_t want = k[slot]++ * 3 + (2 - slot);

		cr_assert_eq(l->t[i], (sim_time_t)slot * 100, "position %"
			     PRIu64, i);
		cr_assert_eq(l->arg[i], want, "position %" PRIu64 ": arg %"
			     PRIu64 ", want %" PRIu64, i, l->arg[i], want);
	}
	t_log_free(l);
}

Test(engine, past_is_clamped_to_now)
{
	struct t_log *l = t_log_new(4);
	engine_handle h;

	engine_schedule(l->e, 100, t_record, l, 0);
	cr_assert_eq(engine_step(l->e), 1);
	h = engine_schedule(l->e, 10, t_record, l, 1);
	cr_assert_eq(engine_due(l->e, h), 100);
	h = engine_schedule(l->e, -5, t_record, l, 2);
	cr_assert_eq(engine_due(l->e, h), 100);
	h = engine_after(l->e, -7, t_record, l, 3);
	cr_assert_eq(engine_due(l->e, h), 100);
	h = engine_after(l->e, 5, t_record, l, 4);
	cr_assert_eq(engine_due(l->e, h), 105);
	h = engine_after(l->e, SIM_TIME_MAX, t_record, l, 5);
	cr_assert_eq(engine_due(l->e, h), SIM_TIME_MAX);
	cr_assert_eq(engine_run(l->e, SIM_TIME_MAX), 0);
	cr_assert_eq(l->n, 6);
	cr_assert_eq(l->arg[1], 1);
	cr_assert_eq(l->arg[2], 2);
	cr_assert_eq(l->arg[3], 3);
	cr_assert_eq(engine_now(l->e), SIM_TIME_MAX);
	t_log_free(l);
}

/* -------------------------------------------------------- cancellation */

Test(engine, cancel_removes_pending_events)
{
	struct t_log *l = t_log_new(4);
	engine_handle h[10];
	uint64_t i;

	for (i = 0; i < 10; i++)
		h[i] = engine_schedule(l->e, (sim_time_t)(10 - i), t_record,
				       l, i);
	for (i = 0; i < 10; i += 3) {
		cr_assert(engine_is_pending(l->e, h[i]));
		cr_assert_eq(engine_due(l->e, h[i]), (sim_time_t)(10 - i));
		cr_assert_eq(engine_cancel(l->e, h[i]), 1, "event %" PRIu64, i);
	}
	cr_assert_eq(engine_pending(l->e), 6);
	cr_assert_eq(engine_next_time(l->e), 2);
	cr_assert_eq(engine_run(l->e, SIM_TIME_MAX), 0);
	cr_assert_eq(l->n, 6);
	for (i = 0; i < l->n; i++) {
		cr_assert_neq(l->arg[i] % 3, 0, "cancelled event %" PRIu64
			      " ran", l->arg[i]);
		if (i > 0)
			cr_assert_gt(l->t[i], l->t[i - 1]);
	}
	t_log_free(l);
}

static void t_assert_stale(const char *what, engine *e, engine_handle h)
{
	size_t pending = engine_pending(e);

	cr_assert_eq(engine_is_pending(e, h), 0, "%s: is_pending", what);
	cr_assert_eq(engine_due(e, h), -1, "%s: due", what);
	cr_assert_eq(engine_cancel(e, h), 0, "%s: cancel", what);
	cr_assert_eq(engine_pending(e), pending, "%s: pending changed", what);
}

Test(engine, stale_handles_are_harmless)
{
	struct t_log *l = t_log_new(4);
	engine_handle ran, cancelled, reused;

	t_assert_stale("NONE", l->e, ENGINE_HANDLE_NONE);
	t_assert_stale("never issued", l->e, UINT64_C(0x100000003));
	ran = engine_schedule(l->e, 1, t_record, l, 1);
	cr_assert_eq(engine_step(l->e), 1);
	t_assert_stale("after run", l->e, ran);
	cancelled = engine_schedule(l->e, 5, t_record, l, 2);
	cr_assert_eq(engine_cancel(l->e, cancelled), 1);
	t_assert_stale("after cancel", l->e, cancelled);
	/* The freed slot is reused by the next schedule. */
	reused = engine_schedule(l->e, 7, t_record, l, 3);
	cr_assert_eq((uint32_t)reused, (uint32_t)cancelled, "slot not reused");
	cr_assert_neq(reused, cancelled);
	t_assert_stale("after reuse (cancelled)", l->e, cancelled);
	t_assert_stale("after reuse (ran)", l->e, ran);
	t_assert_stale("forged even generation", l->e,
		       reused + (UINT64_C(1) << 32));
	t_assert_stale("forged slot", l->e, reused + 1000);
	t_assert_stale("all ones", l->e, UINT64_MAX);
	cr_assert(engine_is_pending(l->e, reused));
	cr_assert_eq(engine_due(l->e, reused), 7);
	cr_assert_eq(engine_run(l->e, SIM_TIME_MAX), 0);
	cr_assert_eq(l->n, 2);
	cr_assert_eq(l->arg[1], 3);
	t_assert_stale("reused, after run", l->e, reused);
	t_log_free(l);
}

/* ------------------------------------------------- handlers that act */

struct t_actor {
	struct t_log log;
	engine_handle self;      /* handle of the acting event */
	engine_handle victim;    /* an event the actor cancels */
	int cancel_self_rc;      /* engine_cancel(self) inside the handler */
	int cancel_victim_rc;    /* engine_cancel(victim) inside the handler */
	int self_pending;        /* engine_is_pending(self) inside */
};

static void t_act(void *ctx, uint64_t arg)
{
	struct t_actor *a = ctx;

	t_record(&a->log, arg);
	a->self_pending = engine_is_pending(a->log.e, a->self);
	a->cancel_self_rc = engine_cancel(a->log.e, a->self);
	a->cancel_victim_rc = engine_cancel(a->log.e, a->victim);
	/* Due now: runs after the events already due now (FIFO). */
	engine_after(a->log.e, 0, t_record, &a->log, 100);
	engine_after(a->log.e, 5, t_record, &a->log, 101);
}

Test(engine, handler_schedules_and_cancels)
{
	struct t_actor *a = calloc(1, sizeof(*a));

	cr_assert_not_null(a);
	a->log.e = engine_new(2);
	a->self = engine_schedule(a->log.e, 10, t_act, a, 0);
	engine_schedule(a->log.e, 10, t_record, &a->log, 1);
	a->victim = engine_schedule(a->log.e, 12, t_record, &a->log, 2);
	engine_schedule(a->log.e, 15, t_record, &a->log, 3);
	cr_assert_eq(engine_run(a->log.e, SIM_TIME_MAX), 0);
	cr_assert_eq(a->self_pending, 0);
	cr_assert_eq(a->cancel_self_rc, 0);
	cr_assert_eq(a->cancel_victim_rc, 1);
	cr_assert_eq(a->log.n, 5);
	cr_assert_eq(a->log.arg[0], 0);
	cr_assert_eq(a->log.arg[1], 1);
	cr_assert_eq(a->log.arg[2], 100);
	cr_assert_eq(a->log.t[2], 10);
	cr_assert_eq(a->log.arg[3], 3, "15 (scheduled first) before 101");
	cr_assert_eq(a->log.arg[4], 101);
	cr_assert_eq(a->log.t[4], 15);
	engine_free(a->log.e);
	free(a);
}

/* ------------------------------------------------------- run and clock */

Test(engine, run_until_sets_the_clock)
{
	struct t_log *l = t_log_new(4);

	engine_schedule(l->e, 1000, t_record, l, 1);
	engine_schedule(l->e, 2000, t_record, l, 2);
	engine_schedule(l->e, 3000, t_record, l, 3);
	engine_schedule(l->e, 5000, t_record, l, 5);
	cr_assert_eq(engine_run(l->e, 3000), 0);
	cr_assert_eq(l->n, 3, "events due exactly at until run");
	cr_assert_eq(engine_now(l->e), 3000);
	cr_assert_eq(engine_run(l->e, 4000), 0);
	cr_assert_eq(l->n, 3);
	cr_assert_eq(engine_now(l->e), 4000, "clock moves to until");
	cr_assert_eq(engine_run(l->e, 3500), 0);
	cr_assert_eq(engine_now(l->e), 4000, "clock never goes back");
	cr_assert_eq(engine_run(l->e, SIM_TIME_MAX), 0);
	cr_assert_eq(l->n, 4);
	cr_assert_eq(engine_now(l->e), 5000, "queue emptied at 5000");
	cr_assert_eq(engine_run(l->e, 9000), 0);
	cr_assert_eq(engine_now(l->e), 9000, "empty queue, finite until");
	cr_assert_eq(engine_step(l->e), 0);
	cr_assert_eq(engine_events(l->e), 4);
	t_log_free(l);
}

static void t_stopper(void *ctx, uint64_t arg)
{
	struct t_log *l = ctx;

	t_record(l, arg);
	engine_stop(l->e);
}

Test(engine, stop_returns_after_the_event)
{
	struct t_log *l = t_log_new(4);

	engine_schedule(l->e, 10, t_record, l, 1);
	engine_schedule(l->e, 20, t_stopper, l, 2);
	engine_schedule(l->e, 20, t_record, l, 3);
	engine_schedule(l->e, 30, t_record, l, 4);
	cr_assert_eq(engine_run(l->e, 100), 0);
	cr_assert_eq(l->n, 2);
	cr_assert_eq(engine_now(l->e), 20, "stop leaves the clock");
	cr_assert_eq(engine_pending(l->e), 2);
	cr_assert_eq(engine_run(l->e, 100), 0, "a later run goes on");
	cr_assert_eq(l->n, 4);
	cr_assert_eq(engine_now(l->e), 100);
	engine_schedule(l->e, 150, t_record, l, 5);
	engine_stop(l->e);
	cr_assert_eq(engine_run(l->e, 200), 0);
	cr_assert_eq(l->n, 4, "a stop outside a run holds the next run");
	cr_assert_eq(engine_run(l->e, 200), 0);
	cr_assert_eq(l->n, 5);
	t_log_free(l);
}

Test(engine, counts_events)
{
	struct t_log *l = t_log_new(4);
	engine_handle h;
	int i;

	cr_assert_eq(engine_events(l->e), 0);
	for (i = 0; i < 7; i++)
		engine_schedule(l->e, i, t_record, l, 0);
	h = engine_schedule(l->e, 3, t_record, l, 0);
	engine_cancel(l->e, h);
	cr_assert_eq(engine_step(l->e), 1);
	cr_assert_eq(engine_events(l->e), 1);
	cr_assert_eq(engine_run(l->e, SIM_TIME_MAX), 0);
	cr_assert_eq(engine_events(l->e), 7, "cancelled events do not count");
	cr_assert_eq(engine_error(l->e), 0);
	t_log_free(l);
}

/* ---------------------------------------------------------------- growth */

struct t_order {
	engine *e;
	const sim_time_t *at;   /* due time of event arg */
	sim_time_t last_t;      /* previous event */
	uint64_t last_arg;
	uint64_t n;             /* events seen */
	uint64_t bad;           /* first out-of-order position + 1, or 0 */
};

static void t_check_order(void *ctx, uint64_t arg)
{
	struct t_order *o = ctx;
	sim_time_t t = engine_now(o->e);
	int ok = t == o->at[arg] && (o->n == 0 || t > o->last_t ||
				     (t == o->last_t && arg > o->last_arg));

	if (!ok && !o->bad)
		o->bad = o->n + 1;
	o->last_t = t;
	o->last_arg = arg;
	o->n++;
}

Test(engine, grows_past_initial_capacity)
{
	enum { N = 100000 };
	struct t_order o = {0};
	sim_time_t *at = malloc(N * sizeof(*at));
	engine_handle *h = malloc(N * sizeof(*h));
	uint64_t s = 7, i;

	cr_assert(at && h);
	o.e = engine_new(1);
	o.at = at;
	for (i = 0; i < N; i++) {
		at[i] = (sim_time_t)(t_splitmix(&s) % 5000);
		h[i] = engine_schedule(o.e, at[i], t_check_order, &o, i);
		cr_assert_neq(h[i], ENGINE_HANDLE_NONE, "schedule %" PRIu64, i);
	}
	cr_assert_eq(engine_pending(o.e), N);
	for (i = 0; i < N; i++)
		cr_assert_eq(engine_due(o.e, h[i]), at[i], "event %" PRIu64, i);
	cr_assert_eq(engine_run(o.e, SIM_TIME_MAX), 0);
	cr_assert_eq(o.n, N);
	cr_assert_eq(o.bad, 0, "out of order at position %" PRIu64, o.bad - 1);
	cr_assert_eq(engine_error(o.e), 0);
	engine_free(o.e);
	free(at);
	free(h);
}

/* ------------------------------------------------------- out of memory */

static int t_under_checker(void)
{
	const char *pre = getenv("LD_PRELOAD");

#if defined(__SANITIZE_ADDRESS__)
	return 1;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
	return 1;
#endif
#endif
	return pre && strstr(pre, "vgpreload");
}

/* Schedules under an address-space limit until the queue cannot grow. */
static uint64_t t_fill_until_enomem(engine *e, struct t_log *l)
{
	uint64_t i;

	for (i = 0; i < (UINT64_C(1) << 26); i++) {
		sim_time_t at = (sim_time_t)(i % 1000);

		engine_handle h = engine_schedule(e, at, t_record, l, i);

		if (h == ENGINE_HANDLE_NONE)
			return i;
	}
	return i;
}

Test(engine, out_of_memory_is_reported)
{
	struct t_log *l;
	struct rlimit old, lim;
	unsigned long vm_pages = 0;
	uint64_t got;
	FILE *f;

	if (t_under_checker())
		cr_skip_test("address-space limits break sanitizers/valgrind");
	f = fopen("/proc/self/statm", "r");
	if (!f || fscanf(f, "%lu", &vm_pages) != 1)
		cr_skip_test("no /proc/self/statm");
	fclose(f);
	l = t_log_new(16);
	cr_assert_eq(getrlimit(RLIMIT_AS, &old), 0);
	lim = old;
	lim.rlim_cur = (rlim_t)vm_pages * 4096 + (rlim_t)(64u << 20);
	cr_assert_eq(setrlimit(RLIMIT_AS, &lim), 0);
	got = t_fill_until_enomem(l->e, l);
	setrlimit(RLIMIT_AS, &old);
	cr_assert_lt(got, UINT64_C(1) << 26, "the limit was never hit");
	cr_assert_eq(engine_error(l->e), RSIM_ENOMEM);
	cr_assert_eq(engine_pending(l->e), got, "failed schedule left a trace");
	cr_assert_eq(engine_step(l->e), 1, "the queue still works");
	cr_assert_eq(l->t[0], 0);
	cr_assert_eq(engine_run(l->e, SIM_TIME_MAX), RSIM_ENOMEM);
	cr_assert_eq(l->n, 1, "run stops on the remembered error");
	t_log_free(l);
}

Test(engine, new_rejects_impossible_capacity)
{
	cr_assert_null(engine_new(SIZE_MAX));
}

/* ---------------------------------------------------------- time helpers */

Test(engine, seconds_to_ns)
{
	static const struct {
		const char *name;
		double s;
		sim_time_t want;
	} rows[] = {
		{"zero", 0.0, 0},
		{"one second", 1.0, SIM_NS_PER_S},
		{"1.5 s", 1.5, 1500000000},
		{"one ns", 1e-9, 1},
		{"0.4 ns rounds down", 0.4e-9, 0},
		{"0.6 ns rounds up", 0.6e-9, 1},
		{"0.1 s is exact", 0.1, 100000000},
		{"20 ms", 0.020, 20 * SIM_NS_PER_MS},
		{"negative saturates at 0", -3.0, 0},
		{"-0.0", -0.0, 0},
		{"NaN is 0", (double)NAN, 0},
		{"+inf saturates", HUGE_VAL, SIM_TIME_MAX},
		{"-inf is 0", -HUGE_VAL, 0},
		{"1e10 s saturates", 1e10, SIM_TIME_MAX},
		{"9e9 s fits", 9e9, INT64_C(9000000000000000000)},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		cr_expect_eq(sim_s_to_ns(rows[i].s), rows[i].want,
			     "%s: got %" PRId64 ", want %" PRId64, rows[i].name,
			     sim_s_to_ns(rows[i].s), rows[i].want);
	cr_assert(fabs(sim_ns_to_s(1500000000) - 1.5) < 1e-15);
	cr_assert(sim_ns_to_s(0) == 0.0);
	cr_assert_eq(sim_s_to_ns(sim_ns_to_s(123456789)), 123456789);
}

Test(engine, time_add_saturates)
{
	cr_assert_eq(sim_time_add(1, 2), 3);
	cr_assert_eq(sim_time_add(0, 0), 0);
	cr_assert_eq(sim_time_add(SIM_TIME_MAX - 1, 1), SIM_TIME_MAX);
	cr_assert_eq(sim_time_add(SIM_TIME_MAX - 1, 2), SIM_TIME_MAX);
	cr_assert_eq(sim_time_add(SIM_TIME_MAX, SIM_TIME_MAX), SIM_TIME_MAX);
	cr_assert_eq(sim_time_add(5, SIM_TIME_MAX), SIM_TIME_MAX);
}

/* ------------------------------------------------------------ randomized */

/* The reference: pending events sorted by (time, seq) in a[head .. len). */
struct t_rev {
	sim_time_t t;
	uint64_t seq;
	uint64_t id;
};

struct t_ref {
	struct t_rev *a;
	size_t head, len, cap;
	uint64_t seq;
	sim_time_t now;
};

static int t_rev_before(const struct t_rev *x, sim_time_t t, uint64_t seq)
{
	return x->t < t || (x->t == t && x->seq < seq);
}

/* First index in [head, len) not before (t, seq). */
static size_t t_ref_find(const struct t_ref *r, sim_time_t t, uint64_t seq)
{
	size_t lo = r->head, hi = r->len;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t_rev_before(&r->a[mid], t, seq))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void t_ref_insert(struct t_ref *r, struct t_rev ev)
{
	size_t p;

	if (r->len == r->cap) {
		if (r->head > 0)
			memmove(r->a, r->a + r->head,
				(r->len - r->head) * sizeof(ev));
		r->len -= r->head;
		r->head = 0;
		if (r->len * 2 >= r->cap) {
			r->cap = r->cap ? r->cap * 2 : 64;
			r->a = realloc(r->a, r->cap * sizeof(ev));
			cr_assert_not_null(r->a);
		}
	}
	p = t_ref_find(r, ev.t, ev.seq);
	memmove(r->a + p + 1, r->a + p, (r->len - p) * sizeof(ev));
	r->a[p] = ev;
	r->len++;
}

static void t_ref_remove(struct t_ref *r, sim_time_t t, uint64_t seq)
{
	size_t p = t_ref_find(r, t, seq);

	cr_assert(p < r->len && r->a[p].seq == seq, "reference lost an event");
	memmove(r->a + p, r->a + p + 1, (r->len - p - 1) * sizeof(r->a[0]));
	r->len--;
}

/* Per id (the arg of the id-th schedule): handle and reference key. */
struct t_issued {
	engine_handle h;
	sim_time_t t;
	uint64_t seq;
	int live;
};

struct t_rand {
	engine *e;
	struct t_ref ref;
	struct t_issued *iss;
	uint64_t n_iss, cap_iss;
	uint64_t rng, seed, op;
	uint64_t ran;            /* events the engine ran in this op */
};

/* The engine's handler: the event must be the reference's earliest. */
static void t_rand_fire(void *ctx, uint64_t arg)
{
	struct t_rand *x = ctx;
	struct t_ref *r = &x->ref;
	const struct t_rev *want;

	cr_assert_lt(r->head, r->len, "seed %" PRIu64 " op %" PRIu64
		     ": engine ran id %" PRIu64 ", reference is empty",
		     x->seed, x->op, arg);
	want = &r->a[r->head++];
	cr_assert(want->id == arg && want->t == engine_now(x->e),
		  "seed %" PRIu64 " op %" PRIu64 ": ran (t=%" PRId64 ", id=%"
		  PRIu64 "), want (t=%" PRId64 ", id=%" PRIu64 ")", x->seed,
		  x->op, engine_now(x->e), arg, want->t, want->id);
	x->iss[arg].live = 0;
	r->now = want->t;
	x->ran++;
}

static void t_rand_schedule(struct t_rand *x, uint64_t u)
{
	struct t_issued *is;
	sim_time_t now = engine_now(x->e), at;

	/* Mostly near now (many ties); sometimes in the past or far away. */
	at = now + (sim_time_t)(u % 64) - 4;
	if ((u >> 8) % 16 == 0)
		at = now + (sim_time_t)((u >> 12) % 100000);
	if (x->n_iss == x->cap_iss) {
		x->cap_iss = x->cap_iss ? x->cap_iss * 2 : 1024;
		x->iss = realloc(x->iss, x->cap_iss * sizeof(*x->iss));
		cr_assert_not_null(x->iss);
	}
	is = &x->iss[x->n_iss];
	is->h = engine_schedule(x->e, at, t_rand_fire, x, x->n_iss);
	is->t = at < now ? now : at;
	is->seq = x->ref.seq++;
	is->live = 1;
	t_ref_insert(&x->ref, (struct t_rev){is->t, is->seq, x->n_iss});
	x->n_iss++;
}

/* Cancels a recent id (live, ran, cancelled, or with its slot reused). */
static void t_rand_cancel(struct t_rand *x, uint64_t u)
{
	uint64_t back, id;
	struct t_issued *is;
	int rc;

	if (x->n_iss == 0)
		return;
	back = u % (x->n_iss < 3000 ? x->n_iss : 3000);
	id = x->n_iss - 1 - back;
	is = &x->iss[id];
	cr_assert_eq(engine_is_pending(x->e, is->h), is->live, "seed %" PRIu64
		     " op %" PRIu64 ": is_pending id %" PRIu64, x->seed, x->op,
		     id);
	cr_assert_eq(engine_due(x->e, is->h), is->live ? is->t : -1,
		     "seed %" PRIu64 " op %" PRIu64 ": due id %" PRIu64,
		     x->seed, x->op, id);
	rc = engine_cancel(x->e, is->h);
	cr_assert_eq(rc, is->live, "seed %" PRIu64 " op %" PRIu64
		     ": cancel id %" PRIu64 " returned %d", x->seed, x->op, id,
		     rc);
	if (is->live)
		t_ref_remove(&x->ref, is->t, is->seq);
	is->live = 0;
}

/* engine_run to now + a little; the reference predicts count and clock. */
static void t_rand_run(struct t_rand *x, uint64_t u)
{
	struct t_ref *r = &x->ref;
	sim_time_t until = engine_now(x->e) + (sim_time_t)(u % 48);
	uint64_t want = 0;
	size_t i;

	for (i = r->head; i < r->len && r->a[i].t <= until; i++)
		want++;
	cr_assert_eq(engine_run(x->e, until), 0);
	cr_assert_eq(x->ran, want, "seed %" PRIu64 " op %" PRIu64
		     ": run ran %" PRIu64 " events, want %" PRIu64, x->seed,
		     x->op, x->ran, want);
	cr_assert_eq(engine_now(x->e), until, "seed %" PRIu64 " op %" PRIu64,
		     x->seed, x->op);
}

static void t_rand_check(const struct t_rand *x)
{
	const struct t_ref *r = &x->ref;
	size_t n = r->len - r->head;

	cr_assert_eq(engine_pending(x->e), n, "seed %" PRIu64 " op %" PRIu64
		     ": pending", x->seed, x->op);
	cr_assert_eq(engine_next_time(x->e), n ? r->a[r->head].t : SIM_TIME_MAX,
		     "seed %" PRIu64 " op %" PRIu64 ": next_time", x->seed,
		     x->op);
}

/* One operation; the schedule share swings between phases (every 20000
 * ops) so the queue grows to thousands of events and drains again. */
static void t_rand_op(struct t_rand *x)
{
	uint64_t u = t_splitmix(&x->rng);
	unsigned pct = (unsigned)(u % 100);
	unsigned sched = (x->op / 20000) % 2 ? 40 : 62;

	u >>= 7;
	x->ran = 0;
	if (pct < sched) {
		t_rand_schedule(x, u);
	} else if (pct < sched + 12) {
		t_rand_cancel(x, u);
	} else if (pct < 99) {
		int want = x->ref.len > x->ref.head;
		int ran = engine_step(x->e);

		cr_assert(ran == want && x->ran == (uint64_t)want, "seed %"
			  PRIu64 " op %" PRIu64 ": step returned %d, want %d",
			  x->seed, x->op, ran, want);
	} else {
		t_rand_run(x, u);
	}
	t_rand_check(x);
}

static void t_rand_session(uint64_t seed, uint64_t ops)
{
	struct t_rand x = {0};

	x.e = engine_new(0);
	cr_assert_not_null(x.e);
	x.seed = seed;
	x.rng = seed;
	for (x.op = 0; x.op < ops; x.op++)
		t_rand_op(&x);
	cr_assert_eq(engine_run(x.e, SIM_TIME_MAX), 0);
	cr_assert_eq(x.ref.head, x.ref.len, "seed %" PRIu64 ": drain", seed);
	cr_assert_eq(engine_pending(x.e), 0);
	engine_free(x.e);
	free(x.ref.a);
	free(x.iss);
}

Test(engine, random_ops_match_reference, .timeout = 60)
{
	static const uint64_t seeds[] = {1, 20240611, UINT64_C(0xdeadbeef)};
	size_t i;

	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++)
		t_rand_session(seeds[i], 340000);
}

/* The lane: its event runs in time order with the heap's, after every
 * heap event due at the same instant; setting it again replaces it. */
static void lane_rec(void *ctx, uint64_t arg)
{
	uint64_t *log = ctx;

	log[log[0] + 1] = arg;
	log[0]++;
}

Test(engine, lane_orders_with_the_heap)
{
	engine *e = engine_new(4);
	uint64_t log[16] = { 0 };

	cr_assert_not_null(e);
	engine_schedule(e, 10, lane_rec, log, 1);
	engine_lane_set(e, 10, lane_rec, log, 2);   /* yields at 10 */
	engine_schedule(e, 10, lane_rec, log, 3);   /* set later, still first */
	engine_schedule(e, 5, lane_rec, log, 4);    /* earliest */
	cr_assert_eq(engine_pending(e), 4);
	cr_assert_eq(engine_next_time(e), 5);
	cr_assert_eq(engine_run(e, 100), 0);
	cr_assert_eq(log[0], 4);
	cr_assert_eq(log[1], 4);
	cr_assert_eq(log[2], 1);
	cr_assert_eq(log[3], 3);
	cr_assert_eq(log[4], 2);
	engine_lane_set(e, 200, lane_rec, log, 5);
	engine_lane_set(e, 150, lane_rec, log, 6);  /* replaces 5 */
	cr_assert_eq(engine_run(e, 1000), 0);
	cr_assert_eq(log[0], 5);
	cr_assert_eq(log[5], 6);
	cr_assert_eq(engine_now(e), 1000);
	engine_lane_set(e, 2000, lane_rec, log, 7);
	engine_lane_clear(e);
	cr_assert_eq(engine_pending(e), 0);
	engine_free(e);
}

/* The halves sit where the engine's callers rely on them: lo in bits
 * 0-31, hi in bits 32-63 (5 | 2 << 32 = 0x200000005), and both come back
 * whole, the extremes included. */
Test(engine, arg_packs_two_halves)
{
	uint64_t a = engine_arg(5, 2);

	cr_assert_eq(a, UINT64_C(0x200000005));
	cr_assert_eq(engine_arg_lo(a), 5);
	cr_assert_eq(engine_arg_hi(a), 2);
	a = engine_arg(UINT32_MAX, 0);
	cr_assert_eq(a, UINT64_C(0xffffffff));
	cr_assert_eq(engine_arg_hi(a), 0);
	a = engine_arg(0, UINT32_MAX);
	cr_assert_eq(engine_arg_lo(a), 0);
	cr_assert_eq(engine_arg_hi(a), UINT32_MAX);
}
