/* scenario_events.c - the "events" array of a scenario.
 *
 * Each event is { "at": duration, "action": NAME, ... }: the action is read
 * first and decides which other keys are allowed (scenario_actions, one
 * row per action: name, enum world_action, keys, reader). Events are
 * sorted by at, file order kept on ties (the engine runs them in that
 * order). On failure the event being read is released here; the ones
 * already counted in cfg->n_events are released by world_config_release.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/alloc.h"
#include "scenario_json.h"

#define SCENARIO_ACTIONS_MAX 16  /* names listed in "unknown action" */

static const char *const set_image_keys[] = {
	"at", "action", "image", NULL
};
static const char *const apply_keys[] = {
	"at", "action", "deployment", NULL
};
static const char *const scale_keys[] = {
	"at", "action", "replicas", NULL
};
static const char *const bare_keys[] = { "at", "action", NULL };
static const char *const undo_keys[] = {
	"at", "action", "toRevision", NULL
};
static const char *const delete_pod_keys[] = {
	"at", "action", "pod", "revision", "pick", NULL
};
static const char *const drain_node_keys[] = {
	"at", "action", "node", NULL
};
static const char *const promote_keys[] = {
	"at", "action", "full", NULL
};
static const char *const pick_names[] = { "random", "oldest", NULL };

/* Reads the action's own fields of ev into e (at and action are done). */
typedef int (*scenario_event_reader)(struct json_ctx *c, const cJSON *ev,
				     const struct world_config *cfg,
				     struct world_event *e);

struct scenario_action {
	const char *name;
	enum world_action action;
	const char *const *keys;      /* allowed keys of the event object */
	scenario_event_reader read;   /* NULL: no fields of its own */
};

/* kubectl set image */
static int event_read_set_image(struct json_ctx *c, const cJSON *ev,
				const struct world_config *cfg,
				struct world_event *e)
{
	return scenario_image_ref(c, ev, "image", cfg, &e->image);
}

/* A progressive strategy is fixed for the run: an apply may not switch
 * it to a Deployment's (strategy.type, rollingUpdate). */
static int event_check_patch_strategy(struct json_ctx *c,
				      const struct world_config *cfg,
				      const struct deploy_patch *p)
{
	const uint32_t bits = PATCH_STRATEGY_TYPE | PATCH_MAX_SURGE |
			      PATCH_MAX_UNAVAILABLE;
	size_t mark;
	int rc;

	if (!deploy_strategy_progressive(cfg->deployment.strategy) ||
	    !(p->mask & bits))
		return 0;
	mark = json_path_push_key(c, "strategy");
	rc = json_fail(c, "cannot be changed by apply (the scenario's "
		       "strategy is %s, fixed for the run)",
		       deploy_strategy_name(cfg->deployment.strategy));
	json_path_pop(c, mark);
	return rc;
}

/* kubectl apply of a partial deployment */
static int event_read_apply(struct json_ctx *c, const cJSON *ev,
			    const struct world_config *cfg,
			    struct world_event *e)
{
	const cJSON *dep;
	const char *image = NULL;
	size_t mark;
	int rc = json_require(c, ev, "deployment", &dep);

	if (rc)
		return rc;
	mark = json_path_push_key(c, "deployment");
	rc = scenario_read_deploy_patch(c, dep, &e->patch, &image);
	if (rc == 0 && image)
		rc = scenario_image_ref(c, dep, "image", cfg,
					&e->patch.v.image);
	if (rc == 0)
		rc = event_check_patch_strategy(c, cfg, &e->patch);
	json_path_pop(c, mark);
	return rc;
}

/* kubectl scale --replicas */
static int event_read_scale(struct json_ctx *c, const cJSON *ev,
			    const struct world_config *cfg,
			    struct world_event *e)
{
	int rc = json_require(c, ev, "replicas", NULL);

	(void)cfg;
	return rc ? rc : json_read_replicas(c, ev, "replicas", &e->replicas);
}

/* kubectl rollout undo [--to-revision]: 0 is the previous revision */
static int event_read_undo(struct json_ctx *c, const cJSON *ev,
			   const struct world_config *cfg,
			   struct world_event *e)
{
	(void)cfg;
	return json_read_int(c, ev, "toRevision", 0, &e->to_revision);
}

/* deletePod by name: 1 to sizeof(pod) - 1 bytes. */
static int event_read_pod_name(struct json_ctx *c, const cJSON *ev,
			       struct world_event *e)
{
	const char *name = NULL;
	size_t mark, n;
	int rc = json_read_string(c, ev, "pod", &name);

