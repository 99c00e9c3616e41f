/*
 * draw.c — the verifiable draw: input checks, canonical form and commitment,
 * the HMAC-SHA-256 stream, the selection. docs/api-supervision.md specifies
 * every byte; keep the two in step (the worked example there is checked by
 * tests/unit/test_draw.c).
 *
 * SHA-256 and HMAC come from OpenSSL's libcrypto (SHA-NI where the CPU has
 * it: the commitment hashes tens of megabytes for a city-wide plan).
 */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "core/draw.h"
#include "core/draw_internal.h"
#include "core/text.h"

static void commitment_compute(struct draw_prepared *p);

static const char grade_letter[DRAW_GRADES] = {'A', 'B', 'C', 'D'};

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (p == NULL)
		abort();
	return p;
}

/* The JSON path of an input: "list", "list[idx]" or "list[idx].member"
 * (idx SIZE_MAX: none). Built only when there is an error to report: a
 * million entities would otherwise cost four million snprintf calls. */
static void field_name(char *out, size_t n, const char *list, size_t idx, const char *member)
{
	if (idx == SIZE_MAX)
		snprintf(out, n, "%s", list);
	else if (member == NULL)
		snprintf(out, n, "%s[%zu]", list, idx);
	else
		snprintf(out, n, "%s[%zu].%s", list, idx, member);
}

/* Refuses text a line of the canonical form could not carry unambiguously:
 * it must be UTF-8, without control characters (TAB and LF separate the
 * fields and lines), at most max bytes and, unless empty_ok, not empty.
 * The field at fault is list[idx].member (see field_name). */
static int check_text_len(const char *s, size_t max, bool empty_ok, const char *list, size_t idx,
			  const char *member, size_t *len, struct yerr *err)
{
	const char *why = NULL;
	char field[96];
	size_t n = 0;

	if (s == NULL) {
		why = "缺少必填项";
		goto bad;
	}
	/* Length first (libc's strnlen reads safely in wide words), then
	 * control characters and ASCII-ness eight bytes at a time while no
	 * byte is below 0x20 or equals 0x7f (the classic "has a byte less
	 * than" bit trick), the rest byte by byte: this runs over every string
	 * of a million-row plan. */
	n = strnlen(s, max + 1);
	if (n == 0 && !empty_ok)
		why = "不能为空";
	else if (n > max)
		why = "过长";
	else {
		const uint64_t ones = UINT64_C(0x0101010101010101), highs = ones * 0x80;
		uint64_t acc = 0, x, y;
		size_t i = 0;

		for (; i + 8 <= n; i += 8) {
			memcpy(&x, s + i, 8);
			y = x ^ (ones * 0x7f);
			if (((x - ones * 0x20) & ~x & highs) || ((y - ones) & ~y & highs))
				break;
			acc |= x;
		}
		for (; i < n; i++) {
			unsigned char c = (unsigned char)s[i];

			if (c < 0x20 || c == 0x7f) {
				why = "含有控制字符";
				goto bad;
			}
			acc |= c;
		}
		if ((acc & highs) && text_chars(s, n) < 0)
			why = "不是有效的 UTF-8 文本";
	}
	if (why == NULL) {
		if (len)
			*len = n;
		return 0;
	}
bad:
	field_name(field, sizeof(field), list, idx, member);
	if (strcmp(why, "过长") == 0)
		return yerr_set(err, 400, "bad_record", field, "超过 %zu 字节", max);
	return yerr_set(err, 400, "bad_record", field, "%s", why);
}

static int check_text(const char *s, size_t max, bool empty_ok, const char *list, size_t idx,
		      const char *member, struct yerr *err)
{
	return check_text_len(s, max, empty_ok, list, idx, member, NULL, err);
}

/* Keys end at their first byte below 0x20: a NUL, or the TAB after an
 * entity id inside its canonical line (ids hold no control character). */
static size_t key_len(const char *s)
{
	size_t n = 0;

	while ((unsigned char)s[n] >= 0x20)
		n++;
	return n;
}

/* strcmp's order (unsigned bytes, a prefix first) on keys ended as above. */
static int key_strcmp(const char *a, const char *b)
{
	size_t i = 0;
	unsigned char x, y;

	for (;; i++) {
		x = (unsigned char)a[i];
		y = (unsigned char)b[i];
		if (x < 0x20 || y < 0x20 || x != y)
			break;
	}
	x = x < 0x20 ? 0 : x;
	y = y < 0x20 ? 0 : y;
	return (x > y) - (x < y);
}

