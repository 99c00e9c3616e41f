/*
 * history_app.c — the applications of the demo history, each a small state
 * machine driven by events (history.h): the applicant registers (or comes
 * to the window), answers the guide, fills the form, uploads every
 * material and submits; the window asks for 补正 rounds, refuses or
 * accepts; the inspectors schedule the joint inspection and record their
 * results (pass, rectify then pass, fail); each department reviews (some
 * late, some rejecting); the issuer issues the license; later some holders
 * apply to change or cancel it, through the same workflow. What happens
 * next is read back from the application after each step, so the workflow
 * decides, never the generator.
 *
 * Chances (percent, per new application): walk-in 30; 补正 rounds 0/1/2
 * 65/27/8; refused at the window 4; withdrawn during 补正 4; rejected by a
 * department 7 (and one of each in every 20, so a small history has them); inspection rectify 15,
 * fail 5; a review later than committed 12; a license later changed 12, cancelled 6
 * (docs/api-statistics.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/history.h"
#include "core/date.h"
#include "core/guide.h"
#include "core/ident.h"
#include "store/store_application.h"

static const char *const places[] = {"漕溪", "天平", "枫林", "田林", "虹梅", "龙华",   "湖南",
				     "斜土", "长桥", "康健", "华泾", "凌云", "徐家汇", "漕河泾"};
#define NPLACES (sizeof(places) / sizeof(places[0]))

static const char pdf_a[] = "%PDF-1.4\n% yiye demo material\n%%EOF\n";
static const char pdf_b[] = "%PDF-1.4\n% yiye demo material (supplemented)\n%%EOF\n";

int hist_app_add(struct hist *h, int64_t t, int industry)
{
	struct hist_app *a;
	int p;

	if (h->napps == h->capapps) {
		h->capapps = h->capapps ? h->capapps * 2 : 256;
		h->apps = realloc(h->apps, h->capapps * sizeof(*h->apps));
		if (h->apps == NULL)
			abort();
	}
	a = &h->apps[h->napps];
	memset(a, 0, sizeof(*a));
	a->industry = industry;
	a->kind = HIST_NEW;
	a->walk_in = hist_chance(h, 30);
	p = hist_range(h, 0, 99);
	a->supplements = p < 65 ? 0 : p < 92 ? 1 : 2;
	p = hist_range(h, 0, 99);
	a->fate = p < 4    ? HIST_FATE_REFUSE
		  : p < 8  ? HIST_FATE_WITHDRAW
		  : p < 15 ? HIST_FATE_REJECT
			   : HIST_FATE_LICENSE;
	/* every outcome at least once in a small history (init --demo's) */
	if (h->napps % 20 == 3)
		a->fate = HIST_FATE_REJECT;
	else if (h->napps % 20 == 8)
		a->fate = HIST_FATE_WITHDRAW;
	else if (h->napps % 20 == 13)
		a->fate = HIST_FATE_REFUSE;
	if (a->fate == HIST_FATE_WITHDRAW && a->supplements == 0)
		a->supplements = 1; /* one withdraws while asked for 补正 */
	p = hist_range(h, 0, 99);
	a->inspect_fate = p < 15 ? 1 : p < 20 ? 2 : 0;
	a->late = hist_chance(h, 12);
	hist_push(h, t, HEV_APP_START, (int)h->napps);
	return (int)h->napps++;
}

void hist_app_free(struct hist *h)
{
	for (size_t i = 0; i < h->napps; i++)
		json_decref(h->apps[i].materials);
	free(h->apps);
	h->apps = NULL;
	h->napps = 0;
}

/* a few minutes pass between the steps of one sitting */
static void tick(struct hist *h)
{
	h->app->sim_now += hist_range(h, 1, 6) * 60;
}

static void day_text(int day, char out[DATE_STR_SIZE])
{
	date_format(day, out, DATE_STR_SIZE);
}

