/*
 * draw.h — the publicly verifiable random draw of 双随机、一公开 (issue 13):
 * which entities a spot-check plan visits and which inspectors visit each.
 *
 * Pure: no store, no files, no clock. The supervision module feeds it the
 * plan's rows and publishes what it answers; anyone re-runs it from the
 * published record (`yiye draw verify`). The algorithm is specified byte for
 * byte in docs/api-supervision.md ("The draw"); this header is its C face.
 *
 * Life of a draw:
 *   1. freeze: fill a struct draw_plan (every input but the random ones, and
 *      the SHA-256 of a secret the supervisor keeps), draw_prepare it and
 *      publish draw_commitment — before the public value exists;
 *   2. draw: once the public value is known (a lottery result, a beacon
 *      value, with its source named), draw_run with the revealed secret;
 *   3. publish draw_record_json; draw_verify re-runs a record and says
 *      which part, if any, does not match.
 *
 * Strings in the plan are borrowed: the caller keeps them alive while the
 * prepared plan and the selection are used (a database row buffer, the
 * parsed JSON of a record). Nothing here keeps global state.
 */
#ifndef YIYE_DRAW_H
#define YIYE_DRAW_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/error.h"

/* The one algorithm this code implements; a record naming another is refused. */
#define DRAW_ALGORITHM "yiye-draw/1"
#define DRAW_RECORD_FORMAT "yiye-draw-record/1"

/* Credit grades (国市监信发〔2022〕6号), low → high risk. */
enum draw_grade { DRAW_GRADE_A, DRAW_GRADE_B, DRAW_GRADE_C, DRAW_GRADE_D, DRAW_GRADES };

/* Bounds on the inputs, so a hostile record fails cleanly (docs list them). */
#define DRAW_MAX_ENTITIES 10000000
#define DRAW_MAX_INSPECTORS 100000
#define DRAW_MAX_CONFLICTS 10000000
#define DRAW_MAX_DEPARTMENTS 32
#define DRAW_MAX_PER_CHECK 16
#define DRAW_MAX_ID 64       /* bytes: an entity, inspector or department id */
#define DRAW_MAX_LABEL 256   /* bytes: plan, industry, street, public source */
#define DRAW_MAX_PUBLIC 1024 /* bytes: the public value */
#define DRAW_SECRET_MIN 16   /* bytes of secret (32 hex digits) */
#define DRAW_SECRET_MAX 64

/* An entity of the plan's scope: 统一社会信用代码 (or an internal id) and
 * credit grade, which the selection uses; industry and street are committed
 * and published so anyone can check the list against the plan's scope, but
 * do not steer the selection. */
struct draw_entity {
	const char *id;
	enum draw_grade grade;
	const char *industry; /* "" when not recorded */
	const char *street;   /* "" when not recorded */
};

struct draw_inspector {
	const char *id;
	const char *department; /* one of the plan's departments */
};

/* A declared conflict of interest: this inspector never checks this entity. */
struct draw_conflict {
	const char *inspector;
	const char *entity;
};

/* Every commitment input. Order of the arrays does not matter (they are
 * sorted); duplicates and dangling references are refused. */
struct draw_plan {
	const char *algorithm;    /* DRAW_ALGORITHM */
	const char *plan;         /* the plan's public identifier, e.g. "徐汇-2027-001" */
	const char **departments; /* departments concerned (one: single, more: joint) */
	size_t ndepartments;
	unsigned ratio[DRAW_GRADES]; /* per-mille of each grade to draw, 0..1000 */
	unsigned per_check;          /* inspectors per check, >= 2 and >= ndepartments */
	const struct draw_entity *entities;
	size_t nentities;
	const struct draw_inspector *inspectors;
	size_t ninspectors;
	const struct draw_conflict *conflicts;
	size_t nconflicts;
	const char *secret_sha256; /* 64 lowercase hex digits */
};

/* A plan checked, sorted and indexed (opaque; draw_prepared_free). */
struct draw_prepared;

/* The outcome of a draw: n checks, in draw order (grade A's first). Entity
 * and inspector numbers index the plan's own arrays. */
struct draw_selection {
	size_t n;
	unsigned per_check;
	size_t *entity;            /* [n] */
	size_t *inspector;         /* [n * per_check]: check i's inspectors at i * per_check */
	size_t count[DRAW_GRADES]; /* checks per grade (the rounding of docs) */
};

/* Checks every input of plan (limits, UTF-8 without control characters,
 * unique ids, conflicts and inspectors naming known entities and
 * departments, ratios, per_check), indexes it and hashes its canonical form.
 * Returns 0 and *out (the caller frees it with draw_prepared_free; plan and
 * its strings must outlive it) or -1 with err naming the field. */
