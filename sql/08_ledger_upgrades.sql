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

-- loaded_files.source_uri grew from VARCHAR(2048) to VARCHAR(4096), for Linux
-- paths up to PATH_MAX. Redshift alters a VARCHAR's length only outside a
-- transaction block, and the upgrade is one transaction: the table is made
-- again at the new width, its rows moved, and the new one takes the name.
-- name: version 4: loaded_files at the new width
CREATE TABLE sparkify.loaded_files_v4 (
    staging_table  VARCHAR(128) NOT NULL,
    source_uri     VARCHAR(4096) NOT NULL SORTKEY,
    size_bytes     BIGINT,
    version_tag    VARCHAR(128),
    run_id         VARCHAR(40) NOT NULL,
    loaded_at      TIMESTAMP NOT NULL,
    rows_loaded    BIGINT
)
DISTSTYLE ALL;

-- name: version 4: loaded_files rows moved
INSERT INTO sparkify.loaded_files_v4 (staging_table, source_uri, size_bytes, version_tag, run_id, loaded_at, rows_loaded)
SELECT staging_table, source_uri, size_bytes, version_tag, run_id, loaded_at, rows_loaded FROM sparkify.loaded_files;

-- name: version 4: the old loaded_files dropped
DROP TABLE sparkify.loaded_files;

-- name: version 4: loaded_files named
ALTER TABLE sparkify.loaded_files_v4 RENAME TO loaded_files;
