// Statements that leave something behind in the session that ran them: a
// setting, a temporary table, an open transaction. A prompt that runs one
// keeps a session of its own from then on, so the next statement sees it.
import { codeTokens, tokenize } from './tokenizer.js';
import { isWord } from './tokens.js';

const TEMPORARY = ['TEMP', 'TEMPORARY'];

export function leavesSessionState(sql: string): boolean {
  const code = codeTokens(tokenize(sql));
  const verb = code[0]?.type === 'word' ? code[0].text.toUpperCase() : '';
  if (['SET', 'RESET', 'BEGIN', 'START', 'PREPARE', 'DECLARE'].includes(verb)) return true;
  // CREATE [LOCAL] TEMP TABLE ..., and SELECT ... INTO TEMP t.
  if (verb === 'CREATE') return code.slice(1, 4).some((t) => isWord(t, ...TEMPORARY));
  if (verb === 'SELECT' || verb === 'WITH') return code.some((t, i) => isWord(t, 'INTO') && isWord(code[i + 1], ...TEMPORARY));
  return false;
}
