/* traffic_agg.c - traffic.mode "aggregate": stretches of requests drawn
 * from their exact distributions instead of one event per request.
 *
 * Why it is exact. With Poisson arrivals of rate L split uniformly at
 * random over the E endpoints of the routing view, each endpoint gets an
 * independent Poisson stream of rate L/E (thinning). Marking each
 * arrival t with its service time V makes the (t, V) pairs of a pod a
 * Poisson process on the plane. While the pod is far from capacity (the
 * Erlang-B blocking of its offered load on `concurrency` slots is below
 * MGI_FAR_BLOCKING, sim/core/mgi.h) no request waits, so a request's
 * fate is a function of its own (t, V) only: the client decides at
 * t + min(V, timeout), ok or app_error with the release's errorRate,
 * timeout when V > timeout. Counts of points in disjoint regions are then
 * independent Poisson, and given a total the split is multinomial, which
 * is what is drawn below.
 *
 * Stretches and slabs. Between two boundaries (traffic_agg.h) the view,
 * the pods' states, the rate and the rollout window are constant. For a
 * stretch [a, b) every far, accepting pod of the view of one template
 * shares one "slab": its arrivals are drawn at b, N ~ Poisson(n L/E
 * (b - a)). A slab's undecided requests are accounted at each second's
 * end (traffic.csv rows) and when one of its pods is killed: of the N_rem
 * still undecided at c, Binomial(N_rem, W[c,d) / W[c,inf)) are decided in
 * [c, d), W being the window probability of mgi_window, then split into
 * timeouts, app errors and ok answers whose latencies go to the
 * histogram bucket by bucket, split only as far as the second's
 * quantiles need, the rest pooled (traffic_lat.h).
 * A pod that leaves its group (out of the view, stops accepting, turns
 * per-request) takes its share of each slab it was in: of N_rem,
 * Binomial(N_rem, 1/n) are on it (each request's pod is independent of
 * its (t, V)), kept in a slab of its own; when its container stops, its
 * undecided requests fail with reset.
 * Pods that are not accepting get their requests refused at once (drawn
 * per pod per stretch); an empty view answers no_endpoint.
 *
 * Per request still: pods in warm-up (their service law changes with
 * age) or near capacity: the arrival stream keeps running at the share of
 * the rate they receive (n_pr / E of it, exact by thinning) and picks one
 * of them uniformly. Pods are classified again at each boundary and at
 * least once a second.
 *
 * Approximations (README, docs/scenario.md): the blocking below
 * MGI_FAR_BLOCKING is neglected; a pod that turns from far to per-request
 * does not see the requests drawn in aggregate still inside it; the
 * traffic.csv in_flight column counts the aggregate requests whose
 * clients still wait (not the timed-out ones a pod still serves); the
 * in-flight integral counts each aggregate request to its natural end.
 *
 * traffic_agg_fallback lists what turns the whole run per-request.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/alloc.h"
#include "sim/core/err.h"
#include "sim/core/mgi.h"
#include "sim/core/rng.h"
#include "deployment.h"
#include "traffic_lat.h"
#include "traffic_agg.h"
#include "world_impl.h"

/* Below this remaining probability a slab without a timeout is settled:
 * its requests stay unanswered (unfinished) for the rest of the run. */
#define AGG_LOST_MASS 1e-15

/* Up to this many ok answers of one window, their latencies are drawn
 * one by one (rejection from the slab's own law, exact); above it the
 * histogram is filled bucket by bucket, whose cost does not grow with
 * the count. A draw gives up after AGG_TRIES proposals per value and
 * fills by buckets instead. */
#define AGG_FEW 48
#define AGG_TRIES 64

struct agg_slab {
	double a, b;          /* arrival interval, ns */
	double c;             /* decisions accounted up to c, ns */
	double lam;           /* arrival rate per pod, per ns */
	uint64_t n_rem;       /* arrived, not yet decided */
	int64_t sid;          /* the stretch it was opened in */
	int32_t n;            /* pods it is spread over */
	int32_t tmpl;
	int32_t owner;        /* the one pod of a split-off slab, -1 */
	int32_t rollout;
	uint8_t before;
	uint8_t open;         /* arrivals not drawn yet */
	uint8_t used;
};

