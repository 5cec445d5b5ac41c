/* apply.c - the moment `rollsim apply` makes its change (apply.h) and
 * the lines that say what the change is.
 */
#include "apply.h"

#include <string.h>

/* The pre-run's observer: the first time every replica is available. */
struct settle {
	int32_t replicas;
	sim_time_t at_ns;             /* -1 until settled */
};

static void settle_counts(void *ctx, sim_time_t t_ns,
			  const struct world_counts *c)
{
	struct settle *s = ctx;

	if (s->at_ns >= 0)
		return;
	if (c->available == s->replicas && c->new_pods == s->replicas &&
	    c->old_pods == 0 && c->terminating == 0 && c->pending == 0 &&
	    c->endpoints == s->replicas)
		s->at_ns = t_ns;
}

/* The first time cfg's Deployment is settled, run until cap_ns; -1 when
 * it is not by then. */
static int apply_settle(const struct world_config *cfg, sim_time_t cap_ns,
			sim_time_t *at_ns, struct rsim_error *err,
			const char *current)
{
	struct world_config tmp = *cfg;     /* shallow: borrowed by the run */
	struct world_observer obs;
	struct settle s;
	world *w;
	int rc;

	s.replicas = cfg->deployment.replicas;
	s.at_ns = s.replicas == 0 ? 0 : -1;
	*at_ns = s.at_ns;
	if (s.at_ns == 0)
		return 0;
	memset(&obs, 0, sizeof(obs));
	obs.ctx = &s;
	obs.on_counts = settle_counts;
	tmp.until_ns = cap_ns;
	rc = world_new(&tmp, 0, &obs, &w);
	if (rc)
		return rsim_error_set(err, rc, current, "", "out of memory");
	rc = world_run(w);
	world_free(w);
	if (rc)
		return rsim_error_set(err, rc, current, "",
				      "simulation failed: %s",
				      world_strerror(rc));
	*at_ns = s.at_ns;
	return 0;
}

/* The change's moment: the first whole 10 s at least 10 s after the
 * settled moment, APPLY_AT_MIN_NS at the earliest. */
static sim_time_t apply_moment(sim_time_t settled_ns)
{
	const sim_time_t step = 10 * SIM_NS_PER_S;
	sim_time_t t = (settled_ns + step + step - 1) / step * step;

	return t < APPLY_AT_MIN_NS ? APPLY_AT_MIN_NS : t;
}

static void apply_tell(FILE *f, const struct apply_plan *p,
		       const char *current, sim_time_t settled_ns,
		       sim_time_t at_ns)
{
	double at = (double)at_ns / SIM_NS_PER_S;
	double settled = (double)settled_ns / SIM_NS_PER_S;
	int i;

	fprintf(f, "deployment.apps/%s %s\n", p->name,
		p->changed ? "configured" : "unchanged");
	for (i = 0; i < p->n_changes; i++)
		fprintf(f, "  %s\n", p->changes[i]);
	if (p->more_changes)
		fprintf(f, "  (%d more)\n", p->more_changes);
	if (p->image_note[0])
		fprintf(f, "rollsim: %s\n", p->image_note);
	if (!p->changed)
		fprintf(f, "rollsim: nothing changes: the run shows %s "
			"settled (all %d pods available at %.1fs)\n",
			current, (int)p->replicas_from, settled);
	else if (p->rollout)
		fprintf(f, "rollsim: a rollout (the pod template changed), "
			"applied at %gs, once the %d pods of %s were all "
			"available (at %.1fs)\n", at, (int)p->replicas_from,
			current, settled);
	else if (p->replicas_from != p->replicas_to)
		fprintf(f, "rollsim: not a rollout (the pod template is "
			"unchanged): the Deployment scales from %d to %d "
			"replicas at %gs (%s settled at %.1fs)\n",
			(int)p->replicas_from, (int)p->replicas_to, at,
			current, settled);
	else
		fprintf(f, "rollsim: not a rollout (the pod template is "
			"unchanged): the spec changes at %gs and the pods "
			"stay; a strategy applies to the next rollout (%s "
			"settled at %.1fs)\n", at, current, settled);
}

int apply_prepare(struct world_config *cfg, struct apply_plan *plan,
		  const char *current, FILE *note, struct rsim_error *err)
{
	sim_time_t cap = plan->until_set ? cfg->until_ns : APPLY_SETTLE_CAP_NS;
	sim_time_t settled, at;
	int rc = apply_settle(cfg, cap, &settled, err, current);

	if (rc)
		return rc;
	if (settled < 0)
		return rsim_error_set(err, RSIM_EINPUT, current, "",
				      "the Deployment's %d pods were not all "
				      "available by %gs, so no rollout can "
				      "start from it settled (see its probes "
				      "and its image's timings, or give more "
				      "time with --set until=2h)",
				      (int)cfg->deployment.replicas,
				      (double)cap / SIM_NS_PER_S);
	at = apply_moment(settled);
	if (!plan->until_set)
		cfg->until_ns = at + APPLY_AFTER_NS;
	else if (at >= cfg->until_ns)
		return rsim_error_set(err, RSIM_EINPUT, current, "until",
				      "expected more than %gs: the change is "
				      "applied at %gs, once the Deployment is "
				      "settled", (double)at / SIM_NS_PER_S,
				      (double)at / SIM_NS_PER_S);
	if (plan->changed && apply_plan_schedule(plan, cfg, at))
		return rsim_error_set(err, RSIM_ENOMEM, current, "",
				      "out of memory");
	apply_tell(note, plan, current, settled, at);
	return 0;
}

int apply_load(const struct apply_input *in, const uint64_t *seed,
	       FILE *note, struct world_config *cfg, struct rsim_error *err)
{
	struct apply_plan plan;
	int rc = scenario_load_apply(in, cfg, &plan, err);

	if (rc)
		return rc;
	if (seed)
		cfg->seed = *seed;
	rc = apply_prepare(cfg, &plan, in->current, note, err);
	apply_plan_release(&plan);
	if (rc)
		world_config_release(cfg);
	return rc;
}
