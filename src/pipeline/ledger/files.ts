// Source files against the ledger: what a folder holds (size and mtime), what
// the ledger says was loaded, which files are new, changed or already there,
// the manifests an incremental load reads, and the ledger's own statements
// that go into the refresh's transaction.
import type { Stats } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfigError } from '../errors.js';
import { noSourceFilesError, unreadableSourceError } from '../warehouse/copy-load.js';
import { SourceReadError, statedFileRuns, type OnSkipped } from '../warehouse/source-files.js';
import type { Warehouse } from '../warehouse/types.js';
import { FILE_LIST_COLUMNS } from './file-list.js';
import { allRows, insertRowChunks, literal } from './sql-values.js';

export interface SourceFile {
  /** As the COPY names it: the local path. */
  uri: string;
  size: number;
  /** What tells a changed file: the mtime (local) or the ETag (S3). */
  tag: string;
}

/** Event files carry their day in the path (log_data/2018/11/2018-11-05-events.json). */
export function fileDate(uri: string): string | undefined {
  return /(\d{4}-\d{2}-\d{2})/.exec(uri.slice(uri.lastIndexOf('/') + 1))?.[1];
}

/**
 * Every file a local source names, as the load reads it (links followed, a key
 * prefix read as Redshift reads one), in name order, with its size and mtime.
 * A source with no files, or a folder that cannot be read, is the load error
 * the COPY itself would give, so a plan fails as the run would. Named pipes,
 * sockets and devices are left out and told to `onSkipped`. Stops once
 * `signal` is aborted.
 */
export async function listSourceFiles(root: string, table: string, onSkipped?: OnSkipped, signal?: AbortSignal): Promise<SourceFile[]> {
  if (root.startsWith('s3://')) {
    throw new ConfigError(
      `incremental runs and plans read ${root} from S3 or from a folder, and the bucket map points its bucket at a folder`,
      'point --song-data and --log-data at the folders themselves, or drop the bucket from the map (--bucket, sources.buckets) to read it from S3',
    );
  }
  const files: SourceFile[] = [];
  try {
    const make = (uri: string, info: Stats): SourceFile => ({ uri, size: info.size, tag: String(Math.trunc(info.mtimeMs)) });
    for await (const run of statedFileRuns(root, make, onSkipped, signal)) for (const file of run) files.push(file);
  } catch (error) {
    throw error instanceof SourceReadError ? unreadableSourceError(table, error) : error;
  }
  if (files.length === 0) throw await noSourceFilesError(table, root);
  return files;
}

export interface LoadedFile {
  size: number;
  tag: string;
}

/** What the ledger says is loaded into a staging table, by source URI. */
export async function loadedFiles(warehouse: Warehouse, table: string, signal?: AbortSignal): Promise<Map<string, LoadedFile>> {
  const where = `FROM sparkify.loaded_files WHERE staging_table = ${literal(table)}`;
  let rows: unknown[][];
  if (warehouse.target === 'local') {
    // One text: DuckDB hands 100,000 rows of strings back a value at a time,
    // at twice the cost of one text split here. NUL is in no path or S3 key.
    const fields = "source_uri || CHR(0) || COALESCE(CAST(size_bytes AS VARCHAR), '') || CHR(0) || COALESCE(version_tag, '')";
    const [[text]] = await allRows(warehouse, `SELECT COALESCE(LISTAGG(${fields}, CHR(0)), '') ${where}`, signal);
    const parts = String(text).split('\0');
    rows = [];
    for (let i = 0; i + 2 < parts.length; i += 3) rows.push([parts[i], parts[i + 1], parts[i + 2]]);
  } else {
    rows = await allRows(warehouse, `SELECT source_uri, size_bytes, version_tag ${where}`, signal);
  }
  return new Map(rows.map(([uri, size, tag]) => [String(uri), { size: Number(size), tag: String(tag) }]));
}

export interface FileSelection {
  table: string;
  /** The files this run loads: the new ones, or every file of a table loaded again. */
  load: SourceFile[];
  /** Loaded before, and different now (size or tag): skipped with a warning, or the table is loaded again. */
  changed: SourceFile[];
  /** Loaded before and the same. */
  kept: SourceFile[];
  /** In the ledger and no longer in the source (their URIs): their rows stay where they are. */
  gone: string[];
  /** New event files outside --since/--until. */
  outsideDates: number;
  /** The table is loaded again from all its files (changed ones reloaded): the new files among `load`. */
  reloaded?: SourceFile[];
}

export interface DateRange {
  since?: string;
  until?: string;
}

/** The files against the ledger. The dates pick new files; one loaded before is judged by the ledger alone. */
export function selectFiles(table: string, files: SourceFile[], loaded: Map<string, LoadedFile>, dates: DateRange = {}): FileSelection {
  const selection: FileSelection = { table, load: [], changed: [], kept: [], gone: [], outsideDates: 0 };
  for (const file of files) {
    const before = loaded.get(file.uri);
    if (before) {
      if (before.size !== file.size || before.tag !== file.tag) selection.changed.push(file);
      else selection.kept.push(file);
      continue;
    }
    if (dates.since || dates.until) {
      const day = fileDate(file.uri);
      if (!day || (dates.since && day < dates.since) || (dates.until && day > dates.until)) {
        selection.outsideDates++;
        continue;
      }
    }
    selection.load.push(file);
  }
  if (loaded.size > selection.kept.length + selection.changed.length) {
    // Only when some are gone: the common case builds no set of 100,000 names.
    const present = new Set(files.map((f) => f.uri));
    for (const uri of loaded.keys()) if (!present.has(uri)) selection.gone.push(uri);
  }
  return selection;
}

