/* test_manifest.c - "deployment": { "manifest": ... } (sim/scenario/manifest.c,
 * sim/scenario/scenario_manifest.c).
 *
 * The seed walk-through's Deployment YAML gives its 5 replicas and the
 * default strategy; a manifest with every field read (tests/manifests/
 * full.yaml) loads exactly, and so does the same Deployment in JSON (a
 * List, as kubectl get -o json prints it); keys next to "manifest"
 * override it. Tables: preStop exec commands (a sleep or ignored), YAML
 * typing and structure (aliases, merge keys, nulls, Lists), and a
 * catalogue of broken manifests with the exact error line (lines counted
 * in the rows, one row line per YAML line). Inline manifests are written
 * to a temporary directory (@ in expected lines). Every truncation of
 * full.yaml must load or fail cleanly (run under ASan+UBSan).
 * JSON scenarios are written with ' for ".
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "models/deployment.h"
#include "sim/scenario/scenario.h"
#include "pod_rec.h"

#define SEC INT64_C(1000000000)
#define MS INT64_C(1000000)
#define MI (INT64_C(1) << 20)
#define FIXTURES "tests/manifests/"

/* A temporary directory for inline manifests. */
struct tmpdir {
	char path[64];
};

static void tmpdir_make(struct tmpdir *t)
{
	snprintf(t->path, sizeof(t->path), "/tmp/rollsim-manifest-XXXXXX");
	cr_assert_not_null(mkdtemp(t->path));
}

static void tmpdir_write(const struct tmpdir *t, const char *name,
			 const char *text, size_t len)
{
	char p[128];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", t->path, name);
	f = fopen(p, "wb");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(text, 1, len, f), len);
	cr_assert_eq(fclose(f), 0);
}

static void tmpdir_remove(const struct tmpdir *t, const char *name)
{
	char p[128];

	snprintf(p, sizeof(p), "%s/%s", t->path, name);
	unlink(p);
}

/* s with every @ turned into dir and, when dq, every ' into "
 * (malloc'd). */
static char *expand(const char *s, const char *dir, int dq)
{
	size_t n = strlen(s), d = strlen(dir), i, k = 0;
	char *out = malloc(n * (d + 1) + 1);

	cr_assert_not_null(out);
	for (i = 0; i < n; i++) {
		if (s[i] == '@') {
			memcpy(out + k, dir, d);
			k += d;
		} else {
			out[k++] = dq && s[i] == '\'' ? '"' : s[i];
		}
	}
	out[k] = '\0';
	return out;
}

/* Loads the single-quoted scenario sq as if read from label; line gets
 * the error line or "". */
static int load_as(const char *label, const char *sq,
		   struct world_config *cfg, char *line, size_t n)
{
	struct rsim_error err = { 0 };
	char *text = expand(sq, "", 1);
	int rc = scenario_load_string(text, label, cfg, &err);

	free(text);
	line[0] = '\0';
	if (rc)
		rsim_error_format(&err, line, n);
	return rc;
}

/* A scenario with "manifest": name in dir t and extra deployment keys
 * (single-quoted, each with a leading comma, or ""). */
static int load_inline(const struct tmpdir *t, const char *name,
		       const char *extra, struct world_config *cfg,
		       char *line, size_t n)
{
	char label[128], sq[1024];

	snprintf(label, sizeof(label), "%s/s.json", t->path);
	snprintf(sq, sizeof(sq), "{ 'deployment': { 'manifest': '%s'%s } }",
		 name, extra);
	return load_as(label, sq, cfg, line, n);
}

static void expect_probe(const char *row, const struct probe_config *p,
			 sim_time_t delay, sim_time_t period,
			 sim_time_t timeout, int32_t succ, int32_t fail)
{
	cr_expect_eq(p->enabled, 1, "%s", row);
	cr_expect_eq(p->initial_delay_ns, delay, "%s: delay %lld", row,
		     (long long)p->initial_delay_ns);
	cr_expect_eq(p->period_ns, period, "%s: period %lld", row,
		     (long long)p->period_ns);
	cr_expect_eq(p->timeout_ns, timeout, "%s", row);
	cr_expect_eq(p->success_threshold, succ, "%s", row);
	cr_expect_eq(p->failure_threshold, fail, "%s", row);
}

/* (a) The seed walk-through: 5 replicas, no strategy in the manifest. */
Test(manifest, walkthrough_yaml_gives_replicas_and_default_strategy)
{
	struct rsim_error err = { 0 };
	struct world_config c;
	const struct deploy_config *d = &c.deployment;
	char line[1024];
	int rc = scenario_load_file(FIXTURES "walkthrough.json", &c, &err);

	rsim_error_format(&err, line, sizeof(line));
	cr_assert_eq(rc, 0, "%s", line);
	cr_expect_str_eq(d->name, "flask-app");
	cr_expect_str_eq(d->container, "app");
	cr_expect_eq(d->replicas, 5);
	cr_expect_eq(d->strategy, STRATEGY_ROLLING_UPDATE);
	cr_expect_eq(d->max_surge.is_percent, 1);
	cr_expect_eq(d->max_surge.value, 25);
	cr_expect_eq(d->max_unavailable.is_percent, 1);
	cr_expect_eq(d->max_unavailable.value, 25);
	/* Kubernetes: 25% of 5 is a surge of 2 (up), 1 unavailable (down) */
	cr_expect_eq(deploy_max_surge(d->strategy, d->replicas, d->max_surge,
				      d->max_unavailable), 2);
	cr_expect_eq(deploy_max_unavailable(d->strategy, d->replicas,
					    d->max_surge,
					    d->max_unavailable), 1);
	cr_expect_eq(d->progress_deadline_ns, 600 * SEC);
	cr_expect_eq(d->min_ready_ns, 0);
	cr_assert_eq(c.n_images, 2);
	cr_expect_eq(d->image, 0);
	cr_expect_str_eq(c.images[0].name, "flask-app:1.0");
	cr_expect_eq(c.images[0].startup.a_ns, 3 * SEC);
	cr_expect_eq(d->tmpl.mask, TMPL_READINESS);
	expect_probe("walkthrough", &d->tmpl.v.readiness, 2 * SEC, 5 * SEC,
		     1 * SEC, 1, 3);
	cr_assert_eq(c.n_events, 1);
	cr_expect_eq(c.events[0].image, 1);
	world_config_release(&c);
}

