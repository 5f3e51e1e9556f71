// One DuckDB connection with the Redshift rewrite in front of it: statements,
// transactions and streamed queries run on it one at a time, and whatever a
// statement sets (SET, temporary tables, search_path, an open transaction)
// stays for the next. The local warehouse is two of these; a session is one more.
import { alterIdentityTable } from './identity-alter.js';
import type { ColumnAlter } from '../sql/rules/alter-table.js';
import type { DuckDBConnection, DuckDBResult, DuckDBResultReader, DuckDBType, DuckDBValue } from '@duckdb/node-api';
import { duckdbApi } from './duckdb-api.js';
import { existsSync, statSync } from 'node:fs';
import { CancelledError, OutputWriteError, SqlError, SparkifyError, UnsupportedSqlError, throwIfAborted } from '../errors.js';
import { classify, isNestableQuery, reportsRowCount } from '../sql/classify.js';
import { engineHint, redshiftWording } from '../sql/engine-errors.js';
import { unsupportedConstruct } from '../sql/unsupported.js';
import { redshiftResultNames } from '../sql/result-names.js';
import { DUCKDB_SESSION_SETUP, rewriteForDuckDb, type RewrittenStatement } from '../sql/rewrite.js';
import { withFilledColumns } from './insert-columns.js';
import { createReadyLateViews, deferLateView } from './late-views.js';
import type { CopySpec } from '../sql/copy.js';
import { copyJson, listSourceFiles } from './json-load.js';
import { copyText } from './text-load.js';
import { parseEngineError, warehouseFileError } from './duckdb-errors.js';
import { copyToStatement, type NativeFormat } from './duckdb-export.js';
import { refuseDuckDbOnlyCalls } from './duckdb-functions.js';
import { CancelScope } from './duckdb-cancel.js';
import { registerPerlRegexp } from './duckdb-regexp.js';
import type {
  BatchOptions,
  ColumnInfo,
  ExecuteOptions,
  ExecuteResult,
  QueryOptions,
  QueryResult,
  Row,
  SqlValue,
  WarehouseSession,
} from './types.js';

const { DuckDBTypeId } = duckdbApi;

/** Serialises work on one connection: DuckDB runs one statement per connection at a time. */
/** Waits for the connection's turn; a cancel while waiting gives the turn back unused and says so. */
function untilTurn(ready: Promise<void>, signal: AbortSignal | undefined, giveBack: () => void): Promise<void> {
  if (!signal) return ready;
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      giveBack();
      reject(new CancelledError('query cancelled'));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    void ready.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

class Mutex {
  private tail: Promise<void> = Promise.resolve();
  async run<T>(work: () => T | Promise<T>): Promise<T> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      return await work();
    } finally {
      release();
    }
  }
}

export class DuckDbConnection implements WarehouseSession {
  private readonly mutex = new Mutex();
  /** Lets go of the result being read, if any (the next statement or close ends it). */
  private releaseOpenResult: (() => void) | undefined;
  private closed = false;
  /** True while a transaction is open on this connection (a batch's, or one a session began). */
  private inTransaction = false;

  private constructor(
    private readonly connection: DuckDBConnection,
    private readonly resolveSource: (uri: string) => string,
    /** The warehouse file (or ':memory:'), for errors about it. */
    private readonly label: string,
    private readonly supersede: boolean,
  ) {}

  /**
   * Wraps a fresh connection after running the settings and macros every local
   * connection needs. With `supersede` (a session), the next statement ends the
   * reading of the previous result, as a new query does in psql; without it,
   * the next statement waits until that result is read or closed.
   */
  static async setUp(
    connection: DuckDBConnection,
    resolveSource: (uri: string) => string,
    label: string,
    supersede = false,
  ): Promise<DuckDbConnection> {
    // One round trip for the whole setup: it runs on every connection a command opens.
    await connection.run(DUCKDB_SESSION_SETUP.join(';\n'));
    registerPerlRegexp(connection);
    return new DuckDbConnection(connection, resolveSource, label, supersede);
  }

  private endOpenResult(): void {
    if (this.supersede) this.releaseOpenResult?.();
  }

  async execute(sql: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    this.endOpenResult();
    return this.mutex.run(() => this.executeUnlocked(sql, options));
  }

