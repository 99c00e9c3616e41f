/*
 * cond.c — parse and evaluate catalog conditions (see cond.h, docs/catalog.md).
 */
#include "core/cond.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const op_names[] = {
    [COND_ALL] = "all", [COND_ANY] = "any", [COND_NOT] = "not", [COND_EQ] = "eq",
    [COND_NE] = "ne",   [COND_IN] = "in",   [COND_HAS] = "has", [COND_GT] = "gt",
    [COND_GE] = "ge",   [COND_LT] = "lt",   [COND_LE] = "le",   [COND_ANSWERED] = "answered",
};

#define COND_MAX_DEPTH 32

const char *cond_op_name(enum cond_op op)
{
	if ((size_t)op < sizeof(op_names) / sizeof(op_names[0]))
		return op_names[op];
	return "?";
}

static char *path_join(const char *base, const char *key, long idx)
{
	char buf[512];

	if (idx >= 0)
		snprintf(buf, sizeof(buf), "%s%s%s[%ld]", base, *base ? "." : "", key, idx);
	else
		snprintf(buf, sizeof(buf), "%s%s%s", base, *base ? "." : "", key);
	return strdup(buf);
}

void cond_free(struct cond *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nkids; i++)
		cond_free(c->kids[i]);
	free(c->kids);
	free(c->path);
	free(c->question);
	free(c->qpath);
	json_decref(c->value);
	free(c);
}

static int is_scalar(const json_t *v)
{
	return json_is_string(v) || json_is_number(v) || json_is_boolean(v);
}

/*
 * parse_node compiles one node. Errors name the most precise path: the node
 * itself for a bad shape, the operand for a bad operand. depth bounds the
 * recursion so a hostile document cannot exhaust the stack.
 */
static int parse_node(const json_t *j, const char *path, int depth, struct cond **out,
		      struct yerr *err)
{
	struct cond *c = NULL; /* node under construction */
	const char *key;       /* the operator key */
	json_t *arg;           /* its operand */
	size_t i, nops = sizeof(op_names) / sizeof(op_names[0]);
	int rc = -1;

	*out = NULL;
	if (depth > COND_MAX_DEPTH)
		return yerr_set(err, 400, "invalid_condition", path, "条件嵌套过深（超过 %d 层）",
				COND_MAX_DEPTH);
	if (!json_is_object(j))
		return yerr_set(err, 400, "invalid_condition", path, "条件必须是 JSON 对象");
	if (json_object_size(j) != 1)
		return yerr_set(err, 400, "invalid_condition", path,
				"条件对象必须恰有一个键，实有 %zu 个", json_object_size(j));
	key = json_object_iter_key(json_object_iter((json_t *)j));
	arg = json_object_iter_value(json_object_iter((json_t *)j));

	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return yerr_set(err, 500, "out_of_memory", path, "内存不足");
	c->path = strdup(path);
	for (i = 0; i < nops; i++)
		if (strcmp(key, op_names[i]) == 0)
			break;
	if (i == nops) {
		char *p = path_join(path, key, -1);
		yerr_set(
		    err, 400, "invalid_condition", p ? p : path,
		    "未知的条件运算符 \"%s\"（可用 all any not eq ne in has gt ge lt le answered）",
		    key);
		free(p);
		goto out;
	}
	c->op = (enum cond_op)i;

