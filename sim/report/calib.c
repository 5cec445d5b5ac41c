/* calib.c - the calibrate command (calib.h): per image, the durations
 * kubectl's timestamps show, each fitted by calib_fit_all, printed as a
 * report and written as the scenario's "images" section.
 *
 * Fields: scheduling delay (PodScheduled - creation; the cluster's, so
 * only reported), pull (the Pulled event's duration), containerStart
 * (startedAt - PodScheduled - pull), time to Ready (Ready - startedAt,
 * reported) and startup (time to Ready less half a readiness period,
 * the mean wait for the probe that sees the app up).
 */
#include "sim/report/calib.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "sim/core/alloc.h"
#include "sim/scenario/calib_fit.h"
#include "sim/scenario/scenario_calib.h"

enum { F_SCHED, F_PULL, F_START, F_READY, F_STARTUP, N_FIELDS };

static const char *const field_name[N_FIELDS] = {
	"scheduling", "pull", "containerStart", "timeToReady", "startup"
};
/* written to the images section (the others are only reported) */
static const int field_written[N_FIELDS] = { 0, 1, 1, 0, 1 };

/* The sample of field f over the pods of image into x; its size. */
static size_t field_sample(const struct calib_input *in, const char *image,
			   int f, double *x)
{
	size_t i, n = 0;

	for (i = 0; i < in->n; i++) {
		const struct calib_pod *p = &in->pods[i];
		double pull = p->pull < 0 ? 0 : p->pull, v;

		if (strcmp(p->image, image) != 0)
			continue;
		if ((f == F_PULL || (f == F_START && in->have_events)) &&
		    p->pull < 0)
			continue;   /* no Pulled event for this pod */
		switch (f) {
		case F_SCHED: v = p->scheduled - p->created; break;
		case F_PULL: v = p->pull; break;
		case F_START: v = p->started - p->scheduled - pull; break;
		case F_READY: v = p->ready - p->started; break;
		default:
			v = p->ready - p->started -
			    (in->have_probe ? in->probe_period / 2 : 0);
			if (in->have_probe && v < in->probe_delay)
				v = p->ready - p->started;
			break;
		}
		x[n++] = v;
	}
	return n;
}

static double round4(double v)
{
	char b[32];

	snprintf(b, sizeof(b), "%.4g", v);
	return strtod(b, NULL);
}

static cJSON *dur(double s)
{
	char b[40];

	snprintf(b, sizeof(b), "%.3fs", s < 0 ? 0 : s);
	return cJSON_CreateString(b);
}

/* The scenario's distribution object for the chosen fit. */
static cJSON *dist_json(int fam, const struct calib_fit *f, const double *x,
			size_t n)
{
	cJSON *o = cJSON_CreateObject(), *a;
	size_t i;

	switch (fam) {
	case CALIB_LOGNORMAL:
		cJSON_AddStringToObject(o, "dist", "lognormal");
		cJSON_AddItemToObject(o, "median", dur(f->p[0]));
		cJSON_AddNumberToObject(o, "sigma", round4(f->p[1]));
		break;
	case CALIB_GAMMA:
		cJSON_AddStringToObject(o, "dist", "gamma");
		cJSON_AddItemToObject(o, "mean", dur(f->p[0]));
		cJSON_AddNumberToObject(o, "shape", round4(f->p[1]));
		break;
	case CALIB_WEIBULL:
		cJSON_AddStringToObject(o, "dist", "weibull");
		cJSON_AddItemToObject(o, "scale", dur(f->p[0]));
		cJSON_AddNumberToObject(o, "shape", round4(f->p[1]));
		break;
	default:
		cJSON_AddStringToObject(o, "dist", "empirical");
		a = cJSON_AddArrayToObject(o, "samples");
		for (i = 0; i < n; i++)
			cJSON_AddItemToArray(a, dur(x[i]));
		break;
	}
	return o;
}

static const char *param_names(int fam, int k)
{
	static const char *const names[CALIB_N_FAMILIES][2] = {
		{ "median", "sigma" }, { "mean", "shape" },
		{ "scale", "shape" }, { "shift", "mean" }, { "", "" }
	};

	return names[fam][k];
}

