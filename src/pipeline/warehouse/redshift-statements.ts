// Statements over the Redshift Data API, for a warehouse and for a session
// alike. Calls wait for their statement (WaitTimeSeconds): ExecuteStatement
// for up to 2 seconds, so most statements end inside it and a long one is
// seen STARTED soon, then DescribeStatement for up to 30 seconds at a time.
// Statuses are reported as those calls return them; results come back page by page.
import { randomUUID } from 'node:crypto';
import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  type DescribeStatementResponse,
  type ExecuteStatementOutput,
  type RedshiftDataClient,
  type SubStatementData,
} from '@aws-sdk/client-redshift-data';
import { CancelledError, LoadError, SparkifyError, SqlError, type LoadErrorDetail } from '../errors.js';
import { copyTable } from '../sql/copy.js';
import { isTransientAwsError, limitError, toSparkifyError } from './redshift-errors.js';
import { nextPollDelay, sleep } from './redshift-polling.js';
import { openResult, readFirstPage, type ResultFormat } from './redshift-results.js';
import type { BatchOptions, ExecuteOptions, ExecuteResult, QueryOptions, QueryResult, Row, StatementStatus } from './types.js';

/** A BatchExecuteStatement is one transaction of at most this many statements. */
export const MAX_BATCH_STATEMENTS = 40;
/** The Data API refuses a statement longer than this. */
export const MAX_STATEMENT_BYTES = 100 * 1024;
/** The longest a Data API call may wait for its statement. */
export const MAX_WAIT_SECONDS = 30;
/** How long ExecuteStatement waits: most statements end within it, and a long one's STARTED is seen soon. */
const SUBMIT_WAIT_SECONDS = 2;
/** A batch's calls wait this long, so the statements inside it are seen ending about once a second. */
const BATCH_WAIT_SECONDS = 1;
/** Further polls after the SDK gave up on a transient DescribeStatement failure. */
const MAX_POLL_FAILURES = 5;
/** Refusals that pass once other work ends: the limits on active statements (per cluster) and on sessions. */
const LIMITS = new Set(['ActiveStatementsExceededException', 'ActiveSessionsExceededException']);
/** The longest pause between submissions a limit refused. */
const LIMIT_MAX_DELAY_MS = 4000;
/** How long a cancelled statement is given to reach ABORTED before we stop watching it. */
const CANCEL_SETTLE_MS = 5_000;

const TERMINAL = new Set<string>(['FINISHED', 'FAILED', 'ABORTED']);

type StatementOptions = ExecuteOptions & { sql: string };

/** What a submission says: the statement's id and where it stands. */
interface Submitted {
  id: string;
  status: string;
  /** Known once the submission saw the statement end. */
  hasResultSet?: boolean;
}

/** The fields that say where a statement runs, and word of each answer (a session learns its id from the first). */
export interface StatementTarget {
  fields(): Record<string, unknown>;
  answered?(output: ExecuteStatementOutput): void;
}

/** How statements are run and followed, the same for a warehouse and its sessions. */
export interface StatementSettings {
  /** Where they run, as messages name it (`cluster/database`). */
  label: string;
  /** The longest one call waits for its statement (WaitTimeSeconds). */
  waitSeconds: number;
  /** A provisioned cluster (stl_load_errors) rather than Serverless (sys_load_error_detail). */
  provisioned: boolean;
  /** How query results travel. */
  resultFormat: ResultFormat;
  /** How long a submission waits out the limits on active statements and sessions. */
  limitWaitMs: number;
}

export class DataApiStatements {
  readonly label: string;
  private readonly waitSeconds: number;

  constructor(
    private readonly client: RedshiftDataClient,
    private readonly target: StatementTarget,
    private readonly settings: StatementSettings,
  ) {
    this.label = settings.label;
    this.waitSeconds = settings.waitSeconds;
  }

  async execute(sql: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    const submitted = await this.submitStatement(sql, options);
    const described = await this.waitFor(submitted, this.waitSeconds, { ...options, sql });
    return toExecuteResult(described, submitted.id);
  }

  /**
   * A statement whose one outcome is that it worked (a SET): when its
   * ExecuteStatement saw it finish, no DescribeStatement follows for a
   * duration and row count nobody reads.
   */
  async executeSetting(sql: string, options: ExecuteOptions = {}): Promise<void> {
    const submitted = await this.submitStatement(sql, options);
    if (submitted.status !== 'FINISHED') await this.waitFor(submitted, this.waitSeconds, { ...options, sql });
  }

