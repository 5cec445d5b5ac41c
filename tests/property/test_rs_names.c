/* test_rs_names.c - ReplicaSet names over random operation sequences.
 *
 * Each case (own seed, printed with the case on failure) runs Deployment
 * "web" (1..4 replicas, RollingUpdate 25%/25%, so every new ReplicaSet is
 * born with at least one pod; revisionHistoryLimit 0..3, so old
 * ReplicaSets are deleted and their templates may come back) of images
 * "web:1" and "web:2" (both with the defaults), controllers without delay,
 * through 4..14 operations 10 s apart: applies that set one or two
 * template fields, setImage to the other image, rollout pause / resume,
 * scale to 1..4; then a resume. Applies draw a row of the template field
 * table (models/tmpl_field.h) uniformly, so every field and every kind is
 * changed, and one of its values: 0 is the default (the image's own
 * value: the field set back), 1.. differ from it and from each other.
 *
 * The test keeps its own model of the Deployment's template, as the image
 * and the value number of each field (so two templates are equal exactly
 * when these are), advanced to each operation before the events of its
 * instant (operations run first at their instant: they are scheduled
 * before anything else). RollingUpdate scales up only the new ReplicaSet,
 * the current template's (docs/kubernetes.md §2.4), except for
 * proportional scaling (§3) at a scale operation's instant; so every
 * "Scaled up replica set NAME" outside those instants names the
 * ReplicaSet of the model's current template, newly created or adopted.
 * Checked:
 *  (a) two different templates never share a name (also when a
 *      ReplicaSet deleted by the history cleanup is created again);
 *  (b) a template keeps its name: no two names for one template (a
 *      ReplicaSet deleted by the history cleanup comes back under its old
 *      name; holds unless a 32-bit hash collision moved the Deployment's
 *      collisionCount in between, which these fixed seeds do not meet);
 *  (c) the final template has a ReplicaSet: every change the model sees
 *      is a change the simulator sees (and rolls out).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "models/deployment.h"
#include "models/pod.h"
#include "models/tmpl_field.h"
#include "models/world.h"
#include "../test_rand.h"
#include "prop_case.h"

#define S SIM_NS_PER_S
#define N_CASES 400
#define BASE_SEED UINT64_C(0x6e616d65735f7273)
#define MAX_OPS 15           /* 14 user operations + the final resume */
#define MAX_NAMES 64
#define GAP_NS (10 * S)      /* between operations */

/* A template as the model sees it. */
struct mtmpl {
	int image;                       /* 0 or 1 */
	uint8_t v[TMPL_FIELD_COUNT];     /* value number of each row */
};

struct op {
	enum world_action a;
	int rows[2], vals[2], n_rows;    /* apply */
	int32_t replicas;                /* scale */
};

struct ncase {
	uint64_t seed;
	int32_t replicas, history;
	size_t n_ops;
	struct op ops[MAX_OPS];
	char desc[2048];
};

/* What the observer tracks. */
struct nwatch {
	const struct ncase *nc;
	size_t next_op;                  /* operations applied to cur */
	struct mtmpl cur;
	char names[MAX_NAMES][80];
	struct mtmpl tmpl[MAX_NAMES];    /* the template of names[i] */
	int n_names;
	int n_again;                     /* scale-ups of a known name */
	struct prop_violations viol;
};

/* Over all cases: the checks must not be vacuous. */
struct ntally {
	int failed;
	long names;                      /* distinct names met */
	long again;                      /* scale-ups of a known name */
	long set[TMPL_FIELD_COUNT];      /* applies of a value other than
					    the default, by row */
};

/* ------------------------------------------------------ field values */

/* How many values other than the default a row's kind has. */
static int n_values(enum tmpl_kind k)
{
	switch (k) {
	case TMPL_KIND_BOOL:
	case TMPL_KIND_PULL_POLICY:
		return 1;
	case TMPL_KIND_CRASH:
		return 2;
	default:
		return 3;
	}
}

static struct dist empirical(sim_time_t a, sim_time_t b)
{
	struct dist d = dist_constant(0);

	d.kind = DIST_EMPIRICAL;
	d.samples = malloc(2 * sizeof(*d.samples));
	cr_assert_not_null(d.samples);
	d.samples[0] = a;
	d.samples[1] = b;
	d.n_samples = 2;
	return d;
}

/* Value k of a distribution: 1 s constant; two empirical laws that
 * differ only in a sample (deep comparison and hash). */
static struct dist dist_value(int k)
{
	if (k == 1)
		return dist_constant(1 * S);
	return empirical(1 * S, (k == 2 ? 2 : 3) * S);
}

/* Value k of a probe: the defaults, the defaults with a flaky
 * failureProbability (deep), a 5 s period. */
