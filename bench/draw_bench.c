/*
 * draw_bench.c — the verifiable draw at city scale (bench/run.d/draw.sh).
 *
 *   draw_bench generate DIR [ENTITIES [INSPECTORS]]
 *       writes deterministic synthetic rows, as the supervision module
 *       would read them from its registers, in an order unrelated to the
 *       ids (databases answer in any order):
 *       DIR/entities.tsv    id TAB grade TAB industry TAB street
 *       DIR/inspectors.tsv  id TAB department
 *       DIR/conflicts.tsv   inspector TAB entity
 *       (defaults: 1,000,000 entities, 1,000 inspectors in 2 departments,
 *       one declared conflict per 100 entities). The ids look like
 *       统一社会信用代码 but are synthetic: no check character, no real firm.
 *   draw_bench draw DIR [--record FILE]
 *       reads the rows, freezes the plan (checks, sorts, hashes the
 *       canonical form) and draws; prints the number of checks drawn (what
 *       `shuf -n` is given), the commitment and the time of each step; with
 *       --record also writes the public record (not timed).
 *   draw_bench freeze DIR OUT
 *       writes the canonical form to OUT (for `sha256sum OUT`) and prints
 *       the commitment and the time of draw_prepare (checks, sort, hash)
 *       and of hashing the canonical form alone, best of 3.
 *
 * The plan: a joint plan of 2 departments, 2 inspectors per check, ratios
 * A 30‰, B 50‰, C 100‰, D 200‰ over grades spread 40/40/15/5 % —
 * about 57,000 checks for a million entities. Timing lines are
 * "name: X ms" for the script; exit status 0, or 2 on an error.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <time.h>

#include <openssl/evp.h>

#include "core/draw.h"

static const char *departments[] = {"scjgj", "wjw"};
static const char *industries[] = {"餐饮服务", "便利店", "药店", "美容美发", "宾馆"};
static const char *streets[] = {"徐家汇街道",   "天平路街道", "湖南路街道", "枫林路街道",
				"田林街道",     "虹梅路街道", "斜土路街道", "漕河泾街道",
				"康健新村街道", "长桥街道",   "凌云路街道", "龙华街道",
				"华泾镇"};
/* The fixed secret of the bench (a real plan's is random and kept until the draw). */
static const unsigned char secret[32] = "yiye-bench-secret-not-for-use!!";

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* A synthetic 18-character code for entity i: a fixed prefix and ten
 * characters of i × K mod 31^10 (K coprime to 31: a bijection, so unique). */
static void entity_id(size_t i, char out[19])
{
	static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY"; /* GB 32100's 31 */
	const uint64_t p = UINT64_C(819628286980801);                     /* 31^10 */
	uint64_t x = (uint64_t)((unsigned __int128)i * UINT64_C(0x9e3779b97f4a7c15) % p);

	memcpy(out, "91310104", 8);
	for (int k = 17; k >= 8; k--) {
		out[k] = alphabet[x % 31];
		x /= 31;
	}
	out[18] = '\0';
}