/* A valid 统一社会信用代码 of this district (登记管理部门 9, 企业 1). */
static void make_uscc(struct hist *h, char out[19])
{
	static const char set[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	char org[9];
	struct ident_result r;

	do {
		for (int i = 0; i < 8; i++)
			org[i] = set[hist_rand(h) % (sizeof(set) - 1)];
		org[8] = '\0';
		memcpy(out, "91310104", 8);
		memcpy(out + 8, org, 8);
		out[16] = ident_org_check_char(org);
		out[17] = out[16] ? ident_uscc_check_char(out) : '\0';
		out[18] = '\0';
		ident_check_uscc(out, 18, &r);
	} while (!r.valid);
}

/* Answers the guide's questions of industry the way an applicant would, one
 * question at a time, until the guide is complete. */
static json_t *answer_guide(struct hist *h, const char *industry)
{
	json_t *answers = json_object();
	struct guide_result g;
	struct yerr e = {0};

	pthread_rwlock_rdlock(&h->app->catalog_lock);
	for (int guard = 0; guard < 64; guard++) {
		const struct catalog_question *q;
		json_t *v;

		if (guide_run(h->app->catalog, industry, answers, &g, &e) < 0)
			break;
		if (g.complete || g.nnext == 0) {
			guide_result_free(&g);
			break;
		}
		q = g.next_questions[0];
		switch (q->type) {
		case QTYPE_BOOLEAN:
			v = json_boolean(hist_chance(h, 30));
			break;
		case QTYPE_CHOICE:
			v = json_string(q->noptions ? q->options[hist_rand(h) % q->noptions].value
						    : "");
			break;
		case QTYPE_MULTI:
			v = json_array();
			if (q->noptions)
				json_array_append_new(
				    v, json_string(q->options[hist_rand(h) % q->noptions].value));
			break;
		case QTYPE_NUMBER: {
			double lo = q->has_min ? q->min : 0, hi = q->has_max ? q->max : lo + 500;

			if (hi > lo + 500)
				hi = lo + 500;
			v = json_integer((json_int_t)lo + hist_range(h, 0, (int)(hi - lo)));
			break;
		}
		default:
			v = json_string("无");
		}
		json_object_set_new(answers, q->id, v);
		guide_result_free(&g);
	}
	pthread_rwlock_unlock(&h->app->catalog_lock);
	return answers;
}

/* text within the field's maxlen (characters): the text, else "演示数据", else
 * digits (a 邮政编码 of six) */
static json_t *text_value(const json_t *f, const char *text)
{
	json_int_t max = json_integer_value(json_object_get(f, "maxlen"));
	size_t chars = 0;

	for (const char *p = text; *p; p++)
		chars += ((unsigned char)*p & 0xc0) != 0x80;
	if (max <= 0 || (json_int_t)chars <= max)
		return json_string(text);
	if (max >= 4)
		return json_string("演示数据");
	return json_stringn("200030", (size_t)(max < 6 ? max : 6));
}

/* A plausible value of a form field (what app_field_value in the API tests
 * gives, with the applicant's own credit code and name). */
json_t *hist_field_value(struct hist *h, const struct hist_app *a, const json_t *f,
			 const char *ent_name)
{
	const char *type = json_string_value(json_object_get(f, "type"));
	json_t *min = json_object_get(f, "min"), *max = json_object_get(f, "max");
	char day[DATE_STR_SIZE];

	type = type ? type : "";
	if (strcmp(type, "number") == 0 || strcmp(type, "area") == 0) {
		json_int_t v = min && json_number_value(min) > 1
				   ? (json_int_t)json_number_value(min)
				   : hist_range(h, 30, 300);

		if (max && v > (json_int_t)json_number_value(max))
			v = (json_int_t)json_number_value(max);
		return json_integer(v);
	}
	if (strcmp(type, "address") == 0) {
		char addr[128];

		snprintf(addr, sizeof(addr), "徐汇区%s路%d号", places[hist_rand(h) % NPLACES],
			 hist_range(h, 1, 999));
		return json_string(addr);
	}
	if (strcmp(type, "date") == 0) {
		day_text(hist_day_of(h->app->sim_now) - hist_range(h, 30, 700), day);
		return json_string(day);
	}
	if (strcmp(type, "enum") == 0) {
		const json_t *o = json_object_get(f, "options");
		size_t n = json_array_size(o);

		return json_string(n ? json_string_value(json_object_get(
					   json_array_get(o, hist_rand(h) % n), "value"))
				     : "");
	}
	if (strcmp(type, "uscc") == 0)
		return json_string(a->uscc);
	if (strcmp(type, "idcard") == 0)
		return json_string("110101199003078515");
	if (strcmp(type, "phone") == 0)
		return json_string("13800138000");
	return text_value(f, ent_name ? ent_name : "演示数据");
}

static const struct principal *editor(struct hist *h, const struct hist_app *a,
				      struct principal *applicant)
{
	if (hist_principal(h, a->applicant, applicant) < 0)
		return NULL;
	return a->walk_in ? &h->clerk : applicant;
}

/* GET the application as who: the new reference, or NULL. */
static json_t *get_app(struct hist *h, const struct principal *who, int64_t id)
{
	char path[96];
	json_t *out = NULL, *app;

	snprintf(path, sizeof(path), "/api/v1/applications/%lld", (long long)id);
	if (hist_call(h, who, "GET", path, NULL, NULL, 0, &out) != 200) {
		json_decref(out);
		return NULL;
	}
	app = json_incref(json_object_get(out, "application"));
	json_decref(out);
	return app;
}

static int post(struct hist *h, const struct principal *who, int64_t id, const char *action,
		json_t *body)
{
	char path[128];

	snprintf(path, sizeof(path), "/api/v1/applications/%lld/%s", (long long)id, action);
	return hist_call(h, who, "POST", path, body, NULL, 0, NULL);
}

static int put_material(struct hist *h, const struct principal *who, int64_t id, const char *mid,
			const char *bytes)
{
	char path[192];

	snprintf(path, sizeof(path), "/api/v1/applications/%lld/materials/%s", (long long)id, mid);
	return hist_call(h, who, "PUT", path, NULL, bytes, strlen(bytes), NULL);
}

/* The form filled where it is still empty (what was pre-filled stays), every
 * material not exempt uploaded; remembers the materials. */
static int fill(struct hist *h, struct hist_app *a, const struct principal *who,
		const char *ent_name)
{
	json_t *app = get_app(h, who, a->id), *form, *f, *m, *patch;
	char path[96];
	size_t i;
	int rc = 0;

	if (app == NULL)
		return -1;
	form = json_deep_copy(json_object_get(app, "form"));
	if (!json_is_object(form)) {
		json_decref(form);
		form = json_object();
	}
	json_array_foreach (json_object_get(json_object_get(app, "notice"), "fields"), i, f) {
		const char *fid = json_string_value(json_object_get(f, "id"));
		const json_t *cur = fid ? json_object_get(form, fid) : NULL;

		if (fid && (cur == NULL || json_is_null(cur) ||
			    (json_is_string(cur) && json_string_length(cur) == 0)))
			json_object_set_new(form, fid, hist_field_value(h, a, f, ent_name));
	}
	tick(h);
	patch = json_pack("{s:o,s:O}", "form", form, "version", json_object_get(app, "version"));
	snprintf(path, sizeof(path), "/api/v1/applications/%lld", (long long)a->id);
	if (hist_call(h, who, "PATCH", path, patch, NULL, 0, NULL) != 200)
		rc = -1;
	a->materials = json_array();
	json_array_foreach (json_object_get(json_object_get(app, "notice"), "materials"), i, m) {
		const char *mid = json_string_value(json_object_get(m, "id"));

		if (mid == NULL || json_is_true(json_object_get(m, "exempt")))
			continue;
		json_array_append_new(a->materials, json_string(mid));
		tick(h);
		if (put_material(h, who, a->id, mid, pdf_a) != 200)
			rc = -1;
	}
	json_decref(app);
	return rc;
}

static int64_t created_id(json_t *out)
{
	return json_integer_value(json_object_get(json_object_get(out, "application"), "id"));
}

/* HEV_APP_START of a new application: register, create, fill, submit. */
static void start_new(struct hist *h, struct hist_app *a, int idx)
{
	const char *industry = h->industries[a->industry];
	const struct catalog_industry *ind;
	struct principal applicant;
	const struct principal *who;
	char name[160], pw[40], phone[16];
	json_t *out = NULL, *body;

	pthread_rwlock_rdlock(&h->app->catalog_lock);
	ind = catalog_industry_find(h->app->catalog, industry);
	snprintf(name, sizeof(name), "%s%s有限公司%d号店（演示）", places[hist_rand(h) % NPLACES],
		 ind ? ind->name : industry, idx + 1);
	pthread_rwlock_unlock(&h->app->catalog_lock);
	snprintf(a->applicant, sizeof(a->applicant), "demo%ld_%d", h->run, idx + 1);
	snprintf(pw, sizeof(pw), "Dm%016llx!", (unsigned long long)hist_rand(h));
	snprintf(phone, sizeof(phone), "139%08d", hist_range(h, 0, 99999999));
	make_uscc(h, a->uscc);
	if (hist_call(h, NULL, "POST", "/api/v1/registrations",
		      json_pack("{s:s,s:s,s:s,s:s,s:s}", "username", a->applicant, "password", pw,
				"uscc", a->uscc, "name", name, "phone", phone),
		      NULL, 0, NULL) != 201 ||
	    (who = editor(h, a, &applicant)) == NULL)
		return;
	tick(h);
	body = json_pack("{s:s,s:o}", "industry", industry, "answers", answer_guide(h, industry));
	if (a->walk_in)
		json_object_set_new(body, "applicant", json_string(a->applicant));
	if (hist_call(h, who, "POST", "/api/v1/applications", body, NULL, 0, &out) != 201) {
		json_decref(out);
		return;
	}
	a->id = created_id(out);
	json_decref(out);
	h->n_created++;
	if (fill(h, a, who, name) < 0)
		return;
	tick(h);
	if (post(h, who, a->id, "submit", NULL) == 200)
		hist_push(h,
			  hist_at(h, hist_workday_after(h, h->app->sim_now, hist_range(h, 0, 2))),
			  HEV_APP_WINDOW, idx);
}

/* HEV_APP_WINDOW: the window decides on a submission. */
static void window(struct hist *h, struct hist_app *a, int idx)
{
	int64_t next;

	if (a->supplements > 0 && json_array_size(a->materials) > 0) {
		const char *mid = json_string_value(
		    json_array_get(a->materials, hist_rand(h) % json_array_size(a->materials)));
		json_t *body = json_pack("{s:s,s:[s]}", "reason",
					 "材料内容不完整，请补正后重新提交", "materials", mid);

		if (post(h, &h->clerk, a->id, "request-supplement", body) != 200)
			return;
		a->supplements--;
		h->n_supplements++;
		next = hist_at(h, hist_workday_after(h, h->app->sim_now, hist_range(h, 1, 6)));
		hist_push(h, next, HEV_APP_RESUBMIT, idx);
		return;
	}
	if (a->fate == HIST_FATE_REFUSE) {
		if (post(h, &h->clerk, a->id, "refuse",
			 json_pack("{s:s}", "reason",
				   "申请事项不属于本区受理范围，已告知向有权机关申请")) == 200) {
			h->n_refused_window++;
			hist_push(h, h->app->sim_now + 3600, HEV_APP_RATE, idx);
		}
		return;
	}
	if (post(h, &h->clerk, a->id, "accept", NULL) != 200)
		return;
	h->n_accepted++;
	next = hist_at(h, hist_workday_after(h, h->app->sim_now, hist_range(h, 1, 3)));
	hist_push(h, next, HEV_APP_PROCESS, idx);
}

/* HEV_APP_RESUBMIT: the applicant supplements (or withdraws). */
static void resubmit(struct hist *h, struct hist_app *a, int idx)
{
	struct principal applicant;
	const struct principal *who = editor(h, a, &applicant);
	size_t n = json_array_size(a->materials);

	if (who == NULL)
		return;
	if (a->fate == HIST_FATE_WITHDRAW) {
		if (post(h, &applicant, a->id, "withdraw",
			 json_pack("{s:s}", "reason", "经营计划调整，撤回申请")) == 200) {
			h->n_withdrawn++;
			hist_push(h, h->app->sim_now + 3600, HEV_APP_RATE, idx);
		}
		return;
	}
	if (n)
		put_material(h, who, a->id, json_string_value(json_array_get(a->materials, 0)),
			     pdf_b);
	tick(h);
	if (post(h, who, a->id, "resubmit", NULL) == 200)
		hist_push(h,
			  hist_at(h, hist_workday_after(h, h->app->sim_now, hist_range(h, 0, 2))),
			  HEV_APP_WINDOW, idx);
}

/* The checklist of dept's section, every item ok, or the first not_ok. */
static json_t *checklist(struct hist *h, const struct principal *who, int64_t id, const char *dept,
			 int all_ok)
{
	char path[128];
	json_t *out = NULL, *items = json_array(), *sec, *it;
	size_t i, k;

	snprintf(path, sizeof(path), "/api/v1/applications/%lld/inspection", (long long)id);
	if (hist_call(h, who, "GET", path, NULL, NULL, 0, &out) != 200) {
		json_decref(out);
		return items;
	}
	json_array_foreach (json_object_get(json_object_get(out, "inspection"), "sections"), i,
			    sec) {
		const char *d = json_string_value(json_object_get(sec, "department"));

		if (d == NULL || strcmp(d, dept) != 0)
			continue;
		json_array_foreach (json_object_get(sec, "items"), k, it)
			json_array_append_new(items, json_pack("{s:O,s:s}", "id",
							       json_object_get(it, "id"), "result",
							       all_ok || k > 0 ? "ok" : "not_ok"));
	}
	json_decref(out);
	return items;
}

static int schedule(struct hist *h, struct hist_app *a, const struct store_app *s, int idx)
{
	json_t *ids = json_array();
	const struct principal *first = NULL;
	char at[DATE_STR_SIZE], path[128];
	int day = hist_workday_after(h, h->app->sim_now, hist_range(h, 2, 4));

	for (size_t i = 0; i < s->wf.ndepts; i++) {
		struct hist_staff *st = hist_staff_of(h, s->wf.depts[i].code);

		if (s->wf.depts[i].inspect == WF_INSPECT_NONE || st == NULL || !st->has_inspector)
			continue;
		json_array_append_new(ids, json_integer(st->inspector.id));
		if (first == NULL)
			first = &st->inspector;
	}
	day_text(day, at);
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/inspection", (long long)a->id);
	if (first == NULL ||
	    hist_call(h, first, "POST", path, json_pack("{s:s,s:o}", "at", at, "inspectors", ids),
		      NULL, 0, NULL) != 200) {
		if (first == NULL)
			json_decref(ids);
		return -1;
	}
	h->n_inspections++;
	hist_push(h, hist_at(h, day), HEV_APP_PROCESS, idx);
	return 0;
}

static int inspect(struct hist *h, struct hist_app *a, const struct wf_dept *d, int idx)
{
	struct hist_staff *st = hist_staff_of(h, d->code);
	char path[160], due[DATE_STR_SIZE];
	json_t *body;
	int64_t next;

	if (st == NULL || !st->has_inspector)
		return -1;
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/inspection/%s", (long long)a->id,
		 d->code);
	if (a->inspect_fate == 1 && d->inspect == WF_INSPECT_PENDING) {
		int day = hist_workday_after(h, h->app->sim_now, 10);

		day_text(day, due);
		body = json_pack("{s:s,s:s,s:s,s:o}", "result", "rectify", "findings",
				 "消防通道堆放杂物，责令限期整改", "deadline", due, "items",
				 checklist(h, &st->inspector, a->id, d->code, 0));
		next = hist_at(h, hist_workday_after(h, h->app->sim_now, hist_range(h, 4, 9)));
	} else if (a->inspect_fate == 2) {
		body = json_pack("{s:s,s:s,s:o}", "result", "fail", "findings",
				 "经营场所与申请材料不符，不具备许可条件", "items",
				 checklist(h, &st->inspector, a->id, d->code, 0));
		next = h->app->sim_now + 3600;
	} else {
		body = json_pack("{s:s,s:o}", "result", "pass", "items",
				 checklist(h, &st->inspector, a->id, d->code, 1));
		next = hist_at(h, hist_workday_after(h, h->app->sim_now, hist_range(h, 0, 1)));
	}
	if (hist_call(h, &st->inspector, "POST", path, body, NULL, 0, NULL) != 200)
		return -1;
	hist_push(h, next, HEV_APP_PROCESS, idx);
	return 0;
}

