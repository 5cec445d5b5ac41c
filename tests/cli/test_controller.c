/* test_controller.c - Deployment controller details end to end: the
 * progress deadline switched off with MaxInt32, minReadySeconds changed on
 * a running Deployment, the Progressing reason sync by sync after a
 * template change, and `rollout undo` reported in kubectl's words.
 *
 * Each test writes a small scenario into a temporary directory, runs it
 * through the CLI and reads events.log (TIME TYPE REASON OBJECT MESSAGE)
 * and summary.json. Timings are constants so that every expected instant
 * can be worked out by hand from the upstream rules named in each test:
 * an image with `pull` P and no readiness probe gives a pod that is Ready
 * P after it is created (startup, shutdown and grace 0), controllers
 * react at once (syncDelay 0).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"

struct ctl_run {
	char *events;        /* events.log */
	cJSON *summary;
};

/* Runs the scenario text; fails the test unless rollsim exits 0. */
static void ctl_run(struct ctl_run *r, const char *text)
{
	char *dir = cli_tmpdir(), file[1200], args[2600], path[1200];
	struct cli_result res;
	char *sum;

	snprintf(file, sizeof(file), "%s/s.json", dir);
	cr_assert_eq(cli_write(file, text), 0);
	snprintf(args, sizeof(args), "run %s --out %s/o", file, dir);
	cli_run(&res, args);
	cr_assert_eq(res.status, 0, "rollsim exited %d: %s", res.status,
		     res.err ? res.err : "");
	cli_result_free(&res);
	snprintf(path, sizeof(path), "%s/o/events.log", dir);
	r->events = cli_slurp(path, NULL);
	cr_assert_not_null(r->events);
	snprintf(path, sizeof(path), "%s/o/summary.json", dir);
	sum = cli_slurp(path, NULL);
	cr_assert_not_null(sum);
	r->summary = cJSON_Parse(sum);
	cr_assert_not_null(r->summary);
	free(sum);
	cli_rmrf(dir);
	free(dir);
}

static void ctl_free(struct ctl_run *r)
{
	free(r->events);
	cJSON_Delete(r->summary);
}

/* The lines of events.log with time in [t0, t1], the given type and
 * reason (NULL: any) whose message contains msg (NULL: any): how many;
 * the time of the first in *first and its message from msg on in
 * first_msg (each if not NULL). */
static int ctl_find(const struct ctl_run *r, double t0, double t1,
		    const char *type, const char *reason, const char *msg,
		    double *first, char *first_msg, size_t n_msg)
{
	const char *line = r->events;
	int n = 0;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		char ty[32], re[64], obj[200], buf[1024];
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		double t;
		int used = 0;

		snprintf(buf, sizeof(buf), "%.*s", (int)len, line);
		line = nl ? nl + 1 : NULL;
		if (sscanf(buf, "%lf %31s %63s %199s %n", &t, ty, re, obj,
			   &used) < 4 || used == 0)
			continue;
		if (t < t0 - 1e-9 || t > t1 + 1e-9 ||
		    (type && strcmp(ty, type) != 0) ||
		    (reason && strcmp(re, reason) != 0) ||
		    (msg && !strstr(buf + used, msg)))
			continue;
		if (n++ > 0)
			continue;
		if (first)
			*first = t;
		if (first_msg)
			snprintf(first_msg, n_msg, "%s",
				 msg ? strstr(buf + used, msg) : buf + used);
	}
	return n;
}

static int ctl_count(const struct ctl_run *r, double t0, double t1,
		     const char *type, const char *reason, const char *msg,
		     double *first)
{
	return ctl_find(r, t0, t1, type, reason, msg, first, NULL, 0);
}

static const char *ctl_string(const struct ctl_run *r, const char *a,
			      const char *b, const char *c)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(r->summary, a);

	o = cJSON_GetObjectItemCaseSensitive(o, b);
	o = cJSON_GetObjectItemCaseSensitive(o, c);
	if (cJSON_IsNull(o))
		return "(null)";
	return cJSON_IsString(o) ? o->valuestring : "(absent)";
}

/* --------------------------------------- progressDeadlineSeconds MaxInt32 */

