/* teach_load.c - loading and running a scenario for the teaching
 * commands (teach.h, teach_impl.h). */
#include "teach_impl.h"

#include "sim/scenario/scenario.h"

int teach_load(const struct teach_args *a, struct world_config *cfg,
	       struct rsim_error *err)
{
	int rc = scenario_load_with_sets(a->scenario, a->sets, a->n_sets, cfg,
					 err);

	if (rc)
		return rc;
	if (a->seed_given)
		cfg->seed = a->seed;
	return 0;
}

int teach_run(const struct world_config *cfg, const struct world_observer *obs,
	      const char *label,
	      void (*done)(void *ctx, const world *w), void *ctx,
	      struct rsim_error *err)
{
	world *w;
	int rc = world_new(cfg, 0, obs, &w);

	if (rc)
		return rsim_error_set(err, rc, label, "", "out of memory");
	rc = world_run(w);
	if (!rc && done)
		done(ctx, w);
	world_free(w);
	if (rc)
		return rsim_error_set(err, rc, label, "",
				      "simulation failed: %s",
				      world_strerror(rc));
	return 0;
}

int teach_parse_at(const struct teach_args *a, sim_time_t *at_ns,
		   struct rsim_error *err)
{
	if (!a->at || scenario_parse_duration(a->at, at_ns) || *at_ns < 0)
		return rsim_error_set(err, RSIM_EINPUT, "", "",
				      "--at: expected a time such as 62s or "
				      "1m2s, got \"%s\"", a->at ? a->at : "");
	return 0;
}
