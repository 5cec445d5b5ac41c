/* pod.c - a pod's life up to running, restarts, readiness, deletion.
 *
 * Stages (docs/kubernetes.md §9, §10): created (Pending, no node) -> bound by
 * the scheduler (scheduler.c) -> image pulled (unless the node has it and the
 * policy is IfNotPresent; a pull in progress on the node is waited for, failed
 * pulls back off 10 s doubling to 5 min) -> container started (Running, T0) ->
 * app up after `startup` -> started (startup probe) -> Ready (readiness probe;
 * at once without one) -> Available after minReadySeconds of uninterrupted
 * readiness (§6). A container that exits (crash, liveness kill) is restarted
 * with CrashLoopBackOff: at once the first time, then 10 s doubling up to 5
 * min, the back-off forgotten after 10 min of running. Deletion and stopping
 * are in pod_stop.c, probes in pod_probe.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/err.h"
#include "sim/core/rng.h"
#include "decide.h"
#include "names.h"
#include "world_impl.h"

#define BACKOFF_INITIAL_NS (10 * SIM_NS_PER_S)
#define BACKOFF_MAX_NS (300 * SIM_NS_PER_S)
#define BACKOFF_EXPIRY_NS (2 * BACKOFF_MAX_NS)

static void ev_pulled(void *ctx, uint64_t arg);
static void ev_started(void *ctx, uint64_t arg);
static void ev_app_up(void *ctx, uint64_t arg);
static void ev_crash(void *ctx, uint64_t arg);
static void ev_restart(void *ctx, uint64_t arg);
static void ev_available(void *ctx, uint64_t arg);
static void pod_pull(struct world *w, int32_t i);
static int ready_flip(struct world *w, int32_t i, int on);

const struct image_config *pod_spec(const struct world *w,
				    const struct pod *p)
{
	return &w->tmpls[p->tmpl].eff;
}

void pod_emit(struct world *w, const struct pod *p, const char *type,
	      const char *reason, const char *fmt, ...)
{
	char obj[POD_NAME_MAX + 8], msg[512];
	va_list ap;

	if (!w->obs.on_event)
		return;
	snprintf(obj, sizeof(obj), "pod/%s", p->name);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	bus_emit(w, type, reason, obj, "%s", msg);
}

/* generateName "<rs>-" (controller_utils.go getPodsPrefix) and the API
 * server's SimpleNameGenerator (apiserver pkg/storage/names/generate.go):
 * the base cut to 63 - 5 characters, then 5 random letters. */
#define POD_NAME_BASE_MAX 58

static void pod_name(struct world *w, struct pod *p, const char *rs_name)
{
	size_t n = strlen(rs_name);
	int i;

	memcpy(p->name, rs_name, n);
	p->name[n++] = '-';
	if (n > POD_NAME_BASE_MAX)
		n = POD_NAME_BASE_MAX;
	for (i = 0; i < 5; i++)
		p->name[n++] = names_alphabet[rng_below(w->rng_names,
					      NAMES_ALPHABET_LEN)];
	p->name[n] = '\0';
	p->uid = ((uint64_t)gsl_rng_get(w->rng_names) << 32) ^
		 (uint64_t)gsl_rng_get(w->rng_names);
}

static struct pod *pod_new_slot(struct world *w, int32_t *idx)
{
	if (w->n_pods == w->cap_pods &&
	    bus_grow((void **)&w->pods, &w->cap_pods, sizeof(*w->pods)))
		return NULL;
	if (w->n_live == w->cap_live &&
	    bus_grow((void **)&w->live, &w->cap_live, sizeof(*w->live)))
		return NULL;
	*idx = w->n_pods++;
	memset(&w->pods[*idx], 0, sizeof(w->pods[*idx]));
	return &w->pods[*idx];
}

/* One more listener, after those registered; at most POD_LISTENERS_MAX. */
void pod_listen(struct world *w, const struct pod_listener *l)
{
	if (w->n_pod_lis < POD_LISTENERS_MAX)
		w->pod_lis[w->n_pod_lis++] = *l;
}

static pod_listener_cb pod_listener_pick(const struct pod_listener *l,
					 enum pod_news what)
{
	switch (what) {
	case POD_NEWS_CREATED:
		return l->created;
	case POD_NEWS_TERMINATING:
		return l->terminating;
	case POD_NEWS_GONE:
		return l->gone;
	case POD_NEWS_ENDPOINT:
		return l->endpoint;
	case POD_NEWS_SERVING:
		return l->serving;
	case POD_NEWS_KILLED:
		return l->killed;
	case POD_NEWS_RS_STATUS:
		return l->rs_status;
	}
	return NULL;
}

