// Redshift's leader node runs generate_series as a set-returning function
// anywhere: in a select list it gives one row per value, as in PostgreSQL.
// DuckDB has the same name twice: a table function as a FROM item, and a
// scalar that returns a list elsewhere. Outside FROM, the call is unnested so
// it gives rows, in a column named as PostgreSQL names it.
import type { Token } from '../tokenizer.js';
import { closingParen, isPunct, isWord, nextCode, previousCode } from '../tokens.js';
import { fromItemStarts } from '../from-items.js';
import type { RewriteRule } from './rule.js';

/** The set-returning functions Redshift runs in a select list. */
const SET_RETURNING = ['GENERATE_SERIES'];

/** Words that end a select item, so a call just before one is the whole item. */
const ITEM_ENDS = ['FROM', 'WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'UNION', 'INTERSECT', 'EXCEPT', 'MINUS', 'INTO', 'QUALIFY', 'OFFSET'];

function isWholeItem(tokens: Token[], start: number, close: number): boolean {
  const before = tokens[previousCode(tokens, start)];
  const afterAt = nextCode(tokens, close + 1);
  const after = tokens[afterAt];
  const startsItem = isWord(before, 'SELECT', 'DISTINCT', 'ALL') || isPunct(before, ',');
  const endsItem = afterAt === -1 || isPunct(after, ',') || isPunct(after, ')') || isPunct(after, ';') || isWord(after, ...ITEM_ENDS);
  return startsItem && endsItem;
}

export const setReturningRule: RewriteRule = {
  name: 'set-returning',
  does: "generate_series outside FROM gives rows, as Redshift's leader node gives them (DuckDB's scalar of that name gives a list), named generate_series when it is a select item of its own",
  apply(tokens) {
    const fromItems = new Set(fromItemStarts(tokens));
    const out: Token[] = [];
    for (let k = 0; k < tokens.length; k++) {
      const t = tokens[k];
      const open = nextCode(tokens, k + 1);
      if (!isWord(t, ...SET_RETURNING) || fromItems.has(k) || !isPunct(tokens[open], '(') || isPunct(tokens[previousCode(tokens, k)], '.')) {
        out.push(t);
        continue;
      }
      const close = closingParen(tokens, open);
      if (close === -1) {
        out.push(t);
        continue;
      }
      const alias = isWholeItem(tokens, k, close) ? [{ type: 'word', text: ' AS generate_series' } as Token] : [];
      out.push({ type: 'word', text: 'unnest' }, { type: 'punct', text: '(' }, ...tokens.slice(k, close + 1), { type: 'punct', text: ')' }, ...alias);
      k = close;
    }
    return out;
  },
};
