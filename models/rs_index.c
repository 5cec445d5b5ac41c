/* rs_index.c - the deletion-ranking index of each ReplicaSet (rs_index.h).
 */
#include "rs_index.h"

#include <stdlib.h>
#include <string.h>

#include "sim/core/alloc.h"
#include "world_impl.h"

#define RSX_MIN_CAP 16
#define RSX_NO_UID UINT64_MAX

static struct rs_index *rsx_of(struct world *w, int32_t pod)
{
	return &w->rs[w->pods[pod].rs].vx;
}

/* --- not Ready: pod indices in ascending order, stale entries allowed */

static int wait_live(const struct world *w, const struct rs_index *x,
		     int32_t k)
{
	const struct pod *p = &w->pods[x->wait[k]];

	return p->vx_set == RSX_WAIT && p->vx_pos == k;
}

/* Squeezes the stale entries out (order kept). */
static void wait_compact(struct world *w, struct rs_index *x)
{
	int32_t k, m = 0;

	for (k = 0; k < x->n_wait; k++)
		if (wait_live(w, x, k)) {
			x->wait[m] = x->wait[k];
			w->pods[x->wait[m]].vx_pos = m;
			m++;
		}
	x->n_wait = m;
	x->stale_wait = 0;
}

static int wait_add(struct world *w, int32_t pod)
{
	struct rs_index *x = rsx_of(w, pod);
	int32_t lo = 0, hi, k;

	if (x->n_wait == x->cap_wait) {
		if (x->stale_wait > x->n_wait / 2) {
			wait_compact(w, x);
		} else {
			int32_t cap = x->cap_wait ? 2 * x->cap_wait
						  : RSX_MIN_CAP;
			int32_t *a = rsim_realloc(x->wait,
						  (size_t)cap * sizeof(*a));

			if (!a)
				return -1;
			x->wait = a;
			x->cap_wait = cap;
		}
	}
	/* first entry above pod: usually the end (pods are created in
	 * index order); a pod that lost Ready goes back to its place */
	hi = x->n_wait;
	if (hi > 0 && x->wait[hi - 1] > pod)
		while (lo < hi) {
			int32_t mid = lo + (hi - lo) / 2;

			if (x->wait[mid] < pod)
				lo = mid + 1;
			else
				hi = mid;
		}
	else
		lo = hi;
	memmove(&x->wait[lo + 1], &x->wait[lo],
		(size_t)(x->n_wait - lo) * sizeof(*x->wait));
	x->wait[lo] = pod;
	x->n_wait++;
	for (k = lo + 1; k < x->n_wait; k++) {
		struct pod *q = &w->pods[x->wait[k]];

		if (q->vx_set == RSX_WAIT && q->vx_pos == k - 1)
			q->vx_pos = k;
	}
	w->pods[pod].vx_pos = lo;
	w->pods[pod].vx_set = RSX_WAIT;
	return 0;
}

static void wait_drop(struct world *w, int32_t pod)
{
	struct rs_index *x = rsx_of(w, pod);

	w->pods[pod].vx_set = RSX_NONE;
	if (++x->stale_wait > x->n_wait / 2 && x->n_wait > RSX_MIN_CAP)
		wait_compact(w, x);
}

/* --- Ready: pod indices in Ready order, a segment tree of UIDs */

/* Leaf pos holds uid (RSX_NO_UID when empty). */
static void tree_set(struct rs_index *x, int32_t pos, uint64_t uid)
{
	int32_t i = x->cap_ready + pos;

	x->tree[i] = uid;
	for (i /= 2; i >= 1; i /= 2) {
		uint64_t a = x->tree[2 * i], b = x->tree[2 * i + 1];

		x->tree[i] = a < b ? a : b;
	}
}

static void tree_build(struct world *w, struct rs_index *x)
{
	int32_t i;

	for (i = 0; i < x->cap_ready; i++)
		x->tree[x->cap_ready + i] = RSX_NO_UID;
	for (i = 0; i < x->n_ready; i++)
		if (x->ready[i] >= 0)
			x->tree[x->cap_ready + i] = w->pods[x->ready[i]].uid;
	for (i = x->cap_ready - 1; i >= 1; i--) {
		uint64_t a = x->tree[2 * i], b = x->tree[2 * i + 1];

		x->tree[i] = a < b ? a : b;
	}
}

