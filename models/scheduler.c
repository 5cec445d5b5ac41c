/* scheduler.c - binding pods to nodes, image caches.
 *
 * A new pod is bound after the scheduling latency to the node
 * cluster_pick() chooses; when none fits it stays Pending
 * (FailedScheduling) in a FIFO that is retried whenever room frees up (a
 * pod gone, a node uncordoned). Without a cluster every pod gets a node of
 * its own. A node cordoned by drainNode (actions.c) takes no new pod. A
 * PDB limits evictions, not the rollout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/alloc.h"
#include "sim/core/err.h"
#include "world_impl.h"

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

	if (node >= 0) {
		pod_requests_of(w, p, &r);
		w->nodes[node].cpu_used += r.cpu_milli;
		w->nodes[node].mem_used += r.memory_bytes;
		w->nodes[node].pods++;
		w->nodes[node].active++;
	}
	pod_bound(w, pod, node);
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
	if (!p->unschedulable) {       /* PodScheduled False Unschedulable */
		p->unschedulable = 1;
		pod_view(w, pod, "unschedulable");
	}
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
