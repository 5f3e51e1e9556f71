// A fake Redshift Data API (AWS JSON 1.1, X-Amz-Target: RedshiftData.*). It runs
// the SQL for real on an in-memory DuckDB through the same Redshift → DuckDB
// rewrite as the local engine, with S3 buckets mapped to local folders, and
// moves each statement through SUBMITTED → PICKED → STARTED → FINISHED | FAILED
// | ABORTED the way the service does. Latency, throttling, 500s, dropped
// connections, slow answers and failing statements can be injected; control
// routes under /_fake/data-api/ expose what it saw. The seams: statements
// (data-api-statements.ts), sessions (data-api-sessions.ts), results
// (data-api-results.ts), refusals (data-api-rejections.ts), faults
// (data-api-faults.ts), the database (data-api-engine.ts).
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { FakeEngine } from './data-api-engine.js';
import { dice, FaultPicker, type FaultKind, type FaultRates, type QueuedFault } from './data-api-faults.js';
import {
  ServiceError,
  ValidationError,
  asServiceError,
  checkActiveStatements,
  checkCluster,
  checkCopyRole,
  checkSqls,
  requireString,
  validateScope,
  waitSeconds,
  directoryOf,
  type ClusterDirectory,
  type ClusterView,
} from './data-api-rejections.js';
import { describe, listStatements, resultPage } from './data-api-results.js';
import { FakeSessions, keepAliveSeconds } from './data-api-sessions.js';
import { StatementRunner, TERMINAL, newStatement, within, type FakeStatement, type StatementRule, type SubStatement } from './data-api-statements.js';
import type { FakeRequest, FakeResponse, FakeService } from './server.js';

export interface DataApiFakeOptions {
  /** S3 bucket name → local folder (relative paths resolve against the working directory). */
  buckets?: Record<string, string>;
  /** Time added to every statement's real execution time. */
  latencyMs?: number;
  /** Time a statement spends in SUBMITTED, and again in PICKED. */
  stateDelayMs?: number;
  /** Rows per GetStatementResult page. */
  pageSize?: number;
  /**
   * How a GetStatementResultV2 page splits its CSV text into Records, a list the
   * reference leaves open: one element for the page (default), or one per row
   * without its line break. The client must read both alike.
   */
  csvRecords?: 'page' | 'row';
  faults?: FaultRates;
  slowMs?: number;
  rules?: StatementRule[];
  /** Non-finished statements allowed at once on one cluster or workgroup (the service allows 200). */
  maxActive?: number;
  /** Seed of the fault dice, so a run can be repeated. */
  seed?: number;
  /**
   * The clusters there are, with their status and IAM roles: the control
   * plane's (a directory), or a fixed list of available ones by identifier.
   * Statements for any other cluster are refused, as Redshift refuses them;
   * none is known until one is given.
   */
  clusters?: ClusterDirectory | Record<string, Partial<ClusterView>>;
  /** Open sessions allowed at once (ActiveSessionsExceededException past it). */
  maxSessions?: number;
  /** Answer at once despite WaitTimeSeconds, as an endpoint without the feature would. */
  ignoreWait?: boolean;
  /** Databases every cluster and workgroup has (default: `dev`, as a new cluster has); each also has the one it was created with. */
  databases?: string[];
  /** The database a workgroup's namespace was created with, for one the control plane holds. */
  workgroupDatabase?: (workgroup: string) => string | undefined;
  /** RPUs a Serverless workgroup's statements run at, for sys_serverless_usage (default 8). */
  serverlessRpu?: number;
}

export interface CallRecord {
  op: string;
  at: number;
  id?: string;
  fault?: FaultKind;
  /** The error the fake answered with, when it refused the call. */
  error?: string;
}

type Settings = Required<Omit<DataApiFakeOptions, 'faults' | 'rules' | 'buckets' | 'seed' | 'databases' | 'clusters' | 'workgroupDatabase'>> & {
  faults: FaultRates;
  rules: StatementRule[];
  buckets: Record<string, string>;
};

const JSON_HEADERS = { 'content-type': 'application/x-amz-json-1.1' };

export class DataApiFake implements FakeService {
  readonly name = 'data-api';
  private options: Settings;
  private readonly statements = new Map<string, FakeStatement>();
  private readonly byClientToken = new Map<string, string>();
  private calls: CallRecord[] = [];
  private roll: () => number;
  private readonly faults: FaultPicker;
  private readonly engine: FakeEngine;
  private readonly sessions: FakeSessions;
  private readonly runner: StatementRunner;
  private readonly databases: Set<string>;
  private readonly clusterDirectory: ClusterDirectory;

