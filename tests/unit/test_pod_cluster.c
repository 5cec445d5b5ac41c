/* test_pod_cluster.c - image pulls and the node image cache, ImagePullBackOff,
 * scheduling on a cluster of nodes, node drains with a PodDisruptionBudget.
 *
 * Whole worlds (world_new / world_run) watched through on_event and
 * on_counts (the recorder of pod_rec.h). Timing is exact: scheduling
 * latency 0, pull and containerStart constants, no readiness probe unless
 * a test says so (a pod is then Ready when its container starts,
 * docs/kubernetes.md §9), preStop and shutdown 0 (a deleted running pod is
 * gone at the instant of its deletion, §11). Pods are named by the order
 * of their SuccessfulCreate events (pod 1 = the first created).
 *
 * Model rules used for the derivations (models/pod.c, scheduler.c,
 * cluster.h): with a cluster each node caches images; imagePullPolicy
 * IfNotPresent skips the pull when the node has the image; a pod that
 * needs an image another pod is pulling on the same node waits for that
 * pull and then looks again (serialised pulls); Always pulls for every
 * container start; a failed pull is retried after 10 s, doubling to 300 s,
 * counted from the failure. The scheduler binds to a node that fits (cpu,
 * memory, maxPods, not cordoned) with the highest LeastAllocated score
 * (mean free fraction after placing), ties to fewer pods, then the lower
 * index; a pod that fits nowhere is FailedScheduling and waits in a FIFO
 * retried when room frees up (a pod gone). A terminating pod keeps its
 * requests on the node until it is gone. drainNode cordons the node and
 * evicts its pods one at a time; an eviction that would leave fewer Ready
 * pods than the PDB's minAvailable is refused and retried every 5 s.
 * Expected values are derived by hand, never copied from the program.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "models/cluster.h"
#include "models/deployment.h"
#include "models/intstr.h"
#include "models/pod.h"
#include "models/probe.h"
#include "models/world.h"
#include "sim/core/dist.h"
#include "sim/core/engine.h"
#include "pod_rec.h"

#define S SIM_NS_PER_S
#define MS SIM_NS_PER_MS
#define MAX_TIMES 32
#define MAX_PODS 32

/* ------------------------------------------------------------ lookups */

/* The node pod object was bound to ("node-2"), "" when never scheduled. */
static const char *pod_node(const struct rec *r, const char *object)
{
	size_t i;

	for (i = 0; i < r->n_ev; i++) {
		const char *to;

		if (!rec_match(&r->ev[i], "Scheduled", object, NULL))
			continue;
		to = strstr(r->ev[i].message, " to ");
		return to ? to + 4 : "?";
	}
	return "";
}

/* The counts in force at t (the last change at or before t). */
static struct world_counts counts_at(const struct rec *r, sim_time_t t)
{
	struct world_counts c;
	size_t i;

	memset(&c, 0, sizeof(c));
	for (i = 0; i < r->n_cn && r->cn[i].t <= t; i++)
		c = r->cn[i].c;
	return c;
}

/* ------------------------------------------------------------- worlds */

/* One image app:1 (pull pull_s, containerStart 1 s, cpu cpu_milli),
 * replicas pods, a cluster of n_nodes nodes of node_cpu millicores each
 * (0: no cpu limit), maxPods 110, no memory limit. */
static void cluster_config(struct world_config *cfg, int32_t replicas,
			   sim_time_t pull_s, int32_t n_nodes,
			   int64_t node_cpu, int64_t cpu_milli,
			   sim_time_t until_s)
{
	struct image_config *im;
	int32_t i;

	world_config_init(cfg);
	strcpy(cfg->name, "pod-cluster");
	cfg->until_ns = until_s * S;
	cfg->images = calloc(2, sizeof(*cfg->images));
	cr_assert_not_null(cfg->images);
	cfg->n_images = 2;
	for (i = 0; i < 2; i++) {
		im = &cfg->images[i];
		image_config_defaults(im, i == 0 ? "app:1" : "app:2");
		im->pull = dist_constant(pull_s * S);
		im->container_start = dist_constant(1 * S);
		im->cpu_milli = cpu_milli;
	}
	cfg->deployment.replicas = replicas;
	cfg->deployment.image = 0;
	if (n_nodes > 0) {
		cfg->cluster.enabled = 1;
		cfg->cluster.nodes = calloc((size_t)n_nodes,
					    sizeof(*cfg->cluster.nodes));
		cr_assert_not_null(cfg->cluster.nodes);
		cfg->cluster.n_nodes = n_nodes;
		for (i = 0; i < n_nodes; i++) {
			struct node_config *n = &cfg->cluster.nodes[i];

			snprintf(n->name, sizeof(n->name), "node-%d",
				 (int)i + 1);
			n->cpu_milli = node_cpu;
			n->memory_bytes = 0;
			n->max_pods = 110;
		}
	}
}

