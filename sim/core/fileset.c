/* fileset.c - publish a set of output files all at once (fileset.h).
 *
 * Layout during a commit: DIR/NAME (published), DIR/.rollsim-tmp-XXXXXX/NAME
 * (new, staged), DIR/.rollsim-tmp-XXXXXX/.old/NAME (the previous file,
 * kept until the whole set is in place). Only files this set names are
 * moved, and only the staging directory is ever emptied.
 */
#include "fileset.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "file.h"

#define FILESET_PATH_MAX 4096
#define FILESET_OLD ".old"           /* backups, inside the staging dir */
#define FILESET_LOCK ".rollsim.lock"

struct member {
	char *name;                  /* owned */
	int had_old;                 /* the previous file is in stage/.old */
	int installed;               /* the new file is in DIR */
};

struct fileset {
	char dir[FILESET_PATH_MAX];
	char stage[FILESET_PATH_MAX];
	int created_dir;             /* 1: DIR was made by fileset_open */
	int keep_stage;              /* 1: it holds backups an undo missed */
	struct member *m;            /* owned, n used of cap */
	size_t n, cap;
};

int fileset_make_dirs(const char *dir, int *created)
{
	char path[FILESET_PATH_MAX];
	size_t i, n = strlen(dir);

	*created = 0;
	if (n == 0 || n >= sizeof(path)) {
		errno = n ? ENAMETOOLONG : ENOENT;
		return -1;
	}
	memcpy(path, dir, n + 1);
	for (i = 1; i <= n; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0777) == 0) {
			if (i == n)
				*created = 1;
		} else if (errno != EEXIST) {
			return -1;
		}
		path[i] = i == n ? '\0' : '/';
	}
	return 0;
}

/* a/b/c into out (FILESET_PATH_MAX bytes); -1 when it does not fit. */
static int join3(char *out, const char *a, const char *b, const char *c)
{
	char ab[FILESET_PATH_MAX];

	if (path_join(ab, sizeof(ab), a, b))
		return -1;
	return path_join(out, FILESET_PATH_MAX, ab, c);
}

/* Room for the staging directory and a file name in it: a longer
 * directory is one the user cannot have meant (bad input). */
int fileset_check_dir(const char *dir, struct rsim_error *err)
{
	if (strlen(dir) + 40 < FILESET_PATH_MAX)
		return 0;
	return rsim_error_set(err, RSIM_EINPUT, dir, "",
			      "path too long (at most %d bytes)",
			      FILESET_PATH_MAX - 41);
}

int fileset_open(const char *dir, struct fileset **out, struct rsim_error *err)
{
	struct fileset *s = rsim_calloc(1, sizeof(*s));

	*out = NULL;
	if (!s)
		return rsim_error_set(err, RSIM_ENOMEM, dir, "",
				      "out of memory");
	snprintf(s->dir, sizeof(s->dir), "%s", dir);
	if (fileset_check_dir(dir, err)) {
		free(s);
		return RSIM_EINPUT;
	}
	if (fileset_make_dirs(dir, &s->created_dir)) {
		rsim_error_set(err, RSIM_EIO, dir, "",
			       "cannot create directory: %s",
			       strerror(errno));
		free(s);
		return RSIM_EIO;
	}
	path_join(s->stage, sizeof(s->stage), dir, ".rollsim-tmp-XXXXXX");
	if (!mkdtemp(s->stage)) {
		rsim_error_set(err, RSIM_EIO, dir, "", "cannot write: %s",
			       strerror(errno));
		s->stage[0] = '\0';
		fileset_free(s);
		return RSIM_EIO;
	}
	*out = s;
	return 0;
}

int fileset_add(struct fileset *s, const char *name, char *path, size_t n,
		struct rsim_error *err)
{
	size_t i;

	if (!name[0] || name[0] == '.' || strchr(name, '/'))
		return rsim_error_set(err, RSIM_EINTERNAL, s->dir, "",
				      "bad output file name \"%s\"", name);
	if (path_join(path, n, s->stage, name))
		return rsim_error_set(err, RSIM_EINTERNAL, s->dir, "",
				      "path too long");
	for (i = 0; i < s->n; i++)
		if (strcmp(s->m[i].name, name) == 0)
			return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 8;
		struct member *m = rsim_realloc(s->m, cap * sizeof(*m));

		if (!m)
			return rsim_error_set(err, RSIM_ENOMEM, s->dir, "",
					      "out of memory");
		s->m = m;
		s->cap = cap;
	}
	memset(&s->m[s->n], 0, sizeof(s->m[s->n]));
	if (!(s->m[s->n].name = rsim_strdup(name)))
		return rsim_error_set(err, RSIM_ENOMEM, s->dir, "",
				      "out of memory");
	s->n++;
	return 0;
}

size_t fileset_count(const struct fileset *s)
{
	return s->n;
}

const char *fileset_name(const struct fileset *s, size_t i)
{
	return i < s->n ? s->m[i].name : NULL;
}

/* Takes the lock of dir: an fcntl write lock on DIR/.rollsim.lock, held
 * on the file that still bears that name (a holder removes it when done).
 * Returns the descriptor, or -1 when the file system has no locks (then
 * the commit runs unlocked). */
