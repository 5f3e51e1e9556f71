// Runs a draft of the SQL prompt statement by statement, one result each: a
// statement with rows opens a window of them (read page by page as it is
// scrolled), the others give psql's command tag. The first failure stops the
// draft and names the statement.
import { SparkifyError, isAbortError } from '../../pipeline/errors.js';
import type { OutputFile } from '../../pipeline/output-file.js';
import { runScript, stepError, type ScriptStep, type ScriptTarget } from '../../pipeline/script.js';
import { ResultWindow, isReadOnlyStatement } from '../components/result-window.js';
import { newResultView, type ResultTab } from './sql-result-state.js';

export interface DraftRunOptions {
  /** The warehouse, or the prompt's session on it. */
  target: ScriptTarget;
  /** `\o`: the file every result and command tag goes to as well. */
  output: OutputFile | null;
  steps: ScriptStep[];
  /** What the statement is shown as when the draft is one backslash command (`\dn`, not its catalog query). */
  label?: string;
  signal: AbortSignal;
  pageSize: number;
  maxCachedRows?: number;
  /** Rows that fit on screen: the first read of a result. */
  visibleRows: () => number;
  /** A new id for a result's rows. */
  nextViewId: () => number;
  onWait: (message: string) => void;
  /** A statement is done; `window` holds the rows of one that has them. */
  onResult: (tab: ResultTab, window: ResultWindow | null) => void;
}

/**
 * The steps in runs: a statement that returns rows on its own, and the
 * statements between such ones together (a BEGIN block stays whole, so it is
 * still one transaction).
 */
function segments(steps: ScriptStep[]): ScriptStep[][] {
  const out: ScriptStep[][] = [];
  let block = false;
  for (const step of steps) {
    const { kind, command } = step.statement;
    const last = out.at(-1);
    if (kind === 'read' && !block) out.push([step]);
    else if (last && last[0].statement.kind !== 'read') last.push(step);
    else out.push([step]);
    if (kind === 'transaction') block = command === 'BEGIN' || command === 'START';
  }
  return out;
}

/**
 * Runs every step in order, reporting each result as it comes. Throws the
 * first failure (numbered when the draft has several statements), after
 * reporting the failed statement as a result of its own.
 */
export async function runDraft(options: DraftRunOptions): Promise<void> {
  const { steps, signal } = options;
  const onResult = (tab: ResultTab, window: ResultWindow | null) =>
    options.onResult(steps.length === 1 && options.label ? { ...tab, sql: options.label } : tab, window);
  let current: ScriptStep | undefined;
  /** The script runner numbers its failures itself, keeping the error as their cause. */
  let numbered = false;
  try {
    for (const segment of segments(options.steps)) {
      const [first] = segment;
      const more = segment.at(-1) !== steps.at(-1);
      if (first.statement.kind === 'read' && segment.length === 1) {
        current = first;
        numbered = false;
        await runRead({ ...options, onResult }, first, more);
        continue;
      }
      numbered = true;
      await runScript(options.target, segment, {
        signal,
        onStepStarted: (step) => (current = step),
        // A read inside a BEGIN block runs in the block's batch: it gives a count, not rows.
        readRows: async (_step, result) => {
          let count = 0;
          for await (const page of result.pages()) count += page.length;
          return count;
        },
        onStepFinished: async (outcome) => {
          await options.output?.line(outcome.tag);
          onResult({ index: outcome.step.index, sql: outcome.step.sql, tag: outcome.tag, wallMs: outcome.engineMs, failed: false, view: null }, null);
        },
      });
    }
  } catch (error) {
    if (isAbortError(error) || !current) throw error;
    const cause = numbered && error instanceof SparkifyError && error.cause instanceof Error ? error.cause : error;
    if (steps.length === 1) throw cause;
    onResult({ index: current.index, sql: current.sql, tag: cause instanceof Error ? cause.message : String(cause), wallMs: 0, failed: true, view: null }, null);
    throw numbered ? error : stepError(current, cause);
  }
}

/** A statement with rows: its window, read as far as the screen needs, letting go of the engine when more statements follow. */
async function runRead(options: DraftRunOptions, step: ScriptStep, more: boolean): Promise<void> {
  const { target, output, signal, pageSize, maxCachedRows } = options;
  const started = performance.now();
  const readOnly = isReadOnlyStatement(step.sql);
  const queried = await target.query(step.sql, { signal, pageSize, onWait: options.onWait });
  const result = output ? output.tee(queried) : queried;
  const window = new ResultWindow(result, {
    maxCachedRows,
    pageSize,
    reopen: readOnly ? () => target.query(step.sql, { pageSize }) : undefined,
  });
  let first;
  try {
    first = await window.rows(0, options.visibleRows(), signal);
    // A page more, so a result of exactly one page (LIMIT 500) shows its count, not 500+.
    await window.readAhead(signal);
    // A result that cannot be run again is read now (keeping the last rows
    // the cache holds): left open, it would hold the warehouse. So is one
    // that `\o` copies to a file, for the file to hold it whole.
    if (!readOnly || output) await window.readToEnd(signal);
    // The next statement needs the engine the open result holds.
    if (more) await window.release();
  } catch (error) {
    await window.close();
    throw error;
  }
  const wallMs = performance.now() - started;
  const tab = { index: step.index, sql: step.sql, tag: step.statement.command, wallMs, failed: false };
  if (window.columns.length === 0 || (!readOnly && first.rows.length === 0)) {
    await window.close();
    options.onResult({ ...tab, tag: 'done', view: null }, null);
    return;
  }
  const view = newResultView({
    runId: options.nextViewId(),
    sql: step.sql,
    columns: window.columns,
    offset: first.start,
    rows: first.rows,
    totalRows: window.totalRows,
    rowsRead: window.rowsRead,
    wallMs,
  });
  options.onResult({ ...tab, view }, window);
}
