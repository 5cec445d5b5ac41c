/* test_rollout_list.c - several rollouts in one run (summary.rollouts),
 * end to end through `rollsim run` (and the rollout view of `rollsim plot`).
 *
 * Every scenario here is one of scenarios/ with constant timings, changed
 * with --set, so each number below is worked out by hand as README's
 * Operations section does: pull 2 s, app up 3 s after the container starts,
 * readiness probe initialDelaySeconds 4 / periodSeconds 5, syncDelay 0 =>
 * a pod created at t is Ready (and Available, minReadySeconds 0) at t + 7 s;
 * an old pod takes 1 s to shut down (3 s in recreate.json). Notation as in
 * test_operations.c: A = the 1.0 ReplicaSet, B = 2.0, C = 3.0; R, S
 * (maxSurge), U (maxUnavailable); "new:" reconcileNewReplicaSet, "old:"
 * reconcileOldReplicaSets with maxScaledDown = allTotal - (R - U) -
 * (spec(new) - avail(new)) (pkg/controller/deployment/rolling.go).
 *
 * A rollout is a template change up to its completion, the next template
 * change (a roll-over) or the end of the run; template changes while paused
 * that no ReplicaSet has carried yet join the waiting rollout.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"

/* ------------------------------------------------------------ helpers */

/* undo-broken-release.json with a healthy 2.0, rolled out at 60 s and
 * undone at 120 s: two rollouts of about 14 s each. */
#define UPDATE_UNDO \
	"scenarios/undo-broken-release.json " \
	"--set 'images[\"flask-app:2.0\"].readinessProbe.neverReady=false' " \
	"--set events[0].at=60s"

/* recreate.json, until 3 min, undone at 120 s, with 10 requests/s
 * arriving evenly from 50 ms on. */
#define RECREATE_UNDO \
	"scenarios/recreate.json --set until=3m " \
	"--set 'traffic={\"rate\":10,\"arrivals\":\"constant\"," \
	"\"start\":\"50ms\"}' " \
	"--set 'events=[{\"at\":\"30s\",\"action\":\"setImage\"," \
	"\"image\":\"flask-app:2.0\"},{\"at\":\"120s\"," \
	"\"action\":\"rolloutUndo\"}]'"

/* `rollsim run ARGS --json` (exit status want); the summary. */
static cJSON *run_json(const char *args, int want)
{
	struct cli_result r;
	char cmd[2048];
	cJSON *j;

	snprintf(cmd, sizeof(cmd), "run %s --json", args);
	cli_run(&r, cmd);
	cr_assert_eq(r.status, want, "rollsim %s: exit %d: %s", cmd, r.status,
		     r.err ? r.err : "");
	j = cJSON_Parse(r.out ? r.out : "");
	cli_result_free(&r);
	cr_assert_not_null(j, "rollsim %s: stdout is not JSON", cmd);
	return j;
}

/* summary.rollouts[i]; the list must have n entries. */
static const cJSON *entry(const cJSON *summary, int i, int n)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(summary, "rollouts");

	cr_assert(cJSON_IsArray(a), "summary.json has no rollouts list");
	cr_assert_eq(cJSON_GetArraySize(a), n, "%d rollouts, expected %d",
		     cJSON_GetArraySize(a), n);
	return cJSON_GetArrayItem(a, i);
}

static int is_null(const cJSON *o, const char *key)
{
	return cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(o, key));
}

/* What a rollout entry must say; completed < 0: null (not complete). */
struct want {
	int revision;
	double triggered, completed;
	int deadline;
	int min_available, max_non_terminating;
};

