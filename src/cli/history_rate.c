/*
 * history_rate.c — 好差评 in the demo history: 65 percent of the applicants
 * of a completed application rate it (history_app.c decides who), through
 * POST /api/v1/applications/{id}/rating (rating_submit). The level leans
 * on what happened: a license on time is mostly 非常满意 or 满意; a late
 * review, a refusal or a rejection more often 不满意 or worse, which opens
 * the department's 差评整改 follow-up; 85 percent of those are answered by
 * the department's reviewer within 1–8 working days, the rest stay open.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/history.h"

static const char *const comments[6] = {
    NULL,
    "办理时间太长，多次跑窗口，希望改进",
    "补正要求没有一次说清楚",
    "总体还可以，个别环节等待较久",
    "流程清楚，办理顺利",
    "一网通办很方便，一次都没跑",
};

/* Level 1..5: the chance of a bad one grows with delay and refusal. */
static int level_of(struct hist *h, const struct hist_app *a)
{
	int p = hist_range(h, 0, 99), bad = 8;

	if (a->late)
		bad += 20;
	if (a->fate == HIST_FATE_REFUSE || a->fate == HIST_FATE_REJECT || !a->license[0])
		bad += 12;
	if (p < bad / 2)
		return 1;
	if (p < bad)
		return 2;
	if (p < bad + 10)
		return 3;
	if (p < bad + 35)
		return 4;
	return 5;
}

static void followup_add(struct hist *h, int64_t id, const char *dept)
{
	struct hist_followup *f;

	if (h->nfollowups == h->capfollowups) {
		h->capfollowups = h->capfollowups ? h->capfollowups * 2 : 64;
		h->followups = realloc(h->followups, h->capfollowups * sizeof(*h->followups));
		if (h->followups == NULL)
			abort();
	}
	f = &h->followups[h->nfollowups];
	f->id = id;
	snprintf(f->dept, sizeof(f->dept), "%s", dept);
	h->n_followups++;
	if (hist_chance(h, 85))
		hist_push(h,
			  hist_at(h, hist_workday_after(h, h->app->sim_now, hist_range(h, 1, 8))),
			  HEV_APP_FOLLOWUP, (int)h->nfollowups);
	h->nfollowups++;
}

int hist_rate(struct hist *h, const struct hist_app *a)
{
	struct principal applicant;
	char path[128];
	json_t *out = NULL, *f;
	int level = level_of(h, a);
	size_t i;

	if (hist_principal(h, a->applicant, &applicant) < 0)
		return -1;
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/rating", (long long)a->id);
	if (hist_call(h, &applicant, "POST", path,
		      json_pack("{s:i,s:s?}", "level", level, "comment", comments[level]), NULL, 0,
		      &out) != 201) {
		json_decref(out);
		return -1;
	}
	json_array_foreach (json_object_get(json_object_get(out, "rating"), "followups"), i, f) {
		const json_t *d = json_object_get(f, "department");
		const char *code = json_is_string(d)
				       ? json_string_value(d)
				       : json_string_value(json_object_get(d, "code"));

		if (code)
			followup_add(h, json_integer_value(json_object_get(f, "id")), code);
	}
	json_decref(out);
	return 0;
}

void hist_followup_reply(struct hist *h, int idx)
{
	const struct hist_followup *f = &h->followups[idx];
	struct hist_staff *st = hist_staff_of(h, f->dept);
	const struct principal *who = st && st->has_reviewer     ? &st->reviewer
				      : st && st->has_supervisor ? &st->supervisor
								 : NULL;
	char path[96];

	if (who == NULL)
		who = &h->clerk;
	snprintf(path, sizeof(path), "/api/v1/ratings/followups/%lld/reply", (long long)f->id);
	if (hist_call(
		h, who, "POST", path,
		json_pack(
		    "{s:s}", "reply",
		    "已约谈经办人员并改进流程：补正一次性告知、审查按承诺时限办结。感谢监督。"),
		NULL, 0, NULL) == 200)
		h->n_replies++;
}
