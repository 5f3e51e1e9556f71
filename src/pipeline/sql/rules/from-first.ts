// DuckDB reads a query that starts with FROM (FROM t, FROM t SELECT a,
// INSERT INTO t FROM s); Redshift has no such form and fails on the FROM.
// Without this rule a script with a forgotten SELECT would run locally and
// fail on Redshift.
import { SqlError } from '../../errors.js';
import type { Token } from '../tokenizer.js';
import { isPunct, isWord, nextCode, previousCode, skipName, skipParens } from '../tokens.js';
import type { RewriteRule } from './rule.js';

/** Words after which a query starts. */
const SET_OPERATORS = ['UNION', 'INTERSECT', 'EXCEPT', 'MINUS', 'ALL'];
/** Words before a parenthesis that opens a subquery rather than a call's arguments. */
const SUBQUERY_OPENERS = [...SET_OPERATORS, 'AS', 'IN', 'EXISTS', 'ANY', 'SOME', 'FROM', 'JOIN'];

/** Where the rows of an INSERT start: after INSERT INTO name and its column list, if any. */
function insertBodyAt(tokens: Token[]): number {
  const insert = nextCode(tokens, 0);
  const into = nextCode(tokens, insert + 1);
  if (!isWord(tokens[insert], 'INSERT') || !isWord(tokens[into], 'INTO')) return -1;
  const nameAt = nextCode(tokens, into + 1);
  const body = nextCode(tokens, skipName(tokens, nameAt));
  return isPunct(tokens[body], '(') && !isWord(tokens[nextCode(tokens, body + 1)], 'SELECT', 'WITH', 'VALUES', 'FROM') ? nextCode(tokens, skipParens(tokens, body)) : body;
}

/** Whether the FROM at `k` starts a query rather than follows a select list. */
function startsQuery(tokens: Token[], k: number, insertBody: number): boolean {
  if (k === insertBody) return true;
  const before = previousCode(tokens, k);
  if (before === -1) return true;
  if (isWord(tokens[before], ...SET_OPERATORS)) return true;
  if (!isPunct(tokens[before], '(')) return false;
  // A parenthesis after a name is a call's (TRIM(FROM s)); otherwise it opens a subquery.
  const opener = tokens[previousCode(tokens, before)];
  return opener === undefined || !(opener.type === 'word' || opener.type === 'ident') || isWord(opener, ...SUBQUERY_OPENERS);
}

export const fromFirstRule: RewriteRule = {
  name: 'from-first',
  does: 'a query that starts with FROM (which DuckDB reads and Redshift does not: FROM t, INSERT INTO t FROM s) fails with the syntax error Redshift gives',
  apply(tokens, context) {
    const insertBody = insertBodyAt(tokens);
    for (let k = 0; k < tokens.length; k++) {
      if (isWord(tokens[k], 'FROM') && startsQuery(tokens, k, insertBody)) throw new SqlError(`syntax error at or near "${tokens[k].text}"`, { sql: context.sql });
    }
    return tokens;
  },
};
