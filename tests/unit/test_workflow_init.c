/*
 * test_workflow_init.c — building an application's workflow state from its
 * notice (departments, inspections waived by commitments, the 告知承诺 path,
 * verification periods) and what each department sees of it, on hand-built
 * notices and on the shipped catalog's 便利店.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit_catalog.h"
#include "core/workflow.h"

/* ---- workflow_init from a notice ---- */

static struct catalog_condition food_conds[] = {
    {"C_food_site", "场所", "场所", true},
    {"C_food_equipment", "设备", "设备", false},
};
static struct catalog_condition alc_conds[] = {
    {"C_alc_a", "场所", "a", true},
    {"C_alc_b", "管理制度", "b", true},
};
static struct catalog_condition drug_conds[] = {
    {"C_drug_a", "人员", "a", true},
};

static void notice3(struct guide_result *g, struct catalog_permit *p, struct guide_permit *gp,
		    struct guide_commitment *gc)
{
	memset(g, 0, sizeof(*g));
	memset(p, 0, 3 * sizeof(*p));
	memset(gp, 0, 3 * sizeof(*gp));
	p[0].code = "P_food_sale";
	p[0].department = "scjgj";
	p[0].committed_days = 4;
	p[0].inspection = true;
	p[0].conditions = food_conds;
	p[0].nconditions = 2;
	p[1].code = "P_alcohol_retail";
	p[1].department = "swj";
	p[1].committed_days = 3;
	p[1].conditions = alc_conds;
	p[1].nconditions = 2;
	p[2].code = "P_drug_retail";
	p[2].department = "scjgj";
	p[2].committed_days = 6;
	p[2].inspection = true;
	p[2].conditions = drug_conds;
	p[2].nconditions = 1;
	gp[0].permit = &p[0];
	gp[1].permit = &p[1];
	gp[2].permit = &p[2];
	g->permits = gp;
	g->npermits = 3;
	gc[0].permit = &p[0];
	gc[0].condition = &food_conds[0];
	gc[1].permit = &p[1];
	gc[1].condition = &alc_conds[0];
	gc[2].permit = &p[1];
	gc[2].condition = &alc_conds[1];
	gc[3].permit = &p[2];
	gc[3].condition = &drug_conds[0];
	g->commitments = gc;
	g->ncommitments = 4;
}

static void test_init_from_notice(void **state)
{
	static const char *const some[] = {"C_alc_a", "C_alc_b", "C_drug_a", "C_alc_a"};
	static const char *const bad[] = {"C_alc_a", "C_food_equipment"};
	static const struct wf_period periods[] = {{"P_alcohol_retail", 10}};
	struct catalog_permit p[3];
	struct guide_permit gp[3];
	struct guide_commitment gc[4];
	struct guide_result g;
	struct wf_app a;
	struct yerr err = {0};

	(void)state;
	notice3(&g, p, gp, gc);
	assert_int_equal(workflow_init(&a, &g, NULL, 0, NULL, 0, 20, 1, &err), 0);
	assert_int_equal(a.status, APP_DRAFT);
	assert_int_equal(a.acceptance_days, 1);
	assert_int_equal(a.ndepts, 2); /* scjgj's two permits make one department */
	assert_string_equal(a.depts[0].code, "scjgj");
	assert_int_equal(a.depts[0].review_days, 6); /* the longer of its permits */
	assert_int_equal(a.depts[0].inspect, WF_INSPECT_PENDING);
	assert_string_equal(a.depts[1].code, "swj");
	assert_int_equal(a.depts[1].inspect, WF_INSPECT_NONE);
	assert_int_equal(a.npermits, 3);
	assert_false(a.all_committed);

	/* a commitment the notice does not offer */
	assert_int_equal(workflow_init(&a, &g, bad, 2, NULL, 0, 20, 1, &err), -1);
	assert_int_equal(err.status, 400);
	assert_string_equal(err.code, "invalid_commitment");
	assert_string_equal(err.field, "commitments[1]");

	/* drug conditions all committed: its inspection is waived, the food one stays */
	assert_int_equal(workflow_init(&a, &g, some, 4, periods, 1, 20, 1, &err), 0);
	assert_int_equal(a.permits[1].committed, 2); /* the duplicate counts once */
	assert_int_equal(a.permits[1].verify_days, 10);
	assert_int_equal(a.permits[2].committed, 1);
	assert_int_equal(a.permits[2].verify_days, 20);
	assert_int_equal(a.depts[0].inspect, WF_INSPECT_PENDING); /* food still needs one */
	assert_false(a.all_committed);

	/* too many, or no permit at all */
	g.npermits = WF_MAX_PERMITS + 1;
	assert_int_equal(workflow_init(&a, &g, NULL, 0, NULL, 0, 20, 1, &err), -1);
	assert_string_equal(err.code, "too_many_permits");
	g.npermits = 0;
	assert_int_equal(workflow_init(&a, &g, NULL, 0, NULL, 0, 20, 1, &err), -1);
	assert_string_equal(err.code, "no_permits");
	assert_string_equal(err.field, "answers");

	/* without food: every condition committed → the 告知承诺 path */
	g.npermits = 2;
	gp[0] = gp[2];
	assert_int_equal(workflow_init(&a, &g, some, 3, NULL, 0, 20, 1, &err), 0);
	assert_true(a.all_committed);
	assert_int_equal(a.depts[0].inspect, WF_INSPECT_NONE);
}

