/*
 * catalog_fields.c — the field tables of the catalog format: for every entity
 * (catalog settings, department, material, field, permit, permit condition,
 * industry, question, rule, rule test…) one table listing each JSON key, its
 * type, where its value goes in the struct of catalog.h, whether it is
 * required and its limits. The generic reader (catalog_table.c) walks them;
 * the few checks that involve more than one key are the CF_CALL functions
 * below, run at their place in the table so problems keep their order.
 *
 * How to add a field to an entity (say "status" to industries):
 *   1. catalog.h: add the member to the entity struct (e.g.
 *      `const char *status;` to struct catalog_industry); strings point into
 *      the catalog's JSON and need no freeing.
 *   2. Here: in the entity's table replace its CF_KNOWN line (or add a line)
 *      with the reader, in the order its problems should be reported:
 *          STR(struct catalog_industry, "status", status, 0),
 *      Flags: CF_REQUIRED (missing is a problem), CF_NEEDED (the entity is
 *      dropped without it). Types: STR, LONG (with the lowest value), BOOL,
 *      NUMBER (with a "present" flag member), STRS (array of ids, with a count
 *      member), OBJECT (nested object read into the same struct through a
 *      sub-table), LIST (array of sub-entities, with a count member).
 *   3. A value that must come from a fixed set, or that depends on another
 *      key, gets a CALL(fn) line after the keys it needs; fn reports with
 *      PROBLEM(b, fatal, path, fmt, …) (a fixed set: check_enum below) and
 *      returns false only to drop the entity. A nested object of the entity
 *      (like a permit's "before") is an OBJECT line with its own small table
 *      whose members are read into the same struct.
 *   4. A reference to another entity (a department code, permit codes…) is
 *      checked after the whole catalog is built: catalog_refs_check in
 *      catalog_build.c.
 *   5. An array the builder allocates (STRS, LIST) is freed by cf_release from
 *      the table; anything a CALL allocates needs the table's .release.
 *   6. docs/catalog.md documents the key; tests/unit/test_catalog.c and, for a
 *      new message, tests/cli/catalog_broken.sh show the problem it reports.
 * A key the format allows but the server does not read is a KNOWN("key") line
 * (otherwise `yiye catalog check` calls it unknown).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/catalog_table.h"
#include "core/license.h"

/* One line per kind of spec (the formatter would spread each over four). */
/* clang-format off */
#define KNOWN(k) {.key = (k), .type = CF_KNOWN}
#define STR(T, k, m, fl) {.key = (k), .type = CF_STR, .flags = (fl), .off = offsetof(T, m)}
#define LONG(T, k, m, fl, lo) \
	{.key = (k), .type = CF_LONG, .flags = (fl), .off = offsetof(T, m), .min = (lo)}
#define BOOL(T, k, m, fl) {.key = (k), .type = CF_BOOL, .flags = (fl), .off = offsetof(T, m)}
#define NUMBER(T, k, m, has) \
	{.key = (k), .type = CF_NUMBER, .off = offsetof(T, m), .aux = offsetof(T, has)}
#define STRS(T, k, m, nm, fl) \
	{.key = (k), .type = CF_STRS, .flags = (fl), .off = offsetof(T, m), .aux = offsetof(T, nm)}
/* STRS_CHECK: an array of strings that is checked but not kept. */
#define STRS_CHECK(k, fl) {.key = (k), .type = CF_STRS, .flags = (fl), .off = CF_NONE}
#define OBJECT(k, fl, table, message) \
	{.key = (k), .type = CF_OBJECT, .flags = (fl), .off = CF_NONE, .sub = (table), \
	 .msg = (message)}
/* OBJECT_AT: a nested object whose JSON is also kept at member m. */
#define OBJECT_AT(T, k, m, fl, table, message) \
	{.key = (k), .type = CF_OBJECT, .flags = (fl), .off = offsetof(T, m), .sub = (table), \
	 .msg = (message)}
