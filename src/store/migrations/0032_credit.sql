-- Credit supervision (issue 13, points 5–8; docs/api-supervision.md "Credit"):
-- credit records, the grade each entity has now and every grade it had,
-- administrative penalties (行政处罚), annual reports (年报) and the list of
-- entities with abnormal operations (经营异常名录), plus the results of the
-- post-approval verification tasks (核查) of 告知承诺 applications.
-- Portable SQL for SQLite and PostgreSQL: timestamps BIGINT unix seconds;
-- days 'YYYY-MM-DD' text; JSON as text; booleans INTEGER 0/1. Entities are
-- joined by (district, uscc), never by a foreign key across modules.

-- One fact that counts against an entity's credit. kind: penalty,
-- abnormal_list, failed_check, broken_commitment, revocation,
-- complaint_substantiated, manual (a supervisor's action with a reason).
-- ref names the fact (decision number, license number, task id …);
-- points and expires_on come from the rule table of src/core/credit.c at the
-- time the record is added (day: the day of the fact). An abnormal_list
-- record stays in force until cleared_on is set (the entity filed); other
-- records until expires_on. Records are never deleted: the grade's
-- explanation names them by id.
CREATE TABLE credit_records (
  id {{ID}},
  district TEXT NOT NULL DEFAULT '310104',
  uscc TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('penalty', 'abnormal_list', 'failed_check',
    'broken_commitment', 'revocation', 'complaint_substantiated', 'manual')),
  ref TEXT NOT NULL DEFAULT '',
  department TEXT NOT NULL DEFAULT '',
  severity TEXT NOT NULL DEFAULT 'general',
  points INTEGER NOT NULL,
  day TEXT NOT NULL,
  expires_on TEXT,
  cleared_on TEXT,
  summary TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT '{}',
  created_by BIGINT,
  at BIGINT NOT NULL
);
CREATE INDEX credit_records_uscc ON credit_records (district, uscc, day);
CREATE INDEX credit_records_expiry ON credit_records (district, expires_on);
CREATE INDEX credit_records_ref ON credit_records (district, kind, ref);

-- The grade each entity has now (no row: grade A). reasons: the JSON
-- explanation credit_grade_explain produced (rule, points, record ids).
CREATE TABLE credit_grades (
  district TEXT NOT NULL DEFAULT '310104',
  uscc TEXT NOT NULL,
  grade TEXT NOT NULL CHECK (grade IN ('A', 'B', 'C', 'D')),
  points INTEGER NOT NULL DEFAULT 0,
  since TEXT NOT NULL,
  reasons TEXT NOT NULL DEFAULT '{}',
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (district, uscc)
);
CREATE INDEX credit_grades_grade ON credit_grades (district, grade);

-- Every change of grade, oldest first per entity.
CREATE TABLE credit_grade_history (
  id {{ID}},
  district TEXT NOT NULL DEFAULT '310104',
  uscc TEXT NOT NULL,
  from_grade TEXT NOT NULL,
  to_grade TEXT NOT NULL,
  day TEXT NOT NULL,
  cause TEXT NOT NULL DEFAULT '',
  reasons TEXT NOT NULL DEFAULT '{}',
  at BIGINT NOT NULL
);
CREATE INDEX credit_grade_history_uscc ON credit_grade_history (district, uscc, id);

-- 行政处罚决定. decision_no is unique in the district; kind: the penalty's
-- kind (警告 … 吊销许可证, src/core/credit.c); amount in yuan (0 when none).
-- license_number: the license revoked by this decision, if any.
-- Published as a whole except created_by (the public list carries no
-- personal data: the entity's name and code, not a person).
CREATE TABLE penalties (
  id {{ID}},
  district TEXT NOT NULL DEFAULT '310104',
  decision_no TEXT NOT NULL,
  uscc TEXT NOT NULL,
  entity_name TEXT NOT NULL,
  department TEXT NOT NULL,
  facts TEXT NOT NULL,
  basis TEXT NOT NULL,
  kind TEXT NOT NULL,
  amount BIGINT NOT NULL DEFAULT 0,
  decided_on TEXT NOT NULL,
  license_number TEXT,
  created_by BIGINT,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX penalties_decision ON penalties (district, decision_no);
CREATE INDEX penalties_uscc ON penalties (district, uscc);
CREATE INDEX penalties_day ON penalties (district, decided_on);

-- 年度报告: one per entity and year (the previous year, filed 1 Jan – 30 Jun).
-- fields: the industry's annual-report fields (catalog) as filed, JSON.
-- public_fields: the same without the ones marked personal (the public view).
CREATE TABLE annual_reports (
  id {{ID}},
  district TEXT NOT NULL DEFAULT '310104',
  uscc TEXT NOT NULL,
  entity_name TEXT NOT NULL,
  year INTEGER NOT NULL,
  industry TEXT NOT NULL DEFAULT '',
  fields TEXT NOT NULL DEFAULT '{}',
  public_fields TEXT NOT NULL DEFAULT '{}',
  filed_on TEXT NOT NULL,
  late INTEGER NOT NULL DEFAULT 0,
  filed_by BIGINT,
  filed_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX annual_reports_year ON annual_reports (district, uscc, year);
CREATE INDEX annual_reports_filed ON annual_reports (district, year, filed_on);

-- 经营异常名录: an entry per entity and report year it failed to file for;
-- removed_on set when it filed (the row stays: the public list shows
-- current entries, the credit page the history). The unique index makes the
-- 1 July job idempotent: listing twice adds nothing.
CREATE TABLE abnormal_list (
  id {{ID}},
  district TEXT NOT NULL DEFAULT '310104',
  uscc TEXT NOT NULL,
  entity_name TEXT NOT NULL,
  year INTEGER NOT NULL,
  reason TEXT NOT NULL,
  listed_on TEXT NOT NULL,
  department TEXT NOT NULL DEFAULT '',
  removed_on TEXT,
  removed_reason TEXT,
  credit_record_id BIGINT
);
CREATE UNIQUE INDEX abnormal_list_year ON abnormal_list (district, uscc, year);
CREATE INDEX abnormal_list_current ON abnormal_list (district, removed_on);

-- The result of a verification task (核查) of a 告知承诺 approval: true (the
-- commitment held; the task closes) or false_commitment (the license is
-- revoked and a broken_commitment credit record added). One per task.
CREATE TABLE verification_results (
  district TEXT NOT NULL DEFAULT '310104',
  task_id BIGINT NOT NULL,
  application_id BIGINT NOT NULL,
  result TEXT NOT NULL CHECK (result IN ('true', 'false_commitment')),
  note TEXT NOT NULL DEFAULT '',
  license_number TEXT,
  inspector_id BIGINT,
  at BIGINT NOT NULL,
  PRIMARY KEY (district, task_id)
);

-- The days the daily credit job (abnormal listing on 1 July, grade
-- recomputation as records expire) ran, one row per district and day: one
-- node does it, the others find the row.
CREATE TABLE credit_job_runs (
  district TEXT NOT NULL DEFAULT '310104',
  day TEXT NOT NULL,
  ran_at BIGINT NOT NULL,
  detail TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (district, day)
);
