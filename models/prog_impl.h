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

/* Argo canary (canary.c). */
struct canary_state {
	int32_t stable_rs;           /* status.stableRS's ReplicaSet, -1 */
	int32_t step;                /* status.currentStepIndex */
	int aborted;                 /* status.abort */
	int paused;                  /* a PauseCondition is held */
	sim_time_t pause_start_ns;
	engine_handle pause_timer;
	int promote_full;            /* promote --full requested */
};

/* Argo blueGreen (bluegreen.c). */
struct bg_state {
	int32_t active_rs;           /* the active Service's ReplicaSet, -1 */
	int32_t stable_rs;
	int aborted;
	int paused;
	sim_time_t pause_start_ns;
	engine_handle timer;         /* autoPromotionSeconds, scale-down */
};

/* Flagger (flagger.c). */
struct flagger_state {
	int phase;                   /* flagger.c's enum */
	int32_t weight;              /* status.canaryWeight */
	int32_t failed_checks;       /* status.failedChecks (cumulative) */
	int32_t iterations;          /* status.iterations */
	engine_handle tick;          /* the interval ticker */
};

/* Measurements of the new version's requests (analysis.c). */
struct analysis_state {
	uint64_t answered, failed;   /* in the current interval */
	struct hist latency;         /* ok latencies in it, ns */
};

struct prog_state {
	struct route_state route;
	struct canary_state canary;
	struct bg_state bg;
	struct flagger_state flagger;
	struct analysis_state an;
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
struct analysis_window {
	int32_t slot;                /* registry index, -1 */
	int32_t tmpl;
	uint64_t answered, bad;
	struct hist latency;
};
void analysis_window_reset(struct world *w, struct analysis_window *win,
			   int32_t tmpl);
int analysis_check(struct world *w, struct analysis_window *win,
		   const struct analysis_config *cfg, char *msg, size_t n);
void analysis_window_stop(struct world *w, struct analysis_window *win);
/* A request's try ended at pod with outcome o (latency: arrival of the
 * first try to the response, ok only). Called by traffic.c. */
void analysis_request_done(struct world *w, int32_t pod, enum req_outcome o,
			   sim_time_t latency_ns);

#endif
