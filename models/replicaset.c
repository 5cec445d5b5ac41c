/* replicaset.c - the ReplicaSet controller (docs/kubernetes.md §4).
 *
 * manageReplicas: when a ReplicaSet has fewer active pods than
 * spec.replicas it creates the missing ones (at most burstReplicas = 500
 * per sync); when it has more, it deletes the surplus, choosing victims
 * with the ranking of rs_delete_order. API writes are instant here, so the
 * creation batches (1, 2, 4, ...) and expectations collapse into one step.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/alloc.h"
#include "sim/core/err.h"
#include "decide.h"
#include "names.h"
#include "replicaset.h"
#include "rs_index.h"
#include "world_impl.h"

#define RS_BURST_REPLICAS 500

int rs_log2_bucket(sim_time_t age_ns)
{
	/* floor(log2(age)): the index of the highest set bit */
	if (age_ns <= 0)
		return 0;
	return 63 - __builtin_clzll((unsigned long long)age_ns);
}

static int cmp_int(int64_t a, int64_t b)
{
	return (a > b) - (a < b);
}

/* Rules 6 and 8 (applied only when the two times differ): an absent time
 * first; else the more recent one (smaller log2 age bucket) first; in the
 * same bucket the smaller UID first. */
static int cmp_recent(sim_time_t ta, sim_time_t tb, uint64_t ua, uint64_t ub,
		      sim_time_t now)
{
	int ba, bb;

	if (ta == tb)
		return 0;
	if (ta < 0 || tb < 0)
		return ta < 0 ? -1 : 1;
	ba = rs_log2_bucket(now - ta);
	bb = rs_log2_bucket(now - tb);
	if (ba != bb)
		return cmp_int(ba, bb);
	if (ua != ub)
		return ua < ub ? -1 : 1;
	return 0;
}

int rs_delete_rule(const struct pod_rank_key *a, const struct pod_rank_key *b,
		   sim_time_t now_ns, int *order)
{
	int c;

	if (a->assigned != b->assigned) {        /* 1 unassigned first */
		*order = a->assigned ? 1 : -1;
		return 1;
	}
	if (a->phase != b->phase) {              /* 2 Pending<Unknown<Running */
		*order = cmp_int(a->phase, b->phase);
		return 2;
	}
	if (a->ready != b->ready) {              /* 3 not ready first */
		*order = a->ready ? 1 : -1;
		return 3;
	}
	if (a->deletion_cost != b->deletion_cost) { /* 4 lower cost first */
		*order = cmp_int(a->deletion_cost, b->deletion_cost);
		return 4;
	}
	if (a->rank != b->rank) {                /* 5 higher rank first */
		*order = cmp_int(b->rank, a->rank);
		return 5;
	}
	if (a->ready && b->ready) {              /* 6 ready more recently */
		c = cmp_recent(a->ready_since_ns, b->ready_since_ns, a->uid,
			       b->uid, now_ns);
		if (c) {
			*order = c;
			return 6;
		}
	}
	if (a->restarts != b->restarts) {        /* 7 more restarts first */
		*order = cmp_int(b->restarts, a->restarts);
		return 7;
	}
	/* 8 newer first: the more recent creation time */
	*order = cmp_recent(a->created_ns, b->created_ns, a->uid, b->uid,
			    now_ns);
	return *order ? 8 : 0;
}

int rs_delete_order(const struct pod_rank_key *a,
		    const struct pod_rank_key *b, sim_time_t now_ns)
{
	int order;

	rs_delete_rule(a, b, now_ns, &order);
	return order;
}

int32_t rs_create(struct world *w, int32_t tmpl, int32_t revision)
{
	struct replicaset *r;
	int32_t i;

	if (w->n_rs == w->cap_rs &&
	    bus_grow((void **)&w->rs, &w->cap_rs, sizeof(*w->rs)))
		return -1;
	i = w->n_rs++;
	r = &w->rs[i];
	memset(r, 0, sizeof(*r));
	template_rs_name(w, tmpl, r->name, sizeof(r->name));
	r->tmpl = tmpl;
	r->desired_annot = -1;
	r->max_annot = -1;
	r->revision = revision;
	r->min_ready_ns = w->dep.spec.min_ready_ns;
	r->created_ns = engine_now(w->eng);
	return i;
}

