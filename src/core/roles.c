/*
 * roles.c — the permission table. Adding a permission means adding one row
 * below (and naming it in the route table); nothing else grants access.
 */
#include "core/roles.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	const char *label;
} role_table[ROLE_COUNT] = {
    [ROLE_APPLICANT] = {"applicant", "申请人"},
    [ROLE_WINDOW_CLERK] = {"window_clerk", "窗口受理人员"},
    [ROLE_REVIEWER] = {"reviewer", "部门审核人员"},
    [ROLE_INSPECTOR] = {"inspector", "执法检查人员"},
    [ROLE_ISSUER] = {"issuer", "制证人员"},
    [ROLE_SUPERVISOR] = {"supervisor", "监管人员"},
    [ROLE_CATALOG_ADMIN] = {"catalog_admin", "目录管理员（审改办）"},
    [ROLE_SYSTEM_ADMIN] = {"system_admin", "系统管理员"},
    [ROLE_AUDITOR] = {"auditor", "审计人员"},
};

static const char *const scope_table[SCOPE_COUNT] = {
    [SCOPE_CATALOG_READ] = "catalog:read",   [SCOPE_APPLICATIONS_READ] = "applications:read",
    [SCOPE_LICENSES_READ] = "licenses:read", [SCOPE_SUPERVISION_READ] = "supervision:read",
    [SCOPE_CREDIT_READ] = "credit:read",     [SCOPE_REPORTS_READ] = "reports:read",
    [SCOPE_USERS_READ] = "users:read",       [SCOPE_AUDIT_READ] = "audit:read",
};

static const char *const scope_labels[SCOPE_COUNT] = {
    [SCOPE_CATALOG_READ] = "行业目录", [SCOPE_APPLICATIONS_READ] = "申请办件",
    [SCOPE_LICENSES_READ] = "证照",    [SCOPE_SUPERVISION_READ] = "监管检查",
    [SCOPE_CREDIT_READ] = "信用信息",  [SCOPE_REPORTS_READ] = "统计报表",
    [SCOPE_USERS_READ] = "用户",       [SCOPE_AUDIT_READ] = "审计日志",
};

#define R(x) ROLE_BIT(ROLE_##x)

/* Named permissions: which roles hold each, and which token scope (if any)
 * lets a data consumer's system use routes declaring it. */