/* 3 replicas of a:1 (pull 2 s, Ready at 2 s); at 10 s a:2, whose pods
 * never pass their readiness probe. 25 % of 3: maxSurge 1 (rounded up),
 * maxUnavailable 0 (rounded down), so the new ReplicaSet gets 1 pod and
 * no old pod may go: the rollout is stuck from 10 s on, and the last
 * progress (the new pod created) is at 10 s. DEADLINE and EXTRA are
 * spliced in. */
#define STUCK_SCENARIO(DEADLINE, EXTRA) \
	"{ \"name\": \"stuck\", \"until\": \"1000s\"," \
	"  \"controllers\": { \"syncDelay\": 0 }," \
	"  \"deployment\": { \"name\": \"web\", \"replicas\": 3," \
	"    " DEADLINE " \"image\": \"a:1\" }," \
	"  \"images\": { \"a:1\": { \"pull\": \"2s\" }," \
	"    \"a:2\": { \"pull\": \"2s\"," \
	"      \"readinessProbe\": { \"neverReady\": true } } }," \
	"  \"events\": [ { \"at\": \"10s\", \"action\": \"setImage\"," \
	"                  \"image\": \"a:2\" } " EXTRA " ] }"

/* The control: the default 600 s deadline. Timed out iff lastUpdate +
 * 600 < now (progress.go DeploymentTimedOut); the controller looks again
 * 1 s after (requeueStuckDeployment): ProgressDeadlineExceeded at 611 s. */
Test(controller, deadline_default_times_out)
{
	struct ctl_run r;
	double t = -1;

	ctl_run(&r, STUCK_SCENARIO("", ""));
	cr_expect_eq(ctl_count(&r, 0, 1e9, "Warning",
			       "ProgressDeadlineExceeded", NULL, &t), 1);
	cr_expect(fabs(t - 611) < 1e-6, "ProgressDeadlineExceeded at %g", t);
	ctl_free(&r);
}

/* deployment_util.go HasProgressDeadline: MaxInt32 means no deadline, so
 * getNewReplicaSet sets no NewReplicaSetCreated condition and
 * syncRolloutStatus removes any Progressing condition and never times
 * out. */
Test(controller, deadline_maxint32_keeps_no_condition)
{
	struct ctl_run r;

	ctl_run(&r, STUCK_SCENARIO(
			"\"progressDeadlineSeconds\": 2147483647,", ""));
	cr_expect_eq(ctl_count(&r, 0, 1e9, NULL, "Progressing", NULL, NULL),
		     0, "a Progressing condition was reported:\n%s", r.events);
	cr_expect_eq(ctl_count(&r, 0, 1e9, NULL, "ProgressDeadlineExceeded",
			       NULL, NULL), 0);
	cr_expect_eq(cli_json_bool(r.summary,
				   "rollout.progress_deadline_exceeded"), 0);
	cr_expect_str_eq(ctl_string(&r, "rollout", "progressing", "status"),
			 "(null)");
	cr_expect_str_eq(ctl_string(&r, "rollout", "progressing", "reason"),
			 "(null)");
	ctl_free(&r);
}

/* An apply setting MaxInt32 at 100 s: that sync removes the condition
 * (syncRolloutStatus, RemoveDeploymentCondition), and 611 s passes
 * without a timeout. */
Test(controller, deadline_apply_maxint32_removes_condition)
{
	struct ctl_run r;
	double t = -1;

	ctl_run(&r, STUCK_SCENARIO("", ", { \"at\": \"100s\", \"action\": "
				   "\"apply\", \"deployment\": { "
				   "\"progressDeadlineSeconds\": 2147483647 "
				   "} }"));
	cr_expect_eq(ctl_count(&r, 0, 1e9, "Status", "Progressing",
			       "removed", &t), 1, "%s", r.events);
	cr_expect(fabs(t - 100) < 1e-6, "removed at %g", t);
	cr_expect_eq(ctl_count(&r, 100.001, 1e9, "Status", "Progressing",
			       NULL, NULL), 0);
	cr_expect_eq(ctl_count(&r, 0, 1e9, NULL, "ProgressDeadlineExceeded",
			       NULL, NULL), 0);
	ctl_free(&r);
}

