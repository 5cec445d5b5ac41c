/* tmpl_field.c - the pod template's fields, and everything done to all of
 * them: applying overrides, comparing, hashing, releasing.
 *
 * The table is the only list of the fields (tmpl_field.h); the functions
 * below switch on a row's kind, never on a field. Comparison and hash are
 * deep (a distribution's samples, every member of a probe) and agree: two
 * fields that compare equal hash alike.
 */
#include <string.h>

#include "sim/core/hash.h"
#include "tmpl_field.h"

#define TF_AT(f) offsetof(struct image_config, f), \
		 sizeof(((struct image_config *)0)->f)

/* KIND_REQUESTS copies both fields as one block. */
_Static_assert(offsetof(struct image_config, memory_bytes) ==
	       offsetof(struct image_config, cpu_milli) + sizeof(int64_t),
	       "requests: memory_bytes must follow cpu_milli");

const struct tmpl_field tmpl_fields[TMPL_FIELD_COUNT] = {
	{ "pull", TMPL_PULL, TMPL_KIND_DIST, TF_AT(pull), 0, NULL },
	{ "containerStart", TMPL_CONTAINER_START, TMPL_KIND_DIST,
	  TF_AT(container_start), 0, NULL },
	{ "startup", TMPL_STARTUP, TMPL_KIND_DIST, TF_AT(startup), 0, NULL },
	{ "shutdown", TMPL_SHUTDOWN, TMPL_KIND_DIST, TF_AT(shutdown), 0,
	  NULL },
	{ "readinessProbe", TMPL_READINESS, TMPL_KIND_PROBE, TF_AT(readiness),
	  0, NULL },
	{ "livenessProbe", TMPL_LIVENESS, TMPL_KIND_PROBE, TF_AT(liveness), 0,
	  "liveness" },
	{ "startupProbe", TMPL_STARTUP_PROBE, TMPL_KIND_PROBE,
	  TF_AT(startup_probe), 0, "startup" },
	{ "terminationGracePeriodSeconds", TMPL_GRACE, TMPL_KIND_SECONDS,
	  TF_AT(grace_ns), 0, NULL },
	{ "preStopSleep", TMPL_PRESTOP, TMPL_KIND_DURATION, TF_AT(prestop_ns),
	  0, NULL },
	/* controller.kubernetes.io/pod-deletion-cost: any int32 */
	{ "podDeletionCost", TMPL_DELETION_COST, TMPL_KIND_INT,
	  TF_AT(deletion_cost), INT32_MIN, NULL },
	{ "crash", TMPL_CRASH, TMPL_KIND_CRASH, TF_AT(crash), 0, NULL },
	{ "requests", TMPL_REQUESTS, TMPL_KIND_REQUESTS,
	  offsetof(struct image_config, cpu_milli), 2 * sizeof(int64_t), 0,
	  NULL },
	{ "imagePullPolicy", TMPL_PULL_POLICY, TMPL_KIND_PULL_POLICY,
	  TF_AT(pull_policy), 0, NULL },
	{ "pullFailureProbability", TMPL_PULL_FAILURE, TMPL_KIND_PROBABILITY,
	  TF_AT(pull_failure_prob), 0, NULL },
	{ "warmup", TMPL_WARMUP, TMPL_KIND_WARMUP, TF_AT(warmup), 0, NULL },
	{ "acceptDuringShutdown", TMPL_ACCEPT_SHUTDOWN, TMPL_KIND_BOOL,
	  TF_AT(accept_during_shutdown), 0, NULL },
	{ "drainConnections", TMPL_DRAIN_CONNECTIONS, TMPL_KIND_BOOL,
	  TF_AT(drain_connections), 0, NULL },
	{ "concurrency", TMPL_CONCURRENCY, TMPL_KIND_INT, TF_AT(concurrency),
	  1, NULL },
	{ "queueCapacity", TMPL_QUEUE, TMPL_KIND_QUEUE, TF_AT(queue_capacity),
	  0, NULL },
	{ "serviceTime", TMPL_SERVICE_TIME, TMPL_KIND_DIST,
	  TF_AT(service_time), 0, NULL },
	/* a bad release (not Kubernetes fields): server errors, slowness */
	{ "errorRate", TMPL_ERROR_RATE, TMPL_KIND_RATE, TF_AT(error_rate), 0,
	  NULL },
	{ "serviceTimeFactor", TMPL_SERVICE_FACTOR, TMPL_KIND_FACTOR,
	  TF_AT(service_time_factor), 0, NULL },
};

