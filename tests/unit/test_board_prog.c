/* test_board_prog.c - the board of a progressive rollout (board.h,
 * board_prog.c), fed views by hand through board_rec_open's observer: the
 * controllers need not exist for the board to be checked.
 *
 * Every expected line is written from the board's format (README, The
 * board) and the views fed: 5 replicas, 4 ready pods of app:1 (v1) and 1
 * of app:2 (v2); Argo canary with maxSurge 25% (5 * 25% = 1.25, rounded
 * up: 2) and maxUnavailable 0, steps setWeight 20, pause 30 s, setWeight
 * 50, pause (until promoted).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../conformance/conf_world.h"
#include "sim/teach/board.h"

#define S(x) ((sim_time_t)(x) * SIM_NS_PER_S)

static void canary_spec(struct world_config *cfg, enum strategy_type st)
{
	struct conf_world p = {
		.replicas = 5, .strategy = st,
		.max_surge = { 1, 25 }, .max_unav = { 0, 1 },
		.pull_ns = S(1),
	};
	struct canary_config *c;

	conf_world_config(cfg, "prog-board", &p);
	c = &cfg->deployment.prog.canary;
	c->max_surge = (struct intstr){ 1, 25 };
	c->max_unavailable = (struct intstr){ 0, 0 };
	c->n_steps = 4;
	c->steps[0] = (struct canary_step){ CANARY_SET_WEIGHT, 20, 0, 0 };
	c->steps[1] = (struct canary_step){ CANARY_PAUSE, 0, S(30), 0 };
	c->steps[2] = (struct canary_step){ CANARY_SET_WEIGHT, 50, 0, 0 };
	c->steps[3] = (struct canary_step){ CANARY_PAUSE, 0, -1, 0 };
}

/* A ReplicaSet of version image with its role. */
static void rs(const struct world_observer *o, sim_time_t t,
	       const char *name, int32_t image, const char *role)
{
	struct world_rs_view v;

	memset(&v, 0, sizeof(v));
	v.name = name;
	v.image = image;
	v.role = role;
	o->on_rs(o->ctx, t, &v);
}

/* n Ready pods of ReplicaSet rsname (name prefix p). */
static void pods(const struct world_observer *o, sim_time_t t,
		 const char *rsname, int32_t image, int n)
{
	struct world_pod_view v;
	char name[64];
	int i;

	for (i = 0; i < n; i++) {
		memset(&v, 0, sizeof(v));
		snprintf(name, sizeof(name), "%s-p%d", rsname, i);
		v.name = name;
		v.rs = rsname;
		v.image = image;
		v.node = "node-auto";
		v.status = "Running";
		v.ready = v.containers = 1;
		v.last_exit_ns = -1;
		v.change = "ready";
		o->on_pod(o->ctx, t, &v);
	}
}

/* The Deployment view of a progressive rollout (the rest of its fields
 * as a complete rollout has them). */
static void dep(const struct world_observer *o, sim_time_t t,
		const struct world_config *cfg, const char *strategy,
		const char *stable, const char *canary, const char *srole,
		const char *crole, int32_t weight, int32_t step,
		int32_t n_steps, const char *phase, const char *message)
{
	struct world_deploy_view d;

	memset(&d, 0, sizeof(d));
	d.name = "web";
	d.replicas = d.st_replicas = d.updated = d.ready = d.available = 5;
	d.progressing = d.available_cond = d.new_rs = "";
	d.spec = &cfg->deployment;
	d.strategy = strategy;
	d.progressive = 1;
	d.stable_rs = stable;
	d.canary_rs = canary;
	d.stable_role = srole;
	d.canary_role = crole;
	d.weight = weight;
	d.step = step;
	d.n_steps = n_steps;
	d.phase = phase;
	d.message = message;
	o->on_deploy(o->ctx, t, &d);
}

static void counts(const struct world_observer *o, sim_time_t t,
		   int32_t old_pods, int32_t new_pods)
{
	struct world_counts c;

	memset(&c, 0, sizeof(c));
	c.old_pods = c.old_ready = old_pods;
	c.new_pods = c.new_ready = new_pods;
	c.available = old_pods + new_pods;
	o->on_counts(o->ctx, t, &c);
}

/* The transcript of the recorded run (malloc'ed). */
static char *transcript(struct board_run *r)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct rsim_error err = { 0 };

	cr_assert_not_null(f);
	cr_assert_eq(board_print_plain(r, f, &err), 0);
	fclose(f);
	return text;
}

