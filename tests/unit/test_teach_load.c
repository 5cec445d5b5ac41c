/* test_teach_load.c - the teaching commands load a scenario as `run`
 * does (sim/teach/teach_load.c over scenario_load_input): --set, then
 * --event appended, and a Kubernetes manifest wrapped into a scenario;
 * the shared loader (scenario_load_input) under allocation failures.
 */
#include <criterion/criterion.h>
#include <criterion/redirect.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/alloc.h"
#include "sim/core/engine.h"
#include "sim/scenario/scenario.h"
#include "sim/teach/teach.h"
#include "../cli/cli_util.h"

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

	cr_redirect_stderr();   /* the note on what was assumed */
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

/* Every allocation of loading a manifest with a --set and an --event
 * made to fail in turn: the load reports RSIM_ENOMEM (never an input
 * error, never success), and under `make asan` nothing leaks; for a
 * YAML manifest, a JSON one (found by its apiVersion and kind) and a
 * YAML one under a name that does not say so (found by its kind: line,
 * after the JSON parse failed). */
Test(teach_load, out_of_memory_is_reported)
{
	static const char *const sets[] = { "traffic.rate=5" };
	static const char *const events[] = {
		"{\"at\":\"90s\",\"action\":\"rolloutUndo\"}"
	};
	char *dir = cli_tmpdir(), txt[512];
	char *yaml = cli_slurp("scenarios/manifests/flask-app.yaml", NULL);
	const char *const files[] = {
		"scenarios/manifests/flask-app.yaml", "tests/manifests/full.json",
		txt
	};
	struct scenario_input in = { 0 };
	struct world_config cfg;
	struct rsim_error err;
	size_t f;
	long k;
	int rc = -1;

	cr_assert_not_null(yaml);
	snprintf(txt, sizeof(txt), "%s/deploy.txt", dir);
	cr_assert_eq(cli_write(txt, yaml), 0);
	in.sets = sets;
	in.n_sets = 1;
	in.events = events;
	in.n_events = 1;
	for (f = 0; f < sizeof(files) / sizeof(*files); f++) {
		in.file = files[f];
		for (k = 1; k < 100000; k++) {
			memset(&err, 0, sizeof(err));
			rsim_alloc_fail_after(k);
			rc = scenario_load_input(&in, &cfg, NULL, 0, &err);
			rsim_alloc_fail_after(0);
			if (!rsim_alloc_failed())
				break;
			cr_assert_eq(rc, RSIM_ENOMEM, "%s, k %ld: rc %d: %s",
				     in.file, k, rc, err.msg);
		}
		cr_assert_eq(rc, 0, "%s: %s", in.file, err.msg);
		cr_assert_gt(k, 10, "%s: only %ld allocations", in.file, k);
		world_config_release(&cfg);
	}
	free(yaml);
	cli_rmrf(dir);
	free(dir);
}
