-- Transform staging into the star schema. The statements of this file run as
-- ONE transaction: each table is emptied with DELETE (TRUNCATE would commit
-- on Redshift) and filled again, so readers see the old tables or the new
-- ones, never half of each, and a failed or cancelled run changes nothing.
-- Re-running gives the same rows (songplay_id is an identity and keeps
-- counting up).

-- name: delete analytics.f_songplays
DELETE FROM analytics.f_songplays;

-- name: delete analytics.d_time
DELETE FROM analytics.d_time;

-- name: delete analytics.d_users
DELETE FROM analytics.d_users;

-- name: delete analytics.d_songs
DELETE FROM analytics.d_songs;

-- name: delete analytics.d_artists
DELETE FROM analytics.d_artists;

-- One row per user id seen in any event. Name, gender and level come from
-- the user's latest event: users move from free to paid (and back). Ties on
-- ts are broken on the remaining columns so the pick is deterministic.
-- name: transform analytics.d_users
INSERT INTO analytics.d_users (user_id, first_name, last_name, gender, level)
SELECT user_id, first_name, last_name, gender, level
FROM (
    SELECT CAST(userid AS INTEGER) AS user_id,
           firstname AS first_name,
           lastname AS last_name,
           gender,
           level,
           ROW_NUMBER() OVER (
               PARTITION BY userid
               ORDER BY ts DESC, sessionid DESC, iteminsession DESC, level DESC, firstname, lastname, gender
           ) AS latest
    FROM staging.s_events
    WHERE userid IS NOT NULL AND userid <> ''
) AS ranked
WHERE latest = 1;

-- One row per song_id (a song object may appear in more than one file).
-- year 0 means unknown in the source: stored as NULL.
-- name: transform analytics.d_songs
INSERT INTO analytics.d_songs (song_id, title, artist_id, year, duration)
SELECT song_id, title, artist_id, NULLIF(year, 0), duration
FROM (
    SELECT song_id, title, artist_id, year, duration,
           ROW_NUMBER() OVER (PARTITION BY song_id ORDER BY title, artist_id, duration, year) AS pick
    FROM staging.s_songs
    WHERE song_id IS NOT NULL
) AS ranked
WHERE pick = 1;

-- One row per artist_id. Song files disagree on an artist's name, location
-- and coordinates; prefer the row with coordinates, then with a location,
-- then the first by name, so the choice is the same on every run and engine.
-- name: transform analytics.d_artists
INSERT INTO analytics.d_artists (artist_id, name, location, latitude, longitude)
SELECT artist_id, name, location, latitude, longitude
FROM (
    SELECT artist_id,
           artist_name AS name,
           NULLIF(artist_location, '') AS location,
           artist_latitude AS latitude,
           artist_longitude AS longitude,
           ROW_NUMBER() OVER (
               PARTITION BY artist_id
               ORDER BY CASE WHEN artist_latitude IS NULL THEN 1 ELSE 0 END,
                        CASE WHEN NULLIF(artist_location, '') IS NULL THEN 1 ELSE 0 END,
                        artist_name, artist_location, artist_latitude, artist_longitude
           ) AS pick
    FROM staging.s_songs
    WHERE artist_id IS NOT NULL
) AS ranked
WHERE pick = 1;

-- One row per NextSong event. ts is epoch milliseconds: dividing by 1000.0
-- (not 1000, which truncates on Redshift) keeps the milliseconds.
-- song_id and artist_id come from the song whose title, artist name and
-- duration equal the event's song, artist and length; NULL when none does;
-- when several do, the smallest song_id wins. The plays are inserted in the
-- order they happened, so the local engine numbers them in time order
-- whatever order the staging files were loaded in.
-- name: transform analytics.f_songplays
INSERT INTO analytics.f_songplays (start_time, user_id, level, song_id, artist_id, session_id, location, user_agent)
SELECT TIMESTAMP 'epoch' + (e.ts / 1000.0) * INTERVAL '1 second' AS start_time,
       CAST(NULLIF(e.userid, '') AS INTEGER) AS user_id,
       e.level,
       m.song_id,
       m.artist_id,
       e.sessionid AS session_id,
       e.location,
       e.useragent AS user_agent
FROM staging.s_events AS e
LEFT JOIN (
    SELECT title, artist_name, duration, song_id, artist_id
    FROM (
        SELECT title, artist_name, duration, song_id, artist_id,
               ROW_NUMBER() OVER (PARTITION BY title, artist_name, duration ORDER BY song_id, artist_id) AS pick
        FROM staging.s_songs
    ) AS ranked
    WHERE pick = 1
) AS m
    ON e.song = m.title
   AND e.artist = m.artist_name
   AND e.length = m.duration
WHERE e.page = 'NextSong'
ORDER BY e.ts, e.sessionid, e.iteminsession;

-- One row per distinct play start_time. weekday: 0 = Sunday.
-- name: transform analytics.d_time
INSERT INTO analytics.d_time (start_time, hour, day, week, month, year, weekday)
SELECT start_time,
       EXTRACT(HOUR FROM start_time),
       EXTRACT(DAY FROM start_time),
       EXTRACT(WEEK FROM start_time),
       EXTRACT(MONTH FROM start_time),
       EXTRACT(YEAR FROM start_time),
       EXTRACT(DOW FROM start_time)
FROM (SELECT DISTINCT start_time FROM analytics.f_songplays) AS plays;
