/* test_scenario_prog.c - the progressive strategies of the scenario
 * loader (sim/scenario/scenario_prog.c) and the promote / abort / retry
 * events.
 *
 * tests/prog/{canary,blue-green,flagger}.json give every key; each loads
 * into the values written in the file (converted by hand: "10" is 10 s,
 * "1h" 3600 s, a flagger interval of 5 s is raised to Flagger's floor of
 * 10 s, Argo's "25" is 25 percent). Omitted keys get Argo's and Flagger's
 * defaults (utils/defaults/defaults.go; pkg/apis/flagger/v1beta1/
 * canary.go). A catalogue pins the error line of each broken key, and
 * --set / a sweep variant's merge patch switch a scenario's strategy.
 * JSON in this file is written with ' for ".
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario/jsonpath.h"
#include "sim/scenario/scenario.h"
#include "scenario_sq.h"

#define LABEL SQ_LABEL
#define SEC INT64_C(1000000000)

static void load_file_ok(const char *file, struct world_config *c)
{
	struct rsim_error err = { 0 };
	char line[1024] = "";
	int rc = scenario_load_file(file, c, &err);

	if (rc)
		rsim_error_format(&err, line, sizeof(line));
	cr_assert_eq(rc, 0, "%s", line);
}

static void expect_metric(const struct metric_config *m, const char *name,
			  enum metric_kind kind, int has_min, double min,
			  int has_max, double max)
{
	cr_expect_str_eq(m->name, name);
	cr_expect_eq(m->kind, kind, "%s: kind %d", name, (int)m->kind);
	cr_expect_eq(m->has_min, has_min, "%s", name);
	cr_expect_eq(m->has_max, has_max, "%s", name);
	if (has_min)
		cr_expect_eq(m->min, min, "%s: min %g", name, m->min);
	if (has_max)
		cr_expect_eq(m->max, max, "%s: max %g", name, m->max);
}

/* interval, count, failureLimit, inconclusiveLimit,
 * consecutiveErrorLimit, minRequests */
static void expect_limits(const struct metric_config *m, sim_time_t iv,
			  int32_t count, int32_t fail, int32_t inconc,
			  int32_t cons, int32_t minreq)
{
	cr_expect_eq(m->interval_ns, iv, "%s: interval %lld", m->name,
		     (long long)m->interval_ns);
	cr_expect_eq(m->count, count, "%s", m->name);
	cr_expect_eq(m->failure_limit, fail, "%s", m->name);
	cr_expect_eq(m->inconclusive_limit, inconc, "%s", m->name);
	cr_expect_eq(m->consecutive_error_limit, cons, "%s", m->name);
	cr_expect_eq(m->min_requests, minreq, "%s", m->name);
}

static void expect_step(const struct canary_step *s, enum canary_step_kind k,
			int32_t weight, sim_time_t pause, int32_t analysis)
{
	cr_expect_eq(s->kind, k);
	if (k == CANARY_SET_WEIGHT)
		cr_expect_eq(s->weight, weight);
	if (k == CANARY_PAUSE)
		cr_expect_eq(s->pause_ns, pause, "pause %lld",
			     (long long)s->pause_ns);
	if (k == CANARY_ANALYSIS)
		cr_expect_eq(s->analysis, analysis);
}

