// The ledger on both engines: made on first use, upgraded in place, a run's
// row, statements, checks and row counts written as it goes, a cancelled or
// failed run recorded as such, and the history read back.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../src/pipeline/warehouse/duckdb.js';
import { RedshiftDataWarehouse } from '../src/pipeline/warehouse/redshift-data.js';
import type { Warehouse } from '../src/pipeline/warehouse/types.js';
import { buildPlan } from '../src/pipeline/plan.js';
import { runPipeline } from '../src/pipeline/runner.js';
import type { PipelineEvent } from '../src/pipeline/events.js';
import { ensureLedger, ledgerVersion, LEDGER_VERSION } from '../src/pipeline/ledger/schema.js';
import { newRunRecord, recordRun } from '../src/pipeline/ledger/recorder.js';
import { findRun, listRuns, statementRuns, stepDurations } from '../src/pipeline/ledger/history.js';
import { writeFileList } from '../src/pipeline/ledger/file-list.js';
import { ledgerStatements } from '../src/pipeline/ledger/files.js';
import { COURSE_DATA, COURSE_TABLE_ROWS } from './helpers/cli.js';
import { rows } from './helpers/pipeline.js';
import { startDataApi, applyTestCredentials, type DataApiHarness } from './fakes/aws/data-api-harness.js';

const SOURCES = { songData: `${COURSE_DATA}/song_data`, logData: `${COURSE_DATA}/log_data`, logJsonpaths: `${COURSE_DATA}/log_json_path.json` };

async function recordedRun(warehouse: Warehouse, options: { signal?: AbortSignal; sources?: typeof SOURCES; onEvent?: (e: PipelineEvent) => void } = {}) {
  await ensureLedger(warehouse);
  const steps = await buildPlan({ scope: 'run', sources: options.sources ?? SOURCES });
  const record = newRunRecord('full');
  let finished: Extract<PipelineEvent, { type: 'run-finished' }> | undefined;
  for await (const event of recordRun(warehouse, runPipeline(warehouse, steps, { signal: options.signal }), record)) {
    options.onEvent?.(event);
    if (event.type === 'run-finished') finished = event;
  }
  return { record, finished: finished! };
}

const engines: { name: string; open(): Promise<Warehouse>; close?(): Promise<void> }[] = [
  { name: 'local', open: () => DuckDbWarehouse.open({ path: ':memory:' }) },
  (() => {
    let fake: DataApiHarness | undefined;
    return {
      name: 'redshift (Data API fake)',
      async open() {
        applyTestCredentials();
        fake = await startDataApi({ stateDelayMs: 1, clusters: { ledger: { iamRoles: ['arn:aws:iam::000000000000:role/sparkify-local'] } } });
        return RedshiftDataWarehouse.open({ clusterIdentifier: 'ledger', database: 'dev', dbUser: 'awsuser', region: 'us-west-2', endpoint: fake.url });
      },
      close: async () => fake?.close(),
    };
  })(),
];

describe.each(engines)('the ledger on $name', (engine) => {
  let warehouse: Warehouse;
  const ready = engine.open().then((w) => (warehouse = w));
  afterAll(async () => {
    await ready;
    await warehouse.close();
    await engine.close?.();
  });

  it('is made on first use, at the newest version, and left alone after', async () => {
    await ready;
    expect(await ledgerVersion(warehouse)).toBeUndefined();
    expect(await ensureLedger(warehouse)).toBe('created');
    expect(await ledgerVersion(warehouse)).toBe(LEDGER_VERSION);
    expect(await ensureLedger(warehouse)).toBe('ready');
  });

  it('records a run: its row, every statement, the checks and the row counts; the next run sees the change', async () => {
    await ready;
    const first = await recordedRun(warehouse);
    expect(first.finished.ok).toBe(true);
    expect(first.finished.previousTableRows).toBeUndefined();
    const second = await recordedRun(warehouse);
    expect(second.finished.previousTableRows).toEqual(COURSE_TABLE_ROWS);

    const [latest, earlier] = await listRuns(warehouse, 5);
    expect(latest).toMatchObject({ runId: second.record.runId, mode: 'full', outcome: 'succeeded', exitCode: 0, analytics: 'refreshed', checks: { passed: 10, total: 10 } });
    expect(earlier.runId).toBe(first.record.runId);
    expect(latest.tableRows).toEqual(COURSE_TABLE_ROWS);
    expect(latest.finishedAt! - latest.startedAt).toBeGreaterThanOrEqual(0);

    const steps = await buildPlan({ scope: 'run', sources: SOURCES });
    const statements = await statementRuns(warehouse, latest.runId);
    expect(statements.map((s) => s.statementId).sort()).toEqual(steps.flatMap((s) => s.statements.map((t) => t.id)).sort());
    expect(statements.find((s) => s.name === 'load staging.s_events')).toMatchObject({ rows: COURSE_TABLE_ROWS['staging.s_events'], status: 'FINISHED' });
    expect((await findRun(warehouse, latest.runId.slice(0, 8))).runId).toBe(latest.runId);

    const durations = await stepDurations(warehouse, 10);
    for (const step of steps) expect(durations[step.id], step.id).toHaveLength(2);
  });

  it('records a failed run with the step it failed at, and a cancelled one as cancelled', async () => {
    await ready;
    const failed = await recordedRun(warehouse, { sources: { ...SOURCES, logData: `${COURSE_DATA}/no_such_folder` } });
    expect(failed.finished.ok).toBe(false);
    expect((await listRuns(warehouse, 1))[0]).toMatchObject({ runId: failed.record.runId, outcome: 'failed', failedStep: 'load-events', analytics: 'unchanged' });

    const controller = new AbortController();
    const cancelled = await recordedRun(warehouse, { signal: controller.signal, onEvent: (e) => e.type === 'step-finished' && controller.abort() });
    expect(cancelled.finished.cancelled).toBe(true);
    expect((await listRuns(warehouse, 1))[0]).toMatchObject({ runId: cancelled.record.runId, outcome: 'cancelled' });
  });
});