static void has(const char *text, const char *line)
{
	cr_assert_not_null(strstr(text, line), "no line\n%s\nin\n%s", line,
			   text);
}

/* The frame of text at "t=T" up to the next frame (malloc'ed). */
static char *frame_at(const char *text, const char *t)
{
	char key[32];
	const char *p, *e;
	char *out;

	snprintf(key, sizeof(key), "\nt=%s", t);
	p = strstr(text, key);
	cr_assert_not_null(p, "no frame %s in\n%s", t, text);
	e = strstr(p + 1, "\nt=");
	if (!e)
		e = p + strlen(p);
	out = strndup(p, (size_t)(e - p));
	cr_assert_not_null(out);
	return out;
}

/* The terminal board at 10 s on 100x30: the role before the version in
 * the labels, the weight and step lines, the canary's bounds. */
static void draw_check(const struct board_run *r)
{
	struct board_view v = { .run = r, .now_ns = S(10), .speed = 1 };
	struct strbuf sb = STRBUF_INIT;

	cr_assert_eq(board_draw(&v, 30, 100, &sb), 0);
	has(sb.buf, " stable v1 app:1");
	has(sb.buf, " canary v2 app:2");
	has(sb.buf, "canary 20 %  [####................]  stable 80 %");
	has(sb.buf, "1/4, now step 2: pause: 30s");
	has(sb.buf, " Canary  replicas 5  maxSurge 25% -> 2  maxUnavailable "
		    "0 -> 0");
	has(sb.buf, "5, at most 7 = 5 + 2");
	strbuf_release(&sb);
}

Test(board_prog, canary_roles_weight_step_phase)
{
	struct world_config cfg;
	struct world_observer o;
	struct board_rec *b;
	struct board_run r;
	struct rsim_error err = { 0 };
	char *text, *f;

	canary_spec(&cfg, STRATEGY_CANARY);
	cr_assert_eq(board_rec_open(&cfg, &r, &o, &b), 0);
	rs(&o, S(10), "web-aaa", 0, "stable");
	pods(&o, S(10), "web-aaa", 0, 4);
	rs(&o, S(10), "web-bbb", 1, "canary");
	pods(&o, S(10), "web-bbb", 1, 1);
	counts(&o, S(10), 4, 1);
	dep(&o, S(10), &cfg, "Canary", "web-aaa", "web-bbb", "stable",
	    "canary", 20, 1, 4, "Paused", "CanaryPauseStep");
	/* promoted: web-bbb is the stable one, web-aaa on no side */
	rs(&o, S(50), "web-bbb", 1, "stable");
	rs(&o, S(50), "web-aaa", 0, "");
	dep(&o, S(50), &cfg, "Canary", "web-bbb", "", "stable", "canary",
	    100, 4, 4, "Healthy", "");
	cr_assert_eq(board_rec_close(b, &err), 0, "%s", err.msg);
	text = transcript(&r);

	f = frame_at(text, "10.000s");
	has(f, "\n  stable   v1 app:1  ####  (4 ready)\n"
	       "  canary   v2 app:2  #  (1 ready)\n");
	/* 20 % of 20 cells = 4; 1 ready canary pod of 5 = 20 % */
	has(f, "\n  weight: canary 20 %  [####................]  stable 80 %"
	       "; requests follow the ready pods: canary 1 of 5 (20 %)\n");
	/* currentStepIndex 1 of 4: the second step, the 30 s pause, runs */
	has(f, "\n  step: 1/4, now step 2: pause: 30s\n");
	/* 5 + maxSurge 2 = 7; 5 - maxUnavailable 0 = 5 */
	has(f, "\n  pods 5, at most 7 = 5 + maxSurge 2; available 5, at "
	       "least 5 = 5 - maxUnavailable 0; terminating 0\n");
	has(f, "\n  status: Paused - CanaryPauseStep\n");
	free(f);

	f = frame_at(text, "50.000s");
	has(f, "\n  old      v1 app:1  ####  (4 ready)\n"
	       "  stable   v2 app:2  #  (1 ready)\n");
	has(f, "\n  weight: canary 100 %  [####################]  stable 0 %"
	       "; requests follow the ready pods: canary 0 of 5 (0 %)\n");
	has(f, "\n  step: 4/4, all steps done\n");
	has(f, "\n  status: Healthy\n");
	free(f);
	free(text);
	draw_check(&r);
	board_run_release(&r);
	world_config_release(&cfg);
}

