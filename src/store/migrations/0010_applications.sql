-- Applications (issue 11): the application row with its frozen notice and
-- workflow state, one row per department (review and inspection state), one
-- per permit (commitments), the history of every transition, materials,
-- tasks (inboxes with due dates), the joint inspection and notifications.
-- Portable SQL for SQLite and PostgreSQL; timestamps BIGINT unix seconds;
-- day numbers as 'YYYY-MM-DD' text; JSON as text; booleans INTEGER 0/1.
-- Every write of an application is guarded by its `version`
-- (UPDATE … WHERE id = ? AND version = ?), see store_application.c.

CREATE TABLE applications (
  id {{ID}},
  district TEXT NOT NULL DEFAULT '310104',
  number TEXT NOT NULL,
  year INTEGER NOT NULL,
  serial BIGINT NOT NULL,
  applicant_id BIGINT NOT NULL REFERENCES users (id),
  entity_id BIGINT,
  created_by BIGINT NOT NULL,
  walk_in INTEGER NOT NULL DEFAULT 0,
  industry TEXT NOT NULL,
  catalog_version INTEGER NOT NULL,
  answers TEXT NOT NULL,
  notice TEXT NOT NULL,
  form TEXT NOT NULL DEFAULT '{}',
  prefilled TEXT NOT NULL DEFAULT '[]',
  commitments TEXT NOT NULL DEFAULT '[]',
  status TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  rounds INTEGER NOT NULL DEFAULT 0,
  review_round INTEGER NOT NULL DEFAULT 1,
  all_committed INTEGER NOT NULL DEFAULT 0,
  inspection_scheduled INTEGER NOT NULL DEFAULT 0,
  acceptance_days INTEGER NOT NULL DEFAULT 0,
  time_limit_days INTEGER NOT NULL DEFAULT 0,
  clock_start TEXT,
  clock_limit INTEGER NOT NULL DEFAULT 0,
  clock_paused INTEGER NOT NULL DEFAULT 0,
  clock_paused_since TEXT,
  clock_stopped INTEGER NOT NULL DEFAULT 0,
  due_day TEXT,
  holder TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  submitted_at BIGINT,
  decided_at BIGINT,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX applications_number ON applications (district, number);
CREATE UNIQUE INDEX applications_serial ON applications (district, year, serial);
CREATE INDEX applications_applicant ON applications (district, applicant_id, id);
CREATE INDEX applications_status ON applications (district, status, id);

-- One row per department owning a permit of the application: exactly the
-- fields of struct wf_dept, reset by a new review round (the old values are
-- in the history).
CREATE TABLE application_departments (
  district TEXT NOT NULL DEFAULT '310104',
  application_id BIGINT NOT NULL REFERENCES applications (id),
  department TEXT NOT NULL,
  position INTEGER NOT NULL,
  review_days INTEGER NOT NULL DEFAULT 0,
  review TEXT NOT NULL DEFAULT 'pending'
    CHECK (review IN ('pending', 'approved', 'rejected', 'sent_back')),
  review_reason TEXT,
  legal_basis TEXT,
  reviewer_id BIGINT,
  decided_at BIGINT,
  inspect TEXT NOT NULL DEFAULT 'none'
    CHECK (inspect IN ('none', 'pending', 'pass', 'rectify', 'fail')),
  rectify_due TEXT,
  PRIMARY KEY (application_id, department)
);
CREATE INDEX application_departments_dept
  ON application_departments (district, department, application_id);

-- One row per permit of the notice: struct wf_permit.
CREATE TABLE application_permits (
  district TEXT NOT NULL DEFAULT '310104',
  application_id BIGINT NOT NULL REFERENCES applications (id),
  permit TEXT NOT NULL,
  position INTEGER NOT NULL,
  department TEXT NOT NULL,
  committed INTEGER NOT NULL DEFAULT 0,
  verify_days INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (application_id, permit)
);

-- Every transition, every round: the timeline of the application.
CREATE TABLE application_history (
  id {{ID}},
  district TEXT NOT NULL DEFAULT '310104',
  application_id BIGINT NOT NULL REFERENCES applications (id),
  seq INTEGER NOT NULL,
  action TEXT NOT NULL,
  from_status TEXT,
  to_status TEXT,
  actor_id BIGINT,
  actor_name TEXT NOT NULL DEFAULT '',
  actor_role TEXT NOT NULL DEFAULT '',
  department TEXT,
  reason TEXT,
  detail TEXT NOT NULL DEFAULT '{}',
  at BIGINT NOT NULL
);
CREATE UNIQUE INDEX application_history_seq ON application_history (application_id, seq);

-- One upload per material id (the bytes live content-addressed by sha256
-- under the data directory, written and fsynced before the row commits).
CREATE TABLE application_materials (
  district TEXT NOT NULL DEFAULT '310104',
  application_id BIGINT NOT NULL REFERENCES applications (id),
  material_id TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size BIGINT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('pdf', 'jpg', 'png', 'ofd')),
  filename TEXT NOT NULL DEFAULT '',
  uploaded_by BIGINT,
  uploaded_at BIGINT NOT NULL,
  PRIMARY KEY (application_id, material_id)
);
CREATE INDEX application_materials_sha ON application_materials (district, sha256);

