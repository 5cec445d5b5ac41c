/* test_flagger.c - Flagger's canary analysis through the simulator.
 *
 * The idealised world of conf_world.h (pull D = 10 s, everything else
 * instant, setImage app:2 at 100 s) with strategy Flagger: 10 replicas,
 * so NAME-primary holds 10 pods of app:1 and the target (the canary
 * Deployment) 0. The analysis ticker fires at multiples of the interval
 * (60 s): 120 s is the first tick after the trigger (t0 below), 180 s t1,
 * and so on. Expected event texts and tick times are worked out by hand
 * from fluxcd/flagger pkg/controller/scheduler.go (advanceCanary,
 * runCanary, nextStepWeight, runBlueGreen, runPromotionTrafficShift,
 * rollback) and pkg/canary/deployment_ready.go (isDeploymentReady): each
 * comment says how. Every scaled-up pod is ready D after its creation,
 * so a Deployment scaled up at a tick is ready at the next one.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "models/deployment.h"
#include "models/intstr.h"
#include "models/pod.h"
#include "models/world.h"
#include "sim/core/dist.h"
#include "sim/core/engine.h"
#include "conf_world.h"

#define S SIM_NS_PER_S
#define MAX_EV 64
#define MAX_W 32

struct fl_event {
	sim_time_t t;
	char type[16];
	char msg[200];
};

struct fl_weight {
	sim_time_t t;
	int32_t w;
};

struct fl_cap {
	struct fl_event ev[MAX_EV];
	size_t n_ev;
	struct fl_weight wt[MAX_W];
	size_t n_wt;
	struct world_counts last;
	int32_t max_pods;            /* non-terminating, whole run */
};

static void on_event(void *ctx, sim_time_t t, const char *type,
		     const char *reason, const char *object, const char *msg)
{
	struct fl_cap *c = ctx;

	if (strncmp(object, "canary/", 7) != 0)
		return;
	cr_expect_str_eq(reason, "Synced");
	if (c->n_ev == MAX_EV)
		return;
	c->ev[c->n_ev].t = t;
	snprintf(c->ev[c->n_ev].type, sizeof(c->ev[0].type), "%s", type);
	snprintf(c->ev[c->n_ev].msg, sizeof(c->ev[0].msg), "%s", msg);
	c->n_ev++;
}

static void on_counts(void *ctx, sim_time_t t, const struct world_counts *wc)
{
	struct fl_cap *c = ctx;
	int32_t pods = wc->old_pods + wc->new_pods;

	c->last = *wc;
	if (pods > c->max_pods)
		c->max_pods = pods;
	if (c->n_wt > 0 && c->wt[c->n_wt - 1].w == wc->canary_weight)
		return;
	if (c->n_wt == MAX_W)
		return;
	c->wt[c->n_wt].t = t;
	c->wt[c->n_wt].w = wc->canary_weight;
	c->n_wt++;
}

/* The world of the file header; the caller sets the Flagger fields. */
static void fl_config(struct world_config *cfg, const struct world_event *extra,
		      size_t n_extra)
{
	struct conf_world p;
	struct flagger_config *f;

	memset(&p, 0, sizeof(p));
	p.replicas = 10;
	p.strategy = STRATEGY_FLAGGER;
	p.max_surge = intstr_percent(25);
	p.max_unav = intstr_percent(25);
	p.pull_ns = CONF_D_NS;
	p.extra = extra;
	p.n_extra = n_extra;
	conf_world_config(cfg, "podinfo", &p);
	snprintf(cfg->deployment.name, sizeof(cfg->deployment.name),
		 "podinfo");
	f = &cfg->deployment.prog.flagger;
	f->interval_ns = 60 * S;
	f->threshold = 5;
}

static void fl_run(struct world_config *cfg, struct fl_cap *c,
		   struct world_metrics *m)
{
	struct world_observer obs;
	world *w = NULL;

