-- Statistics (issue 15, docs/api-statistics.md): indexes that serve a
-- district + date-range scan of the figures, and the working-day ordinal of
-- every day, so "working days from submission to license" is two indexed
-- look-ups and a subtraction inside the one aggregate query instead of a
-- calendar walk per application in C.
-- Portable SQL for SQLite and PostgreSQL (see 0010_applications.sql).

-- The statistics cohort is "applications first submitted in [from, to]":
-- clock_start is the submission day ('YYYY-MM-DD'). The index carries every
-- column the one grouped pass reads (store_stats.c), so a district + day
-- range, or a whole district, is read from the index alone, in day order,
-- without fetching the wide application rows (form, answers) one by one.
CREATE INDEX applications_stats ON applications (district, clock_start, status, kind,
  notice_hash, clock_paused, clock_limit, walk_in, rounds, prefilled, industry, id);
CREATE INDEX applications_stats_industry ON applications (district, industry, clock_start);
-- The license of an application with what the pass needs of it (its issue
-- day and number), without reading the signed document.
CREATE INDEX licenses_stats ON licenses (district, application_id, issued_on, number, version);

-- License events and penalties counted by time: a district + time range.
CREATE INDEX license_events_stats_at ON license_events (district, at);

-- stats_days: ord is the number of working days d with epoch < d <= day on
-- the district's calendar (calendar_days, weekends for unknown years), so
-- the working days d with a < d <= b are ord(b) - ord(a), exactly
-- calendar_count_workdays. Derived data: store_stats.c rebuilds it, under a
-- lock, whenever the fingerprint of the calendar rows it was built from
-- (stats_days_meta) no longer matches them. Nothing else writes it.
CREATE TABLE stats_days (
  district TEXT NOT NULL DEFAULT '310104',
  day TEXT NOT NULL,
  ord INTEGER NOT NULL,
  PRIMARY KEY (district, day)
);

CREATE TABLE stats_days_meta (
  district TEXT NOT NULL DEFAULT '310104',
  fingerprint TEXT NOT NULL,
  built_at BIGINT NOT NULL,
  PRIMARY KEY (district)
);
