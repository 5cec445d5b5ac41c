/* test_traffic_causes.c - each cause of a failed request, constructed and
 * counted exactly (models/traffic.c).
 *
 * Arrivals are constant (evenly spaced: arrival k at start + k gap) and
 * every other time (pull, startup, propagation, service, shutdown, grace,
 * crash) is constant, so the outcome of each request follows from the
 * timeline by hand; the expected counts are derived beside each test.
 * Times are chosen so that no arrival coincides with a state change
 * (e.g. changes at x.x10 s, arrivals on a 20 ms or 100 ms grid): at an
 * exact tie the order of two events is the order they were scheduled in,
 * which is not what these tests are about. Arrivals stop (a rate step to
 * 0) well before the end, so every request is resolved and the run's
 * accounting must balance exactly (test_traffic_world.c).
 *
 * Also the two rollout cases: readiness probe + preStop sleep longer than
 * the endpoint propagation + ample capacity => no failed request at all;
 * the same without the preStop sleep => refused requests (the app stops
 * accepting at SIGTERM while the load balancers still route to it).
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

static void expect_outcomes(const struct tt_run *r, const uint64_t *want,
			    const char *name)
{
	int k;

	for (k = 0; k < OUTCOME_COUNT; k++)
		cr_expect_eq(r->all.outcome[k], want[k],
			     "%s: %s %llu, expected %llu", name,
			     traffic_outcome_name((enum req_outcome)k),
			     (unsigned long long)r->all.outcome[k],
			     (unsigned long long)want[k]);
}

/* Number of arrivals k >= 1 with start + k gap < stop. */
static uint64_t arrivals_before(sim_time_t start, sim_time_t gap,
				sim_time_t stop)
{
	return (uint64_t)((stop - start - 1) / gap);
}

/* One pod, constant arrivals every gap from `start`, stopping at stop,
 * until stop + 5 s; ample capacity (concurrency 100, unlimited queue),
 * constant service 10 ms. */
static void one_pod(struct world_config *cfg, sim_time_t start,
		    sim_time_t gap, sim_time_t stop)
{
	tt_config(cfg, 1, 1, (double)S / gap, stop + 5 * S);
	cfg->traffic.arrivals = ARRIVALS_CONSTANT;
	cfg->traffic.start_ns = start;
	cfg->images[0].concurrency = 100;
	cfg->images[0].queue_capacity = QUEUE_UNLIMITED;
	cfg->images[0].service_time = dist_constant(10 * MS);
	tt_stop(cfg, stop);
}

/* no_endpoint: traffic from t = 0, gap 80 ms; the only pod pulls its
 * image for 5 s, is Ready (no probe) at 5 s and reaches the load
 * balancer after the propagation delay 1.01 s, at 6.01 s. Arrivals
 * 80 k ms < 6010 ms, k = 1..75, find no endpoint; all later ones are ok.
 * Until 20 s: 249 arrivals (80 k < 20000). */
Test(traffic, cause_no_endpoint_before_first_endpoint)
{
	struct world_config cfg;
	struct tt_run *r;
	uint64_t want[OUTCOME_COUNT] = { 0 }, n;

	one_pod(&cfg, 0, 80 * MS, 20 * S);
	cfg.images[0].pull = dist_constant(5 * S);
	cfg.network.propagation[CONSUMER_KUBE_PROXY] =
		dist_constant(1010 * MS);
	cfg.network.propagation[CONSUMER_INGRESS] = dist_constant(1010 * MS);
	r = tt_run(&cfg, 0);
	n = arrivals_before(0, 80 * MS, 20 * S);
	cr_expect_eq(n, 249);
	cr_expect_eq(r->all.total, n, "total %llu, expected %llu",
		     (unsigned long long)r->all.total, (unsigned long long)n);
	want[OUTCOME_NO_ENDPOINT] = 75;
	want[OUTCOME_OK] = n - 75;
	expect_outcomes(r, want, "no_endpoint");
	cr_expect_eq(r->all.first_try[OUTCOME_NO_ENDPOINT], 75);
	cr_expect_eq(r->all.attempts, n, "no retries: attempts %llu",
		     (unsigned long long)r->all.attempts);
	tt_check_accounting(r, "no_endpoint", 1);
	free(r);
	world_config_release(&cfg);
}

