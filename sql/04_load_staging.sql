-- Load the raw JSON into staging, one COPY per table (Redshift reads the many
-- files of a prefix in parallel). Placeholders in {{...}} are the values that
-- vary between setups: source URIs, the IAM role Redshift assumes to read
-- them, and the source bucket's region (the course bucket is in us-west-2, so
-- a cluster elsewhere needs REGION). MAXERROR 0 (the default) makes one bad
-- row fail the load; its details are then read from sys_load_error_detail.
--
-- Events map by position through a jsonpaths file ({{log_jsonpaths}}; or
-- 'auto ignorecase' where none is given): the files say firstName, the
-- column is firstname. Song objects' keys equal the column names: 'auto'.
--
-- COPY appends, so each load empties its table first: a second `etl`, or a
-- run resumed from a load step, stages the files once, not twice.

-- name: empty staging.s_songs
TRUNCATE staging.s_songs;

-- name: load staging.s_songs
COPY staging.s_songs
FROM '{{song_data}}'
IAM_ROLE '{{iam_role}}'
FORMAT AS JSON 'auto'
REGION '{{source_region}}'
MAXERROR 0
COMPUPDATE OFF
STATUPDATE OFF;

-- name: empty staging.s_events
TRUNCATE staging.s_events;

-- name: load staging.s_events
COPY staging.s_events
FROM '{{log_data}}'
IAM_ROLE '{{iam_role}}'
FORMAT AS JSON '{{log_jsonpaths}}'
REGION '{{source_region}}'
MAXERROR 0
COMPUPDATE OFF
STATUPDATE OFF;
