/* rs_explain.c - the ReplicaSet controller's decisions in words (rollsim
 * explain; docs/kubernetes.md §4): how many pods it creates, and for each
 * pod it deletes, the ranking rule that put it before the best pod that
 * stays (controller_utils.go ActivePodsWithRanks.Less). */
#include <stdio.h>

#include "decide.h"
#include "replicaset.h"
#include "world_impl.h"

static void say(struct world *w, int32_t rs, const char *text)
{
	char obj[RS_NAME_MAX + 16];

	snprintf(obj, sizeof(obj), "replicaset/%s", w->rs[rs].name);
	decide(w, ACTOR_REPLICASET, obj, "%s", text);
}

void explain_rs_create(struct world *w, int32_t rs, int32_t n)
{
	char t[256];

	snprintf(t, sizeof(t), "spec.replicas %d, %d active pod%s -> create "
		 "%d pod%s", w->rs[rs].spec, w->rs[rs].active,
		 w->rs[rs].active == 1 ? "" : "s", n, n == 1 ? "" : "s");
	say(w, rs, t);
}

static double age_s(sim_time_t now, sim_time_t t)
{
	return (double)(now - t) / 1e9;
}

/* Rules 6 and 8 compare floor(log2(age in ns)); in one bucket the
 * smaller UID goes first. */
static void bucket_text(const char *what, sim_time_t ta, sim_time_t tb,
			sim_time_t now, const char *rule, char *buf, size_t n)
{
	int ba = rs_log2_bucket(now - ta), bb = rs_log2_bucket(now - tb);

	if (ba != bb)
		snprintf(buf, n, "%s %.1f s against %.1f s (%s: log2 age "
			 "bucket %d < %d)", what, age_s(now, ta),
			 age_s(now, tb), rule, ba, bb);
	else
		snprintf(buf, n, "%s %.1f s and %.1f s, the same log2 age "
			 "bucket %d (%s; in one bucket the smaller UID goes "
			 "first)", what, age_s(now, ta), age_s(now, tb), ba,
			 rule);
}

/* Why a goes before b by rule. */
static void rule_text(int rule, const struct pod_rank_key *a,
		      const struct pod_rank_key *b, sim_time_t now,
		      char *buf, size_t n)
{
	switch (rule) {
	case 1:
		snprintf(buf, n, "not yet scheduled (rule 1: unscheduled "
			 "before scheduled)");
		break;
	case 2:
		snprintf(buf, n, "Pending, the other Running (rule 2: Pending "
			 "before Running)");
		break;
	case 3:
		snprintf(buf, n, "not Ready, the other Ready (rule 3: not "
			 "Ready before Ready)");
		break;
	case 4:
		snprintf(buf, n, "pod-deletion-cost %d < %d (rule 4: lower "
			 "cost first)", a->deletion_cost, b->deletion_cost);
		break;
	case 5:
		snprintf(buf, n, "%d pods of the Deployment on its node "
			 "against %d (rule 5: more crowded node first)",
			 a->rank, b->rank);
		break;
	case 6:
		bucket_text("Ready for", a->ready_since_ns, b->ready_since_ns,
			    now, "rule 6: Ready more recently first", buf, n);
		break;
	case 7:
		snprintf(buf, n, "%d restarts against %d (rule 7: more "
			 "restarts first)", a->restarts, b->restarts);
		break;
	case 8:
		bucket_text("created", a->created_ns, b->created_ns, now,
			    "rule 8: created more recently first", buf, n);
		break;
	default:
		snprintf(buf, n, "equal by every rule: the one created "
			 "first goes (rollsim's tie-break; upstream's sort may "
			 "pick either)");
	}
}

void explain_victim(struct world *w, int32_t rs,
		    const struct pod_rank_key *victim, const char *name,
		    const struct pod_rank_key *keep, const char *keep_name,
		    int32_t n)
{
	char t[640], why[256];
	sim_time_t now = engine_now(w->eng);
	int order, rule;
	int len = 0;

	if (n > 0)
		len = snprintf(t, sizeof(t), "spec.replicas %d, %d active "
			       "pod%s -> delete %d; ", w->rs[rs].spec,
			       w->rs[rs].active,
			       w->rs[rs].active == 1 ? "" : "s", n);
	if (len < 0 || (size_t)len >= sizeof(t))
		len = 0;
	if (!keep) {
		snprintf(t + len, sizeof(t) - (size_t)len, "delete pod %s "
			 "(every pod goes)", name);
		say(w, rs, t);
		return;
	}
	rule = rs_delete_rule(victim, keep, now, &order);
	rule_text(rule, victim, keep, now, why, sizeof(why));
	snprintf(t + len, sizeof(t) - (size_t)len, "delete pod %s before %s: "
		 "%s", name, keep_name, why);
	say(w, rs, t);
}
