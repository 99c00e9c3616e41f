#ifndef YIYE_CORE_CREDIT_H
#define YIYE_CORE_CREDIT_H
/*
 * credit.h — the credit grade rules (信用分级分类监管; issue 13 point 5;
 * docs/api-supervision.md "Credit").
 *
 * The grades themselves are the reform's: A/B/C/D = low / general / higher
 * / high risk (国市监信发〔2022〕6号), and they drive each spot-check plan's
 * sampling ratio. The points, periods and thresholds below are OUR MODEL,
 * not a published national scoring table: the data (credit_rules) and the UI
 * say so ("模型规则"), and a district changes them here, in one table.
 *
 * Pure: no clock, no database. A record counts while it is in force on
 * `today`: from its day until expires_on (exclusive), or, for an
 * abnormal-list entry, until it is cleared. The grade is decided by the
 * records in force only, and credit_grade_compute names every record that
 * counted, so the entity is shown exactly why it has its grade.
 */
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

enum credit_kind {
	CREDIT_PENALTY,
	CREDIT_ABNORMAL_LIST,
	CREDIT_FAILED_CHECK,
	CREDIT_BROKEN_COMMITMENT,
	CREDIT_REVOCATION,
	CREDIT_COMPLAINT_SUBSTANTIATED,
	CREDIT_MANUAL,
	CREDIT_KIND_COUNT
};

/* One row of the rule table: what a record of this kind (and severity)
 * weighs and how long it counts. */
struct credit_rule {
	enum credit_kind kind;
	const char *name;     /* API name: "penalty", "abnormal_list" … */
	const char *severity; /* "minor", "general", "serious", or NULL: any */
	const char *label;    /* Chinese */
	int points;
	int valid_days; /* days the record counts; 0: until cleared */
	bool forces_d;  /* in force → grade D whatever the points */
	bool forces_c;  /* in force → at least grade C */
};

/* Grade thresholds (our model): points in force ≥ D_POINTS → D, ≥ C_POINTS →
 * C, ≥ 1 → B, else A. */
#define CREDIT_D_POINTS 10
#define CREDIT_C_POINTS 6

/* The penalty kinds of 行政处罚法 (2021) art. 9 an entity can receive, with
 * the severity our model gives each. */
struct credit_penalty_kind {
	const char *code;  /* "warning", "fine" … */
	const char *label; /* 警告, 罚款 … */
	const char *severity;
	bool needs_amount; /* a fine or a confiscation names an amount */
	bool revokes;      /* 吊销许可证件: the license named is revoked */
};

/* A fine of at least this many yuan counts as serious (our model). */
#define CREDIT_SERIOUS_FINE 100000

extern const struct credit_rule credit_rules[];
extern const size_t credit_rules_count;
extern const struct credit_penalty_kind credit_penalty_kinds[];
extern const size_t credit_penalty_kinds_count;

/* kind by API name; -1 when unknown. */
int credit_kind_parse(const char *name);
const char *credit_kind_name(enum credit_kind kind);
const char *credit_kind_label(enum credit_kind kind);
/* The rule of (kind, severity): the row with that severity, else the
 * kind's row with severity NULL; NULL when the pair is not in the table
 * (e.g. a penalty with an unknown severity). */
const struct credit_rule *credit_rule_of(enum credit_kind kind, const char *severity);
/* The penalty kind of code; NULL when unknown. */
const struct credit_penalty_kind *credit_penalty_kind(const char *code);
/* The severity of a penalty of kind pk with amount yuan (fines from
 * CREDIT_SERIOUS_FINE up are serious). */
const char *credit_penalty_severity(const struct credit_penalty_kind *pk, int64_t amount);

/* A record as the rules see it. Days are date.h day numbers; 0 = none. */
struct credit_fact {
	int64_t id;
	enum credit_kind kind;
	int points;
	int day;
	int expires_on; /* exclusive; 0: no end (until cleared) */
	int cleared_on; /* 0: not cleared */
};

/* true when f counts on today. */
bool credit_fact_in_force(const struct credit_fact *f, int today);

/* The expiry day of a record of rule r on day (0: until cleared). */
int credit_expiry(const struct credit_rule *r, int day);

struct credit_grade_result {
	char grade;       /* 'A' … 'D' */
	int points;       /* sum of the points in force */
	const char *rule; /* which rule decided: "none", "points", "forces_c", "forces_d" */
	const char *text; /* the rule in Chinese, for the entity */
};

/*
 * credit_grade_compute decides the grade of one entity from its records on
 * today. When why is not NULL it receives a new JSON object:
 *   {"grade","points","rule","text","model":true,
 *    "records":[{"id","kind","label","points","day","expires_on"}]}
 * listing every record in force (the ones that made the grade), oldest first
 * as given. Returns 0, or -1 when memory runs out.
 */
int credit_grade_compute(const struct credit_fact *facts, size_t n, int today,
			 struct credit_grade_result *out, json_t **why);

/* The rule table as JSON for the API and the UI (GET …/credit/rules):
 * {"model":true,"thresholds":{…},"rules":[…],"penalty_kinds":[…]}. */
json_t *credit_rules_json(void);

/* Grade meaning in Chinese ("低风险" …); "" for anything else. */
const char *credit_grade_label(char grade);

#endif
