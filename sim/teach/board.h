/* board.h - the board of `rollsim watch --view board`.
 *
 * One run is recorded first (board_model.c: the simulation is fast), as
 * frames, one per instant at which something the board shows changed:
 * the pods as blocks grouped by version (the image: v1, v2 keep their
 * colour across updates and undo) and state, the bounds of the rolling
 * update, the `kubectl rollout status` line, the controller's last
 * decision. Then the frames are printed as a transcript (board_plain.c)
 * or replayed on a terminal (board_term.c, drawn by board_draw.c).
 */
#ifndef RSIM_BOARD_H
#define RSIM_BOARD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "models/world.h"
#include "sim/core/err.h"
#include "sim/core/strbuf.h"

/* A pod's state on the board, from kubectl's STATUS and READY. */
enum board_state {
	BOARD_READY = 0,      /* Running, every container ready */
	BOARD_RUNNING,        /* Running, not ready (starting, probe) */
	BOARD_PENDING,        /* Pending, ContainerCreating: not running */
	BOARD_FAILING,        /* CrashLoopBackOff, ErrImagePull, Error... */
	BOARD_TERMINATING,    /* being deleted, not gone yet */
	BOARD_NSTATES
};

/* Versions of a group when the run gave no pods (on_pod), only counts:
 * the old ReplicaSets' pods and the new ReplicaSet's. */
#define BOARD_OLD (-1)
#define BOARD_NEW (-2)

/* The pods of one version (an image index, or BOARD_OLD / BOARD_NEW) in
 * one frame, by state; with a progressive strategy one group per
 * version and role (the side of their ReplicaSets). */
struct board_group {
	int32_t version;
	uint32_t role;                 /* text: "stable", "canary", "active",
					  "preview", "primary"; "" none */
	int32_t n[BOARD_NSTATES];
};

/* A progressive strategy's state in a frame (on 0 for a Deployment):
 * the Deployment view's progressive fields (world_deploy_view). */
struct board_prog {
	int on;
	int32_t weight;                /* percent meant for the canary side */
	int32_t step, n_steps;         /* Argo's currentStepIndex, steps; -1 */
	int32_t stable_version;        /* the sides' versions, -1 none */
	int32_t canary_version;
	uint32_t stable_rs, canary_rs; /* their ReplicaSets' names (texts) */
	uint32_t stable_role, canary_role;  /* texts */
};

struct board_frame {
	sim_time_t t_ns;               /* the instant */
	struct world_counts counts;    /* as timeline.csv at t_ns */
	enum strategy_type strategy;   /* spec at t_ns */
	int32_t replicas;              /* spec.replicas */
	int32_t surge;                 /* resolved maxSurge */
	int32_t unavailable;           /* resolved maxUnavailable */
	struct intstr max_surge;       /* as written: 1 or 25% */
	struct intstr max_unavailable;
	uint32_t g0, ng;               /* its groups: groups[g0 .. g0+ng) */
	uint32_t status;               /* rollout status line (text offset) */
	uint32_t decision;             /* last ScalingReplicaSet messages,
					  one per line */
	uint32_t why;                  /* last decisions of the Deployment
					  controller explained, per line */
	int decided;                   /* a controller decision at t_ns */
	struct board_prog prog;        /* canary, blueGreen, Flagger */
};

/* One second of traffic: [t_ns, t_ns + 1 s). */
struct board_tick {
	sim_time_t t_ns;
	uint64_t requests;             /* arrivals */
	uint64_t errors;               /* outcomes other than ok */
};

/* A recorded run. Texts live in one pool; offset 0 is "". */
struct board_run {
	const struct world_config *cfg;  /* borrowed */
	struct board_frame *frames;
	size_t n_frames;
	struct board_group *groups;
	size_t n_groups;
	struct board_tick *ticks;
	size_t n_ticks;
	char *text;
	size_t text_len;
	int per_pod;                   /* groups from on_pod, else counts */
	int has_status;                /* the run reported the Deployment */
	int has_why;                   /* the run explained decisions */
};

/* Runs cfg once and records it into *r (which release frees).
 * Returns 0 or an RSIM_E* code with err filled. */
int board_record(const struct world_config *cfg, struct board_run *r,
		 struct rsim_error *err);
void board_run_release(struct board_run *r);

/* board_record in two halves, for tests that feed the observer views
 * of their own: board_rec_open fills *obs (the observer the run is
 * given) and *out; board_rec_close ends the last instant and frees the
 * recorder (0, or an RSIM_E* code with err filled and r released). */
struct board_rec;
int board_rec_open(const struct world_config *cfg, struct board_run *r,
		   struct world_observer *obs, struct board_rec **out);
int board_rec_close(struct board_rec *b, struct rsim_error *err);

/* The text at offset off of r's pool. */
const char *board_text(const struct board_run *r, uint32_t off);
/* The frame shown at t: the last one at or before t (the first if t
 * precedes them all). r has at least one frame. */
size_t board_frame_at(const struct board_run *r, sim_time_t t_ns);
/* The first frame after t with a controller decision, or -1. */
long board_next_decision(const struct board_run *r, sim_time_t t_ns);
/* The last second of traffic that ended by t, or NULL. */
const struct board_tick *board_tick_at(const struct board_run *r,
				       sim_time_t t_ns);
/* "v1" (image 0) .. or "old", "new" (counts only); buf of 16 bytes. */
const char *board_version_label(int32_t version, char *buf, size_t n);
/* The image name of a version, "" for BOARD_OLD / BOARD_NEW. */
const char *board_version_image(const struct board_run *r,
				int32_t version);
/* The letter of a state in the transcript: # o . ! x */
char board_state_char(enum board_state s);
/* Its name in the legend: "ready", "not ready", ... */
const char *board_state_name(enum board_state s);

/* The progressive strategies' lines of a frame (board_prog.c): up to
 * max of them into out, each a label ("weight", "step", "services")
 * and its text; returns how many (0 for a Deployment). */
#define BOARD_PROG_LINES 3
struct board_prog_line {
	const char *label;
	char text[240];
};
int board_prog_lines(const struct board_run *r, const struct board_frame *f,
		     struct board_prog_line *out, int max);
/* The label of a group: its role, "old" for a ReplicaSet on no side of
 * a progressive rollout, "" for a Deployment. */
const char *board_group_role(const struct board_run *r,
			     const struct board_frame *f,
			     const struct board_group *g);

/* The transcript: a header, then every frame, no escape codes.
 * Returns 0 or RSIM_EIO (out failed) with err filled. */
int board_print_plain(const struct board_run *r, FILE *out,
		      struct rsim_error *err);

/* What the terminal shows: the frame and the replay's state. */
struct board_view {
	const struct board_run *run;
	sim_time_t now_ns;             /* simulated clock */
	double speed;                  /* simulated s per wall s */
	int paused;
	int ended;                     /* the clock reached the end */
	int utf8;                      /* block characters, else ASCII */
	const char *note;              /* a one-time message, or NULL */
};

/* Draws v on a rows x cols screen into buf (escape codes included):
 * every line cleared to its end, the rest of the screen cleared. */
int board_draw(const struct board_view *v, int rows, int cols,
	       struct strbuf *buf);

/* Replays r on the terminal at speed (simulated s per wall s) until q,
 * SIGINT or SIGTERM, and restores the terminal. Returns 0 (q), 128 +
 * the signal, or an RSIM_E* code with err filled. */
int board_term_run(const struct board_run *r, double speed, FILE *out,
		   struct rsim_error *err);

#endif
