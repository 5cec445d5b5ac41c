/* bus.c - the world's bus (bus.h): reports of the models to their run. */
#include <stdarg.h>
#include <stdio.h>

#include "sim/core/alloc.h"
#include "sim/core/dist.h"
#include "sim/core/err.h"
#include "world_impl.h"

int bus_grow(void **arr, int32_t *cap, size_t elem)
{
	int32_t ncap;
	void *n;

	if (*cap > INT32_MAX / 2)
		return RSIM_ENOMEM;
	ncap = *cap ? *cap * 2 : 64;
	if ((size_t)ncap > SIZE_MAX / elem)
		return RSIM_ENOMEM;
	n = rsim_realloc(*arr, (size_t)ncap * elem);
	if (!n)
		return RSIM_ENOMEM;
	*arr = n;
	*cap = ncap;
	return 0;
}

void bus_fail(struct world *w, int code)
{
	if (!w->error)
		w->error = code;
	engine_stop(w->eng);
}

void bus_emit(struct world *w, const char *type, const char *reason,
	      const char *object, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!w->obs.on_event)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	w->obs.on_event(w->obs.ctx, engine_now(w->eng), type, reason, object,
			msg);
}

void bus_changed(struct world *w)
{
	w->bus.changed(w);
}

sim_time_t bus_sync_delay(struct world *w)
{
	const struct dist *d = &w->cfg->sync_delay;

	if (d->kind == DIST_CONSTANT)
		return d->a_ns;
	return dist_sample(d, w->rng_ctrl);
}
