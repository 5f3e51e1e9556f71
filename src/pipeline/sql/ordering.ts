// Whether a query orders its rows itself: an ORDER BY outside any parentheses
// (a subquery's or a window's ORDER BY orders nothing the caller sees).
import { codeTokens, tokenize } from './tokenizer.js';
import { isPunct, isWord } from './tokens.js';

export function ordersRows(sql: string): boolean {
  const code = codeTokens(tokenize(sql));
  let depth = 0;
  for (let i = 0; i < code.length; i++) {
    if (isPunct(code[i], '(')) depth++;
    else if (isPunct(code[i], ')')) depth--;
    else if (depth === 0 && isWord(code[i], 'ORDER') && isWord(code[i + 1], 'BY')) return true;
  }
  return false;
}
