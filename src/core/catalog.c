/*
 * catalog.c — build the in-memory catalog from JSON, look things up, search.
 *
 * Building is lenient on purpose: catalog_build reads everything it can and
 * records every problem with its file and JSON path, so one `yiye catalog check`
 * run shows all of them. catalog_parse is the strict front door the server
 * uses: the same builder, failing when a problem is fatal.
 */
#include "core/catalog.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* ----------------------------------------------------------------- builder */

struct bctx {
	struct catalog *cat;
	struct catalog_problems *probs;
	const char *file; /* file being read */
	int oom;
};

#define PROBLEM(b, fatal, path, ...)                                                          \
	do {                                                                                  \
		if (catalog_problem_add((b)->probs, (fatal), (b)->file, (path), __VA_ARGS__)) \
			(b)->oom = 1;                                                         \
	} while (0)

static void jp(char *buf, size_t size, const char *base, const char *key)
{
	snprintf(buf, size, "%s%s%s", base, *base ? "." : "", key);
}

static void jpi(char *buf, size_t size, const char *base, const char *key, size_t i)
{
	snprintf(buf, size, "%s%s%s[%zu]", base, *base ? "." : "", key, i);
}

static void *xcalloc(struct bctx *b, size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (p == NULL)
		b->oom = 1;
	return p;
}

/* check_keys reports members of obj that the format does not define (typos). */
static void check_keys(struct bctx *b, json_t *obj, const char *base, const char *const *known)
{
	const char *key;
	json_t *v;
	size_t i;

	json_object_foreach (obj, key, v) {
		char path[256];
		(void)v;
		for (i = 0; known[i] != NULL; i++)
			if (strcmp(known[i], key) == 0)
				break;
		if (known[i] == NULL) {
			jp(path, sizeof(path), base, key);
			PROBLEM(b, false, path, "未知的键 \"%s\"", key);
		}
	}
}

/* get_str returns obj[key] as a string; NULL (and a problem if required or mistyped) otherwise. */
static const char *get_str(struct bctx *b, json_t *obj, const char *base, const char *key,
			   bool required)
{
	json_t *v = json_object_get(obj, key);
	char path[256];

	jp(path, sizeof(path), base, key);
	if (v == NULL || json_is_null(v)) {
		if (required)
			PROBLEM(b, true, path, "缺少必填项 \"%s\"", key);
		return NULL;
	}
	if (!json_is_string(v)) {
		PROBLEM(b, true, path, "\"%s\" 必须是字符串", key);
		return NULL;
	}
	if (required && json_string_length(v) == 0) {
		PROBLEM(b, true, path, "\"%s\" 不能为空", key);
		return NULL;
	}
	return json_string_value(v);
}

static long get_long(struct bctx *b, json_t *obj, const char *base, const char *key, bool required,
		     long min, long dflt)
{
	json_t *v = json_object_get(obj, key);
	char path[256];

	jp(path, sizeof(path), base, key);
	if (v == NULL) {
		if (required)
			PROBLEM(b, true, path, "缺少必填项 \"%s\"", key);
		return dflt;
	}
	if (!json_is_integer(v)) {
		PROBLEM(b, true, path, "\"%s\" 必须是整数", key);
		return dflt;
	}
	if (json_integer_value(v) < min || json_integer_value(v) > 1000000000) {
		PROBLEM(b, true, path, "\"%s\" 超出范围（%ld 至 1000000000）", key, min);
		return dflt;
	}
	return (long)json_integer_value(v);
}

static bool get_bool(struct bctx *b, json_t *obj, const char *base, const char *key, bool required)
{
	json_t *v = json_object_get(obj, key);
	char path[256];

	jp(path, sizeof(path), base, key);
	if (v == NULL) {
		if (required)
			PROBLEM(b, true, path, "缺少必填项 \"%s\"", key);
		return false;
	}
	if (!json_is_boolean(v)) {
		PROBLEM(b, true, path, "\"%s\" 必须是 true 或 false", key);
		return false;
	}
	return json_is_true(v);
}

static bool get_number(struct bctx *b, json_t *obj, const char *base, const char *key, double *out)
{
	json_t *v = json_object_get(obj, key);
	char path[256];

	if (v == NULL)
		return false;
	jp(path, sizeof(path), base, key);
	if (!json_is_number(v)) {
		PROBLEM(b, true, path, "\"%s\" 必须是数字", key);
		return false;
	}
	*out = json_number_value(v);
	return true;
}

/*
 * get_strs reads obj[key] as an array of non-empty strings. Bad elements are
 * reported and skipped; repeated ones are reported (non-fatal) and kept once.
 */
static const char **get_strs(struct bctx *b, json_t *obj, const char *base, const char *key,
			     bool required, size_t *n)
{
	json_t *v = json_object_get(obj, key), *e;
	const char **arr;
	char path[256];
	size_t i, k;

	*n = 0;
	jp(path, sizeof(path), base, key);
	if (v == NULL) {
		if (required)
			PROBLEM(b, true, path, "缺少必填项 \"%s\"", key);
		return NULL;
	}
	if (!json_is_array(v)) {
		PROBLEM(b, true, path, "\"%s\" 必须是字符串数组", key);
		return NULL;
	}
	arr = xcalloc(b, json_array_size(v), sizeof(*arr));
	if (arr == NULL)
		return NULL;
	json_array_foreach (v, i, e) {
		char ep[256];
		jpi(ep, sizeof(ep), base, key, i);
		if (!json_is_string(e) || json_string_length(e) == 0) {
			PROBLEM(b, true, ep, "必须是非空字符串");
			continue;
		}
		for (k = 0; k < *n; k++)
			if (strcmp(arr[k], json_string_value(e)) == 0)
				break;
		if (k < *n) {
			PROBLEM(b, false, ep, "重复列出 \"%s\"", json_string_value(e));
			continue;
		}
		arr[(*n)++] = json_string_value(e);
	}
	return arr;
}

/* get_options reads [{"value","label"}] (values unique non-empty strings). */
static struct catalog_option *get_options(struct bctx *b, json_t *obj, const char *base, size_t *n)
{
	static const char *const known[] = {"value", "label", "note", NULL};
	json_t *v = json_object_get(obj, "options"), *e;
	struct catalog_option *opts;
	char path[256];
	size_t i, k;

