/* sweep_exec.c - running a sweep: worker threads, progress, SIGINT,
 * --resume, shards.
 *
 * Workers take run numbers from a shared counter and store each finished
 * run's row under its number, so the order of completion never shows in
 * the files. Each finished row is also appended to DIR/.runs.part at
 * once: an interrupted sweep (SIGINT, or a killed process) keeps its
 * finished runs, and --resume skips them (after checking every row, and
 * cutting off a last row that a kill left without its newline). The part
 * file is locked while a sweep works in DIR: a second sweep into the same
 * DIR is refused instead of emptying or mixing into it. Configs are
 * parsed on the main thread before the workers start (cJSON's parser has
 * global state). Merging is sweep_merge.c's.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sim/core/alloc.h"
#include "sim/core/file.h"
#include "sim/core/fileset.h"
#include "sweep.h"
#include "sweep_out.h"

/* Set by the SIGINT handler, read by the workers: a lock-free atomic,
 * which C11 allows in a handler; a volatile sig_atomic_t is only safe
 * within one thread (ThreadSanitizer reports the race). */
static atomic_int sweep_interrupted;
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "SIGINT flag must be lock-free");

static void on_sigint(int sig)
{
	(void)sig;
	atomic_store(&sweep_interrupted, 1);
}

struct exec {
	const struct sweep_plan *plan;
	const struct sweep_metrics *mx;
	char **rows;
	int32_t *todo;
	int32_t n_todo;
	atomic_int next;
	pthread_mutex_t lock;
	int32_t done;
	int error;
	FILE *part;
	atomic_int exited;             /* workers that returned */
};

static char *run_one(const struct exec *x, int32_t run, int *rc)
{
	const struct sweep_plan *p = x->plan;
	const struct world_config *cfg =
		&p->points[run / p->replications].cfg;
	struct world_metrics m;
	world *w;
	char *row = NULL;

	*rc = world_new(cfg, (uint32_t)(run % p->replications), NULL, &w);
	if (!*rc)
		*rc = world_run(w);
	if (!*rc) {
		world_get_metrics(w, &m);
		row = sweep_row(p, x->mx, run, cfg, &m);
		if (!row)
			*rc = RSIM_ENOMEM;
	}
	world_free(w);
	return row;
}

/* Test hook, read in every build: ROLLSIM_TEST_SIGNAL_AFTER=N:SIG makes
 * the worker that records this invocation's Nth run raise SIG (SIGINT,
 * SIGKILL, SIGSTOP), so tests/cli/test_sweep.c interrupts a sweep at a
 * known run instead of racing a timer. */
static void test_signal_hook(int32_t done)
{
	const char *s = getenv("ROLLSIM_TEST_SIGNAL_AFTER");
	char *end;

	if (done > 0 && s && strtol(s, &end, 10) == done && *end == ':')
		raise(atoi(end + 1));
}

