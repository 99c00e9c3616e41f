/*
 * history.c — `yiye demo history --data DIR --applications N --seed S
 * [--until YYYY-MM-DD]`: the command, the simulated clock and the event
 * queue (history.h). The window runs from 1 January of the year before
 * --until (default: today in Asia/Shanghai), clipped to the first calendar
 * year imported, to the day before --until; every event falls inside it, so
 * what is still in progress on --until stays in progress. The same seed,
 * --until, N and catalog give the same history (the seeded generator below
 * is the only source of chance; the audit trail's own timestamps are the
 * real time of the run and are not part of the history).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/history.h"
#include "core/catalog_check.h"
#include "core/date.h"
#include "http/auth.h"

/* splitmix64: small, fast, and the same sequence on every platform. */
uint64_t hist_rand(struct hist *h)
{
	uint64_t z = (h->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

int hist_range(struct hist *h, int lo, int hi)
{
	return hi <= lo ? lo : lo + (int)(hist_rand(h) % (uint64_t)(hi - lo + 1));
}

int hist_chance(struct hist *h, int pct)
{
	return (int)(hist_rand(h) % 100) < pct;
}

/* the event queue ----------------------------------------------------------------- */

static int ev_before(const struct hist_ev *a, const struct hist_ev *b)
{
	return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

void hist_push(struct hist *h, int64_t t, int kind, int idx)
{
	struct hist_ev ev = {.t = t, .seq = h->seq++, .kind = kind, .idx = idx};
	size_t i;

	if (t >= h->until)
		return; /* after the window: left undone, as it would be today */
	if (h->nheap == h->capheap) {
		h->capheap = h->capheap ? h->capheap * 2 : 1024;
		h->heap = realloc(h->heap, h->capheap * sizeof(*h->heap));
		if (h->heap == NULL)
			abort();
	}
	i = h->nheap++;
	while (i > 0 && ev_before(&ev, &h->heap[(i - 1) / 2])) {
		h->heap[i] = h->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h->heap[i] = ev;
}

static struct hist_ev pop(struct hist *h)
{
	struct hist_ev top = h->heap[0], last = h->heap[--h->nheap];
	size_t i = 0;

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= h->nheap)
			break;
		if (c + 1 < h->nheap && ev_before(&h->heap[c + 1], &h->heap[c]))
			c++;
		if (!ev_before(&h->heap[c], &last))
			break;
		h->heap[i] = h->heap[c];
		i = c;
	}
	if (h->nheap)
		h->heap[i] = last;
	return top;
}

/* time ------------------------------------------------------------------------------ */

int hist_day_of(int64_t t)
{
	return date_today_shanghai((time_t)t);
}

int64_t hist_at(struct hist *h, int day)
{
	/* 09:00–17:00 in Asia/Shanghai (UTC+8), to the minute */
	return (int64_t)day * 86400 - 8 * 3600 + 9 * 3600 + (int64_t)hist_range(h, 0, 479) * 60;
}

int hist_workday_after(struct hist *h, int64_t t, int n)
{
	int day = hist_day_of(t), out = day;

	pthread_rwlock_rdlock(&h->app->cal_lock);
	if (n == 0) {
		while (calendar_is_workday(h->app->cal, out, NULL) == 0)
			out++;
	} else if (calendar_add_workdays(h->app->cal, day, n, &out, NULL) < 0) {
		out = day + n * 7 / 5; /* past the calendar: a plain estimate */
	}
	pthread_rwlock_unlock(&h->app->cal_lock);
	return out;
}

struct hist_staff *hist_staff_of(struct hist *h, const char *dept)
{
	for (size_t i = 0; i < h->nstaff; i++)
		if (strcmp(h->staff[i].dept, dept) == 0)
			return &h->staff[i];
	return NULL;
}

/* setup ------------------------------------------------------------------------------ */

static int load_people(struct hist *h, struct yerr *err)
{
	const struct catalog *cat = h->app->catalog;
	char name[96];

	if (hist_principal(h, "admin", &h->admin) < 0 ||
	    hist_principal(h, "clerk", &h->clerk) < 0 ||
	    hist_principal(h, "issuer", &h->issuer) < 0)
		return yerr_set(err, 409, "demo_accounts_missing", "",
				"演示账号不存在：请先运行 yiye init --demo");
	h->staff = calloc(cat->ndepartments ? cat->ndepartments : 1, sizeof(*h->staff));
	if (h->staff == NULL)
		abort();
	for (size_t i = 0; i < cat->ndepartments; i++) {
		struct hist_staff *s = &h->staff[h->nstaff];
		const char *code = cat->departments[i].code;

		snprintf(s->dept, sizeof(s->dept), "%s", code);
		snprintf(name, sizeof(name), "reviewer_%s", code);
		s->has_reviewer = hist_principal(h, name, &s->reviewer) == 0;
		snprintf(name, sizeof(name), "inspector_%s", code);
		s->has_inspector = hist_principal(h, name, &s->inspector) == 0;
		snprintf(name, sizeof(name), "supervisor_%s", code);
		s->has_supervisor = hist_principal(h, name, &s->supervisor) == 0;
		if (s->has_reviewer || s->has_inspector || s->has_supervisor)
			h->nstaff++;
	}
	return 0;
}

static int load_industries(struct hist *h, struct yerr *err)
{
	const struct catalog *cat = h->app->catalog;

	if (cat == NULL)
		return yerr_set(err, 409, "catalog_unavailable", "",
				"行业目录尚未导入：请先运行 yiye init");
	h->industries = calloc(cat->nindustries ? cat->nindustries : 1, sizeof(char *));
	if (h->industries == NULL)
		abort();
	for (size_t i = 0; i < cat->nindustries; i++)
		if (catalog_status_offered(cat->industries[i].status))
			h->industries[h->nindustries++] = cat->industries[i].code;
	if (h->nindustries == 0)
		return yerr_set(err, 409, "no_industry", "", "目录中没有可申请的行业");
	return 0;
}

/* The window: 1 January of the year before `until`'s, or the first year of
 * the calendar if later, to the day before `until`. */
static int window(struct hist *h, int until_day, struct yerr *err)
{
	int y, m, d, first;

	date_to_ymd(until_day, &y, &m, &d);
	first = date_from_ymd(y - 1, 1, 1);
	pthread_rwlock_rdlock(&h->app->cal_lock);
	while (first < until_day - 60 &&
	       !calendar_has_year(h->app->cal, (date_to_ymd(first, &y, &m, &d), y)))
		first = date_from_ymd(y + 1, 1, 1);
	pthread_rwlock_unlock(&h->app->cal_lock);
	if (first >= until_day - 60)
		return yerr_set(err, 409, "calendar_missing", "until",
				"节假日数据不覆盖所选时段：请先导入对应年份的日历");
	h->first_day = first;
	h->last_day = until_day - 1;
	h->until = (int64_t)until_day * 86400 - 8 * 3600; /* 00:00 of until, Shanghai */
	return 0;
}

/* demo marking ------------------------------------------------------------------------ */

/* Tables whose rows the run creates, by their own key (ids and sequence
 * numbers only grow), and the child rows by their parent's key. */
static const struct {
	const char *table, *key;
} own_rows[] = {
    {"entities", "id"},
    {"users", "id"},
    {"applications", "id"},
    {"application_history", "id"},
    {"tasks", "id"},
    {"inspections", "id"},
    {"notifications", "id"},
    {"licenses", "id"},
    {"license_events", "seq"},
    {"license_handovers", "id"},
    {"supervision_events", "seq"},
    {"spot_plans", "id"},
    {"spot_draws", "id"},
    {"check_tasks", "id"},
    {"credit_records", "id"},
    {"credit_grade_history", "id"},
    {"penalties", "id"},
    {"annual_reports", "id"},
    {"abnormal_list", "id"},
    {"complaints", "id"},
    {"ratings", "id"},
    {"rating_followups", "id"},
};
static const struct {
	const char *table, *key, *parent;
} child_rows[] = {
    {"application_departments", "application_id", "applications"},
    {"application_permits", "application_id", "applications"},
    {"application_materials", "application_id", "applications"},
    {"inspection_sections", "inspection_id", "inspections"},
    {"check_task_inspectors", "task_id", "check_tasks"},
    {"complaint_departments", "complaint_id", "complaints"},
};
#define NOWN (sizeof(own_rows) / sizeof(own_rows[0]))

static int marks_read(struct store_conn *c, const char *district, int64_t max[NOWN],
		      struct yerr *err)
{
	char sql[160];

	for (size_t i = 0; i < NOWN; i++) {
		snprintf(sql, sizeof(sql), "SELECT COALESCE(MAX(%s), 0) FROM %s WHERE district = ?",
			 own_rows[i].key, own_rows[i].table);
		if (store_query_int(c, sql, (struct store_param[]){SP_TEXT(district)}, 1, 0,
				    &max[i], err) < 0)
			return -1;
	}
	return 0;
}

static int marks_apply(struct store_conn *c, const char *district, const int64_t max[NOWN],
		       struct yerr *err)
{
	char sql[320];
	int rc = store_begin(c, err);

	for (size_t i = 0; rc == 0 && i < NOWN; i++) {
		snprintf(sql, sizeof(sql), "UPDATE %s SET demo = 1 WHERE district = ? AND %s > ?",
			 own_rows[i].table, own_rows[i].key);
		rc = store_exec(c, sql, (struct store_param[]){SP_TEXT(district), SP_INT(max[i])},
				2, NULL, err);
	}
	for (size_t i = 0; rc == 0 && i < sizeof(child_rows) / sizeof(child_rows[0]); i++) {
		snprintf(sql, sizeof(sql),
			 "UPDATE %s SET demo = 1 WHERE %s IN (SELECT id FROM %s WHERE "
			 "district = ? AND demo = 1)",
			 child_rows[i].table, child_rows[i].key, child_rows[i].parent);
		rc = store_exec(c, sql, (struct store_param[]){SP_TEXT(district)}, 1, NULL, err);
	}
	if (rc == 0)
		return store_commit(c, err);
	store_rollback(c);
	return rc;
}

/* the run ------------------------------------------------------------------------------ */

static json_t *summary(const struct hist *h)
{
	json_t *o = json_pack(
	    "{s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i}",
	    "applications", (int)h->n_created, "supplements", (int)h->n_supplements, "accepted",
	    (int)h->n_accepted, "refused", (int)h->n_refused_window, "withdrawn",
	    (int)h->n_withdrawn, "rejected", (int)h->n_rejected, "inspections",
	    (int)h->n_inspections, "licensed", (int)h->n_licensed, "changed", (int)h->n_changed,
	    "cancelled", (int)h->n_cancelled, "rated", (int)h->n_rated, "plans", (int)h->n_plans,
	    "draws", (int)h->n_draws, "checks", (int)h->n_checks, "penalties", (int)h->n_penalties,
	    "annual_reports", (int)h->n_reports, "requests", (int)h->calls, "refused_by_rules",
	    (int)h->refused);

	json_object_set_new(o, "followups", json_integer(h->n_followups));
	json_object_set_new(o, "followup_replies", json_integer(h->n_replies));
	json_object_set_new(o, "handovers", json_integer(h->n_handovers));
	json_object_set_new(o, "complaints", json_integer(h->n_complaints));
	return o;
}

static int record_run(struct hist *h, struct store_conn *c, long seed, long n, int64_t started,
		      json_t *sum, struct yerr *err)
{
	char first[DATE_STR_SIZE], last[DATE_STR_SIZE];
	char *text = json_dumps(sum, JSON_COMPACT | JSON_SORT_KEYS);
	int rc;

	if (text == NULL)
		abort();
	date_format(h->first_day, first, sizeof(first));
	date_format(h->last_day, last, sizeof(last));
	rc = store_exec(c,
			"INSERT INTO demo_runs (district, seed, applications, first_day, last_day, "
			"summary, started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			(struct store_param[]){SP_TEXT(h->app->cfg.district), SP_INT(seed),
					       SP_INT(n), SP_TEXT(first), SP_TEXT(last),
					       SP_TEXT(text), SP_INT(started),
					       SP_INT((int64_t)time(NULL))},
			8, NULL, err);
	free(text);
	return rc;
}

/* Spreads n new applications over the window's working days, every offered
 * industry at least once when n allows. */
static void seed_applications(struct hist *h, long n)
{
	int span = h->last_day - h->first_day - 5;

	for (long i = 0; i < n; i++) {
		int industry =
		    i < (long)h->nindustries ? (int)i : hist_range(h, 0, (int)h->nindustries - 1);
		int day = h->first_day + hist_range(h, 0, span > 0 ? span : 0);
		int64_t t;

		t = hist_at(h, hist_workday_after(h, hist_at(h, day), 0));
		hist_app_add(h, t, industry);
	}
}

static int demo_history_run(struct app *app, long n, long seed, int until_day, int verbose,
			    struct yerr *err)
{
	struct hist h;
	struct store_conn *c = NULL;
	int64_t max[NOWN], run = 0, started = (int64_t)time(NULL);
	json_t *sum;
	int rc = -1;

	memset(&h, 0, sizeof(h));
	h.app = app;
	h.rng = (uint64_t)seed;
	h.verbose = verbose;
	if (load_industries(&h, err) < 0 || window(&h, until_day, err) < 0 ||
	    load_people(&h, err) < 0 || store_acquire(app->store, &c, err) < 0)
		goto out;
	if (marks_read(c, app->cfg.district, max, err) < 0 ||
	    store_query_int(c, "SELECT COUNT(*) + 1 FROM demo_runs WHERE district = ?",
			    (struct store_param[]){SP_TEXT(app->cfg.district)}, 1, 0, &run,
			    err) < 0)
		goto out;
	h.run = (long)run;
	/* Every step commits on its own, as over HTTP; the history is not
	 * precious, so this connection commits without waiting for the disk
	 * (WAL keeps the file consistent; a crash loses the last steps only). The
	 * generator is single-threaded: the handlers get this same connection
	 * from the pool once it is released. */
	if (store_exec(c,
		       store_kind(app->store) == STORE_SQLITE ? "PRAGMA synchronous=NORMAL"
							      : "SET synchronous_commit = off",
		       NULL, 0, NULL, err) < 0)
		goto out;
	store_release(c);
	c = NULL;
	/* a second run in the same district must not meet the first one's
	 * credit codes: its sequence starts elsewhere */
	h.rng = (uint64_t)seed + (uint64_t)(run - 1) * 0xd1b54a32d192ed03ULL;
	h.rng_sup = h.rng ^ 0x5bd1e9955bd1e995ULL;
	seed_applications(&h, n);
	hist_sup_schedule(&h);
	while (h.nheap) {
		struct hist_ev ev = pop(&h);

		app->sim_now = ev.t;
		if (ev.kind < HEV_SUP_PLAN)
			hist_app_step(&h, &ev);
		else
			hist_sup_step(&h, &ev);
	}
	app->sim_now = 0;
	if (h.failed) {
		yerr_set(err, 500, "demo_history_failed", "",
			 "生成过程中有 %ld 个请求出现服务器错误（见上方输出）", h.failed);
		goto out;
	}
	if (store_acquire(app->store, &c, err) < 0 ||
	    marks_apply(c, app->cfg.district, max, err) < 0)
		goto out;
	sum = summary(&h);
	rc = record_run(&h, c, seed, n, started, sum, err);
	if (rc == 0) {
		char *text = json_dumps(sum, JSON_INDENT(2) | JSON_SORT_KEYS);

		printf("演示历史：%s\n", text ? text : "{}");
		free(text);
	}
	json_decref(sum);
out:
	app->sim_now = 0;
	if (c)
		store_release(c);
	hist_app_free(&h);
	free(h.heap);
	free(h.staff);
	free(h.followups);
	free(h.industries);
	return rc;
}

static void help(FILE *f)
{
	fprintf(f,
		"用法: yiye demo history [--data DIR] [--db URL] [--applications N] [--seed S]\n"
		"                        [--until YYYY-MM-DD] [--verbose]\n\n"
		"  按真实业务流程（同一套接口处理函数、模拟时钟）生成两年的演示办件历史：\n"
		"  申请、补正、受理、审查（含不予许可）、现场核查、发证、变更、注销、\n"
		"  双随机抽查、处罚、年报与评价。生成的记录均标记为演示数据（demo = 1）。\n"
		"  需先运行 yiye init --demo。\n\n"
		"  --applications N  新办申请数（默认 %d）\n"
		"  --seed S          随机种子（默认 1）：相同种子、日期与目录得到相同历史\n"
		"  --until DATE      历史截止日（不含；默认今天）\n",
		HIST_DEFAULT);
}

int cmd_demo(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"data", required_argument, NULL, 'd'},
	    {"db", required_argument, NULL, 'D'},
	    {"applications", required_argument, NULL, 'n'},
	    {"seed", required_argument, NULL, 's'},
	    {"until", required_argument, NULL, 'u'},
	    {"verbose", no_argument, NULL, 'v'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct app app;
	struct yerr e = {0};
	long n = HIST_DEFAULT, seed = 1;
	int opt, until = -1, verbose = 0, rc;
	char *end;

	if (argc < 2 || strcmp(argv[1], "history") != 0) {
		help(argc >= 2 && strcmp(argv[1], "--help") == 0 ? stdout : stderr);
		return argc >= 2 && strcmp(argv[1], "--help") == 0 ? 0 : 2;
	}
	memset(&app, 0, sizeof(app));
	app_config_defaults(&app.cfg);
	optind = 1;
	argc--, argv++;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_option(&app.cfg, opt, optarg))
			continue;
		switch (opt) {
		case 'n':
			n = strtol(optarg, &end, 10);
			if (*end || n < 0 || n > HIST_APPS_MAX) {
				fprintf(stderr, "yiye demo history: --applications 应为 0–%d\n",
					HIST_APPS_MAX);
				return 2;
			}
			break;
		case 's':
			seed = strtol(optarg, &end, 10);
			if (*end) {
				fprintf(stderr, "yiye demo history: --seed 应为整数\n");
				return 2;
			}
			break;
		case 'u':
			if (date_parse(optarg, strlen(optarg), &until) != 0) {
				fprintf(stderr, "yiye demo history: --until 应为 YYYY-MM-DD\n");
				return 2;
			}
			break;
		case 'v':
			verbose = 1;
			break;
		case 'h':
			help(stdout);
			return 0;
		default:
			help(stderr);
			return 2;
		}
	}
	if (cli_app_open(&app, "demo history") < 0)
		return 1;
	rc = demo_history(&app, n, seed, until, verbose, &e);
	if (rc < 0)
		cli_error("demo history", &e);
	app_close(&app);
	return rc < 0 ? 1 : 0;
}

