// Ctrl-C, SIGTERM and SIGHUP for every plain command: the first signal aborts
// the running work (statements are cancelled on the engine, a wait stops), so
// cleanup still runs; a second one leaves at once. A hang-up exits 129, the
// others 130. A reader of the output that goes away aborts it too, quietly.
//
// The listeners are installed by the first line the CLI runs (armSignals), not
// when the work starts: a signal while the command's modules load, the config
// is read or the sources are listed is kept, and the work starts already
// cancelled, so nothing is begun that the signal would cut in half.
import { ExitCode, SparkifyError } from '../pipeline/errors.js';
import { readerGone } from './output.js';

/**
 * Signals closer together than this count as one. A library under conf
 * (when-exit) re-raises the signal it saw right away; a person pressing
 * Ctrl-C twice is slower than this.
 */
const SAME_SIGNAL_MS = 300;
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

interface Received {
  name: NodeJS.Signals;
  at: number;
}

/** The first signal, once one came. */
let received: Received | undefined;
/** Whether a withInterrupt has seen `received` (it then said what the signal does). */
let heard = false;
/** The running withInterrupt's abort, while one runs. */
let abortWork: (() => void) | undefined;
let armed = false;

const codeFor = (name: NodeJS.Signals) => (name === 'SIGHUP' ? ExitCode.hangup : ExitCode.cancelled);

function onSignal(name: NodeJS.Signals): void {
  const now = performance.now();
  if (received === undefined) {
    received = { name, at: now };
    abortWork?.();
  } else if (now - received.at > SAME_SIGNAL_MS) {
    process.exit(codeFor(received.name));
  }
}

/** Installs the signal listeners for the life of the process. The CLI calls it first thing. */
export function armSignals(): void {
  if (armed) return;
  armed = true;
  for (const name of SIGNALS) process.on(name, onSignal);
}

/**
 * Hands the signals back to their default (the app's screens handle Ctrl-C
 * themselves, and SIGTERM ends them as it ends any program). A signal that
 * came before is a cancel: nothing has started yet.
 */
export function releaseSignals(): void {
  for (const name of SIGNALS) process.off(name, onSignal);
  armed = false;
  if (received) throw signalled(received.name);
}

/**
 * A signal no withInterrupt heard (it came while a command that runs no
 * cancellable work was finishing): its exit code, said in a line. Undefined
 * when none came.
 */
export function unheardSignal(): number | undefined {
  if (!received || heard) return undefined;
  process.stderr.write(`\n${signalWord(received.name)}: stopped\n`);
  return codeFor(received.name);
}

/** Runs `work` with a signal that aborts on the first Ctrl-C; `doing` says what that does, in words. */
export async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>, doing = 'cancelling the running statement'): Promise<T> {
  armSignals();
  const controller = new AbortController();
  const abort = () => {
    if (controller.signal.aborted || !received) return;
    heard = true;
    if (received.name !== 'SIGHUP') process.stderr.write(`\n${signalWord(received.name)}: ${doing} (again to quit at once)\n`);
    controller.abort();
  };
  abortWork = abort;
  // A signal that came while the command was getting ready: the work starts cancelled.
  abort();
  const onReaderGone = () => controller.abort();
  readerGone.addEventListener('abort', onReaderGone, { once: true });
  if (readerGone.aborted) controller.abort();
  try {
    const result = await work(controller.signal);
    if (received?.name === 'SIGHUP') throw hangup();
    return result;
  } catch (error) {
    if (received?.name === 'SIGHUP') throw hangup(error);
    throw error;
  } finally {
    abortWork = undefined;
    readerGone.removeEventListener('abort', onReaderGone);
    // The process is on its way out after a signal: one more while it winds
    // down leaves with the first signal's code, not the system's 128+n.
    if (received !== undefined) {
      const first = received;
      const code = codeFor(first.name);
      // The same signal again at once is the first one re-raised (see SAME_SIGNAL_MS), not a second press.
      for (const name of SIGNALS) {
        process.on(name, () => {
          if (performance.now() - first.at > SAME_SIGNAL_MS) process.exit(code);
        });
      }
    }
  }
}

const signalWord = (name: NodeJS.Signals) => (name === 'SIGINT' ? 'Ctrl-C' : name);

function signalled(name: NodeJS.Signals): SparkifyError {
  return name === 'SIGHUP' ? hangup() : new SparkifyError(`${signalWord(name)}: stopped before anything started`, { exitCode: ExitCode.cancelled });
}

function hangup(cause?: unknown): SparkifyError {
  return new SparkifyError('the terminal went away (SIGHUP): the running work was cancelled', { exitCode: ExitCode.hangup, cause });
}
