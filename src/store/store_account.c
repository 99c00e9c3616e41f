/*
 * store_account.c — SQL of departments, entities, users, sessions, tokens and
 * login throttling. See store_account.h.
 */
#include "store/store_account.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USER_COLS                                                                               \
	"u.id, u.username, u.display_name, u.department, u.phone, u.entity_id, u.disabled, "    \
	"u.must_change_password, u.created_at, u.updated_at, u.password_hash, e.uscc, e.name, " \
	"u.version, u.district"
#define USER_FROM " FROM users u LEFT JOIN entities e ON e.id = u.entity_id"

static void copy_cell(char *dst, size_t dstsz, const struct store_result *r, int row, int col)
{
	const char *v = store_cell(r, row, col);

	snprintf(dst, dstsz, "%s", v ? v : "");
}

/* Reads the USER_COLS columns starting at col0 of row into u (roles apart). */
static void user_from_row(const struct store_result *r, int row, int col0, struct store_user *u)
{
	memset(u, 0, sizeof(*u));
	u->id = store_cell_int(r, row, col0 + 0, 0);
	copy_cell(u->username, sizeof(u->username), r, row, col0 + 1);
	copy_cell(u->display_name, sizeof(u->display_name), r, row, col0 + 2);
	copy_cell(u->department, sizeof(u->department), r, row, col0 + 3);
	copy_cell(u->phone, sizeof(u->phone), r, row, col0 + 4);
	u->entity_id = store_cell_int(r, row, col0 + 5, 0);
	u->disabled = (int)store_cell_int(r, row, col0 + 6, 0);
	u->must_change_password = (int)store_cell_int(r, row, col0 + 7, 0);
	u->created_at = store_cell_int(r, row, col0 + 8, 0);
	u->updated_at = store_cell_int(r, row, col0 + 9, 0);
	copy_cell(u->password_hash, sizeof(u->password_hash), r, row, col0 + 10);
	copy_cell(u->uscc, sizeof(u->uscc), r, row, col0 + 11);
	copy_cell(u->entity_name, sizeof(u->entity_name), r, row, col0 + 12);
	u->version = store_cell_int(r, row, col0 + 13, 1);
	copy_cell(u->district, sizeof(u->district), r, row, col0 + 14);
}

static int load_roles(struct store_conn *c, struct store_user *u, struct yerr *err)
{
	struct store_result *r;
	int rc = store_exec(c, "SELECT role FROM user_roles WHERE user_id = ?",
			    (struct store_param[]){SP_INT(u->id)}, 1, &r, err);

	if (rc < 0)
		return rc;
	u->roles = 0;
	for (int i = 0; i < r->rows; i++) {
		int role = role_parse(store_cell(r, i, 0));

		if (role >= 0)
			u->roles |= ROLE_BIT(role);
	}
	store_result_free(r);
	return 0;
}

static int save_roles(struct store_conn *c, int64_t id, unsigned roles, struct yerr *err)
{
	int rc = store_exec(c, "DELETE FROM user_roles WHERE user_id = ?",
			    (struct store_param[]){SP_INT(id)}, 1, NULL, err);

	for (int i = 0; rc == 0 && i < ROLE_COUNT; i++)
		if (roles & ROLE_BIT(i))
			rc = store_exec(c, "INSERT INTO user_roles (user_id, role) VALUES (?, ?)",
					(struct store_param[]){SP_INT(id), SP_TEXT(role_name(i))},
					2, NULL, err);
	return rc;
}

/* departments ------------------------------------------------------------ */

int store_department_seed(struct store_conn *c, const char *district, const char *code,
			  const char *name, int64_t now, struct yerr *err)
{
	struct store_result *r;
	int rc =
	    store_exec(c,
		       "INSERT INTO departments (district, code, name, created_at, updated_at) "
		       "VALUES (?, ?, ?, ?, ?) ON CONFLICT (district, code) DO NOTHING",
		       (struct store_param[]){SP_TEXT(district), SP_TEXT(code), SP_TEXT(name),
					      SP_INT(now), SP_INT(now)},
		       5, &r, err);

	if (rc < 0)
		return rc;
	rc = r->changes > 0 ? 1 : 0;
	store_result_free(r);
	return rc;
}

