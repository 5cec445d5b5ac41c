/* scenario_apply.c - the scenario and the patch of `rollsim apply`
 * (scenario_apply.h).
 *
 * Each manifest is first loaded on its own, as the scenario
 *   { "deployment": { "manifest": FILE }, "images": IMAGES }
 * so that its errors read as in any scenario naming it. The run is the
 * same scenario over CURRENT.yaml, named after the Deployment, with the
 * --set overrides; NEW.yaml's image gets an `images` entry (a copy of
 * CURRENT's image's when the images file does not describe it: a new
 * version of the same service is assumed to start as the old one did).
 * The patch compares the two loaded Deployments field by field: the
 * spec fields of deployment.h's PATCH_* bits, and each template field
 * (tmpl_field.h) that either manifest sets, by its value in effect (the
 * manifest's, else the image's), so a field NEW.yaml drops returns to
 * the image's value as kubectl apply's removal returns it to the
 * default.
 */
#include "scenario_apply.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/tmpl_field.h"
#include "scenario.h"
#include "scenario_json.h"

#define APPLY_VALUE_MAX 64            /* one printed value */

static const char *apply_base(const char *file)
{
	const char *slash = strrchr(file, '/');

	return slash ? slash + 1 : file;
}

/* The images object of the images file (a scenario's images section, as
 * `rollsim calibrate` writes it) into *out, checked by loading it as a
 * scenario whose Deployment runs its first image. */
static int apply_read_images(const char *file, cJSON **out,
			     struct rsim_error *err)
{
	struct world_config cfg;
	cJSON *root = NULL, *imgs, *t = NULL, *d;
	int rc = scenario_parse_file(file, &root, err);

	*out = NULL;
	if (rc)
		return rc;
	imgs = cJSON_IsObject(root) ?
	       cJSON_GetObjectItemCaseSensitive(root, "images") : NULL;
	if (!cJSON_IsObject(imgs)) {
		cJSON_Delete(root);
		return rsim_error_set(err, RSIM_EINPUT, file, imgs ? "images" :
				      "", "expected an object with an \"images\""
				      " object (what rollsim calibrate writes)");
	}
	cJSON_DetachItemViaPointer(root, imgs);
	cJSON_Delete(root);
	*out = imgs;
	if (!imgs->child)
		return 0;
	t = cJSON_CreateObject();
	d = t ? cJSON_AddObjectToObject(t, "deployment") : NULL;
	if (!d || !cJSON_AddStringToObject(d, "image", imgs->child->string) ||
	    !cJSON_AddItemReferenceToObject(t, "images", imgs)) {
		cJSON_Delete(t);
		return rsim_error_set(err, RSIM_ENOMEM, file, "",
				      "out of memory");
	}
	rc = scenario_load_tree(t, file, &cfg, err);
	cJSON_Delete(t);
	if (rc == 0)
		world_config_release(&cfg);
	return rc;
}

/* {"deployment": {"manifest": base of file}, "images": copy of imgs}. */
static cJSON *apply_tree(const char *file, const cJSON *imgs)
{
	cJSON *t = cJSON_CreateObject(), *d, *copy;

	d = t ? cJSON_AddObjectToObject(t, "deployment") : NULL;
	if (!d || !cJSON_AddStringToObject(d, "manifest", apply_base(file))) {
		cJSON_Delete(t);
		return NULL;
	}
	if (!imgs)
		return t;
	copy = cJSON_Duplicate(imgs, 1);
	if (!copy || !cJSON_AddItemToObject(t, "images", copy)) {
		cJSON_Delete(copy);
		cJSON_Delete(t);
		return NULL;
	}
	return t;
}

/* One manifest loaded on its own. */
static int apply_load_one(const char *file, const cJSON *imgs,
			  struct world_config *cfg, struct rsim_error *err)
{
	cJSON *t;
	FILE *f = fopen(file, "r");
	int rc;

