// The incremental invariant: a full run over all files and any sequence of
// incremental runs over any split of the same files into batches give the
// same tables (songplay_id aside). fast-check draws the splits over generated
// course-shaped data (songs split too, so new songs meet old events), on the
// local engine and through the Data API fake. And with files changed after
// they were loaded and reloaded (--reload-changed), the tables of a full run
// over the files as they are now.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSample } from '../src/pipeline/sample/generate.js';
import { DuckDbWarehouse } from '../src/pipeline/warehouse/duckdb.js';
import { RedshiftDataWarehouse } from '../src/pipeline/warehouse/redshift-data.js';
import type { Warehouse } from '../src/pipeline/warehouse/types.js';
import type { RunMode } from '../src/pipeline/model.js';
import { planRun, runRecorded } from '../src/pipeline/ledger/run.js';
import { rows } from './helpers/pipeline.js';
import { startDataApi, applyTestCredentials, type DataApiHarness } from './fakes/aws/data-api-harness.js';

const scratch = mkdtempSync(join(tmpdir(), 'sparkify-increment-'));
const generated = join(scratch, 'generated');
const previousHome = process.env.SPARKIFY_HOME;
let songFiles: string[] = [];
let eventFiles: string[] = [];

beforeAll(async () => {
  process.env.SPARKIFY_HOME = join(scratch, 'home');
  await generateSample({ out: generated, scale: 0.3, seed: 7 });
  const files = (dir: string) =>
    readdirSync(join(generated, dir), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => relative(generated, join(e.parentPath, e.name)))
      .sort();
  songFiles = files('song_data');
  eventFiles = files('log_data');
}, 60_000);
afterAll(() => {
  process.env.SPARKIFY_HOME = previousHome;
  rmSync(scratch, { recursive: true, force: true });
});

/** The analytics tables without songplay_id, each sorted, to compare. */
const TABLES: Record<string, string> = {
  f_songplays: 'SELECT start_time, user_id, level, song_id, artist_id, session_id, location, user_agent FROM analytics.f_songplays',
  d_users: 'SELECT * FROM analytics.d_users',
  d_songs: 'SELECT * FROM analytics.d_songs',
  d_artists: 'SELECT * FROM analytics.d_artists',
  d_time: 'SELECT * FROM analytics.d_time',
  s_events: 'SELECT COUNT(*) FROM staging.s_events',
};

async function snapshot(warehouse: Warehouse): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const [name, sql] of Object.entries(TABLES)) out[name] = (await rows(warehouse, sql)).map((r) => JSON.stringify(r)).sort();
  return out;
}

let folders = 0;
/** A source folder holding the given files of the generated data. */
function sourceFolder(): { root: string; add(files: string[]): void } {
  const root = join(scratch, `source-${folders++}`);
  mkdirSync(join(root, 'song_data'), { recursive: true });
  mkdirSync(join(root, 'log_data'), { recursive: true });
  return {
    root,
    add(files) {
      for (const file of files) {
        mkdirSync(dirname(join(root, file)), { recursive: true });
        cpSync(join(generated, file), join(root, file));
      }
    },
  };
}

async function run(warehouse: Warehouse, root: string, mode: RunMode, reloadChanged = false): Promise<void> {
  const sources = { songData: join(root, 'song_data'), logData: join(root, 'log_data'), logJsonpaths: join(generated, 'log_json_path.json') };
  const planned = await planRun(warehouse, { scope: 'run', mode, sources, reloadChanged });
  let finished: unknown;
  for await (const event of runRecorded(warehouse, planned)) if (event.type === 'run-finished') finished = event;
  expect(finished, JSON.stringify((finished as { error?: unknown }).error)).toMatchObject({ ok: true });
}

interface Engine {
  name: string;
  runs: number;
  open(): Promise<Warehouse>;
  setup?(): Promise<void>;
  teardown?(): Promise<void>;
}