static int review(struct hist *h, struct hist_app *a, const struct store_app *s,
		  const struct wf_dept *d, int idx)
{
	struct hist_staff *st = hist_staff_of(h, d->code);
	char path[160];
	json_t *body;
	int reject = a->fate == HIST_FATE_REJECT;
	long days = 0;

	if (st == NULL || !st->has_reviewer)
		return -1;
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/reviews/%s", (long long)a->id,
		 d->code);
	body = reject ? json_pack("{s:s,s:s}", "decision", "reject", "reason",
				  "申请人不符合法定条件，依法不予许可")
		      : json_pack("{s:s}", "decision", "approve");
	if (hist_call(h, &st->reviewer, "POST", path, body, NULL, 0, NULL) != 200)
		return -1;
	if (reject) {
		a->fate = HIST_FATE_LICENSE; /* one department's rejection decides */
		h->n_rejected++;
	}
	/* the next department's review takes part of its committed days */
	for (size_t i = 0; i < s->wf.ndepts; i++)
		if (&s->wf.depts[i] != d && s->wf.depts[i].review == WF_REVIEW_PENDING &&
		    s->wf.depts[i].review_days > days)
			days = s->wf.depts[i].review_days;
	days = days > 1 ? hist_range(h, 1, (int)(days / 2 > 1 ? days / 2 : 1)) : 1;
	if (a->late)
		days += hist_range(h, 5, 15);
	hist_push(h, hist_at(h, hist_workday_after(h, h->app->sim_now, (int)days)), HEV_APP_PROCESS,
		  idx);
	return 0;
}

