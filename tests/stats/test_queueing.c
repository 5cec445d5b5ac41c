/* test_queueing.c - the request-traffic model against queueing theory.
 *
 * No rollout: `pods` identical pods, Ready long before traffic starts
 * (test_traffic_world.c), Poisson arrivals at rate lambda, loadBalancing
 * random. Routing each arrival to a pod chosen uniformly and independently
 * splits a Poisson process into `pods` independent Poisson processes of
 * rate lambda / pods, and service times are i.i.d., so every pod is an
 * independent M/G/c queue with offered load a = (lambda / pods) E[S]:
 *
 *   loss (queueCapacity 0): the fraction of requests refused for overload
 *     is the Erlang-B blocking probability B(c, a), for any service-time
 *     law with mean E[S] (insensitivity); computed by the stable
 *     recursion B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)).
 *   unlimited queue, exponential service (M/M/c, FIFO): Erlang C
 *     C = c B / (c - a (1 - B)); mean response time
 *     E[T] = E[S] + C / (c mu - lambda_pod), mu = 1 / E[S]; response-time
 *     law P(T > t) = (1 - C) e^{-mu t}
 *                    + C (theta e^{-mu t} - mu e^{-theta t}) / (theta - mu),
 *     theta = c mu - lambda_pod (T = S, plus with probability C an
 *     independent Exp(theta) wait); and Little's law L = lambda E[T] for
 *     the time-weighted number of requests in the pods.
 *   constant arrivals and service: exact counts and times.
 *
 * Tolerances. Requests of one run are correlated (a busy period blocks or
 * delays its neighbours), so the binomial standard error of a proportion
 * would be too small. Each row is therefore run as R = 20 independent
 * replications (world_new's replication index: distinct random streams)
 * and judged by the Student t interval of the R per-replication
 * estimates at two-sided level alpha = 1e-4 (t_19 = 4.9 standard
 * errors): a correct model fails one check with probability 1e-4, the
 * 22 statistical checks here together with about 0.2 %; the seeds are
 * fixed, so the outcome is deterministic. Each row has a seed of its
 * own: rows that shared seeds would share random streams and err
 * together. Quantiles
 * also get the histogram's resolution (HIST_REL below). Each check also
 * asserts that its interval is narrow (1.5 % of the value for means and
 * blocking, 3 % for quantiles and for the low-blocking row): a check that
 * cannot fail is not a check.
 *
 * Bias. Replications start empty (no requests in the pods) and traffic
 * stops at `stop` (a rate step to 0), then the pods drain before `until`,
 * so every request that arrived is counted. The empty start biases the
 * delay estimates down for the first few relaxation times
 * (1 / (c mu (1 - sqrt rho)^2) <= 0.5 s in these rows, against runs of
 * 2000 s or more: well under a tenth of a standard error); a loss system
 * relaxes within a few E[S] (20 ms).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#define TT_INTERFACE_ONLY
#include "../unit/test_traffic_world.c"

#include "sim/core/dist.h"
#include "sim/core/stats.h"

#define S TT_S
#define MS TT_MS
#define REPS 20
#define ALPHA 1e-4
#define E_S (20 * MS)                /* mean service time */
#define DRAIN (10 * S)               /* after stop, before until */
/* A reported quantile is the geometric middle of its bucket, clamped to
 * the maximum: within sqrt(1 + 1/128) - 1 = 0.39 % of any value in the
 * bucket (stats.h; checked in ../unit/test_stats.c). */
#define HIST_REL 0.0039

/* ------------------------------------------------------------- theory */

/* Erlang B by the stable recursion. */
static double erlang_b(int c, double a)
{
	double b = 1.0;
	int k;

	for (k = 1; k <= c; k++)
		b = a * b / (k + a * b);
	return b;
}

/* Erlang C (probability of waiting in M/M/c), a < c. */
static double erlang_c(int c, double a)
{
	double b = erlang_b(c, a);

	return c * b / (c - a * (1 - b));
}

/* M/M/c FIFO response time: P(T > t), t in s. */
static double mmc_tail(int c, double lambda_pod, double mu, double t)
{
	double C = erlang_c(c, lambda_pod / mu), th = c * mu - lambda_pod;

	return (1 - C) * exp(-mu * t) +
	       C * (th * exp(-mu * t) - mu * exp(-th * t)) / (th - mu);
}

