/*
 * h_audit.c — reading the audit trail (audit.read):
 *   GET /api/v1/audit?actor=&action=&from=&to=&limit=&offset=  JSON page
 *   GET /api/v1/audit.csv?actor=&action=&from=&to=             CSV export
 * from/to are dates YYYY-MM-DD (Beijing time, both inclusive) or unix
 * milliseconds. The CSV is UTF-8 with a byte-order mark, every field quoted,
 * so Excel opens it with the Chinese intact.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "http/csv.h"
#include "http/accounts.h"
#include "store/store_audit.h"

#define AUDIT_PAGE_MAX 500
#define AUDIT_CSV_MAX 100000

/* A from/to argument: digits are unix ms; otherwise a date whose start
 * (from) or end (to, exclusive next midnight) in Beijing time is taken. */
static int time_arg(struct req *r, const char *name, int end, int64_t *out)
{
	const char *v = req_query(r, name);
	long long ms;
	int day;

	*out = 0;
	if (v == NULL || *v == '\0')
		return 0;
	if (args_int(v, 0, 999999999999999LL, &ms) == 0) { /* up to 15 digits */
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

static int filter_args(struct req *r, struct audit_filter *f)
{
	memset(f, 0, sizeof(*f));
	if (req_query_text(r, "actor", 128, &f->actor) < 0 ||
	    req_query_text(r, "action", 128, &f->action) < 0)
		return -1;
	if (time_arg(r, "from", 0, &f->from_ms) < 0 || time_arg(r, "to", 1, &f->to_ms) < 0)
		return -1;
	return 0;
}

/* "2026-11-28T08:30:00.123+08:00" */
static void format_time(int64_t ms, char *out, size_t outsz)
{
	time_t t = (time_t)(ms / 1000) + 8 * 3600;
	struct tm tm;

	size_t n;

	gmtime_r(&t, &tm);
	n = strftime(out, outsz, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, outsz - n, ".%03d+08:00", (int)(ms % 1000));
}

static int load(struct req *r, int limit, int offset, struct store_result **res, int64_t *total)
{
	struct audit_filter f;
	struct store_conn *c;
	struct yerr e = {0};
	int rc;

	if (filter_args(r, &f) < 0 || req_acquire(r, &c) < 0)
		return -1;
	rc = store_audit_list(c, &f, limit, offset, res, total, &e);
	store_release(c);
	if (rc < 0) {
		reply_yerr(r, &e);
		return -1;
	}
	return 0;
}

static const char *const columns[] = {"seq",        "ts",     "actor",  "role",
				      "department", "action", "object", "request_id",
				      "outcome",    "client", "detail", "hash"};

void h_audit_list(struct req *r)
{
	struct store_result *res;
	int64_t total;
	struct req_page page;
	json_t *items;

	if (req_paging(r, REQ_PAGE_DEFAULT, AUDIT_PAGE_MAX, &page) < 0 ||
	    load(r, page.limit, page.offset, &res, &total) < 0)
		return;
	items = json_array();
	for (int i = 0; i < res->rows; i++) {
		json_t *o = json_object();
		char when[40];

		for (int k = 0; k < 12; k++) {
			const char *v = store_cell(res, i, k);

			if (k == 0 || k == 1)
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

void h_audit_csv(struct req *r)
{
	static const char *const heads[] = {"序号", "时间",       "操作人", "角色",
					    "部门", "操作",       "对象",   "请求编号",
					    "结果", "客户端地址", "说明",   "哈希"};
	struct store_result *res;
	struct csv b = {.quote_all = 1};
	int64_t total;

	if (load(r, AUDIT_CSV_MAX, 0, &res, &total) < 0)
		return;
	csv_bom(&b);
	for (int k = 0; k < 12; k++)
		csv_field(&b, heads[k], 1, k == 11);
	for (int i = 0; i < res->rows; i++) {
		char when[40];

		format_time(store_cell_int(res, i, 1, 0), when, sizeof(when));
		for (int k = 0; k < 12; k++)
			csv_field(&b, k == 1 ? when : store_cell(res, i, k), 1, k == 11);
	}
	store_result_free(res);
	reply_raw(r, 200, "text/csv; charset=utf-8", b.p, b.len);
	free(b.p);
	reply_header(r, "Content-Disposition", "attachment; filename=\"audit.csv\"");
	if (total > AUDIT_CSV_MAX) {
		char n[24];

		snprintf(n, sizeof(n), "%d", AUDIT_CSV_MAX);
		reply_header(r, "X-Truncated-At", n);
	}
}
