/* test_scenario.c - the scenario loader (sim/scenario/scenario.h).
 *
 * A full scenario loads field by field, a minimal one gets the apps/v1
 * defaults (docs/kubernetes.md §1); a scenario with every event action,
 * deployment-level template overrides and controllers loads exactly, and
 * so does one with every key of cluster, network, traffic, PDB, drainNode
 * and the newer image keys; durations, int-or-percent forms and cpu /
 * memory quantities are tables; a catalogue of broken scenarios pins the
 * exact error line of each (line and column of syntax errors counted by
 * hand); a missing file and every truncation / corruption of the three
 * full scenarios must fail cleanly (run under ASan+UBSan to catch leaks
 * and crashes). JSON in this file is
 * written with ' for " (sq_to_dq) to keep it readable.
 */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/scenario/scenario.h"
#include "scenario_sq.h"

#define LABEL SQ_LABEL
#define NS INT64_C(1)
#define US INT64_C(1000)
#define MS INT64_C(1000000)
#define SEC INT64_C(1000000000)

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

/* Every field full_scenario gives, as its text gives it. */
static void expect_full_scenario(const struct world_config *c)
{
	const struct deploy_config *d = &c->deployment;

	cr_expect_str_eq(c->name, "flask-demo");
	cr_expect_eq(c->seed, 42);
	cr_expect_eq(c->until_ns, 20 * 60 * SEC);
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
	expect_full_images(c);
	expect_more_images(c);
	/* sorted by at, file order kept on the 5m tie */
	cr_assert_eq(c->n_events, 3);
	cr_expect_eq(c->events[0].at_ns, 30 * SEC);
	cr_expect_eq(c->events[0].image, 1);
	cr_expect_eq(c->events[1].at_ns, 5 * 60 * SEC);
	cr_expect_eq(c->events[1].image, 2);
	cr_expect_eq(c->events[2].at_ns, 5 * 60 * SEC);
	cr_expect_eq(c->events[2].image, 3);
	cr_expect_eq(c->events[2].action, ACTION_SET_IMAGE);
}

Test(scenario, full_scenario_loads_every_field)
{
	struct world_config c;
	char line[1024];

	cr_assert_eq(load_sq(full_scenario, &c, line, sizeof(line)), 0,
		     "%s", line);
	expect_full_scenario(&c);
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
	const struct deploy_config *d = &c->deployment;
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
	const struct deploy_config *v = &e->patch.v;
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

/* One accepted apply: the patch text and what it must record. */
struct apply_row {
	const char *patch;  /* deployment keys, ' for " */
	uint32_t mask;      /* PATCH_* bits: only the keys given */
	sim_time_t ns;      /* minReady / deadline, when in mask */
	int pct, val;       /* maxSurge / maxUnavailable, when in mask */
};

/* The recorded fields of row r's one apply event at 1 s. */
static void expect_apply_row(const struct apply_row *r,
			     const struct world_event *e)
{
	const struct deploy_config *v = &e->patch.v;

	cr_expect_eq(e->action, ACTION_APPLY, "%s", r->patch);
	cr_expect_eq(e->at_ns, 1 * SEC, "%s", r->patch);
	cr_expect_eq(e->patch.mask, r->mask, "%s: mask %#x", r->patch,
		     (unsigned)e->patch.mask);
	cr_expect_eq(v->tmpl.mask, 0, "%s: template touched", r->patch);
	if (r->mask & PATCH_MAX_SURGE) {
		cr_expect_eq(v->max_surge.is_percent, r->pct, "%s", r->patch);
		cr_expect_eq(v->max_surge.value, r->val, "%s", r->patch);
	}
	if (r->mask & PATCH_MAX_UNAVAILABLE) {
		cr_expect_eq(v->max_unavailable.is_percent, r->pct, "%s",
			     r->patch);
		cr_expect_eq(v->max_unavailable.value, r->val, "%s",
			     r->patch);
	}
	if (r->mask & PATCH_MIN_READY)
		cr_expect_eq(v->min_ready_ns, r->ns, "%s", r->patch);
	if (r->mask & PATCH_PROGRESS_DEADLINE)
		cr_expect_eq(v->progress_deadline_ns, r->ns, "%s", r->patch);
	if (r->mask & PATCH_STRATEGY_TYPE)
		cr_expect_eq(v->strategy, STRATEGY_RECREATE, "%s", r->patch);
}

/* What depends on the current spec is the simulator's to reject; what
 * is accepted is recorded as given, key by key (docs/scenario.md: "Only
 * the keys given change"; an empty strategy gives none). */
Test(scenario, apply_checks_only_what_the_patch_decides)
{
	static const struct apply_row ok[] = {
		{ "'strategy':{'rollingUpdate':{'maxSurge':0}}",
		  PATCH_MAX_SURGE, 0, 0, 0 },
		{ "'strategy':{'rollingUpdate':{'maxUnavailable':'0%'}}",
		  PATCH_MAX_UNAVAILABLE, 0, 1, 0 },
		{ "'minReadySeconds':700", PATCH_MIN_READY, 700 * SEC, 0, 0 },
		{ "'progressDeadlineSeconds':1", PATCH_PROGRESS_DEADLINE,
		  1 * SEC, 0, 0 },
		{ "'strategy':{'type':'Recreate'}", PATCH_STRATEGY_TYPE, 0, 0,
		  0 },
		{ "'strategy':{}", 0, 0, 0, 0 },
	};
	struct world_config c;
	char json[512], line[1024];
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		snprintf(json, sizeof(json), "{'deployment':{'image':'a'},"
			 "'images':{'a':{}},'events':[{'at':'1s','action':"
			 "'apply','deployment':{%s}}]}", ok[i].patch);
		cr_expect_eq(load_sq(json, &c, line, sizeof(line)), 0,
			     "%s: %s", ok[i].patch, line);
		if (line[0])
			continue;
		cr_assert_eq(c.n_events, 1, "%s", ok[i].patch);
		expect_apply_row(&ok[i], &c.events[0]);
		world_config_release(&c);
	}
}

/* Every key of the cluster / network / traffic schema and every new image
 * key, in an image, as deployment-level overrides and in an apply;
 * schedule steps and events out of order. */
