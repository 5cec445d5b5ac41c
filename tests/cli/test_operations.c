/* test_operations.c - kubectl-style operations end to end: the scenarios
 * scenarios/{undo-broken-release,pause-resume,scale-during-rollout,
 * second-rollout,recreate,delete-pod}.json run through the CLI.
 *
 * The expected ReplicaSet sizes below were worked out by hand from the
 * rules of docs/kubernetes.md ("§N" below is one of its sections), not
 * copied from the program's output. All scenarios use constant timings so
 * that this is possible:
 *
 *   pull 2 s, app up 3 s after the container starts, readiness probe
 *   initialDelaySeconds 4 / periodSeconds 5 (§9: the worker ticks at the
 *   container start T0 and every 5 s; the tick at T0 does not count since
 *   the container's age is < 4 s, the tick at T0 + 5 s succeeds because the
 *   app is up since T0 + 3 s), minReadySeconds 0, shutdown 1 s (3 s for
 *   recreate.json), no preStop, syncDelay 0 (instant controllers).
 *
 *   => a pod created at t is Ready and Available at t + 7 s, and an old pod
 *      deleted at t is gone at t + 1 s (t + 3 s in recreate.json).
 *
 * Pods created at the same instant become Ready at the same instant; the
 * Deployment controller sees them together (one sync after all of them).
 * One sync does either a new-RS scale-up or old-RS scale-downs (§2.2); the
 * controller re-syncs after each of its writes, so a row "t: a; b; c" below
 * is one instant with several writes, in this order.
 *
 * Notation: A, B, C = ReplicaSets in order of first appearance in the
 * ScalingReplicaSet events; R, S (maxSurge), U (maxUnavailable) as in
 * docs/kubernetes.md; "new: ..." is reconcileNewReplicaSet (§2.4), "old:
 * ..." reconcileOldReplicaSets (§2.5) with maxScaledDown
 * = allTotal - (R - U) - (spec(new) - avail(new)).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"

/* ------------------------------------------------------------ helpers */

/* One line of events.log: TIME_S TYPE REASON OBJECT MESSAGE. */
struct ev_line {
	double t;
	char type[16];
	char reason[48];
	char object[160];
	char msg[512];
};

struct run {
	char *dir;            /* cli_tmpdir() */
	char out[1100];       /* dir/o */
	struct ev_line *ev;
	int n_ev;
	double (*tl)[12];     /* timeline.csv rows */
	int n_tl;
	cJSON *summary;
};

enum {
	TL_TIME, TL_REVISION, TL_OLD_PODS, TL_NEW_PODS, TL_OLD_READY,
	TL_NEW_READY, TL_AVAILABLE, TL_TERMINATING, TL_PENDING, TL_ENDPOINTS,
	TL_DESIRED_OLD, TL_DESIRED_NEW
};

static void parse_events(struct run *r, char *text)
{
	char *line = text, *next;
	int cap = 0;

	for (; line && *line; line = next) {
		struct ev_line e;
		char *p;
		int used = 0;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		memset(&e, 0, sizeof(e));
		if (sscanf(line, "%lf %15s %47s %159s %n", &e.t, e.type,
			   e.reason, e.object, &used) < 4 || used == 0)
			continue;     /* the header */
		p = line + used;
		snprintf(e.msg, sizeof(e.msg), "%s", p);
		if (r->n_ev == cap) {
			cap = cap ? 2 * cap : 256;
			r->ev = realloc(r->ev, (size_t)cap * sizeof(*r->ev));
			cr_assert_not_null(r->ev);
		}
		r->ev[r->n_ev++] = e;
	}
}

static void parse_timeline(struct run *r, char *text)
{
	char *line = text, *next;
	int cap = 0;

	for (; line && *line; line = next) {
		double v[12];
		int i, n;
		char *p = line, *end;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (strncmp(line, "time_s,", 7) == 0)
			continue;
		for (n = 0; n < 12; n++) {
			v[n] = strtod(p, &end);
			cr_assert(end != p, "timeline.csv: bad row \"%s\"", line);
			p = end;
			if (*p == ',')
				p++;
		}
		if (r->n_tl == cap) {
			cap = cap ? 2 * cap : 256;
			r->tl = realloc(r->tl, (size_t)cap * sizeof(*r->tl));
			cr_assert_not_null(r->tl);
		}
		for (i = 0; i < 12; i++)
			r->tl[r->n_tl][i] = v[i];
		r->n_tl++;
	}
}

/* Runs scenarios/NAME.json --out into a fresh directory and loads the
 * three output files. */
static void run_scenario(struct run *r, const char *name)
{
	char args[1400], path[1200];
	struct cli_result res;
	char *text;

	memset(r, 0, sizeof(*r));
	r->dir = cli_tmpdir();
	snprintf(r->out, sizeof(r->out), "%s/o", r->dir);
	snprintf(args, sizeof(args), "run scenarios/%s.json --out %s", name,
		 r->out);
	cli_run(&res, args);
	if (res.status != 0) {
		/* free first: a failed assertion leaves the function */
		static char msg[4096];

		snprintf(msg, sizeof(msg), "rollsim %s exited %d: %.3000s",
			 args, res.status, res.err ? res.err : "");
		cli_result_free(&res);
		cli_rmrf(r->dir);
		free(r->dir);
		r->dir = NULL;
		cr_assert_fail("%s", msg);
	}
	cli_result_free(&res);

	snprintf(path, sizeof(path), "%s/events.log", r->out);
	text = cli_slurp(path, NULL);
	cr_assert_not_null(text, "%s", path);
	parse_events(r, text);
	free(text);

	snprintf(path, sizeof(path), "%s/timeline.csv", r->out);
	text = cli_slurp(path, NULL);
	cr_assert_not_null(text, "%s", path);
	parse_timeline(r, text);
	free(text);
	cr_assert_gt(r->n_tl, 0, "timeline.csv has no rows");

	snprintf(path, sizeof(path), "%s/summary.json", r->out);
	text = cli_slurp(path, NULL);
	cr_assert_not_null(text, "%s", path);
	r->summary = cJSON_Parse(text);
	cr_assert_not_null(r->summary, "summary.json is not JSON");
	free(text);
}

