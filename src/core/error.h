#ifndef YIYE_ERROR_H
#define YIYE_ERROR_H
/*
 * error.h — the error that travels from where a problem is found to the API.
 * `status` is the HTTP status the API answers with, `code` a stable
 * snake_case English identifier, `message` a Chinese sentence for the user,
 * `field` the JSON path of the input at fault ("" when none).
 */
struct yerr {
	int status;
	char code[64];
	char message[256];
	char field[128];
};
/* yerr_set fills e (if non-NULL) and returns -1 so callers can `return yerr_set(...)`. */
int yerr_set(struct yerr *e, int status, const char *code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
#endif
