/*
 * test_events.c — the event outbox and its delivery (issue 14 point 6;
 * docs/api-sharing.md, "Events"), against a receiver that runs in this test
 * process:
 *   - an application driven to a license emits application.submitted,
 *     .accepted, .decided and license.issued; a receiver that fails each
 *     event twice gets it three times, every time with a valid
 *     X-Yiye-Signature, and answers 200 exactly once per event;
 *   - the 一网通办 case feed answers the same events with an
 *     applications:read token and refuses a token without that scope;
 *   - a receiver that never recovers dead-letters the delivery after
 *     YIYE_EVENT_MAX_ATTEMPTS; redelivery through the API delivers it;
 *   - a server killed with SIGKILL while a delivery is pending delivers it
 *     after its restart;
 *   - the subscription API's refusals.
 * Back-off is configured in milliseconds so nothing waits long, and every
 * wait polls observed state with a generous bound: no sleep stands for a
 * condition.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness_license.h"

#define SECRET "test-receiver-secret-0123456789"
#define MAX_ATTEMPTS 4
/* Generous bound of every wait for the delivery thread (polled, not slept). */
#define WAIT_MS 60000

static struct server srv;

/* ---- the receiver ---- */

enum rx_mode {
	RX_FLAKY, /* each event id: 500 twice, then 200 */
	RX_DOWN,  /* always 503 */
	RX_UP,    /* always 200 */
};

struct rx_hit {
	char event_id[64];
	char kind[40];
	int attempt;
	int answered; /* the status the receiver gave */
	bool sig_ok;
	bool body_ok; /* the body is the event: its id is the header's */
};

struct receiver {
	int fd, port;
	pthread_t thread;
	pthread_mutex_t mu;
	enum rx_mode mode;
	int stopping;
	struct rx_hit hits[256];
	int nhits;
};

static struct receiver rx1, rx2;

static void header_value(const char *head, const char *name, char *out, size_t outsz)
{
	size_t n = strlen(name);

	out[0] = '\0';
	for (const char *p = head; p && *p; p = strstr(p, "\r\n") ? strstr(p, "\r\n") + 2 : NULL) {
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			const char *v = p + n + 1, *end;

			while (*v == ' ')
				v++;
			end = strstr(v, "\r\n");
			snprintf(out, outsz, "%.*s", (int)(end ? end - v : (long)strlen(v)), v);
			return;
		}
	}
}

/* What a receiver does with the signature: HMAC-SHA-256 of the raw body
 * under the shared secret, hex, compared in constant time. */
static bool signature_ok(const char *sig, const char *body, size_t len)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	char want[7 + 2 * sizeof(mac) + 1] = "sha256=";

	crypto_auth_hmacsha256_init(&st, (const unsigned char *)SECRET, strlen(SECRET));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(want + 7, sizeof(want) - 7, mac, sizeof(mac));
	return strlen(sig) == strlen(want) && sodium_memcmp(sig, want, strlen(want)) == 0;
}

/* One request on a fresh connection: read it whole, record it, answer by
 * the mode, close. */
