/*
 * h_materials.c — an application's materials (issue 11 §3;
 * docs/api-applications.md "Materials"):
 *   PUT    /api/v1/applications/{id}/materials/{material_id}   raw body
 *   GET    /api/v1/applications/{id}/materials/{material_id}   the bytes
 *   DELETE /api/v1/applications/{id}/materials/{material_id}
 *
 * An upload (ROUTE_UPLOAD) arrives here already on disk: server.c streamed
 * the body into a temp file of the blob store and hashed it. The handler
 * decides, in order: the application ({id} visible to the caller, else
 * 404), the workflow (edit: owner or window clerk, draft /
 * supplement_requested / returned, else 403 / 404 / 409), the material
 * (in the frozen notice, else 404; not 免于提交, else 400), the content
 * (PDF, JPEG, PNG or OFD by its bytes, else 415). Then the bytes are made
 * durable under their sha256 (blob_writer_commit), and only then the row,
 * the history entry and the audit entry commit in one transaction, so a row
 * never names a missing file. One upload per material id serves every
 * permit of the application that asks for it.
 *
 * Inspection photos (一同核查, issue 11 §8) are materials of the same
 * application with the id "inspection/<department>/<n>", stored the same
 * way, uploaded by an inspector of that department while the application is
 * in `inspection`:
 *   PUT    /api/v1/applications/{id}/inspection/{department}/photos/{n}
 *   GET    /api/v1/applications/{id}/inspection/{department}/photos/{n}
 * A section's items name them in "photos" (h_inspection.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "core/material.h"
#include "http/app_life.h"
#include "http/applications.h"
#include "io/blobs.h"
#include "store/store_material.h"

/* The workflow's verdict on an edit of a (state, role, ownership). */
static int may_edit(struct req *r, const struct store_app *a, struct yerr *e)
{
	struct wf_request req = {.action = WF_EDIT, .today = app_today(r)};
	struct wf_effects fx;
	struct wf_actor actor;
	struct wf_app next;

	app_actor(r, a, &actor);
	return workflow_apply(&a->wf, &actor, &req, &next, &fx, e);
}

/* Where material id mid is in a's frozen notice: 0 with *name (valid while
 * n is open) and, for department staff, whether their permits use it in
 * *visible; 404 material_not_in_notice when the notice does not list it. */
static int notice_material(struct req *r, struct store_conn *c, const struct store_app *a,
			   const char *mid, bool *exempt, bool *visible, struct yerr *e)
{
	struct app_notice n;
	bool *vm, *vf;
	size_t k;
	int rc = 0;

	if (app_notice_open(r, c, a, &n, e) < 0) {
		app_notice_close(r, &n);
		return -1;
	}
	for (k = 0; k < n.g.nmaterials; k++)
		if (strcmp(n.g.materials[k].material->id, mid) == 0)
			break;
	if (k == n.g.nmaterials) {
		app_notice_close(r, &n);
		/* a permit added by a change application brings its own */
		if (app_life_material(r, c, a, mid, exempt)) {
			*visible = true;
			return 0;
		}
		return yerr_set(e, 404, "material_not_in_notice", "material_id",
				"材料 %s 不在本申请的告知单中", mid);
	}
	*exempt = n.g.materials[k].material->exempt;
	*visible = true;
	/* Reviewers and inspectors see the materials their permits use
	 * (workflow_department_view); applicants, clerks and read tokens
	 * passed app_visible already. */
	if (r->who.kind != PRINCIPAL_TOKEN &&
	    !(r->who.roles & (ROLE_BIT(ROLE_APPLICANT) | ROLE_BIT(ROLE_WINDOW_CLERK)))) {
		vm = calloc(n.g.nmaterials + 1, sizeof(*vm));
		vf = calloc(n.g.nfields + 1, sizeof(*vf));
		if (vm == NULL || vf == NULL)
			abort();
		workflow_department_view(&n.g, r->who.department, vm, vf);
		*visible = vm[k];
		free(vm);
		free(vf);
	}
	app_notice_close(r, &n);
	return rc;
}

static json_t *material_json(const struct store_material *m)
{
	return json_pack("{s:s,s:s,s:I,s:s,s:s,s:o,s:I}", "material_id", m->material_id, "sha256",
			 m->sha256, "size", (json_int_t)m->size, "type", m->type, "mime",
			 material_mime(material_type_parse(m->type)), "uploaded_by",
			 m->uploaded_by ? json_integer(m->uploaded_by) : json_null(), "uploaded_at",
			 (json_int_t)m->uploaded_at);
}

