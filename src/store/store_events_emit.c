/*
 * store_events_emit.c — what the modules' write functions emit to the outbox
 * (see store_events.h, "the call sites"): which of their changes is which
 * event kind, and the data each event carries. Kept apart from the outbox
 * itself so the shapes a subscriber sees are in one place.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_application.h"
#include "store/store_events.h"
#include "store/store_license.h"

/* The applicant as a case names it: the entity (name, 统一社会信用代码),
 * never a person's ID number. What the form names (the fields the license
 * is issued to, license_write.c), else the application's entity in the
 * register, else its applicant account's; nulls when none has one. */
static json_t *case_applicant(struct store_conn *c, const char *district, const struct store_app *a,
			      struct yerr *e)
{
	struct store_result *res = NULL;
	json_t *form = a->form ? json_loads(a->form, 0, NULL) : NULL, *out;
	const char *name = json_string_value(json_object_get(form, "F_ent_name"));
	const char *uscc = json_string_value(json_object_get(form, "F_uscc"));
	int rc;

	if (name && *name && uscc && *uscc) {
		out = json_pack("{s:s,s:s}", "name", name, "uscc", uscc);
		json_decref(form);
		return out;
	}
	json_decref(form);
	rc = store_exec(c,
			"SELECT name, uscc FROM entities WHERE district = ? AND id = COALESCE(?, "
			"(SELECT entity_id FROM users WHERE id = ?))",
			(struct store_param[]){SP_TEXT(district),
					       a->entity_id > 0 ? SP_INT(a->entity_id) : SP_NULL,
					       SP_INT(a->applicant_id)},
			3, &res, e);
	if (rc < 0)
		return NULL;
	if (res->rows > 0)
		out = json_pack("{s:s?,s:s?}", "name", store_cell(res, 0, 0), "uscc",
				store_cell(res, 0, 1));
	else
		out = json_pack("{s:n,s:n}", "name", "uscc");
	store_result_free(res);
	return out;
}

/* When the window accepted the application (受理): its last accept in the
 * history, or now when this transition is the accept. 0: not accepted. */
static int64_t case_accepted_at(struct store_conn *c, const char *district,
				const struct store_app *a, const struct store_app_event *ev,
				int64_t now, struct yerr *e)
{
	int64_t at = 0;

	if (ev->action != NULL && strcmp(ev->action, "accept") == 0)
		return now;
	if (store_query_int(c,
			    "SELECT max(at) FROM application_history WHERE district = ? AND "
			    "application_id = ? AND action = 'accept'",
			    (struct store_param[]){SP_TEXT(district), SP_INT(a->id)}, 2, 0, &at,
			    e) < 0)
		return -1;
	return at;
}

/* The matter (事项): the industry's name as the frozen notice has it. */
static json_t *case_matter(const struct store_app *a)
{
	json_t *notice = a->notice ? json_loads(a->notice, 0, NULL) : NULL;
	const char *name =
	    json_string_value(json_object_get(json_object_get(notice, "industry"), "name"));
	json_t *out = json_string(name && *name ? name : a->industry);

	json_decref(notice);
	return out;
}

static bool app_decided(enum app_status s)
{
	return s == APP_APPROVED || s == APP_REJECTED || s == APP_REFUSED || s == APP_WITHDRAWN;
}

