/* scenario_traffic.c - the "traffic" object of a scenario.
 *
 * rate (required) holds from start on; schedule steps change it at their
 * at (sorted here, file order kept on ties; steps need not be given in
 * order). Rates are capped at TRAFFIC_RATE_MAX so that arrival gaps stay
 * well above the 1 ns clock tick, and retries.count at TRAFFIC_RETRIES_MAX
 * so that a request cannot loop for long without an endpoint, and
 * connections.count at TRAFFIC_CONNECTIONS_MAX (each is scanned when a pod
 * dies). retries.on names request outcomes as summary.json does
 * (traffic_outcome_name); the mask is 1 << enum req_outcome.
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/alloc.h"
#include "scenario_json.h"

#define TRAFFIC_RATE_MAX 1e6        /* requests per second */
#define TRAFFIC_RETRIES_MAX 100     /* retries of one request */
#define TRAFFIC_CONNECTIONS_MAX 100000  /* keep-alive connections */

static const char *const traffic_keys[] = {
	"rate", "arrivals", "start", "timeout", "loadBalancing", "via",
	"schedule", "retries", "connections", "mode", NULL
};
static const char *const step_keys[] = { "at", "rate", NULL };
static const char *const retries_keys[] = {
	"count", "on", "backoff", NULL
};
static const char *const connections_keys[] = {
	"keepAlive", "count", "requestsPerConnection", NULL
};

static const char *const arrivals_names[] = {
	"poisson", "constant", NULL
};
static const enum arrivals_kind arrivals_values[] = {
	ARRIVALS_POISSON, ARRIVALS_CONSTANT
};
static const char *const lb_names[] = {
	"random", "roundRobin", "leastRequest", NULL
};
static const enum lb_policy lb_values[] = {
	LB_RANDOM, LB_ROUND_ROBIN, LB_LEAST_REQUEST
};
static const char *const via_names[] = { "kubeProxy", "ingress", NULL };
static const enum lb_consumer via_values[] = {
	CONSUMER_KUBE_PROXY, CONSUMER_INGRESS
};
static const char *const cause_names[] = {
	"no_endpoint", "refused", "overload", "timeout", "reset", "app_error",
	NULL
};
static const enum req_outcome cause_values[] = {
	OUTCOME_NO_ENDPOINT, OUTCOME_REFUSED, OUTCOME_OVERLOAD,
	OUTCOME_TIMEOUT, OUTCOME_RESET, OUTCOME_APP_ERROR
};

/* A rate at obj[key]: a number from 0 to TRAFFIC_RATE_MAX. */
static int traffic_read_rate(struct json_ctx *c, const cJSON *obj,
			     const char *key, double *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	size_t mark;
	int rc = 0;

	if (!v)
		return 0;
	mark = json_path_push_key(c, key);
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) ||
	    v->valuedouble < 0.0)
		rc = json_fail_got(c, "a non-negative number", v);
	else if (v->valuedouble > TRAFFIC_RATE_MAX)
		rc = json_fail_got(c, "at most 1000000 requests per second", v);
	else
		*out = v->valuedouble;
	json_path_pop(c, mark);
	return rc;
}

/* traffic.mode: "per-request" (default) or "aggregate". */
static int traffic_read_mode(struct json_ctx *c, const cJSON *t,
			     struct traffic_config *tc)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(t, "mode");
	size_t mark;
	int rc = 0;

	if (!v)
		return 0;
	mark = json_path_push_key(c, "mode");
	if (cJSON_IsString(v) && strcmp(v->valuestring, "per-request") == 0)
		tc->mode = TRAFFIC_PER_REQUEST;
	else if (cJSON_IsString(v) && strcmp(v->valuestring, "aggregate") == 0)
		tc->mode = TRAFFIC_AGGREGATE;
	else
		rc = json_fail_got(c, "\"per-request\" or \"aggregate\"", v);
	json_path_pop(c, mark);
	return rc;
}

/* The enums of traffic: arrivals, loadBalancing, via. */
static int traffic_read_enums(struct json_ctx *c, const cJSON *t,
			      struct traffic_config *tc)
{
	int i = -1;
	int rc = json_read_enum(c, t, "arrivals", "arrival process",
				arrivals_names, &i);

