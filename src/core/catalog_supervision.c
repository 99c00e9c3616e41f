/*
 * catalog_supervision.c — the supervision data of an industry (issue 13,
 * docs/catalog.md "Supervision"): which departments supervise which matters
 * (监管职责) and the check items (检查事项) each uses, read by the field
 * tables below; the checks that need the whole catalog; the accessors the
 * supervision module uses.
 *
 * The rules the checker enforces, and why:
 * - a supervising department exists and has a hand in the industry (its lead,
 *   a co-operating department, or the owner of one of its permits): a plan
 *   may only send a department's inspectors where the department is
 *   competent;
 * - the permits an entry names are the industry's and the department's own:
 *   a check traces back to the permit whose conditions it checks;
 * - check-item codes are unique within the industry (a joint plan merges the
 *   departments' items by code) and a code means the same item in every
 *   industry (results are compared across industries by code);
 * - every item names a non-empty legal basis;
 * - when an industry states its supervision, each of its permits is
 *   supervised by someone (otherwise a merged permit would go unchecked).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/catalog_table.h"

/* clang-format off */
#define STR(T, k, m, fl) {.key = (k), .type = CF_STR, .flags = (fl), .off = offsetof(T, m)}
#define BOOL(T, k, m, fl) {.key = (k), .type = CF_BOOL, .flags = (fl), .off = offsetof(T, m)}
#define STRS(T, k, m, nm, fl) \
	{.key = (k), .type = CF_STRS, .flags = (fl), .off = offsetof(T, m), .aux = offsetof(T, nm)}
#define LIST(T, k, m, nm, fl, table) \
	{.key = (k), .type = CF_LIST, .flags = (fl), .off = offsetof(T, m), \
	 .aux = offsetof(T, nm), .sub = (table)}
#define UNIQUE(T, k, m, fl, what) \
	{.key = (k), .type = CF_UNIQUE, .flags = (fl), .off = offsetof(T, m), .msg = (what)}
#define KNOWN(k) {.key = (k), .type = CF_KNOWN}
#define CALL(fn) {.type = CF_CALL, .call = (fn)}
/* clang-format on */
#define TABLE(a) .specs = (a), .nspecs = sizeof(a) / sizeof((a)[0])
#define RQ CF_REQUIRED
#define RQN (CF_REQUIRED | CF_NEEDED)

/* A check-item code goes into results, URLs and exports: A–Z, 0–9 and "-". */
static bool item_code(struct bctx *b, json_t *obj, const char *base, void *ent)
{
	const struct catalog_check_item *it = ent;
	char path[256];
	size_t i, n;
	bool ok;

	(void)obj;
	if (it->code == NULL)
		return true;
	n = strlen(it->code);
	ok = n >= 1 && n <= 32;
	for (i = 0; ok && i < n; i++)
		ok = isupper((unsigned char)it->code[i]) || isdigit((unsigned char)it->code[i]) ||
		     it->code[i] == '-';
	if (!ok) {
		cf_path(path, sizeof(path), base, "code");
		PROBLEM(b, true, path,
			"检查事项编号 \"%s\" 无效（1 至 32 个大写字母、数字或 \"-\"）", it->code);
		return false;
	}
	return true;
}

/* A basis of spaces is no basis: the public reads it to know why it is checked. */
static bool item_basis(struct bctx *b, json_t *obj, const char *base, void *ent)
{
	const struct catalog_check_item *it = ent;
	char path[256];
	const char *p;

	(void)obj;
	if (it->basis == NULL)
		return true;
	for (p = it->basis; *p != '\0' && isspace((unsigned char)*p); p++)
		;
	if (*p == '\0') {
		cf_path(path, sizeof(path), base, "basis");
		PROBLEM(b, true, path, "检查事项必须写明法律依据");
	}
	return true;
}

