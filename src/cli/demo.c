/*
 * demo.c — the accounts part of `yiye init`: departments seeded from
 * catalog/departments.json, the first system administrator, and with --demo
 * one account per role plus the staff of every department that owns a permit
 * in the catalog (a reviewer, an inspector and a supervisor each, two
 * inspectors for the market regulator), so every industry can be walked
 * through end to end; all written to DATA/demo-accounts.json (mode 0600).
 * Everything is idempotent: running init again creates nothing twice, and no
 * existing account's password is ever reset by it.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/ident.h"
#include "core/password.h"
#include "store/store_account.h"
#include "store/store_audit.h"
#include "store/store_supervision.h"

#define DEPARTMENTS_FILE_MAX (1u << 20)
#define PERMITS_FILE_MAX (8u << 20)
#define DEMO_STAFF_MAX 128

/* The market regulator (区市场监管局) sends two inspectors, so a joint
 * inspection can be shown with more than one of its inspectors. */
#define DEMO_MARKET_REGULATOR "scjgj"

static const struct demo_account {
	const char *username;
	const char *display_name;
	enum role role;
	const char *department; /* NULL: none */
} demo_accounts[] = {
    {"applicant", "徐汇示范便利店有限公司", ROLE_APPLICANT, NULL},
    {"clerk", "窗口受理员（演示）", ROLE_WINDOW_CLERK, "xzfwzx"},
    {"reviewer", "市场监管审核员（演示）", ROLE_REVIEWER, "scjgj"},
    {"reviewer2", "文化旅游审核员（演示）", ROLE_REVIEWER, "whlyj"},
    {"inspector", "执法检查员（演示）", ROLE_INSPECTOR, "scjgj"},
    {"issuer", "制证员（演示）", ROLE_ISSUER, "zwfwb"},
    {"supervisor", "监管员（演示）", ROLE_SUPERVISOR, "scjgj"},
    {"catalog_admin", "审改办目录管理员（演示）", ROLE_CATALOG_ADMIN, "sgb"},
    {"admin", "系统管理员", ROLE_SYSTEM_ADMIN, NULL},
    {"auditor", "审计员（演示）", ROLE_AUDITOR, NULL},
};

/* One generated staff account: <role>_<department>[_<n>], named after the
 * department ("区卫生健康委审核员（演示）"). */
struct demo_staff {
	char username[USERNAME_MAX + 1];
	char display_name[CHARS_BYTES(DISPLAY_NAME_MAX)];
	char department[DEPT_CODE_MAX + 1];
	enum role role;
};

static int64_t now_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* Audits a change made by init itself, inside its transaction. */
static int audit_init(struct store_conn *c, const char *action, const char *object,
		      struct yerr *err)
{
	struct audit_entry e = {.ts_ms = now_ms(),
				.actor = "yiye-init",
				.role = "",
				.department = "",
				.action = action,
				.object = object,
				.request_id = "",
				.outcome = "ok",
				.client = "cli",
				.detail = ""};

	return store_audit_append(c, &e, NULL, err);
}

/* The demo applicant's 统一社会信用代码: a fixed, valid code of an entity
 * registered in 徐汇区 (310104), so repeated inits agree. */
static void demo_uscc(char out[IDENT_USCC_LEN + 1])
{
	char org[9] = "MA1G4Y2K";
	struct ident_result r;

	memcpy(out, "91310104", 8);
	memcpy(out + 8, org, 8);
	out[16] = ident_org_check_char(org);
	out[17] = ident_uscc_check_char(out);
	out[18] = '\0';
	ident_check_uscc(out, IDENT_USCC_LEN, &r);
	if (!r.valid)
		abort(); /* the constant above is wrong */
}

/* Reads catalog_dir/name, which must hold a JSON array; *out is the caller's. */
static int load_array(const char *catalog_dir, const char *name, size_t max, json_t **out,
		      struct yerr *err)
{
	char path[1100];
	char *text = NULL;
	size_t len;
	json_error_t jerr;