Test(scenario_prog, canary_loads_exactly)
{
	struct world_config c;
	const struct canary_config *k;

	load_file_ok("tests/prog/canary.json", &c);
	k = &c.deployment.prog.canary;
	cr_expect_eq(c.deployment.strategy, STRATEGY_CANARY);
	/* Argo's "25" without % is a percentage */
	cr_expect(k->max_surge.is_percent && k->max_surge.value == 25);
	cr_expect(!k->max_unavailable.is_percent &&
		  k->max_unavailable.value == 0);
	cr_assert_eq(k->n_steps, 8);
	expect_step(&k->steps[0], CANARY_SET_WEIGHT, 20, 0, 0);
	expect_step(&k->steps[1], CANARY_PAUSE, 0, 10 * SEC, 0);  /* "10" */
	expect_step(&k->steps[2], CANARY_PAUSE, 0, -1, 0);        /* {} */
	expect_step(&k->steps[3], CANARY_ANALYSIS, 0, 0, 0);
	expect_step(&k->steps[4], CANARY_SET_WEIGHT, 50, 0, 0);
	expect_step(&k->steps[5], CANARY_PAUSE, 0, 3600 * SEC, 0); /* 1h */
	expect_step(&k->steps[6], CANARY_PAUSE, 0, 90 * SEC, 0);   /* 90 */
	expect_step(&k->steps[7], CANARY_SET_WEIGHT, 80, 0, 0);
	cr_assert_eq(k->n_analyses, 1);
	cr_expect(k->analyses[0].enabled);
	cr_assert_eq(k->analyses[0].n_metrics, 1);
	/* the built-in name implies successRate */
	expect_metric(&k->analyses[0].metrics[0], "request-success-rate",
		      METRIC_SUCCESS_RATE, 1, 99, 0, 0);
	expect_limits(&k->analyses[0].metrics[0], 30 * SEC, 5, 1, 2, 3, 20);
	cr_expect(k->background.enabled);
	cr_assert_eq(k->background.n_metrics, 2);
	expect_metric(&k->background.metrics[0], "p99", METRIC_LATENCY_P99,
		      0, 0, 1, 500);
	/* omitted: interval 60 s, count 0, limits 0/0/4, minRequests 1 */
	expect_limits(&k->background.metrics[0], 60 * SEC, 0, 0, 0, 4, 1);
	expect_metric(&k->background.metrics[1], "errors", METRIC_ERROR_RATE,
		      1, 0, 1, 1.5);
	expect_limits(&k->background.metrics[1], 90 * SEC, 0, 0, 0, 4, 1);
	cr_expect_eq(k->starting_step, 2);
	cr_expect_eq(k->progress_deadline_abort, 1);
	cr_assert_eq(c.n_events, 5);
	cr_expect_eq(c.events[1].action, ACTION_PROMOTE);
	cr_expect_eq(c.events[1].full, 0);
	cr_expect_eq(c.events[1].at_ns, 300 * SEC);
	cr_expect_eq(c.events[2].action, ACTION_PROMOTE);
	cr_expect_eq(c.events[2].full, 1);
	cr_expect_eq(c.events[3].action, ACTION_ABORT);
	cr_expect_eq(c.events[4].action, ACTION_RETRY);
	cr_expect_eq(c.events[4].at_ns, 780 * SEC);
	world_config_release(&c);
}

Test(scenario_prog, bluegreen_loads_exactly)
{
	struct world_config c;
	const struct bluegreen_config *b;

	load_file_ok("tests/prog/blue-green.json", &c);
	b = &c.deployment.prog.bg;
	cr_expect_eq(c.deployment.strategy, STRATEGY_BLUE_GREEN);
	cr_expect_str_eq(b->active_service, "web-active");
	cr_expect_str_eq(b->preview_service, "web-preview");
	cr_expect_eq(b->preview_replicas, 2);
	cr_expect_eq(b->auto_promotion, 0);
	cr_expect_eq(b->auto_promotion_ns, 45 * SEC);
	cr_expect_eq(b->scale_down_delay_ns, 0);
	cr_expect_eq(b->scale_down_delay_set, 1);
	cr_expect_eq(b->abort_scale_down_delay_ns, 15 * SEC);
	cr_expect(b->pre.enabled);
	cr_assert_eq(b->pre.n_metrics, 1);
	/* request-duration implies latencyP99 */
	expect_metric(&b->pre.metrics[0], "request-duration",
		      METRIC_LATENCY_P99, 0, 0, 1, 250);
	expect_limits(&b->pre.metrics[0], 20 * SEC, 3, 0, 0, 4, 1);
	cr_expect(b->post.enabled);
	cr_assert_eq(b->post.n_metrics, 2);
	expect_metric(&b->post.metrics[0], "ok", METRIC_SUCCESS_RATE, 1, 95,
		      0, 0);
	expect_limits(&b->post.metrics[0], 60 * SEC, 2, -1, 0, 4, 1);
	expect_metric(&b->post.metrics[1], "p50", METRIC_LATENCY_P50, 1, 1,
		      1, 100);
	cr_expect_eq(c.events[1].action, ACTION_PROMOTE);
	world_config_release(&c);
}

Test(scenario_prog, flagger_loads_exactly)
{
	struct world_config c;
	const struct flagger_config *f;
	static const int32_t weights[] = { 1, 5, 10, 20 };
	int i;

	load_file_ok("tests/prog/flagger.json", &c);
	f = &c.deployment.prog.flagger;
	cr_expect_eq(c.deployment.strategy, STRATEGY_FLAGGER);
	/* 5s is below Flagger's floor (GetAnalysisInterval): 10 s */
	cr_expect_eq(f->interval_ns, 10 * SEC);
	cr_expect_eq(f->threshold, 5);
	cr_expect_eq(f->max_weight, 50);
	cr_expect_eq(f->step_weight, 10);
	cr_assert_eq(f->n_step_weights, 4);
	for (i = 0; i < 4; i++)
		cr_expect_eq(f->step_weights[i], weights[i]);
	cr_expect_eq(f->step_weight_promotion, 25);
	cr_expect_eq(f->iterations, 0);
	cr_expect(f->metrics.enabled);
	cr_assert_eq(f->metrics.n_metrics, 2);
	expect_metric(&f->metrics.metrics[0], "request-success-rate",
		      METRIC_SUCCESS_RATE, 1, 99, 0, 0);
	cr_expect_eq(f->metrics.metrics[0].interval_ns, 60 * SEC);
	expect_metric(&f->metrics.metrics[1], "request-duration",
		      METRIC_LATENCY_P99, 0, 0, 1, 500);
	cr_expect_eq(f->metrics.metrics[1].interval_ns, 30 * SEC);
	cr_expect_eq(f->metrics.metrics[1].min_requests, 10);
	cr_expect(!f->primary_max_surge.is_percent &&
		  f->primary_max_surge.value == 1);
	cr_expect(f->primary_max_unavailable.is_percent &&
		  f->primary_max_unavailable.value == 0);
	world_config_release(&c);
}

