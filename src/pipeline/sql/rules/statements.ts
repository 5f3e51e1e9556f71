// Rules that look at a whole statement: those the local engine cannot run, and COPY.
import { UnsupportedSqlError } from '../../errors.js';
import { parseCopy } from '../copy.js';
import { codeTokens, quoteLiteral, tokenize, unquote, type Token } from '../tokenizer.js';
import { isWord, skipName } from '../tokens.js';
import type { RewriteRule } from './rule.js';

/** A table name in a pattern below. */
const NAME = '<name>';

/** Statements the local engine cannot run, by their leading words (alternatives split by |). */
const UNSUPPORTED_STATEMENTS: [string[], string][] = [
  [['UNLOAD'], 'UNLOAD'],
  [['CREATE', 'EXTERNAL'], 'CREATE EXTERNAL (Redshift Spectrum)'],
  [['CREATE', 'LIBRARY'], 'CREATE LIBRARY'],
  [['CREATE', 'USER|GROUP'], 'CREATE USER / CREATE GROUP'],
  [['GRANT|REVOKE'], 'GRANT / REVOKE'],
  [['ALTER', 'TABLE', NAME, 'APPEND'], 'ALTER TABLE ... APPEND'],
  [['ANALYZE', 'COMPRESSION'], 'ANALYZE COMPRESSION'],
  [['VACUUM', 'FULL|SORT|DELETE|REINDEX|RECLUSTER'], 'VACUUM with options'],
];

function startsWith(code: Token[], pattern: string[]): boolean {
  let i = 0;
  for (const step of pattern) {
    if (step === NAME) {
      const end = skipName(code, i);
      if (end === i) return false;
      i = end;
    } else if (isWord(code[i], ...step.split('|'))) i++;
    else return false;
  }
  return true;
}

export const unsupportedStatementsRule: RewriteRule = {
  name: 'unsupported-statements',
  does: 'UNLOAD, Spectrum, libraries, users and grants, ALTER TABLE APPEND, ANALYZE COMPRESSION and VACUUM options fail with a message naming the construct',
  apply(tokens, context) {
    const code = codeTokens(tokens);
    for (const [pattern, construct] of UNSUPPORTED_STATEMENTS) {
      if (startsWith(code, pattern)) throw new UnsupportedSqlError(construct, context.sql);
    }
    return tokens;
  },
};

export const copyRule: RewriteRule = {
  name: 'copy',
  does: 'COPY ... FORMAT AS JSON is parsed into a load from the local source (jsonpaths by position, auto / auto ignorecase by name, MAXERROR)',
  apply(tokens, context) {
    if (isWord(codeTokens(tokens)[0], 'COPY')) context.copy = parseCopy(context.sql);
    return tokens;
  },
};

/** Redshift's session parameters that only tune the cluster (queues, caching, timeouts, output styles): nothing to set locally. */
const CLUSTER_PARAMETERS = new Set([
  'ANALYZE_THRESHOLD_PERCENT', 'DATESTYLE', 'DESCRIBE_FIELD_NAME_IN_UPPERCASE', 'ENABLE_RESULT_CACHE_FOR_SESSION', 'EXTRA_FLOAT_DIGITS',
  'JSON_PARSE_TRUNCATE_STRINGS', 'MAX_CONCURRENCY_SCALING_CLUSTERS', 'MAX_CURSOR_RESULT_SET_SIZE', 'MV_ENABLE_AQMV_FOR_SESSION',
  'QUERY_GROUP', 'SPECTRUM_QUERY_MAXERROR', 'STATEMENT_TIMEOUT', 'WLM_QUERY_SLOT_COUNT',
]);

export const sessionParametersRule: RewriteRule = {
  name: 'session-parameters',
  does: 'SET and RESET of the session parameters that tune only the cluster (wlm_query_slot_count, query_group, statement_timeout, enable_result_cache_for_session, datestyle...) do nothing',
  apply(tokens, context) {
    const code = codeTokens(tokens);
    const name = isWord(code[1], 'SESSION', 'LOCAL') ? code[2] : code[1];
    if (isWord(code[0], 'SET', 'RESET') && isWord(name) && CLUSTER_PARAMETERS.has(name.text.toUpperCase())) context.noOp = true;
    return tokens;
  },
};

/** SHOW forms that list objects rather than name one parameter. */
const SHOW_LISTS = new Set(['TABLES', 'TABLE', 'DATABASES', 'SCHEMAS', 'COLUMNS', 'VIEW', 'PROCEDURE', 'GRANTS', 'MODEL', 'EXTERNAL', 'DATASHARES', 'ALL']);

export const showRule: RewriteRule = {
  name: 'show',
  does: "SHOW parameter answers with the parameter's value in a column of its name (DuckDB reads SHOW x as a table's description); search_path names the local main schema public",
  apply(tokens) {
    const code = codeTokens(tokens);
    if (code.length !== 2 || !isWord(code[0], 'SHOW') || !isWord(code[1]) || SHOW_LISTS.has(code[1].text.toUpperCase())) return tokens;
    const name = code[1].text.toLowerCase();
    const value = `current_setting(${quoteLiteral(name)})`;
    const shown = name === 'search_path' ? `array_to_string(list_transform(string_split(${value}, ','), s -> CASE WHEN s = 'main' THEN 'public' ELSE s END), ', ')` : value;
    return tokenize(`SELECT ${shown} AS ${name}`);
  },
};

/** Redshift's schemas in a search path, as the local engine names them. */
const LOCAL_SCHEMA: Record<string, string | null> = { public: 'main', $user: null };

export const searchPathRule: RewriteRule = {
  name: 'search-path',
  does: "SET search_path TO a, b becomes SET search_path = 'a,b' (DuckDB takes one value); public is the local main schema, $user is left out",
  apply(tokens) {
    const code = codeTokens(tokens);
    let i = isWord(code[1], 'SESSION', 'LOCAL') ? 2 : 1;
    if (!isWord(code[0], 'SET') || !isWord(code[i], 'SEARCH_PATH')) return tokens;
    i++;
    if (!isWord(code[i], 'TO') && code[i]?.text !== '=') return tokens;
    const schemas: string[] = [];
    for (const t of code.slice(i + 1)) {
      if (t.type === 'punct' && t.text === ',') continue;
      const raw = t.type === 'string' ? unquote(t.text) : t.text.replace(/^"|"$/g, '');
      for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
        const local = part.toLowerCase() in LOCAL_SCHEMA ? LOCAL_SCHEMA[part.toLowerCase()] : t.type === 'ident' ? part : part.toLowerCase();
        if (local && !schemas.includes(local)) schemas.push(local);
      }
    }
    return tokenize(`SET search_path = ${quoteLiteral(schemas.join(',') || 'main')}`);
  },
};
