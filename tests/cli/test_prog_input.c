/* test_prog_input.c - the progressive strategies at the command line:
 * `rollsim validate` of a scenario per strategy (tests/prog/), --set and
 * a sweep variant switching a RollingUpdate scenario to canary,
 * blueGreen and flagger (a variant that forgets to null "type" is an
 * invalid point), and --event promote going through the events reader
 * (refused on a Deployment strategy with exit 2 and one line).
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"

/* Runs args; expects status and, when out / err are not NULL, exactly
 * them on stdout / stderr. */
static void expect_run(const char *args, int status, const char *out,
		       const char *err)
{
	struct cli_result r;

	cli_run(&r, args);
	cr_expect_eq(r.status, status, "rollsim %s: exit %d, stderr: %s",
		     args, r.status, r.err ? r.err : "");
	if (out)
		cr_expect_str_eq(r.out ? r.out : "", out, "rollsim %s", args);
	if (err)
		cr_expect_str_eq(r.err ? r.err : "", err, "rollsim %s", args);
	cli_result_free(&r);
}

Test(prog_input, validate_one_scenario_per_strategy)
{
	expect_run("validate tests/prog/canary.json tests/prog/blue-green.json "
		   "tests/prog/flagger.json", 0,
		   "tests/prog/canary.json: ok\n"
		   "tests/prog/blue-green.json: ok\n"
		   "tests/prog/flagger.json: ok\n", "");
}

Test(prog_input, set_changes_a_step_and_switches_strategy)
{
	expect_run("validate tests/prog/canary.json "
		   "--set 'deployment.strategy.canary.steps[0].setWeight=30'",
		   0, "tests/prog/canary.json: ok\n", "");
	expect_run("validate tests/prog/canary.json "
		   "--set 'deployment.strategy.canary.steps[0].setWeight=120'",
		   2, "",
		   "tests/prog/canary.json: deployment.strategy."
		   "canary.steps[0].setWeight: expected an integer from 0 to "
		   "100, got 120\n");
	/* flask-app.json has strategy.type and rollingUpdate */
	expect_run("validate scenarios/flask-app.json "
		   "--set deployment.strategy.type=null "
		   "--set deployment.strategy.rollingUpdate=null "
		   "--set 'deployment.strategy.canary={\"steps\":"
		   "[{\"setWeight\":40},{\"pause\":{}}]}'",
		   0, "scenarios/flask-app.json: ok\n", "");
	expect_run("validate scenarios/flask-app.json "
		   "--set 'deployment.strategy.flagger={\"stepWeight\":5}'",
		   2, "",
		   "scenarios/flask-app.json: deployment.strategy: "
		   "expected one strategy, got both \"type\" and \"flagger\" "
		   "(set the other to null to switch)\n");
}

#define SWEEP_SCENARIO \
	"{\"deployment\":{\"image\":\"a\",\"replicas\":4,\"strategy\":" \
	"{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxSurge\":1}}}," \
	"\"images\":{\"a\":{},\"b\":{}},\"until\":\"5m\"," \
	"\"events\":[{\"at\":\"10s\",\"action\":\"setImage\"," \
	"\"image\":\"b\"}],\"sweep\":{\"variants\":[" \
	"{\"name\":\"rolling\"}," \
	"{\"name\":\"canary\",\"deployment\":{\"strategy\":{\"type\":null," \
	"\"rollingUpdate\":null,\"canary\":{\"steps\":[{\"setWeight\":25}," \
	"{\"pause\":{\"duration\":\"30s\"}}]}}}}," \
	"{\"name\":\"bg\",\"deployment\":{\"strategy\":{\"type\":null," \
	"\"rollingUpdate\":null,\"blueGreen\":{\"previewReplicaCount\":2}}}}," \
	"{\"name\":\"flagger\",\"deployment\":{\"strategy\":{\"type\":null," \
	"\"rollingUpdate\":null,\"flagger\":{\"stepWeight\":20}}}}," \
	"{\"name\":\"forgot-null\",\"deployment\":{\"strategy\":" \
	"{\"canary\":{}}}}]}}"

/* The variants are merge patches (RFC 7386: null deletes): three switch
 * the strategy, the fifth keeps "type" and is the one invalid point. */
Test(prog_input, sweep_variants_switch_strategy)
{
	struct cli_result r;

	cr_assert_eq(cli_run_text(&r, SWEEP_SCENARIO, "validate", ""), 0);
	cr_expect_eq(r.status, 0, "stderr: %s", r.err);
	cr_expect(strstr(r.out, ": ok (4 of 5 sweep points valid, 4 runs)\n")
		  != NULL, "stdout: %s", r.out);
	cli_result_free(&r);
}

Test(prog_input, event_promote_goes_through_the_reader)
{
	expect_run("validate tests/prog/canary.json", 0, NULL, NULL);
	expect_run("run scenarios/flask-app.json "
		   "--event '{\"at\":\"30s\",\"action\":\"promote\"}'", 2, "",
		   "--event[0]: action: \"promote\" needs a canary, "
		   "blueGreen or flagger strategy\n");
	expect_run("run tests/prog/blue-green.json "
		   "--event '{\"at\":\"30s\",\"action\":\"promote\","
		   "\"ful\":true}'", 2, "",
		   "--event[0]: unknown key \"ful\" (did you mean "
		   "\"full\"?)\n");
}
