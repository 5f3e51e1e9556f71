// Standard output for `sparkify query`: writes with back-pressure, and the
// results of a script statement by statement in the chosen format.
import { writeResult, type OutputFormat } from '../pipeline/format.js';
import { stepTitle, type ScriptStep, type StepOutcome } from '../pipeline/script.js';
import type { QueryResult } from '../pipeline/warehouse/types.js';

/** Thrown by a write once the reader of standard output has closed it. */
export class OutputClosed extends Error {}

/**
 * Writes to stdout with back-pressure, so a large result never piles up in
 * memory. A closed pipe (EPIPE) arrives as an 'error' event on stdout, which
 * would otherwise crash the process with a stack trace; here it makes the
 * next write (or the one waiting for 'drain') throw OutputClosed. Any other
 * write error (a full disk) is thrown as it is.
 */
export function stdoutWriter(): { write: (chunk: string) => Promise<void> | void } {
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    failure ??= error.code === 'EPIPE' ? new OutputClosed('standard output was closed') : error;
    wake?.();
  });
  return {
    write(chunk) {
      if (failure) throw failure;
      if (process.stdout.write(chunk)) return;
      return new Promise((resolve, reject) => {
        const done = () => {
          process.stdout.off('drain', done);
          wake = undefined;
          if (failure) reject(failure);
          else resolve();
        };
        wake = done;
        process.stdout.once('drain', done);
      });
    },
  };
}

export type Write = (chunk: string) => Promise<void> | void;

/** How a script's statements appear: a header and the rows or the command tag of each, in the format asked for. */
export function scriptPrinter(format: OutputFormat, write: Write, limit: number | undefined) {
  let printed = 0;
  const separate = async () => {
    if (printed++ > 0 && (format === 'table' || format === 'csv' || format === 'tsv')) await write('\n');
  };
  return {
    async rows(step: ScriptStep, result: QueryResult): Promise<number> {
      await separate();
      if (format === 'table') await write(`${stepTitle(step)}\n`);
      const rows = await writeResult(result, { format, limit, write });
      if (format === 'table') await write(`(${rows} row${rows === 1 ? '' : 's'})\n`);
      return rows;
    },
    async outcome(outcome: StepOutcome): Promise<void> {
      if (outcome.error || outcome.step.statement.kind === 'read') return;
      const tag = outcome.rolledBack ? `${outcome.tag} (rolled back)` : outcome.tag;
      switch (format) {
        case 'table':
          await separate();
          await write(`${stepTitle(outcome.step)}\n${tag}\n`);
          break;
        case 'json':
          await write(`${JSON.stringify([{ command: tag }])}\n`);
          break;
        case 'jsonl':
          await write(`${JSON.stringify({ command: tag })}\n`);
          break;
        default:
          process.stderr.write(`${tag}\n`);
      }
    },
  };
}
