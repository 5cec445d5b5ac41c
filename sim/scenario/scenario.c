/* scenario.c - JSON scenario -> struct world_config (scenario.h).
 *
 * Reads the file, parses it with cJSON (syntax errors located by the
 * parse-end pointer, never cJSON's global error pointer), then walks the
 * schema (docs/scenario.md) top-down: keys of each object are checked first
 * (unknown or duplicate keys are errors), then each field in schema order.
 * The first error wins; on any failure everything allocated is released.
 * Helpers: scenario_json.c (paths, messages, parsing, typed readers),
 * scenario_deploy.c (the deployment, apply patches and the table of
 * pod-template fields of images), scenario_pod.c (probes, crash, requests
 * and the other structured template values), scenario_quantity.c (cpu and
 * memory quantities), scenario_dist.c (durations and distributions),
 * scenario_cluster.c (cluster and network), scenario_traffic.c (traffic),
 * scenario_events.c (events, read last: drainNode names a node),
 * scenario_manifest.c (a Kubernetes Deployment manifest the deployment
 * names; its image is added to the images, with the defaults, when the
 * scenario does not describe it).
 */
#include "scenario.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/alloc.h"
#include "sim/core/file.h"
#include "scenario_json.h"

#define SCENARIO_FILE_MAX (16u << 20)   /* bytes read at most */
#define SCENARIO_IMAGES_MAX 1024        /* images a scenario may describe */
#define SCENARIO_NAME_MAX 128           /* == sizeof(world_config.name) */
#define SCENARIO_SEED_MAX 9007199254740992.0  /* 2^53 */

static const char *const top_keys[] = {
	"name", "description", "seed", "until", "deployment", "images",
	"controllers", "cluster", "network", "traffic", "events", NULL
};
static const char *const controllers_keys[] = { "syncDelay", NULL };

/* 'image "x" is not described in images' at the current path. */
static int scenario_fail_undescribed(struct json_ctx *c, const char *name)
{
	char q[JSON_TEXT_MAX];

	json_quote(name, q);
	return json_fail(c, "image %s is not described in images", q);
}

int scenario_image_ref(struct json_ctx *c, const cJSON *obj, const char *key,
		       const struct world_config *cfg, int *out)
{
	const char *name = NULL;
	size_t mark;
	int rc = json_require(c, obj, key, NULL);

	if (rc == 0)
		rc = json_read_string(c, obj, key, &name);
	if (rc)
		return rc;
	*out = world_config_find_image(cfg, name);
	if (*out >= 0)
		return 0;
	mark = json_path_push_key(c, key);
	rc = scenario_fail_undescribed(c, name);
	json_path_pop(c, mark);
	return rc;
}

/* The deployment's image named by its manifest: the one described in
 * images, else a new image with the defaults (the template values the
 * manifest gives still apply over them). */
static int scenario_manifest_image(struct json_ctx *c, const char *name,
				   struct world_config *cfg, int *out)
{
	struct image_config *im;

	*out = world_config_find_image(cfg, name);
	if (*out >= 0)
		return 0;
	if (cfg->n_images >= SIZE_MAX / sizeof(*im) - 1)
		return json_fail_nomem(c);
	im = rsim_realloc(cfg->images, (cfg->n_images + 1) * sizeof(*im));
	if (!im)
		return json_fail_nomem(c);
	cfg->images = im;
	image_config_defaults(&im[cfg->n_images], name);
	*out = (int)cfg->n_images++;
	return 0;
}

/* One image (its path pushed by the caller); appended to cfg->images,
 * which has room for it. */
static int scenario_read_image(struct json_ctx *c, const cJSON *img,
			       struct world_config *cfg)
{
	struct image_config *im;
	size_t n = strlen(img->string);
	uint32_t mask = 0;  /* unused: an image overrides nothing */
	int rc;

	if (n == 0 || n >= IMAGE_NAME_MAX)
		return json_fail(c, "expected an image name of 1 to %d bytes",
				 IMAGE_NAME_MAX - 1);
	if (world_config_find_image(cfg, img->string) >= 0)
		return json_fail(c, "duplicate image name");
	rc = json_expect_object(c, img);
	if (rc == 0)
		rc = scenario_check_template_keys(c, img, NULL);
	if (rc)
		return rc;
	im = &cfg->images[cfg->n_images++];
	image_config_defaults(im, img->string);
	return scenario_read_template(c, img, im, &mask);
}

