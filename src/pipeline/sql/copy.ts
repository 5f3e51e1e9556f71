// The one COPY parser: the local load reads its CopySpec, the Redshift path
// reads the target table of a failed COPY. Options are a table of handlers,
// each reading its own arguments, so a new option is one entry.
import { SqlError, UnsupportedSqlError } from '../errors.js';
import { codeTokens, tokenize, unquote, type Token } from './tokenizer.js';
import { isPunct, isWord } from './tokens.js';
import { jsonKeyword } from './json-format.js';

/** JSON by key ('auto'), by position (a jsonpaths file), or delimited text: Redshift's default pipe-delimited text, or CSV. */
export type CopyFormat = { kind: 'auto'; ignoreCase: boolean } | { kind: 'jsonpaths'; path: string } | { kind: 'text' } | { kind: 'csv' };

export type CopyCompression = 'gzip' | 'bzip2' | 'zstd';

export interface CopySpec {
  /** Target table as written, quotes removed (e.g. `staging.s_events`). */
  table: string;
  /** Explicit column list, lower case, when the COPY names one. */
  columns?: string[];
  /** Source URI or path as written. */
  source: string;
  format: CopyFormat;
  maxError: number;
  region?: string;
  /** The options below are set only when the COPY gives them. */
  /** EXPLICIT_IDS: IDENTITY columns take the values in the files instead of being skipped. */
  explicitIds?: boolean;
  emptyAsNull?: boolean;
  blanksAsNull?: boolean;
  truncateColumns?: boolean;
  /** ACCEPTINVCHARS: the character that replaces each invalid UTF-8 byte sequence ('?' by default). */
  acceptInvChars?: string;
  /** TIMEFORMAT / DATEFORMAT as written: 'auto', 'epochsecs', 'epochmillisecs' or a format string. */
  timeFormat?: string;
  dateFormat?: string;
  compression?: CopyCompression;
  /** MANIFEST: the source is a JSON manifest naming the files. */
  manifest?: boolean;
  /** Text and CSV. */
  delimiter?: string;
  ignoreHeader?: number;
  nullAs?: string;
  removeQuotes?: boolean;
  escape?: boolean;
  quote?: string;
}

/**
 * Redshift's grammar takes only a string literal where COPY takes a value
 * (FROM, IAM_ROLE, JSON, REGION, TIMEFORMAT...): anything else there, a
 * double-quoted "auto" too, is its syntax error, not an option the local
 * engine lacks.
 */
export function copySyntaxError(t: Token | undefined, sql: string): SqlError {
  return new SqlError(t ? `syntax error at or near "${t.text}"` : 'syntax error at end of input', { sql });
}

/** Reads an option's arguments from the code tokens after its name. */
export class CopyOptionReader {
  constructor(
    private readonly code: Token[],
    public index: number,
    readonly sql: string,
  ) {}

  peek(): Token | undefined {
    return this.code[this.index];
  }

  /** Takes the next token when it is one of these words; returns it upper-cased. */
  word(...words: string[]): string | undefined {
    const t = this.peek();
    if (!isWord(t, ...words)) return undefined;
    this.index++;
    return t!.text.toUpperCase();
  }

  /** An optional quoted value (after an optional AS). */
  optionalString(): string | undefined {
    const as = this.word('AS');
    const t = this.peek();
    if (t?.type === 'ident' || (as && t?.type !== 'string')) throw copySyntaxError(t, this.sql);
    if (t?.type !== 'string') return undefined;
    this.index++;
    return unquote(t.text);
  }

  /** A required quoted value (after an optional AS). */
  string(): string {
    const value = this.optionalString();
    if (value === undefined) throw copySyntaxError(this.peek(), this.sql);
    return value;
  }

  /** A required whole number at least 0 (after an optional AS). */
  count(option: string): number {
    this.word('AS');
    const t = this.peek();
    const n = Number(t?.text);
    if (t?.type !== 'number' || !Number.isInteger(n) || n < 0) throw new UnsupportedSqlError(`COPY ${option} ${t?.text ?? ''}`.trim(), this.sql);
    this.index++;
    return n;
  }
}

type OptionHandler = (reader: CopyOptionReader, spec: CopySpec) => void;

const ignoreValue: OptionHandler = (reader) => void reader.string();

function jsonFormat(reader: CopyOptionReader): CopyFormat {
  const value = reader.optionalString()?.trim();
  const keyword = jsonKeyword(value);
  if (value === undefined || keyword === 'auto') return { kind: 'auto', ignoreCase: false };
  if (keyword === 'auto ignorecase') return { kind: 'auto', ignoreCase: true };
  if (keyword === 'noshred') throw new UnsupportedSqlError("COPY JSON 'noshred' (SUPER columns)", reader.sql);
  return { kind: 'jsonpaths', path: value };
}