	memset(c, 0, sizeof(*c));
	memset(&obs, 0, sizeof(obs));
	obs.ctx = c;
	obs.on_event = on_event;
	obs.on_counts = on_counts;
	cr_assert_eq(world_new(cfg, 0, &obs, &w), 0);
	cr_assert_eq(world_run(w), 0);
	world_get_metrics(w, m);
	world_free(w);
	world_config_release(cfg);
}

struct want_ev {
	int t_s;
	const char *type, *msg;
};

/* The canary/ events must be exactly want[] (times, types, texts). */
static void expect_events(const struct fl_cap *c, const struct want_ev *want,
			  size_t n)
{
	size_t i;

	for (i = 0; i < c->n_ev && i < n; i++) {
		cr_expect_eq(c->ev[i].t, want[i].t_s * S,
			     "event %zu (%s) at %lld ns, expected %d s", i,
			     c->ev[i].msg, (long long)c->ev[i].t, want[i].t_s);
		cr_expect_str_eq(c->ev[i].type, want[i].type, "event %zu", i);
		cr_expect_str_eq(c->ev[i].msg, want[i].msg, "event %zu", i);
	}
	for (i = n; i < c->n_ev; i++)
		cr_expect_fail("unexpected event %zu at %lld ns: %s %s", i,
			       (long long)c->ev[i].t, c->ev[i].type,
			       c->ev[i].msg);
	cr_expect_eq(c->n_ev, n, "%zu canary events, expected %zu", c->n_ev,
		     n);
}

/* The canary_weight values in order, each with its time. */
static void expect_weights(const struct fl_cap *c, const int32_t *w,
			   const int *t_s, size_t n)
{
	size_t i;

	cr_expect_eq(c->n_wt, n, "%zu weight values, expected %zu", c->n_wt, n);
	for (i = 0; i < c->n_wt && i < n; i++) {
		cr_expect_eq(c->wt[i].w, w[i], "weight %zu: %d, expected %d", i,
			     c->wt[i].w, w[i]);
		cr_expect_eq(c->wt[i].t, (sim_time_t)t_s[i] * S,
			     "weight %zu (%d) at %lld ns, expected %d s", i,
			     c->wt[i].w, (long long)c->wt[i].t, t_s[i]);
	}
}

/* ------------------------------------------------ the worked example */

/* stepWeight 20, maxWeight 50, interval 1m, every check passes. Ticks:
 * t0 = 120 s detects app:2 and scales the target to 10 (ready at 130);
 * t1 = 180 "Starting canary analysis" and weight 20 in the same tick
 * (advanceCanary goes on to runCanary after the pre-rollout hooks);
 * t2 40, t3 60 (20 + 20 + 20 overshoots 50: runCanary only compares
 * weight < maxWeight before the step); t4 = 360 weight 60 >= 50: Promote.
 * NAME-primary rolls 10 pods with 25 %/25 % (surge 3, unavailable 2,
 * docs/kubernetes.md §2): new 3, old 8, new 5 at 360 (one sync), old 3
 * and new 10 at 370, old 0 at 380 with all 10 new available, so t5 =
 * 420 finds it ready and routes all traffic to the primary; t6 = 480
 * scales the target to 0: Succeeded. */
