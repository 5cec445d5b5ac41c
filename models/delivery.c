/* delivery.c - what a release did to users and what it cost (struct
 * delivery_metrics in world.h: summary.json exposure, delivery, cost).
 *
 * The new version is every pod template other than the one the run
 * started with (prog.base_tmpl). A request counts for the version of the
 * pod its last try reached, when its final outcome is known. The
 * progressive controllers report their promotion, detection, rollback
 * and analysis measurements here; a Deployment's promotion is the first
 * completion of a rollout to a new template (world.c's rollout_completed
 * listener). Extra pod-seconds are integrated by world.c with the other
 * integrals (world_flush).
 */
#include "world_impl.h"

static struct delivery_metrics *dm(struct world *w)
{
	return &w->m.delivery;
}

int delivery_is_new(const struct world *w, const struct pod *p)
{
	return p->tmpl != w->prog.base_tmpl;
}

void delivery_promoted(struct world *w)
{
	if (dm(w)->promoted_ns < 0)
		dm(w)->promoted_ns = engine_now(w->eng);
}

void delivery_detected(struct world *w)
{
	if (dm(w)->detected_ns < 0)
		dm(w)->detected_ns = engine_now(w->eng);
	dm(w)->aborted = 1;
}

void delivery_rolled_back(struct world *w)
{
	if (dm(w)->rolled_back_ns < 0)
		dm(w)->rolled_back_ns = engine_now(w->eng);
	dm(w)->aborted = 1;
}

void delivery_measured(struct world *w, int failed)
{
	dm(w)->measurements++;
	if (failed)
		dm(w)->failed_measurements++;
}

/* A progressive controller says when it promotes (its completion also
 * covers an abort that scaled the stable side back); a Deployment has
 * promoted when a rollout to a new template completes. */
void delivery_rollout_completed(struct world *w)
{
	if (deploy_strategy_progressive(w->dep.spec.strategy) ||
	    w->dep.tmpl == w->prog.base_tmpl)
		return;
	delivery_promoted(w);
}

void delivery_requests_add(struct world *w, int32_t tmpl,
			   enum req_outcome o, uint64_t k)
{
	struct delivery_metrics *d = dm(w);

	if (tmpl < 0 || tmpl == w->prog.base_tmpl || k == 0)
		return;
	d->new_requests += k;
	d->new_outcome[o] += k;
	if (o != OUTCOME_OK)
		d->new_failed += k;
	if (d->promoted_ns < 0)
		d->new_requests_before_promotion += k;
}

void delivery_request_done(struct world *w, int32_t pod, enum req_outcome o)
{
	struct delivery_metrics *d = dm(w);

	if (pod < 0 || !delivery_is_new(w, &w->pods[pod]))
		return;
	d->new_requests++;
	d->new_outcome[o]++;
	if (o != OUTCOME_OK)
		d->new_failed++;
	if (d->promoted_ns < 0)
		d->new_requests_before_promotion++;
}
