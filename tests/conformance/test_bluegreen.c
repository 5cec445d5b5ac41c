/* test_bluegreen.c - Argo Rollouts' blueGreen through the simulator.
 *
 * The idealised world of conf_world.h (pull a constant D = 10 s, no
 * probe, startup and shutdown 0: a pod is Available exactly D after its
 * creation and gone the instant it is deleted; controllers react at
 * once; endpoints propagate at once), strategy blueGreen, setImage app:2
 * at T = 100 s. Expected times worked out by hand from the upstream
 * rules (docs/progressive.md §2):
 * - the new ReplicaSet is created and scaled to spec.replicas (or
 *   previewReplicaCount) at T; the preview Service selects it at T;
 * - it is fully available at T + D (ReadyForPause); with the defaults
 *   (autoPromotionEnabled, autoPromotionSeconds 0) there is no pause and
 *   the active Service switches at T + D; with autoPromotionSeconds S
 *   the BlueGreenPause starts at T + D and the switch is at T + D + S;
 *   with autoPromotionEnabled false only at the promote event;
 * - the new ReplicaSet becomes the stable one at the switch (no
 *   postPromotionAnalysis) and the old one is scaled to 0 exactly
 *   scaleDownDelaySeconds later;
 * - previewReplicaCount P: P pods at T, all N at T + D (checkpoint), the
 *   switch at T + 2D.
 * Each run is observed through on_rs (sizes by revision), on_event (the
 * events' text) and on_counts (endpoints, weight), settled per instant:
 * only the last counts of an instant are judged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "models/deployment.h"
#include "models/world.h"
#include "sim/core/dist.h"
#include "sim/core/engine.h"
#include "conf_world.h"

#define S SIM_NS_PER_S
#define T_NS CONF_TRIGGER_NS
#define D_NS CONF_D_NS
#define MAX_CHANGES 64
#define MAX_EVENTS 128

struct spec_change {
	sim_time_t t;
	int32_t revision, desired;
};

struct ev {
	sim_time_t t;
	char reason[32];
	char msg[256];
};

struct bg_run {
	int32_t n;                   /* spec.replicas */
	char hash[3][16];            /* rollouts-pod-template-hash by revision */
	struct spec_change ch[MAX_CHANGES];
	size_t n_ch;
	int32_t last_desired[3];
	struct ev ev[MAX_EVENTS];
	size_t n_ev;
	/* settled counts */
	int have;
	sim_time_t t_cur;
	struct world_counts cur;
	int32_t min_endpoints;       /* from D on */
	int32_t max_pods;            /* pods incl. terminating */
	int32_t max_pods_before_cp;  /* ... before check_until */
	sim_time_t check_until;
	int32_t both_ready_endpoints; /* max endpoints while old and new
					 are both fully ready */
	sim_time_t weight100_at;     /* first settled weight 100, -1 */
	int weight_back0;            /* weight 100 then 0 again */
	struct world_metrics m;
};

static void settle(struct bg_run *r)
{
	const struct world_counts *c = &r->cur;
	int32_t pods = c->old_pods + c->new_pods + c->terminating;

	if (!r->have)
		return;
	if (r->t_cur >= D_NS && c->endpoints < r->min_endpoints)
		r->min_endpoints = c->endpoints;
	if (pods > r->max_pods)
		r->max_pods = pods;
	if (r->t_cur < r->check_until && pods > r->max_pods_before_cp)
		r->max_pods_before_cp = pods;
	if (c->old_ready == r->n && c->new_ready == r->n &&
	    c->endpoints > r->both_ready_endpoints)
		r->both_ready_endpoints = c->endpoints;
	if (c->canary_weight == 100 && r->weight100_at < 0)
		r->weight100_at = r->t_cur;
	if (c->canary_weight == 0 && r->weight100_at >= 0)
		r->weight_back0 = 1;
}

static void on_counts(void *ctx, sim_time_t t, const struct world_counts *c)
{
	struct bg_run *r = ctx;

	if (r->have && t != r->t_cur)
		settle(r);
	r->have = 1;
	r->t_cur = t;
	r->cur = *c;
}

