/*
 * unit_draw.h — the worked example of docs/api-supervision.md ("A worked
 * example"), shared by test_draw.c and test_draw_record.c. Its numbers
 * (canonical form, commitment, seed words, selection) were computed by an
 * independent implementation written from the docs alone (Python's hashlib
 * and hmac), not by draw.c. Include after <cmocka.h>.
 */
#ifndef YIYE_UNIT_DRAW_H
#define YIYE_UNIT_DRAW_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/draw.h"

static const struct draw_entity ex_entities[] = {
    {"XH-0001", DRAW_GRADE_A, "餐饮服务", "徐家汇街道"},
    {"XH-0002", DRAW_GRADE_B, "便利店", "天平路街道"},
    {"XH-0003", DRAW_GRADE_B, "餐饮服务", "徐家汇街道"},
    {"XH-0004", DRAW_GRADE_C, "药店", "湖南路街道"},
    {"XH-0005", DRAW_GRADE_A, "便利店", "枫林路街道"},
    {"XH-0006", DRAW_GRADE_B, "餐饮服务", "田林街道"},
    {"XH-0007", DRAW_GRADE_C, "便利店", "康健新村街道"},
    {"XH-0008", DRAW_GRADE_D, "餐饮服务", "漕河泾街道"},
    {"XH-0009", DRAW_GRADE_B, "药店", "虹梅路街道"},
    {"XH-0010", DRAW_GRADE_C, "餐饮服务", "斜土路街道"},
};
static const struct draw_inspector ex_inspectors[] = {
    {"S01", "scjgj"}, {"S02", "scjgj"}, {"S03", "scjgj"},
    {"S04", "scjgj"}, {"W01", "wjw"},   {"W02", "wjw"},
};
static const struct draw_conflict ex_conflicts[]
    __attribute__((unused)) = {{"S02", "XH-0004"}, {"W01", "XH-0008"}};
static const char *ex_departments[] = {"wjw", "scjgj"};
#define EX_SECRET_HEX "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define EX_SECRET_SHA256 "630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd"
#define EX_COMMITMENT "3c0c962d73e61e60ecb4a3788b8c64db5116f079ba54a895c551c4270dcf1f05"

static const char ex_canonical[] __attribute__((unused)) =
    "algorithm\tyiye-draw/1\n"
    "plan\t示例-2027-001\n"
    "secret_sha256\t" EX_SECRET_SHA256 "\n"
    "inspectors_per_check\t3\n"
    "ratio\tA\t250\n"
    "ratio\tB\t200\n"
    "ratio\tC\t500\n"
    "ratio\tD\t1000\n"
    "department\tscjgj\n"
    "department\twjw\n"
    "entity\tXH-0001\tA\t餐饮服务\t徐家汇街道\n"
    "entity\tXH-0002\tB\t便利店\t天平路街道\n"
    "entity\tXH-0003\tB\t餐饮服务\t徐家汇街道\n"
    "entity\tXH-0004\tC\t药店\t湖南路街道\n"
    "entity\tXH-0005\tA\t便利店\t枫林路街道\n"
    "entity\tXH-0006\tB\t餐饮服务\t田林街道\n"
    "entity\tXH-0007\tC\t便利店\t康健新村街道\n"
    "entity\tXH-0008\tD\t餐饮服务\t漕河泾街道\n"
    "entity\tXH-0009\tB\t药店\t虹梅路街道\n"
    "entity\tXH-0010\tC\t餐饮服务\t斜土路街道\n"
    "inspector\tS01\tscjgj\n"
    "inspector\tS02\tscjgj\n"
    "inspector\tS03\tscjgj\n"
    "inspector\tS04\tscjgj\n"
    "inspector\tW01\twjw\n"
    "inspector\tW02\twjw\n"
    "conflict\tS02\tXH-0004\n"
    "conflict\tW01\tXH-0008\n";

static const unsigned char ex_secret[32] = {0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10,
					    11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
					    22, 23, 24, 25, 26, 27, 28, 29, 30, 31};

static inline struct draw_plan ex_plan(void)
{
	return (struct draw_plan){
	    .algorithm = DRAW_ALGORITHM,
	    .plan = "示例-2027-001",
	    .departments = ex_departments,
	    .ndepartments = 2,
	    .ratio = {250, 200, 500, 1000},
	    .per_check = 3,
	    .entities = ex_entities,
	    .nentities = 10,
	    .inspectors = ex_inspectors,
	    .ninspectors = 6,
	    .conflicts = ex_conflicts,
	    .nconflicts = 2,
	    .secret_sha256 = EX_SECRET_SHA256,
	};
}

struct buf {
	char *p;
	size_t len;
};

static inline void sink_buf(void *ctx, const char *bytes, size_t len)
{
	struct buf *b = ctx;

	b->p = realloc(b->p, b->len + len + 1);
	memcpy(b->p + b->len, bytes, len);
	b->len += len;
	b->p[b->len] = '\0';
}

static inline void commitment_hex(const struct draw_prepared *p, char hex[65])
{
	unsigned char c[32];

	draw_commitment(p, c);
	draw_hex(c, 32, hex);
}

static inline struct draw_prepared *prepare_ok(const struct draw_plan *pl)
{
	struct draw_prepared *p = NULL;
	struct yerr e = {0};

	if (draw_prepare(pl, &p, &e) < 0)
		print_error("draw_prepare: %s %s %s\n", e.code, e.field, e.message);
	assert_non_null(p);
	return p;
}

#endif
