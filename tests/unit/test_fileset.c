/* test_fileset.c - sim/core/fileset.h: a set of files replaces the previous set
 * as a whole or not at all.
 *
 * Failures are real rename failures: a name of the set that is a
 * directory in DIR (renaming a file onto a directory fails for root too).
 * Expected contents are the texts the test itself wrote.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sim/core/fileset.h"
#include "../cli/cli_util.h"

#define N_NAMES 5

static const char *const names[N_NAMES] = {
	"a.csv", "b.csv", "c.log", "d.json", "e.txt"
};

static void write_text(const char *path, const char *text)
{
	cr_assert_eq(cli_write(path, text), 0, "cannot write %s", path);
}

static char *read_in(const char *dir, const char *name)
{
	char path[1300];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return cli_slurp(path, NULL);
}

/* Stages names[i] with "<tag> i" for every i and returns the set. */
static struct fileset *stage_all(const char *dir, const char *tag)
{
	struct rsim_error err = { 0 };
	struct fileset *s;
	char path[4200], text[64];
	int i;

	cr_assert_eq(fileset_open(dir, &s, &err), 0, "%s", err.msg);
	for (i = 0; i < N_NAMES; i++) {
		cr_assert_eq(fileset_add(s, names[i], path, sizeof(path), &err),
			     0, "%s", err.msg);
		snprintf(text, sizeof(text), "%s %d\n", tag, i);
		write_text(path, text);
	}
	return s;
}