/* The same value from a manifest (what `kubectl apply` would send). */
Test(controller, deadline_maxint32_from_manifest)
{
	char *dir = cli_tmpdir(), path[1200], args[2600];
	struct cli_result res;
	char *log;

	snprintf(path, sizeof(path), "%s/d.yaml", dir);
	cr_assert_eq(cli_write(path,
		"apiVersion: apps/v1\n"
		"kind: Deployment\n"
		"metadata: { name: web }\n"
		"spec:\n"
		"  replicas: 2\n"
		"  progressDeadlineSeconds: 2147483647\n"
		"  selector: { matchLabels: { app: web } }\n"
		"  template:\n"
		"    metadata: { labels: { app: web } }\n"
		"    spec:\n"
		"      containers: [ { name: web, image: \"a:1\" } ]\n"), 0);
	snprintf(path, sizeof(path), "%s/s.json", dir);
	cr_assert_eq(cli_write(path,
		"{ \"name\": \"m\", \"until\": \"30s\","
		"  \"deployment\": { \"manifest\": \"d.yaml\" },"
		"  \"images\": { \"a:1\": { \"pull\": \"1s\" } } }"), 0);
	snprintf(args, sizeof(args), "run %s --out %s/o", path, dir);
	cli_run(&res, args);
	cr_assert_eq(res.status, 0, "%s", res.err ? res.err : "");
	cli_result_free(&res);
	snprintf(path, sizeof(path), "%s/o/events.log", dir);
	log = cli_slurp(path, NULL);
	cr_assert_not_null(log);
	cr_expect(strstr(log, "Progressing") == NULL, "%s", log);
	cr_expect(strstr(log, "Available ") != NULL, "%s", log);
	free(log);
	cli_rmrf(dir);
	free(dir);
}

/* The way back: MaxInt32, then an apply of 60 s at 100 s. The sync finds
 * the new ReplicaSet with no Progressing condition (getNewReplicaSet:
 * FoundNewReplicaSet, lastUpdateTime 100 s); nothing progresses, so it
 * times out at 100 + 60 + 1 = 161 s. */
Test(controller, deadline_apply_after_maxint32)
{
	struct ctl_run r;
	double t = -1;

	ctl_run(&r, STUCK_SCENARIO(
			"\"progressDeadlineSeconds\": 2147483647,",
			", { \"at\": \"100s\", \"action\": \"apply\", "
			"\"deployment\": { \"progressDeadlineSeconds\": 60 } }"));
	cr_expect_eq(ctl_count(&r, 0, 99.999, NULL, "Progressing", NULL,
			       NULL), 0);
	cr_expect_eq(ctl_count(&r, 100, 100, "Status", "Progressing",
			       "True FoundNewReplicaSet", NULL), 1, "%s",
		     r.events);
	cr_expect_eq(ctl_count(&r, 0, 1e9, "Warning",
			       "ProgressDeadlineExceeded", NULL, &t), 1);
	cr_expect(fabs(t - 161) < 1e-6, "ProgressDeadlineExceeded at %g", t);
	ctl_free(&r);
}

/* ------------------------------------------ minReadySeconds changed later */

/* 10 replicas of a:1 (pull 20 s, no probe): all 10 pods are created at
 * 0 s and Ready at 20 s. 25 % of 10: maxUnavailable 2, so the Available
 * condition needs 8 available pods (sync.go calculateStatus). MINREADY
 * and EVENTS are spliced in. */
#define READY20_SCENARIO(MINREADY, EVENTS) \
	"{ \"name\": \"minready\", \"until\": \"200s\"," \
	"  \"controllers\": { \"syncDelay\": 0 }," \
	"  \"deployment\": { \"name\": \"web\", \"replicas\": 10," \
	"    " MINREADY " \"image\": \"a:1\" }," \
	"  \"images\": { \"a:1\": { \"pull\": \"20s\" } }," \
	"  \"events\": [ " EVENTS " ] }"

