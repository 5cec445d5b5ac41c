/* flagger_primary.c - the two Deployments under Flagger.
 *
 * The scenario's Deployment is Flagger's target, the canary Deployment
 * ("NAME": ReplicaSets with owner 0, routing group 1); Flagger keeps a
 * copy of it, "NAME-primary" (owner 1, group 0), at full size
 * (pkg/canary/deployment_controller.go createPrimaryDeployment). Each is
 * rolled by the Deployment controller's own arithmetic
 * (deployment_step.c deploy_rolling_step): the target with the scenario's
 * rollingUpdate towards the replicas Flagger writes (ScaleToZero,
 * ScaleFromZero), the primary with flagger.rollingUpdate towards its
 * template (Promote copies the target's template to it). Flagger's
 * readiness test of either is pkg/canary/deployment_ready.go
 * isDeploymentReady.
 */
#include <stdio.h>
#include <string.h>

#include "sim/core/err.h"
#include "deployment.h"
#include "flagger_impl.h"
#include "names.h"
#include "world_impl.h"

#define FLAGGER_OLD_MAX 32     /* old ReplicaSets of one rolling step */

static int32_t rs_of(const struct world *w, int owner, int32_t tmpl)
{
	int32_t i;

	for (i = 0; i < w->n_rs; i++)
		if (!w->rs[i].deleted && w->rs[i].owner == owner &&
		    w->rs[i].tmpl == tmpl)
			return i;
	return -1;
}

int32_t flagger_primary_rs(const struct world *w)
{
	return rs_of(w, 1, w->prog.flagger.primary_tmpl);
}

int32_t flagger_target_pods(const struct world *w)
{
	int32_t i, n = 0;

	for (i = 0; i < w->n_rs; i++)
		if (!w->rs[i].owner)
			n += w->rs[i].active;
	return n;
}

int32_t flagger_target_replicas(const struct world *w)
{
	return w->prog.flagger.target_replicas;
}

/* NAME-primary's ReplicaSet of tmpl, born with 0 replicas: its own
 * revision sequence, named NAME-primary-<pod-template-hash>. */
static int32_t primary_create(struct world *w, int32_t tmpl)
{
	int32_t i, rev = 0, rs;
	char hash[16];

	for (i = 0; i < w->n_rs; i++)
		if (w->rs[i].owner && w->rs[i].revision > rev)
			rev = w->rs[i].revision;
	rs = rs_create(w, tmpl, rev + 1);
	if (rs < 0) {
		bus_fail(w, RSIM_ENOMEM);
		return -1;
	}
	names_hash_string(w->tmpls[tmpl].hash, hash);
	snprintf(w->rs[rs].name, sizeof(w->rs[rs].name), "%.55s-primary-%s",
		 w->dep.spec.name, hash);
	w->rs[rs].owner = 1;
	w->rs[rs].group = 0;
	return rs;
}

static void scale(struct world *w, int32_t rs, int32_t n, int32_t replicas,
		  int32_t surge)
{
	if (w->rs[rs].owner)
		rs_scale(w, rs, n, replicas, deploy_max_total(replicas, surge));
	else
		deploy_scale_rs(w, rs, n);
}

/* One rolloutRolling step of Deployment `owner` towards `replicas` pods
 * of its ReplicaSet nr, as deployment.c rolling_once does for a
 * Deployment (the old ReplicaSets oldest first); 1 when one was scaled. */
static int roll(struct world *w, int owner, int32_t nr, int32_t replicas,
		struct intstr ms, struct intstr mu)
{
	struct rs_counts newc, old[FLAGGER_OLD_MAX];
	int32_t idx[FLAGGER_OLD_MAX], i, n = 0;
	int32_t surge = deploy_max_surge(STRATEGY_ROLLING_UPDATE, replicas, ms,
					 mu);
	int32_t unav = deploy_max_unavailable(STRATEGY_ROLLING_UPDATE,
					      replicas, ms, mu);
	struct rolling_result r;

