/* template.c - the distinct pod templates of a run.
 *
 * The Deployment's pod template is its image plus the template fields it
 * sets itself (deployment-level keys, apply patches). Every distinct
 * effective template gets an index; a ReplicaSet belongs to one. The
 * template hash (which names ReplicaSets, like pod-template-hash) is the
 * FNV-32a of the Deployment name and the image name, continued over every
 * field of the template (tmpl_field.h) unless the template is the image
 * exactly as described, so it is stable across runs and seeds and two
 * different templates hash apart (up to 32-bit collisions, which
 * template_rs_name resolves as the Deployment controller does).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/hash.h"
#include "names.h"
#include "replicaset.h"
#include "tmpl_field.h"
#include "world_impl.h"

/* ComputeHash(template, nil) (controller_utils.go) for template t. */
static uint32_t template_hash(const struct world *w,
			      const struct pod_template *t)
{
	const struct image_config *e = &t->eff;
	char key[DEPLOY_NAME_MAX + IMAGE_NAME_MAX + 2];
	int n = snprintf(key, sizeof(key), "%s/%s", w->dep.spec.name, e->name);
	uint32_t h = hash_fnv32a(key, (size_t)n);

	if (image_config_equal(e, &w->cfg->images[t->image]))
		return h;               /* the image as described */
	return tmpl_fields_hash(h, e);
}

/* ComputeHash: a collisionCount, when set, is hashed after the template
 * as 8 bytes, its uint32 value little-endian first. */
static uint32_t hash_with_collisions(uint32_t h, int32_t collision_count)
{
	unsigned char b[8] = { 0 };
	uint32_t c = (uint32_t)collision_count;
	int i;

	if (collision_count == 0)
		return h;               /* status.collisionCount nil */
	for (i = 0; i < 4; i++)
		b[i] = (unsigned char)(c >> (8 * i));
	return hash_fnv32a_more(h, b, sizeof(b));
}

/* Whether a ReplicaSet of another template than tmpl is called name. */
static int rs_name_taken(const struct world *w, const char *name,
			 int32_t tmpl)
{
	int32_t i;

	for (i = 0; i < w->n_rs; i++)
		if (w->rs[i].tmpl != tmpl && strcmp(w->rs[i].name, name) == 0)
			return 1;
	return 0;
}

void template_rs_name(struct world *w, int32_t tmpl, char *out, size_t n)
{
	char hash[16], name[RS_NAME_MAX];

	for (;;) {
		names_hash_string(hash_with_collisions(w->tmpls[tmpl].hash,
						    w->dep.collision_count),
			       hash);
		snprintf(name, sizeof(name), "%s-%s", w->dep.spec.name, hash);
		if (!rs_name_taken(w, name, tmpl) ||
		    w->dep.collision_count == INT32_MAX)
			break;
		w->dep.collision_count++;
	}
	snprintf(out, n, "%s", name);
}

int32_t template_find_or_add(struct world *w, int image,
			     const struct pod_overrides *ovr)
{
	struct pod_template t;
	int32_t i;

	memset(&t, 0, sizeof(t));
	t.image = image;
	t.ovr = *ovr;
	image_config_apply(&t.eff, &w->cfg->images[image], ovr);
	for (i = 0; i < w->n_tmpls; i++)
		if (image_config_equal(&w->tmpls[i].eff, &t.eff))
			return i;
	if (w->n_tmpls == w->cap_tmpls &&
	    bus_grow((void **)&w->tmpls, &w->cap_tmpls, sizeof(*w->tmpls)))
		return -1;
	t.hash = template_hash(w, &t);
	w->tmpls[w->n_tmpls] = t;
	return w->n_tmpls++;
}

void template_release_all(struct world *w)
{
	free(w->tmpls);
	w->tmpls = NULL;
	w->n_tmpls = w->cap_tmpls = 0;
}
