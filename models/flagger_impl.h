/* flagger_impl.h - the parts of Flagger's model shared by flagger.c (the
 * analysis ticker, pkg/controller/scheduler.go) and flagger_primary.c
 * (the two Deployments it drives, pkg/canary/deployment_controller.go).
 */
#ifndef RSIM_FLAGGER_IMPL_H
#define RSIM_FLAGGER_IMPL_H

#include <stddef.h>
#include <stdint.h>

struct world;

/* status.phase (pkg/apis/flagger/v1beta1/status.go CanaryPhase); the run
 * starts Initialized (docs/progressive.md §3). */
enum flagger_phase {
	FLAGGER_INITIALIZED = 0,
	FLAGGER_PROGRESSING,
	FLAGGER_PROMOTING,
	FLAGGER_FINALISING,
	FLAGGER_SUCCEEDED,
	FLAGGER_FAILED
};

/* One step of each Deployment's own controller: NAME-primary (owner 1)
 * towards primary_replicas of primary_tmpl, the target (owner 0) towards
 * target_replicas of its template; 1 when a ReplicaSet was scaled. */
int flagger_reconcile(struct world *w);
/* isDeploymentReady for the Deployment owner (0 target, 1 primary) whose
 * template is tmpl and spec.replicas replicas: 1 ready, else 0 with
 * upstream's "waiting for rollout to finish: ..." in msg. */
int flagger_deploy_ready(const struct world *w, int owner, int32_t tmpl,
			 int32_t replicas, char *msg, size_t n);
/* NAME-primary's ReplicaSet of its current template, -1 if none. */
int32_t flagger_primary_rs(const struct world *w);
/* Active pods of the target Deployment's ReplicaSets. */
int32_t flagger_target_pods(const struct world *w);

#endif
