/*
 * harness_app.h — setup shared by the API tests of applications (creation,
 * materials, reviews, durability): the 便利店 answers, a valid value for a
 * required form field, and the materials' rows written straight into the
 * store, since uploading them is the materials module's route.
 */
#ifndef YIYE_TEST_HARNESS_APP_H
#define YIYE_TEST_HARNESS_APP_H

#include "harness.h"

/* The guide's answers for a 便利店 with no optional permit (a new value;
 * the caller owns the reference). */
json_t *app_bianlidian_answers(void);

/* A valid value for the required form field f, by its type; a uscc is made
 * from uscc_serial (test_uscc). Asserts nothing, so client threads may call
 * it. */
json_t *app_field_value(const json_t *f, unsigned uscc_serial);

/* Writes one row per non-exempt material of `materials` (a notice's list)
 * for application id, as if each had been uploaded, from a connection of
 * its own to the server's database. */
void app_insert_materials(const struct server *s, long long id, const json_t *materials);

/* Registers a second applicant, "applicant2" with the given password, for
 * the tests of another applicant's application (404); a refusal is logged,
 * and the tests that log in as applicant2 then fail. */
void app_register_applicant2(struct server *s, const char *password);

#endif