int event_app_transition(struct store_conn *c, const char *district, const struct store_app *a,
			 const struct store_app_event *ev, int64_t now, struct yerr *e)
{
	const char *kinds[3];
	size_t nk = 0;
	json_t *data, *applicant;
	int64_t accepted;
	int rc = 0;

	if (ev->to == APP_SUBMITTED && ev->from != APP_SUBMITTED)
		kinds[nk++] = "application.submitted";
	if (ev->action != NULL && strcmp(ev->action, "accept") == 0)
		kinds[nk++] = "application.accepted";
	if (app_decided(ev->to) && ev->from != ev->to)
		kinds[nk++] = "application.decided";
	if (nk == 0)
		return 0;
	/* A decision may go on to cancel a license in the same transaction
	 * (app_life_on_approved), which takes the license_events lock after this
	 * event took "events": take license_events first, so every transaction
	 * takes the two in the same order (store_events.h) and PostgreSQL never
	 * finds them waiting on each other. */
	if ((rc = store_lock_key(c, "license_events", district, e)) < 0)
		return rc;
	if ((applicant = case_applicant(c, district, a, e)) == NULL)
		return -1;
	if ((accepted = case_accepted_at(c, district, a, ev, now, e)) < 0) {
		json_decref(applicant);
		return -1;
	}
	data = json_pack(
	    "{s:s,s:I,s:o,s:s,s:o,s:s,s:s,s:s,s:o,s:o,s:o}", "case_no", a->number, "application_id",
	    (json_int_t)a->id, "matter", case_matter(a), "industry", a->industry, "applicant",
	    applicant, "status", workflow_status_name(ev->to), "status_label",
	    workflow_status_label(ev->to), "action", ev->action ? ev->action : "", "submitted_at",
	    a->submitted_at > 0 ? json_integer(a->submitted_at) : json_null(), "accepted_at",
	    accepted > 0 ? json_integer(accepted) : json_null(), "completed_at",
	    app_decided(ev->to) ? json_integer(a->decided_at > 0 ? a->decided_at : now)
				: json_null());
	if (data == NULL)
		return yerr_set(e, 500, "out_of_memory", NULL, "内存不足");
	/* result: what the case ended with, null while it is open */
	json_object_set_new(data, "result",
			    app_decided(ev->to) ? json_string(workflow_status_name(ev->to))
						: json_null());
	for (size_t i = 0; rc == 0 && i < nk; i++)
		rc = event_emit(c, district, kinds[i], a->number, data, e);
	json_decref(data);
	return rc;
}

int event_license(struct store_conn *c, const char *district, const struct store_license_event *ev,
		  struct yerr *e)
{
	static const char *const map[][2] = {
	    {"issue", "license.issued"},      {"version", "license.changed"},
	    {"suspend", "license.suspended"}, {"reinstate", "license.reinstated"},
	    {"revoke", "license.revoked"},    {"cancel", "license.cancelled"},
	};
	struct store_result *res = NULL;
	const char *kind = NULL;
	json_t *data;
	int rc;

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i][0], ev->kind) == 0)
			kind = map[i][1];
	if (kind == NULL)
		return 0;
	/* The holder as the license names it: an entity, never a person's ID. */
	rc = store_exec(
	    c,
	    "SELECT holder_name, holder_uscc, industry, industry_name, valid_from, "
	    "valid_until, issued_on FROM licenses WHERE district = ? AND number = ? AND "
	    "version = ?",
	    (struct store_param[]){SP_TEXT(district), SP_TEXT(ev->number), SP_INT(ev->version)}, 3,
	    &res, e);
	if (rc < 0)
		return rc;
	data = json_pack("{s:s,s:i,s:s,s:s?,s:s?}", "number", ev->number, "version", ev->version,
			 "status", ev->status, "reason", ev->reason, "basis", ev->basis);
	if (data != NULL && res->rows > 0)
		json_object_update_new(
		    data,
		    json_pack("{s:{s:s?,s:s?},s:s?,s:s?,s:s?,s:s?,s:s?}", "holder", "name",
			      store_cell(res, 0, 0), "uscc", store_cell(res, 0, 1), "industry",
			      store_cell(res, 0, 2), "industry_name", store_cell(res, 0, 3),
			      "valid_from", store_cell(res, 0, 4), "valid_until",
			      store_cell(res, 0, 5), "issued_on", store_cell(res, 0, 6)));
	store_result_free(res);
	if (data == NULL)
		return yerr_set(e, 500, "out_of_memory", NULL, "内存不足");
	rc = event_emit(c, district, kind, ev->number, data, e);
	json_decref(data);
	return rc;
}

int event_supervision(struct store_conn *c, const char *district, const char *kind, const char *ref,
		      json_t *detail, struct yerr *e)
{
	const char *ek = NULL;

	if (strcmp(kind, "penalty") == 0)
		ek = "penalty.decided";
	else if (strcmp(kind, "abnormal_in") == 0)
		ek = "abnormal_list.added";
	else if (strcmp(kind, "abnormal_out") == 0)
		ek = "abnormal_list.removed";
	if (ek == NULL)
		return 0;
	return event_emit(c, district, ek, ref, detail, e);
}
