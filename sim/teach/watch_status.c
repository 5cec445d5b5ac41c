/* watch_status.c - `rollsim watch --view status`: `kubectl rollout status
 * deployment/NAME` as if the user started it at each rollout's trigger.
 *
 * A session starts when the Deployment is created (0 s) and at each
 * change of its pod template (set image, apply, undo) made while no
 * session runs; a template change during a session is watched by it, as
 * kubectl keeps watching the latest revision. Each session opens with a
 * "$ kubectl rollout status deployment/NAME" line (sessions after the
 * first with a blank line before it). kubectl first lists the Deployment:
 * its first line is the state at the end of the trigger's instant (what a
 * user who starts it a moment later sees, so the spec update is already
 * observed when controllers.syncDelay is 0); after that it prints a line
 * for every watch event, one per on_deploy call, identical consecutive
 * lines included, until "successfully rolled out" or the progress
 * deadline error. The exit status is the last session's: 1 when it ended
 * with the error, as kubectl exits; 0 otherwise (also when the run ends
 * with the session still waiting: the transcript just stops).
 */
#include <stdio.h>
#include <string.h>

#include "teach_impl.h"

struct status_watch {
	FILE *out;
	int sessions;          /* sessions started */
	int watching;          /* a session runs */
	int pending;           /* its first line is not printed yet */
	sim_time_t start_ns;   /* its start */
	int32_t tmpl;          /* the last template seen, -1 before */
	char line[256];        /* the pending first line */
	int code;              /* its teach_status_line code */
	int status;            /* exit status of the last session */
};

/* Prints one line of the running session; ends it when done. */
static void status_print(struct status_watch *s, const char *line, int code)
{
	fprintf(s->out, "%s\n", line);
	if (code != 0) {
		s->watching = 0;
		s->status = code < 0 ? 1 : 0;
	}
}

static void status_flush(struct status_watch *s)
{
	if (!s->pending)
		return;
	s->pending = 0;
	status_print(s, s->line, s->code);
}

static void status_on_deploy(void *ctx, sim_time_t t,
			     const struct world_deploy_view *d)
{
	struct status_watch *s = ctx;
	int trigger = d->template != s->tmpl;
	char line[256];
	int code;

	s->tmpl = d->template;
	if (s->pending && t > s->start_ns)
		status_flush(s);
	code = teach_status_line(d, line, sizeof(line));
	if (!s->watching && trigger) {
		fprintf(s->out, "%s$ kubectl rollout status deployment/%s\n",
			s->sessions++ ? "\n" : "", d->name);
		s->watching = 1;
		s->pending = 1;
		s->start_ns = t;
		s->status = 0;
	}
	if (!s->watching)
		return;
	if (s->pending) {      /* the list at the end of the instant */
		snprintf(s->line, sizeof(s->line), "%s", line);
		s->code = code;
		return;
	}
	status_print(s, line, code);
}

int watch_status(const struct teach_args *a, const struct world_config *cfg,
		 FILE *out, struct rsim_error *err)
{
	struct status_watch s;
	struct world_observer obs;
	int rc;

	memset(&s, 0, sizeof(s));
	memset(&obs, 0, sizeof(obs));
	s.out = out;
	s.tmpl = -1;
	obs.ctx = &s;
	obs.on_deploy = status_on_deploy;
	rc = teach_run(cfg, &obs, a->scenario, NULL, NULL, err);
	if (rc)
		return rc;
	status_flush(&s);
	return s.status;
}
