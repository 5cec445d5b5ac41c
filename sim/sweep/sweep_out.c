/* sweep_out.c - runs.csv, summary.csv, sweep.json (sweep_out.h).
 *
 * runs.csv: run, point, variant, one column per vary path (named by the
 * path, the value as JSON text), replication, seed, then the metrics.
 * summary.csv: point, variant, the vary columns, metric, n, mean, sd,
 * ci95 (half-width, Student's t with n - 1 degrees of freedom), min, max,
 * and diff_n, diff_mean, diff_sd, diff_ci95: the same for the paired
 * differences point - baseline over the replications both have. Every
 * statistic is computed from the numbers as runs.csv prints them.
 * Rows read back (--resume, merge) must be exactly what sweep_row would
 * write for their run number, up to the metric values, which must be
 * numbers as buf_number prints them: one run's numbers are never taken
 * for another's.
 */
#include "sweep_out.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gsl/gsl_cdf.h>

#include "sim/core/alloc.h"
#include "sim/core/fileset.h"
#include "sim/report/report.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/scenario_json.h"
#include "sim/core/version.h"

#define ROW_MAX_FIELDS 4096

/* ------------------------------------------------------------ metrics */

static int add_name(struct sweep_metrics *mx, const char *name,
		    int nullable)
{
	char **n = rsim_realloc(mx->names, (size_t)(mx->n + 1) * sizeof(*n));
	char *z;

	if (!n)
		return -1;
	mx->names = n;
	z = rsim_realloc(mx->nullable, (size_t)(mx->n + 1));
	if (!z)
		return -1;
	mx->nullable = z;
	mx->nullable[mx->n] = (char)nullable;
	mx->names[mx->n] = rsim_strdup(name);
	return mx->names[mx->n++] ? 0 : -1;
}

static int skipped(const char *path)
{
	return strcmp(path, "scenario") == 0 || strcmp(path, "seed") == 0 ||
	       strcmp(path, "replication") == 0 ||
	       strcmp(path, "rollout.progressing") == 0 ||   /* conditions */
	       strcmp(path, "rollout.available") == 0 ||
	       strcmp(path, "pods.pod_seconds_by_revision") == 0;
}

/* Calls fn on every number, boolean and null leaf, in order. Lists
 * (summary.rollouts) are skipped: their length varies from run to run,
 * and runs.csv has the same columns for every run. */
static int walk(const cJSON *o, const char *prefix,
		int (*fn)(void *ctx, const char *path, const cJSON *leaf),
		void *ctx)
{
	const cJSON *c;
	char path[256];

	cJSON_ArrayForEach(c, o) {
		snprintf(path, sizeof(path), "%s%s%s", prefix,
			 prefix[0] ? "." : "", c->string);
		if (skipped(path) || cJSON_IsString(c) || cJSON_IsArray(c))
			continue;
		if (cJSON_IsObject(c)) {
			if (walk(c, path, fn, ctx))
				return -1;
		} else if (fn(ctx, path, c)) {
			return -1;
		}
	}
	return 0;
}

/* A leaf that is not a number (a null) is an empty cell: allowed. */
static int name_leaf(void *ctx, const char *path, const cJSON *leaf)
{
	return add_name(ctx, path, !cJSON_IsNumber(leaf) &&
			!cJSON_IsBool(leaf) && !cJSON_IsRaw(leaf));
}

int sweep_metrics_init(struct sweep_metrics *mx)
{
	struct world_config cfg;
	struct world_metrics m;
	cJSON *s;
	int rc;

	/* a run in which nothing happened: every key that can be null is */
	memset(mx, 0, sizeof(*mx));
	memset(&m, 0, sizeof(m));
	m.triggered_ns = m.completed_ns = -1;
	world_config_init(&cfg);
	s = report_summary(&cfg, 0, &m);
	rc = s ? walk(s, "", name_leaf, mx) : -1;
	cJSON_Delete(s);
	world_config_release(&cfg);
	return rc ? RSIM_ENOMEM : 0;
}

void sweep_metrics_release(struct sweep_metrics *mx)
{
	int32_t i;

	for (i = 0; i < mx->n; i++)
		free(mx->names[i]);
	free(mx->names);
	free(mx->nullable);
	memset(mx, 0, sizeof(*mx));
}

