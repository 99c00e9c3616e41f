/*
 * h_shared_log.c — the shared-read access log (sharing.log; docs/api-sharing.md
 * "Access log"):
 *   GET /api/v1/shared/access-log?token=&uscc=&from=&to=&limit=&offset=
 *   GET /api/v1/shared/access-log.csv?token=&uscc=&from=&to=
 *   GET /api/v1/shared/purposes   the documented purposes (for the UI)
 * Auditors and the system administrator read every entry of the district;
 * a department's supervisors read the entries of their own department's tokens
 * (the department that answers for what its system read). from/to are dates
 * YYYY-MM-DD (Beijing time, inclusive) or unix milliseconds, as in the audit
 * listing. The CSV is UTF-8 with a byte-order mark, every field quoted, a
 * leading = + - @ defused so a spreadsheet never evaluates a cell.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "http/csv.h"
#include "http/accounts.h"
#include "http/h_shared.h"
#include "store/store_sharing.h"

#define LOG_PAGE_MAX 500
#define LOG_CSV_MAX 100000
#define NCOLS 12

static int time_arg(struct req *r, const char *name, int end, int64_t *out)
{
	const char *v = req_query(r, name);
	long long ms;
	int day;

	*out = 0;
	if (v == NULL || *v == '\0')
		return 0;
	if (args_int(v, 0, 999999999999999LL, &ms) == 0) {
		*out = ms;
		return 0;
	}
	if (date_parse(v, strlen(v), &day) < 0) {
		reply_error(r, 400, "invalid_date", name,
			    "参数 %s 须为 YYYY-MM-DD 日期或毫秒时间戳", name);
		return -1;
	}
	*out = ((int64_t)(day + (end ? 1 : 0)) * 86400 - 8 * 3600) * 1000;
	return 0;
}

static int load(struct req *r, int limit, int offset, struct store_result **res, int64_t *total)
{
	struct sharing_filter f = {0};
	struct store_conn *c;
	struct yerr e = {0};
	long long token;
	int rc;

	if (req_query_int(r, "token", 0, 1, 999999999999LL, &token) < 0 ||
	    req_query_text(r, "uscc", 18, &f.uscc) < 0 || time_arg(r, "from", 0, &f.from_ms) < 0 ||
	    time_arg(r, "to", 1, &f.to_ms) < 0)
		return -1;
	f.token_id = token;
	f.department = principal_department_scope(&r->who); /* NULL: every department */
	/* read-your-writes on this node: what was queued before is committed */
	if (sharing_log_flush(r->app->sharing) < 0) {
		reply_error(r, 503, "busy", NULL, "共享访问日志正在写入，请稍后再试");
		reply_header(r, "Retry-After", "1");
		return -1;
	}
	if (req_acquire(r, &c) < 0)
		return -1;
	rc = store_sharing_list(c, req_district(r), &f, limit, offset, res, total, &e);
	store_release(c);
	if (rc < 0) {
		reply_yerr(r, &e);
		return -1;
	}
	return 0;
}

static void format_time(int64_t ms, char *out, size_t outsz)
{
	time_t t = (time_t)(ms / 1000) + 8 * 3600;
	struct tm tm;
	size_t n;

	gmtime_r(&t, &tm);
	n = strftime(out, outsz, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, outsz - n, ".%03d+08:00", (int)(ms % 1000));
}

static const char *const columns[NCOLS] = {"seq",          "ts",     "token_id",   "token_name",
					   "department",   "uscc",   "kind",       "purpose",
					   "purpose_text", "status", "request_id", "hash"};

void h_shared_access_log(struct req *r)
{
	struct store_result *res;
	struct req_page page;
	int64_t total;
	json_t *items;

	if (req_paging(r, REQ_PAGE_DEFAULT, LOG_PAGE_MAX, &page) < 0 ||
	    load(r, page.limit, page.offset, &res, &total) < 0)
		return;
	items = json_array();
	for (int i = 0; i < res->rows; i++) {
		json_t *o = json_object();
		char when[40];

		for (int k = 0; k < NCOLS; k++) {
			const char *v = store_cell(res, i, k);

			if (k == 0 || k == 1 || k == 2 || k == 9)
				json_object_set_new(o, columns[k],
						    json_integer(store_cell_int(res, i, k, 0)));
			else
				json_object_set_new(o, columns[k], json_string(v ? v : ""));
		}
		format_time(store_cell_int(res, i, 1, 0), when, sizeof(when));
		json_object_set_new(o, "time", json_string(when));
		json_array_append_new(items, o);
	}
	store_result_free(res);
	reply_json(r, 200, req_list_json(items, total, &page));
}

void h_shared_access_log_csv(struct req *r)
{
	static const char *const heads[NCOLS] = {
	    "序号",     "时间",     "令牌编号", "令牌名称", "部门",     "统一社会信用代码",
	    "数据类别", "用途代码", "用途说明", "结果",     "请求编号", "哈希"};
	struct store_result *res;
	struct csv b = {.quote_all = 1};
	int64_t total;

	if (load(r, LOG_CSV_MAX, 0, &res, &total) < 0)
		return;
	csv_bom(&b);
	for (int k = 0; k < NCOLS; k++)
		csv_field(&b, heads[k], 1, k == NCOLS - 1);
	for (int i = 0; i < res->rows; i++) {
		char when[40];

		format_time(store_cell_int(res, i, 1, 0), when, sizeof(when));
		for (int k = 0; k < NCOLS; k++)
			csv_field(&b, k == 1 ? when : store_cell(res, i, k), 1, k == NCOLS - 1);
	}
	store_result_free(res);
	reply_raw(r, 200, "text/csv; charset=utf-8", b.p, b.len);
	free(b.p);
	reply_header(r, "Content-Disposition", "attachment; filename=\"shared-access-log.csv\"");
	if (total > LOG_CSV_MAX) {
		char n[24];

		snprintf(n, sizeof(n), "%d", LOG_CSV_MAX);
		reply_header(r, "X-Truncated-At", n);
	}
}

void h_shared_purposes(struct req *r)
{
	reply_json(r, 200, json_pack("{s:o}", "items", sharing_purposes_json()));
}
