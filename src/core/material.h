#ifndef YIYE_CORE_MATERIAL_H
#define YIYE_CORE_MATERIAL_H
/*
 * material.h — what an uploaded material really is, judged by its bytes.
 *
 * Applicants upload PDF, JPEG, PNG and OFD (GB/T 33190, the Chinese fixed-
 * layout format) documents. The file name and the Content-Type header are
 * whatever the sender says, so neither is trusted: material_sniff looks at
 * the content only.
 *   PDF   "%PDF-" at offset 0 followed by a version "d.d"
 *   JPEG  SOI FF D8 then a marker FF xx at offset 0
 *   PNG   the 8-byte signature followed by an IHDR chunk of length 13
 *   OFD   a ZIP archive (local file header "PK\3\4" at offset 0) that holds
 *         a local file header named exactly "OFD.xml" (the OFD entry file,
 *         at the package root)
 * Anything else (an executable renamed .pdf, an empty body, HTML, a ZIP that
 * is not an OFD package) is refused with 415 unsupported_material_type.
 * Reads never go past len; the input need not be NUL-terminated.
 */
#include <stddef.h>

#include "core/error.h"

enum material_type {
	MATERIAL_UNKNOWN,
	MATERIAL_PDF,
	MATERIAL_JPEG,
	MATERIAL_PNG,
	MATERIAL_OFD,
	MATERIAL_TYPE_COUNT
};

/* The type of buf[0..len), MATERIAL_UNKNOWN when none of the four. */
enum material_type material_sniff(const unsigned char *buf, size_t len);

/* material_check: 0 and *type set for an accepted material, or -1 with 415
 * unsupported_material_type (field `field`, may be NULL). */
int material_check(const unsigned char *buf, size_t len, const char *field,
		   enum material_type *type, struct yerr *err);

/* "application/pdf", "image/jpeg", "image/png", "application/ofd";
 * "application/octet-stream" for MATERIAL_UNKNOWN. */
const char *material_mime(enum material_type t);
/* "pdf", "jpg", "png", "ofd"; "bin" for MATERIAL_UNKNOWN. */
const char *material_ext(enum material_type t);
/* Type by its short name ("pdf" …); MATERIAL_UNKNOWN when none. */
enum material_type material_type_parse(const char *name);

#endif
