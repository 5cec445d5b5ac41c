/* test_scenario.c - the scenario loader (sim/scenario.h).
 *
 * A full scenario loads field by field, a minimal one gets the apps/v1
 * defaults (SEMANTICS.md §a); a scenario with every event action,
 * deployment-level template overrides and controllers loads exactly;
 * durations and int-or-percent forms are tables; a catalogue of broken scenarios pins the exact error line of
 * each (line and column of syntax errors counted by hand); a missing file
 * and every truncation / corruption of the full scenario must fail cleanly
 * (run under ASan+UBSan to catch leaks and crashes). JSON in this file is
 * written with ' for " (sq_to_dq) to keep it readable.
 */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../sim/scenario.h"

#define LABEL "scenarios/x.json"
#define NS INT64_C(1)
#define US INT64_C(1000)
#define MS INT64_C(1000000)
#define SEC INT64_C(1000000000)

/* A malloc'd copy of s with every ' turned into ". */
static char *sq_to_dq(const char *s)
{
	char *t = strdup(s), *p;

	cr_assert_not_null(t);
	for (p = t; *p; p++)
		if (*p == '\'')
			*p = '"';
	return t;
}

/* Loads sq (single-quoted JSON); line receives the error line or "". */
static int load_sq(const char *sq, struct world_config *cfg, char *line,
		   size_t n)
{
	struct rs_error err = { 0 };
	char *text = sq_to_dq(sq);
	int rc = scenario_load_string(text, LABEL, cfg, &err);

	free(text);
	line[0] = '\0';
	if (rc)
		rs_error_format(&err, line, n);
	return rc;
}

static const char full_scenario[] =
	"{\n"
	"  'name': 'flask-demo',\n"
	"  'description': 'every field given',\n"
	"  'seed': 42,\n"
	"  'until': '20m',\n"
	"  'deployment': {\n"
	"    'name': 'flask-app',\n"
	"    'replicas': 5,\n"
	"    'minReadySeconds': 5,\n"
	"    'progressDeadlineSeconds': 300,\n"
	"    'revisionHistoryLimit': 3,\n"
	"    'strategy': { 'type': 'RollingUpdate',\n"
	"      'rollingUpdate': { 'maxSurge': 2, 'maxUnavailable': '10%' } },\n"
	"    'image': 'flask-app:1.0'\n"
	"  },\n"
	"  'images': {\n"
	"    'flask-app:1.0': {\n"
	"      'pull': { 'dist': 'constant', 'value': '2s' },\n"
	"      'startup': { 'dist': 'lognormal', 'median': '3s',\n"
	"                   'sigma': 0.3 },\n"
	"      'shutdown': '1s',\n"
	"      'readinessProbe': { 'initialDelaySeconds': 2,\n"
	"        'periodSeconds': 5, 'timeoutSeconds': 2,\n"
	"        'successThreshold': 2, 'failureThreshold': 4,\n"
	"        'neverReady': false },\n"
	"      'terminationGracePeriodSeconds': 45,\n"
	"      'preStopSleep': '5s'\n"
	"    },\n"
	"    'flask-app:2.0': {\n"
	"      'pull': { 'dist': 'uniform', 'min': '1s', 'max': '3s' },\n"
	"      'startup': { 'dist': 'gamma', 'mean': '4s', 'shape': 2.5 },\n"
	"      'shutdown': { 'dist': 'empirical',\n"
	"                    'samples': ['1s', 2, '500ms'] },\n"
	"      'readinessProbe': { 'neverReady': true },\n"
	"      'terminationGracePeriodSeconds': 0,\n"
	"      'preStopSleep': 1.5\n"
	"    },\n"
	"    'flask-app:3.0': {\n"
	"      'pull': { 'dist': 'exponential', 'mean': '800ms' },\n"
	"      'startup': { 'dist': 'weibull', 'scale': '2s', 'shape': 1.5 },\n"
	"      'shutdown': { 'dist': 'normal', 'mean': '2s', 'sd': '500ms' },\n"
	"      'readinessProbe': null\n"
	"    },\n"
	"    'flask-app:4.0': {\n"
	"      'startup': { 'dist': 'lognormal', 'mean': '3s', 'sd': '1s' }\n"
	"    }\n"
	"  },\n"
	"  'events': [\n"
	"    { 'at': '5m', 'action': 'setImage', 'image': 'flask-app:3.0' },\n"
	"    { 'at': '30s', 'action': 'setImage', 'image': 'flask-app:2.0' },\n"
	"    { 'at': '5m', 'action': 'setImage', 'image': 'flask-app:4.0' }\n"
	"  ]\n"
	"}\n";

static void expect_probe(const struct probe_config *p, sim_time_t delay,
			 sim_time_t period, sim_time_t timeout, int32_t succ,
			 int32_t fail, int never)
{
	cr_expect_eq(p->enabled, 1);
	cr_expect_eq(p->initial_delay_ns, delay);
	cr_expect_eq(p->period_ns, period);
	cr_expect_eq(p->timeout_ns, timeout);
	cr_expect_eq(p->success_threshold, succ);
	cr_expect_eq(p->failure_threshold, fail);
	cr_expect_eq(p->never_ready, never);
}

static void expect_full_images(const struct world_config *c)
{
	const struct image_config *im = c->images;

	cr_assert_eq(c->n_images, 4);
	cr_expect_str_eq(im[0].name, "flask-app:1.0");
	cr_expect_eq(im[0].pull.kind, DIST_CONSTANT);
	cr_expect_eq(im[0].pull.a_ns, 2 * SEC);
	cr_expect_eq(im[0].startup.kind, DIST_LOGNORMAL);
	cr_expect_eq(im[0].startup.a_ns, 3 * SEC);
	cr_expect_float_eq(im[0].startup.shape, 0.3, 1e-12);
	cr_expect_eq(im[0].shutdown.kind, DIST_CONSTANT);
	cr_expect_eq(im[0].shutdown.a_ns, 1 * SEC);
	expect_probe(&im[0].readiness, 2 * SEC, 5 * SEC, 2 * SEC, 2, 4, 0);
	cr_expect_eq(im[0].grace_ns, 45 * SEC);
	cr_expect_eq(im[0].prestop_ns, 5 * SEC);

	cr_expect_str_eq(im[1].name, "flask-app:2.0");
	cr_expect_eq(im[1].pull.kind, DIST_UNIFORM);
	cr_expect_eq(im[1].pull.a_ns, 1 * SEC);
	cr_expect_eq(im[1].pull.b_ns, 3 * SEC);
	cr_expect_eq(im[1].startup.kind, DIST_GAMMA);
	cr_expect_eq(im[1].startup.a_ns, 4 * SEC);
	cr_expect_float_eq(im[1].startup.shape, 2.5, 1e-12);
	cr_expect_eq(im[1].shutdown.kind, DIST_EMPIRICAL);
	cr_assert_eq(im[1].shutdown.n_samples, 3);
	cr_expect_eq(im[1].shutdown.samples[0], 1 * SEC);
	cr_expect_eq(im[1].shutdown.samples[1], 2 * SEC);
	cr_expect_eq(im[1].shutdown.samples[2], 500 * MS);
	/* Kubernetes' probe defaults: 0 / 10 / 1 / 1 / 3 */
	expect_probe(&im[1].readiness, 0, 10 * SEC, 1 * SEC, 1, 3, 1);
	cr_expect_eq(im[1].grace_ns, 0);
	cr_expect_eq(im[1].prestop_ns, 1500 * MS);
}

