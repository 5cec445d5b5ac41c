/* prog_impl.h - the inside of the progressive strategies, shared by
 * models/ (included by world_impl.h).
 *
 * Routing (route.c): which ready pods the users' Service sends requests
 * to. A Deployment and Argo's basic canary route to every ready pod of the
 * selector (ROUTE_ALL: the canary gets traffic in proportion to its ready
 * pods). Argo's blueGreen routes the active Service by the
 * rollouts-pod-template-hash selector (ROUTE_SELECTOR: pods of one
 * template). Flagger sets weights on a mesh (ROUTE_WEIGHTED: group 1, the
 * canary's pods, gets `weight` percent of requests, group 0 the rest).
 *
 * The controllers (canary.c, bluegreen.c, flagger.c) run inside the
 * Deployment controller's sync: deployment.c calls prog_once() where a
 * Deployment would run one rolling or recreate step, and prog_complete()
 * where it would judge DeploymentComplete. Their state is below, one
 * struct each; analysis.c measures the new version's requests for them.
 */
#ifndef RSIM_PROG_IMPL_H
#define RSIM_PROG_IMPL_H

#include <stdint.h>

#include "sim/core/engine.h"
#include "sim/core/stats.h"
#include "progressive.h"
#include "traffic.h"

struct world;
struct world_counts;
struct pod;

enum route_mode {
	ROUTE_ALL = 0,               /* every ready pod */
	ROUTE_SELECTOR,              /* ready pods of active_tmpl */
	ROUTE_WEIGHTED               /* weight % to group 1 */
};

#define ROUTE_GROUPS 2               /* 0 stable/primary, 1 canary */

struct route_state {
	enum route_mode mode;
	int32_t active_tmpl;         /* ROUTE_SELECTOR: the active Service's
					template, -1 = none selected yet
					(every pod) */
	int32_t weight;              /* ROUTE_WEIGHTED: percent, 0..100 */
};

/* The two sides of a progressive rollout, for the counts (timeline.csv)
 * and the views: Argo canary's stable and canary ReplicaSets, blueGreen's
 * active and preview, Flagger's primary and canary. */
struct prog_sides {
	int32_t stable_rs;           /* -1 when none */
	int32_t canary_rs;           /* -1 when none (no rollout going on) */
	int32_t weight;              /* percent of requests meant for the
					canary side: Argo's current
					setWeight, Flagger's weight,
					blueGreen 0 before the switch and
					100 after it */
	const char *stable_role;     /* "stable", "active", "primary" */
	const char *canary_role;     /* "canary", "preview", "canary" */
	/* For the teaching views (prog_sides sets the defaults: -1, 0,
	 * ""). Strings must stay valid while the world runs (literals,
	 * or buffers in the controller's state). */
	int32_t step;                /* Argo canary: status.currentStepIndex
					(0-based; n_steps once all steps
					are done), -1 when the strategy
					has no steps */
	int32_t n_steps;             /* len(spec.strategy.canary.steps) */
	const char *phase;           /* status.phase as Argo's
					kubectl plugin shows it: "Healthy",
					"Progressing", "Paused",
					"Degraded"; Flagger's canary phase
					("Progressing", "Succeeded",
					"Failed"); "" unknown */
	const char *message;         /* status.message / the reason:
					"CanaryPauseStep",
					"BlueGreenPause", "RolloutAborted:
					...", "" */
};

/* An analysis run (analysis.c): the metrics of one analysis_config,
 * measured from its start over the new version's requests (those
 * answered by pods whose template is not the stable one: see
 * analysis_start). Kept in the owning controller's state; analysis.c
 * holds a pointer to it while it runs (analysis_stop before the state
 * goes away). */
enum analysis_phase {
	ANALYSIS_NONE = 0,           /* never started */
	ANALYSIS_RUNNING,
	ANALYSIS_SUCCESSFUL,
	ANALYSIS_FAILED,
	ANALYSIS_INCONCLUSIVE,
	ANALYSIS_ERROR
};

struct analysis_metric_run {
	int32_t measured;            /* measurements taken */
	int32_t successful, failed, inconclusive, errors;
	int32_t consecutive_errors;
	uint64_t answered, bad;      /* requests of the window being
					measured (bad: not ok) */
	struct hist latency;         /* ok latencies of that window */
	double last_value;           /* the last measurement */
	engine_handle timer;         /* next measurement */
};

