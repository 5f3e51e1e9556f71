// Runs a plan on a warehouse and yields what happens as typed events. Steps
// start when the steps they depend on have finished; statements of a parallel
// step, and independent steps, run at once up to the concurrency limit (the
// engine's own limit caps it: DuckDB gains nothing from more than one). An
// atomic step runs as one transaction. The run stops starting work at the
// first failure, on abort, or when its consumer stops reading; the events say
// what happened. It knows the model only through the steps' roles and guards.
import { CancelledError, CheckError, LoadError, SparkifyError, ExitCode, isAbortError } from './errors.js';
import type { AnalyticsState, CheckOutcome, ErrorInfo, PipelineEvent, PlannedStatement, PlannedStep } from './events.js';
import { countTables, type StepGuard } from './model.js';
import type { StatementStatus, Warehouse } from './warehouse/types.js';

export interface RunOptions {
  signal?: AbortSignal;
  /** Statements run at once at most (default and cap: what the engine allows). */
  concurrency?: number;
  /** Start here: earlier steps in the plan are skipped (resume after a failure). */
  fromStep?: string;
  /** Count the rows of every model table at the end (default true). */
  countTables?: boolean;
}

export function errorInfo(error: unknown): ErrorInfo {
  if (error instanceof SparkifyError) {
    return {
      message: error.message,
      hint: error.hint,
      exitCode: error.exitCode,
      loadErrors: error instanceof LoadError && error.details.length > 0 ? error.details : undefined,
    };
  }
  if (isAbortError(error)) return { message: 'cancelled', exitCode: ExitCode.cancelled };
  return { message: (error as Error)?.message ?? String(error), exitCode: ExitCode.failure };
}

