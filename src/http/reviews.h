/*
 * reviews.h — what a department sees of an application (parallel review,
 * issue 11 §7): the application GET narrows its answer for reviewers and
 * inspectors through review_view_narrow.
 */
#ifndef YIYE_HTTP_REVIEWS_H
#define YIYE_HTTP_REVIEWS_H

#include <jansson.h>

#include "core/catalog.h"
#include "http/http.h"
#include "store/store_application.h"

/*
 * review_department_view narrows an application's API object to what a
 * reviewer or inspector of `department` may see (workflow_department_view on
 * the frozen notice): notice.materials and notice.fields, the form's values,
 * the prefilled ids and the uploaded materials of the department's permits
 * plus those no permit of the notice claims; adds "view":{department,
 * materials, fields}. cat (the catalog, read-locked by the caller; may be
 * NULL) says which fields each permit lists. Returns the number of the
 * department's permits in the application: 0 means it is not involved and
 * the caller answers 404 (the object is then left as it was).
 */
size_t review_department_view(json_t *application, const struct catalog *cat,
			      const char *department);

/*
 * review_view_narrow applies review_department_view to the API object of
 * application a (app_json, full) when the caller is a reviewer or inspector
 * (not also a window clerk, supervisor or issuer): with the catalog version
 * the application froze, and keeping only the tasks of their department.
 */
void review_view_narrow(struct req *r, struct store_conn *c, const struct store_app *a,
			json_t *application);

#endif
