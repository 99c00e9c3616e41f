/*
 * catalog_index.c — the sorted indexes of the catalog and the lookups by id.
 *
 * Every entity kind with an id keeps its entities in input order (the order
 * the UI and the notices show) plus an array of pointers sorted by id, so a
 * lookup is a binary search. Each entity struct starts with its id, so one
 * comparison serves every kind.
 */
#include <stdlib.h>
#include <string.h>

#include "core/catalog_table.h"

_Static_assert(offsetof(struct catalog_department, code) == 0, "id first");
_Static_assert(offsetof(struct catalog_material, id) == 0, "id first");
_Static_assert(offsetof(struct catalog_field, id) == 0, "id first");
_Static_assert(offsetof(struct catalog_permit, code) == 0, "id first");
_Static_assert(offsetof(struct catalog_industry, code) == 0, "id first");

/* id_of: the id every indexed entity struct starts with. */
static const char *id_of(const void *ent)
{
	return *(const char *const *)ent;
}

static int cmp_entity(const void *a, const void *b)
{
	return strcmp(id_of(*(void *const *)a), id_of(*(void *const *)b));
}

static int cmp_key(const void *key, const void *e)
{
	return strcmp((const char *)key, id_of(*(void *const *)e));
}

/* One indexed kind: where its array, count, index, file root and locations are in struct catalog.
 */
struct index_kind {
	size_t arr, n, idx, root, size, where;
	const char *what;
};

