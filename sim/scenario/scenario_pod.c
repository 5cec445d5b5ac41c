/* scenario_pod.c - the structured values of the pod-template keys.
 *
 * Readers of the image keys that are more than a number, a boolean or a
 * distribution: probes (core/v1 validation: successThreshold must be 1 for
 * liveness and startup probes), crash, requests, imagePullPolicy, warmup,
 * queueCapacity and serviceTimeFactor. Which key uses which reader, and
 * the TMPL_* bit it sets, is the kind of its row in models/tmpl_field.c
 * (scenario_deploy.c picks the reader). Each reader leaves *out alone
 * when the key is absent; an object replaces every field it covers
 * (omitted members take their defaults), null switches the feature off.
 * A manifest's probe (scenario_read_k8s_probe) is read with the same
 * rules, its Kubernetes fields only: other keys (the handler) are
 * ignored.
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "scenario_json.h"

static const char *const probe_keys[] = {
	"initialDelaySeconds", "periodSeconds", "timeoutSeconds",
	"successThreshold", "failureThreshold", "failureProbability",
	"neverReady", NULL
};
static const char *const crash_keys[] = { "after", "probability", NULL };
static const char *const requests_keys[] = { "cpu", "memory", NULL };
static const char *const warmup_keys[] = { "duration", "factor", NULL };
static const char *const pull_policies[] = {
	"IfNotPresent", "Always", NULL
};

/* core/v1: successThreshold must be 1 for liveness and startup probes
 * (kind names the probe; NULL: readiness, any value >= 1). */
static int scenario_check_success_one(struct json_ctx *c, const cJSON *v,
				      const char *kind,
				      const struct probe_config *p)
{
	char shown[JSON_TEXT_MAX];
	size_t mark;
	int rc;

	if (!kind || p->success_threshold == 1)
		return 0;
	json_show(cJSON_GetObjectItemCaseSensitive(v, "successThreshold"),
		  shown);
	mark = json_path_push_key(c, "successThreshold");
	rc = json_fail(c, "must be 1 for a %s probe, got %s", kind, shown);
	json_path_pop(c, mark);
	return rc;
}

/* The members of a probe object v (path pushed), from Kubernetes'
 * defaults. strict: a scenario's probe (unknown keys are errors, the
 * simulator's own keys are read), else a manifest's. */
static int scenario_read_probe_fields(struct json_ctx *c, const cJSON *v,
				      const char *kind, int strict,
				      struct probe_config *p)
{
	int rc = strict ? json_check_keys(c, v, probe_keys) : 0;

	if (rc == 0)
		probe_config_defaults(p);  /* enabled */
	if (rc == 0)
		rc = json_read_seconds(c, v, "initialDelaySeconds", 0,
				       &p->initial_delay_ns);
	if (rc == 0)
		rc = json_read_seconds(c, v, "periodSeconds", 1, &p->period_ns);
	if (rc == 0)
		rc = json_read_seconds(c, v, "timeoutSeconds", 1,
				       &p->timeout_ns);
	if (rc == 0)
		rc = json_read_int(c, v, "successThreshold", 1,
				   &p->success_threshold);
	if (rc == 0)
		rc = scenario_check_success_one(c, v, kind, p);
	if (rc == 0)
		rc = json_read_int(c, v, "failureThreshold", 1,
				   &p->failure_threshold);
	if (rc == 0 && strict)
		rc = json_read_probability(c, v, "failureProbability",
					   &p->failure_prob);
	if (rc == 0 && strict)
		rc = json_read_bool(c, v, "neverReady", &p->never_ready);
	return rc;
}

int scenario_read_k8s_probe(struct json_ctx *c, const cJSON *obj,
			    const char *key, const char *kind,
			    struct probe_config *p)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	size_t mark;
	int rc;

	if (!v)
		return 0;
	mark = json_path_push_key(c, key);
	rc = json_expect_object(c, v);
	if (rc == 0)
		rc = scenario_read_probe_fields(c, v, kind, 0, p);
	json_path_pop(c, mark);
	return rc;
}

int scenario_read_probe(struct json_ctx *c, const cJSON *obj,
			const char *key, const char *kind,
			struct probe_config *p)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	size_t mark;
	int rc;

	if (!v)
		return 0;
	if (cJSON_IsNull(v)) {
		p->enabled = 0;
		return 0;
	}
	mark = json_path_push_key(c, key);
	if (!cJSON_IsObject(v))
		rc = json_fail_got(c, "an object or null", v);
	else
		rc = scenario_read_probe_fields(c, v, kind, 1, p);
	json_path_pop(c, mark);
	return rc;
}

