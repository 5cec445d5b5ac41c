/* test_outputs.c - the files of `run --out`, `sweep --out`, `merge --out`
 * and `plot` are published all at once or not at all (sim/core/fileset.h).
 *
 * A publication is made to fail by a name of the set that is a non-empty
 * directory in the output directory: renaming a file onto it fails even
 * for root (tests run as root in CI, so permissions would not), and the
 * failure is met in the middle of publishing when the name is not the
 * first of the set. The previous files must then be left byte for byte,
 * and nothing of the failed run (no temporary) may remain. Two processes
 * writing into one directory at once must each end with their own complete
 * set, the last one's remaining.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_util.h"

static const char *const run_files[] = {
	"timeline.csv", "traffic.csv", "events.log", "pods.csv", "summary.json"
};
#define N_RUN_FILES (sizeof(run_files) / sizeof(*run_files))
static const char *const sweep_files[] = {
	"runs.csv", "summary.csv", "sweep.json"
};

static void run_args_ok(const char *args)
{
	struct cli_result r;

	cli_run(&r, args);
	cr_assert_eq(r.status, 0, "rollsim %s: exit %d: %s", args, r.status,
		     r.err ? r.err : "");
	cli_result_free(&r);
}

static char *file_in(const char *dir, const char *name, long *n)
{
	char path[1300];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return cli_slurp(path, n);
}

/* dir/name and ref/name hold the same bytes. */
static void assert_same(const char *dir, const char *ref, const char *name)
{
	long na = 0, nb = 0;
	char *a = file_in(dir, name, &na), *b = file_in(ref, name, &nb);

	cr_assert_not_null(a, "%s/%s is missing", dir, name);
	cr_assert_not_null(b, "%s/%s is missing", ref, name);
	cr_assert(na == nb && memcmp(a, b, (size_t)na) == 0,
		  "%s/%s is not the previous one", dir, name);
	free(a);
	free(b);
}

/* Copies dir's files into a fresh directory (the "before" snapshot). */
static void snapshot(const char *dir, const char *copy)
{
	char cmd[3000];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && cp -r '%s' '%s'", copy, dir,
		 copy);
	cr_assert_eq(system(cmd), 0);
}

/* Replaces dir/name by a directory holding a file of the user's. */
static void make_blocker(const char *dir, const char *name)
{
	char path[1300];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
	cr_assert_eq(mkdir(path, 0777), 0, "mkdir %s", path);
	snprintf(path, sizeof(path), "%s/%s/mine", dir, name);
	cr_assert_eq(cli_write(path, "the user's\n"), 0);
}

/* The blocker is still there with its file. */
static void assert_blocker(const char *dir, const char *name)
{
	char path[1300], *t;

	snprintf(path, sizeof(path), "%s/%s/mine", dir, name);
	t = cli_slurp(path, NULL);
	cr_assert_not_null(t, "%s was removed", path);
	cr_assert_str_eq(t, "the user's\n");
	free(t);
}

/* No temporary of rollsim is left in dir. */
static void assert_no_leftovers(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	cr_assert_not_null(d, "cannot list %s", dir);
	while ((e = readdir(d)) != NULL)
		cr_assert(strncmp(e->d_name, ".rollsim", 8) != 0 &&
			  strstr(e->d_name, ".tmp") == NULL,
			  "%s/%s left behind", dir, e->d_name);
	closedir(d);
}

/* Requires exit 3 and one stderr line that names dir/name. */
static void assert_publish_error(const struct cli_result *r, const char *dir,
				 const char *name)
{
	char want[1300];

	snprintf(want, sizeof(want), "%s/%s", dir, name);
	cr_assert_eq(r->status, 3, "exit %d: %s", r->status,
		     r->err ? r->err : "");
	cr_assert(strstr(r->err, want) != NULL, "stderr lacks %s: %s", want,
		  r->err);
	cr_assert_eq(strchr(r->err, '\n'), r->err + strlen(r->err) - 1,
		     "not one line: %s", r->err);
}

/* For each file of a run (first, middle, last of the set): a run with
 * another seed whose publication fails on it leaves the previous run's
 * other three files as they were. */
