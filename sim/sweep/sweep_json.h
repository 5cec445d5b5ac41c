/* sweep_json.h - sweep.json: the plan of a sweep (scenario, seed,
 * replications, vary, variants, points, baseline), which shard wrote it,
 * how many runs are done; written with the other files, parsed back for
 * --resume, merge and plots. */
#ifndef RSIM_SWEEP_JSON_H
#define RSIM_SWEEP_JSON_H

#include "sweep.h"

#define SWEEP_JSON_FILE "sweep.json"

/* Keys of sweep.json and of its plan object. */
#define SWEEP_JSON_PLAN "plan"
#define SWEEP_PLAN_SCENARIO "scenario"
#define SWEEP_PLAN_REPLICATIONS "replications"
#define SWEEP_PLAN_VARY "vary"             /* path -> list of values */
#define SWEEP_PLAN_VARIANTS "variants"     /* names */
#define SWEEP_PLAN_POINTS "points"
#define SWEEP_PLAN_BASELINE "baseline"
#define SWEEP_POINT_VARIANT "variant"      /* a name, or absent */
#define SWEEP_POINT_VALID "valid"
#define SWEEP_POINT_VALUES "values"        /* path -> value */

/* The plan object of sweep.json for a plan being built: lists[i] is
 * the list of values of vary path i, sets the --set overrides. NULL:
 * out of memory. */
cJSON *sweep_json_plan(const struct sweep_plan *p, const cJSON *const *lists,
		       const char *const *sets, int n_sets);

/* sweep.json's text, ending with a newline (NULL: out of memory). */
char *sweep_json_text(const struct sweep_plan *p, int32_t done,
		      int shard_k, int shard_n, int complete);

/* The plan of dir's sweep.json (caller frees), or NULL with err filled. */
cJSON *sweep_read_plan(const char *dir, struct rsim_error *err);

/* The same from the text of a sweep.json; path is only used in messages. */
cJSON *sweep_parse_plan(const char *text, const char *path,
			struct rsim_error *err);

/* 0 when dir's sweep.json holds plan_json, else RSIM_EINPUT (another
 * plan) or the error of reading it. */
int sweep_json_check_plan(const char *dir, const cJSON *plan_json,
			  struct rsim_error *err);

/* The counts of a plan (of dir's sweep.json) within the limits sweep
 * plans have: replications, points, runs, baseline. 0 or RSIM_EINPUT. */
int sweep_json_check_counts(const cJSON *plan, const char *dir,
			    struct rsim_error *err);

/* The plan a sweep.json describes, for merge (no configs: nothing to
 * run). Returns 0, or -1 when the plan is malformed or out of memory;
 * release p with sweep_plan_release either way. */
int sweep_plan_from_json(const cJSON *plan, struct sweep_plan *p);

#endif
