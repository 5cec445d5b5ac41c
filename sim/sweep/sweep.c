/* sweep.c - sweep plans: variants, the vary grid.
 *
 * The scenario is read as a JSON tree with its --set values written in
 * (scenario_sets.c); the `sweep` section is taken out and checked here
 * (the loader never sees it); each point's tree (base, merged with its variant, with
 * its vary values set) is handed to the scenario loader, which either
 * gives its config or the one-line error that marks the point invalid.
 */
#include "sweep.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/alloc.h"
#include "sim/core/file.h"
#include "sim/core/hash.h"
#include "sim/scenario/jsonpath.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/scenario_json.h"
#include "sweep_json.h"

#define SWEEP_FILE_MAX (64L << 20)

static const char *const sweep_keys[] = {
	"replications", "vary", "variants", "baseline", NULL
};

static int sweep_fail(struct rsim_error *err, const char *file,
		      const char *path, const char *msg)
{
	return rsim_error_set(err, RSIM_EINPUT, file, path, "%s", msg);
}

static int check_keys(const cJSON *sw, const char *file, struct rsim_error *err)
{
	const cJSON *k;
	struct json_ctx c;
	int i, known;

	cJSON_ArrayForEach(k, sw) {
		for (i = 0, known = 0; sweep_keys[i]; i++)
			known |= strcmp(k->string, sweep_keys[i]) == 0;
		if (!known) {              /* the key's path as the loader's */
			json_ctx_init(&c, file, err);
			json_path_push_key(&c, "sweep");
			json_path_push_key(&c, k->string);
			return json_fail(&c,
					 "unknown key (known: replications, "
					 "vary, variants, baseline)");
		}
	}
	return 0;
}

/* sweep.vary["key"], the key escaped as a JSON string (an error line
 * never holds a control character). */
static void vary_path(char *buf, size_t n, const char *key)
{
	size_t len = (size_t)snprintf(buf, n, "sweep.vary[\"");

	for (; *key && len + 8 < n; key++) {
		unsigned char ch = (unsigned char)*key;

		if (ch == '"' || ch == '\\')
			len += (size_t)snprintf(buf + len, n - len, "\\%c", ch);
		else if (ch < 0x20)
			len += (size_t)snprintf(buf + len, n - len, "\\u%04x",
						ch);
		else
			buf[len++] = (char)ch;
	}
	snprintf(buf + len, n - len, "\"]");
}

static int read_replications(const cJSON *sw, struct sweep_plan *p,
			     struct rsim_error *err)
{
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(sw, "replications");

	p->replications = 1;
	if (!r)
		return 0;
	/* NaN fails every comparison: no cast before the range holds */
	if (!cJSON_IsNumber(r) || !(r->valuedouble >= 1 &&
				    r->valuedouble <= SWEEP_RUNS_MAX &&
				    r->valuedouble == floor(r->valuedouble)))
		return sweep_fail(err, p->file, "sweep.replications",
				  "expected an integer from 1 to 1000000");
	p->replications = (int32_t)r->valuedouble;
	return 0;
}

static int read_vary(const cJSON *sw, struct sweep_plan *p,
		     const cJSON **lists, struct rsim_error *err)
{
	const cJSON *vary = cJSON_GetObjectItemCaseSensitive(sw, "vary"), *k;
	char path[600];

	if (!vary)
		return 0;
	if (!cJSON_IsObject(vary))
		return sweep_fail(err, p->file, "sweep.vary", "expected an "
				  "object of JSON path -> list of values");
	p->vary_paths = rsim_calloc((size_t)cJSON_GetArraySize(vary) + 1,
			       sizeof(*p->vary_paths));
	if (!p->vary_paths)
		return rsim_error_set(err, RSIM_ENOMEM, p->file, "",
				      "out of memory");
	cJSON_ArrayForEach(k, vary) {
		vary_path(path, sizeof(path), k->string);
		if (!cJSON_IsArray(k) || cJSON_GetArraySize(k) == 0)
			return sweep_fail(err, p->file, path,
					  "expected a non-empty list of values");
		p->vary_paths[p->n_vary] = rsim_strdup(k->string);
		lists[p->n_vary++] = k;
		if (!p->vary_paths[p->n_vary - 1])
			return rsim_error_set(err, RSIM_ENOMEM, p->file, "",
					      "out of memory");
	}
	return 0;
}

static int read_variants(const cJSON *sw, struct sweep_plan *p,
			 struct rsim_error *err)
{
	const cJSON *vs = cJSON_GetObjectItemCaseSensitive(sw, "variants"), *v;
	char path[64];
	int32_t i = 0, j;

