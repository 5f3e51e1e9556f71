// The whole pipeline on the real course data, checked against the counts the
// data's README measured and the model's rules in DESIGN.md.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DuckDbWarehouse } from '../src/pipeline/warehouse/duckdb.js';
import { COURSE_DATA, COURSE_TABLE_ROWS } from './helpers/cli.js';
import { rows, runAll } from './helpers/pipeline.js';

const logData = join(COURSE_DATA, 'log_data');
const jsonpaths = join(COURSE_DATA, 'log_json_path.json');

describe('pipeline on the course data (song_data)', () => {
  let warehouse: DuckDbWarehouse;
  let finished: Awaited<ReturnType<typeof runAll>>['finished'];
  beforeAll(async () => {
    warehouse = await DuckDbWarehouse.open({ path: ':memory:' });
    ({ finished } = await runAll(warehouse, { sources: { songData: join(COURSE_DATA, 'song_data'), logData, logJsonpaths: jsonpaths } }));
  });
  afterAll(() => warehouse.close());

  it('succeeds with every check passing', () => {
    expect(finished.ok).toBe(true);
    expect(finished.checks?.length).toBe(10);
    expect(finished.checks?.every((c) => c.ok)).toBe(true);
  });

  it('stages every event and song object, and builds the star schema with the measured counts', () => {
    expect(finished.tableRows).toEqual(COURSE_TABLE_ROWS);
  });

  it('matches exactly one play: "Setanta matins" by Elena, user 15 on 2018-11-21', async () => {
    expect(
      await rows(warehouse, `SELECT f.user_id, s.title, a.name, s.duration, CAST(f.start_time AS DATE) AS day
        FROM analytics.f_songplays f JOIN analytics.d_songs s ON f.song_id = s.song_id JOIN analytics.d_artists a ON f.artist_id = a.artist_id`),
    ).toEqual([[15, 'Setanta matins', 'Elena', 269.58322, '2018-11-21']]);
  });

  it('keeps staging faithful: userid a string, "" for logged-out events', async () => {
    expect(await rows(warehouse, "SELECT count(*) FROM staging.s_events WHERE userid = ''")).toEqual([[286]]);
    expect(await rows(warehouse, "SELECT count(DISTINCT userid) FROM staging.s_events WHERE userid <> ''")).toEqual([[97]]);
  });

  it('takes each user from their latest event: 8 users changed level', async () => {
    // The level of the latest event by ts, computed independently from staging.
    const expected = await rows(warehouse, `SELECT CAST(userid AS INTEGER), level FROM (SELECT userid, level, row_number() OVER (PARTITION BY userid ORDER BY ts DESC) AS latest FROM staging.s_events WHERE userid <> '') AS ranked WHERE latest = 1 ORDER BY 1`);
    expect(await rows(warehouse, 'SELECT user_id, level FROM analytics.d_users ORDER BY user_id')).toEqual(expected);
    expect(await rows(warehouse, "SELECT count(*) FROM (SELECT userid FROM staging.s_events WHERE userid <> '' GROUP BY userid HAVING count(DISTINCT level) = 2)")).toEqual([[8]]);
  });

  it('keeps milliseconds in start_time and spans the measured range', async () => {
    const expected = await rows(warehouse, "SELECT CAST(TIMESTAMP 'epoch' + min(ts) / 1000.0 * INTERVAL '1 second' AS VARCHAR), CAST(TIMESTAMP 'epoch' + max(ts) / 1000.0 * INTERVAL '1 second' AS VARCHAR) FROM staging.s_events WHERE page = 'NextSong'");
    expect(await rows(warehouse, 'SELECT min(start_time), max(start_time) FROM analytics.f_songplays')).toEqual(expected);
    expect(expected[0][0]).toBe('2018-11-01 21:01:46.796');
    expect(await rows(warehouse, 'SELECT count(*) FROM analytics.f_songplays WHERE date_part(ms, start_time) % 1000 <> 0')).toEqual([[6820]]);
  });

  it('stores year 0 as NULL and keeps duration as duration', async () => {
    const [[zeroYears]] = await rows(warehouse, 'SELECT count(*) FROM staging.s_songs WHERE year = 0');
    expect(await rows(warehouse, 'SELECT count(*) FROM analytics.d_songs WHERE year IS NULL')).toEqual([[zeroYears]]);
    expect(await rows(warehouse, "SELECT year, duration FROM analytics.d_songs WHERE title = 'Soul Deep'")).toEqual([[1969, 148.03546]]);
  });

  it('builds d_time with weekday 0 = Sunday', async () => {
    // 2018-11-04 was a Sunday, 2018-11-05 a Monday.
    expect(await rows(warehouse, "SELECT DISTINCT weekday, day, month, year FROM analytics.d_time WHERE CAST(start_time AS DATE) IN (DATE '2018-11-04', DATE '2018-11-05') ORDER BY 1")).toEqual([
      [0, 4, 11, 2018],
      [1, 5, 11, 2018],
    ]);
    expect(await rows(warehouse, 'SELECT count(*) FROM analytics.d_time WHERE hour <> EXTRACT(HOUR FROM start_time) OR week <> EXTRACT(WEEK FROM start_time)')).toEqual([[0]]);
  });

  it('is idempotent: running again gives the same tables', async () => {
    const before = await rows(warehouse, 'SELECT start_time, user_id, level, song_id, session_id FROM analytics.f_songplays ORDER BY 1, 2, 5');
    const again = await runAll(warehouse, { sources: { songData: join(COURSE_DATA, 'song_data'), logData, logJsonpaths: jsonpaths } });
    expect(again.finished.ok).toBe(true);
    expect(again.finished.tableRows).toEqual(finished.tableRows);
    expect(await rows(warehouse, 'SELECT start_time, user_id, level, song_id, session_id FROM analytics.f_songplays ORDER BY 1, 2, 5')).toEqual(before);
  });

  it('stages the files once when the etl runs again, or a run resumes from a load step', async () => {
    const sources = { songData: join(COURSE_DATA, 'song_data'), logData, logJsonpaths: jsonpaths };
    const etl = await runAll(warehouse, { sources, scope: 'etl' });
    expect(etl.finished.ok).toBe(true);
    expect(etl.finished.tableRows).toEqual(finished.tableRows);
    const resumed = await runAll(warehouse, { sources }, { fromStep: 'load-events' });
    expect(resumed.finished.ok).toBe(true);
    expect(resumed.finished.tableRows).toEqual(finished.tableRows);
  });
});