	/* said here as `run` says it, not as the wrapper's manifest key */
	if (!f)
		return rsim_error_set(err, RSIM_EINPUT, file, "",
				      "cannot read: %s", strerror(errno));
	fclose(f);
	t = apply_tree(file, imgs);
	if (!t)
		return rsim_error_set(err, RSIM_ENOMEM, file, "",
				      "out of memory");
	rc = scenario_load_tree(t, file, cfg, err);
	cJSON_Delete(t);
	return rc;
}

static const char *apply_image_name(const struct world_config *c)
{
	return c->images[c->deployment.image].name;
}

/* NEW.yaml must update CURRENT.yaml's Deployment and container. */
static int apply_check_same(const struct apply_input *in,
			    const struct world_config *cur,
			    const struct world_config *nw,
			    struct rsim_error *err)
{
	if (strcmp(cur->deployment.name, nw->deployment.name) != 0)
		return rsim_error_set(err, RSIM_EINPUT, in->next,
				      "metadata.name", "expected \"%s\", the "
				      "Deployment of %s, got \"%s\" (kubectl "
				      "apply would create a second "
				      "Deployment)", cur->deployment.name,
				      in->current, nw->deployment.name);
	if (strcmp(cur->deployment.container, nw->deployment.container) != 0)
		return rsim_error_set(err, RSIM_EINPUT, in->next,
				      "spec.template.spec.containers[0].name",
				      "expected \"%s\" as in %s, got \"%s\" "
				      "(rollsim does not simulate renaming "
				      "the container)",
				      cur->deployment.container, in->current,
				      nw->deployment.container);
	return 0;
}

/* The scenario's images: the file's, plus an entry for NEW's image. */
static int apply_images(const cJSON *imgs, const char *cur_image,
			const char *new_image, cJSON **out, char *note,
			size_t n_note)
{
	cJSON *all = imgs ? cJSON_Duplicate(imgs, 1) : cJSON_CreateObject();
	const cJSON *from;
	cJSON *entry;

	*out = all;
	note[0] = '\0';
	if (!all)
		return -1;
	if (cJSON_GetObjectItemCaseSensitive(all, new_image))
		return 0;
	from = cJSON_GetObjectItemCaseSensitive(all, cur_image);
	entry = from ? cJSON_Duplicate(from, 1) : cJSON_CreateObject();
	if (!entry || !cJSON_AddItemToObject(all, new_image, entry)) {
		cJSON_Delete(entry);
		return -1;
	}
	if (strcmp(cur_image, new_image) != 0 && from)
		snprintf(note, n_note, "%s is not in the images file: it takes "
			 "the timings of %s", new_image, cur_image);
	else if (strcmp(cur_image, new_image) != 0 && imgs)
		snprintf(note, n_note, "neither %s nor %s is in the images "
			 "file: both take the default timings", cur_image,
			 new_image);
	return 0;
}

/* The scenario over CURRENT.yaml. */
static int apply_load_run(const struct apply_input *in, cJSON *imgs,
			  const char *name, struct world_config *cfg,
			  struct apply_plan *plan, struct rsim_error *err)
{
	cJSON *t = apply_tree(in->current, NULL);
	int rc;

	if (!t || !cJSON_AddStringToObject(t, "name", name) ||
	    !cJSON_AddItemToObject(t, "images", imgs)) {
		cJSON_Delete(t);
		cJSON_Delete(imgs);
		return rsim_error_set(err, RSIM_ENOMEM, in->current, "",
				      "out of memory");
	}
	rc = scenario_apply_sets(t, in->current, in->sets, in->n_sets, err);
	plan->until_set = cJSON_GetObjectItemCaseSensitive(t, "until") != NULL;
	if (rc == 0)
		rc = scenario_load_tree(t, in->current, cfg, err);
	cJSON_Delete(t);
	return rc;
}

static void apply_say(struct apply_plan *p, const char *path,
		      const char *from, const char *to)
{
	if (p->n_changes == APPLY_CHANGES_MAX) {
		p->more_changes++;
		return;
	}
	snprintf(p->changes[p->n_changes++], APPLY_CHANGE_LEN, "%s: %s -> %s",
		 path, from, to);
}

