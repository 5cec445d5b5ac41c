/* sweep_json.c - sweep.json (sweep_json.h): written from a plan, parsed
 * (strictly, as scenario files are) and turned back into a plan. */
#include "sweep_json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/alloc.h"
#include "sim/core/file.h"
#include "sim/core/version.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/scenario_json.h"

/* sweep.json's text, ending with a newline (NULL: out of memory). */
char *sweep_json_text(const struct sweep_plan *p, int32_t done,
		      int shard_k, int shard_n, int complete)
{
	unsigned long failures = rsim_alloc_failures();
	cJSON *o = cJSON_CreateObject(), *sh, *plan;
	char *text, *nl;
	size_t n;

	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, "rollsim_version", ROLLSIM_VERSION);
	plan = cJSON_Duplicate(p->plan_json, 1);
	if (!cJSON_AddItemToObject(o, SWEEP_JSON_PLAN, plan))
		cJSON_Delete(plan);
	if (shard_n > 1) {
		sh = cJSON_AddObjectToObject(o, "shard");
		cJSON_AddNumberToObject(sh, "k", shard_k);
		cJSON_AddNumberToObject(sh, "n", shard_n);
	} else {
		cJSON_AddNullToObject(o, "shard");
	}
	cJSON_AddNumberToObject(o, "runs_done", done);
	cJSON_AddBoolToObject(o, "complete", complete);
	text = rsim_alloc_failures() == failures ? cJSON_Print(o) : NULL;
	cJSON_Delete(o);
	n = text ? strlen(text) : 0;
	nl = text ? rsim_realloc(text, n + 2) : NULL;
	if (!nl) {
		free(text);
		return NULL;
	}
	memcpy(nl + n, "\n", 2);
	return nl;
}

/* The plan of a parsed sweep.json document o (which is freed). */
static cJSON *plan_of(cJSON *o, const char *path, struct rsim_error *err)
{
	cJSON *plan = cJSON_IsObject(o)
			      ? cJSON_DetachItemFromObjectCaseSensitive(
					o, SWEEP_JSON_PLAN)
			      : NULL;

	cJSON_Delete(o);
	if (!plan)
		rsim_error_set(err, RSIM_EINPUT, path, "",
			       "not a sweep.json of "
			       "rollsim");
	return plan;
}

cJSON *sweep_parse_plan(const char *text, const char *path,
			struct rsim_error *err)
{
	struct json_ctx c;
	cJSON *o;

	json_ctx_init(&c, path, err);
	if (json_parse(&c, text, strlen(text), &o))
		return NULL;
	return plan_of(o, path, err);
}

cJSON *sweep_read_plan(const char *dir, struct rsim_error *err)
{
	char path[4096];
	cJSON *o;

	if (path_join(path, sizeof(path), dir, SWEEP_JSON_FILE)) {
		rsim_error_set(err, RSIM_EINPUT, dir, "", "path too long");
		return NULL;
	}
	if (scenario_parse_file(path, &o, err))   /* strict, size-limited */
		return NULL;
	return plan_of(o, path, err);
}

int sweep_json_check_plan(const char *dir, const cJSON *plan_json,
			  struct rsim_error *err)
{
	char path[4096];
	cJSON *plan = sweep_read_plan(dir, err);
	int same = plan && cJSON_Compare(plan, plan_json, 1);

	cJSON_Delete(plan);
	if (!plan)
		return err->code;
	path_join(path, sizeof(path), dir, SWEEP_JSON_FILE);  /* it fits */
	if (!same)
		return rsim_error_set(err, RSIM_EINPUT, path, "",
				      "belongs to another "
				      "sweep plan (scenario, --set, vary, variants "
				      "or replications differ)");
	return 0;
}

static int32_t variant_index(const struct sweep_plan *p, const cJSON *v)
{
	int32_t i;

	for (i = 0; cJSON_IsString(v) && i < p->n_variants; i++)
		if (strcmp(p->variant_names[i], v->valuestring) == 0)
			return i;
	return -1;
}