static void run_free(struct run *r)
{
	cJSON_Delete(r->summary);
	free(r->ev);
	free(r->tl);
	cli_rmrf(r->dir);
	free(r->dir);
}

static int near(double a, double b)
{
	return fabs(a - b) < 1e-6;
}

static int count_reason(const struct run *r, const char *reason, double from,
			double to)
{
	int i, n = 0;

	for (i = 0; i < r->n_ev; i++)
		if (strcmp(r->ev[i].reason, reason) == 0 &&
		    r->ev[i].t >= from - 1e-9 && r->ev[i].t <= to + 1e-9)
			n++;
	return n;
}

static const struct ev_line *find_reason(const struct run *r,
					 const char *reason)
{
	int i;

	for (i = 0; i < r->n_ev; i++)
		if (strcmp(r->ev[i].reason, reason) == 0)
			return &r->ev[i];
	return NULL;
}

/* The last timeline row at time t (the state once that instant is over). */
static const double *tl_last_at(const struct run *r, double t)
{
	const double *row = NULL;
	int i;

	for (i = 0; i < r->n_tl; i++)
		if (near(r->tl[i][TL_TIME], t))
			row = r->tl[i];
	cr_assert_not_null(row, "timeline.csv has no row at %.3f s", t);
	return row;
}

static const char *summary_string(const struct run *r, const char *a,
				  const char *b, const char *c)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(r->summary, a);

	o = cJSON_GetObjectItemCaseSensitive(o, b);
	o = cJSON_GetObjectItemCaseSensitive(o, c);
	return cJSON_IsString(o) ? o->valuestring : "(absent)";
}

/* summary.json: rollouts[i], which must exist; n: the list's length. */
static const cJSON *rollout_entry(const struct run *r, int i, int n)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(r->summary,
							  "rollouts");

	cr_assert(cJSON_IsArray(a), "summary.json has no rollouts list");
	cr_assert_eq(cJSON_GetArraySize(a), n, "%d rollouts, expected %d",
		     cJSON_GetArraySize(a), n);
	return cJSON_GetArrayItem(a, i);
}

/* summary.json: the rollout complete, at t seconds. */
static void expect_complete_at(const struct run *r, double t)
{
	cr_expect_eq(cli_json_bool(r->summary, "rollout.complete"), 1);
	cr_expect(near(cli_json_number(r->summary, "rollout.completed_s"), t),
		  "completed at %g", cli_json_number(r->summary,
						     "rollout.completed_s"));
}

/* One ScalingReplicaSet write: at time t, the ReplicaSet labelled rs
 * ('A' = first one to appear, ...) set to n. */
struct scale_step {
	double t;
	char rs;
	int n;
};

#define MAX_RS 8
#define N_STEPS(a) ((int)(sizeof(a) / sizeof((a)[0])))

struct scaling {
	int n;
	struct scale_step step[256];
	char name[MAX_RS][128];     /* name of 'A' + i */
	int n_names;
	char text[8192];            /* readable form, for messages */
};

/* "Scaled up replica set NAME from M to N" / "Scaled down replica set NAME
 * from M to N" (the controller's wording since kubernetes PR #125118,
 * sync.go scaleReplicaSet; a new ReplicaSet born with N > 0 reads "from 0
 * to N", getNewReplicaSet), in file order, with names replaced by letters.
 * M must be the previous size of that ReplicaSet (0 before its first
 * line) and the direction word must match. */
static void read_scaling(const struct run *r, struct scaling *s)
{
	int i, last[MAX_RS], k;
	size_t used = 0;

	memset(s, 0, sizeof(*s));
	for (k = 0; k < MAX_RS; k++)
		last[k] = 0;
	for (i = 0; i < r->n_ev; i++) {
		char dir[8], name[128];
		int from, n, label;

		if (strcmp(r->ev[i].reason, "ScalingReplicaSet") != 0)
			continue;
		cr_assert_eq(sscanf(r->ev[i].msg,
				    "Scaled %7s replica set %127s from %d to %d",
				    dir, name, &from, &n), 4,
			     "unexpected ScalingReplicaSet message \"%s\"",
			     r->ev[i].msg);
		for (label = 0; label < s->n_names; label++)
			if (strcmp(s->name[label], name) == 0)
				break;
		if (label == s->n_names) {
			cr_assert_lt(s->n_names, MAX_RS);
			snprintf(s->name[s->n_names++], sizeof(s->name[0]),
				 "%s", name);
		}
		cr_assert_lt(s->n, 256);
		s->step[s->n].t = r->ev[i].t;
		s->step[s->n].rs = (char)('A' + label);
		s->step[s->n].n = n;
		s->n++;
		cr_assert_eq(from, last[label], "\"%s\": the ReplicaSet had %d",
			     r->ev[i].msg, last[label]);
		cr_assert_str_eq(dir, n > last[label] ? "up" : "down",
				 "\"%s\": scaled from %d", r->ev[i].msg,
				 last[label]);
		last[label] = n;
		if (used < sizeof(s->text) - 64)
			used += (size_t)snprintf(s->text + used,
						 sizeof(s->text) - used,
						 "  %.3f %c %d\n", r->ev[i].t,
						 'A' + label, n);
	}
}

