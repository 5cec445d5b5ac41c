/* test_input.c - hostile input at the command line: limits, exit codes
 * and one-line errors.
 *
 * Values validation accepts never overflow (maxSurge 2147483647 resolves
 * and the rollout completes); what the simulator cannot honour is refused
 * with exit 2 and one line (a replica count above 100000, a proportional
 * scale to more pods than memory holds, a sweep plan of too many points
 * or runs, a crafted sweep.json), never a hang, "out of memory" or a
 * negative count. Files must hold one JSON document and nothing after
 * it; file names with control characters are printed escaped; an empty
 * --out is a usage error.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_util.h"

#define LIMIT_MSG "expected at most 100000 replicas (the simulator's limit)"

/* dir/name with text written to it (malloc'd path). */
static char *put(const char *dir, const char *name, const char *text)
{
	char *p = malloc(strlen(dir) + strlen(name) + 2);

	cr_assert_not_null(p);
	sprintf(p, "%s/%s", dir, name);
	cr_assert_eq(cli_write(p, text), 0, "cannot write %s", p);
	return p;
}

/* Runs args; expects status and, when err is not NULL, exactly err on
 * stderr. */
static void expect_run(const char *args, int status, const char *err)
{
	struct cli_result r;

	cli_run(&r, args);
	cr_expect_eq(r.status, status, "rollsim %s: exit %d, stderr: %s",
		     args, r.status, r.err ? r.err : "");
	if (err)
		cr_expect_str_eq(r.err ? r.err : "", err, "rollsim %s", args);
	cli_result_free(&r);
}

static int exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

#define SCENARIO(events) \
	"{\"deployment\":{\"image\":\"a\",\"replicas\":3},\"until\":\"2m\"," \
	"\"images\":{\"a\":{},\"b\":{}},\"events\":[" events "]}"

/* kubectl scale --replicas=2147483647 is refused by validate and run at
 * once, before anything runs; 100000 is accepted. */
Test(input, scale_beyond_the_replica_limit_exit_2)
{
	char *d = cli_tmpdir(), *f, args[2400], want[1400];

	cr_assert_not_null(d);
	f = put(d, "s.json", SCENARIO("{\"at\":\"10s\",\"action\":\"scale\","
				      "\"replicas\":2147483647}"));
	snprintf(want, sizeof(want), "%s: events[0].replicas: " LIMIT_MSG
		 ", got 2147483647\n", f);
	snprintf(args, sizeof(args), "validate %s", f);
	expect_run(args, 2, want);
	snprintf(args, sizeof(args), "run %s", f);
	expect_run(args, 2, want);
	snprintf(args, sizeof(args), "validate %s --set events[0].replicas="
		 "100000", f);
	expect_run(args, 0, "");
	snprintf(args, sizeof(args), "validate %s --set deployment.replicas="
		 "100001", f);
	snprintf(want, sizeof(want), "%s: deployment.replicas: " LIMIT_MSG
		 ", got 100001\n", f);
	expect_run(args, 2, want);
	free(f);
	cli_rmrf(d);
	free(d);
}

/* maxSurge 2147483647, maxUnavailable 0, 3 replicas, instant images:
 * NewRSNewReplicas gives the new ReplicaSet min(huge, 3 - 0) = 3 pods at
 * once and no old pod goes before a new one is available (minAvailable
 * 3), so at most 3 + 3 = 6 pods and never fewer than 3 available; the
 * resolved surge is reported as given. */
