/* err.c - the error record of err.h. */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int rsim_error_set(struct rsim_error *err, int code, const char *file,
		   const char *path, const char *fmt, ...)
{
	va_list ap;

	if (!err || err->code != 0)
		return code;
	err->code = code;
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
	snprintf(err->path, sizeof(err->path), "%s", path ? path : "");
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

/* Appends s to buf[*len..n), control characters escaped; stops (keeping
 * whole escapes) when full. */
static void rsim_escape_append(const char *s, char *buf, unsigned long n,
			       unsigned long *len)
{
	static const char from[] = "\n\r\t\a\b\f\v";
	static const char to[] = "nrtabfv";
	const char *e;
	char esc[8];
	unsigned long k;

	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;

		e = ch && ch < 0x20 ? strchr(from, ch) : NULL;
		if (e)
			snprintf(esc, sizeof(esc), "\\%c", to[e - from]);
		else if (ch < 0x20 || ch == 0x7f)
			snprintf(esc, sizeof(esc), "\\x%02x", ch);
		else
			snprintf(esc, sizeof(esc), "%c", ch);
		k = strlen(esc);
		if (*len + k >= n)
			break;
		memcpy(buf + *len, esc, k);
		*len += k;
	}
	buf[*len] = '\0';
}

const char *rsim_escape(const char *s, char *buf, unsigned long n)
{
	unsigned long len = 0;

	if (n == 0)
		return "";
	rsim_escape_append(s, buf, n, &len);
	return buf;
}

void rsim_error_format(const struct rsim_error *err, char *buf, unsigned long n)
{
	unsigned long len = 0;

	if (n == 0)
		return;
	buf[0] = '\0';
	rsim_escape_append(err->file, buf, n, &len);
	rsim_escape_append(err->file[0] ? ": " : "", buf, n, &len);
	rsim_escape_append(err->path, buf, n, &len);
	rsim_escape_append(err->path[0] ? ": " : "", buf, n, &len);
	rsim_escape_append(err->msg, buf, n, &len);
}
