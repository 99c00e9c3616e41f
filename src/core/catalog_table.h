#ifndef YIYE_CATALOG_TABLE_H
#define YIYE_CATALOG_TABLE_H
/*
 * catalog_table.h — private to the catalog_*.c files of core: the build
 * context and the field tables that drive the generic reader.
 *
 * Every entity of the catalog (department, material, field, permit, industry,
 * question, rule…) is described by a struct cf_table: one struct cf_spec per
 * JSON key, saying the key's type, where its value goes in the entity struct,
 * whether it is required and its limits. cf_read walks a table over one JSON
 * object, reporting every problem with its file and JSON path exactly as the
 * format (docs/catalog.md) says; cf_list reads an array of such objects.
 * The tables themselves, and how to add a field, are in catalog_fields.c.
 */
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/catalog.h"

/* The build context: the catalog being built and where its problems go. */
struct bctx {
	struct catalog *cat;
	struct catalog_problems *probs;
	const char *file; /* file being read */
	int oom;
};

/* PROBLEM records a problem in the file being read; running out of memory marks b->oom. */
#define PROBLEM(b, fatal, path, ...)                                                          \
	do {                                                                                  \
		if (catalog_problem_add((b)->probs, (fatal), (b)->file, (path), __VA_ARGS__)) \
			(b)->oom = 1;                                                         \
	} while (0)

/* JSON paths: "base.key" and "base.key[i]" ("key" and "key[i]" when base is ""). */
void cf_path(char *buf, size_t size, const char *base, const char *key);
void cf_path_index(char *buf, size_t size, const char *base, const char *key, size_t i);
void *cf_calloc(struct bctx *b, size_t n, size_t size);

/* Offset meaning "not stored": the value is read and checked, then dropped. */
#define CF_NONE ((size_t)-1)

enum cf_type {
	CF_KNOWN,  /* allowed key the builder does not read (notes, UI hints) */
	CF_STR,    /* const char * at .off; absent or null → NULL */
	CF_LONG,   /* long at .off, integer in [.min, 1000000000]; absent → 0 */
	CF_BOOL,   /* bool at .off; absent → false */
	CF_NUMBER, /* double at .off, bool "present" at .aux (never required) */
	CF_STRS,   /* const char ** at .off, size_t count at .aux: non-empty, repeats kept once */
	CF_OBJECT, /* nested object: .sub is read into the SAME struct; const json_t * at .off;
		      .msg is the problem when it is missing (required) or not an object */
	CF_LIST,   /* array of objects read with .sub: element array at .off, count at .aux */
	CF_UNIQUE, /* no value: the const char * at .off must differ from the earlier kept
		      elements of the list; .msg names the id ("问题编号"); problem at .key */
	CF_CALL,   /* no key: runs .call here, in table order (cross-field checks) */
};

/* .flags */
#define CF_REQUIRED 1u /* missing is a (fatal) problem */
#define CF_NEEDED 2u   /* the entity is dropped when this value is missing or bad */
#define CF_WHOLE 4u    /* CF_UNIQUE: only checked when every CF_NEEDED value so far is there */

struct cf_table;

/*
 * A check run by CF_CALL: obj is the JSON object, base its JSON path, ent the
 * entity struct being filled. Returns false to drop the entity.
 */
typedef bool (*cf_call_fn)(struct bctx *b, json_t *obj, const char *base, void *ent);

struct cf_spec {
	const char *key;
	enum cf_type type;
	unsigned flags;
	size_t off, aux;
	long min;                   /* CF_LONG */
	const struct cf_table *sub; /* CF_OBJECT (may be NULL: keys unchecked), CF_LIST */
	const char *msg;            /* CF_OBJECT, CF_UNIQUE */
	cf_call_fn call;            /* CF_CALL */
};

struct cf_table {
	const struct cf_spec *specs;
	size_t nspecs;
	size_t size;                /* CF_LIST element size */
	size_t path_off;            /* char[CF_PATH] the element's own JSON path, or CF_NONE */
	size_t where_off;           /* struct catalog_where set when kept, or CF_NONE */
	size_t json_off;            /* const json_t * set when kept, or CF_NONE */
	const char *not_object;     /* problem for an element that is not an object */
	void (*release)(void *ent); /* frees what the table's CF_CALLs allocated, or NULL */
};

#define CF_PATH 32 /* size of the path member of questions, rules and tests */

/*
 * cf_read reads obj with t into ent: unknown keys first (non-fatal), then each
 * spec in order. list/n are the elements kept so far (for CF_UNIQUE). Returns
 * false when the entity must be dropped (a CF_NEEDED value is missing, a
 * CF_CALL or CF_UNIQUE said so).
 */
bool cf_read(struct bctx *b, json_t *obj, const char *base, const struct cf_table *t, void *ent,
	     const void *list, size_t n);

/*
 * cf_list reads arr (the array at base.key) as elements of t into a new array
 * stored at *out with the count of kept elements at *n; dropped elements are
 * released. Reports an element that is not an object with t->not_object.
 */
void cf_list(struct bctx *b, json_t *arr, const char *base, const char *key,
	     const struct cf_table *t, void **out, size_t *n);

/* cf_release frees what reading ent with t allocated (not ent itself). */
void cf_release(const struct cf_table *t, void *ent);

/* The entity tables (catalog_fields.c). */
extern const struct cf_table cf_settings, cf_departments, cf_materials, cf_fields, cf_permits,
    cf_industry;
/* An industry's "supervision" entries and "annual_report_fields" (issue 13). */
extern const struct cf_table cf_supervision, cf_annual_field;

/* Internal steps of catalog_build (catalog_build.c, catalog_index.c, catalog_search.c). */
void catalog_index_build(struct bctx *b);
void catalog_refs_check(struct bctx *b);
/* The references and rules of the industries' supervision data (catalog_supervision.c). */
void catalog_supervision_check(struct bctx *b);
int catalog_search_prepare(struct catalog_industry *ind);

/* named_root: one parsed input (catalog_build.c takes over the reference). */
struct named_root {
	char name[128];
	json_t *root; /* owned reference, or NULL when the text did not parse */
};

int catalog_build_roots(struct named_root *roots, size_t n, struct catalog **out,
			struct catalog_problems *probs);
json_t *catalog_parse_text(const char *name, const char *text, size_t len,
			   struct catalog_problems *probs);

#endif
