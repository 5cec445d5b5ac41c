/* rs_index.h - each ReplicaSet's active pods, indexed for the deletion
 * ranking (docs/kubernetes.md §4, "How rollsim picks them").
 *
 * A scale-down deletes the first pods of the ranking of
 * controller_utils.go ActivePodsWithRanks. Searching all of a
 * ReplicaSet's pods for each one makes a rollout of n pods cost n^2; this
 * index answers in O(log n) per victim when rules 4 and 5 cannot tell
 * the pods apart, which holds without a cluster: the pod-deletion-cost
 * comes from the template (the same for all pods of a ReplicaSet) and
 * every pod is alone on its node (rank 1).
 *
 * The active pods of a ReplicaSet are split in two:
 *   - not Ready: unscheduled, Pending or Running-not-Ready pods. Rules 1
 *     to 3 put every one of them before every Ready pod. They are kept in
 *     pod-index order (the order of the pod table) and ranked among
 *     themselves by the full comparator, as before;
 *   - Ready, in the order they became Ready (so by Ready time). Among
 *     them rules 1 to 5 tie and rule 6 decides: the smallest
 *     floor(log2(now - readyTime)) first, which is a suffix of that
 *     order, then the smallest UID in it (a segment tree of UIDs).
 * Rule 6 only compares UIDs when the two Ready times differ; pods Ready
 * at the same nanosecond go on to rules 7 and 8, which rs_index.c
 * applies to that run of pods. Where the comparator has a minimum the
 * pick is it, as with the full search; where it has none (it is not
 * transitive across such runs) the pick may differ from the full
 * search's, as an unstable sort's may.
 *
 * Memory: a few words per pod that was active; amortised O(1) upkeep per
 * pod change, O(log n) per victim.
 */
#ifndef RSIM_RS_INDEX_H
#define RSIM_RS_INDEX_H

#include <stdint.h>

#include "sim/core/engine.h"
#include "replicaset.h"

struct world;

struct rs_index {
	int32_t *wait;          /* not Ready: pod indices, ascending; entries
				   of pods no longer there are stale */
	int32_t n_wait, cap_wait, stale_wait;
	int32_t *ready;         /* Ready: pod indices in Ready order */
	sim_time_t *ready_t;    /* their Ready times, nondecreasing */
	uint64_t *tree;         /* 2 * cap_ready: min UID of each subtree,
				   UINT64_MAX for no pod; leaves from
				   cap_ready */
	int32_t n_ready, cap_ready, live_ready;
};

/* Where a pod is in its ReplicaSet's index (struct pod's vx_set). */
enum rs_index_set { RSX_NONE = 0, RSX_WAIT, RSX_READY };

/* The pod was created / became Ready (1) or not Ready (0) / was deleted.
 * Return 0, or -1 when out of memory (the index is then left as it was
 * and the run must stop). */
int rs_index_created(struct world *w, int32_t pod);
int rs_index_ready(struct world *w, int32_t pod, int on);
void rs_index_deleted(struct world *w, int32_t pod);

/* Writes the first m pods of the ranking of rs's active pods at now_ns,
 * with their keys, into out[0..m) (fewer when it has fewer); returns how
 * many. Only for a world without a cluster (see above). -1 when out of
 * memory. */
int32_t rs_index_first(struct world *w, int32_t rs, int32_t m,
		       sim_time_t now_ns, struct rs_victim *out);

void rs_index_free(struct rs_index *x);

#endif
