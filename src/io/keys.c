/*
 * keys.c — the signing keyring (keys.h): key files, the public list,
 * rotation, and the reload a running server does when another process
 * rotated.
 */
#include "io/keys.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/canon.h"
#include "core/date.h"

#define LIST_NAME "keys.json"
#define LIST_MAX (1 << 20)
#define PK_B64_LEN 43 /* 32 bytes, base64url without padding */

/* A secret key this keyring has held as current (kept after a rotation so a
 * caller that was told a kid can still sign with it). */
struct held {
	char kid[33];
	unsigned char sk[crypto_sign_SECRETKEYBYTES];
};

struct keyring {
	pthread_mutex_t mu;
	char dir[1100];  /* DATA/keys */
	char list[1200]; /* DATA/keys/keys.json */
	/* identity of the keys.json in memory, and of one that failed to load
	 * (so a broken file is reported once, not on every signature) */
	struct stat seen, failed;
	int has_failed;
	json_t *pub;
	char *text; /* canonical text of pub, served */
	size_t text_len;
	char etag[72];
	char current[33];
	struct held *held;
	int nheld;
};

static int io_fail(struct yerr *err, const char *what, const char *path)
{
	return yerr_set(err, 500, "keys_io", "", "密钥目录操作失败（%s %s）：%s", what, path,
			strerror(errno));
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

/* The keys directory of data_dir; -1 when the path is too long. */
static int keys_dir(const char *data_dir, char *out, size_t outsz, struct yerr *err)
{
	if (snprintf(out, outsz, "%s/keys", data_dir) >= (int)outsz)
		return yerr_set(err, 400, "data_dir", "data", "数据目录路径过长");
	return 0;
}

/* A key file or the directory must be ours and closed to group and others:
 * a key that others could read is no longer secret, one others could write
 * is no longer ours. */
static int check_mode(const char *path, int is_dir, struct yerr *err)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return io_fail(err, "stat", path);
	if (is_dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode))
		return yerr_set(err, 500, "key_permissions", "", "%s 不是%s（拒绝启动）", path,
				is_dir ? "目录" : "普通文件");
	if (st.st_uid != geteuid())
		return yerr_set(
		    err, 500, "key_permissions", "",
		    "%s 属于用户 %u，不属于运行 yiye 的用户 %u（拒绝启动；请以同一用户运行，"
		    "或 chown）",
		    path, (unsigned)st.st_uid, (unsigned)geteuid());
	if (st.st_mode & 077)
		return yerr_set(
		    err, 500, "key_permissions", "",
		    "%s 的权限为 %04o，组或其他用户可访问（拒绝启动；请执行 chmod %s %s）", path,
		    (unsigned)(st.st_mode & 07777), is_dir ? "700" : "600", path);
	return 0;
}

/* Checks the directory and every *.key in it. */
static int check_all_modes(const char *dir, struct yerr *err)
{
	DIR *d;
	struct dirent *de;
	char path[1400];
	int rc = 0;

	if (check_mode(dir, 1, err) < 0)
		return -1;
	if ((d = opendir(dir)) == NULL)
		return io_fail(err, "opendir", dir);
	while (rc == 0 && (de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);

		if (n < 5 || strcmp(de->d_name + n - 4, ".key") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		rc = check_mode(path, 0, err);
	}
	closedir(d);
	return rc;
}

/* Writes data to dir/name durably: temp file (O_EXCL, mode 0600), fsync,
 * then rename — or, with noreplace, link (so an existing name is never
 * overwritten) — and fsync of the directory. The caller holds the lock, so
 * a temp file left by a crash may simply be removed first. */
static int write_atomic(const char *dir, const char *name, const void *data, size_t len,
			int noreplace, struct yerr *err)
{
	char tmp[1400], path[1400];
	const unsigned char *p = data;
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
		if (n <= 0) {
			io_fail(err, "write", tmp);
			goto fail;
		}
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) < 0) {
		io_fail(err, "fsync", tmp);
		goto fail;
	}
	close(fd);
	fd = -1;
	if (noreplace ? link(tmp, path) < 0 : rename(tmp, path) < 0) {
		io_fail(err, noreplace ? "link" : "rename", path);
		goto fail;
	}
	if (noreplace)
		unlink(tmp);
	if (fsync_dir(dir) < 0)
		return io_fail(err, "fsync", dir);
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return -1;
}

/* Exclusive lock of the keys directory (creation and rotation). Returns the
 * descriptor to unlock_dir, or -1 with err. */
