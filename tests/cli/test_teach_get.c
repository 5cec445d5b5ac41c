/* test_teach_get.c - kubectl's tables of ReplicaSets and the Deployment:
 * `rollsim get rs|deployment --at T`, `watch --view rs`, `watch --view
 * events` and `history`. The counts are worked out by hand from the
 * rolling-update rules for a small scenario: 3 replicas, maxSurge 1 /
 * maxUnavailable 0, a pod Available 2 s after its creation, old pods gone
 * at once, setImage at 30 s:
 *   0 s   old ReplicaSet at 3; its pods available at 2 s.
 *   30 s  new ReplicaSet born at 1 (3 + 1 pods at most).
 *   32 s  its pod available: old 3 -> 2, new 1 -> 2 (a pod created).
 *   34 s  the second new pod available: old 2 -> 1, new 2 -> 3.
 *   36 s  old 1 -> 0: complete.
 * So at 33 s: old 2 desired, 2 current, 2 ready, AGE 33s; new 2 desired,
 * 2 current, 1 ready, AGE 3s. ReplicaSet names are hashes of the
 * template: the tests read them from the output.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"

static const char web[] =
	"{ \"name\": \"web\", \"until\": \"2m\","
	"  \"controllers\": { \"syncDelay\": \"0s\" },"
	"  \"deployment\": { \"name\": \"web\", \"replicas\": 3,"
	"    \"strategy\": { \"rollingUpdate\": { \"maxSurge\": 1,"
	"                                       \"maxUnavailable\": 0 } },"
	"    \"image\": \"web:1\" },"
	"  \"images\": { \"web:1\": { \"pull\": \"2s\", \"shutdown\": 0,"
	"                 \"terminationGracePeriodSeconds\": 0 },"
	"    \"web:2\": { \"pull\": \"2s\", \"shutdown\": 0,"
	"                 \"terminationGracePeriodSeconds\": 0 } },"
	"  \"events\": [ { \"at\": \"30s\", \"action\": \"setImage\","
	"                  \"image\": \"web:2\" } ] }";

/* Runs "rollsim CMD FILE ARGS" on the scenario text. */
static void run_on(const char *text, const char *cmd, const char *args,
		   struct cli_result *r)
{
	cr_assert_eq(cli_run_text(r, text, cmd, args), 0);
}

/* The n-th line of text (0-based) into buf; 0 if there is none. */
static int nth_line(const char *text, int n, char *buf, size_t len)
{
	const char *p = text, *nl;

	while (n-- > 0) {
		p = strchr(p, '\n');
		if (!p)
			return 0;
		p++;
	}
	nl = strchr(p, '\n');
	if (!nl)
		return 0;
	snprintf(buf, len, "%.*s", (int)(nl - p), p);
	return 1;
}

