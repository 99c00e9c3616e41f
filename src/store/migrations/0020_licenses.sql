-- Licenses (issue 12): the comprehensive license (行业综合许可证), one row
-- per version, the serial counter of license numbers and the event log the
-- e-license library export reads by cursor.
-- Portable SQL for SQLite and PostgreSQL (see 0010_applications.sql):
-- timestamps BIGINT unix seconds; days 'YYYY-MM-DD' text; JSON as text;
-- booleans INTEGER 0/1.

-- One row per version of a license. A change or re-issue adds a row with
-- the same number and version + 1; is_current = 1 marks the newest version
-- of a number (exactly one: partial unique index), so "the license
-- XK-…" is one indexed lookup. `doc` is the signed document exactly as
-- signed (canonical JSON, docs/api-licenses.md); qr_text the signed QR text
-- printed on it (URL#payload), so the PNG and the PDF carry the same; the
-- other columns repeat
-- what lists and searches need from it. status: valid | suspended |
-- revoked | cancelled | expired | superseded (superseded_by names the
-- successor's version). holder_user_id is the applicant account of the
-- application the version was issued on (who may read it).
CREATE TABLE licenses (
  id {{ID}},
  district TEXT NOT NULL DEFAULT '310104',
  number TEXT NOT NULL,
  version INTEGER NOT NULL,
  is_current INTEGER NOT NULL DEFAULT 1,
  eid TEXT NOT NULL,
  status TEXT NOT NULL
    CHECK (status IN ('valid', 'suspended', 'revoked', 'cancelled', 'expired', 'superseded')),
  application_id BIGINT REFERENCES applications (id),
  holder_user_id BIGINT,
  entity_id BIGINT,
  holder_name TEXT NOT NULL,
  holder_uscc TEXT NOT NULL,
  legal_rep TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  industry TEXT NOT NULL,
  industry_name TEXT NOT NULL DEFAULT '',
  year INTEGER NOT NULL,
  serial BIGINT NOT NULL,
  valid_from TEXT NOT NULL,
  valid_until TEXT,
  issued_on TEXT NOT NULL,
  doc TEXT NOT NULL,
  sig TEXT NOT NULL,
  kid TEXT NOT NULL,
  qr_text TEXT,
  pdf_sha256 TEXT,
  pdf_size BIGINT,
  status_reason TEXT,
  status_basis TEXT,
  status_at BIGINT,
  status_by BIGINT,
  superseded_by INTEGER,
  issued_by BIGINT,
  issued_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX licenses_version ON licenses (district, number, version);
CREATE UNIQUE INDEX licenses_current ON licenses (district, number) WHERE is_current = 1;
CREATE UNIQUE INDEX licenses_eid ON licenses (district, eid);
-- One version per application: issuing the same application twice cannot
-- commit twice, whatever the handler checked before.
CREATE UNIQUE INDEX licenses_application ON licenses (district, application_id);
CREATE INDEX licenses_holder ON licenses (district, holder_user_id, is_current);
CREATE INDEX licenses_uscc ON licenses (district, holder_uscc, is_current);
CREATE INDEX licenses_status ON licenses (district, status, is_current);
CREATE INDEX licenses_until ON licenses (district, is_current, valid_until);

-- The serial counter of license numbers, one row per district and year.
-- It only ever grows, inside the issuing transaction, so a number is never
-- handed out twice, not even after a license is cancelled or a transaction
-- rolls back (the serial then is simply not used).
CREATE TABLE license_serials (
  district TEXT NOT NULL DEFAULT '310104',
  year INTEGER NOT NULL,
  last_serial BIGINT NOT NULL,
  PRIMARY KEY (district, year)
);

-- Every change of a license, in commit order: seq is allocated per district
-- under a lock held until the transaction ends, so a reader that has seen
-- seq n never later finds a committed row below n (the export cursor
-- `after=` relies on it). kind: issue, version, suspend, reinstate, revoke,
-- cancel, expire, supersede, handover (modules may add kinds); status is the
-- version's status after the event.
CREATE TABLE license_events (
  district TEXT NOT NULL DEFAULT '310104',
  seq BIGINT NOT NULL,
  number TEXT NOT NULL,
  version INTEGER NOT NULL,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  actor_id BIGINT,
  actor TEXT NOT NULL DEFAULT '',
  reason TEXT,
  basis TEXT,
  detail TEXT NOT NULL DEFAULT '{}',
  at BIGINT NOT NULL,
  PRIMARY KEY (district, seq)
);
CREATE INDEX license_events_number ON license_events (district, number, version, seq);
