/* engine.c - the event queue and clock of engine.h.
 *
 * Pending events are 24-byte entries (time, seq, slot) in one 4-ary
 * min-heap array. What an event does (fn, ctx, arg) lives in a slot table
 * that never moves during sifts; a compact uint32 array maps each slot to
 * its heap index (and, while the slot is free, links the free list), so a
 * sift touches only the heap and that array. A slot's generation is odd
 * while its event is pending and is bumped on allocation and on release;
 * a handle is (generation << 32 | slot), so NONE (0) and every stale
 * handle fail the generation check. Non-goal: a handle kept across 2^31
 * reuses of its slot may alias the slot's current event.
 */
#include "engine.h"

#include <math.h>
#include <stdlib.h>

#include "alloc.h"
#include "err.h"

#define ENGINE_ARITY 4
/* Up to this many events (768 KiB of heap) children are compared without
 * branches; see engine_sift_down. On the 2-core dev VM (2 MiB L2 per core)
 * both ways tie from 3 * 10^4 to 10^5 events, branches win from 3 * 10^5. */
#define ENGINE_FLAT_MAX ((size_t)1 << 15)
#define ENGINE_MIN_CAP 16
#define ENGINE_NO_SLOT UINT32_MAX
/* Slot indices and heap positions are uint32; UINT32_MAX marks "none". */
#define ENGINE_MAX_CAP ((size_t)UINT32_MAX - 1)

struct engine_ev {
	sim_time_t time_ns;     /* due time */
	uint64_t seq;           /* schedule order, breaks time ties (FIFO) */
	uint32_t slot;          /* index into slots[] and pos[] */
};

struct engine_slot {
	engine_fn fn;           /* handler */
	void *ctx;              /* handler context, borrowed */
	uint64_t arg;           /* handler argument */
	uint32_t gen;           /* odd while pending, even while free */
};

struct engine {
	struct engine_clock clock;  /* first: engine_now() reads it inline */
	struct engine_ev *heap;     /* 4-ary min-heap of pending events */
	uint32_t *pos;              /* slot -> heap index; free: next free */
	struct engine_slot *slots;  /* what each pending event runs */
	size_t n;                   /* pending events (heap entries) */
	size_t cap;                 /* capacity of heap, pos and slots */
	uint32_t slots_used;        /* slots ever handed out (high water) */
	uint32_t free_head;         /* first free slot, or ENGINE_NO_SLOT */
	uint64_t seq;               /* next sequence number */
	struct engine_ev lane;      /* the lane's event (slot unused) */
	int lane_set;               /* 1: the lane holds an event */
	engine_fn lane_fn;          /* what it runs */
	void *lane_ctx;
	uint64_t lane_arg;
	uint64_t events;            /* events executed */
	int err;                    /* first error (RSIM_ENOMEM) or 0 */
	int stop;                   /* engine_stop was called */
};

/* ---------------------------------------------------------- time helpers */

sim_time_t sim_s_to_ns(double s)
{
	double ns;

	if (isnan(s) || s <= 0.0)
		return 0;
	ns = s * 1e9 + 0.5;            /* round half up, for s > 0 */
	if (ns >= 0x1p63)
		return SIM_TIME_MAX;
	return (sim_time_t)ns;
}

double sim_ns_to_s(sim_time_t t_ns)
{
	return (double)t_ns / 1e9;
}


/* ---------------------------------------------------------------- heap */

static inline int engine_ev_less(const struct engine_ev *a,
				 const struct engine_ev *b)
{
	return a->time_ns < b->time_ns ||
	       (a->time_ns == b->time_ns && a->seq < b->seq);
}

/* Places ev at index i or above, moving larger parents down. */
static inline void engine_sift_up(engine *e, size_t i, struct engine_ev ev)
{
	struct engine_ev *h = e->heap;
	uint32_t *pos = e->pos;

	while (i > 0) {
		size_t p = (i - 1) / ENGINE_ARITY;

		if (!engine_ev_less(&ev, &h[p]))
			break;
		h[i] = h[p];
		pos[h[i].slot] = (uint32_t)i;
		i = p;
	}
	h[i] = ev;
	pos[ev.slot] = (uint32_t)i;
}

