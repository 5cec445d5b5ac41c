/* test_teach_describe.c - `rollsim describe --at T`: kubectl describe
 * deployment's layout (Go tabwriter, padding 2, column blocks), the
 * Replicas line and its bases, conditions, ReplicaSet lines and events.
 * The scenario is that of test_teach_get.c (3 replicas, maxSurge 1 /
 * maxUnavailable 0, pods Available 2 s after creation, setImage at 30 s);
 * values worked out by hand in each test.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"

#define WEB(v1, events)                                                     \
	"{ \"name\": \"web\", \"until\": \"2m\","                           \
	"  \"controllers\": { \"syncDelay\": \"0s\" },"                     \
	"  \"deployment\": { \"name\": \"web\", \"replicas\": 3,"           \
	"    \"strategy\": { \"rollingUpdate\": { \"maxSurge\": 1,"         \
	"                                       \"maxUnavailable\": 0 } },"  \
	"    \"image\": \"web:1\" },"                                       \
	"  \"images\": { \"web:1\": { \"pull\": \"2s\"" v1 " },"             \
	"    \"web:2\": { \"pull\": \"2s\", \"shutdown\": 0,"               \
	"                 \"terminationGracePeriodSeconds\": 0,"            \
	"                 \"readinessProbe\": { \"initialDelaySeconds\": 0,"  \
	"                   \"periodSeconds\": 1 } } },"                    \
	"  \"events\": [ { \"at\": \"30s\", \"action\": \"setImage\","      \
	"                  \"image\": \"web:2\" }" events " ] }"

#define GONE ", \"shutdown\": 0, \"terminationGracePeriodSeconds\": 0"

static void run_on(const char *text, const char *cmd, const char *args,
		   struct cli_result *r)
{
	cr_assert_eq(cli_run_text(r, text, cmd, args), 0);
}

/* The line of text that starts with prefix, without its newline. */
static const char *line_with(const char *text, const char *prefix,
			     char *buf, size_t n)
{
	const char *p = text;

	while (p && *p) {
		const char *nl = strchr(p, '\n');

		if (strncmp(p, prefix, strlen(prefix)) == 0) {
			snprintf(buf, n, "%.*s",
				 (int)(nl ? nl - p : (long)strlen(p)), p);
			return buf;
		}
		p = nl ? nl + 1 : NULL;
	}
	return NULL;
}

/* The names of the old (created at 0 s) and new (30 s) ReplicaSets, read
 * from get rs at 31 s (AGE 31s and 1s). */
