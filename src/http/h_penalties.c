/*
 * h_penalties.c — administrative penalties (行政处罚; issue 13 point 7;
 * docs/api-supervision.md "Penalties"):
 *   POST /api/v1/supervision/penalties   penalties.decide (a supervisor; the
 *                                        deciding department is theirs)
 *   GET  /api/v1/public/penalties        anyone: the published decisions
 * A decision is one transaction: the row (decision number unique in the
 * district), a `penalty` credit record (severity from the penalty kind and
 * amount, core/credit.c), a `penalty` supervision event (published) and,
 * for 吊销许可证件, the revocation of the named license through lic-core's
 * sanction (license_sanction_apply: the same checks and effects as POST
 * /licenses/{number}/revoke, and its `revocation` credit record).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/credit.h"
#include "core/date.h"
#include "core/ident.h"
#include "http/credit.h"
#include "store/store_supervision.h"

#define PENALTY_DECISION_MAX 64
#define PENALTY_TEXT_MAX 2000

/* The published shape: the entity (a business, not a person), the decision,
 * never who typed it in. */
static json_t *penalty_json(const struct penalty *p)
{
	const struct credit_penalty_kind *pk = credit_penalty_kind(p->kind);

	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:s,s:s?}", "decision_no",
			 p->decision_no, "uscc", p->uscc, "entity_name", p->entity_name,
			 "department", p->department, "facts", p->facts, "basis", p->basis, "kind",
			 p->kind, "kind_label", pk ? pk->label : p->kind, "amount",
			 (json_int_t)p->amount, "decided_on", p->decided_on, "license_number",
			 p->license_number[0] ? p->license_number : NULL);
}

static json_t *penalty_item(const void *p)
{
	return penalty_json(p);
}

/* Reads and checks the body into p (strings point into the body). */
static int penalty_input(struct req *r, struct penalty *p, const struct credit_penalty_kind **pk,
			 const char **facts, const char **basis)
{
	static const char *const keys[] = {"decision_no", "uscc",           "facts",
					   "basis",       "kind",           "amount",
					   "decided_on",  "license_number", NULL};
	const char *no, *uscc, *kind, *day, *lic = NULL;
	json_t *amount;
	struct ident_result ir;
	int d;

	if (req_body_keys(r, keys) < 0 ||
	    req_text(r, "decision_no", ARG_REQUIRED, PENALTY_DECISION_MAX, &no) < 0 ||
	    req_text(r, "uscc", ARG_REQUIRED, 18, &uscc) < 0 ||
	    req_text(r, "facts", ARG_REQUIRED | ARG_MULTILINE, PENALTY_TEXT_MAX, facts) < 0 ||
	    req_text(r, "basis", ARG_REQUIRED | ARG_MULTILINE, PENALTY_TEXT_MAX, basis) < 0 ||
	    req_text(r, "kind", ARG_REQUIRED, 32, &kind) < 0 ||
	    req_text(r, "decided_on", ARG_REQUIRED, 10, &day) < 0 ||
	    req_text(r, "license_number", 0, 63, &lic) < 0)
		return -1;
	ident_check_uscc(uscc, strlen(uscc), &ir);
	if (!ir.valid) {
		reply_error(r, 400, "invalid_uscc", "uscc", "统一社会信用代码有误：%s", ir.message);
		return -1;
	}
	if ((*pk = credit_penalty_kind(kind)) == NULL) {
		reply_error(
		    r, 400, "invalid_kind", "kind",
		    "处罚种类不存在（警告、通报批评、罚款、没收、暂扣许可证件、降低资质等级、"
		    "吊销许可证件、限制开展生产经营活动、责令停产停业、责令关闭、限制从业）");
		return -1;
	}
	amount = json_object_get(r->json, "amount");
	if (amount && !json_is_null(amount) &&
	    (!json_is_integer(amount) || json_integer_value(amount) < 0 ||
	     json_integer_value(amount) > 100000000000LL)) {
		reply_error(r, 400, "invalid_amount", "amount",
			    "罚没金额须为不小于 0 的整数（元）");
		return -1;
	}
	p->amount = json_is_integer(amount) ? (int64_t)json_integer_value(amount) : 0;
	if ((*pk)->needs_amount && p->amount <= 0) {
		reply_error(r, 400, "amount_required", "amount", "%s须填写金额（元）",
			    (*pk)->label);
		return -1;
	}
	if (date_parse(day, strlen(day), &d) < 0) {
		reply_error(r, 400, "invalid_date", "decided_on", "处罚决定日期须为 YYYY-MM-DD");
		return -1;
	}
	if (d > app_today(r)) {
		reply_error(r, 400, "invalid_date", "decided_on", "处罚决定日期不能晚于今天");
		return -1;
	}
	if ((*pk)->revokes && lic == NULL) {
		reply_error(r, 400, "license_required", "license_number",
			    "吊销许可证件须写明被吊销的许可证编号");
		return -1;
	}
	if (!(*pk)->revokes && lic != NULL) {
		reply_error(r, 400, "license_not_revoked", "license_number",
			    "只有“吊销许可证件”的处罚需要写明许可证编号");
		return -1;
	}
	snprintf(p->decision_no, sizeof(p->decision_no), "%s", no);
	snprintf(p->uscc, sizeof(p->uscc), "%s", uscc);
	snprintf(p->kind, sizeof(p->kind), "%s", kind);
	snprintf(p->decided_on, sizeof(p->decided_on), "%s", day);
	snprintf(p->license_number, sizeof(p->license_number), "%s", lic ? lic : "");
	snprintf(p->department, sizeof(p->department), "%s", r->who.department);
	return 0;
}

