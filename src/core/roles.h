/*
 * roles.h — who may do what: the roles of the platform, the permissions the
 * route table names, which role holds which permission, the scopes of API
 * tokens and which scope a permission needs. Pure data and lookups; the HTTP
 * layer (src/http/auth.c) enforces them in one place and the store receives a
 * struct principal to scope its queries by department.
 *
 * Permission names are the strings of the route table's `permission` column:
 *   "public"         anyone, logged in or not
 *   "authenticated"  any logged-in user, gateway user or API token
 *   anything else    granted to roles by the table in roles.c; a name the
 *                    table does not know is granted to nobody (default deny)
 */
#ifndef YIYE_CORE_ROLES_H
#define YIYE_CORE_ROLES_H

#include <stddef.h>
#include <stdint.h>

enum role {
	ROLE_APPLICANT,
	ROLE_WINDOW_CLERK,
	ROLE_REVIEWER,
	ROLE_INSPECTOR,
	ROLE_ISSUER,
	ROLE_SUPERVISOR,
	ROLE_CATALOG_ADMIN,
	ROLE_SYSTEM_ADMIN,
	ROLE_AUDITOR,
	ROLE_COUNT
};

#define ROLE_BIT(r) (1u << (r))
/* Roles that act for a department and must have one. */
#define ROLES_STAFF                                                                         \
	(ROLE_BIT(ROLE_WINDOW_CLERK) | ROLE_BIT(ROLE_REVIEWER) | ROLE_BIT(ROLE_INSPECTOR) | \
	 ROLE_BIT(ROLE_ISSUER) | ROLE_BIT(ROLE_SUPERVISOR) | ROLE_BIT(ROLE_CATALOG_ADMIN))

/* "applicant", "window_clerk", … or NULL for an out-of-range value. */
const char *role_name(enum role r);
/* Chinese label ("申请人"), or NULL. */
const char *role_label(enum role r);
/* Role by name; -1 when unknown. */
int role_parse(const char *name);
/* Writes "reviewer,supervisor" (roles in enum order) into out; "" for none. */
void roles_format(unsigned roles, char *out, size_t outsz);

/* How a principal was authenticated. */
enum principal_kind {
	PRINCIPAL_NONE,    /* anonymous */
	PRINCIPAL_SESSION, /* browser session cookie */
	PRINCIPAL_GATEWAY, /* trusted identity gateway (一网通办) header */
	PRINCIPAL_TOKEN,   /* API token (Authorization: Bearer) */
};

#define PRINCIPAL_NAME_MAX 64
#define PRINCIPAL_DEPT_MAX 32

/* Who is asking. Filled by the HTTP layer, read by handlers and passed to
 * store functions that must scope what they return (department isolation).
 * For a token, `id` is the token id, `name` its name and `roles` 0. */
struct principal {
	enum principal_kind kind;
	int64_t id;                          /* user id, or token id */
	char name[PRINCIPAL_NAME_MAX];       /* username, or token name */
	unsigned roles;                      /* ROLE_BIT set */
	char department[PRINCIPAL_DEPT_MAX]; /* "" when none */
	int64_t entity_id;                   /* applicant's market entity, 0 none */
	unsigned scopes;                     /* tokens: SCOPE_BIT set */
	int must_change_password;
};

/* Token scopes: "resource:access". Only the ":read" scopes exist so far, so
 * no token can call a state-changing route. */
enum scope {
	SCOPE_CATALOG_READ,
	SCOPE_APPLICATIONS_READ,
	SCOPE_LICENSES_READ,
	SCOPE_SUPERVISION_READ,
	SCOPE_CREDIT_READ,
	SCOPE_REPORTS_READ,
	SCOPE_USERS_READ,
	SCOPE_AUDIT_READ,
	SCOPE_COUNT
};
#define SCOPE_BIT(s) (1u << (s))

const char *scope_name(enum scope s);
/* What a scope lets a data consumer read, in Chinese (for the UI). */
const char *scope_label(enum scope s);
/* Scope by name; -1 when unknown. */
int scope_parse(const char *name);
/* 1 when the scope only allows reading (GET/HEAD). */
int scope_read_only(enum scope s);
/* Space-separated scope names (stored form) into out. */
void scopes_format(unsigned scopes, char *out, size_t outsz);
/* Parses the stored form back; unknown names are ignored. */
unsigned scopes_parse_list(const char *text);

/* The outcome of an authorisation decision. */
enum authz {
	AUTHZ_ALLOW,
	AUTHZ_UNAUTHENTICATED, /* 401: log in first */
	AUTHZ_FORBIDDEN,       /* 403: logged in but not allowed */
};

/* 1 when `permission` is a name the table knows ("public", "authenticated"
 * or a named permission). */
int permission_known(const char *permission);
/* Roles granted a named permission (0 for public/authenticated/unknown). */
unsigned permission_roles(const char *permission);
/* The token scope a permission maps to, or -1 when tokens may not use it. */
int permission_scope(const char *permission);
/* Decides whether p may call a route declaring `permission` with `method`.
 * Tokens: need the mapped scope, and a read-only scope allows GET/HEAD only;
 * "authenticated" routes are open to tokens only for GET/HEAD. */
enum authz roles_authorize(const struct principal *p, const char *permission, const char *method);
/* Every named permission p holds, for GET /api/v1/me: calls fn for each. */
void roles_permissions_each(const struct principal *p, void (*fn)(const char *perm, void *ud),
			    void *ud);

/* Department scoping for the store: the department p's department-scoped
 * reads are limited to, or NULL when p may see every department (system
 * administrators and auditors). An account without a department that is not
 * unrestricted gets "" (matches nothing). */
const char *principal_department_scope(const struct principal *p);

#endif
