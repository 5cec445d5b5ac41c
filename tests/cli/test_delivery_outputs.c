/* test_delivery_outputs.c - the outputs of a bad release through the
 * command line: summary.json's exposure, delivery and cost keys and the
 * app_error counts, traffic.csv's app_error column (only when a release
 * has an errorRate), runs.csv's new columns, the printed exposure line,
 * and the loader's errors for errorRate and serviceTimeFactor.
 *
 * The scenario: 4 replicas of web:1, a setImage to web:2 at 20 s, web:2
 * failing 20 % of the requests it serves (errorRate 0.2), Poisson
 * traffic at 50/s from 5 s. JSON in this file is written with ' for ".
 */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"

#define SCN(web2, more) \
	"{'name':'bad','until':'2m','seed':7," \
	"'deployment':{'name':'web','replicas':4,'image':'web:1'}," \
	"'images':{'web:1':{'pull':'2s'},'web:2':{'pull':'2s'" web2 "}}," \
	"'traffic':{'rate':50,'start':'5s'}," \
	"'events':[{'at':'20s','action':'setImage','image':'web:2'}]" \
	more "}"

/* ' -> " in place. */
static char *dq(const char *sq)
{
	char *s = strdup(sq), *c;

	cr_assert_not_null(s);
	for (c = s; *c; c++)
		if (*c == '\'')
			*c = '"';
	return s;
}

/* args with its first "%s" replaced by dir. */
static void expand_dir(char *out, size_t n, const char *args,
		       const char *dir)
{
	const char *p = strstr(args, "%s");

	if (!p)
		snprintf(out, n, "%s", args);
	else
		snprintf(out, n, "%.*s%s%s", (int)(p - args), args, dir,
			 p + 2);
}

/* Writes the scenario into a fresh directory and runs "CMD FILE ARGS"
 * (%s in args is the directory). Returns the directory (malloc'ed). */
static char *run_in_dir(struct cli_result *r, const char *sq,
			const char *cmd, const char *args)
{
	char *dir = cli_tmpdir(), *text = dq(sq), file[1200], a[1400];
	char line[3000];

	cr_assert_not_null(dir);
	snprintf(file, sizeof(file), "%s/s.json", dir);
	cr_assert_eq(cli_write(file, text), 0);
	free(text);
	expand_dir(a, sizeof(a), args, dir);
	snprintf(line, sizeof(line), "%s %s %s", cmd, file, a);
	cli_run(r, line);
	return dir;
}

static cJSON *read_json(const char *dir, const char *name)
{
	char path[1300], *text;
	cJSON *j;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	text = cli_slurp(path, NULL);
	cr_assert_not_null(text, "no %s", path);
	j = cJSON_Parse(text);
	free(text);
	cr_assert_not_null(j, "%s is not JSON", path);
	return j;
}

static const cJSON *at(const cJSON *root, const char *dotted)
{
	char buf[256], *key, *save = NULL;
	const cJSON *o = root;

	snprintf(buf, sizeof(buf), "%s", dotted);
	for (key = strtok_r(buf, ".", &save); key && o;
	     key = strtok_r(NULL, ".", &save))
		o = cJSON_GetObjectItemCaseSensitive(o, key);
	return o;
}

static void expect_number(const cJSON *s, const char *key)
{
	cr_expect(cJSON_IsNumber(at(s, key)), "%s is not a number", key);
}

/* ------------------------------------------------------- summary.json */

