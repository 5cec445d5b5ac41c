/* pod_stop.c - stopping a container: deletion and liveness kills.
 *
 * docs/kubernetes.md §11 (kuberuntime_container.go killContainer): the
 * kubelet runs the preStop hook (a sleep here), then sends SIGTERM; the
 * app then stops accepting new connections (unless it accepts during
 * shutdown), finishes what it has within `shutdown` and exits; at the
 * grace period, counted from the start of preStop, whatever still runs is
 * killed and its requests fail. A preStop that overruns the grace period
 * gets SIGTERM at the grace period and a one-time 2 s more before SIGKILL.
 * (Upstream also grants those 2 s when less than 2 s remain after a
 * shorter preStop; here the kill stays at the grace period.) A deleted
 * pod is gone once its container has stopped; a pod whose container never
 * ran is gone at once.
 */
#include "world_impl.h"

#define POD_KILL_EXTRA_NS (2 * SIM_NS_PER_S)

static void ev_sigterm(void *ctx, uint64_t arg);
static void ev_exit(void *ctx, uint64_t arg);
static void ev_kill(void *ctx, uint64_t arg);
static void ev_gone(void *ctx, uint64_t arg);

void pod_stop_container(struct world *w, int32_t i, int deleting)
{
	struct pod *p = &w->pods[i];
	const struct image_config *s = pod_spec(w, p);
	sim_time_t grace = s->grace_ns, prestop = s->prestop_ns, kill_at;

	if (!p->running) {             /* nothing runs: gone at once */
		engine_cancel(w->eng, p->life_timer);
		probe_workers_stop(w, i);
		p->life_timer = engine_after(w->eng, 0, ev_gone, w,
					     (uint64_t)i);
		return;
	}
	if (deleting)
		pod_emit(w, p, "Normal", "Killing", "Stopping container %s",
			 w->dep.spec.container);
	if (p->stopping)
		return;                /* a stop in progress finishes it */
	p->stopping = 1;
	engine_cancel(w->eng, p->life_timer);    /* app start-up */
	engine_cancel(w->eng, p->crash_timer);
	p->crash_timer = ENGINE_HANDLE_NONE;
	probe_workers_stop(w, i);
	if (!deleting)
		pod_set_ready(w, i, 0);
	if (prestop >= grace && prestop > 0) {
		kill_at = sim_time_add(grace, POD_KILL_EXTRA_NS);
		prestop = grace;
	} else {
		kill_at = grace;
	}
	p->life_timer = engine_after(w->eng, prestop, ev_sigterm, w,
				     (uint64_t)i);
	p->kill_timer = engine_after(w->eng, kill_at, ev_kill, w, (uint64_t)i);
}

static void ev_sigterm(void *ctx, uint64_t arg)
{
	struct world *w = ctx;
	struct pod *p = &w->pods[arg];
	const struct image_config *s = pod_spec(w, p);

	p->sigterm = 1;
	pod_notify(w, POD_NEWS_SERVING, (int32_t)arg); /* stops accepting */
	p->life_timer = engine_after(w->eng,
				     dist_sample(&s->shutdown, w->rng_startup),
				     ev_exit, w, arg);
}

static void container_stopped(struct world *w, int32_t i)
{
	struct pod *p = &w->pods[i];

	engine_cancel(w->eng, p->life_timer);
	engine_cancel(w->eng, p->kill_timer);
	p->life_timer = p->kill_timer = ENGINE_HANDLE_NONE;
	if (p->terminating) {
		p->running = 0;
		p->app_up = 0;
		pod_view(w, i, "stopped");
		pod_notify(w, POD_NEWS_SERVING, i);
		pod_gone(w, i);
	} else {
		pod_container_exited(w, i);    /* liveness: restart */
	}
}

static void ev_exit(void *ctx, uint64_t arg)
{
	struct world *w = ctx;

	w->pods[arg].life_timer = ENGINE_HANDLE_NONE;
	pod_notify(w, POD_NEWS_KILLED, (int32_t)arg); /* the rest fails */
	container_stopped(w, (int32_t)arg);
}

static void ev_kill(void *ctx, uint64_t arg)
{
	struct world *w = ctx;

	w->pods[arg].kill_timer = ENGINE_HANDLE_NONE;
	w->pods[arg].killed = 1;
	pod_notify(w, POD_NEWS_KILLED, (int32_t)arg);
	container_stopped(w, (int32_t)arg);
}

static void ev_gone(void *ctx, uint64_t arg)
{
	struct world *w = ctx;

	w->pods[arg].life_timer = ENGINE_HANDLE_NONE;
	pod_gone(w, (int32_t)arg);
}
