/* replicaset.h - the ReplicaSet controller's pure rules.
 *
 * Which pod a ReplicaSet deletes first (docs/kubernetes.md §4,
 * ActivePodsWithRanks.Less with LogarithmicScaleDown, on by default since
 * v1.22), and the template hash that names ReplicaSets. The controller
 * itself (create / delete to match spec.replicas) is in replicaset.c.
 */
#ifndef RSIM_REPLICASET_H
#define RSIM_REPLICASET_H

#include <stdint.h>

#include "sim/core/engine.h"

/* What the deletion comparator looks at for one pod. */
struct pod_rank_key {
	int assigned;             /* bound to a node */
	int phase;                /* 0 Pending, 1 Unknown, 2 Running */
	int ready;                /* Ready condition True */
	int32_t deletion_cost;    /* pod-deletion-cost annotation */
	int32_t rank;             /* active related pods on the same node */
	sim_time_t ready_since_ns;/* Ready lastTransitionTime, -1 if none */
	int32_t restarts;         /* max container restart count */
	sim_time_t created_ns;    /* creationTimestamp */
	uint64_t uid;             /* tie-break */
};

/* < 0 when a is deleted before b, > 0 when b goes first, 0 for a full tie
 * (callers then keep a deterministic order, e.g. by uid). now_ns is the
 * instant of sorting (the log2 buckets are ages). */
int rs_delete_order(const struct pod_rank_key *a,
		    const struct pod_rank_key *b, sim_time_t now_ns);

/* The rule of the list above (1-8) that orders a and b, and that order
 * in *order (as rs_delete_order returns it); 0 for a full tie. */
int rs_delete_rule(const struct pod_rank_key *a, const struct pod_rank_key *b,
		   sim_time_t now_ns, int *order);

/* One deletion candidate: its key and pod index (the final tie-break). */
struct rs_victim {
	struct pod_rank_key key;
	int32_t pod;
};

/* rs_delete_order, then the pod index. */
int rs_victim_cmp(const struct rs_victim *a, const struct rs_victim *b,
		  sim_time_t now_ns);

/* Orders the first m of the k candidates v[] (the rest in any order):
 * v[i] becomes the first of v[i..k) by rs_delete_order, then pod index.
 * Where that comparator has a minimum on v[i..k) it is v[i]; where it is
 * not transitive (rules 6 and 8 compare UIDs only across different
 * times) the pick is one an unstable sort could make, fixed by the
 * candidates' order. O(k) per picked pod. */
void rs_rank_victims(struct rs_victim *v, int32_t k, int32_t m,
		     sim_time_t now_ns);

struct world;

/* The ranking key of pod (rules 1-8 of the list above). */
void rs_rank_key(const struct world *w, int32_t pod, struct pod_rank_key *k);

/* floor(log2(age_ns)) for age_ns >= 1; 0 for age_ns <= 0. */
int rs_log2_bucket(sim_time_t age_ns);

#endif