static void expect_full(const char *row, const struct world_config *c)
{
	const struct deploy_config *d = &c->deployment;
	const struct image_config *t = &d->tmpl.v;

	cr_expect_str_eq(d->name, "shop-api", "%s", row);
	cr_expect_str_eq(d->container, "api", "%s", row);
	cr_expect_eq(d->replicas, 7, "%s", row);
	cr_expect_eq(d->revision_history_limit, 4, "%s", row);
	cr_expect_eq(d->min_ready_ns, 5 * SEC, "%s", row);
	cr_expect_eq(d->progress_deadline_ns, 240 * SEC, "%s", row);
	cr_expect_eq(d->paused, 1, "%s", row);
	cr_expect_eq(d->strategy, STRATEGY_ROLLING_UPDATE, "%s", row);
	cr_expect_eq(d->max_surge.is_percent, 0, "%s", row);
	cr_expect_eq(d->max_surge.value, 2, "%s", row);
	cr_expect_eq(d->max_unavailable.is_percent, 1, "%s", row);
	cr_expect_eq(d->max_unavailable.value, 10, "%s", row);
	cr_expect_eq(d->tmpl.mask, TMPL_GRACE | TMPL_READINESS |
		     TMPL_LIVENESS | TMPL_STARTUP_PROBE | TMPL_PULL_POLICY |
		     TMPL_REQUESTS | TMPL_PRESTOP, "%s: mask %#x", row,
		     (unsigned)d->tmpl.mask);
	cr_expect_eq(t->grace_ns, 45 * SEC, "%s", row);
	expect_probe(row, &t->readiness, 3 * SEC, 4 * SEC, 2 * SEC, 2, 5);
	expect_probe(row, &t->liveness, 10 * SEC, 20 * SEC, 3 * SEC, 1, 4);
	expect_probe(row, &t->startup_probe, 0, 2 * SEC, 1 * SEC, 1, 30);
	cr_expect_eq(t->pull_policy, PULL_ALWAYS, "%s", row);
	cr_expect_eq(t->cpu_milli, 250, "%s", row);
	cr_expect_eq(t->memory_bytes, 256 * MI, "%s", row);
	cr_expect_eq(t->prestop_ns, 8 * SEC, "%s", row);
	/* not described in images: added with the defaults */
	cr_assert_eq(c->n_images, 1, "%s", row);
	cr_expect_eq(d->image, 0, "%s", row);
	cr_expect_str_eq(c->images[0].name,
			 "registry.example.com/shop/api:2.3.1", "%s", row);
	cr_expect_eq(c->images[0].startup.a_ns, 0, "%s", row);
	cr_expect_eq(c->images[0].readiness.enabled, 0, "%s", row);
}

/* (b) Every supported field, from YAML. */
Test(manifest, full_yaml_loads_every_field)
{
	struct world_config c;
	char line[1024];

	cr_assert_eq(load_as(FIXTURES "x.json",
			     "{ 'deployment': { 'manifest': 'full.yaml' } }",
			     &c, line, sizeof(line)), 0, "%s", line);
	expect_full("full.yaml", &c);
	world_config_release(&c);
}

/* (c) The same Deployment in JSON, inside a List. */
Test(manifest, full_json_loads_the_same_values)
{
	struct world_config c;
	char line[1024];

	cr_assert_eq(load_as(FIXTURES "x.json",
			     "{ 'deployment': { 'manifest': 'full.json' },"
			     "  'images': {} }", &c, line, sizeof(line)), 0,
		     "%s", line);
	expect_full("full.json", &c);
	world_config_release(&c);
}

/* (d) Keys next to "manifest" win: scalars, one strategy member (the
 * other stays), a whole probe (replaced, not merged), template keys a
 * manifest cannot give; an "image" key must be described. */
Test(manifest, scenario_keys_override_the_manifest)
{
	struct world_config c;
	const struct deploy_config *d = &c.deployment;
	const struct image_config *t = &d->tmpl.v;
	char line[1024];

	cr_assert_eq(load_as(FIXTURES "x.json",
			     "{ 'deployment': { 'manifest': 'full.yaml',"
			     "    'name': 'shop', 'replicas': 3,"
			     "    'paused': false, 'minReadySeconds': 0,"
			     "    'strategy': { 'rollingUpdate':"
			     "                  { 'maxUnavailable': 0 } },"
			     "    'image': 'api:1',"
			     "    'readinessProbe': { 'periodSeconds': 1 },"
			     "    'terminationGracePeriodSeconds': 60,"
			     "    'preStopSleep': '2500ms', 'startup': '4s',"
			     "    'container': 'shop' },"
			     "  'images': { 'api:1': { 'startup': '1s' } } }",
			     &c, line, sizeof(line)), 0, "%s", line);
	cr_expect_str_eq(d->name, "shop");
	cr_expect_str_eq(d->container, "shop");
	cr_expect_eq(d->replicas, 3);
	cr_expect_eq(d->paused, 0);
	cr_expect_eq(d->min_ready_ns, 0);
	cr_expect_eq(d->progress_deadline_ns, 240 * SEC);
	cr_expect_eq(d->revision_history_limit, 4);
	cr_expect_eq(d->max_surge.value, 2);
	cr_expect_eq(d->max_unavailable.is_percent, 0);
	cr_expect_eq(d->max_unavailable.value, 0);
	cr_assert_eq(c.n_images, 1);
	cr_expect_str_eq(c.images[0].name, "api:1");
	cr_expect_eq(d->image, 0);
	expect_probe("override", &t->readiness, 0, 1 * SEC, 1 * SEC, 1, 3);
	expect_probe("override", &t->liveness, 10 * SEC, 20 * SEC, 3 * SEC,
		     1, 4);
	cr_expect_eq(t->grace_ns, 60 * SEC);
	cr_expect_eq(t->prestop_ns, 2500 * MS);
	cr_expect_eq(t->startup.a_ns, 4 * SEC);
	cr_expect_eq(t->cpu_milli, 250);
	cr_expect(d->tmpl.mask & TMPL_STARTUP);
	cr_expect(d->tmpl.mask & TMPL_REQUESTS);
	world_config_release(&c);
}

