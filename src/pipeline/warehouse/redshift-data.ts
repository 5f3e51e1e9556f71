// Amazon Redshift through the Redshift Data API: no driver, no open port, no
// password on disk. Every statement is submitted over HTTPS and followed with
// calls that wait for it (redshift-statements.ts). This module is only ever
// imported dynamically, so the AWS client loads only for `--target redshift`.
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { AwsError, ConfigError, SparkifyError, SqlError } from '../errors.js';
import { DataApiStatements, MAX_BATCH_STATEMENTS, MAX_WAIT_SECONDS, type StatementSettings } from './redshift-statements.js';
import { classify } from '../sql/classify.js';
import { runInOpenTransaction, runSessionTransaction } from './redshift-transaction.js';
import { DEFAULT_RESULT_FORMAT } from './redshift-results.js';
import { statementScope, type RedshiftConnection, type StatementScope } from './redshift-scope.js';
import type { BatchOptions, ExecuteOptions, ExecuteResult, QueryOptions, QueryResult, Warehouse, WarehouseSession } from './types.js';
import { searchPathStatement } from '../search-path.js';
import { quoteLiteral } from '../sql/tokenizer.js';

/** SDK attempts per call: throttling, 5xx and dropped connections are retried with backoff. */
const MAX_ATTEMPTS = 8;
/** How long a submission waits out the limits on active statements and sessions before giving up. */
const LIMIT_WAIT_SECONDS = 120;
/** How long a session outlives its last statement; an open session is kept alive by a statement before then. */
export const SESSION_KEEP_ALIVE_SECONDS = 900;
/**
 * The keep-alive of a session opened for one long transaction: its statements
 * follow each other at once, and a process killed in the middle leaves its
 * transaction (and its locks) to the cluster only this long before the
 * session ends and rolls it back.
 */
const TRANSACTION_KEEP_ALIVE_SECONDS = 60;

export class RedshiftDataWarehouse implements Warehouse {
  readonly target = 'redshift' as const;
  readonly label: string;
  readonly serverless: boolean;
  /**
   * The Data API takes up to 200 active statements per cluster and the
   * cluster's workload manager queues what it cannot run; the model's widest
   * step (the data-quality checks, short queries) fits in one round of 10.
   */
  readonly maxConcurrency = 10;
  private readonly statements: DataApiStatements;
  private readonly sessions = new Set<RedshiftDataSession>();

  private constructor(
    private readonly client: RedshiftDataClient,
    private readonly scope: StatementScope,
    private readonly settings: StatementSettings,
    private readonly searchPath?: readonly string[],
  ) {
    this.label = settings.label;
    this.serverless = !settings.provisioned;
    this.statements = new DataApiStatements(client, { fields: () => ({ ...scope }) }, settings);
  }

  static open(connection: RedshiftConnection): Promise<RedshiftDataWarehouse> {
    // A setting that cannot be used rejects, as every other failure to open does.
    return new Promise((resolve) => resolve(RedshiftDataWarehouse.create(connection)));
  }

  private static create(connection: RedshiftConnection): RedshiftDataWarehouse {
    const scope = statementScope(connection);
    const waitSeconds = connection.waitSeconds ?? MAX_WAIT_SECONDS;
    if (!Number.isInteger(waitSeconds) || waitSeconds < 1 || waitSeconds > MAX_WAIT_SECONDS) {
      throw new ConfigError(`the Data API wait must be 1 to ${MAX_WAIT_SECONDS} seconds, not ${waitSeconds}`, `pass a whole number of seconds from 1 to ${MAX_WAIT_SECONDS}`);
    }
    const client = new RedshiftDataClient({
      ...(connection.region ? { region: connection.region } : {}),
      ...(connection.profile ? { profile: connection.profile } : {}),
      ...(connection.endpoint ? { endpoint: connection.endpoint } : {}),
      maxAttempts: MAX_ATTEMPTS,
      retryMode: 'standard',
    });
    return new RedshiftDataWarehouse(client, scope, {
      label: `${scope.ClusterIdentifier ?? `workgroup ${scope.WorkgroupName}`}/${scope.Database}`,
      waitSeconds,
      provisioned: Boolean(scope.ClusterIdentifier),
      resultFormat: connection.resultFormat ?? DEFAULT_RESULT_FORMAT,
      limitWaitMs: (connection.limitWaitSeconds ?? LIMIT_WAIT_SECONDS) * 1000,
    }, connection.searchPath);
  }