static const char new_keys_scenario[] =
	"{\n"
	"  'deployment': {\n"
	"    'name': 'shop',\n"
	"    'replicas': 4,\n"
	"    'image': 'shop:1',\n"
	"    'podDisruptionBudget': { 'minAvailable': '50%' },\n"
	"    'livenessProbe': { 'periodSeconds': 5,\n"
	"                       'failureProbability': 0.01 },\n"
	"    'requests': { 'cpu': 2 },\n"
	"    'queueCapacity': 'unlimited'\n"
	"  },\n"
	"  'images': {\n"
	"    'shop:1': {\n"
	"      'containerStart': '500ms',\n"
	"      'readinessProbe': { 'periodSeconds': 1,\n"
	"                          'failureProbability': 0.25 },\n"
	"      'livenessProbe': { 'initialDelaySeconds': 3,\n"
	"        'periodSeconds': 2,\n"
	"        'timeoutSeconds': 2, 'successThreshold': 1,\n"
	"        'failureThreshold': 6, 'failureProbability': 0,\n"
	"        'neverReady': false },\n"
	"      'startupProbe': { 'periodSeconds': 1, 'failureThreshold': 30,\n"
	"                        'neverReady': true },\n"
	"      'crash': { 'after': { 'dist': 'exponential', 'mean': '2m' },\n"
	"                 'probability': 0.5 },\n"
	"      'requests': { 'cpu': '250m', 'memory': '128Mi' },\n"
	"      'imagePullPolicy': 'Always',\n"
	"      'pullFailureProbability': 0.1,\n"
	"      'warmup': { 'duration': '30s', 'factor': 3 },\n"
	"      'acceptDuringShutdown': true,\n"
	"      'drainConnections': true,\n"
	"      'concurrency': 16,\n"
	"      'queueCapacity': 0,\n"
	"      'serviceTime': { 'dist': 'lognormal', 'median': '15ms',\n"
	"                       'sigma': 0.5 }\n"
	"    },\n"
	"    'shop:2': {\n"
	"      'livenessProbe': null, 'startupProbe': null, 'crash': null,\n"
	"      'warmup': null, 'requests': { 'cpu': '1.5', 'memory': '1G' },\n"
	"      'imagePullPolicy': 'IfNotPresent'\n"
	"    },\n"
	"    'shop:3': { 'crash': { 'after': '10s' } }\n"
	"  },\n"
	"  'cluster': {\n"
	"    'nodes': [\n"
	"      { 'name': 'big', 'cpu': '8', 'memory': '32Gi',\n"
	"        'maxPods': 50 },\n"
	"      { },\n"
	"      { 'cpu': 4 }\n"
	"    ],\n"
	"    'podsPerNode': 30, 'cpu': '2', 'memory': '8Gi',\n"
	"    'schedulingDelay': { 'dist': 'uniform', 'min': '10ms',\n"
	"                         'max': '40ms' }\n"
	"  },\n"
	"  'network': { 'endpointPropagation': {\n"
	"    'kubeProxy': { 'dist': 'exponential', 'mean': '300ms' },\n"
	"    'ingress': '2s' } },\n"
	"  'traffic': {\n"
	"    'rate': 200, 'arrivals': 'constant', 'start': '10s',\n"
	"    'timeout': '3s', 'loadBalancing': 'leastRequest',\n"
	"    'via': 'ingress',\n"
	"    'schedule': [ { 'at': '5m', 'rate': 50 },\n"
	"                  { 'at': '1m', 'rate': 400 },\n"
	"                  { 'at': '5m', 'rate': 60 },\n"
	"                  { 'at': 0, 'rate': 100 } ],\n"
	"    'retries': { 'count': 2, 'on': ['overload', 'timeout'],\n"
	"                 'backoff': '100ms' },\n"
	"    'connections': { 'keepAlive': true, 'count': 8,\n"
	"                     'requestsPerConnection': 100 }\n"
	"  },\n"
	"  'events': [\n"
	"    { 'at': '3m', 'action': 'drainNode', 'node': 'node-3' },\n"
	"    { 'at': '1m', 'action': 'apply', 'deployment': {\n"
	"      'image': 'shop:2', 'containerStart': '1s',\n"
	"      'startupProbe': { 'successThreshold': 1,\n"
	"                        'failureProbability': 1 },\n"
	"      'crash': null, 'requests': { 'memory': 1000 },\n"
	"      'imagePullPolicy': 'IfNotPresent',\n"
	"      'pullFailureProbability': 1,\n"
	"      'warmup': { 'duration': 0, 'factor': 1 },\n"
	"      'acceptDuringShutdown': false, 'drainConnections': false,\n"
	"      'concurrency': 1, 'queueCapacity': 5,\n"
	"      'serviceTime': '5ms' } },\n"
	"    { 'at': '2m', 'action': 'drainNode', 'node': 'big' }\n"
	"  ]\n"
	"}\n";

static void expect_probe_prob(const struct probe_config *p, double prob)
{
	cr_expect_float_eq(p->failure_prob, prob, 1e-15);
}

static void expect_shop1(const struct image_config *im)
{
	cr_expect_str_eq(im->name, "shop:1");
	cr_expect_eq(im->container_start.kind, DIST_CONSTANT);
	cr_expect_eq(im->container_start.a_ns, 500 * MS);
	expect_probe(&im->readiness, 0, 1 * SEC, 1 * SEC, 1, 3, 0);
	expect_probe_prob(&im->readiness, 0.25);
	expect_probe(&im->liveness, 3 * SEC, 2 * SEC, 2 * SEC, 1, 6, 0);
	expect_probe_prob(&im->liveness, 0.0);
	expect_probe(&im->startup_probe, 0, 1 * SEC, 1 * SEC, 1, 30, 1);
	cr_expect_eq(im->crash.enabled, 1);
	cr_expect_eq(im->crash.after.kind, DIST_EXPONENTIAL);
	cr_expect_eq(im->crash.after.a_ns, 120 * SEC);
	cr_expect_float_eq(im->crash.probability, 0.5, 1e-15);
	cr_expect_eq(im->cpu_milli, 250);
	cr_expect_eq(im->memory_bytes, INT64_C(134217728));
	cr_expect_eq(im->pull_policy, PULL_ALWAYS);
	cr_expect_float_eq(im->pull_failure_prob, 0.1, 1e-15);
	cr_expect_eq(im->warmup.duration_ns, 30 * SEC);
	cr_expect_float_eq(im->warmup.factor, 3.0, 1e-15);
	cr_expect_eq(im->accept_during_shutdown, 1);
	cr_expect_eq(im->drain_connections, 1);
	cr_expect_eq(im->concurrency, 16);
	cr_expect_eq(im->queue_capacity, 0);
	cr_expect_eq(im->service_time.kind, DIST_LOGNORMAL);
	cr_expect_eq(im->service_time.a_ns, 15 * MS);
	cr_expect_float_eq(im->service_time.shape, 0.5, 1e-15);
}

