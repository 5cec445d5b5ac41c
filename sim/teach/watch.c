/* watch.c - `rollsim watch`: picks the view and runs it (teach.h). The
 * views live in watch_*.c, one each. */
#include <string.h>
#include <unistd.h>

#include "teach_impl.h"

static const struct {
	const char *name;
	teach_view_fn fn;
} views[] = {
	{ "pods", watch_pods },     /* kubectl get pods -w */
	{ "status", watch_status }, /* kubectl rollout status */
	{ "rs", watch_rs },         /* kubectl get rs, at each change */
	{ "events", watch_events }, /* kubectl get events -w */
	{ "board", watch_board },   /* the full-screen board */
};

#define N_VIEWS (sizeof(views) / sizeof(*views))

/* The view asked for; by default the board on a terminal, else the pods
 * (a transcript of the board is for --view board --plain). */
static int pick_view(const struct teach_args *a, teach_view_fn *fn,
		     struct rsim_error *err)
{
	const char *name = a->view;
	size_t i;

	if (!name)
		name = !a->plain && isatty(STDOUT_FILENO) ? "board" : "pods";
	for (i = 0; i < N_VIEWS; i++)
		if (strcmp(views[i].name, name) == 0) {
			*fn = views[i].fn;
			return 0;
		}
	return rsim_error_set(err, RSIM_EINPUT, "", "",
			      "--view: expected pods, status, rs, events or "
			      "board, got \"%s\"", name);
}

int teach_watch(const struct teach_args *a, struct rsim_error *err)
{
	struct world_config cfg;
	teach_view_fn fn = NULL;
	int rc = pick_view(a, &fn, err);

	if (rc)
		return rc;
	rc = teach_load(a, &cfg, err);
	if (rc)
		return rc;
	rc = fn(a, &cfg, stdout, err);
	world_config_release(&cfg);
	return rc;
}
