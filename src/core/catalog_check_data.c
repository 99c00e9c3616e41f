/*
 * catalog_check_data.c — the checks that keep what the catalog tells the
 * public true (docs/catalog.md, "Honest data"):
 *
 * - roll-out: every industry has a status (planned, piloting, in_force,
 *   suspended) and, unless planned, the date it took effect; a batch number
 *   only with the source that gives it;
 * - modelled values: a `modelled` list names keys of its own object, and a
 *   rule whose basis says its threshold is a model value is marked so;
 * - 办事指南: the catalog-wide service items (place, address, window, hours,
 *   phone, fees) and each industry's 细则 (`service.rules`), each with a
 *   status; a phone number not confirmed must not show digits that could be
 *   dialled;
 * - the confirmed totals of `published` add up from the permits' figures;
 * - a count written in text ("七项许可") matches the permits merged;
 * - a permit without a statutory time limit is a filing (备案).
 *
 * Everything here reads the JSON the model keeps (`json` of each entity), so
 * it also sees keys the builder has no field for.
 */
#include "core/catalog_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"

struct dchk {
	const struct catalog *cat;
	struct catalog_problems *out;
	int oom;
};

#define DREPORT(c, file, path, ...)                                                    \
	do {                                                                           \
		if (catalog_problem_add((c)->out, false, (file), (path), __VA_ARGS__)) \
			(c)->oom = 1;                                                  \
	} while (0)

static const char *const statuses[] = {"planned", "piloting", "in_force", "suspended", NULL};
static const char *const item_statuses[] = {"confirmed", "modelled", "to_confirm", NULL};
static const char *const service_keys[] = {"place", "address", "window", "hours",
					   "phone", "fees",    NULL};

static bool one_of(const char *const *list, const char *s)
{
	for (size_t i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

const char *catalog_status_label(const char *status)
{
	static const char *const labels[] = {"计划实施", "试点实施", "已实施", "暂停实施"};

	for (size_t i = 0; statuses[i] != NULL && status != NULL; i++)
		if (strcmp(statuses[i], status) == 0)
			return labels[i];
	return NULL;
}

/*
 * A version stored before industries had a status has none: its industries were
 * all guided then and stay so (the checker asks every new version for one).
 */
bool catalog_status_offered(const char *status)
{
	return status == NULL || strcmp(status, "in_force") == 0 || strcmp(status, "piloting") == 0;
}

/* ----------------------------------------------------------- modelled lists */

/* check_modelled: obj.modelled, when present, is a list of distinct keys of obj. */
static void check_modelled(struct dchk *c, const char *file, const char *base, const json_t *obj)
{
	const json_t *m = json_object_get(obj, "modelled"), *v, *w;
	char path[256];
	size_t i, j;

	if (m == NULL)
		return;
	snprintf(path, sizeof(path), "%s%smodelled", base, *base ? "." : "");
	if (!json_is_array(m)) {
		DREPORT(c, file, path, "\"modelled\" 必须是键名数组，列出本对象中为模型取值的键");
		return;
	}
	json_array_foreach (m, i, v) {
		const char *k = json_string_value(v);
		snprintf(path, sizeof(path), "%s%smodelled[%zu]", base, *base ? "." : "", i);
		if (k == NULL || strcmp(k, "modelled") == 0 || strcmp(k, "note") == 0 ||
		    json_object_get(obj, k) == NULL) {
			DREPORT(c, file, path, "\"modelled\" 列出的 %s%s%s 不是本对象中的取值",
				k ? "\"" : "", k ? k : "非字符串", k ? "\"" : "");
			continue;
		}
		for (j = 0; j < i; j++) {
			w = json_array_get(m, j);
			if (json_is_string(w) && strcmp(json_string_value(w), k) == 0) {
				DREPORT(c, file, path, "\"modelled\" 重复列出 \"%s\"", k);
				break;
			}
		}
	}
}

static bool is_modelled(const json_t *obj, const char *key)
{
	const json_t *v;
	size_t i;

	json_array_foreach (json_object_get(obj, "modelled"), i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), key) == 0)
			return true;
	return false;
}

/* ------------------------------------------------------------- service items */

/* digit_run: the longest run of ASCII digits (ignoring '-' and spaces inside it). */
static size_t digit_run(const char *s)
{
	size_t best = 0, run = 0;

	for (; *s; s++) {
		if (*s >= '0' && *s <= '9') {
			if (++run > best)
				best = run;
		} else if (!(run > 0 && (*s == '-' || *s == ' '))) {
			run = 0;
		}
	}
	return best;
}

