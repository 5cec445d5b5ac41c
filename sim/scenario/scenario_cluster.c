/* scenario_cluster.c - the "cluster" and "network" objects of a scenario.
 *
 * cluster.nodes is a count N (nodes "node-1".."node-N", all alike) or a
 * list of node objects; cluster-level cpu, memory and podsPerNode are the
 * capacity of counted nodes and the defaults of list entries (omitted
 * cpu / memory: 0, no limit; podsPerNode: the kubelet's maxPods default,
 * 110). Node names are DNS-1123 labels, unique; an entry without one is
 * "node-<index + 1>". network.endpointPropagation is one distribution for
 * every consumer, or an object per consumer (kubeProxy, ingress); the two
 * object forms are told apart by "dist", which a distribution always has.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/alloc.h"
#include "scenario_json.h"

#define SCENARIO_NODES_MAX 10000       /* nodes a cluster may have */
#define SCENARIO_PODS_PER_NODE 110     /* kubelet --max-pods default */

static const char *const cluster_keys[] = {
	"nodes", "podsPerNode", "cpu", "memory", "schedulingDelay", NULL
};
static const char *const node_keys[] = {
	"name", "cpu", "memory", "maxPods", NULL
};
static const char *const network_keys[] = { "endpointPropagation", NULL };
static const char *const consumer_keys[] = { "kubeProxy", "ingress", NULL };

int32_t scenario_node_index(const struct node_config *nodes, int32_t n,
			    const char *name)
{
	int32_t i;

	for (i = 0; i < n; i++)
		if (strcmp(nodes[i].name, name) == 0)
			return i;
	return -1;
}

/* An explicit node name (path of the entry pushed) into node. */
static int cluster_read_node_name(struct json_ctx *c, const cJSON *entry,
				  const struct cluster_config *cl,
				  struct node_config *node)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(entry, "name");
	char q[JSON_TEXT_MAX];
	size_t mark = json_path_push_key(c, "name");
	int rc = 0;

	if (!scenario_is_dns_label(v->valuestring)) {
		rc = json_fail_got(c, "a DNS-1123 label (lowercase letters, "
				   "digits and '-', starting and ending "
				   "with a letter or digit)", v);
	} else if (scenario_node_index(cl->nodes, cl->n_nodes,
				       v->valuestring) >= 0) {
		json_quote(v->valuestring, q);
		rc = json_fail(c, "duplicate node name %s", q);
	} else {
		snprintf(node->name, sizeof(node->name), "%s",
			 v->valuestring);
	}
	json_path_pop(c, mark);
	return rc;
}

/* The name of entry i: given, or node-<i + 1>. */
static int cluster_node_name(struct json_ctx *c, const cJSON *entry,
			     size_t i, const struct cluster_config *cl,
			     struct node_config *node)
{
	const char *name = NULL;
	char q[JSON_TEXT_MAX];
	int rc = json_read_string(c, entry, "name", &name);

	if (rc || name)
		return rc ? rc : cluster_read_node_name(c, entry, cl, node);
	snprintf(node->name, sizeof(node->name), "node-%zu", i + 1);
	if (scenario_node_index(cl->nodes, cl->n_nodes, node->name) < 0)
		return 0;
	json_quote(node->name, q);
	return json_fail(c, "duplicate node name %s (the default name of "
			 "this entry)", q);
}

/* List entry i (path pushed) into cl->nodes[i], from def. */
static int cluster_read_node(struct json_ctx *c, const cJSON *entry,
			     size_t i, struct cluster_config *cl,
			     const struct node_config *def)
{
	struct node_config *node = &cl->nodes[i];
	int rc = json_expect_object(c, entry);

	*node = *def;
	if (rc == 0)
		rc = json_check_keys(c, entry, node_keys);
	if (rc == 0)
		rc = cluster_node_name(c, entry, i, cl, node);
	if (rc == 0)
		rc = scenario_read_cpu(c, entry, "cpu", &node->cpu_milli);
	if (rc == 0)
		rc = scenario_read_memory(c, entry, "memory",
					  &node->memory_bytes);
	if (rc == 0)
		rc = json_read_int(c, entry, "maxPods", 1, &node->max_pods);
	return rc;
}

static int cluster_alloc(struct json_ctx *c, struct cluster_config *cl,
			 size_t n)
{
	cl->nodes = rsim_malloc(n * sizeof(*cl->nodes));
	return cl->nodes ? 0 : json_fail_nomem(c);
}

/* nodes as a list (path pushed). */
static int cluster_read_list(struct json_ctx *c, const cJSON *arr,
			     struct cluster_config *cl,
			     const struct node_config *def)
{
	const cJSON *it;
	size_t n = 0, mark;
	int rc;

	for (it = arr->child; it; it = it->next)
		n++;
	if (n > SCENARIO_NODES_MAX)
		return json_fail(c, "too many nodes (%zu, at most %d)", n,
				 SCENARIO_NODES_MAX);
	rc = cluster_alloc(c, cl, n);
	for (it = arr->child; it && rc == 0; it = it->next) {
		mark = json_path_push_index(c, (size_t)cl->n_nodes);
		rc = cluster_read_node(c, it, (size_t)cl->n_nodes, cl, def);
		json_path_pop(c, mark);
		if (rc == 0)
			cl->n_nodes++;
	}
	return rc;
}

