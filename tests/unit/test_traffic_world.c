/* test_traffic_world.c - a world to send requests to, and the request
 * accounting that every traffic test checks.
 *
 * The world: `replicas` pods of image "app:1" with pull, container start,
 * startup and shutdown 0, no probes, grace 30 s: every pod is Running,
 * up, Ready and an endpoint of both load balancers at t = 0 (propagation
 * 0), long before traffic starts (TT_START = 10 s). The image keeps the
 * defaults of image_config_defaults for serving (concurrency 8, queue
 * 100, serviceTime exponential 20 ms); each test sets its own.
 *
 * Accounting (tt_check_accounting), for the whole run and for the rollout
 * window: every request has one final outcome and one first-try outcome
 * once it is resolved (ok + failed = total, the errors by cause sum to
 * failed, the first-try outcomes sum to total), a request is tried at
 * least once (attempts >= total), an ok response is one latency sample,
 * a retry never turns an ok first try into a failure (ok >= first-try
 * ok), the window is part of the run and the rollouts (m.rollouts) split
 * it: their outcomes add up to the window's; and the per-second rows (on_traffic)
 * add up to the totals: their `requests` to total, each outcome column to
 * that final outcome. "Resolved" needs the run to end with no request in
 * flight: tests stop the arrivals (a rate step to 0, tt_stop) long enough
 * before the end for every request to finish; a run that ends with
 * requests in flight is checked with inequalities only.
 *
 * This file is also the interface of these helpers: test_traffic_*.c and
 * ../stats/test_queueing.c include it with TT_INTERFACE_ONLY defined, which
 * keeps the declarations below and drops the definitions (they are
 * compiled once, in this file's own object), so the compiler checks every
 * use against the one prototype.
 */
#ifndef TT_WORLD_INTERFACE
#define TT_WORLD_INTERFACE

#include <stddef.h>
#include <stdint.h>

#include "models/pod.h"
#include "models/traffic.h"
#include "models/world.h"
#include "sim/core/engine.h"

#define TT_S SIM_NS_PER_S
#define TT_MS SIM_NS_PER_MS
#define TT_START (10 * TT_S)          /* traffic.start of every test */

/* What one run left behind (the world is gone: counts are copies). */
struct tt_run {
	int rc;                           /* world_new / world_run */
	struct world_metrics m;
	struct traffic_counts all, win;   /* m.requests, m.requests_window */
	/* the on_traffic rows */
	size_t n_rows;
	uint64_t row_requests;            /* sum of `requests` */
	uint64_t row_outcome[OUTCOME_COUNT];
	sim_time_t first_row_ns, last_row_ns;
	int rows_not_seconds;             /* a row not 1 s after the last */
	int32_t last_in_flight;           /* in_flight of the last row */
	int32_t min_in_flight;
	int32_t last_endpoints;
	sim_time_t until_ns, start_ns;
	/* the pods' side: FNV-1a of every on_counts call (time and counts) */
	uint64_t counts_hash;
	size_t n_counts;
	/* m.rollouts (gone with the world; m.rollouts is NULL): the final
	 * outcomes summed over them, and windows in order (each starts
	 * where or after the previous one ended, a roll-over exactly there;
	 * only the last one may be open) */
	uint64_t rollout_outcome[OUTCOME_COUNT];
	int rollouts_in_order;
};

/* A world_config as described above: n_images images "app:1".., the
 * Deployment on image 0 with `replicas` pods, Poisson traffic at rate
 * from TT_START, until until_ns, no events. Release with
 * world_config_release. */
void tt_config(struct world_config *cfg, size_t n_images, int32_t replicas,
	       double rate, sim_time_t until_ns);

/* Arrivals stop at at_ns (a rate step to 0, the schedule's only entry). */
void tt_stop(struct world_config *cfg, sim_time_t at_ns);

/* Appends a user event at at_ns (events must be added in time order);
 * returns it for the caller to fill in (action ACTION_SET_IMAGE of
 * image by default). */
struct world_event *tt_event(struct world_config *cfg, sim_time_t at_ns,
			     enum world_action action, int image);

/* Runs cfg as replication rep. Never NULL (asserts); free() it. */
struct tt_run *tt_run(const struct world_config *cfg, uint32_t rep);

/* The accounting above, failures prefixed with name. drained: the run
 * ended with every request resolved (equalities). */
void tt_check_accounting(const struct tt_run *r, const char *name,
			 int drained);

