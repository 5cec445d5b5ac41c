/* test_pod_probes.c - probe timing, liveness / startup kills, CrashLoopBackOff.
 *
 * Whole worlds (world_new / world_run) of one pod, watched through
 * on_event and on_counts. The pod's timing is made exact: no cluster (the
 * pod gets a node of its own), scheduling 0, image pull a constant 2 s and
 * containerStart a constant 1 s, so the container starts at T0 = 3 s after
 * the pod is created at 0 (Pulling at 0, Pulled at 2, Started at 3); the
 * app is up `startup` after T0.
 *
 * Every expected instant below is derived by hand from docs/kubernetes.md
 * §9 and §10 (prober/worker.go, kuberuntime_manager.go doBackOff) and the
 * rule of models/pod_probe.c's header:
 *   - a probe worker starts with the container and probes at T0 + k*period
 *     (k = 0, 1, ...); a tick counts only when floor(age) >= initialDelay
 *     (age = k*period, whole seconds here); liveness and readiness ticks
 *     are skipped until the startup probe has passed;
 *   - an attempt succeeds iff the app is up at that instant (an app that
 *     comes up exactly on a tick is up for that tick);
 *   - Ready after successThreshold consecutive counted successes; each
 *     counted failure of a not-up app emits "Unhealthy";
 *   - when the startup probe passes, the readiness probe runs at once and
 *     its ticker restarts from that moment;
 *   - liveness / startup reaching failureThreshold kill the container
 *     (preStop 0, shutdown 0: it exits at the kill) and it is restarted
 *     with CrashLoopBackOff: immediately the first time, then after 10,
 *     20, 40, 80, 160, 300, 300 s counted from the exit; the back-off is
 *     forgotten when the container ran more than 600 s since the last
 *     restart (F - lastUpdate > 2 * 300 s), and otherwise doubles.
 * The expected values are not taken from the program's output.
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
#define T0_NS (3 * S)   /* first start: pull 2 s + containerStart 1 s */
#define MAX_TIMES 32

/* ------------------------------------------------------------ lookups */

/* The first instant the pod counts show a ready pod, or -1. */
static sim_time_t first_ready(const struct rec *r)
{
	size_t i;

	for (i = 0; i < r->n_cn; i++)
		if (r->cn[i].c.new_ready + r->cn[i].c.old_ready > 0)
			return r->cn[i].t;
	return -1;
}

/* ------------------------------------------------------------- probes */

static struct probe_config probe(sim_time_t delay_s, sim_time_t period_s,
				 int32_t success, int32_t failure)
{
	struct probe_config c;

	probe_config_defaults(&c);
	c.initial_delay_ns = delay_s * S;
	c.period_ns = period_s * S;
	c.success_threshold = success;
	c.failure_threshold = failure;
	return c;
}

/* ------------------------------------------------- readiness timing */

struct ready_row {
	const char *name;
	sim_time_t delay_s, period_s;   /* initialDelaySeconds, periodSeconds */
	int32_t success, failure;       /* thresholds */
	sim_time_t startup_ms;          /* app up after T0 */
	sim_time_t want_ready_s;        /* Ready instant (absolute) */
	int want_unhealthy;             /* Readiness failures before Ready */
	sim_time_t want_first_unhealthy_s; /* -1: none */
};

/* T0 = 3 s in every row; ticks at age 0, p, 2p, ...; counted when
 * age >= D; success when age >= U. */
