/* sweep_out.c - runs.csv, summary.csv, sweep.json (sweep_out.h).
 *
 * runs.csv: run, point, variant, one column per vary path (named by the
 * path, the value as JSON text), replication, seed, then the metrics.
 * summary.csv: point, variant, the vary columns, metric, n, mean, sd,
 * ci95 (half-width, Student's t with n - 1 degrees of freedom), min, max,
 * and diff_n, diff_mean, diff_sd, diff_ci95: the same for the paired
 * differences point - baseline over the replications both have. Every
 * statistic is computed from the numbers as runs.csv prints them.
 */
#include "sweep_out.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_cdf.h>

#include "alloc.h"
#include "report.h"
#include "version.h"

#define ROW_MAX_FIELDS 4096

/* ------------------------------------------------------------ metrics */

static int add_name(struct sweep_metrics *mx, const char *name)
{
	char **n = realloc(mx->names, (size_t)(mx->n + 1) * sizeof(*n));

	if (!n)
		return -1;
	mx->names = n;
	mx->names[mx->n] = strdup(name);
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

/* Calls fn on every number, boolean and null leaf, in order. */
static int walk(const cJSON *o, const char *prefix,
		int (*fn)(void *ctx, const char *path, const cJSON *leaf),
		void *ctx)
{
	const cJSON *c;
	char path[256];

	cJSON_ArrayForEach(c, o) {
		snprintf(path, sizeof(path), "%s%s%s", prefix,
			 prefix[0] ? "." : "", c->string);
		if (skipped(path) || cJSON_IsString(c))
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

static int name_leaf(void *ctx, const char *path, const cJSON *leaf)
{
	(void)leaf;
	return add_name(ctx, path);
}

int sweep_metrics_init(struct sweep_metrics *mx)
{
	struct world_config cfg;
	struct world_metrics m;
	cJSON *s;
	int rc;

	memset(mx, 0, sizeof(*mx));
	memset(&m, 0, sizeof(m));
	world_config_init(&cfg);
	s = report_summary(&cfg, 0, &m);
	rc = s ? walk(s, "", name_leaf, mx) : -1;
	cJSON_Delete(s);
	world_config_release(&cfg);
	return rc ? RS_ENOMEM : 0;
}

void sweep_metrics_release(struct sweep_metrics *mx)
{
	int32_t i;

	for (i = 0; i < mx->n; i++)
		free(mx->names[i]);
	free(mx->names);
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
		char *s = realloc(b->s, cap);

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

char *sweep_row(const struct sweep_plan *p, const struct sweep_metrics *mx,
		int32_t run, const struct world_config *cfg,
		const struct world_metrics *m)
{
	struct buf b = { 0 };
	int32_t r = run % p->replications;
	cJSON *s = report_summary(cfg, (uint32_t)r, m);
	char t[64];

	(void)mx;
	snprintf(t, sizeof(t), "%d", run);
	buf_field(&b, t, 1);
	point_fields(&b, p, run / p->replications, 0);
	snprintf(t, sizeof(t), ",%d,%llu", r, (unsigned long long)cfg->seed);
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

static int parse_rows(const struct sweep_plan *p, const struct sweep_metrics *mx,
		      char *const *rows, struct table *t)
{
	int32_t run, k, first = 5 + p->n_vary;
	char **f = malloc(ROW_MAX_FIELDS * sizeof(*f));

	t->n_runs = p->n_points * p->replications;
	t->n_metrics = mx->n;
	t->value = malloc((size_t)t->n_runs * (size_t)mx->n * sizeof(double) + 1);
	if (!f || !t->value) {
		free(f);
		return RS_ENOMEM;
	}
	for (run = 0; run < t->n_runs; run++) {
		double *v = &t->value[(size_t)run * (size_t)mx->n];
		char *copy;
		int nf;

		for (k = 0; k < mx->n; k++)
			v[k] = (double)NAN;
		if (!rows[run])
			continue;
		if (!(copy = strdup(rows[run]))) {
			free(f);
			free(t->value);
			t->value = NULL;
			return RS_ENOMEM;
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
	double *x = malloc((size_t)p->replications * 2 * sizeof(double));
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

static int write_file(const char *dir, const char *name, const char *text,
		      struct rs_error *err)
{
	char tmp[1200], final[1200];
	FILE *f;
	int bad;

	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, name);
	snprintf(final, sizeof(final), "%s/%s", dir, name);
	f = fopen(tmp, "w");
	if (!f)
		return rs_error_set(err, RS_EIO, tmp, "", "cannot write: %s",
				    strerror(errno));
	bad = fputs(text, f) < 0;
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, final)) {
		unlink(tmp);
		return rs_error_set(err, RS_EIO, final, "", "cannot write: %s",
				    strerror(errno));
	}
	return 0;
}

/* sweep.json's text, ending with a newline (NULL: out of memory). */
static char *sweep_json_text(const struct sweep_plan *p, int32_t done,
			     int shard_k, int shard_n, int complete)
{
	unsigned long failures = rs_alloc_failures();
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
	text = rs_alloc_failures() == failures ? cJSON_Print(o) : NULL;
	cJSON_Delete(o);
	n = text ? strlen(text) : 0;
	nl = text ? realloc(text, n + 2) : NULL;
	if (!nl) {
		free(text);
		return NULL;
	}
	memcpy(nl + n, "\n", 2);
	return nl;
}

int sweep_write(const char *dir, const struct sweep_plan *p,
		const struct sweep_metrics *mx, char *const *rows,
		int shard_k, int shard_n, int complete, struct rs_error *err)
{
	int32_t done = 0;
	char *runs = runs_text(p, mx, rows, &done);
	char *sum = runs ? summary_text(p, mx, rows) : NULL;
	char *js = sum ? sweep_json_text(p, done, shard_k, shard_n, complete)
		       : NULL;
	int rc = 0;

	if (!js)
		rc = rs_error_set(err, RS_ENOMEM, dir, "", "out of memory");
	if (!rc)
		rc = write_file(dir, "runs.csv", runs, err);
	if (!rc)
		rc = write_file(dir, "summary.csv", sum, err);
	if (!rc)
		rc = write_file(dir, "sweep.json", js, err);
	free(runs);
	free(sum);
	free(js);
	return rc;
}

/* Reads one file of rows; missing files are fine when !must. */
/* The number of fields of a runs.csv line (quotes respected). */
static int count_fields(const char *line)
{
	int n = 1, quoted = 0;

	for (; *line; line++) {
		if (*line == '"')
			quoted = !quoted;
		else if (*line == ',' && !quoted)
			n++;
	}
	return n;
}

static int read_rows_file(const char *path, char **rows, int32_t n_runs,
			  int n_fields, int strict, int must,
			  struct rs_error *err)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int first = 1, rc = 0;

	if (!f)
		return must ? rs_error_set(err, RS_EINPUT, path, "",
					   "cannot read: %s", strerror(errno))
			    : 0;
	while (!rc && (len = getline(&line, &cap, f)) > 0) {
		char *end;
		long run;

		if (line[len - 1] != '\n') {
			if (!strict)
				break;         /* a row cut short by a kill */
		} else {
			line[--len] = '\0';
		}
		if ((first && strncmp(line, "run,", 4) == 0) || len == 0) {
			first = 0;
			continue;
		}
		first = 0;
		run = strtol(line, &end, 10);
		if (!strict && count_fields(line) != n_fields)
			continue;              /* a damaged part row: rerun it */
		if (end == line || *end != ',' || run < 0 || run >= n_runs ||
		    count_fields(line) != n_fields)
			rc = rs_error_set(err, RS_EINPUT, path, "",
					  "not a row of this sweep: %.40s", line);
		else if (rows[run] && strict)
			rc = rs_error_set(err, RS_EINPUT, path, "",
					  "run %ld appears twice", run);
		else if (!rows[run] && !(rows[run] = strdup(line)))
			rc = rs_error_set(err, RS_ENOMEM, path, "",
					  "out of memory");
	}
	free(line);
	fclose(f);
	return rc;
}

cJSON *sweep_parse_plan(const char *text, const char *path,
			struct rs_error *err)
{
	unsigned long failures = rs_alloc_failures();
	cJSON *o = cJSON_Parse(text), *plan;

	plan = o ? cJSON_DetachItemFromObjectCaseSensitive(o, "plan") : NULL;
	cJSON_Delete(o);
	if (!plan && rs_alloc_failures() != failures)
		rs_error_set(err, RS_ENOMEM, path, "", "out of memory");
	else if (!plan)
		rs_error_set(err, RS_EINPUT, path, "", "not a sweep.json of "
			     "rollsim");
	return plan;
}

cJSON *sweep_read_plan(const char *dir, struct rs_error *err)
{
	char path[1200];
	FILE *f;
	char *text = NULL;
	size_t cap = 0;
	cJSON *plan;

	snprintf(path, sizeof(path), "%s/sweep.json", dir);
	f = fopen(path, "r");
	if (!f) {
		rs_error_set(err, RS_EINPUT, path, "", "cannot read: %s",
			     strerror(errno));
		return NULL;
	}
	if (getdelim(&text, &cap, '\0', f) < 0) {
		free(text);
		text = NULL;
	}
	fclose(f);
	plan = sweep_parse_plan(text ? text : "", path, err);
	free(text);
	return plan;
}

static int check_plan(const char *dir, const cJSON *plan_json,
		      struct rs_error *err)
{
	char path[1200];
	cJSON *plan = sweep_read_plan(dir, err);
	int same = plan && cJSON_Compare(plan, plan_json, 1);

	cJSON_Delete(plan);
	if (!plan)
		return err->code;
	snprintf(path, sizeof(path), "%s/sweep.json", dir);
	if (!same)
		return rs_error_set(err, RS_EINPUT, path, "", "belongs to another "
				    "sweep plan (scenario, --set, vary, variants "
				    "or replications differ)");
	return 0;
}

int sweep_read(const char *dir, const cJSON *plan_json, int n_fields,
	       char **rows, int32_t n_runs, int strict, struct rs_error *err)
{
	char path[1200];
	int rc = check_plan(dir, plan_json, err);

	if (rc)
		return rc;
	snprintf(path, sizeof(path), "%s/runs.csv", dir);
	rc = read_rows_file(path, rows, n_runs, n_fields, strict, strict, err);
	snprintf(path, sizeof(path), "%s/%s", dir, SWEEP_PART_FILE);
	if (!rc && !strict)
		rc = read_rows_file(path, rows, n_runs, n_fields, 0, 0, err);
	return rc;
}

int sweep_row_fields(const struct sweep_plan *p,
		     const struct sweep_metrics *mx)
{
	return 5 + p->n_vary + mx->n;
}
