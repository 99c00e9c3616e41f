/*
 * draw_internal.h — the prepared plan, shared by draw.c (checks, canonical
 * form, selection) and draw_record.c (the record, written in canonical
 * order). Not for other modules: they use draw.h.
 */
#ifndef YIYE_DRAW_INTERNAL_H
#define YIYE_DRAW_INTERNAL_H

#include <stddef.h>

#include "core/draw.h"

/* A string to sort with the number of the row it came from. */
struct draw_key {
	const char *s;
	size_t i;
};

/* A conflict by ranks (positions in id order). */
struct draw_pair {
	size_t ins, ent;
};

struct draw_prepared {
	const struct draw_plan *plan;
	size_t *ent;       /* entity rank → plan index (ids ascending) */
	size_t *ins;       /* inspector rank → plan index */
	size_t *dep;       /* department rank → plan index */
	unsigned *ins_dep; /* inspector rank → department rank */
	size_t *grade;     /* entity ranks grouped by grade, ascending within */
	size_t grade_off[DRAW_GRADES + 1];
	size_t *dep_ins;            /* inspector ranks grouped by department */
	size_t *dep_off;            /* [ndepartments + 1] */
	struct draw_pair *conf_ins; /* conflicts by (inspector, entity): canonical order */
	struct draw_pair *conf_ent; /* the same by (entity, inspector): look-up */
	size_t nconf;
	unsigned char commitment[32]; /* SHA-256 of the canonical form */
};

#endif
