/*
 * test_blobs.c — the content-addressed material store (src/io/blobs.c): a
 * blob lands under its sha256 name, equal contents share one file, nothing
 * is left in tmp, an aborted upload leaves nothing, a missing blob is 404,
 * and a stale temp file is swept.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "io/blobs.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/yiye-blobs-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Files in DATA/materials/tmp. */
static int tmp_count(void)
{
	char p[128];
	struct dirent *de;
	int n = 0;
	DIR *d;

	snprintf(p, sizeof(p), "%s/materials/tmp", dir);
	d = opendir(p);
	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL)
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

static void put(const char *text, size_t chunks, char hex[BLOB_HEX_LEN + 1])
{
	struct blob_writer *w;
	struct yerr e = {0};
	size_t len = strlen(text), step = len / chunks + 1;

	assert_int_equal(blob_writer_open(dir, &w, &e), 0);
	for (size_t off = 0; off < len; off += step)
		assert_int_equal(
		    blob_writer_write(w, text + off, off + step > len ? len - off : step, &e), 0);
	assert_int_equal(blob_writer_size(w), len);
	assert_int_equal(blob_writer_commit(w, hex, &e), 0);
}

static void test_hash_name(void **state)
{
	/* sha256("abc"), FIPS 180-2 appendix B.1 */
	const char *want = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
	char hex[BLOB_HEX_LEN + 1], path[256], buf[8];
	struct yerr e = {0};
	uint64_t size;
	int fd;

	(void)state;
	put("abc", 3, hex);
	assert_string_equal(hex, want);
	assert_int_equal(blob_path(dir, hex, path, sizeof(path)), 0);
	assert_non_null(strstr(path, "/materials/ba/7816bf8f01cf"));
	assert_int_equal(access(path, R_OK), 0);
	assert_int_equal(blob_open(dir, hex, &fd, &size, &e), 0);
	assert_int_equal(size, 3);
	assert_int_equal(read(fd, buf, sizeof(buf)), 3);
	assert_memory_equal(buf, "abc", 3);
	close(fd);
	assert_int_equal(tmp_count(), 0);
}

static void test_dedup(void **state)
{
	char a[BLOB_HEX_LEN + 1], b[BLOB_HEX_LEN + 1], sub[128];
	struct dirent *de;
	int n = 0;
	DIR *d;

	(void)state;
	put("same bytes, twice", 1, a);
	put("same bytes, twice", 4, b);
	assert_string_equal(a, b);
	snprintf(sub, sizeof(sub), "%s/materials/%.2s", dir, a);
	d = opendir(sub);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		n += strcmp(de->d_name, a + 2) == 0;
	closedir(d);
	assert_int_equal(n, 1);
	assert_int_equal(tmp_count(), 0);
}

static void test_abort_and_sweep(void **state)
{
	struct blob_writer *w;
	struct yerr e = {0};
	char p[256], host[65] = "";
	int fd;

	(void)state;
	assert_int_equal(blob_writer_open(dir, &w, &e), 0);
	assert_int_equal(blob_writer_write(w, "partial", 7, &e), 0);
	assert_int_equal(tmp_count(), 1);
	blob_writer_abort(w);
	assert_int_equal(tmp_count(), 0);
	blob_writer_abort(NULL);

	/* What a crash of this host's node leaves behind is removed at its
	 * next start; another host's recent upload (a node sharing the
	 * directory) is left alone until it is a day old. */
	gethostname(host, sizeof(host) - 1);
	for (char *c = host; *c; c++)
		if (*c == '/' || *c == '-')
			*c = '_';
	snprintf(p, sizeof(p), "%s/materials/tmp/up-%s-crash1", dir, host[0] ? host : "host");
	fd = open(p, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	close(fd);
	snprintf(p, sizeof(p), "%s/materials/tmp/up-otherhost-busy", dir);
	fd = open(p, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(tmp_count(), 2);
	blobs_sweep_tmp(dir);
	assert_int_equal(tmp_count(), 1);
	{
		struct timespec old[2] = {{.tv_sec = time(NULL) - 2 * 86400},
					  {.tv_sec = time(NULL) - 2 * 86400}};

		assert_int_equal(utimensat(AT_FDCWD, p, old, 0), 0);
	}
	blobs_sweep_tmp(dir);
	assert_int_equal(tmp_count(), 0);
}

static void test_missing_and_bad_names(void **state)
{
	char path[256];
	struct yerr e = {0};
	uint64_t size;
	int fd;

	(void)state;
	assert_int_equal(
	    blob_open(dir, "0000000000000000000000000000000000000000000000000000000000000000", &fd,
		      &size, &e),
	    -1);
	assert_int_equal(e.status, 404);
	assert_string_equal(e.code, "material_file_missing");
	assert_int_equal(blob_path(dir, "../etc/passwd", path, sizeof(path)), -1);
	assert_int_equal(
	    blob_path(dir, "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", path,
		      sizeof(path)),
	    -1);
	assert_int_equal(blob_path(dir, "ab", path, sizeof(path)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hash_name),
	    cmocka_unit_test(test_dedup),
	    cmocka_unit_test(test_abort_and_sweep),
	    cmocka_unit_test(test_missing_and_bad_names),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
