// The embedded warehouse: a DuckDB file under the sparkify home (or in memory).
// It takes the model's Redshift SQL through the rewrite, so both engines run
// the same sql/ files. One process holds a file for writing at a time: a lock
// conflict becomes a LockError that says what to do, and so do a damaged file
// and a full or read-only disk (duckdb-errors.ts).
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { bucketResolver } from '../buckets.js';
import { SqlError, SparkifyError } from '../errors.js';
import { parseEngineError, warehouseFileError } from './duckdb-errors.js';
import { DuckDbConnection } from './duckdb-connection.js';
import type { BatchOptions, ExecuteOptions, ExecuteResult, QueryOptions, QueryResult, Warehouse, WarehouseSession } from './types.js';

export interface DuckDbOptions {
  /** Database file, or ':memory:'. */
  path: string;
  /** Maps a COPY source URI to a local path (default: the URI itself; s3:// needs a bucket map). */
  resolveSource?: (uri: string) => string;
  /** On a read-only file system, open the file read-only instead of failing (for work that only reads). */
  readOnlyFallback?: boolean;
}

export class DuckDbWarehouse implements Warehouse {
  readonly target = 'local' as const;
  readonly maxConcurrency = 1;
  readonly label: string;
  private readonly sessions = new Set<DuckDbConnection>();
  private closed = false;

  /** Statements (the pipeline) and queries (the prompt, checks) each have a connection, so an open result never holds up a run. */
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly statements: DuckDbConnection,
    private readonly queries: DuckDbConnection,
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
    const resolveSource = options.resolveSource ?? bucketResolver({});
    const statements = await DuckDbConnection.setUp(await instance.connect(), resolveSource, path);
    const queries = await DuckDbConnection.setUp(await instance.connect(), resolveSource, path);
    return new DuckDbWarehouse(instance, statements, queries, resolveSource, path);
  }

  execute(sql: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    return this.statements.execute(sql, options);
  }

  executeBatch(sqls: string[], options: BatchOptions = {}): Promise<ExecuteResult[]> {
    return this.statements.executeBatch(sqls, options);
  }

  query(sql: string, options: QueryOptions = {}): Promise<QueryResult> {
    return this.queries.query(sql, options);
  }

  /**
   * A connection of its own on the same database: SET, temporary tables,
   * search_path and transactions carry from one statement to the next, and
   * what it has not committed no other connection sees.
   */
  async openSession(): Promise<WarehouseSession> {
    if (this.closed) throw new SparkifyError('the local warehouse is closed');
    const session = await DuckDbConnection.setUp(await this.instance.connect(), this.resolveSource, this.label, true);
    this.sessions.add(session);
    return {
      execute: (sql, options) => session.execute(sql, options),
      executeBatch: (sqls, options) => session.executeBatch(sqls, options),
      query: (sql, options) => session.query(sql, options),
      close: async () => {
        this.sessions.delete(session);
        await session.close();
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const session of this.sessions) await session.close();
    this.sessions.clear();
    await this.queries.close();
    await this.statements.close();
    this.instance.closeSync();
  }
}

