/* quiz.c - `rollsim quiz SCENARIO [--answers FILE]`: predict, then
 * check. Up to six questions whose answers the simulation knows (the
 * resolved maxSurge and maxUnavailable, the most pods at once, the fewest
 * available, the first scaling step, the rollout's duration within 10 %,
 * the failed requests within their 95 % confidence interval); the
 * answers come from the terminal one a line, or from FILE (one a line in
 * question order, '#' comments and blank lines ignored). Each answer is
 * judged and explained with the line of the `rollsim explain` narrative
 * that decided it; then the score. A bad answer file is an input error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/alloc.h"
#include "models/decide.h"
#include "quiz.h"
#include "quiz_check.h"
#include "teach_impl.h"

/* A quoted narrative line, shorter than an explanation (quiz_q.why). */
#define QUIZ_QUOTE 640

/* The value of an intstr as the manifest has it: "25%" or "1". */
static void intstr_text(struct intstr v, char *buf, size_t n)
{
	snprintf(buf, n, v.is_percent ? "%d%%" : "%d", v.value);
}

/* why gets "  T  actor: text" of the first narrative line at or after
 * from_ns by who holding needle; 1 if found. */
static int narr_quote(const struct quiz_facts *f, sim_time_t from_ns,
		      int who, const char *needle, char *why, size_t n)
{
	int32_t i;

	for (i = 0; i < f->n.n; i++) {
		const struct narr_line *l = &f->n.lines[i];

		if (l->t_ns < from_ns || (who >= 0 && (int)l->who != who) ||
		    !strstr(l->text, needle))
			continue;
		snprintf(why, n, "%.3f s, %s: %s", (double)l->t_ns / 1e9,
			 narr_actor_name(l->who), l->text);
		return 1;
	}
	return 0;
}

/* As narr_quote, the last such line at or before until_ns. */
static int narr_quote_last(const struct quiz_facts *f, sim_time_t until_ns,
			   int who, const char *needle, char *why, size_t n)
{
	int32_t i;

	for (i = f->n.n; i-- > 0;) {
		const struct narr_line *l = &f->n.lines[i];

		if (l->t_ns > until_ns || (who >= 0 && (int)l->who != who) ||
		    !strstr(l->text, needle))
			continue;
		snprintf(why, n, "%.3f s, %s: %s%s%s", (double)l->t_ns / 1e9,
			 narr_actor_name(l->who), l->object,
			 l->object[0] ? ": " : "", l->text);
		return 1;
	}
	return 0;
}

static struct quiz_q *add_q(struct quiz *q, enum quiz_kind k)
{
	struct quiz_q *x = &q->qs[q->n++];

	memset(x, 0, sizeof(*x));
	x->kind = k;
	return x;
}

static void ask_bounds(struct quiz *q, const struct world_config *cfg)
{
	const struct deploy_config *d = &cfg->deployment;
	sim_time_t t = q->f.first.triggered_ns;
	char s[32], u[32], qs[QUIZ_QUOTE];
	struct quiz_q *x = add_q(q, QUIZ_BOUNDS);

	intstr_text(d->max_surge, s, sizeof(s));
	intstr_text(d->max_unavailable, u, sizeof(u));
	snprintf(x->text, sizeof(x->text), "With %d replicas, maxSurge %s and "
		 "maxUnavailable %s: how many pods may the rollout add above "
		 "%d, and how many of the %d may be unavailable? Answer the "
		 "two pod counts, e.g. \"3 1\".", d->replicas, s, u,
		 d->replicas, d->replicas);
	x->bounds[0] = deploy_max_surge(d->strategy, d->replicas, d->max_surge,
					d->max_unavailable);
	x->bounds[1] = deploy_max_unavailable(d->strategy, d->replicas,
					      d->max_surge, d->max_unavailable);
	decide_bounds_text(d, DECIDE_COLON, x->why, sizeof(x->why));
	if (narr_quote(&q->f, t, ACTOR_DEPLOYMENT, "maxSurge", qs, sizeof(qs)))
		snprintf(x->why + strlen(x->why),
			 sizeof(x->why) - strlen(x->why), "\n             %s",
			 qs);
}