Test(delivery_outputs, summary_has_every_new_key_with_its_type)
{
	static const char *const numbers[] = {
		"exposure.new_requests",
		"exposure.new_requests_before_promotion",
		"exposure.new_failed", "exposure.new_share",
		"delivery.time_to_promote_s", "delivery.measurements",
		"delivery.failed_measurements", "cost.extra_pod_seconds",
		"requests.errors.app_error",
		"requests.first_try.errors.app_error",
		"requests.during_rollout.errors.app_error",
		"requests.during_rollout.first_try.errors.app_error",
		"requests.before_rollout.errors.app_error",
	};
	struct cli_result r;
	char *dir = run_in_dir(&r, SCN(",'errorRate':0.2", ""), "run",
			       "--out %s/o");
	cJSON *s;
	const cJSON *ro;
	size_t i;
	double app, nreq, nfail, share, total;

	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	s = read_json(dir, "o/summary.json");
	for (i = 0; i < sizeof(numbers) / sizeof(*numbers); i++)
		expect_number(s, numbers[i]);
	cr_expect_str_eq(cJSON_GetStringValue(at(s, "deployment.strategy")),
			 "RollingUpdate");
	cr_expect(cJSON_IsTrue(at(s, "delivery.promoted")));
	cr_expect(cJSON_IsFalse(at(s, "delivery.aborted")));
	/* a Deployment has no analysis: nothing detected, nothing rolled
	 * back; its promotion is its rollout's completion */
	cr_expect(cJSON_IsNull(at(s, "delivery.time_to_detect_s")));
	cr_expect(cJSON_IsNull(at(s, "delivery.time_to_rollback_s")));
	cr_expect_float_eq(cli_json_number(s, "delivery.time_to_promote_s"),
			   cli_json_number(s, "rollout.duration_s"), 1e-9);
	cr_expect_eq(cli_json_number(s, "delivery.measurements"), 0);
	ro = cJSON_GetArrayItem(at(s, "rollouts"), 0);
	cr_expect(cJSON_IsNumber(at(ro, "requests.errors.app_error")),
		  "rollouts[0].requests.errors.app_error");
	/* web:1 never fails by itself here (no errorRate, pods Ready before
	 * the traffic, maxUnavailable keeps endpoints): every app error is
	 * one of web:2's failures, and new_share is the new version's part
	 * of all requests */
	app = cli_json_number(s, "requests.errors.app_error");
	nreq = cli_json_number(s, "exposure.new_requests");
	nfail = cli_json_number(s, "exposure.new_failed");
	share = cli_json_number(s, "exposure.new_share");
	total = cli_json_number(s, "requests.total");
	cr_expect_gt(app, 0);
	cr_expect_geq(nfail, app);
	cr_expect_gt(nreq, nfail);
	cr_expect_float_eq(share, nreq / total, 1e-9);
	cr_expect_leq(cli_json_number(s, "exposure.new_requests_before_"
					 "promotion"), nreq);
	/* maxSurge 25 % of 4 = 1: some extra pod time */
	cr_expect_gt(cli_json_number(s, "cost.extra_pod_seconds"), 0);
	cJSON_Delete(s);
	cli_result_free(&r);
	cli_rmrf(dir);
	free(dir);
}

/* The printed summary names what the new version's users saw. */
Test(delivery_outputs, the_printed_summary_has_an_exposure_line)
{
	struct cli_result r;
	char *dir = run_in_dir(&r, SCN(",'errorRate':0.2", ""), "run", "");

	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cr_expect_not_null(strstr(r.out, "  exposure       "), "%s", r.out);
	cr_expect_not_null(strstr(r.out, "requests to the new version"),
			   "%s", r.out);
	cr_expect_not_null(strstr(r.out, "app_error"), "%s", r.out);
	cli_result_free(&r);
	cli_rmrf(dir);
	free(dir);
}

/* --------------------------------------------------------- traffic.csv */

struct csv_sum {
	int rows, bad_rows, fields;
	double app_error;            /* sum of the 13th column */
};

static void scan_traffic(const char *dir, char *header, size_t n,
			 struct csv_sum *t)
{
	char path[1300], *text, *line, *save = NULL, *c;
	int k;

	snprintf(path, sizeof(path), "%s/o/traffic.csv", dir);
	text = cli_slurp(path, NULL);
	cr_assert_not_null(text, "no %s", path);
	memset(t, 0, sizeof(*t));
	line = strtok_r(text, "\n", &save);
	cr_assert_not_null(line);
	snprintf(header, n, "%s", line);
	for (c = line, t->fields = 1; *c; c++)
		t->fields += *c == ',';
	while ((line = strtok_r(NULL, "\n", &save))) {
		for (c = line, k = 1; *c; c++)
			k += *c == ',';
		t->rows++;
		t->bad_rows += k != t->fields;
		if (k == 13)
			t->app_error += atof(strrchr(line, ',') + 1);
	}
	free(text);
}

#define TRAFFIC12 \
	"time_s,requests,ok,no_endpoint,refused,overload,timeout,reset," \
	"p50_ms,p99_ms,in_flight,endpoints"

/* With an errorRate: app_error at the end; its column adds up to the
 * summary's count (each request's final outcome is counted in the second
 * it is decided). */
