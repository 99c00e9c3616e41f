/* Fuzz target: the guide over the shipped catalog with arbitrary answers.
 * The first byte picks the industry, the rest is the answers JSON; every
 * outcome is either a notice or a 4xx error naming the field at fault. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/catalog_dir.h"
#include "core/catalog.h"
#include "core/guide.h"

static struct catalog *cat;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("YIYE_FUZZ_CATALOG");
	struct yerr e = {0};
	char *doc;

	(void)argc;
	(void)argv;
	if (dir == NULL || catalog_dir_load(dir, &doc, &e) < 0 ||
	    catalog_parse_document(doc, strlen(doc), &cat, &e) < 0) {
		fprintf(stderr, "fuzz_guide: set YIYE_FUZZ_CATALOG to the catalog directory\n");
		exit(2);
	}
	free(doc);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct guide_result res;
	struct yerr e = {0};
	json_t *answers;

	if (size < 1)
		return 0;
	answers = json_loadb((const char *)data + 1, size - 1, JSON_REJECT_DUPLICATES, NULL);
	if (answers == NULL)
		return 0;
	if (guide_run(cat, cat->industries[data[0] % cat->nindustries].code, answers, &res, &e) ==
	    0) {
		json_t *out = guide_result_to_json(&res, 1);

		if (out == NULL)
			abort();
		json_decref(out);
		guide_result_free(&res);
	} else if (e.status < 400 || e.status >= 500 || e.code[0] == '\0') {
		abort();
	}
	json_decref(answers);
	return 0;
}
