/*
 * catalog_build.c — build the in-memory catalog from parsed JSON roots, free
 * it, and the strict front door (catalog_parse) the server uses.
 *
 * Building is lenient on purpose: catalog_build reads everything it can and
 * records every problem with its file and JSON path, so one `yiye catalog check`
 * run shows all of them. catalog_parse is the same builder, failing when a
 * problem is fatal. What each file may contain is in the field tables of
 * catalog_fields.c; lookups and references are in catalog_index.c, search in
 * catalog_search.c, the JSON texts in catalog_json.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/catalog_table.h"

/* ---------------------------------------------------------------- problems */

int catalog_problem_add(struct catalog_problems *p, bool fatal, const char *file, const char *path,
			const char *fmt, ...)
{
	struct catalog_problem *it;
	va_list ap;

	if (p->n == p->cap) {
		size_t ncap = p->cap ? p->cap * 2 : 16;
		struct catalog_problem *ni = realloc(p->items, ncap * sizeof(*ni));
		if (ni == NULL)
			return -1;
		p->items = ni;
		p->cap = ncap;
	}
	it = &p->items[p->n++];
	it->fatal = fatal;
	snprintf(it->file, sizeof(it->file), "%s", file ? file : "");
	snprintf(it->path, sizeof(it->path), "%s", path ? path : "");
	va_start(ap, fmt);
	vsnprintf(it->message, sizeof(it->message), fmt, ap);
	va_end(ap);
	return 0;
}

void catalog_problems_free(struct catalog_problems *p)
{
	if (p == NULL)
		return;
	free(p->items);
	p->items = NULL;
	p->n = p->cap = 0;
}

size_t catalog_problems_fatal(const struct catalog_problems *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->n; i++)
		n += p->items[i].fatal;
	return n;
}

/* ------------------------------------------------------------------ build */

/* The fixed files: where each one's root and entities go in struct catalog. */
static const struct fixed_file {
	const char *name;
	size_t root;
	const struct cf_table *table;
	size_t arr, n; /* entity array and count, or CF_NONE for an object file */
} fixed[] = {
    {"catalog.json", offsetof(struct catalog, root_catalog), &cf_settings, CF_NONE, CF_NONE},
    {"departments.json", offsetof(struct catalog, root_departments), &cf_departments,
     offsetof(struct catalog, departments), offsetof(struct catalog, ndepartments)},
    {"materials.json", offsetof(struct catalog, root_materials), &cf_materials,
     offsetof(struct catalog, materials), offsetof(struct catalog, nmaterials)},
    {"fields.json", offsetof(struct catalog, root_fields), &cf_fields,
     offsetof(struct catalog, fields), offsetof(struct catalog, nfields)},
    {"permits.json", offsetof(struct catalog, root_permits), &cf_permits,
     offsetof(struct catalog, permits), offsetof(struct catalog, npermits)},
};
#define NFIXED (sizeof(fixed) / sizeof(fixed[0]))
#define AT(cat, off, T) ((T *)((char *)(cat) + (off)))

/* build_fixed reads one fixed file's root with its table. */
static void build_fixed(struct bctx *b, const struct fixed_file *f, json_t *root)
{
	b->file = f->name;
	if (f->arr == CF_NONE) {
		if (!json_is_object(root))
			PROBLEM(b, true, "", "文件内容必须是 JSON 对象");
		else
			cf_read(b, root, "", f->table, b->cat, NULL, 0);
	} else if (!json_is_array(root)) {
		PROBLEM(b, true, "", "文件内容必须是 JSON 数组");
	} else {
		cf_list(b, root, "", "", f->table, AT(b->cat, f->arr, void *),
			AT(b->cat, f->n, size_t));
	}
}

