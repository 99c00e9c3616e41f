/*
 * test_overload.c — the server refuses early, sheds load and never hangs:
 * authorisation is decided from the headers before a body is received, a
 * burst of password hashing beyond the queue answers 503 busy with
 * Retry-After, and connections that dribble their headers (or trickle a
 * body) are closed by the header deadline (or the minimum body rate) while
 * fresh clients keep being answered.
 *
 * Every loop here is bounded in count and time, talks only to the server on
 * 127.0.0.1 (from 127.0.0.x source addresses, all loopback) and stops by
 * itself. Assertions are on outcomes (answered, refused, closed), never on
 * how fast something happened; the time bounds are generous failsafes.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A TCP connection to the server from source address src (a loopback
 * address), non-blocking once connected; -1 when it cannot be made. */
static int raw_connect(const struct server *s, const char *src)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	inet_pton(AF_INET, src, &a.sin_addr);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
		goto fail;
	a.sin_port = htons((uint16_t)s->port);
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
		goto fail;
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
fail:
	close(fd);
	return -1;
}

static int send_all(int fd, const char *text)
{
	size_t len = strlen(text), off = 0;

	while (off < len) {
		ssize_t n = send(fd, text + off, len - off, MSG_NOSIGNAL);

		if (n < 0 && errno == EAGAIN) {
			struct pollfd p = {.fd = fd, .events = POLLOUT};

			if (poll(&p, 1, 10000) <= 0)
				return -1;
			continue;
		}
		if (n <= 0)
			return -1;
		off += (size_t)n;
	}
	return 0;
}

/* Reads what the server sends until it closes the connection (or resets
 * it), at most max_s seconds. Returns 1 when it closed, 0 when the bound
 * ran out; the bytes read are in buf. */
static int read_until_closed(int fd, char *buf, size_t bufsz, double max_s)
{
	size_t len = 0;
	double end = mono_s() + max_s;

	buf[0] = '\0';
	while (mono_s() < end) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		ssize_t n;

		if (poll(&p, 1, 200) <= 0)
			continue;
		n = recv(fd, buf + len, bufsz - len - 1, 0);
		if (n > 0) {
			len += (size_t)n;
			buf[len] = '\0';
			if (len + 1 >= bufsz)
				len = 0; /* keep only the tail; the status line was seen */
			continue;
		}
		if (n == 0 || errno != EAGAIN)
			return 1;
	}
	return 0;
}

/* Sends the headers of a 50 MB upload and nothing of its body. Returns
 * what the server answered before closing (empty when it did neither
 * within the bound); *closed says whether it closed. */
static void upload_headers_only(struct server *s, const char *path, const char *extra, char *out,
				size_t outsz, int *closed)
{
	char head[6000];
	int fd = raw_connect(s, "127.0.0.1");

	assert_true(fd >= 0);
	snprintf(head, sizeof(head),
		 "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
		 "Content-Length: 52428800\r\n%s\r\n",
		 path, extra ? extra : "");
	assert_int_equal(send_all(fd, head), 0);
	*closed = read_until_closed(fd, out, outsz, 30);
	close(fd);
}

/* Refusals come from the headers: 401 / 403 before 413 / 415, before a
 * byte of the body is received. */
