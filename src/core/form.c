/*
 * form.c — validation of the merged form and the completeness check (form.h).
 */
#include "core/form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/ident.h"
#include "core/text.h"

void form_report_free(struct form_report *rep)
{
	if (rep == NULL)
		return;
	free(rep->items);
	rep->items = NULL;
	rep->n = rep->cap = 0;
}

static int report_add(struct form_report *rep, enum form_issue_kind kind, const char *id,
		      const char *label, const struct yerr *e)
{
	struct form_issue *it;

	if (rep == NULL)
		return 0;
	if (rep->n == rep->cap) {
		size_t cap = rep->cap ? 2 * rep->cap : 16;
		struct form_issue *p = realloc(rep->items, cap * sizeof(*p));

		if (p == NULL)
			return -1;
		rep->items = p;
		rep->cap = cap;
	}
	it = &rep->items[rep->n++];
	it->kind = kind;
	it->id = id;
	it->label = label;
	it->err = *e;
	return 0;
}

static bool is_blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return false;
	return true;
}

/* empty: null, "" or all blanks (the UI sends "" for a cleared input). */
static bool empty(const json_t *v)
{
	return v == NULL || json_is_null(v) ||
	       (json_is_string(v) && is_blank(json_string_value(v)));
}

static int field_err(struct yerr *err, const struct catalog_field *f, const char *detail)
{
	char path[128];

	snprintf(path, sizeof(path), "form.%s", f->id);
	return yerr_set(err, 400, "invalid_field", path, "“%s”（%s）：%s", f->label, f->id, detail);
}

static bool all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n > 0;
}

int form_phone_valid(const char *s)
{
	const char *dash, *num;
	size_t n;

	if (s == NULL)
		return 0;
	n = strlen(s);
	if (n == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9' && all_digits(s, n))
		return 1;
	/* fixed line: [0AA(A)-]NNNNNNN(N)[-EXT]; a local number starts with 2-9 */
	num = s;
	if (s[0] == '0') {
		dash = strchr(s, '-');
		if (dash == NULL || (dash - s != 3 && dash - s != 4) ||
		    !all_digits(s, (size_t)(dash - s)))
			return 0;
		num = dash + 1;
	}
	dash = strchr(num, '-');
	n = dash ? (size_t)(dash - num) : strlen(num);
	if ((n != 7 && n != 8) || !all_digits(num, n) || num[0] < '2')
		return 0;
	if (dash == NULL)
		return 1;
	n = strlen(dash + 1);
	return n >= 1 && n <= 6 && all_digits(dash + 1, n);
}

static int check_text(const struct catalog_field *f, const json_t *v, bool multiline,
		      struct yerr *err)
{
	const char *s = json_string_value(v);
	size_t len = json_string_length(v), i;
	long chars;
	long max = f->maxlen > 0 ? f->maxlen : FORM_TEXT_MAX;
	char msg[96];

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == 0 || (c < 0x20 && !(multiline && (c == '\n' || c == '\r' || c == '\t'))) ||
		    c == 0x7f)
			return field_err(
			    err, f, multiline ? "含有不可见的控制字符" : "不能含有换行或控制字符");
	}
	chars = text_chars(s, len);
	if (chars > max) {
		snprintf(msg, sizeof(msg), "最多%ld个字，现为%ld个字", max, chars);
		return field_err(err, f, msg);
	}
	return 0;
}

static int check_number(const struct catalog_field *f, const json_t *v, bool area, struct yerr *err)
{
	double x = json_number_value(v);
	char msg[128];

	if (area && x < 0)
		return field_err(err, f, "面积不能为负数");
	if (f->has_min && x < f->min) {
		snprintf(msg, sizeof(msg), "不能小于%g", f->min);
		return field_err(err, f, msg);
	}
	if (f->has_max && x > f->max) {
		snprintf(msg, sizeof(msg), "不能大于%g", f->max);
		return field_err(err, f, msg);
	}
	return 0;
}

