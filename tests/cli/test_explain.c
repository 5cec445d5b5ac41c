/* test_explain.c - `rollsim explain` narrates the decisions of a small
 * rollout, in order, with the arithmetic; and `rollsim run` prints the
 * resolved strategy.
 *
 * The scenario (written by the tests) has constant timings so that every
 * line can be worked out by hand from docs/kubernetes.md: 5 replicas,
 * maxSurge / maxUnavailable 25 % (S = ceil(1.25) = 2, U = floor(1.25) = 1,
 * §1), pull 2 s, readiness probe initialDelaySeconds 4 / periodSeconds 5
 * (a pod created at t is Ready and available at t + 7 s, its container
 * having started at t + 2 s: "5.0 s after the container started"),
 * shutdown 1 s, no preStop, instant controllers, endpoint propagation
 * 1.3 s. setImage at 20 s:
 *
 *   20: new RS born at min(5 + 2 - 5, 5) = 2 (§2.3); old 5 -> 4 (minimum
 *       available 5 - 1 = 4, 5 available: budget 1, §2.5); new 2 -> 3
 *       (specs 6, room 1); then specs 7 = R + S and 7 - 4 - 3 new
 *       unavailable = 0: wait. The deleted pod leaves the endpoints at 20,
 *       kube-proxy learns it at 21.3; it gets SIGTERM at 20, exits at 21.
 *   27: the 3 new pods are available: 4 + 3 = 7 available, budget 3: old
 *       4 -> 1; specs 4, room 3, the new RS needs 2: 3 -> 5; wait.
 *   34: 1 + 5 = 6 available, budget 2: old 1 -> 0; nothing left to do.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"

static const char small_json[] =
	"{\"name\": \"small\", \"seed\": 1, \"until\": \"1m\",\n"
	" \"controllers\": {\"syncDelay\": \"0s\"},\n"
	" \"deployment\": {\"name\": \"web\", \"replicas\": 5, "
	"\"image\": \"web:1\"},\n"
	" \"images\": {\n"
	"  \"web:1\": {\"pull\": \"2s\", \"startup\": \"3s\",\n"
	"   \"readinessProbe\": {\"initialDelaySeconds\": 4, "
	"\"periodSeconds\": 5},\n"
	"   \"terminationGracePeriodSeconds\": 30, \"shutdown\": \"1s\"},\n"
	"  \"web:2\": {\"pull\": \"2s\", \"startup\": \"3s\",\n"
	"   \"readinessProbe\": {\"initialDelaySeconds\": 4, "
	"\"periodSeconds\": 5},\n"
	"   \"terminationGracePeriodSeconds\": 30, \"shutdown\": \"1s\"}},\n"
	" \"network\": {\"endpointPropagation\": \"1300ms\"},\n"
	" \"events\": [{\"at\": \"20s\", \"action\": \"setImage\", "
	"\"image\": \"web:2\"}]}\n";

struct line {
	double t;
	char actor[32];
	const char *text;     /* into the output */
};

struct narr {
	struct cli_result r;
	struct line *l;
	int n;
	char *dir;
};

/* Splits explain's output: "TIME  ACTOR  TEXT", TIME blank on the later
 * lines of one instant. */
static void parse(struct narr *n)
{
	char *p = n->r.out, *next;
	double t = -1;

	n->l = calloc(20000, sizeof(*n->l));
	for (; p && *p; p = next) {
		struct line *l = &n->l[n->n];
		char *s;

		next = strchr(p, '\n');
		if (next)
			*next++ = '\0';
		if (*p == '#')
			continue;
		if (p[9] != ' ')
			t = strtod(p, NULL);
		s = p + 12;
		cr_assert(sscanf(s, "%31s", l->actor) == 1, "line: %s", p);
		l->t = t;
		l->text = s + 23;
		cr_assert(n->n < 19999);
		n->n++;
	}
}

