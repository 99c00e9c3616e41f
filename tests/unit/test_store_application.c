/*
 * test_store_application.c — the applications store on a throw-away SQLite
 * file: numbering, the notice stored once, load/save with the version
 * guard, a transition writing history, tasks and notifications, inboxes and
 * lists. The same SQL runs on PostgreSQL through tests/api/test_applications.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/date.h"
#include "store/store_account.h"
#include "store/store_application.h"

#define D STORE_DEFAULT_DISTRICT

struct fix {
	char path[64];
	struct store *s;
	struct store_conn *c;
	struct calendar cal;
	int64_t applicant, clerk, reviewer;
};

static int64_t add_user(struct store_conn *c, const char *name, enum role role, const char *dept)
{
	struct store_user u = {0};
	struct yerr e = {0};

	snprintf(u.username, sizeof(u.username), "%s", name);
	snprintf(u.display_name, sizeof(u.display_name), "%s", name);
	snprintf(u.department, sizeof(u.department), "%s", dept ? dept : "");
	snprintf(u.password_hash, sizeof(u.password_hash), "x");
	u.roles = ROLE_BIT(role);
	assert_int_equal(store_user_insert(c, D, &u, 1, &e), 0);
	return u.id;
}

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));
	struct yerr e = {0};
	int fd;

	snprintf(f->path, sizeof(f->path), "/tmp/yiye-store-app-XXXXXX");
	fd = mkstemp(f->path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(store_open(&f->s, f->path, 2, NULL, &e), 0);
	assert_int_equal(store_migrate(f->s, &e), 0);
	assert_int_equal(store_acquire(f->s, &f->c, &e), 0);
	calendar_init(&f->cal);
	assert_int_equal(store_begin(f->c, &e), 0);
	assert_true(store_department_seed(f->c, D, "xzfwzx", "窗口", 1, &e) >= 0);
	assert_true(store_department_seed(f->c, D, "scjgj", "市场监管", 1, &e) >= 0);
	f->applicant = add_user(f->c, "app1", ROLE_APPLICANT, NULL);
	f->clerk = add_user(f->c, "clerk1", ROLE_WINDOW_CLERK, "xzfwzx");
	f->reviewer = add_user(f->c, "rev1", ROLE_REVIEWER, "scjgj");
	assert_int_equal(store_commit(f->c, &e), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;
	char wal[96];

	store_release(f->c);
	store_close(f->s);
	calendar_free(&f->cal);
	unlink(f->path);
	snprintf(wal, sizeof(wal), "%s-wal", f->path);
	unlink(wal);
	snprintf(wal, sizeof(wal), "%s-shm", f->path);
	unlink(wal);
	free(f);
	return 0;
}

/* A draft with notice text `notice`, keeping the caller's notice_key and
 * notice_stored. */
static void new_app_keyed(struct fix *f, struct store_app *a, const char *notice)
{
	struct yerr e = {0};

	a->year = 2026;
	a->applicant_id = f->applicant;
	a->created_by = f->applicant;
	snprintf(a->industry, sizeof(a->industry), "bianlidian");
	a->catalog_version = 1;
	a->answers = strdup("{}");
	a->notice = strdup(notice);
	a->time_limit_days = 5;
	a->wf.status = APP_DRAFT;
	a->wf.acceptance_days = 1;
	a->wf.ndepts = 1;
	snprintf(a->wf.depts[0].code, WF_CODE_MAX, "scjgj");
	a->wf.depts[0].review_days = 4;
	a->wf.depts[0].inspect = WF_INSPECT_PENDING;
	a->wf.npermits = 1;
	snprintf(a->wf.permits[0].code, WF_CODE_MAX, "P_food_sale");
	snprintf(a->wf.permits[0].department, WF_CODE_MAX, "scjgj");
	assert_int_equal(store_begin(f->c, &e), 0);
	assert_int_equal(store_app_insert(f->c, D, a, 100, &e), 0);
	assert_int_equal(store_commit(f->c, &e), 0);
}

static void new_app(struct fix *f, struct store_app *a)
{
	memset(a, 0, sizeof(*a));
	new_app_keyed(f, a, "{}");
}

