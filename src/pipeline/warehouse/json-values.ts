// Reading JSON data files line by line without holding a file whole: the
// lines (bytes, capped in length), the top-level values they hold (an object
// may span lines when pretty-printed), and the members of one object with the
// raw text of each value, which JSON.parse would lose (duplicate keys, digits
// past a double).
import type { Readable } from 'node:stream';

export interface RawLine {
  /** 1-based line number in the file. */
  line: number;
  /** The line's bytes without its newline; undefined when it was longer than the cap. */
  bytes?: Buffer;
}

/**
 * The lines of a stream of bytes that hold more than white space: the rows
 * DuckDB's newline-delimited JSON read gives a file it reads whole (it skips
 * blank lines). A row's first byte settles it, so a line costs one look.
 */
export async function countContentLines(input: Readable): Promise<number> {
  let rows = 0;
  let content = false;
  for await (const chunk of input as AsyncIterable<Buffer>) {
    for (let start = 0; ; ) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline === -1 ? chunk.length : newline;
      for (let i = start; !content && i < end; i++) content = chunk[i] !== 0x20 && chunk[i] !== 0x09 && chunk[i] !== 0x0d;
      if (newline === -1) break;
      if (content) rows++;
      content = false;
      start = newline + 1;
    }
  }
  return content ? rows + 1 : rows;
}

/** The lines of a stream of bytes; a line longer than `maxBytes` comes out without its bytes. */
export async function* readLines(input: Readable, maxBytes: number): AsyncGenerator<RawLine> {
  let parts: Buffer[] = [];
  let held = 0;
  let oversize = false;
  let line = 1;
  for await (const chunk of input as AsyncIterable<Buffer>) {
    let start = 0;
    for (let nl = chunk.indexOf(0x0a, start); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
      const piece = chunk.subarray(start, nl);
      if (oversize || held + piece.length > maxBytes) yield { line };
      else yield { line, bytes: parts.length === 0 ? piece : Buffer.concat([...parts, piece]) };
      parts = [];
      held = 0;
      oversize = false;
      line++;
      start = nl + 1;
    }
    const rest = chunk.subarray(start);
    if (oversize || held + rest.length > maxBytes) {
      oversize = true;
      parts = [];
      held = 0;
    } else if (rest.length > 0) {
      // Copied: the stream may reuse its chunk.
      parts.push(Buffer.from(rest));
      held += rest.length;
    }
  }
  if (oversize) yield { line };
  else if (held > 0) yield { line, bytes: Buffer.concat(parts) };
}

export interface JsonChunk {
  text: string;
  line: number;
}

/**
 * Cuts lines into top-level JSON values (objects, arrays or stray text), each
 * with the line it starts on. An NDJSON line that never closes ends where the
 * next line opens an object, so one cut-off line costs one row.
 */
export class JsonValueSplitter {
  private pending: string[] = [];
  private startLine = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private pretty = false;
  private pendingLength = 0;

  constructor(private readonly maxChars: number) {}

  /** Values that end on this line (and a value cut off by it). */
  push(text: string, line: number): JsonChunk[] {
    const out: JsonChunk[] = [];
    let pos = 0;
    if (this.pending.length > 0) {
      if (!this.pretty && text.startsWith('{')) out.push(this.take());
      else this.pending.push('\n');
    }
    while (pos < text.length) {
      if (this.pending.length === 0) {
        while (pos < text.length && ' \t\r\uFEFF'.includes(text[pos])) pos++;
        if (pos >= text.length) break;
        const c = text[pos];
        if (c !== '{' && c !== '[') {
          out.push({ text: text.slice(pos), line });
          break;
        }
        this.startLine = line;
        this.depth = 0;
        this.inString = false;
        this.escaped = false;
        this.pretty = text.slice(pos).trim() === '{';
      }
      const segment = pos;
      let closed = -1;
      for (let i = pos; i < text.length; i++) {
        const ch = text[i];
        if (this.inString) {
          if (this.escaped) this.escaped = false;
          else if (ch === '\\') this.escaped = true;
          else if (ch === '"') this.inString = false;
        } else if (ch === '"') this.inString = true;
        else if (ch === '{' || ch === '[') this.depth++;
        else if (ch === '}' || ch === ']') {
          this.depth--;
          if (this.depth === 0) {
            closed = i + 1;
            break;
          }
        }
      }
      if (closed === -1) {
        this.append(text.slice(segment));
        break;
      }
      this.append(text.slice(segment, closed));
      out.push(this.take());
      pos = closed;
    }
    if (this.pendingLength > this.maxChars) out.push(this.take());
    return out;
  }

  /** A value still open at the end of the file. */
  end(): JsonChunk[] {
    return this.pending.length > 0 ? [this.take()] : [];
  }

  private append(text: string): void {
    this.pending.push(text);
    this.pendingLength += text.length;
  }

  private take(): JsonChunk {
    const chunk = { text: this.pending.join('').replace(/\n$/, ''), line: this.startLine };
    this.pending = [];
    this.pendingLength = 0;
    return chunk;
  }
}

export interface Member {
  key: string;
  /** The value's JSON text as written. */
  raw: string;
}

/** Top-level members of a JSON object's text, already known to be valid JSON, in order. */
export function objectMembers(text: string): Member[] {
  const members: Member[] = [];
  let i = text.indexOf('{') + 1;
  const skipSpace = () => {
    while (i < text.length && ' \t\r\n\uFEFF'.includes(text[i])) i++;
  };
  const stringEnd = (from: number) => {
    let k = from + 1;
    while (k < text.length && text[k] !== '"') k += text[k] === '\\' ? 2 : 1;
    return k + 1;
  };
  while (i < text.length) {
    skipSpace();
    if (text[i] !== '"') break;
    const keyEnd = stringEnd(i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = keyEnd;
    skipSpace();
    i++; // the colon
    skipSpace();
    const start = i;
    let depth = 0;
    while (i < text.length) {
      const ch = text[i];
      if (ch === '"') {
        i = stringEnd(i);
        if (depth === 0) break;
        continue;
      }
      if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') {
        if (depth === 0) break;
        depth--;
        if (depth === 0) {
          i++;
          break;
        }
      } else if (ch === ',' && depth === 0) break;
      i++;
    }
    members.push({ key, raw: text.slice(start, i).trim() });
    skipSpace();
    if (text[i] === ',') i++;
  }
  return members;
}
