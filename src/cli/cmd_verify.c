/*
 * cmd_verify.c — `yiye verify [--keys FILE|URL] PAYLOAD|FILE`: checks a
 * license's signed QR payload offline against the published public keys
 * (core/payload.h), and says so in Chinese and English. Exit status 0 only
 * when the signature checks; 1 for a payload that does not (malformed,
 * unknown key, bad signature, an expired 亮证 token), 2 for a usage error,
 * 3 when the keys or the file cannot be read.
 *
 * A payload our keys do not verify is tried against the key sets of the
 * other districts trusted with `yiye trust add` (DATA/trust, io/trust.h,
 * 跨地区互认); when one verifies it, the answer names that district.
 *
 * The argument is the QR text (`<public_url>/v/<number>#YL1.…`), the bare
 * payload, a 亮证 text (`…?d=YD1.…` or the bare token), or a file: a PNG or
 * PDF whose QR code is read (src/render), or a small text file holding one
 * of the above.
 */
#include <curl/curl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "core/payload.h"
#include "io/trust.h"
#include "render/render.h"

#define KEYS_MAX (1u << 20)
#define TEXT_FILE_MAX 4096

static void help(FILE *f)
{
	fprintf(f, "用法: yiye verify [--keys FILE|URL] [--data DIR] PAYLOAD|FILE\n\n"
		   "  离线验证许可证二维码的签名。PAYLOAD 可为二维码全文（网址#YL1.…）、\n"
		   "  签名载荷（YL1.…）或亮证码（YD1.… 或 网址?d=YD1.…）；FILE 可为许可证的\n"
		   "  PNG 二维码图片或 PDF 文件（读取其中的二维码），或含上述文本的文本文件。\n"
		   "  --keys FILE|URL  公钥列表 keys.json：本地文件，或 http(s) 地址\n"
		   "                   （如 https://平台地址/.well-known/yiye/keys.json）\n"
		   "                   默认 DIR/keys/keys.json（在平台服务器上运行时）\n"
		   "  --data DIR       数据目录（默认 ./data；YIYE_DATA）；另用 DIR/trust/ 中\n"
		   "                   经 yiye trust add 添加的其他地区公钥（跨地区互认）\n"
		   "  --db URL         接受但不使用（公钥列表是文件）\n"
		   "退出码：0 签名有效；1 无效（格式错误、未知密钥、签名不符、亮证码过期）；\n"
		   "2 用法错误；3 无法读取公钥列表或文件。\n"
		   "注意：签名有效只说明内容由平台签发且未被改动；许可证当前状态（注销、吊销、\n"
		   "变更）请以在线查询为准。\n");
}

struct grow {
	char *p;
	size_t len;
	int too_big;
};

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct grow *g = userdata;
	size_t n = size * nmemb;
	char *np;

	if (g->len + n > KEYS_MAX) {
		g->too_big = 1;
		return 0;
	}
	np = realloc(g->p, g->len + n + 1);
	if (np == NULL)
		abort();
	g->p = np;
	memcpy(g->p + g->len, ptr, n);
	g->len += n;
	g->p[g->len] = '\0';
	return n;
}

/* GET url into *out (NUL-terminated, at most KEYS_MAX bytes); also `yiye
 * trust add` (cli.h). */
int cli_fetch_url(const char *url, char **out, size_t *len, struct yerr *err)
{
	struct grow g = {0};
	CURL *c;
	CURLcode rc;
	long status = 0;

	*out = NULL;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || (c = curl_easy_init()) == NULL)
		return yerr_set(err, 500, "keys_fetch", "keys", "libcurl 初始化失败");
	curl_easy_setopt(c, CURLOPT_URL, url);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#endif
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 3L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "yiye-verify/" YIYE_VERSION);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &g);
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	curl_global_cleanup();
	if (g.too_big || rc != CURLE_OK || status != 200) {
		free(g.p);
		if (g.too_big)
			return yerr_set(err, 400, "keys_fetch", "keys", "公钥列表 %s 超过 1 MiB",
					url);
		if (rc != CURLE_OK)
			return yerr_set(err, 400, "keys_fetch", "keys", "无法获取公钥列表 %s：%s",
					url, curl_easy_strerror(rc));
		return yerr_set(err, 400, "keys_fetch", "keys", "获取公钥列表 %s 失败：HTTP %ld",
				url, status);
	}
	*out = g.p ? g.p : strdup("");
	*len = g.len;
	return 0;
}

