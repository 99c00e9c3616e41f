/*
 * h_catalog_admin.c — catalog versions and department proposals.
 *
 * GET  /api/v1/catalog/versions                 list (catalog.propose)
 * POST /api/v1/catalog/versions                 publish a new version (catalog.manage)
 * GET  /api/v1/catalog/versions/{v}/document    the whole document (catalog.manage)
 * GET  /api/v1/catalog/versions/{v}/diff        what changed (catalog.propose)
 * POST /api/v1/catalog/versions/{v}/activate    serve it (catalog.manage)
 * POST /api/v1/catalog/proposals                propose 新增/调整 (catalog.propose)
 * GET  /api/v1/catalog/proposals                list (own department; all for catalog.manage)
 * POST /api/v1/catalog/proposals/{id}/decision  approve / reject (catalog.manage)
 *
 * A new version passes the same checks and rule tests as `yiye catalog test`
 * before anything is written; a failing one answers 400 catalog_invalid with
 * every problem and changes nothing. Shapes: docs/api-catalog.md.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/catalog_check.h"
#include "core/catalog_diff.h"
#include "core/roles.h"
#include "http/args.h"
#include "http/auth.h"
#include "http/handlers.h"
#include "store/store_catalog.h"

#define PROBLEMS_MAX 1000 /* problems listed in one answer; the total is given too */
#define NOTE_MAX 500      /* characters */
#define TITLE_MAX 100
#define REASON_MAX 2000
#define DETAIL_MAX 10000
#define COMMENT_MAX 2000
#define PROPOSALS_MAX 200 /* ids in one publication */

/* The caller, as authenticated by auth.c. */
static const struct principal *caller(struct req *r)
{
	return &r->who;
}

static json_t *text_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *time_or_null(int64_t t)
{
	return t ? json_integer(t) : json_null();
}

/* {version,status,created_at,created_by,note,sha256,activated_at,proposals} */
static json_t *version_json(const void *item)
{
	const struct store_catalog_version *v = item;
	json_t *ids = json_array();

	for (size_t i = 0; i < v->nproposals; i++)
		json_array_append_new(ids, json_integer(v->proposals[i]));
	return json_pack("{s:I,s:s,s:I,s:o,s:o,s:s,s:o,s:o}", "version", (json_int_t)v->version,
			 "status", v->status, "created_at", (json_int_t)v->created_at, "created_by",
			 text_or_null(v->created_by), "note", text_or_null(v->note), "sha256",
			 v->sha256, "activated_at", time_or_null(v->activated_at), "proposals",
			 ids);
}

/* {id,kind,industry,title,reason,detail,department,proposed_by,created_at,
 *  status,decided_by,decided_at,comment,included_in} (industry_name is added
 * from the catalog by add_industry_name). */
static json_t *proposal_json(const void *item)
{
	const struct store_catalog_proposal *p = item;

	return json_pack("{s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:I,s:o,s:o,s:o,s:o,s:o}", "id",
			 (json_int_t)p->id, "kind", text_or_null(p->kind), "industry",
			 text_or_null(p->industry), "title", text_or_null(p->title), "reason",
			 text_or_null(p->reason), "detail", text_or_null(p->detail), "department",
			 text_or_null(p->department), "proposed_by", text_or_null(p->proposed_by),
			 "created_at", (json_int_t)p->created_at, "status", text_or_null(p->status),
			 "decided_by", text_or_null(p->decided_by), "decided_at",
			 time_or_null(p->decided_at), "comment", text_or_null(p->comment),
			 "included_in", time_or_null(p->included_in));
}

/* version_param reads {v}: a version number, or "active" for the active one
 * (answered as 0). */
static int version_param(struct req *r, long *v)
{
	const char *s = req_param(r, "v");
	long long n;

	if (s && strcmp(s, "active") == 0) {
		*v = 0;
		return 0;
	}
	if (args_int(s, 1, 1000000000L, &n) < 0) {
		reply_error(r, 404, "unknown_version", "version", "目录版本号应为正整数");
		return -1;
	}
	*v = (long)n;
	return 0;
}