int demo_history(struct app *app, long n, long seed, int until_day, int verbose, struct yerr *err)
{
	int rc;

	/* The generated applicants' passwords are random and thrown away (no
	 * one signs in as them): hash them at the minimum cost. The history's
	 * "today" is the simulated clock, never YIYE_TODAY. */
	app->cfg.auth.pwhash_fast = 1;
	app->cfg.today[0] = '\0';
	if (until_day < 0)
		until_day = date_today_shanghai(time(NULL));
	/* init imports the calendar and the catalog after opening the app */
	if (app_calendar_reload(app, err) < 0 || app_catalog_reload(app, err) < 0)
		return -1;
	auth_state_init(app);
	rc = demo_history_run(app, n, seed, until_day, verbose, err);
	auth_state_free(app);
	return rc;
}

int demo_history_once(struct app *app, long n, struct yerr *err)
{
	struct store_conn *c;
	int64_t runs = 0;
	int rc;

	if (store_acquire(app->store, &c, err) < 0)
		return -1;
	rc = store_query_int(c, "SELECT COUNT(*) FROM demo_runs WHERE district = ?",
			     (struct store_param[]){SP_TEXT(app->cfg.district)}, 1, 0, &runs, err);
	store_release(c);
	if (rc < 0)
		return -1;
	if (runs > 0) {
		printf("演示历史：已生成过，跳过\n");
		return 0;
	}
	return demo_history(app, n, 1, -1, 0, err);
}
