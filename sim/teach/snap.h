/* snap.h - the objects kubectl reads, as stored at one simulated time:
 * the Deployment, its ReplicaSets and the Deployment's events until then
 * (get rs, get deployment, describe, history). One run of the scenario
 * fills it through the observer hooks; later changes are ignored.
 */
#ifndef RSIM_TEACH_SNAP_H
#define RSIM_TEACH_SNAP_H

#include "teach_impl.h"

#define SNAP_NAME_MAX 96
#define SNAP_TEXT_MAX 512

/* A ReplicaSet as last seen (its strings copied). */
struct snap_rs {
	char name[SNAP_NAME_MAX];
	char role[16];               /* progressive strategies' side, "" */
	struct world_rs_view v;      /* v.name, v.role point at the copies */
};

/* One event of the Deployment, repeats folded in as the API server's
 * event correlator does (same type, reason and message: count + 1). */
struct snap_event {
	char type[16], reason[48], message[SNAP_TEXT_MAX];
	sim_time_t first_ns, last_ns;
	int32_t count;
};

struct teach_snap {
	sim_time_t at_ns;            /* the time of the snapshot */
	int have_deploy;
	struct world_deploy_view d;  /* strings point at the copies below */
	struct deploy_config spec;   /* the spec then (borrows cfg's dists) */
	char name[SNAP_NAME_MAX], progressing[64], available[64],
	     new_rs[SNAP_NAME_MAX];
	/* the progressive fields' strings (struct world_deploy_view) */
	char strategy[32], stable_rs[SNAP_NAME_MAX], canary_rs[SNAP_NAME_MAX],
	     stable_role[16], canary_role[16], phase[32],
	     message[SNAP_TEXT_MAX];
	struct snap_rs *rs;          /* in creation order */
	int32_t n_rs, cap_rs;
	struct snap_event *ev;       /* in order of their first time */
	int32_t n_ev, cap_ev;
	int error;                   /* RSIM_ENOMEM met while recording */
};

/* Runs cfg and fills s with what is stored at at_ns (at_ns past the end
 * of the run: the end). Returns 0 or an RSIM_E* code with err filled;
 * release s with teach_snap_release either way. */
int teach_snap_take(const struct teach_args *a, const struct world_config *cfg,
		    sim_time_t at_ns, struct teach_snap *s,
		    struct rsim_error *err);
void teach_snap_release(struct teach_snap *s);

/* The ReplicaSets that exist (not deleted by the history cleanup), in
 * creation order: fills idx (room for s->n_rs) and returns their count. */
int32_t teach_snap_live_rs(const struct teach_snap *s, int32_t *idx);

/* The cells of a kubectl get rs row for v at t_ns (AGE frozen then). */
void get_rs_row(const struct world_rs_view *v, sim_time_t t_ns,
		char cells[5][96]);

#endif