/* HEV_APP_PROCESS: whatever the workflow waits for next. */
static void process(struct hist *h, struct hist_app *a, int idx)
{
	struct store_conn *c;
	struct store_app s;
	struct yerr e = {0};
	const struct wf_dept *pending = NULL, *review_due = NULL;

	if (store_acquire(h->app->store, &c, &e) < 0)
		return;
	memset(&s, 0, sizeof(s));
	if (store_app_get(c, h->app->cfg.district, a->id, false, &s, &e) < 0) {
		store_release(c);
		return;
	}
	store_release(c);
	for (size_t i = 0; i < s.wf.ndepts; i++) {
		const struct wf_dept *d = &s.wf.depts[i];

		if (!pending &&
		    (d->inspect == WF_INSPECT_PENDING || d->inspect == WF_INSPECT_RECTIFY))
			pending = d;
		if (!review_due && d->review == WF_REVIEW_PENDING)
			review_due = d;
	}
	switch (s.wf.status) {
	case APP_UNDER_REVIEW:
	case APP_INSPECTION:
		if (pending && !s.wf.inspection_scheduled) {
			schedule(h, a, &s, idx);
		} else if (pending) {
			if (pending->inspect == WF_INSPECT_RECTIFY)
				a->inspect_fate = 0; /* rectified: the second visit passes */
			inspect(h, a, pending, idx);
		} else if (review_due) {
			review(h, a, &s, review_due, idx);
		}
		break;
	case APP_APPROVED:
		if (a->kind == HIST_CANCEL) { /* approval ended the license: nothing to issue */
			h->n_cancelled++;
			hist_push(h, h->app->sim_now + 3600, HEV_APP_RATE, idx);
			break;
		}
		hist_push(h,
			  hist_at(h, hist_workday_after(h, h->app->sim_now, hist_range(h, 1, 2))),
			  HEV_APP_ISSUE, idx);
		break;
	case APP_REJECTED:
	case APP_LICENSED:
		hist_push(h, h->app->sim_now + 3600, HEV_APP_RATE, idx);
		break;
	default:
		break;
	}
	store_app_free(&s);
}

