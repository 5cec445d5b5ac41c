/* test_prog_views.c - what the outputs and the observers show of the
 * progressive strategies (issue 13): timeline.csv's five more columns
 * for canary, blueGreen and Flagger only, the ReplicaSet view's role and
 * the Deployment view's strategy fields, and that a Deployment's are
 * unchanged.
 *
 * The controllers may be stubs here: the checks are about the shape
 * (columns, defaults), not the counts a controller makes.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "../cli/cli_util.h"
#include "conf_world.h"
#include "models/world_impl.h"
#include "sim/report/run.h"

/* The contract's twelve columns, then the progressive five (README,
 * Outputs): written out here, not taken from report.h. */
#define TL12 "time_s,revision,old_pods,new_pods,old_ready,new_ready," \
	"available,terminating,pending,endpoints,desired_old,desired_new"
#define TL5 "stable_pods,canary_pods,stable_revision,canary_revision," \
	"canary_weight"

static void conf_of(struct world_config *cfg, enum strategy_type st)
{
	struct conf_world p = {
		.replicas = 3, .strategy = st,
		.max_surge = { 0, 1 }, .max_unav = { 0, 0 },
		.pull_ns = CONF_D_NS,
	};

	conf_world_config(cfg, "web", &p);
}

/* Runs strategy st into a fresh directory; its timeline.csv (malloc'ed). */
static char *timeline_of(enum strategy_type st)
{
	struct world_config cfg;
	struct world_metrics m;
	struct rsim_error err;
	cJSON *summary;
	world *w;
	char *dir = cli_tmpdir(), path[1300], *text;

	cr_assert_not_null(dir);
	conf_of(&cfg, st);
	memset(&err, 0, sizeof(err));
	cr_assert_eq(run_once(&cfg, dir, "web", &m, &summary, &w, &err), 0,
		     "%s", err.msg);
	snprintf(path, sizeof(path), "%s/timeline.csv", dir);
	text = cli_slurp(path, NULL);
	cr_assert_not_null(text);
	cJSON_Delete(summary);
	world_free(w);
	world_config_release(&cfg);
	cli_rmrf(dir);
	free(dir);
	return text;
}

/* Every line of text (header included) has n comma-separated fields;
 * returns the number of lines. */
static int check_fields(const char *text, int n)
{
	const char *p = text;
	int lines = 0;

	while (*p) {
		const char *nl = strchr(p, '\n');
		int k = 1;

		cr_assert_not_null(nl, "last line unterminated");
		for (; p < nl; p++)
			k += *p == ',';
		cr_assert_eq(k, n, "line %d has %d fields, not %d", lines + 1,
			     k, n);
		p = nl + 1;
		lines++;
	}
	return lines;
}

Test(prog_views, timeline_deployment_keeps_twelve_columns)
{
	static const enum strategy_type st[] = { STRATEGY_ROLLING_UPDATE,
						 STRATEGY_RECREATE };
	size_t i;

	for (i = 0; i < sizeof(st) / sizeof(*st); i++) {
		char *t = timeline_of(st[i]);

		cr_assert(strncmp(t, TL12 "\n", strlen(TL12 "\n")) == 0,
			  "header: %.200s", t);
		cr_assert_gt(check_fields(t, 12), 1);
		free(t);
	}
}

Test(prog_views, timeline_progressive_appends_five_columns)
{
	static const enum strategy_type st[] = { STRATEGY_CANARY,
						 STRATEGY_BLUE_GREEN,
						 STRATEGY_FLAGGER };
	size_t i;

	for (i = 0; i < sizeof(st) / sizeof(*st); i++) {
		char *t = timeline_of(st[i]);

		cr_assert(strncmp(t, TL12 "," TL5 "\n",
				  strlen(TL12 "," TL5 "\n")) == 0,
			  "%s header: %.200s", deploy_strategy_name(st[i]), t);
		cr_assert_gt(check_fields(t, 17), 1);
		free(t);
	}
}

/* --- the observers ------------------------------------------------- */

struct seen {
	int n_rs, n_dep, bad_role;
	struct world_deploy_view last;   /* strings: see the copies */
	char strategy[32], phase[32];
};

static void seen_rs(void *ctx, sim_time_t t, const struct world_rs_view *v)
{
	struct seen *s = ctx;

	(void)t;
	s->n_rs++;
	s->bad_role += !v->role || v->role[0];
}

static void seen_dep(void *ctx, sim_time_t t,
		     const struct world_deploy_view *v)
{
	struct seen *s = ctx;

	(void)t;
	s->n_dep++;
	s->last = *v;
	snprintf(s->strategy, sizeof(s->strategy), "%s",
		 v->strategy ? v->strategy : "(null)");
	snprintf(s->phase, sizeof(s->phase), "%s",
		 v->phase ? v->phase : "(null)");
}

static world *observed(struct world_config *cfg, enum strategy_type st,
		       struct seen *s)
{
	struct world_observer obs;
	world *w;

	conf_of(cfg, st);
	memset(&obs, 0, sizeof(obs));
	memset(s, 0, sizeof(*s));
	obs.ctx = s;
	obs.on_rs = seen_rs;
	obs.on_deploy = seen_dep;
	cr_assert_eq(world_new(cfg, 0, &obs, &w), 0);
	cr_assert_eq(world_run(w), 0);
	return w;
}

/* A Deployment's ReplicaSets have no role, its view names its strategy
 * and no step; prog_roles_changed sends nothing for it. */
Test(prog_views, deployment_views_have_no_role)
{
	struct world_config cfg;
	struct seen s;
	world *w = observed(&cfg, STRATEGY_ROLLING_UPDATE, &s);
	int n_rs = s.n_rs, n_dep = s.n_dep;

	cr_assert_gt(n_rs, 0);
	cr_assert_eq(s.bad_role, 0, "a ReplicaSet view with a role");
	cr_assert_str_eq(s.strategy, "RollingUpdate");
	cr_assert_eq(s.last.progressive, 0);
	cr_assert_eq(s.last.step, -1);
	cr_assert_str_eq(s.phase, "");
	prog_roles_changed(w);
	cr_assert_eq(s.n_rs, n_rs);
	cr_assert_eq(s.n_dep, n_dep);
	world_free(w);
	world_config_release(&cfg);
}

/* A progressive strategy's view says so; calling the hook twice with
 * nothing changed sends nothing the second time. */
Test(prog_views, progressive_deploy_view_and_hook)
{
	static const struct {
		enum strategy_type st;
		const char *name;
	} c[] = { { STRATEGY_CANARY, "Canary" },
		  { STRATEGY_BLUE_GREEN, "BlueGreen" },
		  { STRATEGY_FLAGGER, "Flagger" } };
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(*c); i++) {
		struct world_config cfg;
		struct seen s;
		world *w = observed(&cfg, c[i].st, &s);
		int n_rs, n_dep;

		cr_assert_str_eq(s.strategy, c[i].name);
		cr_assert_eq(s.last.progressive, 1);
		prog_roles_changed(w);
		n_rs = s.n_rs;
		n_dep = s.n_dep;
		prog_roles_changed(w);
		cr_assert_eq(s.n_rs, n_rs, "%s", c[i].name);
		cr_assert_eq(s.n_dep, n_dep, "%s", c[i].name);
		world_free(w);
		world_config_release(&cfg);
	}
}