#define LIST(T, k, m, nm, fl, table) \
	{.key = (k), .type = CF_LIST, .flags = (fl), .off = offsetof(T, m), \
	 .aux = offsetof(T, nm), .sub = (table)}
#define UNIQUE(T, k, m, fl, what) \
	{.key = (k), .type = CF_UNIQUE, .flags = (fl), .off = offsetof(T, m), .msg = (what)}
#define CALL(fn) {.type = CF_CALL, .call = (fn)}
/* clang-format on */

#define TABLE(a) .specs = (a), .nspecs = sizeof(a) / sizeof((a)[0])
#define RQ CF_REQUIRED
#define RQN (CF_REQUIRED | CF_NEEDED)

/*
 * check_enum reports value at base.key when it is not one of names, as
 * `WHAT "value" 无效（可用 NAME NAME…）`; returns its index or -1.
 */
static long check_enum(struct bctx *b, const char *base, const char *key, const char *value,
		       const char *const *names, const char *what)
{
	char path[256], list[256] = "";
	size_t used = 0;
	long k;

	for (k = 0; names[k] != NULL; k++)
		if (strcmp(names[k], value) == 0)
			return k;
	for (k = 0; names[k] != NULL && used < sizeof(list); k++)
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", k ? " " : "",
					 names[k]);
	cf_path(path, sizeof(path), base, key);
	PROBLEM(b, true, path, "%s \"%s\" 无效（可用 %s）", what, value, list);
	return -1;
}

/* ------------------------------------------------------------ catalog.json */

/*
 * read_validity reads a validity value at base.key: a number of years (1 to
 * 100), "none" (no term: 长期有效 / 不设有效期) or, where shortest is allowed,
 * "shortest" (the shortest term of the merged permits). A missing key leaves
 * *kind untouched and returns false; a bad value is a problem (not fatal: the
 * value then stays the default).
 */
static bool read_validity(struct bctx *b, json_t *obj, const char *base, const char *key,
			  bool shortest, int *kind, long *years)
{
	json_t *v = json_object_get(obj, key);
	char path[256];

	if (v == NULL)
		return false;
	cf_path(path, sizeof(path), base, key);
	if (json_is_integer(v) && json_integer_value(v) >= 1 && json_integer_value(v) <= 100) {
		*kind = LIC_VALIDITY_YEARS;
		*years = (long)json_integer_value(v);
		return true;
	}
	if (json_is_string(v) && strcmp(json_string_value(v), "none") == 0) {
		*kind = LIC_VALIDITY_NONE;
		*years = 0;
		return true;
	}
	if (shortest && json_is_string(v) && strcmp(json_string_value(v), "shortest") == 0) {
		*kind = LIC_VALIDITY_SHORTEST;
		*years = 0;
		return true;
	}
	if (json_is_integer(v) && json_integer_value(v) == 0)
		PROBLEM(b, false, path,
			"有效期 0 不明确：写明年数，或 \"none\" 表示不设有效期（长期有效）");
	else
		PROBLEM(b, false, path, "有效期应为 1 至 100 的年数、\"none\"%s",
			shortest ? "或 \"shortest\"" : "");
	return false;
}

/* extension_days: the 延续 window, 1 to 366 days before expiry. */
static void read_extension(struct bctx *b, json_t *obj, const char *base, long *days)
{
	json_t *v = json_object_get(obj, "extension_days");
	char path[256];

	if (v == NULL)
		return;
	cf_path(path, sizeof(path), base, "extension_days");
	if (json_is_integer(v) && json_integer_value(v) >= 1 && json_integer_value(v) <= 366)
		*days = (long)json_integer_value(v);
	else
		PROBLEM(b, false, path, "延续申请期限应为 1 至 366 天");
}

