/*
 * store_supervision.c — SQL of the supervision base (see store_supervision.h).
 */
#include "store/store_supervision.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store_events.h"

/* At most this many departments in one scope: the district has about 20. */
#define SUP_MAX_DEPTS 64

static int oom(struct yerr *e)
{
	return yerr_set(e, 500, "out_of_memory", NULL, "内存不足");
}

/* ---- the event log ---- */

int sup_event_append_seq(struct store_conn *c, const char *district, const char *kind,
			 const char *ref, json_t *detail, int64_t *seq, struct yerr *e)
{
	const char *uscc = NULL;
	char *text;
	int64_t max = 0;
	int rc;

	if (detail != NULL && !json_is_object(detail))
		return yerr_set(e, 500, "internal", NULL, "监管事件内容必须是 JSON 对象");
	if (detail != NULL)
		uscc = json_string_value(json_object_get(detail, "uscc"));
	text = detail != NULL ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS) : strdup("{}");
	if (text == NULL)
		return oom(e);
	/* The export cursor must never skip a row: seq is taken under a lock
	 * held until this transaction ends, so rows commit in seq order (the
	 * same rule as license_events). SQLite's write lock already does it. */
	rc = store_lock_key(c, "supervision_events", district, e);
	if (rc == 0)
		rc =
		    store_query_int(c, "SELECT max(seq) FROM supervision_events WHERE district = ?",
				    (struct store_param[]){SP_TEXT(district)}, 1, 0, &max, e);
	if (rc == 0)
		rc = store_exec(c,
				"INSERT INTO supervision_events (district, seq, kind, ref, uscc, "
				"detail, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
				(struct store_param[]){SP_TEXT(district), SP_INT(max + 1),
						       SP_TEXT(kind), SP_TEXT(ref ? ref : ""),
						       SP_TEXT(uscc), SP_TEXT(text),
						       SP_INT((int64_t)time(NULL))},
				7, NULL, e);
	free(text);
	if (rc == 0) /* share-events: the outbox */
		rc = event_supervision(c, district, kind, ref, detail, e);
	if (rc == 0 && seq != NULL)
		*seq = max + 1;
	return rc;
}

int sup_event_append(struct store_conn *c, const char *district, const char *kind, const char *ref,
		     json_t *detail, struct yerr *e)
{
	return sup_event_append_seq(c, district, kind, ref, detail, NULL, e);
}

int sup_events_after(struct store_conn *c, const char *district, int64_t after, long limit,
		     struct sup_event **items, size_t *n, struct yerr *e)
{
	struct store_result *res = NULL;
	int rc;

	*items = NULL;
	*n = 0;
	if (limit < 1 || limit > 1000)
		limit = 100;
	rc = store_exec(c,
			"SELECT seq, kind, ref, uscc, detail, at FROM supervision_events "
			"WHERE district = ? AND seq > ? ORDER BY seq LIMIT ?",
			(struct store_param[]){SP_TEXT(district), SP_INT(after), SP_INT(limit)}, 3,
			&res, e);
	if (rc < 0)
		return rc;
	if (res->rows > 0 && (*items = calloc((size_t)res->rows, sizeof(**items))) == NULL) {
		store_result_free(res);
		return oom(e);
	}
	for (int i = 0; i < res->rows; i++) {
		struct sup_event *ev = &(*items)[i];

		ev->seq = store_cell_int(res, i, 0, 0);
		store_cell_copy(res, i, 1, ev->kind, sizeof(ev->kind));
		ev->ref = store_cell_dup(res, i, 2);
		store_cell_copy(res, i, 3, ev->uscc, sizeof(ev->uscc));
		ev->detail = store_cell_dup(res, i, 4);
		ev->at = store_cell_int(res, i, 5, 0);
	}
	*n = (size_t)res->rows;
	store_result_free(res);
	return 0;
}

void sup_events_free(struct sup_event *items, size_t n)
{
	for (size_t i = 0; items != NULL && i < n; i++) {
		free(items[i].ref);
		free(items[i].detail);
	}
	free(items);
}