/* Bytes d… d+7 of s, big-endian, zero-padded after its end (s has at
 * least d bytes before its end); *full tells whether all 8 were there. */
static uint64_t key_window(const char *s, size_t d, bool *full)
{
	uint64_t w = 0;
	int k = 0;

	for (; k < 8 && (unsigned char)s[d + k] >= 0x20; k++)
		w = w << 8 | (unsigned char)s[d + k];
	if (full)
		*full = k == 8;
	return k == 0 ? 0 : w << (8 * (8 - k));
}

static void key_load(struct draw_key *k)
{
	bool full;

	k->pre[0] = key_window(k->s, 0, &full);
	k->pre[1] = full ? key_window(k->s, 8, NULL) : 0;
}

/* Within a bucket the keys agree on every byte before the windows they
 * carry, so comparing windows then whole keys is strcmp's order. */
static int key_cmp(const void *a, const void *b)
{
	const struct draw_key *x = a, *y = b;

	if (x->pre[0] != y->pre[0])
		return x->pre[0] < y->pre[0] ? -1 : 1;
	if (x->pre[1] != y->pre[1])
		return x->pre[1] < y->pre[1] ? -1 : 1;
	return key_strcmp(x->s, y->s);
}

struct key_sorter {
	const struct draw_key *dup_a, *dup_b; /* the first duplicate met */
};

static void key_dup(struct key_sorter *ks, const struct draw_key *a, const struct draw_key *b)
{
	if (ks->dup_a == NULL) {
		ks->dup_a = a;
		ks->dup_b = b;
	}
}

/* Most-significant-byte radix sort of k[0..n) on the bytes from depth d on.
 * A million credit codes must sort fast for the freeze of a city-wide plan,
 * and the rows arrive in the database's order, so every touch of a string
 * is a cache miss. Each key therefore carries its first 16 bytes (pre[0],
 * pre[1]; past 16, pre[1] is refilled every 8 levels with prefetching) and
 * the passes run over the keys alone. Bytes every key of a bucket shares
 * (codes of one district share their first 8) are skipped with one pass.
 * Small buckets are insertion-sorted. Duplicates are found on the way (keys
 * ending at the same depth). Byte order is strcmp's (unsigned), as the
 * canonical form specifies. */
static void key_sort(struct key_sorter *ks, struct draw_key *k, size_t n, size_t d);

static void key_sort_level(struct key_sorter *ks, struct draw_key *k, size_t n, size_t d)
{
	size_t count[256] = {0}, pos[256];
	unsigned w = d < 8 ? 0 : 1, shift;
	uint64_t orx = 0;
	size_t j;

	if (n < 48) {
		for (size_t i = 1; i < n; i++) { /* insertion sort */
			struct draw_key t = k[i];
			size_t m = i;

			for (; m > 0 && key_cmp(&k[m - 1], &t) > 0; m--)
				k[m] = k[m - 1];
			k[m] = t;
		}
		for (size_t i = 1; i < n; i++)
			if (key_cmp(&k[i - 1], &k[i]) == 0)
				key_dup(ks, &k[i - 1], &k[i]);
		return;
	}
	/* The first byte of the window where the keys differ (8: none). */
	for (size_t i = 1; i < n; i++)
		orx |= k[i].pre[w] ^ k[0].pre[w];
	j = orx ? (size_t)__builtin_clzll(orx) / 8 : 8;
	/* Shared bytes: one that ends the strings makes them all equal. */
	for (size_t b = d % 8; b < j; b++)
		if (((k[0].pre[w] >> (56 - 8 * b)) & 0xff) == 0) {
			key_dup(ks, &k[0], &k[1]);
			return;
		}
	if (j == 8) {
		key_sort(ks, k, n, d - d % 8 + 8);
		return;
	}
	d = d - d % 8 + j;
	shift = 56 - 8 * (unsigned)j;
	for (size_t i = 0; i < n; i++)
		count[(k[i].pre[w] >> shift) & 0xff]++;
	/* In place (American flag sort): a scratch copy of a million keys
	 * would cost more in fresh pages than the moves it saves. */
	pos[0] = 0;
	for (int b = 1; b < 256; b++)
		pos[b] = pos[b - 1] + count[b - 1];
	{
		size_t next[256], stop[256];

		for (int b = 0; b < 256; b++) {
			next[b] = pos[b];
			stop[b] = pos[b] + count[b];
		}
		for (int b = 0; b < 256; b++)
			while (next[b] < stop[b]) {
				struct draw_key v = k[next[b]];
				unsigned c = (unsigned)(v.pre[w] >> shift) & 0xff;

				while (c != (unsigned)b) {
					struct draw_key t = k[next[c]];

					k[next[c]++] = v;
					v = t;
					c = (unsigned)(v.pre[w] >> shift) & 0xff;
				}
				k[next[b]++] = v;
			}
	}
	if (count[0] > 1)
		key_dup(ks, &k[0], &k[1]);
	for (size_t b = 1, start = count[0]; b < 256; start += count[b], b++)
		if (count[b] > 1)
			key_sort(ks, k + start, count[b], d + 1);
}