static bool settings_license(struct bctx *b, json_t *obj, const char *base, void *ent)
{
	struct catalog *cat = ent;
	json_t *lic = json_object_get(obj, "license");
	char path[256];

	cat->license_validity = LIC_VALIDITY_SHORTEST;
	if (lic == NULL)
		return true;
	cf_path(path, sizeof(path), base, "license");
	if (!json_is_object(lic)) {
		PROBLEM(b, false, path, "\"license\" 必须是对象 {\"validity\",\"extension_days\"}");
		return true;
	}
	read_validity(b, lic, path, "validity", true, &cat->license_validity, &cat->license_years);
	read_extension(b, lic, path, &cat->extension_days);
	return true;
}

static bool settings_format(struct bctx *b, json_t *obj, const char *base, void *ent)
{
	struct catalog *cat = ent;
	char path[256];

	cf_path(path, sizeof(path), base, "format");
	if (json_object_get(obj, "format") != NULL && cat->format != 1)
		PROBLEM(b, true, path, "不支持的目录格式 %ld（应为 1）", cat->format);
	return true;
}

static const struct cf_spec after_specs[] = {
    LONG(struct catalog, "steps", after_steps, RQ, 0),
    LONG(struct catalog, "trips", after_trips, RQ, 0),
    /* added when an applying permit needs an inspection */
    LONG(struct catalog, "inspection_steps", after_inspection_steps, 0, 0),
    LONG(struct catalog, "inspection_trips", after_inspection_trips, 0, 0),
    KNOWN("modelled"), /* checked by catalog_check_data */
    KNOWN("note"),
};
static const struct cf_table after_table = {TABLE(after_specs)};

static const struct cf_spec settings_specs[] = {
    LONG(struct catalog, "format", format, RQ, 0),
    CALL(settings_format),
    STR(struct catalog, "title", title, RQ),
    STR(struct catalog, "district", district, RQ),
    STR(struct catalog, "issuer", issuer, RQ),
    LONG(struct catalog, "issuance_days", issuance_days, RQ, 0),
    OBJECT("after", RQ, &after_table, "缺少 \"after\" 对象 {\"steps\":N,\"trips\":N}"),
    KNOWN("license"), /* the unified validity: settings_license */
    CALL(settings_license),
    KNOWN("note"),
    KNOWN("description"),
    KNOWN("service"), /* 办事指南 items, checked by catalog_check_data */
};
const struct cf_table cf_settings = {TABLE(settings_specs)};

/* -------------------------------------------------------- departments.json */

static const struct cf_spec department_specs[] = {
    STR(struct catalog_department, "code", code, RQN),
    STR(struct catalog_department, "name", name, RQN),
    KNOWN("note"),
    KNOWN("short_name"),
};
const struct cf_table cf_departments = {
    TABLE(department_specs),
    .size = sizeof(struct catalog_department),
    .path_off = CF_NONE,
    .where_off = offsetof(struct catalog_department, where),
    .json_off = offsetof(struct catalog_department, json),
    .not_object = "必须是对象",
};

/* ---------------------------------------------------------- materials.json */

/* The registers of the platform a material may be obtained from. */
static const char *const shared_registers[] = {"entity_register", NULL};

/* shared_from names a register, and only an exempt material is obtained
 * from one (a material the applicant must hand in is never fetched). */
static bool material_shared(struct bctx *b, json_t *obj, const char *base, void *ent)
{
	struct catalog_material *m = ent;
	char path[256];

	(void)obj;
	if (m->shared_from == NULL)
		return true;
	if (check_enum(b, base, "shared_from", m->shared_from, shared_registers, "共享来源") < 0) {
		m->shared_from = NULL;
		return true;
	}
	if (!m->exempt) {
		cf_path(path, sizeof(path), base, "shared_from");
		PROBLEM(b, true, path, "只有免于提交（exempt: true）的材料才能由平台共享获取");
		m->shared_from = NULL;
	}
	return true;
}

