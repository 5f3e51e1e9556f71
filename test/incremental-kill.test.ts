// SIGKILL in the middle of an incremental load and in the middle of the
// merge: afterwards the ledger and the tables agree (nothing of the killed
// increment is claimed or merged), and the next incremental run does the work
// once, giving the tables a full run gives.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'sparkify-kill-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const generated = join(scratch, 'generated');
const source = join(scratch, 'source');
const env = { SPARKIFY_HOME: join(scratch, 'home'), FORCE_COLOR: '0' };
const SOURCES = ['--song-data', join(source, 'song_data'), '--log-data', join(source, 'log_data'), '--log-jsonpaths', join(generated, 'log_json_path.json')];
let dayFiles: string[] = [];
const logDir = (root: string) => join(root, 'log_data', '2018', '11');

beforeAll(async () => {
  const made = await runCli(['sample', '--out', generated, '--scale', '30', '--seed', '3'], { env });
  expect(made.code, made.stderr).toBe(0);
  dayFiles = readdirSync(logDir(generated)).sort();
  cpSync(join(generated, 'song_data'), join(source, 'song_data'), { recursive: true });
  mkdirSync(logDir(source), { recursive: true });
}, 120_000);

const addDays = (from: number, to: number) => dayFiles.slice(from, to).forEach((f) => cpSync(join(logDir(generated), f), join(logDir(source), f)));

async function query(sql: string, databaseFile?: string): Promise<string[][]> {
  const result = await runCli(['query', '--format', 'csv', ...(databaseFile ? ['--database-file', databaseFile] : []), sql], { env });
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.trim().split('\n').slice(1).map((l) => l.split(','));
}

/** Starts an incremental run and SIGKILLs it as soon as stderr shows `marker`. */
async function killedAt(marker: string) {
  let sent = false;
  const result = await runCli(['run', '--incremental', ...SOURCES], {
    env,
    onStderr: (child, text) => {
      if (!sent && text.includes(marker)) {
        sent = true;
        child.kill('SIGKILL');
      }
    },
  });
  expect(result.signal, result.stderr).toBe('SIGKILL');
}

/** What the ledger claims against what the tables hold. */
async function agreement() {
  const [[staged, recorded, plays, nextSongs, files]] = (await query(
    'SELECT (SELECT COUNT(*) FROM staging.s_events), (SELECT row_count FROM sparkify.staged_rows WHERE staging_table = \'staging.s_events\'), ' +
      "(SELECT COUNT(*) FROM analytics.f_songplays), (SELECT COUNT(*) FROM staging.s_events WHERE page = 'NextSong'), " +
      "(SELECT COUNT(*) FROM sparkify.loaded_files WHERE staging_table = 'staging.s_events')",
  )) as [string[]];
  return { staged: Number(staged), recorded: Number(recorded), plays: Number(plays), nextSongs: Number(nextSongs), files: Number(files) };
}

const SNAPSHOT = 'SELECT (SELECT COUNT(*) FROM analytics.f_songplays), (SELECT COUNT(*) FROM analytics.d_users), (SELECT COUNT(*) FROM analytics.d_time), (SELECT COUNT(*) FROM staging.s_events), (SELECT COUNT(*) FROM analytics.d_songs)';

describe('an incremental run killed with SIGKILL', () => {
  it('leaves the ledger and the tables agreeing, and the next run completes the work once', async () => {
    addDays(0, 5);
    expect((await runCli(['run', ...SOURCES], { env })).code).toBe(0);
    const before = await agreement();
    expect(before).toMatchObject({ staged: before.recorded, plays: before.nextSongs, files: 5 });

    addDays(5, 20);
    await killedAt('▶ Load the new event files');
    expect(await agreement()).toEqual(before);

    await killedAt('▶ Merge the increment into the star schema');
    expect(await agreement()).toEqual(before);
    const runs = JSON.parse((await runCli(['runs', '--format', 'json', '--last', '2'], { env })).stdout) as { outcome: string }[];
    expect(runs.map((r) => r.outcome)).toEqual(['running', 'running']);

    const next = await runCli(['run', '--incremental', ...SOURCES], { env });
    expect(next.code, next.stderr).toBe(0);
    const after = await agreement();
    expect(after).toMatchObject({ staged: after.recorded, plays: after.nextSongs, files: 20 });

    const full = join(scratch, 'full.duckdb');
    expect((await runCli(['run', ...SOURCES, '--database-file', full], { env })).code).toBe(0);
    expect(await query(SNAPSHOT)).toEqual(await query(SNAPSHOT, full));
  });
});
