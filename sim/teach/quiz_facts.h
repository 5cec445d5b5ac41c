/* quiz_facts.h - what `rollsim quiz` needs to know about a scenario: one
 * run's narrative, its first rollout and first scaling step, and the
 * failed requests of replications (quiz_facts.c). */
#ifndef RSIM_QUIZ_FACTS_H
#define RSIM_QUIZ_FACTS_H

#include "narrative.h"
#include "teach.h"

#define QUIZ_REPLICATIONS 10

struct quiz_scale {            /* a ScalingReplicaSet event */
	sim_time_t t_ns;
	int up;
	long to;
};

struct quiz_facts {
	struct narrative n;        /* first: the observer's ctx */
	struct quiz_scale *scales;
	int32_t n_scales, cap_scales;
	struct world_rollout first;   /* the first rollout */
	int has_rollout;
	int32_t max_total;         /* pods incl. terminating, in the window */
	int traffic;
	double failed[QUIZ_REPLICATIONS]; /* failed requests of the first
					     rollout, by replication */
};

/* Runs cfg (replication 0 observed, then the others when it has
 * traffic). Returns 0 or an RSIM_E* code with err filled. */
int quiz_facts_gather(const struct world_config *cfg, const char *label,
		      struct quiz_facts *f, struct rsim_error *err);
void quiz_facts_release(struct quiz_facts *f);
/* The first scaling step at or after the first rollout's trigger, or
 * NULL. */
const struct quiz_scale *quiz_first_step(const struct quiz_facts *f);

#endif