static void expect_scaling(const struct run *r, const struct scale_step *exp,
			   int n_exp, int n_rs)
{
	struct scaling s;
	char want[8192];
	size_t used = 0;
	int i, bad = -1;

	read_scaling(r, &s);
	for (i = 0; i < n_exp; i++) {
		if (bad < 0 && (i >= s.n || !near(s.step[i].t, exp[i].t) ||
				s.step[i].rs != exp[i].rs ||
				s.step[i].n != exp[i].n))
			bad = i;
		if (used < sizeof(want) - 64)
			used += (size_t)snprintf(want + used,
						 sizeof(want) - used,
						 "  %.3f %c %d\n", exp[i].t,
						 exp[i].rs, exp[i].n);
	}
	if (bad < 0 && s.n != n_exp)
		bad = n_exp;
	cr_expect(bad < 0, "ScalingReplicaSet events differ from #%d on "
		  "(time, ReplicaSet, size).\nexpected (Kubernetes):\n%s"
		  "got (events.log):\n%s", bad + 1, want, s.text);
	cr_expect_eq(s.n_names, n_rs, "expected %d ReplicaSets, got %d",
		     n_rs, s.n_names);
}

/* -------------------------------------------------- undo-broken-release */

/* R = 5, maxSurge 25% -> ceil(1.25) = 2, maxUnavailable 25% -> floor(1.25)
 * = 1 (§1): at most 7 pods, minAvailable 4. progressDeadlineSeconds 60.
 *
 *   0 s   the Deployment is created: A (1.0, revision 1) is born with
 *         NewRSNewReplicas = min(R + S - 0, R) = 5.          A 5
 *         A's pods are Ready at 7 s.
 *  30 s   setImage 2.0 (never Ready). Create B (revision 2):
 *         new: min(7 - 5, 5) = 2                             B 2
 *         old: maxScaledDown = 7 - 4 - (2 - 0) = 1; no unhealthy old pod;
 *              availTotal 5 - minAvail 4 = 1                 A 4
 *         new: min(7 - 6, 5 - 2) = 1                         B 3
 *         old: 7 - 4 - (3 - 0) = 0 -> nothing: stuck with A 4 (4
 *         available) + B 3 (0 available).
 *         The last progress (updatedReplicas up, old replicas down) is at
 *         30 s; nothing progresses after that (B's pods start at 32 s but
 *         never become Ready; the deleted A pod disappearing at 31 s changes
 *         no active count). Timed out iff lastUpdate + 60 < now (§7); the
 *         controller re-checks at lastUpdate + 60 + 1 s = 91 s:
 *         ProgressDeadlineExceeded at 91 s. Nothing else changes (no
 *         automatic rollback).
 * 120 s   rolloutUndo (toRevision 0 = the previous revision, 1): kubectl
 *         prints "deployment.apps/flask-app rolled back"; the
 *         Deployment template becomes A's again; A is the new RS again (no
 *         RS is created) and its revision becomes max(old) + 1 = 3 (§8).
 *         new: A 4 < 5 but total 4 + 3 = 7 = R + S -> no change
 *         old: maxScaledDown = 7 - 4 - (4 - 4) = 3; cleanupUnhealthyReplicas:
 *              B has 3 - 0 = 3 unhealthy -> min(3, 3) = 3; then availTotal
 *              4 <= minAvail 4 -> no more                    B 0
 *         new: min(7 - 4, 5 - 4) = 1                         A 5
 * 127 s   A's new pod is Ready: 5 of 5 available -> complete.
 */
static const struct scale_step undo_steps[] = {
	{ 0, 'A', 5 },
	{ 30, 'B', 2 }, { 30, 'A', 4 }, { 30, 'B', 3 },
	{ 120, 'B', 0 }, { 120, 'A', 5 },
};

