-- Catalog versions and department proposals (issue 4).
-- A version stores the whole catalog as one canonical JSON document
-- (catalog_to_json) with its SHA-256; the document of a version is never
-- updated, only its status moves: published -> active -> retired.
-- Exactly one version per district is active (partial unique index).

CREATE TABLE catalog_versions (
  id {{ID}},
  district TEXT NOT NULL DEFAULT '310104',
  version INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'active', 'retired')),
  created_at BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  sha256 TEXT NOT NULL,
  document TEXT NOT NULL,
  activated_at BIGINT,
  UNIQUE (district, version)
);
CREATE UNIQUE INDEX catalog_versions_one_active ON catalog_versions (district)
  WHERE status = 'active';

-- 新增、调整建议 of department users. status: pending -> approved | rejected;
-- approved -> included (in version included_in) when the next version is published.
CREATE TABLE catalog_proposals (
  id {{ID}},
  district TEXT NOT NULL DEFAULT '310104',
  kind TEXT NOT NULL CHECK (kind IN ('add', 'change')),
  industry TEXT,
  title TEXT NOT NULL,
  reason TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '',
  department TEXT,
  proposed_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'approved', 'rejected', 'included')),
  decided_by TEXT,
  decided_at BIGINT,
  decision_comment TEXT,
  included_in INTEGER
);
CREATE INDEX catalog_proposals_status ON catalog_proposals (district, status);
CREATE INDEX catalog_proposals_department ON catalog_proposals (district, department);
