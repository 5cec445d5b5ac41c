/* mgi_draw.c - the random draws of the aggregate mode (mgi.h): counts,
 * their multinomial split over latency buckets, and the histogram update
 * (count, sum from the bucket's conditional mean, maximum from the law of
 * the largest of k values in the bucket).
 *
 * A multinomial split of k over weights w_1..w_n is drawn as sequential
 * binomials: n_i ~ Binomial(k - n_1 - ... - n_{i-1}, w_i / (w_i + ... +
 * w_n)), which has exactly the multinomial law and lets the walk stop as
 * soon as nothing is left to place.
 */
#include "mgi.h"
#include "mgi_priv.h"

#include <limits.h>
#include <math.h>

#include <gsl/gsl_randist.h>

/* gsl_ran_poisson / binomial count in unsigned int: larger means and
 * trial counts are drawn in chunks (sums of independent Poissons are
 * Poisson, of binomials with one p binomial). */
#define MGI_CHUNK 1e9
#define MGI_BISECT_STEPS 60

uint64_t mgi_poisson(gsl_rng *r, double mu)
{
	uint64_t n = 0;

	if (!(mu > 0.0) || !isfinite(mu))
		return 0;
	while (mu > MGI_CHUNK) {
		n += gsl_ran_poisson(r, MGI_CHUNK);
		mu -= MGI_CHUNK;
	}
	return n + gsl_ran_poisson(r, mu);
}

/* Binomial(n, p) by inversion, for a small mean n p with n large: GSL's
 * own method there, with q^n as exp(n log1p(-p)) instead of a product
 * of log2(n) squarings (one draw per latency bucket makes it hot). The
 * loop gives up after MGI_BINV_MAX terms as GSL's does, and draws again
 * (the mass beyond is below 1e-30 for means under 14). */
#define MGI_BINV_MEAN 14.0
#define MGI_BINV_MAX 110
static uint64_t mgi_binomial_inv(gsl_rng *r, uint64_t n, double p)
{
	double f0 = exp((double)n * log1p(-p)), s = p / (1.0 - p);

	for (;;) {
		double f = f0, u = gsl_rng_uniform(r);
		uint64_t k;

		for (k = 0; k <= MGI_BINV_MAX && k <= n; k++) {
			if (u < f)
				return k;
			u -= f;
			f *= s * (double)(n - k) / (double)(k + 1);
		}
	}
}

uint64_t mgi_binomial(gsl_rng *r, uint64_t n, double p)
{
	uint64_t k = 0;

	if (n == 0 || !(p > 0.0))
		return 0;
	if (p >= 1.0)
		return n;
	if (n > 64 && p <= 0.5 && (double)n * p < MGI_BINV_MEAN)
		return mgi_binomial_inv(r, n, p);
	while (n > (uint64_t)UINT_MAX) {
		k += gsl_ran_binomial(r, p, UINT_MAX);
		n -= UINT_MAX;
	}
	return k + gsl_ran_binomial(r, p, (unsigned int)n);
}

/* One step of the sequential split: of k left, how many fall in a cell
 * of weight w out of rem remaining weight (the last cell takes all). */
static uint64_t mgi_step(gsl_rng *r, uint64_t k, double w, double rem,
			 int last)
{
	if (last)
		return k;
	if (!(w > 0.0))
		return 0;
	if (!(rem > w))
		return k;
	return mgi_binomial(r, k, w / rem);
}

void mgi_split(gsl_rng *r, uint64_t k, int first, const double *w, int n,
	       mgi_sink_fn sink, void *ctx)
{
	double rem = 0.0;
	int i, last = -1;

	for (i = 0; i < n; i++)
		if (w[i] > 0.0) {
			rem += w[i];
			last = i;
		}
	for (i = 0; i <= last && k > 0; i++) {
		uint64_t m = mgi_step(r, k, w[i], rem, i == last);

		if (w[i] > 0.0)
			rem -= w[i];
		if (m > 0) {
			sink(ctx, first + i, m);
			k -= m;
		}
	}
}

void mgi_split_window(const struct mgi_law *L, gsl_rng *r, uint64_t k,
		      double a, double b, double c, double d,
		      mgi_sink_fn sink, void *ctx)
{
	double total, lo_v, done = 0.0;
	int i, first, end;

	if (k == 0 || L->b_hi < L->b_lo)
		return;
	total = mgi_window(L, MGI_SERVED, a, b, c, d);
	/* a value v is decided in [c, d) for some t in [a, b) only when
	 * c - b < v < d - a */
	lo_v = c - b;
	first = lo_v > 0.0 ? hist_bucket_of(lo_v) : 0;
	end = isinf(d) ? L->b_hi : hist_bucket_of(fmax(d - a, 0.0));
	if (first < L->b_lo)
		first = L->b_lo;
	if (end > L->b_hi)
		end = L->b_hi;
	if (first > end)
		first = end;
	for (i = first; i <= end && k > 0; i++) {
		double w = mgi_window_bucket(L, i, a, b, c, d);
		uint64_t m = mgi_step(r, k, w, total - done, i == end);

		done += w;
		if (m > 0) {
			sink(ctx, i, m);
			k -= m;
		}
	}
}

