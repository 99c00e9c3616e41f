/*
 * catalog_check.c — quality checks over a built catalog and the rule tests.
 *
 * Reference and shape errors are found while building (catalog.c); what is
 * here needs the whole model: usage across files, the meaning of conditions
 * against the questions they test, and running the guide on the tests.
 */
#include "core/catalog_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/catalog_checklist.h"
#include "core/guide.h"

struct chk {
	const struct catalog *cat;
	const struct catalog_industry *ind; /* industry being checked */
	struct catalog_problems *out;
	int oom;
};

#define REPORT(c, file, path, ...)                                                     \
	do {                                                                           \
		if (catalog_problem_add((c)->out, false, (file), (path), __VA_ARGS__)) \
			(c)->oom = 1;                                                  \
	} while (0)

static bool in_list(const char *const *list, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i], id) == 0)
			return true;
	return false;
}

/* ------------------------------------------------------------ usage checks */

static void mark(const struct catalog *cat, bool *mat_used, bool *fld_used, const char *const *mats,
		 size_t nm, const char *const *flds, size_t nf)
{
	size_t i;

	for (i = 0; i < nm; i++) {
		const struct catalog_material *m = catalog_material_find(cat, mats[i]);
		if (m != NULL)
			mat_used[m - cat->materials] = true;
	}
	for (i = 0; i < nf; i++) {
		const struct catalog_field *f = catalog_field_find(cat, flds[i]);
		if (f != NULL)
			fld_used[f - cat->fields] = true;
	}
}

static void check_usage(struct chk *c)
{
	const struct catalog *cat = c->cat;
	bool *mu = calloc(cat->nmaterials + 1, 1), *fu = calloc(cat->nfields + 1, 1),
	     *pu = calloc(cat->npermits + 1, 1);
	size_t i, j;

	if (mu == NULL || fu == NULL || pu == NULL) {
		c->oom = 1;
		goto out;
	}
	for (i = 0; i < cat->npermits; i++)
		mark(cat, mu, fu, cat->permits[i].materials, cat->permits[i].nmaterials,
		     cat->permits[i].fields, cat->permits[i].nfields);
	for (i = 0; i < cat->nindustries; i++) {
		const struct catalog_industry *ind = &cat->industries[i];
		mark(cat, mu, fu, ind->materials, ind->nmaterials, ind->fields, ind->nfields);
		for (j = 0; j < ind->nrules; j++)
			mark(cat, mu, fu, ind->rules[j].materials, ind->rules[j].nmaterials,
			     ind->rules[j].fields, ind->rules[j].nfields);
		for (j = 0; j < ind->npermits; j++) {
			const struct catalog_permit *p = catalog_permit_find(cat, ind->permits[j]);
			if (p != NULL)
				pu[p - cat->permits] = true;
		}
	}
	for (i = 0; i < cat->nmaterials; i++)
		if (!mu[i])
			REPORT(c, cat->materials[i].where.file, cat->materials[i].where.path,
			       "材料 \"%s\" 未被任何许可、行业或规则使用", cat->materials[i].id);
	for (i = 0; i < cat->nfields; i++)
		if (!fu[i])
			REPORT(c, cat->fields[i].where.file, cat->fields[i].where.path,
			       "字段 \"%s\" 未被任何许可、行业或规则使用", cat->fields[i].id);
	for (i = 0; i < cat->npermits; i++)
		if (!pu[i])
			REPORT(c, cat->permits[i].where.file, cat->permits[i].where.path,
			       "许可事项 \"%s\" 未被任何行业合并", cat->permits[i].code);
	for (i = 0; i < cat->nmaterials; i++)
		if (cat->materials[i].exempt &&
		    (cat->materials[i].source == NULL || *cat->materials[i].source == '\0')) {
			char path[80];
			snprintf(path, sizeof(path), "%s.source", cat->materials[i].where.path);
			REPORT(c, cat->materials[i].where.file, path,
			       "免于提交的材料 \"%s\" 必须写明来源 source", cat->materials[i].id);
		}
out:
	free(mu);
	free(fu);
	free(pu);
}

