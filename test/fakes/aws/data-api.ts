// A fake Redshift Data API (AWS JSON 1.1, X-Amz-Target: RedshiftData.*). It runs
// the SQL for real on an in-memory DuckDB through the same Redshift → DuckDB
// rewrite as the local engine, with S3 buckets mapped to local folders, and
// moves each statement through SUBMITTED → PICKED → STARTED → FINISHED | FAILED
// | ABORTED the way the service does. Latency, throttling, 500s, dropped
// connections, slow answers and failing statements can be injected; control
// routes under /_fake/data-api/ expose what it saw.
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { isAbortError } from '../../../src/pipeline/errors.js';
import { stripLeadingComments } from '../../../src/pipeline/sql/tokenizer.js';
import type { WarehouseSession } from '../../../src/pipeline/warehouse/types.js';
import { CopyRejected, FakeEngine, returnsRows, type Field, type ResultSet } from './data-api-engine.js';
import { FakeSessions, SessionError, keepAliveSeconds, type FakeSession } from './data-api-sessions.js';
import type { FakeRequest, FakeResponse, FakeService } from './server.js';

export interface FaultRates {
  /** Share of requests answered 400 ThrottlingException. */
  throttle?: number;
  /** Share answered 500 InternalServerException. */
  error500?: number;
  /** Share whose connection is dropped after the request was handled (the answer is lost). */
  reset?: number;
  /** Share answered after `slowMs`. */
  slow?: number;
}

export type FaultKind = 'throttle' | 'error500' | 'reset' | 'slow' | 'expired' | 'active-statements';

/** A fault for the next `count` requests (of one operation, when `op` is set). */
export interface QueuedFault {
  kind: FaultKind;
  op?: string;
  count?: number;
}

export interface StatementRule {
  /** Regular expression (case-insensitive) matched against the statement's SQL. */
  pattern: string;
  /** Extra time this statement takes instead of the default latency. */
  latencyMs?: number;
  /** Make the statement FAIL with this error text. */
  fail?: string;
}

export interface DataApiFakeOptions {
  /** S3 bucket name → local folder (relative paths resolve against the working directory). */
  buckets?: Record<string, string>;
  /** Time added to every statement's real execution time. */
  latencyMs?: number;
  /** Time a statement spends in SUBMITTED, and again in PICKED. */
  stateDelayMs?: number;
  /** Rows per GetStatementResult page. */
  pageSize?: number;
  faults?: FaultRates;
  slowMs?: number;
  rules?: StatementRule[];
  /** Non-finished statements allowed at once (the service allows 200). */
  maxActive?: number;
  /** Seed of the fault dice, so a run can be repeated. */
  seed?: number;
  /**
   * The clusters there are, with their status and IAM roles (from the control
   * plane); without it, any cluster named is taken to be available.
   */
  clusters?: (identifier: string) => { status: string; iamRoles: string[] } | undefined;
  /** Open sessions allowed at once (ActiveSessionsExceededException past it). */
  maxSessions?: number;
  /** Answer at once despite WaitTimeSeconds, as an endpoint without the feature would. */
  ignoreWait?: boolean;
  /** Databases the cluster has (default: `dev`, as a new cluster has). */
  databases?: string[];
}

export interface CallRecord {
  op: string;
  at: number;
  id?: string;
  fault?: FaultKind;
}

type Status = 'SUBMITTED' | 'PICKED' | 'STARTED' | 'FINISHED' | 'FAILED' | 'ABORTED';