/* Tell the listeners, in the order they were registered. */
void pod_notify(struct world *w, enum pod_news what, int32_t arg)
{
	int32_t i;

	for (i = 0; i < w->n_pod_lis; i++) {
		pod_listener_cb cb = pod_listener_pick(&w->pod_lis[i], what);

		if (cb)
			cb(w->pod_lis[i].data, arg);
	}
}

int32_t pod_create(struct world *w, int32_t rs)
{
	struct replicaset *r = &w->rs[rs];
	struct pod *p;
	int32_t i, c;
	char obj[RS_NAME_MAX + 16];

	p = pod_new_slot(w, &i);
	if (!p)
		return -1;
	pod_name(w, p, r->name);
	p->rs = rs;
	p->tmpl = r->tmpl;
	p->group = r->group;
	p->deletion_cost = w->tmpls[r->tmpl].eff.deletion_cost;
	p->phase = POD_PENDING;
	p->node = -1;
	for (c = 0; c < CONSUMER_COUNT; c++)
		p->ep_pos[c] = -1;
	p->created_ns = engine_now(w->eng);
	p->started_ns = p->ready_since_ns = p->deleted_ns = -1;
	p->last_term_ns = -1;
	if (rs_index_created(w, i))
		return -1;
	w->live[w->n_live++] = i;
	r->active++;
	r->existing++;
	r->pending++;
	w->total_pods++;
	w->m.pods_created++;
	snprintf(obj, sizeof(obj), "replicaset/%s", r->name);
	bus_emit(w, "Normal", "SuccessfulCreate", obj, "Created pod: %s",
		 p->name);
	pod_view(w, i, "created");
	pod_notify(w, POD_NEWS_CREATED, i);
	bus_changed(w);
	return i;
}

void pod_bound(struct world *w, int32_t i, int32_t node)
{
	struct pod *p = &w->pods[i];

	p->node = node;
	p->scheduled = 1;
	p->scheduled_ns = engine_now(w->eng);
	pod_emit(w, p, "Normal", "Scheduled",
		 "Successfully assigned default/%s to %s", p->name,
		 p->node >= 0 ? w->cfg->cluster.nodes[p->node].name
			      : "node-auto");
	pod_view(w, i, "scheduled");
	/* the kubelet's first status: the container waits, being created */
	p->wait = POD_WAIT_CREATING;
	pod_view(w, i, "creating");
	pod_pull(w, i);
}

/* The node's image cache entries (NULL without a cluster). */
static uint8_t *image_present(struct world *w, const struct pod *p)
{
	if (p->node < 0 || !w->node_image)
		return NULL;
	return &w->node_image[(size_t)p->node * w->cfg->n_images +
			      (size_t)w->tmpls[p->tmpl].image];
}

static sim_time_t *image_pull_end(struct world *w, const struct pod *p)
{
	if (p->node < 0 || !w->node_pull_end)
		return NULL;
	return &w->node_pull_end[(size_t)p->node * w->cfg->n_images +
				 (size_t)w->tmpls[p->tmpl].image];
}

static void container_create(struct world *w, int32_t i)
{
	const struct image_config *s = pod_spec(w, &w->pods[i]);

	w->pods[i].life_timer = engine_after(
		w->eng, dist_sample(&s->container_start, w->rng_startup),
		ev_started, w, (uint64_t)i);
}

/* kubelet: pull (or not), serialised per node and image. */
static void pod_pull(struct world *w, int32_t i)
{
	struct pod *p = &w->pods[i];
	const struct image_config *s = pod_spec(w, p);
	uint8_t *present = image_present(w, p);
	sim_time_t *end = image_pull_end(w, p), now = engine_now(w->eng), d;

	p->waiting_image = 0;
	if (s->pull_policy == PULL_IF_NOT_PRESENT && present && *present) {
		pod_emit(w, p, "Normal", "Pulled", "Container image \"%s\" "
			 "already present on machine", s->name);
		container_create(w, i);
		return;
	}
	if (end && *end > now) {           /* another pod is pulling it */
		p->waiting_image = 1;
		p->life_timer = engine_schedule(w->eng, *end, ev_pulled, w,
						(uint64_t)i);
		return;
	}
	d = dist_sample(&s->pull, w->rng_startup);
	if (end)
		*end = sim_time_add(now, d);
	pod_emit(w, p, "Normal", "Pulling", "Pulling image \"%s\"", s->name);
	p->pull_started_ns = now;
	p->life_timer = engine_after(w->eng, d, ev_pulled, w, (uint64_t)i);
}

