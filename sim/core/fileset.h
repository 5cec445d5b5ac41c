/* fileset.h - the files one command writes into a directory, published
 * all together or not at all.
 *
 * fileset_open makes a private staging directory inside DIR
 * (DIR/.rollsim-tmp-XXXXXX, a unique name from mkdtemp: two processes
 * writing into one DIR never share a temporary name). The new files are
 * written there; fileset_commit then, holding an exclusive lock on
 * DIR/.rollsim.lock (fcntl, waited for, so commits into one DIR run one at
 * a time), renames each previous file of the set into the staging
 * directory as a backup and the new one into its place, in the order the
 * files were added. If any rename fails, the renames done so far are undone
 * in reverse (each backup renamed back, a new file that had no predecessor
 * removed), so DIR keeps the previous set exactly; then the staging
 * directory is removed. A name in DIR that is a directory is never moved
 * or removed: renaming a file onto it fails, and the commit is undone.
 *
 * So the files of DIR are always one complete set: the set of the commit
 * that finished last. Limits: a reader looking at DIR during a commit (a
 * few renames long) can see a mix, and so can everyone after a process
 * killed during one, until the next commit; the previous files are then in
 * that process's staging directory. A killed process leaves its staging
 * directory behind (remove it by hand).
 */
#ifndef RSIM_FILESET_H
#define RSIM_FILESET_H

#include <stddef.h>

#include "err.h"

struct fileset;

/* 0 when dir is short enough to publish into (at most 4055 bytes), else
 * RSIM_EINPUT with err filled ("path too long"). Check it before
 * creating anything in dir. */
int fileset_check_dir(const char *dir, struct rsim_error *err);

/* Creates dir (and parents) when missing and a staging directory in it.
 * Returns 0, RSIM_EINPUT (dir longer than 4055 bytes), RSIM_EIO or
 * RSIM_ENOMEM with err filled. */
int fileset_open(const char *dir, struct fileset **out, struct rsim_error *err);

/* Adds name (a file name without '/', not starting with '.') to the set
 * (again: no change) and writes into path (n bytes) where its new version
 * is to be written. Returns 0, RSIM_EINTERNAL (a bad name, path too long)
 * or RSIM_ENOMEM. */
int fileset_add(struct fileset *s, const char *name, char *path, size_t n,
		struct rsim_error *err);

/* Publishes every added file (each must have been written and closed).
 * Returns 0, or RSIM_EIO with err filled: then DIR holds its previous files,
 * unless undoing failed too, which err then says (the previous files are
 * left in the staging directory). Call once; fileset_free afterwards. */
int fileset_commit(struct fileset *s, struct rsim_error *err);

/* The number of files added and the name of the i-th. */
size_t fileset_count(const struct fileset *s);
const char *fileset_name(const struct fileset *s, size_t i);

/* Removes what was not published (the staging directory and the files
 * in it; DIR when it was created here and is empty) and frees s. */
void fileset_free(struct fileset *s);

/* mkdir -p dir; sets *created when its last component was made here.
 * Returns 0 or -1 (errno set). */
int fileset_make_dirs(const char *dir, int *created);

#endif
