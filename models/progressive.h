/* progressive.h - progressive delivery: Argo Rollouts canary and blueGreen,
 * Flagger's weighted canary, and the analysis that judges them.
 *
 * A scenario's `deployment.strategy` holds one of four shapes: the
 * Deployment's `type` (RollingUpdate, Recreate), Argo's `canary` or
 * `blueGreen`, or `flagger` (the `analysis` of a Flagger Canary). The
 * configuration of the last three lives here, inside struct deploy_config,
 * as fixed-size values so that a spec can be copied by assignment. The
 * controllers are models/canary.c, bluegreen.c, flagger.c; the pure
 * arithmetic of the basic canary is canary_step.c; analysis.c measures
 * the canary's requests. docs/progressive.md says what each follows
 * upstream (repository, file, function) and where rollsim departs.
 */
#ifndef RSIM_PROGRESSIVE_H
#define RSIM_PROGRESSIVE_H

#include <stdint.h>

#include "sim/core/engine.h"
#include "intstr.h"

#define PROG_STEPS_MAX 32        /* canary.steps, flagger stepWeights */
#define PROG_METRICS_MAX 4       /* metrics of one analysis */
#define PROG_NAME_MAX 48

/* ------------------------------------------------------------ analysis */

/* What a metric measures over its interval, from the requests that the
 * canary's pods (the new version's) answered in it. */
enum metric_kind {
	METRIC_SUCCESS_RATE = 0,  /* ok / answered, percent (Flagger's
				     request-success-rate; Argo: a ratio
				     0..1 is accepted and scaled) */
	METRIC_LATENCY_P99,       /* p99 of ok requests, ms
				     (request-duration) */
	METRIC_LATENCY_P50,       /* p50 of ok requests, ms */
	METRIC_ERROR_RATE         /* failed / answered, percent */
};

struct metric_config {
	char name[PROG_NAME_MAX];
	enum metric_kind kind;
	int has_min, has_max;        /* thresholdRange (Flagger) or the
					successCondition bound (Argo) */
	double min, max;
	sim_time_t interval_ns;      /* between measurements; 0 = once */
	int32_t count;               /* measurements; 0 = until the run is
					terminated (Argo's "count unset") */
	int32_t failure_limit;       /* Argo failureLimit (default 0; -1
					disables) */
	int32_t inconclusive_limit;  /* Argo inconclusiveLimit (default 0) */
	int32_t consecutive_error_limit; /* Argo default 4 */
	int32_t min_requests;        /* fewer canary requests in the
					interval: inconclusive (Argo) or
					no data (Flagger: check skipped);
					default 1 */
};

struct analysis_config {
	int enabled;
	struct metric_config metrics[PROG_METRICS_MAX];
	int32_t n_metrics;
};

/* -------------------------------------------------- Argo canary (basic) */

enum canary_step_kind {
	CANARY_SET_WEIGHT = 0,       /* setWeight: N */
	CANARY_PAUSE,                /* pause: {duration} or {} */
	CANARY_ANALYSIS              /* analysis: {templates...} inline */
};

struct canary_step {
	enum canary_step_kind kind;
	int32_t weight;              /* setWeight */
	sim_time_t pause_ns;         /* pause duration; -1 = until promote */
	int32_t analysis;            /* CANARY_ANALYSIS: index into
					canary_config.analyses */
};

#define CANARY_ANALYSES_MAX 4

struct canary_config {
	struct canary_step steps[PROG_STEPS_MAX];
	int32_t n_steps;
	struct intstr max_surge;     /* Argo default "25" (percent) */
	struct intstr max_unavailable; /* Argo default "25" */
	struct analysis_config analyses[CANARY_ANALYSES_MAX]; /* step ones */
	int32_t n_analyses;
	struct analysis_config background; /* canary.analysis */
	int32_t starting_step;       /* background analysis startingStep */
	int progress_deadline_abort; /* spec.progressDeadlineAbort */
};

/* ----------------------------------------------------- Argo blueGreen */

struct bluegreen_config {
	int32_t preview_replicas;    /* previewReplicaCount, -1 = unset */
	int auto_promotion;          /* autoPromotionEnabled (default 1) */
	sim_time_t auto_promotion_ns; /* autoPromotionSeconds (default 0) */
	sim_time_t scale_down_delay_ns; /* scaleDownDelaySeconds (30 s) */
	int scale_down_delay_set;    /* given explicitly */
	sim_time_t abort_scale_down_delay_ns; /* (30 s) */
	struct analysis_config pre;  /* prePromotionAnalysis */
	struct analysis_config post; /* postPromotionAnalysis */
	char active_service[PROG_NAME_MAX];  /* names, for the events */
	char preview_service[PROG_NAME_MAX];
};

/* ------------------------------------------------------------- Flagger */

struct flagger_config {
	sim_time_t interval_ns;      /* analysis.interval (60 s; < 10 s is
					raised to 10 s) */
	int32_t threshold;           /* failed checks before rollback (1) */
	int32_t max_weight;          /* maxWeight (100) */
	int32_t step_weight;         /* stepWeight */
	int32_t step_weights[PROG_STEPS_MAX]; /* stepWeights, if any */
	int32_t n_step_weights;
	int32_t step_weight_promotion; /* 0 = route all at once */
	int32_t iterations;          /* > 0: Blue/Green */
	sim_time_t progress_deadline_ns; /* the Canary's
					    progressDeadlineSeconds (600 s) */
	struct analysis_config metrics; /* analysis.metrics */
	struct intstr primary_max_surge;   /* the primary Deployment's own
					      rolling update (25%) */
	struct intstr primary_max_unavailable; /* (25%) */
};

/* All of it; only the part of the strategy in force is read. */
struct prog_config {
	struct canary_config canary;
	struct bluegreen_config bg;
	struct flagger_config flagger;
};

/* Argo and Flagger defaults (the comments above). */
void prog_config_defaults(struct prog_config *c);
void analysis_config_defaults(struct analysis_config *a);
void metric_config_defaults(struct metric_config *m);

#endif
