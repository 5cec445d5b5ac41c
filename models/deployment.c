/* deployment.c - the Deployment controller (SEMANTICS.md §a-§c, §f).
 *
 * A sync runs as an engine event, requested whenever the Deployment, one
 * of its ReplicaSets or one of their pods changes; requests made while one
 * is pending merge into it, as the controller's work queue does. One sync
 * repeats the strategy's single step (either scale the new ReplicaSet or
 * scale old ones down, §b.2) until nothing changes: upstream the write of
 * each step requeues the Deployment within milliseconds, and controllers
 * here react instantly. Then the status and conditions are recomputed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/err.h"
#include "deployment.h"
#include "world_impl.h"

/* A bound on steps per sync; each step changes a spec, so a correct
 * controller converges long before it (asserted in tests). */
#define DEPLOY_MAX_STEPS 100000

/* §a ResolveFenceposts: both resolved values 0 -> unavailable 1. */
static void resolve_fenceposts(int32_t replicas, struct intstr ms,
			       struct intstr mu, int32_t *surge,
			       int32_t *unav)
{
	*surge = intstr_scaled(ms, replicas, 1);   /* maxSurge rounds up */
	*unav = intstr_scaled(mu, replicas, 0);    /* maxUnavailable down */
	if (*surge == 0 && *unav == 0)
		*unav = 1;
}

int32_t deploy_max_surge(enum strategy_type st, int32_t replicas,
			 struct intstr max_surge, struct intstr max_unav)
{
	int32_t s, u;

	if (st != STRATEGY_ROLLING_UPDATE)
		return 0;
	resolve_fenceposts(replicas, max_surge, max_unav, &s, &u);
	return s;
}

int32_t deploy_max_unavailable(enum strategy_type st, int32_t replicas,
			       struct intstr max_surge,
			       struct intstr max_unav)
{
	int32_t s, u;

	if (st != STRATEGY_ROLLING_UPDATE || replicas == 0)
		return 0;
	resolve_fenceposts(replicas, max_surge, max_unav, &s, &u);
	return u > replicas ? replicas : u;
}

int32_t deploy_new_rs_replicas(int32_t replicas, int32_t surge,
			       int32_t new_spec, int32_t all_spec)
{
	int32_t max_total = replicas + surge, up;

	if (all_spec >= max_total)
		return new_spec;
	up = max_total - all_spec;
	if (up > replicas - new_spec)
		up = replicas - new_spec;
	return new_spec + (up > 0 ? up : 0);
}

/* §b.5 step 1: unhealthy old pods first, oldest ReplicaSet first. */
static int32_t cleanup_unhealthy(struct rs_counts *old, size_t n_old,
				 int32_t limit)
{
	int32_t cleaned = 0;
	size_t i;

	for (i = 0; i < n_old && cleaned < limit; i++) {
		int32_t unhealthy = old[i].spec - old[i].avail, k;

		if (old[i].spec == 0 || unhealthy <= 0)
			continue;
		k = limit - cleaned < unhealthy ? limit - cleaned : unhealthy;
		old[i].spec -= k;
		cleaned += k;
	}
	return cleaned;
}

/* §b.5 step 2: keep availTotal >= minAvailable, oldest first. The budget
 * uses availability read before step 1 (upstream does the same). */
static int32_t scale_down_old(struct rs_counts *old, size_t n_old,
			      int32_t budget)
{
	int32_t scaled = 0;
	size_t i;

	for (i = 0; i < n_old && scaled < budget; i++) {
		int32_t k;

		if (old[i].spec == 0)
			continue;
		k = old[i].spec < budget - scaled ? old[i].spec
						  : budget - scaled;
		old[i].spec -= k;
		scaled += k;
	}
	return scaled;
}

