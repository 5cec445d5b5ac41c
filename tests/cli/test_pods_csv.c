/* test_pods_csv.c - pods.csv of `run --out`: its columns (README.md,
 * Outputs) and its agreement with timeline.csv.
 *
 * timeline.csv counts pods (old_pods + new_pods: not terminating; their
 * ready ones; terminating: deleted but not yet gone; pending: not
 * terminating and never running); pods.csv has a row per change of each
 * pod. Replaying pods.csv up to any instant and counting the pods' last
 * states must give the counts of the last timeline row at or before that
 * instant: a pod whose last row is not Terminating is active, counted
 * ready when its READY is 1, pending while it has no `started` row; a
 * Terminating row counts it terminating until its `deleted` row.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"

#define MAX_PODS 512
#define MAX_ROWS 20000

struct pod_row {
	double t;
	char pod[80], status[32], change[24];
	int ready, restarts;
};

struct tl_row {
	double t;
	int active, ready, terminating, pending;
};

struct pod_state {
	char name[80];
	int active, ready, terminating, started;
};

static char *run_and_read(const char *dir, const char *scenario,
			  const char *file)
{
	char args[1400], path[1400];
	struct cli_result r;
	char *text;

	snprintf(args, sizeof(args), "run %s --out %s/o", scenario, dir);
	cli_run(&r, args);
	cr_assert_eq(r.status, 0, "rollsim %s: %s", args, r.err);
	cli_result_free(&r);
	snprintf(path, sizeof(path), "%s/o/%s", dir, file);
	text = cli_slurp(path, NULL);
	cr_assert_not_null(text, "%s is missing", path);
	return text;
}

/* Splits line at its commas into at most max fields; returns how many. */
static int split(char *line, char **f, int max)
{
	int n = 0;

	while (n < max) {
		f[n++] = line;
		line = strchr(line, ',');
		if (!line)
			break;
		*line++ = '\0';
	}
	return n;
}

/* The rows of pods.csv after its header; returns how many. */
static int parse_pods(char *text, struct pod_row *rows, int max)
{
	char *line = strchr(text, '\n'), *next, *f[10];
	int n = 0;

	cr_assert_not_null(line);
	for (line++; *line && n < max; line = next) {
		struct pod_row *x = &rows[n++];

		next = strchr(line, '\n');
		cr_assert_not_null(next);
		*next++ = '\0';
		cr_assert_eq(split(line, f, 10), 9, "pods.csv row %d: %s", n,
			     line);
		x->t = strtod(f[0], NULL);
		snprintf(x->pod, sizeof(x->pod), "%s", f[1]);
		snprintf(x->status, sizeof(x->status), "%s", f[5]);
		snprintf(x->change, sizeof(x->change), "%s", f[8]);
		x->ready = atoi(f[6]);
		x->restarts = atoi(f[7]);
		cr_expect(strncmp(f[1], f[2], strlen(f[2])) == 0,
			  "pod %s is not named after its ReplicaSet %s", f[1],
			  f[2]);
		cr_expect(atoi(f[3]) >= 1, "revision %s", f[3]);
	}
	return n;
}

static int parse_timeline(char *text, struct tl_row *rows, int max)
{
	char *line = strchr(text, '\n'), *next;
	int n = 0;

	cr_assert_not_null(line);
	for (line++; *line && n < max; line = next) {
		struct tl_row *x = &rows[n++];
		int rev, op, np, ordy, nrdy, av, ep, dold, dnew;

		next = strchr(line, '\n');
		cr_assert_not_null(next);
		*next++ = '\0';
		cr_assert_eq(sscanf(line, "%lf,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d",
				    &x->t, &rev, &op, &np, &ordy, &nrdy, &av,
				    &x->terminating, &x->pending, &ep, &dold,
				    &dnew), 12, "timeline row: %s", line);
		x->active = op + np;
		x->ready = ordy + nrdy;
	}
	return n;
}

static struct pod_state *state_of(struct pod_state *s, int *n,
				  const char *name)
{
	int i;

	for (i = 0; i < *n; i++)
		if (strcmp(s[i].name, name) == 0)
			return &s[i];
	cr_assert_lt(*n, MAX_PODS);
	memset(&s[*n], 0, sizeof(s[*n]));
	snprintf(s[*n].name, sizeof(s[*n].name), "%s", name);
	return &s[(*n)++];
}

static void apply(struct pod_state *p, const struct pod_row *r)
{
	int gone = strcmp(r->change, "deleted") == 0;

	p->terminating = strcmp(r->status, "Terminating") == 0 && !gone;
	p->active = strcmp(r->status, "Terminating") != 0;
	p->ready = p->active && r->ready == 1;
	if (strcmp(r->change, "started") == 0)
		p->started = 1;
	cr_assert(r->ready == 0 || r->ready == 1, "%s: ready %d", r->pod,
		  r->ready);
}

