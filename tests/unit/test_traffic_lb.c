/* test_traffic_lb.c - load balancing and keep-alive connections
 * (models/traffic.c lb_pick, route).
 *
 * Per-pod request counts are not observable through world.h, so the
 * spread is read off overloads: N pods of concurrency 1 and no queue, a
 * request every T (constant arrivals) and a constant service time s. A
 * pod that is sent two requests less than s apart refuses the second for
 * overload. Round robin sends pod j (0-based, in the view's order) exactly
 * the arrivals k = j + 1 (mod N), N T apart:
 *   s < N T: no request is ever refused (s = 49 ms, N T = 50 ms: a pod
 *   sent two requests less than 5 arrivals apart refuses the second);
 *   N T < s < 2 N T: every pod refuses exactly every other request it
 *   gets: of K arrivals, pod j gets K_j = ceil((K - j) / N) and serves
 *   ceil(K_j / 2).
 * Random routing at s < N T refuses 4/9 of the requests (derived below).
 * Least request (power of two choices) against random at high load:
 * 10 pods of concurrency 1, unlimited queue, exponential service 20 ms,
 * utilisation 0.9: with random routing each pod is an M/M/1 queue, whose
 * response time is exponential with rate mu - lambda_pod = 5/s,
 * p99 = ln(100) / 5 = 0.92 s; two choices cut the queues (the supermarket
 * model) and the p99 several-fold (about 4.4 times here). The test
 * requires p99(leastRequest) < p99(random) / 2 on every one of 4
 * replications (the M/M/1 law of the random case itself is checked in
 * ../stats/test_queueing.c).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#define TT_INTERFACE_ONLY
#include "test_traffic_world.c"

#include "sim/core/dist.h"
#include "sim/core/stats.h"

#define S TT_S
#define MS TT_MS
#define GAP (10 * MS)
#define PODS 5
#define STOP (TT_START + 20 * S + 5 * MS)

/* PODS pods of concurrency 1, no queue, constant service s; constant
 * arrivals every GAP from TT_START to STOP; until STOP + 2 s. */
static void spread_config(struct world_config *cfg, sim_time_t s,
			  enum lb_policy lb)
{
	tt_config(cfg, 1, PODS, (double)S / GAP, STOP + 2 * S);
	cfg->traffic.arrivals = ARRIVALS_CONSTANT;
	cfg->traffic.lb = lb;
	cfg->images[0].concurrency = 1;
	cfg->images[0].queue_capacity = 0;
	cfg->images[0].service_time = dist_constant(s);
	tt_stop(cfg, STOP);
}

static uint64_t arrivals(void)
{
	return (uint64_t)((STOP - TT_START - 1) / GAP);
}

Test(traffic, round_robin_spreads_exactly_evenly)
{
	struct world_config cfg;
	struct tt_run *r;
	uint64_t k = arrivals(), served = 0, kj;
	int j;

	/* s = 49 ms < N T = 50 ms: nothing refused */
	spread_config(&cfg, 49 * MS, LB_ROUND_ROBIN);
	r = tt_run(&cfg, 0);
	tt_check_accounting(r, "rr 49 ms", 1);
	cr_expect_eq(r->all.total, k);
	cr_expect_eq(r->all.outcome[OUTCOME_OK], k,
		     "rr 49 ms: %llu of %llu ok (overload %llu)",
		     (unsigned long long)r->all.outcome[OUTCOME_OK],
		     (unsigned long long)k,
		     (unsigned long long)r->all.outcome[OUTCOME_OVERLOAD]);
	free(r);
	world_config_release(&cfg);

	/* s = 61 ms in (N T, 2 N T): every other request of each pod */
	spread_config(&cfg, 61 * MS, LB_ROUND_ROBIN);
	r = tt_run(&cfg, 0);
	for (j = 0; j < PODS; j++) {
		kj = (k - (uint64_t)j + PODS - 1) / PODS;
		served += (kj + 1) / 2;
	}
	tt_check_accounting(r, "rr 61 ms", 1);
	cr_expect_eq(r->all.outcome[OUTCOME_OK], served,
		     "rr 61 ms: ok %llu, expected %llu",
		     (unsigned long long)r->all.outcome[OUTCOME_OK],
		     (unsigned long long)served);
	cr_expect_eq(r->all.outcome[OUTCOME_OVERLOAD], k - served,
		     "rr 61 ms: overload %llu, expected %llu",
		     (unsigned long long)r->all.outcome[OUTCOME_OVERLOAD],
		     (unsigned long long)(k - served));
	free(r);
	world_config_release(&cfg);
}

/* The same 49 ms load routed at random. Each arrival goes to a given pod
 * with probability p = 1/N, independently; a pod that accepts a request
 * at t is busy for the next b = ceil(s / T) - 1 = 4 arrivals (up to
 * t + 40 ms < t + 49 ms) and refuses whatever it is sent then. Its cycle
 * is: accept, b arrivals busy, then idle until an arrival is routed to it
 * (1/p arrivals on average, the accepting one included): b + 1/p
 * arrivals, of which p b + 1 are routed to it and one is served. So the
 * refused fraction is p b / (1 + p b) = 0.8 / 1.8 = 4/9. Checked over
 * 10 replications (Student t interval, alpha 1e-4, as in
 * test_queueing.c). Power of two choices refuses only when both picks are
 * busy: fewer than random. */
#define RND_REPS 10

