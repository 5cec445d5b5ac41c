/* test_rollouts.c - whole rollouts through the simulator (world_new/world_run).
 *
 * Eleven whole rollouts W1..W11 (W1 is the worked example of
 * docs/kubernetes.md §2.6), each sequence of ReplicaSet sizes worked out by
 * hand under idealised timing from §2.3-§2.5 (rolling.go rolloutRolling)
 * and, for W11, §5 (recreate.go rolloutRecreate), run by the real world
 * with the same idealisation built in C (conf_world.h): images
 * "app:1" and "app:2", pull = constant D = 10 s, startup / shutdown /
 * grace / preStop 0 and no readiness probe, so a pod is Running, Ready and
 * Available exactly D after its creation and an old pod vanishes at the
 * instant it is deleted; minReadySeconds 0; setImage to app:2 at 100 s;
 * until 1000 s.
 *
 * Through on_counts we capture the (desired_new, desired_old) pairs from the
 * trigger on, dropping consecutive duplicates, each with its time. A
 * row's first pair (0,R) is the state before the trigger: the last
 * pre-trigger counts (all R pods in the then-current ReplicaSet, which
 * becomes the old one) re-expressed relative to the new template. A step at
 * t=k of the row must happen at 100 s + k*D. From world_get_metrics:
 * max_non_terminating = "max total pods", min_available = "min available
 * pods", completed - triggered = duration k*D, complete = 1.
 *
 * Also: a new image whose readiness probe never passes stalls the rollout
 * without ever going below R - maxUnavailable available pods, and
 * minReadySeconds = 5 s delays each step by exactly 5 s (W4 with D + 5 s).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "models/deployment.h"
#include "models/intstr.h"
#include "models/pod.h"
#include "models/probe.h"
#include "models/world.h"
#include "sim/core/dist.h"
#include "sim/core/engine.h"
#include "conf_world.h"

#define S SIM_NS_PER_S
#define D_NS CONF_D_NS
#define TRIGGER_NS CONF_TRIGGER_NS

#define MAX_STEPS 64
#define SEQ_STR 2048

/* ------------------------------------------------------------ capture */

struct step {
	sim_time_t t;
	int32_t dnew, dold;
};

struct capture {
	sim_time_t trigger;
	int have_pre;
	struct world_counts pre;     /* last counts before the trigger */
	size_t n;
	struct step steps[MAX_STEPS];
	int overflow;
	int32_t min_avail_after;     /* minimum available from the trigger on */
	sim_time_t last_t;
	int clock_back;              /* the clock went backwards */
	struct world_counts last;    /* last counts seen */
};

static void cap_init(struct capture *c, sim_time_t trigger)
{
	memset(c, 0, sizeof(*c));
	c->trigger = trigger;
	c->min_avail_after = INT32_MAX;
	c->last_t = -1;
}

static void cap_push(struct capture *c, sim_time_t t, int32_t dnew,
		     int32_t dold)
{
	if (c->n > 0 && c->steps[c->n - 1].dnew == dnew &&
	    c->steps[c->n - 1].dold == dold)
		return;
	if (c->n == MAX_STEPS) {
		c->overflow = 1;
		return;
	}
	c->steps[c->n].t = t;
	c->steps[c->n].dnew = dnew;
	c->steps[c->n].dold = dold;
	c->n++;
}

static void on_counts(void *ctx, sim_time_t t, const struct world_counts *wc)
{
	struct capture *c = ctx;

	if (t < c->last_t)
		c->clock_back = 1;
	c->last_t = t;
	c->last = *wc;
	if (t < c->trigger) {
		c->pre = *wc;
		c->have_pre = 1;
		return;
	}
	if (c->n == 0 && c->have_pre)   /* a row's first pair (0,R) */
		cap_push(c, c->trigger, 0, c->pre.desired_new +
						   c->pre.desired_old);
	cap_push(c, t, wc->desired_new, wc->desired_old);
	if (wc->available < c->min_avail_after)
		c->min_avail_after = wc->available;
}

/* "k:(new,old) ..." with k = (t - trigger) / d, or "+<ns>ns" when t is not
 * a whole multiple of d after the trigger. */
