// The embedded warehouse: a DuckDB file under the sparkify home (or in memory).
// It takes the model's Redshift SQL through the rewrite, so both engines run
// the same sql/ files. One process holds a file for writing at a time: a lock
// conflict becomes a LockError that says what to do, and so do a damaged file
// and a full or read-only disk (duckdb-errors.ts).
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  DuckDBInstance,
  DuckDBTypeId,
  type DuckDBConnection,
  type DuckDBResult,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { CancelledError, SqlError, SparkifyError, UnsupportedSqlError, throwIfAborted } from '../errors.js';
import { classify, reportsRowCount } from '../sql/classify.js';
import { unsupportedConstruct } from '../sql/unsupported.js';
import { DUCKDB_SESSION_SETUP, rewriteForDuckDb } from '../sql/rewrite.js';
import type { CopySpec } from '../sql/copy.js';
import { copyJson, listSourceFiles } from './json-load.js';
import { parseEngineError, warehouseFileError } from './duckdb-errors.js';
import type { BatchOptions, ColumnInfo, ExecuteOptions, ExecuteResult, QueryOptions, QueryResult, Row, SqlValue, Warehouse } from './types.js';

export interface DuckDbOptions {
  /** Database file, or ':memory:'. */
  path: string;
  /** Maps a COPY source URI to a local path (default: the URI itself; s3:// is refused). */
  resolveSource?: (uri: string) => string;
  /** On a read-only file system, open the file read-only instead of failing (for work that only reads). */
  readOnlyFallback?: boolean;
}

