-- Staging tables hold the raw files as they are: every event line and every
-- song object, with the files' own types. userid stays a string here (it is
-- "" for logged-out events); the transform casts it.
--
-- Distribution: s_songs is small (about 15k rows for the full song set), so
-- DISTSTYLE ALL puts a copy on every node and the play-to-song join in the
-- transform never moves the much larger events table. s_events is spread
-- EVEN: it is scanned whole, never joined on one key.
-- A full run rebuilds staging, so the tables are dropped and made anew; an
-- incremental run keeps them (it runs only the CREATE ... IF NOT EXISTS).

-- name: drop staging.s_events
DROP TABLE IF EXISTS staging.s_events;

-- name: create staging.s_events
CREATE TABLE IF NOT EXISTS staging.s_events (
    artist          VARCHAR(512),
    auth            VARCHAR(32),
    firstname       VARCHAR(256),
    gender          VARCHAR(16),
    iteminsession   INTEGER,
    lastname        VARCHAR(256),
    length          DOUBLE PRECISION,
    level           VARCHAR(16),
    location        VARCHAR(512),
    method          VARCHAR(16),
    page            VARCHAR(64),
    registration    DOUBLE PRECISION,
    sessionid       INTEGER,
    song            VARCHAR(512),
    status          INTEGER,
    ts              BIGINT,
    useragent       VARCHAR(1024),
    userid          VARCHAR(32)
)
DISTSTYLE EVEN;

-- name: drop staging.s_songs
DROP TABLE IF EXISTS staging.s_songs;

-- name: create staging.s_songs
CREATE TABLE IF NOT EXISTS staging.s_songs (
    num_songs           INTEGER,
    artist_id           VARCHAR(32),
    artist_latitude     DOUBLE PRECISION,
    artist_longitude    DOUBLE PRECISION,
    artist_location     VARCHAR(512),
    artist_name         VARCHAR(512),
    song_id             VARCHAR(32),
    title               VARCHAR(512),
    duration            DOUBLE PRECISION,
    year                INTEGER
)
DISTSTYLE ALL;
