// COPY ... FORMAT AS JSON on the local engine: one INSERT ... SELECT over
// read_json with declared columns (auto-detection is about 3× slower), from
// every file under the source. When it fails, the files are scanned to say
// which rows broke it, and with MAXERROR n up to n bad rows are skipped.
import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, dirname, basename } from 'node:path';
import { LoadError, SqlError, UnsupportedSqlError, describeSystemError, isSystemError, systemErrorMessage } from '../errors.js';
import { quoteLiteral } from '../sql/tokenizer.js';
import type { CopySpec } from '../sql/copy.js';
import { diagnoseJsonFiles, type ExpectedColumn } from './json-diagnose.js';

export interface LoadTarget {
  /** Runs SQL, returning rows changed. */
  run(sql: string): Promise<number>;
  /** Runs a query, returning its rows as arrays of strings. */
  rows(sql: string): Promise<(string | null)[][]>;
  /** Maps a COPY source (a path or s3:// URI) to a local path. */
  resolveSource(uri: string): string;
}

/** A folder or file under a COPY source that cannot be read; copyJson names it in a LoadError. */
export class SourceReadError extends Error {
  constructor(
    readonly path: string,
    cause: NodeJS.ErrnoException,
  ) {
    super(systemErrorMessage(cause, path), { cause });
    this.name = 'SourceReadError';
  }
}

async function entriesOf(dir: string): Promise<Dirent[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (error) {
    throw isSystemError(error) ? new SourceReadError(dir, error) : error;
  }
}

async function walk(dir: string, out: string[]): Promise<void> {
  for (const entry of await entriesOf(dir)) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(path, out);
    else if (entry.isFile()) out.push(path);
  }
}

/**
 * Files a COPY source names, as Redshift reads a prefix: a folder means every
 * file below it, a file means that file, anything else is a key prefix
 * (`log_data/2018/11/2018-11-0` is the first nine days). A prefix looks only
 * at the parent's own entries that start with its last segment and descends
 * into those alone: walking the whole parent would read all of `/` for
 * `--song-data /song_data`. A folder that cannot be read is a SourceReadError.
 */
export async function listSourceFiles(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => undefined);
  const files: string[] = [];
  if (info?.isDirectory()) await walk(path, files);
  else if (info?.isFile()) files.push(path);
  else {
    const parent = dirname(path);
    const prefix = basename(path);
    // A parent that is missing (or a file) holds no keys: the source does not exist.
    const parentInfo = await stat(parent).catch(() => undefined);
    if (!parentInfo?.isDirectory()) return files;
    for (const entry of await entriesOf(parent)) {
      if (entry.name.startsWith('.') || !entry.name.startsWith(prefix)) continue;
      const match = join(parent, entry.name);
      if (entry.isDirectory()) await walk(match, files);
      else if (entry.isFile()) files.push(match);
    }
  }
  return files;
}