/* HEV_APP_ISSUE: the issuer issues the license (new, or the changed one). */
static void issue(struct hist *h, struct hist_app *a, int idx)
{
	char path[128];
	json_t *out = NULL;
	const char *number;

	snprintf(path, sizeof(path), "/api/v1/applications/%lld/license", (long long)a->id);
	if (hist_call(h, &h->issuer, "POST", path, NULL, NULL, 0, &out) != 201) {
		json_decref(out);
		return;
	}
	number = json_string_value(json_object_get(json_object_get(out, "license"), "number"));
	if (number)
		snprintf(a->license, sizeof(a->license), "%s", number);
	json_decref(out);
	if (a->kind == HIST_CHANGE)
		h->n_changed++;
	else
		h->n_licensed++;
	hist_push(h, hist_at(h, hist_workday_after(h, h->app->sim_now, hist_range(h, 1, 3))),
		  HEV_APP_HANDOVER, idx);
	hist_push(h, h->app->sim_now + 3600 * hist_range(h, 1, 48), HEV_APP_RATE, idx);
	if (a->kind == HIST_NEW && a->license[0]) {
		int p;

		hist_sup_reports_due(h, idx, hist_day_of(h->app->sim_now));
		if (hist_chance(h, 12)) /* someone complains about the business later */
			hist_push(h,
				  hist_at(h, hist_day_of(h->app->sim_now) + hist_range(h, 20, 300)),
				  HEV_SUP_COMPLAINT, idx);
		p = hist_range(h, 0, 99);
		if (p < 18)
			hist_push(h,
				  hist_at(h, hist_day_of(h->app->sim_now) + hist_range(h, 30, 300)),
				  HEV_APP_AFTER, idx);
	}
}