struct error_row {
	const char *name;
	const char *sq;       /* scenario, read as tests/manifests/x.json */
	const char *expected;
};

#define X FIXTURES "x.json: "

/* Errors that concern the scenario rather than the manifest. */
static const struct error_row scenario_errors[] = {
	{ "missing file: the path as written and as resolved",
	  "{ 'deployment': { 'manifest': 'deploy.yaml' } }",
	  X "deployment.manifest: cannot read \"deploy.yaml\" "
	    "(" FIXTURES "deploy.yaml): No such file or directory" },
	{ "manifest not a string", "{ 'deployment': { 'manifest': 1 } }",
	  X "deployment.manifest: expected a string, got 1" },
	{ "manifest empty", "{ 'deployment': { 'manifest': '' } }",
	  X "deployment.manifest: expected a file name, got \"\"" },
	{ "a directory", "{ 'deployment': { 'manifest': '.' } }",
	  X "deployment.manifest: cannot read \".\" (" FIXTURES
	    "."  "): Is a directory" },
	{ "image key not described",
	  "{ 'deployment': { 'manifest': 'full.yaml', 'image': 'x:1' } }",
	  X "deployment.image: image \"x:1\" is not described in images" },
	{ "keys over the manifest break the deadline rule",
	  "{ 'deployment': { 'manifest': 'full.yaml',"
	  "  'minReadySeconds': 300 } }",
	  X "deployment.progressDeadlineSeconds: expected a value greater "
	    "than minReadySeconds (300), got 240 (from the manifest or the "
	    "default)" },
	{ "keys over the manifest: both 0",
	  "{ 'deployment': { 'manifest': 'full.yaml', 'strategy':"
	  "  { 'rollingUpdate': { 'maxSurge': 0, 'maxUnavailable': 0 } } } }",
	  X "deployment.strategy.rollingUpdate.maxUnavailable: may not be 0 "
	    "when maxSurge is 0" },
	{ "unknown key next to manifest",
	  "{ 'deployment': { 'manifest': 'full.yaml', 'replica': 2 } }",
	  X "deployment: unknown key \"replica\" (did you mean "
	    "\"replicas\"?)" },
	{ "no manifest: images still required",
	  "{ 'deployment': { 'image': 'a:1' } }",
	  X "missing required key \"images\"" },
	{ "not in an apply",
	  "{ 'deployment': { 'manifest': 'full.yaml' }, 'events': [ { 'at':"
	  " '1s', 'action': 'apply', 'deployment': { 'manifest': 'a' } } ] }",
	  X "events[0].deployment.manifest: cannot be used in an apply "
	    "(give the fields that change instead)" },
};

Test(manifest, scenario_errors)
{
	struct world_config c;
	char line[1024];
	size_t i;

	for (i = 0; i < sizeof(scenario_errors) / sizeof(*scenario_errors);
	     i++) {
		const struct error_row *r = &scenario_errors[i];

		cr_expect_neq(load_as(FIXTURES "x.json", r->sq, &c, line,
				      sizeof(line)), 0, "%s: loaded", r->name);
		cr_expect_str_eq(line, r->expected, "%s:\n got  %s\n want %s",
				 r->name, line, r->expected);
	}
}

/* The brief's form: a scenario in the current directory. */
Test(manifest, missing_file_next_to_the_scenario)
{
	struct world_config c;
	char line[1024];

	cr_expect_neq(load_as("x.json", "{ 'deployment': { 'manifest': "
			      "'deploy.yaml' } }", &c, line, sizeof(line)), 0);
	cr_expect_str_eq(line, "x.json: deployment.manifest: cannot read "
			 "\"deploy.yaml\": No such file or directory");
}

/* A manifest around a container's preStop hook. */
#define PRESTOP_HEAD \
	"kind: Deployment\n" \
	"metadata: {name: web}\n" \
	"spec:\n" \
	"  template:\n" \
	"    spec:\n" \
	"      containers:\n" \
	"      - image: web:1\n" \
	"        lifecycle:\n" \
	"          preStop:\n"

struct prestop_row {
	const char *name;
	const char *hook;      /* the lines under preStop */
	sim_time_t ns;         /* -1: ignored (no TMPL_PRESTOP) */
};

static const struct prestop_row prestop_rows[] = {
	{ "sleep action", "            sleep: {seconds: 5}\n", 5 * SEC },
	{ "sleep action 0", "            sleep: {seconds: 0}\n", 0 },
	{ "exec sleep", "            exec: {command: [sleep, '5']}\n",
	  5 * SEC },
	{ "exec /bin/sleep, fraction",
	  "            exec: {command: [/bin/sleep, '2.5']}\n", 2500 * MS },
	{ "exec sleep, plain number",
	  "            exec: {command: [sleep, 7]}\n", -2 },
	{ "exec sh -c sleep",
	  "            exec:\n"
	  "              command: [sh, -c, sleep 10]\n", 10 * SEC },
	{ "exec /bin/sh -c sleep && quit",
	  "            exec:\n"
	  "              command: [\"/bin/sh\", \"-c\",\n"
	  "                        \"sleep 3 && nginx -s quit\"]\n", 3 * SEC },
	{ "exec bash -c sleep 1m; kill",
	  "            exec: {command: [bash, -c, '  sleep 1m; kill 1']}\n",
	  60 * SEC },
	{ "exec: something else first",
	  "            exec: {command: [sh, -c, 'nginx -s quit; sleep 5']}\n",
	  -1 },
	{ "exec: sleep infinity",
	  "            exec: {command: [sleep, infinity]}\n", -1 },
	{ "exec: sleep with two numbers",
	  "            exec: {command: [sleep, '1', '2']}\n", -1 },
	{ "exec: a script", "            exec: {command: [/drain.sh]}\n", -1 },
	{ "exec: sleep $DELAY",
	  "            exec: {command: [sh, -c, 'sleep $DELAY']}\n", -1 },
	{ "httpGet", "            httpGet: {path: /drain, port: 80}\n", -1 },
};