/* The images object (path "images" pushed by the caller), in file
 * order. */
static int scenario_read_images(struct json_ctx *c, const cJSON *imgs,
				struct world_config *cfg)
{
	const cJSON *it;
	size_t n = 0, mark;
	int rc = json_expect_object(c, imgs);

	if (rc)
		return rc;
	for (it = imgs->child; it; it = it->next)
		n++;
	if (n > SCENARIO_IMAGES_MAX)
		return json_fail(c, "too many images (%zu, at most %d)", n,
				 SCENARIO_IMAGES_MAX);
	if (n == 0)
		return 0;
	cfg->images = rsim_malloc(n * sizeof(*cfg->images));
	if (!cfg->images)
		return json_fail_nomem(c);
	for (it = imgs->child; it && rc == 0; it = it->next) {
		mark = json_path_push_key(c, it->string);
		rc = scenario_read_image(c, it, cfg);
		json_path_pop(c, mark);
	}
	return rc;
}

/* controllers: { syncDelay }. */
static int scenario_read_controllers(struct json_ctx *c, const cJSON *root,
				     struct world_config *cfg)
{
	const cJSON *ctl = cJSON_GetObjectItemCaseSensitive(root,
							    "controllers");
	size_t mark;
	int rc;

	if (!ctl)
		return 0;
	mark = json_path_push_key(c, "controllers");
	rc = json_expect_object(c, ctl);
	if (rc == 0)
		rc = json_check_keys(c, ctl, controllers_keys);
	if (rc == 0)
		rc = scenario_read_dist(c, ctl, "syncDelay", &cfg->sync_delay);
	json_path_pop(c, mark);
	return rc;
}

/* name, description, seed, until. */
static int scenario_read_header(struct json_ctx *c, const cJSON *root,
				struct world_config *cfg)
{
	const char *s = NULL;
	const cJSON *v;
	size_t mark;
	int rc = json_read_string(c, root, "name", &s);

	if (rc == 0 && s && strlen(s) >= SCENARIO_NAME_MAX) {
		mark = json_path_push_key(c, "name");
		rc = json_fail_got(c, "a string of at most 127 bytes",
				   cJSON_GetObjectItemCaseSensitive(root,
								    "name"));
		json_path_pop(c, mark);
	} else if (rc == 0 && s) {
		snprintf(cfg->name, sizeof(cfg->name), "%s", s);
	}
	if (rc == 0)
		rc = json_read_string(c, root, "description", &s);
	v = cJSON_GetObjectItemCaseSensitive(root, "seed");
	if (rc == 0 && v) {
		mark = json_path_push_key(c, "seed");
		if (cJSON_IsNumber(v) && v->valuedouble > SCENARIO_SEED_MAX)
			rc = json_fail_got(c, "an integer <= 2^53", v);
		else if (!cJSON_IsNumber(v) || v->valuedouble < 0.0 ||
			 v->valuedouble != floor(v->valuedouble))
			rc = json_fail_got(c, "a non-negative integer", v);
		else
			cfg->seed = (uint64_t)v->valuedouble;
		json_path_pop(c, mark);
	}
	if (rc == 0)
		rc = json_read_duration(c, root, "until", 1, &cfg->until_ns);
	return rc;
}

/* The deployment, then the images (optional when the deployment names a
 * manifest), then the deployment's image among them. */
static int scenario_read_dep_images(struct json_ctx *c, const cJSON *root,
				    struct world_config *cfg)
{
	const cJSON *dep = cJSON_GetObjectItemCaseSensitive(root,
							    "deployment");
	const cJSON *imgs = cJSON_GetObjectItemCaseSensitive(root, "images");
	char manifest_image[IMAGE_NAME_MAX];
	size_t mark = json_path_push_key(c, "deployment");
	int rc = scenario_read_deployment(c, dep, &cfg->deployment,
					  manifest_image);