static void on_rs(void *ctx, sim_time_t t, const struct world_rs_view *v)
{
	struct bg_run *r = ctx;
	const char *dash = strrchr(v->name, '-');
	int32_t rev = v->revision;

	if (rev < 1 || rev > 2)
		return;
	snprintf(r->hash[rev], sizeof(r->hash[rev]), "%s",
		 dash ? dash + 1 : v->name);
	if (v->desired == r->last_desired[rev])
		return;
	r->last_desired[rev] = v->desired;
	cr_assert_lt(r->n_ch, MAX_CHANGES);
	r->ch[r->n_ch].t = t;
	r->ch[r->n_ch].revision = rev;
	r->ch[r->n_ch++].desired = v->desired;
}

static void on_event(void *ctx, sim_time_t t, const char *type,
		     const char *reason, const char *object, const char *msg)
{
	struct bg_run *r = ctx;

	(void)type;
	if (strncmp(object, "rollout/", 8) != 0 || r->n_ev == MAX_EVENTS)
		return;
	r->ev[r->n_ev].t = t;
	snprintf(r->ev[r->n_ev].reason, sizeof(r->ev[0].reason), "%s", reason);
	snprintf(r->ev[r->n_ev].msg, sizeof(r->ev[0].msg), "%s", msg);
	r->n_ev++;
}

/* A world of n replicas, blueGreen with the defaults; extra events after
 * the trigger. */
static void bg_config(struct world_config *cfg, int32_t n,
		      const struct world_event *extra, size_t n_extra)
{
	struct conf_world p;

	memset(&p, 0, sizeof(p));
	p.replicas = n;
	p.strategy = STRATEGY_BLUE_GREEN;
	p.pull_ns = D_NS;
	p.extra = extra;
	p.n_extra = n_extra;
	conf_world_config(cfg, "bluegreen", &p);
	snprintf(cfg->deployment.prog.bg.active_service,
		 sizeof(cfg->deployment.prog.bg.active_service), "app-active");
	snprintf(cfg->deployment.prog.bg.preview_service,
		 sizeof(cfg->deployment.prog.bg.preview_service),
		 "app-preview");
}

static void bg_run(const struct world_config *cfg, struct bg_run *r,
		   sim_time_t check_until)
{
	struct world_observer obs;
	world *w = NULL;

	memset(r, 0, sizeof(*r));
	r->n = cfg->deployment.replicas;
	r->min_endpoints = INT32_MAX;
	r->check_until = check_until;
	r->weight100_at = -1;
	r->last_desired[1] = r->last_desired[2] = -1;
	memset(&obs, 0, sizeof(obs));
	obs.ctx = r;
	obs.on_counts = on_counts;
	obs.on_rs = on_rs;
	obs.on_event = on_event;
	cr_assert_eq(world_new(cfg, 0, &obs, &w), 0);
	cr_assert_eq(world_run(w), 0);
	settle(r);
	world_get_metrics(w, &r->m);
	world_free(w);
}

/* The time revision rev's ReplicaSet was first asked for `desired`
 * after it had pods (a ReplicaSet is born at 0), or -1. */
static sim_time_t spec_at(const struct bg_run *r, int32_t rev,
			  int32_t desired)
{
	size_t i;
	int up = 0;

	for (i = 0; i < r->n_ch; i++) {
		if (r->ch[i].revision != rev)
			continue;
		if (up && r->ch[i].desired == desired)
			return r->ch[i].t;
		if (r->ch[i].desired > 0)
			up = 1;
	}
	return -1;
}

/* The time revision rev's ReplicaSet was first asked for desired > 0,
 * or -1. */
static sim_time_t grow_at(const struct bg_run *r, int32_t rev,
			  int32_t desired)
{
	size_t i;

	for (i = 0; i < r->n_ch; i++)
		if (r->ch[i].revision == rev && r->ch[i].desired == desired)
			return r->ch[i].t;
	return -1;
}

/* The time of the first event whose message is msg, or -1. */
static sim_time_t event_at(const struct bg_run *r, const char *msg)
{
	size_t i;

	for (i = 0; i < r->n_ev; i++)
		if (strcmp(r->ev[i].msg, msg) == 0)
			return r->ev[i].t;
	return -1;
}

static sim_time_t switch_at(const struct bg_run *r, const char *svc,
			    int32_t from, int32_t to)
{
	char msg[200];

	snprintf(msg, sizeof(msg),
		 "Switched selector for service '%s' from '%s' to '%s'", svc,
		 r->hash[from], r->hash[to]);
	return event_at(r, msg);
}

