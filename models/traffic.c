/* traffic.c - request traffic (traffic.h). */
#include "world_impl.h"

void traffic_pod_changed(struct world *w, int32_t pod)
{
	(void)w;
	(void)pod;
}

void traffic_pod_killed(struct world *w, int32_t pod)
{
	(void)w;
	(void)pod;
}
