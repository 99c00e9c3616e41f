-- Ratings (好差评), their follow-up tasks (差评整改) and typical cases
-- (典型案例), issue 15 points 2 and 3 (docs/api-statistics.md, "Ratings
-- and typical cases"). Portable SQL for SQLite and PostgreSQL (see
-- 0010_applications.sql): timestamps BIGINT unix seconds; days 'YYYY-MM-DD'
-- text.

-- One rating per completed application (licensed, rejected, refused,
-- withdrawn), by its applicant: level 5 非常满意 … 1 非常不满意. industry,
-- app_status and departments are copied from the application when it is
-- rated, so the statistics filter ratings without joining: departments is
-- the comma-separated codes of the departments concerned ("scjgj,wsjkw";
-- filter with ',' || departments || ',' LIKE '%,code,%'). rated_on is the
-- Shanghai day of rated_at.
CREATE TABLE ratings (
  id {{ID}},
  district TEXT NOT NULL DEFAULT '310104',
  application_id BIGINT NOT NULL REFERENCES applications (id),
  applicant_id BIGINT NOT NULL,
  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
  comment TEXT,
  rated_at BIGINT NOT NULL,
  rated_on TEXT NOT NULL,
  industry TEXT NOT NULL,
  app_status TEXT NOT NULL,
  departments TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX ratings_application ON ratings (district, application_id);
CREATE INDEX ratings_day ON ratings (district, rated_on);

-- A 差评整改 task: one per department concerned by a rating of level 2
-- (不满意) or 1 (非常不满意). state: open until the department records its
-- reply (replied). due_day: RATING_FOLLOWUP_DAYS working days after
-- created_on (store_ratings.h).
CREATE TABLE rating_followups (
  id {{ID}},
  district TEXT NOT NULL DEFAULT '310104',
  rating_id BIGINT NOT NULL REFERENCES ratings (id),
  application_id BIGINT NOT NULL,
  department TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'replied')),
  created_on TEXT NOT NULL,
  due_day TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  reply TEXT,
  replied_on TEXT,
  replied_at BIGINT,
  replied_by BIGINT
);
CREATE UNIQUE INDEX rating_followups_dept ON rating_followups (district, rating_id, department);
CREATE INDEX rating_followups_queue ON rating_followups (district, department, state, due_day);

-- A typical case (典型案例): staff mark a completed application with a
-- write-up; it is public once published (status 'published'), and then
-- shows the write-up, the industry and the outcome only — never the
-- applicant, the form or the application number. One case per application.
CREATE TABLE typical_cases (
  id {{ID}},
  district TEXT NOT NULL DEFAULT '310104',
  application_id BIGINT NOT NULL REFERENCES applications (id),
  industry TEXT NOT NULL,
  app_status TEXT NOT NULL,
  title TEXT NOT NULL,
  summary TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
  created_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  published_at BIGINT,
  published_by BIGINT
);
CREATE UNIQUE INDEX typical_cases_application ON typical_cases (district, application_id);
CREATE INDEX typical_cases_public ON typical_cases (district, status, published_at);
