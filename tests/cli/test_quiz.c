/* test_quiz.c - `rollsim quiz --answers FILE` end to end.
 *
 * The scenario (written by the tests) has constant timings: 3 replicas at
 * 25 % / 25 %, a pod Ready and available 7 s after it is created (pull
 * 2 s, readiness probe 4 / 5 s), preStop sleep 3 s, endpoint propagation
 * 1.3 s, 20 requests/s of 10 ms, setImage at 20 s. By hand
 * (docs/kubernetes.md):
 *   Q1 maxSurge ceil(0.75) = 1, maxUnavailable floor(0.75) = 0 (§1);
 *   Q2 at most 3 + 1 = 4 pods that are not terminating (§2.4);
 *   Q3 maxUnavailable 0: never fewer than 3 available (§2.5);
 *   Q4 the new ReplicaSet is born at min(3 + 1 - 3, 3) = 1 (§2.3);
 *   Q5 one pod per 7 s, three of them: 21 s (§2.6);
 *   Q6 no request fails in any replication: a pod joins the endpoints
 *      only once Ready, and leaves them 3 s before SIGTERM, longer than
 *      the 1.3 s kube-proxy needs to learn it (§11, §12), so the 95 %
 *      interval is [0, 0].
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"

static const char calm_json[] =
	"{\"name\": \"calm\", \"seed\": 1, \"until\": \"1m\",\n"
	" \"controllers\": {\"syncDelay\": \"0s\"},\n"
	" \"deployment\": {\"name\": \"web\", \"replicas\": 3, "
	"\"image\": \"web:1\"},\n"
	" \"images\": {\n"
	"  \"web:1\": {\"pull\": \"2s\", \"startup\": \"3s\",\n"
	"   \"readinessProbe\": {\"initialDelaySeconds\": 4, "
	"\"periodSeconds\": 5},\n"
	"   \"preStopSleep\": \"3s\", \"shutdown\": \"1s\", \"serviceTime\": "
	"\"10ms\", \"concurrency\": 8},\n"
	"  \"web:2\": {\"pull\": \"2s\", \"startup\": \"3s\",\n"
	"   \"readinessProbe\": {\"initialDelaySeconds\": 4, "
	"\"periodSeconds\": 5},\n"
	"   \"preStopSleep\": \"3s\", \"shutdown\": \"1s\", \"serviceTime\": "
	"\"10ms\", \"concurrency\": 8}},\n"
	" \"network\": {\"endpointPropagation\": \"1300ms\"},\n"
	" \"traffic\": {\"rate\": 20, \"start\": \"10s\"},\n"
	" \"events\": [{\"at\": \"20s\", \"action\": \"setImage\", "
	"\"image\": \"web:2\"}]}\n";

struct quiz_run {
	char *dir;
	struct cli_result r;
};

/* Writes the scenario and the answer file, runs the quiz. */
static void quiz(struct quiz_run *q, const char *answers)
{
	char scen[1200], ans[1200], args[2600];

	q->dir = cli_tmpdir();
	snprintf(scen, sizeof(scen), "%s/calm.json", q->dir);
	snprintf(ans, sizeof(ans), "%s/answers.txt", q->dir);
	cr_assert_eq(cli_write(scen, calm_json), 0);
	if (answers)
		cr_assert_eq(cli_write(ans, answers), 0);
	snprintf(args, sizeof(args), "quiz %s --answers %s < /dev/null", scen,
		 ans);
	cli_run(&q->r, args);
}

static void quiz_free(struct quiz_run *q)
{
	cli_rmrf(q->dir);
	free(q->dir);
	cli_result_free(&q->r);
}

/* Question n's answer line says verdict. */
static void expect_verdict(const struct quiz_run *q, int n, const char *ans,
			   const char *verdict)
{
	char want[256], *p;

	snprintf(want, sizeof(want), "Q%d. ", n);
	p = strstr(q->r.out, want);
	cr_assert_not_null(p, "no Q%d in: %s", n, q->r.out);
	snprintf(want, sizeof(want), "    answer:  %s  %s\n", ans, verdict);
	p = strstr(p, "    answer:  ");
	cr_assert(p && strncmp(p, want, strlen(want)) == 0,
		  "Q%d: want \"%s\" in: %s", n, want, p ? p : q->r.out);
}

Test(quiz, all_right)
{
	struct quiz_run q;

	quiz(&q, "# the calm rollout\n1 0   # surge, unavailable\n4\n\n3\n"
	     "scale up new to 1\n21\n0\n");
	cr_assert_eq(q.r.status, 0, "%s", q.r.err);
	expect_verdict(&q, 1, "1 0", "RIGHT");
	expect_verdict(&q, 4, "scale up new to 1", "RIGHT");
	expect_verdict(&q, 6, "0", "RIGHT");
	cr_expect(strstr(q.r.out, "true:    0.0 on average, 95 % CI [0.0, "
			 "0.0]") != NULL, "%s", q.r.out);
	cr_expect(strstr(q.r.out, "\nscore: 6 of 6\n") != NULL, "%s",
		  q.r.out);
	quiz_free(&q);
}

Test(quiz, all_wrong)
{
	struct quiz_run q;

	quiz(&q, "1 1\n3\n2\nscale down old to 2\n7\n1\n");
	cr_assert_eq(q.r.status, 0, "%s", q.r.err);
	expect_verdict(&q, 1, "1 1", "WRONG");
	expect_verdict(&q, 4, "scale down old to 2", "WRONG");
	expect_verdict(&q, 6, "1", "WRONG");
	cr_expect(strstr(q.r.out, "true:    scale up new to 1\n") != NULL);
	cr_expect(strstr(q.r.out, "\nscore: 0 of 6\n") != NULL, "%s",
		  q.r.out);
	quiz_free(&q);
}

/* 21 s: 23.1 and 18.9 are right, 23.2 and 18.8 wrong. */
Test(quiz, duration_tolerance_edges)
{
	static const char *const cases[][2] = {
		{ "23.1", "RIGHT" }, { "18.9", "RIGHT" },
		{ "23.2", "WRONG" }, { "18.8", "WRONG" }
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct quiz_run q;
		char ans[128];

		snprintf(ans, sizeof(ans), "1 0\n4\n3\nup 1\n%s\n0\n",
			 cases[i][0]);
		quiz(&q, ans);
		cr_assert_eq(q.r.status, 0, "%s", q.r.err);
		expect_verdict(&q, 5, cases[i][0], cases[i][1]);
		quiz_free(&q);
	}
}

static void expect_bad(const char *answers, const char *msg)
{
	struct quiz_run q;

	quiz(&q, answers);
	cr_assert_eq(q.r.status, 2, "exit %d: %s", q.r.status, q.r.err);
	cr_expect(strstr(q.r.err, msg) != NULL, "stderr: %s", q.r.err);
	cr_expect(strchr(q.r.err, '\n') == q.r.err + strlen(q.r.err) - 1,
		  "not one line: %s", q.r.err);
	cr_expect_str_eq(q.r.out, "");
	quiz_free(&q);
}

Test(quiz, bad_answer_files)
{
	expect_bad("1 0\n4\n3\nup 1\n21\n", "answers.txt: expected 6 answers "
		   "(one a line), got 5");
	expect_bad("1 0\nfour\n3\nup 1\n21\n0\n", "answers.txt: line 2: "
		   "answer 2: expected a whole number, got \"four\"");
	expect_bad("1 0\n4\n3\nsideways 1\n21\n0\n", "answer 4: expected "
		   "\"scale up new to N\" or \"scale down old to N\"");
	expect_bad(NULL, "answers.txt: cannot read the answers");
}
