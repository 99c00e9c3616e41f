/*
 * test_draw.c — the verifiable draw (src/core/draw.c, draw_assign.c).
 *
 * The worked example's numbers (canonical form, commitment, seed words,
 * selection) were computed by an independent implementation written from
 * docs/api-supervision.md alone (Python's hashlib/hmac), not by draw.c;
 * the docs print the same numbers. The rest are properties: determinism,
 * every input reaching the commitment or the selection, the id order of
 * the radix sort, the inspector rule, the rounding, and uniformity over fixed seeds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "core/draw.h"
#include "unit_draw.h"

static void test_worked_example(void **state)
{
	struct draw_plan pl = ex_plan();
	struct draw_prepared *p = prepare_ok(&pl);
	struct draw_selection sel;
	struct yerr e = {0};
	struct buf canon = {0};
	unsigned char c[32];
	char hex[65];
	struct draw_stream *s;
	static const char *want[5][4] = {
	    {"XH-0001", "S01", "W02", "S02"}, {"XH-0006", "S03", "W01", "S04"},
	    {"XH-0004", "S04", "W02", "S01"}, {"XH-0010", "S02", "W01", "S03"},
	    {"XH-0008", "S02", "W02", "S01"},
	};
	size_t counts[DRAW_GRADES];

	(void)state;
	draw_canonical(p, sink_buf, &canon);
	assert_string_equal(canon.p, ex_canonical);
	free(canon.p);
	commitment_hex(p, hex);
	assert_string_equal(hex, EX_COMMITMENT);

	/* Rounding half up: A 2 × 25 % = 0.5 → 1, B 4 × 20 % = 0.8 → 1,
	 * C 3 × 50 % = 1.5 → 2, D 1 × 100 % = 1. */
	draw_counts(p, counts);
	assert_int_equal(counts[0], 1);
	assert_int_equal(counts[1], 1);
	assert_int_equal(counts[2], 2);
	assert_int_equal(counts[3], 1);

	draw_commitment(p, c);
	s = draw_stream_new(ex_secret, sizeof(ex_secret), c, "471");
	assert_true(draw_stream_next(s) == UINT64_C(0x9ff7dcae79ed66cc));
	assert_true(draw_stream_next(s) == UINT64_C(0x6732d7267b800a1a));
	assert_true(draw_stream_next(s) == UINT64_C(0x349782468ce29c08));
	assert_true(draw_stream_next(s) == UINT64_C(0x84a4bc0ba2392cc9));
	assert_true(draw_stream_next(s) == UINT64_C(0x89df5762f98a3cb6)); /* block 1 */
	for (int i = 5; i < 19; i++)
		(void)draw_stream_next(s);
	/* The draw's last word (slot 2 of XH-0008 in the docs' trace). */
	assert_true(draw_stream_next(s) == UINT64_C(0x56f5d6cf60dbe4dc));
	draw_stream_free(s);

	assert_int_equal(draw_run(p, ex_secret, sizeof(ex_secret), "471", &sel, &e), 0);
	assert_int_equal(sel.n, 5);
	for (size_t i = 0; i < 5; i++) {
		assert_string_equal(ex_entities[sel.entity[i]].id, want[i][0]);
		for (int k = 0; k < 3; k++)
			assert_string_equal(ex_inspectors[sel.inspector[i * 3 + k]].id,
					    want[i][k + 1]);
	}
	draw_selection_free(&sel);
	draw_prepared_free(p);
}

/* ---- plans built by the tests ---- */

/* A synthetic plan of n entities (grades spread A..D) and m inspectors in
 * ndep departments, every id unique; conflicts: entity i with inspector
 * (i * 7) mod m for every i divisible by conflict_every (0: none). */
struct fx {
	struct draw_entity *ent;
	struct draw_inspector *ins;
	struct draw_conflict *conf;
	char (*eid)[24], (*iid)[24];
	const char *deps[4];
	struct draw_plan plan;
	unsigned char secret[32];
	char secret_sha256[65];
};

