/* sweep_out.c - the three files of a sweep published together
 * (sweep_out.h); their text comes from their owners: sweep_runs.c,
 * sweep_summary.c, sweep_json.c. */
#include "sweep_out.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/fileset.h"

/* Stages name with text and tail in set. */
static int write_file(struct fileset *set, const char *name,
		      const char *text, const char *tail,
		      struct rsim_error *err)
{
	char path[4200];
	FILE *f;
	int bad, rc = fileset_add(set, name, path, sizeof(path), err);

	if (rc)
		return rc;
	f = fopen(path, "w");
	if (!f)
		return rsim_error_set(err, RSIM_EIO, path, "",
				      "cannot write: %s",
				      strerror(errno));
	bad = fputs(text, f) < 0 || fputs(tail, f) < 0;
	bad |= fclose(f) != 0;
	return bad ? rsim_error_set(err, RSIM_EIO, path, "", "cannot write: %s",
				    strerror(errno)) : 0;
}

int sweep_write(const char *dir, const struct sweep_plan *p,
		const struct sweep_metrics *mx, char *const *rows,
		int shard_k, int shard_n, int complete, struct rsim_error *err)
{
	int32_t done = 0;
	char *runs = sweep_runs_text(p, mx, rows, &done);
	char *sum = runs ? sweep_summary_text(p, mx, rows) : NULL;
	char *js = sum ? sweep_json_text(p, done, shard_k, shard_n, complete)
		       : NULL;
	struct fileset *set = NULL;
	int rc = 0;

	if (!js)
		rc = rsim_error_set(err, RSIM_ENOMEM, dir, "", "out of memory");
	if (!rc)
		rc = fileset_open(dir, &set, err);
	if (!rc)
		rc = write_file(set, SWEEP_RUNS_FILE, runs, "", err);
	if (!rc)
		rc = write_file(set, SWEEP_SUMMARY_FILE, sum, "", err);
	if (!rc)
		rc = write_file(set, SWEEP_JSON_FILE, js, "\n", err);
	if (!rc)
		rc = fileset_commit(set, err);
	fileset_free(set);
	free(runs);
	free(sum);
	free(js);
	return rc;
}
