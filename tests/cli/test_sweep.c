/* test_sweep.c - `rollsim sweep`, `merge`, `validate`, `help` and --set,
 * end to end through the command (README.md: Command line, Batch
 * experiments; sim/sweep/sweep.h).
 *
 * Scenarios are written into a fresh directory per test: 10 replicas, a
 * few minutes of simulated time, light traffic, so every sweep takes well
 * under a second; the interruption tests stop a sweep after a given run
 * through the ROLLSIM_TEST_SIGNAL_AFTER hook (sim/sweep/sweep_exec.c)
 * rather than a timed signal. Each test runs its own copy of $ROLLSIM so
 * that a rebuild during the test cannot mix two binaries in one
 * comparison.
 *
 * Covered: plan expansion (rows, run and point numbering, vary columns,
 * variants x vary, invalid points listed and skipped), common random
 * numbers, byte-identical files for --jobs 1/2/4 and merged shards, merge
 * refusals, SIGINT/SIGKILL and --resume (rows checked, torn part lines cut,
 * one sweep at a time per directory), --set, validate, help, and the
 * GNU parallel and Slurm recipes of the README (contrib/).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_util.h"

/* ------------------------------------------------------------ fixture */

static char *tmp;                  /* this test's directory */
static char bin[1200];             /* this test's copy of the binary */

static void sweep_setup(void)
{
	const char *src = getenv("ROLLSIM") ? getenv("ROLLSIM") : "./rollsim";
	char cmd[3000];

	tmp = cli_tmpdir();
	cr_assert_not_null(tmp);
	snprintf(bin, sizeof(bin), "%s/rollsim", tmp);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", src, bin);
	cr_assert_eq(system(cmd), 0, "cannot copy %s", src);
	setenv("ROLLSIM", bin, 1);
}

static void sweep_teardown(void)
{
	if (tmp)
		cli_rmrf(tmp);
	free(tmp);
	tmp = NULL;
}

TestSuite(sweep, .init = sweep_setup, .fini = sweep_teardown);

/* tmp/name (static buffers, a few at a time) */
static const char *in_tmp(const char *name)
{
	static char buf[32][1300];
	static int next;
	char *b = buf[next++ % 32];

	snprintf(b, sizeof(buf[0]), "%s/%s", tmp, name);
	return b;
}

#define IMAGE \
	"{ \"pull\": { \"dist\": \"uniform\", \"min\": \"1s\", \"max\": \"4s\" }," \
	"  \"startup\": { \"dist\": \"lognormal\", \"median\": \"3s\"," \
	"               \"sigma\": 0.3 }," \
	"  \"readinessProbe\": { \"initialDelaySeconds\": 1," \
	"                      \"periodSeconds\": 2 }," \
	"  \"shutdown\": { \"dist\": \"uniform\", \"min\": \"500ms\"," \
	"                \"max\": \"2s\" } }"

/* The base scenario; sweep is the text of the "sweep" value or NULL. */
static const char *scenario(const char *name, const char *sweep)
{
	const char *path = in_tmp(name);
	char text[8192];

	snprintf(text, sizeof(text),
		 "{ \"name\": \"sweep-test\", \"seed\": 11, \"until\": \"3m\",\n"
		 "  \"deployment\": { \"name\": \"web\", \"replicas\": 10,\n"
		 "    \"strategy\": { \"type\": \"RollingUpdate\",\n"
		 "      \"rollingUpdate\": { \"maxSurge\": \"25%%\",\n"
		 "                         \"maxUnavailable\": \"25%%\" } },\n"
		 "    \"image\": \"web:1\" },\n"
		 "  \"images\": { \"web:1\": " IMAGE ",\n"
		 "              \"web:2\": " IMAGE " },\n"
		 "  \"traffic\": { \"rate\": 20 },\n"
		 "  \"events\": [ { \"at\": \"30s\", \"action\": \"setImage\",\n"
		 "                \"image\": \"web:2\" } ]%s%s }\n",
		 sweep ? ",\n  \"sweep\": " : "", sweep ? sweep : "");
	cr_assert_eq(cli_write(path, text), 0, "cannot write %s", path);
	return path;
}

/* The grid of the examples: 3 x 2 points, point 0 (0, 0) invalid. */
#define GRID_SWEEP(reps) \
	"{ \"replications\": " #reps ", \"vary\": {" \
	"  \"deployment.strategy.rollingUpdate.maxSurge\": [0, 1, \"50%\"]," \
	"  \"deployment.strategy.rollingUpdate.maxUnavailable\": [0, 2] } }"

/* Runs rollsim with printf-style arguments. */
static void rs(struct cli_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void rs(struct cli_result *r, const char *fmt, ...)
{
	char args[3500];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	cli_run(r, args);
}

/* Runs rollsim and requires exit 0. */
static void run_ok(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void run_ok(const char *fmt, ...)
{
	struct cli_result r;
	char args[3500];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	cli_run(&r, args);
	cr_assert_eq(r.status, 0, "rollsim %s: exit %d: %s", args, r.status,
		     r.err ? r.err : "");
	cli_result_free(&r);
}

/* Requires exit 2 and one line on stderr that contains want. */
static void assert_input_error(const struct cli_result *r, const char *what,
			       const char *want)
{
	cr_assert_eq(r->status, 2, "%s: exit %d, stderr: %s", what, r->status,
		     r->err ? r->err : "");
	cr_assert_not_null(r->err);
	cr_assert(strstr(r->err, want) != NULL, "%s: stderr lacks \"%s\": %s",
		  what, want, r->err);
	cr_assert(strlen(r->err) > 0 &&
		  strchr(r->err, '\n') == r->err + strlen(r->err) - 1,
		  "%s: not one line: %s", what, r->err);
}

static int exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static void assert_same_file(const char *a, const char *b)
{
	long na = 0, nb = 0;
	char *ta = cli_slurp(a, &na), *tb = cli_slurp(b, &nb);

	cr_assert_not_null(ta, "cannot read %s", a);
	cr_assert_not_null(tb, "cannot read %s", b);
	cr_assert(na == nb && memcmp(ta, tb, (size_t)na) == 0,
		  "%s and %s differ", a, b);
	free(ta);
	free(tb);
}

/* runs.csv, summary.csv and sweep.json of dir a and dir b are the same. */
static void assert_same_sweep(const char *a, const char *b)
{
	static const char *const files[] = { "runs.csv", "summary.csv",
					     "sweep.json" };
	char pa[1300], pb[1300];
	size_t i;

	for (i = 0; i < 3; i++) {
		snprintf(pa, sizeof(pa), "%s/%s", a, files[i]);
		snprintf(pb, sizeof(pb), "%s/%s", b, files[i]);
		assert_same_file(pa, pb);
	}
}

static cJSON *read_json(const char *path)
{
	char *text = cli_slurp(path, NULL);
	cJSON *j;

	cr_assert_not_null(text, "cannot read %s", path);
	j = cJSON_Parse(text);
	cr_assert_not_null(j, "%s is not JSON", path);
	free(text);
	return j;
}

static cJSON *sweep_json(const char *dir)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/sweep.json", dir);
	return read_json(path);
}

static int count_lines(const char *path)
{
	char *t = cli_slurp(path, NULL), *c;
	int n = 0;

	if (!t)
		return -1;
	for (c = t; *c; c++)
		n += *c == '\n';
	free(t);
	return n;
}

/* ------------------------------------------------------------ CSV */

/* A CSV file (RFC 4180 quoting), written here rather than borrowed from
 * sim/ so that the program's writer and reader are not checked against
 * themselves. */
struct csv {
	int n_rows, n_cols;        /* rows without the header */
	char **head;               /* n_cols names */
	char ***row;               /* n_rows x n_cols fields */
};

static int csv_line(const char **p, char ***out)
{
	char **f = NULL, *field;
	int n = 0;
	size_t len, cap;

	for (;;) {
		cap = 64;
		len = 0;
		field = malloc(cap);
		if (**p == '"') {
			for ((*p)++; **p; (*p)++) {
				if (**p == '"' && (*p)[1] == '"')
					(*p)++;
				else if (**p == '"')
					break;
				if (len + 2 > cap)
					field = realloc(field, cap *= 2);
				field[len++] = **p;
			}
			if (**p == '"')
				(*p)++;
		} else {
			for (; **p && **p != ',' && **p != '\n'; (*p)++) {
				if (len + 2 > cap)
					field = realloc(field, cap *= 2);
				field[len++] = **p;
			}
		}
		field[len] = '\0';
		f = realloc(f, (size_t)(n + 1) * sizeof(*f));
		f[n++] = field;
		if (**p != ',')
			break;
		(*p)++;
	}
	if (**p == '\n')
		(*p)++;
	*out = f;
	return n;
}

static struct csv *csv_read(const char *path)
{
	char *text = cli_slurp(path, NULL);
	const char *p = text;
	struct csv *c = calloc(1, sizeof(*c));
	char **f;

	cr_assert_not_null(text, "cannot read %s", path);
	c->n_cols = csv_line(&p, &c->head);
	while (*p) {
		int n = csv_line(&p, &f);

		cr_assert_eq(n, c->n_cols, "%s: row %d has %d fields, the "
			     "header %d", path, c->n_rows + 1, n, c->n_cols);
		c->row = realloc(c->row, (size_t)(c->n_rows + 1) *
					 sizeof(*c->row));
		c->row[c->n_rows++] = f;
	}
	free(text);
	return c;
}

static struct csv *csv_in(const char *dir, const char *name)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return csv_read(path);
}