#define DEP_WITH(st) "{'deployment':{'image':'a','replicas':3," \
	"'strategy':{" st "}},'images':{'a':{}}}"

/* Argo's defaults (utils/defaults/defaults.go): maxSurge and
 * maxUnavailable "25", no steps, autoPromotionEnabled, 30 s delays;
 * Flagger's (canary.go): interval 60 s, threshold 1, maxWeight 100. */
Test(scenario_prog, defaults_when_omitted)
{
	struct world_config c;
	char line[512];

	cr_assert_eq(load_sq(DEP_WITH("'canary':{}"), &c, line,
			     sizeof(line)), 0, "%s", line);
	cr_expect_eq(c.deployment.strategy, STRATEGY_CANARY);
	cr_expect(c.deployment.prog.canary.max_surge.is_percent &&
		  c.deployment.prog.canary.max_surge.value == 25);
	cr_expect(c.deployment.prog.canary.max_unavailable.is_percent &&
		  c.deployment.prog.canary.max_unavailable.value == 25);
	cr_expect_eq(c.deployment.prog.canary.n_steps, 0);
	cr_expect_eq(c.deployment.prog.canary.n_analyses, 0);
	cr_expect_eq(c.deployment.prog.canary.background.enabled, 0);
	cr_expect_eq(c.deployment.prog.canary.progress_deadline_abort, 0);
	world_config_release(&c);

	cr_assert_eq(load_sq(DEP_WITH("'blueGreen':{}"), &c, line,
			     sizeof(line)), 0, "%s", line);
	cr_expect_eq(c.deployment.strategy, STRATEGY_BLUE_GREEN);
	cr_expect_eq(c.deployment.prog.bg.preview_replicas, -1);
	cr_expect_eq(c.deployment.prog.bg.auto_promotion, 1);
	cr_expect_eq(c.deployment.prog.bg.auto_promotion_ns, 0);
	cr_expect_eq(c.deployment.prog.bg.scale_down_delay_ns, 30 * SEC);
	cr_expect_eq(c.deployment.prog.bg.scale_down_delay_set, 0);
	cr_expect_eq(c.deployment.prog.bg.abort_scale_down_delay_ns,
		     30 * SEC);
	cr_expect_eq(c.deployment.prog.bg.pre.enabled, 0);
	world_config_release(&c);

	cr_assert_eq(load_sq(DEP_WITH("'flagger':{'stepWeight':10,"
				      "'threshold':0}"), &c, line,
			     sizeof(line)), 0, "%s", line);
	cr_expect_eq(c.deployment.strategy, STRATEGY_FLAGGER);
	cr_expect_eq(c.deployment.prog.flagger.interval_ns, 60 * SEC);
	cr_expect_eq(c.deployment.prog.flagger.threshold, 1); /* 0 -> 1 */
	cr_expect_eq(c.deployment.prog.flagger.max_weight, 100);
	cr_expect_eq(c.deployment.prog.flagger.n_step_weights, 0);
	cr_expect_eq(c.deployment.prog.flagger.metrics.enabled, 0);
	cr_expect(c.deployment.prog.flagger.primary_max_surge.is_percent &&
		  c.deployment.prog.flagger.primary_max_surge.value == 25);
	world_config_release(&c);
}

struct pause_row {
	const char *duration;   /* JSON, ' for " ; NULL: pause {} */
	sim_time_t want;
};

/* RolloutPause.DurationSeconds: an int, a numeric string or a Go
 * duration; {} waits for promote (-1). */