static void fx_init(struct fx *f, size_t n, size_t m, size_t ndep, size_t conflict_every)
{
	static const char *dep_names[] = {"scjgj", "wjw", "whlyj", "tyj"};
	unsigned char h[32];
	unsigned int hl;
	size_t nc = 0;

	memset(f, 0, sizeof(*f));
	f->ent = calloc(n, sizeof(*f->ent));
	f->ins = calloc(m, sizeof(*f->ins));
	f->conf = calloc(n + 1, sizeof(*f->conf));
	f->eid = calloc(n, sizeof(*f->eid));
	f->iid = calloc(m, sizeof(*f->iid));
	for (size_t i = 0; i < n; i++) {
		snprintf(f->eid[i], sizeof(f->eid[i]), "E%06zu", (i * 7919) % 1000003);
		f->ent[i] = (struct draw_entity){f->eid[i], (enum draw_grade)(i % 4), "餐饮服务",
						 i % 2 ? "徐家汇街道" : ""};
	}
	for (size_t i = 0; i < m; i++) {
		snprintf(f->iid[i], sizeof(f->iid[i]), "I%04zu", i);
		f->ins[i] = (struct draw_inspector){f->iid[i], dep_names[i % ndep]};
	}
	for (size_t i = 0; conflict_every && i < n; i += conflict_every)
		f->conf[nc++] = (struct draw_conflict){f->iid[(i * 7) % m], f->eid[i]};
	for (size_t i = 0; i < ndep; i++)
		f->deps[i] = dep_names[i];
	for (int i = 0; i < 32; i++)
		f->secret[i] = (unsigned char)(i * 37 + 11);
	EVP_Digest(f->secret, 32, h, &hl, EVP_sha256(), NULL);
	draw_hex(h, 32, f->secret_sha256);
	f->plan = (struct draw_plan){
	    .algorithm = DRAW_ALGORITHM,
	    .plan = "测试-001",
	    .departments = f->deps,
	    .ndepartments = ndep,
	    .ratio = {50, 100, 300, 1000},
	    .per_check = (unsigned)(ndep > 2 ? ndep : 2),
	    .entities = f->ent,
	    .nentities = n,
	    .inspectors = f->ins,
	    .ninspectors = m,
	    .conflicts = f->conf,
	    .nconflicts = nc,
	    .secret_sha256 = f->secret_sha256,
	};
}

static void fx_free(struct fx *f)
{
	free(f->ent);
	free(f->ins);
	free(f->conf);
	free(f->eid);
	free(f->iid);
}

static void run_ok(const struct draw_plan *pl, const unsigned char *secret, const char *pv,
		   struct draw_selection *sel)
{
	struct draw_prepared *p = prepare_ok(pl);
	struct yerr e = {0};

	if (draw_run(p, secret, 32, pv, sel, &e) < 0)
		print_error("draw_run: %s %s\n", e.code, e.message);
	assert_int_equal(e.code[0], '\0');
	draw_prepared_free(p);
}

/* Selections as comparable text: "entity:ins,ins;…" in draw order. */
static char *sel_text(const struct draw_plan *pl, const struct draw_selection *sel)
{
	struct buf b = {0};

	for (size_t c = 0; c < sel->n; c++) {
		sink_buf(&b, pl->entities[sel->entity[c]].id,
			 strlen(pl->entities[sel->entity[c]].id));
		for (unsigned k = 0; k < sel->per_check; k++) {
			const char *id = pl->inspectors[sel->inspector[c * sel->per_check + k]].id;

			sink_buf(&b, k ? "," : ":", 1);
			sink_buf(&b, id, strlen(id));
		}
		sink_buf(&b, ";", 1);
	}
	return b.p ? b.p : strdup("");
}