Test(flagger, worked_example_weights_and_ticks)
{
	struct world_config cfg;
	struct fl_cap c;
	struct world_metrics m;
	const struct want_ev want[] = {
		{ 120, "Normal", "New revision detected! Scaling up "
				 "podinfo.default" },
		{ 180, "Normal", "Starting canary analysis for podinfo.default" },
		{ 180, "Normal", "Advance podinfo.default canary weight 20" },
		{ 240, "Normal", "Advance podinfo.default canary weight 40" },
		{ 300, "Normal", "Advance podinfo.default canary weight 60" },
		{ 360, "Normal", "Copying podinfo.default template spec to "
				 "podinfo-primary.default" },
		{ 420, "Normal", "Routing all traffic to primary" },
		{ 480, "Normal", "Promotion completed! Scaling down "
				 "podinfo.default" },
	};
	const int32_t wts[] = { 0, 20, 40, 60, 0 };
	const int wt_s[] = { 0, 180, 240, 300, 420 };

	fl_config(&cfg, NULL, 0);
	cfg.deployment.prog.flagger.step_weight = 20;
	cfg.deployment.prog.flagger.max_weight = 50;
	fl_run(&cfg, &c, &m);
	expect_events(&c, want, sizeof(want) / sizeof(*want));
	expect_weights(&c, wts, wt_s, sizeof(wts) / sizeof(*wts));
	/* complete when the target's pods are gone: at once (grace 0) */
	cr_expect(m.complete);
	cr_expect_eq(m.completed_ns, 480 * S, "completed at %lld ns",
		     (long long)m.completed_ns);
	/* the primary runs app:2 (its revision 2), the target has 0 pods */
	cr_expect_eq(c.last.stable_pods, 10);
	cr_expect_eq(c.last.stable_revision, 2);
	cr_expect_eq(c.last.canary_pods, 0);
	cr_expect_eq(c.last.canary_weight, 0);
	/* promoted when all traffic is back on the rolled primary (t5) */
	cr_expect_eq(m.delivery.promoted_ns, 420 * S);
	cr_expect(!m.delivery.aborted);
	/* at most primary N + canary N + primary surge: 10 + 10 + 3, reached
	 * while the primary surges with the target still at 10 */
	cr_expect_eq(c.max_pods, 23, "max pods %d", c.max_pods);
}

/* stepWeights [1, 5, 10, 20] (stepWeight 0): nextStepWeight moves to the
 * next listed weight; maxWeight is the last entry (20), the configured
 * maxWeight 50 is not read. Weights 1, 5, 10, 20 at t1..t4, Promote at
 * t5 = 420, the primary ready by 460, routed at 480, Succeeded at 540. */
Test(flagger, step_weights_progression)
{
	struct world_config cfg;
	struct fl_cap c;
	struct world_metrics m;
	struct flagger_config *f;
	const int32_t wts[] = { 0, 1, 5, 10, 20, 0 };
	const int wt_s[] = { 0, 180, 240, 300, 360, 480 };

	fl_config(&cfg, NULL, 0);
	f = &cfg.deployment.prog.flagger;
	f->step_weight = 0;
	f->max_weight = 50;
	f->step_weights[0] = 1;
	f->step_weights[1] = 5;
	f->step_weights[2] = 10;
	f->step_weights[3] = 20;
	f->n_step_weights = 4;
	fl_run(&cfg, &c, &m);
	expect_weights(&c, wts, wt_s, sizeof(wts) / sizeof(*wts));
	cr_assert_geq(c.n_ev, 7);
	cr_expect_str_eq(c.ev[6].msg, "Copying podinfo.default template spec "
				      "to podinfo-primary.default");
	cr_expect_eq(c.ev[6].t, 420 * S);
	cr_expect_eq(m.completed_ns, 540 * S, "completed at %lld ns",
		     (long long)m.completed_ns);
}

/* Blue/Green (iterations 3): runBlueGreen counts iterations at weight 0
 * (t1..t3, the first with "Starting canary analysis"), routes all
 * traffic to the canary when iterations == 3 (t4 = 360), promotes at the
 * next tick (420), routes back to the primary at 480 and finishes at
 * 540. */