	*n = 0;
	if (v == NULL)
		return NULL;
	jp(path, sizeof(path), base, "options");
	if (!json_is_array(v)) {
		PROBLEM(b, true, path, "\"options\" 必须是数组");
		return NULL;
	}
	opts = xcalloc(b, json_array_size(v), sizeof(*opts));
	if (opts == NULL)
		return NULL;
	json_array_foreach (v, i, e) {
		char ep[256];
		const char *val, *label;
		jpi(ep, sizeof(ep), base, "options", i);
		if (!json_is_object(e)) {
			PROBLEM(b, true, ep, "选项必须是 {\"value\",\"label\"} 对象");
			continue;
		}
		check_keys(b, e, ep, known);
		val = get_str(b, e, ep, "value", true);
		label = get_str(b, e, ep, "label", true);
		if (val == NULL || label == NULL)
			continue;
		for (k = 0; k < *n; k++)
			if (strcmp(opts[k].value, val) == 0)
				break;
		if (k < *n) {
			char vp[300];
			jp(vp, sizeof(vp), ep, "value");
			PROBLEM(b, true, vp, "选项值 \"%s\" 重复", val);
			continue;
		}
		opts[*n].value = val;
		opts[*n].label = label;
		(*n)++;
	}
	return opts;
}

static void set_where(struct catalog_where *w, const char *file, const char *path)
{
	w->file = file;
	snprintf(w->path, sizeof(w->path), "%s", path);
}

static json_t *expect_array(struct bctx *b, json_t *root)
{
	if (!json_is_array(root)) {
		PROBLEM(b, true, "", "文件内容必须是 JSON 数组");
		return NULL;
	}
	return root;
}

static void build_settings(struct bctx *b, json_t *root)
{
	static const char *const known[] = {"format", "title",         "district",
					    "issuer", "issuance_days", "after",
					    "note",   "description",   NULL};
	static const char *const after_known[] = {"steps", "trips", NULL};
	struct catalog *cat = b->cat;
	json_t *after;

	if (!json_is_object(root)) {
		PROBLEM(b, true, "", "文件内容必须是 JSON 对象");
		return;
	}
	check_keys(b, root, "", known);
	cat->format = get_long(b, root, "", "format", true, 0, 0);
	if (json_object_get(root, "format") != NULL && cat->format != 1)
		PROBLEM(b, true, "format", "不支持的目录格式 %ld（应为 1）", cat->format);
	cat->title = get_str(b, root, "", "title", true);
	cat->district = get_str(b, root, "", "district", true);
	cat->issuer = get_str(b, root, "", "issuer", true);
	cat->issuance_days = get_long(b, root, "", "issuance_days", true, 0, 0);
	after = json_object_get(root, "after");
	if (!json_is_object(after)) {
		PROBLEM(b, true, "after", "缺少 \"after\" 对象 {\"steps\":N,\"trips\":N}");
		return;
	}
	check_keys(b, after, "after", after_known);
	cat->after_steps = get_long(b, after, "after", "steps", true, 0, 0);
	cat->after_trips = get_long(b, after, "after", "trips", true, 0, 0);
}

static void build_departments(struct bctx *b, json_t *root)
{
	static const char *const known[] = {"code", "name", "note", "short_name", NULL};
	struct catalog *cat = b->cat;
	json_t *e;
	size_t i;

	if (expect_array(b, root) == NULL)
		return;
	cat->departments = xcalloc(b, json_array_size(root), sizeof(*cat->departments));
	if (cat->departments == NULL)
		return;
	json_array_foreach (root, i, e) {
		struct catalog_department *d = &cat->departments[cat->ndepartments];
		char base[32];
		snprintf(base, sizeof(base), "[%zu]", i);
		if (!json_is_object(e)) {
			PROBLEM(b, true, base, "必须是对象");
			continue;
		}
		check_keys(b, e, base, known);
		d->code = get_str(b, e, base, "code", true);
		d->name = get_str(b, e, base, "name", true);
		if (d->code == NULL || d->name == NULL)
			continue;
		d->json = e;
		set_where(&d->where, b->file, base);
		cat->ndepartments++;
	}
}

static void build_materials(struct bctx *b, json_t *root)
{
	static const char *const known[] = {"id", "name", "exempt", "source", "note", NULL};
	struct catalog *cat = b->cat;
	json_t *e;
	size_t i;

	if (expect_array(b, root) == NULL)
		return;
	cat->materials = xcalloc(b, json_array_size(root), sizeof(*cat->materials));
	if (cat->materials == NULL)
		return;
	json_array_foreach (root, i, e) {
		struct catalog_material *m = &cat->materials[cat->nmaterials];
		char base[32];
		snprintf(base, sizeof(base), "[%zu]", i);
		if (!json_is_object(e)) {
			PROBLEM(b, true, base, "必须是对象");
			continue;
		}
		check_keys(b, e, base, known);
		m->id = get_str(b, e, base, "id", true);
		m->name = get_str(b, e, base, "name", true);
		m->exempt = get_bool(b, e, base, "exempt", false);
		m->source = get_str(b, e, base, "source", false);
		m->note = get_str(b, e, base, "note", false);
		if (m->id == NULL || m->name == NULL)
			continue;
		m->json = e;
		set_where(&m->where, b->file, base);
		cat->nmaterials++;
	}
}

static const char *const field_types[] = {"text", "number", "area",  "date",    "enum",
					  "uscc", "idcard", "phone", "address", NULL};

