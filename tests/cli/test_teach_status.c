/* test_teach_status.c - `kubectl rollout status`: teach_status_line over
 * every check of kubectl's DeploymentStatusViewer.Status in its order
 * (states built by hand), and `rollsim watch --view status` transcripts
 * worked out by hand from those checks and the rolling-update rules.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/teach/teach_impl.h"
#include "cli_util.h"

/* A Deployment of 3 replicas whose rollout is complete. */
static struct world_deploy_view done_view(void)
{
	struct world_deploy_view d;

	memset(&d, 0, sizeof(d));
	d.name = "web";
	d.generation = d.observed_generation = 2;
	d.replicas = d.st_replicas = d.updated = d.ready = d.available = 3;
	d.progressing = "True NewReplicaSetAvailable";
	d.available_cond = "True MinimumReplicasAvailable";
	return d;
}

static int line_of(const struct world_deploy_view *d, char *buf)
{
	return teach_status_line(d, buf, 256);
}

Test(status_line, done)
{
	struct world_deploy_view d = done_view();
	char buf[256];

	cr_expect_eq(line_of(&d, buf), 1);
	cr_expect_str_eq(buf, "deployment \"web\" successfully rolled out");
}

/* Check 1 comes first: an unobserved spec hides everything else, even a
 * deadline error and missing replicas. */
Test(status_line, spec_not_observed_first)
{
	struct world_deploy_view d = done_view();
	char buf[256];

	d.generation = 3;
	d.progressing = "False ProgressDeadlineExceeded";
	d.updated = 0;
	cr_expect_eq(line_of(&d, buf), 0);
	cr_expect_str_eq(buf, "Waiting for deployment spec update to be "
			      "observed...");
}

/* Check 2 before check 3: the error although replicas are missing. */
Test(status_line, deadline_before_counts)
{
	struct world_deploy_view d = done_view();
	char buf[256];

	d.progressing = "False ProgressDeadlineExceeded";
	d.updated = 1;
	d.st_replicas = 4;
	cr_expect_eq(line_of(&d, buf), -1);
	cr_expect_str_eq(buf, "error: deployment \"web\" exceeded its "
			      "progress deadline");
}

/* Check 3 before 4 and 5: updated < spec.replicas. */
Test(status_line, new_replicas_updated)
{
	struct world_deploy_view d = done_view();
	char buf[256];

	d.updated = 1;
	d.st_replicas = 4;      /* also old pods: check 4 would hold */
	d.available = 0;        /* and check 5 */
	d.progressing = "True ReplicaSetUpdated";
	cr_expect_eq(line_of(&d, buf), 0);
	cr_expect_str_eq(buf, "Waiting for deployment \"web\" rollout to "
			      "finish: 1 out of 3 new replicas have been "
			      "updated...");
}

/* Check 4 before 5: status.replicas - updated old pods remain. */
Test(status_line, old_pending_termination)
{
	struct world_deploy_view d = done_view();
	char buf[256];

	d.st_replicas = 5;
	d.available = 1;
	cr_expect_eq(line_of(&d, buf), 0);
	cr_expect_str_eq(buf, "Waiting for deployment \"web\" rollout to "
			      "finish: 2 old replicas are pending "
			      "termination...");
}

Test(status_line, updated_available)
{
	struct world_deploy_view d = done_view();
	char buf[256];

	d.available = 2;
	cr_expect_eq(line_of(&d, buf), 0);
	cr_expect_str_eq(buf, "Waiting for deployment \"web\" rollout to "
			      "finish: 2 of 3 updated replicas are "
			      "available...");
}

/* status.replicas counts non-terminating pods only: old pods still
 * Terminating do not hold "successfully rolled out" back. */
Test(status_line, terminating_not_counted)
{
	struct world_deploy_view d = done_view();
	char buf[256];

	d.unavailable = 0;
	cr_expect_eq(line_of(&d, buf), 1);
}

/* 3 replicas, maxSurge 1 / maxUnavailable 0, a pod Ready and Available
 * 2 s after its creation (pull 2 s, no probe), old pods gone at once,
 * syncDelay 0, setImage at 30 s. */
#define WEB(delay, v2extra, deadline, events)                               \
	"{ \"name\": \"web\", \"until\": \"2m\","                           \
	"  \"controllers\": { \"syncDelay\": \"" delay "\" },"              \
	"  \"deployment\": { \"name\": \"web\", \"replicas\": 3,"           \
	"    \"progressDeadlineSeconds\": " deadline ","                    \
	"    \"strategy\": { \"rollingUpdate\": { \"maxSurge\": 1,"         \
	"                                       \"maxUnavailable\": 0 } },"  \
	"    \"image\": \"web:1\" },"                                       \
	"  \"images\": { \"web:1\": { \"pull\": \"2s\", \"shutdown\": 0,"   \
	"                 \"terminationGracePeriodSeconds\": 0 },"          \
	"    \"web:2\": { \"pull\": \"2s\", \"shutdown\": 0,"               \
	"                 \"terminationGracePeriodSeconds\": 0" v2extra "}"  \
	"  }, \"events\": [ { \"at\": \"30s\", \"action\": \"setImage\","   \
	"                     \"image\": \"web:2\" }" events " ] }"

