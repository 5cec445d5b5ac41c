/* engine.h - the discrete-event engine: integer clock and event queue.
 *
 * Time is int64_t nanoseconds (sim_time_t). Pending events live in one
 * contiguous 4-ary min-heap ordered by (time, sequence); the sequence number
 * is taken when an event is scheduled, so events due at the same instant
 * run in the order they were scheduled (FIFO) and every run is
 * deterministic. Scheduling allocates nothing once the arrays have grown to
 * the peak number of pending events (they double when full).
 *
 * Cancellation goes through handles: a handle names a slot and the slot's
 * generation at scheduling time. When the event runs or is cancelled the
 * slot's generation moves on, so a stale handle (an event that already ran,
 * was cancelled, or whose slot was reused) is recognised and ignored.
 * Cancelling is O(log n): the slot remembers the event's heap position.
 *
 * Not thread-safe: one engine per simulation run, one thread at a time.
 */
#ifndef RSIM_ENGINE_H
#define RSIM_ENGINE_H

#include <stddef.h>
#include <stdint.h>

typedef int64_t sim_time_t;          /* nanoseconds since the run started */

#define SIM_TIME_MAX INT64_MAX
#define SIM_NS_PER_MS INT64_C(1000000)
#define SIM_NS_PER_S INT64_C(1000000000)

/* Converts seconds (double) to nanoseconds, rounding to nearest and
 * saturating at 0 and SIM_TIME_MAX. The one rounding rule of the program. */
sim_time_t sim_s_to_ns(double s);
/* Converts nanoseconds to seconds for output. */
double sim_ns_to_s(sim_time_t t_ns);
/* a + b, saturating at SIM_TIME_MAX (both must be >= 0). */
static inline sim_time_t sim_time_add(sim_time_t a_ns, sim_time_t b_ns)
{
	if (b_ns > 0 && a_ns > SIM_TIME_MAX - b_ns)
		return SIM_TIME_MAX;
	if (b_ns < 0 && a_ns < INT64_MIN - b_ns)
		return INT64_MIN;
	return a_ns + b_ns;
}

typedef struct engine engine;

/* An event handler: ctx and arg are what was given to engine_schedule. */
typedef void (*engine_fn)(void *ctx, uint64_t arg);

/* An event argument of two 32-bit halves (say a pod and a probe kind):
 * engine_arg packs them, engine_arg_lo / engine_arg_hi unpack. */
static inline uint64_t engine_arg(uint32_t lo, uint32_t hi)
{
	return (uint64_t)lo | (uint64_t)hi << 32;
}

static inline uint32_t engine_arg_lo(uint64_t arg)
{
	return (uint32_t)arg;
}

static inline uint32_t engine_arg_hi(uint64_t arg)
{
	return (uint32_t)(arg >> 32);
}

/* A handle to a scheduled event; ENGINE_HANDLE_NONE never names one. */
typedef uint64_t engine_handle;
#define ENGINE_HANDLE_NONE UINT64_C(0)

/* Creates an engine with room for capacity pending events (it grows as
 * needed). The clock starts at 0. Returns NULL when out of memory. */
engine *engine_new(size_t capacity);
void engine_free(engine *e);

/* The clock, the first member of struct engine so that engine_now is
 * an inline read (it is called on every event). Not for other use. */
struct engine_clock {
	sim_time_t now_ns;
};

/* The current simulated time: the time of the event being run, or of the
 * last one run, or the limit engine_run stopped at. */
static inline sim_time_t engine_now(const engine *e)
{
	return ((const struct engine_clock *)(const void *)e)->now_ns;
}

/* Schedules fn(ctx, arg) at time at_ns (clamped up to now: the past is not
 * schedulable). Returns a handle for engine_cancel. When the queue cannot
 * grow, returns ENGINE_HANDLE_NONE and the engine remembers RSIM_ENOMEM
 * (engine_error), and engine_run stops. */
engine_handle engine_schedule(engine *e, sim_time_t at_ns, engine_fn fn,
			      void *ctx, uint64_t arg);

/* Schedules fn after delay_ns from now (saturating). */
engine_handle engine_after(engine *e, sim_time_t delay_ns, engine_fn fn,
			   void *ctx, uint64_t arg);

/* The lane: one event kept beside the heap, for a stream that always has
 * exactly one next event (request arrivals), at the cost of one
 * comparison per step instead of a heap push and pop. engine_lane_set
 * replaces the lane's event. On a tie the lane yields: every heap event
 * due at the same instant runs before it (a pod that finishes a request
 * at t is free for a request arriving at t). */
void engine_lane_set(engine *e, sim_time_t at_ns, engine_fn fn, void *ctx,
		     uint64_t arg);
void engine_lane_clear(engine *e);

/* Cancels a pending event. Returns 1 when an event was removed, 0 when the
 * handle was stale or NONE (harmless). */
int engine_cancel(engine *e, engine_handle h);

/* 1 when h names an event that is still pending. */
int engine_is_pending(const engine *e, engine_handle h);

/* The due time of a pending event, or -1 when h is stale. */
sim_time_t engine_due(const engine *e, engine_handle h);

/* Runs events in (time, sequence) order while the earliest is due at or
 * before until_ns, or until engine_stop is called from a handler. When it
 * returns because no event is due by until_ns, the clock is set to until_ns
 * (unless until_ns is SIM_TIME_MAX and the queue emptied). Returns 0, or
 * the remembered error. */
int engine_run(engine *e, sim_time_t until_ns);

/* Runs the single earliest event. Returns 1 if one ran, 0 if empty. */
int engine_step(engine *e);

/* Asks engine_run to return after the current event. */
void engine_stop(engine *e);

/* Number of events executed since engine_new. */
uint64_t engine_events(const engine *e);

/* Number of pending events (the lane's included). */
size_t engine_pending(const engine *e);

/* Time of the earliest pending event, or SIM_TIME_MAX when empty. */
sim_time_t engine_next_time(const engine *e);

/* 1 and the handler and argument of the event that runs next (the
 * lane's excluded), 0 when there is none: a handler may prefetch what
 * the next one will touch. */
int engine_peek(const engine *e, engine_fn *fn, uint64_t *arg);

/* 0, or the first error (RSIM_ENOMEM) met while scheduling. */
int engine_error(const engine *e);

#endif
