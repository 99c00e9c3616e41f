/*
 * test_trust.c — 跨地区互认 (issue 14 point 7) on both backends: a license
 * issued by a second deployment (its own data directory, database and
 * signing key) fails `yiye verify` here before `yiye trust add` of that
 * deployment's published keys and verifies after, naming the district;
 * the public trusted-keys list carries the set; our own keys cannot be
 * added as another district's; a forged payload still fails; after `yiye
 * trust remove` the license fails again.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness_license.h"

static struct server here, there;

/* `yiye ARGS…` against `here`: the exit status; *out its output. */
static int cli(char **out, const char *const *args)
{
	*out = NULL;
	return server_cli(&here, out, args);
}

static void expect_cli(const char *const *args, int status, const char *needle)
{
	char *out = NULL;
	int rc = cli(&out, args);

	if (rc != status || (needle && strstr(out, needle) == NULL))
		fprintf(stderr, "yiye %s %s: exit %d: %s\n", args[0], args[1], rc, out);
	assert_int_equal(rc, status);
	if (needle)
		assert_non_null(strstr(out, needle));
	free(out);
}

static void test_second_deployment(void **state)
{
	struct lic_holder h, mine;
	char url[200], keys_there[400], keys_here[400], forged[2100], *out = NULL;
	const char *qr, *qr_mine;
	json_t *lic, *lic_mine;
	struct resp r;
	char *p;

	(void)state;
	lic = lic_issue(&there, lic_approved_shudian(&there, "长宁互认测试书店", &h));
	qr = lic_str(lic, "qr_text");
	assert_non_null(strstr(qr, "#YL1."));
	lic_mine = lic_issue(&here, lic_approved_shudian(&here, "本区测试书店", &mine));
	qr_mine = lic_str(lic_mine, "qr_text");

	/* before: our keys refuse the other deployment's signature (both key
	 * ids are k<date>a: a kid says nothing about whose key it is) */
	expect_cli((const char *const[]){"verify", qr, NULL}, 1, "无效 INVALID");
	expect_cli((const char *const[]){"verify", qr_mine, NULL}, 0, "有效 VALID");

	/* our own keys are not another district's */
	snprintf(keys_here, sizeof(keys_here), "%s/keys/keys.json", here.dir);
	expect_cli((const char *const[]){"trust", "add", keys_here, "--district", "310105",
					 "--name", "长宁区", NULL},
		   1, "本平台自己的签名公钥");
	expect_cli((const char *const[]){"trust", "add", keys_here, "--district", "31010", "--name",
					 "长宁区", NULL},
		   1, "区划代码");

	/* trust the published set of the second deployment, by its URL */
	snprintf(url, sizeof(url), "%s/.well-known/yiye/keys.json", there.base);
	expect_cli((const char *const[]){"trust", "add", url, "--district", "310105", "--name",
					 "长宁区", NULL},
		   0, "已添加 长宁区（310105）");
	expect_cli((const char *const[]){"verify", qr, NULL}, 0, "长宁区（310105）");
	expect_cli((const char *const[]){"verify", qr, NULL}, 0, "跨地区互认");
	/* our own license is still ours, not the trusted district's */
	assert_int_equal(cli(&out, (const char *const[]){"verify", qr_mine, NULL}), 0);
	assert_null(strstr(out, "跨地区互认"));
	free(out);
	/* a forged payload (another holder) fails with every key */
	snprintf(forged, sizeof(forged), "%s", qr);
	p = strstr(forged, h.uscc);
	assert_non_null(p);
	p[17] = p[17] == '0' ? '1' : '0';
	expect_cli((const char *const[]){"verify", forged, NULL}, 1, "INVALID");

	/* listed, and published for the public verify page */
	expect_cli((const char *const[]){"trust", "list", NULL}, 0, "310105  长宁区");
	lic_as(&here, NULL);
	http_req(&here, "GET", "/.well-known/yiye/trusted-keys.json", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	{
		json_t *d = json_array_get(json_object_get(r.json, "districts"), 0);

		assert_string_equal(lic_str(d, "district"), "310105");
		assert_string_equal(lic_str(d, "name"), "长宁区");
		assert_true(json_array_size(json_object_get(d, "keys")) >= 1);
		assert_null(json_object_get(d, "origin"));
	}
	resp_free(&r);

	/* the file form of the same set replaces it */
	snprintf(keys_there, sizeof(keys_there), "%s/keys/keys.json", there.dir);
	expect_cli((const char *const[]){"trust", "add", keys_there, "--district", "310105",
					 "--name", "长宁区", NULL},
		   0, "已更新");
	expect_cli((const char *const[]){"verify", qr, NULL}, 0, "长宁区（310105）");

	/* removed: refused again */
	expect_cli((const char *const[]){"trust", "remove", "310105", NULL}, 0, "已删除");
	expect_cli((const char *const[]){"trust", "remove", "310105", NULL}, 1, "没有添加过地区");
	expect_cli((const char *const[]){"verify", qr, NULL}, 1, "无效 INVALID");
	json_decref(lic);
	json_decref(lic_mine);
}

static int setup(void **state)
{
	(void)state;
	setenv("YIYE_TODAY", LIC_TODAY, 1);
	if (server_start(&here, 1, NULL) != 0)
		return -1;
	return server_start(&there, 1, NULL);
}

static int teardown(void **state)
{
	(void)state;
	server_stop(&there, 0);
	server_stop(&here, 0);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_second_deployment),
	};

	curl_global_init(CURL_GLOBAL_DEFAULT);
	return cmocka_run_group_tests(tests, setup, teardown);
}
