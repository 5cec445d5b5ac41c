/* traffic.h - request traffic: arrivals, routing, per-pod service.
 *
 * Requests arrive (Poisson or evenly spaced) at a rate that may change
 * over time, go through a load balancer that routes only to the endpoints
 * it was last told about (service.h), and are served by the chosen pod:
 * `concurrency` at once, then a FIFO queue of `queueCapacity`. Only
 * requests in flight exist in memory. Each request ends in one outcome:
 * ok, or an error by cause (enum req_outcome), app_error being the
 * release's own server errors (images' errorRate).
 */
#ifndef RSIM_TRAFFIC_H
#define RSIM_TRAFFIC_H

#include <stddef.h>
#include <stdint.h>

#include "sim/core/engine.h"
#include "sim/core/stats.h"
#include "service.h"

enum arrivals_kind {
	ARRIVALS_POISSON = 0,
	ARRIVALS_CONSTANT
};

enum lb_policy {
	LB_RANDOM = 0,          /* kube-proxy iptables: uniform at random */
	LB_ROUND_ROBIN,         /* IPVS rr */
	LB_LEAST_REQUEST        /* power of two choices (Envoy) */
};

enum req_outcome {
	OUTCOME_OK = 0,
	OUTCOME_NO_ENDPOINT,    /* the load balancer knows no endpoint */
	OUTCOME_REFUSED,        /* the pod does not accept connections */
	OUTCOME_OVERLOAD,       /* concurrency and queue full */
	OUTCOME_TIMEOUT,        /* traffic.timeout exceeded */
	OUTCOME_RESET,          /* in flight when the container was killed */
	OUTCOME_APP_ERROR,      /* the app answered with a server error
				   (the image's errorRate) */
	OUTCOME_COUNT
};

/* How outcomes are computed (traffic.mode). */
enum traffic_mode {
	TRAFFIC_PER_REQUEST = 0,     /* every request is an event */
	TRAFFIC_AGGREGATE            /* stretches drawn in aggregate where
					exact; per request elsewhere */
};

/* One step of a piecewise-constant rate. */
struct rate_step {
	sim_time_t at_ns;       /* from this time on */
	double rate_per_s;      /* requests per second */
};

struct traffic_config {
	int enabled;                 /* 0: no traffic */
	double rate_per_s;           /* rate from start_ns */
	enum arrivals_kind arrivals;
	struct rate_step *schedule;  /* owned, sorted by at_ns */
	size_t n_schedule;
	sim_time_t start_ns;         /* first possible arrival */
	sim_time_t timeout_ns;       /* client timeout, 0 = none */
	enum lb_policy lb;           /* loadBalancing */
	enum lb_consumer via;        /* whose endpoint view routes */
	int keep_alive;              /* connections.keepAlive */
	int32_t conn_count;          /* connections.count: client
					connections kept open (default 32) */
	int32_t requests_per_conn;   /* connections.requestsPerConnection,
					0 = unlimited */
	int32_t retries;             /* retries.count */
	uint32_t retry_on;           /* 1 << enum req_outcome retried */
	sim_time_t retry_backoff_ns; /* retries.backoff before each retry */
	enum traffic_mode mode;      /* traffic.mode */
};

/* What the clients saw (summary.json requests.*). */
struct traffic_counts {
	uint64_t total;                     /* client requests with an
					       outcome by the end */
	uint64_t unfinished;                /* still unanswered at the end
					       (not in total) */
	uint64_t attempts;                  /* tries, retries included */
	uint64_t outcome[OUTCOME_COUNT];    /* final outcome of each request */
	uint64_t first_try[OUTCOME_COUNT];  /* outcome of the first try */
	struct hist latency;                /* ok requests: first try's
					       arrival to response, ns */
	uint64_t aggregated;                /* of total: outcome drawn in
					       aggregate (traffic.mode) */
};

/* One second of traffic (traffic.csv). */
struct traffic_row {
	sim_time_t t_ns;                    /* start of the second */
	uint64_t requests;                  /* arrivals in the second */
	uint64_t outcome[OUTCOME_COUNT];    /* outcomes decided in it */
	double p50_ms, p99_ms;              /* of ok responses in it */
	int32_t in_flight;                  /* in the pods at its end */
	int32_t endpoints;                  /* the routing view at its end */
};

/* Defaults: disabled; Poisson; random; via kube-proxy; no timeout; no
 * keep-alive; no retries (retry_on: no_endpoint, refused, reset; not
 * app_error: a server error is the app's answer, retried only when
 * asked). */
void traffic_config_defaults(struct traffic_config *c);
void traffic_config_release(struct traffic_config *c);

/* Why a scenario's traffic runs per request even in aggregate mode: a
 * short reason ("keep-alive connections", ...), or NULL when the
 * aggregate path may be used (models/traffic_agg.c). */
const char *traffic_agg_fallback(const struct traffic_config *c,
				 int progressive);

/* The name of an outcome as in summary.json ("no_endpoint", ...). */
const char *traffic_outcome_name(enum req_outcome o);

#endif