static sim_time_t completed_at(const struct bg_run *r)
{
	char msg[200];

	snprintf(msg, sizeof(msg),
		 "Rollout completed update to revision 2 (%s): Completed "
		 "blue-green update", r->hash[2]);
	return event_at(r, msg);
}

/* Pods never above 2N; users' endpoints never below N once the first
 * pods are up; never both versions' pods at once in the Service. */
static void check_invariants(const struct bg_run *r)
{
	cr_assert_leq(r->max_pods, 2 * r->n, "max pods %d > 2N", r->max_pods);
	cr_assert_geq(r->min_endpoints, r->n, "endpoints fell to %d",
		      r->min_endpoints);
	cr_assert_leq(r->both_ready_endpoints, r->n,
		      "both versions in the active Service (%d endpoints)",
		      r->both_ready_endpoints);
}

Test(bluegreen, defaults_switch_at_ready_old_down_after_30s)
{
	struct world_config cfg;
	struct bg_run r;

	bg_config(&cfg, 3, NULL, 0);
	bg_run(&cfg, &r, 0);
	cr_assert_str_neq(r.hash[2], "");
	cr_assert_eq(grow_at(&r, 2, 3), T_NS);
	cr_assert_eq(switch_at(&r, "app-preview", 1, 2), T_NS);
	cr_assert_eq(switch_at(&r, "app-active", 1, 2), T_NS + D_NS);
	cr_assert_eq(completed_at(&r), T_NS + D_NS);
	cr_assert_eq(spec_at(&r, 1, 0), T_NS + D_NS + 30 * S);
	cr_assert_eq(r.weight100_at, T_NS + D_NS);
	cr_assert_eq(r.m.completed_ns, T_NS + D_NS);
	cr_assert(r.m.complete);
	check_invariants(&r);
	world_config_release(&cfg);
}

Test(bluegreen, auto_promotion_seconds_pause)
{
	struct world_config cfg;
	struct bg_run r;

	bg_config(&cfg, 3, NULL, 0);
	cfg.deployment.prog.bg.auto_promotion_ns = 30 * S;
	bg_run(&cfg, &r, 0);
	cr_assert_eq(switch_at(&r, "app-active", 1, 2), T_NS + D_NS + 30 * S);
	cr_assert_eq(r.m.completed_ns, T_NS + D_NS + 30 * S);
	cr_assert_eq(spec_at(&r, 1, 0), T_NS + D_NS + 60 * S);
	check_invariants(&r);
	world_config_release(&cfg);
}

Test(bluegreen, manual_promotion_waits_for_promote)
{
	struct world_config cfg;
	struct world_event ev[1];
	struct bg_run r;

	memset(ev, 0, sizeof(ev));
	ev[0].at_ns = 200 * S;
	ev[0].action = ACTION_PROMOTE;
	bg_config(&cfg, 3, ev, 1);
	cfg.deployment.prog.bg.auto_promotion = 0;
	bg_run(&cfg, &r, 0);
	cr_assert_eq(switch_at(&r, "app-active", 1, 2), 200 * S);
	cr_assert_eq(r.weight100_at, 200 * S);
	cr_assert_eq(spec_at(&r, 1, 0), 230 * S);
	cr_assert_eq(r.m.completed_ns, 200 * S);
	check_invariants(&r);
	world_config_release(&cfg);
}

Test(bluegreen, manual_promotion_never_switches_without_promote)
{
	struct world_config cfg;
	struct bg_run r;

	bg_config(&cfg, 3, NULL, 0);
	cfg.deployment.prog.bg.auto_promotion = 0;
	bg_run(&cfg, &r, 0);
	cr_assert_eq(switch_at(&r, "app-active", 1, 2), -1);
	cr_assert_eq(spec_at(&r, 1, 0), -1);
	cr_assert_eq(r.weight100_at, -1);
	cr_assert_not(r.m.complete);
	check_invariants(&r);
	world_config_release(&cfg);
}

