/* test_oom.c - every allocation of a small run, a small sweep and a
 * merge made to fail in turn (sim/core/alloc.h's hook), through the functions
 * the command uses: scenario_load_with_sets + run_once for `run`;
 * sweep_plan_build + sweep_execute (two worker threads) for `sweep`;
 * sweep_merge for `merge`. The scenario reads a manifest, runs on a
 * cluster, takes a --set, and its sweep has a variant patch.
 *
 * For k = 1, 2, ... the k-th allocation fails, until a pass makes fewer
 * than k. Whenever the failure happened the call must return RSIM_ENOMEM
 * with its error record (never success with a hole in the results, nor
 * an input error); under `make asan` LeakSanitizer checks that nothing
 * leaked, and a crash fails the test. What is left on disk:
 * - run: what was there before, byte for byte (an earlier complete
 *   run), no temporary; a directory the run would have created is gone;
 * - sweep: nothing, or an interrupted sweep: only its own files, and
 *   --resume without failures gives the bytes of a sweep that never
 *   failed;
 * - merge: no file in the output directory.
 * When no allocation failed the outputs equal the reference bytes.
 */
#include <criterion/criterion.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sim/core/alloc.h"
#include "sim/scenario/scenario.h"
#include "sim/report/run.h"
#include "sim/sweep/sweep.h"
#include "../cli/cli_util.h"

#define OOM_MAX_K 100000     /* a bound on the allocations of one pass */
#define SNAP_MAX 16          /* files of an output directory */

/* A small scenario read from a manifest (3 replicas), on a 2-node
 * cluster, one update and a scale, 2 minutes; traffic comes from a
 * --set. Its sweep: 2 variants (one a patch) x 1 replica count. */
static const char scenario_text[] =
	"{ \"name\": \"oom\", \"seed\": 7, \"until\": \"2m\",\n"
	"  \"deployment\": { \"manifest\": \"oom.yaml\" },\n"
	"  \"images\": {\n"
	"    \"app:1\": { \"startup\": \"2s\" },\n"
	"    \"app:2\": { \"startup\": { \"dist\": \"uniform\", \"min\": \"1s\",\n"
	"                               \"max\": \"3s\" } } },\n"
	"  \"cluster\": { \"nodes\": 2 },\n"
	"  \"events\": [ { \"at\": \"20s\", \"action\": \"setImage\",\n"
	"                \"image\": \"app:2\" },\n"
	"              { \"at\": \"60s\", \"action\": \"scale\",\n"
	"                \"replicas\": 4 } ],\n"
	"  \"sweep\": { \"replications\": 1,\n"
	"             \"vary\": { \"deployment.replicas\": [2] },\n"
	"             \"variants\": [ { \"name\": \"a\" },\n"
	"                           { \"name\": \"b\",\n"
	"                             \"traffic\": { \"rate\": 8 } } ] } }\n";

static const char manifest_text[] =
	"apiVersion: apps/v1\n"
	"kind: Deployment\n"
	"metadata: {name: web}\n"
	"spec:\n"
	"  replicas: 3\n"
	"  strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}\n"
	"  template:\n"
	"    spec:\n"
	"      containers:\n"
	"      - name: app\n"
	"        image: app:1\n"
	"        readinessProbe: {httpGet: {port: 80}, periodSeconds: 1}\n";

static const char *const sets[] = { "traffic.rate=5" };

static char *tmp;                /* this test's directory */
static char file[1200];          /* the scenario */

static void oom_setup(void)
{
	rsim_alloc_init();
	tmp = cli_tmpdir();
	cr_assert_not_null(tmp);
	snprintf(file, sizeof(file), "%s/oom.yaml", tmp);
	cr_assert_eq(cli_write(file, manifest_text), 0);
	snprintf(file, sizeof(file), "%s/oom.json", tmp);
	cr_assert_eq(cli_write(file, scenario_text), 0);
}

static void oom_teardown(void)
{
	rsim_alloc_fail_after(0);
	if (tmp)
		cli_rmrf(tmp);
	free(tmp);
	tmp = NULL;
}

TestSuite(oom, .init = oom_setup, .fini = oom_teardown);

/* ------------------------------------------------------------ snapshots */

/* The files of a directory, sorted by name, with their bytes. */
struct snap {
	int n;                        /* -1: no such directory */
	char name[SNAP_MAX][256];
	char *text[SNAP_MAX];
	long len[SNAP_MAX];
};

static int by_name(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

static void snap_take(const char *dir, struct snap *s)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[1400];
	int i;

	memset(s, 0, sizeof(*s));
	if (!d) {
		s->n = -1;
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		cr_assert_lt(s->n, SNAP_MAX, "%s: too many files", dir);
		snprintf(s->name[s->n++], sizeof(s->name[0]), "%s", e->d_name);
	}
	closedir(d);
	qsort(s->name, (size_t)s->n, sizeof(s->name[0]), by_name);
	for (i = 0; i < s->n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, s->name[i]);
		s->text[i] = cli_slurp(path, &s->len[i]);
		cr_assert_not_null(s->text[i], "cannot read %s", path);
	}
}

