// The pipeline screen driven by the real runner on a real DuckDB file over the
// course data, rendered with ink-testing-library.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SparkifyConfig } from '../src/pipeline/config.js';
import type { PipelineEvent, PlannedStep } from '../src/pipeline/events.js';
import type { ExecuteOptions, Warehouse } from '../src/pipeline/warehouse/types.js';
import { AppRoot, openConfiguredWarehouse } from '../src/ui/app.js';
import { initialPipelineState, pipelineReducer } from '../src/ui/hooks/pipeline-reducer.js';
import { until as waitUntil, untilReady } from './helpers/ink.js';
import { COURSE_DATA } from './helpers/cli.js';

let home: string;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'sparkify-pipeline-ui-'));
  process.env.SPARKIFY_HOME = home;
});

afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

const until = (check: () => boolean, what: () => string, timeoutMs = 30_000) => waitUntil(check, what, timeoutMs);

/**
 * The real DuckDB warehouse, with the events COPY held until the test lets it
 * go or the run cancels it: a long statement on demand.
 */
function heldLoad(options_: { slowToCancel?: boolean } = {}) {
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const open = async (config: SparkifyConfig): Promise<Warehouse> => {
    const warehouse = await openConfiguredWarehouse(config);
    const execute = warehouse.execute.bind(warehouse);
    warehouse.execute = async (sql: string, options?: ExecuteOptions) => {
      if (/^COPY staging\.s_events/m.test(sql)) {
        await new Promise<void>((resolve, reject) => {
          void released.then(resolve);
          if (!options_.slowToCancel) options?.signal?.addEventListener('abort', () => reject(options.signal!.reason), { once: true });
        });
      }
      return execute(sql, options);
    };
    return warehouse;
  };
  return { open, release };
}

function renderApp(config: SparkifyConfig, openWarehouse = openConfiguredWarehouse) {
  let exitCode: number | undefined;
  const app = render(<AppRoot config={config} openWarehouse={openWarehouse} onExitCode={(code) => (exitCode = code)} />);
  const frame = () => app.lastFrame() ?? '';
  const all = () => app.frames.join('\n');
  const waitFor = (text: string | RegExp, source = frame) => untilReady(() => (typeof text === 'string' ? source().includes(text) : text.test(source())), frame, 30_000);
  return { app, frame, all, waitFor, exitCode: () => exitCode };
}

type Rendered = Pick<ReturnType<typeof renderApp>, 'app' | 'waitFor'>;

/** Home → the pipeline screen, its plan ready. */
async function openPipeline({ app, waitFor }: Rendered): Promise<void> {
  await waitFor('p runs the pipeline');
  app.stdin.write('p');
  await waitFor('ready · r runs the pipeline');
}

/** Starts a run and waits until the held events load is under way. */
async function startHeldRun({ app, waitFor }: Rendered): Promise<void> {
  app.stdin.write('r');
  await waitFor(/load staging\.s_events \d+\.\ds/);
}

const courseConfig = (): SparkifyConfig => ({
  target: 'local',
  localDatabase: join(home, 'warehouse.duckdb'),
  sources: { songData: join(COURSE_DATA, 'song_data'), logData: join(COURSE_DATA, 'log_data'), logJsonpaths: join(COURSE_DATA, 'log_json_path.json') },
  redshift: {},
});

