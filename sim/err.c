/* err.c - the error record of err.h. */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int rs_error_set(struct rs_error *err, int code, const char *file,
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

void rs_error_format(const struct rs_error *err, char *buf, unsigned long n)
{
	const char *sep1 = err->file[0] ? ": " : "";
	const char *sep2 = err->path[0] ? ": " : "";

	snprintf(buf, n, "%s%s%s%s%s", err->file, sep1, err->path, sep2,
		 err->msg);
}