/* shop:2 switches everything off by null; shop:3 has only a crash. */
static void expect_shop2_shop3(const struct image_config *im)
{
	cr_expect_eq(im[1].liveness.enabled, 0);
	cr_expect_eq(im[1].startup_probe.enabled, 0);
	cr_expect_eq(im[1].crash.enabled, 0);
	cr_expect_eq(im[1].warmup.duration_ns, 0);
	cr_expect_float_eq(im[1].warmup.factor, 1.0, 1e-15);
	cr_expect_eq(im[1].cpu_milli, 1500);
	cr_expect_eq(im[1].memory_bytes, INT64_C(1000000000));
	cr_expect_eq(im[1].pull_policy, PULL_IF_NOT_PRESENT);
	/* image_config_defaults for what shop:2 does not give */
	cr_expect_eq(im[1].concurrency, 8);
	cr_expect_eq(im[1].queue_capacity, 100);
	cr_expect_eq(im[1].service_time.kind, DIST_EXPONENTIAL);
	cr_expect_eq(im[1].service_time.a_ns, 20 * MS);
	cr_expect_float_eq(im[1].pull_failure_prob, 0.0, 1e-15);
	cr_expect_eq(im[2].crash.enabled, 1);
	cr_expect_eq(im[2].crash.after.kind, DIST_CONSTANT);
	cr_expect_eq(im[2].crash.after.a_ns, 10 * SEC);
	cr_expect_float_eq(im[2].crash.probability, 1.0, 1e-15);
}

static void expect_shop_deployment(const struct deploy_config *d)
{
	const struct image_config *t = &d->tmpl.v;

	cr_expect_eq(d->pdb.enabled, 1);
	cr_expect_eq(d->pdb.use_min_available, 1);
	cr_expect_eq(d->pdb.min_available.is_percent, 1);
	cr_expect_eq(d->pdb.min_available.value, 50);
	cr_expect_eq(d->tmpl.mask, TMPL_LIVENESS | TMPL_REQUESTS | TMPL_QUEUE);
	expect_probe(&t->liveness, 0, 5 * SEC, 1 * SEC, 1, 3, 0);
	expect_probe_prob(&t->liveness, 0.01);
	cr_expect_eq(t->cpu_milli, 2000);
	cr_expect_eq(t->memory_bytes, 0);
	cr_expect_eq(t->queue_capacity, QUEUE_UNLIMITED);
}

/* Explicit node, then two that take the cluster's defaults. */
static void expect_shop_cluster(const struct cluster_config *cl)
{
	cr_expect_eq(cl->enabled, 1);
	cr_assert_eq(cl->n_nodes, 3);
	cr_expect_str_eq(cl->nodes[0].name, "big");
	cr_expect_eq(cl->nodes[0].cpu_milli, 8000);
	cr_expect_eq(cl->nodes[0].memory_bytes, INT64_C(34359738368));
	cr_expect_eq(cl->nodes[0].max_pods, 50);
	cr_expect_str_eq(cl->nodes[1].name, "node-2");
	cr_expect_eq(cl->nodes[1].cpu_milli, 2000);
	cr_expect_eq(cl->nodes[1].memory_bytes, INT64_C(8589934592));
	cr_expect_eq(cl->nodes[1].max_pods, 30);
	cr_expect_str_eq(cl->nodes[2].name, "node-3");
	cr_expect_eq(cl->nodes[2].cpu_milli, 4000);
	cr_expect_eq(cl->nodes[2].memory_bytes, INT64_C(8589934592));
	cr_expect_eq(cl->nodes[2].max_pods, 30);
	cr_expect_eq(cl->scheduling.kind, DIST_UNIFORM);
	cr_expect_eq(cl->scheduling.a_ns, 10 * MS);
	cr_expect_eq(cl->scheduling.b_ns, 40 * MS);
}

static void expect_shop_traffic(const struct traffic_config *t)
{
	cr_expect_eq(t->enabled, 1);
	cr_expect_float_eq(t->rate_per_s, 200.0, 1e-12);
	cr_expect_eq(t->arrivals, ARRIVALS_CONSTANT);
	cr_expect_eq(t->start_ns, 10 * SEC);
	cr_expect_eq(t->timeout_ns, 3 * SEC);
	cr_expect_eq(t->lb, LB_LEAST_REQUEST);
	cr_expect_eq(t->via, CONSUMER_INGRESS);
	/* sorted by at, file order kept on the 5m tie */
	cr_assert_eq(t->n_schedule, 4);
	cr_expect_eq(t->schedule[0].at_ns, 0);
	cr_expect_float_eq(t->schedule[0].rate_per_s, 100.0, 1e-12);
	cr_expect_eq(t->schedule[1].at_ns, 60 * SEC);
	cr_expect_float_eq(t->schedule[1].rate_per_s, 400.0, 1e-12);
	cr_expect_eq(t->schedule[2].at_ns, 300 * SEC);
	cr_expect_float_eq(t->schedule[2].rate_per_s, 50.0, 1e-12);
	cr_expect_eq(t->schedule[3].at_ns, 300 * SEC);
	cr_expect_float_eq(t->schedule[3].rate_per_s, 60.0, 1e-12);
	cr_expect_eq(t->retries, 2);
	/* overload and timeout: bits 3 and 4 */
	cr_expect_eq(t->retry_on, (1u << 3) | (1u << 4));
	cr_expect_eq(t->retry_backoff_ns, 100 * MS);
	cr_expect_eq(t->keep_alive, 1);
	cr_expect_eq(t->conn_count, 8);
	cr_expect_eq(t->requests_per_conn, 100);
}

/* events[0] after sorting: the apply at 1m. */
static void expect_shop_apply(const struct world_event *e)
{
	const struct image_config *t = &e->patch.v.tmpl.v;

	cr_expect_eq(e->action, ACTION_APPLY);
	cr_expect_eq(e->patch.mask, PATCH_IMAGE);
	cr_expect_eq(e->patch.v.image, 1);
	cr_expect_eq(e->patch.v.tmpl.mask, TMPL_CONTAINER_START |
		     TMPL_STARTUP_PROBE | TMPL_CRASH | TMPL_REQUESTS |
		     TMPL_PULL_POLICY | TMPL_PULL_FAILURE | TMPL_WARMUP |
		     TMPL_ACCEPT_SHUTDOWN | TMPL_DRAIN_CONNECTIONS |
		     TMPL_CONCURRENCY | TMPL_QUEUE | TMPL_SERVICE_TIME);
	cr_expect_eq(t->container_start.a_ns, 1 * SEC);
	expect_probe(&t->startup_probe, 0, 10 * SEC, 1 * SEC, 1, 3, 0);
	expect_probe_prob(&t->startup_probe, 1.0);
	cr_expect_eq(t->crash.enabled, 0);
	cr_expect_eq(t->cpu_milli, 0);  /* requests replace both */
	cr_expect_eq(t->memory_bytes, 1000);
	cr_expect_eq(t->pull_policy, PULL_IF_NOT_PRESENT);
	cr_expect_float_eq(t->pull_failure_prob, 1.0, 1e-15);
	cr_expect_eq(t->warmup.duration_ns, 0);
	cr_expect_float_eq(t->warmup.factor, 1.0, 1e-15);
	cr_expect_eq(t->accept_during_shutdown, 0);
	cr_expect_eq(t->drain_connections, 0);
	cr_expect_eq(t->concurrency, 1);
	cr_expect_eq(t->queue_capacity, 5);
	cr_expect_eq(t->service_time.kind, DIST_CONSTANT);
	cr_expect_eq(t->service_time.a_ns, 5 * MS);
}

