/*
 * license.c — license number, e-license identifier, status, validity and the
 * signed document (see license.h).
 */
#include "core/license.h"

#include <stdio.h>
#include <string.h>

#include "core/appno.h"
#include "core/catalog.h"
#include "core/date.h"

struct status_row {
	const char *name, *label;
};

/* Indexed by enum license_status. */
static const struct status_row statuses[LIC_STATUS_COUNT] = {
    [LIC_VALID] = {"valid", "有效"},       [LIC_SUSPENDED] = {"suspended", "暂停"},
    [LIC_REVOKED] = {"revoked", "已吊销"}, [LIC_CANCELLED] = {"cancelled", "已注销"},
    [LIC_EXPIRED] = {"expired", "已过期"}, [LIC_SUPERSEDED] = {"superseded", "已被新版本取代"},
};

const char *license_status_name(enum license_status s)
{
	return (unsigned)s < LIC_STATUS_COUNT ? statuses[s].name : NULL;
}

const char *license_status_label(enum license_status s)
{
	return (unsigned)s < LIC_STATUS_COUNT ? statuses[s].label : NULL;
}

int license_status_parse(const char *name)
{
	for (int i = 0; name != NULL && i < LIC_STATUS_COUNT; i++)
		if (strcmp(statuses[i].name, name) == 0)
			return i;
	return -1;
}

/* ---- number ---- */

int license_number_format(const char *district, int year, long serial, char *out, size_t outsz,
			  struct yerr *err)
{
	char tail[APPNO_SIZE];
	int n;

	/* The number is an application number's shape behind "XK-": the same
	 * checks of district, year and serial apply. */
	if (out == NULL || appno_format(district, year, serial, tail, sizeof(tail), NULL) != 0)
		return yerr_set(err, 400, "invalid_license_number", "number",
				"许可证编号格式应为“XK-区划代码-年份-流水号”");
	n = snprintf(out, outsz, "XK-%s", tail);
	if (n < 0 || (size_t)n >= outsz) {
		if (outsz > 0)
			out[0] = '\0';
		return yerr_set(err, 400, "invalid_license_number", "number", "许可证编号过长");
	}
	return 0;
}

int license_number_parse(const char *text, struct license_no *out, struct yerr *err)
{
	struct appno a;

	if (text == NULL || out == NULL || strncmp(text, "XK-", 3) != 0 ||
	    appno_parse(text + 3, &a, NULL) != 0)
		return yerr_set(err, 404, "license_not_found", "number", "许可证不存在");
	memcpy(out->district, a.district, sizeof(out->district));
	out->year = a.year;
	out->serial = a.serial;
	return 0;
}

/* ---- e-license identifier ---- */

static int alnum_value(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A' + 10;
	return -1;
}

char license_eid_check_char(const char *s)
{
	static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	int p = 36, any = 0;

	/* ISO/IEC 7064 MOD 37,36 (hybrid system): M = 36, M + 1 = 37. */
	for (; s != NULL && *s; s++) {
		int a, t;

		if (*s == '.')
			continue;
		if ((a = alnum_value(*s)) < 0)
			return '\0';
		t = (p + a) % 36;
		if (t == 0)
			t = 36;
		p = (2 * t) % 37;
		any = 1;
	}
	if (!any)
		return '\0';
	return alphabet[(37 - p) % 36];
}

void license_eid_issuer_code(const char *district, char *out, size_t outsz)
{
	/* MODELLED: the 区政务服务办's credit code is not in our references. */
	snprintf(out, outsz, "000000%.6s000000", district ? district : "000000");
}

int license_eid_build(const char *district, int year, long serial, int version, char *out,
		      size_t outsz, struct yerr *err)
{
	char issuer[24], body[LICENSE_EID_SIZE], check[2] = {0};
	char probe[LICENSE_NUMBER_SIZE];
	int n;

	if (license_number_format(district, year, serial, probe, sizeof(probe), err) != 0)
		return -1;
	if (version < 1 || version > 999 || out == NULL)
		return yerr_set(err, 400, "invalid_license_number", "version",
				"许可证版本号应为 1 至 999");
	license_eid_issuer_code(district, issuer, sizeof(issuer));
	n = snprintf(body, sizeof(body), "%s.%s.%04d%06ld.%03d", LICENSE_EID_TYPE_CODE, issuer,
		     year, serial, version);
	if (n < 0 || (size_t)n >= sizeof(body))
		return yerr_set(err, 400, "invalid_license_number", "number", "许可证编号过长");
	check[0] = license_eid_check_char(body);
	n = snprintf(out, outsz, "%s.%s.%s", LICENSE_EID_ROOT, body, check);
	if (n < 0 || (size_t)n >= outsz) {
		if (outsz > 0)
			out[0] = '\0';
		return yerr_set(err, 400, "invalid_license_number", "number", "许可证编号过长");
	}
	return 0;
}

