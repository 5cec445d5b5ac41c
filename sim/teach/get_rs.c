/* get_rs.c - kubectl get rs and get deployment at a time (not built yet). */
#include "teach_impl.h"

int get_rs(const struct teach_args *a, const struct world_config *cfg, sim_time_t at_ns, FILE *out, struct rsim_error *err)
{
	(void)a;
	(void)cfg;
	(void)out;
	(void)at_ns;
	return rsim_error_set(err, RSIM_EINPUT, "", "", "not built yet");
}

int get_deployment(const struct teach_args *a, const struct world_config *cfg, sim_time_t at_ns, FILE *out, struct rsim_error *err)
{
	(void)a;
	(void)cfg;
	(void)out;
	(void)at_ns;
	return rsim_error_set(err, RSIM_EINPUT, "", "", "not built yet");
}