/* The counts of the pods' last states against timeline row tl. */
static void compare(const char *scen, double t, const struct pod_state *s,
		    int n, const struct tl_row *tl)
{
	struct tl_row c = { 0 };
	int i;

	for (i = 0; i < n; i++) {
		c.active += s[i].active;
		c.ready += s[i].ready;
		c.terminating += s[i].terminating;
		c.pending += s[i].active && !s[i].started;
	}
	cr_expect(c.active == tl->active && c.ready == tl->ready &&
			  c.terminating == tl->terminating &&
			  c.pending == tl->pending,
		  "%s at %.9f s: pods.csv gives active %d ready %d terminating "
		  "%d pending %d, timeline.csv (row of %.9f s) %d %d %d %d",
		  scen, t, c.active, c.ready, c.terminating, c.pending, tl->t,
		  tl->active, tl->ready, tl->terminating, tl->pending);
}

static void check_consistent(const char *scenario)
{
	char *dir = cli_tmpdir();
	char *pt = run_and_read(dir, scenario, "pods.csv");
	char *tt = run_and_read(dir, scenario, "timeline.csv");
	struct pod_row *pr = calloc(MAX_ROWS, sizeof(*pr));
	struct tl_row *tr = calloc(MAX_ROWS, sizeof(*tr));
	struct pod_state *st = calloc(MAX_PODS, sizeof(*st));
	int np, nt, ip = 0, it = -1, ns = 0;

	cr_assert(pr && tr && st);
	np = parse_pods(pt, pr, MAX_ROWS);
	nt = parse_timeline(tt, tr, MAX_ROWS);
	cr_assert_gt(np, 0, "%s: pods.csv has no row", scenario);
	cr_assert_gt(nt, 0);
	/* every instant of either file, in order */
	while (ip < np || it + 1 < nt) {
		double tp = ip < np ? pr[ip].t : HUGE_VAL;
		double tn = it + 1 < nt ? tr[it + 1].t : HUGE_VAL;
		double t = tp < tn ? tp : tn;

		while (ip < np && pr[ip].t <= t) {
			apply(state_of(st, &ns, pr[ip].pod), &pr[ip]);
			ip++;
		}
		while (it + 1 < nt && tr[it + 1].t <= t)
			it++;
		if (it >= 0)
			compare(scenario, t, st, ns, &tr[it]);
	}
	free(pr);
	free(tr);
	free(st);
	free(pt);
	free(tt);
	cli_rmrf(dir);
	free(dir);
}

/* README.md, Outputs: the columns of pods.csv, verbatim; each row has
 * nine fields, a STATUS kubectl prints and a change of README's list. */
Test(pods_csv, header_and_vocabulary)
{
	static const char header[] =
		"time_s,pod,replicaset,revision,node,status,ready,restarts,"
		"change\n";
	static const char *const statuses[] = {
		"Pending", "ContainerCreating", "ErrImagePull",
		"ImagePullBackOff", "Running", "Error", "CrashLoopBackOff",
		"Terminating"
	};
	static const char *const changes[] = {
		"created", "unschedulable", "scheduled", "creating",
		"pullfailed", "pullbackoff", "started", "restarted", "ready",
		"unready", "exited", "backoff", "terminating", "stopped",
		"deleted"
	};
	char *dir = cli_tmpdir();
	char *text = run_and_read(dir, "scenarios/crashloop-undo.json",
				  "pods.csv");
	struct pod_row *pr = calloc(MAX_ROWS, sizeof(*pr));
	int n, i, ok;
	size_t k;

	cr_assert_not_null(pr);
	cr_assert(strncmp(text, header, strlen(header)) == 0, "header: %.90s",
		  text);
	n = parse_pods(text, pr, MAX_ROWS);
	for (i = 0; i < n; i++) {
		for (ok = 0, k = 0; k < sizeof(statuses) / sizeof(*statuses);
		     k++)
			ok |= strcmp(pr[i].status, statuses[k]) == 0;
		cr_expect(ok, "row %d: status %s", i, pr[i].status);
		for (ok = 0, k = 0; k < sizeof(changes) / sizeof(*changes); k++)
			ok |= strcmp(pr[i].change, changes[k]) == 0;
		cr_expect(ok, "row %d: change %s", i, pr[i].change);
	}
	free(pr);
	free(text);
	cli_rmrf(dir);
	free(dir);
}

/* A rollout with a readiness probe; a crash loop and its undo; pods
 * killed at the grace period; Recreate; a drain; a pod that waits for
 * room on a full cluster. */
Test(pods_csv, agrees_with_timeline, .timeout = 120)
{
	check_consistent("scenarios/flask-app.json");
	check_consistent("scenarios/crashloop-undo.json");
	check_consistent("scenarios/failure-no-prestop.json");
	check_consistent("scenarios/recreate.json");
	check_consistent("scenarios/drain-with-pdb.json");
	check_consistent("scenarios/cluster-full-surge-stalls.json");
}