static void snap_free(struct snap *s)
{
	int i;

	for (i = 0; i < s->n; i++)
		free(s->text[i]);
	s->n = 0;
}

/* Requires b to hold the same files with the same bytes as a. */
static void snap_expect_same(const struct snap *a, const struct snap *b,
			     const char *what, long k)
{
	int i;

	cr_assert_eq(a->n, b->n, "%s, k %ld: %d files, expected %d", what, k,
		     b->n, a->n);
	for (i = 0; i < a->n; i++) {
		cr_assert_str_eq(b->name[i], a->name[i], "%s, k %ld", what, k);
		cr_assert(a->len[i] == b->len[i] &&
			  memcmp(a->text[i], b->text[i], (size_t)a->len[i]) == 0,
			  "%s, k %ld: %s differs", what, k, a->name[i]);
	}
}

/* ------------------------------------------------------------ run */

/* `rollsim run FILE --set traffic.rate=5 --out dir` (seed overrides the scenario's when
 * non-zero). Returns its result; err receives the error. */
static int run_cli_path(const char *dir, uint64_t seed, struct rsim_error *err)
{
	struct world_config cfg;
	struct world_metrics m;
	cJSON *sum = NULL;
	world *w = NULL;
	int rc = scenario_load_with_sets(file, sets, 1, &cfg, err);

	if (rc)
		return rc;
	if (seed)
		cfg.seed = seed;
	rc = run_once(&cfg, dir, file, &m, &sum, &w, err);
	cJSON_Delete(sum);
	world_free(w);
	world_config_release(&cfg);
	return rc;
}

/* One failed run: RSIM_ENOMEM reported, the directory as before. */
static void expect_failed_run(int rc, const struct rsim_error *err,
			      const char *dir, const struct snap *before,
			      long k)
{
	struct snap after;

	cr_assert_eq(rc, RSIM_ENOMEM, "k %ld: the failure was not reported "
		     "(rc %d: %s)", k, rc, err->msg);
	cr_assert_eq(err->code, RSIM_ENOMEM, "k %ld: error record %d", k,
		     err->code);
	snap_take(dir, &after);
	snap_expect_same(before, &after, "run", k);
	snap_free(&after);
}

Test(oom, every_allocation_of_a_run_fails_cleanly, .timeout = 600)
{
	char prev[1300], fresh[1300], ref[1300];
	struct snap before, none, want, got;
	struct rsim_error err;
	long k;
	int rc;

	snprintf(prev, sizeof(prev), "%s/prev", tmp);
	snprintf(ref, sizeof(ref), "%s/ref", tmp);
	memset(&err, 0, sizeof(err));
	cr_assert_eq(run_cli_path(prev, 99, &err), 0, "%s", err.msg);
	cr_assert_eq(run_cli_path(ref, 0, &err), 0, "%s", err.msg);
	snap_take(prev, &before);
	snap_take(ref, &want);
	cr_assert_eq(before.n, 5);   /* the five files of a run */
	none.n = -1;
	for (k = 1; k < OOM_MAX_K; k++) {
		snprintf(fresh, sizeof(fresh), "%s/fresh", tmp);
		memset(&err, 0, sizeof(err));
		rsim_alloc_fail_after(k);
		rc = run_cli_path(fresh, 0, &err);
		rsim_alloc_fail_after(0);
		if (!rsim_alloc_failed())
			break;
		expect_failed_run(rc, &err, fresh, &none, k);
		memset(&err, 0, sizeof(err));
		rsim_alloc_fail_after(k);
		rc = run_cli_path(prev, 0, &err);
		rsim_alloc_fail_after(0);
		expect_failed_run(rc, &err, prev, &before, k);
	}
	cr_assert_eq(rc, 0, "k %ld: no failure, yet rc %d: %s", k, rc,
		     err.msg);
	cr_assert_gt(k, 100, "only %ld allocations: is the hook in place?", k);
	snap_take(fresh, &got);
	snap_expect_same(&want, &got, "run without a failure", k);
	cr_log_info("run: %ld allocations, each failed once", k - 1);
	snap_free(&got);
	snap_free(&want);
	snap_free(&before);
}

/* ------------------------------------------------------------ sweep */

static int sweep_cli_path(const char *dir, int resume, struct rsim_error *err)
{
	struct sweep_plan plan;
	struct sweep_opts so = { dir, 2, 1, 1, resume, 1 };
	int rc = sweep_plan_build(file, sets, 1, 0, &plan, err);

	if (rc)
		return rc;
	rc = sweep_execute(&plan, &so, err);
	sweep_plan_release(&plan);
	return rc;
}

/* What a failed sweep leaves: nothing, or its own files only, resumable
 * to the reference bytes. */