static const struct cf_spec material_specs[] = {
    STR(struct catalog_material, "id", id, RQN),
    STR(struct catalog_material, "name", name, RQN),
    BOOL(struct catalog_material, "exempt", exempt, 0),
    STR(struct catalog_material, "source", source, 0),
    STR(struct catalog_material, "shared_from", shared_from, 0),
    STR(struct catalog_material, "note", note, 0),
    CALL(material_shared),
};
const struct cf_table cf_materials = {
    TABLE(material_specs),
    .size = sizeof(struct catalog_material),
    .path_off = CF_NONE,
    .where_off = offsetof(struct catalog_material, where),
    .json_off = offsetof(struct catalog_material, json),
    .not_object = "必须是对象",
};

/* ------------------------------------------------------------- fields.json */

static const struct cf_spec option_specs[] = {
    STR(struct catalog_option, "value", value, RQN),
    STR(struct catalog_option, "label", label, RQN),
    KNOWN("note"),
    UNIQUE(struct catalog_option, "value", value, CF_WHOLE, "选项值"),
};
static const struct cf_table option_table = {
    TABLE(option_specs), .size = sizeof(struct catalog_option),
    .path_off = CF_NONE, .where_off = CF_NONE,
    .json_off = CF_NONE, .not_object = "选项必须是 {\"value\",\"label\"} 对象",
};

static const char *const field_types[] = {"text", "number", "area",  "date",    "enum",
					  "uscc", "idcard", "phone", "address", NULL};

static bool field_check(struct bctx *b, json_t *obj, const char *base, void *ent)
{
	struct catalog_field *f = ent;
	char path[256];

	(void)obj;
	if (f->type != NULL && check_enum(b, base, "type", f->type, field_types, "字段类型") >= 0 &&
	    strcmp(f->type, "enum") == 0 && f->noptions == 0) {
		cf_path(path, sizeof(path), base, "options");
		PROBLEM(b, true, path, "enum 字段必须有 options");
	}
	if (f->has_min && f->has_max && f->min > f->max) {
		cf_path(path, sizeof(path), base, "min");
		PROBLEM(b, true, path, "min 大于 max");
	}
	return true;
}

static const struct cf_spec field_specs[] = {
    STR(struct catalog_field, "id", id, RQN),
    STR(struct catalog_field, "label", label, RQN),
    STR(struct catalog_field, "type", type, RQN),
    BOOL(struct catalog_field, "required", required, 0),
    LIST(struct catalog_field, "options", options, noptions, 0, &option_table),
    NUMBER(struct catalog_field, "min", min, has_min),
    NUMBER(struct catalog_field, "max", max, has_max),
    LONG(struct catalog_field, "maxlen", maxlen, 0, 1),
    STR(struct catalog_field, "group", group, 0),
    KNOWN("note"),
    KNOWN("placeholder"),
    CALL(field_check),
};
const struct cf_table cf_fields = {
    TABLE(field_specs),
    .size = sizeof(struct catalog_field),
    .path_off = CF_NONE,
    .where_off = offsetof(struct catalog_field, where),
    .json_off = offsetof(struct catalog_field, json),
    .not_object = "必须是对象",
};

/* An industry's annual-report field (issue 13): the shape of fields.json,
 * plus "modelled", with ids unique within the industry. */
static const struct cf_spec annual_field_specs[] = {
    STR(struct catalog_field, "id", id, RQN),
    STR(struct catalog_field, "label", label, RQN),
    STR(struct catalog_field, "type", type, RQN),
    BOOL(struct catalog_field, "required", required, 0),
    LIST(struct catalog_field, "options", options, noptions, 0, &option_table),
    NUMBER(struct catalog_field, "min", min, has_min),
    NUMBER(struct catalog_field, "max", max, has_max),
    LONG(struct catalog_field, "maxlen", maxlen, 0, 1),
    STR(struct catalog_field, "group", group, 0),
    BOOL(struct catalog_field, "modelled", modelled, 0),
    KNOWN("note"),
    KNOWN("placeholder"),
    CALL(field_check),
    UNIQUE(struct catalog_field, "id", id, CF_WHOLE, "年报字段编号"),
};
const struct cf_table cf_annual_field = {
    TABLE(annual_field_specs),
    .size = sizeof(struct catalog_field),
    .path_off = CF_NONE,
    .where_off = offsetof(struct catalog_field, where),
    .json_off = offsetof(struct catalog_field, json),
    .not_object = "年报字段必须是对象",
};