	if (rc)
		return rc;
	n = strlen(name);
	if (n == 0 || n >= sizeof(e->pod)) {
		mark = json_path_push_key(c, "pod");
		rc = json_fail_got(c, "a pod name of 1 to 95 bytes",
				   cJSON_GetObjectItemCaseSensitive(ev, "pod"));
		json_path_pop(c, mark);
		return rc;
	}
	memcpy(e->pod, name, n + 1);
	e->pick = PICK_NAME;
	return 0;
}

/* deletePod by revision: pick "random" (the default) or "oldest". */
static int event_read_pick(struct json_ctx *c, const cJSON *ev,
			   struct world_event *e)
{
	const char *pick = NULL;
	size_t mark;
	int rc = json_read_int(c, ev, "revision", 1, &e->revision);

	if (rc == 0)
		rc = json_read_string(c, ev, "pick", &pick);
	e->pick = PICK_RANDOM;
	if (rc || !pick || strcmp(pick, "random") == 0)
		return rc;
	if (strcmp(pick, "oldest") == 0) {
		e->pick = PICK_OLDEST;
		return 0;
	}
	mark = json_path_push_key(c, "pick");
	rc = json_fail_enum(c, "pick", pick, pick_names);
	json_path_pop(c, mark);
	return rc;
}

/* kubectl delete pod: by name, or one pod of a revision. */
static int event_read_delete_pod(struct json_ctx *c, const cJSON *ev,
				 const struct world_config *cfg,
				 struct world_event *e)
{
	int by_name = cJSON_GetObjectItemCaseSensitive(ev, "pod") != NULL;
	int by_rev = cJSON_GetObjectItemCaseSensitive(ev, "revision") != NULL;
	size_t mark;
	int rc;

	(void)cfg;
	if (by_name && by_rev)
		return json_fail(c, "give either \"pod\" or \"revision\", "
				 "not both");
	if (!by_name && !by_rev)
		return json_fail(c, "missing required key \"pod\" or "
				 "\"revision\"");
	if (by_rev)
		return event_read_pick(c, ev, e);
	if (!cJSON_GetObjectItemCaseSensitive(ev, "pick"))
		return event_read_pod_name(c, ev, e);
	mark = json_path_push_key(c, "pick");
	rc = json_fail(c, "may only be given with \"revision\"");
	json_path_pop(c, mark);
	return rc;
}

/* kubectl drain NODE: a node of cluster.nodes, by name. */
static int event_read_drain_node(struct json_ctx *c, const cJSON *ev,
				 const struct world_config *cfg,
				 struct world_event *e)
{
	const char *name = NULL;
	char q[JSON_TEXT_MAX];
	size_t mark;
	int rc = json_require(c, ev, "node", NULL);

	if (rc == 0)
		rc = json_read_string(c, ev, "node", &name);
	if (rc)
		return rc;
	e->node = scenario_node_index(cfg->cluster.nodes,
				      cfg->cluster.n_nodes, name);
	if (cfg->cluster.enabled && e->node >= 0)
		return 0;
	mark = json_path_push_key(c, "node");
	json_quote(name, q);
	if (!cfg->cluster.enabled)
		rc = json_fail(c, "drainNode needs a cluster (no cluster in "
			       "this scenario)");
	else
		rc = json_fail(c, "node %s is not in cluster.nodes", q);
	json_path_pop(c, mark);
	return rc;
}

/* The progressive actions need a progressive strategy (kubectl argo
 * rollouts refuses them on anything but a Rollout). */
static int event_check_progressive(struct json_ctx *c, const cJSON *ev,
				   const struct world_config *cfg)
{
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(ev, "action");
	size_t mark;
	int rc;

	if (deploy_strategy_progressive(cfg->deployment.strategy))
		return 0;
	mark = json_path_push_key(c, "action");
	rc = json_fail(c, "\"%s\" needs a canary, blueGreen or flagger "
		       "strategy", name->valuestring);
	json_path_pop(c, mark);
	return rc;
}

/* kubectl argo rollouts promote [--full] (Flagger: confirm-promotion) */
static int event_read_promote(struct json_ctx *c, const cJSON *ev,
			      const struct world_config *cfg,
			      struct world_event *e)
{
	int rc = event_check_progressive(c, ev, cfg);

	return rc ? rc : json_read_bool(c, ev, "full", &e->full);
}

/* kubectl argo rollouts abort / retry rollout */
static int event_read_abort_retry(struct json_ctx *c, const cJSON *ev,
				  const struct world_config *cfg,
				  struct world_event *e)
{
	(void)e;
	return event_check_progressive(c, ev, cfg);
}

