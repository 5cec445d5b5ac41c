/* route.c - which ready pods the users' requests are sent to.
 *
 * Three ways (prog_impl.h): every ready pod of the Service (a Deployment,
 * Argo's basic canary, where the canary's share is its share of the
 * ready endpoints); the pods of one template (Argo blueGreen's active
 * Service, whose selector carries rollouts-pod-template-hash: argo-rollouts
 * rollout/service.go reconcileActiveService); or a weighted split between
 * two groups of pods (Flagger's mesh routes, pkg/router: the primary's
 * pods and the canary's). A selector change reaches each consumer as any
 * endpoint change does, after its propagation delay (service.c).
 */
#include "sim/core/rng.h"
#include "world_impl.h"

void route_init(struct world *w)
{
	struct route_state *r = &w->prog.route;

	r->active_tmpl = -1;
	r->weight = 0;
	switch (w->cfg->deployment.strategy) {
	case STRATEGY_BLUE_GREEN:
		r->mode = ROUTE_SELECTOR;
		break;
	case STRATEGY_FLAGGER:
		r->mode = ROUTE_WEIGHTED;
		break;
	default:
		r->mode = ROUTE_ALL;
	}
}

int route_selected(const struct world *w, const struct pod *p)
{
	const struct route_state *r = &w->prog.route;

	return r->mode != ROUTE_SELECTOR || r->active_tmpl < 0 ||
	       p->tmpl == r->active_tmpl;
}

void route_set_active(struct world *w, int32_t tmpl)
{
	struct route_state *r = &w->prog.route;
	int32_t before = r->active_tmpl, i;

	if (before == tmpl)
		return;
	r->active_tmpl = tmpl;
	for (i = 0; i < w->n_live; i++) {
		int32_t pod = w->live[i];
		int32_t t = w->pods[pod].tmpl;

		if (w->pods[pod].phase == POD_GONE)
			continue;       /* a tombstone (pod.c) */
		if (before < 0 || t == before || t == tmpl)
			service_pod_changed(w, pod);
	}
}

void route_set_weight(struct world *w, int32_t weight)
{
	w->prog.route.weight = weight < 0 ? 0 : weight > 100 ? 100 : weight;
}

const struct ep_view *route_view(struct world *w, enum lb_consumer c,
				 gsl_rng *rng)
{
	const struct route_state *r = &w->prog.route;
	int g = 0;

	if (r->mode == ROUTE_WEIGHTED) {
		if (r->weight >= 100)
			g = 1;
		else if (r->weight > 0)
			g = rng_below(rng, 100) < (uint32_t)r->weight;
	}
	return &w->views[c][g];
}

int32_t route_endpoints(const struct world *w, enum lb_consumer c)
{
	int32_t n = 0;
	int g;

	for (g = 0; g < ROUTE_GROUPS; g++)
		n += w->views[c][g].n;
	return n;
}