/* Cumulative bucket weights of one window shape: slab [a, b) and window
 * [c, d) seen from a (steady seconds repeat the same few shapes, so the
 * weights are computed once per shape instead of once per second). */
#define AGG_CW_CACHE 64
struct agg_cw {
	int32_t tmpl, first, n;       /* n = 0: empty entry */
	double ba, ca, da;            /* b - a, c - a, d - a */
	double *w;                    /* n + 1 cumulative weights */
	int32_t cap;
};

struct agg_law {
	struct mgi_law L;
	int ready;
};

struct agg_state {
	gsl_rng *rng;
	struct agg_slab *slab;
	int32_t n_slab, cap_slab;
	struct agg_law *law;          /* by template */
	int32_t cap_law;
	/* by pod index: the stretch it joined its group in (-1 = not a
	   member) and the stamp of the last classification that made it
	   one */
	int64_t *join;
	uint32_t *stamp;
	int32_t cap_pod;
	uint32_t cur_stamp;
	int32_t *mem, *mem_new;       /* members, now and being built */
	int32_t n_mem, cap_mem, cap_mem_new;
	int32_t *pr, n_pr, cap_pr;    /* per-request pods of the view */
	int32_t *ref, n_ref, cap_ref; /* pods of the view that refuse */
	int32_t *grp, cap_grp;        /* members per template */
	struct agg_cw cw[AGG_CW_CACHE]; /* lat_split's weights, by shape */
	struct lat_state *lat;        /* ok latencies split lazily */
	int32_t cw_next;              /* the entry to replace next */
	int8_t *far;                  /* per template this stretch: -1
					 unknown, 0 near capacity, 1 far */
	int32_t cap_far;
	/* the stretch in progress */
	int64_t sid;
	sim_time_t s_ns;
	double rate;                  /* per s */
	int32_t e;                    /* endpoints in the view */
	int32_t rollout;
	uint8_t before;
	double share;                 /* per-request share of the rate */
	int32_t in_flight;
	double area;                  /* ns */
};

static const struct traffic_config *cfg(const struct world *w)
{
	return &w->cfg->traffic;
}

int agg_on(const struct world *w)
{
	return w->tr.agg != NULL;
}

/* ------------------------------------------------------------ arrays */

static int grow(struct world *w, void **arr, int32_t *cap, int32_t need,
		size_t elem)
{
	while (*cap < need)
		if (bus_grow(arr, cap, elem)) {
			bus_fail(w, RSIM_ENOMEM);
			return -1;
		}
	return 0;
}

static int grow_pods(struct world *w, struct agg_state *g, int32_t pod)
{
	int32_t old = g->cap_pod, cap = g->cap_pod, i;

	if (pod < old)
		return 0;
	if (grow(w, (void **)&g->join, &cap, pod + 1, sizeof(*g->join)))
		return -1;
	cap = old;
	if (grow(w, (void **)&g->stamp, &cap, pod + 1, sizeof(*g->stamp)))
		return -1;
	for (i = old; i < cap; i++) {
		g->join[i] = -1;
		g->stamp[i] = 0;
	}
	g->cap_pod = cap;
	return 0;
}

static struct mgi_law *law_of(struct world *w, int32_t tmpl)
{
	struct agg_state *g = w->tr.agg;
	const struct image_config *s = &w->tmpls[tmpl].eff;
	int32_t old = g->cap_law, i;