/* Its q-quantile in s, by bisection (the tail is decreasing). */
static double mmc_quantile(int c, double lambda_pod, double mu, double q)
{
	double lo = 0, hi = 1;
	int i;

	while (mmc_tail(c, lambda_pod, mu, hi) > 1 - q)
		hi *= 2;
	for (i = 0; i < 200; i++) {
		double mid = (lo + hi) / 2;

		if (mmc_tail(c, lambda_pod, mu, mid) > 1 - q)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

/* The formulas themselves against values computed outside the program
 * (by hand from the definitions: B(1, a) = a / (1 + a);
 * B(2, 1.4) = (1.4^2 / 2) / (1 + 1.4 + 1.4^2 / 2) = 0.98 / 3.38;
 * C(1, a) = a; M/M/1: T ~ Exp(mu - lambda), median ln 2 / (mu - lambda)). */
Test(queueing, formulas_match_hand_values)
{
	cr_expect_float_eq(erlang_b(1, 0.5), 1.0 / 3, 1e-15);
	cr_expect_float_eq(erlang_b(2, 1.4), 0.98 / 3.38, 1e-15);
	cr_expect_float_eq(erlang_b(0, 3.0), 1.0, 0);
	cr_expect_float_eq(erlang_c(1, 0.7), 0.7, 1e-15);
	cr_expect_float_eq(mmc_quantile(1, 25, 50, 0.5), log(2) / 25, 1e-12);
	cr_expect_float_eq(mmc_quantile(1, 45, 50, 0.99), log(100) / 5,
			   1e-12);
	/* Erlang C with B(2, 1.4): 2 B / (2 - 1.4 (1 - B)) */
	cr_expect_float_eq(erlang_c(2, 1.4),
			   2 * (0.98 / 3.38) /
				   (2 - 1.4 * (1 - 0.98 / 3.38)),
			   1e-15);
}

/* ---------------------------------------------------------------- runs */

struct qrow {
	const char *name;
	int32_t pods;
	int32_t c;                  /* concurrency */
	int32_t queue;              /* queueCapacity */
	double a;                   /* offered load per pod, Erlangs */
	struct dist service;        /* mean E_S */
	sim_time_t run_ns;          /* stop - start */
};

/* Row i runs with seed BASE_SEED + i: rows sharing a seed would share
 * their random streams (common random numbers) and err together. */
#define BASE_SEED UINT64_C(20241125)

static void qrow_config(struct world_config *cfg, const struct qrow *q,
			uint64_t seed)
{
	double lambda = q->pods * q->a / ((double)E_S / S);
	struct image_config *im;

	tt_config(cfg, 1, q->pods, lambda, TT_START + q->run_ns + DRAIN);
	snprintf(cfg->name, sizeof(cfg->name), "%s", q->name);
	cfg->seed = seed;
	im = &cfg->images[0];
	im->concurrency = q->c;
	im->queue_capacity = q->queue;
	im->service_time = q->service;
	cfg->traffic.lb = LB_RANDOM;
	tt_stop(cfg, TT_START + q->run_ns);
}

static void expect_in(const char *what, const char *row,
		      struct tt_interval ci, double theory, double extra,
		      double max_rel_half)
{
	double tol = ci.half + extra;

	cr_expect_leq(fabs(ci.mean - theory), tol,
		      "%s, %s: measured %.6g +- %.3g (se %.3g, %d reps), "
		      "theory %.6g, off by %.2f se", row, what, ci.mean, tol,
		      ci.se, ci.n, theory, fabs(ci.mean - theory) / ci.se);
	cr_expect_leq(tol, max_rel_half * theory,
		      "%s, %s: interval +-%.3g too wide for %.6g (> %.1f %%): "
		      "the check has no power", row, what, tol, theory,
		      100 * max_rel_half);
}

/* ------------------------------------------------------------ loss */

#define EXPO(mean) { .kind = DIST_EXPONENTIAL, .a_ns = (mean) }

static const struct qrow loss_rows[] = {
	{ "M/M/1/1 4 pods a=0.5", 4, 1, 0, 0.5, EXPO(E_S), 800 * S },
	{ "M/M/2/2 10 pods a=0.2 (low blocking)", 10, 2, 0, 0.2, EXPO(E_S),
	  2400 * S },
	{ "M/M/4/4 3 pods a=3", 3, 4, 0, 3.0, EXPO(E_S), 440 * S },
	{ "M/M/8/8 2 pods a=10 (high blocking)", 2, 8, 0, 10.0, EXPO(E_S),
	  220 * S },
	{ "M/M/16/16 1 pod a=24 (very high blocking)", 1, 16, 0, 24.0,
	  EXPO(E_S), 160 * S },
	/* insensitivity: the same B for other laws of the same mean */
	{ "M/D/4/4 3 pods a=3 (constant service)", 3, 4, 0, 3.0,
	  { .kind = DIST_CONSTANT, .a_ns = E_S }, 280 * S },
	{ "M/G/4/4 3 pods a=3 (lognormal sigma 1 service)", 3, 4, 0, 3.0,
	  /* median e^{-1/2} E[S] gives mean E[S] */
	  { .kind = DIST_LOGNORMAL, .a_ns = 12130613, .shape = 1.0 },
	  560 * S },
};

Test(queueing, loss_system_blocks_as_erlang_b, .timeout = 120)
{
	size_t i;
	int rep;

	for (i = 0; i < sizeof(loss_rows) / sizeof(*loss_rows); i++) {
		const struct qrow *q = &loss_rows[i];
		double frac[REPS], want = erlang_b(q->c, q->a);
		uint64_t n = 0;
		struct world_config cfg;
		struct tt_interval ci;

		qrow_config(&cfg, q, BASE_SEED + i);
		for (rep = 0; rep < REPS; rep++) {
			struct tt_run *r = tt_run(&cfg, (uint32_t)rep);
			char name[160];

			snprintf(name, sizeof(name), "%s rep %d", q->name, rep);
			tt_check_accounting(r, name, 1);
			cr_expect_eq(r->all.outcome[OUTCOME_OK] +
					     r->all.outcome[OUTCOME_OVERLOAD],
				     r->all.total,
				     "%s: outcomes other than ok / overload",
				     name);
			cr_assert_gt(r->all.total, 0);
			frac[rep] = (double)r->all.outcome[OUTCOME_OVERLOAD] /
				    (double)r->all.total;
			n += r->all.total;
			free(r);
		}
		ci = tt_t_interval(frac, REPS, ALPHA);
		cr_log_info("%s: overload fraction %.5f +- %.5f (%llu "
			    "requests), Erlang B %.5f", q->name, ci.mean,
			    ci.half, (unsigned long long)n, want);
		expect_in("overload fraction", q->name, ci, want, 0,
			  want < 0.05 ? 0.03 : 0.015);
		world_config_release(&cfg);
	}
}

/* ------------------------------------------------------------ M/M/c */

static const struct qrow mmc_rows[] = {
	{ "M/M/1 2 pods rho=0.5", 2, 1, QUEUE_UNLIMITED, 0.5, EXPO(E_S),
	  2080 * S },
	{ "M/M/2 4 pods rho=0.7", 4, 2, QUEUE_UNLIMITED, 1.4, EXPO(E_S),
	  2120 * S },
	{ "M/M/8 2 pods rho=0.85", 2, 8, QUEUE_UNLIMITED, 6.8, EXPO(E_S),
	  2240 * S },
};

#define N_Q 3
static const double quantiles[N_Q] = { 0.5, 0.9, 0.99 };

Test(queueing, mmc_response_time_and_little, .timeout = 120)
{
	size_t i;
	int rep, k;

	for (i = 0; i < sizeof(mmc_rows) / sizeof(*mmc_rows); i++) {
		const struct qrow *q = &mmc_rows[i];
		double mu = (double)S / E_S, lp = q->a * mu;
		double lambda = q->pods * lp;
		double want_t = 1 / mu + erlang_c(q->c, q->a) /
						 (q->c * mu - lp);
		double t[REPS], l[REPS], qv[N_Q][REPS];
		struct world_config cfg;
		struct tt_interval ci;
		char what[64];

		qrow_config(&cfg, q, BASE_SEED + 100 + i);
		for (rep = 0; rep < REPS; rep++) {
			struct tt_run *r = tt_run(&cfg, (uint32_t)rep);
			const struct hist *h = &r->all.latency;
			double span = (double)(r->until_ns - r->start_ns);
			double area = r->m.mean_in_flight * span;
			char name[160];

			snprintf(name, sizeof(name), "%s rep %d", q->name, rep);
			tt_check_accounting(r, name, 1);
			cr_expect_eq(r->all.outcome[OUTCOME_OK], r->all.total,
				     "%s: %llu of %llu requests not ok", name,
				     (unsigned long long)(r->all.total -
						r->all.outcome[OUTCOME_OK]),
				     (unsigned long long)r->all.total);
			/* drained, all ok, no retries: the area under the
			 * in-flight curve is the sum of the latencies, both
			 * whole ns (exact in double below 2^53) */
			cr_expect_leq(fabs(area - h->sum), 1e-9 * h->sum,
				      "%s: in-flight area %.17g ns, latency "
				      "sum %.17g ns", name, area, h->sum);
			t[rep] = hist_mean(h) / S;
			/* requests per second of the arrival period times
			 * their mean time in the pods */
			l[rep] = area / (double)(q->run_ns);
			for (k = 0; k < N_Q; k++)
				qv[k][rep] = hist_quantile(h, quantiles[k]) / S;
			free(r);
		}
		ci = tt_t_interval(t, REPS, ALPHA);
		cr_log_info("%s: E[T] %.6f +- %.6f s, theory %.6f s", q->name,
			    ci.mean, ci.half, want_t);
		expect_in("mean response time (s)", q->name, ci, want_t, 0,
			  0.015);
		ci = tt_t_interval(l, REPS, ALPHA);
		cr_log_info("%s: L %.5f +- %.5f, lambda E[T] %.5f", q->name,
			    ci.mean, ci.half, lambda * want_t);
		expect_in("Little's law L = lambda E[T]", q->name, ci,
			  lambda * want_t, 0, 0.015);
		for (k = 0; k < N_Q; k++) {
			double want_q = mmc_quantile(q->c, lp, mu,
						     quantiles[k]);

			ci = tt_t_interval(qv[k], REPS, ALPHA);
			snprintf(what, sizeof(what), "p%g response time (s)",
				 100 * quantiles[k]);
			cr_log_info("%s: %s %.6f +- %.6f, theory %.6f",
				    q->name, what, ci.mean, ci.half, want_q);
			expect_in(what, q->name, ci, want_q,
				  HIST_REL * want_q, 0.03);
		}
		world_config_release(&cfg);
	}
}

/* --------------------------------------------------------- exact D/D/1 */

/* One pod, concurrency 1, constant arrivals every `gap` from TT_START
 * (the first at TT_START + gap), constant service s: with s < gap nothing
 * ever waits. Arrival k (k = 1..K, K = floor((until - start) / gap)) is
 * in the pod from t_k = start + k gap to t_k + s; the run stops at until,
 * so the request k answered is one with t_k + s <= until (an event at
 * until still runs), and the area under the in-flight curve is
 * sum_k min(s, until - t_k). until is chosen off the arrival grid. */
Test(queueing, constant_arrivals_below_capacity_are_exact)
{
	const sim_time_t gap = 10 * MS, s = 7 * MS;
	const sim_time_t until = TT_START + 10 * S + 3 * MS;
	struct world_config cfg;
	struct tt_run *r;
	sim_time_t t;
	uint64_t k = 0, done = 0;
	double area = 0, p50;

	tt_config(&cfg, 1, 1, (double)S / gap, until);
	cfg.traffic.arrivals = ARRIVALS_CONSTANT;
	cfg.images[0].concurrency = 1;
	cfg.images[0].queue_capacity = 0;
	cfg.images[0].service_time = dist_constant(s);
	r = tt_run(&cfg, 0);
	for (t = TT_START + gap; t <= until; t += gap) {
		k++;
		done += t + s <= until;
		area += (double)(t + s <= until ? s : until - t);
	}
	tt_check_accounting(r, "D/D/1 s < gap", 0);
	cr_expect_eq(r->all.total + r->all.unfinished, k,
		     "arrivals %llu, expected %llu",
		     (unsigned long long)(r->all.total + r->all.unfinished),
		     (unsigned long long)k);
	cr_expect_eq(r->all.outcome[OUTCOME_OK], done, "ok %llu, expected %llu",
		     (unsigned long long)r->all.outcome[OUTCOME_OK],
		     (unsigned long long)done);
	cr_expect_eq(tt_failed(r->all.outcome), 0, "failures: %llu",
		     (unsigned long long)tt_failed(r->all.outcome));
	cr_expect_eq(r->last_in_flight, (int32_t)(k - done),
		     "in flight at the end %d, expected %llu",
		     r->last_in_flight,
		     (unsigned long long)(k - done));
	cr_expect_eq(hist_mean(&r->all.latency), (double)s,
		     "mean latency %.17g ns, expected %lld",
		     hist_mean(&r->all.latency), (long long)s);
	cr_expect_eq(r->all.latency.max, (double)s, "max latency %.17g ns",
		     r->all.latency.max);
	p50 = hist_quantile(&r->all.latency, 0.5);
	cr_expect_leq(fabs(p50 - (double)s), HIST_REL * (double)s,
		      "p50 %.6g ns, expected %lld within %.2f %%", p50,
		      (long long)s, 100 * HIST_REL);
	/* r s = 0.7 in the steady state; the run's mean is the exact area
	 * over the span (until - start), edges included */
	cr_expect_float_eq(r->m.mean_in_flight,
			   area / (double)(until - TT_START), 1e-12,
			   "mean in flight %.15g, expected %.15g (r s = %.3g)",
			   r->m.mean_in_flight,
			   area / (double)(until - TT_START),
			   (double)s / (double)gap);
	free(r);
	world_config_release(&cfg);
}

/* s > gap, no queue: a request accepted at t holds the pod until t + s;
 * the arrivals at t + gap, ..., t + (m - 1) gap, m = ceil(s / gap), find
 * it busy (overload) and the one at t + m gap (> t + s when s is not a
 * multiple of gap) is accepted: the pattern repeats every m arrivals, so
 * of K arrivals ceil(K / m) are accepted and K - ceil(K / m) overloaded,
 * whatever the length of the run. */
Test(queueing, constant_arrivals_above_capacity_overload_exactly)
{
	static const struct {
		sim_time_t s;
		uint64_t m;
	} rows[] = { { 25 * MS, 3 }, { 15 * MS, 2 }, { 71 * MS, 8 } };
	const sim_time_t gap = 10 * MS;
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(*rows); i++) {
		struct world_config cfg;
		struct tt_run *r;
		uint64_t k = 0, acc;
		sim_time_t t, stop = TT_START + 20 * S + 5 * MS;
		char name[64];

		snprintf(name, sizeof(name), "D/D/1/1 s=%lldms",
			 (long long)(rows[i].s / MS));
		tt_config(&cfg, 1, 1, (double)S / gap, stop + 2 * S);
		cfg.traffic.arrivals = ARRIVALS_CONSTANT;
		cfg.images[0].concurrency = 1;
		cfg.images[0].queue_capacity = 0;
		cfg.images[0].service_time = dist_constant(rows[i].s);
		tt_stop(&cfg, stop);
		r = tt_run(&cfg, 0);
		for (t = TT_START + gap; t < stop; t += gap)
			k++;
		acc = (k + rows[i].m - 1) / rows[i].m;
		tt_check_accounting(r, name, 1);
		cr_expect_eq(r->all.total, k,
			     "%s: arrivals %llu, expected %llu", name,
			     (unsigned long long)r->all.total,
			     (unsigned long long)k);
		cr_expect_eq(r->all.outcome[OUTCOME_OK], acc,
			     "%s: ok %llu, expected ceil(%llu / %llu) = %llu",
			     name,
			     (unsigned long long)r->all.outcome[OUTCOME_OK],
			     (unsigned long long)k,
			     (unsigned long long)rows[i].m,
			     (unsigned long long)acc);
		cr_expect_eq(r->all.outcome[OUTCOME_OVERLOAD], k - acc,
			     "%s: overload %llu, expected %llu", name,
			     (unsigned long long)
				     r->all.outcome[OUTCOME_OVERLOAD],
			     (unsigned long long)(k - acc));
		cr_expect_eq(r->all.latency.max, (double)rows[i].s,
			     "%s: max latency %.17g", name, r->all.latency.max);
		free(r);
		world_config_release(&cfg);
	}
}