/* check_item: one 办事指南 item {"text","status","note"?}. */
static void check_item(struct dchk *c, const char *file, const char *path, const char *key,
		       const json_t *it)
{
	const char *text = json_string_value(json_object_get(it, "text"));
	const char *st = json_string_value(json_object_get(it, "status"));
	const char *k;
	json_t *v;

	if (!json_is_object(it)) {
		DREPORT(c, file, path,
			"办事指南项必须是对象 {\"text\",\"status\"}（status: confirmed modelled "
			"to_confirm）");
		return;
	}
	json_object_foreach ((json_t *)it, k, v) {
		(void)v;
		if (strcmp(k, "text") != 0 && strcmp(k, "status") != 0 && strcmp(k, "note") != 0)
			DREPORT(c, file, path, "办事指南项中未知的键 \"%s\"", k);
	}
	if (text == NULL || *text == '\0')
		DREPORT(c, file, path, "办事指南项缺少文字 text");
	if (st == NULL || !one_of(item_statuses, st)) {
		DREPORT(
		    c, file, path,
		    "办事指南项的 status 必须是 confirmed、modelled 或 to_confirm（待区里确认的写 "
		    "to_confirm）");
		return;
	}
	/* An unconfirmed phone must not read as a number anyone could dial. */
	if (strcmp(key, "phone") == 0 && text != NULL && strcmp(st, "confirmed") != 0 &&
	    digit_run(text) >= 5)
		DREPORT(c, file, path,
			"未经确认的咨询电话不得写出号码（status 为 %s），请写明“待确认”", st);
}

static void check_service(struct dchk *c, const char *file, const json_t *svc, bool industry)
{
	const char *k;
	json_t *v;
	char path[128];

	if (svc == NULL) {
		DREPORT(
		    c, file, "service",
		    industry
			? "行业缺少办事指南 service（至少写明综合许可细则 rules）"
			: "目录缺少办事指南 service（办理地点、地址、窗口、时间、咨询电话、收费）");
		return;
	}
	if (!json_is_object(svc)) {
		DREPORT(c, file, "service", "\"service\" 必须是对象");
		return;
	}
	json_object_foreach ((json_t *)svc, k, v) {
		snprintf(path, sizeof(path), "service.%s", k);
		if (one_of(service_keys, k) || (industry && strcmp(k, "rules") == 0))
			check_item(c, file, path, k, v);
		else
			DREPORT(c, file, path, "办事指南中未知的项 \"%s\"", k);
	}
	if (industry) {
		if (json_object_get(svc, "rules") == NULL)
			DREPORT(c, file, "service.rules", "行业缺少综合许可细则 service.rules");
		return;
	}
	for (size_t i = 0; service_keys[i] != NULL; i++)
		if (json_object_get(svc, service_keys[i]) == NULL) {
			snprintf(path, sizeof(path), "service.%s", service_keys[i]);
			DREPORT(c, file, path, "目录的办事指南缺少 \"%s\"", service_keys[i]);
		}
}

/* ------------------------------------------------------------ counts in text */

/* cn_digit: value of one Chinese numeral character at s (3 bytes), or -1. */
static int cn_digit(const char *s)
{
	static const char *const d[] = {"零", "一", "二", "三", "四", "五",
					"六", "七", "八", "九", "两"};

	for (int i = 0; i < 11; i++)
		if (strncmp(s, d[i], 3) == 0)
			return i == 10 ? 2 : i;
	return -1;
}

/*
 * number_before reads the number that ends right before s[at] (Arabic digits
 * or Chinese numerals up to 九十九); returns it, or -1 when there is none.
 */
static long number_before(const char *s, size_t at)
{
	size_t i = at;
	long v = 0, mul = 1;

	if (i > 0 && s[i - 1] == ' ') /* "5 项许可" */
		i--;
	if (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9') {
		while (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9') {
			v += (s[i - 1] - '0') * mul;
			mul *= 10;
			i--;
		}
		return v;
	}
	/* Chinese: [d]十[d] or d */
	{
		long units = -1, tens = -1;
		if (i >= 3 && cn_digit(s + i - 3) >= 0) {
			units = cn_digit(s + i - 3);
			i -= 3;
		}
		if (i >= 3 && strncmp(s + i - 3, "十", 3) == 0) {
			i -= 3;
			tens = 1;
			if (i >= 3 && cn_digit(s + i - 3) > 0)
				tens = cn_digit(s + i - 3);
		}
		if (tens < 0)
			return units;
		return tens * 10 + (units < 0 ? 0 : units);
	}
}

