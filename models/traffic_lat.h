/* traffic_lat.h - the latencies of the aggregate traffic mode, split over
 * the histogram's buckets only as far as each second's quantiles need.
 *
 * Each second, every slab's ok answers of that second (k of them, their
 * bucket probabilities those of the slab's window "shape") would be
 * split multinomially over the buckets: one binomial per bucket that
 * expects a value, about a thousand a second at 100,000 requests/s. What
 * the second itself needs is less: traffic.csv's p50 and p99, i.e. the
 * buckets holding two ranks of the merged second. So the split is made
 * down a binary tree over the buckets: at each node a binomial sends
 * each item's count left or right, and only the nodes holding a wanted
 * rank are split further (about 2 x 13 levels). The counts of the nodes
 * left unsplit are added, per shape, to pools; the run's histograms get
 * them when a pool is flushed (when its slot is needed or at the end of
 * the run), split down the same tree then. Splitting a node's count by
 * one binomial per second or once for the sum of the seconds is the same
 * law (a sum of independent binomials with one p is a binomial), so the
 * run's histograms, the seconds' quantiles and their joint law are as
 * with the full split. Values of the rollout window go to pools of their
 * own (they are added to both run histograms at the flush).
 *
 * A second whose quantile falls in its highest non-empty bucket needs
 * that bucket's maximum: its count there is added to the second's
 * histogram at once, with a maximum drawn (mgi_hist_add).
 */
#ifndef RSIM_TRAFFIC_LAT_H
#define RSIM_TRAFFIC_LAT_H

#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "sim/core/mgi.h"
#include "sim/core/stats.h"

struct lat_state;

/* The law of a template's answers (valid during the call). */
typedef const struct mgi_law *(*lat_law_fn)(void *ctx, int32_t tmpl);

/* The pools flush into all (every answer) and win (those of the rollout
 * window) with r; law gives each template's law. */
int lat_new(struct lat_state **out, gsl_rng *r, struct hist *all,
	    struct hist *win, lat_law_fn law, void *ctx);
void lat_free(struct lat_state *s);

/* k ok answers of one slab this second, of template tmpl, whose window
 * shape is (first, n, ba, ca, da), with cumulative bucket weights
 * w[0..n] (w[0] = 0, copied when the shape is new); win: in the rollout
 * window. Returns 0, or -1 when they cannot be kept (out of memory, or
 * more shapes this second than slots): the caller splits them itself. */
int lat_defer(struct lat_state *s, int32_t tmpl, int first, int n,
	      double ba, double ca, double da, int win, uint64_t k,
	      const double *w);

/* The second ends: its quantiles q[0..m) (0 < q < 1) over sec (the values
 * added one by one) and the deferred answers, into out, as
 * hist_quantiles would give them had every answer been added to sec. The
 * deferred answers then go to the pools, or to sec (and the window
 * histogram) when a maximum is needed. */
void lat_second(struct lat_state *s, struct hist *sec, const double *q,
		double *out, int m);

/* Everything pooled into the run's histograms (the end of the run). */
void lat_flush_all(struct lat_state *s);

#endif