static void expect_more_images(const struct world_config *c)
{
	const struct image_config *im = c->images;
	/* sigma^2 = ln(1 + 1/9), median = 3 s / sqrt(10/9) */
	double sigma = sqrt(log(10.0 / 9.0));
	sim_time_t median = (sim_time_t)llround(3e9 / sqrt(10.0 / 9.0));

	cr_expect_str_eq(im[2].name, "flask-app:3.0");
	cr_expect_eq(im[2].pull.kind, DIST_EXPONENTIAL);
	cr_expect_eq(im[2].pull.a_ns, 800 * MS);
	cr_expect_eq(im[2].startup.kind, DIST_WEIBULL);
	cr_expect_eq(im[2].startup.a_ns, 2 * SEC);
	cr_expect_float_eq(im[2].startup.shape, 1.5, 1e-12);
	cr_expect_eq(im[2].shutdown.kind, DIST_NORMAL);
	cr_expect_eq(im[2].shutdown.a_ns, 2 * SEC);
	cr_expect_eq(im[2].shutdown.b_ns, 500 * MS);
	cr_expect_eq(im[2].readiness.enabled, 0);
	cr_expect_eq(im[2].grace_ns, 30 * SEC);

	cr_expect_str_eq(im[3].name, "flask-app:4.0");
	cr_expect_eq(im[3].startup.kind, DIST_LOGNORMAL);
	cr_expect_eq(median, INT64_C(2846049894));
	cr_expect_eq(im[3].startup.a_ns, median);
	cr_expect_float_eq(im[3].startup.shape, sigma, 1e-12);
	cr_expect_eq(im[3].pull.kind, DIST_CONSTANT);
	cr_expect_eq(im[3].pull.a_ns, 0);
}

Test(scenario, full_scenario_loads_every_field)
{
	struct world_config c;
	const struct deployment_config *d = &c.deployment;
	char line[1024];

	cr_assert_eq(load_sq(full_scenario, &c, line, sizeof(line)), 0,
		     "%s", line);
	cr_expect_str_eq(c.name, "flask-demo");
	cr_expect_eq(c.seed, 42);
	cr_expect_eq(c.until_ns, 20 * 60 * SEC);
	cr_expect_str_eq(d->name, "flask-app");
	cr_expect_eq(d->replicas, 5);
	cr_expect_eq(d->min_ready_ns, 5 * SEC);
	cr_expect_eq(d->progress_deadline_ns, 300 * SEC);
	cr_expect_eq(d->revision_history_limit, 3);
	cr_expect_eq(d->strategy, STRATEGY_ROLLING_UPDATE);
	cr_expect_eq(d->max_surge.is_percent, 0);
	cr_expect_eq(d->max_surge.value, 2);
	cr_expect_eq(d->max_unavailable.is_percent, 1);
	cr_expect_eq(d->max_unavailable.value, 10);
	cr_expect_eq(d->image, 0);
	expect_full_images(&c);
	expect_more_images(&c);
	/* sorted by at, file order kept on the 5m tie */
	cr_assert_eq(c.n_events, 3);
	cr_expect_eq(c.events[0].at_ns, 30 * SEC);
	cr_expect_eq(c.events[0].image, 1);
	cr_expect_eq(c.events[1].at_ns, 5 * 60 * SEC);
	cr_expect_eq(c.events[1].image, 2);
	cr_expect_eq(c.events[2].at_ns, 5 * 60 * SEC);
	cr_expect_eq(c.events[2].image, 3);
	cr_expect_eq(c.events[2].action, ACTION_SET_IMAGE);
	world_config_release(&c);
}

/* Every event action, deployment-level template overrides, paused,
 * podDeletionCost and controllers; events out of order with ties. */
static const char actions_scenario[] =
	"{\n"
	"  'deployment': {\n"
	"    'name': 'web',\n"
	"    'image': 'web:1',\n"
	"    'paused': true,\n"
	"    'startup': { 'dist': 'empirical', 'samples': ['1s', '2s'] },\n"
	"    'readinessProbe': { 'periodSeconds': 2, 'failureThreshold': 5 },\n"
	"    'terminationGracePeriodSeconds': 60,\n"
	"    'podDeletionCost': -100\n"
	"  },\n"
	"  'images': {\n"
	"    'web:1': { 'podDeletionCost': 2147483647 },\n"
	"    'web:2': { 'podDeletionCost': -2147483648, 'shutdown': '2s' }\n"
	"  },\n"
	"  'controllers': {\n"
	"    'syncDelay': { 'dist': 'uniform', 'min': '10ms', 'max': '50ms' }\n"
	"  },\n"
	"  'events': [\n"
	"    { 'at': '10s', 'action': 'rolloutResume' },\n"
	"    { 'at': '1s', 'action': 'apply', 'deployment': {\n"
	"      'replicas': 4, 'minReadySeconds': 3,\n"
	"      'progressDeadlineSeconds': 120, 'revisionHistoryLimit': 2,\n"
	"      'strategy': { 'type': 'RollingUpdate',\n"
	"        'rollingUpdate': { 'maxSurge': 0, 'maxUnavailable': '50%' } },\n"
	"      'image': 'web:2', 'paused': false,\n"
	"      'pull': '3s',\n"
	"      'startup': { 'dist': 'empirical', 'samples': [1, '500ms', 2] },\n"
	"      'shutdown': { 'dist': 'exponential', 'mean': '1s' },\n"
	"      'readinessProbe': null,\n"
	"      'terminationGracePeriodSeconds': 5,\n"
	"      'preStopSleep': '2s',\n"
	"      'podDeletionCost': 7 } },\n"
	"    { 'at': '2s', 'action': 'apply', 'deployment': {\n"
	"      'strategy': { 'rollingUpdate': { 'maxSurge': 1 } } } },\n"
	"    { 'at': '3s', 'action': 'scale', 'replicas': 0 },\n"
	"    { 'at': '4s', 'action': 'rolloutPause' },\n"
	"    { 'at': '5s', 'action': 'rolloutUndo' },\n"
	"    { 'at': '6s', 'action': 'rolloutUndo', 'toRevision': 2 },\n"
	"    { 'at': '7s', 'action': 'deletePod', 'pod': 'web-5d8f7c-x7k2p' },\n"
	"    { 'at': '8s', 'action': 'deletePod', 'revision': 1 },\n"
	"    { 'at': '9s', 'action': 'deletePod', 'revision': 2,\n"
	"      'pick': 'oldest' },\n"
	"    { 'at': '9s', 'action': 'deletePod', 'revision': 3,\n"
	"      'pick': 'random' },\n"
	"    { 'at': '0s', 'action': 'setImage', 'image': 'web:2' },\n"
	"    { 'at': '2s', 'action': 'apply', 'deployment': {\n"
	"      'strategy': { 'type': 'Recreate' } } }\n"
	"  ]\n"
	"}\n";

static void expect_actions_deployment(const struct world_config *c)
{
	const struct deployment_config *d = &c->deployment;
	const struct image_config *t = &d->tmpl.v;

	cr_expect_str_eq(d->name, "web");
	cr_expect_eq(d->image, 0);
	cr_expect_eq(d->paused, 1);
	cr_expect_eq(d->tmpl.mask, TMPL_STARTUP | TMPL_READINESS |
		     TMPL_GRACE | TMPL_DELETION_COST);
	cr_expect_eq(t->startup.kind, DIST_EMPIRICAL);
	cr_assert_eq(t->startup.n_samples, 2);
	cr_expect_eq(t->startup.samples[0], 1 * SEC);
	cr_expect_eq(t->startup.samples[1], 2 * SEC);
	expect_probe(&t->readiness, 0, 2 * SEC, 1 * SEC, 1, 5, 0);
	cr_expect_eq(t->grace_ns, 60 * SEC);
	cr_expect_eq(t->deletion_cost, -100);
	/* fields not overridden keep image_config_defaults */
	cr_expect_eq(t->pull.kind, DIST_CONSTANT);
	cr_expect_eq(t->pull.a_ns, 0);
	cr_expect_eq(t->prestop_ns, 0);
	/* the images are untouched by the overrides */
	cr_assert_eq(c->n_images, 2);
	cr_expect_eq(c->images[0].deletion_cost, INT32_MAX);
	cr_expect_eq(c->images[0].grace_ns, 30 * SEC);
	cr_expect_eq(c->images[0].readiness.enabled, 0);
	cr_expect_eq(c->images[1].deletion_cost, INT32_MIN);
	cr_expect_eq(c->images[1].shutdown.a_ns, 2 * SEC);
	cr_expect_eq(c->sync_delay.kind, DIST_UNIFORM);
	cr_expect_eq(c->sync_delay.a_ns, 10 * MS);
	cr_expect_eq(c->sync_delay.b_ns, 50 * MS);
}

