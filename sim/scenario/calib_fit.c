/* calib_fit.c - maximum-likelihood fits, AIC and Kolmogorov-Smirnov for
 * calibrate (docs/calibrate.md gives the method).
 *
 * Lognormal and the shifted exponential have closed forms; gamma solves
 * log k - digamma(k) = log(mean) - mean(log x) by Newton's method; the
 * Weibull shape is the root of the profile-likelihood equation, found by
 * bisection (the equation is monotone in the shape).
 */
#include "sim/scenario/calib_fit.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>

#define LOG_SQRT_2PI 0.91893853320467274178

static const char *const family_names[CALIB_N_FAMILIES] = {
	"lognormal", "gamma", "weibull", "shifted-exponential", "empirical"
};

const char *calib_family_name(int family)
{
	return family >= 0 && family < CALIB_N_FAMILIES ?
	       family_names[family] : "?";
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int calib_fit_lognormal(const double *x, size_t n, double p[2])
{
	double mu = 0, v = 0;
	size_t i;

	if (n < 2 || x[0] <= 0)
		return -1;
	for (i = 0; i < n; i++)
		mu += log(x[i]);
	mu /= (double)n;
	for (i = 0; i < n; i++)
		v += (log(x[i]) - mu) * (log(x[i]) - mu);
	v /= (double)n;   /* the MLE divides by n, not n - 1 */
	if (!(v > 0))
		return -1;
	p[0] = exp(mu);
	p[1] = sqrt(v);
	return 0;
}

int calib_fit_gamma(const double *x, size_t n, double p[2])
{
	double m = 0, ml = 0, s, k;
	size_t i;
	int it;

	if (n < 2 || x[0] <= 0)
		return -1;
	for (i = 0; i < n; i++) {
		m += x[i];
		ml += log(x[i]);
	}
	m /= (double)n;
	ml /= (double)n;
	s = log(m) - ml;   /* >= 0 by Jensen, 0 only for a constant */
	if (!(s > 1e-12))
		return -1;
	/* Minka's starting point, within 1.5 % of the root */
	k = (3 - s + sqrt((s - 3) * (s - 3) + 24 * s)) / (12 * s);
	for (it = 0; it < 100; it++) {
		double f = log(k) - gsl_sf_psi(k) - s;
		double df = 1 / k - gsl_sf_psi_1(k);
		double nk = k - f / df;

		if (!(nk > 0))
			nk = k / 2;
		if (fabs(nk - k) < 1e-12 * k) {
			k = nk;
			break;
		}
		k = nk;
	}
	p[0] = m;   /* the MLE of the mean is the sample mean */
	p[1] = k;
	return 0;
}

/* The Weibull profile equation g(k) = sum x^k ln x / sum x^k - 1/k -
 * mean ln x, increasing in k; x scaled by its maximum so x^k stays in
 * (0, 1]. */
static double weibull_g(const double *x, size_t n, double xmax, double k)
{
	double a = 0, b = 0, ml = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		double l = log(x[i] / xmax), w = exp(k * l);

		a += w * l;
		b += w;
		ml += l;
	}
	return a / b - 1 / k - ml / (double)n;
}

int calib_fit_weibull(const double *x, size_t n, double p[2])
{
	double lo = 1e-3, hi = 1e3, xmax = x[n - 1], k, s = 0;
	size_t i;
	int it;

	if (n < 2 || x[0] <= 0 || !(x[n - 1] > x[0]))
		return -1;
	if (weibull_g(x, n, xmax, lo) > 0 || weibull_g(x, n, xmax, hi) < 0)
		return -1;
	for (it = 0; it < 200 && hi - lo > 1e-12 * hi; it++) {
		double mid = 0.5 * (lo + hi);

		if (weibull_g(x, n, xmax, mid) < 0)
			lo = mid;
		else
			hi = mid;
	}
	k = 0.5 * (lo + hi);
	for (i = 0; i < n; i++)
		s += pow(x[i] / xmax, k);
	p[0] = xmax * pow(s / (double)n, 1 / k);
	p[1] = k;
	return 0;
}

int calib_fit_shexp(const double *x, size_t n, double p[2])
{
	double m = 0, th;
	size_t i;

	if (n < 2)
		return -1;
	for (i = 0; i < n; i++)
		m += x[i];
	m /= (double)n;
	/* The MLE (shift = min, mean = m - min) underestimates the mean by
	 * a factor (n-1)/n and overestimates the shift by mean/n; these are
	 * the unbiased versions. */
	th = (m - x[0]) * (double)n / (double)(n - 1);
	if (!(th > 0))
		return -1;
	p[0] = x[0] - th / (double)n;
	if (p[0] < 0)
		p[0] = 0;
	p[1] = m - p[0];
	return 0;
}

