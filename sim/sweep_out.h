/* sweep_out.h - the files of a sweep: runs.csv rows, summary.csv
 * statistics, sweep.json; reading rows back for --resume and merge. */
#ifndef RS_SWEEP_OUT_H
#define RS_SWEEP_OUT_H

#include "sweep.h"

/* The metric columns of runs.csv: every number and boolean of
 * summary.json in its order, dotted (rollout.duration_s, ...), except
 * pods.pod_seconds_by_revision, whose keys vary between runs. */
struct sweep_metrics {
	char **names;                /* owned */
	int32_t n;
};

int sweep_metrics_init(struct sweep_metrics *mx);
void sweep_metrics_release(struct sweep_metrics *mx);

/* One runs.csv row (no newline) for run number run. Caller frees. */
char *sweep_row(const struct sweep_plan *p, const struct sweep_metrics *mx,
		int32_t run, const struct world_config *cfg,
		const struct world_metrics *m);

/* Writes runs.csv, summary.csv and sweep.json in dir (temporary names,
 * then renamed). rows[run] may be NULL (not run here). */
int sweep_write(const char *dir, const struct sweep_plan *p,
		const struct sweep_metrics *mx, char *const *rows,
		int shard_k, int shard_n, int complete, struct rs_error *err);

/* Reads the rows of dir's runs.csv (and of an interrupted run's part
 * file) into rows[] (malloc'ed strings); the plan in dir's sweep.json must
 * equal plan_json. A run found twice is an error when strict. */
int sweep_read(const char *dir, const cJSON *plan_json, int n_fields,
	       char **rows, int32_t n_runs, int strict, struct rs_error *err);

/* The number of fields of a runs.csv row of plan p (rows of another
 * shape are refused, or for a resume's part file, redone). */
int sweep_row_fields(const struct sweep_plan *p,
		     const struct sweep_metrics *mx);

/* The plan of dir's sweep.json (caller frees), or NULL with err filled. */
cJSON *sweep_read_plan(const char *dir, struct rs_error *err);

/* The same from the text of a sweep.json; path is only used in messages. */
cJSON *sweep_parse_plan(const char *text, const char *path,
			struct rs_error *err);

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
