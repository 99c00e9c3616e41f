/*
 * harness_life.c — see harness_life.h.
 */
#include "harness_life.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/date.h"

void life_as(struct life_ctx *x, const char *user)
{
	struct server *s = x->srv;

	s->cookies[0] = s->csrf[0] = s->bearer[0] = '\0';
	if (strcmp(user, "applicant2") == 0)
		assert_int_equal(login(s, user, LIFE_APPLICANT2_PASSWORD), 0);
	else
		assert_int_equal(login(s, user, demo_password(s, user)), 0);
}

static int64_t me(struct life_ctx *x)
{
	struct resp r;
	int64_t id;

	http_req(x->srv, "GET", "/api/v1/me", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	id = json_integer_value(json_object_get(r.json, "id"));
	resp_free(&r);
	return id;
}

int life_setup(struct life_ctx *x, struct server *srv, int first_serial)
{
	memset(x, 0, sizeof(*x));
	x->srv = srv;
	x->serial_no = first_serial;
	x->today = date_today_shanghai(time(NULL));
	if (server_start(srv, 1, NULL) != 0)
		return -1;
	app_register_applicant2(srv, LIFE_APPLICANT2_PASSWORD);
	life_as(x, "applicant");
	x->applicant_id = me(x);
	life_as(x, "applicant2");
	x->applicant2_id = me(x);
	return 0;
}

void life_day_text(int day, char out[16])
{
	date_format(day, out, 16);
}

void life_sql(struct life_ctx *x, const char *stmt, const struct store_param *p, int n)
{
	struct store *st;
	struct store_conn *c;
	struct yerr e = {0};
	char url[700];

	if (x->srv->db_url[0])
		snprintf(url, sizeof(url), "%s", x->srv->db_url);
	else
		snprintf(url, sizeof(url), "%s/yiye.db", x->srv->dir);
	assert_int_equal(store_open(&st, url, 1, NULL, &e), 0);
	assert_int_equal(store_acquire(st, &c, &e), 0);
	if (store_exec(c, stmt, p, n, NULL, &e) != 0)
		fail_msg("%s: %s", stmt, e.message);
	store_release(c);
	store_close(st);
}

long life_count(struct life_ctx *x, const char *fmt, ...)
{
	char q[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(q, sizeof(q), fmt, ap);
	va_end(ap);
	return server_sql_long(x->srv, q);
}

/* A draft 便利店 application of user: the application a seeded license
 * says it was issued on. */
static int64_t draft(struct life_ctx *x, const char *user)
{
	struct resp r;
	int64_t id;

	life_as(x, user);
	http_json(
	    x->srv, "POST", "/api/v1/applications",
	    json_pack("{s:s,s:o}", "industry", "bianlidian", "answers", app_bianlidian_answers()),
	    &r);
	assert_int_equal(r.status, 201);
	id = json_integer_value(json_object_get(json_object_get(r.json, "application"), "id"));
	resp_free(&r);
	return id;
}

void life_seed_license(struct life_ctx *x, struct life_seed *s)
{
	int64_t app = draft(x, s->holder);
	int64_t holder = strcmp(s->holder, "applicant2") == 0 ? x->applicant2_id : x->applicant_id;
	char from[16], until[16], doc[4096];
	long serial = x->serial_no++;

	test_uscc((unsigned)(4000 + serial), s->uscc);
	snprintf(s->number, sizeof(s->number), "XK-310104-2026-%06ld", serial);
	snprintf(s->name, sizeof(s->name), "测试便利店%ld", serial);
	life_day_text(s->from, from);
	if (s->until >= 0)
		life_day_text(s->until, until);
	snprintf(doc, sizeof(doc),
		 "{\"type\":\"行业综合许可证\",\"number\":\"%s\",\"eid\":\"e%ld\",\"version\":1,"
		 "\"holder\":{\"name\":\"%s\",\"uscc\":\"%s\",\"legal_rep\":\"张三\"},"
		 "\"address\":\"徐汇区漕溪北路1号\",\"industry\":{\"code\":\"bianlidian\",\"name\":"
		 "\"便利店\"},\"permits\":%s,\"valid_from\":\"%s\",\"valid_until\":%s%s%s,"
		 "\"issuer\":{\"department\":\"zwfwb\",\"name\":\"区政务服务办\"},\"issued_on\":"
		 "\"%s\",\"district\":\"310104\",\"kid\":\"k1\"}",
		 s->number, serial, s->name, s->uscc, s->permits, from, s->until >= 0 ? "\"" : "",
		 s->until >= 0 ? until : "null", s->until >= 0 ? "\"" : "", from);
	life_sql(
	    x,
	    "INSERT INTO licenses (district, number, version, is_current, eid, status, "
	    "application_id, holder_user_id, holder_name, holder_uscc, legal_rep, address, "
	    "industry, industry_name, year, serial, valid_from, valid_until, issued_on, doc, sig, "
	    "kid, issued_at, updated_at) VALUES ('310104', ?, 1, 1, ?, ?, ?, ?, ?, ?, '张三', "
	    "'徐汇区漕溪北路1号', 'bianlidian', '便利店', 2026, ?, ?, ?, ?, ?, 'sig', 'k1', 1, 1)",
	    (struct store_param[]){
		SP_TEXT(s->number), SP_TEXT(s->number), SP_TEXT(s->status), SP_INT(app),
		SP_INT(holder), SP_TEXT(s->name), SP_TEXT(s->uscc), SP_INT(serial), SP_TEXT(from),
		s->until >= 0 ? SP_TEXT(until) : SP_NULL, SP_TEXT(from), SP_TEXT(doc)},
	    12);
}

void life_seed_valid(struct life_ctx *x, struct life_seed *s, const char *permits)
{
	memset(s, 0, sizeof(*s));
	s->holder = "applicant";
	s->status = "valid";
	s->from = x->today - 100;
	s->until = x->today + 1000;
	s->permits = permits;
	life_seed_license(x, s);
}
