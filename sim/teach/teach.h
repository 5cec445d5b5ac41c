/* teach.h - the teaching commands: kubectl's views replayed from a run.
 *
 * Each command loads a scenario (with --set and --event), runs it once and
 * shows what a user of the simulated cluster would have seen: `watch`
 * (kubectl get pods -w, rollout status, get rs, the event stream, a
 * full-screen board), `get` and `describe` (a snapshot at a simulated
 * time), `history` (kubectl rollout history), `explain` (every decision
 * with its arithmetic) and `quiz` (predict, then check). One file per
 * command; they share the loading in teach_load.c.
 */
#ifndef RSIM_TEACH_H
#define RSIM_TEACH_H

#include <stdint.h>

#include "models/world.h"
#include "sim/core/err.h"

/* The command line of a teaching command (sim/main.c fills it). */
struct teach_args {
	const char *scenario;        /* SCENARIO.json */
	const char *kind;            /* get: "pods", "rs" or "deployment" */
	const char *const *sets;     /* --set PATH=VALUE */
	int n_sets;
	const char *const *events;   /* --event JSON, appended in order */
	int n_events;
	uint64_t seed;
	int seed_given;              /* --seed given */
	const char *view;            /* watch --view, NULL: the default */
	const char *speed;           /* watch --speed X, NULL: 1 */
	int plain;                   /* --plain */
	const char *at;              /* get/describe --at T (get needs it;
					describe: NULL is the end) */
	const char *answers;         /* quiz --answers FILE */
};

/* Loads a->scenario with its --set and --event into *cfg (and --seed).
 * Returns 0 or an RSIM_E* code with err filled. */
int teach_load(const struct teach_args *a, struct world_config *cfg,
	       struct rsim_error *err);

/* The commands. Each returns an exit status (0 ok, 1 the view's own
 * failure, as `kubectl rollout status` exits 1 past a progress deadline)
 * or a negative RSIM_E* code with err filled. */
int teach_watch(const struct teach_args *a, struct rsim_error *err);
int teach_get(const struct teach_args *a, struct rsim_error *err);
int teach_describe(const struct teach_args *a, struct rsim_error *err);
int teach_history(const struct teach_args *a, struct rsim_error *err);
int teach_explain(const struct teach_args *a, struct rsim_error *err);
int teach_quiz(const struct teach_args *a, struct rsim_error *err);

#endif