static void test_insert_number_get(void **state)
{
	struct fix *f = *state;
	struct store_app a, b, got;
	struct yerr e = {0};

	new_app(f, &a);
	new_app(f, &b);
	assert_string_equal(a.number, "310104-2026-000001");
	assert_string_equal(b.number, "310104-2026-000002");
	assert_int_equal(store_app_get(f->c, D, b.id, false, &got, &e), 0);
	assert_string_equal(got.number, b.number);
	assert_int_equal(got.wf.ndepts, 1);
	assert_string_equal(got.wf.depts[0].code, "scjgj");
	assert_int_equal(got.wf.depts[0].inspect, WF_INSPECT_PENDING);
	assert_int_equal(got.wf.npermits, 1);
	assert_string_equal(got.holder, "applicant");
	assert_int_equal(got.version, 1);
	assert_false(got.clock_started);
	store_app_free(&got);
	assert_int_equal(store_app_get(f->c, D, 9999, false, &got, &e), STORE_ENOTFOUND);
	assert_string_equal(e.code, "application_not_found");
	store_app_free(&a);
	store_app_free(&b);
}

/* The frozen notice is stored once per key (district, catalog version,
 * industry, answers) and read back with each application holding it. */
static void test_notice_stored_once(void **state)
{
	struct fix *f = *state;
	struct store_app a, b, c, got;
	struct yerr e = {0};
	char k1[STORE_NOTICE_KEY_SIZE], k2[STORE_NOTICE_KEY_SIZE], *text = NULL;
	int64_t rows = 0;

	store_app_notice_key(D, 1, "bianlidian", "{\"q_area\":80}", k1);
	store_app_notice_key(D, 2, "bianlidian", "{\"q_area\":80}", k2);
	assert_int_equal(strlen(k1), 64);
	assert_string_not_equal(k1, k2); /* another catalog version, another notice */
	store_app_notice_key(D, 1, "bianlidia", "n{\"q_area\":80}", k2);
	assert_string_not_equal(k1, k2); /* the parts are framed */
	assert_int_equal(store_app_notice_get(f->c, D, k1, &text, &e), 0);
	assert_null(text);

	memset(&a, 0, sizeof(a));
	new_app(f, &a); /* no key named: keyed by the notice's text */
	memset(&b, 0, sizeof(b));
	memcpy(b.notice_key, k1, sizeof(k1));
	new_app_keyed(f, &b, "{\"permits\":[1]}");
	memset(&c, 0, sizeof(c));
	memcpy(c.notice_key, k1, sizeof(k1));
	c.notice_stored = true; /* a creation that found it stored writes nothing */
	new_app_keyed(f, &c, "{\"permits\":[1]}");
	assert_int_equal(store_query_int(f->c, "SELECT count(*) FROM application_notices", NULL, 0,
					 0, &rows, &e),
			 0);
	assert_int_equal(rows, 2);
	assert_int_equal(store_app_notice_get(f->c, D, k1, &text, &e), 0);
	assert_string_equal(text, "{\"permits\":[1]}");
	free(text);
	assert_int_equal(store_app_get(f->c, D, c.id, false, &got, &e), 0);
	assert_string_equal(got.notice, "{\"permits\":[1]}");
	store_app_free(&got);
	assert_int_equal(store_app_get(f->c, D, a.id, false, &got, &e), 0);
	assert_string_equal(got.notice, "{}");
	store_app_free(&got);
	store_app_free(&a);
	store_app_free(&b);
	store_app_free(&c);
}

static void test_version_guard(void **state)
{
	struct fix *f = *state;
	struct store_app a;
	struct yerr e = {0};

	new_app(f, &a);
	free(a.form);
	a.form = strdup("{\"F_ent_name\":\"甲\"}");
	assert_int_equal(store_begin(f->c, &e), 0);
	assert_int_equal(store_app_update(f->c, D, &a, 1, 200, &e), 0);
	assert_int_equal(store_commit(f->c, &e), 0);
	assert_int_equal(a.version, 2);
	assert_int_equal(store_begin(f->c, &e), 0);
	assert_int_equal(store_app_update(f->c, D, &a, 1, 300, &e), -1);
	assert_int_equal(e.status, 409);
	assert_string_equal(e.code, "stale_version");
	store_rollback(f->c);
	store_app_free(&a);
}