/* The keys.json of --keys (file or URL) or DATA/keys/keys.json. */
static json_t *load_keys(const char *src, const char *data_dir)
{
	char path[1200], *text = NULL;
	size_t len = 0;
	struct yerr e = {0};
	json_error_t je;
	json_t *keys;
	int url = src && (strncmp(src, "http://", 7) == 0 || strncmp(src, "https://", 8) == 0);

	if (src == NULL)
		snprintf(path, sizeof(path), "%s/keys/keys.json", data_dir);
	else
		snprintf(path, sizeof(path), "%s", src);
	if ((url ? cli_fetch_url(path, &text, &len, &e)
		 : cli_read_file(path, KEYS_MAX, &text, &len, &e)) < 0) {
		cli_error("verify", &e);
		if (src == NULL)
			fprintf(
			    stderr,
			    "yiye verify: 不在平台服务器上时，请用 --keys 指定公钥列表文件或地址"
			    "（…/.well-known/yiye/keys.json）\n");
		return NULL;
	}
	keys = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	free(text);
	if (!json_is_array(json_object_get(keys, "keys"))) {
		fprintf(stderr, "yiye verify: %s 不是公钥列表（keys.json）%s%s\n", path,
			keys ? "" : "：", keys ? "" : je.text);
		json_decref(keys);
		return NULL;
	}
	return keys;
}

/* The text to verify from arg: a file's QR code or text, or arg itself.
 * 0, or 3 after printing why. */
static int text_of(const char *arg, char **out)
{
	struct stat st;
	struct yerr e = {0};
	FILE *f;
	unsigned char magic[8] = {0};
	size_t n, len;

	*out = NULL;
	if (stat(arg, &st) < 0) {
		/* not a file: a payload has no '/' but a QR text has; say which */
		if (strncmp(arg, "YL1.", 4) != 0 && strncmp(arg, "YD1.", 4) != 0 &&
		    strchr(arg, '#') == NULL && strstr(arg, "?d=") == NULL) {
			fprintf(stderr,
				"yiye verify: %s 既不是可读取的文件，也不是许可证二维码内容"
				"（YL1.… 或 网址#YL1.…）\n",
				arg);
			return 1;
		}
		*out = strdup(arg);
		return 0;
	}
	if (!S_ISREG(st.st_mode) || (f = fopen(arg, "rb")) == NULL) {
		fprintf(stderr, "yiye verify: 无法读取文件 %s\n", arg);
		return 3;
	}
	n = fread(magic, 1, sizeof(magic), f);
	fclose(f);
	if ((n >= 8 && memcmp(magic, "\x89PNG\r\n\x1a\n", 8) == 0) ||
	    (n >= 5 && memcmp(magic, "%PDF-", 5) == 0)) {
		if (render_qr_read_file(arg, out, &e) < 0) {
			cli_error("verify", &e);
			return 3;
		}
		return 0;
	}
	if (st.st_size > TEXT_FILE_MAX) {
		fprintf(stderr, "yiye verify: %s 不是 PNG 或 PDF，作为文本也过大（超过 %d 字节）\n",
			arg, TEXT_FILE_MAX);
		return 3;
	}
	if (cli_read_file(arg, TEXT_FILE_MAX, out, &len, &e) < 0) {
		cli_error("verify", &e);
		return 3;
	}
	if (strlen(*out) != len) {
		fprintf(stderr, "yiye verify: %s 不是 PNG、PDF 或文本文件\n", arg);
		free(*out);
		*out = NULL;
		return 3;
	}
	return 0;
}

static const char *key_status(const json_t *keys, const char *kid)
{
	const json_t *arr = json_object_get(keys, "keys");

	for (size_t i = 0; i < json_array_size(arr); i++) {
		const json_t *k = json_array_get(arr, i);
		const char *id = json_string_value(json_object_get(k, "kid"));
		const char *st = json_string_value(json_object_get(k, "status"));

		if (id && strcmp(id, kid) == 0)
			return st && strcmp(st, "current") == 0 ? "当前密钥 current"
								: "已停用密钥 retired";
	}
	return "?";
}

/* The online status page of a QR text (the part before '#'), or NULL. */
static void print_online(const char *text, const char *number)
{
	const char *hash = strchr(text, '#');

	if (hash && hash > text)
		printf("在线状态 Online status:    %.*s\n", (int)(hash - text), text);
	else
		printf("在线状态 Online status:    <平台地址>/v/%s\n", number);
}

static int verify_display(const char *text, const json_t *keys)
{
	const char *tok = strstr(text, "?d=");
	struct display_token d;
	struct yerr e = {0};
	char when[32];
	time_t t;
	struct tm tm;

	tok = tok ? tok + 3 : text;
	if (display_token_verify(tok, keys, (long long)time(NULL), &d, &e) < 0) {
		printf("无效 INVALID: %s (%s)\n", e.message, e.code);
		return 1;
	}
	t = (time_t)d.expires;
	localtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	printf("有效 VALID: 亮证码签名校验通过 (display token signature verified)\n"
	       "许可证编号 License number: %s\n"
	       "版本 Version:               %d\n"
	       "亮证码有效至 Expires:       %s\n"
	       "签名密钥 Key id:            %s（%s）\n",
	       d.number, d.version, when, d.kid, key_status(keys, d.kid));
	return 0;
}

