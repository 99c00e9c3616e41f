/*
 * store_license_life.c — SQL of the license's life (store_license_life.h).
 */
#include "store/store_license_life.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_stats.h"

/* applications.kind / license_number / life_change ----------------------------- */

void store_app_life_free(struct store_app_life *l)
{
	free(l->change);
	l->change = NULL;
}

int store_app_life_set(struct store_conn *c, const char *district, int64_t app_id, const char *kind,
		       const char *license_number, const char *change, struct yerr *err)
{
	int rc =
	    store_exec(c,
		       "UPDATE applications SET kind = ?, license_number = ?, life_change = ? "
		       "WHERE district = ? AND id = ?",
		       (struct store_param[]){
			   SP_TEXT(kind),
			   license_number && license_number[0] ? SP_TEXT(license_number) : SP_NULL,
			   change ? SP_TEXT(change) : SP_NULL, SP_TEXT(district), SP_INT(app_id)},
		       5, NULL, err);

	return rc < 0 ? rc : store_stats_touch(c, district, app_id, err);
}

int store_app_life_get(struct store_conn *c, const char *district, int64_t app_id,
		       struct store_app_life *out, struct yerr *err)
{
	struct store_result *res = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = store_query_row(
	    c,
	    "SELECT kind, license_number, life_change FROM applications WHERE district = ? AND "
	    "id = ?",
	    (struct store_param[]){SP_TEXT(district), SP_INT(app_id)}, 2, &res, 404,
	    "application_not_found", "申请不存在", err);
	if (rc < 0)
		return rc;
	store_cell_copy(res, 0, 0, out->kind, sizeof(out->kind));
	store_cell_copy(res, 0, 1, out->license_number, sizeof(out->license_number));
	out->change = store_cell_dup(res, 0, 2);
	store_result_free(res);
	return 0;
}

int store_app_life_open(struct store_conn *c, const char *district, const char *number,
			int64_t *app_id, struct yerr *err)
{
	/* approved is still open until the issuer has issued (licensed) */
	return store_query_int(c,
			       "SELECT id FROM applications WHERE district = ? AND license_number "
			       "= ? AND status NOT IN ('refused', 'rejected', 'withdrawn', "
			       "'licensed') ORDER BY id LIMIT 1",
			       (struct store_param[]){SP_TEXT(district), SP_TEXT(number)}, 2, 0,
			       app_id, err);
}

/* entities --------------------------------------------------------------------- */

#define ENTITY_COLS "id, uscc, name, legal_rep, address, status, source, created_at, updated_at"

static void entity_from(const struct store_result *res, int row, struct store_entity *e)
{
	e->id = store_cell_int(res, row, 0, 0);
	store_cell_copy(res, row, 1, e->uscc, sizeof(e->uscc));
	store_cell_copy(res, row, 2, e->name, sizeof(e->name));
	store_cell_copy(res, row, 3, e->legal_rep, sizeof(e->legal_rep));
	store_cell_copy(res, row, 4, e->address, sizeof(e->address));
	store_cell_copy(res, row, 5, e->status, sizeof(e->status));
	store_cell_copy(res, row, 6, e->source, sizeof(e->source));
	e->created_at = store_cell_int(res, row, 7, 0);
	e->updated_at = store_cell_int(res, row, 8, 0);
}

static int entity_read(struct store_conn *c, const char *district, const char *uscc, bool lock,
		       struct store_entity *out, struct yerr *err)
{
	struct store_result *res = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = store_query_row(
	    c,
	    lock ? "SELECT " ENTITY_COLS " FROM entities WHERE district = ? AND uscc = ? FOR UPDATE"
		 : "SELECT " ENTITY_COLS " FROM entities WHERE district = ? AND uscc = ?",
	    (struct store_param[]){SP_TEXT(district), SP_TEXT(uscc)}, 2, &res, 404,
	    "entity_not_found", "市场主体不存在", err);
	if (rc < 0)
		return rc;
	entity_from(res, 0, out);
	store_result_free(res);
	return 0;
}

int store_entity_get(struct store_conn *c, const char *district, const char *uscc,
		     struct store_entity *out, struct yerr *err)
{
	return entity_read(c, district, uscc, false, out, err);
}

/* How far the register trusts a row's source: what an applicant typed with
 * their account, what a license the platform issued says (store_register.c),
 * what registration says (the export, or staff at the window). The same data
 * from a stronger source still count as a change, so an account's entity
 * enters the register (免于提交, src/http/exempt.c) when the export lists
 * it; re-importing it then changes nothing. */