/* Room for one more: squeeze out the departed pods (-1 entries) when
 * they are half, else double. */
static int ready_room(struct world *w, struct rs_index *x)
{
	int32_t k, m = 0, cap = x->cap_ready;

	if (x->n_ready < x->cap_ready)
		return 0;
	if (x->live_ready > cap / 2 || cap == 0) {
		int32_t *r;
		sim_time_t *t;
		uint64_t *tr;

		cap = cap ? 2 * cap : RSX_MIN_CAP;
		r = rsim_realloc(x->ready, (size_t)cap * sizeof(*r));
		if (!r)
			return -1;
		x->ready = r;
		t = rsim_realloc(x->ready_t, (size_t)cap * sizeof(*t));
		if (!t)
			return -1;
		x->ready_t = t;
		tr = rsim_realloc(x->tree, 2 * (size_t)cap * sizeof(*tr));
		if (!tr)
			return -1;
		x->tree = tr;
		x->cap_ready = cap;
	}
	for (k = 0; k < x->n_ready; k++)
		if (x->ready[k] >= 0) {
			x->ready[m] = x->ready[k];
			x->ready_t[m] = x->ready_t[k];
			w->pods[x->ready[m]].vx_pos = m;
			m++;
		}
	x->n_ready = m;
	tree_build(w, x);
	return 0;
}

static int ready_add(struct world *w, int32_t pod)
{
	struct rs_index *x = rsx_of(w, pod);
	struct pod *p = &w->pods[pod];

	if (ready_room(w, x))
		return -1;
	x->ready[x->n_ready] = pod;
	x->ready_t[x->n_ready] = engine_now(w->eng);   /* its Ready time */
	p->vx_pos = x->n_ready++;
	p->vx_set = RSX_READY;
	x->live_ready++;
	tree_set(x, p->vx_pos, p->uid);
	return 0;
}

static void ready_drop(struct world *w, int32_t pod)
{
	struct rs_index *x = rsx_of(w, pod);
	struct pod *p = &w->pods[pod];

	x->ready[p->vx_pos] = -1;
	tree_set(x, p->vx_pos, RSX_NO_UID);
	x->live_ready--;
	p->vx_set = RSX_NONE;
}

/* The last position holding a pod, -1 for none. */
static int32_t ready_last(const struct rs_index *x)
{
	int32_t i = 1;

	if (x->cap_ready == 0 || x->tree[1] == RSX_NO_UID)
		return -1;
	while (i < x->cap_ready)
		i = x->tree[2 * i + 1] != RSX_NO_UID ? 2 * i + 1 : 2 * i;
	return i - x->cap_ready;
}

/* The smallest UID in [lo, hi) (RSX_NO_UID for none), its position in
 * *pos. */
static uint64_t ready_min_uid(const struct rs_index *x, int32_t lo,
			      int32_t hi, int32_t *pos)
{
	int32_t l = lo + x->cap_ready, r = hi + x->cap_ready, best = 0;
	uint64_t v = RSX_NO_UID;

	for (; l < r; l /= 2, r /= 2) {
		if (l & 1) {
			if (x->tree[l] < v)
				v = x->tree[best = l];
			l++;
		}
		if (r & 1) {
			--r;
			if (x->tree[r] < v)
				v = x->tree[best = r];
		}
	}
	if (v == RSX_NO_UID)
		return v;
	while (best < x->cap_ready)
		best = x->tree[2 * best] == v ? 2 * best : 2 * best + 1;
	*pos = best - x->cap_ready;
	return v;
}