static void rs_names(const char *text, char *old, char *nw)
{
	struct cli_result r;
	char name[96], age[16];
	const char *p;
	int d, c, rd;

	run_on(text, "get rs", "--at 31s", &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	for (p = strchr(r.out, '\n'); p && p[1]; p = strchr(p + 1, '\n')) {
		cr_assert_eq(sscanf(p + 1, "%95s %d %d %d %15s", name, &d, &c,
				    &rd, age), 5);
		strcpy(strcmp(age, "31s") == 0 ? old : nw, name);
	}
	cli_result_free(&r);
}

/* At 31 s: the last status write (the 30 s sync's last step) read 4 pods
 * (3 old + 1 new, none terminating), 1 updated, 3 available, specs
 * 3 + 1: "3 desired | 1 updated | 4 total | 3 available | 1 unavailable".
 * Widths: the first block's widest cell is "RollingUpdateStrategy:" (22
 * + 2); the container block's "  Node-Selectors:" (17 + 2); the
 * conditions run on into the ReplicaSet lines, so "OldReplicaSets:"
 * (15 + 2) sets their first column; the events are flushed apart (Age:
 * "----" + 2). */
Test(describe, layout_at_31s)
{
	char old[96] = "", nw[96] = "", want[4096];
	struct cli_result r;
	const char *text = WEB(GONE, "");

	rs_names(text, old, nw);
	cr_assert(old[0] && nw[0]);
	snprintf(want, sizeof(want),
		 "Name:                   web\n"
		 "Namespace:              default\n"
		 "CreationTimestamp:      Mon, 05 Jan 2026 09:00:00 +0000\n"
		 "Labels:                 app=web\n"
		 "Annotations:            deployment.kubernetes.io/revision: 2\n"
		 "Selector:               app=web\n"
		 "Replicas:               3 desired | 1 updated | 4 total | 3 "
		 "available | 1 unavailable\n"
		 "StrategyType:           RollingUpdate\n"
		 "MinReadySeconds:        0\n"
		 "RollingUpdateStrategy:  0 max unavailable, 1 max surge\n"
		 "Pod Template:\n"
		 "  Labels:  app=web\n"
		 "  Containers:\n"
		 "   app:\n"
		 "    Image:         web:2\n"
		 "    Port:          <none>\n"
		 "    Host Port:     <none>\n"
		 "    Readiness:     unknown delay=0s timeout=1s period=1s "
		 "#success=1 #failure=3\n"
		 "    Environment:   <none>\n"
		 "    Mounts:        <none>\n"
		 "  Volumes:         <none>\n"
		 "  Node-Selectors:  <none>\n"
		 "  Tolerations:     <none>\n"
		 "Conditions:\n"
		 "  Type           Status  Reason\n"
		 "  ----           ------  ------\n"
		 "  Available      True    MinimumReplicasAvailable\n"
		 "  Progressing    True    ReplicaSetUpdated\n"
		 "OldReplicaSets:  %s (3/3 replicas created)\n"
		 "NewReplicaSet:   %s (1/1 replicas created)\n"
		 "Events:\n"
		 "  Type    Reason             Age   From                   "
		 "Message\n"
		 "  ----    ------             ----  ----                   "
		 "-------\n"
		 "  Normal  ScalingReplicaSet  31s   deployment-controller  "
		 "Scaled up replica set %s from 0 to 3\n"
		 "  Normal  ScalingReplicaSet  1s    deployment-controller  "
		 "Scaled up replica set %s from 0 to 1\n",
		 old, nw, old, nw);
	run_on(text, "describe", "--at 31s", &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect_str_eq(r.out, want);
	cli_result_free(&r);
}

/* Old pods take 10 s to stop: at 33 s the pod deleted at 32 s is still
 * Terminating. total is status.replicas, non-terminating pods only: old
 * 2 + new 2 = 4 (5 exist). unavailable is the sum of the ReplicaSets'
 * specs (2 + 2) minus available (3), not spec.replicas - available (0);
 * both as the 32 s sync's last step read them (4 pods, 2 updated, 3
 * available). */
Test(describe, replicas_bases)
{
	struct cli_result r;
	char buf[256];

	run_on(WEB(", \"shutdown\": \"10s\"", ""), "describe", "--at 33s", &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect_str_eq(line_with(r.out, "Replicas:", buf, sizeof(buf)),
			 "Replicas:               3 desired | 2 updated | 4 "
			 "total | 3 available | 1 unavailable");
	cli_result_free(&r);
}

/* Scaled 3 -> 5 at 40 s and 60 s, 5 -> 3 at 50 s and 70 s after the
 * rollout: the same two events twice each, folded by the correlator,
 * listed by their last time: "20s (x2 over 40s)", "10s (x2 over 30s)"
 * at 80 s. */
Test(describe, repeated_events)
{
	struct cli_result r;
	char buf[512], old[96] = "", nw[96] = "", want[512];
	const char *text = WEB(GONE, ", { \"at\": \"40s\", \"action\": "
			       "\"scale\", \"replicas\": 5 }, { \"at\": \"50s\","
			       " \"action\": \"scale\", \"replicas\": 3 }, "
			       "{ \"at\": \"60s\", \"action\": \"scale\", "
			       "\"replicas\": 5 }, { \"at\": \"70s\", "
			       "\"action\": \"scale\", \"replicas\": 3 }");
	const char *p;

	rs_names(text, old, nw);
	run_on(text, "describe", "--at 80s", &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	p = strstr(r.out, "from 1 to 0\n");
	cr_assert_not_null(p, "%s", r.out);
	snprintf(want, sizeof(want),
		 "  Normal  ScalingReplicaSet  20s (x2 over 40s)  "
		 "deployment-controller  Scaled up replica set %s from 3 to 5",
		 nw);
	cr_expect_str_eq(line_with(p + 12, "  Normal", buf, sizeof(buf)), want);
	snprintf(want, sizeof(want),
		 "  Normal  ScalingReplicaSet  10s (x2 over 30s)  "
		 "deployment-controller  Scaled down replica set %s from 5 to "
		 "3", nw);
	p = strchr(p + 12, '\n');
	cr_assert_not_null(p);
	cr_expect_str_eq(line_with(p + 1, "  Normal", buf, sizeof(buf)), want);
	cr_expect_not_null(strstr(r.out, "OldReplicaSets:  <none>\n"));
	cli_result_free(&r);
}

Test(describe, deterministic)
{
	struct cli_result a, b;

	run_on(WEB(GONE, ""), "describe", "--at 33s", &a);
	run_on(WEB(GONE, ""), "describe", "--at 33s", &b);
	cr_expect_str_eq(a.out, b.out);
	cli_result_free(&a);
	cli_result_free(&b);
}