Test(input, int32_max_surge_resolves_and_completes)
{
	char *d = cli_tmpdir(), *f, args[2400];
	struct cli_result r;
	cJSON *j;

	cr_assert_not_null(d);
	f = put(d, "s.json",
		"{\"deployment\":{\"image\":\"a\",\"replicas\":3,\"strategy\":"
		"{\"rollingUpdate\":{\"maxSurge\":2147483647,"
		"\"maxUnavailable\":0}}},\"until\":\"2m\","
		"\"images\":{\"a\":{},\"b\":{\"pull\":\"5s\"}},\"events\":["
		"{\"at\":\"10s\",\"action\":\"setImage\",\"image\":\"b\"}]}");
	snprintf(args, sizeof(args), "run %s --json", f);
	cli_run(&r, args);
	cr_assert_eq(r.status, 0, "%s", r.err);
	j = cJSON_Parse(r.out);
	cr_assert_not_null(j);
	cr_expect_eq(cli_json_bool(j, "rollout.complete"), 1);
	cr_expect_eq(cli_json_number(j, "deployment.max_surge"), 2147483647.0);
	cr_expect_eq(cli_json_number(j, "pods.max_non_terminating"), 6.0);
	cr_expect_eq(cli_json_number(j, "pods.min_available"), 3.0);
	cr_expect_eq(cli_json_number(j, "rollout.duration_s"), 5.0);
	cJSON_Delete(j);
	cli_result_free(&r);
	free(f);
	cli_rmrf(d);
	free(d);
}

/* Scaling 3 -> 4 in the middle of that rollout: proportional scaling
 * grows the ReplicaSets to replicas + maxSurge (sync.go scale()), about
 * 2^31 pods. The run stops at once with exit 2 and one line, and --out
 * gets nothing. */
Test(input, proportional_scale_beyond_the_pod_limit_exit_2)
{
	char *d = cli_tmpdir(), *f, args[2400], want[1400], out[1200];

	cr_assert_not_null(d);
	f = put(d, "s.json",
		"{\"deployment\":{\"image\":\"a\",\"replicas\":3,\"strategy\":"
		"{\"rollingUpdate\":{\"maxSurge\":2147483647,"
		"\"maxUnavailable\":0}}},\"until\":\"2m\","
		"\"images\":{\"a\":{},\"b\":{\"pull\":\"30s\"}},\"events\":["
		"{\"at\":\"10s\",\"action\":\"setImage\",\"image\":\"b\"},"
		"{\"at\":\"15s\",\"action\":\"scale\",\"replicas\":4}]}");
	snprintf(out, sizeof(out), "%s/out", d);
	snprintf(args, sizeof(args), "run %s --out %s", f, out);
	snprintf(want, sizeof(want), "%s: simulation failed: the "
		 "ReplicaSets would need more than 1000000 pods (proportional "
		 "scaling grows them to replicas + maxSurge)\n", f);
	expect_run(args, 2, want);
	cr_expect(!exists(out) || rmdir(out) == 0, "%s holds files", out);
	free(f);
	cli_rmrf(d);
	free(d);
}

/* A list of n numbers from 1: "[1,2,...,n]" (malloc'd). */
static char *number_list(int n)
{
	char *s = malloc((size_t)n * 8 + 3), *p = s;
	int i;

	cr_assert_not_null(s);
	*p++ = '[';
	for (i = 1; i <= n; i++)
		p += sprintf(p, "%s%d", i > 1 ? "," : "", i);
	strcpy(p, "]");
	return s;
}

/* 1700^3 = 4913000000 points: more than int32 holds (it wrapped to
 * 618032704 and the allocation failed: "out of memory", exit 3). Refused
 * with exit 2 by validate and sweep, which writes nothing. */
Test(input, sweep_with_too_many_points_exit_2)
{
	char *d = cli_tmpdir(), *l = number_list(1700), *text, *f;
	char args[2400], want[1400], out[1200];

	cr_assert_not_null(d);
	text = malloc(3 * strlen(l) + 400);
	cr_assert_not_null(text);
	sprintf(text, "{\"deployment\":{\"image\":\"a\"},\"images\":{\"a\":{}},"
		"\"sweep\":{\"vary\":{\"deployment.replicas\":%s,"
		"\"deployment.minReadySeconds\":%s,\"seed\":%s}}}", l, l, l);
	f = put(d, "s.json", text);
	snprintf(want, sizeof(want), "%s: sweep: expected at most 10000 points "
		 "(variants x combinations of vary values), got 4913000000\n",
		 f);
	snprintf(args, sizeof(args), "validate %s", f);
	expect_run(args, 2, want);
	snprintf(out, sizeof(out), "%s/out", d);
	snprintf(args, sizeof(args), "sweep %s --quiet --out %s", f, out);
	expect_run(args, 2, want);
	cr_expect(!exists(out));
	free(f);
	free(text);
	free(l);
	cli_rmrf(d);
	free(d);
}

