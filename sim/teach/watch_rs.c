/* watch_rs.c - `rollsim watch --view rs`: `kubectl get rs -w` started
 * before the Deployment exists. Every change of a ReplicaSet as stored
 * (on_rs: created, scaled, its status counters or revision moved, deleted
 * by the history cleanup) prints its whole row again, NAME DESIRED
 * CURRENT READY AGE, with AGE frozen at the moment of the change (the
 * server renders the row then). The header comes with the first row
 * (the list found nothing); widths are kubectl's tabwriter's (minwidth 6,
 * padding 3) and remembered, so a column only grows. A progressive
 * rollout's change of a ReplicaSet's role alone is no change of the
 * object (world_rs_view.role_only): nothing is printed. */
#include <string.h>

#include "kfmt.h"
#include "snap.h"

struct rs_watch {
	FILE *out;
	struct kfmt_tab tab;
	int rows;
};

static void rs_watch_row(void *ctx, sim_time_t t,
			 const struct world_rs_view *v)
{
	static const char *const head[] = { "NAME", "DESIRED", "CURRENT",
					    "READY", "AGE" };
	struct rs_watch *w = ctx;
	char cells[5][96];
	const char *row[5];
	int k;

	if (v->role_only)
		return;
	get_rs_row(v, t, cells);
	for (k = 0; k < 5; k++)
		row[k] = cells[k];
	kfmt_tab_watch(w->out, &w->tab, &w->rows, head, row, 5);
}

int watch_rs(const struct teach_args *a, const struct world_config *cfg,
	     FILE *out, struct rsim_error *err)
{
	struct rs_watch w;
	struct world_observer obs;

	memset(&w, 0, sizeof(w));
	memset(&obs, 0, sizeof(obs));
	w.out = out;
	kfmt_tab_init(&w.tab, 6, 3);
	obs.ctx = &w;
	obs.on_rs = rs_watch_row;
	return teach_run(cfg, &obs, a->scenario, NULL, NULL, err);
}
