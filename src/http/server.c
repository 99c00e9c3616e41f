/*
 * server.c — the libmicrohttpd server: request lifecycle, body limits,
 * dispatch to handlers inline or on the worker pool, load shedding, access
 * log, shutdown.
 *
 * Lifecycle of one request (MHD calls on_request several times). Every
 * refusal that the headers decide comes before a byte of the body is
 * received, in this order: 404/405, 401/403, 413 (declared Content-Length
 * over the limit), 415, then the body.
 *   1st call   create struct req, match the route. A request that announces
 *              a body (Content-Length > 0 or Transfer-Encoding) and whose
 *              route is not public is suspended and identified on the
 *              worker pool (the store is read) — state ST_AUTH; MHD calls
 *              the 1st call again when it is resumed. Then the limit and
 *              content type from the headers. A refusal is answered at once
 *              and libmicrohttpd closes the connection without receiving
 *              the body. Requests without a body keep the connection:
 *              answering on the first call makes libmicrohttpd 0.9.75 close
 *              keep-alive connections, so they are decided at the end.
 *   body calls append to a buffer bounded by the body limit; a ROUTE_UPLOAD
 *              body goes to a temp file of the blob store instead (hashed
 *              on the way), so an upload costs no memory per connection.
 *   last call  (upload_data_size == 0) validate, authorise (unless done),
 *              then run the handler: inline for quick GETs, or suspend the
 *              connection and hand the request to the worker pool, which
 *              resumes the connection when the reply is ready; MHD then
 *              calls us once more and the reply is queued. A full worker
 *              pool class answers 503 busy with Retry-After instead.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <strings.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http/auth.h"
#include "http/catalog_watch.h"
#include "http/event_delivery.h"
#include "http/http.h"
#include "http/internal.h"
#include "http/verify_cache.h"
#include "io/blobs.h"

enum { ST_NEW, ST_AUTH, ST_BODY, ST_RUNNING, ST_READY };

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void req_free(struct req *r)
{
	free(r->param_heap);
	for (int i = 0; i < r->resp_headers; i++) {
		free(r->resp_hname[i]);
		free(r->resp_hvalue[i]);
	}
	json_decref(r->json);
	blob_writer_abort(r->upload); /* a body no handler kept */
	if (r->resp_file)
		close(r->resp_fd);
	free(r->body);
	free(r->resp_body);
	auth_req_cleanup(r);
	free(r);
}

static void client_address(struct MHD_Connection *conn, char *out, size_t outsz)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	snprintf(out, outsz, "unknown");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out,
			  (socklen_t)outsz);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out,
			  (socklen_t)outsz);
}

/* Sends the reply stored in r. Every response carries the request id and the
 * security headers; API answers are never cached. */
