/*
 * life_jobs.c — the registration link and the daily expiry job
 * (life_jobs.h).
 */
#include "http/life_jobs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "core/ident.h"
#include "http/args.h"
#include "store/store_application.h"
#include "store/store_audit.h"
#include "store/store_license.h"

#define LIFE_TITLE_MAX 512
#define LIFE_LINK_MAX 128

int life_today(const struct app *app)
{
	const char *t = app->cfg.today;
	int day;

	if (t[0] && date_parse(t, strlen(t), &day) == 0)
		return day;
	return date_today_shanghai(app_now(app));
}

int life_entity_parse(const json_t *o, const char *uscc, const char *const *keys,
		      const char *source, struct store_entity *e, struct yerr *err)
{
	const char *name = NULL, *rep = NULL, *addr = NULL, *status = NULL;
	struct ident_result id;

	memset(e, 0, sizeof(*e));
	if (args_keys(o, keys, err) < 0)
		return -1;
	if (uscc == NULL && args_text(o, "uscc", ARG_REQUIRED, 18, &uscc, err) < 0)
		return -1;
	ident_check_uscc(uscc, strlen(uscc), &id);
	if (!id.valid)
		return yerr_set(err, 400, "invalid_uscc", "uscc", "统一社会信用代码有误：%s",
				id.message);
	if (args_text(o, "name", ARG_REQUIRED, 200, &name, err) < 0 ||
	    args_text(o, "legal_rep", 0, 50, &rep, err) < 0 ||
	    args_text(o, "address", 0, 200, &addr, err) < 0 ||
	    args_text(o, "status", 0, 16, &status, err) < 0)
		return -1;
	if (status && strcmp(status, "registered") != 0 && strcmp(status, "deregistered") != 0)
		return yerr_set(err, 400, "invalid_status", "status",
				"登记状态只能是 registered（存续）或 deregistered（已注销）");
	snprintf(e->uscc, sizeof(e->uscc), "%s", uscc);
	snprintf(e->name, sizeof(e->name), "%s", name);
	snprintf(e->legal_rep, sizeof(e->legal_rep), "%s", rep ? rep : "");
	snprintf(e->address, sizeof(e->address), "%s", addr ? addr : "");
	snprintf(e->status, sizeof(e->status), "%s", status ? status : "registered");
	snprintf(e->source, sizeof(e->source), "%s", source);
	return 0;
}

int life_audit(struct store_conn *c, const char *district, const char *actor, const char *action,
	       const char *object, const char *detail, struct yerr *err)
{
	struct timespec ts;
	struct audit_entry e = {.actor = actor,
				.role = "",
				.department = "",
				.action = action,
				.object = object,
				.request_id = "",
				.outcome = "ok",
				.client = "cli",
				.detail = detail ? detail : "",
				.district = district};

	clock_gettime(CLOCK_REALTIME, &ts);
	e.ts_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	return store_audit_append(c, &e, NULL, err);
}

/* One message to the holder and to every issuer of the district. */
static int tell(struct store_conn *c, const char *district, const struct store_life_license *l,
		const char *event, const char *title, int64_t now, struct yerr *err)
{
	char link[LIFE_LINK_MAX];
	int rc = 0;

	snprintf(link, sizeof(link), "/licenses/%s", l->number);
	if (l->holder_user_id)
		rc = store_notify_user(c, district, l->holder_user_id, l->application_id, event,
				       title, link, now, err);
	if (rc == 0)
		rc = store_notify_role(c, district, "issuer", NULL, l->application_id, event, title,
				       link, now, err);
	return rc;
}

int life_entity_apply(struct store_conn *c, const char *district, struct store_entity *e,
		      int64_t now, struct life_entity_result *out, struct yerr *err)
{
	struct store_life_license *ls = NULL;
	char title[LIFE_TITLE_MAX], what[64];
	size_t n = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = store_entity_put(c, district, e, now, &out->changed, &out->created, err);
	if (rc < 0 || !out->changed)
		return rc;
	if ((rc = store_life_licenses_of(c, district, e->uscc, &ls, &n, err)) < 0)
		return rc;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct store_life_license *l = &ls[i];

		if (strcmp(e->status, "deregistered") == 0) {
			snprintf(title, sizeof(title),
				 "%.200s（%s）已注销登记：许可证 %s 应办理注销", e->name, e->uscc,
				 l->number);
			rc = tell(c, district, l, "entity_deregistered", title, now, err);
			out->deregistered++;
			continue;
		}
		what[0] = '\0';
		if (strcmp(e->name, l->holder_name) != 0)
			strcat(what, "名称、");
		if (e->legal_rep[0] && strcmp(e->legal_rep, l->legal_rep) != 0)
			strcat(what, "法定代表人、");
		if (e->address[0] && strcmp(e->address, l->address) != 0)
			strcat(what, "地址、");
		if (what[0] == '\0')
			continue;
		what[strlen(what) - strlen("、")] = '\0';
		snprintf(title, sizeof(title), "登记信息变化（%s）：许可证 %s 须申请变更", what,
			 l->number);
		rc = tell(c, district, l, "entity_changed", title, now, err);
		out->needs_change++;
	}
	free(ls);
	return rc;
}