static int plan_points_from_json(struct sweep_plan *p, const cJSON *pts)
{
	const cJSON *e;
	int32_t i = 0, j;

	p->points = rsim_calloc((size_t)cJSON_GetArraySize(pts) + 1,
			   sizeof(*p->points));
	if (!p->points)
		return -1;
	cJSON_ArrayForEach(e, pts) {
		struct sweep_point *pt = &p->points[i++];
		const cJSON *vals = cJSON_GetObjectItemCaseSensitive(
			e, SWEEP_POINT_VALUES);

		p->n_points = i;
		world_config_init(&pt->cfg);
		pt->variant = variant_index(p, cJSON_GetObjectItemCaseSensitive(
						       e, SWEEP_POINT_VARIANT));
		pt->valid = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
			e, SWEEP_POINT_VALID));
		pt->values = cJSON_CreateArray();
		if (!pt->values)
			return -1;
		for (j = 0; j < p->n_vary; j++)
			cJSON_AddItemToArray(pt->values, cJSON_Duplicate(
				cJSON_GetObjectItemCaseSensitive(
					vals, p->vary_paths[j]), 1));
	}
	return 0;
}

/* plan[key] when it is an integer from lo to hi (checked before any
 * cast: a crafted sweep.json may hold 1e10 or -1e30), else -1. */
static int plan_int(const cJSON *plan, const char *key, int32_t lo,
		    int32_t hi, int32_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(plan, key);
	double d = cJSON_IsNumber(v) ? v->valuedouble : (double)lo - 1.0;

	if (!(d >= lo && d <= hi && d == floor(d)))
		return -1;
	*out = (int32_t)d;
	return 0;
}

/* The counts of a sweep.json plan within the limits sweep plans have. */
int sweep_json_check_counts(const cJSON *plan, const char *dir,
			    struct rsim_error *err)
{
	int n = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
		plan, SWEEP_PLAN_POINTS));
	char path[4096];
	int32_t reps = 0, base = 0;

	if (path_join(path, sizeof(path), dir, SWEEP_JSON_FILE))
		return rsim_error_set(err, RSIM_EINPUT, dir, "", "path too long");
	if (plan_int(plan, SWEEP_PLAN_REPLICATIONS, 1, SWEEP_RUNS_MAX, &reps))
		return rsim_error_set(err, RSIM_EINPUT, path,
				      "plan.replications",
				      "expected an integer from 1 to %d",
				      SWEEP_RUNS_MAX);
	if (n < 1 || n > SWEEP_POINTS_MAX)
		return rsim_error_set(err, RSIM_EINPUT, path, "plan.points",
				      "expected 1 to %d points, got %d",
				      SWEEP_POINTS_MAX, n);
	if ((int64_t)n * reps > SWEEP_RUNS_MAX)
		return rsim_error_set(err, RSIM_EINPUT, path, "plan",
				      "expected at "
				      "most %d runs (points x replications), got "
				      "%d x %ld", SWEEP_RUNS_MAX, n,
				      (long)reps);
	if (plan_int(plan, SWEEP_PLAN_BASELINE, 0, n - 1, &base))
		return rsim_error_set(err, RSIM_EINPUT, path, "plan.baseline",
				      "expected a point number from 0 to %d",
				      n - 1);
	return 0;
}

/* The run numbers merge indexes: points and runs within the limits of
 * sweep plans, and the baseline one of the points. */
static int plan_check_runs(const struct sweep_plan *p)
{
	if (p->n_points < 1 || p->n_points > SWEEP_POINTS_MAX ||
	    p->baseline >= p->n_points ||
	    (int64_t)p->n_points * p->replications > SWEEP_RUNS_MAX)
		return -1;
	return 0;
}

int sweep_plan_from_json(const cJSON *plan, struct sweep_plan *p)
{
	const cJSON *vary = cJSON_GetObjectItemCaseSensitive(plan,
							     SWEEP_PLAN_VARY);
	const cJSON *vs = cJSON_GetObjectItemCaseSensitive(plan,
							   SWEEP_PLAN_VARIANTS);
	const cJSON *k;
	unsigned long failures = rsim_alloc_failures();

	memset(p, 0, sizeof(*p));
	if (plan_int(plan, SWEEP_PLAN_REPLICATIONS, 1, SWEEP_RUNS_MAX,
		     &p->replications) ||
	    plan_int(plan, SWEEP_PLAN_BASELINE, 0, SWEEP_POINTS_MAX,
		     &p->baseline) ||
	    (vary && !cJSON_IsObject(vary)) || (vs && !cJSON_IsArray(vs)))
		return -1;
	p->vary_paths = rsim_calloc((size_t)cJSON_GetArraySize(vary) + 1,
			       sizeof(char *));
	p->variant_names = rsim_calloc((size_t)cJSON_GetArraySize(vs) + 1,
				  sizeof(char *));
	p->plan_json = cJSON_Duplicate(plan, 1);
	if (!p->vary_paths || !p->variant_names || !p->plan_json)
		return -1;
	cJSON_ArrayForEach(k, vary)
		if (!(p->vary_paths[p->n_vary++] = rsim_strdup(k->string)))
			return -1;
	cJSON_ArrayForEach(k, vs)
		if (!cJSON_IsString(k) ||
		    !(p->variant_names[p->n_variants++] = rsim_strdup(k->valuestring)))
			return -1;
	if (plan_points_from_json(p, cJSON_GetObjectItemCaseSensitive(
					  plan, SWEEP_PLAN_POINTS)) ||
	    rsim_alloc_failures() != failures)    /* a point's values */
		return -1;
	return plan_check_runs(p);
}