static void probe_value(struct probe_config *p, int k)
{
	probe_config_defaults(p);
	if (k == 2)
		p->failure_prob = 0.001;
	if (k == 3)
		p->period_ns = 5 * S;
}

static void crash_value(struct crash_config *c, int k)
{
	c->enabled = 1;
	c->after = dist_constant(300 * S);
	c->probability = k == 1 ? 1.0 : 0.5;
}

/* Writes value k (0: the default) of row f into im, which holds the
 * defaults (what it owns is released first). */
static void set_value(const struct tmpl_field *f, struct image_config *im,
		      int k)
{
	void *at = tmpl_field_at(f, im);
	int64_t *rq = at;

	if (k == 0)
		return;
	switch (f->kind) {
	case TMPL_KIND_DIST:
		dist_release(at);
		*(struct dist *)at = dist_value(k);
		break;
	case TMPL_KIND_PROBE:
		probe_value(at, k);
		break;
	case TMPL_KIND_SECONDS:
		*(sim_time_t *)at = (k == 3 ? 45 : 5 * k) * S;
		break;
	case TMPL_KIND_DURATION:
		*(sim_time_t *)at = k * S;
		break;
	case TMPL_KIND_INT:
		*(int32_t *)at = k;
		break;
	case TMPL_KIND_BOOL:
		*(int *)at = 1;
		break;
	case TMPL_KIND_PROBABILITY:
		*(double *)at = 0.001 * k;
		break;
	case TMPL_KIND_CRASH:
		dist_release(&((struct crash_config *)at)->after);
		crash_value(at, k);
		break;
	case TMPL_KIND_REQUESTS:
		rq[0] = 100 * k;
		rq[1] = (int64_t)k << 20;
		break;
	case TMPL_KIND_PULL_POLICY:
		*(enum pull_policy *)at = PULL_ALWAYS;
		break;
	case TMPL_KIND_WARMUP:
		((struct warmup_config *)at)->duration_ns = 10 * k * S;
		((struct warmup_config *)at)->factor = 2.0;
		break;
	case TMPL_KIND_QUEUE:
		*(int32_t *)at = k == 1 ? QUEUE_UNLIMITED : (k == 2 ? 5 : 0);
		break;
	case TMPL_KIND_RATE:
		*(double *)at = 0.001 * k;
		break;
	case TMPL_KIND_FACTOR:
		*(double *)at = 1.0 + 0.5 * k;
		break;
	}
}

/* The model's premise: the values of a row are pairwise different. */
Test(property, rs_names_values_differ)
{
	size_t i;
	int j, k;

	for (i = 0; i < TMPL_FIELD_COUNT; i++) {
		const struct tmpl_field *f = &tmpl_fields[i];

		for (j = 0; j <= n_values(f->kind); j++)
			for (k = j + 1; k <= n_values(f->kind); k++) {
				struct image_config a, b;

				image_config_defaults(&a, "web:1");
				image_config_defaults(&b, "web:1");
				set_value(f, &a, j);
				set_value(f, &b, k);
				cr_expect_not(tmpl_field_equal(f, &a, &b),
					      "%s: values %d and %d are equal",
					      f->key, j, k);
				image_config_release(&a);
				image_config_release(&b);
			}
	}
}

/* ------------------------------------------------------------ a case */

#define DESC(nc, used, ...) \
	((used) = prop_desc_add((nc)->desc, (used), sizeof((nc)->desc), \
				__VA_ARGS__))

static void draw_op(uint64_t *s, struct op *o)
{
	int r = (int)sm_range(s, 0, 99), i;

	memset(o, 0, sizeof(*o));
	if (r < 60) {
		o->a = ACTION_APPLY;
		o->n_rows = sm_chance(s, 20) ? 2 : 1;
		for (i = 0; i < o->n_rows; i++) {
			o->rows[i] = (int)sm_range(s, 0, TMPL_FIELD_COUNT - 1);
			o->vals[i] = (int)sm_range(
				s, 0, n_values(tmpl_fields[o->rows[i]].kind));
		}
		if (o->n_rows == 2 && o->rows[1] == o->rows[0])
			o->n_rows = 1;
	} else if (r < 75) {
		o->a = ACTION_SET_IMAGE;
	} else if (r < 85) {
		o->a = ACTION_PAUSE;
	} else if (r < 95) {
		o->a = ACTION_RESUME;
	} else {
		o->a = ACTION_SCALE;
		o->replicas = (int32_t)sm_range(s, 1, 4);
	}
}

