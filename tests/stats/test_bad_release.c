/* test_bad_release.c - a bad release (images' errorRate and
 * serviceTimeFactor) against probability and queueing theory, and the
 * exposure and cost metrics against hand-worked rollouts.
 *
 * errorRate p: each request a pod of the release serves to its end fails
 * (app_error) with probability p, independently (its own random stream),
 * so the app errors among n served requests are Binomial(n, p): p must
 * lie in the 99.9 % Wilson score interval of the observed count (one
 * false alarm in a thousand per row; the seeds are fixed, so the outcome
 * is deterministic), and the interval must be narrow (a check that cannot
 * fail is not a check).
 *
 * serviceTimeFactor k multiplies every service time: an M/M/1 queue of
 * service rate mu becomes one of rate mu / k, with mean response time
 * 1 / (mu / k - lambda) (test_queueing.c's set-up and tolerances: R
 * independent replications, Student t interval).
 *
 * Exposure and cost: the idealised rollouts of ../conformance/conf_world.h
 * (every pod Available exactly D = 10 s after its creation, a deleted pod
 * gone at once unless a shutdown is given), worked by hand below.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#define TT_INTERFACE_ONLY
#include "../unit/test_traffic_world.c"

#include "../conformance/conf_world.h"
#include "models/intstr.h"
#include "sim/core/dist.h"
#include "sim/core/stats.h"

#define S TT_S
#define MS TT_MS
#define Z999 3.2905267314918945   /* two-sided 99.9 % normal quantile */

/* ---------------------------------------------------------- errorRate */

/* Wilson score interval of k successes in n at quantile z. */
static void wilson(uint64_t k, uint64_t n, double z, double *lo, double *hi)
{
	double p = (double)k / (double)n, nn = (double)n, z2 = z * z;
	double mid = (p + z2 / (2 * nn)) / (1 + z2 / nn);
	double half = z / (1 + z2 / nn) *
		      sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));

	*lo = mid - half;
	*hi = mid + half;
}

/* One pod of app:1 with errorRate p, an unlimited queue, Poisson traffic
 * at 400/s for 40 s, then 20 s to drain: every request is served. */
static struct tt_run *error_run(double p, uint64_t seed)
{
	struct world_config cfg;
	struct tt_run *r;

	tt_config(&cfg, 1, 1, 400, TT_START + 60 * S);
	cfg.seed = seed;
	cfg.images[0].error_rate = p;
	cfg.images[0].queue_capacity = QUEUE_UNLIMITED;
	cfg.images[0].concurrency = 16;
	tt_stop(&cfg, TT_START + 40 * S);
	r = tt_run(&cfg, 0);
	world_config_release(&cfg);
	return r;
}

Test(bad_release, app_errors_are_binomial_with_the_error_rate)
{
	static const double ps[] = { 0.01, 0.05, 0.3, 0.9 };
	size_t i;

	for (i = 0; i < sizeof(ps) / sizeof(*ps); i++) {
		struct tt_run *r = error_run(ps[i], 4100 + i);
		uint64_t n = r->all.total, k = r->all.outcome[OUTCOME_APP_ERROR];
		double lo, hi;

		tt_check_accounting(r, "errorRate", 1);
		cr_assert_gt(n, 10000, "p %g: %llu requests", ps[i],
			     (unsigned long long)n);
		cr_expect_eq(k + r->all.outcome[OUTCOME_OK], n,
			     "p %g: outcomes other than ok and app_error",
			     ps[i]);
		/* not retried by default: the first try is the outcome */
		cr_expect_eq(r->all.first_try[OUTCOME_APP_ERROR], k);
		wilson(k, n, Z999, &lo, &hi);
		cr_log_info("errorRate %g: %llu of %llu, 99.9 %% [%.5f, %.5f]",
			    ps[i], (unsigned long long)k,
			    (unsigned long long)n, lo, hi);
		cr_expect(lo <= ps[i] && ps[i] <= hi,
			  "errorRate %g: %llu app errors of %llu requests, "
			  "99.9 %% interval [%.5f, %.5f]", ps[i],
			  (unsigned long long)k, (unsigned long long)n, lo, hi);
		cr_expect_lt(hi - lo, 0.3 * ps[i] + 0.01,
			     "p %g: interval too wide to test", ps[i]);
		/* app errors are not successes: no latency sample */
		cr_expect_eq(r->all.latency.count, r->all.outcome[OUTCOME_OK]);
		free(r);
	}
}

/* The extremes are exact: 0 never fails (and draws nothing), 1 always. */
Test(bad_release, error_rates_zero_and_one_are_exact)
{
	struct tt_run *r = error_run(0.0, 4200);

	cr_expect_eq(r->all.outcome[OUTCOME_APP_ERROR], 0);
	cr_expect_eq(r->all.outcome[OUTCOME_OK], r->all.total);
	free(r);
	r = error_run(1.0, 4201);
	cr_expect_eq(r->all.outcome[OUTCOME_APP_ERROR], r->all.total);
	cr_expect_gt(r->all.total, 0);
	free(r);
}