Test(board_prog, bluegreen_services_and_roles)
{
	struct world_config cfg;
	struct world_observer o;
	struct board_rec *b;
	struct board_run r;
	struct rsim_error err = { 0 };
	char *text;

	canary_spec(&cfg, STRATEGY_BLUE_GREEN);
	cr_assert_eq(board_rec_open(&cfg, &r, &o, &b), 0);
	rs(&o, S(5), "web-aaa", 0, "active");
	pods(&o, S(5), "web-aaa", 0, 5);
	rs(&o, S(5), "web-bbb", 1, "preview");
	pods(&o, S(5), "web-bbb", 1, 2);
	counts(&o, S(5), 5, 2);
	dep(&o, S(5), &cfg, "BlueGreen", "web-aaa", "web-bbb", "active",
	    "preview", 0, -1, 0, "Paused", "BlueGreenPause");
	cr_assert_eq(board_rec_close(b, &err), 0, "%s", err.msg);
	text = transcript(&r);
	has(text, "\n  active   v1 app:1  #####  (5 ready)\n"
		  "  preview  v2 app:2  ##  (2 ready)\n"
		  "  services: active Service -> v1 (web-aaa), preview "
		  "Service -> v2 (web-bbb)\n"
		  "  pods 7 of 5 (BlueGreen: the preview pods come beside "
		  "the active ones); available 7; terminating 0\n");
	has(text, "\n  status: Paused - BlueGreenPause\n");
	cr_assert_null(strstr(text, "weight:"), "blueGreen has no weight");
	free(text);
	board_run_release(&r);
	world_config_release(&cfg);
}

Test(board_prog, flagger_weight_is_of_traffic)
{
	struct world_config cfg;
	struct world_observer o;
	struct board_rec *b;
	struct board_run r;
	struct rsim_error err = { 0 };
	char *text;

	canary_spec(&cfg, STRATEGY_FLAGGER);
	cr_assert_eq(board_rec_open(&cfg, &r, &o, &b), 0);
	rs(&o, S(5), "web-primary-aaa", 0, "primary");
	pods(&o, S(5), "web-primary-aaa", 0, 5);
	rs(&o, S(5), "web-bbb", 1, "canary");
	pods(&o, S(5), "web-bbb", 1, 5);
	counts(&o, S(5), 5, 5);
	dep(&o, S(5), &cfg, "Flagger", "web-primary-aaa", "web-bbb",
	    "primary", "canary", 10, -1, 0, "Progressing", "");
	cr_assert_eq(board_rec_close(b, &err), 0, "%s", err.msg);
	text = transcript(&r);
	/* 10 % of 20 cells = 2; no ready-pod share: the mesh splits */
	has(text, "\n  primary  v1 app:1  #####  (5 ready)\n"
		  "  canary   v2 app:2  #####  (5 ready)\n"
		  "  weight: canary 10 %  [##..................]  primary "
		  "90 %\n"
		  "  pods 10 of 5 (Flagger: the canary runs beside the "
		  "primary); available 10; terminating 0\n");
	has(text, "\n  status: Progressing\n");
	cr_assert_null(strstr(text, "step:"), "Flagger has no steps");
	free(text);
	board_run_release(&r);
	world_config_release(&cfg);
}

/* A Deployment's ReplicaSets have no role: the groups read as before,
 * one per version, and no progressive line. */
Test(board_prog, deployment_groups_unchanged)
{
	struct world_config cfg;
	struct world_observer o;
	struct board_rec *b;
	struct board_run r;
	struct rsim_error err = { 0 };
	char *text;

	canary_spec(&cfg, STRATEGY_ROLLING_UPDATE);
	cr_assert_eq(board_rec_open(&cfg, &r, &o, &b), 0);
	rs(&o, S(5), "web-aaa", 0, "");
	pods(&o, S(5), "web-aaa", 0, 3);
	rs(&o, S(5), "web-bbb", 1, "");
	pods(&o, S(5), "web-bbb", 1, 2);
	counts(&o, S(5), 3, 2);
	cr_assert_eq(board_rec_close(b, &err), 0, "%s", err.msg);
	text = transcript(&r);
	/* RollingUpdate 25% / 1 of 5: surge 2 (rounded up), unavailable 1 */
	has(text, "\nt=5.000s\n  v1 app:1  ###  (3 ready)\n"
		  "  v2 app:2  ##  (2 ready)\n"
		  "  pods 5, at most 7 = 5 + maxSurge 2; available 5, at least "
		  "4 = 5 - maxUnavailable 1; terminating 0\n");
	cr_assert_null(strstr(text, "weight:"));
	free(text);
	board_run_release(&r);
	world_config_release(&cfg);
}