static void explain(struct narr *n, const char *json, const char *extra)
{
	char path[1200], args[1500];

	memset(n, 0, sizeof(*n));
	n->dir = cli_tmpdir();
	snprintf(path, sizeof(path), "%s/s.json", n->dir);
	cr_assert_eq(cli_write(path, json), 0);
	snprintf(args, sizeof(args), "explain %s %s", path, extra);
	cli_run(&n->r, args);
	cr_assert_eq(n->r.status, 0, "exit %d: %s", n->r.status, n->r.err);
	parse(n);
}

static void narr_free(struct narr *n)
{
	cli_rmrf(n->dir);
	free(n->dir);
	free(n->l);
	cli_result_free(&n->r);
}

/* The first line after from at time t by actor holding a and b; its
 * index, or a failed assertion. */
static int expect_line(const struct narr *n, int from, double t,
		       const char *actor, const char *a, const char *b)
{
	int i;

	for (i = from + 1; i < n->n; i++)
		if (n->l[i].t > t - 1e-9 && n->l[i].t < t + 1e-9 &&
		    strcmp(n->l[i].actor, actor) == 0 &&
		    strstr(n->l[i].text, a) && (!b || strstr(n->l[i].text, b)))
			return i;
	cr_assert_fail("no line at %.3f by %s after line %d: %s ... %s", t,
		       actor, from, a, b ? b : "");
	return -1;
}

#define DC "deployment-controller"

Test(explain, rolling_update_steps_in_order)
{
	struct narr n;
	int i;

	explain(&n, small_json, "");
	i = expect_line(&n, -1, 20, "kubectl", "kubectl set image "
			"deployment/web app=web:2", NULL);
	i = expect_line(&n, i, 20, DC, "maxSurge 25% of 5 = 1.25, rounded up: "
			"2 -> at most 5 + 2 = 7 pods; the ReplicaSets ask for 5 "
			"-> room for 2 -> create new ReplicaSet web-",
			"(revision 2) and scale it up from 0 to 2");
	i = expect_line(&n, i, 20, DC, "minimum available 5 - 1 = 4 "
			"(maxUnavailable 25% of 5 = 1.25, rounded down: 1); 5 "
			"available -> 5 - 4 = 1 old pod may go -> scale down "
			"old ReplicaSet web-", "from 5 to 4");
	i = expect_line(&n, i, 20, DC, "the ReplicaSets ask for 6 -> room for "
			"1 -> scale up new ReplicaSet web-", "from 2 to 3");
	i = expect_line(&n, i, 20, DC, "the ReplicaSets ask for 7, the surge "
			"bound is 7: the new ReplicaSet cannot grow; minimum "
			"available 4 and 3 new pods not available yet (7 - 4 - "
			"3 = 0): no old pod may go: wait", NULL);
	i = expect_line(&n, i, 27, DC, "7 available -> 7 - 4 = 3 old pods may "
			"go -> scale down old ReplicaSet web-", "from 4 to 1");
	i = expect_line(&n, i, 27, DC, "the ReplicaSets ask for 4 -> room for "
			"3, the new ReplicaSet needs only 5 - 3 = 2 -> scale up "
			"new ReplicaSet web-", "from 3 to 5");
	i = expect_line(&n, i, 27, DC, "minimum available 4 and 2 new pods not "
			"available yet (6 - 4 - 2 = 0): no old pod may go: wait",
			NULL);
	i = expect_line(&n, i, 34, DC, "6 available -> 6 - 4 = 2 old pods may "
			"go -> scale down old ReplicaSet web-", "from 1 to 0");
	expect_line(&n, i, 34, DC, "asks for all 5 replicas, no old "
		    "ReplicaSet has any: nothing to do", NULL);
	narr_free(&n);
}

/* The pod removed at 20 s: out of the endpoints and SIGTERM at once,
 * kube-proxy learns it 1.3 s later, the container exits at 21 s. */
