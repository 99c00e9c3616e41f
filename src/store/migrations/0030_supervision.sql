-- Supervision (issue 13), the shared base: the publishable event log every
-- supervision part appends to (the 互联网+监管 export reads it by cursor),
-- the inspector register and the declared conflicts of interest.
-- Portable SQL for SQLite and PostgreSQL (see 0010_applications.sql):
-- timestamps BIGINT unix seconds; JSON as text; booleans INTEGER 0/1.
-- Other supervision tables join these by (district, user_id) or
-- (district, uscc); no cross-module FOREIGN KEYs.

-- Every publishable supervision record, in commit order: seq is allocated
-- per district under a lock held until the transaction ends (as
-- license_events), so a reader that has seen seq n never later finds a
-- committed row below n and the export cursor `after=` never skips a row.
-- kind: plan_frozen, draw, result, penalty, abnormal_in, abnormal_out,
-- credit_grade, complaint_closed, annual_report (parts may add kinds);
-- ref: the record's own id in its part (plan id, decision number, …);
-- uscc: the entity concerned, when there is one; detail: the record as
-- published (JSON object).
CREATE TABLE supervision_events (
  district TEXT NOT NULL DEFAULT '310104',
  seq BIGINT NOT NULL,
  kind TEXT NOT NULL,
  ref TEXT NOT NULL DEFAULT '',
  uscc TEXT,
  detail TEXT NOT NULL DEFAULT '{}',
  at BIGINT NOT NULL,
  PRIMARY KEY (district, seq)
);
CREATE INDEX supervision_events_kind ON supervision_events (district, kind, seq);
CREATE INDEX supervision_events_uscc ON supervision_events (district, uscc, seq);

-- The inspector register (执法检查人员名录库): one row per user account that
-- may be drawn for checks. department: a departments.code of the district
-- (the department the inspector checks for); qualifications: JSON array of
-- strings (执法证 numbers, fields of competence); active 0 takes the
-- inspector out of every later draw without deleting the history.
CREATE TABLE inspectors (
  district TEXT NOT NULL DEFAULT '310104',
  user_id BIGINT NOT NULL,
  department TEXT NOT NULL,
  qualifications TEXT NOT NULL DEFAULT '[]',
  active INTEGER NOT NULL DEFAULT 1,
  note TEXT,
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (district, user_id)
);
CREATE INDEX inspectors_department ON inspectors (district, department, active);

-- Conflicts of interest an inspector declares with an entity (回避): the
-- draw excludes the pair by a fixed rule. One declaration per pair; a
-- withdrawn one keeps its row with withdrawn_at set (the draw record of an
-- earlier plan must stay explainable).
CREATE TABLE inspector_conflicts (
  id {{ID}},
  district TEXT NOT NULL DEFAULT '310104',
  user_id BIGINT NOT NULL,
  uscc TEXT NOT NULL,
  reason TEXT NOT NULL,
  declared_at BIGINT NOT NULL,
  withdrawn_at BIGINT
);
CREATE UNIQUE INDEX inspector_conflicts_pair ON inspector_conflicts (district, user_id, uscc);
CREATE INDEX inspector_conflicts_uscc ON inspector_conflicts (district, uscc);