const struct tmpl_field *tmpl_field_find(const char *key)
{
	size_t i;

	for (i = 0; i < TMPL_FIELD_COUNT; i++)
		if (strcmp(tmpl_fields[i].key, key) == 0)
			return &tmpl_fields[i];
	return NULL;
}

void *tmpl_field_at(const struct tmpl_field *f, struct image_config *c)
{
	return (char *)c + f->offset;
}

const void *tmpl_field_at_const(const struct tmpl_field *f,
				const struct image_config *c)
{
	return (const char *)c + f->offset;
}

static int dist_equal(const struct dist *a, const struct dist *b)
{
	if (a->kind != b->kind || a->a_ns != b->a_ns || a->b_ns != b->b_ns ||
	    a->shape != b->shape || a->n_samples != b->n_samples)
		return 0;
	return a->n_samples == 0 ||
	       memcmp(a->samples, b->samples,
		      a->n_samples * sizeof(*a->samples)) == 0;
}

/* Probes that are off are equal (a Pod without the probe). */
static int probe_equal(const struct probe_config *a,
		       const struct probe_config *b)
{
	if (!a->enabled || !b->enabled)
		return a->enabled == b->enabled;
	return a->initial_delay_ns == b->initial_delay_ns &&
	       a->period_ns == b->period_ns && a->timeout_ns == b->timeout_ns &&
	       a->success_threshold == b->success_threshold &&
	       a->failure_threshold == b->failure_threshold &&
	       a->never_ready == b->never_ready &&
	       a->failure_prob == b->failure_prob;
}

static int crash_equal(const struct crash_config *a,
		       const struct crash_config *b)
{
	if (!a->enabled || !b->enabled)
		return a->enabled == b->enabled;
	return dist_equal(&a->after, &b->after) &&
	       a->probability == b->probability;
}

int tmpl_field_equal(const struct tmpl_field *f, const struct image_config *a,
		     const struct image_config *b)
{
	const void *x = tmpl_field_at_const(f, a), *y = tmpl_field_at_const(f, b);
	const struct warmup_config *wx = x, *wy = y;

	switch (f->kind) {
	case TMPL_KIND_DIST:
		return dist_equal(x, y);
	case TMPL_KIND_PROBE:
		return probe_equal(x, y);
	case TMPL_KIND_CRASH:
		return crash_equal(x, y);
	case TMPL_KIND_PROBABILITY:
	case TMPL_KIND_RATE:
	case TMPL_KIND_FACTOR:
		return *(const double *)x == *(const double *)y;
	case TMPL_KIND_WARMUP:
		return wx->duration_ns == wy->duration_ns &&
		       wx->factor == wy->factor;
	case TMPL_KIND_SECONDS:
	case TMPL_KIND_DURATION:
	case TMPL_KIND_INT:
	case TMPL_KIND_BOOL:
	case TMPL_KIND_REQUESTS:
	case TMPL_KIND_PULL_POLICY:
	case TMPL_KIND_QUEUE:
		break;          /* integers without padding: their bytes */
	}
	return memcmp(x, y, f->size) == 0;
}

/* ------------------------------------------------------------ hashing */

static uint32_t hash_i64(uint32_t h, int64_t v)
{
	unsigned char b[8];
	uint64_t u = (uint64_t)v;
	int i;

	for (i = 0; i < 8; i++)
		b[i] = (unsigned char)(u >> (8 * i));
	return hash_fnv32a_more(h, b, sizeof(b));
}

static uint32_t hash_double(uint32_t h, double d)
{
	uint64_t u;

	if (d == 0.0)
		d = 0.0;        /* -0.0 compares equal: hash it alike */
	memcpy(&u, &d, sizeof(u));
	return hash_i64(h, (int64_t)u);
}

static uint32_t hash_dist(uint32_t h, const struct dist *d)
{
	size_t i;

	h = hash_i64(h, d->kind);
	h = hash_i64(h, d->a_ns);
	h = hash_i64(h, d->b_ns);
	h = hash_double(h, d->shape);
	h = hash_i64(h, (int64_t)d->n_samples);
	for (i = 0; i < d->n_samples; i++)
		h = hash_i64(h, d->samples[i]);
	return h;
}