Test(scenario, new_keys_load_exactly)
{
	struct world_config c;
	char line[1024];

	cr_assert_eq(load_sq(new_keys_scenario, &c, line, sizeof(line)), 0,
		     "%s", line);
	cr_assert_eq(c.n_images, 3);
	expect_shop1(&c.images[0]);
	expect_shop2_shop3(c.images);
	expect_shop_deployment(&c.deployment);
	expect_shop_cluster(&c.cluster);
	cr_expect_eq(c.network.propagation[CONSUMER_KUBE_PROXY].kind,
		     DIST_EXPONENTIAL);
	cr_expect_eq(c.network.propagation[CONSUMER_KUBE_PROXY].a_ns,
		     300 * MS);
	cr_expect_eq(c.network.propagation[CONSUMER_INGRESS].kind,
		     DIST_CONSTANT);
	cr_expect_eq(c.network.propagation[CONSUMER_INGRESS].a_ns, 2 * SEC);
	expect_shop_traffic(&c.traffic);
	cr_assert_eq(c.n_events, 3);
	expect_shop_apply(&c.events[0]);
	cr_expect_eq(c.events[1].action, ACTION_DRAIN_NODE);
	cr_expect_eq(c.events[1].at_ns, 120 * SEC);
	cr_expect_eq(c.events[1].node, 0);
	cr_expect_eq(c.events[2].action, ACTION_DRAIN_NODE);
	cr_expect_eq(c.events[2].node, 2);
	world_config_release(&c);
}

/* The count form of nodes, one distribution for every consumer (deep
 * copies), traffic with only a rate, retries.on empty. */
Test(scenario, short_forms_and_defaults_of_new_sections)
{
	struct world_config c;
	const struct dist *p = c.network.propagation;
	char line[1024];
	int32_t i;

	cr_assert_eq(load_sq("{'deployment':{'image':'a'},'images':{'a':{}},"
			     "'cluster':{'nodes':3,'cpu':'500m'},"
			     "'network':{'endpointPropagation':{'dist':"
			     "'empirical','samples':['1s','2s']}},"
			     "'traffic':{'rate':0.5}}", &c, line,
			     sizeof(line)), 0, "%s", line);
	cr_assert_eq(c.cluster.n_nodes, 3);
	for (i = 0; i < 3; i++) {
		cr_expect_eq(c.cluster.nodes[i].cpu_milli, 500);
		cr_expect_eq(c.cluster.nodes[i].memory_bytes, 0);
		cr_expect_eq(c.cluster.nodes[i].max_pods, 110);
	}
	cr_expect_str_eq(c.cluster.nodes[0].name, "node-1");
	cr_expect_str_eq(c.cluster.nodes[2].name, "node-3");
	cr_expect_eq(c.cluster.scheduling.a_ns, 0);
	cr_expect_eq(p[CONSUMER_KUBE_PROXY].kind, DIST_EMPIRICAL);
	cr_expect_eq(p[CONSUMER_INGRESS].kind, DIST_EMPIRICAL);
	cr_assert_eq(p[CONSUMER_INGRESS].n_samples, 2);
	cr_expect_eq(p[CONSUMER_INGRESS].samples[1], 2 * SEC);
	cr_expect_neq(p[CONSUMER_INGRESS].samples,
		      p[CONSUMER_KUBE_PROXY].samples);
	cr_expect_eq(c.traffic.enabled, 1);
	cr_expect_float_eq(c.traffic.rate_per_s, 0.5, 1e-15);
	cr_expect_eq(c.traffic.arrivals, ARRIVALS_POISSON);
	cr_expect_eq(c.traffic.lb, LB_RANDOM);
	cr_expect_eq(c.traffic.via, CONSUMER_KUBE_PROXY);
	cr_expect_eq(c.traffic.conn_count, 32);
	cr_expect_eq(c.traffic.retries, 0);
	cr_expect_eq(c.traffic.retry_on, (1u << OUTCOME_NO_ENDPOINT) |
		     (1u << OUTCOME_REFUSED) | (1u << OUTCOME_RESET));
	cr_expect_null(c.traffic.schedule);
	world_config_release(&c);
	cr_assert_eq(load_sq("{'deployment':{'image':'a'},'images':{'a':{}},"
			     "'network':{'endpointPropagation':'250ms'},"
			     "'traffic':{'rate':1,'schedule':[],'retries':"
			     "{'count':0,'on':[]}}}", &c, line,
			     sizeof(line)), 0, "%s", line);
	cr_expect_eq(c.cluster.enabled, 0);
	cr_expect_eq(p[CONSUMER_KUBE_PROXY].a_ns, 250 * MS);
	cr_expect_eq(p[CONSUMER_INGRESS].a_ns, 250 * MS);
	cr_expect_eq(c.traffic.retry_on, 0);
	cr_expect_eq(c.traffic.n_schedule, 0);
	world_config_release(&c);
}

struct quantity_row {
	const char *json;   /* the value, ' for " */
	int64_t want;
};

