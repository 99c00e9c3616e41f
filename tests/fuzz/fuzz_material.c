/* Fuzz target: material sniffing never reads past its input, always answers
 * one of the known types, and agrees with material_check. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/material.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum material_type t = material_sniff(data, size), c;
	struct yerr err;
	unsigned char *copy;

	if ((unsigned)t >= MATERIAL_TYPE_COUNT)
		abort();
	if ((material_check(data, size, "material", &c, &err) == 0) != (t != MATERIAL_UNKNOWN) ||
	    c != t)
		abort();
	if (t == MATERIAL_UNKNOWN && (err.status != 415 || err.message[0] == '\0'))
		abort();
	/* an exact-size heap copy so ASan sees any read past the end */
	copy = malloc(size ? size : 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	if (material_sniff(copy, size) != t)
		abort();
	free(copy);
	return 0;
}
