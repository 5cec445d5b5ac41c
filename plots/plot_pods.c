/* plot_pods.c - a run's pods.csv for the plots (plot_impl.h): which
 * pods exist at a moment, of which version, ready or not, terminating.
 *
 * A version is a ReplicaSet, that is a pod template: `rollout undo`
 * scales the old ReplicaSet up again, so the pods of v1 keep their
 * version (and their colour) across updates and undo, where
 * timeline.csv's old/new follow the newest revision. Versions are
 * numbered by their first pod; after PLOT_MAX_VER - 1 the later ones
 * share the last. Rows at one instant are applied together: only the
 * state after the last of them is ever seen.
 */
#include "plot_impl.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/alloc.h"
#include "sim/core/file.h"

#define PODS_FILE_MAX ((size_t)1 << 30)

/* The lines of a CSV text: fn(ctx, header, line) for each data line. */
static int each_line(char *text, plot_line_fn fn, void *ctx)
{
	char *hdr = text, *line, *nl;
	int rc;

	if (!(nl = strchr(hdr, '\n')))
		return 0;
	*nl = '\0';
	for (line = nl + 1; *line; line = nl + 1) {
		if (!(nl = strchr(line, '\n')))
			nl = line + strlen(line) - 1;
		else
			*nl = '\0';
		if (*line && (rc = fn(ctx, hdr, line)))
			return rc;
		if (!nl[1])
			break;
	}
	return 0;
}

int plot_read_table(const char *path, plot_line_fn fn, void *ctx,
		    struct rsim_error *err)
{
	char *text = NULL;
	size_t len;
	int rc;

	if ((rc = file_read(path, PODS_FILE_MAX, &text, &len)))
		return rc == ENOENT ? -1 : rsim_error_set(err, RSIM_EINPUT,
			path, "", "cannot read: %s", strerror(rc));
	rc = each_line(text, fn, ctx);
	free(text);
	return rc ? rsim_error_set(err, rc, path, "", "out of memory") : 0;
}

/* Field k of a CSV line into out. */
static void csv_text(const char *line, int k, char *out, size_t n)
{
	size_t len;

	out[0] = '\0';
	if (k < 0)
		return;
	for (; k > 0 && *line; line++)
		k -= *line == ',';
	if (k > 0)
		return;
	len = strcspn(line, ",\r\n");
	snprintf(out, n, "%.*s", (int)(len < n ? len : n - 1), line);
}

/* READY as kubectl prints it ("1/1") or a count: all containers ready. */
static int ready_text(const char *s)
{
	const char *slash = strchr(s, '/');
	int r = atoi(s);

	return slash ? r > 0 && r == atoi(slash + 1) : r > 0;
}

static int pod_line(void *ctx, const char *hdr, const char *line)
{
	struct plot_pods *pp = ctx;
	struct plot_pod_row *r;
	char f[64];
	double rev;

	if (!(pp->n_rows & (pp->n_rows + 1))) {   /* 0, 1, 3, 7: grow */
		r = rsim_realloc(pp->rows, (size_t)(pp->n_rows + 1) * 2 *
				 sizeof(*r));
		if (!r)
			return RSIM_ENOMEM;
		pp->rows = r;
	}
	r = &pp->rows[pp->n_rows++];
	r->t = strtod(line, NULL);
	csv_text(line, plot_csv_col(hdr, "pod"), r->pod, sizeof(r->pod));
	csv_text(line, plot_csv_col(hdr, "replicaset"), r->rs, sizeof(r->rs));
	rev = plot_csv_num(line, plot_csv_col(hdr, "revision"));
	r->rev = isfinite(rev) && rev > 0 && rev < 1e9 ? (int)rev : 0;
	csv_text(line, plot_csv_col(hdr, "ready"), f, sizeof(f));
	r->ready = ready_text(f);
	csv_text(line, plot_csv_col(hdr, "status"), f, sizeof(f));
	r->term = strcmp(f, "Terminating") == 0;
	csv_text(line, plot_csv_col(hdr, "change"), f, sizeof(f));
	r->gone = strcmp(f, "deleted") == 0;
	return 0;
}