	*out = NULL;
	snprintf(path, sizeof(path), "%s/%s", catalog_dir, name);
	if (cli_read_file(path, max, &text, &len, err) < 0)
		return -1;
	*out = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	free(text);
	if (!json_is_array(*out)) {
		json_decref(*out);
		*out = NULL;
		return yerr_set(err, 400, "catalog_file", path, "%s 不是 JSON 数组：%s", name,
				jerr.text);
	}
	return 0;
}

static int seed_departments(struct store_conn *c, const char *catalog_dir, int *added,
			    struct yerr *err)
{
	char path[1100], object[64];
	size_t i;
	json_t *all, *d;
	int rc = 0;

	*added = 0;
	snprintf(path, sizeof(path), "%s/departments.json", catalog_dir);
	if (load_array(catalog_dir, "departments.json", DEPARTMENTS_FILE_MAX, &all, err) < 0)
		return -1;
	json_array_foreach (all, i, d) {
		const char *code = json_string_value(json_object_get(d, "code"));
		const char *name = json_string_value(json_object_get(d, "name"));

		if (code == NULL || name == NULL || strlen(code) > DEPT_CODE_MAX ||
		    strlen(name) > DEPT_NAME_MAX) {
			rc = yerr_set(err, 400, "departments", path,
				      "第 %zu 个部门缺少 code 或 name", i + 1);
			break;
		}
		rc = store_department_seed(c, STORE_DEFAULT_DISTRICT, code, name,
					   (int64_t)time(NULL), err);
		if (rc == 1) {
			(*added)++;
			snprintf(object, sizeof(object), "department:%s", code);
			rc = audit_init(c, "department.create", object, err);
		}
		if (rc < 0)
			break;
	}
	json_decref(all);
	return rc < 0 ? -1 : 0;
}

/* True when some permit of the catalog belongs to department `code`. */
static int owns_permit(json_t *permits, const char *code)
{
	size_t i;
	json_t *p;

	json_array_foreach (permits, i, p) {
		const char *d = json_string_value(json_object_get(p, "department"));

		if (d && strcmp(d, code) == 0)
			return 1;
	}
	return 0;
}

/*
 * demo_staff_list fills staff[0..*n) with the staff of every department that
 * owns a permit in catalog_dir/permits.json, in the order of
 * departments.json so repeated inits agree: a reviewer, an inspector and a
 * supervisor each, and a second inspector for the market regulator. The
 * accounts of the fixed table above stay as they are (tests and the role
 * matrix log in as them); these come in addition, one naming scheme for all.
 */
static int demo_staff_list(const char *catalog_dir, struct demo_staff *staff, size_t *n,
			   struct yerr *err)
{
	static const struct {
		enum role role;
		const char *label;
	} kinds[] = {
	    {ROLE_REVIEWER, "审核员"}, {ROLE_INSPECTOR, "检查员"}, {ROLE_SUPERVISOR, "监管员"}};
	json_t *depts, *permits, *d;
	size_t i;
	int rc = 0;

	*n = 0;
	if (load_array(catalog_dir, "departments.json", DEPARTMENTS_FILE_MAX, &depts, err) < 0)
		return -1;
	if (load_array(catalog_dir, "permits.json", PERMITS_FILE_MAX, &permits, err) < 0) {
		json_decref(depts);
		return -1;
	}
	json_array_foreach (depts, i, d) {
		const char *code = json_string_value(json_object_get(d, "code"));
		const char *name = json_string_value(json_object_get(d, "name"));

		/* seed_departments has already refused a department without them */
		if (code == NULL || name == NULL || !owns_permit(permits, code))
			continue;
		for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
			int count = kinds[k].role == ROLE_INSPECTOR &&
					    strcmp(code, DEMO_MARKET_REGULATOR) == 0
					? 2
					: 1;

			for (int j = 1; j <= count; j++) {
				struct demo_staff *s = &staff[*n];

				if (*n == DEMO_STAFF_MAX) {
					rc = yerr_set(err, 400, "departments", "departments.json",
						      "拥有许可的部门过多（演示账号上限 %d 个）",
						      DEMO_STAFF_MAX);
					goto out;
				}
				if (j == 1)
					snprintf(s->username, sizeof(s->username), "%s_%s",
						 role_name(kinds[k].role), code);
				else
					snprintf(s->username, sizeof(s->username), "%s_%s_%d",
						 role_name(kinds[k].role), code, j);
				snprintf(s->display_name, sizeof(s->display_name), "%s%s%s（演示）",
					 name, kinds[k].label, j == 1 ? "" : "二");
				snprintf(s->department, sizeof(s->department), "%s", code);
				s->role = kinds[k].role;
				(*n)++;
			}
		}
	}
