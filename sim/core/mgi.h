/* mgi.h - exact window probabilities of an M/G/inf stream, for the
 * aggregate traffic mode.
 *
 * A "law" is the service time V = f*S of a struct dist S scaled by a
 * factor f > 0, seen by a client with timeout T ns (T = 0: none). The
 * client decides a request sent at t at t + X with X = min(V, T): served
 * (ok or app_error) when V <= T, timed out (atom at X = T) when V > T.
 * Every time and value is in nanoseconds (double).
 *
 * Notation used below, for the law's values V:
 *   G(x)  = P(V <= x)                  cdf
 *   H(x)  = E[V; V <= x]               partial first moment
 *   IG(x) = int_0^x G(u) du = x G(x) - H(x) = E[(x - V)+]
 * A "part" of the decided requests is one of: every decision (X any),
 * the served ones (V <= T), the served ones whose latency V lies in the
 * histogram bucket [lo, hi), or the timeouts (X = T). For a slab of
 * arrivals spread uniformly over [a, b) and a window [c, d):
 *   W(a, b, c, d) = (1/(b-a)) int_a^b P(c <= t + X < d, part) dt
 * (b == a: the point value P(c <= a + X < d, part)); d = HUGE_VAL (+inf) is
 * allowed. All of it is closed form in G, H (see mgi.c).
 *
 * The histogram edges are those of struct hist (sim/core/stats.h): bucket
 * 0 also holds values below 1 ns, the last bucket everything above its
 * low edge. A table of G and H at the edges is built once per law
 * (mgi_law_init), so that a per-bucket window probability costs a few
 * table reads, except the <= 4 buckets a window edge falls into.
 *
 * Nothing here allocates after mgi_law_init; a law is read-only after
 * it (the rng is the caller's).
 */
#ifndef RSIM_MGI_H
#define RSIM_MGI_H

#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "dist.h"
#include "stats.h"

/* A pod is "far from capacity" (its requests do not interact, the
 * M/G/inf model holds) when the Erlang-B blocking probability of its
 * offered load and concurrency is below this. */
#define MGI_FAR_BLOCKING 1e-6

/* The kind of decision a window probability counts. */
enum mgi_part {
	MGI_ALL = 0,     /* every decision, X = min(V, T) */
	MGI_SERVED,      /* V <= T (or no timeout): ok or app_error */
	MGI_TIMEOUT      /* V > T: decided at exactly T */
};

struct mgi_law {
	struct dist d;         /* the service law (empirical samples are
				  copied to xs, d.samples is NULL) */
	double f;              /* scale factor */
	double T;              /* client timeout ns, 0 = none */
	double mean;           /* E[V] */
	double G_T, Q_T;       /* P(V <= T), P(V > T) (1, 0 when T = 0) */
	double H_T, U_T;       /* E[V; V <= T], E[V; V > T] */
	/* buckets that can hold a served value: [b_lo, b_hi] (outside it
	 * the law has < MGI_TAIL mass on each side). The tables have
	 * n_edges = b_hi - b_lo + 2 entries: entry i is the low edge of
	 * bucket b_lo + i (0 for bucket 0), the last one the high edge of
	 * b_hi (+inf for the last bucket); at edge x they hold
	 * P(V < x), P(V >= x), E[V; V < x], E[V; V >= x]. */
	int b_lo, b_hi;
	double *edge, *Gl, *Ql, *Hl, *Ul;
	double *xs, *cs;       /* empirical: sorted samples, prefix sums */
	int n_xs;
	double *bmean;         /* mgi_bucket_mean of b_lo .. b_hi */
};

/* Tail mass left out of the bucket range on each side. */
#define MGI_TAIL 1e-16

/* Builds the tables of law f*d with timeout T (ns, 0 = none). f > 0.
 * Returns 0 or RSIM_ENOMEM (the law is then empty: release is safe). */
int mgi_law_init(struct mgi_law *L, const struct dist *d, double f,
		 double timeout_ns);
void mgi_law_release(struct mgi_law *L);

/* G(x) = P(V <= x), its survival 1 - G(x) computed without
 * cancellation, and H(x) = E[V; V <= x]. */
double mgi_cdf(const struct mgi_law *L, double x);
double mgi_sf(const struct mgi_law *L, double x);
double mgi_pmean(const struct mgi_law *L, double x);
/* IG(x) = int_0^x G(u) du = x G(x) - H(x) (0 for x <= 0). */
double mgi_icdf_int(const struct mgi_law *L, double x);

