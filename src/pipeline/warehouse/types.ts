// The one warehouse interface, implemented by the embedded DuckDB engine and by
// Amazon Redshift through the Data API. Small on purpose: run a statement, run a
// batch as one transaction, stream a query's rows in pages, close.

/** JS values as both engines hand them over: DECIMAL, DATE and TIMESTAMP arrive as strings. */
export type SqlValue = string | number | boolean | null;
export type Row = SqlValue[];

export interface ColumnInfo {
  name: string;
  /** Engine type name, lower case (e.g. `varchar`, `bigint`, `timestamp`). */
  type: string;
}

/** Data API statement states; the local engine reports STARTED then FINISHED. */
export type StatementStatus = 'SUBMITTED' | 'PICKED' | 'STARTED' | 'FINISHED' | 'FAILED' | 'ABORTED';

export interface ExecuteOptions {
  signal?: AbortSignal;
  /** Called on every status change the engine reports (Redshift: each DescribeStatement that changes it). */
  onStatus?: (status: StatementStatus) => void;
  /** Told when the statement waits for the engine, in words for a person (the local file held by another process). */
  onWait?: (message: string) => void;
}

/** A batch's options: those of one statement, and word of each sub-statement as it starts and ends. */
export interface BatchOptions extends ExecuteOptions {
  onStatementStarted?: (index: number) => void;
  onStatementFinished?: (index: number, result: ExecuteResult) => void;
}

export interface ExecuteResult {
  /** Rows inserted/updated/deleted; null where the engine reports none (DDL). */
  rowsAffected: number | null;
  /** Time the engine spent, in milliseconds (Redshift: Duration / 1e6). */
  engineMs: number;
  /** Engine's id for the statement (Data API statement id), when it has one. */
  statementId?: string;
}

export interface QueryOptions extends ExecuteOptions {
  /** Rows per page; the engine may return fewer. */
  pageSize?: number;
}

export interface QueryResult {
  columns: ColumnInfo[];
  /** Total rows when the engine knows it up front (Redshift TotalNumRows), else undefined. */
  totalRows?: number;
  engineMs: number;
  /** Pages of rows, pulled lazily: a large result never sits whole in memory. */
  pages(): AsyncIterable<Row[]>;
  /** Frees the result early when the caller stops reading. */
  close(): Promise<void>;
}

/**
 * A session, as psql has one: statements run one at a time, and SET, temporary
 * tables, search_path and an open transaction carry from one to the next. A
 * new statement ends the reading of the previous one's result.
 */
export interface WarehouseSession {
  execute(sql: string, options?: ExecuteOptions): Promise<ExecuteResult>;
  executeBatch(sqls: string[], options?: BatchOptions): Promise<ExecuteResult[]>;
  query(sql: string, options?: QueryOptions): Promise<QueryResult>;
  /**
   * True while a transaction begun with BEGIN in this session is open. A batch
   * then runs in that transaction and commits nothing: it stays open until the
   * COMMIT or ROLLBACK that ends it.
   */
  transactionOpen?(): boolean;
  /**
   * Makes the next statement the session's last: the engine ends the session
   * once it has run (its result stays readable), and close has nothing left to
   * send. For a session opened for one statement, where a separate end would
   * cost a round trip.
   */
  endAfterNext?(): void;
  /** Ends the session (the engine drops its temporary tables and settings). */
  close(): Promise<void>;
}

export interface Warehouse {
  readonly target: 'local' | 'redshift';
  /** Human label for headers and messages (a file path, a cluster or workgroup). */
  readonly label: string;
  /** Runs one statement that returns no rows we need. Aborting cancels it on the engine. */
  execute(sql: string, options?: ExecuteOptions): Promise<ExecuteResult>;
  /**
   * Runs statements serially as ONE transaction: all take effect or none.
   * `onStatement` reports each one as it finishes (index into `sqls`).
   */
  executeBatch(sqls: string[], options?: BatchOptions): Promise<ExecuteResult[]>;
  /** Runs a query and streams its rows. */
  query(sql: string, options?: QueryOptions): Promise<QueryResult>;
  /** Redshift Serverless (a workgroup): it has the SYS system views and none of the STL ones. */
  readonly serverless?: boolean;
  /** How many statements this engine gains from running at once (DuckDB: 1). */
  readonly maxConcurrency: number;
  /** Opens a session of its own (local: a connection; Redshift: a Data API session). Closing the warehouse closes it. */
  openSession(): Promise<WarehouseSession>;
  close(): Promise<void>;
}