/* The content check: the whole temp file, mapped read-only (at most
 * ROUTE_UPLOAD_LIMIT bytes, never copied to the heap). */
static int sniff_upload(struct blob_writer *w, enum material_type *type, struct yerr *e)
{
	size_t len = w ? (size_t)blob_writer_size(w) : 0;
	void *map;
	int rc;

	if (len == 0)
		return material_check(NULL, 0, "body", type, e);
	map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, blob_writer_fd(w), 0);
	if (map == MAP_FAILED)
		return yerr_set(e, 503, "storage_unavailable", NULL,
				"材料存储暂不可用，请稍后重试");
	rc = material_check(map, len, "body", type, e);
	munmap(map, len);
	return rc;
}

/* Checks of PUT and DELETE before anything is written: the application, the
 * workflow, the notice. Replies and returns -1 on a refusal. */
static int edit_checks(struct req *r, struct store_conn *c, const char *mid, int64_t *id,
		       struct store_app *a)
{
	struct yerr e = {0};
	bool exempt = false, visible = true;

	if (app_load(r, c, false, id, a) < 0)
		return -1;
	if (may_edit(r, a, &e) < 0 || notice_material(r, c, a, mid, &exempt, &visible, &e) < 0) {
		app_reply_err(r, &e, a);
		store_app_free(a);
		return -1;
	}
	if (exempt) {
		store_app_free(a);
		reply_error(r, 400, "material_exempt", "material_id",
			    "材料 %s 免于提交（由平台通过信息共享获取），无需上传", mid);
		return -1;
	}
	return 0;
}

/* The inspection photo checks on a (an inspector of `department`, which
 * the appointment needs, while the application is in inspection), or the
 * edit checks of the workflow when department is NULL. */
static int may_store(struct req *r, const struct store_app *a, const char *department,
		     struct yerr *e)
{
	size_t k;

	if (department == NULL)
		return may_edit(r, a, e);
	if (strcmp(r->who.department, department) != 0)
		return yerr_set(e, 403, "wrong_department", "department",
				"只能上传本部门（%s）的核查照片", r->who.department);
	for (k = 0; k < a->wf.ndepts; k++)
		if (strcmp(a->wf.depts[k].code, department) == 0)
			break;
	if (k == a->wf.ndepts)
		return yerr_set(e, 404, "unknown_department", "department", "本申请不涉及部门 %s",
				department);
	if (a->wf.status != APP_INSPECTION)
		return yerr_set(
		    e, 409, "invalid_state", "status", "申请当前状态为“%s”（%s），不能上传核查照片",
		    workflow_status_label(a->wf.status), workflow_status_name(a->wf.status));
	if (a->wf.depts[k].inspect == WF_INSPECT_NONE)
		return yerr_set(e, 409, "inspection_not_needed", "department",
				"部门 %s 无需现场核查", department);
	return 0;
}

/* The one write of PUT / DELETE: lock the application, check again that it
 * may still be edited (it may have been submitted meanwhile), then the row
 * change (put or, m NULL, delete), the history entry and the audit entry.
 * department: an inspection photo of that department (may_store). */
static int material_write(struct req *r, struct store_conn *c, int64_t id, const char *mid,
			  const struct store_material *m, const char *department, struct yerr *e)
{
	struct store_app a;
	char detail[512];
	int rc;

	memset(&a, 0, sizeof(a));
	rc = store_begin(c, e);
	if (rc == 0)
		rc = store_app_get(c, req_district(r), id, true, &a, e);
	if (rc == 0)
		rc = may_store(r, &a, department, e);
	if (rc == 0)
		rc = m ? store_material_put(c, req_district(r), id, m, e)
		       : store_material_delete(c, req_district(r), id, mid, e);
	if (m)
		snprintf(detail, sizeof(detail),
			 "{\"material_id\":\"%s\",\"sha256\":\"%s\",\"size\":%lld,\"type\":\"%s\"}",
			 mid, m->sha256, (long long)m->size, m->type);
	else
		snprintf(detail, sizeof(detail), "{\"material_id\":\"%s\"}", mid);
	if (rc == 0) {
		bool own = (r->who.roles & ROLE_BIT(ROLE_APPLICANT)) && a.applicant_id == r->who.id;
		struct store_app_event ev = {.action = department ? "inspection_photo"
						       : m        ? "material_upload"
								  : "material_delete",
					     .from = a.wf.status,
					     .to = a.wf.status,
					     .actor_id = r->who.id,
					     .actor_name = r->who.name,
					     .actor_role = department ? "inspector"
							   : own      ? "applicant"
								      : "window_clerk",
					     .department = department,
					     .detail = detail};

		rc = store_app_history_add(c, req_district(r), id, &ev, app_now(r->app), e);
	}
	if (rc == 0)
		rc = req_audit_commit(r, c, r->audit_object, detail, e);
	if (rc < 0 && strcmp(e->code, "invalid_state") == 0) {
		app_reply_err(r, e, &a);
		e->status = 0; /* answered */
	}
	store_app_free(&a);
	return rc;
}