struct analysis_run {
	const struct analysis_config *cfg;
	enum analysis_phase phase;
	int32_t tmpl;                /* requests answered by pods of this
					template are measured */
	sim_time_t started_ns, ended_ns;
	struct analysis_metric_run m[PROG_METRICS_MAX];
	char message[160];           /* why it failed: "metric
					\"success-rate\" assessed Failed due
					to failed (2) > failureLimit (1)" */
	int32_t slot;                /* analysis.c's registry index, -1 */
};

/* Flagger's check window (analysis_check, below). */
struct analysis_window {
	int32_t slot;                /* registry index, -1 */
	int32_t tmpl;
	uint64_t answered, bad;
	struct hist latency;
};

/* Argo canary (canary.c): the Rollout's status fields it needs. */
struct canary_state {
	int32_t stable_rs;           /* status.stableRS's ReplicaSet, -1 */
	int32_t step;                /* status.currentStepIndex */
	int aborted;                 /* status.abort */
	int paused;                  /* PauseCondition CanaryPauseStep held */
	sim_time_t pause_start_ns;   /* its startTime */
	engine_handle pause_timer;   /* the pause's end: a sync */
	int promote_full;            /* status.promoteFull */
	int controller_pause;        /* status.controllerPause */
	int inconclusive;            /* PauseCondition InconclusiveAnalysisRun
					held */
	int32_t cur_tmpl;            /* status.currentPodHash's template */
	int abort_reported;          /* the RolloutAborted condition is set */
	char abort_msg[200];         /* the abort's reason, "" for a user's */
	struct analysis_run step_run;  /* the current analysis step's run */
	int32_t step_run_step;       /* the step it belongs to, -1 none */
	struct analysis_run bg_run;  /* background analysis (canary.analysis) */
	int bg_started;
	engine_handle deadline_timer;  /* progressDeadlineAbort's look */
};

/* Argo blueGreen (bluegreen.c): the Rollout's status as the controller
 * keeps it, and the scale-down-deadline annotations of its ReplicaSets. */
#define BG_DELAYS_MAX 16

struct bg_delay {
	int32_t rs;                  /* a ReplicaSet kept up until at_ns */
	sim_time_t at_ns;
};

struct bg_state {
	int32_t active_rs;           /* the active Service's ReplicaSet, -1 */
	int32_t preview_rs;          /* the preview Service's, -1 */
	int32_t stable_rs;           /* status.stableRS's, -1 */
	int32_t cur_tmpl;            /* status.currentPodHash's template */
	int aborted;                 /* status.abort */
	int paused;                  /* PauseCondition BlueGreenPause */
	int inconclusive;            /* PauseCondition InconclusiveAnalysis */
	int ctrl_pause;              /* status.controllerPause */
	int checkpoint;              /* status.blueGreen.
					scaleUpPreviewCheckPoint */
	int promote_full;            /* status.promoteFull */
	sim_time_t pause_start_ns;   /* the BlueGreenPause's StartTime */
	sim_time_t abort_at_ns;      /* the new RS's scale-down deadline
					after an abort, -1 none */
	struct bg_delay delays[BG_DELAYS_MAX]; /* old ReplicaSets' deadlines */
	int32_t n_delays;
	struct analysis_run pre;     /* prePromotionAnalysis's run */
	struct analysis_run post;    /* postPromotionAnalysis's run */
};

/* Flagger (flagger.c). The scenario's Deployment is Flagger's target
 * (the canary Deployment, ReplicaSets with owner 0 and group 1); its
 * primary NAME-primary is kept by flagger.c itself (owner 1, group 0). */
struct flagger_state {
	int phase;                   /* flagger.c's enum */
	int32_t weight;              /* status.canaryWeight */
	int32_t failed_checks;       /* status.failedChecks (cumulative) */
	int32_t iterations;          /* status.iterations */
	engine_handle tick;          /* the interval ticker */
	int started;                 /* primary and canary RS created */
	int32_t target_replicas;     /* the target's spec.replicas as
					Flagger writes it: 0 or N */
	int32_t primary_replicas;    /* NAME-primary's spec.replicas */
	int32_t primary_tmpl;        /* NAME-primary's pod template */
	int32_t applied_tmpl;        /* status.lastAppliedSpec: the target
					template last acted on */
	int win_on;                  /* win is measuring */
	struct analysis_window win;  /* the analysis' check window */
};

