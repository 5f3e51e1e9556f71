// Run history in words and figures, for `sparkify runs` and the app alike.
import type { RunSummary } from './history.js';
import { rowChange } from '../run-outcome.js';

/** Short table names for the "rows added" column. */
const SHORT: Record<string, string> = {
  'analytics.f_songplays': 'plays',
  'analytics.d_users': 'users',
  'analytics.d_songs': 'songs',
  'analytics.d_artists': 'artists',
  'analytics.d_time': 'times',
};

export function runDurationMs(run: RunSummary): number | undefined {
  return run.finishedAt === undefined ? undefined : run.finishedAt - run.startedAt;
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '-';
  if (ms < 10_000) return `${(ms / 1000).toFixed(2)}s`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`;
}

/** A run's outcome as a person reads it; a run still `running` that is not this process's is one that died. */
export function outcomeText(run: RunSummary): string {
  if (run.outcome === 'running') return 'running or interrupted';
  if (run.outcome === 'succeeded') return 'succeeded';
  return `${run.outcome}${run.failedStep ? ` at ${run.failedStep}` : ''}`;
}

/** Change in each analytics table's rows since `previous`, e.g. `plays +120 users +2`. */
export function rowsAdded(run: RunSummary, previous: RunSummary | undefined): Record<string, string> {
  const changes: Record<string, string> = {};
  for (const [table, rows] of Object.entries(run.tableRows)) {
    if (!(table in SHORT)) continue;
    changes[table] = rowChange(rows, previous ? (previous.tableRows[table] ?? 0) : 0);
  }
  return changes;
}

export function rowsAddedText(changes: Record<string, string>): string {
  const parts = Object.entries(changes).map(([table, change]) => `${SHORT[table] ?? table} ${change}`);
  return parts.length === 0 ? '-' : parts.join(' ');
}

/** `2026-12-01 20:10` in local time. */
export function formatWhen(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

const BARS = '▁▂▃▄▅▆▇█';

/** Durations as a sparkline, one bar per run, scaled to the longest. */
export function sparkline(values: number[]): string {
  const max = Math.max(...values);
  return values.map((v) => BARS[max <= 0 ? 0 : Math.min(BARS.length - 1, Math.floor((v / max) * (BARS.length - 1) + 0.5))]).join('');
}

/** The latest duration as a multiple of the median of all of them, when it is more than twice that median. */
export function slowerThanUsual(values: number[]): number | undefined {
  if (values.length < 3) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const latest = values.at(-1)!;
  return median > 0 && latest > 2 * median ? latest / median : undefined;
}