bool license_eid_valid(const char *eid)
{
	static const char root[] = LICENSE_EID_ROOT ".";
	const char *body, *last;
	char buf[LICENSE_EID_SIZE];
	int dots = 0;
	size_t len;

	if (eid == NULL || strncmp(eid, root, sizeof(root) - 1) != 0)
		return false;
	body = eid + sizeof(root) - 1;
	last = strrchr(body, '.');
	if (last == NULL || strlen(last) != 2)
		return false;
	len = (size_t)(last - body);
	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, body, len);
	buf[len] = '\0';
	/* type code, issuer code, serial, version: four parts, none empty */
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '.') {
			if (i == 0 || buf[i - 1] == '.' || i + 1 == len)
				return false;
			dots++;
		} else if (alnum_value(buf[i]) < 0) {
			return false;
		}
	}
	return dots == 3 && license_eid_check_char(buf) == last[1];
}

/* ---- validity ---- */

/* The day before the anniversary `years` after day `from`. The anniversary
 * of Feb 29 in a common year is Mar 1, so the last day is Feb 28. */
static int years_after_minus_one(int from, long years)
{
	int y, m, d;

	date_to_ymd(from, &y, &m, &d);
	y += (int)years;
	if (m == 2 && d == 29 && !date_is_leap(y))
		return date_from_ymd(y, 3, 1) - 1;
	return date_from_ymd(y, m, d) - 1;
}

int license_valid_until(int valid_from, const struct license_validity_rule *rule,
			const long *permit_years, size_t npermits)
{
	long years = 0;

	if (rule == NULL || rule->kind == LIC_VALIDITY_NONE)
		return -1;
	if (rule->kind == LIC_VALIDITY_YEARS) {
		years = rule->years;
	} else {
		for (size_t i = 0; i < npermits; i++)
			if (permit_years[i] > 0 && (years == 0 || permit_years[i] < years))
				years = permit_years[i];
	}
	if (years <= 0 || years > 100)
		return -1;
	return years_after_minus_one(valid_from, years);
}

enum license_status license_status_at(enum license_status stored, int valid_until, int today)
{
	if (stored == LIC_VALID && valid_until >= 0 && valid_until < today)
		return LIC_EXPIRED;
	return stored;
}

bool license_sanction_allowed(const char *action, enum license_status from, enum license_status *to)
{
	enum license_status next;

	if (action == NULL)
		return false;
	if (strcmp(action, "suspend") == 0 && from == LIC_VALID)
		next = LIC_SUSPENDED;
	else if (strcmp(action, "reinstate") == 0 && from == LIC_SUSPENDED)
		next = LIC_VALID;
	else if (strcmp(action, "revoke") == 0 && (from == LIC_VALID || from == LIC_SUSPENDED))
		next = LIC_REVOKED;
	else
		return false;
	if (to != NULL)
		*to = next;
	return true;
}

/* in_modelled: key is listed in obj's "modelled" array. */
static bool in_modelled(const json_t *obj, const char *key)
{
	const json_t *v;
	size_t i;

	json_array_foreach (json_object_get(obj, "modelled"), i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), key) == 0)
			return true;
	return false;
}

void license_rule_of(const struct catalog *cat, const struct catalog_industry *ind,
		     struct license_validity_rule *rule, long *extension_days, bool *modelled)
{
	struct license_validity_rule r = {LIC_VALIDITY_SHORTEST, 0};
	const json_t *settings = cat ? json_object_get(cat->root_catalog, "license") : NULL;
	bool m = false;
	long ext = 30;

