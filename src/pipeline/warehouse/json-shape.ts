// How a JSON data file is laid out, from its first bytes, before the load
// chooses a reader for it: one object to a line (DuckDB's newline-delimited
// read, the quicker one) or objects across lines (a pretty-printed song file,
// which that read refuses). A file small enough to be read whole is also
// counted here, so its rows for stl_load_commits need no read of their own.
import { closeSync, openSync, readSync } from 'node:fs';
import { throwIfAborted } from '../errors.js';

/** Bytes read from each file: all of a song file, the first lines of an event file. */
export const SHAPE_BYTES = 64 * 1024;

export interface FileShape {
  /**
   * Every object seen starts and ends on a line of its own. For a file read
   * whole this is certain; for a bigger one it is what its first line says
   * (the read fails on a later object across lines, and the load reads
   * again). Also true when the bytes are no sequence of objects at all: the
   * read then fails as it would, and the diagnosis names the row.
   */
  lineDelimited: boolean;
  /** The objects of a file read whole that holds nothing else (white space aside); undefined otherwise. */
  rows?: number;
}

const UNKNOWN: FileShape = { lineDelimited: true };

const isSpace = (byte: number) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/** The shape of `length` bytes of a file; `whole` when they are all of it. */
export function shapeOf(bytes: Uint8Array, length: number, whole: boolean): FileShape {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let line = 0;
  let rows = 0;
  let lineDelimited = true;
  let lastEndLine = -1;
  while (i < length) {
    const byte = bytes[i];
    if (byte === 0x0a) line++;
    if (isSpace(byte)) {
      i++;
      continue;
    }
    if (byte !== 0x7b) return UNKNOWN; // not `{`: no sequence of objects
    if (lastEndLine === line) lineDelimited = false;
    const startLine = line;
    let depth = 0;
    let inString = false;
    for (; i < length; i++) {
      const c = bytes[i];
      // A newline is never inside a string of valid JSON (it is written \n).
      if (c === 0x0a) line++;
      else if (inString) {
        if (c === 0x5c) i++; // a backslash escapes the next byte
        else if (c === 0x22) inString = false;
      } else if (c === 0x22) inString = true;
      else if (c === 0x7b || c === 0x5b) depth++;
      else if ((c === 0x7d || c === 0x5d) && --depth === 0) break;
    }
    if (i >= length) {
      // Cut off: by the end of the file (broken JSON, for the read to name), or of what was read.
      return whole ? UNKNOWN : { lineDelimited: lineDelimited && line === startLine };
    }
    if (line !== startLine) lineDelimited = false;
    // Of a bigger file, the first object tells.
    if (!whole) return { lineDelimited };
    lastEndLine = line;
    rows++;
    i++;
  }
  return whole ? { lineDelimited, rows } : { lineDelimited };
}

/**
 * The shapes of files, read a few bytes at a time from the start (one buffer
 * for all). A file that cannot be read has no shape: the load's own read
 * names it. Reads are synchronous (a song file is one small read); the event
 * loop gets a turn between runs of files, so a cancel lands.
 */
export async function fileShapes(files: readonly string[], signal?: AbortSignal): Promise<FileShape[]> {
  const buffer = Buffer.allocUnsafe(SHAPE_BYTES + 1);
  const shapes: FileShape[] = [];
  for (let n = 0; n < files.length; n++) {
    if (n % 64 === 63) {
      await new Promise((resolve) => setImmediate(resolve));
      throwIfAborted(signal);
    }
    shapes.push(shapeOfFile(files[n], buffer));
  }
  return shapes;
}

function shapeOfFile(file: string, buffer: Buffer): FileShape {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return UNKNOWN;
  }
  try {
    // One byte more than the probe looks at tells whether the file goes on.
    let length = 0;
    for (let got = -1; got !== 0 && length < buffer.length; length += got) got = readSync(fd, buffer, length, buffer.length - length, null);
    const whole = length <= SHAPE_BYTES;
    return shapeOf(buffer, Math.min(length, SHAPE_BYTES), whole);
  } catch {
    return UNKNOWN;
  } finally {
    closeSync(fd);
  }
}
