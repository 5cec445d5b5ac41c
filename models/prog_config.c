/* prog_config.c - defaults of the progressive strategies' configuration
 * and the strategies' names.
 *
 * Argo Rollouts: utils/defaults/defaults.go (maxSurge and maxUnavailable
 * "25", scaleDownDelaySeconds 30, abortScaleDownDelaySeconds 30,
 * autoPromotionEnabled true, consecutiveErrorLimit 4). Flagger:
 * pkg/apis/flagger/v1beta1/canary.go (interval 60 s, threshold 1,
 * maxWeight 100).
 */
#include <string.h>

#include "deployment.h"

void metric_config_defaults(struct metric_config *m)
{
	memset(m, 0, sizeof(*m));
	m->kind = METRIC_SUCCESS_RATE;
	m->interval_ns = 60 * SIM_NS_PER_S;
	m->count = 0;
	m->failure_limit = 0;
	m->inconclusive_limit = 0;
	m->consecutive_error_limit = 4;
	m->min_requests = 1;
}

void analysis_config_defaults(struct analysis_config *a)
{
	int i;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < PROG_METRICS_MAX; i++)
		metric_config_defaults(&a->metrics[i]);
}

void prog_config_defaults(struct prog_config *c)
{
	int i;

	memset(c, 0, sizeof(*c));
	c->canary.max_surge = intstr_percent(25);
	c->canary.max_unavailable = intstr_percent(25);
	for (i = 0; i < CANARY_ANALYSES_MAX; i++)
		analysis_config_defaults(&c->canary.analyses[i]);
	analysis_config_defaults(&c->canary.background);
	c->bg.preview_replicas = -1;
	c->bg.auto_promotion = 1;
	c->bg.scale_down_delay_ns = 30 * SIM_NS_PER_S;
	c->bg.abort_scale_down_delay_ns = 30 * SIM_NS_PER_S;
	analysis_config_defaults(&c->bg.pre);
	analysis_config_defaults(&c->bg.post);
	strcpy(c->bg.active_service, "active");
	strcpy(c->bg.preview_service, "preview");
	c->flagger.interval_ns = 60 * SIM_NS_PER_S;
	c->flagger.threshold = 1;
	c->flagger.max_weight = 100;
	c->flagger.progress_deadline_ns = 600 * SIM_NS_PER_S;
	c->flagger.step_weight = 0;      /* required unless stepWeights or
					   iterations are given */
	analysis_config_defaults(&c->flagger.metrics);
	c->flagger.primary_max_surge = intstr_percent(25);
	c->flagger.primary_max_unavailable = intstr_percent(25);
}

const char *deploy_strategy_name(enum strategy_type st)
{
	switch (st) {
	case STRATEGY_RECREATE:
		return "Recreate";
	case STRATEGY_CANARY:
		return "Canary";
	case STRATEGY_BLUE_GREEN:
		return "BlueGreen";
	case STRATEGY_FLAGGER:
		return "Flagger";
	case STRATEGY_ROLLING_UPDATE:
	default:
		return "RollingUpdate";
	}
}

int deploy_strategy_progressive(enum strategy_type st)
{
	return st == STRATEGY_CANARY || st == STRATEGY_BLUE_GREEN ||
	       st == STRATEGY_FLAGGER;
}
