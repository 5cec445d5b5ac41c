/* test_friction.c - small frictions of the command line: --set PATH=null
 * removes a key as a sweep variant's null does, --event appends an event
 * (validated as the scenario's own), a Kubernetes manifest runs as a
 * scenario, and the requests that fail before the first rollout are
 * counted apart from the rollout's.
 */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"

/* Runs args (which must end with --json) and parses summary.json. */
static cJSON *run_json(const char *args)
{
	struct cli_result r;
	cJSON *s;

	cli_run(&r, args);
	cr_assert_eq(r.status, 0, "%s: exit %d: %s", args, r.status, r.err);
	s = cJSON_Parse(r.out);
	cr_assert_not_null(s, "%s: stdout is not JSON: %s", args, r.out);
	cli_result_free(&r);
	return s;
}

/* Runs args; expects exit 2, nothing on stdout and exactly one line on
 * stderr that contains want. */
static void expect_input_error(const char *args, const char *want)
{
	struct cli_result r;
	const char *nl;

	cli_run(&r, args);
	cr_expect_eq(r.status, 2, "%s: exit %d, expected 2", args, r.status);
	cr_expect_str_empty(r.out, "%s: stdout: %s", args, r.out);
	nl = strchr(r.err, '\n');
	cr_expect(nl && nl[1] == '\0', "%s: not one line: %s", args, r.err);
	cr_expect(strstr(r.err, want) != NULL, "%s: stderr \"%s\" lacks \"%s\"",
		  args, r.err, want);
	cli_result_free(&r);
}

/* ------------------------------------------------------ --set PATH=null */

/* flask-app.json has traffic (200 requests/s from 20 s) and one event
 * (setImage at 60 s). A variant's {"traffic": null} drops the traffic;
 * --set traffic=null must do the same: no request at all. Removing the
 * only event leaves nothing to trigger a rollout. */
Test(friction, set_null_removes_the_key)
{
	cJSON *s = run_json("run scenarios/flask-app.json --set traffic=null "
			    "--json");

	cr_expect_eq(cli_json_number(s, "requests.total"), 0);
	cr_expect_eq(cli_json_number(s, "requests.attempts"), 0);
	cr_expect_eq(cli_json_number(s, "rollout.triggered_s"), 60);
	cJSON_Delete(s);
	s = run_json("run scenarios/flask-app.json --set 'events[0]=null' "
		     "--json");
	cr_expect(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(
		s, "rollout"), "triggered_s")), "a rollout without its event");
	cr_expect_gt(cli_json_number(s, "requests.total"), 0);
	cJSON_Delete(s);
	/* null on an absent key changes nothing; a missing element fails */
	s = run_json("run scenarios/flask-app.json --set cluster.nodes=null "
		     "--json");
	cr_expect_eq(cli_json_number(s, "rollout.triggered_s"), 60);
	cJSON_Delete(s);
	expect_input_error("run scenarios/flask-app.json --set 'events[3]=null'",
			   "scenarios/flask-app.json: events[3]: --set: no such "
			   "array element");
}

/* -------------------------------------------------------------- --event */

/* flask-app.json updates to flask-app:2.0 at 60 s. An undo appended at
 * 120 s is a second template change, so a second rollout triggered at
 * 120 s (README: a rollout starts with each change of the pod template),
 * back to revision 1's template, which gets revision 3. */
Test(friction, event_is_appended)
{
	cJSON *s = run_json("run scenarios/flask-app.json --event "
			    "'{\"at\":\"120s\",\"action\":\"rolloutUndo\"}' "
			    "--json");
	cJSON *r = cJSON_GetObjectItem(s, "rollouts");

	cr_assert_eq(cJSON_GetArraySize(r), 2);
	cr_expect_eq(cli_json_number(cJSON_GetArrayItem(r, 0), "triggered_s"),
		     60);
	cr_expect_eq(cli_json_number(cJSON_GetArrayItem(r, 1), "triggered_s"),
		     120);
	cr_expect_eq(cli_json_number(cJSON_GetArrayItem(r, 1), "revision"), 3);
	cJSON_Delete(s);
	/* in time order with the file's: a scale at 30 s runs before the
	 * update (6 replicas from then on) */
	s = run_json("run scenarios/flask-app.json --event '{\"at\":\"30s\","
		     "\"action\":\"scale\",\"replicas\":6}' --json");
	cr_expect_eq(cli_json_number(s, "deployment.replicas"), 6);
	cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(s, "rollouts")),
		     1);
	cJSON_Delete(s);
}

