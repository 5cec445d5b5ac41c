/* traffic.c - request traffic through the rollout (traffic.h).
 *
 * Arrivals: Poisson (exponential gaps) or evenly spaced at the current
 * rate; at a step of the rate schedule the arrival process restarts with
 * the new rate (exact for Poisson, which is memoryless). Routing: a new
 * connection goes to an endpoint of the consumer's view (service.c) by
 * the load-balancing policy; with keep-alive, requests reuse the client's
 * connections, pinned to their pod until the client closes them
 * (requestsPerConnection) or the pod does (drainConnections at SIGTERM,
 * or its container stops). A pod that does not accept (app not up,
 * SIGTERM without acceptDuringShutdown, gone) refuses; a full pod
 * (concurrency busy, queue full) overloads. The client's timeout is per
 * try; a timed-out request stays in its pod until served (its work is
 * not lost to the model). Requests in a container that stops fail with
 * reset. A request served to its end is answered ok, or, with the
 * release's errorRate, with a server error (app_error); its service time
 * is the serviceTime draw times the release's serviceTimeFactor. Only
 * requests in flight are in memory.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/alloc.h"
#include "sim/core/err.h"
#include "sim/core/rng.h"
#include "sim/core/zig_exp.h"
#include "traffic_agg.h"
#include "world_impl.h"

enum { REQ_FREE = 0, REQ_QUEUED, REQ_SERVING, REQ_RETRY };

static void ev_arrival(void *ctx, uint64_t arg);
static void ev_done(void *ctx, uint64_t arg);
static void ev_timeout(void *ctx, uint64_t arg);
static void ev_retry(void *ctx, uint64_t arg);
static void ev_second(void *ctx, uint64_t arg);
static void route(struct world *w, int32_t r);
static void arm_arrival(struct world *w);

static const struct traffic_config *tcfg(const struct world *w)
{
	return &w->cfg->traffic;
}

/* ------------------------------------------------------------ pool */

static int32_t req_alloc(struct world *w)
{
	struct traffic_state *t = &w->tr;
	int32_t r;

	if (t->free_head >= 0) {
		r = t->free_head;
		t->free_head = t->req[r].next;
	} else {
		if (t->n_req == t->cap_req &&
		    bus_grow((void **)&t->req, &t->cap_req,
			     sizeof(*t->req))) {
			bus_fail(w, RSIM_ENOMEM);
			return -1;
		}
		r = t->n_req++;
	}
	memset(&t->req[r], 0, sizeof(t->req[r]));
	t->req[r].pod = t->req[r].conn = t->req[r].rollout = -1;
	t->req[r].next = t->req[r].prev = -1;
	return r;
}

static void req_free(struct world *w, int32_t r)
{
	w->tr.req[r].state = REQ_FREE;
	w->tr.req[r].next = w->tr.free_head;
	w->tr.free_head = r;
}

/* The pod's serving state, grown with the pod table. */
static struct pod_serve *serve_of(struct world *w, int32_t pod)
{
	struct traffic_state *t = &w->tr;

	while (pod >= t->cap_ps) {
		int32_t old = t->cap_ps, i;

		if (bus_grow((void **)&t->ps, &t->cap_ps, sizeof(*t->ps))) {
			bus_fail(w, RSIM_ENOMEM);
			return NULL;
		}
		for (i = old; i < t->cap_ps; i++) {
			memset(&t->ps[i], 0, sizeof(t->ps[i]));
			t->ps[i].q_head = t->ps[i].q_tail = t->ps[i].s_head = -1;
		}
	}
	return &t->ps[pod];
}

static void in_flight_add(struct world *w, int32_t d)
{
	struct traffic_state *t = &w->tr;
	sim_time_t now = engine_now(w->eng);

	t->in_flight_area += (double)t->in_flight *
			     (double)(now - t->in_flight_since);
	t->in_flight_since = now;
	t->in_flight += d;
}

/* ------------------------------------------------------- outcomes */

static void count_final(struct world *w, const struct request *q,
			enum req_outcome o)
{
	struct traffic_state *t = &w->tr;
	double lat = (double)(engine_now(w->eng) - q->first_ns);