	if (ind != NULL && ind->has_license_rule) {
		r.kind = (enum license_validity_kind)ind->license_validity;
		r.years = ind->license_years;
		m = in_modelled(ind->json, "license_validity");
	} else if (cat != NULL) {
		r.kind = (enum license_validity_kind)cat->license_validity;
		r.years = cat->license_years;
		/* no rule stated anywhere is a modelled default too */
		m = settings == NULL || in_modelled(settings, "validity");
	}
	if (ind != NULL && ind->extension_days > 0)
		ext = ind->extension_days;
	else if (cat != NULL && cat->extension_days > 0)
		ext = cat->extension_days;
	if (rule != NULL)
		*rule = r;
	if (extension_days != NULL)
		*extension_days = ext;
	if (modelled != NULL)
		*modelled = m;
}

bool license_permit_validity_modelled(const struct catalog_permit *p)
{
	return p != NULL && in_modelled(p->json, "validity_years");
}

/* ---- document ---- */

static bool blank(const char *s)
{
	if (s == NULL)
		return true;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

static bool kid_ok(const char *kid)
{
	size_t n = kid ? strlen(kid) : 0;

	if (n == 0 || n > 32)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = kid[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '_' || ch == '-'))
			return false;
	}
	return true;
}

static json_t *str_or_empty(const char *s)
{
	return json_string(s ? s : "");
}

static json_t *day_json(int day)
{
	char buf[DATE_STR_SIZE];

	if (day < 0 || date_format(day, buf, sizeof(buf)) != 0)
		return json_null();
	return json_string(buf);
}

json_t *license_doc_build(const struct license_input *in, struct yerr *err)
{
	json_t *doc, *permits;
	size_t i;

	if (in == NULL || blank(in->number) || blank(in->eid))
		return yerr_set(err, 422, "license_incomplete", "number", "许可证缺少编号"), NULL;
	if (blank(in->holder_name))
		return yerr_set(err, 422, "license_incomplete", "holder.name",
				"许可证缺少持证主体名称"),
		       NULL;
	if (blank(in->holder_uscc))
		return yerr_set(err, 422, "license_incomplete", "holder.uscc",
				"许可证缺少统一社会信用代码"),
		       NULL;
	if (blank(in->industry_code) || blank(in->industry_name))
		return yerr_set(err, 422, "license_incomplete", "industry", "许可证缺少行业"), NULL;
	if (in->npermits == 0 || in->permits == NULL)
		return yerr_set(err, 422, "license_incomplete", "permits", "许可证缺少许可事项"),
		       NULL;
	if (in->valid_from < 0 || in->issued_on < 0 || in->version < 1)
		return yerr_set(err, 422, "license_incomplete", "valid_from",
				"许可证缺少有效期起始日"),
		       NULL;
	if (!kid_ok(in->kid))
		return yerr_set(err, 400, "invalid_kid", "kid", "签名密钥标识无效"), NULL;
	permits = json_array();
	for (i = 0; i < in->npermits; i++) {
		const struct license_permit *p = &in->permits[i];

		json_array_append_new(
		    permits,
		    json_pack("{s:o,s:o,s:o,s:o,s:o}", "code", str_or_empty(p->code), "name",
			      str_or_empty(p->name), "department", str_or_empty(p->department),
			      "department_name", str_or_empty(p->department_name), "basis",
			      str_or_empty(p->basis)));
	}
	/* Exactly the members of the contract (docs/api-licenses.md): this
	 * object is what is signed, so nothing else may slip in. Integers only. */
	doc = json_pack(
	    "{s:s,s:s,s:s,s:i,s:{s:o,s:o,s:o},s:o,s:{s:o,s:o},s:o,s:o,s:o,s:{s:o,s:o},s:o,s:o,s:s}",
	    "type", LICENSE_TYPE_NAME, "number", in->number, "eid", in->eid, "version", in->version,
	    "holder", "name", str_or_empty(in->holder_name), "uscc", str_or_empty(in->holder_uscc),
	    "legal_rep", str_or_empty(in->legal_rep), "address", str_or_empty(in->address),
	    "industry", "code", str_or_empty(in->industry_code), "name",
	    str_or_empty(in->industry_name), "permits", permits, "valid_from",
	    day_json(in->valid_from), "valid_until", day_json(in->valid_until), "issuer",
	    "department", str_or_empty(in->issuer_department), "name",
	    str_or_empty(in->issuer_name), "issued_on", day_json(in->issued_on), "district",
	    str_or_empty(in->district), "kid", in->kid);
	if (doc == NULL)
		yerr_set(err, 500, "internal", NULL, "生成许可证文档失败");
	return doc;
}
