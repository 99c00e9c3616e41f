/*
 * harness_license.h — setup shared by the API tests of licenses: driving an
 * application of the demo applicant to `approved` through the real routes
 * (form, materials, submission, acceptance, reviews, the joint inspection)
 * and issuing it as the demo issuer. Every function asserts its steps.
 */
#ifndef YIYE_TEST_HARNESS_LICENSE_H
#define YIYE_TEST_HARNESS_LICENSE_H

#include "harness.h"

/* The day the license tests run on (YIYE_TODAY). */
#define LIC_TODAY "2026-03-02"
/* 书店 with a small sign: 出版物经营许可 (区文化旅游局) and 户外招牌设置
 * (区绿化市容局), neither inspected, neither with a term. */
#define LIC_SHUDIAN "shudian"
#define LIC_SHUDIAN_ANSWERS "{\"q_food\":false,\"q_area\":120,\"q_sign\":true,\"q_sign_area\":3}"
/* 烘焙店: 食品经营许可 (区市场监管局, 5 years), inspected on site. */
#define LIC_HONGBEI "hongbeidian"
#define LIC_HONGBEI_ANSWERS \
	"{\"q_cream\":true,\"q_dine_in\":false,\"q_drain\":false,\"q_sign\":false}"

/* What a test knows of the holder it filled in. */
struct lic_holder {
	char name[64];
	char uscc[19];
};

/* Logs s in as a demo user; NULL: nobody. */
void lic_as(struct server *s, const char *user);
/* A string member of o, "" when absent. */
const char *lic_str(const json_t *o, const char *k);
/* POST path (body may be NULL) expecting status (and error code when not
 * NULL); *out receives the answer when not NULL. */
void lic_post(struct server *s, const char *path, json_t *body, long status, const char *code,
	      struct resp *out);
void lic_get(struct server *s, const char *path, long status, struct resp *out);
/* Application id as the current user sees it (a new reference). */
json_t *lic_get_app(struct server *s, long long id);
/* The demo applicant's application of industry with answers (JSON text),
 * the entity named `name`, filled, materials uploaded, submitted and
 * accepted by the window; h receives the holder. */
long long lic_accepted(struct server *s, const char *industry, const char *answers,
		       const char *name, struct lic_holder *h);
/* 书店 approved by both departments. */
long long lic_approved_shudian(struct server *s, const char *name, struct lic_holder *h);
/* 烘焙店: the joint inspection passes, then 区市场监管局 approves. */
long long lic_approved_hongbei(struct server *s, const char *name, struct lic_holder *h);
/* Issues application id as the demo issuer: the license object (a new
 * reference). */
json_t *lic_issue(struct server *s, long long id);
/* GET /api/v1/licenses/{number}/verify{query} as nobody (a new reference). */
json_t *lic_verify(struct server *s, const char *number, const char *query);

#endif