static const struct ready_row ready_rows[] = {
	/* age 0 counts (D 0) and the app is up at once (U 0): Ready at T0 */
	{ "D0 p10 S1 U0", 0, 10, 1, 3, 0, 3, 0, -1 },
	/* age 0 counted, fails (U 5 s) -> Unhealthy at 3; age 10 succeeds
	 * -> Ready at 13 */
	{ "D0 p10 S1 U5", 0, 10, 1, 3, 5000, 13, 1, 3 },
	/* D 5 not a multiple of 10: age 0 skipped (0 < 5), age 10 is the
	 * first counted tick and the app is up -> Ready at 13, no failure */
	{ "D5 p10 S1 U0", 5, 10, 1, 3, 0, 13, 0, -1 },
	/* D 7 with period 3: ages 0, 3, 6 skipped, age 9 counts, app up
	 * since age 1 -> Ready at 3 + 9 = 12 */
	{ "D7 p3 S1 U1", 7, 3, 1, 3, 1000, 12, 0, -1 },
	/* successThreshold 3, period 2, U 3: ages 0 and 2 fail (Unhealthy at
	 * 3 and 5), ages 4, 6, 8 succeed -> Ready at the third, 3 + 8 = 11 */
	{ "D0 p2 S3 U3", 0, 2, 3, 3, 3000, 11, 2, 3 },
	/* app up exactly on a tick: U 10 s, period 5: ages 0 and 5 fail
	 * (3, 8), at age 10 the app is up -> Ready at 13 */
	{ "D0 p5 S1 U10 on a tick", 0, 5, 1, 3, 10000, 13, 2, 3 },
	/* D equal to a tick: age 10 counts (10 >= 10) and succeeds, age 20
	 * the second success -> Ready at 3 + 20 = 23 */
	{ "D10 p10 S2 U0", 10, 10, 2, 3, 0, 23, 0, -1 },
	/* U 10.5 s: ages 0 and 10 fail (3, 13), age 20 succeeds -> 23 */
	{ "D0 p10 S1 U10.5", 0, 10, 1, 3, 10500, 23, 2, 3 },
	/* D 3, period 4, S 2, U 6: age 0 skipped, age 4 fails (Unhealthy at
	 * 7), ages 8 and 12 succeed -> Ready at 15 */
	{ "D3 p4 S2 U6", 3, 4, 2, 3, 6000, 15, 1, 7 },
	/* failureThreshold 1 does not matter while the published result is
	 * still the initial Failure: as row 2 -> Ready at 13 */
	{ "D0 p10 S1 F1 U5", 0, 10, 1, 1, 5000, 13, 1, 3 },
	/* period 1, D 2, S 2, U 2.5: ages 0, 1 skipped, age 2 fails
	 * (Unhealthy at 5), ages 3 and 4 succeed -> Ready at 7 */
	{ "D2 p1 S2 U2.5", 2, 1, 2, 3, 2500, 7, 1, 5 },
};

Test(pod, readiness_probe_timing)
{
	size_t i;

	for (i = 0; i < sizeof(ready_rows) / sizeof(ready_rows[0]); i++) {
		const struct ready_row *row = &ready_rows[i];
		struct world_config cfg;
		struct world_metrics m;
		struct rec r;
		sim_time_t got, first_unh = -1;
		int n_unh;

		rec_one_pod_config(&cfg, "pod-probes", 60 * S);
		cfg.images[0].startup = dist_constant(row->startup_ms * MS);
		cfg.images[0].readiness = probe(row->delay_s, row->period_s,
						row->success, row->failure);
		rec_run_world(&cfg, &r, &m, row->name);
		cr_expect_eq(rec_first(&r, "Started", NULL, NULL), T0_NS,
			     "%s: Started expected at %.3f s, got %.3f s",
			     row->name, sim_ns_to_s(T0_NS),
			     sim_ns_to_s(rec_first(&r, "Started", NULL, NULL)));
		got = first_ready(&r);
		cr_expect_eq(got, row->want_ready_s * S,
			     "%s: Ready expected at %lld s, got %.3f s",
			     row->name, (long long)row->want_ready_s,
			     sim_ns_to_s(got));
		n_unh = rec_times(&r, "Unhealthy", NULL,
				  "Readiness probe failed", &first_unh, 1);
		cr_expect_eq(n_unh, row->want_unhealthy,
			     "%s: readiness failures expected %d, got %d",
			     row->name, row->want_unhealthy, n_unh);
		if (row->want_unhealthy > 0)
			cr_expect_eq(first_unh, row->want_first_unhealthy_s * S,
				     "%s: first Unhealthy expected at %lld s, "
				     "got %.3f s", row->name,
				     (long long)row->want_first_unhealthy_s,
				     sim_ns_to_s(first_unh));
		cr_expect_eq(m.restarts, 0, "%s: restarts expected 0, got %d",
			     row->name, m.restarts);
		rec_free(&r);
	}
}