/* The first position whose Ready time is after t. */
static int32_t ready_after(const struct rs_index *x, sim_time_t t)
{
	int32_t lo = 0, hi = x->n_ready;

	while (lo < hi) {
		int32_t mid = lo + (hi - lo) / 2;

		if (x->ready_t[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The first Ready pod of the ranking at now, -1 for none. Rule 6 keeps
 * the youngest log2 bucket of Ready age: the pods whose age is below
 * 2^(b+1), b the bucket of the most recent one, a suffix [lo, n). In it,
 * pods Ready at different times go by UID; pods Ready at the same time
 * by rules 7 and 8 (restarts, creation time). So: the smallest UID u,
 * the pods Ready when its pod was (a run [g, h)), the first of them by
 * the comparator, m. Where the ranking has a minimum it is m (it must
 * beat u's pod, so it is in the run, and beat the rest of the run);
 * where it has none, m is the pick. A run is one pod unless Ready times
 * coincide (probes of pods started together); a large one (thousands of
 * pods started at one instant with constant timings) costs its size per
 * victim. */
static int32_t ready_first(const struct world *w, const struct rs_index *x,
			   sim_time_t now)
{
	struct rs_victim best, v;
	int32_t last = ready_last(x), b, lo, pos = 0, g, h, i, at;

	if (last < 0)
		return -1;
	b = rs_log2_bucket(now - x->ready_t[last]);
	lo = b >= 61 ? 0 : ready_after(x, now - ((sim_time_t)2 << b));
	ready_min_uid(x, lo, x->n_ready, &pos);
	g = ready_after(x, x->ready_t[pos] - 1);
	h = ready_after(x, x->ready_t[pos]);
	if (h - g == 1)
		return pos;
	/* the run, ranked by the comparator (rules 7 and 8) */
	at = pos;
	best.pod = x->ready[pos];
	rs_rank_key(w, best.pod, &best.key);
	for (i = g; i < h; i++) {
		if (i == pos || x->tree[x->cap_ready + i] == RSX_NO_UID)
			continue;
		v.pod = x->ready[i];
		rs_rank_key(w, v.pod, &v.key);
		if (rs_victim_cmp(&v, &best, now) < 0) {
			best = v;
			at = i;
		}
	}
	return at;
}

/* --- the listeners */

int rs_index_created(struct world *w, int32_t pod)
{
	return wait_add(w, pod);
}

int rs_index_ready(struct world *w, int32_t pod, int on)
{
	struct pod *p = &w->pods[pod];

	if (p->vx_set == (on ? RSX_READY : RSX_WAIT) ||
	    p->vx_set == RSX_NONE)
		return 0;
	if (on) {
		if (ready_room(w, rsx_of(w, pod)))
			return -1;
		wait_drop(w, pod);
		return ready_add(w, pod);
	}
	ready_drop(w, pod);
	return wait_add(w, pod);
}

void rs_index_deleted(struct world *w, int32_t pod)
{
	if (w->pods[pod].vx_set == RSX_WAIT)
		wait_drop(w, pod);
	else if (w->pods[pod].vx_set == RSX_READY)
		ready_drop(w, pod);
}

int32_t rs_index_first(struct world *w, int32_t rs, int32_t m,
		       sim_time_t now_ns, struct rs_victim *out)
{
	struct rs_index *x = &w->rs[rs].vx;
	struct rs_victim *v = NULL;
	int32_t k, n = 0, got;

	if (x->n_wait - x->stale_wait > 0) {
		v = rsim_malloc((size_t)(x->n_wait) * sizeof(*v));
		if (!v)
			return -1;
		for (k = 0; k < x->n_wait; k++)
			if (wait_live(w, x, k)) {
				rs_rank_key(w, x->wait[k], &v[n].key);
				v[n++].pod = x->wait[k];
			}
		rs_rank_victims(v, n, m, now_ns);
		if (n > m)
			n = m;
		memcpy(out, v, (size_t)n * sizeof(*v));
		free(v);
	}
	/* then Ready pods: each taken out of the tree while the next is
	 * found, put back after */
	for (got = n; got < m; got++) {
		int32_t pos = ready_first(w, x, now_ns);

		if (pos < 0)
			break;
		out[got].pod = x->ready[pos];
		rs_rank_key(w, out[got].pod, &out[got].key);
		tree_set(x, pos, RSX_NO_UID);
	}
	for (k = n; k < got; k++)
		tree_set(x, w->pods[out[k].pod].vx_pos,
			 w->pods[out[k].pod].uid);
	return got;
}

void rs_index_free(struct rs_index *x)
{
	free(x->wait);
	free(x->ready);
	free(x->ready_t);
	free(x->tree);
	memset(x, 0, sizeof(*x));
}