static void expect_failed_sweep(int rc, const struct rsim_error *err,
				const char *dir, const struct snap *want,
				long k)
{
	static const char *const own[] = {
		"runs.csv", "summary.csv", "sweep.json", ".runs.part",
	};
	struct rsim_error e = { 0 };
	struct snap after;
	int i, j, known;

	cr_assert_eq(rc, RSIM_ENOMEM, "k %ld: the failure was not reported "
		     "(rc %d: %s)", k, rc, err->msg);
	cr_assert_eq(err->code, RSIM_ENOMEM, "k %ld: error record %d", k,
		     err->code);
	snap_take(dir, &after);
	if (after.n < 0)
		return;        /* failed before the sweep began: nothing */
	for (i = 0; i < after.n; i++) {
		for (j = 0, known = 0; j < 4; j++)
			known |= strcmp(after.name[i], own[j]) == 0;
		cr_assert(known, "k %ld: %s left in the directory", k,
			  after.name[i]);
	}
	snap_free(&after);
	cr_assert_eq(sweep_cli_path(dir, 1, &e), 0, "k %ld: resume: %s", k,
		     e.msg);
	snap_take(dir, &after);
	snap_expect_same(want, &after, "sweep resumed", k);
	snap_free(&after);
}

Test(oom, every_allocation_of_a_sweep_fails_cleanly, .timeout = 600)
{
	char dir[1300], ref[1300];
	struct snap want, got;
	struct rsim_error err;
	long k;
	int rc;

	snprintf(ref, sizeof(ref), "%s/ref", tmp);
	memset(&err, 0, sizeof(err));
	cr_assert_eq(sweep_cli_path(ref, 0, &err), 0, "%s", err.msg);
	snap_take(ref, &want);
	cr_assert_eq(want.n, 3);
	for (k = 1; k < OOM_MAX_K; k++) {
		snprintf(dir, sizeof(dir), "%s/s%ld", tmp, k);
		memset(&err, 0, sizeof(err));
		rsim_alloc_fail_after(k);
		rc = sweep_cli_path(dir, 0, &err);
		rsim_alloc_fail_after(0);
		if (!rsim_alloc_failed())
			break;
		expect_failed_sweep(rc, &err, dir, &want, k);
		cli_rmrf(dir);
	}
	cr_assert_eq(rc, 0, "k %ld: no failure, yet rc %d: %s", k, rc,
		     err.msg);
	cr_assert_gt(k, 100, "only %ld allocations: is the hook in place?", k);
	snap_take(dir, &got);
	snap_expect_same(&want, &got, "sweep without a failure", k);
	cr_log_info("sweep: %ld allocations, each failed once", k - 1);
	snap_free(&got);
	snap_free(&want);
}

/* ------------------------------------------------------------ merge */

Test(oom, every_allocation_of_a_merge_fails_cleanly, .timeout = 600)
{
	char ref[1300], sh[2][1300], out[1300];
	const char *dirs[2] = { sh[0], sh[1] };
	struct sweep_plan plan;
	struct sweep_opts so = { NULL, 1, 1, 2, 0, 1 };
	struct snap want, got;
	struct rsim_error err = { 0 };
	long k;
	int i, rc;

	snprintf(ref, sizeof(ref), "%s/ref", tmp);
	cr_assert_eq(sweep_cli_path(ref, 0, &err), 0, "%s", err.msg);
	snap_take(ref, &want);
	for (i = 0; i < 2; i++) {
		snprintf(sh[i], sizeof(sh[i]), "%s/shard%d", tmp, i + 1);
		cr_assert_eq(sweep_plan_build(file, sets, 1, 0, &plan, &err), 0);
		so.out = sh[i];
		so.shard_k = i + 1;
		cr_assert_eq(sweep_execute(&plan, &so, &err), 0, "%s", err.msg);
		sweep_plan_release(&plan);
	}
	for (k = 1; k < OOM_MAX_K; k++) {
		snprintf(out, sizeof(out), "%s/m%ld", tmp, k);
		memset(&err, 0, sizeof(err));
		rsim_alloc_fail_after(k);
		rc = sweep_merge(dirs, 2, out, &err);
		rsim_alloc_fail_after(0);
		if (!rsim_alloc_failed())
			break;
		cr_assert_eq(rc, RSIM_ENOMEM, "k %ld: the failure was not "
			     "reported (rc %d: %s)", k, rc, err.msg);
		cr_assert_eq(err.code, RSIM_ENOMEM, "k %ld", k);
		snap_take(out, &got);
		cr_assert_leq(got.n, 0, "k %ld: merge left %s", k, got.name[0]);
		snap_free(&got);
	}
	cr_assert_eq(rc, 0, "k %ld: no failure, yet rc %d: %s", k, rc,
		     err.msg);
	snap_take(out, &got);
	snap_expect_same(&want, &got, "merge without a failure", k);
	cr_log_info("merge: %ld allocations, each failed once", k - 1);
	snap_free(&got);
	snap_free(&want);
}
