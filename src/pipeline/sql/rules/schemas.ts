// Redshift's default schema, public, is the local engine's main schema: a
// name qualified with public. reads and writes the tables that unqualified
// names (and the search path's public) reach.
import { SqlError } from '../../errors.js';
import { codeTokens, type Token } from '../tokenizer.js';
import { isPunct, isWord, previousCode } from '../tokens.js';
import type { RewriteRule } from './rule.js';

const isPublic = (t: Token | undefined): boolean => isWord(t, 'PUBLIC') || t?.text === '"public"';

export const publicSchemaRule: RewriteRule = {
  name: 'public-schema',
  does: "the schema public is the local main schema: public.t and \"public\".t name main.t; CREATE SCHEMA IF NOT EXISTS public does nothing and CREATE SCHEMA public fails as on Redshift, where it always exists",
  apply(tokens, context) {
    const code = codeTokens(tokens);
    if (isWord(code[0], 'CREATE') && isWord(code[1], 'SCHEMA')) {
      const ifNotExists = isWord(code[2], 'IF') && isWord(code[3], 'NOT') && isWord(code[4], 'EXISTS');
      if (isPublic(code[ifNotExists ? 5 : 2])) {
        if (!ifNotExists) throw new SqlError('schema "public" already exists', { sql: context.sql });
        context.noOp = true;
        return tokens;
      }
    }
    return tokens.map((t, k) => (isPublic(t) && isPunct(tokens[k + 1], '.') && !isPunct(tokens[previousCode(tokens, k)], '.') ? { type: 'word', text: 'main' } : t));
  },
};