/* -------------------------------------------------------- condition checks */

/* value_problem describes why value v can never match an answer to q, or returns NULL. */
static const char *value_problem(const struct catalog_question *q, const json_t *v, char *buf,
				 size_t size)
{
	size_t i;

	switch (q->type) {
	case QTYPE_BOOLEAN:
		if (!json_is_boolean(v))
			return snprintf(buf, size,
					"问题 \"%s\" 是是非题，比较值必须是 true 或 false", q->id),
			       buf;
		return NULL;
	case QTYPE_CHOICE:
	case QTYPE_MULTI:
		if (!json_is_string(v))
			return snprintf(buf, size, "问题 \"%s\" 的比较值必须是选项值字符串", q->id),
			       buf;
		for (i = 0; i < q->noptions; i++)
			if (strcmp(q->options[i].value, json_string_value(v)) == 0)
				return NULL;
		return snprintf(buf, size, "\"%s\" 不是问题 \"%s\" 的选项，条件永远不成立",
				json_string_value(v), q->id),
		       buf;
	case QTYPE_NUMBER:
		if (!json_is_number(v))
			return snprintf(buf, size, "问题 \"%s\" 是数字题，比较值必须是数字", q->id),
			       buf;
		if ((q->has_min && json_number_value(v) < q->min) ||
		    (q->has_max && json_number_value(v) > q->max))
			return snprintf(buf, size, "比较值 %g 超出问题 \"%s\" 的取值范围",
					json_number_value(v), q->id),
			       buf;
		return NULL;
	case QTYPE_TEXT:
		if (!json_is_string(v))
			return snprintf(buf, size, "问题 \"%s\" 是文字题，比较值必须是字符串",
					q->id),
			       buf;
		return NULL;
	}
	return NULL;
}

/*
 * leaf_problem checks one comparison against its question; returns a message
 * (and sets *sub to the operand index) when the comparison can never hold or
 * is meaningless, else NULL.
 */
static const char *leaf_problem(const struct catalog_question *q, const struct cond *n, char *buf,
				size_t size, long *sub)
{
	const char *m;
	size_t i;

	*sub = 1;
	switch (n->op) {
	case COND_EQ:
	case COND_NE:
		if (q->type == QTYPE_MULTI)
			return snprintf(buf, size, "问题 \"%s\" 是多选题，请用 has 而不是 %s",
					q->id, cond_op_name(n->op)),
			       buf;
		return value_problem(q, n->value, buf, size);
	case COND_IN:
		if (q->type == QTYPE_MULTI)
			return snprintf(buf, size, "问题 \"%s\" 是多选题，请用 has 而不是 in",
					q->id),
			       buf;
		for (i = 0; i < json_array_size(n->value); i++) {
			m = value_problem(q, json_array_get(n->value, i), buf, size);
			if (m != NULL) {
				*sub = 100 + (long)i;
				return m;
			}
		}
		return NULL;
	case COND_HAS:
		if (q->type != QTYPE_MULTI)
			return snprintf(buf, size, "has 只能用于多选题，问题 \"%s\" 是 %s", q->id,
					q->type_name),
			       buf;
		return value_problem(q, n->value, buf, size);
	case COND_GT:
	case COND_GE:
	case COND_LT:
	case COND_LE:
		if (q->type != QTYPE_NUMBER)
			return snprintf(buf, size, "%s 只能用于数字题，问题 \"%s\" 是 %s",
					cond_op_name(n->op), q->id, q->type_name),
			       buf;
		if (q->has_max && ((n->op == COND_GT && n->number >= q->max) ||
				   (n->op == COND_GE && n->number > q->max)))
			return snprintf(buf, size, "问题 \"%s\" 的最大值是 %g，条件永远不成立",
					q->id, q->max),
			       buf;
		if (q->has_min && ((n->op == COND_LT && n->number <= q->min) ||
				   (n->op == COND_LE && n->number < q->min)))
			return snprintf(buf, size, "问题 \"%s\" 的最小值是 %g，条件永远不成立",
					q->id, q->min),
			       buf;
		return NULL;
	default:
		return NULL;
	}
}