/* events[1]: the apply that gives every field. */
static void expect_full_apply(const struct world_event *e)
{
	const struct deployment_config *v = &e->patch.v;
	const struct image_config *t = &v->tmpl.v;

	cr_expect_eq(e->action, ACTION_APPLY);
	cr_expect_eq(e->at_ns, 1 * SEC);
	cr_expect_eq(e->patch.mask, PATCH_REPLICAS | PATCH_MIN_READY |
		     PATCH_PROGRESS_DEADLINE | PATCH_HISTORY_LIMIT |
		     PATCH_STRATEGY_TYPE | PATCH_MAX_SURGE |
		     PATCH_MAX_UNAVAILABLE | PATCH_IMAGE | PATCH_PAUSED);
	cr_expect_eq(v->replicas, 4);
	cr_expect_eq(v->min_ready_ns, 3 * SEC);
	cr_expect_eq(v->progress_deadline_ns, 120 * SEC);
	cr_expect_eq(v->revision_history_limit, 2);
	cr_expect_eq(v->strategy, STRATEGY_ROLLING_UPDATE);
	cr_expect_eq(v->max_surge.is_percent, 0);
	cr_expect_eq(v->max_surge.value, 0);
	cr_expect_eq(v->max_unavailable.is_percent, 1);
	cr_expect_eq(v->max_unavailable.value, 50);
	cr_expect_eq(v->image, 1);
	cr_expect_eq(v->paused, 0);
	cr_expect_eq(v->tmpl.mask, TMPL_PULL | TMPL_STARTUP | TMPL_SHUTDOWN |
		     TMPL_READINESS | TMPL_GRACE | TMPL_PRESTOP |
		     TMPL_DELETION_COST);
	cr_expect_eq(t->pull.kind, DIST_CONSTANT);
	cr_expect_eq(t->pull.a_ns, 3 * SEC);
	cr_expect_eq(t->startup.kind, DIST_EMPIRICAL);
	cr_assert_eq(t->startup.n_samples, 3);
	cr_expect_eq(t->startup.samples[0], 1 * SEC);
	cr_expect_eq(t->startup.samples[1], 500 * MS);
	cr_expect_eq(t->startup.samples[2], 2 * SEC);
	cr_expect_eq(t->shutdown.kind, DIST_EXPONENTIAL);
	cr_expect_eq(t->shutdown.a_ns, 1 * SEC);
	cr_expect_eq(t->readiness.enabled, 0);  /* null: no probe */
	cr_expect_eq(t->grace_ns, 5 * SEC);
	cr_expect_eq(t->prestop_ns, 2 * SEC);
	cr_expect_eq(t->deletion_cost, 7);
}

/* The other events, in sorted order (file order kept on the 2s and 9s
 * ties). */
static void expect_other_events(const struct world_event *e)
{
	cr_expect_eq(e[0].action, ACTION_SET_IMAGE);
	cr_expect_eq(e[0].at_ns, 0);
	cr_expect_eq(e[0].image, 1);
	cr_expect_eq(e[2].action, ACTION_APPLY);
	cr_expect_eq(e[2].at_ns, 2 * SEC);
	cr_expect_eq(e[2].patch.mask, PATCH_MAX_SURGE);
	cr_expect_eq(e[2].patch.v.max_surge.is_percent, 0);
	cr_expect_eq(e[2].patch.v.max_surge.value, 1);
	cr_expect_eq(e[2].patch.v.tmpl.mask, 0);
	cr_expect_eq(e[3].action, ACTION_APPLY);
	cr_expect_eq(e[3].patch.mask, PATCH_STRATEGY_TYPE);
	cr_expect_eq(e[3].patch.v.strategy, STRATEGY_RECREATE);
	cr_expect_eq(e[4].action, ACTION_SCALE);
	cr_expect_eq(e[4].replicas, 0);
	cr_expect_eq(e[5].action, ACTION_PAUSE);
	cr_expect_eq(e[5].at_ns, 4 * SEC);
	cr_expect_eq(e[6].action, ACTION_UNDO);
	cr_expect_eq(e[6].to_revision, 0);
	cr_expect_eq(e[7].action, ACTION_UNDO);
	cr_expect_eq(e[7].to_revision, 2);
	cr_expect_eq(e[8].action, ACTION_DELETE_POD);
	cr_expect_eq(e[8].pick, PICK_NAME);
	cr_expect_str_eq(e[8].pod, "web-5d8f7c-x7k2p");
	cr_expect_eq(e[9].action, ACTION_DELETE_POD);
	cr_expect_eq(e[9].pick, PICK_RANDOM);
	cr_expect_eq(e[9].revision, 1);
	cr_expect_eq(e[10].pick, PICK_OLDEST);
	cr_expect_eq(e[10].revision, 2);
	cr_expect_eq(e[11].pick, PICK_RANDOM);
	cr_expect_eq(e[11].revision, 3);
	cr_expect_eq(e[12].action, ACTION_RESUME);
	cr_expect_eq(e[12].at_ns, 10 * SEC);
}

Test(scenario, every_action_and_override_loads)
{
	struct world_config c;
	char line[1024];

	cr_assert_eq(load_sq(actions_scenario, &c, line, sizeof(line)), 0,
		     "%s", line);
	expect_actions_deployment(&c);
	cr_assert_eq(c.n_events, 13);
	expect_full_apply(&c.events[1]);
	expect_other_events(c.events);
	world_config_release(&c);
}

/* What depends on the current spec is the simulator's to reject. */
Test(scenario, apply_checks_only_what_the_patch_decides)
{
	static const char *const ok[] = {
		"'strategy':{'rollingUpdate':{'maxSurge':0}}",
		"'strategy':{'rollingUpdate':{'maxUnavailable':'0%'}}",
		"'minReadySeconds':700",
		"'progressDeadlineSeconds':1",
		"'strategy':{'type':'Recreate'}",
		"'strategy':{}",
	};
	struct world_config c;
	char json[512], line[1024];
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		snprintf(json, sizeof(json), "{'deployment':{'image':'a'},"
			 "'images':{'a':{}},'events':[{'at':'1s','action':"
			 "'apply','deployment':{%s}}]}", ok[i]);
		cr_expect_eq(load_sq(json, &c, line, sizeof(line)), 0,
			     "%s: %s", ok[i], line);
		world_config_release(&c);
	}
}