Test(explain, kubelet_and_endpoints_timing)
{
	struct narr n;
	int i;

	explain(&n, small_json, "");
	i = expect_line(&n, -1, 20, "replicaset-controller", "spec.replicas "
			"4, 5 active pods -> delete 1; delete pod web-", NULL);
	i = expect_line(&n, i, 20, "endpoints", "deleted -> leaves the "
			"Service's endpoints now; kube-proxy learns it 1.300 s "
			"later (at 21.300 s)", NULL);
	i = expect_line(&n, i, 20, "kubelet", "pod deleted: Terminating; no "
			"preStop hook: SIGTERM now; SIGKILL at +30.0 s", NULL);
	i = expect_line(&n, i, 20, "kubelet", "SIGTERM: the app stops "
			"accepting new connections", NULL);
	expect_line(&n, i, 21, "kubelet", "the container exited -> the pod "
		    "is removed", NULL);
	i = expect_line(&n, -1, 27, "kubelet", "readiness probe passed 1 time "
			"in a row (successThreshold 1), 5.0 s after the "
			"container started -> Ready", NULL);
	expect_line(&n, i, 27, "endpoints", "Ready -> joins the Service's "
		    "endpoints now; kube-proxy learns it 1.300 s later (at "
		    "28.300 s)", NULL);
	narr_free(&n);
}

/* Scaled from 2 to 3 at 10 s and back to 2 at 15 s: the new pod (started
 * at 12 s, Ready only at 17 s) is the one deleted, by rule 3. */
Test(explain, deletion_names_the_rule)
{
	static const char json[] =
		"{\"name\": \"scale\", \"seed\": 1, \"until\": \"30s\",\n"
		" \"controllers\": {\"syncDelay\": \"0s\"},\n"
		" \"deployment\": {\"name\": \"web\", \"replicas\": 2, "
		"\"image\": \"web:1\"},\n"
		" \"images\": {\"web:1\": {\"pull\": \"2s\", \"startup\": "
		"\"3s\", \"readinessProbe\": {\"initialDelaySeconds\": 4, "
		"\"periodSeconds\": 5}, \"shutdown\": \"1s\"}},\n"
		" \"events\": [{\"at\": \"10s\", \"action\": \"scale\", "
		"\"replicas\": 3}, {\"at\": \"15s\", \"action\": \"scale\", "
		"\"replicas\": 2}]}\n";
	struct narr n;
	int i;

	explain(&n, json, "");
	i = expect_line(&n, -1, 15, "kubectl", "kubectl scale deployment/web "
			"--replicas=2", NULL);
	expect_line(&n, i, 15, "replicaset-controller", "spec.replicas 2, 3 "
		    "active pods -> delete 1; delete pod web-",
		    "not Ready, the other Ready (rule 3: not Ready before "
		    "Ready)");
	narr_free(&n);
}

Test(explain, deterministic)
{
	struct narr a, b;

	explain(&a, small_json, "");
	explain(&b, small_json, "");
	cr_assert_str_eq(a.r.out, b.r.out);
	narr_free(&a);
	narr_free(&b);
}

/* The first line of the run's summary after the title. */
Test(explain, run_summary_prints_the_rounding)
{
	struct cli_result r;

	cli_run(&r, "run scenarios/flask-app.json");
	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "\n  strategy       RollingUpdate maxSurge 25% "
			 "of 5 = 1.25 -> 2 (rounded up), maxUnavailable 25% "
			 "of 5 = 1.25 -> 1 (rounded down)\n") != NULL,
		  "%s", r.out);
	cli_result_free(&r);
	cli_run(&r, "run scenarios/flask-app.json --set "
		"deployment.strategy.rollingUpdate.maxSurge=0 --set "
		"deployment.replicas=3");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "strategy       RollingUpdate maxSurge 0, "
			 "maxUnavailable 25% of 3 = 0.75 -> 0 (rounded down); "
			 "both 0: maxUnavailable becomes 1") != NULL,
		  "%s", r.out);
	cli_result_free(&r);
}

/* small_json with its strategy, replicas and a second event replaced. */
static void variant(char *buf, size_t n, const char *deploy,
		    const char *more_events)
{
	const char *d = strstr(small_json, " \"deployment\""),
		   *img = strstr(small_json, " \"images\""),
		   *ev_end = strrchr(small_json, ']');

	snprintf(buf, n, "%.*s \"deployment\": %s,\n%.*s%s%s", (int)(d -
		 small_json), small_json, deploy, (int)(ev_end - img), img,
		 more_events, ev_end);
}

