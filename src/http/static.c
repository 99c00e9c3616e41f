/*
 * static.c — serves the built web UI (web/dist) from memory.
 *
 * The files are read once at start into a table sorted by path, so a request
 * can only ever get one of those files (no path is joined onto the file
 * system at request time) and is answered without I/O. Hashed assets under
 * /assets/ are cached for a year; index.html is revalidated every time.
 * Paths without a file extension that are not files fall back to
 * index.html, so the UI's client-side routes can be reloaded.
 *
 * The build writes compressed copies beside the files (`x.js.br`,
 * `x.js.gz`, see web/build/compress.js). They are not served under their own
 * names: they become the encodings of `x.js`, chosen by the request's
 * Accept-Encoding (pick_encoding) and answered with Content-Encoding
 * and Vary: Accept-Encoding. Compressing at build time costs the server
 * nothing per request and lets the build use brotli's slowest, best level.
 */
#include <dirent.h>
#include <errno.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "http/internal.h"

#define WEB_MAX_TOTAL (64u << 20)
#define WEB_MAX_FILES 4096

/* The encodings a file may have a build-time copy in, in order of preference. */
enum static_enc { STATIC_ENC_BR, STATIC_ENC_GZIP, STATIC_ENC_COUNT };

struct webfile {
	char *path; /* "/assets/index-abc123.js" */
	char *data;
	size_t len;
	const char *type;
	char etag[28];
	int encoded; /* 1: a compressed copy (.br/.gz) of another file, never served by name */
	/* the compressed copies of this file, NULL when absent or not smaller */
	const struct webfile *enc[STATIC_ENC_COUNT];
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

static const struct {
	const char *suffix; /* of the file holding this encoding */
	const char *coding; /* its Content-Encoding / Accept-Encoding token */
} encodings[STATIC_ENC_COUNT] = {
    [STATIC_ENC_BR] = {".br", "br"},
    [STATIC_ENC_GZIP] = {".gz", "gzip"},
};

static struct webfile *find_mut(struct webfiles *w, const char *path)
{
	struct webfile key = {.path = (char *)path};

