/* mgi.c - window probabilities, bucket tables and draws of mgi.h.
 *
 * Everything rests on one identity: for a set A of values and y >= 0,
 *   J_A(y) = int_0^y P(V in A, V <= u) du = E[(y - V)+; V in A],
 * so for A = [p, q) it is y P(p <= V < q) - E[V; p <= V < q] once y >= q,
 * and y (G(y) - G(p-)) - (H(y) - H(p-)) inside. With t uniform on [a, b),
 * int_a^b P(c <= t + X < d) dt = J(d-a) - J(d-b) - J(c-a) + J(c-b), with
 * J the same for X's parts: served values ([0, T] or [0, inf)) and the
 * timeout atom ((1 - G(T)) (y - T)+). So a window costs four evaluations
 * of G and H, or four table reads when the window edges miss the set.
 *
 * Families (S = the dist, V = f S, evaluated at y = x / f):
 *   constant c    G = [y >= c], H = c G
 *   uniform       linear G, H = (m^2 - lo^2) / (2 (hi - lo))
 *   exponential   G = 1 - e^-z, E[S; S > y] = mean e^-z (1 + z)
 *   normal>0      Q(y) = Q(z)/Q(alpha) (log-erfc, no underflow),
 *                 E[S; S > y] = (m Q(z) + s phi(z)) / Q(alpha)
 *   lognormal     G = Phi(z), H = mean Phi(z - sigma)
 *   gamma         G = P(k, y/theta), H = mean P(k + 1, y/theta)
 *   weibull       G = 1 - e^-t, t = (y/l)^k, H = mean P(1 + 1/k, t)
 *   empirical     counts and prefix sums over the sorted samples
 * The upper-tail forms (Q, U = E[V; V > x]) are computed directly, not as
 * 1 - G, so conditional means and maxima stay accurate far in the tail.
 * Parameters dist.c treats as degenerate are the same constant here.
 * dist_sample rounds to whole ns; the continuous families are taken as
 * continuous (an error below 1 ns per value).
 */
#include "mgi.h"
#include "mgi_priv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_erf.h>
#include <gsl/gsl_sf_gamma.h>

#include "alloc.h"
#include "err.h"

#define MGI_LN2 0.69314718055994530942
#define MGI_SQRT2 1.41421356237309504880
#define MGI_LN_SQRT_2PI 0.91893853320467274178

/* ------------------------------------------------------ families */

static void mgi_pt_const(double c, double y, int left, struct mgi_pt *o)
{
	int in = left ? y > c : y >= c;

	o->G = in ? 1.0 : 0.0;
	o->Q = 1.0 - o->G;
	o->H = c * o->G;
	o->U = c * o->Q;
}

/* The value a degenerate family stands for (as in dist.c). */
static double mgi_degenerate(const struct dist *d)
{
	return d->a_ns > 0 ? (double)d->a_ns : 0.0;
}

static int mgi_shape_ok(const struct dist *d)
{
	return isfinite(d->shape) && d->shape > 0.0 && d->a_ns > 0;
}

/* log Q(z), Q the standard normal upper tail, without underflow. */
static double mgi_log_q(double z)
{
	return gsl_sf_log_erfc(z / MGI_SQRT2) - MGI_LN2;
}

static void mgi_pt_uniform(const struct dist *d, double y, struct mgi_pt *o)
{
	double lo = (double)d->a_ns, hi = (double)d->b_ns, w, m;

	if (hi < lo) {
		w = lo;
		lo = hi;
		hi = w;
	}
	w = hi - lo;
	if (!(w > 0.0)) {
		mgi_pt_const(lo > 0.0 ? lo : 0.0, y, 0, o);
		return;
	}
	m = y < lo ? lo : y > hi ? hi : y;
	o->G = (m - lo) / w;
	o->Q = (hi - m) / w;
	o->H = (m - lo) * (m + lo) / (2.0 * w);
	o->U = (hi - m) * (hi + m) / (2.0 * w);
}

static void mgi_pt_exp(const struct dist *d, double y, struct mgi_pt *o)
{
	double mu = (double)d->a_ns, z;

	if (d->a_ns <= 0) {
		mgi_pt_const(0.0, y, 0, o);
		return;
	}
	z = y > 0.0 ? y / mu : 0.0;
	o->Q = exp(-z);
	o->G = -expm1(-z);
	o->U = mu * o->Q * (1.0 + z);
	o->H = mu - o->U;
	if (o->H < 0.0)
		o->H = 0.0;
}

