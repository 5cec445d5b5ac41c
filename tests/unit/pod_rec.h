/* pod_rec.h - the recorder and world builders shared by the pod unit tests
 * (test_pod_cluster.c, test_pod_probes.c, test_pod_termination.c).
 *
 * rec_run_world runs a whole world (world_new / world_run) with a struct
 * rec as its observer: every on_event (time, reason, object, message) and
 * every on_counts (time, counts) and every on_pod (the pod view) is kept
 * in call order, to be searched
 * afterwards. Lookups take NULL for "any object" / "any message". Nothing
 * here is fallible for the caller: running out of memory or a world that
 * does not build or run ends the test through a Criterion assertion.
 * Non-goal: checking anything about the model; the tests do that.
 */
#ifndef RSIM_TEST_POD_REC_H
#define RSIM_TEST_POD_REC_H

#include <stddef.h>

#include "models/world.h"
#include "sim/core/engine.h"

#define REC_MAX_TIMES 32     /* instants rec_expect_times compares */
#define REC_OBJECT_LEN 128   /* "pod/NAME", "node/NAME" */

struct rec_event {
	sim_time_t t;
	char reason[40];
	char object[REC_OBJECT_LEN];
	char message[256];
};

/* One on_pod call. */
struct rec_pod {
	sim_time_t t;
	char name[REC_OBJECT_LEN];
	char rs[REC_OBJECT_LEN];
	char node[64];
	char status[32];
	char change[32];
	int32_t revision, ready, containers, restarts;
	sim_time_t created_ns, last_exit_ns;
	int deleted;
};

struct rec_counts {
	sim_time_t t;
	struct world_counts c;
};

/* Caller's storage: filled by rec_run_world, emptied by rec_free. */
struct rec {
	struct rec_event *ev;        /* on_event calls, in order */
	size_t n_ev, cap_ev;
	struct rec_counts *cn;       /* on_counts calls, in order */
	size_t n_cn, cap_cn;
	struct rec_pod *pv;          /* on_pod calls, in order */
	size_t n_pv, cap_pv;
};

/* Runs cfg to its end with r (overwritten, free it with rec_free) as the
 * observer, stores the final metrics in m and releases cfg. row names
 * the case in failure messages. */
void rec_run_world(struct world_config *cfg, struct rec *r,
		   struct world_metrics *m, const char *row);
void rec_free(struct rec *r);

/* 1 when e has this reason, object (NULL: any) and a message containing
 * msg_sub (NULL: any). */
int rec_match(const struct rec_event *e, const char *reason,
	      const char *object, const char *msg_sub);
/* The instants of the matching events, in order; returns how many match
 * (only the first max are stored in out). */
int rec_times(const struct rec *r, const char *reason, const char *object,
	      const char *msg_sub, sim_time_t *out, int max);
/* The instant of the first matching event, -1 when there is none. */
sim_time_t rec_first(const struct rec *r, const char *reason,
		     const char *object, const char *msg_sub);
/* Expects the instants of the matching events to be exactly want[0..n_want)
 * (compared as "%.3f" seconds; the first REC_MAX_TIMES at most). */
void rec_expect_times(const struct rec *r, const char *row,
		      const char *reason, const char *object,
		      const char *msg_sub, const sim_time_t *want, int n_want);

/* The pods in creation order as "pod/NAME" objects (from the
 * SuccessfulCreate events); stores at most max, returns how many stored. */
int rec_pods_created(const struct rec *r, char (*obj)[REC_OBJECT_LEN],
		     int max);
/* The first pod created, "pod/NAME", into obj[cap]; 0 when none. */
int rec_first_pod(const struct rec *r, char *obj, size_t cap);

/* t in seconds for messages; -1 stays -1 (never). */
double rec_secs(sim_time_t t);
/* "3.000 5.000 ..." into buf[cap]. */
void rec_fmt_times(const sim_time_t *t, int n, char *buf, size_t cap);

/* One image app:1 (pull 2 s, containerStart 1 s, startup 0: the container
 * runs from 3 s), one replica, no cluster, until until_ns; cfg is
 * initialised here and released by rec_run_world. */
void rec_one_pod_config(struct world_config *cfg, const char *name,
			sim_time_t until_ns);
/* Appends an event at at_ns (cfg->events is realloc'ed, released with
 * cfg) with a default patch template; the caller fills the rest. */
struct world_event *rec_add_event(struct world_config *cfg, sim_time_t at_ns,
				  enum world_action a);

#endif