Test(outputs, run_failed_publication_keeps_the_previous_run)
{
	char *tmp = cli_tmpdir(), dir[1200], before[1200], args[1400];
	struct cli_result r;
	size_t k, i;

	snprintf(dir, sizeof(dir), "%s/o", tmp);
	snprintf(before, sizeof(before), "%s/before", tmp);
	for (k = 0; k < N_RUN_FILES; k++) {
		snprintf(args, sizeof(args), "run scenarios/flask-app.json "
			 "--seed 1 --out %s", dir);
		run_args_ok(args);
		make_blocker(dir, run_files[k]);
		snapshot(dir, before);
		snprintf(args, sizeof(args), "run scenarios/flask-app.json "
			 "--seed 2 --out %s", dir);
		cli_run(&r, args);
		for (i = 0; i < N_RUN_FILES; i++)
			if (i != k)
				assert_same(dir, before, run_files[i]);
		assert_blocker(dir, run_files[k]);
		assert_publish_error(&r, dir, run_files[k]);
		cli_result_free(&r);
		assert_no_leftovers(dir);
		cli_rmrf(dir);
	}
	cli_rmrf(tmp);
	free(tmp);
}

/* The same for sweep (runs.csv, summary.csv, sweep.json) and for merge. */
Test(outputs, sweep_and_merge_failed_publication_keep_previous_files)
{
	char *tmp = cli_tmpdir(), f[1200], dir[1200], before[1200];
	char args[3000];
	struct cli_result r;
	size_t k, i;

	snprintf(f, sizeof(f), "%s/s.json", tmp);
	cr_assert_eq(cli_write(f,
		"{ \"name\": \"pub\", \"seed\": 3, \"until\": \"2m\",\n"
		"  \"deployment\": { \"name\": \"web\", \"replicas\": 4,\n"
		"                  \"image\": \"web:1\" },\n"
		"  \"images\": { \"web:1\": {}, \"web:2\": {} },\n"
		"  \"events\": [ { \"at\": \"10s\", \"action\": \"setImage\",\n"
		"                \"image\": \"web:2\" } ],\n"
		"  \"sweep\": { \"replications\": 2,\n"
		"             \"vary\": { \"deployment.replicas\": [2, 4] } } }\n"),
		0);
	snprintf(dir, sizeof(dir), "%s/o", tmp);
	snprintf(before, sizeof(before), "%s/before", tmp);
	for (k = 0; k < 3; k++) {
		snprintf(args, sizeof(args), "sweep %s --out %s --quiet", f, dir);
		run_args_ok(args);
		make_blocker(dir, sweep_files[k]);
		snapshot(dir, before);
		snprintf(args, sizeof(args), "sweep %s --out %s --quiet "
			 "--set seed=4", f, dir);
		cli_run(&r, args);
		for (i = 0; i < 3; i++)
			if (i != k)
				assert_same(dir, before, sweep_files[i]);
		assert_blocker(dir, sweep_files[k]);
		assert_publish_error(&r, dir, sweep_files[k]);
		cli_result_free(&r);
		assert_no_leftovers(dir);
		cli_rmrf(dir);
	}
	/* merge: the previous merge stays when the new one cannot land */
	snprintf(args, sizeof(args), "sweep %s --out %s/a --quiet --set seed=5",
		 f, tmp);
	run_args_ok(args);
	snprintf(args, sizeof(args), "sweep %s --out %s --quiet", f, dir);
	run_args_ok(args);
	make_blocker(dir, "sweep.json");
	snapshot(dir, before);
	snprintf(args, sizeof(args), "merge %s/a --out %s", tmp, dir);
	cli_run(&r, args);
	assert_same(dir, before, "runs.csv");
	assert_same(dir, before, "summary.csv");
	assert_publish_error(&r, dir, "sweep.json");
	cli_result_free(&r);
	assert_no_leftovers(dir);
	cli_rmrf(tmp);
	free(tmp);
}

/* Starts `rollsim run flask-app --seed seed --out dir` (stdout and stderr
 * to /dev/null). */
