/*
 * test_event_outbox.c — the event outbox without a server (store_events.c on
 * a throw-away SQLite file) and the delivery signature (event_delivery.c):
 *   - event_emit numbers events in commit order, writes one delivery per
 *     active subscription whose kinds match, and nothing survives a rollback;
 *   - a kind not in the table, a payload over the limit, are refused;
 *   - claiming a delivery is one winner only, and a lease moves it out of
 *     the due list until it runs out;
 *   - X-Yiye-Signature is HMAC-SHA-256 (RFC 4231 test case 2) with a key of
 *     any length.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "http/event_delivery.h"
#include "store/store_events.h"

#define D STORE_DEFAULT_DISTRICT

struct fix {
	char path[64];
	struct store *s;
	struct store_conn *c;
};

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));
	struct yerr e = {0};
	int fd;

	snprintf(f->path, sizeof(f->path), "/tmp/yiye-events-XXXXXX");
	fd = mkstemp(f->path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(store_open(&f->s, f->path, 2, NULL, &e), 0);
	assert_int_equal(store_migrate(f->s, &e), 0);
	assert_int_equal(store_acquire(f->s, &f->c, &e), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;
	char side[96];

	store_release(f->c);
	store_close(f->s);
	unlink(f->path);
	snprintf(side, sizeof(side), "%s-wal", f->path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", f->path);
	unlink(side);
	free(f);
	return 0;
}

static int64_t add_sub(struct store_conn *c, const char *kinds, bool active)
{
	struct store_subscription s = {.active = active};
	struct yerr e = {0};

	snprintf(s.name, sizeof(s.name), "sub %s", kinds);
	snprintf(s.url, sizeof(s.url), "http://127.0.0.1:9/hook");
	snprintf(s.kinds, sizeof(s.kinds), "%s", kinds);
	snprintf(s.secret, sizeof(s.secret), "0123456789abcdef");
	assert_int_equal(store_subscription_insert(c, D, &s, &e), 0);
	return s.id;
}

static int64_t count(struct store_conn *c, const char *sql)
{
	struct yerr e = {0};
	int64_t n = -1;

	assert_int_equal(store_query_int(c, sql, NULL, 0, -1, &n, &e), 0);
	return n;
}

static void test_emit(void **state)
{
	struct fix *f = *state;
	struct store_event *evs = NULL;
	struct yerr e = {0};
	json_t *data = json_pack("{s:s}", "case_no", "310104-2026-000001"), *big, *j;
	int64_t seq = 0;
	size_t n = 0;
	char *huge;

	assert_int_equal(store_begin(f->c, &e), 0);
	add_sub(f->c, "*", true);
	add_sub(f->c, ",license.issued,abnormal_list.added,", true);
	add_sub(f->c, ",application.submitted,", false); /* inactive: nothing */
	add_sub(f->c, ",abnormalXlist.added,", true);    /* '_' is no wildcard */
	assert_int_equal(store_commit(f->c, &e), 0);

	assert_int_equal(store_begin(f->c, &e), 0);
	assert_int_equal(event_emit_seq(f->c, D, "application.submitted", "A1", data, &seq, &e), 0);
	assert_int_equal(seq, 1);
	assert_int_equal(event_emit_seq(f->c, D, "abnormal_list.added", "L1", NULL, &seq, &e), 0);
	assert_int_equal(seq, 2);
	assert_int_equal(store_commit(f->c, &e), 0);
	/* the payload is borrowed: still ours */
	assert_string_equal(json_string_value(json_object_get(data, "case_no")),
			    "310104-2026-000001");
	assert_int_equal(count(f->c, "SELECT count(*) FROM event_deliveries WHERE event_seq = 1"),
			 1);
	assert_int_equal(count(f->c, "SELECT count(*) FROM event_deliveries WHERE event_seq = 2"),
			 2);

	/* rolled back: no event, no delivery, and the seq is not spent */
	assert_int_equal(store_begin(f->c, &e), 0);
	assert_int_equal(event_emit(f->c, D, "license.issued", "N1", NULL, &e), 0);
	store_rollback(f->c);
	assert_int_equal(count(f->c, "SELECT count(*) FROM events"), 2);
	assert_int_equal(count(f->c, "SELECT count(*) FROM event_deliveries"), 3);

	/* refused: an unknown kind, a payload past the limit */
	assert_int_equal(store_begin(f->c, &e), 0);
	assert_true(event_emit(f->c, D, "license.exploded", "", NULL, &e) < 0);
	assert_int_equal(e.status, 500);
	huge = malloc(EVENT_PAYLOAD_MAX + 2);
	memset(huge, 'x', EVENT_PAYLOAD_MAX + 1);
	huge[EVENT_PAYLOAD_MAX + 1] = '\0';
	big = json_pack("{s:s}", "x", huge);
	free(huge);
	memset(&e, 0, sizeof(e));
	assert_true(event_emit(f->c, D, "license.issued", "", big, &e) < 0);
	json_decref(big);
	store_rollback(f->c);

	/* the feed: application events only, in the delivered shape */
	assert_int_equal(store_events_after(f->c, D, 0, "application.", 10, &evs, &n, &e), 0);
	assert_int_equal(n, 1);
	j = store_event_json(&evs[0]);
	assert_string_equal(json_string_value(json_object_get(j, "kind")), "application.submitted");
	assert_string_equal(json_string_value(json_object_get(j, "ref")), "A1");
	assert_int_equal(json_integer_value(json_object_get(j, "seq")), 1);
	assert_int_equal(strlen(json_string_value(json_object_get(j, "id"))), EVENT_ID_SIZE - 1);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(j, "data"), "case_no")),
	    "310104-2026-000001");
	json_decref(j);
	store_events_free(evs, n);
	json_decref(data);
}