static int source_rank(const char *source)
{
	if (strcmp(source, "import") == 0 || strcmp(source, "staff") == 0)
		return 2;
	return strcmp(source, "license") == 0 ? 1 : 0;
}

int store_entity_put(struct store_conn *c, const char *district, struct store_entity *e,
		     int64_t now, bool *changed, bool *created, struct yerr *err)
{
	struct store_entity old;
	struct yerr nf = {0};
	int rc;

	*changed = *created = false;
	rc = entity_read(c, district, e->uscc, true, &old, &nf);
	if (rc == STORE_ENOTFOUND) {
		rc = store_exec(c,
				"INSERT INTO entities (district, uscc, name, legal_rep, address, "
				"status, source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, "
				"?, ?, ?)",
				(struct store_param[]){
				    SP_TEXT(district), SP_TEXT(e->uscc), SP_TEXT(e->name),
				    SP_TEXT(e->legal_rep), SP_TEXT(e->address), SP_TEXT(e->status),
				    SP_TEXT(e->source), SP_INT(now), SP_INT(now)},
				9, NULL, err);
		if (rc < 0)
			return rc;
		*changed = *created = true;
		snprintf(old.uscc, sizeof(old.uscc), "%s", e->uscc); /* e is overwritten */
		return entity_read(c, district, old.uscc, false, e, err);
	}
	if (rc < 0) {
		*err = nf;
		return rc;
	}
	if (strcmp(old.name, e->name) == 0 && strcmp(old.legal_rep, e->legal_rep) == 0 &&
	    strcmp(old.address, e->address) == 0 && strcmp(old.status, e->status) == 0 &&
	    source_rank(e->source) <= source_rank(old.source)) {
		*e = old;
		return 0;
	}
	rc = store_exec(c,
			"UPDATE entities SET name = ?, legal_rep = ?, address = ?, status = ?, "
			"source = ?, updated_at = ? WHERE district = ? AND id = ?",
			(struct store_param[]){SP_TEXT(e->name), SP_TEXT(e->legal_rep),
					       SP_TEXT(e->address), SP_TEXT(e->status),
					       SP_TEXT(e->source), SP_INT(now), SP_TEXT(district),
					       SP_INT(old.id)},
			8, NULL, err);
	if (rc < 0)
		return rc;
	*changed = true;
	return entity_read(c, district, old.uscc, false, e, err);
}

/* licenses as the registration link and the expiry job see them ------------------ */

#define LIFE_LIC_COLS                                                                          \
	"number, version, status, holder_name, legal_rep, address, holder_uscc, valid_until, " \
	"holder_user_id, application_id"

static void life_licenses_from(struct store_result *res, struct store_life_license **items,
			       size_t *n)
{
	*items = calloc(res->rows ? (size_t)res->rows : 1, sizeof(**items));
	if (*items == NULL)
		abort();
	for (int i = 0; i < res->rows; i++) {
		struct store_life_license *l = &(*items)[i];

		store_cell_copy(res, i, 0, l->number, sizeof(l->number));
		l->version = (int)store_cell_int(res, i, 1, 0);
		store_cell_copy(res, i, 2, l->status, sizeof(l->status));
		store_cell_copy(res, i, 3, l->holder_name, sizeof(l->holder_name));
		store_cell_copy(res, i, 4, l->legal_rep, sizeof(l->legal_rep));
		store_cell_copy(res, i, 5, l->address, sizeof(l->address));
		store_cell_copy(res, i, 6, l->holder_uscc, sizeof(l->holder_uscc));
		store_cell_copy(res, i, 7, l->valid_until, sizeof(l->valid_until));
		l->holder_user_id = store_cell_int(res, i, 8, 0);
		l->application_id = store_cell_int(res, i, 9, 0);
	}
	*n = (size_t)res->rows;
}

int store_life_licenses_of(struct store_conn *c, const char *district, const char *uscc,
			   struct store_life_license **items, size_t *n, struct yerr *err)
{
	struct store_result *res = NULL;
	int rc;