static int lock_take(const char *dir, char *path)
{
	struct flock fl;
	struct stat a, b;
	int fd;

	if (path_join(path, FILESET_PATH_MAX, dir, FILESET_LOCK))
		return -1;
	for (;;) {
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
		if (fd < 0)
			return -1;
		memset(&fl, 0, sizeof(fl));
		fl.l_type = F_WRLCK;
		fl.l_whence = SEEK_SET;
		while (fcntl(fd, F_SETLKW, &fl) != 0) {
			if (errno != EINTR) {
				close(fd);
				return -1;
			}
		}
		if (fstat(fd, &a) == 0 && stat(path, &b) == 0 &&
		    a.st_dev == b.st_dev && a.st_ino == b.st_ino)
			return fd;
		close(fd);          /* removed by its holder meanwhile */
	}
}

static void lock_release(int fd, const char *path)
{
	if (fd < 0)
		return;
	unlink(path);
	close(fd);
}

/* Moves the previous DIR/NAME (unless a directory) into stage/.old and the
 * new one into DIR. Returns 0 or -1 (errno set, *what the failing path). */
static int swap_in(const struct fileset *s, struct member *mb,
		   const char **what, char *final)
{
	char fresh[FILESET_PATH_MAX], old[FILESET_PATH_MAX];
	struct stat st;

	*what = s->dir;
	if (path_join(final, FILESET_PATH_MAX, s->dir, mb->name) ||
	    path_join(fresh, FILESET_PATH_MAX, s->stage, mb->name) ||
	    join3(old, s->stage, FILESET_OLD, mb->name)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	*what = final;
	if (lstat(final, &st) == 0 && !S_ISDIR(st.st_mode)) {
		if (rename(final, old) != 0)
			return -1;
		mb->had_old = 1;
	}
	if (rename(fresh, final) != 0)
		return -1;
	mb->installed = 1;
	return 0;
}

/* Undoes the swaps of members [0, upto), last first. Returns 0, or -1
 * when a previous file could not be put back. */
static int undo(struct fileset *s, size_t upto)
{
	char final[FILESET_PATH_MAX], old[FILESET_PATH_MAX];
	size_t i = upto;
	int rc = 0;

	while (i-- > 0) {
		struct member *mb = &s->m[i];

		if (path_join(final, FILESET_PATH_MAX, s->dir, mb->name) ||
		    join3(old, s->stage, FILESET_OLD, mb->name))
			continue;               /* swap_in refused it too */
		if (mb->had_old && rename(old, final) == 0)
			mb->had_old = 0;
		else if (!mb->had_old && mb->installed)
			unlink(final);
		if (mb->had_old)
			rc = -1;
		mb->installed = 0;
	}
	return rc;
}

int fileset_commit(struct fileset *s, struct rsim_error *err)
{
	char lock[FILESET_PATH_MAX], old[FILESET_PATH_MAX];
	char final[FILESET_PATH_MAX];
	const char *what = s->dir;
	size_t i;
	int fd, e = 0;

	if (path_join(old, FILESET_PATH_MAX, s->stage, FILESET_OLD) ||
	    mkdir(old, 0700) != 0)
		return rsim_error_set(err, RSIM_EIO, s->dir, "",
				      "cannot write: %s",
				      strerror(errno));
	fd = lock_take(s->dir, lock);
	for (i = 0; i < s->n && !e; i++)
		if (swap_in(s, &s->m[i], &what, final))
			e = errno;
	if (e && undo(s, i) != 0)
		s->keep_stage = 1;
	lock_release(fd, lock);
	if (!e)
		return 0;
	if (s->keep_stage)
		return rsim_error_set(err, RSIM_EIO, what, "",
				      "cannot write: %s; "
				      "undoing failed too: the previous files are "
				      "in %s/" FILESET_OLD, strerror(e),
				      s->stage);
	return rsim_error_set(err, RSIM_EIO, what, "", "cannot write: %s (the "
			      "previous files are left as they were)",
			      strerror(e));
}

/* Removes the files in path, its subdirectory .old and path itself. */
static void remove_stage(const char *path, int depth)
{
	char sub[FILESET_PATH_MAX];
	struct dirent *d;
	struct stat st;
	DIR *dp = opendir(path);

	while (dp && (d = readdir(dp)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name,
							  "..") == 0 ||
		    path_join(sub, FILESET_PATH_MAX, path, d->d_name))
			continue;
		if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode)) {
			if (depth > 0)
				remove_stage(sub, depth - 1);
		} else {
			unlink(sub);
		}
	}
	if (dp)
		closedir(dp);
	rmdir(path);
}

void fileset_free(struct fileset *s)
{
	size_t i;

	if (!s)
		return;
	if (s->stage[0] && !s->keep_stage)
		remove_stage(s->stage, 1);
	if (s->created_dir)
		rmdir(s->dir);              /* only if nothing is in it */
	for (i = 0; i < s->n; i++)
		free(s->m[i].name);
	free(s->m);
	free(s);
}
