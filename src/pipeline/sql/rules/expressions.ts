// Rules for types and expressions anywhere in a statement.
import type { Token } from '../tokenizer.js';
import { isPunct, isWord, nextCode, previousCode } from '../tokens.js';
import type { RewriteRule } from './rule.js';

export const varcharMaxRule: RewriteRule = {
  name: 'varchar-max',
  does: 'VARCHAR(MAX) becomes VARCHAR',
  apply(tokens) {
    const out: Token[] = [];
    for (let k = 0; k < tokens.length; k++) {
      const t = tokens[k];
      out.push(t);
      if (!isWord(t, 'VARCHAR', 'VARYING', 'CHAR', 'CHARACTER', 'NVARCHAR')) continue;
      const open = nextCode(tokens, k + 1);
      const inner = nextCode(tokens, open + 1);
      const close = nextCode(tokens, inner + 1);
      if (isPunct(tokens[open], '(') && isWord(tokens[inner], 'MAX') && isPunct(tokens[close], ')')) k = close;
    }
    return out;
  },
};

export const sysdateRule: RewriteRule = {
  name: 'sysdate',
  does: 'bare SYSDATE (Redshift writes it without parentheses) calls the sysdate() macro',
  apply(tokens) {
    return tokens.map((t, k) => (isWord(t, 'SYSDATE') && !isPunct(tokens[nextCode(tokens, k + 1)], '(') ? { type: 'word', text: 'sysdate()' } : t));
  },
};

export const collateRule: RewriteRule = {
  name: 'collate',
  does: "COLLATE CASE_INSENSITIVE (on a column or an expression) becomes DuckDB's NOCASE; COLLATE CASE_SENSITIVE, the default, is dropped",
  apply(tokens) {
    const out: Token[] = [];
    for (let k = 0; k < tokens.length; k++) {
      const collation = nextCode(tokens, k + 1);
      if (isWord(tokens[k], 'COLLATE') && isWord(tokens[collation], 'CASE_INSENSITIVE')) {
        out.push(tokens[k], { type: 'space', text: ' ' }, { type: 'word', text: 'NOCASE' });
        k = collation;
      } else if (isWord(tokens[k], 'COLLATE') && isWord(tokens[collation], 'CASE_SENSITIVE')) k = collation;
      else out.push(tokens[k]);
    }
    return out;
  },
};

export const tempNamesRule: RewriteRule = {
  name: 'temp-names',
  does: 'a table name that starts with # (#stage) is a temporary table: CREATE TABLE #stage makes a TEMP table named "#stage", and #stage names it',
  apply(tokens) {
    const out: Token[] = [];
    for (let k = 0; k < tokens.length; k++) {
      const t = tokens[k];
      if (!isPunct(t, '#') || tokens[k + 1]?.type !== 'word') {
        out.push(t);
        continue;
      }
      const before = previousCode(tokens, k);
      if (isWord(tokens[before], 'TABLE') && isWord(tokens[previousCode(tokens, before)], 'CREATE')) out.splice(out.lastIndexOf(tokens[before]), 0, { type: 'word', text: 'TEMP' }, { type: 'space', text: ' ' });
      out.push({ type: 'ident', text: `"#${tokens[k + 1].text}"` });
      k++;
    }
    return out;
  },
};
