// The runner over a scripted warehouse: the order steps start in, the
// concurrency cap, the stop at the first failure, abort between steps, a
// consumer that stops reading, and what run-finished says of the analytics.
import { describe, expect, it } from 'vitest';
import type { PipelineEvent, PlannedStep } from '../src/pipeline/events.js';
import type { StepGuard, StepRole } from '../src/pipeline/model.js';
import { runPipeline, type RunOptions } from '../src/pipeline/runner.js';
import { ScriptedWarehouse } from './fakes/scripted-warehouse.js';

function step(id: string, sqls: string[], options: { role?: StepRole; dependsOn?: string[]; parallel?: boolean; skip?: string; guard?: StepGuard } = {}): PlannedStep {
  const role = options.role ?? 'create';
  return {
    id,
    title: id,
    role,
    guard: options.guard,
    dependsOn: options.dependsOn ?? [],
    atomic: role === 'refresh',
    parallel: options.parallel ?? false,
    checks: role === 'check',
    skip: options.skip,
    statements: sqls.map((sql, i) => ({ id: `${id}.${i + 1}`, name: sql, sql })),
  };
}

async function collect(warehouse: ScriptedWarehouse, steps: PlannedStep[], options: RunOptions = {}) {
  const events: PipelineEvent[] = [];
  for await (const event of runPipeline(warehouse, steps, { countTables: false, ...options })) events.push(event);
  const finished = events.at(-1);
  if (finished?.type !== 'run-finished') throw new Error('no run-finished');
  return { events, finished };
}

const diamond = () => [
  step('a', ['a1', 'a2', 'a3'], { parallel: true }),
  step('b', ['b1', 'b2'], { dependsOn: ['a'] }),
  step('c', ['c1'], { dependsOn: ['a'] }),
  step('d', ['d1'], { dependsOn: ['b', 'c'] }),
];

