/*
 * h_verifications.c — commitment verification (告知承诺核查; issue 13 point
 * 8; docs/api-supervision.md "Commitment verification"):
 *   POST /api/v1/supervision/verifications/{id}   verification.record (an
 *        inspector of the task's department)
 * The applications module opens a `verification` task per committed permit
 * on every 告知承诺 approval (core/workflow.c; its inspectors' inbox lists
 * it). Its result is recorded here: `true` closes the task; `false_commitment`
 * closes it, revokes the license issued on the application through
 * lic-core's sanction (license_sanction_apply: its `revocation` credit
 * record too) and adds a `broken_commitment` credit record. One result per
 * task (409 already_verified).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/credit.h"

/* The uscc of the application's entity: the license's holder, else the
 * form's 统一社会信用代码 (an approval not yet issued). */
static void app_uscc(const struct store_app *a, const struct store_license *l, bool have_l,
		     char out[32])
{
	json_t *form;

	out[0] = '\0';
	if (have_l) {
		snprintf(out, 32, "%s", l->holder_uscc);
		return;
	}
	form = json_loads(a->form ? a->form : "{}", 0, NULL);
	snprintf(out, 32, "%s", json_string_value(json_object_get(form, "F_uscc")) ?: "");
	json_decref(form);
}

static int false_commitment(struct req *r, struct store_conn *c, const struct verification_task *t,
			    const char *note, const char *basis, char lic_number[64],
			    struct yerr *e)
{
	struct store_license issued, cur = {0};
	struct store_app a;
	bool have_l = false;
	char uscc[32], ref[64], summary[256];
	json_t *d;
	char *dtext;
	int rc;

	lic_number[0] = '\0';
	snprintf(ref, sizeof(ref), "verification:%lld", (long long)t->id);
	if ((rc = store_app_get(c, req_district(r), t->application_id, false, &a, e)) < 0)
		return rc;
	rc = store_license_by_application(c, req_district(r), t->application_id, &issued, e);
	if (rc == 0) {
		/* the license now: a later version (a change) may have superseded it */
		rc = store_license_get(c, req_district(r), issued.number, 0, true, &cur, e);
		store_license_free(&issued);
		if (rc == 0) {
			have_l = true;
			snprintf(lic_number, 64, "%s", cur.number);
			rc = license_sanction_apply(r, c, &cur, "revoke", "吊销", note, basis, ref,
						    e);
		}
	} else if (rc == STORE_ENOTFOUND) {
		rc = 0; /* approved, not issued yet: nothing to revoke */
	}
	if (rc == 0)
		app_uscc(&a, &cur, have_l, uscc);
	if (rc == 0 && uscc[0] == '\0')
		rc = yerr_set(e, 409, "entity_unknown", NULL,
			      "申请没有统一社会信用代码，无法记录信用");
	if (rc == 0) {
		d = json_pack("{s:s,s:s,s:s,s:s?,s:s}", "application", a.number, "permit",
			      t->permit, "note", note, "license", lic_number[0] ? lic_number : NULL,
			      "basis", basis);
		dtext = json_dumps(d, JSON_COMPACT);
		json_decref(d);
		snprintf(summary, sizeof(summary), "告知承诺核查：申请 %s 的承诺不实", a.number);
		{
			struct credit_record_in in = {.uscc = uscc,
						      .kind = "broken_commitment",
						      .ref = ref,
						      .department = t->department,
						      .summary = summary,
						      .detail = dtext,
						      .day = app_today(r),
						      .today = app_today(r),
						      .created_by = r->who.id,
						      .now = app_now(r->app)};

			rc = credit_record_add(c, req_district(r), &in, e);
		}
		free(dtext);
	}
	if (have_l)
		store_license_free(&cur);
	store_app_free(&a);
	return rc;
}

void h_verification_record(struct req *r)
{
	static const char *const keys[] = {"result", "note", "basis", NULL};
	struct verification_task t;
	struct store_conn *c;
	struct yerr e = {0};
	const char *result, *note = NULL, *basis = NULL;
	char object[64], lic[64] = "";
	int64_t id;
	bool is_false;
	int rc;

	if (req_path_id(r, "id", "task_not_found", &id) < 0 || req_body_keys(r, keys) < 0 ||
	    req_text(r, "result", ARG_REQUIRED, 20, &result) < 0 ||
	    req_text(r, "note", ARG_MULTILINE, 500, &note) < 0 ||
	    req_text(r, "basis", ARG_MULTILINE, 500, &basis) < 0)
		return;
	is_false = strcmp(result, "false_commitment") == 0;
	if (!is_false && strcmp(result, "true") != 0)
		return reply_error(
		    r, 400, "invalid_result", "result",
		    "核查结果只能是 true（承诺属实）或 false_commitment（承诺不实）");
	if (is_false && note == NULL)
		return reply_error(r, 400, "reason_required", "note",
				   "承诺不实须写明核查发现的事实");
	if (is_false && basis == NULL)
		return reply_error(r, 400, "basis_required", "basis",
				   "承诺不实须写明吊销的法律依据");
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = verification_task_get(c, req_district(r), id, &t, &e);
	if (rc == 0 && strcmp(t.department, r->who.department) != 0)
		rc = yerr_set(&e, 403, "wrong_department", NULL, "该核查任务不属于本部门");
	else if (rc == 0 && strcmp(t.state, "open") != 0)
		rc = yerr_set(&e, 409, "task_closed", NULL, "该核查任务已经关闭");
	if (rc == 0 && is_false)
		rc = false_commitment(r, c, &t, note, basis, lic, &e);
	if (rc == 0)
		rc = verification_result_insert(c, req_district(r), id, t.application_id, result,
						note, lic, r->who.id, app_now(r->app), &e);
	if (rc == 0) {
		snprintf(object, sizeof(object), "task:%lld", (long long)id);
		rc = req_audit_commit(r, c, object, NULL, &e);
	}
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	reply_json(r, 200,
		   json_pack("{s:I,s:s,s:s,s:s?,s:s}", "task", (json_int_t)id, "application",
			     t.app_number, "result", result, "license_revoked", lic[0] ? lic : NULL,
			     "state", "closed"));
}
