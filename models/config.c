/* config.c - defaults and release of the models' plain config structs.
 *
 * scenario.c starts from these defaults and overwrites what a scenario
 * gives; the defaults are Kubernetes' (apps/v1, core/v1) where a concept
 * exists there (SEMANTICS.md §a, §h).
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
}

void image_config_release(struct image_config *c)
{
	dist_release(&c->pull);
	dist_release(&c->container_start);
	dist_release(&c->startup);
	dist_release(&c->shutdown);
	dist_release(&c->crash.after);
	dist_release(&c->service_time);
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
		"ok", "no_endpoint", "refused", "overload", "timeout", "reset"
	};

	return (unsigned)o < OUTCOME_COUNT ? names[o] : "unknown";
}

void deployment_config_defaults(struct deployment_config *c)
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
}

void world_config_init(struct world_config *c)
{
	memset(c, 0, sizeof(*c));
	strcpy(c->name, "scenario");
	c->seed = 1;
	c->until_ns = 15 * 60 * SIM_NS_PER_S;
	deployment_config_defaults(&c->deployment);
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

void image_config_apply(struct image_config *dst,
			const struct image_config *base,
			const struct pod_overrides *o)
{
	const struct image_config *v = &o->v;

	*dst = *base;
	if (o->mask & TMPL_PULL)
		dst->pull = v->pull;
	if (o->mask & TMPL_STARTUP)
		dst->startup = v->startup;
	if (o->mask & TMPL_SHUTDOWN)
		dst->shutdown = v->shutdown;
	if (o->mask & TMPL_READINESS)
		dst->readiness = v->readiness;
	if (o->mask & TMPL_GRACE)
		dst->grace_ns = v->grace_ns;
	if (o->mask & TMPL_PRESTOP)
		dst->prestop_ns = v->prestop_ns;
	if (o->mask & TMPL_DELETION_COST)
		dst->deletion_cost = v->deletion_cost;
	if (o->mask & TMPL_CONTAINER_START)
		dst->container_start = v->container_start;
	if (o->mask & TMPL_LIVENESS)
		dst->liveness = v->liveness;
	if (o->mask & TMPL_STARTUP_PROBE)
		dst->startup_probe = v->startup_probe;
	if (o->mask & TMPL_CRASH)
		dst->crash = v->crash;
	if (o->mask & TMPL_REQUESTS) {
		dst->cpu_milli = v->cpu_milli;
		dst->memory_bytes = v->memory_bytes;
	}
	if (o->mask & TMPL_PULL_POLICY)
		dst->pull_policy = v->pull_policy;
	if (o->mask & TMPL_PULL_FAILURE)
		dst->pull_failure_prob = v->pull_failure_prob;
	if (o->mask & TMPL_WARMUP)
		dst->warmup = v->warmup;
	if (o->mask & TMPL_ACCEPT_SHUTDOWN)
		dst->accept_during_shutdown = v->accept_during_shutdown;
	if (o->mask & TMPL_CONCURRENCY)
		dst->concurrency = v->concurrency;
	if (o->mask & TMPL_QUEUE)
		dst->queue_capacity = v->queue_capacity;
	if (o->mask & TMPL_SERVICE_TIME)
		dst->service_time = v->service_time;
	if (o->mask & TMPL_DRAIN_CONNECTIONS)
		dst->drain_connections = v->drain_connections;
}

void pod_overrides_merge(struct pod_overrides *o,
			 const struct pod_overrides *patch)
{
	struct image_config merged;

	image_config_apply(&merged, &o->v, patch);
	o->v = merged;
	o->mask |= patch->mask;
}

static int dist_equal(const struct dist *a, const struct dist *b)
{
	if (a->kind != b->kind || a->a_ns != b->a_ns || a->b_ns != b->b_ns ||
	    a->shape != b->shape || a->n_samples != b->n_samples)
		return 0;
	return a->n_samples == 0 ||
	       memcmp(a->samples, b->samples,
		      a->n_samples * sizeof(*a->samples)) == 0;
}

static int probe_equal(const struct probe_config *a,
		       const struct probe_config *b)
{
	return a->enabled == b->enabled &&
	       a->initial_delay_ns == b->initial_delay_ns &&
	       a->period_ns == b->period_ns && a->timeout_ns == b->timeout_ns &&
	       a->success_threshold == b->success_threshold &&
	       a->failure_threshold == b->failure_threshold &&
	       a->never_ready == b->never_ready &&
	       a->failure_prob == b->failure_prob;
}

static int crash_equal(const struct crash_config *a,
		       const struct crash_config *b)
{
	return a->enabled == b->enabled && dist_equal(&a->after, &b->after) &&
	       a->probability == b->probability;
}

/* The fields of the issue-5/6 model (scheduling, probes, traffic). */
static int image_more_equal(const struct image_config *a,
			    const struct image_config *b)
{
	return dist_equal(&a->container_start, &b->container_start) &&
	       probe_equal(&a->liveness, &b->liveness) &&
	       probe_equal(&a->startup_probe, &b->startup_probe) &&
	       crash_equal(&a->crash, &b->crash) &&
	       a->cpu_milli == b->cpu_milli &&
	       a->memory_bytes == b->memory_bytes &&
	       a->pull_policy == b->pull_policy &&
	       a->pull_failure_prob == b->pull_failure_prob &&
	       a->warmup.duration_ns == b->warmup.duration_ns &&
	       a->warmup.factor == b->warmup.factor &&
	       a->accept_during_shutdown == b->accept_during_shutdown &&
	       a->drain_connections == b->drain_connections &&
	       a->concurrency == b->concurrency &&
	       a->queue_capacity == b->queue_capacity &&
	       dist_equal(&a->service_time, &b->service_time);
}

int image_config_equal(const struct image_config *a,
		       const struct image_config *b)
{
	return strcmp(a->name, b->name) == 0 && dist_equal(&a->pull, &b->pull) &&
	       dist_equal(&a->startup, &b->startup) &&
	       dist_equal(&a->shutdown, &b->shutdown) &&
	       probe_equal(&a->readiness, &b->readiness) &&
	       a->grace_ns == b->grace_ns && a->prestop_ns == b->prestop_ns &&
	       a->deletion_cost == b->deletion_cost && image_more_equal(a, b);
}
