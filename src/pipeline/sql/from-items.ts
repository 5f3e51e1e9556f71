// Where a statement names its FROM items: the token after FROM, JOIN, or a
// comma of a FROM list, at the depth of its own query. The rewrite asks which
// of them call a table function or name a file, which Redshift does not read.
import type { Token } from './tokenizer.js';
import { isCode, isPunct, isWord, previousCode } from './tokens.js';

/** Calls whose arguments use FROM as a word (EXTRACT(day FROM d), TRIM('x' FROM s)), not as a clause. */
const FROM_IN_ARGUMENTS = ['EXTRACT', 'TRIM', 'SUBSTRING', 'OVERLAY'];

/** Words that end a FROM list at their own depth. */
const AFTER_FROM = ['WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'OFFSET', 'QUALIFY', 'WINDOW', 'UNION', 'INTERSECT', 'EXCEPT', 'MINUS', 'SELECT', 'RETURNING', 'SET', 'VALUES'];

interface Depth {
  /** A FROM list is open here: a comma starts the next item. */
  inFrom: boolean;
  /** The parentheses are the arguments of a call that takes FROM as a word. */
  arguments: boolean;
}

/** Whether the FROM at `k` is the comparison a IS [NOT] DISTINCT FROM b. */
function isDistinctFrom(tokens: Token[], k: number): boolean {
  const distinct = previousCode(tokens, k);
  return isWord(tokens[distinct], 'DISTINCT') && isWord(tokens[previousCode(tokens, distinct)], 'IS', 'NOT');
}

/** Indexes of the first code token of every FROM item (after LATERAL, when it is there). */
export function fromItemStarts(tokens: Token[]): number[] {
  const starts: number[] = [];
  const depths: Depth[] = [{ inFrom: false, arguments: false }];
  let expectItem = false;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (!isCode(t)) continue;
    if (expectItem && !isWord(t, 'LATERAL')) {
      starts.push(k);
      expectItem = false;
    }
    const depth = depths[depths.length - 1];
    if (isPunct(t, '(')) depths.push({ inFrom: false, arguments: isWord(tokens[previousCode(tokens, k)], ...FROM_IN_ARGUMENTS) });
    else if (isPunct(t, ')')) {
      if (depths.length > 1) depths.pop();
    } else if (depth.arguments) continue;
    else if (isWord(t, 'FROM', 'JOIN') && !isDistinctFrom(tokens, k)) {
      depth.inFrom = true;
      expectItem = true;
    } else if (isWord(t, ...AFTER_FROM)) depth.inFrom = false;
    else if (isPunct(t, ',') && depth.inFrom) expectItem = true;
  }
  return starts;
}