static void mgi_pt_normal(const struct dist *d, double y, struct mgi_pt *o)
{
	double m = (double)d->a_ns, s = (double)d->b_ns, alpha, lqa, z, mean;

	if (d->b_ns <= 0) {
		mgi_pt_const(m > 0.0 ? m : 0.0, y, 0, o);
		return;
	}
	alpha = -m / s;
	mean = m + s * gsl_sf_hazard(alpha);
	if (y <= 0.0) {
		o->G = 0.0;
		o->Q = 1.0;
		o->H = 0.0;
		o->U = mean;
		return;
	}
	lqa = mgi_log_q(alpha);
	z = (y - m) / s;
	o->Q = exp(mgi_log_q(z) - lqa);
	if (o->Q > 1.0)
		o->Q = 1.0;
	o->G = 1.0 - o->Q;
	o->U = m * o->Q + s * exp(-0.5 * z * z - MGI_LN_SQRT_2PI - lqa);
	if (o->U < 0.0)
		o->U = 0.0;
	o->H = mean - o->U;
	if (o->H < 0.0)
		o->H = 0.0;
}

static void mgi_pt_lognormal(const struct dist *d, double y,
			     struct mgi_pt *o)
{
	double sg = fabs(d->shape), mu, mean, z;

	if (d->a_ns <= 0 || !isfinite(d->shape) || sg == 0.0) {
		mgi_pt_const(mgi_degenerate(d), y, 0, o);
		return;
	}
	mu = log((double)d->a_ns);
	mean = exp(mu + sg * sg / 2.0);
	if (y <= 0.0) {
		o->G = 0.0;
		o->Q = 1.0;
		o->H = 0.0;
		o->U = mean;
		return;
	}
	z = (log(y) - mu) / sg;
	o->G = gsl_cdf_ugaussian_P(z);
	o->Q = gsl_cdf_ugaussian_Q(z);
	o->H = mean * gsl_cdf_ugaussian_P(z - sg);
	o->U = mean * gsl_cdf_ugaussian_Q(z - sg);
}

static void mgi_pt_gamma(const struct dist *d, double y, struct mgi_pt *o)
{
	double mean = (double)d->a_ns, k = d->shape, th;

	if (!mgi_shape_ok(d)) {
		mgi_pt_const(mgi_degenerate(d), y, 0, o);
		return;
	}
	th = mean / k;
	if (y < 0.0)
		y = 0.0;
	o->G = gsl_cdf_gamma_P(y, k, th);
	o->Q = gsl_cdf_gamma_Q(y, k, th);
	o->H = mean * gsl_cdf_gamma_P(y, k + 1.0, th);
	o->U = mean * gsl_cdf_gamma_Q(y, k + 1.0, th);
}

static void mgi_pt_weibull(const struct dist *d, double y, struct mgi_pt *o)
{
	double l = (double)d->a_ns, k = d->shape, t, a1, mean;

	if (!mgi_shape_ok(d)) {
		mgi_pt_const(mgi_degenerate(d), y, 0, o);
		return;
	}
	a1 = 1.0 + 1.0 / k;
	mean = l * gsl_sf_gamma(a1);
	t = y > 0.0 ? pow(y / l, k) : 0.0;
	o->Q = exp(-t);
	o->G = -expm1(-t);
	if (!isfinite(t)) {
		o->H = mean;
		o->U = 0.0;
		return;
	}
	o->H = mean * gsl_sf_gamma_inc_P(a1, t);
	o->U = mean * gsl_sf_gamma_inc_Q(a1, t);
}