Test(operations, undo_broken_release)
{
	struct run r;
	const struct ev_line *e;
	const double *last;
	const cJSON *ro;

	run_scenario(&r, "undo-broken-release");
	expect_scaling(&r, undo_steps, N_STEPS(undo_steps), 2);

	e = find_reason(&r, "ProgressDeadlineExceeded");
	cr_assert_not_null(e, "no ProgressDeadlineExceeded event");
	cr_expect(e->t > 90.0 && e->t <= 91.0 + 1e-6,
		  "ProgressDeadlineExceeded at %.3f s, expected just after "
		  "30 + 60 s (91 s)", e->t);
	cr_expect_eq(count_reason(&r, "ProgressDeadlineExceeded", 0, 1e9), 1);
	cr_expect_eq(cli_json_bool(r.summary,
				   "rollout.progress_deadline_exceeded"), 1);

	/* kubectl performs the undo and prints the outcome (rollback.go);
	 * events.log has it as type kubectl, reason RolloutUndo */
	e = find_reason(&r, "RolloutUndo");
	cr_assert_not_null(e, "no RolloutUndo line");
	cr_expect(near(e->t, 120.0), "RolloutUndo at %.3f s", e->t);
	cr_expect_str_eq(e->type, "kubectl");
	cr_expect_str_eq(e->msg, "deployment.apps/flask-app rolled back");
	cr_expect_eq(count_reason(&r, "RolloutUndo", 0, 1e9), 1);
	cr_expect_eq(count_reason(&r, "DeploymentRollback", 0, 1e9), 0);

	/* two rollouts (template changes at 30 s and 120 s). The first, to
	 * revision 2, is stuck and ends with the undo, not complete, having
	 * exceeded its deadline; `rollout` describes it. The undo is the
	 * second: revision 3, 120 s -> 127 s. Each window holds the stuck
	 * state (A 4 available + B 3 unready: 7 pods, 4 available) and
	 * never less, so both have min_available 4, max_non_terminating 7. */
	ro = rollout_entry(&r, 0, 2);
	cr_expect_eq(cli_json_number(ro, "revision"), 2);
	cr_expect_eq(cli_json_number(ro, "triggered_s"), 30);
	cr_expect(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(
			  ro, "completed_s")), "rollouts[0].completed_s");
	cr_expect_eq(cli_json_bool(ro, "complete"), 0);
	cr_expect_eq(cli_json_bool(ro, "progress_deadline_exceeded"), 1);
	cr_expect_eq(cli_json_number(ro, "min_available"), 4);
	cr_expect_eq(cli_json_number(ro, "max_non_terminating"), 7);
	ro = rollout_entry(&r, 1, 2);
	cr_expect_eq(cli_json_number(ro, "revision"), 3);
	cr_expect_eq(cli_json_number(ro, "triggered_s"), 120);
	cr_expect_eq(cli_json_number(ro, "completed_s"), 127);
	cr_expect_eq(cli_json_number(ro, "duration_s"), 7);
	cr_expect_eq(cli_json_bool(ro, "complete"), 1);
	cr_expect_eq(cli_json_bool(ro, "progress_deadline_exceeded"), 0);
	cr_expect_eq(cli_json_number(ro, "min_available"), 4);
	cr_expect_eq(cli_json_number(ro, "max_non_terminating"), 7);
	cr_expect_eq(cli_json_number(r.summary, "rollout.revision"), 2);
	cr_expect_eq(cli_json_bool(r.summary, "rollout.complete"), 0);
	/* the conditions are the Deployment's at the end */
	cr_expect_str_eq(summary_string(&r, "rollout", "progressing", "reason"),
			 "NewReplicaSetAvailable");
	/* never more than R + S = 7 pods, never fewer than R - U = 4 available */
	cr_expect_eq(cli_json_number(r.summary, "pods.max_non_terminating"), 7);
	cr_expect_eq(cli_json_number(r.summary, "pods.min_available"), 4);
	/* 5 + 3 + 1 pods */
	cr_expect_eq(cli_json_number(r.summary, "pods.created"), 9);
	/* pod-seconds (pods exist from creation until gone) by the revision
	 * of their ReplicaSet at the time, to 180 s:
	 *  1: A before the undo: 5 pods 0-31 s (one deleted at 30 s, gone at
	 *     31 s), 4 pods 31-120 s: 155 + 356 = 511;
	 *  2: B: 3 pods 30-121 s (deleted at 120 s, 1 s to stop) = 273;
	 *  3: A after the undo: 4 + 1 (created at 120 s) pods, 120-180 s = 300.
	 * A's time before 120 s is not revision 3's. */
	cr_expect_eq(cli_json_number(r.summary,
				     "pods.pod_seconds_by_revision.1"), 511,
		     "revision 1: %g", cli_json_number(r.summary,
				     "pods.pod_seconds_by_revision.1"));
	cr_expect_eq(cli_json_number(r.summary,
				     "pods.pod_seconds_by_revision.2"), 273);
	cr_expect_eq(cli_json_number(r.summary,
				     "pods.pod_seconds_by_revision.3"), 300,
		     "revision 3: %g", cli_json_number(r.summary,
				     "pods.pod_seconds_by_revision.3"));
	cr_expect_eq(cli_json_number(r.summary, "pods.pod_seconds"), 1084);

	/* stuck from 30 s to 120 s at 4 available, 3 unready new pods */
	last = tl_last_at(&r, 32);  /* B's pods started at 32 s */
	cr_expect_eq(last[TL_AVAILABLE], 4);
	cr_expect_eq(last[TL_NEW_PODS], 3);
	cr_expect_eq(last[TL_NEW_READY], 0);
	cr_expect_eq(last[TL_REVISION], 2);

	last = r.tl[r.n_tl - 1];
	cr_expect_eq(last[TL_REVISION], 3);
	cr_expect_eq(last[TL_DESIRED_NEW], 5);
	cr_expect_eq(last[TL_DESIRED_OLD], 0);
	cr_expect_eq(last[TL_NEW_READY], 5);
	cr_expect_eq(last[TL_OLD_PODS], 0);
	cr_expect_eq(last[TL_TERMINATING], 0);
	run_free(&r);
}

/* --------------------------------------------------------- pause-resume */

