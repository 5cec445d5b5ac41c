/* run.h - one simulation run as `rollsim run` makes it.
 *
 * The world over a loaded config, its events and counts streamed into
 * the output files (report.h), then the summary. All or nothing: on
 * failure no file of this run is left in the directory and an earlier
 * run's files there are untouched (report.h's temporaries).
 */
#ifndef RSIM_RUN_H
#define RSIM_RUN_H

#include <cjson/cJSON.h>

#include "models/world.h"
#include "sim/core/err.h"

/* Runs cfg (replication 0). out_dir NULL: no files. Fills *m, *summary
 * (the summary.json object; caller frees with cJSON_Delete) and *wp, the
 * finished world that *m borrows from (caller frees it with world_free
 * after the last use of *m, before cfg). label (the scenario file) is
 * used in messages. Returns 0, or RSIM_EINPUT (the run would outgrow the
 * simulator's limits), RSIM_ENOMEM, RSIM_EIO or RSIM_EINTERNAL with err filled,
 * *summary and *wp NULL. */
int run_once(const struct world_config *cfg, const char *out_dir,
	     const char *label, struct world_metrics *m, cJSON **summary,
	     world **wp, struct rsim_error *err);

#endif