/* minReadySeconds 3600 (progressDeadlineSeconds must exceed it), lowered
 * to 1 by an apply at 60 s. getNewReplicaSet copies 1 onto the
 * ReplicaSet; IsPodAvailable(pod, 1, 60 s) holds for pods Ready since
 * 20 s (20 + 1 < 60), so all 10 are available at 60 s: Available turns
 * True then, and the ReplicaSet is complete (Progressing
 * NewReplicaSetAvailable). Before 60 s no pod is available. */
Test(controller, min_ready_lowered_rejudges_ready_pods)
{
	struct ctl_run r;
	double t = -1;

	ctl_run(&r, READY20_SCENARIO(
			"\"minReadySeconds\": 3600, "
			"\"progressDeadlineSeconds\": 7200,",
			"{ \"at\": \"60s\", \"action\": \"apply\", "
			"\"deployment\": { \"minReadySeconds\": 1 } }"));
	cr_expect_eq(ctl_count(&r, 0, 1e9, "Status", "Available",
			       "True MinimumReplicasAvailable", &t), 1,
		     "%s", r.events);
	cr_expect(fabs(t - 60) < 1e-6, "Available True at %g, expected 60",
		  t);
	cr_expect_eq(ctl_count(&r, 60, 60, "Status", "Progressing",
			       "True NewReplicaSetAvailable", NULL), 1);
	cr_expect_eq(cli_json_number(r.summary, "pods.created"), 10);
	ctl_free(&r);
}

/* minReadySeconds 0: available at 20 s (Available True then). An apply
 * of 100 at 60 s: the pods have been Ready for 40 s < 100, so they are
 * unavailable until 20 + 100 = 120 s: Available False at 60 s, True
 * again at 120 s. No pod is replaced (readiness did not change). */
Test(controller, min_ready_raised_makes_pods_unavailable)
{
	struct ctl_run r;
	double t = -1;

	ctl_run(&r, READY20_SCENARIO(
			"",
			"{ \"at\": \"60s\", \"action\": \"apply\", "
			"\"deployment\": { \"minReadySeconds\": 100 } }"));
	cr_expect_eq(ctl_count(&r, 20, 20, "Status", "Available",
			       "True MinimumReplicasAvailable", NULL), 1,
		     "%s", r.events);
	cr_expect_eq(ctl_count(&r, 20.001, 1e9, "Status", "Available",
			       "False MinimumReplicasUnavailable", &t), 1,
		     "%s", r.events);
	cr_expect(fabs(t - 60) < 1e-6, "Available False at %g, expected 60",
		  t);
	t = -1;
	cr_expect_eq(ctl_count(&r, 60.001, 1e9, "Status", "Available",
			       "True MinimumReplicasAvailable", &t), 1);
	cr_expect(fabs(t - 120) < 1e-6, "Available True at %g, expected 120",
		  t);
	cr_expect_eq(cli_json_number(r.summary, "pods.created"), 10);
	ctl_free(&r);
}

/* Only the new ReplicaSet takes the new value (getNewReplicaSet); old
 * ones keep theirs. 2 replicas, maxSurge 1, maxUnavailable 0, pull 10 s,
 * minReadySeconds 0: a:1's pods are Ready and available at 10 s. At
 * 100 s one apply sets image a:2 and minReadySeconds 200. The old
 * ReplicaSet keeps 0, so its 2 pods stay available (were 200 applied to
 * them, Ready since 10 s, they would be unavailable until 210 s and
 * Available would turn False at 100 s). The new ReplicaSet has 200:
 *   100 s  new 0 -> 1 (surge); its pod Ready at 110 s, available at 310 s
 *   310 s  old 2 -> 1, new 1 -> 2; the second pod Ready at 320 s,
 *          available at 520 s
 *   520 s  old 1 -> 0: complete at 520 s. */
