/*
 * main.c — the `yiye` binary: one table of subcommands.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
    {"init", cmd_init, "创建数据目录与数据库，导入行业目录与节假日（--demo 另建演示账号）"},
    {"serve", cmd_serve, "启动平台（HTTP 服务与网页界面）"},
    {"calendar", cmd_calendar, "导入某一年的法定节假日安排"},
    {"catalog", cmd_catalog, "检查、测试、导入行业目录"},
    {"backup", cmd_backup, "备份数据库（可在平台运行时进行）"},
    {"restore", cmd_restore, "用备份整体替换数据库（须先停止平台）"},
    {"audit", cmd_audit, "校验审计日志哈希链（audit verify）"},
    /* share-reads (issue 14) */
    {"sharing", cmd_sharing, "校验共享访问日志哈希链（sharing verify）"},
    /* lic-keys */
    {"keys", cmd_keys, "许可证签名密钥：轮换（keys rotate）、列出（keys list）"},
    {"verify", cmd_verify, "离线验证许可证二维码签名（载荷、PNG 或 PDF）"},
    /* lic-public (issue 12); lic-life adds expire */
    {"licenses", cmd_licenses, "电子证照库导出（licenses export）；到期处理（licenses expire）"},
    /* lic-life */
    {"entities", cmd_entities, "导入市场主体登记信息（entities import）"},
    /* sup-draw */
    {"draw", cmd_draw, "校验双随机抽取记录（draw verify FILE）"},
    /* sup-core */
    {"supervision", cmd_supervision, "导出监管记录（supervision export，互联网+监管）"},
    /* share-exempt */
    {"trust", cmd_trust, "其他地区的签名公钥（跨地区互认）：添加、列出、删除"},
    /* stats-history */
    {"demo", cmd_demo, "生成演示办件历史（demo history，供统计看板使用）"},
    /* stats-ui */
    {"report", cmd_report, "生成改革成效月度报告 PDF（report monthly --month YYYY-MM）"},
    {"statistics", cmd_statistics,
     "重建统计明细（statistics rebuild，用于绕过业务流程写入的数据）"},
    /* @@commands@@ */
    {"version", cmd_version, "显示版本"},
};

static void usage(FILE *f)
{
	fprintf(f, "用法: yiye <命令> [选项]   (yiye <命令> --help 查看命令帮助)\n\n命令:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n环境变量: YIYE_DATA, YIYE_DB, YIYE_LISTEN, YIYE_WEB, YIYE_BODY_LIMIT"
		   "（命令行选项优先）\n");
}

int main(int argc, char **argv)
{
	/* Everything yiye creates (database, WAL, backups, key files) is the
	 * operator's alone. */
	umask(077);
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "--version") == 0)
		return cmd_version(argc - 1, argv + 1);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "yiye: 未知命令 “%s”\n\n", argv[1]);
	usage(stderr);
	return 2;
}
