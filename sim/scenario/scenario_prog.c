/* scenario_prog.c - the progressive strategies of deployment.strategy:
 * Argo Rollouts' `canary` and `blueGreen`, and `flagger` (the analysis of
 * a Flagger Canary), into struct prog_config (models/progressive.h).
 *
 * `strategy` holds one family: `type` (+ `rollingUpdate`, read by
 * scenario_deploy.c), `canary`, `blueGreen` or `flagger`. Value rules
 * follow upstream: Argo's maxSurge / maxUnavailable accept "25" as 25%
 * (utils/replicaset/replicaset.go calls intstr.GetValueFromIntOrPercent)
 * and may not both be 0, setWeight is 0..100, a pause duration is a
 * number of seconds, a numeric string or a Go duration
 * (pkg/apis/rollouts/v1alpha1/types.go RolloutPause.DurationSeconds),
 * activeService and previewService differ
 * (pkg/apis/rollouts/validation/validation.go); Flagger's interval below
 * 10 s is raised to 10 s and a threshold <= 0 means 1
 * (pkg/apis/flagger/v1beta1/canary.go GetAnalysisInterval,
 * GetAnalysisThreshold). Omitted keys keep prog_config_defaults().
 * docs/scenario.md lists every key.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "scenario_json.h"

#define PROG_FLAGGER_MIN_INTERVAL_NS (10 * SIM_NS_PER_S)
#define PROG_LATENCY_MAX_MS 1e9   /* a bound on thresholds in ms */

static const char *const canary_keys[] = {
	"maxSurge", "maxUnavailable", "steps", "analysis",
	"progressDeadlineAbort", NULL
};
static const char *const step_keys[] = {
	"setWeight", "pause", "analysis", NULL
};
static const char *const pause_keys[] = { "duration", NULL };
static const char *const step_analysis_keys[] = { "metrics", NULL };
static const char *const background_keys[] = {
	"metrics", "startingStep", NULL
};
static const char *const bluegreen_keys[] = {
	"activeService", "previewService", "previewReplicaCount",
	"autoPromotionEnabled", "autoPromotionSeconds",
	"scaleDownDelaySeconds", "abortScaleDownDelaySeconds",
	"prePromotionAnalysis", "postPromotionAnalysis", NULL
};
static const char *const flagger_keys[] = {
	"interval", "threshold", "maxWeight", "stepWeight", "stepWeights",
	"stepWeightPromotion", "iterations", "metrics", "rollingUpdate", NULL
};
static const char *const flagger_rolling_keys[] = {
	"maxSurge", "maxUnavailable", NULL
};
static const char *const argo_metric_keys[] = {
	"name", "measure", "thresholdRange", "interval", "count",
	"failureLimit", "inconclusiveLimit", "consecutiveErrorLimit",
	"minRequests", NULL
};
/* Flagger's metrics have no count or limits: the analysis' threshold
 * counts failed checks */
static const char *const flagger_metric_keys[] = {
	"name", "measure", "thresholdRange", "interval", "minRequests", NULL
};
static const char *const range_keys[] = { "min", "max", NULL };
/* in the order of enum metric_kind */
static const char *const measure_names[] = {
	"successRate", "latencyP99", "latencyP50", "errorRate", NULL
};

/* ------------------------------------------------------------ helpers */

/* An integer from lo to hi. */
static int prog_is_int(const cJSON *v, int32_t lo, int32_t hi)
{
	return cJSON_IsNumber(v) && v->valuedouble == floor(v->valuedouble) &&
	       v->valuedouble >= (double)lo && v->valuedouble <= (double)hi;
}

/* obj[key], when present, an integer from lo to hi; why (or NULL) says
 * where hi comes from. */
static int prog_int_range(struct json_ctx *c, const cJSON *obj,
			  const char *key, int32_t lo, int32_t hi,
			  const char *why, int32_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char what[128];
	size_t mark;
	int rc = 0;

	if (!v)
		return 0;
	mark = json_path_push_key(c, key);
	snprintf(what, sizeof(what), "an integer from %ld to %ld%s%s%s",
		 (long)lo, (long)hi, why ? " (" : "", why ? why : "",
		 why ? ")" : "");
	if (!prog_is_int(v, lo, hi))
		rc = json_fail_got(c, what, v);
	else
		*out = (int32_t)v->valuedouble;
	json_path_pop(c, mark);
	return rc;
}

