// The data-quality checks as planned from sql/06_checks.sql: the fact table's
// six checks answered by one query (one scan), each still its own statement
// with its own name and failing rows, on a star schema with known defects.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckOutcome, PipelineEvent, PlannedStep } from '../src/pipeline/events.js';
import { buildPlan } from '../src/pipeline/plan.js';
import { runPipeline } from '../src/pipeline/runner.js';
import { splitStatements } from '../src/pipeline/sql/tokenizer.js';
import { DuckDbWarehouse } from '../src/pipeline/warehouse/duckdb.js';

const NAMES = [
  'd_users.user_id is unique and not null',
  'd_songs.song_id is unique and not null',
  'd_artists.artist_id is unique and not null',
  'd_time.start_time is unique and not null',
  'f_songplays.songplay_id is unique and not null',
  'every play has a user in d_users',
  "every play's start_time is in d_time",
  "every matched play's song is in d_songs",
  "every matched play's artist is in d_artists",
  'one play per NextSong event staged',
];

// Tables of the model's shape without its keys, so the defects can be stored.
const DEFECTS = [
  'CREATE SCHEMA staging',
  'CREATE SCHEMA analytics',
  'CREATE TABLE staging.s_events (page VARCHAR)',
  'CREATE TABLE analytics.d_users (user_id INTEGER)',
  'CREATE TABLE analytics.d_songs (song_id VARCHAR)',
  'CREATE TABLE analytics.d_artists (artist_id VARCHAR)',
  'CREATE TABLE analytics.d_time (start_time TIMESTAMP)',
  'CREATE TABLE analytics.f_songplays (songplay_id BIGINT, start_time TIMESTAMP, user_id INTEGER, song_id VARCHAR, artist_id VARCHAR)',
  // User 1 twice and a NULL user: 2 failing rows; a song twice: 1.
  'INSERT INTO analytics.d_users VALUES (1), (1), (NULL)',
  "INSERT INTO analytics.d_songs VALUES ('S1'), ('S1')",
  "INSERT INTO analytics.d_artists VALUES ('A1')",
  "INSERT INTO analytics.d_time VALUES ('2018-11-01 00:00:00'), ('2018-11-02 00:00:00')",
  // Play 1 twice and a NULL id (2); user 2 unknown and a NULL user (2); one
  // start_time not in d_time (1), one unknown song (1), one unknown artist (1).
  // User 1 and song S1 are duplicated in their dimensions: their plays must
  // count once, not once per duplicate.
  `INSERT INTO analytics.f_songplays VALUES
     (0, '2018-11-01 00:00:00', 1, 'S1', 'A1'),
     (1, '2018-11-01 00:00:00', 2, NULL, NULL),
     (1, '2018-11-03 00:00:00', NULL, 'S2', 'A1'),
     (NULL, '2018-11-02 00:00:00', 1, 'S1', 'A2')`,
  // Six NextSong events for four plays: 2.
  "INSERT INTO staging.s_events VALUES ('NextSong'), ('NextSong'), ('NextSong'), ('NextSong'), ('NextSong'), ('NextSong'), ('Home')",
];
const EXPECTED = [2, 1, 0, 0, 2, 2, 1, 1, 1, 2];

let warehouse: DuckDbWarehouse;
let checks: PlannedStep;

beforeAll(async () => {
  warehouse = await DuckDbWarehouse.open({ path: ':memory:' });
  for (const sql of DEFECTS) await warehouse.execute(sql);
  const step = (await buildPlan({ scope: 'etl', skipStaging: true })).find((s) => s.role === 'check');
  if (!step) throw new Error('the plan has no check step');
  checks = { ...step, dependsOn: [] };
});

afterAll(async () => {
  await warehouse.close();
});

describe('data-quality checks', () => {
  it('keep one statement, id and name per check; the fact table shares one query', () => {
    expect(checks.statements.map((s) => s.name)).toEqual(NAMES);
    expect(checks.statements.map((s) => s.id)).toEqual(NAMES.map((_, i) => `checks.${i + 1}`));
    const fact = checks.statements.slice(4);
    expect(fact.map((s) => s.shared)).toEqual(fact.map((_, column) => ({ first: 'checks.5', column })));
    expect(new Set(fact.map((s) => s.sql)).size).toBe(1);
    expect(checks.statements.slice(0, 4).every((s) => s.shared === undefined)).toBe(true);
  });

  it('count each check\'s failing rows from the shared scan, each reported and failing on its own', async () => {
    const events: PipelineEvent[] = [];
    for await (const event of runPipeline(warehouse, [checks], { countTables: false })) events.push(event);
    const outcomes = events.filter((e): e is Extract<PipelineEvent, { type: 'check-finished' }> => e.type === 'check-finished').map((e) => e.outcome);
    const byId = new Map<string, CheckOutcome>(outcomes.map((o) => [o.name, o]));
    expect(NAMES.map((_, i) => byId.get(`checks.${i + 1}`)?.failingRows)).toEqual(EXPECTED);
    expect(NAMES.map((_, i) => byId.get(`checks.${i + 1}`)?.description)).toEqual(NAMES);
    expect(events.filter((e) => e.type === 'statement-finished')).toHaveLength(10);
    expect(events.at(-1)).toMatchObject({ type: 'run-finished', ok: false });
  });

  it('agree with each rule run as a query of its own', async () => {
    const own = [
      'SELECT COUNT(*) FROM analytics.f_songplays AS f LEFT JOIN analytics.d_users AS u ON f.user_id = u.user_id WHERE u.user_id IS NULL',
      'SELECT COUNT(*) FROM analytics.f_songplays AS f LEFT JOIN analytics.d_time AS t ON f.start_time = t.start_time WHERE t.start_time IS NULL',
      'SELECT COUNT(*) FROM analytics.f_songplays AS f LEFT JOIN analytics.d_songs AS s ON f.song_id = s.song_id WHERE f.song_id IS NOT NULL AND s.song_id IS NULL',
      'SELECT COUNT(*) FROM analytics.f_songplays AS f LEFT JOIN analytics.d_artists AS a ON f.artist_id = a.artist_id WHERE f.artist_id IS NOT NULL AND a.artist_id IS NULL',
    ];
    const counts: number[] = [];
    for (const sql of own) {
      const result = await warehouse.query(sql);
      for await (const page of result.pages()) counts.push(Number(page[0][0]));
    }
    expect(counts).toEqual(EXPECTED.slice(5, 9));
  });

  it('split a statement under several names into one name each, in order', () => {
    const [one, shared] = splitStatements('-- name: a\nSELECT 1;\n-- header\n-- name: b\n-- name: c\nSELECT 2, 3;');
    expect(one).toMatchObject({ name: 'a', sql: 'SELECT 1' });
    expect(one.names).toBeUndefined();
    expect(shared).toMatchObject({ name: 'c', names: ['b', 'c'], sql: 'SELECT 2, 3' });
  });
});
