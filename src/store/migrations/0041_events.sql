-- Events (issue 14 point 6): the transactional outbox other departments'
-- systems subscribe to, and the 一网通办 case-status feed reads by cursor.
-- Portable SQL for SQLite and PostgreSQL (see 0010_applications.sql):
-- timestamps BIGINT unix seconds unless named *_ms; JSON as text; booleans
-- INTEGER 0/1. No cross-module foreign keys.

-- A subscriber: where to POST which kinds of event, and the shared secret
-- the body is signed with (HMAC-SHA-256). The secret has to be kept in the
-- clear: the platform signs with it on every delivery. kinds: "*" (every
-- kind) or a comma list wrapped in commas (",license.issued,penalty.decided,")
-- so one LIKE on ",<kind>," matches on both backends. active 0 stops new
-- deliveries; the history stays.
CREATE TABLE event_subscriptions (
  id {{ID}},
  district TEXT NOT NULL DEFAULT '310104',
  name TEXT NOT NULL,
  url TEXT NOT NULL,
  kinds TEXT NOT NULL,
  secret TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX event_subscriptions_active ON event_subscriptions (district, active);

-- The outbox: one row per event, written in the transaction of the change it
-- reports (store_events.c, event_emit). seq is allocated per district under
-- a lock held until the transaction ends (as license_events), so a reader
-- that has seen seq n never later finds a committed row below n and the
-- feed cursor `after=` never skips a row. id: random, unique everywhere, what
-- receivers de-duplicate by. ref: the changed object's own key (application
-- number, license number, decision number, …). payload: the event's "data"
-- object as JSON text.
CREATE TABLE events (
  district TEXT NOT NULL DEFAULT '310104',
  seq BIGINT NOT NULL,
  id TEXT NOT NULL,
  kind TEXT NOT NULL,
  ref TEXT NOT NULL DEFAULT '',
  at BIGINT NOT NULL,
  payload TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (district, seq)
);
CREATE UNIQUE INDEX events_id ON events (id);
CREATE INDEX events_kind ON events (district, kind, seq);

-- One delivery of one event to one subscription, created with the event for
-- every active subscription whose kinds match. status: pending (next try at
-- next_at_ms) | delivered | dead (dead-lettered after the last attempt;
-- redelivery makes it pending again). A sender claims a due row by moving
-- next_at_ms past its own timeout (a lease): a node that dies mid-delivery
-- leaves the row to be retried once the lease is over.
CREATE TABLE event_deliveries (
  id {{ID}},
  district TEXT NOT NULL DEFAULT '310104',
  subscription_id BIGINT NOT NULL,
  event_seq BIGINT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at_ms BIGINT NOT NULL,
  last_at_ms BIGINT,
  last_status INTEGER,
  last_error TEXT,
  delivered_at BIGINT,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX event_deliveries_one
  ON event_deliveries (district, subscription_id, event_seq);
CREATE INDEX event_deliveries_due ON event_deliveries (district, status, next_at_ms);
CREATE INDEX event_deliveries_sub ON event_deliveries (district, subscription_id, id);
