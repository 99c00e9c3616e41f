/*
 * catalog_json.c — the catalog's JSON texts: parsing one input strictly, the
 * single-document form the store keeps per catalog version (read and written
 * here), on top of the builder in catalog_build.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/catalog_table.h"

/* catalog_parse_text loads one JSON text strictly; a syntax error becomes a fatal problem. */
json_t *catalog_parse_text(const char *name, const char *text, size_t len,
			   struct catalog_problems *probs)
{
	json_error_t jerr;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);

	if (root == NULL) {
		char path[64];
		snprintf(path, sizeof(path), "line %d column %d", jerr.line, jerr.column);
		catalog_problem_add(probs, true, name, path, "JSON 无法解析：%s", jerr.text);
	}
	return root;
}

int catalog_build_document(const char *text, size_t len, struct catalog **out,
			   struct catalog_problems *probs)
{
	static const char *const keys[] = {"catalog", "departments", "materials", "fields",
					   "permits"};
	struct named_root *roots = NULL;
	json_t *doc, *inds, *e;
	size_t i, n = 0;
	int rc;

	*out = NULL;
	doc = catalog_parse_text("catalog-document", text, len, probs);
	if (doc == NULL)
		return catalog_build_roots(NULL, 0, out, probs);
	if (!json_is_object(doc)) {
		catalog_problem_add(probs, true, "catalog-document", "",
				    "目录文档必须是 JSON 对象");
		json_decref(doc);
		return catalog_build_roots(NULL, 0, out, probs);
	}
	inds = json_object_get(doc, "industries");
	if (!json_is_array(inds)) {
		catalog_problem_add(probs, true, "catalog-document", "industries",
				    "缺少 \"industries\" 数组");
		inds = NULL;
	}
	roots = calloc(5 + (inds ? json_array_size(inds) : 0), sizeof(*roots));
	if (roots == NULL) {
		json_decref(doc);
		return -1;
	}
	for (i = 0; i < 5; i++) {
		json_t *v = json_object_get(doc, keys[i]);
		if (v == NULL)
			continue;
		snprintf(roots[n].name, sizeof(roots[n].name), "%s.json", keys[i]);
		roots[n++].root = json_incref(v);
	}
	if (inds != NULL)
		json_array_foreach (inds, i, e) {
			json_t *code = json_object_get(e, "code");
			if (json_is_string(code))
				snprintf(roots[n].name, sizeof(roots[n].name), "industries/%s.json",
					 json_string_value(code));
			else
				snprintf(roots[n].name, sizeof(roots[n].name), "industries/[%zu]",
					 i);
			roots[n++].root = json_incref(e);
		}
	json_decref(doc);
	rc = catalog_build_roots(roots, n, out, probs);
	free(roots);
	return rc;
}

char *catalog_to_json(const struct catalog *cat)
{
	json_t *doc = json_object(), *inds = json_array();
	char *s = NULL;
	size_t i;

	if (doc == NULL || inds == NULL)
		goto out;
	for (i = 0; i < cat->nindustries; i++) {
		/* industries[i] is built from some root; find it through the where.file name */
		size_t k;
		for (k = 0; k < cat->nindustry_roots; k++)
			if (cat->industry_files[k] == cat->industries[i].where.file)
				break;
		if (k < cat->nindustry_roots &&
		    json_array_append(inds, cat->root_industries[k]) < 0)
			goto out;
	}
	if (json_object_set(doc, "catalog", cat->root_catalog ? cat->root_catalog : json_null()) <
		0 ||
	    json_object_set(doc, "departments",
			    cat->root_departments ? cat->root_departments : json_null()) < 0 ||
	    json_object_set(doc, "materials",
			    cat->root_materials ? cat->root_materials : json_null()) < 0 ||
	    json_object_set(doc, "fields", cat->root_fields ? cat->root_fields : json_null()) < 0 ||
	    json_object_set(doc, "permits", cat->root_permits ? cat->root_permits : json_null()) <
		0 ||
	    json_object_set(doc, "industries", inds) < 0)
		goto out;
	s = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
out:
	json_decref(inds);
	json_decref(doc);
	return s;
}