struct rolling_result deploy_rolling_step(int32_t replicas, int32_t surge,
					  int32_t unavailable,
					  struct rs_counts *newrs,
					  struct rs_counts *old,
					  size_t n_old)
{
	struct rolling_result res = { ROLLING_NONE, 0, 0 };
	int32_t old_total = 0, all_total = newrs->spec, avail_total =
		newrs->avail;
	int32_t min_avail = replicas - unavailable, max_down, target;
	size_t i;

	for (i = 0; i < n_old; i++) {
		old_total += old[i].spec;
		all_total += old[i].spec;
		avail_total += old[i].avail;
	}
	/* §b.4 reconcileNewReplicaSet */
	if (newrs->spec > replicas) {
		newrs->spec = replicas;
		res.action = ROLLING_NEW_DOWN;
		return res;
	}
	target = deploy_new_rs_replicas(replicas, surge, newrs->spec, all_total);
	if (target != newrs->spec) {
		newrs->spec = target;
		res.action = ROLLING_NEW_UP;
		return res;
	}
	/* §b.5 reconcileOldReplicaSets */
	if (old_total == 0)
		return res;
	max_down = all_total - min_avail - (newrs->spec - newrs->avail);
	if (max_down <= 0)
		return res;
	res.cleaned = cleanup_unhealthy(old, n_old, max_down);
	if (avail_total > min_avail)
		res.scaled = scale_down_old(old, n_old, avail_total - min_avail);
	if (res.cleaned + res.scaled > 0)
		res.action = ROLLING_OLD_DOWN;
	return res;
}

/* ---------------------------------------------------------------- live */

static const char *dep_object(const struct world *w, char *buf, size_t n)
{
	snprintf(buf, n, "deployment/%s", w->dep.spec.name);
	return buf;
}

static int32_t dep_surge(const struct world *w)
{
	const struct deployment_config *d = &w->dep.spec;

	return deploy_max_surge(d->strategy, d->replicas, d->max_surge,
				d->max_unavailable);
}

static int32_t dep_unavailable(const struct world *w)
{
	const struct deployment_config *d = &w->dep.spec;

	return deploy_max_unavailable(d->strategy, d->replicas, d->max_surge,
				      d->max_unavailable);
}

/* §b.3 FindNewReplicaSet: the oldest ReplicaSet whose template equals the
 * Deployment's. */
static int32_t find_new_rs(const struct world *w)
{
	int32_t i;

	for (i = 0; i < w->n_rs; i++)
		if (!w->rs[i].deleted && w->rs[i].image == w->dep.spec.image)
			return i;
	return -1;
}

static int32_t max_old_revision(const struct world *w, int32_t new_rs)
{
	int32_t i, m = 0;

	for (i = 0; i < w->n_rs; i++)
		if (i != new_rs && !w->rs[i].deleted && w->rs[i].revision > m)
			m = w->rs[i].revision;
	return m;
}

/* Creates the new ReplicaSet (revision maxOld + 1) with replicas. */
static int create_new_rs(struct world *w, int32_t replicas)
{
	int32_t rev = max_old_revision(w, -1) + 1;
	int32_t i = rs_create(w, w->dep.spec.image, rev);

	if (i < 0) {
		world_fail(w, RS_ENOMEM);
		return 0;
	}
	w->dep.new_rs = i;
	w->dep.revision = rev;
	w->dep.progress = PROGRESS_NEW_RS_CREATED;
	w->dep.progress_update_ns = engine_now(w->eng);
	rs_scale(w, i, replicas);   /* born at its first size */
	return 1;
}

/* An existing ReplicaSet adopted as new gets revision maxOld + 1. */
static void adopt_new_rs(struct world *w, int32_t nr)
{
	int32_t m = max_old_revision(w, nr);

	w->dep.new_rs = nr;
	if (w->rs[nr].revision <= m)
		w->rs[nr].revision = m + 1;
	w->dep.revision = w->rs[nr].revision;
}

