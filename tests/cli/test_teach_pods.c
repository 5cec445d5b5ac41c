/* test_teach_pods.c - `rollsim watch --view pods` (kubectl get pods -w)
 * and `rollsim get pods --at T` (kubectl get pods), character by
 * character on a small scenario.
 *
 * The scenario: Deployment web, 1 replica, maxSurge 1, maxUnavailable 0,
 * no cluster, syncDelay 0; web:1 and web:2 pull 2 s, containerStart 1 s,
 * no probe, shutdown 5 s; setImage web:2 at 100 s. By the model's rules:
 * the old pod A is created, bound and ContainerCreating at 0, Running 1/1
 * at 3 (no readiness probe: ready as it runs). At 100 the new ReplicaSet
 * gets 1 replica (1 + maxSurge 1 = 2 allowed): pod B created, bound,
 * ContainerCreating at 100, Running 1/1 at 103; then A may go (B
 * available, maxUnavailable 0): Terminating 1/1 at 103, its app exits at
 * 108 (Terminating 0/1) and the object is removed (DELETED, 0/1).
 *
 * Expected text by kubectl's rules: columns NAME READY STATUS RESTARTS
 * AGE, each cell but the last padded to max(widest + 3, 6) (tabwriter,
 * padding 3, minwidth 6), widths remembered across a watch's flushes;
 * AGE is HumanDuration(now - creationTimestamp) at the instant the row is
 * rendered (whole seconds). The watch starts at the trigger (100 s): the
 * listing is A as it was then (one flush with the header), then a row per
 * change. Pod names cannot be derived by hand (a template hash and random
 * letters): they are read from pods.csv of the same run, and the NAME
 * column's width is derived from their length.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"

static const char scenario[] =
	"{\n"
	"  \"name\": \"watch-small\", \"seed\": 3, \"until\": \"2m\",\n"
	"  \"controllers\": { \"syncDelay\": \"0s\" },\n"
	"  \"deployment\": { \"name\": \"web\", \"replicas\": 1,\n"
	"    \"strategy\": { \"type\": \"RollingUpdate\", \"rollingUpdate\":\n"
	"      { \"maxSurge\": 1, \"maxUnavailable\": 0 } },\n"
	"    \"image\": \"web:1\" },\n"
	"  \"images\": {\n"
	"    \"web:1\": { \"pull\": \"2s\", \"containerStart\": \"1s\",\n"
	"                \"shutdown\": \"5s\" },\n"
	"    \"web:2\": { \"pull\": \"2s\", \"containerStart\": \"1s\",\n"
	"                \"shutdown\": \"5s\" }\n"
	"  },\n"
	"  \"events\": [ { \"at\": \"100s\", \"action\": \"setImage\",\n"
	"                \"image\": \"web:2\" } ]\n"
	"}\n";

struct fixture {
	char *dir;
	char path[1200];
	char a[80], b[80];          /* the old pod, the new pod */
};

/* The first pod names of pods.csv in order of creation. */
static void read_names(struct fixture *fx)
{
	char args[2600], csv[1300], *text, *line;
	struct cli_result r;
	int n = 0;

	snprintf(args, sizeof(args), "run %s --out %s/o", fx->path, fx->dir);
	cli_run(&r, args);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);
	snprintf(csv, sizeof(csv), "%s/o/pods.csv", fx->dir);
	text = cli_slurp(csv, NULL);
	cr_assert_not_null(text);
	for (line = strchr(text, '\n'); line && line[1];
	     line = strchr(line + 1, '\n')) {
		char row[256], name[80], *end = strchr(line + 1, '\n');
		size_t len = end ? (size_t)(end - line - 1) : strlen(line + 1);

		cr_assert_lt(len, sizeof(row));
		memcpy(row, line + 1, len);
		row[len] = '\0';
		cr_assert_eq(sscanf(row, "%*[^,],%79[^,]", name), 1, "%s", row);
		if (strcmp(strrchr(row, ',') + 1, "created") != 0)
			continue;
		snprintf(n == 0 ? fx->a : fx->b, sizeof(fx->a), "%s", name);
		if (++n == 2)
			break;
	}
	free(text);
	cr_assert_eq(n, 2, "expected two pods in pods.csv");
}

