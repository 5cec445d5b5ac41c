/* watch_events.c - `rollsim watch --view events`: `kubectl get events -w`
 * started before the Deployment exists, from the same events as
 * events.log (its Kubernetes events: types Normal and Warning; the
 * "Status" and "kubectl" lines are rollsim's own). Columns LAST SEEN TYPE
 * REASON OBJECT MESSAGE (printers.go printEvent); the server renders each
 * row as the event is written, so LAST SEEN is the age of its last
 * occurrence then: 0s. A repeated event (the correlator's count + 1) is
 * a MODIFIED event and prints its row again. The header comes with the
 * first row; widths are kubectl's tabwriter's (minwidth 6, padding 3),
 * remembered, so a column only grows. */
#include <string.h>

#include "kfmt.h"
#include "teach_impl.h"

struct ev_watch {
	FILE *out;
	struct kfmt_tab tab;
	int rows;
};

static void ev_watch_row(void *ctx, sim_time_t t, const char *type,
			 const char *reason, const char *object,
			 const char *message)
{
	static const char *const head[] = { "LAST SEEN", "TYPE", "REASON",
					    "OBJECT", "MESSAGE" };
	struct ev_watch *w = ctx;
	const char *row[5];

	(void)t;
	if (strcmp(type, "Normal") != 0 && strcmp(type, "Warning") != 0)
		return;
	row[0] = "0s";
	row[1] = type;
	row[2] = reason;
	row[3] = object;
	row[4] = message;
	kfmt_tab_watch(w->out, &w->tab, &w->rows, head, row, 5);
}

int watch_events(const struct teach_args *a, const struct world_config *cfg,
		 FILE *out, struct rsim_error *err)
{
	struct ev_watch w;
	struct world_observer obs;

	memset(&w, 0, sizeof(w));
	memset(&obs, 0, sizeof(obs));
	w.out = out;
	kfmt_tab_init(&w.tab, 6, 3);
	obs.ctx = &w;
	obs.on_event = ev_watch_row;
	return teach_run(cfg, &obs, a->scenario, NULL, NULL, err);
}