  private submitStatement(sql: string, options: ExecuteOptions): Promise<Submitted> {
    checkSize(sql);
    return this.submit('run a statement', options, Math.min(SUBMIT_WAIT_SECONDS, this.waitSeconds), (token, wait, abortSignal) =>
      this.client.send(new ExecuteStatementCommand({ ...this.target.fields(), Sql: sql, ClientToken: token, WaitTimeSeconds: wait }), { abortSignal }),
    );
  }

  async executeBatch(sqls: string[], options: BatchOptions = {}): Promise<ExecuteResult[]> {
    if (sqls.length === 0) return [];
    if (sqls.length > MAX_BATCH_STATEMENTS) {
      throw new SqlError(
        `a Redshift transaction sent through the Data API holds at most ${MAX_BATCH_STATEMENTS} statements; this one has ${sqls.length}`,
        { hint: `split the step into transactions of at most ${MAX_BATCH_STATEMENTS} statements` },
      );
    }
    for (const sql of sqls) checkSize(sql);
    const submitted = await this.submit('run a transaction', options, BATCH_WAIT_SECONDS, (token, wait, abortSignal) =>
      this.client.send(new BatchExecuteStatementCommand({ ...this.target.fields(), Sqls: sqls, ClientToken: token, WaitTimeSeconds: wait }), { abortSignal }),
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
          options.onStatementFinished?.(index, toExecuteResult(sub, sub.Id ?? `${submitted.id}:${index + 1}`));
        }
      }
    };
    const described = await this.waitFor(submitted, BATCH_WAIT_SECONDS, {
      ...options,
      sql: sqls.join(';\n'),
      onDescribe: (d) => report(d.SubStatements),
      subSqls: sqls,
    });
    const subs = described.SubStatements ?? [];
    return sqls.map((_, index) => toExecuteResult(subs[index] ?? {}, subs[index]?.Id ?? `${submitted.id}:${index + 1}`));
  }

  async query(sql: string, options: QueryOptions = {}): Promise<QueryResult> {
    checkSize(sql);
    const format = this.settings.resultFormat;
    const submitted = await this.submit('run a query', options, Math.min(SUBMIT_WAIT_SECONDS, this.waitSeconds), (token, wait, abortSignal) =>
      this.client.send(
        new ExecuteStatementCommand({ ...this.target.fields(), Sql: sql, ClientToken: token, WaitTimeSeconds: wait, ...(format === 'CSV' ? { ResultFormat: 'CSV' } : {}) }),
        { abortSignal },
      ),
    );
    const reader = { client: this.client, format, label: this.label };
    // Seen ended with a result inside ExecuteStatement: its first page is read
    // while DescribeStatement brings the Duration, not after it. That read of a
    // finished result is short and goes without the signal, which ten checks
    // at once would otherwise hold twenty listeners on; a cancel is seen after it.
    const reading = submitted.status === 'FINISHED' && submitted.hasResultSet ? readFirstPage(reader, submitted.id) : undefined;
    reading?.catch(() => undefined);
    const described = await this.waitFor(submitted, this.waitSeconds, { ...options, sql });
    const engineMs = durationMs(described.Duration);
    if (!described.HasResultSet) {
      return { columns: [], totalRows: 0, engineMs, pages: async function* () {}, close: async () => {} };
    }
    return openResult(reader, submitted.id, engineMs, options, reading);
  }

  /**
   * Submits a statement and lets the call wait for it, waiting out the
   * cluster's limit on active statements. Aborted while the call waits, the
   * statement is found again by its ClientToken (the Data API answers a
   * repeated token with the same statement) and cancelled.
   */
  private async submit(
    action: string,
    options: ExecuteOptions,
    wait: number,
    send: (token: string, wait: number | undefined, signal?: AbortSignal) => Promise<ExecuteStatementOutput>,
  ): Promise<Submitted> {
    if (options.signal?.aborted) throw new CancelledError();
    const token = randomUUID();
    const since = Date.now();
    const deadline = since + this.settings.limitWaitMs;
    // Sent is submitted: shown while the call waits; later states as the calls return them.
    options.onStatus?.('SUBMITTED');
    let delay = 250;
    for (;;) {
      try {
        const output = await send(token, wait, options.signal);
        if (!output.Id) throw new SparkifyError(`the Redshift Data API returned no statement id when asked to ${action}`);
        this.target.answered?.(output);
        const status = output.Status ?? 'SUBMITTED';
        const known = asStatus(status);
        if (known && known !== 'SUBMITTED') options.onStatus?.(known);
        return { id: output.Id, status, ...(output.HasResultSet !== undefined ? { hasResultSet: output.HasResultSet } : {}) };
      } catch (error) {
        if (error instanceof SparkifyError) throw error;
        if (options.signal?.aborted) {
          const found = await send(token, undefined).catch(() => undefined);
          if (found?.Id) return this.cancel(found.Id);
          throw new CancelledError();
        }
        const name = (error as { name?: string }).name ?? '';
        if (LIMITS.has(name)) {
          // Backoff with jitter, so submissions refused together do not return together.
          const pause = Math.min(delay * (0.75 + Math.random() * 0.5), deadline - Date.now());
          if (pause <= 0) throw limitError(error, action, this.label, Date.now() - since);
          await sleep(pause, options.signal);
          if (options.signal?.aborted) throw new CancelledError();
          delay = Math.min(delay * 2, LIMIT_MAX_DELAY_MS);
          continue;
        }
        throw toSparkifyError(error, action, this.label);
      }
    }
  }

  /**
   * Follows a statement to its end: one DescribeStatement when the submission
   * saw it end, else DescribeStatement calls that each wait up to `wait`
   * seconds. Aborting cancels it on the cluster.
   */
  private async waitFor(
    submitted: Submitted,
    wait: number,
    options: StatementOptions & { onDescribe?: (d: DescribeStatementResponse) => void; subSqls?: string[] },
  ): Promise<DescribeStatementResponse> {
    const { signal, onStatus } = options;
    const { id } = submitted;
    let status: string | undefined = submitted.status;
    let failures = 0;
    const since = Date.now();
    for (;;) {
      if (signal?.aborted) return this.cancel(id);
      const ended = TERMINAL.has(status ?? '');
      const asked = Date.now();
      let described: DescribeStatementResponse;
      try {
        described = await this.client.send(new DescribeStatementCommand({ Id: id, ...(ended ? {} : { WaitTimeSeconds: wait }) }), { abortSignal: signal });
        failures = 0;
      } catch (error) {
        if (signal?.aborted) return this.cancel(id);
        if (isTransientAwsError(error) && ++failures <= MAX_POLL_FAILURES) {
          await sleep(nextPollDelay(failures * 100), signal);
          continue;
        }
        throw toSparkifyError(error, 'read the state of a statement', this.label);
      }
      options.onDescribe?.(described);
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
      // An endpoint that answers before the wait is up without an end (one that
      // ignores WaitTimeSeconds) is polled with a growing delay instead.
      if (Date.now() - asked < wait * 1000 - 100) await sleep(nextPollDelay(Date.now() - since), signal);
    }
  }

  /** Asks Redshift to cancel, waits briefly for it to take, and reports the cancellation. */
  private async cancel(id: string): Promise<never> {
    try {
      await this.client.send(new CancelStatementCommand({ Id: id }));
      const deadline = Date.now() + CANCEL_SETTLE_MS;
      while (Date.now() < deadline) {
        const described = await this.client.send(new DescribeStatementCommand({ Id: id, WaitTimeSeconds: Math.ceil(CANCEL_SETTLE_MS / 1000) }));
        if (TERMINAL.has(described.Status ?? '')) break;
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
        const first = details[0];
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
    const order = this.settings.provisioned ? [stl, sys] : [sys, stl];
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
}

/** Refuses, before sending, a statement the Data API would refuse for its size. */
function checkSize(sql: string): void {
  const bytes = Buffer.byteLength(sql, 'utf8');
  if (bytes <= MAX_STATEMENT_BYTES) return;
  throw new SqlError(`the statement is ${(bytes / 1024).toFixed(1)} KB; the Redshift Data API takes statements of at most 100 KB`, {
    sql: sql.slice(0, 200),
    hint: 'split it into smaller statements, or put large data in S3 and load it with COPY',
  });
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