/* ------------------------------------------------------------ permits.json */

static const char *const categories[] = {"场所", "设备", "人员", "资金", "管理制度", NULL};

static bool condition_category(struct bctx *b, json_t *obj, const char *base, void *ent)
{
	struct catalog_condition *c = ent;

	(void)obj;
	if (c->category != NULL)
		check_enum(b, base, "category", c->category, categories, "条件类别");
	return true;
}

static const struct cf_spec condition_specs[] = {
    STR(struct catalog_condition, "id", id, RQN),
    STR(struct catalog_condition, "category", category, RQN),
    STR(struct catalog_condition, "text", text, RQN),
    BOOL(struct catalog_condition, "commitment", commitment, RQ),
    KNOWN("note"),
    CALL(condition_category),
    UNIQUE(struct catalog_condition, "id", id, 0, "条件编号"),
};
static const struct cf_table condition_table = {
    TABLE(condition_specs), .size = sizeof(struct catalog_condition),
    .path_off = CF_NONE,    .where_off = CF_NONE,
    .json_off = CF_NONE,    .not_object = "必须是对象",
};

/* before.permits is always 1: the cost of one permit before the reform. */
static bool cost_one_permit(struct bctx *b, json_t *obj, const char *base, void *ent)
{
	(void)b, (void)obj, (void)base;
	((struct catalog_permit *)ent)->before.permits = 1;
	return true;
}

static const struct cf_spec cost_specs[] = {
    CALL(cost_one_permit),
    LONG(struct catalog_permit, "materials", before.materials, RQ, 0),
    LONG(struct catalog_permit, "fields", before.fields, RQ, 0),
    LONG(struct catalog_permit, "days", before.days, RQ, 0),
    LONG(struct catalog_permit, "steps", before.steps, RQ, 0),
    LONG(struct catalog_permit, "trips", before.trips, RQ, 0),
    KNOWN("modelled"),
};
static const struct cf_table cost_table = {TABLE(cost_specs)};

static bool permit_days(struct bctx *b, json_t *obj, const char *base, void *ent)
{
	struct catalog_permit *p = ent;
	char path[256];

	if (p->committed_days > p->statutory_days &&
	    json_is_integer(json_object_get(obj, "statutory_days"))) {
		cf_path(path, sizeof(path), base, "committed_days");
		PROBLEM(b, false, path, "承诺时限 %ld 天长于法定时限 %ld 天", p->committed_days,
			p->statutory_days);
	}
	return true;
}

static bool permit_validity(struct bctx *b, json_t *obj, const char *base, void *ent)
{
	struct catalog_permit *p = ent;
	int kind = -1;
	long years = 0;
	char path[256];

	if (read_validity(b, obj, base, "validity_years", false, &kind, &years)) {
		p->validity_years = years;
		p->no_term = kind == LIC_VALIDITY_NONE;
	} else if (json_object_get(obj, "validity_years") == NULL) {
		cf_path(path, sizeof(path), base, "validity_years");
		PROBLEM(b, false, path,
			"缺少有效期 \"validity_years\"（年数，或 \"none\" 表示不设有效期）");
	}
	return true;
}

