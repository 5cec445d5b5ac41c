/* test_sweep_summary_read.c - sweep_summary_read (sim/sweep/
 * sweep_summary.h), the reader plots use: columns found by name (the
 * metric column moves with the number of vary paths), quoted fields,
 * empty cells as NaN, short rows skipped, and a file without a metric
 * column refused. The expected values are the cells of the hand-written
 * files below.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/sweep/sweep_summary.h"

struct got {
	int n_rows;
	long point[8];
	char metric[8][64];
	int n[8];
	double mean[8], ci95[8], diff_mean[8];
};

static int take(void *ctx, const struct sweep_summary_row *r)
{
	struct got *g = ctx;
	int i = g->n_rows++;

	cr_assert_lt(i, 8);
	g->point[i] = r->point;
	snprintf(g->metric[i], sizeof(g->metric[i]), "%s", r->metric);
	g->n[i] = r->n;
	g->mean[i] = r->stat[SWEEP_STAT_MEAN];
	g->ci95[i] = r->stat[SWEEP_STAT_CI95];
	g->diff_mean[i] = r->stat[SWEEP_STAT_DIFF_MEAN];
	return 0;
}

/* A directory holding summary.csv with text; returns its path. */
static char *dir_with(const char *text)
{
	char tmpl[] = "/tmp/rollsim-sumread-XXXXXX", path[256];
	char *dir = mkdtemp(tmpl);
	FILE *f;

	cr_assert_not_null(dir);
	snprintf(path, sizeof(path), "%s/" SWEEP_SUMMARY_FILE, dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	return strdup(dir);
}

static void remove_dir(char *dir)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/" SWEEP_SUMMARY_FILE, dir);
	unlink(path);
	rmdir(dir);
	free(dir);
}

Test(sweep_summary_read, named_columns)
{
	char *dir = dir_with(
		"point,variant,a.b,\"x,y\",metric,n,mean,sd,ci95,min,max,"
		"diff_n,diff_mean,diff_sd,diff_ci95\n"
		"0,,1,\"2,3\",rollout.duration_s,3,12.5,1,2.25,11,14,3,0,0,0\n"
		"1,v,\"q\"\"\",4,requests.failed,2,7,,,,,2,-1.5,,\n"
		"2,,1,2,too.short,1,5\n");
	struct rsim_error err = { 0 };
	struct got g = { 0 };

	cr_assert_eq(sweep_summary_read(dir, take, &g, &err), 0, "%s",
		     err.msg);
	cr_assert_eq(g.n_rows, 2, "the short row is skipped");
	cr_assert_eq(g.point[0], 0);
	cr_assert_str_eq(g.metric[0], "rollout.duration_s");
	cr_assert_eq(g.n[0], 3);
	cr_assert_float_eq(g.mean[0], 12.5, 1e-12);
	cr_assert_float_eq(g.ci95[0], 2.25, 1e-12);
	cr_assert_eq(g.point[1], 1);
	cr_assert_str_eq(g.metric[1], "requests.failed");
	cr_assert_eq(g.n[1], 2);
	cr_assert_float_eq(g.mean[1], 7.0, 1e-12);
	cr_assert(isnan(g.ci95[1]), "an empty cell is NaN");
	cr_assert_float_eq(g.diff_mean[1], -1.5, 1e-12);
	remove_dir(dir);
}

Test(sweep_summary_read, not_a_summary)
{
	char *dir = dir_with("run,point,variant,replication,seed\n0,0,,0,1\n");
	struct rsim_error err = { 0 };
	struct got g = { 0 };

	cr_assert_eq(sweep_summary_read(dir, take, &g, &err), RSIM_EINPUT);
	cr_assert_not_null(strstr(err.msg, "no \"metric\" column"), "%s",
			   err.msg);
	cr_assert_eq(g.n_rows, 0);
	remove_dir(dir);
}