/* obj[key], when present, an array of 1 to max entries of what; *out
 * is it (NULL when absent), its path pushed (pop with *mark). */
static int prog_array(struct json_ctx *c, const cJSON *obj, const char *key,
		      int max, const char *what, const cJSON **out,
		      size_t *mark)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char buf[96];
	int n;

	*out = NULL;
	*mark = c->len;
	if (!v)
		return 0;
	*mark = json_path_push_key(c, key);
	snprintf(buf, sizeof(buf), "an array of %s", what);
	if (!cJSON_IsArray(v))
		return json_fail_got(c, buf, v);
	n = cJSON_GetArraySize(v);
	snprintf(buf, sizeof(buf), "a non-empty array of %s", what);
	if (n == 0)
		return json_fail_got(c, buf, v);
	if (n > max)
		return json_fail(c, "expected at most %d %s, got %d", max,
				 what, n);
	*out = v;
	return 0;
}

/* Argo's int-or-percent: "25" (no '%') is 25%, as
 * intstr.GetValueFromIntOrPercent reads it; otherwise Kubernetes'
 * forms. */
static int prog_argo_intstr(struct json_ctx *c, const cJSON *obj,
			    const char *key, struct intstr *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	const char *s;
	long pct = 0;
	size_t mark;
	int rc = 0;

	if (!v)
		return 0;
	mark = json_path_push_key(c, key);
	s = cJSON_IsString(v) ? v->valuestring : "";
	for (; *s >= '0' && *s <= '9' && pct <= INT32_MAX; s++)
		pct = pct * 10 + (*s - '0');
	if (cJSON_IsString(v) && *s == '\0' && s != v->valuestring &&
	    pct <= INT32_MAX)
		*out = intstr_percent((int32_t)pct);
	else
		rc = scenario_intstr_value(c, v, 0, out);
	json_path_pop(c, mark);
	return rc;
}

/* maxSurge and maxUnavailable may not both be 0 (Argo's
 * InvalidMaxSurgeMaxUnavailable, Kubernetes' ValidateRollingUpdate). */
static int prog_check_surge(struct json_ctx *c, struct intstr surge,
			    struct intstr unav)
{
	size_t mark;
	int rc;

	if (surge.value != 0 || unav.value != 0)
		return 0;
	mark = json_path_push_key(c, "maxUnavailable");
	rc = json_fail(c, "may not be 0 when maxSurge is 0");
	json_path_pop(c, mark);
	return rc;
}

/* ------------------------------------------------------------ metrics */

/* The measure a Flagger built-in metric name implies, or -1. */
static int prog_builtin_measure(const char *name)
{
	if (strcmp(name, "request-success-rate") == 0)
		return METRIC_SUCCESS_RATE;
	if (strcmp(name, "request-duration") == 0)
		return METRIC_LATENCY_P99;
	return -1;
}

static int prog_read_metric_name(struct json_ctx *c, const cJSON *m,
				 struct metric_config *mc)
{
	const char *name = NULL;
	char what[64];
	size_t mark, n;
	int rc = json_require(c, m, "name", NULL);

	if (rc == 0)
		rc = json_read_string(c, m, "name", &name);
	if (rc)
		return rc;
	n = strlen(name);
	if (n > 0 && n < sizeof(mc->name)) {
		memcpy(mc->name, name, n + 1);
		return 0;
	}
	mark = json_path_push_key(c, "name");
	snprintf(what, sizeof(what), "a metric name of 1 to %zu bytes",
		 sizeof(mc->name) - 1);
	rc = json_fail_got(c, what, cJSON_GetObjectItemCaseSensitive(m,
								     "name"));
	json_path_pop(c, mark);
	return rc;
}

/* measure, or the one the name implies; a built-in name's measure may
 * not be contradicted. */
static int prog_read_measure(struct json_ctx *c, const cJSON *m,
			     struct metric_config *mc)
{
	int implied = prog_builtin_measure(mc->name), kind = 0;
	char what[96];
	size_t mark;
	int rc;