Test(controller, min_ready_change_leaves_old_replicasets)
{
	struct ctl_run r;

	ctl_run(&r,
		"{ \"name\": \"minready-old\", \"until\": \"700s\","
		"  \"controllers\": { \"syncDelay\": 0 },"
		"  \"deployment\": { \"name\": \"web\", \"replicas\": 2,"
		"    \"strategy\": { \"rollingUpdate\": { \"maxSurge\": 1,"
		"                                       \"maxUnavailable\": 0 } },"
		"    \"image\": \"a:1\" },"
		"  \"images\": { \"a:1\": { \"pull\": \"10s\" },"
		"                \"a:2\": { \"pull\": \"10s\" } },"
		"  \"events\": [ { \"at\": \"100s\", \"action\": \"apply\","
		"    \"deployment\": { \"image\": \"a:2\","
		"                      \"minReadySeconds\": 200 } } ] }");
	cr_expect_eq(ctl_count(&r, 10.001, 1e9, "Status", "Available",
			       "False", NULL), 0, "%s", r.events);
	cr_expect_eq(cli_json_bool(r.summary, "rollout.complete"), 1);
	cr_expect(fabs(cli_json_number(r.summary, "rollout.completed_s") -
		       520) < 1e-6, "completed at %g",
		  cli_json_number(r.summary, "rollout.completed_s"));
	cr_expect_eq(cli_json_number(r.summary, "pods.min_available"), 2);
	ctl_free(&r);
}

/* ------------------------------- the Progressing condition, sync by sync */

/* STUCK_SCENARIO's Deployment, but a:2's pod is Ready 50 s after it is
 * created (pull 50 s). At 10 s the sync that creates the new ReplicaSet
 * (NewReplicaSetCreated) stores updatedReplicas 0: the ReplicaSet's
 * status has no pod yet (sync.go calculateStatus). The next sync, at
 * once, finds its pod: updatedReplicas 0 -> 1 is progress
 * (DeploymentProgressing), so Progressing turns True/ReplicaSetUpdated at
 * 10 s, naming the new ReplicaSet, not only when the pod is Ready at
 * 60 s. */
Test(controller, progressing_updated_right_after_creation)
{
	struct ctl_run r;
	char created[256], want[300];
	const char *name, *q;
	double t = -1;

	ctl_run(&r,
		"{ \"name\": \"slow\", \"until\": \"200s\","
		"  \"controllers\": { \"syncDelay\": 0 },"
		"  \"deployment\": { \"name\": \"web\", \"replicas\": 3,"
		"    \"image\": \"a:1\" },"
		"  \"images\": { \"a:1\": { \"pull\": \"2s\" },"
		"                \"a:2\": { \"pull\": \"50s\" } },"
		"  \"events\": [ { \"at\": \"10s\", \"action\": \"setImage\","
		"                  \"image\": \"a:2\" } ] }");
	cr_assert_eq(ctl_find(&r, 10, 10, "Status", "Progressing",
			      "True NewReplicaSetCreated", NULL, created,
			      sizeof(created)), 1, "%s", r.events);
	name = strchr(created, '"');
	cr_assert_not_null(name, "%s", created);
	q = strchr(name + 1, '"');
	cr_assert_not_null(q, "%s", created);
	snprintf(want, sizeof(want), "True ReplicaSetUpdated: ReplicaSet "
		 "%.*s is progressing.", (int)(q - name + 1), name);
	cr_expect_eq(ctl_count(&r, 10.001, 1e9, "Status", "Progressing",
			       "True ReplicaSetUpdated", NULL), 0);
	cr_expect_eq(ctl_count(&r, 10, 10, "Status", "Progressing", want,
			       &t), 1, "no \"%s\" at 10 s:\n%s", want,
		     r.events);
	/* and in that order: created, then updated */
	cr_expect(strstr(r.events, "True NewReplicaSetCreated") <
		  strstr(r.events, want));
	ctl_free(&r);
}

/* The scaling path writes the status it read before its writes too
 * (sync.go sync -> syncDeploymentStatus). STUCK_SCENARIO with a 60 s
 * deadline, scaled from 3 to 1 at 40 s. R = 1: maxSurge ceil(0.25) = 1,
 * maxUnavailable 0, allowed 2 (sync.go scale, deployment_util.go
 * GetProportion): toAdd 2 - 4 = -2; the old ReplicaSet (3, max-replicas
 * 4) gets round(3 * 2 / 4 = 1.5) - 3 = -1, the new one round(0.5) - 1 =
 * 0, the leftover -1 goes to the largest (old): old 1, new 1. The scaling
 * sync stores replicas 4 / updated 1; the rollout sync after it sees old
 * replicas 3 -> 1, progress: ReplicaSetUpdated at 40 s, so the deadline
 * passes at 40 + 60 + 1 = 101 s, not 10 + 60 + 1 = 71 s. */
