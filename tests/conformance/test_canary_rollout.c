/* test_canary_rollout.c - whole Argo basic-canary rollouts through the
 * simulator (canary.c over canary_step.c), against the worked examples
 * of docs/progressive.md §1.
 *
 * The world is conf_world.h's: a pod is Available exactly D = 10 s after
 * its creation, a deleted pod is gone at once, controllers react at once;
 * setImage app:2 at 100 s (revision 2, the canary; revision 1 is the
 * stable). So "every pod created is Available before the next reconcile"
 * holds and a worked example's reconciles fall at multiples of D after
 * the trigger. We record every "Scaled up/down ReplicaSet" event from the
 * trigger on as (seconds after the trigger, C or S, from, to) and compare
 * it with the sequence derived by hand from
 * CalculateReplicaCountsForBasicCanary (stable first, one ReplicaSet per
 * reconcile, a step complete when AtDesiredReplicaCountsForCanary), and
 * check the step events' texts, the peak pod count and the availability.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "models/canary_step.h"
#include "models/deployment.h"
#include "models/intstr.h"
#include "models/progressive.h"
#include "models/world.h"
#include "sim/core/dist.h"
#include "sim/core/engine.h"
#include "conf_world.h"
#include "../test_rand.h"

#define S SIM_NS_PER_S
#define D (CONF_D_NS / S)          /* seconds */
#define MAX_ACTS 128
#define MAX_EVS 64

struct act {
	long t;                      /* seconds after the trigger */
	char side;                   /* 'C' canary (revision 2), 'S' stable */
	int from, to;
};

struct cap {
	struct act a[MAX_ACTS];
	size_t n;
	char ev[MAX_EVS][200];       /* "t REASON: message" of the rollout */
	size_t n_ev;
	int32_t max_total, min_avail, healthy_min;
	int overflow;
};

static void on_event(void *ctx, sim_time_t t, const char *type,
		     const char *reason, const char *object, const char *msg)
{
	struct cap *c = ctx;
	int rev, from, to;
	long dt = (long)((t - CONF_TRIGGER_NS) / S);

	(void)type;
	if (t < CONF_TRIGGER_NS || strncmp(object, "rollout/", 8) != 0)
		return;
	if (strcmp(reason, "ScalingReplicaSet") == 0 &&
	    sscanf(msg, "Scaled %*s ReplicaSet %*s (revision %d) from %d to %d",
		   &rev, &from, &to) == 3) {
		if (c->n == MAX_ACTS) {
			c->overflow = 1;
			return;
		}
		c->a[c->n++] = (struct act){ dt, rev == 1 ? 'S' : 'C', from,
					     to };
		return;
	}
	if (c->n_ev < MAX_EVS)
		snprintf(c->ev[c->n_ev++], sizeof(c->ev[0]), "%ld %s: %s", dt,
			 reason, msg);
}

static void on_counts(void *ctx, sim_time_t t, const struct world_counts *wc)
{
	struct cap *c = ctx;

	if (t < CONF_TRIGGER_NS)
		return;
	if (wc->old_pods + wc->new_pods > c->max_total)
		c->max_total = wc->old_pods + wc->new_pods;
	if (wc->available < c->min_avail)
		c->min_avail = wc->available;
}

struct ccase {
	int32_t n;
	struct intstr ms, mu;
	int n_steps;
	struct canary_step steps[8];
	const struct world_event *extra;
	size_t n_extra;
};

#define W(x) { CANARY_SET_WEIGHT, (x), 0, 0 }
#define PAUSE(sec) { CANARY_PAUSE, 0, (sec) * S, 0 }
#define PAUSE_INF { CANARY_PAUSE, 0, -1, 0 }
#define I(v) { 0, (v) }
#define P(v) { 1, (v) }

/* Runs k; *m gets the run's metrics. */
static void run_case(const struct ccase *k, struct cap *c,
		     struct world_metrics *m)
{
	struct conf_world p;
	struct world_config cfg;
	struct world_observer obs;
	struct canary_config *cc;
	world *w = NULL;
	int i;

