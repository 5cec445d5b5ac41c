/* scenario_manifest.c - "deployment": { "manifest": "deploy.yaml" }.
 *
 * Reads the Deployment of a Kubernetes manifest (YAML, or JSON: a .json
 * name or '{' as the first non-space character; path relative to the
 * scenario's directory, at most MANIFEST_FILE_MAX bytes) into the
 * scenario's deployment: metadata.name, the spec fields (with
 * scenario_deploy.c's readers and checks), and from the pod template
 * terminationGracePeriodSeconds and the first container's image, probes,
 * imagePullPolicy, resources and preStop hook as deployment-level
 * overrides of the image's values (TMPL_* bits), and its name (the
 * container's name in events; "app" when absent). Anything else is
 * ignored, and a field the manifest leaves out keeps the image's value.
 * Kubernetes rules kept: a probe or hook has exactly one handler (which
 * one does not matter: the app answers when it is up); a resource without
 * a request is requested at its limit; successThreshold is 1 for liveness
 * and startup probes. A preStop exec counts when it is a sleep ("sleep N",
 * or "sh -c 'sleep N ...'"); any other command is ignored, as if absent.
 * Errors in the manifest read "FILE:LINE: PATH: ..." (manifest.h).
 * Non-goals: other containers, init containers, the selector, apiVersion
 * (apps/v1 defaults are used).
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "models/tmpl_field.h"
#include "sim/core/file.h"
#include "manifest.h"
#include "scenario_json.h"

#define MANIFEST_FILE_MAX (4u << 20)    /* bytes read at most */
#define MANIFEST_PATH_MAX 4096          /* resolved path, NUL included */
#define MANIFEST_SLEEP_MAX 1e9          /* seconds: longer is no sleep */

static const char *const probe_handlers[] = {
	"exec", "grpc", "httpGet", "tcpSocket", NULL
};
static const char *const hook_handlers[] = {
	"exec", "httpGet", "sleep", "tcpSocket", NULL
};
static const char *const shells[] = {
	"sh", "bash", "ash", "dash", "ksh", "zsh", NULL
};

static int mf_in(const char *s, const char *const *set)
{
	size_t i;

	for (i = 0; set[i]; i++)
		if (strcmp(s, set[i]) == 0)
			return 1;
	return 0;
}

/* obj[key] as an object in *out (NULL when absent and not required). */
static int mf_object(struct json_ctx *c, const cJSON *obj, const char *key,
		     int required, const cJSON **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	size_t mark;
	int rc;

	*out = NULL;
	if (!v)
		return required ? json_require(c, obj, key, NULL) : 0;
	mark = json_path_push_key(c, key);
	rc = json_expect_object(c, v);
	json_path_pop(c, mark);
	if (rc == 0)
		*out = v;
	return rc;
}

/* Kubernetes: exactly one of handlers in obj (path pushed). */
static int mf_check_handler(struct json_ctx *c, const cJSON *obj,
			    const char *const *handlers, const char *list)
{
	char got[96] = "";
	size_t i, n = 0, len;

	for (i = 0; handlers[i]; i++) {
		if (!cJSON_GetObjectItemCaseSensitive(obj, handlers[i]))
			continue;
		len = strlen(got);
		snprintf(got + len, sizeof(got) - len, "%s%s", n ? ", " : "",
			 handlers[i]);
		n++;
	}
	if (n == 1)
		return 0;
	if (n == 0)
		return json_fail(c, "expected a handler (%s), got none", list);
	return json_fail(c, "expected one handler (%s), got %s", list, got);
}

static int mf_read_image(struct json_ctx *c, const cJSON *ctr, char *image)
{
	const char *s = NULL;
	size_t mark;
	int rc = json_require(c, ctr, "image", NULL);

	if (rc == 0)
		rc = json_read_string(c, ctr, "image", &s);
	if (rc)
		return rc;
	if (*s && strlen(s) < IMAGE_NAME_MAX) {
		snprintf(image, IMAGE_NAME_MAX, "%s", s);
		return 0;
	}
	mark = json_path_push_key(c, "image");
	rc = json_fail_got(c, "an image name of 1 to 127 bytes",
			   cJSON_GetObjectItemCaseSensitive(ctr, "image"));
	json_path_pop(c, mark);
	return rc;
}

