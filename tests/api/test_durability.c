/*
 * test_durability.c — an acknowledged write survives a crash: registrations
 * answered 201 are all there after the server is killed with SIGKILL (no
 * chance to flush or close anything) and started again, and the audit chain
 * written alongside them still verifies.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "harness.h"

#define N_WRITES 20

static struct server srv;

static int setup(void **state)
{
	(void)state;
	return server_start(&srv, 1, NULL);
}

static int teardown(void **state)
{
	(void)state;
	server_stop(&srv, 0);
	return 0;
}

static void test_acknowledged_writes_survive_sigkill(void **state)
{
	char username[32], uscc[19], name[64], *out = NULL;
	const char *verify[] = {"audit", "verify", NULL};
	struct resp r;
	int status;

	(void)state;
	for (int i = 0; i < N_WRITES; i++) {
		snprintf(username, sizeof(username), "durable%02d", i);
		snprintf(name, sizeof(name), "持久性测试企业%02d", i);
		test_uscc(7000u + (unsigned)i, uscc);
		http_json(&srv, "POST", "/api/v1/registrations",
			  json_pack("{s:s,s:s,s:s,s:s,s:s}", "username", username, "password",
				    "Durable-pass-2026", "uscc", uscc, "name", name, "phone",
				    "13800138000"),
			  &r);
		if (r.status != 201)
			fprintf(stderr, "%s\n", r.body);
		assert_int_equal(r.status, 201);
		resp_free(&r);
	}

	/* Crash: no shutdown path runs. */
	kill(srv.pid, SIGKILL);
	waitpid(srv.pid, &status, 0);
	srv.pid = 0;
	curl_easy_cleanup(srv.curl);
	srv.curl = NULL;
	srv.cookies[0] = srv.csrf[0] = '\0';
	assert_int_equal(server_restart(&srv, NULL), 0);

	/* Every acknowledged account is there and works. */
	for (int i = 0; i < N_WRITES; i++) {
		snprintf(username, sizeof(username), "durable%02d", i);
		assert_int_equal(login(&srv, username, "Durable-pass-2026"), 0);
		http_req(&srv, "DELETE", "/api/v1/session", NULL, NULL, 0, NULL, &r);
		resp_free(&r);
		srv.cookies[0] = srv.csrf[0] = '\0';
	}
	assert_int_equal(login(&srv, "admin", demo_password(&srv, "admin")), 0);
	http_req(&srv, "GET", "/api/v1/users?q=durable&limit=100", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), N_WRITES);
	resp_free(&r);

	/* The audit trail written in the same transactions is intact. */
	assert_int_equal(server_cli(&srv, &out, verify), 0);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_acknowledged_writes_survive_sigkill),
	};
	return cmocka_run_group_tests_name("api.durability", tests, setup, teardown);
}
