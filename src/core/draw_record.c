/*
 * draw_record.c — the public record of a draw (JSON, docs/api-supervision.md
 * "The draw record"): writing it, reading it back from untrusted text, and
 * verifying it by re-running the draw.
 *
 * A record is read strictly: every member typed, unknown members refused,
 * every list bounded before it is walked, so a hostile or damaged file gets
 * a 400 bad_record naming its JSON path and never more than a bounded
 * amount of work (tests/fuzz/fuzz_draw_record.c).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/draw.h"
#include "core/draw_internal.h"

static const char *const grade_name[DRAW_GRADES] = {"A", "B", "C", "D"};

static json_t *jstr(const char *s)
{
	json_t *v = json_string(s);

	if (v == NULL)
		abort(); /* out of memory: the strings were checked UTF-8 */
	return v;
}

json_t *draw_record_json(const struct draw_prepared *p, const unsigned char *secret,
			 size_t secret_len, const char *public_value, const char *public_source,
			 const struct draw_selection *sel)
{
	const struct draw_plan *pl = p->plan;
	json_t *rec = json_object(), *a, *ratios = json_object();
	char hex[2 * DRAW_SECRET_MAX + 1];

	json_object_set_new(rec, "format", jstr(DRAW_RECORD_FORMAT));
	json_object_set_new(rec, "algorithm", jstr(pl->algorithm));
	json_object_set_new(rec, "plan", jstr(pl->plan));
	a = json_array();
	for (size_t r = 0; r < pl->ndepartments; r++)
		json_array_append_new(a, jstr(pl->departments[p->dep[r]]));
	json_object_set_new(rec, "departments", a);
	json_object_set_new(rec, "inspectors_per_check", json_integer(pl->per_check));
	for (int g = 0; g < DRAW_GRADES; g++)
		json_object_set_new(ratios, grade_name[g], json_integer(pl->ratio[g]));
	json_object_set_new(rec, "ratios", ratios);
	a = json_array();
	for (size_t r = 0; r < pl->nentities; r++) {
		const struct draw_entity *e = &pl->entities[p->eline[r].i];

		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s}", "id", e->id, "grade",
						   grade_name[e->grade], "industry", e->industry,
						   "street", e->street));
	}
	json_object_set_new(rec, "entities", a);
	a = json_array();
	for (size_t r = 0; r < pl->ninspectors; r++) {
		const struct draw_inspector *in = &pl->inspectors[p->ins[r]];

		json_array_append_new(
		    a, json_pack("{s:s, s:s}", "id", in->id, "department", in->department));
	}
	json_object_set_new(rec, "inspectors", a);
	a = json_array();
	for (size_t i = 0; i < p->nconf; i++)
		json_array_append_new(
		    a, json_pack("{s:s, s:s}", "inspector",
				 pl->inspectors[p->ins[p->conf_ins[i].ins]].id, "entity",
				 pl->entities[p->eline[p->conf_ins[i].ent].i].id));
	json_object_set_new(rec, "conflicts", a);
	json_object_set_new(rec, "secret_sha256", jstr(pl->secret_sha256));
	draw_hex(p->commitment, 32, hex);
	json_object_set_new(rec, "commitment", jstr(hex));
	draw_hex(secret, secret_len, hex);
	json_object_set_new(rec, "secret", jstr(hex));
	json_object_set_new(rec, "public_value", jstr(public_value));
	json_object_set_new(rec, "public_source", jstr(public_source ? public_source : ""));
	a = json_array();
	for (size_t c = 0; c < sel->n; c++) {
		json_t *ins = json_array();

		for (unsigned k = 0; k < sel->per_check; k++)
			json_array_append_new(
			    ins, jstr(pl->inspectors[sel->inspector[c * sel->per_check + k]].id));
		json_array_append_new(a, json_pack("{s:s, s:s, s:o}", "entity",
						   pl->entities[sel->entity[c]].id, "grade",
						   grade_name[pl->entities[sel->entity[c]].grade],
						   "inspectors", ins));
	}
	json_object_set_new(rec, "selection", a);
	return rec;
}

