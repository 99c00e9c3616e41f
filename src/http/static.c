/*
 * static.c — serves the built web UI (web/dist) from memory.
 *
 * The files are read once at start into a table sorted by path, so a request
 * can only ever get one of those files (no path is joined onto the file
 * system at request time) and is answered without I/O. Hashed assets under
 * /assets/ are cached for a year; index.html is revalidated every time.
 * Paths without a file extension that are not files fall back to
 * index.html, so the UI's client-side routes can be reloaded.
 */
#include <dirent.h>
#include <errno.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "http/internal.h"

#define WEB_MAX_TOTAL (64u << 20)
#define WEB_MAX_FILES 4096

struct webfile {
	char *path; /* "/assets/index-abc123.js" */
	char *data;
	size_t len;
	const char *type;
	char etag[24];
};

struct webfiles {
	int n;
	size_t total;
	struct webfile files[WEB_MAX_FILES];
};

static const char *content_type(const char *path)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
	    {".html", "text/html; charset=utf-8"},
	    {".js", "text/javascript; charset=utf-8"},
	    {".mjs", "text/javascript; charset=utf-8"},
	    {".css", "text/css; charset=utf-8"},
	    {".json", "application/json; charset=utf-8"},
	    {".svg", "image/svg+xml"},
	    {".png", "image/png"},
	    {".jpg", "image/jpeg"},
	    {".ico", "image/x-icon"},
	    {".woff2", "font/woff2"},
	    {".woff", "font/woff"},
	    {".ttf", "font/ttf"},
	    {".txt", "text/plain; charset=utf-8"},
	    {".map", "application/json; charset=utf-8"},
	};
	const char *dot = strrchr(path, '.');

	for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

static int load_file(struct webfiles *w, const char *full, const char *rel)
{
	FILE *f;
	struct stat st;
	struct webfile *wf;
	unsigned h = 2166136261u;

	if (w->n == WEB_MAX_FILES || stat(full, &st) < 0 ||
	    w->total + (size_t)st.st_size > WEB_MAX_TOTAL) {
		fprintf(stderr, "yiye: web files exceed limits at %s\n", full);
		return -1;
	}
	wf = &w->files[w->n];
	wf->len = (size_t)st.st_size;
	wf->data = malloc(wf->len ? wf->len : 1);
	f = fopen(full, "rb");
	if (wf->data == NULL || f == NULL || fread(wf->data, 1, wf->len, f) != wf->len) {
		if (f)
			fclose(f);
		free(wf->data);
		fprintf(stderr, "yiye: cannot read %s\n", full);
		return -1;
	}
	fclose(f);
	for (size_t i = 0; i < wf->len; i++)
		h = (h ^ (unsigned char)wf->data[i]) * 16777619u;
	snprintf(wf->etag, sizeof(wf->etag), "\"%08x-%zx\"", h, wf->len);
	wf->path = strdup(rel);
	wf->type = content_type(rel);
	w->total += wf->len;
	w->n++;
	return 0;
}

static int load_dir(struct webfiles *w, const char *dir, const char *rel)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int rc = 0;

	if (d == NULL)
		return -1;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		char full[2048], sub[1024];
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		snprintf(full, sizeof(full), "%s/%s", dir, e->d_name);
		snprintf(sub, sizeof(sub), "%s/%s", rel, e->d_name);
		if (stat(full, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode))
			rc = load_dir(w, full, sub);
		else if (S_ISREG(st.st_mode))
			rc = load_file(w, full, sub);
	}
	closedir(d);
	return rc;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct webfile *)a)->path, ((const struct webfile *)b)->path);
}

int static_load(struct app *app)
{
	struct webfiles *w = calloc(1, sizeof(*w));

	if (w == NULL)
		abort();
	app->web = w;
	if (app->cfg.web_dir[0] == '\0')
		return 0;
	if (load_dir(w, app->cfg.web_dir, "") < 0) {
		if (errno == ENOENT && w->n == 0) {
			fprintf(stderr,
				"yiye: web UI not found at %s (run `make` to build it); "
				"serving the API only\n",
				app->cfg.web_dir);
			return 0;
		}
		return -1;
	}
	qsort(w->files, (size_t)w->n, sizeof(w->files[0]), by_path);
	return 0;
}

void static_free(struct app *app)
{
	struct webfiles *w = app->web;

	if (w == NULL)
		return;
	for (int i = 0; i < w->n; i++) {
		free(w->files[i].path);
		free(w->files[i].data);
	}
	free(w);
	app->web = NULL;
}

static const struct webfile *find(const struct webfiles *w, const char *path)
{
	struct webfile key = {.path = (char *)path};

	return bsearch(&key, w->files, (size_t)w->n, sizeof(w->files[0]), by_path);
}

/* Answers r from the UI files; returns 0 when nothing fits (caller → 404). */
int static_serve(struct req *r)
{
	const struct webfiles *w = r->app->web;
	const struct webfile *f;
	const char *last = strrchr(r->url, '/');
	const char *inm;

	if (w == NULL || w->n == 0)
		return 0;
	f = find(w, strcmp(r->url, "/") == 0 ? "/index.html" : r->url);
	if (f == NULL && last && strchr(last, '.') == NULL && strncmp(r->url, "/assets/", 8) != 0)
		f = find(w, "/index.html");
	if (f == NULL)
		return 0;
	inm = req_header(r, "If-None-Match");
	if (inm && strcmp(inm, f->etag) == 0)
		reply_raw(r, 304, f->type, "", 0);
	else
		reply_raw(r, 200, f->type, f->data, f->len);
	reply_header(r, "ETag", f->etag);
	reply_header(r, "Cache-Control",
		     strncmp(f->path, "/assets/", 8) == 0 ? "public, max-age=31536000, immutable"
							  : "no-cache");
	return 1;
}