	if (!cJSON_GetObjectItemCaseSensitive(m, "measure")) {
		if (implied >= 0) {
			mc->kind = (enum metric_kind)implied;
			return 0;
		}
		return json_fail(c, "missing required key \"measure\" (only "
				 "the names \"request-success-rate\" and "
				 "\"request-duration\" imply it)");
	}
	rc = json_read_enum(c, m, "measure", "measure", measure_names, &kind);
	if (rc == 0 && implied >= 0 && kind != implied) {
		mark = json_path_push_key(c, "measure");
		snprintf(what, sizeof(what), "\"%s\" (implied by the name "
			 "\"%s\")", measure_names[implied], mc->name);
		rc = json_fail_got(c, what, cJSON_GetObjectItemCaseSensitive(
						m, "measure"));
		json_path_pop(c, mark);
	}
	if (rc == 0)
		mc->kind = (enum metric_kind)kind;
	return rc;
}

/* thresholdRange: min and/or max, percentages for the rates,
 * milliseconds for the latencies; min <= max. */
static int prog_read_range(struct json_ctx *c, const cJSON *m,
			   struct metric_config *mc)
{
	int rate = mc->kind == METRIC_SUCCESS_RATE ||
		   mc->kind == METRIC_ERROR_RATE;
	double hi = rate ? 100.0 : PROG_LATENCY_MAX_MS;
	const char *what = rate ? "a percentage from 0 to 100" :
			   "a number of milliseconds from 0 to 1e9";
	const cJSON *r = NULL;
	size_t mark = c->len, m2;
	int rc = json_require(c, m, "thresholdRange", &r);

	if (rc == 0)
		mark = json_path_push_key(c, "thresholdRange");
	if (rc == 0)
		rc = json_expect_object(c, r);
	if (rc == 0)
		rc = json_check_keys(c, r, range_keys);
	if (rc == 0 && !r->child)
		rc = json_fail_got(c, "\"min\", \"max\" or both", r);
	if (rc == 0)
		rc = json_read_number(c, r, "min", 0.0, hi, what, &mc->min);
	if (rc == 0)
		rc = json_read_number(c, r, "max", 0.0, hi, what, &mc->max);
	mc->has_min = cJSON_GetObjectItemCaseSensitive(r, "min") != NULL;
	mc->has_max = cJSON_GetObjectItemCaseSensitive(r, "max") != NULL;
	if (rc == 0 && mc->has_min && mc->has_max && mc->min > mc->max) {
		m2 = json_path_push_key(c, "max");
		rc = json_fail(c, "expected a value >= min (%g), got %g",
			       mc->min, mc->max);
		json_path_pop(c, m2);
	}
	json_path_pop(c, mark);
	return rc;
}

/* One metric (its path pushed by the caller); keys is the allowed set
 * (Argo's or Flagger's). */
static int prog_read_metric(struct json_ctx *c, const cJSON *m,
			    const char *const *keys, struct metric_config *mc)
{
	int rc = json_expect_object(c, m);

	if (rc == 0)
		rc = json_check_keys(c, m, keys);
	if (rc == 0)
		rc = prog_read_metric_name(c, m, mc);
	if (rc == 0)
		rc = prog_read_measure(c, m, mc);
	if (rc == 0)
		rc = prog_read_range(c, m, mc);
	if (rc == 0)
		rc = json_read_duration(c, m, "interval", 1, &mc->interval_ns);
	if (rc == 0)
		rc = json_read_int(c, m, "count", 0, &mc->count);
	if (rc == 0)
		rc = json_read_int(c, m, "failureLimit", -1,
				   &mc->failure_limit);
	if (rc == 0)
		rc = json_read_int(c, m, "inconclusiveLimit", 0,
				   &mc->inconclusive_limit);
	if (rc == 0)
		rc = json_read_int(c, m, "consecutiveErrorLimit", 0,
				   &mc->consecutive_error_limit);
	if (rc == 0)
		rc = json_read_int(c, m, "minRequests", 1, &mc->min_requests);
	return rc;
}

/* obj["metrics"] (when present) into a: 1 to PROG_METRICS_MAX metrics
 * with distinct names. */