	if (tmpl >= old) {
		if (grow(w, (void **)&g->law, &g->cap_law, tmpl + 1,
			 sizeof(*g->law)))
			return NULL;
		for (i = old; i < g->cap_law; i++)
			memset(&g->law[i], 0, sizeof(g->law[i]));
	}
	if (!g->law[tmpl].ready) {
		if (mgi_law_init(&g->law[tmpl].L, &s->service_time,
				 s->service_time_factor,
				 (double)cfg(w)->timeout_ns)) {
			bus_fail(w, RSIM_ENOMEM);
			return NULL;
		}
		g->law[tmpl].ready = 1;
	}
	return &g->law[tmpl].L;
}

static int32_t slab_new(struct world *w)
{
	struct agg_state *g = w->tr.agg;
	int32_t i;

	for (i = 0; i < g->n_slab; i++)
		if (!g->slab[i].used)
			break;
	if (i == g->n_slab) {
		if (grow(w, (void **)&g->slab, &g->cap_slab, g->n_slab + 1,
			 sizeof(*g->slab)))
			return -1;
		g->n_slab++;
	}
	memset(&g->slab[i], 0, sizeof(g->slab[i]));
	g->slab[i].used = 1;
	g->slab[i].owner = -1;
	return i;
}

static void slab_free(struct world *w, int32_t i)
{
	struct agg_state *g = w->tr.agg;

	g->slab[i].used = 0;
	while (g->n_slab > 0 && !g->slab[g->n_slab - 1].used)
		g->n_slab--;
}

static const struct mgi_law *lat_law(void *ctx, int32_t tmpl)
{
	return law_of(ctx, tmpl);
}

/* ------------------------------------------------------------ init */

int agg_init(struct world *w)
{
	struct agg_state *g;

	w->tr.agg = NULL;
	if (cfg(w)->mode != TRAFFIC_AGGREGATE ||
	    traffic_agg_fallback(cfg(w), deploy_strategy_progressive(
				 w->cfg->deployment.strategy)))
		return 0;
	g = rsim_malloc(sizeof(*g));
	if (!g)
		return RSIM_ENOMEM;
	memset(g, 0, sizeof(*g));
	g->rng = rng_stream_new(w->cfg->seed, w->rep, "aggregate");
	w->tr.agg = g;
	if (!g->rng || lat_new(&g->lat, g->rng, &w->tr.all.latency,
			       traffic_win_hist(w), lat_law, w))
		return RSIM_ENOMEM;
	g->sid = 0;
	g->rollout = -1;
	return 0;
}

void agg_release(struct world *w)
{
	struct agg_state *g = w->tr.agg;
	int32_t i;

	if (!g)
		return;
	if (g->rng)
		gsl_rng_free(g->rng);
	for (i = 0; i < g->cap_law; i++)
		if (g->law[i].ready)
			mgi_law_release(&g->law[i].L);
	free(g->law);
	free(g->slab);
	free(g->join);
	free(g->stamp);
	free(g->mem);
	free(g->mem_new);
	free(g->pr);
	free(g->ref);
	free(g->grp);
	free(g->far);
	for (i = 0; i < AGG_CW_CACHE; i++)
		free(g->cw[i].w);
	lat_free(g->lat);
	free(g);
	w->tr.agg = NULL;
}

/* ------------------------------------------------------------ decisions */

struct lat_sink {
	struct world *w;
	const struct mgi_law *L;
	struct hist *h[2];
	int top;                      /* the highest bucket filled so far */
	uint64_t top_k;
};

/* Buckets come in increasing order: every one but the last is added
 * at once; the last one, the only one that can hold the maximum, is
 * added by mgi_hist_add when the split is over (lat_flush). */
static void lat_add(void *ctx, int bucket, uint64_t k)
{
	struct lat_sink *s = ctx;
	int i;

	if (s->top_k > 0)
		for (i = 0; i < 2; i++)
			if (s->h[i])
				mgi_hist_put(s->L, s->h[i], s->top, s->top_k);
	s->top = bucket;
	s->top_k = k;
}

