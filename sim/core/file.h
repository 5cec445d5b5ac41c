/* file.h - reading a whole file, and building paths.
 *
 * file_read returns errno values (not RSIM_E* codes) so that callers can
 * word the cause themselves ("No such file or directory"); the path
 * helpers write into caller-owned buffers and never allocate.
 */
#ifndef RSIM_FILE_H
#define RSIM_FILE_H

#include <stddef.h>

/* Reads all of path (at most max bytes) into *out: allocated through
 * rsim_malloc (the caller free()s it), NUL-terminated, length *len.
 * Returns 0, EFBIG when the file holds more than max bytes, ENOMEM, or
 * the errno of fopen/fread (nothing is stored in *out then). */
int file_read(const char *path, size_t max, char **out, size_t *len);

/* "dir/name" into out[n]. 0, or -1 when it does not fit (out is then
 * cut, still NUL-terminated). */
int path_join(char *out, size_t n, const char *dir, const char *name);

/* rel relative to the directory of file, into out[n]: rel itself when it
 * is absolute or when file has no '/', else dirname(file)/rel. 0, or -1
 * when it does not fit. */
int path_beside(char *out, size_t n, const char *file, const char *rel);

#endif