/* ------------------------------------------------- image cache, pulls */

/* Pull 5 s, containerStart 1 s, 1 node. Pod 1 (created 0): Pulling 0,
 * "Successfully pulled" 5, Started 6. A second pod created at 100 by a
 * scale to 2 lands on the same node, which has the image: "already
 * present" at 100 and Started at 101 (no pull delay). With Always it
 * pulls: Pulling 100, pulled 105, Started 106. */
struct cache_row {
	const char *name;
	enum pull_policy policy;
	int want_pullings;              /* Pulling events */
	sim_time_t want_pod2_started_s;
	int want_pod2_present;          /* "already present" for pod 2 */
};

static const struct cache_row cache_rows[] = {
	{ "IfNotPresent, second pod later", PULL_IF_NOT_PRESENT, 1, 101, 1 },
	{ "Always, second pod later", PULL_ALWAYS, 2, 106, 0 },
};

Test(pod, image_cache_second_pod_on_node)
{
	size_t i;

	for (i = 0; i < sizeof(cache_rows) / sizeof(cache_rows[0]); i++) {
		const struct cache_row *row = &cache_rows[i];
		struct world_config cfg;
		struct world_metrics m;
		struct rec r;
		char pods[MAX_PODS][REC_OBJECT_LEN];
		sim_time_t t[MAX_TIMES] = { 0 }, got;
		int n;

		cluster_config(&cfg, 1, 5, 1, 0, 0, 200);
		cfg.images[0].pull_policy = row->policy;
		rec_add_event(&cfg, 100 * S, ACTION_SCALE)->replicas = 2;
		rec_run_world(&cfg, &r, &m, row->name);
		n = rec_pods_created(&r, pods, MAX_PODS);
		cr_assert_eq(n, 2, "%s: pods created expected 2, got %d",
			     row->name, n);
		got = rec_first(&r, "Pulled", pods[0], "Successfully pulled");
		cr_expect_eq(got, 5 * S, "%s: pod 1 pulled expected at 5 s, "
			     "got %.3f s", row->name, rec_secs(got));
		got = rec_first(&r, "Started", pods[0], NULL);
		cr_expect_eq(got, 6 * S, "%s: pod 1 Started expected at 6 s, "
			     "got %.3f s", row->name, rec_secs(got));
		got = rec_first(&r, "Started", pods[1], NULL);
		cr_expect_eq(got, row->want_pod2_started_s * S,
			     "%s: pod 2 Started expected at %lld s, got %.3f s",
			     row->name, (long long)row->want_pod2_started_s,
			     rec_secs(got));
		n = rec_times(&r, "Pulled", pods[1], "already present", t, 1);
		cr_expect_eq(n, row->want_pod2_present,
			     "%s: pod 2 \"already present\" events expected "
			     "%d, got %d", row->name, row->want_pod2_present, n);
		n = rec_times(&r, "Pulling", NULL, NULL, t, MAX_TIMES);
		cr_expect_eq(n, row->want_pullings,
			     "%s: Pulling events expected %d, got %d",
			     row->name, row->want_pullings, n);
		rec_free(&r);
	}
}

/* Two pods created together at 0 on the one node, pull 5 s. IfNotPresent:
 * pod 1 pulls (Pulling 0, done 5), pod 2 waits for that pull and then
 * finds the image present at 5; both Started at 6, one Pulling in all.
 * Always: the pulls are serialised, pod 2 pulls after pod 1's, 5..10 ->
 * Started at 11; two Pulling events (0 and 5). */
struct together_row {
	const char *name;
	enum pull_policy policy;
	int n_pullings;
	sim_time_t pullings_s[2];
	sim_time_t want_started_s[2];
};

static const struct together_row together_rows[] = {
	{ "IfNotPresent, created together", PULL_IF_NOT_PRESENT, 1, { 0, 0 },
	  { 6, 6 } },
	{ "Always, created together", PULL_ALWAYS, 2, { 0, 5 }, { 6, 11 } },
};

Test(pod, image_pull_waited_for_by_a_second_pod)
{
	size_t i;

	for (i = 0; i < sizeof(together_rows) / sizeof(together_rows[0]);
	     i++) {
		const struct together_row *row = &together_rows[i];
		struct world_config cfg;
		struct world_metrics m;
		struct rec r;
		char pods[MAX_PODS][REC_OBJECT_LEN];
		sim_time_t want[2], got;
		int n, k;

		cluster_config(&cfg, 2, 5, 1, 0, 0, 60);
		cfg.images[0].pull_policy = row->policy;
		rec_run_world(&cfg, &r, &m, row->name);
		n = rec_pods_created(&r, pods, MAX_PODS);
		cr_assert_eq(n, 2, "%s: pods created expected 2, got %d",
			     row->name, n);
		for (k = 0; k < 2; k++) {
			got = rec_first(&r, "Started", pods[k], NULL);
			cr_expect_eq(got, row->want_started_s[k] * S,
				     "%s: pod %d Started expected at %lld s, "
				     "got %.3f s", row->name, k + 1,
				     (long long)row->want_started_s[k],
				     rec_secs(got));
		}
		for (k = 0; k < row->n_pullings; k++)
			want[k] = row->pullings_s[k] * S;
		rec_expect_times(&r, row->name, "Pulling", NULL, NULL, want,
				 row->n_pullings);
		if (row->policy == PULL_IF_NOT_PRESENT) {
			got = rec_first(&r, "Pulled", pods[1],
					"already present");
			cr_expect_eq(got, 5 * S, "%s: pod 2 \"already present\" "
				     "expected at 5 s, got %.3f s", row->name,
				     rec_secs(got));
		}
		rec_free(&r);
	}
}

