/* conf_world.c - the idealised world of the conformance tests that run
 * whole rollouts (see conf_world.h). This file holds no tests of its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "models/pod.h"
#include "models/probe.h"
#include "models/world.h"
#include "sim/core/dist.h"
#include "conf_world.h"

void conf_world_config(struct world_config *cfg, const char *name,
		       const struct conf_world *p)
{
	size_t i;

	world_config_init(cfg);
	snprintf(cfg->name, sizeof(cfg->name), "%s", name);
	cfg->until_ns = CONF_UNTIL_NS;
	cfg->images = calloc(2, sizeof(*cfg->images));
	cfg->events = calloc(1 + p->n_extra, sizeof(*cfg->events));
	cr_assert_not_null(cfg->images);
	cr_assert_not_null(cfg->events);
	cfg->n_images = 2;
	image_config_defaults(&cfg->images[0], "app:1");
	image_config_defaults(&cfg->images[1], "app:2");
	for (i = 0; i < 2; i++) {
		struct image_config *im = &cfg->images[i];

		im->pull = dist_constant(p->pull_ns);
		im->startup = dist_constant(0);
		im->shutdown = dist_constant(0);
		im->grace_ns = 0;
		im->prestop_ns = 0;
		im->readiness.enabled = 0;
	}
	if (p->new_never_ready) {
		probe_config_defaults(&cfg->images[1].readiness);
		cfg->images[1].readiness.never_ready = 1;
	}
	cfg->deployment.replicas = p->replicas;
	cfg->deployment.strategy = p->strategy;
	cfg->deployment.max_surge = p->max_surge;
	cfg->deployment.max_unavailable = p->max_unav;
	cfg->deployment.min_ready_ns = p->min_ready_ns;
	cfg->deployment.image = 0;
	cfg->events[0].at_ns = CONF_TRIGGER_NS;
	cfg->events[0].action = ACTION_SET_IMAGE;
	cfg->events[0].image = 1;
	for (i = 0; i < p->n_extra; i++)
		cfg->events[1 + i] = p->extra[i];
	cfg->n_events = 1 + p->n_extra;
}