static const struct cf_spec permit_specs[] = {
    STR(struct catalog_permit, "code", code, RQN),
    STR(struct catalog_permit, "name", name, RQN),
    STR(struct catalog_permit, "department", department, RQN),
    STR(struct catalog_permit, "legal_basis", legal_basis, RQ),
    LONG(struct catalog_permit, "statutory_days", statutory_days, RQ, 0),
    LONG(struct catalog_permit, "committed_days", committed_days, RQ, 0),
    BOOL(struct catalog_permit, "inspection", inspection, RQ),
    KNOWN("validity_years"), /* years or "none": permit_validity */
    CALL(permit_validity),
    STRS(struct catalog_permit, "materials", materials, nmaterials, RQ),
    STRS(struct catalog_permit, "fields", fields, nfields, RQ),
    STR(struct catalog_permit, "note", note, 0),
    OBJECT("before", RQ, &cost_table,
	   "缺少 \"before\" 对象（改革前的材料、字段、天数、环节、跑动）"),
    CALL(permit_days),
    LIST(struct catalog_permit, "conditions", conditions, nconditions, 0, &condition_table),
    KNOWN("inspection_checklist"), /* read and checked by catalog_checklist.c */
    KNOWN("modelled"),             /* checked by catalog_check_data */
};
const struct cf_table cf_permits = {
    TABLE(permit_specs),
    .size = sizeof(struct catalog_permit),
    .path_off = CF_NONE,
    .where_off = offsetof(struct catalog_permit, where),
    .json_off = offsetof(struct catalog_permit, json),
    .not_object = "必须是对象",
};

/* ------------------------------------------------ industries/<code>.json */

static const char *const qtypes[] = {"boolean", "choice", "multi", "number", "text", NULL};

static bool question_type(struct bctx *b, json_t *obj, const char *base, void *ent)
{
	struct catalog_question *q = ent;
	const char *type = q->type_name;
	char path[256];
	bool ok = true;
	long k;

	if (type != NULL) {
		k = check_enum(b, base, "type", type, qtypes, "问题类型");
		if (k < 0) {
			ok = false;
		} else {
			q->type = (enum catalog_qtype)k;
			q->type_name = qtypes[k];
			cf_path(path, sizeof(path), base, "options");
			if ((q->type == QTYPE_CHOICE || q->type == QTYPE_MULTI) && q->noptions == 0)
				PROBLEM(b, true, path, "%s 问题必须有非空的 options", type);
			if (q->type != QTYPE_CHOICE && q->type != QTYPE_MULTI &&
			    json_object_get(obj, "options") != NULL)
				PROBLEM(b, false, path, "%s 问题不使用 options", type);
		}
	}
	if (q->has_min && q->has_max && q->min > q->max) {
		cf_path(path, sizeof(path), base, "min");
		PROBLEM(b, true, path, "min 大于 max");
	}
	return ok;
}

/* parse_cond parses obj[key] as a condition (cond.h) into *out; false when it is wrong. */
static bool parse_cond(struct bctx *b, json_t *obj, const char *base, const char *key,
		       struct cond **out)
{
	json_t *v = json_object_get(obj, key);
	struct yerr err;
	char path[256];

	cf_path(path, sizeof(path), base, key);
	if (cond_parse(v, path, out, &err) < 0) {
		PROBLEM(b, true, err.field, "%s", err.message);
		return false;
	}
	return true;
}

static bool question_ask_if(struct bctx *b, json_t *obj, const char *base, void *ent)
{
	struct catalog_question *q = ent;

	q->ask_if_json = json_object_get(obj, "ask_if");
	return q->ask_if_json == NULL || parse_cond(b, obj, base, "ask_if", &q->ask_if);
}

static void question_release(void *ent)
{
	cond_free(((struct catalog_question *)ent)->ask_if);
}

static const struct cf_spec question_specs[] = {
    STR(struct catalog_question, "id", id, RQN),
    STR(struct catalog_question, "text", text, RQN),
    STR(struct catalog_question, "type", type_name, RQN),
    LIST(struct catalog_question, "options", options, noptions, 0, &option_table),
    NUMBER(struct catalog_question, "min", min, has_min),
    NUMBER(struct catalog_question, "max", max, has_max),
    LONG(struct catalog_question, "maxlen", maxlen, 0, 1),
    STR(struct catalog_question, "help", help, 0),
    KNOWN("ask_if"),
    KNOWN("note"),
    KNOWN("unit"),
    CALL(question_type),
    UNIQUE(struct catalog_question, "id", id, 0, "问题编号"),
    CALL(question_ask_if),
};
static const struct cf_table question_table = {
    TABLE(question_specs),
    .size = sizeof(struct catalog_question),
    .path_off = offsetof(struct catalog_question, path),
    .where_off = CF_NONE,
    .json_off = CF_NONE,
    .not_object = "必须是对象",
    .release = question_release,
};

