/* sweep_summary.c - summary.csv (sweep_summary.h): written from the
 * rows of runs.csv, read back by name for the plots. */
#include "sweep_summary.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "sim/core/alloc.h"
#include "sim/core/file.h"
#include "sweep_csv.h"

const char *const sweep_stat_names[SWEEP_STAT_COUNT] = {
	"n", "mean", "sd", "ci95", "min", "max",
	"diff_n", "diff_mean", "diff_sd", "diff_ci95",
};

struct moments {
	int n;
	double mean, sd, ci95, min, max;
};

static void moments_of(const double *x, int n, struct moments *s)
{
	double sum = 0, ss = 0;
	int i;

	s->n = n;
	s->mean = s->sd = s->ci95 = s->min = s->max = (double)NAN;
	if (n == 0)
		return;
	s->min = s->max = x[0];
	for (i = 0; i < n; i++) {
		sum += x[i];
		s->min = x[i] < s->min ? x[i] : s->min;
		s->max = x[i] > s->max ? x[i] : s->max;
	}
	s->mean = sum / n;
	if (n < 2)
		return;
	for (i = 0; i < n; i++)
		ss += (x[i] - s->mean) * (x[i] - s->mean);
	s->sd = sqrt(ss / (n - 1));
	s->ci95 = gsl_cdf_tdist_Pinv(0.975, n - 1) * s->sd / sqrt((double)n);
}

/* The parsed numbers: value[run * n_metrics + metric], NaN if absent. */
struct table {
	double *value;
	int32_t n_runs, n_metrics;
};

static int parse_rows(const struct sweep_plan *p,
		      const struct sweep_metrics *mx,
		      char *const *rows, struct table *t)
{
	int32_t run, k, first = SWEEP_RUNS_METRIC(p->n_vary, 0);
	char **f = rsim_malloc(SWEEP_CSV_MAX_FIELDS * sizeof(*f));

	t->n_runs = p->n_points * p->replications;
	t->n_metrics = mx->n;
	t->value = rsim_malloc((size_t)t->n_runs * (size_t)mx->n * sizeof(double) + 1);
	if (!f || !t->value) {
		free(f);
		return RSIM_ENOMEM;
	}
	for (run = 0; run < t->n_runs; run++) {
		double *v = &t->value[(size_t)run * (size_t)mx->n];
		char *copy;
		int nf;

		for (k = 0; k < mx->n; k++)
			v[k] = (double)NAN;
		if (!rows[run])
			continue;
		if (!(copy = rsim_strdup(rows[run]))) {
			free(f);
			free(t->value);
			t->value = NULL;
			return RSIM_ENOMEM;
		}
		nf = sweep_csv_split(copy, f, SWEEP_CSV_MAX_FIELDS);
		for (k = 0; k < mx->n && first + k < nf; k++)
			if (f[first + k][0])
				v[k] = strtod(f[first + k], NULL);
		free(copy);
	}
	free(f);
	return 0;
}

static void summary_line(struct sweep_buf *b, const struct sweep_plan *p,
			 const struct sweep_metrics *mx, const struct table *t,
			 int32_t point, int32_t k, double *x, double *d)
{
	int32_t r, n = 0, nd = 0, R = p->replications;
	struct moments s, ds;
	char nbuf[32];

	for (r = 0; r < R; r++) {
		double v = t->value[((size_t)point * R + r) * t->n_metrics + k];
		double base = t->value[((size_t)p->baseline * R + r) *
				       t->n_metrics + k];

		if (isnan(v))
			continue;
		x[n++] = v;
		if (!isnan(base))
			d[nd++] = v - base;
	}
	moments_of(x, n, &s);
	moments_of(d, nd, &ds);
	sweep_csv_point(b, p, point, 1);
	sweep_csv_field(b, mx->names[k], 0);
	snprintf(nbuf, sizeof(nbuf), ",%d", s.n);
	sweep_csv_add(b, nbuf);
	sweep_csv_number(b, s.mean);
	sweep_csv_number(b, s.sd);
	sweep_csv_number(b, s.ci95);
	sweep_csv_number(b, s.min);
	sweep_csv_number(b, s.max);
	snprintf(nbuf, sizeof(nbuf), ",%d", ds.n);
	sweep_csv_add(b, nbuf);
	sweep_csv_number(b, ds.mean);
	sweep_csv_number(b, ds.sd);
	sweep_csv_number(b, ds.ci95);
	sweep_csv_add(b, "\n");
}

