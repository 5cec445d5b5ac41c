/* flagger.c - Flagger's canary analysis with weighted traffic routing.
 *
 * SKELETON: not implemented yet; every call is a no-op.
 */
#include "world_impl.h"

void flagger_init(struct world *w)
{
	(void)w;
}

int flagger_once(struct world *w)
{
	(void)w;
	return 0;
}

int flagger_complete(const struct world *w)
{
	(void)w;
	return 0;
}

void flagger_promote(struct world *w, int full)
{
	(void)w;
	(void)full;
}

void flagger_abort(struct world *w)
{
	(void)w;
}

void flagger_retry(struct world *w)
{
	(void)w;
}

void flagger_sides(const struct world *w, struct prog_sides *s)
{
	(void)w;
	s->stable_role = "primary";
	s->canary_role = "canary";
}