function defaultResolveSource(uri: string): string {
  if (/^s3:\/\//i.test(uri)) {
    throw new SparkifyError(`the local warehouse cannot read ${uri}`, {
      exitCode: 3,
      hint: 'point the sources at local folders (--song-data / --log-data, or `sparkify setup`), or use the Redshift target for S3 sources',
    });
  }
  return uri.replace(/^file:\/\//, '');
}

/** Serialises work on the one connection: DuckDB runs one statement per connection at a time. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  async run<T>(work: () => Promise<T>): Promise<T> {
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

export class DuckDbWarehouse implements Warehouse {
  readonly target = 'local' as const;
  readonly maxConcurrency = 1;
  readonly label: string;
  /** Statements (the pipeline) and queries (the prompt, checks) each have a connection, so an open result never holds up a run. */
  private readonly mutex = new Mutex();
  private readonly queryMutex = new Mutex();
  /** Lets go of the result being read, if any (closing the warehouse ends it). */
  private releaseOpenResult: (() => void) | undefined;
  private closed = false;
  /** True while executeBatch holds a transaction open on the statement connection. */
  private inBatch = false;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly queryConnection: DuckDBConnection,
    private readonly resolveSource: (uri: string) => string,
    path: string,
  ) {
    this.label = path;
  }

  static async open(options: DuckDbOptions): Promise<DuckDbWarehouse> {
    const path = options.path;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path);
    } catch (error) {
      const readOnly = options.readOnlyFallback && existsSync(path) && parseEngineError((error as Error).message ?? '').code === 'EROFS';
      const reopened = readOnly ? await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' }).catch(() => undefined) : undefined;
      if (!reopened) {
        throw warehouseFileError(error, path) ?? new SqlError(`cannot open the local warehouse ${path}: ${(error as Error).message ?? ''}`, { cause: error });
      }
      instance = reopened;
    }
    const connection = await instance.connect();
    const queryConnection = await instance.connect();
    for (const statement of DUCKDB_SESSION_SETUP) {
      await connection.run(statement);
      await queryConnection.run(statement);
    }
    return new DuckDbWarehouse(instance, connection, queryConnection, options.resolveSource ?? defaultResolveSource, path);
  }

  async execute(sql: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    return this.mutex.run(() => this.executeUnlocked(sql, options));
  }

  private async executeUnlocked(sql: string, options: ExecuteOptions): Promise<ExecuteResult> {
    this.assertOpen();
    throwIfAborted(options.signal);
    const started = performance.now();
    options.onStatus?.('STARTED');
    const rowsAffected = await this.withCancel(options.signal, sql, async () => {
      const rewritten = rewriteForDuckDb(sql);
      if (rewritten.kind === 'copy') {
        const copy = rewritten.copy;
        return copyJson(copy, {
          run: async (text) => {
            try {
              return (await this.connection.run(text)).rowsChanged;
            } catch (error) {
              throw warehouseFileError(error, this.label, await this.sourceBytes(copy)) ?? error;
            }
          },
          rows: async (text) => (await this.connection.runAndReadAll(text)).getRowsJS().map((r) => r.map((v) => (v === null ? null : String(v)))),
          resolveSource: this.resolveSource,
          inTransaction: this.inBatch,
        });
      }
      let changed: number | null = null;
      for (const statement of rewritten.statements) {
        const result = await this.connection.run(statement);
        changed = reportsRowCount(classify(statement)) ? result.rowsChanged : null;
      }
      return changed;
    });
    options.onStatus?.('FINISHED');
    return { rowsAffected, engineMs: performance.now() - started };
  }

  async executeBatch(sqls: string[], options: BatchOptions = {}): Promise<ExecuteResult[]> {
    return this.mutex.run(async () => {
      this.assertOpen();
      throwIfAborted(options.signal);
      await this.connection.run('BEGIN TRANSACTION');
      this.inBatch = true;
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
          throw warehouseFileError(error, this.label, this.fileBytes()) ?? new SqlError(cleanMessage((error as Error).message), { cause: error });
        });
        return results;
      } catch (error) {
        await this.connection.run('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        this.inBatch = false;
      }
    });
  }

  async query(sql: string, options: QueryOptions = {}): Promise<QueryResult> {
    const pageSize = options.pageSize ?? 1000;
    // The query connection stays held while the caller reads pages; close()
    // or the last page releases it.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let acquired!: () => void;
    const ready = new Promise<void>((resolve) => (acquired = resolve));
    void this.queryMutex.run(async () => {
      acquired();
      await held;
    });
    await ready;
    let result: DuckDBResult;
    const started = performance.now();
    try {
      this.assertOpen();
      throwIfAborted(options.signal);
      options.onStatus?.('STARTED');
      const rewritten = rewriteForDuckDb(sql);
      if (rewritten.kind === 'copy') throw new SqlError('COPY returns no rows: run it with `sparkify etl` or as a statement');
      for (const statement of rewritten.statements.slice(0, -1)) await this.queryConnection.run(statement);
      result = await this.withCancel(options.signal, sql, () => this.queryConnection.stream(rewritten.statements.at(-1)!), this.queryConnection);
    } catch (error) {
      release();
      throw error;
    }
    const engineMs = performance.now() - started;
    options.onStatus?.('FINISHED');
    const columnTypes = Array.from({ length: result.columnCount }, (_, i) => result.columnType(i));
    const columns: ColumnInfo[] = columnTypes.map((type, i) => ({ name: redshiftColumnName(result.columnName(i)), type: typeName(type) }));
    const connection = this.queryConnection;
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
            page.push(raw.map((value, i) => toSqlValue(value, columnTypes[i]!)));
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
      close: async () => finish(),
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.releaseOpenResult?.();
    await this.mutex.run(async () => {
      this.closed = true;
      await this.queryMutex.run(async () => this.queryConnection.closeSync());
      this.connection.closeSync();
      this.instance.closeSync();
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

  private assertOpen(): void {
    if (this.closed) throw new SparkifyError('the local warehouse is closed');
  }

  private async withCancel<T>(
    signal: AbortSignal | undefined,
    sql: string,
    work: () => Promise<T>,
    connection: DuckDBConnection = this.connection,
  ): Promise<T> {
    const onAbort = () => connection.interrupt();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await work();
    } catch (error) {
      if (signal?.aborted) throw new CancelledError('statement cancelled');
      if (error instanceof SparkifyError) throw error;
      const fileError = warehouseFileError(error, this.label, this.fileBytes());
      if (fileError) throw fileError;
      const construct = unsupportedConstruct((error as Error).message);
      if (construct) throw new UnsupportedSqlError(construct, sql);
      throw new SqlError(cleanMessage((error as Error).message), { sql, cause: error });
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }
}

/** DuckDB prefixes messages with its error class; keep the text a person needs. */
function cleanMessage(message: string): string {
  return message
    .replace(/^Failed to extract statements: /, '')
    .replace(/\n+LINE \d+:[\s\S]*$/, '')
    .trim();
}

/**
 * Redshift names an unaliased function call after the function (`count(*)` is
 * `count`); DuckDB after the whole call (`count_star()`). Results keep
 * Redshift's names so both engines print the same headers.
 */
export function redshiftColumnName(name: string): string {
  if (name === 'count_star()') return 'count';
  const call = name.match(/^([A-Za-z_][A-Za-z0-9_]*)\(.*\)$/s);
  return call ? call[1]!.toLowerCase() : name;
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