Test(scenario, minimal_scenario_gets_kubernetes_defaults)
{
	struct world_config c;
	const struct deployment_config *d = &c.deployment;
	char line[1024];

	cr_assert_eq(load_sq("{'deployment':{'image':'app:1'},"
			     "'images':{'app:1':{}}}", &c, line,
			     sizeof(line)), 0, "%s", line);
	cr_expect_eq(c.seed, 1);
	cr_expect_eq(c.until_ns, 15 * 60 * SEC);
	cr_expect_eq(d->replicas, 1);
	cr_expect_eq(d->strategy, STRATEGY_ROLLING_UPDATE);
	cr_expect_eq(d->max_surge.is_percent, 1);
	cr_expect_eq(d->max_surge.value, 25);
	cr_expect_eq(d->max_unavailable.is_percent, 1);
	cr_expect_eq(d->max_unavailable.value, 25);
	cr_expect_eq(d->min_ready_ns, 0);
	cr_expect_eq(d->progress_deadline_ns, 600 * SEC);
	cr_expect_eq(d->revision_history_limit, 10);
	cr_expect_eq(d->image, 0);
	cr_assert_eq(c.n_images, 1);
	cr_expect_eq(c.images[0].grace_ns, 30 * SEC);
	cr_expect_eq(c.images[0].prestop_ns, 0);
	cr_expect_eq(c.images[0].readiness.enabled, 0);
	cr_expect_eq(c.images[0].startup.kind, DIST_CONSTANT);
	cr_expect_eq(c.images[0].startup.a_ns, 0);
	cr_expect_eq(c.images[0].deletion_cost, 0);
	cr_expect_eq(d->paused, 0);
	cr_expect_eq(d->tmpl.mask, 0);
	cr_expect_eq(c.sync_delay.kind, DIST_CONSTANT);
	cr_expect_eq(c.sync_delay.a_ns, 0);
	cr_expect_eq(c.n_events, 0);
	cr_expect_null(c.events);
	world_config_release(&c);
}

Test(scenario, deployment_image_is_an_index)
{
	struct world_config c;
	char line[1024];

	cr_assert_eq(load_sq("{'deployment':{'image':'b'},'images':{'a':{},"
			     "'b':{},'c':{}}}", &c, line, sizeof(line)), 0,
		     "%s", line);
	cr_expect_eq(c.deployment.image, 1);
	cr_expect_str_eq(c.images[2].name, "c");
	world_config_release(&c);
}

struct duration_row {
	const char *text;
	sim_time_t ns;
};

Test(scenario, durations)
{
	static const struct duration_row ok[] = {
		{ "500ms", 500 * MS }, { "10s", 10 * SEC },
		{ "2m", 120 * SEC }, { "1h", 3600 * SEC },
		{ "1m30s", 90 * SEC }, { "1.5s", 1500 * MS },
		{ "250us", 250 * US }, { "250\xc2\xb5s", 250 * US },
		{ "250\xce\xbcs", 250 * US }, { "100ns", 100 * NS },
		{ "10", 10 * SEC }, { "1.5", 1500 * MS }, { "0", 0 },
		{ "0s", 0 }, { ".5s", 500 * MS }, { "1.s", 1 * SEC },
		{ "1h2m3.5s", 3723500 * MS }, { "0.1h", 360 * SEC },
		{ "0.000000001s", 1 }, { "1.0000000019s", SEC + 1 },
		{ "007s", 7 * SEC }, { "1ms1ns", MS + 1 }, { "-0s", 0 },
		{ "2562047h", INT64_C(2562047) * 3600 * SEC },
	};
	static const char *const bad[] = {
		"", "-1s", "10x", "s", "1..5s", "1m30", " 10s", "10s ",
		"1 s", "1e3s", "+1s", ".s", "ms", "2562048h", "1S",
		"99999999999999999999s", "9223372036854775808ns", "-",
		"1.5.s", "1h-1m",
	};
	sim_time_t v;
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		v = -1;
		cr_expect_eq(scenario_parse_duration(ok[i].text, &v), 0,
			     "\"%s\" rejected", ok[i].text);
		cr_expect_eq(v, ok[i].ns, "\"%s\": got %lld, want %lld",
			     ok[i].text, (long long)v, (long long)ok[i].ns);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = 12345;
		cr_expect_eq(scenario_parse_duration(bad[i], &v), -1,
			     "\"%s\" accepted as %lld", bad[i], (long long)v);
		cr_expect_eq(v, 12345, "\"%s\" wrote *out", bad[i]);
	}
}

/* JSON numbers are seconds, rounded to the nearest ns. */
Test(scenario, durations_as_json_numbers)
{
	static const struct duration_row rows[] = {
		{ "7", 7 * SEC }, { "0.25", 250 * MS }, { "1e-9", 1 },
		{ "90", 90 * SEC }, { "0.0000000016", 2 },
	};
	struct world_config c;
	char json[256], line[1024];
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		snprintf(json, sizeof(json), "{'until':%s,'deployment':"
			 "{'image':'a'},'images':{'a':{}}}", rows[i].text);
		cr_assert_eq(load_sq(json, &c, line, sizeof(line)), 0,
			     "%s: %s", rows[i].text, line);
		cr_expect_eq(c.until_ns, rows[i].ns, "%s: got %lld",
			     rows[i].text, (long long)c.until_ns);
		world_config_release(&c);
	}
}

struct intstr_row {
	const char *surge, *unav;  /* JSON values, "" = absent */
	int surge_pct, surge_val, unav_pct, unav_val;
};

Test(scenario, int_or_percent_forms)
{
	static const struct intstr_row rows[] = {
		{ "2", "'10%'", 0, 2, 1, 10 },
		{ "'0%'", "1", 1, 0, 0, 1 },
		{ "0", "'100%'", 0, 0, 1, 100 },
		{ "'200%'", "0", 1, 200, 0, 0 },   /* no upper bound */
		{ "0", "'1%'", 0, 0, 1, 1 },       /* literal, not rounded */
		{ "'007%'", "50", 1, 7, 0, 50 },
		{ "2147483647", "'0%'", 0, 2147483647, 1, 0 },
		{ "", "0", 1, 25, 0, 0 },          /* maxSurge default */
		{ "0", "", 0, 0, 1, 25 },
	};
	const struct deployment_config *d;
	struct world_config c;
	char json[512], line[1024], s[64], u[64];
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		snprintf(s, sizeof(s), "'maxSurge':%s", rows[i].surge);
		snprintf(u, sizeof(u), "'maxUnavailable':%s", rows[i].unav);
		snprintf(json, sizeof(json), "{'deployment':{'image':'a',"
			 "'strategy':{'rollingUpdate':{%s%s%s}}},"
			 "'images':{'a':{}}}", rows[i].surge[0] ? s : "",
			 rows[i].surge[0] && rows[i].unav[0] ? "," : "",
			 rows[i].unav[0] ? u : "");
		cr_assert_eq(load_sq(json, &c, line, sizeof(line)), 0,
			     "row %zu: %s", i, line);
		d = &c.deployment;
		cr_expect_eq(d->max_surge.is_percent, rows[i].surge_pct,
			     "row %zu", i);
		cr_expect_eq(d->max_surge.value, rows[i].surge_val,
			     "row %zu", i);
		cr_expect_eq(d->max_unavailable.is_percent, rows[i].unav_pct,
			     "row %zu", i);
		cr_expect_eq(d->max_unavailable.value, rows[i].unav_val,
			     "row %zu", i);
		world_config_release(&c);
	}
}

Test(scenario, recreate_strategy)
{
	struct world_config c;
	char line[1024];

	cr_assert_eq(load_sq("{'deployment':{'image':'a','strategy':"
			     "{'type':'Recreate'}},'images':{'a':{}}}", &c,
			     line, sizeof(line)), 0, "%s", line);
	cr_expect_eq(c.deployment.strategy, STRATEGY_RECREATE);
	world_config_release(&c);
}

struct broken_row {
	const char *name;
	const char *json;  /* ' stands for " */
	const char *want;  /* the full error line */
};

