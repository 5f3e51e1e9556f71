-- Merge the increment (staging.s_*_new) into staging and the star schema, as
-- ONE transaction (delete-insert: the same on every engine). The rule: a full
-- run over all files and any sequence of incremental runs over any split of
-- the same files give the same tables, songplay_id aside. So each table takes
-- exactly what the full transform (05_transform.sql) would have given it,
-- with the same picks, computed only for the keys the increment touches.

-- New songs can be the match of events staged before: then every play's pick
-- is made again below (the full transform's rule over all songs), else the
-- plays already there keep theirs and only the new events add plays.
-- name: rematch analytics.f_songplays
DELETE FROM analytics.f_songplays
WHERE EXISTS (
    SELECT 1
    FROM staging.s_songs_new AS n
    JOIN staging.s_events AS e
      ON e.song = n.title
     AND e.artist = n.artist_name
     AND e.length = n.duration
    WHERE e.page = 'NextSong'
);

-- name: append staging.s_songs
INSERT INTO staging.s_songs SELECT * FROM staging.s_songs_new;

-- name: append staging.s_events
INSERT INTO staging.s_events SELECT * FROM staging.s_events_new;

-- The plays of the new events, or of every event when the plays were
-- emptied above (or there were none yet), matched as in 05_transform.sql.
-- name: merge analytics.f_songplays
INSERT INTO analytics.f_songplays (start_time, user_id, level, song_id, artist_id, session_id, location, user_agent)
SELECT TIMESTAMP 'epoch' + (e.ts / 1000.0) * INTERVAL '1 second' AS start_time,
       CAST(NULLIF(e.userid, '') AS INTEGER) AS user_id,
       e.level,
       m.song_id,
       m.artist_id,
       e.sessionid AS session_id,
       e.location,
       e.useragent AS user_agent
FROM (
    SELECT * FROM staging.s_events WHERE NOT EXISTS (SELECT 1 FROM analytics.f_songplays)
    UNION ALL
    SELECT * FROM staging.s_events_new WHERE EXISTS (SELECT 1 FROM analytics.f_songplays)
) AS e
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

-- Only the new events' plays can bring a new start_time.
-- name: merge analytics.d_time
INSERT INTO analytics.d_time (start_time, hour, day, week, month, year, weekday)
SELECT plays.start_time,
       EXTRACT(HOUR FROM plays.start_time),
       EXTRACT(DAY FROM plays.start_time),
       EXTRACT(WEEK FROM plays.start_time),
       EXTRACT(MONTH FROM plays.start_time),
       EXTRACT(YEAR FROM plays.start_time),
       EXTRACT(DOW FROM plays.start_time)
FROM (
    SELECT DISTINCT TIMESTAMP 'epoch' + (ts / 1000.0) * INTERVAL '1 second' AS start_time
    FROM staging.s_events_new
    WHERE page = 'NextSong'
) AS plays
LEFT JOIN analytics.d_time AS t ON t.start_time = plays.start_time
WHERE t.start_time IS NULL;

-- Users of the new events get their row again from their latest event over
-- every staged event: the events at each one's latest ts, the full
-- transform's tie-break among them. An earlier event never wins.
-- name: delete changed analytics.d_users
DELETE FROM analytics.d_users
WHERE user_id IN (SELECT CAST(userid AS INTEGER) FROM staging.s_events_new WHERE userid IS NOT NULL AND userid <> '');

-- name: merge analytics.d_users
INSERT INTO analytics.d_users (user_id, first_name, last_name, gender, level)
SELECT user_id, first_name, last_name, gender, level
FROM (
    SELECT CAST(e.userid AS INTEGER) AS user_id,
           e.firstname AS first_name,
           e.lastname AS last_name,
           e.gender,
           e.level,
           ROW_NUMBER() OVER (
               PARTITION BY e.userid
               ORDER BY e.ts DESC, e.sessionid DESC, e.iteminsession DESC, e.level DESC, e.firstname, e.lastname, e.gender
           ) AS latest
    FROM staging.s_events AS e
    JOIN (
        SELECT userid, MAX(ts) AS ts
        FROM staging.s_events
        WHERE userid IN (SELECT userid FROM staging.s_events_new WHERE userid IS NOT NULL AND userid <> '')
        GROUP BY userid
    ) AS last_seen
      ON e.userid = last_seen.userid
     AND e.ts = last_seen.ts
) AS ranked
WHERE latest = 1;

-- Songs and artists of the new song files: picked again over every staged
-- song object with their key, by the full transform's order.
-- name: delete changed analytics.d_songs
DELETE FROM analytics.d_songs WHERE song_id IN (SELECT song_id FROM staging.s_songs_new);

-- name: merge analytics.d_songs
INSERT INTO analytics.d_songs (song_id, title, artist_id, year, duration)
SELECT song_id, title, artist_id, NULLIF(year, 0), duration
FROM (
    SELECT song_id, title, artist_id, year, duration,
           ROW_NUMBER() OVER (PARTITION BY song_id ORDER BY title, artist_id, duration, year) AS pick
    FROM staging.s_songs
    WHERE song_id IN (SELECT song_id FROM staging.s_songs_new)
) AS ranked
WHERE pick = 1;

-- name: delete changed analytics.d_artists
DELETE FROM analytics.d_artists WHERE artist_id IN (SELECT artist_id FROM staging.s_songs_new);

-- name: merge analytics.d_artists
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
    WHERE artist_id IN (SELECT artist_id FROM staging.s_songs_new)
) AS ranked
WHERE pick = 1;
