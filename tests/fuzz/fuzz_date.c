/* Fuzz target: the strict date parser; whatever it accepts formats back to
 * the same ten characters. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[DATE_STR_SIZE];
	int day;

	if (date_parse((const char *)data, size, &day) == 0) {
		if (date_format(day, out, sizeof(out)) != 0 || size != 10 ||
		    memcmp(out, data, 10) != 0)
			abort();
	}
	return 0;
}