  execute(sql: string, options?: ExecuteOptions): Promise<ExecuteResult> {
    return this.statements.execute(sql, options);
  }

  /** One BatchExecuteStatement, or past its 40 statements a transaction in a session of its own. */
  async executeBatch(sqls: string[], options?: BatchOptions): Promise<ExecuteResult[]> {
    if (sqls.length <= MAX_BATCH_STATEMENTS) return this.statements.executeBatch(sqls, options);
    const session = this.newSession(TRANSACTION_KEEP_ALIVE_SECONDS);
    try {
      return await session.executeBatch(sqls, options);
    } finally {
      await session.close();
    }
  }

  query(sql: string, options?: QueryOptions): Promise<QueryResult> {
    return this.statements.query(sql, options);
  }

  /**
   * A Data API session: the first statement opens it, the rest run in it one
   * at a time. With a search path, the session's first statements set it to
   * the path's schemas that exist (Redshift refuses a path naming one that
   * does not), so unqualified names resolve as on the local engine.
   */
  async openSession(options: { keepAliveSeconds?: number } = {}): Promise<WarehouseSession> {
    const session = this.newSession(options.keepAliveSeconds ?? SESSION_KEEP_ALIVE_SECONDS);
    if (!this.searchPath) return session;
    // Once the tables are made every schema of the path exists: one SET, without first asking the
    // catalog (a query and its result page). Only when Redshift refuses it are the schemas looked up.
    const whole = searchPathStatement(this.searchPath, new Set(this.searchPath.map((schema) => schema.toLowerCase())));
    if (!whole) return session;
    try {
      await session.executeSetting(whole);
      return session;
    } catch (error) {
      if (!(error instanceof SqlError)) {
        await session.close();
        throw error;
      }
    }
    try {
      const wanted = this.searchPath.map((schema) => quoteLiteral(schema.toLowerCase())).join(', ');
      const found = await session.query(`SELECT nspname FROM pg_namespace WHERE nspname IN (${wanted})`);
      const existing = new Set<string>();
      for await (const page of found.pages()) for (const row of page) existing.add(String(row[0]).toLowerCase());
      const statement = searchPathStatement(this.searchPath, existing);
      if (statement) await session.executeSetting(statement);
      return session;
    } catch (error) {
      await session.close();
      throw error;
    }
  }

  private newSession(keepAliveSeconds: number): RedshiftDataSession {
    const session = new RedshiftDataSession(this.client, this.scope, this.settings, keepAliveSeconds, () => this.sessions.delete(session));
    this.sessions.add(session);
    return session;
  }

  async close(): Promise<void> {
    await Promise.all([...this.sessions].map((session) => session.close().catch(() => undefined)));
    this.client.destroy();
  }
}

/**
 * One Data API session. The first statement carries the cluster, database and
 * SessionKeepAliveSeconds and learns the SessionId; the rest carry only the
 * SessionId. The session runs one statement at a time, so calls queue here.
 * While open and idle it is kept alive by a `SELECT 1` before the keep-alive
 * runs out; closing ends it with a statement that keeps it alive 0 seconds.
 */
class RedshiftDataSession implements WarehouseSession {
  private sessionId: string | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly statements: DataApiStatements;
  private heartbeat: NodeJS.Timeout | undefined;
  private closed = false;
  /** A BEGIN of the caller's ran in this session and no COMMIT or ROLLBACK has ended it. */
  private openTransaction = false;

