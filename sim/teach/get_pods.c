/* get_pods.c - kubectl get pods at a time (not built yet). */
#include "teach_impl.h"

int get_pods(const struct teach_args *a, const struct world_config *cfg, sim_time_t at_ns, FILE *out, struct rsim_error *err)
{
	(void)a;
	(void)cfg;
	(void)out;
	(void)at_ns;
	return rsim_error_set(err, RSIM_EINPUT, "", "", "not built yet");
}

