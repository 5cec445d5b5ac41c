/* world.h - one simulation run of the Kubernetes world.
 *
 * A world owns the engine, the random streams, the pods, the ReplicaSets
 * and the Deployment of one run (every piece of the run's mutable state
 * hangs off it). It knows nothing of JSON or files: the
 * scenario loader fills a struct world_config, report.c subscribes to the
 * observer callbacks and reads world_metrics() at the end.
 */
#ifndef RSIM_WORLD_H
#define RSIM_WORLD_H

#include <stddef.h>
#include <stdint.h>

#include "sim/core/dist.h"
#include "sim/core/engine.h"
#include "cluster.h"
#include "deployment.h"
#include "pod.h"
#include "service.h"
#include "traffic.h"

enum world_action {
	ACTION_SET_IMAGE = 0,   /* kubectl set image */
	ACTION_APPLY,           /* kubectl apply of a partial deployment */
	ACTION_SCALE,           /* kubectl scale --replicas */
	ACTION_PAUSE,           /* kubectl rollout pause */
	ACTION_RESUME,          /* kubectl rollout resume */
	ACTION_UNDO,            /* kubectl rollout undo [--to-revision] */
	ACTION_DELETE_POD,      /* kubectl delete pod */
	ACTION_DRAIN_NODE,      /* kubectl drain NODE */
	ACTION_PROMOTE,         /* kubectl argo rollouts promote [--full]
				   (Flagger: confirm-promotion) */
	ACTION_ABORT,           /* kubectl argo rollouts abort */
	ACTION_RETRY            /* kubectl argo rollouts retry rollout */
};

/* How deletePod chooses its pod. */
enum pod_pick {
	PICK_NAME = 0,          /* the pod called pod */
	PICK_RANDOM,            /* a random active pod of revision */
	PICK_OLDEST             /* the oldest active pod of revision */
};

/* A scheduled user action. */
struct world_event {
	sim_time_t at_ns;              /* when */
	enum world_action action;      /* what */
	int image;                     /* setImage: index into images */
	int32_t replicas;              /* scale */
	int32_t to_revision;           /* rolloutUndo: 0 = the previous one */
	struct deploy_patch patch; /* apply */
	char pod[96];                  /* deletePod by name */
	int32_t revision;              /* deletePod by revision (pick) */
	enum pod_pick pick;            /* deletePod */
	int32_t node;                  /* drainNode: index into cluster.nodes */
	int full;                      /* promote: --full */
};

struct world_config {
	char name[128];                   /* scenario name */
	uint64_t seed;                    /* scenario seed */
	sim_time_t until_ns;              /* end of the simulation */
	struct deploy_config deployment;
	struct image_config *images;      /* owned */
	size_t n_images;
	struct world_event *events;       /* owned, sorted by at_ns (stable) */
	size_t n_events;
	struct dist sync_delay;           /* controllers.syncDelay */
	struct cluster_config cluster;    /* cluster */
	struct network_config network;    /* network */
	struct traffic_config traffic;    /* traffic */
};

/* Defaults: seed 1, until 15 min, deployment defaults, no images/events. */
void world_config_init(struct world_config *c);
void world_config_release(struct world_config *c);
/* Index of the image called name, or -1. */
int world_config_find_image(const struct world_config *c, const char *name);
/* 1 when a release of c may answer with server errors: an image, the
 * deployment's template keys or an apply event's sets errorRate above 0
 * (traffic.csv's app_error column). */
int world_config_app_errors(const struct world_config *c);

/* Pod counts at one instant, as timeline.csv shows them. "old" and "new"
 * are relative to the Deployment's current new ReplicaSet; pods and ready
 * count active (non-terminating) pods only. */
struct world_counts {
	int32_t revision;     /* the Deployment's revision */
	int32_t old_pods;     /* active pods of old ReplicaSets */
	int32_t new_pods;     /* active pods of the new ReplicaSet */
	int32_t old_ready;
	int32_t new_ready;
	int32_t available;    /* active pods that are Available */
	int32_t terminating;  /* pods being deleted, not yet gone */
	int32_t pending;      /* active pods not yet running */
	int32_t endpoints;    /* ready, non-terminating pods in the Service */
	int32_t desired_old;  /* sum of old ReplicaSets' spec.replicas */
	int32_t desired_new;  /* new ReplicaSet's spec.replicas */
	/* progressive strategies only (0 otherwise; timeline.csv shows
	 * them for those strategies): the stable (Argo canary), active
	 * (blueGreen) or primary (Flagger) side and the canary (preview)
	 * side, and the share of requests meant for the new version */
	int32_t stable_pods;     /* active pods of the stable side */
	int32_t canary_pods;     /* active pods of the canary side */
	int32_t stable_revision; /* revision of the stable side's RS, 0 */
	int32_t canary_revision; /* revision of the canary side's RS, 0 */
	int32_t canary_weight;   /* percent: Argo's current setWeight,
				    Flagger's weight, blueGreen 0 or 100 */
};

#define WORLD_REV_MAX 64

