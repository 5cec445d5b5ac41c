/* sweep.h - batch experiments: sweep plans, parallel runs, shards, merge.
 *
 * A plan expands a scenario's `sweep` section: `variants` (named partial
 * scenarios merged over the base) times the Cartesian product of `vary`
 * (JSON path -> list of values), each point run `replications` times.
 * Point p, replication r is run number p * replications + r; replication
 * r uses the random streams of (seed, r, name) at every point, so points
 * are compared on the same pod timings and request arrivals (common
 * random numbers). A point the loader rejects (e.g. maxSurge and
 * maxUnavailable both 0) is listed in sweep.json and skipped.
 *
 * Results (DIR): runs.csv (one row per run, run order), summary.csv (per
 * point and metric: n, mean, sd, 95 % t half-width, min, max, and the
 * paired difference against the baseline point), sweep.json (the plan).
 * Every number in summary.csv is computed from the text of runs.csv, so
 * one thread, N threads, N shards merged and resumed sweeps all give the
 * same bytes.
 */
#ifndef RSIM_SWEEP_H
#define RSIM_SWEEP_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "models/world.h"
#include "sim/core/err.h"

/* The largest plan: points (variants x combinations of vary values) are
 * all loaded up front (about 2 s per 10,000), runs (points x
 * replications) each keep a row of runs.csv in memory until the end. */
#define SWEEP_POINTS_MAX 10000
#define SWEEP_RUNS_MAX 1000000

struct sweep_point {
	int32_t variant;             /* index into variant_names, -1 none */
	cJSON *values;               /* the varied values, owned (array) */
	int valid;                   /* 0: rejected by the loader */
	char error[700];             /* why (one line), when not valid */
	struct world_config cfg;     /* the point's scenario, when valid */
};

struct sweep_plan {
	char file[512];              /* scenario file */
	char name[128];              /* scenario name */
	char hash[24];               /* hash of the scenario's content */
	uint64_t seed;
	int32_t replications;
	int32_t n_vary;
	char **vary_paths;           /* owned */
	int32_t n_variants;          /* 0: no variants */
	char **variant_names;        /* owned */
	struct sweep_point *points;  /* owned */
	int32_t n_points;
	int32_t baseline;            /* point index */
	cJSON *plan_json;            /* the plan as sweep.json shows it */
};

/* Loads file, applies the --set overrides, expands the sweep. reps > 0
 * overrides sweep.replications. A plan larger than SWEEP_POINTS_MAX or
 * SWEEP_RUNS_MAX is bad input. Returns 0 or RSIM_EINPUT/RSIM_ENOMEM. */
int sweep_plan_build(const char *file, const char *const *sets, int n_sets,
		     int32_t reps, struct sweep_plan *plan,
		     struct rsim_error *err);
void sweep_plan_release(struct sweep_plan *plan);

struct sweep_opts {
	const char *out;             /* output directory */
	int jobs;                    /* worker threads, >= 1 */
	int shard_k, shard_n;        /* this is shard k of n (1-based) */
	int resume;                  /* skip runs already in out */
	int quiet;                   /* no progress */
};

/* Runs the plan's runs (of this shard) and writes the files. Returns 0,
 * RSIM_EINPUT (e.g. resume of another plan), RSIM_EIO, RSIM_ENOMEM, or
 * RSIM_EINTR when interrupted (the finished runs are kept). */
int sweep_execute(struct sweep_plan *plan, const struct sweep_opts *o,
		  struct rsim_error *err);

/* Combines shard directories into out. */
int sweep_merge(const char *const *dirs, int n_dirs, const char *out,
		struct rsim_error *err);

#endif