/* Without any probe the pod is Ready as soon as its container runs, even
 * though the app is not up yet (docs/kubernetes.md §9: without a readiness
 * probe a running container is ready): Ready at T0 = 3 s although startup
 * is 20 s. */
Test(pod, no_probe_ready_at_container_start)
{
	struct world_config cfg;
	struct world_metrics m;
	struct rec r;

	rec_one_pod_config(&cfg, "pod-probes", 60 * S);
	cfg.images[0].startup = dist_constant(20 * S);
	rec_run_world(&cfg, &r, &m, "no probe");
	cr_expect_eq(first_ready(&r), T0_NS,
		     "no probe: Ready expected at 3 s, got %.3f s",
		     sim_ns_to_s(first_ready(&r)));
	cr_expect_eq(rec_first(&r, "Unhealthy", NULL, NULL), -1,
		     "no probe: no Unhealthy expected");
	rec_free(&r);
}

/* ------------------------------------------- startup probe gating */

struct gate_row {
	const char *name;
	sim_time_t s_delay_s, s_period_s; /* startupProbe */
	int32_t s_failure;
	int readiness;                    /* 1: readinessProbe below */
	sim_time_t r_delay_s, r_period_s;
	int32_t r_success;
	sim_time_t startup_ms;
	sim_time_t want_ready_s;
	int want_startup_unhealthy;       /* "Startup probe failed" */
};

/* T0 = 3. The startup probe ticks at ages 0, p_s, ...; the first counted
 * tick with age >= U passes it at T0 + a_s; readiness ticks before that
 * record nothing; then readiness probes at once (age a_s) and every r_p
 * after that. */
static const struct gate_row gate_rows[] = {
	/* startup p3, U 7: ages 0, 3, 6 fail (3 Unhealthy), age 9 passes
	 * (12 s); readiness p10 would have ticked at age 10 (13 s) but runs
	 * at once at 12, app up -> Ready at 12 */
	{ "startup p3 U7, readiness p10", 0, 3, 10, 1, 0, 10, 1, 7000, 12, 3 },
	/* same with readiness successThreshold 2: successes at 12 and 22 ->
	 * Ready at 22 */
	{ "startup p3 U7, readiness p10 S2", 0, 3, 10, 1, 0, 10, 2, 7000, 22,
	  3 },
	/* readiness initialDelay 15: the run at 12 is age 9 < 15 (skipped),
	 * the restarted ticker's next run is at 22 (age 19 >= 15) -> Ready
	 * at 22 (a ticker anchored at T0 would give age 20, 23 s) */
	{ "startup p3 U7, readiness D15 p10", 0, 3, 10, 1, 15, 10, 1, 7000,
	  22, 3 },
	/* no readiness probe: Ready when the startup probe passes, 12 */
	{ "startup p3 U7, no readiness", 0, 3, 10, 0, 0, 0, 1, 7000, 12, 3 },
	/* startup initialDelay 4, p 2, U 0: ages 0 and 2 skipped, age 4
	 * passes (7 s); readiness p10 at once, up -> Ready at 7 */
	{ "startup D4 p2 U0, readiness p10", 4, 2, 10, 1, 0, 10, 1, 0, 7, 0 },
};

