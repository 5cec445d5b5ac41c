/* traffic_lat.c - the aggregate mode's latencies, split as far as each
 * second's quantiles need, the rest pooled (traffic_lat.h).
 *
 * The tree: node 1 covers buckets [0, LAT_LEAVES), node i's children
 * are 2i and 2i + 1, the leaf of bucket b is LAT_LEAVES + b. An item's
 * weight on a node is the sum of its shape's bucket weights there (a
 * difference of two cumulative weights).
 */
#include "traffic_lat.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/alloc.h"

#define LAT_LEAVES 8192               /* >= HIST_BUCKETS, a power of 2 */
#define LAT_NODES (2 * LAT_LEAVES)
#define LAT_DEPTH 14                  /* levels, root to leaf */
#define LAT_POOLS 16                  /* shapes kept at once */
#define LAT_RANKS 8                   /* quantiles asked at once */

_Static_assert(LAT_LEAVES >= HIST_BUCKETS, "a leaf per bucket");

struct lat_pool {
	int used;                     /* holds a shape */
	int busy;                     /* an item of this second uses it */
	int32_t tmpl;
	int first, n;
	double ba, ca, da;
	double *w;                    /* n + 1 cumulative weights */
	int cap_w;
	uint64_t *acc[2];             /* per node: outside / inside the
					 rollout window; NULL until used */
	int dirty[2];
};

struct lat_item {
	int pool;
	int win;
	uint64_t k;
};

struct lat_rank {
	uint64_t r;                   /* 1-based, within the node */
	int idx;                      /* into q[] */
};

struct lat_state {
	gsl_rng *r;
	struct hist *all, *win;
	lat_law_fn law;
	void *ctx;
	struct lat_pool pool[LAT_POOLS];
	int next;                     /* the slot to reuse next */
	struct lat_item *item;
	int n_item, cap_item;
	uint64_t *cnt;                /* LAT_DEPTH x 2 x cap_item counts */
	uint64_t *pre;                /* sec's counts before each bucket */
	const struct hist *sec;
	uint64_t total;
	/* what lat_second finds */
	int leaf[LAT_RANKS];
	int top[LAT_RANKS];
};

int lat_new(struct lat_state **out, gsl_rng *r, struct hist *all,
	    struct hist *win, lat_law_fn law, void *ctx)
{
	struct lat_state *s = rsim_malloc(sizeof(*s));

	*out = NULL;
	if (!s)
		return -1;
	memset(s, 0, sizeof(*s));
	s->pre = rsim_malloc((HIST_BUCKETS + 1) * sizeof(*s->pre));
	if (!s->pre) {
		free(s);
		return -1;
	}
	s->r = r;
	s->all = all;
	s->win = win;
	s->law = law;
	s->ctx = ctx;
	*out = s;
	return 0;
}

void lat_free(struct lat_state *s)
{
	int i;

	if (!s)
		return;
	for (i = 0; i < LAT_POOLS; i++) {
		free(s->pool[i].w);
		free(s->pool[i].acc[0]);
		free(s->pool[i].acc[1]);
	}
	free(s->item);
	free(s->cnt);
	free(s->pre);
	free(s);
}

/* The pool's weight on buckets [lo, hi). */
static double pool_weight(const struct lat_pool *p, int lo, int hi)
{
	int a = lo - p->first, b = hi - p->first;

	a = a < 0 ? 0 : a > p->n ? p->n : a;
	b = b < 0 ? 0 : b > p->n ? p->n : b;
	return p->w[b] - p->w[a];
}

/* Node i's range [lo, hi). */
static void node_range(int i, int *lo, int *hi)
{
	int level = 0, span;

	while ((1 << (level + 1)) <= i)
		level++;
	span = LAT_LEAVES >> level;
	*lo = (i - (1 << level)) * span;
	*hi = *lo + span;
}

/* Splits pool p's side down to the leaves and adds them to the run's
 * histograms (the highest with its maximum drawn). */
static void pool_flush_side(struct lat_state *s, struct lat_pool *p, int side)
{
	const struct mgi_law *L = s->law(s->ctx, p->tmpl);
	uint64_t *acc = p->acc[side];
	int i, lo, hi, top = -1;

	if (!acc || !p->dirty[side] || !L)
		return;
	for (i = 1; i < LAT_LEAVES; i++) {
		double W, WL;
		uint64_t l;

		if (acc[i] == 0)
			continue;
		node_range(i, &lo, &hi);
		W = pool_weight(p, lo, hi);
		WL = pool_weight(p, lo, (lo + hi) / 2);
		l = W > 0 && WL < W ? mgi_binomial(s->r, acc[i], WL / W)
				    : acc[i];
		acc[2 * i] += l;
		acc[2 * i + 1] += acc[i] - l;
		acc[i] = 0;
	}
	for (i = 0; i < HIST_BUCKETS; i++)
		if (acc[LAT_LEAVES + i])
			top = i;
	for (i = 0; i <= top; i++) {
		uint64_t k = acc[LAT_LEAVES + i];

		if (k == 0)
			continue;
		acc[LAT_LEAVES + i] = 0;
		if (i < top) {
			mgi_hist_put(L, s->all, i, k);
			if (side)
				mgi_hist_put(L, s->win, i, k);
			continue;
		}
		mgi_hist_add(L, s->all, s->r, i, k);
		if (side)
			mgi_hist_add(L, s->win, s->r, i, k);
	}
	p->dirty[side] = 0;
}