static bool leaf_never(const struct catalog_industry *ind, const struct cond *n)
{
	const struct catalog_question *q;
	char buf[256];
	long sub;

	if (n->question == NULL || n->op == COND_ANSWERED || n->op == COND_NE)
		return false;
	q = catalog_question_find(ind, n->question);
	if (q == NULL)
		return true;
	if (n->op == COND_IN) {
		size_t i;
		for (i = 0; i < json_array_size(n->value); i++)
			if (value_problem(q, json_array_get(n->value, i), buf, sizeof(buf)) == NULL)
				return false;
		return true;
	}
	return leaf_problem(q, n, buf, sizeof(buf), &sub) != NULL;
}

/* collect_conjuncts gathers the leaves of an `all`, flattening nested `all`s. */
static size_t collect_conjuncts(const struct cond *n, const struct cond **out, size_t cap, size_t k)
{
	size_t i;

	for (i = 0; i < n->nkids; i++) {
		if (n->kids[i]->op == COND_ALL)
			k = collect_conjuncts(n->kids[i], out, cap, k);
		else if (k < cap)
			out[k++] = n->kids[i];
	}
	return k;
}

/*
 * all_contradiction looks for two conjuncts on the same question that cannot
 * both hold: eq A with eq B (A ≠ B), eq A with ne A, eq A with an `in` not
 * containing A, or numeric bounds leaving an empty interval. Writes a message.
 */
static bool all_contradiction(const struct cond *n, char *buf, size_t size)
{
	const struct cond *lv[64];
	size_t k = collect_conjuncts(n, lv, 64, 0), i, j, t;

	for (i = 0; i < k; i++)
		for (j = i + 1; j < k; j++) {
			const struct cond *a = lv[i], *b = lv[j];
			if (a->question == NULL || b->question == NULL ||
			    strcmp(a->question, b->question) != 0)
				continue;
			if (a->op == COND_NE || a->op == COND_IN) {
				const struct cond *x = a;
				a = b;
				b = x;
			}
			if (a->op == COND_EQ && b->op == COND_EQ &&
			    !cond_value_equal(a->value, b->value)) {
				snprintf(buf, size,
					 "条件自相矛盾：问题 \"%s\" 不可能同时等于两个不同的值",
					 a->question);
				return true;
			}
			if (a->op == COND_EQ && b->op == COND_NE &&
			    cond_value_equal(a->value, b->value)) {
				snprintf(buf, size,
					 "条件自相矛盾：问题 \"%s\" 不可能既等于又不等于同一个值",
					 a->question);
				return true;
			}
			if (a->op == COND_EQ && b->op == COND_IN) {
				for (t = 0; t < json_array_size(b->value); t++)
					if (cond_value_equal(a->value, json_array_get(b->value, t)))
						break;
				if (t == json_array_size(b->value)) {
					snprintf(
					    buf, size,
					    "条件自相矛盾：问题 \"%s\" 的 eq 值不在 in 的列表中",
					    a->question);
					return true;
				}
			}
		}
	/* numeric interval per question */
	for (i = 0; i < k; i++) {
		double lo = -1e300, hi = 1e300;
		bool lo_open = false, hi_open = false;
		const char *q = lv[i]->question;
		if (q == NULL)
			continue;
		for (j = 0; j < k; j++) {
			const struct cond *c = lv[j];
			double x = c->number;
			if (c->question == NULL || strcmp(c->question, q) != 0)
				continue;
			if (c->op == COND_EQ && json_is_number(c->value)) {
				x = json_number_value(c->value);
				if (x > lo || (x == lo && lo_open)) {
					lo = x;
					lo_open = false;
				}
				if (x < hi || (x == hi && hi_open)) {
					hi = x;
					hi_open = false;
				}
				continue;
			}
			if ((c->op == COND_GT || c->op == COND_GE) &&
			    (x > lo || (x == lo && c->op == COND_GT))) {
				lo = x;
				lo_open = c->op == COND_GT;
			}
			if ((c->op == COND_LT || c->op == COND_LE) &&
			    (x < hi || (x == hi && c->op == COND_LT))) {
				hi = x;
				hi_open = c->op == COND_LT;
			}
		}
		if (lo > hi || (lo == hi && (lo_open || hi_open))) {
			snprintf(buf, size, "条件自相矛盾：问题 \"%s\" 的数值范围为空", q);
			return true;
		}
	}
	return false;
}

