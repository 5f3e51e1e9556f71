// Finds the rows a JSON load rejected, as Redshift's stl_load_errors reports
// them: file, line, column, reason, raw value. The fast path (DuckDB's
// read_json) does not say which line of which file broke; this scan runs only
// after a load failed, so it favours clear answers over speed.
import { readFile } from 'node:fs/promises';
import type { LoadErrorDetail } from '../errors.js';

export interface ExpectedColumn {
  /** JSON key to read. */
  key: string;
  /** Column the key loads into (for messages). */
  column: string;
  /** DuckDB type name of the column, upper case. */
  type: string;
}

export interface DiagnoseResult {
  details: LoadErrorDetail[];
  /** All bad rows found, which may be more than the details kept. */
  badRows: number;
}

interface JsonChunk {
  text: string;
  line: number;
}

/** Splits a file into its top-level JSON values (objects or stray text), with the line each starts on. */
export function* splitJsonValues(content: string): Generator<JsonChunk> {
  let i = 0;
  let line = 1;
  const n = content.length;
  while (i < n) {
    const c = content[i]!;
    if (c === '\n') {
      line++;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\uFEFF') {
      i++;
      continue;
    }
    const startLine = line;
    const start = i;
    if (c !== '{' && c !== '[') {
      // Not the start of an object: take the rest of the line as the bad value.
      while (i < n && content[i] !== '\n') i++;
      yield { text: content.slice(start, i), line: startLine };
      continue;
    }
    let depth = 0;
    let inString = false;
    for (; i < n; i++) {
      const ch = content[i]!;
      if (ch === '\n') line++;
      if (inString) {
        if (ch === '\\') i++;
        else if (ch === '"') inString = false;
        continue;
      }
      if (ch === '"') inString = true;
      else if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') {
        depth--;
        if (depth === 0) {
          i++;
          break;
        }
      } else if (ch === '\n' && depth > 0 && content[i + 1] === '{' && !looksPretty(content, start)) {
        // An NDJSON line that never closed: stop at its end so the next line is read on its own.
        i++;
        break;
      }
    }
    yield { text: content.slice(start, i), line: startLine };
  }
}

/** True when the value starting at `start` is pretty-printed (its first line ends right after `{`). */
function looksPretty(content: string, start: number): boolean {
  const end = content.indexOf('\n', start);
  return end !== -1 && content.slice(start, end).trim() === '{';
}

function checkValue(value: unknown, type: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  const base = type.replace(/\(.*\)$/, '').trim();
  const integer = ['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT'].includes(base);
  const numeric = integer || ['DOUBLE', 'FLOAT', 'REAL'].includes(base) || base.startsWith('DECIMAL');
  if (numeric) {
    if (typeof value === 'number') {
      if (integer && !Number.isInteger(value)) return `expected a whole number (${base}), got ${value}`;
      return undefined;
    }
    if (typeof value === 'string') {
      const ok = integer ? /^\s*[-+]?\d+\s*$/.test(value) : value.trim() !== '' && Number.isFinite(Number(value));
      return ok ? undefined : `expected a number (${base}), got the string ${JSON.stringify(value)}`;
    }
    return `expected a number (${base}), got ${Array.isArray(value) ? 'an array' : typeof value}`;
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

function rawOf(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 256 ? `${text.slice(0, 256)}…` : text;
}

/** Scans files in order and reports the rows a strict load rejects. */
export async function diagnoseJsonFiles(
  files: string[],
  columns: ExpectedColumn[],
  options: { maxDetails?: number; displayName?: (file: string) => string } = {},
): Promise<DiagnoseResult> {
  const maxDetails = options.maxDetails ?? 10;
  const display = options.displayName ?? ((f: string) => f);
  const details: LoadErrorDetail[] = [];
  let badRows = 0;
  const add = (detail: LoadErrorDetail) => {
    badRows++;
    if (details.length < maxDetails) details.push(detail);
  };
  for (const file of files) {
    let content: string;
    try {
      content = await readFile(file, 'utf8');
    } catch (error) {
      add({ file: display(file), line: 0, reason: `cannot read the file: ${(error as Error).message}` });
      continue;
    }
    for (const chunk of splitJsonValues(content)) {
      const rawLine = chunk.text.split('\n', 1)[0]!.slice(0, 1024);
      let parsed: unknown;
      try {
        parsed = JSON.parse(chunk.text);
      } catch (error) {
        const opensValue = chunk.text.startsWith('{') || chunk.text.startsWith('[');
        const reason = opensValue ? `invalid JSON: ${(error as Error).message}` : 'not a JSON object';
        add({ file: display(file), line: chunk.line, reason, rawLine });
        continue;
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        add({ file: display(file), line: chunk.line, reason: 'not a JSON object', rawLine });
        continue;
      }
      const record = parsed as Record<string, unknown>;
      for (const column of columns) {
        const reason = checkValue(record[column.key], column.type);
        if (reason) {
          add({ file: display(file), line: chunk.line, column: column.column, reason, rawValue: rawOf(record[column.key]), rawLine });
          break;
        }
      }
    }
  }
  return { details, badRows };
}
