/* test_plot_strategy.c - `rollsim plot` of a run takes the Deployment's
 * strategy from summary.json (deployment.strategy): Recreate gets no
 * maxSurge/maxUnavailable bounds, RollingUpdate gets them. A stand-in
 * gnuplot on PATH records the variable definitions it is given (its -e
 * argument) and writes the image it is asked for, so the test needs no
 * real gnuplot. No loadable scenario tells the field from the resolved
 * numbers (Recreate resolves to maxSurge = maxUnavailable = 0, which
 * RollingUpdate never does: pkg/controller/deployment/util
 * ResolveFenceposts makes maxUnavailable 1 then), so summary.json is
 * edited to say what the numbers alone would not.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_util.h"

/* gnuplot -e DEFS SCRIPT: DEFS appended to LOG, the out='...' file made. */
static const char fake_gnuplot[] =
	"#!/bin/sh\n"
	"printf '%s\\n' \"$2\" >> \"$(dirname \"$0\")/defs.log\"\n"
	"out=$(printf '%s' \"$2\" | sed -n \"s/.*out='\\([^']*\\)'.*/\\1/p\")\n"
	"echo image > \"$out\"\n";

/* Runs flask-app (RollingUpdate, 5 replicas) into tmp/run and installs
 * the stand-in gnuplot in tmp/bin; ROLLSIM runs with it on PATH. */
static void setup_run(const char *tmp)
{
	const char *bin = getenv("ROLLSIM") ? getenv("ROLLSIM") : "./rollsim";
	char path[1200], args[1300], cwd[1024], cmd[3000];
	struct cli_result r;

	snprintf(args, sizeof(args),
		 "run scenarios/flask-app.json --out %s/run", tmp);
	cli_run(&r, args);
	cr_assert_eq(r.status, 0, "run exited %d: %s", r.status, r.err);
	cli_result_free(&r);
	snprintf(path, sizeof(path), "%s/bin", tmp);
	cr_assert_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/bin/gnuplot", tmp);
	cr_assert_eq(cli_write(path, fake_gnuplot), 0);
	cr_assert_eq(chmod(path, 0755), 0);
	cr_assert_not_null(getcwd(cwd, sizeof(cwd)));
	snprintf(cmd, sizeof(cmd), "env PATH=%s/bin:/usr/bin:/bin %s%s%s", tmp,
		 bin[0] == '/' ? "" : cwd, bin[0] == '/' ? "" : "/", bin);
	setenv("ROLLSIM", cmd, 1);           /* this test's process only */
}

/* Rewrites tmp/run/summary.json's deployment: strategy (NULL: removed),
 * max_surge and max_unavailable. */
static void edit_summary(const char *tmp, const char *strategy, double surge,
			 double unavail)
{
	char path[1200], *text, *out;
	cJSON *root, *d;

	snprintf(path, sizeof(path), "%s/run/summary.json", tmp);
	text = cli_slurp(path, NULL);
	root = text ? cJSON_Parse(text) : NULL;
	d = cJSON_GetObjectItemCaseSensitive(root, "deployment");
	cr_assert(cJSON_IsObject(d), "no deployment in %s", path);
	cJSON_DeleteItemFromObjectCaseSensitive(d, "strategy");
	if (strategy)
		cJSON_AddStringToObject(d, "strategy", strategy);
	cJSON_ReplaceItemInObject(d, "max_surge", cJSON_CreateNumber(surge));
	cJSON_ReplaceItemInObject(d, "max_unavailable",
				  cJSON_CreateNumber(unavail));
	out = cJSON_Print(root);
	cr_assert_eq(cli_write(path, out), 0);
	free(out);
	free(text);
	cJSON_Delete(root);
}

/* rollsim plot tmp/run; returns what the stand-in gnuplot was given. */
static char *plot_defs(const char *tmp)
{
	char args[1200], path[1200], *defs;
	struct cli_result r;

	snprintf(path, sizeof(path), "%s/bin/defs.log", tmp);
	unlink(path);
	snprintf(args, sizeof(args), "plot %s/run", tmp);
	cli_run(&r, args);
	cr_assert_eq(r.status, 0, "plot exited %d: %s", r.status, r.err);
	cli_result_free(&r);
	defs = cli_slurp(path, NULL);
	cr_assert_not_null(defs, "gnuplot was not run");
	return defs;
}

/* flask-app has 5 replicas; the bounds are 5 + maxSurge and
 * 5 - maxUnavailable. */
Test(plot_strategy, from_summary_json)
{
	char *tmp = cli_tmpdir(), *defs;

	setup_run(tmp);
	/* Recreate although the numbers look like a RollingUpdate's */
	edit_summary(tmp, "Recreate", 1, 1);
	defs = plot_defs(tmp);
	cr_assert_not_null(strstr(defs, "strategy='Recreate'"), "%s", defs);
	cr_assert_null(strstr(defs, "surge_bound="), "%s", defs);
	free(defs);
	/* RollingUpdate although the numbers look like Recreate's */
	edit_summary(tmp, "RollingUpdate", 0, 0);
	defs = plot_defs(tmp);
	cr_assert_null(strstr(defs, "strategy='Recreate'"), "%s", defs);
	cr_assert_not_null(strstr(defs, "surge_bound=5;"), "%s", defs);
	cr_assert_not_null(strstr(defs, "avail_bound=5;"), "%s", defs);
	free(defs);
	/* a RollingUpdate's numbers: bounds 6 and 4 */
	edit_summary(tmp, "RollingUpdate", 1, 1);
	defs = plot_defs(tmp);
	cr_assert_not_null(strstr(defs, "surge_bound=6;"), "%s", defs);
	cr_assert_not_null(strstr(defs, "avail_bound=4;"), "%s", defs);
	free(defs);
	cli_rmrf(tmp);
	free(tmp);
}

/* A summary.json without deployment.strategy (written before it had
 * one): Recreate is still known by maxSurge = maxUnavailable = 0. */
Test(plot_strategy, without_the_key)
{
	char *tmp = cli_tmpdir(), *defs;

	setup_run(tmp);
	edit_summary(tmp, NULL, 0, 0);
	defs = plot_defs(tmp);
	cr_assert_not_null(strstr(defs, "strategy='Recreate'"), "%s", defs);
	cr_assert_null(strstr(defs, "surge_bound="), "%s", defs);
	free(defs);
	edit_summary(tmp, NULL, 1, 1);
	defs = plot_defs(tmp);
	cr_assert_not_null(strstr(defs, "surge_bound=6;"), "%s", defs);
	free(defs);
	cli_rmrf(tmp);
	free(tmp);
}
