-- An incremental run told to reload changed files (--reload-changed). A COPY
-- keeps no file name in staging, so the rows a changed file gave cannot be
-- picked out: each staging table holding a changed file was loaded again,
-- into staging.s_*_new, from all its files as they are now (the manifest
-- lists every one), and replaces what it held here; a table with no changed
-- file takes its new files as a merge would. Then the star schema is
-- transformed again from all of staging (05_transform.sql, whose statements
-- follow these in the same transaction), so the tables are those a full run
-- over the files as they are now would give, songplay_id aside.

-- name: empty staging.s_songs
DELETE FROM staging.s_songs;

-- name: refill staging.s_songs
INSERT INTO staging.s_songs SELECT * FROM staging.s_songs_new;

-- name: empty staging.s_events
DELETE FROM staging.s_events;

-- name: refill staging.s_events
INSERT INTO staging.s_events SELECT * FROM staging.s_events_new;
