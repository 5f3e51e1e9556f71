// Progress of fetching S3 sources into the cache, on stderr: in a terminal
// one line redrawn in place (a bar, files, bytes, rate, time left); without
// one, plain lines at the start, at each tenth and at the end.
import type { FetchProgress } from '../pipeline/s3/cache.js';
import { formatDuration } from '../pipeline/ledger/present.js';
import { formatBytes } from '../pipeline/warehouse/duckdb-errors.js';

const REDRAW_MS = 100;

const count = (n: number) => n.toLocaleString('en-US');
const files = (n: number) => `${count(n)} file${n === 1 ? '' : 's'}`;
/** Below this many files a fetch without a terminal says only where it starts and ends. */
const PLAIN_STEPS_FROM = 100;

function rate(p: FetchProgress, now: number): { filesPerSecond: number; leftMs?: number } {
  const seconds = Math.max((now - p.startedAt) / 1000, 0.001);
  const bytesPerMs = p.bytesDone / (seconds * 1000);
  const leftMs = p.bytesDone > 0 ? (p.bytes - p.bytesDone) / bytesPerMs : undefined;
  return { filesPerSecond: p.filesDone / seconds, leftMs };
}

/** The figures of one moment: `3,200/14,896 files · 1.2 MB/3.4 MB · 812 files/s · 12s left`. */
export function progressFigures(p: FetchProgress, now = Date.now()): string {
  const { filesPerSecond, leftMs } = rate(p, now);
  const left = leftMs === undefined || p.filesDone === p.files ? '' : ` · ${formatDuration(leftMs)} left`;
  return `${count(p.filesDone)}/${count(p.files)} files · ${formatBytes(p.bytesDone)}/${formatBytes(p.bytes)} · ${filesPerSecond < 10 ? filesPerSecond.toFixed(1) : count(Math.round(filesPerSecond))} files/s${left}`;
}

function bar(share: number, width: number): string {
  const filled = Math.round(share * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

export interface FetchReporter {
  onProgress(progress: FetchProgress): void;
  /** Ends the redrawn line (after a failure or Ctrl-C too). */
  end(): void;
}

export function createFetchReporter(stream: NodeJS.WriteStream = process.stderr): FetchReporter {
  const tty = stream.isTTY === true;
  let current: FetchProgress | undefined;
  let drawnAt = 0;
  let drawing = false;
  let tenth = -1;

  const finish = (p: FetchProgress) => {
    const took = Date.now() - p.startedAt;
    const cached = p.cached > 0 ? `; ${count(p.cached)} already in the cache` : '';
    const retried = p.retries > 0 ? `; ${count(p.retries)} fetched again after a failure` : '';
    return p.files === 0
      ? `${p.uri}: ${files(p.cached)} already in the cache, nothing to fetch`
      : `fetched ${files(p.files)} (${formatBytes(p.bytes)}) from ${p.uri} in ${formatDuration(took)}${cached}${retried}`;
  };

  const draw = (p: FetchProgress) => {
    const columns = stream.columns || 80;
    const figures = progressFigures(p);
    const head = `fetching ${p.uri} `;
    const room = columns - head.length - figures.length - 4;
    const line = room >= 12 ? `${head}${bar(p.bytes > 0 ? p.bytesDone / p.bytes : p.filesDone / Math.max(p.files, 1), Math.min(room, 30))} ${figures}` : figures;
    stream.write(`\r\x1b[2K${line.slice(0, columns - 1)}`);
    drawing = true;
  };

  return {
    onProgress(p) {
      if (current !== p) {
        if (drawing) stream.write('\n');
        drawing = false;
        tenth = 0;
        current = p;
        if (p.files > 0) stream.write(`fetching ${files(p.files)} (${formatBytes(p.bytes)}) from ${p.uri} into the cache${p.cached ? `; ${count(p.cached)} already there` : ''}\n`);
      }
      const done = p.filesDone === p.files;
      if (tty && p.files > 0 && (done || Date.now() - drawnAt >= REDRAW_MS)) {
        drawnAt = Date.now();
        draw(p);
      }
      const reached = p.files === 0 ? 10 : Math.floor((p.filesDone / p.files) * 10);
      if (!tty && !done && p.files >= PLAIN_STEPS_FROM && reached > tenth) {
        tenth = reached;
        if (reached > 0) stream.write(`  ${progressFigures(p)}\n`);
      }
      if (done && p.files + p.cached === 0) current = undefined;
      else if (done) {
        stream.write(`${drawing ? '\r\x1b[2K' : ''}${finish(p)}\n`);
        drawing = false;
        current = undefined;
      }
    },
    end() {
      if (drawing) stream.write('\n');
      drawing = false;
    },
  };
}
