/* sweep_summary.h - summary.csv: per point and metric the statistics of
 * the metric over the replications, and of the paired differences
 * against the baseline point; the writer, and the reader plots use.
 *
 * Columns: point, variant, one per vary path, metric, then the
 * statistics below in their order. n, mean, sd, ci95 (half-width,
 * Student's t with n - 1 degrees of freedom), min, max; diff_n,
 * diff_mean, diff_sd, diff_ci95: the same for point - baseline over the
 * replications both have. Every statistic is computed from the numbers
 * as runs.csv prints them.
 */
#ifndef RSIM_SWEEP_SUMMARY_H
#define RSIM_SWEEP_SUMMARY_H

#include "sweep_runs.h"

#define SWEEP_SUMMARY_FILE "summary.csv"
#define SWEEP_COL_METRIC "metric"

/* The columns before the statistics. */
enum sweep_summary_col {
	SWEEP_SUMMARY_POINT,
	SWEEP_SUMMARY_VARIANT,
	SWEEP_SUMMARY_VARY           /* the first vary column */
};
#define SWEEP_SUMMARY_METRIC(n_vary) (SWEEP_SUMMARY_VARY + (n_vary))

/* The statistics columns, after the metric column. */
enum sweep_stat {
	SWEEP_STAT_N,
	SWEEP_STAT_MEAN,
	SWEEP_STAT_SD,
	SWEEP_STAT_CI95,
	SWEEP_STAT_MIN,
	SWEEP_STAT_MAX,
	SWEEP_STAT_DIFF_N,
	SWEEP_STAT_DIFF_MEAN,
	SWEEP_STAT_DIFF_SD,
	SWEEP_STAT_DIFF_CI95,
	SWEEP_STAT_COUNT
};

/* Their names in the header: "n", "mean", ... */
extern const char *const sweep_stat_names[SWEEP_STAT_COUNT];

/* summary.csv's text (NULL: out of memory). rows as sweep_runs_text. */
char *sweep_summary_text(const struct sweep_plan *p,
			 const struct sweep_metrics *mx, char *const *rows);

/* One row of summary.csv as read back. */
struct sweep_summary_row {
	long point;                  /* the point column (0 if not a number) */
	const char *metric;          /* e.g. "rollout.duration_s" */
	int n;                       /* the n column */
	double stat[SWEEP_STAT_COUNT];   /* NaN: empty or absent */
};

/* Reads dir's summary.csv, calling fn on each row with at least the
 * columns up to ci95 (the metric column found by its name in the
 * header). Returns 0, RSIM_EINPUT (unreadable, or no metric column: not
 * a summary.csv of rollsim sweep), or what fn returned when not 0. */
int sweep_summary_read(const char *dir,
		       int (*fn)(void *ctx, const struct sweep_summary_row *r),
		       void *ctx, struct rsim_error *err);

#endif
