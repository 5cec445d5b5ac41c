/* teach_impl.h - what the files of sim/teach share: running a loaded
 * scenario with an observer, the views of `watch` and the kinds of `get`.
 */
#ifndef RSIM_TEACH_IMPL_H
#define RSIM_TEACH_IMPL_H

#include <stdio.h>

#include "teach.h"

/* Runs cfg once (replication 0) with obs, then calls done (may be NULL)
 * with the finished world before freeing it. label names the scenario in
 * errors. Returns 0 or an RSIM_E* code with err filled. */
int teach_run(const struct world_config *cfg, const struct world_observer *obs,
	      const char *label,
	      void (*done)(void *ctx, const world *w), void *ctx,
	      struct rsim_error *err);

/* Parses --at T (a scenario duration: "62s", "1m2s", "62") into *at_ns.
 * Returns 0 or RSIM_EINPUT with err filled. */
int teach_parse_at(const struct teach_args *a, sim_time_t *at_ns,
		   struct rsim_error *err);

/* The line `kubectl rollout status` prints for the Deployment d
 * (kubectl pkg/polymorphichelpers/rollout_status.go
 * DeploymentStatusViewer.Status), without its newline, into buf: in
 * order, "Waiting for deployment spec update to be observed..." while
 * generation > observedGeneration; `error: deployment "NAME" exceeded its
 * progress deadline` (as the CLI prints the error) when the Progressing
 * reason is ProgressDeadlineExceeded; "N out of M new replicas have been
 * updated..."; "N old replicas are pending termination..."; "N of M
 * updated replicas are available..."; else `deployment "NAME"
 * successfully rolled out`. Returns 0 still waiting, 1 done, -1 the
 * deadline error (kubectl then exits 1). */
int teach_status_line(const struct world_deploy_view *d, char *buf, size_t n);

/* One view of `rollsim watch`: writes its transcript (plain) or drives
 * the terminal. Returns as the teach_* commands do. */
typedef int (*teach_view_fn)(const struct teach_args *a,
			     const struct world_config *cfg, FILE *out,
			     struct rsim_error *err);

int watch_pods(const struct teach_args *a, const struct world_config *cfg,
	       FILE *out, struct rsim_error *err);
int watch_status(const struct teach_args *a, const struct world_config *cfg,
		 FILE *out, struct rsim_error *err);
int watch_rs(const struct teach_args *a, const struct world_config *cfg,
	     FILE *out, struct rsim_error *err);
int watch_events(const struct teach_args *a, const struct world_config *cfg,
		 FILE *out, struct rsim_error *err);
int watch_board(const struct teach_args *a, const struct world_config *cfg,
		FILE *out, struct rsim_error *err);

/* One kind of `rollsim get` at at_ns. */
int get_pods(const struct teach_args *a, const struct world_config *cfg,
	     sim_time_t at_ns, FILE *out, struct rsim_error *err);
int get_rs(const struct teach_args *a, const struct world_config *cfg,
	   sim_time_t at_ns, FILE *out, struct rsim_error *err);
int get_deployment(const struct teach_args *a,
		   const struct world_config *cfg, sim_time_t at_ns,
		   FILE *out, struct rsim_error *err);

#endif
