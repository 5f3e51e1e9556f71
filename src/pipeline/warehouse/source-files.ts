// The files a COPY source names, found as Redshift reads a key prefix and as
// `aws s3 sync` (or `find -L`) walks a folder: links to files and folders are
// followed, a link back to a folder being walked is not (it would never end).
// Named pipes, sockets and devices are skipped as `aws s3 sync` skips them, and
// named to the caller so it can warn as sync does: reading a pipe would block.
// Files come out in name order, a folder's run of them at a time, so a source
// of a million files is never one list in memory (the loader takes them in
// bounded batches) and does not pass through the nested generators one
// promise per file (100,000 files: about 0.4 s of the listing).
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, normalize } from 'node:path';
import { isSystemError, systemErrorMessage } from '../errors.js';

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

/** The files under a normalized `dir`, as runs of consecutive files (a folder's files between its subfolders). */
async function* walk(dir: string, ancestors: Set<string>, onSkipped?: OnSkipped): AsyncGenerator<string[]> {
  const info = await stat(dir).catch((error: unknown) => {
    throw isSystemError(error) ? new SourceReadError(dir, error) : error;
  });
  const id = folderId(info);
  if (ancestors.has(id)) return;
  ancestors.add(id);
  try {
    let run: string[] = [];
    for (const entry of await entriesOf(dir)) {
      const path = childPath(dir, entry.name);
      // Plain files and folders are known without a call: no await for them.
      const known = kindOf(path, entry);
      const kind = typeof known === 'string' ? known : await known;
      if (kind === 'file') run.push(path);
      else if (kind === 'folder') {
        if (run.length > 0) yield run;
        run = [];
        yield* walk(path, ancestors, onSkipped);
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
export async function* sourceFileRuns(path: string, onSkipped?: OnSkipped): AsyncGenerator<string[]> {
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory()) {
    yield* walk(normalize(path), new Set(), onSkipped);
    return;
  }
  if (info?.isFile()) {
    yield [path];
    return;
  }
  const parent = dirname(path);
  const prefix = basename(path);
  // A parent that is missing (or a file) holds no keys: the source does not exist.
  const parentInfo = await stat(parent).catch(() => undefined);
  if (!parentInfo?.isDirectory()) return;
  for (const entry of await entriesOf(parent)) {
    if (!entry.name.startsWith(prefix)) continue;
    const match = join(parent, entry.name);
    const kind = await kindOf(match, entry);
    if (kind === 'folder') yield* walk(match, new Set([folderId(parentInfo)]), onSkipped);
    else if (kind === 'file') yield [match];
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
