/*
 * test_app_durability.c — a kill -9 during a burst of applications and
 * material uploads (issue 11, "Must show"): four clients create 便利店
 * applications, upload every material (distinct bytes each time), fill the
 * form and submit, as fast as they can; once they have had enough answers
 * the server is killed with SIGKILL mid-burst and started again. Then:
 *   - every application answered 201 is there, and every one answered
 *     "submitted" is still submitted;
 *   - every material answered 200 is there with the same sha256, and its
 *     file is on disk under that name with those bytes;
 *   - no material row of any application names a missing file (an orphan
 *     row): each downloads with the sha256 its row records;
 *   - the upload directory holds no leftover temp file.
 * Synchronisation is on progress (a count of acknowledged writes), never on
 * time.
 */
#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness_app.h"

#define CLIENTS 4
#define KILL_AFTER 60 /* acknowledged writes before the kill */
#define MAX_ACKS 4096
#define UPLOAD_BYTES (96 * 1024)

static struct server srv;

/* What the server acknowledged, shared by the clients. */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t progress = PTHREAD_COND_INITIALIZER;
static int acked_writes;
static struct {
	long long app;
	char mid[64];
	char sha[65];
} acked_mat[MAX_ACKS];
static int n_mat;
static struct {
	long long app;
	bool submitted;
} acked_app[MAX_ACKS];
static int n_app;

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static void sha_hex(const void *p, size_t n, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, p, n);
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

static void ack(void)
{
	pthread_mutex_lock(&mu);
	acked_writes++;
	pthread_cond_broadcast(&progress);
	pthread_mutex_unlock(&mu);
}

/* One client: applications one after another until the server dies.
 * Every failure of a request (the connection refused or cut) ends it. */
static void *client(void *arg)
{
	struct server me = srv;
	char *pdf = malloc(UPLOAD_BYTES);
	int self = (int)(long)arg;
	unsigned serial = 0;

	if (pdf == NULL) /* no cmocka assertions off the main thread */
		abort();
	me.curl = curl_easy_init();
	me.cookies[0] = me.csrf[0] = me.bearer[0] = '\0';
	if (login(&me, "applicant", demo_password(&me, "applicant")) != 0)
		goto out;
	for (;;) {
		json_t *answers = app_bianlidian_answers();
		json_t *form = json_object(), *a, *m;
		struct resp r;
		char path[200];
		long long id, version;
		size_t i;
		int slot;

		if (http_json(&me, "POST", "/api/v1/applications",
			      json_pack("{s:s,s:o}", "industry", "bianlidian", "answers", answers),
			      &r) < 0 ||
		    r.status != 201) {
			json_decref(form);
			resp_free(&r);
			break;
		}
		a = json_object_get(r.json, "application");
		id = json_integer_value(json_object_get(a, "id"));
		version = json_integer_value(json_object_get(a, "version"));
		pthread_mutex_lock(&mu);
		slot = n_app < MAX_ACKS ? n_app++ : -1;
		if (slot >= 0)
			acked_app[slot].app = id;
		pthread_mutex_unlock(&mu);
		ack();
		json_array_foreach (json_object_get(json_object_get(a, "notice"), "fields"), i, m)
			if (json_is_true(json_object_get(m, "required")))
				json_object_set_new(form, str(m, "id"), app_field_value(m, 4545));
		{
			json_t *mats = json_deep_copy(
			    json_object_get(json_object_get(a, "notice"), "materials"));

			resp_free(&r);
			json_array_foreach (mats, i, m) {
				int n;

				if (json_is_true(json_object_get(m, "exempt")))
					continue;
				/* distinct bytes every time: a PDF header, then
				 * who / what / when, then padding */
				memset(pdf, ' ', UPLOAD_BYTES);
				n = snprintf(pdf, UPLOAD_BYTES,
					     "%%PDF-1.7\n%% client %d upload %u %s\n", self,
					     serial++, str(m, "id"));
				pdf[n] = '\n';
				snprintf(path, sizeof(path),
					 "/api/v1/applications/%lld/materials/%s", id,
					 str(m, "id"));
				if (http_req(&me, "PUT", path, "application/pdf", pdf, UPLOAD_BYTES,
					     NULL, &r) < 0 ||
				    r.status != 200) {
					resp_free(&r);
					json_decref(mats);
					json_decref(form);
					goto out;
				}
				pthread_mutex_lock(&mu);
				if (n_mat < MAX_ACKS) {
					acked_mat[n_mat].app = id;
					snprintf(acked_mat[n_mat].mid, 64, "%s", str(m, "id"));
					sha_hex(pdf, UPLOAD_BYTES, acked_mat[n_mat].sha);
					n_mat++;
				}
				pthread_mutex_unlock(&mu);
				resp_free(&r);
				ack();
			}
			json_decref(mats);
		}
		snprintf(path, sizeof(path), "/api/v1/applications/%lld", id);
		if (http_json(&me, "PATCH", path,
			      json_pack("{s:o,s:I}", "form", form, "version", version), &r) < 0 ||
		    r.status != 200) {
			resp_free(&r);
			break;
		}
		resp_free(&r);
		snprintf(path, sizeof(path), "/api/v1/applications/%lld/submit", id);
		if (http_req(&me, "POST", path, NULL, NULL, 0, NULL, &r) < 0 || r.status != 200) {
			if (r.status != 0 && r.status != 200)
				fprintf(stderr, "submit: %ld %s\n", r.status, r.body);
			resp_free(&r);
			break;
		}
		resp_free(&r);
		if (slot >= 0) {
			pthread_mutex_lock(&mu);
			acked_app[slot].submitted = true;
			pthread_mutex_unlock(&mu);
		}
		ack();
	}
out:
	curl_easy_cleanup(me.curl);
	free(pdf);
	/* A client that stops early must not leave the main thread waiting. */
	pthread_mutex_lock(&mu);
	acked_writes += KILL_AFTER;
	pthread_cond_broadcast(&progress);
	pthread_mutex_unlock(&mu);
	return NULL;
}

