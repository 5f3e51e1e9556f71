// The expert floor: the pipeline's rules as a DuckDB expert would write them
// in one script, into a file database: preserve_insertion_order = false,
// staging made with CREATE TABLE AS from reads with declared columns
// (newline-delimited for the events; a song file holds one pretty-printed
// object), the same transform (d_users' latest event, the d_songs and
// d_artists picks, the play-to-song match, d_time), and the run's ten
// data-quality checks, written as one query; then a CHECKPOINT and close,
// so the file is durable and complete as sparkify leaves its warehouse.
// Usage: node bench/floor-expert.mjs SONG_DIR LOG_DIR DATABASE_FILE
import { DuckDBInstance } from '@duckdb/node-api';
import { EVENT_COLUMNS, SONG_COLUMNS, floorArguments, literal, reportAndClose, struct } from './floor-columns.mjs';

const { songDir, logDir, databaseFile } = floorArguments('floor-expert.mjs');
const lowered = (columns) => Object.keys(columns).map((k) => `${k} AS ${k.toLowerCase()}`).join(', ');

const steps = [
  ['settings', 'SET preserve_insertion_order = false; CREATE SCHEMA staging; CREATE SCHEMA analytics'],
  ['load s_songs', `CREATE TABLE staging.s_songs AS SELECT ${lowered(SONG_COLUMNS)} FROM read_json(${literal(`${songDir}/**/*.json`)},
    format = 'unstructured', columns = ${struct(SONG_COLUMNS)})`],
  ['load s_events', `CREATE TABLE staging.s_events AS SELECT ${lowered(EVENT_COLUMNS)} FROM read_json(${literal(`${logDir}/**/*.json`)},
    format = 'newline_delimited', columns = ${struct(EVENT_COLUMNS)})`],
  ['transform', `
    CREATE TABLE analytics.d_users AS
      SELECT CAST(userid AS INTEGER) AS user_id, firstname AS first_name, lastname AS last_name, gender, level FROM staging.s_events
      WHERE userid <> ''
      QUALIFY row_number() OVER (PARTITION BY userid
        ORDER BY ts DESC, sessionid DESC, iteminsession DESC, level DESC, firstname, lastname, gender) = 1;
    CREATE TABLE analytics.d_songs AS
      SELECT song_id, title, artist_id, NULLIF(year, 0) AS year, duration FROM staging.s_songs WHERE song_id IS NOT NULL
      QUALIFY row_number() OVER (PARTITION BY song_id ORDER BY title, artist_id, duration, year) = 1;
    CREATE TABLE analytics.d_artists AS
      SELECT artist_id, artist_name AS name, NULLIF(artist_location, '') AS location, artist_latitude AS latitude,
             artist_longitude AS longitude FROM staging.s_songs
      WHERE artist_id IS NOT NULL
      QUALIFY row_number() OVER (PARTITION BY artist_id
        ORDER BY artist_latitude IS NULL, NULLIF(artist_location, '') IS NULL, artist_name, artist_location,
                 artist_latitude, artist_longitude) = 1;
    CREATE TABLE analytics.f_songplays AS
      SELECT row_number() OVER () - 1 AS songplay_id, make_timestamp(e.ts * 1000) AS start_time,
             CAST(NULLIF(e.userid, '') AS INTEGER) AS user_id, e.level, m.song_id, m.artist_id,
             e.sessionid AS session_id, e.location, e.useragent AS user_agent
      FROM staging.s_events AS e
      LEFT JOIN (
        SELECT title, artist_name, duration, song_id, artist_id FROM staging.s_songs
        QUALIFY row_number() OVER (PARTITION BY title, artist_name, duration ORDER BY song_id, artist_id) = 1
      ) AS m ON e.song = m.title AND e.artist = m.artist_name AND e.length = m.duration
      WHERE e.page = 'NextSong';
    CREATE TABLE analytics.d_time AS
      SELECT start_time, hour(start_time) AS hour, day(start_time) AS day, week(start_time) AS week,
             month(start_time) AS month, year(start_time) AS year, dayofweek(start_time) AS weekday
      FROM (SELECT DISTINCT start_time FROM analytics.f_songplays)`],
  ['checks', `SELECT
      (SELECT count(*) - count(DISTINCT user_id) FROM analytics.d_users)
    + (SELECT count(*) - count(DISTINCT song_id) FROM analytics.d_songs)
    + (SELECT count(*) - count(DISTINCT artist_id) FROM analytics.d_artists)
    + (SELECT count(*) - count(DISTINCT start_time) FROM analytics.d_time)
    + (SELECT count(*) - count(DISTINCT songplay_id) FROM analytics.f_songplays)
    + (SELECT count(*) FILTER (WHERE u.user_id IS NULL) + count(*) FILTER (WHERE t.start_time IS NULL)
            + count(*) FILTER (WHERE f.song_id IS NOT NULL AND s.song_id IS NULL)
            + count(*) FILTER (WHERE f.artist_id IS NOT NULL AND a.artist_id IS NULL)
       FROM analytics.f_songplays AS f
       LEFT JOIN analytics.d_users AS u ON f.user_id = u.user_id
       LEFT JOIN analytics.d_time AS t ON f.start_time = t.start_time
       LEFT JOIN analytics.d_songs AS s ON f.song_id = s.song_id
       LEFT JOIN analytics.d_artists AS a ON f.artist_id = a.artist_id)
    + abs((SELECT count(*) FROM analytics.f_songplays) - (SELECT count(*) FROM staging.s_events WHERE page = 'NextSong'))`],
];

const started = performance.now();
const instance = await DuckDBInstance.create(databaseFile);
const connection = await instance.connect();
const timings = { open: performance.now() - started };
let failing;
for (const [name, sql] of steps) {
  const at = performance.now();
  if (name === 'checks') failing = Number((await connection.runAndReadAll(sql)).getRowsJS()[0][0]);
  else await connection.run(sql);
  timings[name] = performance.now() - at;
}
if (failing !== 0) throw new Error(`the expert floor's checks found ${failing} failing rows`);
// Leave a durable file as sparkify does: its closing checkpoint, timed apart.
const checkpointAt = performance.now();
await connection.run('CHECKPOINT');
timings.checkpoint = performance.now() - checkpointAt;
await reportAndClose(instance, connection, timings, started);
