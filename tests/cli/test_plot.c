/* test_plot.c - `rollsim plot` end to end: the PNG and SVG files of a run
 * directory and of two sweeps (a maxSurge x maxUnavailable grid; two
 * variants with traffic), and the exit codes for a directory that is
 * neither (2) and for a machine without gnuplot (3, with the install hint).
 * Tests that need gnuplot skip when it is not installed.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_util.h"

static int have_gnuplot(void)
{
	return system("command -v gnuplot >/dev/null 2>&1") == 0;
}

#define NEED_GNUPLOT()                                                      \
	do {                                                                \
		if (!have_gnuplot())                                        \
			cr_skip_test("gnuplot is not installed (sudo apt-get " \
				     "install gnuplot-nox): plots not tested"); \
	} while (0)

/* Runs rollsim and requires exit status 0. */
static void run_ok(const char *args)
{
	struct cli_result r;

	cli_run(&r, args);
	cr_assert_eq(r.status, 0, "rollsim %s exited %d: %s", args, r.status,
		     r.err ? r.err : "");
	cli_result_free(&r);
}

/* DIR/plots/NAME.png starts with the PNG signature, NAME.svg is an SVG
 * document; stdout (out) lists both paths. */
static void check_plot(const char *dir, const char *name, const char *out)
{
	static const char png_magic[] = "\x89PNG\r\n\x1a\n";
	char path[1200];
	char *s;
	long n = 0;

	snprintf(path, sizeof(path), "%s/plots/%s.png", dir, name);
	s = cli_slurp(path, &n);
	cr_assert_not_null(s, "%s was not written", path);
	cr_assert_gt(n, 8, "%s is empty", path);
	cr_assert_eq(memcmp(s, png_magic, 8), 0, "%s is not a PNG", path);
	cr_assert_not_null(strstr(out, path), "stdout does not list %s: %s",
			   path, out);
	free(s);
	snprintf(path, sizeof(path), "%s/plots/%s.svg", dir, name);
	s = cli_slurp(path, &n);
	cr_assert_not_null(s, "%s was not written", path);
	cr_assert_gt(n, 0, "%s is empty", path);
	cr_assert_not_null(strstr(s, "<svg"), "%s is not an SVG", path);
	cr_assert_not_null(strstr(out, path), "stdout does not list %s: %s",
			   path, out);
	free(s);
}

static void check_absent(const char *dir, const char *name)
{
	char path[1200];
	char *s;

	snprintf(path, sizeof(path), "%s/plots/%s.png", dir, name);
	s = cli_slurp(path, NULL);
	cr_assert_null(s, "%s should not be written", path);
}

/* rollsim plot DIR; returns its stdout (malloc'ed). */
static char *plot_ok(const char *dir)
{
	struct cli_result r;
	char args[1200];
	char *out;

	snprintf(args, sizeof(args), "plot %s", dir);
	cli_run(&r, args);
	cr_assert_eq(r.status, 0, "rollsim %s exited %d: %s", args, r.status,
		     r.err ? r.err : "");
	out = r.out;
	r.out = NULL;
	cli_result_free(&r);
	return out;
}

/* Writes base (a scenario file) with a sweep section into dir/name. */
static void write_sweep(const char *base, const char *until,
			const char *sweep_json, const char *path)
{
	char *text = cli_slurp(base, NULL);
	cJSON *root = text ? cJSON_Parse(text) : NULL;
	cJSON *sweep = cJSON_Parse(sweep_json);
	char *out;

	cr_assert_not_null(root, "cannot read %s", base);
	cr_assert_not_null(sweep, "bad sweep JSON in the test");
	cJSON_ReplaceItemInObject(root, "until", cJSON_CreateString(until));
	cJSON_AddItemToObject(root, "sweep", sweep);
	out = cJSON_Print(root);
	cr_assert_eq(cli_write(path, out), 0, "cannot write %s", path);
	free(out);
	cJSON_Delete(root);
	free(text);
}

Test(plot, run_directory)
{
	char *tmp = cli_tmpdir(), dir[1200], args[1300], *out;

	NEED_GNUPLOT();
	snprintf(dir, sizeof(dir), "%s/run", tmp);
	snprintf(args, sizeof(args), "run scenarios/flask-app.json --out %s", dir);
	run_ok(args);
	out = plot_ok(dir);
	check_plot(dir, "timeline", out);
	check_plot(dir, "timeline_rollout", out);
	free(out);
	cli_rmrf(tmp);
	free(tmp);
}

/* maxSurge [1, "25%"] x maxUnavailable [0, 1], 3 replications: heatmap
 * and trade-off, no variant bars. */
