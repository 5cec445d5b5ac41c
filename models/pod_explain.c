/* pod_explain.c - the kubelet's and the endpoints' decisions in words
 * (rollsim explain; docs/kubernetes.md §9, §11, §12): a probe result
 * that changes Ready or kills the container, the stop sequence of a
 * deleted pod (preStop, SIGTERM, SIGKILL at the grace period), and an
 * endpoint change with the moment the load balancer learns it. */
#include <stdio.h>

#include "decide.h"
#include "world_impl.h"

static const char *const kind_names[PROBE_KINDS] = {
	"startup", "readiness", "liveness"
};

static void say(struct world *w, enum world_actor who, int32_t pod,
		const char *text)
{
	char obj[POD_NAME_MAX + 8];

	snprintf(obj, sizeof(obj), "pod/%s", w->pods[pod].name);
	decide(w, who, obj, "%s", text);
}

static double since_start(const struct world *w, const struct pod *p)
{
	return (double)(engine_now(w->eng) - p->started_ns) / 1e9;
}

void explain_probe(struct world *w, int32_t i, int kind,
		   const struct probe_config *c, int passed)
{
	const struct pod *p = &w->pods[i];
	char t[384];
	int32_t th = passed ? c->success_threshold : c->failure_threshold;

	if (kind == PROBE_READINESS)
		snprintf(t, sizeof(t), "readiness probe %s %d time%s in a row "
			 "(%sThreshold %d), %.1f s after the container "
			 "started -> %s", passed ? "passed" : "failed", th,
			 th == 1 ? "" : "s", passed ? "success" : "failure",
			 th, since_start(w, p),
			 passed ? "Ready" : "not Ready: out of the endpoints, "
				  "the container keeps running");
	else if (passed)
		snprintf(t, sizeof(t), "startup probe passed %.1f s after the "
			 "container started -> started: readiness and "
			 "liveness probes run from now", since_start(w, p));
	else
		snprintf(t, sizeof(t), "%s probe failed %d times in a row "
			 "(failureThreshold %d) -> kill the container and "
			 "restart it", kind_names[kind], th, th);
	say(w, ACTOR_KUBELET, i, t);
}

void explain_ready_at_start(struct world *w, int32_t i)
{
	say(w, ACTOR_KUBELET, i, "container started, no readiness probe -> "
	    "Ready at once (whether the app answers yet or not)");
}

void explain_stop(struct world *w, int32_t i, sim_time_t prestop,
		  sim_time_t kill_at)
{
	const struct image_config *s = pod_spec(w, &w->pods[i]);
	char t[384];

	if (prestop > 0)
		snprintf(t, sizeof(t), "pod deleted: Terminating; preStop "
			 "sleep %.1f s, then SIGTERM; SIGKILL at +%.1f s "
			 "(terminationGracePeriodSeconds %.0f) if it still "
			 "runs", (double)prestop / 1e9, (double)kill_at / 1e9,
			 (double)s->grace_ns / 1e9);
	else
		snprintf(t, sizeof(t), "pod deleted: Terminating; no preStop "
			 "hook: SIGTERM now; SIGKILL at +%.1f s "
			 "(terminationGracePeriodSeconds) if it still runs",
			 (double)kill_at / 1e9);
	say(w, ACTOR_KUBELET, i, t);
}

void explain_sigterm(struct world *w, int32_t i)
{
	const struct image_config *s = pod_spec(w, &w->pods[i]);

	say(w, ACTOR_KUBELET, i, s->accept_during_shutdown
	    ? "SIGTERM: the app keeps accepting while it shuts down"
	    : "SIGTERM: the app stops accepting new connections and "
	      "finishes what it holds");
}

void explain_stopped(struct world *w, int32_t i, int killed)
{
	const struct pod *p = &w->pods[i];
	char t[256];

	if (killed)
		snprintf(t, sizeof(t), "the grace period is over and the "
			 "container still runs -> SIGKILL: %s", p->terminating
			 ? "requests in flight fail, the pod is removed"
			 : "requests in flight fail");
	else
		snprintf(t, sizeof(t), "the container exited%s",
			 p->terminating ? " -> the pod is removed" : "");
	say(w, ACTOR_KUBELET, i, t);
}

void explain_endpoint(struct world *w, int32_t i, int in,
		      const sim_time_t *at)
{
	const struct pod *p = &w->pods[i];
	sim_time_t now = engine_now(w->eng);
	enum lb_consumer c = w->cfg->traffic.enabled ? w->cfg->traffic.via
						     : CONSUMER_KUBE_PROXY;
	char t[384];
	const char *why = in ? "Ready" : p->terminating ? "deleted"
			  : "not Ready";

	snprintf(t, sizeof(t), "%s -> %s the Service's endpoints now; %s "
		 "learns it %.3f s later (at %.3f s)%s", why,
		 in ? "joins" : "leaves",
		 c == CONSUMER_INGRESS ? "the ingress" : "kube-proxy",
		 (double)(at[c] - now) / 1e9, (double)at[c] / 1e9,
		 in ? "" : " and routes new connections to it until then");
	say(w, ACTOR_ENDPOINTS, i, t);
}
