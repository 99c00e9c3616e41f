/*
 * store_credit.h — SQL of credit supervision (issue 13 points 5–8; migration
 * 0032_credit.sql; docs/api-supervision.md "Credit"): credit records and
 * grades (this file's first half, shared with the other supervision parts),
 * penalties, annual reports, the abnormal list and verification results
 * (store_sanction.c).
 *
 * Like every store module: the caller's connection and transaction, the
 * district a parameter, no audit entry, 0 or a negative STORE_E* code with
 * err filled.
 */
#ifndef YIYE_STORE_CREDIT_H
#define YIYE_STORE_CREDIT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* A new credit record. */
struct credit_record_in {
	const char *uscc;       /* the entity */
	const char *kind;       /* credit.h name: penalty, abnormal_list, failed_check,
				   broken_commitment, revocation, complaint_substantiated, manual */
	const char *ref;        /* what it is about: decision number, license number … */
	const char *department; /* the department that recorded it, may be NULL */
	const char *severity;   /* penalty / manual: minor | general | serious; else NULL */
	const char *summary;    /* one line in Chinese shown with the record, may be NULL */
	const char *detail;     /* JSON object text, NULL = "{}" */
	int day;                /* date.h day of the fact (a penalty's decision day) */
	int today;              /* date.h today: the grade is computed for it */
	int64_t created_by;     /* user id, 0: the system */
	int64_t now;            /* unix seconds */
	int64_t *id_out;        /* the new record's id, may be NULL */
};

/*
 * credit_record_add stores the record (points and expiry from the rule
 * table of core/credit.c) and recomputes the entity's grade in the same
 * transaction; when the grade changes it is stored, a history row added and
 * a `credit_grade` supervision event appended. 400 invalid_kind /
 * invalid_severity for names the rule table does not have.
 */
int credit_record_add(struct store_conn *c, const char *district, const struct credit_record_in *in,
		      struct yerr *e);

/* The entity's grade now ("A" when it has no row). */
int credit_grade_of(struct store_conn *c, const char *district, const char *uscc, char grade[2],
		    struct yerr *e);

/*
 * credit_grade_recompute decides the grade of uscc on today from its
 * records and stores it when it changed (history row + event; cause names
 * what triggered it). changed may be NULL.
 */
int credit_grade_recompute(struct store_conn *c, const char *district, const char *uscc, int today,
			   const char *cause, int64_t now, bool *changed, struct yerr *e);

/* Clears the abnormal_list record(s) of ref (the entry's id as text) on
 * day, then recomputes (the entity filed). */
int credit_record_clear(struct store_conn *c, const char *district, const char *uscc,
			const char *kind, const char *ref, int day, int today, int64_t now,
			struct yerr *e);

/* Recomputes every entity whose grade is not A (records may have expired
 * since): the daily job. *changed counts the grades that moved. */
int credit_recompute_all(struct store_conn *c, const char *district, int today, int64_t now,
			 int *changed, struct yerr *e);

/*
 * credit_page builds the entity's credit page as JSON (*out, new reference):
 *   {"uscc","grade","label","since","explanation":{…credit_grade_compute…},
 *    "records":[every record, newest first, with "in_force"],
 *    "history":[{"from","to","day","cause"}]}
 * The explanation is computed for today from the records (it is what the
 * stored grade was computed from, or what the daily job will store).
 */
int credit_page(struct store_conn *c, const char *district, const char *uscc, int today,
		json_t **out, struct yerr *e);

/* ---- entities, penalties, annual reports, abnormal list, verification
 * results (store_sanction.c) ---- */

/* The name of the entity uscc: its entities row, else the holder name of its
 * newest license. 404 entity_not_found when the district knows neither. */
int credit_entity_name(struct store_conn *c, const char *district, const char *uscc, char *name,
		       size_t namesz, struct yerr *e);
/* The uscc of entity id (an applicant's entity); "" when it has none yet. */
int credit_entity_uscc(struct store_conn *c, const char *district, int64_t entity_id, char uscc[32],
		       struct yerr *e);
/* The entities a user may act for as holder: their account's entity (when
 * it has a code) and the holders of the licenses issued to the account,
 * sorted (*out malloc'd, plain free). */
int credit_holder_usccs(struct store_conn *c, const char *district, int64_t user_id,
			int64_t entity_id, char (**out)[32], size_t *n, struct yerr *e);