/* expiry -------------------------------------------------------------------------- */

static void day_text(int day, char out[DATE_STR_SIZE])
{
	date_format(day, out, DATE_STR_SIZE);
}

static int expire(struct store_conn *c, const char *district, int today, int64_t now,
		  struct life_expiry_result *out, struct yerr *err)
{
	struct store_life_license *ls = NULL;
	char yesterday[DATE_STR_SIZE], title[LIFE_TITLE_MAX];
	size_t n = 0;
	int rc;

	day_text(today - 1, yesterday);
	if ((rc = store_life_licenses_until(c, district, "0000-01-01", yesterday, &ls, &n, err)) <
	    0)
		return rc;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct store_license_change ch = {.status = "expired",
						  .kind = "expire",
						  .reason = "有效期届满",
						  .actor_id = 0,
						  .actor = "system",
						  .expect = "valid"};

		rc = store_license_set_status(c, district, ls[i].number, ls[i].version, &ch, now,
					      err);
		if (rc == 0) {
			snprintf(title, sizeof(title), "许可证 %s 已于 %s 有效期届满", ls[i].number,
				 ls[i].valid_until);
			rc = tell(c, district, &ls[i], "license_expired", title, now, err);
			out->expired++;
		}
	}
	free(ls);
	return rc;
}

static int notices(struct store_conn *c, const char *district, int today, int64_t now,
		   struct life_expiry_result *out, struct yerr *err)
{
	struct store_life_license *ls = NULL;
	char from[DATE_STR_SIZE], to[DATE_STR_SIZE], title[LIFE_TITLE_MAX], link[LIFE_LINK_MAX];
	size_t n = 0;
	int rc;

	day_text(today, from);
	day_text(today + 30, to);
	if ((rc = store_life_licenses_until(c, district, from, to, &ls, &n, err)) < 0)
		return rc;
	for (size_t i = 0; i < n && rc == 0; i++) {
		int until = store_day_parse(ls[i].valid_until);
		bool week = until - today <= 7, sent = false;

		rc = store_life_notice(c, district, ls[i].number, ls[i].valid_until,
				       week ? "expiry_7" : "expiry_30", now, &sent, err);
		if (rc < 0 || !sent || ls[i].holder_user_id == 0)
			continue;
		snprintf(title, sizeof(title),
			 "许可证 %s 将于 %s 到期（还有 %d 天），如需继续经营请申请延续",
			 ls[i].number, ls[i].valid_until, until - today);
		snprintf(link, sizeof(link), "/licenses/%s", ls[i].number);
		rc = store_notify_user(c, district, ls[i].holder_user_id, ls[i].application_id,
				       week ? "expiry_7" : "expiry_30", title, link, now, err);
		if (week)
			out->notice7++;
		else
			out->notice30++;
	}
	free(ls);
	return rc;
}

int life_expiry_run(struct app *app, const char *district, int today, bool force,
		    struct life_expiry_result *out, struct yerr *err)
{
	struct store_conn *c;
	char day[DATE_STR_SIZE];
	int64_t now = app_now(app);
	int rc;

	memset(out, 0, sizeof(*out));
	day_text(today, day);
	if ((rc = store_acquire(app->store, &c, err)) < 0)
		return rc;
	rc = store_begin(c, err);
	if (rc == 0)
		rc =
		    store_job_claim(c, district, "license_expiry", day, now, force, &out->ran, err);
	if (rc == 0 && out->ran)
		rc = expire(c, district, today, now, out, err);
	if (rc == 0 && out->ran)
		rc = notices(c, district, today, now, out, err);
	/* a day with nothing to do leaves only its job_runs row */
	if (rc == 0 && out->ran && out->expired + out->notice30 + out->notice7 > 0) {
		char object[64], detail[128];

		snprintf(object, sizeof(object), "job:license_expiry/%s", day);
		snprintf(detail, sizeof(detail),
			 "{\"expired\":%d,\"expiry_30\":%d,\"expiry_7\":%d}", out->expired,
			 out->notice30, out->notice7);
		rc = life_audit(c, district, "system", "license.expiry_job", object, detail, err);
	}
	if (rc == 0)
		rc = store_commit(c, err);
	store_release(c);
	return rc;
}