static void test_order_independent(void **state)
{
	struct fx f;
	struct draw_selection a, b;
	struct draw_prepared *p;
	char h1[65], h2[65], *ta, *tb;

	(void)state;
	fx_init(&f, 400, 30, 2, 5);
	p = prepare_ok(&f.plan);
	commitment_hex(p, h1);
	draw_prepared_free(p);
	run_ok(&f.plan, f.secret, "2027-01-05", &a);
	ta = sel_text(&f.plan, &a);
	/* The database may answer the rows in any order: reverse every list. */
	for (size_t i = 0; i < f.plan.nentities / 2; i++) {
		struct draw_entity t = f.ent[i];

		f.ent[i] = f.ent[f.plan.nentities - 1 - i];
		f.ent[f.plan.nentities - 1 - i] = t;
	}
	for (size_t i = 0; i < f.plan.ninspectors / 2; i++) {
		struct draw_inspector t = f.ins[i];

		f.ins[i] = f.ins[f.plan.ninspectors - 1 - i];
		f.ins[f.plan.ninspectors - 1 - i] = t;
	}
	for (size_t i = 0; i < f.plan.nconflicts / 2; i++) {
		struct draw_conflict t = f.conf[i];

		f.conf[i] = f.conf[f.plan.nconflicts - 1 - i];
		f.conf[f.plan.nconflicts - 1 - i] = t;
	}
	f.deps[0] = "wjw";
	f.deps[1] = "scjgj";
	p = prepare_ok(&f.plan);
	commitment_hex(p, h2);
	draw_prepared_free(p);
	assert_string_equal(h1, h2);
	run_ok(&f.plan, f.secret, "2027-01-05", &b);
	tb = sel_text(&f.plan, &b);
	assert_string_equal(ta, tb);
	/* And the same inputs again give the same selection. */
	draw_selection_free(&b);
	run_ok(&f.plan, f.secret, "2027-01-05", &b);
	free(tb);
	tb = sel_text(&f.plan, &b);
	assert_string_equal(ta, tb);
	free(ta);
	free(tb);
	draw_selection_free(&a);
	draw_selection_free(&b);
	fx_free(&f);
}

/* Every commitment input changes the commitment. */
static void test_inputs_change_commitment(void **state)
{
	struct fx f;
	struct draw_prepared *p;
	char base[65], h[65];
	struct draw_entity keep_e;
	struct draw_inspector keep_i;
	struct draw_conflict keep_c;

	(void)state;
	fx_init(&f, 200, 12, 2, 10);
	p = prepare_ok(&f.plan);
	commitment_hex(p, base);
	draw_prepared_free(p);
#define CHANGED()                                 \
	do {                                      \
		p = prepare_ok(&f.plan);          \
		commitment_hex(p, h);             \
		draw_prepared_free(p);            \
		assert_string_not_equal(h, base); \
	} while (0)
	keep_e = f.ent[3];
	f.ent[3].id = "E-other";
	CHANGED();
	f.ent[3] = keep_e;
	f.ent[3].grade = DRAW_GRADE_A; /* was D */
	CHANGED();
	f.ent[3] = keep_e;
	f.ent[3].street = "天平路街道";
	CHANGED();
	f.ent[3] = keep_e;
	f.ent[3].industry = "便利店";
	CHANGED();
	f.ent[3] = keep_e;
	f.plan.nentities--;
	CHANGED();
	f.plan.nentities++;
	keep_i = f.ins[3]; /* odd inspectors have no conflict to keep pointing at them */
	f.ins[3].id = "I-other";
	CHANGED();
	f.ins[3] = keep_i;
	keep_i = f.ins[2];
	f.ins[2].department = "wjw";
	f.ins[3].department = "scjgj";
	CHANGED();
	f.ins[3].department = "wjw";
	f.ins[2] = keep_i;
	keep_c = f.conf[1];
	f.conf[1].entity = f.eid[1];
	CHANGED();
	f.conf[1] = keep_c;
	f.plan.nconflicts--;
	CHANGED();
	f.plan.nconflicts++;
	f.plan.ratio[1] = 101;
	CHANGED();
	f.plan.ratio[1] = 100;
	f.plan.per_check = 3;
	CHANGED();
	f.plan.per_check = 2;
	f.plan.plan = "测试-002";
	CHANGED();
	f.plan.plan = "测试-001";
	f.plan.secret_sha256 = EX_SECRET_SHA256;
	CHANGED();
	f.plan.secret_sha256 = f.secret_sha256;
	f.plan.ndepartments = 1;
	for (size_t i = 0; i < f.plan.ninspectors; i++)
		f.ins[i].department = "scjgj";
	CHANGED();
#undef CHANGED
	fx_free(&f);
}