  constructor(
    client: RedshiftDataClient,
    scope: StatementScope,
    settings: StatementSettings,
    private readonly keepAliveSeconds: number,
    private readonly onClosed: () => void,
  ) {
    let keepAlive: number | undefined;
    this.statements = new DataApiStatements(
      client,
      {
        fields: () => {
          const extra = keepAlive === undefined ? {} : { SessionKeepAliveSeconds: keepAlive };
          keepAlive = undefined;
          return this.sessionId ? { SessionId: this.sessionId, ...extra } : { ...scope, SessionKeepAliveSeconds: this.keepAliveSeconds };
        },
        answered: (output) => {
          this.sessionId ??= output.SessionId;
        },
      },
      settings,
    );
    this.ending = () => {
      keepAlive = 0;
    };
  }

  /** Makes the next statement end the session once it has run. */
  private readonly ending: () => void;
  /** The statement that ends the session has been asked for: nothing is sent to end it again. */
  private lastAsked = false;

  endAfterNext(): void {
    this.ending();
    this.lastAsked = true;
  }

  execute(sql: string, options?: ExecuteOptions): Promise<ExecuteResult> {
    const statement = classify(sql);
    if (statement.kind !== 'transaction') return this.inTurn(() => this.statements.execute(sql, options));
    return this.inTurn(async () => {
      try {
        const result = await this.statements.execute(sql, options);
        this.openTransaction = statement.command === 'BEGIN';
        return result;
      } catch (error) {
        // A COMMIT or ROLLBACK that fails still ends the transaction (a failed COMMIT rolls it back).
        if (statement.command !== 'BEGIN') this.openTransaction = false;
        throw error;
      }
    });
  }

  /** A SET, run in turn: no DescribeStatement when its submission saw it finish. */
  executeSetting(sql: string): Promise<void> {
    return this.inTurn(() => this.statements.executeSetting(sql));
  }

  transactionOpen(): boolean {
    return this.openTransaction;
  }

  executeBatch(sqls: string[], options?: BatchOptions): Promise<ExecuteResult[]> {
    // A batch's own transaction (BatchExecuteStatement's, or BEGIN ... COMMIT past 40 statements) would commit the caller's.
    if (this.openTransaction) return this.inTurn(() => runInOpenTransaction(this.statements, sqls, options));
    if (sqls.length > MAX_BATCH_STATEMENTS) return this.inTurn(() => runSessionTransaction(this.statements, sqls, options));
    return this.inTurn(() => this.statements.executeBatch(sqls, options));
  }

  query(sql: string, options?: QueryOptions): Promise<QueryResult> {
    return this.inTurn(() => this.statements.query(sql, options));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.heartbeat);
    this.onClosed();
    if (!this.sessionId || this.lastAsked) return;
    await this.run(() => {
      this.ending();
      return this.statements.execute('SELECT 1');
    }).catch(() => undefined);
  }

  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new SparkifyError('the Redshift session is closed'));
    return this.run(work).catch((error: unknown) => {
      // A session that expired is gone with all it held: the next statement starts a new one.
      if (error instanceof AwsError && /session .* has ended/.test(error.message)) {
        this.sessionId = undefined;
        this.openTransaction = false;
      }
      throw error;
    });
  }

  private run<T>(work: () => Promise<T>): Promise<T> {
    clearTimeout(this.heartbeat);
    const turn = this.queue.then(work);
    this.queue = turn.then(
      () => this.keepAlive(),
      () => this.keepAlive(),
    );
    return turn;
  }

  /** Schedules a statement before the keep-alive runs out, so an idle open session lives on. */
  private keepAlive(): void {
    if (this.closed || !this.sessionId || this.lastAsked) return;
    clearTimeout(this.heartbeat);
    this.heartbeat = setTimeout(() => void this.run(() => this.statements.execute('SELECT 1')).catch(() => undefined), this.keepAliveSeconds * 800);
    this.heartbeat.unref();
  }
}