Test(pod, startup_probe_gates_readiness)
{
	size_t i;

	for (i = 0; i < sizeof(gate_rows) / sizeof(gate_rows[0]); i++) {
		const struct gate_row *row = &gate_rows[i];
		struct world_config cfg;
		struct world_metrics m;
		struct rec r;
		sim_time_t got;
		int n;

		rec_one_pod_config(&cfg, "pod-probes", 60 * S);
		cfg.images[0].startup = dist_constant(row->startup_ms * MS);
		cfg.images[0].startup_probe = probe(row->s_delay_s,
						    row->s_period_s, 1,
						    row->s_failure);
		if (row->readiness)
			cfg.images[0].readiness = probe(row->r_delay_s,
							row->r_period_s,
							row->r_success, 3);
		rec_run_world(&cfg, &r, &m, row->name);
		got = first_ready(&r);
		cr_expect_eq(got, row->want_ready_s * S,
			     "%s: Ready expected at %lld s, got %.3f s",
			     row->name, (long long)row->want_ready_s,
			     sim_ns_to_s(got));
		n = rec_times(&r, "Unhealthy", NULL, "Startup probe failed",
			      &got, 1);
		cr_expect_eq(n, row->want_startup_unhealthy,
			     "%s: startup probe failures expected %d, got %d",
			     row->name, row->want_startup_unhealthy, n);
		/* readiness ticks before the startup probe passed record
		 * nothing; after it the app is up: no readiness failure */
		n = rec_times(&r, "Unhealthy", NULL, "Readiness probe failed",
			      &got, 1);
		cr_expect_eq(n, 0, "%s: readiness failures expected 0, got %d",
			     row->name, n);
		cr_expect_eq(m.restarts, 0, "%s: restarts expected 0, got %d",
			     row->name, m.restarts);
		rec_free(&r);
	}
}

/* ------------------------------------------------ liveness kills */

/* startup 100 s, livenessProbe D5 p10 F3 (budget 5 + 3*10 = 35 s < 100
 * s): the app never comes up before it is killed.
 *   container 1: T0 = 3; liveness ticks at ages 10, 20, 30 count (age 0 <
 *     5) and fail -> killed at 33 (exit at once), first exit: restart at
 *     once (back-off 10 s from now, lastUpdate 33) -> Started at 34.
 *   container 2: killed at 34 + 30 = 64; 64 - 33 <= 600: back-off 10 s ->
 *     restart at 74 (back-off 20) -> Started 75.
 *   container 3: killed 105, restart 125 (back-off 40) -> Started 126.
 *   container 4: killed 156, restart 196 (back-off 80) -> Started 197.
 *   container 5: killed 227, restart 307.
 * Until 200 s: kills at 33, 64, 105, 156; Started at 3, 34, 75, 126, 197;
 * 4 restarts (at 33, 74, 125, 196); 3 BackOff events (64, 105, 156);
 * 3 failures per container: 12 Unhealthy + the 197 container's none yet
 * (its first counted tick is at age 10, 207 s). */
Test(pod, liveness_kills_an_app_that_never_comes_up)
{
	static const sim_time_t kills[] = { 33 * S, 64 * S, 105 * S, 156 * S };
	static const sim_time_t starts[] = { 3 * S, 34 * S, 75 * S, 126 * S,
					     197 * S };
	static const sim_time_t backoffs[] = { 64 * S, 105 * S, 156 * S };
	struct world_config cfg;
	struct world_metrics m;
	struct rec r;
	sim_time_t t[MAX_TIMES] = { 0 };
	int n;

	rec_one_pod_config(&cfg, "pod-probes", 200 * S);
	cfg.images[0].startup = dist_constant(100 * S);
	cfg.images[0].liveness = probe(5, 10, 1, 3);
	rec_run_world(&cfg, &r, &m, "liveness");
	rec_expect_times(&r, "liveness", "Killing", NULL,
			 "failed liveness probe", kills, 4);
	rec_expect_times(&r, "liveness", "Started", NULL, NULL, starts, 5);
	rec_expect_times(&r, "liveness", "BackOff", NULL,
			 "Back-off restarting", backoffs, 3);
	n = rec_times(&r, "Unhealthy", NULL, "Liveness probe failed", t,
		      MAX_TIMES);
	cr_expect_eq(n, 12, "liveness: Unhealthy expected 12, got %d", n);
	cr_expect_eq(m.restarts, 4, "liveness: restarts expected 4, got %d",
		     m.restarts);
	n = rec_times(&r, "Killing", NULL, "Stopping container", t, 1);
	cr_expect_eq(n, 0, "liveness: no deletion Killing expected, got %d", n);
	rec_free(&r);
}

/* The fix: the same app (startup 100 s, liveness D5 p10 F3) with a
 * startupProbe p10. Startup ticks at ages 0, 10, ..., 90 fail (app up at
 * age 100); age 100 succeeds when failureThreshold > 10 failures, i.e. F
 * >= 11 (budget 0 + 11*10 = 110 s >= 100 s). Liveness is not run before
 * that; after it the app is up and liveness passes. Without a readiness
 * probe the pod is Ready when the startup probe passes: 3 + 100 = 103 s,
 * no restart. With F = 10 the 10th failure at age 90 kills the container
 * (93 s, "failed startup probe") and it is restarted at once -> Started
 * again at 94. */