Test(controller, progress_after_scaling_refreshes_deadline)
{
	struct ctl_run r;
	double t = -1;

	ctl_run(&r, STUCK_SCENARIO(
			"\"progressDeadlineSeconds\": 60,",
			", { \"at\": \"40s\", \"action\": \"scale\", "
			"\"replicas\": 1 }"));
	cr_expect_eq(ctl_count(&r, 0, 1e9, "Warning",
			       "ProgressDeadlineExceeded", NULL, &t), 1,
		     "%s", r.events);
	cr_expect(fabs(t - 101) < 1e-6, "ProgressDeadlineExceeded at %g, "
		  "expected 101", t);
	ctl_free(&r);
}

/* Recreate, 2 replicas, progressDeadlineSeconds 10; a:1 Ready at 2 s
 * (complete: NewReplicaSetAvailable at 2 s). At 30 s a:2: the sync that
 * scales the old ReplicaSet to 0 reads replicas 2 / updated 0, which is
 * neither complete nor progress; the condition still says
 * NewReplicaSetAvailable, from which DeploymentTimedOut never times out
 * (progress.go / deployment_util.go), however old it is. The old pods
 * take 20 s to stop: at 50 s the new ReplicaSet is created (Created, then
 * ReplicaSetUpdated), Ready at 52 s: complete, never timed out. */
Test(controller, recreate_never_times_out_from_available)
{
	struct ctl_run r;

	ctl_run(&r,
		"{ \"name\": \"recreate\", \"until\": \"200s\","
		"  \"controllers\": { \"syncDelay\": 0 },"
		"  \"deployment\": { \"name\": \"web\", \"replicas\": 2,"
		"    \"progressDeadlineSeconds\": 10,"
		"    \"strategy\": { \"type\": \"Recreate\" },"
		"    \"image\": \"a:1\" },"
		"  \"images\": { \"a:1\": { \"pull\": \"2s\", \"shutdown\": \"20s\" },"
		"                \"a:2\": { \"pull\": \"2s\" } },"
		"  \"events\": [ { \"at\": \"30s\", \"action\": \"setImage\","
		"                  \"image\": \"a:2\" } ] }");
	cr_expect_eq(ctl_count(&r, 0, 1e9, NULL, "ProgressDeadlineExceeded",
			       NULL, NULL), 0, "%s", r.events);
	cr_expect_eq(ctl_count(&r, 30, 49.999, "Status", "Progressing", NULL,
			       NULL), 0, "%s", r.events);
	cr_expect_eq(ctl_count(&r, 50, 50, "Status", "Progressing",
			       "True NewReplicaSetCreated", NULL), 1);
	cr_expect_eq(ctl_count(&r, 50, 50, "Status", "Progressing",
			       "True ReplicaSetUpdated", NULL), 1);
	cr_expect_eq(ctl_count(&r, 52, 52, "Status", "Progressing",
			       "True NewReplicaSetAvailable", NULL), 1);
	cr_expect(fabs(cli_json_number(r.summary, "rollout.completed_s") -
		       52) < 1e-6, "completed at %g",
		  cli_json_number(r.summary, "rollout.completed_s"));
	ctl_free(&r);
}

/* ------------------------------------------------ rollout undo, as kubectl */

/* kubectl performs the undo itself (polymorphichelpers/rollback.go
 * DeploymentRollbacker.Rollback): deploymentRevision first (revision N,
 * or for 0 the second-highest; "unable to find specified revision N in
 * history" / "no rollout history found for deployment"), then the paused
 * refusal, then "skipped rollback (current template already matches
 * revision N)" with N as asked, else the patch and "rolled back"
 * (printed as deployment.apps/NAME ...; errors as "error: ..."). 2
 * replicas, a:1 and a:2 Ready 2 s after creation:
 *    5 s  undo         only revision 1 exists: no rollout history
 *   10 s  a:2          revision 2 (complete at 14 s)
 *   30 s  undo to 5    no such revision
 *   35 s  undo to 2    revision 2 is the current template: skipped
 *   40 s  pause
 *   45 s  undo to 9    the revision is looked up before the pause check
 *   50 s  undo         paused: refused
 *   60 s  resume
 *   70 s  undo         back to revision 1's template: rolled back; that
 *                      ReplicaSet becomes revision 3 (getNewReplicaSet) */