int draw_prepare(const struct draw_plan *plan, struct draw_prepared **out, struct yerr *err);
void draw_prepared_free(struct draw_prepared *p);

/* The canonical serialisation of the commitment inputs, handed to sink in
 * pieces (it is about 60 bytes per entity). Its SHA-256 is the commitment,
 * which draw_prepare computes and draw_commitment copies out. */
void draw_canonical(const struct draw_prepared *p,
		    void (*sink)(void *ctx, const char *bytes, size_t len), void *ctx);
/* SHA-256 of the canonical serialisation; hex gets 64 digits and a NUL. */
void draw_commitment(const struct draw_prepared *p, unsigned char out[32]);
void draw_hex(const unsigned char *bytes, size_t len, char *hex);

/* How many entities of each grade the plan draws:
 * round-half-up(count × ratio / 1000) = (count × ratio + 500) div 1000. */
void draw_counts(const struct draw_prepared *p, size_t out[DRAW_GRADES]);
/* Entities of each grade in the plan (for a preview). */
void draw_grade_sizes(const struct draw_prepared *p, size_t out[DRAW_GRADES]);

/* Runs the draw from the revealed secret (raw bytes; its SHA-256 must be
 * the committed one) and the public value. Fills sel (draw_selection_free)
 * or returns -1: secret_mismatch (409), not_enough_inspectors (409, naming
 * the entity and the department that has no unconflicted inspector left). */
int draw_run(const struct draw_prepared *p, const unsigned char *secret, size_t secret_len,
	     const char *public_value, struct draw_selection *sel, struct yerr *err);
void draw_selection_free(struct draw_selection *sel);

/* The random stream, exposed for the tests and the docs' worked example:
 * seed = HMAC-SHA-256(secret, commitment || public value); word j is
 * bytes 8(j mod 4)… of HMAC-SHA-256(seed, uint64be(j div 4)), big-endian. */
struct draw_stream;
struct draw_stream *draw_stream_new(const unsigned char *secret, size_t secret_len,
				    const unsigned char commitment[32], const char *public_value);
void draw_stream_free(struct draw_stream *s);
uint64_t draw_stream_next(struct draw_stream *s);
/* Uniform in [0, n) for n >= 1: words below 2^64 mod n are rejected. */
uint64_t draw_stream_below(struct draw_stream *s, uint64_t n);

/* ---- the public record (draw_record.c) ---- */

/* A parsed record: the plan and the revealed inputs point into doc. */
struct draw_record {
	json_t *doc;
	struct draw_plan plan;
	struct draw_entity *entities;
	struct draw_inspector *inspectors;
	struct draw_conflict *conflicts;
	const char **departments;
	const char *commitment; /* hex, as published */
	unsigned char secret[DRAW_SECRET_MAX];
	size_t secret_len;
	const char *public_value;
	const char *public_source;
	json_t *selection; /* the published selection (borrowed from doc) */
};

/* Parses a record document of len bytes. Every problem is a 400 bad_record
 * naming the JSON path ("entities[3].grade"); unknown members are refused.
 * draw_record_free releases it (also after a failure). */
int draw_record_parse(const char *text, size_t len, struct draw_record *rec, struct yerr *err);
void draw_record_free(struct draw_record *rec);

/* The public record of a finished draw (lists in canonical order, the
 * selection in draw order); the caller owns the answer. public_source names
 * where the public value came from. */
json_t *draw_record_json(const struct draw_prepared *p, const unsigned char *secret,
			 size_t secret_len, const char *public_value, const char *public_source,
			 const struct draw_selection *sel);

/* Which part of a record failed verification. */
enum draw_verdict {
	DRAW_MATCH,            /* the published selection is the one the inputs give */
	DRAW_BAD_RECORD,       /* not a record (err says where) */
	DRAW_BAD_INPUTS,       /* inputs a draw refuses (duplicates, bad references) */
	DRAW_COMMITMENT_WRONG, /* the published commitment is not the inputs' hash */
	DRAW_SECRET_WRONG,     /* sha256(secret) is not the committed secret hash */
	DRAW_DRAW_FAILED,      /* the inputs cannot be drawn (not enough inspectors) */
	DRAW_SELECTION_WRONG,  /* the published selection differs from the re-run */
};

/* Re-runs the record: parses it, recomputes the commitment, checks the
 * secret against its committed hash, re-runs the selection and compares
 * it with the published one (as a set of checks, each a set of
 * inspectors: the order in which a store lists them does not matter).
 * err describes anything but DRAW_MATCH; summary (when non-NULL, at least
 * 512 bytes) gets a one-line description of what matched. */
enum draw_verdict draw_verify(const char *text, size_t len, char *summary, size_t summary_len,
			      struct yerr *err);

#endif
