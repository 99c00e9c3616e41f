-- Accounts: departments, market entities, users and their roles, sessions,
-- API tokens, login-failure counters and the hash-chained audit trail.
-- Portable SQL for SQLite and PostgreSQL ({{ID}} rewritten per backend).
-- Timestamps are BIGINT unix seconds (audit: milliseconds); booleans INTEGER 0/1.

CREATE TABLE departments (
  district TEXT NOT NULL DEFAULT '310104',
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (district, code)
);

-- The market entity an applicant account acts for. uscc is NULL for a person
-- about to found one (the entity gets its code at registration).
CREATE TABLE entities (
  id {{ID}},
  district TEXT NOT NULL DEFAULT '310104',
  uscc TEXT,
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX entities_uscc ON entities (district, uscc);

-- Usernames are unique across the whole database (one login page per city).
-- department: a departments.code of the same district, NULL for accounts
-- that act for no department (applicants, system administrators, auditors).
CREATE TABLE users (
  id {{ID}},
  district TEXT NOT NULL DEFAULT '310104',
  username TEXT NOT NULL,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  department TEXT,
  entity_id BIGINT REFERENCES entities (id),
  phone TEXT,
  disabled INTEGER NOT NULL DEFAULT 0,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_username ON users (username);
CREATE INDEX users_department ON users (district, department);

CREATE TABLE user_roles (
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role TEXT NOT NULL,
  PRIMARY KEY (user_id, role)
);

-- token_hash: hex BLAKE2b of the cookie value; the value itself is never
-- stored. csrf: the double-submit token bound to this session.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  client TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- scopes: space-separated "resource:access" names (see src/core/roles.c).
CREATE TABLE api_tokens (
  id {{ID}},
  district TEXT NOT NULL DEFAULT '310104',
  name TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  scopes TEXT NOT NULL,
  created_by BIGINT REFERENCES users (id),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT,
  last_used_at BIGINT
);
CREATE UNIQUE INDEX api_tokens_secret ON api_tokens (secret_hash);

-- Failed logins, per account (kind 'user', subject = username) and per client
-- address (kind 'addr'): counted in the database so the limit holds across
-- server processes.
CREATE TABLE login_failures (
  kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  failures INTEGER NOT NULL,
  window_start BIGINT NOT NULL,
  locked_until BIGINT NOT NULL,
  PRIMARY KEY (kind, subject)
);

-- The audit trail. Each entry's hash is SHA-256 over the previous entry's
-- hash and the entry's canonical serialisation (src/store/store_audit.c).
-- audit_head holds the last seq and hash; an append first updates it, which
-- serialises appends across processes.
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY,
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
  VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY,
  district TEXT NOT NULL DEFAULT '310104',
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
  hash TEXT NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log (actor, seq);
CREATE INDEX audit_log_action ON audit_log (action, seq);
CREATE INDEX audit_log_ts ON audit_log (ts);
