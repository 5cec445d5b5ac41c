/* scenario_wrap.c - a Kubernetes manifest given where a scenario is
 * expected (`rollsim run deploy.yaml`), wrapped into a scenario.
 *
 * A file is a manifest when its name ends in .yaml or .yml, when it is
 * not JSON and has a top-level "kind:" line (YAML), or when it is a JSON
 * object with "apiVersion" and "kind" (kubectl get -o json), keys no
 * scenario has. The wrapper is the scenario README.md and
 * docs/scenario.md describe ("A manifest instead of a scenario"):
 *   { "name": <the Deployment's name>,
 *     "deployment": { "manifest": <the file> },
 *     "images": { <the image with the tag "next">: {} },
 *     "events": [ { "at": "60s", "action": "setImage",
 *                   "image": <the image with the tag "next"> } ] }
 * so the Deployment is created at 0 s and updated at 60 s as `kubectl
 * set image` to IMAGE:next would, every timing at its default (the
 * manifest's own probes and grace period apply), no traffic.
 */
#include "scenario.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sim/core/file.h"
#include "scenario_json.h"

#define WRAP_FILE_MAX (4u << 20)      /* bytes read to look for "kind:" */
#define WRAP_TRIGGER "60s"            /* when the update is made */
#define WRAP_TAG "next"               /* the updated image's tag */

static int wrap_has_ext(const char *file)
{
	size_t n = strlen(file);

	return (n > 5 && strcasecmp(file + n - 5, ".yaml") == 0) ||
	       (n > 4 && strcasecmp(file + n - 4, ".yml") == 0);
}

/* 1 when file, which is not JSON, has a line that starts with "kind:";
 * -1 when out of memory. */
static int wrap_yaml_kind(const char *file)
{
	char *text = NULL, *p;
	size_t len = 0;
	int found = 0, e = file_read(file, WRAP_FILE_MAX, &text, &len);

	if (e)
		return e == ENOMEM ? -1 : 0;
	for (p = text; p && !found; p = strchr(p, '\n'), p = p ? p + 1 : p)
		found = strncmp(p, "kind:", 5) == 0;
	free(text);
	return found;
}

static int wrap_json_manifest(const cJSON *tree)
{
	return cJSON_IsObject(tree) &&
	       cJSON_IsString(cJSON_GetObjectItemCaseSensitive(tree,
							       "apiVersion")) &&
	       cJSON_IsString(cJSON_GetObjectItemCaseSensitive(tree, "kind"));
}

/* image with its tag (or digest) replaced by WRAP_TAG ("web:1.2" ->
 * "web:next", "reg:5000/web" -> "reg:5000/web:next"); "WRAP_TAG-2" when
 * the image already has that tag. -1 when it does not fit in n. */
static int wrap_next_image(const char *image, char *out, size_t n)
{
	const char *slash = strrchr(image, '/');
	const char *name = slash ? slash + 1 : image;
	const char *at = strchr(name, '@'), *colon;
	size_t base;
	int k;

	base = at ? (size_t)(at - image) : strlen(image);
	colon = memchr(name, ':', base - (size_t)(name - image));
	if (colon)
		base = (size_t)(colon - image);
	k = snprintf(out, n, "%.*s:%s", (int)base, image, WRAP_TAG);
	if (k >= 0 && strcmp(out, image) == 0)
		k = snprintf(out, n, "%.*s:%s-2", (int)base, image, WRAP_TAG);
	return k < 0 || (size_t)k >= n ? -1 : 0;
}

/* {"name": dep, "deployment": {"manifest": base}} into *out. */
static int wrap_base_tree(const char *file, const char *name, cJSON **out)
{
	const char *slash = strrchr(file, '/');
	cJSON *t = cJSON_CreateObject(), *d;

	*out = t;
	if (!t || (name && !cJSON_AddStringToObject(t, "name", name)))
		return -1;
	d = cJSON_AddObjectToObject(t, "deployment");
	return d && cJSON_AddStringToObject(d, "manifest",
					    slash ? slash + 1 : file) ? 0 : -1;
}

