/* scenario_calib.h - reads kubectl's JSON dumps for calibrate.
 *
 * `kubectl get pods -o json` (a List of Pods), optionally `kubectl get
 * events -o json` (an EventList, or a List of Events) and `kubectl get
 * deploy NAME -o json` (a Deployment), each recognised by its kind, into
 * one record of timestamps per pod. Every missing field or out-of-order
 * timestamp is an RSIM_EINPUT error naming the file, the item and the
 * pod.
 */
#ifndef RSIM_SCENARIO_CALIB_H
#define RSIM_SCENARIO_CALIB_H

#include <stddef.h>

#include "sim/core/err.h"

#define CALIB_FILES_MAX 3

struct calib_pod {
	char name[254];       /* metadata.name */
	char image[256];      /* spec.containers[0].image */
	char hash[64];        /* labels.pod-template-hash, "" when absent */
	int item;             /* index in the pods file's items */
	double created;       /* creationTimestamp, seconds since the epoch */
	double scheduled;     /* PodScheduled's lastTransitionTime */
	double started;       /* containerStatuses[0].state.running.startedAt */
	double ready;         /* Ready's lastTransitionTime */
	double pull;          /* seconds from the Pulled event, -1 unknown */
	const char *skip;     /* why it is no sample, NULL when it is one */
};

/* A pod of the dump that gives no sample, and why. */
struct calib_skip {
	char name[254];
	const char *why;      /* "terminating", "not Ready", "not running",
				 "restarted" */
};

struct calib_input {
	struct calib_pod *pods;   /* rsim_malloc'd; free() */
	size_t n;
	struct calib_skip *skipped; /* pods left out; rsim_malloc'd; free() */
	size_t n_skipped;
	const char *pods_file;
	int have_events;          /* an events dump was given */
	size_t pulled_cached;     /* Pulled events "already present" */
	int have_probe;           /* the Deployment has a readinessProbe */
	double probe_delay, probe_period;   /* seconds */
};

/* Reads files[0..n) (1 to CALIB_FILES_MAX, exactly one of them pods).
 * 0, or RSIM_EINPUT / RSIM_ENOMEM with err filled (nothing in *in). */
int scenario_calib_read(const char *const *files, int n,
			struct calib_input *in, struct rsim_error *err);

/* An RFC 3339 time ("2026-12-04T10:00:03Z", optional fraction, Z or
 * +hh:mm) in seconds since the epoch into *t; -1 when it is not one. */
int scenario_calib_time(const char *s, double *t);

/* A Go duration as the kubelet prints it ("3.2s", "512ms", "1m2.5s")
 * in seconds into *t; -1 when it is not one. */
int scenario_calib_goduration(const char *s, double *t);

#endif
