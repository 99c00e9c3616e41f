-- Optimistic concurrency for user administration: every change of a user's
-- profile bumps `version`; a PATCH that names the version it was based on
-- gets 409 when someone else changed the user in between.
ALTER TABLE users ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
