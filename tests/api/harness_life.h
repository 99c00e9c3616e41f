/*
 * harness_life.h — setup shared by the API tests of the license's life
 * (test_license_life.c: the lifecycle kinds and versions;
 * test_license_registry.c: the registration link and the expiry job):
 * logging in as a demo account or applicant2, SQL on the server's database,
 * and licenses seeded as rows where a test is about what happens to an
 * existing license rather than about issuing it.
 */
#ifndef YIYE_TEST_HARNESS_LIFE_H
#define YIYE_TEST_HARNESS_LIFE_H

#include "harness_app.h"
#include "store/store.h"

#define LIFE_APPLICANT2_PASSWORD "Second-Holder-Pass-7"

/* A license document's permits (JSON arrays). */
#define LIFE_FOOD_SALE                                                                         \
	"[{\"code\":\"P_food_sale\",\"name\":\"食品经营许可\",\"department\":\"scjgj\"," \
	"\"department_name\":\"区市场监管局\",\"basis\":\"《食品安全法》第三十五条\"}]"
#define LIFE_FOOD_AND_ALCOHOL                                                                          \
	"[{\"code\":\"P_food_sale\",\"name\":\"食品经营许可\",\"department\":\"scjgj\","         \
	"\"department_name\":\"区市场监管局\",\"basis\":\"《食品安全法》\"},"             \
	"{\"code\":\"P_alcohol_retail\",\"name\":\"酒类商品零售许可\",\"department\":\"swj\"," \
	"\"department_name\":\"区商务委\",\"basis\":\"酒类商品零售\"}]"

/* One test file's server and what it knows. */
struct life_ctx {
	struct server *srv;
	int64_t applicant_id, applicant2_id; /* the two holders' account ids */
	int today;                           /* the server's today (day number) */
	int serial_no;                       /* next seeded license serial / uscc serial */
};

/* Starts a demo server, registers applicant2, reads both ids. 0 or -1. */
int life_setup(struct life_ctx *x, struct server *srv, int first_serial);
/* Logs in as a demo account, or "applicant2". */
void life_as(struct life_ctx *x, const char *user);
/* One statement with parameters on the server's database, from a connection
 * of its own; fails the test on an error. */
void life_sql(struct life_ctx *x, const char *stmt, const struct store_param *p, int n);
/* The first column of the first row of the query fmt… (server_sql_long). */
long life_count(struct life_ctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "YYYY-MM-DD" of a day number. */
void life_day_text(int day, char out[16]);

/* A license seeded as version 1 (the row and its document) on a draft
 * 便利店 application of `holder`; number, uscc (and the holder name
 * "测试便利店<serial>") filled in. */
struct life_seed {
	const char *holder; /* applicant | applicant2 */
	const char *status;
	int from, until;     /* day numbers; until < 0: no term */
	const char *permits; /* JSON array of the document's permits */
	char uscc[19];
	char number[40];
	char name[64];
};
void life_seed_license(struct life_ctx *x, struct life_seed *s);
/* A valid license of the demo applicant with `permits`, from 100 days ago
 * for 1000 days. */
void life_seed_valid(struct life_ctx *x, struct life_seed *s, const char *permits);

#endif