#define F LABEL ": "
#define IMGS "'images':{'app:1':{}}"
#define DEP "'deployment':{'image':'app:1'}"
#define WITH_DEP(x) "{'deployment':{'image':'app:1'," x "}," IMGS "}"
#define WITH_TOP(x) "{" DEP "," IMGS "," x "}"
#define WITH_IMG(x) "{" DEP ",'images':{'app:1':{" x "}}}"
#define WITH_RU(x) WITH_DEP("'strategy':{'rollingUpdate':{" x "}}")
#define WITH_EV(x) WITH_TOP("'events':[" x "]")
#define STARTUP(x) WITH_IMG("'startup':{" x "}")
#define EV(x) WITH_EV("{'at':'1s'," x "}")
#define APPLY(x) EV("'action':'apply','deployment':{" x "}")
#define DELETE_POD(x) EV("'action':'deletePod'," x)
#define INTSTR "expected a non-negative integer or a percentage such " \
	"as \"25%\", got "
#define DURATION "expected a duration with a unit (ns, us, ms, s, m, h) " \
	"such as \"1m30s\", got "

static const struct broken_row catalogue[] = {
	{ "replicas not a number", WITH_DEP("'replicas':'five'"),
	  F "deployment.replicas: expected a non-negative integer, "
	    "got \"five\"" },
	{ "replicas negative", WITH_DEP("'replicas':-1"),
	  F "deployment.replicas: expected a non-negative integer, got -1" },
	{ "replicas fractional", WITH_DEP("'replicas':2.5"),
	  F "deployment.replicas: expected a non-negative integer, got 2.5" },
	{ "replicas too large", WITH_DEP("'replicas':1e12"),
	  F "deployment.replicas: expected an integer <= 2147483647, "
	    "got 1000000000000" },
	{ "replicas an object", WITH_DEP("'replicas':{'n':3}"),
	  F "deployment.replicas: expected a non-negative integer, "
	    "got {\"n\":3}" },
	{ "unknown top-level key with hint", WITH_TOP("'seeds':1"),
	  F "unknown key \"seeds\" (did you mean \"seed\"?)" },
	{ "unknown deployment key with hint", WITH_DEP("'replica':3"),
	  F "deployment: unknown key \"replica\" (did you mean "
	    "\"replicas\"?)" },
	{ "unknown key without hint", WITH_TOP("'colour':'red'"),
	  F "unknown key \"colour\"" },
	{ "unknown key, prefix hint", WITH_DEP("'minReady':5"),
	  F "deployment: unknown key \"minReady\" (did you mean "
	    "\"minReadySeconds\"?)" },
	{ "unknown key, case hint", WITH_IMG("'ReadinessProbe':{}"),
	  F "images.app:1: unknown key \"ReadinessProbe\" (did you mean "
	    "\"readinessProbe\"?)" },
	{ "duplicate key", WITH_DEP("'replicas':1,'replicas':2"),
	  F "deployment: duplicate key \"replicas\"" },
	/* the '}' after the trailing comma: line 4, column 1 */
	{ "malformed: trailing comma in object",
	  "{\n  'deployment': {'image': 'app:1'},\n"
	  "  'images': {'app:1': {}},\n}\n",
	  F "malformed JSON at line 4, column 1" },
	/* 2 spaces, 'deployment' (12), ':', ' ', '{', 'image' (7), ' ':
	 * the second string starts in column 26 */
	{ "malformed: missing colon",
	  "{\n  'deployment': {'image' 'app:1'},\n  " IMGS "\n}\n",
	  F "malformed JSON at line 2, column 26" },
	/* 33 characters, the end of input is column 34 */
	{ "malformed: unterminated", "{'deployment': {'image': 'app:1'}",
	  F "malformed JSON at line 1, column 34" },
	/* '{', 'name' (6), ':', ' ', 'été' (5 characters), ',': '}' is
	 * column 16 though byte 18 */
	{ "malformed: column counts characters",
	  "{'name': '\xc3\xa9t\xc3\xa9',}",
	  F "malformed JSON at line 1, column 16" },
	/* line 3 is "  'events': [1,]": ']' in column 16 */
	{ "malformed: trailing comma in array",
	  "{" DEP ",\n" IMGS ",\n  'events': [1,]\n}",
	  F "malformed JSON at line 3, column 16" },
	/* the object is 54 characters, then ' ', then 'x' in column 56 */
	{ "malformed: garbage after the object", "{" DEP "," IMGS "} x",
	  F "malformed JSON at line 1, column 56" },
	{ "empty text", "", F "malformed JSON at line 1, column 1" },
	/* a byte order mark is skipped, not counted: ',' is column 2 */
	{ "malformed after a byte order mark", "\xef\xbb\xbf{,}",
	  F "malformed JSON at line 1, column 2" },
	{ "root not an object", "[1,2]", F "expected an object, got [1,2]" },
	{ "root a string", "'scenario'",
	  F "expected an object, got \"scenario\"" },
	{ "missing deployment", "{" IMGS "}",
	  F "missing required key \"deployment\"" },
	{ "missing images", "{" DEP "}", F "missing required key \"images\"" },
	{ "deployment not an object", "{'deployment':[]," IMGS "}",
	  F "deployment: expected an object, got []" },
	{ "missing deployment.image", "{'deployment':{'replicas':1}," IMGS "}",
	  F "deployment: missing required key \"image\"" },
	{ "deployment.image not described",
	  "{'deployment':{'image':'app:2'}," IMGS "}",
	  F "deployment.image: image \"app:2\" is not described in images" },
	{ "deployment.image not a string",
	  "{'deployment':{'image':5}," IMGS "}",
	  F "deployment.image: expected a string, got 5" },
	{ "duplicate image name", "{" DEP ",'images':{'app:1':{},'app:1':{}}}",
	  F "images.app:1: duplicate image name" },
	{ "setImage to an image not described",
	  WITH_EV("{'at':'1s','action':'setImage','image':'app:2'}"),
	  F "events[0].image: image \"app:2\" is not described in images" },
	{ "unknown action", WITH_EV("{'at':'1s','action':'rollback'}"),
	  F "events[0].action: unknown action \"rollback\" (known: "
	    "setImage, apply, scale, rolloutPause, rolloutResume, "
	    "rolloutUndo, deletePod)" },
	{ "unknown action with hint",
	  WITH_EV("{'at':'1s','action':'setimage'}"),
	  F "events[0].action: unknown action \"setimage\" (did you mean "
	    "\"setImage\"?)" },
	{ "missing at", WITH_EV("{'action':'setImage','image':'app:1'}"),
	  F "events[0]: missing required key \"at\"" },
	{ "missing action", WITH_EV("{'at':'1s'}"),
	  F "events[0]: missing required key \"action\"" },
	{ "missing setImage image", WITH_EV("{'at':'1s','action':'setImage'}"),
	  F "events[0]: missing required key \"image\"" },
	{ "key of another action",
	  WITH_EV("{'at':'1s','action':'setImage','image':'app:1'},"
		  "{'at':'2s','action':'setImage','image':'app:1',"
		  "'replicas':2}"),
	  F "events[1]: unknown key \"replicas\"" },
	{ "apply without deployment", EV("'action':'apply'"),
	  F "events[0]: missing required key \"deployment\"" },
	{ "apply with empty deployment", APPLY(""),
	  F "events[0].deployment: expected at least one field, got {}" },
	{ "apply deployment not an object",
	  EV("'action':'apply','deployment':'web'"),
	  F "events[0].deployment: expected an object, got \"web\"" },
	{ "apply changing the name", APPLY("'name':'web'"),
	  F "events[0].deployment.name: cannot be changed by apply (an apply "
	    "always targets the scenario's deployment)" },
	{ "apply with an undescribed image", APPLY("'image':'app:2'"),
	  F "events[0].deployment.image: image \"app:2\" is not described in "
	    "images" },
	{ "apply unknown key with hint", APPLY("'replica':3"),
	  F "events[0].deployment: unknown key \"replica\" (did you mean "
	    "\"replicas\"?)" },
	{ "apply replicas negative", APPLY("'replicas':-1"),
	  F "events[0].deployment.replicas: expected a non-negative integer, "
	    "got -1" },
	{ "apply both 0",
	  APPLY("'strategy':{'rollingUpdate':{'maxSurge':0,"
		"'maxUnavailable':'0%'}}"),
	  F "events[0].deployment.strategy.rollingUpdate.maxUnavailable: may "
	    "not be 0 when maxSurge is 0" },
	{ "apply Recreate with rollingUpdate",
	  APPLY("'strategy':{'type':'Recreate','rollingUpdate':"
		"{'maxSurge':1}}"),
	  F "events[0].deployment.strategy.rollingUpdate: may not be "
	    "specified when strategy type is \"Recreate\"" },
	{ "apply maxUnavailable above 100%",
	  APPLY("'strategy':{'rollingUpdate':{'maxUnavailable':'150%'}}"),
	  F "events[0].deployment.strategy.rollingUpdate.maxUnavailable: "
	    "expected a percentage of at most 100%, got \"150%\"" },
	{ "apply deadline <= minReadySeconds, both given",
	  APPLY("'minReadySeconds':30,'progressDeadlineSeconds':10"),
	  F "events[0].deployment.progressDeadlineSeconds: expected a value "
	    "greater than minReadySeconds (30), got 10" },
	{ "apply paused not a boolean", APPLY("'paused':1"),
	  F "events[0].deployment.paused: expected true or false, got 1" },
	{ "apply template override timeoutSeconds 0",
	  APPLY("'readinessProbe':{'timeoutSeconds':0}"),
	  F "events[0].deployment.readinessProbe.timeoutSeconds: expected a "
	    "positive integer, got 0" },
	{ "apply template override bad sample",
	  APPLY("'startup':{'dist':'empirical','samples':['1s','x']}"),
	  F "events[0].deployment.startup.samples[1]: " DURATION "\"x\"" },
	{ "scale without replicas", EV("'action':'scale'"),
	  F "events[0]: missing required key \"replicas\"" },
	{ "scale replicas a string", EV("'action':'scale','replicas':'ten'"),
	  F "events[0].replicas: expected a non-negative integer, "
	    "got \"ten\"" },
	{ "scale with a key of setImage",
	  EV("'action':'scale','replicas':2,'image':'app:1'"),
	  F "events[0]: unknown key \"image\"" },
	{ "rolloutPause with toRevision",
	  EV("'action':'rolloutPause','toRevision':1"),
	  F "events[0]: unknown key \"toRevision\"" },
	{ "rolloutUndo toRevision negative",
	  EV("'action':'rolloutUndo','toRevision':-1"),
	  F "events[0].toRevision: expected a non-negative integer, got -1" },
	{ "rolloutUndo toRevision typo", EV("'action':'rolloutUndo',"
					    "'torevision':1"),
	  F "events[0]: unknown key \"torevision\" (did you mean "
	    "\"toRevision\"?)" },
	{ "deletePod with pod and revision",
	  DELETE_POD("'pod':'app-1','revision':1"),
	  F "events[0]: give either \"pod\" or \"revision\", not both" },
	{ "deletePod with neither pod nor revision", EV("'action':'deletePod'"),
	  F "events[0]: missing required key \"pod\" or \"revision\"" },
	{ "deletePod pick newest", DELETE_POD("'revision':1,'pick':'newest'"),
	  F "events[0].pick: unknown pick \"newest\" (known: random, "
	    "oldest)" },
	{ "deletePod pick typo", DELETE_POD("'revision':1,'pick':'Oldest'"),
	  F "events[0].pick: unknown pick \"Oldest\" (did you mean "
	    "\"oldest\"?)" },
	{ "deletePod revision 0", DELETE_POD("'revision':0"),
	  F "events[0].revision: expected a positive integer, got 0" },
	{ "deletePod pick with pod", DELETE_POD("'pod':'app-1','pick':'oldest'"),
	  F "events[0].pick: may only be given with \"revision\"" },
	{ "deletePod empty pod name", DELETE_POD("'pod':''"),
	  F "events[0].pod: expected a pod name of 1 to 95 bytes, got \"\"" },
	{ "deletePod pod not a string", DELETE_POD("'pod':3"),
	  F "events[0].pod: expected a string, got 3" },
	{ "controllers not an object", WITH_TOP("'controllers':5"),
	  F "controllers: expected an object, got 5" },
	{ "unknown key in controllers with hint",
	  WITH_TOP("'controllers':{'syncdelay':'1s'}"),
	  F "controllers: unknown key \"syncdelay\" (did you mean "
	    "\"syncDelay\"?)" },
	{ "syncDelay unknown distribution",
	  WITH_TOP("'controllers':{'syncDelay':{'dist':'pareto'}}"),
	  F "controllers.syncDelay.dist: unknown distribution \"pareto\" "
	    "(known: constant, uniform, exponential, normal, lognormal, "
	    "gamma, weibull, empirical)" },
	{ "syncDelay negative", WITH_TOP("'controllers':{'syncDelay':'-1s'}"),
	  F "controllers.syncDelay: expected a non-negative duration, "
	    "got \"-1s\"" },
	{ "podDeletionCost fractional", WITH_IMG("'podDeletionCost':1.5"),
	  F "images.app:1.podDeletionCost: expected an integer, got 1.5" },
	{ "podDeletionCost a string", WITH_IMG("'podDeletionCost':'high'"),
	  F "images.app:1.podDeletionCost: expected an integer, "
	    "got \"high\"" },
	{ "podDeletionCost above int32", WITH_IMG("'podDeletionCost':3e9"),
	  F "images.app:1.podDeletionCost: expected an integer <= "
	    "2147483647, got 3000000000" },
	{ "podDeletionCost below int32",
	  WITH_IMG("'podDeletionCost':-2147483649"),
	  F "images.app:1.podDeletionCost: expected an integer >= "
	    "-2147483648, got -2147483649" },
	{ "deployment.paused not a boolean", WITH_DEP("'paused':'yes'"),
	  F "deployment.paused: expected true or false, got \"yes\"" },
	{ "deployment-level periodSeconds 0",
	  WITH_DEP("'readinessProbe':{'periodSeconds':0}"),
	  F "deployment.readinessProbe.periodSeconds: expected a positive "
	    "integer, got 0" },
	{ "deployment-level podDeletionCost fractional",
	  WITH_DEP("'podDeletionCost':0.5"),
	  F "deployment.podDeletionCost: expected an integer, got 0.5" },
	{ "deployment-level unknown key, template hint",
	  WITH_DEP("'prestopSleep':'1s'"),
	  F "deployment: unknown key \"prestopSleep\" (did you mean "
	    "\"preStopSleep\"?)" },
	{ "events not an array", WITH_TOP("'events':{}"),
	  F "events: expected an array of events, got {}" },
	{ "event not an object", WITH_TOP("'events':[5]"),
	  F "events[0]: expected an object, got 5" },
	{ "bad duration unit",
	  WITH_EV("{'at':'10x','action':'setImage','image':'app:1'}"),
	  F "events[0].at: " DURATION "\"10x\"" },
	{ "negative duration", WITH_IMG("'preStopSleep':'-1s'"),
	  F "images.app:1.preStopSleep: expected a non-negative duration, "
	    "got \"-1s\"" },
	{ "negative duration as number", WITH_TOP("'until':-5"),
	  F "until: expected a non-negative duration, got -5" },
	{ "duration of a wrong type", WITH_TOP("'until':true"),
	  F "until: expected a duration such as \"10s\" or a number of "
	    "seconds, got true" },
	{ "duration overflow", WITH_TOP("'until':'3000000h'"),
	  F "until: expected a duration below 2562047h, got \"3000000h\"" },
	{ "until 0", WITH_TOP("'until':'0s'"),
	  F "until: expected a positive duration, got \"0s\"" },
	{ "maxSurge not a percentage", WITH_RU("'maxSurge':'abc'"),
	  F "deployment.strategy.rollingUpdate.maxSurge: " INTSTR "\"abc\"" },
	{ "maxSurge negative", WITH_RU("'maxSurge':-1"),
	  F "deployment.strategy.rollingUpdate.maxSurge: " INTSTR "-1" },
	{ "maxSurge digits without %", WITH_RU("'maxSurge':'5'"),
	  F "deployment.strategy.rollingUpdate.maxSurge: " INTSTR "\"5\"" },
	{ "maxUnavailable negative percent", WITH_RU("'maxUnavailable':'-5%'"),
	  F "deployment.strategy.rollingUpdate.maxUnavailable: " INTSTR
	    "\"-5%\"" },
	{ "both 0", WITH_RU("'maxSurge':0,'maxUnavailable':0"),
	  F "deployment.strategy.rollingUpdate.maxUnavailable: may not be 0 "
	    "when maxSurge is 0" },
	{ "0% and 0", WITH_RU("'maxSurge':'0%','maxUnavailable':0"),
	  F "deployment.strategy.rollingUpdate.maxUnavailable: may not be 0 "
	    "when maxSurge is 0" },
	{ "maxUnavailable above 100%", WITH_RU("'maxUnavailable':'101%'"),
	  F "deployment.strategy.rollingUpdate.maxUnavailable: expected a "
	    "percentage of at most 100%, got \"101%\"" },
	{ "rollingUpdate with Recreate",
	  WITH_DEP("'strategy':{'type':'Recreate','rollingUpdate':"
		   "{'maxSurge':1}}"),
	  F "deployment.strategy.rollingUpdate: may not be specified when "
	    "strategy type is \"Recreate\"" },
	{ "unknown strategy type", WITH_DEP("'strategy':{'type':'BlueGreen'}"),
	  F "deployment.strategy.type: unknown strategy type \"BlueGreen\" "
	    "(known: RollingUpdate, Recreate)" },
	{ "periodSeconds 0", WITH_IMG("'readinessProbe':{'periodSeconds':0}"),
	  F "images.app:1.readinessProbe.periodSeconds: expected a positive "
	    "integer, got 0" },
	{ "successThreshold 0",
	  WITH_IMG("'readinessProbe':{'successThreshold':0}"),
	  F "images.app:1.readinessProbe.successThreshold: expected a "
	    "positive integer, got 0" },
	{ "readinessProbe not an object", WITH_IMG("'readinessProbe':true"),
	  F "images.app:1.readinessProbe: expected an object or null, "
	    "got true" },
	{ "neverReady not a boolean",
	  WITH_IMG("'readinessProbe':{'neverReady':'yes'}"),
	  F "images.app:1.readinessProbe.neverReady: expected true or false, "
	    "got \"yes\"" },
	{ "grace negative", WITH_IMG("'terminationGracePeriodSeconds':-1"),
	  F "images.app:1.terminationGracePeriodSeconds: expected a "
	    "non-negative integer, got -1" },
	{ "lognormal missing median",
	  STARTUP("'dist':'lognormal','sigma':0.3"),
	  F "images.app:1.startup: missing required key \"median\"" },
	{ "lognormal missing sigma",
	  STARTUP("'dist':'lognormal','median':'3s'"),
	  F "images.app:1.startup: missing required key \"sigma\"" },
	{ "lognormal sigma 0",
	  STARTUP("'dist':'lognormal','median':'3s','sigma':0"),
	  F "images.app:1.startup.sigma: expected a positive number, got 0" },
	{ "lognormal mixed parameters",
	  STARTUP("'dist':'lognormal','median':'3s','sd':'1s'"),
	  F "images.app:1.startup: give either median and sigma or mean and "
	    "sd, not a mix" },
	{ "uniform min > max", STARTUP("'dist':'uniform','min':'2s','max':1"),
	  F "images.app:1.startup: min \"2s\" is greater than max 1" },
	{ "empirical with empty samples", STARTUP("'dist':'empirical',"
						  "'samples':[]"),
	  F "images.app:1.startup.samples: expected a non-empty array of "
	    "durations, got []" },
	{ "empirical bad sample",
	  STARTUP("'dist':'empirical','samples':['1s','x']"),
	  F "images.app:1.startup.samples[1]: " DURATION "\"x\"" },
	{ "unknown dist name", STARTUP("'dist':'pareto'"),
	  F "images.app:1.startup.dist: unknown distribution \"pareto\" "
	    "(known: constant, uniform, exponential, normal, lognormal, "
	    "gamma, weibull, empirical)" },
	{ "dist name typo", STARTUP("'dist':'lognorml'"),
	  F "images.app:1.startup.dist: unknown distribution \"lognorml\" "
	    "(did you mean \"lognormal\"?)" },
	{ "parameter of another family",
	  STARTUP("'dist':'exponential','mean':'1s','sd':'1s'"),
	  F "images.app:1.startup: unknown key \"sd\"" },
	{ "exponential mean 0", STARTUP("'dist':'exponential','mean':0"),
	  F "images.app:1.startup.mean: expected a positive duration, got 0" },
	{ "gamma missing shape", STARTUP("'dist':'gamma','mean':'1s'"),
	  F "images.app:1.startup: missing required key \"shape\"" },
	{ "missing dist", STARTUP("'value':'1s'"),
	  F "images.app:1.startup: missing required key \"dist\"" },
	{ "dist of a wrong type", WITH_IMG("'pull':true"),
	  F "images.app:1.pull: expected a duration or a distribution "
	    "object, got true" },
	{ "progressDeadlineSeconds == minReadySeconds",
	  WITH_DEP("'minReadySeconds':30,'progressDeadlineSeconds':30"),
	  F "deployment.progressDeadlineSeconds: expected a value greater "
	    "than minReadySeconds (30), got 30" },
	{ "default progressDeadlineSeconds <= minReadySeconds",
	  WITH_DEP("'minReadySeconds':600"),
	  F "deployment.progressDeadlineSeconds: expected a value greater "
	    "than minReadySeconds (600), got 600 (the default)" },
	{ "bad deployment name", WITH_DEP("'name':'Flask_App'"),
	  F "deployment.name: expected a DNS-1123 label (lowercase letters, "
	    "digits and '-', starting and ending with a letter or digit), "
	    "got \"Flask_App\"" },
	{ "deployment name ending in -", WITH_DEP("'name':'web-'"),
	  F "deployment.name: expected a DNS-1123 label (lowercase letters, "
	    "digits and '-', starting and ending with a letter or digit), "
	    "got \"web-\"" },
	/* 53 characters; shown: '"' and 39 a, then ... */
	{ "deployment name too long",
	  WITH_DEP("'name':'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		   "aaaaaaa'"),
	  F "deployment.name: expected at most 52 characters, so that "
	    "replicaset and pod names fit in 63, "
	    "got \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa..." },
	{ "seed negative", WITH_TOP("'seed':-1"),
	  F "seed: expected a non-negative integer, got -1" },
	{ "seed above 2^53", WITH_TOP("'seed':1e20"),
	  F "seed: expected an integer <= 2^53, got 1e+20" },
	{ "name not a string", WITH_TOP("'name':5"),
	  F "name: expected a string, got 5" },
	{ "image not an object", "{" DEP ",'images':{'app:1':5}}",
	  F "images.app:1: expected an object, got 5" },
	{ "empty image name", "{'deployment':{'image':''},'images':{'':{}}}",
	  F "images[\"\"]: expected an image name of 1 to 127 bytes" },
	{ "image key with dots",
	  "{'deployment':{'image':'flask-app:1.0'},'images':{'flask-app:1.0':"
	  "{'startup':{'dist':'normal','mean':'1s'}}}}",
	  F "images[\"flask-app:1.0\"].startup: missing required key \"sd\"" },
};

Test(scenario, catalogue_of_broken_scenarios)
{
	struct world_config c;
	char line[1024];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(catalogue) / sizeof(catalogue[0]); i++) {
		rc = load_sq(catalogue[i].json, &c, line, sizeof(line));
		cr_expect_eq(rc, RS_EINPUT, "%s: rc %d", catalogue[i].name, rc);
		cr_expect(strcmp(line, catalogue[i].want) == 0,
			  "%s:\n  got:  %s\n  want: %s", catalogue[i].name,
			  line, catalogue[i].want);
		cr_expect_null(c.images, "%s: images kept", catalogue[i].name);
		cr_expect_eq(c.n_images, 0);
		cr_expect_null(c.events, "%s: events kept", catalogue[i].name);
		world_config_release(&c);
	}
}