static const struct {
	double t;
	const char *msg;
} undo_lines[] = {
	{ 5, "error: no rollout history found for deployment \"web\"" },
	{ 30, "error: unable to find specified revision 5 in history" },
	{ 35, "deployment.apps/web skipped rollback (current template "
	      "already matches revision 2)" },
	{ 45, "error: unable to find specified revision 9 in history" },
	{ 50, "error: you cannot rollback a paused deployment; resume it "
	      "first with 'kubectl rollout resume deployment/web' and try "
	      "again" },
	{ 70, "deployment.apps/web rolled back" },
};

Test(controller, undo_reads_as_kubectl)
{
	struct ctl_run r;
	char got[512];
	size_t i;

	ctl_run(&r,
		"{ \"name\": \"undo\", \"until\": \"100s\","
		"  \"controllers\": { \"syncDelay\": 0 },"
		"  \"deployment\": { \"name\": \"web\", \"replicas\": 2,"
		"    \"image\": \"a:1\" },"
		"  \"images\": { \"a:1\": { \"pull\": \"2s\" },"
		"                \"a:2\": { \"pull\": \"2s\" } },"
		"  \"events\": ["
		"    { \"at\": \"5s\", \"action\": \"rolloutUndo\" },"
		"    { \"at\": \"10s\", \"action\": \"setImage\","
		"      \"image\": \"a:2\" },"
		"    { \"at\": \"30s\", \"action\": \"rolloutUndo\","
		"      \"toRevision\": 5 },"
		"    { \"at\": \"35s\", \"action\": \"rolloutUndo\","
		"      \"toRevision\": 2 },"
		"    { \"at\": \"40s\", \"action\": \"rolloutPause\" },"
		"    { \"at\": \"45s\", \"action\": \"rolloutUndo\","
		"      \"toRevision\": 9 },"
		"    { \"at\": \"50s\", \"action\": \"rolloutUndo\" },"
		"    { \"at\": \"60s\", \"action\": \"rolloutResume\" },"
		"    { \"at\": \"70s\", \"action\": \"rolloutUndo\" } ] }");
	cr_expect_eq(ctl_count(&r, 0, 1e9, "kubectl", "RolloutUndo", NULL,
			       NULL), (int)(sizeof(undo_lines) /
					    sizeof(undo_lines[0])),
		     "%s", r.events);
	for (i = 0; i < sizeof(undo_lines) / sizeof(undo_lines[0]); i++) {
		got[0] = '\0';
		ctl_find(&r, undo_lines[i].t, undo_lines[i].t, "kubectl",
			 "RolloutUndo", NULL, NULL, got, sizeof(got));
		cr_expect_str_eq(got, undo_lines[i].msg, "at %g s",
				 undo_lines[i].t);
	}
	/* no controller-side rollback events, no other lines for the undos */
	cr_expect_eq(ctl_count(&r, 0, 1e9, NULL, "DeploymentRollback", NULL,
			       NULL), 0);
	cr_expect_eq(ctl_count(&r, 0, 1e9, "Warning", NULL, NULL, NULL), 0,
		     "%s", r.events);
	/* two template changes: the setImage (revision 2) and the one undo
	 * that rolled back (revision 1's ReplicaSet raised to 3) */
	{
		const cJSON *ro = cJSON_GetObjectItemCaseSensitive(r.summary,
								   "rollouts");

		cr_assert_eq(cJSON_GetArraySize(ro), 2);
		cr_expect_eq(cli_json_number(cJSON_GetArrayItem(ro, 0),
					     "revision"), 2);
		cr_expect_eq(cli_json_number(cJSON_GetArrayItem(ro, 1),
					     "revision"), 3);
		cr_expect_eq(cli_json_bool(cJSON_GetArrayItem(ro, 1),
					   "complete"), 1);
	}
	ctl_free(&r);
}
