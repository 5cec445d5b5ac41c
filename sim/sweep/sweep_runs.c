/* sweep_runs.c - runs.csv (sweep_runs.h): the metric columns, the row
 * writer, the rows read back for --resume and merge.
 *
 * Rows read back must be exactly what sweep_row would write for their
 * run number, up to the metric values, which must be numbers as
 * sweep_csv_number prints them: one run's numbers are never taken for
 * another's.
 */
#include "sweep_runs.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/core/alloc.h"
#include "sim/core/file.h"
#include "sim/report/report.h"
#include "sweep_csv.h"
#include "sweep_json.h"

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
	       strcmp(path, "pods.pod_seconds_by_revision") == 0 ||
	       /* the Deployment's creation, not the rollout a sweep
		* compares; left out so that runs.csv keeps the columns it
		* had (and older sweep directories still resume and merge) */
	       strcmp(path, "requests.before_rollout") == 0;
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
	sweep_csv_number(ctx, v);
	return 0;
}

/* run,point,variant,<vary values>,replication: how every row of run
 * begins (the rows --resume and merge read must begin so too). */
static void row_start(struct sweep_buf *b, const struct sweep_plan *p,
		      int32_t run)
{
	char t[32];

	snprintf(t, sizeof(t), "%d", run);
	sweep_csv_field(b, t, 1);
	sweep_csv_point(b, p, run / p->replications, 0);
	snprintf(t, sizeof(t), ",%d", run % p->replications);
	sweep_csv_add(b, t);
}

char *sweep_row(const struct sweep_plan *p, const struct sweep_metrics *mx,
		int32_t run, const struct world_config *cfg,
		const struct world_metrics *m)
{
	struct sweep_buf b = SWEEP_BUF_INIT;
	int32_t r = run % p->replications;
	cJSON *s = report_summary(cfg, (uint32_t)r, m);
	char t[64];

	(void)mx;
	row_start(&b, p, run);
	snprintf(t, sizeof(t), ",%llu", (unsigned long long)cfg->seed);
	sweep_csv_add(&b, t);
	if (!s || walk(s, "", value_leaf, &b))
		b.oom = 1;
	cJSON_Delete(s);
	return sweep_buf_finish(&b);
}

char *sweep_runs_text(const struct sweep_plan *p,
		       const struct sweep_metrics *mx, char *const *rows,
		       int32_t *done)
{
	struct sweep_buf b = SWEEP_BUF_INIT;
	int32_t i, n = p->n_points * p->replications;

	sweep_csv_field(&b, SWEEP_COL_RUN, 1);
	sweep_csv_add(&b, ",");
	sweep_csv_header_common(&b, p);
	sweep_csv_field(&b, SWEEP_COL_REPLICATION, 0);
	sweep_csv_field(&b, SWEEP_COL_SEED, 0);
	for (i = 0; i < mx->n; i++)
		sweep_csv_field(&b, mx->names[i], 0);
	sweep_csv_add(&b, "\n");
	*done = 0;
	for (i = 0; i < n; i++)
		if (rows[i]) {
			sweep_csv_add(&b, rows[i]);
			sweep_csv_add(&b, "\n");
			(*done)++;
		}
	return sweep_buf_finish(&b);
}

/* -?D+(.D+)? : a number as sweep_csv_number prints it. */
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
	struct sweep_buf b = SWEEP_BUF_INIT;
	char *end;
	long r = strtol(line, &end, 10);
	int bad;

	if (end == line || *end != ',' || r < 0 || r >= n_runs)
		return refuse(why, n, "no run number of this sweep");
	if (!p->points[r / p->replications].valid)
		return refuse(why, n, "run %ld is of an invalid point", r);
	row_start(&b, p, (int32_t)r);
	sweep_csv_add(&b, ",");
	if (b.oom) {
		strbuf_release(&b.sb);
		return RSIM_ENOMEM;
	}
	if (strncmp(line, b.sb.buf, b.sb.len) != 0)
		bad = refuse(why, n,
			     "its point, variant, values or replication "
			     "are not those of run %ld", r);
	else
		bad = check_cells(p, mx, (int32_t)r, line + b.sb.len,
				  check_seed, why, n);
	strbuf_release(&b.sb);
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
		if (len > 0 && !(ln == 1 && strncmp(line, SWEEP_COL_RUN ",",
						   sizeof(SWEEP_COL_RUN)) == 0))
			rc = take_row(rr, line, ln, err);
	}
	free(line);
	return rc;
}

int sweep_read(const char *dir, const struct sweep_plan *p,
	       const struct sweep_metrics *mx, char **rows, int strict,
	       struct rsim_error *err)
{
	char path[4096];
	struct row_reader rr = { p, mx, rows, strict, path };
	FILE *f;
	long good;
	int rc = sweep_json_check_plan(dir, p->plan_json, err);

	if (rc)
		return rc;
	if (path_join(path, sizeof(path), dir, SWEEP_RUNS_FILE))
		return rsim_error_set(err, RSIM_EINPUT, dir, "", "path too long");
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
