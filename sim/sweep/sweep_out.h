/* sweep_out.h - the files of a sweep: each has its owner, which writes
 * it and reads it back (sweep_json.h: sweep.json, sweep_runs.h:
 * runs.csv, sweep_summary.h: summary.csv); here they are written as one
 * set. */
#ifndef RSIM_SWEEP_OUT_H
#define RSIM_SWEEP_OUT_H

#include "sweep.h"
#include "sweep_json.h"
#include "sweep_runs.h"
#include "sweep_summary.h"

/* Writes runs.csv, summary.csv and sweep.json in dir, published together
 * (fileset.h: on failure dir keeps its previous three files). rows[run]
 * may be NULL (not run here). */
int sweep_write(const char *dir, const struct sweep_plan *p,
		const struct sweep_metrics *mx, char *const *rows,
		int shard_k, int shard_n, int complete, struct rsim_error *err);

#endif