static void report_text(FILE *rep, const char *field, size_t n,
			const struct calib_fit *fits, int best, int written)
{
	int f;

	fprintf(rep, "  %s: n=%zu%s\n", field, n,
		written ? "" : " (reported only)");
	fprintf(rep, "    %-20s %-28s %10s %10s %7s %7s\n", "family",
		"parameters", "loglik", "AIC", "KS D", "KS p");
	for (f = 0; f < CALIB_N_FAMILIES; f++) {
		const struct calib_fit *c = &fits[f];
		char par[64];

		if (f == CALIB_EMPIRICAL)
			snprintf(par, sizeof(par), "%zu samples", n);
		else if (!c->ok)
			snprintf(par, sizeof(par), "-");
		else if (f == CALIB_LOGNORMAL || f == CALIB_SHEXP)
			snprintf(par, sizeof(par), "%s=%.3fs %s=%.4g%s",
				 param_names(f, 0), c->p[0], param_names(f, 1),
				 c->p[1], f == CALIB_SHEXP ? "s" : "");
		else
			snprintf(par, sizeof(par), "%s=%.3fs %s=%.4g",
				 param_names(f, 0), c->p[0], param_names(f, 1),
				 c->p[1]);
		if (c->ok && f != CALIB_EMPIRICAL)
			fprintf(rep, "  %c %-20s %-28s %10.2f %10.2f %7.4f "
				"%7.4f%s%s\n", f == best ? '*' : ' ',
				calib_family_name(f), par, c->loglik, c->aic,
				c->ks_d, c->ks_p, c->note ? "  " : "",
				c->note ? c->note : "");
		else
			fprintf(rep, "  %c %-20s %-28s %10s %10s %7s %7s  %s\n",
				f == best ? '*' : ' ', calib_family_name(f),
				par, "-", "-", "-", "-",
				c->note ? c->note : "");
	}
}

static cJSON *report_json(size_t n, const struct calib_fit *fits, int best,
			  int written)
{
	cJSON *o = cJSON_CreateObject(), *arr;
	int f;

	cJSON_AddNumberToObject(o, "n", (double)n);
	cJSON_AddBoolToObject(o, "written", written);
	cJSON_AddStringToObject(o, "chosen", calib_family_name(best));
	arr = cJSON_AddArrayToObject(o, "fits");
	for (f = 0; f < CALIB_N_FAMILIES; f++) {
		const struct calib_fit *c = &fits[f];
		cJSON *e = cJSON_CreateObject();

		cJSON_AddStringToObject(e, "family", calib_family_name(f));
		cJSON_AddBoolToObject(e, "ok", c->ok);
		if (c->ok && f != CALIB_EMPIRICAL) {
			cJSON_AddNumberToObject(e, param_names(f, 0), c->p[0]);
			cJSON_AddNumberToObject(e, param_names(f, 1), c->p[1]);
			cJSON_AddNumberToObject(e, "loglik", c->loglik);
			cJSON_AddNumberToObject(e, "aic", c->aic);
			cJSON_AddNumberToObject(e, "ksD", c->ks_d);
			cJSON_AddNumberToObject(e, "ksP", c->ks_p);
		}
		if (c->note)
			cJSON_AddStringToObject(e, "note", c->note);
		cJSON_AddItemToArray(arr, e);
	}
	return o;
}

/* text to path through path.tmp and rename: a reader sees the old file
 * or the whole new one, never a part. */
static int write_atomic(const char *path, const char *text,
			struct rsim_error *err)
{
	char tmp[4200];
	FILE *f;
	int e = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp%ld", path, (long)getpid()) >=
	    (int)sizeof(tmp))
		return rsim_error_set(err, RSIM_EINPUT, path, "",
				      "file name too long");
	f = fopen(tmp, "w");
	if (!f)
		return rsim_error_set(err, RSIM_EIO, path, "", "cannot write: "
				      "%s", strerror(errno));
	if (fputs(text, f) == EOF || fflush(f) || fsync(fileno(f)))
		e = errno ? errno : EIO;
	if (fclose(f) && !e)
		e = errno;
	if (!e && rename(tmp, path))
		e = errno;
	if (e) {
		remove(tmp);
		return rsim_error_set(err, RSIM_EIO, path, "", "cannot write: "
				      "%s", strerror(e));
	}
	return 0;
}

static int fit_image(const struct calib_input *in, const char *image,
		     double *x, cJSON *img_out, cJSON *rep_json, FILE *rep,
		     struct rsim_error *err)
{
	int f;

	for (f = 0; f < N_FIELDS; f++) {
		struct calib_fit fits[CALIB_N_FAMILIES];
		size_t n;
		int best;

		if (f == F_PULL && !in->have_events)
			continue;
		n = field_sample(in, image, f, x);
		if (n < CALIB_MIN_SAMPLES) {
			if (!field_written[f] || (f == F_PULL && n == 0))
				continue;
			return rsim_error_set(err, RSIM_EINPUT, in->pods_file,
				"", "image %s: %s: %zu samples, need at "
				"least %d", image, field_name[f], n,
				CALIB_MIN_SAMPLES);
		}
		best = calib_fit_all(x, n, fits);
		if (rep_json)
			cJSON_AddItemToObject(rep_json, field_name[f],
				report_json(n, fits, best, field_written[f]));
		else
			report_text(rep, field_name[f], n, fits, best,
				    field_written[f]);
		if (field_written[f])
			cJSON_AddItemToObject(img_out, field_name[f],
					      dist_json(best, &fits[best], x, n));
	}
	return 0;
}

#define CALIB_SKIP_SHOWN 5        /* skipped pods named in the report */

