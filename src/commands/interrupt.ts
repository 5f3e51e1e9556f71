// Ctrl-C, SIGTERM and SIGHUP for every plain command: the first signal aborts
// the running work (statements are cancelled on the engine, a wait stops), so
// cleanup still runs; a second one leaves at once. A hang-up exits 129, the
// others 130. A reader of the output that goes away aborts it too, quietly.
import { ExitCode, SparkifyError } from '../pipeline/errors.js';
import { readerGone } from './output.js';

/**
 * Signals closer together than this count as one. A library under conf
 * (when-exit) re-raises the signal it saw right away; a person pressing
 * Ctrl-C twice is slower than this.
 */
const SAME_SIGNAL_MS = 300;

/** Runs `work` with a signal that aborts on the first Ctrl-C; `doing` says what that does, in words. */
export async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>, doing = 'cancelling the running statement'): Promise<T> {
  const controller = new AbortController();
  let firstAt: number | undefined;
  let first: NodeJS.Signals | undefined;
  const onSignal = (name: NodeJS.Signals) => {
    const now = performance.now();
    if (firstAt === undefined) {
      firstAt = now;
      first = name;
      if (name !== 'SIGHUP') process.stderr.write(`\n${name === 'SIGINT' ? 'Ctrl-C' : name}: ${doing} (again to quit at once)\n`);
      controller.abort();
    } else if (now - firstAt > SAME_SIGNAL_MS) {
      process.exit(first === 'SIGHUP' ? ExitCode.hangup : ExitCode.cancelled);
    }
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const name of signals) process.on(name, onSignal);
  const onReaderGone = () => controller.abort();
  readerGone.addEventListener('abort', onReaderGone, { once: true });
  if (readerGone.aborted) controller.abort();
  try {
    const result = await work(controller.signal);
    if (first === 'SIGHUP') throw hangup();
    return result;
  } catch (error) {
    if (first === 'SIGHUP') throw hangup(error);
    throw error;
  } finally {
    for (const name of signals) process.off(name, onSignal);
    readerGone.removeEventListener('abort', onReaderGone);
    // The process is on its way out after a signal: one more while it winds
    // down leaves with the first signal's code, not the system's 128+n.
    if (first !== undefined) {
      const code = first === 'SIGHUP' ? ExitCode.hangup : ExitCode.cancelled;
      for (const name of signals) process.on(name, () => process.exit(code));
    }
  }
}

function hangup(cause?: unknown): SparkifyError {
  return new SparkifyError('the terminal went away (SIGHUP): the running work was cancelled', { exitCode: ExitCode.hangup, cause });
}
