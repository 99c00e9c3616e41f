-- Complaints and reports (投诉举报, issue 13 point 9) and what the risk
-- signals (point 10) read of them. Portable SQL for SQLite and PostgreSQL
-- (see 0010_applications.sql): timestamps BIGINT unix seconds; days
-- 'YYYY-MM-DD' text; booleans INTEGER 0/1. Joined to the rest of the
-- supervision tables by (district, uscc); no cross-module foreign keys.

-- One complaint, filed by anyone through the public form. ticket is what the
-- reporter is told (random, unique per district); key_hash the SHA-256 (hex)
-- of the lookup secret told with it (the secret itself is never stored).
-- contact is the reporter's optional contact: shown only to the staff of a
-- department handling the complaint, never in a public answer.
-- status: received (routed, waiting) | accepted (a department handles it) |
-- closed (outcome and reply recorded). outcome: substantiated |
-- unsubstantiated | not_ours. due_day: the handling deadline in working days
-- from filed_on (docs/api-supervision.md, "Complaints").
CREATE TABLE complaints (
  id {{ID}},
  district TEXT NOT NULL DEFAULT '310104',
  ticket TEXT NOT NULL,
  key_hash TEXT NOT NULL,
  uscc TEXT NOT NULL,
  entity_name TEXT NOT NULL,
  license_number TEXT NOT NULL,
  industry TEXT NOT NULL,
  matter TEXT NOT NULL,
  description TEXT NOT NULL,
  contact TEXT,
  status TEXT NOT NULL DEFAULT 'received'
    CHECK (status IN ('received', 'accepted', 'closed')),
  outcome TEXT CHECK (outcome IN ('substantiated', 'unsubstantiated', 'not_ours')),
  reply TEXT,
  filed_on TEXT NOT NULL,
  due_day TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  accepted_at BIGINT,
  accepted_by BIGINT,
  closed_on TEXT,
  closed_at BIGINT,
  closed_by BIGINT,
  closed_department TEXT,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX complaints_ticket ON complaints (district, ticket);
CREATE INDEX complaints_uscc ON complaints (district, uscc, filed_on);
CREATE INDEX complaints_status ON complaints (district, status, due_day);

-- The departments a complaint is routed to (the departments that supervise
-- its matter for its industry, from the catalog). A transfer deactivates
-- the sender's row and adds (or reactivates) the receiver's; a department
-- sees a complaint while its row is active.
CREATE TABLE complaint_departments (
  district TEXT NOT NULL DEFAULT '310104',
  complaint_id BIGINT NOT NULL,
  department TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  routed_at BIGINT NOT NULL,
  note TEXT,
  PRIMARY KEY (district, complaint_id, department)
);
CREATE INDEX complaint_departments_queue ON complaint_departments (district, department, active);

-- The per-address rate limit of the public form: complaints filed from
-- subject (the client address) in the window that began at window_start.
-- One upsert counts a filing on any node; rows whose window is over are
-- removed as filings come in.
CREATE TABLE complaint_limits (
  district TEXT NOT NULL DEFAULT '310104',
  subject TEXT NOT NULL,
  window_start BIGINT NOT NULL,
  filed INTEGER NOT NULL,
  PRIMARY KEY (district, subject)
);
