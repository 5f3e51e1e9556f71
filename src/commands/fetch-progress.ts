// Progress of fetching S3 sources into the cache, on stderr: in a terminal
// one line redrawn in place (a bar, files, bytes, rate, time left); without
// one, plain lines at the start, at each tenth and at the end.
import type { FetchProgress } from '../pipeline/s3/cache.js';
import { fetchEndText, fetchStartText, progressFigures } from '../pipeline/s3/progress-text.js';

const REDRAW_MS = 100;
/** Below this many files a fetch without a terminal says only where it starts and ends. */
const PLAIN_STEPS_FROM = 100;

function bar(share: number, width: number): string {
  const filled = Math.round(share * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

export interface FetchReporter {
  onProgress: (progress: FetchProgress) => void;
  /** Ends the redrawn line (after a failure or Ctrl-C too). */
  end(): void;
}

export function createFetchReporter(stream: NodeJS.WriteStream = process.stderr): FetchReporter {
  const tty = stream.isTTY === true;
  let current: FetchProgress | undefined;
  let drawnAt = 0;
  let drawing = false;
  let tenth = 0;

  const draw = (p: FetchProgress) => {
    const columns = stream.columns || 80;
    const figures = progressFigures(p);
    const head = `fetching ${p.uri} `;
    const room = columns - head.length - figures.length - 4;
    const line = room >= 12 ? `${head}${bar(p.bytes > 0 ? p.bytesDone / p.bytes : p.filesDone / Math.max(p.files, 1), Math.min(room, 30))} ${figures}` : figures;
    stream.write(`\r\x1b[2K${line.slice(0, columns - 1)}`);
    drawing = true;
  };

  const end = () => {
    if (drawing) stream.write('\n');
    drawing = false;
  };

  return {
    onProgress(p) {
      if (current !== p) {
        end();
        tenth = 0;
        current = p;
        const start = fetchStartText(p);
        if (start) stream.write(start + '\n');
      }
      const done = p.filesDone === p.files;
      if (tty && p.files > 0 && (done || Date.now() - drawnAt >= REDRAW_MS)) {
        drawnAt = Date.now();
        draw(p);
      }
      const reached = Math.floor((p.filesDone / Math.max(p.files, 1)) * 10);
      if (!tty && !done && p.files >= PLAIN_STEPS_FROM && reached > tenth) {
        tenth = reached;
        stream.write(`  ${progressFigures(p)}\n`);
      }
      if (done) {
        const text = fetchEndText(p);
        if (text) stream.write(`${drawing ? '\r\x1b[2K' : ''}${text}\n`);
        drawing = false;
        current = undefined;
      }
    },
    end,
  };
}