/* engine_ev_less without short-circuits: compiles to flag arithmetic, so
 * choosing among children costs no (unpredictable) branches. */
static inline int engine_ev_less_flat(const struct engine_ev *a,
				      const struct engine_ev *b)
{
	return (a->time_ns < b->time_ns) |
	       ((a->time_ns == b->time_ns) & (a->seq < b->seq));
}

/* Index of the smallest of the children c .. min(c + 4, n) - 1. With flat
 * set, a full group is settled by a branch-free tournament. */
static inline size_t engine_min_child(const struct engine_ev *h, size_t c,
				      size_t n, int flat)
{
	size_t end = c + ENGINE_ARITY < n ? c + ENGINE_ARITY : n;
	size_t m = c;
	size_t j;

	if (flat && end - c == ENGINE_ARITY) {
		size_t a = c + (size_t)engine_ev_less_flat(&h[c + 1], &h[c]);
		size_t b = c + 2 +
			   (size_t)engine_ev_less_flat(&h[c + 3], &h[c + 2]);

		return engine_ev_less_flat(&h[b], &h[a]) ? b : a;
	}
	for (j = c + 1; j < end; j++)
		if (engine_ev_less(&h[j], &h[m]))
			m = j;
	return m;
}

/* Places ev at index i or below, moving smaller children up. */
static inline __attribute__((always_inline)) void
engine_sift_down_by(engine *e, size_t i, struct engine_ev ev, int flat)
{
	struct engine_ev *h = e->heap;
	uint32_t *pos = e->pos;
	size_t n = e->n;

	for (;;) {
		size_t c = ENGINE_ARITY * i + 1;
		size_t m;

		if (c >= n)
			break;
		m = engine_min_child(h, c, n, flat);
		if (!engine_ev_less(&h[m], &ev))
			break;
		h[i] = h[m];
		pos[h[i].slot] = (uint32_t)i;
		i = m;
	}
	h[i] = ev;
	pos[ev.slot] = (uint32_t)i;
}

/* A cache-resident heap picks children without branches; a larger one
 * uses predicted branches, which let the CPU start the next level's cache
 * misses early (measured: branch-free is ~15% faster at 10^4 events and
 * ~60% slower at 10^6). Two loops, chosen once per sift, keep each lean. */
static inline void engine_sift_down(engine *e, size_t i, struct engine_ev ev)
{
	if (e->n <= ENGINE_FLAT_MAX)
		engine_sift_down_by(e, i, ev, 1);
	else
		engine_sift_down_by(e, i, ev, 0);
}

/* Removes the entry at heap index i (n > i) and restores heap order. */
static void engine_heap_remove(engine *e, size_t i)
{
	struct engine_ev last = e->heap[--e->n];

	if (i == e->n)
		return;
	if (i > 0 && engine_ev_less(&last, &e->heap[(i - 1) / ENGINE_ARITY]))
		engine_sift_up(e, i, last);
	else
		engine_sift_down(e, i, last);
}

/* --------------------------------------------------------------- slots */

/* Marks slot s free (its handles go stale) and pushes it on the free list.
 * The list is LIFO so the slot just released is the next one reused: the
 * usual "run one, schedule one" step stays in one cache line. */
static inline void engine_slot_release(engine *e, uint32_t s)
{
	e->slots[s].gen++;
	e->pos[s] = e->free_head;
	e->free_head = s;
}

/* The slot named by h if h is not stale, else ENGINE_NO_SLOT. */
static uint32_t engine_slot_of(const engine *e, engine_handle h)
{
	uint32_t s = (uint32_t)h;
	uint32_t gen = (uint32_t)(h >> 32);

	if (s >= e->slots_used || !(gen & 1) || e->slots[s].gen != gen)
		return ENGINE_NO_SLOT;
	return s;
}

