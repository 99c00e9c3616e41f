#ifndef YIYE_CORE_FORM_H
#define YIYE_CORE_FORM_H
/*
 * form.h — the one form (一表申请): field-by-field validation of the merged
 * form and the completeness check before submission (审前服务).
 *
 * A form is a JSON object {field_id: value}. Each value is judged by its
 * catalog field's type (catalog.h, docs/catalog.md):
 *   text, address  string of at most maxlen characters (Unicode characters,
 *                  not bytes; FORM_TEXT_MAX when maxlen is not set), no
 *                  control characters (text may hold line breaks, address not)
 *   number, area   JSON number within min..max (area is never negative)
 *   date           "YYYY-MM-DD", a real date (date.h)
 *   enum           one of the option values
 *   uscc           统一社会信用代码 (ident.h, GB 32100)
 *   idcard         居民身份证号 (ident.h, GB 11643; not born after today)
 *   phone          a mainland mobile number (11 digits, 1[3-9]…) or a fixed
 *                  line: optional area code 0xx/0xxx, 7–8 digits starting with 2–9, optional
 *                  extension ("021-64871234", "64871234", "021-64871234-801")
 * null, "" and all-blank strings mean "not filled in". Errors are 400
 * invalid_field (unknown_field for an id the form does not have) with field
 * "form.<field id>" and a message that names the field in Chinese and by id:
 * “统一社会信用代码”（F_uscc）：….
 */
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/catalog.h"
#include "core/error.h"

#define FORM_TEXT_MAX 1000 /* characters, when a text field sets no maxlen */

enum form_issue_kind {
	FORM_MISSING_FIELD,    /* required and not filled in */
	FORM_INVALID_FIELD,    /* filled in, but wrong */
	FORM_UNKNOWN_FIELD,    /* not a field of this form */
	FORM_MISSING_MATERIAL, /* required material not uploaded */
};

struct form_issue {
	enum form_issue_kind kind;
	const char *id;    /* field or material id (borrowed from the catalog or form) */
	const char *label; /* Chinese label or material name; the id when unknown */
	struct yerr err;   /* status 400, code, field "form.<id>" / "materials.<id>", message */
};

/* A list of issues. Zero-initialise; free with form_report_free. */
struct form_report {
	struct form_issue *items;
	size_t n, cap;
};

void form_report_free(struct form_report *rep);

/*
 * form_check_value judges one filled-in value (not null) against its field.
 * today is a day number (date.h), used for identity numbers. Returns 0 or -1
 * with err filled as described above.
 */
int form_check_value(const struct catalog_field *f, const json_t *v, int today, struct yerr *err);

/*
 * form_validate checks every key of form (a draft save: values may be empty,
 * required fields may be missing). Returns 0 when all is well, -1 with the
 * first problem (in the object's iteration order) in err otherwise. When rep
 * is not NULL every problem is appended to it. A form that is not an object
 * is 400 invalid_form (field "form").
 */
int form_validate(const struct catalog_field *const *fields, size_t nfields, const json_t *form,
		  int today, struct form_report *rep, struct yerr *err);

/*
 * form_precheck is the completeness check (审前服务): it appends to rep, all at
 * once, every required field that is not filled in (form order), then every
 * filled-in value that is wrong and every key that is not a field of the form
 * (the object's order), then every material that is neither exempt (免于提交)
 * nor among the uploaded ids (material order). Returns the number of issues
 * appended, or -1 when memory runs out. form may be NULL (nothing filled in).
 */
long form_precheck(const struct catalog_field *const *fields, size_t nfields, const json_t *form,
		   const struct catalog_material *const *materials, size_t nmaterials,
		   const char *const *uploaded, size_t nuploaded, int today,
		   struct form_report *rep);

/*
 * form_prefill is smart filling (智慧填报): for every field of the form that
 * is empty in `form` (an object, modified in place), the first source (in
 * priority order: e.g. the applicant's entity record, then the latest
 * application, then licenses) that holds a value passing form_check_value
 * fills it, and the field id is appended to `prefilled` (an array) so the UI
 * can mark it. Values that would not validate are skipped, never copied, so a
 * pre-filled form never carries an error the applicant did not type. Sources
 * that are not objects are ignored. Returns the number of fields filled, or
 * -1 when memory runs out or form / prefilled have the wrong JSON type.
 */
long form_prefill(const struct catalog_field *const *fields, size_t nfields, json_t *form,
		  const json_t *const *sources, size_t nsources, int today, json_t *prefilled);

/* form_report_to_json: {"complete":bool,"missing_fields":[{id,label}],
 * "missing_materials":[{id,name}],"errors":[{code,message,field}]}; NULL on OOM. */
json_t *form_report_to_json(const struct form_report *rep);

/* 1 when s is a phone number as described above. */
int form_phone_valid(const char *s);

#endif
