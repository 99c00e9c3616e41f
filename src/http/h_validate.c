/*
 * h_validate.c — POST /api/v1/validate: checks a 统一社会信用代码 or a
 * 居民身份证号 and says why it is invalid. The value is personal data: it is
 * never logged or echoed back.
 */
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "core/ident.h"
#include "http/handlers.h"

#define VALIDATE_MAX_LEN 256

void h_validate(struct req *r)
{
	json_t *kind = json_object_get(r->json, "kind");
	json_t *value = json_object_get(r->json, "value");
	struct ident_result res;
	const char *k, *v;
	size_t len;

	if (!json_is_object(r->json))
		return reply_error(r, 400, "invalid_body", NULL, "请求体必须是 JSON 对象");
	if (!json_is_string(kind))
		return reply_error(r, 400, "required", "kind",
				   "请指定校验类型 kind（uscc 或 idcard）");
	k = json_string_value(kind);
	if (strcmp(k, "uscc") != 0 && strcmp(k, "idcard") != 0)
		return reply_error(
		    r, 400, "invalid_kind", "kind",
		    "校验类型 kind 只能是 uscc（统一社会信用代码）或 idcard（居民身份证号）");
	if (!json_is_string(value))
		return reply_error(r, 400, "required", "value",
				   "请提供要校验的号码 value（字符串）");
	v = json_string_value(value);
	len = json_string_length(value);
	if (len > VALIDATE_MAX_LEN)
		return reply_error(r, 400, "too_long", "value", "号码过长（最多 %d 个字节）",
				   VALIDATE_MAX_LEN);
	if (strcmp(k, "uscc") == 0)
		ident_check_uscc(v, len, &res);
	else
		ident_check_idcard(v, len, date_to_packed(date_today_shanghai(app_now(r->app))),
				   &res);
	reply_json(r, 200,
		   json_pack("{s:b,s:o,s:s}", "valid", res.valid, "reason",
			     res.reason ? json_string(res.reason) : json_null(), "message",
			     res.valid ? (strcmp(k, "uscc") == 0 ? "统一社会信用代码有效"
								 : "居民身份证号有效")
				       : res.message));
}
