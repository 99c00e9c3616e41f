/*
 * draw_assign.c — the inspectors of each drawn check (docs/api-supervision.md
 * "Inspectors"). The rule, independent of how it is computed:
 *
 *   checks in draw order; for each, the entity's conflicted inspectors are
 *   set aside first; slot s < D (D departments, in id order) takes an
 *   inspector of department s, later slots one of any department; each slot
 *   looks at its candidates not set aside (not conflicted, not already on
 *   this check), keeps those with the lowest load so far (checks assigned
 *   in this draw), lists them in id order and takes the one at index
 *   below(count) of the stream.
 *
 * Computed naively that is a scan of every candidate per slot: 57,000
 * checks × 2 slots × 500 inspectors for a city-wide plan. Here each pool of
 * candidates (one per department, one of all inspectors) is kept ordered by
 * (load, id) with the start of each load level, so a slot reads the lowest
 * level and skips the few inspectors set aside; a pick moves one inspector
 * up a level in its two pools (a memmove within the pool).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/draw.h"
#include "core/draw_internal.h"

struct pool {
	uint32_t *a; /* inspector ranks, ordered by (load, rank) */
	size_t n;    /* members */
	size_t *off; /* off[L]: first index of load level L; off[top] == n */
	size_t top;  /* levels >= top are empty */
	size_t cap;  /* entries of off */
	size_t lo;   /* every level below lo is empty */
	long dep;    /* the department of its members, or -1 for all */
};

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (p == NULL)
		abort();
	return p;
}

static void pool_init(struct pool *pl, const size_t *ranks, size_t n, long dep)
{
	pl->a = xcalloc(n, sizeof(uint32_t));
	for (size_t i = 0; i < n; i++)
		pl->a[i] = (uint32_t)ranks[i];
	pl->n = n;
	pl->cap = 64;
	pl->off = xcalloc(pl->cap, sizeof(size_t));
	pl->off[0] = 0;
	pl->off[1] = n;
	pl->top = 1;
	pl->lo = 0;
	pl->dep = dep;
}

/* The index of rank r within a[lo..hi) (sorted by rank), or where it goes. */
static size_t pool_bound(const struct pool *pl, size_t lo, size_t hi, uint32_t r)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (pl->a[mid] < r)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Moves rank r from load level L to L + 1. */
static void pool_raise(struct pool *pl, uint32_t r, size_t L)
{
	size_t pos, q;

	if (L + 1 == pl->top) { /* level L + 1 comes into use */
		if (pl->top + 1 >= pl->cap) {
			pl->cap *= 2;
			pl->off = realloc(pl->off, pl->cap * sizeof(size_t));
			if (pl->off == NULL)
				abort();
		}
		pl->off[++pl->top] = pl->n;
	}
	pos = pool_bound(pl, pl->off[L], pl->off[L + 1], r);
	q = pool_bound(pl, pl->off[L + 1], pl->off[L + 2], r);
	memmove(&pl->a[pos], &pl->a[pos + 1], (q - 1 - pos) * sizeof(uint32_t));
	pl->a[q - 1] = r;
	pl->off[L + 1]--;
	while (pl->lo + 1 < pl->top && pl->off[pl->lo] == pl->off[pl->lo + 1])
		pl->lo++;
}

/* The slot's pick from pool pl: aside[0..naside) are the ranks set aside
 * for this check (any pool). Returns the rank, or -1 when every member is
 * set aside. */