describe('a ledger made by an older sparkify', () => {
  it('is upgraded in place: the new columns are added, the runs kept, the version moved on', async () => {
    const warehouse = await DuckDbWarehouse.open({ path: ':memory:' });
    try {
      await ensureLedger(warehouse);
      // Version 1 had no from_step or failed_step.
      await warehouse.execute('ALTER TABLE sparkify.runs DROP COLUMN from_step');
      await warehouse.execute('ALTER TABLE sparkify.runs DROP COLUMN failed_step');
      await warehouse.execute("INSERT INTO sparkify.runs (run_id, started_at, target, mode, outcome) VALUES ('old-run', TIMESTAMP '2026-01-01 00:00:00', 'local', 'full', 'succeeded')");
      await warehouse.execute('UPDATE sparkify.schema_version SET version = 1');
      expect(await ensureLedger(warehouse)).toEqual({ upgradedFrom: 1 });
      expect(await ledgerVersion(warehouse)).toBe(LEDGER_VERSION);
      const columns = await rows(warehouse, "SELECT column_name FROM information_schema.columns WHERE table_schema = 'sparkify' AND table_name = 'runs'");
      expect(columns.map((c) => c[0])).toEqual(expect.arrayContaining(['from_step', 'failed_step']));
      expect((await listRuns(warehouse, 5)).map((r) => r.runId)).toEqual(['old-run']);
    } finally {
      await warehouse.close();
    }
  });

  it.each(engines)('on $name, takes source URIs of 4096 bytes once upgraded from version 3, keeping the files it held', async (engine) => {
    const warehouse = await engine.open();
    const folder = mkdtempSync(join(tmpdir(), 'sparkify-ledger-upgrade-'));
    try {
      await ensureLedger(warehouse);
      // Version 3 held source URIs of at most 2048 bytes.
      await warehouse.execute('DROP TABLE sparkify.loaded_files');
      await warehouse.execute(
        'CREATE TABLE sparkify.loaded_files (staging_table VARCHAR(128) NOT NULL, source_uri VARCHAR(2048) NOT NULL SORTKEY, size_bytes BIGINT, ' +
          'version_tag VARCHAR(128), run_id VARCHAR(40) NOT NULL, loaded_at TIMESTAMP NOT NULL, rows_loaded BIGINT) DISTSTYLE ALL',
      );
      await warehouse.execute("INSERT INTO sparkify.loaded_files VALUES ('staging.s_songs', '/songs/a.json', 10, '1', 'old-run', TIMESTAMP '2026-01-01 00:00:00', 1)");
      await warehouse.execute('UPDATE sparkify.schema_version SET version = 3');
      expect(await ensureLedger(warehouse)).toEqual({ upgradedFrom: 3 });
      expect(await ledgerVersion(warehouse)).toBe(LEDGER_VERSION);
      expect(await rows(warehouse, 'SELECT source_uri, size_bytes, rows_loaded FROM sparkify.loaded_files')).toEqual([['/songs/a.json', 10, 1]]);

      const long = `/songs/${'d'.repeat(250)}/`.repeat(15) + 'song.json';
      expect(Buffer.byteLength(long)).toBeGreaterThan(3800);
      const file = { uri: long, size: 20, tag: '2' };
      const selection = { table: 'staging.s_songs', load: [file], changed: [], kept: [], gone: [], outsideDates: 0 };
      const loadedAt = new Date();
      const list = join(folder, 'list.csv');
      await writeFileList(list, 'new-run', [selection], loadedAt);
      const record = ledgerStatements('new-run', [selection], 'incremental', [], 'stl_load_commits', warehouse.target === 'local' ? { path: list, loadedAt } : undefined).filter(
        (s) => s.sql.includes('INTO sparkify.loaded_files') || s.sql.startsWith('COPY sparkify.loaded_files'),
      );
      for (const statement of record) await warehouse.execute(statement.sql);
      expect(await rows(warehouse, "SELECT source_uri FROM sparkify.loaded_files WHERE run_id = 'new-run'")).toEqual([[long]]);
    } finally {
      await warehouse.close();
      await engine.close?.();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('newer than this sparkify is refused with what to do', async () => {
    const warehouse = await DuckDbWarehouse.open({ path: ':memory:' });
    try {
      await ensureLedger(warehouse);
      await warehouse.execute(`UPDATE sparkify.schema_version SET version = ${LEDGER_VERSION + 1}`);
      await expect(ensureLedger(warehouse)).rejects.toThrow(/newer than this sparkify/);
    } finally {
      await warehouse.close();
    }
  });
});