/* ---- the inspector register ---- */

#define INSP_COLS                                                                           \
	"i.user_id, u.username, u.display_name, i.department, i.qualifications, i.active, " \
	"i.note, i.created_at, i.updated_at, (SELECT count(*) FROM inspector_conflicts k "  \
	"WHERE k.district = i.district AND k.user_id = i.user_id AND k.withdrawn_at IS NULL)"
#define INSP_FROM " FROM inspectors i JOIN users u ON u.id = i.user_id "

static void inspector_from_row(const struct store_result *r, int row, struct sup_inspector *o)
{
	memset(o, 0, sizeof(*o));
	o->user_id = store_cell_int(r, row, 0, 0);
	store_cell_copy(r, row, 1, o->username, sizeof(o->username));
	store_cell_copy(r, row, 2, o->display_name, sizeof(o->display_name));
	store_cell_copy(r, row, 3, o->department, sizeof(o->department));
	o->qualifications = store_cell_dup(r, row, 4);
	o->active = store_cell_int(r, row, 5, 0) != 0;
	o->note = store_cell_dup(r, row, 6);
	o->created_at = store_cell_int(r, row, 7, 0);
	o->updated_at = store_cell_int(r, row, 8, 0);
	o->conflicts = (int)store_cell_int(r, row, 9, 0);
}

static int inspectors_from(struct store_result *r, struct sup_inspector **items, size_t *n,
			   struct yerr *e)
{
	if (r->rows > 0 && (*items = calloc((size_t)r->rows, sizeof(**items))) == NULL) {
		store_result_free(r);
		return oom(e);
	}
	for (int i = 0; i < r->rows; i++)
		inspector_from_row(r, i, &(*items)[i]);
	*n = (size_t)r->rows;
	store_result_free(r);
	return 0;
}

void sup_inspector_free(struct sup_inspector *i)
{
	if (i == NULL)
		return;
	free(i->qualifications);
	free(i->note);
	memset(i, 0, sizeof(*i));
}

void sup_inspectors_free(struct sup_inspector *items, size_t n)
{
	for (size_t i = 0; items != NULL && i < n; i++)
		sup_inspector_free(&items[i]);
	free(items);
}

int sup_inspector_get(struct store_conn *c, const char *district, int64_t user_id, bool lock,
		      struct sup_inspector *out, struct yerr *e)
{
	struct store_result *r = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (lock) {
		/* Lock the register row alone: FOR UPDATE on the join would also
		 * lock the user's row. */
		rc = store_exec(c,
				"SELECT user_id FROM inspectors WHERE district = ? AND user_id = ? "
				"FOR UPDATE",
				(struct store_param[]){SP_TEXT(district), SP_INT(user_id)}, 2, NULL,
				e);
		if (rc < 0)
			return rc;
	}
	rc = store_query_row(c,
			     "SELECT " INSP_COLS INSP_FROM "WHERE i.district = ? AND i.user_id = ?",
			     (struct store_param[]){SP_TEXT(district), SP_INT(user_id)}, 2, &r, 404,
			     "inspector_not_found", "执法检查人员名录中没有该人员", e);
	if (rc < 0)
		return rc;
	inspector_from_row(r, 0, out);
	store_result_free(r);
	return 0;
}