	switch (c->op) {
	case COND_ALL:
	case COND_ANY: {
		char *p = path_join(path, key, -1);
		if (!json_is_array(arg) || json_array_size(arg) == 0) {
			yerr_set(err, 400, "invalid_condition", p ? p : path,
				 "\"%s\" 需要一个非空的条件数组", key);
			free(p);
			goto out;
		}
		free(p);
		c->nkids = json_array_size(arg);
		c->kids = calloc(c->nkids, sizeof(*c->kids));
		if (c->kids == NULL) {
			c->nkids = 0;
			yerr_set(err, 500, "out_of_memory", path, "内存不足");
			goto out;
		}
		for (i = 0; i < c->nkids; i++) {
			char *kp = path_join(path, key, (long)i);
			int r = parse_node(json_array_get(arg, i), kp ? kp : path, depth + 1,
					   &c->kids[i], err);
			free(kp);
			if (r < 0)
				goto out;
		}
		break;
	}
	case COND_NOT: {
		char *kp = path_join(path, key, -1);
		int r;
		c->kids = calloc(1, sizeof(*c->kids));
		if (c->kids == NULL) {
			free(kp);
			yerr_set(err, 500, "out_of_memory", path, "内存不足");
			goto out;
		}
		c->nkids = 1;
		r = parse_node(arg, kp ? kp : path, depth + 1, &c->kids[0], err);
		free(kp);
		if (r < 0)
			goto out;
		break;
	}
	case COND_ANSWERED:
		if (!json_is_string(arg) || json_string_length(arg) == 0) {
			char *p = path_join(path, key, -1);
			yerr_set(err, 400, "invalid_condition", p ? p : path,
				 "\"answered\" 需要一个问题编号字符串");
			free(p);
			goto out;
		}
		c->question = strdup(json_string_value(arg));
		c->qpath = path_join(path, key, -1);
		break;
	default: {
		/* binary comparisons: ["question", operand] */
		json_t *q, *v;
		char *p;
		if (!json_is_array(arg) || json_array_size(arg) != 2) {
			p = path_join(path, key, -1);
			yerr_set(err, 400, "invalid_condition", p ? p : path,
				 "\"%s\" 需要形如 [\"问题编号\", 值] 的两元素数组", key);
			free(p);
			goto out;
		}
		q = json_array_get(arg, 0);
		v = json_array_get(arg, 1);
		if (!json_is_string(q) || json_string_length(q) == 0) {
			p = path_join(path, key, 0);
			yerr_set(err, 400, "invalid_condition", p ? p : path,
				 "\"%s\" 的第一个元素必须是问题编号字符串", key);
			free(p);
			goto out;
		}
		p = path_join(path, key, 1);
		if (c->op == COND_IN) {
			size_t k;
			if (!json_is_array(v) || json_array_size(v) == 0) {
				yerr_set(err, 400, "invalid_condition", p ? p : path,
					 "\"in\" 的第二个元素必须是非空的值数组");
				free(p);
				goto out;
			}
			for (k = 0; k < json_array_size(v); k++)
				if (!is_scalar(json_array_get(v, k))) {
					char buf[512];
					snprintf(buf, sizeof(buf), "%s[%zu]", p ? p : path, k);
					yerr_set(err, 400, "invalid_condition", buf,
						 "\"in\" 的值必须是字符串、数字或布尔值");
					free(p);
					goto out;
				}
		} else if (c->op >= COND_GT && c->op <= COND_LE) {
			if (!json_is_number(v)) {
				yerr_set(err, 400, "invalid_condition", p ? p : path,
					 "\"%s\" 的比较值必须是数字", key);
				free(p);
				goto out;
			}
			c->number = json_number_value(v);
		} else if (!is_scalar(v)) {
			yerr_set(err, 400, "invalid_condition", p ? p : path,
				 "\"%s\" 的比较值必须是字符串、数字或布尔值", key);
			free(p);
			goto out;
		}
		free(p);
		c->question = strdup(json_string_value(q));
		c->qpath = path_join(path, key, 0);
		c->value = json_incref(v);
		break;
	}
	}
	if (c->path == NULL || (c->question != NULL && c->qpath == NULL)) {
		yerr_set(err, 500, "out_of_memory", path, "内存不足");
		goto out;
	}
	rc = 0;
out:
	if (rc < 0) {
		cond_free(c);
		return -1;
	}
	*out = c;
	return 0;
}

int cond_parse(const json_t *j, const char *path, struct cond **out, struct yerr *err)
{
	return parse_node(j, path ? path : "", 0, out, err);
}

int cond_value_equal(const json_t *a, const json_t *b)
{
	if (a == NULL || b == NULL)
		return 0;
	if (json_is_number(a) && json_is_number(b))
		return json_number_value(a) == json_number_value(b);
	return json_equal((json_t *)a, (json_t *)b);
}

static const json_t *answer_of(const json_t *answers, const char *q)
{
	const json_t *v;

	if (!json_is_object(answers) || q == NULL)
		return NULL;
	v = json_object_get(answers, q);
	if (v == NULL || json_is_null(v))
		return NULL;
	return v;
}

static void used_add(struct cond_used *used, const char *q)
{
	size_t i;

	if (used == NULL)
		return;
	for (i = 0; i < used->n; i++)
		if (strcmp(used->questions[i], q) == 0)
			return;
	if (used->n < COND_USED_MAX)
		used->questions[used->n++] = q;
}