static int prog_read_metrics(struct json_ctx *c, const cJSON *obj,
			     const char *const *keys,
			     struct analysis_config *a)
{
	const cJSON *arr, *it;
	size_t mark, m2;
	int32_t i, j;
	int rc = prog_array(c, obj, "metrics", PROG_METRICS_MAX, "metrics",
			    &arr, &mark);

	for (it = arr ? arr->child : NULL, i = 0; it && rc == 0;
	     it = it->next, i++) {
		m2 = json_path_push_index(c, (size_t)i);
		rc = prog_read_metric(c, it, keys, &a->metrics[i]);
		for (j = 0; j < i && rc == 0; j++)
			if (strcmp(a->metrics[j].name, a->metrics[i].name) == 0)
				rc = json_fail(c, "duplicate metric name "
					       "\"%s\" (metrics[%ld] has it)",
					       a->metrics[i].name, (long)j);
		json_path_pop(c, m2);
	}
	if (rc == 0 && arr) {
		a->n_metrics = i;
		a->enabled = 1;
	}
	json_path_pop(c, mark);
	return rc;
}

/* An Argo analysis object at obj[key] (when present): keys allowed,
 * "metrics" required. *out is the object (or NULL); its path is pushed
 * until *mark is popped. */
static int prog_read_analysis(struct json_ctx *c, const cJSON *obj,
			      const char *key, const char *const *keys,
			      struct analysis_config *a, const cJSON **out,
			      size_t *mark)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	int rc;

	*out = v;
	*mark = c->len;
	if (!v)
		return 0;
	*mark = json_path_push_key(c, key);
	rc = json_expect_object(c, v);
	if (rc == 0)
		rc = json_check_keys(c, v, keys);
	if (rc == 0)
		rc = json_require(c, v, "metrics", NULL);
	if (rc == 0)
		rc = prog_read_metrics(c, v, argo_metric_keys, a);
	return rc;
}

/* prog_read_analysis for an analysis with no other keys. */
static int prog_read_plain_analysis(struct json_ctx *c, const cJSON *obj,
				    const char *key,
				    struct analysis_config *a)
{
	const cJSON *v;
	size_t mark;
	int rc = prog_read_analysis(c, obj, key, step_analysis_keys, a, &v,
				    &mark);

	json_path_pop(c, mark);
	return rc;
}

/* ------------------------------------------------------- Argo canary */

/* pause: {} (until promote: -1) or {"duration": D}. */
static int prog_read_pause(struct json_ctx *c, const cJSON *step,
			   struct canary_step *st)
{
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(step, "pause");
	size_t mark = json_path_push_key(c, "pause");
	int rc = json_expect_object(c, p);

	if (rc == 0)
		rc = json_check_keys(c, p, pause_keys);
	st->pause_ns = -1;
	if (rc == 0)
		rc = json_read_duration(c, p, "duration", 0, &st->pause_ns);
	json_path_pop(c, mark);
	return rc;
}

/* An analysis step: its analysis goes to k->analyses[]. */
static int prog_read_step_analysis(struct json_ctx *c, const cJSON *step,
				   struct canary_config *k,
				   struct canary_step *st)
{
	size_t mark;
	int rc;

	if (k->n_analyses >= CANARY_ANALYSES_MAX) {
		mark = json_path_push_key(c, "analysis");
		rc = json_fail(c, "expected at most %d analysis steps, got "
			       "more", CANARY_ANALYSES_MAX);
		json_path_pop(c, mark);
		return rc;
	}
	rc = prog_read_plain_analysis(c, step, "analysis",
				      &k->analyses[k->n_analyses]);
	if (rc == 0)
		st->analysis = k->n_analyses++;
	return rc;
}

/* One step (its path pushed by the caller): exactly one key. */
static int prog_read_step(struct json_ctx *c, const cJSON *s,
			  struct canary_config *k, struct canary_step *st)
{
	const char *key;
	int rc = json_expect_object(c, s);

	if (rc == 0)
		rc = json_check_keys(c, s, step_keys);
	if (rc == 0 && (!s->child || s->child->next))
		rc = json_fail_got(c, "exactly one of \"setWeight\", "
				   "\"pause\" and \"analysis\"", s);
	if (rc)
		return rc;
	key = s->child->string;
	if (strcmp(key, "setWeight") == 0) {
		st->kind = CANARY_SET_WEIGHT;
		return prog_int_range(c, s, "setWeight", 0, 100, NULL,
				      &st->weight);
	}
	if (strcmp(key, "pause") == 0) {
		st->kind = CANARY_PAUSE;
		return prog_read_pause(c, s, st);
	}
	st->kind = CANARY_ANALYSIS;
	return prog_read_step_analysis(c, s, k, st);
}

