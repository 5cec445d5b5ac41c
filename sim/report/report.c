/* report.c - summary.json, timeline.csv, traffic.csv, events.log and
 * pods.csv (README.md, Outputs).
 *
 * Numbers are formatted by hand (seconds to the nanosecond, no trailing
 * zeros) so that the same run gives the same bytes on every machine. The
 * files are one fileset (fileset.h): staged in a private directory during
 * the run, published together at its end or not at all.
 */
#include "report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/alloc.h"
#include "sim/core/file.h"
#include "sim/core/fileset.h"

enum {
	REPORT_TIMELINE, REPORT_TRAFFIC, REPORT_EVENTS, REPORT_PODS,
	REPORT_SUMMARY, REPORT_NFILES
};

static const char *const report_names[REPORT_NFILES] = {
	REPORT_TIMELINE_FILE, REPORT_TRAFFIC_FILE, REPORT_EVENTS_FILE,
	REPORT_PODS_FILE, REPORT_SUMMARY_FILE
};

struct report {
	char dir[1024];              /* for messages */
	struct fileset *set;         /* where the files are staged */
	FILE *f[REPORT_NFILES];
	int app_error;               /* traffic.csv has the app_error column */
};

void report_format_seconds(char *buf, size_t n, double s)
{
	size_t len;

	snprintf(buf, n, "%.9f", s);
	len = strlen(buf);
	while (len > 0 && buf[len - 1] == '0')
		buf[--len] = '\0';
	if (len > 0 && buf[len - 1] == '.')
		buf[--len] = '\0';
	if (strcmp(buf, "-0") == 0)
		strcpy(buf, "0");
}

int report_open(const char *dir, const struct world_config *cfg,
		struct report **out, struct rsim_error *err)
{
	struct report *r = rsim_calloc(1, sizeof(*r));
	char path[4200];
	int i, rc;

	*out = NULL;
	if (!r)
		return rsim_error_set(err, RSIM_ENOMEM, dir, "",
				      "out of memory");
	snprintf(r->dir, sizeof(r->dir), "%s", dir);
	rc = fileset_open(dir, &r->set, err);
	for (i = 0; !rc && i < REPORT_NFILES; i++) {
		rc = fileset_add(r->set, report_names[i], path, sizeof(path),
				 err);
		if (!rc && !(r->f[i] = fopen(path, "w")))
			rc = rsim_error_set(err, RSIM_EIO, path, "",
					    "cannot write: %s",
					    strerror(errno));
	}
	if (rc) {
		report_abort(r);
		return rc;
	}
	fprintf(r->f[REPORT_TIMELINE], "%s\n", REPORT_TIMELINE_HEADER);
	r->app_error = world_config_app_errors(cfg);
	fprintf(r->f[REPORT_TRAFFIC], "%s%s\n", REPORT_TRAFFIC_HEADER,
		r->app_error ? "," REPORT_TRAFFIC_APP_ERROR : "");
	fprintf(r->f[REPORT_PODS], "%s\n", REPORT_PODS_HEADER);
	fprintf(r->f[REPORT_EVENTS], "%-10s  %-7s  %-24s  %-44s  %s\n",
		"TIME_S", "TYPE", "REASON", "OBJECT", "MESSAGE");
	*out = r;
	return 0;
}

static void on_event(void *ctx, sim_time_t t_ns, const char *type,
		     const char *reason, const char *object,
		     const char *message)
{
	struct report *r = ctx;

	fprintf(r->f[REPORT_EVENTS], "%10.3f  %-7s  %-24s  %-44s  %s\n",
		sim_ns_to_s(t_ns), type, reason, object, message);
}

static void on_counts(void *ctx, sim_time_t t_ns,
		      const struct world_counts *c)
{
	struct report *r = ctx;
	char t[48];

	report_format_seconds(t, sizeof(t), sim_ns_to_s(t_ns));
	fprintf(r->f[REPORT_TIMELINE],
		"%s,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d\n", t, c->revision,
		c->old_pods, c->new_pods, c->old_ready, c->new_ready,
		c->available, c->terminating, c->pending, c->endpoints,
		c->desired_old, c->desired_new);
}

