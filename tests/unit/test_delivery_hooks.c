/* test_delivery_hooks.c - the calls the progressive controllers make to
 * report their decisions (models/prog_impl.h: delivery_promoted,
 * delivery_detected, delivery_rolled_back, delivery_measured) and what
 * summary.json makes of them.
 *
 * A Deployment run (2 replicas, setImage at 10 s, until 20 s) stands in
 * for a controller: the calls are made at the end of its run (20 s) and,
 * after running the engine on to 30 s, again. Each time is kept from its
 * first call; the summary counts times from the first rollout's trigger
 * (10 s): detection 10 s, rollback 20 s.
 */
#include <criterion/criterion.h>

#include <stdlib.h>

#include "models/world_impl.h"
#include "sim/report/report.h"

#define S SIM_NS_PER_S

/* A number of the summary's delivery object (report.c writes times as
 * raw text). */
static double delivery_num(const cJSON *summary, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(cJSON_GetObjectItem(summary,
		"delivery"), key);

	cr_assert(cJSON_IsRaw(v) || cJSON_IsNumber(v), "delivery.%s", key);
	return cJSON_IsRaw(v) ? strtod(v->valuestring, NULL) : v->valuedouble;
}

static void hooks_config(struct world_config *cfg)
{
	size_t i;

	world_config_init(cfg);
	cfg->until_ns = 20 * S;
	cfg->images = calloc(2, sizeof(*cfg->images));
	cr_assert_not_null(cfg->images);
	cfg->n_images = 2;
	image_config_defaults(&cfg->images[0], "app:1");
	image_config_defaults(&cfg->images[1], "app:2");
	cfg->deployment.replicas = 2;
	cfg->events = calloc(1, sizeof(*cfg->events));
	cr_assert_not_null(cfg->events);
	cfg->n_events = 1;
	cfg->events[0].at_ns = 10 * S;
	cfg->events[0].action = ACTION_SET_IMAGE;
	cfg->events[0].image = 1;
	for (i = 0; i < cfg->n_images; i++)
		cfg->images[i].pull = dist_constant(1 * S);
}

Test(delivery_hooks, first_calls_count_and_the_summary_shows_them)
{
	struct world_config cfg;
	struct world_metrics m;
	world *w;
	cJSON *s;

	hooks_config(&cfg);
	cr_assert_eq(world_new(&cfg, 0, NULL, &w), 0);
	cr_assert_eq(world_run(w), 0);
	delivery_measured(w, 0);
	delivery_measured(w, 1);
	delivery_detected(w);                  /* 20 s */
	cr_assert_eq(engine_run(w->eng, 30 * S), 0);
	delivery_detected(w);                  /* later: ignored */
	delivery_rolled_back(w);               /* 30 s */
	delivery_rolled_back(w);
	delivery_measured(w, 1);
	world_get_metrics(w, &m);
	cr_expect_eq(m.delivery.detected_ns, 20 * S);
	cr_expect_eq(m.delivery.rolled_back_ns, 30 * S);
	cr_expect_eq(m.delivery.aborted, 1);
	cr_expect_eq(m.delivery.measurements, 3);
	cr_expect_eq(m.delivery.failed_measurements, 2);
	/* the Deployment itself promoted app:2 at its completion (12 s: maxSurge
	 * 1, maxUnavailable 0, two steps of the 1 s pull):
	 * a later promotion call does not move it */
	cr_expect_eq(m.delivery.promoted_ns, 12 * S);
	delivery_promoted(w);
	world_get_metrics(w, &m);
	cr_expect_eq(m.delivery.promoted_ns, 12 * S);
	s = report_summary(&cfg, 0, &m);
	cr_assert_not_null(s);
	cr_expect_float_eq(delivery_num(s, "time_to_detect_s"), 10.0, 1e-9);
	cr_expect_float_eq(delivery_num(s, "time_to_rollback_s"), 20.0, 1e-9);
	cr_expect_float_eq(delivery_num(s, "time_to_promote_s"), 2.0, 1e-9);
	cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(s,
		"delivery"), "aborted")));
	cJSON_Delete(s);
	world_free(w);
	world_config_release(&cfg);
}

/* Without any rollout the times have no origin: null, even if a call
 * was made. */
Test(delivery_hooks, no_rollout_no_times)
{
	struct world_config cfg;
	struct world_metrics m;
	world *w;
	cJSON *s, *d;

	hooks_config(&cfg);
	cfg.n_events = 0;
	cr_assert_eq(world_new(&cfg, 0, NULL, &w), 0);
	cr_assert_eq(world_run(w), 0);
	delivery_detected(w);
	world_get_metrics(w, &m);
	cr_expect_eq(m.delivery.promoted_ns, -1);
	s = report_summary(&cfg, 0, &m);
	cr_assert_not_null(s);
	d = cJSON_GetObjectItem(s, "delivery");
	cr_expect(cJSON_IsNull(cJSON_GetObjectItem(d, "time_to_detect_s")));
	cr_expect(cJSON_IsNull(cJSON_GetObjectItem(d, "time_to_promote_s")));
	cr_expect(cJSON_IsFalse(cJSON_GetObjectItem(d, "promoted")));
	cJSON_Delete(s);
	world_free(w);
	world_config_release(&cfg);
}