/* The deployment.kubernetes.io/revision annotation, rewritten by the
 * Deployment controller when an old template comes back (undo). */
void rs_set_revision(struct world *w, int32_t rs, int32_t revision)
{
	w->rs[rs].revision = revision;
	rs_observe(w, rs);
}

/* The side of a progressive rollout rs is on (struct prog_sides), ""
 * for none (always for a Deployment). */
static const char *rs_role(const struct world *w, int32_t rs)
{
	struct prog_sides s;

	if (!deploy_strategy_progressive(w->dep.spec.strategy))
		return "";
	prog_sides(w, &s);
	if (rs == s.canary_rs && s.canary_rs != s.stable_rs)
		return s.canary_role ? s.canary_role : "";
	if (rs == s.stable_rs)
		return s.stable_role ? s.stable_role : "";
	return "";
}

/* What kubectl get rs -w shows: the ReplicaSet after a change of its
 * spec, revision annotation or status counters (status.replicas counts
 * non-terminating pods, as the ReplicaSet controller's calculateStatus
 * does), or its deletion; for a progressive strategy also a change of
 * its role (prog_roles_changed). Nothing when no observer is set. */
void rs_observe(struct world *w, int32_t rs)
{
	struct replicaset *r = &w->rs[rs];
	int32_t now[5] = { r->spec, r->revision, r->active, r->ready,
			   r->available };
	const char *role;
	struct world_rs_view v;

	if (!w->obs.on_rs)
		return;
	role = rs_role(w, rs);
	v.role_only = r->shown && memcmp(now, r->shown_val, sizeof(now)) == 0
		      && !r->deleted;
	if (v.role_only && strcmp(role, r->shown_role) == 0)
		return;
	if (r->shown && r->deleted && r->shown_val[0] < 0)
		return;                 /* its deletion was shown */
	memcpy(r->shown_val, now, sizeof(now));
	if (r->deleted)
		r->shown_val[0] = -1;
	r->shown = 1;
	r->shown_role = role;
	v.name = r->name;
	v.revision = r->revision;
	v.image = w->tmpls[r->tmpl].image;
	v.desired = r->spec;
	v.current = r->active;
	v.ready = r->ready;
	v.available = r->available;
	v.created_ns = r->created_ns;
	v.deleted = r->deleted;
	v.template = r->tmpl;
	v.role = role;
	w->obs.on_rs(w->obs.ctx, engine_now(w->eng), &v);
}

/* The specs of all ReplicaSets if rs were scaled to replicas. */
static int64_t rs_total_after(const struct world *w, int32_t rs,
			      int32_t replicas)
{
	int64_t n = (int64_t)replicas - w->rs[rs].spec;
	int32_t i;

	for (i = 0; i < w->n_rs; i++)
		n += w->rs[i].spec;
	return n;
}

