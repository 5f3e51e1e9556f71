// A window over a query result that is read page by page as the user scrolls.
// Rows scrolled past are dropped once the cache holds `maxCachedRows`, so a
// million-row result costs the same memory as a thousand-row one. Scrolling
// back before the cache re-runs the query (only for statements that read).
import type { ColumnInfo, QueryResult, Row } from '../../pipeline/warehouse/types.js';
import { isReadOnly } from '../../pipeline/sql/classify.js';

export const DEFAULT_MAX_CACHED_ROWS = 5000;

export interface ResultWindowOptions {
  maxCachedRows?: number;
  /**
   * Rows per page the query was asked for. A shorter page is most likely the
   * last one; one more read then says so for sure, so the count is exact.
   */
  pageSize?: number;
  /** Runs the query again, to scroll back before the cache; absent when re-running is unsafe. */
  reopen?: () => Promise<QueryResult>;
}

export class ResultWindow {
  readonly columns: ColumnInfo[];
  readonly engineMs: number;
  private result: QueryResult;
  private iterator: AsyncIterator<Row[]>;
  private cache: Row[] = [];
  /** Absolute index of cache[0]. */
  private cacheStart = 0;
  private exhausted = false;
  private closed = false;
  /** The result was let go (see release()); reading on re-runs the query. */
  private released = false;
  /** The row count from reading to the end once; a re-run keeps it. */
  private countedRows?: number;
  private readonly maxCachedRows: number;
  private readonly pageSize?: number;
  private readonly reopen?: () => Promise<QueryResult>;
  /** Reads run one after another: overlapping scrolls must not interleave pages. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(result: QueryResult, options: ResultWindowOptions = {}) {
    this.result = result;
    this.columns = result.columns;
    this.engineMs = result.engineMs;
    this.iterator = result.pages()[Symbol.asyncIterator]();
    this.maxCachedRows = Math.max(1, options.maxCachedRows ?? DEFAULT_MAX_CACHED_ROWS);
    this.pageSize = options.pageSize;
    this.reopen = options.reopen;
  }

  /** Rows read so far (the end of the cache). */
  get rowsRead(): number {
    return this.cacheStart + this.cache.length;
  }

  /** The row count when it is known: from the engine, or once every page was read. */
  get totalRows(): number | undefined {
    return this.exhausted ? this.rowsRead : (this.countedRows ?? this.result.totalRows);
  }

  get isComplete(): boolean {
    return this.exhausted;
  }

  /** Every row is in the cache: exporting or scrolling needs no second run. */
  get holdsAllRows(): boolean {
    return this.exhausted && this.cacheStart === 0;
  }

  get cachedRows(): number {
    return this.cache.length;
  }

  get canReopen(): boolean {
    return this.reopen !== undefined;
  }

  /** Rows [start, start + count) from the cache, or undefined when some are not there. */
  peek(start: number, count: number): Row[] | undefined {
    const end = Math.min(start + count, this.totalRows ?? Number.POSITIVE_INFINITY);
    if (start < this.cacheStart || end > this.rowsRead) return undefined;
    return this.cache.slice(start - this.cacheStart, end - this.cacheStart);
  }

  /**
   * Rows [start, start + count), reading forward as needed; fewer at the end
   * of the result. `start` before the cache re-runs the query or, when that
   * is not allowed, starts at the first cached row.
   */
  rows(start: number, count: number, signal?: AbortSignal): Promise<{ start: number; rows: Row[] }> {
    return this.enqueue(async () => {
      let from = Math.max(0, start);
      if (from < this.cacheStart) {
        if (this.reopen) await this.restart();
        else from = this.cacheStart;
      } else if (this.released && !this.exhausted && from + count > this.rowsRead) {
        await this.restart();
      }
      await this.readUntil(from + count, from, signal);
      const end = Math.min(from + count, this.rowsRead);
      const first = Math.min(from, Math.max(this.cacheStart, end - count));
      return { start: first, rows: this.cache.slice(first - this.cacheStart, end - this.cacheStart) };
    });
  }

  /**
   * Reads one page past the rows read while the count is unknown: a result of
   * exactly one page (`LIMIT 500` at 500 a page) then counts as complete, and
   * a longer one has only read a page early.
   */
  readAhead(signal?: AbortSignal): Promise<void> {
    return this.enqueue(async () => {
      if (this.totalRows === undefined && !this.released) await this.readUntil(this.rowsRead + 1, this.cacheStart, signal);
    });
  }

  /** Reads every remaining page (keeping only the last ones); reports rows read as it goes. */
  readToEnd(signal?: AbortSignal, onProgress?: (rowsRead: number) => void): Promise<number> {
    return this.enqueue(async () => {
      // A released result has no more pages to give: its end would not be the result's end.
      if (this.released && !this.exhausted) await this.restart();
      await this.readUntil(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, signal, onProgress);
      return this.rowsRead;
    });
  }

  /**
   * Lets go of the engine's result but keeps the cached rows, so the engine
   * can run something else (the local engine holds its connection while a
   * result is open). Reading past the cache later re-runs the query.
   */
  release(): Promise<void> {
    return this.enqueue(async () => {
      if (this.exhausted || this.released || !this.reopen) return;
      this.released = true;
      await this.iterator.return?.();
      await this.result.close();
    });
  }

  /** True while an unfinished result holds the engine. */
  get holdsEngine(): boolean {
    return !this.exhausted && !this.released && !this.closed;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.catch(() => undefined);
    await this.iterator.return?.();
    await this.result.close();
    this.cache = [];
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Pulls pages until `until` rows are read, never dropping rows at or after `keepFrom`. */
  private async readUntil(until: number, keepFrom: number, signal?: AbortSignal, onProgress?: (rowsRead: number) => void) {
    while (!this.exhausted && !this.closed && this.rowsRead < until) {
      if (signal?.aborted) throw signal.reason ?? new Error('aborted');
      const next = await this.iterator.next();
      if (next.done) {
        this.exhausted = true;
        this.countedRows = this.rowsRead;
        break;
      }
      for (const row of next.value) this.cache.push(row);
      // Engines may return short pages mid-result, so a short page is checked
      // with one more read rather than taken as the end.
      if (this.pageSize !== undefined && next.value.length < this.pageSize && this.result.totalRows === undefined) {
        until = Math.max(until, this.rowsRead + 1);
      }
      const excess = this.cache.length - this.maxCachedRows;
      const droppable = Math.min(excess, keepFrom - this.cacheStart);
      if (droppable > 0) {
        this.cache.splice(0, droppable);
        this.cacheStart += droppable;
      }
      onProgress?.(this.rowsRead);
    }
  }

  private async restart(): Promise<void> {
    await this.iterator.return?.();
    await this.result.close();
    this.result = await this.reopen!();
    this.iterator = this.result.pages()[Symbol.asyncIterator]();
    this.cache = [];
    this.cacheStart = 0;
    this.exhausted = false;
    this.released = false;
  }
}

/** Statements that only read, and so may be run again to scroll back or export. */
export function isReadOnlyStatement(sql: string): boolean {
  return isReadOnly(sql);
}