char *sweep_summary_text(const struct sweep_plan *p,
			 const struct sweep_metrics *mx, char *const *rows)
{
	struct sweep_buf b = SWEEP_BUF_INIT;
	struct table t = { 0 };
	double *x = rsim_malloc((size_t)p->replications * 2 * sizeof(double));
	int32_t pt, k;

	if (!x || parse_rows(p, mx, rows, &t)) {
		free(x);
		return NULL;
	}
	sweep_csv_header_common(&b, p);
	sweep_csv_field(&b, SWEEP_COL_METRIC, 0);
	for (k = 0; k < SWEEP_STAT_COUNT; k++)
		sweep_csv_field(&b, sweep_stat_names[k], 0);
	sweep_csv_add(&b, "\n");
	for (pt = 0; pt < p->n_points; pt++)
		for (k = 0; p->points[pt].valid && k < mx->n; k++)
			summary_line(&b, p, mx, &t, pt, k, x,
				     x + p->replications);
	free(x);
	free(t.value);
	return sweep_buf_finish(&b);
}

/* ------------------------------------------------------------ reading */

static double field_num(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	return end == s ? (double)NAN : v;
}

/* The row of fields f (nf of them; m: the metric column) into r; 0 when
 * it lacks the columns up to ci95. */
static int summary_fields(char **f, int nf, int m,
			  struct sweep_summary_row *r)
{
	int k;

	if (nf < m + 2 + SWEEP_STAT_CI95)
		return 0;
	r->point = strtol(f[SWEEP_SUMMARY_POINT], NULL, 10);
	r->metric = f[m];
	r->n = atoi(f[m + 1 + SWEEP_STAT_N]);
	for (k = 0; k < SWEEP_STAT_COUNT; k++)
		r->stat[k] = m + 1 + k < nf ? field_num(f[m + 1 + k])
					    : (double)NAN;
	return 1;
}

/* The index of the metric column in the header fields f, or -1. */
static int metric_column(char **f, int nf)
{
	int i;

	for (i = 0; i < nf; i++)
		if (strcmp(f[i], SWEEP_COL_METRIC) == 0)
			return i;
	return -1;
}

int sweep_summary_read(const char *dir,
		       int (*fn)(void *ctx, const struct sweep_summary_row *r),
		       void *ctx, struct rsim_error *err)
{
	char path[4096], *line = NULL, *f[256];
	struct sweep_summary_row r;
	FILE *in;
	size_t cap = 0;
	ssize_t len;
	int m = -1, nf, rc = 0;

	if (path_join(path, sizeof(path), dir, SWEEP_SUMMARY_FILE))
		return rsim_error_set(err, RSIM_EINPUT, dir, "", "path too long");
	if (!(in = fopen(path, "r")))
		return rsim_error_set(err, RSIM_EINPUT, path, "",
				      "cannot read: %s", strerror(errno));
	while (!rc && (len = getline(&line, &cap, in)) > 0) {
		while (len > 0 && (line[len - 1] == '\n' ||
				   line[len - 1] == '\r'))
			line[--len] = '\0';
		nf = sweep_csv_split(line, f, 256);
		if (m < 0) {                 /* the header */
			if ((m = metric_column(f, nf)) < 0)
				break;
		} else if (summary_fields(f, nf, m, &r)) {
			rc = fn(ctx, &r);
		}
	}
	free(line);
	fclose(in);
	if (!rc && m < 0)
		rc = rsim_error_set(err, RSIM_EINPUT, path, "", "no \"metric\" "
				    "column: not the summary.csv of rollsim sweep");
	return rc;
}
