// Runs a SQL script, statement by statement, on either warehouse: reads stream
// their rows to the caller, everything else reports psql's command tag. A
// BEGIN ... COMMIT block runs as one batch, so it is one transaction on both
// engines (the Data API has no open transaction between calls).
import { CancelledError, SparkifyError, UsageError } from './errors.js';
import { classify, commandTag, type StatementClass } from './sql/classify.js';
import { splitStatements, stripLeadingComments } from './sql/tokenizer.js';
import type { ColumnInfo, QueryResult, Row, WarehouseSession } from './warehouse/types.js';

/** Where a script runs: a warehouse, or a session on one (SET and temporary tables then carry). */
export type ScriptTarget = Pick<WarehouseSession, 'execute' | 'executeBatch' | 'query' | 'transactionOpen'>;

export interface ScriptStep {
  /** Position in the script, from 1. */
  index: number;
  /** Line in the file where the statement's code begins. */
  line: number;
  sql: string;
  statement: StatementClass;
}

export interface StepOutcome {
  step: ScriptStep;
  /** psql's command tag: `SELECT 5`, `INSERT 0 8056`, `CREATE TABLE`. */
  tag: string;
  /** Rows read (reads) or changed (DML, COPY), when known. */
  rows: number | null;
  engineMs: number;
  /** Set when the statement failed; with continueOnError the script went on. */
  error?: SparkifyError;
  /** True for statements of a block that ended in ROLLBACK: they were not run. */
  rolledBack?: boolean;
}

export interface ScriptOptions {
  signal?: AbortSignal;
  continueOnError?: boolean;
  pageSize?: number;
  onStepStarted?: (step: ScriptStep) => void;
  /** Reads a read's rows (print them, collect them) and returns how many it read; the runner closes the result after. */
  readRows: (step: ScriptStep, result: QueryResult) => Promise<number>;
  onStepFinished?: (outcome: StepOutcome) => void | Promise<void>;
}

/** The statements of a script, numbered, with their lines. */
export function scriptSteps(text: string): ScriptStep[] {
  return splitStatements(text).map((s, i) => ({ index: i + 1, line: s.line, sql: s.sql, statement: classify(s.sql) }));
}

/** One line naming a statement: its number, line and first words. */
export function stepTitle(step: ScriptStep, width = 72): string {
  const text = stripLeadingComments(step.sql).replace(/\s+/g, ' ');
  const shown = text.length > width ? `${text.slice(0, width - 1)}…` : text;
  return `statement ${step.index} (line ${step.line}): ${shown}`;
}

/** A failure as the script reports it: the statement's number and line first. */
export function stepError(step: ScriptStep, error: unknown): SparkifyError {
  if (error instanceof CancelledError) return error;
  const cause = error instanceof SparkifyError ? error : new SparkifyError(String((error as Error)?.message ?? error));
  return new SparkifyError(`statement ${step.index} (line ${step.line}) failed: ${cause.message}`, {
    exitCode: cause.exitCode,
    hint: cause.hint,
    cause,
  });
}

/** Index of the statement that ends the block opened at `begin`, or -1 when the script leaves it open. */
function blockEnd(steps: ScriptStep[], begin: number): number {
  for (let i = begin + 1; i < steps.length; i++) {
    const { kind, command } = steps[i].statement;
    if (kind === 'transaction') return command === 'BEGIN' ? -1 : i;
  }
  return -1;
}

/**
 * Runs the steps in order. Stops at the first failure (thrown, numbered)
 * unless continueOnError, in which case the outcomes carry the errors.
 */
export async function runScript(warehouse: ScriptTarget, steps: ScriptStep[], options: ScriptOptions): Promise<StepOutcome[]> {
  const outcomes: StepOutcome[] = [];
  const finish = async (outcome: StepOutcome) => {
    outcomes.push(outcome);
    await options.onStepFinished?.(outcome);
  };
  const fail = async (step: ScriptStep, error: unknown) => {
    const numbered = stepError(step, error);
    if (!options.continueOnError || error instanceof CancelledError) throw numbered;
    await finish({ step, tag: step.statement.command, rows: null, engineMs: 0, error: numbered });
  };
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    // Inside a transaction the session holds, a BEGIN starts none (Redshift only warns) and the COMMIT ends the session's: the statements run as they come.
    const end = step.statement.command === 'BEGIN' && !warehouse.transactionOpen?.() ? blockEnd(steps, i) : -1;
    if (end !== -1) {
      await runBlock(warehouse, steps.slice(i, end + 1), options, finish, fail);
      i = end;
      continue;
    }
    options.onStepStarted?.(step);
    let outcome: StepOutcome;
    try {
      outcome = await runStep(warehouse, step, options);
    } catch (error) {
      await fail(step, error);
      continue;
    }
    await finish(outcome);
  }
  return outcomes;
}