/* ---------------------------------------------------- serviceTimeFactor */

#define REPS 10
#define ALPHA 1e-3
#define E_S (20 * MS)

/* 2 pods, concurrency 1, unlimited queue, exponential service of mean
 * E_S times factor, random balancing: two M/M/1 queues, each offered
 * lambda_pod = rho mu / factor (mu = 1 / E_S), so that the load is rho
 * with the factor applied. */
static double mm1_mean_response(double factor, double rho, uint64_t seed,
				double *want)
{
	double mu = (double)S / E_S, mu_k = mu / factor;
	double lambda_pod = rho * mu_k, t[REPS];
	sim_time_t run = 1200 * S;
	struct world_config cfg;
	struct tt_interval ci;
	int rep;

	tt_config(&cfg, 1, 2, 2 * lambda_pod, TT_START + run + 10 * S);
	cfg.seed = seed;
	cfg.images[0].concurrency = 1;
	cfg.images[0].queue_capacity = QUEUE_UNLIMITED;
	cfg.images[0].service_time.kind = DIST_EXPONENTIAL;
	cfg.images[0].service_time.a_ns = E_S;
	cfg.images[0].service_time_factor = factor;
	cfg.traffic.lb = LB_RANDOM;
	tt_stop(&cfg, TT_START + run);
	for (rep = 0; rep < REPS; rep++) {
		struct tt_run *r = tt_run(&cfg, (uint32_t)rep);

		tt_check_accounting(r, "serviceTimeFactor", 1);
		cr_expect_eq(r->all.outcome[OUTCOME_OK], r->all.total);
		t[rep] = hist_mean(&r->all.latency) / S;
		free(r);
	}
	world_config_release(&cfg);
	*want = 1.0 / (mu_k - lambda_pod);
	ci = tt_t_interval(t, REPS, ALPHA);
	cr_log_info("factor %g rho %g: E[T] %.6f +- %.6f s, 1 / (mu/k - "
		    "lambda) = %.6f s", factor, rho, ci.mean, ci.half, *want);
	cr_expect_leq(fabs(ci.mean - *want), ci.half,
		      "factor %g: E[T] %.6f +- %.6f s, theory %.6f s", factor,
		      ci.mean, ci.half, *want);
	cr_expect_leq(ci.half, 0.03 * *want, "factor %g: interval too wide",
		      factor);
	return ci.mean;
}

Test(bad_release, service_time_factor_scales_an_mm1_queue, .timeout = 120)
{
	double want, slow, fast;

	/* k = 2, rho 0.5: mu/k = 25/s, lambda 12.5/s, E[T] = 80 ms */
	slow = mm1_mean_response(2.0, 0.5, 4300, &want);
	cr_expect_float_eq(want, 0.08, 1e-12);
	/* k = 0.5, rho 0.5: mu/k = 100/s, lambda 50/s, E[T] = 20 ms */
	fast = mm1_mean_response(0.5, 0.5, 4301, &want);
	cr_expect_float_eq(want, 0.02, 1e-12);
	cr_expect_gt(slow, 3 * fast);
}

/* ------------------------------------------------- exposure and cost */

/* What a run of a conf_world told: its metrics (m.rollouts is gone with
 * the world) and the app errors of the traffic rows that began before
 * each second boundary. */
struct exp_run {
	struct world_metrics m;
	uint64_t row_app_error[1200]; /* by the second the row begins */
};

static void exp_on_traffic(void *ctx, const struct traffic_row *row)
{
	struct exp_run *x = ctx;
	sim_time_t s = row->t_ns / S;

	if (s >= 0 && s < 1200)
		x->row_app_error[s] += row->outcome[OUTCOME_APP_ERROR];
}

static void exp_run_cfg(const struct world_config *cfg, struct exp_run *x)
{
	struct world_observer obs;
	world *w;

	memset(x, 0, sizeof(*x));
	memset(&obs, 0, sizeof(obs));
	obs.ctx = x;
	obs.on_traffic = exp_on_traffic;
	cr_assert_eq(world_new(cfg, 0, &obs, &w), 0);
	cr_assert_eq(world_run(w), 0);
	world_get_metrics(w, &x->m);
	x->m.rollouts = NULL;
	world_free(w);
}

/* conf_world with traffic (50/s from 20 s to 400 s, unlimited queues,
 * drained by 500 s) and app:2 failing every request. */
