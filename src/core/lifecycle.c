/*
 * lifecycle.c — the kind-specific rules of a license's life (lifecycle.h
 * holds the tables in prose; the arrays below are those tables).
 */
#include "core/lifecycle.h"

#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/license.h"

struct life_kind_row {
	const char *name, *label;
	const char *statuses[3]; /* license statuses that allow it */
};

/* Indexed by enum life_kind. */
static const struct life_kind_row life_kinds[LIFE_KIND_COUNT] = {
    [LIFE_NEW] = {"new", "新办", {NULL}},
    [LIFE_CHANGE] = {"change", "变更", {"valid", NULL}},
    [LIFE_EXTEND] = {"extend", "延续", {"valid", NULL}},
    [LIFE_CANCEL] = {"cancel", "注销", {"valid", "suspended", NULL}},
    [LIFE_REISSUE] = {"reissue", "补办", {"valid", NULL}},
};

/* The legal_rep row of the change table: permits whose grant examines the
 * legal representative in person (modelled from the permits' conditions;
 * each department to confirm). */
static const char *const life_rep_permits[] = {
    "P_drug_retail",     /* 药品经营: 法定代表人无禁止从业情形 */
    "P_device3_license", /* 第三类医疗器械经营: 同上 */
    "P_tobacco_retail",  /* 烟草专卖零售: 申请人本人 */
    "P_hotel_special",   /* 特种行业（旅馆业）: 公安机关审查负责人 */
    "P_entertainment",   /* 娱乐场所: 禁止担任投资人、负责人的情形 */
    "P_netcafe",         /* 上网服务营业场所: 同上 */
    NULL,
};

static const struct {
	const char *name, *label;
} life_statuses[] = {
    {"valid", "有效"},       {"suspended", "暂扣"}, {"revoked", "已吊销"},
    {"cancelled", "已注销"}, {"expired", "已过期"}, {"superseded", "已被新版本取代"},
};

const char *life_kind_name(enum life_kind k)
{
	return (unsigned)k < LIFE_KIND_COUNT ? life_kinds[k].name : NULL;
}

const char *life_kind_label(enum life_kind k)
{
	return (unsigned)k < LIFE_KIND_COUNT ? life_kinds[k].label : NULL;
}

int life_kind_parse(const char *name)
{
	for (int i = 0; name != NULL && i < LIFE_KIND_COUNT; i++)
		if (strcmp(life_kinds[i].name, name) == 0)
			return i;
	return -1;
}

const char *life_status_label(const char *status)
{
	for (size_t i = 0; status && i < sizeof(life_statuses) / sizeof(life_statuses[0]); i++)
		if (strcmp(life_statuses[i].name, status) == 0)
			return life_statuses[i].label;
	return status ? status : "";
}

int life_check_status(enum life_kind k, const char *status, struct yerr *err)
{
	if ((unsigned)k >= LIFE_KIND_COUNT || k == LIFE_NEW)
		return yerr_set(err, 400, "invalid_kind", "kind", "未知的申请类型");
	for (size_t i = 0; status && life_kinds[k].statuses[i]; i++)
		if (strcmp(life_kinds[k].statuses[i], status) == 0)
			return 0;
	return yerr_set(err, 409, "license_state", "license",
			"许可证当前状态为“%s”（%s），不能申请%s", life_status_label(status),
			status ? status : "", life_kinds[k].label);
}

int life_check_extend(int today, int valid_until, long open_days, long close_days, struct yerr *err)
{
	char first[DATE_STR_SIZE], last[DATE_STR_SIZE], until[DATE_STR_SIZE];

	if (valid_until < 0)
		return yerr_set(err, 409, "no_term", "license", "该许可证长期有效，无需延续");
	if (open_days < close_days)
		open_days = close_days;
	date_format(valid_until - (int)open_days, first, sizeof(first));
	date_format(valid_until - (int)close_days, last, sizeof(last));
	date_format(valid_until, until, sizeof(until));
	if (today < valid_until - open_days || today > valid_until - close_days)
		return yerr_set(err, 409, "outside_extension_window", "kind",
				"延续申请应在 %s 至 %s 之间提出（有效期至 %s）", first, last,
				until);
	return 0;
}

int life_extend_term(int valid_from, int valid_until, int *from, int *until, struct yerr *err)
{
	/* the term in whole years, by the same rule that set valid_until at
	 * issuance (license_valid_until: the day before the anniversary) */
	for (long years = 1; years <= 100; years++) {
		struct license_validity_rule rule = {.kind = LIC_VALIDITY_YEARS, .years = years};

		if (license_valid_until(valid_from, &rule, NULL, 0) != valid_until)
			continue;
		*from = valid_until + 1;
		*until = license_valid_until(*from, &rule, NULL, 0);
		if (*until < *from)
			break;
		return 0;
	}
	return yerr_set(err, 400, "invalid_term", "license",
			"许可证有效期不是整年，无法按原期限延续");
}

bool life_rep_permit(const char *code)
{
	for (size_t i = 0; code && life_rep_permits[i]; i++)
		if (strcmp(life_rep_permits[i], code) == 0)
			return true;
	return false;
}