/* 3 points x 1000000 replications = 3000000 runs, over the limit of
 * 1000000 (validate used to say "ok"); 2 x 500000 is within it. */
Test(input, sweep_with_too_many_runs_exit_2)
{
	char *d = cli_tmpdir(), *f, args[2400], want[1400];

	cr_assert_not_null(d);
	f = put(d, "s.json",
		"{\"deployment\":{\"image\":\"a\"},\"images\":{\"a\":{}},"
		"\"sweep\":{\"replications\":1000000,"
		"\"vary\":{\"deployment.replicas\":[1,2,3]}}}");
	snprintf(want, sizeof(want), "%s: sweep: expected at most 1000000 runs "
		 "(points x replications), got 3 x 1000000 = 3000000\n", f);
	snprintf(args, sizeof(args), "validate %s", f);
	expect_run(args, 2, want);
	snprintf(args, sizeof(args), "sweep %s --quiet --out %s/o", f, d);
	expect_run(args, 2, want);
	snprintf(args, sizeof(args), "sweep %s --quiet --out %s/o "
		 "--replications 400000", f, d);
	snprintf(want, sizeof(want), "%s: sweep: expected at most 1000000 runs "
		 "(points x replications), got 3 x 400000 = 1200000\n", f);
	expect_run(args, 2, want);
	snprintf(args, sizeof(args), "validate %s --set "
		 "'sweep.vary={\"deployment.replicas\":[1,2]}' --set "
		 "sweep.replications=500000", f);
	expect_run(args, 0, "");
	free(f);
	cli_rmrf(d);
	free(d);
}

/* A small sweep in d/name (2 points x 2 replications). */
static char *small_sweep(const char *d, const char *name)
{
	char *f = put(d, "sw.json",
		      "{\"deployment\":{\"image\":\"a\"},\"until\":\"30s\","
		      "\"images\":{\"a\":{}},\"sweep\":{\"replications\":2,"
		      "\"vary\":{\"deployment.replicas\":[1,2]}}}");
	char args[2400], *out = malloc(strlen(d) + strlen(name) + 2);

	cr_assert_not_null(out);
	sprintf(out, "%s/%s", d, name);
	snprintf(args, sizeof(args), "sweep %s --quiet --jobs 1 --out %s", f,
		 out);
	expect_run(args, 0, "");
	free(f);
	return out;
}

/* Sets plan.key of dir/sweep.json to v. */
static void craft_plan(const char *dir, const char *key, double v)
{
	char path[1200], *text;
	cJSON *o, *plan;

	snprintf(path, sizeof(path), "%s/sweep.json", dir);
	o = cJSON_Parse(cli_slurp(path, NULL));
	cr_assert_not_null(o);
	plan = cJSON_GetObjectItemCaseSensitive(o, "plan");
	cr_assert_not_null(cJSON_GetObjectItemCaseSensitive(plan, key));
	cJSON_ReplaceItemInObjectCaseSensitive(plan, key,
					       cJSON_CreateNumber(v));
	text = cJSON_Print(o);
	cr_assert_eq(cli_write(path, text), 0);
	free(text);
	cJSON_Delete(o);
}

/* merge reads the plan of a shard's sweep.json: counts out of range are
 * refused by name before any cast (1e10 replications, a baseline past
 * the 2 points). */
Test(input, merge_refuses_crafted_plan_counts)
{
	char *d = cli_tmpdir(), *s, args[2400], want[1400];

	cr_assert_not_null(d);
	s = small_sweep(d, "s1");
	snprintf(args, sizeof(args), "merge %s --out %s/m", s, d);
	expect_run(args, 0, "");
	craft_plan(s, "replications", 1e10);
	snprintf(want, sizeof(want), "%s/sweep.json: plan.replications: "
		 "expected an integer from 1 to 1000000\n", s);
	expect_run(args, 2, want);
	craft_plan(s, "replications", 2);
	craft_plan(s, "baseline", 1e6);
	snprintf(want, sizeof(want), "%s/sweep.json: plan.baseline: expected "
		 "a point number from 0 to 1\n", s);
	expect_run(args, 2, want);
	free(s);
	cli_rmrf(d);
	free(d);
}

