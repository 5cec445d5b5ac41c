/* scenario_calib.c - kubectl's pod, event and Deployment dumps into the
 * per-pod timestamps calibrate fits (scenario_calib.h).
 *
 * The fields are those the API server and the kubelet fill in: see
 * kubernetes pkg/kubelet/status/status_manager.go (the conditions'
 * lastTransitionTime) and pkg/kubelet/images/image_manager.go (the
 * "Successfully pulled image ... in D" event message).
 */
#include "sim/scenario/scenario_calib.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "sim/core/alloc.h"
#include "sim/core/file.h"
#include "sim/scenario/scenario_json.h"

#define CALIB_FILE_MAX (64u << 20)

static cJSON *get(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

static const char *get_str(const cJSON *o, const char *k)
{
	const cJSON *v = get(o, k);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static long days_from_civil(long y, unsigned m, unsigned d)
{
	long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

int scenario_calib_time(const char *s, double *t)
{
	int y, mo, d, h, mi, se, n = 0;
	double frac = 0, off = 0;
	const char *p;

	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi,
			 &se, &n) != 6 || n != 19)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    se > 60)
		return -1;
	p = s + n;
	if (*p == '.') {
		double scale = 0.1;

		for (p++; *p >= '0' && *p <= '9'; p++, scale /= 10)
			frac += (*p - '0') * scale;
	}
	if (*p == '+' || *p == '-') {
		int oh, om, k = 0;

		if (sscanf(p + 1, "%2d:%2d%n", &oh, &om, &k) != 2 || k != 5)
			return -1;
		off = (*p == '+' ? 1 : -1) * (oh * 3600.0 + om * 60.0);
		p += 6;
	} else if (*p == 'Z') {
		p++;
	} else {
		return -1;
	}
	if (*p)
		return -1;
	*t = (double)days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400.0 +
	     h * 3600.0 + mi * 60.0 + se + frac - off;
	return 0;
}

int scenario_calib_goduration(const char *s, double *t)
{
	static const struct { const char *u; double f; } units[] = {
		{ "ns", 1e-9 }, { "us", 1e-6 }, { "\xc2\xb5s", 1e-6 },
		{ "ms", 1e-3 }, { "s", 1 }, { "m", 60 }, { "h", 3600 }
	};
	double sum = 0;

	if (!s || !*s)
		return -1;
	if (strcmp(s, "0s") == 0 || strcmp(s, "0") == 0) {
		*t = 0;
		return 0;
	}
	while (*s) {
		char *end;
		double v;
		size_t i, best = 0, bl = 0;

		if (!((*s >= '0' && *s <= '9') || *s == '.'))
			return -1;
		v = strtod(s, &end);
		if (end == s)
			return -1;
		for (i = 0; i < sizeof(units) / sizeof(*units); i++) {
			size_t l = strlen(units[i].u);

			if (strncmp(end, units[i].u, l) == 0 && l > bl) {
				best = i;
				bl = l;
			}
		}
		if (!bl)
			return -1;
		sum += v * units[best].f;
		s = end + bl;
	}
	*t = sum;
	return 0;
}

static int read_tree(const char *file, cJSON **out, struct rsim_error *err)
{
	struct json_ctx c;
	char *text = NULL, why[128];
	size_t len = 0;
	int e = file_read(file, CALIB_FILE_MAX, &text, &len), rc;

	json_ctx_init(&c, file, err);
	if (e) {
		scenario_read_reason(e, CALIB_FILE_MAX, why, sizeof(why));
		return rsim_error_set(err, e == ENOMEM ? RSIM_ENOMEM :
				      RSIM_EINPUT, file, "", "cannot read: %s",
				      why);
	}
	rc = json_parse(&c, text, len, out);
	free(text);
	return rc;
}

/* "pods", "events", "deploy", or NULL. */
static const char *dump_kind(const cJSON *t)
{
	const char *k = get_str(t, "kind");
	const cJSON *items = get(t, "items"), *first;

	if (!k)
		return NULL;
	if (strcmp(k, "Deployment") == 0)
		return "deploy";
	if (strcmp(k, "EventList") == 0)
		return "events";
	if (strcmp(k, "PodList") == 0)
		return "pods";
	if (strcmp(k, "List") != 0 || !cJSON_IsArray(items))
		return NULL;
	first = cJSON_GetArrayItem(items, 0);
	k = first ? get_str(first, "kind") : NULL;
	if (!first || (k && strcmp(k, "Pod") == 0))
		return "pods";   /* an empty List is an empty pod list */
	if (k && strcmp(k, "Event") == 0)
		return "events";
	return NULL;
}

/* The lastTransitionTime of the True condition of type ty in pod. */
static int cond_time(const cJSON *pod, const char *ty, double *t)
{
	const cJSON *conds = get(get(pod, "status"), "conditions"), *c;

	cJSON_ArrayForEach(c, conds) {
		const char *ct = get_str(c, "type"), *st = get_str(c, "status");

		if (ct && strcmp(ct, ty) == 0 && st && strcmp(st, "True") == 0)
			return scenario_calib_time(get_str(c,
						   "lastTransitionTime"), t);
	}
	return 1;
}

