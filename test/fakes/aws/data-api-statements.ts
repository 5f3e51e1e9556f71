// Statements in the fake Data API: what one is, how it is made from a request,
// and how it runs, moving through SUBMITTED → PICKED → STARTED → FINISHED |
// FAILED | ABORTED as the service moves it. A batch is one transaction.
import { isAbortError } from '../../../src/pipeline/errors.js';
import type { WarehouseSession } from '../../../src/pipeline/warehouse/types.js';
import { CopyRejected, returnsRows, type FakeEngine, type ResultSet } from './data-api-engine.js';
import type { FakeSession, FakeSessions } from './data-api-sessions.js';

export type Status = 'SUBMITTED' | 'PICKED' | 'STARTED' | 'FINISHED' | 'FAILED' | 'ABORTED';

export const TERMINAL = new Set<Status>(['FINISHED', 'FAILED', 'ABORTED']);

export interface SubStatement {
  id: string;
  sql: string;
  status: Status;
  createdAt: number;
  updatedAt: number;
  startedAt?: number;
  durationNs: number;
  resultRows: number;
  error?: string;
  queryId?: number;
  hasResultSet: boolean;
  result?: ResultSet;
}

export interface FakeStatement extends SubStatement {
  scope: Record<string, string | undefined>;
  pid: number;
  subs?: SubStatement[];
  abort: AbortController;
  cancelRequested: boolean;
  /** Asked for with ResultFormat CSV: its result is read with GetStatementResultV2. */
  csv: boolean;
  /** The Data API session it runs in, if any. */
  session?: FakeSession;
  /** Resolves when the statement has ended, however it ended. */
  settled: Promise<void>;
  settle: () => void;
}

export interface StatementRule {
  /** Regular expression (case-insensitive) matched against the statement's SQL. */
  pattern: string;
  /** Extra time this statement takes instead of the default latency. */
  latencyMs?: number;
  /** Make the statement FAIL with this error text. */
  fail?: string;
}

/** What the runner reads of the fake's options at the time a statement runs. */
export interface RunSettings {
  latencyMs: number;
  stateDelayMs: number;
  rules: StatementRule[];
  databases: Set<string>;
  /** RPUs a Serverless workgroup runs a statement at (its base capacity). */
  serverlessRpu: number;
}

/** Serverless charges at least this long each time a workgroup starts from idle. */
const SERVERLESS_MINIMUM_SECONDS = 60;

interface NewStatement {
  id: string;
  sqls: string[];
  batch: boolean;
  scope: Record<string, string | undefined>;
  session?: FakeSession;
  pid: number;
  csv: boolean;
}

/** A statement as submitted, with one sub-statement per SQL of a batch. */
export function newStatement({ id, sqls, batch, scope, session, pid, csv }: NewStatement): FakeStatement {
  const now = Date.now();
  const fresh = (subId: string, sql: string): SubStatement => ({
    id: subId,
    sql,
    status: 'SUBMITTED',
    createdAt: now,
    updatedAt: now,
    durationNs: -1,
    resultRows: -1,
    hasResultSet: returnsRows(sql),
  });
  let settle!: () => void;
  const settled = new Promise<void>((resolve) => (settle = resolve));
  return {
    ...fresh(id, sqls.join('; ')),
    hasResultSet: !batch && returnsRows(sqls[0]),
    scope: session?.scope ?? scope,
    ...(session ? { session } : {}),
    pid,
    abort: new AbortController(),
    cancelRequested: false,
    csv,
    settled,
    settle,
    ...(batch ? { subs: sqls.map((sql, index) => fresh(`${id}:${index + 1}`, sql)) } : {}),
  };
}