static void build_fields(struct bctx *b, json_t *root)
{
	static const char *const known[] = {"id",      "label", "type",        "required",
					    "options", "min",   "max",         "maxlen",
					    "group",   "note",  "placeholder", NULL};
	struct catalog *cat = b->cat;
	json_t *e;
	size_t i, k;

	if (expect_array(b, root) == NULL)
		return;
	cat->fields = xcalloc(b, json_array_size(root), sizeof(*cat->fields));
	if (cat->fields == NULL)
		return;
	json_array_foreach (root, i, e) {
		struct catalog_field *f = &cat->fields[cat->nfields];
		char base[32], path[64];
		snprintf(base, sizeof(base), "[%zu]", i);
		if (!json_is_object(e)) {
			PROBLEM(b, true, base, "必须是对象");
			continue;
		}
		check_keys(b, e, base, known);
		f->id = get_str(b, e, base, "id", true);
		f->label = get_str(b, e, base, "label", true);
		f->type = get_str(b, e, base, "type", true);
		f->required = get_bool(b, e, base, "required", false);
		f->options = get_options(b, e, base, &f->noptions);
		f->has_min = get_number(b, e, base, "min", &f->min);
		f->has_max = get_number(b, e, base, "max", &f->max);
		f->maxlen = get_long(b, e, base, "maxlen", false, 1, 0);
		f->group = get_str(b, e, base, "group", false);
		f->json = e;
		if (f->type != NULL) {
			for (k = 0; field_types[k] != NULL; k++)
				if (strcmp(field_types[k], f->type) == 0)
					break;
			if (field_types[k] == NULL) {
				jp(path, sizeof(path), base, "type");
				PROBLEM(b, true, path,
					"字段类型 \"%s\" 无效（可用 text number area date enum "
					"uscc idcard phone address）",
					f->type);
			} else if (strcmp(f->type, "enum") == 0 && f->noptions == 0) {
				jp(path, sizeof(path), base, "options");
				PROBLEM(b, true, path, "enum 字段必须有 options");
			}
		}
		if (f->has_min && f->has_max && f->min > f->max) {
			jp(path, sizeof(path), base, "min");
			PROBLEM(b, true, path, "min 大于 max");
		}
		if (f->id == NULL || f->label == NULL || f->type == NULL) {
			free(f->options);
			memset(f, 0, sizeof(*f));
			continue;
		}
		set_where(&f->where, b->file, base);
		cat->nfields++;
	}
}

static const char *const categories[] = {"场所", "设备", "人员", "资金", "管理制度", NULL};

static void build_cost(struct bctx *b, json_t *obj, const char *base, struct catalog_cost *c)
{
	static const char *const known[] = {"materials", "fields", "days", "steps", "trips", NULL};
	json_t *v = json_object_get(obj, "before");
	char path[64];

	jp(path, sizeof(path), base, "before");
	if (!json_is_object(v)) {
		PROBLEM(b, true, path,
			"缺少 \"before\" 对象（改革前的材料、字段、天数、环节、跑动）");
		return;
	}
	check_keys(b, v, path, known);
	c->permits = 1;
	c->materials = get_long(b, v, path, "materials", true, 0, 0);
	c->fields = get_long(b, v, path, "fields", true, 0, 0);
	c->days = get_long(b, v, path, "days", true, 0, 0);
	c->steps = get_long(b, v, path, "steps", true, 0, 0);
	c->trips = get_long(b, v, path, "trips", true, 0, 0);
}

static void build_permits(struct bctx *b, json_t *root)
{
	static const char *const known[] = {
	    "code", "name", "department", "legal_basis", "statutory_days", "committed_days",
	    "inspection", "validity_years", "materials", "fields", "conditions", "before", "note",
	    /* read and checked by catalog_checklist.c */
	    "inspection_checklist", "modelled", NULL};
	static const char *const cknown[] = {"id", "category", "text", "commitment", "note", NULL};
	struct catalog *cat = b->cat;
	json_t *e, *conds, *ce;
	size_t i, j, k;

	if (expect_array(b, root) == NULL)
		return;
	cat->permits = xcalloc(b, json_array_size(root), sizeof(*cat->permits));
	if (cat->permits == NULL)
		return;
	json_array_foreach (root, i, e) {
		struct catalog_permit *p = &cat->permits[cat->npermits];
		char base[32], path[64];
		snprintf(base, sizeof(base), "[%zu]", i);
		if (!json_is_object(e)) {
			PROBLEM(b, true, base, "必须是对象");
			continue;
		}
		check_keys(b, e, base, known);
		p->code = get_str(b, e, base, "code", true);
		p->name = get_str(b, e, base, "name", true);
		p->department = get_str(b, e, base, "department", true);
		p->legal_basis = get_str(b, e, base, "legal_basis", true);
		p->statutory_days = get_long(b, e, base, "statutory_days", true, 0, 0);
		p->committed_days = get_long(b, e, base, "committed_days", true, 0, 0);
		p->inspection = get_bool(b, e, base, "inspection", true);
		p->validity_years = get_long(b, e, base, "validity_years", false, 0, 0);
		p->materials = get_strs(b, e, base, "materials", true, &p->nmaterials);
		p->fields = get_strs(b, e, base, "fields", true, &p->nfields);
		p->note = get_str(b, e, base, "note", false);
		build_cost(b, e, base, &p->before);
		if (p->committed_days > p->statutory_days &&
		    json_is_integer(json_object_get(e, "statutory_days"))) {
			jp(path, sizeof(path), base, "committed_days");
			PROBLEM(b, false, path, "承诺时限 %ld 天长于法定时限 %ld 天",
				p->committed_days, p->statutory_days);
		}
		conds = json_object_get(e, "conditions");
		jp(path, sizeof(path), base, "conditions");
		if (conds != NULL && !json_is_array(conds)) {
			PROBLEM(b, true, path, "\"conditions\" 必须是数组");
		} else if (conds != NULL) {
			p->conditions = xcalloc(b, json_array_size(conds), sizeof(*p->conditions));
			if (p->conditions != NULL)
				json_array_foreach (conds, j, ce) {
					struct catalog_condition *c =
					    &p->conditions[p->nconditions];
					char cp[96];
					jpi(cp, sizeof(cp), base, "conditions", j);
					if (!json_is_object(ce)) {
						PROBLEM(b, true, cp, "必须是对象");
						continue;
					}
					check_keys(b, ce, cp, cknown);
					c->id = get_str(b, ce, cp, "id", true);
					c->category = get_str(b, ce, cp, "category", true);
					c->text = get_str(b, ce, cp, "text", true);
					c->commitment = get_bool(b, ce, cp, "commitment", true);
					if (c->category != NULL) {
						for (k = 0; categories[k] != NULL; k++)
							if (strcmp(categories[k], c->category) == 0)
								break;
						if (categories[k] == NULL) {
							char kp[128];
							jp(kp, sizeof(kp), cp, "category");
							PROBLEM(b, true, kp,
								"条件类别 \"%s\" 无效（可用 场所 "
								"设备 人员 资金 管理制度）",
								c->category);
						}
					}
					for (k = 0; c->id != NULL && k < p->nconditions; k++)
						if (strcmp(p->conditions[k].id, c->id) == 0) {
							char kp[128];
							jp(kp, sizeof(kp), cp, "id");
							PROBLEM(b, true, kp, "条件编号 \"%s\" 重复",
								c->id);
							break;
						}
					if (c->id == NULL || c->category == NULL ||
					    c->text == NULL || k < p->nconditions)
						continue;
					p->nconditions++;
				}
		}
		if (p->code == NULL || p->name == NULL || p->department == NULL) {
			free(p->materials);
			free(p->fields);
			free(p->conditions);
			memset(p, 0, sizeof(*p));
			continue;
		}
		p->json = e;
		set_where(&p->where, b->file, base);
		cat->npermits++;
	}
}

