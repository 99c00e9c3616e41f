/* Fuzz target: reading a QR code back from a PNG (render_qr_read_mem, the
 * path of `yiye verify FILE.png`) never crashes, leaks or reads past its
 * input, and answers either a NUL-terminated text or one of its error codes.
 * PNG only: every input is made a PNG by its signature, since rasterising
 * PDFs with poppler is too slow to fuzz in seconds. Images whose header
 * claims more than a million pixels are skipped: the reader accepts up to
 * RENDER_READ_MAX_PIXELS, which would make each run take seconds;
 * tests/unit/test_render.c checks that limit. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render/render.h"

static const unsigned char magic[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int has_magic = size >= sizeof(magic) && memcmp(data, magic, sizeof(magic)) == 0;
	size_t len = size + (has_magic ? 0 : sizeof(magic));
	unsigned char *png = malloc(len ? len : 1);
	struct yerr err = {0};
	char *text = NULL;
	int rc;

	if (png == NULL)
		return 0;
	memcpy(png, magic, sizeof(magic));
	memcpy(png + (has_magic ? 0 : sizeof(magic)), data, size);
	if (len >= 24 && (uint64_t)be32(png + 16) * be32(png + 20) > 1000000) {
		free(png);
		return 0;
	}
	rc = render_qr_read_mem(png, len, &text, &err);
	if (rc == 0 && (text == NULL || strlen(text) > len * 8))
		abort();
	if (rc != 0 && (text != NULL || err.code[0] == '\0' || err.message[0] == '\0'))
		abort();
	free(text);
	free(png);
	return 0;
}
