/*
 * catalog_dir.c — the catalog directory on disk (catalog_dir.h).
 *
 * Why here and not in core: core opens no files (docs/development.md), so the
 * catalog model is built from texts handed to it; this is the one piece of
 * catalog code that touches the file system. It is not part of the command
 * line either, because the unit tests, the fuzz targets and the bench load
 * catalog directories too.
 */
#include "io/catalog_dir.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/catalog_check.h"

#define CATALOG_FILE_MAX (16L * 1024 * 1024)

static const char *const fixed_files[] = {"catalog.json", "departments.json", "materials.json",
					  "fields.json", "permits.json"};

/* read_file reads path whole; returns 0, 1 when it does not exist, -1 on error. */
static int read_file(const char *path, char **text, size_t *len, struct yerr *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long size;

	if (f == NULL) {
		if (errno == ENOENT)
			return 1;
		return yerr_set(err, 500, "io_error", path, "无法打开 %s：%s", path,
				strerror(errno));
	}
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return yerr_set(err, 500, "io_error", path, "无法读取 %s", path);
	}
	if (size > CATALOG_FILE_MAX) {
		fclose(f);
		return yerr_set(err, 413, "file_too_large", path, "%s 超过 16 MiB", path);
	}
	buf = malloc((size_t)size + 1);
	if (buf == NULL) {
		fclose(f);
		return yerr_set(err, 500, "out_of_memory", path, "内存不足");
	}
	if (fread(buf, 1, (size_t)size, f) != (size_t)size) {
		free(buf);
		fclose(f);
		return yerr_set(err, 500, "io_error", path, "无法读取 %s", path);
	}
	fclose(f);
	buf[size] = '\0';
	*text = buf;
	*len = (size_t)size;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void catalog_dir_free(struct catalog_file *files, size_t nfiles)
{
	size_t i;

	for (i = 0; files != NULL && i < nfiles; i++) {
		free((char *)files[i].name);
		free((char *)files[i].text);
	}
	free(files);
}

/* add_file reads dir/rel into files[*n] (skipping it when absent). */
static int add_file(const char *dir, const char *rel, struct catalog_file *files, size_t *n,
		    struct yerr *err)
{
	char path[4096];
	char *text = NULL;
	size_t len = 0;
	int r;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, rel) >= sizeof(path))
		return yerr_set(err, 400, "path_too_long", "dir", "路径过长");
	r = read_file(path, &text, &len, err);
	if (r != 0)
		return r < 0 ? -1 : 0;
	files[*n].name = strdup(rel);
	files[*n].text = text;
	files[*n].len = len;
	if (files[*n].name == NULL) {
		free(text);
		return yerr_set(err, 500, "out_of_memory", "", "内存不足");
	}
	(*n)++;
	return 0;
}

int catalog_dir_read(const char *dir, struct catalog_file **files_out, size_t *nfiles,
		     struct yerr *err)
{
	struct catalog_file *files = NULL;
	char **names = NULL, path[4096];
	size_t nnames = 0, cap = 0, n = 0, i;
	struct dirent *de;
	DIR *d;
	int rc = -1;

	*files_out = NULL;
	*nfiles = 0;
	snprintf(path, sizeof(path), "%s/industries", dir);
	d = opendir(path);
	if (d == NULL && errno != ENOENT)
		return yerr_set(err, 500, "io_error", path, "无法读取目录 %s：%s", path,
				strerror(errno));
	while (d != NULL && (de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		if (de->d_name[0] == '.' || l < 6 || strcmp(de->d_name + l - 5, ".json") != 0)
			continue;
		if (nnames == cap) {
			char **nn = realloc(names, (cap = cap ? cap * 2 : 32) * sizeof(*nn));
			if (nn == NULL)
				goto oom;
			names = nn;
		}
		if (asprintf(&names[nnames], "industries/%s", de->d_name) < 0)
			goto oom;
		nnames++;
	}
	if (names != NULL)
		qsort(names, nnames, sizeof(*names), cmp_str);
	files = calloc(5 + nnames, sizeof(*files));
	if (files == NULL)
		goto oom;
	for (i = 0; i < 5; i++)
		if (add_file(dir, fixed_files[i], files, &n, err) < 0)
			goto out;
	for (i = 0; i < nnames; i++)
		if (add_file(dir, names[i], files, &n, err) < 0)
			goto out;
	*files_out = files;
	*nfiles = n;
	files = NULL;
	rc = 0;
	goto out;
oom:
	yerr_set(err, 500, "out_of_memory", "", "内存不足");
out:
	if (d != NULL)
		closedir(d);
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	catalog_dir_free(files, n);
	return rc;
}

void catalog_dir_print_problems(FILE *f, const struct catalog_problems *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		fprintf(f, "%s: %s: %s\n", p->items[i].file,
			p->items[i].path[0] ? p->items[i].path : "(file)", p->items[i].message);
}

int catalog_dir_check(const char *dir, bool run_tests, struct catalog_problems *probs,
		      struct catalog **cat_out, size_t *ntests, struct yerr *err)
{
	struct catalog_file *files = NULL;
	struct catalog *cat = NULL;
	size_t n = 0;
	int rc = -1;

	*cat_out = NULL;
	if (catalog_dir_read(dir, &files, &n, err) < 0)
		return -1;
	if (catalog_build(files, n, &cat, probs) < 0 || catalog_check_model(cat, probs) < 0) {
		yerr_set(err, 500, "out_of_memory", "", "内存不足");
		goto out;
	}
	if (run_tests && catalog_problems_fatal(probs) == 0 &&
	    catalog_test(cat, probs, ntests) < 0) {
		yerr_set(err, 500, "out_of_memory", "", "内存不足");
		goto out;
	}
	*cat_out = cat;
	cat = NULL;
	rc = 0;
out:
	catalog_free(cat);
	catalog_dir_free(files, n);
	return rc;
}

int catalog_dir_load(const char *dir, char **doc_json_out, struct yerr *err)
{
	struct catalog_problems probs = {0};
	struct catalog *cat = NULL;
	size_t ntests = 0;
	int rc = -1;

	*doc_json_out = NULL;
	if (catalog_dir_check(dir, true, &probs, &cat, &ntests, err) < 0)
		goto out;
	if (probs.n > 0) {
		catalog_dir_print_problems(stderr, &probs);
		yerr_set(err, 422, "invalid_catalog", dir, "目录 %s 有 %zu 处问题，未导入", dir,
			 probs.n);
		goto out;
	}
	*doc_json_out = catalog_to_json(cat);
	if (*doc_json_out == NULL) {
		yerr_set(err, 500, "out_of_memory", "", "内存不足");
		goto out;
	}
	rc = 0;
out:
	catalog_free(cat);
	catalog_problems_free(&probs);
	return rc;
}
