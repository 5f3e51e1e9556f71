// Reads the ledger back: the last runs with their row counts and checks, one
// run's statements, and each step's duration over the last runs.
import { SparkifyError, ExitCode } from '../errors.js';
import type { SqlValue, Warehouse } from '../warehouse/types.js';
import { ledgerVersion } from './schema.js';
import { allRows, literal, timestampMs } from './sql-values.js';

export interface RunSummary {
  runId: string;
  startedAt: number;
  finishedAt?: number;
  target: string;
  mode: string;
  /** running (or a process that died mid-run), succeeded, failed, cancelled. */
  outcome: string;
  exitCode?: number;
  who?: string;
  version?: string;
  fromStep?: string;
  failedStep?: string;
  analytics?: string;
  tableRows: Record<string, number>;
  checks: { passed: number; total: number };
}

export interface StatementRun {
  stepId: string;
  statementId: string;
  name: string;
  wallMs: number;
  engineMs?: number;
  rows?: number;
  status: string;
  queryId?: string;
}

const num = (v: unknown) => (v === null || v === undefined ? undefined : Number(v));
const str = (v: SqlValue | undefined) => (v === null || v === undefined ? undefined : String(v));

/** The last `limit` runs, newest first; none when the warehouse has no ledger yet. */
export async function listRuns(warehouse: Warehouse, limit: number, signal?: AbortSignal): Promise<RunSummary[]> {
  if ((await ledgerVersion(warehouse, signal)) === undefined) return [];
  return readRuns(warehouse, `ORDER BY started_at DESC, run_id LIMIT ${Math.max(0, Math.floor(limit))}`, signal);
}

async function readRuns(warehouse: Warehouse, tail: string, signal?: AbortSignal): Promise<RunSummary[]> {
  const rows = await allRows(
    warehouse,
    'SELECT run_id, started_at, finished_at, target, mode, outcome, exit_code, who, sparkify_version, from_step, failed_step, analytics ' +
      `FROM sparkify.runs ${tail}`,
    signal,
  );
  const runs: RunSummary[] = rows.map((r) => ({
    runId: String(r[0]),
    startedAt: timestampMs(r[1]) ?? 0,
    finishedAt: timestampMs(r[2]),
    target: String(r[3]),
    mode: String(r[4]),
    outcome: String(r[5]),
    exitCode: num(r[6]),
    who: str(r[7]),
    version: str(r[8]),
    fromStep: str(r[9]),
    failedStep: str(r[10]),
    analytics: str(r[11]),
    tableRows: {},
    checks: { passed: 0, total: 0 },
  }));
  if (runs.length === 0) return runs;
  const ids = runs.map((r) => literal(r.runId)).join(', ');
  const byId = new Map(runs.map((r) => [r.runId, r]));
  for (const [id, table, count] of await allRows(warehouse, `SELECT run_id, table_name, row_count FROM sparkify.table_rows WHERE run_id IN (${ids})`, signal)) {
    byId.get(String(id))!.tableRows[String(table)] = Number(count);
  }
  for (const [id, passed, total] of await allRows(
    warehouse,
    `SELECT run_id, SUM(CASE WHEN failing_rows = 0 THEN 1 ELSE 0 END), COUNT(*) FROM sparkify.check_runs WHERE run_id IN (${ids}) GROUP BY run_id`,
    signal,
  )) {
    byId.get(String(id))!.checks = { passed: Number(passed), total: Number(total) };
  }
  return runs;
}

/** A run found by its id or the start of it (as `sparkify runs` shows it). */
export async function findRun(warehouse: Warehouse, id: string, signal?: AbortSignal): Promise<RunSummary> {
  const matches = (await ledgerVersion(warehouse, signal)) === undefined ? [] : await readRuns(warehouse, `WHERE run_id LIKE ${literal(`${id.replace(/[%_]/g, '')}%`)} ORDER BY started_at DESC LIMIT 2`, signal);
  if (matches.length === 1) return matches[0];
  throw new SparkifyError(matches.length === 0 ? `no run ${id} in the ledger` : `more than one run starts with ${id}`, {
    exitCode: ExitCode.usage,
    hint: matches.length === 0 ? '`sparkify runs` lists the runs this warehouse has seen' : 'give more of the id',
  });
}

/** The statements a run finished or failed, in the order they ended. */
export async function statementRuns(warehouse: Warehouse, runId: string, signal?: AbortSignal): Promise<StatementRun[]> {
  const rows = await allRows(
    warehouse,
    'SELECT step_id, statement_id, statement_name, wall_ms, engine_ms, rows_affected, status, query_id FROM sparkify.statement_runs ' +
      `WHERE run_id = ${literal(runId)} ORDER BY finished_at, statement_id`,
    signal,
  );
  return rows.map((r) => ({
    stepId: String(r[0]),
    statementId: String(r[1]),
    name: str(r[2]) ?? String(r[1]),
    wallMs: Number(r[3] ?? 0),
    engineMs: num(r[4]),
    rows: num(r[5]),
    status: String(r[6]),
    queryId: str(r[7]),
  }));
}

/** The run before this one on the same warehouse, for what changed since. */
export async function previousRun(warehouse: Warehouse, run: RunSummary, signal?: AbortSignal): Promise<RunSummary | undefined> {
  const [previous] = await readRuns(
    warehouse,
    `WHERE started_at < ${literal(new Date(run.startedAt))} AND outcome <> 'running' ORDER BY started_at DESC LIMIT 1`,
    signal,
  );
  return previous;
}

/** Each step's duration in the last `limit` finished runs, oldest first. */
export async function stepDurations(warehouse: Warehouse, limit: number, signal?: AbortSignal): Promise<Record<string, number[]>> {
  if ((await ledgerVersion(warehouse, signal)) === undefined) return {};
  const rows = await allRows(
    warehouse,
    'SELECT s.step_id, s.wall_ms FROM sparkify.step_runs AS s ' +
      `JOIN (SELECT run_id, started_at FROM sparkify.runs WHERE outcome <> 'running' ORDER BY started_at DESC LIMIT ${Math.floor(limit)}) AS r ON r.run_id = s.run_id ` +
      "WHERE s.status = 'FINISHED' ORDER BY r.started_at, s.run_id",
    signal,
  );
  const durations: Record<string, number[]> = {};
  for (const [step, ms] of rows) (durations[String(step)] ??= []).push(Number(ms));
  return durations;
}

/** Steps a run finished, for a resume of a run that died without saying where it failed. */
export async function finishedSteps(warehouse: Warehouse, runId: string, signal?: AbortSignal): Promise<Set<string>> {
  const rows = await allRows(warehouse, `SELECT step_id FROM sparkify.step_runs WHERE run_id = ${literal(runId)} AND status = 'FINISHED'`, signal);
  return new Set(rows.map((r) => String(r[0])));
}