void rs_scale(struct world *w, int32_t rs, int32_t replicas,
	      int32_t desired_annot, int32_t max_annot)
{
	struct replicaset *r = &w->rs[rs];
	const struct deploy_config *d = &w->dep.spec;
	int32_t before = r->spec;
	char obj[DEPLOY_NAME_MAX + 24];

	if (replicas > before &&
	    rs_total_after(w, rs, replicas) > DEPLOY_PODS_MAX) {
		bus_fail(w, RSIM_EINPUT);   /* more pods than memory holds */
		return;
	}
	r->desired_annot = desired_annot;
	r->max_annot = max_annot;
	if (replicas == before) {
		rs_observe(w, rs);      /* a ReplicaSet born with 0 */
		return;
	}
	r->spec = replicas;
	rs_observe(w, rs);
	if (d->strategy == STRATEGY_CANARY ||
	    d->strategy == STRATEGY_BLUE_GREEN) {
		/* argo-rollouts utils/conditions ScalingReplicaSetMessage */
		snprintf(obj, sizeof(obj), "rollout/%s", d->name);
		bus_emit(w, "Normal", "ScalingReplicaSet", obj,
			 "Scaled %s ReplicaSet %s (revision %d) from %d to %d",
			 replicas > before ? "up" : "down", r->name,
			 (int)r->revision, before, replicas);
	} else {
		/* owner 1: Flagger's primary Deployment scales it */
		snprintf(obj, sizeof(obj), "deployment/%s%s", d->name,
			 r->owner ? "-primary" : "");
		/* sync.go scaleReplicaSet, worded "from M to N" since
		 * kubernetes PR #125118; a new ReplicaSet born with N > 0
		 * pods reads "Scaled up replica set X from 0 to N"
		 * (getNewReplicaSet) */
		bus_emit(w, "Normal", "ScalingReplicaSet", obj,
			 "Scaled %s replica set %s from %d to %d",
			 replicas > before ? "up" : "down", r->name, before,
			 replicas);
	}
	if (w->cfg->sync_delay.kind == DIST_CONSTANT &&
	    w->cfg->sync_delay.a_ns == 0)
		rs_manage(w, rs);       /* an instant controller */
	else
		rs_request_sync(w, rs);
}

/* getNewReplicaSet copies the Deployment's minReadySeconds onto the new
 * ReplicaSet (old ones keep theirs); the ReplicaSet controller counts a
 * pod available by IsPodAvailable(pod, rs.Spec.MinReadySeconds, now)
 * (replica_set_utils.go calculateStatus), so Ready pods are judged again:
 * lowering it can make them available at once, raising it unavailable
 * until their Ready age reaches the new value. */
void rs_set_min_ready(struct world *w, int32_t rs, sim_time_t min_ready_ns)
{
	int32_t i, changed = 0;

	if (w->rs[rs].min_ready_ns == min_ready_ns)
		return;
	w->rs[rs].min_ready_ns = min_ready_ns;
	for (i = 0; i < w->n_live; i++) {
		const struct pod *p = &w->pods[w->live[i]];

		if (p->rs == rs && p->ready && !p->terminating &&
		    p->phase != POD_GONE)
			changed |= pod_judge_available(w, w->live[i]);
	}
	if (changed) {
		rs_pod_changed(w, rs);
		bus_changed(w);
	}
}

void rs_pod_changed(struct world *w, int32_t rs)
{
	rs_observe(w, rs);
	w->rs_lis.status_changed(w->rs_lis.data, rs);
}

int rs_victim_cmp(const struct rs_victim *a, const struct rs_victim *b,
		  sim_time_t now)
{
	int c = rs_delete_order(&a->key, &b->key, now);

	if (c)
		return c;
	return (a->pod > b->pod) - (a->pod < b->pod);
}

void rs_rank_key(const struct world *w, int32_t pod, struct pod_rank_key *k)
{
	const struct pod *p = &w->pods[pod];

	k->assigned = p->scheduled;
	k->phase = p->phase == POD_PENDING ? 0 : 2;
	k->ready = p->ready;
	k->deletion_cost = p->deletion_cost;
	/* active pods of the Deployment on the same node (a pod without a
	 * cluster has a node of its own) */
	k->rank = p->node >= 0 && w->nodes ? w->nodes[p->node].active : 1;
	k->ready_since_ns = p->ready ? p->ready_since_ns : -1;
	k->restarts = p->restarts;
	k->created_ns = p->created_ns;
	k->uid = p->uid;
}

/* Repeated extract-min: one pass keeping the smaller of the best so far
 * and the next candidate. Where the comparator has a minimum this pass
 * finds it (the minimum beats whatever is kept when it is reached, and
 * nothing beats it afterwards). */
void rs_rank_victims(struct rs_victim *v, int32_t k, int32_t m,
		     sim_time_t now_ns)
{
	int32_t from, i, best;
	struct rs_victim t;

	for (from = 0; from < m && from < k; from++) {
		best = from;
		for (i = from + 1; i < k; i++)
			if (rs_victim_cmp(&v[i], &v[best], now_ns) < 0)
				best = i;
		t = v[from];
		v[from] = v[best];
		v[best] = t;
	}
}

