/* traffic_agg.c - when traffic.mode "aggregate" may draw outcomes in
 * aggregate (traffic.h).
 *
 * The aggregate mode rests on the per-pod arrival streams being Poisson
 * and independent of the pods' state: then the (arrival, service time)
 * pairs of the requests a set of pods receives are a Poisson process on
 * the plane, and counts in disjoint regions of it are independent
 * Poisson draws. That holds only for Poisson arrivals split by a random
 * load balancer, one try per request, one connection per request:
 *  - keep-alive pins a client connection's requests to one pod, so the
 *    pod's stream is a batch process, not Poisson;
 *  - retries make a second try depend on the first one's outcome;
 *  - round-robin spreads arrivals evenly (not a thinning) and
 *    least-request routes by the pods' state;
 *  - evenly spaced (constant) arrivals are not Poisson at all;
 *  - the progressive strategies look at every request (their analysis
 *    and the delivery exposure count tries one by one).
 * In those cases the whole run is simulated per request; the outputs are
 * then exactly those of traffic.mode "per-request" for the same seed.
 */
#include <stddef.h>

#include "traffic.h"

const char *traffic_agg_fallback(const struct traffic_config *c,
				 int progressive)
{
	if (c->keep_alive)
		return "keep-alive connections";
	if (c->retries > 0)
		return "retries";
	if (c->lb != LB_RANDOM)
		return "a load-balancing policy other than random";
	if (c->arrivals != ARRIVALS_POISSON)
		return "constant arrivals";
	if (progressive)
		return "a progressive delivery strategy";
	return NULL;
}