Test(bluegreen, preview_replica_count_sequence)
{
	struct world_config cfg;
	struct bg_run r;

	bg_config(&cfg, 3, NULL, 0);
	cfg.deployment.prog.bg.preview_replicas = 1;
	bg_run(&cfg, &r, T_NS + D_NS);
	cr_assert_eq(grow_at(&r, 2, 1), T_NS);
	cr_assert_eq(grow_at(&r, 2, 3), T_NS + D_NS);
	cr_assert_eq(switch_at(&r, "app-active", 1, 2), T_NS + 2 * D_NS);
	cr_assert_eq(spec_at(&r, 1, 0), T_NS + 2 * D_NS + 30 * S);
	cr_assert_leq(r.max_pods_before_cp, 3 + 1);
	check_invariants(&r);
	world_config_release(&cfg);
}

Test(bluegreen, preview_replica_count_with_manual_promotion)
{
	struct world_config cfg;
	struct world_event ev[1];
	struct bg_run r;

	memset(ev, 0, sizeof(ev));
	ev[0].at_ns = 200 * S;
	ev[0].action = ACTION_PROMOTE;
	bg_config(&cfg, 3, ev, 1);
	cfg.deployment.prog.bg.preview_replicas = 1;
	cfg.deployment.prog.bg.auto_promotion = 0;
	bg_run(&cfg, &r, 200 * S);
	cr_assert_eq(grow_at(&r, 2, 1), T_NS);
	cr_assert_eq(grow_at(&r, 2, 3), 200 * S);
	cr_assert_eq(switch_at(&r, "app-active", 1, 2), 200 * S + D_NS);
	cr_assert_eq(spec_at(&r, 1, 0), 200 * S + D_NS + 30 * S);
	cr_assert_leq(r.max_pods_before_cp, 3 + 1);
	check_invariants(&r);
	world_config_release(&cfg);
}

Test(bluegreen, scale_down_delay_seconds)
{
	struct world_config cfg;
	struct bg_run r;

	bg_config(&cfg, 3, NULL, 0);
	cfg.deployment.prog.bg.scale_down_delay_ns = 75 * S;
	cfg.deployment.prog.bg.scale_down_delay_set = 1;
	bg_run(&cfg, &r, 0);
	cr_assert_eq(spec_at(&r, 1, 0), T_NS + D_NS + 75 * S);
	world_config_release(&cfg);

	bg_config(&cfg, 3, NULL, 0);
	cfg.deployment.prog.bg.scale_down_delay_ns = 0;
	cfg.deployment.prog.bg.scale_down_delay_set = 1;
	bg_run(&cfg, &r, 0);
	cr_assert_eq(spec_at(&r, 1, 0), T_NS + D_NS);
	world_config_release(&cfg);
}

Test(bluegreen, abort_while_paused_scales_preview_down_after_delay)
{
	struct world_config cfg;
	struct world_event ev[1];
	struct bg_run r;
	char msg[128];

	memset(ev, 0, sizeof(ev));
	ev[0].at_ns = 150 * S;
	ev[0].action = ACTION_ABORT;
	bg_config(&cfg, 3, ev, 1);
	cfg.deployment.prog.bg.auto_promotion = 0;
	bg_run(&cfg, &r, 0);
	snprintf(msg, sizeof(msg), "Rollout aborted update to revision 2");
	cr_assert_eq(event_at(&r, msg), 150 * S);
	cr_assert_eq(switch_at(&r, "app-active", 1, 2), -1);
	cr_assert_eq(spec_at(&r, 2, 0), 180 * S);   /* abort + 30 s */
	cr_assert_eq(spec_at(&r, 1, 0), -1);
	cr_assert_not(r.m.complete);
	check_invariants(&r);
	world_config_release(&cfg);
}

Test(bluegreen, abort_scale_down_delay_zero_leaves_preview_up)
{
	struct world_config cfg;
	struct world_event ev[1];
	struct bg_run r;

	memset(ev, 0, sizeof(ev));
	ev[0].at_ns = 150 * S;
	ev[0].action = ACTION_ABORT;
	bg_config(&cfg, 3, ev, 1);
	cfg.deployment.prog.bg.auto_promotion = 0;
	cfg.deployment.prog.bg.abort_scale_down_delay_ns = 0;
	bg_run(&cfg, &r, 0);
	cr_assert_eq(spec_at(&r, 2, 0), -1);
	cr_assert_eq(r.last_desired[2], 3);
	world_config_release(&cfg);
}

