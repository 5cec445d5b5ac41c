/* test_delivery.c - a bad release under each delivery strategy, end to
 * end: the same service, traffic and seed (common random numbers), the
 * Deployment's RollingUpdate against Argo's canary and blueGreen and
 * Flagger, each guarded by an analysis of the success rate.
 *
 * The bad version fails 10 % of its requests. At 200 requests/s, a
 * RollingUpdate hands it all the traffic within ~20 s of the trigger and
 * keeps it there for the rest of the 6-minute run: about 0.1 x 200 x 320
 * = 6,400 failed requests. A canary at 20 % with an analysis every 20 s
 * sees 10 % failures at its first measurement (failureLimit 0), aborts,
 * and drains the canary: a few hundred requests reach the bad version at
 * most. The bounds below are loose multiples of those estimates.
 * Both versions have a readiness probe: without one a new pod is Ready
 * before its app is up, refuses its first requests, and the canary's
 * analysis rightly fails even the good release.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <criterion/criterion.h>

#include "cli_util.h"

#define SCENARIO_FMT \
	"{ \"name\": \"bad-release\", \"seed\": 7, \"until\": \"6m\",\n" \
	"  \"deployment\": { \"name\": \"web\", \"replicas\": 10,\n" \
	"    \"strategy\": %s, \"image\": \"web:1\" },\n" \
	"  \"images\": {\n" \
	"    \"web:1\": { \"pull\": {\"dist\": \"constant\", \"value\": \"2s\"},\n" \
	"      \"startup\": {\"dist\": \"constant\", \"value\": \"1s\"},\n" \
	"      \"shutdown\": {\"dist\": \"constant\", \"value\": \"0s\"},\n" \
	"      \"preStopSleep\": \"2s\", \"concurrency\": 8,\n" \
	"      \"readinessProbe\": {\"periodSeconds\": 1},\n" \
	"      \"serviceTime\": {\"dist\": \"exponential\", \"mean\": \"20ms\"} },\n" \
	"    \"web:2\": { \"pull\": {\"dist\": \"constant\", \"value\": \"2s\"},\n" \
	"      \"startup\": {\"dist\": \"constant\", \"value\": \"1s\"},\n" \
	"      \"shutdown\": {\"dist\": \"constant\", \"value\": \"0s\"},\n" \
	"      \"preStopSleep\": \"2s\", \"concurrency\": 8,\n" \
	"      \"readinessProbe\": {\"periodSeconds\": 1},\n" \
	"      \"errorRate\": %s,\n" \
	"      \"serviceTime\": {\"dist\": \"exponential\", \"mean\": \"20ms\"} } },\n" \
	"  \"network\": { \"endpointPropagation\": {\"dist\": \"constant\", \"value\": \"500ms\"} },\n" \
	"  \"traffic\": { \"rate\": 200, \"start\": \"0s\", \"timeout\": \"2s\" },\n" \
	"  \"events\": [ {\"at\": \"30s\", \"action\": \"setImage\", \"image\": \"web:2\"} ] }\n"

#define SUCCESS_METRIC \
	"{\"name\": \"success\", \"measure\": \"successRate\", " \
	"\"thresholdRange\": {\"min\": 99}, \"interval\": \"20s\"}"

static const char *const rolling = "{\"type\": \"RollingUpdate\"}";
static const char *const canary =
	"{\"canary\": {\"steps\": [{\"setWeight\": 20}, {\"pause\": "
	"{\"duration\": \"60s\"}}, {\"setWeight\": 50}, {\"pause\": "
	"{\"duration\": \"60s\"}}], \"analysis\": {\"metrics\": ["
	SUCCESS_METRIC "]}}}";
static const char *const bluegreen =
	"{\"blueGreen\": {\"activeService\": \"web\", \"previewService\": "
	"\"web-preview\", \"postPromotionAnalysis\": {\"metrics\": [{"
	"\"name\": \"success\", \"measure\": \"successRate\", "
	"\"thresholdRange\": {\"min\": 99}, \"interval\": \"20s\", "
	"\"count\": 3}]}}}";
static const char *const flagger =
	"{\"flagger\": {\"interval\": \"20s\", \"threshold\": 1, "
	"\"stepWeight\": 20, \"maxWeight\": 60, \"metrics\": [{\"name\": "
	"\"request-success-rate\", \"thresholdRange\": {\"min\": 99}, "
	"\"interval\": \"20s\"}]}}";

/* Runs the scenario with strategy and errorRate; the summary or NULL. */
static cJSON *run(const char *strategy, const char *error_rate)
{
	struct cli_result r;
	char *text;
	size_t n = strlen(SCENARIO_FMT) + strlen(strategy) + 64;
	cJSON *j = NULL;

	text = malloc(n);
	cr_assert(text);
	snprintf(text, n, SCENARIO_FMT, strategy, error_rate);
	cr_assert_eq(cli_run_text(&r, text, "run", "--json"), 0);
	cr_expect_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	if (r.status == 0)
		j = cJSON_Parse(r.out);
	cli_result_free(&r);
	free(text);
	cr_assert(j, "no summary");
	return j;
}

