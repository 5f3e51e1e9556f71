// The relations a statement names, read on tokens.
import { codeTokens, tokenize } from './tokenizer.js';

/** Names after FROM, JOIN, INTO, UPDATE, TABLE and SCHEMA, lower-cased (schema.table where qualified). */
export function relationNames(sql: string): string[] {
  const code = codeTokens(tokenize(sql));
  const names: string[] = [];
  for (let i = 0; i < code.length - 1; i++) {
    if (code[i].type !== 'word' || !['FROM', 'JOIN', 'INTO', 'UPDATE', 'TABLE', 'SCHEMA'].includes(code[i].text.toUpperCase())) continue;
    let at = i + 1;
    if (['IF', 'ONLY'].includes(code[at].text.toUpperCase())) at += code[at].text.toUpperCase() === 'IF' ? 3 : 1;
    const first = code[at];
    if (!first || (first.type !== 'word' && first.type !== 'ident')) continue;
    let name = first.text.replace(/"/g, '');
    if (code[at + 1]?.text === '.' && code[at + 2]) name += `.${code[at + 2].text.replace(/"/g, '')}`;
    names.push(name.toLowerCase());
  }
  return names;
}
