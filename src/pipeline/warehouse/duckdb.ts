// The embedded warehouse: a DuckDB file under the sparkify home (or in memory).
// It takes the model's Redshift SQL through the rewrite, so both engines run
// the same sql/ files. One process holds a file at a time: DuckDbFile opens it
// for the work (and, in the app, lets go of it when idle), makes reads wait for
// another holder and turns a write's lock conflict into a LockError; a damaged
// file and a full or read-only disk get errors of their own (duckdb-errors.ts).
import { mkdirSync } from 'node:fs';
import { totalmem } from 'node:os';
import { dirname } from 'node:path';
import { bucketResolver } from '../buckets.js';
import { SparkifyError } from '../errors.js';
import { DuckDbConnection } from './duckdb-connection.js';
import { DuckDbFile } from './duckdb-file.js';
import { ensureLoadViews } from './load-views.js';
import type { NativeFormat } from './duckdb-export.js';
import { searchPathStatement } from '../search-path.js';
import type { BatchOptions, ExecuteOptions, ExecuteResult, QueryOptions, QueryResult, Warehouse, WarehouseSession } from './types.js';

export interface DuckDbOptions {
  /** Database file, or ':memory:'. */
  path: string;
  /** Maps a COPY source URI to a local path (default: the URI itself; s3:// needs a bucket map). */
  resolveSource?: (uri: string) => string;
  /** On a read-only file system, open the file read-only instead of failing (for work that only reads). */
  readOnlyFallback?: boolean;
  /** Lets go of the file this long after the last statement, result or session ends (default: held until close). */
  idleCloseMs?: number;
  /**
   * What a one-shot opener does with a file another process holds (without
   * idleCloseMs): `write` (the default, a pipeline run) reports the lock at
   * once; `read` (a query) opens it when first used, waiting for the holder.
   */
  access?: 'read' | 'write';
  /** Schemas unqualified names are looked up in, set on every connection (those that exist when it opens). */
  searchPath?: readonly string[];
  /** Where DuckDB spills what does not fit in its memory limit (default: beside the database file). */
  tempDirectory?: string;
  /** DuckDB's memory limit in bytes (default: engineMemoryLimit() of this machine). */
  memoryLimitBytes?: number;
}

const MIB = 1024 * 1024;

/**
 * The memory the engine may use for its buffers: a quarter of the machine's
 * memory, between 256 MiB and 640 MiB. Past that, large loads and transforms
 * spill to the temporary directory instead of growing with the input, so a
 * run over 3 GB of events stays near 1 GB resident (bench/run.mjs).
 */
export function engineMemoryLimit(totalBytes = totalmem()): number {
  return Math.round(Math.min(Math.max(totalBytes / 4, 256 * MIB), 640 * MIB));
}

/** Makes the spill folder (0700) if it is missing; false when it cannot be made (a read-only home), so DuckDB keeps its default. */
function spillFolder(path: string): boolean {
  try {
    mkdirSync(path, { recursive: true, mode: 0o700 });
    return true;
  } catch {
    return false;
  }
}

function instanceSettings(options: DuckDbOptions): Record<string, string> {
  const settings: Record<string, string> = { memory_limit: `${Math.round((options.memoryLimitBytes ?? engineMemoryLimit()) / MIB)}MiB` };
  if (options.tempDirectory && spillFolder(options.tempDirectory)) settings.temp_directory = options.tempDirectory;
  return settings;
}

/** Statements (the pipeline) and queries (the prompt, checks) each have a connection, so an open result never holds up a run. */
interface Connections {
  statements: DuckDbConnection;
  queries: DuckDbConnection;
}

/** Sets the search path on connections of a file just opened (the file may have gained schemas since it was last open). */
async function setSearchPath(connections: DuckDbConnection[], path: readonly string[]): Promise<void> {
  const schemas = await connections[0].query('select schema_name from information_schema.schemata');
  const existing = new Set<string>();
  for await (const page of schemas.pages()) for (const [name] of page) existing.add(String(name).toLowerCase());
  const statement = searchPathStatement(path, existing);
  if (statement) for (const connection of connections) await connection.execute(statement);
}