/* The industry of the entity's newest current license ("" when none) and
 * whether it holds a license in force (not revoked/cancelled/superseded). */
int credit_entity_industry(struct store_conn *c, const char *district, const char *uscc,
			   char industry[64], bool *licensed, struct yerr *e);

/* 行政处罚决定. Strings * malloc'd (free with penalties_free). */
struct penalty {
	int64_t id;
	char decision_no[64];
	char uscc[32];
	char *entity_name, *facts, *basis; /* * */
	char department[64];
	char kind[32];
	int64_t amount;
	char decided_on[16];
	char license_number[64]; /* "" none */
	int64_t created_by, created_at;
};
void penalties_free(struct penalty *items, size_t n);

/* Inserts p (p->id filled). 409 decision_exists when the decision number is
 * taken in the district. */
int penalty_insert(struct store_conn *c, const char *district, struct penalty *p, struct yerr *e);
/* Penalties, newest decision first; uscc / department NULL: any. */
int penalty_list(struct store_conn *c, const char *district, const char *uscc,
		 const char *department, long limit, long offset, struct penalty **items, size_t *n,
		 int64_t *total, struct yerr *e);

/* 年度报告. */
struct annual_report {
	int64_t id;
	char uscc[32];
	char *entity_name, *fields, *public_fields; /* * (JSON text) */
	int year;
	char industry[64];
	char filed_on[16];
	bool late;
	int64_t filed_at;
};
void annual_reports_free(struct annual_report *items, size_t n);
/* 409 report_exists when the entity filed for that year. */
int annual_report_insert(struct store_conn *c, const char *district, struct annual_report *a,
			 int64_t by, struct yerr *e);
/* Reports of year (0: any) and uscc (NULL: any), newest first. */
int annual_report_list(struct store_conn *c, const char *district, int year, const char *uscc,
		       long limit, long offset, struct annual_report **items, size_t *n,
		       int64_t *total, struct yerr *e);

/* 经营异常名录 entry. */
struct abnormal_entry {
	int64_t id;
	char uscc[32];
	char entity_name[256];
	int year;
	char reason[256];
	char listed_on[16];
	char removed_on[16]; /* "" while listed */
	char removed_reason[256];
};
/* Entries; current_only: not removed. uscc NULL: any. *items malloc'd
 * (plain free). */
int abnormal_list_read(struct store_conn *c, const char *district, const char *uscc,
		       bool current_only, long limit, long offset, struct abnormal_entry **items,
		       size_t *n, int64_t *total, struct yerr *e);

/*
 * abnormal_list_overdue lists every entity holding a license in force that
 * was issued before `year`+1 (so it was licensed during year) and has not
 * filed its report for year, nor been listed for it: the 1 July job lists
 * them. *usccs malloc'd array of 32-byte codes.
 */
int abnormal_list_overdue(struct store_conn *c, const char *district, int year, char (**usccs)[32],
			  size_t *n, struct yerr *e);
/* Lists uscc for year (idempotent: *added false when already listed) with
 * its abnormal_list credit record and an abnormal_in event. */
int abnormal_list_add(struct store_conn *c, const char *district, const char *uscc, int year,
		      int today, int64_t now, bool *added, struct yerr *e);
/* Removes uscc's current entry for year if any (it filed): clears the credit
 * record, recomputes the grade, abnormal_out event. *removed may be NULL. */
int abnormal_list_remove(struct store_conn *c, const char *district, const char *uscc, int year,
			 const char *reason, int today, int64_t now, bool *removed, struct yerr *e);

/* Claims the credit job of day for the district (one node does it): *claimed
 * false when a row exists already. */
int credit_job_claim(struct store_conn *c, const char *district, const char *day, int64_t now,
		     bool *claimed, struct yerr *e);

/* A verification task (核查) of a 告知承诺 approval: the tasks row of kind
 * verification (applications module), locked. 404 task_not_found. */
struct verification_task {
	int64_t id, application_id;
	char department[64], permit[64], state[16], app_number[64];
};
int verification_task_get(struct store_conn *c, const char *district, int64_t task_id,
			  struct verification_task *out, struct yerr *e);

/* A verification result (核查). Closes the task. 409 already_verified when the task has one. */
int verification_result_insert(struct store_conn *c, const char *district, int64_t task_id,
			       int64_t app_id, const char *result, const char *note,
			       const char *license_number, int64_t inspector_id, int64_t now,
			       struct yerr *e);

#endif