static void ask_pods(struct quiz *q, const struct world_config *cfg)
{
	const struct world_rollout *r = &q->f.first;
	struct quiz_q *x = add_q(q, QUIZ_COUNT);
	char quote[QUIZ_QUOTE];
	int found;

	snprintf(x->text, sizeof(x->text), "During the rollout, at most how "
		 "many pods exist at once, counting only pods that are not "
		 "terminating?");
	x->truth = r->max_non_terminating;
	found = narr_quote(&q->f, r->triggered_ns, ACTOR_DEPLOYMENT,
			   "-> at most", quote, sizeof(quote));
	snprintf(x->why, sizeof(x->why), "%s (with the terminating ones: at "
		 "most %d in all)", found ? quote : "the surge bound",
		 q->f.max_total);
	x = add_q(q, QUIZ_COUNT);
	snprintf(x->text, sizeof(x->text), "During the rollout, what is the "
		 "fewest pods available (Ready for minReadySeconds, not "
		 "terminating) at any moment, out of %d?",
		 cfg->deployment.replicas);
	x->truth = r->min_available;
	if (!narr_quote(&q->f, r->triggered_ns, ACTOR_DEPLOYMENT,
			"minimum available", x->why, sizeof(x->why)))
		snprintf(x->why, sizeof(x->why), "Recreate: every old pod goes "
			 "before the new ones start");
}

static void ask_step(struct quiz *q)
{
	const struct quiz_scale *s = quiz_first_step(&q->f);
	struct quiz_q *x;

	if (!s)
		return;
	x = add_q(q, QUIZ_STEP);
	snprintf(x->text, sizeof(x->text), "What does the Deployment "
		 "controller do first when the rollout starts? Answer \"scale "
		 "up new to N\" or \"scale down old to N\".");
	x->step.up = s->up;
	x->step.to = s->to;
	narr_quote(&q->f, q->f.first.triggered_ns, ACTOR_DEPLOYMENT, " from ",
		   x->why, sizeof(x->why));
}

static void ask_duration(struct quiz *q)
{
	const struct world_rollout *r = &q->f.first;
	struct quiz_q *x;
	char quote[QUIZ_QUOTE];

	if (!r->complete)
		return;
	x = add_q(q, QUIZ_DURATION);
	snprintf(x->text, sizeof(x->text), "How many seconds from the change "
		 "at %.0f s to the rollout's completion (all new pods "
		 "available, no old one left)? Right within 10 %%.",
		 (double)r->triggered_ns / 1e9);
	x->seconds = (double)(r->completed_ns - r->triggered_ns) / 1e9;
	if (!narr_quote_last(&q->f, r->completed_ns, ACTOR_KUBELET, "-> Ready",
			     quote, sizeof(quote)))
		snprintf(quote, sizeof(quote), "no pod became Ready");
	snprintf(x->why, sizeof(x->why), "triggered at %.3f s, complete at "
		 "%.3f s, when the last new pod is available; the last Ready "
		 "before it: %s", (double)r->triggered_ns / 1e9,
		 (double)r->completed_ns / 1e9, quote);
}

static void ask_failed(struct quiz *q, const struct world_config *cfg)
{
	const struct world_rollout *r = &q->f.first;
	struct quiz_q *x;
	char quote[QUIZ_QUOTE];

	if (!q->f.traffic)
		return;
	x = add_q(q, QUIZ_INTERVAL);
	snprintf(x->text, sizeof(x->text), "How many requests fail during the "
		 "rollout? Right when inside the 95 %% confidence interval of "
		 "%d runs (seed %llu, replications 0-%d).", QUIZ_REPLICATIONS,
		 (unsigned long long)cfg->seed, QUIZ_REPLICATIONS - 1);
	x->truth = (long)q->f.failed[0];
	x->mean = quiz_t_interval(q->f.failed, QUIZ_REPLICATIONS, &x->lo,
				  &x->hi);
	if (!narr_quote(&q->f, r->triggered_ns, ACTOR_ENDPOINTS, "leaves",
			quote, sizeof(quote)))
		snprintf(quote, sizeof(quote), "no pod left the endpoints");
	snprintf(x->why, sizeof(x->why), "this run %ld, mean of %d runs %.1f, "
		 "95 %% CI [%.1f, %.1f]; the race: %s", x->truth,
		 QUIZ_REPLICATIONS, x->mean, x->lo, x->hi, quote);
}