/* The secret and the public value are not committed inputs but change the
 * selection; a secret other than the committed one is refused. */
static void test_random_inputs_change_selection(void **state)
{
	struct fx f;
	struct draw_selection a, b;
	struct draw_prepared *p;
	struct yerr e = {0};
	unsigned char other[32];
	char *ta, *tb;

	(void)state;
	fx_init(&f, 400, 30, 2, 5);
	run_ok(&f.plan, f.secret, "2027-01-05", &a);
	run_ok(&f.plan, f.secret, "2027-01-06", &b);
	ta = sel_text(&f.plan, &a);
	tb = sel_text(&f.plan, &b);
	assert_string_not_equal(ta, tb);
	free(tb);
	draw_selection_free(&b);

	/* Another secret with its own hash committed: another selection. */
	memcpy(other, f.secret, 32);
	other[0] ^= 1;
	{
		unsigned char h[32];
		unsigned int hl;
		char hex[65];

		EVP_Digest(other, 32, h, &hl, EVP_sha256(), NULL);
		draw_hex(h, 32, hex);
		f.plan.secret_sha256 = hex;
		run_ok(&f.plan, other, "2027-01-05", &b);
		tb = sel_text(&f.plan, &b);
		assert_string_not_equal(ta, tb);
		free(tb);
		draw_selection_free(&b);
		f.plan.secret_sha256 = f.secret_sha256;
	}
	p = prepare_ok(&f.plan);
	assert_int_equal(draw_run(p, other, 32, "2027-01-05", &b, &e), -1);
	assert_string_equal(e.code, "secret_mismatch");
	draw_prepared_free(p);
	free(ta);
	draw_selection_free(&a);
	fx_free(&f);
}

/* Over many public values: >= 2 distinct inspectors per check, none with a
 * declared conflict, every plan department in every check, the per-grade
 * counts of the documented rounding. */
