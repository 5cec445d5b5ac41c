/* report.h - output writers: summary.json, timeline.csv, traffic.csv,
 * events.log.
 *
 * File names, keys and columns are the contract of DESIGN.md §5. Every
 * file is written under a temporary name in the output directory and
 * renamed into place only when the whole run succeeded, so a failed run
 * leaves nothing half-written (report_abort removes the temporaries and
 * the directory if this run created it).
 */
#ifndef RS_REPORT_H
#define RS_REPORT_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "../models/world.h"
#include "err.h"

#define REPORT_TIMELINE_HEADER \
	"time_s,revision,old_pods,new_pods,old_ready,new_ready,available," \
	"terminating,pending,endpoints,desired_old,desired_new"

#define REPORT_TRAFFIC_HEADER \
	"time_s,requests,ok,no_endpoint,refused,overload,timeout,reset," \
	"p50_ms,p99_ms,in_flight,endpoints"

struct report;

/* Creates dir (and parents) when missing and opens the temporaries.
 * Returns 0 or RS_EIO with err filled. */
int report_open(const char *dir, struct report **out, struct rs_error *err);

/* Fills obs so the world streams its events and counts into the files. */
void report_observer(struct report *r, struct world_observer *obs);

/* Writes summary.json and renames every file into place; frees r.
 * Returns 0, RS_ENOMEM (nothing renamed, as by report_abort) or RS_EIO
 * (then everything is removed as by report_abort). */
int report_finish(struct report *r, const cJSON *summary,
		  struct rs_error *err);

/* Removes the temporaries (and the directory if created here); frees r. */
void report_abort(struct report *r);

/* The summary object of a run (DESIGN.md §5 keys). Caller frees. NULL
 * when out of memory (never an object with keys missing). */
cJSON *report_summary(const struct world_config *cfg, uint32_t replication,
		      const struct world_metrics *m);

/* Prints the short human summary. */
void report_print_human(FILE *f, const struct world_config *cfg,
			const struct world_metrics *m);

/* mkdir -p dir; sets *created when its last component was made here.
 * Returns 0 or -1 (errno set). */
int report_make_dirs(const char *dir, int *created);

/* Formats seconds with up to 9 decimals and no trailing zeros. */
void report_format_seconds(char *buf, size_t n, double s);

#endif