/*
 * check_counts finds "<number>项许可", "<number>个许可", "<number>项单项许可" in
 * text and reports each number that differs from the permits the industry
 * merges: a description must not promise five permits and list seven.
 */
static void check_counts(struct dchk *c, const struct catalog_industry *ind, const char *path,
			 const char *text)
{
	static const char *const units[] = {"项许可", "个许可", "项单项许可", "个单项许可"};
	size_t len;

	if (text == NULL)
		return;
	len = strlen(text);
	for (size_t at = 0; at < len; at++)
		for (size_t u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
			long n;
			if (strncmp(text + at, units[u], strlen(units[u])) != 0)
				continue;
			n = number_before(text, at);
			if (n >= 0 && n != (long)ind->npermits)
				DREPORT(
				    c, ind->where.file, path,
				    "文字写的是 %ld 项许可，本行业实际合并 %zu 项许可（permits）",
				    n, ind->npermits);
		}
}

/* ------------------------------------------------------------------ industry */

static void check_rollout(struct dchk *c, const struct catalog_industry *ind)
{
	const json_t *j = ind->json;
	const char *f = ind->where.file;
	const json_t *st = json_object_get(j, "status"), *ed = json_object_get(j, "effective_date");
	const json_t *prov = json_object_get(j, "provenance");
	const char *s = json_string_value(st);
	int day;

	/* an unknown status is a fatal problem of the builder (catalog_fields.c) */
	if (st == NULL)
		DREPORT(c, f, "status",
			"行业缺少实施状态 status（planned、piloting、in_force 或 suspended）");
	if (s != NULL && !one_of(statuses, s))
		s = NULL;
	if (ed != NULL && !json_is_null(ed)) {
		const char *d = json_string_value(ed);
		if (d == NULL || date_parse(d, strlen(d), &day) != 0)
			DREPORT(c, f, "effective_date", "实施日期必须是有效的 YYYY-MM-DD 日期");
	} else if (s != NULL && strcmp(s, "planned") != 0) {
		DREPORT(c, f, "effective_date", "状态为 %s 的行业必须写明实施日期 effective_date",
			s);
	}
	if (json_object_get(j, "batch") != NULL) {
		const char *bs = json_string_value(json_object_get(prov, "batch_source"));
		if (bs == NULL || *bs == '\0')
			DREPORT(
			    c, f, "batch",
			    "改革批次须有出处：写明 provenance.batch_source，没有出处的不写批次");
	}
	if (prov != NULL) {
		const char *ps = json_string_value(json_object_get(prov, "status"));
		if (ps != NULL && strcmp(ps, "confirmed") != 0 && strcmp(ps, "modelled") != 0)
			DREPORT(c, f, "provenance.status",
				"来源状态 \"%s\" 无效（可用 confirmed 或 modelled）", ps);
	}
	check_modelled(c, f, "", j);
}

/* published totals are confirmed figures; the permits' split must add up to them. */
static void check_published(struct dchk *c, const struct catalog_industry *ind)
{
	static const char *const measures[] = {"days", "materials", "fields", "steps", "trips"};
	const json_t *pub = json_object_get(ind->json, "published"), *ps, *before, *v;
	const char *f = ind->where.file;
	long sum[5] = {0};
	size_t i, k;
	char path[96];

	if (pub == NULL)
		return;
	ps = json_object_get(pub, "permits");
	before = json_object_get(pub, "before");
	if (!json_is_object(pub) || !json_is_array(ps) || !json_is_object(before) ||
	    !json_is_object(json_object_get(pub, "after"))) {
		DREPORT(c, f, "published",
			"\"published\" 必须是 {\"permits\":[…],\"before\":{…},\"after\":{…},"
			"\"source\"}");
		return;
	}
	if (json_string_value(json_object_get(pub, "source")) == NULL)
		DREPORT(c, f, "published.source", "公布数据必须写明出处 source");
	json_array_foreach (ps, i, v) {
		const char *code = json_string_value(v);
		const struct catalog_permit *p = code ? catalog_permit_find(c->cat, code) : NULL;
		bool in = false;
		for (k = 0; code && k < ind->npermits; k++)
			in |= strcmp(ind->permits[k], code) == 0;
		if (p == NULL || !in) {
			snprintf(path, sizeof(path), "published.permits[%zu]", i);
			DREPORT(c, f, path, "公布数据的许可 \"%s\" 不在本行业的 permits 中",
				code ? code : "?");
			return;
		}
		sum[0] += p->before.days;
		sum[1] += p->before.materials;
		sum[2] += p->before.fields;
		sum[3] += p->before.steps;
		sum[4] += p->before.trips;
	}
	v = json_object_get(before, "permits");
	if (v != NULL && json_integer_value(v) != (json_int_t)json_array_size(ps))
		DREPORT(c, f, "published.before.permits", "公布的许可数与 published.permits 不符");
	for (k = 0; k < 5; k++) {
		v = json_object_get(before, measures[k]);
		if (v == NULL)
			continue;
		snprintf(path, sizeof(path), "published.before.%s", measures[k]);
		if (!json_is_integer(v) || json_integer_value(v) != sum[k])
			DREPORT(c, f, path,
				"公布的改革前 %s 为 %lld，各许可 before.%s 之和为 "
				"%ld：拆分须合计为公布数",
				measures[k], (long long)json_integer_value(v), measures[k], sum[k]);
	}
}

