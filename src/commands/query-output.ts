// The results of a `sparkify query` script, statement by statement, in the
// chosen format (the writes go through output.ts, with back-pressure).
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { writeResult, type OutputFormat } from '../pipeline/format.js';
import { stepTitle, type ScriptStep, type StepOutcome } from '../pipeline/script.js';
import type { QueryResult } from '../pipeline/warehouse/types.js';

export type Write = (chunk: string) => Promise<void> | void;

/** Writes to a file given with --out (made 0600), with back-pressure. */
export function fileWriter(path: string): { write: Write; close: () => Promise<void> } {
  const out = createWriteStream(path, { encoding: 'utf8', mode: 0o600 });
  let failure: Error | undefined;
  out.on('error', (error) => (failure ??= error));
  const throwFailure = () => {
    if (failure) throw failure;
  };
  return {
    write: async (chunk) => {
      throwFailure();
      if (!out.write(chunk)) await Promise.race([once(out, 'drain'), once(out, 'close')]);
      throwFailure();
    },
    close: async () => {
      if (out.closed) return;
      out.end();
      await once(out, 'close');
      if (failure) throw failure;
    },
  };
}

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
