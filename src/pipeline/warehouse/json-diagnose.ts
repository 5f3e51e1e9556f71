// Finds the rows a JSON load rejected, as Redshift's stl_load_errors reports
// them: file, line, column, reason, raw value. The fast path (DuckDB's
// read_json) does not say which line of which file broke, and words it for
// DuckDB users; this scan runs only after a load failed, streams each file
// line by line, and favours clear answers over speed.
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { isSystemError, type LoadErrorDetail } from '../errors.js';
import { JsonValueSplitter, objectMembers, readLines, type Member } from './json-values.js';
import { SourceReadError } from './source-files.js';

export interface ExpectedColumn {
  /** JSON key to read. */
  key: string;
  /** Column the key loads into (for messages). */
  column: string;
  /** DuckDB type name of the column, upper case. */
  type: string;
  /** The most bytes a value may have (VARCHAR(n) without TRUNCATECOLUMNS). */
  maxBytes?: number;
  /** TIMEFORMAT / DATEFORMAT of a TIMESTAMP or DATE column, as the COPY gives it. */
  format?: string;
  /** A nested object or array is refused ('auto' loads; a jsonpaths file loads it as its JSON text). */
  refuseNested?: boolean;
}

/** Why a nested object or array does not load into a character column by name. */
export const NESTED_REASON = (what: string, column: string) =>
  `${what} does not load into the character column ${column} with JSON 'auto'; name it in a jsonpaths file to load its JSON text`;

import type { DiagnoseResult, LineRange } from './copy-load.js';

/** DuckDB's maximum_object_size as the loader sets it. */
export const MAX_OBJECT_BYTES = 16 * 1024 * 1024;
/** The longest line the local load reads: DuckDB's reader holds up to twice maximum_object_size (measured: 17 MB loads, 33 MB fails). */
export const MAX_LINE_BYTES = 2 * MAX_OBJECT_BYTES;
const MAX_LINE_MB = MAX_LINE_BYTES / 1024 / 1024;

const INTEGER_RANGES: Record<string, [bigint, bigint]> = {
  TINYINT: [-(2n ** 7n), 2n ** 7n - 1n],
  SMALLINT: [-(2n ** 15n), 2n ** 15n - 1n],
  INTEGER: [-(2n ** 31n), 2n ** 31n - 1n],
  BIGINT: [-(2n ** 63n), 2n ** 63n - 1n],
  HUGEINT: [-(2n ** 127n), 2n ** 127n - 1n],
};

/** Redshift's names for the DuckDB types a person declared. */
const REDSHIFT_NAMES: Record<string, string> = { DOUBLE: 'DOUBLE PRECISION', FLOAT: 'REAL', TINYINT: 'SMALLINT' };
const typeLabel = (base: string) => REDSHIFT_NAMES[base] ?? base;

function checkInteger(text: string, base: string): string | undefined {
  // A zero fraction (`100.0`) is a whole number: Redshift loads it.
  const digits = text.trim().replace(/^([-+]?\d+)\.0*$/, '$1');
  if (!/^[-+]?\d+$/.test(digits)) {
    return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(digits)
      ? `${digits} is not a whole number, and ${typeLabel(base)} holds only whole numbers`
      : undefined;
  }
  const [min, max] = INTEGER_RANGES[base];
  const value = BigInt(digits);
  return value < min || value > max ? `${digits} is out of range for ${typeLabel(base)} (${min} to ${max})` : undefined;
}

