/*
 * credit.c — the credit grade rules (credit.h). The table below is the
 * whole model: every weight and period the platform uses is here, and
 * docs/api-supervision.md "Credit rules" prints the same table.
 */
#include "core/credit.h"

#include <string.h>

#include "core/date.h"

static const char *const kind_names[CREDIT_KIND_COUNT] = {
    "penalty",    "abnormal_list",           "failed_check", "broken_commitment",
    "revocation", "complaint_substantiated", "manual",
};

static const char *const kind_labels[CREDIT_KIND_COUNT] = {
    "行政处罚",   "列入经营异常名录", "抽查检查不合格",   "承诺不实",
    "吊销许可证", "投诉举报查实",     "监管人员信用记录",
};

/* Our model (credit.h): one year for minor and general facts, three for
 * serious ones, five for a revocation; an abnormal-list entry counts until
 * the entity files. */
const struct credit_rule credit_rules[] = {
    {CREDIT_PENALTY, "penalty", "minor", "行政处罚（警告、通报批评）", 1, 365, false, false},
    {CREDIT_PENALTY, "penalty", "general", "行政处罚（罚款、没收）", 3, 365, false, false},
    {CREDIT_PENALTY, "penalty", "serious",
     "行政处罚（大额罚款、暂扣或吊销许可证件、责令停产停业等）", 6, 3 * 365, false, false},
    {CREDIT_ABNORMAL_LIST, "abnormal_list", NULL, "列入经营异常名录（未按期年报）", 4, 0, false,
     true},
    {CREDIT_FAILED_CHECK, "failed_check", NULL, "抽查检查结果为不合格", 3, 365, false, false},
    {CREDIT_BROKEN_COMMITMENT, "broken_commitment", NULL, "告知承诺核查发现承诺不实", 6, 3 * 365,
     true, false},
    {CREDIT_REVOCATION, "revocation", NULL, "许可证被吊销", 10, 5 * 365, true, false},
    {CREDIT_COMPLAINT_SUBSTANTIATED, "complaint_substantiated", NULL, "投诉举报经查属实", 1, 365,
     false, false},
    {CREDIT_MANUAL, "manual", "minor", "监管人员记录（轻微）", 1, 365, false, false},
    {CREDIT_MANUAL, "manual", "general", "监管人员记录（一般）", 3, 365, false, false},
    {CREDIT_MANUAL, "manual", "serious", "监管人员记录（严重）", 6, 3 * 365, false, false},
};
const size_t credit_rules_count = sizeof(credit_rules) / sizeof(credit_rules[0]);

/* 行政处罚法 (2021) art. 9, the kinds an enterprise can receive (行政拘留
 * applies to persons only and is left out). */
const struct credit_penalty_kind credit_penalty_kinds[] = {
    {"warning", "警告", "minor", false, false},
    {"circulate", "通报批评", "minor", false, false},
    {"fine", "罚款", "general", true, false},
    {"confiscate", "没收违法所得、没收非法财物", "general", true, false},
    {"suspend_license", "暂扣许可证件", "serious", false, false},
    {"downgrade", "降低资质等级", "serious", false, false},
    {"revoke_license", "吊销许可证件", "serious", false, true},
    {"restrict", "限制开展生产经营活动", "serious", false, false},
    {"suspend_business", "责令停产停业", "serious", false, false},
    {"close", "责令关闭", "serious", false, false},
    {"restrict_practice", "限制从业", "serious", false, false},
};
const size_t credit_penalty_kinds_count =
    sizeof(credit_penalty_kinds) / sizeof(credit_penalty_kinds[0]);

int credit_kind_parse(const char *name)
{
	for (int k = 0; name && k < CREDIT_KIND_COUNT; k++)
		if (strcmp(kind_names[k], name) == 0)
			return k;
	return -1;
}

const char *credit_kind_name(enum credit_kind kind)
{
	return (unsigned)kind < CREDIT_KIND_COUNT ? kind_names[kind] : "";
}

const char *credit_kind_label(enum credit_kind kind)
{
	return (unsigned)kind < CREDIT_KIND_COUNT ? kind_labels[kind] : "";
}

const struct credit_rule *credit_rule_of(enum credit_kind kind, const char *severity)
{
	const struct credit_rule *any = NULL;

	for (size_t i = 0; i < credit_rules_count; i++) {
		const struct credit_rule *r = &credit_rules[i];

		if (r->kind != kind)
			continue;
		if (r->severity == NULL)
			any = r;
		else if (severity && strcmp(r->severity, severity) == 0)
			return r;
	}
	return any;
}

const struct credit_penalty_kind *credit_penalty_kind(const char *code)
{
	for (size_t i = 0; code && i < credit_penalty_kinds_count; i++)
		if (strcmp(credit_penalty_kinds[i].code, code) == 0)
			return &credit_penalty_kinds[i];
	return NULL;
}

const char *credit_penalty_severity(const struct credit_penalty_kind *pk, int64_t amount)
{
	if (pk->needs_amount && amount >= CREDIT_SERIOUS_FINE)
		return "serious";
	return pk->severity;
}