/* One value in bucket b, out of the increasing order of lat_add. */
static void lat_one(struct lat_sink *s, int b)
{
	int i;

	if (b >= s->top && s->top_k > 0) {
		if (b == s->top) {
			s->top_k++;
			return;
		}
		lat_add(s, b, 1);
		return;
	}
	if (s->top_k == 0) {
		lat_add(s, b, 1);
		return;
	}
	for (i = 0; i < 2; i++)        /* below the top: no maximum */
		if (s->h[i])
			mgi_hist_put(s->L, s->h[i], b, 1);
}

static void lat_flush(struct lat_sink *s)
{
	int i;

	for (i = 0; i < 2 && s->top_k > 0; i++)
		if (s->h[i])
			mgi_hist_add(s->L, s->h[i], s->w->tr.agg->rng, s->top,
				     s->top_k);
}

static void count(struct world *w, const struct agg_slab *s,
		  enum req_outcome o, uint64_t k)
{
	if (k == 0)
		return;
	traffic_count_outcomes(w, s->rollout, s->before, s->tmpl, o, k);
	w->tr.all.aggregated += k;
	if (s->rollout >= 0)
		w->tr.win.aggregated += k;
}

/* Draws k latencies of ok answers of slab s decided in [c, d): arrival
 * t uniform on [a, b), service V of the law, kept when served (V <=
 * timeout) and t + V in [c, d). 0, or -1 when that region is too
 * unlikely for rejection (nothing added then). */
static int lat_draw(struct world *w, const struct agg_slab *s,
		    const struct mgi_law *L, uint64_t k, double d)
{
	struct agg_state *g = w->tr.agg;
	const struct image_config *img = &w->tmpls[s->tmpl].eff;
	double T = (double)cfg(w)->timeout_ns, v[AGG_FEW];
	uint64_t got = 0, tries = 0, j;

	while (got < k) {
		double t, x;

		if (++tries > AGG_TRIES * k)
			return -1;
		t = s->a + (s->b - s->a) * rng_uniform_pos(g->rng);
		x = (double)dist_sample(&img->service_time, g->rng) * L->f;
		if ((T > 0 && x > T) || t + x < s->c || t + x >= d)
			continue;
		v[got++] = x;
	}
	for (j = 0; j < k; j++) {
		hist_add(traffic_sec_hist(w), v[j]);
		if (s->rollout >= 0)
			hist_add(traffic_win_hist(w), v[j]);
	}
	return 0;
}

/* The cumulative weights of buckets first .. first + n - 1 for slab s
 * and window [s->c, d), from the cache when this shape was seen. */
static const double *lat_weights(struct world *w, const struct agg_slab *s,
				 const struct mgi_law *L, int first, int n,
				 double d)
{
	struct agg_state *g = w->tr.agg;
	double ba = s->b - s->a, ca = s->c - s->a, da = d - s->a;
	struct agg_cw *e;
	int i;

	for (i = 0; i < AGG_CW_CACHE; i++) {
		e = &g->cw[i];
		if (e->n == n && e->tmpl == s->tmpl && e->first == first &&
		    e->ba == ba && e->ca == ca && e->da == da)
			return e->w;
	}
	e = &g->cw[g->cw_next];
	g->cw_next = (g->cw_next + 1) % AGG_CW_CACHE;
	e->n = 0;
	if (grow(w, (void **)&e->w, &e->cap, n + 1, sizeof(*e->w)))
		return NULL;
	e->w[0] = 0;
	for (i = 0; i < n; i++)
		e->w[i + 1] = e->w[i] + mgi_window_bucket(L, first + i, s->a,
							  s->b, s->c, d);
	e->tmpl = s->tmpl;
	e->first = first;
	e->n = n;
	e->ba = ba;
	e->ca = ca;
	e->da = da;
	return e->w;
}

/* Splits k ok answers of slab s decided in [c, d) over the latency
 * buckets, multinomially with the buckets' window probabilities. Where
 * a bucket expects at least one value its count is a binomial of what
 * is left; a run of buckets that together expect less than one gets
 * its count at once, and those few values find their bucket by
 * inversion of the run's cumulative weights: the same multinomial,
 * without a binomial draw per nearly empty bucket of a long tail. */