/* A probe of the first container: the template field of the same name
 * (readinessProbe, livenessProbe, startupProbe). */
static int mf_read_probe(struct json_ctx *c, const cJSON *ctr,
			 const struct tmpl_field *f, struct pod_overrides *o)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(ctr, f->key);
	struct probe_config *p = tmpl_field_at(f, &o->v);
	size_t mark;
	int rc;

	if (!v)
		return 0;
	mark = json_path_push_key(c, f->key);
	rc = json_expect_object(c, v);
	if (rc == 0)
		rc = mf_check_handler(c, v, probe_handlers,
				      "exec, grpc, httpGet or tcpSocket");
	json_path_pop(c, mark);
	if (rc == 0)
		rc = scenario_read_k8s_probe(c, ctr, f->key, f->probe, p);
	if (rc == 0)
		o->mask |= f->bit;
	return rc;
}

/* IfNotPresent or Always; Never is passed over (the simulated nodes start
 * without images), leaving the image's policy. */
static int mf_read_pull_policy(struct json_ctx *c, const cJSON *ctr,
			       struct pod_overrides *o)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(ctr,
							  "imagePullPolicy");
	int rc;

	if (!v || (cJSON_IsString(v) && strcmp(v->valuestring, "Never") == 0))
		return 0;
	rc = scenario_read_pull_policy(c, ctr, "imagePullPolicy",
				       &o->v.pull_policy);
	if (rc == 0)
		o->mask |= TMPL_PULL_POLICY;
	return rc;
}

static int mf_has_quantity(const cJSON *obj)
{
	return obj && (cJSON_GetObjectItemCaseSensitive(obj, "cpu") ||
		       cJSON_GetObjectItemCaseSensitive(obj, "memory"));
}

static int mf_read_quantities(struct json_ctx *c, const cJSON *obj,
			      const char *key, int64_t *cpu, int64_t *mem)
{
	size_t mark = json_path_push_key(c, key);
	int rc = scenario_read_cpu(c, obj, "cpu", cpu);

	if (rc == 0)
		rc = scenario_read_memory(c, obj, "memory", mem);
	json_path_pop(c, mark);
	return rc;
}

/* resources: requests, each defaulting to its limit (core/v1). */
static int mf_read_resources(struct json_ctx *c, const cJSON *ctr,
			     struct pod_overrides *o)
{
	const cJSON *res, *lim = NULL, *req = NULL;
	int64_t cpu = 0, mem = 0;
	size_t mark;
	int rc = mf_object(c, ctr, "resources", 0, &res);

	if (rc || !res)
		return rc;
	mark = json_path_push_key(c, "resources");
	rc = mf_object(c, res, "limits", 0, &lim);
	if (rc == 0)
		rc = mf_object(c, res, "requests", 0, &req);
	if (rc == 0 && lim)
		rc = mf_read_quantities(c, lim, "limits", &cpu, &mem);
	if (rc == 0 && req)
		rc = mf_read_quantities(c, req, "requests", &cpu, &mem);
	json_path_pop(c, mark);
	if (rc == 0 && (mf_has_quantity(lim) || mf_has_quantity(req))) {
		o->v.cpu_milli = cpu;
		o->v.memory_bytes = mem;
		o->mask |= TMPL_REQUESTS;
	}
	return rc;
}

/* GNU sleep's NUMBER[smhd] in t[0..len): 1 and *ns, or 0. */
static int mf_sleep_arg(const char *t, size_t len, sim_time_t *ns)
{
	char buf[32];
	double unit = 1.0, v;
	size_t i, dots = 0, digits = 0;

	if (len == 0 || len >= sizeof(buf))
		return 0;
	memcpy(buf, t, len);
	buf[len] = '\0';
	if (strchr("smhd", buf[len - 1])) {
		unit = buf[len - 1] == 's' ? 1.0 : buf[len - 1] == 'm' ? 60.0 :
		       buf[len - 1] == 'h' ? 3600.0 : 86400.0;
		buf[--len] = '\0';
	}
	for (i = 0; i < len; i++) {
		if (buf[i] == '.')
			dots++;
		else if (buf[i] >= '0' && buf[i] <= '9')
			digits++;
		else
			return 0;
	}
	v = digits && dots <= 1 ? strtod(buf, NULL) * unit : -1.0;
	if (v < 0.0 || v > MANIFEST_SLEEP_MAX)
		return 0;
	*ns = sim_s_to_ns(v);
	return 1;
}