/* The update: images {next: {}} and the setImage event at WRAP_TRIGGER. */
static int wrap_trigger(cJSON *t, const char *next)
{
	cJSON *imgs = cJSON_AddObjectToObject(t, "images");
	cJSON *evs = cJSON_AddArrayToObject(t, "events");
	cJSON *ev = cJSON_CreateObject();

	if (!imgs || !evs || !ev || !cJSON_AddObjectToObject(imgs, next)) {
		cJSON_Delete(ev);
		return -1;
	}
	cJSON_AddItemToArray(evs, ev);
	return cJSON_AddStringToObject(ev, "at", WRAP_TRIGGER) &&
	       cJSON_AddStringToObject(ev, "action", "setImage") &&
	       cJSON_AddStringToObject(ev, "image", next) ? 0 : -1;
}

/* Loads the manifest once through the plain wrapper (its errors are the
 * manifest's, with their lines) for the Deployment's name and image. */
static int wrap_probe(const char *file, char *dep, size_t n_dep,
		      char *image, size_t n_image, struct rsim_error *err)
{
	struct world_config cfg;
	cJSON *t = NULL;
	int rc = wrap_base_tree(file, NULL, &t) ? RSIM_ENOMEM : 0;

	if (rc)
		rc = rsim_error_set(err, rc, file, "", "out of memory");
	else
		rc = scenario_load_tree(t, file, &cfg, err);
	cJSON_Delete(t);
	if (rc)
		return rc;
	snprintf(dep, n_dep, "%s", cfg.deployment.name);
	snprintf(image, n_image, "%s", cfg.images[cfg.deployment.image].name);
	world_config_release(&cfg);
	return 0;
}

static int wrap_manifest(const char *file, cJSON **out, char *note,
			 size_t n_note, struct rsim_error *err)
{
	char dep[128], image[IMAGE_NAME_MAX], next[IMAGE_NAME_MAX];
	int rc = wrap_probe(file, dep, sizeof(dep), image, sizeof(image), err);

	*out = NULL;
	if (rc)
		return rc;
	if (wrap_next_image(image, next, sizeof(next)))
		return rsim_error_set(err, RSIM_EINPUT, file, "",
				      "image name too long to add the tag "
				      "\"%s\"", WRAP_TAG);
	if (wrap_base_tree(file, dep, out) || wrap_trigger(*out, next)) {
		cJSON_Delete(*out);
		*out = NULL;
		return rsim_error_set(err, RSIM_ENOMEM, file, "",
				      "out of memory");
	}
	if (note)
		snprintf(note, n_note, "%s is a Kubernetes manifest: running "
			 "Deployment \"%s\" with the default timings and no "
			 "traffic, updated at %s as `kubectl set image` to %s "
			 "would (docs/scenario.md: a manifest instead of a "
			 "scenario)", file, dep, WRAP_TRIGGER, next);
	return 0;
}

int scenario_wrap_read(const char *file, cJSON **out, char *note,
		       size_t n_note, struct rsim_error *err)
{
	struct rsim_error parse_err = { 0 };
	int rc, yaml;

	if (note && n_note)
		note[0] = '\0';
	if (wrap_has_ext(file))
		return wrap_manifest(file, out, note, n_note, err);
	rc = scenario_parse_file(file, out, &parse_err);
	if (rc == 0 && wrap_json_manifest(*out)) {
		cJSON_Delete(*out);
		return wrap_manifest(file, out, note, n_note, err);
	}
	yaml = rc == RSIM_EINPUT && parse_err.path[0] == '\0' ?
	       wrap_yaml_kind(file) : 0;
	if (yaml > 0)
		return wrap_manifest(file, out, note, n_note, err);
	if (yaml < 0)
		return rsim_error_set(err, RSIM_ENOMEM, file, "",
				      "out of memory");
	if (rc)
		*err = err->code ? *err : parse_err;
	return rc;
}
