/*
 * test_render_report.c — the monthly report's PDF (src/render/render_report.c)
 * read back with pdftotext, as a reader would: the title and period, every
 * headline figure printed as render_report_number prints it (integers, one
 * decimal, rates as percentages), the chart headings, category labels, values
 * (shares as percentages, savings as they are) and a modelled series named
 * 模型取值; a view without rows says 本期暂无数据; the
 * same report gives the same bytes; a report without its overview is refused.
 *
 * pdftotext (poppler-utils, scripts/deps.sh test) must be on PATH: a missing
 * tool fails the test, it never skips it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render/render_report.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/yiye-report-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A report of the shape report_monthly_build assembles, with known figures. */
static json_t *fixture(void)
{
	json_error_t je;
	json_t *r = json_loads(
	    "{\"month\":\"2026-11\",\"period\":\"2026-11-01 至 2026-11-30\","
	    "\"generated_on\":\"2026-12-01\",\"title\":\"徐汇区一业一证改革成效月度报告\","
	    "\"overview\":{\"applications\":{\"total\":1234,\"by_status\":{},\"by_kind\":{}},"
	    "\"licenses\":{\"issued\":987,\"changed\":12,\"cancelled\":3,\"revoked\":1},"
	    "\"duration\":{\"n\":950,\"mean_days\":4.26,\"median_days\":4,\"p90_days\":7.5,"
	    "\"on_time_rate\":0.9625,\"paused_days_mean\":1.04,\"supplement_rounds_mean\":0.37},"
	    "\"materials\":{\"asked\":5321,\"obtained_by_sharing\":0},"
	    "\"fields\":{\"filled\":40211,\"prefilled\":18877},"
	    "\"savings\":{\"promised\":{\"modelled\":true},\"measured\":{}},"
	    "\"satisfaction\":{\"ratings\":321,\"by_level\":{\"5\":300},"
	    "\"satisfied_rate\":0.875,\"followups_open\":2}},"
	    "\"views\":{"
	    "\"trends\":{\"view\":\"trends\",\"title\":\"月度趋势\",\"columns\":["
	    "{\"key\":\"month\",\"label\":\"月份\"},{\"key\":\"applications\",\"label\":"
	    "\"申请件数\","
	    "\"unit\":\"件\"},{\"key\":\"licensed\",\"label\":\"已发证件数\",\"unit\":\"件\"}],"
	    "\"rows\":[{\"month\":\"2026-10\",\"applications\":1100,\"licensed\":901},"
	    "{\"month\":\"2026-11\",\"applications\":1234,\"licensed\":987}]},"
	    "\"departments\":{\"view\":\"departments\",\"title\":\"部门对比\",\"columns\":["
	    "{\"key\":\"department\",\"label\":\"部门代码\"},{\"key\":\"name\",\"label\":\"部门\"},"
	    "{\"key\":\"on_time_rate\",\"label\":\"按承诺时限办结率\",\"unit\":\"比例\"}],"
	    "\"rows\":[{\"department\":\"scjgj\",\"name\":\"区市场监管局\",\"on_time_rate\":0.9125}"
	    "]},"
	    "\"savings\":{\"view\":\"savings\",\"title\":\"减负成效\",\"columns\":["
	    "{\"key\":\"measure\",\"label\":\"指标代码\"},{\"key\":\"label\",\"label\":\"指标\"},"
	    "{\"key\":\"before\",\"label\":\"改革前（目录口径）\",\"modelled\":true},"
	    "{\"key\":\"promised\",\"label\":\"改革后承诺（目录口径）\",\"modelled\":true},"
	    "{\"key\":\"measured\",\"label\":\"实测（办件数据）\"}],"
	    "\"rows\":[{\"measure\":\"days\",\"label\":\"办理时限\",\"before\":95,\"promised\":5,"
	    "\"measured\":4.3},{\"measure\":\"materials\",\"label\":\"申请材料\",\"before\":53,"
	    "\"promised\":10,\"measured\":9.5}]},"
	    "\"supervision\":{\"view\":\"supervision\",\"title\":\"监管\",\"columns\":["
	    "{\"key\":\"key\",\"label\":\"指标代码\"},{\"key\":\"label\",\"label\":\"指标\"},"
	    "{\"key\":\"value\",\"label\":\"数值\"},{\"key\":\"unit\",\"label\":\"单位\"}],"
	    "\"rows\":[{\"key\":\"plans\",\"label\":\"抽查计划数\",\"value\":3,\"unit\":\"个\"},"
	    "{\"key\":\"coverage.A.rate\",\"label\":\"信用A类检查覆盖率\",\"value\":0.5,"
	    "\"unit\":\"比例\"}]},"
	    "\"satisfaction\":{\"view\":\"satisfaction\",\"title\":\"满意度\",\"columns\":["
	    "{\"key\":\"level\",\"label\":\"评价等级\"},{\"key\":\"count\",\"label\":\"评价数\"}],"
	    "\"rows\":[]}}}",
	    0, &je);

	assert_non_null(r);
	return r;
}

