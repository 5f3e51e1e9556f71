// `sparkify query --format csv|tsv|json|jsonl|parquet` of one query on the
// local engine: DuckDB writes the result itself, to --out FILE or to stdout,
// many times faster than formatting every row in JavaScript.
import { createReadStream, existsSync, fstatSync, statSync, chmodSync } from 'node:fs';
import { rename, rm, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { OutputWriteError, UsageError } from '../pipeline/errors.js';
import type { OutputFormat } from '../pipeline/format.js';
import type { NativeFormat } from '../pipeline/warehouse/duckdb-export.js';
import type { ExecuteOptions, Warehouse } from '../pipeline/warehouse/types.js';
import { writeStdout } from './output.js';

type CopyTo = (sql: string, format: NativeFormat, path: string, options: ExecuteOptions & { limit?: number }) => Promise<boolean>;

export interface NativeTarget {
  format: OutputFormat | 'parquet';
  out?: string;
  limit?: number;
  signal: AbortSignal;
}

const NATIVE = new Set(['csv', 'tsv', 'json', 'jsonl', 'parquet']);

/** The engine's own writer, when it has one for this format. */
export function nativeWriter(warehouse: Warehouse, format: string): CopyTo | undefined {
  const copyTo = (warehouse as Warehouse & { copyTo?: CopyTo }).copyTo;
  return NATIVE.has(format) && copyTo ? copyTo.bind(warehouse) : undefined;
}

/** A file for --out must go in a folder that is there, and must not be one. */
export function checkOutPath(path: string): void {
  const folder = dirname(path);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new UsageError(`cannot write ${path}: there is no folder ${folder}`, 'create the folder first, or give --out a path in one that exists');
  }
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new UsageError(`cannot write ${path}: it is a folder`, 'give --out the path of a file');
  }
}

/** A closed pipe, as DuckDB reports a write to stdout whose reader has gone. */
function isClosedPipe(error: unknown): boolean {
  for (let e = error as { message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (/broken pipe|EPIPE/i.test(String(e.message))) return true;
  }
  return false;
}

/** Names a failed write after the file the user asked for, not its partial copy. */
const named = (target: string) => (error: unknown): never => {
  throw error instanceof OutputWriteError ? error.renamed(target) : error;
};

/**
 * Writes the query's result; false when the engine cannot (not a plain query).
 * A file given with --out appears only when complete. Standard output that is
 * a pipe or a device is written directly; a regular file (`> out.csv`, `>>`,
 * whose offset and append mode must hold) or a socket (which cannot be opened
 * by name) gets the rows through a temporary file.
 */
export async function writeNatively(copyTo: CopyTo, sql: string, target: NativeTarget): Promise<boolean> {
  const format = target.format as NativeFormat;
  const options = { signal: target.signal, limit: target.limit };
  if (target.out !== undefined) {
    const partial = `${target.out}.${process.pid}.partial`;
    try {
      if (!(await copyTo(sql, format, partial, options).catch(named(target.out)))) return false;
      chmodSync(partial, 0o600);
      await rename(partial, target.out);
      return true;
    } finally {
      await rm(partial, { force: true });
    }
  }
  const stdout = fstatSync(1);
  if (format === 'parquet' && process.stdout.isTTY) {
    throw new UsageError('parquet is binary and standard output is a terminal', 'pass --out FILE.parquet, or pipe the output into a program');
  }
  if (stdout.isFIFO() || stdout.isCharacterDevice()) {
    try {
      return await copyTo(sql, format, '/dev/stdout', options);
    } catch (error) {
      if (isClosedPipe(error)) return true;
      throw error instanceof OutputWriteError ? error.renamed('standard output') : error;
    }
  }
  const folder = await mkdtemp(join(tmpdir(), 'sparkify-query-'));
  try {
    const file = join(folder, `result.${format}`);
    if (!(await copyTo(sql, format, file, options))) return false;
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) await writeStdout(chunk as Buffer);
    return true;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