/* ------------------------------------------------------------ rows */

struct buf {
	char *s;
	size_t n, cap;
	int oom;
};

static void buf_add(struct buf *b, const char *t)
{
	size_t k = strlen(t);

	if (b->n + k + 1 > b->cap) {
		size_t cap = (b->cap ? b->cap * 2 : 256) + k;
		char *s = rsim_realloc(b->s, cap);

		if (!s) {
			b->oom = 1;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
	memcpy(b->s + b->n, t, k + 1);
	b->n += k;
}

/* A CSV field, quoted when it holds a comma, a quote or a line break. */
static void buf_field(struct buf *b, const char *t, int first)
{
	const char *c;
	char q[2] = { 0, 0 };

	if (!first)
		buf_add(b, ",");
	if (!strpbrk(t, ",\"\n\r")) {
		buf_add(b, t);
		return;
	}
	buf_add(b, "\"");
	for (c = t; *c; c++) {
		q[0] = *c;
		buf_add(b, *c == '"' ? "\"\"" : q);
	}
	buf_add(b, "\"");
}

static void buf_number(struct buf *b, double v)
{
	char t[64];

	if (isnan(v)) {
		buf_add(b, ",");
		return;
	}
	report_format_seconds(t, sizeof(t), v);
	buf_add(b, ",");
	buf_add(b, t);
}

static void point_fields(struct buf *b, const struct sweep_plan *p,
			 int32_t point, int first)
{
	const struct sweep_point *pt = &p->points[point];
	char t[32];
	int32_t i;

	snprintf(t, sizeof(t), "%d", point);
	buf_field(b, t, first);
	buf_field(b, pt->variant >= 0 ? p->variant_names[pt->variant] : "",
		  0);
	for (i = 0; i < p->n_vary; i++) {
		const cJSON *v = cJSON_GetArrayItem(pt->values, i);
		char *txt = cJSON_IsString(v) ? NULL : cJSON_PrintUnformatted(v);

		if (v && !cJSON_IsString(v) && !txt)
			b->oom = 1;
		buf_field(b, cJSON_IsString(v) ? v->valuestring
					       : (txt ? txt : ""), 0);
		free(txt);
	}
}

static int value_leaf(void *ctx, const char *path, const cJSON *leaf)
{
	(void)path;
	double v = (double)NAN;

	if (cJSON_IsNumber(leaf))
		v = leaf->valuedouble;
	else if (cJSON_IsBool(leaf))
		v = cJSON_IsTrue(leaf) ? 1.0 : 0.0;
	else if (cJSON_IsRaw(leaf))        /* numbers report.c formatted */
		v = strtod(leaf->valuestring, NULL);
	buf_number(ctx, v);
	return 0;
}

/* run,point,variant,<vary values>,replication: how every row of run
 * begins (the rows --resume and merge read must begin so too). */
static void row_start(struct buf *b, const struct sweep_plan *p,
		      int32_t run)
{
	char t[32];

	snprintf(t, sizeof(t), "%d", run);
	buf_field(b, t, 1);
	point_fields(b, p, run / p->replications, 0);
	snprintf(t, sizeof(t), ",%d", run % p->replications);
	buf_add(b, t);
}

char *sweep_row(const struct sweep_plan *p, const struct sweep_metrics *mx,
		int32_t run, const struct world_config *cfg,
		const struct world_metrics *m)
{
	struct buf b = { 0 };
	int32_t r = run % p->replications;
	cJSON *s = report_summary(cfg, (uint32_t)r, m);
	char t[64];

	(void)mx;
	row_start(&b, p, run);
	snprintf(t, sizeof(t), ",%llu", (unsigned long long)cfg->seed);
	buf_add(&b, t);
	if (!s || walk(s, "", value_leaf, &b) || b.oom) {
		cJSON_Delete(s);
		free(b.s);
		return NULL;
	}
	cJSON_Delete(s);
	return b.s;
}

int sweep_csv_split(char *line, char **fields, int max)
{
	int n = 0;
	char *r = line, *w;

	while (n < max) {
		fields[n++] = w = r;
		if (*r == '"') {
			for (r++; *r; r++) {
				if (*r == '"' && r[1] == '"')
					*w++ = *r++;
				else if (*r == '"')
					break;
				else
					*w++ = *r;
			}
			if (*r == '"')
				r++;
		} else {
			while (*r && *r != ',')
				*w++ = *r++;
		}
		if (*r != ',') {
			*w = '\0';
			break;
		}
		r++;
		*w = '\0';
	}
	return n;
}

/* ------------------------------------------------------------ summary */

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
	int32_t run, k, first = 5 + p->n_vary;
	char **f = rsim_malloc(ROW_MAX_FIELDS * sizeof(*f));

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
		nf = sweep_csv_split(copy, f, ROW_MAX_FIELDS);
		for (k = 0; k < mx->n && first + k < nf; k++)
			if (f[first + k][0])
				v[k] = strtod(f[first + k], NULL);
		free(copy);
	}
	free(f);
	return 0;
}