static void run_view(const char *text, const char *args,
		     struct cli_result *r)
{
	char plain[1200];

	snprintf(plain, sizeof(plain), "--plain %s", args);
	cr_assert_eq(cli_run_text(r, text, "watch", plain), 0);
}

#define W "Waiting for deployment \"web\" rollout to finish: "

/* Session 1 starts with the Deployment at 0 s: by the end of that instant
 * the ReplicaSet exists with its 3 pods (updated 3, none available); at
 * 2 s all three are available together: done.
 * Session 2 starts at the trigger (30 s); by the end of that instant the
 * new ReplicaSet has 1 pod: 4 pods, updated 1 (check 3). Each later sync
 * writes, after each of its steps, the status it read before the step's
 * own writes (sync.go calculateStatus then the step):
 *  32 s  new pod available; step A reads (4 pods, updated 1, 4
 *        available) and scales old 3 -> 2; step B reads (3, 1, 3) and
 *        scales new 1 -> 2; the last step reads (4, 2, 3), changes
 *        nothing and writes it: "1 out of 3" twice, then "2 out of 3".
 *  34 s  the same one step later: (4, 2, 4) and (3, 2, 3) give "2 out of
 *        3" twice, (4, 3, 3) gives "1 old replicas are pending".
 *  36 s  (4, 3, 4): old 1 -> 0, "1 old replicas are pending"; then
 *        (3, 3, 3): done. */
static const char web_transcript[] =
	"$ kubectl rollout status deployment/web\n"
	W "0 of 3 updated replicas are available...\n"
	"deployment \"web\" successfully rolled out\n"
	"\n"
	"$ kubectl rollout status deployment/web\n"
	W "1 out of 3 new replicas have been updated...\n"
	W "1 out of 3 new replicas have been updated...\n"
	W "1 out of 3 new replicas have been updated...\n"
	W "2 out of 3 new replicas have been updated...\n"
	W "2 out of 3 new replicas have been updated...\n"
	W "2 out of 3 new replicas have been updated...\n"
	W "1 old replicas are pending termination...\n"
	W "1 old replicas are pending termination...\n"
	"deployment \"web\" successfully rolled out\n";

Test(watch_status, transcript)
{
	struct cli_result r;

	run_view(WEB("0s", "", "600", ""), "--view status", &r);
	cr_expect_eq(r.status, 0, "stderr: %s", r.err);
	cr_expect_str_eq(r.out, web_transcript);
	cli_result_free(&r);
}

/* With syncDelay 1 s the controller sees the new spec 1 s after the
 * trigger: the list at the trigger finds generation 2 > observed 1. */
Test(watch_status, spec_update_not_observed)
{
	struct cli_result r;
	const char *s2;

	run_view(WEB("1s", "", "600", ""), "--view status", &r);
	cr_expect_eq(r.status, 0);
	s2 = strstr(r.out, "\n\n$ kubectl rollout status deployment/web\n");
	cr_assert_not_null(s2, "%s", r.out);
	s2 += strlen("\n\n$ kubectl rollout status deployment/web\n");
	cr_expect_eq(strncmp(s2, "Waiting for deployment spec update to be "
			     "observed...\n", 52), 0, "%s", s2);
	cli_result_free(&r);
}

/* web:2 never becomes ready, progressDeadlineSeconds 10: the new pod
 * never counts, nothing progresses after 30 s, the controller looks
 * again 1 s past the deadline (41 s) and reports it: kubectl prints the
 * error and exits 1. */
Test(watch_status, progress_deadline)
{
	struct cli_result r;
	static const char tail[] =
		"$ kubectl rollout status deployment/web\n"
		W "1 out of 3 new replicas have been updated...\n"
		"error: deployment \"web\" exceeded its progress deadline\n";

	run_view(WEB("0s", ", \"readinessProbe\": { \"neverReady\": true }",
		     "10", ""), "--view status", &r);
	cr_expect_eq(r.status, 1);
	cr_assert_gt(strlen(r.out), strlen(tail));
	cr_expect_str_eq(r.out + strlen(r.out) - strlen(tail), tail, "%s",
			 r.out);
	cli_result_free(&r);
}

/* The same run twice: the same transcript. */
Test(watch_status, deterministic)
{
	struct cli_result a, b;

	run_view(WEB("1s", "", "600", ""), "--view status", &a);
	run_view(WEB("1s", "", "600", ""), "--view status", &b);
	cr_expect_str_eq(a.out, b.out);
	cli_result_free(&a);
	cli_result_free(&b);
}
