/* scenario_apply.h - `rollsim apply CURRENT.yaml NEW.yaml`: the change
 * that `kubectl apply -f NEW.yaml` makes to a Deployment running as
 * CURRENT.yaml, as a scenario and one `apply` event.
 *
 * Both manifests are read as `"deployment": {"manifest": ...}` reads
 * them (scenario_manifest.c); the timings of their images come from an
 * optional images file (what `rollsim calibrate` writes). The scenario is
 * CURRENT's Deployment; the event is a patch holding every field whose
 * value NEW.yaml makes different, the whole template included, since
 * kubectl apply replaces what the manifest states and removes what it
 * no longer states (a field left out returns to its default: a removed
 * probe is no probe, a removed spec.replicas is 1). When the event
 * happens is decided by the caller (it must find CURRENT settled).
 */
#ifndef RSIM_SCENARIO_APPLY_H
#define RSIM_SCENARIO_APPLY_H

#include "models/world.h"
#include "sim/core/err.h"

#define APPLY_CHANGES_MAX 32     /* lines of the change list kept */
#define APPLY_CHANGE_LEN (2 * IMAGE_NAME_MAX + 160) /* bytes of one line,
						       NUL included */

struct apply_input {
	const char *current;          /* CURRENT.yaml: what runs */
	const char *next;             /* NEW.yaml: what is applied */
	const char *images;           /* IMAGES.json, or NULL */
	const char *const *sets;      /* --set PATH=VALUE over the scenario */
	int n_sets;
};

struct apply_plan {
	char name[DEPLOY_NAME_MAX];   /* the Deployment's metadata.name */
	int changed;                  /* NEW.yaml changes something */
	int rollout;                  /* ... the pod template: a rollout */
	int until_set;                /* the scenario's until was --set */
	int32_t replicas_from, replicas_to;
	/* what changed, one line per field, in manifest terms:
	 * "spec.replicas: 5 -> 8" */
	char changes[APPLY_CHANGES_MAX][APPLY_CHANGE_LEN];
	int n_changes;
	int more_changes;             /* lines that did not fit */
	char image_note[APPLY_CHANGE_LEN]; /* where NEW's image timings come
					      from when not described, "" */
	struct world_event event;     /* ACTION_APPLY, at_ns 0; its template
					 values are owned here */
};

/* Reads in into cfg (CURRENT's Deployment, the images, the --set
 * overrides) and plan. Errors name the file, the line of a manifest and
 * the path: a manifest without a Deployment, NEW.yaml naming another
 * Deployment or renaming the container, an images file that is not
 * {"images": {...}} or whose images are invalid. Returns 0, or
 * RSIM_EINPUT / RSIM_ENOMEM with err filled (cfg and plan then hold
 * nothing to release). */
int scenario_load_apply(const struct apply_input *in,
			struct world_config *cfg, struct apply_plan *plan,
			struct rsim_error *err);

/* Moves plan's event, at at_ns, into cfg's events (in time order, after
 * events at the same time). Returns 0 or RSIM_ENOMEM (plan keeps it). */
int apply_plan_schedule(struct apply_plan *plan, struct world_config *cfg,
			sim_time_t at_ns);

void apply_plan_release(struct apply_plan *plan);

#endif