/* Recreate: at 20 s the old ReplicaSet goes to 0 and its 5 pods
 * terminate; the new one is created only once they are gone, at 21 s
 * (shutdown 1 s), born at all 5 replicas (docs/kubernetes.md §5). */
Test(explain, recreate_steps)
{
	char json[4096];
	struct narr n;
	int i;

	variant(json, sizeof(json), "{\"name\": \"web\", \"replicas\": 5, "
		"\"image\": \"web:1\", \"strategy\": {\"type\": \"Recreate\"}}",
		"");
	explain(&n, json, "");
	i = expect_line(&n, -1, 20, DC, "Recreate: every old pod goes before "
			"any new one is created -> scale down old ReplicaSet "
			"web-", "from 5 to 0");
	i = expect_line(&n, i, 20, DC, "Recreate: 5 old pods still exist (5 "
			"terminating): wait until none is left", NULL);
	expect_line(&n, i, 21, DC, "Recreate: no old pod is left -> create new "
		    "ReplicaSet web-", "(revision 2) at all 5 replicas");
	narr_free(&n);
}

/* docs/kubernetes.md §3's example: 10 replicas (S 3, U 2) mid-rollout
 * with new 5 / old 8 (both annotated max-replicas 13, §2.6 at t = 20 s),
 * scaled to 15 at 21 s, before any new pod is available: S becomes
 * ceil(3.75) = 4, allowed 19, 6 to add; old round(8 x 19 / 13 = 11.69)
 * = 12, new round(5 x 19 / 13 = 7.31) = 7. */
Test(explain, proportional_scaling)
{
	char json[4096];
	struct narr n;

	variant(json, sizeof(json), "{\"name\": \"web\", \"replicas\": 10, "
		"\"image\": \"web:1\"}", ", {\"at\": \"21s\", \"action\": "
		"\"scale\", \"replicas\": 15}");
	explain(&n, json, "");
	expect_line(&n, -1, 21, DC, "replicas changed during a rollout: "
		    "scaling only; proportional: allowed 15 + 4 = 19, the "
		    "active ReplicaSets ask for 13 -> +6 spread by size",
		    "from 8 to 12 (its share: round(8 x 19 / 13 = 11.69) - 8), "
		    "new ReplicaSet web-");
	expect_line(&n, -1, 21, DC, "proportional", "from 5 to 7 (its share: "
		    "round(5 x 19 / 13 = 7.31) - 5)");
	narr_free(&n);
}

/* scenarios/second-rollout.json (its description derives the sizes by
 * hand, docs/kubernetes.md §2.3-§2.5): at 40 s 1.0 has 3 and 2.0 has 10
 * (5 not available); 3 + 10 = 13 = R + S, so 3.0 is born at 0 - a
 * rollover; then the 5 unavailable 2.0 pods go first (10 -> 5); at 47 s
 * 1.0 3 -> 0 before 2.0 5 -> 3 (oldest first; 13 available - 8 = 5). */
Test(explain, rollover)
{
	struct narr n;
	char *json = cli_slurp("scenarios/second-rollout.json", NULL);
	int i;

	cr_assert_not_null(json);
	explain(&n, json, "");
	free(json);
	i = expect_line(&n, -1, 40, DC, "maxSurge 25% of 10 = 2.5, rounded up: "
			"3 -> at most 10 + 3 = 13 pods; the ReplicaSets ask for "
			"13 -> room for 0 -> create new ReplicaSet",
			"(revision 3) at 0 replicas, to grow as old pods go (a "
			"rollover");
	i = expect_line(&n, i, 40, DC, "5 old pods are not available: they go "
			"first (cleanupUnhealthyReplicas)", "from 10 to 5");
	expect_line(&n, i, 47, DC, "13 available -> 13 - 8 = 5 old pods may go "
		    "-> scale down, oldest first, old ReplicaSet",
		    "from 3 to 0, old ReplicaSet flask-app-569cb6cdc4 from 5 to "
		    "3");
	narr_free(&n);
}