	memset(&p, 0, sizeof(p));
	p.replicas = k->n;
	p.strategy = STRATEGY_CANARY;
	p.pull_ns = CONF_D_NS;
	p.extra = k->extra;
	p.n_extra = k->n_extra;
	conf_world_config(&cfg, "canary", &p);
	cc = &cfg.deployment.prog.canary;
	cc->max_surge = k->ms;
	cc->max_unavailable = k->mu;
	cc->n_steps = k->n_steps;
	for (i = 0; i < k->n_steps; i++)
		cc->steps[i] = k->steps[i];
	memset(c, 0, sizeof(*c));
	c->min_avail = INT32_MAX;
	memset(&obs, 0, sizeof(obs));
	obs.ctx = c;
	obs.on_event = on_event;
	obs.on_counts = on_counts;
	cr_assert_eq(world_new(&cfg, 0, &obs, &w), 0);
	cr_assert_eq(world_run(w), 0);
	world_get_metrics(w, m);
	world_free(w);
	world_config_release(&cfg);
	cr_assert(!c->overflow);
}

static void expect_acts(const struct cap *c, const struct act *want,
			size_t n, const char *name)
{
	size_t i;

	cr_expect_eq(c->n, n, "%s: %zu scale actions, expected %zu", name,
		     c->n, n);
	for (i = 0; i < n && i < c->n; i++)
		cr_expect(c->a[i].t == want[i].t &&
			  c->a[i].side == want[i].side &&
			  c->a[i].from == want[i].from &&
			  c->a[i].to == want[i].to,
			  "%s: action %zu is %ld %c %d->%d, expected %ld %c "
			  "%d->%d", name, i, c->a[i].t, c->a[i].side,
			  c->a[i].from, c->a[i].to, want[i].t, want[i].side,
			  want[i].from, want[i].to);
}

/* The index of the first recorded event containing s, or -1. */
static long find_ev(const struct cap *c, const char *s)
{
	size_t i;

	for (i = 0; i < c->n_ev; i++)
		if (strstr(c->ev[i], s))
			return (long)i;
	return -1;
}

static void expect_ev(const struct cap *c, const char *s, const char *name)
{
	cr_expect(find_ev(c, s) >= 0, "%s: no event \"%s\"", name, s);
}

/* Example A: N 10, maxSurge 25% (3), maxUnavailable 0; 20/50/80. Each
 * setWeight: the canary surges first (stable needs no room), the stable
 * drains when the canary is available; the last step (weight 100)
 * completes at 4 D with the promotion. */
Test(canary_rollout, example_a)
{
	static const struct act want[] = {
		{ 0, 'C', 0, 2 }, { D, 'S', 10, 8 }, { D, 'C', 2, 5 },
		{ 2 * D, 'S', 8, 5 }, { 2 * D, 'C', 5, 8 },
		{ 3 * D, 'S', 5, 2 }, { 3 * D, 'C', 8, 10 },
		{ 4 * D, 'S', 2, 0 },
	};
	struct ccase k = { 10, P(25), I(0), 3, { W(20), W(50), W(80) },
			   NULL, 0 };
	struct cap c;
	struct world_metrics m;

	run_case(&k, &c, &m);
	expect_acts(&c, want, sizeof(want) / sizeof(want[0]), "A");
	cr_expect_eq(c.max_total, 13);
	cr_expect_eq(c.min_avail, 10);
	expect_ev(&c, "10 RolloutStepCompleted: Rollout step 1/3 completed "
		      "(setWeight: 20)", "A");
	expect_ev(&c, "20 RolloutStepCompleted: Rollout step 2/3 completed "
		      "(setWeight: 50)", "A");
	expect_ev(&c, "30 RolloutStepCompleted: Rollout step 3/3 completed "
		      "(setWeight: 80)", "A");
	expect_ev(&c, "40 RolloutCompleted: Rollout completed update to "
		      "revision 2 (", "A");
	expect_ev(&c, "): Completed all 3 canary steps", "A");
	cr_expect_eq(m.completed_ns - m.triggered_ns, 4 * D * S);
}