static void csv_free(struct csv *c)
{
	int i, j;

	for (j = 0; j < c->n_cols; j++)
		free(c->head[j]);
	for (i = 0; i < c->n_rows; i++) {
		for (j = 0; j < c->n_cols; j++)
			free(c->row[i][j]);
		free(c->row[i]);
	}
	free(c->head);
	free(c->row);
	free(c);
}

/* The last column named name (metrics come after the vary columns, which
 * may carry the same name). */
static int col(const struct csv *c, const char *name)
{
	int j;

	for (j = c->n_cols - 1; j >= 0; j--)
		if (strcmp(c->head[j], name) == 0)
			return j;
	cr_assert_fail("no column %s", name);
	return -1;
}

static double num(const struct csv *c, int row, const char *name)
{
	const char *f = c->row[row][col(c, name)];

	return f[0] ? strtod(f, NULL) : (double)NAN;
}

static const char *field(const struct csv *c, int row, const char *name)
{
	return c->row[row][col(c, name)];
}

/* ------------------------------------------------------------ expansion */

/* 3 x 2 grid, 4 replications: point p = 2 i + j (the last path varies
 * fastest), run p * 4 + r; point 0 (maxSurge 0, maxUnavailable 0) is
 * invalid: listed in sweep.json with its error, reported on stderr, no
 * rows, and the sweep still succeeds. */
Test(sweep, grid_expansion_rows_and_invalid_points)
{
	static const struct {
		const char *surge, *unavail;
		int max_surge, max_unavail;   /* resolved for 10 replicas */
	} pts[6] = {
		{ "0", "0", 0, 0 }, { "0", "2", 0, 2 }, { "1", "0", 1, 0 },
		{ "1", "2", 1, 2 }, { "50%", "0", 5, 0 }, { "50%", "2", 5, 2 },
	};
	static const char *const head[] = {
		"run", "point", "variant",
		"deployment.strategy.rollingUpdate.maxSurge",
		"deployment.strategy.rollingUpdate.maxUnavailable",
		"replication", "seed",
	};
	const char *f = scenario("grid.json", GRID_SWEEP(4));
	const char *out = in_tmp("out");
	struct cli_result r;
	struct csv *runs, *sum;
	cJSON *js, *plan, *points;
	int i, n_metrics;
	char want[32];

	rs(&r, "sweep %s --out %s --jobs 2 --quiet", f, out);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.err, "point 0 skipped: ") != NULL, "%s", r.err);
	cr_assert(strstr(r.err, "deployment.strategy.rollingUpdate."
			 "maxUnavailable: may not be 0 when maxSurge is 0"),
		  "%s", r.err);
	cr_assert_null(strstr(r.err, "point 1 skipped"), "%s", r.err);
	cli_result_free(&r);

	runs = csv_in(out, "runs.csv");
	for (i = 0; i < 7; i++)
		cr_assert_str_eq(runs->head[i], head[i]);
	n_metrics = runs->n_cols - 7;
	cr_assert_gt(n_metrics, 20);
	cr_assert_eq(runs->n_rows, 20);
	for (i = 0; i < 20; i++) {
		int p = 1 + i / 4, rep = i % 4;

		snprintf(want, sizeof(want), "%d", p * 4 + rep);
		cr_assert_str_eq(runs->row[i][0], want, "row %d", i);
		snprintf(want, sizeof(want), "%d", p);
		cr_assert_str_eq(runs->row[i][1], want, "row %d", i);
		cr_assert_str_eq(runs->row[i][2], "", "row %d", i);
		cr_assert_str_eq(runs->row[i][3], pts[p].surge, "row %d", i);
		cr_assert_str_eq(runs->row[i][4], pts[p].unavail, "row %d", i);
		snprintf(want, sizeof(want), "%d", rep);
		cr_assert_str_eq(runs->row[i][5], want, "row %d", i);
		cr_assert_str_eq(runs->row[i][6], "11", "row %d", i);
		/* the point's values reached the simulation */
		cr_assert_eq(num(runs, i, "deployment.max_surge"),
			     pts[p].max_surge, "row %d", i);
		cr_assert_eq(num(runs, i, "deployment.max_unavailable"),
			     pts[p].max_unavail, "row %d", i);
		cr_assert_eq(num(runs, i, "deployment.replicas"), 10);
		cr_assert_eq(num(runs, i, "rollout.complete"), 1, "row %d", i);
		cr_assert_gt(num(runs, i, "rollout.duration_s"), 0, "row %d",
			     i);
	}

	sum = csv_in(out, "summary.csv");
	cr_assert_str_eq(sum->head[0], "point");
	cr_assert_str_eq(sum->head[3], "deployment.strategy.rollingUpdate."
			 "maxUnavailable");
	cr_assert_str_eq(sum->head[4], "metric");
	cr_assert_eq(sum->n_rows, 5 * n_metrics, "one line per valid point "
		     "and metric");
	for (i = 0; i < sum->n_rows; i++) {
		cr_assert_str_neq(sum->row[i][0], "0", "invalid point summed");
		if (strcmp(sum->row[i][4], "rollout.duration_s") == 0)
			cr_assert_str_eq(field(sum, i, "n"), "4");
	}

	js = sweep_json(out);
	plan = cJSON_GetObjectItem(js, "plan");
	points = cJSON_GetObjectItem(plan, "points");
	cr_assert_eq(cJSON_GetArraySize(points), 6);
	for (i = 0; i < 6; i++) {
		cJSON *pt = cJSON_GetArrayItem(points, i);
		cJSON *err = cJSON_GetObjectItem(pt, "error");

		cr_assert_eq(cJSON_GetNumberValue(cJSON_GetObjectItem(pt,
				"point")), i);
		cr_assert_eq(cJSON_IsTrue(cJSON_GetObjectItem(pt, "valid")),
			     i != 0, "point %d", i);
		if (i == 0)
			cr_assert(cJSON_IsString(err) && strstr(err->valuestring,
				  "may not be 0 when maxSurge is 0"));
		else
			cr_assert_null(err, "point %d has an error", i);
	}
	cr_assert_eq(cli_json_number(plan, "runs"), 20);
	cr_assert_eq(cli_json_number(plan, "total_runs"), 24);
	cr_assert_eq(cli_json_number(plan, "baseline"), 1,
		     "the default baseline is the first valid point");
	cr_assert_eq(cli_json_number(plan, "replications"), 4);
	cr_assert_eq(cli_json_number(js, "runs_done"), 20);
	cr_assert_eq(cli_json_bool(js, "complete"), 1);
	cr_assert(cJSON_IsNull(cJSON_GetObjectItem(js, "shard")));
	cJSON_Delete(js);
	csv_free(runs);
	csv_free(sum);
}

