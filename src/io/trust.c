/*
 * trust.c — other districts' key sets (trust.h).
 */
#include "io/trust.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define TRUST_FILE_MAX (1 << 20)

static int io_fail(struct yerr *err, const char *what, const char *path)
{
	return yerr_set(err, 500, "trust_io", "", "互认公钥目录操作失败（%s %s）：%s", what, path,
			strerror(errno));
}

int trust_district_valid(const char *code)
{
	return code && strlen(code) == 6 && strspn(code, "0123456789") == 6;
}

static int name_valid(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (n == 0 || n > TRUST_NAME_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return 0;
	return 1;
}

/* The 32 bytes of a base64url (no padding) Ed25519 public key; 0 or -1. */
static int public_key(const char *b64, unsigned char pk[crypto_sign_PUBLICKEYBYTES])
{
	size_t n = 0;

	if (b64 == NULL || strlen(b64) != 43 ||
	    sodium_base642bin(pk, crypto_sign_PUBLICKEYBYTES, b64, 43, NULL, &n, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    n != crypto_sign_PUBLICKEYBYTES)
		return -1;
	return 0;
}

/* The keys of set, checked, as a new array (only the members a verifier
 * reads and the status a reader may want); NULL with err. */
static json_t *keys_checked(const json_t *set, struct yerr *err)
{
	const json_t *arr = json_object_get(set, "keys");
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	json_t *out;

	if (!json_is_array(arr) || json_array_size(arr) == 0 ||
	    json_array_size(arr) > TRUST_KEYS_MAX) {
		yerr_set(err, 400, "trust_invalid_keys", "keys",
			 "不是公钥列表：应为 {\"keys\":[…]}，含 1 至 %d 个公钥", TRUST_KEYS_MAX);
		return NULL;
	}
	out = json_array();
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const json_t *k = json_array_get(arr, i);
		const char *kid = json_string_value(json_object_get(k, "kid"));
		const char *alg = json_string_value(json_object_get(k, "alg"));
		const char *pub = json_string_value(json_object_get(k, "public_key"));
		const char *st = json_string_value(json_object_get(k, "status"));

		if (kid == NULL || !payload_kid_valid(kid) || alg == NULL ||
		    strcmp(alg, "Ed25519") != 0 || public_key(pub, pk) < 0) {
			json_decref(out);
			yerr_set(err, 400, "trust_invalid_keys", "keys",
				 "公钥列表第 %zu 项无效：须有 kid、alg（Ed25519）和 32 字节的 "
				 "public_key（base64url）",
				 i + 1);
			return NULL;
		}
		json_array_append_new(out,
				      json_pack("{s:s,s:s,s:s,s:s}", "kid", kid, "alg", alg,
						"public_key", pub, "status", st ? st : "current"));
	}
	return out;
}

/* Whether a public key of keys is one of data_dir's own (DATA/keys/keys.json). */
static const char *own_key(const char *data_dir, const json_t *keys)
{
	char path[1200];
	json_t *own, *arr;
	const char *hit = NULL;

	snprintf(path, sizeof(path), "%s/keys/keys.json", data_dir);
	own = json_load_file(path, 0, NULL);
	arr = json_object_get(own, "keys");
	for (size_t i = 0; i < json_array_size(keys) && hit == NULL; i++) {
		const char *pub =
		    json_string_value(json_object_get(json_array_get(keys, i), "public_key"));

		for (size_t j = 0; j < json_array_size(arr) && hit == NULL; j++) {
			const char *mine = json_string_value(
			    json_object_get(json_array_get(arr, j), "public_key"));

			if (pub && mine && strcmp(pub, mine) == 0)
				hit = json_string_value(
				    json_object_get(json_array_get(keys, i), "kid"));
		}
	}
	/* hit points into keys, which outlives own */
	json_decref(own);
	return hit;
}

static int fsync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/* dir/name ← text, durably (temp file, fsync, rename, directory fsync). */
static int write_atomic(const char *dir, const char *name, const char *text, struct yerr *err)
{
	char tmp[1400], path[1400];
	size_t len = strlen(text);
	const char *p = text;
	int fd;

	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, name);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return io_fail(err, "create", tmp);
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) < 0)
		goto fail;
	close(fd);
	fd = -1;
	if (rename(tmp, path) < 0)
		goto fail;
	if (fsync_dir(dir) < 0)
		return io_fail(err, "fsync", dir);
	return 0;
fail:
	io_fail(err, "write", tmp);
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return -1;
}

static int count_sets(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);

		n += len == 11 && strcmp(de->d_name + 6, ".json") == 0;
	}
	closedir(d);
	return n;
}