async function runStep(warehouse: ScriptTarget, step: ScriptStep, options: ScriptOptions): Promise<StepOutcome> {
  const started = performance.now();
  if (step.statement.kind === 'read') {
    const result = await warehouse.query(step.sql, { signal: options.signal, pageSize: options.pageSize });
    let rows: number;
    try {
      rows = await options.readRows(step, result);
    } finally {
      await result.close();
    }
    return { step, tag: `${step.statement.command} ${rows}`, rows, engineMs: result.engineMs || performance.now() - started };
  }
  const result = await warehouse.execute(step.sql, { signal: options.signal });
  return { step, tag: commandTag(step.statement, result.rowsAffected), rows: result.rowsAffected, engineMs: result.engineMs };
}

type Finish = (outcome: StepOutcome) => Promise<void>;

/** BEGIN, its statements, and COMMIT/END (one batch) or ROLLBACK (nothing run). */
async function runBlock(
  warehouse: ScriptTarget,
  block: ScriptStep[],
  options: ScriptOptions,
  finish: Finish,
  fail: (step: ScriptStep, error: unknown) => Promise<void>,
): Promise<void> {
  const [begin, ...rest] = block;
  const close = rest.pop()!;
  const done = (step: ScriptStep, extra: Partial<StepOutcome> = {}) => finish({ step, tag: step.statement.command, rows: null, engineMs: 0, ...extra });
  const inner = rest.find((s) => s.statement.kind === 'transaction');
  if (inner) throw new UsageError(`statement ${inner.index} (line ${inner.line}): ${inner.statement.command} inside a BEGIN block is not supported`);
  options.onStepStarted?.(begin);
  await done(begin);
  if (close.statement.command === 'ROLLBACK') {
    for (const step of rest) await done(step, { rolledBack: true });
    await done(close);
    return;
  }
  const finished: StepOutcome[] = [];
  let current = 0;
  try {
    if (rest.length > 0) {
      await warehouse.executeBatch(
        rest.map((s) => s.sql),
        {
          signal: options.signal,
          onStatementStarted: (index) => {
            current = index;
            options.onStepStarted?.(rest[index]);
          },
          onStatementFinished: (index, result) => {
            const step = rest[index];
            finished.push({ step, tag: commandTag(step.statement, result.rowsAffected), rows: result.rowsAffected, engineMs: result.engineMs });
          },
        },
      );
    }
  } catch (error) {
    // The block is one transaction: it rolled back as a whole.
    for (const outcome of finished) await finish({ ...outcome, rolledBack: true });
    await fail(rest[current] ?? close, error);
    await done(close, { tag: 'ROLLBACK' });
    return;
  }
  for (const outcome of finished) await finish(outcome);
  options.onStepStarted?.(close);
  await done(close);
}

/** A statement's outcome with the first rows of its result, for a screen to show. */
export interface StatementResult extends StepOutcome {
  columns?: ColumnInfo[];
  /** The first `maxRows` rows of a read. */
  sample?: Row[];
}

/**
 * Runs a statement or a script and returns each statement's result: reads
 * keep their columns and first rows, everything else its command tag. For the
 * SQL prompt and anything else that shows results rather than streaming them.
 */
export async function runStatements(
  target: ScriptTarget,
  script: string | ScriptStep[],
  options: { signal?: AbortSignal; continueOnError?: boolean; maxRows?: number } = {},
): Promise<StatementResult[]> {
  const maxRows = options.maxRows ?? 500;
  const reads = new Map<number, { columns: ColumnInfo[]; sample: Row[] }>();
  const outcomes = await runScript(target, typeof script === 'string' ? scriptSteps(script) : script, {
    signal: options.signal,
    continueOnError: options.continueOnError,
    readRows: async (step, result) => {
      const sample: Row[] = [];
      let count = 0;
      for await (const page of result.pages()) {
        count += page.length;
        if (sample.length < maxRows) sample.push(...page.slice(0, maxRows - sample.length));
      }
      reads.set(step.index, { columns: result.columns, sample });
      return count;
    },
  });
  return outcomes.map((outcome) => ({ ...outcome, ...reads.get(outcome.step.index) }));
}
