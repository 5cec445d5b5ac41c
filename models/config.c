/* config.c - defaults and release of the models' plain config structs.
 *
 * scenario.c starts from these defaults and overwrites what a scenario
 * gives; the defaults are Kubernetes' (apps/v1, core/v1) where a concept
 * exists there (docs/kubernetes.md §1, §9).
 */
#include <stdlib.h>
#include <string.h>

#include "deployment.h"
#include "pod.h"
#include "probe.h"
#include "world.h"

void probe_config_defaults(struct probe_config *c)
{
	memset(c, 0, sizeof(*c));
	c->enabled = 1;
	c->initial_delay_ns = 0;
	c->period_ns = 10 * SIM_NS_PER_S;
	c->timeout_ns = 1 * SIM_NS_PER_S;
	c->success_threshold = 1;
	c->failure_threshold = 3;
	c->never_ready = 0;
}

void image_config_defaults(struct image_config *c, const char *name)
{
	memset(c, 0, sizeof(*c));
	if (name) {
		strncpy(c->name, name, sizeof(c->name) - 1);
		c->name[sizeof(c->name) - 1] = '\0';
	}
	c->pull = dist_constant(0);
	c->container_start = dist_constant(0);
	c->startup = dist_constant(0);
	c->shutdown = dist_constant(0);
	probe_config_defaults(&c->readiness);
	c->readiness.enabled = 0;
	probe_config_defaults(&c->liveness);
	c->liveness.enabled = 0;
	probe_config_defaults(&c->startup_probe);
	c->startup_probe.enabled = 0;
	c->grace_ns = 30 * SIM_NS_PER_S;
	c->prestop_ns = 0;
	c->crash.after = dist_constant(0);
	c->crash.probability = 1.0;
	c->pull_policy = PULL_IF_NOT_PRESENT;
	c->warmup.factor = 1.0;
	c->concurrency = 8;
	c->queue_capacity = 100;
	c->service_time.kind = DIST_EXPONENTIAL;
	c->service_time.a_ns = 20 * SIM_NS_PER_MS;
	c->service_time_factor = 1.0;
}

void network_config_defaults(struct network_config *c)
{
	int i;

	for (i = 0; i < CONSUMER_COUNT; i++)
		c->propagation[i] = dist_constant(0);
}

void network_config_release(struct network_config *c)
{
	int i;

	for (i = 0; i < CONSUMER_COUNT; i++)
		dist_release(&c->propagation[i]);
}

void traffic_config_defaults(struct traffic_config *c)
{
	memset(c, 0, sizeof(*c));
	c->arrivals = ARRIVALS_POISSON;
	c->lb = LB_RANDOM;
	c->via = CONSUMER_KUBE_PROXY;
	c->conn_count = 32;
	c->retry_on = (1u << OUTCOME_NO_ENDPOINT) | (1u << OUTCOME_REFUSED) |
		      (1u << OUTCOME_RESET);
}

void traffic_config_release(struct traffic_config *c)
{
	free(c->schedule);
	c->schedule = NULL;
	c->n_schedule = 0;
}

const char *traffic_outcome_name(enum req_outcome o)
{
	static const char *const names[OUTCOME_COUNT] = {
		"ok", "no_endpoint", "refused", "overload", "timeout", "reset",
		"app_error"
	};

	return (unsigned)o < OUTCOME_COUNT ? names[o] : "unknown";
}

void deploy_config_defaults(struct deploy_config *c)
{
	memset(c, 0, sizeof(*c));
	strcpy(c->name, "app");
	c->replicas = 1;
	c->min_ready_ns = 0;
	c->progress_deadline_ns = 600 * SIM_NS_PER_S;
	c->revision_history_limit = 10;
	c->strategy = STRATEGY_ROLLING_UPDATE;
	c->max_surge = intstr_percent(25);
	c->max_unavailable = intstr_percent(25);
	c->image = 0;
	image_config_defaults(&c->tmpl.v, NULL);
	c->tmpl.mask = 0;
	c->paused = 0;
	strcpy(c->container, "app");
	prog_config_defaults(&c->prog);
}

void world_config_init(struct world_config *c)
{
	memset(c, 0, sizeof(*c));
	strcpy(c->name, "scenario");
	c->seed = 1;
	c->until_ns = 15 * 60 * SIM_NS_PER_S;
	deploy_config_defaults(&c->deployment);
	c->sync_delay = dist_constant(0);
	cluster_config_defaults(&c->cluster);
	network_config_defaults(&c->network);
	traffic_config_defaults(&c->traffic);
}

void world_config_release(struct world_config *c)
{
	size_t i;

	for (i = 0; i < c->n_images; i++)
		image_config_release(&c->images[i]);
	image_config_release(&c->deployment.tmpl.v);
	for (i = 0; i < c->n_events; i++)
		image_config_release(&c->events[i].patch.v.tmpl.v);
	dist_release(&c->sync_delay);
	cluster_config_release(&c->cluster);
	network_config_release(&c->network);
	traffic_config_release(&c->traffic);
	free(c->images);
	free(c->events);
	c->images = NULL;
	c->events = NULL;
	c->n_images = 0;
	c->n_events = 0;
}

int world_config_find_image(const struct world_config *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->n_images; i++)
		if (strcmp(c->images[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int overrides_app_errors(const struct pod_overrides *o)
{
	return (o->mask & TMPL_ERROR_RATE) && o->v.error_rate > 0.0;
}

int world_config_app_errors(const struct world_config *c)
{
	size_t i;

	for (i = 0; i < c->n_images; i++)
		if (c->images[i].error_rate > 0.0)
			return 1;
	if (overrides_app_errors(&c->deployment.tmpl))
		return 1;
	for (i = 0; i < c->n_events; i++)
		if (c->events[i].action == ACTION_APPLY &&
		    overrides_app_errors(&c->events[i].patch.v.tmpl))
			return 1;
	return 0;
}
