/* test_traffic_service.c - arrivals, routing views and per-pod service
 * details (models/traffic.c): the rate schedule, the consumer whose
 * endpoint view routes, warm-up, acceptDuringShutdown, and two
 * boundaries: the client timeout, and a pod freed at an arrival instant.
 *
 * As in test_traffic_causes.c, arrivals and every time are constant, the
 * expected values are derived by hand beside each test, and no arrival
 * coincides with a state change unless the test is about that instant.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#define TT_INTERFACE_ONLY
#include "test_traffic_world.c"

#include "models/probe.h"
#include "sim/core/dist.h"

#define S TT_S
#define MS TT_MS

/* One pod, constant arrivals at rate from `start`, ample capacity
 * (concurrency 100, unlimited queue), constant service 10 ms. */
static void one_pod(struct world_config *cfg, sim_time_t start, double rate,
		    sim_time_t until)
{
	tt_config(cfg, 1, 1, rate, until);
	cfg->traffic.arrivals = ARRIVALS_CONSTANT;
	cfg->traffic.start_ns = start;
	cfg->images[0].concurrency = 100;
	cfg->images[0].queue_capacity = QUEUE_UNLIMITED;
	cfg->images[0].service_time = dist_constant(10 * MS);
}

/* Rate schedule: 10/s from 10 s, 25/s from 15.05 s, 0 from 20.03 s. The
 * arrival process restarts at each step (traffic.c): arrivals at
 * 10 s + k 100 ms < 15.05 s (k = 1..50), then 15.05 s + k 40 ms <
 * 20.03 s (k = 1..124), then none: 174. */
Test(traffic, rate_schedule_steps)
{
	struct world_config cfg;
	struct tt_run *r;

	one_pod(&cfg, TT_START, 10, 25 * S);
	cfg.traffic.schedule = malloc(2 * sizeof(*cfg.traffic.schedule));
	cr_assert_not_null(cfg.traffic.schedule);
	cfg.traffic.n_schedule = 2;
	cfg.traffic.schedule[0].at_ns = 15050 * MS;
	cfg.traffic.schedule[0].rate_per_s = 25;
	cfg.traffic.schedule[1].at_ns = 20030 * MS;
	cfg.traffic.schedule[1].rate_per_s = 0;
	r = tt_run(&cfg, 0);
	cr_expect_eq(r->all.total, 50 + 124, "total %llu, expected 174",
		     (unsigned long long)r->all.total);
	cr_expect_eq(r->all.outcome[OUTCOME_OK], r->all.total);
	tt_check_accounting(r, "rate schedule", 1);
	free(r);
	world_config_release(&cfg);
}

/* Each consumer routes by its own view: the pod is Ready at 5.01 s (pull
 * 5.01 s, no probe); kube-proxy learns of it at once, the ingress 1.01 s
 * later. Traffic from 0, every 80 ms: via kube-proxy the arrivals before
 * 5.01 s find no endpoint (80 k < 5010: k = 1..62), via the ingress those
 * before 6.02 s (80 k < 6020: k = 1..75). */
Test(traffic, each_consumer_routes_by_its_own_view)
{
	static const struct {
		enum lb_consumer via;
		uint64_t no_endpoint;
	} rows[] = { { CONSUMER_KUBE_PROXY, 62 }, { CONSUMER_INGRESS, 75 } };
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(*rows); i++) {
		struct world_config cfg;
		struct tt_run *r;

		one_pod(&cfg, 0, 12.5, 25 * S);
		tt_stop(&cfg, 20 * S);
		cfg.images[0].pull = dist_constant(5010 * MS);
		cfg.network.propagation[CONSUMER_KUBE_PROXY] = dist_constant(0);
		cfg.network.propagation[CONSUMER_INGRESS] =
			dist_constant(1010 * MS);
		cfg.traffic.via = rows[i].via;
		r = tt_run(&cfg, 0);
		cr_expect_eq(r->all.outcome[OUTCOME_NO_ENDPOINT],
			     rows[i].no_endpoint,
			     "via %d: no_endpoint %llu, expected %llu",
			     (int)rows[i].via,
			     (unsigned long long)
				     r->all.outcome[OUTCOME_NO_ENDPOINT],
			     (unsigned long long)rows[i].no_endpoint);
		cr_expect_eq(r->all.outcome[OUTCOME_OK],
			     r->all.total - rows[i].no_endpoint);
		tt_check_accounting(r, "via", 1);
		free(r);
		world_config_release(&cfg);
	}
}