static void test_transition_tasks_notifications(void **state)
{
	struct fix *f = *state;
	struct principal clerk = {.kind = PRINCIPAL_SESSION, .roles = ROLE_BIT(ROLE_WINDOW_CLERK)};
	struct principal app = {.kind = PRINCIPAL_SESSION, .roles = ROLE_BIT(ROLE_APPLICANT)};
	struct wf_actor actor = {.roles = ROLE_BIT(ROLE_APPLICANT), .owner = true};
	struct wf_request req = {.action = WF_SUBMIT};
	struct store_notification *ns;
	struct store_app_history *h;
	struct store_app_summary *s;
	struct store_app_filter flt = {0};
	struct store_task *tasks;
	struct wf_effects fx;
	struct store_app a;
	struct yerr e = {0};
	int64_t total, unread;
	size_t n;

	new_app(f, &a);
	req.today = date_from_ymd(2026, 3, 2); /* a Monday */
	assert_int_equal(workflow_apply(&a.wf, &actor, &req, &a.wf, &fx, &e), 0);
	struct store_app_event ev = {.action = "submit",
				     .from = fx.from,
				     .to = fx.to,
				     .actor_id = f->applicant,
				     .actor_name = "app1",
				     .actor_role = "applicant"};
	assert_int_equal(store_begin(f->c, &e), 0);
	assert_int_equal(
	    store_app_transition(f->c, D, &a, 1, &fx, &ev, &f->cal, req.today, 500, &e), 0);
	assert_int_equal(store_commit(f->c, &e), 0);
	assert_int_equal(a.wf.status, APP_SUBMITTED);
	assert_true(a.clock_started);
	assert_int_equal(a.due_day, date_from_ymd(2026, 3, 9)); /* 5 working days */
	assert_string_equal(a.holder, "window");

	assert_int_equal(store_app_history_list(f->c, D, a.id, &h, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(h[0].action, "submit");
	assert_string_equal(h[0].to_status, "submitted");
	store_app_history_free(h, n);

	clerk.id = f->clerk;
	snprintf(clerk.department, sizeof(clerk.department), "xzfwzx");
	assert_int_equal(store_tasks_inbox(f->c, D, &clerk, NULL, 50, 0, &tasks, &n, &total, &e),
			 0);
	assert_int_equal(total, 1);
	assert_string_equal(tasks[0].kind, "acceptance");
	assert_int_equal(tasks[0].application_id, a.id);
	free(tasks);
	app.id = f->applicant;
	assert_int_equal(store_tasks_inbox(f->c, D, &app, NULL, 50, 0, &tasks, &n, &total, &e), 0);
	assert_int_equal(total, 0);
	free(tasks);

	assert_int_equal(
	    store_notifications_list(f->c, D, f->clerk, false, 50, 0, &ns, &n, &total, &unread, &e),
	    0);
	assert_int_equal(unread, 1);
	assert_string_equal(ns[0].event, "submitted");
	assert_int_equal(store_notification_read(f->c, D, f->clerk, ns[0].id, 600, &e), 0);
	assert_int_equal(store_notification_read(f->c, D, f->reviewer, ns[0].id, 600, &e),
			 STORE_ENOTFOUND);
	store_notifications_free(ns, n);
	assert_int_equal(
	    store_notifications_list(f->c, D, f->clerk, true, 50, 0, &ns, &n, &total, &unread, &e),
	    0);
	assert_int_equal(unread, 0);
	store_notifications_free(ns, n);

	flt.window = true;
	flt.viewer_id = f->clerk;
	flt.status = "submitted";
	assert_int_equal(store_app_list(f->c, D, &flt, 50, 0, &s, &n, &total, &e), 0);
	assert_true(total >= 1);
	assert_string_equal(s[0].status, "submitted");
	free(s);
	store_app_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_insert_number_get, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_version_guard, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_notice_stored_once, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_transition_tasks_notifications, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