Test(delivery_outputs, traffic_csv_has_app_error_with_an_error_rate)
{
	struct cli_result r;
	char *dir = run_in_dir(&r, SCN(",'errorRate':0.2", ""), "run",
			       "--out %s/o");
	char header[512];
	struct csv_sum t;
	cJSON *s;

	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	scan_traffic(dir, header, sizeof(header), &t);
	cr_expect_str_eq(header, TRAFFIC12 ",app_error");
	cr_expect_eq(t.fields, 13);
	cr_expect_eq(t.bad_rows, 0);
	cr_expect_eq(t.rows, 115);      /* seconds 5 to 119 */
	s = read_json(dir, "o/summary.json");
	cr_expect_float_eq(t.app_error,
			   cli_json_number(s, "requests.errors.app_error"),
			   1e-9);
	cJSON_Delete(s);
	cli_result_free(&r);
	cli_rmrf(dir);
	free(dir);
}

/* Without one (also with errorRate 0 written out, or a slower release):
 * the contract's twelve columns exactly. */
Test(delivery_outputs, traffic_csv_keeps_twelve_columns_without)
{
	static const char *const variants[] = { "", ",'errorRate':0",
						",'serviceTimeFactor':3" };
	size_t i;

	for (i = 0; i < sizeof(variants) / sizeof(*variants); i++) {
		struct cli_result r;
		char scn[1024], header[512];
		struct csv_sum t;
		char *dir;

		snprintf(scn, sizeof(scn), SCN("%s", ""), variants[i]);
		dir = run_in_dir(&r, scn, "run", "--out %s/o");
		cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
		scan_traffic(dir, header, sizeof(header), &t);
		cr_expect_str_eq(header, TRAFFIC12, "variant '%s'",
				 variants[i]);
		cr_expect_eq(t.bad_rows, 0);
		cli_result_free(&r);
		cli_rmrf(dir);
		free(dir);
	}
}

/* The deployment's own errorRate key, or an apply that sets one, makes a
 * release with errors too: the column is there. An apply of errorRate is
 * a template change: a rollout of its own. */
Test(delivery_outputs, deployment_and_apply_error_rates_add_the_column)
{
	struct cli_result r;
	char header[512];
	struct csv_sum t;
	char *dir;
	cJSON *s;

	dir = run_in_dir(&r,
			 "{'until':'1m','deployment':{'name':'web','replicas':2,"
			 "'image':'web:1','errorRate':0.1},'images':{'web:1':{}},"
			 "'traffic':{'rate':20}}", "run", "--out %s/o");
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	scan_traffic(dir, header, sizeof(header), &t);
	cr_expect_str_eq(header, TRAFFIC12 ",app_error");
	cr_expect_gt(t.app_error, 0);
	cli_result_free(&r);
	cli_rmrf(dir);
	free(dir);

	dir = run_in_dir(&r,
			 "{'until':'1m','deployment':{'name':'web','replicas':2,"
			 "'image':'web:1'},'images':{'web:1':{}},"
			 "'traffic':{'rate':20},'events':[{'at':'10s',"
			 "'action':'apply','deployment':{'errorRate':0.5}}]}",
			 "run", "--out %s/o");
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	scan_traffic(dir, header, sizeof(header), &t);
	cr_expect_str_eq(header, TRAFFIC12 ",app_error");
	s = read_json(dir, "o/summary.json");
	cr_expect_eq(cJSON_GetArraySize(at(s, "rollouts")), 1);
	cr_expect_eq(cli_json_number(s, "rollout.revision"), 2);
	cr_expect_gt(cli_json_number(s, "exposure.new_failed"), 0);
	cJSON_Delete(s);
	cli_result_free(&r);
	cli_rmrf(dir);
	free(dir);
}

/* retries.on may name app_error (not retried by default): then a failed
 * try is tried again and fewer requests end in app_error than first
 * tries did. */