Test(scenario_prog, pause_duration_forms)
{
	static const struct pause_row rows[] = {
		{ NULL, -1 }, { "10", 10 * SEC }, { "'10'", 10 * SEC },
		{ "'1h'", 3600 * SEC }, { "'1m30s'", 90 * SEC },
		{ "0", 0 }, { "'0'", 0 }, { "0.5", SEC / 2 },
		{ "'500ms'", SEC / 2 },
	};
	struct world_config c;
	char json[256], line[512];
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (rows[i].duration)
			snprintf(json, sizeof(json), DEP_WITH("'canary':{"
				 "'steps':[{'pause':{'duration':%s}}]}"),
				 rows[i].duration);
		else
			snprintf(json, sizeof(json), DEP_WITH("'canary':{"
				 "'steps':[{'pause':{}}]}"));
		cr_assert_eq(load_sq(json, &c, line, sizeof(line)), 0,
			     "%s: %s", json, line);
		cr_expect_eq(c.deployment.prog.canary.steps[0].pause_ns,
			     rows[i].want, "%s: %lld", json,
			     (long long)c.deployment.prog.canary.steps[0].
			     pause_ns);
		world_config_release(&c);
	}
}

struct broken_row {
	const char *name;
	const char *json;
	const char *want;
};

#define F LABEL ": "
#define ST "deployment.strategy."
#define CANARY(x) DEP_WITH("'canary':{" x "}")
#define STEPS(x) CANARY("'steps':[" x "]")
#define BG(x) DEP_WITH("'blueGreen':{" x "}")
#define FLAGGER(x) DEP_WITH("'flagger':{'stepWeight':10," x "}")
#define METRIC(x) CANARY("'analysis':{'metrics':[{" x "}]}")
#define OKM "'name':'m','measure':'successRate','thresholdRange':{'min':99}"
#define EVS(x) "{'deployment':{'image':'a'},'images':{'a':{}}," \
	"'events':[" x "]}"
#define PEVS(x) "{'deployment':{'image':'a','strategy':{'canary':{}}}," \
	"'images':{'a':{}},'events':[" x "]}"