/* name in d holding len bytes of text (NUL bytes included). */
static char *put_bytes(const char *d, const char *name, const char *text,
		       size_t len)
{
	char *p = malloc(strlen(d) + strlen(name) + 2);
	FILE *f;

	cr_assert_not_null(p);
	sprintf(p, "%s/%s", d, name);
	f = fopen(p, "wb");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(text, 1, len, f), len);
	cr_assert_eq(fclose(f), 0);
	return p;
}

/* A NUL byte, then garbage, after the document: malformed at the NUL
 * (line 2, column 1), for every command that reads a scenario; spaces
 * and newlines after it are fine. */
Test(input, trailing_nul_and_garbage_exit_2)
{
	static const char doc[] =
		"{\"deployment\":{\"image\":\"a\"},\"images\":{\"a\":{}}}\n";
	char *d = cli_tmpdir(), *f, text[256], args[2400], want[1400];
	size_t n = strlen(doc);

	cr_assert_not_null(d);
	memcpy(text, doc, n);
	memcpy(text + n, "\0garbage", 8);
	f = put_bytes(d, "s.json", text, n + 8);
	snprintf(want, sizeof(want), "%s: malformed JSON at line 2, column 1\n",
		 f);
	snprintf(args, sizeof(args), "validate %s", f);
	expect_run(args, 2, want);
	snprintf(args, sizeof(args), "run %s", f);
	expect_run(args, 2, want);
	snprintf(args, sizeof(args), "sweep %s --quiet --out %s/o", f, d);
	expect_run(args, 2, want);
	free(f);
	snprintf(text, sizeof(text), "%.*s \n\t\r\n", (int)n - 1, doc);
	f = put_bytes(d, "ok.json", text, strlen(text));
	snprintf(args, sizeof(args), "validate %s", f);
	expect_run(args, 0, "");
	free(f);
	cli_rmrf(d);
	free(d);
}

/* The same for a shard's sweep.json read by merge: its last line is
 * followed by the NUL, so the error is on the line after the last. */
Test(input, merge_refuses_trailing_bytes_in_sweep_json)
{
	char *d = cli_tmpdir(), *s, path[1200], args[2400], want[1400], *text;
	long n, i, lines = 1;
	FILE *f;

	cr_assert_not_null(d);
	s = small_sweep(d, "s1");
	snprintf(path, sizeof(path), "%s/sweep.json", s);
	text = cli_slurp(path, &n);
	cr_assert_not_null(text);
	for (i = 0; i < n; i++)
		lines += text[i] == '\n';
	cr_assert_eq(text[n - 1], '\n');
	f = fopen(path, "ab");
	cr_assert_not_null(f);
	fwrite("\0{}", 1, 3, f);
	fclose(f);
	snprintf(args, sizeof(args), "merge %s --out %s/m", s, d);
	snprintf(want, sizeof(want), "%s: malformed JSON at line %ld, column "
		 "1\n", path, lines);
	expect_run(args, 2, want);
	free(text);
	free(s);
	cli_rmrf(d);
	free(d);
}

/* A file name with a newline and an escape character: every line that
 * names it (an error, "ok") is one line, the characters escaped C-style.
 * The shell passes them verbatim inside single quotes. */
Test(input, control_characters_in_file_names_stay_on_one_line)
{
	char *d = cli_tmpdir(), *bad, *good, args[2400], want[1400];
	struct cli_result r;

	cr_assert_not_null(d);
	bad = put(d, "bad\nname\x1b.json", "{");
	good = put(d, "ok\n.json", "{\"deployment\":{\"image\":\"a\"},"
		   "\"images\":{\"a\":{}}}");
	snprintf(args, sizeof(args), "validate '%s'", bad);
	snprintf(want, sizeof(want), "%s/bad\\nname\\x1b.json: malformed JSON "
		 "at line 1, column 2\n", d);
	expect_run(args, 2, want);
	snprintf(args, sizeof(args), "run '%s'", bad);
	expect_run(args, 2, want);
	snprintf(args, sizeof(args), "validate '%s/missing\n.json'", d);
	snprintf(want, sizeof(want), "%s/missing\\n.json: cannot read: No such "
		 "file or directory\n", d);
	expect_run(args, 2, want);
	snprintf(args, sizeof(args), "validate '%s'", good);
	cli_run(&r, args);
	cr_expect_eq(r.status, 0);
	snprintf(want, sizeof(want), "%s/ok\\n.json: ok\n", d);
	cr_expect_str_eq(r.out, want);
	cli_result_free(&r);
	/* a usage error quotes the argument on its first line */
	cli_run(&r, "run a 'b\nc'");
	cr_expect_eq(r.status, 2);
	cr_expect_eq(strncmp(r.err, "rollsim: one SCENARIO expected, got "
			     "b\\nc\n", 41), 0, "%s", r.err);
	cli_result_free(&r);
	free(bad);
	free(good);
	cli_rmrf(d);
	free(d);
}

