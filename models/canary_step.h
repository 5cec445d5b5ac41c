/* canary_step.h - the arithmetic of Argo Rollouts' basic canary (no
 * traffic routing), without a world: fenceposts, the desired weight, the
 * replica targets of a weight, the replica counts one reconcile asks for,
 * and how far old ReplicaSets are scaled down. canary.c runs these on
 * the live ReplicaSets; the conformance tests call them directly
 * (docs/progressive.md §1 names the upstream function of each).
 */
#ifndef RSIM_CANARY_STEP_H
#define RSIM_CANARY_STEP_H

#include <stddef.h>
#include <stdint.h>

#include "intstr.h"
#include "progressive.h"

/* A ReplicaSet as the canary arithmetic reads it; NULL = none. */
struct canary_rs {
	int32_t spec;                /* spec.replicas */
	int32_t available;           /* status.availableReplicas */
	int32_t replicas;            /* status.replicas */
};

/* utils/replicaset/replicaset.go MaxSurge / MaxUnavailable over the
 * deprecated intstr rule (a percentage rounds up for surge, down for
 * unavailable; both 0 -> unavailable 1; unavailable capped at n and 0
 * when n is 0). */
int32_t canary_max_surge(int32_t n, struct intstr ms, struct intstr mu);
int32_t canary_max_unavailable(int32_t n, struct intstr ms,
			       struct intstr mu);

/* utils/replicaset/canary.go GetCurrentSetWeight: 0 when aborted, 100
 * past the last step or without steps, else the latest setWeight at or
 * before step (0 if none). */
int32_t canary_set_weight(const struct canary_config *c, int32_t step,
			  int aborted);

/* GetCanaryReplicasOrWeight for the basic canary: 100 when a full
 * promotion is requested, when there is no stable ReplicaSet or the
 * stable one is the current one (stable_is_current), else
 * canary_set_weight. */
int32_t canary_desired_weight(const struct canary_config *c, int32_t step,
			      int aborted, int promote_full, int has_stable,
			      int stable_is_current);

/* approximateWeightedCanaryStableReplicaCounts(n, weight, surge): the
 * (canary, stable) targets closest to weight, summing to n or n + 1. */
void canary_targets(int32_t n, int32_t weight, int32_t surge,
		    int32_t *canary, int32_t *stable);

/* GetReplicasForScaleDown (rs may be NULL: 0). */
int32_t canary_replicas_for_scale_down(const struct canary_rs *rs,
				       int ignore_availability);

/* The inputs of CalculateReplicaCountsForBasicCanary. newrs and stable
 * may be NULL; stable_is_new says they are the same ReplicaSet
 * (CheckStableRSExists is then false). */
struct canary_calc_in {
	int32_t replicas;            /* spec.replicas */
	int32_t weight;              /* canary_desired_weight */
	int32_t surge, unavailable;  /* canary_max_surge / _unavailable */
	const struct canary_rs *newrs, *stable;
	int stable_is_new;
	int32_t older_spec;          /* sum of spec over the other RSs */
};

/* CalculateReplicaCountsForBasicCanary (with calculateScaleDownReplica
 * Count and adjustReplicaWithinLimits): the spec the new and the stable
 * ReplicaSet should have after this reconcile. */
void canary_basic_counts(const struct canary_calc_in *in, int32_t *newc,
			 int32_t *stablec);

/* AtDesiredReplicaCountsForCanary for the basic canary: the new
 * ReplicaSet has spec and available equal to this reconcile's count, the
 * stable has spec and status.replicas equal to its count, and the other
 * ReplicaSets have no available replica (older_available 0). */
int canary_at_desired(const struct canary_calc_in *in,
		      int32_t older_available);

/* An old ("other") ReplicaSet for scaleDownOldReplicaSetsForCanary. */
struct canary_old {
	int32_t spec, available, revision;
};

/* rollout/canary.go scaleDownOldReplicaSetsForCanary for the basic
 * canary: old[] in creation order (oldest first) get their new spec.
 * Unhealthy replicas first (cleanupUnhealthyReplicas: each old RS down to
 * its available count), then newest revision first by at most
 * all_available - (replicas - unavailable), all_available being summed
 * over every ReplicaSet before this call. Returns the replicas removed. */
int32_t canary_scale_down_old(struct canary_old *old, int32_t n_old,
			      int32_t replicas, int32_t unavailable,
			      int32_t all_available);

/* The text of a step for "Rollout step %d/%d completed (%s)"
 * (utils/rollout/rolloututil.go CanaryStepString). */
void canary_step_string(const struct canary_step *s, char *buf, size_t n);

#endif
