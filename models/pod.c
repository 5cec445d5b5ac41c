/* pod.c - a pod's life, driven by engine events.
 *
 * Stages (SEMANTICS.md §h): created (Pending, no node) -> scheduled ->
 * image pulled -> container started (Running, T0) -> app up after the
 * image's `startup` sample -> Ready when the readiness probe publishes
 * Success (at once when there is no probe) -> Available after
 * minReadySeconds of uninterrupted readiness -> deleted: Terminating
 * (preStop, SIGTERM, shutdown, SIGKILL at the grace period, §i) -> gone.
 * Every change of a counted state updates the owning ReplicaSet's status,
 * wakes the controllers (rs_pod_changed) and calls world_changed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/err.h"
#include "../sim/rng.h"
#include "world_impl.h"

/* Kubernetes' random-name alphabet (no vowels, no confusable digits). */
static const char name_alphabet[] = "bcdfghjklmnpqrstvwxz2456789";

/* The kubelet's one-time extra time after a preStop hook that overran the
 * grace period, before SIGKILL (SEMANTICS.md §i 3c). */
#define POD_KILL_EXTRA_NS (2 * SIM_NS_PER_S)

static void ev_scheduled(void *ctx, uint64_t arg);
static void ev_pulled(void *ctx, uint64_t arg);
static void ev_app_up(void *ctx, uint64_t arg);
static void ev_probe(void *ctx, uint64_t arg);
static void ev_available(void *ctx, uint64_t arg);
static void ev_gone(void *ctx, uint64_t arg);

static const struct image_config *pod_image(const struct world *w,
					    const struct pod *p)
{
	return &w->tmpls[p->tmpl].eff;
}

static void pod_emit(struct world *w, const struct pod *p, const char *type,
		     const char *reason, const char *msg)
{
	char obj[POD_NAME_MAX + 8];

	snprintf(obj, sizeof(obj), "pod/%s", p->name);
	world_emit(w, type, reason, obj, "%s", msg);
}

static void pod_name(struct world *w, struct pod *p, const char *rs_name)
{
	size_t n = strlen(rs_name);
	int i;

	memcpy(p->name, rs_name, n);
	p->name[n++] = '-';
	for (i = 0; i < 5; i++)
		p->name[n++] = name_alphabet[rng_below(w->rng_names,
					     (uint32_t)sizeof(name_alphabet) - 1)];
	p->name[n] = '\0';
	p->uid = ((uint64_t)gsl_rng_get(w->rng_names) << 32) ^
		 (uint64_t)gsl_rng_get(w->rng_names);
}

int32_t pod_create(struct world *w, int32_t rs)
{
	struct replicaset *r = &w->rs[rs];
	struct pod *p;
	int32_t i;
	char obj[RS_NAME_MAX + 16];

	if (w->n_pods == w->cap_pods &&
	    world_grow((void **)&w->pods, &w->cap_pods, sizeof(*w->pods)))
		return -1;
	if (w->n_live == w->cap_live &&
	    world_grow((void **)&w->live, &w->cap_live, sizeof(*w->live)))
		return -1;
	i = w->n_pods++;
	p = &w->pods[i];
	memset(p, 0, sizeof(*p));
	pod_name(w, p, r->name);
	p->rs = rs;
	p->tmpl = r->tmpl;
	p->deletion_cost = w->tmpls[r->tmpl].eff.deletion_cost;
	p->phase = POD_PENDING;
	p->created_ns = engine_now(w->eng);
	p->started_ns = -1;
	p->ready_since_ns = -1;
	p->deleted_ns = -1;
	w->live[w->n_live++] = i;
	r->active++;
	r->existing++;
	r->pending++;
	w->total_pods++;
	w->m.pods_created++;
	snprintf(obj, sizeof(obj), "replicaset/%s", r->name);
	world_emit(w, "Normal", "SuccessfulCreate", obj, "Created pod: %s",
		   p->name);
	p->life_timer = engine_after(w->eng, 0, ev_scheduled, w, (uint64_t)i);
	world_changed(w);
	return i;
}

static void ev_scheduled(void *ctx, uint64_t arg)
{
	struct world *w = ctx;
	struct pod *p = &w->pods[arg];
	const struct image_config *img = pod_image(w, p);
	sim_time_t pull_ns = dist_sample(&img->pull, w->rng_startup);
	char msg[IMAGE_NAME_MAX + 64];

	p->scheduled = 1;
	p->scheduled_ns = engine_now(w->eng);
	snprintf(msg, sizeof(msg), "Successfully assigned default/%s to node-1",
		 p->name);
	pod_emit(w, p, "Normal", "Scheduled", msg);
	if (pull_ns > 0) {
		snprintf(msg, sizeof(msg), "Pulling image \"%s\"", img->name);
		pod_emit(w, p, "Normal", "Pulling", msg);
	}
	p->life_timer = engine_after(w->eng, pull_ns, ev_pulled, w, arg);
}

static void pod_set_available(struct world *w, struct pod *p, int on)
{
	struct replicaset *r = &w->rs[p->rs];

	if (p->available == (unsigned)on)
		return;
	p->available = (unsigned)on;
	r->available += on ? 1 : -1;
}

/* Ready flips: the Ready condition's lastTransitionTime restarts the
 * minReadySeconds clock (IsPodAvailable, SEMANTICS.md §h). */
