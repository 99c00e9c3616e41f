/*
 * unit_catalog.h — loads a catalog directory of the source tree for a unit
 * test: the shipped catalog ("catalog") or a fixture
 * ("tests/fixtures/catalog-mini"). YIYE_SOURCE_DIR (set by ctest) is the
 * source tree. Fails the test on any problem. Include after <cmocka.h>.
 */
#ifndef YIYE_UNIT_CATALOG_H
#define YIYE_UNIT_CATALOG_H

#include <stdio.h>
#include <stdlib.h>

#include "core/catalog.h"
#include "io/catalog_dir.h"

static inline struct catalog *unit_catalog_load(const char *rel)
{
	const char *src = getenv("YIYE_SOURCE_DIR");
	struct catalog_file *files = NULL;
	struct catalog *cat = NULL;
	struct yerr err = {0};
	char dir[4096];
	size_t n = 0;

	snprintf(dir, sizeof(dir), "%s/%s", src ? src : ".", rel);
	if (catalog_dir_read(dir, &files, &n, &err) != 0)
		fail_msg("read %s: %s", dir, err.message);
	if (catalog_parse(files, n, &cat, &err) != 0)
		fail_msg("parse %s: %s %s", dir, err.field, err.message);
	catalog_dir_free(files, n);
	return cat;
}

#endif
