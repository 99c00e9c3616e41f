/*
 * catalog_search.c — finding industries by what a citizen types: name,
 * alias, pinyin initials or code (catalog_search in catalog.h).
 */
#include <stdlib.h>
#include <string.h>

#include "core/catalog_table.h"

/* lower_dup copies s with ASCII letters lower-cased (UTF-8 bytes untouched). */
static char *lower_dup(const char *s)
{
	char *d;
	size_t i;

	d = strdup(s ? s : "");
	if (d == NULL)
		return NULL;
	for (i = 0; d[i]; i++)
		if (d[i] >= 'A' && d[i] <= 'Z')
			d[i] = (char)(d[i] - 'A' + 'a');
	return d;
}

int catalog_search_prepare(struct catalog_industry *ind)
{
	int rc = 0;
	size_t k;

	ind->name_lc = lower_dup(ind->name);
	ind->pinyin_lc = lower_dup(ind->pinyin);
	ind->aliases_lc = calloc(ind->naliases ? ind->naliases : 1, sizeof(char *));
	if (ind->name_lc == NULL || ind->pinyin_lc == NULL || ind->aliases_lc == NULL)
		rc = -1;
	for (k = 0; ind->aliases_lc && k < ind->naliases; k++)
		if ((ind->aliases_lc[k] = lower_dup(ind->aliases[k])) == NULL)
			rc = -1;
	return rc;
}

const char *catalog_match_name(enum catalog_match m)
{
	static const char *const names[] = {"exact", "prefix", "substring",
					    "alias", "pinyin", "all"};

	return (size_t)m < sizeof(names) / sizeof(names[0]) ? names[m] : "?";
}

/* match_rank gives the best rank of ind for the lower-cased query q, or -1. */
static int match_rank(const struct catalog_industry *ind, const char *q)
{
	size_t i;

	if (strcmp(ind->name_lc, q) == 0)
		return CATALOG_MATCH_EXACT;
	if (strncmp(ind->name_lc, q, strlen(q)) == 0)
		return CATALOG_MATCH_PREFIX;
	if (strstr(ind->name_lc, q) != NULL)
		return CATALOG_MATCH_SUBSTRING;
	for (i = 0; i < ind->naliases; i++)
		if (strstr(ind->aliases_lc[i], q) != NULL)
			return CATALOG_MATCH_ALIAS;
	if (strstr(ind->pinyin_lc, q) != NULL || strstr(ind->code, q) != NULL)
		return CATALOG_MATCH_PINYIN;
	return -1;
}

long catalog_search(const struct catalog *cat, const char *query, struct catalog_hit *hits,
		    size_t cap)
{
	char q[257];
	size_t len, i, start = 0, total = 0;
	int rank;

	if (query == NULL)
		return -1;
	while (query[start] == ' ' || query[start] == '\t' || query[start] == '\n' ||
	       query[start] == '\r')
		start++;
	len = strlen(query + start);
	if (len > 256)
		return -1;
	while (len > 0 && (query[start + len - 1] == ' ' || query[start + len - 1] == '\t' ||
			   query[start + len - 1] == '\n' || query[start + len - 1] == '\r'))
		len--;
	memcpy(q, query + start, len);
	q[len] = '\0';
	for (i = 0; i < len; i++)
		if (q[i] >= 'A' && q[i] <= 'Z')
			q[i] = (char)(q[i] - 'A' + 'a');

	/* one pass per rank keeps the output ordered without sorting: n is small */
	for (rank = len ? CATALOG_MATCH_EXACT : CATALOG_MATCH_ALL; rank <= CATALOG_MATCH_ALL;
	     rank++) {
		for (i = 0; i < cat->nindustries; i++) {
			const struct catalog_industry *ind = &cat->industries[i];
			int r = len ? match_rank(ind, q) : CATALOG_MATCH_ALL;
			if (r != rank)
				continue;
			if (total < cap) {
				hits[total].industry = ind;
				hits[total].match = (enum catalog_match)r;
			}
			total++;
		}
		if (!len)
			break;
	}
	return (long)total;
}
