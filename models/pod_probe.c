/* pod_probe.c - the kubelet's probe workers for one container.
 *
 * Rule implemented (docs/kubernetes.md §9, prober/worker.go and
 * prober_manager.go): each probe type has a worker created when the
 * container starts (T0); it probes at once and then on a ticker every
 * periodSeconds from its start. An attempt counts only when
 * floor((now - T0) / 1 s) >= initialDelaySeconds; liveness and readiness
 * attempts are skipped until the startup probe has succeeded. When it
 * succeeds the startup worker stops, and the readiness worker probes at
 * once and restarts its ticker from that moment (the kubelet's immediate
 * readiness run on a status refresh). An attempt succeeds when the app is
 * up, the probe is not `neverReady`, and a flaky app's failure draw
 * (failureProbability) passes. Thresholds as in probe.c. Readiness
 * toggles Ready; liveness reaching failureThreshold kills and restarts the
 * container; so does the startup probe reaching failureThreshold.
 */
#include "sim/core/rng.h"
#include "decide.h"
#include "world_impl.h"

static const char *const probe_names[PROBE_KINDS] = {
	"Startup", "Readiness", "Liveness"
};

static const struct probe_config *probe_cfg(const struct world *w,
					    const struct pod *p,
					    enum probe_kind k)
{
	const struct image_config *s = pod_spec(w, p);

	return k == PROBE_STARTUP     ? &s->startup_probe
	       : k == PROBE_READINESS ? &s->readiness
				      : &s->liveness;
}

static void ev_probe(void *ctx, uint64_t arg);

static void probe_arm(struct world *w, int32_t i, enum probe_kind k,
		      sim_time_t delay)
{
	w->pods[i].probe_timer[k] = engine_after(
		w->eng, delay, ev_probe, w, engine_arg((uint32_t)i, (uint32_t)k));
}

void probe_workers_start(struct world *w, int32_t i)
{
	struct pod *p = &w->pods[i];
	int k;

	for (k = 0; k < PROBE_KINDS; k++) {
		/* initial results: startup Unknown, readiness Failure,
		 * liveness Success */
		probe_state_init(&p->probe[k], k == PROBE_LIVENESS);
		if (probe_cfg(w, p, (enum probe_kind)k)->enabled)
			probe_arm(w, i, (enum probe_kind)k, 0);
	}
}

void probe_workers_stop(struct world *w, int32_t i)
{
	struct pod *p = &w->pods[i];
	int k;

	for (k = 0; k < PROBE_KINDS; k++) {
		engine_cancel(w->eng, p->probe_timer[k]);
		p->probe_timer[k] = ENGINE_HANDLE_NONE;
	}
}

void probe_startup_passed(struct world *w, int32_t i)
{
	struct pod *p = &w->pods[i];

	p->started = 1;
	engine_cancel(w->eng, p->probe_timer[PROBE_STARTUP]);
	p->probe_timer[PROBE_STARTUP] = ENGINE_HANDLE_NONE;
	if (decide_on(w))
		explain_probe(w, i, PROBE_STARTUP, probe_cfg(w, p,
							     PROBE_STARTUP), 1);
	if (!pod_spec(w, p)->readiness.enabled) {
		pod_set_ready(w, i, 1);
		return;
	}
	engine_cancel(w->eng, p->probe_timer[PROBE_READINESS]);
	probe_arm(w, i, PROBE_READINESS, 0);
}

static int attempt_succeeds(struct world *w, const struct pod *p,
			    const struct probe_config *c)
{
	if (!p->app_up || c->never_ready)
		return 0;
	return c->failure_prob <= 0 ||
	       rng_uniform_pos(w->rng_probe) >= c->failure_prob;
}

static void probe_failed_event(struct world *w, const struct pod *p,
			       enum probe_kind k)
{
	if (!p->app_up)
		pod_emit(w, p, "Warning", "Unhealthy", "%s probe failed: "
			 "connect: connection refused", probe_names[k]);
	else
		pod_emit(w, p, "Warning", "Unhealthy", "%s probe failed: HTTP "
			 "probe failed with statuscode: 503", probe_names[k]);
}

static void kill_for_probe(struct world *w, int32_t i, enum probe_kind k)
{
	pod_emit(w, &w->pods[i], "Normal", "Killing", "Container %s failed "
		 "%s probe, will be restarted", w->dep.spec.container,
		 k == PROBE_STARTUP ? "startup" : "liveness");
	pod_stop_container(w, i, 0);
}

/* Probe ticks of many pods follow one another in a large run, each a
 * cache miss on its pod: the next tick's pod is fetched while this one
 * runs. */
static void probe_prefetch_next(const struct world *w)
{
	engine_fn fn;
	uint64_t arg;

	if (engine_peek(w->eng, &fn, &arg) && fn == ev_probe)
		__builtin_prefetch(&w->pods[engine_arg_lo(arg)]);
}

static void ev_probe(void *ctx, uint64_t arg)
{
	struct world *w = ctx;
	int32_t i = (int32_t)engine_arg_lo(arg);
	enum probe_kind k = (enum probe_kind)engine_arg_hi(arg);
	struct pod *p = &w->pods[i];
	const struct probe_config *c = probe_cfg(w, p, k);
	int ok, changed;

	probe_arm(w, i, k, c->period_ns);
	probe_prefetch_next(w);
	if (!probe_attempt_counts(c, p->started_ns, engine_now(w->eng)) ||
	    (k != PROBE_STARTUP && !p->started))
		return;
	ok = attempt_succeeds(w, p, c);
	if (!ok)
		probe_failed_event(w, p, k);
	changed = probe_record(&p->probe[k], c, ok);
	if (decide_on(w) && ((changed && k != PROBE_STARTUP) ||
			     (k == PROBE_STARTUP && !p->probe[k].published &&
			      p->probe[k].run_failure >= c->failure_threshold)))
		explain_probe(w, i, (int)k, c, p->probe[k].published);
	if (k == PROBE_READINESS && changed)
		pod_set_ready(w, i, p->probe[k].published);
	else if (k == PROBE_LIVENESS && changed && !p->probe[k].published)
		kill_for_probe(w, i, k);
	else if (k == PROBE_STARTUP && p->probe[k].published)
		probe_startup_passed(w, i);
	else if (k == PROBE_STARTUP &&
		 p->probe[k].run_failure >= c->failure_threshold)
		kill_for_probe(w, i, k);
}
