/* test_traffic_accounting.c - request accounting over random scenarios
 * with rollouts, and at the edges of a run.
 *
 * Property test: N_CASES random cases from a fixed seed (each case has its
 * own seed, printed with the case on failure): 1..6 replicas of two images
 * with random pull, startup, readiness probe, preStop, shutdown, grace,
 * crashes, warm-up, acceptDuringShutdown, drainConnections, concurrency,
 * queue (none, bounded, unlimited), service-time law, serviceTimeFactor
 * and errorRate (a bad release); RollingUpdate
 * (random maxSurge / maxUnavailable) or Recreate; setImage at 30..60 s
 * and sometimes a second event (deletePod, scale, setImage back);
 * endpoint propagation constant or uniform; traffic with Poisson or
 * constant arrivals at 10..90 % of the pods' capacity (at most 600/s),
 * a rate step, each load-balancing policy and consumer, keep-alive
 * connections, retries on a random set of outcomes, a client timeout.
 * Arrivals stop at 120 s and the run ends at 180 s, so every request is
 * resolved (at most 16 requests per pod ahead of a 5..50 ms service when
 * the queue is unlimited at <= 90 % load, and a stopping pod resets what it
 * holds). Checked for every case:
 *   - the accounting of test_traffic_world.c, exactly (drained);
 *   - no retries: attempts = total and first-try = final outcome, per
 *     cause; retries: attempts <= (retries + 1) total;
 *   - no client timeout: no timeout outcome; every queue unlimited: no
 *     overload; no errorRate: no app_error;
 *   - requests arrived in the rollout window when it lasted long enough;
 *   - same seed, same run (every 4th case run twice: identical counts,
 *     latency histograms and per-second sums);
 *   - traffic does not touch the pods: the same case with the rate halved
 *     (and other arrival draws) has the same pod timeline (every
 *     on_counts call, hashed), every 4th case.
 * Edges of a run: per-second rows when an arrival falls exactly on the
 * end of the run.
 */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#define TT_INTERFACE_ONLY
#include "test_traffic_world.c"

#include "models/intstr.h"
#include "models/probe.h"
#include "sim/core/dist.h"
#include "../test_rand.h"

#define S TT_S
#define MS TT_MS
#define N_CASES 150
#define BASE_SEED UINT64_C(0x7a11c0ffee5eed01)
#define STOP (120 * S)
#define UNTIL (180 * S)

/* ------------------------------------------------------------ random */

/* ------------------------------------------------------------- a case */

struct pcase {
	int idx;
	uint64_t seed;
	int all_unlimited;
	int app_errors;              /* an image has an errorRate */
	double min_rate;             /* the lower of the two rates */
	char desc[1024];
	size_t used;
};

