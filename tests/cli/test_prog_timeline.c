/* test_prog_timeline.c - the progressive columns of timeline.csv in
 * whole runs of the shipped examples.
 *
 * scenarios/canary.json: 10 replicas, maxSurge 3, maxUnavailable 0,
 * steps setWeight 20/50/80 with pauses. Argo's basic-canary split
 * (utils/replicaset/canary.go) gives canary/stable 2/8 at 20 %, 5/5 at
 * 50 %, 8/2 at 80 %; once promoted the new ReplicaSet (revision 2) is
 * the stable side with 10 pods and there is no canary. blueGreen
 * (scenarios/blue-green.json): the preview grows to 10 while the weight
 * is 0; at the switch the weight is 100 and the active side is revision 2.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "cli_util.h"

/* stable_pods, canary_pods, stable_revision, canary_revision,
 * canary_weight: columns 13 to 17 */
struct prog_row {
	int stable, canary, stable_rev, canary_rev, weight;
};

/* Runs scenario into a fresh directory; the rows of timeline.csv (the
 * last one for each weight in last_by_weight[0..100]) and the final. */
static void run_rows(const char *scenario, struct prog_row *last_by_weight,
		     int *seen, struct prog_row *final)
{
	char *dir = cli_tmpdir(), args[512], path[512], line[1024];
	struct cli_result r;
	FILE *f;

	snprintf(args, sizeof(args), "run %s --out %s", scenario, dir);
	cli_run(&r, args);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);
	snprintf(path, sizeof(path), "%s/timeline.csv", dir);
	f = fopen(path, "r");
	cr_assert_not_null(f);
	cr_assert_not_null(fgets(line, sizeof(line), f));
	cr_assert(strstr(line, ",desired_new,stable_pods,canary_pods,"
			       "stable_revision,canary_revision,"
			       "canary_weight\n") != NULL, "%s", line);
	memset(seen, 0, 101 * sizeof(*seen));
	while (fgets(line, sizeof(line), f)) {
		struct prog_row p;
		char *c = line;
		int i;

		for (i = 0; i < 12; i++)
			c = strchr(c, ',') + 1;
		cr_assert_eq(sscanf(c, "%d,%d,%d,%d,%d", &p.stable, &p.canary,
				    &p.stable_rev, &p.canary_rev, &p.weight),
			     5);
		cr_assert(p.weight >= 0 && p.weight <= 100);
		last_by_weight[p.weight] = p;
		seen[p.weight] = 1;
		*final = p;
	}
	fclose(f);
	cli_rmrf(dir);
	free(dir);
}

Test(prog_timeline, canary_steps_split_the_replicas)
{
	struct prog_row w[101], fin;
	int seen[101];
	static const int weight[] = { 20, 50, 80 };
	static const int canary[] = { 2, 5, 8 };
	size_t i;

	run_rows("scenarios/canary.json", w, seen, &fin);
	for (i = 0; i < 3; i++) {
		int k = weight[i];

		cr_assert(seen[k], "no row at weight %d", k);
		cr_expect_eq(w[k].canary, canary[i], "canary at %d", k);
		cr_expect_eq(w[k].stable, 10 - canary[i], "stable at %d", k);
		cr_expect_eq(w[k].stable_rev, 1);
		cr_expect_eq(w[k].canary_rev, 2);
	}
	cr_expect_eq(fin.stable, 10);
	cr_expect_eq(fin.canary, 0);
	cr_expect_eq(fin.stable_rev, 2);
	cr_expect_eq(fin.canary_rev, 0);
}

Test(prog_timeline, blue_green_switches_all_at_once)
{
	struct prog_row w[101], fin;
	int seen[101], k;

	run_rows("scenarios/blue-green.json", w, seen, &fin);
	cr_expect_eq(w[0].stable, 10, "the active side before the switch");
	cr_expect_eq(w[0].canary, 10, "the preview, full, before it");
	cr_expect_eq(w[0].canary_rev, 2);
	for (k = 1; k < 100; k++)
		cr_expect(!seen[k], "a weight of %d: a switch is all or none",
			  k);
	cr_expect_eq(fin.weight, 100);
	cr_expect_eq(fin.stable, 10);
	cr_expect_eq(fin.stable_rev, 2);
	cr_expect_eq(fin.canary, 0);
}