static pid_t start_run(const char *dir, int seed)
{
	const char *bin = getenv("ROLLSIM") ? getenv("ROLLSIM") : "./rollsim";
	char s[16];
	pid_t pid = fork();

	cr_assert_geq(pid, 0);
	if (pid == 0) {
		snprintf(s, sizeof(s), "%d", seed);
		if (!freopen("/dev/null", "w", stdout) ||
		    !freopen("/dev/null", "w", stderr))
			_exit(126);
		execl(bin, bin, "run", "scenarios/flask-app.json", "--seed", s,
		      "--out", dir, (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* Two runs (seeds 1 and 2) into one directory at once, several times:
 * both succeed, and the directory holds exactly one run's five files,
 * byte for byte those of that seed run alone (which seed is told by
 * summary.json). */
Test(outputs, concurrent_runs_end_with_one_complete_set)
{
	char *tmp = cli_tmpdir(), dir[1200], ref[2][1200], args[1400];
	int round, i, st, seed;
	pid_t pid[2];
	cJSON *j;
	char *text;

	for (i = 0; i < 2; i++) {
		snprintf(ref[i], sizeof(ref[i]), "%s/ref%d", tmp, i + 1);
		snprintf(args, sizeof(args), "run scenarios/flask-app.json "
			 "--seed %d --out %s", i + 1, ref[i]);
		run_args_ok(args);
	}
	snprintf(dir, sizeof(dir), "%s/shared", tmp);
	for (round = 0; round < 8; round++) {
		for (i = 0; i < 2; i++)
			pid[i] = start_run(dir, i + 1);
		for (i = 0; i < 2; i++) {
			cr_assert_eq(waitpid(pid[i], &st, 0), pid[i]);
			cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0,
				  "round %d: seed %d failed (status %d)", round,
				  i + 1, st);
		}
		text = file_in(dir, "summary.json", NULL);
		cr_assert_not_null(text, "round %d: no summary.json", round);
		j = cJSON_Parse(text);
		seed = (int)cli_json_number(j, "seed");
		cr_assert(seed == 1 || seed == 2, "round %d: seed %d", round,
			  seed);
		for (i = 0; i < (int)N_RUN_FILES; i++)
			assert_same(dir, ref[seed - 1], run_files[i]);
		assert_no_leftovers(dir);
		cJSON_Delete(j);
		free(text);
	}
	cli_rmrf(tmp);
	free(tmp);
}

static int have_gnuplot(void)
{
	return system("command -v gnuplot >/dev/null 2>&1") == 0;
}

/* plot: when the last image cannot be published, DIR/plots keeps every
 * file of the previous plot, and no path is printed. */
Test(outputs, plot_failed_publication_keeps_previous_plots)
{
	static const char *const kept[] = {
		"timeline.png", "timeline.svg", "timeline_rollout.png",
		"timeline_steps.csv"
	};
	char *tmp = cli_tmpdir(), dir[1200], plots[1300], before[1200];
	char args[1400];
	struct cli_result r;
	size_t i;

	if (!have_gnuplot())
		cr_skip_test("gnuplot is not installed: plots not tested");
	snprintf(dir, sizeof(dir), "%s/o", tmp);
	snprintf(plots, sizeof(plots), "%s/plots", dir);
	snprintf(before, sizeof(before), "%s/before", tmp);
	snprintf(args, sizeof(args), "run scenarios/flask-app.json --seed 1 "
		 "--out %s", dir);
	run_args_ok(args);
	snprintf(args, sizeof(args), "plot %s", dir);
	run_args_ok(args);
	snprintf(args, sizeof(args), "run scenarios/flask-app.json --seed 2 "
		 "--out %s", dir);
	run_args_ok(args);
	make_blocker(plots, "timeline_rollout.svg");
	snapshot(plots, before);
	snprintf(args, sizeof(args), "plot %s", dir);
	cli_run(&r, args);
	for (i = 0; i < sizeof(kept) / sizeof(*kept); i++)
		assert_same(plots, before, kept[i]);
	assert_blocker(plots, "timeline_rollout.svg");
	assert_publish_error(&r, plots, "timeline_rollout.svg");
	cr_assert_str_eq(r.out, "", "paths printed: %s", r.out);
	cli_result_free(&r);
	assert_no_leftovers(plots);
	cli_rmrf(tmp);
	free(tmp);
}

/* A path of exactly n bytes below tmp: tmp/aaa.../aaa.../..., components
 * of 200 bytes (malloc'ed). */
static char *long_dir(const char *tmp, size_t n)
{
	char *dir = malloc(n + 1);
	size_t len, base = strlen(tmp);

	cr_assert_not_null(dir);
	len = (size_t)snprintf(dir, n + 1, "%s", tmp);
	for (; len < n; len++)
		dir[len] = (len - base) % 201 == 0 ? '/' : 'a';
	dir[n] = '\0';
	return dir;
}

/* An output directory too long to hold the staging directory and a file
 * is bad input (exit 2, not an I/O failure), said in one line, and
 * nothing is created: not even its first component. */
Test(outputs, an_output_path_too_long_is_bad_input)
{
	static const char *const cmds[] = {
		"run scenarios/flask-app.json --out",
		"sweep scenarios/compare-strategies.json --quiet --out",
	};
	char *tmp = cli_tmpdir(), *dir, *args, first[1200];
	size_t n = 4056, i;
	struct cli_result r;
	struct stat st;

	dir = long_dir(tmp, n);
	snprintf(first, sizeof(first), "%.*s", (int)(strlen(tmp) + 201), dir);
	args = malloc(n + 200);
	cr_assert_not_null(args);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		snprintf(args, n + 200, "%s %s", cmds[i], dir);
		cli_run(&r, args);
		cr_expect_eq(r.status, 2, "%s: exit %d", cmds[i], r.status);
		cr_expect(r.err && strstr(r.err, ": path too long (at most "
					  "4055 bytes)\n"), "%s: %s",
			  cmds[i], r.err ? r.err : "");
		cr_expect(r.err && !strchr(r.err, '\n')[1], "one line");
		cr_expect_neq(stat(first, &st), 0, "%s was created", first);
		cli_result_free(&r);
	}
	free(args);
	free(dir);
	cli_rmrf(tmp);
	free(tmp);
}

/* A file that cannot be written (here: larger than the process may write,
 * ulimit -f) fails the run with exit 3 and the write's own cause, and
 * leaves no output directory behind. */
Test(outputs, a_write_that_fails_names_its_cause)
{
	const char *bin = getenv("ROLLSIM") ? getenv("ROLLSIM") : "./rollsim";
	char *tmp = cli_tmpdir(), dir[1200], cmd[4096], line[4096] = "";
	struct stat st;
	FILE *p;
	int status;

	snprintf(dir, sizeof(dir), "%s/out", tmp);
	snprintf(cmd, sizeof(cmd), "sh -c \"trap '' XFSZ; ulimit -f 1; "
		 "%s run scenarios/flask-app.json --out %s\" 2>&1 >/dev/null",
		 bin, dir);
	p = popen(cmd, "r");
	cr_assert_not_null(p);
	if (!fgets(line, sizeof(line), p))
		line[0] = '\0';
	status = pclose(p);
	cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 3,
		  "exit status %d", status);
	cr_expect(strstr(line, ": cannot write: File too large\n") &&
		  strncmp(line, dir, strlen(dir)) == 0, "%s", line);
	cr_expect_neq(stat(dir, &st), 0, "%s was left behind", dir);
	cli_rmrf(tmp);
	free(tmp);
}

/* A long output directory (2,000 bytes, well within the limit) is used
 * whole by every file of a sweep: --resume reads back the sweep.json and
 * runs.csv it wrote there (paths were once cut at 1,200 bytes). */
Test(outputs, a_long_output_path_is_used_whole)
{
	char *tmp = cli_tmpdir(), *dir, *args, path[4200];
	size_t n = 2000;
	struct cli_result r;
	long k, k2 = 0;
	char *runs, *again;

	dir = long_dir(tmp, n);
	args = malloc(n + 200);
	cr_assert_not_null(args);
	snprintf(args, n + 200, "sweep scenarios/compare-strategies.json "
		 "--replications 2 --quiet --out %s", dir);
	run_args_ok(args);
	snprintf(path, sizeof(path), "%s/runs.csv", dir);
	runs = cli_slurp(path, &k);
	cr_assert_not_null(runs, "no runs.csv in the long directory");
	snprintf(args, n + 200, "sweep scenarios/compare-strategies.json "
		 "--replications 2 --quiet --resume --out %s", dir);
	cli_run(&r, args);
	cr_expect_eq(r.status, 0, "--resume: exit %d: %s", r.status,
		     r.err ? r.err : "");
	cli_result_free(&r);
	again = cli_slurp(path, &k2);
	cr_expect(again && k2 == k && memcmp(again, runs, (size_t)k) == 0,
		  "--resume changed runs.csv");
	free(again);
	free(runs);
	free(args);
	free(dir);
	cli_rmrf(tmp);
	free(tmp);
}
