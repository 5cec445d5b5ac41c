/* err.h - error codes and the caller-owned error record.
 *
 * Fallible functions in sim/ and models/ return 0 or a negative RSIM_E* code
 * and, where input is to blame, fill a struct rsim_error that names the file,
 * the dotted JSON path (the same path --set takes) and what was expected.
 * Only sim/main.c maps codes to exit statuses.
 */
#ifndef RSIM_ERR_H
#define RSIM_ERR_H

enum {
	RSIM_OK = 0,
	RSIM_EINPUT = -1,   /* bad scenario / bad usage: exit 2 */
	RSIM_ENOMEM = -2,   /* allocation failed: exit 3 */
	RSIM_EIO = -3,      /* file system error: exit 3 */
	RSIM_EINTERNAL = -4, /* a bug: exit 3 */
	RSIM_EINTR = -5     /* interrupted (SIGINT): exit 3, work kept */
};

struct rsim_error {
	int code;        /* RSIM_E*, 0 when no error was recorded */
	char file[256];  /* scenario file, "" when not tied to one */
	char path[256];  /* dotted JSON path, "" when not tied to a key */
	char msg[512];   /* what was expected and what was found */
};

/* Records an error (printf-style message). Keeps the first error only, so
 * the innermost, most precise report wins. Returns code. */
int rsim_error_set(struct rsim_error *err, int code, const char *file,
		   const char *path, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Formats "file: path: msg" (parts that are empty are left out), one
 * line: control characters in any part are escaped as rsim_escape does. */
void rsim_error_format(const struct rsim_error *err, char *buf,
		       unsigned long n);

/* s with control characters written C-style (\n, \t, ...; others and DEL
 * as \x1b), cut to fit buf[n]: for file names and arguments printed on
 * one line. Returns buf. */
const char *rsim_escape(const char *s, char *buf, unsigned long n);

#endif