	for (i = 0; i < w->n_rs && n < FLAGGER_OLD_MAX; i++) {
		const struct replicaset *x = &w->rs[i];

		if (i == nr || x->deleted || x->owner != owner ||
		    (x->spec == 0 && x->available == 0))
			continue;
		old[n].spec = x->spec;
		old[n].avail = x->available;
		idx[n++] = i;
	}
	newc.spec = w->rs[nr].spec;
	newc.avail = w->rs[nr].available;
	r = deploy_rolling_step(replicas, surge, unav, &newc, old, (size_t)n);
	if (newc.spec != w->rs[nr].spec)
		scale(w, nr, newc.spec, replicas, surge);
	for (i = 0; i < n; i++)
		if (old[i].cleaned > 0)
			scale(w, idx[i], w->rs[idx[i]].spec - old[i].cleaned,
			      replicas, surge);
	for (i = 0; i < n; i++)
		if (old[i].spec != w->rs[idx[i]].spec)
			scale(w, idx[i], old[i].spec, replicas, surge);
	return r.action != ROLLING_NONE;
}

static int primary_reconcile(struct world *w)
{
	const struct flagger_config *c = &w->dep.spec.prog.flagger;
	struct flagger_state *fs = &w->prog.flagger;
	int32_t nr = flagger_primary_rs(w);
	int created = 0;

	if (nr < 0) {
		nr = primary_create(w, fs->primary_tmpl);
		if (nr < 0)
			return 0;
		created = 1;
	}
	return roll(w, 1, nr, fs->primary_replicas, c->primary_max_surge,
		    c->primary_max_unavailable) || created;
}

/* The target Deployment's sync: its ReplicaSet of the current template
 * (created with 0 replicas when missing, as getNewReplicaSet does for a
 * Deployment scaled to 0), then a rolling step towards the replicas
 * Flagger wrote. */
static int target_reconcile(struct world *w)
{
	const struct deploy_config *d = &w->dep.spec;
	int32_t nr = deploy_sync_new_rs(w);

	if (nr < 0) {
		if (!deploy_create_new_rs(w, 0))
			return 0;
		w->rs[w->dep.new_rs].group = 1;
		return 1;
	}
	return roll(w, 0, nr, w->prog.flagger.target_replicas, d->max_surge,
		    d->max_unavailable);
}

int flagger_reconcile(struct world *w)
{
	int changed = primary_reconcile(w);

	return target_reconcile(w) || changed;
}

int flagger_deploy_ready(const struct world *w, int owner, int32_t tmpl,
			 int32_t replicas, char *msg, size_t n)
{
	int32_t i, updated = 0, total = 0, avail = 0;

	for (i = 0; i < w->n_rs; i++) {
		const struct replicaset *x = &w->rs[i];

		if (x->deleted || x->owner != owner)
			continue;
		total += x->active;
		avail += x->available;
		if (x->tmpl == tmpl)
			updated += x->active;
	}
	if (updated < replicas)
		snprintf(msg, n, "waiting for rollout to finish: %d out of %d "
			 "new replicas have been updated", updated, replicas);
	else if (total > updated)
		snprintf(msg, n, "waiting for rollout to finish: %d old "
			 "replicas are pending termination", total - updated);
	else if (avail < updated)        /* readyThreshold 100 % */
		snprintf(msg, n, "waiting for rollout to finish: %d of %d "
			 "(readyThreshold 100%%) updated replicas are "
			 "available", avail, updated);
	else
		return 1;
	return 0;
}

void flagger_sides(const struct world *w, struct prog_sides *s)
{
	int32_t c = w->dep.new_rs;

	s->stable_role = "primary";
	s->canary_role = "canary";
	s->stable_rs = flagger_primary_rs(w);
	s->canary_rs = c >= 0 && !w->rs[c].owner &&
			       (w->rs[c].spec > 0 || w->rs[c].active > 0)
			       ? c
			       : -1;
	s->weight = w->prog.flagger.weight;
}