static void apply_say_int(struct apply_plan *p, const char *path,
			  long long from, long long to)
{
	char a[APPLY_VALUE_MAX], b[APPLY_VALUE_MAX];

	snprintf(a, sizeof(a), "%lld", from);
	snprintf(b, sizeof(b), "%lld", to);
	apply_say(p, path, a, b);
}

static void apply_intstr(char *out, size_t n, struct intstr v)
{
	snprintf(out, n, "%d%s", (int)v.value, v.is_percent ? "%" : "");
}

static int apply_intstr_equal(struct intstr a, struct intstr b)
{
	return a.is_percent == b.is_percent && a.value == b.value;
}

static long long apply_seconds(sim_time_t ns)
{
	return (long long)(ns / SIM_NS_PER_S);
}

/* The spec fields (PATCH_* bits) that differ. */
static void apply_diff_spec(struct apply_plan *p,
			    const struct deploy_config *a,
			    const struct deploy_config *b)
{
	struct deploy_config *v = &p->event.patch.v;
	uint32_t *mask = &p->event.patch.mask;
	char x[APPLY_VALUE_MAX], y[APPLY_VALUE_MAX];

	if (a->replicas != b->replicas) {
		*mask |= PATCH_REPLICAS;
		v->replicas = b->replicas;
		apply_say_int(p, "spec.replicas", a->replicas, b->replicas);
	}
	if (a->min_ready_ns != b->min_ready_ns) {
		*mask |= PATCH_MIN_READY;
		v->min_ready_ns = b->min_ready_ns;
		apply_say_int(p, "spec.minReadySeconds",
			      apply_seconds(a->min_ready_ns),
			      apply_seconds(b->min_ready_ns));
	}
	if (a->progress_deadline_ns != b->progress_deadline_ns) {
		*mask |= PATCH_PROGRESS_DEADLINE;
		v->progress_deadline_ns = b->progress_deadline_ns;
		apply_say_int(p, "spec.progressDeadlineSeconds",
			      apply_seconds(a->progress_deadline_ns),
			      apply_seconds(b->progress_deadline_ns));
	}
	if (a->revision_history_limit != b->revision_history_limit) {
		*mask |= PATCH_HISTORY_LIMIT;
		v->revision_history_limit = b->revision_history_limit;
		apply_say_int(p, "spec.revisionHistoryLimit",
			      a->revision_history_limit,
			      b->revision_history_limit);
	}
	if (a->strategy != b->strategy) {
		*mask |= PATCH_STRATEGY_TYPE;
		v->strategy = b->strategy;
		apply_say(p, "spec.strategy.type",
			  deploy_strategy_name(a->strategy),
			  deploy_strategy_name(b->strategy));
	}
	if (!apply_intstr_equal(a->max_surge, b->max_surge)) {
		*mask |= PATCH_MAX_SURGE;
		v->max_surge = b->max_surge;
		apply_intstr(x, sizeof(x), a->max_surge);
		apply_intstr(y, sizeof(y), b->max_surge);
		if (b->strategy == STRATEGY_ROLLING_UPDATE)
			apply_say(p, "spec.strategy.rollingUpdate.maxSurge",
				  x, y);
	}
	if (!apply_intstr_equal(a->max_unavailable, b->max_unavailable)) {
		*mask |= PATCH_MAX_UNAVAILABLE;
		v->max_unavailable = b->max_unavailable;
		apply_intstr(x, sizeof(x), a->max_unavailable);
		apply_intstr(y, sizeof(y), b->max_unavailable);
		if (b->strategy == STRATEGY_ROLLING_UPDATE)
			apply_say(p,
				  "spec.strategy.rollingUpdate.maxUnavailable",
				  x, y);
	}
	if (a->paused != b->paused) {
		*mask |= PATCH_PAUSED;
		v->paused = b->paused;
		apply_say(p, "spec.paused", a->paused ? "true" : "false",
			  b->paused ? "true" : "false");
	}
}