static int version_of(struct plot_pods *pp, const char *rs)
{
	int v;

	for (v = 0; v < pp->n_ver; v++)
		if (strcmp(pp->ver[v], rs) == 0)
			return v;
	if (pp->n_ver == PLOT_MAX_VER)
		return PLOT_MAX_VER - 1;
	snprintf(pp->ver[pp->n_ver], sizeof(pp->ver[0]), "%s", rs);
	return pp->n_ver++;
}

/* Every ReplicaSet gets its version in order of its first pod, and the
 * list of revisions it had ("1, 3" after an undo). */
static void plan_versions(struct plot_pods *pp)
{
	int i, v;

	for (i = 0; i < pp->n_rows; i++) {
		v = version_of(pp, pp->rows[i].rs);
		if (pp->rows[i].rev > 0 &&
		    pp->rows[i].rev != pp->last_rev[v]) {
			plot_appendf(pp->revs[v], sizeof(pp->revs[v]), "%s%d",
				     pp->revs[v][0] ? ", " : "",
				     pp->rows[i].rev);
			pp->last_rev[v] = pp->rows[i].rev;
		}
	}
}

int plot_pods_read(const char *dir, struct plot_pods *pp,
		   struct rsim_error *err)
{
	char path[PLOT_PATH_MAX];
	int rc;

	memset(pp, 0, sizeof(*pp));
	if ((rc = plot_join(path, dir, "pods.csv", err)))
		return rc;
	rc = plot_read_table(path, pod_line, pp, err);
	if (rc == 0 && pp->n_rows > 0) {
		pp->pods = rsim_calloc((size_t)pp->n_rows, sizeof(*pp->pods));
		if (!pp->pods)
			rc = rsim_error_set(err, RSIM_ENOMEM, "", "",
					    "out of memory");
		else
			plan_versions(pp);
	} else if (rc == 0) {
		rc = -1;
	}
	if (rc)
		plot_pods_release(pp);
	return rc;
}

static struct plot_pod_state *pod_find(struct plot_pods *pp,
				       const char *name)
{
	int i;

	for (i = 0; i < pp->n_pods; i++)
		if (strcmp(pp->pods[i].name, name) == 0)
			return &pp->pods[i];
	return NULL;
}

void plot_pods_until(struct plot_pods *pp, double t)
{
	for (; pp->next < pp->n_rows && pp->rows[pp->next].t <= t;
	     pp->next++) {
		const struct plot_pod_row *r = &pp->rows[pp->next];
		struct plot_pod_state *p = pod_find(pp, r->pod);

		if (r->gone) {
			if (p)
				*p = pp->pods[--pp->n_pods];
			continue;
		}
		if (!p) {
			p = &pp->pods[pp->n_pods++];
			snprintf(p->name, sizeof(p->name), "%s", r->pod);
			p->ver = version_of(pp, r->rs);
		}
		p->ready = r->ready && !r->term;
		p->term = r->term;
	}
}

void plot_pods_count(const struct plot_pods *pp, int v, int n[3])
{
	int i;

	n[0] = n[1] = n[2] = 0;
	for (i = 0; i < pp->n_pods; i++)
		if (pp->pods[i].ver == v)
			n[pp->pods[i].term ? 2 : pp->pods[i].ready ? 0 : 1]++;
}

void plot_pods_label(const struct plot_pods *pp, int v, char *out, size_t n)
{
	snprintf(out, n, "%s%s%s%s", pp->ver[v],
		 pp->revs[v][0] ? " (rev " : "", pp->revs[v],
		 pp->revs[v][0] ? ")" : "");
}

void plot_pods_release(struct plot_pods *pp)
{
	free(pp->rows);
	free(pp->pods);
	pp->rows = NULL;
	pp->pods = NULL;
	pp->n_rows = pp->n_pods = 0;
}