/* crash: null = none; { "after": dist (required), "probability" }. */
int scenario_read_crash(struct json_ctx *c, const cJSON *obj,
			const char *key, struct crash_config *cr)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	size_t mark;
	int rc;

	if (!v)
		return 0;
	if (cJSON_IsNull(v)) {
		cr->enabled = 0;
		cr->probability = 1.0;
		dist_release(&cr->after);
		return 0;
	}
	mark = json_path_push_key(c, key);
	if (!cJSON_IsObject(v))
		rc = json_fail_got(c, "an object or null", v);
	else
		rc = json_check_keys(c, v, crash_keys);
	if (rc == 0)
		rc = json_require(c, v, "after", NULL);
	if (rc == 0)
		rc = scenario_read_dist(c, v, "after", &cr->after);
	if (rc == 0) {
		cr->probability = 1.0;
		rc = json_read_probability(c, v, "probability",
					   &cr->probability);
	}
	if (rc == 0)
		cr->enabled = 1;
	json_path_pop(c, mark);
	return rc;
}

/* requests: { "cpu", "memory" }; an omitted one is 0 (no request). */
int scenario_read_requests(struct json_ctx *c, const cJSON *obj,
			   const char *key, struct image_config *im)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	size_t mark;
	int rc;

	if (!v)
		return 0;
	mark = json_path_push_key(c, key);
	rc = json_expect_object(c, v);
	if (rc == 0)
		rc = json_check_keys(c, v, requests_keys);
	im->cpu_milli = 0;
	im->memory_bytes = 0;
	if (rc == 0)
		rc = scenario_read_cpu(c, v, "cpu", &im->cpu_milli);
	if (rc == 0)
		rc = scenario_read_memory(c, v, "memory", &im->memory_bytes);
	json_path_pop(c, mark);
	return rc;
}

/* imagePullPolicy: IfNotPresent or Always. Never is refused: the
 * simulated nodes start without images, so no container could start. */
int scenario_read_pull_policy(struct json_ctx *c, const cJSON *obj,
			      const char *key, enum pull_policy *out)
{
	const char *s = NULL;
	size_t mark;
	int rc = json_read_string(c, obj, key, &s);

	if (rc || !s)
		return rc;
	if (strcmp(s, "IfNotPresent") == 0) {
		*out = PULL_IF_NOT_PRESENT;
		return 0;
	}
	if (strcmp(s, "Always") == 0) {
		*out = PULL_ALWAYS;
		return 0;
	}
	mark = json_path_push_key(c, key);
	if (strcmp(s, "Never") == 0)
		rc = json_fail(c, "\"Never\" is not supported (nodes start "
			       "without images, so no container could "
			       "start); use \"IfNotPresent\" or \"Always\"");
	else
		rc = json_fail_enum(c, "imagePullPolicy", s, pull_policies);
	json_path_pop(c, mark);
	return rc;
}

/* warmup: null = none; { "duration", "factor" >= 1 }, both required. */
int scenario_read_warmup(struct json_ctx *c, const cJSON *obj,
			 const char *key, struct warmup_config *w)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	size_t mark;
	int rc;

	if (!v)
		return 0;
	w->duration_ns = 0;
	w->factor = 1.0;
	if (cJSON_IsNull(v))
		return 0;
	mark = json_path_push_key(c, key);
	if (!cJSON_IsObject(v))
		rc = json_fail_got(c, "an object or null", v);
	else
		rc = json_check_keys(c, v, warmup_keys);
	if (rc == 0)
		rc = json_require(c, v, "duration", NULL);
	if (rc == 0)
		rc = json_require(c, v, "factor", NULL);
	if (rc == 0)
		rc = json_read_duration(c, v, "duration", 0, &w->duration_ns);
	if (rc == 0)
		rc = json_read_number(c, v, "factor", 1.0, HUGE_VAL,
				      "a number >= 1", &w->factor);
	json_path_pop(c, mark);
	return rc;
}

/* queueCapacity: an integer >= 0 or "unlimited" (QUEUE_UNLIMITED). */
int scenario_read_queue(struct json_ctx *c, const cJSON *obj,
			const char *key, int32_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	double d;
	size_t mark;
	int rc = 0;

	if (!v)
		return 0;
	mark = json_path_push_key(c, key);
	d = cJSON_IsNumber(v) ? v->valuedouble : -1.0;
	if (cJSON_IsString(v) && v->valuestring &&
	    strcmp(v->valuestring, "unlimited") == 0)
		*out = QUEUE_UNLIMITED;
	else if (d >= 0.0 && d == floor(d) && d <= (double)INT32_MAX)
		*out = (int32_t)d;
	else if (d > (double)INT32_MAX && d == floor(d))
		rc = json_fail_got(c, "an integer <= 2147483647", v);
	else
		rc = json_fail_got(c, "a non-negative integer or "
				   "\"unlimited\"", v);
	json_path_pop(c, mark);
	return rc;
}

int scenario_read_factor(struct json_ctx *c, const cJSON *obj,
			 const char *key, double *out)
{
	/* DBL_MIN: the least positive normal number, so "greater than 0"
	 * short of denormals, which no factor needs */
	return json_read_number(c, obj, key, DBL_MIN, DBL_MAX,
				"a number greater than 0", out);
}