/* Where a template field is in a manifest. */
static const char *apply_field_path(const char *key, char *buf, size_t n)
{
	static const char *const map[][2] = {
		{ "terminationGracePeriodSeconds",
		  "spec.template.spec.terminationGracePeriodSeconds" },
		{ "preStopSleep",
		  "spec.template.spec.containers[0].lifecycle.preStop" },
		{ "requests",
		  "spec.template.spec.containers[0].resources" },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(*map); i++)
		if (strcmp(map[i][0], key) == 0)
			return map[i][1];
	if (strstr(key, "Probe") || strcmp(key, "imagePullPolicy") == 0)
		snprintf(buf, n, "spec.template.spec.containers[0].%s", key);
	else
		snprintf(buf, n, "deployment.%s", key);
	return buf;
}

static void apply_probe_text(char *out, size_t n, const struct probe_config *c)
{
	if (!c->enabled) {
		snprintf(out, n, "none");
		return;
	}
	snprintf(out, n, "delay %llds period %llds timeout %llds "
		 "success %d failure %d",
		 apply_seconds(c->initial_delay_ns), apply_seconds(c->period_ns),
		 apply_seconds(c->timeout_ns), (int)c->success_threshold,
		 (int)c->failure_threshold);
}

/* A template field's value in words. */
static void apply_value_text(char *out, size_t n, const struct tmpl_field *f,
			     const struct image_config *c)
{
	const void *v = tmpl_field_at_const(f, c);

	switch (f->kind) {
	case TMPL_KIND_PROBE:
		apply_probe_text(out, n, v);
		break;
	case TMPL_KIND_SECONDS:
	case TMPL_KIND_DURATION:
		snprintf(out, n, "%gs",
			 (double)*(const sim_time_t *)v / SIM_NS_PER_S);
		break;
	case TMPL_KIND_INT:
	case TMPL_KIND_QUEUE:
		snprintf(out, n, "%d", (int)*(const int32_t *)v);
		break;
	case TMPL_KIND_BOOL:
		snprintf(out, n, "%s", *(const int *)v ? "true" : "false");
		break;
	case TMPL_KIND_PULL_POLICY:
		snprintf(out, n, "%s", *(const enum pull_policy *)v ==
			 PULL_ALWAYS ? "Always" : "IfNotPresent");
		break;
	case TMPL_KIND_REQUESTS:
		snprintf(out, n, "requests cpu %lldm memory %lld",
			 (long long)c->cpu_milli, (long long)c->memory_bytes);
		break;
	default:
		snprintf(out, n, "(%s)", f->key);
		break;
	}
}

/* A probe's members that differ, each on its line; a probe added or
 * removed on one line. */
static void apply_diff_probe(struct apply_plan *p, const char *path,
			     const struct probe_config *a,
			     const struct probe_config *b)
{
	static const struct {
		const char *name;
		size_t off;
		int seconds;                  /* a sim_time_t, else int32_t */
	} m[] = {
		{ "initialDelaySeconds",
		  offsetof(struct probe_config, initial_delay_ns), 1 },
		{ "periodSeconds", offsetof(struct probe_config, period_ns), 1 },
		{ "timeoutSeconds", offsetof(struct probe_config, timeout_ns),
		  1 },
		{ "successThreshold",
		  offsetof(struct probe_config, success_threshold), 0 },
		{ "failureThreshold",
		  offsetof(struct probe_config, failure_threshold), 0 },
	};
	char x[APPLY_CHANGE_LEN], y[APPLY_CHANGE_LEN], sub[APPLY_CHANGE_LEN];
	size_t i;

	if (!a->enabled || !b->enabled) {
		apply_probe_text(x, sizeof(x), a);
		apply_probe_text(y, sizeof(y), b);
		apply_say(p, path, x, y);
		return;
	}
	for (i = 0; i < sizeof(m) / sizeof(*m); i++) {
		const char *pa = (const char *)a + m[i].off;
		const char *pb = (const char *)b + m[i].off;
		long long va, vb;

		if (m[i].seconds) {
			va = apply_seconds(*(const sim_time_t *)(const void *)pa);
			vb = apply_seconds(*(const sim_time_t *)(const void *)pb);
		} else {
			va = *(const int32_t *)(const void *)pa;
			vb = *(const int32_t *)(const void *)pb;
		}
		if (va == vb)
			continue;
		snprintf(sub, sizeof(sub), "%s.%s", path, m[i].name);
		apply_say_int(p, sub, va, vb);
	}
}

