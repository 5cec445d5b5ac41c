/* test_apply.c - rollsim apply CURRENT.yaml NEW.yaml.
 *
 * What is checked, and why it is right:
 * - an image change is what `kubectl set image` does, so the run equals
 *   (byte for byte) the scenario over CURRENT with a setImage event at
 *   the same moment;
 * - the change waits for CURRENT to be settled: at the trigger every
 *   replica is available and nothing else runs (timeline.csv);
 * - kubectl apply semantics: a field NEW leaves out returns to its default
 *   (spec.replicas to 1, a probe to none); replicas or strategy alone are
 *   no rollout (no new ReplicaSet); the same manifest is "unchanged";
 * - bad input (another Deployment, a renamed container, a bad images
 *   file, a Deployment that never settles) is one line, exit 2, no files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <criterion/criterion.h>

#include "tests/cli/cli_util.h"

static const char base_yaml[] =
	"apiVersion: apps/v1\n"
	"kind: Deployment\n"
	"metadata:\n"
	"  name: web\n"
	"spec:\n"
	"%s"                                      /* replicas line */
	"  strategy:\n"
	"    rollingUpdate:\n"
	"      maxSurge: %s\n"
	"  selector:\n"
	"    matchLabels: {app: web}\n"
	"  template:\n"
	"    metadata:\n"
	"      labels: {app: web}\n"
	"    spec:\n"
	"      containers:\n"
	"        - name: %s\n"
	"          image: %s\n"
	"%s";                                     /* probe */

static const char probe_yaml[] =
	"          readinessProbe:\n"
	"            httpGet: {path: /ready, port: 8080}\n"
	"            periodSeconds: %d\n";

struct mf {
	const char *replicas;   /* "  replicas: 5\n" or "" */
	const char *surge;
	const char *container;
	const char *image;
	int period;             /* readiness period, 0: no probe */
};

static const struct mf cur_mf = { "  replicas: 6\n", "25%", "app",
				  "web:1.0", 2 };

static void write_mf(const char *dir, const char *name, const struct mf *m)
{
	char path[512], probe[256] = "", text[2048];

	if (m->period)
		snprintf(probe, sizeof(probe), probe_yaml, m->period);
	snprintf(text, sizeof(text), base_yaml, m->replicas, m->surge,
		 m->container, m->image, probe);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	cr_assert_eq(cli_write(path, text), 0);
}

static const char images_json[] =
	"{ \"images\": { \"web:1.0\": { \"pull\": \"2s\","
	" \"containerStart\": \"1s\","
	" \"startup\": { \"dist\": \"lognormal\", \"median\": \"20s\","
	" \"sigma\": 0.3 } } } }\n";

/* rollsim apply DIR/cur.yaml DIR/new.yaml EXTRA */
static void apply(struct cli_result *r, const char *dir, const char *extra)
{
	char args[1024];

	snprintf(args, sizeof(args), "apply %s/cur.yaml %s/new.yaml %s", dir,
		 dir, extra);
	cli_run(r, args);
}

static cJSON *summary(const char *dir)
{
	char path[512], *text;
	cJSON *j;

	snprintf(path, sizeof(path), "%s/summary.json", dir);
	text = cli_slurp(path, NULL);
	cr_assert(text, "no %s", path);
	j = cJSON_Parse(text);
	free(text);
	cr_assert(j);
	return j;
}

static int n_rollouts(const cJSON *sum)
{
	return cJSON_GetArraySize(cJSON_GetObjectItem(sum, "rollouts"));
}

static int exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