export function checkValue(member: Member, expected: ExpectedColumn): string | undefined {
  const { raw } = member;
  if (raw === 'null') return undefined;
  const base = expected.type.replace(/\(.*\)$/, '').trim();
  const integer = base in INTEGER_RANGES;
  const float = ['DOUBLE', 'FLOAT', 'REAL'].includes(base);
  const numeric = integer || float || base.startsWith('DECIMAL');
  const isString = raw.startsWith('"');
  const value: unknown = JSON.parse(raw);
  if (base === 'VARCHAR') {
    if (expected.refuseNested && (raw.startsWith('{') || raw.startsWith('['))) return NESTED_REASON(describe(value), expected.column);
    const bytes = Buffer.byteLength(typeof value === 'string' ? value : raw);
    if (expected.maxBytes !== undefined && bytes > expected.maxBytes) {
      return `the value is ${bytes} bytes, longer than VARCHAR(${expected.maxBytes}) holds (TRUNCATECOLUMNS cuts such values to fit)`;
    }
    return undefined;
  }
  // Empty and blank fields of other types load as NULL.
  if (typeof value === 'string' && value.trim() === '') return undefined;
  const format = expected.format?.toLowerCase();
  if (format === 'epochsecs' || format === 'epochmillisecs') {
    const text = isString ? (value as string) : raw;
    return Number.isFinite(Number(text)) ? undefined : `expected epoch ${format === 'epochsecs' ? 'seconds' : 'milliseconds'} (TIMEFORMAT '${format}'), got ${raw}`;
  }
  if (format !== undefined && format !== 'auto') return undefined;
  if (float && /n/i.test(isString ? (value as string) : raw)) return `${isString ? (value as string) : raw} is not a number ${typeLabel(base)} takes (NaN and Infinity are refused)`;
  if (numeric) {
    if (typeof value === 'number' || typeof value === 'string') {
      const text = isString ? (value as string) : raw;
      if (integer) {
        const reason = checkInteger(text, base);
        if (reason) return reason;
        if (/^\s*[-+]?\d+(\.0*)?\s*$/.test(text)) return undefined;
      } else if (Number.isFinite(Number(text)) && text.trim() !== '') return undefined;
      else if (!isString) return `${raw} is out of range for ${typeLabel(base)}`;
      return `expected a number (${typeLabel(base)}), got the string ${JSON.stringify(value)}`;
    }
    return `expected a number (${typeLabel(base)}), got ${describe(value)}`;
  }
  if (base === 'BOOLEAN') {
    if (typeof value === 'boolean') return undefined;
    if (typeof value === 'string' && /^(true|false|t|f|1|0)$/i.test(value.trim())) return undefined;
    return `expected true or false, got ${JSON.stringify(value)}`;
  }
  if (base === 'DATE' || base.startsWith('TIMESTAMP')) {
    if (typeof value === 'string' && !Number.isNaN(Date.parse(value.replace(' ', 'T')))) return undefined;
    return `expected a ${base.toLowerCase()}, got ${JSON.stringify(value)}`;
  }
  return undefined;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  return typeof value === 'boolean' ? String(value) : typeof value;
}

