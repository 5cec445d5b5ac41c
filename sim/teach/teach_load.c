/* teach_load.c - loading and running a scenario for the teaching
 * commands (teach.h, teach_impl.h): loaded as `run` loads it, with its
 * --set and --event (a Kubernetes manifest wrapped into a scenario, its
 * note on stderr), by scenario_load_input. */
#include "teach_impl.h"

#include <stdio.h>

#include "sim/scenario/scenario.h"

int teach_load(const struct teach_args *a, struct world_config *cfg,
	       struct rsim_error *err)
{
	struct scenario_input in = { 0 };
	char note[600], e[1200];
	int rc;

	in.file = a->scenario;
	in.sets = a->sets;
	in.n_sets = a->n_sets;
	in.events = a->events;
	in.n_events = a->n_events;
	rc = scenario_load_input(&in, cfg, note, sizeof(note), err);
	if (rc)
		return rc;
	if (note[0])      /* a manifest: what was assumed, beside the view */
		fprintf(stderr, "rollsim: %s\n",
			rsim_escape(note, e, sizeof(e)));
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
