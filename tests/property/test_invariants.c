/* test_invariants.c - rollout invariants over random cases (the whole world).
 *
 * 300 random RollingUpdate cases from a fixed seed (each case has its own
 * seed, printed with the case on failure): replicas uniform in 1..200,
 * maxSurge and maxUnavailable each an absolute 0..R or a percentage
 * 0..100 (the invalid literal both-zero pair is redrawn), image pull
 * uniform or lognormal, startup lognormal, an optional readiness probe
 * (period 1..10 s, initialDelay 0..5 s), shutdown uniform up to 0..5 s,
 * grace 30 s; setImage at 300 s, until 3 h. Every pod is healthy (no
 * neverReady), so upstream guarantees (docs/kubernetes.md §1, §2):
 *   - from the trigger on, at every change of the counts:
 *       new_pods + old_pods <= R + MaxSurge and
 *       available >= R - MaxUnavailable;
 *   - at the end the rollout is complete (all R pods new and available);
 *   - at every callback: terminating, old_pods, new_pods >= 0 and the
 *     clock never goes backwards (on_counts and on_event together).
 * MaxSurge / MaxUnavailable are resolved by the tests' own copy of the §1
 * rules (prop_ref_resolve), not by the code under test.
 */
#include <inttypes.h>
#include <math.h>
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
#include "../test_rand.h"
#include "prop_case.h"

#define S SIM_NS_PER_S
#define MS SIM_NS_PER_MS
#define N_CASES 300
#define BASE_SEED UINT64_C(0x5eed2024c0ffee01)
#define TRIGGER_NS (300 * S)
#define UNTIL_NS (3 * 3600 * S)

/* ------------------------------------------------------------- a case */

struct pcase {
	int idx;
	uint64_t seed;
	int32_t replicas;
	struct intstr ms, mu;
	int32_t surge, unav;          /* reference resolution */
	char desc[512];
};

static size_t desc_intstr(char *buf, size_t used, size_t cap,
			  const char *name, struct intstr v)
{
	return prop_desc_add(buf, used, cap, " %s=%d%s", name, (int)v.value,
			     v.is_percent ? "%" : "");
}

static size_t desc_dist(char *buf, size_t used, size_t cap, const char *name,
			const struct dist *d)
{
	if (d->kind == DIST_UNIFORM)
		return prop_desc_add(buf, used, cap, " %s=uniform(%.3fs,%.3fs)",
				     name, sim_ns_to_s(d->a_ns),
				     sim_ns_to_s(d->b_ns));
	if (d->kind == DIST_LOGNORMAL)
		return prop_desc_add(buf, used, cap,
				     " %s=lognormal(%.3fs,%.3f)", name,
				     sim_ns_to_s(d->a_ns), d->shape);
	return prop_desc_add(buf, used, cap, " %s=%s", name,
			     dist_kind_name(d->kind));
}

static void rand_image(uint64_t *s, struct image_config *im, const char *name)
{
	image_config_defaults(im, name);
	if (sm_next(s) & 1) {
		im->pull.kind = DIST_UNIFORM;
		im->pull.a_ns = sm_range(s, 0, 10 * S);
		im->pull.b_ns = im->pull.a_ns + sm_range(s, 0, 30 * S);
	} else {
		im->pull.kind = DIST_LOGNORMAL;
		im->pull.a_ns = sm_range(s, 1 * S, 20 * S);
		im->pull.shape = 0.1 + 0.7 * sm_unit(s);
	}
	im->startup.kind = DIST_LOGNORMAL;
	im->startup.a_ns = sm_range(s, 500 * MS, 10 * S);
	im->startup.shape = 0.1 + 0.7 * sm_unit(s);
	im->shutdown.kind = DIST_UNIFORM;
	im->shutdown.a_ns = 0;
	im->shutdown.b_ns = sm_range(s, 0, 5 * S);
	im->grace_ns = 30 * S;
	im->prestop_ns = 0;
	if (sm_next(s) & 1) {
		probe_config_defaults(&im->readiness);
		im->readiness.period_ns = sm_range(s, 1, 10) * S;
		im->readiness.initial_delay_ns = sm_range(s, 0, 5) * S;
		im->readiness.never_ready = 0;
	} else {
		im->readiness.enabled = 0;
	}
}

static void desc_image(struct pcase *pc, size_t *used,
		       const struct image_config *im)
{
	size_t cap = sizeof(pc->desc);

	*used = prop_desc_add(pc->desc, *used, cap, " [%s", im->name);
	*used = desc_dist(pc->desc, *used, cap, "pull", &im->pull);
	*used = desc_dist(pc->desc, *used, cap, "startup", &im->startup);
	*used = desc_dist(pc->desc, *used, cap, "shutdown", &im->shutdown);
	if (im->readiness.enabled)
		*used = prop_desc_add(pc->desc, *used, cap,
				      " probe(period=%llds,delay=%llds)",
				      (long long)(im->readiness.period_ns / S),
				      (long long)(im->readiness.initial_delay_ns / S));
	*used = prop_desc_add(pc->desc, *used, cap, "]");
}

