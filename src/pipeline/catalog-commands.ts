// The catalog queries behind psql's describing commands (`\dn`, `\dt`, `\d`,
// `\d+`, `\l`), for each engine. Both have information_schema; Redshift keeps
// its storage choices (dist style, dist key, sort key) in pg_class_info and
// pg_attribute, and its databases in pg_database.
import { UsageError } from './errors.js';
import { quoteLiteral } from './sql/tokenizer.js';
import { notLoadView } from './warehouse/load-views.js';

export type CatalogTarget = 'local' | 'redshift';

const SYSTEM_SCHEMAS = "('information_schema', 'pg_catalog', 'pg_internal', 'pg_toast', 'pg_automv', 'catalog_history')";
/** The user's tables in information_schema.tables or .columns (as `prefix`). */
const userTables = (prefix = '') =>
  `${prefix}table_catalog = current_database() and ${prefix}table_schema not in ${SYSTEM_SCHEMAS} and ${prefix}table_schema not like 'pg_temp%' and ${notLoadView(prefix)}`;
/** LIKE's escape character in the patterns below: not a backslash, whose meaning in a literal differs between engines. */
const ESCAPE = '!';

/** A psql pattern as LIKE patterns: `*` any text, `?` one character, `schema.name`; unquoted letters fold to lower case, "quoted" ones keep theirs and their `*`. */
export interface NamePattern {
  schema?: string;
  name?: string;
}

export function parseNamePattern(text: string): NamePattern {
  const parts: string[] = [''];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      if (quoted && text[i + 1] === '"') {
        parts[parts.length - 1] += '"';
        i++;
      } else quoted = !quoted;
    } else if (!quoted && ch === '.') parts.push('');
    else if (!quoted && ch === '*') parts[parts.length - 1] += '%';
    else if (!quoted && ch === '?') parts[parts.length - 1] += '_';
    else if (ch === '%' || ch === '_' || ch === ESCAPE) parts[parts.length - 1] += ESCAPE + ch;
    else parts[parts.length - 1] += quoted ? ch : ch.toLowerCase();
  }
  if (quoted) throw new UsageError(`unterminated quoted name in ${text}`, 'close the double quote, as in "MyTable"');
  if (parts.length > 2 || (parts.length === 2 && parts[0] === '')) {
    throw new UsageError(`not a name pattern: ${text}`, 'write a name or schema.name; * matches any text and ? one character');
  }
  // An empty part or a lone * matches everything, as in psql (a % typed is escaped, so a bare % came from *).
  const pattern = (part: string) => (part === '' || /^%+$/.test(part) ? undefined : part);
  if (parts.length === 1) return { name: pattern(parts[0]) };
  return { schema: pattern(parts[0]), name: pattern(parts[1]) };
}

function likeClauses(pattern: NamePattern, schemaColumn: string, nameColumn: string): string[] {
  const clauses: string[] = [];
  if (pattern.schema !== undefined) clauses.push(`${schemaColumn} like ${quoteLiteral(pattern.schema)} escape '${ESCAPE}'`);
  if (pattern.name !== undefined) clauses.push(`${nameColumn} like ${quoteLiteral(pattern.name)} escape '${ESCAPE}'`);
  return clauses;
}

/** `\dn`: the user's schemas. */
export function listSchemasSql(): string {
  return `select schema_name as name, schema_owner as owner
from information_schema.schemata
where catalog_name = current_database() and schema_name not in ${SYSTEM_SCHEMAS} and schema_name not like 'pg_temp%'
order by schema_name`;
}

/** `\dt [pattern]`: tables and views, those matching the pattern when one is given. */
export function listTablesSql(patternText = ''): string {
  const where = [userTables(), ...likeClauses(parseNamePattern(patternText), 'table_schema', 'table_name')];
  return `select table_schema as schema, table_name as name,
  case table_type when 'BASE TABLE' then 'table' when 'LOCAL TEMPORARY' then 'temporary table' else lower(table_type) end as type
from information_schema.tables
where ${where.join(' and ')}
order by table_schema, table_name`;
}

