// Redshift statement forms DuckDB writes another way: SELECT TOP n,
// SELECT ... INTO a new table, CREATE TABLE (LIKE ...), and the catalog
// views people query (pg_table_def, svv_tables, svv_columns, svv_table_info,
// and information_schema.columns with Redshift's type names).
import { UnsupportedSqlError } from '../errors.js';
import type { RewriteRule } from './rules/rule.js';
import { untokenize, type Token } from './tokenizer.js';
import { classifyTokens } from './classify.js';
import { NOTES_JSON } from './table-notes.js';
import { endsWithNoSchemaBinding } from './late-views.js';
import { closingParen, isCode, isPunct, isWord, nextCode, skipName } from './tokens.js';

const word = (text: string): Token => ({ type: 'word', text });

/** Index of the `)` closing the group `at` is in, or the end of the statement. */
function scopeEnd(tokens: Token[], at: number): number {
  let depth = 0;
  for (let i = at; i < tokens.length; i++) {
    if (isPunct(tokens[i], '(')) depth++;
    if (isPunct(tokens[i], ')') && --depth < 0) return i;
  }
  return tokens.length;
}

export const minusRule: RewriteRule = {
  name: 'minus',
  does: "MINUS, Redshift's other name for EXCEPT, becomes EXCEPT (a column or table named minus is quoted, as the word is reserved)",
  apply: (tokens) => tokens.map((t) => (isWord(t, 'MINUS') ? { ...t, text: 'EXCEPT' } : t)),
};

export const lateBindingViewRule: RewriteRule = {
  name: 'late-binding-view',
  does: 'CREATE VIEW ... WITH NO SCHEMA BINDING makes the view without the clause: DuckDB binds a view to its tables when it reads it, as a late-binding view does (one over tables not made yet waits for them, see late-views.ts)',
  apply(tokens) {
    if (!classifyTokens(tokens).command.endsWith(' VIEW') || !isWord(tokens.find(isCode), 'CREATE') || !endsWithNoSchemaBinding(tokens)) return tokens;
    let end = tokens.length;
    for (let seen = 0; seen < 4; ) if (isCode(tokens[--end]) && !isPunct(tokens[end], ';')) seen++;
    return tokens.slice(0, end);
  },
};

export const topRule: RewriteRule = {
  name: 'top',
  does: 'SELECT TOP n becomes a LIMIT n at the end of that SELECT',
  apply(tokens) {
    let out = tokens;
    for (let k = 0; k < out.length; k++) {
      if (!isWord(out[k], 'SELECT')) continue;
      const top = nextCode(out, k + 1);
      const count = nextCode(out, top + 1);
      if (!isWord(out[top], 'TOP') || out[count]?.type !== 'number') continue;
      const end = scopeEnd(out, count + 1);
      const limit = out[count].text;
      out = [...out.slice(0, top), ...out.slice(count + 1, end), word(` LIMIT ${limit}`), ...out.slice(end)];
    }
    return out;
  },
};

export const selectIntoRule: RewriteRule = {
  name: 'select-into',
  does: 'SELECT ... INTO [TEMP] [TABLE] name FROM ... becomes CREATE [TEMP] TABLE name AS SELECT ... FROM ...',
  apply(tokens) {
    const first = nextCode(tokens, 0);
    if (!isWord(tokens[first], 'SELECT')) return tokens;
    let depth = 0;
    for (let k = first; k < tokens.length; k++) {
      if (isPunct(tokens[k], '(')) depth++;
      if (isPunct(tokens[k], ')')) depth--;
      if (depth !== 0 || !isWord(tokens[k], 'INTO')) continue;
      let at = nextCode(tokens, k + 1);
      let temp = false;
      if (isWord(tokens[at], 'TEMP', 'TEMPORARY')) {
        temp = true;
        at = nextCode(tokens, at + 1);
      }
      if (isWord(tokens[at], 'TABLE')) at = nextCode(tokens, at + 1);
      const nameEnd = skipName(tokens, at);
      const name = untokenize(tokens.slice(at, nameEnd));
      return [word(`CREATE ${temp ? 'TEMP ' : ''}TABLE ${name} AS `), ...tokens.slice(first, k), ...tokens.slice(nameEnd)];
    }
    return tokens;
  },
};

