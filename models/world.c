/* world.c - a run: its engine, streams, user events and bookkeeping.
 *
 * Besides wiring the models together, world.c keeps the pod counts that
 * timeline.csv shows and the metrics of summary.json. Counts are
 * recomputed after every change a model reports (bus_changed), so states
 * that last only an instant (a pod deleted before its replacement exists)
 * are seen by the minimum and maximum metrics (the conformance rollouts of
 * tests/conformance/test_rollouts.c count them so). Each template change
 * (setImage, apply, undo) opens a rollout (struct world_rollout) that ends
 * at its completion (DeploymentComplete, docs/kubernetes.md §7), at the
 * next template change (a roll-over) or with the run; the union of their
 * windows is "the rollout window" of the summary's pod extremes,
 * availability and requests.during_rollout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/alloc.h"
#include "sim/core/err.h"
#include "sim/core/rng.h"
#include "world_impl.h"

#define WORLD_STR(x) #x
#define WORLD_XSTR(x) WORLD_STR(x)

const char *world_strerror(int code)
{
	switch (code) {
	case RSIM_EINPUT:
		return "the ReplicaSets would need more than "
		       WORLD_XSTR(DEPLOY_PODS_MAX) " pods (proportional "
		       "scaling grows them to replicas + maxSurge)";
	case RSIM_ENOMEM:
		return "out of memory";
	case RSIM_EINTERNAL:
		return "internal error: a Deployment sync did not settle "
		       "within " WORLD_XSTR(DEPLOY_MAX_STEPS) " steps";
	default:
		return "internal error";
	}
}

void world_get_counts(const world *w, struct world_counts *c)
{
	int32_t i, nr = w->dep.new_rs;

	memset(c, 0, sizeof(*c));
	c->revision = w->dep.revision;
	for (i = 0; i < w->n_rs; i++) {
		const struct replicaset *r = &w->rs[i];

		if (i == nr) {
			c->new_pods = r->active;
			c->new_ready = r->ready;
			c->desired_new = r->spec;
		} else {
			c->old_pods += r->active;
			c->old_ready += r->ready;
			c->desired_old += r->spec;
		}
		c->available += r->available;
		c->terminating += r->existing - r->active;
		c->pending += r->pending;
	}
	c->endpoints = route_endpoints(w, CONSUMER_KUBE_PROXY);
	if (deploy_strategy_progressive(w->dep.spec.strategy))
		prog_counts(w, c);
}

static int32_t min_available_bound(const struct world *w)
{
	return w->dep.spec.replicas - deploy_unavailable(w);
}

/* Credits each ReplicaSet's pods since the last integration to the
 * revision it had then: a revision changes only in a Deployment sync,
 * which ends with bus_changed, so the one seen at the last integration
 * held all along (an undo moves later time to the raised revision). */
static void revision_flush(struct world *w, double dt)
{
	int32_t i, k;

	for (i = 0; i < w->n_rs; i++) {
		struct replicaset *r = &w->rs[i];

		k = r->revision_seen - 1;
		if (k >= WORLD_REV_MAX)
			k = WORLD_REV_MAX - 1;
		if (k >= 0) {
			w->rev_pod_ns[k] += dt * r->existing_seen;
			if (k + 1 > w->n_rev_seen)
				w->n_rev_seen = k + 1;
		}
		r->existing_seen = r->existing;
		r->revision_seen = r->revision;
	}
}

/* Adds the time since the last change, at the counts that held, to the
 * integrals. */
static void world_flush(struct world *w)
{
	sim_time_t now = engine_now(w->eng);
	double dt = (double)(now - w->last_change_ns);
	const struct world_counts *c = &w->counts;
	int32_t pods = c->old_pods + c->new_pods + c->terminating;

	w->pod_ns += dt * pods;
	if (pods > w->dep.spec.replicas)   /* extra_pod_seconds */
		w->extra_ns += dt * (pods - w->dep.spec.replicas);
	revision_flush(w, dt);
	w->avail_all_ns += dt * c->available;
	w->endpoints_all_ns += dt * c->endpoints;
	if (w->in_window) {
		if (c->available >= w->dep.spec.replicas)
			w->full_ns += dt;
		if (c->available < min_available_bound(w))
			w->below_min_ns += dt;
		w->window_ns += dt;
		w->avail_ns += dt * c->available;
		w->endpoints_ns += dt * c->endpoints;
	}
	w->last_change_ns = now;
}