struct fix_row {
	const char *name;
	int32_t s_failure;
	sim_time_t want_ready_s;      /* -1: not Ready by the end */
	sim_time_t want_kill_s;       /* startup-probe kill, -1 none */
	int want_restarts;
	int want_startup_unhealthy;
};

static const struct fix_row fix_rows[] = {
	/* 10 failures (ages 0..90), success at age 100 -> Ready 103 */
	{ "startupProbe F11", 11, 103, -1, 0, 10 },
	/* F 30, budget 300 s: same instants */
	{ "startupProbe F30", 30, 103, -1, 0, 10 },
	/* F 10: killed at the 10th failure, age 90 = 93 s; restart at once,
	 * Started 94; its 10 failures end at 94 + 90 = 184 (second kill, not
	 * counted: until 150 s) -> 1 restart, 10 + 6 failures (ages 0..50 of
	 * the second container: 94, 104, ..., 144) */
	{ "startupProbe F10", 10, -1, 93, 1, 16 },
};

Test(pod, startup_probe_protects_a_slow_app_from_liveness)
{
	size_t i;

	for (i = 0; i < sizeof(fix_rows) / sizeof(fix_rows[0]); i++) {
		const struct fix_row *row = &fix_rows[i];
		struct world_config cfg;
		struct world_metrics m;
		struct rec r;
		sim_time_t got, t[MAX_TIMES];
		int n;

		rec_one_pod_config(&cfg, "pod-probes", 150 * S);
		cfg.images[0].startup = dist_constant(100 * S);
		cfg.images[0].liveness = probe(5, 10, 1, 3);
		cfg.images[0].startup_probe = probe(0, 10, 1, row->s_failure);
		rec_run_world(&cfg, &r, &m, row->name);
		got = first_ready(&r);
		cr_expect_eq(got, row->want_ready_s < 0 ? -1
							: row->want_ready_s * S,
			     "%s: Ready expected at %lld s, got %.3f s",
			     row->name, (long long)row->want_ready_s,
			     rec_secs(got));
		got = rec_first(&r, "Killing", NULL, "failed startup probe");
		cr_expect_eq(got, row->want_kill_s < 0 ? -1
						       : row->want_kill_s * S,
			     "%s: startup kill expected at %lld s, got %.3f s",
			     row->name, (long long)row->want_kill_s,
			     rec_secs(got));
		cr_expect_eq(m.restarts, row->want_restarts,
			     "%s: restarts expected %d, got %d", row->name,
			     row->want_restarts, m.restarts);
		n = rec_times(&r, "Unhealthy", NULL, "Startup probe failed", t,
			      MAX_TIMES);
		cr_expect_eq(n, row->want_startup_unhealthy,
			     "%s: startup failures expected %d, got %d",
			     row->name, row->want_startup_unhealthy, n);
		n = rec_times(&r, "Killing", NULL, "failed liveness probe", t,
			      1);
		cr_expect_eq(n, 0, "%s: liveness kills expected 0, got %d",
			     row->name, n);
		rec_free(&r);
	}
}

/* A liveness kill of a Ready pod clears Ready at once, and the restarted
 * container is Ready again only through its own fresh readiness probe.
 * startup 0, readiness D0 p10, liveness D0 p10 F3 with neverReady on the
 * liveness probe: an app that answers readiness but never liveness.
 *   container 1: T0 = 3, Ready at 3 (readiness age 0 succeeds); liveness
 *     fails at ages 0, 10, 20 -> killed at 23, Ready cleared at 23;
 *     restart at once -> Started 24, Ready at 24 (fresh readiness worker,
 *     age 0); liveness fails at 24, 34, 44 -> killed at 44, back-off 10 s
 *     -> Started 55, Ready 55.
 * The Ready count goes 1 (3), 0 (23), 1 (24), 0 (44), 1 (55). */
