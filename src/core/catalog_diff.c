/*
 * catalog_diff.c — compare two catalogs entity by entity (see catalog_diff.h).
 */
#include "core/catalog_diff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cond.h"

static int change_add(struct catalog_changes *c, enum catalog_change_kind kind, const char *entity,
		      const char *id, const char *keys)
{
	struct catalog_change *it;

	if (c->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 16;
		struct catalog_change *ni = realloc(c->items, ncap * sizeof(*ni));
		if (ni == NULL)
			return -1;
		c->items = ni;
		c->cap = ncap;
	}
	it = &c->items[c->n++];
	it->kind = kind;
	it->entity = entity;
	it->id = id ? id : "";
	snprintf(it->keys, sizeof(it->keys), "%s", keys ? keys : "");
	return 0;
}

void catalog_changes_free(struct catalog_changes *c)
{
	if (c == NULL)
		return;
	free(c->items);
	c->items = NULL;
	c->n = c->cap = 0;
}

/* json_same is json_equal except that numbers compare by value at any depth. */
static int json_same(const json_t *a, const json_t *b)
{
	size_t i;

	if (a == NULL || b == NULL)
		return a == b;
	if (json_is_number(a) && json_is_number(b))
		return json_number_value(a) == json_number_value(b);
	if (json_typeof(a) != json_typeof(b))
		return 0;
	if (json_is_array(a)) {
		if (json_array_size(a) != json_array_size(b))
			return 0;
		for (i = 0; i < json_array_size(a); i++)
			if (!json_same(json_array_get(a, i), json_array_get(b, i)))
				return 0;
		return 1;
	}
	if (json_is_object(a)) {
		const char *k;
		json_t *v;
		if (json_object_size(a) != json_object_size(b))
			return 0;
		json_object_foreach ((json_t *)a, k, v)
			if (!json_same(v, json_object_get(b, k)))
				return 0;
		return 1;
	}
	return json_equal((json_t *)a, (json_t *)b);
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* changed_keys writes the sorted top-level keys on which objects a and b differ; returns their
 * number. */
static size_t changed_keys(const json_t *a, const json_t *b, char *buf, size_t size)
{
	const char *keys[128], *k;
	size_t n = 0, i, used = 0;
	json_t *v;

	buf[0] = '\0';
	json_object_foreach ((json_t *)a, k, v)
		if (n < 128 && !json_same(v, json_object_get(b, k)))
			keys[n++] = k;
	json_object_foreach ((json_t *)b, k, v)
		if (n < 128 && json_object_get(a, k) == NULL)
			keys[n++] = k;
	qsort(keys, n, sizeof(*keys), cmp_str);
	for (i = 0; i < n; i++) {
		int w = snprintf(buf + used, size - used, "%s%s", i ? "," : "", keys[i]);
		if (w < 0 || (size_t)w >= size - used)
			break;
		used += (size_t)w;
	}
	return n;
}

/*
 * diff_kind compares one kind of entity. get(cat, i) yields the i-th entity's
 * id and JSON; find(cat, id) the JSON of the entity with that id in the other.
 */
struct kind_ops {
	const char *entity;
	size_t (*count)(const struct catalog *);
	const char *(*id_at)(const struct catalog *, size_t);
	const json_t *(*json_at)(const struct catalog *, size_t);
	const json_t *(*find)(const struct catalog *, const char *);
};

static int diff_kind(const struct catalog *a, const struct catalog *b, const struct kind_ops *ops,
		     struct catalog_changes *out)
{
	char keys[256];
	size_t i;

	for (i = 0; i < ops->count(a); i++) {
		const char *id = ops->id_at(a, i);
		const json_t *other = ops->find(b, id);
		if (other == NULL) {
			if (change_add(out, CATALOG_REMOVED, ops->entity, id, NULL) < 0)
				return -1;
		} else if (changed_keys(ops->json_at(a, i), other, keys, sizeof(keys)) > 0) {
			if (change_add(out, CATALOG_CHANGED, ops->entity, id, keys) < 0)
				return -1;
		}
	}
	for (i = 0; i < ops->count(b); i++)
		if (ops->find(a, ops->id_at(b, i)) == NULL &&
		    change_add(out, CATALOG_ADDED, ops->entity, ops->id_at(b, i), NULL) < 0)
			return -1;
	return 0;
}

#define KIND(name, arr, n, idf, findfn)                                           \
	static size_t name##_count(const struct catalog *c)                       \
	{                                                                         \
		return c->n;                                                      \
	}                                                                         \
	static const char *name##_id(const struct catalog *c, size_t i)           \
	{                                                                         \
		return c->arr[i].idf;                                             \
	}                                                                         \
	static const json_t *name##_json(const struct catalog *c, size_t i)       \
	{                                                                         \
		return c->arr[i].json;                                            \
	}                                                                         \
	static const json_t *name##_find(const struct catalog *c, const char *id) \
	{                                                                         \
		const struct catalog_##name *e = findfn(c, id);                   \
		return e ? e->json : NULL;                                        \
	}

KIND(department, departments, ndepartments, code, catalog_department_find)
KIND(material, materials, nmaterials, id, catalog_material_find)
KIND(field, fields, nfields, id, catalog_field_find)
KIND(permit, permits, npermits, code, catalog_permit_find)
KIND(industry, industries, nindustries, code, catalog_industry_find)

int catalog_diff(const struct catalog *a, const struct catalog *b, struct catalog_changes *out)
{
	static const struct kind_ops kinds[] = {
	    {"department", department_count, department_id, department_json, department_find},
	    {"material", material_count, material_id, material_json, material_find},
	    {"field", field_count, field_id, field_json, field_find},
	    {"permit", permit_count, permit_id, permit_json, permit_find},
	    {"industry", industry_count, industry_id, industry_json, industry_find},
	};
	char keys[256];
	size_t i;

	if (a->root_catalog != NULL && b->root_catalog != NULL &&
	    changed_keys(a->root_catalog, b->root_catalog, keys, sizeof(keys)) > 0 &&
	    change_add(out, CATALOG_CHANGED, "catalog", "", keys) < 0)
		return -1;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (diff_kind(a, b, &kinds[i], out) < 0)
			return -1;
	return 0;
}

json_t *catalog_changes_to_json(const struct catalog_changes *c)
{
	static const char *const kind_names[] = {"added", "removed", "changed"};
	json_t *arr = json_array();
	size_t i;

	if (arr == NULL)
		return NULL;
	for (i = 0; i < c->n; i++) {
		const struct catalog_change *ch = &c->items[i];
		json_t *keys = json_array(), *o;
		const char *p = ch->keys;
		while (keys != NULL && *p) {
			const char *comma = strchr(p, ',');
			size_t len = comma ? (size_t)(comma - p) : strlen(p);
			json_array_append_new(keys, json_stringn(p, len));
			p += len + (comma ? 1 : 0);
		}
		o = json_pack("{s:s,s:s,s:s,s:o}", "kind", kind_names[ch->kind], "entity",
			      ch->entity, "id", ch->id, "keys", keys);
		if (o == NULL || json_array_append_new(arr, o) < 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}
