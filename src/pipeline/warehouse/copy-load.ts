// COPY on the local engine: INSERT ... SELECT from DuckDB's readers over the
// files a source names, in batches of a bounded number of files so that memory
// does not grow with the file count, all batches one transaction. The format
// (JSON or delimited text) gives the reader and the scan that names bad rows;
// the rules of load-columns.ts turn fields into values. When the load fails,
// the scan says which rows broke it; with MAXERROR n up to n bad rows are left
// out. Rejected rows are kept in stl_load_errors, as on Redshift.
import { statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { LoadError, SparkifyError, throwIfAborted, type LoadErrorDetail } from '../errors.js';
import type { CopySpec } from '../sql/copy.js';
import { InputStaging, openInput } from './compressed.js';
import { MAX_LINE_BYTES } from './json-diagnose.js';
import { UnreadableRowRemoval } from './unreadable-rows.js';
import { columnRule, copyColumns, describeTable, quoteIdent, selectFields, type ColumnRule, type LoadTable, type TableColumn } from './load-columns.js';
import { LoadCommits, type FileRows } from './load-commits.js';
import { recordLoadErrors } from './load-errors.js';
import { manifestFiles } from './manifest.js';
import { inBatches, sourceFiles, SourceReadError } from './source-files.js';

export interface LoadTarget {
  /** Runs SQL, returning rows changed. */
  run(sql: string): Promise<number>;
  /** Runs a query, returning its rows as arrays of strings. */
  rows(sql: string): Promise<(string | null)[][]>;
  /**
   * Runs SQL that undoes the load (ROLLBACK): after a cancel too, when run
   * and rows start nothing more.
   */
  cleanup(sql: string): Promise<void>;
  /** The cancel of the statement: the files are not read on once it came. */
  signal?: AbortSignal;
  /** Maps a COPY source (a path or s3:// URI) to a local path. */
  resolveSource: (uri: string) => string;
  /** True when the COPY runs inside a transaction the caller holds (a batch): the load then adds no transaction of its own. */
  inTransaction: boolean;
}

/** Input bytes a temporary table of several files holds at most (see loadAll). */
const GROUP_BYTES = 32 * 1024 ** 2;

/** Consecutive runs of files of at most GROUP_BYTES (times `weight`) each, a bigger file alone. */
function groupsBySize(files: string[], weight: number): string[][] {
  const groups: string[][] = [];
  let group: string[] = [];
  let bytes = 0;
  for (const file of files) {
    const size = statSync(file, { throwIfNoEntry: false })?.size ?? 0;
    if (group.length > 0 && bytes + size * weight > GROUP_BYTES) {
      groups.push(group);
      group = [];
      bytes = 0;
    }
    group.push(file);
    bytes += size * weight;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/** The column each row's file is read into, and the table a batch of many is read into before the insert. */
const FILE_COLUMN = 'sparkify_source_file';
const BATCH_TABLE = 'temp.sparkify_copy_batch';

/**
 * Files per INSERT. DuckDB's readers keep buffers per file open in a
 * statement, so memory follows the number of files in one statement; a
 * bounded batch keeps it flat (measured in bench/many-files.mjs).
 */
export const FILES_PER_BATCH = 1000;

/** The first and last line (from 1) of a row in a file. */
export type LineRange = [number, number];

export interface DiagnoseResult {
  details: LoadErrorDetail[];
  /** All bad rows found, which may be more than the details kept. */
  badRows: number;
  /** The lines, by file as listed, of bad rows that are not records at all (invalid JSON), which the lenient read cannot leave out itself. */
  unreadable?: ReadonlyMap<string, LineRange[]>;
}

/** What a format contributes: how to read a batch of files, and how to find the bad rows in them. */
export interface FormatReader {
  /** The FROM clause over a batch (each row's file in `fileColumn` when given), and the field expression for each rule, in order. */
  read(batch: string[], lenient: boolean, rules: ColumnRule[], fileColumn?: string): Promise<{ from: string; fields: string[] }>;
  /** The reader parses numbers itself, so a first attempt may read them typed (see columnRule). */
  typedNumbers: boolean;
  diagnose(files: AsyncIterable<string>, display: (file: string) => string): Promise<DiagnoseResult>;
  /**
   * The rows a strict read of each file gives, counted outside DuckDB while
   * the insert runs; undefined when this reader cannot tell (the count is
   * then DuckDB's, a second read of the files).
   */
  countRows?(files: string[], signal: AbortSignal): Promise<number[]> | undefined;
  /** After a failed statement: true when the reader now reads the files another way, so the same load may run again. */
  readsAnotherWay?(error: unknown): boolean;
}

export interface CopyContext {
  copy: CopySpec;
  target: LoadTarget;
  columns: TableColumn[];
  /** The text rules: every field read as text, then cast. */
  rules: ColumnRule[];
  /** How the files the reader gets are compressed (staged files arrive decompressed). */
  compression: CopySpec['compression'];
}

export async function copyInto(copy: CopySpec, target: LoadTarget, makeReader: (context: CopyContext) => Promise<FormatReader>): Promise<number> {
  const table = await describeTable(copy.table, target);
  const columns = copyColumns(copy, table);
  const rules = columns.map((column) => columnRule(column, copy));
  const staging = InputStaging.neededFor(copy.compression, copy.acceptInvChars) ? new InputStaging(copy.compression, copy.acceptInvChars) : undefined;
  // Staged files are plain text; others are read as the COPY says.
  const compression = staging ? undefined : copy.compression;
  const removal = new UnreadableRowRemoval((file) => openInput(file, compression), compression === 'gzip', MAX_LINE_BYTES);
  const order = new InsertionOrder(target);
  try {
    const reader = await makeReader({ copy, target, columns, rules, compression });
    return await load(copy, target, table, columns, rules, reader, staging, compression === 'zstd' ? undefined : removal, order);
  } finally {
    await Promise.all([staging?.dispose(), removal.dispose(), order.restore()]);
  }
}

/**
 * A statement that reads many files keeps their rows in file order unless
 * told not to: DuckDB then writes each file's rows apart and merges them,
 * which for 1,000 small files costs three times the read itself
 * (bench/RESULTS.md). A COPY of many files promises no order on Redshift
 * (its slices load files in parallel), so such a load lets the order go for
 * its own connection, as a DuckDB expert sets it; a load of one file keeps
 * the file's order. Not inside a caller's transaction: a setting is no part
 * of a transaction, and one that failed could not be set back until the
 * caller's ROLLBACK.
 */
class InsertionOrder {
  private relaxed = false;

  constructor(private readonly target: LoadTarget) {}

  async relaxFor(files: readonly string[]): Promise<void> {
    if (this.relaxed || files.length < 2 || this.target.inTransaction) return;
    await this.target.run('SET SESSION preserve_insertion_order = false');
    this.relaxed = true;
  }

  /** Back to DuckDB's default, after the load's transaction ended (also after a cancel). */
  async restore(): Promise<void> {
    if (!this.relaxed) return;
    this.relaxed = false;
    await this.target.cleanup('RESET SESSION preserve_insertion_order').catch(() => undefined);
  }
}

async function load(
  copy: CopySpec,
  target: LoadTarget,
  table: LoadTable,
  columns: TableColumn[],
  rules: ColumnRule[],
  reader: FormatReader,
  staging: InputStaging | undefined,
  removal: UnreadableRowRemoval | undefined,
  order: InsertionOrder,
): Promise<number> {
  const sourcePath = target.resolveSource(copy.source);
  // A manifest's files are named by their URLs in it (as Redshift's stl_load_commits names them).
  const listedAs = new Map<string, string>();
  /** Files read in place of others: copies without the rows that are no record (see leaveOutUnreadable). */
  const replaced = new Map<string, string>();
  const files = () => {
    const listed = readable(copy, copy.manifest ? manifestFiles(copy, sourcePath, target.resolveSource, listedAs) : sourceFiles(sourcePath));
    const read = untilCancelled(staging ? decompressed(listed, staging) : listed, target.signal);
    return replaced.size > 0 ? substituted(read, replaced) : read;
  };
  const display = (file: string) => {
    const read = removal?.originals.get(file) ?? file;
    const original = staging?.originals.get(read) ?? read;
    return listedAs.get(original) ?? displayName(original, sourcePath, copy.source);
  };
  const startedAt = new Date();

  const typedRules = reader.typedNumbers && !target.inTransaction ? columns.map((column) => columnRule(column, copy, true)) : undefined;
  const into = `${quoteIdent(table.schema)}.${quoteIdent(table.name)} (${columns.map((c) => quoteIdent(c.name)).join(', ')})`;

  const insert = (from: string, values: string[], where: string) => `INSERT INTO ${into} SELECT ${values.join(', ')} FROM ${from}${where}`;

  /** One file: the statement's count is the file's. */
  const insertFile = async (file: string, lenient: boolean, useRules: ColumnRule[]): Promise<FileRows> => {
    const { from, fields } = await reader.read([file], lenient, useRules);
    const { values, where } = selectFields(useRules, fields, lenient);
    return { file: display(file), rows: await target.run(insert(from, values, where)) };
  };

  /**
   * A strict batch in one statement, read in parallel; every row read is
   * inserted or the statement fails, so the rows per file are the rows each
   * file gives: counted by the reader while the insert runs when it can (and
   * only when they add up to the rows inserted), else by DuckDB reading the
   * files once more (no column is materialised).
   */
  const insertStrict = async (files: string[], useRules: ColumnRule[]): Promise<FileRows[]> => {
    const { from, fields } = await reader.read(files, false, useRules, FILE_COLUMN);
    const { values, where } = selectFields(useRules, fields, false);
    // The count stops with a failed or cancelled insert.
    const stop = new AbortController();
    const counting = reader.countRows?.(files, stop.signal);
    counting?.catch(() => undefined);
    let inserted: number;
    try {
      inserted = await target.run(insert(from, values, where));
    } catch (error) {
      stop.abort();
      throw error;
    }
    const counts = await counting?.catch(() => undefined);
    if (counts && counts.reduce((sum, n) => sum + n, 0) === inserted) return files.map((file, i) => ({ file: display(file), rows: counts[i] }));
    const counted = new Map((await target.rows(`SELECT ${FILE_COLUMN}, COUNT(*) FROM ${from} GROUP BY 1`)).map(([file, n]) => [String(file), Number(n)]));
    return files.map((file) => ({ file: display(file), rows: counted.get(file) ?? 0 }));
  };

  /** Several small files, read once into a temporary table and counted per file from that read. */
  const insertFiles = async (files: string[], lenient: boolean, useRules: ColumnRule[]): Promise<FileRows[]> => {
    const { from, fields } = await reader.read(files, lenient, useRules, FILE_COLUMN);
    const { values, where } = selectFields(useRules, fields, lenient);
    await target.run(`CREATE OR REPLACE TEMP TABLE ${BATCH_TABLE} AS SELECT ${values.map((v, i) => `${v} AS c${i}`).join(', ')}, ${FILE_COLUMN} FROM ${from}${where}`);
    await target.run(insert(BATCH_TABLE, values.map((_, i) => `c${i}`), ''));
    const counted = new Map((await target.rows(`SELECT ${FILE_COLUMN}, COUNT(*) FROM ${BATCH_TABLE} GROUP BY 1`)).map(([file, n]) => [String(file), Number(n)]));
    await target.run(`DROP TABLE ${BATCH_TABLE}`);
    return files.map((file) => ({ file: display(file), rows: counted.get(file) ?? 0 }));
  };

  // Compressed input holds several times its size in rows.
  const weight = staging || !copy.compression ? 1 : 8;

  /**
   * Every batch of files, inserted; the row count. Zero files is the caller's
   * to report. The rows each file gave go into stl_load_commits batch by
   * batch, in the load's transaction, so nothing per file outlives its batch.
   * A strict load inserts a batch in one statement. A lenient one (MAXERROR)
   * leaves rows out, so a batch is cut into runs of files of at most
   * GROUP_BYTES; a run of one file (a big one) is inserted on its own, a run
   * of several goes through a temporary table, which holds no more than that
   * at once.
   */
  const loadAll = async (lenient: boolean, useRules = rules): Promise<{ rows: number; files: number }> => {
    const commits = new LoadCommits(target, copy.table);
    const total = { rows: 0, files: 0 };
    for await (const batch of inBatches(files(), FILES_PER_BATCH)) {
      await order.relaxFor(batch);
      const perFile: FileRows[] = [];
      if (!lenient) {
        perFile.push(...(await insertStrict(batch, useRules)));
      } else {
        for (const group of groupsBySize(batch, weight)) {
          if (group.length === 1) perFile.push(await insertFile(group[0], lenient, useRules));
          else perFile.push(...(await insertFiles(group, lenient, useRules)));
        }
      }
      await commits.record(perFile);
      for (const file of perFile) total.rows += file.rows;
      total.files += perFile.length;
    }
    return total;
  };

  /** A whole load; once more when the reader takes the failure as a sign to read the files another way. */
  const attempt = async (lenient: boolean, useRules = rules): Promise<{ rows: number; files: number }> => {
    for (;;) {
      try {
        return await inTransaction(() => loadAll(lenient, useRules));
      } catch (error) {
        if (error instanceof SparkifyError || isInterrupt(error) || !reader.readsAnotherWay?.(error)) throw error;
      }
    }
  };

  const inTransaction = async <T>(work: () => Promise<T>): Promise<T> => {
    if (target.inTransaction) return work();
    await target.run('BEGIN TRANSACTION');
    try {
      const result = await work();
      await target.run('COMMIT');
      return result;
    } catch (error) {
      await target.cleanup('ROLLBACK').catch(() => undefined);
      throw error;
    }
  };

  const loaded = async (result: { rows: number; files: number }) => {
    if (result.files > 0) return result.rows;
    throw await noSourceFilesError(copy.table, copy.source, sourcePath);
  };
  const record = (diagnosis: DiagnoseResult) =>
    target.inTransaction ? Promise.resolve() : recordLoadErrors(target, { table: `${table.schema}.${table.name}`, startedAt, details: diagnosis.details, columns });
  const rejected = (diagnosis: DiagnoseResult, error: unknown, within?: string) => {
    const first = diagnosis.details[0];
    const where = first ? ` (first at ${first.file} line ${first.line}${first.column ? `, column ${first.column}` : ''}: ${first.reason})` : '';
    const count = diagnosis.badRows > 0 ? `${diagnosis.badRows} bad row${diagnosis.badRows === 1 ? '' : 's'}${where}` : (error as Error).message;
    return new LoadError(copy.table, `COPY into ${copy.table} failed: ${count}${copy.maxError > 0 ? `; MAXERROR is ${copy.maxError}` : ''}${within ? `, but ${within}` : ''}`, diagnosis.details, {
      cause: error,
    });
  };
  const diagnose = () =>
    reader.diagnose(files(), display).catch((error: unknown) => {
      throw error instanceof SourceReadError ? unreadableSourceError(copy.table, error) : error;
    });
  /**
   * Before a lenient load: the files with rows that are no record (a line
   * that is not JSON), which the lenient read cannot leave out itself, are
   * read from copies without those lines. Their rows are among the bad rows
   * counted and kept in stl_load_errors already.
   */
  const leaveOutUnreadable = async (diagnosis: DiagnoseResult) => {
    if (!removal) return;
    for (const [file, ranges] of diagnosis.unreadable ?? []) replaced.set(file, await removal.without(file, ranges));
  };

  // Inside a caller's transaction a failed statement cannot be retried, so
  // MAXERROR there is settled by the scan before the load.
  if (target.inTransaction && copy.maxError > 0) {
    const diagnosis = await diagnose();
    if (diagnosis.badRows > copy.maxError) throw rejected(diagnosis, undefined);
    await leaveOutUnreadable(diagnosis);
    return loaded(await loadAll(diagnosis.badRows > 0));
  }

  let failure: unknown;
  try {
    return await loaded(await attempt(false, typedRules));
  } catch (error) {
    // A full disk or a damaged file is no fault of the rows: the warehouse has said which.
    if (error instanceof SparkifyError || isInterrupt(error)) throw error;
    failure = error;
  }
  const diagnosis = await diagnose();
  if (diagnosis.badRows === 0 && typedRules) {
    // Nothing Redshift refuses: the typed read stopped at a field the text rules take (an empty number).
    try {
      return await loaded(await attempt(false));
    } catch (error) {
      if (error instanceof SparkifyError || isInterrupt(error)) throw error;
      failure = error;
    }
  }
  await record(diagnosis);
  if (diagnosis.badRows > 0 && diagnosis.badRows <= copy.maxError && !target.inTransaction) {
    await leaveOutUnreadable(diagnosis);
    try {
      return (await inTransaction(() => loadAll(true))).rows;
    } catch (error) {
      // The lenient read skips rows it can read but not convert; a row it cannot read at all fails it.
      if (error instanceof SparkifyError || isInterrupt(error)) throw error;
      throw rejected(diagnosis, error, 'the local warehouse cannot leave out a row it cannot read as a record');
    }
  }
  throw rejected(diagnosis, failure);
}

function isInterrupt(error: unknown): boolean {
  return (error as Error).name === 'AbortError' || ((error as Error).message ?? '').includes('INTERRUPT');
}

/** The files, until the cancel: listing, staging and the scan of bad rows are work of the statement too. */
async function* untilCancelled(files: AsyncGenerator<string>, signal: AbortSignal | undefined): AsyncGenerator<string> {
  for await (const file of files) {
    throwIfAborted(signal);
    yield file;
  }
}

async function* substituted(files: AsyncGenerator<string>, replaced: ReadonlyMap<string, string>): AsyncGenerator<string> {
  for await (const file of files) yield replaced.get(file) ?? file;
}

async function* decompressed(files: AsyncGenerator<string>, staging: InputStaging): AsyncGenerator<string> {
  for await (const file of files) yield await staging.stage(file);
}

/** The load error for a source that holds no files: missing, or an empty folder. */
export async function noSourceFilesError(table: string, source: string, sourcePath = source): Promise<LoadError> {
  const exists = await stat(sourcePath).then(() => true, () => false);
  return new LoadError(table, exists ? `COPY into ${table}: no files under ${source}` : `COPY into ${table}: the source ${source} does not exist`, [], {
    hint: 'check the source path (--song-data / --log-data, or the config), then run again',
  });
}

/** The load error for a folder under a source that cannot be read, naming it. */
export function unreadableSourceError(table: string, error: SourceReadError): LoadError {
  return new LoadError(table, `COPY into ${table}: ${error.message}`, [], {
    hint: `check the source path (--song-data / --log-data, or the config) and that you may read ${error.path}, then run again`,
    cause: error,
  });
}

/** Files of the source, with a folder that cannot be read turned into a LoadError naming it. */
async function* readable(copy: CopySpec, files: AsyncGenerator<string>): AsyncGenerator<string> {
  try {
    yield* files;
  } catch (error) {
    if (!(error instanceof SourceReadError)) throw error;
    throw unreadableSourceError(copy.table, error);
  }
}

/** Shows files as the source names them (s3://bucket/key for a mapped bucket). */
function displayName(file: string, sourcePath: string, source: string): string {
  if (source === sourcePath) return file;
  const info = file.startsWith(sourcePath) ? file.slice(sourcePath.length) : file;
  return `${source.replace(/\/$/, '')}${info.startsWith('/') || info === '' ? info : `/${info}`}`;
}
