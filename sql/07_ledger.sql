-- The ledger: what sparkify has done to this warehouse, kept in the warehouse
-- itself so every process (the app, a cron job, CI) sees the same history.
--   runs            one row per run: when, where, which mode, how it ended
--   step_runs       one row per step a run finished or failed
--   statement_runs  one row per statement a run finished or failed
--   check_runs      one row per data-quality check a run made
--   table_rows      rows per model table when a run ended
--   loaded_files    one row per source file whose rows the analytics tables
--                   hold; written in the transaction that commits them, so
--                   it never claims a load that was rolled back. Its URIs
--                   take 4096 bytes: a Linux path (PATH_MAX) as well as an
--                   s3:// URI (a 1024-byte key under a 63-byte bucket)
--   schema_version  one row: the ledger's layout, for upgrades in place
-- The tables are small and read whole or by run_id: DISTSTYLE ALL keeps a
-- copy on every node, sorted on what the reads filter on.

-- name: create schema sparkify
CREATE SCHEMA IF NOT EXISTS sparkify;

-- name: create sparkify.schema_version
CREATE TABLE IF NOT EXISTS sparkify.schema_version (
    version     INTEGER NOT NULL,
    upgraded_at TIMESTAMP NOT NULL
)
DISTSTYLE ALL;

-- name: create sparkify.runs
CREATE TABLE IF NOT EXISTS sparkify.runs (
    run_id           VARCHAR(40) NOT NULL PRIMARY KEY,
    started_at       TIMESTAMP NOT NULL SORTKEY,
    finished_at      TIMESTAMP,
    target           VARCHAR(16) NOT NULL,
    mode             VARCHAR(16) NOT NULL,
    outcome          VARCHAR(16) NOT NULL,
    exit_code        INTEGER,
    who              VARCHAR(256),
    sparkify_version VARCHAR(32),
    from_step        VARCHAR(64),
    failed_step      VARCHAR(64),
    analytics        VARCHAR(32)
)
DISTSTYLE ALL;

-- name: create sparkify.step_runs
CREATE TABLE IF NOT EXISTS sparkify.step_runs (
    run_id    VARCHAR(40) NOT NULL SORTKEY,
    step_id   VARCHAR(64) NOT NULL,
    wall_ms   DOUBLE PRECISION NOT NULL,
    status    VARCHAR(16) NOT NULL
)
DISTSTYLE ALL;

-- name: create sparkify.statement_runs
CREATE TABLE IF NOT EXISTS sparkify.statement_runs (
    run_id          VARCHAR(40) NOT NULL SORTKEY,
    step_id         VARCHAR(64) NOT NULL,
    statement_id    VARCHAR(64) NOT NULL,
    statement_name  VARCHAR(256),
    wall_ms         DOUBLE PRECISION,
    engine_ms       DOUBLE PRECISION,
    rows_affected   BIGINT,
    status          VARCHAR(16) NOT NULL,
    query_id        VARCHAR(64),
    finished_at     TIMESTAMP NOT NULL
)
DISTSTYLE ALL;

-- name: create sparkify.check_runs
CREATE TABLE IF NOT EXISTS sparkify.check_runs (
    run_id        VARCHAR(40) NOT NULL SORTKEY,
    check_name    VARCHAR(64) NOT NULL,
    description   VARCHAR(256),
    failing_rows  BIGINT NOT NULL
)
DISTSTYLE ALL;

-- name: create sparkify.table_rows
CREATE TABLE IF NOT EXISTS sparkify.table_rows (
    run_id      VARCHAR(40) NOT NULL SORTKEY,
    table_name  VARCHAR(128) NOT NULL,
    row_count   BIGINT NOT NULL
)
DISTSTYLE ALL;

-- name: create sparkify.loaded_files
CREATE TABLE IF NOT EXISTS sparkify.loaded_files (
    staging_table  VARCHAR(128) NOT NULL,
    source_uri     VARCHAR(4096) NOT NULL SORTKEY,
    size_bytes     BIGINT,
    version_tag    VARCHAR(128),
    run_id         VARCHAR(40) NOT NULL,
    loaded_at      TIMESTAMP NOT NULL,
    rows_loaded    BIGINT
)
DISTSTYLE ALL;

-- Rows each staging table held when the analytics tables were last
-- committed: an incremental run appends to staging only when staging still
-- holds exactly that (a full run stopped after its load leaves more or less).
-- name: create sparkify.staged_rows
CREATE TABLE IF NOT EXISTS sparkify.staged_rows (
    staging_table  VARCHAR(128) NOT NULL,
    row_count      BIGINT NOT NULL
)
DISTSTYLE ALL;
