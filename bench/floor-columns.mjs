// What both DuckDB floors (floor-duckdb.mjs, floor-expert.mjs) read: the
// event and song keys with their types, the helpers that write them as SQL,
// and the report a floor prints for bench/run.mjs.

/** Its command-line arguments, or the usage line and exit 2. */
export function floorArguments(script) {
  const [songDir, logDir, databaseFile] = process.argv.slice(2);
  if (!databaseFile) {
    process.stderr.write(`usage: node bench/${script} SONG_DIR LOG_DIR DATABASE_FILE\n`);
    process.exit(2);
  }
  return { songDir, logDir, databaseFile };
}

export const literal = (text) => `'${text.replaceAll("'", "''")}'`;

export const EVENT_COLUMNS = {
  artist: 'VARCHAR', auth: 'VARCHAR', firstName: 'VARCHAR', gender: 'VARCHAR', itemInSession: 'INTEGER',
  lastName: 'VARCHAR', length: 'DOUBLE', level: 'VARCHAR', location: 'VARCHAR', method: 'VARCHAR', page: 'VARCHAR',
  registration: 'DOUBLE', sessionId: 'INTEGER', song: 'VARCHAR', status: 'INTEGER', ts: 'BIGINT', userAgent: 'VARCHAR',
  userId: 'VARCHAR',
};
export const SONG_COLUMNS = {
  num_songs: 'INTEGER', artist_id: 'VARCHAR', artist_latitude: 'DOUBLE', artist_longitude: 'DOUBLE',
  artist_location: 'VARCHAR', artist_name: 'VARCHAR', song_id: 'VARCHAR', title: 'VARCHAR', duration: 'DOUBLE',
  year: 'INTEGER',
};
export const struct = (columns) => `{${Object.entries(columns).map(([k, t]) => `${literal(k)}: ${literal(t)}`).join(', ')}}`;

/** Prints the timings and the counts bench/run.mjs compares across engines, then closes the database. */
export async function reportAndClose(instance, connection, timings, started) {
  const counts = (await connection.runAndReadAll(
    `SELECT (SELECT count(*) FROM staging.s_events), (SELECT count(*) FROM analytics.f_songplays),
            (SELECT count(song_id) FROM analytics.f_songplays)`,
  )).getRowsJS()[0].map(Number);
  connection.closeSync();
  instance.closeSync();
  timings.total = performance.now() - started;
  process.stdout.write(`${JSON.stringify({ timings, events: counts[0], plays: counts[1], matchedPlays: counts[2] })}\n`);
}