/* ---- reading ---- */

static int bad(struct yerr *err, const char *field, const char *what)
{
	return yerr_set(err, 400, "bad_record", field, "抽取记录格式错误：%s", what);
}

/* Refuses members of obj outside allowed (NULL-terminated). */
static int only_members(json_t *obj, const char *const *allowed, const char *path, struct yerr *err)
{
	const char *key;
	json_t *v;

	json_object_foreach (obj, key, v) {
		bool ok = false;
		char field[128];

		(void)v;
		for (size_t i = 0; allowed[i] && !ok; i++)
			ok = strcmp(key, allowed[i]) == 0;
		if (!ok) {
			snprintf(field, sizeof(field), "%s%s%.64s", path, path[0] ? "." : "", key);
			return bad(err, field, "不认识的成员");
		}
	}
	return 0;
}

/* The string member name of obj (optional: "" when absent). */
static int get_str(json_t *obj, const char *name, bool optional, const char *path, const char **out,
		   struct yerr *err)
{
	json_t *v = json_object_get(obj, name);
	char field[128];

	snprintf(field, sizeof(field), "%s%s%s", path, path[0] ? "." : "", name);
	if (v == NULL && optional) {
		*out = "";
		return 0;
	}
	if (v == NULL)
		return bad(err, field, "缺少必填项");
	if (!json_is_string(v))
		return bad(err, field, "应为字符串");
	if (strlen(json_string_value(v)) != json_string_length(v))
		return bad(err, field, "含有 NUL 字符");
	*out = json_string_value(v);
	return 0;
}

/* A whole number in [0, max]. */
static int get_uint(json_t *obj, const char *name, unsigned max, const char *path, unsigned *out,
		    struct yerr *err)
{
	json_t *v = json_object_get(obj, name);
	char field[128];

	snprintf(field, sizeof(field), "%s%s%s", path, path[0] ? "." : "", name);
	if (v == NULL)
		return bad(err, field, "缺少必填项");
	if (!json_is_integer(v))
		return bad(err, field, "应为整数");
	if (json_integer_value(v) < 0 || json_integer_value(v) > (json_int_t)max)
		return yerr_set(err, 400, "bad_record", field, "抽取记录格式错误：应为 0 至 %u",
				max);
	*out = (unsigned)json_integer_value(v);
	return 0;
}

/* An array member of at most max items. */
static int get_array(json_t *obj, const char *name, size_t max, json_t **out, struct yerr *err)
{
	json_t *v = json_object_get(obj, name);

	if (v == NULL)
		return bad(err, name, "缺少必填项");
	if (!json_is_array(v))
		return bad(err, name, "应为数组");
	if (json_array_size(v) > max)
		return yerr_set(err, 400, "too_large", name, "抽取记录中 %s 超过 %zu 项", name,
				max);
	*out = v;
	return 0;
}

static int item_object(json_t *v, const char *path, const char *const *allowed, struct yerr *err)
{
	if (!json_is_object(v))
		return bad(err, path, "应为对象");
	return only_members(v, allowed, path, err);
}

static int parse_entities(struct draw_record *rec, json_t *arr, struct yerr *err)
{
	static const char *const allowed[] = {"id", "grade", "industry", "street", NULL};
	size_t n = json_array_size(arr);

	rec->entities = calloc(n ? n : 1, sizeof(*rec->entities));
	if (rec->entities == NULL)
		abort();
	for (size_t i = 0; i < n; i++) {
		json_t *v = json_array_get(arr, i);
		struct draw_entity *e = &rec->entities[i];
		const char *grade;
		char path[48];

		snprintf(path, sizeof(path), "entities[%zu]", i);
		if (item_object(v, path, allowed, err) < 0 ||
		    get_str(v, "id", false, path, &e->id, err) < 0 ||
		    get_str(v, "grade", false, path, &grade, err) < 0 ||
		    get_str(v, "industry", true, path, &e->industry, err) < 0 ||
		    get_str(v, "street", true, path, &e->street, err) < 0)
			return -1;
		if (grade[0] < 'A' || grade[0] > 'D' || grade[1] != '\0') {
			strcat(path, ".grade");
			return bad(err, path, "信用等级应为 A、B、C 或 D");
		}
		e->grade = (enum draw_grade)(grade[0] - 'A');
	}
	rec->plan.entities = rec->entities;
	rec->plan.nentities = n;
	return 0;
}

