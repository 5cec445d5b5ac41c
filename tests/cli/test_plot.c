/* test_plot.c - `rollsim plot` end to end: the PNG and SVG files of a run
 * directory and of two sweeps (a maxSurge x maxUnavailable grid; two
 * variants with traffic), and the exit codes for a directory that is
 * neither (2) and for a machine without gnuplot (3, with the install hint).
 * The tables gnuplot draws from (DIR/plots/timeline_steps.csv and *.dat)
 * are checked against the run's timeline.csv and the sweep's summary.csv,
 * read here independently of plots/plot.c.
 * Tests that need gnuplot skip when it is not installed.
 */
#include <criterion/criterion.h>
#include <math.h>
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

/* ------------------------------------------- the data behind the plots */

/* The text of DIR/name (malloc'ed); it must exist. */
static char *read_in(const char *dir, const char *name)
{
	char path[1300];
	char *s;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	s = cli_slurp(path, NULL);
	cr_assert_not_null(s, "%s was not written", path);
	return s;
}

/* Field k (0-based) of the comma-separated line at p, into out. */
static void csv_field(const char *p, int k, char *out, size_t n)
{
	size_t len;

	for (; k > 0 && *p && *p != '\n'; p++)
		k -= *p == ',';
	len = strcspn(p, ",\n");
	snprintf(out, n, "%.*s", (int)(len < n ? len : n - 1), p);
}

/* The column of summary.csv's header named name (-1: none). */
static int csv_col(const char *csv, const char *name)
{
	char f[128];
	int k;

	for (k = 0; k < 64; k++) {
		csv_field(csv, k, f, sizeof(f));
		if (strcmp(f, name) == 0)
			return k;
	}
	return -1;
}

/* The summary.csv row of point and metric (a pointer to its line). */
static const char *csv_row(const char *csv, int point, const char *metric)
{
	int cm = csv_col(csv, "metric");
	const char *p;
	char f[128];

	cr_assert_geq(cm, 0, "summary.csv has no metric column");
	for (p = strchr(csv, '\n'); p && p[1]; p = strchr(p, '\n')) {
		p++;
		csv_field(p, cm, f, sizeof(f));
		if (atoi(p) == point && strcmp(f, metric) == 0)
			return p;
	}
	cr_assert_fail("summary.csv: no %s for point %d", metric, point);
	return NULL;
}

/* Column col of point's metric row as a number; "" (no value) is NaN. */
static double csv_num(const char *csv, int point, const char *metric,
		      const char *col)
{
	char f[128];

	csv_field(csv_row(csv, point, metric), csv_col(csv, col), f,
		  sizeof(f));
	return f[0] ? strtod(f, NULL) : (double)NAN;
}

/* got (a .dat number, 10 significant digits) is want (summary.csv). */
static void expect_same(double got, double want, const char *what, int pt)
{
	if (isnan(want)) {
		cr_expect(isnan(got), "point %d %s: %g, want NaN", pt, what,
			  got);
		return;
	}
	cr_expect(fabs(got - want) <= 1e-8 * fmax(1.0, fabs(want)),
		  "point %d %s: %.10g, want %.10g", pt, what, got, want);
}

/* The next data line of a .dat text from *p (skips comments and blank
 * lines); NULL at the end. */
static const char *dat_next(const char **p)
{
	const char *line;

	while (**p == '#' || **p == '\n')
		*p = strchr(*p, '\n') ? strchr(*p, '\n') + 1 : *p + strlen(*p);
	if (!**p)
		return NULL;
	line = *p;
	*p = strchr(line, '\n') ? strchr(line, '\n') + 1 : line + strlen(line);
	return line;
}

/* The length of the time_s field of the line at p. */
static size_t time_len(const char *p)
{
	return strcspn(p, ",\n");
}

