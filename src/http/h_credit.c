/*
 * h_credit.c — credit supervision (信用监管; issue 13 point 5;
 * docs/api-supervision.md "Credit"):
 *   GET  /api/v1/supervision/credit/rules            anyone: the rule table
 *   GET  /api/v1/supervision/credit/{uscc}           credit.read (an applicant:
 *                                                    their own entity only)
 *   GET  /api/v1/supervision/my-credit               the holder's own page
 *   POST /api/v1/supervision/credit/{uscc}/records   credit.manage: a
 *        supervisor's record with a reason (severity minor|general|serious)
 * and credit_revocation_add, the hook lic-core's sanction calls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/credit.h"
#include "core/ident.h"
#include "http/credit.h"

int credit_path_uscc(struct req *r, const char **uscc)
{
	struct ident_result ir;

	*uscc = req_param(r, "uscc");
	ident_check_uscc(*uscc ? *uscc : "", *uscc ? strlen(*uscc) : 0, &ir);
	if (!ir.valid) {
		reply_error(r, 404, "entity_not_found", "uscc", "统一社会信用代码有误：%s",
			    ir.message);
		return -1;
	}
	return 0;
}

int credit_holder_pick(struct req *r, struct store_conn *c, const char *want, char uscc[32],
		       struct yerr *e)
{
	char(*all)[32] = NULL;
	size_t n = 0;
	int rc = credit_holder_usccs(c, req_district(r), r->who.id, r->who.entity_id, &all, &n, e);

	uscc[0] = '\0';
	if (rc < 0)
		return rc;
	for (size_t i = 0; want && i < n; i++)
		if (strcmp(all[i], want) == 0)
			snprintf(uscc, 32, "%s", want);
	if (want && uscc[0] == '\0')
		rc = yerr_set(e, 404, "entity_not_found", "uscc", "没有找到该市场主体");
	else if (want == NULL && n == 1)
		snprintf(uscc, 32, "%s", all[0]);
	else if (want == NULL && n > 1)
		rc = yerr_set(e, 400, "uscc_required", "uscc",
			      "账号关联多个市场主体，请指明统一社会信用代码");
	else if (want == NULL)
		rc = yerr_set(e, 409, "entity_unknown", NULL,
			      "账号尚未关联有统一社会信用代码的市场主体");
	free(all);
	return rc;
}

bool credit_may_read(struct req *r, struct store_conn *c, const char *uscc, struct yerr *e, int *rc)
{
	char own[32];

	*rc = 0;
	if (r->who.kind == PRINCIPAL_TOKEN ||
	    r->who.roles &
		(ROLE_BIT(ROLE_SUPERVISOR) | ROLE_BIT(ROLE_INSPECTOR) | ROLE_BIT(ROLE_AUDITOR)))
		return true;
	*rc = credit_holder_pick(r, c, uscc, own, e);
	if (*rc < 0 && e->status == 404)
		*rc = 0;
	return *rc == 0 && own[0];
}

void h_credit_rules(struct req *r)
{
	reply_json(r, 200, credit_rules_json());
}

/* The credit page of uscc: the grade, the records that make it, every
 * record, the history, the abnormal-list entries and the penalties. */
static void credit_reply(struct req *r, struct store_conn *c, const char *uscc)
{
	struct abnormal_entry *ab = NULL;
	struct penalty *ps = NULL;
	struct yerr e = {0};
	json_t *page = NULL, *abn, *pen;
	char name[256];
	size_t nab = 0, nps = 0;
	int64_t total;
	int rc;

	rc = credit_entity_name(c, req_district(r), uscc, name, sizeof(name), &e);
	if (rc == 0)
		rc = credit_page(c, req_district(r), uscc, app_today(r), &page, &e);
	if (rc == 0)
		rc = abnormal_list_read(c, req_district(r), uscc, false, 100, 0, &ab, &nab, &total,
					&e);
	if (rc == 0)
		rc = penalty_list(c, req_district(r), uscc, NULL, 100, 0, &ps, &nps, &total, &e);
	store_release(c);
	if (rc < 0) {
		json_decref(page);
		free(ab);
		penalties_free(ps, nps);
		return reply_yerr(r, &e);
	}
	abn = json_array();
	for (size_t i = 0; i < nab; i++)
		json_array_append_new(
		    abn, json_pack("{s:I,s:i,s:s,s:s,s:s?,s:s?}", "id", (json_int_t)ab[i].id,
				   "year", ab[i].year, "reason", ab[i].reason, "listed_on",
				   ab[i].listed_on, "removed_on",
				   ab[i].removed_on[0] ? ab[i].removed_on : NULL, "removed_reason",
				   ab[i].removed_reason[0] ? ab[i].removed_reason : NULL));
	pen = json_array();
	for (size_t i = 0; i < nps; i++)
		json_array_append_new(
		    pen, json_pack("{s:s,s:s,s:I,s:s,s:s}", "decision_no", ps[i].decision_no,
				   "kind", ps[i].kind, "amount", (json_int_t)ps[i].amount,
				   "decided_on", ps[i].decided_on, "department", ps[i].department));
	free(ab);
	penalties_free(ps, nps);
	json_object_set_new(page, "name", json_string(name));
	json_object_set_new(page, "abnormal_list", abn);
	json_object_set_new(page, "penalties", pen);
	reply_json(r, 200, page);
}

