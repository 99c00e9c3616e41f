/*
 * cmd_draw.c — `yiye draw verify FILE|-`: re-runs a published draw record
 * (双随机、一公开) and says whether its selection is the one its inputs give.
 * Needs no data directory or database: anyone holding the record can check
 * it. Exit status 0 only on a match, 1 when the record does not verify
 * (which part, in Chinese and English), 2 on a usage or read error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/draw.h"

/* A record of a city-wide plan (a million entities) is about 100 MB. */
#define DRAW_RECORD_MAX ((size_t)1 << 30)

static void help(FILE *f)
{
	fprintf(
	    f,
	    "用法: yiye draw verify FILE|-\n\n"
	    "  按公布的抽取记录（GET /api/v1/supervision/draws/{id}/record）重新计算承诺值、\n"
	    "  核对密钥与冻结时承诺的哈希、重新抽取，并与公布的结果比对。\n"
	    "  FILE 为 - 时从标准输入读取。一致时退出码 0；不一致时退出码 1 并指出哪一部分不符；\n"
	    "  用法或读取错误退出码 2。无需数据目录或数据库。\n");
}

/* Reads all of stdin, at most max bytes. */
static int read_stdin(size_t max, char **out, size_t *len, struct yerr *err)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap + 1);

	if (buf == NULL)
		abort();
	for (;;) {
		size_t got;

		if (n == cap) {
			if (cap >= max) {
				free(buf);
				return yerr_set(err, 400, "file", "-", "标准输入超过 %zu 字节",
						max);
			}
			cap = cap * 2 > max ? max : cap * 2;
			buf = realloc(buf, cap + 1);
			if (buf == NULL)
				abort();
		}
		got = fread(buf + n, 1, cap - n, stdin);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(stdin)) {
		free(buf);
		return yerr_set(err, 400, "file", "-", "读取标准输入失败");
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

/* The English half of the verdict line (the Chinese half is err.message). */
static const char *verdict_english(enum draw_verdict v)
{
	switch (v) {
	case DRAW_MATCH:
		return "the published selection matches the record";
	case DRAW_BAD_RECORD:
		return "not a valid draw record";
	case DRAW_BAD_INPUTS:
		return "the record's inputs cannot be drawn (duplicate or unknown ids)";
	case DRAW_COMMITMENT_WRONG:
		return "the published commitment is not the hash of the record's inputs";
	case DRAW_SECRET_WRONG:
		return "the revealed secret does not match the committed secret hash";
	case DRAW_DRAW_FAILED:
		return "the record's inputs cannot be drawn (not enough unconflicted inspectors)";
	case DRAW_SELECTION_WRONG:
		return "the published selection differs from the re-run draw";
	}
	return "";
}

int cmd_draw(int argc, char **argv)
{
	struct yerr e = {0};
	char *text = NULL, summary[1024];
	size_t len = 0;
	enum draw_verdict v;
	int rc;

	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		help(stdout);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "verify") == 0 &&
	    (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0)) {
		help(stdout);
		return 0;
	}
	if (argc != 3 || strcmp(argv[1], "verify") != 0) {
		help(stderr);
		return 2;
	}
	if (strcmp(argv[2], "-") == 0)
		rc = read_stdin(DRAW_RECORD_MAX, &text, &len, &e);
	else
		rc = cli_read_file(argv[2], DRAW_RECORD_MAX, &text, &len, &e);
	if (rc < 0) {
		cli_error("draw", &e);
		return 2;
	}
	v = draw_verify(text, len, summary, sizeof(summary), &e);
	free(text);
	if (v == DRAW_MATCH) {
		fputs(summary, stdout);
		return 0;
	}
	printf("抽取记录未通过校验 / the draw record does NOT verify: %s\n", verdict_english(v));
	printf("原因 reason [%s]: %s%s%s%s\n", e.code, e.message, e.field[0] ? "（" : "", e.field,
	       e.field[0] ? "）" : "");
	return 1;
}
