/* fuzz_manifest.c - a Kubernetes manifest: read by the manifest reader
 * directly (manifest_load_yaml, the lines of a few paths) and as the
 * file a scenario's deployment.manifest names (the whole mapping onto
 * the deployment and its template). */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario/manifest.h"
#include "sim/scenario/scenario.h"

static void direct(const uint8_t *data, size_t n)
{
	static const char *const paths[] = {
		"spec.replicas", "spec.template.spec.containers[0].image",
		"spec.strategy.rollingUpdate.maxSurge", "metadata",
		"spec.template.spec.containers[0].readinessProbe.periodSeconds",
	};
	struct rsim_error err = { 0 };
	struct manifest *m = NULL;
	char *text = malloc(n + 1);
	size_t i;
	int rc;

	FUZZ_CHECK(text != NULL, "malloc");
	memcpy(text, data, n);
	text[n] = '\0';
	rc = manifest_load_yaml(text, n, "fuzz.yaml", "Deployment", &m, &err);
	fuzz_check_result(rc, &err, "manifest_load_yaml");
	FUZZ_CHECK((rc == 0) == (m != NULL), "manifest result");
	for (i = 0; m && i < sizeof(paths) / sizeof(*paths); i++)
		FUZZ_CHECK(manifest_line_at(m, paths[i]) >= 0, "line < 0");
	FUZZ_CHECK(!m || cJSON_IsObject(manifest_object(m)), "not an object");
	manifest_free(m);
	free(text);
}

int fuzz_manifest(const uint8_t *data, size_t n)
{
	char scenario[128];
	const char *mf = fuzz_memfile(1, data, n), *sc;
	struct world_config cfg;
	struct rsim_error err = { 0 };
	int rc;

	direct(data, n);
	snprintf(scenario, sizeof(scenario), "{\"deployment\":{\"manifest\":"
		 "\"%s\"},\"until\":\"1m\"}", mf);
	sc = fuzz_memfile(0, scenario, strlen(scenario));
	rc = scenario_load_file(sc, &cfg, &err);
	fuzz_check_result(rc, &err, "scenario_load_file (manifest)");
	world_config_release(&cfg);
	return 0;
}