static void extremes_note(struct world_extremes *x,
			  const struct world_counts *c)
{
	int32_t non_term = c->old_pods + c->new_pods;
	int32_t total = non_term + c->terminating;

	if (total > x->max_total)
		x->max_total = total;
	if (non_term > x->max_non_terminating)
		x->max_non_terminating = non_term;
	if (c->available < x->min_available)
		x->min_available = c->available;
	if (c->pending > x->max_pending)
		x->max_pending = c->pending;
}

static struct world_rollout *open_rollout(struct world *w)
{
	return w->open_rollout >= 0 ? &w->rollouts[w->open_rollout] : NULL;
}

static void rollout_note_counts(struct world_rollout *r,
				const struct world_counts *c)
{
	int32_t non_term = c->old_pods + c->new_pods;

	if (c->available < r->min_available)
		r->min_available = c->available;
	if (non_term > r->max_non_terminating)
		r->max_non_terminating = non_term;
}

/* The open rollout's revision: that of the ReplicaSet the controller made
 * (or adopted, for an undo) the new one for the current template. */
static void rollout_note_revision(struct world *w)
{
	struct world_rollout *r = open_rollout(w);
	int32_t nr = w->dep.new_rs;

	if (r && r->revision < 0 && nr >= 0 && w->rs[nr].tmpl == w->dep.tmpl)
		r->revision = w->rs[nr].revision;
}

/* The bus hook (bus.h): integrate up to now and note the counts. */
static void world_changed(struct world *w)
{
	struct world_counts c;

	world_get_counts(w, &c);
	world_flush(w);
	rollout_note_revision(w);
	if (w->counts_valid && memcmp(&c, &w->counts, sizeof(c)) == 0)
		return;
	w->counts = c;
	w->counts_valid = 1;
	extremes_note(&w->all, &c);
	if (w->in_window)
		extremes_note(&w->win, &c);
	if (w->open_rollout >= 0)
		rollout_note_counts(open_rollout(w), &c);
	if (w->obs.on_counts)
		w->obs.on_counts(w->obs.ctx, engine_now(w->eng), &c);
}

/* A new entry of w->rollouts, triggered now; -1 on ENOMEM. */
static int32_t rollout_add(struct world *w)
{
	struct world_rollout *r;

	if (w->n_rollouts == w->cap_rollouts &&
	    bus_grow((void **)&w->rollouts, &w->cap_rollouts,
		     sizeof(*w->rollouts)))
		return -1;
	r = &w->rollouts[w->n_rollouts];
	memset(r, 0, sizeof(*r));
	r->revision = -1;
	r->triggered_ns = engine_now(w->eng);
	r->completed_ns = -1;
	r->ended_ns = -1;
	r->min_available = INT32_MAX;
	if (w->counts_valid)
		rollout_note_counts(r, &w->counts);
	return w->n_rollouts++;
}

/* The template changed. The rollout in progress ends here (a roll-over),
 * unless the Deployment is paused and that rollout still waits for its
 * ReplicaSet: then the change joins it (one revision on resume). */
static void world_rollout_started(void *data)
{
	struct world *w = data;
	sim_time_t now = engine_now(w->eng);
	struct world_rollout *r = open_rollout(w);

	w->rollout_active = 1;
	if (w->m.triggered_ns < 0)
		w->m.triggered_ns = now;
	w->m.completed_ns = -1;
	if (!w->in_window) {
		world_flush(w);
		w->in_window = 1;
		if (w->counts_valid)
			extremes_note(&w->win, &w->counts);
	}
	if (r && w->dep.spec.paused && r->revision < 0) {
		traffic_window_changed(w);
		return;
	}
	if (r)
		r->ended_ns = now;
	w->open_rollout = rollout_add(w);
	if (w->open_rollout < 0)
		bus_fail(w, RSIM_ENOMEM);
	traffic_window_changed(w);
}

static void world_rollout_completed(void *data)
{
	struct world *w = data;
	struct world_rollout *r = open_rollout(w);

	world_flush(w);
	w->rollout_active = 0;
	w->in_window = 0;
	w->m.completed_ns = engine_now(w->eng);
	delivery_rollout_completed(w);
	if (!r)
		return;
	rollout_note_revision(w);
	r->complete = 1;
	r->completed_ns = r->ended_ns = w->m.completed_ns;
	w->open_rollout = -1;
	traffic_window_changed(w);
}

static void world_deadline_exceeded(void *data)
{
	struct world *w = data;

	w->m.deadline_exceeded = 1;
	if (w->open_rollout >= 0)
		open_rollout(w)->deadline_exceeded = 1;
}

