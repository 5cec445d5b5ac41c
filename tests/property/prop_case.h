/* prop_case.h - helpers shared by the property tests over random worlds
 * (test_invariants.c, test_pod_props.c, test_operations.c).
 *
 * What the three files do alike: derive each case's own seed from a base
 * seed, describe the case in a fixed buffer (printed on failure), resolve
 * maxSurge / maxUnavailable with the test's own copy of the rule of
 * docs/kubernetes.md §1, order events by time, and note the first of the
 * violations an observer finds. Non-goals: drawing images or events (each
 * file draws its own kind of case) and checking the properties.
 */
#ifndef RSIM_TEST_PROP_CASE_H
#define RSIM_TEST_PROP_CASE_H

#include <stddef.h>
#include <stdint.h>

#include "models/deployment.h"
#include "models/intstr.h"
#include "models/world.h"
#include "sim/core/engine.h"

/* The seed of case idx, printed with the case so that it can be rerun. */
uint64_t prop_case_seed(uint64_t base_seed, int idx);

/* Appends printf-style text to buf[cap] at used (nothing once full);
 * returns the new used (which may pass cap when the text was cut). */
size_t prop_desc_add(char *buf, size_t used, size_t cap, const char *fmt,
		     ...) __attribute__((format(printf, 4, 5)));

/* An absolute 0..r or a percentage 0..100, half and half (draws from *s). */
struct intstr prop_rand_intstr(uint64_t *s, int32_t r);

/* docs/kubernetes.md §1, written again (not the code under test): surge
 * rounds up, unavailable down, both 0 -> unavailable 1, unavailable
 * clamped to R (0 when R is 0); Recreate: both 0. */
void prop_ref_resolve(enum strategy_type st, int32_t r, struct intstr ms,
		      struct intstr mu, int32_t *surge, int32_t *unav);

/* qsort comparator: world_events by at_ns. */
int prop_event_cmp(const void *a, const void *b);

/* Runs cfg with obs to the end; asserts that the world builds ("DESC:
 * world_new returned RC"), fills m and returns world_run's result for the
 * caller to check. cfg stays the caller's. */
int prop_run_world(const struct world_config *cfg,
		   const struct world_observer *obs, const char *desc,
		   struct world_metrics *m);

/* The violations an observer found: how many, and the first one. */
struct prop_violations {
	int n;
	char first[768];     /* "t=SECONDSs: what" */
};

/* Counts one violation at t; the first one's text is kept. */
void prop_violation(struct prop_violations *v, sim_time_t t,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