/* A container restart pulls again only under Always. 1 node, pull 5 s,
 * containerStart 1 s, crash after 10 s: Started 6, crash 16, first exit
 * -> restart at once at 16. IfNotPresent: Started 17. Always: Pulling at
 * 16, pulled 21, Started 22. */
Test(pod, restart_pulls_only_with_always)
{
	static const struct {
		const char *name;
		enum pull_policy policy;
		sim_time_t second_start_s;
		int pullings;
	} rows[] = {
		{ "restart IfNotPresent", PULL_IF_NOT_PRESENT, 17, 1 },
		{ "restart Always", PULL_ALWAYS, 22, 2 },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct world_config cfg;
		struct world_metrics m;
		struct rec r;
		sim_time_t t[MAX_TIMES] = { 0 };
		int n;

		cluster_config(&cfg, 1, 5, 1, 0, 0, 25);
		cfg.images[0].pull_policy = rows[i].policy;
		cfg.images[0].crash.enabled = 1;
		cfg.images[0].crash.after = dist_constant(10 * S);
		cfg.images[0].crash.probability = 1.0;
		rec_run_world(&cfg, &r, &m, rows[i].name);
		n = rec_times(&r, "Started", NULL, NULL, t, MAX_TIMES);
		cr_expect(n == 2 && t[0] == 6 * S &&
				  t[1] == rows[i].second_start_s * S,
			  "%s: Started expected at 6 and %lld s, got %d "
			  "starts, %.3f and %.3f s", rows[i].name,
			  (long long)rows[i].second_start_s, n, rec_secs(t[0]),
			  n > 1 ? rec_secs(t[1]) : -1.0);
		n = rec_times(&r, "Pulling", NULL, NULL, t, MAX_TIMES);
		cr_expect_eq(n, rows[i].pullings, "%s: Pulling expected %d, "
			     "got %d", rows[i].name, rows[i].pullings, n);
		rec_free(&r);
	}
}

/* pullFailureProbability 1, pull 2 s (with and without a cluster): every
 * pull fails; the next one starts 10, 20, 40, 80, 160, 300, 300 s after
 * the failure.
 *   pulls: 0-2, 12-14, 34-36, 76-78, 158-160, 320-322, 622-624
 * (12 = 2 + 10, 34 = 14 + 20, 76 = 36 + 40, 158 = 78 + 80,
 *  320 = 160 + 160, 622 = 322 + 300, next 924 > 700 = until).
 * Each failure reports "Error: ErrImagePull"; the pod never starts and
 * stays pending. */
Test(pod, image_pull_back_off)
{
	static const sim_time_t pulls[] = { 0, 12 * S, 34 * S, 76 * S,
					    158 * S, 320 * S, 622 * S };
	static const sim_time_t fails[] = { 2 * S, 14 * S, 36 * S, 78 * S,
					    160 * S, 322 * S, 624 * S };
	int nodes;

	for (nodes = 0; nodes <= 1; nodes++) {
		const char *row = nodes ? "pull back-off, 1 node"
					: "pull back-off, no cluster";
		struct world_config cfg;
		struct world_metrics m;
		struct world_counts c;
		struct rec r;
		sim_time_t t[MAX_TIMES] = { 0 };
		int n;

		cluster_config(&cfg, 1, 2, nodes, 0, 0, 700);
		cfg.images[0].pull_failure_prob = 1.0;
		rec_run_world(&cfg, &r, &m, row);
		rec_expect_times(&r, row, "Pulling", NULL, NULL, pulls, 7);
		rec_expect_times(&r, row, "Failed", NULL, "ErrImagePull", fails,
				 7);
		rec_expect_times(&r, row, "BackOff", NULL,
				 "Back-off pulling image", fails, 7);
		n = rec_times(&r, "Started", NULL, NULL, t, MAX_TIMES);
		cr_expect_eq(n, 0, "%s: Started expected never, got %d", row, n);
		c = counts_at(&r, 700 * S);
		cr_expect_eq(c.pending, 1, "%s: pending at the end expected 1, "
			     "got %d", row, c.pending);
		cr_expect_eq(c.new_ready, 0, "%s: ready at the end expected 0, "
			     "got %d", row, c.new_ready);
		rec_free(&r);
	}
}

