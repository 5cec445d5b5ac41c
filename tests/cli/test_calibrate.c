/* test_calibrate.c - rollsim calibrate on the generated fixtures
 * (tests/calib/gen.py): the generating laws are recovered within 4
 * asymptotic standard errors, and each bad input gives its one-line
 * message, exit 2 and no output file.
 *
 * Generating laws (n = 200): pull lognormal median 3 s sigma 0.4 (event
 * durations in ms); containerStart gamma mean 4 s shape 8 (from 1-s
 * timestamps: the rounding adds a triangular error of variance 1/6 s^2,
 * which lowers the shape estimate to about 16 / (2 + 1/6) = 7.4, inside
 * the tolerance); startup Weibull scale 20 s shape 2.5.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <gsl/gsl_sf_psi.h>

#include "tests/cli/cli_util.h"

#define FX "tests/calib/fixtures/"
#define IMAGE "registry.example/web:1.4.2"

/* The fit of family in the report of field. */
static const cJSON *fit_of(const cJSON *rep, const char *field,
			   const char *family)
{
	const cJSON *img = cJSON_GetObjectItem(cJSON_GetObjectItem(rep,
		"images"), IMAGE);
	const cJSON *fits = cJSON_GetObjectItem(cJSON_GetObjectItem(img,
		field), "fits"), *f;

	cJSON_ArrayForEach(f, fits)
		if (strcmp(cJSON_GetObjectItem(f, "family")->valuestring,
			   family) == 0)
			return f;
	cr_assert_fail("no %s fit of %s", family, field);
	return NULL;
}

static double num(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItem(o, k);

	cr_assert(cJSON_IsNumber(v), "no %s", k);
	return v->valuedouble;
}

Test(calibrate, recovers_the_generating_laws)
{
	struct cli_result r;
	char *dir = cli_tmpdir(), args[512], path[300];
	cJSON *rep, *img;
	const cJSON *f;
	double n = 200, k;
	char *text;

	snprintf(path, sizeof(path), "%s/images.json", dir);
	snprintf(args, sizeof(args), "calibrate " FX "pods.json " FX
		 "events.json " FX "deploy.json --out %s --json", path);
	cli_run(&r, args);
	cr_assert_eq(r.status, 0, "%s", r.err);
	rep = cJSON_Parse(r.out);
	cr_assert(rep);
	f = fit_of(rep, "pull", "lognormal");
	cr_assert(fabs(log(num(f, "median") / 3)) < 4 * 0.4 / sqrt(n));
	cr_assert(fabs(num(f, "sigma") - 0.4) < 4 * 0.4 / sqrt(2 * n));
	f = fit_of(rep, "containerStart", "gamma");
	k = 8;
	cr_assert(fabs(num(f, "shape") - k) <
		  4 * sqrt(k / (n * (k * gsl_sf_psi_1(k) - 1))));
	cr_assert(fabs(num(f, "mean") - 4) < 4 * 4 / sqrt(k * n));
	f = fit_of(rep, "startup", "weibull");
	cr_assert(fabs(num(f, "shape") - 2.5) < 4 * 0.78 * 2.5 / sqrt(n));
	cr_assert(fabs(num(f, "scale") - 20) < 4 * 1.053 * 20 /
		  (2.5 * sqrt(n)));
	cJSON_Delete(rep);
	/* the file is an images section a scenario takes as it is */
	text = cli_slurp(path, NULL);
	img = cJSON_Parse(text);
	free(text);
	cr_assert(cJSON_GetObjectItem(cJSON_GetObjectItem(img, "images"),
				      IMAGE));
	cJSON_Delete(img);
	cli_result_free(&r);
	cli_rmrf(dir);
	free(dir);
}

static void expect_error(const char *files, const char *msg)
{
	struct cli_result r;
	char *dir = cli_tmpdir(), args[512], path[300];

	snprintf(path, sizeof(path), "%s/images.json", dir);
	snprintf(args, sizeof(args), "calibrate %s --out %s", files, path);
	cli_run(&r, args);
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert_str_eq(r.err, msg);
	cr_assert_eq(access(path, F_OK), -1, "%s was written", path);
	cli_result_free(&r);
	cli_rmrf(dir);
	free(dir);
}