static int parse_people(struct draw_record *rec, json_t *deps, json_t *ins, json_t *conf,
			struct yerr *err)
{
	static const char *const ins_allowed[] = {"id", "department", NULL};
	static const char *const conf_allowed[] = {"inspector", "entity", NULL};
	size_t nd = json_array_size(deps), ni = json_array_size(ins), nc = json_array_size(conf);
	char path[48];

	rec->departments = calloc(nd ? nd : 1, sizeof(*rec->departments));
	rec->inspectors = calloc(ni ? ni : 1, sizeof(*rec->inspectors));
	rec->conflicts = calloc(nc ? nc : 1, sizeof(*rec->conflicts));
	if (!rec->departments || !rec->inspectors || !rec->conflicts)
		abort();
	for (size_t i = 0; i < nd; i++) {
		json_t *v = json_array_get(deps, i);

		snprintf(path, sizeof(path), "departments[%zu]", i);
		if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))
			return bad(err, path, "应为字符串");
		rec->departments[i] = json_string_value(v);
	}
	for (size_t i = 0; i < ni; i++) {
		json_t *v = json_array_get(ins, i);

		snprintf(path, sizeof(path), "inspectors[%zu]", i);
		if (item_object(v, path, ins_allowed, err) < 0 ||
		    get_str(v, "id", false, path, &rec->inspectors[i].id, err) < 0 ||
		    get_str(v, "department", false, path, &rec->inspectors[i].department, err) < 0)
			return -1;
	}
	for (size_t i = 0; i < nc; i++) {
		json_t *v = json_array_get(conf, i);

		snprintf(path, sizeof(path), "conflicts[%zu]", i);
		if (item_object(v, path, conf_allowed, err) < 0 ||
		    get_str(v, "inspector", false, path, &rec->conflicts[i].inspector, err) < 0 ||
		    get_str(v, "entity", false, path, &rec->conflicts[i].entity, err) < 0)
			return -1;
	}
	rec->plan.departments = rec->departments;
	rec->plan.ndepartments = nd;
	rec->plan.inspectors = rec->inspectors;
	rec->plan.ninspectors = ni;
	rec->plan.conflicts = rec->conflicts;
	rec->plan.nconflicts = nc;
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The published selection's shape (its content is judged by draw_verify). */
static int parse_selection(json_t *arr, struct yerr *err)
{
	static const char *const allowed[] = {"entity", "grade", "inspectors", NULL};

	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *v = json_array_get(arr, i), *ins;
		const char *s;
		char path[96];

		snprintf(path, sizeof(path), "selection[%zu]", i);
		if (item_object(v, path, allowed, err) < 0 ||
		    get_str(v, "entity", false, path, &s, err) < 0 ||
		    get_str(v, "grade", true, path, &s, err) < 0)
			return -1;
		ins = json_object_get(v, "inspectors");
		strcat(path, ".inspectors");
		if (!json_is_array(ins) || json_array_size(ins) > DRAW_MAX_PER_CHECK)
			return bad(err, path, "应为至多 16 个检查人员编号的数组");
		for (size_t k = 0; k < json_array_size(ins); k++)
			if (!json_is_string(json_array_get(ins, k))) {
				snprintf(path, sizeof(path), "selection[%zu].inspectors[%zu]", i,
					 k);
				return bad(err, path, "应为字符串");
			}
	}
	return 0;
}

