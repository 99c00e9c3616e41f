/*
 * blobs.c — the content-addressed material store (blobs.h). File I/O lives
 * here, outside src/core, like the catalog directory reader.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "io/blobs.h"

#define BLOB_FLUSH_STEP ((uint64_t)1 << 20)

struct blob_writer {
	int fd;
	uint64_t size;
	uint64_t flushed;    /* bytes whose write-back has been started */
	EVP_MD_CTX *md;      /* sha256 of the bytes so far */
	char data_dir[1024]; /* DATA */
	char dir[1024];      /* DATA/materials */
	char tmp[1200];      /* DATA/materials/tmp/up-HOST-XXXXXX */
	int failed;          /* a write failed: commit refuses */
};

/* This host's name as a file name part ("" when unknown). Temp files
 * carry it so that nodes sharing one materials directory (several nodes on
 * PostgreSQL, docs/deployment.md) each sweep only their own leftovers. */
static const char *host_tag(char tag[72])
{
	char h[65] = "";

	gethostname(h, sizeof(h) - 1);
	for (char *p = h; *p; p++)
		if (*p == '/' || *p == '-')
			*p = '_';
	snprintf(tag, 72, "%s", h[0] ? h : "host");
	return tag;
}

static int io_fail(struct yerr *err, const char *what, const char *path)
{
	int e = errno;

	fprintf(stderr, "yiye: blobs: %s %s: %s\n", what, path, strerror(e));
	return yerr_set(err, 503, "storage_unavailable", NULL, "材料存储暂不可用，请稍后重试");
}

/* mkdir that accepts an existing directory. */
static int mkdir_p1(const char *path)
{
	return mkdir(path, 0750) == 0 || errno == EEXIST ? 0 : -1;
}

/* fsync of a directory, so a rename or creation in it is durable. */
static int fsync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

int blob_writer_open(const char *data_dir, struct blob_writer **out, struct yerr *err)
{
	struct blob_writer *w = calloc(1, sizeof(*w));
	char tmpdir[1060];

	*out = NULL;
	if (w == NULL)
		return yerr_set(err, 503, "storage_unavailable", NULL, "内存不足，请稍后重试");
	snprintf(w->data_dir, sizeof(w->data_dir), "%s", data_dir);
	snprintf(w->dir, sizeof(w->dir), "%s/materials", data_dir);
	snprintf(tmpdir, sizeof(tmpdir), "%s/tmp", w->dir);
	char tag[72];

	snprintf(w->tmp, sizeof(w->tmp), "%s/up-%s-XXXXXX", tmpdir, host_tag(tag));
	if (mkdir_p1(w->dir) < 0 || mkdir_p1(tmpdir) < 0) {
		free(w);
		return io_fail(err, "mkdir", tmpdir);
	}
	/* OpenSSL's SHA-256 uses the CPU's SHA extensions where present: on
	 * a 10 MB upload it is most of the server's work otherwise. */
	w->md = EVP_MD_CTX_new();
	if (w->md == NULL || EVP_DigestInit_ex(w->md, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(w->md);
		free(w);
		return yerr_set(err, 503, "storage_unavailable", NULL, "内存不足，请稍后重试");
	}
	w->fd = mkostemp(w->tmp, O_CLOEXEC);
	if (w->fd < 0) {
		io_fail(err, "create", w->tmp);
		EVP_MD_CTX_free(w->md);
		free(w);
		return -1;
	}
	*out = w;
	return 0;
}

int blob_writer_write(struct blob_writer *w, const void *buf, size_t len, struct yerr *err)
{
	const unsigned char *p = buf;
	size_t left = len;

	if (w->failed)
		return yerr_set(err, 503, "storage_unavailable", NULL,
				"材料存储暂不可用，请稍后重试");
	while (left > 0) {
		ssize_t n = write(w->fd, p, left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			w->failed = 1;
			return io_fail(err, "write", w->tmp);
		}
		p += n;
		left -= (size_t)n;
	}
	EVP_DigestUpdate(w->md, buf, len);
	w->size += len;
	/* Start writing each full MiB back to disk while the rest arrives, so
	 * the fsync at commit waits for the tail only (Linux; elsewhere the
	 * fsync does it all). Asynchronous: it does not wait for the disk. */
#ifdef SYNC_FILE_RANGE_WRITE
	if (w->size - w->flushed >= BLOB_FLUSH_STEP) {
		sync_file_range(w->fd, (off64_t)w->flushed, (off64_t)(w->size - w->flushed),
				SYNC_FILE_RANGE_WRITE);
		w->flushed = w->size;
	}
#endif
	return 0;
}

uint64_t blob_writer_size(const struct blob_writer *w)
{
	return w->size;
}

int blob_writer_fd(const struct blob_writer *w)
{
	return w->fd;
}

void blob_writer_abort(struct blob_writer *w)
{
	if (w == NULL)
		return;
	if (w->fd >= 0)
		close(w->fd);
	unlink(w->tmp);
	EVP_MD_CTX_free(w->md);
	free(w);
}

static void hex_of(const unsigned char *h, char out[BLOB_HEX_LEN + 1])
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 0; i < 32; i++) {
		out[2 * i] = digits[h[i] >> 4];
		out[2 * i + 1] = digits[h[i] & 15];
	}
	out[BLOB_HEX_LEN] = '\0';
}