/* An --event is checked as the file's events are, and its errors name
 * the argument (--event[N], counted from 0) and the path inside it;
 * the file's own errors still name the file. */
Test(friction, event_is_validated)
{
	static const char *const rows[][2] = {
		{ "'{at:1}'", "--event[0]: malformed JSON at line 1, column 2" },
		{ "'{\"at\":\"1s\",\"action\":\"rolloutUndo\"} x'",
		  "--event[0]: malformed JSON at line 1, column 36" },
		{ "'{\"at\":\"soon\",\"action\":\"rolloutUndo\"}'",
		  "--event[0]: at: expected a duration" },
		{ "'{\"at\":\"-5s\",\"action\":\"rolloutUndo\"}'",
		  "--event[0]: at: " },
		{ "'{\"at\":\"1s\",\"action\":\"rollotUndo\"}'",
		  "--event[0]: action: unknown action \"rollotUndo\" (did you "
		  "mean \"rolloutUndo\"?)" },
		{ "'{\"at\":\"1s\"}'",
		  "--event[0]: missing required key \"action\"" },
		{ "'{\"at\":\"1s\",\"action\":\"scale\",\"replicas\":-1}'",
		  "--event[0]: replicas: expected" },
		{ "'{\"at\":\"1s\",\"action\":\"rolloutUndo\"}' --event 5",
		  "--event[1]: expected an object, got 5" },
		{ "'{\"at\":\"1s\",\"action\":\"setImage\",\"image\":\"x\"}'",
		  "--event[0]: image: image \"x\" is not described in images" },
	};
	char args[512];
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(*rows); i++) {
		snprintf(args, sizeof(args), "run scenarios/flask-app.json "
			 "--event %s", rows[i][0]);
		expect_input_error(args, rows[i][1]);
		/* the teaching commands load the same way */
		snprintf(args, sizeof(args), "get deployment "
			 "scenarios/flask-app.json --at 1s --event %s",
			 rows[i][0]);
		expect_input_error(args, rows[i][1]);
	}
	expect_input_error("run scenarios/flask-app.json --set "
			   "'events[0].at=soon' --event "
			   "'{\"at\":\"1s\",\"action\":\"rolloutUndo\"}'",
			   "scenarios/flask-app.json: events[0].at: expected "
			   "a duration");
}

/* ------------------------------------------------------ manifests */

/* scenarios/manifests/flask-app.yaml: Deployment flask-app, 5 replicas,
 * image flask-app:1.0. Run alone, it is wrapped with the documented
 * trigger (docs/scenario.md, "A manifest instead of a scenario"): set
 * image to flask-app:next at 60 s, default timings, no traffic. */
Test(friction, run_on_a_manifest)
{
	struct cli_result r;
	cJSON *s;

	cli_run(&r, "run scenarios/manifests/flask-app.yaml --json");
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cr_expect(strstr(r.err, "rollsim: scenarios/manifests/flask-app.yaml "
			 "is a Kubernetes manifest: running Deployment "
			 "\"flask-app\" with the default timings and no "
			 "traffic, updated at 60s as `kubectl set image` to "
			 "flask-app:next would") == r.err, "note: %s", r.err);
	cr_expect(strchr(r.err, '\n') == r.err + strlen(r.err) - 1,
		  "one line: %s", r.err);
	s = cJSON_Parse(r.out);
	cr_assert_not_null(s);
	cr_expect_str_eq(cJSON_GetObjectItem(s, "scenario")->valuestring,
			 "flask-app");
	cr_expect_eq(cli_json_number(s, "deployment.replicas"), 5);
	cr_expect_eq(cli_json_number(s, "rollout.triggered_s"), 60);
	cr_expect_eq(cli_json_bool(s, "rollout.complete"), 1);
	cr_expect_eq(cli_json_number(s, "requests.total"), 0);
	cr_expect_eq(cli_json_number(s, "until_s"), 900);
	cJSON_Delete(s);
	cli_result_free(&r);
	/* --set changes the wrapper: traffic, and the manifest's replicas */
	s = run_json("run scenarios/manifests/flask-app.yaml --set "
		     "traffic.rate=10 --set deployment.replicas=3 --json");
	cr_expect_gt(cli_json_number(s, "requests.total"), 0);
	cr_expect_eq(cli_json_number(s, "deployment.replicas"), 3);
	cJSON_Delete(s);
	/* the teaching commands load it the same way, with the same note */
	cli_run(&r, "get deployment scenarios/manifests/flask-app.yaml "
		"--at 1s");
	cr_expect(strstr(r.err, "rollsim: scenarios/manifests/flask-app.yaml "
			 "is a Kubernetes manifest") == r.err, "%s", r.err);
	cli_result_free(&r);
}