static void on_traffic(void *ctx, const struct traffic_row *row)
{
	struct report *r = ctx;
	char t[48];

	report_format_seconds(t, sizeof(t), sim_ns_to_s(row->t_ns));
	fprintf(r->f[REPORT_TRAFFIC],
		"%s,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%.3f,%.3f,%d,%d", t,
		(unsigned long long)row->requests,
		(unsigned long long)row->outcome[OUTCOME_OK],
		(unsigned long long)row->outcome[OUTCOME_NO_ENDPOINT],
		(unsigned long long)row->outcome[OUTCOME_REFUSED],
		(unsigned long long)row->outcome[OUTCOME_OVERLOAD],
		(unsigned long long)row->outcome[OUTCOME_TIMEOUT],
		(unsigned long long)row->outcome[OUTCOME_RESET], row->p50_ms,
		row->p99_ms, row->in_flight, row->endpoints);
	if (r->app_error)
		fprintf(r->f[REPORT_TRAFFIC], ",%llu", (unsigned long long)
			row->outcome[OUTCOME_APP_ERROR]);
	fputc('\n', r->f[REPORT_TRAFFIC]);
}

/* A row of pods.csv per change of a pod (names and node names are DNS
 * labels, the status and change single words: nothing to quote). */
static void on_pod(void *ctx, sim_time_t t_ns, const struct world_pod_view *p)
{
	struct report *r = ctx;
	char t[48];

	report_format_seconds(t, sizeof(t), sim_ns_to_s(t_ns));
	fprintf(r->f[REPORT_PODS], "%s,%s,%s,%d,%s,%s,%d,%d,%s\n", t, p->name,
		p->rs, p->revision, p->node, p->status, p->ready, p->restarts,
		p->change);
}

void report_observer(struct report *r, struct world_observer *obs)
{
	memset(obs, 0, sizeof(*obs));
	obs->ctx = r;
	obs->on_event = on_event;
	obs->on_counts = on_counts;
	obs->on_traffic = on_traffic;
	obs->on_pod = on_pod;
}

void report_abort(struct report *r)
{
	int i;

	if (!r)
		return;
	for (i = 0; i < REPORT_NFILES; i++)
		if (r->f[i])
			fclose(r->f[i]);
	fileset_free(r->set);
	free(r);
}

int report_finish(struct report *r, const cJSON *summary,
		  struct rsim_error *err)
{
	char *text = cJSON_Print(summary);
	int i, e = 0, rc;

	if (text)
		fprintf(r->f[REPORT_SUMMARY], "%s\n", text);
	free(text);
	/* the cause is the errno of the call that failed: a write that
	 * failed earlier fails again when the buffer is flushed */
	for (i = 0; i < REPORT_NFILES; i++) {
		if (fflush(r->f[i]) && !e)
			e = errno;
		if (ferror(r->f[i]) && !e)
			e = EIO;
		if (fclose(r->f[i]) && !e)
			e = errno;
		r->f[i] = NULL;
	}
	if (!text)
		rc = rsim_error_set(err, RSIM_ENOMEM, r->dir, "",
				    "out of memory");
	else if (e)
		rc = rsim_error_set(err, RSIM_EIO, r->dir, "",
				    "cannot write: %s", strerror(e));
	else
		rc = fileset_commit(r->set, err);
	report_abort(r);
	return rc;
}

int report_read_csv(const char *dir, const char *name,
		    int (*fn)(void *ctx, long ln, const char *line),
		    void *ctx)
{
	char path[4200], *line = NULL;
	size_t cap = 0;
	long ln = 0;
	FILE *f;
	int rc = 0;

	if (path_join(path, sizeof(path), dir, name)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (!(f = fopen(path, "r")))
		return -1;
	while (!rc && getline(&line, &cap, f) > 0)
		rc = fn(ctx, ln++, line);
	free(line);
	fclose(f);
	return rc;
}