static void expect_entry(const cJSON *s, int i, int n, const struct want *w)
{
	const cJSON *e = entry(s, i, n);

	cr_expect_eq(cli_json_number(e, "revision"), w->revision,
		     "rollouts[%d].revision %g", i,
		     cli_json_number(e, "revision"));
	cr_expect_eq(cli_json_number(e, "triggered_s"), w->triggered,
		     "rollouts[%d].triggered_s %g", i,
		     cli_json_number(e, "triggered_s"));
	if (w->completed < 0) {
		cr_expect(is_null(e, "completed_s") && is_null(e, "duration_s"),
			  "rollouts[%d]: completed_s/duration_s not null", i);
		cr_expect_eq(cli_json_bool(e, "complete"), 0, "rollouts[%d]",
			     i);
	} else {
		cr_expect_eq(cli_json_number(e, "completed_s"), w->completed,
			     "rollouts[%d].completed_s %g", i,
			     cli_json_number(e, "completed_s"));
		cr_expect_eq(cli_json_number(e, "duration_s"),
			     w->completed - w->triggered,
			     "rollouts[%d].duration_s %g", i,
			     cli_json_number(e, "duration_s"));
		cr_expect_eq(cli_json_bool(e, "complete"), 1, "rollouts[%d]",
			     i);
	}
	cr_expect_eq(cli_json_bool(e, "progress_deadline_exceeded"),
		     w->deadline, "rollouts[%d].progress_deadline_exceeded", i);
	if (w->min_available >= 0)
		cr_expect_eq(cli_json_number(e, "min_available"),
			     w->min_available, "rollouts[%d].min_available %g",
			     i, cli_json_number(e, "min_available"));
	if (w->max_non_terminating >= 0)
		cr_expect_eq(cli_json_number(e, "max_non_terminating"),
			     w->max_non_terminating,
			     "rollouts[%d].max_non_terminating %g", i,
			     cli_json_number(e, "max_non_terminating"));
}

/* ------------------------------------------------------ update + undo */

/* R = 5, S = ceil(1.25) = 2, U = floor(1.25) = 1: at most 7 pods, at
 * least 4 available.
 *
 *  60 s  setImage 2.0: new: B min(7 - 5, 5) = 2; old: 7 - 4 - 2 = 1,
 *        budget 5 - 4 = 1: A 4; new: B 3; old: 7 - 4 - 3 = 0.
 *  67 s  B's 3 Ready (7 available): old: 7 - 4 - 0 = 3, budget 3: A 1;
 *        new: min(7 - 4, 5 - 3) = 2: B 5; old: 7 - 4 - 2 = 1, budget
 *        (1 + 3) - 4 = 0.
 *  74 s  B's 2 Ready: old: A 0: complete (5 updated and available, no
 *        old pod left that is not terminating). 14 s.
 * 120 s  rolloutUndo: A (1.0) becomes the new ReplicaSet again, revision
 *        max(old) + 1 = 3; the same steps with A and B swapped: A 2, B 4,
 *        A 3; 127 s B 1, A 5; 134 s B 0: complete. 14 s.
 *
 * Both windows start at 5 available / 5 pods, go down to 4 available and
 * up to 7 non-terminating pods. Before rollouts existed, the one `rollout`
 * spanned 60 s to 134 s: 74 s. */
Test(rollouts, update_then_undo_are_two_rollouts)
{
	cJSON *s = run_json(UPDATE_UNDO, 0);
	const struct want first = { 2, 60, 74, 0, 4, 7 };
	const struct want second = { 3, 120, 134, 0, 4, 7 };

	expect_entry(s, 0, 2, &first);
	expect_entry(s, 1, 2, &second);
	/* `rollout` is the first one */
	cr_expect_eq(cli_json_number(s, "rollout.triggered_s"), 60);
	cr_expect_eq(cli_json_number(s, "rollout.completed_s"), 74);
	cr_expect_eq(cli_json_number(s, "rollout.duration_s"), 14,
		     "rollout.duration_s %g",
		     cli_json_number(s, "rollout.duration_s"));
	cr_expect_eq(cli_json_bool(s, "rollout.complete"), 1);
	cr_expect_eq(cli_json_number(s, "rollout.revision"), 2);
	/* the union window's extremes are unchanged: the same two windows */
	cr_expect_eq(cli_json_number(s, "pods.min_available"), 4);
	cr_expect_eq(cli_json_number(s, "pods.max_non_terminating"), 7);
	cJSON_Delete(s);
}

/* second-rollout.json paused at 35 s, 3.0 set at 40 s, resumed at 50 s.
 * The 2.0 rollout already has its ReplicaSet (B, revision 2), so the
 * change at 40 s is a roll-over even while paused; the 3.0 rollout is
 * triggered at 40 s and waits for the resume:
 *  35 s  A 8, B 5 (B's pods Ready at 37 s; paused: nothing is scaled).
 *  50 s  resume: C created at min(13 - 13, 10) = 0 (revision 3); old:
 *        13 - 8 - 0 = 5, nothing unhealthy, budget 13 - 8 = 5 oldest
 *        first: A 3; new: min(13 - 8, 10) = 5: C 5; old: 13 - 8 - 5 = 0.
 *  57 s  C's 5 Ready: old: 5, budget 13 - 8 = 5: A 0, B 3; new: C 10;
 *        old: 13 - 8 - (10 - 5) = 0.
 *  64 s  C's other 5 Ready: B 0: complete. 24 s from the change, the
 *        10 s paused included. */