static const struct broken_row catalogue[] = {
	{ "two families", DEP_WITH("'type':'Recreate','canary':{}"),
	  F "deployment.strategy: expected one strategy, got both \"type\" "
	    "and \"canary\" (set the other to null to switch)" },
	{ "rollingUpdate with flagger",
	  DEP_WITH("'rollingUpdate':{},'flagger':{}"),
	  F "deployment.strategy: expected one strategy, got both "
	    "\"rollingUpdate\" and \"flagger\" (set the other to null to "
	    "switch)" },
	{ "canary and blueGreen", DEP_WITH("'canary':{},'blueGreen':{}"),
	  F "deployment.strategy: expected one strategy, got both "
	    "\"canary\" and \"blueGreen\" (set the other to null to "
	    "switch)" },
	{ "strategy family typo", DEP_WITH("'canery':{}"),
	  F "deployment.strategy: unknown key \"canery\" (did you mean "
	    "\"canary\"?)" },
	{ "canary not an object", DEP_WITH("'canary':[]"),
	  F ST "canary: expected an object, got []" },
	{ "canary key typo", CANARY("'step':[]"),
	  F ST "canary: unknown key \"step\" (did you mean \"steps\"?)" },
	{ "setWeight above 100",
	  STEPS("{'setWeight':10},{'pause':{}},{'setWeight':120}"),
	  F ST "canary.steps[2].setWeight: expected an integer from 0 to "
	    "100, got 120" },
	{ "setWeight negative", STEPS("{'setWeight':-5}"),
	  F ST "canary.steps[0].setWeight: expected an integer from 0 to "
	    "100, got -5" },
	{ "setWeight fractional", STEPS("{'setWeight':12.5}"),
	  F ST "canary.steps[0].setWeight: expected an integer from 0 to "
	    "100, got 12.5" },
	{ "setWeight a string", STEPS("{'setWeight':'20'}"),
	  F ST "canary.steps[0].setWeight: expected an integer from 0 to "
	    "100, got \"20\"" },
	{ "step with two keys", STEPS("{'setWeight':20,'pause':{}}"),
	  F ST "canary.steps[0]: expected exactly one of \"setWeight\", "
	    "\"pause\" and \"analysis\", got {\"setWeight\":20,\"pause\":{}}" },
	{ "empty step", STEPS("{}"),
	  F ST "canary.steps[0]: expected exactly one of \"setWeight\", "
	    "\"pause\" and \"analysis\", got {}" },
	{ "step key typo", STEPS("{'setweight':20}"),
	  F ST "canary.steps[0]: unknown key \"setweight\" (did you mean "
	    "\"setWeight\"?)" },
	{ "steps not an array", CANARY("'steps':{'setWeight':20}"),
	  F ST "canary.steps: expected an array of steps, got "
	    "{\"setWeight\":20}" },
	{ "steps empty", CANARY("'steps':[]"),
	  F ST "canary.steps: expected a non-empty array of steps, got []" },
	{ "pause duration negative", STEPS("{'pause':{'duration':-1}}"),
	  F ST "canary.steps[0].pause.duration: expected a non-negative "
	    "duration, got -1" },
	{ "pause duration no unit", STEPS("{'pause':{'duration':'10x'}}"),
	  F ST "canary.steps[0].pause.duration: expected a duration with a "
	    "unit (ns, us, ms, s, m, h) such as \"1m30s\", got \"10x\"" },
	{ "pause not an object", STEPS("{'pause':'10s'}"),
	  F ST "canary.steps[0].pause: expected an object, got \"10s\"" },
	{ "pause key typo", STEPS("{'pause':{'durations':'1m'}}"),
	  F ST "canary.steps[0].pause: unknown key \"durations\" (did you "
	    "mean \"duration\"?)" },
	{ "maxSurge negative", CANARY("'maxSurge':-1"),
	  F ST "canary.maxSurge: expected a non-negative integer or a "
	    "percentage such as \"25%\", got -1" },
	{ "maxUnavailable bad string", CANARY("'maxUnavailable':'25 %'"),
	  F ST "canary.maxUnavailable: expected a non-negative integer or a "
	    "percentage such as \"25%\", got \"25 %\"" },
	/* "0" is 0 % for Argo (GetValueFromIntOrPercent) */
	{ "maxSurge and maxUnavailable both 0",
	  CANARY("'maxSurge':'0','maxUnavailable':0"),
	  F ST "canary.maxUnavailable: may not be 0 when maxSurge is 0" },
	{ "progressDeadlineAbort not a bool",
	  CANARY("'progressDeadlineAbort':'yes'"),
	  F ST "canary.progressDeadlineAbort: expected true or false, got "
	    "\"yes\"" },
	{ "analysis step without metrics", STEPS("{'analysis':{}}"),
	  F ST "canary.steps[0].analysis: missing required key \"metrics\"" },
	{ "analysis step with startingStep",
	  STEPS("{'analysis':{'metrics':[{" OKM "}],'startingStep':0}}"),
	  F ST "canary.steps[0].analysis: unknown key \"startingStep\"" },
	{ "five analysis steps",
	  STEPS("{'analysis':{'metrics':[{" OKM "}]}},"
		"{'analysis':{'metrics':[{" OKM "}]}},"
		"{'analysis':{'metrics':[{" OKM "}]}},"
		"{'analysis':{'metrics':[{" OKM "}]}},"
		"{'analysis':{'metrics':[{" OKM "}]}}"),
	  F ST "canary.steps[4].analysis: expected at most 4 analysis "
	    "steps, got more" },
	{ "startingStep past the steps",
	  CANARY("'steps':[{'setWeight':10}],'analysis':{'metrics':[{" OKM
		 "}],'startingStep':2}"),
	  F ST "canary.analysis.startingStep: expected an integer from 0 to "
	    "1 (the number of steps), got 2" },
	{ "five metrics",
	  CANARY("'analysis':{'metrics':[{" OKM "},{" OKM "},{" OKM "},{"
		 OKM "},{" OKM "}]}"),
	  F ST "canary.analysis.metrics: expected at most 4 metrics, "
	    "got 5" },
	{ "metrics empty", CANARY("'analysis':{'metrics':[]}"),
	  F ST "canary.analysis.metrics: expected a non-empty array of "
	    "metrics, got []" },
	{ "duplicate metric names",
	  CANARY("'analysis':{'metrics':[{" OKM "},{" OKM "}]}"),
	  F ST "canary.analysis.metrics[1]: duplicate metric name \"m\" "
	    "(metrics[0] has it)" },
	{ "metric without name",
	  METRIC("'measure':'successRate','thresholdRange':{'min':1}"),
	  F ST "canary.analysis.metrics[0]: missing required key \"name\"" },
	/* the value is shown cut to 40 characters (json_show) */
	{ "metric name too long",
	  METRIC("'name':'0123456789012345678901234567890123456789012345678',"
		 "'measure':'successRate','thresholdRange':{'min':1}"),
	  F ST "canary.analysis.metrics[0].name: expected a metric name of 1 "
	    "to 47 bytes, got \"012345678901234567890123456789012345678..." },
	{ "unknown measure with hint",
	  METRIC("'name':'m','measure':'successrate',"
		 "'thresholdRange':{'min':1}"),
	  F ST "canary.analysis.metrics[0].measure: unknown measure "
	    "\"successrate\" (did you mean \"successRate\"?)" },
	{ "measure missing for a custom name",
	  METRIC("'name':'m','thresholdRange':{'min':1}"),
	  F ST "canary.analysis.metrics[0]: missing required key \"measure\" "
	    "(only the names \"request-success-rate\" and "
	    "\"request-duration\" imply it)" },
	{ "measure contradicts a built-in name",
	  METRIC("'name':'request-duration','measure':'successRate',"
		 "'thresholdRange':{'min':1}"),
	  F ST "canary.analysis.metrics[0].measure: expected \"latencyP99\" "
	    "(implied by the name \"request-duration\"), got "
	    "\"successRate\"" },
	{ "thresholdRange missing", METRIC("'name':'m','measure':'errorRate'"),
	  F ST "canary.analysis.metrics[0]: missing required key "
	    "\"thresholdRange\"" },
	{ "thresholdRange empty",
	  METRIC("'name':'m','measure':'errorRate','thresholdRange':{}"),
	  F ST "canary.analysis.metrics[0].thresholdRange: expected \"min\", "
	    "\"max\" or both, got {}" },
	{ "success rate above 100 percent",
	  METRIC("'name':'m','measure':'successRate',"
		 "'thresholdRange':{'min':150}"),
	  F ST "canary.analysis.metrics[0].thresholdRange.min: expected a "
	    "percentage from 0 to 100, got 150" },
	{ "latency negative",
	  METRIC("'name':'m','measure':'latencyP50',"
		 "'thresholdRange':{'max':-3}"),
	  F ST "canary.analysis.metrics[0].thresholdRange.max: expected a "
	    "number of milliseconds from 0 to 1e9, got -3" },
	{ "min above max",
	  METRIC("'name':'m','measure':'latencyP99',"
		 "'thresholdRange':{'min':200,'max':100}"),
	  F ST "canary.analysis.metrics[0].thresholdRange.max: expected a "
	    "value >= min (200), got 100" },
	{ "thresholdRange key typo",
	  METRIC("'name':'m','measure':'latencyP99',"
		 "'thresholdRange':{'mx':100}"),
	  F ST "canary.analysis.metrics[0].thresholdRange: unknown key "
	    "\"mx\" (did you mean \"max\"?)" },
	{ "metric interval 0", METRIC(OKM ",'interval':'0s'"),
	  F ST "canary.analysis.metrics[0].interval: expected a positive "
	    "duration, got \"0s\"" },
	{ "count negative", METRIC(OKM ",'count':-1"),
	  F ST "canary.analysis.metrics[0].count: expected a non-negative "
	    "integer, got -1" },
	{ "failureLimit below -1", METRIC(OKM ",'failureLimit':-2"),
	  F ST "canary.analysis.metrics[0].failureLimit: expected an "
	    "integer >= -1, got -2" },
	{ "minRequests 0", METRIC(OKM ",'minRequests':0"),
	  F ST "canary.analysis.metrics[0].minRequests: expected a positive "
	    "integer, got 0" },
	{ "metric key typo", METRIC(OKM ",'failurelimit':1"),
	  F ST "canary.analysis.metrics[0]: unknown key \"failurelimit\" "
	    "(did you mean \"failureLimit\"?)" },
	{ "blueGreen key typo", BG("'activeservice':'x'"),
	  F ST "blueGreen: unknown key \"activeservice\" (did you mean "
	    "\"activeService\"?)" },
	{ "previewReplicaCount above replicas",
	  BG("'previewReplicaCount':4"),
	  F ST "blueGreen.previewReplicaCount: expected an integer from 0 to "
	    "3 (the replicas), got 4" },
	{ "previewReplicaCount negative", BG("'previewReplicaCount':-1"),
	  F ST "blueGreen.previewReplicaCount: expected an integer from 0 to "
	    "3 (the replicas), got -1" },
	{ "service not a DNS label", BG("'activeService':'Web_Active'"),
	  F ST "blueGreen.activeService: expected a DNS-1123 label of at "
	    "most 47 characters (lowercase letters, digits and '-', "
	    "starting and ending with a letter or digit), got "
	    "\"Web_Active\"" },
	{ "same active and preview",
	  BG("'activeService':'web','previewService':'web'"),
	  F ST "blueGreen.previewService: expected a name other than "
	    "activeService's, got \"web\" (two different services are "
	    "required)" },
	{ "autoPromotionSeconds negative", BG("'autoPromotionSeconds':-1"),
	  F ST "blueGreen.autoPromotionSeconds: expected a non-negative "
	    "integer, got -1" },
	{ "scaleDownDelaySeconds a duration",
	  BG("'scaleDownDelaySeconds':'30s'"),
	  F ST "blueGreen.scaleDownDelaySeconds: expected a non-negative "
	    "integer, got \"30s\"" },
	{ "autoPromotionEnabled not a bool", BG("'autoPromotionEnabled':1"),
	  F ST "blueGreen.autoPromotionEnabled: expected true or false, "
	    "got 1" },
	{ "prePromotionAnalysis bad metric",
	  BG("'prePromotionAnalysis':{'metrics':[{'name':'request-duration',"
	     "'thresholdRange':{'max':'1s'}}]}"),
	  F ST "blueGreen.prePromotionAnalysis.metrics[0].thresholdRange.max: "
	    "expected a number of milliseconds from 0 to 1e9, got \"1s\"" },
	{ "flagger without weights", DEP_WITH("'flagger':{'threshold':2}"),
	  F ST "flagger: missing required key \"stepWeight\" (or "
	    "\"stepWeights\", or \"iterations\" for blue/green)" },
	{ "flagger key typo", FLAGGER("'maxweight':50"),
	  F ST "flagger: unknown key \"maxweight\" (did you mean "
	    "\"maxWeight\"?)" },
	{ "stepWeight 0", DEP_WITH("'flagger':{'stepWeight':0}"),
	  F ST "flagger.stepWeight: expected an integer from 1 to 100, "
	    "got 0" },
	{ "maxWeight above 100", FLAGGER("'maxWeight':101"),
	  F ST "flagger.maxWeight: expected an integer from 1 to 100, "
	    "got 101" },
	{ "stepWeights not increasing", FLAGGER("'stepWeights':[1,5,5,20]"),
	  F ST "flagger.stepWeights[2]: expected an integer from 6 to 100 "
	    "(above the previous weight), got 5" },
	{ "stepWeights 0", FLAGGER("'stepWeights':[0,10]"),
	  F ST "flagger.stepWeights[0]: expected an integer from 1 to 100, "
	    "got 0" },
	{ "stepWeights above 100", FLAGGER("'stepWeights':[50,101]"),
	  F ST "flagger.stepWeights[1]: expected an integer from 51 to 100 "
	    "(above the previous weight), got 101" },
	{ "iterations negative", FLAGGER("'iterations':-1"),
	  F ST "flagger.iterations: expected a non-negative integer, got -1" },
	{ "interval negative", FLAGGER("'interval':'-1m'"),
	  F ST "flagger.interval: expected a non-negative duration, got "
	    "\"-1m\"" },
	{ "threshold fractional", FLAGGER("'threshold':1.5"),
	  F ST "flagger.threshold: expected an integer, got 1.5" },
	{ "flagger metric with an Argo key",
	  FLAGGER("'metrics':[{'name':'request-success-rate',"
		  "'thresholdRange':{'min':99},'count':3}]"),
	  F ST "flagger.metrics[0]: unknown key \"count\"" },
	{ "flagger rollingUpdate both 0",
	  FLAGGER("'rollingUpdate':{'maxSurge':0,'maxUnavailable':'0%'}"),
	  F ST "flagger.rollingUpdate.maxUnavailable: may not be 0 when "
	    "maxSurge is 0" },
	{ "flagger rollingUpdate above 100%",
	  FLAGGER("'rollingUpdate':{'maxUnavailable':'120%'}"),
	  F ST "flagger.rollingUpdate.maxUnavailable: expected a percentage "
	    "of at most 100%, got \"120%\"" },
	{ "promote without a progressive strategy",
	  EVS("{'at':'1s','action':'scale','replicas':2},"
	      "{'at':'2s','action':'promote'}"),
	  F "events[1].action: \"promote\" needs a canary, blueGreen or "
	    "flagger strategy" },
	{ "abort without a progressive strategy",
	  EVS("{'at':'1s','action':'abort'}"),
	  F "events[0].action: \"abort\" needs a canary, blueGreen or "
	    "flagger strategy" },
	{ "retry without a progressive strategy",
	  EVS("{'at':'1s','action':'retry'}"),
	  F "events[0].action: \"retry\" needs a canary, blueGreen or "
	    "flagger strategy" },
	{ "promote full not a bool",
	  PEVS("{'at':'1s','action':'promote','full':'yes'}"),
	  F "events[0].full: expected true or false, got \"yes\"" },
	{ "abort with full", PEVS("{'at':'1s','action':'abort','full':true}"),
	  F "events[0]: unknown key \"full\"" },
	{ "action typo hint", PEVS("{'at':'1s','action':'promte'}"),
	  F "events[0].action: unknown action \"promte\" (did you mean "
	    "\"promote\"?)" },
	{ "apply giving a canary",
	  PEVS("{'at':'1s','action':'apply','deployment':{'strategy':"
	       "{'canary':{}}}}"),
	  F "events[0].deployment.strategy.canary: cannot be changed by "
	    "apply (a progressive strategy is given in the scenario's "
	    "deployment and fixed for the run)" },
	{ "apply switching a canary to Recreate",
	  PEVS("{'at':'1s','action':'apply','deployment':{'strategy':"
	       "{'type':'Recreate'}}}"),
	  F "events[0].deployment.strategy: cannot be changed by apply (the "
	    "scenario's strategy is Canary, fixed for the run)" },
};

