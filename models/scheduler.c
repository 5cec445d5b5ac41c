/* scheduler.c - binding pods to nodes, image caches, node drains.
 *
 * A new pod is bound after the scheduling latency to the node
 * cluster_pick() chooses; when none fits it stays Pending
 * (FailedScheduling) in a FIFO that is retried whenever room frees up (a
 * pod gone, a node uncordoned). Without a cluster every pod gets a node of
 * its own. drainNode cordons a node and evicts its pods one at a time
 * through the eviction API: an eviction that would leave fewer healthy
 * pods than the PodDisruptionBudget allows is refused and retried every
 * 5 s, as kubectl drain does. A PDB limits evictions, not the rollout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/alloc.h"
#include "sim/core/err.h"
#include "world_impl.h"

#define DRAIN_RETRY_NS (5 * SIM_NS_PER_S)

static int32_t n_nodes(const struct world *w)
{
	return w->cfg->cluster.enabled ? w->cfg->cluster.n_nodes : 0;
}

int scheduler_init(struct world *w)
{
	size_t n = (size_t)n_nodes(w), k = n * w->cfg->n_images;

	if (n == 0)
		return 0;
	w->nodes = rsim_calloc(n, sizeof(*w->nodes));
	w->node_image = rsim_calloc(k ? k : 1, sizeof(*w->node_image));
	w->node_pull_end = rsim_calloc(k ? k : 1, sizeof(*w->node_pull_end));
	return w->nodes && w->node_image && w->node_pull_end ? 0 : RSIM_ENOMEM;
}

void scheduler_release(struct world *w)
{
	free(w->nodes);
	free(w->node_image);
	free(w->node_pull_end);
	free(w->unsched);
	w->nodes = NULL;
	w->node_image = NULL;
	w->node_pull_end = NULL;
	w->unsched = NULL;
}

static void pod_requests_of(const struct world *w, const struct pod *p,
			    struct pod_requests *r)
{
	const struct image_config *s = pod_spec(w, p);

	r->cpu_milli = s->cpu_milli;
	r->memory_bytes = s->memory_bytes;
}

static void bind(struct world *w, int32_t pod, int32_t node)
{
	struct pod *p = &w->pods[pod];
	struct pod_requests r;

	p->node = node;
	if (node >= 0) {
		pod_requests_of(w, p, &r);
		w->nodes[node].cpu_used += r.cpu_milli;
		w->nodes[node].mem_used += r.memory_bytes;
		w->nodes[node].pods++;
		w->nodes[node].active++;
	}
	pod_bound(w, pod);
}

/* Tries to bind pod; returns 0 when it fits nowhere. */
static int try_bind(struct world *w, int32_t pod)
{
	struct pod_requests r;
	int32_t node;

	if (!w->cfg->cluster.enabled) {
		bind(w, pod, -1);
		return 1;
	}
	pod_requests_of(w, &w->pods[pod], &r);
	node = cluster_pick(w->cfg->cluster.nodes, w->nodes, n_nodes(w), &r);
	if (node < 0)
		return 0;
	bind(w, pod, node);
	return 1;
}

static void ev_schedule(void *ctx, uint64_t arg)
{
	struct world *w = ctx;
	int32_t pod = (int32_t)arg;
	struct pod *p = &w->pods[pod];
	struct pod_requests r;
	char why[256];

	p->life_timer = ENGINE_HANDLE_NONE;
	/* room has freed up and the waiting pods are about to be retried:
	 * the scheduling queue takes the older ones first */
	if (w->sched_retry != ENGINE_HANDLE_NONE)
		goto wait;
	if (try_bind(w, pod))
		return;
	pod_requests_of(w, p, &r);
	cluster_why_unschedulable(w->cfg->cluster.nodes, w->nodes,
				  n_nodes(w), &r, why, sizeof(why));
	pod_emit(w, p, "Warning", "FailedScheduling", "%s", why);
wait:
	if (w->n_unsched == w->cap_unsched &&
	    bus_grow((void **)&w->unsched, &w->cap_unsched,
		     sizeof(*w->unsched))) {
		bus_fail(w, RSIM_ENOMEM);
		return;
	}
	w->unsched[w->n_unsched++] = pod;
}

void scheduler_request(struct world *w, int32_t pod)
{
	sim_time_t d = dist_sample(&w->cfg->cluster.scheduling, w->rng_sched);

	w->pods[pod].life_timer = engine_after(w->eng, d, ev_schedule, w,
					       (uint64_t)pod);
}

/* Retries the waiting pods in FIFO order; those that still do not fit
 * keep their place. */
static void ev_retry(void *ctx, uint64_t arg)
{
	struct world *w = ctx;
	int32_t i, k = 0;

	(void)arg;
	w->sched_retry = ENGINE_HANDLE_NONE;
	for (i = 0; i < w->n_unsched; i++) {
		int32_t pod = w->unsched[i];

		if (w->pods[pod].terminating || w->pods[pod].phase == POD_GONE)
			continue;
		if (!try_bind(w, pod))
			w->unsched[k++] = pod;
	}
	w->n_unsched = k;
}

static void room_freed(struct world *w)
{
	if (w->n_unsched == 0 || w->sched_retry != ENGINE_HANDLE_NONE)
		return;
	w->sched_retry = engine_after(w->eng, 0, ev_retry, w, 0);
}

void scheduler_pod_terminating(struct world *w, int32_t pod)
{
	const struct pod *p = &w->pods[pod];

	if (p->node >= 0 && w->nodes)
		w->nodes[p->node].active--;
}

void scheduler_pod_gone(struct world *w, int32_t pod)
{
	const struct pod *p = &w->pods[pod];
	struct pod_requests r;
	struct node_state *n;

	if (p->node < 0 || !w->nodes)
		return;
	n = &w->nodes[p->node];
	pod_requests_of(w, p, &r);
	n->cpu_used -= r.cpu_milli;
	n->mem_used -= r.memory_bytes;
	n->pods--;
	room_freed(w);
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

		if (p->node == node && !p->terminating)
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

void cluster_drain(struct world *w, int32_t node)
{
	struct node_state *n;
	char obj[NODE_NAME_MAX + 8];

	if (node < 0 || node >= n_nodes(w))
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