interface SubStatement {
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

/** What DescribeStatement says of a statement or of one inside a batch. */
function describeFields(s: SubStatement): Record<string, unknown> {
  return {
    Id: s.id,
    Status: s.status,
    QueryString: s.sql,
    CreatedAt: s.createdAt / 1000,
    UpdatedAt: s.updatedAt / 1000,
    Duration: TERMINAL.has(s.status) ? s.durationNs : -1,
    ResultRows: s.status === 'FINISHED' ? s.resultRows : -1,
    ResultSize: s.status === 'FINISHED' && s.result ? Buffer.byteLength(JSON.stringify(s.result.records)) : -1,
    HasResultSet: s.hasResultSet,
    ...(s.queryId ? { RedshiftQueryId: s.queryId } : {}),
    ...(s.error ? { Error: s.error } : {}),
  };
}

interface FakeStatement extends SubStatement {
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

const TERMINAL = new Set<Status>(['FINISHED', 'FAILED', 'ABORTED']);
const MAX_SQL_BYTES = 100 * 1024;

class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** Deterministic dice (mulberry32) so a seeded fault run repeats exactly. */
function dice(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
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

export class DataApiFake implements FakeService {
  readonly name = 'data-api';
  private options: Required<Omit<DataApiFakeOptions, 'faults' | 'rules' | 'buckets' | 'seed' | 'databases' | 'clusters'>> & {
    faults: FaultRates;
    rules: StatementRule[];
    buckets: Record<string, string>;
  };
  private readonly statements = new Map<string, FakeStatement>();
  private readonly byClientToken = new Map<string, string>();
  private readonly queued: QueuedFault[] = [];
  private calls: CallRecord[] = [];
  private roll: () => number;
  private readonly engine: FakeEngine;
  private readonly sessions: FakeSessions;
  private readonly databases: Set<string>;
  private readonly clusterDirectory: DataApiFakeOptions['clusters'];
  private nextQueryId = 1000;

  constructor(options: DataApiFakeOptions = {}) {
    this.options = {
      buckets: options.buckets ?? {},
      latencyMs: options.latencyMs ?? 0,
      stateDelayMs: options.stateDelayMs ?? 0,
      pageSize: options.pageSize ?? 1000,
      faults: options.faults ?? {},
      slowMs: options.slowMs ?? 250,
      rules: options.rules ?? [],
      maxActive: options.maxActive ?? 200,
      ignoreWait: options.ignoreWait ?? false,
      maxSessions: options.maxSessions ?? 500,
    };
    this.roll = dice(options.seed ?? 1);
    this.databases = new Set(options.databases ?? ['dev']);
    this.clusterDirectory = options.clusters;
    this.engine = new FakeEngine(this.resolveSource);
    this.sessions = new FakeSessions(() => this.engine.connect(), () => this.options.maxSessions);
  }

  handles(request: FakeRequest): boolean {
    return request.target?.startsWith('RedshiftData.') ?? false;
  }

  async handle(request: FakeRequest): Promise<FakeResponse> {
    const op = request.target!.slice('RedshiftData.'.length);
    const fault = this.pickFault(op);
    let input: Record<string, unknown>;
    try {
      input = request.body ? (JSON.parse(request.body) as Record<string, unknown>) : {};
    } catch {
      return this.error(new ServiceError('SerializationException', 'request body is not JSON'));
    }
    const record: CallRecord = { op, at: Date.now(), ...(typeof input.Id === 'string' ? { id: input.Id } : {}), ...(fault ? { fault } : {}) };
    this.calls.push(record);
    if (fault === 'throttle') return this.error(new ServiceError('ThrottlingException', 'Rate exceeded'));
    if (fault === 'error500') return this.error(new ServiceError('InternalServerException', 'Internal server error', 500));
    if (fault === 'expired') {
      return this.error(new ServiceError('ExpiredTokenException', 'The security token included in the request is expired', 403));
    }
    if (fault === 'active-statements') {
      return this.error(new ServiceError('ActiveStatementsExceededException', 'Active statements exceeded the allowed quota'));
    }
    let response: FakeResponse;
    try {
      const output = await this.dispatch(op, input);
      if (output && typeof output === 'object' && 'Id' in output && !record.id) record.id = String(output.Id);
      response = { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify(output) };
    } catch (error) {
      response = this.error(
        error instanceof ServiceError
          ? error
          : error instanceof SessionError
            ? new ServiceError(error.type, error.message)
            : new ServiceError('InternalServerException', String((error as Error).message), 500),
      );
    }
    if (fault === 'reset') return { ...response, drop: true };
    if (fault === 'slow') return { ...response, delayMs: this.options.slowMs };
    return response;
  }

  control(path: string, body: unknown): unknown {
    const input = (body ?? {}) as Record<string, unknown>;
    switch (path) {
      case '/calls':
        return this.calls;
      case '/reset':
        this.calls = [];
        this.queued.length = 0;
        return { ok: true };
      case '/statements':
        return [...this.statements.values()].map((s) => ({
          id: s.id,
          sql: s.sql,
          status: s.status,
          error: s.error,
          cancelRequested: s.cancelRequested,
          subStatements: s.subs?.map((sub) => ({ id: sub.id, status: sub.status })),
        }));
      case '/end-sessions':
        // As a cluster reboot or an administrator's pg_terminate_backend would.
        return this.sessions.closeAll().then(() => ({ ok: true }));
      case '/config':
        this.configure(input);
        return { ok: true };
      case '/faults':
        this.queued.push(...((input.next as QueuedFault[] | undefined) ?? []));
        return { queued: this.queued.length };
      default:
        throw new Error(`unknown control route ${path}`);
    }
  }

  configure(options: DataApiFakeOptions): void {
    const { seed, ...rest } = options;
    this.options = { ...this.options, ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) };
    if (seed !== undefined) this.roll = dice(seed);
  }

  /** Opens the engine now rather than on the first statement, as a cluster is up before it is used. */
  async ready(): Promise<void> {
    await this.engine.ready();
  }

  /** Calls seen so far (for tests in the same process). */
  get seen(): readonly CallRecord[] {
    return this.calls;
  }

  async close(): Promise<void> {
    for (const statement of this.statements.values()) statement.abort.abort();
    await this.sessions.closeAll();
    await this.engine.close();
  }

  private pickFault(op: string): FaultKind | undefined {
    const index = this.queued.findIndex((f) => !f.op || f.op === op);
    if (index >= 0) {
      const fault = this.queued[index];
      if ((fault.count ?? 1) <= 1) this.queued.splice(index, 1);
      else fault.count = (fault.count ?? 1) - 1;
      return fault.kind;
    }
    const { throttle = 0, error500 = 0, reset = 0, slow = 0 } = this.options.faults;
    const r = this.roll();
    if (r < throttle) return 'throttle';
    if (r < throttle + error500) return 'error500';
    if (r < throttle + error500 + reset) return 'reset';
    if (r < throttle + error500 + reset + slow) return 'slow';
    return undefined;
  }

  private error(error: ServiceError): FakeResponse {
    return {
      status: error.status,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': error.type },
      body: JSON.stringify({ __type: error.type, message: error.message }),
    };
  }

  private async dispatch(op: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    switch (op) {
      case 'ExecuteStatement':
        return this.submitted(input, this.submit(input, [requireString(input, 'Sql')], false));
      case 'BatchExecuteStatement': {
        const sqls = input.Sqls;
        if (!Array.isArray(sqls) || sqls.length < 1 || sqls.length > 40 || !sqls.every((s) => typeof s === 'string')) {
          throw new ServiceError('ValidationException', 'Sqls must hold between 1 and 40 statements');
        }
        return this.submitted(input, this.submit(input, sqls, true));
      }
      case 'DescribeStatement': {
        const id = requireString(input, 'Id');
        await this.waitFor(id, input);
        return this.describe(id);
      }
      case 'GetStatementResult':
      case 'GetStatementResultV2': {
        const id = requireString(input, 'Id');
        await this.waitFor(id, input);
        return this.result(id, input.NextToken as string | undefined, op === 'GetStatementResultV2');
      }
      case 'CancelStatement':
        return this.cancel(requireString(input, 'Id'));
      case 'ListStatements':
        return this.list(input);
      case 'ListSessions':
        return this.sessions.list(input);
      default:
        throw new ServiceError('UnknownOperationException', `the fake does not implement RedshiftData.${op}`);
    }
  }

  private submit(input: Record<string, unknown>, sqls: string[], batch: boolean): Record<string, unknown> {
    const token = typeof input.ClientToken === 'string' ? input.ClientToken : undefined;
    const known = token ? this.byClientToken.get(token) : undefined;
    if (known) return this.submitOutput(this.statements.get(known)!);
    const named = typeof input.SessionId === 'string' && input.SessionId !== '';
    const keepAlive = named ? undefined : keepAliveSeconds(input);
    const scope = named ? {} : validateScope(input);
    if (scope.ClusterIdentifier) this.checkCluster(scope.ClusterIdentifier);
    for (const sql of sqls) {
      if (Buffer.byteLength(sql) > MAX_SQL_BYTES) throw new ServiceError('ValidationException', 'the SQL statement exceeds 100 KB');
      if (sql.trim() === '') throw new ServiceError('ValidationException', 'the SQL statement is empty');
    }
    const active = [...this.statements.values()].filter((s) => !TERMINAL.has(s.status)).length;
    if (active >= this.options.maxActive) {
      throw new ServiceError('ActiveStatementsExceededException', `Active statements exceeded the allowed quota (${this.options.maxActive})`);
    }
    const now = Date.now();
    const id = randomUUID();
    const session = named ? this.sessions.take(input, id) : keepAlive !== undefined ? this.sessions.open(scope, keepAlive, id) : undefined;
    const statement: FakeStatement = {
      id,
      sql: sqls.join('; '),
      status: 'SUBMITTED',
      createdAt: now,
      updatedAt: now,
      durationNs: -1,
      resultRows: -1,
      hasResultSet: !batch && returnsRows(sqls[0]),
      scope: session?.scope ?? scope,
      ...(session ? { session } : {}),
      pid: 1073741824 + Math.floor(this.roll() * 1e6),
      abort: new AbortController(),
      cancelRequested: false,
      csv: input.ResultFormat === 'CSV',
      ...settlement(),
      ...(batch
        ? {
            subs: sqls.map((sql, index) => ({
              id: `${id}:${index + 1}`,
              sql,
              status: 'SUBMITTED',
              createdAt: now,
              updatedAt: now,
              durationNs: -1,
              resultRows: -1,
              hasResultSet: returnsRows(sql),
            })),
          }
        : {}),
    };
    this.statements.set(id, statement);
    if (token) this.byClientToken.set(token, id);
    void this.run(statement);
    return this.submitOutput(statement);
  }

  /** Only a cluster that exists and is available takes statements. */
  private checkCluster(identifier: string): void {
    if (!this.clusterDirectory) return;
    const cluster = this.clusterDirectory(identifier);
    if (!cluster) throw new ValidationError("Redshift endpoint doesn't exist in this region.");
    if (cluster.status !== 'available') {
      throw new ValidationError(`Cluster ${identifier} is not available to run statements: its status is ${cluster.status}.`);
    }
  }

  /** A COPY names an IAM role the cluster must have associated, as Redshift checks it. */
  private checkCopyRole(statement: FakeStatement, sql: string): void {
    const identifier = statement.scope.ClusterIdentifier;
    const role = /\biam_role\s+'([^']*)'|aws_iam_role=([^;']*)/i.exec(sql);
    if (!identifier || !this.clusterDirectory || !role || !/^\s*copy\b/i.test(stripLeadingComments(sql))) return;
    const arn = role[1] ?? role[2];
    if (arn.toLowerCase() === 'default' || this.clusterDirectory(identifier)?.iamRoles.includes(arn)) return;
    const user = statement.scope.DbUser ?? 'awsuser';
    throw new Error(`ERROR: User arn:aws:redshift:us-west-2:123456789012:dbuser:${identifier}/${user} is not authorized to assume IAM Role ${arn}`);
  }

  private submitOutput(s: FakeStatement): Record<string, unknown> {
    return { Id: s.id, CreatedAt: s.createdAt / 1000, Status: 'SUBMITTED', ...s.scope, ...(s.session ? { SessionId: s.session.id } : {}) };
  }

  /** ExecuteStatement's answer: at once, or once the statement ends or WaitTimeSeconds pass, with the status then. */
  private async submitted(input: Record<string, unknown>, output: Record<string, unknown>): Promise<Record<string, unknown>> {
    const seconds = waitSeconds(input);
    if (seconds === undefined || this.options.ignoreWait) return output;
    const statement = this.statements.get(String(output.Id))!;
    await within(statement.settled, seconds * 1000);
    return {
      ...output,
      Status: statement.status,
      RedshiftPid: statement.pid,
      ...(statement.status === 'FINISHED' ? { HasResultSet: statement.hasResultSet || Boolean(statement.subs?.some((sub) => sub.hasResultSet)) } : {}),
    };
  }

  /** Holds a call with WaitTimeSeconds until its statement ends or the time is up. */
  private async waitFor(id: string, input: Record<string, unknown>): Promise<void> {
    const seconds = waitSeconds(input);
    if (seconds === undefined || this.options.ignoreWait) return;
    const { statement } = this.find(id);
    await within(statement.settled, seconds * 1000);
  }

  private async run(statement: FakeStatement): Promise<void> {
    const signal = statement.abort.signal;
    let connection: WarehouseSession | undefined;
    try {
      await sleep(this.options.stateDelayMs, signal);
      this.setStatus(statement, 'PICKED');
      await sleep(this.options.stateDelayMs, signal);
      this.setStatus(statement, 'STARTED');
      statement.startedAt = Date.now();
      const database = statement.scope.Database ?? 'dev';
      if (!this.databases.has(database)) throw new Error(`FATAL: database "${database}" does not exist`);
      connection = statement.session ? await statement.session.connection : await this.engine.connect();
      if (statement.subs) await this.runBatch(statement, connection, signal);
      else await this.runSingle(statement, connection, signal);
      statement.durationNs = (Date.now() - statement.startedAt) * 1e6;
      this.setStatus(statement, 'FINISHED');
    } catch (error) {
      statement.durationNs = statement.startedAt ? (Date.now() - statement.startedAt) * 1e6 : -1;
      if (signal.aborted || isAbortError(error)) {
        for (const sub of statement.subs ?? []) if (!TERMINAL.has(sub.status)) this.setStatus(sub, 'ABORTED');
        this.setStatus(statement, 'ABORTED');
        statement.error = 'Query cancelled on user\'s request';
      } else {
        statement.error = String((error as Error).message ?? error);
        this.setStatus(statement, 'FAILED');
      }
    } finally {
      if (statement.session) this.sessions.release(statement.session);
      else await connection?.close();
      statement.settle();
    }
  }

  private async runSingle(statement: FakeStatement, connection: WarehouseSession, signal: AbortSignal): Promise<void> {
    const rule = this.ruleFor(statement.sql);
    await sleep(rule?.latencyMs ?? this.options.latencyMs, signal);
    statement.queryId = this.nextQueryId++;
    if (rule?.fail) throw new Error(`ERROR: ${rule.fail}`);
    this.checkCopyRole(statement, statement.sql);
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
   * one rolls back all before it.
   */
  private async runBatch(statement: FakeStatement, connection: WarehouseSession, signal: AbortSignal): Promise<void> {
    const subs = statement.subs!;
    await this.engine.exclusive(async () => {
      await connection.execute('BEGIN TRANSACTION');
      let failed: unknown;
      let index = 0;
      try {
        for (; index < subs.length; index++) {
          const sub = subs[index];
          this.setStatus(sub, 'STARTED');
          sub.startedAt = Date.now();
          const rule = this.ruleFor(sub.sql);
          await sleep(rule?.latencyMs ?? this.options.latencyMs, signal);
          sub.queryId = this.nextQueryId++;
          if (rule?.fail) throw new Error(`ERROR: ${rule.fail}`);
          this.checkCopyRole(statement, sub.sql);
          const outcome = await this.engine.run(connection, sub.sql, signal, { locked: true });
          sub.resultRows = outcome.rows;
          sub.result = outcome.result;
          sub.durationNs = (Date.now() - sub.startedAt) * 1e6;
          this.setStatus(sub, 'FINISHED');
        }
        await connection.execute('COMMIT');
      } catch (error) {
        failed = error;
      }
      if (failed === undefined) return;
      await connection.execute('ROLLBACK').catch(() => undefined);
      const sub = subs[index];
      if (sub) {
        if (failed instanceof CopyRejected) await this.engine.recordLoadErrors(connection, failed.load, this.loadContext(statement, sub), true);
        sub.durationNs = sub.startedAt ? (Date.now() - sub.startedAt) * 1e6 : -1;
        if (signal.aborted || isAbortError(failed)) {
          this.setStatus(sub, 'ABORTED');
        } else {
          sub.error = String((failed as Error).message ?? failed);
          this.setStatus(sub, 'FAILED');
        }
        for (const later of subs.slice(index + 1)) this.setStatus(later, 'ABORTED');
      }
      throw failed;
    });
  }

  private loadContext(statement: FakeStatement, failed: SubStatement) {
    return { queryId: failed.queryId ?? 0, pid: statement.pid };
  }

  private resolveSource = (uri: string): string => {
    const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
    if (!match) return uri;
    const folder = this.options.buckets[match[1]];
    if (!folder) throw new Error(`S3ServiceException:The specified bucket does not exist (bucket ${match[1]})`);
    return resolve(folder, match[2]);
  };

  private ruleFor(sql: string): StatementRule | undefined {
    return this.options.rules.find((rule) => new RegExp(rule.pattern, 'i').test(sql));
  }

  private setStatus(statement: SubStatement, status: Status): void {
    statement.status = status;
    statement.updatedAt = Date.now();
  }

  private find(id: string): { statement: FakeStatement; sub?: SubStatement } {
    const [parentId, index] = id.split(':');
    const statement = this.statements.get(parentId);
    if (!statement) throw new ServiceError('ResourceNotFoundException', `Query does not exist: ${id}`);
    if (index === undefined) return { statement };
    const sub = statement.subs?.[Number(index) - 1];
    if (!sub) throw new ServiceError('ResourceNotFoundException', `Query does not exist: ${id}`);
    return { statement, sub };
  }

  private describe(id: string): Record<string, unknown> {
    const { statement, sub } = this.find(id);
    return {
      ...describeFields(sub ?? statement),
      RedshiftPid: statement.pid,
      ...(!sub && statement.subs ? { SubStatements: statement.subs.map(describeFields) } : {}),
      ...statement.scope,
      ...(statement.session ? { SessionId: statement.session.id } : {}),
    };
  }

  /** GetStatementResult pages typed fields of a JSON result; GetStatementResultV2 pages CSV text of a CSV one. */
  private result(id: string, nextToken: string | undefined, v2: boolean): Record<string, unknown> {
    const { statement, sub } = this.find(id);
    const target = sub ?? statement;
    if (v2 !== statement.csv) {
      throw new ValidationError(
        v2 ? 'GetStatementResultV2 reads results in CSV format: run the statement with ResultFormat CSV' : 'The result is in CSV format: read it with GetStatementResultV2',
      );
    }
    if (target.status !== 'FINISHED') throw new ValidationError(`Query has not finished: status is ${target.status}`);
    const result = target.result;
    if (!result) throw new ValidationError('Query does not have result. Please check query status with DescribeStatement.');
    const offset = nextToken ? Number(Buffer.from(nextToken, 'base64').toString('utf8')) : 0;
    if (!Number.isInteger(offset) || offset < 0 || offset > result.records.length) {
      throw new ValidationError('NextToken is not valid');
    }
    const end = Math.min(offset + this.options.pageSize, result.records.length);
    const page = result.records.slice(offset, end);
    return {
      Records: v2 ? [{ CSVRecords: toCsv(page) }] : page,
      ColumnMetadata: result.columns,
      TotalNumRows: result.records.length,
      ...(v2 ? { ResultFormat: 'CSV' } : {}),
      ...(end < result.records.length ? { NextToken: Buffer.from(String(end)).toString('base64') } : {}),
    };
  }

  private cancel(id: string): Record<string, unknown> {
    const { statement } = this.find(id);
    if (TERMINAL.has(statement.status)) {
      throw new ValidationError(`Could not cancel a query that is already in ${statement.status} state with ID: ${id}`);
    }
    statement.cancelRequested = true;
    statement.abort.abort(new Error('cancelled'));
    return { Status: true };
  }

  private list(input: Record<string, unknown>): Record<string, unknown> {
    const status = typeof input.Status === 'string' && input.Status !== 'ALL' ? input.Status : undefined;
    const max = typeof input.MaxResults === 'number' ? input.MaxResults : 100;
    const offset = typeof input.NextToken === 'string' ? Number(Buffer.from(input.NextToken, 'base64').toString('utf8')) : 0;
    const all = [...this.statements.values()]
      .filter((s) => !status || s.status === status)
      .sort((a, b) => b.createdAt - a.createdAt);
    const page = all.slice(offset, offset + max);
    return {
      Statements: page.map((s) => ({
        Id: s.id,
        Status: s.status,
        CreatedAt: s.createdAt / 1000,
        UpdatedAt: s.updatedAt / 1000,
        IsBatchStatement: Boolean(s.subs),
        ...(s.subs ? { QueryStrings: s.subs.map((sub) => sub.sql) } : { QueryString: s.sql }),
      })),
      ...(offset + max < all.length ? { NextToken: Buffer.from(String(offset + max)).toString('base64') } : {}),
    };
  }
}