static void desc_add(struct pcase *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void desc_add(struct pcase *c, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (c->used >= sizeof(c->desc))
		return;
	va_start(ap, fmt);
	w = vsnprintf(c->desc + c->used, sizeof(c->desc) - c->used, fmt, ap);
	va_end(ap);
	if (w > 0)
		c->used += (size_t)w;
}

static struct dist rand_time(uint64_t *s, sim_time_t max_ns)
{
	struct dist d;

	if (sm_chance(s, 50))
		return dist_constant(sm_range(s, 0, max_ns));
	memset(&d, 0, sizeof(d));
	d.kind = DIST_UNIFORM;
	d.a_ns = sm_range(s, 0, max_ns / 2);
	d.b_ns = d.a_ns + sm_range(s, 0, max_ns / 2);
	return d;
}

/* A random image; returns its capacity in requests per second. */
static double rand_image(uint64_t *s, struct image_config *im,
			 struct pcase *c)
{
	sim_time_t mean = sm_range(s, 5, 50) * MS;
	int law = (int)sm_range(s, 0, 2);

	im->pull = dist_constant(sm_range(s, 0, 3) * S);
	im->startup = rand_time(s, 3 * S);
	if (sm_chance(s, 50)) {
		probe_config_defaults(&im->readiness);
		im->readiness.period_ns = sm_range(s, 1, 3) * S;
	}
	im->shutdown = rand_time(s, 3 * S);
	im->grace_ns = sm_range(s, 1, 30) * S;
	im->prestop_ns = sm_range(s, 0, 6) * S;
	if (sm_chance(s, 15)) {
		im->crash.enabled = 1;
		im->crash.after = dist_constant(sm_range(s, 10, 60) * S);
		im->crash.probability = 0.5;
	}
	if (sm_chance(s, 20)) {
		im->warmup.duration_ns = 5 * S;
		im->warmup.factor = 3.0;
	}
	im->accept_during_shutdown = sm_chance(s, 20);
	im->drain_connections = sm_chance(s, 50);
	im->concurrency = (int32_t)sm_range(s, 1, 16);
	switch (sm_range(s, 0, 2)) {
	case 0:
		im->queue_capacity = 0;
		break;
	case 1:
		im->queue_capacity = (int32_t)sm_range(s, 1, 50);
		break;
	default:
		im->queue_capacity = QUEUE_UNLIMITED;
		break;
	}
	if (im->queue_capacity != QUEUE_UNLIMITED)
		c->all_unlimited = 0;
	memset(&im->service_time, 0, sizeof(im->service_time));
	im->service_time.a_ns = mean;
	im->service_time.kind = law == 0   ? DIST_EXPONENTIAL
				: law == 1 ? DIST_CONSTANT
					   : DIST_LOGNORMAL;
	if (law == 2) {             /* sigma 0.5, the median for this mean */
		im->service_time.shape = 0.5;
		im->service_time.a_ns = (sim_time_t)((double)mean *
						     exp(-0.125));
	}
	if (sm_chance(s, 25)) {      /* a bad release */
		im->error_rate = (double)sm_range(s, 1, 30) / 100.0;
		c->app_errors = 1;
	}
	if (sm_chance(s, 20))
		im->service_time_factor = sm_chance(s, 50) ? 0.5 : 1.5;
	desc_add(c, " [%s: pull %llds ready-probe %d preStop %llds grace "
		 "%llds crash %d warmup %d accept %d drain %d c %d q %d "
		 "service %s %lldms x%g errorRate %g]", im->name,
		 (long long)(im->pull.a_ns / S), im->readiness.enabled,
		 (long long)(im->prestop_ns / S),
		 (long long)(im->grace_ns / S), im->crash.enabled,
		 im->warmup.duration_ns > 0, im->accept_during_shutdown,
		 im->drain_connections, im->concurrency, im->queue_capacity,
		 dist_kind_name(im->service_time.kind),
		 (long long)(mean / MS), im->service_time_factor,
		 im->error_rate);
	return im->concurrency /
	       ((double)mean * im->service_time_factor / S);
}

static struct intstr rand_intstr(uint64_t *s)
{
	if (sm_chance(s, 50))
		return intstr_int((int32_t)sm_range(s, 0, 2));
	return intstr_percent((int32_t)sm_range(s, 0, 50));
}

/* Builds case idx into cfg (rate_scale multiplies the traffic rate). */
static void build_case(struct world_config *cfg, struct pcase *c,
		       uint64_t case_seed, double rate_scale)
{
	uint64_t st = case_seed;
	struct traffic_config *t = &cfg->traffic;
	double cap, util, rate;
	int32_t replicas = (int32_t)sm_range(&st, 1, 6);
	struct world_event *e;
	sim_time_t at;
	int k;

	c->seed = case_seed;
	c->all_unlimited = 1;
	c->used = 0;
	c->desc[0] = '\0';
	tt_config(cfg, 2, replicas, 1, UNTIL);
	cfg->seed = case_seed;
	snprintf(cfg->name, sizeof(cfg->name), "case %d", c->idx);
	desc_add(c, "case %d seed 0x%016" PRIx64 ": replicas %d", c->idx,
		 case_seed, replicas);
	cap = rand_image(&st, &cfg->images[0], c);
	cap = fmin(cap, rand_image(&st, &cfg->images[1], c));
	if (sm_chance(&st, 20)) {
		cfg->deployment.strategy = STRATEGY_RECREATE;
		desc_add(c, " Recreate");
	} else {
		cfg->deployment.max_surge = rand_intstr(&st);
		cfg->deployment.max_unavailable = rand_intstr(&st);
		desc_add(c, " surge %d%s unavailable %d%s",
			 cfg->deployment.max_surge.value,
			 cfg->deployment.max_surge.is_percent ? "%" : "",
			 cfg->deployment.max_unavailable.value,
			 cfg->deployment.max_unavailable.is_percent ? "%" : "");
	}
	for (k = 0; k < CONSUMER_COUNT; k++)
		cfg->network.propagation[k] = rand_time(&st, 3 * S);
	util = (double)sm_range(&st, 10, 90) / 100;
	rate = fmin(util * cap * replicas, 600) * rate_scale;
	t->rate_per_s = rate;
	t->arrivals = sm_chance(&st, 50) ? ARRIVALS_POISSON : ARRIVALS_CONSTANT;
	t->start_ns = sm_range(&st, 5, 15) * S;
	t->lb = (enum lb_policy)sm_range(&st, 0, 2);
	t->via = (enum lb_consumer)sm_range(&st, 0, CONSUMER_COUNT - 1);
	t->keep_alive = sm_chance(&st, 40);
	t->conn_count = (int32_t)sm_range(&st, 1, 64);
	t->requests_per_conn = (int32_t)sm_range(&st, 0, 50);
	t->retries = sm_chance(&st, 50) ? (int32_t)sm_range(&st, 1, 3) : 0;
	t->retry_on = (uint32_t)sm_range(&st, 0, 127) & ~1u;
	t->retry_backoff_ns = sm_range(&st, 0, 300) * MS;
	t->timeout_ns = sm_chance(&st, 50) ? sm_range(&st, 50, 2000) * MS : 0;
	t->schedule = malloc(2 * sizeof(*t->schedule));
	cr_assert_not_null(t->schedule);
	t->n_schedule = 2;
	t->schedule[0].at_ns = sm_range(&st, 20, 100) * S;
	t->schedule[0].rate_per_s = rate * (double)sm_range(&st, 50, 100) / 100;
	c->min_rate = t->schedule[0].rate_per_s;
	t->schedule[1].at_ns = STOP;
	t->schedule[1].rate_per_s = 0;
	desc_add(c, " | rate %.1f/s (util %.2f) %s lb %d via %d keep-alive %d "
		 "(conns %d per %d) retries %d on 0x%x backoff %lldms timeout "
		 "%lldms", rate, util,
		 t->arrivals == ARRIVALS_POISSON ? "poisson" : "constant",
		 (int)t->lb, (int)t->via, t->keep_alive, t->conn_count,
		 t->requests_per_conn, t->retries, t->retry_on,
		 (long long)(t->retry_backoff_ns / MS),
		 (long long)(t->timeout_ns / MS));
	at = sm_range(&st, 30, 60) * S;
	tt_event(cfg, at, ACTION_SET_IMAGE, 1);
	desc_add(c, " | setImage at %llds", (long long)(at / S));
	if (sm_chance(&st, 50)) {
		at = sm_range(&st, 61, 100) * S;
		switch (sm_range(&st, 0, 2)) {
		case 0:
			e = tt_event(cfg, at, ACTION_DELETE_POD, 0);
			e->pick = PICK_RANDOM;
			e->revision = (int32_t)sm_range(&st, 1, 2);
			desc_add(c, ", deletePod rev %d", e->revision);
			break;
		case 1:
			e = tt_event(cfg, at, ACTION_SCALE, 0);
			/* up only: fewer pods could leave an unlimited
			 * queue a backlog that outlasts the run */
			e->replicas = (int32_t)sm_range(&st, replicas, 6);
			desc_add(c, ", scale to %d", e->replicas);
			break;
		default:
			tt_event(cfg, at, ACTION_SET_IMAGE, 0);
			desc_add(c, ", setImage back");
			break;
		}
		desc_add(c, " at %llds", (long long)(at / S));
	}
}

/* The new version's requests are some of the run's: each counted once,
 * by its final outcome, those before promotion among them. */
static void check_exposure(const struct tt_run *r, const struct pcase *c)
{
	const struct delivery_metrics *d = &r->m.delivery;
	uint64_t sum = 0;
	int k;

	for (k = 0; k < OUTCOME_COUNT; k++) {
		sum += d->new_outcome[k];
		cr_expect_leq(d->new_outcome[k], r->all.outcome[k],
			      "%s: new %s %llu > %llu", c->desc,
			      traffic_outcome_name((enum req_outcome)k),
			      (unsigned long long)d->new_outcome[k],
			      (unsigned long long)r->all.outcome[k]);
	}
	cr_expect_eq(d->new_requests, sum, "%s: new_requests", c->desc);
	cr_expect_eq(d->new_failed, sum - d->new_outcome[OUTCOME_OK],
		     "%s: new_failed", c->desc);
	cr_expect_eq(d->new_outcome[OUTCOME_NO_ENDPOINT], 0,
		     "%s: no_endpoint reached no pod", c->desc);
	cr_expect_leq(d->new_requests_before_promotion, d->new_requests,
		      "%s", c->desc);
	cr_expect_geq(d->extra_pod_seconds, 0, "%s", c->desc);
}

static void check_case(const struct tt_run *r, const struct world_config *cfg,
		       const struct pcase *c)
{
	const struct traffic_counts *a = &r->all;
	int k;

	tt_check_accounting(r, c->desc, 1);
	cr_expect_gt(a->total, 0, "%s: no request", c->desc);
	/* a window that should hold 20 arrivals or more (Poisson: none with
	 * probability e^-20) holds some; a rollout of pods that are Ready at
	 * once (pull 0, no probe) takes no time at all. With two rollouts,
	 * window_start / window_end span both (first trigger to last
	 * completion) while the window counts requests only while one is in
	 * progress: single-rollout cases only. */
	if (cfg->n_events == 1 && r->m.window_end_ns > r->m.window_start_ns &&
	    (double)(r->m.window_end_ns - r->m.window_start_ns) / S *
			    c->min_rate >= 20)
		cr_expect_gt(r->win.total, 0, "%s: no request in the rollout "
			     "window [%lld, %lld] ns", c->desc,
			     (long long)r->m.window_start_ns,
			     (long long)r->m.window_end_ns);
	cr_expect_geq(r->m.mean_in_flight, 0, "%s", c->desc);
	if (cfg->traffic.retries == 0) {
		cr_expect_eq(a->attempts, a->total, "%s: attempts %llu without "
			     "retries, total %llu", c->desc,
			     (unsigned long long)a->attempts,
			     (unsigned long long)a->total);
		for (k = 0; k < OUTCOME_COUNT; k++)
			cr_expect_eq(a->first_try[k], a->outcome[k],
				     "%s: no retries but first-try %s %llu, "
				     "final %llu", c->desc,
				     traffic_outcome_name((enum req_outcome)k),
				     (unsigned long long)a->first_try[k],
				     (unsigned long long)a->outcome[k]);
	} else {
		cr_expect_leq(a->attempts,
			      a->total * (uint64_t)(cfg->traffic.retries + 1),
			      "%s: attempts %llu > (retries + 1) total",
			      c->desc, (unsigned long long)a->attempts);
	}
	if (cfg->traffic.timeout_ns == 0)
		cr_expect_eq(a->outcome[OUTCOME_TIMEOUT], 0,
			     "%s: %llu timeouts without a client timeout",
			     c->desc,
			     (unsigned long long)a->outcome[OUTCOME_TIMEOUT]);
	check_exposure(r, c);
	if (!c->app_errors)
		cr_expect_eq(a->first_try[OUTCOME_APP_ERROR], 0,
			     "%s: %llu app errors without an errorRate",
			     c->desc, (unsigned long long)
					      a->first_try[OUTCOME_APP_ERROR]);
	if (c->all_unlimited)
		cr_expect_eq(a->first_try[OUTCOME_OVERLOAD], 0,
			     "%s: %llu overloads with unlimited queues",
			     c->desc,
			     (unsigned long long)
				     a->first_try[OUTCOME_OVERLOAD]);
}

static int counts_equal(const struct traffic_counts *x,
			const struct traffic_counts *y)
{
	return x->total == y->total && x->attempts == y->attempts &&
	       memcmp(x->outcome, y->outcome, sizeof(x->outcome)) == 0 &&
	       memcmp(x->first_try, y->first_try, sizeof(x->first_try)) == 0 &&
	       x->latency.count == y->latency.count &&
	       x->latency.sum == y->latency.sum &&
	       x->latency.max == y->latency.max &&
	       memcmp(x->latency.bucket, y->latency.bucket,
		      sizeof(x->latency.bucket)) == 0;
}

Test(traffic, accounting_over_random_rollouts, .timeout = 120)
{
	uint64_t seeds = BASE_SEED;
	uint64_t outcomes[OUTCOME_COUNT] = { 0 };
	int i, k;

	for (i = 0; i < N_CASES; i++) {
		struct world_config cfg;
		struct pcase c;
		struct tt_run *r;
		uint64_t case_seed = sm_next(&seeds);

		c.idx = i;
		build_case(&cfg, &c, case_seed, 1.0);
		r = tt_run(&cfg, 0);
		check_case(r, &cfg, &c);
		for (k = 0; k < OUTCOME_COUNT; k++)
			outcomes[k] += r->all.outcome[k];
		if (i % 4 == 0) {           /* same seed, same run */
			struct tt_run *again = tt_run(&cfg, 0);

			int same = counts_equal(&r->all, &again->all) &&
				   counts_equal(&r->win, &again->win) &&
				   r->row_requests == again->row_requests &&
				   r->counts_hash == again->counts_hash;

			cr_expect(same, "%s: a second run differs", c.desc);
			free(again);
		}
		if (i % 4 == 1) {           /* traffic leaves the pods alone */
			struct world_config half;
			struct pcase ch;
			struct tt_run *h;

			ch.idx = i;
			build_case(&half, &ch, case_seed, 0.5);
			h = tt_run(&half, 0);
			cr_expect(h->n_counts == r->n_counts &&
					  h->counts_hash == r->counts_hash,
				  "%s: halving the rate changed the pods' "
				  "timeline (%zu vs %zu count changes)",
				  c.desc, h->n_counts, r->n_counts);
			check_case(h, &half, &ch);
			free(h);
			world_config_release(&half);
		}
		free(r);
		world_config_release(&cfg);
	}
	/* the cases do meet every cause */
	for (k = 0; k < OUTCOME_COUNT; k++)
		cr_expect_gt(outcomes[k], 0, "no case had a %s outcome",
			     traffic_outcome_name((enum req_outcome)k));
	cr_log_info("outcomes over %d cases: ok %llu no_endpoint %llu refused "
		    "%llu overload %llu timeout %llu reset %llu app_error "
		    "%llu", N_CASES,
		    (unsigned long long)outcomes[0],
		    (unsigned long long)outcomes[1],
		    (unsigned long long)outcomes[2],
		    (unsigned long long)outcomes[3],
		    (unsigned long long)outcomes[4],
		    (unsigned long long)outcomes[5],
		    (unsigned long long)outcomes[6]);
}

/* ----------------------------------------------------------- the edges */

/* The run ends at 20 s, exactly on a per-second boundary and on an
 * arrival (constant arrivals every 10 ms from 10 s: 1000 arrivals, the
 * last at 20 s, which runs: events at the end time run). The row of
 * [19 s, 20 s) is emitted at 20 s; the arrival at 20 s and anything else
 * counted after that emission must still reach a row, or the rows do not
 * sum to the totals. Service 7 ms: 999 answered, the last in flight. */
Test(traffic, rows_sum_to_totals_when_the_run_ends_on_an_arrival)
{
	struct world_config cfg;
	struct tt_run *r;

	tt_config(&cfg, 1, 1, 100, TT_START + 10 * S);
	cfg.traffic.arrivals = ARRIVALS_CONSTANT;
	cfg.images[0].concurrency = 1;
	cfg.images[0].service_time = dist_constant(7 * MS);
	r = tt_run(&cfg, 0);
	cr_expect_eq(r->all.total + r->all.unfinished, 1000,
		     "total %llu + unfinished %llu",
		     (unsigned long long)r->all.total,
		     (unsigned long long)r->all.unfinished);
	cr_expect_eq(r->all.outcome[OUTCOME_OK], 999, "ok %llu",
		     (unsigned long long)r->all.outcome[OUTCOME_OK]);
	cr_expect_eq(r->all.unfinished, 1, "unfinished %llu",
		     (unsigned long long)r->all.unfinished);
	cr_expect_eq(r->row_requests, 1000,
		     "per-second rows hold %llu requests",
		     (unsigned long long)r->row_requests);
	tt_check_accounting(r, "end on an arrival", 0);
	free(r);
	world_config_release(&cfg);
}

/* A run that ends with requests in the pods (no timeout, no retries):
 * they have no outcome, so they are not in total (total = ok + failed)
 * but in unfinished, which is exactly the requests in flight at the end. */
Test(traffic, unresolved_at_the_end_are_the_requests_in_flight)
{
	struct world_config cfg;
	struct tt_run *r;
	uint64_t resolved;

	tt_config(&cfg, 1, 3, 300, TT_START + 30 * S + 123 * MS);
	cfg.images[0].service_time.a_ns = 50 * MS;
	cfg.images[0].queue_capacity = QUEUE_UNLIMITED;
	r = tt_run(&cfg, 0);
	resolved = r->all.outcome[OUTCOME_OK] + tt_failed(r->all.outcome);
	tt_check_accounting(r, "ends in flight", 0);
	cr_expect_gt(r->last_in_flight, 0);
	cr_expect_eq(r->all.total, resolved, "total %llu != resolved %llu",
		     (unsigned long long)r->all.total,
		     (unsigned long long)resolved);
	cr_expect_eq(r->all.unfinished, (uint64_t)r->last_in_flight,
		     "unfinished %llu != in flight at the end %d",
		     (unsigned long long)r->all.unfinished, r->last_in_flight);
	free(r);
	world_config_release(&cfg);
}