/* Example B: maxSurge 0, maxUnavailable 25% (2): drain first, the total
 * never above 10, availability down to 8. */
Test(canary_rollout, example_b)
{
	static const struct act want[] = {
		{ 0, 'S', 10, 8 }, { 0, 'C', 0, 2 },
		{ D, 'S', 8, 6 }, { D, 'C', 2, 4 },
		{ 2 * D, 'S', 6, 5 }, { 2 * D, 'C', 4, 5 },
		{ 3 * D, 'S', 5, 3 }, { 3 * D, 'C', 5, 7 },
		{ 4 * D, 'S', 3, 2 }, { 4 * D, 'C', 7, 8 },
		{ 5 * D, 'S', 2, 0 }, { 5 * D, 'C', 8, 10 },
	};
	struct ccase k = { 10, I(0), P(25), 3, { W(20), W(50), W(80) },
			   NULL, 0 };
	struct cap c;
	struct world_metrics m;

	run_case(&k, &c, &m);
	expect_acts(&c, want, sizeof(want) / sizeof(want[0]), "B");
	cr_expect_eq(c.max_total, 10);
	cr_expect_eq(c.min_avail, 8);
	cr_expect_eq(m.completed_ns - m.triggered_ns, 6 * D * S);
}

/* Example C: N 3 with the defaults (surge 1, unavailable 0): 20% is
 * 1/3 (total 4), 50% 2/2, 80% 3/1. */
Test(canary_rollout, example_c)
{
	static const struct act want[] = {
		{ 0, 'C', 0, 1 }, { D, 'S', 3, 2 }, { D, 'C', 1, 2 },
		{ 2 * D, 'S', 2, 1 }, { 2 * D, 'C', 2, 3 },
		{ 3 * D, 'S', 1, 0 },
	};
	struct ccase k = { 3, P(25), P(25), 3, { W(20), W(50), W(80) },
			   NULL, 0 };
	struct cap c;
	struct world_metrics m;

	run_case(&k, &c, &m);
	expect_acts(&c, want, sizeof(want) / sizeof(want[0]), "C");
	cr_expect_eq(c.max_total, 4);
	cr_expect_eq(c.min_avail, 3);
}

/* Extra: N 10, maxSurge 1, maxUnavailable 0: one pod at a time; 20%
 * takes 4 actions, 50% 6, 80% 6 and the finish 4. */
Test(canary_rollout, example_extra)
{
	struct ccase k = { 10, I(1), I(0), 3, { W(20), W(50), W(80) },
			   NULL, 0 };
	struct cap c;
	struct world_metrics m;
	size_t i;
	int c_up = 0, s_down = 0;

	run_case(&k, &c, &m);
	cr_expect_eq(c.n, 20);
	for (i = 0; i < c.n; i++) {
		cr_expect_eq(c.a[i].to - c.a[i].from,
			     c.a[i].side == 'C' ? 1 : -1);
		cr_expect_eq(c.a[i].side, i % 2 ? 'S' : 'C',
			     "action %zu: canary and stable alternate", i);
		c_up += c.a[i].side == 'C';
		s_down += c.a[i].side == 'S';
	}
	cr_expect_eq(c_up, 10);
	cr_expect_eq(s_down, 10);
	/* two actions per D after the first: step 1 completes with the 4th
	 * action (2 D), step 2 with the 10th (5 D), step 3 with the 16th
	 * (8 D), the promotion with the 20th (10 D) */
	expect_ev(&c, "20 RolloutStepCompleted: Rollout step 1/3", "Extra");
	expect_ev(&c, "50 RolloutStepCompleted: Rollout step 2/3", "Extra");
	expect_ev(&c, "80 RolloutStepCompleted: Rollout step 3/3", "Extra");
	cr_expect_eq(m.completed_ns - m.triggered_ns, 10 * D * S);
	cr_expect_eq(c.max_total, 11);
	cr_expect_eq(c.min_avail, 10);
}