Test(traffic, random_and_least_request_do_not_spread_evenly)
{
	const double p = 1.0 / PODS, b = 4, want = p * b / (1 + p * b);
	double f_rnd[RND_REPS], f_lr[RND_REPS];
	struct tt_interval ci;
	uint64_t k = arrivals();
	int rep;

	for (rep = 0; rep < RND_REPS; rep++) {
		struct world_config cfg;
		struct tt_run *rnd, *lr;

		spread_config(&cfg, 49 * MS, LB_RANDOM);
		rnd = tt_run(&cfg, (uint32_t)rep);
		world_config_release(&cfg);
		spread_config(&cfg, 49 * MS, LB_LEAST_REQUEST);
		lr = tt_run(&cfg, (uint32_t)rep);
		world_config_release(&cfg);
		tt_check_accounting(rnd, "random 49 ms", 1);
		tt_check_accounting(lr, "least request 49 ms", 1);
		f_rnd[rep] = (double)rnd->all.outcome[OUTCOME_OVERLOAD] /
			     (double)k;
		f_lr[rep] = (double)lr->all.outcome[OUTCOME_OVERLOAD] /
			    (double)k;
		cr_expect_lt(f_lr[rep], f_rnd[rep],
			     "rep %d: least request refused %.4f, not fewer "
			     "than random %.4f", rep, f_lr[rep], f_rnd[rep]);
		free(rnd);
		free(lr);
	}
	ci = tt_t_interval(f_rnd, RND_REPS, 1e-4);
	cr_log_info("49 ms, 5 pods: overloaded random %.4f +- %.4f (theory "
		    "%.4f), least request %.4f, round robin 0", ci.mean,
		    ci.half, want, tt_t_interval(f_lr, RND_REPS, 1e-4).mean);
	cr_expect_leq(fabs(ci.mean - want), ci.half,
		      "random: overload fraction %.4f +- %.4f, theory %.4f",
		      ci.mean, ci.half, want);
	cr_expect_lt(ci.half, 0.05 * want, "interval too wide: %.4f",
		     ci.half);
}

#define HL_PODS 10
#define HL_REPS 4
#define HL_RUN (200 * S)

Test(traffic, least_request_cuts_p99_at_high_load, .timeout = 60)
{
	const double mu = 50, lambda_pod = 45;
	const double p99_mm1 = log(100) / (mu - lambda_pod);
	int rep, k;

	for (rep = 0; rep < HL_REPS; rep++) {
		double p99[2];

		for (k = 0; k < 2; k++) {
			struct world_config cfg;
			struct tt_run *r;
			char name[64];

			tt_config(&cfg, 1, HL_PODS, HL_PODS * lambda_pod,
				  TT_START + HL_RUN + 20 * S);
			cfg.traffic.lb = k ? LB_LEAST_REQUEST : LB_RANDOM;
			cfg.images[0].concurrency = 1;
			cfg.images[0].queue_capacity = QUEUE_UNLIMITED;
			tt_stop(&cfg, TT_START + HL_RUN);
			r = tt_run(&cfg, (uint32_t)rep);
			snprintf(name, sizeof(name), "%s rep %d",
				 k ? "least request" : "random", rep);
			tt_check_accounting(r, name, 1);
			cr_expect_eq(r->all.outcome[OUTCOME_OK], r->all.total,
				     "%s: not all ok", name);
			p99[k] = hist_quantile(&r->all.latency, 0.99) / S;
			free(r);
			world_config_release(&cfg);
		}
		cr_log_info("rep %d: p99 random %.4f s (M/M/1 %.4f s), least "
			    "request %.4f s", rep, p99[0], p99_mm1, p99[1]);
		cr_expect_lt(p99[1], p99[0] / 2,
			     "rep %d: p99 least request %.4f s not under half "
			     "of random's %.4f s", rep, p99[1], p99[0]);
	}
}

/* Keep-alive with a single client connection: it is opened once (round
 * robin: to the first pod) and kept, so every request goes to that pod,
 * overloaded or not: with s = 25 ms, of K arrivals ceil(K / 3) are served
 * (the single-pod pattern, m = ceil(25 / 10) = 3). With
 * requestsPerConnection 1 the client closes the connection after each
 * request and every request is routed anew: round robin, all served. */
Test(traffic, keep_alive_pins_requests_to_a_pod)
{
	static const struct {
		const char *name;
		int32_t per_conn;
	} rows[] = { { "keep-alive, 1 connection", 0 },
		     { "keep-alive, 1 request per connection", 1 } };
	uint64_t k = arrivals();
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(*rows); i++) {
		struct world_config cfg;
		struct tt_run *r;
		uint64_t want = rows[i].per_conn ? k : (k + 2) / 3;

		spread_config(&cfg, 25 * MS, LB_ROUND_ROBIN);
		cfg.traffic.keep_alive = 1;
		cfg.traffic.conn_count = 1;
		cfg.traffic.requests_per_conn = rows[i].per_conn;
		r = tt_run(&cfg, 0);
		tt_check_accounting(r, rows[i].name, 1);
		cr_expect_eq(r->all.outcome[OUTCOME_OK], want,
			     "%s: ok %llu, expected %llu", rows[i].name,
			     (unsigned long long)r->all.outcome[OUTCOME_OK],
			     (unsigned long long)want);
		cr_expect_eq(r->all.outcome[OUTCOME_OVERLOAD], k - want,
			     "%s: overload %llu, expected %llu", rows[i].name,
			     (unsigned long long)
				     r->all.outcome[OUTCOME_OVERLOAD],
			     (unsigned long long)(k - want));
		free(r);
		world_config_release(&cfg);
	}
}