/*
 * A payload our keys refused (own: that refusal), tried against the trusted
 * districts: 0 after printing it as issued by the district whose key
 * verified it, 1 after printing our refusal (a trusted district's refusal
 * says no more about a payload none of them signed).
 */
static int verify_trusted(const char *text, const json_t *trusted, const struct yerr *own)
{
	const json_t *which = NULL;
	struct payload p;
	struct yerr e = {0};
	const char *district, *name;

	if (strcmp(own->code, "payload_malformed") == 0 ||
	    trust_verify(trusted, text, &p, &which, &e) < 0) {
		printf("无效 INVALID: %s (%s)\n", own->message, own->code);
		return 1;
	}
	district = json_string_value(json_object_get(which, "district"));
	name = json_string_value(json_object_get(which, "name"));
	printf("有效 VALID: 签名校验通过 (signature verified)\n"
	       "签发地区 Issued by:         %s（%s），跨地区互认 (a trusted district)\n"
	       "许可证编号 License number: %s\n"
	       "版本 Version:               %d\n"
	       "持证主体信用代码 Holder USCC: %s\n"
	       "有效期 Validity:            %s 至 %s\n"
	       "签名密钥 Key id:            %s（%s 公布的%s）\n",
	       name, district, p.number, p.version, p.uscc, p.valid_from,
	       p.valid_until[0] ? p.valid_until : "长期有效 (no term)", p.kid, name,
	       key_status(which, p.kid));
	/* XK-<district>-…: a number of another district than the key's */
	if (strncmp(p.number, "XK-", 3) != 0 || strncmp(p.number + 3, district, 6) != 0)
		printf("注意 Warning: 许可证编号中的区划代码与签发地区 %s 不一致 "
		       "(the number names another district than the signing key's)\n",
		       district);
	print_online(text, p.number);
	printf("注 Note: 已用 %s 公布的公钥离线核验；是否已注销、吊销或变更请以签发地平台的"
	       "在线状态为准 (check the issuing district's platform for the current status).\n",
	       name);
	return 0;
}

int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"keys", required_argument, NULL, 'k'},
	    {"data", required_argument, NULL, 'd'},
	    /* accepted like every data command's, unused: keys are files */
	    {"db", required_argument, NULL, 'D'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct app_config cfg;
	struct payload p;
	struct yerr e = {0};
	const char *keys_src = NULL;
	json_t *keys, *trusted;
	char *text;
	int opt, rc;

	app_config_defaults(&cfg);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (opt == 'k') {
			keys_src = optarg;
			continue;
		}
		if (opt == 'D')
			continue;
		if (opt == 'd') {
			snprintf(cfg.data_dir, sizeof(cfg.data_dir), "%s", optarg);
			continue;
		}
		help(opt == 'h' ? stdout : stderr);
		return opt == 'h' ? 0 : 2;
	}
	if (argc - optind != 1) {
		help(stderr);
		return 2;
	}
	if ((rc = text_of(argv[optind], &text)) != 0)
		return rc;
	trusted = trust_load(cfg.data_dir);
	if ((keys = load_keys(keys_src, cfg.data_dir)) == NULL) {
		/* off the platform's server: the trusted districts may still do */
		if (json_array_size(json_object_get(trusted, "districts")) == 0) {
			json_decref(trusted);
			free(text);
			return 3;
		}
		keys = json_pack("{s:[]}", "keys");
	}
	if (strncmp(text, "YD1.", 4) == 0 || strstr(text, "?d=YD1.") != NULL) {
		rc = verify_display(text, keys);
	} else if (payload_verify(text, keys, &p, &e) < 0) {
		rc = verify_trusted(text, trusted, &e);
	} else {
		printf("有效 VALID: 签名校验通过 (signature verified)\n"
		       "许可证编号 License number: %s\n"
		       "版本 Version:               %d\n"
		       "持证主体信用代码 Holder USCC: %s\n"
		       "有效期 Validity:            %s 至 %s\n"
		       "签名密钥 Key id:            %s（%s）\n",
		       p.number, p.version, p.uscc, p.valid_from,
		       p.valid_until[0] ? p.valid_until : "长期有效 (no term)", p.kid,
		       key_status(keys, p.kid));
		print_online(text, p.number);
		printf(
		    "注 Note: "
		    "签名有效只说明内容由平台签发、未被改动；是否已注销、吊销或变更请以在线状态为准"
		    " (a valid signature does not tell whether the license was since revoked).\n");
		rc = 0;
	}
	json_decref(keys);
	json_decref(trusted);
	free(text);
	return rc;
}