/* One rollout: a change of the pod template (setImage, an apply that
 * changes the template, rolloutUndo) up to its completion, the next
 * template change (a roll-over) or the end of the run. Template changes
 * made while the Deployment is paused, before the controller has given the
 * waiting template a ReplicaSet, join that waiting rollout: the resume
 * rolls them out together as one revision. */
struct world_rollout {
	int32_t revision;          /* the revision its template got; -1 if
				      no ReplicaSet ever carried it */
	sim_time_t triggered_ns;   /* the (first) template change */
	sim_time_t completed_ns;   /* DeploymentComplete, -1 if not */
	sim_time_t ended_ns;       /* end of its window: completion or the
				      next template change; -1 = open */
	int complete;              /* completed within its window */
	int deadline_exceeded;     /* ProgressDeadlineExceeded in it */
	int32_t min_available;     /* over its window */
	int32_t max_non_terminating;
	uint64_t outcome[OUTCOME_COUNT]; /* final outcomes of the requests
					    that arrived in its window */
};

/* What a release did to users and what it cost (summary.json
 * `exposure`, `delivery`, `cost`). "The new version" is every pod
 * template other than the one the run started with. Times in ns from
 * the start of the run; -1 = never. */
struct delivery_metrics {
	int progressive;           /* canary, blueGreen or Flagger */
	sim_time_t promoted_ns;    /* the new version became the stable one
				      and takes all traffic (a Deployment:
				      its rollout completed) */
	sim_time_t detected_ns;    /* analysis failed and the controller
				      decided to abort / roll back */
	sim_time_t rolled_back_ns; /* after that: no request goes to the
				      new version any more */
	int aborted;               /* aborted or rolled back */
	int32_t measurements;      /* analysis measurements taken */
	int32_t failed_measurements; /* of which failed */
	uint64_t new_requests;     /* requests answered by new-version pods */
	uint64_t new_requests_before_promotion; /* of which before
						   promoted_ns */
	uint64_t new_failed;       /* requests that failed at a new-version
				      pod (final outcome) */
	uint64_t new_outcome[OUTCOME_COUNT]; /* their outcomes */
	double extra_pod_seconds;  /* integral of (pods that exist -
				      spec.replicas) over the run: the
				      price of surge, previews, primaries */
};

/* What a run measured (summary.json). Times in ns; -1 = never. */
struct world_metrics {
	sim_time_t triggered_ns;   /* first rollout trigger, -1 if none */
	sim_time_t completed_ns;   /* completion of the last rollout, or -1 */
	int complete;              /* last rollout complete by the end */
	int deadline_exceeded;     /* ProgressDeadlineExceeded was reported
				      at any time of the run */
	int32_t max_total;         /* all pods incl. terminating, in window */
	int32_t max_non_terminating;
	int32_t min_available;
	double pod_seconds;        /* integral of existing pods over the run */
	double time_full_frac;     /* fraction of the window with
				      available >= replicas */
	double time_below_min_s;   /* seconds in the window with available <
				      replicas - maxUnavailable */
	sim_time_t window_start_ns, window_end_ns;
	int32_t pods_created;
	uint64_t events;           /* engine events executed */
	int32_t revision;          /* the Deployment's revision at the end */
	int32_t restarts;          /* container restarts, all pods */
	int32_t replicas;          /* spec.replicas at the end */
	enum strategy_type strategy; /* strategy.type at the end */
	int32_t max_surge;         /* resolved maxSurge at the end */
	int32_t max_unavailable;   /* resolved maxUnavailable at the end */
	int32_t max_pending;       /* pods not yet running, in the window */
	double mean_available;     /* time-weighted, over the window */
	double mean_endpoints;     /* time-weighted, over the window */
	int traffic;               /* 1 when the scenario has traffic */
	struct traffic_counts requests;        /* whole run */
	struct traffic_counts requests_window; /* arrived in the rollout
						  window */
	uint64_t requests_before[OUTCOME_COUNT]; /* final outcomes of the
						    requests that arrived
						    before the first rollout
						    (all, without one) */
	double mean_in_flight;     /* time-weighted requests in the pods */
	int32_t n_revisions;       /* entries of rev_pod_seconds */
	double rev_pod_seconds[WORLD_REV_MAX]; /* pod-seconds of revision
						  i + 1, by the revision a
						  pod's ReplicaSet had while
						  it existed (the last entry
						  also takes later ones) */
	const char *progressing;   /* Progressing condition at the end:
				      "True NewReplicaSetAvailable", ... */
	const char *available;     /* Available condition at the end:
				      "True MinimumReplicasAvailable", ... */
	struct delivery_metrics delivery;
	const struct world_rollout *rollouts; /* in trigger order; borrowed
						 from the world: valid until
						 world_free */
	int32_t n_rollouts;
};

/* A pod as the API server stores it, after one of its changes: what a
 * watch of pods delivers (pods.csv, kubectl get pods). */
