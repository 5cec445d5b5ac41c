/* history.c - `rollsim history SCENARIO`: `kubectl rollout history
 * deployment/NAME` at the end of the run (kubectl
 * pkg/polymorphichelpers/history.go DeploymentHistoryViewer.ViewHistory):
 * one row per ReplicaSet that still exists, by its revision annotation
 * (an undo moves the ReplicaSet it returns to to the newest revision;
 * the history cleanup removes the oldest beyond revisionHistoryLimit).
 * CHANGE-CAUSE is the kubernetes.io/change-cause annotation, which
 * rollsim never sets: `<none>`. The name printer writes
 * "deployment.apps/NAME " and the table after a newline; the table
 * (tabwriter minwidth 0, padding 2) ends with a blank line. */
#include <stdlib.h>

#include "sim/core/alloc.h"
#include "sim/core/err.h"
#include "kfmt.h"
#include "snap.h"

static int cmp_rev(const void *pa, const void *pb)
{
	const int32_t *a = pa, *b = pb;

	return (*a > *b) - (*a < *b);
}

static void print_history(const struct teach_snap *s, int32_t *revs,
			  int32_t n, FILE *out)
{
	static const char *const head[] = { "REVISION", "CHANGE-CAUSE" };
	struct kfmt_tab t;
	char num[16];
	const char *row[2];
	int32_t i;

	fprintf(out, "deployment.apps/%s \n", s->d.name);
	if (n == 0) {
		fprintf(out, "No rollout history found.\n");
		return;
	}
	qsort(revs, (size_t)n, sizeof(*revs), cmp_rev);
	kfmt_tab_init(&t, 0, 2);
	kfmt_tab_fit(&t, head, 2);
	row[0] = num;
	row[1] = "<none>";
	for (i = 0; i < n; i++) {
		snprintf(num, sizeof(num), "%d", revs[i]);
		kfmt_tab_fit(&t, row, 2);
	}
	kfmt_tab_print(out, &t, head, 2);
	for (i = 0; i < n; i++) {
		snprintf(num, sizeof(num), "%d", revs[i]);
		kfmt_tab_print(out, &t, row, 2);
	}
	fputc('\n', out);
}

int teach_history(const struct teach_args *a, struct rsim_error *err)
{
	struct world_config cfg;
	struct teach_snap s;
	int32_t *idx, i, n;
	int rc = teach_load(a, &cfg, err);

	if (rc)
		return rc;
	rc = teach_snap_take(a, &cfg, cfg.until_ns, &s, err);
	idx = rc ? NULL : rsim_malloc((size_t)(s.n_rs + 1) * sizeof(*idx));
	if (!rc && !idx)
		rc = rsim_error_set(err, RSIM_ENOMEM, a->scenario, "",
				    "out of memory");
	if (!rc) {
		n = teach_snap_live_rs(&s, idx);
		for (i = 0; i < n; i++)
			idx[i] = s.rs[idx[i]].v.revision;
		print_history(&s, idx, n, stdout);
	}
	free(idx);
	teach_snap_release(&s);
	world_config_release(&cfg);
	return rc;
}