void h_catalog_versions_list(struct req *r)
{
	struct store_catalog_version *items;
	struct store_conn *c;
	struct req_page page;
	struct yerr e = {0};
	long total, active;
	size_t n;
	json_t *out;
	int rc;

	if (req_paging(r, REQ_PAGE_DEFAULT, REQ_PAGE_MAX, &page) < 0 || req_acquire(r, &c) < 0)
		return;
	rc = store_catalog_versions(c, req_district(r), page.limit, page.offset, &items, &n, &total,
				    &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	pthread_rwlock_rdlock(&r->app->catalog_lock);
	active = r->app->catalog_version;
	pthread_rwlock_unlock(&r->app->catalog_lock);
	out = req_list(items, n, sizeof(*items), version_json, total, &page);
	store_catalog_versions_free(items, n);
	json_object_set_new(out, "active", active > 0 ? json_integer(active) : json_null());
	reply_json(r, 200, out);
}

/* problems_reply answers 400 catalog_invalid listing every problem. */
static void problems_reply(struct req *r, const struct catalog_problems *p)
{
	json_t *body, *list = json_array();

	for (size_t i = 0; i < p->n && i < PROBLEMS_MAX; i++)
		json_array_append_new(list,
				      json_pack("{s:s,s:s,s:s,s:b}", "file", p->items[i].file,
						"path", p->items[i].path, "message",
						p->items[i].message, "fatal", p->items[i].fatal));
	body = http_error_body("catalog_invalid", "目录文档未通过检查，未发布新版本", "document");
	json_object_set_new(json_object_get(body, "error"), "problems", list);
	json_object_set_new(json_object_get(body, "error"), "problems_total",
			    json_integer((json_int_t)p->n));
	reply_json(r, 400, body);
}

/*
 * document_check builds the document, runs the quality checks and — when
 * nothing is fatal — every industry's rule tests, exactly as
 * `yiye catalog test` does for a directory; it also requires the document to
 * be for this district. Appends every problem to probs; *cat receives the
 * built catalog (or NULL on OOM).
 */
static void document_check(const char *text, size_t len, const char *district, struct catalog **cat,
			   struct catalog_problems *probs)
{
	size_t ntests = 0;

	*cat = NULL;
	if (catalog_build_document(text, len, cat, probs) < 0 || *cat == NULL)
		abort();
	if (catalog_check_model(*cat, probs) < 0)
		abort();
	if (catalog_problems_fatal(probs) == 0 && catalog_test(*cat, probs, &ntests) < 0)
		abort();
	if ((*cat)->district && strcmp((*cat)->district, district) != 0)
		catalog_problem_add(probs, true, "catalog", "district",
				    "目录属于辖区 %s，本平台辖区为 %s", (*cat)->district, district);
}

/* publish_ids reads "proposals": absent means every approved proposal,
 * otherwise an array of ids. Returns -1 after replying. */
static int publish_ids(struct req *r, struct store_catalog_new *v, int64_t *ids)
{
	json_t *a = json_object_get(r->json, "proposals"), *x;
	size_t i;

	if (a == NULL || json_is_null(a)) {
		v->all_approved = true;
		return 0;
	}
	if (!json_is_array(a)) {
		reply_error(r, 400, "invalid_type", "proposals", "proposals 应为建议编号的数组");
		return -1;
	}
	if (json_array_size(a) > PROPOSALS_MAX) {
		reply_error(r, 400, "too_many", "proposals", "一次最多纳入 %d 条建议",
			    PROPOSALS_MAX);
		return -1;
	}
	json_array_foreach (a, i, x) {
		if (!json_is_integer(x) || json_integer_value(x) <= 0) {
			char field[32];

			snprintf(field, sizeof(field), "proposals[%zu]", i);
			reply_error(r, 400, "invalid_type", field, "建议编号应为正整数");
			return -1;
		}
		ids[i] = json_integer_value(x);
	}
	v->ids = ids;
	v->nids = json_array_size(a);
	return 0;
}

void h_catalog_version_create(struct req *r)
{
	static const char *const keys[] = {"document", "note", "activate", "proposals", NULL};
	struct store_catalog_new v = {.district = req_district(r)};
	struct catalog_problems probs = {0};
	struct catalog_changes changes = {0};
	struct catalog *cat = NULL;
	struct yerr e = {0};
	int64_t ids[PROPOSALS_MAX];
	json_t *doc, *act, *out, *diff = NULL;
	char *text = NULL, *canonical = NULL, object[48];
	struct store_conn *c;
	long version = 0;
	int rc;

	if (req_body_keys(r, keys) < 0 || req_text(r, "note", ARG_MULTILINE, NOTE_MAX, &v.note) < 0)
		return;
	doc = json_object_get(r->json, "document");
	if (doc == NULL || json_is_null(doc))
		return reply_error(
		    r, 400, "required", "document",
		    "缺少 document（整个目录的单一文档，见 GET …/versions/{v}/document）");
	if (!json_is_object(doc))
		return reply_error(r, 400, "invalid_type", "document", "document 应为 JSON 对象");
	act = json_object_get(r->json, "activate");
	if (act != NULL && !json_is_boolean(act) && !json_is_null(act))
		return reply_error(r, 400, "invalid_type", "activate",
				   "activate 应为 true 或 false");
	v.activate = json_is_true(act);
	if (publish_ids(r, &v, ids) < 0)
		return;

	text = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
	if (text == NULL)
		abort();
	document_check(text, strlen(text), req_district(r), &cat, &probs);
	if (probs.n > 0) {
		problems_reply(r, &probs);
		goto out;
	}
	canonical = catalog_to_json(cat);
	if (canonical == NULL)
		abort();
	/* What changes against the version served now (for the answer only). */
	pthread_rwlock_rdlock(&r->app->catalog_lock);
	if (r->app->catalog && catalog_diff(r->app->catalog, cat, &changes) == 0)
		diff = catalog_changes_to_json(&changes);
	catalog_changes_free(&changes);
	pthread_rwlock_unlock(&r->app->catalog_lock);

	v.document = canonical;
	v.created_by = caller(r)->name[0] ? caller(r)->name : "unknown";
	if (req_acquire(r, &c) < 0)
		goto out;
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = store_catalog_publish(c, &v, &version, &e);
	snprintf(object, sizeof(object), "catalog_version:%ld", version);
	if (rc == 0)
		rc = req_audit_commit(r, c, object, NULL, &e);
	store_release(c);
	if (rc < 0) {
		reply_yerr(r, &e);
		goto out;
	}
	if (v.activate && app_catalog_reload(r->app, &e) < 0) {
		reply_yerr(r, &e);
		goto out;
	}
	out = json_pack("{s:I,s:s,s:I,s:I,s:o}", "version", (json_int_t)version, "status",
			v.activate ? "active" : "published", "industries",
			(json_int_t)cat->nindustries, "permits", (json_int_t)cat->npermits,
			"changes", diff ? diff : json_array());
	diff = NULL;
	reply_json(r, 201, out);
out:
	json_decref(diff);
	catalog_problems_free(&probs);
	catalog_free(cat);
	free(text);
	free(canonical);
}

/* document_read reads version v's document (0: the active one). */
static int document_read(struct req *r, long v, char **doc, long *version, struct yerr *e)
{
	struct store_conn *c;
	int rc = store_acquire(r->app->store, &c, e);

	if (rc == 0) {
		rc = store_catalog_document(c, req_district(r), v, doc, version, e);
		store_release(c);
	}
	return rc;
}

void h_catalog_version_document(struct req *r)
{
	struct yerr e = {0};
	char *doc, hv[32];
	long v, version;

	if (version_param(r, &v) < 0)
		return;
	if (document_read(r, v, &doc, &version, &e) < 0)
		return reply_yerr(r, &e);
	snprintf(hv, sizeof(hv), "%ld", version);
	reply_header(r, "X-Catalog-Version", hv);
	reply_raw(r, 200, "application/json", doc, strlen(doc));
	free(doc);
}

/* load_version reads and parses version v (0: active) from the store. */
static int load_version(struct req *r, long v, struct catalog **cat, long *version, struct yerr *e)
{
	char *doc = NULL;
	int rc;

	*cat = NULL;
	if (document_read(r, v, &doc, version, e) < 0)
		return -1;
	rc = catalog_parse_document(doc, strlen(doc), cat, e);
	free(doc);
	if (rc < 0)
		return yerr_set(e, 500, "catalog_corrupt", "", "目录版本 %ld 无法解析", *version);
	return 0;
}

void h_catalog_version_diff(struct req *r)
{
	struct catalog *a = NULL, *b = NULL;
	struct catalog_changes ch = {0};
	struct yerr e = {0};
	size_t added = 0, removed = 0, changed = 0;
	long v, from = 0, to = 0;
	long long va;

	/* against absent (0): the version before v */
	if (version_param(r, &v) < 0 || req_query_int(r, "against", 0, 1, 1000000000L, &va) < 0)
		return;
	if (load_version(r, v, &b, &to, &e) < 0)
		return reply_yerr(r, &e);
	if (va == 0)
		va = to - 1;
	if (va < 1) {
		catalog_free(b);
		return reply_error(r, 400, "required", "against",
				   "版本 %ld 之前没有版本，请用 against 指定比较的版本", to);
	}
	if (load_version(r, va, &a, &from, &e) < 0) {
		catalog_free(b);
		if (strcmp(e.code, "unknown_version") == 0) {
			e.status = 400;
			snprintf(e.field, sizeof(e.field), "against");
		}
		return reply_yerr(r, &e);
	}
	if (catalog_diff(a, b, &ch) < 0)
		abort();
	for (size_t i = 0; i < ch.n; i++) {
		added += ch.items[i].kind == CATALOG_ADDED;
		removed += ch.items[i].kind == CATALOG_REMOVED;
		changed += ch.items[i].kind == CATALOG_CHANGED;
	}
	reply_json(r, 200,
		   json_pack("{s:I,s:I,s:o,s:I,s:{s:I,s:I,s:I}}", "from", (json_int_t)from, "to",
			     (json_int_t)to, "changes", catalog_changes_to_json(&ch), "total",
			     (json_int_t)ch.n, "summary", "added", (json_int_t)added, "removed",
			     (json_int_t)removed, "changed", (json_int_t)changed));
	catalog_changes_free(&ch);
	catalog_free(a);
	catalog_free(b);
}

void h_catalog_version_activate(struct req *r)
{
	struct catalog *cat = NULL;
	struct store_conn *c;
	struct yerr e = {0};
	long v, version, previous = 0;
	char object[48];
	int rc;

	if (version_param(r, &v) < 0)
		return;
	if (v == 0)
		return reply_error(r, 400, "invalid_version", "version", "请指定要启用的版本号");
	/* Prove it loads before making it the one the guide serves. */
	if (load_version(r, v, &cat, &version, &e) < 0)
		return reply_yerr(r, &e);
	catalog_free(cat);
	if (req_acquire(r, &c) < 0)
		return;
	snprintf(object, sizeof(object), "catalog_version:%ld", v);
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = store_catalog_activate(c, req_district(r), v, &previous, &e);
	if (rc == 0)
		rc = req_audit_commit(r, c, object, NULL, &e);
	store_release(c);
	if (rc < 0 || app_catalog_reload(r->app, &e) < 0)
		return reply_yerr(r, &e);
	reply_json(r, 200,
		   json_pack("{s:I,s:s,s:o}", "version", (json_int_t)v, "status", "active",
			     "previous", previous > 0 ? json_integer(previous) : json_null()));
}

/* May p see and decide every department's proposals? */
static bool manages_catalog(const struct principal *p)
{
	return roles_authorize(p, "catalog.manage", "GET") == AUTHZ_ALLOW;
}

/* add_industry_name adds "industry_name" to a proposal from the active catalog. */
static void add_industry_name(struct req *r, json_t *p)
{
	const char *code = json_string_value(json_object_get(p, "industry"));
	const struct catalog_industry *ind;

	pthread_rwlock_rdlock(&r->app->catalog_lock);
	ind = code && r->app->catalog ? catalog_industry_find(r->app->catalog, code) : NULL;
	json_object_set_new(p, "industry_name", ind ? json_string(ind->name) : json_null());
	pthread_rwlock_unlock(&r->app->catalog_lock);
}

/* proposal_reply answers with proposal p, named from the active catalog. */
static void proposal_reply(struct req *r, int status, const struct store_catalog_proposal *p)
{
	json_t *out = proposal_json(p);

	add_industry_name(r, out);
	reply_json(r, status, out);
}

/* proposal_write runs a proposal change (insert when p is set, else the
 * decision), reads the proposal back and audits it, in one transaction. */
static int proposal_write(struct req *r, const struct store_catalog_proposal_new *p, int64_t id,
			  bool approve, const char *comment, struct store_catalog_proposal *out,
			  struct yerr *e)
{
	const char *by = r->who.name[0] ? r->who.name : "unknown";
	struct store_conn *c;
	char object[48];
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = store_acquire(r->app->store, &c, e)) < 0)
		return rc;
	rc = store_begin(c, e);
	if (rc == 0)
		rc = p ? store_catalog_proposal_insert(c, p, &id, e)
		       : store_catalog_proposal_decide(c, req_district(r), id, approve, by, comment,
						       e);
	if (rc == 0)
		rc = store_catalog_proposal_get(c, req_district(r), id, out, e);
	snprintf(object, sizeof(object), "catalog_proposal:%lld", (long long)id);
	if (rc == 0)
		rc = req_audit_commit(r, c, object, NULL, e);
	store_release(c);
	if (rc < 0)
		store_catalog_proposals_free(out, 1, false);
	return rc;
}