Test(rollouts, change_while_paused_is_a_rollout_from_the_change)
{
	cJSON *s = run_json(
		"scenarios/second-rollout.json --set 'events=["
		"{\"at\":\"30s\",\"action\":\"setImage\",\"image\":"
		"\"flask-app:2.0\"},{\"at\":\"35s\",\"action\":"
		"\"rolloutPause\"},{\"at\":\"40s\",\"action\":\"setImage\","
		"\"image\":\"flask-app:3.0\"},{\"at\":\"50s\",\"action\":"
		"\"rolloutResume\"}]'", 0);
	const struct want first = { 2, 30, -1, 0, 8, 13 };
	const struct want second = { 3, 40, 64, 0, 8, 13 };

	expect_entry(s, 0, 2, &first);
	expect_entry(s, 1, 2, &second);
	cJSON_Delete(s);
}

/* ------------------------------------------------------------ requests */

/* Recreate (R = 6), 2.0 at 30 s, undone at 120 s, requests every 100 ms
 * at x.x5 s (never on a whole second, where every pod event happens).
 * At 30 s every 1.0 pod is deleted and leaves the endpoints at once (no
 * network section: no propagation delay); B is created at 33 s, when the
 * old pods are gone, and is Ready at 40 s: complete. Every request of
 * [30 s, 40 s) finds no endpoint: 30.05 s ... 39.95 s = 100, 100 failed,
 * all no_endpoint. The undo does the same from 120 s to 130 s. Before
 * 7 s (the first pods' Ready) the arrivals from 0.15 s (one interval
 * after the start) to 6.95 s, 69 of them, fail too, outside any
 * rollout. */
Test(rollouts, requests_by_rollout)
{
	cJSON *s = run_json(RECREATE_UNDO, 0);
	const struct want first = { 2, 30, 40, 0, 0, 6 };
	const struct want second = { 3, 120, 130, 0, 0, 6 };
	int i;

	expect_entry(s, 0, 2, &first);
	expect_entry(s, 1, 2, &second);
	for (i = 0; i < 2; i++) {
		const cJSON *e = entry(s, i, 2);

		cr_expect_eq(cli_json_number(e, "requests.total"), 100,
			     "rollouts[%d].requests.total %g", i,
			     cli_json_number(e, "requests.total"));
		cr_expect_eq(cli_json_number(e, "requests.failed"), 100);
		cr_expect_eq(cli_json_number(e, "requests.errors.no_endpoint"),
			     100);
		cr_expect_eq(cli_json_number(e, "requests.errors.refused") +
				     cli_json_number(e, "requests.errors.overload") +
				     cli_json_number(e, "requests.errors.timeout") +
				     cli_json_number(e, "requests.errors.reset"),
			     0);
	}
	/* the union window holds both */
	cr_expect_eq(cli_json_number(s, "requests.during_rollout.total"), 200);
	cr_expect_eq(cli_json_number(s, "requests.during_rollout.failed"), 200);
	cr_expect_eq(cli_json_number(s, "requests.errors.no_endpoint"),
		     200 + 69);
	cJSON_Delete(s);
}

/* ------------------------------------------------------- pod-seconds */

/* recreate.json undone at 120 s (until 180 s); pods exist from creation
 * until gone (terminating included):
 *  A, revision 1: 6 pods 0-33 s (deleted at 30 s, 3 s to stop) = 198.
 *  B, revision 2: 6 pods 33-123 s = 540.
 *  A, revision 3 from the undo: no pod until its 6 are created at 123 s,
 *     when B's are gone: 6 x 57 = 342.
 * Before, each ReplicaSet's time went to its revision at the end: A's
 * 1.0 time before the update was counted for revision 3 (test_operations.c
 * checks undo-broken-release.json the same way). */