/* Number of sorted samples < y (left) or <= y. */
static int mgi_count_below(const struct mgi_law *L, double y, int left)
{
	int lo = 0, hi = L->n_xs;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (left ? L->xs[mid] < y : L->xs[mid] <= y)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void mgi_pt_empirical(const struct mgi_law *L, double y, int left,
			     struct mgi_pt *o)
{
	double n = (double)L->n_xs;
	int k;

	if (L->n_xs == 0) {
		mgi_pt_const(0.0, y, left, o);
		return;
	}
	k = mgi_count_below(L, y, left);
	o->G = (double)k / n;
	o->Q = (double)(L->n_xs - k) / n;
	o->H = L->cs[k] / n;
	o->U = (L->cs[L->n_xs] - L->cs[k]) / n;
}

/* G, Q, H, U of V = f S at x (left limits when left != 0). */
void mgi_eval(const struct mgi_law *L, double x, int left,
	      struct mgi_pt *o)
{
	const struct dist *d = &L->d;
	double y = x / L->f;

	switch (d->kind) {
	case DIST_UNIFORM:
		mgi_pt_uniform(d, y, o);
		break;
	case DIST_EXPONENTIAL:
		mgi_pt_exp(d, y, o);
		break;
	case DIST_NORMAL:
		mgi_pt_normal(d, y, o);
		break;
	case DIST_LOGNORMAL:
		mgi_pt_lognormal(d, y, o);
		break;
	case DIST_GAMMA:
		mgi_pt_gamma(d, y, o);
		break;
	case DIST_WEIBULL:
		mgi_pt_weibull(d, y, o);
		break;
	case DIST_EMPIRICAL:
		mgi_pt_empirical(L, y, left, o);
		break;
	case DIST_CONSTANT:
	default:
		mgi_pt_const(mgi_degenerate(d), y, left, o);
		break;
	}
	o->H *= L->f;
	o->U *= L->f;
}

/* 1 when the law has atoms (left limits differ from values). */
int mgi_atomic(const struct mgi_law *L)
{
	switch (L->d.kind) {
	case DIST_EMPIRICAL:
	case DIST_CONSTANT:
		return 1;
	case DIST_UNIFORM:
		return L->d.a_ns == L->d.b_ns;
	case DIST_EXPONENTIAL:
		return L->d.a_ns <= 0;
	case DIST_NORMAL:
		return L->d.b_ns <= 0;
	case DIST_LOGNORMAL:
		return L->d.a_ns <= 0 || !isfinite(L->d.shape) ||
		       L->d.shape == 0.0;
	default:
		return !mgi_shape_ok(&L->d);
	}
}

void mgi_eval_left(const struct mgi_law *L, double x, struct mgi_pt *o)
{
	mgi_eval(L, x, mgi_atomic(L), o);
}

double mgi_cdf(const struct mgi_law *L, double x)
{
	struct mgi_pt o;

	mgi_eval(L, x, 0, &o);
	return o.G;
}

double mgi_sf(const struct mgi_law *L, double x)
{
	struct mgi_pt o;

	mgi_eval(L, x, 0, &o);
	return o.Q;
}

double mgi_pmean(const struct mgi_law *L, double x)
{
	struct mgi_pt o;

	mgi_eval(L, x, 0, &o);
	return o.H;
}

double mgi_icdf_int(const struct mgi_law *L, double x)
{
	struct mgi_pt o;
	double v;

	if (!(x > 0.0))
		return 0.0;
	mgi_eval(L, x, 0, &o);
	/* E[(x - V)+]; above the mean the upper form cancels less */
	v = o.G <= 0.5 ? x * o.G - o.H : (x - L->mean) - x * o.Q + o.U;
	return v > 0.0 ? v : 0.0;
}

/* -------------------------------------------------------- tables */

static int mgi_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int mgi_empirical_init(struct mgi_law *L)
{
	size_t n = L->d.samples ? L->d.n_samples : 0, i;

	if (n > (size_t)INT32_MAX - 1)
		n = (size_t)INT32_MAX - 1;
	L->n_xs = (int)n;
	L->xs = rsim_calloc(n + 1, sizeof(*L->xs));
	L->cs = rsim_calloc(n + 1, sizeof(*L->cs));
	if (!L->xs || !L->cs)
		return RSIM_ENOMEM;
	for (i = 0; i < n; i++)
		L->xs[i] = L->d.samples[i] > 0 ? (double)L->d.samples[i] : 0.0;
	qsort(L->xs, n, sizeof(*L->xs), mgi_cmp_double);
	for (i = 0; i < n; i++)
		L->cs[i + 1] = L->cs[i] + L->xs[i];
	return 0;
}

/* The low edge of bucket b as a value of V (bucket 0 starts at 0, and
 * HIST_BUCKETS stands for +inf). */
double mgi_edge(int b)
{
	if (b <= 0)
		return 0.0;
	if (b >= HIST_BUCKETS)
		return HUGE_VAL;
	return hist_bucket_low(b);
}

/* First bucket b in [0, HIST_BUCKETS) for which P(V < high edge) > MGI_TAIL
 * (lo) or P(V >= high edge) <= MGI_TAIL (hi). */
static int mgi_search(const struct mgi_law *L, int want_hi)
{
	int lo = 0, hi = HIST_BUCKETS - 1;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		struct mgi_pt o;
		int ok;

		mgi_eval_left(L, mgi_edge(mid + 1), &o);
		ok = want_hi ? o.Q <= MGI_TAIL : o.G > MGI_TAIL;
		if (ok)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static int mgi_tables(struct mgi_law *L)
{
	int n, i;

	L->b_lo = mgi_search(L, 0);
	L->b_hi = mgi_search(L, 1);
	if (L->T > 0.0 && hist_bucket_of(L->T) < L->b_hi)
		L->b_hi = hist_bucket_of(L->T);
	if (L->b_hi < L->b_lo)
		L->b_lo = L->b_hi;
	n = L->b_hi - L->b_lo + 2;
	L->edge = rsim_calloc((size_t)n, sizeof(double));
	L->Gl = rsim_calloc((size_t)n, sizeof(double));
	L->Ql = rsim_calloc((size_t)n, sizeof(double));
	L->Hl = rsim_calloc((size_t)n, sizeof(double));
	L->Ul = rsim_calloc((size_t)n, sizeof(double));
	if (!L->edge || !L->Gl || !L->Ql || !L->Hl || !L->Ul)
		return RSIM_ENOMEM;
	for (i = 0; i < n; i++) {
		struct mgi_pt o;
		double x = mgi_edge(L->b_lo + i);

		L->edge[i] = x;
		if (isinf(x)) {
			o.G = 1.0;
			o.Q = 0.0;
			o.H = L->mean;
			o.U = 0.0;
		} else {
			mgi_eval_left(L, x, &o);
		}
		L->Gl[i] = o.G;
		L->Ql[i] = o.Q;
		L->Hl[i] = o.H;
		L->Ul[i] = o.U;
	}
	return 0;
}

static int mgi_means(struct mgi_law *L);

int mgi_law_init(struct mgi_law *L, const struct dist *d, double f,
		 double timeout_ns)
{
	struct mgi_pt o;
	int rc;

	memset(L, 0, sizeof(*L));
	L->d = *d;
	L->d.samples = NULL;            /* copied into xs, not kept */
	L->d.n_samples = 0;
	L->f = f > 0.0 && isfinite(f) ? f : 1.0;
	L->T = timeout_ns > 0.0 ? timeout_ns : 0.0;
	if (d->kind == DIST_EMPIRICAL) {
		L->d.samples = d->samples;      /* read by mgi_empirical_init */
		L->d.n_samples = d->n_samples;
		rc = mgi_empirical_init(L);
		L->d.samples = NULL;
		L->d.n_samples = 0;
		if (rc)
			goto fail;
	}
	mgi_eval(L, 0.0, 0, &o);
	L->mean = o.H + o.U;
	if (L->T > 0.0) {
		mgi_eval(L, L->T, 0, &o);
		L->G_T = o.G;
		L->Q_T = o.Q;
		L->H_T = o.H;
		L->U_T = o.U;
	} else {
		L->G_T = 1.0;
		L->H_T = L->mean;
	}
	rc = mgi_tables(L);
	if (rc || mgi_means(L))
		goto fail;
	return 0;
fail:
	mgi_law_release(L);
	return RSIM_ENOMEM;
}

void mgi_law_release(struct mgi_law *L)
{
	free(L->edge);
	free(L->Gl);
	free(L->Ql);
	free(L->Hl);
	free(L->Ul);
	free(L->xs);
	free(L->cs);
	free(L->bmean);
	memset(L, 0, sizeof(*L));
	L->d = dist_constant(0);
	L->f = 1.0;
	L->b_hi = -1;
}

/* ------------------------------------------------------- windows */

/* The served interval of the whole law: [0, T] or [0, inf). */
static void mgi_ival_served(const struct mgi_law *L, struct mgi_ival *I)
{
	I->p = 0.0;
	I->Gp = 0.0;
	I->Hp = 0.0;
	I->q = L->T > 0.0 ? L->T : HUGE_VAL;
	I->Gq = L->G_T;
	I->Hq = L->H_T;
}

/* The served values of bucket b (in [b_lo, b_hi]): its edges from the
 * table, the high one clipped to T (inclusive). */
void mgi_ival_bucket(const struct mgi_law *L, int b, struct mgi_ival *I)
{
	int i = b - L->b_lo;

	I->p = L->edge[i];
	I->Gp = L->Gl[i];
	I->Hp = L->Hl[i];
	I->q = L->edge[i + 1];
	I->Gq = L->Gl[i + 1];
	I->Hq = L->Hl[i + 1];
	if (L->T > 0.0 && I->q > L->T) {
		I->q = L->T;
		I->Gq = L->G_T;
		I->Hq = L->H_T;
	}
	if (I->q < I->p) {              /* T below the bucket: empty */
		I->q = I->p;
		I->Gq = I->Gp;
		I->Hq = I->Hp;
	}
}

/* J(y) = E[(y - V)+; V in I]. */
static double mgi_ival_J(const struct mgi_law *L, const struct mgi_ival *I,
			 double y)
{
	struct mgi_pt o;
	double v;

	if (!(y > I->p))
		return 0.0;
	if (y >= I->q)
		v = y * (I->Gq - I->Gp) - (I->Hq - I->Hp);
	else {
		mgi_eval(L, y, 0, &o);
		v = y * (o.G - I->Gp) - (o.H - I->Hp);
	}
	return v > 0.0 ? v : 0.0;
}

/* F(u) = P(V in I, V < u). */
static double mgi_ival_F(const struct mgi_law *L, const struct mgi_ival *I,
			 double u)
{
	struct mgi_pt o;

	if (!(u > I->p))
		return 0.0;
	if (u > I->q)
		return I->Gq - I->Gp;
	mgi_eval_left(L, u, &o);
	return o.G - I->Gp;
}

/* W of a part given by its J and F, in coordinates relative to a:
 * slab [0, B), window [C, D). */
static double mgi_ival_W(const struct mgi_law *L, const struct mgi_ival *I,
			 double B, double C, double D)
{
	double mass = I->Gq - I->Gp, v;

	if (!(mass > 0.0))
		return 0.0;
	if (!(B > 0.0))
		v = (isinf(D) ? mass : mgi_ival_F(L, I, D)) -
		    mgi_ival_F(L, I, C);
	else if (isinf(D))
		v = mass - (mgi_ival_J(L, I, C) - mgi_ival_J(L, I, C - B)) / B;
	else
		v = (mgi_ival_J(L, I, D) - mgi_ival_J(L, I, D - B) -
		     mgi_ival_J(L, I, C) + mgi_ival_J(L, I, C - B)) / B;
	return v < 0.0 ? 0.0 : v > mass ? mass : v;
}

/* W of the timeout atom: mass Q_T at X = T. */
static double mgi_timeout_W(const struct mgi_law *L, double B, double C,
			    double D)
{
	double T = L->T, q = L->Q_T, v;

	if (!(T > 0.0) || !(q > 0.0))
		return 0.0;
	if (!(B > 0.0))
		return (C <= T && T < D) ? q : 0.0;
	/* t in [0, B) with C <= t + T < D: length of [C-T, D-T) ^ [0, B) */
	v = fmin(B, D - T) - fmax(0.0, C - T);
	return v > 0.0 ? q * v / B : 0.0;
}

double mgi_part_mass(const struct mgi_law *L, enum mgi_part part)
{
	switch (part) {
	case MGI_SERVED:
		return L->G_T;
	case MGI_TIMEOUT:
		return L->T > 0.0 ? L->Q_T : 0.0;
	case MGI_ALL:
	default:
		return 1.0;
	}
}

double mgi_window(const struct mgi_law *L, enum mgi_part part, double a,
		  double b, double c, double d)
{
	struct mgi_ival I;
	double B = b - a, C = c - a, D = d - a, v = 0.0;

	if (!(d > c))
		return 0.0;
	if (part != MGI_TIMEOUT) {
		mgi_ival_served(L, &I);
		v += mgi_ival_W(L, &I, B, C, D);
	}
	if (part != MGI_SERVED)
		v += mgi_timeout_W(L, B, C, D);
	return v;
}

double mgi_window_bucket(const struct mgi_law *L, int bucket, double a,
			 double b, double c, double d)
{
	struct mgi_ival I;

	if (bucket < L->b_lo || bucket > L->b_hi || !(d > c))
		return 0.0;
	mgi_ival_bucket(L, bucket, &I);
	return mgi_ival_W(L, &I, b - a, c - a, d - a);
}

/* ----------------------------------------------------- occupancy */

double mgi_occupancy(const struct mgi_law *L, double a, double b,
		     double t0)
{
	double u1, u2, v;

	if (t0 < a)
		return 0.0;
	if (!(b > a))
		return mgi_sf(L, t0 - a);
	/* int over t in [a, min(b, t0)] of P(V > t0 - t); u = t0 - t */
	u1 = t0 - fmin(b, t0);
	u2 = t0 - a;
	v = (u2 - u1) - (mgi_icdf_int(L, u2) - mgi_icdf_int(L, u1));
	v /= b - a;
	return v < 0.0 ? 0.0 : v > 1.0 ? 1.0 : v;
}

/* ------------------------------------------------- bucket moments */

double mgi_cond_mean(const struct mgi_law *L, double lo, double hi)
{
	struct mgi_pt p, q;
	double m, h;

	if (!(hi > lo))
		return lo;
	mgi_eval_left(L, lo, &p);
	if (isinf(hi)) {
		q.G = 1.0;
		q.Q = 0.0;
		q.H = L->mean;
		q.U = 0.0;
	} else {
		mgi_eval_left(L, hi, &q);
	}
	/* in the upper half the tail forms keep their precision */
	if (p.G > 0.5) {
		m = p.Q - q.Q;
		h = p.U - q.U;
	} else {
		m = q.G - p.G;
		h = q.H - p.H;
	}
	if (!(m > 0.0) || !isfinite(h / m))
		return isinf(hi) ? lo : 0.5 * (lo + hi);
	h /= m;
	return h < lo ? lo : (!isinf(hi) && h > hi) ? hi : h;
}

static double mgi_bucket_mean_calc(const struct mgi_law *L, int bucket)
{
	struct mgi_ival I;
	double lo, hi, m;

	if (bucket < L->b_lo || bucket > L->b_hi) {
		lo = mgi_edge(bucket);
		hi = mgi_edge(bucket + 1);
		return isinf(hi) ? fmax(lo, 1.0) : fmax(0.5 * (lo + hi), 1.0);
	}
	mgi_ival_bucket(L, bucket, &I);
	if (bucket == 0) {
		/* hist_add counts values below 1 ns as 1 ns */
		struct mgi_pt o;
		double mass = I.Gq - I.Gp, below;

		if (!(mass > 0.0))
			return 1.0;
		mgi_eval_left(L, fmin(1.0, I.q), &o);
		below = o.G - I.Gp;
		return fmax(1.0, (below + (I.Hq - o.H)) / mass);
	}
	if (L->T > 0.0 && I.q >= L->T && I.q > I.p) {
		/* the bucket holding T: served values are <= T */
		double mass = I.Gq - I.Gp;

		if (mass > 0.0) {
			m = (I.Hq - I.Hp) / mass;
			return fmin(fmax(m, I.p), I.q);
		}
		return I.p;
	}
	return fmax(mgi_cond_mean(L, I.p, I.q), 1.0);
}

double mgi_bucket_mean(const struct mgi_law *L, int bucket)
{
	if (L->bmean && bucket >= L->b_lo && bucket <= L->b_hi)
		return L->bmean[bucket - L->b_lo];
	return mgi_bucket_mean_calc(L, bucket);
}

/* The bucket means of [b_lo, b_hi], read at every value a histogram
 * takes (the sum of its values). */
static int mgi_means(struct mgi_law *L)
{
	int b;

	if (L->b_hi < L->b_lo)
		return 0;
	L->bmean = rsim_malloc((size_t)(L->b_hi - L->b_lo + 1) *
			       sizeof(*L->bmean));
	if (!L->bmean)
		return -1;
	for (b = L->b_lo; b <= L->b_hi; b++)
		L->bmean[b - L->b_lo] = mgi_bucket_mean_calc(L, b);
	return 0;
}

/* -------------------------------------------------------- Erlang B */

double mgi_erlang_b(double a, int c)
{
	double b = 1.0;
	int k;

	if (!(a > 0.0))
		return c > 0 ? 0.0 : 1.0;
	for (k = 1; k <= c; k++)
		b = a * b / ((double)k + a * b);
	return b;
}

int mgi_is_far(double a, int c)
{
	return mgi_erlang_b(a, c) < MGI_FAR_BLOCKING;
}