static void lat_split(struct world *w, const struct agg_slab *s,
		      const struct mgi_law *L, uint64_t k, double d,
		      struct lat_sink *sink)
{
	struct agg_state *g = w->tr.agg;
	double lo_v = s->c - s->b, left;
	const double *cw;
	int first, end, i, j, n;

	if (L->b_hi < L->b_lo)
		return;
	first = lo_v > 0.0 ? hist_bucket_of(lo_v) : 0;
	end = hist_bucket_of(fmax(d - s->a, 0.0));
	if (first < L->b_lo)
		first = L->b_lo;
	if (end > L->b_hi)
		end = L->b_hi;
	if (first > end)
		first = end;
	n = end - first + 1;
	cw = lat_weights(w, s, L, first, n, d);
	if (!cw)
		return;
	if (!(cw[n] > 0)) {
		lat_add(sink, end, k);          /* no mass: the last bucket */
		return;
	}
	if (g->lat && lat_defer(g->lat, s->tmpl, first, n, s->b - s->a,
				s->c - s->a, d - s->a, s->rollout >= 0, k,
				cw) == 0)
		return;                     /* split at the second's end */
	for (i = 0; i < n && k > 0; i = j) {
		double run, p;
		uint64_t m;

		left = cw[n] - cw[i];
		/* the run [i, j): one bucket that expects >= 1, or the
		   longest stretch that together expects < 1 */
		j = i + 1;
		if ((double)k * (cw[j] - cw[i]) / left < 1.0)
			while (j < n &&
			       (double)k * (cw[j + 1] - cw[i]) / left < 1.0)
				j++;
		run = cw[j] - cw[i];
		p = j == n ? 1.0 : run / left;
		m = p >= 1.0 ? k : mgi_binomial(g->rng, k, p);
		if (m == 0)
			continue;
		k -= m;
		if (j == i + 1) {
			lat_add(sink, first + i, m);
			continue;
		}
		for (; m > 0; m--) {     /* few: each by inversion */
			double u = cw[i] + run * rng_uniform_pos(g->rng);
			int lo = i, hi = j - 1;

			while (lo < hi) {
				int mid = (lo + hi) / 2;

				if (cw[mid + 1] < u)
					lo = mid + 1;
				else
					hi = mid;
			}
			lat_one(sink, first + lo);
		}
	}
}

/* Draws which of slab i's undecided requests the clients decided in
 * [c, d) and counts them. */
static void account(struct world *w, int32_t i, double d)
{
	struct agg_state *g = w->tr.agg;
	struct agg_slab *s = &g->slab[i];
	const struct mgi_law *L;
	double rem, pw, pt, err;
	uint64_t k, to, app, ok;

	if (!s->used || s->open || d <= s->c)
		return;
	L = law_of(w, s->tmpl);
	if (!L)
		return;
	rem = mgi_window(L, MGI_ALL, s->a, s->b, s->c, HUGE_VAL);
	if (s->n_rem == 0 || rem <= AGG_LOST_MASS) {
		slab_free(w, i);          /* what is left stays unfinished */
		return;
	}
	pw = mgi_window(L, MGI_ALL, s->a, s->b, s->c, d);
	k = pw > 0 ? mgi_binomial(g->rng, s->n_rem, pw / rem) : 0;
	if (k > 0) {
		pt = mgi_window(L, MGI_TIMEOUT, s->a, s->b, s->c, d);
		to = pt > 0 ? mgi_binomial(g->rng, k, pt / pw) : 0;
		err = w->tmpls[s->tmpl].eff.error_rate;
		app = err > 0 ? mgi_binomial(g->rng, k - to, err) : 0;
		ok = k - to - app;
		count(w, s, OUTCOME_TIMEOUT, to);
		count(w, s, OUTCOME_APP_ERROR, app);
		count(w, s, OUTCOME_OK, ok);
		if (ok > 0 && (ok > AGG_FEW || lat_draw(w, s, L, ok, d))) {
			struct lat_sink sink = { w, L, { traffic_sec_hist(w),
				s->rollout >= 0 ? traffic_win_hist(w) : NULL },
				0, 0 };

			lat_split(w, s, L, ok, d, &sink);
			lat_flush(&sink);
		}
		s = &g->slab[i];
		s->n_rem -= k;
	}
	s->c = d;
	if (s->n_rem == 0)
		slab_free(w, i);
}