Test(rollouts, pod_seconds_by_revision_after_undo)
{
	cJSON *s = run_json(RECREATE_UNDO, 0);

	cr_expect_eq(cli_json_number(s, "pods.pod_seconds_by_revision.1"), 198,
		     "revision 1: %g",
		     cli_json_number(s, "pods.pod_seconds_by_revision.1"));
	cr_expect_eq(cli_json_number(s, "pods.pod_seconds_by_revision.2"), 540);
	cr_expect_eq(cli_json_number(s, "pods.pod_seconds_by_revision.3"), 342,
		     "revision 3: %g",
		     cli_json_number(s, "pods.pod_seconds_by_revision.3"));
	cr_expect_eq(cli_json_number(s, "pods.pod_seconds"), 1080);
	cJSON_Delete(s);
}

/* ------------------------------------------------------ human summary */

static void expect_lines(const char *args, const char *const *lines, int n,
			 const char *absent)
{
	struct cli_result r;
	char cmd[2048];
	int i;

	snprintf(cmd, sizeof(cmd), "run %s", args);
	cli_run(&r, cmd);
	cr_assert_eq(r.status, 0, "rollsim %s: exit %d: %s", cmd, r.status,
		     r.err ? r.err : "");
	for (i = 0; i < n; i++)
		cr_expect(strstr(r.out, lines[i]) != NULL,
			  "rollsim %s: no line\n%s\nin\n%s", cmd, lines[i],
			  r.out);
	if (absent)
		cr_expect(strstr(r.out, absent) == NULL,
			  "rollsim %s: \"%s\" in\n%s", cmd, absent, r.out);
	cli_result_free(&r);
}

/* The times of the tests above, one line per rollout. */
Test(rollouts, human_summary_one_line_per_rollout)
{
	static const char *const update_undo[] = {
		"\n  rollout 1      triggered at 60.000 s, complete at 74.000 s: "
		"14.000 s (revision 2)\n",
		"\n  rollout 2      triggered at 120.000 s, complete at "
		"134.000 s: 14.000 s (revision 3)\n",
	};
	static const char *const broken[] = {
		"\n  rollout 1      triggered at 30.000 s, rolled over at "
		"120.000 s, not complete; progress deadline exceeded "
		"(revision 2)\n",
		"\n  rollout 2      triggered at 120.000 s, complete at "
		"127.000 s: 7.000 s (revision 3)\n",
	};
	static const char *const cut[] = {
		"\n  rollout 1      triggered at 30.000 s, rolled over at "
		"40.000 s, not complete (revision 2)\n",
		"\n  rollout 2      triggered at 40.000 s, NOT complete by "
		"45.000 s (revision 3)\n",
	};
	static const char *const single[] = {
		"\n  rollout        triggered at 30.000 s, complete at 40.000 s: "
		"10.000 s\n",
	};

	expect_lines(UPDATE_UNDO, update_undo, 2, "rollout 3");
	expect_lines("scenarios/undo-broken-release.json", broken, 2,
		     "\n  progress ");
	expect_lines("scenarios/second-rollout.json --set until=45s", cut, 2,
		     NULL);
	expect_lines("scenarios/recreate.json", single, 1, "rollout 1");
}

/* ------------------------------------------------------ the JSON types */

static void expect_keys(const cJSON *o, const char *const *keys, int n,
			const char *what)
{
	const cJSON *c;
	int i, count = 0;

	cJSON_ArrayForEach(c, o)
		count++;
	cr_expect_eq(count, n, "%s has %d keys, expected %d", what, count, n);
	for (i = 0; i < n; i++)
		cr_expect_not_null(cJSON_GetObjectItemCaseSensitive(o, keys[i]),
				   "%s lacks %s", what, keys[i]);
}

static int is_count(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) && v->valuedouble >= 0 &&
	       v->valuedouble == floor(v->valuedouble);
}

