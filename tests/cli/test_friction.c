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