int store_departments_list(struct store_conn *c, const char *district,
			   struct store_department **out, int *n, struct yerr *err)
{
	struct store_result *r;
	int rc = store_exec(c,
			    "SELECT code, name, disabled FROM departments WHERE district = ? "
			    "ORDER BY code",
			    (struct store_param[]){SP_TEXT(district)}, 1, &r, err);

	*out = NULL;
	*n = 0;
	if (rc < 0)
		return rc;
	*out = calloc((size_t)(r->rows ? r->rows : 1), sizeof(**out));
	if (*out == NULL)
		abort();
	for (int i = 0; i < r->rows; i++) {
		copy_cell((*out)[i].code, sizeof((*out)[i].code), r, i, 0);
		copy_cell((*out)[i].name, sizeof((*out)[i].name), r, i, 1);
		(*out)[i].disabled = (int)store_cell_int(r, i, 2, 0);
	}
	*n = r->rows;
	store_result_free(r);
	return 0;
}

int store_department_get(struct store_conn *c, const char *district, const char *code,
			 struct store_department *out, struct yerr *err)
{
	struct store_result *r;
	int rc =
	    store_query_row(c,
			    "SELECT code, name, disabled FROM departments WHERE district = ? AND "
			    "code = ?",
			    (struct store_param[]){SP_TEXT(district), SP_TEXT(code)}, 2, &r, 404,
			    "department_not_found", "部门不存在", err);

	if (rc < 0)
		return rc;
	copy_cell(out->code, sizeof(out->code), r, 0, 0);
	copy_cell(out->name, sizeof(out->name), r, 0, 1);
	out->disabled = (int)store_cell_int(r, 0, 2, 0);
	store_result_free(r);
	return 0;
}

int store_department_insert(struct store_conn *c, const char *district, const char *code,
			    const char *name, int64_t now, struct yerr *err)
{
	int rc =
	    store_exec(c,
		       "INSERT INTO departments (district, code, name, created_at, updated_at) "
		       "VALUES (?, ?, ?, ?, ?)",
		       (struct store_param[]){SP_TEXT(district), SP_TEXT(code), SP_TEXT(name),
					      SP_INT(now), SP_INT(now)},
		       5, NULL, err);

	if (rc == STORE_ECONFLICT)
		yerr_set(err, 409, "department_exists", "code", "部门代码 %s 已存在", code);
	return rc;
}

int store_department_update(struct store_conn *c, const char *district, const char *code,
			    const char *name, int disabled, int64_t now, struct yerr *err)
{
	struct store_department cur;
	int rc = store_department_get(c, district, code, &cur, err);

	if (rc < 0)
		return rc;
	/* Fields not given keep the row's current value in the same statement,
	 * so a concurrent change of the other field is not undone. */
	return store_exec(c,
			  "UPDATE departments SET name = COALESCE(CAST(? AS TEXT), name), "
			  "disabled = COALESCE(CAST(? AS INTEGER), disabled), updated_at = ? "
			  "WHERE district = ? AND code = ?",
			  (struct store_param[]){name ? SP_TEXT(name) : SP_NULL,
						 disabled < 0 ? SP_NULL : SP_INT(disabled),
						 SP_INT(now), SP_TEXT(district), SP_TEXT(code)},
			  5, NULL, err);
}

/* entities and users ---------------------------------------------------- */

int store_entity_insert(struct store_conn *c, const char *district, const char *uscc,
			const char *name, int64_t now, int64_t *id, struct yerr *err)
{
	struct store_result *r;
	int rc = store_exec(
	    c,
	    "INSERT INTO entities (district, uscc, name, created_at) VALUES (?, ?, ?, ?) "
	    "RETURNING id",
	    (struct store_param[]){SP_TEXT(district), uscc ? SP_TEXT(uscc) : SP_NULL, SP_TEXT(name),
				   SP_INT(now)},
	    4, &r, err);

	if (rc == STORE_ECONFLICT)
		yerr_set(err, 409, "uscc_exists", "uscc", "该统一社会信用代码已注册账号");
	if (rc < 0)
		return rc;
	*id = store_cell_int(r, 0, 0, 0);
	store_result_free(r);
	return 0;
}

