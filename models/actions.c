/* actions.c - what the scenario's user does: the events of its timeline.
 *
 * kubectl set image / apply / scale / rollout pause|resume|undo go to the
 * Deployment controller; kubectl delete pod and kubectl drain are done
 * here, through the API a user has: a pod deleted gracefully (its
 * ReplicaSet replaces it), a node cordoned and its pods evicted one at a
 * time. An eviction that would leave fewer healthy pods than the
 * PodDisruptionBudget allows is refused and retried every 5 s, as kubectl
 * drain does.
 */
#include <stdio.h>
#include <string.h>

#include "sim/core/rng.h"
#include "decide.h"
#include "world_impl.h"

#define DRAIN_RETRY_NS (5 * SIM_NS_PER_S)

/* The pod deletePod names: by name, or a random / the oldest active pod
 * of a revision. -1 when there is none. */
static int32_t pick_pod(struct world *w, const struct world_event *e)
{
	int32_t i, found = -1, n = 0;

	for (i = 0; i < w->n_live; i++) {
		const struct pod *p = &w->pods[w->live[i]];

		if (p->terminating || p->phase == POD_GONE)
			continue;
		if (e->pick == PICK_NAME) {
			if (strcmp(p->name, e->pod) == 0)
				return w->live[i];
			continue;
		}
		if (w->rs[p->rs].revision != e->revision)
			continue;
		if (e->pick == PICK_OLDEST) {
			if (found < 0 || p->created_ns <
					 w->pods[found].created_ns)
				found = w->live[i];
		} else if (rng_below(w->rng_user, (uint32_t)++n) == 0) {
			found = w->live[i];   /* reservoir sampling */
		}
	}
	return found;
}

/* kubectl delete pod: graceful deletion; the ReplicaSet replaces it. */
static void delete_pod(struct world *w, const struct world_event *e)
{
	int32_t p = pick_pod(w, e);
	char what[128];

	if (p < 0) {
		if (e->pick == PICK_NAME)
			snprintf(what, sizeof(what), "pods \"%s\" not found",
				 e->pod);
		else
			snprintf(what, sizeof(what),
				 "no running pod of revision "
				 "%d to delete", e->revision);
		char obj[POD_NAME_MAX + 16];

		if (e->pick == PICK_NAME)
			snprintf(obj, sizeof(obj), "pod/%s", e->pod);
		else
			snprintf(obj, sizeof(obj), "deployment/%s",
				 w->dep.spec.name);
		bus_emit(w, "Warning", "NotFound", obj, "%s", what);
		return;
	}
	pod_delete(w, p);
	rs_request_sync(w, w->pods[p].rs);
}

/* The PodDisruptionBudget's disruptionsAllowed > 0 (percentages of the
 * expected count round up, as the disruption controller scales them). */
static int pdb_allows(const struct world *w)
{
	const struct pdb_config *b = &w->dep.spec.pdb;
	int32_t expected = w->dep.spec.replicas, healthy = 0, desired, i;

	if (!b->enabled)
		return 1;
	for (i = 0; i < w->n_rs; i++)
		healthy += w->rs[i].ready;
	if (b->use_min_available)
		desired = intstr_scaled(b->min_available, expected, 1);
	else
		desired = expected -
			  intstr_scaled(b->max_unavailable, expected, 1);
	return healthy - desired > 0;
}

static int32_t next_on_node(const struct world *w, int32_t node)
{
	int32_t i;

	for (i = 0; i < w->n_live; i++) {
		const struct pod *p = &w->pods[w->live[i]];

		if (p->node == node && !p->terminating &&
		    p->phase != POD_GONE)
			return w->live[i];
	}
	return -1;
}

static void ev_drain(void *ctx, uint64_t arg)
{
	struct world *w = ctx;
	int32_t node = (int32_t)arg, pod = next_on_node(w, node);
	struct node_state *n = &w->nodes[node];
	struct pod *p;

	n->drain_timer = ENGINE_HANDLE_NONE;
	if (pod < 0) {
		n->draining = 0;
		char obj[NODE_NAME_MAX + 8];

		snprintf(obj, sizeof(obj), "node/%s",
			 w->cfg->cluster.nodes[node].name);
		bus_emit(w, "Normal", "Drained", obj, "%s drained", obj);
		return;
	}
	p = &w->pods[pod];
	if (!pdb_allows(w)) {
		pod_emit(w, p, "Warning", "EvictionRefused",
			 "Cannot evict pod as it would violate the pod's "
			 "disruption budget.");
		n->drain_timer = engine_after(w->eng, DRAIN_RETRY_NS, ev_drain,
					      w, arg);
		return;
	}
	pod_emit(w, p, "Normal", "Evicted", "Evicted by kubectl drain %s "
		 "(eviction API)", w->cfg->cluster.nodes[node].name);
	pod_delete(w, pod);
	rs_request_sync(w, w->pods[pod].rs);
	n->drain_timer = engine_after(w->eng, 0, ev_drain, w, arg);
}

static void drain(struct world *w, int32_t node)
{
	struct node_state *n;
	char obj[NODE_NAME_MAX + 8];

	if (node < 0 || !w->cfg->cluster.enabled ||
	    node >= w->cfg->cluster.n_nodes)
		return;
	n = &w->nodes[node];
	snprintf(obj, sizeof(obj), "node/%s", w->cfg->cluster.nodes[node].name);
	if (!n->cordoned)
		bus_emit(w, "Normal", "NodeNotSchedulable", obj,
			 "Node %s status is now: NodeNotSchedulable",
			 w->cfg->cluster.nodes[node].name);
	n->cordoned = 1;
	if (n->draining)
		return;
	n->draining = 1;
	n->drain_timer = engine_after(w->eng, 0, ev_drain, w, (uint64_t)node);
}
void action_run(struct world *w, const struct world_event *e)
{
	if (decide_on(w))
		explain_action(w, e);
	switch (e->action) {
	case ACTION_SET_IMAGE:
		deploy_set_template(w, e->image, NULL);
		break;
	case ACTION_APPLY:
		deploy_apply(w, &e->patch);
		break;
	case ACTION_SCALE:
		deploy_scale_to(w, e->replicas);
		break;
	case ACTION_PAUSE:
	case ACTION_RESUME:
		deploy_pause(w, e->action == ACTION_PAUSE);
		break;
	case ACTION_UNDO:
		deploy_undo(w, e->to_revision);
		break;
	case ACTION_DELETE_POD:
		delete_pod(w, e);
		break;
	case ACTION_DRAIN_NODE:
		drain(w, e->node);
		break;
	case ACTION_PROMOTE:
		prog_promote(w, e->full);
		break;
	case ACTION_ABORT:
		prog_abort(w);
		break;
	case ACTION_RETRY:
		prog_retry(w);
		break;
	}
}