double calib_cdf(int family, const double p[2], double t)
{
	if (t <= 0 && family != CALIB_SHEXP)
		return 0;
	switch (family) {
	case CALIB_LOGNORMAL:
		return gsl_cdf_lognormal_P(t, log(p[0]), p[1]);
	case CALIB_GAMMA:
		return gsl_cdf_gamma_P(t, p[1], p[0] / p[1]);
	case CALIB_WEIBULL:
		return gsl_cdf_weibull_P(t, p[0], p[1]);
	case CALIB_SHEXP:
		return t <= p[0] ? 0 : 1 - exp(-(t - p[0]) / p[1]);
	default:
		return 0;
	}
}

static double loglik(int family, const double p[2], const double *x,
		     size_t n)
{
	double s = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		double t = x[i], l;

		switch (family) {
		case CALIB_LOGNORMAL: {
			double z = (log(t) - log(p[0])) / p[1];

			l = -log(t * p[1]) - LOG_SQRT_2PI - 0.5 * z * z;
			break;
		}
		case CALIB_GAMMA: {
			double k = p[1], th = p[0] / k;

			l = (k - 1) * log(t) - t / th - gsl_sf_lngamma(k) -
			    k * log(th);
			break;
		}
		case CALIB_WEIBULL: {
			double k = p[1], lam = p[0];

			l = log(k / lam) + (k - 1) * log(t / lam) -
			    pow(t / lam, k);
			break;
		}
		default:   /* shifted exponential */
			l = t < p[0] ? -HUGE_VAL :
			    -log(p[1]) - (t - p[0]) / p[1];
			break;
		}
		s += l;
	}
	return s;
}

double calib_ks_d(int family, const double p[2], const double *x, size_t n)
{
	double d = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		double f = calib_cdf(family, p, x[i]);
		double a = (double)(i + 1) / (double)n - f;
		double b = f - (double)i / (double)n;

		d = a > d ? a : d;
		d = b > d ? b : d;
	}
	return d;
}

double calib_ks_pvalue(double d, size_t n)
{
	double sn = sqrt((double)n), lam, q = 0;
	int k;

	if (!(d > 0))
		return 1;
	lam = (sn + 0.12 + 0.11 / sn) * d;
	if (lam < 0.2)
		return 1;   /* the series converges slowly; Q(0.2) = 1 - 6e-24... */
	for (k = 1; k <= 100; k++) {
		double t = exp(-2.0 * k * k * lam * lam);

		q += (k % 2 ? 2 : -2) * t;
		if (t < 1e-16)
			break;
	}
	return q < 0 ? 0 : q > 1 ? 1 : q;
}

int calib_fit_all(double *x, size_t n, struct calib_fit out[CALIB_N_FAMILIES])
{
	int (*const fit[4])(const double *, size_t, double *) = {
		calib_fit_lognormal, calib_fit_gamma, calib_fit_weibull,
		calib_fit_shexp
	};
	int f, best = CALIB_EMPIRICAL;

	qsort(x, n, sizeof(*x), cmp_double);
	for (f = 0; f < CALIB_N_FAMILIES; f++) {
		struct calib_fit *o = &out[f];

		o->ok = 0;
		o->p[0] = o->p[1] = 0;
		o->loglik = o->aic = o->ks_d = 0;
		o->ks_p = 1;
		o->note = NULL;
		if (f == CALIB_EMPIRICAL) {
			o->ok = 1;
			o->note = "no AIC: n parameters";
			continue;
		}
		if (f != CALIB_SHEXP && x[0] <= 0) {
			o->note = "needs samples > 0";
			continue;
		}
		if (fit[f](x, n, o->p)) {
			o->note = "no fit (constant sample?)";
			continue;
		}
		o->ok = 1;
		o->loglik = loglik(f, o->p, x, n);
		o->aic = 4 - 2 * o->loglik;
		o->ks_d = calib_ks_d(f, o->p, x, n);
		o->ks_p = calib_ks_pvalue(o->ks_d, n);
		if (f == CALIB_SHEXP) {
			o->note = "not writable: the scenario has no shift";
			continue;
		}
		if (o->ks_p >= 0.05 &&
		    (best == CALIB_EMPIRICAL || o->aic < out[best].aic))
			best = f;
	}
	return best;
}
