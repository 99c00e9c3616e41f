/* Fuzz target: the single-document catalog parser (what the server loads at
 * start and what POST /api/v1/catalog/versions receives); an accepted
 * document serialises again. */
#include <stdint.h>
#include <stdlib.h>

#include "core/catalog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct catalog *cat = NULL;
	struct yerr e = {0};

	if (catalog_parse_document((const char *)data, size, &cat, &e) == 0) {
		char *again = catalog_to_json(cat);

		if (again == NULL)
			abort();
		free(again);
		catalog_free(cat);
	} else if (e.code[0] == '\0') {
		abort();
	}
	return 0;
}