int sup_inspector_put(struct store_conn *c, const char *district, const struct sup_inspector_in *in,
		      bool *created, struct yerr *e)
{
	struct store_result *r = NULL;
	int64_t exists = 0, is_inspector = 0;
	int rc;

	rc = store_query_row(
	    c,
	    "SELECT coalesce(department, '') FROM users WHERE id = ? AND district = ? "
	    "AND disabled = 0",
	    (struct store_param[]){SP_INT(in->user_id), SP_TEXT(district)}, 2, &r, 404,
	    "user_not_found", "用户不存在或已停用", e);
	if (rc < 0)
		return rc;
	/* An inspector checks for the department their account belongs to: a
	 * supervisor may only register the staff of their own department. */
	if (in->department != NULL && strcmp(store_cell(r, 0, 0), in->department) != 0) {
		store_result_free(r);
		return yerr_set(e, 422, "department_mismatch", "department",
				"该用户不属于此部门，不能列入此部门的执法检查人员名录");
	}
	store_result_free(r);
	rc = store_query_int(
	    c, "SELECT count(*) FROM user_roles WHERE user_id = ? AND role = 'inspector'",
	    (struct store_param[]){SP_INT(in->user_id)}, 1, 0, &is_inspector, e);
	if (rc < 0)
		return rc;
	if (is_inspector == 0)
		return yerr_set(e, 422, "not_inspector", "user_id",
				"该用户没有执法检查人员角色，不能列入名录");
	rc = store_query_int(
	    c, "SELECT count(*) FROM inspectors WHERE district = ? AND user_id = ?",
	    (struct store_param[]){SP_TEXT(district), SP_INT(in->user_id)}, 2, 0, &exists, e);
	if (rc < 0)
		return rc;
	if (created != NULL)
		*created = exists == 0;
	if (exists == 0)
		return store_exec(
		    c,
		    "INSERT INTO inspectors (district, user_id, department, qualifications, "
		    "active, "
		    "note, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    (struct store_param[]){
			SP_TEXT(district), SP_INT(in->user_id), SP_TEXT(in->department),
			SP_TEXT(in->qualifications ? in->qualifications : "[]"),
			SP_INT(in->active < 0 ? 1 : in->active), SP_TEXT(in->note),
			in->actor_id > 0 ? SP_INT(in->actor_id) : SP_NULL, SP_INT(in->now),
			SP_INT(in->now)},
		    9, NULL, e);
	return store_exec(
	    c,
	    "UPDATE inspectors SET department = coalesce(?, department), qualifications = "
	    "coalesce(?, qualifications), active = CASE WHEN ? < 0 THEN active ELSE ? END, note = "
	    "CASE WHEN ? = 1 THEN ? ELSE note END, updated_at = ? WHERE district = ? AND user_id = "
	    "?",
	    (struct store_param[]){SP_TEXT(in->department), SP_TEXT(in->qualifications),
				   SP_INT(in->active), SP_INT(in->active < 0 ? 0 : in->active),
				   SP_INT(in->note != NULL), SP_TEXT(in->note), SP_INT(in->now),
				   SP_TEXT(district), SP_INT(in->user_id)},
	    9, NULL, e);
}

/* Appends " AND <col> IN (?, …)" and the parameters for departments. */
static int dept_filter(char *sql, size_t sqlsz, const char *col, const char *const *departments,
		       size_t ndep, struct store_param *p, int *np, struct yerr *e)
{
	size_t len = strlen(sql);

	if (ndep == 0)
		return 0;
	if (ndep > SUP_MAX_DEPTS)
		return yerr_set(e, 400, "too_many_departments", "departments", "部门过多");
	len += (size_t)snprintf(sql + len, sqlsz - len, " AND %s IN (", col);
	for (size_t i = 0; i < ndep; i++) {
		len += (size_t)snprintf(sql + len, sqlsz - len, i ? ", ?" : "?");
		p[(*np)++] = SP_TEXT(departments[i]);
	}
	snprintf(sql + len, sqlsz - len, ")");
	return 0;
}

int sup_inspectors_list(struct store_conn *c, const char *district, const char *department,
			bool active_only, struct sup_inspector **items, size_t *n, struct yerr *e)
{
	struct store_result *r = NULL;
	int rc;

	*items = NULL;
	*n = 0;
	rc = store_exec(
	    c,
	    "SELECT " INSP_COLS INSP_FROM
	    "WHERE i.district = ? AND (? = '' OR i.department = ?) AND (? = 0 OR "
	    "i.active = 1) ORDER BY i.department, i.user_id",
	    (struct store_param[]){SP_TEXT(district), SP_TEXT(department ? department : ""),
				   SP_TEXT(department ? department : ""), SP_INT(active_only)},
	    4, &r, e);
	if (rc < 0)
		return rc;
	return inspectors_from(r, items, n, e);
}