/* R = 8, maxSurge 25% -> 2, maxUnavailable 25% -> 2: at most 10 pods,
 * minAvailable 6.
 *
 *   0 s   A (1.0) born at min(8 + 2, 8) = 8; Ready at 7 s.   A 8
 *  30 s   rolloutPause: Progressing Unknown/DeploymentPaused (§8).
 *  40 s   setImage 2.0 while paused: the controller runs only the scaling
 *         path (§3) with creation of a new RS disabled; only A is active
 *         and A = R, so nothing is written.
 *  50 s   apply preStopSleep 5 s + terminationGracePeriodSeconds 45: the
 *         same, nothing.
 *  60 s   rolloutResume: Progressing Unknown/DeploymentResumed; the rollout
 *         starts from the template as it is now (2.0 + preStop + grace):
 *         ONE new RS, B.
 *         new: B born at min(10 - 8, 8) = 2                  B 2
 *         old: 10 - 6 - (2 - 0) = 2; budget 8 - 6 = 2        A 6
 *         new: min(10 - 8, 8 - 2) = 2                        B 4
 *         old: 10 - 6 - (4 - 0) = 0 -> wait
 *  67 s   B's 4 pods (all created at 60 s) Ready:
 *         old: 10 - 6 - 0 = 4; budget (6 + 4) - 6 = 4        A 2
 *         new: min(10 - 6, 8 - 4) = 4                        B 8
 *         old: 10 - 6 - (8 - 4) = 0 -> wait
 *  74 s   B's other 4 pods Ready:
 *         new: B = R; old: 10 - 6 - 0 = 4; budget (2 + 8) - 6 = 4,
 *         A has 2                                            A 0
 *         complete at 74 s.
 */
static const struct scale_step pause_steps[] = {
	{ 0, 'A', 8 },
	{ 60, 'B', 2 }, { 60, 'A', 6 }, { 60, 'B', 4 },
	{ 67, 'A', 2 }, { 67, 'B', 8 },
	{ 74, 'A', 0 },
};

Test(operations, pause_resume)
{
	struct run r;
	struct scaling s;
	int i, paused = 0, resumed = 0;

	run_scenario(&r, "pause-resume");
	expect_scaling(&r, pause_steps, N_STEPS(pause_steps), 2);

	/* nothing scaled, created or deleted while paused */
	cr_expect_eq(count_reason(&r, "ScalingReplicaSet", 30, 59.999), 0);
	cr_expect_eq(count_reason(&r, "SuccessfulCreate", 30, 59.999), 0);
	cr_expect_eq(count_reason(&r, "SuccessfulDelete", 30, 59.999), 0);

	/* exactly one ReplicaSet name other than A's after the resume, in
	 * the ScalingReplicaSet events and in the pods' owners */
	read_scaling(&r, &s);
	for (i = 0; i < r.n_ev; i++) {
		const struct ev_line *e = &r.ev[i];

		if (e->t < 60 - 1e-9 ||
		    strcmp(e->reason, "SuccessfulCreate") != 0)
			continue;
		cr_expect(strncmp(e->object, "replicaset/", 11) == 0 &&
			  strcmp(e->object + 11, s.name[1]) == 0,
			  "pod created at %.3f s by %s, expected only %s",
			  e->t, e->object, s.name[1]);
	}
	cr_expect_eq(count_reason(&r, "SuccessfulCreate", 60, 1e9), 8);

	for (i = 0; i < r.n_ev; i++) {
		if (strcmp(r.ev[i].type, "Status") != 0 ||
		    strcmp(r.ev[i].reason, "Progressing") != 0)
			continue;
		if (strstr(r.ev[i].msg, "Unknown DeploymentPaused") &&
		    near(r.ev[i].t, 30))
			paused = 1;
		if (strstr(r.ev[i].msg, "Unknown DeploymentResumed") &&
		    near(r.ev[i].t, 60))
			resumed = 1;
	}
	cr_expect(paused, "no Progressing Unknown DeploymentPaused at 30 s");
	cr_expect(resumed, "no Progressing Unknown DeploymentResumed at 60 s");

	cr_expect_eq(cli_json_number(r.summary, "rollout.revision"), 2);
	expect_complete_at(&r, 74);
	/* the setImage at 40 s and the apply at 50 s, both while paused and
	 * before any ReplicaSet carried the template, are one rollout,
	 * triggered by the first of them */
	cr_expect_eq(cli_json_number(rollout_entry(&r, 0, 1), "triggered_s"),
		     40);
	cr_expect_eq(cli_json_number(r.summary, "rollout.duration_s"), 34);
	cr_expect_eq(cli_json_number(r.summary, "pods.max_non_terminating"),
		     10);
	cr_expect_eq(cli_json_number(r.summary, "pods.min_available"), 6);
	run_free(&r);
}

/* ------------------------------------------------- scale-during-rollout */