/* s without white space: pdftotext spaces CJK next to Latin as it likes. */
static char *squeeze(char *s)
{
	char *w = s;

	for (char *r = s; *r; r++)
		if (*r != ' ' && *r != '\n' && *r != '\t' && *r != '\f' && *r != '\r')
			*w++ = *r;
	*w = '\0';
	return s;
}

static char *pdftotext(const unsigned char *pdf, size_t len)
{
	char path[128], cmd[300];
	size_t cap = 1 << 16, n = 0, got;
	char *out = malloc(cap);
	FILE *f;

	if (system("command -v pdftotext >/dev/null 2>&1") != 0)
		fail_msg(
		    "pdftotext is missing: install it with scripts/deps.sh test (poppler-utils)");
	snprintf(path, sizeof(path), "%s/report.pdf", dir);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(pdf, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	snprintf(cmd, sizeof(cmd), "pdftotext -enc UTF-8 '%s' -", path);
	f = popen(cmd, "r");
	assert_non_null(f);
	assert_non_null(out);
	while ((got = fread(out + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (n + 1 == cap) {
			cap *= 2;
			out = realloc(out, cap);
			assert_non_null(out);
		}
	}
	out[n] = '\0';
	assert_int_equal(pclose(f), 0);
	return out;
}

static void test_number_format(void **state)
{
	char s[32];
	json_t *v;

	(void)state;
	render_report_number(v = json_integer(1234), 0, s, sizeof(s));
	assert_string_equal(s, "1234");
	json_decref(v);
	render_report_number(v = json_real(4.26), 0, s, sizeof(s));
	assert_string_equal(s, "4.3");
	json_decref(v);
	render_report_number(v = json_real(0.9625), 1, s, sizeof(s));
	assert_string_equal(s, "96.2%");
	json_decref(v);
	render_report_number(v = json_integer(1), 1, s, sizeof(s));
	assert_string_equal(s, "100.0%");
	json_decref(v);
	render_report_number(json_null(), 0, s, sizeof(s));
	assert_string_equal(s, "—");
}

static void test_report_text(void **state)
{
	static const char *const want[] = {"徐汇区一业一证改革成效月度报告",
					   "2026-11-01 至 2026-11-30",
					   "核心指标",
					   "申请总数",
					   "1234 件",
					   "987 张",
					   "4.3 个工作日",
					   "7.5 个工作日",
					   "96.2%",
					   "87.5%",
					   "18877",
					   "近 12 个月申请与发证趋势",
					   "2026-10",
					   "1100",
					   "区市场监管局",
					   "91.2%",
					   "承诺与实测对比",
					   "改革前（目录口径）（模型取值）",
					   "办理时限",
					   "95",
					   "4.3",
					   "信用A类检查覆盖率",
					   "50.0%",
					   "本期暂无数据",
					   "第 1 页"};
	json_t *r = fixture();
	unsigned char *pdf = NULL;
	size_t len = 0;
	struct yerr e = {0};
	char *text;

	(void)state;
	assert_int_equal(render_report_pdf(r, &pdf, &len, &e), 0);
	assert_memory_equal(pdf, "%PDF-", 5);
	text = squeeze(pdftotext(pdf, len));
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		char w[128];

		snprintf(w, sizeof(w), "%s", want[i]);
		if (strstr(text, squeeze(w)) == NULL)
			fail_msg("the report lacks \"%s\"", want[i]);
	}
	free(text);
	free(pdf);
	json_decref(r);
}

static void test_reproducible(void **state)
{
	json_t *r = fixture();
	unsigned char *a = NULL, *b = NULL;
	size_t la = 0, lb = 0;
	struct yerr e = {0};

	(void)state;
	assert_int_equal(render_report_pdf(r, &a, &la, &e), 0);
	assert_int_equal(render_report_pdf(r, &b, &lb, &e), 0);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	free(a);
	free(b);
	json_decref(r);
}

static void test_invalid(void **state)
{
	json_t *r = fixture();
	unsigned char *pdf = NULL;
	size_t len = 0;
	struct yerr e = {0};

	(void)state;
	json_object_del(r, "overview");
	assert_int_equal(render_report_pdf(r, &pdf, &len, &e), -1);
	assert_null(pdf);
	assert_string_equal(e.code, "report_invalid");
	assert_string_equal(e.field, "overview");
	json_decref(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_number_format),
	    cmocka_unit_test(test_report_text),
	    cmocka_unit_test(test_reproducible),
	    cmocka_unit_test(test_invalid),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