int sup_inspectors_active(struct store_conn *c, const char *district,
			  const char *const *departments, size_t ndep, struct sup_inspector **items,
			  size_t *n, struct yerr *e)
{
	char sql[2048] = "SELECT " INSP_COLS INSP_FROM
			 "WHERE i.district = ? AND i.active = 1 AND u.disabled = 0";
	struct store_param p[SUP_MAX_DEPTS + 1];
	struct store_result *r = NULL;
	int np = 0, rc;

	*items = NULL;
	*n = 0;
	if (ndep == 0)
		return 0;
	p[np++] = SP_TEXT(district);
	if ((rc = dept_filter(sql, sizeof(sql), "i.department", departments, ndep, p, &np, e)) < 0)
		return rc;
	strncat(sql, " ORDER BY i.user_id", sizeof(sql) - strlen(sql) - 1);
	if ((rc = store_exec(c, sql, p, np, &r, e)) < 0)
		return rc;
	return inspectors_from(r, items, n, e);
}

/* ---- conflicts of interest ---- */

#define CONF_COLS "k.id, k.user_id, i.department, k.uscc, k.reason, k.declared_at, k.withdrawn_at"
#define CONF_FROM                                                                       \
	" FROM inspector_conflicts k JOIN inspectors i ON i.district = k.district AND " \
	"i.user_id = k.user_id "

static void conflict_from_row(const struct store_result *r, int row, struct sup_conflict *o)
{
	memset(o, 0, sizeof(*o));
	o->id = store_cell_int(r, row, 0, 0);
	o->user_id = store_cell_int(r, row, 1, 0);
	store_cell_copy(r, row, 2, o->department, sizeof(o->department));
	store_cell_copy(r, row, 3, o->uscc, sizeof(o->uscc));
	o->reason = store_cell_dup(r, row, 4);
	o->declared_at = store_cell_int(r, row, 5, 0);
	o->withdrawn_at = store_cell_int(r, row, 6, 0);
}

int sup_conflict_declare(struct store_conn *c, const char *district, int64_t user_id,
			 const char *uscc, const char *reason, int64_t now,
			 struct sup_conflict *out, struct yerr *e)
{
	struct sup_inspector insp;
	struct store_result *r = NULL;
	int rc;

	/* The register row, locked: two declarations of the same pair queue. */
	if ((rc = sup_inspector_get(c, district, user_id, true, &insp, e)) < 0)
		return rc;
	sup_inspector_free(&insp);
	rc = store_exec(c,
			"SELECT withdrawn_at FROM inspector_conflicts WHERE district = ? AND "
			"user_id = ? AND uscc = ?",
			(struct store_param[]){SP_TEXT(district), SP_INT(user_id), SP_TEXT(uscc)},
			3, &r, e);
	if (rc < 0)
		return rc;
	if (r->rows > 0 && store_cell(r, 0, 0) == NULL) {
		store_result_free(r);
		return yerr_set(e, 409, "conflict_exists", "uscc", "已申报与该主体的利害关系");
	}
	if (r->rows > 0)
		rc = store_exec(
		    c,
		    "UPDATE inspector_conflicts SET reason = ?, declared_at = ?, "
		    "withdrawn_at = NULL WHERE district = ? AND user_id = ? AND uscc = ?",
		    (struct store_param[]){SP_TEXT(reason), SP_INT(now), SP_TEXT(district),
					   SP_INT(user_id), SP_TEXT(uscc)},
		    5, NULL, e);
	else
		rc = store_exec(c,
				"INSERT INTO inspector_conflicts (district, user_id, uscc, reason, "
				"declared_at) VALUES (?, ?, ?, ?, ?)",
				(struct store_param[]){SP_TEXT(district), SP_INT(user_id),
						       SP_TEXT(uscc), SP_TEXT(reason), SP_INT(now)},
				5, NULL, e);
	store_result_free(r);
	if (rc < 0 || out == NULL)
		return rc;
	r = NULL;
	rc = store_query_row(
	    c,
	    "SELECT " CONF_COLS CONF_FROM "WHERE k.district = ? AND k.user_id = ? AND k.uscc = ?",
	    (struct store_param[]){SP_TEXT(district), SP_INT(user_id), SP_TEXT(uscc)}, 3, &r, 500,
	    "internal", "刚写入的申报未找到", e);
	if (rc < 0)
		return rc;
	conflict_from_row(r, 0, out);
	store_result_free(r);
	return 0;
}

