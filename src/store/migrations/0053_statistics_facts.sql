-- Statistics (issue 15): one narrow row per submitted application holding
-- exactly what the statistics read of it, so the overall figures over a
-- million applications are one pass over one index instead of a join of
-- applications, licenses, handovers, shared materials and two working-day
-- look-ups per row (docs/api-statistics.md, "How the figures are kept").
-- Portable SQL for SQLite and PostgreSQL (see 0010_applications.sql).
--
-- Derived data, never edited by hand. store_stats_sync.c is its one writer:
--  - store_stats_touch re-derives a row from its sources in the transaction
--    that changed them (the application's save, its license, a hand-over,
--    a material obtained by sharing), with days unknown (settled = 0);
--  - the statistics settle the unsettled rows (the working days, from
--    stats_days) before they read, under the same lock as the rebuild of
--    stats_days, which unsettles every licensed row when the calendar
--    changed;
--  - a district without a stats_facts_meta row (a database from before this
--    migration, or `yiye statistics rebuild`) is rebuilt from its sources
--    in full by the first statistics request.
CREATE TABLE stats_facts (
  district TEXT NOT NULL DEFAULT '310104',
  application_id BIGINT NOT NULL,
  -- the cohort: the day the clock started (first submission), its month
  submitted_on TEXT NOT NULL,
  month TEXT NOT NULL,
  industry TEXT NOT NULL,
  status TEXT NOT NULL,
  kind TEXT NOT NULL,
  notice_hash TEXT,
  walk_in INTEGER NOT NULL,
  rounds INTEGER NOT NULL,
  -- working days the clock was paused in 补正, and the committed limit
  paused INTEGER NOT NULL,
  time_limit INTEGER NOT NULL,
  -- field ids the form pre-filled; materials obtained by sharing
  prefilled INTEGER NOT NULL,
  shared INTEGER NOT NULL,
  -- the first license issued on the application (NULL: not licensed), and
  -- whether a license of it was collected at the window
  licensed_on TEXT,
  window_handover INTEGER NOT NULL,
  -- net working days, submission to license (NULL: not licensed, a day
  -- outside stats_days, or not settled yet)
  days INTEGER,
  settled INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (district, application_id)
);

-- The one grouped pass reads only this index, in group order within each
-- month (store_stats.c), so a date range costs its own rows and needs no
-- sort. There is deliberately no index led by submitted_on: with bound
-- parameters the planner could not tell a month from two years and would
-- pick it and sort a million rows.
CREATE INDEX stats_facts_month ON stats_facts (district, month, status, kind, days, notice_hash,
  submitted_on, walk_in, rounds, paused, time_limit, prefilled, window_handover, shared);
-- The same for one industry (the industry filter and the comparison view).
CREATE INDEX stats_facts_industry ON stats_facts (district, industry, month, status, kind, days,
  notice_hash, submitted_on, walk_in, rounds, paused, time_limit, prefilled, window_handover,
  shared);
CREATE INDEX stats_facts_unsettled ON stats_facts (district) WHERE settled = 0;

CREATE TABLE stats_facts_meta (
  district TEXT NOT NULL DEFAULT '310104',
  built_at BIGINT NOT NULL,
  PRIMARY KEY (district)
);

-- License events counted by kind over a time range: an index seek per kind.
CREATE INDEX license_events_stats_kind ON license_events (district, kind, at);
-- Holders expected to file an annual report (store_stats_sup.c): the licenses
-- in force only, in holder order, so counting distinct holders reads a small
-- index from end to end. The query repeats this WHERE word for word, so both
-- planners see that the index serves it. One line per backend: SQLite counts
-- an index as covering only by its columns, so it needs is_current and
-- status as columns too; PostgreSQL, planning with random_page_cost 4, takes
-- the wider index for dearer than a sequential scan (measured: 0.15 s
-- against 0.4 s).
{{SQLITE}}CREATE INDEX licenses_stats_holders ON licenses (district, holder_uscc, issued_on, industry, is_current, status) WHERE is_current = 1 AND status IN ('valid', 'suspended');
{{PG}}CREATE INDEX licenses_stats_holders ON licenses (district, holder_uscc, issued_on, industry) WHERE is_current = 1 AND status IN ('valid', 'suspended');
