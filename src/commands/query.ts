// `sparkify query "<sql>"`: one query, its result on stdout. Loads DuckDB or
// the Data API client, never Ink.
import { readConfig } from '../pipeline/config.js';
import { openWarehouse, resolveTarget, type TargetFlags } from '../pipeline/connect.js';
import { UsageError } from '../pipeline/errors.js';
import { writeResult, type OutputFormat } from '../pipeline/format.js';
import { splitStatements } from '../pipeline/sql-text.js';
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
  const warehouse = await openWarehouse(resolveTarget(flags, config));
  try {
    return await withInterrupt(async (signal) => {
      const started = performance.now();
      const result = await warehouse.query(statements[0]!.sql, { signal, pageSize: 2000 });
      const rows = await writeResult(result, {
        format,
        limit: flags.limit,
        write: (chunk) => writeStdout(chunk),
      });
      if (format === 'table') {
        process.stderr.write(`${rows} row${rows === 1 ? '' : 's'} in ${((performance.now() - started) / 1000).toFixed(2)} s\n`);
      }
      return 0;
    });
  } finally {
    await warehouse.close();
  }
}

/** Writes with back-pressure so a large result never piles up in memory. */
function writeStdout(chunk: string): Promise<void> | void {
  if (process.stdout.write(chunk)) return;
  return new Promise((resolve) => process.stdout.once('drain', () => resolve()));
}
