// The floor: the sparkify load and transform written straight in DuckDB SQL,
// in one script, into a file database. No CLI, no rewrite, no runner: what
// the embedded engine costs on its own.
// Usage: node bench/floor-duckdb.mjs SONG_DIR LOG_DIR DATABASE_FILE
import { DuckDBInstance } from '@duckdb/node-api';
import { EVENT_COLUMNS, SONG_COLUMNS, floorArguments, literal, reportAndClose, struct } from './floor-columns.mjs';

const { songDir, logDir, databaseFile } = floorArguments('floor-duckdb.mjs');
const tableColumns = (columns) => Object.entries(columns).map(([k, t]) => `${k.toLowerCase()} ${t}`).join(', ');

const steps = [
  ['schemas', 'CREATE SCHEMA IF NOT EXISTS staging; CREATE SCHEMA IF NOT EXISTS analytics'],
  ['staging tables', `DROP TABLE IF EXISTS staging.s_events; DROP TABLE IF EXISTS staging.s_songs;
    CREATE TABLE staging.s_events (${tableColumns(EVENT_COLUMNS)});
    CREATE TABLE staging.s_songs (${tableColumns(SONG_COLUMNS)})`],
  ['analytics tables', `
    CREATE SEQUENCE IF NOT EXISTS analytics.songplay_seq START 0 MINVALUE 0;
    CREATE TABLE IF NOT EXISTS analytics.d_users (user_id INTEGER NOT NULL, first_name VARCHAR, last_name VARCHAR, gender VARCHAR, level VARCHAR);
    CREATE TABLE IF NOT EXISTS analytics.d_songs (song_id VARCHAR NOT NULL, title VARCHAR, artist_id VARCHAR, year INTEGER, duration DOUBLE);
    CREATE TABLE IF NOT EXISTS analytics.d_artists (artist_id VARCHAR NOT NULL, name VARCHAR, location VARCHAR, latitude DOUBLE, longitude DOUBLE);
    CREATE TABLE IF NOT EXISTS analytics.d_time (start_time TIMESTAMP NOT NULL, hour SMALLINT, day SMALLINT, week SMALLINT, month SMALLINT, year SMALLINT, weekday SMALLINT);
    CREATE TABLE IF NOT EXISTS analytics.f_songplays (songplay_id BIGINT DEFAULT nextval('analytics.songplay_seq'), start_time TIMESTAMP NOT NULL,
      user_id INTEGER, level VARCHAR, song_id VARCHAR, artist_id VARCHAR, session_id INTEGER, location VARCHAR, user_agent VARCHAR)`],
  ['load s_songs', `INSERT INTO staging.s_songs SELECT * FROM read_json(${literal(`${songDir}/**/*.json`)},
    format = 'unstructured', columns = ${struct(SONG_COLUMNS)})`],
  ['load s_events', `INSERT INTO staging.s_events SELECT * FROM read_json(${literal(`${logDir}/**/*.json`)},
    format = 'newline_delimited', columns = ${struct(EVENT_COLUMNS)})`],
  ['transform', `BEGIN;
    DELETE FROM analytics.f_songplays; DELETE FROM analytics.d_time; DELETE FROM analytics.d_users;
    DELETE FROM analytics.d_songs; DELETE FROM analytics.d_artists;
    INSERT INTO analytics.d_users
      SELECT CAST(userid AS INTEGER), firstname, lastname, gender, level FROM staging.s_events
      WHERE userid <> ''
      QUALIFY row_number() OVER (PARTITION BY userid
        ORDER BY ts DESC, sessionid DESC, iteminsession DESC, level DESC, firstname, lastname, gender) = 1;
    INSERT INTO analytics.d_songs
      SELECT song_id, title, artist_id, NULLIF(year, 0), duration FROM staging.s_songs WHERE song_id IS NOT NULL
      QUALIFY row_number() OVER (PARTITION BY song_id ORDER BY title, artist_id, duration, year) = 1;
    INSERT INTO analytics.d_artists
      SELECT artist_id, artist_name, NULLIF(artist_location, ''), artist_latitude, artist_longitude FROM staging.s_songs
      WHERE artist_id IS NOT NULL
      QUALIFY row_number() OVER (PARTITION BY artist_id
        ORDER BY artist_latitude IS NULL, NULLIF(artist_location, '') IS NULL, artist_name, artist_location,
                 artist_latitude, artist_longitude) = 1;
    INSERT INTO analytics.f_songplays (start_time, user_id, level, song_id, artist_id, session_id, location, user_agent)
      SELECT make_timestamp(e.ts * 1000), CAST(NULLIF(e.userid, '') AS INTEGER), e.level, m.song_id, m.artist_id,
             e.sessionid, e.location, e.useragent
      FROM staging.s_events AS e
      LEFT JOIN (
        SELECT title, artist_name, duration, song_id, artist_id FROM staging.s_songs
        QUALIFY row_number() OVER (PARTITION BY title, artist_name, duration ORDER BY song_id, artist_id) = 1
      ) AS m ON e.song = m.title AND e.artist = m.artist_name AND e.length = m.duration
      WHERE e.page = 'NextSong';
    INSERT INTO analytics.d_time
      SELECT start_time, hour(start_time), day(start_time), week(start_time), month(start_time), year(start_time),
             dayofweek(start_time)
      FROM (SELECT DISTINCT start_time FROM analytics.f_songplays);
    COMMIT`],
];

const started = performance.now();
const instance = await DuckDBInstance.create(databaseFile);
const connection = await instance.connect();
const timings = { open: performance.now() - started };
for (const [name, sql] of steps) {
  const at = performance.now();
  await connection.run(sql);
  timings[name] = performance.now() - at;
}
await reportAndClose(instance, connection, timings, started);