static void *worker(void *arg)
{
	struct exec *x = arg;

	while (!atomic_load(&sweep_interrupted)) {
		int i = atomic_fetch_add(&x->next, 1), rc;
		int32_t run, done;
		char *row;

		if (i >= x->n_todo)
			break;
		run = x->todo[i];
		row = run_one(x, run, &rc);
		pthread_mutex_lock(&x->lock);
		if (rc && !x->error)
			x->error = rc;
		if (row) {
			x->rows[run] = row;
			if (x->part) {
				fprintf(x->part, "%s\n", row);
				fflush(x->part);
			}
			x->done++;
		}
		done = row ? x->done : 0;
		pthread_mutex_unlock(&x->lock);
		test_signal_hook(done);
		if (rc)
			break;
	}
	atomic_fetch_add(&x->exited, 1);
	return NULL;
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A bar on a terminal, a plain line every 10 s otherwise. */
static void progress(const struct exec *x, double t0, int tty, int final)
{
	double el = now_s() - t0, rate = el > 0 ? x->done / el : 0;
	double eta = rate > 0 ? (x->n_todo - x->done) / rate : 0;
	int width = 30, fill = x->n_todo ? width * x->done / x->n_todo : width;

	if (tty)
		fprintf(stderr,
			"\r[%.*s%*s] %d/%d runs, %.1f runs/s, ETA %.0f s ",
			fill, "##############################", width - fill,
			"", x->done, x->n_todo, rate, eta);
	else
		fprintf(stderr, "sweep: %d/%d runs, %.1f runs/s, ETA %.0f s\n",
			x->done, x->n_todo, rate, eta);
	if (tty && final)
		fputc('\n', stderr);
}

/* The runs this invocation does: of valid points, of this shard, not done. */
static int32_t plan_todo(const struct sweep_plan *p, const struct sweep_opts *o,
			 char *const *rows, int32_t *todo, int32_t *in_shard)
{
	int32_t run, n = 0, n_runs = p->n_points * p->replications;

	*in_shard = 0;
	for (run = 0; run < n_runs; run++) {
		if (!p->points[run / p->replications].valid ||
		    run % o->shard_n != o->shard_k - 1)
			continue;
		(*in_shard)++;
		if (!rows[run])
			todo[n++] = run;
	}
	return n;
}

static void run_threads(struct exec *x, const struct sweep_opts *o)
{
	pthread_t th[256];
	int i, n = o->jobs < 1 ? 1 : (o->jobs > 256 ? 256 : o->jobs);
	int tty = isatty(2), started = 0;
	double t0 = now_s(), last = t0;

	if (n > x->n_todo)
		n = x->n_todo;
	for (i = 0; i < n; i++)
		if (pthread_create(&th[started], NULL, worker, x) == 0)
			started++;
	if (started == 0 && x->n_todo > 0)
		worker(x);                    /* no thread: run here */
	/* progress every 100 ms; --quiet joins at once (a sweep of short
	 * runs need not wait for the next tick) */
	while (!o->quiet && atomic_load(&x->exited) < started) {
		struct timespec ts = { 0, 100000000 };
		double t;

		nanosleep(&ts, NULL);
		t = now_s();
		if (!o->quiet && (tty || t - last >= 10.0)) {
			pthread_mutex_lock(&x->lock);
			progress(x, t0, tty, 0);
			pthread_mutex_unlock(&x->lock);
			last = t;
		}
	}
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	if (!o->quiet && x->n_todo > 0)
		progress(x, t0, tty, 1);
}

/* Opens DIR/.runs.part and locks it (fcntl, not waited for: one sweep at
 * a time works in a directory), on the file that still bears the name (a
 * sweep that finishes removes it). Returns 0 (*fd set) or an RSIM_E*. */
static int part_open(const char *path, const char *dir, int *fd,
		     struct rsim_error *err)
{
	struct flock fl;
	struct stat a, b;

	for (;;) {
		*fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
		if (*fd < 0)
			return rsim_error_set(err, RSIM_EIO, path, "", "cannot "
					      "write: %s", strerror(errno));
		memset(&fl, 0, sizeof(fl));
		fl.l_type = F_WRLCK;
		fl.l_whence = SEEK_SET;
		if (fcntl(*fd, F_SETLK, &fl) != 0 &&
		    (errno == EACCES || errno == EAGAIN)) {
			close(*fd);
			return rsim_error_set(err, RSIM_EINPUT, dir, "",
					      "another "
					      "rollsim sweep is working in this "
					      "directory (its " SWEEP_PART_FILE
					      " is locked)");
		}
		if (fstat(*fd, &a) == 0 && stat(path, &b) == 0 &&
		    a.st_dev == b.st_dev && a.st_ino == b.st_ino)
			return 0;
		close(*fd);               /* removed meanwhile: again */
	}
}

/* The part file: rows of this plan kept by an interrupted sweep (with
 * --resume and the plan's sweep.json; a row cut short is cut off), else
 * emptied before anything else is written. */
static int part_setup(struct exec *x, const struct sweep_plan *p,
		      const struct sweep_opts *o, struct rsim_error *err)
{
	char part[4096], js[4096];
	struct stat st;
	int fd, rc = 0;

	/* fileset_check_dir left room for these names */
	if (path_join(part, sizeof(part), o->out, SWEEP_PART_FILE) ||
	    path_join(js, sizeof(js), o->out, SWEEP_JSON_FILE))
		return rsim_error_set(err, RSIM_EINPUT, o->out, "",
				      "path too long");
	if ((rc = part_open(part, o->out, &fd, err)))
		return rc;
	if (o->resume && access(js, F_OK) == 0) {
		rc = sweep_read(o->out, p, x->mx, x->rows, 0, err);
		if (!rc)
			rc = sweep_read_part(fd, part, p, x->mx, x->rows, err);
	} else if (ftruncate(fd, 0) != 0) {
		rc = rsim_error_set(err, RSIM_EIO, part, "", "cannot write: %s",
				    strerror(errno));
	}
	if (!rc && !(x->part = fdopen(fd, "a")))
		rc = rsim_error_set(err, RSIM_EIO, part, "", "cannot write: %s",
				    strerror(errno));
	if (!x->part && fstat(fd, &st) == 0 && st.st_size == 0)
		unlink(part);                 /* leave nothing behind */
	if (!x->part)
		close(fd);
	return rc;
}

/* Whether the part file holds nothing (to keep after a failure). */
static int part_empty(FILE *part)
{
	struct stat st;

	return fflush(part) == 0 && fstat(fileno(part), &st) == 0 &&
	       st.st_size == 0;
}

static int exec_setup(struct exec *x, struct sweep_plan *p,
		      const struct sweep_opts *o, struct rsim_error *err)
{
	int32_t n_runs = p->n_points * p->replications;
	int created;

	if (fileset_check_dir(o->out, err))
		return RSIM_EINPUT;
	if (fileset_make_dirs(o->out, &created))
		return rsim_error_set(err, RSIM_EIO, o->out, "",
				      "cannot create "
				      "directory: %s", strerror(errno));
	x->rows = rsim_calloc((size_t)n_runs + 1, sizeof(*x->rows));
	x->todo = rsim_malloc(((size_t)n_runs + 1) * sizeof(*x->todo));
	if (!x->rows || !x->todo)
		return rsim_error_set(err, RSIM_ENOMEM, o->out, "",
				      "out of memory");
	return part_setup(x, p, o, err);
}

int sweep_execute(struct sweep_plan *p, const struct sweep_opts *o,
		  struct rsim_error *err)
{
	struct sweep_metrics mx;
	struct exec x;
	struct sigaction sa, old;
	int32_t i, n_runs = p->n_points * p->replications, in_shard;
	int rc;

	memset(&x, 0, sizeof(x));
	x.plan = p;
	x.mx = &mx;
	pthread_mutex_init(&x.lock, NULL);
	if (sweep_metrics_init(&mx))
		return rsim_error_set(err, RSIM_ENOMEM, o->out, "",
				      "out of memory");
	rc = exec_setup(&x, p, o, err);
	if (!rc) {
		x.n_todo = plan_todo(p, o, x.rows, x.todo, &in_shard);
		rc = sweep_write(o->out, p, &mx, x.rows, o->shard_k, o->shard_n,
				 x.n_todo == 0, err);
	}
	if (!rc) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_sigint;
		atomic_store(&sweep_interrupted, 0);
		sigaction(SIGINT, &sa, &old);
		run_threads(&x, o);
		sigaction(SIGINT, &old, NULL);
		rc = x.error ? rsim_error_set(err, x.error, o->out, "",
					      "a run failed: %s",
					      world_strerror(x.error))
			     : 0;
	}
	if (!rc)
		rc = sweep_write(o->out, p, &mx, x.rows, o->shard_k, o->shard_n,
				 x.done == x.n_todo, err);
	if (!rc && x.done < x.n_todo)
		rc = rsim_error_set(err, RSIM_EINTR, o->out, "",
				    "interrupted after "
				    "%d of %d runs; the finished runs are kept: "
				    "run again with --resume", x.done,
				    x.n_todo);
	if (x.part && (!rc || part_empty(x.part))) {   /* under the lock */
		char part[4096];

		if (!path_join(part, sizeof(part), o->out, SWEEP_PART_FILE))
			unlink(part);
	}
	if (x.part)
		fclose(x.part);
	for (i = 0; x.rows && i < n_runs; i++)
		free(x.rows[i]);
	free(x.rows);
	free(x.todo);
	sweep_metrics_release(&mx);
	pthread_mutex_destroy(&x.lock);
	return rc;
}
