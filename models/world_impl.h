/* world_impl.h - the inside of a run, shared by the models' .c files.
 *
 * Only the .c files of models/ include this. Each model owns its part: pod.c
 * the pod table, replicaset.c the ReplicaSets, deployment.c the Deployment
 * state, world.c the clock-level bookkeeping (counts, metrics, observers).
 * They talk through the functions declared here, not by writing each
 * other's fields: the Deployment controller scales ReplicaSets with
 * rs_scale() and raises a revision with rs_set_revision(), ReplicaSets
 * create and delete pods with pod_create() / pod_delete(), the scheduler
 * binds a pod to its node with pod_bound(). The status counters of a
 * ReplicaSet (active, ready, available, existing, pending) are written by
 * pod.c alone, where pods change state (pod_create, pod_set_ready,
 * pod_delete, pod_gone, ...); replicaset.c starts them at zero.
 *
 * Who calls whom (tools/models-graph.sh: file -> files it calls by name).
 * The models report to the run through the bus (bus.h) and tell the
 * modules above them through listeners world.c registers when it builds
 * the world (struct pod_listener, rs_listener, deploy_listener), so no
 * model calls one above it by name:
 *   world       -> actions deployment replicaset scheduler service
 *                  traffic pod template bus   (builds and wires the run)
 *   actions     -> deployment replicaset pod bus    (the user's kubectl)
 *   deployment  -> deployment_scale deploy_view replicaset template bus
 *   replicaset  -> pod template names bus
 *   scheduler   -> cluster pod bus
 *   service     -> bus
 *   traffic     -> pod bus
 *   pod <-> pod_probe <-> pod_stop, pod -> names bus (the kubelet: the
 *                  one cycle left)
 *   template    -> tmpl_field names bus
 *   pod pod_stop scheduler -> pod_view   (the pod as stored: on_pod)
 *   deployment, replicaset, pod, pod_probe, pod_stop, service, actions
 *               -> decide and its *_explain.c (the words of rollsim
 *                  explain, built only when on_decision is set)
 */
#ifndef RSIM_WORLD_IMPL_H
#define RSIM_WORLD_IMPL_H

#include <gsl/gsl_rng.h>

#include "bus.h"
#include "prog_impl.h"
#include "rs_index.h"
#include "world.h"

#define POD_NAME_MAX 96
#define RS_NAME_MAX 80

enum probe_kind {
	PROBE_STARTUP = 0,
	PROBE_READINESS,
	PROBE_LIVENESS,
	PROBE_KINDS
};

/* The fields a probe tick reads come first (one or two cache lines:
 * probe ticks are most of a large run's events); the name last. */
