/*
 * cmd_audit.c — `yiye audit verify`: walks every district's hash chain of the
 * audit trail and exits 0 when all are intact, 1 naming the first broken
 * entry of each broken chain.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "store/store_audit.h"

static void help(FILE *f)
{
	fprintf(f,
		"用法: yiye audit verify [--data DIR] [--db URL]\n\n"
		"  逐区校验审计日志的哈希链（每区一条链）：全部完整时退出码 0；否则对每条损坏的链\n"
		"  指出第一条被改动、删除或插入的记录（序号 seq），退出码 1。\n");
}

int cmd_audit(int argc, char **argv)
{
	return cli_chain_verify(argc, argv, "audit", "审计日志", help, store_audit_verify);
}