Test(get_rs, snapshot_at_33s)
{
	struct cli_result r;
	char l0[256], l1[256], l2[256], n1[96], n2[96], a1[16], a2[16];
	char want[256];
	int d1, c1, r1, d2, c2, r2;
	size_t w;

	run_on(web, "get rs", "--at 33s", &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(nth_line(r.out, 0, l0, sizeof(l0)));
	cr_assert(nth_line(r.out, 1, l1, sizeof(l1)));
	cr_assert(nth_line(r.out, 2, l2, sizeof(l2)));
	cr_expect(!nth_line(r.out, 3, want, sizeof(want)));
	cr_assert_eq(sscanf(l1, "%95s %d %d %d %15s", n1, &d1, &c1, &r1, a1), 5);
	cr_assert_eq(sscanf(l2, "%95s %d %d %d %15s", n2, &d2, &c2, &r2, a2), 5);
	cr_expect_lt(strcmp(n1, n2), 0, "rows by name");
	/* the new one (AGE 3s) and the old one (33s), in either order */
	if (strcmp(a1, "3s") != 0) {
		cr_expect_str_eq(a1, "33s");
		cr_expect_str_eq(a2, "3s");
		cr_expect(d1 == 2 && c1 == 2 && r1 == 2);
		cr_expect(d2 == 2 && c2 == 2 && r2 == 1);
	} else {
		cr_expect_str_eq(a2, "33s");
		cr_expect(d1 == 2 && c1 == 2 && r1 == 1);
		cr_expect(d2 == 2 && c2 == 2 && r2 == 2);
	}
	/* kubectl's tabwriter: each column the widest cell + 3 */
	w = strlen(n1) + 3;
	snprintf(want, sizeof(want), "%-*s%-10s%-10s%-8sAGE", (int)w, "NAME",
		 "DESIRED", "CURRENT", "READY");
	cr_expect_str_eq(l0, want);
	snprintf(want, sizeof(want), "%-*s%-10d%-10d%-8d%s", (int)w, n1, d1,
		 c1, r1, a1);
	cr_expect_str_eq(l1, want);
	cli_result_free(&r);
}

/* READY = readyReplicas/replicas, UP-TO-DATE = updatedReplicas, as the
 * last status write before 33 s stored them: the 32 s sync's last step
 * read 4 pods, 2 updated, 3 ready, 3 available. */
Test(get_deployment, snapshot_at_33s)
{
	struct cli_result r;

	run_on(web, "get deployment", "--at 33s", &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect_str_eq(r.out,
			 "NAME   READY   UP-TO-DATE   AVAILABLE   AGE\n"
			 "web    3/3     2            3           33s\n");
	cli_result_free(&r);
}

/* kubectl get rs -w: the header with the first row; the old ReplicaSet
 * first seen at 0 s with 3 desired and no pod yet, then with its 3 pods;
 * its scale-down at 32 s shows AGE 32s (frozen then), desired 2 while
 * its controller has not yet deleted the pod. */
Test(watch_rs, rows)
{
	struct cli_result r;
	char l[256], name[96], age[16];
	int d, c, rd, i, seen32 = 0;

	run_on(web, "watch", "--plain --view rs", &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(nth_line(r.out, 0, l, sizeof(l)));
	cr_expect_eq(strncmp(l, "NAME ", 5), 0);
	cr_assert(nth_line(r.out, 1, l, sizeof(l)));
	cr_assert_eq(sscanf(l, "%95s %d %d %d %15s", name, &d, &c, &rd, age),
		     5);
	cr_expect(d == 3 && c == 0 && rd == 0 && strcmp(age, "0s") == 0,
		  "%s", l);
	cr_assert(nth_line(r.out, 2, l, sizeof(l)));
	cr_assert_eq(sscanf(l, "%95s %d %d %d %15s", name, &d, &c, &rd, age),
		     5);
	cr_expect(d == 3 && c == 3 && rd == 0, "%s", l);
	for (i = 1; nth_line(r.out, i, l, sizeof(l)); i++) {
		char n2[96];

		cr_assert_eq(sscanf(l, "%95s %d %d %d %15s", n2, &d, &c, &rd,
				    age), 5);
		if (strcmp(n2, name) == 0 && strcmp(age, "32s") == 0 &&
		    d == 2 && c == 3)
			seen32 = 1;
	}
	cr_expect(seen32, "%s", r.out);
	cli_result_free(&r);
}

/* kubectl get events -w: one row per Kubernetes event of events.log
 * (Normal and Warning; not rollsim's Status and kubectl lines), each
 * with LAST SEEN 0s. */
Test(watch_events, same_events_as_log)
{
	struct cli_result r, run;
	char *dir = cli_tmpdir(), file[1200], line[2600], logp[1300], *log;
	const char *p;
	int want = 0, got = 0;

	snprintf(file, sizeof(file), "%s/web.json", dir);
	cr_assert_eq(cli_write(file, web), 0);
	snprintf(line, sizeof(line), "run %s --out %s/out", file, dir);
	cli_run(&run, line);
	cr_assert_eq(run.status, 0);
	snprintf(logp, sizeof(logp), "%s/out/events.log", dir);
	log = cli_slurp(logp, NULL);
	cr_assert_not_null(log);
	for (p = log; (p = strstr(p, "  Normal  ")) != NULL; p++)
		want++;
	for (p = log; (p = strstr(p, "  Warning  ")) != NULL; p++)
		want++;
	snprintf(line, sizeof(line), "watch %s --plain --view events", file);
	cli_run(&r, line);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect_eq(strncmp(r.out, "LAST SEEN   TYPE     REASON ", 28), 0,
		     "%s", r.out);
	for (p = r.out; (p = strstr(p, "\n0s ")) != NULL; p++)
		got++;
	cr_expect_eq(got, want);
	cr_expect_gt(want, 10);
	cr_expect_not_null(strstr(r.out, "deployment/web   Scaled up "
					 "replica set "));
	free(log);
	cli_result_free(&r);
	cli_result_free(&run);
	cli_rmrf(dir);
	free(dir);
}

/* undo-broken-release: revision 1 (flask-app:1.0), 2 (the broken 2.0),
 * then the undo returns to 1.0's ReplicaSet, whose revision becomes 3:
 * the history lists 2 and 3. */
Test(history, after_undo)
{
	struct cli_result r;

	cli_run(&r, "history scenarios/undo-broken-release.json");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect_str_eq(r.out, "deployment.apps/flask-app \n"
				"REVISION  CHANGE-CAUSE\n"
				"2         <none>\n"
				"3         <none>\n"
				"\n");
	cli_result_free(&r);
}

/* revisionHistoryLimit 0: once the rollout is complete the old
 * ReplicaSet (scaled to 0) is deleted; only revision 2 is left. */
Test(history, after_cleanup)
{
	struct cli_result r, keep;

	run_on(web, "history", "--set deployment.revisionHistoryLimit=0", &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect_str_eq(r.out, "deployment.apps/web \n"
				"REVISION  CHANGE-CAUSE\n"
				"2         <none>\n"
				"\n");
	run_on(web, "history", "", &keep);
	cr_expect_str_eq(keep.out, "deployment.apps/web \n"
				   "REVISION  CHANGE-CAUSE\n"
				   "1         <none>\n"
				   "2         <none>\n"
				   "\n");
	cli_result_free(&r);
	cli_result_free(&keep);
}

Test(watch_rs, deterministic)
{
	struct cli_result a, b;

	run_on(web, "watch", "--plain --view rs --seed 7", &a);
	run_on(web, "watch", "--plain --view rs --seed 7", &b);
	cr_expect_str_eq(a.out, b.out);
	cli_result_free(&a);
	cli_result_free(&b);
}
