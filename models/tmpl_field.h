/* tmpl_field.h - the one list of the pod template's fields.
 *
 * Every field of struct image_config that a Deployment may set over its
 * image (the scenario's deployment-level keys, `apply` patches, a
 * manifest) has one row here: its key as written in a scenario, its
 * TMPL_* bit, how its value is stored and read (kind), and where it is.
 * Applying overrides, comparing templates, hashing them for the
 * ReplicaSet name and releasing what they own all walk this table, and
 * the loader (sim/scenario/scenario_deploy.c) walks it to read the keys, so a
 * field added here is read, applied, compared and hashed everywhere.
 * Add a field: a TMPL_* bit in pod.h (bump TMPL_FIELD_COUNT), a row in
 * tmpl_field.c (a static assertion checks the count), its reader in the
 * loader if its kind is new. Non-goal: the image's name (it is not a
 * template field that a Deployment overrides).
 */
#ifndef RSIM_TMPL_FIELD_H
#define RSIM_TMPL_FIELD_H

#include <stddef.h>
#include <stdint.h>

#include "pod.h"

/* How a field is stored (and written in a scenario). */
enum tmpl_kind {
	TMPL_KIND_DIST = 0,    /* struct dist: a duration or a distribution */
	TMPL_KIND_PROBE,       /* struct probe_config: an object or null */
	TMPL_KIND_SECONDS,     /* sim_time_t: whole seconds >= min */
	TMPL_KIND_DURATION,    /* sim_time_t: a non-negative duration */
	TMPL_KIND_INT,         /* int32_t >= min */
	TMPL_KIND_BOOL,        /* int: true (1) or false (0) */
	TMPL_KIND_PROBABILITY, /* double: a number from 0 to 1 */
	TMPL_KIND_CRASH,       /* struct crash_config: an object or null */
	TMPL_KIND_REQUESTS,    /* int64_t cpu_milli, then memory_bytes */
	TMPL_KIND_PULL_POLICY, /* enum pull_policy: a string */
	TMPL_KIND_WARMUP,      /* struct warmup_config: an object or null */
	TMPL_KIND_QUEUE,       /* int32_t: >= 0 or QUEUE_UNLIMITED */
	TMPL_KIND_RATE,        /* double: a probability, 0 by default */
	TMPL_KIND_FACTOR       /* double: > 0, 1 by default */
};

struct tmpl_field {
	const char *key;       /* as in an image object ("livenessProbe") */
	uint32_t bit;          /* TMPL_* */
	enum tmpl_kind kind;
	size_t offset;         /* of the field in struct image_config */
	size_t size;           /* bytes at offset (REQUESTS: both fields) */
	int32_t min;           /* TMPL_KIND_SECONDS and TMPL_KIND_INT */
	const char *probe;     /* TMPL_KIND_PROBE: "liveness" or "startup"
				  when successThreshold must be 1 (core/v1
				  validation), else NULL */
};

/* The rows, in the order a scenario's keys are read (the first error
 * wins): TMPL_FIELD_COUNT of them, one per TMPL_* bit. */
extern const struct tmpl_field tmpl_fields[TMPL_FIELD_COUNT];

/* The row of key, or NULL. */
const struct tmpl_field *tmpl_field_find(const char *key);

/* The field of c that f describes. */
void *tmpl_field_at(const struct tmpl_field *f, struct image_config *c);
const void *tmpl_field_at_const(const struct tmpl_field *f,
				const struct image_config *c);

/* 1 when a and b hold the same value of field f (deep: a distribution's
 * samples, every member of a probe; a probe that is off equals any other
 * probe that is off, whatever its timings). */
int tmpl_field_equal(const struct tmpl_field *f, const struct image_config *a,
		     const struct image_config *b);

/* FNV-32a continued from h over every field of c, each as its key and a
 * fixed-width little-endian encoding of its value (the same on every
 * platform; equal fields hash alike). A RATE or FACTOR field at its
 * default (0, 1) is left out, key and value, as the API server leaves
 * an empty field out of the object it hashes (omitempty): templates that
 * do not set those keys keep the ReplicaSet names they had before the
 * keys existed. */
uint32_t tmpl_fields_hash(uint32_t h, const struct image_config *c);

#endif