	return bsearch(&key, w->files, (size_t)w->n, sizeof(w->files[0]), by_path);
}

/* Pairs every `x.br` / `x.gz` with `x` once the table is sorted (the array
 * does not move after that, so the pointers stay valid). A copy whose
 * original is missing, or that is not smaller than it, is kept out of the
 * way: serving it would only cost bytes. Its ETag gets the coding appended,
 * since a strong validator must differ between representations. */
static void pair_encodings(struct webfiles *w)
{
	for (int i = 0; i < w->n; i++) {
		struct webfile *f = &w->files[i];
		size_t plen = strlen(f->path);

		for (int e = 0; e < STATIC_ENC_COUNT; e++) {
			size_t slen = strlen(encodings[e].suffix);
			char base[1024];
			struct webfile *orig;

			if (plen <= slen || plen - slen >= sizeof(base) ||
			    strcmp(f->path + plen - slen, encodings[e].suffix) != 0)
				continue;
			memcpy(base, f->path, plen - slen);
			base[plen - slen] = '\0';
			orig = find_mut(w, base);
			f->encoded = 1;
			if (orig == NULL || orig->encoded || f->len >= orig->len)
				break;
			orig->enc[e] = f;
			f->type = orig->type;
			snprintf(f->etag, sizeof(f->etag), "%.*s-%s\"", (int)strlen(orig->etag) - 1,
				 orig->etag, encodings[e].coding);
			break;
		}
	}
}

/* The weight (0..1000) Accept-Encoding gives `coding`: an exact token wins
 * over `*`; absent means 0, except for identity which is acceptable unless
 * refused. Parsed leniently: an empty element is skipped and a weight that
 * is not a qvalue counts as 1, so a sloppy header never refuses an encoding. */
static int accept_weight(const char *header, const char *coding)
{
	int exact = -1, star = -1;
	const char *p = header;

	while (p && *p) {
		const char *end = p + strcspn(p, ",");
		const char *semi = memchr(p, ';', (size_t)(end - p));
		const char *tok_end = semi ? semi : end;
		int q = 1000;

		while (p < tok_end && (*p == ' ' || *p == '\t'))
			p++;
		while (tok_end > p && (tok_end[-1] == ' ' || tok_end[-1] == '\t'))
			tok_end--;
		if (semi) {
			const char *v = semi + 1;

			while (v < end && (*v == ' ' || *v == '\t'))
				v++;
			/* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] );
			 * a weight that does not start like one is ignored (q stays 1) */
			if (v + 2 < end && (v[0] == 'q' || v[0] == 'Q') && v[1] == '=' &&
			    (v[2] == '0' || v[2] == '1')) {
				int scale = 1000;

				v += 2;
				q = *v++ == '1' ? 1000 : 0;
				if (v < end && *v == '.')
					for (v++; v < end && *v >= '0' && *v <= '9' && scale > 1;
					     v++) {
						scale /= 10;
						q += (*v - '0') * scale;
					}
				if (q > 1000)
					q = 1000;
			}
		}
		if ((size_t)(tok_end - p) == strlen(coding) &&
		    strncasecmp(p, coding, (size_t)(tok_end - p)) == 0)
			exact = q;
		else if (tok_end - p == 1 && *p == '*')
			star = q;
		p = *end ? end + 1 : end;
	}
	if (exact >= 0)
		return exact;
	if (star >= 0)
		return star;
	return strcmp(coding, "identity") == 0 ? 1 : 0;
}

/* The encoding to answer with for an Accept-Encoding header (NULL: none
 * sent, so identity), among the copies available: the one the client weighs
 * highest, or -1 for identity (nothing acceptable, or identity preferred). */
static int pick_encoding(const char *accept_encoding, const int available[STATIC_ENC_COUNT])
{
	int best = -1, best_q = 0;

	if (accept_encoding == NULL)
		return -1;
	/* Table order breaks ties: brotli before gzip, both before identity
	 * (which only wins when it is preferred outright). */
	for (int e = 0; e < STATIC_ENC_COUNT; e++) {
		int q;

		if (!available[e])
			continue;
		q = accept_weight(accept_encoding, encodings[e].coding);
		if (q > best_q) {
			best = e;
			best_q = q;
		}
	}
	if (best >= 0 && accept_weight(accept_encoding, "identity") > best_q)
		return -1;
	return best;
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
	pair_encodings(w);
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
	const struct webfile *f =
	    bsearch(&key, w->files, (size_t)w->n, sizeof(w->files[0]), by_path);

	return f && !f->encoded ? f : NULL;
}

/* Answers r from the UI files; returns 0 when nothing fits (caller → 404). */
int static_serve(struct req *r)
{
	const struct webfiles *w = r->app->web;
	const struct webfile *f, *body;
	const char *last = strrchr(r->url, '/');
	const char *inm;
	int available[STATIC_ENC_COUNT], enc, any = 0;

	if (w == NULL || w->n == 0)
		return 0;
	f = find(w, strcmp(r->url, "/") == 0 ? "/index.html" : r->url);
	if (f == NULL && last && strchr(last, '.') == NULL && strncmp(r->url, "/assets/", 8) != 0)
		f = find(w, "/index.html");
	if (f == NULL)
		return 0;
	for (int e = 0; e < STATIC_ENC_COUNT; e++) {
		available[e] = f->enc[e] != NULL;
		any |= available[e];
	}
	enc = pick_encoding(req_header(r, "Accept-Encoding"), available);
	body = enc >= 0 ? f->enc[enc] : f;
	inm = req_header(r, "If-None-Match");
	if (inm && strcmp(inm, body->etag) == 0)
		reply_raw(r, 304, f->type, "", 0);
	else
		reply_raw(r, 200, f->type, body->data, body->len);
	reply_header(r, "ETag", body->etag);
	if (enc >= 0)
		reply_header(r, "Content-Encoding", encodings[enc].coding);
	/* caches must key on Accept-Encoding whenever the answer could differ */
	if (any)
		reply_header(r, "Vary", "Accept-Encoding");
	reply_header(r, "Cache-Control",
		     strncmp(f->path, "/assets/", 8) == 0 ? "public, max-age=31536000, immutable"
							  : "no-cache");
	return 1;
}