/* ------------------------------------------------------ scheduling */

/* Nodes of 1000m, pods of 400m: a node holds two (800), not three
 * (1200). Scores (cpu free after placing, memory unlimited counts 1):
 *   pod 1: both 0.6 -> tie, both 0 pods -> node-1
 *   pod 2: node-1 0.2, node-2 0.6 -> node-2
 *   pod 3: both 0.2, both 1 pod -> node-1
 *   pod 4: node-2
 *   pod 5: fits nowhere -> FailedScheduling "0/2 nodes are available:
 *          2 Insufficient cpu." at 0.
 * Pull 2 s + start 1 s: pods 1-4 run at 3 s; pending 5 at 0, 1 from 3. At
 * 50 s pod 1 is deleted (oldest of revision 1) with shutdown 2 s: its
 * requests stay on node-1 until it is gone at 52. Its replacement, pod 6,
 * is created at 50 and is FailedScheduling at once (pending 2). At 52
 * room frees on node-1 and the waiting pods are tried in FIFO order: pod
 * 5 (waiting since 0) binds to node-1 at 52; pod 6 stays Pending. node-1
 * has the image: pod 5 Started at 53 (pending 1). */
Test(pod, scheduling_waits_for_room)
{
	static const char *const want_nodes[] = { "node-1", "node-2", "node-1",
						  "node-2" };
	struct world_config cfg;
	struct world_metrics m;
	struct world_counts c;
	struct world_event *e;
	struct rec r;
	char pods[MAX_PODS][REC_OBJECT_LEN];
	sim_time_t got;
	int n, k;

	cluster_config(&cfg, 5, 2, 2, 1000, 400, 120);
	cfg.images[0].shutdown = dist_constant(2 * S);
	e = rec_add_event(&cfg, 50 * S, ACTION_DELETE_POD);
	e->pick = PICK_OLDEST;
	e->revision = 1;
	rec_run_world(&cfg, &r, &m, "scheduling");
	n = rec_pods_created(&r, pods, MAX_PODS);
	cr_assert_eq(n, 6, "scheduling: pods created expected 6, got %d", n);
	for (k = 0; k < 4; k++)
		cr_expect_str_eq(pod_node(&r, pods[k]), want_nodes[k],
				 "scheduling: pod %d expected on %s, got \"%s\"",
				 k + 1, want_nodes[k], pod_node(&r, pods[k]));
	got = rec_first(&r, "FailedScheduling", pods[4],
			"0/2 nodes are available: 2 Insufficient cpu.");
	cr_expect_eq(got, 0, "scheduling: pod 5 FailedScheduling expected at "
		     "0 s, got %.3f s", rec_secs(got));
	c = counts_at(&r, 0);
	cr_expect_eq(c.pending, 5, "scheduling: pending at 0 expected 5, got %d",
		     c.pending);
	c = counts_at(&r, 49 * S);
	cr_expect_eq(c.pending, 1, "scheduling: pending at 49 s expected 1, "
		     "got %d", c.pending);
	got = rec_first(&r, "Killing", pods[0], "Stopping container");
	cr_expect_eq(got, 50 * S, "scheduling: pod 1 Killing expected at 50 s, "
		     "got %.3f s", rec_secs(got));
	got = rec_first(&r, "FailedScheduling", pods[5], NULL);
	cr_expect_eq(got, 50 * S, "scheduling: pod 6 FailedScheduling expected "
		     "at 50 s, got %.3f s", rec_secs(got));
	c = counts_at(&r, 51 * S);
	cr_expect_eq(c.pending, 2, "scheduling: pending at 51 s expected 2, "
		     "got %d", c.pending);
	cr_expect_eq(c.terminating, 1, "scheduling: terminating at 51 s "
		     "expected 1, got %d", c.terminating);
	got = rec_first(&r, "Scheduled", pods[4], NULL);
	cr_expect_eq(got, 52 * S, "scheduling: pod 5 Scheduled expected at "
		     "52 s, got %.3f s", rec_secs(got));
	cr_expect_str_eq(pod_node(&r, pods[4]), "node-1",
			 "scheduling: pod 5 expected on node-1, got \"%s\"",
			 pod_node(&r, pods[4]));
	got = rec_first(&r, "Started", pods[4], NULL);
	cr_expect_eq(got, 53 * S, "scheduling: pod 5 Started expected at 53 s, "
		     "got %.3f s", rec_secs(got));
	got = rec_first(&r, "Scheduled", pods[5], NULL);
	cr_expect_eq(got, -1, "scheduling: pod 6 expected never scheduled, "
		     "got %.3f s", rec_secs(got));
	c = counts_at(&r, 120 * S);
	cr_expect_eq(c.pending, 1, "scheduling: pending at the end expected 1, "
		     "got %d", c.pending);
	cr_expect_eq(c.new_pods, 5, "scheduling: active pods at the end "
		     "expected 5, got %d", c.new_pods);
	cr_expect_eq(c.new_ready, 4, "scheduling: ready at the end expected 4, "
		     "got %d", c.new_ready);
	cr_expect_eq(m.max_pending, 5, "scheduling: max_pending expected 5, "
		     "got %d", m.max_pending);
	rec_free(&r);
}