Test(scenario_prog, catalogue_of_broken_strategies)
{
	struct world_config c;
	char line[1024];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(catalogue) / sizeof(catalogue[0]); i++) {
		rc = load_sq(catalogue[i].json, &c, line, sizeof(line));
		cr_expect_eq(rc, RSIM_EINPUT, "%s: rc %d", catalogue[i].name,
			     rc);
		cr_expect(strcmp(line, catalogue[i].want) == 0,
			  "%s:\n  got:  %s\n  want: %s", catalogue[i].name,
			  line, catalogue[i].want);
		cr_expect_null(c.events, "%s: events kept", catalogue[i].name);
		world_config_release(&c);
	}
}

/* An apply keeps working on a progressive rollout for Deployment fields
 * (replicas, image, template keys). */
Test(scenario_prog, apply_of_deployment_fields_on_a_canary)
{
	struct world_config c;
	char line[512];

	cr_assert_eq(load_sq(PEVS("{'at':'1s','action':'apply','deployment':"
				  "{'replicas':5,'minReadySeconds':3}}"),
			     &c, line, sizeof(line)), 0, "%s", line);
	cr_expect_eq(c.events[0].patch.mask & PATCH_REPLICAS,
		     (uint32_t)PATCH_REPLICAS);
	cr_expect_eq(c.events[0].patch.v.replicas, 5);
	world_config_release(&c);
}