static int prog_read_steps(struct json_ctx *c, const cJSON *cn,
			   struct canary_config *k)
{
	const cJSON *arr, *it;
	size_t mark, m2;
	int32_t i = 0;
	int rc = prog_array(c, cn, "steps", PROG_STEPS_MAX, "steps", &arr,
			    &mark);

	for (it = arr ? arr->child : NULL; it && rc == 0; it = it->next) {
		m2 = json_path_push_index(c, (size_t)i);
		memset(&k->steps[i], 0, sizeof(k->steps[i]));
		rc = prog_read_step(c, it, k, &k->steps[i]);
		json_path_pop(c, m2);
		i++;
	}
	if (rc == 0)
		k->n_steps = i;
	json_path_pop(c, mark);
	return rc;
}

/* canary.analysis: background analysis from startingStep (0 to the
 * number of steps). Read after the steps. */
static int prog_read_background(struct json_ctx *c, const cJSON *cn,
				struct canary_config *k)
{
	const cJSON *v;
	char why[48];
	size_t mark;
	int rc = prog_read_analysis(c, cn, "analysis", background_keys,
				    &k->background, &v, &mark);

	snprintf(why, sizeof(why), "the number of steps");
	if (rc == 0 && v)
		rc = prog_int_range(c, v, "startingStep", 0, k->n_steps, why,
				    &k->starting_step);
	json_path_pop(c, mark);
	return rc;
}

static int prog_read_canary(struct json_ctx *c, const cJSON *cn,
			    struct canary_config *k)
{
	int rc = json_expect_object(c, cn);

	if (rc == 0)
		rc = json_check_keys(c, cn, canary_keys);
	if (rc == 0)
		rc = prog_argo_intstr(c, cn, "maxSurge", &k->max_surge);
	if (rc == 0)
		rc = prog_argo_intstr(c, cn, "maxUnavailable",
				      &k->max_unavailable);
	if (rc == 0)
		rc = prog_check_surge(c, k->max_surge, k->max_unavailable);
	if (rc == 0)
		rc = prog_read_steps(c, cn, k);
	if (rc == 0)
		rc = prog_read_background(c, cn, k);
	if (rc == 0)
		rc = json_read_bool(c, cn, "progressDeadlineAbort",
				    &k->progress_deadline_abort);
	return rc;
}

/* ---------------------------------------------------- Argo blueGreen */

/* A Service name: a DNS-1123 label that fits PROG_NAME_MAX. */
static int prog_read_service(struct json_ctx *c, const cJSON *obj,
			     const char *key, char *out)
{
	const char *name = NULL;
	size_t mark;
	int rc = json_read_string(c, obj, key, &name);

	if (rc || !name)
		return rc;
	if (scenario_is_dns_label(name) && strlen(name) < PROG_NAME_MAX) {
		memcpy(out, name, strlen(name) + 1);
		return 0;
	}
	mark = json_path_push_key(c, key);
	rc = json_fail_got(c, "a DNS-1123 label of at most 47 characters "
			   "(lowercase letters, digits and '-', starting "
			   "and ending with a letter or digit)",
			   cJSON_GetObjectItemCaseSensitive(obj, key));
	json_path_pop(c, mark);
	return rc;
}

static int prog_read_services(struct json_ctx *c, const cJSON *b,
			      struct bluegreen_config *k)
{
	size_t mark;
	int rc = prog_read_service(c, b, "activeService", k->active_service);

	if (rc == 0)
		rc = prog_read_service(c, b, "previewService",
				       k->preview_service);
	if (rc || strcmp(k->active_service, k->preview_service) != 0)
		return rc;
	mark = json_path_push_key(c, "previewService");
	rc = json_fail(c, "expected a name other than activeService's, got "
		       "\"%s\" (two different services are required)",
		       k->preview_service);
	json_path_pop(c, mark);
	return rc;
}