/* The timeline of one pod with pull 2.01 s, startup 3 s, no readiness
 * probe, propagation 0: an endpoint from 2.01 s (Ready at container
 * start), the app up at 5.01 s. A try at t meets: */
static enum req_outcome refused_timeline(sim_time_t t)
{
	if (t < 2010 * MS)
		return OUTCOME_NO_ENDPOINT;
	if (t < 5010 * MS)
		return OUTCOME_REFUSED;
	return OUTCOME_OK;
}

static void refused_config(struct world_config *cfg)
{
	one_pod(cfg, 0, 80 * MS, 20 * S);
	cfg->images[0].pull = dist_constant(2010 * MS);
	cfg->images[0].startup = dist_constant(3 * S);
}

/* refused: without a readiness probe the pod is an endpoint from its
 * container start (2.01 s) but its app answers only from 5.01 s: the
 * arrivals 80 k ms in [2010, 5010), k = 26..62, are refused (37); the 25
 * before find no endpoint. */
Test(traffic, cause_refused_before_app_up)
{
	struct world_config cfg;
	struct tt_run *r;
	uint64_t want[OUTCOME_COUNT] = { 0 }, n;
	sim_time_t t;

	refused_config(&cfg);
	cfg.traffic.retries = 0;
	r = tt_run(&cfg, 0);
	n = arrivals_before(0, 80 * MS, 20 * S);
	for (t = 80 * MS; t < 20 * S; t += 80 * MS)
		want[refused_timeline(t)]++;
	cr_expect_eq(want[OUTCOME_REFUSED], 37);
	cr_expect_eq(want[OUTCOME_NO_ENDPOINT], 25);
	cr_expect_eq(r->all.total, n);
	expect_outcomes(r, want, "refused");
	tt_check_accounting(r, "refused", 1);
	free(r);
	world_config_release(&cfg);
}

/* retries: the same timeline with retries.count 2, backoff 100 ms, on
 * the default outcomes (no_endpoint, refused, reset). A request arriving
 * at t is tried at t, t + 100 ms, t + 200 ms until a try is ok; its final
 * outcome is that of its last try, its latency (first arrival to
 * response) 100 j ms + 10 ms when try j (0, 1, 2) is ok. Tries fall on a
 * 20 ms grid, the changes at x.x10 s: no tie. */
Test(traffic, cause_retries_on_refused)
{
	struct world_config cfg;
	struct tt_run *r;
	uint64_t final[OUTCOME_COUNT] = { 0 }, first[OUTCOME_COUNT] = { 0 };
	uint64_t attempts = 0, n = 0;
	double lat_sum = 0, lat_max = 0;
	sim_time_t t;
	int j, k;

	refused_config(&cfg);
	cfg.traffic.retries = 2;
	cfg.traffic.retry_backoff_ns = 100 * MS;
	r = tt_run(&cfg, 0);
	for (t = 80 * MS; t < 20 * S; t += 80 * MS) {
		enum req_outcome o = OUTCOME_OK;

		n++;
		for (j = 0; j <= 2; j++) {
			o = refused_timeline(t + j * 100 * MS);
			attempts++;
			if (j == 0)
				first[o]++;
			if (o == OUTCOME_OK) {
				double lat = (double)(j * 100 * MS + 10 * MS);

				lat_sum += lat;
				lat_max = fmax(lat_max, lat);
				break;
			}
		}
		final[o]++;
	}
	cr_expect_eq(r->all.total, n);
	expect_outcomes(r, final, "retries");
	for (k = 0; k < OUTCOME_COUNT; k++)
		cr_expect_eq(r->all.first_try[k], first[k],
			     "retries: first try %s %llu, expected %llu",
			     traffic_outcome_name((enum req_outcome)k),
			     (unsigned long long)r->all.first_try[k],
			     (unsigned long long)first[k]);
	cr_expect_eq(r->all.attempts, attempts,
		     "retries: attempts %llu, expected total %llu + retries "
		     "%llu", (unsigned long long)r->all.attempts,
		     (unsigned long long)n, (unsigned long long)(attempts - n));
	cr_expect_gt(tt_failed(r->all.first_try), tt_failed(r->all.outcome),
		     "retries: first-try failures %llu not above final %llu",
		     (unsigned long long)tt_failed(r->all.first_try),
		     (unsigned long long)tt_failed(r->all.outcome));
	cr_expect_eq(r->all.latency.sum, lat_sum,
		     "retries: latency sum %.17g ns, expected %.17g",
		     r->all.latency.sum, lat_sum);
	cr_expect_eq(r->all.latency.max, lat_max,
		     "retries: max latency %.17g ns, expected %.17g",
		     r->all.latency.max, lat_max);
	tt_check_accounting(r, "retries", 1);
	free(r);
	world_config_release(&cfg);
}

