/* pod.h - one pod's lifecycle as the kubelet runs it.
 *
 * created -> scheduled -> image pulled -> container started -> app up
 * (after `startup`) -> Ready (readiness probe) -> Available (Ready for
 * minReadySeconds without interruption) ... deletion -> Terminating
 * (preStop sleep, then SIGTERM and the app's shutdown, killed at the grace
 * period counted from the start of preStop) -> gone.
 *
 * The per-image settings a scenario gives live in struct image_config; the
 * runtime pod lives in the world's pod table (world.h) and is driven by the
 * functions of pod.c through engine events.
 */
#ifndef RS_POD_H
#define RS_POD_H

#include <stdint.h>

#include "../sim/dist.h"
#include "probe.h"

#define IMAGE_NAME_MAX 128

/* What a scenario says about one container image (one release). */
struct image_config {
	char name[IMAGE_NAME_MAX];   /* "flask-app:2.0" */
	struct dist pull;            /* image pull time */
	struct dist startup;         /* container start -> app able to serve */
	struct dist shutdown;        /* SIGTERM -> app exits */
	struct probe_config readiness; /* readinessProbe (enabled = 0: none) */
	sim_time_t grace_ns;         /* terminationGracePeriodSeconds */
	sim_time_t prestop_ns;       /* preStopSleep */
};

/* Defaults: pull 0 s, startup 0 s, shutdown 0 s, no readiness probe,
 * grace 30 s, preStop 0 s. */
void image_config_defaults(struct image_config *c, const char *name);
void image_config_release(struct image_config *c);

/* Pod phases as the API reports them. */
enum pod_phase {
	POD_PENDING = 0,  /* not yet running: unscheduled, pulling, creating */
	POD_UNKNOWN,      /* node lost (not produced yet) */
	POD_RUNNING,      /* container started */
	POD_GONE          /* object deleted (terminated) */
};

#endif
