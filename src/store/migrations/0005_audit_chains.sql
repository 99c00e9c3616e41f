-- One audit chain per district (issue 10). Until now one head row (id = 1)
-- ordered every audit entry of the database, so every write of every district
-- queued behind it. Each district now has its own chain: its own head row
-- (audit_head keyed by district) and its own seq, so two districts' writes
-- never wait on each other, while the entries of one district stay strictly
-- ordered and hash-chained. Every entry written so far belongs to the default
-- district and its hashes already cover the district, so the existing chain
-- becomes that district's chain unchanged.
-- Portable SQL for SQLite and PostgreSQL: tables are rebuilt (SQLite cannot
-- change a primary key in place).

CREATE TABLE audit_head_by_district (
  district TEXT PRIMARY KEY,
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head_by_district (district, seq, hash)
  SELECT '310104', seq, hash FROM audit_head WHERE id = 1;
DROP TABLE audit_head;
ALTER TABLE audit_head_by_district RENAME TO audit_head;

CREATE TABLE audit_log_by_district (
  district TEXT NOT NULL DEFAULT '310104',
  seq BIGINT NOT NULL,
  ts BIGINT NOT NULL,
  actor TEXT NOT NULL,
  role TEXT NOT NULL,
  department TEXT NOT NULL,
  action TEXT NOT NULL,
  object TEXT NOT NULL,
  request_id TEXT NOT NULL,
  outcome TEXT NOT NULL,
  client TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  PRIMARY KEY (district, seq)
);
INSERT INTO audit_log_by_district (district, seq, ts, actor, role, department, action,
    object, request_id, outcome, client, detail, prev_hash, hash)
  SELECT district, seq, ts, actor, role, department, action, object, request_id, outcome,
    client, detail, prev_hash, hash FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_by_district RENAME TO audit_log;
CREATE INDEX audit_log_actor ON audit_log (district, actor, seq);
CREATE INDEX audit_log_action ON audit_log (district, action, seq);
CREATE INDEX audit_log_ts ON audit_log (district, ts);

-- login_failures are pruned on a schedule (rows whose window and lock are
-- over): the index keeps that a range scan.
CREATE INDEX login_failures_window ON login_failures (window_start);