/* The entries of dir other than . and .. */
static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	cr_assert_not_null(d, "cannot list %s", dir);
	while ((e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

Test(fileset, commit_publishes_and_leaves_nothing_else)
{
	char *tmp = cli_tmpdir(), dir[1200], want[64], *t;
	struct rsim_error err = { 0 };
	struct fileset *s;
	int i;

	snprintf(dir, sizeof(dir), "%s/x/y", tmp);
	s = stage_all(dir, "new");
	cr_assert_eq(fileset_commit(s, &err), 0, "%s", err.msg);
	fileset_free(s);
	for (i = 0; i < N_NAMES; i++) {
		snprintf(want, sizeof(want), "new %d\n", i);
		t = read_in(dir, names[i]);
		cr_assert_not_null(t, "%s missing", names[i]);
		cr_assert_str_eq(t, want);
		free(t);
	}
	cr_assert_eq(count_entries(dir), N_NAMES, "temporaries left");
	cli_rmrf(tmp);
	free(tmp);
}

/* The previous set: every name but names[1] ("old i"). names[k] is then
 * made a directory, so the commit fails at position k, after k files
 * were swapped; every previous file must be back, names[1] (which had no
 * previous version) absent, the directory untouched. */
Test(fileset, failure_at_each_position_restores_the_previous_set)
{
	char *tmp = cli_tmpdir(), dir[1200], path[1300], want[64], *t;
	struct rsim_error err;
	struct fileset *s;
	int k, i;

	for (k = 0; k < N_NAMES; k++) {
		snprintf(dir, sizeof(dir), "%s/k%d", tmp, k);
		cr_assert_eq(mkdir(dir, 0777), 0);
		for (i = 0; i < N_NAMES; i++) {
			snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
			snprintf(want, sizeof(want), "old %d\n", i);
			if (i == k)
				cr_assert_eq(mkdir(path, 0777), 0);
			else if (i != 1)
				write_text(path, want);
		}
		snprintf(path, sizeof(path), "%s/%s/keep", dir, names[k]);
		write_text(path, "keep\n");
		s = stage_all(dir, "new");
		memset(&err, 0, sizeof(err));
		cr_assert_eq(fileset_commit(s, &err), RSIM_EIO, "k %d", k);
		fileset_free(s);
		snprintf(path, sizeof(path), "%s/%s", dir, names[k]);
		cr_assert_str_eq(err.file, path, "k %d: %s", k, err.file);
		for (i = 0; i < N_NAMES; i++) {
			if (i == k)
				continue;
			snprintf(want, sizeof(want), "old %d\n", i);
			t = read_in(dir, names[i]);
			if (i == 1)
				cr_assert_null(t, "k %d: %s published", k,
					       names[i]);
			else
				cr_assert(t && strcmp(t, want) == 0,
					  "k %d: %s is \"%s\"", k, names[i],
					  t ? t : "(missing)");
			free(t);
		}
		snprintf(path, sizeof(path), "%s/keep", names[k]);
		t = read_in(dir, path);
		cr_assert(t && strcmp(t, "keep\n") == 0, "k %d: blocker", k);
		free(t);
		cr_assert_eq(count_entries(dir), N_NAMES - (k != 1),
			     "k %d: temporaries left", k);
	}
	cli_rmrf(tmp);
	free(tmp);
}

Test(fileset, free_without_commit_removes_what_was_staged)
{
	char *tmp = cli_tmpdir(), dir[1200], path[1300], *t;
	struct fileset *s;
	struct stat st;

	snprintf(dir, sizeof(dir), "%s/new", tmp);
	fileset_free(stage_all(dir, "new"));
	cr_assert_neq(stat(dir, &st), 0, "the created directory remains");

	snprintf(dir, sizeof(dir), "%s/old", tmp);
	cr_assert_eq(mkdir(dir, 0777), 0);
	snprintf(path, sizeof(path), "%s/a.csv", dir);
	write_text(path, "old\n");
	s = stage_all(dir, "new");
	fileset_free(s);
	t = read_in(dir, "a.csv");
	cr_assert_str_eq(t, "old\n");
	free(t);
	cr_assert_eq(count_entries(dir), 1);
	cli_rmrf(tmp);
	free(tmp);
}

/* Takes DIR/.rollsim.lock as another committing process would. */
static int hold_lock(const char *dir)
{
	char path[1300];
	struct flock fl;
	int fd;

	snprintf(path, sizeof(path), "%s/.rollsim.lock", dir);
	fd = open(path, O_RDWR | O_CREAT, 0666);
	cr_assert_geq(fd, 0);
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	cr_assert_eq(fcntl(fd, F_SETLKW, &fl), 0);
	return fd;
}

/* A commit waits while another process holds the directory's lock. */
Test(fileset, commit_waits_for_the_directory_lock)
{
	char *tmp = cli_tmpdir(), path[1300];
	struct timespec ts = { 0, 300000000 };
	struct stat st;
	pid_t pid;
	int fd = hold_lock(tmp), status;

	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		struct rsim_error err = { 0 };
		struct fileset *s = stage_all(tmp, "child");
		int rc = fileset_commit(s, &err);

		fileset_free(s);
		_exit(rc ? 1 : 0);
	}
	nanosleep(&ts, NULL);
	snprintf(path, sizeof(path), "%s/%s", tmp, names[0]);
	cr_assert_neq(stat(path, &st), 0, "published while the lock was held");
	close(fd);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	cr_assert_eq(stat(path, &st), 0, "not published after the lock went");
	cli_rmrf(tmp);
	free(tmp);
}

/* Two processes commit 60 sets each into one directory: at the end every
 * file is of the same commit, and no temporary is left. */
Test(fileset, concurrent_commits_end_with_one_complete_set)
{
	char *tmp = cli_tmpdir(), first[64], *t;
	pid_t pid[2];
	int c, i, status;

	for (c = 0; c < 2; c++) {
		pid[c] = fork();
		cr_assert_geq(pid[c], 0);
		if (pid[c] == 0) {
			char tag[32];
			int rc = 0;

			for (i = 0; i < 60 && !rc; i++) {
				struct rsim_error err = { 0 };
				struct fileset *s;

				snprintf(tag, sizeof(tag), "p%d-%d", c, i);
				s = stage_all(tmp, tag);
				rc = fileset_commit(s, &err);
				fileset_free(s);
			}
			_exit(rc ? 1 : 0);
		}
	}
	for (c = 0; c < 2; c++) {
		cr_assert_eq(waitpid(pid[c], &status, 0), pid[c]);
		cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	t = read_in(tmp, names[0]);
	cr_assert_not_null(t);
	snprintf(first, sizeof(first), "%.*s", (int)strcspn(t, " "), t);
	free(t);
	for (i = 0; i < N_NAMES; i++) {
		char want[96];

		snprintf(want, sizeof(want), "%s %d\n", first, i);
		t = read_in(tmp, names[i]);
		cr_assert(t && strcmp(t, want) == 0, "%s is \"%s\", not \"%s\"",
			  names[i], t ? t : "(missing)", want);
		free(t);
	}
	cr_assert_eq(count_entries(tmp), N_NAMES, "temporaries left");
	cli_rmrf(tmp);
	free(tmp);
}
