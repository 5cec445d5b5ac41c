/* get_pods.c - `rollsim get pods SCENARIO --at T`: `kubectl get pods` at
 * simulated time T.
 *
 * The pods that exist at T (every change up to T included), sorted by
 * name as the API lists them, with AGE and RESTARTS' "ago" at T; the
 * table is fitted over all its rows at once (kubectl's tabwriter, minwidth
 * 6, padding 3). With no pod, kubectl writes `No resources found in
 * default namespace.` to standard error and nothing to standard output
 * (pkg/cmd/get/get.go), and exits 0.
 */
#include "teach_impl.h"

#include <stdlib.h>

#include "pod_log.h"

int get_pods(const struct teach_args *a, const struct world_config *cfg,
	     sim_time_t at_ns, FILE *out, struct rsim_error *err)
{
	const struct pod_log_row **v = NULL;
	struct pod_log log;
	long n;
	int rc = pod_log_run(cfg, a->scenario, &log, err);

	if (rc) {
		pod_log_free(&log);
		return rc;
	}
	n = pod_log_snapshot(&log, at_ns, 1, &v);
	if (n < 0) {
		pod_log_free(&log);
		return rsim_error_set(err, RSIM_ENOMEM, a->scenario, "",
				      "out of memory");
	}
	if (n == 0)
		fputs("No resources found in default namespace.\n", stderr);
	else {
		struct kfmt_tab tab;

		kfmt_tab_init(&tab, 6, 3);
		pod_log_print_table(out, &tab, v, n, at_ns);
	}
	free(v);
	pod_log_free(&log);
	return 0;
}
