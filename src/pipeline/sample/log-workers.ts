// Writes a sample's log files on every core: worker threads (the bundled
// sample-worker.js beside the CLI) each make and write every n-th file. Where
// no worker file is at hand (the sources run directly, as in tests) the files
// are made on this thread; either way each file is the same bytes (log-files.ts).
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { LogFileMaker, writeLogFile, type LogFilePlan } from './log-files.js';
import type { SampleSizes } from './generate.js';

export interface LogJob {
  root: string;
  seed: number;
  sizes: SampleSizes;
  parts: LogFilePlan[];
}

/** What a worker is given: the job and the indexes of the files it makes. */
export interface WorkerTask extends LogJob {
  indexes: number[];
}

/** What a worker reports per file written. */
export interface FileWritten {
  index: number;
  events: number;
  bytes: number;
}

/** The bundled worker beside this code (dist/sample-worker.js, or one folder up from a chunk). */
function workerFile(): URL | undefined {
  return ['./sample-worker.js', '../sample-worker.js'].map((path) => new URL(path, import.meta.url)).find((url) => existsSync(fileURLToPath(url)));
}

/** Makes and writes every file of the job; `onFile` is told of each as it is written. */
export async function writeLogFiles(job: LogJob, onFile: (written: FileWritten) => void, signal?: AbortSignal): Promise<void> {
  const file = workerFile();
  const threads = Math.min(availableParallelism(), job.parts.length);
  if (!file || threads < 2) return writeHere(job, onFile, signal);
  const workers = Array.from({ length: threads }, (_, w) => {
    const task: WorkerTask = { ...job, indexes: job.parts.map((_, i) => i).filter((i) => i % threads === w) };
    return new Worker(file, { workerData: task });
  });
  const stop = () => workers.forEach((worker) => void worker.terminate());
  signal?.addEventListener('abort', stop, { once: true });
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            worker.on('message', (written: FileWritten) => onFile(written));
            worker.on('error', reject);
            // A worker stopped by a cancel ends the wait; the caller reports the cancel.
            worker.on('exit', (code) => (code === 0 || signal?.aborted ? resolve() : reject(new Error(`a sample worker stopped (exit code ${code})`))));
          }),
      ),
    );
  } catch (error) {
    stop();
    throw error;
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}

async function writeHere(job: LogJob, onFile: (written: FileWritten) => void, signal?: AbortSignal): Promise<void> {
  const maker = new LogFileMaker(job.seed, job.sizes);
  // The next file is made while the previous one is being written.
  let writing: Promise<void> = Promise.resolve();
  for (const [index, part] of job.parts.entries()) {
    if (signal?.aborted) break;
    const { file, events } = maker.make(part, index);
    await writing;
    writing = writeLogFile(job.root, part, file).then(() => onFile({ index, events, bytes: file.length }));
    // Awaited on the next turn; this keeps a failed write from counting as unhandled if a cancel comes first.
    writing.catch(() => undefined);
  }
  await writing;
}