static const struct {
	const char *name;
	unsigned roles;
	int scope; /* enum scope, or -1: tokens never */
} perm_table[] = {
    {"users.manage", R(SYSTEM_ADMIN), SCOPE_USERS_READ},
    {"departments.manage", R(SYSTEM_ADMIN), -1},
    {"tokens.manage", R(SYSTEM_ADMIN), -1},
    {"calendar.manage", R(SYSTEM_ADMIN), -1},
    {"audit.read", R(AUDITOR) | R(SYSTEM_ADMIN), SCOPE_AUDIT_READ},
    {"catalog.manage", R(CATALOG_ADMIN), SCOPE_CATALOG_READ},
    {"catalog.propose", R(REVIEWER) | R(SUPERVISOR) | R(CATALOG_ADMIN), SCOPE_CATALOG_READ},
    /* the staff directory of one's own department */
    {"department.members",
     R(WINDOW_CLERK) | R(REVIEWER) | R(INSPECTOR) | R(ISSUER) | R(SUPERVISOR) | R(CATALOG_ADMIN) |
	 R(SYSTEM_ADMIN),
     SCOPE_USERS_READ},
    /* applications (issue 11): who reads them is narrowed further by the
       handlers (an applicant their own, staff their department's) */
    {"applications.create", R(APPLICANT) | R(WINDOW_CLERK), -1},
    {"applications.read",
     R(APPLICANT) | R(WINDOW_CLERK) | R(REVIEWER) | R(INSPECTOR) | R(ISSUER) | R(SUPERVISOR),
     SCOPE_APPLICATIONS_READ},
    {"applications.edit", R(APPLICANT) | R(WINDOW_CLERK), -1},
    {"applications.withdraw", R(APPLICANT), -1},
    {"applications.accept", R(WINDOW_CLERK), -1},
    {"applications.review", R(REVIEWER), -1},
    {"applications.inspect", R(INSPECTOR), -1},
    {"tasks.read", R(APPLICANT) | R(WINDOW_CLERK) | R(REVIEWER) | R(INSPECTOR) | R(SUPERVISOR), -1},
    /* the near-due and overdue lists of a department (supervisors: any) */
    {"deadlines.read", R(WINDOW_CLERK) | R(REVIEWER) | R(INSPECTOR) | R(SUPERVISOR), -1},
    /* licenses (issue 12, lic-core): issuing by the 政务服务办's issuers;
       reading by the holder (the handler narrows an applicant to their own
       licenses) and staff; suspending, reinstating and revoking by
       supervisors (the handler narrows them to licenses with a permit of
       their department) */
    {"licenses.issue", R(ISSUER), -1},
    {"licenses.read",
     R(APPLICANT) | R(WINDOW_CLERK) | R(REVIEWER) | R(INSPECTOR) | R(ISSUER) | R(SUPERVISOR) |
	 R(AUDITOR),
     SCOPE_LICENSES_READ},
    {"licenses.sanction", R(SUPERVISOR), -1},
    /* sup-core (issue 13): the registers (一单两库) read by supervision staff
       and data consumers; the inspector register kept by the supervisors of
       each department (handlers narrow them to their own) and the system
       administrator; conflicts of interest declared by the inspector
       concerned and read by them, their department's supervisors, the
       administrator and auditors; the 互联网+监管 export */
    {"supervision.registers", R(SUPERVISOR) | R(INSPECTOR) | R(SYSTEM_ADMIN) | R(AUDITOR),
     SCOPE_SUPERVISION_READ},
    {"supervision.inspectors", R(SUPERVISOR) | R(SYSTEM_ADMIN), -1},
    {"supervision.conflicts.read", R(SUPERVISOR) | R(INSPECTOR) | R(SYSTEM_ADMIN) | R(AUDITOR), -1},
    {"supervision.conflicts.declare", R(INSPECTOR), -1},
    {"supervision.export", R(SUPERVISOR) | R(SYSTEM_ADMIN) | R(AUDITOR), SCOPE_SUPERVISION_READ},
    /* sup-complaints (issue 13): the complaint queue of a supervisor's
       department (auditors read every one; handlers narrow supervisors to
       complaints routed to their department), handling them, and the risk
       signals of the entities a department supervises */
    {"complaints.read", R(SUPERVISOR) | R(AUDITOR), -1},
    {"complaints.handle", R(SUPERVISOR), -1},
    {"risk.read", R(SUPERVISOR) | R(INSPECTOR) | R(AUDITOR), -1},
    /* sup-credit (issue 13 points 5–8): credit pages for staff who supervise
       and the auditor (an applicant: their own entity, narrowed by the
       handler); supervisors record credit and penalties of their
       department; the holder files annual reports; inspectors record
       verification results of their department's tasks; the daily credit
       job by hand for the system administrator */
    {"credit.read", R(APPLICANT) | R(INSPECTOR) | R(SUPERVISOR) | R(AUDITOR), SCOPE_CREDIT_READ},
    {"credit.manage", R(SUPERVISOR), -1},
    {"credit.jobs", R(SYSTEM_ADMIN), -1},
    {"penalties.decide", R(SUPERVISOR), -1},
    {"annual_reports.file", R(APPLICANT), -1},
    {"verification.record", R(INSPECTOR), -1},
    /* stats-api (issue 15): the statistics, for every staff role; staff of
       one department are narrowed to it by h_statistics.c; a reports:read
       token reads them district-wide */
    {"statistics.read",
     R(WINDOW_CLERK) | R(REVIEWER) | R(INSPECTOR) | R(ISSUER) | R(SUPERVISOR) | R(CATALOG_ADMIN) |
	 R(SYSTEM_ADMIN) | R(AUDITOR),
     SCOPE_REPORTS_READ},
    {"notifications.read",
     R(APPLICANT) | R(WINDOW_CLERK) | R(REVIEWER) | R(INSPECTOR) | R(ISSUER) | R(SUPERVISOR) |
	 R(CATALOG_ADMIN) | R(SYSTEM_ADMIN) | R(AUDITOR),
     -1},
    /* hand-over, export, 亮证 (issue 12, lic-public); the license lists and
       hand-over records are read under lic-core's licenses.read */
    {"licenses.handover", R(WINDOW_CLERK), -1},
    /* the e-license library (电子证照库) pulls by cursor with a licenses:read token */
    {"licenses.export", R(ISSUER) | R(SUPERVISOR) | R(AUDITOR), SCOPE_LICENSES_READ},
    {"licenses.display", R(APPLICANT), -1},
    /* lic-life: the registration link — the window enters what registration
       says, the issuer compares it with the licenses */
    {"entities.manage", R(WINDOW_CLERK) | R(ISSUER), -1},
    /* sup-plans (issue 13): spot-check plans, freezing and drawing them and
       publishing results by supervisors (handlers narrow them to plans of
       their department); check tasks read by their inspectors and the
       supervisors of the plan's departments; results recorded by the
       task's inspectors */
    {"supervision.plans", R(SUPERVISOR), -1},
    {"supervision.tasks", R(INSPECTOR) | R(SUPERVISOR), -1},
    {"supervision.check", R(INSPECTOR), -1},
    /* stats-ratings (issue 15 points 2 and 3): the applicant rates their
       completed application; the department concerned reads its 差评整改
       queue and replies (window clerks, reviewers and supervisors; handlers
       narrow them to their department; auditors read every one); staff who
       handled applications write typical cases, the 审改办 publishes them */
    {"ratings.submit", R(APPLICANT), -1},
    {"ratings.followups", R(WINDOW_CLERK) | R(REVIEWER) | R(SUPERVISOR) | R(AUDITOR), -1},
    {"ratings.reply", R(WINDOW_CLERK) | R(REVIEWER) | R(SUPERVISOR), -1},
    {"typical_cases.read",
     R(WINDOW_CLERK) | R(REVIEWER) | R(SUPERVISOR) | R(CATALOG_ADMIN) | R(AUDITOR), -1},
    {"typical_cases.write", R(WINDOW_CLERK) | R(REVIEWER) | R(SUPERVISOR), -1},
    {"typical_cases.publish", R(CATALOG_ADMIN), -1},
};