static int lock_dir(const char *dir, struct yerr *err)
{
	char path[1400];
	int fd;

	snprintf(path, sizeof(path), "%s/.lock", dir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return io_fail(err, "open", path);
	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR) {
			close(fd);
			return io_fail(err, "flock", path);
		}
	return fd;
}

static void unlock_dir(int fd)
{
	if (fd >= 0)
		close(fd); /* releases the flock */
}

static void now_iso(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int corrupt(struct yerr *err, const char *path, const char *why)
{
	return yerr_set(err, 500, "keys_corrupt", "", "公钥列表 %s 无效：%s", path, why);
}

/* Checks the shape of a public list: {"keys":[…]} with well-formed entries,
 * unique kids, exactly one current key. *current points into list. */
static int list_check(const json_t *list, const char *path, const char **current, struct yerr *err)
{
	const json_t *arr = json_object_get(list, "keys");
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	size_t pklen;

	*current = NULL;
	if (!json_is_array(arr) || json_array_size(arr) == 0)
		return corrupt(err, path, "缺少 keys 数组");
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const json_t *e = json_array_get(arr, i);
		const char *kid = json_string_value(json_object_get(e, "kid"));
		const char *pk64 = json_string_value(json_object_get(e, "public_key"));
		const char *st = json_string_value(json_object_get(e, "status"));

		if (!payload_kid_valid(kid))
			return corrupt(err, path, "密钥编号格式不正确");
		if (pk64 == NULL || strlen(pk64) != PK_B64_LEN ||
		    sodium_base642bin(pk, sizeof(pk), pk64, PK_B64_LEN, NULL, &pklen, NULL,
				      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
		    pklen != sizeof(pk))
			return corrupt(err, path, "公钥格式不正确");
		for (size_t j = 0; j < i; j++)
			if (strcmp(kid, json_string_value(
					    json_object_get(json_array_get(arr, j), "kid"))) == 0)
				return corrupt(err, path, "密钥编号重复");
		if (st && strcmp(st, "current") == 0) {
			if (*current)
				return corrupt(err, path, "有多个当前密钥");
			*current = kid;
		} else if (st == NULL || strcmp(st, "retired") != 0) {
			return corrupt(err, path, "status 应为 current 或 retired");
		}
	}
	if (*current == NULL)
		return corrupt(err, path, "没有当前密钥");
	return 0;
}

/* Reads and checks the public list at path; fst receives the identity of the
 * file read. */
static int list_load(const char *path, json_t **out, struct stat *fst, struct yerr *err)
{
	json_error_t je;
	const char *cur;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*out = NULL;
	if (fd < 0)
		return io_fail(err, "open", path);
	if (fstat(fd, fst) < 0 || fst->st_size > LIST_MAX) {
		close(fd);
		return corrupt(err, path, "无法读取或过大");
	}
	*out = json_loadfd(fd, JSON_REJECT_DUPLICATES, &je);
	close(fd);
	if (*out == NULL)
		return corrupt(err, path, je.text);
	if (list_check(*out, path, &cur, err) < 0) {
		json_decref(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

static int list_save(const char *dir, const json_t *list, struct yerr *err)
{
	char *text = json_dumps(list, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	int rc;

	if (text == NULL)
		abort();
	rc = write_atomic(dir, LIST_NAME, text, strlen(text), 0, err);
	free(text);
	return rc;
}

static const json_t *list_entry(const json_t *list, const char *kid)
{
	const json_t *arr = json_object_get(list, "keys");

	for (size_t i = 0; i < json_array_size(arr); i++) {
		const char *id = json_string_value(json_object_get(json_array_get(arr, i), "kid"));

		if (id && strcmp(id, kid) == 0)
			return json_array_get(arr, i);
	}
	return NULL;
}

/* Reads dir/<kid>.key (mode checked) and makes sure it is the secret half of
 * the public key listed for kid. */
static int secret_load(const char *dir, const json_t *list, const char *kid,
		       unsigned char sk[crypto_sign_SECRETKEYBYTES], struct yerr *err)
{
	const char *pk64 = json_string_value(json_object_get(list_entry(list, kid), "public_key"));
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], derived[crypto_sign_PUBLICKEYBYTES];
	char path[1400];
	size_t pklen = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s.key", dir, kid);
	if (check_mode(path, 0, err) < 0)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return io_fail(err, "open", path);
	n = read(fd, sk, crypto_sign_SECRETKEYBYTES);
	/* exactly 64 bytes: one more is a file that is not ours */
	if (n == crypto_sign_SECRETKEYBYTES) {
		unsigned char extra;

		if (read(fd, &extra, 1) != 0)
			n = -1;
	}
	close(fd);
	if (n != crypto_sign_SECRETKEYBYTES)
		return yerr_set(err, 500, "keys_corrupt", "", "密钥文件 %s 长度不正确", path);
	if (pk64 == NULL ||
	    sodium_base642bin(pk, sizeof(pk), pk64, strlen(pk64), NULL, &pklen, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    crypto_sign_ed25519_sk_to_pk(derived, sk) != 0 ||
	    sodium_memcmp(derived, pk, sizeof(pk)) != 0) {
		sodium_memzero(sk, crypto_sign_SECRETKEYBYTES);
		return yerr_set(err, 500, "keys_corrupt", "",
				"密钥文件 %s 与公钥列表中的公钥不匹配", path);
	}
	return 0;
}

/* A key id for a key made today (Asia/Shanghai): k<YYYYMMDD> and the first
 * of a, b, …, z, aa, ab, … that neither the list nor a key file uses. */
static int kid_new(const char *dir, const json_t *list, char out[33])
{
	char day[DATE_STR_SIZE], path[1400];

	date_format(date_today_shanghai(time(NULL)), day, sizeof(day));
	for (int i = 0; i < 26 + 26 * 26; i++) {
		char suffix[3] = {0};

		if (i < 26)
			suffix[0] = (char)('a' + i);
		else
			suffix[0] = (char)('a' + (i - 26) / 26),
			suffix[1] = (char)('a' + (i - 26) % 26);
		snprintf(out, 33, "k%.4s%.2s%.2s%s", day, day + 5, day + 8, suffix);
		snprintf(path, sizeof(path), "%s/%s.key", dir, out);
		if (list_entry(list, out) == NULL && access(path, F_OK) < 0)
			return 0;
	}
	return -1;
}

/* Adds a new current key to list (retiring the current one) and writes the
 * key file and then the list. Caller holds the directory lock. */
static int key_add(const char *dir, json_t *list, char new_kid[33], struct yerr *err)
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	char pk64[PK_B64_LEN + 1], now[32], name[64];
	json_t *arr = json_object_get(list, "keys");
	int rc;

	if (kid_new(dir, list, new_kid) < 0)
		return yerr_set(err, 409, "too_many_rotations", "", "今日轮换次数过多，请明日再试");
	crypto_sign_keypair(pk, sk);
	sodium_bin2base64(pk64, sizeof(pk64), pk, sizeof(pk),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	snprintf(name, sizeof(name), "%s.key", new_kid);
	rc = write_atomic(dir, name, sk, sizeof(sk), 1, err);
	sodium_memzero(sk, sizeof(sk));
	if (rc < 0)
		return -1;
	now_iso(now);
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *e = json_array_get(arr, i);

		if (strcmp(json_string_value(json_object_get(e, "status")), "current") == 0) {
			json_object_set_new(e, "status", json_string("retired"));
			json_object_set_new(e, "retired_at", json_string(now));
		}
	}
	json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:s,s:n}", "kid", new_kid, "alg",
					     "Ed25519", "public_key", pk64, "status", "current",
					     "created_at", now, "retired_at"));
	return list_save(dir, list, err);
}

/* Creates dir (0700) if missing and, under the lock, the first key when
 * there is no list. created is set when a key was made. */
static int ensure_first_key(const char *dir, int *created, struct yerr *err)
{
	char path[1400], kid[33];
	json_t *list;
	DIR *d;
	struct dirent *de;
	int lk, rc = 0, stray = 0;

	*created = 0;
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return io_fail(err, "mkdir", dir);
	if (check_mode(dir, 1, err) < 0)
		return -1;
	if ((lk = lock_dir(dir, err)) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", dir, LIST_NAME);
	if (access(path, F_OK) == 0)
		goto out;
	/* key files without a list: a half-restored backup; making a new key
	 * would hide them, so say what is wrong instead */
	if ((d = opendir(dir)) != NULL) {
		while ((de = readdir(d)) != NULL)
			if (strlen(de->d_name) > 4 && de->d_name[0] != '.' &&
			    strcmp(de->d_name + strlen(de->d_name) - 4, ".key") == 0)
				stray = 1;
		closedir(d);
	}
	if (stray) {
		rc = yerr_set(
		    err, 500, "keys_corrupt", "",
		    "密钥目录 %s 中有密钥文件但缺少 keys.json（请从备份恢复整个密钥目录）", dir);
		goto out;
	}
	list = json_pack("{s:[]}", "keys");
	rc = key_add(dir, list, kid, err);
	json_decref(list);
	if (rc == 0)
		*created = 1;
out:
	unlock_dir(lk);
	return rc;
}

static struct held *held_find(struct keyring *k, const char *kid)
{
	for (int i = 0; i < k->nheld; i++)
		if (strcmp(k->held[i].kid, kid) == 0)
			return &k->held[i];
	return NULL;
}

/* Loads the list (and the current key's secret, if new to us) into k.
 * Caller holds k->mu. On failure k is unchanged. */
static int reload_locked(struct keyring *k, struct yerr *err)
{
	json_t *list;
	struct stat st;
	const char *cur;
	unsigned char sk[crypto_sign_SECRETKEYBYTES];
	char *text;
	size_t len;
	unsigned char h[crypto_hash_sha256_BYTES];

	if (list_load(k->list, &list, &st, err) < 0)
		return -1;
	list_check(list, k->list, &cur, NULL);
	if (held_find(k, cur) == NULL) {
		struct held *nh;

		if (secret_load(k->dir, list, cur, sk, err) < 0) {
			json_decref(list);
			return -1;
		}
		nh = realloc(k->held, sizeof(*nh) * (size_t)(k->nheld + 1));
		if (nh == NULL)
			abort();
		k->held = nh;
		snprintf(nh[k->nheld].kid, sizeof(nh[k->nheld].kid), "%s", cur);
		memcpy(nh[k->nheld].sk, sk, sizeof(sk));
		sodium_memzero(sk, sizeof(sk));
		k->nheld++;
	}
	text = canon_json_len(list, &len);
	if (text == NULL)
		abort(); /* list_check admitted strings and nulls only */
	crypto_hash_sha256(h, (const unsigned char *)text, len);
	snprintf(k->etag, sizeof(k->etag), "\"");
	sodium_bin2hex(k->etag + 1, 33, h, 16);
	strcat(k->etag, "\"");
	free(k->text);
	k->text = text;
	k->text_len = len;
	json_decref(k->pub);
	k->pub = list;
	snprintf(k->current, sizeof(k->current), "%s", cur);
	k->seen = st;
	k->has_failed = 0;
	return 0;
}

static int same_file(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_dev == b->st_dev && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* Locks k and reloads when keys.json is no longer the file in memory (one
 * stat). The caller unlocks k->mu. */
static void lock_fresh(struct keyring *k)
{
	struct stat st;
	int have = stat(k->list, &st) == 0;

	pthread_mutex_lock(&k->mu);
	if (!have || same_file(&st, &k->seen) || (k->has_failed && same_file(&st, &k->failed)))
		return;
	struct yerr e = {0};

	if (reload_locked(k, &e) < 0) {
		/* the keys in memory still sign and verify; say why once */
		fprintf(stderr, "yiye: keys: 未能载入新的公钥列表，继续使用密钥 %s：%s\n",
			k->current, e.message);
		k->failed = st;
		k->has_failed = 1;
	}
}

int keyring_open(const char *data_dir, struct keyring **out, struct yerr *err)
{
	struct keyring *k;
	int created;

	*out = NULL;
	if (sodium_init() < 0)
		return yerr_set(err, 500, "keys_io", "", "libsodium 初始化失败");
	k = calloc(1, sizeof(*k));
	if (k == NULL)
		abort();
	pthread_mutex_init(&k->mu, NULL);
	if (keys_dir(data_dir, k->dir, sizeof(k->dir), err) < 0 ||
	    ensure_first_key(k->dir, &created, err) < 0 || check_all_modes(k->dir, err) < 0)
		goto fail;
	snprintf(k->list, sizeof(k->list), "%s/%s", k->dir, LIST_NAME);
	pthread_mutex_lock(&k->mu);
	if (reload_locked(k, err) < 0) {
		pthread_mutex_unlock(&k->mu);
		goto fail;
	}
	pthread_mutex_unlock(&k->mu);
	*out = k;
	return 0;
fail:
	keyring_close(k);
	return -1;
}

void keyring_close(struct keyring *k)
{
	if (k == NULL)
		return;
	if (k->held)
		sodium_memzero(k->held, sizeof(*k->held) * (size_t)k->nheld);
	free(k->held);
	free(k->text);
	json_decref(k->pub);
	pthread_mutex_destroy(&k->mu);
	free(k);
}

static int sign_with(const struct held *h, const void *msg, size_t len, char sig[100])
{
	unsigned char s[crypto_sign_BYTES];

	if (crypto_sign_detached(s, NULL, msg, len, h->sk) != 0)
		return -1;
	sodium_bin2base64(sig, 100, s, sizeof(s), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return 0;
}

int keyring_sign(struct keyring *k, const void *msg, size_t len, char kid[33], char sig[100])
{
	const struct held *h;
	int rc;

	lock_fresh(k);
	h = held_find(k, k->current);
	snprintf(kid, 33, "%s", k->current);
	rc = h ? sign_with(h, msg, len, sig) : -1;
	pthread_mutex_unlock(&k->mu);
	return rc;
}

int keyring_current(struct keyring *k, char kid[33])
{
	lock_fresh(k);
	snprintf(kid, 33, "%s", k->current);
	pthread_mutex_unlock(&k->mu);
	return kid[0] ? 0 : -1;
}

int keyring_sign_as(struct keyring *k, const char *kid, const void *msg, size_t len, char sig[100])
{
	const struct held *h;
	int rc;

	pthread_mutex_lock(&k->mu);
	h = held_find(k, kid);
	rc = h ? sign_with(h, msg, len, sig) : -1;
	pthread_mutex_unlock(&k->mu);
	return rc;
}

int keyring_sign_cb(void *ctx, const char *kid, const void *msg, size_t len, char sig[100])
{
	return keyring_sign_as(ctx, kid, msg, len, sig);
}

int keyring_sign_doc(struct keyring *k, json_t *doc, char sig[100], struct yerr *err)
{
	char kid[33];
	char *text;
	size_t len;
	int rc;

	if (keyring_current(k, kid) < 0)
		return yerr_set(err, 500, "sign_failed", "", "签名失败：没有可用的签名密钥");
	json_object_set_new(doc, "kid", json_string(kid));
	text = canon_json_len(doc, &len);
	if (text == NULL)
		return yerr_set(err, 400, "not_canonical", "",
				"文档含有小数或无效文本，无法规范化签名");
	rc = keyring_sign_as(k, kid, text, len, sig);
	free(text);
	if (rc < 0)
		return yerr_set(err, 500, "sign_failed", "", "签名失败，请稍后重试");
	return 0;
}

char *keyring_payload_build(struct keyring *k, const struct payload *p, struct yerr *err)
{
	struct payload q = *p;

	if (keyring_current(k, q.kid) < 0) {
		yerr_set(err, 500, "sign_failed", "", "签名失败：没有可用的签名密钥");
		return NULL;
	}
	return payload_build(&q, keyring_sign_cb, k, err);
}

char *keyring_display_token(struct keyring *k, const char *number, int version, long long expires,
			    struct yerr *err)
{
	char kid[33];

	if (keyring_current(k, kid) < 0) {
		yerr_set(err, 500, "sign_failed", "", "签名失败：没有可用的签名密钥");
		return NULL;
	}
	return display_token_build(number, version, expires, kid, keyring_sign_cb, k, err);
}

json_t *keyring_public_json(struct keyring *k)
{
	json_t *copy;

	lock_fresh(k);
	copy = json_deep_copy(k->pub);
	pthread_mutex_unlock(&k->mu);
	return copy;
}

char *keyring_public_text(struct keyring *k, size_t *len, char etag[72])
{
	char *text;

	lock_fresh(k);
	text = malloc(k->text_len + 1);
	if (text == NULL)
		abort();
	memcpy(text, k->text, k->text_len + 1);
	*len = k->text_len;
	snprintf(etag, 72, "%s", k->etag);
	pthread_mutex_unlock(&k->mu);
	return text;
}

int keyring_rotate(const char *data_dir, char new_kid[33], struct yerr *err)
{
	char dir[1100], path[1400];
	struct stat st;
	json_t *list;
	int created, lk, rc;

	if (sodium_init() < 0)
		return yerr_set(err, 500, "keys_io", "", "libsodium 初始化失败");
	if (keys_dir(data_dir, dir, sizeof(dir), err) < 0 ||
	    ensure_first_key(dir, &created, err) < 0 || check_all_modes(dir, err) < 0)
		return -1;
	if ((lk = lock_dir(dir, err)) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", dir, LIST_NAME);
	rc = list_load(path, &list, &st, err);
	if (rc == 0 && created) {
		/* a keyring that did not exist: its first key is the new one */
		const char *cur;

		list_check(list, path, &cur, NULL);
		snprintf(new_kid, 33, "%s", cur);
	} else if (rc == 0) {
		rc = key_add(dir, list, new_kid, err);
	}
	json_decref(list);
	unlock_dir(lk);
	return rc;
}