Test(bluegreen, retry_after_abort_rolls_out_again)
{
	struct world_config cfg;
	struct world_event ev[2];
	struct bg_run r;

	memset(ev, 0, sizeof(ev));
	ev[0].at_ns = 105 * S;              /* before the new RS is ready */
	ev[0].action = ACTION_ABORT;
	ev[1].at_ns = 300 * S;              /* after it went down at 145 */
	ev[1].action = ACTION_RETRY;
	bg_config(&cfg, 3, ev, 2);
	bg_run(&cfg, &r, 0);
	/* abort at 105: the stable is full, deadline 135; the preview is
	 * scaled down then; retry at 300: up again, ready at 310, switch */
	cr_assert_eq(spec_at(&r, 2, 0), 135 * S);
	cr_assert_eq(switch_at(&r, "app-active", 1, 2), 300 * S + D_NS);
	cr_assert_eq(r.m.completed_ns, 300 * S + D_NS);
	check_invariants(&r);
	world_config_release(&cfg);
}

/* ------------------------------------------- analysis and traffic */

/* Users' requests at 20/s through kube-proxy from 20 s (the first
 * pods are up at D = 10 s). */
static void bg_traffic(struct world_config *cfg)
{
	cfg->traffic.enabled = 1;
	cfg->traffic.rate_per_s = 20;
	cfg->traffic.start_ns = 20 * S;
}

/* One metric measured every 10 s, count times, failureLimit 0. */
static void bg_metric(struct analysis_config *a, const char *name,
		      enum metric_kind kind, double bound, int32_t count)
{
	struct metric_config *m = &a->metrics[0];

	a->enabled = 1;
	a->n_metrics = 1;
	snprintf(m->name, sizeof(m->name), "%s", name);
	m->kind = kind;
	if (kind == METRIC_SUCCESS_RATE) {
		m->has_min = 1;
		m->min = bound;
	} else {
		m->has_max = 1;
		m->max = bound;
	}
	m->interval_ns = 10 * S;
	m->count = count;
}

/* The users reach only the active Service, so the preview's pods answer
 * no request: a pre-promotion success rate has no data, each
 * measurement is inconclusive (minRequests), the run is Inconclusive
 * after its first one (T + D + 10 s) and the rollout stays paused (no
 * switch) until promote --full at 300 s switches at once. */
Test(bluegreen, pre_promotion_without_preview_traffic_is_inconclusive)
{
	struct world_config cfg;
	struct world_event ev[1];
	struct bg_run r;

	memset(ev, 0, sizeof(ev));
	ev[0].at_ns = 300 * S;
	ev[0].action = ACTION_PROMOTE;
	ev[0].full = 1;
	bg_config(&cfg, 3, ev, 1);
	bg_traffic(&cfg);
	bg_metric(&cfg.deployment.prog.bg.pre, "success-rate",
		  METRIC_SUCCESS_RATE, 99, 1);
	bg_run(&cfg, &r, 0);
	cr_assert_eq(switch_at(&r, "app-active", 1, 2), 300 * S);
	cr_assert_eq(completed_at(&r), 300 * S);
	cr_assert_eq(spec_at(&r, 1, 0), 330 * S);
	cr_assert_eq(r.m.requests.outcome[OUTCOME_OK], r.m.requests.total);
	check_invariants(&r);
	world_config_release(&cfg);
}

/* A slow new version (500 ms per request) against a post-promotion p99
 * bound of 100 ms: switch at T + D = 110 s, first measurement at 120 s
 * fails (failed 1 > failureLimit 0), the rollout aborts at once: the
 * active Service goes back to revision 1 (still at full size) at 120 s
 * and the new ReplicaSet goes to 0 at 150 s (abortScaleDownDelaySeconds
 * 30); the old one is never scaled down. */
Test(bluegreen, post_promotion_failure_rolls_back_at_once)
{
	struct world_config cfg;
	struct bg_run r;
	char msg[256];

	bg_config(&cfg, 3, NULL, 0);
	bg_traffic(&cfg);
	cfg.images[1].service_time = dist_constant(500 * SIM_NS_PER_MS);
	bg_metric(&cfg.deployment.prog.bg.post, "latency", METRIC_LATENCY_P99,
		  100, 3);
	bg_run(&cfg, &r, 0);
	cr_assert_eq(switch_at(&r, "app-active", 1, 2), T_NS + D_NS);
	snprintf(msg, sizeof(msg),
		 "Rollout aborted update to revision 2: Blue/green "
		 "post-promotion analysis phase error/failed: Metric "
		 "\"latency\" assessed Failed due to failed (1) > failureLimit "
		 "(0)");
	cr_assert_eq(event_at(&r, msg), T_NS + D_NS + 10 * S);
	cr_assert_eq(switch_at(&r, "app-active", 2, 1), T_NS + D_NS + 10 * S);
	cr_assert_eq(completed_at(&r), -1);
	cr_assert_eq(spec_at(&r, 2, 0), T_NS + D_NS + 40 * S);
	cr_assert_eq(spec_at(&r, 1, 0), -1);
	cr_assert(r.weight_back0);
	cr_assert_not(r.m.complete);
	check_invariants(&r);
	world_config_release(&cfg);
}