Test(apply, image_change_is_set_image_at_the_settled_moment)
{
	struct cli_result r;
	struct mf nw = cur_mf;
	char *dir = cli_tmpdir(), args[1024], path[512], *a, *b;
	long na, nb;

	nw.image = "web:2.0";
	write_mf(dir, "cur.yaml", &cur_mf);
	write_mf(dir, "new.yaml", &nw);
	snprintf(path, sizeof(path), "%s/images.json", dir);
	cr_assert_eq(cli_write(path, images_json), 0);
	snprintf(args, sizeof(args), "--images %s/images.json --out %s/a",
		 dir, dir);
	apply(&r, dir, args);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.err, "deployment.apps/web configured\n"), "%s",
		  r.err);
	cr_assert(strstr(r.err, "  spec.template.spec.containers[0].image: "
			 "web:1.0 -> web:2.0\n"), "%s", r.err);
	cr_assert(strstr(r.err, "web:2.0 is not in the images file: it takes "
			 "the timings of web:1.0"), "%s", r.err);
	cr_assert(strstr(r.err, "a rollout (the pod template changed), "
			 "applied at 60s"), "%s", r.err);
	cli_result_free(&r);

	/* the same as setImage at 60 s, until 60 s + 15 min */
	snprintf(path, sizeof(path), "%s/equiv.json", dir);
	cr_assert_eq(cli_write(path,
		"{ \"name\": \"web\", \"until\": \"16m\","
		" \"deployment\": { \"manifest\": \"cur.yaml\" },"
		" \"images\": { \"web:1.0\": { \"pull\": \"2s\","
		" \"containerStart\": \"1s\", \"startup\": { \"dist\":"
		" \"lognormal\", \"median\": \"20s\", \"sigma\": 0.3 } },"
		" \"web:2.0\": { \"pull\": \"2s\", \"containerStart\": \"1s\","
		" \"startup\": { \"dist\": \"lognormal\", \"median\": \"20s\","
		" \"sigma\": 0.3 } } },"
		" \"events\": [ { \"at\": \"60s\", \"action\": \"setImage\","
		" \"image\": \"web:2.0\" } ] }\n"), 0);
	snprintf(args, sizeof(args), "run %s --out %s/b", path, dir);
	cli_run(&r, args);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);
	snprintf(path, sizeof(path), "%s/a/summary.json", dir);
	a = cli_slurp(path, &na);
	snprintf(path, sizeof(path), "%s/b/summary.json", dir);
	b = cli_slurp(path, &nb);
	cr_assert(a && b);
	cr_assert(na == nb && memcmp(a, b, (size_t)na) == 0,
		  "apply:\n%s\nrun:\n%s", a, b);
	free(a);
	free(b);
	cli_rmrf(dir);
	free(dir);
}

/* Pods start in about 23 s (2 + 1 + lognormal 20 s): the change waits
 * for all of them, at a whole 10 s, and finds every replica available,
 * none terminating or pending. */
Test(apply, waits_until_current_is_settled)
{
	struct cli_result r;
	struct mf cur = cur_mf, nw;
	char *dir = cli_tmpdir(), args[1024], path[512], *csv, *line;
	double trig;
	cJSON *sum;
	int checked = 0, last_ok = 0;

	cur.replicas = "  replicas: 30\n";
	nw = cur;
	nw.image = "web:2.0";
	write_mf(dir, "cur.yaml", &cur);
	write_mf(dir, "new.yaml", &nw);
	snprintf(path, sizeof(path), "%s/images.json", dir);
	cr_assert_eq(cli_write(path,
		"{ \"images\": { \"web:1.0\": { \"startup\": \"90s\" } } }\n"),
		0);
	snprintf(args, sizeof(args), "--images %s/images.json --out %s/o",
		 dir, dir);
	apply(&r, dir, args);
	cr_assert_eq(r.status, 0, "%s", r.err);
	sum = summary(strcat(strcpy(path, dir), "/o"));
	trig = cli_json_number(sum, "rollout.triggered_s");
	/* Ready at 90 s + up to one probe period (2 s): 100 s */
	cr_assert_eq(trig, 100.0, "%s", r.err);
	cr_assert_eq(cli_json_number(sum, "until_s"), 100.0 + 900.0);
	cr_assert_eq(n_rollouts(sum), 1);
	cJSON_Delete(sum);
	snprintf(path, sizeof(path), "%s/o/timeline.csv", dir);
	csv = cli_slurp(path, NULL);
	cr_assert(csv);
	/* the last row before the trigger: settled */
	for (line = strchr(csv, '\n'); line && line[1]; line = strchr(line +
								1, '\n')) {
		double t;
		int rev, old, nwp, o_r, n_r, avail, term, pend, ep;

		if (sscanf(line + 1, "%lf,%d,%d,%d,%d,%d,%d,%d,%d,%d", &t, &rev,
			   &old, &nwp, &o_r, &n_r, &avail, &term, &pend,
			   &ep) != 10 || t >= trig)
			continue;
		/* every row from the last Ready on (90 s + a period) */
		if (t < 90.0)
			continue;
		checked++;
		cr_assert(t <= 92.0 || (avail == 30 && term == 0 &&
					pend == 0 && ep == 30 && nwp == 30),
			  "not settled at %g: %s", t, line + 1);
		last_ok = avail == 30 && term == 0 && pend == 0 && ep == 30;
	}
	cr_assert(checked && last_ok, "the last row before %g s is not "
		  "settled", trig);
	free(csv);
	cli_result_free(&r);
	cli_rmrf(dir);
	free(dir);
}

