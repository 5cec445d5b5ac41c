/* pod_log.c - the pods of one run, change by change (pod_log.h).
 *
 * Timestamps as the API stores them: metav1.Time keeps whole seconds only
 * (staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/time_proto.go drops
 * the nanoseconds; its JSON form is RFC 3339 in seconds), so a pod created
 * at 1.88 s has creationTimestamp 1 s, and at 6.88 s its AGE is
 * HumanDuration(5.88 s) = 5s (pkg/printers/internalversion/printers.go
 * translateTimestampSince). Simulated time 0 is a whole second.
 */
#include "pod_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/alloc.h"
#include "teach_impl.h"

const char *const pod_log_header[POD_LOG_COLS] = {
	"NAME", "READY", "STATUS", "RESTARTS", "AGE"
};

static void on_pod(void *ctx, sim_time_t t_ns, const struct world_pod_view *p)
{
	struct pod_log *log = ctx;
	struct pod_log_row *r;

	if (log->oom)
		return;
	if (log->n == log->cap) {
		size_t cap = log->cap ? log->cap * 2 : 256;
		void *n = rsim_realloc(log->rows, cap * sizeof(*log->rows));

		if (!n) {
			log->oom = 1;
			return;
		}
		log->rows = n;
		log->cap = cap;
	}
	r = &log->rows[log->n++];
	r->t_ns = t_ns;
	snprintf(r->name, sizeof(r->name), "%s", p->name);
	snprintf(r->status, sizeof(r->status), "%s", p->status);
	r->ready = p->ready;
	r->containers = p->containers;
	r->restarts = p->restarts;
	r->created_ns = p->created_ns;
	r->last_exit_ns = p->last_exit_ns;
	r->deleted = p->deleted;
}

static void note_trigger(void *ctx, const world *w)
{
	struct pod_log *log = ctx;
	struct world_metrics m;

	world_get_metrics(w, &m);
	log->trigger_ns = m.triggered_ns;
}

int pod_log_run(const struct world_config *cfg, const char *label,
		struct pod_log *log, struct rsim_error *err)
{
	struct world_observer obs;
	int rc;

	memset(log, 0, sizeof(*log));
	log->trigger_ns = -1;
	memset(&obs, 0, sizeof(obs));
	obs.ctx = log;
	obs.on_pod = on_pod;
	rc = teach_run(cfg, &obs, label, note_trigger, log, err);
	if (!rc && log->oom)
		rc = rsim_error_set(err, RSIM_ENOMEM, label, "",
				    "out of memory");
	return rc;
}

void pod_log_free(struct pod_log *log)
{
	free(log->rows);
	memset(log, 0, sizeof(*log));
}

/* By name, then by position in the log (qsort is not stable). */
static int by_name_then_order(const void *a, const void *b)
{
	const struct pod_log_row *x = *(const struct pod_log_row *const *)a;
	const struct pod_log_row *y = *(const struct pod_log_row *const *)b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return (x > y) - (x < y);
}

long pod_log_snapshot(const struct pod_log *log, sim_time_t at_ns,
		      int inclusive, const struct pod_log_row ***out)
{
	const struct pod_log_row **v;
	size_t i, n = 0, k = 0;

	*out = NULL;
	while (n < log->n && (log->rows[n].t_ns < at_ns ||
			      (inclusive && log->rows[n].t_ns == at_ns)))
		n++;
	v = rsim_calloc(n ? n : 1, sizeof(*v));
	if (!v)
		return -1;
	for (i = 0; i < n; i++)
		v[i] = &log->rows[i];
	qsort(v, n, sizeof(*v), by_name_then_order);
	for (i = 0; i < n; i++)         /* the last row of each name */
		if ((i + 1 == n || strcmp(v[i]->name, v[i + 1]->name) != 0) &&
		    !v[i]->deleted)
			v[k++] = v[i];
	*out = v;
	return (long)k;
}

/* A stored timestamp: whole seconds. */
static sim_time_t stored(sim_time_t t_ns)
{
	return t_ns - t_ns % SIM_NS_PER_S;
}

void pod_log_cells(const struct pod_log_row *r, sim_time_t t_ns,
		   struct pod_log_cells *c)
{
	char ago[32];

	snprintf(c->ready, sizeof(c->ready), "%d/%d", r->ready,
		 r->containers);
	if (r->restarts != 0 && r->last_exit_ns >= 0) {
		kfmt_age(t_ns - stored(r->last_exit_ns), ago, sizeof(ago));
		snprintf(c->restarts, sizeof(c->restarts), "%d (%s ago)",
			 r->restarts, ago);
	} else {
		snprintf(c->restarts, sizeof(c->restarts), "%d", r->restarts);
	}
	kfmt_age(t_ns - stored(r->created_ns), c->age, sizeof(c->age));
	c->cell[0] = r->name;
	c->cell[1] = c->ready;
	c->cell[2] = r->status;
	c->cell[3] = c->restarts;
	c->cell[4] = c->age;
}

void pod_log_print_table(FILE *out, struct kfmt_tab *tab,
			 const struct pod_log_row *const *v, long n,
			 sim_time_t t_ns)
{
	struct pod_log_cells c;
	long i;

	kfmt_tab_fit(tab, pod_log_header, POD_LOG_COLS);
	for (i = 0; i < n; i++) {
		pod_log_cells(v[i], t_ns, &c);
		kfmt_tab_fit(tab, c.cell, POD_LOG_COLS);
	}
	kfmt_tab_print(out, tab, pod_log_header, POD_LOG_COLS);
	for (i = 0; i < n; i++) {
		pod_log_cells(v[i], t_ns, &c);
		kfmt_tab_print(out, tab, c.cell, POD_LOG_COLS);
	}
}