static int generate(const char *dir, size_t n, size_t m)
{
	char path[4096];
	FILE *f;
	uint64_t rng = 2027;
	char id[19];

	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -1;
	snprintf(path, sizeof(path), "%s/entities.tsv", dir);
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	/* Row k holds entity (k * 7919) mod n: an order unrelated to the ids. */
	for (size_t k = 0; k < n; k++) {
		size_t i = (size_t)((uint64_t)k * 7919 % n);
		uint64_t r = splitmix(&rng) % 100;
		char grade = r < 40 ? 'A' : r < 80 ? 'B' : r < 95 ? 'C' : 'D';

		entity_id(i, id);
		fprintf(f, "%s\t%c\t%s\t%s\n", id, grade, industries[i % 5], streets[i % 13]);
	}
	if (fclose(f) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/inspectors.tsv", dir);
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	for (size_t i = 0; i < m; i++)
		fprintf(f, "INS%05zu\t%s\n", i, departments[i % 2]);
	if (fclose(f) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/conflicts.tsv", dir);
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	for (size_t i = 0; i < n; i += 100) {
		entity_id(i, id);
		fprintf(f, "INS%05zu\t%s\n", (size_t)(splitmix(&rng) % m), id);
	}
	return fclose(f) == 0 ? 0 : -1;
}

/* The whole file, mapped privately (the parse writes NULs over its TABs
 * and LFs; untouched pages stay shared with the page cache). Every line
 * must end with LF, as generate writes them. */
static char *slurp(const char *dir, const char *name, size_t *len)
{
	char path[4096];
	struct stat st;
	char *buf;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fd = open(path, O_RDONLY)) < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "draw_bench: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	*len = (size_t)st.st_size;
	if (*len == 0) {
		close(fd);
		return NULL;
	}
	buf = mmap(NULL, *len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	close(fd);
	if (buf == MAP_FAILED || buf[*len - 1] != '\n') {
		fprintf(stderr, "draw_bench: %s: cannot map, or no LF at the end\n", path);
		exit(2);
	}
	return buf;
}

/* Splits the next line of *p (before end) in place into nf TAB-separated
 * fields; answers 0, or -1 at the end of the buffer. */
static int next_line(char **p, char *end, int nf, char **f)
{
	char *nl;

	if (*p >= end)
		return -1;
	nl = memchr(*p, '\n', (size_t)(end - *p));
	if (nl == NULL)
		nl = end;
	*nl = '\0';
	for (int i = 0; i < nf; i++) {
		f[i] = *p;
		if (i + 1 < nf) {
			char *tab = memchr(*p, '\t', (size_t)(nl - *p));

			if (tab == NULL) {
				fprintf(stderr, "draw_bench: %d fields expected\n", nf);
				exit(2);
			}
			*tab = '\0';
			*p = tab + 1;
		}
	}
	*p = nl + 1;
	return 0;
}

/* Room for the rows of a buffer of len bytes whose lines are at least
 * min bytes long: an upper bound, so no pass to count them first (the
 * pages never written are never touched). */
static void *rows_alloc(size_t len, size_t min, size_t size)
{
	void *p = malloc((len / min + 1) * size);

	if (p == NULL)
		exit(2);
	return p;
}

struct rows {
	char *ebuf, *ibuf, *cbuf;
	size_t elen, ilen, clen;
	struct draw_entity *ent;
	struct draw_inspector *ins;
	struct draw_conflict *conf;
	struct draw_plan plan;
	char secret_sha256[65];
};

/* Reads the three files into rows pointing into their buffers, as the
 * supervision module will hand the draw its database rows. */
static void rows_read(const char *dir, struct rows *r)
{
	size_t len, n = 0, m = 0, c = 0;
	unsigned char h[32];
	unsigned int hl;
	char *p, *f[4];

	r->ebuf = slurp(dir, "entities.tsv", &r->elen);
	len = r->elen;
	r->ent = rows_alloc(len, 6, sizeof(*r->ent)); /* "x\tA\t\t\n" */
	for (p = r->ebuf; next_line(&p, r->ebuf + len, 4, f) == 0; n++)
		r->ent[n] =
		    (struct draw_entity){f[0], (enum draw_grade)(f[1][0] - 'A'), f[2], f[3]};
	r->ibuf = slurp(dir, "inspectors.tsv", &r->ilen);
	len = r->ilen;
	r->ins = rows_alloc(len, 4, sizeof(*r->ins));
	for (p = r->ibuf; next_line(&p, r->ibuf + len, 2, f) == 0; m++)
		r->ins[m] = (struct draw_inspector){f[0], f[1]};
	r->cbuf = slurp(dir, "conflicts.tsv", &r->clen);
	len = r->clen;
	r->conf = rows_alloc(len, 4, sizeof(*r->conf));
	for (p = r->cbuf; next_line(&p, r->cbuf + len, 2, f) == 0; c++)
		r->conf[c] = (struct draw_conflict){f[0], f[1]};
	EVP_Digest(secret, sizeof(secret), h, &hl, EVP_sha256(), NULL);
	draw_hex(h, 32, r->secret_sha256);
	r->plan = (struct draw_plan){
	    .algorithm = DRAW_ALGORITHM,
	    .plan = "压测-2027-001",
	    .departments = departments,
	    .ndepartments = 2,
	    .ratio = {30, 50, 100, 200},
	    .per_check = 2,
	    .entities = r->ent,
	    .nentities = n,
	    .inspectors = r->ins,
	    .ninspectors = m,
	    .conflicts = r->conf,
	    .nconflicts = c,
	    .secret_sha256 = r->secret_sha256,
	};
}

static void rows_free(struct rows *r)
{
	if (r->ebuf)
		munmap(r->ebuf, r->elen);
	if (r->ibuf)
		munmap(r->ibuf, r->ilen);
	if (r->cbuf)
		munmap(r->cbuf, r->clen);
	free(r->ent);
	free(r->ins);
	free(r->conf);
}

static int draw(const char *dir, const char *record)
{
	struct rows r;
	struct draw_prepared *p = NULL;
	struct draw_selection sel;
	struct yerr e = {0};
	unsigned char c[32];
	char hex[65];
	double t0 = now_ms(), t1, t2, t3;

	rows_read(dir, &r);
	t1 = now_ms();
	if (draw_prepare(&r.plan, &p, &e) < 0) {
		fprintf(stderr, "draw_bench: %s（%s）\n", e.message, e.field);
		return 2;
	}
	t2 = now_ms();
	if (draw_run(p, secret, sizeof(secret), "bench-public-value", &sel, &e) < 0) {
		fprintf(stderr, "draw_bench: %s\n", e.message);
		return 2;
	}
	t3 = now_ms();
	draw_commitment(p, c);
	draw_hex(c, 32, hex);
	printf("entities: %zu\ninspectors: %zu\nconflicts: %zu\nchecks: %zu\ncommitment: %s\n",
	       r.plan.nentities, r.plan.ninspectors, r.plan.nconflicts, sel.n, hex);
	printf("read: %.1f ms\nfreeze: %.1f ms\nselect: %.1f ms\ntotal: %.1f ms\n", t1 - t0,
	       t2 - t1, t3 - t2, t3 - t0);
	if (record) {
		json_t *rec = draw_record_json(p, secret, sizeof(secret), "bench-public-value",
					       "压测用固定值（非真实随机源）", &sel);

		if (json_dump_file(rec, record, JSON_COMPACT) != 0) {
			fprintf(stderr, "draw_bench: cannot write %s\n", record);
			return 2;
		}
		json_decref(rec);
	}
	draw_selection_free(&sel);
	draw_prepared_free(p);
	rows_free(&r);
	return 0;
}

static void sink_file(void *ctx, const char *bytes, size_t len)
{
	if (fwrite(bytes, 1, len, ctx) != len)
		exit(2);
}

static void sink_digest(void *ctx, const char *bytes, size_t len)
{
	EVP_DigestUpdate(ctx, bytes, len);
}

static int freeze(const char *dir, const char *out)
{
	struct rows r;
	struct draw_prepared *p = NULL;
	struct yerr e = {0};
	unsigned char c[32];
	char hex[65];
	double best_prep = 1e30, best_hash = 1e30;
	FILE *f;

	rows_read(dir, &r);
	for (int run = 0; run < 3; run++) {
		double t0 = now_ms(), t1, t2;
		EVP_MD_CTX *md = EVP_MD_CTX_new();
		unsigned int n;

		draw_prepared_free(p);
		if (draw_prepare(&r.plan, &p, &e) < 0) {
			fprintf(stderr, "draw_bench: %s（%s）\n", e.message, e.field);
			return 2;
		}
		t1 = now_ms();
		EVP_DigestInit_ex(md, EVP_sha256(), NULL);
		draw_canonical(p, sink_digest, md);
		EVP_DigestFinal_ex(md, c, &n);
		EVP_MD_CTX_free(md);
		t2 = now_ms();
		best_prep = t1 - t0 < best_prep ? t1 - t0 : best_prep;
		best_hash = t2 - t1 < best_hash ? t2 - t1 : best_hash;
	}
	if ((f = fopen(out, "wb")) == NULL)
		return 2;
	draw_canonical(p, sink_file, f);
	if (fclose(f) != 0)
		return 2;
	draw_hex(c, 32, hex);
	printf("commitment: %s\nfreeze: %.1f ms\nhash: %.1f ms\n", hex, best_prep, best_hash);
	draw_prepared_free(p);
	rows_free(&r);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "generate") == 0) {
		size_t n = argc > 3 ? strtoul(argv[3], NULL, 10) : 1000000;
		size_t m = argc > 4 ? strtoul(argv[4], NULL, 10) : 1000;

		if (m < 4 || generate(argv[2], n, m) < 0) {
			fprintf(stderr, "draw_bench: generate failed: %s\n", strerror(errno));
			return 2;
		}
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "draw") == 0)
		return draw(argv[2], NULL);
	if (argc == 5 && strcmp(argv[1], "draw") == 0 && strcmp(argv[3], "--record") == 0)
		return draw(argv[2], argv[4]);
	if (argc == 4 && strcmp(argv[1], "freeze") == 0)
		return freeze(argv[2], argv[3]);
	fprintf(stderr, "usage: draw_bench generate DIR [ENTITIES [INSPECTORS]]\n"
			"       draw_bench draw DIR [--record FILE]\n"
			"       draw_bench freeze DIR OUT\n");
	return 2;
}