static void summary_line(struct buf *b, const struct sweep_plan *p,
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
	point_fields(b, p, point, 1);
	buf_field(b, mx->names[k], 0);
	snprintf(nbuf, sizeof(nbuf), ",%d", s.n);
	buf_add(b, nbuf);
	buf_number(b, s.mean);
	buf_number(b, s.sd);
	buf_number(b, s.ci95);
	buf_number(b, s.min);
	buf_number(b, s.max);
	snprintf(nbuf, sizeof(nbuf), ",%d", ds.n);
	buf_add(b, nbuf);
	buf_number(b, ds.mean);
	buf_number(b, ds.sd);
	buf_number(b, ds.ci95);
	buf_add(b, "\n");
}

/* ------------------------------------------------------------ files */

static void header_common(struct buf *b, const struct sweep_plan *p)
{
	int32_t i;

	buf_add(b, "point,variant");
	for (i = 0; i < p->n_vary; i++)
		buf_field(b, p->vary_paths[i], 0);
}

static char *runs_text(const struct sweep_plan *p,
		       const struct sweep_metrics *mx, char *const *rows,
		       int32_t *done)
{
	struct buf b = { 0 };
	int32_t i, n = p->n_points * p->replications;

	buf_add(&b, "run,");
	header_common(&b, p);
	buf_add(&b, ",replication,seed");
	for (i = 0; i < mx->n; i++)
		buf_field(&b, mx->names[i], 0);
	buf_add(&b, "\n");
	*done = 0;
	for (i = 0; i < n; i++)
		if (rows[i]) {
			buf_add(&b, rows[i]);
			buf_add(&b, "\n");
			(*done)++;
		}
	if (b.oom) {
		free(b.s);
		return NULL;
	}
	return b.s;
}

static char *summary_text(const struct sweep_plan *p,
			  const struct sweep_metrics *mx, char *const *rows)
{
	struct buf b = { 0 };
	struct table t = { 0 };
	double *x = rsim_malloc((size_t)p->replications * 2 * sizeof(double));
	int32_t pt, k;

	if (!x || parse_rows(p, mx, rows, &t)) {
		free(x);
		return NULL;
	}
	header_common(&b, p);
	buf_add(&b, ",metric,n,mean,sd,ci95,min,max,diff_n,diff_mean,diff_sd,"
		    "diff_ci95\n");
	for (pt = 0; pt < p->n_points; pt++)
		for (k = 0; p->points[pt].valid && k < mx->n; k++)
			summary_line(&b, p, mx, &t, pt, k, x,
				     x + p->replications);
	free(x);
	free(t.value);
	if (b.oom) {
		free(b.s);
		return NULL;
	}
	return b.s;
}

/* Stages name with text and tail in set. */
static int write_file(struct fileset *set, const char *name,
		      const char *text, const char *tail,
		      struct rsim_error *err)
{
	char path[4200];
	FILE *f;
	int bad, rc = fileset_add(set, name, path, sizeof(path), err);

	if (rc)
		return rc;
	f = fopen(path, "w");
	if (!f)
		return rsim_error_set(err, RSIM_EIO, path, "",
				      "cannot write: %s",
				      strerror(errno));
	bad = fputs(text, f) < 0 || fputs(tail, f) < 0;
	bad |= fclose(f) != 0;
	return bad ? rsim_error_set(err, RSIM_EIO, path, "", "cannot write: %s",
				    strerror(errno)) : 0;
}