int draw_record_parse(const char *text, size_t len, struct draw_record *rec, struct yerr *err)
{
	static const char *const allowed[] = {
	    "format",     "algorithm", "plan",         "departments",   "inspectors_per_check",
	    "ratios",     "entities",  "inspectors",   "conflicts",     "secret_sha256",
	    "commitment", "secret",    "public_value", "public_source", "selection",
	    NULL};
	static const char *const ratio_allowed[] = {"A", "B", "C", "D", NULL};
	json_error_t jerr;
	json_t *deps, *ents, *ins, *conf, *ratios;
	const char *format, *secret;
	size_t slen;

	memset(rec, 0, sizeof(*rec));
	rec->doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (rec->doc == NULL)
		return yerr_set(err, 400, "bad_record", "",
				"抽取记录不是有效的 JSON（第 %d 行第 %d 列：%.80s）", jerr.line,
				jerr.column, jerr.text);
	if (!json_is_object(rec->doc))
		return bad(err, "", "应为 JSON 对象");
	if (only_members(rec->doc, allowed, "", err) < 0 ||
	    get_str(rec->doc, "format", false, "", &format, err) < 0)
		return -1;
	if (strcmp(format, DRAW_RECORD_FORMAT) != 0)
		return yerr_set(err, 400, "bad_record", "format",
				"不认识的抽取记录格式 “%.64s”（应为 %s）", format,
				DRAW_RECORD_FORMAT);
	if (get_str(rec->doc, "algorithm", false, "", &rec->plan.algorithm, err) < 0 ||
	    get_str(rec->doc, "plan", false, "", &rec->plan.plan, err) < 0 ||
	    get_uint(rec->doc, "inspectors_per_check", DRAW_MAX_PER_CHECK, "", &rec->plan.per_check,
		     err) < 0 ||
	    get_str(rec->doc, "secret_sha256", false, "", &rec->plan.secret_sha256, err) < 0 ||
	    get_str(rec->doc, "commitment", false, "", &rec->commitment, err) < 0 ||
	    get_str(rec->doc, "secret", false, "", &secret, err) < 0 ||
	    get_str(rec->doc, "public_value", false, "", &rec->public_value, err) < 0 ||
	    get_str(rec->doc, "public_source", false, "", &rec->public_source, err) < 0)
		return -1;
	ratios = json_object_get(rec->doc, "ratios");
	if (!json_is_object(ratios))
		return bad(err, "ratios", "应为对象 {\"A\",\"B\",\"C\",\"D\"}");
	if (only_members(ratios, ratio_allowed, "ratios", err) < 0)
		return -1;
	for (int g = 0; g < DRAW_GRADES; g++)
		if (get_uint(ratios, grade_name[g], 1000, "ratios", &rec->plan.ratio[g], err) < 0)
			return -1;
	slen = strlen(secret);
	if (slen % 2 || slen < 2 * DRAW_SECRET_MIN || slen > 2 * DRAW_SECRET_MAX)
		return yerr_set(err, 400, "bad_record", "secret",
				"抽取记录格式错误：密钥应为 %d 至 %d 位小写十六进制",
				2 * DRAW_SECRET_MIN, 2 * DRAW_SECRET_MAX);
	for (size_t i = 0; i < slen; i += 2) {
		int hi = hexval(secret[i]), lo = hexval(secret[i + 1]);

		if (hi < 0 || lo < 0)
			return bad(err, "secret", "密钥应为小写十六进制");
		rec->secret[i / 2] = (unsigned char)(hi << 4 | lo);
	}
	rec->secret_len = slen / 2;
	if (get_array(rec->doc, "departments", DRAW_MAX_DEPARTMENTS, &deps, err) < 0 ||
	    get_array(rec->doc, "entities", DRAW_MAX_ENTITIES, &ents, err) < 0 ||
	    get_array(rec->doc, "inspectors", DRAW_MAX_INSPECTORS, &ins, err) < 0 ||
	    get_array(rec->doc, "conflicts", DRAW_MAX_CONFLICTS, &conf, err) < 0 ||
	    get_array(rec->doc, "selection", DRAW_MAX_ENTITIES, &rec->selection, err) < 0)
		return -1;
	if (parse_entities(rec, ents, err) < 0 || parse_people(rec, deps, ins, conf, err) < 0)
		return -1;
	return parse_selection(rec->selection, err);
}

