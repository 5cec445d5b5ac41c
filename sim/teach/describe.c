/* describe.c - `rollsim describe SCENARIO --at T`: `kubectl describe
 * deployment NAME` at simulated time T (kubectl pkg/describe/describe.go
 * describeDeployment, DescribePodTemplate, DescribeEvents,
 * printReplicaSetsByLabels), laid out by Go's tabwriter (tabw.h).
 *
 * What rollsim does not model is printed as a fresh cluster would show
 * it: namespace default, labels and selector app=NAME, the only
 * annotation deployment.kubernetes.io/revision, no ports, environment,
 * mounts or volumes. Simulated time 0 is Mon, 05 Jan 2026 09:00:00 +0000
 * (a fixed origin: CreationTimestamp is the same in every run). Probes
 * are shown with their timings; rollsim models no probe handler, so the
 * handler reads "unknown", as kubectl prints a probe without one.
 * Events are the Deployment's own (Normal and Warning), repeats folded
 * into "AGE (xN over FIRST)", from deployment-controller.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim/core/alloc.h"
#include "sim/core/err.h"
#include "kfmt.h"
#include "snap.h"
#include "tabw.h"

/* Unix time of simulated time 0: 2026-01-05 09:00:00 UTC, a Monday. */
#define DESCRIBE_EPOCH 1767603600LL

static void rfc1123z(sim_time_t t_ns, char *buf, size_t n)
{
	time_t secs = (time_t)(DESCRIBE_EPOCH + t_ns / SIM_NS_PER_S);
	struct tm tm;

	gmtime_r(&secs, &tm);
	strftime(buf, n, "%a, %d %b %Y %H:%M:%S +0000", &tm);
}

static void intstr_text(struct intstr v, char *buf, size_t n)
{
	snprintf(buf, n, v.is_percent ? "%d%%" : "%d", v.value);
}

/* time.Duration's String for whole seconds: "0s", "5s", "1m30s". */
static void go_duration(sim_time_t ns, char *buf, size_t n)
{
	long long s = (long long)(ns / SIM_NS_PER_S);

	if (s >= 3600)
		snprintf(buf, n, "%lldh%lldm%llds", s / 3600, s / 60 % 60,
			 s % 60);
	else if (s >= 60)
		snprintf(buf, n, "%lldm%llds", s / 60, s % 60);
	else
		snprintf(buf, n, "%llds", s);
}

/* DescribeProbe for a probe without a handler. */
static void describe_probe(struct tabw *w, const char *kind,
			   const struct probe_config *p)
{
	char d[32], t[32], per[32];

	if (!p->enabled)
		return;
	go_duration(p->initial_delay_ns, d, sizeof(d));
	go_duration(p->timeout_ns, t, sizeof(t));
	go_duration(p->period_ns, per, sizeof(per));
	tabw_printf(w, "    %s:\tunknown delay=%s timeout=%s period=%s "
		    "#success=%d #failure=%d\n", kind, d, t, per,
		    p->success_threshold, p->failure_threshold);
}

static void describe_template(struct tabw *w, const struct teach_snap *s,
			      const struct world_config *cfg)
{
	const struct deploy_config *spec = &s->spec;
	struct image_config eff;

	image_config_apply(&eff, &cfg->images[spec->image], &spec->tmpl);
	tabw_printf(w, "Pod Template:\n");
	tabw_printf(w, "  Labels:\tapp=%s\n", s->d.name);
	tabw_printf(w, "  Containers:\n");
	tabw_printf(w, "   %s:\n", spec->container);
	tabw_printf(w, "    Image:\t%s\n", cfg->images[spec->image].name);
	tabw_printf(w, "    Port:\t<none>\n");
	tabw_printf(w, "    Host Port:\t<none>\n");
	describe_probe(w, "Liveness", &eff.liveness);
	describe_probe(w, "Readiness", &eff.readiness);
	describe_probe(w, "Startup", &eff.startup_probe);
	tabw_printf(w, "    Environment:\t<none>\n");
	tabw_printf(w, "    Mounts:\t<none>\n");
	tabw_printf(w, "  Volumes:\t<none>\n");
	tabw_printf(w, "  Node-Selectors:\t<none>\n");
	tabw_printf(w, "  Tolerations:\t<none>\n");
}

/* A condition "STATUS Reason" as a table row. */
static void condition_row(struct tabw *w, const char *type, const char *c)
{
	const char *sp = strchr(c, ' ');

	if (!sp)
		return;
	tabw_printf(w, "  %s \t%.*s\t%s\n", type, (int)(sp - c), c, sp + 1);
}

static void describe_conditions(struct tabw *w, const struct teach_snap *s)
{
	if (!s->available[0] && !s->progressing[0])
		return;
	tabw_printf(w, "Conditions:\n  Type\tStatus\tReason\n");
	tabw_printf(w, "  ----\t------\t------\n");
	if (s->available[0])
		condition_row(w, "Available", s->available);
	if (s->progressing[0])
		condition_row(w, "Progressing", s->progressing);
}

static int rs_is_new(const struct teach_snap *s, const struct snap_rs *r)
{
	return r->v.template == s->d.template;
}

/* OldReplicaSets (spec.replicas != 0, FindOldReplicaSets' required ones)
 * and NewReplicaSet (the template's own), by name as listed. */