/* Reads FILE's answer lines (comments and blank lines dropped). */
static int read_answers(const char *file, char ***lines, int **line_no,
			int *n, struct rsim_error *err)
{
	FILE *fp = fopen(file, "r");
	char buf[1024];
	int no = 0;

	*n = 0;
	*lines = rsim_calloc(64, sizeof(**lines));
	*line_no = rsim_calloc(64, sizeof(**line_no));
	if (!*lines || !*line_no) {
		if (fp)
			fclose(fp);
		return rsim_error_set(err, RSIM_ENOMEM, file, "",
				      "out of memory");
	}
	if (!fp)
		return rsim_error_set(err, RSIM_EINPUT, file, "",
				      "cannot read the answers: %s",
				      strerror(errno));
	while (fgets(buf, sizeof(buf), fp)) {
		char *s = quiz_clean_line(buf);

		no++;
		if (!*s)
			continue;
		if (*n == 64 || !((*lines)[*n] = rsim_strdup(s)))
			break;
		(*line_no)[(*n)++] = no;
	}
	fclose(fp);
	return 0;
}

static void free_answers(char **lines, int *line_no, int n)
{
	int i;

	for (i = 0; lines && i < n; i++)
		free(lines[i]);
	free(lines);
	free(line_no);
}

/* The scenario in a few lines: what the student predicts from. */
static void print_intro(const struct quiz *q, const struct world_config *cfg,
			FILE *out)
{
	const struct deploy_config *d = &cfg->deployment;
	char s[32], u[32], trig[sizeof(q->qs[0].why)], *colon;
	int32_t i;

	intstr_text(d->max_surge, s, sizeof(s));
	intstr_text(d->max_unavailable, u, sizeof(u));
	fprintf(out, "rollsim quiz: %s (seed %llu)\n", cfg->name,
		(unsigned long long)cfg->seed);
	if (d->strategy == STRATEGY_RECREATE)
		fprintf(out, "deployment/%s: %d replicas, strategy Recreate\n",
			d->name, d->replicas);
	else
		fprintf(out, "deployment/%s: %d replicas, RollingUpdate maxSurge "
			"%s, maxUnavailable %s\n", d->name, d->replicas, s, u);
	i = narr_find(&q->f.n, 0, ACTOR_USER, "");
	while (i >= 0 && q->f.n.lines[i].t_ns < q->f.first.triggered_ns)
		i = narr_find(&q->f.n, i + 1, ACTOR_USER, "");
	if (i >= 0) {
		snprintf(trig, sizeof(trig), "%s", q->f.n.lines[i].text);
		colon = strstr(trig, ": ");
		if (colon)
			*colon = '\0';
		fprintf(out, "the rollout starts at %.3f s: %s\n",
			(double)q->f.n.lines[i].t_ns / 1e9, trig);
	}
	fprintf(out, "\n");
}

static void build(struct quiz *q, const struct world_config *cfg)
{
	q->n = 0;
	if (cfg->deployment.strategy == STRATEGY_ROLLING_UPDATE)
		ask_bounds(q, cfg);
	ask_pods(q, cfg);
	ask_step(q);
	ask_duration(q);
	ask_failed(q, cfg);
}

static int run_quiz(const struct teach_args *a, struct quiz *q,
		    const struct world_config *cfg, struct rsim_error *err)
{
	char **lines = NULL;
	int *line_no = NULL, n = 0, rc = 0;

	if (a->answers) {
		rc = read_answers(a->answers, &lines, &line_no, &n, err);
		if (!rc)
			rc = quiz_check_file(q, a->answers, lines, line_no, n,
					     err);
	}
	if (!rc) {
		print_intro(q, cfg, stdout);
		quiz_ask(q, a->answers ? NULL : stdin, lines, n, stdout);
	}
	free_answers(lines, line_no, n);
	return rc;
}

int teach_quiz(const struct teach_args *a, struct rsim_error *err)
{
	struct world_config cfg;
	struct quiz *q;
	int rc = teach_load(a, &cfg, err);

	if (rc)
		return rc;
	q = rsim_calloc(1, sizeof(*q));
	if (!q) {
		world_config_release(&cfg);
		return rsim_error_set(err, RSIM_ENOMEM, a->scenario, "",
				      "out of memory");
	}
	rc = quiz_facts_gather(&cfg, a->scenario, &q->f, err);
	if (!rc && !q->f.has_rollout)
		rc = rsim_error_set(err, RSIM_EINPUT, a->scenario, "events",
				    "expected an event that starts a rollout "
				    "(setImage, apply of a new template, "
				    "rolloutUndo), got none");
	if (!rc) {
		build(q, &cfg);
		rc = run_quiz(a, q, &cfg, err);
	}
	quiz_facts_release(&q->f);
	free(q);
	world_config_release(&cfg);
	return rc;
}
