/* bluegreen.c - Argo Rollouts' blueGreen strategy.
 *
 * SKELETON: not implemented yet; every call is a no-op.
 */
#include "world_impl.h"

void bluegreen_init(struct world *w)
{
	(void)w;
}

int bluegreen_once(struct world *w)
{
	(void)w;
	return 0;
}

int bluegreen_complete(const struct world *w)
{
	(void)w;
	return 0;
}

void bluegreen_promote(struct world *w, int full)
{
	(void)w;
	(void)full;
}

void bluegreen_abort(struct world *w)
{
	(void)w;
}

void bluegreen_retry(struct world *w)
{
	(void)w;
}

void bluegreen_sides(const struct world *w, struct prog_sides *s)
{
	(void)w;
	s->stable_role = "active";
	s->canary_role = "preview";
}