/* --set writes into the tree before it loads: a step's weight, and a
 * whole strategy once "type" and "rollingUpdate" are set to null
 * (scenarios/flask-app.json has both). */
Test(scenario_prog, set_switches_and_edits_strategy)
{
	static const char *const edit[] = {
		"deployment.strategy.canary.steps[0].setWeight=30",
		"deployment.strategy.canary.steps[1].pause={}",
	};
	static const char *const sw[] = {
		"deployment.strategy.type=null",
		"deployment.strategy.rollingUpdate=null",
		"deployment.strategy.flagger={\"stepWeights\":[10,30],\"interval\":\"2m\"}",
	};
	struct world_config c;
	struct rsim_error err = { 0 };

	cr_assert_eq(scenario_load_with_sets("tests/prog/canary.json", edit, 2,
					     &c, &err), 0, "%s", err.msg);
	cr_expect_eq(c.deployment.prog.canary.steps[0].weight, 30);
	cr_expect_eq(c.deployment.prog.canary.steps[1].pause_ns, -1);
	cr_expect_eq(c.deployment.prog.canary.n_steps, 8);
	world_config_release(&c);
	cr_assert_eq(scenario_load_with_sets("scenarios/flask-app.json", sw, 3,
					     &c, &err), 0, "%s", err.msg);
	cr_expect_eq(c.deployment.strategy, STRATEGY_FLAGGER);
	cr_expect_eq(c.deployment.prog.flagger.n_step_weights, 2);
	cr_expect_eq(c.deployment.prog.flagger.step_weights[1], 30);
	cr_expect_eq(c.deployment.prog.flagger.interval_ns, 120 * SEC);
	world_config_release(&c);
}