/* Quantities as resource.Quantity reads them (values by hand). */
Test(scenario, cpu_and_memory_quantities)
{
	static const struct quantity_row cpu[] = {
		{ "'250m'", 250 }, { "'1'", 1000 }, { "'1.5'", 1500 },
		{ "2", 2000 }, { "0.25", 250 }, { "'0.001'", 1 },
		{ "'0'", 0 }, { "'1.'", 1000 }, { "'.5'", 500 },
		{ "1.005", 1005 }, { "'1000000m'", 1000000 },
	};
	static const struct quantity_row mem[] = {
		{ "'128Mi'", INT64_C(134217728) },
		{ "'1Gi'", INT64_C(1073741824) },
		{ "'500M'", INT64_C(500000000) },
		{ "'1G'", INT64_C(1000000000) },
		{ "'1000'", 1000 }, { "1000", 1000 }, { "'1k'", 1000 },
		{ "'1Ki'", 1024 }, { "'1.5Gi'", INT64_C(1610612736) },
		{ "'2T'", INT64_C(2000000000000) },
		{ "'1Ti'", INT64_C(1099511627776) }, { "'0.5Ki'", 512 },
	};
	struct world_config c;
	char json[256], line[1024];
	size_t i;

	for (i = 0; i < sizeof(cpu) / sizeof(cpu[0]); i++) {
		snprintf(json, sizeof(json), "{'deployment':{'image':'a'},"
			 "'images':{'a':{'requests':{'cpu':%s}}}}",
			 cpu[i].json);
		cr_assert_eq(load_sq(json, &c, line, sizeof(line)), 0,
			     "%s: %s", cpu[i].json, line);
		cr_expect_eq(c.images[0].cpu_milli, cpu[i].want,
			     "%s: got %lld", cpu[i].json,
			     (long long)c.images[0].cpu_milli);
		world_config_release(&c);
	}
	for (i = 0; i < sizeof(mem) / sizeof(mem[0]); i++) {
		snprintf(json, sizeof(json), "{'deployment':{'image':'a'},"
			 "'images':{'a':{'requests':{'memory':%s}}}}",
			 mem[i].json);
		cr_assert_eq(load_sq(json, &c, line, sizeof(line)), 0,
			     "%s: %s", mem[i].json, line);
		cr_expect_eq(c.images[0].memory_bytes, mem[i].want,
			     "%s: got %lld", mem[i].json,
			     (long long)c.images[0].memory_bytes);
		world_config_release(&c);
	}
}

