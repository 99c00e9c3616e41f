/*
 * catalog_checklist.c — reading and checking permits' inspection checklists
 * (see catalog_checklist.h).
 */
#include "core/catalog_checklist.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define PERMITS_FILE "permits.json"

/* Characters of a UTF-8 string (continuation bytes not counted). */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static bool blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

static bool id_ok(const char *id)
{
	if (strncmp(id, "K_", 2) != 0 || id[2] == '\0' || strlen(id) > 48)
		return false;
	for (const char *s = id + 2; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

size_t catalog_checklist_items(const struct catalog_permit *p, struct inspection_item *out,
			       size_t *n, size_t max)
{
	const json_t *list = p->json ? json_object_get(p->json, "inspection_checklist") : NULL;
	size_t i, added = 0;
	json_t *it;

	if (!json_is_array(list))
		return 0;
	json_array_foreach (list, i, it) {
		const char *id = json_string_value(json_object_get(it, "id"));
		const char *text = json_string_value(json_object_get(it, "text"));

		if (id == NULL || text == NULL || *n >= max)
			continue;
		out[*n].id = id;
		out[*n].text = text;
		out[*n].permit = p->code;
		(*n)++;
		added++;
	}
	return added;
}

struct ck {
	struct catalog_problems *out;
	int oom;
};

#define REPORT(c, path, ...)                                                                 \
	do {                                                                                 \
		if (catalog_problem_add((c)->out, false, PERMITS_FILE, (path), __VA_ARGS__)) \
			(c)->oom = 1;                                                        \
	} while (0)

/* Was id used by an earlier item of the catalog (permits before pi, or items
 * before ii of permit pi)? */
static bool seen_before(const struct catalog *cat, size_t pi, size_t ii, const char *id)
{
	for (size_t k = 0; k <= pi; k++) {
		const json_t *list = cat->permits[k].json ? json_object_get(cat->permits[k].json,
									    "inspection_checklist")
							  : NULL;
		size_t j, end = k == pi ? ii : json_array_size(list);

		for (j = 0; json_is_array(list) && j < end; j++) {
			const char *other =
			    json_string_value(json_object_get(json_array_get(list, j), "id"));

			if (other && strcmp(other, id) == 0)
				return true;
		}
	}
	return false;
}

static void check_item(struct ck *c, const struct catalog *cat, size_t pi, size_t ii,
		       const char *base, const json_t *it)
{
	static const char *const known[] = {"id", "text", "note", NULL};
	char path[256];
	const char *key, *id, *text;
	json_t *v;

	if (!json_is_object(it)) {
		REPORT(c, base, "核查项必须是对象 {\"id\",\"text\"}");
		return;
	}
	json_object_foreach ((json_t *)it, key, v) {
		size_t k;

		for (k = 0; known[k] && strcmp(known[k], key) != 0; k++)
			;
		if (known[k] == NULL) {
			snprintf(path, sizeof(path), "%.128s.%.64s", base, key);
			REPORT(c, path, "未知的键 \"%.64s\"", key);
		}
	}
	id = json_string_value(json_object_get(it, "id"));
	text = json_string_value(json_object_get(it, "text"));
	snprintf(path, sizeof(path), "%.128s.id", base);
	if (id == NULL)
		REPORT(c, path, "核查项缺少 \"id\"");
	else if (!id_ok(id))
		REPORT(c, path, "核查项编号 \"%s\" 无效（应为 K_ 加小写字母、数字或下划线）", id);
	else if (seen_before(cat, pi, ii, id))
		REPORT(c, path, "核查项编号 \"%s\" 重复", id);
	snprintf(path, sizeof(path), "%.128s.text", base);
	if (text == NULL || blank(text))
		REPORT(c, path, "核查项缺少 \"text\"（检查人员在现场核对的内容）");
	else if (utf8_chars(text) > CHECKLIST_TEXT_MAX)
		REPORT(c, path, "核查项内容超过 %d 个字符", CHECKLIST_TEXT_MAX);
}

int catalog_checklist_check(const struct catalog *cat, struct catalog_problems *out)
{
	struct ck c = {out, 0};

	for (size_t pi = 0; pi < cat->npermits; pi++) {
		const struct catalog_permit *p = &cat->permits[pi];
		const json_t *list =
		    p->json ? json_object_get(p->json, "inspection_checklist") : NULL;
		char base[128];
		size_t ii;
		json_t *it;

		snprintf(base, sizeof(base), "%s.inspection_checklist", p->where.path);
		if (list == NULL) {
			if (p->inspection)
				REPORT(&c, base,
				       "许可事项 %s 需要现场核查，缺少 "
				       "\"inspection_checklist\"（核查清单）",
				       p->code ? p->code : "");
			continue;
		}
		if (!p->inspection) {
			REPORT(&c, base, "无需现场核查的许可事项不应有核查清单");
			continue;
		}
		if (!json_is_array(list) || json_array_size(list) == 0) {
			REPORT(&c, base, "\"inspection_checklist\" 必须是非空数组");
			continue;
		}
		if (json_array_size(list) > CHECKLIST_MAX)
			REPORT(&c, base, "核查清单最多 %d 项", CHECKLIST_MAX);
		json_array_foreach (list, ii, it) {
			char ip[160];

			snprintf(ip, sizeof(ip), "%s[%zu]", base, ii);
			check_item(&c, cat, pi, ii, ip, it);
		}
	}
	return c.oom ? -1 : 0;
}