/* DIR/plots/timeline_steps.csv is DIR/timeline.csv without the rows that
 * last no time: of the rows sharing a time_s, only the last is kept
 * (the state that holds after that instant), each kept row byte for
 * byte; then at most one row: the last state again at until_s
 * (summary.json), where a step plot must end. */
static void check_timeline_steps(const char *dir)
{
	char *tl = read_in(dir, "timeline.csv");
	char *st = read_in(dir, "plots/timeline_steps.csv");
	char *sum = read_in(dir, "summary.json");
	cJSON *j = cJSON_Parse(sum);
	const char *p = tl, *q = st, *next, *last = NULL;
	size_t n;

	cr_assert_not_null(j);
	n = (size_t)(strchr(tl, '\n') - tl) + 1;      /* the header */
	cr_assert(strncmp(st, tl, n) == 0, "headers differ");
	for (p = tl + n, q = st + n; *p; p = next) {
		next = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p);
		if (*next && time_len(next) == time_len(p) &&
		    strncmp(next, p, time_len(p)) == 0)
			continue;          /* not the last row of its instant */
		cr_assert(strncmp(q, p, (size_t)(next - p)) == 0,
			  "timeline_steps.csv: %.40s, want %.40s", q, p);
		q += next - p;
		last = p;
	}
	cr_assert_not_null(last);
	if (*q) {
		cr_expect_eq(strtod(q, NULL), cli_json_number(j, "until_s"),
			     "extra row at %.20s", q);
		cr_expect_str_eq(strchr(q, ','), strchr(last, ','));
		q = strchr(q, '\n') + 1;
	}
	cr_expect_eq(*q, '\0', "more rows than expected: %.40s", q);
	cJSON_Delete(j);
	free(sum);
	free(st);
	free(tl);
}

/* heatmap.dat of a 2 x 2 grid: per cell, ix iy mean ci95 n status, from
 * summary.csv's rollout.duration_s of the point whose maxSurge is
 * xs[ix] and maxUnavailable ys[iy]; every cell once. */
static void check_heatmap_dat(const char *dir, const char *const *xs,
			      const char *const *ys)
{
	char *csv = read_in(dir, "summary.csv");
	char *dat = read_in(dir, "plots/heatmap.dat");
	const char *p = dat, *line;
	int cx = csv_col(csv, "deployment.strategy.rollingUpdate.maxSurge");
	int cy = csv_col(csv,
			 "deployment.strategy.rollingUpdate.maxUnavailable");
	int seen = 0, ix, iy, n, status, pt;
	double mean, ci;
	char vx[64], vy[64];

	cr_assert(cx >= 0 && cy >= 0, "summary.csv lacks the vary columns");
	while ((line = dat_next(&p))) {
		cr_assert_eq(sscanf(line, "%d %d %lf %lf %d %d", &ix, &iy,
				    &mean, &ci, &n, &status), 6, "%.60s",
			     line);
		cr_assert(ix >= 0 && ix < 2 && iy >= 0 && iy < 2);
		for (pt = 0; pt < 4; pt++) {
			const char *row = csv_row(csv, pt,
						  "rollout.duration_s");

			csv_field(row, cx, vx, sizeof(vx));
			csv_field(row, cy, vy, sizeof(vy));
			if (!strcmp(vx, xs[ix]) && !strcmp(vy, ys[iy]))
				break;
		}
		cr_assert_lt(pt, 4, "no point for cell %d %d", ix, iy);
		expect_same(mean, csv_num(csv, pt, "rollout.duration_s",
					  "mean"), "duration mean", pt);
		expect_same(ci, csv_num(csv, pt, "rollout.duration_s", "ci95"),
			    "duration ci95", pt);
		expect_same(n, csv_num(csv, pt, "rollout.duration_s", "n"),
			    "n", pt);
		cr_expect_eq(status, 1, "point %d: status %d", pt, status);
		seen |= 1 << (ix * 2 + iy);
	}
	cr_expect_eq(seen, 15, "cells seen: %#x", seen);
	free(dat);
	free(csv);
}

