/* conf_world.h - the idealised world of the conformance tests that run
 * whole rollouts (test_rollouts.c, test_proportional.c).
 *
 * Images "app:1" and "app:2" with pull a constant D and startup, shutdown,
 * grace and preStop 0 and no probe, so a pod is Running, Ready and
 * Available exactly D after its creation and a deleted pod is gone at the
 * instant it is deleted; setImage to app:2 at CONF_TRIGGER_NS, more events
 * after it if a test adds them; until CONF_UNTIL_NS. Timings, not the
 * checks: each test file observes and checks the run its own way.
 */
#ifndef RSIM_TEST_CONF_WORLD_H
#define RSIM_TEST_CONF_WORLD_H

#include <stddef.h>
#include <stdint.h>

#include "models/deployment.h"
#include "models/intstr.h"
#include "models/world.h"
#include "sim/core/engine.h"

#define CONF_D_NS (10 * SIM_NS_PER_S)          /* D, the usual pull */
#define CONF_TRIGGER_NS (100 * SIM_NS_PER_S)   /* setImage app:2 */
#define CONF_UNTIL_NS (1000 * SIM_NS_PER_S)

struct conf_world {
	int32_t replicas;
	enum strategy_type strategy;
	struct intstr max_surge, max_unav;
	sim_time_t min_ready_ns;
	sim_time_t pull_ns;          /* D */
	int new_never_ready;         /* app:2 has a readiness probe that
					never passes */
	const struct world_event *extra;  /* events after the trigger, in */
	size_t n_extra;                   /* time order (copied) */
};

/* Initialises cfg (images and events malloc'ed, released by
 * world_config_release) to the world p describes; name is cfg->name. */
void conf_world_config(struct world_config *cfg, const char *name,
		       const struct conf_world *p);

#endif
