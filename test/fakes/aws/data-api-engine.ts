// The database behind the fake Data API: one in-memory DuckDB through the same
// Redshift → DuckDB rewrite as the local engine. Every statement runs on a
// connection of its own (a session's connection, or a fresh one), so what a
// transaction has not committed no other statement sees; readers run at once,
// writers one at a time, as a cluster's table locks make them.
import { DuckDbWarehouse } from '../../../src/pipeline/warehouse/duckdb.js';
import { LoadError, SparkifyError, isAbortError } from '../../../src/pipeline/errors.js';
import { classify } from '../../../src/pipeline/sql/classify.js';
import { splitStatements } from '../../../src/pipeline/sql/tokenizer.js';
import type { ColumnInfo, SqlValue, WarehouseSession } from '../../../src/pipeline/warehouse/types.js';

export type Field = { isNull: true } | { longValue: number } | { doubleValue: number } | { stringValue: string } | { booleanValue: boolean };

export interface ResultSet {
  columns: { name: string; typeName: string }[];
  records: Field[][];
}

export interface Outcome {
  rows: number;
  result?: ResultSet;
}

/** What the load-error tables need to know of the statement that failed. */
export interface LoadErrorContext {
  queryId: number;
  pid: number;
  database: string;
}

/** A COPY that rejected rows: the statement fails with Redshift's text, the rows go to the load-error tables. */
export class CopyRejected extends Error {
  constructor(readonly load: LoadError) {
    super(`ERROR: Load into table '${load.table.split('.').pop()}' failed.  Check 'stl_load_errors' system table for details.`);
  }
}

const SYSTEM_TABLES = [
  `CREATE TABLE IF NOT EXISTS main.stl_load_errors (
     userid INTEGER, slice INTEGER, tbl INTEGER, starttime TIMESTAMP, session INTEGER, query INTEGER,
     filename VARCHAR, line_number BIGINT, colname VARCHAR, type VARCHAR, col_length VARCHAR, position INTEGER,
     raw_line VARCHAR, raw_field_value VARCHAR, err_code INTEGER, err_reason VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS main.sys_load_error_detail (
     user_id INTEGER, query_id BIGINT, transaction_id BIGINT, session_id INTEGER, database_name VARCHAR,
     table_id INTEGER, start_time TIMESTAMP, file_name VARCHAR, line_number BIGINT, column_name VARCHAR,
     column_type VARCHAR, column_length VARCHAR, position INTEGER, error_code INTEGER, error_message VARCHAR)`,
];

/** Statements that return rows (HasResultSet). */
export function returnsRows(sql: string): boolean {
  return classify(sql).kind === 'read';
}

/** The statement as the cluster runs it: Redshift takes a single statement with or without its closing `;`. */
export function withoutClosingSemicolon(sql: string): string {
  const statements = splitStatements(sql);
  return statements.length === 1 ? statements[0]!.sql : sql;
}

/** DuckDB type name → the name Redshift's ColumnMetadata gives. */
function redshiftTypeName(type: string): string {
  const t = type.toLowerCase();
  if (/^(bigint|hugeint|ubigint|uinteger|int8|long)/.test(t)) return 'int8';
  if (/^(integer|int4|int\b|usmallint)/.test(t)) return 'int4';
  if (/^(smallint|tinyint|utinyint|int2)/.test(t)) return 'int2';
  if (/^(double|float8)/.test(t)) return 'float8';
  if (/^(float|real|float4)/.test(t)) return 'float4';
  if (/^(decimal|numeric)/.test(t)) return 'numeric';
  if (/^bool/.test(t)) return 'bool';
  if (/^timestamp with time zone|^timestamptz/.test(t)) return 'timestamptz';
  if (/^timestamp/.test(t)) return 'timestamp';
  if (/^date/.test(t)) return 'date';
  if (/^time/.test(t)) return 'time';
  return 'varchar';
}

function toField(value: SqlValue, typeName: string): Field {
  if (value === null || value === undefined) return { isNull: true };
  if (typeof value === 'boolean') return { booleanValue: value };
  if (typeof value === 'number') {
    if (typeName === 'int8' || typeName === 'int4' || typeName === 'int2') return { longValue: value };
    if (typeName === 'float8' || typeName === 'float4') return { doubleValue: value };
    return { stringValue: String(value) };
  }
  // DuckDB prints timestamps as Redshift does (no trailing zeros in the fraction).
  return { stringValue: String(value) };
}

