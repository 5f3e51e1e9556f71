-- Data-quality checks, run after every transform. Each query returns one
-- number: the rows that break its rule. Any non-zero count fails the run.
-- COUNT(*) - COUNT(DISTINCT key) counts NULL keys and duplicates together.

-- name: d_users.user_id is unique and not null
SELECT COUNT(*) - COUNT(DISTINCT user_id) AS failing_rows FROM analytics.d_users;

-- name: d_songs.song_id is unique and not null
SELECT COUNT(*) - COUNT(DISTINCT song_id) AS failing_rows FROM analytics.d_songs;

-- name: d_artists.artist_id is unique and not null
SELECT COUNT(*) - COUNT(DISTINCT artist_id) AS failing_rows FROM analytics.d_artists;

-- name: d_time.start_time is unique and not null
SELECT COUNT(*) - COUNT(DISTINCT start_time) AS failing_rows FROM analytics.d_time;

-- name: f_songplays.songplay_id is unique and not null
SELECT COUNT(*) - COUNT(DISTINCT songplay_id) AS failing_rows FROM analytics.f_songplays;

-- name: every play has a user in d_users
SELECT COUNT(*) AS failing_rows
FROM analytics.f_songplays AS f
LEFT JOIN analytics.d_users AS u ON f.user_id = u.user_id
WHERE u.user_id IS NULL;

-- name: every play's start_time is in d_time
SELECT COUNT(*) AS failing_rows
FROM analytics.f_songplays AS f
LEFT JOIN analytics.d_time AS t ON f.start_time = t.start_time
WHERE t.start_time IS NULL;

-- name: every matched play's song is in d_songs
SELECT COUNT(*) AS failing_rows
FROM analytics.f_songplays AS f
LEFT JOIN analytics.d_songs AS s ON f.song_id = s.song_id
WHERE f.song_id IS NOT NULL AND s.song_id IS NULL;

-- name: every matched play's artist is in d_artists
SELECT COUNT(*) AS failing_rows
FROM analytics.f_songplays AS f
LEFT JOIN analytics.d_artists AS a ON f.artist_id = a.artist_id
WHERE f.artist_id IS NOT NULL AND a.artist_id IS NULL;

-- name: one play per NextSong event staged
SELECT ABS((SELECT COUNT(*) FROM analytics.f_songplays)
         - (SELECT COUNT(*) FROM staging.s_events WHERE page = 'NextSong')) AS failing_rows;
