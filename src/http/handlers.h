/*
 * handlers.h — every request handler, named h_<resource>_<verb>. Each lives
 * in h_<resource>.c.
 */
#ifndef YIYE_HANDLERS_H
#define YIYE_HANDLERS_H

#include "http/http.h"

/* h_system.c */
void h_healthz(struct req *r);
void h_metrics(struct req *r);
void h_openapi(struct req *r);
void h_version(struct req *r);
/* h_validate.c */
void h_validate(struct req *r);
/* h_calendar.c */
void h_calendar_workdays(struct req *r);
void h_calendar_years(struct req *r);
void h_calendar_year_create(struct req *r);

/* accounts, sessions, tokens, audit */
/* h_account.c */
void h_session_create(struct req *r);
void h_session_delete(struct req *r);
void h_me(struct req *r);
void h_me_password(struct req *r);
void h_registration_create(struct req *r);
/* h_users.c */
void h_users_list(struct req *r);
void h_user_create(struct req *r);
void h_user_get(struct req *r);
void h_user_update(struct req *r);
void h_user_password_reset(struct req *r);
/* h_departments.c */
void h_departments_list(struct req *r);
void h_department_create(struct req *r);
void h_department_update(struct req *r);
void h_department_users(struct req *r);
/* h_tokens.c */
void h_token_create(struct req *r);
void h_tokens_list(struct req *r);
void h_token_revoke(struct req *r);
/* h_audit.c */
void h_audit_list(struct req *r);
void h_audit_csv(struct req *r);
/* @@accounts-handlers@@ */

/* catalog and guide */
/* h_catalog.c */
void h_catalog_info(struct req *r);
void h_industries_search(struct req *r);
void h_industry_get(struct req *r);
void h_guide(struct req *r);
/* h_catalog_admin.c */
void h_catalog_versions_list(struct req *r);
void h_catalog_version_create(struct req *r);
void h_catalog_version_document(struct req *r);
void h_catalog_version_diff(struct req *r);
void h_catalog_version_activate(struct req *r);
void h_catalog_proposal_create(struct req *r);
void h_catalog_proposals_list(struct req *r);
void h_catalog_proposal_decide(struct req *r);
/* @@catalog-handlers@@ */

/* applications */
/* h_applications.c */
void h_application_create(struct req *r);
void h_applications_list(struct req *r);
void h_application_get(struct req *r);
void h_application_update(struct req *r);
void h_application_precheck(struct req *r);
void h_application_commitments(struct req *r);
/* h_app_flow.c */
void h_application_submit(struct req *r);
void h_application_resubmit(struct req *r);
void h_application_withdraw(struct req *r);
void h_application_accept(struct req *r);
void h_application_refuse(struct req *r);
void h_application_request_supplement(struct req *r);
/* h_materials.c */
void h_material_put(struct req *r);
void h_material_get(struct req *r);
void h_material_delete(struct req *r);
void h_inspection_photo_put(struct req *r);
void h_inspection_photo_get(struct req *r);
void h_tasks_list(struct req *r);
void h_notifications_list(struct req *r);
void h_notification_read(struct req *r);
void h_notifications_read_all(struct req *r);
/* @@applications-handlers@@ */

/* review, inspection and deadlines (issue 11) */
/* h_reviews.c */
void h_review_decide(struct req *r);
void h_deadlines_list(struct req *r);
/* h_inspection.c */
void h_inspection_schedule(struct req *r);
void h_inspection_result(struct req *r);
void h_inspection_get(struct req *r);
void h_inspection_candidates(struct req *r);
/* @@review-handlers@@ */

#endif