/**
 * A table with changed files, loaded again: staging keeps no file name, so a
 * changed file's old rows cannot be picked out; the table is refilled from
 * every file it holds as they are now, the new ones with them, in name order.
 */
export function reloadSelection(selection: FileSelection): FileSelection {
  const load = [...selection.kept, ...selection.changed, ...selection.load].sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
  return { ...selection, load, reloaded: selection.load };
}

/** A COPY manifest listing the files, each mandatory. */
export function manifestText(files: SourceFile[]): string {
  return JSON.stringify({ entries: files.map((f) => ({ url: f.uri, mandatory: true })) });
}

/** Writes a COPY manifest to a file of its own. */
export async function writeManifest(path: string, files: SourceFile[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFile(path, manifestText(files), { mode: 0o600 });
}

/** The longest of the ledger's INSERTs: under the Data API's 100 KB a statement, with room for its name in messages. */
const INSERT_BYTES = 96 * 1024;

/**
 * Where the engine keeps the rows each file of a COPY gave: a provisioned
 * cluster (and the local engine, which keeps Redshift's table) in
 * stl_load_commits, Serverless in sys_load_detail, its SYS view.
 */
export type LoadCommitsView = 'stl_load_commits' | 'sys_load_detail';

export function loadCommitsView(warehouse: Pick<Warehouse, 'serverless'>): LoadCommitsView {
  return warehouse.serverless ? 'sys_load_detail' : 'stl_load_commits';
}

/**
 * Fills rows_loaded for this run's files from the latest load of each (its
 * lines_scanned, summed over the slices that read parts of the file). A COPY
 * with MAXERROR 0 loads every line it scans, so the lines are the rows.
 */
function rowsPerFile(runId: string, view: LoadCommitsView): LedgerStatement {
  const [file, query] = view === 'sys_load_detail' ? ['file_name', 'query_id'] : ['filename', 'query'];
  return {
    name: 'record the rows each file gave',
    sql:
      'UPDATE sparkify.loaded_files SET rows_loaded = commits.row_count FROM (' +
      'SELECT filename, row_count, ROW_NUMBER() OVER (PARTITION BY filename ORDER BY query DESC) AS latest FROM (' +
      `SELECT TRIM(${file}) AS filename, ${query} AS query, SUM(lines_scanned) AS row_count FROM ${view} GROUP BY 1, 2) AS per_load) AS commits ` +
      `WHERE commits.latest = 1 AND commits.filename = sparkify.loaded_files.source_uri AND sparkify.loaded_files.run_id = ${literal(runId)}`,
  };
}

export interface LedgerStatement {
  name: string;
  sql: string;
}

/** The local engine's rows of the files, written to a CSV file (file-list.ts) at `loadedAt`. */
export interface LedgerFileList {
  path: string;
  loadedAt: Date;
}

/**
 * The ledger's part of the refresh transaction: the files whose rows the
 * analytics tables now hold (all of them after a full run, which replaces the
 * list; the new ones after an incremental run) and what staging holds. With a
 * file list (the local engine) the files are one COPY of it, else INSERTs of
 * at most INSERT_BYTES each (the Data API's limit).
 */
export function ledgerStatements(
  runId: string,
  selections: FileSelection[],
  mode: 'full' | 'incremental',
  stagingTables: readonly string[],
  loadCommits: LoadCommitsView,
  fileList?: LedgerFileList,
): LedgerStatement[] {
  const statements: LedgerStatement[] = [];
  // A full run that listed its files replaces the list (one without a listing, from S3, leaves it).
  if (mode === 'full' && selections.length > 0) statements.push({ name: 'forget the files loaded before', sql: 'DELETE FROM sparkify.loaded_files' });
  for (const selection of selections.filter((s) => mode === 'incremental' && s.reloaded)) {
    statements.push({ name: `forget the ${selection.table} files loaded before`, sql: `DELETE FROM sparkify.loaded_files WHERE staging_table = ${literal(selection.table)}` });
  }
  const now = fileList?.loadedAt ?? new Date();
  const recorded = selections.reduce((n, s) => n + s.load.length, 0);
  if (fileList && recorded > 0) {
    statements.push({
      name: `record ${recorded} file${recorded === 1 ? '' : 's'} in the ledger`,
      sql: `COPY sparkify.loaded_files (${FILE_LIST_COLUMNS.join(', ')}) FROM ${literal(fileList.path)} FORMAT AS CSV`,
    });
  }
  for (const selection of fileList ? [] : selections) {
    const inserts = insertRowChunks(
      'sparkify.loaded_files',
      ['staging_table', 'source_uri', 'size_bytes', 'version_tag', 'run_id', 'loaded_at', 'rows_loaded'],
      selection.load.map((f) => [selection.table, f.uri, f.size, f.tag, runId, now, null]),
      INSERT_BYTES,
    );
    for (const { sql, rows } of inserts) {
      statements.push({ name: `record ${rows} ${selection.table} file${rows === 1 ? '' : 's'} in the ledger`, sql });
    }
  }
  if (selections.some((s) => s.load.length > 0)) statements.push(rowsPerFile(runId, loadCommits));
  statements.push({ name: 'forget what staging held', sql: 'DELETE FROM sparkify.staged_rows' });
  statements.push({
    name: 'record what staging holds',
    sql:
      'INSERT INTO sparkify.staged_rows (staging_table, row_count) ' +
      stagingTables.map((t) => `SELECT ${literal(t)}, COUNT(*) FROM ${t}`).join(' UNION ALL '),
  });
  return statements;
}