	if (rc == 0 && i >= 0)
		tc->arrivals = arrivals_values[i];
	i = -1;
	if (rc == 0)
		rc = json_read_enum(c, t, "loadBalancing",
				    "load balancing policy", lb_names, &i);
	if (rc == 0 && i >= 0)
		tc->lb = lb_values[i];
	i = -1;
	if (rc == 0)
		rc = json_read_enum(c, t, "via", "load balancer", via_names,
				    &i);
	if (rc == 0 && i >= 0)
		tc->via = via_values[i];
	return rc;
}

/* One schedule step (path pushed). */
static int traffic_read_step(struct json_ctx *c, const cJSON *v,
			     struct rate_step *s)
{
	int rc = json_expect_object(c, v);

	if (rc == 0)
		rc = json_check_keys(c, v, step_keys);
	if (rc == 0)
		rc = json_require(c, v, "at", NULL);
	if (rc == 0)
		rc = json_require(c, v, "rate", NULL);
	if (rc == 0)
		rc = json_read_duration(c, v, "at", 0, &s->at_ns);
	if (rc == 0)
		rc = traffic_read_rate(c, v, "rate", &s->rate_per_s);
	return rc;
}

/* Sorts the schedule by at_ns, keeping file order on ties. */
static int traffic_sort_schedule(struct json_ctx *c,
				 struct traffic_config *tc)
{
	return json_sort_by_time(c, tc->schedule, tc->n_schedule,
				 sizeof(*tc->schedule),
				 offsetof(struct rate_step, at_ns));
}

/* schedule: an array of { "at", "rate" } (path pushed). */
static int traffic_read_steps(struct json_ctx *c, const cJSON *arr,
			      struct traffic_config *tc)
{
	const cJSON *it;
	size_t n = 0, mark;
	int rc = 0;

	for (it = arr->child; it; it = it->next)
		n++;
	if (n == 0)
		return 0;
	if (n > SIZE_MAX / sizeof(*tc->schedule))
		return json_fail_nomem(c);
	tc->schedule = rsim_malloc(n * sizeof(*tc->schedule));
	if (!tc->schedule)
		return json_fail_nomem(c);
	for (it = arr->child; it && rc == 0; it = it->next) {
		mark = json_path_push_index(c, tc->n_schedule);
		rc = traffic_read_step(c, it, &tc->schedule[tc->n_schedule]);
		json_path_pop(c, mark);
		if (rc == 0)
			tc->n_schedule++;
	}
	return rc ? rc : traffic_sort_schedule(c, tc);
}

static int traffic_read_schedule(struct json_ctx *c, const cJSON *t,
				 struct traffic_config *tc)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(t, "schedule");
	size_t mark;
	int rc;

	if (!v)
		return 0;
	mark = json_path_push_key(c, "schedule");
	if (!cJSON_IsArray(v))
		rc = json_fail_got(c, "an array of {\"at\", \"rate\"} steps",
				   v);
	else
		rc = traffic_read_steps(c, v, tc);
	json_path_pop(c, mark);
	return rc;
}

/* One cause of retries.on (path pushed) or'ed into *mask. */
static int traffic_read_cause(struct json_ctx *c, const cJSON *v,
			      uint32_t *mask)
{
	size_t i;

	if (!cJSON_IsString(v) || !v->valuestring)
		return json_fail_got(c, "a string", v);
	for (i = 0; cause_names[i]; i++) {
		if (strcmp(v->valuestring, cause_names[i]) == 0) {
			*mask |= 1u << cause_values[i];
			return 0;
		}
	}
	return json_fail_enum(c, "cause", v->valuestring, cause_names);
}

/* retries.on: the causes retried (an empty list retries nothing). */
static int traffic_read_retry_on(struct json_ctx *c, const cJSON *r,
				 struct traffic_config *tc)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(r, "on");
	const cJSON *it;
	uint32_t mask = 0;
	size_t mark, m2, i = 0;
	int rc = 0;

	if (!v)
		return 0;
	mark = json_path_push_key(c, "on");
	if (!cJSON_IsArray(v))
		rc = json_fail_got(c, "an array of causes", v);
	for (it = rc ? NULL : v->child; it && rc == 0; it = it->next, i++) {
		m2 = json_path_push_index(c, i);
		rc = traffic_read_cause(c, it, &mask);
		json_path_pop(c, m2);
	}
	if (rc == 0)
		tc->retry_on = mask;
	json_path_pop(c, mark);
	return rc;
}

/* retries.count: 0..TRAFFIC_RETRIES_MAX (required). */
static int traffic_read_retry_count(struct json_ctx *c, const cJSON *r,
				    struct traffic_config *tc)
{
	size_t mark;
	int rc = json_require(c, r, "count", NULL);