/* build_industry reads one industry file into ind; false when it has no code or name. */
static bool build_industry(struct bctx *b, json_t *root, struct catalog_industry *ind)
{
	const char *slash, *dot;

	if (!json_is_object(root)) {
		PROBLEM(b, true, "", "文件内容必须是 JSON 对象");
		return false;
	}
	ind->where.file = b->file;
	ind->json = root;
	if (!cf_read(b, root, "", &cf_industry, ind, NULL, 0))
		return false;
	slash = strrchr(b->file, '/');
	dot = strrchr(b->file, '.');
	if (slash && dot && dot > slash &&
	    (strlen(ind->code) != (size_t)(dot - slash - 1) ||
	     strncmp(slash + 1, ind->code, (size_t)(dot - slash - 1)) != 0))
		PROBLEM(b, false, "code", "行业编码 \"%s\" 与文件名不一致", ind->code);
	if (catalog_search_prepare(ind) < 0)
		b->oom = 1;
	return true;
}

/*
 * catalog_build_roots turns already-parsed JSON roots into a catalog. It takes
 * over the references in roots (they end up owned by the catalog, or are released).
 */
int catalog_build_roots(struct named_root *roots, size_t n, struct catalog **out,
			struct catalog_problems *probs)
{
	struct catalog *cat;
	struct bctx b = {0};
	bool unparsable[NFIXED] = {false};
	size_t i, k, nind = 0;

	*out = NULL;
	cat = calloc(1, sizeof(*cat));
	if (cat == NULL)
		goto oom;
	b.cat = cat;
	b.probs = probs;
	cat->nindustry_roots = 0;
	cat->root_industries = calloc(n ? n : 1, sizeof(json_t *));
	cat->industry_files = calloc(n ? n : 1, sizeof(char *));
	if (cat->root_industries == NULL || cat->industry_files == NULL)
		goto oom;
	for (i = 0; i < n; i++) {
		json_t **slot = NULL;
		for (k = 0; k < NFIXED; k++)
			if (strcmp(roots[i].name, fixed[k].name) == 0)
				break;
		if (k < NFIXED)
			slot = AT(cat, fixed[k].root, json_t *);
		if (roots[i].root == NULL) {
			if (k < NFIXED)
				unparsable[k] = true;
			continue;
		}
		if (slot != NULL) {
			if (*slot != NULL)
				catalog_problem_add(probs, true, roots[i].name, "", "文件重复出现");
			else
				*slot = roots[i].root;
			if (*slot != roots[i].root)
				json_decref(roots[i].root);
		} else if (strncmp(roots[i].name, "industries/", 11) == 0) {
			cat->root_industries[nind] = roots[i].root;
			cat->industry_files[nind] = strdup(roots[i].name);
			if (cat->industry_files[nind] == NULL) {
				json_decref(roots[i].root);
				goto oom;
			}
			nind++;
			cat->nindustry_roots = nind;
		} else {
			catalog_problem_add(probs, true, roots[i].name, "", "不认识的目录文件");
			json_decref(roots[i].root);
		}
		roots[i].root = NULL;
	}
	*out = cat;
	for (k = 0; k < NFIXED; k++)
		if (*AT(cat, fixed[k].root, json_t *) == NULL && !unparsable[k])
			catalog_problem_add(probs, true, fixed[k].name, "", "缺少文件");

	for (k = 0; k < NFIXED; k++)
		if (*AT(cat, fixed[k].root, json_t *) != NULL)
			build_fixed(&b, &fixed[k], *AT(cat, fixed[k].root, json_t *));

	cat->industries = cf_calloc(&b, nind, sizeof(*cat->industries));
	if (cat->industries == NULL) {
		cat->nindustry_roots = 0; /* nothing to free per industry; roots freed below */
		for (i = 0; i < nind; i++) {
			json_decref(cat->root_industries[i]);
			free(cat->industry_files[i]);
		}
		goto oom;
	}
	for (i = 0; i < nind; i++) {
		struct catalog_industry *ind = &cat->industries[cat->nindustries];
		b.file = cat->industry_files[i];
		/* a partial entry stays (without a code) so catalog_free reaches its allocations */
		if (!build_industry(&b, cat->root_industries[i], ind))
			ind->code = NULL;
		cat->nindustries++;
	}
	/* drop industries without a code from the searchable set, keep them for free */
	for (i = 0, k = 0; i < cat->nindustries; i++)
		if (cat->industries[i].code != NULL)
			k++;
	if (k != cat->nindustries) {
		/* compact: move good ones to the front; bad ones go past nindustries but are still
		 * freed */
		size_t w = 0;
		for (i = 0; i < cat->nindustries; i++)
			if (cat->industries[i].code != NULL) {
				struct catalog_industry tmp = cat->industries[w];
				cat->industries[w] = cat->industries[i];
				cat->industries[i] = tmp;
				w++;
			}
	}
	cat->nindustries = k;

