// Ctrl-C and SIGTERM for every plain command: the first signal aborts the
// running work (statements are cancelled on the engine, a wait stops), so
// cleanup still runs; a second one leaves at once.
import { ExitCode } from '../pipeline/errors.js';

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
  const onSignal = (name: NodeJS.Signals) => {
    const now = performance.now();
    if (firstAt === undefined) {
      firstAt = now;
      process.stderr.write(`\n${name === 'SIGINT' ? 'Ctrl-C' : name}: ${doing} (again to quit at once)\n`);
      controller.abort();
    } else if (now - firstAt > SAME_SIGNAL_MS) {
      process.exit(ExitCode.cancelled);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
