/* pod.h - one pod's lifecycle as the kubelet runs it.
 *
 * created -> scheduled -> image pulled -> container started -> app up
 * (after `startup`) -> Ready (readiness probe) -> Available (Ready for
 * minReadySeconds without interruption) ... deletion -> Terminating
 * (preStop sleep, then SIGTERM and the app's shutdown, killed at the grace
 * period counted from the start of preStop) -> gone.
 *
 * The per-image settings a scenario gives live in struct image_config; the
 * runtime pod lives in the world's pod table (world.h) and is driven by the
 * functions of pod.c through engine events.
 */
#ifndef RSIM_POD_H
#define RSIM_POD_H

#include <stdint.h>

#include "sim/core/dist.h"
#include "probe.h"

#define IMAGE_NAME_MAX 128

enum pull_policy {
	PULL_IF_NOT_PRESENT = 0,     /* pull unless the node has the image */
	PULL_ALWAYS                  /* pull for every container start */
};

/* A release whose container exits by itself (`crash`). */
struct crash_config {
	int enabled;                 /* 0: the container runs until stopped */
	struct dist after;           /* run time before the exit */
	double probability;          /* chance that a start ends in a crash */
};

/* Slower service right after start (JIT, cold caches): the service time
 * is multiplied by a factor that decays linearly to 1 over duration. */
struct warmup_config {
	sim_time_t duration_ns;      /* 0: no warm-up */
	double factor;               /* multiplier at container start, >= 1 */
};

#define QUEUE_UNLIMITED (-1)

/* What a scenario says about one container image (one release). */
struct image_config {
	char name[IMAGE_NAME_MAX];   /* "flask-app:2.0" */
	struct dist pull;            /* image pull time */
	struct dist container_start; /* pulled -> container started */
	struct dist startup;         /* container start -> app able to serve */
	struct dist shutdown;        /* SIGTERM -> app exits */
	struct probe_config readiness; /* readinessProbe (enabled = 0: none) */
	struct probe_config liveness;  /* livenessProbe */
	struct probe_config startup_probe; /* startupProbe */
	sim_time_t grace_ns;         /* terminationGracePeriodSeconds */
	sim_time_t prestop_ns;       /* preStopSleep */
	int32_t deletion_cost;       /* controller.kubernetes.io/
					pod-deletion-cost annotation */
	struct crash_config crash;   /* crash */
	int64_t cpu_milli;           /* requests.cpu, millicores */
	int64_t memory_bytes;        /* requests.memory, bytes */
	enum pull_policy pull_policy;  /* imagePullPolicy */
	double pull_failure_prob;    /* pullFailureProbability: ErrImagePull */
	struct warmup_config warmup; /* warmup */
	int accept_during_shutdown;  /* keeps accepting after SIGTERM */
	int drain_connections;       /* closes keep-alive connections at
					SIGTERM (clients reconnect) */
	int32_t concurrency;         /* requests served at once, >= 1 */
	int32_t queue_capacity;      /* requests waiting, or QUEUE_UNLIMITED */
	struct dist service_time;    /* serviceTime of one request */
	double error_rate;           /* errorRate: chance that a request
					this version serves fails (a server
					error, outcome app_error) */
	double service_time_factor;  /* serviceTimeFactor: multiplies each
					serviceTime draw, > 0 (1: none) */
};

/* Pod-template fields a Deployment may set over its image's values (the
 * scenario's deployment-level image keys, and `apply` patches). One bit
 * per field of struct image_config (not the name), bits 0 to
 * TMPL_FIELD_COUNT - 1; each has one row in tmpl_field.h's table, which
 * says how the field is read, applied, compared and hashed. */
enum {
	TMPL_PULL = 1u << 0,
	TMPL_STARTUP = 1u << 1,
	TMPL_SHUTDOWN = 1u << 2,
	TMPL_READINESS = 1u << 3,
	TMPL_GRACE = 1u << 4,
	TMPL_PRESTOP = 1u << 5,
	TMPL_DELETION_COST = 1u << 6,
	TMPL_CONTAINER_START = 1u << 7,
	TMPL_LIVENESS = 1u << 8,
	TMPL_STARTUP_PROBE = 1u << 9,
	TMPL_CRASH = 1u << 10,
	TMPL_REQUESTS = 1u << 11,      /* cpu and memory */
	TMPL_PULL_POLICY = 1u << 12,
	TMPL_PULL_FAILURE = 1u << 13,
	TMPL_WARMUP = 1u << 14,
	TMPL_ACCEPT_SHUTDOWN = 1u << 15,
	TMPL_CONCURRENCY = 1u << 16,
	TMPL_QUEUE = 1u << 17,
	TMPL_SERVICE_TIME = 1u << 18,
	TMPL_DRAIN_CONNECTIONS = 1u << 19,
	TMPL_ERROR_RATE = 1u << 20,
	TMPL_SERVICE_FACTOR = 1u << 21,
	TMPL_FIELD_COUNT = 22,         /* a new bit: bump this, add a row */
	TMPL_ALL = (1u << TMPL_FIELD_COUNT) - 1
};

/* Overrides of the image's fields: the fields whose bit is in mask. */
struct pod_overrides {
	uint32_t mask;               /* TMPL_* bits */
	struct image_config v;       /* values (name unused); dists owned
					by whoever filled it (the loader) */
};

/* dst = base with the masked fields of o copied over (shallow: dists are
 * borrowed from base or o). */
void image_config_apply(struct image_config *dst,
			const struct image_config *base,
			const struct pod_overrides *o);

/* Merges patch into o: fields masked in patch replace o's (shallow). */
void pod_overrides_merge(struct pod_overrides *o,
			 const struct pod_overrides *patch);

/* 1 when a and b describe the same pod template (the name and every
 * field of tmpl_field.h, compared deeply). */
int image_config_equal(const struct image_config *a,
		       const struct image_config *b);

/* Defaults: pull, containerStart, startup and shutdown 0 s; no probes;
 * grace 30 s; preStop 0 s; no crash; no requests; IfNotPresent; no pull
 * failures; no warm-up; concurrency 8, queue 100, serviceTime 20 ms
 * exponential; no app errors, service-time factor 1. */
void image_config_defaults(struct image_config *c, const char *name);
void image_config_release(struct image_config *c);

/* Pod phases as the API reports them. */
enum pod_phase {
	POD_PENDING = 0,  /* not yet running: unscheduled, pulling, creating */
	POD_UNKNOWN,      /* node lost (not produced yet) */
	POD_RUNNING,      /* container started */
	POD_GONE          /* object deleted (terminated) */
};

#endif