static bool rule_when(struct bctx *b, json_t *obj, const char *base, void *ent)
{
	struct catalog_rule *r = ent;
	char path[256];

	r->when_json = json_object_get(obj, "when");
	if (r->when_json == NULL) {
		cf_path(path, sizeof(path), base, "when");
		PROBLEM(b, true, path, "缺少必填项 \"when\"");
		return false;
	}
	return parse_cond(b, obj, base, "when", &r->when);
}

static bool rule_effect(struct bctx *b, json_t *obj, const char *base, void *ent)
{
	struct catalog_rule *r = ent;

	(void)obj;
	if (r->npermits + r->nmaterials + r->nfields == 0 && r->id != NULL)
		PROBLEM(b, false, base, "规则 \"%s\" 没有增加任何许可、材料或字段", r->id);
	return true;
}

static void rule_release(void *ent)
{
	cond_free(((struct catalog_rule *)ent)->when);
}

static const struct cf_spec rule_specs[] = {
    STR(struct catalog_rule, "id", id, RQN),
    STRS(struct catalog_rule, "permits", permits, npermits, 0),
    STRS(struct catalog_rule, "materials", materials, nmaterials, 0),
    STRS(struct catalog_rule, "fields", fields, nfields, 0),
    STR(struct catalog_rule, "basis", basis, RQ),
    KNOWN("when"),
    KNOWN("note"),
    KNOWN("modelled"),
    CALL(rule_when),
    UNIQUE(struct catalog_rule, "id", id, 0, "规则编号"),
    CALL(rule_effect),
};
static const struct cf_table rule_table = {
    TABLE(rule_specs),
    .size = sizeof(struct catalog_rule),
    .path_off = offsetof(struct catalog_rule, path),
    .where_off = CF_NONE,
    .json_off = CF_NONE,
    .not_object = "必须是对象",
    .release = rule_release,
};

static const struct cf_spec expect_specs[] = {
    STRS_CHECK("permits", RQ),
    STRS_CHECK("materials", RQ),
    KNOWN("complete"),
    KNOWN("time_limit_days"),
};
static const struct cf_table expect_table = {TABLE(expect_specs)};

static const struct cf_spec test_specs[] = {
    STR(struct catalog_test, "name", name, RQN),
    OBJECT_AT(struct catalog_test, "answers", answers, RQN, NULL, "\"answers\" 必须是对象"),
    OBJECT_AT(struct catalog_test, "expect", expect, RQN, &expect_table,
	      "\"expect\" 必须是对象 {\"permits\":[…],\"materials\":[…]}"),
    KNOWN("note"),
};
static const struct cf_table test_table = {
    TABLE(test_specs),
    .size = sizeof(struct catalog_test),
    .path_off = offsetof(struct catalog_test, path),
    .where_off = CF_NONE,
    .json_off = CF_NONE,
    .not_object = "必须是对象",
};

static const struct cf_spec provenance_specs[] = {
    STR(struct catalog_industry, "status", provenance_status, RQ),
    STR(struct catalog_industry, "source", provenance_source, 0),
    KNOWN("note"),
    KNOWN("batch_source"),
};
static const struct cf_table provenance_table = {TABLE(provenance_specs)};

