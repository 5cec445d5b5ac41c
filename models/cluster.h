/* cluster.h - nodes, their capacity, and the scheduler.
 *
 * A scenario's `cluster` gives nodes (a count, or a list with cpu, memory
 * and maxPods each). The scheduler binds a pending pod to a node that is
 * not cordoned and has room for the pod's requests and one more pod,
 * preferring the least allocated node as the default scheduler's
 * NodeResourcesFit (LeastAllocated) scoring tends to; ties go to the node
 * with fewer pods, then the lower index. A pod that fits nowhere stays
 * Pending (FailedScheduling) and is retried whenever room frees up.
 * Without `cluster` the capacity is unlimited and every pod lands on a
 * fresh node of its own (so every pod pulls its image).
 */
#ifndef RSIM_CLUSTER_H
#define RSIM_CLUSTER_H

#include <stdint.h>

#include "sim/core/dist.h"

#define NODE_NAME_MAX 64

struct node_config {
	char name[NODE_NAME_MAX];  /* "node-1" */
	int64_t cpu_milli;         /* allocatable cpu in millicores, 0 = no
				      limit */
	int64_t memory_bytes;      /* allocatable memory, 0 = no limit */
	int32_t max_pods;          /* pods the node accepts (default 110) */
};

struct cluster_config {
	int enabled;               /* 0: unlimited, a node per pod */
	struct node_config *nodes; /* owned */
	int32_t n_nodes;
	struct dist scheduling;    /* scheduling latency (default 0) */
};

/* Defaults: disabled (no nodes), scheduling latency 0. */
void cluster_config_defaults(struct cluster_config *c);
void cluster_config_release(struct cluster_config *c);

/* Resource requests of a pod (per image). */
struct pod_requests {
	int64_t cpu_milli;         /* requests.cpu in millicores */
	int64_t memory_bytes;      /* requests.memory in bytes */
};

/* The runtime state of one node. */
struct node_state {
	int64_t cpu_used, mem_used;  /* requests of pods bound here */
	int32_t pods;                /* pods bound and not gone */
	int32_t active;              /* of those, not terminating (rank) */
	int cordoned;                /* unschedulable (drain) */
	int draining;                /* kubectl drain in progress */
	engine_handle drain_timer;   /* next eviction attempt */
};

/* Index of the node the scheduler picks for req among n nodes, or -1 if
 * none fits. st[i] is node i's state, cfg[i] its capacity. */
int32_t cluster_pick(const struct node_config *cfg,
		     const struct node_state *st, int32_t n,
		     const struct pod_requests *req);

/* Why no node fits, in the scheduler's words: "0/3 nodes are available:
 * 2 Insufficient cpu, 1 node(s) were unschedulable." */
void cluster_why_unschedulable(const struct node_config *cfg,
			       const struct node_state *st, int32_t n,
			       const struct pod_requests *req, char *buf,
			       unsigned long len);

#endif
