/* test_pod_view.c - the on_pod observer: one call per change of a pod as
 * stored, with the STATUS and READY kubectl prints for it.
 *
 * Every expected sequence is derived by hand from the model's timings and
 * kubectl's printPod rules (kubernetes pkg/printers/internalversion/
 * printers.go): Terminating when deletionTimestamp is set (the phase is
 * never terminal here); else the container's waiting reason
 * (ContainerCreating, ErrImagePull, ImagePullBackOff, CrashLoopBackOff) or
 * terminated reason (Error); else the phase (Pending, Running). READY
 * counts a container that is ready and running. RESTARTS is the restart
 * count; the last exit is lastState.terminated.finishedAt, which exists
 * once the container has been restarted (the kubelet increments the
 * count when it creates the new container).
 *
 * The world is pod_rec.c's: one replica of app:1, no cluster (a node of
 * its own, "node-auto"), scheduling at once, pull 2 s, containerStart
 * 1 s: the container runs from 3 s.
 */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "models/pod.h"
#include "models/probe.h"
#include "models/world.h"
#include "sim/core/dist.h"
#include "sim/core/engine.h"
#include "pod_rec.h"

#define S SIM_NS_PER_S

/* One expected row: seconds, change, STATUS, READY, RESTARTS, last exit
 * in seconds (-1: none), deleted. */
struct want {
	double t;
	const char *change, *status;
	int ready, restarts;
	double last_exit;
	int deleted;
};

static void fmt_row(char *buf, size_t n, double t, const char *change,
		    const char *status, int ready, int restarts,
		    double last_exit, int deleted)
{
	snprintf(buf, n, "%.3f %s %s %d/1 %d last=%.3f%s\n", t, change, status,
		 ready, restarts, last_exit, deleted ? " DELETED" : "");
}

/* The rows of pod name as text, one line each. */
static void rows_of(const struct rec *r, const char *name, char *out,
		    size_t cap)
{
	size_t i, used = 0;

	out[0] = '\0';
	for (i = 0; i < r->n_pv && used + 128 < cap; i++) {
		const struct rec_pod *p = &r->pv[i];

		if (strcmp(p->name, name) != 0)
			continue;
		cr_expect_eq(p->containers, 1);
		fmt_row(out + used, cap - used, sim_ns_to_s(p->t), p->change,
			p->status, p->ready, p->restarts,
			p->last_exit_ns < 0 ? -1.0 : sim_ns_to_s(p->last_exit_ns),
			p->deleted);
		used += strlen(out + used);
	}
}

static void expect_rows(const struct rec *r, const char *row,
			const char *name, const struct want *w, size_t n)
{
	char got[8192], want[8192];
	size_t i, used = 0;

	want[0] = '\0';
	for (i = 0; i < n; i++) {
		fmt_row(want + used, sizeof(want) - used, w[i].t, w[i].change,
			w[i].status, w[i].ready, w[i].restarts, w[i].last_exit,
			w[i].deleted);
		used += strlen(want + used);
	}
	rows_of(r, name, got, sizeof(got));
	cr_expect_str_eq(got, want, "%s: rows of %s\nexpected:\n%s\ngot:\n%s",
			 row, name, want, got);
}

/* The first pod's name (its "created" row is the first call). */
static const char *first_pod(const struct rec *r)
{
	cr_assert_gt(r->n_pv, 0, "no on_pod call at all");
	cr_assert_str_eq(r->pv[0].change, "created");
	return r->pv[0].name;
}

/* Created and scheduled at 0 (Pending, then with a node), the kubelet's
 * first status (ContainerCreating) at once; no readiness probe: the
 * container is ready as it runs, so the start at 3 s is Running 1/1. */
Test(pod_view, new_pod_without_probe)
{
	static const struct want w[] = {
		{ 0, "created", "Pending", 0, 0, -1, 0 },
		{ 0, "scheduled", "Pending", 0, 0, -1, 0 },
		{ 0, "creating", "ContainerCreating", 0, 0, -1, 0 },
		{ 3, "started", "Running", 1, 0, -1, 0 },
	};
	struct world_config cfg;
	struct world_metrics m;
	struct rec r;
	const char *name;

	rec_one_pod_config(&cfg, "pod-view", 20 * S);
	rec_run_world(&cfg, &r, &m, "new pod");
	name = first_pod(&r);
	expect_rows(&r, "new pod", name, w, sizeof(w) / sizeof(*w));
	cr_expect_str_eq(r.pv[0].node, "", "a pod not yet bound has no node");
	cr_expect_str_eq(r.pv[1].node, "node-auto");
	cr_expect_eq(r.pv[0].revision, 1);
	cr_expect_eq(r.pv[0].created_ns, 0);
	cr_expect(strncmp(name, r.pv[0].rs, strlen(r.pv[0].rs)) == 0,
		  "the pod's name begins with its ReplicaSet's");
	rec_free(&r);
}

