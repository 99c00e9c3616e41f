#ifndef YIYE_CATALOG_H
#define YIYE_CATALOG_H
/*
 * catalog.h — the in-memory industry catalog (docs/catalog.md).
 *
 * A catalog is built from JSON texts, either the files of a catalog directory
 * (catalog_parse) or the single document the store keeps per catalog version
 * (catalog_parse_document). The parsed JSON stays alive inside the catalog and
 * every `const char *` below points into it, so strings cost nothing to load and
 * live exactly as long as the catalog (free with catalog_free). Entities keep
 * the file order; each kind also has a sorted index for O(log n) lookup by id.
 *
 * Every entity records the file it came from and its JSON path inside that file
 * so the checker can say "industries/bianlidian.json: rules[2].when.eq[0]: ...".
 */
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/cond.h"
#include "core/error.h"

struct catalog_where {
	const char *file; /* "permits.json", "industries/bianlidian.json" */
	char path[48];    /* JSON path of the entity in that file: "[3]" or "" */
};

struct catalog_department {
	const char *code;
	const char *name;
	const json_t *json; /* the object as in the catalog (borrowed) */
	struct catalog_where where;
};

struct catalog_material {
	const char *id;
	const char *name;
	/* 免于提交: the applicant is not asked for it; the reviewing department
	 * verifies it from its own records or `source`, unless shared_from
	 * names a register of the platform that holds it (docs/catalog.md). */
	bool exempt;
	const char *source; /* where the department checks an exempt material, or NULL */
	/* "entity_register": obtained from the platform's entity register when
	 * the applicant's entity is in it (src/http/exempt.c); NULL: never
	 * obtained by the platform itself. Only on exempt materials. */
	const char *shared_from;
	const char *note; /* or NULL */
	const json_t *json;
	struct catalog_where where;
};

struct catalog_option {
	const char *value;
	const char *label;
};

struct catalog_field {
	const char *id;
	const char *label;
	const char *type; /* text number area date enum uscc idcard phone address */
	bool required;
	struct catalog_option *options; /* enum only */
	size_t noptions;
	bool has_min, has_max;
	double min, max;
	long maxlen;        /* 0 when not set */
	const char *group;  /* or NULL */
	bool modelled;      /* an industry's annual-report field: "modelled": true */
	const json_t *json; /* the field object as in the catalog (borrowed) */
	struct catalog_where where;
};

struct catalog_condition {
	const char *id;
	const char *category; /* 场所 设备 人员 资金 管理制度 */
	const char *text;
	bool commitment; /* may be met by a signed 告知承诺 */
};

struct catalog_cost {
	long permits, days, materials, fields, steps, trips;
};

struct catalog_permit {
	const char *code;
	const char *name;
	const char *department; /* department code */
	const char *legal_basis;
	long statutory_days, committed_days;
	bool inspection;
	/* Term of the permit in years; 0 with no_term for "validity_years":"none"
	 * (不设有效期 / 长期有效). 0 without no_term: the key is missing (the
	 * checker reports it) and the permit counts as having no term. */
	long validity_years;
	bool no_term;
	const char **materials;
	size_t nmaterials;
	const char **fields;
	size_t nfields;
	struct catalog_condition *conditions;
	size_t nconditions;
	struct catalog_cost before; /* .permits unused (always 1) */
	const char *note;
	const json_t *json;
	struct catalog_where where;
};

enum catalog_qtype { QTYPE_BOOLEAN, QTYPE_CHOICE, QTYPE_MULTI, QTYPE_NUMBER, QTYPE_TEXT };

struct catalog_question {
	const char *id;
	const char *text;
	enum catalog_qtype type;
	const char *type_name;
	struct catalog_option *options; /* choice, multi */
	size_t noptions;
	bool has_min, has_max;
	double min, max;
	long maxlen;         /* text; 0 when not set */
	const char *help;    /* or NULL */
	struct cond *ask_if; /* or NULL: always asked */
	const json_t *ask_if_json;
	char path[32]; /* "questions[3]" */
};

struct catalog_rule {
	const char *id;
	struct cond *when;
	const json_t *when_json;
	const char **permits;
	size_t npermits;
	const char **materials;
	size_t nmaterials;
	const char **fields;
	size_t nfields;
	const char *basis;
	char path[32]; /* "rules[2]" */
};

struct catalog_test {
	const char *name;
	const json_t *answers; /* object; borrowed from the catalog */
	const json_t *
	    expect; /* object with "permits", "materials", optional "complete", "time_limit_days" */
	char path[32]; /* "tests[0]" */
};

/* A check item (检查事项) a supervising department uses for an industry
 * (issue 13; docs/catalog.md "Supervision"). */
