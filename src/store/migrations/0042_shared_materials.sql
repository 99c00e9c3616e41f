-- 免于提交 for real (issue 14 point 5): the materials of an application the
-- platform obtained by sharing instead of asking the applicant for them.
-- Portable SQL for SQLite and PostgreSQL (see 0010_applications.sql):
-- timestamps BIGINT unix seconds; no cross-module foreign keys (joined to
-- applications by (district, application_id)).
--
-- One row per application and material the catalog marks obtainable from
-- the entity register ("shared_from": "entity_register", docs/catalog.md),
-- written in the application's creating transaction when its entity is in
-- the register (entities.source 'import', 'staff' or 'license', status
-- 'registered'). source: the catalog's source text at that time; register:
-- where the record came from ('entity_register'); register_source: the
-- entity row's source ('import' | 'staff' | 'license'); record: the
-- register's record as read (JSON: uscc, name, legal_rep, address, status,
-- updated_at, and the form fields it pre-filled), so a reviewer sees what
-- was obtained even after the register changes.
CREATE TABLE application_shared_materials (
  district TEXT NOT NULL DEFAULT '310104',
  application_id BIGINT NOT NULL,
  material_id TEXT NOT NULL,
  source TEXT NOT NULL,
  register TEXT NOT NULL,
  register_source TEXT NOT NULL,
  uscc TEXT NOT NULL,
  record TEXT NOT NULL,
  obtained_at BIGINT NOT NULL,
  PRIMARY KEY (district, application_id, material_id)
);
