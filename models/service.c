/* service.c - endpoints and their propagation to each consumer.
 *
 * The EndpointSlice controller's view changes at once when a pod's
 * readiness or deletion changes; each consumer (kube-proxy, ingress)
 * applies the change after its own propagation delay. Changes reach a
 * consumer in the order they were made (a watch stream is ordered): a
 * delivery never overtakes an earlier one. A consumer's view is a dense
 * array of pod indices (uniform random choice in O(1)) with each pod's
 * position kept in the pod.
 */
#include <stdlib.h>

#include "sim/core/err.h"
#include "decide.h"
#include "world_impl.h"

static int pod_serves(const struct world *w, const struct pod *p)
{
	return p->ready && p->running && !p->terminating &&
	       route_selected(w, p);
}

static void view_add(struct world *w, enum lb_consumer c, int32_t pod)
{
	struct pod *p = &w->pods[pod];
	struct ep_view *v = &w->views[c][p->group];

	if (p->ep_pos[c] >= 0)
		return;
	if (v->n == v->cap &&
	    bus_grow((void **)&v->pods, &v->cap, sizeof(*v->pods))) {
		bus_fail(w, RSIM_ENOMEM);
		return;
	}
	p->ep_pos[c] = v->n;
	v->pods[v->n++] = pod;
}

static void view_remove(struct world *w, enum lb_consumer c, int32_t pod)
{
	struct pod *p = &w->pods[pod];
	struct ep_view *v = &w->views[c][p->group];
	int32_t at = p->ep_pos[c], last;

	if (at < 0)
		return;
	last = v->pods[--v->n];
	v->pods[at] = last;
	w->pods[last].ep_pos[c] = at;
	p->ep_pos[c] = -1;
}

/* arg: the pod, and consumer | add << 8 (engine_arg) */
static void ev_deliver(void *ctx, uint64_t arg)
{
	struct world *w = ctx;
	int32_t pod = (int32_t)engine_arg_lo(arg);
	enum lb_consumer c = (enum lb_consumer)(engine_arg_hi(arg) & 0xff);

	if (engine_arg_hi(arg) >> 8)
		view_add(w, c, pod);
	else
		view_remove(w, c, pod);
	traffic_view_changed(w, c);
	if (c == CONSUMER_KUBE_PROXY)
		bus_changed(w);
}

void service_pod_changed(struct world *w, int32_t pod)
{
	struct pod *p = &w->pods[pod];
	int in = pod_serves(w, p), c;
	sim_time_t now = engine_now(w->eng), learn[CONSUMER_COUNT];

	if (p->ep_in == (unsigned)in)
		return;
	p->ep_in = (unsigned)in;
	w->ep_ready += in ? 1 : -1;
	for (c = 0; c < CONSUMER_COUNT; c++) {
		sim_time_t at = sim_time_add(now, dist_sample(
			&w->cfg->network.propagation[c], w->rng_network));

		if (at < w->ep_last_delivery[c])
			at = w->ep_last_delivery[c];
		w->ep_last_delivery[c] = at;
		learn[c] = at;
		engine_schedule(w->eng, at, ev_deliver, w,
				engine_arg((uint32_t)pod,
					   (uint32_t)c | (uint32_t)in << 8));
	}
	if (decide_on(w))
		explain_endpoint(w, pod, in, learn);
}

void service_release(struct world *w)
{
	int c, g;

	for (c = 0; c < CONSUMER_COUNT; c++)
		for (g = 0; g < ROUTE_GROUPS; g++) {
			free(w->views[c][g].pods);
			w->views[c][g].pods = NULL;
			w->views[c][g].n = w->views[c][g].cap = 0;
		}
}