/* overload: one pod, concurrency 1, queueCapacity 1, gap 10 ms, service
 * s = 23.9 ms + 1 ns (> 2 gap; a completion, at t_1 + j s, never falls on
 * the 10 ms grid within the run). The first arrival is served, the second
 * queued; from then on the pod is never idle, completing a request every
 * s, and each completion frees the one queue place, which the next
 * arrival takes; every other arrival finds the pod full. So of K arrivals
 * 2 + #{j >= 1 : t_1 + j s < t_K} are accepted, the rest overloaded. */
Test(traffic, cause_overload_queue_full)
{
	const sim_time_t gap = 10 * MS, s = 23900 * 1000 + 1;
	const sim_time_t stop = TT_START + 10 * S + 5 * MS;
	struct world_config cfg;
	struct tt_run *r;
	uint64_t want[OUTCOME_COUNT] = { 0 }, n, acc = 2;
	sim_time_t t1 = TT_START + gap, tk;

	one_pod(&cfg, TT_START, gap, stop);
	cfg.images[0].concurrency = 1;
	cfg.images[0].queue_capacity = 1;
	cfg.images[0].service_time = dist_constant(s);
	r = tt_run(&cfg, 0);
	n = arrivals_before(TT_START, gap, stop);
	tk = TT_START + (sim_time_t)n * gap;
	while (t1 + (sim_time_t)(acc - 1) * s < tk)
		acc++;
	want[OUTCOME_OK] = acc;
	want[OUTCOME_OVERLOAD] = n - acc;
	cr_expect_eq(r->all.total, n);
	expect_outcomes(r, want, "overload");
	tt_check_accounting(r, "overload", 1);
	free(r);
	world_config_release(&cfg);
}

/* timeout: one pod, concurrency 1, unlimited queue, constant service
 * 300 ms, client timeout 200 ms, gap 250 ms from 10 s, arrivals stop at
 * 20 s (K = 39), until 21 s. Every request would be answered >= 300 ms
 * after it arrived: all 39 time out (at t_k + 200 ms <= 19.95 s). The pod
 * still does the work: it is busy from t_1 = 10.25 s without a break
 * (arrivals every 250 ms < 300 ms), completing request k at
 * c_k = t_1 + k 300 ms; by 21 s it has completed 35 (c_35 = 20.75 s), so
 * 4 are still in it at the end, and the time-weighted number in the pod is
 * sum_k (min(c_k, until) - t_k) / (until - start). No completion
 * coincides with its own request's timeout. */
Test(traffic, cause_timeout_pod_keeps_working)
{
	const sim_time_t gap = 250 * MS, s = 300 * MS, until = 21 * S;
	struct world_config cfg;
	struct tt_run *r;
	uint64_t want[OUTCOME_COUNT] = { 0 }, n, k, done = 0;
	double area = 0;

	one_pod(&cfg, TT_START, gap, 20 * S);
	cfg.until_ns = until;
	cfg.images[0].concurrency = 1;
	cfg.images[0].service_time = dist_constant(s);
	cfg.traffic.timeout_ns = 200 * MS;
	r = tt_run(&cfg, 0);
	n = arrivals_before(TT_START, gap, 20 * S);
	cr_expect_eq(n, 39);
	for (k = 1; k <= n; k++) {
		sim_time_t tk = TT_START + (sim_time_t)k * gap;
		sim_time_t ck = TT_START + gap + (sim_time_t)k * s;

		done += ck <= until;
		area += (double)((ck <= until ? ck : until) - tk);
	}
	cr_expect_eq(done, 35);
	want[OUTCOME_TIMEOUT] = n;
	cr_expect_eq(r->all.total, n);
	expect_outcomes(r, want, "timeout");
	cr_expect_eq(r->all.first_try[OUTCOME_TIMEOUT], n);
	cr_expect_eq(r->last_in_flight, (int32_t)(n - done),
		     "timeout: %d requests in the pod at the end, expected "
		     "%llu", r->last_in_flight,
		     (unsigned long long)(n - done));
	cr_expect_float_eq(r->m.mean_in_flight,
			   area / (double)(until - TT_START), 1e-12,
			   "timeout: mean in flight %.15g, expected %.15g",
			   r->m.mean_in_flight,
			   area / (double)(until - TT_START));
	/* all resolved (timed out), but 4 still in the pod */
	tt_check_accounting(r, "timeout", 0);
	cr_expect_eq(tt_failed(r->all.outcome), n);
	free(r);
	world_config_release(&cfg);
}