export class DuckDbWarehouse implements Warehouse {
  readonly target = 'local' as const;
  readonly maxConcurrency = 1;
  readonly label: string;
  private readonly sessions = new Set<DuckDbConnection>();
  private closed = false;

  private constructor(
    private readonly file: DuckDbFile<Connections>,
    private readonly resolveSource: (uri: string) => string,
    path: string,
    private readonly searchPath?: readonly string[],
  ) {
    this.label = path;
  }

  static async open(options: DuckDbOptions): Promise<DuckDbWarehouse> {
    const path = options.path;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const resolveSource = options.resolveSource ?? bucketResolver({});
    const file = new DuckDbFile<Connections>(
      path,
      async (instance) => {
        await ensureLoadViews(instance);
        const connections = {
          statements: await DuckDbConnection.setUp(await instance.connect(), resolveSource, path),
          queries: await DuckDbConnection.setUp(await instance.connect(), resolveSource, path),
        };
        if (options.searchPath) await setSearchPath([connections.statements, connections.queries], options.searchPath);
        return connections;
      },
      async ({ statements, queries }) => {
        await queries.close();
        await statements.close();
      },
      { idleCloseMs: options.idleCloseMs, readOnlyFallback: options.readOnlyFallback, settings: instanceSettings(options) },
    );
    if (options.idleCloseMs === undefined && options.access !== 'read') (await file.acquire('write'))();
    else await file.probe();
    return new DuckDbWarehouse(file, resolveSource, path, options.searchPath);
  }

  async execute(sql: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    const release = await this.acquire('write', options);
    try {
      return await this.file.current.connections.statements.execute(sql, options);
    } finally {
      release();
    }
  }

  async executeBatch(sqls: string[], options: BatchOptions = {}): Promise<ExecuteResult[]> {
    const release = await this.acquire('write', options);
    try {
      return await this.file.current.connections.statements.executeBatch(sqls, options);
    } finally {
      release();
    }
  }

  /** The file stays held while the caller reads the result: until its last page or close(). */
  async query(sql: string, options: QueryOptions = {}): Promise<QueryResult> {
    const release = await this.acquire('read', options);
    let result: QueryResult;
    try {
      result = await this.file.current.connections.queries.query(sql, options);
    } catch (error) {
      release();
      throw error;
    }
    return {
      ...result,
      pages: async function* () {
        try {
          yield* result.pages();
        } finally {
          release();
        }
      },
      close: async () => {
        await result.close();
        release();
      },
    };
  }

  /** Has DuckDB write a query's result to a file (DuckDbConnection.copyTo); false when it is not a plain query. */
  async copyTo(sql: string, format: NativeFormat, path: string, options: ExecuteOptions & { limit?: number } = {}): Promise<boolean> {
    const release = await this.acquire('read', options);
    try {
      return await this.file.current.connections.queries.copyTo(sql, format, path, options);
    } finally {
      release();
    }
  }

  private async acquire(mode: 'read' | 'write', options: ExecuteOptions): Promise<() => void> {
    if (this.closed) throw new SparkifyError('the local warehouse is closed');
    return this.file.acquire(mode, options);
  }

  /**
   * A connection of its own on the same database: SET, temporary tables,
   * search_path and transactions carry from one statement to the next, and
   * what it has not committed no other connection sees.
   */
  async openSession(): Promise<WarehouseSession> {
    // A session holds the file for as long as it is open: what it set lives on the connection.
    const release = await this.acquire('read', {});
    let session: DuckDbConnection;
    try {
      session = await DuckDbConnection.setUp(await this.file.current.instance.connect(), this.resolveSource, this.label, true);
      if (this.searchPath) await setSearchPath([session], this.searchPath);
    } catch (error) {
      release();
      throw error;
    }
    this.sessions.add(session);
    return {
      execute: (sql, options) => session.execute(sql, options),
      executeBatch: (sqls, options) => session.executeBatch(sqls, options),
      query: (sql, options) => session.query(sql, options),
      transactionOpen: () => session.transactionOpen(),
      close: async () => {
        this.sessions.delete(session);
        await session.close();
        release();
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const session of this.sessions) await session.close();
    this.sessions.clear();
    await this.file.close();
  }
}