int trust_add(const char *data_dir, const char *district, const char *name, const char *origin,
	      const json_t *keyset, int *replaced, struct yerr *err)
{
	char dir[1100], file[16], path[1200];
	struct stat st;
	const char *own;
	json_t *keys, *doc;
	char *text;
	int rc;

	*replaced = 0;
	if (!trust_district_valid(district))
		return yerr_set(err, 400, "trust_invalid_district", "district",
				"区划代码应为 6 位数字（如 310105）");
	if (!name_valid(name))
		return yerr_set(err, 400, "trust_invalid_name", "name",
				"地区名称不能为空、不超过 %d 字节、不含控制字符", TRUST_NAME_MAX);
	if ((keys = keys_checked(keyset, err)) == NULL)
		return -1;
	if ((own = own_key(data_dir, keys)) != NULL) {
		rc = yerr_set(err, 400, "trust_own_keys", "keys",
			      "公钥 %s 是本平台自己的签名公钥，不能作为其他地区的公钥添加", own);
		json_decref(keys);
		return rc;
	}
	if (snprintf(dir, sizeof(dir), "%s/trust", data_dir) >= (int)sizeof(dir)) {
		json_decref(keys);
		return yerr_set(err, 400, "data_dir", "data", "数据目录路径过长");
	}
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		json_decref(keys);
		return io_fail(err, "mkdir", dir);
	}
	snprintf(file, sizeof(file), "%s.json", district);
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	*replaced = stat(path, &st) == 0;
	if (!*replaced && count_sets(dir) >= TRUST_SETS_MAX) {
		json_decref(keys);
		return yerr_set(err, 400, "trust_too_many", "district", "互认地区已达上限 %d 个",
				TRUST_SETS_MAX);
	}
	doc = json_pack("{s:s,s:s,s:s,s:I,s:o}", "district", district, "name", name, "origin",
			origin ? origin : "", "added_at", (json_int_t)time(NULL), "keys", keys);
	text = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	json_decref(doc);
	if (text == NULL)
		return yerr_set(err, 500, "out_of_memory", NULL, "内存不足");
	rc = write_atomic(dir, file, text, err);
	free(text);
	return rc;
}

int trust_remove(const char *data_dir, const char *district, struct yerr *err)
{
	char dir[1100], path[1200];

	if (!trust_district_valid(district))
		return yerr_set(err, 400, "trust_invalid_district", "district",
				"区划代码应为 6 位数字（如 310105）");
	snprintf(dir, sizeof(dir), "%s/trust", data_dir);
	snprintf(path, sizeof(path), "%s/%s.json", dir, district);
	if (unlink(path) < 0) {
		if (errno == ENOENT)
			return yerr_set(err, 404, "trust_not_found", "district",
					"没有添加过地区 %s 的公钥", district);
		return io_fail(err, "unlink", path);
	}
	if (fsync_dir(dir) < 0)
		return io_fail(err, "fsync", dir);
	return 0;
}

static int by_district(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* One set file, checked again (it may have been edited by hand): the entry
 * or NULL after saying why on stderr. */
static json_t *load_set(const char *dir, const char *file)
{
	char path[1400];
	json_error_t je;
	struct yerr e = {0};
	json_t *doc, *keys;
	const char *district, *name;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	doc = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	district = json_string_value(json_object_get(doc, "district"));
	name = json_string_value(json_object_get(doc, "name"));
	if (doc == NULL || !trust_district_valid(district) || strncmp(file, district, 6) != 0 ||
	    !name_valid(name) || (keys = keys_checked(doc, &e)) == NULL) {
		fprintf(stderr, "yiye: 互认公钥文件 %s 无效，已忽略%s%s\n", path,
			doc ? (e.message[0] ? "：" : "") : "：", doc ? e.message : je.text);
		json_decref(doc);
		return NULL;
	}
	json_object_set_new(doc, "keys", keys);
	return doc;
}

json_t *trust_load(const char *data_dir)
{
	char dir[1100], *names[TRUST_SETS_MAX];
	json_t *out = json_object(), *arr = json_array();
	struct dirent *de;
	size_t n = 0;
	DIR *d;

	if (out == NULL || arr == NULL)
		return NULL;
	json_object_set_new(out, "districts", arr);
	snprintf(dir, sizeof(dir), "%s/trust", data_dir);
	if ((d = opendir(dir)) == NULL)
		return out;
	while ((de = readdir(d)) != NULL && n < TRUST_SETS_MAX) {
		size_t len = strlen(de->d_name);

		if (len == 11 && strcmp(de->d_name + 6, ".json") == 0 &&
		    strspn(de->d_name, "0123456789") == 6 && (names[n] = strdup(de->d_name)))
			n++;
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), by_district);
	for (size_t i = 0; i < n; i++) {
		json_t *set = load_set(dir, names[i]);

		if (set)
			json_array_append_new(arr, set);
		free(names[i]);
	}
	return out;
}

int trust_verify(const json_t *sets, const char *text, struct payload *out, const json_t **which,
		 struct yerr *err)
{
	const json_t *arr = json_object_get(sets, "districts");

	*which = NULL;
	if (json_array_size(arr) == 0)
		return yerr_set(err, 400, "unknown_key", NULL, "未添加任何其他地区的公钥");
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const json_t *set = json_array_get(arr, i);

		memset(err, 0, sizeof(*err));
		if (payload_verify(text, set, out, err) == 0) {
			*which = set;
			return 0;
		}
	}
	return -1;
}