Test(scenario, missing_file)
{
	struct world_config c;
	struct rs_error err = { 0 };
	char line[1024];

	cr_assert_eq(scenario_load_file("/nonexistent/x.json", &c, &err),
		     RS_EINPUT);
	rs_error_format(&err, line, sizeof(line));
	cr_expect_str_eq(line, "/nonexistent/x.json: cannot read: No such "
			 "file or directory");
	cr_expect_null(c.images);
}

/* Writes text to a fresh temporary file; returns its malloc'd name. */
static char *write_temp(const char *text, size_t len)
{
	char *name = strdup("/tmp/test_scenario_XXXXXX");
	int fd;

	cr_assert_not_null(name);
	fd = mkstemp(name);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
	return name;
}

Test(scenario, file_round_trip_and_nul_byte)
{
	struct world_config c;
	struct rs_error err = { 0 };
	char *text = sq_to_dq(full_scenario), *name, line[1024], want[1100];
	size_t len = strlen(text);

	name = write_temp(text, len);
	cr_expect_eq(scenario_load_file(name, &c, &err), 0, "%s", err.msg);
	cr_expect_eq(c.n_images, 4);
	world_config_release(&c);
	unlink(name);
	free(name);
	/* a NUL byte inside the text: line 2, column 3 */
	text[strlen("{\n  ")] = '\0';
	name = write_temp(text, len);
	cr_expect_eq(scenario_load_file(name, &c, &err), RS_EINPUT);
	rs_error_format(&err, line, sizeof(line));
	snprintf(want, sizeof(want), "%s: malformed JSON at line 2, column 3",
		 name);
	cr_expect_str_eq(line, want);
	unlink(name);
	free(name);
	free(text);
}