/* Abort from 8/2 at 80% with A's settings: an indefinite pause after
 * the 80% step holds 8/2 from 3 D; abort at 3 D + 5 s. The stable is
 * refilled first within the surge: 2->5, then canary 8->5 and stable
 * 5->8 a D later, canary 5->2 and stable 8->10, canary 2->0. */
Test(canary_rollout, abort_sequence)
{
	static const struct world_event ab[] = {
		{ .at_ns = CONF_TRIGGER_NS + (3 * D + 5) * S,
		  .action = ACTION_ABORT },
	};
	static const struct act want[] = {
		{ 3 * D + 5, 'S', 2, 5 },
		{ 4 * D + 5, 'C', 8, 5 }, { 4 * D + 5, 'S', 5, 8 },
		{ 5 * D + 5, 'C', 5, 2 }, { 5 * D + 5, 'S', 8, 10 },
		{ 6 * D + 5, 'C', 2, 0 },
	};
	struct ccase k = { 10, P(25), I(0), 4,
			   { W(20), W(50), W(80), PAUSE_INF }, ab, 1 };
	struct cap c;
	struct world_metrics m;
	struct act tail[6];
	size_t i, from;

	run_case(&k, &c, &m);
	cr_assert_geq(c.n, 6);
	from = c.n - 6;
	for (i = 0; i < 6; i++)
		tail[i] = c.a[from + i];
	memcpy(c.a, tail, sizeof(tail));
	c.n = 6;
	expect_acts(&c, want, 6, "abort");
	cr_expect_eq(c.min_avail, 10);
	expect_ev(&c, "30 RolloutPaused: Rollout is paused (CanaryPauseStep)",
		  "abort");
	expect_ev(&c, "35 RolloutAborted: Rollout aborted update to "
		      "revision 2", "abort");
	cr_expect_lt(m.completed_ns, 0, "an aborted rollout never completes");
	cr_expect_lt(find_ev(&c, "RolloutResumed"), 0,
		     "an abort is not a resume");
}

/* Abort with maxSurge 0 / maxUnavailable 2: the canary drains first
 * (8->6) and availability dips to 8. */
Test(canary_rollout, abort_drain_first)
{
	static const struct world_event ab[] = {
		{ .at_ns = CONF_TRIGGER_NS + 300 * S, .action = ACTION_ABORT },
	};
	struct ccase k = { 10, I(0), I(2), 4,
			   { W(20), W(50), W(80), PAUSE_INF }, ab, 1 };
	struct cap c;
	struct world_metrics m;
	size_t i;

	run_case(&k, &c, &m);
	(void)m;
	for (i = 0; i < c.n; i++)
		if (c.a[i].t >= 300)
			break;
	cr_assert_lt(i, c.n, "no scaling after the abort");
	cr_expect(c.a[i].side == 'C' && c.a[i].from == 8 && c.a[i].to == 6,
		  "first after the abort: %c %d->%d", c.a[i].side,
		  c.a[i].from, c.a[i].to);
	cr_expect_eq(c.min_avail, 8);
}

/* A pause of 30 s starts when the previous step completes (at D, when
 * the canary is available), not when the rollout starts: the next
 * setWeight scales at D + 30 s. */