struct pod {
	int32_t tmpl;                /* its pod template (world template) */
	int32_t rs;                  /* owning ReplicaSet index */
	sim_time_t started_ns;       /* container start (T0), -1 before */
	struct probe_state probe[PROBE_KINDS];
	engine_handle probe_timer[PROBE_KINDS];
	uint64_t uid;                /* random, for deletion tie-breaks */
	enum pod_phase phase;
	unsigned started : 1;        /* startup probe passed (or none) */
	unsigned scheduled : 1;      /* bound to a node */
	unsigned running : 1;        /* container running */
	unsigned app_up : 1;         /* app able to answer */
	unsigned ready : 1;          /* Ready condition */
	unsigned available : 1;      /* Ready for minReadySeconds */
	unsigned terminating : 1;    /* deletionTimestamp set */
	unsigned killed : 1;         /* stopped by SIGKILL at grace period */
	int32_t restarts;            /* container restart count */
	int32_t deletion_cost;       /* pod-deletion-cost annotation */
	int32_t vx_pos;              /* position in its ReplicaSet's index */
	uint8_t vx_set;              /* enum rs_index_set */
	sim_time_t created_ns;
	sim_time_t scheduled_ns;      /* bound to a node */
	sim_time_t pull_started_ns;   /* the running pull began */
	sim_time_t ready_since_ns;   /* last Ready transition to True, -1 */
	sim_time_t deleted_ns;       /* deletion time, -1 before */
	unsigned ep_in : 1;          /* a ready endpoint of the Service */
	unsigned accepting : 1;      /* the app accepts new connections */
	unsigned sigterm : 1;        /* SIGTERM sent (deletion) */
	unsigned stopping : 1;       /* container being stopped (liveness) */
	unsigned waiting_image : 1;  /* waits for a pull on its node */
	unsigned unschedulable : 1;  /* PodScheduled False was written */
	uint8_t wait;                /* enum pod_wait: why the container is
					not running (pod_view.c) */
	int32_t node;                /* bound node, -1 before (or a node of
					its own when the cluster is off) */
	int32_t ep_pos[CONSUMER_COUNT]; /* position in each consumer's view
					   of its group */
	uint8_t group;               /* routing group (prog_impl.h), its
					ReplicaSet's at creation */
	sim_time_t finished_ns;      /* last container exit */
	sim_time_t last_term_ns;     /* lastState.terminated.finishedAt: the
					exit before the current container
					instance, -1 before any restart */
	sim_time_t backoff_ns;       /* CrashLoopBackOff entry, 0 = none */
	sim_time_t backoff_upd_ns;   /* the entry's last update */
	sim_time_t pull_backoff_ns;  /* ImagePullBackOff, 0 = none */
	engine_handle life_timer;    /* next lifecycle step */
	engine_handle crash_timer;   /* the container's own exit */
	engine_handle kill_timer;    /* SIGKILL at the grace period */
	engine_handle avail_timer;   /* minReadySeconds elapsed */
	char name[POD_NAME_MAX];
};

/* One consumer's view of the ready endpoints. */
struct ep_view {
	int32_t *pods;               /* pod indices, dense */
	int32_t n, cap;
};

/* A distinct pod template: an image with the Deployment's overrides.
 * ReplicaSets and pods refer to templates by index; two templates are
 * equal when their effective settings are (image_config_equal). */
struct pod_template {
	int image;                   /* index into cfg->images */
	struct pod_overrides ovr;    /* overrides (dists borrowed from cfg) */
	struct image_config eff;     /* image + overrides (borrowed dists) */
	uint32_t hash;               /* ComputeHash without collisionCount */
};

struct replicaset {
	char name[RS_NAME_MAX];
	int32_t tmpl;                /* pod template (world template) */
	int32_t revision;            /* deployment.kubernetes.io/revision */
	int32_t spec;                /* spec.replicas */
	int32_t desired_annot;       /* desired-replicas annotation */
	int32_t max_annot;           /* max-replicas annotation */
	sim_time_t min_ready_ns;     /* copied from the Deployment */
	engine_handle sync_timer;    /* pending delayed sync, or NONE */
	int32_t revision_seen;       /* revision at the last integration */
	int32_t existing_seen;       /* existing at the last integration */
	int32_t active;              /* status.replicas: non-terminating pods */
	int32_t ready;               /* status.readyReplicas */
	int32_t available;           /* status.availableReplicas */
	int32_t existing;            /* pods incl. terminating (not gone) */
	int32_t pending;             /* active pods not yet running */
	unsigned deleted : 1;        /* removed by history cleanup */
	uint8_t group;               /* routing group of its pods */
	uint8_t owner;               /* 0: the Deployment (or Rollout);
					1: Flagger's primary Deployment,
					which the Deployment's own sync
					leaves alone */
	sim_time_t created_ns;       /* creationTimestamp */
	unsigned shown : 1;          /* seen by the observer (on_rs) */
	int32_t shown_val[5];        /* spec, revision, active, ready,
					available the observer last saw */
	const char *shown_role;      /* and its role (world_rs_view) */
	struct rs_index vx;          /* its active pods for the deletion
					ranking (rs_index.h) */
};

