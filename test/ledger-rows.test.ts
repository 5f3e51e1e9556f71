// The rows each source file gave, in the ledger: a full run over the course
// data records every file with its count (worked out here with JSON.parse,
// and summing to what staging holds), an incremental run records its new
// files, and a load that failed leaves no count behind; on Serverless the
// counts come from sys_load_detail, the view a workgroup has.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planRun, runRecorded } from '../src/pipeline/ledger/run.js';
import type { RunMode } from '../src/pipeline/model.js';
import { DuckDbWarehouse } from '../src/pipeline/warehouse/duckdb.js';
import { RedshiftDataWarehouse } from '../src/pipeline/warehouse/redshift-data.js';
import type { Warehouse } from '../src/pipeline/warehouse/types.js';
import { COURSE_DATA } from './helpers/cli.js';
import { rows } from './helpers/pipeline.js';
import { applyTestCredentials, startDataApi } from './fakes/aws/data-api-harness.js';

const scratch = mkdtempSync(join(tmpdir(), 'sparkify-ledger-rows-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
process.env.SPARKIFY_HOME = join(scratch, 'home');
const days = join(COURSE_DATA, 'log_data', '2018', '11');
const dayFiles = readdirSync(days).sort();
const logDir = join(scratch, 'log_data', '2018', '11');
mkdirSync(logDir, { recursive: true });
cpSync(join(COURSE_DATA, 'song_data'), join(scratch, 'song_data'), { recursive: true });
const sources = { songData: join(scratch, 'song_data'), logData: join(scratch, 'log_data'), logJsonpaths: join(COURSE_DATA, 'log_json_path.json') };

/** Events in a file, counted without SQL: one JSON object per non-blank line. */
const eventsIn = (file: string) => readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown).length;

async function run(warehouse: Warehouse, mode: RunMode) {
  const planned = await planRun(warehouse, { scope: 'run', mode, sources });
  let ok = false;
  for await (const event of runRecorded(warehouse, planned)) if (event.type === 'run-finished') ok = event.ok;
  return { ok, runId: planned.record.runId };
}

const recorded = async (warehouse: Warehouse, where = '') =>
  new Map((await rows(warehouse, `SELECT source_uri, rows_loaded FROM sparkify.loaded_files ${where}`)).map(([uri, n]) => [String(uri), n === null ? null : Number(n)]));

describe('rows per file in the ledger', () => {
  it('counts a file too big to share a read with others on its own, and small ones together', async () => {
    const root = join(scratch, 'sizes');
    const lines = readFileSync(join(days, dayFiles[14]), 'utf8').split('\n').filter((l) => l.trim() !== '');
    mkdirSync(join(root, 'log_data'), { recursive: true });
    let big = '';
    for (let n = 0; big.length < 40 * 1024 ** 2; n++) big += lines[n % lines.length] + '\n';
    writeFileSync(join(root, 'log_data', 'big-events.json'), big);
    for (const f of dayFiles.slice(0, 2)) cpSync(join(days, f), join(root, 'log_data', f));
    const warehouse = await DuckDbWarehouse.open({ path: ':memory:' });
    try {
      const planned = await planRun(warehouse, { scope: 'run', mode: 'full', sources: { ...sources, logData: join(root, 'log_data') } });
      for await (const event of runRecorded(warehouse, planned)) if (event.type === 'run-finished') expect(event.ok).toBe(true);
      const counts = await recorded(warehouse, "WHERE staging_table = 'staging.s_events'");
      expect(counts).toEqual(new Map([['big-events.json', big], ...dayFiles.slice(0, 2).map((f) => [f, readFileSync(join(days, f), 'utf8')])].map(([f, text]) => [join(root, 'log_data', f), text.split('\n').filter((l) => l.trim() !== '').length])));
    } finally {
      await warehouse.close();
    }
  });

  it('records what each file gave, in the run that loaded it', async () => {
    const warehouse = await DuckDbWarehouse.open({ path: join(scratch, 'warehouse.duckdb') });
    try {
      dayFiles.slice(0, 27).forEach((f) => cpSync(join(days, f), join(logDir, f)));
      expect((await run(warehouse, 'full')).ok).toBe(true);
      const full = await recorded(warehouse);
      expect(full.size).toBe(71 + 27);
      for (const f of dayFiles.slice(0, 27)) expect(full.get(join(logDir, f)), f).toBe(eventsIn(join(days, f)));
      const songs = [...full].filter(([uri]) => uri.includes('song_data'));
      expect(songs.every(([, n]) => n === 1)).toBe(true);
      const [[events, songRows]] = await rows(warehouse, 'SELECT (SELECT COUNT(*) FROM staging.s_events), (SELECT COUNT(*) FROM staging.s_songs)');
      const sums = await rows(warehouse, "SELECT staging_table, SUM(rows_loaded) FROM sparkify.loaded_files GROUP BY 1 ORDER BY 1");
      expect(sums.map(([t, n]) => [t, Number(n)])).toEqual([['staging.s_events', Number(events)], ['staging.s_songs', Number(songRows)]]);

      // A day whose load fails (a bad ts) is not recorded, nor is its count kept.
      const bad = join(logDir, dayFiles[27]);
      writeFileSync(bad, readFileSync(join(days, dayFiles[27]), 'utf8').replace(/"ts":(\d+)/, '"ts":"yesterday"'));
      expect((await run(warehouse, 'incremental')).ok).toBe(false);
      expect((await rows(warehouse, `SELECT COUNT(*) FROM stl_load_commits WHERE filename = '${bad}'`))[0][0]).toEqual(0);

      cpSync(join(days, dayFiles[27]), bad);
      dayFiles.slice(28).forEach((f) => cpSync(join(days, f), join(logDir, f)));
      const increment = await run(warehouse, 'incremental');
      expect(increment.ok).toBe(true);
      const added = await recorded(warehouse, `WHERE run_id = '${increment.runId}'`);
      expect(added).toEqual(new Map(dayFiles.slice(27).map((f) => [join(logDir, f), eventsIn(join(days, f))])));
      expect((await rows(warehouse, "SELECT SUM(rows_loaded) FROM sparkify.loaded_files WHERE staging_table = 'staging.s_events'"))[0][0]).toEqual(8056);
    } finally {
      await warehouse.close();
    }
  });

  it('on Serverless, reads them from sys_load_detail, the view a workgroup has', async () => {
    applyTestCredentials();
    const harness = await startDataApi();
    const warehouse = await RedshiftDataWarehouse.open({ workgroupName: 'wg', database: 'dev', region: 'us-west-2', endpoint: harness.url });
    try {
      expect(warehouse.serverless).toBe(true);
      const root = join(scratch, 'serverless');
      mkdirSync(join(root, 'log_data'), { recursive: true });
      for (const f of dayFiles.slice(0, 3)) cpSync(join(days, f), join(root, 'log_data', f));
      const planned = await planRun(warehouse, { scope: 'run', mode: 'full', sources: { ...sources, logData: join(root, 'log_data'), iamRole: 'arn:aws:iam::123456789012:role/r' } });
      expect(planned.steps.flatMap((step) => step.statements).find((st) => st.name === 'record the rows each file gave')?.sql).toContain('FROM sys_load_detail');
      for await (const event of runRecorded(warehouse, planned)) if (event.type === 'run-finished') expect(event.ok, event.error?.message).toBe(true);
      const counts = await recorded(warehouse, "WHERE staging_table = 'staging.s_events'");
      expect(counts).toEqual(new Map(dayFiles.slice(0, 3).map((f) => [join(root, 'log_data', f), eventsIn(join(days, f))])));
    } finally {
      await warehouse.close();
      await harness.close();
    }
  });
});