/* tradeoff.dat: point dur_mean dur_ci95 fail_mean fail_ci95 of every one
 * of the n_points (after a -1 NaN row opening each block), from
 * summary.csv's rollout.duration_s and requests.failed. */
static void check_tradeoff_dat(const char *dir, int n_points)
{
	char *csv = read_in(dir, "summary.csv");
	char *dat = read_in(dir, "plots/tradeoff.dat");
	const char *p = dat, *line;
	int pt, seen = 0;
	double d, dc, f, fc;

	while ((line = dat_next(&p))) {
		cr_assert_eq(sscanf(line, "%d %lf %lf %lf %lf", &pt, &d, &dc,
				    &f, &fc), 5, "%.60s", line);
		if (pt < 0)
			continue;
		cr_assert_lt(pt, n_points);
		expect_same(d, csv_num(csv, pt, "rollout.duration_s", "mean"),
			    "duration mean", pt);
		expect_same(dc, csv_num(csv, pt, "rollout.duration_s", "ci95"),
			    "duration ci95", pt);
		expect_same(f, csv_num(csv, pt, "requests.failed", "mean"),
			    "failed mean", pt);
		expect_same(fc, csv_num(csv, pt, "requests.failed", "ci95"),
			    "failed ci95", pt);
		seen++;
	}
	cr_expect_eq(seen, n_points);
	free(dat);
	free(csv);
}

/* variants.dat without vary: variant v's bar at x = v, width 0.7, its
 * means and half-widths from summary.csv, status 1 (a mean) or 2 (no run
 * completed: n = 0), n the runs that completed. */
static void check_variants_dat(const char *dir, int n_variants)
{
	char *csv = read_in(dir, "summary.csv");
	char *dat = read_in(dir, "plots/variants.dat");
	const char *p = dat, *line;
	double x, d, dc, f, fc, w, n_want;
	int status, n, seen = 0;

	while ((line = dat_next(&p))) {
		cr_assert_eq(sscanf(line, "%lf %lf %lf %lf %lf %lf %d %d", &x,
				    &d, &dc, &f, &fc, &w, &status, &n), 8,
			     "%.60s", line);
		cr_expect_float_eq(w, 0.7, 1e-12);
		if (status == 3)   /* the empty row opening a block */
			continue;
		cr_assert(x >= 0 && x < n_variants && x == (int)x);
		n_want = csv_num(csv, (int)x, "rollout.duration_s", "n");
		expect_same(d, csv_num(csv, (int)x, "rollout.duration_s",
				       "mean"), "duration mean", (int)x);
		expect_same(dc, csv_num(csv, (int)x, "rollout.duration_s",
					"ci95"), "duration ci95", (int)x);
		expect_same(f, csv_num(csv, (int)x, "requests.failed", "mean"),
			    "failed mean", (int)x);
		expect_same(fc, csv_num(csv, (int)x, "requests.failed",
					"ci95"), "failed ci95", (int)x);
		expect_same(n, n_want, "n", (int)x);
		cr_expect_eq(status, n_want > 0 ? 1 : 2, "variant %g", x);
		seen++;
	}
	cr_expect_eq(seen, n_variants);
	free(dat);
	free(csv);
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
	check_timeline_steps(dir);
	free(out);
	cli_rmrf(tmp);
	free(tmp);
}

/* maxSurge [1, "25%"] x maxUnavailable [0, 1], 3 replications: heatmap
 * and trade-off, no variant bars. */
Test(plot, sweep_grid)
{
	static const char *const surge[] = { "1", "25%" };
	static const char *const unavail[] = { "0", "1" };
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
	check_heatmap_dat(dir, surge, unavail);
	check_tradeoff_dat(dir, 4);
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
	check_variants_dat(dir, 2);
	check_tradeoff_dat(dir, 2);
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
