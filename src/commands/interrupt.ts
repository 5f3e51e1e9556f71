// Ctrl-C and SIGTERM for plain commands: the first signal aborts the running
// work (statements are cancelled on the engine), so cleanup still runs; a
// second one leaves at once.
import { ExitCode } from '../pipeline/errors.js';

/**
 * Signals closer together than this count as one. A library under conf
 * (when-exit) re-raises the signal it saw right away; a person pressing
 * Ctrl-C twice is slower than this.
 */
const SAME_SIGNAL_MS = 300;

export async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let firstAt: number | undefined;
  const onSignal = (name: NodeJS.Signals) => {
    const now = performance.now();
    if (firstAt === undefined) {
      firstAt = now;
      process.stderr.write(`\n${name === 'SIGINT' ? 'Ctrl-C' : name}: cancelling the running statement (again to quit at once)\n`);
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
