#ifndef YIYE_IO_BLOBS_H
#define YIYE_IO_BLOBS_H
/*
 * blobs.h — the content-addressed store of uploaded materials under the data
 * directory (issue 11, docs/applications.md "application_materials").
 *
 *   DATA/materials/tmp/up-HOST-…   an upload being received (HOST: this host)
 *   DATA/materials/ab/cdef…        a stored blob: its lower-case hex sha256,
 *                                  the first two digits naming the directory
 *
 * A writer streams the bytes into a temp file as they arrive, hashing them
 * on the way (no body is held in memory). blob_writer_commit fsyncs the
 * file, renames it to its hash name and fsyncs the directory, so when it
 * returns the bytes are durable under their final name: the caller commits
 * the database row that points at them only after that, and a row never
 * names a missing file. Equal contents share one file (the rename of a
 * second copy simply replaces the first with the same bytes). Blobs are
 * never deleted by the platform while a row may name them; a crash leaves at
 * most a temp file (blobs_sweep_tmp) or an unreferenced blob, never a
 * dangling row.
 *
 * Functions return 0 or -1 with errno-style detail in struct yerr (status
 * 503 storage_unavailable for an I/O failure: the request may be retried).
 */
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define BLOB_HEX_LEN 64

struct blob_writer;

/* Opens a new temp file under data_dir/materials/tmp (creating the
 * directories). *out is freed by commit or abort. */
int blob_writer_open(const char *data_dir, struct blob_writer **out, struct yerr *err);
/* Appends len bytes (hashing them). */
int blob_writer_write(struct blob_writer *w, const void *buf, size_t len, struct yerr *err);
/* Bytes written so far. */
uint64_t blob_writer_size(const struct blob_writer *w);
/* The temp file's descriptor, open for reading and writing (to sniff the
 * content before committing; the caller must not close it or move its
 * offset assumptions: writes use pwrite-free sequential appends). */
int blob_writer_fd(const struct blob_writer *w);
/*
 * blob_writer_commit makes the bytes durable under their hash: fsync the
 * file, rename to materials/ab/cdef…, fsync the directory (and materials/
 * when the subdirectory was new). hex receives the sha256. Frees w in every
 * case.
 */
int blob_writer_commit(struct blob_writer *w, char hex[BLOB_HEX_LEN + 1], struct yerr *err);
/* Removes the temp file and frees w (NULL is fine). */
void blob_writer_abort(struct blob_writer *w);

/* The path of blob hex under data_dir; -1 when hex is not 64 lower-case hex
 * digits or out is too small. */
int blob_path(const char *data_dir, const char *hex, char *out, size_t outsz);
/* Opens blob hex for reading: *fd and *size. 404 material_file_missing when
 * the file is not there (which a committed row never allows). */
int blob_open(const char *data_dir, const char *hex, int *fd, uint64_t *size, struct yerr *err);
/* Removes temp files left by a crash (at start-up, before any upload). */
void blobs_sweep_tmp(const char *data_dir);

#endif