void draw_record_free(struct draw_record *rec)
{
	json_decref(rec->doc);
	free(rec->entities);
	free(rec->inspectors);
	free(rec->conflicts);
	free(rec->departments);
	memset(rec, 0, sizeof(*rec));
}

/* ---- verifying ---- */

static int key_cmp(const void *a, const void *b)
{
	return strcmp(((const struct draw_key *)a)->s, ((const struct draw_key *)b)->s);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Compares the published selection with the re-run one as a set of checks,
 * each a set of inspectors. Returns 0 when equal, else -1 with err. */
static int selection_compare(const struct draw_record *rec, const struct draw_selection *sel,
			     struct yerr *err)
{
	const struct draw_plan *pl = &rec->plan;
	size_t n = json_array_size(rec->selection);
	struct draw_key *keys;
	bool *seen;
	int rc = 0;

	if (n != sel->n)
		return yerr_set(err, 409, "selection_mismatch", "selection",
				"公布的抽取结果有 %zu 个检查对象，按记录重新抽取为 %zu 个", n,
				sel->n);
	keys = calloc(n ? n : 1, sizeof(*keys));
	seen = calloc(n ? n : 1, sizeof(*seen));
	if (keys == NULL || seen == NULL)
		abort();
	for (size_t c = 0; c < n; c++)
		keys[c] =
		    (struct draw_key){{0, 0}, pl->entities[sel->entity[c]].id, (uint32_t)c, 0};
	qsort(keys, n, sizeof(*keys), key_cmp);
	for (size_t i = 0; i < n && rc == 0; i++) {
		json_t *item = json_array_get(rec->selection, i);
		json_t *ins = json_object_get(item, "inspectors");
		struct draw_key k = {
		    {0, 0}, json_string_value(json_object_get(item, "entity")), 0, 0};
		const struct draw_key *hit = bsearch(&k, keys, n, sizeof(*keys), key_cmp);
		const char *want[DRAW_MAX_PER_CHECK], *got[DRAW_MAX_PER_CHECK];
		const char *g;
		char field[64];
		size_t c;

		snprintf(field, sizeof(field), "selection[%zu].entity", i);
		if (hit == NULL) {
			rc = yerr_set(err, 409, "selection_mismatch", field,
				      "公布的检查对象 %.64s 不在按记录重新抽取的结果中", k.s);
			break;
		}
		c = hit->i;
		if (seen[c]) {
			rc = yerr_set(err, 409, "selection_mismatch", field,
				      "检查对象 %.64s 在公布的结果中出现了两次", k.s);
			break;
		}
		seen[c] = true;
		g = json_string_value(json_object_get(item, "grade"));
		if (g != NULL && strcmp(g, grade_name[pl->entities[sel->entity[c]].grade]) != 0) {
			snprintf(field, sizeof(field), "selection[%zu].grade", i);
			rc =
			    yerr_set(err, 409, "selection_mismatch", field,
				     "检查对象 %.64s 公布的信用等级 “%.8s” 与名录中的不同", k.s, g);
			break;
		}
		snprintf(field, sizeof(field), "selection[%zu].inspectors", i);
		if (json_array_size(ins) != sel->per_check) {
			rc = yerr_set(err, 409, "selection_mismatch", field,
				      "检查对象 %.64s 公布了 %zu 名检查人员，应为 %u 名", k.s,
				      json_array_size(ins), sel->per_check);
			break;
		}
		for (unsigned j = 0; j < sel->per_check; j++) {
			want[j] = pl->inspectors[sel->inspector[c * sel->per_check + j]].id;
			got[j] = json_string_value(json_array_get(ins, j));
		}
		qsort(want, sel->per_check, sizeof(*want), str_cmp);
		qsort(got, sel->per_check, sizeof(*got), str_cmp);
		for (unsigned j = 0; j < sel->per_check; j++)
			if (strcmp(want[j], got[j]) != 0) {
				char list[200] = "";

				for (unsigned m = 0; m < sel->per_check; m++)
					snprintf(
					    list + strlen(list), sizeof(list) - strlen(list),
					    "%s%.40s", m ? "、" : "",
					    pl->inspectors[sel->inspector[c * sel->per_check + m]]
						.id);
				rc = yerr_set(
				    err, 409, "selection_mismatch", field,
				    "检查对象 %.64s 公布的检查人员与重新抽取的不同（应为 %s）", k.s,
				    list);
				break;
			}
	}
	free(keys);
	free(seen);
	return rc;
}

enum draw_verdict draw_verify(const char *text, size_t len, char *summary, size_t summary_len,
			      struct yerr *err)
{
	struct draw_record rec;
	struct draw_prepared *p = NULL;
	struct draw_selection sel = {0};
	enum draw_verdict v = DRAW_MATCH;
	size_t sizes[DRAW_GRADES];
	char hex[65];

	if (summary && summary_len)
		summary[0] = '\0';
	if (draw_record_parse(text, len, &rec, err) < 0) {
		v = DRAW_BAD_RECORD;
		goto out;
	}
	if (draw_prepare(&rec.plan, &p, err) < 0) {
		v = strcmp(err->code, "bad_record") == 0 ? DRAW_BAD_RECORD : DRAW_BAD_INPUTS;
		goto out;
	}
	draw_hex(p->commitment, 32, hex);
	if (strcmp(hex, rec.commitment) != 0) {
		yerr_set(err, 409, "commitment_mismatch", "commitment",
			 "公布的承诺值与记录中的输入不符：按记录计算为 %s", hex);
		v = DRAW_COMMITMENT_WRONG;
		goto out;
	}
	if (draw_run(p, rec.secret, rec.secret_len, rec.public_value, &sel, err) < 0) {
		v = strcmp(err->code, "secret_mismatch") == 0         ? DRAW_SECRET_WRONG
		    : strcmp(err->code, "not_enough_inspectors") == 0 ? DRAW_DRAW_FAILED
								      : DRAW_BAD_RECORD;
		goto out;
	}
	if (selection_compare(&rec, &sel, err) < 0) {
		v = DRAW_SELECTION_WRONG;
		goto out;
	}
	draw_grade_sizes(p, sizes);
	if (summary && summary_len)
		snprintf(summary, summary_len,
			 "抽取结果与记录一致 / the published selection matches the record\n"
			 "计划 plan: %s\n"
			 "检查对象 entities: %zu (A %zu, B %zu, C %zu, D %zu); 检查人员 "
			 "inspectors: %zu; "
			 "利害冲突 conflicts: %zu\n"
			 "抽中 checks: %zu (A %zu, B %zu, C %zu, D %zu), 每次 %u 名检查人员 "
			 "inspectors per check\n"
			 "承诺值 commitment: %s\n"
			 "公开随机值 public value: %.200s (来源 source: %.200s)\n",
			 rec.plan.plan, rec.plan.nentities, sizes[0], sizes[1], sizes[2], sizes[3],
			 rec.plan.ninspectors, rec.plan.nconflicts, sel.n, sel.count[0],
			 sel.count[1], sel.count[2], sel.count[3], sel.per_check, hex,
			 rec.public_value, rec.public_source);
out:
	draw_selection_free(&sel);
	draw_prepared_free(p);
	draw_record_free(&rec);
	return v;
}