Test(flagger, blue_green_iterations)
{
	struct world_config cfg;
	struct fl_cap c;
	struct world_metrics m;
	const struct want_ev want[] = {
		{ 120, "Normal", "New revision detected! Scaling up "
				 "podinfo.default" },
		{ 180, "Normal", "Starting canary analysis for podinfo.default" },
		{ 180, "Normal", "Advance podinfo.default canary iteration 1/3" },
		{ 240, "Normal", "Advance podinfo.default canary iteration 2/3" },
		{ 300, "Normal", "Advance podinfo.default canary iteration 3/3" },
		{ 360, "Normal", "Routing all traffic to canary" },
		{ 420, "Normal", "Copying podinfo.default template spec to "
				 "podinfo-primary.default" },
		{ 480, "Normal", "Routing all traffic to primary" },
		{ 540, "Normal", "Promotion completed! Scaling down "
				 "podinfo.default" },
	};
	const int32_t wts[] = { 0, 100, 0 };
	const int wt_s[] = { 0, 360, 480 };

	fl_config(&cfg, NULL, 0);
	cfg.deployment.prog.flagger.iterations = 3;
	fl_run(&cfg, &c, &m);
	expect_events(&c, want, sizeof(want) / sizeof(*want));
	expect_weights(&c, wts, wt_s, sizeof(wts) / sizeof(*wts));
	cr_expect_eq(m.completed_ns, 540 * S);
}

/* An abort (Flagger's rollback webhook) at 250 s, weight 40: routes all
 * traffic to the primary and scales the target to 0 at once (Failed);
 * the primary keeps app:1 and the rollout never completes. */
Test(flagger, abort_rolls_back)
{
	struct world_config cfg;
	struct fl_cap c;
	struct world_metrics m;
	struct world_event ab;
	const int32_t wts[] = { 0, 20, 40, 0 };
	const int wt_s[] = { 0, 180, 240, 250 };

	memset(&ab, 0, sizeof(ab));
	ab.at_ns = 250 * S;
	ab.action = ACTION_ABORT;
	fl_config(&cfg, &ab, 1);
	cfg.deployment.prog.flagger.step_weight = 20;
	cfg.deployment.prog.flagger.max_weight = 50;
	fl_run(&cfg, &c, &m);
	expect_weights(&c, wts, wt_s, sizeof(wts) / sizeof(*wts));
	cr_assert_eq(c.n_ev, 6, "%zu events", c.n_ev);
	cr_expect_eq(c.ev[4].t, 250 * S);
	cr_expect_str_eq(c.ev[4].type, "Warning");
	cr_expect_str_eq(c.ev[4].msg, "Rolling back podinfo.default manual "
				      "webhook invoked");
	cr_expect_str_eq(c.ev[5].msg, "Canary failed! Scaling down "
				      "podinfo.default");
	cr_expect(!m.complete);
	cr_expect_eq(c.last.canary_pods, 0);
	cr_expect_eq(c.last.stable_pods, 10);
	cr_expect_eq(c.last.stable_revision, 1);
}

/* A target whose pods never become ready: from t0 (120 s) the target's
 * Available condition is False (MinimumReplicasUnavailable). A scale-up
 * of a complete Deployment does not restart its own progress deadline
 * (progress.go: the rollout is complete), so isDeploymentReady's other
 * non-retriable case decides: Available False for longer than the
 * Canary's progressDeadlineSeconds (120 s here): not yet at 180 and 240
 * (120 + 120 is not before 240), at 300 yes: the warning, then
 * rollback() without "Rolling back ... threshold" (failedChecks 0). */
