-- The frozen notice stored once (issue 11, docs/benchmarks.md): every
-- application of the same district, catalog version, industry and answers
-- freezes the same notice (about 8 kB of JSON; a catalog version's document
-- never changes), so it lives in application_notices under `hash`, the
-- lower-case hex SHA-256 of that tuple (store_app_notice_key), and the
-- application row keeps the key. An application row without the notice is a
-- few hundred bytes: a creation writes no overflow pages, and reading an
-- application's form no longer walks past the notice. Rows are never updated
-- or deleted (a notice is frozen; several applications may share one).
-- Notices of applications created before this migration are keyed
-- 'legacy-<id of the first application holding it>' (SQLite has no SHA-256
-- in SQL); identical legacy notices share one row.

CREATE TABLE application_notices (
  district TEXT NOT NULL DEFAULT '310104',
  hash TEXT NOT NULL,
  notice TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (district, hash)
);

ALTER TABLE applications ADD COLUMN notice_hash TEXT NOT NULL DEFAULT '';

INSERT INTO application_notices (district, hash, notice, created_at)
  SELECT district, 'legacy-' || min(id), notice, min(created_at)
  FROM applications GROUP BY district, notice;

UPDATE applications SET notice_hash = (
  SELECT n.hash FROM application_notices n
  WHERE n.district = applications.district AND n.notice = applications.notice);

ALTER TABLE applications DROP COLUMN notice;

-- The number is district-year-serial (appno_format), so the unique index on
-- (district, year, serial) already keeps it unique, and no query looks an
-- application up by its number: one index less to write per creation.
DROP INDEX applications_number;