Test(delivery_outputs, app_errors_are_retried_only_when_asked)
{
	struct cli_result r;
	char *dir;
	cJSON *s;

	dir = run_in_dir(&r,
			 "{'until':'1m','deployment':{'name':'web','replicas':2,"
			 "'image':'web:1'},'images':{'web:1':{'errorRate':0.5}},"
			 "'traffic':{'rate':50,'retries':{'count':2,'on':"
			 "['app_error']}}}", "run", "--json");
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	s = cJSON_Parse(r.out);
	cr_assert_not_null(s);
	cr_expect_gt(cli_json_number(s, "requests.first_try.errors.app_error"),
		     cli_json_number(s, "requests.errors.app_error"));
	cr_expect_gt(cli_json_number(s, "requests.attempts"),
		     cli_json_number(s, "requests.total"));
	cJSON_Delete(s);
	cli_result_free(&r);
	cli_rmrf(dir);
	free(dir);

	dir = run_in_dir(&r,
			 "{'until':'1m','deployment':{'name':'web','replicas':2,"
			 "'image':'web:1'},'images':{'web:1':{'errorRate':0.5}},"
			 "'traffic':{'rate':50,'retries':{'count':2}}}", "run",
			 "--json");
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	s = cJSON_Parse(r.out);
	cr_assert_not_null(s);
	cr_expect_eq(cli_json_number(s, "requests.first_try.errors.app_error"),
		     cli_json_number(s, "requests.errors.app_error"));
	cJSON_Delete(s);
	cli_result_free(&r);
	cli_rmrf(dir);
	free(dir);
}

/* ------------------------------------------------------------ runs.csv */

Test(delivery_outputs, runs_csv_has_the_new_columns)
{
	static const char *const cols[] = {
		"requests.errors.app_error", "exposure.new_requests",
		"exposure.new_requests_before_promotion",
		"exposure.new_failed", "exposure.new_share",
		"delivery.promoted", "delivery.time_to_promote_s",
		"delivery.aborted", "delivery.time_to_detect_s",
		"delivery.time_to_rollback_s", "delivery.measurements",
		"delivery.failed_measurements", "cost.extra_pod_seconds",
	};
	struct cli_result r;
	char *dir = run_in_dir(&r, SCN(",'errorRate':0.2", ""), "sweep",
			       "--quiet --out %s/o --set 'sweep={"
			       "\"replications\":2,\"vary\":"
			       "{\"deployment.replicas\":[2,4]}}'");
	char path[1300], *text, *nl, head[8192];
	size_t i;

	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	snprintf(path, sizeof(path), "%s/o/runs.csv", dir);
	text = cli_slurp(path, NULL);
	cr_assert_not_null(text, "no %s", path);
	nl = strchr(text, '\n');
	cr_assert_not_null(nl);
	snprintf(head, sizeof(head), ",%.*s,", (int)(nl - text), text);
	for (i = 0; i < sizeof(cols) / sizeof(*cols); i++) {
		char want[128];

		snprintf(want, sizeof(want), ",%s,", cols[i]);
		cr_expect_not_null(strstr(head, want), "runs.csv lacks %s",
				   cols[i]);
	}
	free(text);
	cli_result_free(&r);
	cli_rmrf(dir);
	free(dir);
}

/* -------------------------------------------------------------- errors */

/* One line, exit 2, nothing written. */
static void expect_error(const char *sq, const char *want)
{
	struct cli_result r;
	char *dir = run_in_dir(&r, sq, "run", "--out %s/o"), path[1300];
	FILE *f;

	cr_expect_eq(r.status, 2, "exit %d: %s", r.status, r.err);
	cr_expect_not_null(strstr(r.err, want), "stderr: %s\nwant: %s",
			   r.err, want);
	cr_expect_eq(strchr(r.err, '\n'), r.err + strlen(r.err) - 1,
		     "not one line: %s", r.err);
	snprintf(path, sizeof(path), "%s/o", dir);
	f = fopen(path, "r");
	cr_expect_null(f, "%s was written", path);
	if (f)
		fclose(f);
	cli_result_free(&r);
	cli_rmrf(dir);
	free(dir);
}

Test(delivery_outputs, bad_values_are_refused)
{
	expect_error(SCN(",'errorRate':1.5", ""),
		     "s.json: images.web:2.errorRate: expected a probability "
		     "between 0 and 1, got 1.5");
	expect_error(SCN(",'errorRate':'5%'", ""),
		     "s.json: images.web:2.errorRate: expected a probability "
		     "between 0 and 1, got \"5%\"");
	expect_error(SCN(",'serviceTimeFactor':0", ""),
		     "s.json: images.web:2.serviceTimeFactor: expected a "
		     "number greater than 0, got 0");
	expect_error("{'deployment':{'image':'a','errorRate':-0.1},"
		     "'images':{'a':{}}}",
		     "s.json: deployment.errorRate: expected a probability "
		     "between 0 and 1, got -0.1");
}