static void key_sort(struct key_sorter *ks, struct draw_key *k, size_t n, size_t d)
{
	bool deep = d >= 16 && d % 8 == 0;

	if (deep)
		for (size_t i = 0; i < n; i++) {
			if (i + 16 < n)
				__builtin_prefetch(k[i + 16].s + d);
			k[i].pre[1] = key_window(k[i].s, d, NULL);
		}
	key_sort_level(ks, k, n, d);
	/* Back to bytes 8… 15, which key_find compares. */
	if (deep)
		for (size_t i = 0; i < n; i++)
			k[i].pre[1] = key_window(k[i].s, 8, NULL);
}

/* Sorts keys[0..n) (s and i filled) and refuses a duplicate, naming the
 * later of the two rows. */
static int sort_unique(struct draw_key *keys, size_t n, const char *what, struct yerr *err)
{
	struct key_sorter ks = {NULL, NULL};
	int rc = 0;

	for (size_t i = 0; i < n; i++)
		key_load(&keys[i]);
	key_sort(&ks, keys, n, 0);
	if (ks.dup_a) {
		char field[64];

		field_name(field, sizeof(field), what,
			   ks.dup_a->i > ks.dup_b->i ? ks.dup_a->i : ks.dup_b->i, NULL);
		rc = yerr_set(err, 400, "duplicate", field, "重复的编号 “%.*s”",
			      (int)key_len(ks.dup_a->s), ks.dup_a->s);
	}
	return rc;
}

/* The rank of s among the sorted keys, or -1. Compares the cached windows
 * first: the keys' strings are scattered in memory. */
