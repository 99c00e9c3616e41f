-- The license's life (issue 12, points 7-9): lifecycle applications
-- (change, extend, cancel, reissue), the registration link (entities as the
-- market-registration export and the window know them) and the daily expiry
-- job. Portable SQL for SQLite and PostgreSQL (see 0010_applications.sql).
-- Nothing here refers to the licenses table (0020), so the lifecycle
-- columns exist whether or not a license was ever issued.

-- What an application is for: 'new' (the new-license application of issue
-- 11, the default for every existing row and every client that sends no
-- kind), 'change', 'extend', 'cancel' or 'reissue' of the license
-- license_number. life_change is the request's JSON (the changed fields,
-- the permits added or removed, the reason of a reissue, the affected and
-- informed departments as decided at creation; docs/applications.md).
ALTER TABLE applications ADD COLUMN kind TEXT NOT NULL DEFAULT 'new';
ALTER TABLE applications ADD COLUMN license_number TEXT;
ALTER TABLE applications ADD COLUMN life_change TEXT;
CREATE INDEX applications_license ON applications (district, license_number, id);

-- The market entity as registration knows it (与企业登记注册衔接): entered
-- by staff (PUT /api/v1/entities/{uscc}) or imported from the
-- market-registration export (yiye entities import). source: 'account'
-- (created with an applicant account), 'staff' or 'import'.
ALTER TABLE entities ADD COLUMN legal_rep TEXT NOT NULL DEFAULT '';
ALTER TABLE entities ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE entities ADD COLUMN status TEXT NOT NULL DEFAULT 'registered';
ALTER TABLE entities ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE entities ADD COLUMN source TEXT NOT NULL DEFAULT 'account';

-- Expiry notices sent, one row per license, expiry date and notice
-- (expiry_30, expiry_7): the primary key makes "exactly once" a constraint,
-- whichever node or run gets there first. An extension moves valid_until,
-- so the new term gets its own two notices.
CREATE TABLE license_notices (
  district TEXT NOT NULL DEFAULT '310104',
  number TEXT NOT NULL,
  valid_until TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('expiry_30', 'expiry_7')),
  sent_at BIGINT NOT NULL,
  PRIMARY KEY (district, number, valid_until, kind)
);

-- Daily jobs that ran, one row per district, job and day: the expiry job
-- runs once a day per district however many nodes tick (the row is written
-- in the job's transaction, under the job's lock).
CREATE TABLE job_runs (
  district TEXT NOT NULL DEFAULT '310104',
  job TEXT NOT NULL,
  day TEXT NOT NULL,
  ran_at BIGINT NOT NULL,
  detail TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (district, job, day)
);