static const struct cf_spec item_specs[] = {
    STR(struct catalog_check_item, "code", code, RQN),
    CALL(item_code),
    STR(struct catalog_check_item, "name", name, RQN),
    STR(struct catalog_check_item, "basis", basis, RQ),
    CALL(item_basis),
    STR(struct catalog_check_item, "permit", permit, 0),
    BOOL(struct catalog_check_item, "modelled", modelled, 0),
    KNOWN("note"),
    UNIQUE(struct catalog_check_item, "code", code, CF_WHOLE, "检查事项编号"),
};
static const struct cf_table item_table = {
    TABLE(item_specs),
    .size = sizeof(struct catalog_check_item),
    .path_off = CF_NONE,
    .where_off = CF_NONE,
    .json_off = offsetof(struct catalog_check_item, json),
    .not_object = "检查事项必须是对象 {\"code\",\"name\",\"basis\"}",
};

static const struct cf_spec supervision_specs[] = {
    STR(struct catalog_supervision, "department", department, RQN),
    STRS(struct catalog_supervision, "permits", permits, npermits, 0),
    STRS(struct catalog_supervision, "matters", matters, nmatters, RQ),
    LIST(struct catalog_supervision, "check_items", items, nitems, RQ, &item_table),
    KNOWN("note"),
    UNIQUE(struct catalog_supervision, "department", department, CF_WHOLE, "监管部门"),
};
const struct cf_table cf_supervision = {
    TABLE(supervision_specs),
    .size = sizeof(struct catalog_supervision),
    .path_off = CF_NONE,
    .where_off = CF_NONE,
    .json_off = offsetof(struct catalog_supervision, json),
    .not_object = "监管职责必须是对象 {\"department\",\"matters\",\"check_items\"}",
};

/* ------------------------------------------------------------- checks */