/* Variants are the outer loop, the vary grid the inner one; a variant is
 * merged over the base (null deletes: no traffic); the baseline is named
 * by variant, by vary values or by index. */
Test(sweep, variants_times_vary_and_baselines)
{
	static const char sw[] =
		"{ \"replications\": 2,"
		"  \"variants\": [ { \"name\": \"fast\" },"
		"    { \"name\": \"no-traffic\", \"traffic\": null,"
		"      \"deployment\": { \"minReadySeconds\": 3 } } ],"
		"  \"vary\": { \"deployment.replicas\": [4, 6] },"
		"  \"baseline\": \"no-traffic\" }";
	static const struct {
		const char *variant, *replicas;
	} pts[4] = { { "fast", "4" }, { "fast", "6" }, { "no-traffic", "4" },
		     { "no-traffic", "6" } };
	static const struct {
		const char *set;
		int baseline;
	} bases[] = {
		{ "'sweep.baseline={\"deployment.replicas\":6}'", 1 },
		{ "sweep.baseline=3", 3 },
		{ "sweep.baseline=fast", 0 },
	};
	const char *f = scenario("variants.json", sw);
	const char *out = in_tmp("out");
	struct csv *runs, *sum;
	struct cli_result r;
	cJSON *js;
	size_t b;
	int i;

	run_ok("sweep %s --out %s --quiet", f, out);
	runs = csv_in(out, "runs.csv");
	cr_assert_str_eq(runs->head[3], "deployment.replicas");
	cr_assert_str_eq(runs->head[4], "replication");
	cr_assert_eq(runs->n_rows, 8);
	for (i = 0; i < 8; i++) {
		int p = i / 2;
		char want[16];

		snprintf(want, sizeof(want), "%d", p);
		cr_assert_str_eq(runs->row[i][1], want);
		cr_assert_str_eq(runs->row[i][2], pts[p].variant, "row %d", i);
		cr_assert_str_eq(runs->row[i][3], pts[p].replicas, "row %d", i);
		cr_assert_eq(num(runs, i, "deployment.replicas"),
			     atoi(pts[p].replicas), "row %d", i);
		if (p < 2)
			cr_assert_gt(num(runs, i, "requests.total"), 100,
				     "row %d", i);
		else
			cr_assert_eq(num(runs, i, "requests.total"), 0,
				     "row %d: traffic: null did not delete",
				     i);
	}
	js = sweep_json(out);
	cr_assert_eq(cli_json_number(cJSON_GetObjectItem(js, "plan"),
				     "baseline"), 2);
	cJSON_Delete(js);
	sum = csv_in(out, "summary.csv");
	for (i = 0; i < sum->n_rows; i++) {
		if (strcmp(field(sum, i, "metric"), "pods.pod_seconds") != 0)
			continue;
		cr_assert_str_eq(field(sum, i, "diff_n"), "2");
		if (strcmp(sum->row[i][0], "2") == 0)
			cr_assert_str_eq(field(sum, i, "diff_mean"), "0");
		else
			cr_assert_str_neq(field(sum, i, "diff_mean"), "0");
	}
	csv_free(sum);
	csv_free(runs);

	for (b = 0; b < sizeof(bases) / sizeof(*bases); b++) {
		char dir[40];

		snprintf(dir, sizeof(dir), "b%zu", b);
		run_ok("sweep %s --out %s --quiet --replications 1 --set %s", f,
		       in_tmp(dir), bases[b].set);
		js = sweep_json(in_tmp(dir));
		cr_assert_eq(cli_json_number(cJSON_GetObjectItem(js, "plan"),
					     "baseline"), bases[b].baseline,
			     "%s", bases[b].set);
		cJSON_Delete(js);
	}
	rs(&r, "sweep %s --out %s --quiet --set sweep.baseline=nosuch", f,
	   in_tmp("bad"));
	assert_input_error(&r, "baseline nosuch", "sweep.baseline");
	cli_result_free(&r);
	rs(&r, "sweep %s --out %s --quiet --set sweep.baseline=9", f,
	   in_tmp("bad"));
	assert_input_error(&r, "baseline 9", "sweep.baseline");
	cli_result_free(&r);
}

/* ------------------------------------------------------------ CRN */

static const char *const pod_columns[] = {
	"rollout.completed_s", "rollout.duration_s", "pods.max_total",
	"pods.max_non_terminating", "pods.min_available", "pods.pod_seconds",
	"pods.created", "availability.time_full",
	"availability.time_below_min",
};

/* Replication r uses the streams of (seed, r, name) at every point: two
 * points that differ only in the traffic rate see the same pod timings
 * (the traffic stream is another stream), replications differ. */
Test(sweep, crn_same_replication_same_pod_timings)
{
	const char *f = scenario("crn.json", "{ \"replications\": 5, \"vary\":"
				 " { \"traffic.rate\": [10, 40] } }");
	const char *out = in_tmp("out");
	struct csv *runs;
	size_t k;
	int rep, distinct = 0, j;

	run_ok("sweep %s --out %s --quiet", f, out);
	runs = csv_in(out, "runs.csv");
	cr_assert_eq(runs->n_rows, 10);
	for (rep = 0; rep < 5; rep++) {
		for (k = 0; k < sizeof(pod_columns) / sizeof(*pod_columns); k++)
			cr_assert_str_eq(field(runs, rep, pod_columns[k]),
					 field(runs, 5 + rep, pod_columns[k]),
					 "replication %d, %s", rep,
					 pod_columns[k]);
		cr_assert_gt(num(runs, 5 + rep, "requests.total"),
			     2 * num(runs, rep, "requests.total"),
			     "replication %d: the rate did not change", rep);
	}
	for (rep = 0; rep < 5; rep++) {
		for (j = 0; j < rep; j++)
			if (num(runs, j, "rollout.duration_s") ==
			    num(runs, rep, "rollout.duration_s"))
				break;
		distinct += j == rep;
	}
	cr_assert_geq(distinct, 4, "replications share their streams");
	csv_free(runs);
}

/* The same through single runs: the pod timeline does not move with the
 * traffic rate; `rollsim run` is replication 0 of the sweep. */
Test(sweep, crn_run_timelines_and_replication_0)
{
	const char *f = scenario("crn.json", "{ \"replications\": 2, \"vary\":"
				 " { \"traffic.rate\": [10, 40] } }");
	const char *out = in_tmp("out");
	char a[1300], b[1300];
	struct cli_result r;
	struct csv *runs;
	cJSON *j;

	run_ok("run %s --set traffic.rate=10 --out %s", f, in_tmp("r10"));
	run_ok("run %s --set traffic.rate=40 --out %s", f, in_tmp("r40"));
	snprintf(a, sizeof(a), "%s/timeline.csv", in_tmp("r10"));
	snprintf(b, sizeof(b), "%s/timeline.csv", in_tmp("r40"));
	assert_same_file(a, b);

	run_ok("sweep %s --out %s --quiet", f, out);
	runs = csv_in(out, "runs.csv");
	rs(&r, "run %s --set traffic.rate=40 --json", f);
	cr_assert_eq(r.status, 0, "%s", r.err);
	j = cJSON_Parse(r.out);
	cr_assert_not_null(j);
	cr_assert_str_eq(runs->row[2][1], "1");          /* point 1, rep 0 */
	cr_assert_str_eq(runs->row[2][4], "0");
	cr_assert_float_eq(cli_json_number(j, "rollout.duration_s"),
			   num(runs, 2, "rollout.duration_s"), 1e-9);
	cr_assert_eq(cli_json_number(j, "requests.total"),
		     num(runs, 2, "requests.total"));
	cr_assert_eq(cli_json_number(j, "requests.failed"),
		     num(runs, 2, "requests.failed"));
	cJSON_Delete(j);
	cli_result_free(&r);
	csv_free(runs);
}

/* seed is a scenario key, so a variant can change it: equal variants give
 * equal rows, a variant with another seed gets other random numbers. */