Test(pod, liveness_kill_clears_ready)
{
	static const sim_time_t want[] = { 3 * S, 23 * S, 24 * S, 44 * S,
					   55 * S };
	sim_time_t got[MAX_TIMES];
	struct world_config cfg;
	struct world_metrics m;
	struct rec r;
	char ws[512], gs[512];
	int32_t prev = 0;
	size_t i;
	int n = 0;

	rec_one_pod_config(&cfg, "pod-probes", 60 * S);
	cfg.images[0].readiness = probe(0, 10, 1, 3);
	cfg.images[0].liveness = probe(0, 10, 1, 3);
	cfg.images[0].liveness.never_ready = 1;
	rec_run_world(&cfg, &r, &m, "liveness clears ready");
	for (i = 0; i < r.n_cn; i++) {
		int32_t rd = r.cn[i].c.new_ready + r.cn[i].c.old_ready;

		if (rd != prev && n < MAX_TIMES)
			got[n++] = r.cn[i].t;
		prev = rd;
	}
	rec_fmt_times(got, n, gs, sizeof(gs));
	rec_fmt_times(want, 5, ws, sizeof(ws));
	cr_expect_str_eq(gs, ws, "liveness clears ready: Ready changes (s)\n"
			 "  expected %s\n  got      %s", ws, gs);
	cr_expect_eq(m.restarts, 2, "liveness clears ready: restarts expected "
		     "2, got %d", m.restarts);
	rec_free(&r);
}

/* --------------------------------------------------- CrashLoopBackOff */

/* crash after a constant 1 s with probability 1, containerStart 1 s:
 * start 3, crash 4 (first exit: restart at once, back-off := 10,
 * lastUpdate 4) -> Started 5; crash 6: 6 - 4 <= 600, wait 10 -> restart
 * 16 (back-off 20) -> Started 17; crash 18, wait 20 -> 38 -> Started 39;
 * crash 40, wait 40 -> 80 -> 81; crash 82, wait 80 -> 162 -> 163; crash
 * 164, wait 160 -> 324 -> 325 (back-off min(320, 300) = 300); crash 326,
 * wait 300 -> 626 -> 627; crash 628, wait 300 -> 928 -> 929; crash 930,
 * wait 300 -> 1230 -> 1231.
 * So the delays after the crashes are 0, 10, 20, 40, 80, 160, 300, 300,
 * 300 s (+ containerStart 1 s to each Started); the container started at
 * 1231 crashes at 1232 (a 9th BackOff) and waits beyond the end, 1300 s.
 * BackOff is reported at every crash but the first. */
Test(pod, crash_loop_back_off_sequence)
{
	static const sim_time_t starts[] = { 3 * S, 5 * S, 17 * S, 39 * S,
					     81 * S, 163 * S, 325 * S, 627 * S,
					     929 * S, 1231 * S };
	static const sim_time_t backoffs[] = { 6 * S, 18 * S, 40 * S, 82 * S,
					       164 * S, 326 * S, 628 * S,
					       930 * S, 1232 * S };
	struct world_config cfg;
	struct world_metrics m;
	struct rec r;

	rec_one_pod_config(&cfg, "pod-probes", 1300 * S);
	cfg.images[0].crash.enabled = 1;
	cfg.images[0].crash.after = dist_constant(1 * S);
	cfg.images[0].crash.probability = 1.0;
	rec_run_world(&cfg, &r, &m, "crash loop");
	rec_expect_times(&r, "crash loop", "Started", NULL, NULL, starts, 10);
	rec_expect_times(&r, "crash loop", "BackOff", NULL,
			 "Back-off restarting", backoffs, 9);
	/* restarts at 4, 16, 38, 80, 162, 324, 626, 928, 1230 */
	cr_expect_eq(m.restarts, 9, "crash loop: restarts expected 9, got %d",
		     m.restarts);
	rec_free(&r);
}

/* The back-off is forgotten after a long run: F - lastUpdate > 600 s.
 * lastUpdate is the restart instant; the run until the crash is
 * containerStart 1 s + crash.after. */
struct long_row {
	const char *name;
	sim_time_t after_s;        /* crash.after */
	sim_time_t until_s;
	int n_starts;
	sim_time_t starts_s[6];
};

