-- stats-history (issue 15): rows made by `yiye demo history` carry demo = 1,
-- so statistics, exports and an operator can tell generated history from
-- real processing (docs/api-statistics.md, "Demo history"). The generator
-- marks what its run created; every other writer leaves the default 0.
ALTER TABLE entities ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
ALTER TABLE applications ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
ALTER TABLE application_history ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
ALTER TABLE application_departments ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
ALTER TABLE application_permits ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
ALTER TABLE application_materials ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
ALTER TABLE inspections ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
ALTER TABLE inspection_sections ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
ALTER TABLE notifications ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
ALTER TABLE licenses ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
ALTER TABLE license_events ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
ALTER TABLE license_handovers ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
ALTER TABLE supervision_events ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
ALTER TABLE spot_plans ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
ALTER TABLE spot_draws ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
ALTER TABLE check_tasks ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
ALTER TABLE check_task_inspectors ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
ALTER TABLE credit_records ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
ALTER TABLE credit_grade_history ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
ALTER TABLE penalties ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
ALTER TABLE annual_reports ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
ALTER TABLE abnormal_list ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
ALTER TABLE complaints ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
ALTER TABLE complaint_departments ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ratings ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rating_followups ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;

-- One row per run: what was asked for and what it made (the summary JSON).
CREATE TABLE demo_runs (
  id {{ID}},
  district TEXT NOT NULL DEFAULT '310104',
  seed BIGINT NOT NULL,
  applications INTEGER NOT NULL,
  first_day TEXT NOT NULL,
  last_day TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT '{}',
  started_at BIGINT NOT NULL,
  finished_at BIGINT NOT NULL
);