	*items = NULL;
	*n = 0;
	rc = store_exec(c,
			"SELECT " LIFE_LIC_COLS " FROM licenses WHERE district = ? AND holder_uscc "
			"= ? AND is_current = 1 AND status IN ('valid', 'suspended') ORDER BY id",
			(struct store_param[]){SP_TEXT(district), SP_TEXT(uscc)}, 2, &res, err);
	if (rc < 0)
		return rc;
	life_licenses_from(res, items, n);
	store_result_free(res);
	return 0;
}

int store_life_flags(struct store_conn *c, const char *district, const char *uscc,
		     const char *holder_name, const char *legal_rep, const char *address,
		     const char *flags[2], size_t *n, struct yerr *err)
{
	struct store_entity e;
	struct yerr nf = {0};
	int rc;

	*n = 0;
	rc = entity_read(c, district, uscc, false, &e, &nf);
	if (rc == STORE_ENOTFOUND)
		return 0;
	if (rc < 0) {
		*err = nf;
		return rc;
	}
	if (strcmp(e.status, "deregistered") == 0)
		flags[(*n)++] = "deregistered";
	/* an entity registration has not described (a blank legal_rep or
	 * address: created with an account) is no evidence of a change */
	if (strcmp(e.name, holder_name ? holder_name : "") != 0 ||
	    (e.legal_rep[0] && strcmp(e.legal_rep, legal_rep ? legal_rep : "") != 0) ||
	    (e.address[0] && strcmp(e.address, address ? address : "") != 0))
		flags[(*n)++] = "needs_change";
	return 0;
}

/* the daily expiry job ---------------------------------------------------------- */

int store_job_claim(struct store_conn *c, const char *district, const char *job, const char *day,
		    int64_t now, bool force, bool *claimed, struct yerr *err)
{
	struct store_result *res = NULL;
	char key[96];
	int rc;

	*claimed = false;
	snprintf(key, sizeof(key), "%s/%s", district, job);
	if ((rc = store_lock_key(c, "job_runs", key, err)) < 0)
		return rc;
	if (force) {
		/* by hand: run again, the run row says when it last ran */
		rc = store_exec(
		    c, "DELETE FROM job_runs WHERE district = ? AND job = ? AND day = ?",
		    (struct store_param[]){SP_TEXT(district), SP_TEXT(job), SP_TEXT(day)}, 3, NULL,
		    err);
		if (rc < 0)
			return rc;
	}
	rc = store_exec(
	    c,
	    "INSERT INTO job_runs (district, job, day, ran_at) VALUES (?, ?, ?, ?) "
	    "ON CONFLICT (district, job, day) DO NOTHING",
	    (struct store_param[]){SP_TEXT(district), SP_TEXT(job), SP_TEXT(day), SP_INT(now)}, 4,
	    &res, err);
	if (rc < 0)
		return rc;
	*claimed = res->changes == 1;
	store_result_free(res);
	return 0;
}

int store_life_licenses_until(struct store_conn *c, const char *district, const char *from,
			      const char *to, struct store_life_license **items, size_t *n,
			      struct yerr *err)
{
	struct store_result *res = NULL;
	int rc;

	*items = NULL;
	*n = 0;
	rc = store_exec(
	    c,
	    "SELECT " LIFE_LIC_COLS " FROM licenses WHERE district = ? AND is_current = "
	    "1 AND status = 'valid' AND valid_until IS NOT NULL AND valid_until >= ? AND "
	    "valid_until <= ? ORDER BY valid_until, id",
	    (struct store_param[]){SP_TEXT(district), SP_TEXT(from), SP_TEXT(to)}, 3, &res, err);
	if (rc < 0)
		return rc;
	life_licenses_from(res, items, n);
	store_result_free(res);
	return 0;
}

int store_life_notice(struct store_conn *c, const char *district, const char *number,
		      const char *valid_until, const char *kind, int64_t now, bool *sent,
		      struct yerr *err)
{
	struct store_result *res = NULL;
	int rc;

	*sent = false;
	rc =
	    store_exec(c,
		       "INSERT INTO license_notices (district, number, valid_until, kind, sent_at) "
		       "VALUES (?, ?, ?, ?, ?) ON CONFLICT (district, number, valid_until, kind) "
		       "DO NOTHING",
		       (struct store_param[]){SP_TEXT(district), SP_TEXT(number),
					      SP_TEXT(valid_until), SP_TEXT(kind), SP_INT(now)},
		       5, &res, err);
	if (rc < 0)
		return rc;
	*sent = res->changes == 1;
	store_result_free(res);
	return 0;
}