static const struct long_row long_rows[] = {
	/* 11 min: start 3, crash 663 -> at once (lastUpdate 663) -> 664;
	 * crash 1324: 1324 - 663 = 661 > 600, expired -> at once -> 1325;
	 * crash 1985: 661 > 600 -> at once -> 1986 */
	{ "after 660 s", 660, 2000, 4, { 3, 664, 1325, 1986 } },
	/* 9 min: crash 543 -> at once -> 544 (lastUpdate 543); crash 1084:
	 * 541 <= 600 -> wait 10 -> restart 1094 -> 1095 (back-off 20,
	 * lastUpdate 1094); crash 1635: 541 -> wait 20 -> 1655 -> 1656 */
	{ "after 540 s", 540, 1700, 4, { 3, 544, 1095, 1656 } },
	/* 599 s: the run since lastUpdate is 600 s, not > 600 -> back-off:
	 * crash 602 -> at once -> 603 (lastUpdate 602); crash 1202: 600 ->
	 * wait 10 -> 1212 -> 1213 */
	{ "after 599 s (600 s boundary)", 599, 1300, 3, { 3, 603, 1213 } },
	/* 600 s: run 601 s > 600: crash 603 -> 604 (lastUpdate 603); crash
	 * 1204: 601 > 600 -> at once -> 1205 */
	{ "after 600 s", 600, 1300, 3, { 3, 604, 1205 } },
	/* 595 s: crash 598 -> at once -> 599 (lastUpdate 598, back-off 10);
	 * crash 1194: 596 <= 600 -> wait 10 -> restart 1204, and the
	 * back-off doubles (docs/kubernetes.md §10; flowcontrol Backoff.Next
	 * is given the exit time F: F - lastUpdate = 596 is not expired) ->
	 * back-off 20, lastUpdate 1204 -> Started 1205; crash 1800: 596 ->
	 * wait 20 -> restart 1820 -> Started 1821 */
	{ "after 595 s (doubles, not reset)", 595, 1900, 4,
	  { 3, 599, 1205, 1821 } },
};

Test(pod, crash_back_off_forgotten_after_ten_minutes)
{
	size_t i;

	for (i = 0; i < sizeof(long_rows) / sizeof(long_rows[0]); i++) {
		const struct long_row *row = &long_rows[i];
		struct world_config cfg;
		struct world_metrics m;
		struct rec r;
		sim_time_t want[6];
		int k;

		rec_one_pod_config(&cfg, "pod-probes", row->until_s * S);
		cfg.images[0].crash.enabled = 1;
		cfg.images[0].crash.after = dist_constant(row->after_s * S);
		cfg.images[0].crash.probability = 1.0;
		rec_run_world(&cfg, &r, &m, row->name);
		for (k = 0; k < row->n_starts; k++)
			want[k] = row->starts_s[k] * S;
		rec_expect_times(&r, row->name, "Started", NULL, NULL, want,
				 row->n_starts);
		cr_expect_eq(m.restarts, row->n_starts - 1,
			     "%s: restarts expected %d, got %d", row->name,
			     row->n_starts - 1, m.restarts);
		rec_free(&r);
	}
}

/* crash.probability 0: the container never crashes (a start ends in a
 * crash only with that chance): one Started, no restart. */
Test(pod, crash_probability_zero_never_crashes)
{
	sim_time_t t[MAX_TIMES] = { 0 };
	struct world_config cfg;
	struct world_metrics m;
	struct rec r;
	int n;

	rec_one_pod_config(&cfg, "pod-probes", 300 * S);
	cfg.images[0].crash.enabled = 1;
	cfg.images[0].crash.after = dist_constant(1 * S);
	cfg.images[0].crash.probability = 0.0;
	rec_run_world(&cfg, &r, &m, "crash p0");
	n = rec_times(&r, "Started", NULL, NULL, t, MAX_TIMES);
	cr_expect_eq(n, 1, "crash p0: Started expected once, got %d", n);
	cr_expect_eq(m.restarts, 0, "crash p0: restarts expected 0, got %d",
		     m.restarts);
	rec_free(&r);
}
