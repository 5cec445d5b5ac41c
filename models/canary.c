/* canary.c - Argo Rollouts' basic canary (no traffic routing).
 *
 * SKELETON: not implemented yet; every call is a no-op.
 */
#include "world_impl.h"

void canary_init(struct world *w)
{
	(void)w;
}

int canary_once(struct world *w)
{
	(void)w;
	return 0;
}

int canary_complete(const struct world *w)
{
	(void)w;
	return 0;
}

void canary_promote(struct world *w, int full)
{
	(void)w;
	(void)full;
}

void canary_abort(struct world *w)
{
	(void)w;
}

void canary_retry(struct world *w)
{
	(void)w;
}

void canary_sides(const struct world *w, struct prog_sides *s)
{
	(void)w;
	s->stable_role = "stable";
	s->canary_role = "canary";
}