static void rx_serve(struct receiver *x, int cfd)
{
	char buf[70000], id[64], kind[40], sig[128], attempt[16], clen[16];
	size_t len = 0, need = 0;
	char *end = NULL;
	struct timeval tv = {.tv_sec = 10};
	int status, prior = 0;
	struct rx_hit *h;

	setsockopt(cfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (len < sizeof(buf) - 1) {
		ssize_t got = read(cfd, buf + len, sizeof(buf) - 1 - len);

		if (got <= 0)
			return;
		len += (size_t)got;
		buf[len] = '\0';
		if (end == NULL && (end = strstr(buf, "\r\n\r\n")) != NULL) {
			header_value(buf, "Content-Length", clen, sizeof(clen));
			need = (size_t)(end + 4 - buf) + (size_t)atol(clen);
		}
		if (end != NULL && len >= need)
			break;
	}
	if (end == NULL)
		return;
	*end = '\0';
	header_value(buf, "X-Yiye-Event-Id", id, sizeof(id));
	header_value(buf, "X-Yiye-Event-Kind", kind, sizeof(kind));
	header_value(buf, "X-Yiye-Signature", sig, sizeof(sig));
	header_value(buf, "X-Yiye-Attempt", attempt, sizeof(attempt));
	pthread_mutex_lock(&x->mu);
	for (int i = 0; i < x->nhits; i++)
		prior += strcmp(x->hits[i].event_id, id) == 0;
	status = x->mode == RX_UP ? 200 : x->mode == RX_DOWN ? 503 : prior < 2 ? 500 : 200;
	if (x->nhits < (int)(sizeof(x->hits) / sizeof(x->hits[0]))) {
		json_t *ev = json_loadb(end + 4, need - (size_t)(end + 4 - buf), 0, NULL);

		h = &x->hits[x->nhits++];
		snprintf(h->event_id, sizeof(h->event_id), "%s", id);
		snprintf(h->kind, sizeof(h->kind), "%s", kind);
		h->attempt = atoi(attempt);
		h->answered = status;
		h->sig_ok = signature_ok(sig, end + 4, need - (size_t)(end + 4 - buf));
		h->body_ok = ev && strcmp(lic_str(ev, "id"), id) == 0 &&
			     strcmp(lic_str(ev, "kind"), kind) == 0 &&
			     json_is_object(json_object_get(ev, "data"));
		json_decref(ev);
	}
	pthread_mutex_unlock(&x->mu);
	len = (size_t)snprintf(buf, sizeof(buf),
			       "HTTP/1.1 %d X\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
			       status);
	if (write(cfd, buf, len) < 0)
		return;
}

static void *rx_main(void *arg)
{
	struct receiver *x = arg;

	for (;;) {
		struct pollfd p = {.fd = x->fd, .events = POLLIN};
		int stop, cfd;

		pthread_mutex_lock(&x->mu);
		stop = x->stopping;
		pthread_mutex_unlock(&x->mu);
		if (stop)
			break;
		if (poll(&p, 1, 100) <= 0)
			continue;
		if ((cfd = accept(x->fd, NULL, NULL)) < 0)
			continue;
		rx_serve(x, cfd);
		close(cfd);
	}
	return NULL;
}

static void rx_start(struct receiver *x, enum rx_mode mode)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t alen = sizeof(a);

	memset(x, 0, sizeof(*x));
	x->mode = mode;
	pthread_mutex_init(&x->mu, NULL);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	x->fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(x->fd >= 0);
	assert_int_equal(bind(x->fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(x->fd, 16), 0);
	assert_int_equal(getsockname(x->fd, (struct sockaddr *)&a, &alen), 0);
	x->port = ntohs(a.sin_port);
	assert_int_equal(pthread_create(&x->thread, NULL, rx_main, x), 0);
}

static void rx_stop(struct receiver *x)
{
	pthread_mutex_lock(&x->mu);
	x->stopping = 1;
	pthread_mutex_unlock(&x->mu);
	pthread_join(x->thread, NULL);
	close(x->fd);
	pthread_mutex_destroy(&x->mu);
}

static void rx_mode(struct receiver *x, enum rx_mode mode)
{
	pthread_mutex_lock(&x->mu);
	x->mode = mode;
	pthread_mutex_unlock(&x->mu);
}

/* Hits of event id (all when NULL) answered `status` (any when 0). */
static int rx_count(struct receiver *x, const char *id, int status)
{
	int n = 0;

	pthread_mutex_lock(&x->mu);
	for (int i = 0; i < x->nhits; i++)
		n += (id == NULL || strcmp(x->hits[i].event_id, id) == 0) &&
		     (status == 0 || x->hits[i].answered == status);
	pthread_mutex_unlock(&x->mu);
	return n;
}

/* ---- helpers ---- */

static void sleep_ms(long ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

static long long create_sub(const char *name, int port, json_t *kinds)
{
	char url[96];
	struct resp r;
	long long id;

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/hook", port);
	lic_as(&srv, "admin");
	lic_post(&srv, "/api/v1/subscriptions",
		 json_pack("{s:s,s:s,s:o,s:s}", "name", name, "url", url, "kinds", kinds, "secret",
			   SECRET),
		 201, NULL, &r);
	assert_string_equal(lic_str(r.json, "secret"), SECRET);
	id = json_integer_value(json_object_get(r.json, "id"));
	resp_free(&r);
	return id;
}

/* The deliveries of subscription sub (a new reference: the answer's items). */
static json_t *deliveries(long long sub, const char *status)
{
	char path[160];
	struct resp r;
	json_t *items;

	snprintf(path, sizeof(path), "/api/v1/subscriptions/%lld/deliveries?limit=200%s%s", sub,
		 status ? "&status=" : "", status ? status : "");
	lic_as(&srv, "admin");
	lic_get(&srv, path, 200, &r);
	items = json_incref(json_object_get(r.json, "items"));
	resp_free(&r);
	return items;
}

/* Polls until subscription sub has `want` deliveries of status and none of
 * any other status is pending; fails after WAIT_MS. Answers them. */
static json_t *wait_deliveries(long long sub, const char *status, size_t want)
{
	for (long waited = 0;; waited += 50) {
		json_t *all = deliveries(sub, NULL), *got = deliveries(sub, status);
		bool done = json_array_size(got) >= want && json_array_size(all) == want;

		json_decref(all);
		if (done)
			return got;
		json_decref(got);
		if (waited > WAIT_MS)
			fail_msg("deliveries of subscription %lld never became %zu × %s", sub, want,
				 status);
		sleep_ms(50);
	}
}

static const char *event_of(const json_t *delivery, const char *key)
{
	return lic_str(json_object_get(delivery, "event"), key);
}

/* ---- tests ---- */

static char license_number[64];
static struct lic_holder holder;
static long long sub_all;

/* The lifecycle of an application to its license, delivered to a receiver
 * that fails every event twice. */
static void test_delivered_after_retries(void **state)
{
	static const char *const want[] = {"application.submitted", "application.accepted",
					   "application.decided", "license.issued"};
	json_t *lic, *items, *d;
	size_t i;

	(void)state;
	rx_start(&rx1, RX_FLAKY);
	sub_all = create_sub("区大数据中心", rx1.port, json_pack("[s]", "*"));
	lic = lic_issue(&srv, lic_approved_shudian(&srv, "事件推送书店", &holder));
	snprintf(license_number, sizeof(license_number), "%s", lic_str(lic, "number"));
	json_decref(lic);

	/* every event of the run reaches the receiver (the demo path emits
	   exactly these four kinds, the acceptance once) */
	items = wait_deliveries(sub_all, "delivered", 4);
	json_array_foreach (items, i, d) {
		const char *id = event_of(d, "id");

		assert_string_equal(event_of(d, "kind"), want[3 - i]); /* newest first */
		assert_int_equal(json_integer_value(json_object_get(d, "attempts")), 3);
		assert_int_equal(json_integer_value(json_object_get(d, "last_status")), 200);
		assert_true(json_is_null(json_object_get(d, "last_error")));
		/* retried: twice refused, then delivered exactly once */
		assert_int_equal(rx_count(&rx1, id, 0), 3);
		assert_int_equal(rx_count(&rx1, id, 500), 2);
		assert_int_equal(rx_count(&rx1, id, 200), 1);
	}
	json_decref(items);
	/* the license event names its holder (the entity, as the license does) */
	{
		char sql[256];

		snprintf(sql, sizeof(sql),
			 "SELECT count(*) FROM events WHERE kind = 'license.issued' AND payload "
			 "LIKE '%%\"holder\":{\"name\":\"%s\",\"uscc\":\"%s\"}%%'",
			 holder.name, holder.uscc);
		assert_int_equal(server_sql_long(&srv, sql), 1);
	}
	/* every request carried a valid signature, the event as its body, and
	   its attempt number */
	pthread_mutex_lock(&rx1.mu);
	for (int k = 0; k < rx1.nhits; k++) {
		assert_true(rx1.hits[k].sig_ok);
		assert_true(rx1.hits[k].body_ok);
		assert_true(rx1.hits[k].attempt >= 1 && rx1.hits[k].attempt <= 3);
		assert_true(rx1.hits[k].answered != 200 || rx1.hits[k].attempt == 3);
	}
	pthread_mutex_unlock(&rx1.mu);
}

/* A token of scope for the service purpose only (its secret into bearer);
 * its id. */
static long long feed_token(const char *name, const char *scope, char *bearer, size_t size)
{
	char path[96];
	struct resp r;
	long long id;

	lic_as(&srv, "admin");
	lic_post(&srv, "/api/v1/tokens", json_pack("{s:s,s:[s]}", "name", name, "scopes", scope),
		 201, NULL, &r);
	snprintf(bearer, size, "%s", lic_str(r.json, "secret"));
	id = json_integer_value(json_object_get(json_object_get(r.json, "token"), "id"));
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/tokens/%lld/sharing", id);
	assert_int_equal(
	    http_json(&srv, "PUT", path,
		      json_pack("{s:s,s:[s]}", "department", "scjgj", "purposes", "service"), &r),
	    0);
	assert_int_equal(r.status, 200);
	resp_free(&r);
	lic_as(&srv, NULL);
	return id;
}

/* GET path as the token in bearer, stating purpose (NULL: none). */
static void feed_get(const char *bearer, const char *path, const char *purpose, long status,
		     const char *code, struct resp *out)
{
	char hdr[128];
	const char *const hdrs[] = {hdr, NULL};
	struct resp r;

	snprintf(srv.bearer, sizeof(srv.bearer), "%s", bearer);
	snprintf(hdr, sizeof(hdr), "X-Purpose: %s", purpose ? purpose : "");
	http_req(&srv, "GET", path, NULL, NULL, 0, purpose ? hdrs : NULL, &r);
	srv.bearer[0] = '\0';
	if (r.status != status)
		fail_msg("GET %s: %ld, expected %ld: %s", path, r.status, status, r.body);
	if (code)
		assert_error(&r, status, code, "*");
	if (out)
		*out = r;
	else
		resp_free(&r);
}

/* The case feed: the same events, by cursor, for an applications:read
 * token that states an allowed purpose; every call in the access log. */
static void test_case_feed(void **state)
{
	char bearer[256], path[128];
	struct resp r;
	json_t *items, *ev, *data;
	const char *kinds[] = {"application.submitted", "application.accepted",
			       "application.decided"};
	long long token;
	size_t i;
	int logged = 0;

	(void)state;
	token = feed_token("一网通办", "applications:read", bearer, sizeof(bearer));
	feed_get(bearer, "/api/v1/shared/cases?after=0", NULL, 400, "purpose_required", NULL);
	feed_get(bearer, "/api/v1/shared/cases?after=0", "audit; 核对", 403, "purpose_not_allowed",
		 NULL);
	feed_get(bearer, "/api/v1/shared/cases?after=0", "service; 一网通办办件状态", 200, NULL,
		 &r);
	items = json_object_get(r.json, "items");
	assert_int_equal(json_array_size(items), 3);
	json_array_foreach (items, i, ev) {
		assert_string_equal(lic_str(ev, "kind"), kinds[i]);
		assert_true(lic_str(ev, "id")[0] != '\0');
		data = json_object_get(ev, "data");
		assert_true(lic_str(data, "case_no")[0] != '\0');
		assert_string_equal(lic_str(ev, "ref"), lic_str(data, "case_no"));
		assert_string_equal(lic_str(data, "matter"), "书店");
		assert_string_equal(lic_str(json_object_get(data, "applicant"), "name"),
				    holder.name);
		assert_string_equal(lic_str(json_object_get(data, "applicant"), "uscc"),
				    holder.uscc);
		assert_true(json_is_integer(json_object_get(data, "submitted_at")));
		if (i > 0)
			assert_true(json_is_integer(json_object_get(data, "accepted_at")));
	}
	data = json_object_get(json_array_get(items, 2), "data");
	assert_string_equal(lic_str(data, "result"), "approved");
	assert_true(json_is_integer(json_object_get(data, "completed_at")));
	assert_true(json_is_null(
	    json_object_get(json_object_get(json_array_get(items, 0), "data"), "result")));
	/* nothing personal: the applicant is the entity */
	{
		char *text = json_dumps(r.json, 0);

		assert_null(strstr(text, "310104199001011"));
		assert_null(strstr(text, "13800138000"));
		free(text);
	}
	/* the cursor: after the last one, nothing */
	{
		struct resp r2;

		snprintf(path, sizeof(path), "/api/v1/shared/cases?after=%lld",
			 (long long)json_integer_value(json_object_get(r.json, "next")));
		feed_get(bearer, path, "service", 200, NULL, &r2);
		assert_int_equal(json_array_size(json_object_get(r2.json, "items")), 0);
		resp_free(&r2);
	}
	resp_free(&r);
	/* the access log: the refusal for purpose and both reads, kind cases */
	lic_as(&srv, "auditor");
	snprintf(path, sizeof(path), "/api/v1/shared/access-log?token=%lld&limit=50", token);
	lic_get(&srv, path, 200, &r);
	json_array_foreach (json_object_get(r.json, "items"), i, ev) {
		assert_string_equal(lic_str(ev, "kind"), "cases");
		assert_string_equal(lic_str(ev, "uscc"), "");
		logged++;
	}
	assert_int_equal(logged, 3);
	resp_free(&r);
	/* a token without applications:read sees nothing of it */
	feed_token("证照库", "licenses:read", bearer, sizeof(bearer));
	feed_get(bearer, "/api/v1/shared/cases?after=0", "service", 403, "forbidden", NULL);
	/* and a person's session, not a token, neither */
	lic_as(&srv, "auditor");
	lic_get(&srv, "/api/v1/shared/cases?after=0", 403, NULL);
}

/* A receiver that never recovers: dead after MAX_ATTEMPTS; redelivered on
 * request once it is back. */
static void test_dead_letter_and_redeliver(void **state)
{
	json_t *items;
	long long sub, did;
	char path[160], id[64];
	struct resp r;

	(void)state;
	rx_start(&rx2, RX_DOWN);
	lic_as(&srv, "admin");
	snprintf(path, sizeof(path), "/api/v1/subscriptions/%lld", sub_all);
	assert_int_equal(http_json(&srv, "PATCH", path, json_pack("{s:b}", "active", 0), &r), 0);
	assert_int_equal(r.status, 200);
	assert_false(json_is_true(json_object_get(r.json, "active")));
	resp_free(&r);
	sub = create_sub("区执法局", rx2.port, json_pack("[s]", "license.suspended"));

	lic_as(&srv, "supervisor_whlyj");
	snprintf(path, sizeof(path), "/api/v1/licenses/%s/suspend", license_number);
	lic_post(&srv, path,
		 json_pack("{s:s,s:s}", "reason", "检查发现问题", "basis", "《行政许可法》"), 200,
		 NULL, NULL);
	items = wait_deliveries(sub, "dead", 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "attempts")),
			 MAX_ATTEMPTS);
	assert_int_equal(
	    json_integer_value(json_object_get(json_array_get(items, 0), "last_status")), 503);
	did = json_integer_value(json_object_get(json_array_get(items, 0), "id"));
	snprintf(id, sizeof(id), "%s", event_of(json_array_get(items, 0), "id"));
	json_decref(items);
	assert_int_equal(rx_count(&rx2, id, 503), MAX_ATTEMPTS);
	/* the inactive subscription got no delivery of it */
	items = deliveries(sub_all, NULL);
	assert_int_equal(json_array_size(items), 4);
	json_decref(items);

	rx_mode(&rx2, RX_UP);
	lic_as(&srv, "admin");
	snprintf(path, sizeof(path), "/api/v1/subscriptions/%lld/deliveries/%lld/redeliver", sub,
		 did);
	lic_post(&srv, path, NULL, 202, NULL, NULL);
	items = wait_deliveries(sub, "delivered", 1);
	json_decref(items);
	assert_int_equal(rx_count(&rx2, id, 200), 1);
	/* an unknown delivery */
	snprintf(path, sizeof(path), "/api/v1/subscriptions/%lld/deliveries/999999/redeliver", sub);
	lic_post(&srv, path, NULL, 404, "delivery_not_found", NULL);
}