/* dst's field f = src's, deep (a distribution is copied). */
static int apply_copy_field(const struct tmpl_field *f,
			    struct image_config *dst,
			    const struct image_config *src)
{
	void *d = tmpl_field_at(f, dst);
	const void *s = tmpl_field_at_const(f, src);

	if (f->kind == TMPL_KIND_DIST)
		return dist_copy(d, s);
	if (f->kind == TMPL_KIND_CRASH) {
		struct crash_config *dc = d;
		const struct crash_config *sc = s;
		struct dist after;

		if (dist_copy(&after, &sc->after))
			return -1;
		dist_release(&dc->after);
		*dc = *sc;
		dc->after = after;
		return 0;
	}
	memcpy(d, s, f->size);
	return 0;
}

/* The template fields that either manifest sets and whose values in
 * effect differ. */
static int apply_diff_template(struct apply_plan *p,
			       const struct world_config *cfg,
			       const struct deploy_config *a,
			       const struct world_config *ncfg)
{
	const struct deploy_config *b = &ncfg->deployment;
	struct pod_overrides *o = &p->event.patch.v.tmpl;
	const struct image_config *ia = &cfg->images[a->image];
	const struct image_config *ib = &cfg->images[p->event.patch.v.image];
	char x[APPLY_CHANGE_LEN], y[APPLY_CHANGE_LEN], path[APPLY_VALUE_MAX];
	size_t i;

	for (i = 0; i < TMPL_FIELD_COUNT; i++) {
		const struct tmpl_field *f = &tmpl_fields[i];
		const struct image_config *va =
			a->tmpl.mask & f->bit ? &a->tmpl.v : ia;
		const struct image_config *vb =
			b->tmpl.mask & f->bit ? &b->tmpl.v : ib;

		if (!((a->tmpl.mask | b->tmpl.mask) & f->bit) ||
		    tmpl_field_equal(f, va, vb))
			continue;
		if (apply_copy_field(f, &o->v, vb))
			return -1;
		o->mask |= f->bit;
		apply_field_path(f->key, path, sizeof(path));
		if (f->kind == TMPL_KIND_PROBE) {
			apply_diff_probe(p, path, tmpl_field_at_const(f, va),
					 tmpl_field_at_const(f, vb));
			continue;
		}
		apply_value_text(x, sizeof(x), f, va);
		apply_value_text(y, sizeof(y), f, vb);
		apply_say(p, path, x, y);
	}
	return 0;
}

/* 1 when the pod template in effect differs (a new ReplicaSet). */
static int apply_template_differs(const struct world_config *cfg,
				  const struct deploy_config *a,
				  const struct apply_plan *p)
{
	struct image_config ea, eb;
	struct pod_overrides merged = a->tmpl;

	image_config_apply(&ea, &cfg->images[a->image], &a->tmpl);
	pod_overrides_merge(&merged, &p->event.patch.v.tmpl);
	image_config_apply(&eb, &cfg->images[p->event.patch.mask & PATCH_IMAGE ?
				     p->event.patch.v.image : a->image],
			   &merged);
	return !image_config_equal(&ea, &eb);
}