Test(flagger, stuck_canary_rolls_back_after_deadline)
{
	struct world_config cfg;
	struct fl_cap c;
	struct world_metrics m;
	struct conf_world p;
	const char *wait = "canary deployment podinfo.default not ready: "
			   "waiting for rollout to finish: 0 of 10 "
			   "(readyThreshold 100%) updated replicas are "
			   "available";
	const struct want_ev want[] = {
		{ 120, "Normal", "New revision detected! Scaling up "
				 "podinfo.default" },
		{ 180, "Warning", wait },
		{ 240, "Warning", wait },
		{ 300, "Warning", wait },
		{ 300, "Warning", "Canary failed! Scaling down podinfo.default" },
	};

	memset(&p, 0, sizeof(p));
	p.replicas = 10;
	p.strategy = STRATEGY_FLAGGER;
	p.max_surge = intstr_percent(25);
	p.max_unav = intstr_percent(25);
	p.pull_ns = CONF_D_NS;
	p.new_never_ready = 1;
	conf_world_config(&cfg, "podinfo", &p);
	snprintf(cfg.deployment.name, sizeof(cfg.deployment.name), "podinfo");
	cfg.deployment.prog.flagger.interval_ns = 60 * S;
	cfg.deployment.prog.flagger.step_weight = 20;
	cfg.deployment.prog.flagger.progress_deadline_ns = 120 * S;
	fl_run(&cfg, &c, &m);
	expect_events(&c, want, sizeof(want) / sizeof(*want));
	cr_expect_eq(c.last.canary_pods, 0);
	cr_expect(!m.complete);
}

/* An interval below 10 s is raised to 10 s (GetAnalysisInterval): with
 * 3 s the first tick after the trigger at 100 s is 110 s and every
 * Flagger event falls on a multiple of 10 s. */
Test(flagger, interval_floor_10s)
{
	struct world_config cfg;
	struct fl_cap c;
	struct world_metrics m;
	size_t i;

	fl_config(&cfg, NULL, 0);
	cfg.deployment.prog.flagger.interval_ns = 3 * S;
	cfg.deployment.prog.flagger.step_weight = 50;
	fl_run(&cfg, &c, &m);
	cr_assert_geq(c.n_ev, 3);
	cr_expect_eq(c.ev[0].t, 110 * S, "detected at %lld ns",
		     (long long)c.ev[0].t);
	cr_expect_eq(c.ev[1].t, 120 * S);
	for (i = 0; i < c.n_ev; i++)
		cr_expect_eq(c.ev[i].t % (10 * S), 0, "event %zu at %lld ns", i,
			     (long long)c.ev[i].t);
	cr_expect(m.complete);
}

/* ------------------------------------------------- the weighted split */

/* With weight w the mesh sends each request to the canary with
 * probability w/100, independently (route.c, one draw per request), so
 * the canary's count among n requests is Binomial(n, w/100). Interval
 * 600 s: the tick at 1200 s sets weight 20 and the next (1800 s) lies
 * after the end; requests arrive from 1210 s to 1790 s only. The primary
 * (app:1) answers in exactly 10 ms, the canary (app:2) in exactly 100 ms,
 * with free slots (20/s * 0.1 s = 2 busy of 80), so an ok latency is its
 * service time and the mean latency gives the canary's share:
 * p = (mean - 10 ms) / 90 ms. It must lie within the 99.9 % interval
 * 0.2 +- 3.29 * sqrt(0.2 * 0.8 / n). */
Test(flagger, weighted_split_is_binomial)
{
	struct world_config cfg;
	struct fl_cap c;
	struct world_metrics m;
	const double p = 0.20, z = 3.2905;
	double mean_ms, share, half;
	uint64_t n;

	fl_config(&cfg, NULL, 0);
	cfg.until_ns = 1790 * S;
	cfg.deployment.prog.flagger.interval_ns = 600 * S;
	cfg.deployment.prog.flagger.step_weight = 20;
	cfg.images[0].service_time = dist_constant(10 * SIM_NS_PER_MS);
	cfg.images[1].service_time = dist_constant(100 * SIM_NS_PER_MS);
	cfg.traffic.enabled = 1;
	cfg.traffic.rate_per_s = 100.0;
	cfg.traffic.start_ns = 1210 * S;
	fl_run(&cfg, &c, &m);
	cr_assert_eq(c.last.canary_weight, 20);
	n = m.requests.latency.count;
	cr_assert_gt(n, 50000, "%llu ok requests", (unsigned long long)n);
	cr_expect_eq(m.requests.outcome[OUTCOME_OK], m.requests.total);
	mean_ms = m.requests.latency.sum / (double)n / 1e6;
	share = (mean_ms - 10.0) / 90.0;
	half = z * sqrt(p * (1 - p) / (double)n);
	cr_expect(fabs(share - p) <= half,
		  "canary share %.4f outside 0.20 +- %.4f (n %llu)", share, half,
		  (unsigned long long)n);
}

