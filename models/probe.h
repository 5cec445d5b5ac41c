/* probe.h - kubelet probe semantics (startup, readiness, liveness).
 *
 * Rule implemented (docs/kubernetes.md §9, prober/worker.go): a probe worker
 * is created when the container starts (T0) and probes at once, then on a
 * ticker every periodSeconds from that moment. An attempt counts only when
 * floor((now - T0) / 1 s) >= initialDelaySeconds; earlier ticks record no
 * result. An attempt succeeds when the app is up and able to answer (and the
 * release is not neverReady); otherwise it fails. The published result changes
 * only after successThreshold consecutive successes (to Success) or
 * failureThreshold consecutive failures (to Failure); the readiness result
 * starts as Failure. The answer is instantaneous: timeoutSeconds matters only
 * for an app that does not answer, which fails the attempt anyway.
 */
#ifndef RSIM_PROBE_H
#define RSIM_PROBE_H

#include <stdint.h>

#include "sim/core/engine.h"

struct probe_config {
	int enabled;                 /* 0: no probe of this kind */
	sim_time_t initial_delay_ns; /* initialDelaySeconds (whole seconds) */
	sim_time_t period_ns;        /* periodSeconds, >= 1 s */
	sim_time_t timeout_ns;       /* timeoutSeconds, >= 1 s */
	int32_t success_threshold;   /* consecutive successes to pass, >= 1 */
	int32_t failure_threshold;   /* consecutive failures to fail, >= 1 */
	int never_ready;             /* 1: the app never passes this probe */
	double failure_prob;         /* a flaky app: each attempt fails with
					this probability even when up */
};

/* Kubernetes' defaults (0 / 10 / 1 / 1 / 3), enabled. */
void probe_config_defaults(struct probe_config *c);

/* Consecutive-result state of one probe worker. */
struct probe_state {
	int published;          /* 1 Success, 0 Failure */
	int32_t run_success;    /* consecutive successes so far */
	int32_t run_failure;    /* consecutive failures so far */
};

/* Starts a worker's state: published = initial (0 for readiness). */
void probe_state_init(struct probe_state *s, int initial);

/* Whether an attempt at now_ns counts, for a container started at
 * started_ns: floor((now - started) / 1 s) >= initialDelaySeconds. */
int probe_attempt_counts(const struct probe_config *c, sim_time_t started_ns,
			 sim_time_t now_ns);

/* Feeds one outcome (1 success, 0 failure) through the thresholds.
 * Returns 1 when the published result changed. */
int probe_record(struct probe_state *s, const struct probe_config *c,
		 int success);

#endif