Test(manifest, prestop_hooks)
{
	struct tmpdir t;
	struct world_config c;
	char line[1024], *text;
	size_t i;

	tmpdir_make(&t);
	for (i = 0; i < sizeof(prestop_rows) / sizeof(*prestop_rows); i++) {
		const struct prestop_row *r = &prestop_rows[i];
		int rc;

		text = malloc(strlen(PRESTOP_HEAD) + strlen(r->hook) + 1);
		cr_assert_not_null(text);
		strcpy(text, PRESTOP_HEAD);
		strcat(text, r->hook);
		tmpdir_write(&t, "m.yaml", text, strlen(text));
		free(text);
		rc = load_inline(&t, "m.yaml", "", &c, line, sizeof(line));
		if (r->ns == -2) {
			/* command items must be strings, as in Kubernetes */
			cr_expect_neq(rc, 0, "%s", r->name);
			continue;
		}
		cr_expect_eq(rc, 0, "%s: %s", r->name, line);
		if (rc)
			continue;
		if (r->ns < 0) {
			cr_expect_eq(c.deployment.tmpl.mask & TMPL_PRESTOP, 0,
				     "%s", r->name);
		} else {
			cr_expect_neq(c.deployment.tmpl.mask & TMPL_PRESTOP,
				      0, "%s", r->name);
			cr_expect_eq(c.deployment.tmpl.v.prestop_ns, r->ns,
				     "%s: %lld", r->name,
				     (long long)c.deployment.tmpl.v.prestop_ns);
		}
		world_config_release(&c);
	}
	tmpdir_remove(&t, "m.yaml");
	rmdir(t.path);
}

/* A Deployment of one container web:1 with more lines (indented for
 * the container, or for spec with SPEC_AT). */
#define HEAD "kind: Deployment\nmetadata: {name: web}\nspec:\n"
#define CTR \
	"  template:\n" \
	"    spec:\n" \
	"      containers:\n" \
	"      - image: web:1\n"

enum check {
	CHECK_NONE = 0,
	CHECK_RECREATE,
	CHECK_LIMITS,
	CHECK_GRPC,
	CHECK_MERGE,
	CHECK_YAML11,
	CHECK_NULLS,
	CHECK_LIST,
	CHECK_IGNORED,
	CHECK_NEVER,
	CHECK_JSON_IN_YAML,
	CHECK_FIRST_CONTAINER,
};

struct good_row {
	const char *name;
	const char *file;
	const char *text;
	enum check check;
};

static const struct good_row good_rows[] = {
	{ "Recreate", "m.yaml", HEAD "  strategy: {type: Recreate}\n" CTR,
	  CHECK_RECREATE },
	{ "requests default to limits", "m.yaml", HEAD CTR
	  "        resources:\n"
	  "          limits: {cpu: 2, memory: 1Gi, nvidia.com/gpu: 1}\n"
	  "          requests: {memory: 512Mi}\n", CHECK_LIMITS },
	{ "grpc probe", "m.yaml", HEAD CTR
	  "        livenessProbe: {grpc: {port: 9090}, periodSeconds: 3}\n",
	  CHECK_GRPC },
	{ "merge key, explicit keys win", "m.yaml",
	  "probe: &p {periodSeconds: 7, failureThreshold: 2}\n"
	  HEAD CTR
	  "        readinessProbe:\n"
	  "          <<: *p\n"
	  "          httpGet: {port: 80}\n"
	  "          periodSeconds: 9\n", CHECK_MERGE },
	{ "YAML 1.1 bool and hex, as kubectl", "m.yaml",
	  HEAD "  paused: yes\n  replicas: 0x10\n" CTR, CHECK_YAML11 },
	{ "null is unset", "m.yaml",
	  HEAD "  replicas: ~\n  strategy: null\n  paused:\n" CTR
	  "        readinessProbe: null\n", CHECK_NULLS },
	{ "a List", "m.yaml",
	  "kind: List\n"
	  "items:\n"
	  "- kind: Service\n"
	  "- kind: Deployment\n"
	  "  metadata: {name: web}\n"
	  "  spec: {replicas: 4, template: {spec: {containers: "
	  "[{image: 'web:1'}]}}}\n", CHECK_LIST },
	{ "unknown fields ignored", "m.yaml",
	  HEAD
	  "  strategy:\n"
	  "    type: RollingUpdate\n"
	  "    rollingUpdate: {maxSurge: 1, maxUnavailable: 0, x: 1}\n"
	  "    canary: {steps: 3}\n"
	  "  replicaz: 9\n" CTR
	  "        readinessProbe: {exec: {command: [x]}, flaky: true,\n"
	  "                         neverReady: true}\n", CHECK_IGNORED },
	{ "imagePullPolicy Never passed over", "m.yaml",
	  HEAD CTR "        imagePullPolicy: Never\n", CHECK_NEVER },
	{ "JSON in a .yaml file", "m.yaml",
	  "  {\"kind\": \"Deployment\", \"metadata\": {\"name\": \"web\"},\n"
	  "   \"spec\": {\"replicas\": 3, \"template\": {\"spec\": "
	  "{\"containers\": [{\"image\": \"web:1\"}]}}}}\n",
	  CHECK_JSON_IN_YAML },
	{ "first container only", "m.yaml", HEAD CTR
	  "      - image: sidecar:1\n"
	  "        readinessProbe: {exec: {command: [x]}}\n",
	  CHECK_FIRST_CONTAINER },
};