#undef R

const char *role_name(enum role r)
{
	return (unsigned)r < ROLE_COUNT ? role_table[r].name : NULL;
}

const char *role_label(enum role r)
{
	return (unsigned)r < ROLE_COUNT ? role_table[r].label : NULL;
}

int role_parse(const char *name)
{
	for (int i = 0; name && i < ROLE_COUNT; i++)
		if (strcmp(role_table[i].name, name) == 0)
			return i;
	return -1;
}

void roles_format(unsigned roles, char *out, size_t outsz)
{
	size_t len = 0;

	if (outsz == 0)
		return;
	out[0] = '\0';
	for (int i = 0; i < ROLE_COUNT; i++) {
		int n;

		if (!(roles & ROLE_BIT(i)))
			continue;
		n = snprintf(out + len, outsz - len, "%s%s", len ? "," : "", role_table[i].name);
		if (n < 0 || (size_t)n >= outsz - len)
			return;
		len += (size_t)n;
	}
}

const char *scope_name(enum scope s)
{
	return (unsigned)s < SCOPE_COUNT ? scope_table[s] : NULL;
}

const char *scope_label(enum scope s)
{
	return (unsigned)s < SCOPE_COUNT ? scope_labels[s] : NULL;
}

int scope_parse(const char *name)
{
	for (int i = 0; name && i < SCOPE_COUNT; i++)
		if (strcmp(scope_table[i], name) == 0)
			return i;
	return -1;
}

int scope_read_only(enum scope s)
{
	const char *n = scope_name(s);
	size_t len = n ? strlen(n) : 0;

	return len > 5 && strcmp(n + len - 5, ":read") == 0;
}

