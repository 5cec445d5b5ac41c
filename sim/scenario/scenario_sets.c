/* scenario_sets.c - a scenario file as a JSON tree, --set overrides
 * written into it by path, and the tree loaded as a world configuration
 * (scenario.h). `run` loads this way; a sweep plan reads the same tree
 * and loads each of its points with scenario_load_tree.
 */
#include "scenario.h"

#include <stdlib.h>
#include <string.h>

#include "sim/core/alloc.h"
#include "jsonpath.h"
#include "scenario_json.h"

int scenario_read_tree(const char *file, cJSON **out, struct rsim_error *err)
{
	struct world_config tmp;
	int rc = scenario_parse_file(file, out, err);

	if (rc || cJSON_IsObject(*out))
		return rc;
	cJSON_Delete(*out);
	*out = NULL;
	if (scenario_load_file(file, &tmp, err) == 0) {   /* cannot happen */
		world_config_release(&tmp);
		return rsim_error_set(err, RSIM_EINPUT, file, "",
				      "cannot read");
	}
	return err->code;
}

/* root[path] = the value of text; null removes the key (or the array
 * element), as a variant's null does (jsonpath_delete). */
static int set_one(cJSON *root, const char *path, const char *text,
		   const char **why)
{
	cJSON *v = jsonpath_value(text);

	if (!cJSON_IsNull(v))
		return jsonpath_set(root, path, v, why);
	cJSON_Delete(v);
	return jsonpath_delete(root, path, why);
}

int scenario_apply_sets(cJSON *root, const char *file,
			const char *const *sets, int n_sets,
			struct rsim_error *err)
{
	unsigned long failures;
	int i;

	for (i = 0; i < n_sets; i++) {
		const char *eq = strchr(sets[i], '=');
		char path[512];
		const char *why;

		if (!eq || eq == sets[i] || (size_t)(eq - sets[i]) >= sizeof(path))
			return rsim_error_set(err, RSIM_EINPUT, "", "",
					      "--set %s: expected PATH=VALUE",
					      sets[i]);
		memcpy(path, sets[i], (size_t)(eq - sets[i]));
		path[eq - sets[i]] = '\0';
		failures = rsim_alloc_failures();
		if (set_one(root, path, eq + 1, &why))
			return rsim_alloc_failures() != failures
			       ? rsim_error_set(err, RSIM_ENOMEM, file, "",
						"out of memory")
			       : rsim_error_set(err, RSIM_EINPUT, file, path,
						"--set: %s", why);
		/* the file was checked; only this value can be too deep */
		if (jsonpath_depth(root) > JSON_DEPTH_MAX)
			return rsim_error_set(err, RSIM_EINPUT, file, path,
					      "--set: nested deeper than %d "
					      "levels", JSON_DEPTH_MAX);
	}
	return 0;
}

int scenario_load_tree(const cJSON *tree, const char *file,
		       struct world_config *cfg, struct rsim_error *err)
{
	char *text = cJSON_PrintUnformatted(tree);
	int rc;

	if (!text)
		return rsim_error_set(err, RSIM_ENOMEM, file, "",
				      "out of memory");
	rc = scenario_load_string(text, file, cfg, err);
	free(text);
	return rc;
}

int scenario_load_with_sets(const char *file, const char *const *sets,
			    int n_sets, struct world_config *cfg,
			    struct rsim_error *err)
{
	cJSON *root;
	int rc = scenario_read_tree(file, &root, err);

	if (rc)
		return rc;
	rc = scenario_apply_sets(root, file, sets, n_sets, err);
	cJSON_DeleteItemFromObjectCaseSensitive(root, "sweep");
	if (!rc)
		rc = scenario_load_tree(root, file, cfg, err);
	cJSON_Delete(root);
	return rc;
}

