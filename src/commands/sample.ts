// `sparkify sample`: writes course-shaped sample data. Progress goes to stderr,
// the one-line summary to stdout.
import { resolve } from 'node:path';
import { CancelledError, UsageError, describeSystemError, isSystemError } from '../pipeline/errors.js';
import { generateSample, type SampleProgress } from '../pipeline/sample/generate.js';
import { withInterrupt } from './interrupt.js';

export async function sampleCommand(options: { out: string; scale: number; seed: number }): Promise<number> {
  const started = performance.now();
  const progress = progressReporter();
  try {
    const summary = await withInterrupt(
      (signal) =>
        generateSample({ ...options, signal, onProgress: progress.update }).catch((error: unknown) => {
          if (error instanceof CancelledError) throw new CancelledError('sample cancelled: no files were left behind');
          throw isSystemError(error) ? outError(options.out, error) : error;
        }),
      'removing what was written',
    );
    progress.done();
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(
      `${summary.files.toLocaleString('en-US')} files (${summary.songFiles.toLocaleString('en-US')} song, ` +
        `${summary.logFiles.toLocaleString('en-US')} log, 1 jsonpaths), ${summary.events.toLocaleString('en-US')} events, ` +
        `${summary.songs.toLocaleString('en-US')} songs, ${formatBytes(summary.bytes)} in ${summary.out} (${seconds.toFixed(1)} s)\n`,
    );
    return 0;
  } finally {
    progress.done();
  }
}

/**
 * A file-system error while writing the sample is a problem with --out: name
 * the folder asked for (the error's own path may be the hidden work folder
 * beside it) and the reason in words.
 */
function outError(out: string, error: NodeJS.ErrnoException): UsageError {
  const folder = resolve(out);
  const at = error.path && !error.path.includes('.partial-') && error.path !== folder ? ` (at ${error.path})` : '';
  return new UsageError(`cannot write the sample to ${folder}: ${describeSystemError(error)}${at}`, 'choose a folder you can create and write to for --out');
}

/** One self-rewriting line on a terminal; a line per tenth of the work otherwise. */
function progressReporter(): { update: (progress: SampleProgress) => void; done: () => void } {
  const tty = process.stderr.isTTY === true;
  let lastTenth = -1;
  let open = false;
  return {
    update(progress) {
      const text = `${progress.phase === 'songs' ? 'song files' : 'log files'} ${progress.filesDone}/${progress.filesTotal}, ${formatBytes(progress.bytes)}`;
      if (tty) {
        process.stderr.write(`\r\x1b[2K${text}`);
        open = true;
        return;
      }
      const tenth = progress.phase === 'songs' ? -1 : Math.floor((progress.filesDone * 10) / progress.filesTotal);
      if (progress.phase === 'songs' || tenth > lastTenth) {
        lastTenth = tenth;
        process.stderr.write(`${text}\n`);
      }
    },
    done() {
      if (open) process.stderr.write('\r\x1b[2K');
      open = false;
    },
  };
}

function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}