/* kubectl apply removes what NEW no longer states: spec.replicas goes
 * to its default, 1, and a removed probe to none (a new template). */
Test(apply, a_field_left_out_returns_to_its_default)
{
	struct cli_result r;
	struct mf nw = cur_mf;
	char *dir = cli_tmpdir(), args[600];
	cJSON *sum;

	nw.replicas = "";
	nw.period = 0;
	write_mf(dir, "cur.yaml", &cur_mf);
	write_mf(dir, "new.yaml", &nw);
	snprintf(args, sizeof(args), "--out %s/o", dir);
	apply(&r, dir, args);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.err, "  spec.replicas: 6 -> 1\n"), "%s", r.err);
	cr_assert(strstr(r.err, "  spec.template.spec.containers[0]."
			 "readinessProbe: delay 0s period 2s timeout 1s "
			 "success 1 failure 3 -> none\n"), "%s", r.err);
	cr_assert(strstr(r.err, "a rollout"), "%s", r.err);
	sum = summary(strcat(strcpy(args, dir), "/o"));
	cr_assert_eq(n_rollouts(sum), 1);
	cr_assert_eq(cli_json_number(sum, "deployment.replicas"), 1.0);
	cJSON_Delete(sum);
	cli_result_free(&r);
	cli_rmrf(dir);
	free(dir);
}

Test(apply, replicas_alone_scale_without_a_rollout)
{
	struct cli_result r;
	struct mf nw = cur_mf;
	char *dir = cli_tmpdir(), args[600];
	cJSON *sum;

	nw.replicas = "  replicas: 9\n";
	write_mf(dir, "cur.yaml", &cur_mf);
	write_mf(dir, "new.yaml", &nw);
	snprintf(args, sizeof(args), "--out %s/o", dir);
	apply(&r, dir, args);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.err, "  spec.replicas: 6 -> 9\n"), "%s", r.err);
	cr_assert(strstr(r.err, "not a rollout (the pod template is "
			 "unchanged): the Deployment scales from 6 to 9 "
			 "replicas at 60s"), "%s", r.err);
	sum = summary(strcat(strcpy(args, dir), "/o"));
	cr_assert_eq(n_rollouts(sum), 0);
	cr_assert_eq(cli_json_number(sum, "pods.created"), 9.0);
	cr_assert_eq(cli_json_number(sum, "deployment.replicas"), 9.0);
	cJSON_Delete(sum);
	cli_result_free(&r);
	cli_rmrf(dir);
	free(dir);
}

Test(apply, strategy_alone_is_no_rollout)
{
	struct cli_result r;
	struct mf nw = cur_mf;
	char *dir = cli_tmpdir();

	nw.surge = "3";
	write_mf(dir, "cur.yaml", &cur_mf);
	write_mf(dir, "new.yaml", &nw);
	apply(&r, dir, "--json");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.err, "  spec.strategy.rollingUpdate.maxSurge: "
			 "25% -> 3\n"), "%s", r.err);
	cr_assert(strstr(r.err, "not a rollout (the pod template is "
			 "unchanged): the spec changes at 60s"), "%s", r.err);
	cr_assert(strstr(r.out, "\"rollouts\":\t[]"), "%s", r.out);
	cli_result_free(&r);
	cli_rmrf(dir);
	free(dir);
}

Test(apply, the_same_manifest_is_unchanged)
{
	struct cli_result r;
	char *dir = cli_tmpdir();

	write_mf(dir, "cur.yaml", &cur_mf);
	write_mf(dir, "new.yaml", &cur_mf);
	apply(&r, dir, "--json");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strncmp(r.err, "deployment.apps/web unchanged\nrollsim: "
			  "nothing changes", 40) == 0, "%s", r.err);
	cli_result_free(&r);
	cli_rmrf(dir);
	free(dir);
}

