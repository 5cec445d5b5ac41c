/* stats.c - log-bucket histogram (stats.h).
 *
 * The bucket of v is read off its IEEE-754 double: the exponent gives the
 * octave, the top HIST_SUB_BITS bits of the mantissa the sub-bucket, so
 * adding a value costs no logarithm.
 */
#include "stats.h"

#include <math.h>
#include <string.h>

void hist_init(struct hist *h)
{
	memset(h, 0, sizeof(*h));
	h->lo = HIST_BUCKETS;
	h->hi = -1;
}

void hist_clear(struct hist *h)
{
	if (h->lo <= h->hi)
		memset(&h->bucket[h->lo], 0,
		       (size_t)(h->hi - h->lo + 1) * sizeof(*h->bucket));
	h->count = 0;
	h->sum = 0;
	h->max = 0;
	h->lo = HIST_BUCKETS;
	h->hi = -1;
}

int hist_bucket_of(double v)
{
	uint64_t bits;
	int exp, sub, b;

	if (!(v >= 1.0))
		return 0;
	memcpy(&bits, &v, sizeof(bits));
	exp = (int)((bits >> 52) & 0x7ff) - 1023;        /* v >= 1: >= 0 */
	sub = (int)((bits >> (52 - HIST_SUB_BITS)) & ((1 << HIST_SUB_BITS) - 1));
	b = (exp << HIST_SUB_BITS) | sub;
	return b < HIST_BUCKETS ? b : HIST_BUCKETS - 1;
}

double hist_bucket_low(int b)
{
	int exp = b >> HIST_SUB_BITS, sub = b & ((1 << HIST_SUB_BITS) - 1);

	return ldexp(1.0 + (double)sub / (1 << HIST_SUB_BITS), exp);
}

void hist_add(struct hist *h, double v)
{
	int b;

	if (v < 1.0)
		v = 1.0;
	h->count++;
	h->sum += v;
	if (v > h->max)
		h->max = v;
	b = hist_bucket_of(v);
	h->bucket[b]++;
	if (b < h->lo)
		h->lo = b;
	if (b > h->hi)
		h->hi = b;
}

void hist_merge(struct hist *dst, const struct hist *src)
{
	int i;

	dst->count += src->count;
	dst->sum += src->sum;
	if (src->max > dst->max)
		dst->max = src->max;
	for (i = src->lo; i <= src->hi; i++)
		dst->bucket[i] += src->bucket[i];
	if (src->lo < dst->lo)
		dst->lo = src->lo;
	if (src->hi > dst->hi)
		dst->hi = src->hi;
}

double hist_mean(const struct hist *h)
{
	return h->count ? h->sum / (double)h->count : 0.0;
}

/* The rank of the q-quantile: the smallest value with at least
 * ceil(q * count) values <= it. */
static uint64_t quantile_rank(const struct hist *h, double q)
{
	uint64_t rank;

	if (q < 0)
		q = 0;
	rank = (uint64_t)ceil(q * (double)h->count);
	return rank == 0 ? 1 : rank;
}

static double bucket_value(const struct hist *h, int b)
{
	double mid = sqrt(hist_bucket_low(b) * hist_bucket_low(b + 1));

	return mid < h->max ? mid : h->max;
}

void hist_quantiles(const struct hist *h, const double *q, double *out,
		    int n)
{
	uint64_t seen = 0;
	int b = h->lo, k;

	for (k = 0; k < n; k++) {
		uint64_t rank;

		if (h->count == 0 || q[k] >= 1.0) {
			out[k] = h->count ? h->max : 0.0;
			continue;
		}
		rank = quantile_rank(h, q[k]);
		while (b < HIST_BUCKETS && seen + h->bucket[b] < rank)
			seen += h->bucket[b++];
		out[k] = b < HIST_BUCKETS ? bucket_value(h, b) : h->max;
	}
}

double hist_quantile(const struct hist *h, double q)
{
	double v;

	hist_quantiles(h, &q, &v, 1);
	return v;
}
