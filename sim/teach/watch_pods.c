/* watch_pods.c - `rollsim watch --view pods`: `kubectl get pods -w`.
 *
 * The user starts the watch at the first rollout trigger (at 0 without a
 * rollout). kubectl first lists the pods that exist then, as they were
 * just before the trigger, sorted by name with AGE at that moment; then it
 * prints one row per watch event (each change of a pod from the trigger
 * on, the DELETED one included) with AGE and RESTARTS' "ago" frozen at
 * the event's instant, as the API server renders them (kubectl
 * pkg/cmd/get/get.go watch). The header comes once, with the first row:
 * kubectl prints no header for an empty list (cli-runtime
 * tableprinter.go printTable). The layout is kubectl's tabwriter
 * (minwidth 6, padding 3) with RememberWidths: the listing is one flush,
 * fitted over the header and its rows; each later row is flushed on its
 * own, so a column only ever grows. The same transcript on a terminal or
 * not, with or without --plain: this view has no escape codes. On a
 * terminal without --plain the rows come at their simulated instants,
 * --speed X simulated seconds per second (default 1), as a live watch
 * would print them.
 */
#include "teach_impl.h"

#include <math.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "pod_log.h"

/* One watch event; the header with it when none was printed (*header
 * counts the rows printed). */
static void print_event(FILE *out, struct kfmt_tab *tab, int *header,
			const struct pod_log_row *r)
{
	struct pod_log_cells c;

	pod_log_cells(r, r->t_ns, &c);
	kfmt_tab_watch(out, tab, header, pod_log_header, c.cell, POD_LOG_COLS);
}

/* --speed X: simulated seconds per second, > 0; 0 when not paced. */
static int parse_speed(const struct teach_args *a, double *speed,
		       struct rsim_error *err)
{
	char *end;

	*speed = 1;
	if (a->speed) {
		*speed = strtod(a->speed, &end);
		if (end == a->speed || *end || !isfinite(*speed) || *speed <= 0)
			return rsim_error_set(err, RSIM_EINPUT, "", "",
					      "--speed: expected a positive "
					      "number, got \"%s\"", a->speed);
	}
	if (a->plain || !isatty(fileno(stdout)))
		*speed = 0;
	return 0;
}

/* Waits from simulated instant *prev to t at speed (none when 0). */
static void pace(FILE *out, double speed, sim_time_t *prev, sim_time_t t)
{
	double s = speed > 0 ? sim_ns_to_s(t - *prev) / speed : 0;
	struct timespec ts;

	*prev = t;
	if (s <= 0)
		return;
	fflush(out);
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	nanosleep(&ts, NULL);
}

int watch_pods(const struct teach_args *a, const struct world_config *cfg,
	       FILE *out, struct rsim_error *err)
{
	const struct pod_log_row **v = NULL;
	struct pod_log log;
	struct kfmt_tab tab;
	sim_time_t t0;
	double speed;
	long n;
	size_t i;
	int rc = parse_speed(a, &speed, err), header = 0;

	if (rc)
		return rc;
	rc = pod_log_run(cfg, a->scenario, &log, err);
	if (rc) {
		pod_log_free(&log);
		return rc;
	}
	t0 = log.trigger_ns >= 0 ? log.trigger_ns : 0;
	n = pod_log_snapshot(&log, t0, 0, &v);
	if (n < 0) {
		pod_log_free(&log);
		return rsim_error_set(err, RSIM_ENOMEM, a->scenario, "",
				      "out of memory");
	}
	kfmt_tab_init(&tab, 6, 3);
	if (n > 0) {
		pod_log_print_table(out, &tab, v, n, t0);
		header = 1;
	}
	for (i = 0; i < log.n; i++)
		if (log.rows[i].t_ns >= t0) {
			pace(out, speed, &t0, log.rows[i].t_ns);
			print_event(out, &tab, &header, &log.rows[i]);
		}
	free(v);
	pod_log_free(&log);
	return 0;
}