/* The license the decision revokes: it must be the entity's. */
static int penalty_revoke(struct req *r, struct store_conn *c, const struct penalty *p,
			  struct yerr *e)
{
	struct store_license l;
	int rc = store_license_get(c, req_district(r), p->license_number, 0, true, &l, e);

	if (rc < 0) {
		snprintf(e->field, sizeof(e->field), "license_number");
		return rc;
	}
	if (strcmp(l.holder_uscc, p->uscc) != 0)
		rc = yerr_set(e, 400, "license_mismatch", "license_number",
			      "许可证 %s 的持证主体不是被处罚的市场主体", l.number);
	else
		rc = license_sanction_apply(r, c, &l, "revoke", "吊销", p->facts, p->basis,
					    p->decision_no, e);
	store_license_free(&l);
	return rc;
}

/* The deciding department must supervise the entity's industry (监管职责 in
 * the catalog) when the catalog states who does; 403 wrong_department. */
static int penalty_department(struct req *r, struct store_conn *c, const char *uscc, struct yerr *e)
{
	const struct catalog_industry *ind;
	char industry[64];
	bool licensed, stated, ok;
	int rc = credit_entity_industry(c, req_district(r), uscc, industry, &licensed, e);

	if (rc < 0 || industry[0] == '\0')
		return rc;
	pthread_rwlock_rdlock(&r->app->catalog_lock);
	ind = r->app->catalog ? catalog_industry_find(r->app->catalog, industry) : NULL;
	stated = ind != NULL && ind->nsupervision > 0;
	ok = !stated || catalog_supervision_find(ind, r->who.department) != NULL;
	pthread_rwlock_unlock(&r->app->catalog_lock);
	if (!ok)
		return yerr_set(e, 403, "wrong_department", "uscc",
				"本部门不是该市场主体所属行业的监管部门，不能作出处罚决定");
	return 0;
}

void h_penalty_create(struct req *r)
{
	const struct credit_penalty_kind *pk = NULL;
	const char *facts = NULL, *basis = NULL;
	struct penalty p = {0};
	struct store_conn *c;
	struct yerr e = {0};
	char name[256], object[96], summary[256];
	json_t *ev;
	int day, rc;

	if (r->who.department[0] == '\0')
		return reply_error(r, 403, "wrong_department", NULL,
				   "只有部门的监管人员可以登记行政处罚决定");
	if (penalty_input(r, &p, &pk, &facts, &basis) < 0)
		return;
	p.facts = (char *)facts;
	p.basis = (char *)basis;
	p.entity_name = name;
	p.created_by = r->who.id;
	p.created_at = app_now(r->app);
	date_parse(p.decided_on, strlen(p.decided_on), &day);
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = credit_entity_name(c, req_district(r), p.uscc, name, sizeof(name), &e);
	if (rc == 0)
		rc = penalty_department(r, c, p.uscc, &e);
	if (rc == 0)
		rc = penalty_insert(c, req_district(r), &p, &e);
	if (rc == 0 && pk->revokes)
		rc = penalty_revoke(r, c, &p, &e);
	if (rc == 0) {
		json_t *d = json_pack("{s:s,s:s,s:I}", "decision_no", p.decision_no, "penalty",
				      pk->label, "amount", (json_int_t)p.amount);
		char *dtext = json_dumps(d, JSON_COMPACT);

		json_decref(d);
		snprintf(summary, sizeof(summary), "行政处罚：%s（%s）", pk->label, p.decision_no);
		{
			struct credit_record_in in = {.uscc = p.uscc,
						      .kind = "penalty",
						      .ref = p.decision_no,
						      .department = p.department,
						      .severity =
							  credit_penalty_severity(pk, p.amount),
						      .summary = summary,
						      .detail = dtext,
						      .day = day,
						      .today = app_today(r),
						      .created_by = r->who.id,
						      .now = p.created_at};

			rc = credit_record_add(c, req_district(r), &in, &e);
		}
		free(dtext);
	}
	if (rc == 0) {
		ev = penalty_json(&p);
		rc = sup_event_append(c, req_district(r), "penalty", p.decision_no, ev, &e);
		json_decref(ev);
	}
	if (rc == 0) {
		snprintf(object, sizeof(object), "penalty:%s", p.decision_no);
		rc = req_audit_commit(r, c, object, NULL, &e);
	}
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	reply_json(r, 201, json_pack("{s:o}", "penalty", penalty_json(&p)));
}

void h_penalties_public(struct req *r)
{
	struct penalty *items = NULL;
	struct req_page page;
	struct store_conn *c;
	struct yerr e = {0};
	const char *uscc = NULL, *dept = NULL;
	int64_t total = 0;
	size_t n = 0;
	int rc;

	if (req_paging(r, REQ_PAGE_DEFAULT, REQ_PAGE_MAX, &page) < 0 ||
	    req_query_text(r, "uscc", 18, &uscc) < 0 ||
	    req_query_text(r, "department", 24, &dept) < 0 || req_acquire(r, &c) < 0)
		return;
	rc = penalty_list(c, req_district(r), uscc, dept, page.limit, page.offset, &items, &n,
			  &total, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	reply_json(r, 200, req_list(items, n, sizeof(*items), penalty_item, total, &page));
	penalties_free(items, n);
}
