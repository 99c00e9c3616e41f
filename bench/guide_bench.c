/*
 * guide_bench.c — how fast the catalog loads and the guide matches.
 *
 *   guide_bench CATALOG_DIR [RUNS]
 *
 * Targets (docs/benchmarks.md): catalog load at start under 50 ms, guide
 * matching for any industry under 1 ms server time. It measures
 *   - catalog_dir_load (read the files, check, run every rule test, render
 *     the single document) — what `yiye catalog import` does, for reference;
 *   - catalog_parse_document — what the server does at start and on every
 *     activation (median and worst of 20);
 *   - guide_run + guide_result_free, RUNS times (default 2000) for every
 *     industry with the answers of its fullest complete rule test;
 * and prints per industry the median, 99th percentile and worst match time,
 * overall figures, and one ratio line per target with PASS or FAIL. The match
 * target is judged on the highest per-industry 99th percentile: a single
 * worst run measures the scheduler as much as the code. Exit status 0 when every
 * target is met, 1 otherwise, 2 on a usage or load error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "io/catalog_dir.h"
#include "core/catalog.h"
#include "core/guide.h"

#define LOAD_TARGET_MS 50.0
#define MATCH_TARGET_MS 1.0
#define PARSE_RUNS 20

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n ? v[n / 2] : 0;
}

/* The p-th percentile of v[0..n), sorted already. */
static double percentile(const double *v, size_t n, double p)
{
	size_t i = (size_t)(p / 100.0 * (double)n);

	return n ? v[i < n ? i : n - 1] : 0;
}

/* The answers of the industry's complete test with the most answers (or of
 * its fullest test when none says complete). */
static const json_t *bench_answers(const struct catalog_industry *ind)
{
	const json_t *best = NULL;
	size_t best_n = 0;
	bool best_complete = false;

	for (size_t i = 0; i < ind->ntests; i++) {
		const json_t *c = json_object_get(ind->tests[i].expect, "complete");
		bool complete = json_is_true(c);
		size_t n = json_object_size(ind->tests[i].answers);

		if (best == NULL || (complete && !best_complete) ||
		    (complete == best_complete && n > best_n)) {
			best = ind->tests[i].answers;
			best_n = n;
			best_complete = complete;
		}
	}
	return best;
}

static void ratio_line(const char *what, double value, double target)
{
	double r = value / target;

	printf("ratio %s / target: %.3f (target <= 1.00) %s\n", what, r,
	       r <= 1.0 ? "PASS" : "FAIL");
}

int main(int argc, char **argv)
{
	struct yerr err = {0};
	struct catalog *cat = NULL;
	char *doc = NULL;
	double t0, dir_ms, parse[PARSE_RUNS], parse_med, parse_worst = 0, *times, *all_medians;
	double overall_worst = 0, worst_p99 = 0;
	long runs = argc > 2 ? atol(argv[2]) : 2000;
	const char *worst_ind = "", *p99_ind = "";
	int fails = 0;

	if (argc < 2 || argc > 3 || runs < 1) {
		fprintf(stderr, "usage: guide_bench CATALOG_DIR [RUNS]\n");
		return 2;
	}
	t0 = now_ms();
	if (catalog_dir_load(argv[1], &doc, &err) < 0) {
		fprintf(stderr, "guide_bench: %s\n", err.message);
		return 2;
	}
	dir_ms = now_ms() - t0;
	for (int i = 0; i < PARSE_RUNS; i++) {
		struct catalog *c = NULL;

		t0 = now_ms();
		if (catalog_parse_document(doc, strlen(doc), &c, &err) < 0) {
			fprintf(stderr, "guide_bench: %s\n", err.message);
			free(doc);
			return 2;
		}
		parse[i] = now_ms() - t0;
		if (parse[i] > parse_worst)
			parse_worst = parse[i];
		if (cat == NULL)
			cat = c;
		else
			catalog_free(c);
	}
	parse_med = median(parse, PARSE_RUNS);
	printf("== catalog load: %s (%zu industries, %zu permits, %zu materials, document %zu "
	       "bytes)\n",
	       argv[1], cat->nindustries, cat->npermits, cat->nmaterials, strlen(doc));
	printf("catalog_dir_load (read, check, rule tests): %8.2f ms\n", dir_ms);
	printf("catalog_parse_document (server start):      %8.2f ms median, %.2f ms worst of %d\n",
	       parse_med, parse_worst, PARSE_RUNS);

	printf("== guide match: guide_run, %ld runs per industry, answers of its fullest complete "
	       "test\n",
	       runs);
	printf("%-18s %-22s %7s %5s %10s %10s %10s\n", "industry", "name", "answers", "perms",
	       "median_us", "p99_us", "worst_us");
	times = calloc((size_t)runs, sizeof(*times));
	all_medians = calloc(cat->nindustries ? cat->nindustries : 1, sizeof(*all_medians));
	if (times == NULL || all_medians == NULL)
		abort();
	for (size_t i = 0; i < cat->nindustries; i++) {
		const struct catalog_industry *ind = &cat->industries[i];
		const json_t *answers = bench_answers(ind);
		double worst = 0, med, p99;
		size_t npermits = 0;

		for (long k = 0; k < runs; k++) {
			struct guide_result res;

			t0 = now_ms();
			if (guide_run(cat, ind->code, answers, &res, &err) < 0) {
				fprintf(stderr, "guide_bench: %s: %s\n", ind->code, err.message);
				return 2;
			}
			npermits = res.npermits;
			guide_result_free(&res);
			times[k] = now_ms() - t0;
			if (times[k] > worst)
				worst = times[k];
		}
		med = median(times, (size_t)runs);
		p99 = percentile(times, (size_t)runs, 99.0);
		all_medians[i] = med;
		if (p99 > worst_p99) {
			worst_p99 = p99;
			p99_ind = ind->code;
		}
		if (worst > overall_worst) {
			overall_worst = worst;
			worst_ind = ind->code;
		}
		printf("%-18s %-*s %7zu %5zu %10.1f %10.1f %10.1f\n", ind->code,
		       /* pad by display columns: CJK characters are 3 bytes, 2 columns */
		       (int)(22 + strlen(ind->name) / 3), ind->name, json_object_size(answers),
		       npermits, med * 1e3, p99 * 1e3, worst * 1e3);
	}
	printf(
	    "overall: median of industry medians %.1f us, highest p99 %.1f us (%s), worst single "
	    "match %.1f us (%s)\n",
	    median(all_medians, cat->nindustries) * 1e3, worst_p99 * 1e3, p99_ind,
	    overall_worst * 1e3, worst_ind);
	printf("== targets\n");
	ratio_line("catalog load (parse_document median) ms", parse_med, LOAD_TARGET_MS);
	ratio_line("guide match (highest per-industry p99) ms", worst_p99, MATCH_TARGET_MS);
	fails += parse_med > LOAD_TARGET_MS;
	fails += worst_p99 > MATCH_TARGET_MS;
	free(times);
	free(all_medians);
	catalog_free(cat);
	free(doc);
	return fails ? 1 : 0;
}
