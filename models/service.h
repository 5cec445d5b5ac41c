/* service.h - the Service's endpoints and what each load balancer knows.
 *
 * A pod is a ready endpoint while it is Ready and not terminating (the
 * EndpointSlice controller's `ready` condition, docs/kubernetes.md §12).
 * Each
 * consumer of the endpoints (kube-proxy on the nodes, an ingress
 * controller) learns of a change only after its own propagation delay,
 * drawn per change: until then it keeps routing to a removed pod and does
 * not yet route to an added one. That lag, against the pod's own shutdown,
 * is the source of most errors during a rollout.
 */
#ifndef RSIM_SERVICE_H
#define RSIM_SERVICE_H

#include "sim/core/dist.h"

enum lb_consumer {
	CONSUMER_KUBE_PROXY = 0,     /* in-cluster clients via the Service */
	CONSUMER_INGRESS,            /* external clients via an ingress */
	CONSUMER_COUNT
};

struct network_config {
	/* endpointPropagation: delay from an endpoint change to each
	 * consumer; a single distribution in the scenario sets both */
	struct dist propagation[CONSUMER_COUNT];
};

/* Defaults: propagation 0 for both consumers. */
void network_config_defaults(struct network_config *c);
void network_config_release(struct network_config *c);

#endif