/* The same with shutdown 0: pod 1 is gone at the instant it is deleted
 * (50 s) and pod 6 is created at that instant. Pod 5 has waited since 0;
 * the scheduler's queue (the model's FIFO, and kube-scheduler's active
 * queue ordered by priority, then by the time the pod was queued) gives
 * the freed room to pod 5: Scheduled at 50 on node-1; pod 6 Pending. */
Test(pod, scheduling_older_pending_pod_first)
{
	struct world_config cfg;
	struct world_metrics m;
	struct world_event *e;
	struct rec r;
	char pods[MAX_PODS][REC_OBJECT_LEN];
	sim_time_t got;
	int n;

	cluster_config(&cfg, 5, 2, 2, 1000, 400, 120);
	e = rec_add_event(&cfg, 50 * S, ACTION_DELETE_POD);
	e->pick = PICK_OLDEST;
	e->revision = 1;
	rec_run_world(&cfg, &r, &m, "scheduling FIFO");
	n = rec_pods_created(&r, pods, MAX_PODS);
	cr_assert_eq(n, 6, "scheduling FIFO: pods created expected 6, got %d",
		     n);
	got = rec_first(&r, "Scheduled", pods[4], NULL);
	cr_expect_eq(got, 50 * S, "scheduling FIFO: pod 5 (pending since 0) "
		     "Scheduled expected at 50 s, got %.3f s", rec_secs(got));
	got = rec_first(&r, "Scheduled", pods[5], NULL);
	cr_expect_eq(got, -1, "scheduling FIFO: pod 6 (created at 50 s) "
		     "expected Pending, got Scheduled at %.3f s",
		     rec_secs(got));
	rec_free(&r);
}

/* LeastAllocated with unequal nodes: node-1 2000m, node-2 1000m, pods
 * 400m, 8 replicas. Score = cpu free fraction after placing (memory is
 * unlimited on both and adds the same 1):
 *   pod 1: n1 (2000-400)/2000 = 0.8, n2 (1000-400)/1000 = 0.6 -> node-1
 *   pod 2: n1 (2000-800)/2000 = 0.6, n2 0.6 -> tie, n2 has fewer pods (0
 *          vs 1) -> node-2
 *   pod 3: n1 0.6, n2 (1000-800)/1000 = 0.2 -> node-1 (n1 800 used)
 *   pod 4: n1 (2000-1200)/2000 = 0.4, n2 0.2 -> node-1 (n1 1200)
 *   pod 5: n1 (2000-1600)/2000 = 0.2, n2 0.2 -> tie, pods 3 vs 1 -> node-2
 *          (n2 800)
 *   pod 6: n2 would need 1200 > 1000; n1 0.2 -> node-1 (n1 1600)
 *   pod 7: n1 (2000-2000)/2000 = 0, fits exactly -> node-1 (n1 2000)
 *   pod 8: fits nowhere -> FailedScheduling at 0. */
Test(pod, scheduling_least_allocated)
{
	static const char *const want[] = { "node-1", "node-2", "node-1",
					    "node-1", "node-2", "node-1",
					    "node-1", "" };
	struct world_config cfg;
	struct world_metrics m;
	struct rec r;
	char pods[MAX_PODS][REC_OBJECT_LEN];
	int n, k;

	cluster_config(&cfg, 8, 2, 2, 1000, 400, 30);
	cfg.cluster.nodes[0].cpu_milli = 2000;
	rec_run_world(&cfg, &r, &m, "least allocated");
	n = rec_pods_created(&r, pods, MAX_PODS);
	cr_assert_eq(n, 8, "least allocated: pods created expected 8, got %d",
		     n);
	for (k = 0; k < 8; k++)
		cr_expect_str_eq(pod_node(&r, pods[k]), want[k],
				 "least allocated: pod %d expected on \"%s\", "
				 "got \"%s\"", k + 1, want[k],
				 pod_node(&r, pods[k]));
	cr_expect_eq(rec_first(&r, "FailedScheduling", pods[7],
			       "0/2 nodes are available: 2 Insufficient cpu."),
		     0, "least allocated: pod 8 FailedScheduling expected at 0");
	rec_free(&r);
}