Test(sweep, crn_variant_with_another_seed_differs)
{
	const char *f = scenario("seeds.json",
		"{ \"replications\": 4, \"variants\": [ { \"name\": \"a\" },"
		"  { \"name\": \"b\" }, { \"name\": \"c\", \"seed\": 12 } ] }");
	const char *out = in_tmp("out");
	struct csv *runs;
	int rep, c, same_c = 0;

	run_ok("sweep %s --out %s --quiet", f, out);
	runs = csv_in(out, "runs.csv");
	cr_assert_eq(runs->n_rows, 12);
	for (rep = 0; rep < 4; rep++) {
		cr_assert_str_eq(field(runs, 8 + rep, "seed"), "12");
		for (c = col(runs, "seed") + 1; c < runs->n_cols; c++)
			cr_assert_str_eq(runs->row[rep][c],
					 runs->row[4 + rep][c],
					 "replication %d, %s", rep,
					 runs->head[c]);
		same_c += strcmp(field(runs, rep, "rollout.duration_s"),
				 field(runs, 8 + rep,
				       "rollout.duration_s")) == 0;
	}
	cr_assert_eq(same_c, 0, "seed 12 gave the same durations");
	csv_free(runs);
}

/* ------------------------------------------------------------ determinism */

Test(sweep, byte_identical_jobs_and_shards)
{
	const char *f = scenario("grid.json", GRID_SWEEP(5));
	char ref[1300], dir[1300], sh[3][1300];
	int jobs[] = { 2, 4 }, k;
	size_t i;

	snprintf(ref, sizeof(ref), "%s", in_tmp("j1"));
	run_ok("sweep %s --out %s --jobs 1 --quiet", f, ref);
	for (i = 0; i < 2; i++) {
		snprintf(dir, sizeof(dir), "%s/j%d", tmp, jobs[i]);
		run_ok("sweep %s --out %s --jobs %d --quiet", f, dir, jobs[i]);
		assert_same_sweep(ref, dir);
	}
	for (k = 1; k <= 3; k++) {
		struct csv *runs;
		cJSON *js;
		int row;

		snprintf(sh[k - 1], sizeof(sh[0]), "%s/shard-%d", tmp, k);
		run_ok("sweep %s --shard %d/3 --out %s --jobs %d --quiet", f, k,
		       sh[k - 1], k);
		runs = csv_in(sh[k - 1], "runs.csv");
		cr_assert_gt(runs->n_rows, 5);
		for (row = 0; row < runs->n_rows; row++)
			cr_assert_eq(atoi(runs->row[row][0]) % 3, k - 1,
				     "shard %d has run %s", k,
				     runs->row[row][0]);
		js = sweep_json(sh[k - 1]);
		cr_assert_eq(cli_json_number(js, "shard.k"), k);
		cr_assert_eq(cli_json_number(js, "shard.n"), 3);
		cr_assert_eq(cli_json_number(js, "runs_done"), runs->n_rows);
		cr_assert_eq(cli_json_bool(js, "complete"), 1);
		cJSON_Delete(js);
		csv_free(runs);
	}
	snprintf(dir, sizeof(dir), "%s/merged", tmp);
	run_ok("merge %s %s %s --out %s", sh[2], sh[0], sh[1], dir);
	assert_same_sweep(ref, dir);
}

/* ------------------------------------------------------------ merge */

Test(sweep, merge_refuses_mismatched_incomplete_and_duplicate_shards)
{
	const char *f = scenario("grid.json", GRID_SWEEP(3));
	char sh[3][1300], other[1300];
	const char *out = in_tmp("merged");
	struct cli_result r;
	int k;

	for (k = 1; k <= 3; k++) {
		snprintf(sh[k - 1], sizeof(sh[0]), "%s/shard-%d", tmp, k);
		run_ok("sweep %s --shard %d/3 --out %s --quiet", f, k,
		       sh[k - 1]);
	}
	snprintf(other, sizeof(other), "%s/other-3", tmp);
	run_ok("sweep %s --shard 3/3 --out %s --quiet --set traffic.rate=30", f,
	       other);

	rs(&r, "merge %s %s %s --out %s", sh[0], sh[1], other, out);
	assert_input_error(&r, "another plan", "belongs to another sweep plan");
	cr_assert(strstr(r.err, "other-3") != NULL, "%s", r.err);
	cli_result_free(&r);
	cr_assert(!exists(out), "merge wrote %s", out);

	rs(&r, "merge %s %s --out %s", sh[0], sh[1], out);
	assert_input_error(&r, "a shard missing", "is missing");
	cli_result_free(&r);
	cr_assert(!exists(out), "merge wrote %s", out);

	rs(&r, "merge %s %s %s %s --out %s", sh[0], sh[1], sh[2], sh[1], out);
	assert_input_error(&r, "a shard twice", "appears twice");
	cli_result_free(&r);

	rs(&r, "merge %s %s %s --out %s", sh[0], sh[1], in_tmp("nosuch"), out);
	assert_input_error(&r, "no such directory", "nosuch/sweep.json");
	cli_result_free(&r);

	rs(&r, "merge %s %s %s", sh[0], sh[1], sh[2]);
	cr_assert_eq(r.status, 2, "merge without --out: %d", r.status);
	cli_result_free(&r);

	run_ok("merge %s %s %s --out %s", sh[0], sh[1], sh[2], out);
}

/* Sets plan.key of dir's sweep.json to the number v. */
static void edit_plan(const char *dir, const char *key, double v)
{
	char path[1300], *text;
	cJSON *js, *plan;

	snprintf(path, sizeof(path), "%s/sweep.json", dir);
	text = cli_slurp(path, NULL);
	cr_assert_not_null(text, "cannot read %s", path);
	js = cJSON_Parse(text);
	free(text);
	plan = cJSON_GetObjectItemCaseSensitive(js, "plan");
	cr_assert_not_null(plan, "%s: no plan", path);
	cJSON_ReplaceItemInObjectCaseSensitive(plan, key, cJSON_CreateNumber(v));
	text = cJSON_Print(js);
	cr_assert_eq(cli_write(path, text), 0);
	free(text);
	cJSON_Delete(js);
}

/* A sweep.json edited into a plan merge cannot index is refused: a
 * baseline that is not one of the 6 points (merge read the baseline's
 * runs out of bounds) or replications beyond the 1000000 a sweep takes
 * (1e10 was cast to int, undefined). Found by the sweepjson fuzzer. */
Test(sweep, merge_refuses_a_plan_it_cannot_index)
{
	static const struct {
		const char *key;
		double v;
		const char *why;
	} edits[] = {
		{ "baseline", 99, "plan.baseline: expected a point number" },
		{ "baseline", -1, "plan.baseline: expected a point number" },
		{ "baseline", 1.5, "plan.baseline: expected a point number" },
		{ "replications", 1e10, "plan.replications: expected an integer" },
		{ "replications", 0, "plan.replications: expected an integer" },
	};
	const char *f = scenario("grid.json", GRID_SWEEP(2));
	const char *sh = in_tmp("shard"), *out = in_tmp("merged");
	struct cli_result r;
	size_t i;

	for (i = 0; i < sizeof(edits) / sizeof(*edits); i++) {
		run_ok("sweep %s --out %s --quiet", f, sh);
		edit_plan(sh, edits[i].key, edits[i].v);
		rs(&r, "merge %s --out %s", sh, out);
		assert_input_error(&r, edits[i].key, edits[i].why);
		cli_result_free(&r);
		cr_assert(!exists(out), "%s %g: merge wrote %s", edits[i].key,
			  edits[i].v, out);
	}
}

/* A shard of a scenario edited after the other shards ran (same path,
 * other content) is not merged with them: the plan check looks at the
 * scenario's content, not only its file name. */