Test(canary_rollout, pause_duration)
{
	struct ccase k = { 10, P(25), I(0), 3, { W(20), PAUSE(30), W(50) },
			   NULL, 0 };
	struct cap c;
	struct world_metrics m;
	size_t i;

	run_case(&k, &c, &m);
	expect_ev(&c, "10 RolloutStepCompleted: Rollout step 1/3 completed "
		      "(setWeight: 20)", "pause");
	expect_ev(&c, "10 RolloutPaused: Rollout is paused (CanaryPauseStep)",
		  "pause");
	expect_ev(&c, "40 RolloutStepCompleted: Rollout step 2/3 completed "
		      "(pause: 30s)", "pause");
	expect_ev(&c, "40 RolloutResumed: Rollout is resumed", "pause");
	for (i = 0; i < c.n; i++)
		if (c.a[i].side == 'C' && c.a[i].from == 2)
			break;
	cr_assert_lt(i, c.n);
	cr_expect_eq(c.a[i].t, D + 30, "canary 2->5 at %ld s", c.a[i].t);
}

/* pause {} waits for kubectl argo rollouts promote (ACTION_PROMOTE at
 * 200 s after the trigger). */
Test(canary_rollout, promote_indefinite_pause)
{
	static const struct world_event pr[] = {
		{ .at_ns = CONF_TRIGGER_NS + 200 * S, .action = ACTION_PROMOTE },
	};
	struct ccase k = { 10, P(25), I(0), 3, { W(20), PAUSE_INF, W(50) },
			   pr, 1 };
	struct cap c;
	struct world_metrics m;
	size_t i;

	run_case(&k, &c, &m);
	expect_ev(&c, "200 RolloutStepCompleted: Rollout step 2/3 completed "
		      "(pause)", "promote");
	for (i = 0; i < c.n; i++)
		if (c.a[i].side == 'C' && c.a[i].from == 2)
			break;
	cr_assert_lt(i, c.n);
	cr_expect_eq(c.a[i].t, 200);
	cr_expect_eq(m.completed_ns - m.triggered_ns, (200 + 3 * D) * S);
}

/* promote --full skips the remaining steps: at 200 s the canary goes to
 * 10 within the surge, the stable drains, "Full promotion requested". */
Test(canary_rollout, promote_full)
{
	static const struct world_event pr[] = {
		{ .at_ns = CONF_TRIGGER_NS + 200 * S, .action = ACTION_PROMOTE,
		  .full = 1 },
	};
	struct ccase k = { 10, P(25), I(0), 3, { W(20), PAUSE_INF, W(50) },
			   pr, 1 };
	struct cap c;
	struct world_metrics m;

	run_case(&k, &c, &m);
	expect_ev(&c, "): Full promotion requested", "full");
	cr_expect_eq(c.min_avail, 10);
	cr_expect_geq(m.completed_ns, 0);
}

/* No steps: a rolling update with Argo's maxSurge/maxUnavailable (weight
 * 100 from the start): 25%/25% of 10 is 3 and 2, as W1's Deployment. */
Test(canary_rollout, no_steps_rolls)
{
	struct ccase k = { 10, P(25), P(25), 0, { W(0) }, NULL, 0 };
	struct cap c;
	struct world_metrics m;

	run_case(&k, &c, &m);
	cr_expect_eq(c.max_total, 13);
	cr_expect_geq(c.min_avail, 8);
	cr_expect_geq(m.completed_ns, 0);
	expect_ev(&c, "): Completed all 0 canary steps", "no steps");
}

/* Invariants over random N, weights, surge and unavailable: the canary
 * plus the stable never above N + maxSurge, availability never below
 * N - maxUnavailable (every pod healthy), and the rollout completes. */