  private async executeUnlocked(sql: string, options: ExecuteOptions): Promise<ExecuteResult> {
    this.assertOpen();
    throwIfAborted(options.signal);
    const started = performance.now();
    options.onStatus?.('STARTED');
    const rowsAffected = await this.withCancel(options.signal, sql, async (scope) => {
      const rewritten = await this.rewrite(sql, scope);
      if (rewritten.kind === 'copy') {
        const copy = rewritten.copy;
        const load = copy.format.kind === 'text' || copy.format.kind === 'csv' ? copyText : copyJson;
        return load(copy, {
          run: async (text) => {
            try {
              return (await scope.run(text)).rowsChanged;
            } catch (error) {
              throw warehouseFileError(error, this.label, await this.sourceBytes(copy)) ?? error;
            }
          },
          rows: async (text) => textRows(await scope.readAll(text)),
          cleanup: async (text) => {
            await this.connection.run(text);
          },
          signal: options.signal,
          resolveSource: this.resolveSource,
          inTransaction: this.inTransaction,
        });
      }
      const target = { run: (text: string) => scope.run(text), rows: async (text: string) => textRows(await scope.readAll(text)) };
      if (await deferLateView(sql, target)) return null;
      if (rewritten.columnAlter && (await this.alterIdentityTable(rewritten.columnAlter, scope))) return null;
      let changed: number | null = null;
      for (const statement of rewritten.statements) {
        const kind = classify(statement);
        if (kind.kind === 'ddl' && kind.command === 'SELECT') {
          // CREATE TABLE ... AS answers with one row: the count it wrote.
          const created = await scope.readAll(statement);
          changed = Number(created.getRowsJS()[0]?.[0] ?? 0);
          continue;
        }
        // Redshift only warns on BEGIN inside a transaction and on COMMIT or ROLLBACK outside one; DuckDB fails.
        if (kind.kind === 'transaction' && (kind.command === 'BEGIN') === this.inTransaction) continue;
        const filled = kind.command === 'INSERT' ? await withFilledColumns(statement, async (text) => textRows(await scope.readAll(text))) : statement;
        const result = await scope.run(filled);
        if (kind.kind === 'transaction') this.inTransaction = kind.command === 'BEGIN';
        // The table comment the rewrite adds after a CREATE TABLE ... AS leaves its count standing.
        if (kind.command !== 'COMMENT') changed = reportsRowCount(kind) ? result.rowsChanged : null;
      }
      if (!this.inTransaction && ['ddl', 'transaction'].includes(classify(sql).kind)) await createReadyLateViews(target);
      return changed;
    });
    options.onStatus?.('FINISHED');
    return { rowsAffected, engineMs: performance.now() - started };
  }

  transactionOpen(): boolean {
    return this.inTransaction;
  }

