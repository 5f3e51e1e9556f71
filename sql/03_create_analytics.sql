-- The star schema. Tables are created only when missing: the analytics
-- tables are refreshed in place by the transform, inside one transaction, so a
-- failed run leaves the previous data as it was.
--
-- Distribution and sort keys, chosen for the queries analysts run (plays over
-- time, by song, by user):
--   f_songplays  DISTKEY(start_time) SORTKEY(start_time): the fact is the big
--                table; most queries filter or group on time, so the sort key
--                lets Redshift skip blocks, and distributing on start_time
--                co-locates each play with its d_time row.
--   d_time       DISTKEY(start_time) SORTKEY(start_time): one row per play
--                time, as large as the fact, joined to it on start_time.
--   d_users, d_songs, d_artists  DISTSTYLE ALL: small (a few thousand to a
--                few hundred thousand rows), so a copy on every node makes
--                every join to them local. Sorted on their key for lookups.
-- Keys are declared for readers and the planner; Redshift does not enforce
-- them, so the data-quality checks (05_checks.sql) do.

-- name: create analytics.d_users
CREATE TABLE IF NOT EXISTS analytics.d_users (
    user_id     INTEGER NOT NULL PRIMARY KEY SORTKEY,
    first_name  VARCHAR(256),
    last_name   VARCHAR(256),
    gender      VARCHAR(16),
    level       VARCHAR(16)
)
DISTSTYLE ALL;

-- name: create analytics.d_songs
CREATE TABLE IF NOT EXISTS analytics.d_songs (
    song_id     VARCHAR(32) NOT NULL PRIMARY KEY SORTKEY,
    title       VARCHAR(512),
    artist_id   VARCHAR(32),
    year        INTEGER,
    duration    DOUBLE PRECISION
)
DISTSTYLE ALL;

-- name: create analytics.d_artists
CREATE TABLE IF NOT EXISTS analytics.d_artists (
    artist_id   VARCHAR(32) NOT NULL PRIMARY KEY SORTKEY,
    name        VARCHAR(512),
    location    VARCHAR(512),
    latitude    DOUBLE PRECISION,
    longitude   DOUBLE PRECISION
)
DISTSTYLE ALL;

-- name: create analytics.d_time
CREATE TABLE IF NOT EXISTS analytics.d_time (
    start_time  TIMESTAMP NOT NULL PRIMARY KEY DISTKEY SORTKEY,
    hour        SMALLINT,
    day         SMALLINT,
    week        SMALLINT,
    month       SMALLINT,
    year        SMALLINT,
    weekday     SMALLINT
);

-- name: create analytics.f_songplays
CREATE TABLE IF NOT EXISTS analytics.f_songplays (
    songplay_id BIGINT IDENTITY(0, 1) PRIMARY KEY,
    start_time  TIMESTAMP NOT NULL REFERENCES analytics.d_time (start_time) DISTKEY SORTKEY,
    user_id     INTEGER REFERENCES analytics.d_users (user_id),
    level       VARCHAR(16),
    song_id     VARCHAR(32) REFERENCES analytics.d_songs (song_id),
    artist_id   VARCHAR(32) REFERENCES analytics.d_artists (artist_id),
    session_id  INTEGER,
    location    VARCHAR(512),
    user_agent  VARCHAR(1024)
);