Test(canary_rollout, invariants_random)
{
	uint64_t r = 13;
	int it;

	for (it = 0; it < 40; it++) {
		struct ccase k;
		struct cap c;
		struct world_metrics m;
		int32_t surge, unav, j, w = 0;

		memset(&k, 0, sizeof(k));
		k.n = (int32_t)sm_range(&r, 1, 12);
		k.ms = sm_chance(&r, 50) ? (struct intstr)P((int32_t)sm_range(&r, 0, 60))
					 : (struct intstr)I((int32_t)sm_range(&r, 0, 3));
		k.mu = sm_chance(&r, 50) ? (struct intstr)P((int32_t)sm_range(&r, 0, 60))
					 : (struct intstr)I((int32_t)sm_range(&r, 0, 3));
		k.n_steps = (int)sm_range(&r, 1, 4);
		for (j = 0; j < k.n_steps; j++) {
			w += (int32_t)sm_range(&r, 1, 40);
			k.steps[j] = (struct canary_step)W(w > 100 ? 100 : w);
		}
		surge = canary_max_surge(k.n, k.ms, k.mu);
		unav = canary_max_unavailable(k.n, k.ms, k.mu);
		run_case(&k, &c, &m);
		cr_expect_leq(c.max_total, k.n + surge,
			      "N %d surge %d: %d pods", k.n, surge,
			      c.max_total);
		cr_expect_geq(c.min_avail, k.n - unav,
			      "N %d unavailable %d: %d available", k.n, unav,
			      c.min_avail);
		cr_expect_geq(m.completed_ns, 0, "N %d: not complete", k.n);
	}
}

/* retry after an abort runs the steps again from the first: abort at
 * 40 s during the 60 s pause (stable 8->10, then canary 2->0 once the
 * stable is available), retry at 200 s: canary 0->2, step 1 complete a
 * D later, the pause, 50%, then the promotion. */
Test(canary_rollout, retry_after_abort)
{
	static const struct world_event ev[] = {
		{ .at_ns = CONF_TRIGGER_NS + 40 * S, .action = ACTION_ABORT },
		{ .at_ns = CONF_TRIGGER_NS + 200 * S, .action = ACTION_RETRY },
	};
	struct ccase k = { 10, P(25), I(0), 3, { W(20), PAUSE(60), W(50) },
			   ev, 2 };
	struct cap c;
	struct world_metrics m;
	size_t i;

	run_case(&k, &c, &m);
	expect_ev(&c, "40 RolloutAborted: Rollout aborted update to revision 2",
		  "retry");
	for (i = 0; i < c.n; i++)
		if (c.a[i].t == 40 || c.a[i].t == 50)
			cr_expect((c.a[i].side == 'S' && c.a[i].t == 40 &&
				   c.a[i].to == 10) ||
				  (c.a[i].side == 'C' && c.a[i].t == 50 &&
				   c.a[i].to == 0),
				  "abort: %ld %c %d->%d", c.a[i].t, c.a[i].side,
				  c.a[i].from, c.a[i].to);
	expect_ev(&c, "210 RolloutStepCompleted: Rollout step 1/3 completed "
		      "(setWeight: 20)", "retry");
	expect_ev(&c, "270 RolloutStepCompleted: Rollout step 2/3 completed "
		      "(pause: 1m)", "retry");
	cr_expect_eq(m.completed_ns - m.triggered_ns, 300 * S);
}

/* An analysis step completes when its run is Successful (here at once:
 * no metric fails); it keeps the previous setWeight. */
Test(canary_rollout, analysis_step_completes)
{
	struct ccase k = { 10, P(25), I(0), 3,
			   { W(20), { CANARY_ANALYSIS, 0, 0, 0 }, W(50) },
			   NULL, 0 };
	struct cap c;
	struct world_metrics m;

	run_case(&k, &c, &m);
	expect_ev(&c, "10 RolloutStepCompleted: Rollout step 2/3 completed "
		      "(analysis)", "analysis");
	cr_expect_geq(m.completed_ns, 0);
}

/* spec.paused (kubectl rollout pause at 5 s) halts the scaling: the
 * canary is available at D but the stable waits for the resume at
 * 100 s. */
