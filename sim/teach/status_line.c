/* status_line.c - the line `kubectl rollout status` prints for one state
 * of the Deployment (teach_impl.h teach_status_line): the checks of
 * kubectl's DeploymentStatusViewer.Status in its order. */
#include <stdio.h>
#include <string.h>

#include "teach_impl.h"

/* The Progressing condition's reason is ProgressDeadlineExceeded. */
static int deadline_exceeded(const struct world_deploy_view *d)
{
	const char *p = d->progressing ? strchr(d->progressing, ' ') : NULL;

	return p && strcmp(p + 1, "ProgressDeadlineExceeded") == 0;
}

#define WAIT "Waiting for deployment \"%s\" rollout to finish: "

int teach_status_line(const struct world_deploy_view *d, char *buf, size_t n)
{
	if (d->generation > d->observed_generation) {
		snprintf(buf, n, "Waiting for deployment spec update to be "
			 "observed...");
		return 0;
	}
	if (deadline_exceeded(d)) {
		snprintf(buf, n, "error: deployment \"%s\" exceeded its "
			 "progress deadline", d->name);
		return -1;
	}
	if (d->updated < d->replicas)
		snprintf(buf, n, WAIT "%d out of %d new replicas have been "
			 "updated...", d->name, d->updated, d->replicas);
	else if (d->st_replicas > d->updated)
		snprintf(buf, n, WAIT "%d old replicas are pending "
			 "termination...", d->name, d->st_replicas - d->updated);
	else if (d->available < d->updated)
		snprintf(buf, n, WAIT "%d of %d updated replicas are "
			 "available...", d->name, d->available, d->updated);
	else {
		snprintf(buf, n, "deployment \"%s\" successfully rolled out",
			 d->name);
		return 1;
	}
	return 0;
}
