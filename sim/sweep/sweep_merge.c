/* sweep_merge.c - `rollsim merge`: shard directories combined into one
 * (sweep.h), every row read through sweep_runs.c, the plan through
 * sweep_json.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/alloc.h"
#include "sweep.h"
#include "sweep_out.h"

static int check_complete(const struct sweep_plan *p, char *const *rows,
			  struct rsim_error *err)
{
	int32_t run, n_runs = p->n_points * p->replications;

	for (run = 0; run < n_runs; run++)
		if (p->points[run / p->replications].valid && !rows[run])
			return rsim_error_set(err, RSIM_EINPUT, "", "",
					      "run %d is "
					      "missing: a shard was not run or "
					      "did not finish", run);
	return 0;
}

int sweep_merge(const char *const *dirs, int n_dirs, const char *out,
		struct rsim_error *err)
{
	struct sweep_plan p;
	struct sweep_metrics mx;
	cJSON *plan = sweep_read_plan(dirs[0], err);
	char **rows = NULL;
	int32_t i, n_runs = 0;
	int rc = plan ? 0 : err->code;
	unsigned long failures;

	memset(&p, 0, sizeof(p));
	memset(&mx, 0, sizeof(mx));
	if (!rc)
		rc = sweep_json_check_counts(plan, dirs[0], err);
	failures = rsim_alloc_failures();
	if (!rc && (sweep_plan_from_json(plan, &p) || sweep_metrics_init(&mx)))
		rc = rsim_alloc_failures() != failures
		     ? rsim_error_set(err, RSIM_ENOMEM, out, "",
				      "out of memory")
		     : rsim_error_set(err, RSIM_EINPUT, dirs[0], "",
				      "sweep.json: unreadable plan");
	if (!rc) {
		n_runs = p.n_points * p.replications;
		rows = rsim_calloc((size_t)n_runs + 1, sizeof(*rows));
		if (!rows)
			rc = rsim_error_set(err, RSIM_ENOMEM, out, "",
					    "out of memory");
	}
	for (i = 0; !rc && i < n_dirs; i++)
		rc = sweep_read(dirs[i], &p, &mx, rows, 1, err);
	if (!rc)
		rc = check_complete(&p, rows, err);
	if (!rc)
		rc = sweep_write(out, &p, &mx, rows, 1, 1, 1, err);
	for (i = 0; rows && i < n_runs; i++)
		free(rows[i]);
	free(rows);
	cJSON_Delete(plan);
	sweep_metrics_release(&mx);
	sweep_plan_release(&p);
	return rc;
}
