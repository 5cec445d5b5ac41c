/* narrative.h - the decisions of one run, collected for `rollsim explain`
 * and `rollsim quiz`.
 *
 * narr_observe() returns an observer whose on_decision keeps every
 * decision in order (time, actor, object, text). A Deployment-controller
 * line equal to the controller's previous one is dropped: the controller
 * syncs on every pod change, and "nothing to do" said twice in a row
 * teaches nothing.
 */
#ifndef RSIM_NARRATIVE_H
#define RSIM_NARRATIVE_H

#include <stdio.h>

#include "models/world.h"

struct narr_line {
	sim_time_t t_ns;
	enum world_actor who;
	char *object;       /* "replicaset/flask-app-6b9c7d5f8d" */
	char *text;
};

struct narrative {
	struct narr_line *lines;
	int32_t n, cap;
	int failed;         /* an allocation failed: the list is short */
};

void narr_init(struct narrative *n);
void narr_release(struct narrative *n);
/* An observer that fills n (other callbacks NULL). */
struct world_observer narr_observe(struct narrative *n);

/* "deployment-controller", "kubelet", ... */
const char *narr_actor_name(enum world_actor who);
/* Writes the lines: time (s, 3 decimals), actor, object and text;
 * consecutive lines of one instant show the time once. */
void narr_print(const struct narrative *n, const char *deployment, FILE *out);
/* Index of the first line at or after from that contains needle, by
 * who (any actor when who < 0); -1 when none. */
int32_t narr_find(const struct narrative *n, int32_t from, int who,
		  const char *needle);

#endif