struct catalog_check_item {
	const char *code;   /* unique within the industry, e.g. "FOOD-01" */
	const char *name;   /* what is checked */
	const char *basis;  /* the legal basis, never empty */
	const char *permit; /* the merged permit it checks, or NULL */
	bool modelled;      /* "modelled": true — derived, not confirmed by a source */
	const json_t *json;
};

/* One supervising department of an industry (监管职责): the matters it
 * supervises and the check items it uses. */
struct catalog_supervision {
	const char *department; /* a department code */
	const char **permits;   /* the industry's permits it supervises (may be none) */
	size_t npermits;
	const char **matters; /* 监管事项, in words */
	size_t nmatters;
	struct catalog_check_item *items;
	size_t nitems;
	const json_t *json;
};

struct catalog_industry {
	const char *code;
	const char *name;
	const char **aliases;
	size_t naliases;
	const char *pinyin;         /* initials, lower-case ASCII, e.g. "bld" */
	long batch;                 /* 0: none (a batch is kept only where a source gives it) */
	const char *status;         /* planned piloting in_force suspended, or NULL */
	const char *effective_date; /* YYYY-MM-DD, or NULL */
	const char *lead;
	const char **cooperating;
	size_t ncooperating;
	const char *provenance_status;
	const char *provenance_source;
	const char *description;
	const char **permits;
	size_t npermits;
	const char **base_permits;
	size_t nbase_permits;
	/* Unified validity of the license (docs/catalog.md): "license_validity"
	 * "shortest" | "none" | years, and "extension_days"; has_license_rule /
	 * extension_days 0 when the industry takes the catalog's. */
	bool has_license_rule;
	int license_validity; /* enum license_validity_kind (core/license.h) */
	long license_years;
	long extension_days;
	const char **materials;
	size_t nmaterials;
	const char **fields;
	size_t nfields;
	struct catalog_question *questions;
	size_t nquestions;
	struct catalog_rule *rules;
	size_t nrules;
	struct catalog_test *tests;
	size_t ntests;
	/* Supervision (issue 13): the supervising departments with their check
	 * items, and the industry-specific fields of the annual report (same
	 * shape as fields.json). Both empty when the industry states none. */
	struct catalog_supervision *supervision;
	size_t nsupervision;
	struct catalog_field *annual_fields;
	size_t nannual_fields;
	const json_t *json;
	struct catalog_where where;
	/* search keys: lower-cased (ASCII) copies, owned by the catalog */
	char *name_lc, *pinyin_lc, **aliases_lc;
};

struct catalog {
	long format;
	const char *title;
	const char *district;
	const char *issuer;
	long issuance_days;
	long after_steps, after_trips; /* after the reform, without an inspection */
	long after_inspection_steps, after_inspection_trips; /* added when one is needed */
	/* catalog.json "license": the unified-validity rule every industry takes
	 * unless it states its own, and the extension window (days before expiry
	 * an 延续 may be applied for). */
	int license_validity; /* enum license_validity_kind; SHORTEST when unset */
	long license_years;
	long extension_days; /* 0: not set */

	struct catalog_department *departments;
	size_t ndepartments;
	struct catalog_material *materials;
	size_t nmaterials;
	struct catalog_field *fields;
	size_t nfields;
	struct catalog_permit *permits;
	size_t npermits;
	struct catalog_industry *industries; /* in input order (files sorted by name) */
	size_t nindustries;

	/* private: sorted indexes and the JSON the strings point into */
	struct catalog_department **idx_departments;
	struct catalog_material **idx_materials;
	struct catalog_field **idx_fields;
	struct catalog_permit **idx_permits;
	struct catalog_industry **idx_industries;
	json_t *root_catalog, *root_departments, *root_materials, *root_fields, *root_permits;
	json_t **root_industries;
	char **industry_files;  /* file names of root_industries */
	size_t nindustry_roots; /* entries of root_industries, industry_files and allocated
				   industries */
};

/* One input text: name is "catalog.json", "departments.json", "materials.json",
 * "fields.json", "permits.json" or "industries/<anything>.json". */
struct catalog_file {
	const char *name;
	const char *text;
	size_t len;
};

/* A problem found while building or checking; fatal ones make the model unusable. */
struct catalog_problem {
	char file[96];
	char path[160];
	char message[384];
	bool fatal;
};

struct catalog_problems {
	struct catalog_problem *items;
	size_t n, cap;
};

/*
 * catalog_parse builds a catalog from files. It fails (-1, err->status 422,
 * code "invalid_catalog", err->field "FILE: PATH", message the first problem)
 * when any file is missing, is not valid JSON (duplicate keys are rejected),
 * has a wrong shape, or refers to an id that does not exist: the guide may then
 * rely on every reference. Quality problems (unused materials, contradictions…)
 * do not stop it; catalog_check reports those. Caller frees *out with catalog_free.
 */
