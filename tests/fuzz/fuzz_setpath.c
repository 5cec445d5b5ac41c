/* fuzz_setpath.c - --set PATH=VALUE: each input line is one --set,
 * applied to a small scenario with a sweep section as the command does
 * (jsonpath_value, jsonpath_set, and jsonpath_delete for null; an object
 * value is also merged in as a variant patch is, jsonpath_merge), then the result is planned as
 * `sweep` plans it (sweep_plan_build). */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "sim/scenario/jsonpath.h"
#include "sim/sweep/sweep.h"

#define FUZZ_SETS_MAX 16

static const char base[] =
	"{\"name\":\"fuzz\",\"seed\":1,\"until\":\"1m\","
	"\"deployment\":{\"replicas\":2,\"image\":\"app:1\"},"
	"\"images\":{\"app:1\":{},\"app:2\":{\"startup\":\"2s\"}},"
	"\"events\":[{\"at\":\"10s\",\"action\":\"setImage\","
	"\"image\":\"app:2\"}],"
	"\"sweep\":{\"replications\":2,"
	"\"vary\":{\"deployment.replicas\":[1,3]}}}";

/* One PATH=VALUE line, as scenario_apply_sets reads it. */
static void apply(cJSON *root, char *line)
{
	char *eq = strchr(line, '=');
	const char *why = NULL;
	cJSON *v;

	if (!eq || eq == line || eq - line >= 512)
		return;                        /* a usage error there */
	*eq = '\0';
	(void)jsonpath_get(root, line);
	v = jsonpath_value(eq + 1);
	if (cJSON_IsObject(v))
		FUZZ_CHECK(jsonpath_merge(root, v) == 0, "jsonpath_merge");
	if (cJSON_IsNull(v)) {
		cJSON_Delete(v);
		if (jsonpath_delete(root, line, &why))
			FUZZ_CHECK(why && why[0],
				   "jsonpath_delete failed without a reason");
		return;
	}
	if (jsonpath_set(root, line, v, &why))
		FUZZ_CHECK(why && why[0], "jsonpath_set failed without a reason");
	else
		FUZZ_CHECK(jsonpath_get(root, line) != NULL,
			   "jsonpath_set then jsonpath_get finds nothing");
}

int fuzz_setpath(const uint8_t *data, size_t n)
{
	cJSON *root = cJSON_Parse(base);
	char *text = malloc(n + 1), *line, *next, *printed;
	struct sweep_plan plan;
	struct rsim_error err = { 0 };
	int i, rc, slow;

	FUZZ_CHECK(root && text, "set-up");
	memcpy(text, data, n);
	text[n] = '\0';
	for (line = text, i = 0; line && i < FUZZ_SETS_MAX; line = next, i++) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		apply(root, line);
	}
	free(text);
	fuzz_redirect_manifests(root);
	slow = fuzz_plan_too_slow(root);
	printed = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	FUZZ_CHECK(printed != NULL, "cJSON_PrintUnformatted");
	if (slow) {
		free(printed);
		return 0;
	}
	rc = sweep_plan_build(fuzz_memfile(0, printed, strlen(printed)), NULL,
			      0, 0, &plan, &err);
	free(printed);
	fuzz_check_result(rc, &err, "sweep_plan_build (--set)");
	if (rc == 0) {
		fuzz_check_plan(&plan);
		sweep_plan_release(&plan);
	}
	return 0;
}
