// A cancel on the local engine, whenever it comes: the statement running on
// the connection is interrupted, and no statement of the cancelled step starts
// after it. A step runs many statements with awaits between them (the catalog
// for the rewrite, the file list and batches of a COPY), and an interrupt
// that lands while none runs does nothing: the engine clears it when the next
// statement begins. Cleanup (ROLLBACK) does not go through here, so it still
// runs after the cancel.
import type { DuckDBConnection, DuckDBMaterializedResult, DuckDBPreparedStatement, DuckDBResult, DuckDBResultReader } from '@duckdb/node-api';
import { CancelledError } from '../errors.js';

/**
 * How often the interrupt is repeated while the statement it is for has not
 * settled: one that lands after the statement was handed to the engine but
 * before the engine began it is cleared as a stale one.
 */
const REPEAT_INTERRUPT_MS = 50;

/** The statements of one cancellable step on one connection. */
export class CancelScope {
  private running = 0;
  private repeat: NodeJS.Timeout | undefined;

  constructor(
    readonly connection: DuckDBConnection,
    private readonly signal: AbortSignal | undefined,
  ) {
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  run(sql: string): Promise<DuckDBMaterializedResult> {
    return this.statement(() => this.connection.run(sql));
  }

  readAll(sql: string): Promise<DuckDBResultReader> {
    return this.statement(() => this.connection.runAndReadAll(sql));
  }

  stream(sql: string): Promise<DuckDBResult> {
    return this.statement(() => this.connection.stream(sql));
  }

  prepare(sql: string): Promise<DuckDBPreparedStatement> {
    return this.statement(() => this.connection.prepare(sql));
  }

  /** Stops listening for the cancel: the step is over. */
  end(): void {
    this.signal?.removeEventListener('abort', this.onAbort);
    this.stopRepeating();
  }

  /** Starts a statement unless the step is cancelled; a cancel while it runs interrupts it. */
  private async statement<T>(start: () => Promise<T>): Promise<T> {
    if (this.signal?.aborted) throw new CancelledError('statement cancelled');
    this.running++;
    try {
      return await start();
    } finally {
      this.running--;
      if (this.running === 0) this.stopRepeating();
    }
  }

  private readonly onAbort = () => {
    if (this.running === 0) return;
    this.connection.interrupt();
    this.repeat = setInterval(() => {
      if (this.running > 0) this.connection.interrupt();
    }, REPEAT_INTERRUPT_MS);
  };

  private stopRepeating(): void {
    clearInterval(this.repeat);
    this.repeat = undefined;
  }
}