function quote(value: string | number | undefined | null): string {
  if (value === undefined || value === null) return 'NULL';
  if (typeof value === 'number') return String(value);
  return `'${value.replace(/'/g, "''")}'`;
}

export class FakeEngine {
  private warehouse?: Promise<DuckDbWarehouse>;
  private writers: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly resolveSource: (uri: string) => string) {}

  /** A connection of its own: a Data API session's, or one statement's. */
  async connect(): Promise<WarehouseSession> {
    return (await this.open()).openSession();
  }

  /** Runs `work` when no other writer runs (a batch holds this for the whole transaction). */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.writers.then(work);
    this.writers = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Runs one statement on `connection`; a writer outside a held lock waits for the other writers. */
  async run(connection: WarehouseSession, sql: string, signal: AbortSignal, options: { locked: boolean }): Promise<Outcome> {
    const text = withoutClosingSemicolon(sql);
    if (returnsRows(text)) return this.attempt(() => this.read(connection, text, signal), signal);
    const write = () => this.attempt(async () => ({ rows: (await connection.execute(text, { signal })).rowsAffected ?? -1 }), signal);
    return options.locked ? write() : this.exclusive(write);
  }

  /** Fills stl_load_errors and sys_load_error_detail (outside any transaction, as Redshift keeps them). */
  async recordLoadErrors(connection: WarehouseSession, error: LoadError, context: LoadErrorContext): Promise<void> {
    const { queryId, pid, database } = context;
    for (const detail of error.details) {
      // The engine names files as the COPY does (s3://bucket/key), as Redshift records them.
      const file = detail.file;
      await connection.execute(
        `INSERT INTO main.stl_load_errors VALUES (100, 0, 0, now()::TIMESTAMP, ${pid}, ${queryId}, ${quote(file)},
         ${detail.line}, ${quote(detail.column ?? '')}, 'varchar', '0', 0, ${quote(detail.rawLine ?? '')},
         ${quote(detail.rawValue ?? '')}, 1216, ${quote(detail.reason)})`,
      );
      await connection.execute(
        `INSERT INTO main.sys_load_error_detail VALUES (100, ${queryId}, 0, ${pid}, ${quote(database)}, 0, now()::TIMESTAMP,
         ${quote(file)}, ${detail.line}, ${quote(detail.column ?? '')}, 'varchar', '0', 0, 1216, ${quote(detail.reason)})`,
      );
    }
  }

  async ready(): Promise<void> {
    await this.open();
  }

  async close(): Promise<void> {
    this.closed = true;
    const warehouse = this.warehouse;
    this.warehouse = undefined;
    if (warehouse) await (await warehouse).close();
  }

  private async read(connection: WarehouseSession, sql: string, signal: AbortSignal): Promise<Outcome> {
    const result = await connection.query(sql, { signal });
    const columns = result.columns.map((c: ColumnInfo) => ({ name: c.name, typeName: redshiftTypeName(c.type) }));
    const records: Field[][] = [];
    for await (const page of result.pages()) {
      for (const row of page) records.push(row.map((value, i) => toField(value, columns[i]!.typeName)));
    }
    return { rows: records.length, result: { columns, records } };
  }

  /** Engine errors as Redshift words them (`ERROR: ...`); a rejected COPY as a CopyRejected. */
  private async attempt(work: () => Promise<Outcome>, signal: AbortSignal): Promise<Outcome> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof LoadError) throw new CopyRejected(error);
      if (signal.aborted || isAbortError(error)) throw error;
      const message = error instanceof SparkifyError || error instanceof Error ? error.message : String(error);
      throw new Error(`ERROR: ${message}`);
    }
  }

  private open(): Promise<DuckDbWarehouse> {
    if (this.closed) return Promise.reject(new Error('the fake is closed'));
    this.warehouse ??= (async () => {
      const warehouse = await DuckDbWarehouse.open({ path: ':memory:', resolveSource: this.resolveSource });
      for (const sql of SYSTEM_TABLES) await warehouse.execute(sql);
      return warehouse;
    })();
    return this.warehouse;
  }
}
