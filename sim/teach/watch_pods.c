/* watch_pods.c - kubectl get pods -w (not built yet). */
#include "teach_impl.h"

int watch_pods(const struct teach_args *a, const struct world_config *cfg, FILE *out, struct rsim_error *err)
{
	(void)a;
	(void)cfg;
	(void)out;
	return rsim_error_set(err, RSIM_EINPUT, "", "", "not built yet");
}