	t->all.outcome[o]++;
	t->row.outcome[o]++;
	delivery_request_done(w, q->pod, o);
	if (q->before)
		t->before[o]++;
	if (q->rollout >= 0) {
		t->win.outcome[o]++;
		w->rollouts[q->rollout].outcome[o]++;
	}
	if (o != OUTCOME_OK)
		return;
	hist_add(&t->sec, lat);        /* merged into all.latency each second */
	if (q->rollout >= 0)
		hist_add(&t->win.latency, lat);
}

void traffic_count_arrivals(struct world *w, int32_t rollout, uint64_t k)
{
	struct traffic_state *t = &w->tr;

	t->all.total += k;
	t->all.attempts += k;
	t->row.requests += k;
	if (rollout >= 0) {
		t->win.total += k;
		t->win.attempts += k;
	}
}

void traffic_count_outcomes(struct world *w, int32_t rollout, int before,
			    int32_t tmpl, enum req_outcome o, uint64_t k)
{
	struct traffic_state *t = &w->tr;

	t->all.outcome[o] += k;
	t->all.first_try[o] += k;
	t->row.outcome[o] += k;
	delivery_requests_add(w, tmpl, o, k);
	if (before)
		t->before[o] += k;
	if (rollout >= 0) {
		t->win.outcome[o] += k;
		t->win.first_try[o] += k;
		w->rollouts[rollout].outcome[o] += k;
	}
}

struct hist *traffic_sec_hist(struct world *w)
{
	return &w->tr.sec;
}

struct hist *traffic_win_hist(struct world *w)
{
	return &w->tr.win.latency;
}

/* The client learns outcome o of try r: count it, or try again. The
 * request entry r is not freed here (the pod may still hold it). */
static void client_outcome(struct world *w, int32_t r, enum req_outcome o)
{
	const struct traffic_config *c = tcfg(w);
	struct request *q = &w->tr.req[r];
	int32_t n;

	if (w->prog.an.n_active && q->pod >= 0)
		analysis_request_done(w, q->pod, o,
				      engine_now(w->eng) - q->arrival_ns);
	if (q->attempt == 0) {
		w->tr.all.first_try[o]++;
		if (q->rollout >= 0)
			w->tr.win.first_try[o]++;
	}
	if (o == OUTCOME_OK || q->attempt >= c->retries ||
	    !(c->retry_on & (1u << o))) {
		count_final(w, q, o);
		return;
	}
	n = req_alloc(w);
	if (n < 0)
		return;
	q = &w->tr.req[r];                 /* the pool may have moved */
	w->tr.req[n].first_ns = q->first_ns;
	w->tr.req[n].attempt = q->attempt + 1;
	w->tr.req[n].rollout = q->rollout;
	w->tr.req[n].before = q->before;
	w->tr.req[n].state = REQ_RETRY;
	engine_after(w->eng, c->retry_backoff_ns, ev_retry, w, (uint64_t)n);
}

/* A try that failed before reaching a pod. */
static void fail_now(struct world *w, int32_t r, enum req_outcome o)
{
	client_outcome(w, r, o);
	req_free(w, r);
}

/* ------------------------------------------------------------ pods */

static int pod_accepts(const struct world *w, const struct pod *p)
{
	if (p->phase == POD_GONE || !p->running || !p->app_up || p->killed)
		return 0;
	return !p->sigterm || pod_spec(w, p)->accept_during_shutdown;
}

static int32_t outstanding(struct world *w, int32_t pod)
{
	const struct pod_serve *s = serve_of(w, pod);

	return s ? s->busy + s->queued : 0;
}

/* The load balancer's choice among the endpoints it knows, or -1. */
static int32_t lb_pick(struct world *w)
{
	struct traffic_state *t = &w->tr;
	const struct ep_view *v = route_view(w, tcfg(w)->via, t->rng);
	int32_t a, b;

	if (agg_on(w))
		return agg_pick(w);
	if (v->n == 0)
		return -1;
	switch (tcfg(w)->lb) {
	case LB_ROUND_ROBIN:
		t->rr = (t->rr + 1) % v->n;
		return v->pods[t->rr];
	case LB_LEAST_REQUEST:
		a = v->pods[rng_below(t->rng, (uint32_t)v->n)];
		if (v->n == 1)
			return a;
		do {
			b = v->pods[rng_below(t->rng, (uint32_t)v->n)];
		} while (b == a);
		return outstanding(w, b) < outstanding(w, a) ? b : a;
	case LB_RANDOM:
	default:
		return v->pods[rng_below(t->rng, (uint32_t)v->n)];
	}
}