int sup_conflict_withdraw(struct store_conn *c, const char *district, int64_t user_id, int64_t id,
			  int64_t now, struct yerr *e)
{
	struct store_result *r = NULL;
	int rc;

	rc = store_exec(
	    c,
	    "UPDATE inspector_conflicts SET withdrawn_at = ? WHERE district = ? AND "
	    "user_id = ? AND id = ? AND withdrawn_at IS NULL",
	    (struct store_param[]){SP_INT(now), SP_TEXT(district), SP_INT(user_id), SP_INT(id)}, 4,
	    &r, e);
	if (rc < 0)
		return rc;
	rc = r->changes == 0 ? yerr_set(e, 404, "conflict_not_found", NULL, "没有这项利害关系申报")
			     : 0;
	store_result_free(r);
	return rc;
}

int sup_conflicts_scope(struct store_conn *c, const char *district, const char *const *departments,
			size_t ndep, int64_t user_id, bool with_withdrawn,
			struct sup_conflict **items, size_t *n, struct yerr *e)
{
	char sql[2048] = "SELECT " CONF_COLS CONF_FROM "WHERE k.district = ?";
	struct store_param p[SUP_MAX_DEPTS + 2];
	struct store_result *r = NULL;
	int np = 0, rc;

	*items = NULL;
	*n = 0;
	p[np++] = SP_TEXT(district);
	if (user_id > 0)
		store_where_add(sql, sizeof(sql), " AND k.user_id = ?", p, &np, SP_INT(user_id));
	if (!with_withdrawn)
		strncat(sql, " AND k.withdrawn_at IS NULL", sizeof(sql) - strlen(sql) - 1);
	if ((rc = dept_filter(sql, sizeof(sql), "i.department", departments, ndep, p, &np, e)) < 0)
		return rc;
	strncat(sql, " ORDER BY k.user_id, k.uscc", sizeof(sql) - strlen(sql) - 1);
	if ((rc = store_exec(c, sql, p, np, &r, e)) < 0)
		return rc;
	if (r->rows > 0 && (*items = calloc((size_t)r->rows, sizeof(**items))) == NULL) {
		store_result_free(r);
		return oom(e);
	}
	for (int i = 0; i < r->rows; i++)
		conflict_from_row(r, i, &(*items)[i]);
	*n = (size_t)r->rows;
	store_result_free(r);
	return 0;
}

void sup_conflicts_free(struct sup_conflict *items, size_t n)
{
	for (size_t i = 0; items != NULL && i < n; i++)
		free(items[i].reason);
	free(items);
}

/* ---- the entity register ---- */

/* The street a license's application named (F_site_street), "" when none. */
static void street_of(const char *form, char *out, size_t outsz)
{
	json_t *j = form != NULL ? json_loads(form, 0, NULL) : NULL;
	const char *v = json_string_value(json_object_get(j, "F_site_street"));

	snprintf(out, outsz, "%s", v != NULL ? v : "");
	json_decref(j);
}

static bool entity_matches(const struct sup_entity *en, const struct sup_entity_filter *f)
{
	bool ok = false;

	if (f == NULL)
		return true;
	if (f->street != NULL && *f->street != '\0' && strcmp(en->street, f->street) != 0)
		return false;
	if (f->q != NULL && *f->q != '\0' && strncmp(en->uscc, f->q, strlen(f->q)) != 0 &&
	    (en->name == NULL || strstr(en->name, f->q) == NULL))
		return false;
	if (f->industry == NULL || *f->industry == '\0')
		return true;
	for (size_t i = 0; i < en->nlicenses && !ok; i++)
		ok = strcmp(en->licenses[i].industry, f->industry) == 0;
	return ok;
}