int store_user_insert(struct store_conn *c, const char *district, struct store_user *u, int64_t now,
		      struct yerr *err)
{
	struct store_result *r;
	int rc = store_exec(
	    c,
	    "INSERT INTO users (district, username, display_name, password_hash, department, "
	    "entity_id, phone, disabled, must_change_password, created_at, updated_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
	    (struct store_param[]){SP_TEXT(district), SP_TEXT(u->username),
				   SP_TEXT(u->display_name), SP_TEXT(u->password_hash),
				   u->department[0] ? SP_TEXT(u->department) : SP_NULL,
				   u->entity_id ? SP_INT(u->entity_id) : SP_NULL,
				   u->phone[0] ? SP_TEXT(u->phone) : SP_NULL, SP_INT(u->disabled),
				   SP_INT(u->must_change_password), SP_INT(now), SP_INT(now)},
	    11, &r, err);

	if (rc == STORE_ECONFLICT)
		yerr_set(err, 409, "username_exists", "username", "用户名 %s 已被使用",
			 u->username);
	if (rc < 0)
		return rc;
	u->id = store_cell_int(r, 0, 0, 0);
	u->created_at = u->updated_at = now;
	store_result_free(r);
	return save_roles(c, u->id, u->roles, err);
}

static int user_query_one(struct store_conn *c, const char *sql, const struct store_param *p,
			  int np, struct store_user *u, struct yerr *err)
{
	struct store_result *r;
	int rc = store_query_row(c, sql, p, np, &r, 404, "user_not_found", "用户不存在", err);

	if (rc < 0)
		return rc;
	user_from_row(r, 0, 0, u);
	store_result_free(r);
	return load_roles(c, u, err);
}

int store_user_get(struct store_conn *c, const char *district, int64_t id, struct store_user *u,
		   struct yerr *err)
{
	return user_query_one(c, "SELECT " USER_COLS USER_FROM " WHERE u.id = ? AND u.district = ?",
			      (struct store_param[]){SP_INT(id), SP_TEXT(district)}, 2, u, err);
}

int store_user_get_by_name(struct store_conn *c, const char *username, struct store_user *u,
			   struct yerr *err)
{
	return user_query_one(c, "SELECT " USER_COLS USER_FROM " WHERE u.username = ?",
			      (struct store_param[]){SP_TEXT(username)}, 1, u, err);
}

int store_username_taken(struct store_conn *c, const char *username, int *taken, struct yerr *err)
{
	int64_t n = 0;
	int rc = store_query_int(c, "SELECT count(*) FROM users WHERE username = ?",
				 (struct store_param[]){SP_TEXT(username)}, 1, 0, &n, err);

	*taken = n > 0;
	return rc;
}

int store_user_lock(struct store_conn *c, const char *district, int64_t id, struct yerr *err)
{
	return store_exec(c, "SELECT id FROM users WHERE district = ? AND id = ? FOR UPDATE",
			  (struct store_param[]){SP_TEXT(district), SP_INT(id)}, 2, NULL, err);
}

/* Runs an UPDATE of one user row; STORE_ENOTFOUND (404 user_not_found) when
 * no row of that district and id changed, so an id of another district is
 * refused exactly like one that does not exist. */
static int user_update_one(struct store_conn *c, const char *sql, const struct store_param *p,
			   int np, struct yerr *err)
{
	struct store_result *r = NULL;
	int rc = store_exec(c, sql, p, np, &r, err);
	int64_t changes = rc == 0 ? r->changes : 0;

	store_result_free(r);
	if (rc == 0 && changes == 0) {
		yerr_set(err, 404, "user_not_found", "", "用户不存在");
		return STORE_ENOTFOUND;
	}
	return rc;
}

int store_user_update(struct store_conn *c, const char *district, const struct store_user *u,
		      int64_t now, struct yerr *err)
{
	int rc = user_update_one(
	    c,
	    "UPDATE users SET display_name = ?, department = ?, disabled = ?, "
	    "updated_at = ?, version = version + 1 WHERE district = ? AND id = ?",
	    (struct store_param[]){
		SP_TEXT(u->display_name), u->department[0] ? SP_TEXT(u->department) : SP_NULL,
		SP_INT(u->disabled), SP_INT(now), SP_TEXT(district), SP_INT(u->id)},
	    6, err);

	/* roles only once the row is known to be this district's */
	return rc < 0 ? rc : save_roles(c, u->id, u->roles, err);
}

