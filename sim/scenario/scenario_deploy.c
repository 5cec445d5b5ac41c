/* scenario_deploy.c - the "deployment" object of a scenario, the partial
 * deployment of an `apply` event, and the pod-template fields they share
 * with images.
 *
 * Fields and validation are Kubernetes' apps/v1 Deployment
 * (docs/kubernetes.md §1): the name is a DNS-1123 label (at most 52 characters
 * here, so that ReplicaSet and pod names fit in 63), maxSurge / maxUnavailable
 * are a non-negative integer or "<digits>%", not both literally 0, and
 * maxUnavailable is at most 100%; progressDeadlineSeconds must exceed
 * minReadySeconds. Omitted fields keep deploy_config_defaults(). A patch
 * is checked only as far as it goes without the current spec (the simulator
 * rejects the rest when it applies it, as the API server would). Every key of
 * an image object may also appear in a deployment or a patch as an override of
 * the image's value: the models' table of the template's fields
 * (models/tmpl_field.h) gives each such key, its field and its TMPL_* bit, and
 * its kind picks the reader here (the structured values are read by
 * scenario_pod.c). A podDisruptionBudget belongs to the deployment only: an
 * apply cannot change it; nor can it rename the container (a DNS-1123 label,
 * "app" by default). The spec of a Deployment manifest (scenario_manifest.c)
 * goes through the same readers, ignoring unknown keys; keys next to
 * "manifest" are then read over its values.
 */
#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "models/tmpl_field.h"
#include "scenario_json.h"

#define SCENARIO_DEPLOY_NAME_MAX 52     /* RS and pod names must fit in 63 */
#define SCENARIO_KEYS_MAX 48            /* deployment + template keys */

static const char *const deploy_keys[] = {
	"name", "replicas", "minReadySeconds", "progressDeadlineSeconds",
	"revisionHistoryLimit", "strategy", "image", "paused",
	"podDisruptionBudget", "manifest", "container", NULL
};
static const char *const strategy_keys[] = {
	"type", "rollingUpdate", "canary", "blueGreen", "flagger", NULL
};
static const char *const strategy_types[] = {
	"RollingUpdate", "Recreate", NULL
};
static const char *const rolling_keys[] = {
	"maxSurge", "maxUnavailable", NULL
};
static const char *const pdb_keys[] = {
	"minAvailable", "maxUnavailable", NULL
};

/* What the deployment fields are read from. */
enum deploy_mode {
	MODE_SCENARIO = 0,  /* a scenario's deployment: every check */
	MODE_PATCH,         /* an apply: checks needing the spec skipped */
	MODE_OVER_MANIFEST, /* a scenario's keys over a manifest's values */
	MODE_MANIFEST       /* a manifest's spec: unknown keys ignored, no
			       pod-template keys */
};

static int scenario_read_tmpl_field(struct json_ctx *c, const cJSON *obj,
				    const struct tmpl_field *f,
				    struct image_config *im)
{
	void *at = tmpl_field_at(f, im);

	switch (f->kind) {
	case TMPL_KIND_DIST:
		return scenario_read_dist(c, obj, f->key, at);
	case TMPL_KIND_PROBE:
		return scenario_read_probe(c, obj, f->key, f->probe, at);
	case TMPL_KIND_SECONDS:
		return json_read_seconds(c, obj, f->key, f->min, at);
	case TMPL_KIND_DURATION:
		return json_read_duration(c, obj, f->key, 0, at);
	case TMPL_KIND_INT:
		return json_read_int(c, obj, f->key, f->min, at);
	case TMPL_KIND_BOOL:
		return json_read_bool(c, obj, f->key, at);
	case TMPL_KIND_PROBABILITY:
		return json_read_probability(c, obj, f->key, at);
	case TMPL_KIND_CRASH:
		return scenario_read_crash(c, obj, f->key, at);
	case TMPL_KIND_REQUESTS:
		return scenario_read_requests(c, obj, f->key, im);
	case TMPL_KIND_PULL_POLICY:
		return scenario_read_pull_policy(c, obj, f->key, at);
	case TMPL_KIND_WARMUP:
		return scenario_read_warmup(c, obj, f->key, at);
	case TMPL_KIND_QUEUE:
		return scenario_read_queue(c, obj, f->key, at);
	case TMPL_KIND_RATE:
		return json_read_number(c, obj, f->key, 0.0, 1.0,
					"a probability between 0 and 1", at);
	case TMPL_KIND_FACTOR:
		return scenario_read_factor(c, obj, f->key, at);
	}
	assert(0 && "unknown tmpl_kind");
	return RSIM_EINPUT;
}

