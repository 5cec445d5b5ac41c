/* fuzz_util.c - shared parts of the fuzz targets (fuzz.h): memfd files,
 * the contract checks, one-time set-up. */
#define _GNU_SOURCE
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <gsl/gsl_errno.h>

#include "sim/sweep/sweep.h"

void fuzz_check(int cond, const char *what, const char *file, int line)
{
	if (cond)
		return;
	fprintf(stderr, "fuzz: %s:%d: %s\n", file, line, what);
	abort();
}

void fuzz_init(void)
{
	gsl_set_error_handler_off();
}

const char *fuzz_memfile(int slot, const void *data, size_t n)
{
	static int fd[2] = { -1, -1 };
	static char path[2][40];
	const char *p = data;
	ssize_t w;

	FUZZ_CHECK(slot == 0 || slot == 1, "memfd slot");
	if (fd[slot] < 0) {
		fd[slot] = memfd_create("rollsim-fuzz", MFD_CLOEXEC);
		FUZZ_CHECK(fd[slot] >= 0, "memfd_create");
		snprintf(path[slot], sizeof(path[slot]), "/proc/self/fd/%d",
			 fd[slot]);
	}
	FUZZ_CHECK(ftruncate(fd[slot], 0) == 0, "ftruncate");
	for (; n > 0; n -= (size_t)w, p += w) {
		w = pwrite(fd[slot], p, n, (off_t)(p - (const char *)data));
		FUZZ_CHECK(w > 0, "pwrite");
	}
	return path[slot];
}

void fuzz_check_line(const char *line, const char *what)
{
	const unsigned char *c;

	FUZZ_CHECK(line[0] != '\0', what);
	for (c = (const unsigned char *)line; *c; c++)
		if (*c < 0x20) {
			fprintf(stderr, "fuzz: %s: control character in the "
				"error line: %s\n", what, line);
			abort();
		}
}

void fuzz_check_result(int rc, const struct rsim_error *err, const char *what)
{
	char line[1200];

	if (rc == 0) {
		FUZZ_CHECK(err->code == 0, what);
		return;
	}
	if (rc != RSIM_EINPUT)
		fprintf(stderr, "fuzz: %s returned %d\n", what, rc);
	FUZZ_CHECK(rc == RSIM_EINPUT, what);
	FUZZ_CHECK(err->code == rc, what);
	FUZZ_CHECK(err->msg[0] != '\0', what);
	rsim_error_format(err, line, sizeof(line));
	fuzz_check_line(line, what);
}

static const char fixed_manifest[] =
	"apiVersion: apps/v1\n"
	"kind: Deployment\n"
	"metadata:\n"
	"  name: fuzz\n"
	"spec:\n"
	"  replicas: 2\n"
	"  template:\n"
	"    spec:\n"
	"      containers:\n"
	"        - name: app\n"
	"          image: app:1\n";

static int redirect(cJSON *node, int inside, const char *path)
{
	cJSON *c;
	int n = 0;

	if (inside && cJSON_IsString(node)) {
		FUZZ_CHECK(cJSON_SetValuestring(node, path) != NULL,
			   "cJSON_SetValuestring");
		return 1;
	}
	for (c = node->child; c; c = c->next)
		n += redirect(c, inside || (c->string &&
					    strstr(c->string, "manifest")),
			      path);
	return n;
}

int fuzz_redirect_manifests(cJSON *root)
{
	const char *path = fuzz_memfile(1, fixed_manifest,
					 sizeof(fixed_manifest) - 1);

	return root ? redirect(root, 0, path) : 0;
}

/* What the sweep code assumes of a plan it runs. */
void fuzz_check_plan(const struct sweep_plan *p)
{
	int32_t i;

	FUZZ_CHECK(p->n_points >= 1, "plan without points");
	FUZZ_CHECK(p->replications >= 1, "plan replications < 1");
	FUZZ_CHECK((int64_t)p->n_points * p->replications <= INT32_MAX,
		   "plan run count overflows int32");
	FUZZ_CHECK(p->baseline >= 0 && p->baseline < p->n_points,
		   "plan baseline out of range");
	FUZZ_CHECK(p->plan_json != NULL, "plan without sweep.json text");
	for (i = 0; i < p->n_points; i++) {
		const struct sweep_point *pt = &p->points[i];

		FUZZ_CHECK(pt->variant >= -1 && pt->variant < p->n_variants,
			   "point variant out of range");
		if (!pt->valid)
			fuzz_check_line(pt->error, "sweep point error");
	}
}

double fuzz_grid_points(const cJSON *root)
{
	const cJSON *sw = cJSON_GetObjectItemCaseSensitive(root, "sweep");
	const cJSON *vary = cJSON_GetObjectItemCaseSensitive(sw, "vary");
	const cJSON *vs = cJSON_GetObjectItemCaseSensitive(sw, "variants");
	const cJSON *l;
	double n = cJSON_IsArray(vs) && cJSON_GetArraySize(vs) > 0
		   ? cJSON_GetArraySize(vs) : 1;

	if (!cJSON_IsObject(vary))
		return n;
	cJSON_ArrayForEach(l, vary)
		if (cJSON_IsArray(l) && cJSON_GetArraySize(l) > 0)
			n *= cJSON_GetArraySize(l);
	return n;
}

int fuzz_plan_too_slow(const cJSON *root)
{
	double n = root ? fuzz_grid_points(root) : 1;

	return n > FUZZ_GRID_MAX && n <= INT32_MAX;
}