function splitTable(table: string): { schema: string; name: string } {
  const parts = table.replace(/"/g, '').split('.');
  return parts.length === 2 ? { schema: parts[0]!, name: parts[1]! } : { schema: 'main', name: parts[0]! };
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Keys named by a jsonpaths file, one per target column, in order. */
export function parseJsonpaths(content: string, source: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch (error) {
    throw new SqlError(`the jsonpaths file ${source} is not valid JSON: ${(error as Error).message}`);
  }
  const paths = (parsed as { jsonpaths?: unknown })?.jsonpaths;
  if (!Array.isArray(paths) || paths.some((p) => typeof p !== 'string')) {
    throw new SqlError(`the jsonpaths file ${source} has no "jsonpaths" array of strings`);
  }
  return paths.map((path: string) => {
    const match = path.match(/^\$(?:\[\s*'([^']+)'\s*\]|\[\s*"([^"]+)"\s*\]|\.([A-Za-z_][A-Za-z0-9_]*))$/);
    if (!match) throw new UnsupportedSqlError(`the jsonpaths expression ${path} (only top-level keys are supported locally)`);
    return (match[1] ?? match[2] ?? match[3])!;
  });
}

export async function copyJson(copy: CopySpec, target: LoadTarget): Promise<number> {
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
  const files = await listSourceFiles(sourcePath).catch((error: unknown) => {
    if (!(error instanceof SourceReadError)) throw error;
    throw new LoadError(copy.table, `COPY into ${copy.table}: ${error.message}`, [], {
      hint: `check the source path (--song-data / --log-data, or the config) and that you may read ${error.path}, then run again`,
      cause: error,
    });
  });
  if (files.length === 0) {
    const exists = await stat(sourcePath).then(() => true, () => false);
    throw new LoadError(
      copy.table,
      exists ? `COPY into ${copy.table}: no files under ${copy.source}` : `COPY into ${copy.table}: the source ${copy.source} does not exist`,
      [],
      { hint: 'check the source path (--song-data / --log-data, or the config), then run again' },
    );
  }

  let keys: string[];
  if (copy.format.kind === 'jsonpaths') {
    const jsonpathsFile = target.resolveSource(copy.format.path);
    const content = await readFile(jsonpathsFile, 'utf8').catch((error: Error) => {
      throw new LoadError(copy.table, `COPY into ${copy.table}: cannot read the jsonpaths file ${copy.format.kind === 'jsonpaths' ? copy.format.path : ''}: ${isSystemError(error) ? describeSystemError(error) : error.message}`, [], {
        hint: 'check --log-jsonpaths (or the config), then run again',
      });
    });
    keys = parseJsonpaths(content, copy.format.path);
    if (keys.length !== columns.length) {
      throw new SqlError(
        `COPY into ${copy.table}: the jsonpaths file names ${keys.length} paths but the table has ${columns.length} columns`,
      );
    }
  } else if (copy.format.ignoreCase) {
    keys = await matchKeysIgnoringCase(files, columns, target);
  } else {
    keys = columns;
  }

  const expected: ExpectedColumn[] = columns.map((column, i) => ({ key: keys[i]!, column, type: types.get(column)!.toUpperCase() }));
  const buildInsert = (ignoreErrors: boolean) => {
    const declared = new Map<string, string>();
    for (const column of expected) if (!declared.has(column.key)) declared.set(column.key, column.type);
    const columnsStruct = [...declared].map(([key, type]) => `${quoteLiteral(key)}: ${quoteLiteral(type)}`).join(', ');
    const fileList = files.map(quoteLiteral).join(', ');
    return (
      `INSERT INTO ${quoteIdent(schema)}.${quoteIdent(name)} (${columns.map(quoteIdent).join(', ')}) ` +
      `SELECT ${expected.map((c) => quoteIdent(c.key)).join(', ')} ` +
      `FROM read_json([${fileList}], format = 'unstructured', columns = {${columnsStruct}}, ` +
      `maximum_object_size = 16777216${ignoreErrors ? ', ignore_errors = true' : ''})`
    );
  };

  try {
    return await target.run(buildInsert(false));
  } catch (error) {
    if ((error as Error).name === 'AbortError' || (error as Error).message?.includes('INTERRUPT')) throw error;
    const display = (file: string) => displayName(file, sourcePath, copy.source);
    const diagnosis = await diagnoseJsonFiles(files, expected, { displayName: display });
    if (diagnosis.badRows > 0 && diagnosis.badRows <= copy.maxError) {
      return await target.run(buildInsert(true));
    }
    const first = diagnosis.details[0];
    const where = first ? ` (first at ${first.file} line ${first.line}${first.column ? `, column ${first.column}` : ''}: ${first.reason})` : '';
    const count = diagnosis.badRows > 0 ? `${diagnosis.badRows} bad row${diagnosis.badRows === 1 ? '' : 's'}${where}` : (error as Error).message;
    throw new LoadError(
      copy.table,
      `COPY into ${copy.table} failed: ${count}${copy.maxError > 0 ? `; MAXERROR is ${copy.maxError}` : ''}`,
      diagnosis.details,
      { cause: error },
    );
  }
}

/** Shows files as the source names them (s3://bucket/key for a mapped bucket). */
function displayName(file: string, sourcePath: string, source: string): string {
  if (source === sourcePath) return file;
  const info = file.startsWith(sourcePath) ? file.slice(sourcePath.length) : file;
  return `${source.replace(/\/$/, '')}${info.startsWith('/') || info === '' ? info : `/${info}`}`;
}

/** 'auto ignorecase': find the keys the files use for each column, ignoring case. */
async function matchKeysIgnoringCase(files: string[], columns: string[], target: LoadTarget): Promise<string[]> {
  const fileList = files.map(quoteLiteral).join(', ');
  const described = await target.rows(
    `DESCRIBE SELECT * FROM read_json([${fileList}], format = 'unstructured', union_by_name = true, maximum_depth = 1)`,
  );
  const byLower = new Map<string, string>();
  for (const [key] of described) if (key && !byLower.has(key.toLowerCase())) byLower.set(key.toLowerCase(), key);
  return columns.map((column) => byLower.get(column) ?? column);
}
