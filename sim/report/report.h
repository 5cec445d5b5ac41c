/* report.h - output writers: summary.json, timeline.csv, traffic.csv,
 * events.log, pods.csv.
 *
 * File names, keys and columns are a contract (README.md, Outputs). The five
 * files are written into a private staging directory inside the output
 * directory and published together only when the whole run succeeded
 * (fileset.h): a failed run leaves the directory as it was, including the
 * files of an earlier run, and report_abort removes what it staged (and
 * the directory if this run created it).
 */
#ifndef RSIM_REPORT_H
#define RSIM_REPORT_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "models/world.h"
#include "sim/core/err.h"

#define REPORT_TIMELINE_HEADER \
	"time_s,revision,old_pods,new_pods,old_ready,new_ready,available," \
	"terminating,pending,endpoints,desired_old,desired_new"

/* Appended to REPORT_TIMELINE_HEADER for the progressive strategies
 * (canary, blueGreen, Flagger) only: struct world_counts' sides. */
#define REPORT_TIMELINE_PROG_HEADER \
	"stable_pods,canary_pods,stable_revision,canary_revision," \
	"canary_weight"

#define REPORT_TRAFFIC_HEADER \
	"time_s,requests,ok,no_endpoint,refused,overload,timeout,reset," \
	"p50_ms,p99_ms,in_flight,endpoints"
/* The column appended to traffic.csv when some release of the run has an
 * errorRate above 0 (world_config_app_errors): runs without app errors
 * keep the twelve columns above. */
#define REPORT_TRAFFIC_APP_ERROR "app_error"

#define REPORT_PODS_HEADER \
	"time_s,pod,replicaset,revision,node,status,ready,restarts,change"

/* The files of a run directory. The CSV files begin with the time in
 * seconds (time_s): column REPORT_COL_TIME_S. */
#define REPORT_TIMELINE_FILE "timeline.csv"
#define REPORT_TRAFFIC_FILE "traffic.csv"
#define REPORT_EVENTS_FILE "events.log"
#define REPORT_SUMMARY_FILE "summary.json"
#define REPORT_PODS_FILE "pods.csv"
#define REPORT_COL_TIME_S 0

struct report;

/* Creates dir (and parents) when missing and opens the staged files for
 * a run of cfg (traffic.csv gains REPORT_TRAFFIC_APP_ERROR when a
 * release of cfg has an errorRate; timeline.csv gains
 * REPORT_TIMELINE_PROG_HEADER for a progressive strategy). Returns 0, RSIM_EIO or RSIM_ENOMEM
 * with err filled. */
int report_open(const char *dir, const struct world_config *cfg,
		struct report **out, struct rsim_error *err);

/* Fills obs so the world streams its events and counts into the files. */
void report_observer(struct report *r, struct world_observer *obs);

/* Writes summary.json and publishes the five files; frees r. Returns 0,
 * or RSIM_EIO/RSIM_ENOMEM: then the staged files are removed as by
 * report_abort and dir keeps what it held before. */
int report_finish(struct report *r, const cJSON *summary,
		  struct rsim_error *err);

/* Removes the staged files (and the directory if created here and
 * empty); frees r. */
void report_abort(struct report *r);

/* The summary object of a run (the keys README.md lists). Caller frees. NULL
 * when out of memory (never an object with keys missing). */
cJSON *report_summary(const struct world_config *cfg, uint32_t replication,
		      const struct world_metrics *m);

/* The summary.json object of the run directory dir (caller frees), read
 * as scenario files are (strict, size-limited). Returns 0, or
 * RSIM_EINPUT (unreadable, not JSON, not an object) or RSIM_ENOMEM with
 * err filled. */
int report_read_summary(const char *dir, cJSON **out, struct rsim_error *err);

/* Calls fn(ctx, ln, line) on each line of the run directory dir's CSV
 * file name (REPORT_TIMELINE_FILE or REPORT_TRAFFIC_FILE), the header as
 * line 0, each line with its newline. Returns 0, what fn returned when
 * not 0, or -1 with errno set when the file cannot be opened. */
int report_read_csv(const char *dir, const char *name,
		    int (*fn)(void *ctx, long ln, const char *line),
		    void *ctx);

/* Prints the short human summary. */
void report_print_human(FILE *f, const struct world_config *cfg,
			const struct world_metrics *m);

/* --fail-on-error judges the last rollout, as `kubectl rollout status`
 * after the last change would: "did not complete" or "exceeded its
 * progress deadline"; NULL when it passes (or there was no rollout). */
const char *report_rollout_failure(const struct world_metrics *m);

/* Formats seconds with up to 9 decimals and no trailing zeros. */
void report_format_seconds(char *buf, size_t n, double s);

#endif