out:
	json_decref(depts);
	json_decref(permits);
	return rc;
}

/* Creates the user, or resets its password when it exists (callers decide
 * whether an existing account may be reset); one transaction with its audit
 * entry. */
static int put_user(const struct app *app, struct store_conn *c, const struct demo_account *a,
		    const char *pw, int must_change, int with_entity, struct yerr *err)
{
	struct store_user u;
	char object[48], uscc[IDENT_USCC_LEN + 1], hash[PASSWORD_HASH_SIZE];
	int64_t now = (int64_t)time(NULL), entity_id = 0;
	int rc;

	if (password_hash(pw, app->cfg.auth.pwhash_fast, hash) < 0)
		return yerr_set(err, 500, "hash", "", "无法计算密码散列（内存不足？）");
	if ((rc = store_begin(c, err)) < 0)
		return rc;
	rc = store_user_get_by_name(c, a->username, &u, err);
	if (rc == 0) {
		rc = store_user_set_password(c, u.district, u.id, hash, must_change, now, err);
		snprintf(object, sizeof(object), "user:%" PRId64, u.id);
		if (rc == 0)
			rc = audit_init(c, "user.password_reset", object, err);
	} else if (rc == STORE_ENOTFOUND) {
		memset(&u, 0, sizeof(u));
		memcpy(u.password_hash, hash, sizeof(hash));
		snprintf(u.username, sizeof(u.username), "%s", a->username);
		snprintf(u.display_name, sizeof(u.display_name), "%s", a->display_name);
		snprintf(u.department, sizeof(u.department), "%s",
			 a->department ? a->department : "");
		u.roles = ROLE_BIT(a->role);
		u.must_change_password = must_change;
		rc = 0;
		if (with_entity) {
			demo_uscc(uscc);
			rc = store_entity_insert(c, STORE_DEFAULT_DISTRICT, uscc, a->display_name,
						 now, &entity_id, err);
			u.entity_id = entity_id;
		}
		if (rc == 0)
			rc = store_user_insert(c, STORE_DEFAULT_DISTRICT, &u, now, err);
		snprintf(object, sizeof(object), "user:%" PRId64, u.id);
		if (rc == 0)
			rc = audit_init(c, "user.create", object, err);
	}
	if (rc == 0)
		rc = store_commit(c, err);
	else
		store_rollback(c);
	sodium_memzero(u.password_hash, sizeof(u.password_hash));
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

/* Writes the demo accounts file atomically with mode 0600. */
static int write_demo_file(const char *dir, json_t *list, struct yerr *err)
{
	char path[1100], tmp[1110];
	char *text = json_dumps(list, JSON_INDENT(2));
	int fd, ok;

	snprintf(path, sizeof(path), "%s/demo-accounts.json", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (text == NULL)
		abort();
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ok = fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text) &&
	     write(fd, "\n", 1) == 1 && fsync(fd) == 0;
	if (fd >= 0)
		close(fd);
	sodium_memzero(text, strlen(text));
	free(text);
	if (!ok || chmod(tmp, 0600) < 0 || rename(tmp, path) < 0) {
		unlink(tmp);
		return yerr_set(err, 500, "demo_file", path, "无法写入 %s：%s", path,
				strerror(errno));
	}
	return 0;
}

/* Password of username in a previous demo-accounts.json, or NULL. */
static const char *known_password(json_t *old, const char *username)
{
	size_t i;
	json_t *item;

	json_array_foreach (old, i, item) {
		const char *u = json_string_value(json_object_get(item, "username"));

		if (u && strcmp(u, username) == 0)
			return json_string_value(json_object_get(item, "password"));
	}
	return NULL;
}

/* Creates the demo accounts that do not exist yet. An existing account is
 * never reset: it keeps its password when that is still the one in the
 * previous demo-accounts.json, and is otherwise left alone and named on the
 * terminal (typically `admin`, created by a plain `init` with a one-time
 * password its administrator may already have changed: resetting it here
 * would lock them out silently). */
/* Puts one demo inspector on the supervision inspector register (migration
 * 0030) with a qualification marked as demo data; one transaction with its
 * audit entry. A row already there is left as it is (an administrator may have
 * changed it), and so is an account of that name that is no longer an active
 * inspector of the department: repeated inits only add what is missing. */
static int register_inspector(struct store_conn *c, const struct demo_account *a, int *added,
			      struct yerr *err)
{
	struct store_user u;
	struct sup_inspector cur;
	char object[48];
	bool created = false;
	int rc = store_user_get_by_name(c, a->username, &u, err);

	if (rc == STORE_ENOTFOUND)
		return 0;
	if (rc < 0)
		return rc;
	sodium_memzero(u.password_hash, sizeof(u.password_hash));
	if (u.disabled || !(u.roles & ROLE_BIT(ROLE_INSPECTOR)) ||
	    strcmp(u.department, a->department) != 0 ||
	    strcmp(u.district, STORE_DEFAULT_DISTRICT) != 0)
		return 0;
	if ((rc = store_begin(c, err)) < 0)
		return rc;
	rc = sup_inspector_get(c, STORE_DEFAULT_DISTRICT, u.id, true, &cur, err);
	if (rc == 0) {
		sup_inspector_free(&cur);
		return store_commit(c, err);
	}
	if (rc == STORE_ENOTFOUND)
		rc = sup_inspector_put(
		    c, STORE_DEFAULT_DISTRICT,
		    &(struct sup_inspector_in){.user_id = u.id,
					       .department = a->department,
					       .qualifications = "[\"行政执法证（演示）\"]",
					       .active = 1,
					       .note = "演示数据：由 yiye init --demo 登记",
					       .now = (int64_t)time(NULL)},
		    &created, err);
	snprintf(object, sizeof(object), "inspector:%" PRId64, u.id);
	if (rc == 0 && created)
		rc = audit_init(c, "supervision.inspector_add", object, err);
	if (rc == 0)
		rc = store_commit(c, err);
	else
		store_rollback(c);
	if (rc == 0 && created)
		(*added)++;
	return rc;
}

static int init_demo(struct app *app, struct store_conn *c, const char *catalog_dir,
		     struct yerr *err)
{
	enum { NFIXED = sizeof(demo_accounts) / sizeof(demo_accounts[0]) };
	struct demo_staff *staff = calloc(DEMO_STAFF_MAX, sizeof(*staff));
	struct demo_account all[NFIXED + DEMO_STAFF_MAX], gen;
	char path[1100], pw[PASSWORD_GEN_LEN + 1];
	json_t *old, *list;
	size_t nstaff = 0, nall = 0;
	int created = 0, kept = 0, left = 0, registered = 0, rc = 0;

	if (staff == NULL)
		abort();
	if (demo_staff_list(catalog_dir, staff, &nstaff, err) < 0) {
		free(staff);
		return -1;
	}
	for (size_t i = 0; i < NFIXED; i++)
		all[nall++] = demo_accounts[i];
	for (size_t i = 0; i < nstaff; i++) {
		gen = (struct demo_account){staff[i].username, staff[i].display_name, staff[i].role,
					    staff[i].department};
		all[nall++] = gen;
	}
	list = json_array();
	snprintf(path, sizeof(path), "%s/demo-accounts.json", app->cfg.data_dir);
	old = json_load_file(path, 0, NULL);
	for (size_t i = 0; rc == 0 && i < nall; i++) {
		const struct demo_account *a = &all[i];
		const char *known = known_password(old, a->username);
		struct store_user u;
		int found = store_user_get_by_name(c, a->username, &u, err);

		if (found < 0 && found != STORE_ENOTFOUND) {
			rc = found;
			break;
		}
		if (found == 0 && known && password_verify(u.password_hash, known)) {
			snprintf(pw, sizeof(pw), "%s", known); /* nothing to do */
			kept++;
		} else if (found == 0) {
			printf("账号 %s 已存在，且不是先前生成的演示账号（或其密码已被修改）："
			       "未改动其密码，也未写入 %s\n",
			       a->username, path);
			left++;
			sodium_memzero(u.password_hash, sizeof(u.password_hash));
			continue;
		} else {
			password_generate(a->username, pw);
			rc = put_user(app, c, a, pw, 0, a->role == ROLE_APPLICANT, err);
			created++;
		}
		sodium_memzero(u.password_hash, sizeof(u.password_hash));
		json_array_append_new(
		    list, json_pack("{s:s,s:s,s:[s],s:o}", "username", a->username, "password", pw,
				    "roles", role_name(a->role), "department",
				    a->department ? json_string(a->department) : json_null()));
	}
	json_decref(old);
	sodium_memzero(pw, sizeof(pw));
	if (rc == 0)
		rc = write_demo_file(app->cfg.data_dir, list, err);
	json_decref(list);
	/* the demo inspectors on the register (after the accounts file is written,
	 * so a failure here loses no password), so a fresh demo can freeze and
	 * draw a plan from the register itself */
	for (size_t i = 0; rc == 0 && i < nall; i++)
		if (all[i].role == ROLE_INSPECTOR && all[i].department != NULL)
			rc = register_inspector(c, &all[i], &registered, err);
	free(staff); /* all[] points into it */
	if (rc == 0)
		printf("演示账号：新建 %d 个，沿用 %d 个，未改动已有账号 %d 个；密码见 %s"
		       "（仅本机可读）\n",
		       created, kept, left, path);
	if (rc == 0)
		printf("执法检查人员名录：新登记演示检查人员 %d 名\n", registered);
	return rc;
}

int cli_accounts_init(struct app *app, const char *catalog_dir, int demo, struct yerr *err)
{
	static const struct demo_account admin = {"admin", "系统管理员", ROLE_SYSTEM_ADMIN, NULL};
	struct store_conn *c;
	struct store_user u;
	int added = 0, rc;

	if ((rc = store_acquire(app->store, &c, err)) < 0)
		return rc;
	rc = store_begin(c, err);
	if (rc == 0)
		rc = seed_departments(c, catalog_dir, &added, err);
	if (rc == 0)
		rc = store_commit(c, err);
	if (rc == 0)
		printf("部门：新增 %d 个\n", added);
	if (rc == 0 && demo)
		rc = init_demo(app, c, catalog_dir, err);
	else if (rc == 0) {
		rc = store_user_get_by_name(c, "admin", &u, err);
		if (rc == 0)
			printf("系统管理员 admin 已存在\n");
		else if (rc == STORE_ENOTFOUND) {
			char pw[PASSWORD_GEN_LEN + 1];

			password_generate("admin", pw);
			rc = put_user(app, c, &admin, pw, 1, 0, err);
			if (rc == 0)
				printf("已创建系统管理员 admin，一次性密码：%s\n"
				       "（请妥善保管；首次登录后须修改）\n",
				       pw);
			sodium_memzero(pw, sizeof(pw));
		}
	}
	store_release(c);
	return rc < 0 ? -1 : 0;
}
