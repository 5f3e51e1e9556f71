// An INSERT with no column list fills the table's columns from the first, in
// order; Redshift (as Postgres) gives the columns past the last value their
// defaults (IDENTITY ones their next value), where DuckDB refuses the row.
// This finds such an INSERT on tokens and writes the column list in.
import { tokenize, untokenize, type Token } from './tokenizer.js';
import { closingParen, isCode, isPunct, isWord, nextCode, skipName } from './tokens.js';

export interface InsertWithoutColumns {
  /** The target as written (schema-qualified, quotes kept). */
  table: string;
  /** The query that gives the rows (VALUES ..., SELECT ..., WITH ...). */
  body: string;
  /** How many values each row of a VALUES list has; undefined for a query. */
  valuesWidth?: number;
}

const BODY_STARTS = ['SELECT', 'WITH', 'VALUES'];

function parse(tokens: Token[]): (InsertWithoutColumns & { nameEnd: number }) | undefined {
  const insert = nextCode(tokens, 0);
  const into = nextCode(tokens, insert + 1);
  if (!isWord(tokens[insert], 'INSERT') || !isWord(tokens[into], 'INTO')) return undefined;
  const nameAt = nextCode(tokens, into + 1);
  const nameEnd = skipName(tokens, nameAt);
  if (nameEnd === nameAt) return undefined;
  const bodyAt = nextCode(tokens, nameEnd);
  // A parenthesis after the name is a column list unless a query opens it.
  if (isPunct(tokens[bodyAt], '(') && !isWord(tokens[nextCode(tokens, bodyAt + 1)], ...BODY_STARTS)) return undefined;
  if (!isPunct(tokens[bodyAt], '(') && !isWord(tokens[bodyAt], ...BODY_STARTS)) return undefined;
  const table = untokenize(tokens.slice(nameAt, nameEnd));
  const body = untokenize(tokens.slice(bodyAt)).trim().replace(/;$/, '');
  let valuesWidth: number | undefined;
  if (isWord(tokens[bodyAt], 'VALUES')) {
    const open = nextCode(tokens, bodyAt + 1);
    const close = closingParen(tokens, open);
    if (!isPunct(tokens[open], '(') || close === -1) return undefined;
    valuesWidth = 1;
    for (let k = open + 1, depth = 0; k < close; k++) {
      if (isPunct(tokens[k], '(')) depth++;
      else if (isPunct(tokens[k], ')')) depth--;
      else if (depth === 0 && isPunct(tokens[k], ',')) valuesWidth++;
    }
    if (!tokens.slice(open + 1, close).some(isCode)) return undefined;
  }
  return { table, body, valuesWidth, nameEnd };
}

/** The INSERT's target and rows when it names no columns; undefined for any other statement. */
export function insertWithoutColumnList(sql: string): InsertWithoutColumns | undefined {
  const found = parse(tokenize(sql));
  return found && { table: found.table, body: found.body, valuesWidth: found.valuesWidth };
}

/** The INSERT with `columns` (quoted identifiers) listed after its target. */
export function withColumnList(sql: string, columns: string[]): string {
  const tokens = tokenize(sql);
  const found = parse(tokens);
  if (!found) return sql;
  return `${untokenize(tokens.slice(0, found.nameEnd))} (${columns.join(', ')})${untokenize(tokens.slice(found.nameEnd))}`;
}