/* Total probability of a part: P(part) (MGI_ALL: 1, MGI_SERVED: G(T),
 * MGI_TIMEOUT: 1 - G(T)). */
double mgi_part_mass(const struct mgi_law *L, enum mgi_part part);

/* W(a, b, c, d) of a part (see the top of the file). b >= a, d >= c,
 * d may be HUGE_VAL. Exact for every family (atoms included). */
double mgi_window(const struct mgi_law *L, enum mgi_part part, double a,
		  double b, double c, double d);
/* The same for the served requests whose latency V is in histogram
 * bucket `bucket` (any index; 0 outside [b_lo, b_hi]). */
double mgi_window_bucket(const struct mgi_law *L, int bucket, double a,
			 double b, double c, double d);

/* Occupancy: O(a, b, t0) = (1/(b-a)) int_a^b P(t <= t0 < t + V) dt, the
 * probability that a request of the slab is inside the pod (server view:
 * a timed-out request still occupies it) at t0. Mean count of a slab of
 * rate lambda: lambda (b - a) O. b == a: P(a <= t0 < a + V). */
double mgi_occupancy(const struct mgi_law *L, double a, double b,
		     double t0);
/* E[V | lo <= V < hi] (the midpoint when the law has no mass there). */
double mgi_cond_mean(const struct mgi_law *L, double lo, double hi);
/* E[V | V in histogram bucket], clipped to >= 1 ns as hist_add does. */
double mgi_bucket_mean(const struct mgi_law *L, int bucket);

/* Erlang-B blocking probability B(a, c) of offered load a (erlangs) on c
 * servers, by the recursion B(a,0) = 1, B(a,k) = a B / (k + a B). */
double mgi_erlang_b(double a, int c);
/* 1 when a pod with this offered load and concurrency is far from
 * capacity: mgi_erlang_b(a, c) < MGI_FAR_BLOCKING. */
int mgi_is_far(double a, int c);

/* Draws (GSL): Poisson(mu) (0 for mu <= 0) and Binomial(n, p) (p
 * clamped to [0, 1]); counts beyond unsigned int are drawn in chunks. */
uint64_t mgi_poisson(gsl_rng *r, double mu);
uint64_t mgi_binomial(gsl_rng *r, uint64_t n, double p);

/* Receives `count` (> 0) values in histogram bucket `bucket`. */
typedef void (*mgi_sink_fn)(void *ctx, int bucket, uint64_t count);

/* Splits k values multinomially over buckets first + i (i < n) with
 * weights w[i] >= 0 (need not sum to 1): sequential binomials, stopping
 * as soon as all k are placed. Calls sink once per bucket with a
 * non-zero count, in increasing bucket order. Nothing when the weights
 * sum to 0. */
void mgi_split(gsl_rng *r, uint64_t k, int first, const double *w, int n,
	       mgi_sink_fn sink, void *ctx);

/* Splits k served requests of slab [a, b) decided in window [c, d) over
 * the latency buckets, each with probability mgi_window_bucket(...) /
 * (sum over buckets); only the buckets a value decided in the window
 * can lie in are visited, in increasing order, stopping when all k are
 * placed (the last one visited takes the remainder). */
void mgi_split_window(const struct mgi_law *L, gsl_rng *r, uint64_t k,
		      double a, double b, double c, double d,
		      mgi_sink_fn sink, void *ctx);

/* The maximum of k >= 1 iid values of V conditioned on the bucket. */
double mgi_bucket_max(const struct mgi_law *L, gsl_rng *r, int bucket,
		      uint64_t k);

/* Adds k values of bucket (clamped to the histogram) to h: count,
 * bucket, lo/hi, sum += k E[V | bucket]; the maximum is left alone. */
void mgi_hist_put(const struct mgi_law *L, struct hist *h, int bucket,
		  uint64_t k);

/* Adds k values of V conditioned on bucket to h: count, bucket, lo/hi,
 * sum += k E[V | bucket], max from mgi_bucket_max when the bucket can
 * hold a value above h->max (the rng is used only then). Within one
 * bucket (width < 0.8 %) the law is the law's own, not tilted by the
 * window a value was decided in. */
void mgi_hist_add(const struct mgi_law *L, struct hist *h, gsl_rng *r,
		  int bucket, uint64_t k);

#endif