static void pull_failed(struct world *w, int32_t i)
{
	struct pod *p = &w->pods[i];
	const struct image_config *s = pod_spec(w, p);

	p->pull_backoff_ns = p->pull_backoff_ns == 0
				     ? BACKOFF_INITIAL_NS
				     : p->pull_backoff_ns * 2;
	if (p->pull_backoff_ns > BACKOFF_MAX_NS)
		p->pull_backoff_ns = BACKOFF_MAX_NS;
	pod_emit(w, p, "Warning", "Failed", "Failed to pull image \"%s\": "
		 "rpc error: code = Unknown", s->name);
	pod_emit(w, p, "Warning", "Failed", "Error: ErrImagePull");
	pod_emit(w, p, "Normal", "BackOff", "Back-off pulling image \"%s\"",
		 s->name);
	pod_emit(w, p, "Warning", "Failed", "Error: ImagePullBackOff");
	/* the failed sync writes ErrImagePull, the next one (at once here)
	 * finds the back-off */
	p->wait = POD_WAIT_ERR_PULL;
	pod_view(w, i, "pullfailed");
	p->wait = POD_WAIT_PULL_BACKOFF;
	pod_view(w, i, "pullbackoff");
	p->life_timer = engine_after(w->eng, p->pull_backoff_ns, ev_restart,
				     w, engine_arg((uint32_t)i, 1));
}

static void ev_pulled(void *ctx, uint64_t arg)
{
	struct world *w = ctx;
	int32_t i = (int32_t)arg;
	struct pod *p = &w->pods[i];
	const struct image_config *s = pod_spec(w, p);
	uint8_t *present = image_present(w, p);

	p->life_timer = ENGINE_HANDLE_NONE;
	if (p->waiting_image) {        /* the other pull ended: look again */
		pod_pull(w, i);
		return;
	}
	if (s->pull_failure_prob > 0 &&
	    rng_uniform_pos(w->rng_startup) < s->pull_failure_prob) {
		pull_failed(w, i);
		return;
	}
	p->pull_backoff_ns = 0;
	if (present)
		*present = 1;
	pod_emit(w, p, "Normal", "Pulled", "Successfully pulled image \"%s\" "
		 "in %.3fs", s->name,
		 sim_ns_to_s(engine_now(w->eng) - p->pull_started_ns));
	container_create(w, i);
}

static void ev_started(void *ctx, uint64_t arg)
{
	struct world *w = ctx;
	int32_t i = (int32_t)arg;
	struct pod *p = &w->pods[i];
	const struct image_config *s = pod_spec(w, p);
	sim_time_t now = engine_now(w->eng);

	p->life_timer = ENGINE_HANDLE_NONE;
	pod_emit(w, p, "Normal", "Created", "Created container %s",
		 w->dep.spec.container);
	pod_emit(w, p, "Normal", "Started", "Started container %s",
		 w->dep.spec.container);
	if (p->phase == POD_PENDING) {
		p->phase = POD_RUNNING;
		w->rs[p->rs].pending--;
	}
	p->running = 1;
	p->app_up = 0;
	p->started = !s->startup_probe.enabled;
	p->started_ns = now;
	p->life_timer = engine_after(w->eng,
				     dist_sample(&s->startup, w->rng_startup),
				     ev_app_up, w, arg);
	if (s->crash.enabled &&
	    rng_uniform_pos(w->rng_startup) < s->crash.probability)
		p->crash_timer = engine_after(
			w->eng, dist_sample(&s->crash.after, w->rng_startup),
			ev_crash, w, arg);
	probe_workers_start(w, i);
	p->wait = POD_WAIT_NONE;
	if (p->started && !s->readiness.enabled) {
		if (decide_on(w))
			explain_ready_at_start(w, i);
		ready_flip(w, i, 1);    /* no probe: ready as it runs */
	}
	pod_view(w, i, p->restarts ? "restarted" : "started");
	bus_changed(w);
}

static void ev_app_up(void *ctx, uint64_t arg)
{
	struct world *w = ctx;

	w->pods[arg].life_timer = ENGINE_HANDLE_NONE;
	w->pods[arg].app_up = 1;
	pod_notify(w, POD_NEWS_SERVING, (int32_t)arg);
}