static void test_inspector_rule(void **state)
{
	static const size_t shapes[][4] = {
	    /* entities, inspectors, departments, conflict every */
	    {300, 8, 1, 1},
	    {300, 12, 2, 2},
	    {500, 9, 3, 3},
	    {120, 4, 2, 1},
	};

	(void)state;
	for (size_t sh = 0; sh < sizeof(shapes) / sizeof(shapes[0]); sh++) {
		struct fx f;
		struct draw_prepared *p;
		size_t want[DRAW_GRADES], sizes[DRAW_GRADES];

		fx_init(&f, shapes[sh][0], shapes[sh][1], shapes[sh][2], shapes[sh][3]);
		p = prepare_ok(&f.plan);
		draw_counts(p, want);
		draw_grade_sizes(p, sizes);
		for (int g = 0; g < DRAW_GRADES; g++)
			assert_int_equal(want[g], (sizes[g] * f.plan.ratio[g] + 500) / 1000);
		for (int seed = 0; seed < 200; seed++) {
			struct draw_selection sel;
			struct yerr e = {0};
			char pv[32];
			size_t got[DRAW_GRADES] = {0};

			snprintf(pv, sizeof(pv), "beacon-%d", seed);
			assert_int_equal(draw_run(p, f.secret, 32, pv, &sel, &e), 0);
			assert_true(sel.per_check >= 2);
			for (size_t c = 0; c < sel.n; c++) {
				const struct draw_entity *en = &f.ent[sel.entity[c]];
				const size_t *ins = sel.inspector + c * sel.per_check;

				got[en->grade]++;
				for (unsigned k = 0; k < sel.per_check; k++) {
					for (unsigned j = 0; j < k; j++)
						assert_true(ins[j] != ins[k]);
					for (size_t x = 0; x < f.plan.nconflicts; x++)
						assert_false(
						    strcmp(f.conf[x].entity, en->id) == 0 &&
						    strcmp(f.conf[x].inspector, f.ins[ins[k]].id) ==
							0);
				}
				for (size_t d = 0; d < f.plan.ndepartments; d++) {
					int covered = 0;

					for (unsigned k = 0; k < sel.per_check; k++)
						covered |= strcmp(f.ins[ins[k]].department,
								  f.deps[d]) == 0;
					assert_true(covered);
				}
			}
			for (int g = 0; g < DRAW_GRADES; g++)
				assert_int_equal(got[g], want[g]);
			draw_selection_free(&sel);
		}
		draw_prepared_free(p);
		fx_free(&f);
	}
}

/* Without conflicts and with one department, loads differ by at most one. */
static void test_inspector_balance(void **state)
{
	struct fx f;
	struct draw_selection sel;
	size_t load[7] = {0}, lo = SIZE_MAX, hi = 0;

	(void)state;
	fx_init(&f, 400, 7, 1, 0);
	run_ok(&f.plan, f.secret, "balance", &sel);
	for (size_t i = 0; i < sel.n * sel.per_check; i++)
		load[sel.inspector[i]]++;
	for (int i = 0; i < 7; i++) {
		lo = load[i] < lo ? load[i] : lo;
		hi = load[i] > hi ? load[i] : hi;
	}
	assert_true(hi - lo <= 1);
	draw_selection_free(&sel);
	fx_free(&f);
}

/* An entity whose department has no unconflicted inspector: a precise error. */
static void test_not_enough_inspectors(void **state)
{
	static const struct draw_inspector ins[] = {
	    {"S01", "scjgj"}, {"S02", "scjgj"}, {"W01", "wjw"}};
	static const struct draw_conflict conf[] = {{"W01", "XH-0008"}};
	struct draw_plan pl = ex_plan();
	struct draw_prepared *p;
	struct draw_selection sel;
	struct yerr e = {0};

	(void)state;
	pl.inspectors = ins;
	pl.ninspectors = 3;
	pl.conflicts = conf;
	pl.nconflicts = 1;
	p = prepare_ok(&pl);
	assert_int_equal(draw_run(p, ex_secret, 32, "471", &sel, &e), -1);
	assert_string_equal(e.code, "not_enough_inspectors");
	assert_non_null(strstr(e.message, "XH-0008"));
	assert_non_null(strstr(e.message, "wjw"));
	draw_prepared_free(p);
	/* Three per check but two inspectors in all. */
	pl.ndepartments = 1;
	pl.departments = ex_departments + 1;
	pl.inspectors = ins;
	pl.ninspectors = 2;
	pl.nconflicts = 0;
	p = prepare_ok(&pl);
	assert_int_equal(draw_run(p, ex_secret, 32, "471", &sel, &e), -1);
	assert_string_equal(e.code, "not_enough_inspectors");
	assert_non_null(strstr(e.message, "不足 3 名"));
	draw_prepared_free(p);
}