Test(canary_rollout, spec_paused_halts)
{
	static const struct world_event ev[] = {
		{ .at_ns = CONF_TRIGGER_NS + 5 * S, .action = ACTION_PAUSE },
		{ .at_ns = CONF_TRIGGER_NS + 100 * S, .action = ACTION_RESUME },
	};
	struct ccase k = { 10, P(25), I(0), 2, { W(20), W(50) }, ev, 2 };
	struct cap c;
	struct world_metrics m;

	run_case(&k, &c, &m);
	cr_assert_geq(c.n, 2);
	cr_expect(c.a[1].side == 'S' && c.a[1].t == 100,
		  "stable first scaled at %ld s", c.a[1].t);
	expect_ev(&c, "100 RolloutStepCompleted: Rollout step 1/2", "paused");
}

/* progressDeadlineAbort: a canary that never becomes ready makes no
 * progress; 60 s later the Deployment machinery judges the deadline
 * exceeded and the rollout aborts: the canary is drained. */
Test(canary_rollout, progress_deadline_abort)
{
	struct conf_world p;
	struct world_config cfg;
	struct world_observer obs;
	struct cap c;
	world *w = NULL;

	memset(&p, 0, sizeof(p));
	p.replicas = 10;
	p.strategy = STRATEGY_CANARY;
	p.pull_ns = CONF_D_NS;
	p.new_never_ready = 1;
	conf_world_config(&cfg, "canary", &p);
	cfg.deployment.progress_deadline_ns = 60 * S;
	cfg.deployment.prog.canary.max_surge = (struct intstr)P(25);
	cfg.deployment.prog.canary.max_unavailable = (struct intstr)I(0);
	cfg.deployment.prog.canary.n_steps = 1;
	cfg.deployment.prog.canary.steps[0] = (struct canary_step)W(20);
	cfg.deployment.prog.canary.progress_deadline_abort = 1;
	memset(&c, 0, sizeof(c));
	c.min_avail = INT32_MAX;
	memset(&obs, 0, sizeof(obs));
	obs.ctx = &c;
	obs.on_event = on_event;
	obs.on_counts = on_counts;
	cr_assert_eq(world_new(&cfg, 0, &obs, &w), 0);
	cr_assert_eq(world_run(w), 0);
	world_free(w);
	world_config_release(&cfg);
	expect_ev(&c, "RolloutAborted: Rollout aborted update to revision 2",
		  "deadline");
	cr_assert_geq(c.n, 2);
	cr_expect(c.a[c.n - 1].side == 'C' && c.a[c.n - 1].to == 0 &&
		  c.a[c.n - 1].t > 60 && c.a[c.n - 1].t < 70,
		  "last: %ld %c %d->%d", c.a[c.n - 1].t, c.a[c.n - 1].side,
		  c.a[c.n - 1].from, c.a[c.n - 1].to);
	cr_expect_eq(c.min_avail, 10);
}

/* A bad release caught by an analysis step: app:2 answers in 500 ms
 * against a p99 bound of 100 ms (measured every 10 s, twice). Users'
 * requests at 20/s from 20 s reach the canary's 2 ready pods from
 * 110 s, when step 1 completes and the run starts; its first
 * measurement at 120 s fails (failed 1 > failureLimit 0): the rollout
 * aborts with Argo's message, the stable goes back to 10 within the
 * surge at once and the canary to 0 once the stable is available
 * (130 s); it never completes. */