Test(sweep, merge_refuses_shard_of_an_edited_scenario)
{
	const char *f = scenario("grid.json", GRID_SWEEP(2));
	struct cli_result r;
	int k;

	for (k = 1; k <= 2; k++)
		run_ok("sweep %s --shard %d/3 --out %s/s%d --quiet", f, k, tmp,
		       k);
	{
		char cmd[3000];

		snprintf(cmd, sizeof(cmd), "sed -i 's/\"rate\": 20/\"rate\": "
			 "99/' '%s'", f);
		cr_assert_eq(system(cmd), 0);
	}
	run_ok("sweep %s --shard 3/3 --out %s/s3 --quiet", f, tmp);
	rs(&r, "merge %s/s1 %s/s2 %s/s3 --out %s/m", tmp, tmp, tmp, tmp);
	cr_expect_eq(r.status, 2, "shards of two scenarios merged");
	cli_result_free(&r);
}

/* ------------------------------------------------------------ resume */

/* 3 points x 20 replications: more runs than any test lets finish
 * before it interrupts the sweep. */
#define PLAN_SETS \
	"--set 'sweep.vary={\"deployment.strategy.rollingUpdate.maxSurge\":" \
	"[1,2,3]}' --replications 20"

/* Starts `rollsim sweep f --out out --jobs 1 --quiet PLAN_SETS extra` in
 * the background, stderr to err_path, with the test hook of
 * sim/sweep/sweep_exec.c: the sweep raises sig on itself as soon as it
 * has recorded its n-th run (in .runs.part), so it is interrupted after
 * exactly n runs, whatever the machine's speed. */
