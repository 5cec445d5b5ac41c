/* explain.c - `rollsim explain SCENARIO`: every decision of one run, in
 * order, with the simulated time, who decided and why, arithmetic
 * included (the models narrate through the on_decision observer; see
 * models/decide.h). */
#include <stdio.h>

#include "models/decide.h"
#include "narrative.h"
#include "teach_impl.h"

int teach_explain(const struct teach_args *a, struct rsim_error *err)
{
	struct world_config cfg;
	struct narrative n;
	struct world_observer obs;
	char bounds[512];
	int rc = teach_load(a, &cfg, err);

	if (rc)
		return rc;
	narr_init(&n);
	obs = narr_observe(&n);
	rc = teach_run(&cfg, &obs, a->scenario, NULL, NULL, err);
	if (!rc && n.failed)
		rc = rsim_error_set(err, RSIM_ENOMEM, a->scenario, "",
				    "out of memory");
	if (!rc) {
		decide_bounds_text(&cfg.deployment, DECIDE_COLON, bounds,
				   sizeof(bounds));
		printf("# %s (seed %llu): every decision, in simulated "
		       "seconds\n# deployment/%s, %d replicas: %s\n",
		       cfg.name, (unsigned long long)cfg.seed,
		       cfg.deployment.name, cfg.deployment.replicas, bounds);
		narr_print(&n, cfg.deployment.name, stdout);
	}
	narr_release(&n);
	world_config_release(&cfg);
	return rc;
}