static const char *const qtypes[] = {"boolean", "choice", "multi", "number", "text", NULL};

static void build_questions(struct bctx *b, json_t *root, struct catalog_industry *ind)
{
	static const char *const known[] = {"id",     "text",   "type", "options", "min",  "max",
					    "maxlen", "ask_if", "help", "note",    "unit", NULL};
	json_t *qs = json_object_get(root, "questions"), *e;
	size_t i, k;

	if (qs == NULL) {
		PROBLEM(b, true, "questions", "缺少必填项 \"questions\"");
		return;
	}
	if (!json_is_array(qs)) {
		PROBLEM(b, true, "questions", "\"questions\" 必须是数组");
		return;
	}
	ind->questions = xcalloc(b, json_array_size(qs), sizeof(*ind->questions));
	if (ind->questions == NULL)
		return;
	json_array_foreach (qs, i, e) {
		struct catalog_question *q = &ind->questions[ind->nquestions];
		char base[32], path[64];
		const char *type;
		json_t *ask;
		struct yerr err;
		bool ok = true;

		snprintf(base, sizeof(base), "questions[%zu]", i);
		if (!json_is_object(e)) {
			PROBLEM(b, true, base, "必须是对象");
			continue;
		}
		check_keys(b, e, base, known);
		q->id = get_str(b, e, base, "id", true);
		q->text = get_str(b, e, base, "text", true);
		type = get_str(b, e, base, "type", true);
		q->options = get_options(b, e, base, &q->noptions);
		q->has_min = get_number(b, e, base, "min", &q->min);
		q->has_max = get_number(b, e, base, "max", &q->max);
		q->maxlen = get_long(b, e, base, "maxlen", false, 1, 0);
		q->help = get_str(b, e, base, "help", false);
		snprintf(q->path, sizeof(q->path), "%s", base);
		if (q->id == NULL || q->text == NULL || type == NULL)
			ok = false;
		if (type != NULL) {
			for (k = 0; qtypes[k] != NULL; k++)
				if (strcmp(qtypes[k], type) == 0)
					break;
			jp(path, sizeof(path), base, "type");
			if (qtypes[k] == NULL) {
				PROBLEM(
				    b, true, path,
				    "问题类型 \"%s\" 无效（可用 boolean choice multi number text）",
				    type);
				ok = false;
			} else {
				q->type = (enum catalog_qtype)k;
				q->type_name = qtypes[k];
				if ((q->type == QTYPE_CHOICE || q->type == QTYPE_MULTI) &&
				    q->noptions == 0) {
					jp(path, sizeof(path), base, "options");
					PROBLEM(b, true, path, "%s 问题必须有非空的 options", type);
				}
				if (q->type != QTYPE_CHOICE && q->type != QTYPE_MULTI &&
				    json_object_get(e, "options") != NULL) {
					jp(path, sizeof(path), base, "options");
					PROBLEM(b, false, path, "%s 问题不使用 options", type);
				}
			}
		}
		if (q->has_min && q->has_max && q->min > q->max) {
			jp(path, sizeof(path), base, "min");
			PROBLEM(b, true, path, "min 大于 max");
		}
		for (k = 0; q->id != NULL && k < ind->nquestions; k++)
			if (strcmp(ind->questions[k].id, q->id) == 0) {
				jp(path, sizeof(path), base, "id");
				PROBLEM(b, true, path, "问题编号 \"%s\" 重复（亦见 %s）", q->id,
					ind->questions[k].path);
				ok = false;
				break;
			}
		ask = json_object_get(e, "ask_if");
		if (ask != NULL) {
			jp(path, sizeof(path), base, "ask_if");
			if (cond_parse(ask, path, &q->ask_if, &err) < 0) {
				PROBLEM(b, true, err.field, "%s", err.message);
				ok = false;
			}
			q->ask_if_json = ask;
		}
		if (!ok) {
			free(q->options);
			cond_free(q->ask_if);
			memset(q, 0, sizeof(*q));
			continue;
		}
		ind->nquestions++;
	}
}

static void build_rules(struct bctx *b, json_t *root, struct catalog_industry *ind)
{
	static const char *const known[] = {"id",     "when",  "permits", "materials",
					    "fields", "basis", "note",    NULL};
	json_t *rs = json_object_get(root, "rules"), *e;
	size_t i, k;

	if (rs == NULL)
		return;
	if (!json_is_array(rs)) {
		PROBLEM(b, true, "rules", "\"rules\" 必须是数组");
		return;
	}
	ind->rules = xcalloc(b, json_array_size(rs), sizeof(*ind->rules));
	if (ind->rules == NULL)
		return;
	json_array_foreach (rs, i, e) {
		struct catalog_rule *r = &ind->rules[ind->nrules];
		char base[32], path[64];
		json_t *when;
		struct yerr err;
		bool ok = true;

		snprintf(base, sizeof(base), "rules[%zu]", i);
		if (!json_is_object(e)) {
			PROBLEM(b, true, base, "必须是对象");
			continue;
		}
		check_keys(b, e, base, known);
		snprintf(r->path, sizeof(r->path), "%s", base);
		r->id = get_str(b, e, base, "id", true);
		r->permits = get_strs(b, e, base, "permits", false, &r->npermits);
		r->materials = get_strs(b, e, base, "materials", false, &r->nmaterials);
		r->fields = get_strs(b, e, base, "fields", false, &r->nfields);
		r->basis = get_str(b, e, base, "basis", true);
		when = json_object_get(e, "when");
		jp(path, sizeof(path), base, "when");
		if (when == NULL) {
			PROBLEM(b, true, path, "缺少必填项 \"when\"");
			ok = false;
		} else if (cond_parse(when, path, &r->when, &err) < 0) {
			PROBLEM(b, true, err.field, "%s", err.message);
			ok = false;
		}
		r->when_json = when;
		if (r->id == NULL)
			ok = false;
		for (k = 0; r->id != NULL && k < ind->nrules; k++)
			if (strcmp(ind->rules[k].id, r->id) == 0) {
				jp(path, sizeof(path), base, "id");
				PROBLEM(b, true, path, "规则编号 \"%s\" 重复（亦见 %s）", r->id,
					ind->rules[k].path);
				ok = false;
				break;
			}
		if (r->npermits + r->nmaterials + r->nfields == 0 && r->id != NULL)
			PROBLEM(b, false, base, "规则 \"%s\" 没有增加任何许可、材料或字段", r->id);
		if (!ok) {
			free(r->permits);
			free(r->materials);
			free(r->fields);
			cond_free(r->when);
			memset(r, 0, sizeof(*r));
			continue;
		}
		ind->nrules++;
	}
}