static pid_t start_sweep(const char *f, const char *out, const char *extra,
			 const char *err_path, int n, int sig)
{
	char cmd[3000];
	pid_t pid;

	snprintf(cmd, sizeof(cmd), "ROLLSIM_TEST_SIGNAL_AFTER=%d:%d exec '%s' "
		 "sweep '%s' --out '%s' --jobs 1 --quiet " PLAN_SETS
		 " %s 2>'%s' >/dev/null", n, sig, bin, f, out, extra,
		 err_path);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* Runs a sweep that interrupts itself with sig after its n-th run
 * (extra: more options); returns its exit status (-1 when killed by a
 * signal). stderr goes to err_path. */
static int interrupt_sweep(const char *f, const char *out, int sig, int n,
			   const char *err_path, const char *extra)
{
	pid_t pid = start_sweep(f, out, extra, err_path, n, sig);
	int st;

	cr_assert_eq(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

Test(sweep, sigint_keeps_finished_runs_and_resume_completes)
{
	const char *f = scenario("plan.json", GRID_SWEEP(1));
	const char *ref = in_tmp("ref"), *out = in_tmp("out");
	char path[1300], *err;
	struct cli_result r;
	int rc, rows;
	cJSON *js;

	run_ok("sweep %s --out %s --jobs 2 --quiet " PLAN_SETS, f, ref);
	rc = interrupt_sweep(f, out, SIGINT, 3, in_tmp("stderr"), "");
	err = cli_slurp(in_tmp("stderr"), NULL);
	cr_assert_eq(rc, 3, "exit %d after SIGINT: %s", rc, err);
	cr_assert(strstr(err, "interrupted after 3 of 60 runs") &&
		  strstr(err, "--resume"), "%s", err);
	free(err);

	snprintf(path, sizeof(path), "%s/runs.csv", out);
	rows = count_lines(path) - 1;
	cr_assert_eq(rows, 3, "%d rows kept", rows);
	js = sweep_json(out);
	cr_assert_eq(cli_json_bool(js, "complete"), 0);
	cr_assert_eq(cli_json_number(js, "runs_done"), rows);
	cJSON_Delete(js);

	/* --resume of another plan into this directory */
	rs(&r, "sweep %s --out %s --quiet --resume " PLAN_SETS
	   " --set traffic.rate=501", f, out);
	assert_input_error(&r, "resume of another plan",
			   "belongs to another sweep plan");
	cli_result_free(&r);

	run_ok("sweep %s --out %s --jobs 2 --quiet --resume " PLAN_SETS, f,
	       out);
	assert_same_sweep(ref, out);
	snprintf(path, sizeof(path), "%s/.runs.part", out);
	cr_assert(!exists(path), ".runs.part left behind");

	/* resuming a finished sweep runs nothing and changes nothing */
	run_ok("sweep %s --out %s --jobs 2 --quiet --resume " PLAN_SETS, f,
	       out);
	assert_same_sweep(ref, out);
}

/* A killed sweep (no handler runs) keeps its finished runs in .runs.part
 * (the 4 it recorded); --resume takes them. */
Test(sweep, sigkill_part_file_and_resume)
{
	const char *f = scenario("plan.json", GRID_SWEEP(1));
	const char *ref = in_tmp("ref"), *out = in_tmp("out");
	char path[1300];

	run_ok("sweep %s --out %s --jobs 2 --quiet " PLAN_SETS, f, ref);
	cr_assert_eq(interrupt_sweep(f, out, SIGKILL, 4, in_tmp("stderr"), ""),
		     -1);
	snprintf(path, sizeof(path), "%s/.runs.part", out);
	cr_assert_eq(count_lines(path), 4);
	run_ok("sweep %s --out %s --jobs 2 --quiet --resume " PLAN_SETS, f,
	       out);
	assert_same_sweep(ref, out);
}

/* A row with columns missing (a damaged part file) must not be taken as
 * a finished run: its missing metrics would drop out of summary.csv. */
Test(sweep, resume_rejects_a_truncated_part_row)
{
	const char *f = scenario("grid.json", GRID_SWEEP(2));
	const char *ref = in_tmp("ref"), *out = in_tmp("out");
	char cmd[3000];

	run_ok("sweep %s --out %s --quiet", f, ref);
	run_ok("sweep %s --out %s --quiet", f, out);
	/* the header-only files of a sweep that was killed at once, and a
	 * part file with one whole and one cut row */
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && grep -v '^run,' runs.csv | head -2 > .runs.part"
		 " && head -1 runs.csv > r && mv r runs.csv"
		 " && sed -i '2s/,[^,]*,[^,]*$//' .runs.part", out);
	cr_assert_eq(system(cmd), 0);
	run_ok("sweep %s --out %s --quiet --resume", f, out);
	assert_same_sweep(ref, out);
}

/* The lines of a file without their newlines (n of them); free with
 * free_lines. */
static char **lines_of(const char *path, int *n)
{
	char *text = cli_slurp(path, NULL), *c, *nl, **v = NULL;

	cr_assert_not_null(text, "cannot read %s", path);
	*n = 0;
	for (c = text; *c; c = nl + 1) {
		nl = strchr(c, '\n');
		cr_assert_not_null(nl, "%s: last line without a newline", path);
		v = realloc(v, (size_t)(*n + 1) * sizeof(*v));
		v[(*n)++] = strndup(c, (size_t)(nl - c));
	}
	free(text);
	return v;
}

static void free_lines(char **v, int n)
{
	while (n-- > 0)
		free(v[n]);
	free(v);
}

/* A sweep killed as it started: ref's sweep.json (the same plan), a
 * runs.csv with its header only, and .runs.part holding text. */
static void killed_sweep_dir(const char *ref, const char *out,
			     const char *part_text)
{
	char cmd[3000], path[1300];

	snprintf(cmd, sizeof(cmd), "mkdir -p '%s' && cp '%s/sweep.json' '%s/' "
		 "&& head -1 '%s/runs.csv' > '%s/runs.csv'", out, ref, out, ref,
		 out);
	cr_assert_eq(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/.runs.part", out);
	cr_assert_eq(cli_write(path, part_text), 0);
}

/* A kill in the middle of appending a row leaves its first bytes without
 * a newline. Here the part holds runs 0-2 and then "5", the start of a
 * row of run 5x. If the resume appended run 3 right after it, the line
 * would read "53,0,,1,3,...": run 3's numbers under run 53's number
 * (both exist: 3 points x 20 replications). The resume must cut the "5"
 * off (line 4, with a notice) before appending; it is interrupted after
 * two more rows and resumed again, and the result must be the
 * uninterrupted sweep's, byte for byte. */
Test(sweep, resume_cuts_a_torn_part_line_before_appending)
{
	const char *f = scenario("plan.json", GRID_SWEEP(1));
	const char *ref = in_tmp("ref"), *out = in_tmp("out");
	char part[8192] = "", path[1300], *err;
	char **lines;
	int n, i, rc;

	run_ok("sweep %s --out %s --jobs 2 --quiet " PLAN_SETS, f, ref);
	snprintf(path, sizeof(path), "%s/runs.csv", ref);
	lines = lines_of(path, &n);
	cr_assert_gt(n, 4);
	for (i = 1; i <= 3; i++) {
		cr_assert_eq(atoi(lines[i]), i - 1);
		strcat(part, lines[i]);
		strcat(part, "\n");
	}
	strcat(part, "5");
	free_lines(lines, n);
	killed_sweep_dir(ref, out, part);

	rc = interrupt_sweep(f, out, SIGINT, 2, in_tmp("stderr"), "--resume");
	err = cli_slurp(in_tmp("stderr"), NULL);
	cr_assert_eq(rc, 3, "exit %d after SIGINT: %s", rc, err);
	run_ok("sweep %s --out %s --jobs 2 --quiet --resume " PLAN_SETS, f,
	       out);
	assert_same_sweep(ref, out);
	cr_assert(strstr(err, ".runs.part:4: row discarded (cut short") != NULL,
		  "no notice of the cut row: %s", err);
	free(err);
}

/* Rows of the part file that are not what their run would have written
 * are discarded (one notice each, naming file and line) and their runs
 * done again: a row of run 4 relabelled as run 5 (its point and
 * replication columns are still run 4's), a row whose last metric
 * (events.total) is not a number, and one whose pods.max_total (never
 * null in summary.json) is empty. The real row of run 5 comes later in
 * the part and must be the one kept. */
Test(sweep, resume_discards_rows_that_are_not_their_runs)
{
	const char *f = scenario("grid.json", GRID_SWEEP(2));
	const char *ref = in_tmp("ref"), *out = in_tmp("out");
	char part[65536] = "", path[1300], row[4096], *c;
	struct cli_result r;
	struct csv *runs;
	char **lines;
	int n, i, k, max_total;

	run_ok("sweep %s --out %s --quiet", f, ref);
	runs = csv_in(ref, "runs.csv");
	max_total = col(runs, "pods.max_total");
	csv_free(runs);
	snprintf(path, sizeof(path), "%s/runs.csv", ref);
	lines = lines_of(path, &n);
	/* lines[1..]: runs 2, 3, ... (point 0 is invalid) */
	cr_assert_eq(atoi(lines[1]), 2);
	for (i = 1; i < n; i++) {
		snprintf(row, sizeof(row), "%s", lines[i]);
		if (atoi(row) == 4) {            /* part line 3 */
			snprintf(row, sizeof(row), "5%s", lines[i] + 1);
			strcat(part, row);
			strcat(part, "\n");
			continue;
		}
		if (atoi(row) == 7) {            /* events.total: "x" */
			c = strrchr(row, ',');
			strcpy(c + 1, "12x");
		}
		if (atoi(row) == 9) {            /* pods.max_total: "" */
			for (c = row, k = 0; k < max_total; k++)
				c = strchr(c, ',') + 1;
			memmove(c, strchr(c, ','), strlen(strchr(c, ',')) + 1);
		}
		strcat(part, row);
		strcat(part, "\n");
	}
	free_lines(lines, n);
	killed_sweep_dir(ref, out, part);

	rs(&r, "sweep %s --out %s --quiet --resume", f, out);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	assert_same_sweep(ref, out);
	cr_assert(strstr(r.err, ".runs.part:3: row discarded (its point, "
			 "variant, values or replication are not those of run "
			 "5)") != NULL, "%s", r.err);
	cr_assert(strstr(r.err, ".runs.part:6: row discarded (events.total "
			 "is not a number)") != NULL, "%s", r.err);
	cr_assert(strstr(r.err, ".runs.part:8: row discarded (pods.max_total "
			 "is empty)") != NULL, "%s", r.err);
	for (c = r.err, k = 0; (c = strstr(c, "row discarded")); c++)
		k++;
	cr_assert_eq(k, 3, "one notice per discarded row: %s", r.err);
	cli_result_free(&r);
}

/* merge refuses a shard whose runs.csv lost its end (no newline after the
 * last row: a copy or a write cut short; here the newline and the last
 * digit) or holds a row that is not a run of the plan, naming the file
 * and the line; nothing is written. */
Test(sweep, merge_refuses_a_torn_or_damaged_shard)
{
	const char *f = scenario("grid.json", GRID_SWEEP(2));
	const char *out = in_tmp("merged");
	char sh[3][1300], path[1400], want[1500], cmd[3000], *text;
	struct cli_result r;
	long len;
	int k, n;

	for (k = 1; k <= 3; k++) {
		snprintf(sh[k - 1], sizeof(sh[0]), "%s/shard-%d", tmp, k);
		run_ok("sweep %s --shard %d/3 --out %s --quiet", f, k,
		       sh[k - 1]);
	}
	snprintf(path, sizeof(path), "%s/runs.csv", sh[1]);
	n = count_lines(path);
	text = cli_slurp(path, &len);
	free(text);
	cr_assert_eq(truncate(path, (off_t)len - 2), 0);
	rs(&r, "merge %s %s %s --out %s", sh[0], sh[1], sh[2], out);
	snprintf(want, sizeof(want), "%s:%d: the last line ends without a "
		 "newline", path, n);
	assert_input_error(&r, "a torn shard", want);
	cli_result_free(&r);
	cr_assert(!exists(out), "merge wrote %s", out);

	run_ok("sweep %s --shard 2/3 --out %s --quiet", f, sh[1]);
	snprintf(path, sizeof(path), "%s/runs.csv", sh[2]);
	snprintf(cmd, sizeof(cmd), "sed -i '3s/,[0-9]*$/,1e3/' '%s'", path);
	cr_assert_eq(system(cmd), 0);
	rs(&r, "merge %s %s %s --out %s", sh[0], sh[1], sh[2], out);
	snprintf(want, sizeof(want), "%s:3: not a row of this sweep "
		 "(events.total is not a number)", path);
	assert_input_error(&r, "a damaged row", want);
	cli_result_free(&r);
	cr_assert(!exists(out), "merge wrote %s", out);
}

/* A second sweep into a directory where a sweep is running (here stopped
 * by SIGSTOP after 2 runs, holding the directory) is refused (exit 2)
 * without touching the first one's part file: the first, killed
 * afterwards, resumes to the uninterrupted result. */
Test(sweep, a_second_sweep_into_a_busy_directory_is_refused)
{
	const char *f = scenario("plan.json", GRID_SWEEP(1));
	const char *ref = in_tmp("ref"), *out = in_tmp("out");
	struct cli_result r;
	pid_t pid;
	int st;

	run_ok("sweep %s --out %s --jobs 2 --quiet " PLAN_SETS, f, ref);
	pid = start_sweep(f, out, "", in_tmp("stderr"), 2, SIGSTOP);
	cr_assert_eq(waitpid(pid, &st, WUNTRACED), pid);
	cr_assert(WIFSTOPPED(st), "the first sweep did not stop: %#x", st);
	rs(&r, "sweep %s --out %s --quiet " PLAN_SETS " --set seed=99", f,
	   out);
	assert_input_error(&r, "a busy directory", "another rollsim sweep is "
			   "working in this directory");
	cli_result_free(&r);
	kill(pid, SIGKILL);
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	run_ok("sweep %s --out %s --jobs 2 --quiet --resume " PLAN_SETS, f,
	       out);
	assert_same_sweep(ref, out);
}

/* ------------------------------------------------------------ --set */

Test(sweep, set_on_run_and_sweep)
{
	const char *f = scenario("set.json", GRID_SWEEP(2));
	const char *out = in_tmp("out");
	struct cli_result r;
	struct csv *runs;
	cJSON *a, *b, *js;
	int i;

	rs(&r, "run %s --json", f);
	cr_assert_eq(r.status, 0, "%s", r.err);
	a = cJSON_Parse(r.out);
	cli_result_free(&r);
	rs(&r, "run %s --json --set deployment.replicas=3", f);
	cr_assert_eq(r.status, 0, "%s", r.err);
	b = cJSON_Parse(r.out);
	cli_result_free(&r);
	cr_assert_eq(cli_json_number(a, "pods.created"), 20);
	cr_assert_eq(cli_json_number(b, "pods.created"), 6);
	cr_assert_eq(cli_json_number(b, "deployment.replicas"), 3);
	cJSON_Delete(b);

	/* a quoted key: a 20 s pull of the new image, in at least two
	 * waves of new pods, slows the rollout by more than 2 x 20 s */
	rs(&r, "run %s --json --set 'images[\"web:2\"].pull=\"20s\"'", f);
	cr_assert_eq(r.status, 0, "%s", r.err);
	b = cJSON_Parse(r.out);
	cr_assert_gt(cli_json_number(b, "rollout.duration_s"),
		     cli_json_number(a, "rollout.duration_s") + 20);
	cJSON_Delete(a);
	cJSON_Delete(b);
	cli_result_free(&r);

	run_ok("sweep %s --out %s --quiet --set deployment.replicas=3 "
	       "--replications 1", f, out);
	runs = csv_in(out, "runs.csv");
	cr_assert_eq(runs->n_rows, 5);
	for (i = 0; i < runs->n_rows; i++)
		cr_assert_eq(num(runs, i, "deployment.replicas"), 3);
	csv_free(runs);
	js = sweep_json(out);
	cr_assert_eq(cli_json_number(cJSON_GetObjectItem(js, "plan"),
				     "replications"), 1);
	cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetArrayItem(
		cJSON_GetObjectItem(cJSON_GetObjectItem(js, "plan"), "set"),
		0)), "deployment.replicas=3");
	cJSON_Delete(js);

	/* --set reaches the sweep section too */
	run_ok("sweep %s --out %s --quiet --set sweep.replications=3 "
	       "--set 'sweep.vary={\"deployment.replicas\":[2,3]}'", f,
	       in_tmp("o2"));
	runs = csv_in(in_tmp("o2"), "runs.csv");
	cr_assert_eq(runs->n_rows, 6);
	csv_free(runs);
}

Test(sweep, set_errors_exit_2)
{
	static const struct {
		const char *verb, *opts, *want;
	} cases[] = {
		{ "run", "--set 'events[5].at=1s'", "events[5].at" },
		{ "run", "--set deployment..replicas=3", "malformed path" },
		{ "run", "--set deployment.replicas.x=1",
		  "deployment.replicas.x" },
		{ "run", "--set deployment.replicas=-1", "deployment.replicas" },
		{ "run", "--set deployment.replicas", "--set" },
		{ "run", "--set =3", "--set" },
		{ "sweep", "--out /nonexistent/x --set 'events[5].at=1s'",
		  "events[5].at" },
		{ "sweep", "--out /nonexistent/x --set sweep.replications=0",
		  "sweep.replications" },
		{ "validate", "--set deployment..replicas=3", "malformed path" },
	};
	const char *f = scenario("set.json", GRID_SWEEP(2));
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct cli_result r;

		rs(&r, "%s %s %s", cases[i].verb, f, cases[i].opts);
		cr_assert_eq(r.status, 2, "%s F %s: exit %d: %s", cases[i].verb,
			     cases[i].opts, r.status, r.err);
		cr_assert(strstr(r.err, cases[i].want) != NULL,
			  "%s F %s: stderr lacks %s: %s", cases[i].verb,
			  cases[i].opts, cases[i].want, r.err);
		cli_result_free(&r);
	}
}