/* Readiness probe every 1 s from the start (3 s), app up 1.5 s after it
 * (4.5 s): the attempts at 3 and 4 fail, the one at 5 passes
 * (successThreshold 1): Running 0/1 at 3, 1/1 at 5. */
Test(pod_view, new_pod_with_readiness_probe)
{
	static const struct want w[] = {
		{ 0, "created", "Pending", 0, 0, -1, 0 },
		{ 0, "scheduled", "Pending", 0, 0, -1, 0 },
		{ 0, "creating", "ContainerCreating", 0, 0, -1, 0 },
		{ 3, "started", "Running", 0, 0, -1, 0 },
		{ 5, "ready", "Running", 1, 0, -1, 0 },
	};
	struct world_config cfg;
	struct world_metrics m;
	struct rec r;

	rec_one_pod_config(&cfg, "pod-view", 20 * S);
	probe_config_defaults(&cfg.images[0].readiness);
	cfg.images[0].readiness.period_ns = 1 * S;
	cfg.images[0].startup = dist_constant(1500 * SIM_NS_PER_MS);
	rec_run_world(&cfg, &r, &m, "readiness");
	expect_rows(&r, "readiness", first_pod(&r), w, sizeof(w) / sizeof(*w));
	rec_free(&r);
}

/* kubectl delete pod at 100 s, shutdown 5 s, grace 30 s, no preStop:
 * deletionTimestamp at 100 (Terminating, still 1/1: the container runs),
 * the app exits at 105 (Terminating 0/1), and the object is removed at
 * once (the DELETED event carries that last state). */
Test(pod_view, old_pod_termination)
{
	static const struct want w[] = {
		{ 0, "created", "Pending", 0, 0, -1, 0 },
		{ 0, "scheduled", "Pending", 0, 0, -1, 0 },
		{ 0, "creating", "ContainerCreating", 0, 0, -1, 0 },
		{ 3, "started", "Running", 1, 0, -1, 0 },
		{ 100, "terminating", "Terminating", 1, 0, -1, 0 },
		{ 105, "stopped", "Terminating", 0, 0, -1, 0 },
		{ 105, "deleted", "Terminating", 0, 0, -1, 1 },
	};
	struct world_config cfg;
	struct world_metrics m;
	struct world_event *e;
	struct rec r;

	rec_one_pod_config(&cfg, "pod-view", 200 * S);
	cfg.images[0].shutdown = dist_constant(5 * S);
	e = rec_add_event(&cfg, 100 * S, ACTION_DELETE_POD);
	e->revision = 1;
	e->pick = PICK_OLDEST;
	rec_run_world(&cfg, &r, &m, "termination");
	expect_rows(&r, "termination", first_pod(&r), w,
		    sizeof(w) / sizeof(*w));
	rec_free(&r);
}

/* The app exits 5 s after each start. Start 3; exit 8 (Error, 0
 * restarts): the first restart is at once, the new container runs at 9
 * (restarts 1, last exit 8); exit 14: Error, and the back-off of 10 s
 * written at once as CrashLoopBackOff; restart at 24, running at 25
 * (restarts 2, last exit 14); exit 30: Error, CrashLoopBackOff (20 s). */
Test(pod_view, crash_loop)
{
	static const struct want w[] = {
		{ 0, "created", "Pending", 0, 0, -1, 0 },
		{ 0, "scheduled", "Pending", 0, 0, -1, 0 },
		{ 0, "creating", "ContainerCreating", 0, 0, -1, 0 },
		{ 3, "started", "Running", 1, 0, -1, 0 },
		{ 8, "exited", "Error", 0, 0, -1, 0 },
		{ 9, "restarted", "Running", 1, 1, 8, 0 },
		{ 14, "exited", "Error", 0, 1, 8, 0 },
		{ 14, "backoff", "CrashLoopBackOff", 0, 1, 8, 0 },
		{ 25, "restarted", "Running", 1, 2, 14, 0 },
		{ 30, "exited", "Error", 0, 2, 14, 0 },
		{ 30, "backoff", "CrashLoopBackOff", 0, 2, 14, 0 },
	};
	struct world_config cfg;
	struct world_metrics m;
	struct rec r;

	rec_one_pod_config(&cfg, "pod-view", 40 * S);
	cfg.images[0].crash.enabled = 1;
	cfg.images[0].crash.after = dist_constant(5 * S);
	cfg.images[0].crash.probability = 1.0;
	rec_run_world(&cfg, &r, &m, "crash loop");
	expect_rows(&r, "crash loop", first_pod(&r), w, sizeof(w) / sizeof(*w));
	rec_free(&r);
}