int scenario_read_template(struct json_ctx *c, const cJSON *obj,
			   struct image_config *im, uint32_t *mask)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < TMPL_FIELD_COUNT && rc == 0; i++) {
		if (!cJSON_GetObjectItemCaseSensitive(obj, tmpl_fields[i].key))
			continue;
		rc = scenario_read_tmpl_field(c, obj, &tmpl_fields[i], im);
		if (rc == 0)
			*mask |= tmpl_fields[i].bit;
	}
	return rc;
}

int scenario_check_template_keys(struct json_ctx *c, const cJSON *obj,
				 const char *const *base)
{
	const char *keys[SCENARIO_KEYS_MAX + 1];
	size_t n = 0, i;

	for (i = 0; base && base[i]; i++) {
		assert(n < SCENARIO_KEYS_MAX);
		keys[n++] = base[i];
	}
	for (i = 0; i < TMPL_FIELD_COUNT; i++) {
		assert(n < SCENARIO_KEYS_MAX);
		keys[n++] = tmpl_fields[i].key;
	}
	keys[n] = NULL;
	return json_check_keys(c, obj, keys);
}

int scenario_is_dns_label(const char *s)
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

int scenario_read_deploy_name(struct json_ctx *c, const cJSON *dep,
			      struct deploy_config *d)
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

int scenario_read_container(struct json_ctx *c, const cJSON *obj,
			    const char *key, struct deploy_config *d)
{
	const char *name = NULL;
	size_t mark;
	int rc = json_read_string(c, obj, key, &name);

	if (rc || !name)
		return rc;
	mark = json_path_push_key(c, key);
	if (!scenario_is_dns_label(name))
		rc = json_fail_got(c, "a DNS-1123 label of at most 63 "
				   "characters (lowercase letters, digits and "
				   "'-', starting and ending with a letter or "
				   "digit)",
				   cJSON_GetObjectItemCaseSensitive(obj, key));
	else
		snprintf(d->container, sizeof(d->container), "%s", name);
	json_path_pop(c, mark);
	return rc;
}

/* Kubernetes: progressDeadlineSeconds must be > minReadySeconds. absent
 * says where a value dep does not give comes from ("the default"). */
static int scenario_check_deadline(struct json_ctx *c, const cJSON *dep,
				   const struct deploy_config *d,
				   const char *absent)
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
		snprintf(shown, sizeof(shown), "%lld (%s)",
			 (long long)(d->progress_deadline_ns / SIM_NS_PER_S),
			 absent);
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

/* An int-or-percent value at the current path (docs/kubernetes.md §1). */
int scenario_intstr_value(struct json_ctx *c, const cJSON *v, int max_100,
			  struct intstr *out)
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

int scenario_read_intstr(struct json_ctx *c, const cJSON *obj,
			 const char *key, int max_100, struct intstr *out)
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

/* strict: unknown keys are errors (a scenario), else ignored (a
 * manifest). */
static int scenario_read_rolling(struct json_ctx *c, const cJSON *st,
				 int strict, struct deploy_config *d)
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
	if (rc == 0 && strict)
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
				       struct deploy_config *d)
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

/* strict: a scenario's or a patch's strategy, where the progressive
 * families (scenario_prog.c) may appear (patch: and are refused); a
 * manifest's Deployment has only type and rollingUpdate. */
static int scenario_read_strategy(struct json_ctx *c, const cJSON *dep,
				  int strict, int patch,
				  struct deploy_config *d)
{
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(dep, "strategy");
	size_t mark;
	int rc;

	if (!st)
		return 0;
	mark = json_path_push_key(c, "strategy");
	rc = json_expect_object(c, st);
	if (rc == 0 && strict)
		rc = json_check_keys(c, st, strategy_keys);
	if (rc == 0 && strict)
		rc = scenario_read_prog_strategy(c, st, patch, d);
	if (rc == 0 && !deploy_strategy_progressive(d->strategy))
		rc = scenario_read_strategy_type(c, st, d);
	if (rc == 0 && !deploy_strategy_progressive(d->strategy))
		rc = scenario_read_rolling(c, st, strict, d);
	json_path_pop(c, mark);
	return rc;
}