/* The warm-up factor, which falls linearly from `factor` at container
 * start to 1 over its duration. */
static double warmup_factor(const struct world *w, const struct pod *p,
			    const struct image_config *s)
{
	sim_time_t age = engine_now(w->eng) - p->started_ns;
	double f;

	if (s->warmup.duration_ns <= 0 || age >= s->warmup.duration_ns ||
	    s->warmup.factor <= 1.0)
		return 1.0;
	f = s->warmup.factor - (s->warmup.factor - 1.0) * (double)age /
				       (double)s->warmup.duration_ns;
	if (!isfinite(f))   /* a huge factor: (factor - 1) * age overflowed */
		f = 1.0 + (s->warmup.factor - 1.0) *
			  (1.0 - (double)age / (double)s->warmup.duration_ns);
	return f;
}

/* Service time of one request: the image's serviceTime times the warm-up
 * factor and the release's serviceTimeFactor (a factor of 1 leaves the
 * draw as it is). */
static sim_time_t service_time(struct world *w, const struct pod *p)
{
	const struct image_config *s = pod_spec(w, p);
	sim_time_t d = dist_sample(&s->service_time, w->tr.rng_service);
	double f = warmup_factor(w, p, s);

	if (s->service_time_factor != 1.0)
		f *= s->service_time_factor;
	if (f == 1.0 || d == 0)
		return d;
	f *= (double)d;
	/* any factor is valid: saturate, as dist samples do (casting a
	 * double >= 2^63 is undefined) */
	return f < 0x1p63 ? (sim_time_t)f : SIM_TIME_MAX;
}

static void start_service(struct world *w, int32_t r)
{
	struct request *q = &w->tr.req[r];
	struct pod_serve *s = &w->tr.ps[q->pod];
	sim_time_t d = service_time(w, &w->pods[q->pod]), now;

	q->state = REQ_SERVING;
	q->prev = -1;
	q->next = s->s_head;
	if (s->s_head >= 0)
		w->tr.req[s->s_head].prev = r;
	s->s_head = r;
	s->busy++;
	now = engine_now(w->eng);
	q->done = engine_after(w->eng, d, ev_done, w, (uint64_t)r);
	if (tcfg(w)->timeout_ns > 0 && !q->timed_out &&
	    q->timeout == ENGINE_HANDLE_NONE &&
	    sim_time_add(now, d) > q->arrival_ns + tcfg(w)->timeout_ns)
		q->timeout = engine_schedule(w->eng,
					     q->arrival_ns + tcfg(w)->timeout_ns,
					     ev_timeout, w, (uint64_t)r);
}

/* The request reaches pod: served, queued, or refused for overload. */
static void serve(struct world *w, int32_t r, int32_t pod)
{
	const struct image_config *spec = pod_spec(w, &w->pods[pod]);
	struct pod_serve *s = serve_of(w, pod);
	struct request *q = &w->tr.req[r];

	if (!s)
		return;
	q->pod = pod;
	if (s->busy < spec->concurrency) {
		in_flight_add(w, 1);
		start_service(w, r);
		return;
	}
	if (spec->queue_capacity != QUEUE_UNLIMITED &&
	    s->queued >= spec->queue_capacity) {
		fail_now(w, r, OUTCOME_OVERLOAD);   /* counted for pod */
		return;
	}
	in_flight_add(w, 1);
	q->state = REQ_QUEUED;
	q->next = -1;
	if (s->q_tail >= 0)
		w->tr.req[s->q_tail].next = r;
	else
		s->q_head = r;
	s->q_tail = r;
	s->queued++;
	if (tcfg(w)->timeout_ns > 0)
		q->timeout = engine_schedule(w->eng,
					     q->arrival_ns + tcfg(w)->timeout_ns,
					     ev_timeout, w, (uint64_t)r);
}

static void unlink_serving(struct world *w, int32_t r)
{
	struct request *q = &w->tr.req[r];
	struct pod_serve *s = &w->tr.ps[q->pod];

	if (q->prev >= 0)
		w->tr.req[q->prev].next = q->next;
	else
		s->s_head = q->next;
	if (q->next >= 0)
		w->tr.req[q->next].prev = q->prev;
	s->busy--;
}