void sup_entities_free(struct sup_entity *items, size_t n)
{
	for (size_t i = 0; items != NULL && i < n; i++) {
		free(items[i].name);
		free(items[i].address);
		for (size_t k = 0; k < items[i].nlicenses; k++)
			free(items[i].licenses[k].industry_name);
		free(items[i].licenses);
	}
	free(items);
}

int sup_entities_list(struct store_conn *c, const char *district, const struct sup_entity_filter *f,
		      struct sup_entity **items, size_t *n, struct yerr *e)
{
	struct store_result *r = NULL;
	struct sup_entity *out = NULL;
	size_t nout = 0;
	int rc;

	*items = NULL;
	*n = 0;
	/* Newest issue first within an entity: its name and address are the
	 * current ones. Filters other than the uscc run below, on the grouped
	 * entity (an entity is in the register with all its licenses). */
	rc = store_exec(
	    c,
	    "SELECT l.holder_uscc, l.holder_name, l.address, l.number, l.industry, "
	    "l.industry_name, l.status, l.valid_until, a.form FROM licenses l LEFT JOIN "
	    "applications a ON a.id = l.application_id WHERE l.district = ? AND l.is_current = 1 "
	    "AND l.status NOT IN ('cancelled', 'revoked', 'superseded') AND (? = '' OR "
	    "l.holder_uscc = ?) ORDER BY l.holder_uscc, l.issued_at DESC, l.number LIMIT ?",
	    (struct store_param[]){
		SP_TEXT(district), SP_TEXT(f != NULL && f->uscc != NULL ? f->uscc : ""),
		SP_TEXT(f != NULL && f->uscc != NULL ? f->uscc : ""), SP_INT(SUP_ENTITIES_MAX + 1)},
	    4, &r, e);
	if (rc < 0)
		return rc;
	if (r->rows > SUP_ENTITIES_MAX) {
		store_result_free(r);
		return yerr_set(e, 413, "too_many_entities", NULL, "持证主体过多，无法一次列出");
	}
	if (r->rows > 0 && (out = calloc((size_t)r->rows, sizeof(*out))) == NULL) {
		store_result_free(r);
		return oom(e);
	}
	for (int i = 0; i < r->rows;) {
		struct sup_entity *en = &out[nout];
		const char *uscc = store_cell(r, i, 0);
		int j = i;

		while (j < r->rows && strcmp(store_cell(r, j, 0), uscc) == 0)
			j++;
		snprintf(en->uscc, sizeof(en->uscc), "%s", uscc);
		en->name = store_cell_dup(r, i, 1);
		en->address = store_cell_dup(r, i, 2);
		street_of(store_cell(r, i, 8), en->street, sizeof(en->street));
		if ((en->licenses = calloc((size_t)(j - i), sizeof(*en->licenses))) == NULL) {
			sup_entities_free(out, nout + 1);
			store_result_free(r);
			return oom(e);
		}
		for (int k = i; k < j; k++) {
			struct sup_entity_license *l = &en->licenses[en->nlicenses++];

			store_cell_copy(r, k, 3, l->number, sizeof(l->number));
			store_cell_copy(r, k, 4, l->industry, sizeof(l->industry));
			l->industry_name = store_cell_dup(r, k, 5);
			store_cell_copy(r, k, 6, l->status, sizeof(l->status));
			store_cell_copy(r, k, 7, l->valid_until, sizeof(l->valid_until));
		}
		i = j;
		if (entity_matches(en, f))
			nout++;
		else {
			free(en->name);
			free(en->address);
			for (size_t k = 0; k < en->nlicenses; k++)
				free(en->licenses[k].industry_name);
			free(en->licenses);
			memset(en, 0, sizeof(*en));
		}
	}
	store_result_free(r);
	*items = out;
	*n = nout;
	return 0;
}