/* --out "" names no directory: a usage error of every command that takes
 * --out, naming the option. */
Test(input, empty_out_is_a_usage_error)
{
	static const char *const cmds[] = {
		"run scenarios/flask-app.json --out ''",
		"sweep scenarios/flask-app.json --quiet --out ''",
		"merge out/none --out ''",
	};
	struct cli_result r;
	size_t i;

	for (i = 0; i < sizeof(cmds) / sizeof(*cmds); i++) {
		cli_run(&r, cmds[i]);
		cr_expect_eq(r.status, 2, "%s: exit %d", cmds[i], r.status);
		cr_expect(strncmp(r.err, "rollsim: bad or missing value for "
				  "--out\n", 40) == 0, "%s: %s", cmds[i],
			  r.err);
		cli_result_free(&r);
	}
}

/* A --set value is held to the file's nesting limit: the root object is
 * level 1, so 99 brackets reach 100 (then "x" is an unknown key) and 100
 * are refused at the path they were set at. */
Test(input, set_value_nested_too_deep_exit_2)
{
	char *d = cli_tmpdir(), *f, args[2400], want[1400], v[256];

	cr_assert_not_null(d);
	f = put(d, "s.json", "{\"deployment\":{\"image\":\"a\"},"
		"\"images\":{\"a\":{}}}");
	memset(v, '[', 100);
	memset(v + 100, ']', 100);
	v[200] = '\0';
	snprintf(args, sizeof(args), "validate %s --set 'x=%s'", f, v);
	snprintf(want, sizeof(want), "%s: x: --set: nested deeper than 100 "
		 "levels\n", f);
	expect_run(args, 2, want);
	v[199] = '\0';                      /* 99 [ and 99 ] */
	snprintf(args, sizeof(args), "validate %s --set 'x=%s'", f, v + 1);
	snprintf(want, sizeof(want), "%s: unknown key \"x\"\n", f);
	expect_run(args, 2, want);
	free(f);
	cli_rmrf(d);
	free(d);
}

/* warmup.factor accepts any number >= 1. With 1e300 every service time
 * (a 20 ms mean times nearly 1e300 for the first 30 s of an hour-long
 * warm-up) is beyond any clock: no request can finish by 30 s. The
 * arithmetic used to overflow to -inf and cast it, finishing every
 * request at once. */
Test(input, huge_warmup_factor_never_finishes_a_request)
{
	char *d = cli_tmpdir(), *f, args[2400];
	struct cli_result r;
	cJSON *j;

	cr_assert_not_null(d);
	f = put(d, "s.json", "{\"deployment\":{\"image\":\"a\",\"replicas\":2},"
		"\"images\":{\"a\":{\"warmup\":{\"duration\":\"1h\","
		"\"factor\":1e300}}},\"until\":\"30s\",\"traffic\":{\"rate\":10}}");
	snprintf(args, sizeof(args), "run %s --json", f);
	cli_run(&r, args);
	cr_assert_eq(r.status, 0, "%s", r.err);
	j = cJSON_Parse(r.out);
	cr_assert_not_null(j);
	cr_expect_eq(cli_json_number(j, "requests.ok"), 0.0);
	cr_expect_gt(cli_json_number(j, "requests.mean_in_flight"), 0.0);
	cJSON_Delete(j);
	cli_result_free(&r);
	free(f);
	cli_rmrf(d);
	free(d);
}