	json_path_pop(c, mark);
	mark = json_path_push_key(c, "images");
	if (rc == 0 && imgs)
		rc = scenario_read_images(c, imgs, cfg);
	json_path_pop(c, mark);
	mark = json_path_push_key(c, "deployment");
	if (rc == 0 && manifest_image[0])
		rc = scenario_manifest_image(c, manifest_image, cfg,
					     &cfg->deployment.image);
	else if (rc == 0)
		rc = scenario_image_ref(c, dep, "image", cfg,
					&cfg->deployment.image);
	json_path_pop(c, mark);
	return rc;
}

static int scenario_read_root(struct json_ctx *c, const cJSON *root,
			      struct world_config *cfg)
{
	const cJSON *dep = NULL;
	int rc;

	if (!cJSON_IsObject(root))
		return json_fail_got(c, "an object", root);
	rc = json_check_keys(c, root, top_keys);
	if (rc == 0)
		rc = json_require(c, root, "deployment", &dep);
	if (rc == 0 && !(cJSON_IsObject(dep) &&
			 cJSON_GetObjectItemCaseSensitive(dep, "manifest")))
		rc = json_require(c, root, "images", NULL);
	if (rc == 0)
		rc = scenario_read_header(c, root, cfg);
	if (rc == 0)
		rc = scenario_read_dep_images(c, root, cfg);
	if (rc == 0)
		rc = scenario_read_controllers(c, root, cfg);
	if (rc == 0)
		rc = scenario_read_cluster(c, root, cfg);
	if (rc == 0)
		rc = scenario_read_network(c, root, cfg);
	if (rc == 0)
		rc = scenario_read_traffic(c, root, cfg);
	if (rc == 0)
		rc = scenario_read_events(c, root, cfg);
	return rc;
}

static int scenario_load_text(const char *text, size_t len, const char *file,
			      struct world_config *cfg, struct rsim_error *err)
{
	struct json_ctx c;
	cJSON *root = NULL;
	int rc;

	world_config_init(cfg);
	json_ctx_init(&c, file, err);
	rc = json_parse(&c, text, len, &root);
	if (rc == 0)
		rc = scenario_read_root(&c, root, cfg);
	cJSON_Delete(root);
	if (rc) {
		world_config_release(cfg);
		world_config_init(cfg);
	}
	return rc;
}

int scenario_load_string(const char *text, const char *file,
			 struct world_config *cfg, struct rsim_error *err)
{
	if (!text)
		text = "";
	return scenario_load_text(text, strlen(text), file, cfg, err);
}

void scenario_read_reason(int e, size_t max, char *buf, size_t n)
{
	if (e == EFBIG)
		snprintf(buf, n, "larger than %zu MiB", max >> 20);
	else if (strerror_r(e, buf, n) != 0)
		snprintf(buf, n, "error %d", e);
}

static int scenario_fail_read(const char *file, int e, struct rsim_error *err)
{
	char reason[128];

	if (e == ENOMEM)
		return rsim_error_set(err, RSIM_ENOMEM, file, "",
				      "out of memory");
	scenario_read_reason(e, SCENARIO_FILE_MAX, reason, sizeof(reason));
	return rsim_error_set(err, RSIM_EINPUT, file, "", "cannot read: %s",
			      reason);
}

int scenario_parse_file(const char *file, cJSON **out,
			struct rsim_error *err)
{
	struct json_ctx c;
	char *text = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	rc = file_read(file, SCENARIO_FILE_MAX, &text, &len);
	if (rc)
		return scenario_fail_read(file, rc, err);
	json_ctx_init(&c, file, err);
	rc = json_parse(&c, text, len, out);
	free(text);
	return rc;
}

int scenario_load_file(const char *file, struct world_config *cfg,
		       struct rsim_error *err)
{
	char *text = NULL;
	size_t len = 0;
	int rc;

	world_config_init(cfg);
	rc = file_read(file, SCENARIO_FILE_MAX, &text, &len);
	if (rc)
		return scenario_fail_read(file, rc, err);
	rc = scenario_load_text(text, len, file, cfg, err);
	free(text);
	return rc;
}
