/*
 * cmd_sharing.c — `yiye sharing verify`: walks every district's hash chain of
 * the shared-read access log (issue 14, store_sharing.h) and exits 0 when all
 * are intact, 1 naming the first broken entry of each broken chain.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "store/store_sharing.h"

static void help(FILE *f)
{
	fprintf(f, "用法: yiye sharing verify [--data DIR] [--db URL]\n\n"
		   "  逐区校验共享访问日志的哈希链（每区一条链）：全部完整时退出码 0；否则对每条\n"
		   "  损坏的链指出第一条被改动、删除或插入的记录（序号 seq），退出码 1。\n");
}

int cmd_sharing(int argc, char **argv)
{
	return cli_chain_verify(argc, argv, "sharing", "共享访问日志", help, store_sharing_verify);
}
