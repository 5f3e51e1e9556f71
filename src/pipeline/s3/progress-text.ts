// Fetch progress in words, the same for the plain commands and the app: the
// figures of one moment, the line that starts a fetch and the one that ends it.
import { formatDuration } from '../ledger/present.js';
import { formatBytes } from '../warehouse/duckdb-errors.js';
import type { FetchProgress } from './cache.js';

const count = (n: number) => n.toLocaleString('en-US');
const files = (n: number) => `${count(n)} file${n === 1 ? '' : 's'}`;

/** The figures of one moment: `3,200/14,896 files · 1.2 MB/3.4 MB · 812 files/s · 12s left`. */
export function progressFigures(p: FetchProgress, now = Date.now()): string {
  const seconds = Math.max((now - p.startedAt) / 1000, 0.001);
  const filesPerSecond = p.filesDone / seconds;
  const leftMs = p.bytesDone > 0 ? ((p.bytes - p.bytesDone) * seconds * 1000) / p.bytesDone : undefined;
  const left = leftMs === undefined || p.filesDone === p.files ? '' : ` · ${formatDuration(leftMs)} left`;
  const rate = filesPerSecond < 10 ? filesPerSecond.toFixed(1) : count(Math.round(filesPerSecond));
  return `${count(p.filesDone)}/${count(p.files)} files · ${formatBytes(p.bytesDone)}/${formatBytes(p.bytes)} · ${rate} files/s${left}`;
}

/** What a fetch is about to do; undefined when it has nothing to fetch. */
export function fetchStartText(p: FetchProgress): string | undefined {
  if (p.files === 0) return undefined;
  return `fetching ${files(p.files)} (${formatBytes(p.bytes)}) from ${p.uri} into the cache${p.cached ? `; ${count(p.cached)} already there` : ''}`;
}

/** What a finished fetch did; undefined when it had nothing to look at. */
export function fetchEndText(p: FetchProgress, now = Date.now()): string | undefined {
  if (p.files + p.cached === 0) return undefined;
  if (p.files === 0) return `${p.uri}: ${files(p.cached)} already in the cache, nothing to fetch`;
  const cached = p.cached > 0 ? `; ${count(p.cached)} already in the cache` : '';
  const retried = p.retries > 0 ? `; ${count(p.retries)} fetched again after a failure` : '';
  return `fetched ${files(p.files)} (${formatBytes(p.bytes)}) from ${p.uri} in ${formatDuration(now - p.startedAt)}${cached}${retried}`;
}
