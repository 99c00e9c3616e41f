#ifndef YIYE_COND_H
#define YIYE_COND_H
/*
 * cond.h — the catalog's condition language (docs/catalog.md, "Conditions").
 *
 * A condition is parsed once into a tree of `struct cond` nodes; every node
 * remembers the JSON path it came from so the checker can say exactly where a
 * problem is ("rules[2].when.all[1].eq[0]"). Evaluation takes the answers as a
 * JSON object {question id: value}; a missing or null member is unanswered.
 */
#include <jansson.h>
#include <stddef.h>

#include "core/error.h"

enum cond_op {
	COND_ALL,
	COND_ANY,
	COND_NOT,
	COND_EQ,
	COND_NE,
	COND_IN,
	COND_HAS,
	COND_GT,
	COND_GE,
	COND_LT,
	COND_LE,
	COND_ANSWERED
};

struct cond {
	enum cond_op op;
	char *path;         /* JSON path of this node, e.g. "rules[2].when" */
	char *question;     /* question id tested (comparisons and answered), else NULL */
	char *qpath;        /* JSON path of that question id, e.g. "rules[2].when.eq[0]" */
	json_t *value;      /* eq/ne/has: the value; in: the array of values (owned reference) */
	double number;      /* gt/ge/lt/le: the bound */
	struct cond **kids; /* all/any: the operands; not: exactly one */
	size_t nkids;
};

/* Three-valued truth, used for ask_if where "not known yet" must differ from false. */
enum cond_truth { COND_FALSE = 0, COND_TRUE = 1, COND_UNKNOWN = 2 };

#define COND_USED_MAX 32
/* The questions whose answers made a condition hold (for explanations), de-duplicated. */
struct cond_used {
	const char *questions[COND_USED_MAX];
	size_t n;
};

/*
 * cond_parse compiles JSON condition j found at JSON path `path` into *out.
 * On a malformed node it returns -1 with err->code "invalid_condition",
 * err->field the path of the bad node and a Chinese message; *out is NULL.
 * The caller frees the tree with cond_free.
 */
int cond_parse(const json_t *j, const char *path, struct cond **out, struct yerr *err);

/* cond_free releases a tree from cond_parse (NULL is fine). */
void cond_free(struct cond *c);

/* cond_op_name gives the JSON key of an operator ("all", "eq", ...). */
const char *cond_op_name(enum cond_op op);

/*
 * cond_eval evaluates c against answers with the two-valued semantics of the
 * catalog rules: a comparison on an unanswered question is false (so `not` of it
 * is true). Returns 1 when c holds, else 0. If used is non-NULL and c holds, the
 * answered questions that made it hold are appended to it.
 */
int cond_eval(const struct cond *c, const json_t *answers, struct cond_used *used);

/*
 * cond_eval3 evaluates with three values, for ask_if: a comparison on an
 * unanswered question is UNKNOWN; all/any/not follow Kleene logic, so
 * {"any":[...]} can hold before every operand is answered. `answered` is never
 * UNKNOWN.
 */
enum cond_truth cond_eval3(const struct cond *c, const json_t *answers);

/*
 * cond_visit calls fn on every node of c in pre-order; it stops and returns
 * fn's value as soon as fn returns non-zero, else returns 0.
 */
int cond_visit(const struct cond *c, int (*fn)(const struct cond *node, void *ctx), void *ctx);

/* cond_value_equal compares two JSON scalars; numbers compare by value (1 == 1.0). */
int cond_value_equal(const json_t *a, const json_t *b);

#endif
