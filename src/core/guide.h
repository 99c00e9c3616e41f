#ifndef YIYE_GUIDE_H
#define YIYE_GUIDE_H
/*
 * guide.h — the guide engine (智能导办): answers in, the one notice (一单告知) out.
 *
 * guide_run validates the answers to an industry's questions, decides which
 * questions are asked next, which permits apply and why, and merges materials
 * and form fields. A result is valid at every step: while questions remain
 * (complete == false) it shows what is known so far.
 *
 * Every pointer in a result borrows from the catalog (which must outlive it) or
 * from result->answers; guide_result_free releases the result's own arrays.
 */
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/catalog.h"
#include "core/error.h"

struct guide_answer_ref {
	const char *question; /* question id */
	const json_t *value;  /* the answer (borrowed from result->answers) */
};

/* Why a permit applies: a rule that fired, or "base" (the industry always needs it). */
struct guide_why {
	const char *rule;  /* rule id, or "base" */
	const char *basis; /* the rule's basis; for "base" the permit's legal basis */
	struct guide_answer_ref answers[COND_USED_MAX]; /* the answers that triggered the rule */
	size_t nanswers;
};

struct guide_permit {
	const struct catalog_permit *permit;
	const struct catalog_department *department;
	struct guide_why *why;
	size_t nwhy;
};

struct guide_material {
	const struct catalog_material *material;
	const char **required_by; /* permit codes, in permit order; empty for the industry's own */
	size_t nrequired_by;
};

struct guide_commitment {
	const struct catalog_permit *permit;
	const struct catalog_condition *condition;
};

struct guide_cost {
	long permits, days, materials, fields, steps, trips;
};

struct guide_result {
	const struct catalog_industry *industry;
	bool complete; /* every question that is asked has an answer */
	const struct catalog_question **next_questions; /* asked, unanswered, catalog order */
	size_t nnext;
	struct guide_permit *permits; /* in the industry's permit order */
	size_t npermits;
	struct guide_material *materials; /* merged, de-duplicated, stable order */
	size_t nmaterials;
	const struct catalog_field **fields; /* merged, de-duplicated, stable order */
	size_t nfields;
	const struct catalog_department **inspection_departments;
	size_t ninspection;
	struct guide_commitment *commitments;
	size_t ncommitments;
	long time_limit_days; /* max committed_days of the permits + issuance_days; 0 with no permit
			       */
	struct guide_cost before, after, percent;
	/* Which savings measures rest on modelled figures (bit GUIDE_M_DAYS…): a
	 * permit's `before.modelled`, the catalog's `after.modelled`; cleared for
	 * the measures a published case confirms when the permits are exactly it. */
	unsigned modelled;
	const char *published_source; /* that case's source, or NULL */
	json_t *answers;              /* the accepted answers (nulls dropped); owned */
};

/* Bits of guide_result.modelled, in the order of the savings measures. */
enum {
	GUIDE_M_PERMITS = 1u << 0,
	GUIDE_M_DAYS = 1u << 1,
	GUIDE_M_MATERIALS = 1u << 2,
	GUIDE_M_FIELDS = 1u << 3,
	GUIDE_M_STEPS = 1u << 4,
	GUIDE_M_TRIPS = 1u << 5
};

/*
 * guide_run computes the notice for industry_code given answers (a JSON object
 * {question id: value}; NULL means none; a null value means "not answered").
 * Fails with -1 and err set to:
 *   404 unknown_industry   (field "industry")
 *   400 invalid_answers    answers is not an object (field "answers")
 *   400 unknown_question   field "answers.<qid>"
 *   400 invalid_answer     wrong type, out of range, not an option (field "answers.<qid>")
 *   400 question_not_asked the question's ask_if does not hold (field "answers.<qid>")
 *   500 out_of_memory
 * On success *out is filled (free with guide_result_free); on failure *out is
 * left zeroed. Orders: materials and fields first the industry's own, then each
 * applying permit's in the industry's permit order, then those rules add.
 */
int guide_run(const struct catalog *cat, const char *industry_code, const json_t *answers,
	      struct guide_result *out, struct yerr *err);

void guide_result_free(struct guide_result *r);

/*
 * guide_result_to_json renders the API shape:
 * {"industry":{code,name,status,effective_date},"catalog_version":N|null,"complete":…,"next_questions":[…],
 *  "permits":[…],"materials":[…],"fields":[…],"inspection_departments":[…],
 *  "commitments":[…],"time_limit_days":N,"savings":{"before":…,"after":…,"percent":…,
 *  "modelled":["steps",…],"source":"…"|null}}
 * catalog_version <= 0 renders as null. Returns a new reference, NULL on OOM.
 */
json_t *guide_result_to_json(const struct guide_result *r, long catalog_version);

/* guide_question_to_json renders one question as in next_questions. */
json_t *guide_question_to_json(const struct catalog_question *q);

/* guide_percent is round(100*(before-after)/before), 0 when before is 0. */
long guide_percent(long before, long after);

#endif