describe('pipeline screen', () => {
  it('lists the plan, runs it, prints finished statements and the summary, and marks every step done', async () => {
    const { app, frame, all, waitFor } = renderApp(courseConfig());
    await openPipeline({ app, waitFor });
    expect(frame()).toContain('plan 8 steps · skip-staging off');
    expect(frame()).toContain('❯ · Create schemas');
    // The model's 10 and the ledger's 5 it commits with the data: what the run will run.
    expect(frame()).toContain('Transform into the star schema ▸ 15 statements · one transaction');

    app.stdin.write('r');
    await waitFor('last run finished in');
    expect(frame()).toMatch(/✓ Transform into the star schema ▸ 15 statements · one transaction/);
    for (const title of ['Create schemas', 'Load staging.s_events', 'Transform into the star schema', 'Data-quality checks']) {
      expect(frame()).toMatch(new RegExp(`✓ ${title}`));
    }
    const transcript = all();
    expect(transcript).toMatch(/✓ load staging\.s_events .*· 8,056 rows/);
    expect(transcript).toMatch(/run finished in \d+\.\ds/);
    expect(transcript).toMatch(/analytics\.f_songplays +6,820/);
    expect(transcript).toMatch(/analytics\.d_users +97/);
    expect(transcript).toMatch(/checks: (\d+) of \1 passed/);
    app.unmount();
  });

  it("expands a step, shows a statement's SQL, and toggles skip-staging", async () => {
    const { app, frame, waitFor } = renderApp(courseConfig());
    await openPipeline({ app, waitFor });
    for (let i = 0; i < 5; i++) app.stdin.write('\u001B[B');
    await waitFor('❯ · Load staging.s_events');
    app.stdin.write('\r');
    // The load empties its table, then copies into it.
    await waitFor('▾ 2 statements');
    app.stdin.write('\u001B[B');
    await waitFor(/❯\s+· empty staging\.s_events/);
    app.stdin.write('\u001B[B');
    await waitFor(/❯\s+· load staging\.s_events/);
    app.stdin.write('v');
    await waitFor(/copy staging\.s_events/i);
    expect(frame()).toContain(join(COURSE_DATA, 'log_data'));
    app.stdin.write('v');
    await until(() => !/copy staging\.s_events/i.test(frame()), frame);

    app.stdin.write('k');
    await waitFor('skip-staging on');
    await waitFor('will be skipped');
    app.unmount();
  });

  it('while a run is under way the help line drops run, run-from and skip-load, and brings them back after', async () => {
    const held = heldLoad();
    const { app, frame, waitFor } = renderApp(courseConfig(), held.open);
    await waitFor('p runs the pipeline');
    app.stdin.write('p');
    await waitFor('r run  f run from  k skip load');
    await startHeldRun({ app, waitFor });
    expect(frame()).not.toMatch(/r run|f run from|k skip load|i incr/);
    expect(frame()).toContain('v show SQL');
    held.release();
    await waitFor('last run finished in');
    await waitFor('r run  f run from  k skip load');
    app.unmount();
  });

  it('a query started during a run does not unhook the run from Ctrl-C: the run is cancelled, nothing quits', async () => {
    const held = heldLoad();
    const { app, frame, all, waitFor, exitCode } = renderApp(courseConfig(), held.open);
    await openPipeline({ app, waitFor });
    await startHeldRun({ app, waitFor });
    app.stdin.write('s');
    await waitFor('sql>');
    app.stdin.write('SELECT 42 AS answer;');
    await waitFor('SELECT 42 AS answer;');
    app.stdin.write('\r');
    await waitFor(/✓ 1 row/);
    // The query has come and gone; the run still holds the header and Ctrl-C.
    expect(frame()).toMatch(/pipeline/);
    app.stdin.write('\u0003');
    await waitFor('run cancelled', all);
    expect(exitCode()).toBeUndefined();
    app.unmount();
  });

  it('q during a run cancels it first; a second q leaves with exit code 130', async () => {
    const held = heldLoad();
    const { app, all, waitFor, exitCode } = renderApp(courseConfig(), held.open);
    await openPipeline({ app, waitFor });
    await startHeldRun({ app, waitFor });
    app.stdin.write('q');
    await waitFor('run cancelled', all);
    expect(exitCode()).toBeUndefined();
    app.unmount();

    // A statement slow to stop (as on a cluster): the second q leaves while it still runs.
    const again = heldLoad({ slowToCancel: true });
    const second = renderApp(courseConfig(), again.open);
    await openPipeline(second);
    await startHeldRun(second);
    second.app.stdin.write('q');
    await second.waitFor('cancelling · press Ctrl-C again to leave');
    second.app.stdin.write('q');
    await until(() => second.exitCode() !== undefined, second.frame);
    expect(second.exitCode()).toBe(130);
    second.app.unmount();
  });

  it('two Ctrl-C in one read (a quick double press) cancel the run and leave with 130', async () => {
    const held = heldLoad({ slowToCancel: true });
    const { app, frame, exitCode, waitFor } = renderApp(courseConfig(), held.open);
    await openPipeline({ app, waitFor });
    await startHeldRun({ app, waitFor });
    app.stdin.write('\u0003\u0003');
    await until(() => exitCode() !== undefined, frame);
    expect(exitCode()).toBe(130);
    app.unmount();
  });

  it("scrolls the transform's SQL line by line and by page, wrapping long lines instead of cutting them", async () => {
    const { app, frame, waitFor } = renderApp(courseConfig());
    await openPipeline({ app, waitFor });
    for (let i = 0; i < 6; i++) app.stdin.write('\u001B[B');
    await waitFor('❯ · Transform into the star schema');
    app.stdin.write('v');
    await waitFor(/lines 1–\d+ of \d+ · ↑↓ PgUp\/PgDn scroll/);
    const total = Number(/of (\d+) ·/.exec(frame())![1]);
    expect(frame()).toContain('-- delete analytics.f_songplays');
    app.stdin.write('\u001B[B');
    await waitFor(/lines 2–/);
    app.stdin.write('\u001B[6~');
    await waitFor(/lines \d{2,}–/);
    // The model's statements and the ledger's after them: more pages than there are.
    for (let i = 0; i < 40; i++) app.stdin.write('\u001B[6~');
    await waitFor(new RegExp(`lines \\d+–${total} of ${total}`));
    // The fact's insert, cut at 80 columns before, now wraps onto the next line.
    for (let i = 0; i < 40; i++) app.stdin.write('\u001B[5~');
    await waitFor(/lines 1–/);
    let seen = frame();
    // Page down, each page once it is drawn, until the fact's insert is on screen.
    while (!seen.includes('INSERT INTO analytics.f_songplays') && !seen.includes(`–${total} of ${total}`)) {
      const at = /lines (\d+)–/.exec(seen)![1];
      app.stdin.write('\u001B[6~');
      await until(() => /lines (\d+)–/.exec(frame())?.[1] !== at, frame);
      seen = frame();
    }
    expect(seen).toContain('INSERT INTO analytics.f_songplays (start_time, user_id, level,');
    expect(seen).not.toMatch(/INSERT INTO analytics\.f_songplays .*…/);
    app.stdin.write('\u001B');
    await until(() => !frame().includes('PgUp/PgDn scroll'), frame);
    app.unmount();
  });

  it('shows a plan problem instead of a plan when no sources are configured', async () => {
    const { app, waitFor } = renderApp({ target: 'local', localDatabase: join(home, 'w.duckdb'), sources: {}, redshift: {} });
    await waitFor('p runs the pipeline');
    app.stdin.write('p');
    await waitFor('no data sources: the load needs song and event files');
    app.unmount();
  });
});

