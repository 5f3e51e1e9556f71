-- Data-quality checks, run after every transform. Each check is a number:
-- the rows that break its rule. Any non-zero count fails the run.
-- COUNT(*) - COUNT(DISTINCT key) counts NULL keys and duplicates together.
-- A query under several names answers for each of them, one column a check
-- in the order of the names, so a table is read once for all its checks.

-- name: d_users.user_id is unique and not null
SELECT COUNT(*) - COUNT(DISTINCT user_id) AS failing_rows FROM analytics.d_users;

-- name: d_songs.song_id is unique and not null
SELECT COUNT(*) - COUNT(DISTINCT song_id) AS failing_rows FROM analytics.d_songs;

-- name: d_artists.artist_id is unique and not null
SELECT COUNT(*) - COUNT(DISTINCT artist_id) AS failing_rows FROM analytics.d_artists;

-- name: d_time.start_time is unique and not null
SELECT COUNT(*) - COUNT(DISTINCT start_time) AS failing_rows FROM analytics.d_time;

-- The fact table's checks in one scan. The dimensions are joined on their
-- distinct keys, so a duplicated key (its own check fails) cannot repeat a
-- play and change the other counts.
-- name: f_songplays.songplay_id is unique and not null
-- name: every play has a user in d_users
-- name: every play's start_time is in d_time
-- name: every matched play's song is in d_songs
-- name: every matched play's artist is in d_artists
-- name: one play per NextSong event staged
SELECT COUNT(*) - COUNT(DISTINCT f.songplay_id) AS songplay_id_failing_rows,
       COUNT(CASE WHEN u.user_id IS NULL THEN 1 END) AS user_failing_rows,
       COUNT(CASE WHEN t.start_time IS NULL THEN 1 END) AS start_time_failing_rows,
       COUNT(CASE WHEN f.song_id IS NOT NULL AND s.song_id IS NULL THEN 1 END) AS song_failing_rows,
       COUNT(CASE WHEN f.artist_id IS NOT NULL AND a.artist_id IS NULL THEN 1 END) AS artist_failing_rows,
       ABS(COUNT(*) - (SELECT COUNT(*) FROM staging.s_events WHERE page = 'NextSong')) AS nextsong_failing_rows
FROM analytics.f_songplays AS f
LEFT JOIN (SELECT DISTINCT user_id FROM analytics.d_users) AS u ON f.user_id = u.user_id
LEFT JOIN (SELECT DISTINCT start_time FROM analytics.d_time) AS t ON f.start_time = t.start_time
LEFT JOIN (SELECT DISTINCT song_id FROM analytics.d_songs) AS s ON f.song_id = s.song_id
LEFT JOIN (SELECT DISTINCT artist_id FROM analytics.d_artists) AS a ON f.artist_id = a.artist_id;