static int rolling_once(struct world *w)
{
	struct rs_counts newc, old[64], *oldp = old;
	int32_t idx[64], *idxp = idx, nr = find_new_rs(w), i, n = 0;
	struct rolling_result r;
	int changed;

	if (nr < 0) {
		int32_t all = 0;

		for (i = 0; i < w->n_rs; i++)
			all += w->rs[i].spec;
		return create_new_rs(w, deploy_new_rs_replicas(
			w->dep.spec.replicas, dep_surge(w), 0, all));
	}
	adopt_new_rs(w, nr);
	if (w->n_rs > 64) {
		oldp = malloc((size_t)w->n_rs * sizeof(*oldp));
		idxp = malloc((size_t)w->n_rs * sizeof(*idxp));
		if (!oldp || !idxp) {
			free(oldp);
			free(idxp);
			world_fail(w, RS_ENOMEM);
			return 0;
		}
	}
	for (i = 0; i < w->n_rs; i++) {
		if (i == nr || w->rs[i].deleted)
			continue;
		oldp[n].spec = w->rs[i].spec;
		oldp[n].avail = w->rs[i].available;
		idxp[n++] = i;
	}
	newc.spec = w->rs[nr].spec;
	newc.avail = w->rs[nr].available;
	r = deploy_rolling_step(w->dep.spec.replicas, dep_surge(w),
				dep_unavailable(w), &newc, oldp, (size_t)n);
	changed = r.action != ROLLING_NONE;
	if (newc.spec != w->rs[nr].spec)
		rs_scale(w, nr, newc.spec);
	for (i = 0; i < n; i++)
		if (oldp[i].spec != w->rs[idxp[i]].spec)
			rs_scale(w, idxp[i], oldp[i].spec);
	if (oldp != old) {
		free(oldp);
		free(idxp);
	}
	return changed;
}

/* §c rolloutRecreate: old ReplicaSets to 0; wait until no old pod exists
 * (terminating ones included); then the new ReplicaSet, born at R. */
static int recreate_once(struct world *w)
{
	int32_t nr = find_new_rs(w), i;
	int scaled = 0;

	if (nr >= 0)
		adopt_new_rs(w, nr);
	else
		w->dep.new_rs = -1;        /* not created until old pods are gone */
	for (i = 0; i < w->n_rs; i++)
		if (i != nr && !w->rs[i].deleted && w->rs[i].spec > 0) {
			rs_scale(w, i, 0);
			scaled = 1;
		}
	if (scaled)
		return 1;
	for (i = 0; i < w->n_rs; i++)
		if (i != nr && w->rs[i].existing > 0)
			return 0;                  /* oldPodsRunning */
	if (nr < 0)
		return create_new_rs(w, w->dep.spec.replicas);
	if (w->rs[nr].spec != w->dep.spec.replicas) {
		rs_scale(w, nr, w->dep.spec.replicas);
		return 1;
	}
	return 0;
}

struct dep_status {
	int32_t replicas, updated, ready, available;
};

static void compute_status(const struct world *w, struct dep_status *s)
{
	int32_t i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < w->n_rs; i++) {
		s->replicas += w->rs[i].active;
		s->ready += w->rs[i].ready;
		s->available += w->rs[i].available;
	}
	if (w->dep.new_rs >= 0)
		s->updated = w->rs[w->dep.new_rs].active;
}

/* §j DeploymentComplete */
static int status_complete(const struct world *w, const struct dep_status *s)
{
	int32_t r = w->dep.spec.replicas;

	return s->updated == r && s->replicas == r && s->available == r;
}

/* §f DeploymentProgressing: fresh status against the stored one. */
static int status_progressing(const struct world *w,
			      const struct dep_status *s)
{
	const struct deployment_state *d = &w->dep;

	return s->updated > d->st_updated ||
	       s->replicas - s->updated < d->st_replicas - d->st_updated ||
	       s->ready > d->st_ready || s->available > d->st_available;
}

static void ev_sync(void *ctx, uint64_t arg);