/* Warm-up 20 s, factor 3: a request started at container age a < 20 s
 * is served in 10 ms x (3 - 2 a / 20 s), after that in 10 ms. The pod
 * starts at 0; arrivals every 100 ms from 10 s to 25 s (stop 25.05 s),
 * each served at once: its latency is its service time (whole ns: within
 * 1 ns of the formula). */
Test(traffic, warmup_slows_service_linearly)
{
	struct world_config cfg;
	struct tt_run *r;
	sim_time_t t;
	double sum = 0, max = 0;
	uint64_t n = 0;

	one_pod(&cfg, TT_START, 10, 30 * S);
	tt_stop(&cfg, 25050 * MS);
	cfg.images[0].warmup.duration_ns = 20 * S;
	cfg.images[0].warmup.factor = 3.0;
	r = tt_run(&cfg, 0);
	for (t = TT_START + 100 * MS; t < 25050 * MS; t += 100 * MS) {
		double f = t < 20 * S ? 3 - 2 * (double)t / (double)(20 * S)
				      : 1;

		sum += 1e7 * f;
		max = fmax(max, 1e7 * f);
		n++;
	}
	cr_expect_eq(r->all.outcome[OUTCOME_OK], n);
	cr_expect_leq(fabs(r->all.latency.sum - sum), (double)n,
		      "warm-up: latency sum %.17g ns, expected %.17g +- %llu",
		      r->all.latency.sum, sum, (unsigned long long)n);
	cr_expect_leq(fabs(r->all.latency.max - max), 1.0,
		      "warm-up: max latency %.17g ns, expected %.17g",
		      r->all.latency.max, max);
	tt_check_accounting(r, "warm-up", 1);
	free(r);
	world_config_release(&cfg);
}

/* The rollout of test_traffic_causes.c without a preStop sleep (3 pods,
 * propagation 2 s, readiness probe, Poisson 200/s), but the app accepts
 * during its shutdown, which lasts 3 s > 2 s of propagation: the load
 * balancers stop routing to an old pod before it stops accepting, and
 * it answers everything it took (10 ms) before it exits. No failure. */
Test(traffic, accept_during_shutdown_fails_nothing)
{
	struct world_config cfg;
	struct tt_run *r;
	size_t i;

	tt_config(&cfg, 2, 3, 200, 100 * S);
	for (i = 0; i < 2; i++) {
		struct image_config *im = &cfg.images[i];

		probe_config_defaults(&im->readiness);
		im->readiness.period_ns = 1 * S;
		im->startup = dist_constant(1500 * MS);
		im->shutdown = dist_constant(3 * S);
		im->accept_during_shutdown = 1;
		im->concurrency = 100;
		im->queue_capacity = QUEUE_UNLIMITED;
		im->service_time = dist_constant(10 * MS);
	}
	cfg.network.propagation[CONSUMER_KUBE_PROXY] = dist_constant(2 * S);
	cfg.network.propagation[CONSUMER_INGRESS] = dist_constant(2 * S);
	tt_stop(&cfg, 90 * S);
	tt_event(&cfg, 30 * S, ACTION_SET_IMAGE, 1);
	r = tt_run(&cfg, 0);
	cr_expect_eq(r->m.complete, 1);
	cr_expect_gt(r->win.total, 0);
	cr_expect_eq(tt_failed(r->all.outcome), 0,
		     "acceptDuringShutdown: %llu failed (refused %llu, reset "
		     "%llu)", (unsigned long long)tt_failed(r->all.outcome),
		     (unsigned long long)r->all.outcome[OUTCOME_REFUSED],
		     (unsigned long long)r->all.outcome[OUTCOME_RESET]);
	tt_check_accounting(r, "acceptDuringShutdown", 1);
	free(r);
	world_config_release(&cfg);
}

