// COPY ... FORMAT AS JSON on the local engine: read_json with declared columns
// (auto-detection is about 3x slower): keys by name ('auto'), ignoring case
// ('auto ignorecase', the keys each batch of files uses), or by position (a
// jsonpaths file). The scan that names bad rows is json-diagnose.ts.
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { LoadError, SqlError, describeSystemError, isSystemError } from '../errors.js';
import type { CopySpec } from '../sql/copy.js';
import { quoteLiteral } from '../sql/tokenizer.js';
import { duckDbCompression, openInput } from './compressed.js';
import { copyInto, type CopyContext, type FormatReader, type LoadTarget } from './copy-load.js';
import { diagnoseJsonFiles, MAX_OBJECT_BYTES, type ExpectedColumn } from './json-diagnose.js';
import { fileShapes, type FileShape } from './json-shape.js';
import { countContentLines } from './json-values.js';
import { quoteIdent } from './load-columns.js';
import { literalPath } from './source-files.js';

export { FILES_PER_BATCH, type LoadTarget } from './copy-load.js';
export { listSourceFiles, SourceReadError } from './source-files.js';

/**
 * Keys named by a jsonpaths file, one per target column, in order. Every way
 * a jsonpaths file can be wrong is one message shape (`the jsonpaths file X
 * ...`); the loader turns it into a LoadError with one exit code.
 */