/* ------------------------------------------- the progressive strategies */

/* summary.json of a shipped scenario run with extra arguments. */
static cJSON *run_shipped(const char *scenario, const char *args)
{
	char cmd[1200];
	struct cli_result r;
	cJSON *s;

	snprintf(cmd, sizeof(cmd), "run scenarios/%s.json --json %s", scenario,
		 args);
	cli_run(&r, cmd);
	cr_assert_eq(r.status, 0, "%s: exit %d: %s", cmd, r.status, r.err);
	s = cJSON_Parse(r.out);
	cr_assert_not_null(s, "%s: not JSON", cmd);
	cli_result_free(&r);
	return s;
}

/* A good release is promoted by each controller, nothing aborted. */
Test(delivery_outputs, progressive_controllers_report_their_promotion)
{
	static const char *const names[] = { "canary", "blue-green",
					     "flagger" };
	size_t i;

	for (i = 0; i < 3; i++) {
		cJSON *s = run_shipped(names[i], "");

		cr_expect(cJSON_IsTrue(at(s, "delivery.promoted")), "%s",
			  names[i]);
		cr_expect(cJSON_IsFalse(at(s, "delivery.aborted")), "%s",
			  names[i]);
		cr_expect_gt(cli_json_number(s, "delivery.time_to_promote_s"),
			     0, "%s", names[i]);
		cr_expect(cJSON_IsNull(at(s, "delivery.time_to_detect_s")),
			  "%s", names[i]);
		cJSON_Delete(s);
	}
}

/* Flagger's analysis catches a release failing 30 % of its requests:
 * the check that reaches the threshold is the detection, and the same
 * tick sets the canary's weight to 0 (scheduler.go rollback), so the
 * rollback has the detection's time; the new version saw a part of the
 * traffic only. */
Test(delivery_outputs, flagger_detects_and_rolls_back_a_bad_release)
{
	cJSON *s = run_shipped("flagger",
			       "--set 'images[\"podinfo:2.0\"].errorRate=0.3'");
	double detect = cli_json_number(s, "delivery.time_to_detect_s");

	cr_expect(cJSON_IsTrue(at(s, "delivery.aborted")));
	cr_expect(cJSON_IsFalse(at(s, "delivery.promoted")));
	cr_expect_gt(detect, 0);
	cr_expect_float_eq(cli_json_number(s, "delivery.time_to_rollback_s"),
			   detect, 1e-9);
	cr_expect_geq(cli_json_number(s, "delivery.failed_measurements"), 1);
	cr_expect_lt(cli_json_number(s, "exposure.new_share"), 0.5);
	cr_expect_gt(cli_json_number(s, "exposure.new_failed"), 0);
	cJSON_Delete(s);
}

/* A user's abort is no detection: aborted, rolled back, detection null.
 * blueGreen aborted at 70 s, before the active Service switched (the
 * preview is not Ready before 60 s + its start): users never reached the
 * new version, the rollback is the abort itself, 10 s after the
 * trigger. The canary aborted at 90 s is rolled back once its pods are
 * gone, after the abort. */
Test(delivery_outputs, a_user_abort_rolls_back_without_detection)
{
	cJSON *s = run_shipped("blue-green",
			       "--event '{\"at\":\"70s\",\"action\":\"abort\"}'");

	cr_expect(cJSON_IsTrue(at(s, "delivery.aborted")));
	cr_expect(cJSON_IsNull(at(s, "delivery.time_to_detect_s")));
	cr_expect_float_eq(cli_json_number(s, "delivery.time_to_rollback_s"),
			   10.0, 1e-9);
	cr_expect_eq(cli_json_number(s, "exposure.new_requests"), 0);
	cJSON_Delete(s);
	s = run_shipped("canary",
			"--event '{\"at\":\"90s\",\"action\":\"abort\"}'");
	cr_expect(cJSON_IsTrue(at(s, "delivery.aborted")));
	cr_expect(cJSON_IsNull(at(s, "delivery.time_to_detect_s")));
	cr_expect_geq(cli_json_number(s, "delivery.time_to_rollback_s"), 30.0);
	cr_expect(cJSON_IsFalse(at(s, "delivery.promoted")));
	cJSON_Delete(s);
}