struct world_pod_view {
	const char *name;
	const char *rs;              /* owning ReplicaSet */
	int32_t revision;            /* the ReplicaSet's revision then */
	int32_t image;               /* index into cfg->images: the version */
	const char *node;            /* "" before it is bound */
	const char *status;          /* kubectl's STATUS column (printPod) */
	int32_t ready;               /* ready containers */
	int32_t containers;          /* containers of the pod */
	int32_t restarts;            /* sum of restart counts */
	sim_time_t created_ns;       /* creationTimestamp: AGE */
	sim_time_t last_exit_ns;     /* lastState.terminated.finishedAt: the
					exit before the running (or last)
					container instance, -1 before the
					first restart (RESTARTS "N (Xs ago)") */
	const char *change;          /* what changed, one word (README,
					pods.csv): created, unschedulable,
					scheduled, creating, pullfailed,
					pullbackoff, started, restarted,
					ready, unready, exited, backoff,
					terminating, stopped, deleted */
	int deleted;                 /* the object is gone (a DELETED event) */
};

/* A ReplicaSet as stored, after one of its changes (kubectl get rs). */
struct world_rs_view {
	const char *name;
	int32_t revision;            /* deployment.kubernetes.io/revision */
	int32_t image;               /* index into cfg->images */
	int32_t desired;             /* spec.replicas */
	int32_t current;             /* status.replicas */
	int32_t ready;               /* status.readyReplicas */
	int32_t available;           /* status.availableReplicas */
	sim_time_t created_ns;
	int deleted;                 /* removed by history cleanup */
	int32_t template;            /* its pod template's index in the run */
};

/* The Deployment as stored, after one of its changes (spec or status):
 * what `kubectl rollout status` and `describe` read. */
struct world_deploy_view {
	const char *name;
	int64_t generation;          /* metadata.generation */
	int64_t observed_generation; /* status.observedGeneration */
	int32_t replicas;            /* spec.replicas */
	int32_t st_replicas;         /* status.replicas */
	int32_t updated;             /* status.updatedReplicas */
	int32_t ready;               /* status.readyReplicas */
	int32_t available;           /* status.availableReplicas */
	int32_t unavailable;         /* status.unavailableReplicas */
	int32_t revision;            /* deployment.kubernetes.io/revision */
	int32_t image;               /* the template's image */
	int paused;                  /* spec.paused */
	const char *progressing;     /* "True NewReplicaSetAvailable", "" */
	const char *available_cond;  /* "True MinimumReplicasAvailable", "" */
	sim_time_t created_ns;
	int32_t template;            /* the pod template's index in the run:
					a change is a rollout's trigger */
	const char *new_rs;          /* the new ReplicaSet's name, "" */
	const struct deploy_config *spec; /* the whole spec (strategy,
					     template overrides, ...) */
};

/* Who decided (rollsim explain). */
enum world_actor {
	ACTOR_DEPLOYMENT = 0,        /* the Deployment controller */
	ACTOR_REPLICASET,            /* the ReplicaSet controller */
	ACTOR_KUBELET,               /* a node's kubelet: probes, signals */
	ACTOR_ENDPOINTS,             /* EndpointSlice controller, kube-proxy */
	ACTOR_SCHEDULER,             /* kube-scheduler */
	ACTOR_USER                   /* kubectl */
};

/* Observers (all optional). Strings are only valid during the call. */
struct world_observer {
	void *ctx;
	/* a Kubernetes event: type "Normal"/"Warning", reason, object
	 * ("deployment/flask-app", "pod/flask-app-...-x7k2p"), message */
	void (*on_event)(void *ctx, sim_time_t t_ns, const char *type,
			 const char *reason, const char *object,
			 const char *message);
	/* the counts changed */
	void (*on_counts)(void *ctx, sim_time_t t_ns,
			  const struct world_counts *c);
	/* a second of traffic ended */
	void (*on_traffic)(void *ctx, const struct traffic_row *r);
	/* a pod, a ReplicaSet or the Deployment changed as stored */
	void (*on_pod)(void *ctx, sim_time_t t_ns,
		       const struct world_pod_view *p);
	void (*on_rs)(void *ctx, sim_time_t t_ns,
		      const struct world_rs_view *r);
	void (*on_deploy)(void *ctx, sim_time_t t_ns,
			  const struct world_deploy_view *d);
	/* a decision and its reason, in words with the arithmetic
	 * ("maxSurge 25% of 5 = 1.25, rounded up: 2 ..."): one line, the
	 * object it is about ("replicaset/flask-app-6b9c7d5f8d") */
	void (*on_decision)(void *ctx, sim_time_t t_ns, enum world_actor who,
			    const char *object, const char *text);
};

typedef struct world world;

/* Builds a run for cfg (borrowed; must outlive the world), replication
 * index rep. Returns 0 and *out, or RSIM_ENOMEM. */
int world_new(const struct world_config *cfg, uint32_t rep,
	      const struct world_observer *obs, world **out);
void world_free(world *w);

/* Runs until cfg->until_ns. Returns 0 or an RSIM_E* code: RSIM_EINPUT when
 * the controllers asked for more than DEPLOY_PODS_MAX pods. */
int world_run(world *w);
/* What a code of world_run means, for "simulation failed: ...". */
const char *world_strerror(int code);

void world_get_counts(const world *w, struct world_counts *c);
void world_get_metrics(const world *w, struct world_metrics *m);


#endif