Test(scenario, minimal_scenario_gets_kubernetes_defaults)
{
	struct world_config c;
	const struct deploy_config *d = &c.deployment;
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
	cr_expect_str_eq(d->container, "app");
	cr_expect_eq(d->tmpl.mask, 0);
	cr_expect_eq(c.sync_delay.kind, DIST_CONSTANT);
	cr_expect_eq(c.sync_delay.a_ns, 0);
	cr_expect_eq(c.n_events, 0);
	cr_expect_null(c.events);
	/* no cluster, network or traffic: the models' defaults */
	cr_expect_eq(c.cluster.enabled, 0);
	cr_expect_null(c.cluster.nodes);
	cr_expect_eq(c.network.propagation[CONSUMER_INGRESS].a_ns, 0);
	cr_expect_eq(c.traffic.enabled, 0);
	cr_expect_eq(d->pdb.enabled, 0);
	cr_expect_eq(c.images[0].liveness.enabled, 0);
	cr_expect_eq(c.images[0].crash.enabled, 0);
	cr_expect_eq(c.images[0].queue_capacity, 100);
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
	const struct deploy_config *d;
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
	/* the simulator's limit (DEPLOY_REPLICAS_MAX, 100000) is named
	 * rather than int32's */
	{ "replicas too large", WITH_DEP("'replicas':1e12"),
	  F "deployment.replicas: expected at most 100000 replicas (the "
	    "simulator's limit), got 1000000000000" },
	{ "replicas an object", WITH_DEP("'replicas':{'n':3}"),
	  F "deployment.replicas: expected a non-negative integer, "
	    "got {\"n\":3}" },
	{ "replicas one above the limit", WITH_DEP("'replicas':100001"),
	  F "deployment.replicas: expected at most 100000 replicas (the "
	    "simulator's limit), got 100001" },
	{ "scale to int32's maximum",
	  EV("'action':'scale','replicas':2147483647"),
	  F "events[0].replicas: expected at most 100000 replicas (the "
	    "simulator's limit), got 2147483647" },
	/* 1e30 is shown as cJSON would print it */
	{ "scale to 1e30", EV("'action':'scale','replicas':1e30"),
	  F "events[0].replicas: expected at most 100000 replicas (the "
	    "simulator's limit), got 1e+30" },
	{ "apply replicas above the limit", APPLY("'replicas':100001"),
	  F "events[0].deployment.replicas: expected at most 100000 "
	    "replicas (the simulator's limit), got 100001" },
	/* every connection is scanned when a pod dies */
	{ "connections.count above the limit",
	  WITH_TOP("'traffic':{'rate':1,'connections':{'keepAlive':true,"
		   "'count':100001}}"),
	  F "traffic.connections.count: expected at most 100000 "
	    "connections, got 100001" },
	/* cJSON skips bytes 1-32 as whitespace; after the document only
	 * JSON's whitespace may follow: the object is 54 characters, the
	 * control byte is column 55 */
	{ "malformed: a control byte after the object",
	  "{" DEP "," IMGS "}\x01",
	  F "malformed JSON at line 1, column 55" },
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
	    "rolloutUndo, deletePod, drainNode, promote, abort, retry)" },
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
	{ "apply renaming the container", APPLY("'container':'web'"),
	  F "events[0].deployment.container: cannot be changed by apply (the "
	    "container's name is fixed for the run)" },
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
	{ "bad container name", WITH_DEP("'container':'Web_1'"),
	  F "deployment.container: expected a DNS-1123 label of at most 63 "
	    "characters (lowercase letters, digits and '-', starting and "
	    "ending with a letter or digit), got \"Web_1\"" },
	{ "container name not a string", WITH_DEP("'container':7"),
	  F "deployment.container: expected a string, got 7" },
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
	/* the keys of the cluster, network and traffic schema */
	{ "bad memory quantity", WITH_IMG("'requests':{'memory':'12x'}"),
	  F "images.app:1.requests.memory: expected a memory quantity such "
	    "as \"128Mi\", \"1G\" or 1000000, got \"12x\"" },
	{ "memory suffix K (Kubernetes has k and Ki)",
	  WITH_IMG("'requests':{'memory':'1K'}"),
	  F "images.app:1.requests.memory: expected a memory quantity such "
	    "as \"128Mi\", \"1G\" or 1000000, got \"1K\"" },
	{ "negative cpu", WITH_IMG("'requests':{'cpu':-1}"),
	  F "images.app:1.requests.cpu: expected a non-negative cpu "
	    "quantity, got -1" },
	{ "negative cpu string", WITH_IMG("'requests':{'cpu':'-250m'}"),
	  F "images.app:1.requests.cpu: expected a non-negative cpu "
	    "quantity, got \"-250m\"" },
	{ "cpu finer than 1m", WITH_IMG("'requests':{'cpu':'0.0001'}"),
	  F "images.app:1.requests.cpu: expected a whole number of "
	    "millicores (at most 3 decimals of a core), got \"0.0001\"" },
	{ "cpu with a memory suffix", WITH_IMG("'requests':{'cpu':'1Gi'}"),
	  F "images.app:1.requests.cpu: expected a cpu quantity such as "
	    "\"250m\", \"1.5\" or 2, got \"1Gi\"" },
	{ "half a byte", WITH_IMG("'requests':{'memory':'0.5'}"),
	  F "images.app:1.requests.memory: expected a whole number of bytes, "
	    "got \"0.5\"" },
	{ "memory above 2^63 bytes",
	  WITH_IMG("'requests':{'memory':'9000000Ti'}"),
	  F "images.app:1.requests.memory: expected a memory quantity below "
	    "2^63 bytes, got \"9000000Ti\"" },
	{ "unknown key in requests with hint",
	  WITH_IMG("'requests':{'mem':'1Gi'}"),
	  F "images.app:1.requests: unknown key \"mem\" (did you mean "
	    "\"memory\"?)" },
	{ "requests not an object", WITH_IMG("'requests':'250m'"),
	  F "images.app:1.requests: expected an object, got \"250m\"" },
	{ "pullFailureProbability 1.5",
	  WITH_IMG("'pullFailureProbability':1.5"),
	  F "images.app:1.pullFailureProbability: expected a number from 0 "
	    "to 1, got 1.5" },
	{ "readiness failureProbability negative",
	  WITH_IMG("'readinessProbe':{'failureProbability':-0.1}"),
	  F "images.app:1.readinessProbe.failureProbability: expected a "
	    "number from 0 to 1, got -0.1" },
	{ "liveness successThreshold 2",
	  WITH_IMG("'livenessProbe':{'successThreshold':2}"),
	  F "images.app:1.livenessProbe.successThreshold: must be 1 for a "
	    "liveness probe, got 2" },
	{ "liveness successThreshold 0",
	  WITH_IMG("'livenessProbe':{'successThreshold':0}"),
	  F "images.app:1.livenessProbe.successThreshold: expected a "
	    "positive integer, got 0" },
	{ "apply startupProbe successThreshold 3",
	  APPLY("'startupProbe':{'successThreshold':3}"),
	  F "events[0].deployment.startupProbe.successThreshold: must be 1 "
	    "for a startup probe, got 3" },
	{ "startupProbe not an object", WITH_IMG("'startupProbe':[]"),
	  F "images.app:1.startupProbe: expected an object or null, got []" },
	{ "queueCapacity lots", WITH_IMG("'queueCapacity':'lots'"),
	  F "images.app:1.queueCapacity: expected a non-negative integer or "
	    "\"unlimited\", got \"lots\"" },
	{ "queueCapacity negative", WITH_IMG("'queueCapacity':-1"),
	  F "images.app:1.queueCapacity: expected a non-negative integer or "
	    "\"unlimited\", got -1" },
	{ "queueCapacity above int32", WITH_IMG("'queueCapacity':3e9"),
	  F "images.app:1.queueCapacity: expected an integer <= 2147483647, "
	    "got 3000000000" },
	{ "concurrency 0", WITH_IMG("'concurrency':0"),
	  F "images.app:1.concurrency: expected a positive integer, got 0" },
	{ "deployment-level concurrency fractional",
	  WITH_DEP("'concurrency':2.5"),
	  F "deployment.concurrency: expected a positive integer, got 2.5" },
	{ "imagePullPolicy Never", WITH_IMG("'imagePullPolicy':'Never'"),
	  F "images.app:1.imagePullPolicy: \"Never\" is not supported (nodes "
	    "start without images, so no container could start); use "
	    "\"IfNotPresent\" or \"Always\"" },
	{ "imagePullPolicy case", WITH_IMG("'imagePullPolicy':'always'"),
	  F "images.app:1.imagePullPolicy: unknown imagePullPolicy "
	    "\"always\" (did you mean \"Always\"?)" },
	{ "warmup factor 0.5",
	  WITH_IMG("'warmup':{'duration':'10s','factor':0.5}"),
	  F "images.app:1.warmup.factor: expected a number >= 1, got 0.5" },
	{ "warmup without duration", WITH_IMG("'warmup':{'factor':2}"),
	  F "images.app:1.warmup: missing required key \"duration\"" },
	{ "crash without after", WITH_IMG("'crash':{'probability':0.5}"),
	  F "images.app:1.crash: missing required key \"after\"" },
	{ "crash probability 2",
	  WITH_IMG("'crash':{'after':'1m','probability':2}"),
	  F "images.app:1.crash.probability: expected a number from 0 to 1, "
	    "got 2" },
	{ "crash not an object", WITH_IMG("'crash':true"),
	  F "images.app:1.crash: expected an object or null, got true" },
	{ "crash after negative", WITH_IMG("'crash':{'after':'-1s'}"),
	  F "images.app:1.crash.after: expected a non-negative duration, "
	    "got \"-1s\"" },
	{ "acceptDuringShutdown not a boolean",
	  WITH_IMG("'acceptDuringShutdown':'yes'"),
	  F "images.app:1.acceptDuringShutdown: expected true or false, "
	    "got \"yes\"" },
	{ "apply serviceTime unknown distribution",
	  APPLY("'serviceTime':{'dist':'pareto'}"),
	  F "events[0].deployment.serviceTime.dist: unknown distribution "
	    "\"pareto\" (known: constant, uniform, exponential, normal, "
	    "lognormal, gamma, weibull, empirical)" },
	{ "nodes 0", WITH_TOP("'cluster':{'nodes':0}"),
	  F "cluster.nodes: expected a positive integer or a non-empty array "
	    "of nodes, got 0" },
	{ "nodes []", WITH_TOP("'cluster':{'nodes':[]}"),
	  F "cluster.nodes: expected a positive integer or a non-empty array "
	    "of nodes, got []" },
	{ "nodes above the limit", WITH_TOP("'cluster':{'nodes':20000}"),
	  F "cluster.nodes: expected at most 10000 nodes, got 20000" },
	{ "cluster without nodes", WITH_TOP("'cluster':{'podsPerNode':10}"),
	  F "cluster: missing required key \"nodes\"" },
	{ "cluster key typo", WITH_TOP("'cluster':{'nodes':1,'podPerNode':5}"),
	  F "cluster: unknown key \"podPerNode\" (did you mean "
	    "\"podsPerNode\"?)" },
	{ "podsPerNode 0", WITH_TOP("'cluster':{'nodes':1,'podsPerNode':0}"),
	  F "cluster.podsPerNode: expected a positive integer, got 0" },
	{ "duplicate node name",
	  WITH_TOP("'cluster':{'nodes':[{'name':'a'},{'name':'a'}]}"),
	  F "cluster.nodes[1].name: duplicate node name \"a\"" },
	{ "default node name taken",
	  WITH_TOP("'cluster':{'nodes':[{'name':'node-2'},{}]}"),
	  F "cluster.nodes[1]: duplicate node name \"node-2\" (the default "
	    "name of this entry)" },
	{ "node name not a label",
	  WITH_TOP("'cluster':{'nodes':[{'name':'Node_1'}]}"),
	  F "cluster.nodes[0].name: expected a DNS-1123 label (lowercase "
	    "letters, digits and '-', starting and ending with a letter or "
	    "digit), got \"Node_1\"" },
	{ "node maxPods 0", WITH_TOP("'cluster':{'nodes':[{'maxPods':0}]}"),
	  F "cluster.nodes[0].maxPods: expected a positive integer, got 0" },
	{ "node entry not an object", WITH_TOP("'cluster':{'nodes':[{},3]}"),
	  F "cluster.nodes[1]: expected an object, got 3" },
	{ "node cpu bad", WITH_TOP("'cluster':{'nodes':[{'cpu':'four'}]}"),
	  F "cluster.nodes[0].cpu: expected a cpu quantity such as \"250m\", "
	    "\"1.5\" or 2, got \"four\"" },
	{ "PDB with both keys",
	  WITH_DEP("'podDisruptionBudget':{'minAvailable':1,"
		   "'maxUnavailable':1}"),
	  F "deployment.podDisruptionBudget: give either \"minAvailable\" or "
	    "\"maxUnavailable\", not both" },
	{ "PDB with neither key", WITH_DEP("'podDisruptionBudget':{}"),
	  F "deployment.podDisruptionBudget: missing required key "
	    "\"minAvailable\" or \"maxUnavailable\"" },
	{ "PDB above 100%",
	  WITH_DEP("'podDisruptionBudget':{'maxUnavailable':'150%'}"),
	  F "deployment.podDisruptionBudget.maxUnavailable: expected a "
	    "percentage of at most 100%, got \"150%\"" },
	{ "PDB negative", WITH_DEP("'podDisruptionBudget':{'minAvailable':-1}"),
	  F "deployment.podDisruptionBudget.minAvailable: " INTSTR "-1" },
	{ "PDB in an apply",
	  APPLY("'podDisruptionBudget':{'minAvailable':1}"),
	  F "events[0].deployment.podDisruptionBudget: cannot be changed by "
	    "apply (the budget is a separate object, given once in the "
	    "scenario's deployment)" },
	{ "endpointPropagation consumer typo",
	  WITH_TOP("'network':{'endpointPropagation':{'kubeproxy':'1s'}}"),
	  F "network.endpointPropagation: unknown key \"kubeproxy\" (did you "
	    "mean \"kubeProxy\"?)" },
	{ "endpointPropagation distribution without dist",
	  WITH_TOP("'network':{'endpointPropagation':{'mean':'1s'}}"),
	  F "network.endpointPropagation: unknown key \"mean\" (expected "
	    "\"kubeProxy\" and/or \"ingress\", or a distribution with "
	    "\"dist\")" },
	{ "endpointPropagation ingress negative",
	  WITH_TOP("'network':{'endpointPropagation':{'ingress':'-1s'}}"),
	  F "network.endpointPropagation.ingress: expected a non-negative "
	    "duration, got \"-1s\"" },
	{ "endpointPropagation bad distribution",
	  WITH_TOP("'network':{'endpointPropagation':{'dist':'normal',"
		   "'mean':'1s'}}"),
	  F "network.endpointPropagation: missing required key \"sd\"" },
	{ "network key typo", WITH_TOP("'network':{'propagation':'1s'}"),
	  F "network: unknown key \"propagation\"" },
	{ "traffic without rate", WITH_TOP("'traffic':{'timeout':'1s'}"),
	  F "traffic: missing required key \"rate\"" },
	{ "traffic rate -1", WITH_TOP("'traffic':{'rate':-1}"),
	  F "traffic.rate: expected a non-negative number, got -1" },
	{ "traffic rate too high", WITH_TOP("'traffic':{'rate':2e6}"),
	  F "traffic.rate: expected at most 1000000 requests per second, "
	    "got 2000000" },
	{ "traffic rate a string", WITH_TOP("'traffic':{'rate':'100/s'}"),
	  F "traffic.rate: expected a non-negative number, got \"100/s\"" },
	{ "loadBalancing leastConn",
	  WITH_TOP("'traffic':{'rate':1,'loadBalancing':'leastConn'}"),
	  F "traffic.loadBalancing: unknown load balancing policy "
	    "\"leastConn\" (known: random, roundRobin, leastRequest)" },
	{ "arrivals unknown",
	  WITH_TOP("'traffic':{'rate':1,'arrivals':'bursty'}"),
	  F "traffic.arrivals: unknown arrival process \"bursty\" (known: "
	    "poisson, constant)" },
	{ "traffic.via egress", WITH_TOP("'traffic':{'rate':1,'via':'egress'}"),
	  F "traffic.via: unknown load balancer \"egress\" (did you mean "
	    "\"ingress\"?)" },
	{ "traffic.via service",
	  WITH_TOP("'traffic':{'rate':1,'via':'service'}"),
	  F "traffic.via: unknown load balancer \"service\" (known: "
	    "kubeProxy, ingress)" },
	{ "traffic timeout negative",
	  WITH_TOP("'traffic':{'rate':1,'timeout':'-2s'}"),
	  F "traffic.timeout: expected a non-negative duration, "
	    "got \"-2s\"" },
	{ "schedule entry without at",
	  WITH_TOP("'traffic':{'rate':1,'schedule':[{'at':'1m','rate':2},"
		   "{'rate':3}]}"),
	  F "traffic.schedule[1]: missing required key \"at\"" },
	{ "schedule rate negative",
	  WITH_TOP("'traffic':{'rate':1,'schedule':[{'at':'1m','rate':-2}]}"),
	  F "traffic.schedule[0].rate: expected a non-negative number, "
	    "got -2" },
	{ "schedule not an array",
	  WITH_TOP("'traffic':{'rate':1,'schedule':{'at':'1m','rate':2}}"),
	  F "traffic.schedule: expected an array of {\"at\", \"rate\"} steps, "
	    "got {\"at\":\"1m\",\"rate\":2}" },
	{ "retries.on slow",
	  WITH_TOP("'traffic':{'rate':1,'retries':{'count':1,"
		   "'on':['reset','slow']}}"),
	  F "traffic.retries.on[1]: unknown cause \"slow\" (known: "
	    "no_endpoint, refused, overload, timeout, reset, app_error)" },
	{ "retries without count",
	  WITH_TOP("'traffic':{'rate':1,'retries':{'backoff':'1s'}}"),
	  F "traffic.retries: missing required key \"count\"" },
	{ "retries count above the limit",
	  WITH_TOP("'traffic':{'rate':1,'retries':{'count':1000}}"),
	  F "traffic.retries.count: expected at most 100 retries, got 1000" },
	{ "connections.count 0",
	  WITH_TOP("'traffic':{'rate':1,'connections':{'count':0}}"),
	  F "traffic.connections.count: expected a positive integer, got 0" },
	{ "connections keepAlive typo",
	  WITH_TOP("'traffic':{'rate':1,'connections':{'keepalive':true}}"),
	  F "traffic.connections: unknown key \"keepalive\" (did you mean "
	    "\"keepAlive\"?)" },
	{ "drainNode unknown node",
	  WITH_TOP("'cluster':{'nodes':3},'events':["
		   "{'at':'1s','action':'scale','replicas':1},"
		   "{'at':'2s','action':'scale','replicas':2},"
		   "{'at':'3s','action':'drainNode','node':'node-9'}]"),
	  F "events[2].node: node \"node-9\" is not in cluster.nodes" },
	{ "drainNode without cluster",
	  WITH_TOP("'events':[{'at':'1s','action':'scale','replicas':1},"
		   "{'at':'2s','action':'scale','replicas':2},"
		   "{'at':'3s','action':'drainNode','node':'node-1'}]"),
	  F "events[2].node: drainNode needs a cluster (no cluster in this "
	    "scenario)" },
	{ "drainNode without node",
	  WITH_TOP("'cluster':{'nodes':1},'events':[{'at':'1s',"
		   "'action':'drainNode'}]"),
	  F "events[0]: missing required key \"node\"" },
	{ "drainNode with a key of deletePod",
	  WITH_TOP("'cluster':{'nodes':1},'events':[{'at':'1s',"
		   "'action':'drainNode','node':'node-1','pod':'x'}]"),
	  F "events[0]: unknown key \"pod\" (did you mean \"node\"?)" },
};

