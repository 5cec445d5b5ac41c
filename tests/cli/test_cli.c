/* test_cli.c - the rollsim command end to end: the seed walk-through,
 * output files, determinism, exit codes and bad input.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_util.h"

static cJSON *run_json(const char *args)
{
	struct cli_result r;
	cJSON *j;

	cli_run(&r, args);
	cr_assert_eq(r.status, 0, "rollsim %s exited %d: %s", args, r.status,
		     r.err ? r.err : "");
	j = cJSON_Parse(r.out);
	cr_assert_not_null(j, "stdout is not JSON: %s", r.out);
	cli_result_free(&r);
	return j;
}

/* 5 replicas, 25 %/25 %: surge ceil(1.25) = 2, unavailable floor(1.25) =
 * 1 (docs/kubernetes.md §1), so at most 7 non-terminating pods and at least 4
 * available while the rollout runs, for any timing. */
Test(cli, seed_walkthrough_bounds_over_seeds)
{
	int seed;

	for (seed = 1; seed <= 10; seed++) {
		char args[256];
		cJSON *j;

		snprintf(args, sizeof(args),
			 "run scenarios/flask-app.json --json --seed %d", seed);
		j = run_json(args);
		cr_assert_leq(cli_json_number(j, "pods.max_non_terminating"), 7,
			      "seed %d", seed);
		cr_assert_geq(cli_json_number(j, "pods.min_available"), 4,
			      "seed %d", seed);
		cr_assert_eq(cli_json_bool(j, "rollout.complete"), 1,
			     "seed %d", seed);
		cr_assert_eq(cli_json_number(j, "rollout.triggered_s"), 60.0);
		cr_assert_gt(cli_json_number(j, "rollout.duration_s"), 0.0);
		cJSON_Delete(j);
	}
}

/* The conservative variant (maxSurge 1, maxUnavailable 0) never has fewer
 * than 5 available nor more than 6 pods, and takes longer. */
Test(cli, conservative_is_slower_and_never_unavailable)
{
	cJSON *d = run_json("run scenarios/flask-app.json --json");
	cJSON *c = run_json("run scenarios/flask-app-conservative.json --json");

	cr_assert_eq(cli_json_number(c, "pods.min_available"), 5);
	cr_assert_leq(cli_json_number(c, "pods.max_non_terminating"), 6);
	cr_assert_eq(cli_json_number(c, "availability.time_below_min"), 0);
	cr_assert_gt(cli_json_number(c, "rollout.duration_s"),
		     cli_json_number(d, "rollout.duration_s"));
	cJSON_Delete(d);
	cJSON_Delete(c);
}

static const char *const summary_keys[] = {
	"rollout.triggered_s", "rollout.completed_s", "rollout.duration_s",
	"pods.max_total", "pods.max_non_terminating", "pods.min_available",
	"pods.pod_seconds", "availability.time_full",
	"availability.time_below_min"
};

/* The header README.md (Outputs) gives, verbatim */
static const char timeline_header[] =
	"time_s,revision,old_pods,new_pods,old_ready,new_ready,available,"
	"terminating,pending,endpoints,desired_old,desired_new\n";

Test(cli, out_dir_files_and_keys)
{
	char *dir = cli_tmpdir(), args[1200], path[1300];
	struct cli_result r;
	cJSON *j;
	char *text;
	size_t i;

	snprintf(args, sizeof(args), "run scenarios/flask-app.json --out %s/o",
		 dir);
	cli_run(&r, args);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "rollout") != NULL);
	cli_result_free(&r);
	snprintf(path, sizeof(path), "%s/o/summary.json", dir);
	text = cli_slurp(path, NULL);
	cr_assert_not_null(text);
	j = cJSON_Parse(text);
	cr_assert_not_null(j);
	for (i = 0; i < sizeof(summary_keys) / sizeof(*summary_keys); i++)
		cr_assert(!isnan(cli_json_number(j, summary_keys[i])),
			  "summary.json lacks %s", summary_keys[i]);
	cr_assert_neq(cli_json_bool(j, "rollout.complete"), -1);
	cr_assert_neq(cli_json_bool(j, "rollout.progress_deadline_exceeded"),
		      -1);
	cJSON_Delete(j);
	free(text);
	snprintf(path, sizeof(path), "%s/o/timeline.csv", dir);
	text = cli_slurp(path, NULL);
	cr_assert_not_null(text);
	cr_assert(strncmp(text, timeline_header, strlen(timeline_header)) == 0,
		  "header: %.130s", text);
	free(text);
	snprintf(path, sizeof(path), "%s/o/events.log", dir);
	text = cli_slurp(path, NULL);
	cr_assert_not_null(text);
	cr_assert(strstr(text, "ScalingReplicaSet") != NULL);
	cr_assert(strstr(text, "Scaled up replica set flask-app-") != NULL);
	free(text);
	cli_rmrf(dir);
	free(dir);
}

