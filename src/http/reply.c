/*
 * reply.c — how handlers answer. Every error goes out in one shape:
 * {"error":{"code":"…","message":"<Chinese>","field":"<json path>"|null}}.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/http.h"

static void set_body(struct req *r, int status, const char *ctype, char *body, size_t len)
{
	if (r->resp_file) { /* an error after reply_file replaces the file */
		close(r->resp_fd);
		r->resp_file = 0;
	}
	free(r->resp_body);
	r->status = status;
	r->resp_type = ctype;
	r->resp_body = body;
	r->resp_len = len;
	r->replied = 1;
}

void reply_json(struct req *r, int status, json_t *body)
{
	char *text = json_dumps(body, JSON_COMPACT);

	json_decref(body);
	if (text == NULL)
		abort();
	set_body(r, status, "application/json; charset=utf-8", text, strlen(text));
}

json_t *http_error_body(const char *code, const char *message, const char *field)
{
	return json_pack("{s:{s:s,s:s,s:o}}", "error", "code", code, "message", message, "field",
			 field && *field ? json_string(field) : json_null());
}

void reply_error(struct req *r, int status, const char *code, const char *field, const char *fmt,
		 ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	reply_json(r, status, http_error_body(code, msg, field));
}

void reply_yerr(struct req *r, const struct yerr *e)
{
	reply_json(r, e->status ? e->status : 500,
		   http_error_body(e->code[0] ? e->code : "error",
				   e->message[0] ? e->message : "服务器内部错误", e->field));
}

void reply_raw(struct req *r, int status, const char *ctype, const void *body, size_t len)
{
	char *copy = malloc(len ? len : 1);

	if (copy == NULL)
		abort();
	memcpy(copy, body, len);
	set_body(r, status, ctype, copy, len);
}

void reply_raw_take(struct req *r, int status, const char *ctype, char *body, size_t len)
{
	set_body(r, status, ctype, body, len);
}

void reply_file(struct req *r, int status, const char *ctype, int fd, unsigned long long len)
{
	set_body(r, status, ctype, NULL, 0);
	r->resp_file = 1;
	r->resp_fd = fd;
	r->resp_fd_len = len;
}

void reply_header(struct req *r, const char *name, const char *value)
{
	/* A handler adding more headers than a reply holds is a bug, not an
	 * input: losing one (a Set-Cookie, say) silently would be worse. */
	if (r->resp_headers == (int)(sizeof(r->resp_hname) / sizeof(r->resp_hname[0])))
		abort();
	r->resp_hname[r->resp_headers] = strdup(name);
	r->resp_hvalue[r->resp_headers] = strdup(value);
	if (!r->resp_hname[r->resp_headers] || !r->resp_hvalue[r->resp_headers])
		abort();
	r->resp_headers++;
}