/* The first m pods of rs's ranking into v[] (capacity m); how many, or
 * -1 when out of memory. With a cluster, rule 5 (pods on the same node)
 * sets pods of one ReplicaSet apart, so they are all ranked, O(k) per
 * victim (rs_rank_victims); without, the index answers (rs_index.h). */
static int32_t rs_first_victims(struct world *w, int32_t rs, int32_t m,
				sim_time_t now, struct rs_victim *v)
{
	struct rs_victim *all;
	int32_t i, k = 0;

	if (!w->nodes)
		return rs_index_first(w, rs, m, now, v);
	all = rsim_malloc((size_t)w->rs[rs].active * sizeof(*all));
	if (!all)
		return -1;
	for (i = 0; i < w->n_live; i++) {
		const struct pod *p = &w->pods[w->live[i]];

		if (p->rs != rs || p->terminating || p->phase == POD_GONE)
			continue;
		rs_rank_key(w, w->live[i], &all[k].key);
		all[k].pod = w->live[i];
		k++;
	}
	rs_rank_victims(all, k, m, now);
	if (k > m)
		k = m;
	memcpy(v, all, (size_t)k * sizeof(*v));
	free(all);
	return k;
}

/* getPodsToDelete: the n first pods by the ranking, and the one after
 * them (for the explain output). */
static void rs_delete_surplus(struct world *w, int32_t rs, int32_t n)
{
	struct rs_victim *v = rsim_malloc((size_t)(n + 1) * sizeof(*v));
	int32_t i, k;
	sim_time_t now = engine_now(w->eng);
	char obj[RS_NAME_MAX + 16];

	k = v ? rs_first_victims(w, rs, n + 1, now, v) : -1;
	if (k < 0) {
		free(v);
		bus_fail(w, RSIM_ENOMEM);
		return;
	}
	snprintf(obj, sizeof(obj), "replicaset/%s", w->rs[rs].name);
	for (i = 0; i < n && i < k; i++) {
		if (decide_on(w))
			explain_victim(w, rs, &v[i].key, w->pods[v[i].pod].name,
				       n < k ? &v[n].key : NULL,
				       n < k ? w->pods[v[n].pod].name : "",
				       i == 0 ? n : 0);
		bus_emit(w, "Normal", "SuccessfulDelete", obj,
			 "Deleted pod: %s", w->pods[v[i].pod].name);
		pod_delete(w, v[i].pod);
	}
	free(v);
}

void rs_manage(struct world *w, int32_t rs)
{
	int32_t diff = w->rs[rs].active - w->rs[rs].spec;
	int32_t n, i;

	if (diff < 0) {
		n = -diff < RS_BURST_REPLICAS ? -diff : RS_BURST_REPLICAS;
		if (decide_on(w))
			explain_rs_create(w, rs, n);
		for (i = 0; i < n; i++)
			if (pod_create(w, rs) < 0) {
				bus_fail(w, RSIM_ENOMEM);
				return;
			}
	} else if (diff > 0) {
		n = diff < RS_BURST_REPLICAS ? diff : RS_BURST_REPLICAS;
		rs_delete_surplus(w, rs, n);
	}
	rs_observe(w, rs);
	if (w->rs[rs].active != w->rs[rs].spec)
		rs_request_sync(w, rs);
}

static void ev_rs_sync(void *ctx, uint64_t arg)
{
	struct world *w = ctx;

	w->rs[arg].sync_timer = ENGINE_HANDLE_NONE;
	rs_manage(w, (int32_t)arg);
}

/* The ReplicaSet controller reacts after controllers.syncDelay; requests
 * made while one is pending merge into it. Also used when more than
 * burstReplicas pods remain: they follow in the next sync, once the
 * expectations of this one are met (at once with instant API writes). */
void rs_request_sync(struct world *w, int32_t rs)
{
	struct replicaset *r = &w->rs[rs];

	if (r->sync_timer != ENGINE_HANDLE_NONE)
		return;
	r->sync_timer = engine_after(w->eng, bus_sync_delay(w), ev_rs_sync, w,
				     (uint64_t)rs);
}