/* Grows heap, pos and slots to twice the capacity. The capacity is raised
 * only when all three reallocations succeeded, so a failure leaves a
 * consistent (if partly oversized) engine. */
static int engine_grow(engine *e)
{
	size_t ncap = e->cap * 2;
	void *p;

	if (ncap > ENGINE_MAX_CAP)
		ncap = ENGINE_MAX_CAP;
	if (ncap <= e->cap || ncap > SIZE_MAX / sizeof(*e->slots))
		return RSIM_ENOMEM;
	p = rsim_realloc(e->heap, ncap * sizeof(*e->heap));
	if (!p)
		return RSIM_ENOMEM;
	e->heap = p;
	p = rsim_realloc(e->pos, ncap * sizeof(*e->pos));
	if (!p)
		return RSIM_ENOMEM;
	e->pos = p;
	p = rsim_realloc(e->slots, ncap * sizeof(*e->slots));
	if (!p)
		return RSIM_ENOMEM;
	e->slots = p;
	e->cap = ncap;
	return 0;
}

/* ---------------------------------------------------------------- API */

engine *engine_new(size_t capacity)
{
	engine *e = rsim_calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	if (capacity < ENGINE_MIN_CAP)
		capacity = ENGINE_MIN_CAP;
	if (capacity > ENGINE_MAX_CAP ||
	    capacity > SIZE_MAX / sizeof(*e->slots))
		goto out_free_engine;
	e->heap = rsim_malloc(capacity * sizeof(*e->heap));
	e->pos = rsim_malloc(capacity * sizeof(*e->pos));
	e->slots = rsim_malloc(capacity * sizeof(*e->slots));
	if (!e->heap || !e->pos || !e->slots)
		goto out_free_arrays;
	e->cap = capacity;
	e->free_head = ENGINE_NO_SLOT;
	return e;

out_free_arrays:
	free(e->heap);
	free(e->pos);
	free(e->slots);
out_free_engine:
	free(e);
	return NULL;
}

void engine_free(engine *e)
{
	if (!e)
		return;
	free(e->heap);
	free(e->pos);
	free(e->slots);
	free(e);
}

engine_handle engine_schedule(engine *e, sim_time_t at_ns, engine_fn fn,
			      void *ctx, uint64_t arg)
{
	struct engine_slot *sl;
	struct engine_ev ev;
	uint32_t s;

	if (e->n == e->cap) {
		int rc = engine_grow(e);

		if (rc) {
			if (!e->err)
				e->err = rc;
			return ENGINE_HANDLE_NONE;
		}
	}
	s = e->free_head;
	if (s != ENGINE_NO_SLOT) {
		e->free_head = e->pos[s];
	} else {
		s = e->slots_used++;
		e->slots[s].gen = 0;
	}
	sl = &e->slots[s];
	sl->fn = fn;
	sl->ctx = ctx;
	sl->arg = arg;
	sl->gen++;
	ev.time_ns = at_ns < e->clock.now_ns ? e->clock.now_ns : at_ns;
	ev.seq = e->seq++;
	ev.slot = s;
	engine_sift_up(e, e->n++, ev);
	return (uint64_t)sl->gen << 32 | s;
}

engine_handle engine_after(engine *e, sim_time_t delay_ns, engine_fn fn,
			   void *ctx, uint64_t arg)
{
	sim_time_t at = delay_ns > 0 ? sim_time_add(e->clock.now_ns, delay_ns)
				     : e->clock.now_ns;

	return engine_schedule(e, at, fn, ctx, arg);
}

int engine_cancel(engine *e, engine_handle h)
{
	uint32_t s = engine_slot_of(e, h);
	size_t i;

	if (s == ENGINE_NO_SLOT)
		return 0;
	i = e->pos[s];
	engine_slot_release(e, s);
	engine_heap_remove(e, i);
	return 1;
}