/* R = 10 -> 15 at 33 s. R = 10: S = ceil(2.5) = 3, U = floor(2.5) = 2,
 * max 13, minAvailable 8. R = 15: S = ceil(3.75) = 4, U = floor(3.75) = 3,
 * max 19, minAvailable 12.
 *
 *   0 s   A born at 10, Ready at 7 s.                        A 10
 *  30 s   setImage 2.0 (the defaults' rollout of §2.6):
 *         new: B born at min(13 - 10, 10) = 3                B 3
 *         old: 13 - 8 - 3 = 2; budget 10 - 8 = 2             A 8
 *         new: min(13 - 11, 7) = 2                           B 5
 *         old: 13 - 8 - 5 = 0 -> wait (B's pods Ready at 37 s)
 *  33 s   scale to 15. A and B carry desired-replicas 10 -> scaling event
 *         (§2.1, §3); B is not saturated; toAdd = 19 - 13 = 6 > 0; sort by
 *         size, larger first: A (8), B (5) (case P1 of
 *         tests/conformance/test_proportional.c):
 *         A: round(8 * 19 / 13 = 11.69) - 8 = 4              A 12
 *         B: round(5 * 19 / 13 = 7.31) - 5 = 2 (2 left)      B 7
 *         (writes in that sorted order). A gets 4 new 1.0 pods (created
 *         33 s, would be Ready at 40 s). Then the rolling logic with R 15:
 *         new: 12 + 7 = 19 = max -> no; old: 19 - 12 - (7 - 0) = 0 -> wait.
 *  37 s   B's 5 pods from 30 s Ready: avail A 8, B 5.
 *         new: total 19 -> no
 *         old: maxScaledDown = 19 - 12 - (7 - 5) = 5;
 *              step 1, cleanupUnhealthyReplicas: A has 12 - 8 = 4
 *              unhealthy -> min(5, 4) = 4                    A 8
 *              step 2, scaleDownOldReplicaSetsForRollingUpdate: budget
 *              availTotal (8 + 5, read before step 1) - 12 = 1   A 7
 *              Two writes, so two ScalingReplicaSet events: upstream
 *              cleanupUnhealthyReplicas scales each RS it cleans with
 *              its own scaleReplicaSetAndRecordEvent call, and step 2
 *              then scales the RS again (§2.5: step 2's budget is not
 *              reduced by step 1, so one sync can remove cleaned +
 *              budget). The RS deletes its 4 unready pods first,
 *              then one Ready pod.
 *         new: min(19 - 14, 15 - 7) = 5                      B 12
 *         old: 19 - 12 - (12 - 5) = 0 -> wait
 *  40 s   B's 2 pods from 33 s Ready: avail A 7, B 7.
 *         old: 19 - 12 - (12 - 7) = 2; budget 14 - 12 = 2    A 5
 *         new: min(19 - 17, 3) = 2                           B 14
 *         old: 19 - 12 - 7 = 0
 *  44 s   B's 5 pods from 37 s Ready: avail A 5, B 12.
 *         new: total 19 -> no
 *         old: 19 - 12 - (14 - 12) = 5; budget 17 - 12 = 5, A has 5
 *                                                            A 0
 *         new: min(19 - 14, 15 - 14) = 1                     B 15
 *  47 s   B's 2 pods from 40 s Ready (14); 51 s the last one: complete.
 */
static const struct scale_step scale_steps[] = {
	{ 0, 'A', 10 },
	{ 30, 'B', 3 }, { 30, 'A', 8 }, { 30, 'B', 5 },
	{ 33, 'A', 12 }, { 33, 'B', 7 },
	{ 37, 'A', 8 }, { 37, 'A', 7 }, { 37, 'B', 12 },
	{ 40, 'A', 5 }, { 40, 'B', 14 },
	{ 44, 'A', 0 }, { 44, 'B', 15 },
};

Test(operations, scale_during_rollout)
{
	struct run r;
	const double *row;

	run_scenario(&r, "scale-during-rollout");
	expect_scaling(&r, scale_steps, N_STEPS(scale_steps), 2);

	/* at 37 s the 4 unready 1.0 pods went first: A keeps 7 Ready pods */
	row = tl_last_at(&r, 37);
	cr_expect_eq(row[TL_OLD_PODS], 7);
	cr_expect_eq(row[TL_OLD_READY], 7);
	cr_expect_eq(row[TL_NEW_PODS], 12);
	cr_expect_eq(row[TL_NEW_READY], 5);
	cr_expect_eq(row[TL_DESIRED_OLD], 7);
	cr_expect_eq(row[TL_DESIRED_NEW], 12);

	cr_expect_eq(cli_json_number(r.summary, "pods.max_non_terminating"),
		     19);
	/* below R - U: before 33 s R = 10 and 8 available = the minimum 8;
	 * from 33 s R = 15 (minimum 12) with 8 available until 37 s (A's 4
	 * extra pods are deleted before they are Ready), 12 or more after:
	 * 4 s. Never R available before 51 s: time_full 0. */
	cr_expect(near(cli_json_number(r.summary,
				       "availability.time_below_min"), 4),
		  "time_below_min %g, expected 4 (33 s to 37 s)",
		  cli_json_number(r.summary, "availability.time_below_min"));
	cr_expect(near(cli_json_number(r.summary, "availability.time_full"), 0),
		  "time_full %g", cli_json_number(r.summary,
						  "availability.time_full"));
	/* A: 10 + 4, B: 15 */
	cr_expect_eq(cli_json_number(r.summary, "pods.created"), 29);
	expect_complete_at(&r, 51);
	row = r.tl[r.n_tl - 1];
	cr_expect_eq(row[TL_DESIRED_NEW], 15);
	cr_expect_eq(row[TL_NEW_READY], 15);
	cr_expect_eq(row[TL_DESIRED_OLD], 0);
	cr_expect_eq(row[TL_OLD_PODS], 0);
	run_free(&r);
}

/* ------------------------------------------------------- second-rollout */