static void expect_entry_types(const cJSON *e, int i)
{
	static const char *const keys[] = {
		"revision", "triggered_s", "completed_s", "duration_s",
		"complete", "progress_deadline_exceeded", "min_available",
		"max_non_terminating", "requests"
	};
	static const char *const req_keys[] = { "total", "failed", "errors" };
	static const char *const causes[] = { "no_endpoint", "refused",
					      "overload", "timeout", "reset",
					      "app_error" };
	const cJSON *req = cJSON_GetObjectItemCaseSensitive(e, "requests");
	const cJSON *err = cJSON_GetObjectItemCaseSensitive(req, "errors");
	int complete = cli_json_bool(e, "complete"), k;

	cr_assert(cJSON_IsObject(e), "rollouts[%d] is not an object", i);
	expect_keys(e, keys, 9, "a rollouts entry");
	cr_expect(is_count(e, "revision") || is_null(e, "revision"),
		  "rollouts[%d].revision", i);
	cr_expect(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(
			  e, "triggered_s")), "rollouts[%d].triggered_s", i);
	cr_expect_neq(complete, -1, "rollouts[%d].complete", i);
	cr_expect_neq(cli_json_bool(e, "progress_deadline_exceeded"), -1,
		      "rollouts[%d].progress_deadline_exceeded", i);
	/* times of a rollout that did not complete are null */
	cr_expect(complete ? !isnan(cli_json_number(e, "completed_s")) &&
				     !isnan(cli_json_number(e, "duration_s"))
			   : is_null(e, "completed_s") &&
				     is_null(e, "duration_s"),
		  "rollouts[%d]: completed_s / duration_s vs complete %d", i,
		  complete);
	cr_expect(is_count(e, "min_available") &&
			  is_count(e, "max_non_terminating"),
		  "rollouts[%d]: pod counts", i);
	cr_assert(cJSON_IsObject(req), "rollouts[%d].requests", i);
	expect_keys(req, req_keys, 3, "rollouts[].requests");
	cr_expect(is_count(req, "total") && is_count(req, "failed"),
		  "rollouts[%d].requests counts", i);
	cr_assert(cJSON_IsObject(err), "rollouts[%d].requests.errors", i);
	expect_keys(err, causes, 6, "rollouts[].requests.errors");
	for (k = 0; k < 6; k++)
		cr_expect(is_count(err, causes[k]), "rollouts[%d] errors.%s",
			  i, causes[k]);
}

/* Every entry of a few runs, including one superseded before the
 * controller gave it a ReplicaSet: second-rollout.json with syncDelay
 * 5 s and 3.0 set at 32 s. The controller first acts at 35 s, on 3.0: the
 * 2.0 rollout never had a revision (null) and 3.0 gets revision 2. */
Test(rollouts, json_types_of_every_entry)
{
	const char *const runs[] = {
		UPDATE_UNDO, RECREATE_UNDO, "scenarios/undo-broken-release.json",
		("scenarios/second-rollout.json --set controllers.syncDelay=5s "
		 "--set events[1].at=32s"),
	};
	size_t r;
	int i, n;

	for (r = 0; r < sizeof(runs) / sizeof(*runs); r++) {
		cJSON *s = run_json(runs[r], 0);
		const cJSON *a = cJSON_GetObjectItemCaseSensitive(s, "rollouts");

		cr_assert(cJSON_IsArray(a), "%s: no rollouts list", runs[r]);
		n = cJSON_GetArraySize(a);
		cr_expect_eq(n, 2, "%s: %d rollouts", runs[r], n);
		for (i = 0; i < n; i++)
			expect_entry_types(cJSON_GetArrayItem(a, i), i);
		if (r == 3) {
			cr_expect(is_null(entry(s, 0, 2), "revision"),
				  "superseded before its ReplicaSet: revision "
				  "%g", cli_json_number(entry(s, 0, 2),
							"revision"));
			cr_expect_eq(cli_json_number(entry(s, 1, 2), "revision"),
				     2);
			cr_expect_eq(cli_json_number(entry(s, 0, 2),
						     "triggered_s"), 30);
			cr_expect_eq(cli_json_number(entry(s, 1, 2),
						     "triggered_s"), 32);
		}
		cJSON_Delete(s);
	}
	/* no rollout: an empty list */
	{
		cJSON *s = run_json("scenarios/delete-pod.json", 0);
		const cJSON *a = cJSON_GetObjectItemCaseSensitive(s, "rollouts");

		cr_expect(cJSON_IsArray(a) && cJSON_GetArraySize(a) == 0,
			  "delete-pod.json: rollouts is not []");
		cJSON_Delete(s);
	}
}

/* ------------------------------------------------------------ runs.csv */

/* runs.csv has the same columns with several rollouts per run: the list
 * is not flattened into it (its length varies between runs). This is the
 * header as it was before summary.rollouts existed, with the columns the
 * progressive-delivery outputs added since: each errors object's
 * app_error, then exposure.*, delivery.* and cost.* before events.total. */