int form_check_value(const struct catalog_field *f, const json_t *v, int today, struct yerr *err)
{
	const char *type = f->type ? f->type : "text";
	const char *s = json_is_string(v) ? json_string_value(v) : NULL;
	struct ident_result r;
	size_t i;
	int day;

	if (strcmp(type, "number") == 0 || strcmp(type, "area") == 0) {
		if (!json_is_number(v))
			return field_err(err, f, "应填写数字");
		return check_number(f, v, strcmp(type, "area") == 0, err);
	}
	if (s == NULL)
		return field_err(err, f, "应填写文字");
	/* A NUL inside the string would let "own\0junk" pass as "own". */
	if (strlen(s) != json_string_length(v))
		return field_err(err, f, "含有不可见的控制字符");
	if (strcmp(type, "text") == 0)
		return check_text(f, v, true, err);
	if (strcmp(type, "address") == 0)
		return check_text(f, v, false, err);
	if (strcmp(type, "date") == 0) {
		if (date_parse(s, json_string_length(v), &day) != 0)
			return field_err(err, f, "日期格式应为 YYYY-MM-DD，且为真实日期");
		return 0;
	}
	if (strcmp(type, "enum") == 0) {
		for (i = 0; i < f->noptions; i++)
			if (strcmp(f->options[i].value, s) == 0)
				return 0;
		return field_err(err, f, "不是可选的选项");
	}
	if (strcmp(type, "uscc") == 0) {
		ident_check_uscc(s, json_string_length(v), &r);
		return r.valid ? 0 : field_err(err, f, r.message);
	}
	if (strcmp(type, "idcard") == 0) {
		ident_check_idcard(s, json_string_length(v), date_to_packed(today), &r);
		return r.valid ? 0 : field_err(err, f, r.message);
	}
	if (strcmp(type, "phone") == 0) {
		if (!form_phone_valid(s))
			return field_err(
			    err, f, "应为11位手机号码或固定电话（如 021-64871234，可带分机号）");
		return 0;
	}
	/* The catalog checker admits no other type; refuse rather than accept. */
	return field_err(err, f, "字段类型未知，无法校验");
}

static const struct catalog_field *field_of(const struct catalog_field *const *fields, size_t n,
					    const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(fields[i]->id, id) == 0)
			return fields[i];
	return NULL;
}

/* check_all appends a problem for every filled-in key of form; stops at OOM. */
static int check_all(const struct catalog_field *const *fields, size_t nfields, const json_t *form,
		     int today, struct form_report *rep, struct yerr *first, size_t *nbad)
{
	const char *key;
	const json_t *v;
	struct yerr e;

	json_object_foreach ((json_t *)form, key, v) {
		const struct catalog_field *f = field_of(fields, nfields, key);

		if (f == NULL) {
			char path[160];

			snprintf(path, sizeof(path), "form.%.120s", key);
			yerr_set(&e, 400, "unknown_field", path, "表单没有信息项 %.120s", key);
			if (report_add(rep, FORM_UNKNOWN_FIELD, key, key, &e) != 0)
				return -1;
		} else if (empty(v) || form_check_value(f, v, today, &e) == 0) {
			continue;
		} else if (report_add(rep, FORM_INVALID_FIELD, f->id, f->label, &e) != 0) {
			return -1;
		}
		if ((*nbad)++ == 0 && first != NULL)
			*first = e;
	}
	return 0;
}

int form_validate(const struct catalog_field *const *fields, size_t nfields, const json_t *form,
		  int today, struct form_report *rep, struct yerr *err)
{
	struct yerr first = {0};
	size_t nbad = 0;

	if (!json_is_object(form))
		return yerr_set(err, 400, "invalid_form", "form", "表单必须是对象 {信息项: 值}");
	if (check_all(fields, nfields, form, today, rep, &first, &nbad) != 0)
		return yerr_set(err, 500, "out_of_memory", NULL, "内存不足");
	if (nbad == 0)
		return 0;
	if (err != NULL)
		*err = first;
	return -1;
}

