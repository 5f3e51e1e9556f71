// Amazon Redshift through the Redshift Data API: no driver, no open port, no
// password on disk. Every statement is submitted over HTTPS and its progress
// polled with DescribeStatement; results come back page by page. This module is
// only ever imported dynamically, so the AWS client loads only for
// `--target redshift`.
import { randomUUID } from 'node:crypto';
import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  RedshiftDataClient,
  type DescribeStatementResponse,
  type GetStatementResultResponse,
  type SubStatementData,
} from '@aws-sdk/client-redshift-data';
import { CancelledError, ConfigError, LoadError, SparkifyError, SqlError, type LoadErrorDetail } from '../errors.js';
import { copyTable } from '../sql/copy.js';
import { isTransientAwsError, toSparkifyError } from './redshift-errors.js';
import { nextPollDelay, sleep } from './redshift-polling.js';
import { recordToRow, toColumnInfo } from './redshift-values.js';
import type {
  BatchOptions,
  ExecuteOptions,
  ExecuteResult,
  QueryOptions,
  QueryResult,
  Row,
  StatementStatus,
  Warehouse,
} from './types.js';
import type { RedshiftConnectionSettings } from '../connect.js';

export interface RedshiftConnection extends RedshiftConnectionSettings {
  /** Data API endpoint URL; AWS_ENDPOINT_URL(_REDSHIFT_DATA) also work. */
  endpoint?: string;
}

/** The identity fields every Data API statement call carries. */
export interface StatementScope {
  ClusterIdentifier?: string;
  WorkgroupName?: string;
  Database: string;
  DbUser?: string;
  SecretArn?: string;
}

/** A BatchExecuteStatement is one transaction of at most this many statements. */
export const MAX_BATCH_STATEMENTS = 40;

/** SDK attempts per call: throttling, 5xx and dropped connections are retried with backoff. */
const MAX_ATTEMPTS = 8;
/** Further polls after the SDK gave up on a transient DescribeStatement failure. */
const MAX_POLL_FAILURES = 5;
/** How long a submission waits out ActiveStatementsExceededException (200 running per cluster). */
const ACTIVE_STATEMENTS_WAIT_MS = 120_000;
/** How long a cancelled statement is given to reach ABORTED before we stop watching it. */
const CANCEL_SETTLE_MS = 5_000;

const TERMINAL = new Set<string>(['FINISHED', 'FAILED', 'ABORTED']);

/**
 * Checks the authentication combination and names what is missing:
 * ClusterIdentifier + Database + DbUser (temporary credentials), SecretArn with
 * ClusterIdentifier or WorkgroupName, or WorkgroupName alone (Serverless, IAM).
 */
export function statementScope(connection: RedshiftConnection): StatementScope {
  const { clusterIdentifier, workgroupName, database, dbUser, secretArn } = connection;
  if (clusterIdentifier && workgroupName) {
    throw new ConfigError(
      'both a cluster (--cluster-id) and a Serverless workgroup (--workgroup) are set',
      'name one of them: a provisioned cluster or a Serverless workgroup',
    );
  }
  if (!clusterIdentifier && !workgroupName) {
    throw new ConfigError(
      'no Redshift cluster or workgroup is set',
      'pass --cluster-id ID (provisioned) or --workgroup NAME (Serverless), or save one with `sparkify setup`',
    );
  }
  if (!database) {
    throw new ConfigError('no Redshift database is set', 'pass --database NAME (a new cluster has `dev`)');
  }
  if (dbUser && secretArn) {
    throw new ConfigError(
      'both --db-user and --secret-arn are set',
      'use --db-user for temporary credentials or --secret-arn for a Secrets Manager secret, not both',
    );
  }
  if (clusterIdentifier && !dbUser && !secretArn) {
    throw new ConfigError(
      `cluster ${clusterIdentifier} needs a database user or a secret`,
      'pass --db-user NAME (temporary credentials) or --secret-arn ARN (Secrets Manager)',
    );
  }
  if (workgroupName && dbUser) {
    throw new ConfigError(
      'a Serverless workgroup takes no --db-user',
      'drop --db-user: the workgroup maps your AWS identity to a database user (or pass --secret-arn)',
    );
  }
  return {
    ...(clusterIdentifier ? { ClusterIdentifier: clusterIdentifier } : { WorkgroupName: workgroupName }),
    Database: database,
    ...(dbUser ? { DbUser: dbUser } : {}),
    ...(secretArn ? { SecretArn: secretArn } : {}),
  };
}

type StatementOptions = ExecuteOptions & { sql: string };

