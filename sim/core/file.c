/* file.c - whole-file reads and path building (file.h).
 *
 * The reader grows its buffer by doubling from 4 KiB and stops as soon as
 * more than max bytes have been read, so a huge or endless file (a FIFO,
 * /dev/zero) costs at most about 2 * max bytes.
 */
#include "file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

#define FILE_FIRST_CHUNK 4096

/* Reads all of f into a NUL-terminated buffer: 0 or an errno value. */
static int file_slurp(FILE *f, size_t max, char **out, size_t *out_len)
{
	size_t len = 0, cap = FILE_FIRST_CHUNK, got;
	char *buf = rsim_malloc(cap), *nb;

	while (buf) {
		got = fread(buf + len, 1, cap - len - 1, f);
		len += got;
		if (got == 0 && ferror(f)) {
			free(buf);
			return errno ? errno : EIO;
		}
		if (len > max) {
			free(buf);
			return EFBIG;
		}
		if (got == 0 || feof(f))
			break;
		if (len + 1 < cap)
			continue;
		nb = rsim_realloc(buf, cap * 2);
		if (!nb)
			free(buf);
		buf = nb;
		cap *= 2;
	}
	if (!buf)
		return ENOMEM;
	buf[len] = '\0';
	*out = buf;
	*out_len = len;
	return 0;
}

int file_read(const char *path, size_t max, char **out, size_t *len)
{
	FILE *f;
	int rc;

	errno = 0;
	f = fopen(path, "rb");
	if (!f)
		return errno ? errno : ENOENT;
	errno = 0;
	rc = file_slurp(f, max, out, len);
	fclose(f);
	return rc;
}

int path_join(char *out, size_t n, const char *dir, const char *name)
{
	int w = snprintf(out, n, "%s/%s", dir, name);

	return (w < 0 || (size_t)w >= n) ? -1 : 0;
}

int path_beside(char *out, size_t n, const char *file, const char *rel)
{
	const char *slash = strrchr(file, '/');
	int dir = (rel[0] == '/' || !slash) ? 0 : (int)(slash - file + 1);
	int w = snprintf(out, n, "%.*s%s", dir, file, rel);

	return (w < 0 || (size_t)w >= n) ? -1 : 0;
}
