/*
 * store_plans.h — spot-check plans, their frozen draw inputs, draws and
 * check tasks (issue 13, 双随机、一公开; migration 0031_spot_checks.sql,
 * docs/api-supervision.md "Plans"). Every function runs inside the caller's
 * transaction (or on a plain connection for reads) and answers plain
 * structs; JSON columns are handed over as text for the handler to parse.
 */
#ifndef YIYE_STORE_PLANS_H
#define YIYE_STORE_PLANS_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "store/store.h"

#define PLAN_CODE_MAX 64

/* A plan as stored; the char * members are owned (store_plan_free). */
struct store_plan {
	int64_t id;
	char code[PLAN_CODE_MAX];
	char status[8];
	char period_from[11], period_to[11];
	int per_check;
	char *title, *departments, *industries, *grades, *streets, *ratios, *check_items,
	    *targeted;                              /* JSON text but title */
	char *commitment, *secret_sha256, *summary; /* NULL before the freeze */
	int64_t created_by, created_at, frozen_at, updated_at;
	int64_t draw_id; /* 0 before the draw */
};
void store_plan_free(struct store_plan *p);
void store_plans_free(struct store_plan *p, int n);

/* What a new plan holds (JSON members as text). */
struct store_plan_in {
	const char *title, *departments, *industries, *grades, *streets, *ratios, *check_items,
	    *targeted, *period_from, *period_to;
	int per_check;
};

/* Inserts a draft plan with the district's next code ("310104-2026-001",
 * year from `year`); *id and code receive what was given. */
int store_plan_insert(struct store_conn *c, const char *district, const struct store_plan_in *in,
		      int year, int64_t by, int64_t now, int64_t *id, char code[PLAN_CODE_MAX],
		      struct yerr *err);
/* 404 plan_not_found. for_update locks the row (the freeze and the draw). */
int store_plan_get(struct store_conn *c, const char *district, int64_t id, int for_update,
		   struct store_plan *out, struct yerr *err);
/* Plans naming department (NULL: every plan), newest first. */
int store_plans_list(struct store_conn *c, const char *district, const char *department, int limit,
		     int offset, struct store_plan **out, int *n, int64_t *total, struct yerr *err);

/* A licensed entity of a plan's scope (owned strings). */
struct store_scope_entity {
	char uscc[24];
	char grade[2];
	char *name, *industry, *address;
};
void store_scope_free(struct store_scope_entity *e, size_t n);
/* The licensed entities of district (a current license version whose status
 * is not cancelled, revoked or superseded), one row per uscc (the industry of
 * its newest such license), in uscc order, with their credit grade. */
int store_scope_entities(struct store_conn *c, const char *district,
			 struct store_scope_entity **out, size_t *n, struct yerr *err);
/* The credit grade of uscc ("A" when it has none). */
int store_plans_grade_of(struct store_conn *c, const char *district, const char *uscc,
			 char grade[2], struct yerr *err);

/* An active inspector of a department. */
struct store_plan_inspector {
	int64_t user_id;
	char id[24]; /* user id in decimal: the draw's inspector id */
	char department[32];
	char name[192];
};
/* Active inspectors of department, in user id order (appended to *out). */
int store_plan_inspectors(struct store_conn *c, const char *district, const char *department,
			  struct store_plan_inspector **out, size_t *n, struct yerr *err);
/* A declared conflict of interest (inspector user id, uscc). */
struct store_plan_conflict {
	char inspector[24];
	char uscc[32];
};
/* The conflicts declared by inspectors of the departments (JSON array text). */
int store_plan_conflicts(struct store_conn *c, const char *district, const char *departments_json,
			 struct store_plan_conflict **out, size_t *n, struct yerr *err);

/* Freezes a draft plan: 409 plan_not_draft when it is not one. */
int store_plan_freeze(struct store_conn *c, const char *district, int64_t id,
		      const char *commitment, const char *secret_sha256, const char *summary,
		      const char *inputs, const char *secret_hex, int64_t by, int64_t now,
		      struct yerr *err);