static bool industry_pinyin(struct bctx *b, json_t *obj, const char *base, void *ent)
{
	const struct catalog_industry *ind = ent;
	char path[256];
	size_t i;

	(void)obj;
	if (ind->pinyin == NULL)
		return true;
	for (i = 0; ind->pinyin[i] != '\0'; i++)
		if (!isalnum((unsigned char)ind->pinyin[i]))
			break;
	if (ind->pinyin[i] != '\0') {
		cf_path(path, sizeof(path), base, "pinyin");
		PROBLEM(b, false, path, "拼音首字母只能包含 ASCII 字母和数字");
	}
	return true;
}

/* The roll-out status decides what the guide offers: an unknown one is fatal. */
static bool industry_status(struct bctx *b, json_t *obj, const char *base, void *ent)
{
	static const char *const statuses[] = {"planned", "piloting", "in_force", "suspended",
					       NULL};
	struct catalog_industry *ind = ent;

	(void)obj;
	if (ind->status != NULL &&
	    check_enum(b, base, "status", ind->status, statuses, "实施状态") < 0)
		ind->status = NULL;
	return true;
}

/* The search keys catalog_search_prepare made (catalog_search.c). */
static void industry_release(void *ent)
{
	struct catalog_industry *ind = ent;
	size_t j;

	free(ind->name_lc);
	free(ind->pinyin_lc);
	if (ind->aliases_lc)
		for (j = 0; j < ind->naliases; j++)
			free(ind->aliases_lc[j]);
	free(ind->aliases_lc);
}

static bool industry_license(struct bctx *b, json_t *obj, const char *base, void *ent)
{
	struct catalog_industry *ind = ent;

	ind->has_license_rule = read_validity(b, obj, base, "license_validity", true,
					      &ind->license_validity, &ind->license_years);
	read_extension(b, obj, base, &ind->extension_days);
	return true;
}

static const struct cf_spec industry_specs[] = {
    STR(struct catalog_industry, "code", code, RQN),
    STR(struct catalog_industry, "name", name, RQN),
    STRS(struct catalog_industry, "aliases", aliases, naliases, 0),
    STR(struct catalog_industry, "pinyin", pinyin, 0),
    LONG(struct catalog_industry, "batch", batch, 0, 1), /* only where a source gives it */
    STR(struct catalog_industry, "status", status, 0),
    CALL(industry_status),
    STR(struct catalog_industry, "effective_date", effective_date, 0),
    STR(struct catalog_industry, "lead", lead, RQ),
    STRS(struct catalog_industry, "cooperating", cooperating, ncooperating, 0),
    STR(struct catalog_industry, "description", description, 0),
    OBJECT("provenance", 0, &provenance_table, "\"provenance\" 必须是对象 {\"status\",\"source\"}"),
    STRS(struct catalog_industry, "permits", permits, npermits, RQ),
    STRS(struct catalog_industry, "base_permits", base_permits, nbase_permits, RQ),
    STRS(struct catalog_industry, "materials", materials, nmaterials, 0),
    STRS(struct catalog_industry, "fields", fields, nfields, 0),
    CALL(industry_pinyin),
    LIST(struct catalog_industry, "questions", questions, nquestions, RQ, &question_table),
    LIST(struct catalog_industry, "rules", rules, nrules, 0, &rule_table),
    LIST(struct catalog_industry, "tests", tests, ntests, 0, &test_table),
    KNOWN("license_validity"), /* industry_license */
    KNOWN("extension_days"),
    CALL(industry_license),
    /* issue 13: checked against the departments and permits by catalog_supervision_check */
    LIST(struct catalog_industry, "supervision", supervision, nsupervision, 0, &cf_supervision),
    LIST(struct catalog_industry, "annual_report_fields", annual_fields, nannual_fields, 0,
	 &cf_annual_field),
    KNOWN("note"),
    /* read from the industry's JSON by catalog_check_data and the API */
    KNOWN("rollout_note"),
    KNOWN("modelled"),
    KNOWN("published"),
    KNOWN("service"),
};
const struct cf_table cf_industry = {
    TABLE(industry_specs),
    .size = sizeof(struct catalog_industry),
    .release = industry_release,
};
