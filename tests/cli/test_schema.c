/* test_schema.c - the keys of summary.json and the header of traffic.csv
 * against README.md's Outputs section.
 *
 * One small run (2 replicas, traffic, one rollout that completes while
 * requests arrive) writes its files; every key of summary.json must be in
 * the table below, transcribed from README's list, with the JSON type the
 * README gives it, and every key of the table must be there. A renamed,
 * retyped, added or dropped key fails the test; so does a change of
 * traffic.csv's column list.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"

enum jtype { J_NUM, J_STR, J_BOOL, J_NULL, J_OBJ, J_ARR, J_NUM_MAP };

struct key_row {
	const char *path;  /* dotted; "[]" stands for every array element */
	enum jtype type;
};

/* The scenario's rollout completes (web:2 pulls for 3 s) and requests
 * arrive during it, so no documented time or latency is null here. */
static const char scenario[] =
	"{ \"until\": \"1m\", \"seed\": 3,\n"
	"  \"deployment\": { \"name\": \"web\", \"replicas\": 2,"
	" \"image\": \"web:1\" },\n"
	"  \"images\": { \"web:1\": {},"
	" \"web:2\": { \"pull\": \"3s\" } },\n"
	"  \"traffic\": { \"rate\": 20 },\n"
	"  \"events\": [ { \"at\": \"10s\", \"action\": \"setImage\","
	" \"image\": \"web:2\" } ] }\n";

#define ERRS(p) \
	{ p ".errors", J_OBJ }, { p ".errors.no_endpoint", J_NUM }, \
	{ p ".errors.refused", J_NUM }, { p ".errors.overload", J_NUM }, \
	{ p ".errors.timeout", J_NUM }, { p ".errors.reset", J_NUM }, \
	{ p ".errors.app_error", J_NUM }

/* requests.* and requests.during_rollout.*: the same keys, but
 * aggregated and mean_in_flight only at the top. */
#define REQS(p) \
	{ p, J_OBJ }, { p ".total", J_NUM }, { p ".ok", J_NUM }, \
	{ p ".failed", J_NUM }, { p ".success_ratio", J_NUM }, \
	{ p ".attempts", J_NUM }, ERRS(p), \
	{ p ".first_try", J_OBJ }, { p ".first_try.ok", J_NUM }, \
	{ p ".first_try.failed", J_NUM }, ERRS(p ".first_try"), \
	{ p ".latency_ms", J_OBJ }, { p ".latency_ms.mean", J_NUM }, \
	{ p ".latency_ms.p50", J_NUM }, { p ".latency_ms.p90", J_NUM }, \
	{ p ".latency_ms.p99", J_NUM }, { p ".latency_ms.max", J_NUM }

/* The rollout's fields in "rollout" and in each "rollouts" entry. */
#define ROLLOUT(p) \
	{ p ".revision", J_NUM }, { p ".triggered_s", J_NUM }, \
	{ p ".completed_s", J_NUM }, { p ".duration_s", J_NUM }, \
	{ p ".complete", J_BOOL }, { p ".progress_deadline_exceeded", J_BOOL }

static const struct key_row summary_rows[] = {
	/* README.md, Outputs, summary.json, in its order */
	{ "scenario", J_STR }, { "seed", J_NUM }, { "replication", J_NUM },
	{ "until_s", J_NUM },
	{ "deployment", J_OBJ }, { "deployment.strategy", J_STR },
	{ "deployment.replicas", J_NUM },
	{ "deployment.max_surge", J_NUM },
	{ "deployment.max_unavailable", J_NUM },
	{ "rollout", J_OBJ }, ROLLOUT("rollout"),
	{ "rollout.progressing", J_OBJ },
	{ "rollout.progressing.status", J_STR },
	{ "rollout.progressing.reason", J_STR },
	{ "rollout.available", J_OBJ },
	{ "rollout.available.status", J_STR },
	{ "rollout.available.reason", J_STR },
	{ "rollouts", J_ARR }, { "rollouts[]", J_OBJ }, ROLLOUT("rollouts[]"),
	{ "rollouts[].min_available", J_NUM },
	{ "rollouts[].max_non_terminating", J_NUM },
	{ "rollouts[].requests", J_OBJ }, { "rollouts[].requests.total", J_NUM },
	{ "rollouts[].requests.failed", J_NUM }, ERRS("rollouts[].requests"),
	{ "pods", J_OBJ }, { "pods.max_total", J_NUM },
	{ "pods.max_non_terminating", J_NUM }, { "pods.min_available", J_NUM },
	{ "pods.pod_seconds", J_NUM }, { "pods.created", J_NUM },
	{ "pods.restarts", J_NUM }, { "pods.max_pending", J_NUM },
	{ "pods.pod_seconds_by_revision", J_NUM_MAP },
	{ "availability", J_OBJ }, { "availability.time_full", J_NUM },
	{ "availability.time_below_min", J_NUM },
	{ "availability.mean_available", J_NUM },
	{ "availability.mean_endpoints", J_NUM },
	REQS("requests"), { "requests.unfinished", J_NUM },
	{ "requests.aggregated", J_NUM },
	{ "requests.mean_in_flight", J_NUM },
	REQS("requests.during_rollout"),
	{ "requests.during_rollout.unfinished", J_NUM },
	{ "requests.before_rollout", J_OBJ },
	{ "requests.before_rollout.total", J_NUM },
	{ "requests.before_rollout.ok", J_NUM },
	{ "requests.before_rollout.failed", J_NUM },
	ERRS("requests.before_rollout"),
	/* a Deployment: no analysis, so no detection and no rollback */
	{ "exposure", J_OBJ }, { "exposure.new_requests", J_NUM },
	{ "exposure.new_requests_before_promotion", J_NUM },
	{ "exposure.new_failed", J_NUM }, { "exposure.new_share", J_NUM },
	{ "delivery", J_OBJ }, { "delivery.promoted", J_BOOL },
	{ "delivery.time_to_promote_s", J_NUM },
	{ "delivery.aborted", J_BOOL }, { "delivery.time_to_detect_s", J_NULL },
	{ "delivery.time_to_rollback_s", J_NULL },
	{ "delivery.measurements", J_NUM },
	{ "delivery.failed_measurements", J_NUM },
	{ "cost", J_OBJ }, { "cost.extra_pod_seconds", J_NUM },
	{ "events", J_OBJ }, { "events.total", J_NUM },
};

