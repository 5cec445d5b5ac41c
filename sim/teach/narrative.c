/* narrative.c - a run's decisions, kept in order (narrative.h). */
#include <stdlib.h>
#include <string.h>

#include "sim/core/alloc.h"
#include "narrative.h"

static const char *const actor_names[] = {
	"deployment-controller", "replicaset-controller", "kubelet",
	"endpoints", "scheduler", "kubectl"
};

const char *narr_actor_name(enum world_actor who)
{
	return (unsigned)who < sizeof(actor_names) / sizeof(*actor_names)
		       ? actor_names[who]
		       : "?";
}

void narr_init(struct narrative *n)
{
	memset(n, 0, sizeof(*n));
}

void narr_release(struct narrative *n)
{
	int32_t i;

	for (i = 0; i < n->n; i++) {
		free(n->lines[i].object);
		free(n->lines[i].text);
	}
	free(n->lines);
	narr_init(n);
}

/* The Deployment controller's previous line, or NULL. */
static const struct narr_line *last_of(const struct narrative *n,
				       enum world_actor who)
{
	int32_t i;

	for (i = n->n; i-- > 0;)
		if (n->lines[i].who == who)
			return &n->lines[i];
	return NULL;
}

static void on_decision(void *ctx, sim_time_t t_ns, enum world_actor who,
			const char *object, const char *text)
{
	struct narrative *n = ctx;
	const struct narr_line *prev;
	struct narr_line *l;

	if (who == ACTOR_DEPLOYMENT) {
		prev = last_of(n, who);
		if (prev && strcmp(prev->text, text) == 0)
			return;
	}
	if (n->n == n->cap) {
		int32_t cap = n->cap ? n->cap * 2 : 256;
		void *p = rsim_realloc(n->lines, (size_t)cap * sizeof(*l));

		if (!p) {
			n->failed = 1;
			return;
		}
		n->lines = p;
		n->cap = cap;
	}
	l = &n->lines[n->n];
	l->t_ns = t_ns;
	l->who = who;
	l->object = rsim_strdup(object ? object : "");
	l->text = rsim_strdup(text);
	if (!l->object || !l->text) {
		free(l->object);
		free(l->text);
		n->failed = 1;
		return;
	}
	n->n++;
}

struct world_observer narr_observe(struct narrative *n)
{
	struct world_observer o;

	memset(&o, 0, sizeof(o));
	o.ctx = n;
	o.on_decision = on_decision;
	return o;
}

void narr_print(const struct narrative *n, const char *deployment, FILE *out)
{
	char dep[128];
	int32_t i;

	snprintf(dep, sizeof(dep), "deployment/%s", deployment);
	for (i = 0; i < n->n; i++) {
		const struct narr_line *l = &n->lines[i];
		int same = i > 0 && n->lines[i - 1].t_ns == l->t_ns;
		int show_obj = l->object[0] && strcmp(l->object, dep) != 0;

		if (same)
			fprintf(out, "%10s", "");
		else
			fprintf(out, "%10.3f", (double)l->t_ns / 1e9);
		fprintf(out, "  %-21s  %s%s%s\n", narr_actor_name(l->who),
			show_obj ? l->object : "", show_obj ? ": " : "",
			l->text);
	}
}

int32_t narr_find(const struct narrative *n, int32_t from, int who,
		  const char *needle)
{
	int32_t i;

	for (i = from < 0 ? 0 : from; i < n->n; i++)
		if ((who < 0 || (int)n->lines[i].who == who) &&
		    strstr(n->lines[i].text, needle))
			return i;
	return -1;
}