/* Loads text; on failure the error must be recorded and cfg empty. */
static void load_any(const char *text, const char *what, size_t pos)
{
	struct world_config c;
	struct rs_error err = { 0 };
	int rc = scenario_load_string(text, LABEL, &c, &err);

	if (rc) {
		cr_expect_eq(rc, err.code, "%s at %zu", what, pos);
		cr_expect(err.msg[0] != '\0', "%s at %zu: no message", what,
			  pos);
		cr_expect_null(c.images, "%s at %zu", what, pos);
		cr_expect_null(c.events, "%s at %zu", what, pos);
	}
	world_config_release(&c);
}

/* Every prefix of sq, and sq with each byte replaced by each of a few
 * structural characters, loads or fails cleanly. */
static void truncate_and_corrupt(const char *sq)
{
	char *text = sq_to_dq(sq), *buf;
	size_t len = strlen(text), i;
	static const char subst[] = { '}', '"', '[', '\\', '0', ',' };
	size_t k;

	buf = malloc(len + 1);
	cr_assert_not_null(buf);
	for (i = 0; i <= len; i++) {
		memcpy(buf, text, i);
		buf[i] = '\0';
		load_any(buf, "truncated", i);
	}
	for (i = 0; i < len; i++) {
		for (k = 0; k < sizeof(subst); k++) {
			memcpy(buf, text, len + 1);
			buf[i] = subst[k];
			load_any(buf, "corrupted", i);
		}
	}
	free(buf);
	free(text);
}

