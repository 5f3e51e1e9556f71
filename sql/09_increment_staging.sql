-- An incremental run stages only the new files, into tables of their own
-- shaped as the staging tables; staging.s_events and staging.s_songs keep
-- every file loaded so far and take the increment inside the refresh's
-- transaction (11_merge_increment.sql), so they never hold a half increment.

-- name: drop staging.s_songs_new
DROP TABLE IF EXISTS staging.s_songs_new;

-- name: create staging.s_songs_new
CREATE TABLE staging.s_songs_new (LIKE staging.s_songs);

-- name: drop staging.s_events_new
DROP TABLE IF EXISTS staging.s_events_new;

-- name: create staging.s_events_new
CREATE TABLE staging.s_events_new (LIKE staging.s_events);
