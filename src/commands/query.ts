// `sparkify query "<sql>"`: one query, its result on stdout. Loads DuckDB or
// the Data API client, never Ink.
import { readConfig } from '../pipeline/config.js';
import { checkLocalDatabasePath, openWarehouse, resolveTarget, type TargetFlags } from '../pipeline/connect.js';
import { existsSync } from 'node:fs';
import { ConfigError, ExitCode, SqlError, UsageError, missingModelHint } from '../pipeline/errors.js';
import { writeResult, type OutputFormat } from '../pipeline/format.js';
import { MODEL_TABLES } from '../pipeline/model.js';
import { splitStatements } from '../pipeline/sql/tokenizer.js';
import { withInterrupt } from './interrupt.js';

export interface QueryFlags extends TargetFlags {
  format?: OutputFormat;
  limit?: number;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function queryCommand(sqlArgument: string, flags: QueryFlags): Promise<number> {
  const text = sqlArgument === '-' ? await readStdin() : sqlArgument;
  const statements = splitStatements(text);
  if (statements.length === 0) throw new UsageError('no SQL to run', 'pass a query, e.g. sparkify query "select count(*) from analytics.f_songplays"');
  if (statements.length > 1) throw new UsageError(`query takes one statement; got ${statements.length}`, 'run them one at a time');
  const config = readConfig();
  const format = flags.format ?? 'table';
  const target = resolveTarget(flags, config);
  // A query reads: a warehouse file named but not there is a typo to report,
  // not a file (and folders) to create. The default one in SPARKIFY_HOME is
  // made on first use as before, so `query "select 1"` works anywhere.
  if (target.target === 'local' && (flags.databaseFile !== undefined || config.localDatabase !== undefined)) checkLocalDatabasePath(target.databasePath);
  if (target.target === 'local' && (flags.databaseFile !== undefined || config.localDatabase !== undefined) && !existsSync(target.databasePath)) {
    throw new ConfigError(
      `there is no local warehouse at ${target.databasePath}`,
      'check --database-file (or localDatabase in the config); `sparkify run` or `sparkify create-tables` creates it',
    );
  }
  const warehouse = await openWarehouse(target, { onlyReads: true });
  const stdout = stdoutWriter();
  try {
    return await withInterrupt(async (signal) => {
      const started = performance.now();
      try {
        const result = await warehouse.query(statements[0]!.sql, { signal, pageSize: 2000 });
        const rows = await writeResult(result, { format, limit: flags.limit, write: stdout.write });
        if (format === 'table') {
          process.stderr.write(`${rows} row${rows === 1 ? '' : 's'} in ${((performance.now() - started) / 1000).toFixed(2)} s\n`);
        }
      } catch (error) {
        // The reader went away (`| head`): like any Unix filter, stop quietly
        // and succeed. writeResult has let go of the result; finally closes
        // the warehouse.
        if (error instanceof OutputClosed) return ExitCode.ok;
        const hint = error instanceof SqlError && !error.hint ? missingModelHint(error.message, MODEL_TABLES) : undefined;
        if (hint) throw new SqlError((error as SqlError).message, { sql: (error as SqlError).sql, hint, cause: error });
        throw error;
      }
      return ExitCode.ok;
    });
  } finally {
    await warehouse.close();
  }
}

/** Thrown by a write once the reader of standard output has closed it. */
class OutputClosed extends Error {}

/**
 * Writes to stdout with back-pressure, so a large result never piles up in
 * memory. A closed pipe (EPIPE) arrives as an 'error' event on stdout, which
 * would otherwise crash the process with a stack trace; here it makes the
 * next write (or the one waiting for 'drain') throw OutputClosed. Any other
 * write error (a full disk) is thrown as it is.
 */
function stdoutWriter(): { write: (chunk: string) => Promise<void> | void } {
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