describe('runPipeline over a scripted warehouse', () => {
  it('starts a step only after the steps it depends on, and runs a serial step in order', async () => {
    const warehouse = new ScriptedWarehouse(8, () => ({ rowsAffected: 1 }));
    const { finished } = await collect(warehouse, diamond());
    expect(finished.ok).toBe(true);
    const at = (sql: string) => warehouse.started.indexOf(sql);
    for (const later of ['b1', 'c1']) for (const first of ['a1', 'a2', 'a3']) expect(at(later)).toBeGreaterThan(at(first));
    expect(at('b2')).toBeGreaterThan(at('b1'));
    expect(at('d1')).toBeGreaterThan(Math.max(at('b2'), at('c1')));
    expect(warehouse.started).toHaveLength(7);
  });

  it('a step after a skipped one still waits for the steps the skipped one depends on', async () => {
    const warehouse = new ScriptedWarehouse(8);
    const steps = [step('a', ['a1']), step('b', ['b1'], { dependsOn: ['a'], skip: 'nothing to do' }), step('c', ['c1'], { dependsOn: ['b'] })];
    const run = collect(warehouse, steps);
    const [a] = await warehouse.waitForPending(1);
    expect(warehouse.started).toEqual(['a1']);
    a.finish();
    (await warehouse.waitForPending(1))[0].finish();
    await run;
    expect(warehouse.started).toEqual(['a1', 'c1']);
  });

  it('never runs more statements at once than the concurrency asked for', async () => {
    const warehouse = new ScriptedWarehouse(8);
    const run = collect(warehouse, [step('a', ['a1', 'a2', 'a3', 'a4', 'a5'], { parallel: true })], { concurrency: 2 });
    for (let left = 5; left > 0; left--) {
      const [first] = await warehouse.waitForPending(Math.min(2, left));
      expect(warehouse.active).toBeLessThanOrEqual(2);
      first.finish();
    }
    expect((await run).finished.ok).toBe(true);
    expect(warehouse.maxActive).toBe(2);
  });

  it('caps the concurrency at what the engine allows', async () => {
    const warehouse = new ScriptedWarehouse(1);
    const run = collect(warehouse, [step('a', ['a1', 'a2', 'a3'], { parallel: true })], { concurrency: 4 });
    for (let left = 3; left > 0; left--) (await warehouse.waitForPending(1))[0].finish();
    await run;
    expect(warehouse.maxActive).toBe(1);
  });

  it('stops at the first failure: later steps never start and the failed step is named', async () => {
    const warehouse = new ScriptedWarehouse(8, (sql) => (sql === 'b1' ? new Error('b1 broke') : { rowsAffected: 0 }));
    const { events, finished } = await collect(warehouse, diamond());
    expect(finished.ok).toBe(false);
    expect(finished.error?.message).toBe('b1 broke');
    expect(warehouse.started).not.toContain('b2');
    expect(warehouse.started).not.toContain('d1');
    expect(events.find((e) => e.type === 'step-failed')).toMatchObject({ stepId: 'b', statementId: 'b.1' });
  });

  it('aborted between steps, it starts no further step and reports the run cancelled', async () => {
    const controller = new AbortController();
    const warehouse = new ScriptedWarehouse(8, (sql) => {
      if (sql === 'a1') controller.abort();
      return { rowsAffected: 0 };
    });
    const { finished } = await collect(warehouse, [step('a', ['a1']), step('b', ['b1'], { dependsOn: ['a'] })], { signal: controller.signal });
    expect(warehouse.started).toEqual(['a1']);
    expect(finished).toMatchObject({ ok: false, cancelled: true, analytics: 'unchanged' });
  });

  it('stops its work when the consumer stops reading', async () => {
    const warehouse = new ScriptedWarehouse(8);
    const steps = [step('a', ['a1']), step('b', ['b1'], { dependsOn: ['a'] })];
    const reading = (async () => {
      for await (const event of runPipeline(warehouse, steps, { countTables: false })) if (event.type === 'statement-started') break;
    })();
    await warehouse.waitForPending(1);
    await reading;
    expect(warehouse.pendingSql()).toEqual([]);
    expect(warehouse.finished).toEqual([]);
    expect(warehouse.started).toEqual(['a1']);
  });

  describe('what run-finished says the analytics tables hold', () => {
    const model = (checkRows: number) => [
      step('refresh', ['r1', 'r2'], { role: 'refresh' }),
      step('check', [`check ${checkRows}`], { role: 'check', dependsOn: ['refresh'] }),
    ];
    const answering = (fail?: string) => (sql: string) => (sql === fail ? new Error(`${sql} broke`) : { rows: [[Number(sql.split(' ')[1] ?? 0)]] });

    it('refreshed after a refresh and passing checks', async () => {
      expect((await collect(new ScriptedWarehouse(4, answering()), model(0))).finished.analytics).toBe('refreshed');
    });
    it('refreshed but failed a check', async () => {
      const { finished } = await collect(new ScriptedWarehouse(4, answering()), model(3));
      expect(finished).toMatchObject({ ok: false, analytics: 'refreshed-failed-check' });
    });
    it('refreshed, not checked, when a check cannot run', async () => {
      const { finished } = await collect(new ScriptedWarehouse(4, answering('check 0')), model(0));
      expect(finished).toMatchObject({ ok: false, analytics: 'refreshed-unchecked' });
    });
    it('unchanged when the refresh fails', async () => {
      const { finished } = await collect(new ScriptedWarehouse(4, answering('r1;r2')), model(0));
      expect(finished).toMatchObject({ ok: false, analytics: 'unchanged' });
    });
  });

  it("runs a step's guard when a staging step it depends on was skipped, and stops on what it returns", async () => {
    const guard: StepGuard = { sql: 'guard', message: (failing) => `${failing.join(', ')} empty`, hint: 'load first' };
    const steps = (skip?: string) => [step('load', ['l1'], { role: 'stage', skip }), step('refresh', ['r1'], { role: 'refresh', dependsOn: ['load'], guard })];
    const failing = new ScriptedWarehouse(4, (sql) => (sql === 'guard' ? { rows: [['staging.x']] } : { rowsAffected: 0 }));
    const { finished } = await collect(failing, steps('kept'));
    expect(finished.error).toMatchObject({ message: 'staging.x empty', hint: 'load first' });
    expect(failing.started).toEqual(['guard']);

    const loaded = new ScriptedWarehouse(4, () => ({ rows: [['staging.x']] }));
    expect((await collect(loaded, steps())).finished.ok).toBe(true);
    expect(loaded.started).toEqual(['l1', 'r1']);
  });

  it("runs a guard marked after once the step's statements ran, and stops the run on what it returns", async () => {
    const guard: StepGuard = { sql: 'after', after: true, message: ([source]) => `${source} holds no rows`, hint: 'check the source' };
    const steps = [step('load', ['l1', 'l2'], { role: 'stage', guard }), step('refresh', ['r1'], { role: 'refresh', dependsOn: ['load'] })];
    const empty = new ScriptedWarehouse(4, (sql) => (sql === 'after' ? { rows: [['/data/logs']] } : { rowsAffected: 0 }));
    const { finished } = await collect(empty, steps);
    expect(finished.error).toMatchObject({ message: '/data/logs holds no rows', hint: 'check the source', exitCode: 6 });
    expect(empty.started).toEqual(['l1', 'l2', 'after']);
    expect(finished.analytics).toBe('unchanged');

    const loaded = new ScriptedWarehouse(4, (sql) => (sql === 'after' ? { rows: [] } : { rowsAffected: 1 }));
    expect((await collect(loaded, steps)).finished.ok).toBe(true);
    expect(loaded.started).toEqual(['l1', 'l2', 'after', 'r1']);
  });

  it('leaves out a guard marked unlessLastRows when the last statement reported rows, and runs it when it reported none', async () => {
    const guard: StepGuard = { sql: 'after', after: true, unlessLastRows: true, message: ([source]) => `${source} holds no rows`, hint: 'check the source' };
    const steps = [step('load', ['l1', 'l2'], { role: 'stage', guard }), step('refresh', ['r1'], { role: 'refresh', dependsOn: ['load'] })];
    const loaded = new ScriptedWarehouse(4, (sql) => (sql === 'after' ? { rows: [] } : { rowsAffected: sql === 'l2' ? 8056 : 0 }));
    expect((await collect(loaded, steps)).finished.ok).toBe(true);
    expect(loaded.started).toEqual(['l1', 'l2', 'r1']);

    // The first statement's rows (a TRUNCATE's count) say nothing of what the COPY after it loaded.
    const empty = new ScriptedWarehouse(4, (sql) => (sql === 'after' ? { rows: [['/data/logs']] } : { rowsAffected: sql === 'l1' ? 5 : 0 }));
    const { finished } = await collect(empty, steps);
    expect(finished.error).toMatchObject({ message: '/data/logs holds no rows', exitCode: 6 });
    expect(empty.started).toEqual(['l1', 'l2', 'after']);
  });
});
