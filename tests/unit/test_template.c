/* test_template.c - the pod template's fields (models/tmpl_field.h) and
 * the ReplicaSet names derived from templates (models/template.c).
 *
 * The table: every TMPL_* bit has exactly one row and every row one bit;
 * rows do not overlap; the loader reads each row's key into its field.
 * Names: a template that is an image as described keeps the name the
 * README quotes (FNV-32a of "deployment/image", Kubernetes'
 * SafeEncodeString, both written again here); two applies that change
 * only the liveness probe get two ReplicaSets of their own; an apply that
 * brings the template back to the image adopts the first ReplicaSet; a
 * 32-bit hash collision (found by search) is resolved with
 * status.collisionCount as sync.go getNewReplicaSet and controller_utils.go
 * ComputeHash do. JSON in this file is written with ' for ".
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/tmpl_field.h"
#include "models/world.h"
#include "sim/scenario/scenario.h"

#define NAMES_MAX 16

/* ------------------------------------------------- reference hashing */

/* FNV-32a continued from h (the offset basis 2166136261 starts it). */
static uint32_t ref_fnv(uint32_t h, const void *data, size_t n)
{
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

/* apimachinery rand.SafeEncodeString(fmt.Sprint(h)): each decimal digit
 * d becomes "bcdfghjklmnpqrstvwxz2456789"[('0' + d) % 27]. */
static void ref_name(const char *dep, uint32_t h, char *out, size_t n)
{
	static const char alphabet[] = "bcdfghjklmnpqrstvwxz2456789";
	char dec[16], enc[16];
	size_t i;

	snprintf(dec, sizeof(dec), "%u", h);
	for (i = 0; dec[i]; i++)
		enc[i] = alphabet[(unsigned char)dec[i] % 27];
	enc[i] = '\0';
	snprintf(out, n, "%s-%s", dep, enc);
}

/* ComputeHash's collisionCount: 8 bytes, the uint32 little-endian. */
static uint32_t ref_collision(uint32_t h, uint32_t count)
{
	unsigned char b[8] = { 0 };
	int i;

	for (i = 0; i < 4; i++)
		b[i] = (unsigned char)(count >> (8 * i));
	return ref_fnv(h, b, sizeof(b));
}

/* ------------------------------------------------------ running worlds */

struct names {
	char v[NAMES_MAX][80];
	int n;
};

static void names_add(struct names *s, const char *name, size_t len)
{
	int i;

	if (len == 0 || len >= sizeof(s->v[0]))
		return;
	for (i = 0; i < s->n; i++)
		if (strlen(s->v[i]) == len && strncmp(s->v[i], name, len) == 0)
			return;
	cr_assert_lt(s->n, NAMES_MAX);
	memcpy(s->v[s->n], name, len);
	s->v[s->n++][len] = '\0';
}

/* ReplicaSet names in order of first appearance: objects
 * "replicaset/NAME" and ScalingReplicaSet's "replica set NAME". */
static void on_event(void *ctx, sim_time_t t, const char *type,
		     const char *reason, const char *object, const char *msg)
{
	struct names *s = ctx;
	const char *p;

	(void)t;
	(void)type;
	if (strncmp(object, "replicaset/", 11) == 0)
		names_add(s, object + 11, strlen(object + 11));
	p = strcmp(reason, "ScalingReplicaSet") == 0 ?
	    strstr(msg, "replica set ") : NULL;
	if (p) {
		p += strlen("replica set ");
		names_add(s, p, strcspn(p, " "));
	}
}

/* Loads sq (' for ") and runs it; the ReplicaSet names into s. */
static void run_sq(const char *sq, struct names *s, struct world_metrics *m)
{
	struct rsim_error err = { 0 };
	struct world_config cfg;
	struct world_observer obs = { 0 };
	char *text = strdup(sq), *c, line[512];
	world *w = NULL;
	int rc;

	cr_assert_not_null(text);
	for (c = text; *c; c++)
		if (*c == '\'')
			*c = '"';
	rc = scenario_load_string(text, "t.json", &cfg, &err);
	free(text);
	rsim_error_format(&err, line, sizeof(line));
	cr_assert_eq(rc, 0, "%s", line);
	memset(s, 0, sizeof(*s));
	obs.ctx = s;
	obs.on_event = on_event;
	cr_assert_eq(world_new(&cfg, 0, &obs, &w), 0);
	cr_assert_eq(world_run(w), 0);
	world_get_metrics(w, m);
	world_free(w);
	world_config_release(&cfg);
}

static void expect_distinct(const struct names *s)
{
	int i, j;

	for (i = 0; i < s->n; i++)
		for (j = i + 1; j < s->n; j++)
			cr_expect_str_neq(s->v[i], s->v[j],
					  "ReplicaSets %d and %d share a name",
					  i, j);
}

/* --------------------------------------------------------- the table */

Test(template, every_bit_has_one_row_and_every_row_one_bit)
{
	uint32_t seen = 0;
	size_t i, j;
	int b;

	for (b = 0; b < 32; b++) {
		uint32_t bit = 1u << b;
		int rows = 0;

		for (i = 0; i < TMPL_FIELD_COUNT; i++)
			rows += tmpl_fields[i].bit == bit;
		cr_expect_eq(rows, (TMPL_ALL & bit) ? 1 : 0,
			     "bit %d: %d rows", b, rows);
	}
	for (i = 0; i < TMPL_FIELD_COUNT; i++) {
		const struct tmpl_field *f = &tmpl_fields[i];

		cr_expect(f->bit && (f->bit & (f->bit - 1)) == 0,
			  "%s: not one bit (%#x)", f->key, (unsigned)f->bit);
		cr_expect_eq(seen & f->bit, 0, "%s: bit taken", f->key);
		seen |= f->bit;
		cr_expect_eq(tmpl_field_find(f->key), f, "%s", f->key);
		cr_expect_leq(f->offset + f->size, sizeof(struct image_config),
			      "%s", f->key);
		cr_expect_geq(f->offset, sizeof(((struct image_config *)0)->name),
			      "%s overlaps the name", f->key);
		for (j = 0; j < i; j++) {
			const struct tmpl_field *g = &tmpl_fields[j];

			cr_expect(f->offset + f->size <= g->offset ||
				  g->offset + g->size <= f->offset,
				  "%s overlaps %s", f->key, g->key);
		}
	}
	cr_expect_eq(seen, TMPL_ALL);
	cr_expect_null(tmpl_field_find("name"));
}

/* A JSON value of each kind that differs from image_config_defaults. */
static const char *value_of(enum tmpl_kind k)
{
	switch (k) {
	case TMPL_KIND_DIST:
		return "{'dist':'empirical','samples':['1s','2s']}";
	case TMPL_KIND_PROBE:
		return "{'periodSeconds':3}";
	case TMPL_KIND_SECONDS:
		return "7";
	case TMPL_KIND_DURATION:
		return "'1500ms'";
	case TMPL_KIND_INT:
		return "5";
	case TMPL_KIND_BOOL:
		return "true";
	case TMPL_KIND_PROBABILITY:
		return "0.25";
	case TMPL_KIND_CRASH:
		return "{'after':'9s'}";
	case TMPL_KIND_REQUESTS:
		return "{'cpu':'250m'}";
	case TMPL_KIND_PULL_POLICY:
		return "'Always'";
	case TMPL_KIND_WARMUP:
		return "{'duration':'30s','factor':2}";
	case TMPL_KIND_QUEUE:
		return "'unlimited'";
	case TMPL_KIND_RATE:
		return "0.5";
	case TMPL_KIND_FACTOR:
		return "2.5";
	}
	return "null";
}

/* The loader reads every row's key, in a deployment, into its field and
 * marks its bit (and only its bit). */
Test(template, the_loader_reads_every_row)
{
	size_t i;

	for (i = 0; i < TMPL_FIELD_COUNT; i++) {
		const struct tmpl_field *f = &tmpl_fields[i];
		struct rsim_error err = { 0 };
		struct world_config cfg;
		struct image_config def;
		char sq[512], line[512], *c;
		int rc;

		snprintf(sq, sizeof(sq), "{'deployment':{'image':'a','%s':%s},"
			 "'images':{'a':{}}}", f->key, value_of(f->kind));
		for (c = sq; *c; c++)
			if (*c == '\'')
				*c = '"';
		rc = scenario_load_string(sq, "t.json", &cfg, &err);
		rsim_error_format(&err, line, sizeof(line));
		cr_assert_eq(rc, 0, "%s: %s", f->key, line);
		cr_expect_eq(cfg.deployment.tmpl.mask, f->bit, "%s: mask %#x",
			     f->key, (unsigned)cfg.deployment.tmpl.mask);
		image_config_defaults(&def, NULL);
		cr_expect_not(tmpl_field_equal(f, &cfg.deployment.tmpl.v, &def),
			      "%s: the field keeps its default", f->key);
		image_config_release(&def);
		world_config_release(&cfg);
	}
}

/* --------------------------------------------------------------- names */

/* README's walk-through: images without overrides keep the names
 * FNV-32a("flask-app/flask-app:1.0") and ("flask-app/flask-app:2.0"). */
Test(template, an_image_as_described_keeps_its_name)
{
	struct names s;
	struct world_metrics m;
	char want[80];
	const char *key = "flask-app/flask-app:1.0";

	run_sq("{'until':'2m','deployment':{'name':'flask-app','replicas':2,"
	       "'image':'flask-app:1.0'},'images':{'flask-app:1.0':"
	       "{'readinessProbe':{'periodSeconds':2},'pull':'1s'},"
	       "'flask-app:2.0':{'startup':'2s'}},'events':[{'at':'30s',"
	       "'action':'setImage','image':'flask-app:2.0'}]}", &s, &m);
	cr_assert_eq(s.n, 2);
	ref_name("flask-app", ref_fnv(2166136261u, key, strlen(key)), want,
		 sizeof(want));
	cr_expect_str_eq(s.v[0], want);
	cr_expect_str_eq(s.v[0], "flask-app-66c78968f9");    /* README */
	cr_expect_str_eq(s.v[1], "flask-app-569cb6cdc4");
}

/* The liveness probe is part of the template: each apply that changes
 * only it is a new template, so a new ReplicaSet with a name of its own
 * (revision 1 -> 2 -> 3). */
Test(template, liveness_only_applies_get_their_own_replicasets)
{
	struct names s;
	struct world_metrics m;

	run_sq("{'until':'3m','deployment':{'name':'web','replicas':2,"
	       "'image':'web:1'},'images':{'web:1':{'pull':'1s'}},"
	       "'events':[{'at':'30s','action':'apply','deployment':"
	       "{'livenessProbe':{'periodSeconds':10}}},{'at':'60s',"
	       "'action':'apply','deployment':{'livenessProbe':"
	       "{'periodSeconds':20}}}]}", &s, &m);
	cr_expect_eq(m.revision, 3);
	cr_assert_eq(s.n, 3, "%d ReplicaSet names", s.n);
	expect_distinct(&s);
}

/* Deep: templates that differ only in an empirical distribution's
 * samples, or in a probe's failureProbability, are different. */
Test(template, samples_and_failure_probability_make_templates_differ)
{
	struct names s;
	struct world_metrics m;

	run_sq("{'until':'3m','deployment':{'name':'web','replicas':1,"
	       "'image':'web:1'},'images':{'web:1':{}},'events':["
	       "{'at':'10s','action':'apply','deployment':{'startup':"
	       "{'dist':'empirical','samples':['1s','2s']}}},"
	       "{'at':'20s','action':'apply','deployment':{'startup':"
	       "{'dist':'empirical','samples':['1s','3s']}}},"
	       "{'at':'30s','action':'apply','deployment':{'readinessProbe':"
	       "{'failureProbability':0.001}}},"
	       "{'at':'40s','action':'apply','deployment':{'readinessProbe':"
	       "{'failureProbability':0.002}}}]}", &s, &m);
	cr_expect_eq(m.revision, 5);
	cr_assert_eq(s.n, 5, "%d ReplicaSet names", s.n);
	expect_distinct(&s);
}

/* Setting a probe and then removing it brings the template back to the
 * image: the Deployment adopts its first ReplicaSet again (revision 3,
 * no third name); a probe that is off is off whatever its timings. */
Test(template, back_to_the_image_adopts_the_first_replicaset)
{
	struct names s;
	struct world_metrics m;

	run_sq("{'until':'3m','deployment':{'name':'web','replicas':2,"
	       "'image':'web:1'},'images':{'web:1':{'pull':'1s'}},"
	       "'events':[{'at':'30s','action':'apply','deployment':"
	       "{'livenessProbe':{'periodSeconds':10}}},{'at':'60s',"
	       "'action':'apply','deployment':{'livenessProbe':null}}]}",
	       &s, &m);
	cr_expect_eq(m.revision, 3);
	cr_expect_eq(s.n, 2, "%d ReplicaSet names", s.n);
	expect_distinct(&s);
}

/* --------------------------------------------------------- collisions */

struct hc {
	uint32_t h;
	int32_t cost;
};

static int hc_cmp(const void *a, const void *b)
{
	const struct hc *x = a, *y = b;

	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	return (x->cost > y->cost) - (x->cost < y->cost);
}

/* The hash of image "web:1" (defaults) of Deployment "web" with
 * podDeletionCost cost: the prefix, then every field. */
static uint32_t cost_hash(int32_t cost)
{
	struct image_config e;
	uint32_t h = ref_fnv(2166136261u, "web/web:1", 9);

	image_config_defaults(&e, "web:1");
	e.deletion_cost = cost;
	h = tmpl_fields_hash(h, &e);
	image_config_release(&e);
	return h;
}

/* Two podDeletionCost values whose templates hash alike: a birthday
 * search over 2^18 costs (about 8 pairs expected among 2^35 pairs of
 * 2^-32 each). The costs are spread over all 32 bits (Knuth's
 * multiplicative step): FNV-1a of inputs that differ only in their low
 * three bytes almost never collides. */
static void find_collision(int32_t *a, int32_t *b)
{
	size_t n = (size_t)1 << 18, i;
	struct hc *v = malloc(n * sizeof(*v));

	cr_assert_not_null(v);
	for (i = 0; i < n; i++) {
		v[i].cost = (int32_t)((uint32_t)(i + 1) * 2654435761u);
		v[i].h = cost_hash(v[i].cost);
	}
	qsort(v, n, sizeof(*v), hc_cmp);
	for (i = 1; i < n && v[i].h != v[i - 1].h; i++)
		;
	cr_assert_lt(i, n, "no collision among %zu templates", n);
	*a = v[i - 1].cost;
	*b = v[i].cost;
	free(v);
}

/* Template A, then B with hash(B) == hash(A) while A's ReplicaSet
 * exists: getNewReplicaSet finds the name taken by another template,
 * sets collisionCount to 1 and hashes again; a later template C is
 * hashed with collisionCount 1 too (it stays in the status). */
Test(template, a_hash_collision_bumps_the_collision_count, .timeout = 60)
{
	struct names s;
	struct world_metrics m;
	int32_t a, b, c = 7;
	char sq[1024], want[80];

	find_collision(&a, &b);
	cr_assert_eq(cost_hash(a), cost_hash(b));
	snprintf(sq, sizeof(sq), "{'until':'2m','deployment':{'name':'web',"
		 "'replicas':1,'image':'web:1'},'images':{'web:1':{}},"
		 "'events':[{'at':'10s','action':'apply','deployment':"
		 "{'podDeletionCost':%d}},{'at':'20s','action':'apply',"
		 "'deployment':{'podDeletionCost':%d}},{'at':'30s','action':"
		 "'apply','deployment':{'podDeletionCost':%d}}]}", (int)a,
		 (int)b, (int)c);
	run_sq(sq, &s, &m);
	cr_expect_eq(m.revision, 4);
	cr_assert_eq(s.n, 4, "%d ReplicaSet names", s.n);
	expect_distinct(&s);
	ref_name("web", ref_fnv(2166136261u, "web/web:1", 9), want,
		 sizeof(want));
	cr_expect_str_eq(s.v[0], want);
	ref_name("web", cost_hash(a), want, sizeof(want));
	cr_expect_str_eq(s.v[1], want, "A: %s", s.v[1]);
	ref_name("web", ref_collision(cost_hash(b), 1), want, sizeof(want));
	cr_expect_str_eq(s.v[2], want, "B (costs %d, %d): %s", (int)a, (int)b,
			 s.v[2]);
	ref_name("web", ref_collision(cost_hash(c), 1), want, sizeof(want));
	cr_expect_str_eq(s.v[3], want, "C: %s", s.v[3]);
}
