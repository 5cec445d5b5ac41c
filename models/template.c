/* template.c - the distinct pod templates of a run.
 *
 * The Deployment's pod template is its image plus the template fields it
 * sets itself (deployment-level keys, apply patches). Every distinct
 * effective template gets an index; a ReplicaSet belongs to one. The
 * template hash (which names ReplicaSets, like pod-template-hash) is the
 * FNV-32a of the Deployment name, the image name and the overridden
 * fields' values, so it is stable across runs and seeds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replicaset.h"
#include "world_impl.h"

static uint32_t hash_dist(uint32_t h, const struct dist *d)
{
	char buf[128];
	int n = snprintf(buf, sizeof(buf), "|%d,%lld,%lld,%.17g,%zu",
			 (int)d->kind, (long long)d->a_ns, (long long)d->b_ns,
			 d->shape, d->n_samples);

	h ^= rs_fnv32a(buf, (unsigned long)n);
	h *= 16777619u;
	if (d->n_samples)
		h ^= rs_fnv32a(d->samples, d->n_samples * sizeof(*d->samples));
	return h;
}

static uint32_t template_hash(const struct world *w,
			      const struct pod_template *t)
{
	const struct image_config *e = &t->eff;
	const struct probe_config *r = &e->readiness;
	char key[DEPLOYMENT_NAME_MAX + IMAGE_NAME_MAX + 2], buf[256];
	int n = snprintf(key, sizeof(key), "%s/%s", w->dep.spec.name, e->name);
	uint32_t h = rs_fnv32a(key, (unsigned long)n);

	if (t->ovr.mask == 0)
		return h;               /* the image as described */
	h = hash_dist(h, &e->pull);
	h = hash_dist(h, &e->startup);
	h = hash_dist(h, &e->shutdown);
	n = snprintf(buf, sizeof(buf), "|%d,%lld,%lld,%lld,%d,%d,%d|%lld,%lld,%d",
		     r->enabled, (long long)r->initial_delay_ns,
		     (long long)r->period_ns, (long long)r->timeout_ns,
		     r->success_threshold, r->failure_threshold, r->never_ready,
		     (long long)e->grace_ns, (long long)e->prestop_ns,
		     e->deletion_cost);
	return h ^ rs_fnv32a(buf, (unsigned long)n);
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
	    world_grow((void **)&w->tmpls, &w->cap_tmpls, sizeof(*w->tmpls)))
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