int store_user_set_password(struct store_conn *c, const char *district, int64_t id,
			    const char *hash, int must_change, int64_t now, struct yerr *err)
{
	return user_update_one(c,
			       "UPDATE users SET password_hash = ?, must_change_password = ?, "
			       "updated_at = ? WHERE district = ? AND id = ?",
			       (struct store_param[]){SP_TEXT(hash), SP_INT(must_change),
						      SP_INT(now), SP_TEXT(district), SP_INT(id)},
			       5, err);
}

int store_user_upgrade_password(struct store_conn *c, const char *district, int64_t id,
				const char *old_hash, const char *new_hash, struct yerr *err)
{
	/* Conditional on the old hash: a reset or change committed since the
	 * login read it wins, and this quietly does nothing. */
	return store_exec(c,
			  "UPDATE users SET password_hash = ? WHERE district = ? AND id = ? AND "
			  "password_hash = ?",
			  (struct store_param[]){SP_TEXT(new_hash), SP_TEXT(district), SP_INT(id),
						 SP_TEXT(old_hash)},
			  4, NULL, err);
}

/* Materialises rows of USER_COLS into an array, loading each user's roles
 * (lists are bounded, so one roles query per row is cheap enough). */
static int users_from_result(struct store_conn *c, struct store_result *r, struct store_user **out,
			     int *n, struct yerr *err)
{
	int rc = 0;

	*out = calloc((size_t)(r->rows ? r->rows : 1), sizeof(**out));
	if (*out == NULL)
		abort();
	for (int i = 0; rc == 0 && i < r->rows; i++) {
		user_from_row(r, i, 0, &(*out)[i]);
		(*out)[i].password_hash[0] = '\0';
		rc = load_roles(c, &(*out)[i], err);
	}
	*n = r->rows;
	if (rc < 0) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

int store_users_list(struct store_conn *c, const char *district, const char *q, int limit,
		     int offset, struct store_user **out, int *n, int64_t *total, struct yerr *err)
{
	char pat[300];
	struct store_result *r;
	int rc;

	*out = NULL;
	*n = 0;
	store_like_pattern(q ? q : "", pat, sizeof(pat));
	rc = store_query_int(c,
			     "SELECT count(*) FROM users u WHERE u.district = ? AND "
			     "(u.username LIKE ? ESCAPE '\\' OR u.display_name LIKE ? ESCAPE '\\')",
			     (struct store_param[]){SP_TEXT(district), SP_TEXT(pat), SP_TEXT(pat)},
			     3, 0, total, err);
	if (rc < 0)
		return rc;
	rc = store_exec(c,
			"SELECT " USER_COLS USER_FROM " WHERE u.district = ? AND "
			"(u.username LIKE ? ESCAPE '\\' OR u.display_name LIKE ? ESCAPE '\\') "
			"ORDER BY u.id DESC LIMIT ? OFFSET ?",
			(struct store_param[]){SP_TEXT(district), SP_TEXT(pat), SP_TEXT(pat),
					       SP_INT(limit), SP_INT(offset)},
			5, &r, err);
	if (rc < 0)
		return rc;
	rc = users_from_result(c, r, out, n, err);
	store_result_free(r);
	return rc;
}

int store_users_in_department(struct store_conn *c, const char *district, const struct principal *p,
			      const char *code, int limit, int offset, struct store_user **out,
			      int *n, int64_t *total, struct yerr *err)
{
	const char *scope = principal_department_scope(p);
	struct store_department dept;
	struct store_result *r;
	int rc;

	*out = NULL;
	*n = 0;
	/* Same answer for "not yours" and "does not exist". */
	if (scope != NULL && strcmp(scope, code) != 0) {
		yerr_set(err, 404, "department_not_found", "", "部门不存在");
		return STORE_ENOTFOUND;
	}
	if ((rc = store_department_get(c, district, code, &dept, err)) < 0)
		return rc;
	/* The scope is also bound into the query, so the restriction holds in
	 * SQL even if the check above were ever removed. */
	rc = store_query_int(
	    c,
	    "SELECT count(*) FROM users u WHERE u.district = ? AND u.department = ? "
	    "AND u.department = ?",
	    (struct store_param[]){SP_TEXT(district), SP_TEXT(code), SP_TEXT(scope ? scope : code)},
	    3, 0, total, err);
	if (rc < 0)
		return rc;
	rc = store_exec(c,
			"SELECT " USER_COLS USER_FROM " WHERE u.district = ? AND u.department = ? "
			"AND u.department = ? ORDER BY u.username LIMIT ? OFFSET ?",
			(struct store_param[]){SP_TEXT(district), SP_TEXT(code),
					       SP_TEXT(scope ? scope : code), SP_INT(limit),
					       SP_INT(offset)},
			5, &r, err);
	if (rc < 0)
		return rc;
	rc = users_from_result(c, r, out, n, err);
	store_result_free(r);
	return rc;
}

void store_user_principal(const struct store_user *u, enum principal_kind kind, struct principal *p)
{
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->id = u->id;
	snprintf(p->name, sizeof(p->name), "%s", u->username);
	p->roles = u->roles;
	snprintf(p->department, sizeof(p->department), "%s", u->department);
	p->entity_id = u->entity_id;
	p->must_change_password = u->must_change_password;
}

/* sessions --------------------------------------------------------------- */

int store_session_insert(struct store_conn *c, const char *token_hash, int64_t user_id,
			 const char *csrf, int64_t now, int64_t expires_at, const char *client,
			 struct yerr *err)
{
	return store_exec(c,
			  "INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen, "
			  "expires_at, client) VALUES (?, ?, ?, ?, ?, ?, ?)",
			  (struct store_param[]){SP_TEXT(token_hash), SP_INT(user_id),
						 SP_TEXT(csrf), SP_INT(now), SP_INT(now),
						 SP_INT(expires_at), SP_TEXT(client)},
			  7, NULL, err);
}

int store_session_get(struct store_conn *c, const char *district, const char *token_hash,
		      struct store_session *out, struct yerr *err)
{
	struct store_result *r;
	int rc =
	    store_query_row(c,
			    "SELECT s.csrf, s.created_at, s.last_seen, s.expires_at, " USER_COLS
			    " FROM sessions s JOIN users u ON u.id = s.user_id "
			    "LEFT JOIN entities e ON e.id = u.entity_id WHERE s.token_hash = ? "
			    "AND u.district = ?",
			    (struct store_param[]){SP_TEXT(token_hash), SP_TEXT(district)}, 2, &r,
			    401, "session_invalid", "登录已失效，请重新登录", err);

	if (rc < 0)
		return rc;
	copy_cell(out->csrf, sizeof(out->csrf), r, 0, 0);
	out->created_at = store_cell_int(r, 0, 1, 0);
	out->last_seen = store_cell_int(r, 0, 2, 0);
	out->expires_at = store_cell_int(r, 0, 3, 0);
	user_from_row(r, 0, 4, &out->user);
	out->user.password_hash[0] = '\0';
	store_result_free(r);
	return load_roles(c, &out->user, err);
}

int store_session_touch(struct store_conn *c, const char *token_hash, int64_t now, struct yerr *err)
{
	return store_exec(c, "UPDATE sessions SET last_seen = ? WHERE token_hash = ?",
			  (struct store_param[]){SP_INT(now), SP_TEXT(token_hash)}, 2, NULL, err);
}

int store_session_delete(struct store_conn *c, const char *token_hash, struct yerr *err)
{
	return store_exec(c, "DELETE FROM sessions WHERE token_hash = ?",
			  (struct store_param[]){SP_TEXT(token_hash)}, 1, NULL, err);
}

int store_sessions_revoke_user(struct store_conn *c, const char *district, int64_t user_id,
			       const char *keep_hash, struct yerr *err)
{
	/* Expired sessions of everyone are removed by store_sessions_prune on a
	 * schedule: deleting them here made every login scan the table and lock
	 * other users' rows. */
	return store_exec(c,
			  "DELETE FROM sessions WHERE user_id = ? AND token_hash <> ? AND "
			  "user_id IN (SELECT id FROM users WHERE district = ? AND id = ?)",
			  (struct store_param[]){SP_INT(user_id),
						 SP_TEXT(keep_hash ? keep_hash : ""),
						 SP_TEXT(district), SP_INT(user_id)},
			  4, NULL, err);
}

int store_sessions_prune(struct store_conn *c, int64_t now, int idle_sec, int64_t *removed,
			 struct yerr *err)
{
	struct store_result *r = NULL;
	int rc =
	    store_exec(c, "DELETE FROM sessions WHERE expires_at <= ? OR last_seen <= ?",
		       (struct store_param[]){SP_INT(now), SP_INT(now - idle_sec)}, 2, &r, err);

	*removed = rc == 0 ? r->changes : 0;
	store_result_free(r);
	return rc;
}

/* API tokens --------------------------------------------------------------- */

#define TOKEN_COLS                                                                         \
	"t.id, t.name, t.scopes, t.created_by, t.created_at, t.expires_at, t.revoked_at, " \
	"t.last_used_at, u.username, t.department, t.purposes, t.rate_per_minute"
#define TOKEN_FROM " FROM api_tokens t LEFT JOIN users u ON u.id = t.created_by"

static void token_from_row(const struct store_result *r, int row, struct store_token *t)
{
	memset(t, 0, sizeof(*t));
	t->id = store_cell_int(r, row, 0, 0);
	copy_cell(t->name, sizeof(t->name), r, row, 1);
	t->scopes = scopes_parse_list(store_cell(r, row, 2));
	t->created_by = store_cell_int(r, row, 3, 0);
	t->created_at = store_cell_int(r, row, 4, 0);
	t->expires_at = store_cell_int(r, row, 5, 0);
	t->revoked_at = store_cell_int(r, row, 6, 0);
	t->last_used_at = store_cell_int(r, row, 7, 0);
	copy_cell(t->created_by_name, sizeof(t->created_by_name), r, row, 8);
	copy_cell(t->department, sizeof(t->department), r, row, 9);
	copy_cell(t->purposes, sizeof(t->purposes), r, row, 10);
	t->rate_per_minute = (int)store_cell_int(r, row, 11, 0);
}

int store_token_insert(struct store_conn *c, const char *district, struct store_token *t,
		       const char *secret_hash, struct yerr *err)
{
	char scopes[512];
	struct store_result *r;
	int rc;

	scopes_format(t->scopes, scopes, sizeof(scopes));
	rc = store_exec(c,
			"INSERT INTO api_tokens (district, name, secret_hash, scopes, created_by, "
			"created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
			(struct store_param[]){SP_TEXT(district), SP_TEXT(t->name),
					       SP_TEXT(secret_hash), SP_TEXT(scopes),
					       t->created_by ? SP_INT(t->created_by) : SP_NULL,
					       SP_INT(t->created_at), SP_INT(t->expires_at)},
			7, &r, err);
	if (rc < 0)
		return rc;
	t->id = store_cell_int(r, 0, 0, 0);
	store_result_free(r);
	return 0;
}

static int token_query_one(struct store_conn *c, const char *sql, const struct store_param *p,
			   int np, struct store_token *t, struct yerr *err)
{
	struct store_result *r;
	int rc = store_query_row(c, sql, p, np, &r, 404, "token_not_found", "令牌不存在", err);

	if (rc < 0)
		return rc;
	token_from_row(r, 0, t);
	store_result_free(r);
	return 0;
}

int store_token_lookup(struct store_conn *c, const char *district, const char *secret_hash,
		       struct store_token *t, struct yerr *err)
{
	return token_query_one(
	    c, "SELECT " TOKEN_COLS TOKEN_FROM " WHERE t.district = ? AND t.secret_hash = ?",
	    (struct store_param[]){SP_TEXT(district), SP_TEXT(secret_hash)}, 2, t, err);
}

int store_token_get(struct store_conn *c, const char *district, int64_t id, struct store_token *t,
		    struct yerr *err)
{
	return token_query_one(c,
			       "SELECT " TOKEN_COLS TOKEN_FROM " WHERE t.district = ? AND t.id = ?",
			       (struct store_param[]){SP_TEXT(district), SP_INT(id)}, 2, t, err);
}

int store_tokens_list(struct store_conn *c, const char *district, struct store_token **out, int *n,
		      struct yerr *err)
{
	struct store_result *r;
	int rc = store_exec(c,
			    "SELECT " TOKEN_COLS TOKEN_FROM " WHERE t.district = ? "
			    "ORDER BY t.id DESC LIMIT 500",
			    (struct store_param[]){SP_TEXT(district)}, 1, &r, err);

	*out = NULL;
	*n = 0;
	if (rc < 0)
		return rc;
	*out = calloc((size_t)(r->rows ? r->rows : 1), sizeof(**out));
	if (*out == NULL)
		abort();
	for (int i = 0; i < r->rows; i++)
		token_from_row(r, i, &(*out)[i]);
	*n = r->rows;
	store_result_free(r);
	return 0;
}

int store_token_revoke(struct store_conn *c, const char *district, int64_t id, int64_t now,
		       struct yerr *err)
{
	struct store_token t;
	int rc = store_token_get(c, district, id, &t, err);

	if (rc < 0 || t.revoked_at)
		return rc;
	return store_exec(c,
			  "UPDATE api_tokens SET revoked_at = ? WHERE district = ? AND id = ? AND "
			  "revoked_at IS NULL",
			  (struct store_param[]){SP_INT(now), SP_TEXT(district), SP_INT(id)}, 3,
			  NULL, err);
}

/* login throttling ------------------------------------------------------ */

int store_login_locked(struct store_conn *c, const char *kind, const char *subject, int64_t now,
		       int64_t *locked_until, struct yerr *err)
{
	int64_t until;
	int rc = store_query_int(
	    c, "SELECT locked_until FROM login_failures WHERE kind = ? AND subject = ?",
	    (struct store_param[]){SP_TEXT(kind), SP_TEXT(subject)}, 2, 0, &until, err);

	*locked_until = rc == 0 && until > now ? until : 0;
	return rc;
}

/* One statement counts the failure, restarting the window when the last one
 * is over, so concurrent failures on several nodes are all counted. */
int store_login_failure(struct store_conn *c, const char *kind, const char *subject, int64_t now,
			int window_sec, int max, int lock_sec, int64_t *locked_until,
			struct yerr *err)
{
	int64_t failures;
	int rc = store_query_int(
	    c,
	    "INSERT INTO login_failures (kind, subject, failures, window_start, locked_until) "
	    "VALUES (?, ?, 1, ?, 0) ON CONFLICT (kind, subject) DO UPDATE SET "
	    "failures = CASE WHEN login_failures.window_start < ? THEN 1 "
	    "ELSE login_failures.failures + 1 END, "
	    "window_start = CASE WHEN login_failures.window_start < ? THEN ? "
	    "ELSE login_failures.window_start END "
	    "RETURNING failures",
	    (struct store_param[]){SP_TEXT(kind), SP_TEXT(subject), SP_INT(now),
				   SP_INT(now - window_sec), SP_INT(now - window_sec), SP_INT(now)},
	    6, 0, &failures, err);

	*locked_until = 0;
	if (rc < 0 || failures < max)
		return rc;
	*locked_until = now + lock_sec;
	return store_exec(
	    c,
	    "UPDATE login_failures SET locked_until = ?, failures = 0, window_start = ? "
	    "WHERE kind = ? AND subject = ?",
	    (struct store_param[]){SP_INT(*locked_until), SP_INT(now), SP_TEXT(kind),
				   SP_TEXT(subject)},
	    4, NULL, err);
}

int store_login_clear(struct store_conn *c, const char *kind, const char *subject, struct yerr *err)
{
	return store_exec(c, "DELETE FROM login_failures WHERE kind = ? AND subject = ?",
			  (struct store_param[]){SP_TEXT(kind), SP_TEXT(subject)}, 2, NULL, err);
}

int store_login_prune(struct store_conn *c, int64_t now, int window_sec, int64_t *removed,
		      struct yerr *err)
{
	struct store_result *r = NULL;
	int rc =
	    store_exec(c, "DELETE FROM login_failures WHERE window_start < ? AND locked_until < ?",
		       (struct store_param[]){SP_INT(now - window_sec), SP_INT(now)}, 2, &r, err);

	*removed = rc == 0 ? r->changes : 0;
	store_result_free(r);
	return rc;
}