static void expect_refused(const struct draw_plan *pl, const char *code, const char *field)
{
	struct draw_prepared *p = NULL;
	struct yerr e = {0};

	assert_int_equal(draw_prepare(pl, &p, &e), -1);
	assert_null(p);
	if (strcmp(e.code, code) != 0 || strcmp(e.field, field) != 0)
		print_error("code %s field %s: %s\n", e.code, e.field, e.message);
	assert_string_equal(e.code, code);
	assert_string_equal(e.field, field);
}

static void test_bad_inputs(void **state)
{
	struct draw_entity ent[10];
	struct draw_inspector ins[6];
	struct draw_conflict conf[2];
	struct draw_plan pl = ex_plan();
	char longid[80];

	(void)state;
	memcpy(ent, ex_entities, sizeof(ent));
	memcpy(ins, ex_inspectors, sizeof(ins));
	memcpy(conf, ex_conflicts, sizeof(conf));
	pl.entities = ent;
	pl.inspectors = ins;
	pl.conflicts = conf;
	ent[4].id = "XH-0002";
	expect_refused(&pl, "duplicate", "entities[4]");
	ent[4].id = "";
	expect_refused(&pl, "bad_record", "entities[4].id");
	memset(longid, 'x', sizeof(longid) - 1);
	longid[sizeof(longid) - 1] = '\0';
	ent[4].id = longid;
	expect_refused(&pl, "bad_record", "entities[4].id");
	ent[4].id = "\xff\xfe";
	expect_refused(&pl, "bad_record", "entities[4].id");
	ent[4] = ex_entities[4];
	ent[4].grade = (enum draw_grade)7;
	expect_refused(&pl, "bad_record", "entities[4].grade");
	ent[4] = ex_entities[4];
	ent[4].street = "a\nb";
	expect_refused(&pl, "bad_record", "entities[4].street");
	ent[4] = ex_entities[4];
	ins[5].department = "tyj";
	expect_refused(&pl, "unknown_department", "inspectors[5].department");
	ins[5] = ex_inspectors[5];
	ins[5].id = "S01";
	expect_refused(&pl, "duplicate", "inspectors[5]");
	ins[5] = ex_inspectors[5];
	conf[1] = conf[0];
	expect_refused(&pl, "duplicate", "conflicts");
	conf[1] = (struct draw_conflict){"X01", "XH-0001"};
	expect_refused(&pl, "unknown_inspector", "conflicts[1].inspector");
	conf[1] = ex_conflicts[1];
	pl.per_check = 1;
	expect_refused(&pl, "bad_record", "inspectors_per_check");
	pl.per_check = 3;
	pl.ratio[2] = 1001;
	expect_refused(&pl, "bad_record", "ratios.C");
	pl.ratio[2] = 500;
	pl.algorithm = "yiye-draw/0";
	expect_refused(&pl, "unsupported_algorithm", "algorithm");
	pl.algorithm = DRAW_ALGORITHM;
	pl.secret_sha256 = "630DCD";
	expect_refused(&pl, "bad_record", "secret_sha256");
	pl.secret_sha256 = EX_SECRET_SHA256;
	pl.ndepartments = 0;
	expect_refused(&pl, "bad_record", "departments");
	pl.ndepartments = 2;
	/* Counts past the limits are refused before any row is read. */
	pl.nentities = DRAW_MAX_ENTITIES + 1;
	pl.entities = NULL;
	expect_refused(&pl, "too_large", "entities");
	pl.nentities = 10;
	pl.entities = ent;
	pl.ninspectors = DRAW_MAX_INSPECTORS + 1;
	expect_refused(&pl, "too_large", "inspectors");
	pl.ninspectors = 6;
	pl.nconflicts = DRAW_MAX_CONFLICTS + 1;
	expect_refused(&pl, "too_large", "conflicts");
}

/* Uniformity: over 4000 fixed public values, each of the 20 grade-A
 * entities is drawn (5 of 20 each time) about 1000 times. Chi-square with
 * 19 degrees of freedom must stay below 81.56, its p = 1e-9 quantile
 * (drawing without replacement only lowers the variance, so the bound is
 * conservative); fixed seeds make the test deterministic. The grade-A
 * entities' first inspector is checked the same way. */