/* A manifest by its content: YAML under another name, and a JSON
 * Deployment (apiVersion and kind); a file that is neither keeps the
 * JSON error. */
Test(friction, manifest_by_content)
{
	char *dir = cli_tmpdir(), path[512], args[700];
	char *yaml = cli_slurp("scenarios/manifests/flask-app.yaml", NULL);
	cJSON *s;

	cr_assert_not_null(yaml);
	snprintf(path, sizeof(path), "%s/deploy.txt", dir);
	cr_assert_eq(cli_write(path, yaml), 0);
	snprintf(args, sizeof(args), "run %s --json", path);
	s = run_json(args);
	cr_expect_eq(cli_json_number(s, "rollout.triggered_s"), 60);
	cr_expect_eq(cli_json_number(s, "deployment.replicas"), 5);
	cJSON_Delete(s);
	snprintf(path, sizeof(path), "%s/d.json", dir);
	cr_assert_eq(cli_write(path, "{\"apiVersion\":\"apps/v1\",\"kind\":"
			       "\"Deployment\",\"metadata\":{\"name\":\"web\"},"
			       "\"spec\":{\"replicas\":2,\"template\":{\"spec\":"
			       "{\"containers\":[{\"name\":\"web\",\"image\":"
			       "\"reg:5000/web@sha256:ab\"}]}}}}"), 0);
	snprintf(args, sizeof(args), "run %s --json", path);
	{
		struct cli_result r;

		cli_run(&r, args);
		cr_expect_eq(r.status, 0, "%s: %s", args, r.err);
		cr_expect(strstr(r.err, "to reg:5000/web:next would") != NULL,
			  "%s", r.err);
		cli_result_free(&r);
	}
	snprintf(path, sizeof(path), "%s/bad.json", dir);
	cr_assert_eq(cli_write(path, "{\"name\": }"), 0);
	snprintf(args, sizeof(args), "run %s", path);
	expect_input_error(args, "bad.json: malformed JSON at line 1, "
			   "column 10");
	free(yaml);
	cli_rmrf(dir);
	free(dir);
}

/* A mistake in the manifest reads as in a scenario that names it: the
 * file, the line and the path. */
Test(friction, manifest_error_names_its_line)
{
	char *dir = cli_tmpdir(), path[512], args[700];

	snprintf(path, sizeof(path), "%s/deploy.yaml", dir);
	cr_assert_eq(cli_write(path, "apiVersion: apps/v1\nkind: Deployment\n"
			       "metadata:\n  name: web\nspec:\n"
			       "  replicas: five\n"), 0);
	snprintf(args, sizeof(args), "run %s", path);
	expect_input_error(args, "deploy.yaml:6: spec.replicas: expected a "
			   "non-negative integer, got \"five\"");
	cli_rmrf(dir);
	free(dir);
}

/* ------------------------------------------------ before the rollout */

/* Traffic from 0 s at a constant 100 requests/s (one every 10 ms) while
 * the 3 first pods start: each is up 10 s after it starts (pull and
 * container start take 0 s), and Ready at the first readiness probe after
 * that (periodSeconds 1: by 11 s). Until then the Service has no
 * endpoint: the arrivals at 10 ms, 20 ms, ..., 9.99 s (999 of them; the
 * one at 0 s too, if it comes) fail with no_endpoint, and nothing else
 * fails before 30 s (no pod stops). The update at 30 s rolls with
 * maxUnavailable 25 % of 3 = 0 (rounded down) and a readiness probe, so
 * the Service never lacks an endpoint during the rollout. */
