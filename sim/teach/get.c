/* get.c - `rollsim get pods|rs|deployment SCENARIO --at T`: a kubectl get
 * snapshot at simulated time T (teach.h); the kinds live in get_*.c. */
#include <string.h>

#include "teach_impl.h"

int teach_get(const struct teach_args *a, struct rsim_error *err)
{
	struct world_config cfg;
	sim_time_t at = 0;
	int (*fn)(const struct teach_args *, const struct world_config *,
		  sim_time_t, FILE *, struct rsim_error *) = NULL;
	int rc;

	if (a->kind && (strcmp(a->kind, "pods") == 0 ||
			strcmp(a->kind, "pod") == 0 ||
			strcmp(a->kind, "po") == 0))
		fn = get_pods;
	else if (a->kind && (strcmp(a->kind, "rs") == 0 ||
			     strcmp(a->kind, "replicasets") == 0 ||
			     strcmp(a->kind, "replicaset") == 0))
		fn = get_rs;
	else if (a->kind && (strcmp(a->kind, "deployment") == 0 ||
			     strcmp(a->kind, "deployments") == 0 ||
			     strcmp(a->kind, "deploy") == 0))
		fn = get_deployment;
	if (!fn)
		return rsim_error_set(err, RSIM_EINPUT, "", "",
				      "get: expected pods, rs or deployment, "
				      "got \"%s\"", a->kind ? a->kind : "");
	if ((rc = teach_parse_at(a, &at, err)) != 0)
		return rc;
	if ((rc = teach_load(a, &cfg, err)) != 0)
		return rc;
	rc = fn(a, &cfg, at, stdout, err);
	world_config_release(&cfg);
	return rc;
}