static void start_next(struct world *w, int32_t pod)
{
	struct pod_serve *s = &w->tr.ps[pod];
	const struct image_config *spec = pod_spec(w, &w->pods[pod]);

	while (s->q_head >= 0 && s->busy < spec->concurrency) {
		int32_t r = s->q_head;

		s->q_head = w->tr.req[r].next;
		if (s->q_head < 0)
			s->q_tail = -1;
		s->queued--;
		start_service(w, r);
	}
}

/* The answer of a served request: ok, or a server error with the
 * release's errorRate (drawn only when it is above 0, so that releases
 * without errors draw nothing). */
static enum req_outcome answer(struct world *w, int32_t pod)
{
	double p = pod_spec(w, &w->pods[pod])->error_rate;

	if (p > 0.0 && rng_uniform_pos(w->tr.rng_app) < p)
		return OUTCOME_APP_ERROR;
	return OUTCOME_OK;
}

static void ev_done(void *ctx, uint64_t arg)
{
	struct world *w = ctx;
	int32_t r = (int32_t)arg, pod = w->tr.req[r].pod;
	struct request *q = &w->tr.req[r];

	unlink_serving(w, r);
	in_flight_add(w, -1);
	if (!q->timed_out) {
		engine_cancel(w->eng, q->timeout);
		client_outcome(w, r, answer(w, pod));
	}
	req_free(w, r);
	start_next(w, pod);
}

static void ev_timeout(void *ctx, uint64_t arg)
{
	struct world *w = ctx;
	struct request *q = &w->tr.req[arg];

	q->timeout = ENGINE_HANDLE_NONE;
	/* a response due at this very instant is in time (the deadline is
	 * exceeded only after it), however the request got here */
	if (q->state == REQ_SERVING &&
	    engine_due(w->eng, q->done) == engine_now(w->eng))
		return;
	q->timed_out = 1;               /* the pod still works on it */
	client_outcome(w, (int32_t)arg, OUTCOME_TIMEOUT);
}

/* A request the pod drops (its container stopped): reset, unless the
 * client already gave up. */
static void drop(struct world *w, int32_t r)
{
	struct request *q = &w->tr.req[r];

	engine_cancel(w->eng, q->done);
	engine_cancel(w->eng, q->timeout);
	in_flight_add(w, -1);
	if (!q->timed_out)
		client_outcome(w, r, OUTCOME_RESET);
	req_free(w, r);
}

static void close_conns(struct world *w, int32_t pod)
{
	int32_t i;

	if (!tcfg(w)->keep_alive)
		return;
	for (i = 0; i < tcfg(w)->conn_count; i++)
		if (w->tr.conns[i].pod == pod)
			w->tr.conns[i].pod = -1;
}

void traffic_pod_killed(struct world *w, int32_t pod)
{
	struct pod_serve *s;
	int32_t r, next;

	if (!tcfg(w)->enabled)
		return;
	agg_killed(w, pod);
	if (pod >= w->tr.cap_ps)
		return;
	s = &w->tr.ps[pod];
	for (r = s->s_head; r >= 0; r = next) {
		next = w->tr.req[r].next;
		drop(w, r);
	}
	for (r = s->q_head; r >= 0; r = next) {
		next = w->tr.req[r].next;
		drop(w, r);
	}
	s->busy = s->queued = 0;
	s->s_head = s->q_head = s->q_tail = -1;
	close_conns(w, pod);
}

void traffic_pod_changed(struct world *w, int32_t pod)
{
	const struct pod *p = &w->pods[pod];

	if (!tcfg(w)->enabled)
		return;
	agg_boundary(w);
	if (!p->running ||
	    (p->sigterm && pod_spec(w, p)->drain_connections))
		close_conns(w, pod);
}

void traffic_view_changed(struct world *w, enum lb_consumer c)
{
	if (tcfg(w)->enabled && c == tcfg(w)->via)
		agg_boundary(w);
}

void traffic_window_changed(struct world *w)
{
	if (tcfg(w)->enabled)
		agg_boundary(w);
}

void traffic_rearm(struct world *w)
{
	arm_arrival(w);
}

/* ------------------------------------------------------------ routing */

/* A new connection through the load balancer: the pod, or -1 with the
 * try failed. */