static uint32_t hash_probe(uint32_t h, const struct probe_config *p)
{
	h = hash_i64(h, p->enabled != 0);
	if (!p->enabled)
		return h;       /* off: its timings do not matter */
	h = hash_i64(h, p->initial_delay_ns);
	h = hash_i64(h, p->period_ns);
	h = hash_i64(h, p->timeout_ns);
	h = hash_i64(h, p->success_threshold);
	h = hash_i64(h, p->failure_threshold);
	h = hash_i64(h, p->never_ready);
	return hash_double(h, p->failure_prob);
}

static uint32_t hash_crash(uint32_t h, const struct crash_config *c)
{
	h = hash_i64(h, c->enabled != 0);
	if (!c->enabled)
		return h;
	h = hash_dist(h, &c->after);
	return hash_double(h, c->probability);
}

static uint32_t hash_field(uint32_t h, const struct tmpl_field *f,
			   const struct image_config *c)
{
	const void *x = tmpl_field_at_const(f, c);
	const struct warmup_config *wu = x;
	const int64_t *rq = x;

	switch (f->kind) {
	case TMPL_KIND_DIST:
		return hash_dist(h, x);
	case TMPL_KIND_PROBE:
		return hash_probe(h, x);
	case TMPL_KIND_CRASH:
		return hash_crash(h, x);
	case TMPL_KIND_PROBABILITY:
	case TMPL_KIND_RATE:
	case TMPL_KIND_FACTOR:
		return hash_double(h, *(const double *)x);
	case TMPL_KIND_WARMUP:
		return hash_double(hash_i64(h, wu->duration_ns), wu->factor);
	case TMPL_KIND_REQUESTS:
		return hash_i64(hash_i64(h, rq[0]), rq[1]);
	case TMPL_KIND_SECONDS:
	case TMPL_KIND_DURATION:
		return hash_i64(h, *(const sim_time_t *)x);
	case TMPL_KIND_INT:
	case TMPL_KIND_QUEUE:
		return hash_i64(h, *(const int32_t *)x);
	case TMPL_KIND_BOOL:
		return hash_i64(h, *(const int *)x);
	case TMPL_KIND_PULL_POLICY:
		return hash_i64(h, *(const enum pull_policy *)x);
	}
	return h;
}

/* A field left out of the hash: a RATE or FACTOR at its default. */
static int hash_omits(const struct tmpl_field *f, const struct image_config *c)
{
	double v;

	if (f->kind != TMPL_KIND_RATE && f->kind != TMPL_KIND_FACTOR)
		return 0;
	v = *(const double *)tmpl_field_at_const(f, c);
	return v == (f->kind == TMPL_KIND_RATE ? 0.0 : 1.0);
}

uint32_t tmpl_fields_hash(uint32_t h, const struct image_config *c)
{
	size_t i;

	for (i = 0; i < TMPL_FIELD_COUNT; i++) {
		const struct tmpl_field *f = &tmpl_fields[i];

		if (hash_omits(f, c))
			continue;
		h = hash_fnv32a_more(h, f->key, strlen(f->key) + 1);
		h = hash_field(h, f, c);
	}
	return h;
}

/* ------------------------------------- struct image_config as a whole */

void image_config_apply(struct image_config *dst,
			const struct image_config *base,
			const struct pod_overrides *o)
{
	size_t i;

	*dst = *base;
	for (i = 0; i < TMPL_FIELD_COUNT; i++) {
		const struct tmpl_field *f = &tmpl_fields[i];

		if (o->mask & f->bit)
			memcpy(tmpl_field_at(f, dst),
			       tmpl_field_at_const(f, &o->v), f->size);
	}
}

void pod_overrides_merge(struct pod_overrides *o,
			 const struct pod_overrides *patch)
{
	struct image_config merged;

	image_config_apply(&merged, &o->v, patch);
	o->v = merged;
	o->mask |= patch->mask;
}

int image_config_equal(const struct image_config *a,
		       const struct image_config *b)
{
	size_t i;

	if (strcmp(a->name, b->name) != 0)
		return 0;
	for (i = 0; i < TMPL_FIELD_COUNT; i++)
		if (!tmpl_field_equal(&tmpl_fields[i], a, b))
			return 0;
	return 1;
}

void image_config_release(struct image_config *c)
{
	size_t i;

	for (i = 0; i < TMPL_FIELD_COUNT; i++) {
		const struct tmpl_field *f = &tmpl_fields[i];

		if (f->kind == TMPL_KIND_DIST)
			dist_release(tmpl_field_at(f, c));
		else if (f->kind == TMPL_KIND_CRASH)
			dist_release(&((struct crash_config *)
				       tmpl_field_at(f, c))->after);
	}
}