/* ------------------------------------------------------------ stretches */

/* Draws the arrivals of the stretch that ends now. */
static void close_stretch(struct world *w)
{
	struct agg_state *g = w->tr.agg;
	sim_time_t now = engine_now(w->eng);
	double dur = (double)(now - g->s_ns) / 1e9, per_pod;
	struct agg_slab tmp = { 0 };
	uint64_t k;
	int32_t i;

	tmp.rollout = g->rollout;
	tmp.before = g->before;
	tmp.tmpl = -1;
	if (g->rate > 0 && dur > 0 && g->e == 0) {
		k = mgi_poisson(g->rng, g->rate * dur);
		traffic_count_arrivals(w, g->rollout, k);
		count(w, &tmp, OUTCOME_NO_ENDPOINT, k);
	}
	per_pod = g->e > 0 ? g->rate * dur / g->e : 0;
	for (i = 0; i < g->n_ref && per_pod > 0; i++) {
		k = mgi_poisson(g->rng, per_pod);
		tmp.tmpl = w->pods[g->ref[i]].tmpl;
		traffic_count_arrivals(w, g->rollout, k);
		count(w, &tmp, OUTCOME_REFUSED, k);
	}
	for (i = 0; i < g->n_slab; i++) {
		struct agg_slab *s = &g->slab[i];
		const struct mgi_law *L;

		if (!s->used || !s->open)
			continue;
		s->open = 0;
		s->b = (double)now;
		s->c = s->a;
		s->n_rem = mgi_poisson(g->rng, per_pod * s->n);
		traffic_count_arrivals(w, s->rollout, s->n_rem);
		L = law_of(w, s->tmpl);
		if (L)
			g->area += (double)s->n_rem * L->mean;
		if (s->n_rem == 0)
			slab_free(w, i);
	}
	g->s_ns = now;
}

/* Pod leaves its group: its share of every slab it is in goes to a slab
 * of its own. */
static void split_off(struct world *w, int32_t pod)
{
	struct agg_state *g = w->tr.agg;
	int64_t since = g->join[pod];
	int32_t tmpl = w->pods[pod].tmpl, i, n = g->n_slab;

	if (since < 0)
		return;                 /* already split off (killed) */
	g->join[pod] = -1;
	for (i = 0; i < n; i++) {
		struct agg_slab *s = &g->slab[i];
		uint64_t m;
		int32_t j;

		if (!s->used || s->open || s->owner >= 0 || s->tmpl != tmpl ||
		    s->sid < since || s->n <= 0)
			continue;
		m = mgi_binomial(g->rng, s->n_rem, 1.0 / s->n);
		s->n--;
		s->n_rem -= m;
		if (m > 0) {
			j = slab_new(w);
			if (j < 0)
				return;
			g->slab[j] = g->slab[i];
			g->slab[j].n = 1;
			g->slab[j].n_rem = m;
			g->slab[j].owner = pod;
		}
		if (g->slab[i].n_rem == 0 || g->slab[i].n == 0)
			slab_free(w, i);
	}
}

static int pod_accepts(const struct world *w, const struct pod *p)
{
	if (p->phase == POD_GONE || !p->running || !p->app_up || p->killed)
		return 0;
	return !p->sigterm || pod_spec(w, p)->accept_during_shutdown;
}

/* 1 when the pod's requests are drawn in aggregate: no warm-up under
 * way, and far from capacity at its share of the rate. */