static long key_find(const struct draw_key *keys, size_t n, const char *s)
{
	struct draw_key want = {{0, 0}, s, 0, 0};
	size_t lo = 0, hi = n;

	key_load(&want);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = key_cmp(&keys[mid], &want);

		if (c == 0)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int pair_by_ins(const void *a, const void *b)
{
	const struct draw_pair *x = a, *y = b;

	if (x->ins != y->ins)
		return x->ins < y->ins ? -1 : 1;
	return (x->ent > y->ent) - (x->ent < y->ent);
}

static int pair_by_ent(const void *a, const void *b)
{
	const struct draw_pair *x = a, *y = b;

	if (x->ent != y->ent)
		return x->ent < y->ent ? -1 : 1;
	return (x->ins > y->ins) - (x->ins < y->ins);
}

static bool is_hex64(const char *s)
{
	if (s == NULL || strlen(s) != 64)
		return false;
	for (int i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* The scalar inputs: version, plan, secret hash, ratios, per_check, the
 * counts against their bounds. */
static int check_scalars(const struct draw_plan *pl, struct yerr *err)
{
	if (pl->algorithm == NULL || strcmp(pl->algorithm, DRAW_ALGORITHM) != 0)
		return yerr_set(err, 400, "unsupported_algorithm", "algorithm",
				"不支持的抽取算法版本 “%s”（本程序实现 %s）",
				pl->algorithm ? pl->algorithm : "", DRAW_ALGORITHM);
	if (check_text(pl->plan, DRAW_MAX_LABEL, false, "plan", SIZE_MAX, NULL, err) < 0)
		return -1;
	if (!is_hex64(pl->secret_sha256))
		return yerr_set(err, 400, "bad_record", "secret_sha256",
				"密钥哈希应为 64 位小写十六进制");
	for (int g = 0; g < DRAW_GRADES; g++)
		if (pl->ratio[g] > 1000) {
			char field[16];

			snprintf(field, sizeof(field), "ratios.%c", grade_letter[g]);
			return yerr_set(err, 400, "bad_record", field,
					"抽查比例以千分比表示，应为 0 至 1000");
		}
	if (pl->ndepartments < 1 || pl->ndepartments > DRAW_MAX_DEPARTMENTS)
		return yerr_set(err, 400, "bad_record", "departments", "须有 1 至 %d 个部门",
				DRAW_MAX_DEPARTMENTS);
	if (pl->per_check < 2 || pl->per_check > DRAW_MAX_PER_CHECK ||
	    pl->per_check < pl->ndepartments)
		return yerr_set(err, 400, "bad_record", "inspectors_per_check",
				"每次检查的检查人员应不少于 2 名且不少于部门数（%zu），至多 %d 名",
				pl->ndepartments, DRAW_MAX_PER_CHECK);
	if (pl->nentities > DRAW_MAX_ENTITIES)
		return yerr_set(err, 400, "too_large", "entities", "检查对象超过 %d 个",
				DRAW_MAX_ENTITIES);
	if (pl->ninspectors > DRAW_MAX_INSPECTORS)
		return yerr_set(err, 400, "too_large", "inspectors", "检查人员超过 %d 名",
				DRAW_MAX_INSPECTORS);
	if (pl->nconflicts > DRAW_MAX_CONFLICTS)
		return yerr_set(err, 400, "too_large", "conflicts", "利害冲突声明超过 %d 条",
				DRAW_MAX_CONFLICTS);
	return 0;
}

/* Departments and inspectors: text, uniqueness, each inspector in one of the
 * plan's departments; fills p->dep, p->ins, p->ins_dep, p->dep_ins. */
static int prepare_people(struct draw_prepared *p, struct draw_key **inskeys, struct yerr *err)
{
	const struct draw_plan *pl = p->plan;
	struct draw_key *dk = xcalloc(pl->ndepartments, sizeof(*dk));
	struct draw_key *ik = xcalloc(pl->ninspectors, sizeof(*ik));
	char field[64];
	int rc = -1;

	*inskeys = ik;
	for (size_t i = 0; i < pl->ndepartments; i++) {
		if (check_text(pl->departments[i], DRAW_MAX_ID, false, "departments", i, NULL,
			       err) < 0)
			goto out;
		dk[i] = (struct draw_key){{0, 0}, pl->departments[i], (uint32_t)i, 0};
	}
	if (sort_unique(dk, pl->ndepartments, "departments", err) < 0)
		goto out;
	for (size_t i = 0; i < pl->ninspectors; i++) {
		if (check_text(pl->inspectors[i].id, DRAW_MAX_ID, false, "inspectors", i, "id",
			       err) < 0)
			goto out;
		if (check_text(pl->inspectors[i].department, DRAW_MAX_ID, false, "inspectors", i,
			       "department", err) < 0)
			goto out;
		ik[i] = (struct draw_key){{0, 0}, pl->inspectors[i].id, (uint32_t)i, 0};
	}
	if (sort_unique(ik, pl->ninspectors, "inspectors", err) < 0)
		goto out;
	p->dep = xcalloc(pl->ndepartments, sizeof(size_t));
	for (size_t r = 0; r < pl->ndepartments; r++)
		p->dep[r] = dk[r].i;
	p->ins = xcalloc(pl->ninspectors, sizeof(size_t));
	p->ins_dep = xcalloc(pl->ninspectors, sizeof(unsigned));
	p->dep_off = xcalloc(pl->ndepartments + 1, sizeof(size_t));
	p->dep_ins = xcalloc(pl->ninspectors, sizeof(size_t));
	for (size_t r = 0; r < pl->ninspectors; r++) {
		long d = key_find(dk, pl->ndepartments, pl->inspectors[ik[r].i].department);

		if (d < 0) {
			field_name(field, sizeof(field), "inspectors", ik[r].i, "department");
			yerr_set(err, 400, "unknown_department", field,
				 "检查人员 %s 所属部门 “%s” 不在本计划的部门中", ik[r].s,
				 pl->inspectors[ik[r].i].department);
			goto out;
		}
		p->ins[r] = ik[r].i;
		p->ins_dep[r] = (unsigned)d;
		p->dep_off[d + 1]++;
	}
	for (size_t d = 0; d < pl->ndepartments; d++)
		p->dep_off[d + 1] += p->dep_off[d];
	{
		size_t *fill = xcalloc(pl->ndepartments, sizeof(size_t));

		for (size_t r = 0; r < pl->ninspectors; r++)
			p->dep_ins[p->dep_off[p->ins_dep[r]] + fill[p->ins_dep[r]]++] = r;
		free(fill);
	}
	rc = 0;
out:
	free(dk);
	return rc;
}

/* Entities: text, grade, uniqueness; fills p->eline (sorted) and the
 * grade groups. Each entity's canonical line is written here, in row order
 * (sequential reads of the rows), and sorted as a key into that line: the
 * canonical form is then one copy per line in id order, instead of chasing
 * a row and three strings per line (see key_sort). */
static int prepare_entities(struct draw_prepared *p, struct yerr *err)
{
	const struct draw_plan *pl = p->plan;
	struct draw_key *ek;
	size_t fill[DRAW_GRADES] = {0}, total = 0;
	char field[64], *w;

	/* Pass 1: check, and keep the lengths in the keys meanwhile. */
	p->eline = ek = xcalloc(pl->nentities, sizeof(*ek));
	for (size_t i = 0; i < pl->nentities; i++) {
		const struct draw_entity *e = &pl->entities[i];
		size_t a, b, c;

		if (check_text_len(e->id, DRAW_MAX_ID, false, "entities", i, "id", &a, err) < 0)
			return -1;
		if ((unsigned)e->grade >= DRAW_GRADES) {
			field_name(field, sizeof(field), "entities", i, "grade");
			return yerr_set(err, 400, "bad_record", field, "信用等级应为 A、B、C 或 D");
		}
		if (check_text_len(e->industry, DRAW_MAX_LABEL, true, "entities", i, "industry", &b,
				   err) < 0 ||
		    check_text_len(e->street, DRAW_MAX_LABEL, true, "entities", i, "street", &c,
				   err) < 0)
			return -1;
		ek[i].pre[0] = a;
		ek[i].pre[1] = (uint64_t)b << 32 | c;
		total += sizeof("entity\t\tA\t\t\n") - 1 + a + b + c;
	}
	/* Pass 2: the lines. */
	p->arena = xcalloc(total ? total : 1, 1);
	w = p->arena;
	for (size_t i = 0; i < pl->nentities; i++) {
		const struct draw_entity *e = &pl->entities[i];
		size_t a = ek[i].pre[0], b = ek[i].pre[1] >> 32, c = ek[i].pre[1] & 0xffffffff;
		char *line = w;

		memcpy(w, "entity\t", 7);
		memcpy(w + 7, e->id, a);
		w += 7 + a;
		*w++ = '\t';
		*w++ = grade_letter[e->grade];
		*w++ = '\t';
		memcpy(w, e->industry, b);
		w += b;
		*w++ = '\t';
		memcpy(w, e->street, c);
		w += c;
		*w++ = '\n';
		ek[i] = (struct draw_key){{0, 0}, line + 7, (uint32_t)i, (uint32_t)(w - line)};
	}
	if (sort_unique(ek, pl->nentities, "entities", err) < 0)
		return -1;
	p->grade = xcalloc(pl->nentities, sizeof(uint32_t));
	for (size_t r = 0; r < pl->nentities; r++) {
		p->grade_off[pl->entities[ek[r].i].grade + 1]++;
	}
	for (int g = 0; g < DRAW_GRADES; g++)
		p->grade_off[g + 1] += p->grade_off[g];
	for (size_t r = 0; r < pl->nentities; r++) {
		int g = pl->entities[p->eline[r].i].grade;

		p->grade[p->grade_off[g] + fill[g]++] = (uint32_t)r;
	}
	return 0;
}

/* Conflicts: both ends known, no duplicate; sorted both ways. */
static int prepare_conflicts(struct draw_prepared *p, const struct draw_key *ik,
			     const struct draw_key *ek, struct yerr *err)
{
	const struct draw_plan *pl = p->plan;
	char field[64];

	p->nconf = pl->nconflicts;
	p->conf_ins = xcalloc(pl->nconflicts, sizeof(struct draw_pair));
	p->conf_ent = xcalloc(pl->nconflicts, sizeof(struct draw_pair));
	for (size_t i = 0; i < pl->nconflicts; i++) {
		const struct draw_conflict *c = &pl->conflicts[i];
		long a, b;

		if (check_text(c->inspector, DRAW_MAX_ID, false, "conflicts", i, "inspector", err) <
		    0)
			return -1;
		if ((a = key_find(ik, pl->ninspectors, c->inspector)) < 0) {
			field_name(field, sizeof(field), "conflicts", i, "inspector");
			return yerr_set(err, 400, "unknown_inspector", field,
					"利害冲突声明中的检查人员 “%s” 不在检查人员名录中",
					c->inspector);
		}
		if (check_text(c->entity, DRAW_MAX_ID, false, "conflicts", i, "entity", err) < 0)
			return -1;
		if ((b = key_find(ek, pl->nentities, c->entity)) < 0) {
			field_name(field, sizeof(field), "conflicts", i, "entity");
			return yerr_set(err, 400, "unknown_entity", field,
					"利害冲突声明中的检查对象 “%s” 不在检查对象名录中",
					c->entity);
		}
		p->conf_ins[i] = (struct draw_pair){(size_t)a, (size_t)b};
	}
	qsort(p->conf_ins, p->nconf, sizeof(struct draw_pair), pair_by_ins);
	for (size_t i = 1; i < p->nconf; i++)
		if (pair_by_ins(&p->conf_ins[i - 1], &p->conf_ins[i]) == 0)
			return yerr_set(err, 400, "duplicate", "conflicts",
					"重复的利害冲突声明（%s 与 %s）",
					pl->inspectors[p->ins[p->conf_ins[i].ins]].id,
					pl->entities[p->eline[p->conf_ins[i].ent].i].id);
	memcpy(p->conf_ent, p->conf_ins, p->nconf * sizeof(struct draw_pair));
	qsort(p->conf_ent, p->nconf, sizeof(struct draw_pair), pair_by_ent);
	return 0;
}

int draw_prepare(const struct draw_plan *plan, struct draw_prepared **out, struct yerr *err)
{
	struct draw_prepared *p = xcalloc(1, sizeof(*p));
	struct draw_key *ik = NULL;
	int rc;

	*out = NULL;
	p->plan = plan;
	rc = check_scalars(plan, err);
	if (rc == 0)
		rc = prepare_people(p, &ik, err);
	if (rc == 0)
		rc = prepare_entities(p, err);
	if (rc == 0)
		rc = prepare_conflicts(p, ik, p->eline, err);
	free(ik);
	if (rc < 0) {
		draw_prepared_free(p);
		return -1;
	}
	/* Every use of a prepared plan needs the commitment (freeze publishes
	 * it, the draw seeds from it, verify compares it): hash once, here. */
	commitment_compute(p);
	*out = p;
	return 0;
}

void draw_prepared_free(struct draw_prepared *p)
{
	if (p == NULL)
		return;
	free(p->eline);
	free(p->arena);
	free(p->ins);
	free(p->dep);
	free(p->ins_dep);
	free(p->grade);
	free(p->dep_ins);
	free(p->dep_off);
	free(p->conf_ins);
	free(p->conf_ent);
	free(p);
}

/* ---- canonical form and commitment ---- */

/* Lines are built in a buffer and handed over in 64 KiB pieces: a million
 * entities as a million small hash updates would cost more than hashing. */
struct draw_out {
	char buf[65536];
	size_t len;
	void (*sink)(void *ctx, const char *bytes, size_t len);
	void *ctx;
};

static void out_flush(struct draw_out *o)
{
	if (o->len)
		o->sink(o->ctx, o->buf, o->len);
	o->len = 0;
}

static void out_put(struct draw_out *o, const char *s, size_t n)
{
	if (o->len + n > sizeof(o->buf))
		out_flush(o);
	if (n > sizeof(o->buf)) {
		o->sink(o->ctx, s, n);
		return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

/* One line: the fields joined by TAB, then LF (none contains either). */
static void out_line(struct draw_out *o, const char *const *f, int n)
{
	for (int i = 0; i < n; i++) {
		if (i)
			out_put(o, "\t", 1);
		out_put(o, f[i], strlen(f[i]));
	}
	out_put(o, "\n", 1);
}

void draw_canonical(const struct draw_prepared *p,
		    void (*sink)(void *ctx, const char *bytes, size_t len), void *ctx)
{
	const struct draw_plan *pl = p->plan;
	struct draw_out *o = xcalloc(1, sizeof(*o));
	char num[24], letter[2] = {0};

	o->sink = sink;
	o->ctx = ctx;
	out_line(o, (const char *[]){"algorithm", pl->algorithm}, 2);
	out_line(o, (const char *[]){"plan", pl->plan}, 2);
	out_line(o, (const char *[]){"secret_sha256", pl->secret_sha256}, 2);
	snprintf(num, sizeof(num), "%u", pl->per_check);
	out_line(o, (const char *[]){"inspectors_per_check", num}, 2);
	for (int g = 0; g < DRAW_GRADES; g++) {
		letter[0] = grade_letter[g];
		snprintf(num, sizeof(num), "%u", pl->ratio[g]);
		out_line(o, (const char *[]){"ratio", letter, num}, 3);
	}
	for (size_t r = 0; r < pl->ndepartments; r++)
		out_line(o, (const char *[]){"department", pl->departments[p->dep[r]]}, 2);
	for (size_t r = 0; r < pl->nentities; r++) {
		/* Lines are visited in id order, far from their row order. */
		if (r + 16 < pl->nentities)
			__builtin_prefetch(p->eline[r + 16].s);
		out_put(o, p->eline[r].s - 7, p->eline[r].len);
	}
	for (size_t r = 0; r < pl->ninspectors; r++) {
		const struct draw_inspector *in = &pl->inspectors[p->ins[r]];

		out_line(o, (const char *[]){"inspector", in->id, in->department}, 3);
	}
	for (size_t i = 0; i < p->nconf; i++)
		out_line(o,
			 (const char *[]){"conflict", pl->inspectors[p->ins[p->conf_ins[i].ins]].id,
					  pl->entities[p->eline[p->conf_ins[i].ent].i].id},
			 3);
	out_flush(o);
	free(o);
}

static void sink_digest(void *ctx, const char *bytes, size_t len)
{
	if (EVP_DigestUpdate(ctx, bytes, len) != 1)
		abort();
}

static void commitment_compute(struct draw_prepared *p)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned int n = 0;

	if (md == NULL || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1)
		abort();
	draw_canonical(p, sink_digest, md);
	if (EVP_DigestFinal_ex(md, p->commitment, &n) != 1 || n != 32)
		abort();
	EVP_MD_CTX_free(md);
}

void draw_commitment(const struct draw_prepared *p, unsigned char out[32])
{
	memcpy(out, p->commitment, 32);
}

void draw_hex(const unsigned char *bytes, size_t len, char *hex)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		hex[2 * i] = digits[bytes[i] >> 4];
		hex[2 * i + 1] = digits[bytes[i] & 15];
	}
	hex[2 * len] = '\0';
}

void draw_grade_sizes(const struct draw_prepared *p, size_t out[DRAW_GRADES])
{
	for (int g = 0; g < DRAW_GRADES; g++)
		out[g] = p->grade_off[g + 1] - p->grade_off[g];
}

void draw_counts(const struct draw_prepared *p, size_t out[DRAW_GRADES])
{
	draw_grade_sizes(p, out);
	/* count <= 10^7 and ratio <= 1000: the product fits easily. */
	for (int g = 0; g < DRAW_GRADES; g++)
		out[g] = (size_t)(((uint64_t)out[g] * p->plan->ratio[g] + 500) / 1000);
}

/* ---- the random stream ---- */

struct draw_stream {
	EVP_MAC *mac;
	EVP_MAC_CTX *ctx;
	uint64_t block;        /* the next block's counter */
	unsigned char buf[32]; /* the current block */
	unsigned used;         /* words of buf handed out (4: refill) */
};

static void mac_init(struct draw_stream *s, const unsigned char *key, size_t len)
{
	OSSL_PARAM params[] = {
	    OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0),
	    OSSL_PARAM_construct_end()};

	if (EVP_MAC_init(s->ctx, key, len, params) != 1)
		abort();
}

static void mac_final(struct draw_stream *s, unsigned char out[32])
{
	size_t n = 0;

	if (EVP_MAC_final(s->ctx, out, &n, 32) != 1 || n != 32)
		abort();
}

static uint64_t be64(const unsigned char *b)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | b[i];
	return v;
}