/* A full cluster (2 nodes of 1000m, 4 pods of 400m: 200m free on each)
 * and setImage app:2 at 100 s.
 * maxSurge 1 / maxUnavailable 0: the new ReplicaSet is scaled to 1, its
 * pod fits nowhere and stays Pending; no old pod is removed (no new pod
 * becomes available); the rollout never completes.
 * maxSurge 0 / maxUnavailable 1: an old pod is deleted first, its room
 * takes the new pod, and so on: the rollout completes with 4 new pods,
 * never more than 4 non-terminating pods. */
Test(pod, rollout_on_a_full_cluster)
{
	int surge;

	for (surge = 1; surge >= 0; surge--) {
		const char *row = surge ? "maxSurge 1 maxUnavailable 0"
					: "maxSurge 0 maxUnavailable 1";
		struct world_config cfg;
		struct world_metrics m;
		struct world_counts c;
		struct world_event *e;
		struct rec r;
		char pods[MAX_PODS][REC_OBJECT_LEN];
		int n;

		cluster_config(&cfg, 4, 2, 2, 1000, 400, 400);
		cfg.deployment.max_surge = intstr_int(surge);
		cfg.deployment.max_unavailable = intstr_int(1 - surge);
		e = rec_add_event(&cfg, 100 * S, ACTION_SET_IMAGE);
		e->image = 1;
		rec_run_world(&cfg, &r, &m, row);
		c = counts_at(&r, 400 * S);
		n = rec_pods_created(&r, pods, MAX_PODS);
		if (surge) {
			cr_expect_eq(n, 5, "%s: pods created expected 5, got "
				     "%d", row, n);
			cr_expect_eq(rec_first(&r, "FailedScheduling", pods[4],
					       "2 Insufficient cpu"), 100 * S,
				     "%s: the surge pod FailedScheduling "
				     "expected at 100 s", row);
			cr_expect_eq(rec_first(&r, "Scheduled", pods[4], NULL),
				     -1, "%s: the surge pod expected never "
				     "scheduled", row);
			cr_expect(c.desired_new == 1 && c.new_pods == 1 &&
					  c.pending == 1 && c.new_ready == 0 &&
					  c.old_pods == 4 && c.old_ready == 4,
				  "%s: final counts expected new 1 (pending 1, "
				  "ready 0) old 4 (ready 4), got new %d "
				  "(pending %d, ready %d) old %d (ready %d)",
				  row, c.new_pods, c.pending, c.new_ready,
				  c.old_pods, c.old_ready);
			cr_expect_eq(m.complete, 0, "%s: complete expected 0, "
				     "got %d", row, m.complete);
			cr_expect_eq(m.max_pending, 1, "%s: max_pending expected "
				     "1, got %d", row, m.max_pending);
		} else {
			cr_expect_eq(m.complete, 1, "%s: complete expected 1, "
				     "got %d", row, m.complete);
			cr_expect(c.new_pods == 4 && c.new_ready == 4 &&
					  c.old_pods == 0 && c.pending == 0 &&
					  c.terminating == 0,
				  "%s: final counts expected new 4 ready 4, old "
				  "0, pending 0, terminating 0; got new %d "
				  "ready %d old %d pending %d terminating %d",
				  row, c.new_pods, c.new_ready, c.old_pods,
				  c.pending, c.terminating);
			cr_expect_leq(m.max_non_terminating, 4,
				      "%s: max_non_terminating expected <= 4, "
				      "got %d", row, m.max_non_terminating);
			cr_expect_eq(n, 8, "%s: pods created expected 8, got %d",
				     row, n);
		}
		rec_free(&r);
	}
}

/* ------------------------------------------------- drain with a PDB */

/* 4 replicas on 2 nodes of 1000m (pods 100m): pods 1, 3 on node-1, pods 2,
 * 4 on node-2 (least allocated, ties to fewer pods, then node-1). Pull 2
 * s, start 1 s, startup 5 s and a readiness probe p10: Started 3, probe
 * fails at 3, passes at 13 -> all Ready at 13. drainNode node-1 at 100 s.
 * With a PDB minAvailable 3:
 *   100: node-1 cordoned (NodeNotSchedulable); evict pod 1 (Ready pods 4,
 *        4 - 1 >= 3): Evicted + Killing at 100, gone at 100; its
 *        replacement pod 5 goes to node-2 (node-1 cordoned), image
 *        present: Started 101, probe fails at 101, passes at 111.
 *   100: pod 3: Ready pods 3 (2, 3, 4), evicting would leave 2 < 3:
 *        EvictionRefused; retried at 105 (refused), 110 (refused), 115:
 *        pod 5 Ready since 111 -> Ready 4: pod 3 Evicted at 115; pod 6
 *        on node-2, Started 116, Ready 126.
 * Without a PDB both pods are evicted at 100.
 * In both: every pod scheduled after 100 goes to node-2, and at the end
 * the 4 pods not evicted are all on node-2, all Ready. */
