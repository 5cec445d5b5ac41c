/* scenario_json.h - JSON helpers of the scenario loader (internal).
 *
 * A struct json_ctx carries the file name, the caller's error record and
 * the dotted path of the value being read (scenario.h explains the path
 * syntax). Readers take the parent object and a key, leave *out alone when
 * the key is absent, and report "expected ..., got <value>" at the key's
 * path otherwise. Every failure returns RSIM_EINPUT (RSIM_ENOMEM where noted)
 * after filling the error record. Only scenario*.c include this header.
 */
#ifndef RSIM_SCENARIO_JSON_H
#define RSIM_SCENARIO_JSON_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "models/world.h"
#include "sim/core/err.h"

#define JSON_PATH_MAX 256  /* == sizeof(struct rsim_error).path */
#define JSON_GOT_MAX 40    /* shown characters of an offending value */
#define JSON_TEXT_MAX 64   /* buffer for a quoted or shown value */
#define JSON_DEPTH_MAX 100 /* nesting levels of a document */

struct json_ctx {
	const char *file;          /* borrowed, for messages only */
	struct rsim_error *err;      /* receives the first error */
	char path[JSON_PATH_MAX];  /* path of the value being read */
	size_t len;                /* strlen(path) */
};

void json_ctx_init(struct json_ctx *c, const char *file,
		   struct rsim_error *err);

/* Append ".key" (["key"] for keys with '.', '[', ']', '"', '\' or control
 * characters, or empty) or "[i]" to the path; return a mark for pop. */
size_t json_path_push_key(struct json_ctx *c, const char *key);
size_t json_path_push_index(struct json_ctx *c, size_t i);
void json_path_pop(struct json_ctx *c, size_t mark);

/* Parses text[0..len) (text[len] must be '\0') into *out (free with
 * cJSON_Delete). A syntax error, a NUL byte inside, or anything but
 * whitespace after the document, is reported as "malformed JSON at line
 * L, column C" (1-based, columns in UTF-8 characters) at the empty path;
 * arrays and objects nested deeper than JSON_DEPTH_MAX as "nested deeper
 * than 100 levels at line L, column C" (the bracket that opens level
 * 101). */
int json_parse(struct json_ctx *c, const char *text, size_t len,
	       cJSON **out);