static const char before_scenario[] =
	"{ \"name\": \"before\", \"until\": \"2m\",\n"
	"  \"deployment\": { \"replicas\": 3, \"image\": \"web:1\" },\n"
	"  \"images\": {\n"
	"    \"web:1\": { \"startup\": \"10s\","
	" \"readinessProbe\": { \"periodSeconds\": 1 } },\n"
	"    \"web:2\": { \"startup\": \"10s\","
	" \"readinessProbe\": { \"periodSeconds\": 1 } } },\n"
	"  \"traffic\": { \"rate\": 100, \"arrivals\": \"constant\" },\n"
	"  \"events\": [ { \"at\": \"30s\", \"action\": \"setImage\","
	" \"image\": \"web:2\" } ] }\n";

Test(friction, requests_before_the_first_rollout)
{
	char *dir = cli_tmpdir(), path[512], args[700];
	const cJSON *b, *d, *r0;
	struct cli_result r;
	cJSON *s;
	double fails;

	snprintf(path, sizeof(path), "%s/before.json", dir);
	cr_assert_eq(cli_write(path, before_scenario), 0);
	snprintf(args, sizeof(args), "run %s --json", path);
	s = run_json(args);
	b = cJSON_GetObjectItem(cJSON_GetObjectItem(s, "requests"),
				"before_rollout");
	d = cJSON_GetObjectItem(cJSON_GetObjectItem(s, "requests"),
				"during_rollout");
	r0 = cJSON_GetArrayItem(cJSON_GetObjectItem(s, "rollouts"), 0);
	cr_assert(b && d && r0);
	fails = cli_json_number(b, "failed");
	cr_expect(fails >= 999 && fails <= 1100, "before: %g failed", fails);
	cr_expect_eq(cli_json_number(b, "errors.no_endpoint"), fails);
	/* arrivals in [0, 30 s): 3000, the one at 0 s and at 30 s aside */
	cr_expect(cli_json_number(b, "total") >= 2999 &&
		  cli_json_number(b, "total") <= 3001, "before: %g in all",
		  cli_json_number(b, "total"));
	cr_expect_eq(cli_json_number(b, "ok") + fails,
		     cli_json_number(b, "total"));
	/* the rollout's counts exclude them */
	cr_expect_eq(cli_json_number(d, "errors.no_endpoint"), 0);
	cr_expect_eq(cli_json_number(r0, "requests.errors.no_endpoint"), 0);
	cr_expect_leq(cli_json_number(b, "total") +
		      cli_json_number(d, "total"),
		      cli_json_number(s, "requests.total"));
	cr_expect_geq(cli_json_number(s, "requests.errors.no_endpoint"),
		      fails);
	cJSON_Delete(s);
	/* the human summary says so, with the same number */
	snprintf(args, sizeof(args), "run %s", path);
	cli_run(&r, args);
	snprintf(path, sizeof(path), "\n  %.0f requests failed before the "
		 "first rollout (the Deployment was starting)\n", fails);
	cr_expect(strstr(r.out, path) != NULL, "no \"%s\" in %s", path, r.out);
	cli_result_free(&r);
	/* without a rollout every request arrived before it */
	snprintf(args, sizeof(args), "run %s/before.json --set 'events=[]' "
		 "--json", dir);
	s = run_json(args);
	cr_expect_eq(cli_json_number(s, "requests.before_rollout.total"),
		     cli_json_number(s, "requests.total"));
	cr_expect_eq(cli_json_number(s, "requests.during_rollout.total"), 0);
	cJSON_Delete(s);
	cli_rmrf(dir);
	free(dir);
}

/* Shipped scenarios whose traffic starts once the pods are ready print
 * no such line: flask-app.json starts its traffic at 20 s. */
Test(friction, no_before_line_when_nothing_failed)
{
	struct cli_result r;

	cli_run(&r, "run scenarios/flask-app.json");
	cr_assert_eq(r.status, 0);
	cr_expect_null(strstr(r.out, "before the first rollout"), "%s", r.out);
	cli_result_free(&r);
}