static int apply_diff(struct apply_plan *p, const struct world_config *cfg,
		      const struct world_config *ncfg)
{
	const struct deploy_config *a = &cfg->deployment;
	const struct deploy_config *b = &ncfg->deployment;
	int image = world_config_find_image(cfg, apply_image_name(ncfg));

	p->event.action = ACTION_APPLY;
	p->event.patch.v.image = image;
	if (image != a->image) {
		p->event.patch.mask |= PATCH_IMAGE;
		apply_say(p, "spec.template.spec.containers[0].image",
			  cfg->images[a->image].name, cfg->images[image].name);
	}
	apply_diff_spec(p, a, b);
	if (apply_diff_template(p, cfg, a, ncfg))
		return -1;
	p->changed = p->event.patch.mask != 0 ||
		     p->event.patch.v.tmpl.mask != 0;
	p->rollout = apply_template_differs(cfg, a, p);
	p->replicas_from = a->replicas;
	p->replicas_to = b->replicas;
	return 0;
}

int scenario_load_apply(const struct apply_input *in,
			struct world_config *cfg, struct apply_plan *plan,
			struct rsim_error *err)
{
	struct world_config cur, nw;
	cJSON *imgs = NULL, *all = NULL;
	int rc = 0, have_cur = 0, have_new = 0, have_run = 0;

	memset(plan, 0, sizeof(*plan));
	deploy_config_defaults(&plan->event.patch.v);
	image_config_defaults(&plan->event.patch.v.tmpl.v, NULL);
	if (in->images)
		rc = apply_read_images(in->images, &imgs, err);
	if (rc == 0)
		have_cur = !(rc = apply_load_one(in->current, imgs, &cur, err));
	if (rc == 0)
		have_new = !(rc = apply_load_one(in->next, imgs, &nw, err));
	if (rc == 0)
		rc = apply_check_same(in, &cur, &nw, err);
	if (rc == 0 && apply_images(imgs, apply_image_name(&cur),
				    apply_image_name(&nw), &all,
				    plan->image_note,
				    sizeof(plan->image_note))) {
		cJSON_Delete(all);
		rc = rsim_error_set(err, RSIM_ENOMEM, in->current, "",
				    "out of memory");
	}
	if (rc == 0) {
		snprintf(plan->name, sizeof(plan->name), "%s",
			 cur.deployment.name);
		have_run = !(rc = apply_load_run(in, all, plan->name, cfg,
						 plan, err));
	}
	if (rc == 0 && world_config_find_image(cfg, apply_image_name(&nw)) < 0)
		rc = rsim_error_set(err, RSIM_EINPUT, in->current, "images",
				    "expected an entry for \"%s\" (the image "
				    "of %s); was it removed by --set?",
				    apply_image_name(&nw), in->next);
	if (rc == 0 && apply_diff(plan, cfg, &nw))
		rc = rsim_error_set(err, RSIM_ENOMEM, in->current, "",
				    "out of memory");
	cJSON_Delete(imgs);
	if (have_cur)
		world_config_release(&cur);
	if (have_new)
		world_config_release(&nw);
	if (rc && have_run)
		world_config_release(cfg);
	if (rc)
		apply_plan_release(plan);
	return rc;
}

int apply_plan_schedule(struct apply_plan *plan, struct world_config *cfg,
			sim_time_t at_ns)
{
	struct world_event *evs =
		realloc(cfg->events, (cfg->n_events + 1) * sizeof(*evs));
	size_t i;

	if (!evs)
		return RSIM_ENOMEM;
	cfg->events = evs;
	for (i = cfg->n_events; i > 0 && evs[i - 1].at_ns > at_ns; i--)
		evs[i] = evs[i - 1];
	evs[i] = plan->event;
	evs[i].at_ns = at_ns;
	cfg->n_events++;
	memset(&plan->event, 0, sizeof(plan->event));
	image_config_defaults(&plan->event.patch.v.tmpl.v, NULL);
	return 0;
}

void apply_plan_release(struct apply_plan *plan)
{
	image_config_release(&plan->event.patch.v.tmpl.v);
	image_config_defaults(&plan->event.patch.v.tmpl.v, NULL);
}
