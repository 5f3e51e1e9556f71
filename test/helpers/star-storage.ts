// A small star schema with each Redshift dist style (ALL, KEY, EVEN) and the
// join over it whose plan has one step that moves data (the EVEN table is
// broadcast) and one that does not (the ALL table is on every node).
export const STAR_SCHEMA_WITH_STORAGE = [
  'CREATE SCHEMA analytics',
  'CREATE TABLE analytics.d_users (user_id INTEGER NOT NULL SORTKEY, level VARCHAR(10)) DISTSTYLE ALL',
  'CREATE TABLE analytics.f_songplays (songplay_id INTEGER, start_time TIMESTAMP NOT NULL DISTKEY SORTKEY, user_id INTEGER, session_id INTEGER)',
  'CREATE TABLE analytics.s_sessions (session_id INTEGER, device VARCHAR(20)) DISTSTYLE EVEN',
  "INSERT INTO analytics.f_songplays SELECT i, TIMESTAMP '2018-11-01' + i * INTERVAL '1 minute', i % 50, i % 40 FROM generate_series(1, 2000) AS g(i)",
  "INSERT INTO analytics.d_users SELECT i, 'free' FROM generate_series(0, 49) AS g(i)",
  "INSERT INTO analytics.s_sessions SELECT i, 'phone' FROM generate_series(0, 39) AS g(i)",
];

export const STAR_JOIN =
  'SELECT u.level, s.device, count(*) FROM analytics.f_songplays f JOIN analytics.d_users u ON f.user_id = u.user_id JOIN analytics.s_sessions s ON f.session_id = s.session_id GROUP BY 1, 2';