int engine_is_pending(const engine *e, engine_handle h)
{
	return engine_slot_of(e, h) != ENGINE_NO_SLOT;
}

sim_time_t engine_due(const engine *e, engine_handle h)
{
	uint32_t s = engine_slot_of(e, h);

	if (s == ENGINE_NO_SLOT)
		return -1;
	return e->heap[e->pos[s]].time_ns;
}

/* The slot is released before the handler runs, so the handler sees its
 * own handle as stale and its first schedule reuses the same slot. */
/* The lane yields on ties: at one instant the heap's events run first. */
static int engine_lane_first(const engine *e)
{
	return e->lane_set &&
	       (e->n == 0 || e->lane.time_ns < e->heap[0].time_ns);
}

static void engine_run_lane(engine *e)
{
	e->lane_set = 0;
	e->clock.now_ns = e->lane.time_ns;
	e->events++;
	e->lane_fn(e->lane_ctx, e->lane_arg);
}

void engine_lane_set(engine *e, sim_time_t at_ns, engine_fn fn, void *ctx,
		     uint64_t arg)
{
	e->lane.time_ns = at_ns < e->clock.now_ns ? e->clock.now_ns : at_ns;
	e->lane.seq = e->seq++;
	e->lane_fn = fn;
	e->lane_ctx = ctx;
	e->lane_arg = arg;
	e->lane_set = 1;
}

void engine_lane_clear(engine *e)
{
	e->lane_set = 0;
}

int engine_step(engine *e)
{
	struct engine_ev top;
	const struct engine_slot *sl;
	engine_fn fn;
	void *ctx;
	uint64_t arg;

	if (engine_lane_first(e)) {
		engine_run_lane(e);
		return 1;
	}
	if (e->n == 0)
		return 0;
	top = e->heap[0];
	sl = &e->slots[top.slot];
	fn = sl->fn;
	ctx = sl->ctx;
	arg = sl->arg;
	engine_slot_release(e, top.slot);
	if (--e->n > 0) {
		engine_sift_down(e, 0, e->heap[e->n]);
		/* the next event's handler record: a cache miss in a large
		 * run, started now, overlapped with this handler */
		__builtin_prefetch(&e->slots[e->heap[0].slot]);
	}
	e->clock.now_ns = top.time_ns;
	e->events++;
	fn(ctx, arg);
	return 1;
}

/* A stop requested outside a run (e.g. by a handler run through
 * engine_step) is honoured by the next engine_run, before any event. */
int engine_run(engine *e, sim_time_t until_ns)
{
	int stopped;

	while (!e->err && !e->stop && engine_next_time(e) <= until_ns &&
	       (e->n > 0 || e->lane_set))
		engine_step(e);
	stopped = e->stop;
	e->stop = 0;
	if (e->err)
		return e->err;
	if (stopped)
		return 0;
	if (until_ns > e->clock.now_ns &&
	    (e->n > 0 || e->lane_set || until_ns != SIM_TIME_MAX))
		e->clock.now_ns = until_ns;
	return 0;
}

void engine_stop(engine *e)
{
	e->stop = 1;
}

uint64_t engine_events(const engine *e)
{
	return e->events;
}

size_t engine_pending(const engine *e)
{
	return e->n + (e->lane_set ? 1 : 0);
}

sim_time_t engine_next_time(const engine *e)
{
	if (engine_lane_first(e))
		return e->lane.time_ns;
	return e->n > 0 ? e->heap[0].time_ns : SIM_TIME_MAX;
}

int engine_peek(const engine *e, engine_fn *fn, uint64_t *arg)
{
	const struct engine_slot *sl;

	if (e->n == 0 || engine_lane_first(e))
		return 0;
	sl = &e->slots[e->heap[0].slot];
	*fn = sl->fn;
	*arg = sl->arg;
	return 1;
}

int engine_error(const engine *e)
{
	return e->err;
}
