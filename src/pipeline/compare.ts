// The same query on both engines, compared: row counts, a hash of the rows
// (of the sorted rows unless the query orders them itself) and the rows one
// side has and the other has not. It turns the local twin into something a
// person can check against Redshift by hand.
import { createHash } from 'node:crypto';
import { isAbortError } from './errors.js';
import type { ScriptTarget } from './script.js';
import { ordersRows } from './sql/ordering.js';
import type { QueryResult, Row, SqlValue } from './warehouse/types.js';

export interface SideResult {
  label: string;
  rows: number;
  /** sha256 of the rows, first 16 hex digits. */
  hash: string;
  /** The engine refused the query (its message): the twin and Redshift part here too. */
  error?: string;
}

export interface Comparison {
  equal: boolean;
  /** True when the query orders its rows (ORDER BY at the top): the order counts. */
  ordered: boolean;
  left: SideResult;
  right: SideResult;
  /** Rows of one side the other lacks (as many times as they are missing), the first `maxRows` of each. */
  onlyLeft: Row[];
  onlyRight: Row[];
  /** The first row where two ordered results part, when they have the same rows in another order. */
  firstOrderDifference?: number;
}

/**
 * A value as both engines agree to print it: whole numbers without a
 * fraction, decimals without trailing zeros (DuckDB keeps a DECIMAL's scale,
 * Redshift's CSV may not), NULL apart from any text.
 */
function canonical(value: SqlValue): string {
  if (value === null) return '\u0000NULL';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (/^-?\d+\.\d+$/.test(value)) return value.replace(/\.?0+$/, '');
  return value;
}

const rowKey = (row: Row) => JSON.stringify(row.map(canonical));

async function readKeys(result: QueryResult): Promise<{ keys: string[]; rows: Map<string, Row> }> {
  const keys: string[] = [];
  const rows = new Map<string, Row>();
  try {
    for await (const page of result.pages()) {
      for (const row of page) {
        const key = rowKey(row);
        keys.push(key);
        if (!rows.has(key)) rows.set(key, row);
      }
    }
  } finally {
    await result.close();
  }
  return { keys, rows };
}

function hashOf(keys: readonly string[]): string {
  const hash = createHash('sha256');
  for (const key of keys) hash.update(key).update('\n');
  return hash.digest('hex').slice(0, 16);
}

/** What `from` has more of than `other`, row by row, up to `max` rows. */
function missing(from: string[], other: string[], rows: Map<string, Row>, max: number): Row[] {
  const counts = new Map<string, number>();
  for (const key of other) counts.set(key, (counts.get(key) ?? 0) + 1);
  const out: Row[] = [];
  for (const key of from) {
    const left = counts.get(key) ?? 0;
    if (left > 0) counts.set(key, left - 1);
    else if (out.length < max) out.push(rows.get(key)!);
  }
  return out;
}

export interface CompareSide {
  label: string;
  target: ScriptTarget;
}

/** The rows of `sql` on one side; a failure other than a cancel is that side's answer, not the comparison's end. */
async function readSide(sql: string, side: CompareSide, signal: AbortSignal | undefined): Promise<{ keys: string[]; rows: Map<string, Row>; error?: string }> {
  try {
    return await readKeys(await side.target.query(sql, { signal, pageSize: 2000 }));
  } catch (error) {
    if (isAbortError(error) || signal?.aborted) throw error;
    return { keys: [], rows: new Map(), error: error instanceof Error ? error.message : String(error) };
  }
}

/** Runs `sql` on both sides, one after the other, and compares what they return. */
export async function compareQuery(sql: string, left: CompareSide, right: CompareSide, options: { signal?: AbortSignal; maxRows?: number } = {}): Promise<Comparison> {
  const ordered = ordersRows(sql);
  const a = await readSide(sql, left, options.signal);
  const b = await readSide(sql, right, options.signal);
  if (a.error !== undefined || b.error !== undefined) {
    const side = (label: string, read: typeof a): SideResult => ({ label, rows: read.keys.length, hash: read.error === undefined ? hashOf(ordered ? read.keys : [...read.keys].sort()) : '', error: read.error });
    return { equal: false, ordered, left: side(left.label, a), right: side(right.label, b), onlyLeft: [], onlyRight: [] };
  }
  const sortedA = ordered ? a.keys : [...a.keys].sort();
  const sortedB = ordered ? b.keys : [...b.keys].sort();
  const hashA = hashOf(sortedA);
  const hashB = hashOf(sortedB);
  const max = options.maxRows ?? 50;
  const onlyLeft = missing(a.keys, b.keys, a.rows, max);
  const onlyRight = missing(b.keys, a.keys, b.rows, max);
  const firstOrderDifference = ordered && hashA !== hashB && onlyLeft.length === 0 && onlyRight.length === 0 ? sortedA.findIndex((key, i) => key !== sortedB[i]) : undefined;
  return {
    equal: hashA === hashB,
    ordered,
    left: { label: left.label, rows: a.keys.length, hash: hashA },
    right: { label: right.label, rows: b.keys.length, hash: hashB },
    onlyLeft,
    onlyRight,
    firstOrderDifference,
  };
}