static int mf_is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n';
}

/* A shell script that starts with "sleep N", then ends or goes on after
 * ';' or "&&": 1 and *ns, or 0. */
static int mf_shell_sleep(const char *s, sim_time_t *ns)
{
	const char *t;

	while (mf_is_blank(*s))
		s++;
	if (strncmp(s, "sleep", 5) != 0 || !mf_is_blank(s[5]))
		return 0;
	for (s += 5; mf_is_blank(*s); s++)
		;
	for (t = s; *s && !mf_is_blank(*s) && *s != ';' && *s != '&'; s++)
		;
	if (!mf_sleep_arg(t, (size_t)(s - t), ns))
		return 0;
	while (mf_is_blank(*s))
		s++;
	return *s == '\0' || *s == ';' || (s[0] == '&' && s[1] == '&');
}

static const char *mf_basename(const char *s)
{
	const char *slash = strrchr(s, '/');

	return slash ? slash + 1 : s;
}

/* ["sleep", "N"] or [shell, "-c", "sleep N ..."] (cmd: strings only). */
static int mf_command_sleep(const cJSON *cmd, sim_time_t *ns)
{
	const cJSON *a0 = cJSON_GetArrayItem(cmd, 0);
	int n = cJSON_GetArraySize(cmd);

	if (n == 2 && strcmp(mf_basename(a0->valuestring), "sleep") == 0)
		return mf_sleep_arg(a0->next->valuestring,
				    strlen(a0->next->valuestring), ns);
	if (n == 3 && mf_in(mf_basename(a0->valuestring), shells) &&
	    strcmp(a0->next->valuestring, "-c") == 0)
		return mf_shell_sleep(a0->next->next->valuestring, ns);
	return 0;
}

/* exec.command (path "exec" pushed): an array of strings. */
static int mf_exec_sleep(struct json_ctx *c, const cJSON *ex,
			 sim_time_t *ns, int *found)
{
	const cJSON *cmd = NULL, *it;
	size_t mark, m2, i = 0;
	int rc = json_require(c, ex, "command", &cmd);

	if (rc)
		return rc;
	mark = json_path_push_key(c, "command");
	if (!cJSON_IsArray(cmd))
		rc = json_fail_got(c, "an array of strings", cmd);
	for (it = rc ? NULL : cmd->child; it && rc == 0; it = it->next, i++) {
		if (cJSON_IsString(it))
			continue;
		m2 = json_path_push_index(c, i);
		rc = json_fail_got(c, "a string", it);
		json_path_pop(c, m2);
	}
	json_path_pop(c, mark);
	if (rc == 0)
		*found = mf_command_sleep(cmd, ns);
	return rc;
}

/* preStop (path pushed): sleep.seconds, or an exec that sleeps. */
static int mf_read_prestop(struct json_ctx *c, const cJSON *ps,
			   struct pod_overrides *o)
{
	const cJSON *sl = NULL, *ex = NULL;
	sim_time_t ns = 0;
	size_t mark;
	int found = 0;
	int rc = mf_object(c, ps, "sleep", 0, &sl);

	if (rc == 0 && sl) {
		mark = json_path_push_key(c, "sleep");
		rc = json_require(c, sl, "seconds", NULL);
		if (rc == 0)
			rc = json_read_seconds(c, sl, "seconds", 0, &ns);
		json_path_pop(c, mark);
		found = 1;
	}
	if (rc == 0)
		rc = mf_object(c, ps, "exec", 0, &ex);
	if (rc == 0 && ex) {
		mark = json_path_push_key(c, "exec");
		rc = mf_exec_sleep(c, ex, &ns, &found);
		json_path_pop(c, mark);
	}
	if (rc == 0 && found) {
		o->v.prestop_ns = ns;
		o->mask |= TMPL_PRESTOP;
	}
	return rc;
}

