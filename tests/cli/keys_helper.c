/*
 * keys_helper.c — signs test inputs for tests/cli/keys.sh with the keyring
 * of a data directory, the way the server does (io/keys.h):
 *   keys_helper payload DATA NUMBER VERSION USCC FROM UNTIL|-   QR text
 *   keys_helper display DATA NUMBER VERSION EXPIRES_UNIX        YD1 token
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/payload.h"
#include "io/keys.h"

int main(int argc, char **argv)
{
	struct keyring *k;
	struct yerr e = {0};
	char *out = NULL;

	if (argc < 3 || keyring_open(argv[2], &k, &e) < 0) {
		fprintf(stderr, "keys_helper: %s\n", argc < 3 ? "usage" : e.message);
		return 2;
	}
	if (strcmp(argv[1], "payload") == 0 && argc == 8) {
		struct payload p = {.version = atoi(argv[4])};
		char *pl;

		snprintf(p.number, sizeof(p.number), "%s", argv[3]);
		snprintf(p.uscc, sizeof(p.uscc), "%s", argv[5]);
		snprintf(p.valid_from, sizeof(p.valid_from), "%s", argv[6]);
		if (strcmp(argv[7], "-") != 0)
			snprintf(p.valid_until, sizeof(p.valid_until), "%s", argv[7]);
		pl = keyring_payload_build(k, &p, &e);
		if (pl)
			out = payload_qr_text("http://127.0.0.1:8080", p.number, pl);
		free(pl);
	} else if (strcmp(argv[1], "display") == 0 && argc == 6) {
		out = keyring_display_token(k, argv[3], atoi(argv[4]), atoll(argv[5]), &e);
	} else {
		e.message[0] = '\0';
		snprintf(e.message, sizeof(e.message), "usage");
	}
	keyring_close(k);
	if (out == NULL) {
		fprintf(stderr, "keys_helper: %s\n", e.message);
		return 2;
	}
	printf("%s\n", out);
	free(out);
	return 0;
}