/* The analysis runs and Flagger windows being fed (analysis.c). */
#define ANALYSIS_SLOTS 8

struct analysis_state {
	struct analysis_run *runs[ANALYSIS_SLOTS];     /* NULL: free */
	struct analysis_window *wins[ANALYSIS_SLOTS];  /* NULL: free */
	int32_t n_active;            /* runs and windows fed */
};

struct prog_state {
	struct route_state route;
	struct canary_state canary;
	struct bg_state bg;
	struct flagger_state flagger;
	struct analysis_state an;
	int ready;                   /* prog_init done (the Deployment's
					creation is observed before it) */
	int32_t base_tmpl;           /* the template the run started with:
					other templates are "the new
					version" for exposure */
};

/* route.c */
void route_init(struct world *w);
/* Whether the users' Service selects pod p (besides its readiness). */
int route_selected(const struct world *w, const struct pod *p);
/* ROUTE_SELECTOR: the active Service now selects tmpl; every pod whose
 * selection changes is re-examined by the endpoints (service.c). */
void route_set_active(struct world *w, int32_t tmpl);
/* ROUTE_WEIGHTED: percent of requests to group 1. */
void route_set_weight(struct world *w, int32_t weight);
/* The view a request is routed through: a group's, chosen by weight (one
 * draw of rng only when 0 < weight < 100). */
const struct ep_view *route_view(struct world *w, enum lb_consumer c,
				 gsl_rng *rng);
/* Ready endpoints consumer c knows of, all groups. */
int32_t route_endpoints(const struct world *w, enum lb_consumer c);

/* progressive.c: the dispatch to the strategy in force */
int prog_init(struct world *w);              /* RSIM_ENOMEM */
void prog_release(struct world *w);
/* One reconcile step; 1 when it changed a ReplicaSet's spec (the
 * Deployment controller then runs another). */
int prog_once(struct world *w);
/* The rollout is complete (the Deployment's DeploymentComplete). */
int prog_complete(const struct world *w);
/* kubectl argo rollouts promote [--full] / abort / retry. */
void prog_promote(struct world *w, int full);
void prog_abort(struct world *w);
void prog_retry(struct world *w);
/* The progressive fields of c (stable/canary pods, revisions, weight). */
void prog_counts(const struct world *w, struct world_counts *c);
/* The sides of the strategy in force (all -1 / 0 for a Deployment). */
void prog_sides(const struct world *w, struct prog_sides *s);
/* The controllers call this when something prog_sides reports changed
 * outside a ReplicaSet's or the Deployment's own write (a ReplicaSet
 * became stable or canary, active or preview; the step, the weight, the
 * phase or the message moved): the observers see each ReplicaSet whose
 * role changed again (kubectl get rs -w: the rollouts-pod-template-hash
 * labels and the Rollout's status moved) and the Deployment view when
 * its progressive fields changed (deployment.c). The Deployment
 * controller's sync calls it at its end, so a controller needs it only
 * for changes made outside a sync (an event, a timer). Nothing for a
 * Deployment, nothing when no observer is set; cheap otherwise. */
void prog_roles_changed(struct world *w);

/* canary.c, bluegreen.c, flagger.c: the same for each strategy */
void canary_sides(const struct world *w, struct prog_sides *s);
void bluegreen_sides(const struct world *w, struct prog_sides *s);
void flagger_sides(const struct world *w, struct prog_sides *s);
void canary_init(struct world *w);
int canary_once(struct world *w);
int canary_complete(const struct world *w);
void canary_promote(struct world *w, int full);
void canary_abort(struct world *w);
void canary_retry(struct world *w);
void bluegreen_init(struct world *w);
int bluegreen_once(struct world *w);
int bluegreen_complete(const struct world *w);
void bluegreen_promote(struct world *w, int full);
void bluegreen_abort(struct world *w);
void bluegreen_retry(struct world *w);
void flagger_init(struct world *w);
int flagger_once(struct world *w);
int flagger_complete(const struct world *w);
void flagger_promote(struct world *w, int full);
void flagger_abort(struct world *w);
void flagger_retry(struct world *w);
/* The target Deployment's spec.replicas as Flagger scaled it (the
 * Deployment controller's view under Flagger). */