/* kill -9 while a delivery is pending: delivered after the restart. */
static void test_survives_kill(void **state)
{
	json_t *items, *d;
	char path[160], id[64] = "";
	long long sub;
	size_t i;
	int st;

	(void)state;
	rx_mode(&rx2, RX_DOWN);
	sub = create_sub("区市场监管局", rx2.port, json_pack("[s]", "license.reinstated"));
	lic_as(&srv, "supervisor_whlyj");
	snprintf(path, sizeof(path), "/api/v1/licenses/%s/reinstate", license_number);
	lic_post(&srv, path,
		 json_pack("{s:s,s:s}", "reason", "整改完毕", "basis", "《行政许可法》"), 200, NULL,
		 NULL);
	/* observed: at least one failed attempt, still pending */
	for (long waited = 0; id[0] == '\0'; waited += 50) {
		items = deliveries(sub, "pending");
		json_array_foreach (items, i, d)
			if (json_integer_value(json_object_get(d, "attempts")) >= 1)
				snprintf(id, sizeof(id), "%s", event_of(d, "id"));
		json_decref(items);
		if (id[0] == '\0' && waited > WAIT_MS)
			fail_msg("the reinstatement was never attempted");
		if (id[0] == '\0')
			sleep_ms(50);
	}
	kill(srv.pid, SIGKILL);
	waitpid(srv.pid, &st, 0);
	rx_mode(&rx2, RX_UP);
	assert_int_equal(server_restart(&srv, NULL), 0);
	items = wait_deliveries(sub, "delivered", 1);
	assert_string_equal(event_of(json_array_get(items, 0), "id"), id);
	assert_string_equal(event_of(json_array_get(items, 0), "kind"), "license.reinstated");
	json_decref(items);
	assert_int_equal(rx_count(&rx2, id, 200), 1);
}

