/* test_pod_termination.c - the termination timeline of a deleted pod.
 *
 * One pod (no cluster, scheduling 0, pull 2 s, containerStart 1 s: the
 * container runs from 3 s), deleted at 100 s with deletePod (the oldest
 * pod of revision 1, or by name). Expected instants derived by hand from
 * docs/kubernetes.md §11 (kuberuntime_container.go killContainer):
 *   - the kubelet runs preStop (a sleep here), then sends SIGTERM; the app
 *     exits `shutdown` after SIGTERM; at terminationGracePeriodSeconds
 *     counted from the deletion (preStop included) what still runs is
 *     killed (SIGKILL);
 *   - a preStop that reaches the grace period is cut there: SIGTERM at
 *     the grace period and a one-time 2 s more before SIGKILL;
 *   - the pod object disappears when its container has stopped; a pod
 *     whose container does not run is gone at once.
 * So, with deletion at D = 100 s, preStop P, shutdown X, grace G:
 *   P < G:  SIGTERM at D + P, gone at D + min(P + X, G);
 *   P >= G (P > 0): SIGTERM at D + G, gone at D + G + min(X, 2).
 * "Killing" ("Stopping container app") is reported at D. The pod's
 * disappearance is seen in the counts: terminating 1 from D until it is
 * gone, then 0. Its replacement is created at D (the pod stops counting
 * for its ReplicaSet at once), so active pods stay 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "models/deployment.h"
#include "models/pod.h"
#include "models/probe.h"
#include "models/world.h"
#include "sim/core/dist.h"
#include "sim/core/engine.h"
#include "pod_rec.h"

#define S SIM_NS_PER_S
#define MS SIM_NS_PER_MS
#define DELETE_NS (100 * S)
#define MAX_TIMES 32

/* ------------------------------------------------------------ lookups */

/* The instants terminating went from 0 to > 0 and back to 0, from `from`
 * on (the first such pair). */
static void terminating_span(const struct rec *r, sim_time_t from,
			     sim_time_t *begin, sim_time_t *end)
{
	size_t i;

	*begin = *end = -1;
	for (i = 0; i < r->n_cn; i++) {
		const struct rec_counts *x = &r->cn[i];

		if (x->t < from)
			continue;
		if (*begin < 0 && x->c.terminating > 0)
			*begin = x->t;
		else if (*begin >= 0 && x->c.terminating == 0) {
			*end = x->t;
			return;
		}
	}
}

/* ------------------------------------------------------------- worlds */

/* deletePod at at_ns: by name when name is not NULL (cut to fit, as
 * snprintf does), else the oldest pod of revision 1. */
static void add_delete(struct world_config *cfg, sim_time_t at_ns,
		       const char *name)
{
	struct world_event *e = rec_add_event(cfg, at_ns, ACTION_DELETE_POD);

	if (name) {
		e->pick = PICK_NAME;
		snprintf(e->pod, sizeof(e->pod), "%.*s",
			 (int)sizeof(e->pod) - 1, name);
	} else {
		e->pick = PICK_OLDEST;
		e->revision = 1;
	}
}

/* ------------------------------------------------- the timeline table */

struct term_row {
	const char *name;
	sim_time_t prestop_s, shutdown_s, grace_s;
	sim_time_t want_gone_s;   /* absolute */
};

