// COPY ... FORMAT AS JSON on the local engine: INSERT ... SELECT over
// read_json with declared columns (auto-detection is about 3× slower), from
// every file under the source, in batches of a bounded number of files so that
// memory does not grow with the file count; the batches are one transaction.
// When it fails, the files are scanned to say which rows broke it, and with
// MAXERROR n up to n bad rows are skipped.
import { readFile, stat } from 'node:fs/promises';
import { LoadError, SparkifyError, SqlError, describeSystemError, isSystemError } from '../errors.js';
import { quoteLiteral } from '../sql/tokenizer.js';
import type { CopySpec } from '../sql/copy.js';
import { diagnoseJsonFiles, MAX_OBJECT_BYTES, type ExpectedColumn } from './json-diagnose.js';
import { inBatches, literalPath, sourceFiles, SourceReadError } from './source-files.js';

export { listSourceFiles, SourceReadError } from './source-files.js';

export interface LoadTarget {
  /** Runs SQL, returning rows changed. */
  run(sql: string): Promise<number>;
  /** Runs a query, returning its rows as arrays of strings. */
  rows(sql: string): Promise<(string | null)[][]>;
  /** Maps a COPY source (a path or s3:// URI) to a local path. */
  resolveSource(uri: string): string;
  /** True when the COPY runs inside a transaction the caller holds (a batch): the load then adds no transaction of its own. */
  inTransaction: boolean;
}

/**
 * Files per INSERT. DuckDB's JSON reader keeps buffers per file it has open
 * in a statement, so memory follows the number of files in one statement;
 * a bounded batch keeps it flat (measured in bench/many-files.mjs).
 */
export const FILES_PER_BATCH = 1000;

