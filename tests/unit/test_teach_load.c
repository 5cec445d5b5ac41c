/* test_teach_load.c - the teaching commands load a scenario as `run`
 * does (sim/teach/teach_load.c over scenario_load_input): --set, then
 * --event appended, and a Kubernetes manifest wrapped into a scenario.
 */
#include <criterion/criterion.h>

#include "sim/core/engine.h"
#include "sim/teach/teach.h"

/* The walk-through's manifest (Deployment flask-app, 5 replicas, image
 * flask-app:1.0) becomes the documented wrapper: flask-app:next is
 * described, and set at 60 s; an --event is appended after it (a scale
 * at 90 s), and --set applies first (7 replicas). */
Test(teach_load, manifest_with_sets_and_events)
{
	static const char *const sets[] = { "deployment.replicas=7" };
	static const char *const events[] = {
		"{\"at\":\"90s\",\"action\":\"scale\",\"replicas\":3}"
	};
	struct teach_args a = { 0 };
	struct world_config cfg;
	struct rsim_error err = { 0 };
	int next;

	a.scenario = "scenarios/manifests/flask-app.yaml";
	a.sets = sets;
	a.n_sets = 1;
	a.events = events;
	a.n_events = 1;
	cr_assert_eq(teach_load(&a, &cfg, &err), 0, "%s: %s: %s", err.file,
		     err.path, err.msg);
	cr_expect_str_eq(cfg.name, "flask-app");
	cr_expect_eq(cfg.deployment.replicas, 7);
	next = world_config_find_image(&cfg, "flask-app:next");
	cr_assert_geq(next, 0);
	cr_assert_eq(cfg.n_events, 2);
	cr_expect_eq(cfg.events[0].at_ns, 60 * SIM_NS_PER_S);
	cr_expect_eq(cfg.events[0].action, ACTION_SET_IMAGE);
	cr_expect_eq(cfg.events[0].image, next);
	cr_expect_eq(cfg.events[1].at_ns, 90 * SIM_NS_PER_S);
	cr_expect_eq(cfg.events[1].action, ACTION_SCALE);
	cr_expect_eq(cfg.events[1].replicas, 3);
	world_config_release(&cfg);
}