/* policy/v1 PodDisruptionBudget: exactly one of minAvailable and
 * maxUnavailable, each an integer or a percentage of at most 100%. */
static int scenario_read_pdb_value(struct json_ctx *c, const cJSON *pdb,
				   struct pdb_config *p)
{
	int has_min = cJSON_GetObjectItemCaseSensitive(pdb, "minAvailable")
		      != NULL;
	int has_max = cJSON_GetObjectItemCaseSensitive(pdb, "maxUnavailable")
		      != NULL;
	int rc;

	if (has_min && has_max)
		return json_fail(c, "give either \"minAvailable\" or "
				 "\"maxUnavailable\", not both");
	if (!has_min && !has_max)
		return json_fail(c, "missing required key \"minAvailable\" "
				 "or \"maxUnavailable\"");
	if (has_min)
		rc = scenario_read_intstr(c, pdb, "minAvailable", 1,
					  &p->min_available);
	else
		rc = scenario_read_intstr(c, pdb, "maxUnavailable", 1,
					  &p->max_unavailable);
	if (rc == 0) {
		p->enabled = 1;
		p->use_min_available = has_min;
	}
	return rc;
}

static int scenario_read_pdb(struct json_ctx *c, const cJSON *dep,
			     struct pdb_config *p)
{
	const cJSON *pdb = cJSON_GetObjectItemCaseSensitive(
		dep, "podDisruptionBudget");
	size_t mark;
	int rc;

	if (!pdb)
		return 0;
	mark = json_path_push_key(c, "podDisruptionBudget");
	rc = json_expect_object(c, pdb);
	if (rc == 0)
		rc = json_check_keys(c, pdb, pdb_keys);
	if (rc == 0)
		rc = scenario_read_pdb_value(c, pdb, p);
	json_path_pop(c, mark);
	return rc;
}

/* obj[key] present: or bit into *mask. */
static void scenario_mark(const cJSON *obj, const char *key, uint32_t bit,
			  uint32_t *mask)
{
	if (cJSON_GetObjectItemCaseSensitive(obj, key))
		*mask |= bit;
}

/* The PATCH_* bits of the fields dep gives (image aside). */
static uint32_t scenario_deploy_mask(const cJSON *dep)
{
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(dep, "strategy");
	const cJSON *ru = cJSON_GetObjectItemCaseSensitive(st, "rollingUpdate");
	uint32_t m = 0;

	scenario_mark(dep, "replicas", PATCH_REPLICAS, &m);
	scenario_mark(dep, "minReadySeconds", PATCH_MIN_READY, &m);
	scenario_mark(dep, "progressDeadlineSeconds", PATCH_PROGRESS_DEADLINE,
		      &m);
	scenario_mark(dep, "revisionHistoryLimit", PATCH_HISTORY_LIMIT, &m);
	scenario_mark(st, "type", PATCH_STRATEGY_TYPE, &m);
	scenario_mark(ru, "maxSurge", PATCH_MAX_SURGE, &m);
	scenario_mark(ru, "maxUnavailable", PATCH_MAX_UNAVAILABLE, &m);
	scenario_mark(dep, "paused", PATCH_PAUSED, &m);
	return m;
}

/* Whether the deadline rule is checked after reading dep in mode: a
 * patch only when it gives both fields (the rest is the simulator's),
 * keys over a manifest when they give either (the manifest's own values
 * were checked with it). */
static int scenario_deadline_due(const cJSON *dep, enum deploy_mode mode)
{
	uint32_t m = scenario_deploy_mask(dep);
	uint32_t both = PATCH_MIN_READY | PATCH_PROGRESS_DEADLINE;

	if (mode == MODE_PATCH)
		return (m & both) == both;
	if (mode == MODE_OVER_MANIFEST)
		return (m & both) != 0;
	return 1;
}

/* The fields a deployment, a patch and a manifest's spec share: all but
 * name and image (and, in a manifest, the pod template). Absent fields
 * keep d's values. */
static int scenario_read_deploy_fields(struct json_ctx *c, const cJSON *dep,
				       struct deploy_config *d,
				       enum deploy_mode mode)
{
	int rc = json_read_replicas(c, dep, "replicas", &d->replicas);

