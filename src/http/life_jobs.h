/*
 * life_jobs.h — what the registration link and the daily expiry job do
 * (issue 12, points 8 and 9), shared by the API (h_entities.c), the
 * command line (yiye entities import, yiye licenses expire) and the
 * server's periodic thread (catalog_watch.c). Each function works inside
 * the caller's transaction on one connection; no request needed.
 */
#ifndef YIYE_HTTP_LIFE_JOBS_H
#define YIYE_HTTP_LIFE_JOBS_H

#include <stdbool.h>
#include <stdint.h>

#include "app.h"
#include "store/store_license_life.h"

/*
 * life_entity_parse reads an entity from JSON object o (a PUT body, or a
 * line of the market-registration export): "name" (required, <= 200
 * characters), "legal_rep" (<= 50), "address" (<= 200), "status"
 * ("registered" default, or "deregistered"), and "uscc" when uscc is NULL
 * (an import line; the path gives it otherwise). The credit code must pass
 * GB 32100's check (400 invalid_uscc). keys lists the members allowed (400
 * unknown_field otherwise). source goes into e->source.
 */
int life_entity_parse(const json_t *o, const char *uscc, const char *const *keys,
		      const char *source, struct store_entity *e, struct yerr *err);

/* What one entity update did. */
struct life_entity_result {
	bool created, changed;
	int needs_change; /* licenses whose holder data now differ: holder + issuers told */
	int deregistered; /* licenses flagged for cancellation: holder + issuers told */
};

/*
 * life_entity_apply writes entity e (store_entity_put) and, when it
 * changed, compares it with every current license (valid or suspended) the
 * entity holds: a license whose holder name, legal representative or
 * address differs gets a notification to its holder and to the district's
 * issuers naming it and what differs (it then shows the flag needs_change);
 * when the entity is deregistered, each license is flagged deregistered and
 * the same people are told to cancel it. Nothing is sent when nothing
 * changed (a re-import is silent).
 */
int life_entity_apply(struct store_conn *c, const char *district, struct store_entity *e,
		      int64_t now, struct life_entity_result *out, struct yerr *err);

/* What one expiry run did. */
struct life_expiry_result {
	bool ran;     /* false: it had already run that day (not forced) */
	int expired;  /* licenses marked expired */
	int notice30; /* 30-day notices sent */
	int notice7;  /* 7-day notices sent */
};

/*
 * life_expiry_run is the daily job of one district on day `today`
 * (date.h day number) in its own transaction on a connection of app's
 * store: claims the day (store_job_claim; force: run even if it ran),
 * marks every current valid license whose valid_until is before today
 * `expired` (event expire, actor system) and tells its holder, and sends
 * each holder of a license expiring within 30 days the 30-day notice and
 * within 7 days the 7-day notice, each exactly once per license and term
 * (license_notices). Safe with several nodes: the claim's lock serialises
 * them and the notice rows are unique.
 */
int life_expiry_run(struct app *app, const char *district, int today, bool force,
		    struct life_expiry_result *out, struct yerr *err);

/* An audit entry written by a job or the command line (client "cli") in
 * c's transaction: the entry commits with what it records. */
int life_audit(struct store_conn *c, const char *district, const char *actor, const char *action,
	       const char *object, const char *detail, struct yerr *err);

/* The day the server takes as today: YIYE_TODAY (app->cfg.today) or
 * Shanghai's. */
int life_today(const struct app *app);

#endif
