/* scenario_deploy.c - the "deployment" object of a scenario.
 *
 * Fields and validation are Kubernetes' apps/v1 Deployment (SEMANTICS.md
 * §a): the name is a DNS-1123 label (at most 52 characters here, so that
 * ReplicaSet and pod names fit in 63), maxSurge / maxUnavailable are a
 * non-negative integer or "<digits>%", not both literally 0, and
 * maxUnavailable is at most 100%; progressDeadlineSeconds must exceed
 * minReadySeconds. Omitted fields keep deployment_config_defaults().
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "scenario_json.h"

#define SCENARIO_DEPLOY_NAME_MAX 52     /* RS and pod names must fit in 63 */

static const char *const deploy_keys[] = {
	"name", "replicas", "minReadySeconds", "progressDeadlineSeconds",
	"revisionHistoryLimit", "strategy", "image", NULL
};
static const char *const strategy_keys[] = { "type", "rollingUpdate", NULL };
static const char *const strategy_types[] = {
	"RollingUpdate", "Recreate", NULL
};
static const char *const rolling_keys[] = {
	"maxSurge", "maxUnavailable", NULL
};

/* DNS-1123 label: [a-z0-9]([-a-z0-9]*[a-z0-9])?, at most 63 bytes. */
static int scenario_is_dns_label(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

static int scenario_read_deploy_name(struct json_ctx *c, const cJSON *dep,
				     struct deployment_config *d)
{
	const char *name = NULL;
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(dep, "name");
	size_t mark;
	int rc = json_read_string(c, dep, "name", &name);

	if (rc || !name)
		return rc;
	mark = json_path_push_key(c, "name");
	if (!scenario_is_dns_label(name))
		rc = json_fail_got(c, "a DNS-1123 label (lowercase letters, "
				   "digits and '-', starting and ending "
				   "with a letter or digit)", v);
	else if (strlen(name) > SCENARIO_DEPLOY_NAME_MAX)
		rc = json_fail_got(c, "at most 52 characters, so that "
				   "replicaset and pod names fit in 63", v);
	else
		snprintf(d->name, sizeof(d->name), "%s", name);
	json_path_pop(c, mark);
	return rc;
}

/* Kubernetes: progressDeadlineSeconds must be > minReadySeconds. */
static int scenario_check_deadline(struct json_ctx *c, const cJSON *dep,
				   const struct deployment_config *d)
{
	const cJSON *v;
	char shown[JSON_TEXT_MAX];
	size_t mark;
	int rc;

	if (d->progress_deadline_ns > d->min_ready_ns)
		return 0;
	v = cJSON_GetObjectItemCaseSensitive(dep, "progressDeadlineSeconds");
	if (v)
		json_show(v, shown);
	else
		snprintf(shown, sizeof(shown), "%lld (the default)",
			 (long long)(d->progress_deadline_ns / SIM_NS_PER_S));
	mark = json_path_push_key(c, "progressDeadlineSeconds");
	rc = json_fail(c, "expected a value greater than minReadySeconds "
		       "(%lld), got %s",
		       (long long)(d->min_ready_ns / SIM_NS_PER_S), shown);
	json_path_pop(c, mark);
	return rc;
}

/* "<digits>%" -> 0..INT32_MAX, or -1. */
static long scenario_percent(const char *s)
{
	long v = 0;

	if (!(*s >= '0' && *s <= '9'))
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (*s - '0');
		if (v > INT32_MAX)
			return -1;
	}
	return (s[0] == '%' && s[1] == '\0') ? v : -1;
}

/* An int-or-percent value at the current path (SEMANTICS.md §a). */
static int scenario_intstr_value(struct json_ctx *c, const cJSON *v,
				 int max_100, struct intstr *out)
{
	static const char what[] =
		"a non-negative integer or a percentage such as \"25%\"";
	double d = cJSON_IsNumber(v) ? v->valuedouble : -1.0;
	long pct = cJSON_IsString(v) ? scenario_percent(v->valuestring) : -1;

	if (cJSON_IsNumber(v) && d == floor(d) && d >= 0.0 &&
	    d <= (double)INT32_MAX) {
		*out = intstr_int((int32_t)d);
		return 0;
	}
	if (pct < 0)
		return json_fail_got(c, what, v);
	if (max_100 && pct > 100)
		return json_fail_got(c, "a percentage of at most 100%", v);
	*out = intstr_percent((int32_t)pct);
	return 0;
}

