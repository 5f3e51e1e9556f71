// ALTER TABLE as Redshift has it: the storage and constraint actions, which
// the local engine has no use for, are accepted and do nothing; ENCODE is
// dropped from an added column; and the actions that change columns are
// noted, for the local engine to run them on a copy of a table with an
// IDENTITY column (DuckDB 1.5 cannot replay a column ALTER of a table whose
// default calls nextval() from its write-ahead log).
import { codeTokens, untokenize, type Token } from '../tokenizer.js';
import { TokenEdits, isWord, nextCode, skipName } from '../tokens.js';
import type { RewriteRule } from './rule.js';

/** A column ALTER to run on a copy of the table: the table as written, the action's SQL, and a column it renames. */
export interface ColumnAlter {
  table: string;
  action: string;
  renamed?: { from: string; to: string };
}

/** Actions that only say how Redshift stores, distributes or constrains the table, by their first words. */
const NO_OP_ACTIONS: string[][] = [
  ['ALTER', 'DISTKEY'], ['ALTER', 'DISTSTYLE'], ['ALTER', 'SORTKEY'], ['ALTER', 'COMPOUND'], ['ALTER', 'INTERLEAVED'], ['ALTER', 'ENCODE'],
  ['ADD', 'PRIMARY'], ['ADD', 'UNIQUE'], ['ADD', 'FOREIGN'], ['ADD', 'CONSTRAINT'], ['DROP', 'CONSTRAINT'], ['OWNER', 'TO'],
];

const COLUMN_ACTIONS = ['ADD', 'DROP', 'RENAME', 'ALTER'];

/** Index of the first code token of the action of an `ALTER TABLE name action`, or -1. */
function actionStart(tokens: Token[]): { name: string; at: number } | undefined {
  const alter = nextCode(tokens, 0);
  const table = nextCode(tokens, alter + 1);
  if (!isWord(tokens[alter], 'ALTER') || !isWord(tokens[table], 'TABLE')) return undefined;
  let first = nextCode(tokens, table + 1);
  if (isWord(tokens[first], 'IF') && isWord(tokens[nextCode(tokens, first + 1)], 'EXISTS')) first = nextCode(tokens, nextCode(tokens, first + 1) + 1);
  const end = skipName(tokens, first);
  if (end === first) return undefined;
  return { name: untokenize(tokens.slice(first, end)), at: nextCode(tokens, end) };
}

const bare = (t: Token | undefined) => (t === undefined ? '' : t.type === 'ident' ? t.text.slice(1, -1).replace(/""/g, '"') : t.text.toLowerCase());

export const alterTableRule: RewriteRule = {
  name: 'alter-table',
  does: 'ALTER TABLE storage and constraint actions (ALTER DISTKEY, DISTSTYLE, SORTKEY, ENCODE; ADD/DROP CONSTRAINT, PRIMARY KEY; OWNER TO) do nothing; ENCODE is dropped from ADD COLUMN; column actions are noted for a table with an IDENTITY column',
  apply(tokens, context) {
    const start = actionStart(tokens);
    if (!start || start.at === -1) return tokens;
    const action = codeTokens(tokens.slice(start.at));
    const words = action.slice(0, 2).map((t) => t.text.toUpperCase());
    const column = isWord(action[1], 'COLUMN') ? 2 : 1;
    if (NO_OP_ACTIONS.some(([a, b]) => words[0] === a && words[1] === b) || (words[0] === 'ALTER' && isWord(action[column + 1], 'ENCODE'))) {
      context.noOp = true;
      return tokens;
    }
    if (!COLUMN_ACTIONS.includes(words[0]) || (words[0] === 'RENAME' && isWord(action[1], 'TO'))) return tokens;
    const edits = new TokenEdits();
    if (words[0] === 'ADD') {
      // ENCODE is an attribute after the column's name and type, never the name or the type.
      let name = nextCode(tokens, start.at + 1);
      if (isWord(tokens[name], 'COLUMN')) name = nextCode(tokens, name + 1);
      const type = nextCode(tokens, name + 1);
      for (let k = type + 1; type !== -1 && k < tokens.length; k++) {
        if (!isWord(tokens[k], 'ENCODE')) continue;
        edits.drop(k, k + 1);
        const value = nextCode(tokens, k + 1);
        if (value !== -1) edits.drop(value, value + 1);
      }
    }
    const out = edits.apply(tokens);
    const outStart = actionStart(out);
    const renamed = words[0] === 'RENAME' && isWord(action[column + 1], 'TO') ? { from: bare(action[column]), to: bare(action[column + 2]) } : undefined;
    if (outStart) context.columnAlter = { table: start.name, action: untokenize(out.slice(outStart.at)), renamed };
    return out;
  },
};
