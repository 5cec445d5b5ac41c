/* bus.h - the world's bus: what any model may tell the run it is part of.
 *
 * The models below world.c (pods, ReplicaSets, the Deployment, scheduler,
 * service, traffic, templates) report through these functions instead of
 * calling world.c by name: an event for events.log, "the counts may have
 * changed", a failure that stops the run, and a growable array. bus.c
 * implements them on the world's own fields; what world.c does when the
 * counts change is the hook it sets in struct bus when it builds the world.
 */
#ifndef RSIM_BUS_H
#define RSIM_BUS_H

#include <stddef.h>
#include <stdint.h>

#include "sim/core/engine.h"

struct world;

/* Set by world_new: the world's bookkeeping after a change. */
struct bus {
	void (*changed)(struct world *w);
};

/* Double *arr (64 elements first) of elem bytes; RSIM_ENOMEM, *arr kept. */
int bus_grow(void **arr, int32_t *cap, size_t elem);
/* A line of events.log, handed to the observer. */
void bus_emit(struct world *w, const char *type, const char *reason,
	      const char *object, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* The pod counts may have changed: the world integrates and notes them. */
void bus_changed(struct world *w);
/* Stop the run with code (RSIM_E*); the first failure is kept. */
void bus_fail(struct world *w, int code);
/* A controller's reaction time (controllers.syncDelay). */
sim_time_t bus_sync_delay(struct world *w);

#endif