struct drain_row {
	const char *name;
	int pdb;
	int n_evict;
	sim_time_t evict_s[2];
	int n_refused;
	sim_time_t refused_s[3];
	int n_ready;                   /* Ready count changes from 100 s on */
	sim_time_t ready_t_s[4];       /* (instant, count after it) */
	int32_t ready_n[4];
};

static const struct drain_row drain_rows[] = {
	/* Ready: 3 at 100 (pod 1 gone), 4 at 111 (pod 5), 3 at 115 (pod 3
	 * evicted), 4 at 126 (pod 6) */
	{ "drain with PDB minAvailable 3", 1, 2, { 100, 115 }, 3,
	  { 100, 105, 110 }, 4, { 100, 111, 115, 126 }, { 3, 4, 3, 4 } },
	/* Ready: 2 at 100 (both evicted), both replacements Started 101,
	 * Ready 111: 4 at 111 */
	{ "drain without PDB", 0, 2, { 100, 100 }, 0, { 0, 0, 0 }, 2,
	  { 100, 111 }, { 2, 4 } },
};

/* "t:n t:n ...": the Ready count at the end of each instant at or after
 * from at which it changed. */
static void ready_changes(const struct rec *r, sim_time_t from, char *buf,
			  size_t cap)
{
	size_t i, used = 0;
	int32_t prev = -1;

	buf[0] = '\0';
	for (i = 0; i < r->n_cn; i++) {
		const struct rec_counts *x = &r->cn[i];
		int32_t rd = x->c.new_ready + x->c.old_ready;
		int w;

		if (i + 1 < r->n_cn && r->cn[i + 1].t == x->t)
			continue;         /* not the last change of the instant */
		if (x->t >= from && rd != prev && used < cap) {
			w = snprintf(buf + used, cap - used, "%s%.3f:%d",
				     used ? " " : "", sim_ns_to_s(x->t), rd);
			if (w > 0)
				used += (size_t)w;
		}
		prev = rd;
	}
}

Test(pod, drain_node_with_pdb)
{
	size_t i;

	for (i = 0; i < sizeof(drain_rows) / sizeof(drain_rows[0]); i++) {
		const struct drain_row *row = &drain_rows[i];
		struct world_config cfg;
		struct world_metrics m;
		struct world_counts c;
		struct world_event *e;
		struct rec r;
		char pods[MAX_PODS][REC_OBJECT_LEN];
		sim_time_t want[3], t[MAX_TIMES];
		char ws[256], gs[256];
		size_t used = 0;
		int n, k, evicted[MAX_PODS] = { 0 };

		cluster_config(&cfg, 4, 2, 2, 1000, 100, 200);
		cfg.images[0].startup = dist_constant(5 * S);
		cfg.images[0].readiness.enabled = 1;
		if (row->pdb) {
			cfg.deployment.pdb.enabled = 1;
			cfg.deployment.pdb.use_min_available = 1;
			cfg.deployment.pdb.min_available = intstr_int(3);
		}
		e = rec_add_event(&cfg, 100 * S, ACTION_DRAIN_NODE);
		e->node = 0;
		rec_run_world(&cfg, &r, &m, row->name);
		n = rec_pods_created(&r, pods, MAX_PODS);
		cr_assert_eq(n, 6, "%s: pods created expected 6, got %d",
			     row->name, n);
		cr_expect_str_eq(pod_node(&r, pods[0]), "node-1",
				 "%s: pod 1 expected on node-1", row->name);
		cr_expect_str_eq(pod_node(&r, pods[2]), "node-1",
				 "%s: pod 3 expected on node-1", row->name);
		cr_expect_eq(rec_first(&r, "NodeNotSchedulable", "node/node-1",
				       NULL), 100 * S,
			     "%s: node-1 NodeNotSchedulable expected at 100 s",
			     row->name);
		for (k = 0; k < row->n_evict; k++)
			want[k] = row->evict_s[k] * S;
		rec_expect_times(&r, row->name, "Evicted", NULL, NULL, want,
				 row->n_evict);
		for (k = 0; k < row->n_refused; k++)
			want[k] = row->refused_s[k] * S;
		rec_expect_times(&r, row->name, "EvictionRefused", NULL, NULL,
				 want, row->n_refused);
		cr_expect_eq(rec_first(&r, "Evicted", pods[0], NULL), 100 * S,
			     "%s: pod 1 expected evicted at 100 s", row->name);
		cr_expect_eq(rec_first(&r, "Evicted", pods[2], NULL),
			     row->evict_s[1] * S,
			     "%s: pod 3 expected evicted at %lld s", row->name,
			     (long long)row->evict_s[1]);
		for (k = 0; k < row->n_ready; k++) {
			int w = snprintf(ws + used, sizeof(ws) - used, "%s%.3f:%d",
					 k ? " " : "",
					 (double)row->ready_t_s[k],
					 row->ready_n[k]);

			if (w > 0)
				used += (size_t)w;
		}
		ready_changes(&r, 100 * S, gs, sizeof(gs));
		cr_expect_str_eq(gs, ws, "%s: Ready count changes from 100 s\n"
				 "  expected %s\n  got      %s", row->name, ws,
				 gs);
		for (k = 0; k < n; k++)
			evicted[k] = rec_times(&r, "Evicted", pods[k], NULL, t,
					       1) > 0;
		for (k = 0; k < n; k++) {
			if (k >= 4)     /* created by the drain */
				cr_expect_str_eq(pod_node(&r, pods[k]), "node-2",
						 "%s: pod %d (a replacement) "
						 "expected on node-2, got "
						 "\"%s\"", row->name, k + 1,
						 pod_node(&r, pods[k]));
			if (!evicted[k])
				cr_expect_str_eq(pod_node(&r, pods[k]), "node-2",
						 "%s: remaining pod %d expected "
						 "on node-2, got \"%s\"",
						 row->name, k + 1,
						 pod_node(&r, pods[k]));
		}
		c = counts_at(&r, 200 * S);
		cr_expect(c.new_pods == 4 && c.new_ready == 4 &&
				  c.terminating == 0 && c.pending == 0,
			  "%s: final counts expected 4 pods, 4 ready, none "
			  "terminating or pending; got %d, %d, %d, %d",
			  row->name, c.new_pods, c.new_ready, c.terminating,
			  c.pending);
		rec_free(&r);
	}
}