/* never_holds is a sound but incomplete test that condition n can never hold. */
static bool never_holds(const struct catalog_industry *ind, const struct cond *n)
{
	char buf[256];
	size_t i;

	switch (n->op) {
	case COND_ALL:
		for (i = 0; i < n->nkids; i++)
			if (never_holds(ind, n->kids[i]))
				return true;
		return all_contradiction(n, buf, sizeof(buf));
	case COND_ANY:
		for (i = 0; i < n->nkids; i++)
			if (!never_holds(ind, n->kids[i]))
				return false;
		return true;
	case COND_NOT:
	case COND_ANSWERED:
		return false;
	default:
		return leaf_never(ind, n);
	}
}

static int check_node(const struct cond *n, void *ctx)
{
	struct chk *c = ctx;
	const struct catalog_question *q;
	char buf[256], path[256];
	const char *m;
	long sub;

	if (n->op == COND_ALL && all_contradiction(n, buf, sizeof(buf))) {
		REPORT(c, c->ind->where.file, n->path, "%s", buf);
		return 0;
	}
	if (n->question == NULL || n->op == COND_ANSWERED)
		return 0;
	q = catalog_question_find(c->ind, n->question);
	if (q == NULL)
		return 0; /* reported by the builder */
	m = leaf_problem(q, n, buf, sizeof(buf), &sub);
	if (m == NULL)
		return 0;
	if (sub >= 100)
		snprintf(path, sizeof(path), "%s.%s[1][%ld]", n->path, cond_op_name(n->op),
			 sub - 100);
	else
		snprintf(path, sizeof(path), "%s.%s[1]", n->path, cond_op_name(n->op));
	REPORT(c, c->ind->where.file, path, "%s", m);
	return 0;
}

struct refs {
	const struct catalog_industry *ind;
	long self, nrefs, nlater, nself;
};

static int count_refs(const struct cond *n, void *ctx)
{
	struct refs *r = ctx;
	long k;

	if (n->question == NULL)
		return 0;
	k = catalog_question_index(r->ind, n->question);
	if (k < 0)
		return 0;
	r->nrefs++;
	if (k == r->self)
		r->nself++;
	else if (k > r->self)
		r->nlater++;
	return 0;
}

static void check_questions(struct chk *c)
{
	const struct catalog_industry *ind = c->ind;
	size_t i;

	for (i = 0; i < ind->nquestions; i++) {
		const struct catalog_question *q = &ind->questions[i];
		struct refs r = {ind, (long)i, 0, 0, 0};
		char path[64];
		if (q->ask_if == NULL)
			continue;
		snprintf(path, sizeof(path), "%s.ask_if", q->path);
		cond_visit(q->ask_if, check_node, c);
		cond_visit(q->ask_if, count_refs, &r);
		if (r.nself > 0)
			REPORT(c, ind->where.file, path,
			       "问题 \"%s\" 的 ask_if 引用了它自己，不可达", q->id);
		else if (r.nrefs > 0 && r.nlater == r.nrefs)
			REPORT(c, ind->where.file, path,
			       "问题 \"%s\" 的 ask_if 只引用在它之后提问的问题，不可达", q->id);
		else if (never_holds(ind, q->ask_if))
			REPORT(c, ind->where.file, path,
			       "问题 \"%s\" 的 ask_if 永远不成立，该问题不可达", q->id);
	}
}