	if (!vs)
		return 0;
	if (!cJSON_IsArray(vs) || cJSON_GetArraySize(vs) == 0)
		return sweep_fail(err, p->file, "sweep.variants",
				  "expected a non-empty list of named partial "
				  "scenarios");
	p->variant_names = rsim_calloc((size_t)cJSON_GetArraySize(vs),
				  sizeof(*p->variant_names));
	if (!p->variant_names)
		return rsim_error_set(err, RSIM_ENOMEM, p->file, "",
				      "out of memory");
	cJSON_ArrayForEach(v, vs) {
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(v, "name");

		snprintf(path, sizeof(path), "sweep.variants[%d]", i);
		if (!cJSON_IsObject(v) || !cJSON_IsString(name) ||
		    !name->valuestring[0])
			return sweep_fail(err, p->file, path, "expected an "
					  "object with a \"name\" string");
		for (j = 0; j < i; j++)
			if (strcmp(p->variant_names[j], name->valuestring) == 0)
				return sweep_fail(err, p->file, path,
						  "duplicate variant name");
		p->variant_names[i++] = rsim_strdup(name->valuestring);
		p->n_variants = i;
		if (!p->variant_names[i - 1])
			return rsim_error_set(err, RSIM_ENOMEM, p->file, "",
					      "out of memory");
	}
	return 0;
}

/* The tree of one point: base, variant patch (minus its name), values. */
static cJSON *point_tree(const cJSON *base, const cJSON *variant,
			 const struct sweep_plan *p, const cJSON *values,
			 char *bad, size_t bad_n)
{
	cJSON *tree = cJSON_Duplicate(base, 1), *patch = NULL;
	const char *why;
	int32_t i;

	if (!tree)
		return NULL;
	if (variant) {
		patch = cJSON_Duplicate(variant, 1);
		if (!patch)
			goto fail;
		cJSON_DeleteItemFromObjectCaseSensitive(patch, "name");
		if (jsonpath_merge(tree, patch))
			goto fail;
		cJSON_Delete(patch);
		patch = NULL;
	}
	for (i = 0; i < p->n_vary; i++)
		if (jsonpath_set(tree, p->vary_paths[i],
				 cJSON_Duplicate(cJSON_GetArrayItem(values, i),
						 1),
				 &why)) {
			char vp[600];

			vary_path(vp, sizeof(vp), p->vary_paths[i]);
			if (snprintf(bad, bad_n,
				     "%s: %s: cannot set this path in "
				     "the scenario: %s", p->file, vp, why) < 0)
				bad[0] = '\0';   /* cannot happen; cuts are fine */
			goto fail;
		}
	return tree;
fail:
	cJSON_Delete(patch);
	cJSON_Delete(tree);
	return NULL;
}

static int add_point(struct sweep_plan *p, const cJSON *base,
		     const cJSON *variant, int32_t vi, cJSON *values)
{
	struct sweep_point *pt = &p->points[p->n_points++];
	struct rsim_error e = { 0 };
	unsigned long failures = rsim_alloc_failures();
	cJSON *tree;

	memset(pt, 0, sizeof(*pt));
	pt->variant = vi;
	pt->values = values;
	world_config_init(&pt->cfg);
	snprintf(pt->error, sizeof(pt->error), "%s: out of memory", p->file);
	tree = point_tree(base, variant, p, values, pt->error,
			  sizeof(pt->error));
	if (rsim_alloc_failures() != failures) {  /* cJSON may not say so */
		cJSON_Delete(tree);
		return RSIM_ENOMEM;
	}
	if (!tree)
		return 0;
	pt->error[0] = '\0';
	if (scenario_load_tree(tree, p->file, &pt->cfg, &e) == 0) {
		pt->valid = 1;
	} else if (e.code == RSIM_ENOMEM) {
		cJSON_Delete(tree);
		return RSIM_ENOMEM;
	} else {
		rsim_error_format(&e, pt->error, sizeof(pt->error));
	}
	cJSON_Delete(tree);
	return 0;
}

/* Points and runs within SWEEP_POINTS_MAX and SWEEP_RUNS_MAX, counted
 * without overflow before anything is allocated. */
static int check_size(const struct sweep_plan *p, const cJSON **lists,
		      struct rsim_error *err)
{
	uint64_t n = p->n_variants ? (uint64_t)p->n_variants : 1, k;
	char msg[200], got[32];
	int32_t i;
	int sat = 0;