static const struct term_row term_rows[] = {
	/* P < G: SIGTERM 105, exit 107 < 130 -> 107 */
	{ "preStop 5 shutdown 2 grace 30", 5, 2, 30, 107 },
	/* SIGTERM 100, exit would be 140 > 130: SIGKILL at 130 */
	{ "preStop 0 shutdown 40 grace 30", 0, 40, 30, 130 },
	/* preStop overruns: SIGTERM at 130, exit would be 135, SIGKILL at
	 * 130 + 2 = 132 */
	{ "preStop 40 shutdown 5 grace 30", 40, 5, 30, 132 },
	/* SIGTERM at 130, exits at 131 before the extra 2 s end */
	{ "preStop 40 shutdown 1 grace 30", 40, 1, 30, 131 },
	/* exit and SIGKILL both at 132 */
	{ "preStop 40 shutdown 2 grace 30", 40, 2, 30, 132 },
	/* preStop equal to the grace period is cut there too: SIGTERM 130,
	 * SIGKILL 132 */
	{ "preStop 30 shutdown 5 grace 30", 30, 5, 30, 132 },
	/* nothing to wait for: gone at the deletion */
	{ "preStop 0 shutdown 0 grace 30", 0, 0, 30, 100 },
	/* exit exactly at the grace period */
	{ "preStop 0 shutdown 30 grace 30", 0, 30, 30, 130 },
	/* SIGTERM 110, exit 120 */
	{ "preStop 10 shutdown 10 grace 30", 10, 10, 30, 120 },
	/* SIGTERM 125, exit would be 135 > 130: SIGKILL 130 */
	{ "preStop 25 shutdown 10 grace 30", 25, 10, 30, 130 },
	/* preStop 10 > grace 5: SIGTERM 105, exits at once -> 105 */
	{ "preStop 10 shutdown 0 grace 5", 10, 0, 5, 105 },
	/* preStop 10 > grace 5: SIGTERM 105, SIGKILL 107 */
	{ "preStop 10 shutdown 60 grace 5", 10, 60, 5, 107 },
	/* preStop 29 < grace 30: SIGTERM 129, SIGKILL at 130, rollsim's
	 * rule (docs/kubernetes.md §11). Upstream killContainer gives at
	 * least 2 s after preStop whenever less remains, which would make
	 * this 131: a documented difference. */
	{ "preStop 29 shutdown 5 grace 30", 29, 5, 30, 130 },
	/* long grace: SIGTERM 100, exit 190 */
	{ "preStop 0 shutdown 90 grace 120", 0, 90, 120, 190 },
};

Test(pod, termination_timeline)
{
	size_t i;

	for (i = 0; i < sizeof(term_rows) / sizeof(term_rows[0]); i++) {
		const struct term_row *row = &term_rows[i];
		struct world_config cfg;
		struct world_metrics m;
		struct rec r;
		char pod[128];
		sim_time_t begin, end, got;
		size_t k;

		rec_one_pod_config(&cfg, "pod-termination", 300 * S);
		cfg.images[0].prestop_ns = row->prestop_s * S;
		cfg.images[0].shutdown = dist_constant(row->shutdown_s * S);
		cfg.images[0].grace_ns = row->grace_s * S;
		add_delete(&cfg, DELETE_NS, NULL);
		rec_run_world(&cfg, &r, &m, row->name);
		cr_assert(rec_first_pod(&r, pod, sizeof(pod)),
			  "%s: no pod created", row->name);
		got = rec_first(&r, "Killing", pod, "Stopping container app");
		cr_expect_eq(got, DELETE_NS, "%s: Killing expected at 100 s, got "
			     "%.3f s", row->name, rec_secs(got));
		terminating_span(&r, DELETE_NS, &begin, &end);
		if (row->want_gone_s * S == DELETE_NS) {
			/* gone within the deletion instant: terminating may
			 * rise and fall at 100 or never show */
			cr_expect(end == -1 || end == DELETE_NS,
				  "%s: gone expected at 100 s, terminating "
				  "ended at %.3f s", row->name, rec_secs(end));
			for (k = 0; k < r.n_cn; k++)
				if (r.cn[k].t > DELETE_NS)
					cr_expect_eq(r.cn[k].c.terminating, 0,
						     "%s: terminating at %.3f s "
						     "expected 0, got %d",
						     row->name,
						     rec_secs(r.cn[k].t),
						     r.cn[k].c.terminating);
		} else {
			cr_expect_eq(begin, DELETE_NS, "%s: terminating "
				     "expected from 100 s, got %.3f s",
				     row->name, rec_secs(begin));
			cr_expect_eq(end, row->want_gone_s * S,
				     "%s: pod gone expected at %lld s, got "
				     "%.3f s", row->name,
				     (long long)row->want_gone_s,
				     rec_secs(end));
		}
		/* the replacement exists from the deletion on: one active
		 * pod at the end of every instant (within the instant of
		 * the deletion the counts may show 0 before the ReplicaSet
		 * has reacted) */
		for (k = 0; k < r.n_cn; k++)
			if (r.cn[k].t >= DELETE_NS &&
			    (k + 1 == r.n_cn || r.cn[k + 1].t > r.cn[k].t))
				cr_expect_eq(r.cn[k].c.new_pods, 1,
					     "%s: active pods at %.3f s expected "
					     "1, got %d", row->name,
					     rec_secs(r.cn[k].t),
					     r.cn[k].c.new_pods);
		rec_free(&r);
	}
}