	if (rc == 0)
		rc = json_read_seconds(c, dep, "minReadySeconds", 0,
				       &d->min_ready_ns);
	if (rc == 0)
		rc = json_read_seconds(c, dep, "progressDeadlineSeconds", 1,
				       &d->progress_deadline_ns);
	if (rc == 0 && scenario_deadline_due(dep, mode))
		rc = scenario_check_deadline(c, dep, d,
					     mode == MODE_OVER_MANIFEST ?
					     "from the manifest or the "
					     "default" : "the default");
	if (rc == 0)
		rc = json_read_int(c, dep, "revisionHistoryLimit", 0,
				   &d->revision_history_limit);
	if (rc == 0)
		rc = scenario_read_strategy(c, dep, mode != MODE_MANIFEST,
					    mode == MODE_PATCH, d);
	if (rc == 0)
		rc = json_read_bool(c, dep, "paused", &d->paused);
	if (rc == 0 && mode != MODE_MANIFEST)
		rc = scenario_read_template(c, dep, &d->tmpl.v, &d->tmpl.mask);
	return rc;
}

int scenario_read_manifest_spec(struct json_ctx *c, const cJSON *spec,
				struct deploy_config *d)
{
	return scenario_read_deploy_fields(c, spec, d, MODE_MANIFEST);
}

/* The deployment object (path "deployment" pushed by the caller): its
 * manifest first, when it names one, then its own keys over it. The
 * image is only named here; it is resolved once images are read. */
int scenario_read_deployment(struct json_ctx *c, const cJSON *dep,
			     struct deploy_config *d,
			     char *manifest_image)
{
	const char *image = NULL;
	int has_manifest = cJSON_GetObjectItemCaseSensitive(dep, "manifest")
			   != NULL;
	int rc = json_expect_object(c, dep);

	manifest_image[0] = '\0';
	if (rc == 0)
		rc = scenario_check_template_keys(c, dep, deploy_keys);
	if (rc == 0 && has_manifest)
		rc = scenario_read_manifest(c, dep, d, manifest_image);
	if (rc == 0)
		rc = scenario_read_deploy_name(c, dep, d);
	if (rc == 0)
		rc = scenario_read_container(c, dep, "container", d);
	if (rc == 0)
		rc = scenario_read_deploy_fields(c, dep, d, has_manifest ?
						 MODE_OVER_MANIFEST :
						 MODE_SCENARIO);
	if (rc == 0)
		rc = scenario_read_pdb(c, dep, &d->pdb);
	if (rc == 0 && !has_manifest)
		rc = json_require(c, dep, "image", NULL);
	if (rc == 0)
		rc = json_read_string(c, dep, "image", &image);
	if (rc == 0 && image)
		manifest_image[0] = '\0';
	return rc;
}

/* Deployment keys an apply may not give, and why (in checking order). */
static const struct {
	const char *key;
	const char *why;
} patch_refused[] = {
	{ "name", "cannot be changed by apply (an apply always targets the "
	  "scenario's deployment)" },
	{ "manifest", "cannot be used in an apply (give the fields that "
	  "change instead)" },
	{ "podDisruptionBudget", "cannot be changed by apply (the budget is a "
	  "separate object, given once in the scenario's deployment)" },
	{ "container", "cannot be changed by apply (the container's name is "
	  "fixed for the run)" },
};

int scenario_read_deploy_patch(struct json_ctx *c, const cJSON *dep,
			       struct deploy_patch *p,
			       const char **image)
{
	size_t mark, i;
	int rc = json_expect_object(c, dep);

	*image = NULL;
	if (rc == 0 && !dep->child)
		rc = json_fail_got(c, "at least one field", dep);
	if (rc == 0)
		rc = scenario_check_template_keys(c, dep, deploy_keys);
	for (i = 0; i < sizeof(patch_refused) / sizeof(patch_refused[0]) &&
		    rc == 0; i++) {
		if (!cJSON_GetObjectItemCaseSensitive(dep,
						      patch_refused[i].key))
			continue;
		mark = json_path_push_key(c, patch_refused[i].key);
		rc = json_fail(c, "%s", patch_refused[i].why);
		json_path_pop(c, mark);
	}
	if (rc == 0)
		rc = scenario_read_deploy_fields(c, dep, &p->v, MODE_PATCH);
	if (rc == 0)
		rc = json_read_string(c, dep, "image", image);
	if (rc == 0)
		p->mask |= scenario_deploy_mask(dep);
	if (rc == 0 && *image)
		p->mask |= PATCH_IMAGE;
	return rc;
}
