// Ctrl-C and SIGTERM for plain commands: the first signal aborts the running
// work (statements are cancelled on the engine), so cleanup still runs; a
// second one leaves at once.
import { ExitCode } from '../pipeline/errors.js';

export async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (name: NodeJS.Signals) => {
    signals++;
    if (signals === 1) {
      process.stderr.write(`\n${name === 'SIGINT' ? 'Ctrl-C' : name}: cancelling the running statement (again to quit at once)\n`);
      controller.abort();
    } else {
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