bool credit_fact_in_force(const struct credit_fact *f, int today)
{
	if (f->day > today)
		return false; /* not yet: a decision dated later */
	if (f->cleared_on && f->cleared_on <= today)
		return false;
	return f->expires_on == 0 || today < f->expires_on;
}

int credit_expiry(const struct credit_rule *r, int day)
{
	return r->valid_days ? day + r->valid_days : 0;
}

const char *credit_grade_label(char grade)
{
	switch (grade) {
	case 'A':
		return "低风险";
	case 'B':
		return "一般风险";
	case 'C':
		return "较高风险";
	case 'D':
		return "高风险";
	default:
		return "";
	}
}

static bool kind_forces(enum credit_kind kind, bool d)
{
	const struct credit_rule *r = credit_rule_of(kind, NULL);

	for (size_t i = 0; r == NULL && i < credit_rules_count; i++)
		if (credit_rules[i].kind == kind)
			r = &credit_rules[i];
	return r && (d ? r->forces_d : r->forces_c);
}

static json_t *day_json(int day)
{
	char s[16];

	if (day == 0)
		return json_null();
	date_format(day, s, sizeof(s));
	return json_string(s);
}

int credit_grade_compute(const struct credit_fact *facts, size_t n, int today,
			 struct credit_grade_result *out, json_t **why)
{
	json_t *list = why ? json_array() : NULL;
	bool force_d = false, force_c = false;
	int points = 0;

	if (why && list == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct credit_fact *f = &facts[i];

		if (!credit_fact_in_force(f, today))
			continue;
		points += f->points;
		force_d |= kind_forces(f->kind, true);
		force_c |= kind_forces(f->kind, false);
		if (list &&
		    json_array_append_new(
			list, json_pack("{s:I,s:s,s:s,s:i,s:o,s:o}", "id", (json_int_t)f->id,
					"kind", credit_kind_name(f->kind), "label",
					credit_kind_label(f->kind), "points", f->points, "day",
					day_json(f->day), "expires_on", day_json(f->expires_on))) <
			0) {
			json_decref(list);
			return -1;
		}
	}
	out->points = points;
	if (force_d) {
		out->grade = 'D';
		out->rule = "forces_d";
		out->text = "存在吊销许可证或承诺不实记录，直接评为 D 级（高风险）";
	} else if (points >= CREDIT_D_POINTS) {
		out->grade = 'D';
		out->rule = "points";
		out->text = "有效记录分值合计 ≥ 10，评为 D 级（高风险）";
	} else if (force_c || points >= CREDIT_C_POINTS) {
		out->grade = 'C';
		out->rule = force_c ? "forces_c" : "points";
		out->text = force_c ? "列入经营异常名录期间至少评为 C 级（较高风险）"
				    : "有效记录分值合计 ≥ 6，评为 C 级（较高风险）";
	} else if (points >= 1) {
		out->grade = 'B';
		out->rule = "points";
		out->text = "有效记录分值合计 1–5，评为 B 级（一般风险）";
	} else {
		out->grade = 'A';
		out->rule = "none";
		out->text = "无有效信用记录，评为 A 级（低风险）";
	}
	if (why) {
		char g[2] = {out->grade, '\0'};

		*why = json_pack("{s:s,s:s,s:i,s:s,s:s,s:b,s:o}", "grade", g, "label",
				 credit_grade_label(out->grade), "points", points, "rule",
				 out->rule, "text", out->text, "model", 1, "records", list);
		if (*why == NULL)
			return -1;
	}
	return 0;
}

json_t *credit_rules_json(void)
{
	json_t *rules = json_array(), *kinds = json_array();

	for (size_t i = 0; i < credit_rules_count; i++) {
		const struct credit_rule *r = &credit_rules[i];

		json_array_append_new(rules,
				      json_pack("{s:s,s:s?,s:s,s:i,s:i,s:b,s:b}", "kind", r->name,
						"severity", r->severity, "label", r->label,
						"points", r->points, "valid_days", r->valid_days,
						"forces_d", r->forces_d, "forces_c", r->forces_c));
	}
	for (size_t i = 0; i < credit_penalty_kinds_count; i++) {
		const struct credit_penalty_kind *p = &credit_penalty_kinds[i];

		json_array_append_new(kinds,
				      json_pack("{s:s,s:s,s:s,s:b,s:b}", "code", p->code, "label",
						p->label, "severity", p->severity, "needs_amount",
						p->needs_amount, "revokes", p->revokes));
	}
	return json_pack(
	    "{s:b,s:s,s:{s:i,s:i,s:I},s:o,s:o}", "model", 1, "note",
	    "A/B/C/D 分级依据国市监信发〔2022〕6号；具体分值、有效期和阈值为本平台的模型规则，"
	    "非国家统一评分标准",
	    "thresholds", "d_points", CREDIT_D_POINTS, "c_points", CREDIT_C_POINTS, "serious_fine",
	    (json_int_t)CREDIT_SERIOUS_FINE, "rules", rules, "penalty_kinds", kinds);
}