/** COPY options by name: each reads its arguments and records what the load needs. */
export const COPY_OPTIONS: Record<string, OptionHandler> = {
  IAM_ROLE: (reader) => {
    if (!reader.word('DEFAULT')) reader.string();
  },
  CREDENTIALS: ignoreValue,
  ACCESS_KEY_ID: ignoreValue,
  SECRET_ACCESS_KEY: ignoreValue,
  SESSION_TOKEN: ignoreValue,
  FORMAT: (reader, spec) => {
    reader.word('AS');
    const format = reader.word('JSON', 'CSV');
    if (!format) throw new UnsupportedSqlError(`COPY FORMAT ${reader.peek()?.text ?? ''} (JSON, CSV and delimited text are supported locally)`, reader.sql);
    COPY_OPTIONS[format](reader, spec);
  },
  JSON: (reader, spec) => {
    spec.format = jsonFormat(reader);
  },
  CSV: (_reader, spec) => {
    spec.format = { kind: 'csv' };
  },
  QUOTE: (reader, spec) => {
    spec.quote = reader.string();
  },
  DELIMITER: (reader, spec) => {
    spec.delimiter = reader.string();
  },
  IGNOREHEADER: (reader, spec) => {
    spec.ignoreHeader = reader.count('IGNOREHEADER');
  },
  NULL: (reader, spec) => {
    spec.nullAs = reader.string();
  },
  REMOVEQUOTES: (_reader, spec) => {
    spec.removeQuotes = true;
  },
  ESCAPE: (_reader, spec) => {
    spec.escape = true;
  },
  EXPLICIT_IDS: (_reader, spec) => {
    spec.explicitIds = true;
  },
  MANIFEST: (_reader, spec) => {
    spec.manifest = true;
  },
  GZIP: (_reader, spec) => {
    spec.compression = 'gzip';
  },
  BZIP2: (_reader, spec) => {
    spec.compression = 'bzip2';
  },
  ZSTD: (_reader, spec) => {
    spec.compression = 'zstd';
  },
  REGION: (reader, spec) => {
    spec.region = reader.string();
  },
  MAXERROR: (reader, spec) => {
    spec.maxError = reader.count('MAXERROR');
  },
  COMPUPDATE: (reader) => void reader.word('ON', 'OFF', 'TRUE', 'FALSE', 'PRESET'),
  STATUPDATE: (reader) => void reader.word('ON', 'OFF', 'TRUE', 'FALSE'),
  TIMEFORMAT: (reader, spec) => {
    spec.timeFormat = reader.string();
  },
  DATEFORMAT: (reader, spec) => {
    spec.dateFormat = reader.string();
  },
  ACCEPTINVCHARS: (reader, spec) => {
    spec.acceptInvChars = reader.optionalString() ?? '?';
  },
  TRUNCATECOLUMNS: (_reader, spec) => {
    spec.truncateColumns = true;
  },
  BLANKSASNULL: (_reader, spec) => {
    spec.blanksAsNull = true;
  },
  EMPTYASNULL: (_reader, spec) => {
    spec.emptyAsNull = true;
  },
};

/** Reads a table name (schema.table, quoted parts allowed) from `code` at `index`; returns it and the index after it. */
function readTableName(code: Token[], index: number): { name: string; next: number } {
  let name = '';
  let i = index;
  while (i < code.length && (code[i].type === 'word' || code[i].type === 'ident' || isPunct(code[i], '.'))) {
    if (isWord(code[i], 'FROM') && name !== '' && !name.endsWith('.')) break;
    name += code[i].text.replace(/"/g, '');
    i++;
  }
  return { name, next: i };
}

/** Parses one COPY statement (no trailing semicolon). */
export function parseCopy(sql: string): CopySpec {
  const code = codeTokens(tokenize(sql));
  if (!isWord(code[0], 'COPY')) throw new UnsupportedSqlError('a statement that is not a COPY', sql);
  const { name: table, next } = readTableName(code, 1);
  let i = next;
  let columns: string[] | undefined;
  if (isPunct(code[i], '(')) {
    columns = [];
    i++;
    while (i < code.length && !isPunct(code[i], ')')) {
      if (code[i].type === 'word' || code[i].type === 'ident') columns.push(code[i].text.replace(/"/g, '').toLowerCase());
      i++;
    }
    i++;
  }
  if (isWord(code[i], 'FROM') && code[i + 1]?.type !== 'string') throw copySyntaxError(code[i + 1], sql);
  if (!isWord(code[i], 'FROM')) {
    throw new UnsupportedSqlError("COPY without FROM '<source>'", sql);
  }
  // With no format named, Redshift reads pipe-delimited text.
  const spec: CopySpec = { table, columns, source: unquote(code[i + 1].text), format: { kind: 'text' }, maxError: 0 };
  const reader = new CopyOptionReader(code, i + 2, sql);
  while (reader.peek()) {
    const option = reader.peek()!.text.toUpperCase();
    const handler = reader.peek()!.type === 'word' ? COPY_OPTIONS[option] : undefined;
    if (!handler) throw new UnsupportedSqlError(`the COPY option ${reader.peek()!.text}`, sql);
    reader.index++;
    handler(reader, spec);
  }
  return spec;
}

/** The table a COPY loads, or undefined when the statement is no COPY. */
export function copyTable(sql: string | undefined): string | undefined {
  const code = codeTokens(tokenize(sql ?? ''));
  if (!isWord(code[0], 'COPY')) return undefined;
  return readTableName(code, 1).name || undefined;
}