export const createLikeRule: RewriteRule = {
  name: 'create-like',
  does: 'CREATE [TEMP] TABLE t (LIKE source) makes an empty table with the columns of source',
  apply(tokens) {
    const code = tokens.filter(isCode);
    if (!isWord(code[0], 'CREATE')) return tokens;
    const tableAt = tokens.findIndex((t) => isWord(t, 'TABLE'));
    const open = tableAt === -1 ? -1 : tokens.findIndex((t, i) => i > tableAt && isPunct(t, '('));
    const like = open === -1 ? -1 : nextCode(tokens, open + 1);
    if (!isWord(tokens[like], 'LIKE')) return tokens;
    const close = closingParen(tokens, open);
    const sourceAt = nextCode(tokens, like + 1);
    const sourceEnd = skipName(tokens, sourceAt);
    const options = untokenize(tokens.slice(sourceEnd, close)).trim();
    if (/INCLUDING\s+DEFAULTS/i.test(options)) throw new UnsupportedSqlError('CREATE TABLE (LIKE ... INCLUDING DEFAULTS)');
    const source = untokenize(tokens.slice(sourceAt, sourceEnd));
    // Storage attributes after the parenthesis (DISTKEY, SORTKEY...) are left for the storage rule.
    return [...tokens.slice(0, open), ...tokens.slice(close + 1), word(` AS SELECT * FROM ${source} LIMIT 0`)];
  },
};

/** Redshift's names for DuckDB's column types. */
const REDSHIFT_TYPE = `CASE
  WHEN c.data_type = 'VARCHAR' THEN 'character varying'
  WHEN c.data_type = 'INTEGER' THEN 'integer'
  WHEN c.data_type = 'BIGINT' THEN 'bigint'
  WHEN c.data_type = 'SMALLINT' THEN 'smallint'
  WHEN c.data_type = 'BOOLEAN' THEN 'boolean'
  WHEN c.data_type = 'DOUBLE' THEN 'double precision'
  WHEN c.data_type = 'FLOAT' THEN 'real'
  WHEN c.data_type = 'DATE' THEN 'date'
  WHEN c.data_type = 'TIMESTAMP' THEN 'timestamp without time zone'
  WHEN c.data_type = 'TIMESTAMP WITH TIME ZONE' THEN 'timestamp with time zone'
  WHEN c.data_type = 'TIME' THEN 'time without time zone'
  WHEN c.data_type LIKE 'DECIMAL%' THEN replace(lower(c.data_type), 'decimal', 'numeric')
  ELSE lower(c.data_type) END`;

/** Redshift's name for the schema a local table is in: main is public. */
const REDSHIFT_SCHEMA = (column: string) => `CASE WHEN ${column} = 'main' THEN 'public' ELSE ${column} END`;

/** The load views the local file keeps in main: system views on Redshift, not tables of public. */
const LOAD_VIEWS = "('stl_load_errors', 'stl_load_commits', 'sys_load_error_detail', 'sys_load_detail')";

const USER_COLUMNS_WHERE = `c.table_schema NOT IN ('information_schema', 'pg_catalog') AND c.table_catalog NOT IN ('system', 'temp')
    AND NOT (c.table_schema = 'main' AND c.table_name IN ${LOAD_VIEWS})`;
const USER_COLUMNS = `information_schema.columns c
  WHERE ${USER_COLUMNS_WHERE}`;

/** Each table's notes (table-notes.ts): the keys its CREATE TABLE declared. */
const TABLE_NOTES = `(SELECT t.database_name, t.schema_name, t.table_name, ${NOTES_JSON} AS notes FROM duckdb_tables() t) n`;

/**
 * A column's place in the sort key as pg_table_def gives it: 0 outside it;
 * its position in a compound key; in an interleaved one, the position
 * negative for every other column (-1, 2, -3, ...), as the guide's example shows.
 */
const SORTKEY_PLACE = `CASE WHEN k.place % 2 = 1 AND k.interleaved THEN -k.place ELSE k.place END`;