/* Every pull fails (pullFailureProbability 1): the pull of 2 s ends at 2
 * with ErrImagePull, the back-off (10 s) is written at once as
 * ImagePullBackOff; the retry at 12 fails at 14 (back-off 20 s), the
 * next at 34 fails at 36. The container never ran: no restart. */
Test(pod_view, bad_image)
{
	static const struct want w[] = {
		{ 0, "created", "Pending", 0, 0, -1, 0 },
		{ 0, "scheduled", "Pending", 0, 0, -1, 0 },
		{ 0, "creating", "ContainerCreating", 0, 0, -1, 0 },
		{ 2, "pullfailed", "ErrImagePull", 0, 0, -1, 0 },
		{ 2, "pullbackoff", "ImagePullBackOff", 0, 0, -1, 0 },
		{ 14, "pullfailed", "ErrImagePull", 0, 0, -1, 0 },
		{ 14, "pullbackoff", "ImagePullBackOff", 0, 0, -1, 0 },
		{ 36, "pullfailed", "ErrImagePull", 0, 0, -1, 0 },
		{ 36, "pullbackoff", "ImagePullBackOff", 0, 0, -1, 0 },
	};
	struct world_config cfg;
	struct world_metrics m;
	struct rec r;

	rec_one_pod_config(&cfg, "pod-view", 40 * S);
	cfg.images[0].pull_failure_prob = 1.0;
	rec_run_world(&cfg, &r, &m, "bad image");
	expect_rows(&r, "bad image", first_pod(&r), w, sizeof(w) / sizeof(*w));
	rec_free(&r);
}

/* A pod deleted before its container ran (the pull of 2 s still going at
 * 1 s) is Terminating, then removed at once. */
Test(pod_view, pending_pod_deleted)
{
	static const struct want w[] = {
		{ 0, "created", "Pending", 0, 0, -1, 0 },
		{ 0, "scheduled", "Pending", 0, 0, -1, 0 },
		{ 0, "creating", "ContainerCreating", 0, 0, -1, 0 },
		{ 1, "terminating", "Terminating", 0, 0, -1, 0 },
		{ 1, "deleted", "Terminating", 0, 0, -1, 1 },
	};
	struct world_config cfg;
	struct world_metrics m;
	struct world_event *e;
	struct rec r;

	rec_one_pod_config(&cfg, "pod-view", 2 * S);
	e = rec_add_event(&cfg, 1 * S, ACTION_DELETE_POD);
	e->revision = 1;
	e->pick = PICK_OLDEST;
	rec_run_world(&cfg, &r, &m, "pending deleted");
	expect_rows(&r, "pending deleted", first_pod(&r), w,
		    sizeof(w) / sizeof(*w));
	rec_free(&r);
}

/* Pod names (KUBECTL-style, upstream's SimpleNameGenerator): the
 * ReplicaSet's name, "-", 5 letters of the alphabet; a base longer than
 * 58 characters is cut to 58, so a name never exceeds 63. A Deployment
 * name of 52 characters gives a ReplicaSet name of 53 + the hash (63 with
 * a 10-letter hash): its pods are its first 58 characters (the dash
 * cut off when the hash has 10 letters) and 5 letters. */
static void expect_pod_name(const char *dep_name)
{
	static const char alphabet[] = "bcdfghjklmnpqrstvwxz2456789";
	struct world_config cfg;
	struct world_metrics m;
	struct rec r;
	char base[REC_OBJECT_LEN + 2];
	size_t nb, i;
	const char *name;

	rec_one_pod_config(&cfg, "pod-view", 1 * S);
	snprintf(cfg.deployment.name, sizeof(cfg.deployment.name), "%s",
		 dep_name);
	rec_run_world(&cfg, &r, &m, dep_name);
	name = first_pod(&r);
	snprintf(base, sizeof(base), "%s-", r.pv[0].rs);
	nb = strlen(base) > 58 ? 58 : strlen(base);
	cr_expect_eq(strlen(name), nb + 5, "%s: length of %s", dep_name, name);
	cr_expect(strncmp(name, base, nb) == 0, "%s: %s does not begin with %.*s",
		  dep_name, name, (int)nb, base);
	for (i = nb; i < strlen(name); i++)
		cr_expect(name[i] && strchr(alphabet, name[i]),
			  "%s: %c is not of the alphabet", name, name[i]);
	cr_expect_leq(strlen(name), 63);
	rec_free(&r);
}

