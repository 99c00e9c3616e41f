/* Fuzz target: a line of the market-registration export (yiye entities
 * import) never crashes the parser, and a refused line always says which
 * field and why; an accepted one is a checked credit code and a name. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/life_jobs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = {"uscc",   "name",   "legal_rep", "address",
					   "status", "source", NULL};
	struct store_entity e;
	struct yerr err = {0};
	json_t *o = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);

	if (!json_is_object(o)) {
		json_decref(o);
		return 0;
	}
	if (life_entity_parse(o, NULL, keys, "import", &e, &err) < 0) {
		if (err.status != 400 || err.code[0] == '\0' || err.message[0] == '\0')
			abort();
	} else if (strlen(e.uscc) != 18 || e.name[0] == '\0') {
		abort();
	}
	json_decref(o);
	return 0;
}
