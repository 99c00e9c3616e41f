-- Data sharing (issue 14, share-reads): what a token may read for, how often,
-- for which department, and the access log the data owner reviews.
--
-- api_tokens gain the department whose system holds the token (the access
-- log's "who"; '' for tokens made before this migration), the purposes it may
-- state (space-separated codes of the documented list, docs/api-sharing.md;
-- '' allows none, so a shared read needs a purpose granted explicitly) and its
-- rate limit in requests per minute (NULL: the server's default,
-- YIYE_SHARING_RATE).
ALTER TABLE api_tokens ADD COLUMN department TEXT NOT NULL DEFAULT '';
ALTER TABLE api_tokens ADD COLUMN purposes TEXT NOT NULL DEFAULT '';
ALTER TABLE api_tokens ADD COLUMN rate_per_minute INTEGER;

-- The shared-read access log: one hash chain per district, built like the
-- audit trail (0005): sharing_head holds the district's last seq and hash, an
-- entry's hash is SHA-256 over the previous hash and the entry's canonical
-- form (src/store/store_sharing.c). Appends of different districts never wait
-- on each other.
CREATE TABLE sharing_head (
  district TEXT PRIMARY KEY,
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL
);

CREATE TABLE sharing_log (
  district TEXT NOT NULL DEFAULT '310104',
  seq BIGINT NOT NULL,
  ts BIGINT NOT NULL,
  token_id BIGINT NOT NULL,
  token_name TEXT NOT NULL,
  department TEXT NOT NULL,
  uscc TEXT NOT NULL,
  kind TEXT NOT NULL,
  purpose TEXT NOT NULL,
  purpose_text TEXT NOT NULL,
  status INTEGER NOT NULL,
  request_id TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  PRIMARY KEY (district, seq)
);
CREATE INDEX sharing_log_token ON sharing_log (district, token_id, seq);
CREATE INDEX sharing_log_uscc ON sharing_log (district, uscc, seq);
CREATE INDEX sharing_log_dept ON sharing_log (district, department, seq);
CREATE INDEX sharing_log_ts ON sharing_log (district, ts);