static int pod_far(struct world *w, const struct pod *p, double per_pod)
{
	const struct image_config *s = pod_spec(w, p);
	const struct mgi_law *L;

	if (s->warmup.duration_ns > 0 && s->warmup.factor > 1.0 &&
	    engine_now(w->eng) - p->started_ns < s->warmup.duration_ns)
		return 0;
	if (w->tr.agg->far[p->tmpl] < 0) {
		L = law_of(w, p->tmpl);
		w->tr.agg->far[p->tmpl] = (int8_t)(L &&
			mgi_is_far(per_pod * L->mean / 1e9, s->concurrency));
	}
	return w->tr.agg->far[p->tmpl];
}

static int push(struct world *w, int32_t **arr, int32_t *n, int32_t *cap,
		int32_t v)
{
	if (grow(w, (void **)arr, cap, *n + 1, sizeof(**arr)))
		return -1;
	(*arr)[(*n)++] = v;
	return 0;
}

/* Classifies the view's pods for the stretch that starts now and opens
 * its slabs. */
static void open_stretch(struct world *w)
{
	struct agg_state *g = w->tr.agg;
	const struct ep_view *v = &w->views[cfg(w)->via][0];
	double per_pod, share = g->share, rate = g->rate;
	int32_t i, *t, n_mem = 0;

	g->sid++;
	g->cur_stamp++;
	g->rate = w->tr.rate;
	g->e = v->n;
	g->rollout = w->open_rollout;
	g->before = w->m.triggered_ns < 0;
	g->n_pr = g->n_ref = 0;
	per_pod = g->e > 0 ? g->rate / g->e : 0;
	if (grow(w, (void **)&g->grp, &g->cap_grp, w->n_tmpls,
		 sizeof(*g->grp)))
		return;
	memset(g->grp, 0, (size_t)w->n_tmpls * sizeof(*g->grp));
	if (grow(w, (void **)&g->far, &g->cap_far, w->n_tmpls,
		 sizeof(*g->far)))
		return;
	memset(g->far, -1, (size_t)w->n_tmpls * sizeof(*g->far));
	for (i = 0; i < v->n; i++) {
		int32_t pod = v->pods[i];
		const struct pod *p = &w->pods[pod];

		if (grow_pods(w, g, pod))
			return;
		if (!pod_accepts(w, p)) {
			push(w, &g->ref, &g->n_ref, &g->cap_ref, pod);
		} else if (!pod_far(w, p, per_pod)) {
			push(w, &g->pr, &g->n_pr, &g->cap_pr, pod);
		} else {
			g->stamp[pod] = g->cur_stamp;
			if (g->join[pod] < 0)
				g->join[pod] = g->sid;
			g->grp[p->tmpl]++;
			push(w, &g->mem_new, &n_mem, &g->cap_mem_new, pod);
		}
	}
	for (i = 0; i < g->n_mem; i++)
		if (g->stamp[g->mem[i]] != g->cur_stamp)
			split_off(w, g->mem[i]);
	t = g->mem;
	g->mem = g->mem_new;
	g->mem_new = t;
	i = g->cap_mem;
	g->cap_mem = g->cap_mem_new;
	g->cap_mem_new = i;
	g->n_mem = n_mem;
	for (i = 0; i < w->n_tmpls && g->rate > 0; i++) {
		int32_t j;

		if (g->grp[i] == 0 || (j = slab_new(w)) < 0)
			continue;
		g->slab[j].open = 1;
		g->slab[j].a = (double)engine_now(w->eng);
		g->slab[j].lam = per_pod / 1e9;
		g->slab[j].n = g->grp[i];
		g->slab[j].tmpl = i;
		g->slab[j].sid = g->sid;
		g->slab[j].rollout = g->rollout;
		g->slab[j].before = g->before;
	}
	g->s_ns = engine_now(w->eng);
	g->share = g->e > 0 ? (double)g->n_pr / g->e : 0;
	if (g->share != share || g->rate != rate)
		traffic_rearm(w);
}