static void desc_op(struct ncase *nc, size_t *used, size_t k)
{
	const struct op *o = &nc->ops[k];
	int i;

	DESC(nc, *used, "\n    %llds ",
	     (long long)((int64_t)(k + 1) * GAP_NS / S));
	switch (o->a) {
	case ACTION_APPLY:
		DESC(nc, *used, "apply");
		for (i = 0; i < o->n_rows; i++)
			DESC(nc, *used, " %s=value %d",
			     tmpl_fields[o->rows[i]].key, o->vals[i]);
		break;
	case ACTION_SET_IMAGE:
		DESC(nc, *used, "setImage (the other image)");
		break;
	case ACTION_PAUSE:
		DESC(nc, *used, "pause");
		break;
	case ACTION_RESUME:
		DESC(nc, *used, "resume");
		break;
	default:
		DESC(nc, *used, "scale %d", (int)o->replicas);
	}
}

static void make_case(int idx, struct ncase *nc)
{
	uint64_t s;
	size_t k, used = 0;

	memset(nc, 0, sizeof(*nc));
	nc->seed = prop_case_seed(BASE_SEED, idx);
	s = nc->seed;
	nc->replicas = (int32_t)sm_range(&s, 1, 4);
	nc->history = (int32_t)sm_range(&s, 0, 3);
	nc->n_ops = (size_t)sm_range(&s, 4, MAX_OPS - 1);
	for (k = 0; k < nc->n_ops; k++)
		draw_op(&s, &nc->ops[k]);
	nc->ops[nc->n_ops++].a = ACTION_RESUME;
	DESC(nc, used, "case %d seed %#llx: replicas %d, "
	     "revisionHistoryLimit %d", idx, (unsigned long long)nc->seed,
	     (int)nc->replicas, (int)nc->history);
	for (k = 0; k < nc->n_ops; k++)
		desc_op(nc, &used, k);
}

/* The world_event of operation k (the image being the model's). */
static void fill_event(const struct op *o, size_t k, int image,
		       struct world_event *e)
{
	int i;

	memset(e, 0, sizeof(*e));
	e->at_ns = (sim_time_t)(k + 1) * GAP_NS;
	e->action = o->a;
	e->image = image;
	e->replicas = o->replicas;
	deploy_config_defaults(&e->patch.v);
	for (i = 0; i < o->n_rows && o->a == ACTION_APPLY; i++) {
		const struct tmpl_field *f = &tmpl_fields[o->rows[i]];

		set_value(f, &e->patch.v.tmpl.v, o->vals[i]);
		e->patch.v.tmpl.mask |= f->bit;
	}
}

/* Advances the model's template m over operation o. */
static void model_op(struct mtmpl *m, const struct op *o)
{
	int i;

	if (o->a == ACTION_SET_IMAGE)
		m->image = 1 - m->image;
	for (i = 0; i < o->n_rows && o->a == ACTION_APPLY; i++)
		m->v[o->rows[i]] = (uint8_t)o->vals[i];
}

static void build_config(const struct ncase *nc, struct world_config *cfg)
{
	struct mtmpl m;
	size_t k;

	world_config_init(cfg);
	cfg->until_ns = (sim_time_t)(nc->n_ops + 6) * GAP_NS;
	cfg->deployment.replicas = nc->replicas;
	cfg->deployment.revision_history_limit = nc->history;
	snprintf(cfg->deployment.name, sizeof(cfg->deployment.name), "web");
	cfg->images = calloc(2, sizeof(*cfg->images));
	cfg->events = calloc(nc->n_ops, sizeof(*cfg->events));
	cr_assert(cfg->images && cfg->events);
	image_config_defaults(&cfg->images[0], "web:1");
	image_config_defaults(&cfg->images[1], "web:2");
	cfg->n_images = 2;
	memset(&m, 0, sizeof(m));
	for (k = 0; k < nc->n_ops; k++) {
		model_op(&m, &nc->ops[k]);
		fill_event(&nc->ops[k], k, m.image, &cfg->events[k]);
	}
	cfg->n_events = nc->n_ops;
}

/* ---------------------------------------------------------- observing */

static int mtmpl_equal(const struct mtmpl *a, const struct mtmpl *b)
{
	return a->image == b->image && memcmp(a->v, b->v, sizeof(a->v)) == 0;
}

static void catch_up(struct nwatch *w, sim_time_t t)
{
	while (w->next_op < w->nc->n_ops &&
	       (sim_time_t)(w->next_op + 1) * GAP_NS <= t)
		model_op(&w->cur, &w->nc->ops[w->next_op++]);
}

/* Whether a scale operation runs at t (proportional scaling may then
 * scale up old ReplicaSets). */
static int scale_at(const struct ncase *nc, sim_time_t t)
{
	size_t k = (size_t)(t / GAP_NS);

	return t % GAP_NS == 0 && k >= 1 && k <= nc->n_ops &&
	       nc->ops[k - 1].a == ACTION_SCALE;
}

