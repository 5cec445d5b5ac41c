/* history.c - kubectl rollout history (not built yet). */
#include "teach_impl.h"

int teach_history(const struct teach_args *a, struct rsim_error *err)
{
	(void)a;
	return rsim_error_set(err, RSIM_EINPUT, "", "", "not built yet");
}