static const char runs_header[] =
	"run,point,variant,deployment.replicas,replication,seed,until_s,"
	"deployment.replicas,deployment.max_surge,deployment.max_unavailable,"
	"rollout.triggered_s,rollout.completed_s,rollout.duration_s,"
	"rollout.complete,rollout.progress_deadline_exceeded,rollout.revision,"
	"pods.max_total,pods.max_non_terminating,pods.min_available,"
	"pods.pod_seconds,pods.created,pods.restarts,pods.max_pending,"
	"availability.time_full,availability.time_below_min,"
	"availability.mean_available,availability.mean_endpoints,"
	"requests.total,requests.ok,requests.failed,requests.success_ratio,"
	"requests.attempts,requests.unfinished,requests.errors.no_endpoint,"
	"requests.errors.refused,requests.errors.overload,"
	"requests.errors.timeout,requests.errors.reset,"
	"requests.errors.app_error,requests.first_try.ok,"
	"requests.first_try.failed,requests.first_try.errors.no_endpoint,"
	"requests.first_try.errors.refused,requests.first_try.errors.overload,"
	"requests.first_try.errors.timeout,requests.first_try.errors.reset,"
	"requests.first_try.errors.app_error,requests.latency_ms.mean,requests.latency_ms.p50,"
	"requests.latency_ms.p90,requests.latency_ms.p99,"
	"requests.latency_ms.max,requests.aggregated,"
	"requests.mean_in_flight,"
	"requests.during_rollout.total,requests.during_rollout.ok,"
	"requests.during_rollout.failed,requests.during_rollout.success_ratio,"
	"requests.during_rollout.attempts,requests.during_rollout.unfinished,"
	"requests.during_rollout.errors.no_endpoint,"
	"requests.during_rollout.errors.refused,"
	"requests.during_rollout.errors.overload,"
	"requests.during_rollout.errors.timeout,"
	"requests.during_rollout.errors.reset,"
	"requests.during_rollout.errors.app_error,"
	"requests.during_rollout.first_try.ok,"
	"requests.during_rollout.first_try.failed,"
	"requests.during_rollout.first_try.errors.no_endpoint,"
	"requests.during_rollout.first_try.errors.refused,"
	"requests.during_rollout.first_try.errors.overload,"
	"requests.during_rollout.first_try.errors.timeout,"
	"requests.during_rollout.first_try.errors.reset,"
	"requests.during_rollout.first_try.errors.app_error,"
	"requests.during_rollout.latency_ms.mean,"
	"requests.during_rollout.latency_ms.p50,"
	"requests.during_rollout.latency_ms.p90,"
	"requests.during_rollout.latency_ms.p99,"
	"requests.during_rollout.latency_ms.max,exposure.new_requests,"
	"exposure.new_requests_before_promotion,exposure.new_failed,"
	"exposure.new_share,delivery.promoted,delivery.time_to_promote_s,"
	"delivery.aborted,delivery.time_to_detect_s,"
	"delivery.time_to_rollback_s,delivery.measurements,"
	"delivery.failed_measurements,cost.extra_pod_seconds,events.total\n";

Test(rollouts, runs_csv_columns_unchanged)
{
	char *dir = cli_tmpdir(), cmd[2048], path[1200], *text, *nl;
	struct cli_result r;

	cr_assert_not_null(dir);
	snprintf(cmd, sizeof(cmd),
		 "sweep scenarios/undo-broken-release.json --quiet --out %s/s "
		 "--set 'sweep={\"replications\":1,\"vary\":"
		 "{\"deployment.replicas\":[5]}}'", dir);
	cli_run(&r, cmd);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cli_result_free(&r);
	snprintf(path, sizeof(path), "%s/s/runs.csv", dir);
	text = cli_slurp(path, NULL);
	cr_assert_not_null(text, "%s", path);
	nl = strchr(text, '\n');
	cr_assert_not_null(nl);
	nl[1] = '\0';
	cr_expect_str_eq(text, runs_header);
	free(text);
	cli_rmrf(dir);
	free(dir);
}

/* ---------------------------------------------------- --fail-on-error */

/* --fail-on-error judges the last rollout, as `kubectl rollout status`
 * run after the last change would. undo-broken-release.json: the stuck
 * 2.0 rollout exceeded its deadline, but the undo (the last rollout)
 * completed: exit 0. With an apply at 140 s of 2.0 plus a preStop sleep
 * (a new template: C, revision 4, never Ready; stuck as at 30 s: C 2,
 * A 4, C 3) and the run to 4 min, the last rollout exceeds its deadline
 * at 140 + 60 + 1 = 201 s and never completes: exit 1. */
