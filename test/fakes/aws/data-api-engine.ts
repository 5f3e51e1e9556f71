// The database behind the fake Data API: one in-memory DuckDB through the same
// Redshift → DuckDB rewrite as the local engine. Every statement runs on a
// connection of its own (a session's connection, or a fresh one), so what a
// transaction has not committed no other statement sees; readers run at once,
// writers one at a time, as a cluster's table locks make them.
import { DuckDbWarehouse } from '../../../src/pipeline/warehouse/duckdb.js';
import { recordLoadErrors } from '../../../src/pipeline/warehouse/load-errors.js';
import { LoadError, SparkifyError, isAbortError } from '../../../src/pipeline/errors.js';
import { classify } from '../../../src/pipeline/sql/classify.js';
import { splitStatements, tokenize, untokenize } from '../../../src/pipeline/sql/tokenizer.js';
import { isCode, isPunct, isWord, nextCode } from '../../../src/pipeline/sql/tokens.js';
import { redshiftPlanLines } from './data-api-explain.js';
import { LAYOUT_SETUP, LAYOUT_VIEWS, recordStorage, storedLayouts } from './data-api-layout.js';
import type { ColumnInfo, SqlValue, WarehouseSession } from '../../../src/pipeline/warehouse/types.js';

export type Field = { isNull: true } | { longValue: number } | { doubleValue: number } | { stringValue: string } | { booleanValue: boolean };

/** A result column as ColumnMetadata describes it, every documented field filled in. */
export interface ColumnMetadata {
  name: string;
  label: string;
  typeName: string;
  isCaseSensitive: boolean;
  isCurrency: boolean;
  isSigned: boolean;
  nullable: number;
  precision: number;
  scale: number;
  length: number;
  schemaName: string;
  tableName: string;
}

export interface ResultSet {
  columns: ColumnMetadata[];
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
}

/** A COPY that rejected rows: the statement fails with Redshift's text, the rows go to the load-error tables. */
export class CopyRejected extends Error {
  constructor(readonly load: LoadError) {
    super(`ERROR: Load into table '${load.table.split('.').pop()}' failed.  Check 'stl_load_errors' system table for details.`);
  }
}

/** Statements that return rows (HasResultSet). */
export function returnsRows(sql: string): boolean {
  return classify(sql).kind === 'read';
}

/** The statement as the cluster runs it: Redshift takes a single statement with or without its closing `;`. */
export function withoutClosingSemicolon(sql: string): string {
  const statements = splitStatements(sql);
  return statements.length === 1 ? statements[0].sql : sql;
}