/* The client timeout at its boundary: a response that comes exactly
 * `timeout` after the request was sent is judged the same whether the
 * request was served at once or waited in the queue first.
 *   served at once: one request, service 150 ms = timeout 150 ms;
 *   queued: two requests 50 ms apart, service 100 ms, timeout 150 ms:
 *   the second waits 50 ms and is answered 150 ms after it was sent.
 * Both are answered at the timeout; both must have the same outcome. */
Test(traffic, timeout_boundary_same_queued_or_not)
{
	struct world_config cfg;
	struct tt_run *a, *b;
	const sim_time_t to = 150 * MS;

	one_pod(&cfg, TT_START, 20, TT_START + 5 * S);
	cfg.images[0].concurrency = 1;
	cfg.images[0].service_time = dist_constant(150 * MS);
	cfg.traffic.timeout_ns = to;
	tt_stop(&cfg, TT_START + 60 * MS);          /* one arrival */
	a = tt_run(&cfg, 0);
	world_config_release(&cfg);

	one_pod(&cfg, TT_START, 20, TT_START + 5 * S);
	cfg.images[0].concurrency = 1;
	cfg.images[0].service_time = dist_constant(100 * MS);
	cfg.traffic.timeout_ns = to;
	tt_stop(&cfg, TT_START + 120 * MS);         /* two arrivals */
	b = tt_run(&cfg, 0);
	world_config_release(&cfg);

	cr_assert_eq(a->all.total, 1);
	cr_assert_eq(b->all.total, 2);
	tt_check_accounting(a, "timeout boundary, served at once", 1);
	tt_check_accounting(b, "timeout boundary, queued", 1);
	/* b's first request (100 ms) is ok either way */
	cr_expect_eq(b->all.outcome[OUTCOME_OK] - 1, a->all.outcome[OUTCOME_OK],
		     "answered exactly at the timeout: served at once -> %s, "
		     "queued first -> %s",
		     a->all.outcome[OUTCOME_OK] ? "ok" : "timeout",
		     b->all.outcome[OUTCOME_OK] == 2 ? "ok" : "timeout");
	free(a);
	free(b);
}

/* A pod that becomes free at the very instant a request arrives takes
 * it, whatever the order in which the two events were scheduled (as a
 * response due exactly at the client deadline is in time). One pod,
 * concurrency 1, no queue, a request every T = 10 ms (K = 100), constant
 * service s = m T: each accepted request frees the pod exactly when the
 * m-th next arrives, which is accepted: ceil(K / m) served, the rest
 * refused for overload. For m = 1 the pod is never busy at an arrival.
 * (The arrival at t + T is scheduled at t, before the completion of the
 * request accepted at t; the arrival at t + m T, m >= 2, after it.) */
Test(traffic, pod_free_at_the_arrival_instant_takes_it)
{
	static const uint64_t ms[] = { 1, 2, 3 };
	size_t i;

	for (i = 0; i < sizeof(ms) / sizeof(*ms); i++) {
		struct world_config cfg;
		struct tt_run *r;
		uint64_t k = 100, want = (k + ms[i] - 1) / ms[i];

		one_pod(&cfg, TT_START, 100, TT_START + 3 * S);
		cfg.images[0].concurrency = 1;
		cfg.images[0].queue_capacity = 0;
		cfg.images[0].service_time =
			dist_constant((sim_time_t)ms[i] * 10 * MS);
		tt_stop(&cfg, TT_START + 1 * S + 5 * MS);
		r = tt_run(&cfg, 0);
		cr_expect_eq(r->all.total, k);
		cr_expect_eq(r->all.outcome[OUTCOME_OK], want,
			     "service %llu x 10 ms: ok %llu, expected %llu "
			     "(overload %llu)", (unsigned long long)ms[i],
			     (unsigned long long)r->all.outcome[OUTCOME_OK],
			     (unsigned long long)want,
			     (unsigned long long)
				     r->all.outcome[OUTCOME_OVERLOAD]);
		tt_check_accounting(r, "free at the arrival instant", 1);
		free(r);
		world_config_release(&cfg);
	}
}