/* Draws case idx into cfg (images and events malloc'ed, released by
 * world_config_release) and pc. */
static void make_case(int idx, struct world_config *cfg, struct pcase *pc)
{
	uint64_t s;
	size_t used = 0;

	memset(pc, 0, sizeof(*pc));
	pc->idx = idx;
	pc->seed = prop_case_seed(BASE_SEED, idx);
	s = pc->seed;
	pc->replicas = (int32_t)sm_range(&s, 1, 200);
	do {
		pc->ms = prop_rand_intstr(&s, pc->replicas);
		pc->mu = prop_rand_intstr(&s, pc->replicas);
	} while (pc->ms.value == 0 && pc->mu.value == 0);
	prop_ref_resolve(STRATEGY_ROLLING_UPDATE, pc->replicas, pc->ms, pc->mu,
			 &pc->surge, &pc->unav);

	world_config_init(cfg);
	snprintf(cfg->name, sizeof(cfg->name), "property-%d", idx);
	cfg->seed = sm_next(&s);
	cfg->until_ns = UNTIL_NS;
	cfg->images = calloc(2, sizeof(*cfg->images));
	cfg->events = calloc(1, sizeof(*cfg->events));
	cr_assert_not_null(cfg->images);
	cr_assert_not_null(cfg->events);
	cfg->n_images = 2;
	rand_image(&s, &cfg->images[0], "app:1");
	rand_image(&s, &cfg->images[1], "app:2");
	cfg->deployment.replicas = pc->replicas;
	cfg->deployment.strategy = STRATEGY_ROLLING_UPDATE;
	cfg->deployment.max_surge = pc->ms;
	cfg->deployment.max_unavailable = pc->mu;
	cfg->deployment.image = 0;
	cfg->n_events = 1;
	cfg->events[0].at_ns = TRIGGER_NS;
	cfg->events[0].action = ACTION_SET_IMAGE;
	cfg->events[0].image = 1;

	used = prop_desc_add(pc->desc, used, sizeof(pc->desc),
			     "case %d seed 0x%016" PRIx64 ": R=%d", idx,
			     pc->seed, (int)pc->replicas);
	used = desc_intstr(pc->desc, used, sizeof(pc->desc), "maxSurge",
			   pc->ms);
	used = desc_intstr(pc->desc, used, sizeof(pc->desc), "maxUnavailable",
			   pc->mu);
	used = prop_desc_add(pc->desc, used, sizeof(pc->desc), " (S=%d U=%d)",
			     (int)pc->surge, (int)pc->unav);
	desc_image(pc, &used, &cfg->images[0]);
	desc_image(pc, &used, &cfg->images[1]);
}

/* ---------------------------------------------------------- observer */

struct watch {
	const struct pcase *pc;
	sim_time_t last_t;
	struct world_counts pre;     /* last counts before the trigger */
	int have_pre;
	struct world_counts last;
	long n_counts;
	struct prop_violations viol;
};

static void check_clock(struct watch *w, sim_time_t t, const char *where)
{
	if (t < w->last_t)
		prop_violation(&w->viol, t,
			       "clock went back from %lld ns to %lld ns (%s)",
			       (long long)w->last_t, (long long)t, where);
	w->last_t = t;
}

static void w_on_event(void *ctx, sim_time_t t, const char *type,
		       const char *reason, const char *object,
		       const char *message)
{
	(void)type;
	(void)reason;
	(void)object;
	(void)message;
	check_clock(ctx, t, "on_event");
}

static void w_on_counts(void *ctx, sim_time_t t, const struct world_counts *c)
{
	struct watch *w = ctx;
	const struct pcase *pc = w->pc;

	check_clock(w, t, "on_counts");
	w->n_counts++;
	w->last = *c;
	if (c->terminating < 0 || c->old_pods < 0 || c->new_pods < 0 ||
	    c->terminating + c->old_pods + c->new_pods < 0)
		prop_violation(&w->viol, t,
			       "negative count: terminating=%d old=%d new=%d",
			       c->terminating, c->old_pods, c->new_pods);
	if (t < TRIGGER_NS) {
		w->pre = *c;
		w->have_pre = 1;
		return;
	}
	if (c->new_pods + c->old_pods > pc->replicas + pc->surge)
		prop_violation(&w->viol, t,
			       "new+old = %d+%d = %d > R+MaxSurge = %d",
			       c->new_pods, c->old_pods,
			       c->new_pods + c->old_pods,
			       pc->replicas + pc->surge);
	if (c->available < pc->replicas - pc->unav)
		prop_violation(&w->viol, t,
			       "available %d < R-MaxUnavailable = %d "
			       "(new=%d old=%d term=%d desired %d/%d)",
			       c->available, pc->replicas - pc->unav,
			       c->new_pods, c->old_pods, c->terminating,
			       c->desired_new, c->desired_old);
}

