/* action_explain.c - the user's kubectl commands in words, for `rollsim
 * explain` (actions.c calls it before it acts, only when decide_on()). */
#include <stdio.h>

#include "decide.h"
#include "world_impl.h"

static void say_kubectl(struct world *w, const char *what, const char *why)
{
	char obj[DEPLOY_NAME_MAX + 16];

	snprintf(obj, sizeof(obj), "deployment/%s", w->dep.spec.name);
	decide(w, ACTOR_USER, obj, "kubectl %s%s", what, why);
}

void explain_action(struct world *w, const struct world_event *e)
{
	const char *d = w->dep.spec.name;
	char t[512];

	switch (e->action) {
	case ACTION_SET_IMAGE:
		snprintf(t, sizeof(t), "set image deployment/%s %s=%s", d,
			 w->dep.spec.container, w->cfg->images[e->image].name);
		say_kubectl(w, t, ": a new pod template, the controller "
			    "rolls it out");
		break;
	case ACTION_APPLY:
		say_kubectl(w, "apply -f deployment.yaml", ": the spec "
			    "changes (a new template starts a rollout)");
		break;
	case ACTION_SCALE:
		snprintf(t, sizeof(t), "scale deployment/%s --replicas=%d", d,
			 e->replicas);
		say_kubectl(w, t, "");
		break;
	case ACTION_PAUSE:
	case ACTION_RESUME:
		snprintf(t, sizeof(t), "rollout %s deployment/%s",
			 e->action == ACTION_PAUSE ? "pause" : "resume", d);
		say_kubectl(w, t, "");
		break;
	case ACTION_UNDO:
		if (e->to_revision > 0)
			snprintf(t, sizeof(t), "rollout undo deployment/%s "
				 "--to-revision=%d", d, e->to_revision);
		else
			snprintf(t, sizeof(t), "rollout undo deployment/%s",
				 d);
		say_kubectl(w, t, ": the template of that revision comes "
			    "back");
		break;
	case ACTION_DELETE_POD:
		if (e->pick == PICK_NAME)
			snprintf(t, sizeof(t), "delete pod %s", e->pod);
		else
			snprintf(t, sizeof(t), "delete pod (%s pod of "
				 "revision %d)", e->pick == PICK_OLDEST
				 ? "the oldest" : "a random", e->revision);
		say_kubectl(w, t, "");
		break;
	case ACTION_DRAIN_NODE:
		snprintf(t, sizeof(t), "drain %s",
			 e->node >= 0 && e->node < w->cfg->cluster.n_nodes
				 ? w->cfg->cluster.nodes[e->node].name : "?");
		say_kubectl(w, t, "");
		break;
	case ACTION_PROMOTE:
		snprintf(t, sizeof(t), "argo rollouts promote %s%s", d,
			 e->full ? " --full" : "");
		say_kubectl(w, t, ": the pause ends (--full: every step is "
			    "skipped)");
		break;
	case ACTION_ABORT:
		snprintf(t, sizeof(t), "argo rollouts abort %s", d);
		say_kubectl(w, t, ": traffic and replicas go back to the "
			    "stable version");
		break;
	case ACTION_RETRY:
		snprintf(t, sizeof(t), "argo rollouts retry rollout %s", d);
		say_kubectl(w, t, ": the aborted rollout starts again");
		break;
	}
}
