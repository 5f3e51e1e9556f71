// A late-binding view (CREATE VIEW ... WITH NO SCHEMA BINDING) may name
// tables that do not exist yet: Redshift makes it and binds it when it is
// read. DuckDB binds a view when it is made, so the local engine keeps such a
// view until its tables exist. This reads, on tokens, the view's name and the
// relations it reads.
import { classifyTokens } from './classify.js';
import { fromItemStarts } from './from-items.js';
import { tokenize, untokenize, type Token } from './tokenizer.js';
import { isCode, isPunct, isWord, nextCode, skipName } from './tokens.js';

/** The words that end a late-binding view. */
const LATE_BINDING = ['WITH', 'NO', 'SCHEMA', 'BINDING'];

export interface LateBindingView {
  /** The view's name as written, lower case, quotes removed. */
  name: string;
  /** The tables and views it reads (lower case, quotes removed, schema-qualified when written so), WITH names left out. */
  relations: string[];
}

const plainName = (tokens: Token[]) => untokenize(tokens).replace(/"/g, '').replace(/\s+/g, '').toLowerCase();

/** Whether the statement ends in WITH NO SCHEMA BINDING, as a late-binding view does. */
export function endsWithNoSchemaBinding(tokens: Token[]): boolean {
  const code = tokens.filter((t) => isCode(t) && !isPunct(t, ';'));
  const tail = code.slice(-LATE_BINDING.length);
  return tail.length === LATE_BINDING.length && tail.every((t, i) => isWord(t, LATE_BINDING[i]));
}

/** The late-binding view a CREATE [OR REPLACE] VIEW statement makes, or undefined for any other statement. */
export function lateBindingView(sql: string): LateBindingView | undefined {
  const tokens = tokenize(sql);
  if (!classifyTokens(tokens).command.endsWith(' VIEW') || !isWord(tokens.find(isCode), 'CREATE') || !endsWithNoSchemaBinding(tokens)) return undefined;
  const viewAt = nextCode(tokens, tokens.findIndex((t) => isWord(t, 'VIEW')) + 1);
  const name = plainName(tokens.slice(viewAt, skipName(tokens, viewAt)));
  // Names a WITH clause defines (name AS ( ... )) are no relations of their own.
  const defined = new Set<string>();
  tokens.forEach((t, k) => {
    const as = nextCode(tokens, k + 1);
    if ((t.type === 'word' || t.type === 'ident') && isWord(tokens[as], 'AS') && isPunct(tokens[nextCode(tokens, as + 1)], '(')) defined.add(plainName([t]));
  });
  const relations = new Set<string>();
  for (const start of fromItemStarts(tokens)) {
    const end = skipName(tokens, start);
    if (end === start || isPunct(tokens[nextCode(tokens, end)], '(')) continue;
    const relation = plainName(tokens.slice(start, end));
    if (!defined.has(relation)) relations.add(relation);
  }
  return { name, relations: [...relations] };
}
