/*
 * credit_jobs.c — the daily credit job (credit.h): the 1 July abnormal
 * listing of last year's missing annual reports and the regrading of
 * entities whose records expired. The catalog watch thread calls it on
 * every node; the first node to claim the day (credit_job_runs, under a
 * per-district lock) does it, the others find the day taken. Everything it
 * does is idempotent besides: listing is keyed by (entity, year) and the
 * grade is recomputed from the records, so a forced second run changes
 * nothing that the first did not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "http/credit.h"

int credit_job_run(struct store *s, const char *district, int today, bool force,
		   struct credit_job_result *out, struct yerr *e)
{
	struct store_conn *c;
	char(*usccs)[32] = NULL;
	char day[16];
	int64_t now = (int64_t)time(NULL);
	int y, m, d, rc;
	size_t n = 0;
	bool claimed = false;

	memset(out, 0, sizeof(*out));
	date_to_ymd(today, &y, &m, &d);
	store_day_text(today, day);
	if ((rc = store_acquire(s, &c, e)) < 0)
		return rc;
	rc = store_begin(c, e);
	if (rc == 0)
		rc = credit_job_claim(c, district, day, now, &claimed, e);
	if (rc == 0 && !claimed && !force) {
		rc = store_commit(c, e);
		store_release(c);
		return rc;
	}
	out->ran = true;
	/* from 1 July on, last year's report is overdue; before, nothing is */
	if (rc == 0 && m >= 7)
		rc = abnormal_list_overdue(c, district, y - 1, &usccs, &n, e);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		bool added = false;

		rc = abnormal_list_add(c, district, usccs[i], y - 1, today, now, &added, e);
		out->listed += added;
	}
	free(usccs);
	if (rc == 0)
		rc = credit_recompute_all(c, district, today, now, &out->regraded, e);
	if (rc == 0)
		rc = store_commit(c, e);
	store_release(c);
	return rc;
}