	catalog_index_build(&b);
	if (b.oom)
		goto oom;
	catalog_refs_check(&b);
	if (b.oom)
		goto oom;
	return 0;
oom:
	for (i = 0; i < n; i++)
		json_decref(roots[i].root);
	catalog_free(cat);
	*out = NULL;
	return -1;
}

void catalog_free(struct catalog *cat)
{
	size_t i, k;

	if (cat == NULL)
		return;
	for (k = 0; k < NFIXED; k++) {
		char *arr;
		if (fixed[k].arr == CF_NONE)
			continue;
		arr = *AT(cat, fixed[k].arr, char *);
		for (i = 0; arr != NULL && i < *AT(cat, fixed[k].n, size_t); i++)
			cf_release(fixed[k].table, arr + i * fixed[k].table->size);
		free(arr);
		json_decref(*AT(cat, fixed[k].root, json_t *));
	}
	json_decref(cat->root_catalog);
	/* industries: as many entries were allocated as there are industry roots */
	if (cat->industries)
		for (i = 0; i < cat->nindustry_roots; i++)
			cf_release(&cf_industry, &cat->industries[i]);
	free(cat->industries);
	free(cat->idx_departments);
	free(cat->idx_materials);
	free(cat->idx_fields);
	free(cat->idx_permits);
	free(cat->idx_industries);
	for (i = 0; i < cat->nindustry_roots; i++) {
		json_decref(cat->root_industries[i]);
		free(cat->industry_files[i]);
	}
	free(cat->root_industries);
	free(cat->industry_files);
	free(cat);
}

int catalog_build(const struct catalog_file *files, size_t nfiles, struct catalog **out,
		  struct catalog_problems *probs)
{
	struct named_root *roots = calloc(nfiles ? nfiles : 1, sizeof(*roots));
	size_t i, n = 0;
	int rc;

	*out = NULL;
	if (roots == NULL)
		return -1;
	for (i = 0; i < nfiles; i++) {
		json_t *r = catalog_parse_text(files[i].name, files[i].text, files[i].len, probs);
		/* an unparsable file stays in the list with a NULL root: present, but unusable */
		snprintf(roots[n].name, sizeof(roots[n].name), "%s", files[i].name);
		roots[n++].root = r;
	}
	rc = catalog_build_roots(roots, n, out, probs);
	free(roots);
	return rc;
}

/* finish_strict turns the first fatal problem into err. */
static int finish_strict(int rc, struct catalog **out, struct catalog_problems *probs,
			 struct yerr *err)
{
	size_t i;

	if (rc < 0) {
		catalog_problems_free(probs);
		return yerr_set(err, 500, "out_of_memory", "", "内存不足，无法载入目录");
	}
	for (i = 0; i < probs->n; i++)
		if (probs->items[i].fatal) {
			char where[300];
			snprintf(where, sizeof(where), "%s: %s", probs->items[i].file,
				 probs->items[i].path);
			yerr_set(err, 422, "invalid_catalog", where, "目录有误（共 %zu 处）：%s",
				 catalog_problems_fatal(probs), probs->items[i].message);
			catalog_free(*out);
			*out = NULL;
			catalog_problems_free(probs);
			return -1;
		}
	catalog_problems_free(probs);
	return 0;
}

int catalog_parse(const struct catalog_file *files, size_t nfiles, struct catalog **out,
		  struct yerr *err)
{
	struct catalog_problems probs = {0};

	return finish_strict(catalog_build(files, nfiles, out, &probs), out, &probs, err);
}

int catalog_parse_document(const char *text, size_t len, struct catalog **out, struct yerr *err)
{
	struct catalog_problems probs = {0};

	return finish_strict(catalog_build_document(text, len, out, &probs), out, &probs, err);
}