function splitTable(table: string): { schema: string; name: string } {
  const parts = table.replace(/"/g, '').split('.');
  return parts.length === 2 ? { schema: parts[0]!, name: parts[1]! } : { schema: 'main', name: parts[0]! };
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Keys named by a jsonpaths file, one per target column, in order. Every way
 * a jsonpaths file can be wrong is one message shape (`the jsonpaths file X
 * ...`); the loader turns it into a LoadError with one exit code.
 */
export function parseJsonpaths(content: string, source: string): string[] {
  let parsed: unknown;
  try {
    // A byte-order mark is allowed, as in the data files.
    parsed = JSON.parse(content.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new SqlError(`the jsonpaths file ${source} is not valid JSON: ${(error as Error).message}`);
  }
  const paths = (parsed as { jsonpaths?: unknown })?.jsonpaths;
  if (!Array.isArray(paths) || paths.some((p) => typeof p !== 'string')) {
    throw new SqlError(`the jsonpaths file ${source} has no "jsonpaths" array of strings`);
  }
  return paths.map((path: string) => {
    const match = path.match(/^\$(?:\[\s*'([^']+)'\s*\]|\[\s*"([^"]+)"\s*\]|\.([A-Za-z_][A-Za-z0-9_]*))$/);
    if (!match) throw new SqlError(`the jsonpaths file ${source} holds ${path}, and the local warehouse reads only top-level keys ($.name or $['name'])`);
    return (match[1] ?? match[2] ?? match[3])!;
  });
}

const JSONPATHS_HINT = 'check --log-jsonpaths (or the config) names a jsonpaths file as Redshift reads it, then run again';

async function readJsonpaths(copy: CopySpec, path: string, target: LoadTarget, columnCount: number): Promise<string[]> {
  const fail = (message: string, cause?: unknown) => new LoadError(copy.table, `COPY into ${copy.table}: ${message}`, [], { hint: JSONPATHS_HINT, cause });
  const content = await readFile(target.resolveSource(path), 'utf8').catch((error: Error) => {
    throw fail(`cannot read the jsonpaths file ${path}: ${isSystemError(error) ? describeSystemError(error) : error.message}`, error);
  });
  let keys: string[];
  try {
    keys = parseJsonpaths(content, path);
  } catch (error) {
    throw fail((error as Error).message, error);
  }
  if (keys.length !== columnCount) {
    throw fail(`the jsonpaths file ${path} names ${keys.length} paths but the COPY loads ${columnCount} columns`);
  }
  return keys;
}

export async function copyJson(copy: CopySpec, target: LoadTarget): Promise<number> {
  if (copy.format.kind !== 'auto' && copy.format.kind !== 'jsonpaths') throw new SqlError(`COPY into ${copy.table}: not a JSON load`);
  const { schema, name } = splitTable(copy.table);
  const columnRows = await target.rows(
    `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = ${quoteLiteral(schema)} AND table_name = ${quoteLiteral(name)} ORDER BY ordinal_position`,
  );
  if (columnRows.length === 0) throw new SqlError(`COPY into ${copy.table}: the table does not exist`, { hint: 'run `sparkify create-tables` first' });
  const types = new Map(columnRows.map(([column, type]) => [column!.toLowerCase(), type!]));
  const columns = copy.columns ?? columnRows.map(([column]) => column!.toLowerCase());
  for (const column of columns) {
    if (!types.has(column)) throw new SqlError(`COPY into ${copy.table}: no column named ${column}`);
  }

  const sourcePath = target.resolveSource(copy.source);
  const files = () => readable(copy, sourceFiles(sourcePath));
  const ignoreCase = copy.format.kind === 'auto' && copy.format.ignoreCase;
  const jsonpathsKeys = copy.format.kind === 'jsonpaths' ? await readJsonpaths(copy, copy.format.path, target, columns.length) : undefined;
  const expectedFor = (keys: string[]): ExpectedColumn[] => columns.map((column, i) => ({ key: keys[i]!, column, type: types.get(column)!.toUpperCase() }));

  const insert = (batch: string[], expected: ExpectedColumn[], ignoreErrors: boolean) => {
    const declared = new Map<string, string>();
    for (const column of expected) if (!declared.has(column.key)) declared.set(column.key, column.type);
    const columnsStruct = [...declared].map(([key, type]) => `${quoteLiteral(key)}: ${quoteLiteral(type)}`).join(', ');
    const fileList = batch.map((file) => quoteLiteral(literalPath(file))).join(', ');
    return (
      `INSERT INTO ${quoteIdent(schema)}.${quoteIdent(name)} (${columns.map(quoteIdent).join(', ')}) ` +
      `SELECT ${expected.map((c) => quoteIdent(c.key)).join(', ')} ` +
      `FROM read_json([${fileList}], format = 'unstructured', columns = {${columnsStruct}}, ` +
      `maximum_object_size = ${MAX_OBJECT_BYTES}${ignoreErrors ? ', ignore_errors = true' : ''})`
    );
  };

  /** Every batch of files, inserted; the row count. Zero files is the caller's to report. */
  const loadAll = async (ignoreErrors: boolean): Promise<{ rows: number; files: number }> => {
    let rows = 0;
    let count = 0;
    for await (const batch of inBatches(files(), FILES_PER_BATCH)) {
      count += batch.length;
      const keys = jsonpathsKeys ?? (ignoreCase ? await matchKeysIgnoringCase(batch, columns, target) : columns);
      rows += await target.run(insert(batch, expectedFor(keys), ignoreErrors));
    }
    return { rows, files: count };
  };

  const inTransaction = async <T>(work: () => Promise<T>): Promise<T> => {
    if (target.inTransaction) return work();
    await target.run('BEGIN TRANSACTION');
    try {
      const result = await work();
      await target.run('COMMIT');
      return result;
    } catch (error) {
      await target.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  };

  const display = (file: string) => displayName(file, sourcePath, copy.source);
  const diagnose = () => diagnoseJsonFiles(files(), expectedFor(jsonpathsKeys ?? columns), { displayName: display, ignoreCase });
  const noFiles = async () => {
    const exists = await stat(sourcePath).then(() => true, () => false);
    return new LoadError(
      copy.table,
      exists ? `COPY into ${copy.table}: no files under ${copy.source}` : `COPY into ${copy.table}: the source ${copy.source} does not exist`,
      [],
      { hint: 'check the source path (--song-data / --log-data, or the config), then run again' },
    );
  };
  const rejected = (diagnosis: Awaited<ReturnType<typeof diagnose>>, error: unknown) => {
    const first = diagnosis.details[0];
    const where = first ? ` (first at ${first.file} line ${first.line}${first.column ? `, column ${first.column}` : ''}: ${first.reason})` : '';
    const count = diagnosis.badRows > 0 ? `${diagnosis.badRows} bad row${diagnosis.badRows === 1 ? '' : 's'}${where}` : (error as Error).message;
    return new LoadError(copy.table, `COPY into ${copy.table} failed: ${count}${copy.maxError > 0 ? `; MAXERROR is ${copy.maxError}` : ''}`, diagnosis.details, { cause: error });
  };

  // Inside a caller's transaction a failed statement cannot be retried, so
  // MAXERROR there is settled by the scan before the load.
  if (target.inTransaction && copy.maxError > 0) {
    const diagnosis = await diagnose();
    if (diagnosis.badRows > copy.maxError) throw rejected(diagnosis, undefined);
    const loaded = await loadAll(diagnosis.badRows > 0);
    if (loaded.files === 0) throw await noFiles();
    return loaded.rows;
  }

  try {
    const loaded = await inTransaction(() => loadAll(false));
    if (loaded.files === 0) throw await noFiles();
    return loaded.rows;
  } catch (error) {
    // A full disk or a damaged file is no fault of the rows: the warehouse has said which.
    if (error instanceof SparkifyError || isInterrupt(error)) throw error;
    const diagnosis = await diagnose();
    if (diagnosis.badRows > 0 && diagnosis.badRows <= copy.maxError && !target.inTransaction) {
      return (await inTransaction(() => loadAll(true))).rows;
    }
    throw rejected(diagnosis, error);
  }
}

function isInterrupt(error: unknown): boolean {
  return (error as Error).name === 'AbortError' || ((error as Error).message ?? '').includes('INTERRUPT');
}

/** Files of the source, with a folder that cannot be read turned into a LoadError naming it. */
async function* readable(copy: CopySpec, files: AsyncGenerator<string>): AsyncGenerator<string> {
  try {
    yield* files;
  } catch (error) {
    if (!(error instanceof SourceReadError)) throw error;
    throw new LoadError(copy.table, `COPY into ${copy.table}: ${error.message}`, [], {
      hint: `check the source path (--song-data / --log-data, or the config) and that you may read ${error.path}, then run again`,
      cause: error,
    });
  }
}

/** Shows files as the source names them (s3://bucket/key for a mapped bucket). */
function displayName(file: string, sourcePath: string, source: string): string {
  if (source === sourcePath) return file;
  const info = file.startsWith(sourcePath) ? file.slice(sourcePath.length) : file;
  return `${source.replace(/\/$/, '')}${info.startsWith('/') || info === '' ? info : `/${info}`}`;
}

/** 'auto ignorecase': find the keys a batch of files uses for each column, ignoring case. */
async function matchKeysIgnoringCase(files: string[], columns: string[], target: LoadTarget): Promise<string[]> {
  const fileList = files.map((file) => quoteLiteral(literalPath(file))).join(', ');
  const described = await target.rows(
    `DESCRIBE SELECT * FROM read_json([${fileList}], format = 'unstructured', union_by_name = true, maximum_depth = 1, maximum_object_size = ${MAX_OBJECT_BYTES})`,
  );
  const byLower = new Map<string, string>();
  for (const [key] of described) if (key && !byLower.has(key.toLowerCase())) byLower.set(key.toLowerCase(), key);
  return columns.map((column) => byLower.get(column) ?? column);
}
