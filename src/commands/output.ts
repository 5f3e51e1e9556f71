// Standard output and standard error whose reader may go away, as `| head`
// does. Node reports the closed pipe as an EPIPE 'error' event, which would
// crash the process with a stack trace; here it is the one place that hears
// it, for both streams: the running work is cancelled (withInterrupt listens
// to `readerGone`), later writes go nowhere, and the CLI exits 0 like any Unix
// filter whose reader stopped early.

import { OutputWriteError } from '../pipeline/errors.js';

const gone = new AbortController();

/** Aborts once the reader of stdout or stderr has gone away. */
export const readerGone: AbortSignal = gone.signal;

/** Thrown by a write to stdout once its reader has gone away. */
export class OutputClosed extends Error {
  constructor() {
    super('standard output was closed');
  }
}

let failure: Error | undefined;
const wakers = new Set<() => void>();

export function guardOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') {
        gone.abort();
        if (stream === process.stdout) failure ??= new OutputClosed();
      } else if (stream === process.stdout) {
        failure ??= error.code ? new OutputWriteError('standard output', error.code, error) : error;
      }
      for (const wake of wakers) wake();
    });
  }
}

/**
 * Writes to stdout with back-pressure, so a large result never piles up in
 * memory: resolves once the chunk is taken. Throws OutputClosed once the
 * reader has gone, and any other write error (a full disk) as an OutputWriteError.
 */
export function writeStdout(chunk: string | Uint8Array): Promise<void> | void {
  if (failure) throw failure;
  if (process.stdout.write(chunk)) return;
  return new Promise((resolve, reject) => {
    const done = () => {
      process.stdout.off('drain', done);
      wakers.delete(done);
      if (failure) reject(failure);
      else resolve();
    };
    wakers.add(done);
    process.stdout.once('drain', done);
  });
}
