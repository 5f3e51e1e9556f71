// Rules for types and expressions anywhere in a statement.
import type { Token } from '../tokenizer.js';
import { isPunct, isWord, nextCode } from '../tokens.js';
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
