/*
 * unit_catalog_fixture.h — a catalog directory read into memory, edited file
 * by file and checked (catalog_check), for the tests of the catalog checker
 * (test_catalog_data.c, test_catalog_supervision.c): break one thing, expect
 * exactly the problem that names it. Include it after <cmocka.h>, <dirent.h>,
 * <string.h> and core/catalog_check.h.
 */
#ifndef YIYE_UNIT_CATALOG_FIXTURE_H
#define YIYE_UNIT_CATALOG_FIXTURE_H

struct fx {
	struct catalog_file files[16];
	char names[16][64];
	size_t n;
};

static inline char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	if (fp == NULL)
		fail_msg("open %s", path);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

static inline void fx_add(struct fx *f, const char *dir, const char *name)
{
	char path[4096];

	assert_true(f->n < 16);
	/* a fixture path or name that does not fit is a broken test, not a truncation */
	assert_true(snprintf(path, sizeof(path), "%s/%s", dir, name) < (int)sizeof(path));
	assert_true(snprintf(f->names[f->n], sizeof(f->names[f->n]), "%s", name) <
		    (int)sizeof(f->names[f->n]));
	f->files[f->n].name = f->names[f->n];
	f->files[f->n].text = slurp(path, &f->files[f->n].len);
	f->n++;
}

static inline void fx_read(struct fx *f)
{
	const char *src = getenv("YIYE_SOURCE_DIR");
	const char *top[] = {"catalog.json", "departments.json", "materials.json", "fields.json",
			     "permits.json"};
	char dir[4096], sub[4200], name[300];
	struct dirent *e;
	DIR *d;

	memset(f, 0, sizeof(*f));
	snprintf(dir, sizeof(dir), "%s/tests/fixtures/catalog-mini", src ? src : ".");
	for (size_t i = 0; i < 5; i++)
		fx_add(f, dir, top[i]);
	snprintf(sub, sizeof(sub), "%s/industries", dir);
	d = opendir(sub);
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		if (strstr(e->d_name, ".json") == NULL)
			continue;
		snprintf(name, sizeof(name), "industries/%s", e->d_name);
		fx_add(f, dir, name);
	}
	closedir(d);
}

static inline void fx_free(struct fx *f)
{
	for (size_t i = 0; i < f->n; i++)
		free((char *)f->files[i].text);
}

static inline json_t *fx_get(struct fx *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->files[i].name, name) == 0)
			return json_loadb(f->files[i].text, f->files[i].len, 0, NULL);
	fail_msg("no file %s", name);
	return NULL;
}

static inline void fx_put(struct fx *f, const char *name, json_t *j)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->files[i].name, name) == 0) {
			free((char *)f->files[i].text);
			f->files[i].text = json_dumps(j, 0);
			f->files[i].len = strlen(f->files[i].text);
			json_decref(j);
			return;
		}
	fail_msg("no file %s", name);
}

static inline void dump(const struct catalog_problems *p)
{
	for (size_t i = 0; i < p->n; i++)
		print_message("  %s: %s: %s\n", p->items[i].file, p->items[i].path,
			      p->items[i].message);
}

/* expect: catalog_check reports a problem at file/path whose message contains text. */
static inline void expect(struct fx *f, const char *file, const char *path, const char *text)
{
	struct catalog_problems p = {0};
	size_t i;

	assert_int_equal(catalog_check(f->files, f->n, &p), 0);
	for (i = 0; i < p.n; i++)
		if (strcmp(p.items[i].file, file) == 0 && strcmp(p.items[i].path, path) == 0 &&
		    strstr(p.items[i].message, text) != NULL)
			break;
	if (i == p.n) {
		dump(&p);
		fail_msg("expected %s: %s: ...%s...", file, path, text);
	}
	catalog_problems_free(&p);
}

static inline void expect_clean(struct fx *f)
{
	struct catalog_problems p = {0};

	assert_int_equal(catalog_check(f->files, f->n, &p), 0);
	if (p.n) {
		dump(&p);
		fail_msg("%zu unexpected problems", p.n);
	}
	catalog_problems_free(&p);
}

#define BLD "industries/bianlidian.json"

#endif
