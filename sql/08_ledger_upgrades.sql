-- Upgrades of a ledger made by an older sparkify, in order. Each statement
-- is named "version N: ..." and runs once, on a ledger older than N, in one
-- transaction with the version row it moves to. 07_ledger.sql always creates
-- the newest layout, so a new ledger needs none of these, and its CREATE ...
-- IF NOT EXISTS runs first on an old one, so a version that only adds a table
-- (3: staged_rows) has no statement here.

-- The step a run started from (a resume) and the step it failed at: what
-- `sparkify retry` resumes from.
-- name: version 2: runs.from_step
ALTER TABLE sparkify.runs ADD COLUMN from_step VARCHAR(64);

-- name: version 2: runs.failed_step
ALTER TABLE sparkify.runs ADD COLUMN failed_step VARCHAR(64);