Test(canary_rollout, analysis_failure_aborts)
{
	struct conf_world p;
	struct world_config cfg;
	struct world_observer obs;
	struct canary_config *cc;
	struct metric_config *mc;
	struct cap c;
	struct world_metrics m;
	world *w = NULL;

	memset(&p, 0, sizeof(p));
	p.replicas = 10;
	p.strategy = STRATEGY_CANARY;
	p.pull_ns = CONF_D_NS;
	conf_world_config(&cfg, "canary", &p);
	cfg.traffic.enabled = 1;
	cfg.traffic.rate_per_s = 20;
	cfg.traffic.start_ns = 20 * S;
	cfg.images[1].service_time = dist_constant(500 * SIM_NS_PER_MS);
	cc = &cfg.deployment.prog.canary;
	cc->max_surge = (struct intstr)P(25);
	cc->max_unavailable = (struct intstr)I(0);
	cc->n_steps = 3;
	cc->steps[0] = (struct canary_step)W(20);
	cc->steps[1] = (struct canary_step){ CANARY_ANALYSIS, 0, 0, 0 };
	cc->steps[2] = (struct canary_step)W(50);
	cc->n_analyses = 1;
	cc->analyses[0].enabled = 1;
	cc->analyses[0].n_metrics = 1;
	mc = &cc->analyses[0].metrics[0];
	snprintf(mc->name, sizeof(mc->name), "latency");
	mc->kind = METRIC_LATENCY_P99;
	mc->has_max = 1;
	mc->max = 100;
	mc->interval_ns = 10 * S;
	mc->count = 2;
	memset(&c, 0, sizeof(c));
	c.min_avail = INT32_MAX;
	memset(&obs, 0, sizeof(obs));
	obs.ctx = &c;
	obs.on_event = on_event;
	obs.on_counts = on_counts;
	cr_assert_eq(world_new(&cfg, 0, &obs, &w), 0);
	cr_assert_eq(world_run(w), 0);
	world_get_metrics(w, &m);
	world_free(w);
	world_config_release(&cfg);
	expect_ev(&c, "20 RolloutAborted: Rollout aborted update to revision "
		      "2: Step-based analysis phase error/failed: Metric "
		      "\"latency\" assessed Failed due to failed (1) > "
		      "failureLimit (0)", "analysis");
	cr_assert_eq(c.n, 4);
	cr_expect(c.a[2].t == 20 && c.a[2].side == 'S' && c.a[2].to == 10);
	cr_expect(c.a[3].t == 30 && c.a[3].side == 'C' && c.a[3].to == 0);
	cr_expect_lt(m.completed_ns, 0);
	cr_expect_eq(c.min_avail, 10);
	cr_expect(m.delivery.aborted, "delivery.aborted");
	cr_expect_eq(m.delivery.detected_ns - m.triggered_ns, 20 * S);
	cr_expect_eq(m.delivery.rolled_back_ns - m.triggered_ns, 30 * S);
}

/* Back to the stable's template in the middle of the steps (setImage
 * app:1 at 100 s, during pause {} at 2/8): the steps are skipped
 * ("Rollback to stable ReplicaSets"); the stable's ReplicaSet is the new
 * one (revision 3), raised 8->10 within the surge at once; the canary is
 * an old one, drained within maxUnavailable once those pods are
 * available (12 - 10: both at 110 s); then the rollout is complete. */
Test(canary_rollout, back_to_stable_skips_steps)
{
	static const struct world_event ev[] = {
		{ .at_ns = CONF_TRIGGER_NS + 100 * S,
		  .action = ACTION_SET_IMAGE, .image = 0 },
	};
	struct ccase k = { 10, P(25), I(0), 2, { W(20), PAUSE_INF }, ev, 1 };
	struct cap c;
	struct world_metrics m;

	run_case(&k, &c, &m);
	expect_ev(&c, "100 SkipSteps: Rollback to stable ReplicaSets", "back");
	cr_assert_geq(c.n, 2);
	cr_expect(c.a[c.n - 2].t == 100 && c.a[c.n - 2].from == 8 &&
		  c.a[c.n - 2].to == 10, "stable's RS: %ld %d->%d",
		  c.a[c.n - 2].t, c.a[c.n - 2].from, c.a[c.n - 2].to);
	cr_expect(c.a[c.n - 1].t == 110 && c.a[c.n - 1].side == 'C' &&
		  c.a[c.n - 1].from == 2 && c.a[c.n - 1].to == 0,
		  "last: %ld %c %d->%d", c.a[c.n - 1].t, c.a[c.n - 1].side,
		  c.a[c.n - 1].from, c.a[c.n - 1].to);
	cr_expect_eq(c.min_avail, 10);
	cr_expect_eq(m.completed_ns, CONF_TRIGGER_NS + 110 * S);
}