Test(calibrate, errors_name_the_pod_and_field)
{
	expect_error(FX "out-of-order.json", FX "out-of-order.json: items[2]: "
		     "Ready (10:00:03) before startedAt (10:00:05) (pod "
		     "web-7d9c6b5f4-pdkmm)\n");
	expect_error(FX "two-templates.json", FX "two-templates.json: "
		     "items[4].metadata.labels: image " IMAGE " comes from "
		     "two pod templates: pod-template-hash 7d9c6b5f4 (pod "
		     "web-7d9c6b5f4-jbv6c) and 5f6b8c9d7 (pod "
		     "web-7d9c6b5f4-qvbgl); dump one ReplicaSet's pods (-l "
		     "pod-template-hash=...)\n");
	expect_error(FX "few.json", FX "few.json: image " IMAGE ": "
		     "containerStart: 3 samples, need at least 5\n");
	expect_error(FX "events.json", FX "events.json: kind: expected a List "
		     "of Pods among the files (kubectl get pods -l app=X -o "
		     "json)\n");
	expect_error(FX "pods.json " FX "deploy.json " FX "pods.json",
		     FX "pods.json: kind: a second pod list (the first is "
		     FX "pods.json)\n");
}

/* A pod that is not Ready, being deleted, not running or restarted is
 * no sample of a start: it is left out and named; what is left must
 * still be enough. */
Test(calibrate, pods_that_give_no_sample_are_skipped)
{
	struct cli_result r;
	char *dir = cli_tmpdir(), args[700], path[300], *text;
	cJSON *doc, *items;

	snprintf(path, sizeof(path), "%s/images.json", dir);
	snprintf(args, sizeof(args), "calibrate " FX "no-ready.json --out %s",
		 path);
	cli_run(&r, args);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "5 pods from " FX "no-ready.json"), "%s",
		  r.out);
	cr_assert(strstr(r.out, "skipped 1 pod (no sample of a start): "
			 "web-7d9c6b5f4-ct9dx (not Ready)\n"), "%s", r.out);
	cr_assert(strstr(r.out, "containerStart: n=5"), "%s", r.out);
	cli_result_free(&r);

	/* two more out: terminating, restarted; 3 samples are too few */
	text = cli_slurp(FX "no-ready.json", NULL);
	doc = cJSON_Parse(text);
	free(text);
	items = cJSON_GetObjectItem(doc, "items");
	cJSON_AddStringToObject(cJSON_GetObjectItem(cJSON_GetArrayItem(items,
		0), "metadata"), "deletionTimestamp", "2026-12-04T11:00:00Z");
	cJSON_ReplaceItemInObject(cJSON_GetArrayItem(cJSON_GetObjectItem(
		cJSON_GetObjectItem(cJSON_GetArrayItem(items, 1), "status"),
		"containerStatuses"), 0), "restartCount",
		cJSON_CreateNumber(2));
	text = cJSON_Print(doc);
	snprintf(path, sizeof(path), "%s/pods.json", dir);
	cr_assert_eq(cli_write(path, text), 0);
	free(text);
	cJSON_Delete(doc);
	snprintf(args, sizeof(args), "calibrate %s --out %s/images.json",
		 path, dir);
	cli_run(&r, args);
	cr_assert_eq(r.status, 2, "%s", r.out);
	cr_assert(strstr(r.err, "containerStart: 3 samples, need at least 5"),
		  "%s", r.err);
	cli_result_free(&r);
	cli_run(&r, "calibrate tests/calib/fixtures/pods.json --json");
	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "\"skipped\":\t[]"), "%s", r.out);
	cli_result_free(&r);
	cli_rmrf(dir);
	free(dir);
}

Test(calibrate, malformed_json_gives_line_and_column)
{
	struct cli_result r;
	char *dir = cli_tmpdir(), bad[300], args[700];

	snprintf(bad, sizeof(bad), "%s/pods.json", dir);
	cr_assert_eq(cli_write(bad, "{\"kind\": \"List\",\n \"items\": ["), 0);
	snprintf(args, sizeof(args), "calibrate %s --out %s/o.json", bad,
		 dir);
	cli_run(&r, args);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "pods.json: malformed JSON at line 2, column"),
		  "%s", r.err);
	snprintf(bad, sizeof(bad), "%s/o.json", dir);
	cr_assert_eq(access(bad, F_OK), -1);
	cli_result_free(&r);
	cli_rmrf(dir);
	free(dir);
}