Test(rollouts, fail_on_error_judges_the_last_rollout)
{
	struct cli_result r;
	cJSON *s;
	const struct want third = { 4, 140, -1, 1, 4, 7 };

	cli_run(&r, "run scenarios/undo-broken-release.json --fail-on-error");
	cr_expect_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cli_result_free(&r);

	s = run_json("scenarios/undo-broken-release.json --set until=4m "
		     "--set 'events=[{\"at\":\"30s\",\"action\":\"setImage\","
		     "\"image\":\"flask-app:2.0\"},{\"at\":\"120s\",\"action\":"
		     "\"rolloutUndo\"},{\"at\":\"140s\",\"action\":"
		     "\"apply\",\"deployment\":{\"image\":\"flask-app:2.0\","
		     "\"preStopSleep\":\"1s\"}}]' "
		     "--fail-on-error", 1);
	expect_entry(s, 2, 3, &third);
	cr_expect_eq(cli_json_bool(entry(s, 1, 3),
				   "progress_deadline_exceeded"), 0);
	cr_expect_eq(cli_json_bool(entry(s, 0, 3),
				   "progress_deadline_exceeded"), 1);
	cJSON_Delete(s);
}

/* ---------------------------------------------------------------- plot */

/* The time the last terminating pod went, read from DIR/timeline.csv
 * here: the last row (of its instant) with no terminating pod after a
 * row with some. */
static double last_terminating_gone(const char *dir)
{
	char path[1300], *tl, *p;
	double t = -1, prev = 0, cur;
	int k;

	snprintf(path, sizeof(path), "%s/timeline.csv", dir);
	tl = cli_slurp(path, NULL);
	cr_assert_not_null(tl);
	for (p = strchr(tl, '\n'); p && p[1]; p = strchr(p, '\n')) {
		const char *f = ++p;

		for (k = 0; k < 7; k++)        /* terminating: column 8 */
			f = strchr(f, ',') + 1;
		cur = atof(f);
		if (cur == 0 && prev > 0)
			t = atof(p);
		prev = cur;
	}
	free(tl);
	return t;
}

/* `rollsim plot` of the update + undo run marks the first trigger and the
 * last completion, and its rollout view spans both rollouts and the
 * pods they leave terminating: 60 s to the last terminating pod gone
 * (after the completion at 134 s; the run has no traffic, so no error
 * counts), padded by a quarter of that span on either side. A stand-in
 * gnuplot first on PATH records the definitions it is given (-e DEFS) and
 * writes the file that `out` names. */
Test(rollouts, plot_spans_every_rollout)
{
	char *dir = cli_tmpdir(), cmd[2400], path[1200], *log, want[200];
	const char *old_path = getenv("PATH");
	struct cli_result r;
	double gone, pad;
	FILE *f;

	cr_assert_not_null(dir);
	snprintf(path, sizeof(path), "%s/gnuplot", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fprintf(f, "#!/bin/sh\n"
		   "printf '%%s\\n' \"$2\" >> '%s/defs.log'\n"
		   "out=$(printf '%%s' \"$2\" | sed -n \"s/.*out='\\([^']*\\)'.*/\\1/p\")\n"
		   "echo plot > \"$out\"\n", dir);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "chmod +x '%s'", path);
	cr_assert_eq(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "run " UPDATE_UNDO " --out %s/o", dir);
	cli_run(&r, cmd);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);

	snprintf(path, sizeof(path), "%s:%s", dir, old_path ? old_path : "");
	setenv("PATH", path, 1);
	snprintf(cmd, sizeof(cmd), "plot %s/o", dir);
	cli_run(&r, cmd);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);

	snprintf(path, sizeof(path), "%s/o", dir);
	gone = last_terminating_gone(path);
	cr_assert_gt(gone, 134, "no pod terminating after the completion");
	pad = (gone - 60) / 4;
	snprintf(want, sizeof(want), "xmin=%.17g; xmax=%.17g; req_view=0; "
		 "err_view=0; view='the rollout'", 60 - pad, gone + pad);
	snprintf(path, sizeof(path), "%s/defs.log", dir);
	log = cli_slurp(path, NULL);
	cr_assert_not_null(log, "the stand-in gnuplot did not run");
	cr_expect(strstr(log, "t_trigger=60; t_complete=134; ") != NULL,
		  "rollout marks:\n%s", log);
	cr_expect(strstr(log, want) != NULL, "rollout view, want %s:\n%s",
		  want, log);
	free(log);
	cli_rmrf(dir);
	free(dir);
}
