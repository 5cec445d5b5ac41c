/* pod_view.c - a pod as the API server stores it, for the on_pod observer.
 *
 * The models call pod_view() (world_impl.h) at each change of a pod
 * object: created, bound, the kubelet's container states, readiness,
 * deletion, removal. This file fills struct world_pod_view from struct
 * pod, with the STATUS column kubectl computes from the stored object
 * (kubernetes pkg/printers/internalversion/printers.go printPod):
 * deletionTimestamp set on a non-terminal phase gives Terminating; else the
 * one container's waiting reason (ContainerCreating, ErrImagePull,
 * ImagePullBackOff, CrashLoopBackOff) or terminated reason (Error: the
 * app's exit and a kill are non-zero exits); else the phase (Pending
 * before the kubelet wrote a container status, Running once a container
 * ran: a restarting pod stays in phase Running). READY counts the
 * container when it is both ready and running.
 */
#include "world_impl.h"

const char *pod_view_status(const struct pod *p)
{
	if (p->terminating)
		return "Terminating";
	if (p->running)
		return "Running";
	switch ((enum pod_wait)p->wait) {
	case POD_WAIT_CREATING:
		return "ContainerCreating";
	case POD_WAIT_ERR_PULL:
		return "ErrImagePull";
	case POD_WAIT_PULL_BACKOFF:
		return "ImagePullBackOff";
	case POD_WAIT_EXITED:
		return "Error";
	case POD_WAIT_CRASH_BACKOFF:
		return "CrashLoopBackOff";
	case POD_WAIT_NONE:
		break;
	}
	return p->phase == POD_RUNNING ? "Running" : "Pending";
}

static const char *node_name(const struct world *w, const struct pod *p)
{
	if (!p->scheduled)
		return "";
	if (p->node < 0)                /* no cluster: a node of its own */
		return "node-auto";
	return w->cfg->cluster.nodes[p->node].name;
}

void pod_view_send(struct world *w, int32_t i, const char *change)
{
	const struct pod *p = &w->pods[i];
	const struct replicaset *r = &w->rs[p->rs];
	struct world_pod_view v;

	v.name = p->name;
	v.rs = r->name;
	v.revision = r->revision;
	v.image = w->tmpls[p->tmpl].image;
	v.node = node_name(w, p);
	v.status = pod_view_status(p);
	v.ready = p->ready && p->running;
	v.containers = 1;
	v.restarts = p->restarts;
	v.created_ns = p->created_ns;
	v.last_exit_ns = p->last_term_ns;
	v.change = change;
	v.deleted = p->phase == POD_GONE;
	w->obs.on_pod(w->obs.ctx, engine_now(w->eng), &v);
}