static void check_good(const struct good_row *r, const struct world_config *c)
{
	const struct deploy_config *d = &c->deployment;

	cr_expect_str_eq(c->images[d->image].name, "web:1", "%s", r->name);
	switch (r->check) {
	case CHECK_RECREATE:
		cr_expect_eq(d->strategy, STRATEGY_RECREATE, "%s", r->name);
		break;
	case CHECK_LIMITS:
		cr_expect_eq(d->tmpl.mask, TMPL_REQUESTS, "%s", r->name);
		cr_expect_eq(d->tmpl.v.cpu_milli, 2000, "%s", r->name);
		cr_expect_eq(d->tmpl.v.memory_bytes, 512 * MI, "%s", r->name);
		break;
	case CHECK_GRPC:
		cr_expect_eq(d->tmpl.mask, TMPL_LIVENESS, "%s", r->name);
		expect_probe(r->name, &d->tmpl.v.liveness, 0, 3 * SEC, SEC, 1,
			     3);
		break;
	case CHECK_MERGE:
		expect_probe(r->name, &d->tmpl.v.readiness, 0, 9 * SEC, SEC,
			     1, 2);
		break;
	case CHECK_YAML11:
		cr_expect_eq(d->paused, 1, "%s", r->name);
		cr_expect_eq(d->replicas, 16, "%s", r->name);
		break;
	case CHECK_NULLS:
		cr_expect_eq(d->replicas, 1, "%s", r->name);
		cr_expect_eq(d->paused, 0, "%s", r->name);
		cr_expect_eq(d->tmpl.mask, 0, "%s", r->name);
		break;
	case CHECK_LIST:
		cr_expect_eq(d->replicas, 4, "%s", r->name);
		break;
	case CHECK_IGNORED:
		cr_expect_eq(d->replicas, 1, "%s", r->name);
		cr_expect_eq(d->max_surge.value, 1, "%s", r->name);
		cr_expect_eq(d->tmpl.v.readiness.never_ready, 0, "%s",
			     r->name);
		break;
	case CHECK_NEVER:
		cr_expect_eq(d->tmpl.mask, 0, "%s", r->name);
		break;
	case CHECK_JSON_IN_YAML:
		cr_expect_eq(d->replicas, 3, "%s", r->name);
		break;
	case CHECK_FIRST_CONTAINER:
		cr_expect_eq(d->tmpl.mask, 0, "%s", r->name);
		cr_expect_eq(c->n_images, 1, "%s", r->name);
		break;
	case CHECK_NONE:
		break;
	}
}

Test(manifest, yaml_typing_and_structure)
{
	struct tmpdir t;
	struct world_config c;
	char line[1024];
	size_t i;

	tmpdir_make(&t);
	for (i = 0; i < sizeof(good_rows) / sizeof(*good_rows); i++) {
		const struct good_row *r = &good_rows[i];

		tmpdir_write(&t, r->file, r->text, strlen(r->text));
		cr_expect_eq(load_inline(&t, r->file, "", &c, line,
					 sizeof(line)), 0, "%s: %s", r->name,
			     line);
		if (line[0])
			continue;
		check_good(r, &c);
		world_config_release(&c);
		tmpdir_remove(&t, r->file);
	}
	rmdir(t.path);
}

/* Broken manifests: '@' is the directory of the manifest; the number
 * after the file is the line of the offending value (row lines are
 * manifest lines). */