export function parseJsonpaths(content: string, source: string): string[] {
  let parsed: unknown;
  try {
    // A byte-order mark is allowed, as in the data files.
    parsed = JSON.parse(content.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new SqlError(`the jsonpaths file ${source} is not valid JSON: ${(error as Error).message}`);
  }
  const paths = (parsed as { jsonpaths?: unknown })?.jsonpaths;
  if (!Array.isArray(paths) || paths.some((p) => typeof p !== 'string')) {
    throw new SqlError(`the jsonpaths file ${source} has no "jsonpaths" array of strings`);
  }
  return paths.map((path: string) => {
    const match = path.match(/^\$(?:\[\s*'([^']+)'\s*\]|\[\s*"([^"]+)"\s*\]|\.([A-Za-z_][A-Za-z0-9_]*))$/);
    if (!match) throw new SqlError(`the jsonpaths file ${source} holds ${path}, and the local warehouse reads only top-level keys ($.name or $['name'])`);
    return (match[1] ?? match[2] ?? match[3]);
  });
}

const JSONPATHS_HINT = 'check --log-jsonpaths (or the config) names a jsonpaths file as Redshift reads it, then run again';

async function readJsonpaths(copy: CopySpec, path: string, target: LoadTarget, columnCount: number): Promise<string[]> {
  const fail = (message: string, cause?: unknown) => new LoadError(copy.table, `COPY into ${copy.table}: ${message}`, [], { hint: JSONPATHS_HINT, cause });
  const content = await readFile(target.resolveSource(path), 'utf8').catch((error: Error) => {
    throw fail(`cannot read the jsonpaths file ${path}: ${isSystemError(error) ? describeSystemError(error) : error.message}`, error);
  });
  let keys: string[];
  try {
    keys = parseJsonpaths(content, path);
  } catch (error) {
    throw fail((error as Error).message, error);
  }
  if (keys.length !== columnCount) {
    throw fail(`the jsonpaths file ${path} names ${keys.length} paths but the COPY loads ${columnCount} columns`);
  }
  return keys;
}

export function copyJson(copy: CopySpec, target: LoadTarget): Promise<number> {
  if (copy.format.kind !== 'auto' && copy.format.kind !== 'jsonpaths') throw new SqlError(`COPY into ${copy.table}: not a JSON load`);
  return copyInto(copy, target, jsonReader);
}

async function jsonReader({ copy, target, columns, compression }: CopyContext): Promise<FormatReader> {
  const names = columns.map((c) => c.name);
  const ignoreCase = copy.format.kind === 'auto' && copy.format.ignoreCase;
  const jsonpathsKeys = copy.format.kind === 'jsonpaths' ? await readJsonpaths(copy, copy.format.path, target, columns.length) : undefined;
  const duckCompression = duckDbCompression(compression);
  const options = `maximum_object_size = ${MAX_OBJECT_BYTES}${duckCompression ? `, compression = '${duckCompression}'` : ''}`;
  // One object per line is read line by line, about 10% less work than reading
  // objects wherever they end. A batch is read so when its files' first bytes
  // say so (json-shape.ts: a pretty-printed song file does not); a file with
  // an object across lines further on fails that read, and the load runs
  // again reading objects as they come. A lenient read (MAXERROR) would skip
  // such lines, so it always reads objects. Compressed files are not looked into.
  let oneObjectPerLine = true;
  const plain = (files: string[]) => !duckCompression && !files.some((file) => /\.(gz|zst)$/.test(file));
  /** The batch read last: its files' shapes, and whether it was read a line at a time. */
  let batchShapes: { files: string[]; shapes: FileShape[]; byLine: boolean } | undefined;
  return {
    typedNumbers: true,
    countRows(files, signal) {
      const shapes = batchShapes?.files === files ? batchShapes : undefined;
      if (!shapes || !plain(files)) return undefined;
      // A file read whole was counted by its shape; a line is a row only when the files are read a line at a time.
      if (!shapes.byLine && shapes.shapes.some((shape) => shape.rows === undefined)) return undefined;
      return countFileRows(files, shapes.shapes, signal);
    },
    readsAnotherWay(error) {
      if (!oneObjectPerLine || !/Malformed JSON/i.test((error as Error).message ?? '')) return false;
      oneObjectPerLine = false;
      return true;
    },
    async read(batch, lenient, rules, fileColumn) {
      const keys = jsonpathsKeys ?? (ignoreCase ? await matchKeysIgnoringCase(batch, names, target, options) : names);
      const declared = new Map<string, string>();
      keys.forEach((key, i) => declared.has(key) || declared.set(key, rules[i].read));
      const struct = [...declared].map(([key, type]) => `${quoteLiteral(key)}: ${quoteLiteral(type)}`).join(', ');
      const fileList = batch.map((file) => quoteLiteral(literalPath(file))).join(', ');
      let byLine = oneObjectPerLine && !lenient;
      batchShapes = undefined;
      if (byLine && plain(batch)) {
        const shapes = await fileShapes(batch, target.signal);
        byLine = shapes.every((shape) => shape.lineDelimited);
        batchShapes = { files: batch, shapes, byLine };
      }
      return {
        from: `read_json([${fileList}], format = '${byLine ? 'newline_delimited' : 'unstructured'}', columns = {${struct}}, ${options}${fileColumn ? `, filename = ${quoteLiteral(fileColumn)}` : ''}${lenient ? ', ignore_errors = true' : ''})`,
        fields: keys.map(quoteIdent),
      };
    },
    diagnose(files, display) {
      const expected: ExpectedColumn[] = columns.map((column, i) => ({
        key: (jsonpathsKeys ?? names)[i],
        column: column.name,
        type: column.type,
        maxBytes: copy.truncateColumns ? undefined : column.maxBytes,
        format: column.type === 'TIMESTAMP' ? copy.timeFormat : column.type === 'DATE' ? copy.dateFormat : undefined,
        refuseNested: copy.format.kind === 'auto',
      }));
      return diagnoseJsonFiles(files, expected, { displayName: display, ignoreCase, open: (file) => openInput(file, compression), maxDetails: Math.min(Math.max(10, copy.maxError), 1000), maxUnreadable: copy.maxError });
    },
  };
}

/** The rows of each file: as its shape counted them, else its lines, one file open at a time. */
async function countFileRows(files: string[], shapes: FileShape[], signal: AbortSignal): Promise<number[]> {
  const counts: number[] = [];
  for (const [i, file] of files.entries()) counts.push(shapes[i].rows ?? (await countContentLines(createReadStream(file, { highWaterMark: 1 << 20, signal }))));
  return counts;
}

/** 'auto ignorecase': find the keys a batch of files uses for each column, ignoring case. */
async function matchKeysIgnoringCase(files: string[], columns: string[], target: LoadTarget, options: string): Promise<string[]> {
  const fileList = files.map((file) => quoteLiteral(literalPath(file))).join(', ');
  const described = await target.rows(`DESCRIBE SELECT * FROM read_json([${fileList}], format = 'unstructured', union_by_name = true, maximum_depth = 1, ${options})`);
  const byLower = new Map<string, string>();
  for (const [key] of described) if (key && !byLower.has(key.toLowerCase())) byLower.set(key.toLowerCase(), key);
  return columns.map((column) => byLower.get(column) ?? column);
}
