/* get_rs.c - `rollsim get rs|deployment SCENARIO --at T`: kubectl get
 * replicasets / deployments at simulated time T (printers.go
 * printReplicaSet, printDeployment): NAME DESIRED CURRENT READY AGE and
 * NAME READY UP-TO-DATE AVAILABLE AGE, rows by name as the API server
 * lists them, laid out by kubectl's tabwriter (minwidth 6, padding 3)
 * after all rows are known. AGE is HumanDuration(T - creation); the
 * Deployment is created at 0 s. ReplicaSets deleted by the history
 * cleanup are gone. */
#include <stdlib.h>
#include <string.h>

#include "sim/core/alloc.h"
#include "sim/core/err.h"
#include "kfmt.h"
#include "snap.h"

/* A row of kubectl get rs for v at t_ns (the watch view shares it). */
void get_rs_row(const struct world_rs_view *v, sim_time_t t_ns,
		char cells[5][96])
{
	snprintf(cells[0], 96, "%s", v->name);
	snprintf(cells[1], 96, "%d", v->desired);
	snprintf(cells[2], 96, "%d", v->current);
	snprintf(cells[3], 96, "%d", v->ready);
	kfmt_age(t_ns - v->created_ns, cells[4], 96);
}

static const struct teach_snap *sort_snap;

static int by_name(const void *pa, const void *pb)
{
	const int32_t *a = pa, *b = pb;

	return strcmp(sort_snap->rs[*a].name, sort_snap->rs[*b].name);
}

static void print_rs_table(const struct teach_snap *s, const int32_t *idx,
			   int32_t n, FILE *out)
{
	static const char *const head[] = { "NAME", "DESIRED", "CURRENT",
					    "READY", "AGE" };
	struct kfmt_tab t;
	char cells[5][96];
	const char *row[5];
	int32_t i, pass, k;

	kfmt_tab_init(&t, 6, 3);
	kfmt_tab_fit(&t, head, 5);
	for (pass = 0; pass < 2; pass++) {
		if (pass)
			kfmt_tab_print(out, &t, head, 5);
		for (i = 0; i < n; i++) {
			get_rs_row(&s->rs[idx[i]].v, s->at_ns, cells);
			for (k = 0; k < 5; k++)
				row[k] = cells[k];
			if (pass)
				kfmt_tab_print(out, &t, row, 5);
			else
				kfmt_tab_fit(&t, row, 5);
		}
	}
}

int get_rs(const struct teach_args *a, const struct world_config *cfg,
	   sim_time_t at_ns, FILE *out, struct rsim_error *err)
{
	struct teach_snap s;
	int32_t *idx, n;
	int rc = teach_snap_take(a, cfg, at_ns, &s, err);

	if (rc) {
		teach_snap_release(&s);
		return rc;
	}
	idx = rsim_malloc((size_t)(s.n_rs + 1) * sizeof(*idx));
	if (!idx) {
		teach_snap_release(&s);
		return rsim_error_set(err, RSIM_ENOMEM, a->scenario, "",
				      "out of memory");
	}
	n = teach_snap_live_rs(&s, idx);
	sort_snap = &s;
	qsort(idx, (size_t)n, sizeof(*idx), by_name);
	if (n == 0)
		fprintf(stderr, "No resources found in default namespace.\n");
	else
		print_rs_table(&s, idx, n, out);
	free(idx);
	teach_snap_release(&s);
	return 0;
}

int get_deployment(const struct teach_args *a,
		   const struct world_config *cfg, sim_time_t at_ns,
		   FILE *out, struct rsim_error *err)
{
	static const char *const head[] = { "NAME", "READY", "UP-TO-DATE",
					    "AVAILABLE", "AGE" };
	struct teach_snap s;
	struct kfmt_tab t;
	char ready[32], upd[16], avail[16], age[16];
	const char *row[5];
	int rc = teach_snap_take(a, cfg, at_ns, &s, err);

	if (rc) {
		teach_snap_release(&s);
		return rc;
	}
	snprintf(ready, sizeof(ready), "%d/%d", s.d.ready, s.d.replicas);
	snprintf(upd, sizeof(upd), "%d", s.d.updated);
	snprintf(avail, sizeof(avail), "%d", s.d.available);
	kfmt_age(s.at_ns - s.d.created_ns, age, sizeof(age));
	row[0] = s.d.name;
	row[1] = ready;
	row[2] = upd;
	row[3] = avail;
	row[4] = age;
	kfmt_tab_init(&t, 6, 3);
	kfmt_tab_fit(&t, head, 5);
	kfmt_tab_fit(&t, row, 5);
	kfmt_tab_print(out, &t, head, 5);
	kfmt_tab_print(out, &t, row, 5);
	teach_snap_release(&s);
	return 0;
}
