// The local warehouse file, held only while something uses it. DuckDB lets one
// process at a time open a file for writing, so a sparkify that holds it while
// idle would lock out `sparkify query`, a second app or a run in another
// terminal. Opened with `idleCloseMs`, the file is let go that long after the
// last statement or result ends; without it, it is held until close().
//
// When another process holds the file: a read waits until it is let go,
// saying so (onWait) and stopping on its signal; a write waits a moment (an
// idle app lets go within idleCloseMs) and then fails with a LockError.
import { existsSync } from 'node:fs';
import type { DuckDBInstance } from '@duckdb/node-api';
import { duckdbApi } from './duckdb-api.js';
import { CancelledError, LockError, SqlError, type SparkifyError } from '../errors.js';
import { parseEngineError, warehouseFileError } from './duckdb-errors.js';

export type AccessMode = 'read' | 'write';

export interface DuckDbFileOptions {
  /** Lets go of the file this long after its last use; without it the file is held until close(). */
  idleCloseMs?: number;
  /** On a read-only file system, open the file read-only instead of failing (for work that only reads). */
  readOnlyFallback?: boolean;
  /** DuckDB's settings for the instance (memory_limit, temp_directory). */
  settings?: Record<string, string>;
}

export interface AcquireOptions {
  signal?: AbortSignal;
  /** Told, once per holder, that the file is held by another process and the work waits. */
  onWait?: (message: string) => void;
}

/** How long a write waits for another process to let go of the file before it reports the lock. */
export const WRITE_LOCK_GRACE_MS = 2000;
const RETRY_MS = 100;

/** The process that holds a DuckDB file, from DuckDB's lock message ("... (PID 1234)"). */
export function lockHolderPid(message: string): number | undefined {
  const found = /\bPID (\d+)/i.exec(message);
  return found ? Number(found[1]) : undefined;
}

function isLockMessage(message: string): boolean {
  const { kind, text } = parseEngineError(message);
  return kind === 'IO' && text.startsWith('Could not set lock on file');
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError('cancelled while waiting for the local warehouse'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The open file: DuckDB's instance and what `setUp` made on it (the connections). */
export interface OpenFile<T> {
  instance: DuckDBInstance;
  connections: T;
}

export class DuckDbFile<T> {
  private handle: OpenFile<T> | null = null;
  private opening: Promise<OpenFile<T>> | null = null;
  private users = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly path: string,
    /** Makes the connections every time the file is opened (with their macros and settings). */
    private readonly setUp: (instance: DuckDBInstance) => Promise<T>,
    /** Ends them before the file is let go. */
    private readonly tearDown: (connections: T) => Promise<void>,
    private readonly options: DuckDbFileOptions = {},
  ) {}

  /** The connections of the open file; only while acquired. */
  get current(): OpenFile<T> {
    if (!this.handle) throw new Error('the local warehouse file is not open');
    return this.handle;
  }

  /** True while the file is open in this process. */
  get isOpen(): boolean {
    return this.handle !== null;
  }

  /**
   * Opens the file once to check it can be a warehouse (it is created if
   * missing). A file another process holds is checked when first used.
   */
  async probe(): Promise<void> {
    try {
      const release = await this.acquire('write', {}, 0);
      release();
    } catch (error) {
      if (!(error instanceof LockError)) throw error;
    }
  }

  /** Opens the file if it is not open, and keeps it open until the returned function is called. */
  async acquire(mode: AccessMode, options: AcquireOptions = {}, writeGraceMs = WRITE_LOCK_GRACE_MS): Promise<() => void> {
    this.users += 1;
    clearTimeout(this.idleTimer);
    try {
      if (!this.handle) {
        this.opening ??= this.openWaiting(mode, options, writeGraceMs).finally(() => (this.opening = null));
        this.handle = await this.opening;
      }
    } catch (error) {
      this.letGo();
      throw error;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.letGo();
    };
  }

  /** Closes the file now; later use opens it again. */
  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    const handle = this.handle;
    this.handle = null;
    if (!handle) return;
    await this.tearDown(handle.connections);
    handle.instance.closeSync();
  }

  private letGo(): void {
    this.users -= 1;
    const idleCloseMs = this.options.idleCloseMs;
    if (this.users > 0 || idleCloseMs === undefined || this.path === ':memory:') return;
    this.idleTimer = setTimeout(() => {
      if (this.users === 0 && !this.opening) void this.close();
    }, idleCloseMs);
    this.idleTimer.unref();
  }

  private async openWaiting(mode: AccessMode, options: AcquireOptions, writeGraceMs: number): Promise<OpenFile<T>> {
    const started = performance.now();
    let toldPid: number | undefined | null = null;
    for (;;) {
      if (options.signal?.aborted) throw new CancelledError('cancelled while waiting for the local warehouse');
      try {
        return await this.open();
      } catch (error) {
        const message = (error as Error).message ?? '';
        if (!isLockMessage(message)) throw this.openError(error);
        const pid = lockHolderPid(message);
        if (mode === 'write' && performance.now() - started >= writeGraceMs) throw new LockError(this.path, error, pid);
        if (mode === 'read' && toldPid !== pid) {
          toldPid = pid;
          options.onWait?.(`waiting for the run in ${pid === undefined ? 'another process' : `pid ${pid}`}`);
        }
        await pause(RETRY_MS, options.signal);
      }
    }
  }

  private async open(): Promise<OpenFile<T>> {
    const instance = await this.createInstance();
    try {
      return { instance, connections: await this.setUp(instance) };
    } catch (error) {
      instance.closeSync();
      throw error;
    }
  }

  private async createInstance(): Promise<DuckDBInstance> {
    try {
      return await duckdbApi.DuckDBInstance.create(this.path, this.options.settings);
    } catch (error) {
      const readOnly = this.options.readOnlyFallback && existsSync(this.path) && parseEngineError((error as Error).message ?? '').code === 'EROFS';
      const reopened = readOnly ? await duckdbApi.DuckDBInstance.create(this.path, { ...this.options.settings, access_mode: 'READ_ONLY' }).catch(() => undefined) : undefined;
      if (!reopened) throw error;
      return reopened;
    }
  }

  private openError(error: unknown): SparkifyError {
    return warehouseFileError(error, this.path) ?? new SqlError(`cannot open the local warehouse ${this.path}: ${(error as Error).message ?? ''}`, { cause: error });
  }
}
