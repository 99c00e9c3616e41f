/*
 * test_reqlog.c — the access log written in blocks (src/http/reqlog.c):
 * every line of every thread arrives whole, none lost, none interleaved,
 * and the flusher writes a quiet thread's lines without a stop.
 */
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "http/internal.h"

#define THREADS 4
#define LINES 20000 /* per thread: several buffers' worth each */

struct writer {
	struct reqlog *log;
	int id;
};

static void *write_lines(void *arg)
{
	struct writer *w = arg;
	char rid[32];

	for (int i = 0; i < LINES; i++) {
		snprintf(rid, sizeof(rid), "t%d-%06d", w->id, i);
		reqlog_request(w->log, rid, "GET", "/api/v1/licenses/{number}/verify",
			       i % 7 == 0 ? 404 : 200, (double)i / 1000.0, i % 1000 == 999);
	}
	return NULL;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void test_every_line_whole(void **state)
{
	char path[] = "/tmp/yiye-reqlog-XXXXXX";
	int fd = mkstemp(path);
	struct writer w[THREADS];
	pthread_t th[THREADS];
	size_t len, lines = 0;
	char *text, *line, *save = NULL;
	int *seen;

	(void)state;
	assert_true(fd >= 0);
	w[0].log = reqlog_start(fd);
	assert_non_null(w[0].log);
	for (int t = 0; t < THREADS; t++) {
		w[t].log = w[0].log;
		w[t].id = t;
		assert_int_equal(pthread_create(&th[t], NULL, write_lines, &w[t]), 0);
	}
	for (int t = 0; t < THREADS; t++)
		pthread_join(th[t], NULL);
	reqlog_stop(w[0].log);
	close(fd);

	text = read_file(path, &len);
	unlink(path);
	seen = calloc(THREADS * LINES, sizeof(*seen));
	assert_non_null(seen);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		int t, i, status, n = 0;
		unsigned ms_int, ms_frac;
		char aborted[32] = "";

		/* exactly the shape the server has always written */
		assert_int_equal(
		    sscanf(line,
			   "{\"ts\":%*d,\"rid\":\"t%d-%d\",\"method\":\"GET\",\"route\":"
			   "\"/api/v1/licenses/{number}/verify\",\"status\":%d,\"ms\":%u.%u%n",
			   &t, &i, &status, &ms_int, &ms_frac, &n),
		    5);
		snprintf(aborted, sizeof(aborted), "%s", line + n);
		assert_string_equal(aborted, i % 1000 == 999 ? ",\"aborted\":true}" : "}");
		assert_int_equal(status, i % 7 == 0 ? 404 : 200);
		assert_int_equal(ms_int * 1000 + ms_frac, (unsigned)i); /* i µs = i/1000 ms */
		assert_true(t >= 0 && t < THREADS && i >= 0 && i < LINES);
		assert_int_equal(seen[t * LINES + i]++, 0);
		lines++;
	}
	assert_int_equal(lines, (size_t)THREADS * LINES);
	free(seen);
	free(text);
}

/* A thread that logs once and goes quiet still has its line written
 * within about a second, without reqlog_stop (the flusher). */
static void test_quiet_thread_flushed(void **state)
{
	char path[] = "/tmp/yiye-reqlog-XXXXXX";
	int fd = mkstemp(path);
	struct reqlog *log;
	size_t len = 0;
	char *text = NULL;

	(void)state;
	assert_true(fd >= 0);
	log = reqlog_start(fd);
	assert_non_null(log);
	reqlog_request(log, "quiet-1", "POST", "/api/v1/x", 201, 1.5, 0);
	/* observed state, bounded: up to 15 s on a loaded machine */
	for (int i = 0; i < 300; i++) {
		free(text);
		text = read_file(path, &len);
		if (strstr(text, "\"rid\":\"quiet-1\""))
			break;
		usleep(50 * 1000);
	}
	assert_non_null(strstr(text, "\"rid\":\"quiet-1\""));
	assert_non_null(strstr(text, "\"status\":201,\"ms\":1.500}\n"));
	free(text);
	reqlog_stop(log);
	close(fd);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_line_whole),
	    cmocka_unit_test(test_quiet_thread_flushed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