static bool in_list(const char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; s != NULL && i < n; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

#define SPROBLEM(b, fatal, file, ...)                                              \
	do {                                                                       \
		if (catalog_problem_add((b)->probs, (fatal), (file), __VA_ARGS__)) \
			(b)->oom = 1;                                              \
	} while (0)

/* has_hand: lead, co-operating, or owner of one of the industry's permits. */
static bool has_hand(const struct catalog *cat, const struct catalog_industry *ind, const char *dep)
{
	if (ind->lead != NULL && strcmp(ind->lead, dep) == 0)
		return true;
	if (in_list(ind->cooperating, ind->ncooperating, dep))
		return true;
	for (size_t i = 0; i < ind->npermits; i++) {
		const struct catalog_permit *p = catalog_permit_find(cat, ind->permits[i]);
		if (p != NULL && p->department != NULL && strcmp(p->department, dep) == 0)
			return true;
	}
	return false;
}

/* The first item with code in another industry than ind, or NULL. */
static const struct catalog_check_item *item_elsewhere(const struct catalog *cat,
						       const struct catalog_industry *ind,
						       const char *code,
						       const struct catalog_industry **where)
{
	for (size_t i = 0; i < cat->nindustries; i++) {
		const struct catalog_industry *o = &cat->industries[i];
		const struct catalog_check_item *it;

		if (o == ind)
			return NULL; /* only earlier industries: each pair is reported once */
		if ((it = catalog_check_item_find(o, code, NULL)) != NULL) {
			*where = o;
			return it;
		}
	}
	return NULL;
}

static void check_entry(struct bctx *b, const struct catalog_industry *ind, size_t si)
{
	const struct catalog *cat = b->cat;
	const struct catalog_supervision *s = &ind->supervision[si];
	const char *f = ind->where.file;
	char path[256];
	size_t k, m, j;

	snprintf(path, sizeof(path), "supervision[%zu].department", si);
	if (catalog_department_find(cat, s->department) == NULL) {
		SPROBLEM(b, true, f, path, "未知的监管部门 \"%s\"", s->department);
		return;
	}
	if (!has_hand(cat, ind, s->department))
		SPROBLEM(b, true, f, path,
			 "部门 \"%s\" 既不是本行业的牵头、协同部门，也不负责本行业的任何许可，"
			 "不能监管本行业",
			 s->department);
	for (k = 0; k < s->npermits; k++) {
		const struct catalog_permit *p = catalog_permit_find(cat, s->permits[k]);

		snprintf(path, sizeof(path), "supervision[%zu].permits[%zu]", si, k);
		if (!in_list(ind->permits, ind->npermits, s->permits[k]))
			SPROBLEM(b, true, f, path, "许可 \"%s\" 不是本行业合并的许可",
				 s->permits[k]);
		else if (p != NULL && strcmp(p->department, s->department) != 0)
			SPROBLEM(b, true, f, path, "许可 \"%s\" 由 \"%s\" 负责，不由 \"%s\" 监管",
				 s->permits[k], p->department, s->department);
	}
	for (k = 0; k < s->nitems; k++) {
		const struct catalog_check_item *it = &s->items[k], *o;
		const struct catalog_industry *oi = NULL;

		snprintf(path, sizeof(path), "supervision[%zu].check_items[%zu].permit", si, k);
		if (it->permit != NULL && !in_list(s->permits, s->npermits, it->permit))
			SPROBLEM(b, true, f, path, "许可 \"%s\" 不在本部门监管的 permits 中",
				 it->permit);
		snprintf(path, sizeof(path), "supervision[%zu].check_items[%zu].code", si, k);
		/* the same code under an earlier department of the industry */
		for (m = 0; m < si; m++)
			for (j = 0; j < ind->supervision[m].nitems; j++)
				if (strcmp(ind->supervision[m].items[j].code, it->code) == 0)
					SPROBLEM(
					    b, true, f, path,
					    "检查事项编号 \"%s\" 重复（亦见 supervision[%zu]）",
					    it->code, m);
		o = item_elsewhere(cat, ind, it->code, &oi);
		if (o != NULL && strcmp(o->name, it->name) != 0)
			SPROBLEM(b, true, f, path,
				 "检查事项编号 \"%s\" 在行业 \"%s\" 中名为“%s”，同一编号必须指同一"
				 "检查事项",
				 it->code, oi->code, o->name);
	}
}

void catalog_supervision_check(struct bctx *b)
{
	const struct catalog *cat = b->cat;

	for (size_t i = 0; i < cat->nindustries; i++) {
		const struct catalog_industry *ind = &cat->industries[i];

		for (size_t si = 0; si < ind->nsupervision; si++)
			check_entry(b, ind, si);
		if (ind->nsupervision == 0)
			continue;
		for (size_t k = 0; k < ind->npermits; k++) {
			const struct catalog_permit *p = catalog_permit_find(cat, ind->permits[k]);
			bool covered = false;
			char path[256];

			for (size_t si = 0; si < ind->nsupervision && !covered; si++)
				covered = in_list(ind->supervision[si].permits,
						  ind->supervision[si].npermits, ind->permits[k]);
			snprintf(path, sizeof(path), "permits[%zu]", k);
			if (!covered && p != NULL)
				SPROBLEM(
				    b, false, ind->where.file, path,
				    "许可 \"%s\" 没有写明监管部门（supervision 中无部门列出它）",
				    ind->permits[k]);
		}
	}
}

/* ---------------------------------------------------------- accessors */

const struct catalog_supervision *catalog_supervision_find(const struct catalog_industry *ind,
							   const char *department)
{
	for (size_t i = 0; ind != NULL && department != NULL && i < ind->nsupervision; i++)
		if (strcmp(ind->supervision[i].department, department) == 0)
			return &ind->supervision[i];
	return NULL;
}

bool catalog_supervises(const struct catalog *cat, const char *industry, const char *department)
{
	if (industry != NULL)
		return catalog_supervision_find(catalog_industry_find(cat, industry), department) !=
		       NULL;
	for (size_t i = 0; i < cat->nindustries; i++)
		if (catalog_supervision_find(&cat->industries[i], department) != NULL)
			return true;
	return false;
}

const struct catalog_check_item *catalog_check_item_find(const struct catalog_industry *ind,
							 const char *code,
							 const struct catalog_supervision **sup)
{
	for (size_t i = 0; ind != NULL && code != NULL && i < ind->nsupervision; i++)
		for (size_t k = 0; k < ind->supervision[i].nitems; k++)
			if (strcmp(ind->supervision[i].items[k].code, code) == 0) {
				if (sup != NULL)
					*sup = &ind->supervision[i];
				return &ind->supervision[i].items[k];
			}
	return NULL;
}

const struct catalog_field *catalog_annual_field_find(const struct catalog_industry *ind,
						      const char *id)
{
	for (size_t i = 0; ind != NULL && id != NULL && i < ind->nannual_fields; i++)
		if (strcmp(ind->annual_fields[i].id, id) == 0)
			return &ind->annual_fields[i];
	return NULL;
}
