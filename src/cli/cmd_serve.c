/*
 * cmd_serve.c — `yiye serve`: open the store, then serve HTTP until
 * SIGINT/SIGTERM.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "http/http.h"

static void help(void)
{
	printf("用法: yiye serve [--data DIR] [--db URL] [--listen HOST:PORT] [--web DIR]\n"
	       "                  [--port-file FILE] [--body-limit BYTES] [--threads N] [--workers "
	       "N]\n\n"
	       "  --data DIR        数据目录（默认 ./data；环境变量 YIYE_DATA）\n"
	       "  --db URL          数据库：SQLite 文件路径或 postgresql://…（默认 "
	       "DIR/yiye.db；YIYE_DB）\n"
	       "  --listen H:P      监听地址（默认 127.0.0.1:8080；端口 0 "
	       "表示任选空闲端口；YIYE_LISTEN）\n"
	       "  --web DIR         网页界面目录（默认源码树中的 web/dist；YIYE_WEB）\n"
	       "  --port-file FILE  开始监听后把实际端口写入该文件\n"
	       "  --body-limit N    请求体上限字节数（默认 1048576；YIYE_BODY_LIMIT）\n"
	       "  --threads N       I/O 线程数（默认 CPU 核数）\n"
	       "  --workers N       处理耗时任务的工作线程数（默认 4）\n"
	       "  --per-ip-connections N  同一客户端地址的最大连接数（默认 256，0 "
	       "表示不限；YIYE_PER_IP_CONNECTIONS）\n"
	       "  --header-timeout S      接收请求头的时限秒数（默认 20；YIYE_HEADER_TIMEOUT）\n"
	       "  --queue-limit N         等待工作线程的请求数上限（默认 1024；YIYE_QUEUE_LIMIT）\n"
	       "  --hash-queue N          等待计算密码哈希的请求数上限，超出答复 503（默认 "
	       "64；YIYE_HASH_QUEUE）\n"
	       "  --upload-queue N        等待保存的材料上传数上限，超出答复 503（默认 "
	       "32；YIYE_UPLOAD_QUEUE）\n"
	       "  --render-queue N        等待生成的许可证 PDF 数上限，超出答复 503（默认 "
	       "16；YIYE_RENDER_QUEUE）\n"
	       "  --public-url URL        许可证二维码指向的公开地址（默认 http://监听地址；"
	       "YIYE_PUBLIC_URL）\n");
}

int cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"data", required_argument, NULL, 'd'},
	    {"db", required_argument, NULL, 'D'},
	    {"listen", required_argument, NULL, 'l'},
	    {"web", required_argument, NULL, 'w'},
	    {"port-file", required_argument, NULL, 'p'},
	    {"body-limit", required_argument, NULL, 'b'},
	    {"threads", required_argument, NULL, 't'},
	    {"workers", required_argument, NULL, 'k'},
	    {"per-ip-connections", required_argument, NULL, 'P'},
	    {"header-timeout", required_argument, NULL, 'H'},
	    {"queue-limit", required_argument, NULL, 'Q'},
	    {"hash-queue", required_argument, NULL, 'q'},
	    {"upload-queue", required_argument, NULL, 'U'},
	    {"render-queue", required_argument, NULL, 'R'},
	    {"public-url", required_argument, NULL, 'u'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct app app;
	struct yerr e = {0};
	int opt, rc;

	memset(&app, 0, sizeof(app));
	app_config_defaults(&app.cfg);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_option(&app.cfg, opt, optarg))
			continue;
		switch (opt) {
		case 'l':
			if (app_config_listen(&app.cfg, optarg, &e) < 0) {
				cli_error("serve", &e);
				return 2;
			}
			break;
		case 'w':
			snprintf(app.cfg.web_dir, sizeof(app.cfg.web_dir), "%s", optarg);
			break;
		case 'p':
			snprintf(app.cfg.port_file, sizeof(app.cfg.port_file), "%s", optarg);
			break;
		case 'b':
			if (atol(optarg) <= 0) {
				fprintf(stderr, "yiye serve: --body-limit 须为正整数\n");
				return 2;
			}
			app.cfg.body_limit = (size_t)atol(optarg);
			break;
		case 't':
			app.cfg.io_threads = atoi(optarg) > 0 ? atoi(optarg) : app.cfg.io_threads;
			break;
		case 'k':
			app.cfg.workers = atoi(optarg) > 0 ? atoi(optarg) : app.cfg.workers;
			break;
		case 'P':
			app.cfg.per_ip_connections =
			    atoi(optarg) >= 0 ? atoi(optarg) : app.cfg.per_ip_connections;
			break;
		case 'H':
			app.cfg.header_timeout =
			    atoi(optarg) > 0 ? atoi(optarg) : app.cfg.header_timeout;
			break;
		case 'Q':
			app.cfg.queue_limit = atoi(optarg) > 0 ? atoi(optarg) : app.cfg.queue_limit;
			break;
		case 'q':
			app.cfg.hash_queue = atoi(optarg) >= 0 ? atoi(optarg) : app.cfg.hash_queue;
			break;
		case 'U':
			app.cfg.upload_queue =
			    atoi(optarg) >= 0 ? atoi(optarg) : app.cfg.upload_queue;
			break;
		case 'R':
			app.cfg.render_queue =
			    atoi(optarg) >= 0 ? atoi(optarg) : app.cfg.render_queue;
			break;
		case 'u':
			app_config_public_url(&app.cfg, optarg);
			break;
		case 'h':
			help();
			return 0;
		default:
			help();
			return 2;
		}
	}
	if (app_config_finish(&app.cfg, &e) < 0 || app_open(&app, &e) < 0) {
		cli_error("serve", &e);
		app_close(&app);
		return 1;
	}
	rc = http_serve(&app);
	app_close(&app);
	return rc;
}

int cmd_version(int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("用法: yiye version   显示版本\n");
		return 0;
	}
	printf("yiye %s\n", YIYE_VERSION);
	return 0;
}