void agg_begin(struct world *w)
{
	struct agg_state *g = w->tr.agg;

	if (!g)
		return;
	g->s_ns = engine_now(w->eng);
	g->share = -1;                /* arm the stream in any case */
	open_stretch(w);
}

void agg_boundary(struct world *w)
{
	if (!w->tr.agg || w->tr.rng == NULL || w->tr.agg->sid == 0)
		return;
	close_stretch(w);
	open_stretch(w);
}

void agg_killed(struct world *w, int32_t pod)
{
	struct agg_state *g = w->tr.agg;
	double now = (double)engine_now(w->eng);
	int32_t i;

	if (!g || g->sid == 0)
		return;
	close_stretch(w);
	if (pod < g->cap_pod && g->join[pod] >= 0)
		split_off(w, pod);
	for (i = 0; i < g->n_slab; i++) {
		struct agg_slab *s = &g->slab[i];

		if (!s->used || s->owner != pod)
			continue;
		account(w, i, now);
		s = &g->slab[i];
		if (!s->used)
			continue;
		count(w, s, OUTCOME_RESET, s->n_rem);
		slab_free(w, i);
	}
	open_stretch(w);
}

/* Requests drawn in aggregate that are inside their pods now: those
 * whose clients still wait (a request not timed out is answered when it
 * leaves its pod). Timed-out requests that a pod still serves are not
 * counted. */
static void count_in_flight(struct world *w)
{
	struct agg_state *g = w->tr.agg;
	uint64_t n = 0;
	int32_t i;

	for (i = 0; i < g->n_slab; i++)
		if (g->slab[i].used && !g->slab[i].open)
			n += g->slab[i].n_rem;
	g->in_flight = n > INT32_MAX ? INT32_MAX : (int32_t)n;
}

static void account_all(struct world *w)
{
	struct agg_state *g = w->tr.agg;
	double now = (double)engine_now(w->eng);
	int32_t i;

	close_stretch(w);
	for (i = 0; i < g->n_slab; i++)
		account(w, i, now);
	count_in_flight(w);
}

void agg_second(struct world *w)
{
	if (!w->tr.agg || w->tr.agg->sid == 0)
		return;
	account_all(w);
	open_stretch(w);
}

void agg_finish(struct world *w)
{
	if (!w->tr.agg || w->tr.agg->sid == 0)
		return;
	account_all(w);
}

void agg_quantiles(struct world *w, struct hist *sec, const double *q,
		   double *out, int m)
{
	if (w->tr.agg && w->tr.agg->lat)
		lat_second(w->tr.agg->lat, sec, q, out, m);
	else
		hist_quantiles(sec, q, out, m);
}

void agg_close(struct world *w)
{
	if (!w->tr.agg || !w->tr.agg->lat)
		return;
	lat_second(w->tr.agg->lat, traffic_sec_hist(w), NULL, NULL, 0);
	lat_flush_all(w->tr.agg->lat);
}

int32_t agg_in_flight(const struct world *w)
{
	return w->tr.agg ? w->tr.agg->in_flight : 0;
}

double agg_in_flight_area(const struct world *w)
{
	return w->tr.agg ? w->tr.agg->area : 0;
}

double agg_share(const struct world *w)
{
	return w->tr.agg ? w->tr.agg->share : 1.0;
}

int32_t agg_pick(struct world *w)
{
	struct agg_state *g = w->tr.agg;

	if (g->n_pr == 0)
		return -1;
	return g->pr[rng_below(w->tr.rng, (uint32_t)g->n_pr)];
}

/* ------------------------------------------------------------ fallback */

const char *traffic_agg_fallback(const struct traffic_config *c,
				 int progressive)
{
	if (c->keep_alive)
		return "keep-alive connections";
	if (c->retries > 0)
		return "retries";
	if (c->lb != LB_RANDOM)
		return "a load-balancing policy other than random";
	if (c->arrivals != ARRIVALS_POISSON)
		return "constant arrivals";
	if (progressive)
		return "a progressive delivery strategy";
	return NULL;
}