function rawOf(raw: string): string {
  const text = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
  return text.length > 256 ? `${text.slice(0, 256)}…` : text;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Why a file cannot be read as UTF-8 text at all (UTF-16 or UTF-32 text), judged from its first line. */
export function unreadableEncoding(bytes: Buffer): string | undefined {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return 'the file is UTF-16 text; save it as UTF-8';
  if (bytes.includes(0)) return 'the file holds NUL bytes (UTF-16 or binary data); save it as UTF-8 text';
  return undefined;
}

export interface DiagnoseOptions {
  maxDetails?: number;
  displayName?: (file: string) => string;
  /** 'auto ignorecase': keys match their columns whatever their case. */
  ignoreCase?: boolean;
  /** Opens a file's bytes (decompressing it); plain reads by default. */
  open?: (file: string) => Readable;
  /** Keep the lines of up to this many rows no reader can read as a record (MAXERROR's), for a load that leaves them out. */
  maxUnreadable?: number;
}

/** Scans files in order and reports the rows a strict load rejects. */
export async function diagnoseJsonFiles(files: AsyncIterable<string> | Iterable<string>, columns: ExpectedColumn[], options: DiagnoseOptions = {}): Promise<DiagnoseResult> {
  const maxDetails = options.maxDetails ?? 10;
  const display = options.displayName ?? ((f: string) => f);
  const details: LoadErrorDetail[] = [];
  let badRows = 0;
  const add = (detail: LoadErrorDetail) => {
    badRows++;
    if (details.length < maxDetails) details.push(detail);
  };
  const unreadable = new Map<string, LineRange[]>();
  let unreadableRows = 0;
  /** A bad row that is not a record at all: its lines, for a lenient load to leave out. */
  const addUnreadable = (path: string, first: number, text: string, detail: LoadErrorDetail) => {
    add(detail);
    if (++unreadableRows > (options.maxUnreadable ?? 0)) return;
    const ranges = unreadable.get(path) ?? [];
    ranges.push([first, first + (text.match(/\n/g)?.length ?? 0)]);
    unreadable.set(path, ranges);
  };
  const open = options.open ?? ((file: string) => createReadStream(file, { highWaterMark: 1 << 20 }));
  const keyOf = options.ignoreCase ? (key: string) => key.toLowerCase() : (key: string) => key;
  const wanted = new Map(columns.map((c) => [keyOf(c.key), c]));

  const checkChunk = (path: string, file: string, text: string, line: number) => {
    const rawLine = text.split('\n', 1)[0].slice(0, 1024);
    if (text.length > MAX_LINE_BYTES) {
      addUnreadable(path, line, text, { file, line, reason: `the JSON object is larger than ${MAX_LINE_MB} MB, the most one row may hold`, rawLine });
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      const opensValue = text.startsWith('{') || text.startsWith('[');
      addUnreadable(path, line, text, { file, line, reason: opensValue ? `invalid JSON: ${(error as Error).message}` : 'not a JSON object', rawLine });
      return;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      addUnreadable(path, line, text, { file, line, reason: 'not a JSON object', rawLine });
      return;
    }
    const seen = new Set<string>();
    const found = new Map<ExpectedColumn, Member>();
    for (const member of objectMembers(text)) {
      if (seen.has(member.key)) {
        const column = wanted.get(keyOf(member.key));
        add({ file, line, column: column?.column ?? member.key, reason: `the key "${member.key}" appears twice in one object`, rawLine });
        return;
      }
      seen.add(member.key);
      const column = wanted.get(keyOf(member.key));
      if (column && !found.has(column)) found.set(column, member);
    }
    for (const column of columns) {
      const member = found.get(column);
      const reason = member && checkValue(member, column);
      if (reason) {
        add({ file, line, column: column.column, reason, rawValue: rawOf(member.raw), rawLine });
        return;
      }
    }
  };

  for await (const file of files) {
    const name = display(file);
    const splitter = new JsonValueSplitter(MAX_LINE_BYTES);
    try {
      for await (const { line, bytes } of readLines(open(file), MAX_LINE_BYTES)) {
        if (bytes === undefined) {
          addUnreadable(file, line, '', { file: name, line, reason: `the line is longer than ${MAX_LINE_MB} MB, the most one row may hold` });
          continue;
        }
        if (line === 1) {
          const encoding = unreadableEncoding(bytes);
          if (encoding) {
            add({ file: name, line, reason: encoding });
            break;
          }
        }
        let text: string;
        try {
          text = utf8.decode(bytes);
        } catch {
          addUnreadable(file, line, '', { file: name, line, reason: 'invalid UTF-8: the line holds bytes that are not UTF-8 text', rawLine: bytes.toString('latin1').slice(0, 1024) });
          continue;
        }
        for (const chunk of splitter.push(text, line)) checkChunk(file, name, chunk.text, chunk.line);
      }
      for (const chunk of splitter.end()) checkChunk(file, name, chunk.text, chunk.line);
    } catch (error) {
      // A file that cannot be opened or read is no bad row: the load names it as it names a folder it cannot list.
      if (isSystemError(error)) throw new SourceReadError(file, error);
      add({ file: name, line: 0, reason: `cannot read the file: ${(error as Error).message}` });
    }
  }
  return { details, badRows, unreadable };
}