static void pod_set_ready(struct world *w, struct pod *p, uint64_t idx,
			  int on)
{
	struct replicaset *r = &w->rs[p->rs];

	if (p->ready == (unsigned)on)
		return;
	p->ready = (unsigned)on;
	r->ready += on ? 1 : -1;
	if (on) {
		p->ready_since_ns = engine_now(w->eng);
		if (r->min_ready_ns == 0)
			pod_set_available(w, p, 1);
		else
			p->avail_timer = engine_after(w->eng, r->min_ready_ns,
						      ev_available, w, idx);
	} else {
		engine_cancel(w->eng, p->avail_timer);
		pod_set_available(w, p, 0);
	}
	rs_pod_changed(w, p->rs);
	world_changed(w);
}

static void ev_available(void *ctx, uint64_t arg)
{
	struct world *w = ctx;
	struct pod *p = &w->pods[arg];

	pod_set_available(w, p, 1);
	rs_pod_changed(w, p->rs);
	world_changed(w);
}

static void ev_pulled(void *ctx, uint64_t arg)
{
	struct world *w = ctx;
	struct pod *p = &w->pods[arg];
	const struct image_config *img = pod_image(w, p);
	sim_time_t now = engine_now(w->eng);
	char msg[IMAGE_NAME_MAX + 64];

	if (now > p->scheduled_ns)
		snprintf(msg, sizeof(msg),
			 "Successfully pulled image \"%s\" in %.3fs", img->name,
			 sim_ns_to_s(now - p->scheduled_ns));
	else
		snprintf(msg, sizeof(msg),
			 "Container image \"%s\" already present on machine",
			 img->name);
	pod_emit(w, p, "Normal", "Pulled", msg);
	pod_emit(w, p, "Normal", "Created", "Created container app");
	pod_emit(w, p, "Normal", "Started", "Started container app");
	p->running = 1;
	p->phase = POD_RUNNING;
	p->started_ns = now;
	w->rs[p->rs].pending--;
	p->life_timer = engine_after(w->eng,
				     dist_sample(&img->startup, w->rng_startup),
				     ev_app_up, w, arg);
	if (img->readiness.enabled) {
		probe_state_init(&p->readiness, 0);
		/* the worker probes at once, then on its ticker (probe.h) */
		p->probe_timer = engine_after(w->eng, 0, ev_probe, w, arg);
		world_changed(w);
	} else {
		pod_set_ready(w, p, arg, 1);
	}
}

static void ev_app_up(void *ctx, uint64_t arg)
{
	struct world *w = ctx;

	w->pods[arg].app_up = 1;
}

static void ev_probe(void *ctx, uint64_t arg)
{
	struct world *w = ctx;
	struct pod *p = &w->pods[arg];
	const struct probe_config *pc = &pod_image(w, p)->readiness;
	sim_time_t now = engine_now(w->eng);
	int ok;

	p->probe_timer = engine_after(w->eng, pc->period_ns, ev_probe, w, arg);
	if (!probe_attempt_counts(pc, p->started_ns, now))
		return;
	ok = p->app_up && !pc->never_ready;
	if (!ok)
		pod_emit(w, p, "Warning", "Unhealthy",
			 "Readiness probe failed: connection refused");
	if (probe_record(&p->readiness, pc, ok))
		pod_set_ready(w, p, arg, p->readiness.published);
}

/* When the container stops after deletion: preStop, then SIGTERM and the
 * app's shutdown, SIGKILL at the grace period counted from the start of
 * preStop; an overrunning preStop gets 2 s more after SIGTERM. */
static sim_time_t pod_stop_after(struct world *w, struct pod *p)
{
	const struct image_config *img = pod_image(w, p);
	sim_time_t shutdown = dist_sample(&img->shutdown, w->rng_startup);
	sim_time_t grace = img->grace_ns, prestop = img->prestop_ns;

	if (prestop >= grace && prestop > 0) {
		p->killed = shutdown > POD_KILL_EXTRA_NS;
		return sim_time_add(grace, p->killed ? POD_KILL_EXTRA_NS
						     : shutdown);
	}
	if (sim_time_add(prestop, shutdown) > grace) {
		p->killed = 1;
		return grace;
	}
	return prestop + shutdown;
}

void pod_delete(struct world *w, int32_t idx)
{
	struct pod *p = &w->pods[idx];
	struct replicaset *r = &w->rs[p->rs];
	sim_time_t after = 0;

	if (p->terminating || p->phase == POD_GONE)
		return;
	p->terminating = 1;
	p->deleted_ns = engine_now(w->eng);
	r->active--;
	r->ready -= p->ready;
	r->available -= p->available;
	if (!p->running)
		r->pending--;
	engine_cancel(w->eng, p->life_timer);
	engine_cancel(w->eng, p->probe_timer);
	engine_cancel(w->eng, p->avail_timer);
	if (p->running) {
		pod_emit(w, p, "Normal", "Killing", "Stopping container app");
		after = pod_stop_after(w, p);
	}
	p->life_timer = engine_after(w->eng, after, ev_gone, w, (uint64_t)idx);
	world_changed(w);
}

static void ev_gone(void *ctx, uint64_t arg)
{
	struct world *w = ctx;
	struct pod *p = &w->pods[arg];
	int32_t i;

	p->phase = POD_GONE;
	p->running = 0;
	p->ready = 0;
	p->available = 0;
	for (i = 0; i < w->n_live; i++)
		if (w->live[i] == (int32_t)arg)
			break;
	if (i < w->n_live)
		memmove(&w->live[i], &w->live[i + 1],
			(size_t)(w->n_live - i - 1) * sizeof(*w->live));
	w->n_live--;
	w->rs[p->rs].existing--;
	w->total_pods--;
	rs_pod_changed(w, p->rs);
	world_changed(w);
}

void pod_release_all(struct world *w)
{
	free(w->pods);
	free(w->live);
	w->pods = NULL;
	w->live = NULL;
	w->n_pods = w->cap_pods = w->n_live = w->cap_live = 0;
}