static int prog_read_bluegreen(struct json_ctx *c, const cJSON *b,
			       int32_t replicas, struct bluegreen_config *k)
{
	int rc = json_expect_object(c, b);

	if (rc == 0)
		rc = json_check_keys(c, b, bluegreen_keys);
	if (rc == 0)
		rc = prog_read_services(c, b, k);
	if (rc == 0)
		rc = prog_int_range(c, b, "previewReplicaCount", 0, replicas,
				    "the replicas", &k->preview_replicas);
	if (rc == 0)
		rc = json_read_bool(c, b, "autoPromotionEnabled",
				    &k->auto_promotion);
	if (rc == 0)
		rc = json_read_seconds(c, b, "autoPromotionSeconds", 0,
				       &k->auto_promotion_ns);
	if (rc == 0)
		rc = json_read_seconds(c, b, "scaleDownDelaySeconds", 0,
				       &k->scale_down_delay_ns);
	k->scale_down_delay_set =
		cJSON_GetObjectItemCaseSensitive(b, "scaleDownDelaySeconds")
		!= NULL;
	if (rc == 0)
		rc = json_read_seconds(c, b, "abortScaleDownDelaySeconds", 0,
				       &k->abort_scale_down_delay_ns);
	if (rc == 0)
		rc = prog_read_plain_analysis(c, b, "prePromotionAnalysis",
					      &k->pre);
	if (rc == 0)
		rc = prog_read_plain_analysis(c, b, "postPromotionAnalysis",
					      &k->post);
	return rc;
}

/* ------------------------------------------------------------ Flagger */

/* stepWeights: 1 to PROG_STEPS_MAX weights, increasing, 1..100. */
static int prog_read_step_weights(struct json_ctx *c, const cJSON *f,
				  struct flagger_config *k)
{
	const cJSON *arr, *it;
	char what[80];
	size_t mark, m2;
	int32_t i = 0, lo = 1;
	int rc = prog_array(c, f, "stepWeights", PROG_STEPS_MAX, "weights",
			    &arr, &mark);

	for (it = arr ? arr->child : NULL; it && rc == 0; it = it->next) {
		m2 = json_path_push_index(c, (size_t)i);
		snprintf(what, sizeof(what), "an integer from %ld to 100%s",
			 (long)lo, lo > 1 ? " (above the previous weight)" :
			 "");
		if (prog_is_int(it, lo, 100)) {
			k->step_weights[i] = (int32_t)it->valuedouble;
			lo = k->step_weights[i] + 1;
		} else {
			rc = json_fail_got(c, what, it);
		}
		json_path_pop(c, m2);
		i++;
	}
	if (rc == 0 && arr)
		k->n_step_weights = i;
	json_path_pop(c, mark);
	return rc;
}

/* rollingUpdate: the primary Deployment's own, Kubernetes' rules. */
static int prog_read_primary_rolling(struct json_ctx *c, const cJSON *f,
				     struct flagger_config *k)
{
	const cJSON *ru = cJSON_GetObjectItemCaseSensitive(f, "rollingUpdate");
	size_t mark;
	int rc;

	if (!ru)
		return 0;
	mark = json_path_push_key(c, "rollingUpdate");
	rc = json_expect_object(c, ru);
	if (rc == 0)
		rc = json_check_keys(c, ru, flagger_rolling_keys);
	if (rc == 0)
		rc = scenario_read_intstr(c, ru, "maxSurge", 0,
					  &k->primary_max_surge);
	if (rc == 0)
		rc = scenario_read_intstr(c, ru, "maxUnavailable", 1,
					  &k->primary_max_unavailable);
	if (rc == 0)
		rc = prog_check_surge(c, k->primary_max_surge,
				      k->primary_max_unavailable);
	json_path_pop(c, mark);
	return rc;
}

/* interval (raised to 10 s), threshold (<= 0: 1), the weights. */
static int prog_read_flagger_steps(struct json_ctx *c, const cJSON *f,
				   struct flagger_config *k)
{
	int rc = json_read_duration(c, f, "interval", 0, &k->interval_ns);