/* ---- plan ---- */

static struct wf_dept *plan_dept(struct wf_app *a, const char *code)
{
	for (size_t i = 0; i < a->ndepts; i++)
		if (strcmp(a->depts[i].code, code) == 0)
			return &a->depts[i];
	return NULL;
}

/* review adds department p->department as a reviewer (once), inspecting
 * when inspect; its review days the slowest of its permits. */
static int review(struct wf_app *a, const struct life_permit *p, bool inspect, struct yerr *err)
{
	struct wf_dept *d = plan_dept(a, p->department);

	if (d == NULL) {
		if (a->ndepts >= WF_MAX_DEPTS)
			return yerr_set(err, 422, "too_many_permits", NULL, "涉及部门过多");
		d = &a->depts[a->ndepts++];
		memset(d, 0, sizeof(*d));
		snprintf(d->code, sizeof(d->code), "%s", p->department);
		d->review = WF_REVIEW_PENDING;
		d->inspect = WF_INSPECT_NONE;
	}
	if (p->review_days > d->review_days)
		d->review_days = p->review_days;
	if (inspect)
		d->inspect = WF_INSPECT_PENDING;
	return 0;
}

static bool held(const struct life_permit *v, size_t n, const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].code, code) == 0)
			return true;
	return false;
}

static bool removed(const struct life_change *chg, const char *code)
{
	for (size_t i = 0; chg && i < chg->nremove; i++)
		if (chg->remove[i] && strcmp(chg->remove[i], code) == 0)
			return true;
	return false;
}

/* check_change: something changes; every added permit is new, every
 * removed one held, and one permit at least remains. */
static int check_change(const struct life_permit *permits, size_t npermits,
			const struct life_change *chg, struct yerr *err)
{
	char path[64];
	size_t kept = 0;

	if (chg == NULL ||
	    (!chg->name && !chg->legal_rep && !chg->address && chg->nadd == 0 && chg->nremove == 0))
		return yerr_set(err, 400, "change_required", "change",
				"请说明变更内容：名称、法定代表人、经营地址或增减许可事项");
	for (size_t i = 0; i < chg->nadd; i++) {
		snprintf(path, sizeof(path), "change.permits_add[%zu]", i);
		if (held(permits, npermits, chg->add[i].code) ||
		    held(chg->add, i, chg->add[i].code))
			return yerr_set(err, 400, "invalid_change", path,
					"许可事项 %s 已在许可证上", chg->add[i].code);
	}
	for (size_t i = 0; i < chg->nremove; i++) {
		snprintf(path, sizeof(path), "change.permits_remove[%zu]", i);
		if (chg->remove[i] == NULL || !held(permits, npermits, chg->remove[i]))
			return yerr_set(err, 400, "invalid_change", path, "许可证上没有许可事项 %s",
					chg->remove[i] ? chg->remove[i] : "null");
	}
	for (size_t i = 0; i < npermits; i++)
		kept += !removed(chg, permits[i].code);
	if (kept + chg->nadd == 0)
		return yerr_set(err, 400, "invalid_change", "change.permits_remove",
				"不能减去全部许可事项；不再经营请申请注销");
	return 0;
}

static int add_permit(struct wf_app *a, const struct life_permit *p, struct yerr *err)
{
	struct wf_permit *wp;

	if (a->npermits >= WF_MAX_PERMITS)
		return yerr_set(err, 422, "too_many_permits", NULL, "许可事项过多");
	wp = &a->permits[a->npermits++];
	memset(wp, 0, sizeof(*wp));
	snprintf(wp->code, sizeof(wp->code), "%s", p->code);
	snprintf(wp->department, sizeof(wp->department), "%s", p->department);
	return 0;
}

/* The departments of the license (and of added permits) that do not
 * review are told. */
static void inform(struct life_plan *out, const struct life_permit *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		bool known = plan_dept(&out->wf, v[i].department) != NULL;

		for (size_t k = 0; k < out->ninformed && !known; k++)
			known = strcmp(out->informed[k], v[i].department) == 0;
		if (!known && out->ninformed < WF_MAX_DEPTS)
			snprintf(out->informed[out->ninformed++], WF_CODE_MAX, "%s",
				 v[i].department);
	}
}

