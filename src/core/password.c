/*
 * password.c — see password.h.
 */
#include "core/password.h"
#include "core/text.h"

#include <stdlib.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static int contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	if (n == 0)
		return 0;
	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return 0;
}

int password_check_policy(const char *pw, const char *username, const char **code, char *msg,
			  size_t msgsz)
{
	int lower = 0, upper = 0, digit = 0, other = 0, classes;
	long len = text_chars(pw, strlen(pw));
	char missing[160] = "";

	if (len < 0) {
		*code = "invalid_utf8";
		snprintf(msg, msgsz, "密码含有无效字符");
		return -1;
	}
	if (strlen(pw) > PASSWORD_MAX_BYTES) {
		*code = "too_long";
		snprintf(msg, msgsz, "密码过长（最多 %d 个字节）", PASSWORD_MAX_BYTES);
		return -1;
	}
	for (const unsigned char *p = (const unsigned char *)pw; *p; p++) {
		if (*p >= 'a' && *p <= 'z')
			lower = 1;
		else if (*p >= 'A' && *p <= 'Z')
			upper = 1;
		else if (*p >= '0' && *p <= '9')
			digit = 1;
		else
			other = 1;
	}
	classes = lower + upper + digit + other;
	if (classes < 3) {
		size_t used = 0;
		const char *names[4] = {lower ? NULL : "小写字母", upper ? NULL : "大写字母",
					digit ? NULL : "数字", other ? NULL : "符号"};

		for (int i = 0; i < 4; i++)
			if (names[i])
				used += (size_t)snprintf(missing + used, sizeof(missing) - used,
							 "%s%s", used ? "、" : "", names[i]);
	}
	if (len < PASSWORD_MIN_LEN || classes < 3) {
		*code = len < PASSWORD_MIN_LEN ? "too_short" : "weak";
		if (len < PASSWORD_MIN_LEN && classes < 3)
			snprintf(msg, msgsz,
				 "密码至少需要 %d 个字符（现为 %ld "
				 "个），并至少包含小写字母、大写字母、数字、"
				 "符号中的三类（还缺：%s）",
				 PASSWORD_MIN_LEN, len, missing);
		else if (len < PASSWORD_MIN_LEN)
			snprintf(msg, msgsz, "密码至少需要 %d 个字符（现为 %ld 个）",
				 PASSWORD_MIN_LEN, len);
		else
			snprintf(msg, msgsz,
				 "密码须至少包含小写字母、大写字母、数字、符号中的三类（还缺：%"
				 "s，任选其一补上即可）",
				 missing);
		return -1;
	}
	if (username && *username && contains_ci(pw, username)) {
		*code = "contains_username";
		snprintf(msg, msgsz, "密码不能包含用户名");
		return -1;
	}
	*code = NULL;
	if (msgsz)
		msg[0] = '\0';
	return 0;
}

/* The cost of a fast (test) hash: libsodium's minimum. */
static unsigned long long ops_for(int fast)
{
	return fast ? crypto_pwhash_OPSLIMIT_MIN : PASSWORD_OPSLIMIT;
}

static size_t mem_for(int fast)
{
	return fast ? crypto_pwhash_MEMLIMIT_MIN : PASSWORD_MEMLIMIT;
}

int password_hash(const char *pw, int fast, char out[PASSWORD_HASH_SIZE])
{
	_Static_assert(PASSWORD_HASH_SIZE >= crypto_pwhash_STRBYTES, "hash buffer too small");
	if (sodium_init() < 0)
		return -1;
	return crypto_pwhash_str_alg(out, pw, strlen(pw), ops_for(fast), mem_for(fast),
				     crypto_pwhash_ALG_ARGON2ID13) == 0
		   ? 0
		   : -1;
}

int password_verify(const char *hash, const char *pw)
{
	if (hash == NULL || pw == NULL || strlen(hash) >= crypto_pwhash_STRBYTES ||
	    sodium_init() < 0)
		return 0;
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

int password_needs_rehash(const char *hash, int fast)
{
	if (hash == NULL || strlen(hash) >= crypto_pwhash_STRBYTES || sodium_init() < 0)
		return 0;
	/* 1: other parameters (or algorithm); -1: not a hash we can read, which
	 * verification has already refused, so nothing to redo. */
	return crypto_pwhash_str_needs_rehash(hash, ops_for(fast), mem_for(fast)) == 1;
}

void password_generate(const char *username, char out[PASSWORD_GEN_LEN + 1])
{
	const char *code;
	char msg[8];

	static const char *const sets[4] = {"abcdefghijkmnpqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ",
					    "23456789", "#%+-=@_"};
	static const char all[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789#%+-=@_";

	if (sodium_init() < 0)
		abort();
again:
	for (int i = 0; i < PASSWORD_GEN_LEN; i++)
		out[i] = all[randombytes_uniform((uint32_t)(sizeof(all) - 1))];
	/* one of each class at distinct random positions */
	for (int c = 0; c < 4; c++) {
		int pos =
		    c * (PASSWORD_GEN_LEN / 4) + (int)randombytes_uniform(PASSWORD_GEN_LEN / 4);

		out[pos] = sets[c][randombytes_uniform((uint32_t)strlen(sets[c]))];
	}
	out[PASSWORD_GEN_LEN] = '\0';
	if (password_check_policy(out, username, &code, msg, sizeof(msg)) < 0)
		goto again; /* it happened to contain the username */
}