static void check_industry(struct chk *c)
{
	const struct catalog_industry *ind = c->ind;
	const char *f = ind->where.file;
	size_t i, j;

	for (i = 0; i < ind->nbase_permits; i++)
		if (!in_list(ind->permits, ind->npermits, ind->base_permits[i])) {
			char path[64];
			snprintf(path, sizeof(path), "base_permits[%zu]", i);
			REPORT(c, f, path, "基础许可 \"%s\" 不在本行业的 permits 中",
			       ind->base_permits[i]);
		}
	if (ind->nbase_permits == 0)
		REPORT(c, f, "base_permits", "行业至少要有一项基础许可");
	for (i = 0; i < ind->nrules; i++) {
		const struct catalog_rule *r = &ind->rules[i];
		for (j = 0; j < r->npermits; j++)
			if (!in_list(ind->permits, ind->npermits, r->permits[j])) {
				char path[64];
				snprintf(path, sizeof(path), "%s.permits[%zu]", r->path, j);
				REPORT(c, f, path, "规则增加的许可 \"%s\" 不在本行业的 permits 中",
				       r->permits[j]);
			}
		cond_visit(r->when, check_node, c);
	}
	/* every permit must be reachable: base, or added by some rule */
	for (i = 0; i < ind->npermits; i++) {
		bool reach = in_list(ind->base_permits, ind->nbase_permits, ind->permits[i]);
		for (j = 0; !reach && j < ind->nrules; j++)
			reach =
			    in_list(ind->rules[j].permits, ind->rules[j].npermits, ind->permits[i]);
		if (!reach) {
			char path[64];
			snprintf(path, sizeof(path), "permits[%zu]", i);
			REPORT(c, f, path, "许可 \"%s\" 既不是基础许可，也没有规则会增加它",
			       ind->permits[i]);
		}
	}
	if (ind->nquestions < 3 && ind->npermits != 1)
		REPORT(c, f, "questions", "行业只有 %zu 个问题（合并多项许可的行业至少需要 3 个）",
		       ind->nquestions);
	for (i = 0; i < ind->npermits; i++) {
		const struct catalog_permit *p = catalog_permit_find(c->cat, ind->permits[i]);
		if (p == NULL || ind->lead == NULL)
			continue;
		if (strcmp(p->department, ind->lead) != 0 &&
		    !in_list(ind->cooperating, ind->ncooperating, p->department)) {
			char path[64];
			snprintf(path, sizeof(path), "permits[%zu]", i);
			REPORT(c, f, path,
			       "许可 \"%s\" 的部门 \"%s\" 既不是牵头部门也不在 cooperating 中",
			       p->code, p->department);
		}
	}
	check_questions(c);
	for (i = 0; i < ind->ntests; i++) {
		const struct catalog_test *t = &ind->tests[i];
		const char *key;
		json_t *v, *a;
		json_object_foreach ((json_t *)t->answers, key, v) {
			char path[128];
			(void)v;
			if (catalog_question_find(ind, key) == NULL) {
				snprintf(path, sizeof(path), "%s.answers.%s", t->path, key);
				REPORT(c, f, path, "测试用例引用了未知的问题 \"%s\"", key);
			}
		}
		a = json_object_get(t->expect, "permits");
		json_array_foreach (a, j, v) {
			char path[128];
			if (json_is_string(v) &&
			    !in_list(ind->permits, ind->npermits, json_string_value(v))) {
				snprintf(path, sizeof(path), "%s.expect.permits[%zu]", t->path, j);
				REPORT(c, f, path, "期望的许可 \"%s\" 不在本行业的 permits 中",
				       json_string_value(v));
			}
		}
		a = json_object_get(t->expect, "materials");
		json_array_foreach (a, j, v) {
			char path[128];
			if (json_is_string(v) &&
			    catalog_material_find(c->cat, json_string_value(v)) == NULL) {
				snprintf(path, sizeof(path), "%s.expect.materials[%zu]", t->path,
					 j);
				REPORT(c, f, path, "期望的材料 \"%s\" 不存在",
				       json_string_value(v));
			}
		}
	}
	if (ind->ntests == 0)
		REPORT(c, f, "tests", "行业没有规则测试用例");
}

int catalog_check_model(const struct catalog *cat, struct catalog_problems *out)
{
	struct chk c = {cat, NULL, out, 0};
	size_t i;

	check_usage(&c);
	for (i = 0; i < cat->nindustries; i++) {
		c.ind = &cat->industries[i];
		check_industry(&c);
	}
	if (catalog_check_data(cat, out) < 0)
		c.oom = 1;
	if (catalog_checklist_check(cat, out) < 0)
		c.oom = 1;
	return c.oom ? -1 : 0;
}