static void exp_config(struct world_config *cfg, const struct conf_world *p)
{
	size_t i;

	conf_world_config(cfg, "exposure", p);
	cfg->until_ns = 500 * S;
	for (i = 0; i < cfg->n_images; i++)
		cfg->images[i].queue_capacity = QUEUE_UNLIMITED;
	cfg->images[1].error_rate = 1.0;
	cfg->traffic.enabled = 1;
	cfg->traffic.rate_per_s = 50;
	cfg->traffic.start_ns = 20 * S;
	tt_stop(cfg, 400 * S);
}

/* RollingUpdate, 4 replicas, maxSurge 1, maxUnavailable 0: at 100 s one
 * app:2 pod is created (5 pods); each 10 s later the new pod is
 * Available, an old one is deleted (gone at once) and the next new one
 * created: 5 pods until the fourth new pod is Available at 140 s, when
 * the last old one goes. Completion (promotion) 40 s after the trigger;
 * one pod beyond spec.replicas for 40 s: 40 extra pod-seconds. app:2
 * fails every request it serves (errorRate 1) and app:1 none, so the
 * requests the new version answered are exactly the run's app errors,
 * and those before the promotion the app errors of the traffic rows
 * before 140 s (a Poisson arrival or exponential service ending exactly
 * at 140 s has probability 0). */
Test(bad_release, exposure_counts_are_the_new_pods_requests)
{
	const struct conf_world p = { .replicas = 4,
		.strategy = STRATEGY_ROLLING_UPDATE,
		.max_surge = intstr_int(1), .max_unav = intstr_int(0),
		.pull_ns = CONF_D_NS };
	const struct delivery_metrics *d;
	struct world_config cfg;
	struct exp_run *x = calloc(1, sizeof(*x));
	uint64_t before = 0;
	int s;

	cr_assert_not_null(x);
	exp_config(&cfg, &p);
	exp_run_cfg(&cfg, x);
	d = &x->m.delivery;
	for (s = 0; s < 140; s++)
		before += x->row_app_error[s];
	cr_expect_eq(x->m.completed_ns, 140 * S);
	cr_expect_eq(d->promoted_ns, 140 * S);
	cr_expect_gt(x->m.requests.outcome[OUTCOME_APP_ERROR], 1000);
	cr_expect_eq(d->new_requests,
		     x->m.requests.outcome[OUTCOME_APP_ERROR]);
	cr_expect_eq(d->new_outcome[OUTCOME_APP_ERROR], d->new_requests);
	cr_expect_eq(d->new_outcome[OUTCOME_OK], 0);
	cr_expect_eq(d->new_failed, d->new_requests);
	cr_expect_eq(d->new_requests_before_promotion, before);
	cr_expect_gt(before, 0);
	cr_expect_lt(before, d->new_requests);
	cr_expect_float_eq(d->extra_pod_seconds, 40.0, 1e-9);
	cr_expect_eq(d->aborted, 0);
	cr_expect_eq(d->detected_ns, -1);
	cr_expect_eq(d->rolled_back_ns, -1);
	world_config_release(&cfg);
	free(x);
}

/* A rolloutUndo at 200 s after that bad release: the undo is the user's
 * decision, not a detection (detected and rolled back stay unset, the
 * release is not "aborted"), and the promotion stays the first
 * completion on app:2 (140 s), not the undo's (app:1 is the base
 * version). The undo is 4 more steps of 10 s with one extra pod: 80
 * extra pod-seconds in all. After the undo completes (240 s) no request
 * reaches app:2: its app errors all come from rows before 240 s (app:2
 * pods deleted by the undo also reset what they held: those count for
 * app:2 too, as resets). */
Test(bad_release, an_undo_is_not_a_detection)
{
	struct world_event undo = { .at_ns = 200 * S,
				    .action = ACTION_UNDO };
	const struct conf_world p = { .replicas = 4,
		.strategy = STRATEGY_ROLLING_UPDATE,
		.max_surge = intstr_int(1), .max_unav = intstr_int(0),
		.pull_ns = CONF_D_NS, .extra = &undo, .n_extra = 1 };
	struct world_config cfg;
	struct exp_run *x = calloc(1, sizeof(*x));
	uint64_t until_undo = 0;
	int s;

	cr_assert_not_null(x);
	exp_config(&cfg, &p);
	exp_run_cfg(&cfg, x);
	for (s = 0; s < 240; s++)
		until_undo += x->row_app_error[s];
	cr_expect_eq(x->m.completed_ns, 240 * S);
	cr_expect_eq(x->m.delivery.promoted_ns, 140 * S);
	cr_expect_eq(x->m.delivery.detected_ns, -1);
	cr_expect_eq(x->m.delivery.rolled_back_ns, -1);
	cr_expect_eq(x->m.delivery.aborted, 0);
	cr_expect_eq(x->m.delivery.new_outcome[OUTCOME_APP_ERROR],
		     until_undo);
	cr_expect_eq(x->m.requests.outcome[OUTCOME_APP_ERROR], until_undo);
	cr_expect_eq(x->m.delivery.new_outcome[OUTCOME_OK], 0);
	cr_expect_eq(x->m.delivery.new_failed, x->m.delivery.new_requests);
	cr_expect_float_eq(x->m.delivery.extra_pod_seconds, 80.0, 1e-9);
	world_config_release(&cfg);
	free(x);
}