static void test_claim_and_lease(void **state)
{
	struct fix *f = *state;
	struct store_due *due = NULL, again;
	struct yerr e = {0};
	bool claimed = false;
	size_t n = 0;
	int64_t now = 4102444800000LL; /* far ahead: everything emitted is due */

	assert_int_equal(store_deliveries_due(f->c, D, now, 16, &due, &n, &e), 0);
	assert_int_equal(n, 3);
	assert_true(strstr(due[0].body, "\"kind\":\"application.submitted\"") != NULL);
	again = due[0];
	assert_int_equal(store_delivery_claim(f->c, D, &due[0], now + 15000, now, &claimed, &e), 0);
	assert_true(claimed);
	/* a second sender that read the same row loses */
	assert_int_equal(store_delivery_claim(f->c, D, &again, now + 15000, now, &claimed, &e), 0);
	assert_false(claimed);
	store_due_free(due, n);
	/* leased: not due until the lease runs out */
	assert_int_equal(store_deliveries_due(f->c, D, now, 16, &due, &n, &e), 0);
	assert_int_equal(n, 2);
	store_due_free(due, n);
	assert_int_equal(store_deliveries_due(f->c, D, now + 15000, 16, &due, &n, &e), 0);
	assert_int_equal(n, 3);
	/* due last (its next try is the latest), the attempt counted */
	assert_int_equal(due[2].id, again.id);
	assert_int_equal(due[2].attempts, 1);
	assert_int_equal(
	    store_delivery_record(f->c, D, due[2].id, "dead", 503, "HTTP 503", now, now, &e), 0);
	store_due_free(due, n);
	assert_int_equal(store_deliveries_due(f->c, D, now + 15000, 16, &due, &n, &e), 0);
	assert_int_equal(n, 2);
	store_due_free(due, n);
}

static void test_signature(void **state)
{
	char sig[96];
	const char *data = "what do ya want for nothing?";

	(void)state;
	/* RFC 4231, test case 2 */
	event_signature("Jefe", data, strlen(data), sig, sizeof(sig));
	assert_string_equal(sig, "sha256=5bdcc146bf60754e6a042426089575c7"
				 "5a003f089d2739839dec58b964ec3843");
	assert_true(event_kind_valid("penalty.decided"));
	assert_false(event_kind_valid("penalty"));
	assert_false(event_kind_valid(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_emit),
	    cmocka_unit_test(test_claim_and_lease),
	    cmocka_unit_test(test_signature),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