void h_catalog_proposal_create(struct req *r)
{
	static const char *const keys[] = {"kind", "industry", "title", "reason", "detail", NULL};
	const struct principal *who = caller(r);
	struct store_catalog_proposal_new p = {.district = req_district(r)};
	struct store_catalog_proposal out;
	struct yerr e = {0};
	bool known;

	if (req_body_keys(r, keys) < 0 || req_text(r, "kind", ARG_REQUIRED, 16, &p.kind) < 0 ||
	    req_text(r, "industry", 0, 64, &p.industry) < 0 ||
	    req_text(r, "title", ARG_REQUIRED, TITLE_MAX, &p.title) < 0 ||
	    req_text(r, "reason", ARG_REQUIRED | ARG_MULTILINE, REASON_MAX, &p.reason) < 0 ||
	    req_text(r, "detail", ARG_MULTILINE, DETAIL_MAX, &p.detail) < 0)
		return;
	if (strcmp(p.kind, "add") != 0 && strcmp(p.kind, "change") != 0)
		return reply_error(r, 400, "invalid_value", "kind",
				   "kind 应为 add（新增建议）或 change（调整建议）");
	if (p.industry == NULL && strcmp(p.kind, "change") == 0)
		return reply_error(r, 400, "required", "industry", "调整建议须指明所调整的行业");
	if (p.industry) {
		pthread_rwlock_rdlock(&r->app->catalog_lock);
		known = r->app->catalog && catalog_industry_find(r->app->catalog, p.industry);
		pthread_rwlock_unlock(&r->app->catalog_lock);
		if (!known)
			return reply_error(r, 400, "unknown_industry", "industry",
					   "行业目录中没有该行业");
	}
	p.department = who->department[0] ? who->department : NULL;
	p.proposed_by = who->name[0] ? who->name : "unknown";
	if (proposal_write(r, &p, 0, false, NULL, &out, &e) < 0)
		return reply_yerr(r, &e);
	proposal_reply(r, 201, &out);
	store_catalog_proposals_free(&out, 1, false);
}