int catalog_parse(const struct catalog_file *files, size_t nfiles, struct catalog **out,
		  struct yerr *err);

/*
 * catalog_parse_document builds a catalog from the single-document form
 * {"catalog":{…},"departments":[…],"materials":[…],"fields":[…],"permits":[…],
 *  "industries":[…]} produced by catalog_to_json. Same failures as catalog_parse.
 */
int catalog_parse_document(const char *text, size_t len, struct catalog **out, struct yerr *err);

/*
 * catalog_build is the lenient builder under both parsers and the checker: it
 * builds whatever it can, skipping bad entries, and appends every structural
 * and reference problem to probs. *out is set unless memory runs out (-1).
 */
int catalog_build(const struct catalog_file *files, size_t nfiles, struct catalog **out,
		  struct catalog_problems *probs);

/* catalog_build_document is catalog_build for the single-document form. */
int catalog_build_document(const char *text, size_t len, struct catalog **out,
			   struct catalog_problems *probs);

/*
 * catalog_to_json renders the whole catalog as the single document (keys sorted,
 * compact), which catalog_parse_document reads back to an equal catalog.
 * Returns a malloc'd NUL-terminated string (caller frees) or NULL on OOM.
 */
char *catalog_to_json(const struct catalog *cat);

void catalog_free(struct catalog *cat);

/* Lookups by id: NULL when absent. O(log n). */
const struct catalog_department *catalog_department_find(const struct catalog *cat,
							 const char *code);
const struct catalog_material *catalog_material_find(const struct catalog *cat, const char *id);
const struct catalog_field *catalog_field_find(const struct catalog *cat, const char *id);
const struct catalog_permit *catalog_permit_find(const struct catalog *cat, const char *code);
const struct catalog_industry *catalog_industry_find(const struct catalog *cat, const char *code);
/* Question of an industry by id (linear: industries have a handful), and its index or -1. */
const struct catalog_question *catalog_question_find(const struct catalog_industry *ind,
						     const char *id);
long catalog_question_index(const struct catalog_industry *ind, const char *id);

/* Supervision accessors (catalog_supervision.c; linear: an industry has a
 * handful of departments and a few dozen check items). */
/* The entry of department in ind's supervision, or NULL. */
const struct catalog_supervision *catalog_supervision_find(const struct catalog_industry *ind,
							   const char *department);
/* Whether department supervises industry (NULL industry: any industry). */
bool catalog_supervises(const struct catalog *cat, const char *industry, const char *department);
/* The check item code of ind, or NULL; *sup (may be NULL) receives its
 * department's entry. */
const struct catalog_check_item *catalog_check_item_find(const struct catalog_industry *ind,
							 const char *code,
							 const struct catalog_supervision **sup);
/* The annual-report field id of ind, or NULL. */
const struct catalog_field *catalog_annual_field_find(const struct catalog_industry *ind,
						      const char *id);

/* Search ranks (lower is better). */
enum catalog_match {
	CATALOG_MATCH_EXACT = 0, /* query equals the name */
	CATALOG_MATCH_PREFIX,    /* name starts with it */
	CATALOG_MATCH_SUBSTRING, /* name contains it */
	CATALOG_MATCH_ALIAS,     /* an alias contains it */
	CATALOG_MATCH_PINYIN,    /* the pinyin initials (or the code) contain it */
	CATALOG_MATCH_ALL        /* empty query: everything, in catalog order */
};

struct catalog_hit {
	const struct catalog_industry *industry;
	enum catalog_match match;
};

/*
 * catalog_search finds industries whose name, aliases, pinyin initials or code
 * contain query (surrounding spaces ignored; ASCII case-insensitive; byte
 * substring over UTF-8, which only matches whole characters, so one- and
 * two-character Chinese queries work). Writes at most cap hits to hits, best
 * rank first, then catalog order; returns the total number of matches (which
 * may exceed cap), or -1 when query is NULL or longer than 256 bytes.
 */
long catalog_search(const struct catalog *cat, const char *query, struct catalog_hit *hits,
		    size_t cap);

/* catalog_match_name: "exact", "prefix", "substring", "alias", "pinyin", "all". */
const char *catalog_match_name(enum catalog_match m);

/* Problems list helpers. catalog_problem_add returns -1 only on OOM. */
int catalog_problem_add(struct catalog_problems *p, bool fatal, const char *file, const char *path,
			const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void catalog_problems_free(struct catalog_problems *p);
/* Number of fatal problems in p. */
size_t catalog_problems_fatal(const struct catalog_problems *p);

#endif