static long pool_pick(const struct pool *pl, const uint32_t *aside, size_t naside,
		      const size_t *load, const unsigned *ins_dep, size_t *skip,
		      struct draw_stream *s)
{
	for (size_t L = pl->lo; L < pl->top; L++) {
		size_t from = pl->off[L], to = pl->off[L + 1], nskip = 0, idx;

		if (from == to)
			continue;
		/* Where the set-aside members of this level sit, ascending. */
		for (size_t i = 0; i < naside; i++) {
			uint32_t r = aside[i];
			size_t at, m;

			if (load[r] != L || (pl->dep >= 0 && ins_dep[r] != (unsigned)pl->dep))
				continue;
			at = pool_bound(pl, from, to, r);
			for (m = nskip; m > 0 && skip[m - 1] > at; m--)
				skip[m] = skip[m - 1];
			skip[m] = at;
			nskip++;
		}
		if (to - from == nskip)
			continue;
		idx = from + (size_t)draw_stream_below(s, to - from - nskip);
		for (size_t i = 0; i < nskip; i++)
			if (skip[i] <= idx)
				idx++;
		return (long)pl->a[idx];
	}
	return -1;
}

int draw_assign(const struct draw_prepared *p, struct draw_stream *s, struct draw_selection *sel,
		struct yerr *err)
{
	const struct draw_plan *pl = p->plan;
	size_t ndep = pl->ndepartments, nins = pl->ninspectors;
	struct pool *pools = xcalloc(ndep + 1, sizeof(*pools)); /* [ndep]: all inspectors */
	size_t *load = xcalloc(nins, sizeof(size_t));
	size_t *all = xcalloc(nins, sizeof(size_t));
	uint32_t *aside = NULL;
	size_t *skip = NULL, cap = 0;
	int rc = 0;

	for (size_t r = 0; r < nins; r++)
		all[r] = r;
	for (size_t d = 0; d < ndep; d++)
		pool_init(&pools[d], p->dep_ins + p->dep_off[d], p->dep_off[d + 1] - p->dep_off[d],
			  (long)d);
	pool_init(&pools[ndep], all, nins, -1);
	for (size_t c = 0; c < sel->n && rc == 0; c++) {
		size_t e = sel->entity[c], lo = 0, hi = p->nconf, first, naside = 0;

		/* The entity's conflicts: a range of conf_ent (sorted by entity). */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (p->conf_ent[mid].ent < e)
				lo = mid + 1;
			else
				hi = mid;
		}
		first = lo;
		while (lo < p->nconf && p->conf_ent[lo].ent == e)
			lo++;
		if (lo - first + sel->per_check > cap) {
			cap = lo - first + sel->per_check;
			free(aside);
			free(skip);
			aside = xcalloc(cap, sizeof(*aside));
			skip = xcalloc(cap, sizeof(*skip));
		}
		for (size_t i = first; i < lo; i++)
			aside[naside++] = (uint32_t)p->conf_ent[i].ins;
		for (unsigned slot = 0; slot < sel->per_check; slot++) {
			bool dep = slot < ndep;
			struct pool *pool = &pools[dep ? slot : ndep];
			long r = pool_pick(pool, aside, naside, load, p->ins_dep, skip, s);

			if (r < 0) {
				const char *id = pl->entities[p->eline[e].i].id;

				if (dep)
					rc = yerr_set(
					    err, 409, "not_enough_inspectors", "inspectors",
					    "检查对象 %s：部门 %s 没有可派的无利害冲突检查人员", id,
					    pl->departments[p->dep[slot]]);
				else
					rc = yerr_set(err, 409, "not_enough_inspectors",
						      "inspectors",
						      "检查对象 %s：无利害冲突的检查人员不足 %u 名",
						      id, sel->per_check);
				break;
			}
			pool_raise(&pools[p->ins_dep[r]], (uint32_t)r, load[r]);
			pool_raise(&pools[ndep], (uint32_t)r, load[r]);
			load[r]++;
			aside[naside++] = (uint32_t)r;
			sel->inspector[c * sel->per_check + slot] = p->ins[r];
		}
	}
	for (size_t d = 0; d <= ndep; d++) {
		free(pools[d].a);
		free(pools[d].off);
	}
	free(pools);
	free(load);
	free(all);
	free(aside);
	free(skip);
	return rc;
}