class ValidationError extends ServiceError {
  constructor(message: string) {
    super('ValidationException', message);
  }
}

/** Waits for `promise`, for at most `ms`. */
async function within(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** Rows as CSV text (RFC 4180: fields with commas, quotes or line breaks quoted; NULL empty). */
function toCsv(records: Field[][]): string {
  const text = (field: Field): string => {
    if ('isNull' in field) return '';
    const value = String(Object.values(field)[0]);
    return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  };
  return records.map((row) => `${row.map(text).join(',')}\n`).join('');
}

function settlement(): { settled: Promise<void>; settle: () => void } {
  let settle!: () => void;
  const settled = new Promise<void>((resolve) => (settle = resolve));
  return { settled, settle };
}

/** WaitTimeSeconds, checked as the service checks it (0 to 30). */
function waitSeconds(input: Record<string, unknown>): number | undefined {
  const value = input.WaitTimeSeconds;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 30) {
    throw new ValidationError('WaitTimeSeconds must be an integer between 0 and 30');
  }
  return value;
}

function requireString(input: Record<string, unknown>, key: string): string {
  const value = input[key];
  if (typeof value !== 'string' || value === '') throw new ValidationError(`${key} is required`);
  return value;
}

/** The service's own checks on how a statement authenticates. */
function validateScope(input: Record<string, unknown>): Record<string, string | undefined> {
  const text = (key: string) => (typeof input[key] === 'string' && input[key] !== '' ? (input[key]) : undefined);
  const cluster = text('ClusterIdentifier');
  const workgroup = text('WorkgroupName');
  const secret = text('SecretArn');
  const dbUser = text('DbUser');
  const database = text('Database');
  if (cluster && workgroup) throw new ValidationError('Specify either ClusterIdentifier or WorkgroupName, not both');
  if (!cluster && !workgroup && !secret) throw new ValidationError('Either ClusterIdentifier, WorkgroupName or SecretArn is required');
  if (cluster && !secret && !dbUser) throw new ValidationError('DbUser is required when authenticating with temporary credentials');
  if (!secret && !database) throw new ValidationError('Database is required');
  return {
    ...(cluster ? { ClusterIdentifier: cluster } : {}),
    ...(workgroup ? { WorkgroupName: workgroup } : {}),
    ...(database ? { Database: database } : {}),
    ...(dbUser ? { DbUser: dbUser } : {}),
    ...(secret ? { SecretArn: secret } : {}),
  };
}

export function createDataApiService(options: DataApiFakeOptions = {}): DataApiFake {
  return new DataApiFake(options);
}