void scopes_format(unsigned scopes, char *out, size_t outsz)
{
	size_t len = 0;

	if (outsz == 0)
		return;
	out[0] = '\0';
	for (int i = 0; i < SCOPE_COUNT; i++) {
		int n;

		if (!(scopes & SCOPE_BIT(i)))
			continue;
		n = snprintf(out + len, outsz - len, "%s%s", len ? " " : "", scope_table[i]);
		if (n < 0 || (size_t)n >= outsz - len)
			return;
		len += (size_t)n;
	}
}

unsigned scopes_parse_list(const char *text)
{
	unsigned out = 0;
	char word[64];

	if (text == NULL)
		return 0;
	while (*text) {
		size_t n = strcspn(text, " ");

		if (n > 0 && n < sizeof(word)) {
			int s;

			memcpy(word, text, n);
			word[n] = '\0';
			if ((s = scope_parse(word)) >= 0)
				out |= SCOPE_BIT(s);
		}
		text += n;
		while (*text == ' ')
			text++;
	}
	return out;
}

static int perm_index(const char *permission)
{
	for (size_t i = 0; permission && i < sizeof(perm_table) / sizeof(perm_table[0]); i++)
		if (strcmp(perm_table[i].name, permission) == 0)
			return (int)i;
	return -1;
}

int permission_known(const char *permission)
{
	return permission &&
	       (strcmp(permission, "public") == 0 || strcmp(permission, "authenticated") == 0 ||
		perm_index(permission) >= 0);
}

unsigned permission_roles(const char *permission)
{
	int i = perm_index(permission);

	return i < 0 ? 0 : perm_table[i].roles;
}

int permission_scope(const char *permission)
{
	int i = perm_index(permission);

	return i < 0 ? -1 : perm_table[i].scope;
}

static int is_read_method(const char *method)
{
	return method && (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0);
}

/* The single decision function: default deny. Unknown permission names are
 * refused to everyone, logged in or not, so a typo in the route table closes
 * a route instead of opening it. */
enum authz roles_authorize(const struct principal *p, const char *permission, const char *method)
{
	int i, scope;

	if (permission && strcmp(permission, "public") == 0)
		return AUTHZ_ALLOW;
	if (p == NULL || p->kind == PRINCIPAL_NONE)
		return AUTHZ_UNAUTHENTICATED;
	if (permission && strcmp(permission, "authenticated") == 0) {
		if (p->kind == PRINCIPAL_TOKEN && !is_read_method(method))
			return AUTHZ_FORBIDDEN;
		return AUTHZ_ALLOW;
	}
	if ((i = perm_index(permission)) < 0)
		return AUTHZ_FORBIDDEN;
	if (p->kind == PRINCIPAL_TOKEN) {
		scope = perm_table[i].scope;
		if (scope < 0 || !(p->scopes & SCOPE_BIT(scope)))
			return AUTHZ_FORBIDDEN;
		if (scope_read_only((enum scope)scope) && !is_read_method(method))
			return AUTHZ_FORBIDDEN;
		return AUTHZ_ALLOW;
	}
	return (p->roles & perm_table[i].roles) ? AUTHZ_ALLOW : AUTHZ_FORBIDDEN;
}

void roles_permissions_each(const struct principal *p, void (*fn)(const char *perm, void *ud),
			    void *ud)
{
	for (size_t i = 0; i < sizeof(perm_table) / sizeof(perm_table[0]); i++)
		if (roles_authorize(p, perm_table[i].name, "GET") == AUTHZ_ALLOW)
			fn(perm_table[i].name, ud);
}

const char *principal_department_scope(const struct principal *p)
{
	if (p == NULL)
		return "";
	if (p->kind != PRINCIPAL_TOKEN &&
	    (p->roles & (ROLE_BIT(ROLE_SYSTEM_ADMIN) | ROLE_BIT(ROLE_AUDITOR))))
		return NULL;
	if (p->kind == PRINCIPAL_TOKEN && (p->scopes & SCOPE_BIT(SCOPE_USERS_READ)))
		return NULL;
	return p->department;
}