/* R = 10, S = 3, U = 2: max 13, minAvailable 8.
 *
 *   0 s   A (1.0) 10, Ready at 7 s.                          A 10
 *  30 s   2.0: as in §2.6                                    B 3; A 8; B 5
 *  37 s   B's 5 pods Ready: old: 13 - 8 - 0 = 5; budget 13 - 8 = 5
 *                                                            A 3
 *         new: min(13 - 8, 10 - 5) = 5                       B 10
 *         old: 13 - 8 - (10 - 5) = 0 -> wait (the 5 pods of 37 s would
 *         be Ready at 44 s)
 *  40 s   3.0: C is created with min(13 - 13, 10) = 0 replicas (no
 *         ScalingReplicaSet event for a size-0 birth). Old RSs oldest
 *         first: A (3/3 available), B (10/5 available).
 *         new: total 13 -> no
 *         old: maxScaledDown = 13 - 8 - (0 - 0) = 5;
 *              cleanup: A healthy, B 10 - 5 = 5 unhealthy -> 5;
 *              budget: availTotal 3 + 5 = 8 <= 8 -> none     B 5
 *              (B's 5 unready pods are deleted)
 *         new: min(13 - 8, 10) = 5                           C 5
 *         old: 13 - 8 - 5 = 0 -> wait
 *  47 s   C's 5 pods Ready: avail A 3, B 5, C 5.
 *         old: 13 - 8 - 0 = 5; budget 13 - 8 = 5, oldest first:
 *              A 3 -> 0 (3), then B 5 -> 3 (2)               A 0; B 3
 *         new: min(13 - 8, 5) = 5                            C 10
 *         old: 13 - 8 - 5 = 0 -> wait
 *  54 s   C's other 5 pods Ready: old: 13 - 8 - 0 = 5; budget 13 - 8 = 5,
 *         B has 3                                            B 0
 *         complete at 54 s; C has revision 3.
 */
static const struct scale_step second_steps[] = {
	{ 0, 'A', 10 },
	{ 30, 'B', 3 }, { 30, 'A', 8 }, { 30, 'B', 5 },
	{ 37, 'A', 3 }, { 37, 'B', 10 },
	{ 40, 'B', 5 }, { 40, 'C', 5 },
	{ 47, 'A', 0 }, { 47, 'B', 3 }, { 47, 'C', 10 },
	{ 54, 'B', 0 },
};

Test(operations, second_rollout)
{
	struct run r;
	const double *row;
	const cJSON *ro;

	run_scenario(&r, "second-rollout");
	expect_scaling(&r, second_steps, N_STEPS(second_steps), 3);

	/* at 40 s B lost its 5 unready pods, not Ready ones */
	row = tl_last_at(&r, 40);
	cr_expect_eq(row[TL_OLD_PODS], 8);
	cr_expect_eq(row[TL_OLD_READY], 8);
	cr_expect_eq(row[TL_NEW_PODS], 5);
	cr_expect_eq(row[TL_AVAILABLE], 8);
	cr_expect_eq(row[TL_DESIRED_OLD], 8);
	cr_expect_eq(row[TL_DESIRED_NEW], 5);
	cr_expect_eq(row[TL_REVISION], 3);

	/* two rollouts: 2.0 from 30 s, rolled over by 3.0 at 40 s (not
	 * complete, no completion time); 3.0 from 40 s to 54 s, revision 3.
	 * Each window reaches 13 non-terminating pods and 8 available and
	 * goes no further (30 s: A 8 + B 5, 8 available; 40 s: A 3 + B 10
	 * with 8 available, then A 3 + B 5 + C 5). */
	ro = rollout_entry(&r, 0, 2);
	cr_expect_eq(cli_json_number(ro, "revision"), 2);
	cr_expect_eq(cli_json_number(ro, "triggered_s"), 30);
	cr_expect(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(
			  ro, "duration_s")), "rollouts[0].duration_s");
	cr_expect_eq(cli_json_bool(ro, "complete"), 0);
	cr_expect_eq(cli_json_number(ro, "min_available"), 8);
	cr_expect_eq(cli_json_number(ro, "max_non_terminating"), 13);
	ro = rollout_entry(&r, 1, 2);
	cr_expect_eq(cli_json_number(ro, "revision"), 3);
	cr_expect_eq(cli_json_number(ro, "triggered_s"), 40);
	cr_expect_eq(cli_json_number(ro, "completed_s"), 54);
	cr_expect_eq(cli_json_number(ro, "duration_s"), 14);
	cr_expect_eq(cli_json_number(ro, "min_available"), 8);
	cr_expect_eq(cli_json_number(ro, "max_non_terminating"), 13);
	cr_expect_eq(cli_json_number(r.summary, "rollout.revision"), 2);
	cr_expect_eq(cli_json_bool(r.summary, "rollout.complete"), 0);
	cr_expect(isnan(cli_json_number(r.summary, "rollout.duration_s")),
		  "rollout.duration_s of a roll-over is not null");
	cr_expect_eq(cli_json_number(r.summary, "pods.max_non_terminating"),
		     13);
	cr_expect_eq(cli_json_number(r.summary, "pods.min_available"), 8);
	/* A 10, B 10, C 10 */
	cr_expect_eq(cli_json_number(r.summary, "pods.created"), 30);
	run_free(&r);
}

/* ------------------------------------------------------------- recreate */

/* R = 6, Recreate (§5). Old pods take 3 s to shut down.
 *
 *   0 s   A born at 6 (Recreate: NewRSNewReplicas = R), Ready at 7 s.
 *                                                            A 6
 *  30 s   2.0: the new RS is looked up but not created; every active old
 *         RS is scaled to 0                                  A 0
 *         then oldPodsRunning: 6 terminating pods still exist -> wait.
 *  33 s   the old pods are gone: B created at R              B 6
 *  40 s   B's pods Ready: complete. No pod is available from 30 s to 40 s;
 *         Recreate has maxUnavailable 0, so time_below_min = 10 s.
 *
 * timeline.csv: old_pods/new_pods count non-terminating pods per side and
 * terminating counts terminating pods of every ReplicaSet; no new pod is
 * ever deleted here, so "an old pod still exists" is old_pods +
 * terminating > 0. It must be 0 in every row where new_pods > 0 (and
 * where desired_new > 0).
 */