static void ev_user(void *ctx, uint64_t arg)
{
	struct world *w = ctx;
	const struct world_event *e = &w->cfg->events[arg];

	world_flush(w);     /* time so far is judged by the spec that held */
	action_run(w, e);
}

/* The ReplicaSets' status moved: the Deployment controller syncs. */
static void on_rs_status(void *data, int32_t rs)
{
	(void)rs;
	deploy_request_sync(data);
}

static void on_pod_created(void *data, int32_t pod)
{
	scheduler_request(data, pod);
}

static void on_pod_terminating(void *data, int32_t pod)
{
	scheduler_pod_terminating(data, pod);
}

static void on_pod_gone(void *data, int32_t pod)
{
	scheduler_pod_gone(data, pod);
}

static void on_pod_endpoint(void *data, int32_t pod)
{
	service_pod_changed(data, pod);
}

static void on_pod_serving(void *data, int32_t pod)
{
	traffic_pod_changed(data, pod);
}

static void on_pod_killed(void *data, int32_t pod)
{
	traffic_pod_killed(data, pod);
}

static void on_rs_pod_status(void *data, int32_t rs)
{
	rs_pod_changed(data, rs);
}

/* Who listens to whom, registered once per world: the models below tell
 * the ones above through these, never by name. */
static void world_listen(struct world *w)
{
	const struct pod_listener sched = { .created = on_pod_created,
		.terminating = on_pod_terminating, .gone = on_pod_gone,
		.data = w };
	const struct pod_listener service = { .endpoint = on_pod_endpoint,
		.data = w };
	const struct pod_listener traffic = { .serving = on_pod_serving,
		.killed = on_pod_killed, .data = w };
	const struct pod_listener rs = { .rs_status = on_rs_pod_status,
		.data = w };

	w->bus.changed = world_changed;
	w->dep_lis.rollout_started = world_rollout_started;
	w->dep_lis.rollout_completed = world_rollout_completed;
	w->dep_lis.deadline_exceeded = world_deadline_exceeded;
	w->dep_lis.data = w;
	w->rs_lis.status_changed = on_rs_status;
	w->rs_lis.data = w;
	pod_listen(w, &sched);
	pod_listen(w, &service);
	pod_listen(w, &traffic);
	pod_listen(w, &rs);
}

static int world_streams(struct world *w, uint32_t rep)
{
	uint64_t seed = w->cfg->seed;

	w->rng_startup = rng_stream_new(seed, rep, "startup");
	w->rng_names = rng_stream_new(seed, rep, "names");
	w->rng_probe = rng_stream_new(seed, rep, "probe");
	w->rng_user = rng_stream_new(seed, rep, "user");
	w->rng_ctrl = rng_stream_new(seed, rep, "controllers");
	w->rng_network = rng_stream_new(seed, rep, "network");
	w->rng_sched = rng_stream_new(seed, rep, "scheduler");
	return w->rng_startup && w->rng_names && w->rng_probe && w->rng_user &&
	       w->rng_ctrl && w->rng_network && w->rng_sched ? 0 : RSIM_ENOMEM;
}

int world_new(const struct world_config *cfg, uint32_t rep,
	      const struct world_observer *obs, world **out)
{
	struct world *w = rsim_calloc(1, sizeof(*w));
	size_t i;

	*out = NULL;
	if (!w)
		return RSIM_ENOMEM;
	w->cfg = cfg;
	w->rep = rep;
	if (obs)
		w->obs = *obs;
	world_listen(w);
	w->eng = engine_new(1024);
	if (!w->eng || world_streams(w, rep) || scheduler_init(w) ||
	    traffic_init(w)) {
		world_free(w);
		return RSIM_ENOMEM;
	}
	w->m.triggered_ns = -1;
	w->m.completed_ns = -1;
	w->m.delivery.promoted_ns = -1;
	w->m.delivery.detected_ns = -1;
	w->m.delivery.rolled_back_ns = -1;
	w->open_rollout = -1;
	w->all.min_available = INT32_MAX;
	w->win.min_available = INT32_MAX;
	deploy_init(w);
	if (prog_init(w)) {
		world_free(w);
		return RSIM_ENOMEM;
	}
	for (i = 0; i < cfg->n_events; i++)
		engine_schedule(w->eng, cfg->events[i].at_ns, ev_user, w,
				(uint64_t)i);
	world_changed(w);
	*out = w;
	return engine_error(w->eng);
}