/* Downloads material mid of application id; 0 with its sha256 in hex. */
static int download(long long id, const char *mid, char hex[65])
{
	char path[200];
	struct resp r;
	int rc = -1;

	snprintf(path, sizeof(path), "/api/v1/applications/%lld/materials/%s", id, mid);
	if (http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r) == 0 && r.status == 200) {
		sha_hex(r.body, r.len, hex);
		rc = 0;
	} else {
		fprintf(stderr, "download %lld %s: %ld %s\n", id, mid, r.status,
			r.body ? r.body : "");
	}
	resp_free(&r);
	return rc;
}

static void test_sigkill_during_uploads(void **state)
{
	pthread_t t[CLIENTS];
	char hex[65], path[1200];
	struct resp r;
	struct stat sb;
	int status, checked = 0;

	(void)state;
	for (long i = 0; i < CLIENTS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, client, (void *)i), 0);
	pthread_mutex_lock(&mu);
	while (acked_writes < KILL_AFTER)
		pthread_cond_wait(&progress, &mu);
	pthread_mutex_unlock(&mu);

	/* Crash mid-burst: no shutdown path runs. */
	kill(srv.pid, SIGKILL);
	waitpid(srv.pid, &status, 0);
	srv.pid = 0;
	for (int i = 0; i < CLIENTS; i++)
		pthread_join(t[i], NULL);
	curl_easy_cleanup(srv.curl);
	srv.curl = NULL;
	srv.cookies[0] = srv.csrf[0] = '\0';
	assert_int_equal(server_restart(&srv, NULL), 0);
	assert_int_equal(login(&srv, "applicant", demo_password(&srv, "applicant")), 0);
	fprintf(stderr, "acknowledged: %d applications, %d materials\n", n_app, n_mat);
	assert_true(n_app > 0 && n_mat > 0);

	/* every acknowledged application, in at least its acknowledged state */
	for (int i = 0; i < n_app; i++) {
		snprintf(path, sizeof(path), "/api/v1/applications/%lld", acked_app[i].app);
		http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r);
		assert_int_equal(r.status, 200);
		if (acked_app[i].submitted)
			assert_string_equal(str(json_object_get(r.json, "application"), "status"),
					    "submitted");
		resp_free(&r);
	}
	/* every acknowledged material: the same bytes, under its hash on disk */
	for (int i = 0; i < n_mat; i++) {
		assert_int_equal(download(acked_mat[i].app, acked_mat[i].mid, hex), 0);
		assert_string_equal(hex, acked_mat[i].sha);
		snprintf(path, sizeof(path), "%s/materials/%.2s/%s", srv.dir, hex, hex + 2);
		assert_int_equal(stat(path, &sb), 0);
		assert_int_equal(sb.st_size, UPLOAD_BYTES);
	}
	/* no orphan row: every material row of every application downloads */
	for (long offset = 0;; offset += 100) {
		json_t *items, *it, *m;
		size_t i, k;

		snprintf(path, sizeof(path), "/api/v1/applications?limit=100&offset=%ld", offset);
		http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r);
		assert_int_equal(r.status, 200);
		items = json_deep_copy(json_object_get(r.json, "items"));
		resp_free(&r);
		if (json_array_size(items) == 0) {
			json_decref(items);
			break;
		}
		json_array_foreach (items, i, it) {
			long long id = json_integer_value(json_object_get(it, "id"));

			snprintf(path, sizeof(path), "/api/v1/applications/%lld", id);
			http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r);
			assert_int_equal(r.status, 200);
			json_array_foreach (
			    json_object_get(json_object_get(r.json, "application"), "materials"), k,
			    m) {
				assert_int_equal(download(id, json_string_value(m), hex), 0);
				checked++;
			}
			resp_free(&r);
		}
		json_decref(items);
	}
	assert_true(checked >= n_mat);
	/* the temp files of uploads cut short were swept at the restart */
	{
		struct dirent *de;
		DIR *d;

		snprintf(path, sizeof(path), "%s/materials/tmp", srv.dir);
		d = opendir(path);
		assert_non_null(d);
		while ((de = readdir(d)) != NULL)
			assert_true(de->d_name[0] == '.');
		closedir(d);
	}
}

static int setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	return server_start(&srv, 1, NULL);
}

static int teardown(void **state)
{
	(void)state;
	server_stop(&srv, 0);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sigkill_during_uploads),
	};

	curl_global_init(CURL_GLOBAL_DEFAULT);
	return cmocka_run_group_tests_name("api.app_durability", tests, setup, teardown);
}