static const struct scale_step recreate_steps[] = {
	{ 0, 'A', 6 },
	{ 30, 'A', 0 },
	{ 33, 'B', 6 },
};

Test(operations, recreate)
{
	struct run r;
	int i, saw_terminating = 0, saw_new = 0;
	double first_new = -1;

	run_scenario(&r, "recreate");
	expect_scaling(&r, recreate_steps, N_STEPS(recreate_steps), 2);

	for (i = 0; i < r.n_tl; i++) {
		const double *row = r.tl[i];

		if (row[TL_TERMINATING] > 0)
			saw_terminating = 1;
		if (row[TL_NEW_PODS] > 0 && row[TL_TIME] >= 30 && !saw_new) {
			saw_new = 1;
			first_new = row[TL_TIME];
		}
		if (row[TL_TIME] < 30)
			continue;     /* before the rollout A is the new RS */
		if (row[TL_NEW_PODS] > 0 || row[TL_DESIRED_NEW] > 0)
			cr_expect(row[TL_OLD_PODS] + row[TL_TERMINATING] == 0,
				  "at %.3f s: %g new pods (desired %g) while "
				  "%g old and %g terminating pods exist",
				  row[TL_TIME], row[TL_NEW_PODS],
				  row[TL_DESIRED_NEW], row[TL_OLD_PODS],
				  row[TL_TERMINATING]);
	}
	cr_expect(saw_terminating, "no terminating pods in timeline.csv");
	cr_expect(saw_new, "no new pods in timeline.csv");
	cr_expect(near(first_new, 33), "first new pod at %.3f s", first_new);

	cr_expect_eq(cli_json_number(r.summary, "pods.min_available"), 0);
	cr_expect_eq(cli_json_number(r.summary, "pods.max_total"), 6);
	cr_expect(near(cli_json_number(r.summary,
				       "availability.time_below_min"), 10),
		  "time_below_min %g", cli_json_number(r.summary,
			"availability.time_below_min"));
	expect_complete_at(&r, 40);
	run_free(&r);
}

/* ----------------------------------------------------------- delete-pod */

/* R = 5, no rollout. At 30 s the oldest pod of revision 1 is deleted
 * (kubectl delete pod, graceful). The Deployment controller does not scale
 * anything: A stays at 5. The RS controller counts only active pods (§4),
 * sees 4 for 5 and creates one replacement at once (30 s); the deleted pod
 * is Terminating until 31 s; the replacement is Ready at 37 s. The user
 * deleted the pod, so there is no SuccessfulDelete (that event is the RS
 * controller's).
 *
 *   0 s   A 5        (and nothing else)
 */
static const struct scale_step delete_steps[] = {
	{ 0, 'A', 5 },
};

Test(operations, delete_pod)
{
	struct run r;
	const struct ev_line *kill = NULL;
	const double *row;
	int i;

	run_scenario(&r, "delete-pod");
	expect_scaling(&r, delete_steps, N_STEPS(delete_steps), 1);

	cr_expect_eq(count_reason(&r, "SuccessfulCreate", 0, 0), 5);
	cr_expect_eq(count_reason(&r, "SuccessfulCreate", 1e-3, 1e9), 1);
	cr_expect_eq(count_reason(&r, "SuccessfulCreate", 30, 30), 1,
		     "the replacement is not created at 30 s");
	cr_expect_eq(count_reason(&r, "SuccessfulDelete", 0, 1e9), 0);
	for (i = 0; i < r.n_ev; i++)
		if (strcmp(r.ev[i].reason, "Killing") == 0)
			kill = &r.ev[i];
	cr_assert_not_null(kill, "no Killing event");
	cr_expect(near(kill->t, 30), "Killing at %.3f s", kill->t);
	cr_expect_eq(count_reason(&r, "Killing", 0, 1e9), 1);

	row = tl_last_at(&r, 30);
	cr_expect_eq(row[TL_NEW_PODS], 5);
	cr_expect_eq(row[TL_TERMINATING], 1);
	cr_expect_eq(row[TL_AVAILABLE], 4);
	row = tl_last_at(&r, 31);
	cr_expect_eq(row[TL_TERMINATING], 0);
	cr_expect_eq(row[TL_AVAILABLE], 4);
	row = tl_last_at(&r, 37);
	cr_expect_eq(row[TL_AVAILABLE], 5);

	row = r.tl[r.n_tl - 1];
	cr_expect_eq(row[TL_NEW_PODS], 5);
	cr_expect_eq(row[TL_NEW_READY], 5);
	cr_expect_eq(row[TL_AVAILABLE], 5);
	cr_expect_eq(row[TL_TERMINATING], 0);
	cr_expect_eq(row[TL_OLD_PODS], 0);
	cr_expect_eq(row[TL_DESIRED_NEW], 5);
	cr_expect_eq(row[TL_DESIRED_OLD], 0);
	cr_expect_eq(row[TL_REVISION], 1);

	cr_expect_eq(cli_json_number(r.summary, "pods.created"), 6);
	cr_expect_eq(cli_json_number(r.summary, "rollout.revision"), 1);
	run_free(&r);
}