struct draw_stream *draw_stream_new(const unsigned char *secret, size_t secret_len,
				    const unsigned char commitment[32], const char *public_value)
{
	struct draw_stream *s = xcalloc(1, sizeof(*s));
	unsigned char seed[32];

	s->mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	s->ctx = s->mac ? EVP_MAC_CTX_new(s->mac) : NULL;
	if (s->ctx == NULL)
		abort();
	mac_init(s, secret, secret_len);
	if (EVP_MAC_update(s->ctx, commitment, 32) != 1 ||
	    EVP_MAC_update(s->ctx, (const unsigned char *)public_value, strlen(public_value)) != 1)
		abort();
	mac_final(s, seed);
	/* From here on the context is keyed with the seed; each block re-inits
	 * it with that key (EVP_MAC_init with a NULL key keeps the key). */
	mac_init(s, seed, sizeof(seed));
	s->used = 4;
	return s;
}

void draw_stream_free(struct draw_stream *s)
{
	if (s == NULL)
		return;
	EVP_MAC_CTX_free(s->ctx);
	EVP_MAC_free(s->mac);
	free(s);
}

uint64_t draw_stream_next(struct draw_stream *s)
{
	if (s->used == 4) {
		unsigned char ctr[8];

		for (int i = 0; i < 8; i++)
			ctr[i] = (unsigned char)(s->block >> (56 - 8 * i));
		if (s->block > 0 && EVP_MAC_init(s->ctx, NULL, 0, NULL) != 1)
			abort();
		if (EVP_MAC_update(s->ctx, ctr, sizeof(ctr)) != 1)
			abort();
		mac_final(s, s->buf);
		s->block++;
		s->used = 0;
	}
	return be64(s->buf + 8 * s->used++);
}