static int scenario_read_intstr(struct json_ctx *c, const cJSON *obj,
				const char *key, int max_100,
				struct intstr *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	size_t mark;
	int rc;

	if (!v)
		return 0;
	mark = json_path_push_key(c, key);
	rc = scenario_intstr_value(c, v, max_100, out);
	json_path_pop(c, mark);
	return rc;
}

static int scenario_read_rolling(struct json_ctx *c, const cJSON *st,
				 struct deployment_config *d)
{
	const cJSON *ru = cJSON_GetObjectItemCaseSensitive(st, "rollingUpdate");
	size_t mark, m2;
	int rc;

	if (!ru)
		return 0;
	mark = json_path_push_key(c, "rollingUpdate");
	if (d->strategy == STRATEGY_RECREATE)
		rc = json_fail(c, "may not be specified when strategy type "
			       "is \"Recreate\"");
	else
		rc = json_expect_object(c, ru);
	if (rc == 0)
		rc = json_check_keys(c, ru, rolling_keys);
	if (rc == 0)
		rc = scenario_read_intstr(c, ru, "maxSurge", 0, &d->max_surge);
	if (rc == 0)
		rc = scenario_read_intstr(c, ru, "maxUnavailable", 1,
					  &d->max_unavailable);
	/* on the literal values: the defaults (25%) are never 0 */
	if (rc == 0 && d->max_surge.value == 0 &&
	    d->max_unavailable.value == 0) {
		m2 = json_path_push_key(c, "maxUnavailable");
		rc = json_fail(c, "may not be 0 when maxSurge is 0");
		json_path_pop(c, m2);
	}
	json_path_pop(c, mark);
	return rc;
}

static int scenario_read_strategy_type(struct json_ctx *c, const cJSON *st,
				       struct deployment_config *d)
{
	const char *type = NULL;
	size_t mark;
	int rc = json_read_string(c, st, "type", &type);

	if (rc || !type)
		return rc;
	if (strcmp(type, "RollingUpdate") == 0) {
		d->strategy = STRATEGY_ROLLING_UPDATE;
	} else if (strcmp(type, "Recreate") == 0) {
		d->strategy = STRATEGY_RECREATE;
	} else {
		mark = json_path_push_key(c, "type");
		rc = json_fail_enum(c, "strategy type", type, strategy_types);
		json_path_pop(c, mark);
	}
	return rc;
}

static int scenario_read_strategy(struct json_ctx *c, const cJSON *dep,
				  struct deployment_config *d)
{
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(dep, "strategy");
	size_t mark;
	int rc;

	if (!st)
		return 0;
	mark = json_path_push_key(c, "strategy");
	rc = json_expect_object(c, st);
	if (rc == 0)
		rc = json_check_keys(c, st, strategy_keys);
	if (rc == 0)
		rc = scenario_read_strategy_type(c, st, d);
	if (rc == 0)
		rc = scenario_read_rolling(c, st, d);
	json_path_pop(c, mark);
	return rc;
}

/* The deployment object (path "deployment" pushed by the caller). The
 * image is only named here; it is resolved once images are read. */
int scenario_read_deployment(struct json_ctx *c, const cJSON *dep,
			     struct deployment_config *d, const char **image)
{
	int rc = json_expect_object(c, dep);

	if (rc == 0)
		rc = json_check_keys(c, dep, deploy_keys);
	if (rc == 0)
		rc = scenario_read_deploy_name(c, dep, d);
	if (rc == 0)
		rc = json_read_int(c, dep, "replicas", 0, &d->replicas);
	if (rc == 0)
		rc = json_read_seconds(c, dep, "minReadySeconds", 0,
				       &d->min_ready_ns);
	if (rc == 0)
		rc = json_read_seconds(c, dep, "progressDeadlineSeconds", 1,
				       &d->progress_deadline_ns);
	if (rc == 0)
		rc = scenario_check_deadline(c, dep, d);
	if (rc == 0)
		rc = json_read_int(c, dep, "revisionHistoryLimit", 0,
				   &d->revision_history_limit);
	if (rc == 0)
		rc = scenario_read_strategy(c, dep, d);
	if (rc == 0)
		rc = json_require(c, dep, "image", NULL);
	if (rc == 0)
		rc = json_read_string(c, dep, "image", image);
	return rc;
}
