/*
 * test_backup.c — `yiye backup` / `yiye restore` round trip on the backend
 * under test: data created through the API (an applicant registration) and
 * the CLI (a calendar year) before the backup survives, data created after it
 * is gone after the restore; a restore is refused while a server uses the
 * database, and a file that is not a backup is rejected without touching it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/ident.h"
#include "harness.h"

static struct server srv;
static char backup_file[400], year_file[400];

static int setup(void **st)
{
	FILE *f;

	(void)st;
	if (server_start(&srv, 1, NULL) < 0)
		return -1;
	snprintf(backup_file, sizeof(backup_file), "%s.backup", srv.dir);
	snprintf(year_file, sizeof(year_file), "%s.2031.json", srv.dir);
	f = fopen(year_file, "w");
	if (f == NULL)
		return -1;
	fputs("{\"year\": 2031, \"source\": \"测试\", \"holidays\": [{\"date\": \"2031-01-01\", "
	      "\"name\": \"元旦\"}], \"workdays\": []}\n",
	      f);
	fclose(f);
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	server_stop(&srv, 0);
	unlink(backup_file);
	unlink(year_file);
	return 0;
}

/* Registers an applicant; returns the HTTP status (404: no such endpoint). */
static long register_applicant(const char *username, int serial)
{
	char uscc[19], name[64];
	struct resp r;
	long status;

	test_uscc(serial, uscc);
	snprintf(name, sizeof(name), "备份测试企业%d", serial);
	assert_int_equal(http_json(&srv, "POST", "/api/v1/registrations",
				   json_pack("{s:s,s:s,s:s,s:s,s:s}", "username", username,
					     "password", "Backup-pass-2025", "uscc", uscc, "name",
					     name, "phone", "13800138000"),
				   &r),
			 0);
	status = r.status;
	if (status != 201 && status != 404)
		fprintf(stderr, "register %s: %ld %s\n", username, r.status, r.body);
	resp_free(&r);
	return status;
}

static long login_status(const char *username)
{
	struct resp r;
	long status;

	assert_int_equal(
	    http_json(&srv, "POST", "/api/v1/session",
		      json_pack("{s:s,s:s}", "username", username, "password", "Backup-pass-2025"),
		      &r),
	    0);
	status = r.status;
	resp_free(&r);
	srv.cookies[0] = srv.csrf[0] = '\0';
	return status;
}

static int has_year(int year)
{
	struct resp r;
	char needle[16];
	int found;

	assert_int_equal(http_req(&srv, "GET", "/api/v1/calendar/years", NULL, NULL, 0, NULL, &r),
			 0);
	assert_int_equal(r.status, 200);
	snprintf(needle, sizeof(needle), "%d", year);
	found = strstr(r.body, needle) != NULL;
	resp_free(&r);
	return found;
}

static void test_round_trip(void **st)
{
	const char *import[] = {"calendar", "import", year_file, NULL};
	const char *backup[] = {"backup", "--out", backup_file, NULL};
	const char *restore[] = {"restore", "--in", backup_file, NULL};
	char *out = NULL;
	int api;

	(void)st;
	/* Before the backup: one applicant. */
	api = register_applicant("backup_before", 4101) != 404;
	if (api)
		assert_int_equal(login_status("backup_before"), 200);

	/* Online backup while the server runs. */
	assert_int_equal(server_cli(&srv, &out, backup), 0);
	free(out);
	assert_int_equal(access(backup_file, R_OK), 0);

	/* After the backup: another applicant and a calendar year. */
	if (api)
		assert_int_equal(register_applicant("backup_after", 4102), 201);
	assert_int_equal(server_cli(&srv, NULL, import), 0);

	/* Refused while the server uses the database. */
	assert_int_equal(server_cli(&srv, &out, restore), 3);
	assert_non_null(strstr(out, "yiye serve"));
	free(out);

	server_stop(&srv, 1);
	assert_int_equal(server_cli(&srv, &out, restore), 0);
	free(out);
	assert_int_equal(server_restart(&srv, NULL), 0);

	/* The state of the backup: 2031 was imported after it. */
	assert_true(has_year(2025));
	assert_false(has_year(2031));
	if (api) {
		assert_int_equal(login_status("backup_before"), 200);
		assert_int_equal(login_status("backup_after"), 401);
		/* The restored database accepts writes again. */
		assert_int_equal(register_applicant("backup_again", 4103), 201);
	}
}

static void test_bad_input(void **st)
{
	char bogus[400], *out = NULL;
	const char *restore[] = {"restore", "--in", bogus, NULL};
	const char *missing[] = {"restore", NULL};
	FILE *f;

	(void)st;
	snprintf(bogus, sizeof(bogus), "%s.bogus", srv.dir);
	f = fopen(bogus, "w");
	assert_non_null(f);
	fputs("this is not a database backup\n", f);
	fclose(f);
	server_stop(&srv, 1);
	assert_int_not_equal(server_cli(&srv, &out, restore), 0);
	assert_non_null(strstr(out, "备份"));
	free(out);
	assert_int_equal(server_cli(&srv, NULL, missing), 2);
	unlink(bogus);
	/* The database is untouched. */
	assert_int_equal(server_restart(&srv, NULL), 0);
	assert_true(has_year(2025));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_bad_input),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
