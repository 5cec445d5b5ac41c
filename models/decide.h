/* decide.h - the models' decisions in words, for `rollsim explain`.
 *
 * A model that decides something worth teaching (a scale step and its
 * arithmetic, a pod chosen for deletion and the rule that chose it, a
 * probe result, a signal, an endpoint change) hands one line to the
 * world's on_decision observer. The text is built only when an observer
 * is set: call sites test decide_on() first, so a run without one pays
 * one pointer test per decision point.
 */
#ifndef RSIM_DECIDE_H
#define RSIM_DECIDE_H

#include <stddef.h>

#include "deployment.h"
#include "world.h"

struct world;

/* An observer of decisions is set. */
int decide_on(const struct world *w);
/* One decision of who about object ("replicaset/flask-app-..."). */
void decide(struct world *w, enum world_actor who, const char *object,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* How a resolved bound is written. */
enum decide_style {
	DECIDE_COLON = 0,   /* "maxSurge 25% of 5 = 1.25, rounded up: 2" */
	DECIDE_ARROW        /* "maxSurge 25% of 5 = 1.25 -> 2 (rounded up)" */
};

/* docs/kubernetes.md §1 in words: how d's maxSurge and maxUnavailable
 * resolve for d->replicas (percentages, rounding, the both-zero rule, the
 * clamp to replicas; "Recreate: ..." for Recreate). */
void decide_bounds_text(const struct deploy_config *d,
			enum decide_style style, char *buf, size_t n);

/* One field of decide_bounds_text: "maxSurge 25% of 5 = 1.25, rounded
 * up: 2", or for maxUnavailable with the both-zero rule and the clamp
 * appended. */
void decide_field_text(const struct deploy_config *d, int surge,
		       enum decide_style style, char *buf, size_t n);

/* The Deployment controller's steps in words (deploy_explain.c); each
 * is called before the step's writes, only when decide_on(). */
/* A rolling-update step (or its absence: why it waits). newc and old[]
 * hold the sizes after the step, the ReplicaSets (idx[]) still the ones
 * before. */
void explain_rolling(struct world *w, int32_t nr,
		     const struct rs_counts *newc, const struct rs_counts *old,
		     const int32_t *idx, int32_t n,
		     const struct rolling_result *r);
/* The new ReplicaSet is created (its index in w->dep.new_rs), to be born
 * at replicas. */
void explain_new_rs(struct world *w, int32_t replicas);
/* The scaling-only path: in[] the ReplicaSets (idx[]), out[] the sizes
 * to write (-1 left alone). */
void explain_scale(struct world *w, const struct rs_scale_in *in,
		   const int32_t *out, const int32_t *idx, int32_t n,
		   int32_t new_pos);

enum recreate_step {
	RECREATE_OLD_DOWN = 0,  /* old ReplicaSets to 0 */
	RECREATE_WAIT,          /* old pods still exist */
	RECREATE_NEW_UP         /* an existing new ReplicaSet to replicas */
};
void explain_recreate(struct world *w, int32_t nr, enum recreate_step step);
/* Progressing turns False ProgressDeadlineExceeded. */
void explain_deadline(struct world *w);

/* The ReplicaSet controller (rs_explain.c): n pods to create; a pod to
 * delete, the best pod that stays (NULL: none), and n, the number to
 * delete, on the first victim of a sync (0 on the others). */
struct pod_rank_key;
void explain_rs_create(struct world *w, int32_t rs, int32_t n);
void explain_victim(struct world *w, int32_t rs,
		    const struct pod_rank_key *victim, const char *name,
		    const struct pod_rank_key *keep, const char *keep_name,
		    int32_t n);

/* The kubelet and the endpoints (pod_explain.c). kind: enum probe_kind;
 * passed: the published result turned Success. */
struct probe_config;
void explain_probe(struct world *w, int32_t pod, int kind,
		   const struct probe_config *c, int passed);
void explain_ready_at_start(struct world *w, int32_t pod);
/* A deleted pod's stop: SIGTERM after prestop, SIGKILL at kill_at (both
 * from now). */
void explain_stop(struct world *w, int32_t pod, sim_time_t prestop,
		  sim_time_t kill_at);
void explain_sigterm(struct world *w, int32_t pod);
void explain_stopped(struct world *w, int32_t pod, int killed);
/* The pod joins (in) or leaves the endpoints; at[c]: when consumer c
 * learns it. */
void explain_endpoint(struct world *w, int32_t pod, int in,
		      const sim_time_t *at);

/* The user's kubectl command (action_explain.c). */
void explain_action(struct world *w, const struct world_event *e);

/* x / 100 written exactly ("1.25", "0.75", "2.5", "3"). */
void decide_hundredths(long long x, char *buf, size_t n);

#endif