void h_catalog_proposals_list(struct req *r)
{
	static const char *const statuses[] = {"pending", "approved", "rejected", "included", NULL};
	const struct principal *who = caller(r);
	const char *status = req_query(r, "status"), *dept;
	struct store_catalog_proposal *items;
	struct store_conn *c;
	struct req_page page;
	struct yerr e = {0};
	json_t *out, *it;
	size_t i, n;
	long total;
	int rc;

	if (req_paging(r, REQ_PAGE_DEFAULT, REQ_PAGE_MAX, &page) < 0)
		return;
	if (status && *status == '\0')
		status = NULL;
	for (i = 0; status && statuses[i] && strcmp(statuses[i], status) != 0; i++)
		;
	if (status && statuses[i] == NULL)
		return reply_error(r, 400, "invalid_value", "status",
				   "status 应为 pending、approved、rejected 或 included");
	/* Proposers see their department's; the catalog admin sees all. */
	dept = manages_catalog(who) ? NULL : who->department;
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_catalog_proposals(c, req_district(r), dept, status, page.limit, page.offset,
				     &items, &n, &total, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	out = req_list(items, n, sizeof(*items), proposal_json, total, &page);
	store_catalog_proposals_free(items, n, true);
	json_array_foreach (json_object_get(out, "items"), i, it)
		add_industry_name(r, it);
	reply_json(r, 200, out);
}

void h_catalog_proposal_decide(struct req *r)
{
	static const char *const keys[] = {"decision", "comment", NULL};
	const char *decision, *comment;
	struct store_catalog_proposal out;
	struct yerr e = {0};
	int64_t id;
	bool approve;

	if (req_path_id(r, "id", "unknown_proposal", &id) < 0)
		return;
	if (req_body_keys(r, keys) < 0 ||
	    req_text(r, "decision", ARG_REQUIRED, 16, &decision) < 0 ||
	    req_text(r, "comment", ARG_MULTILINE, COMMENT_MAX, &comment) < 0)
		return;
	if (strcmp(decision, "approve") != 0 && strcmp(decision, "reject") != 0)
		return reply_error(r, 400, "invalid_value", "decision",
				   "decision 应为 approve（同意）或 reject（不同意）");
	approve = strcmp(decision, "approve") == 0;
	if (!approve && comment == NULL)
		return reply_error(r, 400, "required", "comment", "不同意时须说明理由");
	if (proposal_write(r, NULL, id, approve, comment, &out, &e) < 0)
		return reply_yerr(r, &e);
	proposal_reply(r, 200, &out);
	store_catalog_proposals_free(&out, 1, false);
}