/* HEV_APP_HANDOVER: the window records how the license reached its holder —
 * collected at the window (a walk-in: one more trip), by post or only
 * electronically. */
static void handover(struct hist *h, const struct hist_app *a)
{
	char path[128], track[24];
	json_t *body;
	int p = hist_range(h, 0, 99);

	if (!a->license[0])
		return;
	snprintf(track, sizeof(track), "EMS%09d", hist_range(h, 0, 999999999));
	if (a->walk_in || p < 25)
		body = json_pack("{s:s,s:s,s:s,s:s,s:s}", "method", "window", "collector_name",
				 "王晓明", "collector_id_type", "idcard", "collector_id_number",
				 "110101199003078515", "archive_location", "档案室 A 柜（演示）");
	else if (p < 55)
		body = json_pack("{s:s,s:s,s:s,s:s}", "method", "post", "carrier", "中国邮政 EMS",
				 "tracking_no", track, "archive_location", "档案室 A 柜（演示）");
	else
		body = json_pack("{s:s}", "method", "electronic");
	snprintf(path, sizeof(path), "/api/v1/licenses/%s/handover", a->license);
	if (hist_call(h, &h->clerk, "POST", path, body, NULL, 0, NULL) < 300)
		h->n_handovers++;
}

/* HEV_APP_AFTER: the holder applies to change (2 in 3) or cancel the license. */
static void after(struct hist *h, struct hist_app *orig, int idx)
{
	struct principal applicant;
	struct hist_app *a;
	json_t *body, *out = NULL;
	int cancel = hist_range(h, 0, 2) == 0, n;

	(void)idx;
	if (hist_principal(h, orig->applicant, &applicant) < 0)
		return;
	if (cancel)
		body = json_pack("{s:s,s:s,s:s}", "kind", "cancel", "license", orig->license,
				 "reason", "停止经营，申请注销许可");
	else
		body =
		    json_pack("{s:s,s:s,s:{s:s},s:s}", "kind", "change", "license", orig->license,
			      "change", "legal_rep", "王晓明", "reason", "法定代表人变更");
	if (hist_call(h, &applicant, "POST", "/api/v1/applications", body, NULL, 0, &out) != 201) {
		json_decref(out);
		return;
	}
	/* not scheduled (the event is now); orig may move with the array */
	n = hist_app_add(h, h->until, orig->industry);
	a = &h->apps[n];
	a->id = created_id(out);
	json_decref(out);
	a->kind = cancel ? HIST_CANCEL : HIST_CHANGE;
	a->walk_in = 0;
	a->supplements = 0;
	a->fate = HIST_FATE_LICENSE;
	a->inspect_fate = 0;
	a->late = 0;
	snprintf(a->applicant, sizeof(a->applicant), "%s", applicant.name);
	a->materials = json_array();
	tick(h);
	if (post(h, &applicant, a->id, "submit", NULL) == 200)
		hist_push(h,
			  hist_at(h, hist_workday_after(h, h->app->sim_now, hist_range(h, 0, 2))),
			  HEV_APP_WINDOW, n);
}

