/* Fuzz target: identifier validators and masking never crash or read past
 * their input, and always explain a rejection. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/ident.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ident_result r;
	char masked[64], *copy;

	ident_check_uscc((const char *)data, size, &r);
	if (!r.valid && (r.reason == NULL || r.message == NULL))
		abort();
	ident_check_idcard((const char *)data, size, 20261128, &r);
	if (!r.valid && (r.reason == NULL || r.message == NULL))
		abort();
	copy = malloc(size + 1);
	memcpy(copy, data, size);
	copy[size] = '\0';
	ident_mask_idcard(copy, masked, sizeof(masked));
	free(copy);
	return 0;
}