	for (i = 0; i < p->n_vary; i++) {
		k = (uint64_t)cJSON_GetArraySize(lists[i]);
		sat |= k > 0 && n > UINT64_MAX / k;
		n = sat ? UINT64_MAX : n * k;
	}
	if (n > SWEEP_POINTS_MAX) {
		if (sat)
			snprintf(got, sizeof(got), "more than 2^64");
		else
			snprintf(got, sizeof(got), "%llu",
				 (unsigned long long)n);
		snprintf(msg, sizeof(msg), "expected at most %d points "
			 "(variants x combinations of vary values), got %s",
			 SWEEP_POINTS_MAX, got);
		return sweep_fail(err, p->file, "sweep", msg);
	}
	if (n * (uint64_t)p->replications > SWEEP_RUNS_MAX) {
		snprintf(msg, sizeof(msg), "expected at most %d runs (points x "
			 "replications), got %llu x %ld = %llu", SWEEP_RUNS_MAX,
			 (unsigned long long)n, (long)p->replications,
			 (unsigned long long)n * (uint64_t)p->replications);
		return sweep_fail(err, p->file, "sweep", msg);
	}
	return 0;
}

/* Every combination of the vary lists (the last path varies fastest). */
static int expand(struct sweep_plan *p, const cJSON *base,
		  const cJSON *variants, const cJSON **lists)
{
	int32_t nv = p->n_variants ? p->n_variants : 1, v, i, n = 1;
	int32_t idx[64] = { 0 };
	int rc;

	for (i = 0; i < p->n_vary; i++)
		n *= cJSON_GetArraySize(lists[i]);
	p->points = rsim_calloc((size_t)(n * nv), sizeof(*p->points));
	if (!p->points)
		return RSIM_ENOMEM;
	for (v = 0; v < nv; v++) {
		for (;;) {
			unsigned long failures = rsim_alloc_failures();
			cJSON *values = cJSON_CreateArray();

			for (i = 0; values && i < p->n_vary; i++)
				cJSON_AddItemToArray(values, cJSON_Duplicate(
					cJSON_GetArrayItem(lists[i], idx[i]),
									     1));
			if (rsim_alloc_failures() != failures) {
				cJSON_Delete(values);
				return RSIM_ENOMEM;
			}
			rc = add_point(p, base, p->n_variants
				       ? cJSON_GetArrayItem(variants, v) : NULL,
				       p->n_variants ? v : -1, values);
			if (rc)
				return rc;
			for (i = p->n_vary - 1; i >= 0; i--) {
				if (++idx[i] < cJSON_GetArraySize(lists[i]))
					break;
				idx[i] = 0;
			}
			if (i < 0)
				break;
		}
	}
	return 0;
}

/* sweep.baseline: a variant name, an object of vary values, or a point
 * index; default the first valid point. */
static int find_baseline(const cJSON *sw, struct sweep_plan *p,
			 struct rsim_error *err)
{
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(sw, "baseline");
	int32_t i, j;

	p->baseline = -1;
	if (b && !cJSON_IsString(b) && !cJSON_IsNumber(b) && !cJSON_IsObject(b))
		return sweep_fail(err, p->file, "sweep.baseline", "expected a "
				  "variant name, an object of vary values or a "
				  "point number");
	if (cJSON_IsObject(b)) {
		const cJSON *k;

		cJSON_ArrayForEach(k, b) {
			for (j = 0; j < p->n_vary; j++)
				if (strcmp(k->string, p->vary_paths[j]) == 0)
					break;
			if (j == p->n_vary)
				return sweep_fail(err, p->file,
						  "sweep.baseline",
						  "names a path that sweep.vary "
						  "does not vary");
		}
	}
	for (i = 0; i < p->n_points && p->baseline < 0; i++) {
		const struct sweep_point *pt = &p->points[i];
		int match = pt->valid;

		if (!b) {
		} else if (cJSON_IsString(b)) {
			match &= pt->variant >= 0 &&
				 strcmp(p->variant_names[pt->variant],
					b->valuestring) == 0;
		} else if (cJSON_IsNumber(b)) {
			match &= (double)i == b->valuedouble;
		} else if (cJSON_IsObject(b)) {
			for (j = 0; j < p->n_vary; j++) {
				const cJSON *want = cJSON_GetObjectItemCaseSensitive(
					b, p->vary_paths[j]);

				if (want && !cJSON_Compare(want,
					cJSON_GetArrayItem(pt->values, j), 1))
					match = 0;
			}
		}
		if (match)
			p->baseline = i;
	}
	if (p->baseline < 0 && b)
		return sweep_fail(err, p->file, "sweep.baseline", "names no "
				  "valid point (give a variant name, an object "
				  "of vary values, or a point index)");
	if (p->baseline < 0)
		p->baseline = 0;
	return 0;
}

static int build(struct sweep_plan *p, cJSON *root, const cJSON *sw,
		 const char *const *sets, int n_sets, int32_t reps,
		 struct rsim_error *err)
{
	const cJSON *lists[64];
	const cJSON *variants = sw ? cJSON_GetObjectItemCaseSensitive(
					     sw, "variants") : NULL;
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(root, "name");
	const cJSON *seed = cJSON_GetObjectItemCaseSensitive(root, "seed");
	int rc = 0;