int32_t flagger_target_replicas(const struct world *w);

/* analysis.c */
int analysis_init(struct world *w);          /* RSIM_ENOMEM */
void analysis_release(struct world *w);
/* Starts run r over cfg, measuring the requests answered by pods of
 * template tmpl: each metric is measured every interval_ns (the first
 * measurement one interval after the start), up to count measurements,
 * and assessed as Argo's assessMetricStatus does. When the run's phase
 * becomes final the Deployment controller's sync is requested, so the
 * owner reads r->phase there. Restarting a running r restarts it. */
void analysis_start(struct world *w, struct analysis_run *r,
		    const struct analysis_config *cfg, int32_t tmpl);
/* Terminates r (Argo: a run terminated while running is Successful if
 * nothing failed, analysis.go); no effect when it is not running. */
void analysis_stop(struct world *w, struct analysis_run *r);
/* Flagger's check: measures every metric of cfg at once over the
 * requests of template tmpl answered since the previous check with the
 * same window (*win; the first check covers the requests since
 * analysis_window_reset). Returns 1 when all metrics are within their
 * range, 0 when one is not (msg: Flagger's words, "success rate 91.20%
 * < 99%"), -1 when there was no request to measure (Flagger: "no values
 * found", a failed check). */
/* (struct analysis_window: above, with the runs) */
void analysis_window_reset(struct world *w, struct analysis_window *win,
			   int32_t tmpl);
int analysis_check(struct world *w, struct analysis_window *win,
		   const struct analysis_config *cfg, char *msg, size_t n);
void analysis_window_stop(struct world *w, struct analysis_window *win);
/* The pure parts, for tests: a metric's value over a window (percent or
 * ms; *no_data when fewer than minRequests requests, or no ok request for
 * a latency), whether it is within thresholdRange (bounds included), and
 * assessMetricStatus over a metric's measurements so far. */
double analysis_measure(const struct metric_config *m, uint64_t answered,
			uint64_t bad, const struct hist *lat, int *no_data);
int analysis_in_range(const struct metric_config *m, double v);
enum analysis_phase analysis_metric_phase(const struct metric_config *m,
					  const struct analysis_metric_run *x);
/* A request's try ended at pod with outcome o (latency: arrival of the
 * first try to the response, ok only). Called by traffic.c. */
void analysis_request_done(struct world *w, int32_t pod, enum req_outcome o,
			   sim_time_t latency_ns);

/* delivery.c: what a release did to users and what it cost (struct
 * delivery_metrics of world.h; summary.json exposure, delivery, cost).
 * "The new version" is every pod template other than base_tmpl. The
 * progressive controllers report their decisions with the first four
 * (each time is kept from its first call; later calls change nothing):
 * the new version became the stable one and takes all traffic (Argo:
 * the last step done / the active Service switched and post-promotion
 * analysis passed; Flagger: the promotion finished) */
void delivery_promoted(struct world *w);
/* analysis failed and the controller decided to abort / roll back */
void delivery_detected(struct world *w);
/* no request goes to the new version any more (weight 0, the Service
 * back on the stable side): the release counts as aborted, whether an
 * analysis or a user's abort caused it */
void delivery_rolled_back(struct world *w);
/* one analysis measurement (or Flagger check) taken; failed: it failed */
void delivery_measured(struct world *w, int failed);
/* For world.c and traffic.c: a rollout completed (a Deployment's first
 * completion on a new template is its promotion; progressive strategies
 * say so themselves); a request's final outcome o, its last try at pod
 * (-1: it never reached one). */
void delivery_rollout_completed(struct world *w);
void delivery_request_done(struct world *w, int32_t pod, enum req_outcome o);
/* k outcomes o of requests served by pods of template tmpl (-1: none). */
void delivery_requests_add(struct world *w, int32_t tmpl,
			   enum req_outcome o, uint64_t k);
/* Whether pod p runs the new version. */
int delivery_is_new(const struct world *w, const struct pod *p);

#endif