/* Empirical / constant: the largest of k values in [p, q] is the atom
 * at which the conditional cdf first reaches u^(1/k). */
static double mgi_atomic_max(const struct mgi_law *L, const struct mgi_ival *I,
			     double target)
{
	struct mgi_pt o;
	double lo = I->p, hi = I->q;
	int s;

	if (L->d.kind != DIST_EMPIRICAL || L->n_xs == 0) {
		mgi_eval(L, I->p, 1, &o);
		/* the one atom: where the cdf jumps inside [p, q] */
		for (s = 0; s < MGI_BISECT_STEPS; s++) {
			double mid = 0.5 * (lo + hi);

			mgi_eval(L, mid, 0, &o);
			if (o.G - I->Gp >= target * (I->Gq - I->Gp))
				hi = mid;
			else
				lo = mid;
		}
		return hi;
	}
	{
		/* samples in [p, q): indices [i0, i1) of the sorted array */
		double n = (double)L->n_xs;
		long i0 = (long)floor(I->Gp * n + 0.5);
		long i1 = (long)floor(I->Gq * n + 0.5);
		long j = i0 + (long)ceil(target * (double)(i1 - i0)) - 1;

		if (j < i0)
			j = i0;
		if (j >= i1)
			j = i1 - 1;
		if (j < 0 || j >= L->n_xs)
			return I->p;
		return L->f * L->xs[j];      /* xs holds unscaled samples */
	}
}

double mgi_bucket_max(const struct mgi_law *L, gsl_rng *r, int bucket,
		      uint64_t k)
{
	struct mgi_ival I;
	struct mgi_pt op, oq;
	double u, target, lo, hi, mass;
	int s, upper;

	if (bucket < L->b_lo || bucket > L->b_hi)
		return fmax(mgi_edge(bucket), 1.0);
	mgi_ival_bucket(L, bucket, &I);
	if (!(I.Gq - I.Gp > 0.0))
		return fmax(I.p, 1.0);
	if (isinf(I.q))
		I.q = 2.0 * fmax(I.p, 1.0);     /* above 2^47 ns: one octave */
	u = gsl_rng_uniform_pos(r);
	/* P(max <= x) = ((G(x) - G(p-)) / mass)^k: invert at u */
	target = k > 1 ? exp(log(u) / (double)k) : u;
	if (mgi_atomic(L))
		return fmax(mgi_atomic_max(L, &I, target), 1.0);
	/* bisection on the cdf, or on the survival function in the upper
	 * half where 1 - G has lost its digits */
	mgi_eval(L, I.p, 0, &op);
	mgi_eval(L, I.q, 0, &oq);
	upper = op.G > 0.5;
	mass = upper ? op.Q - oq.Q : I.Gq - I.Gp;
	if (!(mass > 0.0))
		return fmax(0.5 * (I.p + I.q), 1.0);
	lo = I.p;
	hi = I.q;
	for (s = 0; s < MGI_BISECT_STEPS && hi - lo > 1e-3; s++) {
		double mid = 0.5 * (lo + hi), below;
		struct mgi_pt o;

		mgi_eval(L, mid, 0, &o);
		below = upper ? op.Q - o.Q : o.G - I.Gp;
		if (below >= target * mass)
			hi = mid;
		else
			lo = mid;
	}
	return fmax(0.5 * (lo + hi), 1.0);
}

static int mgi_clamp_bucket(int bucket)
{
	return bucket < 0 ? 0 : bucket >= HIST_BUCKETS ? HIST_BUCKETS - 1
						       : bucket;
}

void mgi_hist_put(const struct mgi_law *L, struct hist *h, int bucket,
		  uint64_t k)
{
	bucket = mgi_clamp_bucket(bucket);
	h->count += k;
	h->bucket[bucket] += k;
	h->sum += (double)k * mgi_bucket_mean(L, bucket);
	if (bucket < h->lo)
		h->lo = bucket;
	if (bucket > h->hi)
		h->hi = bucket;
}

void mgi_hist_add(const struct mgi_law *L, struct hist *h, gsl_rng *r,
		  int bucket, uint64_t k)
{
	if (k == 0)
		return;
	bucket = mgi_clamp_bucket(bucket);
	mgi_hist_put(L, h, bucket, k);
	/* only a bucket reaching above the current maximum can raise it */
	if (mgi_edge(bucket + 1) > h->max) {
		double m = mgi_bucket_max(L, r, bucket, k);

		if (m > h->max)
			h->max = m;
	}
}