/* HEV_APP_RATE: most applicants rate a completed application (好差评). */
static void rate(struct hist *h, struct hist_app *a, int idx)
{
	(void)idx;
	/* a cancellation stays approved (nothing is issued): not rated */
	if (a->id == 0 || a->kind == HIST_CANCEL || !hist_chance(h, 65))
		return;
	h->n_rated += hist_rate(h, a) == 0;
}

void hist_app_step(struct hist *h, const struct hist_ev *ev)
{
	struct hist_app *a = &h->apps[ev->idx];

	if (ev->kind != HEV_APP_START && ev->kind != HEV_APP_FOLLOWUP && a->id == 0)
		return;
	switch (ev->kind) {
	case HEV_APP_START:
		start_new(h, a, ev->idx);
		break;
	case HEV_APP_WINDOW:
		window(h, a, ev->idx);
		break;
	case HEV_APP_RESUBMIT:
		resubmit(h, a, ev->idx);
		break;
	case HEV_APP_PROCESS:
		process(h, a, ev->idx);
		break;
	case HEV_APP_ISSUE:
		issue(h, a, ev->idx);
		break;
	case HEV_APP_AFTER:
		after(h, a, ev->idx);
		break;
	case HEV_APP_RATE:
		rate(h, a, ev->idx);
		break;
	case HEV_APP_FOLLOWUP:
		hist_followup_reply(h, ev->idx);
		break;
	case HEV_APP_HANDOVER:
		handover(h, a);
		break;
	}
}
