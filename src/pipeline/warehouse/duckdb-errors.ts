// What DuckDB's errors mean for a person. DuckDB reports every error as
// "<class> Error: <text>"; its I/O failures end in the operating system's own
// reason ("...: No space left on device"). An error is classified by its class
// and by that reason or the opening words of the class's text, never by a word
// found anywhere in it: "block" in a checksum error is not a lock.
import { existsSync, statSync, statfsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DamagedWarehouseError, DiskError, LockError, type SparkifyError } from '../errors.js';

export interface EngineError {
  /** DuckDB's error class: 'IO', 'Catalog', 'TransactionContext', ... */
  kind: string;
  /** The text after "<class> Error: ". */
  text: string;
  /** The system error code of an I/O failure, when the text ends in the system's reason. */
  code?: string;
}

/** The system's reasons (strerror) DuckDB appends to an I/O failure, by code. */
const SYSTEM_REASONS: Record<string, string> = {
  'No space left on device': 'ENOSPC',
  'Disk quota exceeded': 'EDQUOT',
  'Read-only file system': 'EROFS',
  'Permission denied': 'EACCES',
  'No such file or directory': 'ENOENT',
  'Is a directory': 'EISDIR',
};

export function parseEngineError(message: string): EngineError {
  const match = message.match(/^([A-Za-z][A-Za-z -]*?) Error: ([\s\S]*)$/);
  const kind = match ? match[1] : '';
  const text = match ? match[2] : message;
  const reason = text.match(/: ([A-Za-z][A-Za-z -]+)$/)?.[1];
  return { kind, text, code: reason ? SYSTEM_REASONS[reason] : undefined };
}

/** Opening words of the I/O errors that say the file is not a healthy DuckDB database. */
const DAMAGED = /^(Corrupt database file|Could not read enough bytes from file|The file .* exists, but it is not a valid DuckDB database file)/;

/**
 * The error a person acts on for an engine failure that is about the
 * warehouse file or its disk (in use, damaged, full, read-only); undefined
 * for any other, which stays a SQL error. `neededBytes` estimates what the
 * failed work had to write, for the disk-full hint.
 */
export function warehouseFileError(error: unknown, path: string, neededBytes?: number): SparkifyError | undefined {
  const { kind, text, code } = parseEngineError((error as Error)?.message ?? '');
  if (kind === 'IO' && text.startsWith('Could not set lock on file')) return new LockError(path, error);
  if (kind === 'IO' && DAMAGED.test(text)) return new DamagedWarehouseError(path, text.replace(/\.?$/, ''), error);
  if (code === 'ENOSPC' || code === 'EDQUOT') return diskFullError(path, neededBytes, error);
  if (code === 'EROFS') return readOnlyError(path, error);
  return undefined;
}

export function diskFullError(path: string, neededBytes: number | undefined, cause?: unknown): DiskError {
  const disk = diskOf(path);
  const where = disk?.mount ?? dirname(path);
  const writes = neededBytes !== undefined && neededBytes > 0 ? ` (this step writes about ${formatBytes(neededBytes)})` : '';
  return new DiskError(
    `no space left on the disk ${where}${disk ? ` (${formatBytes(disk.freeBytes)} free)` : ''} holding the local warehouse ${path}`,
    `free space on ${where}${writes}, or move the warehouse with --database-file or SPARKIFY_HOME, then run again; the analytics tables were not changed`,
    cause,
  );
}

export function readOnlyError(path: string, cause?: unknown): DiskError {
  const disk = diskOf(path);
  return new DiskError(
    `the file system ${disk?.mount ?? dirname(path)} holding the local warehouse ${path} is read-only`,
    'queries still read it (`sparkify query`); to change it, remount the disk read-write or copy the file to a writable place and pass --database-file',
    cause,
  );
}

/** The mount point holding a path and the space free on it. */
export function diskOf(path: string): { mount: string; freeBytes: number } | undefined {
  let folder = resolve(path);
  while (!existsSync(folder) && dirname(folder) !== folder) folder = dirname(folder);
  try {
    const device = statSync(folder).dev;
    let mount = folder;
    while (dirname(mount) !== mount && statSync(dirname(mount)).dev === device) mount = dirname(mount);
    const fs = statfsSync(folder);
    return { mount, freeBytes: fs.bavail * fs.bsize };
  } catch {
    return undefined;
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
