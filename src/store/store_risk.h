/*
 * store_risk.h — the risk signals of an entity (issue 13 point 10; rules in
 * core/risk.h, docs/api-supervision.md "Risk signals"): the facts of one
 * entity gathered from the supervision tables, judged by risk_evaluate.
 *
 * Runs on the caller's connection, inside or outside a transaction; reads
 * only.
 */
#ifndef YIYE_STORE_RISK_H
#define YIYE_STORE_RISK_H

#include <jansson.h>
#include <stddef.h>

#include "core/risk.h"
#include "store/store.h"

/*
 * risk_flags answers the flags of the entity with credit code uscc as
 * [{"code","label","cause","since","ref"}] (since "YYYY-MM-DD"; ref the
 * records behind the flag, comma-separated), today being the real day in
 * Asia/Shanghai. An entity with no flag gets []. *flags is a new reference.
 */
int risk_flags(struct store_conn *c, const char *district, const char *uscc, json_t **flags,
	       struct yerr *e);
/* The same on day number today (a handler passes the server's today, which
 * tests set). */
int risk_flags_at(struct store_conn *c, const char *district, const char *uscc, int today,
		  json_t **flags, struct yerr *e);

/* The facts of uscc on today (*facts malloc'd, free()). */
int risk_facts(struct store_conn *c, const char *district, const char *uscc, int today,
	       struct risk_fact **facts, size_t *n, struct yerr *e);

/* The credit codes that may carry a flag on today (a superset: every entity
 * with a fact a rule could fire on), sorted, at most max (*usccs malloc'd
 * array of char[19], free()). */
int risk_candidates(struct store_conn *c, const char *district, int today, size_t max,
		    char (**usccs)[19], size_t *n, struct yerr *e);

/* flags[0..n) as the JSON array of risk_flags. */
json_t *risk_flags_json(const struct risk_flag *flags, size_t n);

#endif