/* "skipped 3 pods: a (not Ready), b (terminating), c (restarted)". */
static void skipped_text(FILE *f, const struct calib_input *in)
{
	size_t i;

	if (!in->n_skipped)
		return;
	fprintf(f, "skipped %zu pod%s (no sample of a start):",
		in->n_skipped, in->n_skipped == 1 ? "" : "s");
	for (i = 0; i < in->n_skipped && i < CALIB_SKIP_SHOWN; i++)
		fprintf(f, "%s %s (%s)", i ? "," : "", in->skipped[i].name,
			in->skipped[i].why);
	if (in->n_skipped > CALIB_SKIP_SHOWN)
		fprintf(f, ", ...");
	fputc('\n', f);
}

/* "skipped": [{"pod": NAME, "why": WHY}, ...] */
static int skipped_json(cJSON *rj, const struct calib_input *in)
{
	cJSON *arr = cJSON_AddArrayToObject(rj, "skipped");
	size_t i;

	for (i = 0; arr && i < in->n_skipped; i++) {
		cJSON *o = cJSON_CreateObject();

		if (!o || !cJSON_AddItemToArray(arr, o) ||
		    !cJSON_AddStringToObject(o, "pod", in->skipped[i].name) ||
		    !cJSON_AddStringToObject(o, "why", in->skipped[i].why))
			return -1;
	}
	return arr ? 0 : -1;
}

int calib_run(const char *const *files, int n, const char *out, int json,
	      FILE *rep, struct rsim_error *err)
{
	struct calib_input in;
	cJSON *doc = NULL, *images, *rj = NULL, *rimg = NULL;
	char *text = NULL;
	double *x = NULL;
	size_t i, j;
	int rc = scenario_calib_read(files, n, &in, err);
	FILE *mem = NULL;
	char *memtext = NULL;
	size_t memlen = 0;

	if (rc)
		return rc;
	x = rsim_malloc(in.n * sizeof(*x));
	doc = cJSON_CreateObject();
	images = cJSON_AddObjectToObject(doc, "images");
	if (json) {
		rj = cJSON_CreateObject();
		cJSON_AddNumberToObject(rj, "pods", (double)in.n);
		if (skipped_json(rj, &in)) {
			rc = rsim_error_set(err, RSIM_ENOMEM, "", "",
					    "out of memory");
			goto done;
		}
		cJSON_AddBoolToObject(rj, "events", in.have_events);
		rimg = cJSON_AddObjectToObject(rj, "images");
	} else {
		/* the report goes to memory first: nothing is printed when a
		 * later image fails */
		mem = open_memstream(&memtext, &memlen);
	}
	if (!x || !doc || (json && !rj) || (!json && !mem)) {
		rc = rsim_error_set(err, RSIM_ENOMEM, "", "", "out of memory");
		goto done;
	}
	if (!json) {
		fprintf(mem, "%zu pods from %s%s%s\n", in.n, in.pods_file,
			in.have_events ? ", with events" : ", no events "
			"(pull not separated from containerStart)",
			in.have_probe ? "" : ", no readiness probe known "
			"(startup = time to Ready)");
		skipped_text(mem, &in);
		if (in.pulled_cached)
			fprintf(mem, "%zu Pulled events say the image was "
				"already present: not pull samples\n",
				in.pulled_cached);
	}
	for (i = 0; i < in.n && !rc; i++) {
		const char *image = in.pods[i].image;
		cJSON *io, *ro = NULL;

		for (j = 0; j < i; j++)
			if (strcmp(in.pods[j].image, image) == 0)
				break;
		if (j < i)
			continue;
		io = cJSON_AddObjectToObject(images, image);
		if (json)
			ro = cJSON_AddObjectToObject(rimg, image);
		else
			fprintf(mem, "image %s (pod-template-hash %s)\n",
				image, in.pods[i].hash[0] ? in.pods[i].hash :
				"-");
		rc = fit_image(&in, image, x, io, ro, mem, err);
	}
	if (rc)
		goto done;
	text = cJSON_Print(doc);
	if (!text) {
		rc = rsim_error_set(err, RSIM_ENOMEM, "", "", "out of memory");
		goto done;
	}
	if (out) {
		size_t l = strlen(text);
		char *t2 = rsim_malloc(l + 2);

		if (!t2) {
			rc = rsim_error_set(err, RSIM_ENOMEM, "", "",
					    "out of memory");
			goto done;
		}
		memcpy(t2, text, l);
		memcpy(t2 + l, "\n", 2);
		rc = write_atomic(out, t2, err);
		free(t2);
		if (rc)
			goto done;
	}
	if (json) {
		char *r = cJSON_Print(rj);

		if (r)
			fprintf(rep, "%s\n", r);
		free(r);
	} else {
		fclose(mem);
		mem = NULL;
		fputs(memtext, rep);
		if (out)
			fprintf(rep, "wrote %s\n", out);
	}
done:
	if (mem)
		fclose(mem);
	free(memtext);
	free(text);
	cJSON_Delete(doc);
	cJSON_Delete(rj);
	free(x);
	free(in.pods);
	free(in.skipped);
	return rc;
}