static int32_t lb_connect(struct world *w, int32_t r)
{
	int32_t pod = lb_pick(w);

	if (pod < 0) {
		fail_now(w, r, OUTCOME_NO_ENDPOINT);
		return -1;
	}
	if (!pod_accepts(w, &w->pods[pod])) {
		w->tr.req[r].pod = pod;            /* counted for pod */
		fail_now(w, r, OUTCOME_REFUSED);
		return -1;
	}
	return pod;
}

static void route(struct world *w, int32_t r)
{
	const struct traffic_config *c = tcfg(w);
	struct conn *k;
	int32_t pod;

	w->tr.all.attempts++;
	if (w->tr.req[r].rollout >= 0)
		w->tr.win.attempts++;
	w->tr.req[r].arrival_ns = engine_now(w->eng);
	if (!c->keep_alive) {
		pod = lb_connect(w, r);
		if (pod >= 0)
			serve(w, r, pod);
		return;
	}
	k = &w->tr.conns[rng_below(w->tr.rng, (uint32_t)c->conn_count)];
	if (k->pod < 0) {
		pod = lb_connect(w, r);
		if (pod < 0)
			return;
		k->pod = pod;
		k->left = c->requests_per_conn;
	}
	pod = k->pod;
	if (c->requests_per_conn > 0 && --k->left == 0)
		k->pod = -1;               /* the client closes it after this */
	serve(w, r, pod);
}

static void ev_retry(void *ctx, uint64_t arg)
{
	route(ctx, (int32_t)arg);
}

/* ------------------------------------------------------------ arrivals */

/* The rate of the arrivals simulated one by one: all of them, or in
 * aggregate mode the share that goes to pods served per request. */
static double event_rate(const struct world *w)
{
	return agg_on(w) ? w->tr.rate * agg_share(w) : w->tr.rate;
}

static sim_time_t next_gap(struct world *w)
{
	double mean_ns = 1e9 / event_rate(w), gap;

	if (tcfg(w)->arrivals == ARRIVALS_CONSTANT)
		gap = mean_ns;
	else
		gap = mean_ns * zig_exp(w->tr.rng);
	return gap < 9e18 ? (sim_time_t)(gap + 0.5) : SIM_TIME_MAX;
}

/* Schedules the next arrival after now, or the next rate step if it
 * comes first (the process restarts there with the new rate). */
static void arm_arrival(struct world *w)
{
	const struct traffic_config *c = tcfg(w);
	sim_time_t now = engine_now(w->eng), at = SIM_TIME_MAX;

	if (event_rate(w) > 0)
		at = sim_time_add(now, next_gap(w));
	if (w->tr.next_step < c->n_schedule &&
	    c->schedule[w->tr.next_step].at_ns <= at) {
		engine_lane_set(w->eng, c->schedule[w->tr.next_step].at_ns,
				ev_arrival, w, 1);
		return;
	}
	if (at < SIM_TIME_MAX)
		engine_lane_set(w->eng, at, ev_arrival, w, 0);
	else if (agg_on(w))
		engine_lane_clear(w->eng);   /* re-armed with nothing to send */
}

/* arg 1: a rate step (no request); 0: a request arrives. */
static void ev_arrival(void *ctx, uint64_t arg)
{
	struct world *w = ctx;
	const struct traffic_config *c = tcfg(w);
	int32_t r;

	if (arg == 1) {
		w->tr.rate = c->schedule[w->tr.next_step++].rate_per_s;
		agg_boundary(w);
		arm_arrival(w);
		return;
	}
	arm_arrival(w);
	r = req_alloc(w);
	if (r < 0)
		return;
	w->tr.req[r].first_ns = engine_now(w->eng);
	w->tr.req[r].rollout = w->open_rollout;   /* -1 outside the window */
	w->tr.req[r].before = w->m.triggered_ns < 0;
	w->tr.all.total++;
	w->tr.row.requests++;
	if (w->open_rollout >= 0)
		w->tr.win.total++;
	route(w, r);
}

/* ------------------------------------------------------------ seconds */

static void emit_row(struct world *w)
{
	struct traffic_row *row = &w->tr.row;

	double q[2];

	agg_quantiles(w, &w->tr.sec, (const double[]){ 0.5, 0.99 }, q, 2);
	row->p50_ms = q[0] / 1e6;
	row->p99_ms = q[1] / 1e6;
	hist_merge(&w->tr.all.latency, &w->tr.sec);
	row->in_flight = w->tr.in_flight + agg_in_flight(w);
	row->endpoints = route_endpoints(w, tcfg(w)->via);
	if (w->obs.on_traffic)
		w->obs.on_traffic(w->obs.ctx, row);
	memset(row->outcome, 0, sizeof(row->outcome));
	row->requests = 0;
	hist_clear(&w->tr.sec);
}