/* Material ids are catalog ids: short, printable, no path characters. */
static int material_id_ok(struct req *r, const char **mid)
{
	*mid = req_param(r, "material_id");
	if (*mid == NULL || strlen(*mid) == 0 || strlen(*mid) >= 128 ||
	    strspn(*mid, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") !=
		strlen(*mid)) {
		reply_error(r, 404, "material_not_in_notice", "material_id", "材料编号不存在");
		return -1;
	}
	return 0;
}

/* Judges the received body w (the caller's checks passed), makes it durable
 * under its hash and commits its row as material mid; replies in every
 * case, releases c and frees w. */
static void store_upload(struct req *r, struct store_conn *c, struct blob_writer *w, int64_t id,
			 const char *mid, const char *department)
{
	struct store_material m;
	enum material_type type = MATERIAL_UNKNOWN;
	struct yerr e = {0};
	int rc;

	if (r->upload_failed)
		rc = yerr_set(&e, 503, "storage_unavailable", NULL, "材料存储暂不可用，请稍后重试");
	else
		rc = sniff_upload(w, &type, &e);
	if (rc < 0) {
		store_release(c);
		blob_writer_abort(w);
		return reply_yerr(r, &e);
	}
	memset(&m, 0, sizeof(m));
	snprintf(m.material_id, sizeof(m.material_id), "%s", mid);
	m.size = (int64_t)blob_writer_size(w);
	snprintf(m.type, sizeof(m.type), "%s", material_ext(type));
	m.uploaded_by = r->who.id;
	m.uploaded_at = app_now(r->app);
	/* Durable under its hash before the row exists (blobs.h). */
	if (blob_writer_commit(w, m.sha256, &e) < 0) {
		store_release(c);
		return reply_yerr(r, &e);
	}
	rc = material_write(r, c, id, mid, &m, department, &e);
	store_release(c);
	if (rc < 0)
		return e.status ? reply_yerr(r, &e) : (void)0;
	reply_json(r, 200, json_pack("{s:o}", "material", material_json(&m)));
}

void h_material_put(struct req *r)
{
	struct blob_writer *w = r->upload;
	struct store_conn *c;
	struct store_app a;
	const char *mid;
	int64_t id;

	r->upload = NULL; /* ours now: committed or aborted below */
	if (material_id_ok(r, &mid) < 0 || req_acquire(r, &c) < 0)
		return blob_writer_abort(w);
	if (edit_checks(r, c, mid, &id, &a) < 0) {
		store_release(c);
		return blob_writer_abort(w);
	}
	store_app_free(&a);
	store_upload(r, c, w, id, mid, NULL);
}

void h_material_delete(struct req *r)
{
	struct store_conn *c;
	struct store_app a;
	struct yerr e = {0};
	const char *mid;
	int64_t id;
	int rc;

	if (material_id_ok(r, &mid) < 0 || req_acquire(r, &c) < 0)
		return;
	if (edit_checks(r, c, mid, &id, &a) < 0) {
		store_release(c);
		return;
	}
	store_app_free(&a);
	/* The blob stays: another application may share it, and a file without
	 * a row is harmless where a row without a file is not. */
	rc = material_write(r, c, id, mid, NULL, NULL, &e);
	store_release(c);
	if (rc < 0)
		return e.status ? reply_yerr(r, &e) : (void)0;
	reply_json(r, 200, json_pack("{s:s}", "deleted", mid));
}

/* Answers the stored bytes of material mid of application id as a
 * download (the type the upload was judged to be, never a guess); releases
 * c. */
static void send_material(struct req *r, struct store_conn *c, int64_t id, const char *mid,
			  const char *filename)
{
	struct store_material m;
	struct yerr e = {0};
	char disp[200];
	uint64_t size;
	int fd, rc;

	rc = store_material_get(c, req_district(r), id, mid, &m, &e);
	store_release(c);
	if (rc == 0)
		rc = blob_open(r->app->cfg.data_dir, m.sha256, &fd, &size, &e);
	if (rc < 0)
		return reply_yerr(r, &e);
	/* Always a download, never rendered in the platform's origin. */
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s.%s\"", filename, m.type);
	reply_file(r, 200, material_mime(material_type_parse(m.type)), fd, size);
	reply_header(r, "Content-Disposition", disp);
	reply_header(r, "X-Material-Sha256", m.sha256);
	reply_header(r, "Cache-Control", "private, no-store");
}