static void ev_crash(void *ctx, uint64_t arg)
{
	struct world *w = ctx;

	w->pods[arg].crash_timer = ENGINE_HANDLE_NONE;
	pod_notify(w, POD_NEWS_KILLED, (int32_t)arg);
	pod_container_exited(w, (int32_t)arg);
}

/* The container stopped while the pod lives on (crash, liveness kill):
 * restart under CrashLoopBackOff (flowcontrol.Backoff of the kubelet). */
void pod_container_exited(struct world *w, int32_t i)
{
	struct pod *p = &w->pods[i];
	sim_time_t now = engine_now(w->eng), delay = 0;

	engine_cancel(w->eng, p->life_timer);
	engine_cancel(w->eng, p->crash_timer);
	p->crash_timer = ENGINE_HANDLE_NONE;
	probe_workers_stop(w, i);
	ready_flip(w, i, 0);
	p->running = 0;
	p->app_up = 0;
	p->sigterm = 0;
	p->stopping = 0;
	p->finished_ns = now;
	p->wait = POD_WAIT_EXITED;
	pod_view(w, i, "exited");
	pod_notify(w, POD_NEWS_SERVING, i);
	/* IsInBackOffSince: an entry that has not expired delays the restart */
	if (p->backoff_ns > 0 && now - p->backoff_upd_ns <= BACKOFF_EXPIRY_NS)
		delay = p->backoff_ns;
	if (delay > 0) {
		pod_emit(w, p, "Warning", "BackOff", "Back-off restarting failed "
			 "container %s in pod %s_default",
			 w->dep.spec.container, p->name);
		/* the next sync, at once here, finds the back-off */
		p->wait = POD_WAIT_CRASH_BACKOFF;
		pod_view(w, i, "backoff");
	}
	p->life_timer = engine_after(w->eng, delay, ev_restart, w,
				     (uint64_t)i);
	bus_changed(w);
}

/* arg: the pod, and a high half of 1 to retry a failed pull, else 0 to
 * restart the container. */
static void ev_restart(void *ctx, uint64_t arg)
{
	struct world *w = ctx;
	int32_t i = (int32_t)engine_arg_lo(arg);
	struct pod *p = &w->pods[i];
	sim_time_t now = engine_now(w->eng);

	p->life_timer = ENGINE_HANDLE_NONE;
	if (engine_arg_hi(arg)) {
		pod_pull(w, i);
		return;
	}
	/* Backoff.Next(finishedAt): (re)start at 10 s when absent or expired
	 * (the exit came more than 10 min after the last update), else
	 * double up to 5 min; the update time is now */
	if (p->backoff_ns == 0 ||
	    p->finished_ns - p->backoff_upd_ns > BACKOFF_EXPIRY_NS)
		p->backoff_ns = BACKOFF_INITIAL_NS;
	else if (p->backoff_ns * 2 < BACKOFF_MAX_NS)
		p->backoff_ns *= 2;
	else
		p->backoff_ns = BACKOFF_MAX_NS;
	p->backoff_upd_ns = now;
	p->restarts++;
	p->last_term_ns = p->finished_ns;   /* the exit becomes lastState */
	w->restarts++;
	if (pod_spec(w, p)->pull_policy == PULL_ALWAYS)
		pod_pull(w, i);
	else
		container_create(w, i);
}

static void pod_set_available(struct world *w, struct pod *p, int on)
{
	struct replicaset *r = &w->rs[p->rs];

	if (p->available == (unsigned)on)
		return;
	p->available = (unsigned)on;
	r->available += on ? 1 : -1;
}

/* IsPodAvailable (pkg/api/v1/pod/util.go) against the ReplicaSet's own
 * minReadySeconds: Ready, and Ready since at least minReadySeconds (here
 * exactly at ready + minReadySeconds, upstream a moment after). Judged
 * when Ready turns True and again whenever the ReplicaSet's
 * minReadySeconds changes (rs_set_min_ready); a pod not yet due waits for
 * a timer at the instant it is. Returns 1 when availability changed. */
int pod_judge_available(struct world *w, int32_t i)
{
	struct pod *p = &w->pods[i];
	sim_time_t min_ready = w->rs[p->rs].min_ready_ns;
	sim_time_t due = sim_time_add(p->ready_since_ns, min_ready);
	unsigned was = p->available;

	engine_cancel(w->eng, p->avail_timer);
	p->avail_timer = ENGINE_HANDLE_NONE;
	if (!p->ready || p->terminating)
		return 0;
	if (min_ready == 0 || due <= engine_now(w->eng)) {
		pod_set_available(w, p, 1);
	} else {
		pod_set_available(w, p, 0);
		p->avail_timer = engine_schedule(w->eng, due, ev_available, w,
						 (uint64_t)i);
	}
	return p->available != was;
}