/* ------------------------------------------------------------ validate */

Test(sweep, validate_good_and_bad_files)
{
	static const struct {
		const char *sweep, *want;
	} bad[] = {
		{ "{ \"replications\": 0 }", "sweep.replications" },
		{ "{ \"replications\": 2.5 }", "sweep.replications" },
		{ "{ \"repetitions\": 3 }", "sweep.repetitions: unknown key" },
		{ "{ \"vary\": { \"deployment.replicas\": 3 } }",
		  "sweep.vary[\"deployment.replicas\"]" },
		{ "{ \"vary\": { \"deployment.replicas\": [] } }",
		  "sweep.vary[\"deployment.replicas\"]" },
		{ "{ \"variants\": [ { \"deployment\": {} } ] }",
		  "sweep.variants[0]" },
		{ "{ \"variants\": [ { \"name\": \"a\" }, { \"name\": \"a\" } ] }",
		  "duplicate variant name" },
		{ "[1]", "sweep: expected an object" },
	};
	const char *good = scenario("good.json", GRID_SWEEP(4));
	struct cli_result r;
	char name[32], *bad_replicas;
	size_t i;

	rs(&r, "validate %s scenarios/flask-app.json", good);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "good.json: ok (5 of 6 sweep points valid, "
			 "20 runs)"), "%s", r.out);
	cr_assert(strstr(r.out, "scenarios/flask-app.json: ok\n"), "%s", r.out);
	cr_assert(strstr(r.err, "point 0 skipped"), "%s", r.err);
	cli_result_free(&r);

	bad_replicas = strdup(scenario("bad.json", NULL));
	{
		char cmd[3000];

		snprintf(cmd, sizeof(cmd), "sed -i 's/\"replicas\": 10/"
			 "\"replicas\": \"ten\"/' '%s'", bad_replicas);
		cr_assert_eq(system(cmd), 0);
	}
	rs(&r, "validate %s", bad_replicas);
	assert_input_error(&r, "bad replicas",
			   "bad.json: deployment.replicas: expected");
	cli_result_free(&r);
	rs(&r, "validate %s %s", good, bad_replicas);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.out, "good.json: ok"), "%s", r.out);
	cli_result_free(&r);
	free(bad_replicas);

	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		const char *f;

		snprintf(name, sizeof(name), "bad%zu.json", i);
		f = scenario(name, bad[i].sweep);
		rs(&r, "validate %s", f);
		assert_input_error(&r, bad[i].sweep, bad[i].want);
		cli_result_free(&r);
	}
}

/* Unknown keys are errors, never silently ignored (docs/scenario.md); a
 * sweep with nothing to run is bad input: validate exits 2 for a baseline
 * whose key is not a vary path (a typo), a baseline of another type
 * (true), and a sweep whose points are all invalid. */
Test(sweep, validate_rejects_bad_baseline_and_empty_sweep)
{
	static const char *const sweeps[] = {
		"{ \"vary\": { \"deployment.replicas\": [2, 3] },"
		"  \"baseline\": { \"deployment.replica\": 3 } }",
		"{ \"vary\": { \"deployment.replicas\": [2, 3] },"
		"  \"baseline\": true }",
		"{ \"vary\": { \"deployment.strategy.rollingUpdate.maxSurge\":"
		"  [0, \"0%\"], \"deployment.strategy.rollingUpdate."
		"maxUnavailable\": [0] } }",
	};
	struct cli_result r;
	char name[32];
	size_t i;

	for (i = 0; i < sizeof(sweeps) / sizeof(*sweeps); i++) {
		snprintf(name, sizeof(name), "b%zu.json", i);
		rs(&r, "validate %s", scenario(name, sweeps[i]));
		cr_expect_eq(r.status, 2, "%s: exit %d", sweeps[i], r.status);
		cli_result_free(&r);
	}
}

/* A grid of 2^32 points (32 vary paths of 2 values) is refused before
 * any point is made: the product overflowed int32_t (undefined; found
 * by the scenario fuzzer) and the points were written past their
 * array. */
Test(sweep, validate_refuses_more_runs_than_int32)
{
	char text[2048];
	const char *f;
	struct cli_result r;
	size_t n;
	int i;

	n = (size_t)snprintf(text, sizeof(text), "{ \"vary\": {");
	for (i = 0; i < 32; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "%s \"k%d\": [1, 2]", i ? "," : "", i);
	snprintf(text + n, sizeof(text) - n, " } }");
	f = scenario("big.json", text);
	rs(&r, "validate %s", f);
	assert_input_error(&r, "2^32 points", "sweep: expected at most 10000 "
			   "points (variants x combinations of vary values), "
			   "got 4294967296");
	cli_result_free(&r);
}

