/* sweep_runs.h - runs.csv, one row per run in run order: its metric
 * columns, the row writer, and the row reader and checker that --resume
 * (runs.csv and the part file) and merge go through. */
#ifndef RSIM_SWEEP_RUNS_H
#define RSIM_SWEEP_RUNS_H

#include "sweep.h"

#define SWEEP_RUNS_FILE "runs.csv"

/* The part file that keeps finished runs of an unfinished sweep. */
#define SWEEP_PART_FILE ".runs.part"

/* The columns of runs.csv: run, point, variant, one per vary path (named
 * by the path, the value as JSON text), replication, seed, the metrics. */
#define SWEEP_COL_RUN "run"
#define SWEEP_COL_REPLICATION "replication"
#define SWEEP_COL_SEED "seed"
enum sweep_runs_col {
	SWEEP_RUNS_RUN,
	SWEEP_RUNS_POINT,
	SWEEP_RUNS_VARIANT,
	SWEEP_RUNS_VARY              /* the first vary column */
};
#define SWEEP_RUNS_REPLICATION(n_vary) (SWEEP_RUNS_VARY + (n_vary))
#define SWEEP_RUNS_SEED(n_vary) (SWEEP_RUNS_VARY + (n_vary) + 1)
#define SWEEP_RUNS_METRIC(n_vary, k) (SWEEP_RUNS_VARY + (n_vary) + 2 + (k))

/* The metric columns of runs.csv: every number and boolean of
 * summary.json in its order, dotted (rollout.duration_s, ...), except
 * pods.pod_seconds_by_revision, whose keys vary between runs. */
struct sweep_metrics {
	char **names;                /* owned */
	char *nullable;              /* owned: 1 where summary.json may
					have null (an empty cell) */
	int32_t n;
};

int sweep_metrics_init(struct sweep_metrics *mx);
void sweep_metrics_release(struct sweep_metrics *mx);

/* One runs.csv row (no newline) for run number run. Caller frees. */
char *sweep_row(const struct sweep_plan *p, const struct sweep_metrics *mx,
		int32_t run, const struct world_config *cfg,
		const struct world_metrics *m);

/* runs.csv's text: the header and rows[run] of the runs done (rows[run]
 * may be NULL: not run here), counted in *done. NULL: out of memory. */
char *sweep_runs_text(const struct sweep_plan *p,
		      const struct sweep_metrics *mx, char *const *rows,
		      int32_t *done);

/* Reads the rows of dir's runs.csv into rows[] (malloc'ed strings, runs
 * not there yet); the plan in dir's sweep.json must equal p's. Every row
 * is checked: run number, point, variant, vary values and replication as
 * sweep_row writes them, a seed, each metric a number or, where
 * summary.json may have null, empty, the number of columns.
 * strict (merge; p need not hold configs): a bad row, a run found twice,
 * a last line without a newline or a missing runs.csv is RSIM_EINPUT,
 * naming the file and line. Otherwise (--resume; the seeds are compared
 * with the points' too): a bad or cut row is dropped with a notice on
 * stderr (FILE:LINE: row discarded (why); its run is done again), and
 * the first of two rows of a run is kept. */
int sweep_read(const char *dir, const struct sweep_plan *p,
	       const struct sweep_metrics *mx, char **rows, int strict,
	       struct rsim_error *err);

/* Reads the rows of the part file open (read/write) at fd, named path,
 * into rows[] as sweep_read does for --resume, then cuts a last line
 * without a newline off the file, so that appended rows start on a line
 * of their own. Returns 0, RSIM_EIO or RSIM_ENOMEM. */
int sweep_read_part(int fd, const char *path, const struct sweep_plan *p,
		    const struct sweep_metrics *mx, char **rows,
		    struct rsim_error *err);

#endif