static enum MHD_Result queue_reply(struct req *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	if (!r->replied)
		reply_error(r, 500, "internal", NULL, "服务器内部错误，请稍后重试");
	if (r->resp_file) {
		resp = MHD_create_response_from_fd64(r->resp_fd_len, r->resp_fd);
		if (resp == NULL)
			return MHD_NO;
		r->resp_file = 0; /* MHD closes the descriptor */
	} else {
		resp = MHD_create_response_from_buffer(r->resp_len, r->resp_body,
						       MHD_RESPMEM_MUST_FREE);
		if (resp == NULL)
			return MHD_NO;
		r->resp_body = NULL; /* owned by MHD now */
	}
	MHD_add_response_header(resp, "Content-Type", r->resp_type);
	MHD_add_response_header(resp, "X-Request-Id", r->rid);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	MHD_add_response_header(resp, "Content-Security-Policy", HTTP_CSP);
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	int has_cache = 0;
	for (int i = 0; i < r->resp_headers; i++) {
		MHD_add_response_header(resp, r->resp_hname[i], r->resp_hvalue[i]);
		if (strcasecmp(r->resp_hname[i], "Cache-Control") == 0)
			has_cache = 1;
	}
	if (!has_cache)
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* 1 when the request's Content-Type is application/json. */
static int content_type_json(const struct req *r)
{
	const char *ct = req_header(r, "Content-Type");

	return ct != NULL && strncasecmp(ct, "application/json", 16) == 0 &&
	       (ct[16] == '\0' || ct[16] == ';' || ct[16] == ' ');
}

/* Parses the JSON body of a route that declares one: 415 for another content
 * type, 400 naming the position for malformed JSON (duplicate keys too). */
static int parse_body(struct req *r)
{
	json_error_t jerr;

	if (!(r->route->flags & ROUTE_JSON_BODY))
		return 0;
	if (!content_type_json(r)) {
		reply_error(r, 415, "unsupported_media_type", NULL,
			    "请求内容类型必须为 application/json");
		return -1;
	}
	r->json = json_loadb(r->body ? r->body : "", r->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (r->json == NULL) {
		reply_error(r, 400, "invalid_json", NULL,
			    "请求体不是合法的 JSON（第 %d 行第 %d 列：%s）", jerr.line, jerr.column,
			    jerr.text);
		return -1;
	}
	return 0;
}

/* Requests that run on the worker pool: ROUTE_SLOW and every state-changing
 * method unless ROUTE_INLINE. Their authorisation runs there too, since it
 * may write (the audit entry of a refusal, a session's last-seen time). */
/* Which requests leave the I/O thread: those marked slow, those that change
 * state (unless marked inline: they touch no store), and those that need the
 * caller identified — looking up a session reads the store and may write it
 * (last-seen time, the audit entry of a refusal). */
static int runs_on_worker(const struct req *r)
{
	const char *authz;

	if ((r->route->flags & ROUTE_TOKEN_INLINE) && strcmp(r->method, "GET") == 0 &&
	    (authz = req_header(r, "Authorization")) != NULL && strncmp(authz, "Bearer ", 7) == 0)
		return 0;
	return route_on_worker(r->route, r->method);
}

/* The worker pool class of r's handler. */
static int work_class(const struct req *r)
{
	if (r->route && (r->route->flags & ROUTE_UPLOAD))
		return WORK_UPLOAD;
	if (r->route && (r->route->flags & ROUTE_RENDERS))
		return WORK_RENDER;
	return r->route && (r->route->flags & ROUTE_HASHES) ? WORK_HASH : WORK_GENERAL;
}

/* Runs the handler of a matched request (any thread); worker requests are
 * authorised (unless that was done from the headers) and their body parsed
 * here first. A request in ST_AUTH is only identified and authorised: its
 * body has not been received yet. */
void http_run_handler(struct req *r)
{
	if (r->state == ST_AUTH) {
		if (auth_check(r) == 0)
			r->authorised = 1;
		return;
	}
	if (runs_on_worker(r) && ((!r->authorised && auth_check(r) < 0) || parse_body(r) < 0))
		return;
	r->route->handler(r);
	if (!r->replied)
		reply_error(r, 500, "internal", NULL, "服务器内部错误，请稍后重试");
	if (r->licenses_changed && r->status < 300)
		verify_cache_bump(r->app->verify_cache);
	/* a token created, revoked or given other sharing settings: the token
	   cache forgets every token (auth.c), so the next request reads it */
	if (r->status < 300 && strcmp(r->route->permission, "tokens.manage") == 0 &&
	    strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0)
		auth_tokens_changed(r->app);
	auth_after_handler(r);
}

/* Answers 503 busy: the worker pool class of r is full. No store is
 * touched, so this is safe on an I/O thread. */
static void reply_busy(struct req *r, int retry_after)
{
	char v[16];

	snprintf(v, sizeof(v), "%d", retry_after);
	reply_error(r, 503, "busy", NULL, "服务器繁忙，请 %d 秒后重试", retry_after);
	reply_header(r, "Retry-After", v);
}

/* Suspends r's connection and queues r for a worker in class cls. Returns
 * 0, or -1 with the 503 busy reply in r when the class is full (nothing was
 * suspended). */
static int to_worker(struct req *r, int cls)
{
	int retry;

	if (workpool_reserve(r->app->pool, cls, &retry) < 0) {
		reply_busy(r, retry);
		return -1;
	}
	MHD_suspend_connection(r->conn);
	workpool_submit(r->app->pool, r, cls);
	return 0;
}

/* The body limit of r's route: --body-limit, or more for ROUTE_LARGE_BODY. */
static size_t body_limit(const struct req *r)
{
	size_t lim = r->app->cfg.body_limit;

	if (r->route && (r->route->flags & ROUTE_UPLOAD))
		return ROUTE_UPLOAD_LIMIT;
	if (r->route && (r->route->flags & ROUTE_LARGE_BODY) && lim < ROUTE_LARGE_BODY_LIMIT)
		lim = ROUTE_LARGE_BODY_LIMIT;
	return lim;
}

/* Decides everything that can be decided before the handler: routing errors,
 * body limit, content type, authorisation. Returns 1 when r already holds the
 * reply, 0 when the handler should run. */
static int precheck(struct req *r)
{
	if (r->body_too_large) {
		reply_error(r, 413, "payload_too_large", NULL, "请求体过大（上限 %zu 字节）",
			    body_limit(r));
		return 1;
	}
	if (r->route == NULL)
		return http_route_fallback(r);
	if (r->body_len > 0 && !(r->route->flags & (ROUTE_JSON_BODY | ROUTE_UPLOAD))) {
		reply_error(r, 415, "unsupported_media_type", NULL, "此接口不接受请求体");
		return 1;
	}
	if (runs_on_worker(r))
		return 0; /* authorised by http_run_handler on the worker */
	/* Public routes answered on the I/O thread do not identify the caller:
	 * nothing they answer depends on who asks. */
	if (strcmp(r->route->permission, "public") != 0 && !r->authorised && auth_check(r) < 0)
		return 1;
	if (parse_body(r) < 0)
		return 1;
	return 0;
}

/* 1 when the request announces a body. */
static int announces_body(const struct req *r)
{
	const char *cl = req_header(r, "Content-Length");

	return (cl && strtoull(cl, NULL, 10) > 0) || req_header(r, "Transfer-Encoding") != NULL;
}

/* The refusals the headers of a request with a body decide once it is
 * authorised: 413 when the declared length is over the limit, 415 when the
 * route takes no body or the type is not JSON. Returns 1 with the reply in
 * r, else 0. */
static int refuse_from_headers(struct req *r)
{
	const char *cl = req_header(r, "Content-Length");

	if (cl && strtoull(cl, NULL, 10) > body_limit(r)) {
		r->body_too_large = 1;
		reply_error(r, 413, "payload_too_large", NULL, "请求体过大（上限 %zu 字节）",
			    body_limit(r));
		return 1;
	}
	if (r->route->flags & ROUTE_UPLOAD)
		return 0; /* any content type: the handler judges the bytes */
	if (!(r->route->flags & ROUTE_JSON_BODY)) {
		reply_error(r, 415, "unsupported_media_type", NULL, "此接口不接受请求体");
		return 1;
	}
	if (!content_type_json(r)) {
		reply_error(r, 415, "unsupported_media_type", NULL,
			    "请求内容类型必须为 application/json");
		return 1;
	}
	return 0;
}

/* Appends n bytes of a ROUTE_UPLOAD body to its temp file (opened at the
 * first byte). A failed write (disk full) keeps receiving and discarding,
 * and the handler answers 503. The file write is a page-cache copy; the
 * fsync that makes it durable runs on the worker (blob_writer_commit). */
static enum MHD_Result upload_append(struct req *r, const char *data, size_t n)
{
	struct yerr e = {0};

	r->body_len += n;
	if (r->upload_failed)
		return MHD_YES;
	if (r->upload == NULL && blob_writer_open(r->app->cfg.data_dir, &r->upload, &e) < 0)
		r->upload_failed = 1;
	else if (blob_writer_write(r->upload, data, n, &e) < 0)
		r->upload_failed = 1;
	return MHD_YES;
}

/* The first call of a request (headers complete, no body received): see
 * the lifecycle at the top of this file. */
static enum MHD_Result on_headers(struct req *r)
{
	if (!announces_body(r)) {
		r->state = ST_BODY; /* decided at the last call, keeping the connection */
		return MHD_YES;
	}
	if (r->route == NULL) {
		http_route_fallback(r);
		r->state = ST_READY;
		return queue_reply(r);
	}
	if (strcmp(r->route->permission, "public") != 0) {
		/* Who asks is known only from the store: ask on a worker, and
		 * receive nothing until the answer is in. */
		r->state = ST_AUTH;
		if (to_worker(r, WORK_GENERAL) == 0)
			return MHD_YES;
		r->state = ST_READY;
		return queue_reply(r);
	}
	if (refuse_from_headers(r)) {
		r->state = ST_READY;
		return queue_reply(r);
	}
	r->state = ST_BODY;
	conntrack_body_expect(r->app->conntrack, r->conn);
	return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	struct app *app = cls;
	struct req *r = *con_cls;

	(void)version;
	if (r == NULL) {
		r = calloc(1, sizeof(*r));
		if (r == NULL)
			return MHD_NO;
		conntrack_headers_done(app->conntrack, conn);
		r->app = app;
		r->conn = conn;
		r->method = method;
		r->url = url;
		r->t_start = now_ms();
		r->route_idx = -1;
		r->resp_fd = -1;
		http_request_id(r->rid, sizeof(r->rid));
		client_address(conn, r->client, sizeof(r->client));
		http_route_match(r);
		*con_cls = r;
		metrics_inflight(app->metrics, 1);
		return on_headers(r);
	}

	if (r->state == ST_AUTH) {
		/* Resumed after identification; MHD repeats the first call. */
		if (r->replied || refuse_from_headers(r)) {
			r->state = ST_READY;
			return queue_reply(r);
		}
		r->state = ST_BODY;
		conntrack_body_expect(app->conntrack, conn);
		return MHD_YES;
	}

	if (r->state == ST_BODY && *upload_data_size > 0) {
		size_t n = *upload_data_size;

		*upload_data_size = 0;
		conntrack_body_progress(app->conntrack, conn, n);
		if (r->body_too_large || r->body_len + n > body_limit(r)) {
			r->body_too_large = 1;
			blob_writer_abort(r->upload);
			r->upload = NULL;
			return MHD_YES; /* discard the rest; answer 413 at the end */
		}
		if (r->route && (r->route->flags & ROUTE_UPLOAD))
			return upload_append(r, upload_data, n);
		if (r->body_len + n + 1 > r->body_cap) {
			size_t cap = (r->body_len + n + 1) * 2;
			char *b;

			if (cap > body_limit(r) + 1)
				cap = body_limit(r) + 1;
			b = realloc(r->body, cap);
			if (b == NULL)
				return MHD_NO;
			r->body = b;
			r->body_cap = cap;
		}
		memcpy(r->body + r->body_len, upload_data, n);
		r->body_len += n;
		r->body[r->body_len] = '\0';
		return MHD_YES;
	}

	if (r->state == ST_BODY) {
		conntrack_body_done(app->conntrack, conn);
		if (precheck(r)) {
			r->state = ST_READY;
			return queue_reply(r);
		}
		if (runs_on_worker(r)) {
			r->state = ST_RUNNING;
			if (to_worker(r, work_class(r)) == 0)
				return MHD_YES;
			r->state = ST_READY;
			return queue_reply(r);
		}
		http_run_handler(r);
		r->state = ST_READY;
		return queue_reply(r);
	}

	if (r->state == ST_RUNNING) {
		/* Resumed by the worker pool: the reply is ready. */
		r->state = ST_READY;
		return queue_reply(r);
	}
	return MHD_YES;
}

/* Called by the worker pool when a suspended request's reply is ready. */
void http_resume(struct req *r)
{
	MHD_resume_connection(r->conn);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct app *app = cls;
	struct req *r = *con_cls;
	double ms;

	conntrack_request_done(app->conntrack, conn);
	if (r == NULL)
		return;
	ms = now_ms() - r->t_start;
	if (r->status == 0)
		r->status = 499; /* client went away before an answer */
	metrics_observe(app->metrics, r->route_idx, r->status, ms);
	metrics_inflight(app->metrics, -1);
	/* One structured line per request. The route pattern is logged, never
	 * the concrete path or query, so identifiers typed by users stay out. */
	reqlog_request(app->reqlog, r->rid, r->method,
		       r->route ? r->route->pattern : http_route_label(r), r->status, ms,
		       toe != MHD_REQUEST_TERMINATED_COMPLETED_OK);
	req_free(r);
	*con_cls = NULL;
}

static int write_port_file(const char *path, int port)
{
	char tmp[1100];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (f == NULL)
		return -1;
	fprintf(f, "%d\n", port);
	if (fclose(f) != 0)
		return -1;
	return rename(tmp, path);
}

/* Each connection is a descriptor: lift the soft limit to the hard one and
 * keep the connection limit below it, leaving room for the database, the
 * log and the worker pool, so a burst of clients is refused by
 * libmicrohttpd cleanly instead of failing accept() or open() elsewhere. */
static void raise_fd_limit(struct app *app)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur != RLIM_INFINITY && (rlim_t)app->cfg.max_connections + 128 > rl.rlim_cur)
		app->cfg.max_connections = rl.rlim_cur > 256 ? (int)(rl.rlim_cur - 128) : 128;
}