/* sweep.json's text, ending with a newline (NULL: out of memory). */
static char *sweep_json_text(const struct sweep_plan *p, int32_t done,
			     int shard_k, int shard_n, int complete)
{
	unsigned long failures = rsim_alloc_failures();
	cJSON *o = cJSON_CreateObject(), *sh, *plan;
	char *text, *nl;
	size_t n;

	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, "rollsim_version", ROLLSIM_VERSION);
	plan = cJSON_Duplicate(p->plan_json, 1);
	if (!cJSON_AddItemToObject(o, "plan", plan))
		cJSON_Delete(plan);
	if (shard_n > 1) {
		sh = cJSON_AddObjectToObject(o, "shard");
		cJSON_AddNumberToObject(sh, "k", shard_k);
		cJSON_AddNumberToObject(sh, "n", shard_n);
	} else {
		cJSON_AddNullToObject(o, "shard");
	}
	cJSON_AddNumberToObject(o, "runs_done", done);
	cJSON_AddBoolToObject(o, "complete", complete);
	text = rsim_alloc_failures() == failures ? cJSON_Print(o) : NULL;
	cJSON_Delete(o);
	n = text ? strlen(text) : 0;
	nl = text ? rsim_realloc(text, n + 2) : NULL;
	if (!nl) {
		free(text);
		return NULL;
	}
	memcpy(nl + n, "\n", 2);
	return nl;
}

int sweep_write(const char *dir, const struct sweep_plan *p,
		const struct sweep_metrics *mx, char *const *rows,
		int shard_k, int shard_n, int complete, struct rsim_error *err)
{
	int32_t done = 0;
	char *runs = runs_text(p, mx, rows, &done);
	char *sum = runs ? summary_text(p, mx, rows) : NULL;
	char *js = sum ? sweep_json_text(p, done, shard_k, shard_n, complete)
		       : NULL;
	struct fileset *set = NULL;
	int rc = 0;

	if (!js)
		rc = rsim_error_set(err, RSIM_ENOMEM, dir, "", "out of memory");
	if (!rc)
		rc = fileset_open(dir, &set, err);
	if (!rc)
		rc = write_file(set, "runs.csv", runs, "", err);
	if (!rc)
		rc = write_file(set, "summary.csv", sum, "", err);
	if (!rc)
		rc = write_file(set, "sweep.json", js, "\n", err);
	if (!rc)
		rc = fileset_commit(set, err);
	fileset_free(set);
	free(runs);
	free(sum);
	free(js);
	return rc;
}

/* ------------------------------------------------------------ reading */

/* -?D+(.D+)? : a number as buf_number prints it. */
static int is_decimal(const char *s, size_t n)
{
	size_t i = s[0] == '-', d = 0;

	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++, d++;
	if (d == 0)
		return 0;
	if (i == n)
		return 1;
	if (s[i++] != '.' || i == n)
		return 0;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	return i == n;
}

/* Writes why a row is refused into why; returns 1. */
static int refuse(char *why, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int refuse(char *why, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, n, fmt, ap);
	va_end(ap);
	return 1;
}

/* Checks the seed and the metric cells (c: the text after the row's
 * start and its comma). Returns 0 or 1 with why filled. */
static int check_cells(const struct sweep_plan *p,
		       const struct sweep_metrics *mx, int32_t run,
		       const char *c, int check_seed, char *why, size_t n)
{
	const struct world_config *cfg = &p->points[run / p->replications].cfg;
	size_t len = strcspn(c, ",");
	int32_t k;

	if (!is_decimal(c, len) || memchr(c, '.', len) || c[0] == '-')
		return refuse(why, n, "the seed is not a number");
	if (check_seed && strtoull(c, NULL, 10) != cfg->seed)
		return refuse(why, n, "the seed is not the point's (%llu)",
			      (unsigned long long)cfg->seed);
	for (k = 0; k < mx->n; k++) {
		c += len;
		if (*c != ',')
			return refuse(why, n, "too few columns");
		len = strcspn(++c, ",");
		if (len == 0 && !mx->nullable[k])
			return refuse(why, n, "%s is empty", mx->names[k]);
		if (len > 0 && !is_decimal(c, len))
			return refuse(why, n, "%s is not a number",
				      mx->names[k]);
	}
	if (c[len] != '\0')
		return refuse(why, n, "too many columns");
	return 0;
}

