/* sweep_out.h - the files of a sweep: runs.csv rows, summary.csv
 * statistics, sweep.json; reading rows back for --resume and merge. */
#ifndef RSIM_SWEEP_OUT_H
#define RSIM_SWEEP_OUT_H

#include "sweep.h"

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

/* Writes runs.csv, summary.csv and sweep.json in dir, published together
 * (fileset.h: on failure dir keeps its previous three files). rows[run]
 * may be NULL (not run here). */
int sweep_write(const char *dir, const struct sweep_plan *p,
		const struct sweep_metrics *mx, char *const *rows,
		int shard_k, int shard_n, int complete, struct rsim_error *err);

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

/* The plan of dir's sweep.json (caller frees), or NULL with err filled. */
cJSON *sweep_read_plan(const char *dir, struct rsim_error *err);

/* The same from the text of a sweep.json; path is only used in messages. */
cJSON *sweep_parse_plan(const char *text, const char *path,
			struct rsim_error *err);

/* The plan a sweep.json describes, for merge (no configs: nothing to
 * run). Returns 0, or -1 when the plan is malformed or out of memory;
 * release p with sweep_plan_release either way. */
int sweep_plan_from_json(const cJSON *plan, struct sweep_plan *p);

/* The part file that keeps finished runs of an unfinished sweep. */
#define SWEEP_PART_FILE ".runs.part"

/* Splits a CSV line into at most max fields (quotes handled; the line is
 * modified). Returns the number of fields. */
int sweep_csv_split(char *line, char **fields, int max);

#endif
