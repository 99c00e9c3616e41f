/*
 * inspection.c — checks of an inspection section (see inspection.h).
 */
#include "core/inspection.h"
#include "core/text.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long item_index(const struct inspection_item *list, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i].id, id) == 0)
			return (long)i;
	return -1;
}

int inspection_section_check(const struct inspection_item *checklist, size_t n, const json_t *items,
			     const char *result, const char *findings, struct yerr *err)
{
	unsigned char *seen; /* per checklist item: answered already */
	char path[64];
	size_t i, not_ok = 0;
	int rc = -1;

	if (findings != NULL && text_chars(findings, strlen(findings)) > INSPECTION_TEXT_MAX)
		return yerr_set(err, 400, "text_too_long", "findings", "核查发现最多%d个字",
				INSPECTION_TEXT_MAX);
	if (!json_is_array(items))
		return yerr_set(err, 400, "invalid_items", "items",
				"核查项须为数组 [{\"id\",\"result\",\"note\"}]");
	seen = calloc(n + 1, 1);
	if (seen == NULL)
		return yerr_set(err, 500, "out_of_memory", NULL, "内存不足");
	for (i = 0; i < json_array_size(items); i++) {
		const json_t *it = json_array_get(items, i);
		const char *id = json_string_value(json_object_get(it, "id"));
		const char *res = json_string_value(json_object_get(it, "result"));
		const json_t *note = json_object_get(it, "note");
		long k;

		snprintf(path, sizeof(path), "items[%zu].id", i);
		if (!json_is_object(it) || id == NULL) {
			yerr_set(err, 400, "invalid_items", path, "第%zu个核查项缺少 id", i + 1);
			goto out;
		}
		k = item_index(checklist, n, id);
		if (k < 0) {
			yerr_set(err, 400, "unknown_item", path, "核查清单中没有核查项 %.64s", id);
			goto out;
		}
		if (seen[k]) {
			yerr_set(err, 400, "duplicate_item", path, "核查项“%s”重复填写",
				 checklist[k].text);
			goto out;
		}
		seen[k] = 1;
		snprintf(path, sizeof(path), "items[%zu].result", i);
		if (res != NULL && strcmp(res, "not_ok") == 0) {
			not_ok++;
		} else if (res == NULL || (strcmp(res, "ok") != 0 && strcmp(res, "na") != 0)) {
			yerr_set(
			    err, 400, "invalid_item_result", path,
			    "核查项“%s”的结果只能是 ok（符合）、not_ok（不符合）或 na（不适用）",
			    checklist[k].text);
			goto out;
		}
		snprintf(path, sizeof(path), "items[%zu].note", i);
		if (note != NULL && !json_is_null(note) &&
		    (!json_is_string(note) ||
		     text_chars(json_string_value(note), json_string_length(note)) >
			 INSPECTION_TEXT_MAX)) {
			yerr_set(err, 400, "text_too_long", path, "说明须为文字，最多%d个字",
				 INSPECTION_TEXT_MAX);
			goto out;
		}
	}
	for (i = 0; i < n; i++) {
		if (!seen[i]) {
			yerr_set(err, 400, "checklist_incomplete", "items",
				 "核查项“%s”（%s）未填写", checklist[i].text, checklist[i].id);
			goto out;
		}
	}
	if (result != NULL && strcmp(result, "pass") == 0 && not_ok > 0) {
		yerr_set(err, 400, "inconsistent_result", "result",
			 "有%zu项不符合，核查结论不能为通过", not_ok);
		goto out;
	}
	if (result != NULL && strcmp(result, "pass") != 0 && not_ok == 0 && n > 0) {
		yerr_set(err, 400, "inconsistent_result", "result",
			 "限期整改或不通过须至少有一项核查项不符合");
		goto out;
	}
	rc = 0;
out:
	free(seen);
	return rc;
}