/* A multi-document file and a kind: List hold the Deployment too. */
Test(apply, list_and_documents)
{
	struct cli_result r;
	char *dir = cli_tmpdir(), path[512];

	snprintf(path, sizeof(path), "%s/cur.yaml", dir);
	cr_assert_eq(cli_write(path,
		"apiVersion: v1\nkind: Service\nmetadata: {name: web}\n---\n"
		"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
		"spec:\n  replicas: 3\n  template:\n    spec:\n"
		"      containers: [{name: app, image: web:1.0}]\n"), 0);
	snprintf(path, sizeof(path), "%s/new.yaml", dir);
	cr_assert_eq(cli_write(path,
		"apiVersion: v1\nkind: List\nitems:\n"
		"  - apiVersion: apps/v1\n    kind: Deployment\n"
		"    metadata: {name: web}\n    spec:\n      replicas: 3\n"
		"      template:\n        spec:\n          containers:\n"
		"            - {name: app, image: web:1.1}\n"), 0);
	apply(&r, dir, "--json");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.err, "image: web:1.0 -> web:1.1"), "%s", r.err);
	cr_assert(strstr(r.out, "\"revision\":\t2"), "%s", r.out);
	cli_result_free(&r);
	cli_rmrf(dir);
	free(dir);
}

static void expect_refused(const char *dir, const char *extra,
			   const char *msg)
{
	struct cli_result r;
	char args[1024], out[512];

	snprintf(out, sizeof(out), "%s/o", dir);
	snprintf(args, sizeof(args), "--out %s %s", out, extra);
	apply(&r, dir, args);
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert(strstr(r.err, msg), "expected \"%s\" in: %s", msg, r.err);
	cr_assert(strchr(r.err, '\n') == r.err + strlen(r.err) - 1,
		  "not one line: %s", r.err);
	cr_assert_str_empty(r.out);
	cr_assert(!exists(out), "%s written", out);
	cli_result_free(&r);
}

Test(apply, bad_input_is_one_line_and_no_files)
{
	struct mf nw = cur_mf;
	char *dir = cli_tmpdir(), path[512], extra[600];

	write_mf(dir, "cur.yaml", &cur_mf);
	nw.image = "web:2.0";
	nw.container = "server";
	write_mf(dir, "new.yaml", &nw);
	expect_refused(dir, "", "new.yaml: spec.template.spec.containers[0]."
		       "name: expected \"app\" as in ");

	snprintf(path, sizeof(path), "%s/new.yaml", dir);
	cr_assert_eq(cli_write(path, "apiVersion: apps/v1\nkind: Deployment\n"
			       "metadata: {name: api}\nspec:\n  template:\n"
			       "    spec:\n      containers: [{image: a:1}]\n"),
		     0);
	expect_refused(dir, "", "new.yaml: metadata.name: expected \"web\", "
		       "the Deployment of ");

	write_mf(dir, "new.yaml", &cur_mf);
	snprintf(path, sizeof(path), "%s/images.json", dir);
	cr_assert_eq(cli_write(path, "[1, 2]\n"), 0);
	snprintf(extra, sizeof(extra), "--images %s", path);
	expect_refused(dir, extra, "images.json: expected an object with an "
		       "\"images\" object");
	cr_assert_eq(cli_write(path, "{\"images\": {\"web:1.0\": "
			       "{\"startup\": \"five\"}}}\n"), 0);
	expect_refused(dir, extra, "images.json: images[\"web:1.0\"]."
		       "startup: ");
	cr_assert_eq(cli_write(path, "{\"images\": {\"web:1.0\": "
			       "{\"startup\": \"2h\"}}}\n"), 0);
	expect_refused(dir, extra, "cur.yaml: the Deployment's 6 pods were "
		       "not all available by 3600s");
	cli_rmrf(dir);
	free(dir);
}

Test(apply, usage)
{
	struct cli_result r;

	cli_run(&r, "apply scenarios/manifests/flask-app.yaml");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "missing NEW.yaml"), "%s", r.err);
	cli_result_free(&r);
	cli_run(&r, "apply scenarios/manifests/flask-app.yaml /nonexistent.yaml");
	cr_assert_eq(r.status, 2);
	cr_assert_str_eq(r.err, "/nonexistent.yaml: cannot read: No such file "
			 "or directory\n");
	cli_result_free(&r);
	cli_run(&r, "help apply");
	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "usage: rollsim apply CURRENT.yaml NEW.yaml"),
		  "%s", r.out);
	cr_assert(strstr(r.out, "--images FILE"), "%s", r.out);
	cli_result_free(&r);
}