/* Sum of the error outcomes (all but ok). */
uint64_t tt_failed(const uint64_t *outcome);

/* Mean, standard error and the half-width of the two-sided 1 - alpha
 * Student t interval of n >= 2 independent values. */
struct tt_interval {
	double mean, se, half;
	int n;
};
struct tt_interval tt_t_interval(const double *x, int n, double alpha);

#endif /* TT_WORLD_INTERFACE */

#ifndef TT_INTERFACE_ONLY

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <gsl/gsl_cdf.h>

void tt_config(struct world_config *cfg, size_t n_images, int32_t replicas,
	       double rate, sim_time_t until_ns)
{
	size_t i;

	world_config_init(cfg);
	strcpy(cfg->name, "traffic-test");
	cfg->seed = 20240917;
	cfg->until_ns = until_ns;
	cfg->images = calloc(n_images, sizeof(*cfg->images));
	cr_assert_not_null(cfg->images);
	cfg->n_images = n_images;
	for (i = 0; i < n_images; i++) {
		char name[32];

		snprintf(name, sizeof(name), "app:%zu", i + 1);
		image_config_defaults(&cfg->images[i], name);
	}
	cfg->deployment.replicas = replicas;
	cfg->deployment.image = 0;
	cfg->traffic.enabled = 1;
	cfg->traffic.rate_per_s = rate;
	cfg->traffic.start_ns = TT_START;
}

void tt_stop(struct world_config *cfg, sim_time_t at_ns)
{
	free(cfg->traffic.schedule);
	cfg->traffic.schedule = malloc(sizeof(*cfg->traffic.schedule));
	cr_assert_not_null(cfg->traffic.schedule);
	cfg->traffic.schedule[0].at_ns = at_ns;
	cfg->traffic.schedule[0].rate_per_s = 0;
	cfg->traffic.n_schedule = 1;
}

struct world_event *tt_event(struct world_config *cfg, sim_time_t at_ns,
			     enum world_action action, int image)
{
	struct world_event *e;

	cr_assert(cfg->n_events == 0 ||
		  cfg->events[cfg->n_events - 1].at_ns <= at_ns);
	e = realloc(cfg->events, (cfg->n_events + 1) * sizeof(*e));
	cr_assert_not_null(e);
	cfg->events = e;
	e = &cfg->events[cfg->n_events++];
	memset(e, 0, sizeof(*e));
	image_config_defaults(&e->patch.v.tmpl.v, NULL);
	e->at_ns = at_ns;
	e->action = action;
	e->image = image;
	return e;
}

static void tt_on_traffic(void *ctx, const struct traffic_row *row)
{
	struct tt_run *r = ctx;
	int k;

	if (r->n_rows == 0)
		r->first_row_ns = row->t_ns;
	else if (row->t_ns != r->last_row_ns + TT_S)
		r->rows_not_seconds++;
	r->last_row_ns = row->t_ns;
	r->n_rows++;
	r->row_requests += row->requests;
	for (k = 0; k < OUTCOME_COUNT; k++)
		r->row_outcome[k] += row->outcome[k];
	r->last_in_flight = row->in_flight;
	if (row->in_flight < r->min_in_flight)
		r->min_in_flight = row->in_flight;
	r->last_endpoints = row->endpoints;
}

static void tt_on_counts(void *ctx, sim_time_t t, const struct world_counts *c)
{
	struct tt_run *r = ctx;
	const unsigned char *p;
	size_t i;

	if (r->n_counts++ == 0)
		r->counts_hash = UINT64_C(0xcbf29ce484222325);
	p = (const unsigned char *)&t;
	for (i = 0; i < sizeof(t); i++)
		r->counts_hash = (r->counts_hash ^ p[i]) *
				 UINT64_C(0x100000001b3);
	p = (const unsigned char *)c;
	for (i = 0; i < sizeof(*c); i++)
		r->counts_hash = (r->counts_hash ^ p[i]) *
				 UINT64_C(0x100000001b3);
}

static void tt_copy_rollouts(struct tt_run *r)
{
	const struct world_rollout *ro = r->m.rollouts;
	int32_t i, n = r->m.n_rollouts;
	int k, ok = 1;

	for (i = 0; i < n; i++) {
		for (k = 0; k < OUTCOME_COUNT; k++)
			r->rollout_outcome[k] += ro[i].outcome[k];
		if (ro[i].complete)
			ok &= ro[i].ended_ns == ro[i].completed_ns;
		if (i + 1 < n)
			ok &= ro[i].ended_ns >= ro[i].triggered_ns &&
			      (ro[i].complete
				       ? ro[i].ended_ns <= ro[i + 1].triggered_ns
				       : ro[i].ended_ns == ro[i + 1].triggered_ns);
		else
			ok &= ro[i].complete == (ro[i].ended_ns >= 0);
	}
	r->rollouts_in_order = ok;
	r->m.rollouts = NULL;
}

