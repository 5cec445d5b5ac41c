/* fuzz_scenario.c - a scenario file, read as `run` (scenario_load_file)
 * and as `validate` and `sweep` (sweep_plan_build: the sweep section,
 * every point through the loader) read it. */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "sim/scenario/scenario.h"
#include "sim/sweep/sweep.h"

/* The bytes to load: data itself, or, when it is JSON that names a
 * manifest, the tree printed back with the manifests redirected
 * (malloc'ed, *n updated; NULL: use data). *slow: the sweep grid is too
 * large to plan within the time limit (fuzz.h). */
static char *redirected(const uint8_t *data, size_t *n, int *slow)
{
	cJSON *root = cJSON_ParseWithLength((const char *)data, *n);
	char *text = NULL;

	*slow = fuzz_plan_too_slow(root);
	if (root && fuzz_redirect_manifests(root) > 0) {
		text = cJSON_PrintUnformatted(root);
		FUZZ_CHECK(text != NULL, "cJSON_PrintUnformatted");
		*n = strlen(text);
	}
	cJSON_Delete(root);
	return text;
}

int fuzz_scenario(const uint8_t *data, size_t n)
{
	int slow;
	char *text = redirected(data, &n, &slow);
	const char *path = fuzz_memfile(0, text ? text : (const char *)data, n);
	struct world_config cfg;
	struct sweep_plan plan;
	struct rsim_error err = { 0 };
	int rc;

	free(text);
	rc = scenario_load_file(path, &cfg, &err);
	fuzz_check_result(rc, &err, "scenario_load_file");
	world_config_release(&cfg);
	if (slow)
		return 0;
	memset(&err, 0, sizeof(err));
	rc = sweep_plan_build(path, NULL, 0, 0, &plan, &err);
	fuzz_check_result(rc, &err, "sweep_plan_build");
	if (rc == 0) {
		fuzz_check_plan(&plan);
		sweep_plan_release(&plan);
	}
	return 0;
}