/** The table a `\d` names: one name or schema.name, no wildcards. */
function tableName(text: string): { schema?: string; table: string } {
  if (text.trim() === '') throw new UsageError('\\d+ needs a table name', 'write \\d+ table or \\d+ schema.table');
  if (/[*?]/.test(text.replace(/"[^"]*"/g, ''))) throw new UsageError(`\\d takes one table, not a pattern: ${text}`, '\\dt PATTERN lists the tables a pattern matches');
  const pattern = parseNamePattern(text);
  const unescape = (part: string) => part.replace(new RegExp(`${ESCAPE}(.)`, 'g'), '$1');
  if (pattern.name === undefined) throw new UsageError(`not a table name: ${text}`, 'write \\d table or \\d schema.table');
  return { schema: pattern.schema === undefined ? undefined : unescape(pattern.schema), table: unescape(pattern.name) };
}

/**
 * `\d table` and `\d+ table`: columns, types, nullability and defaults in
 * table order; on Redshift `\d+` adds the table's dist style (on its first
 * row), which column is the dist key and each column's place in the sort key.
 */
export function describeTableSql(target: CatalogTarget, text: string, plus: boolean): string {
  const { schema, table } = tableName(text);
  const where = [userTables('c.'), `c.table_name = ${quoteLiteral(table)}`];
  if (schema !== undefined) where.push(`c.table_schema = ${quoteLiteral(schema)}`);
  const columns = `c.table_schema as schema, c.table_name as table, c.column_name as column, c.data_type as type,
  case when c.is_nullable = 'NO' then 'not null' else '' end as nullable, coalesce(c.column_default, '') as default`;
  if (target === 'local' || !plus) {
    return `select ${columns}
from information_schema.columns c
where ${where.join(' and ')}
order by c.table_schema, c.table_name, c.ordinal_position`;
  }
  // Every relation here is a leader-node catalog. A query that also reads an
  // SVV or STV view (svv_table_info) is sent to the compute nodes, where
  // information_schema's functions do not run ("not supported on Redshift
  // tables"), and svv_table_info leaves empty tables out; pg_table_def lists
  // only tables on the search path. So the dist style comes from
  // pg_class_info.releffectivediststyle (Developer Guide, PG_CLASS_INFO and
  // "Viewing distribution styles") and each column's dist key and sort key place
  // from pg_attribute's attisdistkey and attsortkeyord, the columns pg_table_def
  // itself shows (as awslabs/amazon-redshift-utils' v_generate_tbl_ddl reads them).
  return `select ${columns},
  case when c.ordinal_position = 1 then ${DIST_STYLE} else '' end as diststyle,
  case when a.attisdistkey then 'yes' else '' end as distkey,
  nullif(a.attsortkeyord, 0) as sortkey
from information_schema.columns c
join pg_namespace n on n.nspname = c.table_schema
join pg_class_info r on r.relnamespace = n.oid and r.relname = c.table_name
join pg_attribute a on a.attrelid = r.reloid and a.attname = c.column_name
left join pg_attribute k on k.attrelid = r.reloid and k.attisdistkey
where ${where.join(' and ')}
order by c.table_schema, c.table_name, c.ordinal_position`;
}

/** releffectivediststyle in words, as svv_table_info writes it (a view without a style shows none). */
const DIST_STYLE = `case r.releffectivediststyle when 0 then 'EVEN' when 1 then 'KEY(' || k.attname || ')' when 8 then 'ALL'
    when 10 then 'AUTO(ALL)' when 11 then 'AUTO(EVEN)' when 12 then 'AUTO(KEY(' || k.attname || '))' else '' end`;

/** `\l`: the databases (the local engine: the attached files). */
export function listDatabasesSql(target: CatalogTarget): string {
  if (target === 'local') {
    return `select database_name as name, coalesce(path, '') as path, readonly
from sparkify_databases
where not internal
order by database_name`;
  }
  return `select datname as name
from pg_database
where datname not like 'template%' and datname <> 'padb_harvest'
order by datname`;
}