static const struct wf_dept *dept_code_check(const struct wf_app *a, const char *code)
{
	size_t i;

	for (i = 0; i < a->ndepts; i++)
		if (strcmp(a->depts[i].code, code) == 0)
			return &a->depts[i];
	return NULL;
}

/* The shipped catalog's 便利店: departments and inspections follow the notice. */
static void test_init_shipped_catalog(void **state)
{
	struct catalog *cat = unit_catalog_load("catalog");
	struct guide_result g;
	struct wf_app a;
	struct yerr err = {0};
	size_t i, j;
	json_t *answers;

	(void)state;
	answers =
	    json_pack("{sb sb sb sb sb sb si sb}", "q_alcohol", 1, "q_alcohol_bulk", 0, "q_tobacco",
		      1, "q_drug", 1, "q_device2", 1, "q_hot_food", 0, "q_area", 120, "q_sign", 0);
	if (guide_run(cat, "bianlidian", answers, &g, &err) != 0)
		fail_msg("guide: %s %s", err.field, err.message);
	assert_int_equal(workflow_init(&a, &g, NULL, 0, NULL, 0, 20, 1, &err), 0);
	assert_int_equal(a.npermits, g.npermits);
	for (i = 0; i < g.npermits; i++)
		assert_non_null(dept_code_check(&a, g.permits[i].permit->department));
	for (i = 0; i < g.ninspection; i++) {
		bool found = false;

		for (j = 0; j < a.ndepts; j++)
			if (strcmp(a.depts[j].code, g.inspection_departments[i]->code) == 0)
				found = a.depts[j].inspect == WF_INSPECT_PENDING;
		assert_true(found);
	}
	/* what each department sees */
	{
		bool *vm = calloc(g.nmaterials + 1, sizeof(bool));
		bool *vf = calloc(g.nfields + 1, sizeof(bool));
		bool seen_alc_supply = false, seen_alc_kind = false, seen_form = false;

		assert_int_equal(workflow_department_view(&g, "gafj", vm, vf), 0);
		assert_int_equal(workflow_department_view(&g, NULL, vm, vf), 0);
		assert_true(workflow_department_view(&g, "scjgj", vm, vf) >= 1);
		for (i = 0; i < g.nmaterials; i++) {
			const char *id = g.materials[i].material->id;

			if (strcmp(id, "M_alc_supply") == 0)
				seen_alc_supply |= vm[i];
			if (strcmp(id, "M_application_form") == 0)
				seen_form |= vm[i];
		}
		for (i = 0; i < g.nfields; i++)
			if (strcmp(g.fields[i]->id, "F_alc_kind") == 0)
				seen_alc_kind |= vf[i];
		/* the market regulator does not see commerce's alcohol documents */
		assert_false(seen_alc_supply);
		assert_false(seen_alc_kind);
		assert_true(seen_form);
		assert_int_equal(workflow_department_view(&g, "swj", vm, vf), 1);
		for (i = 0; i < g.nmaterials; i++)
			if (strcmp(g.materials[i].material->id, "M_alc_supply") == 0)
				assert_true(vm[i]);
		for (i = 0; i < g.nfields; i++) {
			if (strcmp(g.fields[i]->id, "F_alc_kind") == 0)
				assert_true(vf[i]);
			/* food-only fields are the market regulator's */
			if (strcmp(g.fields[i]->id, "F_food_mode") == 0)
				assert_false(vf[i]);
		}
		free(vm);
		free(vf);
	}
	guide_result_free(&g);
	json_decref(answers);
	catalog_free(cat);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_init_from_notice),
	    cmocka_unit_test(test_init_shipped_catalog),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
