// COPY of delimited text on the local engine: Redshift's default
// pipe-delimited text and FORMAT AS CSV, through read_csv with every field
// declared as text (the column rules cast them): DELIMITER, IGNOREHEADER,
// NULL AS, REMOVEQUOTES, ESCAPE, QUOTE AS. The scan that names bad rows
// splits lines the same way.
import { createReadStream } from 'node:fs';
import { isSystemError, type LoadErrorDetail } from '../errors.js';
import type { CopySpec } from '../sql/copy.js';
import { quoteLiteral } from '../sql/tokenizer.js';
import { duckDbCompression, openInput } from './compressed.js';
import { copyInto, type CopyContext, type DiagnoseResult, type FormatReader, type LoadTarget } from './copy-load.js';
import { checkValue, unreadableEncoding, type ExpectedColumn } from './json-diagnose.js';
import { readLines } from './json-values.js';
import { quoteIdent } from './load-columns.js';
import { literalPath, SourceReadError } from './source-files.js';

interface TextDialect {
  delimiter: string;
  /** The quote character, or '' when fields are not quoted. */
  quote: string;
  /** Backslash escapes (ESCAPE). */
  escape: boolean;
  nullAs: string;
  skip: number;
}

function dialectOf(copy: CopySpec): TextDialect {
  const csv = copy.format.kind === 'csv';
  return {
    delimiter: copy.delimiter ?? (csv ? ',' : '|'),
    quote: csv ? (copy.quote ?? '"') : copy.removeQuotes ? '"' : '',
    escape: copy.escape === true,
    nullAs: copy.nullAs ?? '\\N',
    skip: copy.ignoreHeader ?? 0,
  };
}

/** Splits one line into fields as the dialect reads them. */
export function splitFields(line: string, dialect: TextDialect): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (dialect.escape && c === '\\' && i + 1 < line.length) {
      field += line[++i];
    } else if (quoted) {
      if (c === dialect.quote && line[i + 1] === dialect.quote) field += line[++i];
      else if (c === dialect.quote) quoted = false;
      else field += c;
    } else if (dialect.quote !== '' && c === dialect.quote && field === '') quoted = true;
    else if (line.startsWith(dialect.delimiter, i)) {
      fields.push(field);
      field = '';
      i += dialect.delimiter.length - 1;
    } else field += c;
  }
  fields.push(field);
  return fields;
}

export function copyText(copy: CopySpec, target: LoadTarget): Promise<number> {
  return copyInto(copy, target, textReader);
}

function textReader({ copy, columns, rules, compression }: CopyContext): Promise<FormatReader> {
  const dialect = dialectOf(copy);
  const names = columns.map((_, i) => `field_${i + 1}`);
  const duckCompression = duckDbCompression(compression);
  const struct = names.map((name, i) => `${quoteLiteral(name)}: ${quoteLiteral(rules[i].read === 'VARCHAR' ? 'VARCHAR' : rules[i].read)}`).join(', ');
  const options = [
    `delim = ${quoteLiteral(dialect.delimiter)}`,
    `quote = ${quoteLiteral(dialect.quote)}`,
    `escape = ${quoteLiteral(dialect.escape ? '\\' : dialect.quote)}`,
    `nullstr = ${quoteLiteral(dialect.nullAs)}`,
    `skip = ${dialect.skip}`,
    'header = false',
    'auto_detect = false',
    ...(duckCompression ? [`compression = '${duckCompression}'`] : []),
  ].join(', ');
  return Promise.resolve<FormatReader>({
    typedNumbers: false,
    read(batch, lenient, _rules, fileColumn) {
      const fileList = batch.map((file) => quoteLiteral(literalPath(file))).join(', ');
      return Promise.resolve({
        from: `read_csv([${fileList}], columns = {${struct}}, ${options}${fileColumn ? `, filename = ${quoteLiteral(fileColumn)}` : ''}${lenient ? ', ignore_errors = true' : ''})`,
        fields: names.map(quoteIdent),
      });
    },
    diagnose(files, display) {
      const expected: ExpectedColumn[] = columns.map((column) => ({
        key: column.name,
        column: column.name,
        type: column.type,
        maxBytes: copy.truncateColumns ? undefined : column.maxBytes,
        format: column.type === 'TIMESTAMP' ? copy.timeFormat : column.type === 'DATE' ? copy.dateFormat : undefined,
      }));
      return diagnoseTextFiles(files, expected, dialect, {
        display,
        open: (file) => (compression ? openInput(file, compression) : createReadStream(file)),
        maxDetails: Math.min(Math.max(10, copy.maxError), 1000),
      });
    },
  });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

async function diagnoseTextFiles(
  files: AsyncIterable<string>,
  columns: ExpectedColumn[],
  dialect: TextDialect,
  options: { display: (file: string) => string; open: (file: string) => NodeJS.ReadableStream; maxDetails: number },
): Promise<DiagnoseResult> {
  const details: LoadErrorDetail[] = [];
  let badRows = 0;
  const add = (detail: LoadErrorDetail) => {
    badRows++;
    if (details.length < options.maxDetails) details.push(detail);
  };
  for await (const file of files) {
    const name = options.display(file);
    try {
      for await (const { line, bytes } of readLines(options.open(file) as never, 32 * 1024 * 1024)) {
        if (line <= dialect.skip) continue;
        if (bytes === undefined) {
          add({ file: name, line, reason: 'the line is longer than 32 MB, the most one row may hold' });
          continue;
        }
        if (line === dialect.skip + 1 && unreadableEncoding(bytes)) {
          add({ file: name, line, reason: unreadableEncoding(bytes)! });
          break;
        }
        let text: string;
        try {
          text = utf8.decode(bytes).replace(/\r$/, '');
        } catch {
          add({ file: name, line, reason: 'invalid UTF-8: the line holds bytes that are not UTF-8 text', rawLine: bytes.toString('latin1').slice(0, 1024) });
          continue;
        }
        if (text === '') continue;
        const rawLine = text.slice(0, 1024);
        const fields = splitFields(text, dialect);
        if (fields.length !== columns.length) {
          add({ file: name, line, reason: `the line has ${fields.length} fields, and the COPY loads ${columns.length} columns (delimiter ${JSON.stringify(dialect.delimiter)})`, rawLine });
          continue;
        }
        for (const [i, column] of columns.entries()) {
          const value = fields[i];
          if (value === dialect.nullAs) continue;
          const reason = checkValue({ key: column.key, raw: JSON.stringify(value) }, column);
          if (reason) {
            add({ file: name, line, column: column.column, reason, rawValue: value.slice(0, 256), rawLine });
            break;
          }
        }
      }
    } catch (error) {
      if (isSystemError(error)) throw new SourceReadError(file, error);
      add({ file: name, line: 0, reason: `cannot read the file: ${(error as Error).message}` });
    }
  }
  return { details, badRows };
}