struct tt_run *tt_run(const struct world_config *cfg, uint32_t rep)
{
	struct tt_run *r = calloc(1, sizeof(*r));
	struct world_observer obs;
	world *w = NULL;

	cr_assert_not_null(r);
	memset(&obs, 0, sizeof(obs));
	obs.ctx = r;
	obs.on_traffic = tt_on_traffic;
	obs.on_counts = tt_on_counts;
	r->until_ns = cfg->until_ns;
	r->start_ns = cfg->traffic.start_ns;
	r->rc = world_new(cfg, rep, &obs, &w);
	if (r->rc == 0)
		r->rc = world_run(w);
	cr_assert_eq(r->rc, 0, "%s rep %u: world returned %d", cfg->name,
		     (unsigned)rep, r->rc);
	world_get_metrics(w, &r->m);
	r->all = r->m.requests;
	r->win = r->m.requests_window;
	tt_copy_rollouts(r);
	world_free(w);
	return r;
}

uint64_t tt_failed(const uint64_t *outcome)
{
	uint64_t f = 0;
	int k;

	for (k = OUTCOME_OK + 1; k < OUTCOME_COUNT; k++)
		f += outcome[k];
	return f;
}

static uint64_t tt_sum(const uint64_t *v)
{
	return v[OUTCOME_OK] + tt_failed(v);
}

/* The counts of one scope (run or window) against themselves. */
static void tt_check_counts(const struct traffic_counts *c, const char *name,
			    const char *scope, int drained)
{
	uint64_t resolved = tt_sum(c->outcome), tried = tt_sum(c->first_try);
	int k;

	if (drained) {
		cr_expect_eq(resolved, c->total,
			     "%s %s: ok + failed = %llu + %llu, total %llu",
			     name, scope,
			     (unsigned long long)c->outcome[OUTCOME_OK],
			     (unsigned long long)tt_failed(c->outcome),
			     (unsigned long long)c->total);
		cr_expect_eq(c->total - c->outcome[OUTCOME_OK],
			     tt_failed(c->outcome),
			     "%s %s: failed = total - ok = %llu, errors sum "
			     "to %llu", name, scope,
			     (unsigned long long)(c->total -
						  c->outcome[OUTCOME_OK]),
			     (unsigned long long)tt_failed(c->outcome));
		cr_expect_eq(tried, c->total,
			     "%s %s: first-try outcomes sum to %llu, total "
			     "%llu", name, scope, (unsigned long long)tried,
			     (unsigned long long)c->total);
	} else {
		cr_expect_leq(resolved, c->total,
			      "%s %s: %llu outcomes for %llu requests", name,
			      scope, (unsigned long long)resolved,
			      (unsigned long long)c->total);
		cr_expect_leq(tried, c->total,
			      "%s %s: %llu first tries for %llu requests",
			      name, scope, (unsigned long long)tried,
			      (unsigned long long)c->total);
	}
	cr_expect_geq(c->attempts, c->total,
		      "%s %s: attempts %llu < total %llu", name, scope,
		      (unsigned long long)c->attempts,
		      (unsigned long long)c->total);
	cr_expect_eq(c->latency.count, c->outcome[OUTCOME_OK],
		     "%s %s: %llu latency samples for %llu ok", name, scope,
		     (unsigned long long)c->latency.count,
		     (unsigned long long)c->outcome[OUTCOME_OK]);
	cr_expect_geq(c->outcome[OUTCOME_OK], c->first_try[OUTCOME_OK],
		      "%s %s: ok %llu < first-try ok %llu", name, scope,
		      (unsigned long long)c->outcome[OUTCOME_OK],
		      (unsigned long long)c->first_try[OUTCOME_OK]);
	/* an error that is final was also met by the first try or a retry:
	 * never more final failures than tries that failed */
	for (k = OUTCOME_OK + 1; k < OUTCOME_COUNT; k++)
		cr_expect_leq(c->outcome[k], c->attempts,
			      "%s %s: %s %llu > attempts %llu", name, scope,
			      traffic_outcome_name((enum req_outcome)k),
			      (unsigned long long)c->outcome[k],
			      (unsigned long long)c->attempts);
}