long form_precheck(const struct catalog_field *const *fields, size_t nfields, const json_t *form,
		   const struct catalog_material *const *materials, size_t nmaterials,
		   const char *const *uploaded, size_t nuploaded, int today,
		   struct form_report *rep)
{
	size_t i, j, nbad = 0, before = rep->n;
	struct yerr e;
	char path[160];

	for (i = 0; i < nfields; i++) {
		const struct catalog_field *f = fields[i];

		if (!f->required || !empty(form ? json_object_get(form, f->id) : NULL))
			continue;
		snprintf(path, sizeof(path), "form.%s", f->id);
		yerr_set(&e, 400, "field_required", path, "“%s”（%s）：必须填写", f->label, f->id);
		if (report_add(rep, FORM_MISSING_FIELD, f->id, f->label, &e) != 0)
			return -1;
	}
	if (json_is_object(form) && check_all(fields, nfields, form, today, rep, NULL, &nbad) != 0)
		return -1;
	for (i = 0; i < nmaterials; i++) {
		const struct catalog_material *m = materials[i];
		bool have = false;

		/* 免于提交: not asked of the applicant (obtained from the entity
		 * register, or checked by the department against its source). */
		if (m->exempt)
			continue;
		for (j = 0; j < nuploaded && !have; j++)
			have = uploaded[j] != NULL && strcmp(uploaded[j], m->id) == 0;
		if (have)
			continue;
		snprintf(path, sizeof(path), "materials.%s", m->id);
		yerr_set(&e, 400, "material_required", path, "缺少材料“%s”（%s）", m->name, m->id);
		if (report_add(rep, FORM_MISSING_MATERIAL, m->id, m->name, &e) != 0)
			return -1;
	}
	return (long)(rep->n - before);
}

long form_prefill(const struct catalog_field *const *fields, size_t nfields, json_t *form,
		  const json_t *const *sources, size_t nsources, int today, json_t *prefilled)
{
	size_t i, k;
	long filled = 0;

	if (!json_is_object(form) || !json_is_array(prefilled))
		return -1;
	for (i = 0; i < nfields; i++) {
		const struct catalog_field *f = fields[i];

		if (!empty(json_object_get(form, f->id)))
			continue;
		for (k = 0; k < nsources; k++) {
			json_t *v = json_object_get(sources[k], f->id);
			struct yerr e;

			if (!json_is_object(sources[k]) || empty(v) ||
			    form_check_value(f, v, today, &e) != 0)
				continue;
			if (json_object_set(form, f->id, v) != 0 ||
			    json_array_append_new(prefilled, json_string(f->id)) != 0)
				return -1;
			filled++;
			break;
		}
	}
	return filled;
}

json_t *form_report_to_json(const struct form_report *rep)
{
	json_t *o = json_object(), *mf = json_array(), *mm = json_array(), *errs = json_array();
	size_t i;
	int bad = o == NULL || mf == NULL || mm == NULL || errs == NULL;

	for (i = 0; !bad && i < rep->n; i++) {
		const struct form_issue *it = &rep->items[i];

		if (it->kind == FORM_MISSING_FIELD)
			bad |= json_array_append_new(
			    mf, json_pack("{ss ss}", "id", it->id, "label", it->label));
		else if (it->kind == FORM_MISSING_MATERIAL)
			bad |= json_array_append_new(
			    mm, json_pack("{ss ss}", "id", it->id, "name", it->label));
		bad |= json_array_append_new(errs, json_pack("{ss ss ss}", "code", it->err.code,
							     "message", it->err.message, "field",
							     it->err.field));
	}
	if (!bad) {
		bad |= json_object_set_new(o, "complete", json_boolean(rep->n == 0));
		bad |= json_object_set(o, "missing_fields", mf);
		bad |= json_object_set(o, "missing_materials", mm);
		bad |= json_object_set(o, "errors", errs);
	}
	json_decref(mf);
	json_decref(mm);
	json_decref(errs);
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}