void h_credit_get(struct req *r)
{
	struct store_conn *c;
	struct yerr e = {0};
	const char *uscc;
	int rc;

	if (credit_path_uscc(r, &uscc) < 0 || req_acquire(r, &c) < 0)
		return;
	if (!credit_may_read(r, c, uscc, &e, &rc)) {
		store_release(c);
		if (rc < 0)
			return reply_yerr(r, &e);
		return reply_error(r, 404, "entity_not_found", "uscc", "没有找到该市场主体");
	}
	credit_reply(r, c, uscc);
}

void h_credit_mine(struct req *r)
{
	struct store_conn *c;
	struct yerr e = {0};
	const char *want = NULL;
	char uscc[32] = "";

	if (req_query_text(r, "uscc", 18, &want) < 0 || req_acquire(r, &c) < 0)
		return;
	if (credit_holder_pick(r, c, want, uscc, &e) < 0) {
		store_release(c);
		return reply_yerr(r, &e);
	}
	credit_reply(r, c, uscc);
}

void h_credit_record_create(struct req *r)
{
	static const char *const keys[] = {"severity", "reason", "ref", NULL};
	const char *uscc, *severity = NULL, *reason = NULL, *ref = NULL;
	struct store_conn *c;
	struct yerr e = {0};
	char name[256], object[64];
	json_t *detail;
	char *dtext;
	int64_t id = 0;
	int rc;

	if (credit_path_uscc(r, &uscc) < 0 || req_body_keys(r, keys) < 0 ||
	    req_text(r, "severity", ARG_REQUIRED, 16, &severity) < 0 ||
	    req_text(r, "reason", ARG_REQUIRED | ARG_MULTILINE, 500, &reason) < 0 ||
	    req_text(r, "ref", 0, 64, &ref) < 0)
		return;
	if (credit_rule_of(CREDIT_MANUAL, severity) == NULL)
		return reply_error(
		    r, 400, "invalid_severity", "severity",
		    "严重程度只能是 minor（轻微）、general（一般）或 serious（严重）");
	if (r->who.department[0] == '\0')
		return reply_error(r, 403, "wrong_department", NULL,
				   "只有部门的监管人员可以记录信用");
	detail = json_pack("{s:s}", "reason", reason);
	dtext = json_dumps(detail, JSON_COMPACT);
	json_decref(detail);
	if (req_acquire(r, &c) < 0) {
		free(dtext);
		return;
	}
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = credit_entity_name(c, req_district(r), uscc, name, sizeof(name), &e);
	if (rc == 0) {
		struct credit_record_in in = {.uscc = uscc,
					      .kind = "manual",
					      .ref = ref,
					      .department = r->who.department,
					      .severity = severity,
					      .summary = reason,
					      .detail = dtext,
					      .day = app_today(r),
					      .today = app_today(r),
					      .created_by = r->who.id,
					      .now = app_now(r->app),
					      .id_out = &id};

		rc = credit_record_add(c, req_district(r), &in, &e);
	}
	free(dtext);
	if (rc == 0) {
		snprintf(object, sizeof(object), "credit:%s", uscc);
		rc = req_audit_commit(r, c, object, NULL, &e);
	}
	if (rc < 0) {
		store_release(c);
		return reply_yerr(r, &e);
	}
	credit_reply(r, c, uscc);
}

int credit_revocation_add(struct req *r, struct store_conn *c, const struct store_license *l,
			  const char *reason, const char *basis, const char *source, int64_t now,
			  struct yerr *e)
{
	json_t *detail = json_pack("{s:s,s:s?,s:s?,s:s?}", "license", l->number, "reason", reason,
				   "basis", basis, "source", source);
	char *dtext = json_dumps(detail, JSON_COMPACT), summary[160];
	int rc;

	json_decref(detail);
	snprintf(summary, sizeof(summary), "行业综合许可证 %s 被吊销", l->number);
	{
		struct credit_record_in in = {.uscc = l->holder_uscc,
					      .kind = "revocation",
					      .ref = l->number,
					      .department = r->who.department,
					      .summary = summary,
					      .detail = dtext,
					      .day = app_today(r),
					      .today = app_today(r),
					      .created_by = r->who.id,
					      .now = now};

		rc = credit_record_add(c, req_district(r), &in, e);
	}
	free(dtext);
	return rc;
}