export function setStatus(statement: SubStatement, status: Status): void {
  statement.status = status;
  statement.updatedAt = Date.now();
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolveSleep, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolveSleep();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Waits for `promise`, for at most `ms`. */
export async function within(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

export class StatementRunner {
  private nextQueryId = 1000;
  /** When each workgroup's last statement ended: one idle past the minimum starts again, and is charged the minimum. */
  private readonly workgroupBusyUntil = new Map<string, number>();

  constructor(
    private readonly engine: FakeEngine,
    private readonly sessions: FakeSessions,
    private readonly settings: () => RunSettings,
    /** Refuses a COPY whose IAM role the statement's cluster does not have. */
    private readonly checkCopyRole: (statement: FakeStatement, sql: string) => void,
    /** The databases a cluster or workgroup holds besides the fake's own list. */
    private readonly ownDatabases: (scope: FakeStatement['scope']) => string[],
  ) {}

  async run(statement: FakeStatement): Promise<void> {
    const signal = statement.abort.signal;
    const { stateDelayMs, databases } = this.settings();
    let connecting: Promise<WarehouseSession> | undefined;
    try {
      await sleep(stateDelayMs, signal);
      setStatus(statement, 'PICKED');
      await sleep(stateDelayMs, signal);
      setStatus(statement, 'STARTED');
      statement.startedAt = Date.now();
      const database = statement.scope.Database ?? 'dev';
      if (!databases.has(database) && !this.ownDatabases(statement.scope).includes(database)) throw new Error(`FATAL: database "${database}" does not exist`);
      // The connection opens while the statement's latency runs: setting one up is the fake's own cost, not the statement's.
      connecting = statement.session ? statement.session.connection : this.engine.connect();
      connecting.catch(() => undefined);
      if (statement.subs) await this.runBatch(statement, connecting, signal);
      else await this.runSingle(statement, connecting, signal);
      statement.durationNs = (Date.now() - statement.startedAt) * 1e6;
      setStatus(statement, 'FINISHED');
    } catch (error) {
      statement.durationNs = statement.startedAt ? (Date.now() - statement.startedAt) * 1e6 : -1;
      if (signal.aborted || isAbortError(error)) {
        for (const sub of statement.subs ?? []) if (!TERMINAL.has(sub.status)) setStatus(sub, 'ABORTED');
        setStatus(statement, 'ABORTED');
        statement.error = "Query cancelled on user's request";
      } else {
        statement.error = String((error as Error).message ?? error);
        setStatus(statement, 'FAILED');
      }
    } finally {
      if (statement.session) this.sessions.release(statement.session);
      else await (await connecting?.catch(() => undefined))?.close();
      await this.recordUsage(statement).catch(() => undefined);
      statement.settle();
    }
  }

  /**
   * The RPU-seconds a workgroup's statement used, in sys_serverless_usage: its
   * time at the base capacity, and at least the minimum charge when the
   * workgroup had been idle (a simplification of Serverless's per-minute rows).
   */
  private async recordUsage(statement: FakeStatement): Promise<void> {
    const workgroup = statement.scope.WorkgroupName;
    if (!workgroup || statement.startedAt === undefined) return;
    const end = Date.now();
    const seconds = (end - statement.startedAt) / 1000;
    const busyUntil = this.workgroupBusyUntil.get(workgroup);
    const idle = busyUntil === undefined || busyUntil < statement.startedAt - SERVERLESS_MINIMUM_SECONDS * 1000;
    this.workgroupBusyUntil.set(workgroup, Math.max(end, busyUntil ?? 0));
    const charged = idle ? Math.max(seconds, SERVERLESS_MINIMUM_SECONDS) : seconds;
    await this.engine.recordServerlessUsage(statement.startedAt, end, this.settings().serverlessRpu, charged);
  }

  private async runSingle(statement: FakeStatement, connecting: Promise<WarehouseSession>, signal: AbortSignal): Promise<void> {
    const rule = this.ruleFor(statement.sql);
    await sleep(rule?.latencyMs ?? this.settings().latencyMs, signal);
    statement.queryId = this.nextQueryId++;
    if (rule?.fail) throw new Error(`ERROR: ${rule.fail}`);
    this.checkCopyRole(statement, statement.sql);
    const connection = await connecting;
    try {
      const outcome = await this.engine.run(connection, statement.sql, signal, { locked: false });
      statement.resultRows = outcome.rows;
      statement.result = outcome.result;
    } catch (error) {
      if (error instanceof CopyRejected) await this.engine.recordLoadErrors(connection, error.load, this.loadContext(statement, statement), false);
      throw error;
    }
  }

  /**
   * A batch is one transaction on one connection: each statement sees the ones
   * before it, and nobody else sees any of them until the COMMIT. It holds the
   * writers' lock for the whole of it, as a cluster holds the locks of an open
   * transaction; each sub-statement takes the statement latency, and a failing
   * one rolls back all before it. As for a single statement, the connection
   * opens while the first sub-statement's latency runs.
   */
  private async runBatch(statement: FakeStatement, connecting: Promise<WarehouseSession>, signal: AbortSignal): Promise<void> {
    const subs = statement.subs!;
    await this.engine.exclusive(async () => {
      let connection: WarehouseSession | undefined;
      let failed: unknown;
      let index = 0;
      try {
        for (; index < subs.length; index++) {
          const sub = subs[index];
          setStatus(sub, 'STARTED');
          sub.startedAt = Date.now();
          const rule = this.ruleFor(sub.sql);
          await sleep(rule?.latencyMs ?? this.settings().latencyMs, signal);
          if (!connection) {
            connection = await connecting;
            await connection.execute('BEGIN TRANSACTION');
          }
          sub.queryId = this.nextQueryId++;
          if (rule?.fail) throw new Error(`ERROR: ${rule.fail}`);
          this.checkCopyRole(statement, sub.sql);
          const outcome = await this.engine.run(connection, sub.sql, signal, { locked: true });
          sub.resultRows = outcome.rows;
          sub.result = outcome.result;
          sub.durationNs = (Date.now() - sub.startedAt) * 1e6;
          setStatus(sub, 'FINISHED');
        }
        await connection?.execute('COMMIT');
      } catch (error) {
        failed = error;
      }
      if (failed === undefined) return;
      await connection?.execute('ROLLBACK').catch(() => undefined);
      const sub = subs[index];
      if (sub) {
        if (failed instanceof CopyRejected && connection) await this.engine.recordLoadErrors(connection, failed.load, this.loadContext(statement, sub), true);
        sub.durationNs = sub.startedAt ? (Date.now() - sub.startedAt) * 1e6 : -1;
        if (signal.aborted || isAbortError(failed)) {
          setStatus(sub, 'ABORTED');
        } else {
          sub.error = String((failed as Error).message ?? failed);
          setStatus(sub, 'FAILED');
        }
        for (const later of subs.slice(index + 1)) setStatus(later, 'ABORTED');
      }
      throw failed instanceof Error ? failed : new Error(String((failed as Error).message ?? failed));
    });
  }

  private loadContext(statement: FakeStatement, failed: SubStatement) {
    return { queryId: failed.queryId ?? 0, pid: statement.pid };
  }

  private ruleFor(sql: string): StatementRule | undefined {
    return this.settings().rules.find((rule) => new RegExp(rule.pattern, 'i').test(sql));
  }
}