static const struct good_row bad_rows[] = {
	{ "@/m.yaml:6: spec.replicas: expected a non-negative integer, got "
	  "\"five\"", "m.yaml",
	  "apiVersion: apps/v1\n"
	  "kind: Deployment\n"
	  "metadata:\n"
	  "  name: web\n"
	  "spec:\n"
	  "  replicas: five\n" CTR, CHECK_NONE },
	{ "@/m.yaml:4: spec.replicas: expected a non-negative integer, got "
	  "\"5\"", "m.yaml", HEAD "  replicas: \"5\"\n" CTR, CHECK_NONE },
	{ "@/m.yaml:6: spec.strategy.rollingUpdate.maxSurge: expected a "
	  "non-negative integer or a percentage such as \"25%\", got \"abc\"",
	  "m.yaml", HEAD
	  "  strategy:\n"
	  "    rollingUpdate:\n"
	  "      maxSurge: abc\n" CTR, CHECK_NONE },
	{ "@/m.yaml:7: spec.strategy.rollingUpdate.maxUnavailable: may not "
	  "be 0 when maxSurge is 0", "m.yaml", HEAD
	  "  strategy:\n"
	  "    rollingUpdate:\n"
	  "      maxSurge: 0\n"
	  "      maxUnavailable: 0\n" CTR, CHECK_NONE },
	{ "@/m.yaml:6: spec.strategy.rollingUpdate: may not be specified "
	  "when strategy type is \"Recreate\"", "m.yaml", HEAD
	  "  strategy:\n"
	  "    type: Recreate\n"
	  "    rollingUpdate: {maxSurge: 1}\n" CTR, CHECK_NONE },
	{ "@/m.yaml:5: spec.strategy.type: unknown strategy type \"Rolling\" "
	  "(did you mean \"RollingUpdate\"?)", "m.yaml", HEAD
	  "  strategy:\n"
	  "    type: Rolling\n" CTR, CHECK_NONE },
	{ "@/m.yaml:5: spec.progressDeadlineSeconds: expected a value "
	  "greater than minReadySeconds (10), got 5", "m.yaml", HEAD
	  "  minReadySeconds: 10\n"
	  "  progressDeadlineSeconds: 5\n" CTR, CHECK_NONE },
	/* the default is not in the file: the line of spec */
	{ "@/m.yaml:3: spec.progressDeadlineSeconds: expected a value "
	  "greater than minReadySeconds (900), got 600 (the default)",
	  "m.yaml", HEAD "  minReadySeconds: 900\n" CTR, CHECK_NONE },
	/* "  spec: x" breaks the block mapping of line 1 at its column 2 */
	{ "@/m.yaml:4: malformed YAML at column 2: did not find expected "
	  "key (while parsing a block mapping at line 1)", "m.yaml",
	  "kind: Deployment\n"
	  "metadata:\n"
	  "  name: web\n"
	  " spec: x\n", CHECK_NONE },
	{ "@/m.yaml:5: malformed YAML at column 1: did not find expected "
	  "',' or ']' (while parsing a flow sequence at line 4)", "m.yaml",
	  HEAD "  replicas: [1\n", CHECK_NONE },
	{ "@/m.yaml:4: malformed YAML at column 1: found character that "
	  "cannot start any token (while scanning for the next token at "
	  "line 4)", "m.yaml", HEAD "\treplicas: 1\n", CHECK_NONE },
	{ "@/m.yaml:4: malformed YAML at column 13: found undefined alias",
	  "m.yaml", HEAD "  replicas: *n\n", CHECK_NONE },
	{ "@/m.yaml: expected a document of kind Deployment, got Service, "
	  "ConfigMap, (no kind)", "m.yaml",
	  "kind: Service\n---\nkind: ConfigMap\n---\nfoo: 1\n", CHECK_NONE },
	{ "@/m.yaml: expected a document of kind Deployment, got no document",
	  "m.yaml", "# nothing\n", CHECK_NONE },
	{ "@/m.yaml:5: duplicate key \"replicas\" (first at line 4)",
	  "m.yaml", HEAD "  replicas: 2\n  replicas: 3\n" CTR, CHECK_NONE },
	{ "@/m.yaml:4: expected a scalar mapping key, got a sequence",
	  "m.yaml", HEAD "  ? [a]\n  : 1\n", CHECK_NONE },
	{ "@/m.yaml:4: expected a mapping or a sequence of mappings to merge "
	  "(<<)", "m.yaml", HEAD "  <<: 5\n", CHECK_NONE },
	{ "@/m.yaml:1: nested deeper than 100 levels (a recursive alias?)",
	  "m.yaml", "a: &a [*a]\nkind: Deployment\n", CHECK_NONE },
	/* the simulator's replica limit applies to a manifest too */
	{ "@/m.yaml:4: spec.replicas: expected at most 100000 replicas (the "
	  "simulator's limit), got 100001", "m.yaml",
	  HEAD "  replicas: 100001\n" CTR, CHECK_NONE },
	{ "@/m.yaml:2: metadata: missing required key \"name\"", "m.yaml",
	  "kind: Deployment\nmetadata:\n  generateName: web-\n", CHECK_NONE },
	{ "@/m.yaml:2: metadata.name: expected a DNS-1123 label (lowercase "
	  "letters, digits and '-', starting and ending with a letter or "
	  "digit), got \"Web\"", "m.yaml",
	  "kind: Deployment\nmetadata: {name: Web}\n", CHECK_NONE },
	{ "@/m.yaml:1: missing required key \"spec\"", "m.yaml",
	  "kind: Deployment\nmetadata: {name: web}\n", CHECK_NONE },
	{ "@/m.yaml:6: spec.template.spec.containers: expected a non-empty "
	  "array of containers, got []", "m.yaml",
	  HEAD "  template:\n    spec:\n      containers: []\n", CHECK_NONE },
	{ "@/m.yaml:7: spec.template.spec.containers[0]: missing required "
	  "key \"image\"", "m.yaml", HEAD
	  "  template:\n"
	  "    spec:\n"
	  "      containers:\n"
	  "      - name: web\n", CHECK_NONE },
	{ "@/m.yaml:8: spec.template.spec.containers[0].name: expected a "
	  "DNS-1123 label of at most 63 characters (lowercase letters, "
	  "digits and '-', starting and ending with a letter or digit), got "
	  "\"Web_1\"", "m.yaml", HEAD CTR
	  "        name: Web_1\n", CHECK_NONE },
	{ "@/m.yaml:8: spec.template.spec.containers[0].readinessProbe: "
	  "expected a handler (exec, grpc, httpGet or tcpSocket), got none",
	  "m.yaml", HEAD CTR
	  "        readinessProbe:\n"
	  "          periodSeconds: 3\n", CHECK_NONE },
	{ "@/m.yaml:8: spec.template.spec.containers[0].livenessProbe: "
	  "expected one handler (exec, grpc, httpGet or tcpSocket), got "
	  "exec, httpGet", "m.yaml", HEAD CTR
	  "        livenessProbe:\n"
	  "          httpGet: {port: 80}\n"
	  "          exec: {command: [x]}\n", CHECK_NONE },
	{ "@/m.yaml:10: spec.template.spec.containers[0].livenessProbe."
	  "successThreshold: must be 1 for a liveness probe, got 2", "m.yaml",
	  HEAD CTR
	  "        livenessProbe:\n"
	  "          httpGet: {port: 80}\n"
	  "          successThreshold: 2\n", CHECK_NONE },
	{ "@/m.yaml:9: spec.template.spec.containers[0].readinessProbe."
	  "periodSeconds: expected a positive integer, got 0", "m.yaml",
	  HEAD CTR
	  "        readinessProbe:\n"
	  "          periodSeconds: 0\n"
	  "          tcpSocket: {port: 80}\n", CHECK_NONE },
	{ "@/m.yaml:10: spec.template.spec.containers[0].resources.requests."
	  "memory: expected a memory quantity such as \"128Mi\", \"1G\" or "
	  "1000000, got \"lots\"", "m.yaml", HEAD CTR
	  "        resources:\n"
	  "          requests:\n"
	  "            memory: lots\n", CHECK_NONE },
	{ "@/m.yaml:11: spec.template.spec.containers[0].lifecycle.preStop."
	  "sleep.seconds: expected a non-negative integer, got \"5s\"",
	  "m.yaml", HEAD CTR
	  "        lifecycle:\n"
	  "          preStop:\n"
	  "            sleep:\n"
	  "              seconds: 5s\n", CHECK_NONE },
	{ "@/m.yaml:9: spec.template.spec.containers[0].lifecycle.preStop: "
	  "expected one handler (exec, httpGet, sleep or tcpSocket), got "
	  "exec, sleep", "m.yaml", HEAD CTR
	  "        lifecycle:\n"
	  "          preStop:\n"
	  "            sleep: {seconds: 1}\n"
	  "            exec: {command: [sleep, '1']}\n", CHECK_NONE },
	{ "@/m.yaml:10: spec.template.spec.containers[0].lifecycle.preStop."
	  "exec.command: expected an array of strings, got \"sleep 5\"",
	  "m.yaml", HEAD CTR
	  "        lifecycle:\n"
	  "          preStop:\n"
	  "            exec: {command: sleep 5}\n", CHECK_NONE },
	{ "@/m.yaml:8: spec.template.spec.containers[0].imagePullPolicy: "
	  "unknown imagePullPolicy \"always\" (did you mean \"Always\"?)",
	  "m.yaml", HEAD CTR "        imagePullPolicy: always\n",
	  CHECK_NONE },
	{ "@/m.yaml:7: spec.template.spec.containers[0].image: expected a "
	  "string, got 2", "m.yaml", HEAD
	  "  template:\n"
	  "    spec:\n"
	  "      containers:\n"
	  "      - image: 2\n", CHECK_NONE },
	{ "@/m.json: spec.replicas: expected a non-negative integer, got -1",
	  "m.json",
	  "{\"kind\": \"Deployment\", \"metadata\": {\"name\": \"web\"},\n"
	  " \"spec\": {\"replicas\": -1}}\n", CHECK_NONE },
	{ "@/m.json: malformed JSON at line 2, column 1", "m.json",
	  "{\"kind\": \"Deployment\",\n}\n", CHECK_NONE },
	{ "@/m.json: expected a document of kind Deployment, got Service",
	  "m.json", "{\"kind\": \"Service\"}", CHECK_NONE },
	{ "@/m.yaml:4: a NUL character in a value is not supported",
	  "m.yaml", HEAD "  x: \"a\\0b\"\n", CHECK_NONE },
};

