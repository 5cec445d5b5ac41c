/* test_syncdelay.c - controllers.syncDelay: the controllers react after
 * the delay, and changes that arrive while a sync is pending are handled
 * by that one sync (the work queue merges them). Timings worked out by
 * hand below from docs/kubernetes.md §2 and §4 with instant API writes.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"

/* 10 replicas, maxSurge 1 / maxUnavailable 0, a pod Ready 10 s after it
 * is created (pull 10 s, no probe), old pods gone at once, syncDelay 2 s.
 *   100 s  setImage; the Deployment controller syncs at 102 s: creates
 *          the new ReplicaSet with 1 replica ("Scaled up ... from 0 to 1").
 *   104 s  the ReplicaSet controller reacts (2 s) and creates the pod.
 *   114 s  the pod is Ready; the Deployment syncs at 116 s: old 10 -> 9,
 *          then new 1 -> 2 in the same sync (each write's requeue).
 *   118 s  the ReplicaSets react: one old pod deleted, one pod created,
 *          Ready at 128 s; the next sync at 130 s: old -> 8, new -> 3.
 * So the steps come 14 s apart (2 + 2 + 10) instead of 10 s. */
static const char scenario[] =
	"{ \"name\": \"sync\", \"until\": \"200s\","
	"  \"controllers\": { \"syncDelay\": \"2s\" },"
	"  \"deployment\": { \"name\": \"web\", \"replicas\": 10,"
	"    \"strategy\": { \"rollingUpdate\": { \"maxSurge\": 1,"
	"                                       \"maxUnavailable\": 0 } },"
	"    \"image\": \"a:1\" },"
	"  \"images\": { \"a:1\": { \"pull\": \"10s\", \"shutdown\": 0,"
	"                          \"terminationGracePeriodSeconds\": 0 },"
	"                \"a:2\": { \"pull\": \"10s\", \"shutdown\": 0,"
	"                          \"terminationGracePeriodSeconds\": 0 } },"
	"  \"events\": [ { \"at\": \"100s\", \"action\": \"setImage\","
	"                  \"image\": \"a:2\" } ] }";

/* The times (s) of the events.log lines that contain needle, after t0. */
static int times_of(const char *log, const char *needle, double t0,
		    double *out, int max)
{
	const char *line = log;
	int n = 0;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		double t;

		if (sscanf(line, "%lf", &t) == 1 && t >= t0 &&
		    strstr(line, needle) &&
		    (!nl || strstr(line, needle) < nl) && n < max)
			out[n++] = t;
		line = nl ? nl + 1 : NULL;
	}
	return n;
}

static char *run_log(const char *text, const char *name)
{
	char *dir = cli_tmpdir(), file[1200], args[2600], log[1200];
	struct cli_result r;
	char *out;

	snprintf(file, sizeof(file), "%s/%s.json", dir, name);
	cr_assert_eq(cli_write(file, text), 0);
	snprintf(args, sizeof(args), "run %s --out %s/o", file, dir);
	cli_run(&r, args);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);
	snprintf(log, sizeof(log), "%s/o/events.log", dir);
	out = cli_slurp(log, NULL);
	cr_assert_not_null(out);
	cli_rmrf(dir);
	free(dir);
	return out;
}

Test(syncdelay, controllers_react_after_the_delay)
{
	static const double want_up[] = { 102, 116, 130 };
	static const double want_down[] = { 116, 130 };
	char *log = run_log(scenario, "sync");
	double up[8], down[8], created[8];
	int i, n_up, n_down, n_created;

	n_up = times_of(log, "Scaled up replica set web-", 100, up, 8);
	n_down = times_of(log, "Scaled down replica set web-", 100, down, 8);
	n_created = times_of(log, "Created pod: web-", 100, created, 8);
	cr_assert_geq(n_up, 3);
	cr_assert_geq(n_down, 2);
	for (i = 0; i < 3; i++)
		cr_expect_float_eq(up[i], want_up[i], 1e-9,
				   "scale-up %d at %.3f s, expected %.0f s", i,
				   up[i], want_up[i]);
	for (i = 0; i < 2; i++)
		cr_expect_float_eq(down[i], want_down[i], 1e-9,
				   "scale-down %d at %.3f s, expected %.0f s",
				   i, down[i], want_down[i]);
	cr_assert_geq(n_created, 2);
	cr_expect_float_eq(created[0], 104, 1e-9, "first new pod at %.3f s",
			   created[0]);
	cr_expect_float_eq(created[1], 118, 1e-9, "second new pod at %.3f s",
			   created[1]);
	free(log);
}

/* Two pods deleted 1 s apart (100 s, 101 s) while the ReplicaSet's sync
 * is pending (2 s): both replacements are created by the one sync at
 * 102 s. Without the merge the second would come at 103 s. */
Test(syncdelay, changes_within_the_delay_are_one_sync)
{
	static const char text[] =
		"{ \"name\": \"merge\", \"until\": \"150s\","
		"  \"controllers\": { \"syncDelay\": \"2s\" },"
		"  \"deployment\": { \"name\": \"web\", \"replicas\": 4,"
		"    \"image\": \"a:1\" },"
		"  \"images\": { \"a:1\": { \"pull\": \"1s\" } },"
		"  \"events\": ["
		"    { \"at\": \"100s\", \"action\": \"deletePod\","
		"      \"revision\": 1, \"pick\": \"oldest\" },"
		"    { \"at\": \"101s\", \"action\": \"deletePod\","
		"      \"revision\": 1, \"pick\": \"oldest\" } ] }";
	char *log = run_log(text, "merge");
	double created[8];
	int n = times_of(log, "Created pod: web-", 100, created, 8);

	cr_assert_eq(n, 2, "%d replacements", n);
	cr_expect_float_eq(created[0], 102, 1e-9, "at %.3f s", created[0]);
	cr_expect_float_eq(created[1], 102, 1e-9, "at %.3f s", created[1]);
	free(log);
}