static void ev_second(void *ctx, uint64_t arg)
{
	struct world *w = ctx;

	(void)arg;
	if (engine_now(w->eng) >= w->cfg->until_ns)
		return;      /* the last second closes in traffic_finish, with
				whatever else happens at the very end */
	agg_second(w);
	emit_row(w);
	w->tr.row.t_ns = engine_now(w->eng);
	engine_after(w->eng, SIM_NS_PER_S, ev_second, w, 0);
}

static void ev_begin(void *ctx, uint64_t arg)
{
	struct world *w = ctx;
	const struct traffic_config *c = tcfg(w);
	sim_time_t now = engine_now(w->eng);

	(void)arg;
	w->tr.rate = c->rate_per_s;
	while (w->tr.next_step < c->n_schedule &&
	       c->schedule[w->tr.next_step].at_ns <= now)
		w->tr.rate = c->schedule[w->tr.next_step++].rate_per_s;
	w->tr.in_flight_since = now;
	w->tr.row.t_ns = now;
	if (agg_on(w))
		agg_begin(w);
	else
		arm_arrival(w);
	engine_after(w->eng, SIM_NS_PER_S, ev_second, w, 0);
}

int traffic_init(struct world *w)
{
	const struct traffic_config *c = tcfg(w);
	struct traffic_state *t = &w->tr;
	int32_t i;

	memset(t, 0, sizeof(*t));
	hist_init(&t->sec);
	hist_init(&t->all.latency);
	hist_init(&t->win.latency);
	t->free_head = -1;
	t->rr = -1;
	if (!c->enabled || c->start_ns >= w->cfg->until_ns)
		return 0;
	t->rng = rng_stream_new(w->cfg->seed, w->rep, "traffic");
	t->rng_service = rng_stream_new(w->cfg->seed, w->rep, "service");
	t->rng_app = rng_stream_new(w->cfg->seed, w->rep, "app_error");
	if (c->keep_alive)
		t->conns = rsim_malloc((size_t)c->conn_count * sizeof(*t->conns));
	if (!t->rng || !t->rng_service || !t->rng_app ||
	    (c->keep_alive && !t->conns) || agg_init(w))
		return RSIM_ENOMEM;
	for (i = 0; c->keep_alive && i < c->conn_count; i++)
		t->conns[i].pod = -1;
	engine_schedule(w->eng, c->start_ns, ev_begin, w, 0);
	return 0;
}

/* Requests still unanswered at the end are not in `total` (they have no
 * outcome): total = ok + failed holds for every run. */
static void settle(struct traffic_counts *c)
{
	uint64_t resolved = 0;
	int k;

	for (k = 0; k < OUTCOME_COUNT; k++)
		resolved += c->outcome[k];
	c->unfinished = c->total - resolved;
	c->total = resolved;
}

static int row_has_counts(const struct traffic_row *row)
{
	int k;

	for (k = 0; k < OUTCOME_COUNT; k++)
		if (row->outcome[k])
			return 1;
	return row->requests > 0;
}

/* Closes the books at the end of the run: the partial last second (or
 * what happened at the very instant the run ends). */
void traffic_finish(struct world *w)
{
	if (!tcfg(w)->enabled || w->tr.rng == NULL)
		return;
	in_flight_add(w, 0);
	agg_finish(w);
	w->tr.in_flight_area += agg_in_flight_area(w);
	if (engine_now(w->eng) > w->tr.row.t_ns || row_has_counts(&w->tr.row))
		emit_row(w);
	agg_close(w);
	settle(&w->tr.all);
	settle(&w->tr.win);
}

void traffic_release(struct world *w)
{
	struct traffic_state *t = &w->tr;

	if (t->rng)
		gsl_rng_free(t->rng);
	if (t->rng_service)
		gsl_rng_free(t->rng_service);
	if (t->rng_app)
		gsl_rng_free(t->rng_app);
	agg_release(w);
	free(t->req);
	free(t->ps);
	free(t->conns);
	memset(t, 0, sizeof(*t));
}