/* Reasons of the Progressing condition (docs/kubernetes.md §7, §8). */
enum progress_reason {
	PROGRESS_NONE = 0,              /* no condition yet */
	PROGRESS_NEW_RS_CREATED,        /* True  NewReplicaSetCreated */
	PROGRESS_FOUND_NEW_RS,          /* True  FoundNewReplicaSet */
	PROGRESS_RS_UPDATED,            /* True  ReplicaSetUpdated */
	PROGRESS_NEW_RS_AVAILABLE,      /* True  NewReplicaSetAvailable */
	PROGRESS_DEADLINE_EXCEEDED,     /* False ProgressDeadlineExceeded */
	PROGRESS_PAUSED,                /* Unknown DeploymentPaused */
	PROGRESS_RESUMED                /* Unknown DeploymentResumed */
};

/* What the Deployment controller tells the run (world.c registers it):
 * a template change, the rollout complete, ProgressDeadlineExceeded. */
struct deploy_listener {
	void (*rollout_started)(void *data);
	void (*rollout_completed)(void *data);
	void (*deadline_exceeded)(void *data);
	void *data;
};

/* What a ReplicaSet tells its owner (world.c registers the Deployment
 * controller): its status counters moved. */
struct rs_listener {
	void (*status_changed)(void *data, int32_t rs);
	void *data;
};

/* What happens to a pod, for the modules that watch pods. world.c
 * registers them when it builds the world: the scheduler, the service,
 * traffic and the ReplicaSets, each with the callbacks it needs (the
 * others NULL); a notice goes to the listeners in that order. */
enum pod_news {
	POD_NEWS_CREATED,       /* to be scheduled */
	POD_NEWS_TERMINATING,   /* deletion began: its node's room counted */
	POD_NEWS_GONE,          /* removed: its node's room is freed */
	POD_NEWS_ENDPOINT,      /* Ready flipped, or deleted: the endpoints */
	POD_NEWS_SERVING,       /* may start or stop accepting requests */
	POD_NEWS_KILLED,        /* its requests in flight fail */
	POD_NEWS_RS_STATUS      /* arg is a ReplicaSet: its counters moved */
};

typedef void (*pod_listener_cb)(void *data, int32_t arg);

struct pod_listener {
	pod_listener_cb created, terminating, gone, endpoint, serving, killed,
			rs_status;
	void *data;
};

#define POD_LISTENERS_MAX 4

struct deploy_state {
	struct deploy_config spec;  /* current spec (events change it) */
	int32_t revision;               /* current revision annotation */
	int32_t new_rs;                 /* index of the new RS, -1 if none */
	int32_t tmpl;                   /* the current template's index */
	/* status as stored after the last sync (docs/kubernetes.md §7) */
	int32_t st_replicas, st_updated, st_ready, st_available;
	int32_t st_unavailable;         /* sum of specs - available, >= 0 */
	int64_t generation;             /* metadata.generation: spec changes */
	int64_t observed_generation;    /* written by each status write */
	enum progress_reason progress;  /* Progressing condition reason */
	sim_time_t progress_update_ns;  /* its lastUpdateTime */
	int available_cond;             /* Available condition: 1 True,
					   0 False, -1 not computed yet */
	sim_time_t available_since_ns;  /* its lastUpdateTime (Flagger's
					   deadline, flagger.c) */
	engine_handle sync_timer;       /* pending sync, or NONE */
	engine_handle deadline_timer;   /* pending deadline check */
	int32_t collision_count;        /* status.collisionCount, 0 = nil */
	char prog_shown[256];           /* the progressive fields of the
					   last view observed (deployment.c
					   prog_roles_changed) */
};

/* A request in flight: queued or served by a pod, or waiting to be
 * retried. Kept in a pool with a free list; links are pool indices. */
struct request {
	sim_time_t first_ns;         /* the first try's arrival */
	sim_time_t arrival_ns;       /* this try's arrival */
	int32_t pod;                 /* serving pod, -1 */
	int32_t next, prev;          /* queue / in-service list, free list */
	int32_t attempt;             /* 0 = first try */
	int32_t conn;                /* keep-alive connection, -1 */
	uint8_t state;               /* REQ_* of traffic.c */
	uint8_t timed_out;           /* the client gave up */
	uint8_t before;              /* arrived before the first rollout */
	int32_t rollout;             /* index of the rollout it arrived in
					(world.rollouts), -1 outside any */
	engine_handle done;          /* service completion */
	engine_handle timeout;       /* client deadline */
};

