-- License hand-over (发放) and 亮证 display (issue 12, lic-public).
-- Portable SQL for SQLite and PostgreSQL (see 0010_applications.sql):
-- timestamps BIGINT unix seconds, booleans INTEGER 0/1.

-- How the paper license of one version reached its holder, recorded by the
-- 区行政服务中心 on the issuer's behalf. method: window (collected at the
-- window: the collector's name and ID were checked), post (sent: carrier and
-- tracking number) or electronic (electronic license only, nothing printed).
-- archive_location: where the paper archive copy is kept (档案柜/盒号).
-- The collector's ID number is never stored in full: only its masked form
-- (3604**********0071), enough for a colleague to recognise it and nobody
-- to reuse it (docs/api-licenses.md "Hand-over").
-- One record per version is current (is_current = 1, partial unique index);
-- a correction keeps the record it replaces (is_current = 0) and names it in
-- `corrects` with the reason, so nothing recorded is ever lost.
CREATE TABLE license_handovers (
  id {{ID}},
  district TEXT NOT NULL DEFAULT '310104',
  number TEXT NOT NULL,
  version INTEGER NOT NULL,
  is_current INTEGER NOT NULL DEFAULT 1,
  method TEXT NOT NULL CHECK (method IN ('window', 'post', 'electronic')),
  collector_name TEXT,
  collector_id_type TEXT,
  collector_id_masked TEXT,
  carrier TEXT,
  tracking_no TEXT,
  archive_location TEXT,
  note TEXT,
  corrects BIGINT,
  correction_reason TEXT,
  by_id BIGINT,
  by_name TEXT NOT NULL DEFAULT '',
  at BIGINT NOT NULL
);
CREATE UNIQUE INDEX license_handovers_current
  ON license_handovers (district, number, version) WHERE is_current = 1;
CREATE INDEX license_handovers_number ON license_handovers (district, number, version, id);

-- 亮证: whether the holder lets the public display page (/show/<number>)
-- obtain fresh display tokens without the holder's session. No row = off.
CREATE TABLE license_displays (
  district TEXT NOT NULL DEFAULT '310104',
  number TEXT NOT NULL,
  public INTEGER NOT NULL DEFAULT 0,
  updated_by BIGINT,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (district, number)
);
