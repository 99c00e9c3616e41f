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

/* lic-keys: the license's public keys (issue 12) */
/* h_keys.c */
void h_keys_json(struct req *r);
/* licenses (issue 12, lic-core) */
/* h_licenses.c */
void h_license_issue(struct req *r);
void h_license_get(struct req *r);
void h_license_pdf(struct req *r);
void h_license_qr(struct req *r);
void h_license_verify(struct req *r);
void h_license_suspend(struct req *r);
void h_license_reinstate(struct req *r);
void h_license_revoke(struct req *r);
/* license: hand-over, export, disclosure, 亮证 (issue 12, lic-public) */
/* h_license_public.c */
void h_licenses_list(struct req *r);
void h_licenses_export(struct req *r);
void h_license_handover_get(struct req *r);
void h_license_handover_create(struct req *r);
void h_public_licenses(struct req *r);
/* h_license_display.c */
void h_license_display_get(struct req *r);
void h_license_display_set(struct req *r);
void h_public_license_display(struct req *r);
/* lic-life: h_entities.c (the registration link) */
void h_entity_get(struct req *r);
void h_entity_put(struct req *r);
/* sup-core (issue 13): registers and the 互联网+监管 export */
/* h_supervision.c */
void h_sup_entities(struct req *r);
void h_sup_check_items(struct req *r);
void h_sup_export(struct req *r);
/* h_sup_inspectors.c */
void h_sup_inspectors_list(struct req *r);
void h_sup_inspector_get(struct req *r);
void h_sup_inspector_create(struct req *r);
void h_sup_inspector_update(struct req *r);
void h_sup_conflicts_list(struct req *r);
void h_sup_conflict_declare(struct req *r);
void h_sup_conflict_withdraw(struct req *r);
/* sup-complaints: complaints and risk signals (issue 13) */
/* h_complaints.c */
void h_complaint_entities(struct req *r);
void h_complaint_file(struct req *r);
void h_complaint_lookup(struct req *r);
void h_complaints_list(struct req *r);
void h_complaint_get(struct req *r);
void h_complaint_accept(struct req *r);
void h_complaint_transfer(struct req *r);
void h_complaint_close(struct req *r);
/* h_risk.c */
void h_risk_list(struct req *r);
void h_risk_entity(struct req *r);

/* sup-plans: spot-check plans, draws, check tasks (issue 13) */
/* h_plans.c */
void h_plan_create(struct req *r);
void h_plans_list(struct req *r);
void h_plan_get(struct req *r);
void h_plan_preview(struct req *r);
/* h_plan_draw.c */
void h_plan_freeze(struct req *r);
void h_plan_draw(struct req *r);
void h_draws_list(struct req *r);
void h_draw_get(struct req *r);
void h_draw_record(struct req *r);
/* h_checks.c */
void h_checks_list(struct req *r);
void h_check_get(struct req *r);
void h_check_result(struct req *r);
void h_check_publish(struct req *r);
void h_results_public(struct req *r);
/* sup-credit: credit, penalties, annual reports, abnormal list, commitment
 * verification (issue 13 points 5–8) */
/* h_credit.c */
void h_credit_rules(struct req *r);
void h_credit_get(struct req *r);
void h_credit_mine(struct req *r);
void h_credit_record_create(struct req *r);
/* h_penalties.c */
void h_penalty_create(struct req *r);
void h_penalties_public(struct req *r);
/* h_annual_reports.c */
void h_annual_report_form(struct req *r);
void h_annual_report_create(struct req *r);
void h_annual_reports_public(struct req *r);
void h_abnormal_list_public(struct req *r);
void h_credit_job_run(struct req *r);
/* h_verifications.c */
void h_verification_record(struct req *r);
/* share-exempt: h_trust.c (跨地区互认) */
void h_trusted_keys_json(struct req *r);

/* share-reads (issue 14): shared reads by uscc, the access log, a token's
   sharing settings — h_shared.c, h_shared_log.c */
void h_shared_licenses(struct req *r);
void h_shared_annual_reports(struct req *r);
void h_shared_penalties(struct req *r);
void h_shared_credit(struct req *r);
void h_shared_applications(struct req *r);
void h_shared_inspections(struct req *r);
void h_shared_access_log(struct req *r);
void h_shared_access_log_csv(struct req *r);
void h_shared_purposes(struct req *r);
void h_token_sharing_set(struct req *r);
/* share-events: h_events.c */
void h_subscriptions_list(struct req *r);
void h_subscription_create(struct req *r);
void h_subscription_get(struct req *r);
void h_subscription_update(struct req *r);
void h_subscription_deliveries(struct req *r);
void h_delivery_redeliver(struct req *r);
void h_shared_cases(struct req *r);
/* stats-ui (issue 15): h_report.c, the monthly report PDF */
void h_statistics_report_monthly(struct req *r);

/* stats-api (issue 15) — h_statistics.c */
void h_statistics_overview(struct req *r);
void h_statistics_overview_csv(struct req *r);
void h_statistics_overview_xlsx(struct req *r);
void h_statistics_view(struct req *r);

/* stats-ratings: ratings (好差评), 差评整改 follow-ups and typical cases
 * (issue 15 points 2 and 3) */
/* h_ratings.c */
void h_rating_get(struct req *r);
void h_rating_create(struct req *r);
void h_followups_list(struct req *r);
void h_followup_get(struct req *r);
void h_followup_reply(struct req *r);
/* h_typical_cases.c */
void h_case_create(struct req *r);
void h_cases_list(struct req *r);
void h_case_get(struct req *r);
void h_case_update(struct req *r);
void h_case_publish(struct req *r);
void h_case_unpublish(struct req *r);
void h_cases_public(struct req *r);
void h_case_public(struct req *r);

#endif
