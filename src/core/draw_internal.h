/*
 * draw_internal.h — the prepared plan, shared by draw.c (checks, canonical
 * form, selection) and draw_record.c (the record, written in canonical
 * order). Not for other modules: they use draw.h.
 */
#ifndef YIYE_DRAW_INTERNAL_H
#define YIYE_DRAW_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "core/draw.h"

/* A string to sort with the number of the row it came from; pre caches 8
 * of its bytes for the radix sort (draw.c). */
struct draw_key {
	uint64_t pre[2];
	const char *s;
	uint32_t i;   /* row number (DRAW_MAX_* < 2^32) */
	uint32_t len; /* entities: the length of their canonical line */
};

/* A conflict by ranks (positions in id order). */
struct draw_pair {
	size_t ins, ent;
};

struct draw_prepared {
	const struct draw_plan *plan;
	struct draw_key *eline; /* entity rank → its canonical line (s: the id in it), i: its row */
	char *arena;            /* the entities' canonical lines, in row order */
	size_t *ins;            /* inspector rank → plan index */
	size_t *dep;            /* department rank → plan index */
	unsigned *ins_dep;      /* inspector rank → department rank */
	uint32_t *grade;        /* entity ranks grouped by grade, ascending within */
	size_t grade_off[DRAW_GRADES + 1];
	size_t *dep_ins;            /* inspector ranks grouped by department */
	size_t *dep_off;            /* [ndepartments + 1] */
	struct draw_pair *conf_ins; /* conflicts by (inspector, entity): canonical order */
	struct draw_pair *conf_ent; /* the same by (entity, inspector): look-up */
	size_t nconf;
	unsigned char commitment[32]; /* SHA-256 of the canonical form */
};

/* The inspectors of every check of sel (whose entity[] still holds entity
 * ranks), drawn from s after the entities (draw_assign.c). */
int draw_assign(const struct draw_prepared *p, struct draw_stream *s, struct draw_selection *sel,
		struct yerr *err);

#endif