static void pool_flush(struct lat_state *s, struct lat_pool *p)
{
	pool_flush_side(s, p, 0);
	pool_flush_side(s, p, 1);
}

void lat_flush_all(struct lat_state *s)
{
	int i;

	if (!s)
		return;
	for (i = 0; i < LAT_POOLS; i++)
		if (s->pool[i].used)
			pool_flush(s, &s->pool[i]);
}

/* The pool of a shape: found, or a free slot, or one not used this
 * second flushed and taken. -1 when none (or out of memory). */
static int pool_of(struct lat_state *s, int32_t tmpl, int first, int n,
		   double ba, double ca, double da, const double *w)
{
	struct lat_pool *p;
	int i, j;

	for (i = 0; i < LAT_POOLS; i++) {
		p = &s->pool[i];
		if (p->used && p->tmpl == tmpl && p->first == first &&
		    p->n == n && p->ba == ba && p->ca == ca && p->da == da)
			return i;
	}
	for (j = 0; j < LAT_POOLS; j++) {
		i = (s->next + j) % LAT_POOLS;
		if (!s->pool[i].busy)
			break;
	}
	if (j == LAT_POOLS)
		return -1;
	s->next = (i + 1) % LAT_POOLS;
	p = &s->pool[i];
	if (p->used)
		pool_flush(s, p);
	p->used = 0;
	if (p->cap_w < n + 1) {
		double *nw = rsim_realloc(p->w, (size_t)(n + 1) * sizeof(*nw));

		if (!nw)
			return -1;
		p->w = nw;
		p->cap_w = n + 1;
	}
	memcpy(p->w, w, (size_t)(n + 1) * sizeof(*w));
	p->tmpl = tmpl;
	p->first = first;
	p->n = n;
	p->ba = ba;
	p->ca = ca;
	p->da = da;
	p->used = 1;
	return i;
}

int lat_defer(struct lat_state *s, int32_t tmpl, int first, int n,
	      double ba, double ca, double da, int win, uint64_t k,
	      const double *w)
{
	int pi = pool_of(s, tmpl, first, n, ba, ca, da, w);
	struct lat_pool *p;

	if (pi < 0)
		return -1;
	p = &s->pool[pi];
	win = win ? 1 : 0;
	if (!p->acc[win]) {
		p->acc[win] = rsim_malloc(LAT_NODES * sizeof(uint64_t));
		if (!p->acc[win])
			return -1;
		memset(p->acc[win], 0, LAT_NODES * sizeof(uint64_t));
	}
	if (s->n_item == s->cap_item) {
		int cap = s->cap_item ? 2 * s->cap_item : 8;
		struct lat_item *it = rsim_realloc(s->item, (size_t)cap *
						   sizeof(*it));
		uint64_t *c;

		if (!it)
			return -1;
		s->item = it;
		c = rsim_realloc(s->cnt, (size_t)LAT_DEPTH * 2 * (size_t)cap *
				 sizeof(*c));
		if (!c)
			return -1;
		s->cnt = c;
		s->cap_item = cap;
	}
	s->item[s->n_item].pool = pi;
	s->item[s->n_item].win = win;
	s->item[s->n_item].k = k;
	s->n_item++;
	p->busy = 1;
	return 0;
}

/* sec's count on buckets [lo, hi). */
static uint64_t sec_count(const struct lat_state *s, int lo, int hi)
{
	if (lo > HIST_BUCKETS)
		lo = HIST_BUCKETS;
	if (hi > HIST_BUCKETS)
		hi = HIST_BUCKETS;
	return s->pre[hi] - s->pre[lo];
}

/* Item i's count c goes to its pool at node. */
static void defer_node(struct lat_state *s, int i, int node, uint64_t c)
{
	struct lat_pool *p = &s->pool[s->item[i].pool];

	if (c == 0)
		return;
	p->acc[s->item[i].win][node] += c;
	p->dirty[s->item[i].win] = 1;
}

/* The counts at node are c[0..n_item); ranks rk[0..nr) (ascending,
 * within the node); before: the values below the node. */