/* The frozen inputs and the secret (both owned; the secret NULL after the draw). */
int store_plan_inputs(struct store_conn *c, const char *district, int64_t id, char **inputs,
		      char **secret_hex, struct yerr *err);

/* Records the draw of a frozen plan, marks it drawn and forgets the secret
 * (the record carries it): 409 plan_not_frozen. */
int store_draw_insert(struct store_conn *c, const char *district, int64_t plan_id,
		      const char *public_value, const char *source, const char *record, int checks,
		      int64_t by, int64_t now, int64_t *draw_id, struct yerr *err);
struct store_draw {
	int64_t id, plan_id, drawn_at;
	int checks;
	char plan_code[PLAN_CODE_MAX];
	char *public_value, *public_source, *record, *plan_title; /* owned */
};
void store_draw_free(struct store_draw *d);
/* 404 draw_not_found; with_record 0 leaves record NULL. */
int store_draw_get(struct store_conn *c, const char *district, int64_t id, int with_record,
		   struct store_draw *out, struct yerr *err);
int store_draws_list(struct store_conn *c, const char *district, int limit, int offset,
		     struct store_draw **out, int *n, int64_t *total, struct yerr *err);

/* check tasks ---------------------------------------------------------------- */

#define TASK_MAX_INSPECTORS 16

struct store_check_inspector {
	int64_t user_id;
	char department[32];
};

struct store_check {
	int64_t id, plan_id, draw_id, parent_id;
	char kind[12], status[8], uscc[24], grade[2], due_on[11], done_on[11], publish_due[11];
	char outcome[12];
	char plan_code[PLAN_CODE_MAX];
	char *entity_name, *industry, *reason, *check_items, *results, *notes; /* owned */
	int64_t done_at, done_by, published_at, created_at;
	size_t ninspectors;
	struct store_check_inspector inspectors[TASK_MAX_INSPECTORS];
};
void store_check_free(struct store_check *t);
void store_checks_free(struct store_check *t, int n);

struct store_check_in {
	int64_t plan_id, draw_id, parent_id; /* 0: none */
	const char *kind, *uscc, *entity_name, *industry, *grade, *reason, *check_items, *due_on;
	size_t ninspectors;
	struct store_check_inspector inspectors[TASK_MAX_INSPECTORS];
};
int store_check_insert(struct store_conn *c, const char *district, const struct store_check_in *in,
		       int64_t now, int64_t *id, struct yerr *err);
/* 404 task_not_found. */
int store_check_get(struct store_conn *c, const char *district, int64_t id, int for_update,
		    struct store_check *out, struct yerr *err);

/* Which tasks a list shows. */
struct store_check_filter {
	int64_t inspector;      /* > 0: tasks this user inspects */
	const char *department; /* non-NULL: tasks of plans naming it */
	int64_t plan_id;        /* > 0: of this plan */
	int published_only;     /* the public list */
	const char *uscc;       /* non-NULL: of this entity */
};
int store_checks_list(struct store_conn *c, const char *district,
		      const struct store_check_filter *f, int limit, int offset,
		      struct store_check **out, int *n, int64_t *total, struct yerr *err);

/* Records the result of an open task: 409 task_done otherwise. */
int store_check_result(struct store_conn *c, const char *district, int64_t id, const char *outcome,
		       const char *results, const char *notes, const char *done_on,
		       const char *publish_due, int64_t by, int64_t now, struct yerr *err);
/* Publishes a done task's result: 409 task_not_done / already_published. */
int store_check_publish(struct store_conn *c, const char *district, int64_t id, int64_t now,
			struct yerr *err);

/* Appends a publishable supervision event (supervision_events of sup-core
 * once it is merged; until then nothing). */
int store_plans_event(struct store_conn *c, const char *district, const char *kind, const char *ref,
		      const char *detail, struct yerr *err);

#endif
