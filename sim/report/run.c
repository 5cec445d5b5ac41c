/* run.c - one run into its files (run.h). */
#include "run.h"

#include "report.h"

static int run_world(const struct world_config *cfg, struct report *rep,
		     struct world_metrics *m, world **wp)
{
	struct world_observer obs;
	world *w;
	int rc;

	if (rep)
		report_observer(rep, &obs);
	rc = world_new(cfg, 0, rep ? &obs : NULL, &w);
	if (!rc)
		rc = world_run(w);
	if (!rc)
		world_get_metrics(w, m);
	if (rc) {
		world_free(w);
		w = NULL;
	}
	*wp = w;
	return rc;
}

int run_once(const struct world_config *cfg, const char *out_dir,
	     const char *label, struct world_metrics *m, cJSON **summary,
	     world **wp, struct rsim_error *err)
{
	struct report *rep = NULL;
	world *w;
	int rc;

	*summary = NULL;
	*wp = NULL;
	if (out_dir && (rc = report_open(out_dir, cfg, &rep, err)) != 0)
		return rc;
	rc = run_world(cfg, rep, m, &w);
	if (rc) {
		report_abort(rep);
		return rsim_error_set(err, rc, label, "",
				      "simulation failed: %s",
				      world_strerror(rc));
	}
	*summary = report_summary(cfg, 0, m);
	if (!*summary) {
		report_abort(rep);
		world_free(w);
		return rsim_error_set(err, RSIM_ENOMEM, label, "",
				      "out of memory");
	}
	if (rep && (rc = report_finish(rep, *summary, err)) != 0) {
		cJSON_Delete(*summary);
		*summary = NULL;
		world_free(w);
		return rc;
	}
	*wp = w;
	return 0;
}