int http_serve(struct app *app)
{
	struct MHD_Daemon *d;
	struct catalog_watch *watch;
	struct event_delivery *events; /* share-events: the outbox's sender */
	struct sockaddr_in addr;
	const union MHD_DaemonInfo *info;
	sigset_t stopset;
	int port, sig;

	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)app->cfg.listen_port);
	if (inet_pton(AF_INET,
		      strcmp(app->cfg.listen_host, "localhost") == 0 ? "127.0.0.1"
								     : app->cfg.listen_host,
		      &addr.sin_addr) != 1) {
		fprintf(stderr, "yiye: listen address must be an IPv4 address: %s\n",
			app->cfg.listen_host);
		return 2;
	}
	if (static_load(app) < 0)
		return 1;
	/* Block the stop signals before any thread starts, so every thread
	 * inherits the mask and only sigwait() below receives them. */
	sigemptyset(&stopset);
	sigaddset(&stopset, SIGINT);
	sigaddset(&stopset, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stopset, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* A file-size limit or quota must fail the write (and answer 503), not
	 * kill the server. */
	signal(SIGXFSZ, SIG_IGN);
	raise_fd_limit(app);
	blobs_sweep_tmp(app->cfg.data_dir); /* uploads a crash cut short */
	app->metrics = metrics_new(routes_count);
	auth_state_init(app);
	{
		/* Password hashes: as many at once as the hashing concurrency
		 * allows, a bounded queue behind them (docs/security.md). */
		const struct workpool_limits limits[WORK_CLASSES] = {
		    [WORK_GENERAL] = {.run = app->cfg.workers,
				      .wait = app->cfg.queue_limit,
				      .expect_ms = 10},
		    [WORK_HASH] = {.run = auth_config(app)->pwhash_concurrency,
				   .wait = app->cfg.hash_queue,
				   .expect_ms = auth_config(app)->pwhash_fast ? 1 : 80},
		    /* Uploads: the body is already on disk; the job is its
		     * fsync, rename and row, a few at once so they do not
		     * take every worker from the rest. */
		    [WORK_UPLOAD] = {.run = app->cfg.upload_workers,
				     .wait = app->cfg.upload_queue,
				     .expect_ms = 50},
		    /* License issuance: a PDF rendered and fsynced inside the
		     * issuing transaction; a few at once, a bounded queue. */
		    [WORK_RENDER] = {.run = app->cfg.render_workers,
				     .wait = app->cfg.render_queue,
				     .expect_ms = 200},
		};

		app->pool = workpool_start(app, app->cfg.workers, limits);
	}
	app->conntrack = conntrack_start(app->cfg.header_timeout);
	app->reqlog = reqlog_start(2);
	watch = catalog_watch_start(app); /* other nodes' activations, housekeeping */
	events = event_delivery_start(app);

	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
				 MHD_ALLOW_SUSPEND_RESUME | MHD_USE_TURBO,
			     0, NULL, NULL, on_request, app, MHD_OPTION_SOCK_ADDR, &addr,
			     MHD_OPTION_THREAD_POOL_SIZE, (unsigned)app->cfg.io_threads,
			     MHD_OPTION_CONNECTION_LIMIT, (unsigned)app->cfg.max_connections,
			     MHD_OPTION_PER_IP_CONNECTION_LIMIT,
			     (unsigned)app->cfg.per_ip_connections, MHD_OPTION_NOTIFY_CONNECTION,
			     conntrack_notify, app->conntrack, MHD_OPTION_CONNECTION_TIMEOUT,
			     (unsigned)60, MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024,
			     MHD_OPTION_NOTIFY_COMPLETED, on_completed, app, MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "yiye: cannot listen on %s:%d: %s\n", app->cfg.listen_host,
			app->cfg.listen_port, strerror(errno));
		catalog_watch_stop(watch);
		event_delivery_stop(events);
		workpool_stop(app->pool);
		conntrack_stop(app->conntrack);
		app->conntrack = NULL;
		reqlog_stop(app->reqlog);
		app->reqlog = NULL;
		metrics_free(app->metrics);
		auth_state_free(app);
		static_free(app);
		return 1;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	port = info ? info->port : app->cfg.listen_port;
	printf("yiye: listening on http://%s:%d/ (database %s)\n", app->cfg.listen_host, port,
	       store_describe(app->store));
	fflush(stdout);
	if (app->cfg.port_file[0] && write_port_file(app->cfg.port_file, port) < 0)
		fprintf(stderr, "yiye: cannot write port file %s\n", app->cfg.port_file);

	while (sigwait(&stopset, &sig) != 0)
		;

	/* Stop accepting, let in-flight requests finish (bounded), then stop. */
	fprintf(stderr, "yiye: shutting down\n");
	MHD_quiesce_daemon(d);
	for (int i = 0; i < 100 && metrics_inflight(app->metrics, 0) > 0; i++)
		usleep(100 * 1000);
	/* Workers first: they finish what they hold and resume its connection,
	 * so no request is freed by the daemon while a worker still uses it and
	 * no connection is left suspended when the daemon stops. */
	catalog_watch_stop(watch);
	event_delivery_stop(events);
	workpool_stop(app->pool);
	app->pool = NULL;
	MHD_stop_daemon(d);
	conntrack_stop(app->conntrack);
	app->conntrack = NULL;
	reqlog_stop(app->reqlog); /* every thread that logs has stopped */
	app->reqlog = NULL;
	metrics_free(app->metrics);
	app->metrics = NULL;
	auth_state_free(app);
	static_free(app);
	fprintf(stderr, "yiye: stopped\n");
	return 0;
}