	if (rc == 0)
		rc = json_read_int(c, r, "count", 0, &tc->retries);
	if (rc || tc->retries <= TRAFFIC_RETRIES_MAX)
		return rc;
	mark = json_path_push_key(c, "count");
	rc = json_fail_got(c, "at most 100 retries",
			   cJSON_GetObjectItemCaseSensitive(r, "count"));
	json_path_pop(c, mark);
	return rc;
}

/* retries: null = none; { "count" (required), "on", "backoff" }. */
static int traffic_read_retries(struct json_ctx *c, const cJSON *t,
				struct traffic_config *tc)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(t, "retries");
	size_t mark;
	int rc;

	if (!v)
		return 0;
	if (cJSON_IsNull(v)) {
		tc->retries = 0;
		return 0;
	}
	mark = json_path_push_key(c, "retries");
	if (!cJSON_IsObject(v))
		rc = json_fail_got(c, "an object or null", v);
	else
		rc = json_check_keys(c, v, retries_keys);
	if (rc == 0)
		rc = traffic_read_retry_count(c, v, tc);
	if (rc == 0)
		rc = traffic_read_retry_on(c, v, tc);
	if (rc == 0)
		rc = json_read_duration(c, v, "backoff", 0,
					&tc->retry_backoff_ns);
	json_path_pop(c, mark);
	return rc;
}

/* connections: { "keepAlive", "count" >= 1, "requestsPerConnection" }. */
static int traffic_read_connections(struct json_ctx *c, const cJSON *t,
				    struct traffic_config *tc)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(t, "connections");
	size_t mark;
	int rc;

	if (!v)
		return 0;
	mark = json_path_push_key(c, "connections");
	rc = json_expect_object(c, v);
	if (rc == 0)
		rc = json_check_keys(c, v, connections_keys);
	if (rc == 0)
		rc = json_read_bool(c, v, "keepAlive", &tc->keep_alive);
	if (rc == 0)
		rc = json_read_int(c, v, "count", 1, &tc->conn_count);
	if (rc == 0 && tc->conn_count > TRAFFIC_CONNECTIONS_MAX) {
		size_t m = json_path_push_key(c, "count");

		rc = json_fail_got(c, "at most 100000 connections",
				   cJSON_GetObjectItemCaseSensitive(v,
								    "count"));
		json_path_pop(c, m);
	}
	if (rc == 0)
		rc = json_read_int(c, v, "requestsPerConnection", 0,
				   &tc->requests_per_conn);
	json_path_pop(c, mark);
	return rc;
}

/* traffic (path pushed), in schema order. */
static int traffic_read_fields(struct json_ctx *c, const cJSON *t,
			       struct traffic_config *tc)
{
	int rc = json_check_keys(c, t, traffic_keys);

	/* a traffic object with nothing but a mode sends no requests: so
	 * `--set traffic.mode=aggregate` works on a scenario without
	 * traffic too (it then has none, in either mode) */
	if (rc == 0 && cJSON_GetArraySize(t) == 1 &&
	    cJSON_GetObjectItemCaseSensitive(t, "mode"))
		return traffic_read_mode(c, t, tc);
	if (rc == 0)
		rc = json_require(c, t, "rate", NULL);
	if (rc == 0)
		rc = traffic_read_rate(c, t, "rate", &tc->rate_per_s);
	if (rc == 0)
		rc = traffic_read_enums(c, t, tc);
	if (rc == 0)
		rc = traffic_read_mode(c, t, tc);
	if (rc == 0)
		rc = json_read_duration(c, t, "start", 0, &tc->start_ns);
	if (rc == 0)
		rc = json_read_duration(c, t, "timeout", 0, &tc->timeout_ns);
	if (rc == 0)
		rc = traffic_read_schedule(c, t, tc);
	if (rc == 0)
		rc = traffic_read_retries(c, t, tc);
	if (rc == 0)
		rc = traffic_read_connections(c, t, tc);
	if (rc == 0)
		tc->enabled = 1;
	return rc;
}

int scenario_read_traffic(struct json_ctx *c, const cJSON *root,
			  struct world_config *cfg)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "traffic");
	size_t mark;
	int rc;

	if (!v)
		return 0;
	mark = json_path_push_key(c, "traffic");
	rc = json_expect_object(c, v);
	if (rc == 0)
		rc = traffic_read_fields(c, v, &cfg->traffic);
	json_path_pop(c, mark);
	return rc;
}