Test(scenario, catalogue_of_broken_scenarios)
{
	struct world_config c;
	char line[1024];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(catalogue) / sizeof(catalogue[0]); i++) {
		rc = load_sq(catalogue[i].json, &c, line, sizeof(line));
		cr_expect_eq(rc, RSIM_EINPUT, "%s: rc %d", catalogue[i].name, rc);
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
	struct rsim_error err = { 0 };
	char line[1024];

	cr_assert_eq(scenario_load_file("/nonexistent/x.json", &c, &err),
		     RSIM_EINPUT);
	rsim_error_format(&err, line, sizeof(line));
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
	struct rsim_error err = { 0 };
	char *text = sq_to_dq(full_scenario), *name, line[1024], want[1100];
	size_t len = strlen(text);

	name = write_temp(text, len);
	cr_assert_eq(scenario_load_file(name, &c, &err), 0, "%s", err.msg);
	expect_full_scenario(&c);
	world_config_release(&c);
	unlink(name);
	free(name);
	/* a NUL byte inside the text: line 2, column 3 */
	text[strlen("{\n  ")] = '\0';
	name = write_temp(text, len);
	cr_expect_eq(scenario_load_file(name, &c, &err), RSIM_EINPUT);
	rsim_error_format(&err, line, sizeof(line));
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
	struct rsim_error err = { 0 };
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

Test(scenario, truncated_and_corrupted_new_keys_scenario)
{
	truncate_and_corrupt(new_keys_scenario);
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

/* The error line of loading text ("" when it loads). */
static void load_line(const char *text, char *line, size_t n)
{
	struct world_config c;
	struct rsim_error err = { 0 };

	line[0] = '\0';
	if (scenario_load_string(text, LABEL, &c, &err))
		rsim_error_format(&err, line, n);
	world_config_release(&c);
}

/* "x": n brackets deep, in a valid scenario (malloc'd). */
static char *deep_value(const char *pre, size_t n)
{
	char *s = repeat(pre, "[", n, ""), *t = repeat(s, "]", n, "}");

	free(s);
	return t;
}

/* Levels of arrays and objects: the root object is 1, so 99 brackets in
 * a value reach 100 (accepted: then the key is the error) and the 100th
 * bracket opens level 101, in column strlen(pre) + 100 (ASCII). cJSON
 * alone accepts 1000 levels and calls 40,000 malformed. */
Test(scenario, nesting_limit)
{
	static const char pre[] =
		"{\"deployment\":{\"image\":\"a\"},\"images\":{\"a\":{}},"
		"\"x\":";
	char line[1024], want[128], *t;

	snprintf(want, sizeof(want), LABEL ": nested deeper than 100 levels "
		 "at line 1, column %zu", strlen(pre) + 100);
	t = deep_value(pre, 99);
	load_line(t, line, sizeof(line));
	cr_expect_str_eq(line, LABEL ": unknown key \"x\"");
	free(t);
	t = deep_value(pre, 100);
	load_line(t, line, sizeof(line));
	cr_expect_str_eq(line, want);
	free(t);
	t = deep_value(pre, 40000);
	load_line(t, line, sizeof(line));
	cr_expect_str_eq(line, want);
	free(t);
	/* a syntax error before the depth is reported as such: ',' is
	 * column 2 */
	t = repeat("{,", "[", 200, "");
	load_line(t, line, sizeof(line));
	cr_expect_str_eq(line, LABEL ": malformed JSON at line 1, column 2");
	free(t);
}

/* Files are read up to 16 MiB: exactly 16 MiB loads (whitespace after the
 * document is fine), one byte more is refused before parsing. */
Test(scenario, file_size_limit)
{
	static const char doc[] =
		"{\"deployment\":{\"image\":\"a\"},\"images\":{\"a\":{}}}";
	size_t max = (size_t)16 << 20, len = strlen(doc);
	struct world_config c;
	struct rsim_error err = { 0 };
	char *text = malloc(max + 1), *name, line[1024], want[1100];

	cr_assert_not_null(text);
	memcpy(text, doc, len);
	memset(text + len, ' ', max + 1 - len);
	text[max - 1] = '\n';
	name = write_temp(text, max);
	cr_assert_eq(scenario_load_file(name, &c, &err), 0, "%s", err.msg);
	cr_expect_eq(c.n_images, 1);
	cr_expect_str_eq(c.images[0].name, "a");
	cr_expect_eq(c.deployment.image, 0);
	cr_expect_eq(c.deployment.replicas, 1);  /* the default */
	world_config_release(&c);
	unlink(name);
	free(name);
	name = write_temp(text, max + 1);
	cr_expect_eq(scenario_load_file(name, &c, &err), RSIM_EINPUT);
	rsim_error_format(&err, line, sizeof(line));
	snprintf(want, sizeof(want), "%s: cannot read: larger than 16 MiB",
		 name);
	cr_expect_str_eq(line, want);
	unlink(name);
	free(name);
	free(text);
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
