/* deployment.h - the Deployment controller (RollingUpdate and Recreate).
 *
 * The arithmetic is exposed as pure functions over replica counts so that
 * the conformance tests (tests/conformance/) can check it case by case;
 * deployment.c applies it to the live ReplicaSets. "§N" below is a
 * section of docs/kubernetes.md.
 */
#ifndef RSIM_DEPLOYMENT_H
#define RSIM_DEPLOYMENT_H

#include <stddef.h>
#include <stdint.h>

#include "sim/core/engine.h"
#include "intstr.h"
#include "pod.h"
#include "progressive.h"

#define DEPLOY_NAME_MAX 64
#define CONTAINER_NAME_MAX 64            /* a DNS-1123 label and its NUL */

/* progressDeadlineSeconds = MaxInt32 means "no deadline": no Progressing
 * condition is kept and no deadline is estimated (deployment_util.go
 * HasProgressDeadline). */
#define DEPLOY_NO_DEADLINE_NS ((sim_time_t)INT32_MAX * SIM_NS_PER_S)

/* The most replicas a Deployment may ask for (the loader refuses more in
 * the scenario, its manifest, apply and scale): every pod lives in
 * memory (a few hundred bytes) and a rollout of this many runs in
 * seconds. */
#define DEPLOY_REPLICAS_MAX 100000
/* The most pods the ReplicaSets of one Deployment may be scaled to in
 * all. Proportional scaling grows them to replicas + maxSurge, which a
 * huge maxSurge makes huge: asking for more stops the run (RSIM_EINPUT). */
#define DEPLOY_PODS_MAX 1000000

/* A bound on steps per sync; each step changes a spec, so a correct
 * controller converges long before it (asserted in tests). Reaching it
 * is a bug, reported as RSIM_EINTERNAL. */
#define DEPLOY_MAX_STEPS 100000

enum strategy_type {
	STRATEGY_ROLLING_UPDATE = 0,
	STRATEGY_RECREATE,
	STRATEGY_CANARY,             /* Argo Rollouts canary (basic) */
	STRATEGY_BLUE_GREEN,         /* Argo Rollouts blueGreen */
	STRATEGY_FLAGGER             /* Flagger canary with traffic routing */
};

/* "RollingUpdate", "Recreate", "Canary", "BlueGreen", "Flagger": the
 * strategy's name in summary.json, runs.csv and the views. */
const char *deploy_strategy_name(enum strategy_type st);
/* 1 for the progressive strategies (canary, blueGreen, Flagger). */
int deploy_strategy_progressive(enum strategy_type st);

/* A PodDisruptionBudget over the Deployment's pods: limits evictions
 * (drainNode), never the rollout itself. */
struct pdb_config {
	int enabled;
	int use_min_available;           /* 1: minAvailable, 0: maxUnavailable */
	struct intstr min_available;     /* pods or percent of replicas */
	struct intstr max_unavailable;
};

struct deploy_config {
	char name[DEPLOY_NAME_MAX];  /* metadata.name */
	int32_t replicas;                /* spec.replicas */
	sim_time_t min_ready_ns;         /* minReadySeconds */
	sim_time_t progress_deadline_ns; /* progressDeadlineSeconds */
	int32_t revision_history_limit;  /* revisionHistoryLimit */
	enum strategy_type strategy;     /* strategy.type */
	struct intstr max_surge;         /* rollingUpdate.maxSurge */
	struct intstr max_unavailable;   /* rollingUpdate.maxUnavailable */
	int image;                       /* index into the scenario's images */
	struct pod_overrides tmpl;       /* template fields set over the
					    image's (deployment-level keys) */
	int paused;                      /* spec.paused */
	struct pdb_config pdb;           /* podDisruptionBudget */
	char container[CONTAINER_NAME_MAX]; /* spec.template.spec.
					    containers[0].name, fixed for
					    the run (events name it) */
	struct prog_config prog;         /* canary, blueGreen, Flagger
					    (progressive.h) */
};

