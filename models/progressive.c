/* progressive.c - the progressive strategies' entry points: each call goes
 * to the controller of the strategy in force (canary.c, bluegreen.c,
 * flagger.c). With a Deployment strategy they do nothing.
 */
#include <string.h>

#include "sim/core/err.h"
#include "world_impl.h"

/* One controller's entry points. */
struct prog_ops {
	void (*init)(struct world *w);
	int (*once)(struct world *w);
	int (*complete)(const struct world *w);
	void (*promote)(struct world *w, int full);
	void (*abort)(struct world *w);
	void (*retry)(struct world *w);
	void (*sides)(const struct world *w, struct prog_sides *s);
};

static const struct prog_ops canary_ops = {
	canary_init, canary_once, canary_complete, canary_promote,
	canary_abort, canary_retry, canary_sides
};
static const struct prog_ops bluegreen_ops = {
	bluegreen_init, bluegreen_once, bluegreen_complete, bluegreen_promote,
	bluegreen_abort, bluegreen_retry, bluegreen_sides
};
static const struct prog_ops flagger_ops = {
	flagger_init, flagger_once, flagger_complete, flagger_promote,
	flagger_abort, flagger_retry, flagger_sides
};

/* The controller of the strategy in force, NULL for a Deployment's. */
static const struct prog_ops *ops_of(const struct world *w)
{
	switch (w->dep.spec.strategy) {
	case STRATEGY_CANARY:
		return &canary_ops;
	case STRATEGY_BLUE_GREEN:
		return &bluegreen_ops;
	case STRATEGY_FLAGGER:
		return &flagger_ops;
	default:
		return NULL;
	}
}

int prog_init(struct world *w)
{
	const struct prog_ops *ops = ops_of(w);

	memset(&w->prog, 0, sizeof(w->prog));
	if (analysis_init(w))
		return RSIM_ENOMEM;
	w->prog.base_tmpl = w->dep.tmpl;
	route_init(w);
	if (ops)
		ops->init(w);
	w->prog.ready = 1;
	return 0;
}

void prog_release(struct world *w)
{
	analysis_release(w);
}

int prog_once(struct world *w)
{
	const struct prog_ops *ops = ops_of(w);

	return ops ? ops->once(w) : 0;
}

int prog_complete(const struct world *w)
{
	const struct prog_ops *ops = ops_of(w);

	return ops ? ops->complete(w) : 0;
}

void prog_promote(struct world *w, int full)
{
	const struct prog_ops *ops = ops_of(w);

	if (ops)
		ops->promote(w, full);
}

void prog_abort(struct world *w)
{
	const struct prog_ops *ops = ops_of(w);

	if (ops)
		ops->abort(w);
}

void prog_retry(struct world *w)
{
	const struct prog_ops *ops = ops_of(w);

	if (ops)
		ops->retry(w);
}

void prog_sides(const struct world *w, struct prog_sides *s)
{
	const struct prog_ops *ops = ops_of(w);

	s->stable_rs = s->canary_rs = -1;
	s->weight = 0;
	s->stable_role = "stable";
	s->canary_role = "canary";
	s->step = -1;
	s->n_steps = 0;
	s->phase = "";
	s->message = "";
	if (w->prog.ready && ops)
		ops->sides(w, s);
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