export class RedshiftDataWarehouse implements Warehouse {
  readonly target = 'redshift' as const;
  readonly label: string;
  /**
   * The Data API takes up to 200 active statements per cluster and the
   * cluster's workload manager queues what it cannot run; the model's widest
   * step (the data-quality checks, short queries) fits in one round of 10.
   */
  readonly maxConcurrency = 10;
  private readonly client: RedshiftDataClient;
  private readonly scope: StatementScope;

  private constructor(client: RedshiftDataClient, scope: StatementScope) {
    this.client = client;
    this.scope = scope;
    this.label = `${scope.ClusterIdentifier ?? `workgroup ${scope.WorkgroupName}`}/${scope.Database}`;
  }

  static async open(connection: RedshiftConnection): Promise<RedshiftDataWarehouse> {
    const scope = statementScope(connection);
    const client = new RedshiftDataClient({
      ...(connection.region ? { region: connection.region } : {}),
      ...(connection.profile ? { profile: connection.profile } : {}),
      ...(connection.endpoint ? { endpoint: connection.endpoint } : {}),
      maxAttempts: MAX_ATTEMPTS,
      retryMode: 'standard',
    });
    return new RedshiftDataWarehouse(client, scope);
  }

  async execute(sql: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    const id = await this.submit('run a statement', options, () =>
      this.client.send(new ExecuteStatementCommand({ ...this.scope, Sql: sql, ClientToken: randomUUID() })),
    );
    const described = await this.waitFor(id, { ...options, sql });
    return toExecuteResult(described, id);
  }

  async executeBatch(sqls: string[], options: BatchOptions = {}): Promise<ExecuteResult[]> {
    if (sqls.length === 0) return [];
    if (sqls.length > MAX_BATCH_STATEMENTS) {
      throw new SqlError(
        `a Redshift transaction sent through the Data API holds at most ${MAX_BATCH_STATEMENTS} statements; this one has ${sqls.length}`,
        { hint: `split the step into transactions of at most ${MAX_BATCH_STATEMENTS} statements` },
      );
    }
    const id = await this.submit('run a transaction', options, () =>
      this.client.send(new BatchExecuteStatementCommand({ ...this.scope, Sqls: sqls, ClientToken: randomUUID() })),
    );
    const started = new Set<number>();
    const finished = new Set<number>();
    const report = (subs: SubStatementData[] | undefined) => {
      for (const [index, sub] of (subs ?? []).entries()) {
        const status = sub.Status ?? 'SUBMITTED';
        // A statement seen only once it has ended still started: report that first.
        if (!started.has(index) && (status === 'STARTED' || status === 'FINISHED' || status === 'FAILED')) {
          started.add(index);
          options.onStatementStarted?.(index);
        }
        if (!finished.has(index) && status === 'FINISHED') {
          finished.add(index);
          options.onStatementFinished?.(index, toExecuteResult(sub, sub.Id ?? `${id}:${index + 1}`));
        }
      }
    };
    const described = await this.waitFor(id, {
      ...options,
      sql: sqls.join(';\n'),
      onDescribe: (d) => report(d.SubStatements),
      subSqls: sqls,
    });
    const subs = described.SubStatements ?? [];
    return sqls.map((_, index) => toExecuteResult(subs[index] ?? {}, subs[index]?.Id ?? `${id}:${index + 1}`));
  }