let fake: DataApiHarness | undefined;
const ENGINES: Engine[] = [
  { name: 'local', runs: 6, open: () => DuckDbWarehouse.open({ path: ':memory:' }) },
  {
    name: 'redshift (Data API fake)',
    runs: 2,
    setup: async () => {
      applyTestCredentials();
      fake = await startDataApi({ stateDelayMs: 0, clusters: { increment: { iamRoles: ['arn:aws:iam::000000000000:role/sparkify-local'] } } });
    },
    teardown: async () => fake?.close(),
    // The fake holds one database for every cluster: each warehouse starts from an empty one.
    async open() {
      const warehouse = await RedshiftDataWarehouse.open({ clusterIdentifier: 'increment', database: 'dev', dbUser: 'awsuser', region: 'us-west-2', endpoint: fake!.url });
      for (const schema of ['analytics', 'staging', 'sparkify']) await warehouse.execute(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      return warehouse;
    },
  },
];

/** Each file's batch: a split of the files into up to `batches` incremental runs. */
const splits = (batches: number) =>
  fc.record({
    batches: fc.integer({ min: 1, max: batches }),
    songs: fc.array(fc.nat(batches - 1), { minLength: 0, maxLength: 200 }),
    events: fc.array(fc.nat(batches - 1), { minLength: 0, maxLength: 200 }),
  });

describe.each(ENGINES)('incremental runs give the tables of a full run: $name', (engine) => {
  beforeAll(async () => engine.setup?.(), 60_000);
  afterAll(async () => engine.teardown?.());

  it('for any split of the files into batches', async () => {
    const full = await engine.open();
    let expected: Record<string, string[]>;
    try {
      const all = sourceFolder();
      all.add([...songFiles, ...eventFiles]);
      await run(full, all.root, 'full');
      expected = await snapshot(full);
    } finally {
      await full.close();
    }
    expect(expected.f_songplays.length).toBeGreaterThan(100);
    expect(expected.f_songplays.some((r) => !r.includes('null,null,'))).toBe(true);

    await fc.assert(
      fc.asyncProperty(splits(4), async (split) => {
        const batchOf = (pick: number[], i: number) => (pick[i] ?? i) % split.batches;
        const warehouse = await engine.open();
        try {
          const folder = sourceFolder();
          for (let batch = 0; batch < split.batches; batch++) {
            folder.add(songFiles.filter((_, i) => batchOf(split.songs, i) === batch));
            folder.add(eventFiles.filter((_, i) => batchOf(split.events, i) === batch));
            await run(warehouse, folder.root, 'incremental');
          }
          // The same increment again adds nothing.
          await run(warehouse, folder.root, 'incremental');
          expect(await snapshot(warehouse)).toEqual(expected);
        } finally {
          await warehouse.close();
        }
      }),
      { numRuns: engine.runs, seed: 20181101 },
    );
  }, 300_000);

  it('with files changed after they were loaded, reloaded, for any split and any change', async () => {
    await fc.assert(
      fc.asyncProperty(
        splits(3),
        fc.record({ events: fc.array(fc.nat(), { maxLength: 3 }), songs: fc.array(fc.nat(), { maxLength: 3 }) }),
        async (split, change) => {
          const batchOf = (pick: number[], i: number) => (pick[i] ?? i) % split.batches;
          const folder = sourceFolder();
          let reloaded: Record<string, string[]>;
          const warehouse = await engine.open();
          try {
            for (let batch = 0; batch < split.batches; batch++) {
              folder.add(songFiles.filter((_, i) => batchOf(split.songs, i) === batch));
              folder.add(eventFiles.filter((_, i) => batchOf(split.events, i) === batch));
              await run(warehouse, folder.root, 'incremental');
            }
            // An event file loses its later half (its plays and users' latest events with it); a song gets another title (plays matched to it no longer are).
            for (const i of change.events) {
              const file = join(folder.root, eventFiles[i % eventFiles.length]);
              const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
              writeFileSync(file, lines.slice(0, Math.ceil(lines.length / 2)).join('\n') + '\n');
            }
            for (const i of change.songs) {
              const file = join(folder.root, songFiles[i % songFiles.length]);
              const song = JSON.parse(readFileSync(file, 'utf8')) as { title: string };
              writeFileSync(file, JSON.stringify({ ...song, title: `${song.title} (live)` }));
            }
            await run(warehouse, folder.root, 'incremental', true);
            reloaded = await snapshot(warehouse);
          } finally {
            await warehouse.close();
          }
          // A full run over the files as they are now, on a warehouse of its own.
          const full = await engine.open();
          try {
            await run(full, folder.root, 'full');
            expect(reloaded).toEqual(await snapshot(full));
          } finally {
            await full.close();
          }
        },
      ),
      { numRuns: engine.runs, seed: 20181130 },
    );
  }, 300_000);
});