static void descend(struct lat_state *s, int node, int depth,
		    const uint64_t *c, const struct lat_rank *rk, int nr,
		    uint64_t before)
{
	struct lat_rank left[LAT_RANKS], right[LAT_RANKS];
	uint64_t *lc, *rc, tl;
	int lo, hi, mid, i, nl = 0, nrr = 0;

	memset(left, 0, sizeof(left));
	memset(right, 0, sizeof(right));
	node_range(node, &lo, &hi);
	if (hi - lo == 1) {
		uint64_t here = sec_count(s, lo, hi), above;

		for (i = 0; i < s->n_item; i++)
			here += c[i];
		above = s->total - before - here;
		for (i = 0; i < nr; i++) {
			s->leaf[rk[i].idx] = lo;
			s->top[rk[i].idx] = above == 0;
		}
		if (above == 0 && lo < HIST_BUCKETS) {
			/* the second's highest bucket: its maximum */
			for (i = 0; i < s->n_item; i++) {
				const struct lat_pool *p =
					&s->pool[s->item[i].pool];
				const struct mgi_law *L = s->law(s->ctx,
								 p->tmpl);

				if (c[i] == 0)
					continue;
				mgi_hist_add(L, (struct hist *)s->sec, s->r,
					     lo, c[i]);
				if (s->item[i].win)
					mgi_hist_add(L, s->win, s->r, lo,
						     c[i]);
			}
			return;
		}
		for (i = 0; i < s->n_item; i++)
			defer_node(s, i, node, c[i]);
		return;
	}
	mid = (lo + hi) / 2;
	lc = &s->cnt[(size_t)(2 * depth) * (size_t)s->cap_item];
	rc = lc + s->cap_item;
	tl = sec_count(s, lo, mid);
	for (i = 0; i < s->n_item; i++) {
		const struct lat_pool *p = &s->pool[s->item[i].pool];
		double W = c[i] ? pool_weight(p, lo, hi) : 0.0, WL;

		lc[i] = 0;
		if (c[i] > 0) {
			WL = pool_weight(p, lo, mid);
			lc[i] = W > 0 && WL < W ?
				mgi_binomial(s->r, c[i], WL / W) : c[i];
		}
		rc[i] = c[i] - lc[i];
		tl += lc[i];
	}
	for (i = 0; i < nr; i++) {
		if (rk[i].r <= tl) {
			left[nl++] = rk[i];
		} else {
			right[nrr] = rk[i];
			right[nrr++].r -= tl;
		}
	}
	if (nl)
		descend(s, 2 * node, depth + 1, lc, left, nl, before);
	else
		for (i = 0; i < s->n_item; i++)
			defer_node(s, i, 2 * node, lc[i]);
	if (nrr)
		descend(s, 2 * node + 1, depth + 1, rc, right, nrr,
			before + tl);
	else
		for (i = 0; i < s->n_item; i++)
			defer_node(s, i, 2 * node + 1, rc[i]);
}

void lat_second(struct lat_state *s, struct hist *sec, const double *q,
		double *out, int m)
{
	struct lat_rank rk[LAT_RANKS];
	uint64_t *c;
	int i, j;

	memset(rk, 0, sizeof(rk));
	if (s->n_item == 0) {
		if (m > 0)
			hist_quantiles(sec, q, out, m);
		return;
	}
	s->sec = sec;
	s->total = sec->count;
	for (i = 0; i < s->n_item; i++)
		s->total += s->item[i].k;
	memset(s->pre, 0, (HIST_BUCKETS + 1) * sizeof(*s->pre));
	for (i = 0; i < HIST_BUCKETS; i++)
		s->pre[i + 1] = s->pre[i] +
				(i >= sec->lo && i <= sec->hi ? sec->bucket[i]
							      : 0);
	if (m > LAT_RANKS)
		m = LAT_RANKS;
	if (m == 0) {                   /* nothing asked: all pooled */
		for (i = 0; i < s->n_item; i++)
			defer_node(s, i, 1, s->item[i].k);
		goto done;
	}
	for (i = 0; i < m; i++) {
		uint64_t r = (uint64_t)ceil(q[i] * (double)s->total);

		rk[i].r = r == 0 ? 1 : r > s->total ? s->total : r;
		rk[i].idx = i;
	}
	for (i = 1; i < m; i++)          /* ascending ranks */
		for (j = i; j > 0 && rk[j].r < rk[j - 1].r; j--) {
			struct lat_rank t = rk[j];

			rk[j] = rk[j - 1];
			rk[j - 1] = t;
		}
	c = &s->cnt[(size_t)(2 * (LAT_DEPTH - 1)) * (size_t)s->cap_item];
	for (i = 0; i < s->n_item; i++)
		c[i] = s->item[i].k;
	descend(s, 1, 0, c, rk, m, 0);
	for (i = 0; i < m; i++) {
		int b = s->leaf[i];
		double mid = sqrt(hist_bucket_low(b) * hist_bucket_low(b + 1));

		out[i] = s->top[i] && sec->max < mid ? sec->max : mid;
	}
done:
	for (i = 0; i < s->n_item; i++)
		s->pool[s->item[i].pool].busy = 0;
	s->n_item = 0;
}