static void seq_format(const struct step *st, size_t n, sim_time_t trigger,
		       sim_time_t d, char *out, size_t cap)
{
	size_t i, used = 0;

	out[0] = '\0';
	for (i = 0; i < n && used < cap; i++) {
		sim_time_t dt = st[i].t - trigger;
		int w;

		if (dt >= 0 && dt % d == 0)
			w = snprintf(out + used, cap - used, "%s%lld:(%d,%d)",
				     i ? " " : "", (long long)(dt / d),
				     st[i].dnew, st[i].dold);
		else
			w = snprintf(out + used, cap - used, "%s+%lldns:(%d,%d)",
				     i ? " " : "", (long long)dt, st[i].dnew,
				     st[i].dold);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

/* ---------------------------------------------------------------- run */

/* Runs p to the end with the capture as observer. */
static void run_world(const struct conf_world *p, struct capture *cap,
		      struct world_metrics *m, const char *name)
{
	struct world_config cfg;
	struct world_observer obs;
	world *w = NULL;
	int rc;

	conf_world_config(&cfg, "conformance", p);
	memset(&obs, 0, sizeof(obs));
	obs.ctx = cap;
	obs.on_counts = on_counts;
	cap_init(cap, TRIGGER_NS);
	rc = world_new(&cfg, 0, &obs, &w);
	cr_assert_eq(rc, 0, "case %s: world_new returned %d", name, rc);
	rc = world_run(w);
	cr_assert_eq(rc, 0, "case %s: world_run returned %d", name, rc);
	world_get_metrics(w, m);
	world_free(w);
	world_config_release(&cfg);
	cr_assert(!cap->overflow, "case %s: more than %d distinct steps", name,
		  MAX_STEPS);
	cr_expect(!cap->clock_back, "case %s: on_counts clock went backwards",
		  name);
	/* before the trigger: all R pods of app:1 exist and are available */
	cr_assert(cap->have_pre, "case %s: no counts before the trigger", name);
	cr_expect_eq(cap->pre.desired_new, p->replicas,
		     "case %s: pre-trigger desired_new expected %d, got %d",
		     name, p->replicas, cap->pre.desired_new);
	cr_expect_eq(cap->pre.desired_old, 0,
		     "case %s: pre-trigger desired_old expected 0, got %d", name,
		     cap->pre.desired_old);
	cr_expect_eq(cap->pre.available, p->replicas,
		     "case %s: pre-trigger available expected %d, got %d", name,
		     p->replicas, cap->pre.available);
}

/* ------------------------------------------------------------- W1..W11 */

struct tstep {
	int k;                 /* time k*D after the trigger */
	int32_t dnew, dold;
};

struct rollout_row {
	const char *name;
	int32_t replicas;
	enum strategy_type strategy;
	struct intstr max_surge, max_unav;
	size_t n;
	struct tstep seq[32];
	int32_t max_total, min_available;
	int duration_k;        /* in units of D */
};

#define I(v) { 0, (v) }
#define P(v) { 1, (v) }
#define RU STRATEGY_ROLLING_UPDATE

static const struct rollout_row rows[] = {
	{ "W1 R=10 25%/25%", 10, RU, P(25), P(25), 7,
	  { { 0, 0, 10 }, { 0, 3, 10 }, { 0, 3, 8 }, { 0, 5, 8 },
	    { 1, 5, 3 }, { 1, 10, 3 }, { 2, 10, 0 } },
	  13, 8, 2 },
	{ "W2 R=1 25%/25%", 1, RU, P(25), P(25), 3,
	  { { 0, 0, 1 }, { 0, 1, 1 }, { 1, 1, 0 } },
	  2, 1, 1 },
	{ "W3 R=3 0/25%", 3, RU, I(0), P(25), 7,
	  { { 0, 0, 3 }, { 0, 0, 2 }, { 0, 1, 2 }, { 1, 1, 1 },
	    { 1, 2, 1 }, { 2, 2, 0 }, { 2, 3, 0 } },
	  3, 2, 3 },
	{ "W4 R=10 1/0", 10, RU, I(1), I(0), 21,
	  { { 0, 0, 10 }, { 0, 1, 10 }, { 1, 1, 9 }, { 1, 2, 9 },
	    { 2, 2, 8 }, { 2, 3, 8 }, { 3, 3, 7 }, { 3, 4, 7 },
	    { 4, 4, 6 }, { 4, 5, 6 }, { 5, 5, 5 }, { 5, 6, 5 },
	    { 6, 6, 4 }, { 6, 7, 4 }, { 7, 7, 3 }, { 7, 8, 3 },
	    { 8, 8, 2 }, { 8, 9, 2 }, { 9, 9, 1 }, { 9, 10, 1 },
	    { 10, 10, 0 } },
	  11, 10, 10 },
	{ "W5 R=4 0/1", 4, RU, I(0), I(1), 9,
	  { { 0, 0, 4 }, { 0, 0, 3 }, { 0, 1, 3 }, { 1, 1, 2 },
	    { 1, 2, 2 }, { 2, 2, 1 }, { 2, 3, 1 }, { 3, 3, 0 },
	    { 3, 4, 0 } },
	  4, 3, 4 },
	{ "W6 R=5 100%/0", 5, RU, P(100), I(0), 3,
	  { { 0, 0, 5 }, { 0, 5, 5 }, { 1, 5, 0 } },
	  10, 5, 1 },
	{ "W7 R=4 50%/50%", 4, RU, P(50), P(50), 5,
	  { { 0, 0, 4 }, { 0, 2, 4 }, { 0, 2, 2 }, { 0, 4, 2 },
	    { 1, 4, 0 } },
	  6, 2, 1 },
	{ "W8 R=2 25%/25%", 2, RU, P(25), P(25), 5,
	  { { 0, 0, 2 }, { 0, 1, 2 }, { 1, 1, 1 }, { 1, 2, 1 },
	    { 2, 2, 0 } },
	  3, 2, 2 },
	{ "W9 R=6 2/2", 6, RU, I(2), I(2), 6,
	  { { 0, 0, 6 }, { 0, 2, 6 }, { 0, 2, 4 }, { 0, 4, 4 },
	    { 1, 4, 0 }, { 1, 6, 0 } },
	  8, 4, 2 },
	{ "W10 R=10 0/30%", 10, RU, I(0), P(30), 9,
	  { { 0, 0, 10 }, { 0, 0, 7 }, { 0, 3, 7 }, { 1, 3, 4 },
	    { 1, 6, 4 }, { 2, 6, 1 }, { 2, 9, 1 }, { 3, 9, 0 },
	    { 3, 10, 0 } },
	  10, 7, 4 },
	{ "W11 R=10 Recreate", 10, STRATEGY_RECREATE, P(25), P(25), 3,
	  { { 0, 0, 10 }, { 0, 0, 0 }, { 0, 10, 0 } },
	  10, 0, 1 },
};

#define N_ROWS (sizeof(rows) / sizeof(rows[0]))

/* Checks one row's run, with d the time a new pod takes to become
 * available (D, or D + minReadySeconds). */
static void check_row(const struct rollout_row *r, sim_time_t min_ready_ns,
		      sim_time_t d)
{
	struct conf_world p;
	struct capture *cap = calloc(1, sizeof(*cap));
	struct world_metrics m;
	struct step want[32];
	char want_s[SEQ_STR], got_s[SEQ_STR];
	size_t i;

	cr_assert_not_null(cap);
	memset(&p, 0, sizeof(p));
	p.replicas = r->replicas;
	p.strategy = r->strategy;
	p.max_surge = r->max_surge;
	p.max_unav = r->max_unav;
	p.min_ready_ns = min_ready_ns;
	p.pull_ns = D_NS;
	run_world(&p, cap, &m, r->name);
	for (i = 0; i < r->n; i++) {
		want[i].t = TRIGGER_NS + r->seq[i].k * d;
		want[i].dnew = r->seq[i].dnew;
		want[i].dold = r->seq[i].dold;
	}
	seq_format(want, r->n, TRIGGER_NS, d, want_s, sizeof(want_s));
	seq_format(cap->steps, cap->n, TRIGGER_NS, d, got_s, sizeof(got_s));
	cr_expect_str_eq(got_s, want_s,
			 "case %s: (new,old) sequence\n  expected %s\n  got      %s",
			 r->name, want_s, got_s);
	cr_expect_eq(m.triggered_ns, TRIGGER_NS,
		     "case %s: triggered expected %lld, got %lld", r->name,
		     (long long)TRIGGER_NS, (long long)m.triggered_ns);
	cr_expect_eq(m.complete, 1, "case %s: complete expected 1, got %d",
		     r->name, m.complete);
	cr_expect_eq(m.completed_ns - m.triggered_ns, r->duration_k * d,
		     "case %s: duration expected %d*D = %lld ns, got %lld ns",
		     r->name, r->duration_k, (long long)(r->duration_k * d),
		     (long long)(m.completed_ns - m.triggered_ns));
	cr_expect_eq(m.max_non_terminating, r->max_total,
		     "case %s: max total pods expected %d, got %d", r->name,
		     r->max_total, m.max_non_terminating);
	cr_expect_eq(m.min_available, r->min_available,
		     "case %s: min available pods expected %d, got %d", r->name,
		     r->min_available, m.min_available);
	cr_expect_eq(cap->min_avail_after, r->min_available,
		     "case %s: min available seen by on_counts expected %d, got %d",
		     r->name, r->min_available, cap->min_avail_after);
	free(cap);
}

Test(conformance, rollouts_w1_w11, .timeout = 60)
{
	size_t i;

	cr_assert_eq(N_ROWS, (size_t)11, "11 cases W1..W11 expected: %zu",
		     N_ROWS);
	for (i = 0; i < N_ROWS; i++)
		check_row(&rows[i], 0, D_NS);
}

/* minReadySeconds = 5 s: each new pod is available exactly 5 s after it is
 * Ready, so W4 runs as with D + 5 s (10 steps of 15 s). */
Test(conformance, rollouts_min_ready_seconds, .timeout = 60)
{
	check_row(&rows[3], 5 * S, D_NS + 5 * S);
}

/* Defaults (25%/25%, R = 10: surge 3, maxUnavailable 2) with a new image
 * that never passes its readiness probe: the rollout stops where W1 waits
 * for the first new pods, (5,8), never completes, and at no instant are
 * fewer than R - maxUnavailable = 8 pods available. The Progressing
 * condition times out (600 s after the last progress at 100 s). */
Test(conformance, rollouts_never_ready_stalls, .timeout = 60)
{
	struct conf_world p;
	struct capture *cap = calloc(1, sizeof(*cap));
	struct world_metrics m;

	cr_assert_not_null(cap);
	memset(&p, 0, sizeof(p));
	p.replicas = 10;
	p.strategy = STRATEGY_ROLLING_UPDATE;
	p.max_surge = intstr_percent(25);
	p.max_unav = intstr_percent(25);
	p.pull_ns = D_NS;
	p.new_never_ready = 1;
	run_world(&p, cap, &m, "never-ready");
	cr_expect_geq(cap->min_avail_after, 8,
		      "never-ready: available dropped to %d (< 8)",
		      cap->min_avail_after);
	cr_expect_eq(cap->min_avail_after, 8,
		     "never-ready: min available expected 8, got %d",
		     cap->min_avail_after);
	cr_expect_eq(m.min_available, 8,
		     "never-ready: metrics min available expected 8, got %d",
		     m.min_available);
	cr_expect_eq(m.complete, 0, "never-ready: complete expected 0, got %d",
		     m.complete);
	cr_expect_eq(m.completed_ns, -1,
		     "never-ready: completed_ns expected -1, got %lld",
		     (long long)m.completed_ns);
	cr_expect_eq(cap->last.desired_new, 5,
		     "never-ready: final desired_new expected 5, got %d",
		     cap->last.desired_new);
	cr_expect_eq(cap->last.desired_old, 8,
		     "never-ready: final desired_old expected 8, got %d",
		     cap->last.desired_old);
	cr_expect_eq(cap->last.available, 8,
		     "never-ready: final available expected 8, got %d",
		     cap->last.available);
	cr_expect_eq(m.max_non_terminating, 13,
		     "never-ready: max total pods expected 13, got %d",
		     m.max_non_terminating);
	cr_expect_eq(m.deadline_exceeded, 1,
		     "never-ready: ProgressDeadlineExceeded expected, got %d",
		     m.deadline_exceeded);
	free(cap);
}