/* compare_leaf decides a comparison whose question is answered with a. */
static int compare_leaf(const struct cond *c, const json_t *a)
{
	size_t i;

	switch (c->op) {
	case COND_EQ:
		return cond_value_equal(a, c->value);
	case COND_NE:
		return !cond_value_equal(a, c->value);
	case COND_IN:
		for (i = 0; i < json_array_size(c->value); i++)
			if (cond_value_equal(a, json_array_get(c->value, i)))
				return 1;
		return 0;
	case COND_HAS:
		if (!json_is_array(a))
			return 0;
		for (i = 0; i < json_array_size(a); i++)
			if (cond_value_equal(json_array_get(a, i), c->value))
				return 1;
		return 0;
	case COND_GT:
		return json_is_number(a) && json_number_value(a) > c->number;
	case COND_GE:
		return json_is_number(a) && json_number_value(a) >= c->number;
	case COND_LT:
		return json_is_number(a) && json_number_value(a) < c->number;
	case COND_LE:
		return json_is_number(a) && json_number_value(a) <= c->number;
	default:
		return 0;
	}
}

static int add_answered_refs(const struct cond *node, void *ctx)
{
	void **pair = ctx; /* [answers, used] */

	if (node->question != NULL && answer_of(pair[0], node->question) != NULL)
		used_add(pair[1], node->question);
	return 0;
}

/*
 * cond_eval records, for a condition that holds, only the answers on the path
 * that made it hold: every operand of a true `all`, the first true operand of
 * an `any`, and for `not` the answered questions below it (the answers that
 * made the inner condition fail). Entries added by a branch that turns out
 * false are rolled back.
 */
int cond_eval(const struct cond *c, const json_t *answers, struct cond_used *used)
{
	size_t mark = used ? used->n : 0, i;
	const json_t *a;
	int r = 0;

	switch (c->op) {
	case COND_ALL:
		r = 1;
		for (i = 0; i < c->nkids && r; i++)
			r = cond_eval(c->kids[i], answers, used);
		break;
	case COND_ANY:
		for (i = 0; i < c->nkids && !r; i++)
			r = cond_eval(c->kids[i], answers, used);
		break;
	case COND_NOT:
		r = !cond_eval(c->kids[0], answers, NULL);
		if (r && used != NULL) {
			void *pair[2] = {(void *)answers, used};
			cond_visit(c->kids[0], add_answered_refs, pair);
		}
		break;
	case COND_ANSWERED:
		r = answer_of(answers, c->question) != NULL;
		if (r)
			used_add(used, c->question);
		break;
	default:
		a = answer_of(answers, c->question);
		r = a != NULL && compare_leaf(c, a);
		if (r)
			used_add(used, c->question);
		break;
	}
	if (!r && used != NULL)
		used->n = mark;
	return r;
}

enum cond_truth cond_eval3(const struct cond *c, const json_t *answers)
{
	enum cond_truth t, acc;
	const json_t *a;
	size_t i;

	switch (c->op) {
	case COND_ALL:
		acc = COND_TRUE;
		for (i = 0; i < c->nkids; i++) {
			t = cond_eval3(c->kids[i], answers);
			if (t == COND_FALSE)
				return COND_FALSE;
			if (t == COND_UNKNOWN)
				acc = COND_UNKNOWN;
		}
		return acc;
	case COND_ANY:
		acc = COND_FALSE;
		for (i = 0; i < c->nkids; i++) {
			t = cond_eval3(c->kids[i], answers);
			if (t == COND_TRUE)
				return COND_TRUE;
			if (t == COND_UNKNOWN)
				acc = COND_UNKNOWN;
		}
		return acc;
	case COND_NOT:
		t = cond_eval3(c->kids[0], answers);
		return t == COND_UNKNOWN ? COND_UNKNOWN : (t == COND_TRUE ? COND_FALSE : COND_TRUE);
	case COND_ANSWERED:
		return answer_of(answers, c->question) != NULL ? COND_TRUE : COND_FALSE;
	default:
		a = answer_of(answers, c->question);
		if (a == NULL)
			return COND_UNKNOWN;
		return compare_leaf(c, a) ? COND_TRUE : COND_FALSE;
	}
}

int cond_visit(const struct cond *c, int (*fn)(const struct cond *node, void *ctx), void *ctx)
{
	size_t i;
	int r;

	if (c == NULL)
		return 0;
	r = fn(c, ctx);
	if (r != 0)
		return r;
	for (i = 0; i < c->nkids; i++) {
		r = cond_visit(c->kids[i], fn, ctx);
		if (r != 0)
			return r;
	}
	return 0;
}
