/* scenario_sets.c - a scenario file as a JSON tree (a Kubernetes
 * manifest wrapped into one, scenario_wrap.c), --set overrides written
 * into it by path, and the tree loaded as a world configuration
 * (scenario.h). `run` loads this way (scenario_input.c); a sweep plan
 * reads the same tree and loads each of its points with
 * scenario_load_tree.
 */
#include "scenario.h"

#include <stdlib.h>
#include <string.h>

#include "sim/core/alloc.h"
#include "jsonpath.h"
#include "scenario_json.h"

int scenario_read_tree_note(const char *file, cJSON **out, char *note,
			    size_t n_note, struct rsim_error *err)
{
	struct world_config tmp;
	int rc = scenario_wrap_read(file, out, note, n_note, err);

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

int scenario_read_tree(const char *file, cJSON **out, struct rsim_error *err)
{
	return scenario_read_tree_note(file, out, NULL, 0, err);
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
	struct scenario_input in = { 0 };

	in.file = file;
	in.sets = sets;
	in.n_sets = n_sets;
	return scenario_load_input(&in, cfg, NULL, 0, err);
}
