/* cluster.c - fitting and scoring of nodes (cluster.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster.h"

void cluster_config_defaults(struct cluster_config *c)
{
	memset(c, 0, sizeof(*c));
	c->scheduling = dist_constant(0);
}

void cluster_config_release(struct cluster_config *c)
{
	free(c->nodes);
	c->nodes = NULL;
	c->n_nodes = 0;
	dist_release(&c->scheduling);
}

enum misfit { FIT = 0, MISFIT_CORDONED, MISFIT_PODS, MISFIT_CPU, MISFIT_MEM };

static enum misfit node_fit(const struct node_config *c,
			    const struct node_state *s,
			    const struct pod_requests *r)
{
	if (s->cordoned)
		return MISFIT_CORDONED;
	if (s->pods + 1 > c->max_pods)
		return MISFIT_PODS;
	if (c->cpu_milli > 0 && s->cpu_used + r->cpu_milli > c->cpu_milli)
		return MISFIT_CPU;
	if (c->memory_bytes > 0 &&
	    s->mem_used + r->memory_bytes > c->memory_bytes)
		return MISFIT_MEM;
	return FIT;
}

/* LeastAllocated: the mean free fraction of cpu and memory after placing
 * the pod (resources without a limit count as fully free), in 1/1e6. */
static int64_t node_score(const struct node_config *c,
			  const struct node_state *s,
			  const struct pod_requests *r)
{
	int64_t score = 0;

	if (c->cpu_milli > 0)
		score += (c->cpu_milli - s->cpu_used - r->cpu_milli) * 1000000 /
			 c->cpu_milli;
	else
		score += 1000000;
	if (c->memory_bytes > 0)
		score += (int64_t)((double)(c->memory_bytes - s->mem_used -
					    r->memory_bytes) * 1e6 /
				   (double)c->memory_bytes);
	else
		score += 1000000;
	return score;
}

int32_t cluster_pick(const struct node_config *cfg,
		     const struct node_state *st, int32_t n,
		     const struct pod_requests *req)
{
	int32_t i, best = -1;
	int64_t best_score = 0;

	for (i = 0; i < n; i++) {
		int64_t sc;

		if (node_fit(&cfg[i], &st[i], req) != FIT)
			continue;
		sc = node_score(&cfg[i], &st[i], req);
		if (best < 0 || sc > best_score ||
		    (sc == best_score && st[i].pods < st[best].pods)) {
			best = i;
			best_score = sc;
		}
	}
	return best;
}

void cluster_why_unschedulable(const struct node_config *cfg,
			       const struct node_state *st, int32_t n,
			       const struct pod_requests *req, char *buf,
			       unsigned long len)
{
	int32_t count[5] = { 0 }, i;
	static const char *const what[5] = {
		"", "node(s) were unschedulable", "Too many pods",
		"Insufficient cpu", "Insufficient memory"
	};
	size_t off;
	int k, first = 1;

	for (i = 0; i < n; i++)
		count[node_fit(&cfg[i], &st[i], req)]++;
	off = (size_t)snprintf(buf, len, "0/%d nodes are available:", n);
	for (k = 1; k < 5 && off < len; k++) {
		if (!count[k])
			continue;
		off += (size_t)snprintf(buf + off, len - off, "%s %d %s",
					first ? "" : ",", count[k], what[k]);
		first = 0;
	}
	if (off < len)
		snprintf(buf + off, len - off, ".");
}