static void world_free_streams(struct world *w)
{
	gsl_rng *streams[] = { w->rng_startup, w->rng_names, w->rng_probe,
			       w->rng_user, w->rng_ctrl, w->rng_network,
			       w->rng_sched };
	size_t i;

	for (i = 0; i < sizeof(streams) / sizeof(*streams); i++)
		if (streams[i])
			gsl_rng_free(streams[i]);
}

void world_free(world *w)
{
	int32_t i;

	if (!w)
		return;
	engine_free(w->eng);
	world_free_streams(w);
	pod_release_all(w);
	scheduler_release(w);
	service_release(w);
	traffic_release(w);
	prog_release(w);
	template_release_all(w);
	for (i = 0; i < w->n_rs; i++)
		rs_index_free(&w->rs[i].vx);
	free(w->rs);
	free(w->rollouts);
	free(w);
}

int world_run(world *w)
{
	int rc = engine_run(w->eng, w->cfg->until_ns);

	if (!rc)
		rc = w->error;
	world_flush(w);
	traffic_finish(w);
	return rc;
}

static void pick_extremes(const struct world *w, struct world_metrics *m)
{
	const struct world_extremes *x = w->m.triggered_ns >= 0 ? &w->win
							        : &w->all;

	m->max_total = x->max_total;
	m->max_non_terminating = x->max_non_terminating;
	m->min_available = x->min_available == INT32_MAX ? 0
							 : x->min_available;
	m->max_pending = x->max_pending;
}

/* Pod-seconds by revision (revision_flush), with an entry for every
 * revision a ReplicaSet has had, even one without pods. */
static void revision_pod_seconds(const struct world *w,
				 struct world_metrics *m)
{
	int32_t i, n = w->n_rev_seen;

	for (i = 0; i < w->n_rs; i++)
		if (w->rs[i].revision > n)
			n = w->rs[i].revision;
	m->n_revisions = n < WORLD_REV_MAX ? n : WORLD_REV_MAX;
	for (i = 0; i < WORLD_REV_MAX; i++)
		m->rev_pod_seconds[i] = w->rev_pod_ns[i] / (double)SIM_NS_PER_S;
}

void world_get_metrics(const world *w, struct world_metrics *m)
{
	*m = w->m;
	m->complete = w->m.triggered_ns >= 0 && !w->rollout_active;
	pick_extremes(w, m);
	m->pod_seconds = w->pod_ns / (double)SIM_NS_PER_S;
	m->time_full_frac = w->window_ns > 0 ? w->full_ns / w->window_ns : 1.0;
	m->time_below_min_s = w->below_min_ns / (double)SIM_NS_PER_S;
	m->window_start_ns = w->m.triggered_ns;
	m->window_end_ns = w->m.triggered_ns < 0 ? -1
			   : w->rollout_active ? engine_now(w->eng)
					       : w->m.completed_ns;
	m->events = engine_events(w->eng);
	m->revision = w->dep.revision;
	m->restarts = w->restarts;
	m->replicas = w->dep.spec.replicas;
	m->strategy = w->dep.spec.strategy;
	m->max_surge = deploy_surge(w);
	m->max_unavailable = deploy_unavailable(w);
	if (w->window_ns > 0) {
		m->mean_available = w->avail_ns / w->window_ns;
		m->mean_endpoints = w->endpoints_ns / w->window_ns;
	} else if (engine_now(w->eng) > 0) {   /* no rollout: the whole run */
		m->mean_available = w->avail_all_ns / (double)engine_now(w->eng);
		m->mean_endpoints = w->endpoints_all_ns /
				    (double)engine_now(w->eng);
	}
	m->traffic = w->cfg->traffic.enabled;
	revision_pod_seconds(w, m);
	m->requests = w->tr.all;
	m->requests_window = w->tr.win;
	memcpy(m->requests_before, w->tr.before, sizeof(m->requests_before));
	m->mean_in_flight = 0;
	if (w->cfg->traffic.enabled &&
	    engine_now(w->eng) > w->cfg->traffic.start_ns)
		m->mean_in_flight = w->tr.in_flight_area /
				    (double)(engine_now(w->eng) -
					     w->cfg->traffic.start_ns);
	m->progressing = deploy_progress_text(w);
	m->delivery.progressive = deploy_strategy_progressive(m->strategy);
	m->delivery.extra_pod_seconds = w->extra_ns / (double)SIM_NS_PER_S;
	m->rollouts = w->rollouts;
	m->n_rollouts = w->n_rollouts;
	m->available = w->dep.available_cond == 1
			       ? "True MinimumReplicasAvailable"
			       : "False MinimumReplicasUnavailable";
}