static void assert_same_file(const char *a, const char *b)
{
	long na, nb;
	char *ta = cli_slurp(a, &na), *tb = cli_slurp(b, &nb);

	cr_assert_not_null(ta, "%s", a);
	cr_assert_not_null(tb, "%s", b);
	cr_assert_eq(na, nb, "%s and %s differ in size", a, b);
	cr_assert(memcmp(ta, tb, (size_t)na) == 0, "%s and %s differ", a, b);
	free(ta);
	free(tb);
}

Test(cli, same_seed_same_bytes)
{
	static const char *const files[] = { "summary.json", "timeline.csv",
					     "events.log", "pods.csv" };
	char *dir = cli_tmpdir(), args[1200], a[1300], b[1300];
	struct cli_result r;
	int run;
	size_t i;

	for (run = 0; run < 2; run++) {
		snprintf(args, sizeof(args),
			 "run scenarios/flask-app.json --seed 7 --out %s/%d",
			 dir, run);
		cli_run(&r, args);
		cr_assert_eq(r.status, 0, "%s", r.err);
		cli_result_free(&r);
	}
	for (i = 0; i < sizeof(files) / sizeof(*files); i++) {
		snprintf(a, sizeof(a), "%s/0/%s", dir, files[i]);
		snprintf(b, sizeof(b), "%s/1/%s", dir, files[i]);
		assert_same_file(a, b);
	}
	cli_rmrf(dir);
	free(dir);
}

Test(cli, different_seed_different_timeline)
{
	cJSON *a = run_json("run scenarios/flask-app.json --json --seed 1");
	cJSON *b = run_json("run scenarios/flask-app.json --json --seed 2");

	cr_assert_neq(cli_json_number(a, "rollout.duration_s"),
		      cli_json_number(b, "rollout.duration_s"));
	cJSON_Delete(a);
	cJSON_Delete(b);
}

/* Bad input: one line on stderr naming file and path, exit 2, and no
 * output directory. */
Test(cli, bad_input_exit_2_and_nothing_written)
{
	char *dir = cli_tmpdir(), file[1300], args[2800], out[1300];
	struct cli_result r;
	struct stat st;

	snprintf(file, sizeof(file), "%s/x.json", dir);
	cr_assert_eq(cli_write(file, "{ \"deployment\": { \"replicas\": "
			       "\"five\", \"image\": \"a\" }, \"images\": "
			       "{ \"a\": {} } }"), 0);
	snprintf(out, sizeof(out), "%s/out", dir);
	snprintf(args, sizeof(args), "run %s --out %s", file, out);
	cli_run(&r, args);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "x.json: deployment.replicas: expected a "
		  "non-negative integer, got \"five\"") != NULL, "%s", r.err);
	cr_assert_eq(strchr(r.err, '\n'), r.err + strlen(r.err) - 1,
		     "more than one line: %s", r.err);
	cr_assert_neq(stat(out, &st), 0, "output directory was created");
	cli_result_free(&r);
	cli_rmrf(dir);
	free(dir);
}

Test(cli, usage_errors_exit_2)
{
	static const char *const cases[] = {
		"", "frobnicate", "run", "run scenarios/flask-app.json --seed x",
		"run scenarios/flask-app.json --bogus",
		"run /nonexistent/scenario.json",
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct cli_result r;

		cli_run(&r, cases[i]);
		cr_assert_eq(r.status, 2, "rollsim %s: exit %d", cases[i],
			     r.status);
		cr_assert_gt(strlen(r.err), 0, "rollsim %s: no message",
			     cases[i]);
		cli_result_free(&r);
	}
}

Test(cli, validate_and_help)
{
	struct cli_result r;

	cli_run(&r, "validate scenarios/flask-app.json "
		    "scenarios/flask-app-conservative.json");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);
	cli_run(&r, "help run");
	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "--seed") != NULL);
	cli_result_free(&r);
}

/* --fail-on-error: exit 1 when the rollout does not complete (README.md,
 * Command line), 0 when it does. crashloop-undo.json stalls until its undo
 * at 4 min: cut at 200 s it has not completed. */
Test(cli, fail_on_error_exit_1)
{
	struct cli_result r;

	cli_run(&r, "run scenarios/crashloop-undo.json --set until=200s "
		    "--fail-on-error");
	cr_assert_eq(r.status, 1, "exit %d: %s", r.status, r.err);
	cr_assert(strstr(r.err, "did not complete") != NULL, "%s", r.err);
	cli_result_free(&r);
	cli_run(&r, "run scenarios/flask-app.json --fail-on-error");
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cli_result_free(&r);
}
