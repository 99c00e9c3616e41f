/* Fuzz target: a draw record (untrusted JSON from anywhere) is verified
 * without crashing, leaking or reading past its input, and every verdict
 * but a match comes with an error code and a message. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/draw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct yerr err = {0};
	char summary[1024];
	enum draw_verdict v;

	v = draw_verify((const char *)data, size, summary, sizeof(summary), &err);
	if (v != DRAW_MATCH && (err.code[0] == '\0' || err.message[0] == '\0'))
		abort();
	if (v == DRAW_MATCH && summary[0] == '\0')
		abort();
	return 0;
}
