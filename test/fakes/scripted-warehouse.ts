// A warehouse that runs nothing: each statement waits until the test lets it
// finish (or fails it), and every call is recorded, so a test can drive the
// runner step by step and see the order, the overlap and what never ran.
import { pagesOf } from '../../src/pipeline/warehouse/pages.js';
import type { BatchOptions, ExecuteOptions, ExecuteResult, QueryOptions, QueryResult, Row, Warehouse, WarehouseSession } from '../../src/pipeline/warehouse/types.js';

interface Pending {
  sql: string;
  finish(result?: Partial<ExecuteResult> & { rows?: Row[] }): void;
  fail(error: Error): void;
}

export class ScriptedWarehouse implements Warehouse {
  readonly target = 'local' as const;
  readonly label = 'scripted';
  /** Statements in the order they started; a batch is one entry, its statements joined by `;`. */
  readonly started: string[] = [];
  readonly finished: string[] = [];
  active = 0;
  maxActive = 0;
  private pending: Pending[] = [];
  private waiters: (() => void)[] = [];

  constructor(
    readonly maxConcurrency: number,
    /** Answers a statement at once when it returns a result (auto-finish); undefined leaves it pending. */
    private readonly auto: (sql: string) => (Partial<ExecuteResult> & { rows?: Row[] }) | Error | undefined = () => undefined,
  ) {}

  /** Resolves when `count` statements are waiting to be finished. */
  async waitForPending(count: number): Promise<Pending[]> {
    while (this.pending.length < count) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.pending.slice(0, count);
  }

  pendingSql(): string[] {
    return this.pending.map((p) => p.sql);
  }

  private run(sql: string, signal?: AbortSignal): Promise<Partial<ExecuteResult> & { rows?: Row[] }> {
    this.started.push(sql);
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    return new Promise<Partial<ExecuteResult> & { rows?: Row[] }>((resolve, reject) => {
      const settle = () => {
        this.pending = this.pending.filter((p) => p !== entry);
        this.active--;
      };
      const entry: Pending = {
        sql,
        finish: (result = {}) => {
          settle();
          this.finished.push(sql);
          resolve(result);
        },
        fail: (error) => {
          settle();
          reject(error);
        },
      };
      signal?.addEventListener('abort', () => entry.fail(Object.assign(new Error('aborted'), { name: 'AbortError' })), { once: true });
      const answer = this.auto(sql);
      if (answer instanceof Error) return entry.fail(answer);
      if (answer) return entry.finish(answer);
      this.pending.push(entry);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  async execute(sql: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    const result = await this.run(sql, options.signal);
    return { rowsAffected: result.rowsAffected ?? 0, engineMs: result.engineMs ?? 1 };
  }

  async executeBatch(sqls: string[], options: BatchOptions = {}): Promise<ExecuteResult[]> {
    sqls.forEach((_, i) => options.onStatementStarted?.(i));
    const result = await this.run(sqls.join(';'), options.signal);
    return sqls.map((_, i) => {
      const one = { rowsAffected: result.rowsAffected ?? 0, engineMs: result.engineMs ?? 1 };
      options.onStatementFinished?.(i, one);
      return one;
    });
  }

  async query(sql: string, options: QueryOptions = {}): Promise<QueryResult> {
    const result = await this.run(sql, options.signal);
    const rows = result.rows ?? [];
    return {
      columns: [{ name: 'value', type: 'bigint' }],
      engineMs: result.engineMs ?? 1,
      pages: () => pagesOf([rows]),
      close: async () => {},
    };
  }

  /** A session here is the warehouse itself: its statements are scripted the same way. */
  openSession(): Promise<WarehouseSession> {
    return Promise.resolve({
      execute: (sql, options) => this.execute(sql, options),
      executeBatch: (sqls, options) => this.executeBatch(sqls, options),
      query: (sql, options) => this.query(sql, options),
      close: async () => {},
    });
  }

  async close(): Promise<void> {}
}