	if (sw && !cJSON_IsObject(sw))
		return sweep_fail(err, p->file, "sweep", "expected an object");
	if (sw && cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
			  sw, "vary")) > 64)
		return sweep_fail(err, p->file, "sweep.vary",
				  "at most 64 paths");
	if (sw)
		rc = check_keys(sw, p->file, err);
	if (!rc && sw)
		rc = read_replications(sw, p, err);
	if (!rc && sw)
		rc = read_vary(sw, p, lists, err);
	if (!rc && sw)
		rc = read_variants(sw, p, err);
	if (rc)
		return rc;
	if (reps > 0)
		p->replications = reps;
	rc = check_size(p, lists, err);
	if (rc)
		return rc;
	snprintf(p->name, sizeof(p->name), "%s",
		 cJSON_IsString(name) ? name->valuestring : "scenario");
	/* a seed out of range is the loader's error (every point fails) */
	p->seed = cJSON_IsNumber(seed) && seed->valuedouble >= 0 &&
			  seed->valuedouble < 0x1p64
		  ? (uint64_t)seed->valuedouble : 1;
	if (expand(p, root, variants, lists))
		return rsim_error_set(err, RSIM_ENOMEM, p->file, "",
				      "out of memory");
	rc = find_baseline(sw, p, err);
	if (!rc && !(p->plan_json = sweep_json_plan(p, lists, sets, n_sets)))
		rc = rsim_error_set(err, RSIM_ENOMEM, p->file, "",
				    "out of memory");
	return rc;
}

/* Mixes the bytes of the Kubernetes manifest the scenario reads, if any
 * (its path is relative to the scenario's directory), into *h. Returns 0
 * or RSIM_ENOMEM. */
static int hash_manifest(uint64_t *h, const cJSON *root, const char *file)
{
	const cJSON *m = jsonpath_get((cJSON *)root, "deployment.manifest");
	char path[1024];
	char *text;
	size_t k;
	int e;

	if (!cJSON_IsString(m) ||
	    path_beside(path, sizeof(path), file, m->valuestring))
		return 0;       /* too long: the loader reports it */
	e = file_read(path, SWEEP_FILE_MAX, &text, &k);
	if (e)          /* unreadable: the loader reports it */
		return e == ENOMEM ? RSIM_ENOMEM : 0;
	*h = hash_fnv64a_more(*h, text, k);
	free(text);
	return 0;
}

/* FNV-1a 64 of the scenario's content (after --set) and of the manifest
 * it reads, as 16 hex digits: shards and resumed sweeps must run the very
 * same scenario. */
static int tree_hash(const cJSON *root, const char *file, char *out,
		     size_t n)
{
	char *text = cJSON_PrintUnformatted(root);
	uint64_t h;

	if (!text)
		return RSIM_ENOMEM;
	h = hash_fnv64a(text, strlen(text));
	free(text);
	if (hash_manifest(&h, root, file))
		return RSIM_ENOMEM;
	snprintf(out, n, "%016llx", (unsigned long long)h);
	return 0;
}

int sweep_plan_build(const char *file, const char *const *sets, int n_sets,
		     int32_t reps, struct sweep_plan *p, struct rsim_error *err)
{
	cJSON *root, *sw;
	int rc;

	memset(p, 0, sizeof(*p));
	p->replications = 1;
	snprintf(p->file, sizeof(p->file), "%s", file);
	rc = scenario_read_tree(file, &root, err);
	if (rc)
		return rc;
	rc = scenario_apply_sets(root, file, sets, n_sets, err);
	if (!rc && tree_hash(root, file, p->hash, sizeof(p->hash)))
		rc = rsim_error_set(err, RSIM_ENOMEM, file, "",
				    "out of memory");
	sw = cJSON_DetachItemFromObjectCaseSensitive(root, "sweep");
	if (!rc)
		rc = build(p, root, sw, sets, n_sets, reps, err);
	cJSON_Delete(sw);
	cJSON_Delete(root);
	if (rc)
		sweep_plan_release(p);
	return rc;
}

void sweep_plan_release(struct sweep_plan *p)
{
	int32_t i;

	for (i = 0; i < p->n_points; i++) {
		cJSON_Delete(p->points[i].values);
		world_config_release(&p->points[i].cfg);
	}
	for (i = 0; i < p->n_vary; i++)
		free(p->vary_paths[i]);
	for (i = 0; i < p->n_variants; i++)
		free(p->variant_names[i]);
	free(p->points);
	free(p->vary_paths);
	free(p->variant_names);
	cJSON_Delete(p->plan_json);
	memset(p, 0, sizeof(*p));
}