/* reset: one pod, constant service 3 s (concurrency 100), gap 100 ms from
 * 10 s; deletePod of it at 20.05 s with preStop 0: SIGTERM then, the
 * endpoint gone at once (propagation 0) and a replacement Ready at
 * 20.05 s (pull 0) takes every later arrival. The old pod's requests are
 * those that arrived by 20.0 s and are not done:
 *   grace 1 s < shutdown 5 s: killed at 21.05 s; in it then the arrivals
 *   t with t + 3 s > 21.05 s, t = 18.1 .. 20.0: 20 resets;
 *   grace 30 s, shutdown 0.5 s: the app exits at 20.55 s; t + 3 s >
 *   20.55 s: t = 17.6 .. 20.0: 25 resets.
 * Everything else is ok. */
Test(traffic, cause_reset_at_kill_and_at_exit)
{
	static const struct {
		const char *name;
		sim_time_t grace, shutdown;
		uint64_t resets;
	} rows[] = {
		{ "reset: killed at the grace period", 1 * S, 5 * S, 20 },
		{ "reset: app exits before its requests are done", 30 * S,
		  500 * MS, 25 },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(*rows); i++) {
		struct world_config cfg;
		struct world_event *e;
		struct tt_run *r;
		uint64_t want[OUTCOME_COUNT] = { 0 }, n;

		one_pod(&cfg, TT_START, 100 * MS, 30 * S);
		cfg.images[0].service_time = dist_constant(3 * S);
		cfg.images[0].grace_ns = rows[i].grace;
		cfg.images[0].shutdown = dist_constant(rows[i].shutdown);
		e = tt_event(&cfg, 20050 * MS, ACTION_DELETE_POD, 0);
		e->pick = PICK_OLDEST;
		e->revision = 1;
		r = tt_run(&cfg, 0);
		n = arrivals_before(TT_START, 100 * MS, 30 * S);
		want[OUTCOME_RESET] = rows[i].resets;
		want[OUTCOME_OK] = n - rows[i].resets;
		cr_expect_eq(r->all.total, n);
		expect_outcomes(r, want, rows[i].name);
		cr_expect_eq(r->all.first_try[OUTCOME_RESET], rows[i].resets);
		cr_expect_eq(r->m.pods_created, 2, "%s: pods created %d",
			     rows[i].name, r->m.pods_created);
		tt_check_accounting(r, rows[i].name, 1);
		free(r);
		world_config_release(&cfg);
	}
}

/* A request the client has given up on (timeout) is still in the pod
 * until served; if the pod is killed first, it is not counted again as a
 * reset. The reset setup above (service 3 s, deletion at 20.05 s, killed
 * at 21.05 s) with a client timeout of 1.5 s: every request times out
 * 1.5 s after it was sent, except those still in the old pod at the kill
 * and not yet timed out: t + 1.5 s > 21.05 s, t = 19.6 .. 20.0: 5
 * resets. The 15 arrivals t = 18.1 .. 19.5, in the pod at the kill but
 * timed out, count as timeouts only. */