void tt_check_accounting(const struct tt_run *r, const char *name,
			 int drained)
{
	int k;

	tt_check_counts(&r->all, name, "run", drained);
	tt_check_counts(&r->win, name, "window", drained);
	cr_expect_leq(r->win.total, r->all.total, "%s: window total %llu > "
		      "run total %llu", name,
		      (unsigned long long)r->win.total,
		      (unsigned long long)r->all.total);
	cr_expect_leq(r->win.attempts, r->all.attempts,
		      "%s: window attempts %llu > run attempts %llu", name,
		      (unsigned long long)r->win.attempts,
		      (unsigned long long)r->all.attempts);
	for (k = 0; k < OUTCOME_COUNT; k++) {
		cr_expect_leq(r->win.outcome[k], r->all.outcome[k],
			      "%s: window %s %llu > run %llu", name,
			      traffic_outcome_name((enum req_outcome)k),
			      (unsigned long long)r->win.outcome[k],
			      (unsigned long long)r->all.outcome[k]);
		cr_expect_eq(r->row_outcome[k], r->all.outcome[k],
			     "%s: per-second rows sum to %llu %s, run %llu",
			     name, (unsigned long long)r->row_outcome[k],
			     traffic_outcome_name((enum req_outcome)k),
			     (unsigned long long)r->all.outcome[k]);
	}
	/* the rows count arrivals: requests with an outcome (total) and
	 * those still unanswered at the end (unfinished) */
	cr_expect_eq(r->row_requests, r->all.total + r->all.unfinished,
		     "%s: per-second rows sum to %llu requests, total %llu + "
		     "unfinished %llu", name,
		     (unsigned long long)r->row_requests,
		     (unsigned long long)r->all.total,
		     (unsigned long long)r->all.unfinished);
	for (k = 0; k < OUTCOME_COUNT; k++)
		cr_expect_eq(r->rollout_outcome[k], r->win.outcome[k],
			     "%s: rollouts sum to %llu %s, window %llu", name,
			     (unsigned long long)r->rollout_outcome[k],
			     traffic_outcome_name((enum req_outcome)k),
			     (unsigned long long)r->win.outcome[k]);
	cr_expect(r->rollouts_in_order, "%s: %d rollouts out of order", name,
		  (int)r->m.n_rollouts);
	cr_expect_eq(r->rows_not_seconds, 0,
		     "%s: %d per-second rows not 1 s after the previous one",
		     name, r->rows_not_seconds);
	cr_expect_geq(r->min_in_flight, 0, "%s: in_flight went down to %d",
		      name, r->min_in_flight);
	if (r->until_ns > r->start_ns) {
		/* one row per started second: ceil((until - start) / 1 s);
		 * and when the run ends on a second boundary, possibly one
		 * more, starting at the end, for what was counted at that
		 * very instant */
		size_t want = (size_t)((r->until_ns - r->start_ns + TT_S - 1) /
				       TT_S);

		cr_expect(r->n_rows == want ||
				  (r->n_rows == want + 1 &&
				   r->last_row_ns == r->until_ns),
			  "%s: %zu per-second rows (the last at %lld ns), "
			  "expected %zu", name, r->n_rows,
			  (long long)r->last_row_ns, want);
		cr_expect_eq(r->first_row_ns, r->start_ns,
			     "%s: first row at %lld ns, traffic starts at %lld",
			     name, (long long)r->first_row_ns,
			     (long long)r->start_ns);
	}
	if (drained)
		cr_expect_eq(r->last_in_flight, 0,
			     "%s: %d requests still in the pods at the end "
			     "of a drained run", name, r->last_in_flight);
}

struct tt_interval tt_t_interval(const double *x, int n, double alpha)
{
	struct tt_interval ci = { 0, 0, 0, n };
	double ss = 0;
	int i;

	cr_assert_geq(n, 2);
	for (i = 0; i < n; i++)
		ci.mean += x[i];
	ci.mean /= n;
	for (i = 0; i < n; i++)
		ss += (x[i] - ci.mean) * (x[i] - ci.mean);
	ci.se = sqrt(ss / (n - 1) / n);
	ci.half = gsl_cdf_tdist_Qinv(alpha / 2, n - 1) * ci.se;
	return ci;
}

#endif /* TT_INTERFACE_ONLY */