static void test_refused_before_body(void **state)
{
	struct server srv;
	struct resp r;
	char got[8192], extra[5000];
	int closed;

	(void)state;
	assert_int_equal(server_start(&srv, 1, NULL), 0);

	/* anonymous, a well-formed JSON body: 401, not 415 */
	assert_int_equal(
	    http_req(&srv, "POST", "/api/v1/users/1/password-reset", NULL, "{}", 2, NULL, &r), 0);
	assert_error(&r, 401, "unauthenticated", NULL);
	resp_free(&r);
	assert_int_equal(http_req(&srv, "POST", "/api/v1/catalog/versions/1/activate", NULL,
				  "{\"note\":\"x\"}", 12, NULL, &r),
			 0);
	assert_error(&r, 401, "unauthenticated", NULL);
	resp_free(&r);
	/* the wrong content type does not get a 415 out of an anonymous caller */
	assert_int_equal(
	    http_req(&srv, "POST", "/api/v1/users", "text/plain", "hello", 5, NULL, &r), 0);
	assert_error(&r, 401, "unauthenticated", NULL);
	resp_free(&r);
	/* no route: 404 first, whatever the body */
	assert_int_equal(http_req(&srv, "POST", "/api/v1/nothing-here", NULL, "{}", 2, NULL, &r),
			 0);
	assert_int_equal(r.status, 404);
	resp_free(&r);

	/* 50 MB announced, not one byte sent: the answer comes anyway, and the
	 * server closes the connection rather than wait for the body */
	upload_headers_only(&srv, "/api/v1/users/1/password-reset", NULL, got, sizeof(got),
			    &closed);
	assert_non_null(strstr(got, "HTTP/1.1 401"));
	assert_true(closed);
	/* a client that asks first (Expect: 100-continue) is never told to go on */
	upload_headers_only(&srv, "/api/v1/users", "Expect: 100-continue\r\n", got, sizeof(got),
			    &closed);
	assert_null(strstr(got, "100 Continue"));
	assert_non_null(strstr(got, "HTTP/1.1 401"));
	assert_true(closed);

	/* a logged-in user without the permission: 403, also before the body */
	assert_int_equal(login(&srv, "clerk", demo_password(&srv, "clerk")), 0);
	assert_int_equal(
	    http_req(&srv, "POST", "/api/v1/users/1/password-reset", NULL, "{}", 2, NULL, &r), 0);
	assert_error(&r, 403, "forbidden", NULL);
	resp_free(&r);
	snprintf(extra, sizeof(extra), "Cookie: %s\r\nX-CSRF-Token: %s\r\n", srv.cookies, srv.csrf);
	upload_headers_only(&srv, "/api/v1/users", extra, got, sizeof(got), &closed);
	assert_non_null(strstr(got, "HTTP/1.1 403"));
	assert_true(closed);

	/* permitted: now the declared length is judged — 413 before the body */
	assert_int_equal(login(&srv, "admin", demo_password(&srv, "admin")), 0);
	snprintf(extra, sizeof(extra), "Cookie: %s\r\nX-CSRF-Token: %s\r\n", srv.cookies, srv.csrf);
	upload_headers_only(&srv, "/api/v1/users", extra, got, sizeof(got), &closed);
	assert_non_null(strstr(got, "HTTP/1.1 413"));
	assert_true(closed);
	/* … then the content type, still from the headers */
	assert_int_equal(
	    http_req(&srv, "POST", "/api/v1/users", "text/plain", "hello", 5, NULL, &r), 0);
	assert_error(&r, 415, "unsupported_media_type", NULL);
	resp_free(&r);
	/* and a permitted request with a body works as before, on a connection
	 * that is kept */
	assert_int_equal(http_json(&srv, "POST", "/api/v1/departments",
				   json_pack("{s:s,s:s}", "code", "ovl", "name", "早拒部门"), &r),
			 0);
	assert_int_equal(r.status, 201);
	resp_free(&r);
	assert_int_equal(http_req(&srv, "GET", "/api/v1/me", NULL, NULL, 0, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.new_connections, 0);
	resp_free(&r);
	server_stop(&srv, 0);
}

/* An anonymous client pushing a 50 MB body gets its answer and a closed
 * connection long before the body could have been received: the bytes the
 * client manages to hand over stay a small fraction of what it announced
 * (what the sockets' buffers take). */
static void test_large_anonymous_upload(void **state)
{
	struct server srv;
	const size_t total = 50u << 20;
	static char chunk[65536];
	size_t sent = 0;
	char got[8192];
	int fd, closed;

	(void)state;
	assert_int_equal(server_start(&srv, 0, NULL), 0);
	fd = raw_connect(&srv, "127.0.0.1");
	assert_true(fd >= 0);
	assert_int_equal(
	    send_all(fd, "POST /api/v1/catalog/versions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
			 "Content-Type: application/json\r\nContent-Length: 52428800\r\n\r\n"),
	    0);
	memset(chunk, ' ', sizeof(chunk));
	while (sent < total) {
		ssize_t n = send(fd, chunk, sizeof(chunk), MSG_NOSIGNAL);

		if (n > 0) {
			sent += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EAGAIN) {
			struct pollfd p = {.fd = fd, .events = POLLOUT};

			if (poll(&p, 1, 5000) <= 0)
				break; /* the server is not receiving */
			continue;
		}
		break; /* reset or closed by the server */
	}
	closed = read_until_closed(fd, got, sizeof(got), 30);
	close(fd);
	fprintf(stderr, "large anonymous upload: %zu of %zu bytes accepted; answer: %.12s\n", sent,
		total, got);
	/* What the two sockets' buffers can hold (here at most 4 MiB to send
	 * and 32 MiB to receive, and the receiving side only grows when the
	 * server reads) is all that can have left the client. */
	assert_true(sent < total * 4 / 5);
	assert_non_null(strstr(got, "HTTP/1.1 401"));
	assert_true(closed);
	/* the server is fine */
	{
		struct resp r;

		assert_int_equal(http_req(&srv, "GET", "/healthz", NULL, NULL, 0, NULL, &r), 0);
		assert_int_equal(r.status, 200);
		resp_free(&r);
	}
	server_stop(&srv, 0);
}

#define BURST 48

struct burst {
	struct server *srv;
	const char *password;
	pthread_barrier_t *go;
	long status;
	char retry_after[16];
	char code[32];
	int failed; /* transport error or time-out */
};

static void *burst_login(void *arg)
{
	struct burst *b = arg;
	struct server copy = *b->srv;
	struct resp r;
	json_t *body = json_pack("{s:s,s:s}", "username", "clerk", "password", b->password);

	copy.curl = curl_easy_init();
	copy.cookies[0] = copy.csrf[0] = '\0';
	pthread_barrier_wait(b->go);
	if (http_json(&copy, "POST", "/api/v1/session", body, &r) < 0)
		b->failed = 1;
	else {
		b->status = r.status;
		resp_header(&r, "Retry-After", b->retry_after, sizeof(b->retry_after));
		if (r.json)
			snprintf(b->code, sizeof(b->code), "%s",
				 json_string_value(
				     json_object_get(json_object_get(r.json, "error"), "code"))
				     ?: "");
		resp_free(&r);
	}
	curl_easy_cleanup(copy.curl);
	return NULL;
}

/* BURST simultaneous logins at the real argon2id cost against one hash at
 * a time and two waiting: some are served, the rest answer 503 busy with
 * Retry-After at once. Nobody gets a 500, nobody waits past the harness's
 * time-out. */
static void test_hash_burst(void **state)
{
	const char *args[] = {"--hash-queue", "2", NULL};
	char *fast = getenv("YIYE_PWHASH_FAST") ? strdup(getenv("YIYE_PWHASH_FAST")) : NULL;
	struct server srv;
	struct burst b[BURST];
	pthread_t t[BURST];
	pthread_barrier_t go;
	char pw[128];
	int served = 0, busy = 0;

	(void)state;
	unsetenv("YIYE_PWHASH_FAST");
	setenv("YIYE_PWHASH_CONCURRENCY", "1", 1);
	assert_int_equal(server_start(&srv, 1, args), 0);
	unsetenv("YIYE_PWHASH_CONCURRENCY");
	if (fast)
		setenv("YIYE_PWHASH_FAST", fast, 1);
	free(fast);
	snprintf(pw, sizeof(pw), "%s", demo_password(&srv, "clerk"));

	pthread_barrier_init(&go, NULL, BURST);
	for (int i = 0; i < BURST; i++) {
		memset(&b[i], 0, sizeof(b[i]));
		b[i].srv = &srv;
		b[i].password = pw;
		b[i].go = &go;
		assert_int_equal(pthread_create(&t[i], NULL, burst_login, &b[i]), 0);
	}
	for (int i = 0; i < BURST; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&go);
	for (int i = 0; i < BURST; i++) {
		assert_false(b[i].failed);
		if (b[i].status == 200) {
			served++;
			continue;
		}
		if (b[i].status != 503)
			fprintf(stderr, "burst login %d: %ld %s\n", i, b[i].status, b[i].code);
		assert_int_equal(b[i].status, 503);
		assert_string_equal(b[i].code, "busy");
		assert_true(atoi(b[i].retry_after) >= 1);
		busy++;
	}
	fprintf(stderr, "hash burst: %d served, %d busy\n", served, busy);
	assert_true(served >= 1);
	assert_true(busy >= 1);
	/* the queue drained: the next login is served */
	assert_int_equal(login(&srv, "clerk", pw), 0);
	server_stop(&srv, 0);
}

/* Raises the soft descriptor limit so the test can hold n connections. */
static void want_fds(int n)
{
	struct rlimit rl;

	getrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur < (rlim_t)n + 64 && rl.rlim_max >= (rlim_t)n + 64) {
		rl.rlim_cur = (rlim_t)n + 64;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* Opens n connections from src that send the start of a request and no
 * end of its headers. Returns how many connected. */
static int open_slow(struct server *srv, const char *src, int *fds, int n)
{
	int ok = 0;

	for (int i = 0; i < n; i++) {
		fds[i] = raw_connect(srv, src);
		if (fds[i] >= 0 &&
		    send_all(fds[i], "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n") == 0)
			ok++;
	}
	return ok;
}

/* One round over the open slow connections: a closed one (end of stream,
 * reset) is closed here too and counted; an open one gets one more header
 * line. Returns how many are still open. */
static int dribble(int *fds, int n)
{
	int open = 0;

	for (int i = 0; i < n; i++) {
		char c[256];
		ssize_t got;

		if (fds[i] < 0)
			continue;
		got = recv(fds[i], c, sizeof(c), 0);
		if (got == 0 || (got < 0 && errno != EAGAIN) ||
		    send(fds[i], "X-Slow: 1\r\n", 11, MSG_NOSIGNAL) < 0) {
			close(fds[i]);
			fds[i] = -1;
			continue;
		}
		open++;
	}
	return open;
}

static long healthz(struct server *srv)
{
	struct resp r;
	long status;

	if (http_req(srv, "GET", "/healthz", NULL, NULL, 0, NULL, &r) < 0)
		return -1;
	status = r.status;
	resp_free(&r);
	return status;
}

#define SLOW 1000

/* SLOW connections from one address dribbling a header line every 100 ms:
 * a fresh client is answered while they are open, and every one of them is
 * closed by the 2-second header deadline — long before the 60-second idle
 * time-out, which their dribbling would keep resetting anyway. */
static void test_slow_headers_closed(void **state)
{
	const char *args[] = {"--per-ip-connections", "0", "--header-timeout", "2", NULL};
	static int fds[SLOW];
	struct server srv;
	double end;
	int open;

	(void)state;
	want_fds(SLOW);
	assert_int_equal(server_start(&srv, 0, args), 0);
	assert_true(open_slow(&srv, "127.0.0.2", fds, SLOW) > SLOW / 2);
	assert_int_equal(healthz(&srv), 200);
	end = mono_s() + 40; /* failsafe, far below the idle time-out */
	do {
		usleep(100 * 1000);
		open = dribble(fds, SLOW);
	} while (open > 0 && mono_s() < end);
	for (int i = 0; i < SLOW; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	assert_int_equal(open, 0);
	assert_int_equal(healthz(&srv), 200);
	server_stop(&srv, 0);
}

#define TRICKLE 20

/* TRICKLE connections announce a 1,000-byte login body and send it a byte
 * every 100 ms: each is closed by the minimum body rate (after the 2-second
 * grace) with most of its body unsent, and the server keeps answering. */
static void test_slow_body_closed(void **state)
{
	const char *args[] = {"--header-timeout", "2", NULL};
	int fds[TRICKLE], sent = 0, open;
	struct server srv;
	double end;

	(void)state;
	assert_int_equal(server_start(&srv, 0, args), 0);
	for (int i = 0; i < TRICKLE; i++) {
		fds[i] = raw_connect(&srv, "127.0.0.4");
		assert_true(fds[i] >= 0);
		assert_int_equal(send_all(fds[i],
					  "POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\n"
					  "Content-Type: application/json\r\n"
					  "Content-Length: 1000\r\n\r\n{"),
				 0);
	}
	end = mono_s() + 40; /* failsafe: the bodies would take 100 s */
	do {
		usleep(100 * 1000);
		open = 0;
		for (int i = 0; i < TRICKLE; i++) {
			char c[256];
			ssize_t got;

			if (fds[i] < 0)
				continue;
			got = recv(fds[i], c, sizeof(c), 0);
			if (got >= 0 || errno != EAGAIN || send(fds[i], " ", 1, MSG_NOSIGNAL) < 0) {
				close(fds[i]);
				fds[i] = -1;
				continue;
			}
			open++;
		}
		sent++;
	} while (open > 0 && mono_s() < end);
	for (int i = 0; i < TRICKLE; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	assert_int_equal(open, 0);
	assert_true(sent < 999); /* closed with the body still incomplete */
	assert_int_equal(healthz(&srv), 200);
	server_stop(&srv, 0);
}

#define PER_IP 50
#define CROWD 120

/* One address gets PER_IP connections; the rest are closed at once, and
 * another address is still served. The header deadline is long here, so
 * only the per-address limit can close anything during the test. */
static void test_per_address_limit(void **state)
{
	const char *args[] = {"--per-ip-connections", "50", "--header-timeout", "120", NULL};
	static int fds[CROWD];
	struct server srv;
	double end;
	int open;

	(void)state;
	want_fds(CROWD);
	assert_int_equal(server_start(&srv, 0, args), 0);
	assert_int_equal(open_slow(&srv, "127.0.0.3", fds, CROWD) >= 0, 1);
	end = mono_s() + 20; /* failsafe */
	do {
		usleep(100 * 1000);
		open = dribble(fds, CROWD);
	} while (open > PER_IP && mono_s() < end);
	assert_int_equal(open, PER_IP);
	/* another address is not affected */
	assert_int_equal(healthz(&srv), 200);
	/* and the admitted ones are still open: only the limit closed the rest */
	assert_int_equal(dribble(fds, CROWD), PER_IP);
	for (int i = 0; i < CROWD; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	server_stop(&srv, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_refused_before_body),
	    cmocka_unit_test(test_large_anonymous_upload),
	    cmocka_unit_test(test_hash_burst),
	    cmocka_unit_test(test_slow_headers_closed),
	    cmocka_unit_test(test_slow_body_closed),
	    cmocka_unit_test(test_per_address_limit),
	};

	curl_global_init(CURL_GLOBAL_ALL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