static void setup(struct fixture *fx)
{
	fx->dir = cli_tmpdir();
	snprintf(fx->path, sizeof(fx->path), "%s/watch-small.json", fx->dir);
	cr_assert_eq(cli_write(fx->path, scenario), 0);
	read_names(fx);
	/* both ReplicaSet hashes have a length: the names must be alike for
	 * one NAME width below */
	cr_assert_eq(strlen(fx->a), strlen(fx->b), "%s and %s", fx->a, fx->b);
}

static void teardown(struct fixture *fx)
{
	cli_rmrf(fx->dir);
	free(fx->dir);
}

/* Appends "NAME-cell padded to w" then rest to buf. */
static void line(char *buf, size_t cap, int w, const char *name,
		 const char *rest)
{
	size_t n = strlen(buf);

	snprintf(buf + n, cap - n, "%-*s%s\n", w, name, rest);
}

static char *run_out(const char *args, int *status, char **err)
{
	struct cli_result r;
	char *out;

	cli_run(&r, args);
	*status = r.status;
	out = r.out;
	if (err)
		*err = r.err;
	else
		free(r.err);
	return out;
}

/* READY 8 (READY + 3), STATUS 10 (Running, Pending + 3) until
 * ContainerCreating makes it 20, RESTARTS 11; NAME its length + 3. */
Test(teach_pods, watch_transcript)
{
	struct fixture fx;
	char want[4096] = "", args[1400], *out;
	int w, st;

	setup(&fx);
	w = (int)strlen(fx.a) + 3;
	line(want, sizeof(want), w, "NAME", "READY   STATUS    RESTARTS   AGE");
	line(want, sizeof(want), w, fx.a, "1/1     Running   0          100s");
	line(want, sizeof(want), w, fx.b, "0/1     Pending   0          0s");
	line(want, sizeof(want), w, fx.b, "0/1     Pending   0          0s");
	line(want, sizeof(want), w, fx.b,
	     "0/1     ContainerCreating   0          0s");
	line(want, sizeof(want), w, fx.b,
	     "1/1     Running             0          3s");
	line(want, sizeof(want), w, fx.a,
	     "1/1     Terminating         0          103s");
	line(want, sizeof(want), w, fx.a,
	     "0/1     Terminating         0          108s");
	line(want, sizeof(want), w, fx.a,
	     "0/1     Terminating         0          108s");
	snprintf(args, sizeof(args), "watch %s --view pods --plain", fx.path);
	out = run_out(args, &st, NULL);
	cr_assert_eq(st, 0);
	cr_expect_str_eq(out, want, "expected:\n%s\ngot:\n%s", want, out);
	free(out);
	/* without --plain and without a terminal: the same bytes */
	snprintf(args, sizeof(args), "watch %s --view pods", fx.path);
	out = run_out(args, &st, NULL);
	cr_expect_str_eq(out, want);
	free(out);
	teardown(&fx);
}

/* At 105 s: A Terminating 1/1 (its app still shutting down), B Running
 * 1/1 for 5 s; sorted by name; STATUS fitted over both: 11 + 3 = 14. */