/* ------------------------------------------------------------- tests */

static int run_case(int idx)
{
	struct world_config cfg;
	struct pcase pc;
	struct watch *wt = calloc(1, sizeof(*wt));
	struct world_observer obs = { .ctx = wt, .on_counts = w_on_counts,
				      .on_event = w_on_event };
	struct world_metrics m;
	int rc, bad = 0;

	cr_assert_not_null(wt);
	make_case(idx, &cfg, &pc);
	wt->pc = &pc;
	wt->last_t = 0;
	rc = prop_run_world(&cfg, &obs, pc.desc, &m);
	world_config_release(&cfg);

	cr_expect_eq(rc, 0, "%s: world_run returned %d", pc.desc, rc);
	/* precondition: the first rollout finished before the trigger */
	cr_expect(wt->have_pre && wt->pre.new_pods == pc.replicas &&
			  wt->pre.available == pc.replicas &&
			  wt->pre.old_pods == 0,
		  "%s: before the trigger expected %d pods all available, "
		  "got new=%d old=%d available=%d", pc.desc, pc.replicas,
		  wt->pre.new_pods, wt->pre.old_pods, wt->pre.available);
	cr_expect_eq(wt->viol.n, 0, "%s: %d violations, first: %s", pc.desc,
		     wt->viol.n, wt->viol.first);
	cr_expect_eq(m.complete, 1, "%s: rollout complete expected 1, got %d",
		     pc.desc, m.complete);
	cr_expect(m.completed_ns > TRIGGER_NS,
		  "%s: completed_ns expected > trigger, got %lld", pc.desc,
		  (long long)m.completed_ns);
	cr_expect(wt->last.new_pods == pc.replicas && wt->last.old_pods == 0 &&
			  wt->last.available == pc.replicas &&
			  wt->last.desired_new == pc.replicas &&
			  wt->last.desired_old == 0,
		  "%s: final counts expected new=%d old=0 available=%d "
		  "desired %d/0, got new=%d old=%d available=%d desired %d/%d",
		  pc.desc, pc.replicas, pc.replicas, pc.replicas,
		  wt->last.new_pods, wt->last.old_pods, wt->last.available,
		  wt->last.desired_new, wt->last.desired_old);
	cr_expect(m.max_non_terminating <= pc.replicas + pc.surge,
		  "%s: metrics max_non_terminating %d > R+MaxSurge %d", pc.desc,
		  m.max_non_terminating, pc.replicas + pc.surge);
	cr_expect(m.min_available >= pc.replicas - pc.unav,
		  "%s: metrics min_available %d < R-MaxUnavailable %d", pc.desc,
		  m.min_available, pc.replicas - pc.unav);
	bad = wt->viol.n || rc || m.complete != 1;
	free(wt);
	return bad;
}

Test(property, rollout_invariants_random, .timeout = 300)
{
	int i, failed = 0;

	for (i = 0; i < N_CASES; i++)
		failed += run_case(i);
	cr_expect_eq(failed, 0, "%d of %d random cases failed", failed,
		     N_CASES);
}

/* The resolver of the program agrees with the test's own copy of §1 over
 * the same kind of random inputs (both literal zero included: the resolver
 * does not validate). */
Test(property, resolve_matches_reference)
{
	uint64_t s = BASE_SEED;
	int i;

	for (i = 0; i < 100000; i++) {
		int32_t r = (int32_t)sm_range(&s, 0, 1000), rs, ru, gs, gu;
		struct intstr ms = prop_rand_intstr(&s, r);
		struct intstr mu = prop_rand_intstr(&s, r);

		prop_ref_resolve(STRATEGY_ROLLING_UPDATE, r, ms, mu, &rs, &ru);
		gs = deploy_max_surge(STRATEGY_ROLLING_UPDATE, r, ms, mu);
		gu = deploy_max_unavailable(STRATEGY_ROLLING_UPDATE, r, ms, mu);
		cr_assert(gs == rs && gu == ru,
			  "i=%d R=%d maxSurge=%d%s maxUnavailable=%d%s: "
			  "expected S=%d U=%d, got S=%d U=%d", i, (int)r,
			  (int)ms.value, ms.is_percent ? "%" : "",
			  (int)mu.value, mu.is_percent ? "%" : "", (int)rs,
			  (int)ru, (int)gs, (int)gu);
	}
}
