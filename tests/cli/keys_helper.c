/*
 * keys_helper.c — signs test inputs for tests/cli/keys.sh with the keyring
 * of a data directory, the way the server does (io/keys.h, render.h):
 *   keys_helper payload DATA NUMBER VERSION USCC FROM UNTIL|-          QR text
 *   keys_helper png DATA OUT NUMBER VERSION USCC FROM UNTIL|-          QR as PNG
 *   keys_helper pdf DATA OUT NUMBER VERSION USCC FROM UNTIL|-          license PDF
 *   keys_helper display DATA NUMBER VERSION EXPIRES_UNIX               YD1 token
 *   keys_helper textpng DATA OUT TEXT                                 any text as a QR PNG
 * (QR texts use the public address http://127.0.0.1:8080.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/payload.h"
#include "io/keys.h"
#include "render/render.h"

/* The QR text of a payload from argv[0..4] (number, version, uscc, from,
 * until|-), signed by k. */
static char *qr_text(struct keyring *k, char **a, struct yerr *e)
{
	struct payload p = {.version = atoi(a[1])};
	char *pl, *out = NULL;

	snprintf(p.number, sizeof(p.number), "%s", a[0]);
	snprintf(p.uscc, sizeof(p.uscc), "%s", a[2]);
	snprintf(p.valid_from, sizeof(p.valid_from), "%s", a[3]);
	if (strcmp(a[4], "-") != 0)
		snprintf(p.valid_until, sizeof(p.valid_until), "%s", a[4]);
	pl = keyring_payload_build(k, &p, e);
	if (pl)
		out = payload_qr_text("http://127.0.0.1:8080", p.number, pl);
	free(pl);
	return out;
}

/* A license document of the contract for the PDF, signed like the server's. */
static json_t *license_doc(struct keyring *k, char **a, struct yerr *e)
{
	char sig[100];
	json_t *doc = json_pack(
	    "{s:s,s:s,s:s,s:i,s:{s:s,s:s,s:s},s:s,s:{s:s,s:s},s:[{s:s,s:s,s:s,s:s,s:s}],s:s,s:o,"
	    "s:{s:s,s:s},s:s,s:s}",
	    "type", "行业综合许可证", "number", a[0], "eid", "31010420261202XK000001Q", "version",
	    atoi(a[1]), "holder", "name", "上海徐家汇鲜果便利有限公司", "uscc", a[2], "legal_rep",
	    "张明华", "address", "上海市徐汇区漕溪北路 88 号一层 102 室", "industry", "code",
	    "bianlidian", "name", "便利店", "permits", "code", "food", "name", "食品经营许可",
	    "department", "scjgj", "department_name", "区市场监管局", "basis",
	    "《食品安全法》第三十五条", "valid_from", a[3], "valid_until",
	    strcmp(a[4], "-") ? json_string(a[4]) : json_null(), "issuer", "department", "zwfwb",
	    "name", "上海市徐汇区政务服务办公室", "issued_on", a[3], "district", "310104");

	if (doc == NULL || keyring_sign_doc(k, doc, sig, e) < 0) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

static int write_file(const char *path, const unsigned char *b, size_t len)
{
	FILE *f = fopen(path, "wb");
	int ok = f && fwrite(b, 1, len, f) == len;

	if (f)
		ok &= fclose(f) == 0;
	return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct keyring *k;
	struct yerr e = {0};
	char *out = NULL;
	unsigned char *bin = NULL;
	size_t len = 0;
	int rc = 2;

	if (argc < 3 || keyring_open(argv[2], &k, &e) < 0) {
		fprintf(stderr, "keys_helper: %s\n", argc < 3 ? "usage" : e.message);
		return 2;
	}
	snprintf(e.message, sizeof(e.message), "usage");
	if (strcmp(argv[1], "payload") == 0 && argc == 8) {
		out = qr_text(k, argv + 3, &e);
	} else if (strcmp(argv[1], "display") == 0 && argc == 6) {
		out = keyring_display_token(k, argv[3], atoi(argv[4]), atoll(argv[5]), &e);
	} else if (strcmp(argv[1], "textpng") == 0 && argc == 5) {
		if (render_qr_png(argv[4], &bin, &len, &e) == 0 &&
		    write_file(argv[3], bin, len) == 0)
			out = strdup(argv[4]);
		free(bin);
	} else if ((strcmp(argv[1], "png") == 0 || strcmp(argv[1], "pdf") == 0) && argc == 9) {
		char *qr = qr_text(k, argv + 4, &e);
		json_t *doc = qr && argv[1][1] == 'd' ? license_doc(k, argv + 4, &e) : NULL;

		if (qr && argv[1][1] == 'n' && render_qr_png(qr, &bin, &len, &e) == 0)
			out = qr;
		else if (doc && render_license_pdf(doc, qr, &bin, &len, &e) == 0)
			out = qr;
		else
			free(qr);
		json_decref(doc);
		if (out && write_file(argv[3], bin, len) < 0) {
			snprintf(e.message, sizeof(e.message), "cannot write %s", argv[3]);
			free(out);
			out = NULL;
		}
		free(bin);
	}
	keyring_close(k);
	if (out == NULL) {
		fprintf(stderr, "keys_helper: %s\n", e.message);
		return rc;
	}
	printf("%s\n", out);
	free(out);
	return 0;
}