class Semaphore {
  private waiting: (() => void)[] = [];
  private free: number;
  constructor(size: number) {
    this.free = size;
  }
  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

/** A queue the workers push events into and the generator drains. */
class EventChannel {
  private items: PipelineEvent[] = [];
  private wake: (() => void) | undefined;
  push(event: PipelineEvent): void {
    this.items.push(event);
    this.wake?.();
  }
  async *drain(until: Promise<unknown>): AsyncGenerator<PipelineEvent> {
    let finished = false;
    void until.finally(() => {
      finished = true;
      this.wake?.();
    });
    while (true) {
      while (this.items.length > 0) yield this.items.shift()!;
      if (finished) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}

export async function* runPipeline(
  warehouse: Warehouse,
  steps: PlannedStep[],
  options: RunOptions = {},
): AsyncGenerator<PipelineEvent> {
  const started = performance.now();
  // Aborted by the caller's signal, or here when the consumer stops reading.
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  const channel = new EventChannel();
  const limit = Math.max(1, Math.min(options.concurrency ?? warehouse.maxConcurrency, warehouse.maxConcurrency));
  const semaphore = new Semaphore(limit);
  const checks: CheckOutcome[] = [];
  let failure: { error: ErrorInfo; cancelled: boolean; stepId?: string } | undefined;
  /** Staging steps this run does not do (skip-staging, or a resume past them): later steps read what an earlier run staged. */
  const skippedStaging = new Set<string>();
  /** A refresh step committed: the analytics tables hold this run's data from then on. */
  let refreshed = false;

  const fromIndex = options.fromStep ? steps.findIndex((s) => s.id === options.fromStep) : 0;
  if (fromIndex === -1) {
    throw new SparkifyError(`no step named ${options.fromStep}`, {
      exitCode: ExitCode.usage,
      hint: `steps: ${steps.map((s) => s.id).join(', ')}`,
    });
  }

  channel.push({ type: 'run-started', steps, target: warehouse.target, label: warehouse.label, at: Date.now() });

  const fail = (stepId: string, error: unknown, statementId?: string) => {
    const info = errorInfo(error);
    const cancelled = info.exitCode === ExitCode.cancelled || signal.aborted === true;
    channel.push({ type: 'step-failed', stepId, statementId, error: info, at: Date.now() });
    if (!failure) failure = { error: info, cancelled, stepId };
  };

  /** Runs one statement; resolves with the rows it affected, when the engine says. */
  const runStatement = async (step: PlannedStep, statement: PlannedStatement): Promise<number | null> => {
    await semaphore.acquire();
    try {
      if (failure || signal.aborted) throw new CancelledError();
      const begin = performance.now();
      channel.push({ type: 'statement-started', stepId: step.id, statementId: statement.id, at: Date.now() });
      const onStatus = (status: StatementStatus) =>
        channel.push({ type: 'statement-status', stepId: step.id, statementId: statement.id, status, at: Date.now() });
      if (step.role === 'check') {
        const result = await warehouse.query(statement.sql, { signal, onStatus });
        let failingRows = 0;
        for await (const page of result.pages()) {
          const value = page[0]?.[0];
          failingRows = typeof value === 'number' ? value : Number(value ?? 0);
        }
        const outcome: CheckOutcome = { name: statement.id, description: statement.name, ok: failingRows === 0, failingRows };
        checks.push(outcome);
        channel.push({ type: 'statement-finished', stepId: step.id, statementId: statement.id, rowsAffected: null, engineMs: result.engineMs, wallMs: performance.now() - begin, at: Date.now() });
        channel.push({ type: 'check-finished', stepId: step.id, statementId: statement.id, outcome, at: Date.now() });
        return null;
      } else {
        const result = await warehouse.execute(statement.sql, { signal, onStatus });
        channel.push({ type: 'statement-finished', stepId: step.id, statementId: statement.id, rowsAffected: result.rowsAffected, engineMs: result.engineMs, wallMs: performance.now() - begin, queryId: result.statementId, at: Date.now() });
        return result.rowsAffected;
      }
    } finally {
      semaphore.release();
    }
  };

  const runAtomic = async (step: PlannedStep, onCurrent: (statementId: string) => void): Promise<void> => {
    await semaphore.acquire();
    try {
      if (failure || signal.aborted) throw new CancelledError();
      // Statements of a batch run back to back: each one's wall time runs from
      // the end of the one before (the engine may report its start late).
      let previousEnd = performance.now();
      let current = 0;
      await warehouse.executeBatch(
        step.statements.map((s) => s.sql),
        {
          signal,
          onStatus: (status) =>
            channel.push({ type: 'statement-status', stepId: step.id, statementId: step.statements[current].id, status, at: Date.now() }),
          onStatementStarted: (index) => {
            current = index;
            onCurrent(step.statements[index].id);
            channel.push({ type: 'statement-started', stepId: step.id, statementId: step.statements[index].id, at: Date.now() });
          },
          onStatementFinished: (index, result) => {
            const end = performance.now();
            channel.push({
              type: 'statement-finished',
              stepId: step.id,
              statementId: step.statements[index].id,
              rowsAffected: result.rowsAffected,
              engineMs: result.engineMs,
              wallMs: end - previousEnd,
              queryId: result.statementId,
              at: Date.now(),
            });
            previousEnd = end;
          },
        },
      );
    } finally {
      semaphore.release();
    }
  };

  const runStep = async (step: PlannedStep): Promise<void> => {
    const begin = performance.now();
    channel.push({ type: 'step-started', stepId: step.id, at: Date.now() });
    let lastStatement: string | undefined;
    let lastRows: number | null = null;
    try {
      const guard = step.guard;
      if (guard && !guard.after && (guard.always || step.dependsOn.some((d) => skippedStaging.has(d)))) await runGuard(warehouse, guard, signal);
      if (step.atomic) {
        await runAtomic(step, (id) => (lastStatement = id));
      } else if (step.parallel) {
        const results = await Promise.allSettled(step.statements.map((s) => runStatement(step, s)));
        const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (rejected) throw rejected.reason;
      } else {
        for (const statement of step.statements) {
          lastStatement = statement.id;
          lastRows = await runStatement(step, statement);
        }
      }
      if (guard?.after && !(guard.unlessLastRows && lastRows !== null && lastRows > 0)) await runGuard(warehouse, guard, signal);
      if (step.role === 'refresh') refreshed = true;
      if (step.role === 'check') {
        const failed = checks.filter((c) => !c.ok);
        if (failed.length > 0) throw new CheckError(failed.map((c) => ({ name: c.description, failingRows: c.failingRows })));
      }
      channel.push({ type: 'step-finished', stepId: step.id, wallMs: performance.now() - begin, at: Date.now() });
    } catch (error) {
      fail(step.id, error, lastStatement);
    }
  };

  const work = (async () => {
    const done = new Map<string, Promise<void>>();
    const succeeded = new Set<string>();
    for (const [index, step] of steps.entries()) {
      const skipReason = index < fromIndex ? `before ${options.fromStep}, where this run starts` : step.skip;
      if (skipReason) {
        if (step.role === 'stage') skippedStaging.add(step.id);
        channel.push({ type: 'step-skipped', stepId: step.id, reason: skipReason, at: Date.now() });
        succeeded.add(step.id);
        // Steps after a skipped one still wait for what it would have waited for.
        done.set(step.id, Promise.all(step.dependsOn.map((d) => done.get(d) ?? Promise.resolve())).then(() => undefined));
        continue;
      }
      const deps = step.dependsOn.map((d) => done.get(d) ?? Promise.resolve());
      done.set(
        step.id,
        Promise.all(deps).then(async () => {
          if (failure || signal.aborted) return;
          if (!step.dependsOn.every((d) => succeeded.has(d))) return;
          await runStep(step);
          if (!failure) succeeded.add(step.id);
        }),
      );
    }
    await Promise.all(done.values());
    if (!failure && signal.aborted) failure = { error: errorInfo(new CancelledError()), cancelled: true };
  })();

  let drained = false;
  try {
    yield* channel.drain(work);
    drained = true;
  } finally {
    // The consumer stopped reading (break, return, throw): stop the work too.
    if (!drained) {
      controller.abort();
      await work;
    }
  }
  await work;

  let tableRows: Record<string, number> | undefined;
  if (options.countTables !== false && !signal.aborted) tableRows = await countTables(warehouse, signal).catch(() => undefined);
  const failedCheck = failure !== undefined && steps.find((s) => s.id === failure!.stepId)?.role === 'check' && failure.error.exitCode === ExitCode.check;
  const analytics: AnalyticsState = !refreshed ? 'unchanged' : !failure ? 'refreshed' : failedCheck ? 'refreshed-failed-check' : 'refreshed-unchecked';
  yield {
    type: 'run-finished',
    ok: !failure,
    cancelled: failure?.cancelled ?? false,
    wallMs: performance.now() - started,
    analytics,
    tableRows,
    checks: checks.length > 0 ? checks : undefined,
    error: failure?.error,
    at: Date.now(),
  };
}

/** A step's guard: the names it returns are what stops the step. */
async function runGuard(warehouse: Warehouse, guard: StepGuard, signal: AbortSignal): Promise<void> {
  const result = await warehouse.query(guard.sql, { signal });
  const failing: string[] = [];
  for await (const page of result.pages()) for (const row of page) failing.push(String(row[0]));
  if (failing.length > 0) throw new SparkifyError(guard.message(failing), { exitCode: ExitCode.load, hint: guard.hint });
}
