/* calib_fit.h - maximum-likelihood fits of a duration sample (calibrate).
 *
 * Pure arithmetic on an array of seconds: the candidate families of the
 * scenario's distributions, each fitted by maximum likelihood, its AIC and
 * its Kolmogorov-Smirnov statistic against the sample. Nothing here knows
 * JSON or files; calib.c reads the dumps and writes the results.
 */
#ifndef RSIM_CALIB_FIT_H
#define RSIM_CALIB_FIT_H

#include <stddef.h>

enum calib_family {
	CALIB_LOGNORMAL,   /* p[0] median, p[1] sigma */
	CALIB_GAMMA,       /* p[0] mean, p[1] shape */
	CALIB_WEIBULL,     /* p[0] scale, p[1] shape */
	CALIB_SHEXP,       /* p[0] shift, p[1] mean above the shift */
	CALIB_EMPIRICAL,   /* no parameters: the sample itself */
	CALIB_N_FAMILIES
};

struct calib_fit {
	int ok;            /* 0: the family cannot be fitted (why in note) */
	double p[2];       /* parameters, seconds or plain numbers */
	double loglik;     /* log-likelihood at the estimate */
	double aic;        /* 2k - 2 loglik (k = 2); 0 for the empirical */
	double ks_d;       /* Kolmogorov-Smirnov D */
	double ks_p;       /* its p-value (Kolmogorov distribution) */
	const char *note;  /* static text, or NULL */
};

/* The samples a field needs before any family is fitted. */
#define CALIB_MIN_SAMPLES 5

/* Family names as the report prints them. */
const char *calib_family_name(int family);

/* Fits every family to x[0..n) (n >= 2; x is sorted in place). Returns
 * the chosen family: the lowest AIC among the families the scenario can
 * write (lognormal, gamma, Weibull) that pass KS at 5 %, else the
 * empirical distribution. */
int calib_fit_all(double *x, size_t n, struct calib_fit out[CALIB_N_FAMILIES]);

/* Single fits, exported for the tests (x sorted, all > 0 except for the
 * shifted exponential). Return 0, or -1 when the fit is impossible. */
int calib_fit_lognormal(const double *x, size_t n, double p[2]);
int calib_fit_gamma(const double *x, size_t n, double p[2]);
int calib_fit_weibull(const double *x, size_t n, double p[2]);
int calib_fit_shexp(const double *x, size_t n, double p[2]);

/* The family's cdf at t (parameters as above). */
double calib_cdf(int family, const double p[2], double t);

/* KS D of sorted x[0..n) against cdf(family, p). */
double calib_ks_d(int family, const double p[2], const double *x, size_t n);

/* P(D_n >= d) for a fully specified continuous law: the Kolmogorov
 * series at Stephens' corrected argument (sqrt(n) + 0.12 + 0.11/sqrt(n)) d. */
double calib_ks_pvalue(double d, size_t n);

#endif