/* Record an RSIM_EINPUT error at the current path. Returns RSIM_EINPUT. */
int json_fail(struct json_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "expected <what>, got <v as compact JSON>". Returns RSIM_EINPUT. */
int json_fail_got(struct json_ctx *c, const char *what, const cJSON *v);
/* Records RSIM_ENOMEM ("out of memory"). Returns RSIM_ENOMEM. */
int json_fail_nomem(struct json_ctx *c);

/* Sorts n elements of size bytes by the sim_time_t at time_offset in each,
 * keeping their order on ties (stable). The elements move as bytes (what
 * they own goes with them). Returns 0 or the out-of-memory error. */
int json_sort_by_time(struct json_ctx *c, void *base, size_t n, size_t size,
		      size_t time_offset);

/* v as compact JSON, cut to JSON_GOT_MAX characters plus "..." when
 * longer. buf must hold JSON_TEXT_MAX bytes. */
void json_show(const cJSON *v, char *buf);
/* s as a JSON string literal, cut like json_show. */
void json_quote(const char *s, char *buf);

/* The entry of known (NULL-terminated) closest to word: Levenshtein
 * distance <= 2 ignoring case, else a prefix match; NULL if none. */
const char *json_suggest(const char *word, const char *const *known);
/* Every key of obj must be in known, and only once. */
int json_check_keys(struct json_ctx *c, const cJSON *obj,
		    const char *const *known);
/* 'unknown <what> "value" (did you mean "x"?)' or '(known: a, b)'. */
int json_fail_enum(struct json_ctx *c, const char *what, const char *value,
		   const char *const *known);
/* obj[key] must exist: 'missing required key "key"' at obj's path. */
int json_require(struct json_ctx *c, const cJSON *obj, const char *key,
		 const cJSON **out);
/* v must be an object ("expected an object, got ..."). */
int json_expect_object(struct json_ctx *c, const cJSON *v);

/* Values at the current path. min is the smallest accepted integer
 * (INT32_MIN: any int32). */
int json_int_value(struct json_ctx *c, const cJSON *v, int32_t min,
		   int32_t *out);
/* positive: 0 accepts 0 s, 1 requires > 0. */
int json_duration_value(struct json_ctx *c, const cJSON *v, int positive,
			sim_time_t *out);

/* Readers of obj[key] (nothing happens when the key is absent). */
int json_read_int(struct json_ctx *c, const cJSON *obj, const char *key,
		  int32_t min, int32_t *out);
/* A replica count: an integer from 0 to DEPLOY_REPLICAS_MAX. */
int json_read_replicas(struct json_ctx *c, const cJSON *obj,
		       const char *key, int32_t *out);
/* Whole seconds (an integer >= min) stored as nanoseconds. */
int json_read_seconds(struct json_ctx *c, const cJSON *obj,
		      const char *key, int32_t min, sim_time_t *out_ns);
int json_read_bool(struct json_ctx *c, const cJSON *obj, const char *key,
		   int *out);
/* *out borrows the cJSON string. */
int json_read_string(struct json_ctx *c, const cJSON *obj, const char *key,
		     const char **out);
int json_read_duration(struct json_ctx *c, const cJSON *obj,
		       const char *key, int positive, sim_time_t *out);
/* A finite number in [min, max]; what is the "expected ..." phrase. */
int json_read_number(struct json_ctx *c, const cJSON *obj, const char *key,
		     double min, double max, const char *what, double *out);
/* A number from 0 to 1 ("expected a number from 0 to 1, got ..."). */
int json_read_probability(struct json_ctx *c, const cJSON *obj,
			  const char *key, double *out);
/* A string among names (NULL-terminated): *out = its index; otherwise
 * json_fail_enum's 'unknown <what> "x"' with a hint or the list. */
int json_read_enum(struct json_ctx *c, const cJSON *obj, const char *key,
		   const char *what, const char *const *names, int *out);

/* scenario.c: obj[key] (required, a string) resolved to an index into
 * cfg->images ('image "x" is not described in images' otherwise). */
int scenario_image_ref(struct json_ctx *c, const cJSON *obj, const char *key,
		       const struct world_config *cfg, int *out);

/* scenario_wrap.c: file parsed into *out as scenario_parse_file does,
 * or, when it is a Kubernetes manifest (a .yaml or .yml name, YAML with
 * a "kind:" line, a JSON object with apiVersion and kind), the scenario
 * that wraps it; then note[n_note] (if not NULL) tells in one line what
 * was assumed, and is "" otherwise. */
int scenario_wrap_read(const char *file, cJSON **out, char *note,
		       size_t n_note, struct rsim_error *err);

/* scenario_sets.c: scenario_read_tree, with scenario_wrap_read's
 * note. */
int scenario_read_tree_note(const char *file, cJSON **out, char *note,
			    size_t n_note, struct rsim_error *err);

/* What a non-zero file_read result means ("No such file or
 * directory", "larger than 4 MiB") into buf[n]. */
void scenario_read_reason(int e, size_t max, char *buf, size_t n);

/* scenario_deploy.c: the deployment object at the current path into d:
 * the manifest it names, if any (scenario_read_manifest), then its own
 * keys over it. The caller resolves the image once images are read: the
 * "image" key when given, else the manifest's image, copied into
 * manifest_image (IMAGE_NAME_MAX bytes; "" when "image" is given). */
int scenario_read_deployment(struct json_ctx *c, const cJSON *dep,
			     struct deploy_config *d,
			     char *manifest_image);

/* scenario_deploy.c: obj["name"], if present, as d->name (a DNS-1123
 * label of at most 52 characters). */
int scenario_read_deploy_name(struct json_ctx *c, const cJSON *obj,
			      struct deploy_config *d);

/* scenario_deploy.c: obj[key], when present, as the container's name
 * (core/v1: a DNS-1123 label) into d->container. */
int scenario_read_container(struct json_ctx *c, const cJSON *obj,
			    const char *key, struct deploy_config *d);

/* scenario_deploy.c: the spec of a Deployment manifest at the current
 * path: replicas, minReadySeconds, progressDeadlineSeconds,
 * revisionHistoryLimit, strategy and paused, checked as a scenario's
 * deployment is; other keys are ignored. */
int scenario_read_manifest_spec(struct json_ctx *c, const cJSON *spec,
				struct deploy_config *d);

/* scenario_manifest.c: dep["manifest"] (a path relative to the directory
 * of c->file): the Deployment it holds into d (name, spec fields, pod
 * template values as overrides in d->tmpl) and its image's name into
 * image (IMAGE_NAME_MAX bytes). Errors in the manifest name it and the
 * line: rsim_error.file is "FILE:LINE", rsim_error.path the path in the
 * Deployment object. */
int scenario_read_manifest(struct json_ctx *c, const cJSON *dep,
			   struct deploy_config *d, char *image);

/* scenario_deploy.c: the partial deployment of an apply at the current
 * path into p (p->v initialised by the caller with
 * deploy_config_defaults); every deployment key but "name" may
 * appear. *image borrows the image name when one is given (PATCH_IMAGE
 * is set; the caller resolves it into p->v.image). Only checks that need
 * no current spec are made here (the simulator rejects the rest). */
int scenario_read_deploy_patch(struct json_ctx *c, const cJSON *dep,
			       struct deploy_patch *p,
			       const char **image);

/* scenario_deploy.c: the pod-template keys (those of an image object,
 * which a deployment and an apply patch may also give) of obj into im;
 * the TMPL_* bit of each key present is or'ed into *mask. Dists in im
 * must be valid (image_config_defaults); replaced ones are released. */
int scenario_read_template(struct json_ctx *c, const cJSON *obj,
			   struct image_config *im, uint32_t *mask);
/* json_check_keys with the keys of base (NULL-terminated, or NULL) and
 * the pod-template keys. */
int scenario_check_template_keys(struct json_ctx *c, const cJSON *obj,
				 const char *const *base);

/* scenario_deploy.c: an int-or-percent value v at the current path
 * (a non-negative integer or "<digits>%", at most 100% when max_100),
 * and the same at obj[key] when present. */
int scenario_intstr_value(struct json_ctx *c, const cJSON *v, int max_100,
			  struct intstr *out);
int scenario_read_intstr(struct json_ctx *c, const cJSON *obj,
			 const char *key, int max_100, struct intstr *out);

/* scenario_prog.c: the strategy object st (path "...strategy" pushed,
 * keys checked): at most one family of "type" (with "rollingUpdate"),
 * "canary", "blueGreen", "flagger"; a progressive one is read into
 * d->strategy and d->prog (previewReplicaCount is checked against
 * d->replicas, read before). patch: an apply, where a progressive
 * family is refused. Returns 0 with nothing done for the Deployment's
 * family. */
int scenario_read_prog_strategy(struct json_ctx *c, const cJSON *st,
				int patch, struct deploy_config *d);

/* scenario_deploy.c: DNS-1123 label ([a-z0-9]([-a-z0-9]*[a-z0-9])?, at
 * most 63 bytes): 1 or 0. */
int scenario_is_dns_label(const char *s);

/* scenario_pod.c: the structured pod-template values at obj[key]
 * (nothing happens when the key is absent; null switches the feature
 * off where allowed). scenario_read_probe: kind is "liveness" or
 * "startup" when successThreshold must be 1, NULL for readiness.
 * scenario_read_requests sets im->cpu_milli and im->memory_bytes (an
 * omitted one is 0). scenario_read_crash replaces cr->after (released
 * first). */
int scenario_read_probe(struct json_ctx *c, const cJSON *obj,
			const char *key, const char *kind,
			struct probe_config *p);
/* A manifest's probe at obj[key]: an object; its initialDelaySeconds,
 * periodSeconds, timeoutSeconds, successThreshold and failureThreshold
 * are read as scenario_read_probe does, other keys are ignored. */
int scenario_read_k8s_probe(struct json_ctx *c, const cJSON *obj,
			    const char *key, const char *kind,
			    struct probe_config *p);
int scenario_read_crash(struct json_ctx *c, const cJSON *obj,
			const char *key, struct crash_config *cr);
int scenario_read_requests(struct json_ctx *c, const cJSON *obj,
			   const char *key, struct image_config *im);
int scenario_read_pull_policy(struct json_ctx *c, const cJSON *obj,
			      const char *key, enum pull_policy *out);
int scenario_read_warmup(struct json_ctx *c, const cJSON *obj,
			 const char *key, struct warmup_config *w);
int scenario_read_queue(struct json_ctx *c, const cJSON *obj,
			const char *key, int32_t *out);
/* A factor (serviceTimeFactor): a finite number greater than 0. */
int scenario_read_factor(struct json_ctx *c, const cJSON *obj,
			 const char *key, double *out);

/* scenario_quantity.c: Kubernetes quantities at obj[key]: cpu ("250m",
 * "1.5", 2 cores) in millicores, memory ("128Mi", "1G", 1000) in
 * bytes. */
int scenario_read_cpu(struct json_ctx *c, const cJSON *obj, const char *key,
		      int64_t *out_milli);
int scenario_read_memory(struct json_ctx *c, const cJSON *obj,
			 const char *key, int64_t *out_bytes);

/* scenario_cluster.c: the optional "cluster" and "network" objects of
 * root into cfg->cluster (nodes malloc'ed) and cfg->network. */
int scenario_read_cluster(struct json_ctx *c, const cJSON *root,
			  struct world_config *cfg);
int scenario_read_network(struct json_ctx *c, const cJSON *root,
			  struct world_config *cfg);
/* Index of the node called name among the first n of nodes, or -1. */
int32_t scenario_node_index(const struct node_config *nodes, int32_t n,
			    const char *name);

/* scenario_traffic.c: the optional "traffic" object of root into
 * cfg->traffic (schedule malloc'ed, sorted by at, stable). */
int scenario_read_traffic(struct json_ctx *c, const cJSON *root,
			  struct world_config *cfg);

/* scenario_events.c: the optional "events" array of root into
 * cfg->events (images and cluster already read), sorted by at
 * (stable). */
int scenario_read_events(struct json_ctx *c, const cJSON *root,
			 struct world_config *cfg);

/* scenario_dist.c: a distribution (duration or {"dist": ...}) at
 * obj[key], replacing *out (released first) on success. Returns 0,
 * RSIM_EINPUT or RSIM_ENOMEM. */
int scenario_read_dist(struct json_ctx *c, const cJSON *obj,
		       const char *key, struct dist *out);

#endif