static void build_tests(struct bctx *b, json_t *root, struct catalog_industry *ind)
{
	static const char *const known[] = {"name", "answers", "expect", "note", NULL};
	static const char *const eknown[] = {"permits", "materials", "complete", "time_limit_days",
					     NULL};
	json_t *ts = json_object_get(root, "tests"), *e, *ex;
	size_t i;

	if (ts == NULL)
		return;
	if (!json_is_array(ts)) {
		PROBLEM(b, true, "tests", "\"tests\" 必须是数组");
		return;
	}
	ind->tests = xcalloc(b, json_array_size(ts), sizeof(*ind->tests));
	if (ind->tests == NULL)
		return;
	json_array_foreach (ts, i, e) {
		struct catalog_test *t = &ind->tests[ind->ntests];
		char base[32], path[64];
		size_t n;
		bool ok = true;

		snprintf(base, sizeof(base), "tests[%zu]", i);
		if (!json_is_object(e)) {
			PROBLEM(b, true, base, "必须是对象");
			continue;
		}
		check_keys(b, e, base, known);
		snprintf(t->path, sizeof(t->path), "%s", base);
		t->name = get_str(b, e, base, "name", true);
		t->answers = json_object_get(e, "answers");
		t->expect = ex = json_object_get(e, "expect");
		if (!json_is_object(t->answers)) {
			jp(path, sizeof(path), base, "answers");
			PROBLEM(b, true, path, "\"answers\" 必须是对象");
			ok = false;
		}
		jp(path, sizeof(path), base, "expect");
		if (!json_is_object(ex)) {
			PROBLEM(b, true, path,
				"\"expect\" 必须是对象 {\"permits\":[…],\"materials\":[…]}");
			ok = false;
		} else {
			const char **a;
			check_keys(b, ex, path, eknown);
			a = get_strs(b, ex, path, "permits", true, &n);
			free(a);
			a = get_strs(b, ex, path, "materials", true, &n);
			free(a);
		}
		if (t->name == NULL || !ok)
			continue;
		ind->ntests++;
	}
}

static void build_industry(struct bctx *b, json_t *root, struct catalog_industry *ind)
{
	static const char *const known[] = {
	    "code",         "name",        "aliases",        "pinyin",      "batch",
	    "lead",         "cooperating", "provenance",     "description", "permits",
	    "base_permits", "materials",   "fields",         "questions",   "rules",
	    "tests",        "note",        "effective_date", "status",      NULL};
	static const char *const pknown[] = {"status", "source", "note", NULL};
	json_t *prov;
	size_t i;

	if (!json_is_object(root)) {
		PROBLEM(b, true, "", "文件内容必须是 JSON 对象");
		return;
	}
	set_where(&ind->where, b->file, "");
	ind->json = root;
	check_keys(b, root, "", known);
	ind->code = get_str(b, root, "", "code", true);
	ind->name = get_str(b, root, "", "name", true);
	ind->aliases = get_strs(b, root, "", "aliases", false, &ind->naliases);
	ind->pinyin = get_str(b, root, "", "pinyin", false);
	ind->batch = get_long(b, root, "", "batch", true, 1, 0);
	ind->lead = get_str(b, root, "", "lead", true);
	ind->cooperating = get_strs(b, root, "", "cooperating", false, &ind->ncooperating);
	ind->description = get_str(b, root, "", "description", false);
	prov = json_object_get(root, "provenance");
	if (prov != NULL && !json_is_object(prov)) {
		PROBLEM(b, true, "provenance", "\"provenance\" 必须是对象 {\"status\",\"source\"}");
	} else if (prov != NULL) {
		check_keys(b, prov, "provenance", pknown);
		ind->provenance_status = get_str(b, prov, "provenance", "status", true);
		ind->provenance_source = get_str(b, prov, "provenance", "source", false);
	}
	ind->permits = get_strs(b, root, "", "permits", true, &ind->npermits);
	ind->base_permits = get_strs(b, root, "", "base_permits", true, &ind->nbase_permits);
	ind->materials = get_strs(b, root, "", "materials", false, &ind->nmaterials);
	ind->fields = get_strs(b, root, "", "fields", false, &ind->nfields);
	if (ind->pinyin != NULL) {
		for (i = 0; ind->pinyin[i] != '\0'; i++)
			if (!isalnum((unsigned char)ind->pinyin[i]))
				break;
		if (ind->pinyin[i] != '\0')
			PROBLEM(b, false, "pinyin", "拼音首字母只能包含 ASCII 字母和数字");
	}
	build_questions(b, root, ind);
	build_rules(b, root, ind);
	build_tests(b, root, ind);
}

/* lower_dup copies s with ASCII letters lower-cased (UTF-8 bytes untouched). */
static char *lower_dup(struct bctx *b, const char *s)
{
	char *d;
	size_t i;

	if (s == NULL)
		s = "";
	d = strdup(s);
	if (d == NULL) {
		b->oom = 1;
		return NULL;
	}
	for (i = 0; d[i]; i++)
		if (d[i] >= 'A' && d[i] <= 'Z')
			d[i] = (char)(d[i] - 'A' + 'a');
	return d;
}