static void describe_rs_lines(struct tabw *w, const struct teach_snap *s,
			      int32_t *idx, int32_t n)
{
	char line[1024];
	size_t k;
	int32_t i, pass;

	for (pass = 0; pass < 2; pass++) {
		line[0] = '\0';
		for (i = 0; i < n; i++) {
			const struct snap_rs *r = &s->rs[idx[i]];

			if (rs_is_new(s, r) != pass ||
			    (!pass && r->v.desired == 0))
				continue;
			k = strlen(line);
			snprintf(line + k, sizeof(line) - k,
				 "%s%s (%d/%d replicas created)",
				 line[0] ? ", " : "", r->name, r->v.current,
				 r->v.desired);
		}
		tabw_printf(w, "%s:\t%s\n", pass ? "NewReplicaSet"
						 : "OldReplicaSets",
			    line[0] ? line : "<none>");
	}
}

static const struct teach_snap *order_snap;

static int by_name(const void *pa, const void *pb)
{
	const int32_t *a = pa, *b = pb;

	return strcmp(order_snap->rs[*a].name, order_snap->rs[*b].name);
}

/* DescribeEvents: by last occurrence (stable), Age HumanDuration. */
static void describe_events(struct tabw *w, const struct teach_snap *s,
			    int32_t *ord)
{
	int32_t i, j;
	char first[32], last[32], age[96];

	if (s->n_ev == 0) {
		tabw_printf(w, "Events:\t<none>\n");
		return;
	}
	for (i = 0; i < s->n_ev; i++) {
		for (j = i; j > 0 && s->ev[ord[j - 1]].last_ns > s->ev[i].last_ns;
		     j--)
			ord[j] = ord[j - 1];
		ord[j] = i;
	}
	tabw_printf(w, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
	tabw_printf(w, "  ----\t------\t----\t----\t-------\n");
	for (i = 0; i < s->n_ev; i++) {
		const struct snap_event *e = &s->ev[ord[i]];

		kfmt_age(s->at_ns - e->first_ns, first, sizeof(first));
		kfmt_age(s->at_ns - e->last_ns, last, sizeof(last));
		if (e->count > 1)
			snprintf(age, sizeof(age), "%s (x%d over %s)", last,
				 e->count, first);
		else
			snprintf(age, sizeof(age), "%s", first);
		tabw_printf(w, "  %s\t%s\t%s\tdeployment-controller\t%s\n",
			    e->type, e->reason, age, e->message);
	}
}

static void describe_head(struct tabw *w, const struct teach_snap *s)
{
	const struct world_deploy_view *d = &s->d;
	char when[64], mu[16], ms[16];

	rfc1123z(d->created_ns, when, sizeof(when));
	tabw_printf(w, "Name:\t%s\n", d->name);
	tabw_printf(w, "Namespace:\tdefault\n");
	tabw_printf(w, "CreationTimestamp:\t%s\n", when);
	tabw_printf(w, "Labels:\tapp=%s\n", d->name);
	if (d->revision > 0)
		tabw_printf(w, "Annotations:\tdeployment.kubernetes.io/"
			    "revision: %d\n", d->revision);
	else
		tabw_printf(w, "Annotations:\t<none>\n");
	tabw_printf(w, "Selector:\tapp=%s\n", d->name);
	tabw_printf(w, "Replicas:\t%d desired | %d updated | %d total | %d "
		    "available | %d unavailable\n", d->replicas, d->updated,
		    d->st_replicas, d->available, d->unavailable);
	tabw_printf(w, "StrategyType:\t%s\n",
		    s->spec.strategy == STRATEGY_RECREATE ? "Recreate"
							  : "RollingUpdate");
	tabw_printf(w, "MinReadySeconds:\t%lld\n",
		    (long long)(s->spec.min_ready_ns / SIM_NS_PER_S));
	if (s->spec.strategy == STRATEGY_ROLLING_UPDATE) {
		intstr_text(s->spec.max_unavailable, mu, sizeof(mu));
		intstr_text(s->spec.max_surge, ms, sizeof(ms));
		tabw_printf(w, "RollingUpdateStrategy:\t%s max unavailable, %s "
			    "max surge\n", mu, ms);
	}
}

static int describe_print(const struct teach_snap *s,
			  const struct world_config *cfg, FILE *out)
{
	struct tabw w;
	int32_t *idx = rsim_malloc((size_t)(s->n_rs + s->n_ev + 1) *
				   sizeof(*idx));
	int32_t n;
	int rc;

	if (!idx)
		return RSIM_ENOMEM;
	tabw_init(&w, 0, 2);
	describe_head(&w, s);
	describe_template(&w, s, cfg);
	describe_conditions(&w, s);
	n = teach_snap_live_rs(s, idx);
	order_snap = s;
	qsort(idx, (size_t)n, sizeof(*idx), by_name);
	describe_rs_lines(&w, s, idx, n);
	if (s->n_ev > 0 && (rc = tabw_flush(&w, out)) != 0)
		goto out;
	describe_events(&w, s, idx);
	rc = tabw_flush(&w, out);
out:
	tabw_release(&w);
	free(idx);
	return rc;
}

int teach_describe(const struct teach_args *a, struct rsim_error *err)
{
	struct world_config cfg;
	struct teach_snap s;
	sim_time_t at = 0;
	int rc;

	if (a->at && (rc = teach_parse_at(a, &at, err)) != 0)
		return rc;
	if ((rc = teach_load(a, &cfg, err)) != 0)
		return rc;
	if (!a->at)
		at = cfg.until_ns;
	rc = teach_snap_take(a, &cfg, at, &s, err);
	if (!rc && describe_print(&s, &cfg, stdout))
		rc = rsim_error_set(err, RSIM_ENOMEM, a->scenario, "",
				    "out of memory");
	teach_snap_release(&s);
	world_config_release(&cfg);
	return rc;
}