static const struct scenario_action scenario_actions[] = {
	{ "setImage", ACTION_SET_IMAGE, set_image_keys,
	  event_read_set_image },
	{ "apply", ACTION_APPLY, apply_keys, event_read_apply },
	{ "scale", ACTION_SCALE, scale_keys, event_read_scale },
	{ "rolloutPause", ACTION_PAUSE, bare_keys, NULL },
	{ "rolloutResume", ACTION_RESUME, bare_keys, NULL },
	{ "rolloutUndo", ACTION_UNDO, undo_keys, event_read_undo },
	{ "deletePod", ACTION_DELETE_POD, delete_pod_keys,
	  event_read_delete_pod },
	{ "drainNode", ACTION_DRAIN_NODE, drain_node_keys,
	  event_read_drain_node },
	{ "promote", ACTION_PROMOTE, promote_keys, event_read_promote },
	{ "abort", ACTION_ABORT, bare_keys, event_read_abort_retry },
	{ "retry", ACTION_RETRY, bare_keys, event_read_abort_retry },
};

#define SCENARIO_N_ACTIONS \
	(sizeof(scenario_actions) / sizeof(scenario_actions[0]))
_Static_assert(SCENARIO_N_ACTIONS <= SCENARIO_ACTIONS_MAX,
	       "raise SCENARIO_ACTIONS_MAX");

static const struct scenario_action *scenario_find_action(const char *name)
{
	size_t i;

	for (i = 0; i < SCENARIO_N_ACTIONS; i++)
		if (strcmp(name, scenario_actions[i].name) == 0)
			return &scenario_actions[i];
	return NULL;
}

/* 'unknown action "x"' with a hint or the list of every action. */
static int scenario_fail_action(struct json_ctx *c, const char *name)
{
	const char *names[SCENARIO_ACTIONS_MAX + 1];
	size_t i, mark;
	int rc;

	for (i = 0; i < SCENARIO_N_ACTIONS; i++)
		names[i] = scenario_actions[i].name;
	names[i] = NULL;
	mark = json_path_push_key(c, "action");
	rc = json_fail_enum(c, "action", name, names);
	json_path_pop(c, mark);
	return rc;
}

/* One event (its path pushed by the caller) into e, which is initialised
 * here (every patch holds valid dists) and released on failure. */
static int scenario_read_event(struct json_ctx *c, const cJSON *ev,
			       const struct world_config *cfg,
			       struct world_event *e)
{
	const struct scenario_action *act = NULL;
	const char *name = NULL;
	int rc = json_expect_object(c, ev);

	memset(e, 0, sizeof(*e));
	deploy_config_defaults(&e->patch.v);
	if (rc == 0)
		rc = json_require(c, ev, "action", NULL);
	if (rc == 0)
		rc = json_read_string(c, ev, "action", &name);
	if (rc == 0) {
		act = scenario_find_action(name);
		if (!act)
			rc = scenario_fail_action(c, name);
	}
	if (rc == 0) {
		e->action = act->action;
		rc = json_check_keys(c, ev, act->keys);
	}
	if (rc == 0)
		rc = json_require(c, ev, "at", NULL);
	if (rc == 0)
		rc = json_read_duration(c, ev, "at", 0, &e->at_ns);
	if (rc == 0 && act->read)
		rc = act->read(c, ev, cfg, e);
	if (rc)
		image_config_release(&e->patch.v.tmpl.v);
	return rc;
}

/* Sorts cfg->events by at_ns, keeping file order on ties. */
static int scenario_sort_events(struct json_ctx *c, struct world_config *cfg)
{
	return json_sort_by_time(c, cfg->events, cfg->n_events,
				 sizeof(*cfg->events),
				 offsetof(struct world_event, at_ns));
}

int scenario_read_events(struct json_ctx *c, const cJSON *root,
			 struct world_config *cfg)
{
	const cJSON *evs = cJSON_GetObjectItemCaseSensitive(root, "events");
	const cJSON *it;
	size_t n = 0, mark, m2;
	int rc = 0;

	if (!evs)
		return 0;
	mark = json_path_push_key(c, "events");
	if (!cJSON_IsArray(evs))
		rc = json_fail_got(c, "an array of events", evs);
	for (it = rc ? NULL : evs->child; it; it = it->next)
		n++;
	if (n > 0 && n <= SIZE_MAX / sizeof(*cfg->events))
		cfg->events = rsim_malloc(n * sizeof(*cfg->events));
	if (n > 0 && !cfg->events)
		rc = json_fail_nomem(c);
	for (it = rc ? NULL : evs->child; it && rc == 0; it = it->next) {
		m2 = json_path_push_index(c, cfg->n_events);
		rc = scenario_read_event(c, it, cfg,
					 &cfg->events[cfg->n_events]);
		json_path_pop(c, m2);
		if (rc == 0)
			cfg->n_events++;
	}
	if (rc == 0)
		rc = scenario_sort_events(c, cfg);
	json_path_pop(c, mark);
	return rc;
}
