/* Fuzz target: the license number (from a URL path anyone may type) and the
 * e-license identifier parse strictly, never crash or read past their input,
 * and a number that parses formats back to itself. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/license.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1), out[LICENSE_NUMBER_SIZE];
	struct license_no no;
	struct yerr err = {0};

	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	if (license_number_parse(copy, &no, &err) == 0) {
		if (license_number_format(no.district, no.year, no.serial, out, sizeof(out),
					  &err) != 0 ||
		    strcmp(out, copy) != 0)
			abort();
	} else if (err.status != 404) {
		abort();
	}
	(void)license_eid_valid(copy);
	(void)license_eid_check_char(copy);
	free(copy);
	return 0;
}
