// `sparkify runs` and `sparkify runs show ID`: the ledger's run history, read
// from the warehouse, so every process's runs are there. No Ink is loaded.
import { readConfig } from '../pipeline/config.js';
import { openWarehouse, resolveTarget, type TargetFlags } from '../pipeline/connect.js';
import { findRun, listRuns, previousRun, statementRuns } from '../pipeline/ledger/history.js';
import { formatDuration, formatWhen, outcomeText, rowsAdded, rowsAddedText, runDurationMs } from '../pipeline/ledger/present.js';
import { ExitCode } from '../pipeline/errors.js';
import { listTable, plainColumns } from '../pipeline/plain-table.js';
import type { Warehouse } from '../pipeline/warehouse/types.js';
import { withInterrupt } from './interrupt.js';

export interface RunsFlags extends TargetFlags {
  last?: number;
  format?: 'table' | 'json';
}

async function withWarehouse(flags: TargetFlags, work: (warehouse: Warehouse, signal: AbortSignal) => Promise<number>): Promise<number> {
  const warehouse = await openWarehouse(resolveTarget(flags, readConfig()));
  try {
    return await withInterrupt((signal) => work(warehouse, signal));
  } finally {
    await warehouse.close();
  }
}

export function runsCommand(flags: RunsFlags): Promise<number> {
  return withWarehouse(flags, async (warehouse, signal) => {
    const limit = flags.last ?? 10;
    // One more than shown: the oldest shown run's change is measured against it.
    const runs = await listRuns(warehouse, limit + 1, signal);
    const shown = runs.slice(0, limit);
    const withChanges = shown.map((run, i) => ({ run, added: rowsAdded(run, runs[i + 1]) }));
    if (flags.format === 'json') {
      const out = withChanges.map(({ run, added }) => ({ ...run, startedAt: new Date(run.startedAt).toISOString(), finishedAt: run.finishedAt === undefined ? null : new Date(run.finishedAt).toISOString(), durationMs: runDurationMs(run) ?? null, rowsAdded: added }));
      process.stdout.write(JSON.stringify(out, null, 2) + '\n');
      return ExitCode.ok;
    }
    if (shown.length === 0) {
      process.stderr.write('no runs in this warehouse yet: `sparkify run` makes the first\n');
      return ExitCode.ok;
    }
    const rows = withChanges.map(({ run, added }) => [run.runId.slice(0, 8), formatWhen(run.startedAt), run.mode, run.target, formatDuration(runDurationMs(run)), outcomeText(run), rowsAddedText(added), run.checks.total === 0 ? '-' : `${run.checks.passed}/${run.checks.total}`]);
    process.stdout.write(listTable(['run', 'started', 'mode', 'target', 'took', 'outcome', 'rows added', 'checks'], rows, [4]) + '\n');
    return ExitCode.ok;
  });
}

export function runsShowCommand(id: string, flags: RunsFlags): Promise<number> {
  return withWarehouse(flags, async (warehouse, signal) => {
    const run = await findRun(warehouse, id, signal);
    const statements = await statementRuns(warehouse, run.runId, signal);
    if (flags.format === 'json') {
      process.stdout.write(JSON.stringify({ ...run, statements }, null, 2) + '\n');
      return ExitCode.ok;
    }
    const previous = await previousRun(warehouse, run, signal);
    const fields = plainColumns([
      ['started', `${formatWhen(run.startedAt)} by ${run.who ?? '?'} (sparkify ${run.version ?? '?'})`],
      ['mode', `${run.mode}${run.fromStep ? ` from ${run.fromStep}` : ''} on ${run.target}`],
      ['outcome', `${outcomeText(run)} after ${formatDuration(runDurationMs(run))}${run.exitCode === undefined ? '' : `, exit ${run.exitCode}`}`],
      ['rows', rowsAddedText(rowsAdded(run, previous))],
    ], { indent: '  ' });
    process.stdout.write([`run ${run.runId}`, ...fields].join('\n') + '\n');
    const rows = statements.map((s) => [s.stepId, s.name, formatDuration(s.wallMs), formatDuration(s.engineMs), s.rows === undefined ? '' : s.rows.toLocaleString('en-US'), s.status, s.queryId ?? '']);
    process.stdout.write(listTable(['step', 'statement', 'wall', 'engine', 'rows', 'status', 'query id'], rows, [2, 3, 4]) + '\n');
    return ExitCode.ok;
  });
}