void h_material_get(struct req *r)
{
	struct store_conn *c;
	struct store_app a;
	struct yerr e = {0};
	bool exempt = false, visible = true;
	const char *mid;
	int64_t id;
	int rc;

	if (material_id_ok(r, &mid) < 0 || req_acquire(r, &c) < 0)
		return;
	if (app_load(r, c, false, &id, &a) < 0) {
		store_release(c);
		return;
	}
	rc = notice_material(r, c, &a, mid, &exempt, &visible, &e);
	if (rc == 0 && !visible)
		rc = yerr_set(&e, 404, "material_not_in_notice", "material_id",
			      "材料 %s 不属于本部门审查的许可", mid);
	store_app_free(&a);
	if (rc < 0) {
		store_release(c);
		return reply_yerr(r, &e);
	}
	send_material(r, c, id, mid, mid);
}

/* inspection photos ----------------------------------------------------------------- */

#define INSPECTION_PHOTOS_MAX 32

/* mid = "inspection/<department>/<n>" from the path, n 1..32; 404
 * photo_not_found for anything else. */
static int photo_id(struct req *r, char *mid, size_t midsz, const char **dept)
{
	const char *n = req_param(r, "n");
	char *end = NULL;
	long k = n ? strtol(n, &end, 10) : 0;

	*dept = req_param(r, "department");
	if (*dept == NULL || strlen(*dept) == 0 || strlen(*dept) >= 32 ||
	    strspn(*dept, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(*dept) || n == NULL ||
	    end == n || *end != '\0' || k < 1 || k > INSPECTION_PHOTOS_MAX) {
		reply_error(r, 404, "photo_not_found", "n", "核查照片编号应为 1 至 %d",
			    INSPECTION_PHOTOS_MAX);
		return -1;
	}
	snprintf(mid, midsz, "inspection/%s/%ld", *dept, k);
	return 0;
}

void h_inspection_photo_put(struct req *r)
{
	struct blob_writer *w = r->upload;
	struct store_conn *c;
	struct store_app a;
	struct yerr e = {0};
	const char *dept;
	char mid[64];
	int64_t id;

	r->upload = NULL; /* ours now: committed or aborted below */
	if (photo_id(r, mid, sizeof(mid), &dept) < 0 || req_acquire(r, &c) < 0)
		return blob_writer_abort(w);
	if (app_load(r, c, false, &id, &a) < 0) {
		store_release(c);
		return blob_writer_abort(w);
	}
	if (may_store(r, &a, dept, &e) < 0) {
		app_reply_err(r, &e, &a);
		store_app_free(&a);
		store_release(c);
		return blob_writer_abort(w);
	}
	store_app_free(&a);
	store_upload(r, c, w, id, mid, dept);
}

void h_inspection_photo_get(struct req *r)
{
	struct store_conn *c;
	struct store_app a;
	const char *dept;
	char mid[64], name[64];
	int64_t id;

	if (photo_id(r, mid, sizeof(mid), &dept) < 0 || req_acquire(r, &c) < 0)
		return;
	/* Whoever may see the application may see its inspection record. */
	if (app_load(r, c, false, &id, &a) < 0) {
		store_release(c);
		return;
	}
	store_app_free(&a);
	snprintf(name, sizeof(name), "inspection-%s-%s", dept, req_param(r, "n"));
	send_material(r, c, id, mid, name);
}
