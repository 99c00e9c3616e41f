/*
 * h_system.c — health, metrics, the OpenAPI document, version.
 */
#include <stdlib.h>

#include "http/handlers.h"
#include "http/internal.h"

/* 200 when the database can be read and written; 503 naming what fails
 * otherwise, so a load balancer takes the node out and an operator knows
 * why. Runs on the worker pool because the write probe may wait on a lock. */
void h_healthz(struct req *r)
{
	int read_ok, write_ok;
	char detail[300];

	store_health(r->app->store, &read_ok, &write_ok, detail, sizeof(detail));
	reply_json(r, read_ok && write_ok ? 200 : 503,
		   json_pack("{s:s,s:{s:s,s:s,s:s,s:s}}", "status",
			     read_ok && write_ok ? "ok"
			     : read_ok           ? "degraded"
						 : "down",
			     "database", "backend", store_describe(r->app->store), "read",
			     read_ok ? "ok" : "error", "write", write_ok ? "ok" : "error", "detail",
			     detail));
}

void h_metrics(struct req *r)
{
	size_t len;
	char *text = metrics_render(r->app->metrics, r->app, &len);

	reply_raw(r, 200, "text/plain; version=0.0.4; charset=utf-8", text, len);
	free(text);
}

void h_openapi(struct req *r)
{
	reply_json(r, 200, openapi_document());
}

void h_version(struct req *r)
{
	reply_json(r, 200, json_pack("{s:s,s:s}", "name", "yiye", "version", YIYE_VERSION));
}