/* Whether line is the row of a run of plan p: its run number, point,
 * variant, vary values and replication as sweep_row writes them, a seed
 * (the point's, when check_seed), every metric a number (or empty where
 * summary.json may have null), as many columns as the header. Returns 0
 * (*run set), 1 (why filled) or RSIM_ENOMEM. */
static int row_check(const struct sweep_plan *p,
		     const struct sweep_metrics *mx, const char *line,
		     int check_seed, int32_t *run, char *why, size_t n)
{
	int32_t n_runs = p->n_points * p->replications;
	struct buf b = { 0 };
	char *end;
	long r = strtol(line, &end, 10);
	int bad;

	if (end == line || *end != ',' || r < 0 || r >= n_runs)
		return refuse(why, n, "no run number of this sweep");
	if (!p->points[r / p->replications].valid)
		return refuse(why, n, "run %ld is of an invalid point", r);
	row_start(&b, p, (int32_t)r);
	buf_add(&b, ",");
	if (b.oom) {
		free(b.s);
		return RSIM_ENOMEM;
	}
	if (strncmp(line, b.s, b.n) != 0)
		bad = refuse(why, n,
			     "its point, variant, values or replication "
			     "are not those of run %ld", r);
	else
		bad = check_cells(p, mx, (int32_t)r, line + b.n, check_seed,
				  why, n);
	free(b.s);
	*run = (int32_t)r;
	return bad;
}

/* How rows are read: from runs.csv or a part file, for merge (strict:
 * every fault is an error) or --resume (a bad row is dropped with a
 * notice on stderr, and its run is done again). */
struct row_reader {
	const struct sweep_plan *p;
	const struct sweep_metrics *mx;
	char **rows;                 /* rows[run], malloc'ed */
	int strict;
	const char *path;            /* the file, for messages */
};

/* Takes one complete line (no newline), line number ln of the file. */
static int take_row(const struct row_reader *rr, const char *line, long ln,
		    struct rsim_error *err)
{
	char why[200], at[1300];
	int32_t run = -1;
	int rc = row_check(rr->p, rr->mx, line, !rr->strict, &run, why,
			   sizeof(why));

	snprintf(at, sizeof(at), "%s:%ld", rr->path, ln);
	if (rc == RSIM_ENOMEM)
		return rsim_error_set(err, RSIM_ENOMEM, at, "",
				      "out of memory");
	if (rc == 1 && rr->strict)
		return rsim_error_set(err, RSIM_EINPUT, at, "",
				      "not a row of this "
				      "sweep (%s)", why);
	if (rc == 1) {
		fprintf(stderr, "%s: row discarded (%s); its run is done "
			"again\n", at, why);
		return 0;
	}
	if (rr->rows[run])               /* --resume keeps the first */
		return rr->strict ? rsim_error_set(err, RSIM_EINPUT, at, "",
						   "run "
						   "%d appears twice", run) : 0;
	if (!(rr->rows[run] = rsim_strdup(line)))
		return rsim_error_set(err, RSIM_ENOMEM, at, "",
				      "out of memory");
	return 0;
}

/* A last line without a newline: written by a process that was killed
 * (or a file cut short): an error when strict, else dropped. */
static int cut_short(const struct row_reader *rr, long ln,
		     struct rsim_error *err)
{
	char at[1300];

	snprintf(at, sizeof(at), "%s:%ld", rr->path, ln);
	if (rr->strict)
		return rsim_error_set(err, RSIM_EINPUT, at, "",
				      "the last line ends "
				      "without a newline (the file was cut short)");
	fprintf(stderr, "%s: row discarded (cut short: no newline); its run "
		"is done again\n", at);
	return 0;
}

/* Reads the rows of f (header line skipped). *good gets the length of
 * its complete lines; a last line without a newline is an error when
 * strict, else dropped with a notice. */