Test(teach_pods, get_pods_at)
{
	struct fixture fx;
	char want[2048] = "", args[1400], *out, *err;
	const char *first, *second, *r1, *r2;
	int w, st;

	setup(&fx);
	w = (int)strlen(fx.a) + 3;
	first = strcmp(fx.a, fx.b) < 0 ? fx.a : fx.b;
	second = first == fx.a ? fx.b : fx.a;
	r1 = first == fx.a ? "1/1     Terminating   0          105s"
			   : "1/1     Running       0          5s";
	r2 = first == fx.a ? "1/1     Running       0          5s"
			   : "1/1     Terminating   0          105s";
	line(want, sizeof(want), w, "NAME",
	     "READY   STATUS        RESTARTS   AGE");
	line(want, sizeof(want), w, first, r1);
	line(want, sizeof(want), w, second, r2);
	snprintf(args, sizeof(args), "get pods %s --at 105s", fx.path);
	out = run_out(args, &st, NULL);
	cr_assert_eq(st, 0);
	cr_expect_str_eq(out, want, "expected:\n%s\ngot:\n%s", want, out);
	free(out);
	/* at 110 s only B, Running for 10 s (STATUS width 10) */
	want[0] = '\0';
	line(want, sizeof(want), w, "NAME", "READY   STATUS    RESTARTS   AGE");
	line(want, sizeof(want), w, fx.b, "1/1     Running   0          10s");
	snprintf(args, sizeof(args), "get pods %s --at 110s", fx.path);
	out = run_out(args, &st, NULL);
	cr_expect_str_eq(out, want, "expected:\n%s\ngot:\n%s", want, out);
	free(out);
	/* no pod: kubectl's message on stderr, nothing on stdout, exit 0 */
	snprintf(args, sizeof(args), "get pods %s --at 5s "
		 "--set deployment.replicas=0", fx.path);
	out = run_out(args, &st, &err);
	cr_expect_eq(st, 0);
	cr_expect_str_eq(out, "");
	cr_expect_str_eq(err, "No resources found in default namespace.\n");
	free(out);
	free(err);
	teardown(&fx);
}

/* The app exits 5 s after each start (crash, probability 1): start 3,
 * exit 8, restarted at once and running at 9 (restarts 1, last exit 8),
 * exit 14, back-off 10 s: at 20 the pod is CrashLoopBackOff 0/1 with
 * RESTARTS "1 (12s ago)" (20 - 8) and AGE 20s. RESTARTS' width is
 * 11 + 3 = 14, STATUS 16 + 3 = 19. */
Test(teach_pods, get_pods_restarts_ago)
{
	struct fixture fx;
	char want[2048] = "", args[1600], *out;
	int w, st;

	setup(&fx);
	w = (int)strlen(fx.a) + 3;
	line(want, sizeof(want), w, "NAME",
	     "READY   STATUS             RESTARTS      AGE");
	line(want, sizeof(want), w, fx.a,
	     "0/1     CrashLoopBackOff   1 (12s ago)   20s");
	snprintf(args, sizeof(args), "get pods %s --at 20s --set "
		 "'images[\"web:1\"].crash={\"after\":\"5s\",\"probability\":1}'",
		 fx.path);
	out = run_out(args, &st, NULL);
	cr_assert_eq(st, 0);
	cr_expect_str_eq(out, want, "expected:\n%s\ngot:\n%s", want, out);
	free(out);
	teardown(&fx);
}

/* Same scenario and seed: the same bytes. */
Test(teach_pods, deterministic)
{
	struct fixture fx;
	char args[1400], *a, *b;
	int st;

	setup(&fx);
	snprintf(args, sizeof(args), "watch %s --view pods --plain --seed 9",
		 fx.path);
	a = run_out(args, &st, NULL);
	b = run_out(args, &st, NULL);
	cr_expect_str_eq(a, b);
	free(a);
	free(b);
	teardown(&fx);
}

/* --speed must be a positive number: bad input, exit 2, nothing
 * printed on stdout. */
Test(teach_pods, bad_speed)
{
	struct fixture fx;
	char args[1400], *out, *err;
	int st;

	setup(&fx);
	snprintf(args, sizeof(args), "watch %s --view pods --speed 0",
		 fx.path);
	out = run_out(args, &st, &err);
	cr_expect_eq(st, 2);
	cr_expect_str_eq(out, "");
	cr_expect(strstr(err, "--speed: expected a positive number, got \"0\""),
		  "%s", err);
	free(out);
	free(err);
	teardown(&fx);
}