  async query(sql: string, options: QueryOptions = {}): Promise<QueryResult> {
    const id = await this.submit('run a query', options, () =>
      this.client.send(new ExecuteStatementCommand({ ...this.scope, Sql: sql, ClientToken: randomUUID() })),
    );
    const described = await this.waitFor(id, { ...options, sql });
    const engineMs = durationMs(described.Duration);
    if (!described.HasResultSet) {
      return { columns: [], totalRows: 0, engineMs, pages: async function* () {}, close: async () => {} };
    }
    const first = await this.resultPage(id, undefined, options.signal);
    const columns = toColumnInfo(first.ColumnMetadata);
    const pageSize = options.pageSize && options.pageSize > 0 ? options.pageSize : undefined;
    let closed = false;
    const fetchPage = (token: string) => this.resultPage(id, token, options.signal);
    return {
      columns,
      totalRows: first.TotalNumRows,
      engineMs,
      async *pages(): AsyncIterable<Row[]> {
        let page: GetStatementResultResponse | undefined = first;
        while (page && !closed) {
          const rows = (page.Records ?? []).map((record) => recordToRow(record, columns));
          if (pageSize) {
            for (let at = 0; at < rows.length && !closed; at += pageSize) yield rows.slice(at, at + pageSize);
          } else if (rows.length > 0) {
            yield rows;
          }
          if (!page.NextToken || closed) break;
          if (options.signal?.aborted) throw new CancelledError();
          page = await fetchPage(page.NextToken);
        }
      },
      async close() {
        // The Data API keeps results for 24 hours on its side; nothing to free but our cursor.
        closed = true;
      },
    };
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  /** Submits a statement, waiting out the cluster's limit on active statements. */
  private async submit(
    action: string,
    options: ExecuteOptions,
    send: () => Promise<{ Id?: string; Status?: string }>,
  ): Promise<string> {
    if (options.signal?.aborted) throw new CancelledError();
    const deadline = Date.now() + ACTIVE_STATEMENTS_WAIT_MS;
    let delay = 250;
    for (;;) {
      try {
        const output = await send();
        if (!output.Id) throw new SparkifyError(`the Redshift Data API returned no statement id when asked to ${action}`);
        options.onStatus?.(asStatus(output.Status) ?? 'SUBMITTED');
        return output.Id;
      } catch (error) {
        if (error instanceof SparkifyError) throw error;
        const name = (error as { name?: string }).name;
        if (name === 'ActiveStatementsExceededException' && Date.now() < deadline) {
          await sleep(delay, options.signal);
          if (options.signal?.aborted) throw new CancelledError();
          delay = Math.min(delay * 2, 4000);
          continue;
        }
        throw toSparkifyError(error, action, this.label);
      }
    }
  }

  /** Polls DescribeStatement until the statement ends; aborting cancels it on the cluster. */
  private async waitFor(
    id: string,
    options: StatementOptions & { onDescribe?: (d: DescribeStatementResponse) => void; subSqls?: string[] },
  ): Promise<DescribeStatementResponse> {
    const { signal, onStatus } = options;
    // The delay grows with the time since the last visible progress (a state
    // change, a sub-statement of a batch finishing), so the end of a long batch
    // is seen as soon as the end of its last statement would be.
    let lastProgress = Date.now();
    let progress = '';
    let status: string | undefined = 'SUBMITTED';
    let failures = 0;
    for (;;) {
      await sleep(nextPollDelay(Date.now() - lastProgress), signal);
      if (signal?.aborted) return this.cancel(id);
      let described: DescribeStatementResponse;
      try {
        described = await this.client.send(new DescribeStatementCommand({ Id: id }), { abortSignal: signal });
        failures = 0;
      } catch (error) {
        if (signal?.aborted) return this.cancel(id);
        if (isTransientAwsError(error) && ++failures <= MAX_POLL_FAILURES) continue;
        throw toSparkifyError(error, 'read the state of a statement', this.label);
      }
      options.onDescribe?.(described);
      const seen = [described.Status, ...(described.SubStatements ?? []).map((sub) => sub.Status)].join(' ');
      if (seen !== progress) {
        progress = seen;
        lastProgress = Date.now();
      }
      if (described.Status !== status) {
        status = described.Status;
        const known = asStatus(status);
        if (known) onStatus?.(known);
      }
      if (status === 'FINISHED') return described;
      if (status === 'FAILED') throw await this.failure(described, options);
      if (status === 'ABORTED') {
        throw new SqlError(`the statement was cancelled on ${this.label} by someone else`, {
          sql: options.sql,
          hint: 'run again; check the cluster for sessions that cancel queries (or a WLM timeout)',
        });
      }
    }
  }

  /** Asks Redshift to cancel, waits briefly for it to take, and reports the cancellation. */
  private async cancel(id: string): Promise<never> {
    try {
      await this.client.send(new CancelStatementCommand({ Id: id }));
      const deadline = Date.now() + CANCEL_SETTLE_MS;
      let delay = 20;
      while (Date.now() < deadline) {
        const described = await this.client.send(new DescribeStatementCommand({ Id: id }));
        if (TERMINAL.has(described.Status ?? '')) break;
        await sleep(delay);
        delay = Math.min(delay * 2, 500);
      }
    } catch {
      // A statement that ended before the cancel arrived cannot be cancelled; either way it no longer runs.
    }
    throw new CancelledError('cancelled: the running statement was stopped on Redshift');
  }

  /** A FAILED statement as the error to show; a failed COPY brings its rejected rows along. */
  private async failure(
    described: DescribeStatementResponse,
    options: StatementOptions & { subSqls?: string[] },
  ): Promise<SparkifyError> {
    const failedSub = described.SubStatements?.findIndex((sub) => sub.Status === 'FAILED') ?? -1;
    const sql = failedSub >= 0 && options.subSqls ? options.subSqls[failedSub] : options.sql;
    // Redshift prefixes its messages with `ERROR:`; the CLI adds its own `error:`.
    const text = ((failedSub >= 0 ? described.SubStatements?.[failedSub]?.Error : undefined) ?? described.Error ?? 'the statement failed')
      .trim()
      .replace(/^ERROR:\s*/i, '');
    const copyTarget = copyTable(sql);
    if (copyTarget) {
      const queryId = (failedSub >= 0 ? described.SubStatements?.[failedSub]?.RedshiftQueryId : undefined) ?? described.RedshiftQueryId;
      const details = await this.loadErrors(queryId, described.RedshiftPid, options.signal).catch(() => []);
      if (details.length > 0) {
        // Worded as the local engine words it; Redshift's own text only points at the table read here.
        const first = details[0]!;
        const column = first.column ? `, column ${first.column}` : '';
        const count = `${details.length} bad row${details.length === 1 ? '' : 's'}`;
        return new LoadError(copyTarget, `COPY into ${copyTarget} failed: ${count} (first at ${first.file} line ${first.line}${column}: ${first.reason})`, details);
      }
    }
    return new SqlError(text, { sql });
  }

  /**
   * The rejected rows of a failed COPY. stl_load_errors (provisioned clusters)
   * keeps the raw line and field value; sys_load_error_detail is the view
   * Serverless has, so a cluster reads stl first and a workgroup reads sys.
   */
  private async loadErrors(queryId: number | undefined, pid: number | undefined, signal?: AbortSignal): Promise<LoadErrorDetail[]> {
    const stl = `select trim(filename), line_number, trim(colname), trim(err_reason), trim(raw_field_value), trim(raw_line)
      from stl_load_errors where ${queryId ? `query = ${Number(queryId)}` : `session = ${Number(pid ?? 0)}`}
      order by starttime desc, line_number limit 20`;
    const sys = `select trim(file_name), line_number, trim(column_name), trim(error_message), null, null
      from sys_load_error_detail where ${queryId ? `query_id = ${Number(queryId)}` : `session_id = ${Number(pid ?? 0)}`}
      order by start_time desc, line_number limit 20`;
    const order = this.scope.ClusterIdentifier ? [stl, sys] : [sys, stl];
    for (const sql of order) {
      try {
        const rows = await this.collect(sql, signal);
        if (rows.length > 0) return rows.map(toLoadErrorDetail);
      } catch (error) {
        if (error instanceof CancelledError) throw error;
      }
    }
    return [];
  }

  private async collect(sql: string, signal?: AbortSignal): Promise<Row[]> {
    const result = await this.query(sql, { signal });
    const rows: Row[] = [];
    for await (const page of result.pages()) rows.push(...page);
    return rows;
  }

  private async resultPage(id: string, token: string | undefined, signal?: AbortSignal): Promise<GetStatementResultResponse> {
    if (signal?.aborted) throw new CancelledError();
    try {
      return await this.client.send(new GetStatementResultCommand({ Id: id, NextToken: token }), { abortSignal: signal });
    } catch (error) {
      if (signal?.aborted) throw new CancelledError();
      throw toSparkifyError(error, 'read a query result', this.label);
    }
  }
}

function asStatus(status: string | undefined): StatementStatus | undefined {
  switch (status) {
    case 'SUBMITTED':
    case 'PICKED':
    case 'STARTED':
    case 'FINISHED':
    case 'FAILED':
    case 'ABORTED':
      return status;
    default:
      return undefined;
  }
}

function durationMs(durationNs: number | undefined): number {
  return durationNs && durationNs > 0 ? durationNs / 1e6 : 0;
}

function toExecuteResult(described: { Duration?: number; ResultRows?: number }, statementId: string): ExecuteResult {
  const rows = described.ResultRows;
  return {
    rowsAffected: rows === undefined || rows < 0 ? null : rows,
    engineMs: durationMs(described.Duration),
    statementId,
  };
}

function toLoadErrorDetail(row: Row): LoadErrorDetail {
  const [file, line, column, reason, rawValue, rawLine] = row;
  return {
    file: String(file ?? ''),
    line: Number(line ?? 0),
    ...(column ? { column: String(column) } : {}),
    reason: String(reason ?? ''),
    // The system tables pad with blanks where a value is unknown: an empty field means none.
    ...(rawValue ? { rawValue: String(rawValue) } : {}),
    ...(rawLine ? { rawLine: String(rawLine) } : {}),
  };
}