Test(traffic, cause_timeout_then_killed_counts_once)
{
	struct world_config cfg;
	struct world_event *e;
	struct tt_run *r;
	uint64_t want[OUTCOME_COUNT] = { 0 }, n;

	one_pod(&cfg, TT_START, 100 * MS, 30 * S);
	cfg.images[0].service_time = dist_constant(3 * S);
	cfg.images[0].grace_ns = 1 * S;
	cfg.images[0].shutdown = dist_constant(5 * S);
	cfg.traffic.timeout_ns = 1500 * MS;
	e = tt_event(&cfg, 20050 * MS, ACTION_DELETE_POD, 0);
	e->pick = PICK_OLDEST;
	e->revision = 1;
	r = tt_run(&cfg, 0);
	n = arrivals_before(TT_START, 100 * MS, 30 * S);
	want[OUTCOME_RESET] = 5;
	want[OUTCOME_TIMEOUT] = n - 5;
	cr_expect_eq(r->all.total, n);
	expect_outcomes(r, want, "timeout, then killed");
	tt_check_accounting(r, "timeout, then killed", 1);
	free(r);
	world_config_release(&cfg);
}

/* reset by a crash: the container exits by itself 15.05 s after it
 * started (t = 0); in it then the arrivals t with t + 3 s > 15.05 s,
 * t = 12.1 .. 15.0: 30 resets. It restarts at once (first restart: no
 * back-off) and is Ready again at 15.05 s, before the next arrival;
 * arrivals stop at 25 s and the run ends at 29 s, before its next crash
 * (30.1 s). */
Test(traffic, cause_reset_by_crash)
{
	struct world_config cfg;
	struct tt_run *r;
	uint64_t want[OUTCOME_COUNT] = { 0 }, n;

	one_pod(&cfg, TT_START, 100 * MS, 25 * S);
	cfg.until_ns = 29 * S;
	cfg.images[0].service_time = dist_constant(3 * S);
	cfg.images[0].crash.enabled = 1;
	cfg.images[0].crash.after = dist_constant(15050 * MS);
	cfg.images[0].crash.probability = 1.0;
	r = tt_run(&cfg, 0);
	n = arrivals_before(TT_START, 100 * MS, 25 * S);
	want[OUTCOME_RESET] = 30;
	want[OUTCOME_OK] = n - 30;
	cr_expect_eq(r->all.total, n);
	expect_outcomes(r, want, "crash");
	cr_expect_eq(r->m.restarts, 1, "crash: restarts %d", r->m.restarts);
	tt_check_accounting(r, "crash", 1);
	free(r);
	world_config_release(&cfg);
}

/* ------------------------------------------------------------ rollouts */

/* 3 replicas app:1 -> app:2 (setImage at 30 s, 25 %/25 %: one surge pod
 * at a time, none unavailable), both with a readiness probe (period 1 s)
 * and startup 1.5 s, shutdown 1 s, grace 30 s, concurrency 100, unlimited
 * queue, service exponential 20 ms; propagation 2 s to both load
 * balancers; Poisson traffic 200/s from 10 s to 90 s, until 100 s.
 *   preStop 5 s: an old pod leaves the endpoints at its deletion, the
 *   load balancers stop routing to it 2 s later, it gets SIGTERM 5 s
 *   after the deletion and has 1 s to answer what it holds (20 ms each,
 *   exponential: P(> 1 s) = e^-50); a new pod is routed to only after
 *   its readiness probe saw the app up. No request can fail.
 *   preStop 0: SIGTERM at the deletion, the app refuses new connections
 *   while the load balancers keep sending it traffic for 2 s: refused
 *   requests, and no other failure. Timeline: new pod i is created at
 *   30 + 2 (i - 1) s, Ready at 32 + 2 (i - 1) s (probes at 0, 1, 2 s
 *   after its start; the app is up at 1.5 s), when old pod i is deleted;
 *   the load balancers see both changes 2 s later. So during each of the
 *   three 2 s stretches after a deletion the view holds 3 pods, one of
 *   them the deleted old pod: it gets a third of the Poisson arrivals of
 *   2 s at 200/s, and the refused count is Poisson with mean
 *   3 x 2 x 200 / 3 = 400 (sd 20; allowed 5 sd). The window (setImage to
 *   DeploymentComplete, at the last deletion, 36 s) holds the first two
 *   stretches only. */
static void rollout_config(struct world_config *cfg, sim_time_t prestop,
			   enum lb_policy lb)
{
	size_t i;
	struct world_event *e;