	if (rc == 0 && k->interval_ns < PROG_FLAGGER_MIN_INTERVAL_NS)
		k->interval_ns = PROG_FLAGGER_MIN_INTERVAL_NS;
	if (rc == 0)
		rc = json_read_int(c, f, "threshold", INT32_MIN,
				   &k->threshold);
	if (rc == 0 && k->threshold <= 0)
		k->threshold = 1;
	if (rc == 0)
		rc = prog_int_range(c, f, "maxWeight", 1, 100, NULL,
				    &k->max_weight);
	if (rc == 0)
		rc = prog_int_range(c, f, "stepWeight", 1, 100, NULL,
				    &k->step_weight);
	if (rc == 0)
		rc = prog_read_step_weights(c, f, k);
	if (rc == 0)
		rc = prog_int_range(c, f, "stepWeightPromotion", 0, 100, NULL,
				    &k->step_weight_promotion);
	if (rc == 0)
		rc = json_read_int(c, f, "iterations", 0, &k->iterations);
	return rc;
}

static int prog_read_flagger(struct json_ctx *c, const cJSON *f,
			     struct flagger_config *k)
{
	int rc = json_expect_object(c, f);

	if (rc == 0)
		rc = json_check_keys(c, f, flagger_keys);
	if (rc == 0)
		rc = prog_read_flagger_steps(c, f, k);
	if (rc == 0 && k->step_weight == 0 && k->n_step_weights == 0 &&
	    k->iterations == 0)
		rc = json_fail(c, "missing required key \"stepWeight\" (or "
			       "\"stepWeights\", or \"iterations\" for "
			       "blue/green)");
	if (rc == 0)
		rc = prog_read_metrics(c, f, flagger_metric_keys, &k->metrics);
	if (rc == 0)
		rc = prog_read_primary_rolling(c, f, k);
	return rc;
}

/* ---------------------------------------------------------- strategy */

/* The family keys of a strategy object, "type" standing for the
 * Deployment's (type and rollingUpdate). */
static const char *const family_keys[] = {
	"canary", "blueGreen", "flagger", NULL
};

/* Names of the families st gives into given[0..1]; returns how many. */
static int prog_families(const cJSON *st, const char **given)
{
	int n = 0, i;

	if (cJSON_GetObjectItemCaseSensitive(st, "type"))
		given[n++] = "type";
	else if (cJSON_GetObjectItemCaseSensitive(st, "rollingUpdate"))
		given[n++] = "rollingUpdate";
	for (i = 0; family_keys[i]; i++)
		if (cJSON_GetObjectItemCaseSensitive(st, family_keys[i])) {
			if (n < 2)
				given[n] = family_keys[i];
			n++;
		}
	return n;
}

/* An apply may not give a progressive strategy. */
static int prog_refuse_in_patch(struct json_ctx *c, const char *key)
{
	size_t mark = json_path_push_key(c, key);
	int rc = json_fail(c, "cannot be changed by apply (a progressive "
			   "strategy is given in the scenario's deployment "
			   "and fixed for the run)");

	json_path_pop(c, mark);
	return rc;
}

int scenario_read_prog_strategy(struct json_ctx *c, const cJSON *st,
				int patch, struct deploy_config *d)
{
	const char *given[2] = { NULL, NULL };
	const cJSON *v;
	size_t mark;
	int rc;

	if (prog_families(st, given) > 1)
		return json_fail(c, "expected one strategy, got both \"%s\" "
				 "and \"%s\" (set the other to null to switch)",
				 given[0], given[1]);
	if (!given[0] || strcmp(given[0], "type") == 0 ||
	    strcmp(given[0], "rollingUpdate") == 0)
		return 0;
	if (patch)
		return prog_refuse_in_patch(c, given[0]);
	v = cJSON_GetObjectItemCaseSensitive(st, given[0]);
	mark = json_path_push_key(c, given[0]);
	if (strcmp(given[0], "canary") == 0) {
		d->strategy = STRATEGY_CANARY;
		rc = prog_read_canary(c, v, &d->prog.canary);
	} else if (strcmp(given[0], "blueGreen") == 0) {
		d->strategy = STRATEGY_BLUE_GREEN;
		rc = prog_read_bluegreen(c, v, d->replicas, &d->prog.bg);
	} else {
		d->strategy = STRATEGY_FLAGGER;
		rc = prog_read_flagger(c, v, &d->prog.flagger);
	}
	json_path_pop(c, mark);
	return rc;
}
