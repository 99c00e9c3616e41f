-- Spot-check plans, their frozen draw inputs, draws and check tasks
-- (issue 13: 双随机、一公开; docs/api-supervision.md "Plans"). Portable SQL
-- for SQLite and PostgreSQL (see 0010_applications.sql): timestamps BIGINT
-- unix seconds; days 'YYYY-MM-DD' text; JSON as text; booleans INTEGER 0/1.
-- Everything is per district; entities are joined by (district, uscc).

-- A plan. code: its public identifier ("310104-2026-001"), the draw's
-- `plan` input. departments, industries, grades, streets, check_items and
-- targeted are JSON arrays; ratios a JSON object {"A":…,"B":…,"C":…,"D":…}
-- in per mille. status: draft | frozen | drawn. commitment, secret_sha256
-- and summary (counts per grade, inspectors, conflicts) are set by the
-- freeze and public from then on.
CREATE TABLE spot_plans (
  id {{ID}},
  district TEXT NOT NULL DEFAULT '310104',
  code TEXT NOT NULL,
  title TEXT NOT NULL,
  departments TEXT NOT NULL,
  industries TEXT NOT NULL DEFAULT '[]',
  grades TEXT NOT NULL DEFAULT '[]',
  streets TEXT NOT NULL DEFAULT '[]',
  ratios TEXT NOT NULL,
  per_check INTEGER NOT NULL,
  period_from TEXT NOT NULL,
  period_to TEXT NOT NULL,
  check_items TEXT NOT NULL,
  targeted TEXT NOT NULL DEFAULT '[]',
  status TEXT NOT NULL CHECK (status IN ('draft', 'frozen', 'drawn')),
  commitment TEXT,
  secret_sha256 TEXT,
  summary TEXT,
  created_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  frozen_at BIGINT,
  frozen_by BIGINT,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX spot_plans_code ON spot_plans (district, code);
CREATE INDEX spot_plans_status ON spot_plans (district, status, id);

-- The frozen inputs of a plan's draw, exactly as committed: a JSON object
-- {"entities":[…],"inspectors":[…],"conflicts":[…]} in canonical order. Read
-- back at the draw, so later changes of entities, grades or inspectors
-- cannot alter a frozen plan. One row per plan, written once.
CREATE TABLE spot_plan_inputs (
  district TEXT NOT NULL DEFAULT '310104',
  plan_id BIGINT NOT NULL,
  inputs TEXT NOT NULL,
  PRIMARY KEY (district, plan_id)
);

-- The secret of a frozen plan (hex), kept apart from everything an API
-- reads: only the draw reads it, and publishes it in the record. Deleted by
-- the draw (the record then carries it).
CREATE TABLE spot_plan_secrets (
  district TEXT NOT NULL DEFAULT '310104',
  plan_id BIGINT NOT NULL,
  secret TEXT NOT NULL,
  PRIMARY KEY (district, plan_id)
);

-- A draw: the public value and its source, and the public record
-- (docs/api-supervision.md "The draw record"), one per plan.
CREATE TABLE spot_draws (
  id {{ID}},
  district TEXT NOT NULL DEFAULT '310104',
  plan_id BIGINT NOT NULL,
  public_value TEXT NOT NULL,
  public_source TEXT NOT NULL,
  record TEXT NOT NULL,
  checks INTEGER NOT NULL,
  drawn_by BIGINT NOT NULL,
  drawn_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX spot_draws_plan ON spot_draws (district, plan_id);

-- A check: one entity visited once by its inspectors (a joint plan merges
-- the departments' checks). kind: random (from a draw) | targeted (added by
-- a supervisor for risk signals, outside the draw) | follow_up (after a
-- 责令整改 result, due on its deadline). status: open | done. results: JSON
-- array [{"code","name","result","note","deadline"}] per check item;
-- outcome the overall result (the worst item's). publish_due: the 20th
-- working day after the result was recorded; published_at: when the
-- supervisor published it (public from then on).
CREATE TABLE check_tasks (
  id {{ID}},
  district TEXT NOT NULL DEFAULT '310104',
  plan_id BIGINT NOT NULL,
  draw_id BIGINT,
  parent_id BIGINT,
  kind TEXT NOT NULL CHECK (kind IN ('random', 'targeted', 'follow_up')),
  uscc TEXT NOT NULL,
  entity_name TEXT NOT NULL DEFAULT '',
  industry TEXT NOT NULL DEFAULT '',
  grade TEXT NOT NULL DEFAULT '',
  reason TEXT,
  check_items TEXT NOT NULL,
  due_on TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'done')),
  outcome TEXT,
  results TEXT,
  notes TEXT,
  done_at BIGINT,
  done_by BIGINT,
  done_on TEXT,
  publish_due TEXT,
  published_at BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX check_tasks_plan ON check_tasks (district, plan_id, id);
CREATE INDEX check_tasks_uscc ON check_tasks (district, uscc);
CREATE INDEX check_tasks_status ON check_tasks (district, status, id);

-- The inspectors of a check, in slot order; department: theirs.
CREATE TABLE check_task_inspectors (
  district TEXT NOT NULL DEFAULT '310104',
  task_id BIGINT NOT NULL,
  slot INTEGER NOT NULL,
  user_id BIGINT NOT NULL,
  department TEXT NOT NULL,
  PRIMARY KEY (district, task_id, slot)
);
CREATE INDEX check_task_inspectors_user ON check_task_inspectors (district, user_id, task_id);