/* Adds item to obj under key (to the array obj when key is NULL); an
 * item that cannot be added is deleted (sweep_json_plan notices the
 * failed allocation). */
static void plan_add(cJSON *obj, const char *key, cJSON *item)
{
	if (!(key ? cJSON_AddItemToObject(obj, key, item)
		  : cJSON_AddItemToArray(obj, item)))
		cJSON_Delete(item);
}

/* plan.points: each point's number, variant, values, validity. */
static void points_json(cJSON *o, const struct sweep_plan *p)
{
	cJSON *pts = cJSON_AddArrayToObject(o, SWEEP_PLAN_POINTS);
	int32_t i, j;

	for (i = 0; i < p->n_points; i++) {
		const struct sweep_point *pt = &p->points[i];
		cJSON *e = cJSON_CreateObject(), *vals;

		cJSON_AddNumberToObject(e, "point", i);
		if (pt->variant >= 0)
			cJSON_AddStringToObject(e, SWEEP_POINT_VARIANT,
						p->variant_names[pt->variant]);
		else
			cJSON_AddNullToObject(e, SWEEP_POINT_VARIANT);
		vals = cJSON_AddObjectToObject(e, SWEEP_POINT_VALUES);
		for (j = 0; j < p->n_vary; j++)
			plan_add(vals, p->vary_paths[j], cJSON_Duplicate(
					 cJSON_GetArrayItem(pt->values, j), 1));
		cJSON_AddBoolToObject(e, SWEEP_POINT_VALID, pt->valid);
		if (!pt->valid)
			cJSON_AddStringToObject(e, "error", pt->error);
		plan_add(pts, NULL, e);
	}
}

cJSON *sweep_json_plan(const struct sweep_plan *p, const cJSON *const *lists,
		       const char *const *sets, int n_sets)
{
	unsigned long failures = rsim_alloc_failures();
	cJSON *o = cJSON_CreateObject(), *vary, *names, *setl;
	int32_t i, runs = 0;

	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, SWEEP_PLAN_SCENARIO, p->name);
	cJSON_AddStringToObject(o, "scenario_hash", p->hash);
	cJSON_AddNumberToObject(o, "seed", (double)p->seed);
	cJSON_AddNumberToObject(o, SWEEP_PLAN_REPLICATIONS, p->replications);
	setl = cJSON_AddArrayToObject(o, "set");
	for (i = 0; i < n_sets; i++)
		plan_add(setl, NULL, cJSON_CreateString(sets[i]));
	vary = cJSON_AddObjectToObject(o, SWEEP_PLAN_VARY);
	for (i = 0; i < p->n_vary; i++)
		plan_add(vary, p->vary_paths[i], cJSON_Duplicate(lists[i], 1));
	names = cJSON_AddArrayToObject(o, SWEEP_PLAN_VARIANTS);
	for (i = 0; i < p->n_variants; i++)
		plan_add(names, NULL, cJSON_CreateString(p->variant_names[i]));
	cJSON_AddNumberToObject(o, SWEEP_PLAN_BASELINE, p->baseline);
	points_json(o, p);
	for (i = 0; i < p->n_points; i++)
		runs += p->points[i].valid ? p->replications : 0;
	cJSON_AddNumberToObject(o, "runs", runs);
	cJSON_AddNumberToObject(o, "total_runs",
				(double)p->n_points * p->replications);
	if (rsim_alloc_failures() != failures) {  /* a cJSON_Add* failed */
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}