static int mf_read_lifecycle(struct json_ctx *c, const cJSON *ctr,
			     struct pod_overrides *o)
{
	const cJSON *lc, *ps = NULL;
	size_t mark, m2;
	int rc = mf_object(c, ctr, "lifecycle", 0, &lc);

	if (rc || !lc)
		return rc;
	mark = json_path_push_key(c, "lifecycle");
	rc = mf_object(c, lc, "preStop", 0, &ps);
	if (rc == 0 && ps) {
		m2 = json_path_push_key(c, "preStop");
		rc = mf_check_handler(c, ps, hook_handlers,
				      "exec, httpGet, sleep or tcpSocket");
		if (rc == 0)
			rc = mf_read_prestop(c, ps, o);
		json_path_pop(c, m2);
	}
	json_path_pop(c, mark);
	return rc;
}

/* The first container (path "containers[0]" pushed). */
static int mf_read_container(struct json_ctx *c, const cJSON *ctr,
			     struct deploy_config *d, char *image)
{
	struct pod_overrides *o = &d->tmpl;
	size_t i;
	int rc = mf_read_image(c, ctr, image);

	if (rc == 0)
		rc = scenario_read_container(c, ctr, "name", d);

	for (i = 0; i < TMPL_FIELD_COUNT && rc == 0; i++)
		if (tmpl_fields[i].kind == TMPL_KIND_PROBE)
			rc = mf_read_probe(c, ctr, &tmpl_fields[i], o);
	if (rc == 0)
		rc = mf_read_pull_policy(c, ctr, o);
	if (rc == 0)
		rc = mf_read_resources(c, ctr, o);
	if (rc == 0)
		rc = mf_read_lifecycle(c, ctr, o);
	return rc;
}

/* The pod spec (path "spec.template.spec" pushed). */
static int mf_read_pod(struct json_ctx *c, const cJSON *pod,
		       struct deploy_config *d, char *image)
{
	struct pod_overrides *o = &d->tmpl;
	const cJSON *ctrs = NULL;
	size_t mark, m2;
	int rc = json_read_seconds(c, pod, "terminationGracePeriodSeconds", 0,
				   &o->v.grace_ns);

	if (rc == 0 && cJSON_GetObjectItemCaseSensitive(
		    pod, "terminationGracePeriodSeconds"))
		o->mask |= TMPL_GRACE;
	if (rc == 0)
		rc = json_require(c, pod, "containers", &ctrs);
	if (rc)
		return rc;
	mark = json_path_push_key(c, "containers");
	if (!cJSON_IsArray(ctrs) || !ctrs->child)
		rc = json_fail_got(c, "a non-empty array of containers", ctrs);
	if (rc == 0) {
		m2 = json_path_push_index(c, 0);
		rc = json_expect_object(c, ctrs->child);
		if (rc == 0)
			rc = mf_read_container(c, ctrs->child, d, image);
		json_path_pop(c, m2);
	}
	json_path_pop(c, mark);
	return rc;
}

/* spec.template.spec (path "spec" pushed). */
static int mf_read_template(struct json_ctx *c, const cJSON *spec,
			    struct deploy_config *d, char *image)
{
	const cJSON *tmpl, *pod = NULL;
	size_t mark, m2;
	int rc = mf_object(c, spec, "template", 1, &tmpl);

	if (rc)
		return rc;
	mark = json_path_push_key(c, "template");
	rc = mf_object(c, tmpl, "spec", 1, &pod);
	if (rc == 0) {
		m2 = json_path_push_key(c, "spec");
		rc = mf_read_pod(c, pod, d, image);
		json_path_pop(c, m2);
	}
	json_path_pop(c, mark);
	return rc;
}

/* The Deployment object (the empty path). */
static int mf_read_deployment(struct json_ctx *c, const cJSON *obj,
			      struct deploy_config *d, char *image)
{
	const cJSON *meta = NULL, *spec = NULL;
	size_t mark;
	int rc = mf_object(c, obj, "metadata", 1, &meta);

