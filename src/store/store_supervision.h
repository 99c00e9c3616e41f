/*
 * store_supervision.h — SQL of the shared supervision base (issue 13): the
 * publishable event log (supervision_events) every supervision part appends
 * to, the inspector register and the declared conflicts of interest.
 *
 * Like every store module, functions run on a connection the caller
 * acquired; a change runs inside the caller's transaction (no begin or
 * commit here, no audit entry). Reads return plain structs; the HTTP layer
 * builds the API JSON (docs/api-supervision.md). Returns 0, or a negative
 * STORE_E* code with err filled.
 */
#ifndef YIYE_STORE_SUPERVISION_H
#define YIYE_STORE_SUPERVISION_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* ---- the event log ---- */

/* Appends one publishable record to the district's supervision event log,
 * stamped now. kind: plan_frozen, draw, result, penalty, abnormal_in,
 * abnormal_out, credit_grade, complaint_closed, annual_report (or a kind a
 * part documents); ref: the record's id in its part ("" when none); detail:
 * a JSON object as it is to be published (NULL: {}), borrowed — a string
 * member "uscc" names the entity concerned and is indexed. The seq is
 * allocated under a per-district lock held until the caller's transaction
 * ends, so events commit in seq order and the export never skips one. Call
 * it late in the transaction: after the part's own row locks and after any
 * license event (store_license_event_add), just before the audit entry —
 * two transactions taking the license and supervision event locks in
 * opposite orders would deadlock on PostgreSQL. */
int sup_event_append(struct store_conn *c, const char *district, const char *kind, const char *ref,
		     json_t *detail, struct yerr *e);
/* The same, answering the seq it was given (may be NULL). */
int sup_event_append_seq(struct store_conn *c, const char *district, const char *kind,
			 const char *ref, json_t *detail, int64_t *seq, struct yerr *e);

struct sup_event {
	int64_t seq;
	char kind[32];
	char *ref;
	char uscc[32]; /* "" when none */
	char *detail;  /* JSON object text */
	int64_t at;
};

/* Events of district with seq > after, in seq order, at most limit (1…1000;
 * other values: 100). */
int sup_events_after(struct store_conn *c, const char *district, int64_t after, long limit,
		     struct sup_event **items, size_t *n, struct yerr *e);
void sup_events_free(struct sup_event *items, size_t n);

/* ---- the inspector register ---- */

struct sup_inspector {
	int64_t user_id;
	char username[64];
	char display_name[128];
	char department[64];
	char *qualifications; /* JSON array of strings */
	bool active;
	char *note; /* NULL when none */
	int64_t created_at;
	int64_t updated_at;
	int conflicts; /* declared, not withdrawn */
};

/* What sup_inspector_put writes. */
struct sup_inspector_in {
	int64_t user_id;
	const char *department;
	const char *qualifications; /* JSON array text; NULL keeps (or [] on insert) */
	int active;                 /* 0/1; -1 keeps (1 on insert) */
	const char *note;           /* NULL keeps */
	int64_t actor_id;
	int64_t now;
};

/* Adds or changes the register row of in->user_id. The user must be an
 * active account of the district holding the inspector role and belonging
 * to in->department (404 user_not_found, 422 not_inspector,
 * department_mismatch); in->department NULL keeps it (required on insert). *created tells which
 * (may be NULL). */
int sup_inspector_put(struct store_conn *c, const char *district, const struct sup_inspector_in *in,
		      bool *created, struct yerr *e);
/* One row (404 inspector_not_found); lock: FOR UPDATE. */
int sup_inspector_get(struct store_conn *c, const char *district, int64_t user_id, bool lock,
		      struct sup_inspector *out, struct yerr *e);
/* The register, by department then user id. department NULL: all; active_only:
 * only active rows. */
int sup_inspectors_list(struct store_conn *c, const char *district, const char *department,
			bool active_only, struct sup_inspector **items, size_t *n, struct yerr *e);
/* The active inspectors of departments[0..ndep) (the pool a draw uses), by
 * user id. */
int sup_inspectors_active(struct store_conn *c, const char *district,
			  const char *const *departments, size_t ndep, struct sup_inspector **items,
			  size_t *n, struct yerr *e);
void sup_inspector_free(struct sup_inspector *i);
void sup_inspectors_free(struct sup_inspector *items, size_t n);

/* ---- conflicts of interest ---- */

struct sup_conflict {
	int64_t id;
	int64_t user_id;
	char department[64]; /* the inspector's department */
	char uscc[32];
	char *reason;
	int64_t declared_at;
	int64_t withdrawn_at; /* 0: standing */
};

/* The inspector declares a conflict with the entity uscc (a declaration
 * withdrawn before is declared again; a standing one: 409
 * conflict_exists). The user must be in the register (404
 * inspector_not_found). */
int sup_conflict_declare(struct store_conn *c, const char *district, int64_t user_id,
			 const char *uscc, const char *reason, int64_t now,
			 struct sup_conflict *out, struct yerr *e);
/* Withdraws declaration id of user_id (404 conflict_not_found). */
int sup_conflict_withdraw(struct store_conn *c, const char *district, int64_t user_id, int64_t id,
			  int64_t now, struct yerr *e);
/* Conflicts of a scope: the standing conflicts of the inspectors of
 * departments[0..ndep) (ndep 0: every department), or of one inspector when
 * user_id > 0; with_withdrawn adds the withdrawn ones. By user id, uscc. */
int sup_conflicts_scope(struct store_conn *c, const char *district, const char *const *departments,
			size_t ndep, int64_t user_id, bool with_withdrawn,
			struct sup_conflict **items, size_t *n, struct yerr *e);
void sup_conflicts_free(struct sup_conflict *items, size_t n);

/* ---- the entity register ---- */

/* One current license of a registered entity. */
struct sup_entity_license {
	char number[48];
	char industry[64];
	char *industry_name;
	char status[16];      /* valid | suspended | expired */
	char valid_until[16]; /* "" = 长期有效 */
};

/* A licensed entity: one with a license whose current version is not
 * cancelled, revoked or superseded. name, address and street are those of
 * its most recently issued such license. */
struct sup_entity {
	char uscc[32];
	char *name;
	char *address;
	char street[32]; /* the application form's F_site_street value, "" unknown */
	struct sup_entity_license *licenses;
	size_t nlicenses;
};

/* Filters of sup_entities_list; NULL or "" members do not filter. */
struct sup_entity_filter {
	const char *industry; /* has a license of this industry */
	const char *street;   /* F_site_street value */
	const char *q;        /* part of the name, or the start of the uscc */
	const char *uscc;     /* exactly this entity */
};

/* The entity register of district, by uscc. At most SUP_ENTITIES_MAX
 * licenses are read (413 too_many_entities past it: a district has far
 * fewer). */
#define SUP_ENTITIES_MAX 200000
int sup_entities_list(struct store_conn *c, const char *district, const struct sup_entity_filter *f,
		      struct sup_entity **items, size_t *n, struct yerr *e);
void sup_entities_free(struct sup_entity *items, size_t n);

#endif