int life_plan(enum life_kind k, const struct life_permit *permits, size_t npermits,
	      const struct life_change *chg, long acceptance_days, struct life_plan *out,
	      struct yerr *err)
{
	struct wf_app *a = &out->wf;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	a->status = APP_DRAFT;
	a->acceptance_days = acceptance_days;
	if ((unsigned)k >= LIFE_KIND_COUNT || k == LIFE_NEW)
		return yerr_set(err, 400, "invalid_kind", "kind", "未知的申请类型");
	if (npermits > WF_MAX_PERMITS)
		return yerr_set(err, 422, "too_many_permits", NULL, "许可事项过多");
	if (k == LIFE_CHANGE && check_change(permits, npermits, chg, err) != 0)
		return -1;
	/* the permits after the change */
	for (size_t i = 0; i < npermits && rc == 0; i++)
		if (k != LIFE_CHANGE || !removed(chg, permits[i].code))
			rc = add_permit(a, &permits[i], err);
	for (size_t i = 0; k == LIFE_CHANGE && i < chg->nadd && rc == 0; i++)
		rc = add_permit(a, &chg->add[i], err);
	if (rc != 0)
		return -1;
	for (size_t i = 0; i < npermits && rc == 0; i++) {
		const struct life_permit *p = &permits[i];

		if (k == LIFE_EXTEND)
			rc = review(a, p, false, err);
		else if (k == LIFE_CHANGE && !removed(chg, p->code)) {
			if (chg->address)
				rc = review(a, p, p->inspection, err);
			else if (chg->legal_rep && life_rep_permit(p->code))
				rc = review(a, p, false, err);
		}
	}
	for (size_t i = 0; k == LIFE_CHANGE && i < chg->nadd && rc == 0; i++)
		rc = review(a, &chg->add[i], chg->add[i].inspection, err);
	if (rc != 0)
		return -1;
	inform(out, permits, npermits);
	if (k == LIFE_CHANGE)
		inform(out, chg->add, chg->nadd);
	for (size_t i = 0; i < a->ndepts; i++)
		out->inspection |= a->depts[i].inspect != WF_INSPECT_NONE;
	/* Nobody reviews: the window's acceptance approves (workflow.c's
	 * all_committed path: no review or inspection stands between). */
	a->all_committed = a->ndepts == 0;
	return 0;
}

/* ---- the next version ---- */

static int doc_day(const json_t *doc, const char *key, int *out)
{
	const char *s = json_string_value(json_object_get(doc, key));

	return s && date_parse(s, strlen(s), out) == 0 ? 0 : -1;
}

static json_t *day_json(int day)
{
	char buf[DATE_STR_SIZE];

	date_format(day, buf, sizeof(buf));
	return json_string(buf);
}

static void apply_change(json_t *doc, const json_t *change)
{
	json_t *holder = json_object_get(doc, "holder"), *permits = json_object_get(doc, "permits");
	json_t *v, *kept = json_array(), *rm = json_object_get(change, "permits_remove");
	const char *s;
	size_t i, j;

	if ((s = json_string_value(json_object_get(change, "name"))) && json_is_object(holder))
		json_object_set_new(holder, "name", json_string(s));
	if ((s = json_string_value(json_object_get(change, "legal_rep"))) && json_is_object(holder))
		json_object_set_new(holder, "legal_rep", json_string(s));
	if ((s = json_string_value(json_object_get(change, "address"))))
		json_object_set_new(doc, "address", json_string(s));
	json_array_foreach (permits, i, v) {
		const char *code = json_string_value(json_object_get(v, "code"));
		bool gone = false;
		json_t *r;

		json_array_foreach (rm, j, r)
			gone |=
			    code && json_is_string(r) && strcmp(json_string_value(r), code) == 0;
		if (!gone)
			json_array_append(kept, v);
	}
	json_array_foreach (json_object_get(change, "permits_add"), i, v)
		json_array_append_new(kept, json_deep_copy(v));
	json_object_set_new(doc, "permits", kept);
}

json_t *life_next_doc(const json_t *prev, enum life_kind k, const json_t *change, int today,
		      struct yerr *err)
{
	json_t *doc;
	json_int_t version = json_integer_value(json_object_get(prev, "version"));
	int from, until, nfrom, nuntil;

	if (!json_is_object(prev) || version < 1) {
		yerr_set(err, 500, "invalid_license", NULL, "许可证文档无效");
		return NULL;
	}
	if (k != LIFE_CHANGE && k != LIFE_EXTEND && k != LIFE_REISSUE) {
		yerr_set(err, 400, "invalid_kind", "kind", "该类申请不产生新版本");
		return NULL;
	}
	doc = json_deep_copy(prev);
	/* what belongs to one signed version only, or to the API around it */
	for (const char *const *key =
		 (const char *const[]){"kid", "sig", "eid", "status", "status_reason",
				       "status_basis", "status_at", "superseded_by", "pdf_sha256",
				       "flags", NULL};
	     *key; key++)
		json_object_del(doc, *key);
	json_object_set_new(doc, "version", json_integer(version + 1));
	json_object_set_new(doc, "issued_on", day_json(today));
	if (k == LIFE_CHANGE)
		apply_change(doc, change);
	if (k == LIFE_EXTEND) {
		if (doc_day(prev, "valid_from", &from) < 0 ||
		    doc_day(prev, "valid_until", &until) < 0) {
			json_decref(doc);
			yerr_set(err, 409, "no_term", "license", "该许可证长期有效，无需延续");
			return NULL;
		}
		if (life_extend_term(from, until, &nfrom, &nuntil, err) < 0) {
			json_decref(doc);
			return NULL;
		}
		json_object_set_new(doc, "valid_from", day_json(nfrom));
		json_object_set_new(doc, "valid_until", day_json(nuntil));
	}
	return doc;
}