/* ------------------------------------------------------------ sorted index */

#define DEFINE_INDEX(kind, type, key)                                               \
	static int cmp_##kind(const void *a, const void *b2)                        \
	{                                                                           \
		return strcmp((*(type *const *)a)->key, (*(type *const *)b2)->key); \
	}                                                                           \
	static int find_##kind(const void *k, const void *e)                        \
	{                                                                           \
		return strcmp((const char *)k, (*(type *const *)e)->key);           \
	}

DEFINE_INDEX(department, struct catalog_department, code)
DEFINE_INDEX(material, struct catalog_material, id)
DEFINE_INDEX(field, struct catalog_field, id)
DEFINE_INDEX(permit, struct catalog_permit, code)
DEFINE_INDEX(industry, struct catalog_industry, code)

/*
 * make_index fills idx with pointers to the n elements of arr, sorts them by
 * id and reports each duplicate id (fatal: lookups would be ambiguous).
 * id_of and where_of read an element's id and location.
 */
static void *make_index(struct bctx *b, void *arr, size_t n, size_t size,
			int (*cmp)(const void *, const void *), const char *(*id_of)(const void *),
			const struct catalog_where *(*where_of)(const void *), const char *what)
{
	void **idx = xcalloc(b, n, sizeof(void *));
	size_t i;

	if (idx == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		idx[i] = (char *)arr + i * size;
	qsort(idx, n, sizeof(void *), cmp);
	for (i = 1; i < n; i++)
		if (strcmp(id_of(idx[i - 1]), id_of(idx[i])) == 0) {
			const struct catalog_where *w1 = where_of(idx[i - 1]),
						   *w2 = where_of(idx[i]);
			const struct catalog_where *later = w1, *earlier = w2;
			if ((char *)idx[i] > (char *)idx[i - 1]) {
				later = w2;
				earlier = w1;
			}
			if (catalog_problem_add(b->probs, true, later->file, later->path,
						"%s编号 \"%s\" 重复（亦见 %s: %s）", what,
						id_of(idx[i]), earlier->file, earlier->path))
				b->oom = 1;
		}
	return idx;
}

static const char *dep_id(const void *p)
{
	return ((const struct catalog_department *)p)->code;
}
static const char *mat_id(const void *p)
{
	return ((const struct catalog_material *)p)->id;
}
static const char *fld_id(const void *p)
{
	return ((const struct catalog_field *)p)->id;
}
static const char *per_id(const void *p)
{
	return ((const struct catalog_permit *)p)->code;
}
static const char *ind_id(const void *p)
{
	return ((const struct catalog_industry *)p)->code;
}
static const struct catalog_where *dep_w(const void *p)
{
	return &((const struct catalog_department *)p)->where;
}
static const struct catalog_where *mat_w(const void *p)
{
	return &((const struct catalog_material *)p)->where;
}
static const struct catalog_where *fld_w(const void *p)
{
	return &((const struct catalog_field *)p)->where;
}
static const struct catalog_where *per_w(const void *p)
{
	return &((const struct catalog_permit *)p)->where;
}
static const struct catalog_where *ind_w(const void *p)
{
	return &((const struct catalog_industry *)p)->where;
}

/* Looks key up in a sorted index of n entity pointers; NULL when absent
 * (or when the index was not built because parsing failed). */
static void *index_find(void *const *idx, size_t n, const char *key,
			int (*find)(const void *, const void *))
{
	void *const *hit;

	if (key == NULL || idx == NULL)
		return NULL;
	hit = bsearch(key, idx, n, sizeof(*idx), find);
	return hit ? *hit : NULL;
}

const struct catalog_department *catalog_department_find(const struct catalog *cat,
							 const char *code)
{
	return index_find((void *const *)cat->idx_departments, cat->ndepartments, code,
			  find_department);
}

const struct catalog_material *catalog_material_find(const struct catalog *cat, const char *id)
{
	return index_find((void *const *)cat->idx_materials, cat->nmaterials, id, find_material);
}

const struct catalog_field *catalog_field_find(const struct catalog *cat, const char *id)
{
	return index_find((void *const *)cat->idx_fields, cat->nfields, id, find_field);
}

const struct catalog_permit *catalog_permit_find(const struct catalog *cat, const char *code)
{
	return index_find((void *const *)cat->idx_permits, cat->npermits, code, find_permit);
}

const struct catalog_industry *catalog_industry_find(const struct catalog *cat, const char *code)
{
	return index_find((void *const *)cat->idx_industries, cat->nindustries, code,
			  find_industry);
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

static void ref_list(struct bctx *b, const char *file, const char *base, const char *key,
		     const char *const *ids, size_t n,
		     bool (*exists)(const struct catalog *, const char *), const char *what)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!exists(b->cat, ids[i])) {
			char path[256];
			jpi(path, sizeof(path), base, key, i);
			if (catalog_problem_add(b->probs, true, file, path, "未知的%s \"%s\"", what,
						ids[i]))
				b->oom = 1;
		}
}