/* nodes as a count (path pushed): node-1..node-N, each def. */
static int cluster_make_nodes(struct json_ctx *c, const cJSON *v,
			      struct cluster_config *cl,
			      const struct node_config *def)
{
	int32_t i, n;
	int rc;

	if (v->valuedouble > SCENARIO_NODES_MAX)
		return json_fail_got(c, "at most 10000 nodes", v);
	n = (int32_t)v->valuedouble;
	rc = cluster_alloc(c, cl, (size_t)n);
	for (i = 0; i < n && rc == 0; i++) {
		cl->nodes[i] = *def;
		snprintf(cl->nodes[i].name, sizeof(cl->nodes[i].name),
			 "node-%ld", (long)i + 1);
		cl->n_nodes++;
	}
	return rc;
}

static int cluster_read_nodes(struct json_ctx *c, const cJSON *obj,
			      struct cluster_config *cl,
			      const struct node_config *def)
{
	const cJSON *v;
	size_t mark;
	int rc = json_require(c, obj, "nodes", &v);

	if (rc)
		return rc;
	mark = json_path_push_key(c, "nodes");
	if (cJSON_IsNumber(v) && v->valuedouble >= 1.0 &&
	    v->valuedouble == floor(v->valuedouble))
		rc = cluster_make_nodes(c, v, cl, def);
	else if (cJSON_IsArray(v) && v->child)
		rc = cluster_read_list(c, v, cl, def);
	else
		rc = json_fail_got(c, "a positive integer or a non-empty "
				   "array of nodes", v);
	json_path_pop(c, mark);
	return rc;
}

/* cluster (path pushed): node defaults first, then the nodes. */
static int cluster_read_fields(struct json_ctx *c, const cJSON *obj,
			       struct cluster_config *cl)
{
	struct node_config def;
	int rc = json_check_keys(c, obj, cluster_keys);

	memset(&def, 0, sizeof(def));
	def.max_pods = SCENARIO_PODS_PER_NODE;
	if (rc == 0)
		rc = json_read_int(c, obj, "podsPerNode", 1, &def.max_pods);
	if (rc == 0)
		rc = scenario_read_cpu(c, obj, "cpu", &def.cpu_milli);
	if (rc == 0)
		rc = scenario_read_memory(c, obj, "memory", &def.memory_bytes);
	if (rc == 0)
		rc = cluster_read_nodes(c, obj, cl, &def);
	if (rc == 0)
		rc = scenario_read_dist(c, obj, "schedulingDelay",
					&cl->scheduling);
	if (rc == 0)
		cl->enabled = 1;
	return rc;
}

int scenario_read_cluster(struct json_ctx *c, const cJSON *root,
			  struct world_config *cfg)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "cluster");
	size_t mark;
	int rc;

	if (!v)
		return 0;
	mark = json_path_push_key(c, "cluster");
	rc = json_expect_object(c, v);
	if (rc == 0)
		rc = cluster_read_fields(c, v, &cfg->cluster);
	json_path_pop(c, mark);
	return rc;
}

/* Keys of the per-consumer form: a key that is no consumer and suggests
 * none was probably meant for a distribution without "dist". */
static int network_check_consumer_keys(struct json_ctx *c, const cJSON *ep)
{
	const cJSON *ch;
	char q[JSON_TEXT_MAX];
	size_t i;

	for (ch = ep->child; ch; ch = ch->next) {
		for (i = 0; consumer_keys[i]; i++)
			if (strcmp(ch->string, consumer_keys[i]) == 0)
				break;
		if (consumer_keys[i] || json_suggest(ch->string, consumer_keys))
			continue;
		json_quote(ch->string, q);
		return json_fail(c, "unknown key %s (expected \"kubeProxy\" "
				 "and/or \"ingress\", or a distribution with "
				 "\"dist\")", q);
	}
	return json_check_keys(c, ep, consumer_keys);
}

/* endpointPropagation: one distribution copied to every consumer. */
static int network_read_shared(struct json_ctx *c, const cJSON *net,
			       struct network_config *nc)
{
	struct dist *kp = &nc->propagation[CONSUMER_KUBE_PROXY];
	int i, rc = scenario_read_dist(c, net, "endpointPropagation", kp);

	for (i = 0; i < CONSUMER_COUNT && rc == 0; i++) {
		if (i == CONSUMER_KUBE_PROXY)
			continue;
		dist_release(&nc->propagation[i]);
		if (dist_copy(&nc->propagation[i], kp))
			rc = json_fail_nomem(c);
	}
	return rc;
}

static int network_read_propagation(struct json_ctx *c, const cJSON *net,
				    struct network_config *nc)
{
	const cJSON *ep = cJSON_GetObjectItemCaseSensitive(
		net, "endpointPropagation");
	size_t mark;
	int rc;

	if (!ep)
		return 0;
	if (!cJSON_IsObject(ep) ||
	    cJSON_GetObjectItemCaseSensitive(ep, "dist"))
		return network_read_shared(c, net, nc);
	mark = json_path_push_key(c, "endpointPropagation");
	rc = network_check_consumer_keys(c, ep);
	if (rc == 0)
		rc = scenario_read_dist(c, ep, "kubeProxy",
					&nc->propagation[CONSUMER_KUBE_PROXY]);
	if (rc == 0)
		rc = scenario_read_dist(c, ep, "ingress",
					&nc->propagation[CONSUMER_INGRESS]);
	json_path_pop(c, mark);
	return rc;
}

int scenario_read_network(struct json_ctx *c, const cJSON *root,
			  struct world_config *cfg)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "network");
	size_t mark;
	int rc;

	if (!v)
		return 0;
	mark = json_path_push_key(c, "network");
	rc = json_expect_object(c, v);
	if (rc == 0)
		rc = json_check_keys(c, v, network_keys);
	if (rc == 0)
		rc = network_read_propagation(c, v, &cfg->network);
	json_path_pop(c, mark);
	return rc;
}