/* Deleting by name: the pod's name is learnt from a first run with the
 * same seed (names come from the seeded "names" stream, so the second
 * run creates the same pod). preStop 5, shutdown 2: Killing at 100, gone
 * at 107, as the first table row. A name that does not exist deletes
 * nothing (NotFound) and the pod keeps running. */
Test(pod, termination_delete_by_name)
{
	struct world_config cfg;
	struct world_metrics m;
	struct rec r;
	char pod[128], pod2[128];
	sim_time_t begin, end, got;

	rec_one_pod_config(&cfg, "pod-termination", 50 * S);
	rec_run_world(&cfg, &r, &m, "learn the name");
	cr_assert(rec_first_pod(&r, pod, sizeof(pod)), "no pod created");
	rec_free(&r);

	rec_one_pod_config(&cfg, "pod-termination", 300 * S);
	cfg.images[0].prestop_ns = 5 * S;
	cfg.images[0].shutdown = dist_constant(2 * S);
	add_delete(&cfg, DELETE_NS, pod + 4);
	rec_run_world(&cfg, &r, &m, "delete by name");
	cr_assert(rec_first_pod(&r, pod2, sizeof(pod2)), "no pod created");
	cr_assert_str_eq(pod2, pod, "same seed, same name expected: %s vs %s",
			 pod, pod2);
	got = rec_first(&r, "Killing", pod, "Stopping container app");
	cr_expect_eq(got, DELETE_NS, "by name: Killing expected at 100 s, got "
		     "%.3f s", rec_secs(got));
	terminating_span(&r, DELETE_NS, &begin, &end);
	cr_expect_eq(end, 107 * S, "by name: gone expected at 107 s, got %.3f s",
		     rec_secs(end));
	rec_free(&r);

	rec_one_pod_config(&cfg, "pod-termination", 300 * S);
	add_delete(&cfg, DELETE_NS, "app-nosuchpod-xxxxx");
	rec_run_world(&cfg, &r, &m, "unknown name");
	cr_expect_eq(rec_first(&r, "Killing", NULL, NULL), -1,
		     "unknown name: no Killing expected");
	cr_expect_eq(rec_first(&r, "NotFound", NULL, "not found"), DELETE_NS,
		     "unknown name: NotFound expected at 100 s");
	rec_free(&r);
}

/* A pod whose container is not running is gone at once, with no Killing:
 *   - still pulling (pull 200 s): deleted at 100 -> gone at 100;
 *   - in CrashLoopBackOff (crash after 1 s: Started 3, crash 4, restart
 *     at once, Started 5, crash 6, back-off 10 s until 16): deleted at 10
 *     -> gone at 10, and never Started again. */