Test(manifest, broken_manifests)
{
	struct tmpdir t;
	struct world_config c;
	char line[1024], *want;
	size_t i;

	tmpdir_make(&t);
	for (i = 0; i < sizeof(bad_rows) / sizeof(*bad_rows); i++) {
		const struct good_row *r = &bad_rows[i];

		tmpdir_write(&t, r->file, r->text, strlen(r->text));
		want = expand(r->name, t.path, 0);
		cr_expect_neq(load_inline(&t, r->file, "", &c, line,
					  sizeof(line)), 0, "%s: loaded", want);
		/* the message of a row is its name: "got" is the line */
		cr_expect_str_eq(line, want, "\n got  %s\n want %s", line,
				 want);
		free(want);
		tmpdir_remove(&t, r->file);
	}
	rmdir(t.path);
}

/* (e) The kubelet's events name the container as the manifest does:
 * 2 replicas (surge 1, unavailable 0), pull 1 s, no probe; 2 pods start
 * at 1 s, the rollout at 10 s starts 2 new ones and stops the 2 old. */
Test(manifest, events_name_the_manifests_container)
{
	static const char yaml[] =
		"kind: Deployment\n"
		"metadata: {name: flask-app}\n"
		"spec:\n"
		"  replicas: 2\n"
		"  template:\n"
		"    spec:\n"
		"      containers:\n"
		"      - name: flask-app\n"
		"        image: flask-app:1.0\n";
	struct tmpdir t;
	struct world_config c;
	struct world_metrics m;
	struct rec r;
	char line[1024], label[128];

	tmpdir_make(&t);
	tmpdir_write(&t, "m.yaml", yaml, strlen(yaml));
	snprintf(label, sizeof(label), "%s/s.json", t.path);
	cr_assert_eq(load_as(label, "{ 'until': '1m',"
			     "  'deployment': { 'manifest': 'm.yaml' },"
			     "  'images': { 'flask-app:1.0': { 'pull': '1s' },"
			     "    'flask-app:2.0': { 'pull': '1s' } },"
			     "  'events': [ { 'at': '10s', 'action': "
			     "'setImage', 'image': 'flask-app:2.0' } ] }",
			     &c, line, sizeof(line)), 0, "%s", line);
	tmpdir_remove(&t, "m.yaml");
	rmdir(t.path);
	cr_expect_str_eq(c.deployment.container, "flask-app");
	rec_run_world(&c, &r, &m, "manifest container");
	cr_expect_eq(rec_times(&r, "Created", NULL,
			       "Created container flask-app", NULL, 0), 4);
	cr_expect_eq(rec_times(&r, "Started", NULL,
			       "Started container flask-app", NULL, 0), 4);
	cr_expect_eq(rec_times(&r, "Killing", NULL,
			       "Stopping container flask-app", NULL, 0), 2);
	cr_expect_eq(rec_times(&r, "Created", NULL, "container app", NULL, 0) +
		     rec_times(&r, "Started", NULL, "container app", NULL, 0) +
		     rec_times(&r, "Killing", NULL, "container app", NULL, 0),
		     0);
	rec_free(&r);
}

/* Without a manifest, deployment.container names it (default "app"):
 * a liveness probe that never passes kills the container at its first
 * attempt (failureThreshold 1), and the second exit is backed off. */
Test(manifest, the_container_key_names_it_without_a_manifest)
{
	struct world_config c;
	struct world_metrics m;
	struct rec r;
	char line[1024];

	cr_assert_eq(load_as(FIXTURES "x.json",
			     "{ 'until': '1m', 'deployment': { 'image': 'a:1',"
			     "    'container': 'api' },"
			     "  'images': { 'a:1': { 'livenessProbe': {"
			     "    'periodSeconds': 1, 'failureThreshold': 1,"
			     "    'neverReady': true } } } }",
			     &c, line, sizeof(line)), 0, "%s", line);
	rec_run_world(&c, &r, &m, "container key");
	cr_expect_geq(rec_times(&r, "Started", NULL, "Started container api",
				NULL, 0), 2);
	cr_expect_geq(rec_times(&r, "Killing", NULL, "Container api failed "
				"liveness probe, will be restarted", NULL, 0),
		      2);
	cr_expect_geq(rec_times(&r, "BackOff", NULL, "Back-off restarting "
				"failed container api in pod ", NULL, 0), 1);
	cr_expect_eq(rec_times(&r, "Killing", NULL, "app", NULL, 0), 0);
	rec_free(&r);
}