/* ------------------------------------------- rollback after failures */

/* request-success-rate with thresholdRange min 99, as f's only metric. */
static void success_rate_metric(struct flagger_config *f)
{
	struct metric_config *mc = &f->metrics.metrics[0];

	snprintf(mc->name, sizeof(mc->name), "request-success-rate");
	mc->kind = METRIC_SUCCESS_RATE;
	mc->has_min = 1;
	mc->min = 99;
	mc->interval_ns = 60 * S;
	f->metrics.n_metrics = 1;
	f->metrics.enabled = 1;
}

/* A bad release: app:2 fails 20 % of its requests (errorRate 0.2), so
 * with weight 20 of 20 requests/s about 240 canary requests per interval
 * show a success rate near 80 % and request-success-rate (min 99 %)
 * fails each check from t2 on. Threshold
 * 5: failedChecks (cumulative, never reset within a run) reaches 5 at
 * t6 = 480 s; each failed check halts the advance, so the weight stays
 * at 20; the tick at t7 = 540 s rolls back (scheduler.go: the threshold
 * test comes before the analysis). */
Test(flagger, rollback_after_threshold_failures)
{
	struct world_config cfg;
	struct fl_cap c;
	struct world_metrics m;
	struct flagger_config *f;
	const int32_t wts[] = { 0, 20, 0 };
	const int wt_s[] = { 0, 180, 540 };
	const char *halt = "Halt podinfo.default advancement ";
	size_t i;

	fl_config(&cfg, NULL, 0);
	f = &cfg.deployment.prog.flagger;
	f->step_weight = 20;
	f->max_weight = 50;
	f->threshold = 5;
	success_rate_metric(f);
	cfg.images[1].error_rate = 0.2;
	cfg.traffic.enabled = 1;
	cfg.traffic.rate_per_s = 20.0;
	fl_run(&cfg, &c, &m);
	expect_weights(&c, wts, wt_s, sizeof(wts) / sizeof(*wts));
	cr_assert_eq(c.n_ev, 10, "%zu events", c.n_ev);
	for (i = 0; i < 5; i++) {
		cr_expect_eq(c.ev[3 + i].t, (sim_time_t)(240 + 60 * i) * S);
		cr_expect_str_eq(c.ev[3 + i].type, "Warning");
		cr_expect(strncmp(c.ev[3 + i].msg, halt, strlen(halt)) == 0,
			  "event %zu: %s", 3 + i, c.ev[3 + i].msg);
	}
	cr_expect_eq(c.ev[8].t, 540 * S);
	cr_expect_str_eq(c.ev[8].msg, "Rolling back podinfo.default failed "
				      "checks threshold reached 5");
	cr_expect_str_eq(c.ev[9].msg, "Canary failed! Scaling down "
				      "podinfo.default");
	cr_expect(!m.complete);
	cr_expect_eq(c.last.stable_revision, 1);
	/* delivery: detected and rolled back at t7, never promoted; 5
	 * checks, all failed (t1 starts the analysis without a check) */
	cr_expect(m.delivery.aborted);
	cr_expect_eq(m.delivery.detected_ns, 540 * S);
	cr_expect_eq(m.delivery.rolled_back_ns, 540 * S);
	cr_expect_eq(m.delivery.promoted_ns, -1);
	cr_expect_eq(m.delivery.measurements, 5);
	cr_expect_eq(m.delivery.failed_measurements, 5);
}