/** The statement a Redshift `EXPLAIN [VERBOSE] statement` explains; undefined for anything else (DuckDB's own `EXPLAIN (FORMAT ...)` included). */
function explained(sql: string): string | undefined {
  const tokens = tokenize(sql);
  const first = tokens.findIndex(isCode);
  if (!isWord(tokens[first], 'EXPLAIN')) return undefined;
  let next = nextCode(tokens, first + 1);
  if (isPunct(tokens[next], '(')) return undefined;
  if (isWord(tokens[next], 'VERBOSE')) next = nextCode(tokens, next + 1);
  return next === -1 ? undefined : untokenize(tokens.slice(next));
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

/** Precision as Redshift reports it for each type (for varchar, the declared length; DuckDB keeps none, so the most). */
const PRECISION: Record<string, number> = { int2: 5, int4: 10, int8: 19, float4: 8, float8: 17, bool: 1, date: 13, time: 15, timestamp: 29, timestamptz: 35, varchar: 65535 };

function columnMetadata(name: string, duckType: string): ColumnMetadata {
  const typeName = redshiftTypeName(duckType);
  const decimal = /\((\d+)\s*,\s*(\d+)\)/.exec(duckType);
  const numeric = /^(int|float|numeric)/.test(typeName);
  return {
    name,
    label: name,
    typeName,
    isCaseSensitive: typeName === 'varchar',
    isCurrency: false,
    isSigned: numeric,
    // A computed column may hold NULL: 1, as Redshift says for expressions.
    nullable: 1,
    precision: decimal ? Number(decimal[1]) : (PRECISION[typeName] ?? 0),
    scale: decimal ? Number(decimal[2]) : /^timestamp/.test(typeName) ? 6 : 0,
    length: 0,
    schemaName: '',
    tableName: '',
  };
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

/** pg_database as a cluster answers it: the databases the fake holds, not DuckDB's own. */
function databasesView(names: Iterable<string>): string {
  const rows = [...names].map((name) => `('${name.replace(/'/g, "''")}')`).join(', ');
  return `CREATE OR REPLACE TEMP VIEW pg_database AS SELECT datname FROM (VALUES ${rows}) AS t(datname)`;
}

export class FakeEngine {
  private warehouse?: Promise<DuckDbWarehouse>;
  private writers: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly resolveSource: (uri: string) => string,
    private readonly databases: () => Iterable<string> = () => ['dev'],
  ) {}

  /** A connection of its own: a Data API session's, or one statement's. */
  async connect(): Promise<WarehouseSession> {
    const session = await (await this.open()).openSession();
    // One round trip: a statement outside a session gets a connection of its own, so this runs for most statements.
    await session.execute([...LAYOUT_VIEWS, databasesView(this.databases())].join(';\n'));
    return session;
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
    const statement = explained(text);
    if (statement !== undefined) return this.attempt(() => this.explain(connection, statement, signal), signal);
    if (returnsRows(text)) return this.attempt(() => this.read(connection, text, signal), signal);
    const write = () =>
      this.attempt(async () => {
        const rows = (await connection.execute(text, { signal })).rowsAffected ?? -1;
        await recordStorage(await this.open(), text);
        return { rows };
      }, signal);
    return options.locked ? write() : this.exclusive(write);
  }

  /**
   * The rejected rows of a COPY in stl_load_errors (and so sys_load_error_detail),
   * numbered with this statement's query id and session as the cluster numbers
   * them. The local engine records them itself, except inside a transaction,
   * whose rollback would take them along: then they are recorded after it.
   */
  async recordLoadErrors(connection: WarehouseSession, error: LoadError, context: LoadErrorContext, inTransaction: boolean): Promise<void> {
    if (inTransaction) {
      const rows = async (sql: string) => {
        const result = await connection.query(sql);
        const all: (string | null)[][] = [];
        for await (const page of result.pages()) all.push(...page.map((row) => row.map((v) => (v === null ? null : String(v)))));
        return all;
      };
      const target = { run: async (sql: string) => (await connection.execute(sql)).rowsAffected ?? 0, rows, resolveSource: this.resolveSource, inTransaction: false };
      await recordLoadErrors(target, { table: error.table, startedAt: new Date(), details: error.details, columns: [] });
    }
    await connection.execute(
      `UPDATE main.stl_load_errors SET query = ${context.queryId}, session = ${context.pid} WHERE query = (SELECT max(query) FROM main.stl_load_errors)`,
    );
  }

  /** A row of sys_serverless_usage for work that ran from `start` to `end` at `rpu` RPUs, `chargedSeconds` of it charged. */
  async recordServerlessUsage(start: number, end: number, rpu: number, chargedSeconds: number): Promise<void> {
    const time = (ms: number) => `TIMESTAMP '${new Date(ms).toISOString().slice(0, 23).replace('T', ' ')}'`;
    const seconds = (end - start) / 1000;
    const connection = await this.connect();
    try {
      await this.exclusive(() =>
        connection.execute(`INSERT INTO main.sys_serverless_usage VALUES (${time(start)}, ${time(end)}, ${seconds * rpu}, ${rpu}, ${chargedSeconds * rpu})`),
      );
    } finally {
      await connection.close();
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

  /** Redshift's plan lines for DuckDB's plan of the statement, one row of `QUERY PLAN` each. */
  private async explain(connection: WarehouseSession, statement: string, signal: AbortSignal): Promise<Outcome> {
    const result = await connection.query(`EXPLAIN (FORMAT json) ${statement}`, { signal });
    const json: string[] = [];
    for await (const page of result.pages()) for (const row of page) json.push(String(row[1]));
    const layouts = await storedLayouts(connection);
    const lines = json.flatMap((plan) => redshiftPlanLines(plan, layouts));
    return { rows: lines.length, result: { columns: [columnMetadata('QUERY PLAN', 'varchar')], records: lines.map((line) => [{ stringValue: line }]) } };
  }

  private async read(connection: WarehouseSession, sql: string, signal: AbortSignal): Promise<Outcome> {
    const result = await connection.query(sql, { signal });
    const columns = result.columns.map((c: ColumnInfo) => columnMetadata(c.name, c.type));
    const records: Field[][] = [];
    for await (const page of result.pages()) {
      for (const row of page) records.push(row.map((value, i) => toField(value, columns[i].typeName)));
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
      // With Serverless's usage view, in the columns sparkify reads (filled by recordServerlessUsage).
      await warehouse.executeBatch([
        ...LAYOUT_SETUP,
        'CREATE TABLE main.sys_serverless_usage (start_time TIMESTAMP, end_time TIMESTAMP, compute_seconds DOUBLE PRECISION, compute_capacity DOUBLE PRECISION, charged_seconds DOUBLE PRECISION)',
      ]);
      return warehouse;
    })();
    return this.warehouse;
  }
}