uint64_t draw_stream_below(struct draw_stream *s, uint64_t n)
{
	/* 2^64 mod n, computed in 64 bits: words below it are the surplus
	 * that would make x mod n favour small values. */
	uint64_t reject = (0 - n) % n, x;

	do
		x = draw_stream_next(s);
	while (x < reject);
	return x % n;
}

/* ---- the selection ---- */

static void sha256(const unsigned char *in, size_t len, unsigned char out[32])
{
	unsigned int n = 0;

	if (EVP_Digest(in, len, out, &n, EVP_sha256(), NULL) != 1 || n != 32)
		abort();
}

/* Entities: per grade A to D, a partial Fisher–Yates over the grade's
 * entities in id order. */
static void select_entities(const struct draw_prepared *p, struct draw_stream *s,
			    struct draw_selection *sel)
{
	uint32_t *work = xcalloc(p->plan->nentities, sizeof(uint32_t));
	size_t k = 0;

	memcpy(work, p->grade, p->plan->nentities * sizeof(uint32_t));
	for (int g = 0; g < DRAW_GRADES; g++) {
		uint32_t *list = work + p->grade_off[g];
		size_t n = p->grade_off[g + 1] - p->grade_off[g];

		for (size_t i = 0; i < sel->count[g]; i++) {
			size_t j = i + (size_t)draw_stream_below(s, n - i);
			uint32_t t = list[i];

			list[i] = list[j];
			list[j] = t;
			sel->entity[k++] = list[i]; /* a rank for now */
		}
	}
	free(work);
}

