/*
 * cmd_audit.c — `yiye audit verify`: walks the hash chain of the audit trail
 * and exits 0 when it is intact, 1 naming the first broken entry.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "store/store_audit.h"

static void help(FILE *f)
{
	fprintf(f,
		"用法: yiye audit verify [--data DIR] [--db URL]\n\n"
		"  校验审计日志的哈希链：完整时退出码 0；否则指出第一条被改动、删除或插入的记录\n"
		"  （序号 seq），退出码 1。\n");
}

int cmd_audit(int argc, char **argv)
{
	struct app app;
	struct yerr e = {0};
	char msg[256];
	int64_t count, bad;
	int rc;

	if ((rc = cli_data_options(argc, argv, &app, help)) >= 0)
		return rc;
	if (argc - optind != 1 || strcmp(argv[optind], "verify") != 0) {
		help(stderr);
		return 2;
	}
	if (cli_app_open(&app, "audit") < 0)
		return 2;
	rc = store_audit_verify(app.store, &count, &bad, msg, sizeof(msg), &e);
	if (rc < 0) {
		cli_error("audit", &e);
		rc = 2;
	} else if (rc == 1) {
		printf("审计日志已损坏：第一条有问题的记录 seq=%" PRId64 "：%s\n"
		       "（此前 %" PRId64 " 条完整）\n",
		       bad, msg, count);
		rc = 1;
	} else
		printf("审计日志完整：%" PRId64 " 条记录，哈希链校验通过\n", count);
	app_close(&app);
	return rc;
}
