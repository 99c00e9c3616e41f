/*
 * h_risk.c — risk signals (问题发现更智能, issue 13 point 10;
 * docs/api-supervision.md "Risk signals"):
 *   GET /api/v1/supervision/risk?department=   risk.read: the flagged licensed
 *       entities supervised by a department, each flag with its cause
 *   GET /api/v1/supervision/risk/{uscc}        risk.read: one entity's flags
 * A supervisor or inspector sees their own department's (department=
 * defaults to it; another is 403); auditors any department or all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ident.h"
#include "http/applications.h"
#include "http/complaints.h"
#include "store/store_account.h"
#include "store/store_risk.h"

/* Entities examined at most per request: the candidates come from the
 * rules' own sources, so only entities with a fact are read at all. */
#define RISK_LIST_MAX 500

/* The department the caller asks for: 0 and *dept (NULL: all), or -1 with
 * the reply sent. */
static int risk_department(struct req *r, const char **dept)
{
	const char *scope = principal_department_scope(&r->who), *q;

	if (req_query_text(r, "department", DEPT_CODE_MAX, &q) < 0)
		return -1;
	if (scope != NULL && q != NULL && strcmp(q, scope) != 0) {
		reply_error(r, 403, "not_your_department", "department",
			    "只能查看本部门监管对象的风险提示");
		return -1;
	}
	*dept = q ? q : scope;
	return 0;
}

static json_t *entity_json(const struct store_complaint_entity *en, json_t *flags,
			   json_t *departments)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:o}", "uscc", en->uscc, "name", en->name,
			 "license_number", en->license_number, "industry", en->industry,
			 "industry_name", en->industry_name, "departments", departments, "flags",
			 flags);
}

static json_t *supervisors_json(struct req *r, const char *industry, const char *dept, bool *match)
{
	char depts[COMPLAINT_DEPTS_MAX][COMPLAINT_DEPT_SIZE];
	json_t *a = json_array();
	size_t n = 0;

	complaint_route(r->app, industry, NULL, depts, COMPLAINT_DEPTS_MAX, &n);
	*match = dept == NULL;
	for (size_t i = 0; i < n; i++) {
		if (dept && strcmp(depts[i], dept) == 0)
			*match = true;
		json_array_append_new(a, json_string(depts[i]));
	}
	return a;
}

void h_risk_list(struct req *r)
{
	char(*usccs)[19] = NULL;
	const char *dept;
	struct store_conn *c;
	struct yerr e = {0};
	int today = app_today(r), rc;
	json_t *items;
	size_t n = 0;

	if (risk_department(r, &dept) < 0)
		return;
	if (req_acquire(r, &c) < 0)
		return;
	rc = risk_candidates(c, req_district(r), today, RISK_LIST_MAX, &usccs, &n, &e);
	items = json_array();
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct store_complaint_entity en;
		json_t *flags = NULL, *sups;
		bool match;

		/* only licensed entities are supervised */
		rc = store_complaint_entity_get(c, req_district(r), NULL, usccs[i], &en, &e);
		if (rc == STORE_ENOTFOUND) {
			rc = 0;
			continue;
		}
		if (rc < 0)
			break;
		sups = supervisors_json(r, en.industry, dept, &match);
		if (!match) {
			json_decref(sups);
			continue;
		}
		rc = risk_flags_at(c, req_district(r), usccs[i], today, &flags, &e);
		if (rc == 0 && json_array_size(flags) > 0)
			json_array_append_new(items, entity_json(&en, flags, sups));
		else {
			json_decref(flags);
			json_decref(sups);
		}
	}
	store_release(c);
	free(usccs);
	if (rc < 0) {
		json_decref(items);
		return reply_yerr(r, &e);
	}
	reply_json(r, 200, req_list_json(items, (int64_t)json_array_size(items), NULL));
}

void h_risk_entity(struct req *r)
{
	const char *uscc = req_param(r, "uscc"), *dept;
	struct store_complaint_entity en;
	struct ident_result ir;
	struct store_conn *c;
	struct yerr e = {0};
	json_t *flags = NULL, *sups;
	bool match;
	int rc;

	ident_check_uscc(uscc, strlen(uscc), &ir);
	if (!ir.valid)
		return reply_error(r, 404, "entity_not_licensed", NULL,
				   "未找到持有有效许可证的经营主体");
	if (risk_department(r, &dept) < 0)
		return;
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_complaint_entity_get(c, req_district(r), NULL, uscc, &en, &e);
	if (rc == 0)
		rc = risk_flags_at(c, req_district(r), uscc, app_today(r), &flags, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	sups = supervisors_json(r, en.industry, dept, &match);
	if (!match) {
		json_decref(flags);
		json_decref(sups);
		return reply_error(r, 404, "entity_not_licensed", NULL,
				   "未找到本部门监管的经营主体");
	}
	reply_json(r, 200, json_pack("{s:o}", "entity", entity_json(&en, flags, sups)));
}
