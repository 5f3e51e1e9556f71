// A table made with CREATE TABLE ... AS (or SELECT ... INTO) and a view take
// their column names from the query as Redshift names them: `count` for
// count(*), `?column?` for a + 1, `varchar` for a cast of a literal.
// DuckDB would name such columns after the expression's text (`count_star()`,
// `(a + 1)`), and after the text the rewrite made of it besides.
import { classifyTokens } from '../classify.js';
import { namesToGive } from '../result-names.js';
import { codeTokens, type Token } from '../tokenizer.js';
import { isPunct, isWord, nextCode, skipName } from '../tokens.js';
import type { RewriteRule } from './rule.js';
import { tableLayout } from './table-layout.js';

/** Whether a SELECT has an INTO at its own level (SELECT ... INTO t FROM ...). */
function selectsInto(tokens: Token[]): boolean {
  if (!isWord(tokens[nextCode(tokens, 0)], 'SELECT')) return false;
  let depth = 0;
  for (const t of tokens) {
    if (isPunct(t, '(')) depth++;
    else if (isPunct(t, ')')) depth--;
    else if (depth === 0 && isWord(t, 'INTO')) return true;
  }
  return false;
}

/** Index of the first token of the query a CTAS, SELECT ... INTO or CREATE VIEW makes its relation from, or -1 (also when it names its columns itself). */
function queryStart(tokens: Token[]): number {
  if (selectsInto(tokens)) return 0;
  const layout = tableLayout(tokens);
  if (layout) return layout.open === -1 && layout.tailEnd < tokens.length ? layout.tailEnd + 1 : -1;
  if (!isWord(tokens[nextCode(tokens, 0)], 'CREATE') || !classifyTokens(tokens).command.endsWith(' VIEW')) return -1;
  const view = tokens.findIndex((t) => isWord(t, 'VIEW'));
  const as = nextCode(tokens, skipName(tokens, nextCode(tokens, view + 1)));
  return isWord(tokens[as], 'AS') ? as + 1 : -1;
}

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

export const createdNamesRule: RewriteRule = {
  name: 'created-names',
  does: "CREATE TABLE ... AS, SELECT ... INTO and CREATE VIEW ... AS name each unaliased select-list item that is not a plain column as Redshift names it (count, ?column?, date_add...), so the table's or view's columns are Redshift's",
  apply(tokens) {
    const start = queryStart(tokens);
    if (start === -1) return tokens;
    const names = new Map(namesToGive(codeTokens(tokens.slice(start))).map(({ after, name }) => [after, name]));
    if (names.size === 0) return tokens;
    return tokens.flatMap((t) => {
      const name = names.get(t);
      return name === undefined ? [t] : [t, { type: 'space', text: ' ' }, { type: 'word', text: 'AS' }, { type: 'space', text: ' ' }, { type: 'ident', text: quoted(name) }];
    });
  },
};