/* A reference into a file that is missing or unparsable is not reported again for every use. */
static bool has_dep(const struct catalog *c, const char *id)
{
	return c->root_departments == NULL || catalog_department_find(c, id) != NULL;
}
static bool has_mat(const struct catalog *c, const char *id)
{
	return c->root_materials == NULL || catalog_material_find(c, id) != NULL;
}
static bool has_fld(const struct catalog *c, const char *id)
{
	return c->root_fields == NULL || catalog_field_find(c, id) != NULL;
}
static bool has_per(const struct catalog *c, const char *id)
{
	return c->root_permits == NULL || catalog_permit_find(c, id) != NULL;
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

/* resolve_refs reports every reference to an id that does not exist (fatal). */
static void resolve_refs(struct bctx *b)
{
	struct catalog *cat = b->cat;
	size_t i, j;

	for (i = 0; i < cat->npermits; i++) {
		struct catalog_permit *p = &cat->permits[i];
		char path[64];
		if (p->department != NULL && !has_dep(cat, p->department)) {
			jp(path, sizeof(path), p->where.path, "department");
			if (catalog_problem_add(b->probs, true, p->where.file, path,
						"未知的部门 \"%s\"", p->department))
				b->oom = 1;
		}
		ref_list(b, p->where.file, p->where.path, "materials", p->materials, p->nmaterials,
			 has_mat, "材料");
		ref_list(b, p->where.file, p->where.path, "fields", p->fields, p->nfields, has_fld,
			 "字段");
	}
	for (i = 0; i < cat->nindustries; i++) {
		struct catalog_industry *ind = &cat->industries[i];
		struct qref_ctx qc = {b, ind};
		const char *f = ind->where.file;
		if (ind->lead != NULL && !has_dep(cat, ind->lead))
			if (catalog_problem_add(b->probs, true, f, "lead", "未知的部门 \"%s\"",
						ind->lead))
				b->oom = 1;
		ref_list(b, f, "", "cooperating", ind->cooperating, ind->ncooperating, has_dep,
			 "部门");
		ref_list(b, f, "", "permits", ind->permits, ind->npermits, has_per, "许可事项");
		ref_list(b, f, "", "base_permits", ind->base_permits, ind->nbase_permits, has_per,
			 "许可事项");
		ref_list(b, f, "", "materials", ind->materials, ind->nmaterials, has_mat, "材料");
		ref_list(b, f, "", "fields", ind->fields, ind->nfields, has_fld, "字段");
		for (j = 0; j < ind->nquestions; j++)
			cond_visit(ind->questions[j].ask_if, qref_check, &qc);
		for (j = 0; j < ind->nrules; j++) {
			struct catalog_rule *r = &ind->rules[j];
			ref_list(b, f, r->path, "permits", r->permits, r->npermits, has_per,
				 "许可事项");
			ref_list(b, f, r->path, "materials", r->materials, r->nmaterials, has_mat,
				 "材料");
			ref_list(b, f, r->path, "fields", r->fields, r->nfields, has_fld, "字段");
			cond_visit(r->when, qref_check, &qc);
		}
	}
}

/* ------------------------------------------------------------------ build */

struct named_root {
	char name[128];
	json_t *root; /* owned reference */
};

/*
 * build_roots turns already-parsed JSON roots into a catalog. It takes over the
 * references in roots (they end up owned by the catalog, or are released).
 */
static int build_roots(struct named_root *roots, size_t n, struct catalog **out,
		       struct catalog_problems *probs)
{
	static const char *const fixed[] = {"catalog.json", "departments.json", "materials.json",
					    "fields.json", "permits.json"};
	struct catalog *cat;
	struct bctx b = {0};
	json_t **slot[5];
	bool unparsable[5] = {false};
	size_t i, k, nind = 0;

	*out = NULL;
	cat = calloc(1, sizeof(*cat));
	if (cat == NULL)
		goto oom;
	b.cat = cat;
	b.probs = probs;
	slot[0] = &cat->root_catalog;
	slot[1] = &cat->root_departments;
	slot[2] = &cat->root_materials;
	slot[3] = &cat->root_fields;
	slot[4] = &cat->root_permits;
	cat->nindustry_roots = 0;
	cat->root_industries = calloc(n ? n : 1, sizeof(json_t *));
	cat->industry_files = calloc(n ? n : 1, sizeof(char *));
	if (cat->root_industries == NULL || cat->industry_files == NULL)
		goto oom;
	for (i = 0; i < n; i++) {
		for (k = 0; k < 5; k++)
			if (strcmp(roots[i].name, fixed[k]) == 0)
				break;
		if (roots[i].root == NULL) {
			if (k < 5)
				unparsable[k] = true;
			continue;
		}
		if (k < 5) {
			if (*slot[k] != NULL)
				catalog_problem_add(probs, true, roots[i].name, "", "文件重复出现");
			else
				*slot[k] = roots[i].root;
			if (*slot[k] != roots[i].root)
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
	for (k = 0; k < 5; k++)
		if (*slot[k] == NULL && !unparsable[k])
			catalog_problem_add(probs, true, fixed[k], "", "缺少文件");

	b.file = "catalog.json";
	if (cat->root_catalog)
		build_settings(&b, cat->root_catalog);
	b.file = "departments.json";
	if (cat->root_departments)
		build_departments(&b, cat->root_departments);
	b.file = "materials.json";
	if (cat->root_materials)
		build_materials(&b, cat->root_materials);
	b.file = "fields.json";
	if (cat->root_fields)
		build_fields(&b, cat->root_fields);
	b.file = "permits.json";
	if (cat->root_permits)
		build_permits(&b, cat->root_permits);

	cat->industries = xcalloc(&b, nind, sizeof(*cat->industries));
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
		const char *slash, *dot;
		b.file = cat->industry_files[i];
		build_industry(&b, cat->root_industries[i], ind);
		if (ind->code == NULL || ind->name == NULL) {
			/* keep the partial entry's allocations reachable for catalog_free */
			ind->code = NULL;
			cat->nindustries++;
			continue;
		}
		slash = strrchr(b.file, '/');
		dot = strrchr(b.file, '.');
		if (slash && dot && dot > slash &&
		    (strlen(ind->code) != (size_t)(dot - slash - 1) ||
		     strncmp(slash + 1, ind->code, (size_t)(dot - slash - 1)) != 0))
			PROBLEM(&b, false, "code", "行业编码 \"%s\" 与文件名不一致", ind->code);
		ind->name_lc = lower_dup(&b, ind->name);
		ind->pinyin_lc = lower_dup(&b, ind->pinyin);
		ind->aliases_lc = xcalloc(&b, ind->naliases, sizeof(char *));
		for (k = 0; ind->aliases_lc && k < ind->naliases; k++)
			ind->aliases_lc[k] = lower_dup(&b, ind->aliases[k]);
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

	cat->idx_departments =
	    make_index(&b, cat->departments, cat->ndepartments, sizeof(*cat->departments),
		       cmp_department, dep_id, dep_w, "部门");
	cat->idx_materials =
	    make_index(&b, cat->materials, cat->nmaterials, sizeof(*cat->materials), cmp_material,
		       mat_id, mat_w, "材料");
	cat->idx_fields = make_index(&b, cat->fields, cat->nfields, sizeof(*cat->fields), cmp_field,
				     fld_id, fld_w, "字段");
	cat->idx_permits = make_index(&b, cat->permits, cat->npermits, sizeof(*cat->permits),
				      cmp_permit, per_id, per_w, "许可事项");
	cat->idx_industries =
	    make_index(&b, cat->industries, cat->nindustries, sizeof(*cat->industries),
		       cmp_industry, ind_id, ind_w, "行业");
	if (b.oom)
		goto oom;
	resolve_refs(&b);
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

/* industry_free releases what build_industry allocated (also for dropped partial entries). */
static void industry_free(struct catalog_industry *ind)
{
	size_t j;

	free(ind->aliases);
	free(ind->cooperating);
	free(ind->permits);
	free(ind->base_permits);
	free(ind->materials);
	free(ind->fields);
	for (j = 0; j < ind->nquestions; j++) {
		free(ind->questions[j].options);
		cond_free(ind->questions[j].ask_if);
	}
	free(ind->questions);
	for (j = 0; j < ind->nrules; j++) {
		free(ind->rules[j].permits);
		free(ind->rules[j].materials);
		free(ind->rules[j].fields);
		cond_free(ind->rules[j].when);
	}
	free(ind->rules);
	free(ind->tests);
	free(ind->name_lc);
	free(ind->pinyin_lc);
	if (ind->aliases_lc)
		for (j = 0; j < ind->naliases; j++)
			free(ind->aliases_lc[j]);
	free(ind->aliases_lc);
}

void catalog_free(struct catalog *cat)
{
	size_t i, nalloc;

	if (cat == NULL)
		return;
	nalloc = cat->nindustry_roots;
	for (i = 0; i < cat->nfields; i++)
		free(cat->fields[i].options);
	for (i = 0; i < cat->npermits; i++) {
		free(cat->permits[i].materials);
		free(cat->permits[i].fields);
		free(cat->permits[i].conditions);
	}
	/* industries: as many entries were allocated as there are industry roots */
	if (cat->industries)
		for (i = 0; i < nalloc; i++)
			industry_free(&cat->industries[i]);
	free(cat->industries);
	free(cat->departments);
	free(cat->materials);
	free(cat->fields);
	free(cat->permits);
	free(cat->idx_departments);
	free(cat->idx_materials);
	free(cat->idx_fields);
	free(cat->idx_permits);
	free(cat->idx_industries);
	json_decref(cat->root_catalog);
	json_decref(cat->root_departments);
	json_decref(cat->root_materials);
	json_decref(cat->root_fields);
	json_decref(cat->root_permits);
	for (i = 0; i < nalloc; i++) {
		json_decref(cat->root_industries[i]);
		free(cat->industry_files[i]);
	}
	free(cat->root_industries);
	free(cat->industry_files);
	free(cat);
}

/* parse_text loads one JSON text strictly; a syntax error becomes a fatal problem. */
static json_t *parse_text(const char *name, const char *text, size_t len,
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
		json_t *r = parse_text(files[i].name, files[i].text, files[i].len, probs);
		/* an unparsable file stays in the list with a NULL root: present, but unusable */
		snprintf(roots[n].name, sizeof(roots[n].name), "%s", files[i].name);
		roots[n++].root = r;
	}
	rc = build_roots(roots, n, out, probs);
	free(roots);
	return rc;
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
	doc = parse_text("catalog-document", text, len, probs);
	if (doc == NULL)
		return build_roots(NULL, 0, out, probs);
	if (!json_is_object(doc)) {
		catalog_problem_add(probs, true, "catalog-document", "",
				    "目录文档必须是 JSON 对象");
		json_decref(doc);
		return build_roots(NULL, 0, out, probs);
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
	rc = build_roots(roots, n, out, probs);
	free(roots);
	return rc;
}

/* fail_first turns the first fatal problem into err. */
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

/* ----------------------------------------------------------------- search */

const char *catalog_match_name(enum catalog_match m)
{
	static const char *const names[] = {"exact", "prefix", "substring",
					    "alias", "pinyin", "all"};

	return (size_t)m < sizeof(names) / sizeof(names[0]) ? names[m] : "?";
}

/* match_rank gives the best rank of ind for the lower-cased query q, or -1. */
static int match_rank(const struct catalog_industry *ind, const char *q)
{
	size_t i;

	if (strcmp(ind->name_lc, q) == 0)
		return CATALOG_MATCH_EXACT;
	if (strncmp(ind->name_lc, q, strlen(q)) == 0)
		return CATALOG_MATCH_PREFIX;
	if (strstr(ind->name_lc, q) != NULL)
		return CATALOG_MATCH_SUBSTRING;
	for (i = 0; i < ind->naliases; i++)
		if (strstr(ind->aliases_lc[i], q) != NULL)
			return CATALOG_MATCH_ALIAS;
	if (strstr(ind->pinyin_lc, q) != NULL || strstr(ind->code, q) != NULL)
		return CATALOG_MATCH_PINYIN;
	return -1;
}

long catalog_search(const struct catalog *cat, const char *query, struct catalog_hit *hits,
		    size_t cap)
{
	char q[257];
	size_t len, i, start = 0, total = 0;
	int rank;

	if (query == NULL)
		return -1;
	while (query[start] == ' ' || query[start] == '\t' || query[start] == '\n' ||
	       query[start] == '\r')
		start++;
	len = strlen(query + start);
	if (len > 256)
		return -1;
	while (len > 0 && (query[start + len - 1] == ' ' || query[start + len - 1] == '\t' ||
			   query[start + len - 1] == '\n' || query[start + len - 1] == '\r'))
		len--;
	memcpy(q, query + start, len);
	q[len] = '\0';
	for (i = 0; i < len; i++)
		if (q[i] >= 'A' && q[i] <= 'Z')
			q[i] = (char)(q[i] - 'A' + 'a');

	/* one pass per rank keeps the output ordered without sorting: n is small */
	for (rank = len ? CATALOG_MATCH_EXACT : CATALOG_MATCH_ALL; rank <= CATALOG_MATCH_ALL;
	     rank++) {
		for (i = 0; i < cat->nindustries; i++) {
			const struct catalog_industry *ind = &cat->industries[i];
			int r = len ? match_rank(ind, q) : CATALOG_MATCH_ALL;
			if (r != rank)
				continue;
			if (total < cap) {
				hits[total].industry = ind;
				hits[total].match = (enum catalog_match)r;
			}
			total++;
		}
		if (!len)
			break;
	}
	return (long)total;
}