int blob_writer_commit(struct blob_writer *w, char hex[BLOB_HEX_LEN + 1], struct yerr *err)
{
	unsigned char h[EVP_MAX_MD_SIZE];
	unsigned int hlen = 0;
	char sub[1100], path[1200];
	struct stat sb;
	int fresh_sub, rc = 0;

	if (w->failed) {
		blob_writer_abort(w);
		return yerr_set(err, 503, "storage_unavailable", NULL,
				"材料存储暂不可用，请稍后重试");
	}
	if (EVP_DigestFinal_ex(w->md, h, &hlen) != 1 || hlen != 32) {
		blob_writer_abort(w);
		return yerr_set(err, 500, "internal", NULL, "服务器内部错误，请稍后重试");
	}
	hex_of(h, hex);
	snprintf(sub, sizeof(sub), "%s/%.2s", w->dir, hex);
	snprintf(path, sizeof(path), "%s/%s", sub, hex + 2);
	/* The bytes first, then the name: after a crash the name never points
	 * at a file whose content is not on disk. */
	if (fsync(w->fd) < 0) {
		rc = io_fail(err, "fsync", w->tmp);
		goto out;
	}
	fresh_sub = stat(sub, &sb) < 0;
	if (mkdir_p1(sub) < 0) {
		rc = io_fail(err, "mkdir", sub);
		goto out;
	}
	/* A new ab/ directory: its entry in materials/, and materials/'s own
	 * entry in the data directory (created with the first upload), must
	 * be on disk before a name inside them counts. */
	if (fresh_sub && (fsync_dir(w->dir) < 0 || fsync_dir(w->data_dir) < 0)) {
		rc = io_fail(err, "fsync", w->dir);
		goto out;
	}
	/* An existing blob of the same hash has the same bytes; replacing it
	 * keeps the store consistent, and the directory fsync below makes the
	 * name durable even if an earlier writer crashed before its own. */
	if (rename(w->tmp, path) < 0) {
		rc = io_fail(err, "rename", path);
		goto out;
	}
	w->tmp[0] = '\0';
	if (fsync_dir(sub) < 0)
		rc = io_fail(err, "fsync", sub);
out:
	if (w->tmp[0])
		unlink(w->tmp);
	close(w->fd);
	EVP_MD_CTX_free(w->md);
	free(w);
	return rc;
}

int blob_path(const char *data_dir, const char *hex, char *out, size_t outsz)
{
	int n;

	if (hex == NULL || strlen(hex) != BLOB_HEX_LEN ||
	    strspn(hex, "0123456789abcdef") != BLOB_HEX_LEN)
		return -1;
	n = snprintf(out, outsz, "%s/materials/%.2s/%s", data_dir, hex, hex + 2);
	return n < 0 || (size_t)n >= outsz ? -1 : 0;
}

int blob_open(const char *data_dir, const char *hex, int *fd, uint64_t *size, struct yerr *err)
{
	char path[1200];
	struct stat sb;

	*fd = -1;
	*size = 0;
	if (blob_path(data_dir, hex, path, sizeof(path)) < 0)
		return yerr_set(err, 404, "material_file_missing", NULL, "材料文件不存在");
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0) {
		if (errno == ENOENT)
			return yerr_set(err, 404, "material_file_missing", NULL, "材料文件不存在");
		return io_fail(err, "open", path);
	}
	if (fstat(*fd, &sb) < 0) {
		close(*fd);
		*fd = -1;
		return io_fail(err, "stat", path);
	}
	*size = (uint64_t)sb.st_size;
	return 0;
}

void blobs_sweep_tmp(const char *data_dir)
{
	char dir[1100], path[1400], mine[100], tag[72];
	struct dirent *de;
	struct stat sb;
	time_t now = time(NULL);
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/materials/tmp", data_dir);
	snprintf(mine, sizeof(mine), "up-%s-", host_tag(tag));
	d = opendir(dir);
	if (d == NULL)
		return;
	/* This host's temp files are left by a crash of this node (it starts
	 * before taking uploads); another host's only when a day old (its
	 * node may be receiving them now). */
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, "up-", 3) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (strncmp(de->d_name, mine, strlen(mine)) == 0 ||
		    (stat(path, &sb) == 0 && now - sb.st_mtime > 86400))
			unlink(path);
	}
	closedir(d);
}
