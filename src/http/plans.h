/*
 * plans.h — what h_plans.c, h_plan_draw.c and h_checks.c share (issue 13,
 * 双随机、一公开; docs/api-supervision.md "Plans").
 */
#ifndef YIYE_HTTP_PLANS_H
#define YIYE_HTTP_PLANS_H

#include <jansson.h>

#include "core/draw.h"
#include "http/args.h"
#include "http/handlers.h"
#include "store/store_plans.h"

/* Results are published within 20 working days of being recorded. */
#define PLAN_PUBLISH_DAYS 20

/* A draw_plan built from a plan's inputs document
 * {"entities":[{"id","grade","industry","street","name"}],
 *  "inspectors":[{"id","department","name"}],"conflicts":[{"inspector","entity"}]}:
 * strings point into inputs and p (keep both alive). */
struct plan_draw {
	json_t *inputs;
	json_t *departments;
	struct draw_plan plan;
	struct draw_entity *entities;
	struct draw_inspector *inspectors;
	struct draw_conflict *conflicts;
	const char **depts;
};
void plan_draw_free(struct plan_draw *d);

/* The inputs document of plan p as the database holds its scope now. */
int plan_inputs_now(struct store_conn *c, const char *district, const struct store_plan *p,
		    json_t **inputs, struct yerr *e);
/* Fills d from inputs (stolen) and p; secret_sha256 may be NULL (preview). */
int plan_draw_from(const struct store_plan *p, json_t *inputs, const char *secret_sha256,
		   struct plan_draw *d, struct yerr *e);

/* 1 when the caller is a supervisor of one of the plan's departments
 * (departments: JSON array text). */
int plan_concerns_me(const struct req *r, const char *departments);
json_t *plan_json(const struct store_plan *p);
/* 404 plan_not_found for a bad id or a plan of other departments (403). */
int plan_load(struct req *r, struct store_conn *c, int for_update, struct store_plan *p,
	      struct yerr *e);

#endif