/* Two nodes on one database both look for due deliveries every 20 ms: the
 * claim gives each delivery to one of them, so a healthy receiver gets the
 * event exactly once. */
static void test_two_nodes_deliver_once(void **state)
{
	struct server peer;
	struct receiver rx3;
	json_t *items;
	char path[160], id[64];
	long long sub;

	(void)state;
	assert_int_equal(server_start_peer(&peer, &srv), 0);
	rx_start(&rx3, RX_UP);
	sub = create_sub("区信用办", rx3.port, json_pack("[s]", "license.revoked"));
	lic_as(&srv, "supervisor_whlyj");
	snprintf(path, sizeof(path), "/api/v1/licenses/%s/revoke", license_number);
	lic_post(&srv, path,
		 json_pack("{s:s,s:s}", "reason", "以欺骗手段取得许可", "basis", "《行政许可法》"),
		 200, NULL, NULL);
	items = wait_deliveries(sub, "delivered", 1);
	snprintf(id, sizeof(id), "%s", event_of(json_array_get(items, 0), "id"));
	assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "attempts")),
			 1);
	json_decref(items);
	assert_int_equal(rx_count(&rx3, id, 0), 1);
	server_stop(&peer, 0);
	rx_stop(&rx3);
}

/* What the subscription API refuses. */
static void test_subscription_refusals(void **state)
{
	struct resp r;

	(void)state;
	lic_as(&srv, "admin");
	lic_post(&srv, "/api/v1/subscriptions",
		 json_pack("{s:s,s:s,s:[s]}", "name", "x", "url", "ftp://127.0.0.1/x", "kinds",
			   "license.issued"),
		 400, "invalid_url", NULL);
	lic_post(&srv, "/api/v1/subscriptions",
		 json_pack("{s:s,s:s,s:[s]}", "name", "x", "url", "http://127.0.0.1/x", "kinds",
			   "license.exploded"),
		 400, "unknown_kind", NULL);
	lic_post(&srv, "/api/v1/subscriptions",
		 json_pack("{s:s,s:s,s:[s,s]}", "name", "x", "url", "http://127.0.0.1/x", "kinds",
			   "license.issued", "license.issued"),
		 400, "duplicate_kind", NULL);
	lic_post(&srv, "/api/v1/subscriptions",
		 json_pack("{s:s,s:s,s:[]}", "name", "x", "url", "http://127.0.0.1/x", "kinds"),
		 400, "invalid_kinds", NULL);
	lic_post(&srv, "/api/v1/subscriptions",
		 json_pack("{s:s,s:s,s:[s],s:s}", "name", "x", "url", "http://127.0.0.1/x", "kinds",
			   "license.issued", "secret", "short"),
		 400, "invalid_secret", NULL);
	lic_post(&srv, "/api/v1/subscriptions",
		 json_pack("{s:s,s:[s]}", "url", "http://127.0.0.1/x", "kinds", "license.issued"),
		 400, "required", NULL);
	/* a generated secret is answered once, never listed */
	lic_post(&srv, "/api/v1/subscriptions",
		 json_pack("{s:s,s:s,s:[s]}", "name", "生成密钥", "url",
			   "https://example.invalid/h", "kinds", "penalty.decided"),
		 201, NULL, &r);
	assert_true(strlen(lic_str(r.json, "secret")) >= 32);
	resp_free(&r);
	lic_get(&srv, "/api/v1/subscriptions", 200, &r);
	assert_null(strstr(r.body, "whsec_"));
	assert_null(strstr(r.body, SECRET));
	assert_int_equal(json_array_size(json_object_get(r.json, "event_kinds")), 12);
	resp_free(&r);
	lic_get(&srv, "/api/v1/subscriptions/999999", 404, &r);
	resp_free(&r);
	lic_get(&srv, "/api/v1/subscriptions/1/deliveries?status=lost", 400, &r);
	resp_free(&r);
	/* the system administrator's only */
	lic_as(&srv, "supervisor_whlyj");
	lic_get(&srv, "/api/v1/subscriptions", 403, NULL);
}

static int setup(void **state)
{
	(void)state;
	setenv("YIYE_TODAY", LIC_TODAY, 1);
	setenv("YIYE_EVENT_BACKOFF_MS", "40", 1);
	setenv("YIYE_EVENT_BACKOFF_MAX_MS", "200", 1);
	setenv("YIYE_EVENT_MAX_ATTEMPTS", "4", 1);
	setenv("YIYE_EVENT_POLL_MS", "20", 1);
	setenv("YIYE_EVENT_TIMEOUT_MS", "5000", 1);
	return server_start(&srv, 1, NULL) != 0 ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	server_stop(&srv, 0);
	rx_stop(&rx1);
	rx_stop(&rx2);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_delivered_after_retries),
	    cmocka_unit_test(test_case_feed),
	    cmocka_unit_test(test_dead_letter_and_redeliver),
	    cmocka_unit_test(test_survives_kill),
	    cmocka_unit_test(test_two_nodes_deliver_once),
	    cmocka_unit_test(test_subscription_refusals),
	};

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, setup, teardown);
}