Test(pod_view, pod_names_as_generated)
{
	expect_pod_name("web");
	/* 52 characters, the longest name a scenario takes */
	expect_pod_name("a234567890123456789012345678901234567890123456789012");
}

/* No readiness probe (ready as it runs); livenessProbe p10 F3 that never
 * passes (neverReady): ticks at ages 0, 10, 20 fail, so container 1 (T0
 * 3) is killed at 23: its Ready flips at once (unready), the app exits
 * at once (shutdown 0: Error), the first restart is at once and runs at
 * 24 (restarts 1, last exit 23). Container 2 is killed at 44: unready,
 * Error, and the back-off of 10 s (CrashLoopBackOff). */
Test(pod_view, liveness_kill)
{
	static const struct want w[] = {
		{ 0, "created", "Pending", 0, 0, -1, 0 },
		{ 0, "scheduled", "Pending", 0, 0, -1, 0 },
		{ 0, "creating", "ContainerCreating", 0, 0, -1, 0 },
		{ 3, "started", "Running", 1, 0, -1, 0 },
		{ 23, "unready", "Running", 0, 0, -1, 0 },
		{ 23, "exited", "Error", 0, 0, -1, 0 },
		{ 24, "restarted", "Running", 1, 1, 23, 0 },
		{ 44, "unready", "Running", 0, 1, 23, 0 },
		{ 44, "exited", "Error", 0, 1, 23, 0 },
		{ 44, "backoff", "CrashLoopBackOff", 0, 1, 23, 0 },
	};
	struct world_config cfg;
	struct world_metrics m;
	struct rec r;

	rec_one_pod_config(&cfg, "pod-view", 50 * S);
	probe_config_defaults(&cfg.images[0].liveness);
	cfg.images[0].liveness.never_ready = 1;
	rec_run_world(&cfg, &r, &m, "liveness");
	expect_rows(&r, "liveness", first_pod(&r), w, sizeof(w) / sizeof(*w));
	rec_free(&r);
}

/* One node of 1000 millicores, pods asking for 600: the first pod
 * created is bound, the second fits nowhere and stays Pending without
 * a node (one unschedulable row: PodScheduled False). */
Test(pod_view, unschedulable)
{
	static const struct want w[] = {
		{ 0, "created", "Pending", 0, 0, -1, 0 },
		{ 0, "unschedulable", "Pending", 0, 0, -1, 0 },
	};
	struct world_config cfg;
	struct world_metrics m;
	struct rec r;
	char second[REC_OBJECT_LEN] = "";
	size_t i;

	rec_one_pod_config(&cfg, "pod-view", 20 * S);
	cfg.deployment.replicas = 2;
	cfg.images[0].cpu_milli = 600;
	cfg.cluster.enabled = 1;
	cfg.cluster.nodes = calloc(1, sizeof(*cfg.cluster.nodes));
	cr_assert_not_null(cfg.cluster.nodes);
	cfg.cluster.n_nodes = 1;
	snprintf(cfg.cluster.nodes[0].name, sizeof(cfg.cluster.nodes[0].name),
		 "node-1");
	cfg.cluster.nodes[0].cpu_milli = 1000;
	cfg.cluster.nodes[0].max_pods = 110;
	rec_run_world(&cfg, &r, &m, "unschedulable");
	for (i = 1; i < r.n_pv && !second[0]; i++)
		if (strcmp(r.pv[i].change, "created") == 0)
			snprintf(second, sizeof(second), "%s", r.pv[i].name);
	cr_assert(second[0], "no second pod");
	expect_rows(&r, "unschedulable", second, w, sizeof(w) / sizeof(*w));
	for (i = 0; i < r.n_pv; i++)
		if (strcmp(r.pv[i].name, second) != 0 &&
		    strcmp(r.pv[i].change, "scheduled") == 0)
			cr_expect_str_eq(r.pv[i].node, "node-1");
	rec_free(&r);
}