Test(pod, termination_of_a_pod_not_running)
{
	struct world_config cfg;
	struct world_metrics m;
	struct rec r;
	char pod[128];
	sim_time_t begin, end, t[MAX_TIMES] = { 0 };
	int n;

	rec_one_pod_config(&cfg, "pod-termination", 300 * S);
	cfg.images[0].pull = dist_constant(200 * S);
	cfg.images[0].shutdown = dist_constant(10 * S);
	add_delete(&cfg, DELETE_NS, NULL);
	rec_run_world(&cfg, &r, &m, "pulling");
	cr_assert(rec_first_pod(&r, pod, sizeof(pod)), "no pod created");
	cr_expect_eq(rec_first(&r, "Killing", pod, NULL), -1,
		     "pulling: no Killing expected");
	cr_expect_eq(rec_first(&r, "Started", pod, NULL), -1,
		     "pulling: the deleted pod expected never Started");
	terminating_span(&r, DELETE_NS, &begin, &end);
	cr_expect(end == -1 || end == DELETE_NS,
		  "pulling: gone expected at 100 s, got %.3f s", rec_secs(end));
	rec_free(&r);

	rec_one_pod_config(&cfg, "pod-termination", 100 * S);
	cfg.images[0].crash.enabled = 1;
	cfg.images[0].crash.after = dist_constant(1 * S);
	cfg.images[0].crash.probability = 1.0;
	cfg.images[0].shutdown = dist_constant(10 * S);
	add_delete(&cfg, 10 * S, NULL);
	rec_run_world(&cfg, &r, &m, "back-off");
	cr_assert(rec_first_pod(&r, pod, sizeof(pod)), "no pod created");
	n = rec_times(&r, "Started", pod, NULL, t, MAX_TIMES);
	cr_expect(n == 2 && t[0] == 3 * S && t[1] == 5 * S,
		  "back-off: Started expected at 3 and 5 s only, got %d "
		  "(first %.3f, second %.3f)", n, rec_secs(t[0]),
		  n > 1 ? rec_secs(t[1]) : -1.0);
	cr_expect_eq(rec_first(&r, "Killing", pod, NULL), -1,
		     "back-off: no Killing expected");
	terminating_span(&r, 10 * S, &begin, &end);
	cr_expect(end == -1 || end == 10 * S,
		  "back-off: gone expected at 10 s, got %.3f s", rec_secs(end));
	/* the deleted pod restarted once (4 s); its replacement, created at
	 * 10, crash-loops on its own: Started 13, crash 14 -> restart 14
	 * (15), crash 16 -> 26 (27), crash 28 -> 48 (49), crash 50 -> 90
	 * (91), crash 92 -> 172 > 100: 4 restarts; 5 in all */
	cr_expect_eq(m.restarts, 5, "back-off: restarts expected 5, got %d",
		     m.restarts);
	rec_free(&r);
}

/* A liveness kill honours preStop and the grace period too
 * (docs/kubernetes.md §9 and §11; kuberuntime_manager.go kills a container
 * that failed liveness through killContainer). startup 100 s, liveness D5 p10
 * F3: killed at 33 (ages 10, 20, 30 fail); preStop 5 -> SIGTERM 38, shutdown 2
 * -> exit 40, first exit -> restart at once -> Started 41. With shutdown 60
 * and grace 30: SIGTERM 38, SIGKILL at 33 + 30 = 63 ->
 * restart 63 -> Started 64. */
Test(pod, liveness_kill_honours_prestop_and_grace)
{
	static const struct {
		const char *name;
		sim_time_t shutdown_s, want_second_start_s;
	} rows[] = {
		{ "liveness kill, shutdown 2", 2, 41 },
		{ "liveness kill, shutdown 60 (SIGKILL)", 60, 64 },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct world_config cfg;
		struct world_metrics m;
		struct rec r;
		sim_time_t t[MAX_TIMES] = { 0 };
		int n;

		rec_one_pod_config(&cfg, "pod-termination", 70 * S);
		cfg.images[0].startup = dist_constant(100 * S);
		probe_config_defaults(&cfg.images[0].liveness);
		cfg.images[0].liveness.initial_delay_ns = 5 * S;
		cfg.images[0].prestop_ns = 5 * S;
		cfg.images[0].shutdown = dist_constant(rows[i].shutdown_s * S);
		cfg.images[0].grace_ns = 30 * S;
		rec_run_world(&cfg, &r, &m, rows[i].name);
		cr_expect_eq(rec_first(&r, "Killing", NULL, "failed liveness"),
			     33 * S, "%s: liveness kill expected at 33 s, got "
			     "%.3f s", rows[i].name,
			     rec_secs(rec_first(&r, "Killing", NULL,
						"failed liveness")));
		n = rec_times(&r, "Started", NULL, NULL, t, MAX_TIMES);
		cr_expect(n >= 2 && t[1] == rows[i].want_second_start_s * S,
			  "%s: second Started expected at %lld s, got %d starts"
			  " (second %.3f s)", rows[i].name,
			  (long long)rows[i].want_second_start_s, n,
			  n > 1 ? rec_secs(t[1]) : -1.0);
		cr_expect_eq(m.restarts, 1, "%s: restarts expected 1, got %d",
			     rows[i].name, m.restarts);
		rec_free(&r);
	}
}