  async executeBatch(sqls: string[], options: BatchOptions = {}): Promise<ExecuteResult[]> {
    this.endOpenResult();
    return this.mutex.run(async () => {
      this.assertOpen();
      throwIfAborted(options.signal);
      // In a transaction the session began, the statements join it: it ends with the session's own COMMIT or ROLLBACK.
      if (this.inTransaction) return this.runInOpenTransaction(sqls, options);
      await this.connection.run('BEGIN TRANSACTION');
      this.inTransaction = true;
      const results: ExecuteResult[] = [];
      try {
        for (const [index, sql] of sqls.entries()) {
          options.onStatementStarted?.(index);
          const result = await this.executeUnlocked(sql, { signal: options.signal, onStatus: options.onStatus });
          results.push(result);
          options.onStatementFinished?.(index, result);
        }
        throwIfAborted(options.signal);
        await this.connection.run('COMMIT').catch((error: unknown) => {
          throw warehouseFileError(error, this.label, this.fileBytes()) ?? new SqlError(redshiftWording((error as Error).message), { hint: engineHint((error as Error).message), cause: error });
        });
        return results;
      } catch (error) {
        await this.connection.run('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        this.inTransaction = false;
      }
    });
  }

  private async runInOpenTransaction(sqls: string[], options: BatchOptions): Promise<ExecuteResult[]> {
    const results: ExecuteResult[] = [];
    for (const [index, sql] of sqls.entries()) {
      options.onStatementStarted?.(index);
      const result = await this.executeUnlocked(sql, { signal: options.signal, onStatus: options.onStatus });
      results.push(result);
      options.onStatementFinished?.(index, result);
    }
    return results;
  }

  async query(sql: string, options: QueryOptions = {}): Promise<QueryResult> {
    this.endOpenResult();
    const pageSize = options.pageSize ?? 1000;
    // The connection stays held while the caller reads pages; close() or the
    // last page releases it (in a session, the next statement too).
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let acquired!: () => void;
    const ready = new Promise<void>((resolve) => (acquired = resolve));
    void this.mutex.run(async () => {
      acquired();
      await held;
    });
    await untilTurn(ready, options.signal, release);
    let result: DuckDBResult;
    const started = performance.now();
    try {
      this.assertOpen();
      throwIfAborted(options.signal);
      options.onStatus?.('STARTED');
      result = await this.withCancel(options.signal, sql, async (scope) => {
        const rewritten = await this.rewrite(sql, scope);
        if (rewritten.kind === 'copy') throw new SqlError('COPY returns no rows: run it with `sparkify etl` or as a statement');
        if (rewritten.statements.length === 0) throw new SqlError('this statement returns no rows: run it as a statement', { sql });
        for (const statement of rewritten.statements.slice(0, -1)) await scope.run(statement);
        return scope.stream(rewritten.statements.at(-1)!);
      });
    } catch (error) {
      release();
      throw error;
    }
    const engineMs = performance.now() - started;
    options.onStatus?.('FINISHED');
    const columnTypes = Array.from({ length: result.columnCount }, (_, i) => result.columnType(i));
    const names = redshiftResultNames(sql, result.columnNames());
    const columns: ColumnInfo[] = columnTypes.map((type, i) => ({ name: names[i], type: typeName(type) }));
    const connection = this.connection;
    const signal = options.signal;
    let done = false;
    const finish = () => {
      if (!done) {
        done = true;
        if (this.releaseOpenResult === finish) this.releaseOpenResult = undefined;
        release();
      }
    };
    this.releaseOpenResult = finish;
    async function* pages(): AsyncGenerator<Row[]> {
      try {
        let page: Row[] = [];
        while (!done) {
          if (signal?.aborted) {
            connection.interrupt();
            throw new CancelledError('query cancelled');
          }
          const chunk = await result.fetchChunk();
          if (!chunk || chunk.rowCount === 0) break;
          for (const raw of chunk.getRows()) {
            page.push(raw.map((value, i) => toSqlValue(value, columnTypes[i])));
            if (page.length >= pageSize) {
              yield page;
              page = [];
            }
          }
        }
        if (page.length > 0) yield page;
      } finally {
        finish();
      }
    }
    return {
      columns,
      engineMs,
      pages,
      close: () => {
        finish();
        return Promise.resolve();
      },
    };
  }

  /**
   * Has DuckDB write a query's result to `path` in `format` (duckdb-export.ts);
   * false, having run nothing, when the statement is not a plain query DuckDB
   * can nest in a COPY (SHOW, PRAGMA and the like), for the caller's writer.
   */
  async copyTo(sql: string, format: NativeFormat, path: string, options: ExecuteOptions & { limit?: number } = {}): Promise<boolean> {
    this.endOpenResult();
    return this.mutex.run(async () => {
      this.assertOpen();
      throwIfAborted(options.signal);
      return this.withCancel(options.signal, sql, async (scope) => {
        const rewritten = await this.rewrite(sql, scope);
        if (rewritten.kind === 'copy') return false;
        const query = rewritten.statements.at(-1)!;
        if (!isNestableQuery(query)) return false;
        for (const statement of rewritten.statements.slice(0, -1)) await scope.run(statement);
        const prepared = await scope.prepare(query);
        const names = redshiftResultNames(sql, Array.from({ length: prepared.columnCount }, (_, i) => prepared.columnName(i)));
        const columns = names.map((name, i) => ({ name, type: prepared.columnType(i) }));
        try {
          await scope.run(copyToStatement(query, columns, format, path, options.limit));
        } catch (error) {
          // A failed write of the result is about `path`'s disk, not the warehouse's.
          const { kind, code } = parseEngineError((error as Error)?.message ?? '');
          if (kind === 'IO' && code) throw new OutputWriteError(path, code, error);
          throw error;
        }
        return true;
      });
    });
  }

  /** Ends the connection once the statement running on it is done; an open result is let go. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.releaseOpenResult?.();
    await this.mutex.run(() => {
      if (this.closed) return;
      this.closed = true;
      this.connection.closeSync();
    });
  }

  /** What a COPY reads, as an estimate of what it writes. */
  private async sourceBytes(copy: CopySpec): Promise<number | undefined> {
    try {
      const files = await listSourceFiles(this.resolveSource(copy.source));
      return files.reduce((sum, file) => sum + statSync(file).size, 0);
    } catch {
      return undefined;
    }
  }

  /** What the warehouse holds (file and write-ahead log), as an estimate of what a transform of its tables writes. */
  private fileBytes(): number | undefined {
    const size = (file: string) => (existsSync(file) ? statSync(file).size : 0);
    return this.label === ':memory:' ? undefined : size(this.label) + size(`${this.label}.wal`);
  }

  /** The statement rewritten for DuckDB; a call to a function only DuckDB has is refused as Redshift refuses it. */
  private async rewrite(sql: string, scope: CancelScope): Promise<RewrittenStatement> {
    const rewritten = rewriteForDuckDb(sql);
    if (rewritten.kind === 'sql') await refuseDuckDbOnlyCalls(scope, rewritten, sql);
    return rewritten;
  }

  /** A column ALTER of a table with an IDENTITY column, run on a copy (identity-alter.ts), in one transaction; false when the table has none. */
  private async alterIdentityTable(alter: ColumnAlter, scope: CancelScope): Promise<boolean> {
    const target = {
      run: (text: string) => scope.run(text),
      rows: async (text: string) => textRows(await scope.readAll(text)),
    };
    if (this.inTransaction) return alterIdentityTable(target, alter);
    await scope.run('BEGIN TRANSACTION');
    try {
      const altered = await alterIdentityTable(target, alter);
      await scope.run('COMMIT');
      return altered;
    } catch (error) {
      await this.connection.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new SparkifyError('the local warehouse is closed');
  }

  /** Runs a step's statements through a CancelScope (duckdb-cancel.ts); engine errors in Redshift's words. */
  private async withCancel<T>(signal: AbortSignal | undefined, sql: string, work: (scope: CancelScope) => Promise<T>): Promise<T> {
    const scope = new CancelScope(this.connection, signal);
    try {
      if (signal?.aborted) throw new CancelledError('statement cancelled');
      return await work(scope);
    } catch (error) {
      if (signal?.aborted) throw new CancelledError('statement cancelled');
      if (error instanceof SparkifyError) throw error;
      const fileError = warehouseFileError(error, this.label, this.fileBytes());
      if (fileError) throw fileError;
      const construct = unsupportedConstruct((error as Error).message);
      if (construct) throw new UnsupportedSqlError(construct, sql);
      throw new SqlError(redshiftWording((error as Error).message, sql), { sql, hint: engineHint((error as Error).message), cause: error });
    } finally {
      scope.end();
    }
  }
}

/** A result's rows as text, as the loads and the identity ALTER read them. */
function textRows(result: DuckDBResultReader): (string | null)[][] {
  return result.getRowsJS().map((r) => r.map((v) => (v === null ? null : String(v))));
}

function typeName(type: DuckDBType): string {
  return type.toString().toLowerCase();
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Values as both engines hand them over: numbers where exact, strings for DECIMAL/temporal/large ints. */
function toSqlValue(value: DuckDBValue, type: DuckDBType): SqlValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value <= SAFE && value >= -SAFE ? Number(value) : value.toString();
  switch (type.typeId) {
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.STRUCT:
    case DuckDBTypeId.MAP:
    case DuckDBTypeId.ARRAY:
      return JSON.stringify(toJsonish(value));
    default:
      return String(value);
  }
}

function toJsonish(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value <= SAFE && value >= -SAFE ? Number(value) : value.toString();
  if (typeof value !== 'object') return value;
  const v = value as { items?: unknown[]; entries?: Record<string, unknown> | { key: unknown; value: unknown }[] };
  if (Array.isArray(v.items)) return v.items.map(toJsonish);
  if (Array.isArray(v.entries)) return Object.fromEntries(v.entries.map((e) => [String(e.key), toJsonish(e.value)]));
  if (v.entries && typeof v.entries === 'object') {
    return Object.fromEntries(Object.entries(v.entries).map(([k, inner]) => [k, toJsonish(inner)]));
  }
  return String(value);
}