describe('pipeline on the course data (song_data_s3_partial)', () => {
  it('agrees with the measured counts: 1,944 objects, 1,943 songs, 1,809 artists, 39 matched plays', async () => {
    const warehouse = await DuckDbWarehouse.open({ path: ':memory:' });
    try {
      const { finished } = await runAll(warehouse, { sources: { songData: join(COURSE_DATA, 'song_data_s3_partial'), logData, logJsonpaths: jsonpaths } });
      expect(finished.ok).toBe(true);
      expect(finished.tableRows).toMatchObject({
        'staging.s_songs': 1944,
        'analytics.d_songs': 1943,
        'analytics.d_artists': 1809,
        'analytics.f_songplays': 6820,
      });
      expect(await rows(warehouse, 'SELECT count(song_id), count(artist_id) FROM analytics.f_songplays')).toEqual([[39, 39]]);
      // On title + artist alone there would be 41: duration matters.
      expect(
        await rows(warehouse, `SELECT count(*) FROM staging.s_events e WHERE page = 'NextSong' AND EXISTS (SELECT 1 FROM staging.s_songs s WHERE s.title = e.song AND s.artist_name = e.artist)`),
      ).toEqual([[41]]);
    } finally {
      await warehouse.close();
    }
  });

  it("loads events with 'auto ignorecase' when no jsonpaths file is given", async () => {
    const warehouse = await DuckDbWarehouse.open({ path: ':memory:' });
    try {
      const { finished } = await runAll(warehouse, { sources: { songData: join(COURSE_DATA, 'song_data'), logData } });
      expect(finished.ok).toBe(true);
      expect(await rows(warehouse, 'SELECT count(*), count(firstname), count(useragent), count(iteminsession) FROM staging.s_events')).toEqual([[8056, 7770, 7770, 8056]]);
    } finally {
      await warehouse.close();
    }
  });
});
