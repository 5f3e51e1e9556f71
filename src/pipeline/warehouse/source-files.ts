// The files a COPY source names, found as Redshift reads a key prefix and as
// `aws s3 sync` (or `find -L`) walks a folder: links to files and folders are
// followed, a link back to a folder being walked is not (it would never end).
// Named pipes, sockets and devices are skipped as `aws s3 sync` skips them, and
// named to the caller so it can warn as sync does: reading a pipe would block.
// Files come out in name order, a folder's run of them at a time, so a source
// of a million files is never one list in memory (the loader takes them in
// bounded batches) and does not pass through the nested generators one
// promise per file (100,000 files: about 0.4 s of the listing).
import { readdirSync, statSync, type Dirent, type Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, normalize } from 'node:path';
import { isSystemError, systemErrorMessage, throwIfAborted } from '../errors.js';

/** A folder or file under a COPY source that cannot be read; the loader names it in a LoadError. */
export class SourceReadError extends Error {
  constructor(
    readonly path: string,
    cause: NodeJS.ErrnoException,
  ) {
    super(systemErrorMessage(cause, path), { cause });
    this.name = 'SourceReadError';
  }
}

/** A folder's entries in name order (byte order, as S3 lists keys), hidden ones left out. */
async function entriesOf(dir: string): Promise<Dirent[]> {
  let entries: Dirent[];
  try {
    // One call per folder: they are all held to be sorted anyway, and an await per entry costs more than the read.
    entries = (await readdir(dir, { withFileTypes: true })).filter((entry) => !entry.name.startsWith('.'));
  } catch (error) {
    throw isSystemError(error) ? new SourceReadError(dir, error) : error;
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Identity of a folder on disk, to see a link that leads back into a folder being walked. */
const folderId = (info: { dev: number; ino: number }) => `${info.dev}:${info.ino}`;

/** `special`: a named pipe, socket or device, which no load reads. */
type Kind = 'file' | 'folder' | 'special' | 'none';

/** Told each special entry a walk skips. */
export type OnSkipped = (path: string) => void;

/** What an entry is once links are followed; a dangling link is nothing, as for `find -L`. */
function kindOf(path: string, entry: Dirent): Kind | Promise<Kind> {
  if (entry.isFile()) return 'file';
  if (entry.isDirectory()) return 'folder';
  if (entry.isSymbolicLink()) return linkKind(path);
  return entry.isFIFO() || entry.isSocket() || entry.isCharacterDevice() || entry.isBlockDevice() ? 'special' : 'none';
}

async function linkKind(path: string): Promise<Kind> {
  const info = await stat(path).catch((error: unknown) => {
    if (isSystemError(error) && (error.code === 'ENOENT' || error.code === 'ELOOP')) return undefined;
    throw isSystemError(error) ? new SourceReadError(path, error) : error;
  });
  return !info ? 'none' : info.isFile() ? 'file' : info.isDirectory() ? 'folder' : 'special';
}

/** `join(dir, name)` for a normalized `dir` and a name without a slash, without join's own normalizing of the whole path each time. */
function childPath(dir: string, name: string): string {
  if (dir === '.') return name;
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/**
 * How a walk reads a folder: its entries (in name order, hidden ones left
 * out), what each is, and what it hands over for a file. The loader reads
 * entry types from the folder (no call per file); the ledger, which needs
 * every file's size and mtime anyway, stats each entry instead and learns its
 * type from that.
 */
interface FolderReader<E, F> {
  entries(dir: string): Promise<E[]>;
  name(entry: E): string;
  kind(path: string, entry: E): Kind | Promise<Kind>;
  /** The file at `path`, just after kind() said it is one (or a source that is one file, with its stat). */
  file(path: string, info?: Stats): F;
}

const PATHS: FolderReader<Dirent, string> = {
  entries: entriesOf,
  name: (entry) => entry.name,
  kind: kindOf,
  file: (path) => path,
};

/** The files under a normalized `dir`, as runs of consecutive files (a folder's files between its subfolders). */
async function* walk<E, F>(dir: string, ancestors: Set<string>, reader: FolderReader<E, F>, onSkipped?: OnSkipped): AsyncGenerator<F[]> {
  const info = await stat(dir).catch((error: unknown) => {
    throw isSystemError(error) ? new SourceReadError(dir, error) : error;
  });
  const id = folderId(info);
  if (ancestors.has(id)) return;
  ancestors.add(id);
  try {
    let run: F[] = [];
    for (const entry of await reader.entries(dir)) {
      const path = childPath(dir, reader.name(entry));
      // Plain files and folders are known without a call: no await for them.
      const known = reader.kind(path, entry);
      const kind = typeof known === 'string' ? known : await known;
      if (kind === 'file') run.push(reader.file(path));
      else if (kind === 'folder') {
        if (run.length > 0) yield run;
        run = [];
        yield* walk(path, ancestors, reader, onSkipped);
      } else if (kind === 'special') onSkipped?.(path);
    }
    if (run.length > 0) yield run;
  } finally {
    ancestors.delete(id);
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
export async function* sourceFiles(path: string): AsyncGenerator<string> {
  for await (const run of sourceFileRuns(path)) yield* run;
}

/** The files of sourceFiles, in runs of consecutive ones: for a caller that takes each run whole (and is told what it skips). */
export function sourceFileRuns(path: string, onSkipped?: OnSkipped): AsyncGenerator<string[]> {
  return runsOf(path, PATHS, onSkipped);
}

/** Stat calls between two turns of the event loop: a screen keeps drawing, a signal is heard. */
const STATS_PER_TURN = 5000;

/**
 * The files of sourceFileRuns as `make` builds them from their stat, one per entry
 * and none more: synchronous, because through the thread pool each call costs
 * several times the stat itself (100,000 files: about 0.3 s against 1 s), and
 * the entries are read as bare names (no Dirent each). Stops between turns
 * once `signal` is aborted.
 */
export function statedFileRuns<F>(path: string, make: (path: string, info: Stats) => F, onSkipped?: OnSkipped, signal?: AbortSignal): AsyncGenerator<F[]> {
  let last: Stats | undefined;
  let calls = 0;
  const statOf = (entry: string): Kind => {
    try {
      last = statSync(entry, { throwIfNoEntry: false });
    } catch (error) {
      if (isSystemError(error) && error.code === 'ELOOP') return 'none';
      throw isSystemError(error) ? new SourceReadError(entry, error) : error;
    }
    return !last ? 'none' : last.isFile() ? 'file' : last.isDirectory() ? 'folder' : 'special';
  };
  const reader: FolderReader<string, F> = {
    entries: (dir) => {
      let names: string[];
      try {
        names = readdirSync(dir).filter((name) => !name.startsWith('.'));
      } catch (error) {
        return Promise.reject(isSystemError(error) ? new SourceReadError(dir, error) : (error as Error));
      }
      return Promise.resolve(names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    },
    name: (entry) => entry,
    kind: (entry) => {
      if (++calls % STATS_PER_TURN !== 0) return statOf(entry);
      return new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        throwIfAborted(signal);
        return statOf(entry);
      });
    },
    file: (entry, info) => make(entry, info ?? last!),
  };
  return runsOf(path, reader, onSkipped, signal);
}

async function* runsOf<E, F>(path: string, reader: FolderReader<E, F>, onSkipped?: OnSkipped, signal?: AbortSignal): AsyncGenerator<F[]> {
  throwIfAborted(signal);
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory()) {
    yield* walk(normalize(path), new Set(), reader, onSkipped);
    return;
  }
  if (info?.isFile()) {
    yield [reader.file(path, info)];
    return;
  }
  const parent = dirname(path);
  const prefix = basename(path);
  // A parent that is missing (or a file) holds no keys: the source does not exist.
  const parentInfo = await stat(parent).catch(() => undefined);
  if (!parentInfo?.isDirectory()) return;
  for (const entry of await reader.entries(parent)) {
    const name = reader.name(entry);
    if (!name.startsWith(prefix)) continue;
    const match = join(parent, name);
    const kind = await reader.kind(match, entry);
    if (kind === 'folder') yield* walk(match, new Set([folderId(parentInfo)]), reader, onSkipped);
    else if (kind === 'file') yield [reader.file(match)];
    else if (kind === 'special') onSkipped?.(match);
  }
}

/** Every file a source names, as one list: for sources known to be small, and tests. */
export async function listSourceFiles(path: string): Promise<string[]> {
  const files: string[] = [];
  for await (const file of sourceFiles(path)) files.push(file);
  return files;
}

/** Files in groups of at most `size`, so one statement never opens more than that many at once. */
export async function* inBatches<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * A file path as DuckDB's readers take it literally: they expand `*`, `?` and
 * `[...]` as glob patterns even in a list of files, so a file named `*.json`
 * would read the whole folder. A character class of one character matches
 * just that character.
 */
export function literalPath(path: string): string {
  return path.replace(/[*?[]/g, (c) => `[${c}]`);
}