#define N_ROWS (sizeof(summary_rows) / sizeof(*summary_rows))

static const char *const type_names[] = {
	"number", "string", "bool", "null", "object", "array",
	"object of numbers"
};

static enum jtype type_of(const cJSON *o)
{
	if (cJSON_IsNumber(o))
		return J_NUM;
	if (cJSON_IsString(o))
		return J_STR;
	if (cJSON_IsBool(o))
		return J_BOOL;
	if (cJSON_IsArray(o))
		return J_ARR;
	if (cJSON_IsObject(o))
		return J_OBJ;
	return J_NULL;
}

/* Checks o (at path) against the table; seen[] marks the rows met. */
static void walk(const cJSON *o, const char *path, int *seen)
{
	const cJSON *c;
	char sub[256];
	size_t i;

	for (i = 0; i < N_ROWS && strcmp(summary_rows[i].path, path); i++)
		;
	cr_assert_lt(i, N_ROWS, "summary.json: undocumented key %s", path);
	seen[i] = 1;
	if (summary_rows[i].type == J_NUM_MAP) {
		cr_assert(cJSON_IsObject(o), "%s is not an object", path);
		cr_assert_not_null(o->child, "%s is empty", path);
		for (c = o->child; c; c = c->next)
			cr_expect(cJSON_IsNumber(c), "%s.%s is not a number",
				  path, c->string);
		return;
	}
	cr_assert_eq(type_of(o), summary_rows[i].type, "%s: %s, want %s",
		     path, type_names[type_of(o)],
		     type_names[summary_rows[i].type]);
	if (!cJSON_IsObject(o) && !cJSON_IsArray(o))
		return;
	cr_assert_not_null(o->child, "%s is empty", path);
	for (c = o->child; c; c = c->next) {
		snprintf(sub, sizeof(sub), "%s%s%s", path, path[0] ? "." : "",
			 c->string);
		if (cJSON_IsArray(o))
			snprintf(sub, sizeof(sub), "%s[]", path);
		walk(c, sub, seen);
	}
}

/* Runs the scenario into dir/o; returns the text of dir/o/name. */
static char *run_and_read(const char *dir, const char *name)
{
	char args[2800], path[1300];
	struct cli_result r;
	char *text;

	snprintf(path, sizeof(path), "%s/s.json", dir);
	cr_assert_eq(cli_write(path, scenario), 0);
	snprintf(args, sizeof(args), "run %s --out %s/o", path, dir);
	cli_run(&r, args);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);
	snprintf(path, sizeof(path), "%s/o/%s", dir, name);
	text = cli_slurp(path, NULL);
	cr_assert_not_null(text, "no %s", path);
	return text;
}

Test(schema, summary_keys_are_documented_with_their_types)
{
	char *dir = cli_tmpdir(), *text = run_and_read(dir, "summary.json");
	cJSON *j = cJSON_Parse(text);
	int seen[N_ROWS] = { 0 };
	const cJSON *c;
	size_t i;

	cr_assert_not_null(j, "summary.json is not JSON");
	cr_assert(cJSON_IsObject(j));
	for (c = j->child; c; c = c->next)
		walk(c, c->string, seen);
	for (i = 0; i < N_ROWS; i++)
		cr_expect(seen[i], "summary.json lacks %s",
			  summary_rows[i].path);
	cJSON_Delete(j);
	free(text);
	cli_rmrf(dir);
	free(dir);
}

/* README.md, Outputs: the columns of traffic.csv, verbatim; then one row
 * per second with as many fields, the first row at 0 s. */
Test(schema, traffic_csv_header_and_rows)
{
	static const char header[] =
		"time_s,requests,ok,no_endpoint,refused,overload,timeout,"
		"reset,p50_ms,p99_ms,in_flight,endpoints\n";
	char *dir = cli_tmpdir(), *text = run_and_read(dir, "traffic.csv");
	char *p, *q, *nl;
	int rows = 0, commas;

	cr_assert(strncmp(text, header, strlen(header)) == 0,
		  "header: %.130s", text);
	for (p = text + strlen(header); *p; p = nl + 1, rows++) {
		nl = strchr(p, '\n');
		cr_assert_not_null(nl, "row %d has no newline", rows);
		if (rows == 0)
			cr_expect(strncmp(p, "0,", 2) == 0, "row 0: %.40s", p);
		for (commas = 0, q = p; q < nl; q++)
			commas += *q == ',';
		cr_expect_eq(commas, 11, "row %d: %d fields", rows,
			     commas + 1);
	}
	/* until 1m: seconds 0 to 59 */
	cr_expect_eq(rows, 60, "%d rows", rows);
	free(text);
	cli_rmrf(dir);
	free(dir);
}