/* "Billion laughs": aliases nested ten deep stop at the value limit. */
Test(manifest, alias_expansion_is_bounded)
{
	static const char text[] =
		"a: &a [x, x, x, x, x, x, x, x, x, x]\n"
		"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
		"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
		"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
		"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
		"f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
		"g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
		"h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
		"kind: Deployment\n";
	struct tmpdir t;
	struct world_config c;
	char line[1024];

	tmpdir_make(&t);
	tmpdir_write(&t, "m.yaml", text, strlen(text));
	cr_expect_neq(load_inline(&t, "m.yaml", "", &c, line, sizeof(line)),
		      0);
	cr_expect(strstr(line, "more than 200000 values (an alias counts at "
			 "each use)") != NULL, "%s", line);
	tmpdir_remove(&t, "m.yaml");
	rmdir(t.path);
}

/* pre + n times open, then n times close, then post (malloc'd). */
static char *nested(const char *pre, const char *open, const char *close,
		    size_t n, const char *post)
{
	size_t lp = strlen(pre), lo = strlen(open), lc = strlen(close), i;
	char *s = malloc(lp + n * (lo + lc) + strlen(post) + 1), *q;

	cr_assert_not_null(s);
	memcpy(s, pre, lp);
	q = s + lp;
	for (i = 0; i < n; i++, q += lo)
		memcpy(q, open, lo);
	for (i = 0; i < n; i++, q += lc)
		memcpy(q, close, lc);
	strcpy(q, post);
	return s;
}

/* Writes text as name and loads it; want is the line expected (@ the
 * directory), or NULL when it must load the Deployment "web" with one
 * container, image web:1, and no replicas (1, the apps/v1 default). */
static void expect_manifest_line(const char *name, const char *text,
				 const char *want)
{
	struct tmpdir t;
	struct world_config c;
	char line[1024], *w;
	int rc;

	tmpdir_make(&t);
	tmpdir_write(&t, name, text, strlen(text));
	rc = load_inline(&t, name, "", &c, line, sizeof(line));
	if (!want) {
		cr_assert_eq(rc, 0, "%s", line);
		cr_expect_str_eq(c.deployment.name, "web");
		cr_expect_eq(c.deployment.replicas, 1);
		cr_assert_eq(c.n_images, 1);
		cr_expect_str_eq(c.images[0].name, "web:1");
		cr_expect_eq(c.deployment.image, 0);
		world_config_release(&c);
	} else {
		w = expand(want, t.path, 0);
		cr_expect_neq(rc, 0, "loaded");
		cr_expect_str_eq(line, w);
		free(w);
	}
	tmpdir_remove(&t, name);
	rmdir(t.path);
}

/* Nesting is refused at 100 levels, where it begins, before the rest is
 * read (libyaml's scanner takes seconds over 40,000 levels of flow
 * collections, 80 KB: the limit must stop the event stream instead).
 * Levels: the document's mapping is 1, each '[' one more, so "x:" and
 * 99 brackets are 100 (accepted) and the 100th bracket is level 101; the
 * brackets are on line 3. */
Test(manifest, deep_nesting_is_refused_where_it_starts)
{
	static const char pre[] =
		"kind: Deployment\nmetadata: {name: web}\nx: ";
	static const char post[] = "\nspec:\n" CTR;
	char *ok = nested(pre, "[", "]", 99, post);
	char *deep = nested(pre, "[", "]", 100, post);
	char *huge = nested(pre, "[", "]", 40000, post);

	expect_manifest_line("m.yaml", ok, NULL);
	expect_manifest_line("m.yaml", deep,
			     "@/m.yaml:3: nested deeper than 100 levels");
	expect_manifest_line("m.yaml", huge,
			     "@/m.yaml:3: nested deeper than 100 levels");
	free(ok);
	free(deep);
	free(huge);
}

/* The same limit in a JSON manifest: the object is level 1, so the
 * 100th bracket of "x" opens level 101; it sits in column strlen(pre) +
 * 100 of line 1 (pre is ASCII: one column per byte). */
Test(manifest, deep_json_manifest_is_refused)
{
	static const char pre[] =
		"{\"kind\": \"Deployment\", \"metadata\": {\"name\": "
		"\"web\"}, \"x\": ";
	char *deep = nested(pre, "[", "]", 40000, "}");
	char want[128];

	snprintf(want, sizeof(want), "@/m.json: nested deeper than 100 "
		 "levels at line 1, column %zu", strlen(pre) + 100);
	expect_manifest_line("m.json", deep, want);
	free(deep);
}

/* Loads text[0..len) as m.yaml: it loads or fails with a message. */
static void load_any(const struct tmpdir *t, const char *text, size_t len,
		     const char *what, size_t at)
{
	struct world_config c;
	char line[1024];

	tmpdir_write(t, "m.yaml", text, len);
	if (load_inline(t, "m.yaml", "", &c, line, sizeof(line)) == 0)
		world_config_release(&c);
	else
		cr_expect(line[0] != '\0', "%s at %zu: no message", what, at);
}

/* Every prefix of full.yaml, and full.yaml with each byte replaced by
 * characters YAML gives a meaning to, loads or fails with a message. */
Test(manifest, truncated_and_corrupted_manifests_fail_cleanly)
{
	static const char subst[] = { ':', '[', '&', '*', '\t' };
	struct tmpdir t;
	char *text, *buf;
	size_t len, i, k;
	FILE *f = fopen(FIXTURES "full.yaml", "rb");

	cr_assert_not_null(f);
	text = malloc(1 << 16);
	buf = malloc(1 << 16);
	cr_assert(text && buf);
	len = fread(text, 1, 1 << 16, f);
	fclose(f);
	tmpdir_make(&t);
	for (i = 0; i <= len; i++)
		load_any(&t, text, i, "truncated", i);
	for (i = 0; i < len; i++) {
		for (k = 0; k < sizeof(subst); k++) {
			memcpy(buf, text, len);
			buf[i] = subst[k];
			load_any(&t, buf, len, "corrupted", i);
		}
	}
	free(buf);
	free(text);
	tmpdir_remove(&t, "m.yaml");
	rmdir(t.path);
}