-- Tasks: what someone has to do about an application, with its due day.
-- role + department say whose inbox it is in (department NULL: the window,
-- any window clerk of the district); assignee_id a person (the applicant's
-- supplement task).
CREATE TABLE tasks (
  id {{ID}},
  district TEXT NOT NULL DEFAULT '310104',
  application_id BIGINT NOT NULL REFERENCES applications (id),
  kind TEXT NOT NULL
    CHECK (kind IN ('acceptance', 'supplement', 'review', 'inspection', 'verification')),
  role TEXT NOT NULL,
  department TEXT,
  permit TEXT,
  assignee_id BIGINT,
  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
  due_day TEXT,
  created_at BIGINT NOT NULL,
  closed_at BIGINT,
  closed_by BIGINT
);
CREATE INDEX tasks_application ON tasks (application_id, state);
CREATE INDEX tasks_inbox ON tasks (district, state, role, department, due_day);
CREATE INDEX tasks_assignee ON tasks (district, state, assignee_id);

-- The joint on-site inspection (一同核查): one appointment per review round,
-- the inspectors who attend and one section per department.
CREATE TABLE inspections (
  id {{ID}},
  district TEXT NOT NULL DEFAULT '310104',
  application_id BIGINT NOT NULL REFERENCES applications (id),
  round INTEGER NOT NULL,
  at_day TEXT NOT NULL,
  scheduled_by BIGINT,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX inspections_round ON inspections (application_id, round);
CREATE INDEX inspections_day ON inspections (district, at_day);

CREATE TABLE inspection_inspectors (
  district TEXT NOT NULL DEFAULT '310104',
  inspection_id BIGINT NOT NULL REFERENCES inspections (id),
  user_id BIGINT NOT NULL,
  department TEXT NOT NULL,
  PRIMARY KEY (inspection_id, user_id)
);
CREATE INDEX inspection_inspectors_user ON inspection_inspectors (district, user_id);

CREATE TABLE inspection_sections (
  district TEXT NOT NULL DEFAULT '310104',
  inspection_id BIGINT NOT NULL REFERENCES inspections (id),
  department TEXT NOT NULL,
  result TEXT CHECK (result IN ('pass', 'rectify', 'fail')),
  findings TEXT,
  items TEXT NOT NULL DEFAULT '[]',
  rectify_due TEXT,
  inspector_id BIGINT,
  decided_at BIGINT,
  PRIMARY KEY (inspection_id, department)
);

-- In-app notifications, one row per recipient (a message to a role of a
-- department is written once for each person holding it, so each reads it
-- on their own); role/department record how it was addressed.
CREATE TABLE notifications (
  id {{ID}},
  district TEXT NOT NULL DEFAULT '310104',
  user_id BIGINT NOT NULL,
  role TEXT,
  department TEXT,
  application_id BIGINT,
  event TEXT NOT NULL,
  title TEXT NOT NULL,
  link TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  read_at BIGINT
);
CREATE INDEX notifications_inbox ON notifications (district, user_id, id);
CREATE INDEX notifications_unread ON notifications (district, user_id, read_at);