/* Ready flips: the Ready condition's lastTransitionTime restarts the
 * minReadySeconds clock (IsPodAvailable, docs/kubernetes.md §6). Returns
 * 1 when it flipped; the caller tells on_pod (a start or an exit writes
 * the flip in the same status as the container's state). */
static int ready_flip(struct world *w, int32_t i, int on)
{
	struct pod *p = &w->pods[i];
	struct replicaset *r = &w->rs[p->rs];

	if (p->ready == (unsigned)on || p->terminating)
		return 0;
	if (rs_index_ready(w, i, on)) {
		bus_fail(w, RSIM_ENOMEM);
		return 0;
	}
	p->ready = (unsigned)on;
	r->ready += on ? 1 : -1;
	if (on) {
		p->ready_since_ns = engine_now(w->eng);
		pod_judge_available(w, i);
	} else {
		engine_cancel(w->eng, p->avail_timer);
		p->avail_timer = ENGINE_HANDLE_NONE;
		pod_set_available(w, p, 0);
	}
	pod_notify(w, POD_NEWS_ENDPOINT, i);
	pod_notify(w, POD_NEWS_RS_STATUS, p->rs);
	bus_changed(w);
	return 1;
}

void pod_set_ready(struct world *w, int32_t i, int on)
{
	if (ready_flip(w, i, on))
		pod_view(w, i, on ? "ready" : "unready");
}

static void ev_available(void *ctx, uint64_t arg)
{
	struct world *w = ctx;
	struct pod *p = &w->pods[arg];

	p->avail_timer = ENGINE_HANDLE_NONE;
	pod_set_available(w, p, 1);
	pod_notify(w, POD_NEWS_RS_STATUS, p->rs);
	bus_changed(w);
}

/* Graceful deletion (docs/kubernetes.md §11): the pod stops counting for its
 * ReplicaSet at once and leaves the endpoints; its container, if any,
 * is stopped by pod_stop_container. */
void pod_delete(struct world *w, int32_t i)
{
	struct pod *p = &w->pods[i];
	struct replicaset *r = &w->rs[p->rs];

	if (p->terminating || p->phase == POD_GONE)
		return;
	rs_index_deleted(w, i);
	p->terminating = 1;
	p->deleted_ns = engine_now(w->eng);
	r->active--;
	r->ready -= p->ready;
	r->available -= p->available;
	if (p->phase == POD_PENDING)
		r->pending--;
	pod_view(w, i, "terminating");
	pod_notify(w, POD_NEWS_TERMINATING, i);
	engine_cancel(w->eng, p->avail_timer);
	pod_notify(w, POD_NEWS_ENDPOINT, i);
	pod_stop_container(w, i, 1);
	bus_changed(w);
}

/* The live table keeps pod-index order (callers iterate it and outputs
 * depend on that order). A gone pod stays in it as a tombstone (its
 * phase says POD_GONE, iterators skip it) until tombstones outnumber the
 * live entries; then one pass squeezes them out: amortised O(1) per
 * deletion instead of a search and a memmove of the whole table. */
static void pod_live_drop(struct world *w)
{
	int32_t k, m = 0;

	if (++w->n_live_gone <= w->n_live / 2)
		return;
	for (k = 0; k < w->n_live; k++)
		if (w->pods[w->live[k]].phase != POD_GONE)
			w->live[m++] = w->live[k];
	w->n_live = m;
	w->n_live_gone = 0;
}

/* The pod is removed from the API: out of the live table and its
 * ReplicaSet's existing count. */
void pod_gone(struct world *w, int32_t i)
{
	struct pod *p = &w->pods[i];

	p->phase = POD_GONE;
	p->running = 0;
	p->ready = 0;
	p->available = 0;
	pod_live_drop(w);
	w->rs[p->rs].existing--;
	w->total_pods--;
	pod_view(w, i, "deleted");
	pod_notify(w, POD_NEWS_GONE, i);
	pod_notify(w, POD_NEWS_RS_STATUS, p->rs);
	bus_changed(w);
}
void pod_release_all(struct world *w)
{
	free(w->pods);
	free(w->live);
	w->pods = NULL;
	w->live = NULL;
	w->n_pods = w->cap_pods = w->n_live = w->cap_live = 0;
	w->n_live_gone = 0;
}