int draw_run(const struct draw_prepared *p, const unsigned char *secret, size_t secret_len,
	     const char *public_value, struct draw_selection *sel, struct yerr *err)
{
	unsigned char h[32], commitment[32];
	char hex[65];
	struct draw_stream *s;
	int rc;

	memset(sel, 0, sizeof(*sel));
	if (secret_len < DRAW_SECRET_MIN || secret_len > DRAW_SECRET_MAX)
		return yerr_set(err, 400, "bad_record", "secret", "密钥应为 %d 至 %d 字节",
				DRAW_SECRET_MIN, DRAW_SECRET_MAX);
	if (check_text(public_value, DRAW_MAX_PUBLIC, false, "public_value", SIZE_MAX, NULL, err) <
	    0)
		return -1;
	sha256(secret, secret_len, h);
	draw_hex(h, sizeof(h), hex);
	if (strcmp(hex, p->plan->secret_sha256) != 0)
		return yerr_set(err, 409, "secret_mismatch", "secret",
				"公布的密钥与冻结时承诺的密钥哈希不符");
	memcpy(commitment, p->commitment, sizeof(commitment));
	draw_counts(p, sel->count);
	sel->per_check = p->plan->per_check;
	for (int g = 0; g < DRAW_GRADES; g++)
		sel->n += sel->count[g];
	sel->entity = xcalloc(sel->n, sizeof(size_t));
	sel->inspector = xcalloc(sel->n * sel->per_check, sizeof(size_t));
	s = draw_stream_new(secret, secret_len, commitment, public_value);
	select_entities(p, s, sel);
	rc = draw_assign(p, s, sel, err);
	draw_stream_free(s);
	if (rc < 0) {
		draw_selection_free(sel);
		return -1;
	}
	for (size_t c = 0; c < sel->n; c++)
		sel->entity[c] = p->eline[sel->entity[c]].i; /* rank → plan index */
	return 0;
}

void draw_selection_free(struct draw_selection *sel)
{
	free(sel->entity);
	free(sel->inspector);
	memset(sel, 0, sizeof(*sel));
}