static void test_uniformity(void **state)
{
	struct fx f;
	struct draw_prepared *p;
	size_t hits[80] = {0}, first[5] = {0}, rounds = 4000, na = 0, picks = 0;
	double chi = 0, exp_e, exp_i;

	(void)state;
	fx_init(&f, 80, 5, 1, 0); /* grades cycle: 20 entities each */
	f.plan.ratio[0] = 250;
	f.plan.ratio[1] = f.plan.ratio[2] = f.plan.ratio[3] = 0;
	f.plan.per_check = 2;
	p = prepare_ok(&f.plan);
	for (size_t r = 0; r < rounds; r++) {
		struct draw_selection sel;
		struct yerr e = {0};
		char pv[32];

		snprintf(pv, sizeof(pv), "uniform-%zu", r);
		assert_int_equal(draw_run(p, f.secret, 32, pv, &sel, &e), 0);
		assert_int_equal(sel.n, 5);
		for (size_t c = 0; c < sel.n; c++)
			hits[sel.entity[c]]++;
		/* The first check's first inspector: all loads are 0, so every
		 * inspector is a candidate. */
		first[sel.inspector[0]]++;
		picks++;
		draw_selection_free(&sel);
	}
	exp_e = (double)rounds * 5 / 20;
	for (size_t i = 0; i < 80; i++) {
		if (f.ent[i].grade != DRAW_GRADE_A) {
			assert_int_equal(hits[i], 0);
			continue;
		}
		na++;
		chi += ((double)hits[i] - exp_e) * ((double)hits[i] - exp_e) / exp_e;
	}
	assert_int_equal(na, 20);
	if (chi >= 81.56)
		print_error("entity chi-square %.2f\n", chi);
	assert_true(chi < 81.56);
	/* 5 inspectors, 4 degrees of freedom: p = 1e-9 quantile 46.2. */
	chi = 0;
	exp_i = (double)picks / 5;
	for (int i = 0; i < 5; i++)
		chi += ((double)first[i] - exp_i) * ((double)first[i] - exp_i) / exp_i;
	if (chi >= 46.2)
		print_error("inspector chi-square %.2f\n", chi);
	assert_true(chi < 46.2);
	draw_prepared_free(p);
	fx_free(&f);
}

/* The radix sort gives strcmp's order and finds duplicates wherever they
 * hide: ids sharing 20 or 40 bytes (past the cached 16), ids that are
 * prefixes of others, bytes above 0x7f, buckets large and small. */
static int strp_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void canon_sink(void *ctx, const char *bytes, size_t len)
{
	sink_buf(ctx, bytes, len);
}

