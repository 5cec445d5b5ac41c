/* progressive.c - the progressive strategies' entry points: each call goes
 * to the controller of the strategy in force (canary.c, bluegreen.c,
 * flagger.c). With a Deployment strategy they do nothing.
 */
#include <string.h>

#include "sim/core/err.h"
#include "world_impl.h"

int prog_init(struct world *w)
{
	memset(&w->prog, 0, sizeof(w->prog));
	if (analysis_init(w))
		return RSIM_ENOMEM;
	w->prog.base_tmpl = w->dep.tmpl;
	route_init(w);
	switch (w->dep.spec.strategy) {
	case STRATEGY_CANARY:
		canary_init(w);
		break;
	case STRATEGY_BLUE_GREEN:
		bluegreen_init(w);
		break;
	case STRATEGY_FLAGGER:
		flagger_init(w);
		break;
	default:
		break;
	}
	w->prog.ready = 1;
	return 0;
}

void prog_release(struct world *w)
{
	analysis_release(w);
}

int prog_once(struct world *w)
{
	switch (w->dep.spec.strategy) {
	case STRATEGY_CANARY:
		return canary_once(w);
	case STRATEGY_BLUE_GREEN:
		return bluegreen_once(w);
	case STRATEGY_FLAGGER:
		return flagger_once(w);
	default:
		return 0;
	}
}

int prog_complete(const struct world *w)
{
	switch (w->dep.spec.strategy) {
	case STRATEGY_CANARY:
		return canary_complete(w);
	case STRATEGY_BLUE_GREEN:
		return bluegreen_complete(w);
	case STRATEGY_FLAGGER:
		return flagger_complete(w);
	default:
		return 0;
	}
}

void prog_promote(struct world *w, int full)
{
	switch (w->dep.spec.strategy) {
	case STRATEGY_CANARY:
		canary_promote(w, full);
		break;
	case STRATEGY_BLUE_GREEN:
		bluegreen_promote(w, full);
		break;
	case STRATEGY_FLAGGER:
		flagger_promote(w, full);
		break;
	default:
		break;
	}
}

void prog_abort(struct world *w)
{
	switch (w->dep.spec.strategy) {
	case STRATEGY_CANARY:
		canary_abort(w);
		break;
	case STRATEGY_BLUE_GREEN:
		bluegreen_abort(w);
		break;
	case STRATEGY_FLAGGER:
		flagger_abort(w);
		break;
	default:
		break;
	}
}

void prog_retry(struct world *w)
{
	switch (w->dep.spec.strategy) {
	case STRATEGY_CANARY:
		canary_retry(w);
		break;
	case STRATEGY_BLUE_GREEN:
		bluegreen_retry(w);
		break;
	case STRATEGY_FLAGGER:
		flagger_retry(w);
		break;
	default:
		break;
	}
}

void prog_sides(const struct world *w, struct prog_sides *s)
{
	s->stable_rs = s->canary_rs = -1;
	s->weight = 0;
	s->stable_role = "stable";
	s->canary_role = "canary";
	s->step = -1;
	s->n_steps = 0;
	s->phase = "";
	s->message = "";
	if (!w->prog.ready)
		return;
	switch (w->dep.spec.strategy) {
	case STRATEGY_CANARY:
		canary_sides(w, s);
		break;
	case STRATEGY_BLUE_GREEN:
		bluegreen_sides(w, s);
		break;
	case STRATEGY_FLAGGER:
		flagger_sides(w, s);
		break;
	default:
		break;
	}
}

void prog_counts(const struct world *w, struct world_counts *c)
{
	struct prog_sides s;

	prog_sides(w, &s);
	if (s.stable_rs >= 0) {
		c->stable_pods = w->rs[s.stable_rs].active;
		c->stable_revision = w->rs[s.stable_rs].revision;
	}
	if (s.canary_rs >= 0 && s.canary_rs != s.stable_rs) {
		c->canary_pods = w->rs[s.canary_rs].active;
		c->canary_revision = w->rs[s.canary_rs].revision;
	}
	c->canary_weight = s.weight;
}