static void clock_of(double t, char *buf, size_t n)
{
	long s = (long)t % 86400;

	if (s < 0)
		s += 86400;
	snprintf(buf, n, "%02ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
}

static int pod_fail(const char *file, int i, const char *name,
		    struct rsim_error *err, const char *field,
		    const char *what)
{
	char path[64];

	snprintf(path, sizeof(path), "items[%d].%s", i, field);
	return rsim_error_set(err, RSIM_EINPUT, file, path, "%s (pod %s)",
			      what, name);
}

static int order_fail(const char *file, int i, const char *name,
		      struct rsim_error *err, const char *a, double ta,
		      const char *b, double tb)
{
	char path[32], ca[16], cb[16];

	clock_of(ta, ca, sizeof(ca));
	clock_of(tb, cb, sizeof(cb));
	snprintf(path, sizeof(path), "items[%d]", i);
	return rsim_error_set(err, RSIM_EINPUT, file, path,
			      "%s (%s) before %s (%s) (pod %s)", a, ca, b, cb,
			      name);
}

static int read_pod(const char *file, const cJSON *it, int i,
		    struct calib_pod *p, struct rsim_error *err)
{
	const cJSON *meta = get(it, "metadata"), *cs, *c0;
	const char *name = get_str(meta, "name"), *s;
	int r = 0;

	memset(p, 0, sizeof(*p));
	p->item = i;
	p->pull = -1;
	if (!name)
		return pod_fail(file, i, "?", err, "metadata.name",
				"expected a string");
	snprintf(p->name, sizeof(p->name), "%s", name);
	if (scenario_calib_time(get_str(meta, "creationTimestamp"),
				&p->created))
		return pod_fail(file, i, name, err,
				"metadata.creationTimestamp",
				"expected an RFC 3339 time");
	s = get_str(get(meta, "labels"), "pod-template-hash");
	snprintf(p->hash, sizeof(p->hash), "%s", s ? s : "");
	c0 = cJSON_GetArrayItem(get(get(it, "spec"), "containers"), 0);
	s = get_str(c0, "image");
	if (!s)
		return pod_fail(file, i, name, err, "spec.containers[0].image",
				"expected a string");
	snprintf(p->image, sizeof(p->image), "%s", s);
	/* a pod being deleted, not Ready, not running or restarted is no
	 * sample of a start (its times describe a later state) */
	cs = cJSON_GetArrayItem(get(get(it, "status"), "containerStatuses"),
				0);
	if (get(meta, "deletionTimestamp"))
		p->skip = "terminating";
	else if ((r = cond_time(it, "Ready", &p->ready)) > 0)
		p->skip = "not Ready";
	else if (!get(get(cs, "state"), "running"))
		p->skip = "not running";
	else if (cJSON_IsNumber(get(cs, "restartCount")) &&
		 get(cs, "restartCount")->valuedouble > 0)
		p->skip = "restarted";
	if (p->skip)
		return 0;
	if (r)
		return pod_fail(file, i, name, err, "status.conditions",
				"Ready: bad lastTransitionTime");
	r = cond_time(it, "PodScheduled", &p->scheduled);
	if (r)
		return pod_fail(file, i, name, err, "status.conditions",
				r > 0 ? "no PodScheduled condition" :
				"PodScheduled: bad lastTransitionTime");
	s = get_str(get(get(cs, "state"), "running"), "startedAt");
	if (!s || scenario_calib_time(s, &p->started))
		return pod_fail(file, i, name, err,
				"status.containerStatuses[0].state.running."
				"startedAt", "missing or not an RFC 3339 time");
	if (p->scheduled < p->created)
		return order_fail(file, i, name, err, "PodScheduled",
				  p->scheduled, "creationTimestamp",
				  p->created);
	if (p->started < p->scheduled)
		return order_fail(file, i, name, err, "startedAt", p->started,
				  "PodScheduled", p->scheduled);
	if (p->ready < p->started)
		return order_fail(file, i, name, err, "Ready", p->ready,
				  "startedAt", p->started);
	return 0;
}

static int read_pods(const char *file, const cJSON *t, struct calib_input *in,
		     struct rsim_error *err)
{
	const cJSON *items = get(t, "items"), *it;
	int n = cJSON_GetArraySize(items), i = 0, j, k = 0;

	if (n == 0)
		return rsim_error_set(err, RSIM_EINPUT, file, "items",
				      "no pods");
	in->pods = rsim_malloc((size_t)n * sizeof(*in->pods));
	in->skipped = rsim_malloc((size_t)n * sizeof(*in->skipped));
	if (!in->pods || !in->skipped)
		return rsim_error_set(err, RSIM_ENOMEM, file, "",
				      "out of memory");
	cJSON_ArrayForEach(it, items) {
		int rc = read_pod(file, it, i++, &in->pods[k], err);

		if (rc)
			return rc;
		if (in->pods[k].skip) {
			struct calib_skip *sk = &in->skipped[in->n_skipped++];

			snprintf(sk->name, sizeof(sk->name), "%s",
				 in->pods[k].name);
			sk->why = in->pods[k].skip;
			continue;
		}
		/* one template per image: pods of another ReplicaSet with
		 * the same image would mix two pod specs in one fit */
		for (j = 0; j < k; j++) {
			const struct calib_pod *a = &in->pods[j],
					       *b = &in->pods[k];
			char path[64];

			if (strcmp(a->image, b->image) == 0 &&
			    strcmp(a->hash, b->hash) != 0) {
				snprintf(path, sizeof(path),
					 "items[%d].metadata.labels", b->item);
				return rsim_error_set(err, RSIM_EINPUT, file,
					path, "image %s comes from two pod "
					"templates: pod-template-hash %s (pod "
					"%s) and %s (pod %s); dump one "
					"ReplicaSet's pods (-l "
					"pod-template-hash=...)", a->image,
					a->hash, a->name, b->hash, b->name);
			}
		}
		k++;
	}
	if (k == 0)
		return rsim_error_set(err, RSIM_EINPUT, file, "items",
				      "no pod is Ready and running (%d "
				      "skipped, e.g. %s: %s)", n,
				      in->skipped[0].name, in->skipped[0].why);
	in->n = (size_t)k;
	return 0;
}

static int read_events(const char *file, const cJSON *t,
		       struct calib_input *in, struct rsim_error *err)
{
	const cJSON *it;
	int i = 0;

	in->have_events = 1;
	cJSON_ArrayForEach(it, get(t, "items")) {
		const cJSON *obj = get(it, "involvedObject");
		const char *reason = get_str(it, "reason");
		const char *msg = get_str(it, "message"), *name, *in_at;
		char dur[64], path[48];
		size_t k;
		double d;

		i++;
		if (!reason || strcmp(reason, "Pulled") != 0 || !msg)
			continue;
		name = get_str(obj, "name");
		if (strstr(msg, "already present")) {
			in->pulled_cached++;
			continue;
		}
		in_at = strstr(msg, "\" in ");
		if (!in_at || sscanf(in_at + 5, "%63[^ ]", dur) != 1 ||
		    scenario_calib_goduration(dur, &d)) {
			snprintf(path, sizeof(path), "items[%d].message",
				 i - 1);
			return rsim_error_set(err, RSIM_EINPUT, file, path,
					      "expected \"Successfully pulled "
					      "image \\\"X\\\" in DURATION ...\"");
		}
		for (k = 0; name && k < in->n; k++)
			if (strcmp(in->pods[k].name, name) == 0)
				in->pods[k].pull = d;
	}
	return 0;
}

static void read_deploy(const cJSON *t, struct calib_input *in)
{
	const cJSON *c0 = cJSON_GetArrayItem(get(get(get(get(t, "spec"),
		"template"), "spec"), "containers"), 0);
	const cJSON *rp = get(c0, "readinessProbe"), *v;

	if (!cJSON_IsObject(rp))
		return;
	in->have_probe = 1;
	v = get(rp, "initialDelaySeconds");
	in->probe_delay = cJSON_IsNumber(v) ? v->valuedouble : 0;
	v = get(rp, "periodSeconds");
	in->probe_period = cJSON_IsNumber(v) ? v->valuedouble : 10;
}

int scenario_calib_read(const char *const *files, int n,
			struct calib_input *in, struct rsim_error *err)
{
	cJSON *tree[CALIB_FILES_MAX] = { 0 };
	const char *kind[CALIB_FILES_MAX] = { 0 };
	int i, p = -1, rc = 0;

	memset(in, 0, sizeof(*in));
	for (i = 0; i < n && !rc; i++) {
		rc = read_tree(files[i], &tree[i], err);
		if (rc)
			break;
		kind[i] = dump_kind(tree[i]);
		if (!kind[i])
			rc = rsim_error_set(err, RSIM_EINPUT, files[i], "kind",
				"expected a List of Pods, an EventList or a "
				"Deployment (kubectl get ... -o json)");
		else if (strcmp(kind[i], "pods") == 0 && p >= 0)
			rc = rsim_error_set(err, RSIM_EINPUT, files[i], "kind",
				"a second pod list (the first is %s)",
				files[p]);
		else if (strcmp(kind[i], "pods") == 0)
			p = i;
	}
	if (!rc && p < 0)
		rc = rsim_error_set(err, RSIM_EINPUT, files[0], "kind",
				    "expected a List of Pods among the files "
				    "(kubectl get pods -l app=X -o json)");
	if (!rc) {
		in->pods_file = files[p];
		rc = read_pods(files[p], tree[p], in, err);
	}
	for (i = 0; i < n && !rc; i++) {
		if (strcmp(kind[i], "events") == 0)
			rc = read_events(files[i], tree[i], in, err);
		else if (strcmp(kind[i], "deploy") == 0)
			read_deploy(tree[i], in);
	}
	for (i = 0; i < n; i++)
		cJSON_Delete(tree[i]);
	if (rc) {
		free(in->pods);
		free(in->skipped);
		memset(in, 0, sizeof(*in));
	}
	return rc;
}