/* requeueStuckDeployment: look again 1 s after the deadline would pass. */
static void arm_deadline(struct world *w)
{
	struct deployment_state *d = &w->dep;
	sim_time_t at;

	engine_cancel(w->eng, d->deadline_timer);
	d->deadline_timer = ENGINE_HANDLE_NONE;
	if (d->progress == PROGRESS_NEW_RS_AVAILABLE ||
	    d->progress == PROGRESS_DEADLINE_EXCEEDED ||
	    d->progress == PROGRESS_NONE)
		return;
	at = sim_time_add(d->progress_update_ns,
			  sim_time_add(d->spec.progress_deadline_ns,
				       SIM_NS_PER_S));
	d->deadline_timer = engine_schedule(w->eng, at, ev_sync, w, 1);
}

/* §f syncRolloutStatus: the Progressing condition. */
static void update_progress(struct world *w, const struct dep_status *s)
{
	struct deployment_state *d = &w->dep;
	sim_time_t now = engine_now(w->eng);
	char obj[DEPLOYMENT_NAME_MAX + 16];

	if (d->progress == PROGRESS_NEW_RS_AVAILABLE &&
	    s->replicas == s->updated)
		return;
	if (status_complete(w, s)) {
		d->progress = PROGRESS_NEW_RS_AVAILABLE;
		d->progress_update_ns = now;
	} else if (status_progressing(w, s)) {
		d->progress = PROGRESS_RS_UPDATED;
		d->progress_update_ns = now;
	} else if (d->progress != PROGRESS_DEADLINE_EXCEEDED &&
		   d->progress != PROGRESS_NONE &&
		   d->progress_update_ns + d->spec.progress_deadline_ns < now) {
		d->progress = PROGRESS_DEADLINE_EXCEEDED;
		d->progress_update_ns = now;
		w->m.deadline_exceeded = 1;
		world_emit(w, "Warning", "ProgressDeadlineExceeded",
			   dep_object(w, obj, sizeof(obj)),
			   "ReplicaSet \"%s\" has timed out progressing.",
			   d->new_rs >= 0 ? w->rs[d->new_rs].name : "");
	}
}

static void deploy_sync(struct world *w)
{
	struct dep_status s;
	int steps = 0;

	while (steps++ < DEPLOY_MAX_STEPS && !w->error) {
		int changed = w->dep.spec.strategy == STRATEGY_RECREATE
				      ? recreate_once(w)
				      : rolling_once(w);
		if (!changed)
			break;
	}
	if (steps >= DEPLOY_MAX_STEPS)
		world_fail(w, RS_EINTERNAL);
	compute_status(w, &s);
	update_progress(w, &s);
	w->dep.available_cond = s.available >= w->dep.spec.replicas -
						       dep_unavailable(w);
	w->dep.st_replicas = s.replicas;
	w->dep.st_updated = s.updated;
	w->dep.st_ready = s.ready;
	w->dep.st_available = s.available;
	arm_deadline(w);
	if (w->rollout_active && status_complete(w, &s))
		world_rollout_completed(w);
}

static void ev_sync(void *ctx, uint64_t arg)
{
	struct world *w = ctx;

	if (arg == 0)
		w->dep.sync_timer = ENGINE_HANDLE_NONE;
	else
		w->dep.deadline_timer = ENGINE_HANDLE_NONE;
	deploy_sync(w);
}

void deploy_request_sync(struct world *w)
{
	if (w->dep.sync_timer != ENGINE_HANDLE_NONE)
		return;
	w->dep.sync_timer = engine_after(w->eng, 0, ev_sync, w, 0);
}

void deploy_init(struct world *w)
{
	memset(&w->dep, 0, sizeof(w->dep));
	w->dep.spec = w->cfg->deployment;
	w->dep.new_rs = -1;
	deploy_request_sync(w);
}

void deploy_set_image(struct world *w, int image)
{
	int32_t nr;

	if (image == w->dep.spec.image)
		return;                 /* same template: nothing to roll out */
	w->dep.spec.image = image;
	nr = find_new_rs(w);
	/* a template change starts a rollout unless it already is complete */
	if (nr < 0 || w->rs[nr].active != w->dep.spec.replicas ||
	    w->rs[nr].available != w->dep.spec.replicas ||
	    w->rs[nr].active != w->dep.st_replicas)
		world_rollout_started(w);
	deploy_request_sync(w);
}