static int name_index(const struct nwatch *w, const char *p, size_t n)
{
	int i;

	for (i = 0; i < w->n_names; i++)
		if (strlen(w->names[i]) == n && strncmp(w->names[i], p, n) == 0)
			return i;
	return -1;
}

/* A ReplicaSet of the current template scaled up at t: (a) and (b). */
static void saw_new_rs(struct nwatch *w, sim_time_t t, const char *p,
		       size_t n)
{
	int i = name_index(w, p, n);

	if (n == 0 || n >= sizeof(w->names[0]))
		return;
	if (i >= 0) {
		w->n_again++;
		if (!mtmpl_equal(&w->tmpl[i], &w->cur))
			prop_violation(&w->viol, t, "%s belongs to an earlier "
				       "template, and is the new ReplicaSet of "
				       "another one", w->names[i]);
		return;
	}
	for (i = 0; i < w->n_names; i++)
		if (mtmpl_equal(&w->tmpl[i], &w->cur))
			prop_violation(&w->viol, t, "the template of %s got a "
				       "second name %.*s", w->names[i], (int)n,
				       p);
	if (w->n_names == MAX_NAMES) {
		prop_violation(&w->viol, t, "more than %d names", MAX_NAMES);
		return;
	}
	memcpy(w->names[w->n_names], p, n);
	w->names[w->n_names][n] = '\0';
	w->tmpl[w->n_names++] = w->cur;
}

/* RollingUpdate scales up only the new ReplicaSet (the current
 * template's), except in proportional scaling after a scale operation
 * (paused Deployments only scale then too). */
static void on_event(void *ctx, sim_time_t t, const char *type,
		     const char *reason, const char *object, const char *msg)
{
	struct nwatch *w = ctx;
	const char *p;

	(void)type;
	(void)object;
	catch_up(w, t);
	if (strcmp(reason, "ScalingReplicaSet") != 0 ||
	    strncmp(msg, "Scaled up replica set ", 22) != 0 ||
	    scale_at(w->nc, t))
		return;
	p = msg + 22;
	saw_new_rs(w, t, p, strcspn(p, " "));
}

static void run_case(int idx, struct ntally *ty)
{
	struct ncase *nc = calloc(1, sizeof(*nc));
	struct nwatch *w = calloc(1, sizeof(*w));
	struct world_observer obs;
	struct world_config cfg;
	struct world_metrics m;
	int rc, i, j, found = 0;
	size_t k;

	cr_assert(nc && w);
	make_case(idx, nc);
	build_config(nc, &cfg);
	w->nc = nc;
	memset(&obs, 0, sizeof(obs));
	obs.ctx = w;
	obs.on_event = on_event;
	rc = prop_run_world(&cfg, &obs, nc->desc, &m);
	catch_up(w, SIM_TIME_MAX);
	for (i = 0; i < w->n_names; i++)
		found |= mtmpl_equal(&w->tmpl[i], &w->cur);
	cr_expect_eq(rc, 0, "%s\n  world_run returned %d", nc->desc, rc);
	cr_expect_eq(w->viol.n, 0, "%s\n  %d violations, first: %s", nc->desc,
		     w->viol.n, w->viol.first);
	cr_expect(found, "%s\n  the final template has no ReplicaSet (%d "
		  "names seen)", nc->desc, w->n_names);
	ty->failed += rc != 0 || w->viol.n != 0 || !found;
	ty->names += w->n_names;
	ty->again += w->n_again;
	for (k = 0; k < nc->n_ops; k++)
		for (j = 0; j < nc->ops[k].n_rows; j++)
			ty->set[nc->ops[k].rows[j]] += nc->ops[k].vals[j] > 0;
	world_config_release(&cfg);
	free(w);
	free(nc);
}

Test(property, rs_names_unique_per_template, .timeout = 300)
{
	struct ntally ty;
	size_t k;
	int i;

	memset(&ty, 0, sizeof(ty));
	for (i = 0; i < N_CASES; i++)
		run_case(i, &ty);
	cr_expect_eq(ty.failed, 0, "%d of %d cases failed", ty.failed,
		     N_CASES);
	/* not vacuous: several templates per case, ReplicaSets adopted or
	 * created again, every field set to a value of its own */
	cr_expect_geq(ty.names, 3 * N_CASES, "%ld names", ty.names);
	cr_expect_geq(ty.again, N_CASES, "%ld scale-ups of known names",
		      ty.again);
	for (k = 0; k < TMPL_FIELD_COUNT; k++)
		cr_expect_geq(ty.set[k], 20, "%s set %ld times",
			      tmpl_fields[k].key, ty.set[k]);
}