int catalog_check(const struct catalog_file *files, size_t nfiles, struct catalog_problems *out)
{
	struct catalog *cat = NULL;
	int rc;

	if (catalog_build(files, nfiles, &cat, out) < 0)
		return -1;
	rc = catalog_check_model(cat, out);
	catalog_free(cat);
	return rc;
}

/* ------------------------------------------------------------------ tests */

/* compare_sets reports members of want missing from got and members of got not in want. */
static void compare_sets(struct chk *c, const char *path, const char *what, const json_t *want,
			 const char *const *got, size_t ngot)
{
	size_t i, j;
	json_t *v;

	json_array_foreach (want, i, v) {
		if (!json_is_string(v))
			continue;
		if (!in_list(got, ngot, json_string_value(v)))
			REPORT(c, c->ind->where.file, path, "期望有%s \"%s\"，但引导结果中没有",
			       what, json_string_value(v));
	}
	for (i = 0; i < ngot; i++) {
		bool found = false;
		json_array_foreach (want, j, v)
			if (json_is_string(v) && strcmp(json_string_value(v), got[i]) == 0)
				found = true;
		if (!found)
			REPORT(c, c->ind->where.file, path, "引导结果多出了%s \"%s\"", what,
			       got[i]);
	}
}

int catalog_test(const struct catalog *cat, struct catalog_problems *out, size_t *ntests)
{
	struct chk c = {cat, NULL, out, 0};
	size_t i, j, k, n = 0;

	for (i = 0; i < cat->nindustries; i++) {
		c.ind = &cat->industries[i];
		for (j = 0; j < c.ind->ntests; j++) {
			const struct catalog_test *t = &c.ind->tests[j];
			struct guide_result r;
			struct yerr err = {0};
			const char **got;
			const json_t *v;
			char path[96];
			n++;
			if (guide_run(cat, c.ind->code, t->answers, &r, &err) < 0) {
				snprintf(path, sizeof(path), "%s", t->path);
				REPORT(&c, c.ind->where.file, path,
				       "测试“%s”：引导报错 %s（%s）：%s", t->name, err.code,
				       err.field, err.message);
				continue;
			}
			got = calloc(r.npermits + r.nmaterials + 1, sizeof(*got));
			if (got == NULL) {
				guide_result_free(&r);
				return -1;
			}
			snprintf(path, sizeof(path), "%s.expect.permits", t->path);
			for (k = 0; k < r.npermits; k++)
				got[k] = r.permits[k].permit->code;
			compare_sets(&c, path, "许可", json_object_get(t->expect, "permits"), got,
				     r.npermits);
			snprintf(path, sizeof(path), "%s.expect.materials", t->path);
			for (k = 0; k < r.nmaterials; k++)
				got[k] = r.materials[k].material->id;
			compare_sets(&c, path, "材料", json_object_get(t->expect, "materials"), got,
				     r.nmaterials);
			free(got);
			v = json_object_get(t->expect, "complete");
			if (json_is_boolean(v) && json_is_true(v) != r.complete) {
				snprintf(path, sizeof(path), "%s.expect.complete", t->path);
				REPORT(&c, c.ind->where.file, path,
				       "期望 complete 为 %s，实际为 %s",
				       json_is_true(v) ? "true" : "false",
				       r.complete ? "true" : "false");
			}
			v = json_object_get(t->expect, "time_limit_days");
			if (json_is_integer(v) && json_integer_value(v) != r.time_limit_days) {
				snprintf(path, sizeof(path), "%s.expect.time_limit_days", t->path);
				REPORT(&c, c.ind->where.file, path,
				       "期望承诺时限 %lld 天，实际为 %ld 天",
				       (long long)json_integer_value(v), r.time_limit_days);
			}
			guide_result_free(&r);
		}
	}
	if (ntests != NULL)
		*ntests = n;
	return c.oom ? -1 : 0;
}