	tt_config(cfg, 2, 3, 200, 100 * S);
	for (i = 0; i < 2; i++) {
		struct image_config *im = &cfg->images[i];

		probe_config_defaults(&im->readiness);
		im->readiness.period_ns = 1 * S;
		im->startup = dist_constant(1500 * MS);
		im->shutdown = dist_constant(1 * S);
		im->grace_ns = 30 * S;
		im->prestop_ns = prestop;
		im->concurrency = 100;
		im->queue_capacity = QUEUE_UNLIMITED;
	}
	cfg->network.propagation[CONSUMER_KUBE_PROXY] = dist_constant(2 * S);
	cfg->network.propagation[CONSUMER_INGRESS] = dist_constant(2 * S);
	cfg->traffic.lb = lb;
	tt_stop(cfg, 90 * S);
	e = tt_event(cfg, 30 * S, ACTION_SET_IMAGE, 1);
	(void)e;
}

Test(traffic, rollout_with_prestop_sleep_fails_nothing)
{
	static const enum lb_policy lbs[] = { LB_RANDOM, LB_ROUND_ROBIN,
					      LB_LEAST_REQUEST };
	size_t i;

	for (i = 0; i < sizeof(lbs) / sizeof(*lbs); i++) {
		struct world_config cfg;
		struct tt_run *r;
		char name[64];

		snprintf(name, sizeof(name), "preStop 5 s, lb %zu", i);
		rollout_config(&cfg, 5 * S, lbs[i]);
		r = tt_run(&cfg, 0);
		cr_expect_eq(r->m.complete, 1, "%s: rollout not complete",
			     name);
		cr_expect_eq(r->m.pods_created, 6, "%s: pods created %d", name,
			     r->m.pods_created);
		cr_expect_gt(r->win.total, 1000, "%s: %llu requests in the "
			     "rollout window", name,
			     (unsigned long long)r->win.total);
		cr_expect_eq(tt_failed(r->all.outcome), 0,
			     "%s: %llu failed (refused %llu, reset %llu, "
			     "no_endpoint %llu)", name,
			     (unsigned long long)tt_failed(r->all.outcome),
			     (unsigned long long)
				     r->all.outcome[OUTCOME_REFUSED],
			     (unsigned long long)r->all.outcome[OUTCOME_RESET],
			     (unsigned long long)
				     r->all.outcome[OUTCOME_NO_ENDPOINT]);
		cr_expect_eq(r->all.outcome[OUTCOME_OK], r->all.total);
		tt_check_accounting(r, name, 1);
		free(r);
		world_config_release(&cfg);
	}
}

Test(traffic, rollout_without_prestop_sleep_refuses)
{
	struct world_config cfg;
	struct tt_run *r;
	uint64_t refused;

	rollout_config(&cfg, 0, LB_RANDOM);
	r = tt_run(&cfg, 0);
	refused = r->all.outcome[OUTCOME_REFUSED];
	cr_log_info("no preStop: %llu refused of %llu (%llu in the window)",
		    (unsigned long long)refused,
		    (unsigned long long)r->all.total,
		    (unsigned long long)r->win.outcome[OUTCOME_REFUSED]);
	cr_expect_eq(r->m.complete, 1, "rollout not complete");
	cr_expect_gt(refused, 0, "no refused request without preStop");
	cr_expect(refused >= 300 && refused <= 500,
		  "refused %llu, expected 400 +- 100 (5 sd of a Poisson count)",
		  (unsigned long long)refused);
	cr_expect_eq(tt_failed(r->all.outcome), refused,
		     "failures other than refused: %llu",
		     (unsigned long long)(tt_failed(r->all.outcome) - refused));
	cr_expect_eq(r->m.window_end_ns, 36 * S,
		     "DeploymentComplete at %lld ns, expected 36 s",
		     (long long)r->m.window_end_ns);
	/* the window's share: two of the three stretches, Poisson mean 267
	 * (sd 16); the third, after DeploymentComplete, is outside it */
	cr_expect(r->win.outcome[OUTCOME_REFUSED] >= 267 - 82 &&
			  r->win.outcome[OUTCOME_REFUSED] <= 267 + 82,
		  "refused in the window %llu, expected 267 +- 82",
		  (unsigned long long)r->win.outcome[OUTCOME_REFUSED]);
	tt_check_accounting(r, "no preStop", 1);
	free(r);
	world_config_release(&cfg);
}