describe('pipeline reducer', () => {
  const step = (id: string, atomic: boolean): PlannedStep => ({
    id,
    title: id,
    role: atomic ? 'refresh' : 'create',
    dependsOn: [],
    atomic,
    parallel: false,
    checks: false,
    statements: [1, 2].map((n) => ({ id: `${id}.${n}`, name: `${id} ${n}`, sql: 'select 1' })),
  });
  const run = (events: PipelineEvent[]) =>
    events.reduce((state, event) => pipelineReducer(state, { type: 'event', event }), initialPipelineState());
  const started = (stepId: string, n: number): PipelineEvent => ({ type: 'statement-started', stepId, statementId: `${stepId}.${n}`, at: 0 });
  const finished = (stepId: string, n: number): PipelineEvent => ({
    type: 'statement-finished',
    stepId,
    statementId: `${stepId}.${n}`,
    rowsAffected: 0,
    engineMs: 1,
    wallMs: 1,
    at: 0,
  });
  const status = (stepId: string, n: number): PipelineEvent => ({ type: 'statement-status', stepId, statementId: `${stepId}.${n}`, status: 'STARTED', at: 0 });

  it("gives the next statement of a one-transaction step the batch's Data API status, which it shares", () => {
    const steps = [step('transform', true), step('load', false)];
    const state = run([
      { type: 'run-started', steps, target: 'redshift', label: 'fake', at: 0 },
      started('transform', 1),
      status('transform', 1),
      finished('transform', 1),
      started('transform', 2),
      started('load', 1),
      status('load', 1),
      finished('load', 1),
      started('load', 2),
    ]);
    expect(state.running.find((r) => r.statementId === 'transform.2')?.status).toBe('STARTED');
    // Separate statements each have their own status: none is seen yet for this one.
    expect(state.running.find((r) => r.statementId === 'load.2')?.status).toBeUndefined();
  });
});