/* A good new version under a post-promotion analysis of two
 * measurements: switch at 110 s, Successful at 130 s, which is when
 * the new ReplicaSet becomes the stable one (the rollout completes) and
 * the old one's scale-down delay starts: down at 160 s. No request
 * fails: the old pods serve until the switch, the new ones after. */
Test(bluegreen, post_promotion_success_then_scale_down_delay)
{
	struct world_config cfg;
	struct bg_run r;

	bg_config(&cfg, 3, NULL, 0);
	bg_traffic(&cfg);
	bg_metric(&cfg.deployment.prog.bg.post, "latency", METRIC_LATENCY_P99,
		  1000, 2);
	bg_run(&cfg, &r, 0);
	cr_assert_eq(switch_at(&r, "app-active", 1, 2), T_NS + D_NS);
	cr_assert_eq(completed_at(&r), T_NS + D_NS + 20 * S);
	cr_assert_eq(r.m.completed_ns, T_NS + D_NS + 20 * S);
	cr_assert_eq(spec_at(&r, 1, 0), T_NS + D_NS + 50 * S);
	cr_assert_gt(r.m.requests.total, 0);
	cr_assert_eq(r.m.requests.outcome[OUTCOME_OK], r.m.requests.total);
	check_invariants(&r);
	world_config_release(&cfg);
}

/* ------------------------------------------------- pause and rollback */

/* spec.paused (a pause event at 105 s) halts the switch, not the
 * scaling: the new pods are ready at 110 s, the switch waits for the
 * resume at 200 s; the old ReplicaSet goes down 30 s after it. */
Test(bluegreen, spec_paused_halts_the_switch)
{
	struct world_config cfg;
	struct world_event ev[2];
	struct bg_run r;

	memset(ev, 0, sizeof(ev));
	ev[0].at_ns = 105 * S;
	ev[0].action = ACTION_PAUSE;
	ev[1].at_ns = 200 * S;
	ev[1].action = ACTION_RESUME;
	bg_config(&cfg, 3, ev, 2);
	bg_run(&cfg, &r, 0);
	cr_assert_eq(grow_at(&r, 2, 3), T_NS);
	cr_assert_eq(switch_at(&r, "app-active", 1, 2), 200 * S);
	cr_assert_eq(spec_at(&r, 1, 0), 230 * S);
	check_invariants(&r);
	world_config_release(&cfg);
}

/* Manual promotion at 150 s (switch, revision 1 kept until 180 s); at
 * 160 s the template goes back to app:1, whose ReplicaSet is still
 * within its scale-down delay: fast-tracked, the active Service goes
 * back at 160 s without a promote, and revision 2's ReplicaSet (the
 * previous stable one) goes down 30 s later. */
Test(bluegreen, rollback_within_scale_down_delay_is_fast_tracked)
{
	struct world_config cfg;
	struct world_event ev[2];
	struct bg_run r;

	memset(ev, 0, sizeof(ev));
	ev[0].at_ns = 150 * S;
	ev[0].action = ACTION_PROMOTE;
	ev[1].at_ns = 160 * S;
	ev[1].action = ACTION_SET_IMAGE;
	ev[1].image = 0;
	bg_config(&cfg, 3, ev, 2);
	cfg.deployment.prog.bg.auto_promotion = 0;
	bg_run(&cfg, &r, 0);
	cr_assert_eq(switch_at(&r, "app-active", 1, 2), 150 * S);
	cr_assert_eq(switch_at(&r, "app-active", 2, 1), 160 * S);
	cr_assert_eq(spec_at(&r, 2, 0), 190 * S);
	cr_assert_eq(r.m.completed_ns, 160 * S);
	check_invariants(&r);
	world_config_release(&cfg);
}