/* A vary path that cannot be set is a mistake in the plan, not in one
 * point: validate exits 2 and the error names the path. */
Test(sweep, validate_names_a_vary_path_that_does_not_fit)
{
	struct cli_result r;

	rs(&r, "validate %s", scenario("v.json", "{ \"vary\": "
					"{ \"events[4].at\": [\"10s\", \"20s\"] } }"));
	cr_expect_eq(r.status, 2, "exit %d", r.status);
	cr_expect(strstr(r.err, "events[4].at") != NULL, "%s", r.err);
	cli_result_free(&r);
}

/* Each command accepts only its own options: sweep has no --seed (the
 * seed is --set seed=N), run no --jobs or --shard, merge no --seed; each
 * is a usage error (exit 2), not an option silently ignored. */
Test(sweep, options_of_other_commands_are_refused)
{
	const char *f = scenario("opts.json", GRID_SWEEP(1));
	struct cli_result r;

	rs(&r, "sweep %s --out %s/o --quiet --seed 99", f, tmp);
	cr_expect_eq(r.status, 2, "sweep --seed: exit %d", r.status);
	cli_result_free(&r);
	rs(&r, "run %s --jobs 2 --shard 1/2", f);
	cr_expect_eq(r.status, 2, "run --jobs --shard: exit %d", r.status);
	cli_result_free(&r);
	rs(&r, "merge %s/o --out %s/m --seed 3", tmp, tmp);
	cr_expect_eq(r.status, 2, "merge --seed: exit %d", r.status);
	cli_result_free(&r);
}

/* ------------------------------------------------------------ help */

Test(sweep, help_and_usage)
{
	static const struct {
		const char *args, *want;
	} ok[] = {
		{ "help", "usage: rollsim COMMAND" },
		{ "--help", "usage: rollsim COMMAND" },
		{ "help sweep", "--shard K/N" },
		{ "sweep --help", "--resume" },
		{ "sweep -h", "--replications R" },
		{ "help merge", "usage: rollsim merge DIR... --out DIR" },
		{ "merge --help", "usage: rollsim merge" },
		{ "help validate", "usage: rollsim validate" },
		{ "run --help", "--set PATH=VALUE" },
	};
	static const char *const bad[] = {
		"help nosuch", "sweep",
		"sweep scenarios/flask-app.json --out x --shard 4/3",
		"sweep scenarios/flask-app.json --out x --shard 0/3",
		"sweep scenarios/flask-app.json --out x --shard 3",
		"sweep scenarios/flask-app.json --out x --jobs 0",
		"sweep scenarios/flask-app.json --out x --replications 0",
		"sweep scenarios/flask-app.json --out x --bogus",
		"merge --out x", "validate",
	};
	struct cli_result r, s;
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(*ok); i++) {
		cli_run(&r, ok[i].args);
		cr_assert_eq(r.status, 0, "%s: exit %d", ok[i].args, r.status);
		cr_assert(strstr(r.out, ok[i].want), "%s: %s", ok[i].args,
			  r.out);
		cli_result_free(&r);
	}
	cli_run(&r, "help sweep");
	cli_run(&s, "sweep --help");
	cr_assert_str_eq(r.out, s.out);
	cli_result_free(&r);
	cli_result_free(&s);
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		cli_run(&r, bad[i]);
		cr_assert_eq(r.status, 2, "%s: exit %d", bad[i], r.status);
		cr_assert_gt(strlen(r.err), 0, "%s: no message", bad[i]);
		cli_result_free(&r);
	}
}

/* ------------------------------------------------------------ recipes */

/* Runs a shell command line (bash) with ROLLSIM set; returns the exit
 * status. */
static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int sh(const char *fmt, ...)
{
	char line[4000], cmd[4200];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd), "bash -c '%s' >'%s/sh.out' 2>&1", line,
		 tmp);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void print_sh_out(void)
{
	char path[1300], *t;

	snprintf(path, sizeof(path), "%s/sh.out", tmp);
	t = cli_slurp(path, NULL);
	cr_log_error("%s", t ? t : "");
	free(t);
}

/* README: GNU parallel runs the shards, `rollsim merge` combines them. */
Test(sweep, gnu_parallel_recipe)
{
	const char *f = scenario("grid.json", GRID_SWEEP(3));
	int rc;

	if (system("command -v parallel >/dev/null 2>&1") != 0 ||
	    system("parallel --version 2>/dev/null | grep -q 'GNU parallel'"))
		cr_skip_test("GNU parallel is not installed");
	run_ok("sweep %s --out %s/single --quiet", f, tmp);
	/* the README's command lines, with $ROLLSIM for rollsim */
	rc = sh("cd %s && parallel --halt now,fail=1 \"$ROLLSIM\" sweep %s "
		"--shard {}/3 --out results/shard-{} --quiet --jobs 1 "
		"::: 1 2 3 && \"$ROLLSIM\" merge results/shard-* "
		"--out results/all", tmp, f);
	if (rc)
		print_sh_out();
	cr_assert_eq(rc, 0, "the parallel recipe failed");
	assert_same_sweep(in_tmp("single"), in_tmp("results/all"));

	/* contrib/parallel/sweep.sh does the same */
	rc = sh("contrib/parallel/sweep.sh %s 4 %s/contrib", f, tmp);
	if (rc)
		print_sh_out();
	cr_assert_eq(rc, 0, "contrib/parallel/sweep.sh failed");
	assert_same_sweep(in_tmp("single"), in_tmp("contrib/all"));
}

/* contrib/slurm/sweep.sbatch run by bash with the variables Slurm sets
 * for each task of the job array, then the merge step it documents. */
Test(sweep, slurm_array_script)
{
	const char *f = scenario("grid.json", GRID_SWEEP(3));
	char *text = cli_slurp("contrib/slurm/sweep.sbatch", NULL);
	char cwd[1024];
	int k, rc;

	cr_assert_not_null(getcwd(cwd, sizeof(cwd)));

	cr_assert_not_null(text, "contrib/slurm/sweep.sbatch is missing");
	cr_assert(strstr(text, "#SBATCH --array=1-"), "no job array");
	cr_assert(strstr(text, "--dependency=afterok:"), "no merge step");
	free(text);
	run_ok("sweep %s --out %s/single --quiet", f, tmp);
	for (k = 1; k <= 3; k++) {
		rc = sh("cd %s && SLURM_JOB_ID=4242 SLURM_ARRAY_JOB_ID=4242 "
			"SLURM_ARRAY_TASK_ID=%d SLURM_ARRAY_TASK_COUNT=3 "
			"SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_MAX=3 "
			"SLURM_CPUS_PER_TASK=2 bash %s/contrib/slurm/"
			"sweep.sbatch %s results", tmp, k, cwd, f);
		if (rc)
			print_sh_out();
		cr_assert_eq(rc, 0, "array task %d failed", k);
	}
	/* a requeued task resumes and changes nothing */
	rc = sh("cd %s && SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_TASK_COUNT=3 "
		"SLURM_RESTART_COUNT=1 bash %s/contrib/slurm/sweep.sbatch %s "
		"results", tmp, cwd, f);
	if (rc)
		print_sh_out();
	cr_assert_eq(rc, 0, "requeued task failed");
	/* a task outside 1-N is refused */
	rc = sh("cd %s && SLURM_ARRAY_TASK_ID=0 SLURM_ARRAY_TASK_COUNT=3 "
		"bash %s/contrib/slurm/sweep.sbatch %s results", tmp, cwd, f);
	cr_assert_eq(rc, 2, "task 0 of 3: exit %d", rc);
	run_ok("merge %s/results/shard-1 %s/results/shard-2 "
	       "%s/results/shard-3 --out %s/results/all", tmp, tmp, tmp, tmp);
	assert_same_sweep(in_tmp("single"), in_tmp("results/all"));
}