/* Fields of struct deploy_config an `apply` patch may set. */
enum {
	PATCH_REPLICAS = 1u << 0,
	PATCH_MIN_READY = 1u << 1,
	PATCH_PROGRESS_DEADLINE = 1u << 2,
	PATCH_HISTORY_LIMIT = 1u << 3,
	PATCH_STRATEGY_TYPE = 1u << 4,   /* strategy.type */
	PATCH_MAX_SURGE = 1u << 5,       /* strategy.rollingUpdate.maxSurge */
	PATCH_MAX_UNAVAILABLE = 1u << 6, /* ...rollingUpdate.maxUnavailable */
	PATCH_IMAGE = 1u << 7,
	PATCH_PAUSED = 1u << 8
};

/* A partial deployment: the fields whose bit is in mask, and template
 * overrides (v.tmpl, with its own mask) merged over the current ones. */
struct deploy_patch {
	uint32_t mask;                   /* PATCH_* bits */
	struct deploy_config v;
};

/* apps/v1 defaults: 1 replica, RollingUpdate 25%/25%, minReadySeconds 0,
 * progressDeadlineSeconds 600, revisionHistoryLimit 10, image 0; the
 * Deployment and its container are called "app". */
void deploy_config_defaults(struct deploy_config *c);

/* §1 ResolveFenceposts + MaxSurge: the resolved surge (0 for Recreate). */
int32_t deploy_max_surge(enum strategy_type st, int32_t replicas,
			 struct intstr max_surge, struct intstr max_unav);
/* replicas + surge (the most pods a rolling update may have), saturated
 * at INT32_MAX instead of overflowing when maxSurge is huge. */
int32_t deploy_max_total(int32_t replicas, int32_t surge);
/* §1 MaxUnavailable: fencepost-resolved, clamped to replicas; 0 for
 * Recreate or replicas == 0. */
int32_t deploy_max_unavailable(enum strategy_type st, int32_t replicas,
			       struct intstr max_surge,
			       struct intstr max_unav);

/* One ReplicaSet as the rolling arithmetic sees it. */
struct rs_counts {
	int32_t spec;   /* rs.spec.replicas */
	int32_t avail;  /* rs.status.availableReplicas */
	int32_t cleaned; /* out: removed from this RS by
			    cleanupUnhealthyReplicas (each such RS is
			    written once for it, before step 2) */
};

enum rolling_action {
	ROLLING_NONE = 0,
	ROLLING_NEW_UP,     /* new RS scaled up */
	ROLLING_NEW_DOWN,   /* new RS above replicas scaled down to it */
	ROLLING_OLD_DOWN    /* old RSs scaled down */
};

struct rolling_result {
	enum rolling_action action;
	int32_t cleaned;    /* removed by cleanupUnhealthyReplicas */
	int32_t scaled;     /* removed by the availability-based scale-down */
};

/* §2.2 one rolloutRolling pass after the new RS exists: either the new RS
 * is reconciled (§2.4) or old RSs are scaled down (§2.5), never both.
 * old[] is sorted oldest first; spec fields are updated in place. */
struct rolling_result deploy_rolling_step(int32_t replicas, int32_t surge,
					  int32_t unavailable,
					  struct rs_counts *newrs,
					  struct rs_counts *old,
					  size_t n_old);

/* One ReplicaSet as proportional scaling sees it (§3). */
struct rs_scale_in {
	int32_t spec;            /* rs.spec.replicas */
	int32_t avail;           /* status.availableReplicas */
	int32_t desired_annot;   /* desired-replicas annotation, -1 absent */
	int32_t max_annot;       /* max-replicas annotation, -1 absent */
};

/* §3 scale(): new sizes after replicas changed (or while paused). rs[] is
 * in creation order (oldest first), new_idx the new ReplicaSet or -1,
 * status_replicas the Deployment's status.replicas (the fallback
 * denominator). out[i] is the size to write to rs[i] (annotations are
 * rewritten too), or -1 when rs[i] is left alone. Returns the number of
 * ReplicaSets to write. */
int deploy_scale(enum strategy_type st, int32_t replicas, int32_t surge,
		 int32_t status_replicas, const struct rs_scale_in *rs,
		 size_t n, long new_idx, int32_t *out);

/* §2.3 NewRSNewReplicas for RollingUpdate: the size a new RS is born with
 * (or grows to) given the sum of all specs. */
int32_t deploy_new_rs_replicas(int32_t replicas, int32_t surge,
			       int32_t new_spec, int32_t all_spec);

#endif