/* A pod's side of the traffic: concurrency slots and its FIFO queue. */
struct pod_serve {
	int32_t busy;                /* requests being served */
	int32_t queued;
	int32_t q_head, q_tail;      /* FIFO of queued requests */
	int32_t s_head;              /* requests being served */
};

/* A client's keep-alive connection. */
struct conn {
	int32_t pod;                 /* pinned pod, -1 closed */
	int32_t left;                /* requests left before it closes */
};

struct traffic_state {
	struct request *req;
	int32_t n_req, cap_req, free_head;
	struct pod_serve *ps;        /* by pod index */
	int32_t cap_ps;
	struct conn *conns;          /* traffic.connections.count */
	double rate;                 /* current arrival rate, per s */
	size_t next_step;            /* next schedule entry */
	int32_t rr;                  /* round-robin cursor */
	int32_t in_flight;           /* requests inside pods */
	double in_flight_area;       /* integral of in_flight, ns */
	sim_time_t in_flight_since;
	struct traffic_counts all, win;
	uint64_t before[OUTCOME_COUNT]; /* final outcomes of the requests
					   that arrived before the first
					   rollout */
	struct traffic_row row;      /* the second being counted */
	struct hist sec;             /* ok latencies of that second */
	gsl_rng *rng;                /* arrivals and routing */
	gsl_rng *rng_service;        /* service times */
	gsl_rng *rng_app;            /* app errors (errorRate > 0 only) */
	struct agg_state *agg;       /* traffic.mode aggregate, or NULL */
};

/* Extremes of the pod counts over a stretch of time. */
struct world_extremes {
	int32_t max_total;           /* pods incl. terminating */
	int32_t max_non_terminating;
	int32_t min_available;
	int32_t max_pending;         /* pods not yet running */
};

struct world {
	const struct world_config *cfg;
	uint32_t rep;                /* replication index */
	struct world_observer obs;
	struct bus bus;           /* world.c's hook (bus.h) */
	engine *eng;
	gsl_rng *rng_startup;   /* pull, startup, shutdown samples */
	gsl_rng *rng_names;     /* pod name suffixes and uids */
	gsl_rng *rng_probe;     /* probe flakiness (failureProbability) */

	struct pod *pods;       /* every pod ever created, by index */
	int32_t n_pods, cap_pods;
	int32_t *live;          /* indices of pods not yet gone, ascending;
				 * may hold gone pods (tombstones, phase
				 * POD_GONE): iterators skip them */
	int32_t n_live, cap_live;
	int32_t n_live_gone;    /* tombstones in live[] */

	struct replicaset *rs;  /* in creation order: oldest first */
	int32_t n_rs, cap_rs;

	struct deploy_state dep;
	struct deploy_listener dep_lis;
	struct rs_listener rs_lis;
	struct pod_listener pod_lis[POD_LISTENERS_MAX];
	int32_t n_pod_lis;

	struct pod_template *tmpls; /* distinct templates seen, by index */
	int32_t n_tmpls, cap_tmpls;
	gsl_rng *rng_user;      /* deletePod pick random */
	gsl_rng *rng_ctrl;      /* controller reaction delays */
	gsl_rng *rng_network;   /* endpoint propagation */
	gsl_rng *rng_sched;     /* scheduling latency */

	struct ep_view views[CONSUMER_COUNT][ROUTE_GROUPS];
	sim_time_t ep_last_delivery[CONSUMER_COUNT];
	int32_t ep_ready;       /* ready endpoints (EndpointSlice) */

	struct node_state *nodes;   /* cluster.nodes, by index */
	uint8_t *node_image;    /* [node * n_images + image]: present */
	sim_time_t *node_pull_end;  /* [same]: a pull in progress ends */
	int32_t *unsched;       /* pods waiting for room, FIFO */
	int32_t n_unsched, cap_unsched;
	engine_handle sched_retry;
	int32_t restarts;       /* container restarts, all pods */
	struct traffic_state tr;
	struct prog_state prog;     /* progressive strategies (prog_impl.h) */
	int32_t max_pending;

