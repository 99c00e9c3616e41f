-- Foundation: health probe and the working-day calendar.
-- Portable SQL for SQLite and PostgreSQL; {{ID}} and {{BLOB}} are rewritten
-- per backend (see the backends' dialect()). Every table holding district
-- data carries `district`.

-- /healthz proves the database can be written by bumping `probes` (a value
-- that always changes: SQLite skips writing a row updated to identical content).
CREATE TABLE health_probe (
  id INTEGER PRIMARY KEY,
  probes BIGINT NOT NULL,
  checked_at BIGINT NOT NULL
);
INSERT INTO health_probe (id, probes, checked_at) VALUES (1, 0, 0);

-- A year the calendar knows: its holidays and make-up workdays are complete.
CREATE TABLE calendar_years (
  district TEXT NOT NULL DEFAULT '310104',
  year INTEGER NOT NULL,
  source TEXT NOT NULL,
  imported_at BIGINT NOT NULL,
  PRIMARY KEY (district, year)
);

-- kind: 'holiday' (a rest day) or 'workday' (a weekend day worked, 调休上班).
CREATE TABLE calendar_days (
  district TEXT NOT NULL DEFAULT '310104',
  day TEXT NOT NULL,
  year INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
  name TEXT NOT NULL,
  PRIMARY KEY (district, day),
  FOREIGN KEY (district, year) REFERENCES calendar_years (district, year) ON DELETE CASCADE
);