/* A sweep variant is an RFC 7386 merge patch over the scenario
 * (jsonpath_merge, as sweep points are built): null deletes "type" and
 * "rollingUpdate", the canary object is added. */
Test(scenario_prog, variant_merge_switches_strategy)
{
	char *base = sq_to_dq("{'deployment':{'image':'a','replicas':4,"
			      "'strategy':{'type':'Recreate'}},"
			      "'images':{'a':{}}}");
	char *patch = sq_to_dq("{'deployment':{'strategy':{'type':null,"
			       "'rollingUpdate':null,'canary':{'steps':"
			       "[{'setWeight':25},{'pause':{'duration':"
			       "'30s'}}]}}}}");
	cJSON *tree = cJSON_Parse(base), *p = cJSON_Parse(patch);
	struct world_config c;
	struct rsim_error err = { 0 };

	cr_assert(tree && p);
	cr_assert_eq(jsonpath_merge(tree, p), 0);
	cr_assert_eq(scenario_load_tree(tree, LABEL, &c, &err), 0, "%s",
		     err.msg);
	cr_expect_eq(c.deployment.strategy, STRATEGY_CANARY);
	cr_assert_eq(c.deployment.prog.canary.n_steps, 2);
	cr_expect_eq(c.deployment.prog.canary.steps[0].weight, 25);
	cr_expect_eq(c.deployment.prog.canary.steps[1].pause_ns, 30 * SEC);
	world_config_release(&c);
	cJSON_Delete(tree);
	cJSON_Delete(p);
	free(base);
	free(patch);
}