	/* bookkeeping of world.c */
	struct world_counts counts;
	int counts_valid;
	int32_t total_pods;     /* pods that exist, terminating included */
	sim_time_t last_change_ns;
	int rollout_active;     /* a rollout is in progress */
	int in_window;
	struct world_rollout *rollouts; /* one per rollout (world.h) */
	int32_t n_rollouts, cap_rollouts;
	int32_t open_rollout;   /* index of the one in progress, or -1 */
	double rev_pod_ns[WORLD_REV_MAX]; /* pod-seconds (ns) by revision */
	int32_t n_rev_seen;     /* highest revision integrated */
	struct world_metrics m;
	struct world_extremes all;  /* over the whole run */
	struct world_extremes win;  /* over the rollout window */
	double full_ns, below_min_ns, pod_ns, window_ns; /* integrals */
	double avail_ns, endpoints_ns;   /* integrals over the window */
	double avail_all_ns, endpoints_all_ns; /* over the whole run */
	double extra_ns;        /* pods beyond spec.replicas (delivery.c) */
	int error;              /* first RSIM_E* met */
};

/* pod.c */
void pod_listen(struct world *w, const struct pod_listener *l);
void pod_notify(struct world *w, enum pod_news what, int32_t arg);
int32_t pod_create(struct world *w, int32_t rs);   /* -1 on ENOMEM */
void pod_delete(struct world *w, int32_t pod);     /* start termination */
void pod_gone(struct world *w, int32_t pod);       /* removed */
void pod_release_all(struct world *w);
/* Bound to node (-1: a node of its own, no cluster). */
void pod_bound(struct world *w, int32_t pod, int32_t node);
void pod_set_ready(struct world *w, int32_t pod, int on);
/* Available by the ReplicaSet's minReadySeconds now? 1 if it changed. */
int pod_judge_available(struct world *w, int32_t pod);
void pod_container_exited(struct world *w, int32_t pod);
void pod_emit(struct world *w, const struct pod *p, const char *type,
	      const char *reason, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
const struct image_config *pod_spec(const struct world *w,
				    const struct pod *p);

/* pod_view.c: the pod as stored, for the on_pod observer. The state
 * of a container that is not running, as the kubelet reports it (the
 * container's waiting or terminated reason). */
enum pod_wait {
	POD_WAIT_NONE = 0,          /* no container status yet (or running) */
	POD_WAIT_CREATING,          /* waiting: ContainerCreating */
	POD_WAIT_ERR_PULL,          /* waiting: ErrImagePull */
	POD_WAIT_PULL_BACKOFF,      /* waiting: ImagePullBackOff */
	POD_WAIT_EXITED,            /* terminated: Error */
	POD_WAIT_CRASH_BACKOFF      /* waiting: CrashLoopBackOff */
};

void pod_view_send(struct world *w, int32_t pod, const char *change);

/* Tells the on_pod observer that pod changed as stored (change: one word
 * of README's pods.csv vocabulary); costs a test of a pointer without an
 * observer. */
static inline void pod_view(struct world *w, int32_t pod, const char *change)
{
	if (w->obs.on_pod)
		pod_view_send(w, pod, change);
}

/* kubectl's STATUS column for p (printPod). */
const char *pod_view_status(const struct pod *p);

/* pod_probe.c: the kubelet's probe workers */
void probe_workers_start(struct world *w, int32_t pod);
void probe_workers_stop(struct world *w, int32_t pod);
void probe_startup_passed(struct world *w, int32_t pod);

/* pod_stop.c: stopping containers (deletion, liveness) */
void pod_stop_container(struct world *w, int32_t pod, int deleting);

/* scheduler.c */
int scheduler_init(struct world *w);               /* RSIM_ENOMEM */
void scheduler_release(struct world *w);
void scheduler_request(struct world *w, int32_t pod);
void scheduler_pod_gone(struct world *w, int32_t pod);
void scheduler_pod_terminating(struct world *w, int32_t pod);

/* traffic.c */
int traffic_init(struct world *w);                 /* RSIM_ENOMEM */
void traffic_release(struct world *w);
void traffic_finish(struct world *w);              /* at the end */
void traffic_pod_changed(struct world *w, int32_t pod); /* accepting? */
void traffic_pod_killed(struct world *w, int32_t pod);  /* resets */
/* A consumer's endpoint view, or the rollout window, changed (stretch
 * boundaries of the aggregate mode). */
void traffic_view_changed(struct world *w, enum lb_consumer c);
void traffic_window_changed(struct world *w);

/* service.c */
void service_pod_changed(struct world *w, int32_t pod);
void service_release(struct world *w);

/* replicaset.c */
/* A new ReplicaSet with 0 replicas; -1 on ENOMEM. */
int32_t rs_create(struct world *w, int32_t tmpl, int32_t revision);
void rs_set_revision(struct world *w, int32_t rs, int32_t revision);
/* spec.replicas to replicas, with the owner's annotations. */
void rs_scale(struct world *w, int32_t rs, int32_t replicas,
	      int32_t desired_annot, int32_t max_annot);
/* spec.minReadySeconds written: its pods are judged again. */
void rs_set_min_ready(struct world *w, int32_t rs, sim_time_t min_ready_ns);
void rs_request_sync(struct world *w, int32_t rs);
/* Status moved: tells the ReplicaSet's listener. */
void rs_pod_changed(struct world *w, int32_t rs);
void rs_manage(struct world *w, int32_t rs);
/* The ReplicaSet as stored may have changed: on_rs when it has. */
void rs_observe(struct world *w, int32_t rs);

/* deployment.c */
void deploy_init(struct world *w);
void deploy_request_sync(struct world *w);
/* The current spec's resolved maxSurge and MaxUnavailable
 * (docs/kubernetes.md §1). */
int32_t deploy_surge(const struct world *w);
int32_t deploy_unavailable(const struct world *w);          /* as a work queue */
void deploy_set_template(struct world *w, int image,
			 const struct pod_overrides *ovr);
void deploy_scale_to(struct world *w, int32_t replicas);
void deploy_apply(struct world *w, const struct deploy_patch *p);
void deploy_pause(struct world *w, int paused);
void deploy_undo(struct world *w, int32_t to_revision);
/* deploy_view.c: the Deployment as stored changed: on_deploy; the view
 * itself, and its sending (on_deploy must be set). */
void deploy_observe(struct world *w);
void deploy_view(const struct world *w, struct world_deploy_view *v);
void deploy_view_send(struct world *w, const struct world_deploy_view *v);
/* "STATUS Reason" of the Progressing condition ("" when none). */
const char *deploy_progress_text(const struct world *w);
/* The name of ReplicaSet rs, "" for -1. */
const char *deploy_rs_name(const struct world *w, int32_t rs);
/* For the progressive controllers (prog_impl.h), the Deployment
 * controller's own steps: the ReplicaSet of the current template (its
 * revision raised when an old one matches; -1 when there is none), a new
 * one born at replicas (1 if created), a scale with the annotations. */
int32_t deploy_sync_new_rs(struct world *w);
int deploy_create_new_rs(struct world *w, int32_t replicas);
void deploy_scale_rs(struct world *w, int32_t rs, int32_t replicas);

/* actions.c: the user's events (kubectl) */
void action_run(struct world *w, const struct world_event *e);

/* template.c */
/* The index of the template (image, ovr), added when new; -1 on ENOMEM. */
int32_t template_find_or_add(struct world *w, int image,
			     const struct pod_overrides *ovr);
/* The name of a new ReplicaSet of template tmpl (sync.go
 * getNewReplicaSet): "<deployment>-<hash>", the hash taking
 * status.collisionCount into account. A name that a ReplicaSet of another
 * template has is a hash collision: collisionCount goes up and the hash
 * is computed again until the name is free. Stricter than upstream, which
 * only sees ReplicaSets that still exist: here a name also stays with the
 * template of a ReplicaSet deleted by the history cleanup, so a name in
 * events.log means one template for the whole run. */
void template_rs_name(struct world *w, int32_t tmpl, char *out, size_t n);
void template_release_all(struct world *w);

#endif