export const CATALOG_VIEWS = [
  `CREATE OR REPLACE TEMP VIEW pg_table_def AS SELECT ${REDSHIFT_SCHEMA('c.table_schema')} AS schemaname, c.table_name AS tablename, c.column_name AS "column",
     ${REDSHIFT_TYPE} AS type, 'none' AS encoding, k.distkey, (${SORTKEY_PLACE})::INTEGER AS sortkey, c.is_nullable = 'NO' AS notnull
   FROM information_schema.columns c
   LEFT JOIN ${TABLE_NOTES} ON n.database_name = c.table_catalog AND n.schema_name = c.table_schema AND n.table_name = c.table_name,
   LATERAL (SELECT coalesce(lower(c.column_name) = json_extract_string(n.notes, '$.keys.distkey'), false) AS distkey,
     coalesce(list_position(json_extract_string(n.notes, '$.keys.sortkey[*]'), lower(c.column_name)), 0) AS place,
     coalesce(json_extract(n.notes, '$.keys.interleaved')::BOOLEAN, false) AS interleaved) k
   WHERE ${USER_COLUMNS_WHERE}`,
  `CREATE OR REPLACE TEMP VIEW svv_tables AS SELECT table_catalog, ${REDSHIFT_SCHEMA('table_schema')} AS table_schema, table_name, table_type, NULL::VARCHAR AS remarks
   FROM information_schema.tables WHERE table_schema NOT IN ('information_schema', 'pg_catalog') AND table_catalog NOT IN ('system', 'temp')
     AND NOT (table_schema = 'main' AND table_name IN ${LOAD_VIEWS})`,
  `CREATE OR REPLACE TEMP VIEW svv_columns AS SELECT c.table_catalog, ${REDSHIFT_SCHEMA('c.table_schema')} AS table_schema, c.table_name, c.column_name, c.ordinal_position,
     c.column_default, c.is_nullable, ${REDSHIFT_TYPE} AS data_type, c.character_maximum_length, c.numeric_precision, c.numeric_scale, NULL::VARCHAR AS remarks
   FROM ${USER_COLUMNS}`,
  `CREATE OR REPLACE TEMP VIEW sparkify_information_schema_columns AS SELECT * REPLACE (${REDSHIFT_TYPE} AS data_type)
   FROM information_schema.columns c`,
  // Storage columns the local file has no counterpart for are NULL; table_id is the id stl_load_errors.tbl gives.
  // The dist style and sort key are the declared ones; with none declared, Redshift's defaults for a new
  // table: DISTSTYLE AUTO (ALL while it is small) and SORTKEY AUTO.
  `CREATE OR REPLACE TEMP VIEW svv_table_info AS SELECT t.database_name AS database, ${REDSHIFT_SCHEMA('t.schema_name')} AS schema,
     t.table_oid::INTEGER AS table_id, t.table_name AS "table", 'N' AS encoded,
     CASE json_extract_string(${NOTES_JSON}, '$.keys.diststyle') WHEN 'KEY' THEN 'KEY(' || json_extract_string(${NOTES_JSON}, '$.keys.distkey') || ')'
       WHEN 'EVEN' THEN 'EVEN' WHEN 'ALL' THEN 'ALL' ELSE 'AUTO(ALL)' END AS diststyle,
     coalesce(json_extract_string(${NOTES_JSON}, '$.keys.sortkey[0]'), 'AUTO(SORTKEY)') AS sortkey1,
     NULL::INTEGER AS max_varchar, coalesce(json_array_length(${NOTES_JSON}, '$.keys.sortkey'), 0)::INTEGER AS sortkey_num, NULL::BIGINT AS size, NULL::DECIMAL(10,4) AS pct_used, NULL::DECIMAL(10,4) AS unsorted,
     NULL::DECIMAL(10,2) AS stats_off, t.estimated_size::DECIMAL(38,0) AS tbl_rows, t.estimated_size::DECIMAL(38,0) AS estimated_visible_rows
   FROM duckdb_tables() t WHERE t.database_name = current_database() AND NOT t.internal
     AND NOT (t.schema_name = 'main' AND t.table_name IN ${LOAD_VIEWS})`,
  // \l on the local engine: the attached files, which only DuckDB's own table function lists.
  `CREATE OR REPLACE TEMP VIEW sparkify_databases AS SELECT database_name, path, readonly, internal FROM duckdb_databases()`,
];

export const catalogRule: RewriteRule = {
  name: 'catalog',
  does: "information_schema.columns answers with Redshift's type names (pg_table_def, svv_tables and svv_columns are session views)",
  apply(tokens) {
    const out: Token[] = [];
    for (let k = 0; k < tokens.length; k++) {
      const dot = k + 1;
      if (isWord(tokens[k], 'INFORMATION_SCHEMA') && isPunct(tokens[dot], '.') && isWord(tokens[dot + 1], 'COLUMNS')) {
        out.push(word('sparkify_information_schema_columns'));
        k = dot + 1;
        continue;
      }
      out.push(tokens[k]);
    }
    return out;
  },
};
