/* pod_log.h - every change of every pod of one run, as `kubectl get pods`
 * shows it (watch --view pods, get pods).
 *
 * pod_log_run runs a scenario once with an on_pod observer that keeps a
 * row per change (struct world_pod_view, copied), and the instant of the
 * first rollout trigger. pod_log_snapshot gives the pods that exist at an
 * instant, each as its last row, sorted by name as the API lists them.
 * pod_log_cells formats a row as kubectl's printPod does at a given
 * instant (the table is rendered when the API server sends it, so AGE is
 * that instant's).
 */
#ifndef RSIM_POD_LOG_H
#define RSIM_POD_LOG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "models/world.h"
#include "sim/core/err.h"
#include "kfmt.h"

#define POD_LOG_NAME_MAX 96
#define POD_LOG_STATUS_MAX 24

struct pod_log_row {
	sim_time_t t_ns;
	char name[POD_LOG_NAME_MAX];
	char status[POD_LOG_STATUS_MAX];
	int32_t ready, containers, restarts;
	sim_time_t created_ns, last_exit_ns;
	int deleted;
};

struct pod_log {
	struct pod_log_row *rows;    /* in the order of the changes */
	size_t n, cap;
	int oom;                     /* a row could not be kept */
	sim_time_t trigger_ns;       /* first rollout trigger, -1 if none */
};

/* Runs cfg once into *log (free it with pod_log_free, also on error).
 * label names the scenario in errors. Returns 0 or an RSIM_E* code with
 * err filled. */
int pod_log_run(const struct world_config *cfg, const char *label,
		struct pod_log *log, struct rsim_error *err);
void pod_log_free(struct pod_log *log);

/* The pods that exist at at_ns (rows up to at_ns, included when
 * inclusive, else only those before it): each pod's last row, not
 * deleted, sorted by name. *out is allocated (free it); returns the
 * count, or -1 when out of memory. */
long pod_log_snapshot(const struct pod_log *log, sim_time_t at_ns,
		      int inclusive, const struct pod_log_row ***out);

#define POD_LOG_COLS 5

/* The cells NAME READY STATUS RESTARTS AGE of r rendered at t_ns, into
 * cells (pointing into buf's parts). */
struct pod_log_cells {
	const char *cell[POD_LOG_COLS];
	char ready[24], restarts[64], age[32];
};
void pod_log_cells(const struct pod_log_row *r, sim_time_t t_ns,
		   struct pod_log_cells *c);

/* The header cells NAME READY STATUS RESTARTS AGE. */
extern const char *const pod_log_header[POD_LOG_COLS];

/* One flush of kubectl's table: tab fitted over the header and v[0..n)
 * rendered at t_ns, then all of them printed. */
void pod_log_print_table(FILE *out, struct kfmt_tab *tab,
			 const struct pod_log_row *const *v, long n,
			 sim_time_t t_ns);

#endif