/* Scale-down victim ranking with a cluster (docs/kubernetes.md §4 rule 5:
 * among pods equal on rules 1-4, the one with more related active pods
 * on its node goes first). 2 nodes without limits, pods without
 * requests: every score is equal, so placement goes to the node with
 * fewer pods, then node-1: pods 1, 3 on node-1, pod 2 on node-2 (all
 * Ready at 3 s). Pod 2 is deleted by name at 50 s (shutdown 0: gone at
 * once); its replacement, pod 4, goes to node-2 (0 pods there against 2)
 * and is Ready at 53. At 100 s the Deployment is scaled to 2: rules 1-4
 * tie (all assigned, Running, Ready, cost 0); rank: pods 1 and 3 have 2
 * pods on their node, pod 4 has 1 -> a node-1 pod is deleted (rule 5
 * comes before rule 6, which alone would pick pod 4, ready most
 * recently). */
Test(pod, scale_down_prefers_the_crowded_node)
{
	struct world_config cfg;
	struct world_metrics m;
	struct world_event *e;
	struct rec r;
	char pods[MAX_PODS][REC_OBJECT_LEN], victim[128];
	size_t i;
	int n;

	cluster_config(&cfg, 3, 2, 2, 0, 0, 10);
	rec_run_world(&cfg, &r, &m, "learn the names");
	n = rec_pods_created(&r, pods, MAX_PODS);
	cr_assert_eq(n, 3, "learn the names: 3 pods expected, got %d", n);
	rec_free(&r);

	cluster_config(&cfg, 3, 2, 2, 0, 0, 150);
	e = rec_add_event(&cfg, 50 * S, ACTION_DELETE_POD);
	e->pick = PICK_NAME;
	cr_assert_lt(strlen(pods[1] + 4), sizeof(e->pod), "name too long");
	memcpy(e->pod, pods[1] + 4, strlen(pods[1] + 4) + 1);
	rec_add_event(&cfg, 100 * S, ACTION_SCALE)->replicas = 2;
	rec_run_world(&cfg, &r, &m, "rank");
	n = rec_pods_created(&r, pods, MAX_PODS);
	cr_assert_eq(n, 4, "rank: 4 pods expected, got %d", n);
	cr_expect(strcmp(pod_node(&r, pods[0]), "node-1") == 0 &&
			  strcmp(pod_node(&r, pods[1]), "node-2") == 0 &&
			  strcmp(pod_node(&r, pods[2]), "node-1") == 0 &&
			  strcmp(pod_node(&r, pods[3]), "node-2") == 0,
		  "rank: placement expected node-1 node-2 node-1 node-2, got "
		  "%s %s %s %s", pod_node(&r, pods[0]), pod_node(&r, pods[1]),
		  pod_node(&r, pods[2]), pod_node(&r, pods[3]));
	victim[0] = '\0';
	for (i = 0; i < r.n_ev; i++)
		if (r.ev[i].t == 100 * S &&
		    strcmp(r.ev[i].reason, "SuccessfulDelete") == 0 &&
		    strncmp(r.ev[i].message, "Deleted pod: ", 13) == 0)
			snprintf(victim, sizeof(victim), "pod/%s",
				 r.ev[i].message + 13);
	cr_expect_str_eq(pod_node(&r, victim), "node-1",
			 "rank: the scale-down victim expected on node-1 (2 "
			 "related pods), got %s on \"%s\"", victim,
			 pod_node(&r, victim));
	rec_free(&r);
}