static void test_id_order(void **state)
{
	enum { N = 3000 };
	static char ids[N][64];
	static struct draw_entity ent[N];
	static const char *sorted[N];
	static const char *prefixes[] = {"", "91310104", "XH-COMMON-PREFIX-LONGER-THAN-16-",
					 "企业编号-共享前缀-四十字节以上的很长前缀-"};
	struct draw_plan pl = ex_plan();
	struct draw_prepared *p;
	struct buf canon = {0};
	struct yerr e = {0};
	const char *line;
	size_t k = 0;

	(void)state;
	for (size_t i = 0; i < N; i++) {
		const char *pre = prefixes[i % 4];
		size_t v = (i * 7919) % 100003;

		/* Every 7th id is a prefix of another one (v / 10 then v). */
		if (i % 7 == 0)
			snprintf(ids[i], sizeof(ids[i]), "%s%zu", pre, v / 10);
		else if (i % 11 == 0)
			snprintf(ids[i], sizeof(ids[i]), "%s\xc3\xa9%zu", pre, v);
		else
			snprintf(ids[i], sizeof(ids[i]), "%s%zu", pre, v);
		ent[i] = (struct draw_entity){ids[i], (enum draw_grade)(i % 4), "", ""};
	}
	/* Drop accidental duplicates so the first plan is valid. */
	for (size_t i = 0; i < N; i++)
		sorted[i] = ids[i];
	qsort(sorted, N, sizeof(sorted[0]), strp_cmp);
	for (size_t i = 0; i < N; i++)
		if (i == 0 || strcmp(sorted[i - 1], sorted[i]) != 0)
			sorted[k++] = sorted[i];
	for (size_t i = 0; i < k; i++)
		ent[i] =
		    (struct draw_entity){sorted[(i * 7919) % k], (enum draw_grade)(i % 4), "", ""};
	/* (i × 7919) mod k is a permutation: 7919 is prime and k < 7919. */
	assert_true(k < 7919);
	pl.entities = ent;
	pl.nentities = k;
	pl.nconflicts = 0;
	p = prepare_ok(&pl);
	draw_canonical(p, canon_sink, &canon);
	line = strstr(canon.p, "entity\t");
	for (size_t i = 0; i < k; i++) {
		size_t n = strlen(sorted[i]);

		assert_non_null(line);
		if (strncmp(line + 7, sorted[i], n) != 0 || line[7 + n] != '\t')
			fail_msg("entity %zu: want %s, got %.40s", i, sorted[i], line + 7);
		line = strchr(line, '\n') + 1;
	}
	free(canon.p);
	draw_prepared_free(p);
	/* A duplicate deep in a long shared prefix, among many others. */
	ent[k - 1] = ent[k / 2];
	assert_int_equal(draw_prepare(&pl, &p, &e), -1);
	assert_string_equal(e.code, "duplicate");
	{
		char want[32];

		snprintf(want, sizeof(want), "entities[%zu]", (size_t)k - 1);
		assert_string_equal(e.field, want);
	}
}

/* Rejection sampling: uniform below n for small and awkward n, and n = 1
 * consumes a word (the docs say every call draws at least one). */
static void test_stream_below(void **state)
{
	unsigned char c[32] = {0};
	struct draw_stream *s = draw_stream_new(ex_secret, 32, c, "x"), *t;
	uint64_t big = (UINT64_C(1) << 63) + 1;

	(void)state;
	t = draw_stream_new(ex_secret, 32, c, "x");
	assert_true(draw_stream_below(s, 1) == 0);
	(void)draw_stream_next(t);
	assert_true(draw_stream_next(s) == draw_stream_next(t));
	/* n = 2^63 + 1 rejects words below 2^63 - 1: about half. */
	for (int i = 0; i < 100; i++)
		assert_true(draw_stream_below(s, big) < big);
	for (int i = 0; i < 1000; i++)
		assert_true(draw_stream_below(s, 7) < 7);
	draw_stream_free(s);
	draw_stream_free(t);
}

/* An empty grade, a plan without entities: no check, no failure. */
static void test_empty(void **state)
{
	struct draw_plan pl = ex_plan();
	struct draw_selection sel;

	(void)state;
	pl.nentities = 0;
	pl.nconflicts = 0;
	run_ok(&pl, ex_secret, "471", &sel);
	assert_int_equal(sel.n, 0);
	draw_selection_free(&sel);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_worked_example),
	    cmocka_unit_test(test_order_independent),
	    cmocka_unit_test(test_inputs_change_commitment),
	    cmocka_unit_test(test_random_inputs_change_selection),
	    cmocka_unit_test(test_inspector_rule),
	    cmocka_unit_test(test_inspector_balance),
	    cmocka_unit_test(test_not_enough_inspectors),
	    cmocka_unit_test(test_bad_inputs),
	    cmocka_unit_test(test_uniformity),
	    cmocka_unit_test(test_id_order),
	    cmocka_unit_test(test_stream_below),
	    cmocka_unit_test(test_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
