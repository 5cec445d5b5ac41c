/* run.c - one run into its files (run.h). */
#include "run.h"

#include "report.h"

static int run_world(const struct world_config *cfg, struct report *rep,
		     struct world_metrics *m)
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
	world_free(w);
	return rc;
}

int run_once(const struct world_config *cfg, const char *out_dir,
	     const char *label, struct world_metrics *m, cJSON **summary,
	     struct rs_error *err)
{
	struct report *rep = NULL;
	int rc;

	*summary = NULL;
	if (out_dir && (rc = report_open(out_dir, &rep, err)) != 0)
		return rc;
	rc = run_world(cfg, rep, m);
	if (rc) {
		report_abort(rep);
		return rs_error_set(err, rc, label, "", "simulation failed "
				    "(%s)", rc == RS_ENOMEM ? "out of memory"
							    : "internal error");
	}
	*summary = report_summary(cfg, 0, m);
	if (!*summary) {
		report_abort(rep);
		return rs_error_set(err, RS_ENOMEM, label, "", "out of memory");
	}
	if (rep && (rc = report_finish(rep, *summary, err)) != 0) {
		cJSON_Delete(*summary);
		*summary = NULL;
	}
	return rc;
}
