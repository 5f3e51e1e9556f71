// What a CREATE TABLE declares that DuckDB has no place for: the distribution
// and sort keys (DISTSTYLE, DISTKEY, [COMPOUND | INTERLEAVED] SORTKEY, as
// column or table attributes, CTAS included) and the declared lengths of
// character columns. The rewrite drops the clauses and keeps what they said in
// the table's comment; the catalog views (pg_table_def, svv_table_info) and
// the local COPY read it back.
import { codeTokens, type Token } from './tokenizer.js';
import { isPunct, isWord, nextCode, previousCode, skipParens } from './tokens.js';
import { attributeIndexes, type TableLayout } from './rules/table-layout.js';

export interface TableKeys {
  /** As declared; AUTO when the statement names none (Redshift's default). */
  diststyle: 'AUTO' | 'EVEN' | 'KEY' | 'ALL';
  distkey?: string;
  /** The sort key's columns in order (lower case), none for SORTKEY AUTO or no sort key. */
  sortkey: string[];
  interleaved: boolean;
}

export interface TableNotes {
  /** Declared VARCHAR(n) / CHAR(n) lengths in bytes, by lower-case column name. */
  lengths?: Record<string, number>;
  keys?: TableKeys;
}

const identifier = (t: Token) => (t.type === 'ident' ? t.text.slice(1, -1).replace(/""/g, '"') : t.text).toLowerCase();

/** Names inside the parentheses that open at `open`. */
function nameList(tokens: Token[], open: number): string[] {
  return codeTokens(tokens.slice(open + 1, skipParens(tokens, open) - 1))
    .filter((t) => !isPunct(t, ','))
    .map(identifier);
}

const DIST_STYLES = new Set(['AUTO', 'EVEN', 'KEY', 'ALL']);

/** The keys a CREATE TABLE declares, or undefined when it declares none. */
export function declaredKeys(tokens: Token[], layout: TableLayout): TableKeys | undefined {
  let declared = false;
  let style: string | undefined;
  let distkey: string | undefined;
  let sortkey: string[] = [];
  let interleaved = false;
  for (const element of layout.elements) {
    for (const k of attributeIndexes(tokens, element)) {
      if (isWord(tokens[k], 'DISTKEY')) distkey = identifier(tokens[element.first]);
      else if (isWord(tokens[k], 'SORTKEY')) sortkey = [identifier(tokens[element.first])];
      else continue;
      declared = true;
    }
  }
  for (let k = layout.tailStart; k < layout.tailEnd; k++) {
    const t = tokens[k];
    const next = nextCode(tokens, k + 1);
    if (isWord(t, 'DISTSTYLE') && DIST_STYLES.has(tokens[next]?.text.toUpperCase())) style = tokens[next].text.toUpperCase();
    else if (isWord(t, 'DISTKEY') && isPunct(tokens[next], '(')) distkey = nameList(tokens, next)[0];
    else if (isWord(t, 'SORTKEY') && isPunct(tokens[next], '(')) {
      sortkey = nameList(tokens, next);
      interleaved = isWord(tokens[previousCode(tokens, k)], 'INTERLEAVED');
    } else if (!isWord(t, 'SORTKEY')) continue;
    declared = true;
  }
  if (!declared) return undefined;
  const diststyle = (distkey && (style === undefined || style === 'KEY') ? 'KEY' : style ?? 'AUTO') as TableKeys['diststyle'];
  return { diststyle, distkey: diststyle === 'KEY' ? distkey : undefined, sortkey, interleaved };
}

const PREFIX = 'Redshift table: ';
/** The form the comment had when it held only lengths. */
const LENGTHS_PREFIX = 'Redshift lengths: ';

export const notesComment = (notes: TableNotes) => `${PREFIX}${JSON.stringify(notes)}`;

/** The notes a table comment made by notesComment holds, or none. */
export function notesFromComment(comment: string | null | undefined): TableNotes {
  try {
    if (comment?.startsWith(PREFIX)) return JSON.parse(comment.slice(PREFIX.length)) as TableNotes;
    if (comment?.startsWith(LENGTHS_PREFIX)) return { lengths: JSON.parse(comment.slice(LENGTHS_PREFIX.length)) as Record<string, number> };
  } catch {
    return {};
  }
  return {};
}

/**
 * SQL over duckdb_tables() `t` for the keys its comment holds, as the
 * catalog views need them: the notes as JSON (NULL without them).
 */
const NOTES_TEXT = `substr(t.comment, ${PREFIX.length + 1})`;
export const NOTES_JSON = `CASE WHEN t.comment LIKE '${PREFIX}%' AND json_valid(${NOTES_TEXT}) THEN ${NOTES_TEXT}::JSON END`;