Test(scenario, truncated_and_corrupted_scenarios)
{
	truncate_and_corrupt(full_scenario);
}

Test(scenario, truncated_and_corrupted_actions_scenario)
{
	truncate_and_corrupt(actions_scenario);
}

/* Repeats unit n times between head and tail (malloc'd). */
static char *repeat(const char *head, const char *unit, size_t n,
		    const char *tail)
{
	size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail), i;
	char *s = malloc(hl + ul * n + tl + 1), *p;

	cr_assert_not_null(s);
	memcpy(s, head, hl);
	p = s + hl;
	for (i = 0; i < n; i++, p += ul)
		memcpy(p, unit, ul);
	memcpy(p, tail, tl + 1);
	return s;
}

Test(scenario, hostile_inputs)
{
	static const char *const odd[] = {
		"null", "true", "1e999", "-1e999", "\"\\u0000\"", "{}",
		"{\"deployment\":{\"image\":\"a\",\"replicas\":1e999},"
		"\"images\":{\"a\":{}}}",
		"{\"deployment\":{\"image\":\"a\",\"replicas\":-0},"
		"\"images\":{\"a\":{}}}",
		"{\"deployment\":{\"image\":\"a\\u0000b\"},"
		"\"images\":{\"a\":{}}}",
		"{\"\\u0001\\\"\":1}", "\xef\xbb\xbf{}", "\xff\xfe",
	};
	char *s;
	size_t i;

	for (i = 0; i < sizeof(odd) / sizeof(odd[0]); i++)
		load_any(odd[i], "odd", i);
	s = repeat("", "[", 100000, "");
	load_any(s, "deep arrays", 0);
	free(s);
	s = repeat("{\"deployment\":{\"image\":\"a\",\"replicas\":", "[",
		   5000, "}");
	load_any(s, "deep value", 0);
	free(s);
	s = repeat("{\"", "k.", 3000, "\":1}");
	load_any(s, "long key", 0);
	free(s);
	s = repeat("{\"deployment\":{\"image\":\"i0\"},\"images\":{\"i0\":{}",
		   ",\"x\":{}", 2000, "}}");
	load_any(s, "duplicate images", 0);
	free(s);
}

Test(scenario, many_events_sort_stably)
{
	struct world_config c;
	char *s, line[1024];
	size_t i;

	s = repeat("{\"deployment\":{\"image\":\"a\"},\"images\":{\"a\":{},"
		   "\"b\":{}},\"events\":[{\"at\":\"1m\",\"action\":"
		   "\"setImage\",\"image\":\"b\"}",
		   ",{\"at\":\"1m\",\"action\":\"setImage\",\"image\":\"a\"},"
		   "{\"at\":0,\"action\":\"setImage\",\"image\":\"b\"}",
		   2000, "]}");
	cr_assert_eq(load_sq(s, &c, line, sizeof(line)), 0, "%s", line);
	cr_assert_eq(c.n_events, 4001);
	for (i = 0; i < 2000; i++)
		cr_assert_eq(c.events[i].at_ns, 0);
	cr_assert_eq(c.events[2000].image, 1);  /* first in the file */
	for (i = 2001; i < 4001; i++)
		cr_assert_eq(c.events[i].image, 0);
	world_config_release(&c);
	free(s);
}