/* clang-format off */
#define KIND(arr, n, T, root, what) \
	{offsetof(struct catalog, arr), offsetof(struct catalog, n), \
	 offsetof(struct catalog, idx_##arr), (root), sizeof(T), offsetof(T, where), (what)}
/* clang-format on */

enum { K_DEP, K_MAT, K_FLD, K_PER, K_IND };
static const struct index_kind kinds[] = {
    [K_DEP] = KIND(departments, ndepartments, struct catalog_department,
		   offsetof(struct catalog, root_departments), "部门"),
    [K_MAT] = KIND(materials, nmaterials, struct catalog_material,
		   offsetof(struct catalog, root_materials), "材料"),
    [K_FLD] =
	KIND(fields, nfields, struct catalog_field, offsetof(struct catalog, root_fields), "字段"),
    [K_PER] = KIND(permits, npermits, struct catalog_permit, offsetof(struct catalog, root_permits),
		   "许可事项"),
    [K_IND] = KIND(industries, nindustries, struct catalog_industry, CF_NONE, "行业"),
};

/*
 * make_index returns pointers to the n elements of arr sorted by id and
 * reports each duplicate id at the later entity (fatal: lookups would be
 * ambiguous).
 */
static void **make_index(struct bctx *b, char *arr, size_t n, const struct index_kind *k)
{
	void **idx = cf_calloc(b, n, sizeof(void *));
	size_t i;

	if (idx == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		idx[i] = arr + i * k->size;
	qsort(idx, n, sizeof(void *), cmp_entity);
	for (i = 1; i < n; i++)
		if (strcmp(id_of(idx[i - 1]), id_of(idx[i])) == 0) {
			char *earlier = idx[i - 1], *later = idx[i];
			const struct catalog_where *we, *wl;
			if (later < earlier) {
				earlier = idx[i];
				later = idx[i - 1];
			}
			we = (const struct catalog_where *)(earlier + k->where);
			wl = (const struct catalog_where *)(later + k->where);
			if (catalog_problem_add(b->probs, true, wl->file, wl->path,
						"%s编号 \"%s\" 重复（亦见 %s: %s）", k->what,
						id_of(idx[i]), we->file, we->path))
				b->oom = 1;
		}
	return idx;
}

void catalog_index_build(struct bctx *b)
{
	char *cat = (char *)b->cat;
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		*(void ***)(cat + kinds[i].idx) = make_index(
		    b, *(char **)(cat + kinds[i].arr), *(size_t *)(cat + kinds[i].n), &kinds[i]);
}

/* Looks key up in a sorted index of n entity pointers; NULL when absent
 * (or when the index was not built because parsing failed). */
static void *index_find(void *const *idx, size_t n, const char *key)
{
	void *const *hit;

	if (key == NULL || idx == NULL)
		return NULL;
	hit = bsearch(key, idx, n, sizeof(*idx), cmp_key);
	return hit ? *hit : NULL;
}

const struct catalog_department *catalog_department_find(const struct catalog *cat,
							 const char *code)
{
	return index_find((void *const *)cat->idx_departments, cat->ndepartments, code);
}

const struct catalog_material *catalog_material_find(const struct catalog *cat, const char *id)
{
	return index_find((void *const *)cat->idx_materials, cat->nmaterials, id);
}

const struct catalog_field *catalog_field_find(const struct catalog *cat, const char *id)
{
	return index_find((void *const *)cat->idx_fields, cat->nfields, id);
}

const struct catalog_permit *catalog_permit_find(const struct catalog *cat, const char *code)
{
	return index_find((void *const *)cat->idx_permits, cat->npermits, code);
}

const struct catalog_industry *catalog_industry_find(const struct catalog *cat, const char *code)
{
	return index_find((void *const *)cat->idx_industries, cat->nindustries, code);
}

long catalog_question_index(const struct catalog_industry *ind, const char *id)
{
	size_t i;

	if (id == NULL)
		return -1;
	for (i = 0; i < ind->nquestions; i++)
		if (strcmp(ind->questions[i].id, id) == 0)
			return (long)i;
	return -1;
}

const struct catalog_question *catalog_question_find(const struct catalog_industry *ind,
						     const char *id)
{
	long i = catalog_question_index(ind, id);

	return i < 0 ? NULL : &ind->questions[i];
}

/* ------------------------------------------------------------- references */

/*
 * ref_exists: whether id names an entity of kind k. A reference into a file
 * that is missing or unparsable is not reported again for every use.
 */
static bool ref_exists(const struct catalog *c, const struct index_kind *k, const char *id)
{
	const char *cat = (const char *)c;

	return *(json_t *const *)(cat + k->root) == NULL ||
	       index_find(*(void *const *const *)(cat + k->idx), *(const size_t *)(cat + k->n),
			  id) != NULL;
}

/* One list of ids in an entity that must name existing entities of another kind. */
struct ref_spec {
	const char *key;
	size_t arr, n;                 /* const char ** and its count in the entity struct */
	const struct index_kind *kind; /* what they name */
};

/* clang-format off */
#define REF(T, k, m, nm, kind) {(k), offsetof(T, m), offsetof(T, nm), &kinds[kind]}
/* clang-format on */

static const struct ref_spec permit_refs[] = {
    REF(struct catalog_permit, "materials", materials, nmaterials, K_MAT),
    REF(struct catalog_permit, "fields", fields, nfields, K_FLD),
};
static const struct ref_spec industry_refs[] = {
    REF(struct catalog_industry, "cooperating", cooperating, ncooperating, K_DEP),
    REF(struct catalog_industry, "permits", permits, npermits, K_PER),
    REF(struct catalog_industry, "base_permits", base_permits, nbase_permits, K_PER),
    REF(struct catalog_industry, "materials", materials, nmaterials, K_MAT),
    REF(struct catalog_industry, "fields", fields, nfields, K_FLD),
};
static const struct ref_spec rule_refs[] = {
    REF(struct catalog_rule, "permits", permits, npermits, K_PER),
    REF(struct catalog_rule, "materials", materials, nmaterials, K_MAT),
    REF(struct catalog_rule, "fields", fields, nfields, K_FLD),
};

/* ref_one reports id (at base.key) when it names no entity. */
static void ref_one(struct bctx *b, const char *file, const char *path, const char *id,
		    const struct index_kind *k)
{
	if (id != NULL && !ref_exists(b->cat, k, id) &&
	    catalog_problem_add(b->probs, true, file, path, "未知的%s \"%s\"", k->what, id))
		b->oom = 1;
}

/* ref_lists checks every id list refs names in the entity ent. */
static void ref_lists(struct bctx *b, const char *file, const char *base, const void *ent,
		      const struct ref_spec *refs, size_t nrefs)
{
	size_t r, i;

	for (r = 0; r < nrefs; r++) {
		const char *const *ids =
		    *(const char *const *const *)((const char *)ent + refs[r].arr);
		size_t n = *(const size_t *)((const char *)ent + refs[r].n);
		for (i = 0; i < n; i++) {
			char path[256];
			cf_path_index(path, sizeof(path), base, refs[r].key, i);
			ref_one(b, file, path, ids[i], refs[r].kind);
		}
	}
}

struct qref_ctx {
	struct bctx *b;
	const struct catalog_industry *ind;
};

static int qref_check(const struct cond *node, void *ctx)
{
	struct qref_ctx *q = ctx;

	if (node->question != NULL && catalog_question_find(q->ind, node->question) == NULL)
		if (catalog_problem_add(q->b->probs, true, q->ind->where.file, node->qpath,
					"未知的问题 \"%s\"", node->question))
			q->b->oom = 1;
	return 0;
}

#define NREFS(a) (sizeof(a) / sizeof((a)[0]))

void catalog_refs_check(struct bctx *b)
{
	struct catalog *cat = b->cat;
	size_t i, j;

	for (i = 0; i < cat->npermits; i++) {
		struct catalog_permit *p = &cat->permits[i];
		char path[256];
		cf_path(path, sizeof(path), p->where.path, "department");
		ref_one(b, p->where.file, path, p->department, &kinds[K_DEP]);
		ref_lists(b, p->where.file, p->where.path, p, permit_refs, NREFS(permit_refs));
	}
	for (i = 0; i < cat->nindustries; i++) {
		struct catalog_industry *ind = &cat->industries[i];
		struct qref_ctx qc = {b, ind};
		const char *f = ind->where.file;
		ref_one(b, f, "lead", ind->lead, &kinds[K_DEP]);
		ref_lists(b, f, "", ind, industry_refs, NREFS(industry_refs));
		for (j = 0; j < ind->nquestions; j++)
			cond_visit(ind->questions[j].ask_if, qref_check, &qc);
		for (j = 0; j < ind->nrules; j++) {
			struct catalog_rule *r = &ind->rules[j];
			ref_lists(b, f, r->path, r, rule_refs, NREFS(rule_refs));
			cond_visit(r->when, qref_check, &qc);
		}
	}
	catalog_supervision_check(b);
}