/* A release that never becomes Ready, undone at 150 s: app:2's pod never
 * serves, nothing was promoted (the undo's completion returns to the base
 * version), and the surge pod cost 1 pod for the 50 s until the undo
 * deleted it. */
Test(bad_release, an_undone_release_that_never_completed_was_not_promoted)
{
	struct world_event undo = { .at_ns = 150 * S,
				    .action = ACTION_UNDO };
	const struct conf_world p = { .replicas = 4,
		.strategy = STRATEGY_ROLLING_UPDATE,
		.max_surge = intstr_int(1), .max_unav = intstr_int(0),
		.pull_ns = CONF_D_NS, .new_never_ready = 1, .extra = &undo,
		.n_extra = 1 };
	struct world_config cfg;
	struct exp_run *x = calloc(1, sizeof(*x));

	cr_assert_not_null(x);
	exp_config(&cfg, &p);
	exp_run_cfg(&cfg, x);
	cr_expect_eq(x->m.delivery.promoted_ns, -1);
	cr_expect_eq(x->m.delivery.new_requests, 0);
	cr_expect_eq(x->m.requests.outcome[OUTCOME_APP_ERROR], 0);
	cr_expect_float_eq(x->m.delivery.extra_pod_seconds, 50.0, 1e-9);
	world_config_release(&cfg);
	free(x);
}

/* extra_pod_seconds, hand-worked (4 replicas, D = 10 s, no traffic):
 *   maxSurge 1 / maxUnavailable 0, shutdown 5 s (grace 30 s): the surge
 *     pod 40 s, and each of the 4 old pods terminating 5 s while the
 *     next new pod already exists (110-115, 120-125, 130-135: 2 extra;
 *     140-145: the last old pod beside 4 new ones, 1 extra): 40 + 20 =
 *     60 pod-seconds;
 *   maxSurge 25% / maxUnavailable 25% (1 / 1), no shutdown: at 100 s
 *     the new ReplicaSet is created with 1 (maxTotal 5), the old one
 *     scaled to 3 (available 4 - minAvailable 3), then the new one to 2:
 *     5 pods; at 110 s the old one goes to 1 (available 5 - 3), the new
 *     one to 4: 5 pods; at 120 s the old one to 0: 4 pods. One extra pod
 *     for 20 s: 20 (sync.go / rolling.go reconcileNewReplicaSet,
 *     reconcileOldReplicaSets);
 *   Recreate, shutdown 5 s, the controllers reacting 2 s after each
 *     change (controllers.syncDelay): the old pods terminate before any
 *     new one exists, and for a while no pod exists at all: never more
 *     than 4 pods, and fewer pods than replicas are not a saving: 0. */
static double extra_of(const struct conf_world *p, sim_time_t shutdown_ns,
		       sim_time_t sync_delay_ns)
{
	struct world_config cfg;
	struct exp_run *x = calloc(1, sizeof(*x));
	double v;
	size_t i;

	cr_assert_not_null(x);
	conf_world_config(&cfg, "extra", p);
	cfg.until_ns = 500 * S;
	dist_release(&cfg.sync_delay);
	cfg.sync_delay = dist_constant(sync_delay_ns);
	for (i = 0; i < cfg.n_images; i++) {
		cfg.images[i].shutdown = dist_constant(shutdown_ns);
		cfg.images[i].grace_ns = 30 * S;
	}
	exp_run_cfg(&cfg, x);
	v = x->m.delivery.extra_pod_seconds;
	world_config_release(&cfg);
	free(x);
	return v;
}

Test(bad_release, extra_pod_seconds_of_hand_worked_rollouts)
{
	struct conf_world p = { .replicas = 4,
		.strategy = STRATEGY_ROLLING_UPDATE,
		.max_surge = intstr_int(1), .max_unav = intstr_int(0),
		.pull_ns = CONF_D_NS };

	cr_expect_float_eq(extra_of(&p, 5 * S, 0), 60.0, 1e-9);
	p.max_surge = intstr_percent(25);
	p.max_unav = intstr_percent(25);
	cr_expect_float_eq(extra_of(&p, 0, 0), 20.0, 1e-9);
	p.strategy = STRATEGY_RECREATE;
	cr_expect_float_eq(extra_of(&p, 5 * S, 2 * S), 0.0, 1e-9);
}