	if (rc == 0) {
		mark = json_path_push_key(c, "metadata");
		rc = json_require(c, meta, "name", NULL);
		if (rc == 0)
			rc = scenario_read_deploy_name(c, meta, d);
		json_path_pop(c, mark);
	}
	if (rc == 0)
		rc = mf_object(c, obj, "spec", 1, &spec);
	if (rc)
		return rc;
	mark = json_path_push_key(c, "spec");
	rc = scenario_read_manifest_spec(c, spec, d);
	if (rc == 0)
		rc = mf_read_template(c, spec, d, image);
	json_path_pop(c, mark);
	return rc;
}

static int mf_is_json(const char *file, const char *text)
{
	size_t n = strlen(file);

	if (n >= 5 && strcasecmp(file + n - 5, ".json") == 0)
		return 1;
	while (*text == ' ' || *text == '\t' || *text == '\r' ||
	       *text == '\n')
		text++;
	return *text == '{';
}

static int mf_parse(const char *file, const char *text, size_t len,
		    struct rsim_error *err, struct manifest **out)
{
	struct json_ctx jc;
	cJSON *root = NULL;
	int rc;

	if (!mf_is_json(file, text))
		return manifest_load_yaml(text, len, file, "Deployment", out,
					  err);
	json_ctx_init(&jc, file, err);
	rc = json_parse(&jc, text, len, &root);
	if (rc)
		return rc;
	return manifest_load_tree(root, file, "Deployment", out, err);
}

/* Resolves, reads and parses rel (path "deployment.manifest" pushed):
 * read errors are reported there, parse errors in the manifest. */
static int mf_open(struct json_ctx *c, const char *rel, char *file,
		   struct manifest **out)
{
	char reason[128], q[JSON_TEXT_MAX], *text = NULL;
	size_t len = 0;
	int e, rc;

	if (!*rel)
		return json_fail(c, "expected a file name, got \"\"");
	if (path_beside(file, MANIFEST_PATH_MAX, c->file, rel))
		return json_fail(c, "the path is longer than %d bytes",
				 MANIFEST_PATH_MAX - 1);
	e = file_read(file, MANIFEST_FILE_MAX, &text, &len);
	if (e == ENOMEM)
		return json_fail_nomem(c);
	if (e) {
		scenario_read_reason(e, MANIFEST_FILE_MAX, reason,
				     sizeof(reason));
		json_quote(rel, q);
		if (strcmp(rel, file) == 0)
			return json_fail(c, "cannot read %s: %s", q, reason);
		return json_fail(c, "cannot read %s (%s): %s", q, file,
				 reason);
	}
	rc = mf_parse(file, text, len, c->err, out);
	free(text);
	return rc;
}

/* err->file = "FILE:LINE" with the line of the value at err->path. */
static void mf_locate(const struct manifest *m, const char *file,
		      struct rsim_error *err)
{
	char where[MANIFEST_PATH_MAX + 24];
	long line = manifest_line_at(m, err->path);
	size_t n;

	if (line <= 0)
		return;
	snprintf(where, sizeof(where), "%s:%ld", file, line);
	n = strlen(where);
	if (n >= sizeof(err->file))
		n = sizeof(err->file) - 1;
	memcpy(err->file, where, n);
	err->file[n] = '\0';
}

int scenario_read_manifest(struct json_ctx *c, const cJSON *dep,
			   struct deploy_config *d, char *image)
{
	char file[MANIFEST_PATH_MAX];
	const char *rel = NULL;
	struct manifest *m = NULL;
	struct json_ctx mc;
	size_t mark;
	int rc = json_read_string(c, dep, "manifest", &rel);

	if (rc || !rel)
		return rc;
	mark = json_path_push_key(c, "manifest");
	rc = mf_open(c, rel, file, &m);
	json_path_pop(c, mark);
	if (rc)
		return rc;
	json_ctx_init(&mc, file, c->err);
	rc = mf_read_deployment(&mc, manifest_object(m), d, image);
	if (rc == RSIM_EINPUT)
		mf_locate(m, file, c->err);
	manifest_free(m);
	return rc;
}