  constructor(options: DataApiFakeOptions = {}) {
    this.options = {
      buckets: options.buckets ?? {},
      latencyMs: options.latencyMs ?? 0,
      stateDelayMs: options.stateDelayMs ?? 0,
      pageSize: options.pageSize ?? 1000,
      csvRecords: options.csvRecords ?? 'page',
      faults: options.faults ?? {},
      slowMs: options.slowMs ?? 250,
      rules: options.rules ?? [],
      maxActive: options.maxActive ?? 200,
      ignoreWait: options.ignoreWait ?? false,
      maxSessions: options.maxSessions ?? 500,
      serverlessRpu: options.serverlessRpu ?? 8,
    };
    this.roll = dice(options.seed ?? 1);
    this.faults = new FaultPicker(() => this.roll());
    this.databases = new Set(options.databases ?? ['dev']);
    this.clusterDirectory = directoryOf(options.clusters);
    this.engine = new FakeEngine(this.resolveSource, () => this.databases);
    this.sessions = new FakeSessions(() => this.engine.connect(), () => this.options.maxSessions);
    this.runner = new StatementRunner(
      this.engine,
      this.sessions,
      () => ({
        latencyMs: this.options.latencyMs,
        stateDelayMs: this.options.stateDelayMs,
        rules: this.options.rules,
        databases: this.databases,
        serverlessRpu: this.options.serverlessRpu,
      }),
      (statement, sql) => checkCopyRole(this.clusterDirectory, statement.scope, sql),
      ({ ClusterIdentifier: cluster, WorkgroupName: workgroup }) =>
        cluster ? (this.clusterDirectory(cluster)?.databases ?? []) : workgroup ? [options.workgroupDatabase?.(workgroup)].filter((d) => d !== undefined) : [],
    );
  }

  handles(request: FakeRequest): boolean {
    return request.target?.startsWith('RedshiftData.') ?? false;
  }

  async handle(request: FakeRequest): Promise<FakeResponse> {
    const op = request.target!.slice('RedshiftData.'.length);
    const fault = this.faults.pick(op, this.options.faults);
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
      response = { status: 200, headers: JSON_HEADERS, body: JSON.stringify(output) };
    } catch (error) {
      const refusal = asServiceError(error);
      record.error = refusal.type;
      response = this.error(refusal);
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
        this.faults.clear();
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
        return { queued: this.faults.queue((input.next as QueuedFault[] | undefined) ?? []) };
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

  private error(error: ServiceError): FakeResponse {
    return {
      status: error.status,
      headers: { ...JSON_HEADERS, 'x-amzn-errortype': error.type },
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
          throw new ValidationError('Sqls must hold between 1 and 40 statements');
        }
        return this.submitted(input, this.submit(input, sqls, true));
      }
      case 'DescribeStatement': {
        const id = requireString(input, 'Id');
        await this.waitFor(id, input);
        const { statement, sub } = this.find(id);
        return describe(statement, sub);
      }
      case 'GetStatementResult':
      case 'GetStatementResultV2': {
        const id = requireString(input, 'Id');
        await this.waitFor(id, input);
        const { statement, sub } = this.find(id);
        return resultPage(statement, sub, input.NextToken as string | undefined, op === 'GetStatementResultV2', this.options.pageSize, this.options.csvRecords);
      }
      case 'CancelStatement':
        return this.cancel(requireString(input, 'Id'));
      case 'ListStatements':
        return listStatements(this.statements.values(), input);
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
    if (scope.ClusterIdentifier) checkCluster(this.clusterDirectory, scope.ClusterIdentifier);
    checkSqls(sqls);
    // The limit is per cluster or workgroup: count the statements active on this one.
    const where = named ? (this.sessions.scopeOf(String(input.SessionId)) ?? {}) : scope;
    const active = [...this.statements.values()].filter((s) => !TERMINAL.has(s.status) && sameTarget(s.scope, where)).length;
    checkActiveStatements(active, this.options.maxActive);
    const id = randomUUID();
    const session = named ? this.sessions.take(input, id) : keepAlive !== undefined ? this.sessions.open(scope, keepAlive, id) : undefined;
    const pid = 1073741824 + Math.floor(this.roll() * 1e6);
    const statement = newStatement({ id, sqls, batch, scope, session, pid, csv: input.ResultFormat === 'CSV' });
    this.statements.set(id, statement);
    if (token) this.byClientToken.set(token, id);
    void this.runner.run(statement);
    return this.submitOutput(statement);
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

  private resolveSource = (uri: string): string => {
    const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
    if (!match) return uri;
    const folder = this.options.buckets[match[1]];
    if (!folder) throw new Error(`S3ServiceException:The specified bucket does not exist (bucket ${match[1]})`);
    return resolve(folder, match[2]);
  };

  private find(id: string): { statement: FakeStatement; sub?: SubStatement } {
    const [parentId, index] = id.split(':');
    const statement = this.statements.get(parentId);
    if (!statement) throw new ServiceError('ResourceNotFoundException', `Query does not exist: ${id}`);
    if (index === undefined) return { statement };
    const sub = statement.subs?.[Number(index) - 1];
    if (!sub) throw new ServiceError('ResourceNotFoundException', `Query does not exist: ${id}`);
    return { statement, sub };
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
}

function sameTarget(a: Record<string, string | undefined>, b: Record<string, string | undefined>): boolean {
  return a.ClusterIdentifier === b.ClusterIdentifier && a.WorkgroupName === b.WorkgroupName;
}

export function createDataApiService(options: DataApiFakeOptions = {}): DataApiFake {
  return new DataApiFake(options);
}