static void check_industry_data(struct dchk *c, const struct catalog_industry *ind)
{
	const json_t *svc = json_object_get(ind->json, "service"), *v;
	const char *k;
	char path[96];

	check_rollout(c, ind);
	check_published(c, ind);
	check_service(c, ind->where.file, svc, true);
	check_counts(c, ind, "name", ind->name);
	check_counts(c, ind, "description", ind->description);
	check_counts(c, ind, "rollout_note",
		     json_string_value(json_object_get(ind->json, "rollout_note")));
	json_object_foreach ((json_t *)svc, k, v) {
		snprintf(path, sizeof(path), "service.%s.text", k);
		check_counts(c, ind, path, json_string_value(json_object_get(v, "text")));
	}
	for (size_t i = 0; i < ind->nquestions; i++) {
		snprintf(path, sizeof(path), "%s.text", ind->questions[i].path);
		check_counts(c, ind, path, ind->questions[i].text);
	}
	for (size_t i = 0; i < ind->nrules; i++) {
		const json_t *rj = json_array_get(json_object_get(ind->json, "rules"), i);
		const struct catalog_rule *r = &ind->rules[i];
		if (!json_is_object(rj))
			continue;
		check_modelled(c, ind->where.file, r->path, rj);
		if (r->basis != NULL && strstr(r->basis, "模型") != NULL &&
		    !is_modelled(rj, "when")) {
			snprintf(path, sizeof(path), "%s.modelled", r->path);
			DREPORT(c, ind->where.file, path,
				"规则依据写明阈值为模型取值，须标注 \"modelled\": [\"when\"]");
		}
	}
}

/* ------------------------------------------------------------------- permits */

static void check_permit_data(struct dchk *c, const struct catalog_permit *p)
{
	const json_t *before = json_object_get(p->json, "before");
	char path[96];

	snprintf(path, sizeof(path), "%s.before", p->where.path);
	if (json_is_object(before))
		check_modelled(c, p->where.file, path, before);
	check_modelled(c, p->where.file, p->where.path, p->json); /* inspection_checklist */
	if (p->statutory_days == 0 && (strstr(p->name, "备案") == NULL || p->committed_days != 0)) {
		snprintf(path, sizeof(path), "%s.statutory_days", p->where.path);
		DREPORT(c, p->where.file, path,
			"法定时限为 0 的只能是当场办结的备案事项（名称含“备案”，承诺时限也为 0）");
	}
}

int catalog_check_data(const struct catalog *cat, struct catalog_problems *out)
{
	struct dchk c = {cat, out, 0};
	const json_t *after = json_object_get(cat->root_catalog, "after");

	if (cat->root_catalog != NULL) {
		check_service(&c, "catalog.json", json_object_get(cat->root_catalog, "service"),
			      false);
		if (json_is_object(after))
			check_modelled(&c, "catalog.json", "after", after);
		if (json_is_object(json_object_get(cat->root_catalog, "license")))
			check_modelled(&c, "catalog.json", "license",
				       json_object_get(cat->root_catalog, "license"));
	}
	for (size_t i = 0; i < cat->npermits; i++)
		check_permit_data(&c, &cat->permits[i]);
	for (size_t i = 0; i < cat->nindustries; i++)
		check_industry_data(&c, &cat->industries[i]);
	return c.oom ? -1 : 0;
}