static double num(const cJSON *j, const char *path)
{
	return cli_json_number(j, path);
}

Test(delivery, rolling_update_ships_the_bad_release_to_everyone)
{
	cJSON *j = run(rolling, "0.1");

	/* ~6,400 expected (see the top of the file) */
	cr_expect_gt(num(j, "exposure.new_failed"), 4000);
	cr_expect_eq(cli_json_bool(j, "delivery.aborted"), 0);
	cr_expect_eq(cli_json_bool(j, "delivery.promoted"), 1);
	cJSON_Delete(j);
}

/* The strategy's failed requests caused by the new version, as a
 * fraction of the RollingUpdate's under the same seed. */
static void caught(const char *strategy, double max_share,
		   double max_detect_s)
{
	cJSON *roll = run(rolling, "0.1");
	cJSON *j = run(strategy, "0.1");
	double bad = num(j, "exposure.new_failed");
	double ref = num(roll, "exposure.new_failed");

	cr_expect_eq(cli_json_bool(j, "delivery.aborted"), 1, "not aborted");
	cr_expect_eq(cli_json_bool(j, "delivery.promoted"), 0, "promoted");
	cr_expect_leq(num(j, "delivery.time_to_detect_s"), max_detect_s);
	cr_expect_geq(num(j, "delivery.time_to_rollback_s"),
		      num(j, "delivery.time_to_detect_s"));
	cr_expect_gt(bad, 0, "the analysis saw failures: some reached users");
	cr_expect_lt(bad, max_share * ref, "%g failed vs %g with RollingUpdate",
		     bad, ref);
	cJSON_Delete(j);
	cJSON_Delete(roll);
}

/* Analysis starts with the first step; the canary is Ready ~3 s after the
 * trigger; the first measurement 20 s after the start fails. */
Test(delivery, canary_aborts_a_bad_release)
{
	caught(canary, 0.1, 30);
}

/* The switch comes once the preview is available (~3 s), the
 * post-promotion analysis fails at its first measurement 20 s later and
 * the active Service goes back to the stable pods, still running. */
Test(delivery, blue_green_rolls_back_after_the_switch)
{
	caught(bluegreen, 0.25, 40);
}

/* Flagger: detect (tick 1), canary ready; tick 2 starts the analysis
 * at weight 20; tick 3's check fails, threshold 1 reached; tick 4 rolls
 * back. */
Test(delivery, flagger_rolls_back_a_bad_release)
{
	caught(flagger, 0.25, 100);
}

/* A good release goes through every strategy without an abort. */
Test(delivery, good_release_is_promoted_by_every_strategy)
{
	const char *const all[] = { rolling, canary, bluegreen, flagger };
	size_t i;

	for (i = 0; i < sizeof(all) / sizeof(*all); i++) {
		cJSON *j = run(all[i], "0");

		cr_expect_eq(cli_json_bool(j, "delivery.promoted"), 1,
			     "strategy %zu not promoted", i);
		cr_expect_eq(cli_json_bool(j, "delivery.aborted"), 0,
			     "strategy %zu aborted", i);
		cr_expect_eq(num(j, "requests.errors.app_error"), 0);
		cJSON_Delete(j);
	}
}

/* The canary's pauses: promotion no sooner than the two 60 s pauses. */
Test(delivery, canary_promotes_after_its_pauses)
{
	cJSON *j = run(canary, "0");

	cr_expect_geq(num(j, "delivery.time_to_promote_s"), 120);
	cr_expect_lt(num(j, "delivery.time_to_promote_s"), 180);
	cJSON_Delete(j);
}
