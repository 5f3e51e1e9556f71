-- Load the increment: one COPY per table through a manifest that lists the
-- exact new files (each mandatory, so a file that went away fails the load
-- rather than being recorded as loaded). Options as in 04_load_staging.sql.

-- name: load staging.s_songs_new
COPY staging.s_songs_new
FROM '{{song_manifest}}'
IAM_ROLE '{{iam_role}}'
FORMAT AS JSON 'auto'
MANIFEST
REGION '{{source_region}}'
MAXERROR 0
COMPUPDATE OFF
STATUPDATE OFF;

-- name: load staging.s_events_new
COPY staging.s_events_new
FROM '{{log_manifest}}'
IAM_ROLE '{{iam_role}}'
FORMAT AS JSON '{{log_jsonpaths}}'
MANIFEST
REGION '{{source_region}}'
MAXERROR 0
COMPUPDATE OFF
STATUPDATE OFF;
