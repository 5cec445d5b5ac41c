/* apply.h - when `rollsim apply` applies NEW.yaml: once the Deployment
 * of CURRENT.yaml is settled.
 *
 * A cluster running CURRENT.yaml has all its pods Ready and in the
 * Service; the simulation starts from nothing (the Deployment is created
 * at 0 s), so the change must wait for that state. A first run of the
 * scenario without the change finds the first moment every replica is
 * available and in the endpoints, with no other pod left; the change is
 * made at the first whole 10 s at least 10 s later, and never before
 * 60 s. The run with the change is the same run up to that moment (the
 * same seed, the same random streams), so it is settled there too.
 */
#ifndef RSIM_APPLY_H
#define RSIM_APPLY_H

#include <stdio.h>

#include "models/world.h"
#include "sim/core/err.h"
#include "sim/scenario/scenario_apply.h"

#define APPLY_AT_MIN_NS (60 * SIM_NS_PER_S)       /* earliest change */
#define APPLY_SETTLE_CAP_NS (3600 * SIM_NS_PER_S)  /* pre-run length when
						      until is not set */
#define APPLY_AFTER_NS (15 * 60 * SIM_NS_PER_S)    /* run after the change
						      when until is not set */

/* Finds when cfg (without plan's event) is settled, schedules the event
 * then, sets until to the change + APPLY_AFTER_NS unless plan says it was
 * set, and tells on note what changed and when (kubectl apply's
 * "deployment.apps/NAME configured" or "unchanged", one line per changed
 * field, then one line on the kind of change). current names the file
 * in messages. Returns 0, or RSIM_EINPUT when the Deployment is not
 * settled within the pre-run, or another RSIM_E* with err filled. */
int apply_prepare(struct world_config *cfg, struct apply_plan *plan,
		  const char *current, FILE *note, struct rsim_error *err);

/* What `rollsim apply` runs: in loaded (scenario_load_apply), the seed
 * replaced by *seed when not NULL, then apply_prepare. Returns 0 and
 * cfg (release with world_config_release), or an RSIM_E* code with err
 * filled and nothing to release. */
int apply_load(const struct apply_input *in, const uint64_t *seed,
	       FILE *note, struct world_config *cfg, struct rsim_error *err);

#endif
