/* stats.h - streaming statistics with bounded memory.
 *
 * A log-bucket histogram of positive values (latencies in ns): each power
 * of two is cut into 128 equal sub-buckets, so a bucket spans a ratio of
 * at most 1 + 1/128 and the value reported for a quantile (the bucket's
 * geometric middle) is within 0.39 % of every value in the bucket. Values from 1 ns to 2^47 ns
 * (~39 h) are kept; smaller or larger ones land in the end buckets. The
 * count, sum (for the mean) and maximum are exact. Memory is fixed
 * (HIST_BUCKETS counters) whatever the number of values.
 */
#ifndef RSIM_STATS_H
#define RSIM_STATS_H

#include <stdint.h>

#define HIST_SUB_BITS 7                      /* 128 buckets per octave */
#define HIST_OCTAVES 48
#define HIST_BUCKETS (HIST_OCTAVES << HIST_SUB_BITS)

struct hist {
	uint64_t count;
	double sum;
	double max;
	int lo, hi;                  /* buckets in use: [lo, hi], lo > hi
					when empty */
	uint64_t bucket[HIST_BUCKETS];
};

void hist_init(struct hist *h);
/* Empties h, touching only the buckets in use (cheap when few are). */
void hist_clear(struct hist *h);
/* Adds a value (ns, > 0; values <= 0 count as 1 ns). */
void hist_add(struct hist *h, double v);
/* Adds every value of src to dst. */
void hist_merge(struct hist *dst, const struct hist *src);
/* The q-quantile (0 <= q <= 1) as the geometric middle of its bucket;
 * 0 when empty. The exact maximum for q = 1. */
double hist_quantile(const struct hist *h, double q);
double hist_mean(const struct hist *h);
/* The quantiles q[0..n-1] (ascending) in one pass, into out[]. */
void hist_quantiles(const struct hist *h, const double *q, double *out,
		    int n);

/* The bucket index of v and the bucket's bounds (for tests). */
int hist_bucket_of(double v);
double hist_bucket_low(int b);

#endif