Test(plot, sweep_grid)
{
	char *tmp = cli_tmpdir(), file[1200], dir[1200], args[2600], *out;

	NEED_GNUPLOT();
	snprintf(file, sizeof(file), "%s/grid.json", tmp);
	snprintf(dir, sizeof(dir), "%s/grid", tmp);
	write_sweep("scenarios/flask-app.json", "2m",
		    "{\"replications\": 3, \"vary\": {"
		    "\"deployment.strategy.rollingUpdate.maxSurge\": [1, \"25%\"],"
		    "\"deployment.strategy.rollingUpdate.maxUnavailable\": [0, 1]"
		    "}}", file);
	snprintf(args, sizeof(args), "sweep %s --out %s --quiet", file, dir);
	run_ok(args);
	out = plot_ok(dir);
	check_plot(dir, "heatmap", out);
	check_plot(dir, "tradeoff", out);
	check_absent(dir, "variants");
	free(out);
	cli_rmrf(tmp);
	free(tmp);
}

/* Two variants of a scenario with traffic, 3 replications: variant bars
 * (with the failed-requests panel) and trade-off, no heatmap. */
Test(plot, sweep_variants)
{
	char *tmp = cli_tmpdir(), file[1200], dir[1200], args[2600], *out;

	NEED_GNUPLOT();
	snprintf(file, sizeof(file), "%s/variants.json", tmp);
	snprintf(dir, sizeof(dir), "%s/variants", tmp);
	write_sweep("scenarios/bench-reference.json", "45s",
		    "{\"replications\": 3, \"variants\": ["
		    "{\"name\": \"default\"},"
		    "{\"name\": \"conservative\", \"deployment\": {\"strategy\": "
		    "{\"rollingUpdate\": {\"maxSurge\": 1, \"maxUnavailable\": 0}}}}"
		    "]}", file);
	snprintf(args, sizeof(args), "sweep %s --out %s --quiet", file, dir);
	run_ok(args);
	out = plot_ok(dir);
	check_plot(dir, "variants", out);
	check_plot(dir, "tradeoff", out);
	check_absent(dir, "heatmap");
	free(out);
	cli_rmrf(tmp);
	free(tmp);
}

/* A directory without summary.json or sweep.json is bad input: exit 2,
 * whether or not gnuplot is there; so is a directory that does not
 * exist. */
Test(plot, not_a_result_directory)
{
	char *tmp = cli_tmpdir(), args[1200];
	struct cli_result r;

	snprintf(args, sizeof(args), "plot %s", tmp);
	cli_run(&r, args);
	cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.err);
	cr_assert_not_null(strstr(r.err, "neither a run directory"),
			   "stderr: %s", r.err);
	cli_result_free(&r);
	snprintf(args, sizeof(args), "plot %s/missing", tmp);
	cli_run(&r, args);
	cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.err);
	cli_result_free(&r);
	cli_rmrf(tmp);
	free(tmp);
}

/* Without gnuplot on PATH: exit 3 and the install hint. ROLLSIM may be
 * relative (to the repository root, where the tests run): env gets an
 * absolute path, since it searches the emptied PATH for a bare name. */
Test(plot, gnuplot_missing)
{
	const char *bin = getenv("ROLLSIM") ? getenv("ROLLSIM") : "./rollsim";
	char *tmp = cli_tmpdir(), dir[1200], cwd[1024], cmd[2200];
	char args[1300];
	struct cli_result r;

	snprintf(dir, sizeof(dir), "%s/run", tmp);
	snprintf(args, sizeof(args), "run scenarios/flask-app.json --out %s", dir);
	run_ok(args);
	cr_assert_not_null(getcwd(cwd, sizeof(cwd)), "getcwd failed");
	snprintf(cmd, sizeof(cmd), "env PATH=/nonexistent %s%s%s",
		 bin[0] == '/' ? "" : cwd, bin[0] == '/' ? "" : "/", bin);
	setenv("ROLLSIM", cmd, 1);           /* this test's process only */
	snprintf(args, sizeof(args), "plot %s", dir);
	cli_run(&r, args);
	cr_assert_eq(r.status, 3, "exit %d: %s", r.status, r.err);
	cr_assert_not_null(strstr(r.err, "gnuplot not found: install it with "
				  "\"sudo apt-get install gnuplot-nox\""),
			   "stderr: %s", r.err);
	cr_assert_eq(r.out[0], '\0', "stdout: %s", r.out);
	cli_result_free(&r);
	cli_rmrf(tmp);
	free(tmp);
}