static int read_rows(const struct row_reader *rr, FILE *f, long *good,
		     struct rsim_error *err)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long ln = 0;
	int rc = 0;

	*good = 0;
	while (!rc && (len = getline(&line, &cap, f)) > 0) {
		ln++;
		if (line[len - 1] != '\n') {
			rc = cut_short(rr, ln, err);
			break;
		}
		*good += (long)len;
		line[--len] = '\0';
		if (len > 0 && !(ln == 1 && strncmp(line, "run,", 4) == 0))
			rc = take_row(rr, line, ln, err);
	}
	free(line);
	return rc;
}

/* The plan of a parsed sweep.json document o (which is freed). */
static cJSON *plan_of(cJSON *o, const char *path, struct rsim_error *err)
{
	cJSON *plan = cJSON_IsObject(o)
			      ? cJSON_DetachItemFromObjectCaseSensitive(o,
									"plan")
			      : NULL;

	cJSON_Delete(o);
	if (!plan)
		rsim_error_set(err, RSIM_EINPUT, path, "",
			       "not a sweep.json of "
			       "rollsim");
	return plan;
}

cJSON *sweep_parse_plan(const char *text, const char *path,
			struct rsim_error *err)
{
	struct json_ctx c;
	cJSON *o;

	json_ctx_init(&c, path, err);
	if (json_parse(&c, text, strlen(text), &o))
		return NULL;
	return plan_of(o, path, err);
}

cJSON *sweep_read_plan(const char *dir, struct rsim_error *err)
{
	char path[1200];
	cJSON *o;

	snprintf(path, sizeof(path), "%s/sweep.json", dir);
	if (scenario_parse_file(path, &o, err))   /* strict, size-limited */
		return NULL;
	return plan_of(o, path, err);
}

static int check_plan(const char *dir, const cJSON *plan_json,
		      struct rsim_error *err)
{
	char path[1200];
	cJSON *plan = sweep_read_plan(dir, err);
	int same = plan && cJSON_Compare(plan, plan_json, 1);

	cJSON_Delete(plan);
	if (!plan)
		return err->code;
	snprintf(path, sizeof(path), "%s/sweep.json", dir);
	if (!same)
		return rsim_error_set(err, RSIM_EINPUT, path, "",
				      "belongs to another "
				      "sweep plan (scenario, --set, vary, variants "
				      "or replications differ)");
	return 0;
}

int sweep_read(const char *dir, const struct sweep_plan *p,
	       const struct sweep_metrics *mx, char **rows, int strict,
	       struct rsim_error *err)
{
	char path[1200];
	struct row_reader rr = { p, mx, rows, strict, path };
	FILE *f;
	long good;
	int rc = check_plan(dir, p->plan_json, err);

	if (rc)
		return rc;
	snprintf(path, sizeof(path), "%s/runs.csv", dir);
	f = fopen(path, "r");
	if (!f)
		return strict || errno != ENOENT
			? rsim_error_set(err, RSIM_EINPUT, path, "",
					 "cannot read: %s", strerror(errno))
			: 0;
	rc = read_rows(&rr, f, &good, err);
	fclose(f);
	return rc;
}

int sweep_read_part(int fd, const char *path, const struct sweep_plan *p,
		    const struct sweep_metrics *mx, char **rows,
		    struct rsim_error *err)
{
	struct row_reader rr = { p, mx, rows, 0, path };
	int dfd = lseek(fd, 0, SEEK_SET) == 0 ? dup(fd) : -1;
	FILE *f = dfd >= 0 ? fdopen(dfd, "r") : NULL;
	struct stat st;
	long good = 0;
	int rc;

	if (!f) {
		if (dfd >= 0)
			close(dfd);
		return rsim_error_set(err, RSIM_EIO, path, "",
				      "cannot read: %s",
				      strerror(errno));
	}
	rc = read_rows(&rr, f, &good, err);
	fclose(f);
	if (!rc && fstat(fd, &st) == 0 && st.st_size > good &&
	    ftruncate(fd, (off_t)good) != 0)
		rc = rsim_error_set(err, RSIM_EIO, path, "",
				    "cannot remove the "
				    "row cut short: %s", strerror(errno));
	return rc;
}
