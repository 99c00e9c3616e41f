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

#endif
