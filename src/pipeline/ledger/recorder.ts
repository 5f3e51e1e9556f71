// Writes a run into the ledger as its events go by: the run's row when it
// starts, each step's statements and checks when the step ends, the outcome
// and the row counts when it finishes. The events pass through at once: the
// writes queue up behind each other (on DuckDB they wait for the statement
// running now) and run-finished is passed on when all are done. Writes are not
// cancelled with the run: a cancelled run is recorded too.
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { ExitCode } from '../errors.js';
import type { PipelineEvent } from '../events.js';
import type { Warehouse } from '../warehouse/types.js';
import { VERSION } from '../../version.js';
import { allRows, insertRows, literal, type LedgerValue } from './sql-values.js';

/** 'reload-changed': an incremental run that loaded tables with changed files again (a retry must do the same). */
export type RecordedMode = 'full' | 'incremental' | 'reload-changed' | 'create-tables' | 'etl';

export interface RunRecord {
  runId: string;
  mode: RecordedMode;
  fromStep?: string;
  who: string;
}

export function newRunRecord(mode: RecordedMode, fromStep?: string): RunRecord {
  let who = process.env.USER ?? 'unknown';
  try {
    who = userInfo().username;
  } catch {
    // No entry in the password database (some containers): the environment's name stands.
  }
  return { runId: randomUUID(), mode, fromStep, who };
}

const STATEMENT_COLUMNS = ['run_id', 'step_id', 'statement_id', 'statement_name', 'wall_ms', 'engine_ms', 'rows_affected', 'status', 'query_id', 'finished_at'];

export async function* recordRun(warehouse: Warehouse, events: AsyncIterable<PipelineEvent>, record: RunRecord): AsyncGenerator<PipelineEvent> {
  const { runId } = record;
  const names = new Map<string, string>();
  const startedAt = new Map<string, number>();
  let statementRows: LedgerValue[][] = [];
  let checkRows: LedgerValue[][] = [];
  let stepRows: LedgerValue[][] = [];
  const stepStarted = new Map<string, number>();
  let failedStep: string | undefined;

  let writes: Promise<unknown> = Promise.resolve();
  /** Queues a write after the ones before it; the first failure is kept and thrown at the end. */
  let writeError: { error: unknown } | undefined;
  const queue = (write: () => Promise<unknown>) => {
    writes = writes.then(write).catch((error: unknown) => (writeError ??= { error }));
  };

  const flush = () => {
    const sqls = [
      insertRows('sparkify.statement_runs', STATEMENT_COLUMNS, statementRows),
      insertRows('sparkify.check_runs', ['run_id', 'check_name', 'description', 'failing_rows'], checkRows),
      insertRows('sparkify.step_runs', ['run_id', 'step_id', 'wall_ms', 'status'], stepRows),
    ].filter((s): s is string => s !== undefined);
    statementRows = [];
    checkRows = [];
    stepRows = [];
    if (sqls.length > 0) queue(() => warehouse.executeBatch(sqls));
  };

  try {
    for await (const event of events) {
      switch (event.type) {
        case 'run-started':
          for (const step of event.steps) for (const s of step.statements) names.set(s.id, s.name);
          queue(() =>
            warehouse.execute(
              insertRows(
                'sparkify.runs',
                ['run_id', 'started_at', 'target', 'mode', 'outcome', 'who', 'sparkify_version', 'from_step'],
                [[runId, new Date(event.at), event.target, record.mode, 'running', record.who, VERSION, record.fromStep]],
              )!,
            ),
          );
          break;
        case 'step-started':
          stepStarted.set(event.stepId, event.at);
          break;
        case 'statement-started':
          startedAt.set(event.statementId, event.at);
          break;
        case 'statement-finished':
          statementRows.push([runId, event.stepId, event.statementId, names.get(event.statementId), event.wallMs, event.engineMs, event.rowsAffected, 'FINISHED', event.queryId, new Date(event.at)]);
          break;
        case 'check-finished':
          checkRows.push([runId, event.statementId, event.outcome.description, event.outcome.failingRows]);
          break;
        case 'step-failed': {
          failedStep ??= event.stepId;
          const started = event.statementId ? startedAt.get(event.statementId) : undefined;
          if (event.statementId && started !== undefined) {
            const status = event.error.exitCode === ExitCode.cancelled ? 'ABORTED' : 'FAILED';
            statementRows.push([runId, event.stepId, event.statementId, names.get(event.statementId), event.at - started, null, null, status, null, new Date(event.at)]);
          }
          stepRows.push([runId, event.stepId, event.at - (stepStarted.get(event.stepId) ?? event.at), event.error.exitCode === ExitCode.cancelled ? 'ABORTED' : 'FAILED']);
          flush();
          break;
        }
        case 'step-finished':
          stepRows.push([runId, event.stepId, event.wallMs, 'FINISHED']);
          flush();
          break;
        case 'run-finished': {
          flush();
          await writes;
          if (writeError !== undefined) throw writeError.error;
          const previous = await allRows(
            warehouse,
            'SELECT table_name, row_count FROM sparkify.table_rows WHERE run_id = (' +
              `SELECT run_id FROM sparkify.runs WHERE run_id <> ${literal(runId)} AND outcome <> 'running' ORDER BY started_at DESC LIMIT 1)`,
          );
          const outcome = event.ok ? 'succeeded' : event.cancelled ? 'cancelled' : 'failed';
          const exitCode = event.ok ? ExitCode.ok : event.cancelled ? ExitCode.cancelled : (event.error?.exitCode ?? ExitCode.failure);
          const tables = Object.entries(event.tableRows ?? {}).map(([table, rows]) => [runId, table, rows]);
          await warehouse.executeBatch(
            [
              `UPDATE sparkify.runs SET finished_at = ${literal(new Date(event.at))}, outcome = ${literal(outcome)}, exit_code = ${exitCode}, ` +
                `failed_step = ${literal(failedStep)}, analytics = ${literal(event.analytics)} WHERE run_id = ${literal(runId)}`,
              insertRows('sparkify.table_rows', ['run_id', 'table_name', 'row_count'], tables),
            ].filter((s): s is string => s !== undefined),
          );
          if (previous.length > 0) {
            yield { ...event, previousTableRows: Object.fromEntries(previous.map(([table, rows]) => [String(table), Number(rows)])) };
            continue;
          }
          break;
        }
        default:
          break;
      }
      yield event;
    }
  } finally {
    // The consumer stopped early: what is queued is still written.
    await writes;
  }
}
