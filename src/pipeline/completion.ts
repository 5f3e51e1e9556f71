// The warehouse catalog as the SQL prompt uses it: Tab completion of keywords,
// schemas, tables and columns. Read from information_schema, which DuckDB and
// Redshift both have.
import type { QueryResult, Row, Warehouse } from './warehouse/types.js';

export interface CatalogColumn {
  schema: string;
  table: string;
  column: string;
  type: string;
}

export interface CatalogTable {
  schema: string;
  name: string;
}

export interface Catalog {
  schemas: string[];
  tables: CatalogTable[];
  columns: CatalogColumn[];
  /**
   * Schemas unqualified names resolve in, first match first: a table there
   * completes to its bare name, any other to schema.table. Absent, every
   * table completes bare.
   */
  searchPath?: readonly string[];
}

/** The name that reaches `table` from the search path: bare when it is the first of its name on the path, else schema-qualified. */
function reachableName(table: CatalogTable, catalog: Catalog): string {
  const path = catalog.searchPath?.map((schema) => schema.toLowerCase());
  if (!path) return table.name;
  // The local engine calls Redshift's public schema main.
  const rank = (schema: string) => path.indexOf(schema.toLowerCase() === 'main' ? 'public' : schema.toLowerCase());
  const own = rank(table.schema);
  if (own === -1) return `${table.schema}.${table.name}`;
  const shadowed = catalog.tables.some((t) => t.name.toLowerCase() === table.name.toLowerCase() && rank(t.schema) !== -1 && rank(t.schema) < own);
  return shadowed ? `${table.schema}.${table.name}` : table.name;
}

export interface Completion {
  /** Offsets in the text of the word being completed. */
  start: number;
  end: number;
  /** Everything that fits the word, sorted. */
  candidates: string[];
  /** What replaces the word: the one candidate, or the candidates' common prefix. */
  replacement: string;
}

/** Keywords and the functions most star-schema queries use. */
export const SQL_KEYWORDS = [
  'ALL', 'ALTER', 'ANALYZE', 'AND', 'AS', 'ASC', 'AVG', 'BETWEEN', 'BY', 'CASE', 'CAST', 'COALESCE',
  'COUNT', 'CREATE', 'CROSS', 'DATE_TRUNC', 'DELETE', 'DENSE_RANK', 'DESC', 'DISTINCT', 'DROP', 'ELSE',
  'END', 'EXCEPT', 'EXISTS', 'EXPLAIN', 'EXTRACT', 'FALSE', 'FROM', 'FULL', 'GROUP', 'HAVING', 'ILIKE',
  'IN', 'INNER', 'INSERT', 'INTERSECT', 'INTO', 'IS', 'JOIN', 'LAG', 'LEAD', 'LEFT', 'LIKE', 'LIMIT',
  'MAX', 'MIN', 'NOT', 'NULL', 'NULLIF', 'OFFSET', 'ON', 'OR', 'ORDER', 'OUTER', 'OVER', 'PARTITION',
  'RANK', 'RIGHT', 'ROUND', 'ROW_NUMBER', 'SELECT', 'SET', 'SUM', 'TABLE', 'THEN', 'TRUE', 'TRUNCATE',
  'UNION', 'UPDATE', 'USING', 'VALUES', 'VIEW', 'WHEN', 'WHERE', 'WITH',
];

const KEYWORD_SET = new Set(SQL_KEYWORDS);
/** Words after which only a table name makes sense. */
const TABLE_POSITION_WORDS = new Set(['from', 'join', 'into', 'update', 'table', 'describe']);
const SYSTEM_SCHEMAS = "('information_schema', 'pg_catalog', 'pg_internal', 'pg_toast', 'pg_automv', 'catalog_history')";
const USER_SCHEMA = `table_catalog = current_database() and table_schema not in ${SYSTEM_SCHEMAS} and table_schema not like 'pg_temp%'`;

export const CATALOG_COLUMNS_SQL = `select table_schema, table_name, column_name, data_type
from information_schema.columns
where ${USER_SCHEMA}
order by table_schema, table_name, ordinal_position`;

export const CATALOG_SCHEMAS_SQL = `select schema_name
from information_schema.schemata
where catalog_name = current_database() and schema_name not in ${SYSTEM_SCHEMAS} and schema_name not like 'pg_temp%'
order by schema_name`;

/** Reads schemas, tables and columns of the database the warehouse is connected to. */
export async function loadCatalog(warehouse: Warehouse, options: { signal?: AbortSignal } = {}): Promise<Catalog> {
  const [columnRows, schemaRows] = [
    await readAll(await warehouse.query(CATALOG_COLUMNS_SQL, { signal: options.signal })),
    await readAll(await warehouse.query(CATALOG_SCHEMAS_SQL, { signal: options.signal })),
  ];
  const columns = columnRows.map(([schema, table, column, type]) => ({
    schema: String(schema),
    table: String(table),
    column: String(column),
    type: String(type).toLowerCase(),
  }));
  const tables = new Map<string, CatalogTable>();
  for (const { schema, table } of columns) tables.set(`${schema}.${table}`, { schema, name: table });
  const schemas = new Set(schemaRows.map(([schema]) => String(schema)));
  for (const { schema } of tables.values()) schemas.add(schema);
  return { schemas: [...schemas].sort(), tables: [...tables.values()], columns };
}

async function readAll(result: QueryResult): Promise<Row[]> {
  const rows: Row[] = [];
  try {
    for await (const page of result.pages()) rows.push(...page);
  } finally {
    await result.close();
  }
  return rows;
}

/**
 * Completes the word that ends at `cursor`. `schema.` lists that schema's
 * tables; `table.` or `alias.` lists the table's columns; a bare word matches
 * keywords, schemas, tables and the columns of the tables the statement names.
 * Returns undefined when nothing fits.
 */
export function complete(text: string, cursor: number, catalog: Catalog): Completion | undefined {
  let start = cursor;
  while (start > 0 && /[\w."]/.test(text[start - 1])) start -= 1;
  let end = cursor;
  while (end < text.length && /\w/.test(text[end])) end += 1;
  const word = text.slice(start, cursor);
  const dot = word.lastIndexOf('.');
  const qualifier = dot === -1 ? undefined : word.slice(0, dot);
  const partial = word.slice(dot + 1);
  const partialStart = start + dot + 1;

  const pool = qualifier === undefined ? bareCandidates(text, catalog, partial, start) : qualifiedCandidates(text, catalog, qualifier);
  const lowerPartial = unquoteIdentifier(partial).toLowerCase();
  // A table off the search path is offered as schema.table, found by its own name.
  const fits = (name: string) => name.toLowerCase().startsWith(lowerPartial) || (qualifier === undefined && name.slice(name.lastIndexOf('.') + 1).toLowerCase().startsWith(lowerPartial));
  const candidates = [...new Set(pool.filter(fits))].sort(compareNames);
  if (candidates.length === 0) return undefined;

  let replacement: string;
  if (candidates.length === 1) {
    const only = candidates[0];
    const isSchemaOnly = qualifier === undefined && catalog.schemas.includes(only) && !catalog.tables.some((t) => t.name === only);
    replacement = isSchemaOnly ? `${only}.` : only;
  } else {
    replacement = commonPrefix(candidates);
    if (replacement.length < partial.length) replacement = partial;
  }
  return { start: partialStart, end, candidates, replacement };
}

function bareCandidates(text: string, catalog: Catalog, partial: string, start: number): string[] {
  const previousWord = /(\w+)\s+$/.exec(text.slice(0, start))?.[1]?.toLowerCase();
  if (previousWord && TABLE_POSITION_WORDS.has(previousWord)) {
    return [...catalog.schemas, ...catalog.tables.map((t) => reachableName(t, catalog))];
  }
  const keywordCase = partial !== '' && partial === partial.toLowerCase() ? (k: string) => k.toLowerCase() : (k: string) => k;
  const referenced = referencedTables(text, catalog);
  const columnSource = referenced.length > 0
    ? catalog.columns.filter((c) => referenced.some((t) => t.schema === c.schema && t.name === c.table))
    : catalog.columns;
  return [
    ...SQL_KEYWORDS.map(keywordCase),
    ...catalog.schemas,
    ...catalog.tables.map((t) => reachableName(t, catalog)),
    ...columnSource.map((c) => c.column),
  ];
}

function qualifiedCandidates(text: string, catalog: Catalog, qualifier: string): string[] {
  const parts = qualifier.split('.').map((part) => unquoteIdentifier(part).toLowerCase());
  if (parts.length === 1) {
    const [name] = parts;
    const inSchema = catalog.tables.filter((t) => t.schema.toLowerCase() === name).map((t) => t.name);
    const aliased = aliases(text, catalog).get(name);
    const tables = aliased ? [aliased] : catalog.tables.filter((t) => t.name.toLowerCase() === name);
    return [...inSchema, ...columnsOf(catalog, tables)];
  }
  const [schema, table] = parts.slice(-2);
  return columnsOf(catalog, catalog.tables.filter((t) => t.schema.toLowerCase() === schema && t.name.toLowerCase() === table));
}

function columnsOf(catalog: Catalog, tables: CatalogTable[]): string[] {
  return catalog.columns
    .filter((c) => tables.some((t) => t.schema === c.schema && t.name === c.table))
    .map((c) => c.column);
}

/** `from`/`join` targets of the statement, as tables of the catalog. */
function referencedTables(text: string, catalog: Catalog): CatalogTable[] {
  return [...tableReferences(text)].flatMap(({ name }) => resolveTable(name, catalog));
}

/** alias (lower case) → table, from `from x.y a`, `join y as b` and `from y` (the name is its own alias). */
function aliases(text: string, catalog: Catalog): Map<string, CatalogTable> {
  const map = new Map<string, CatalogTable>();
  for (const { name, alias } of tableReferences(text)) {
    const [table] = resolveTable(name, catalog);
    if (!table) continue;
    map.set(table.name.toLowerCase(), table);
    if (alias) map.set(alias.toLowerCase(), table);
  }
  return map;
}

function* tableReferences(text: string): Generator<{ name: string; alias?: string }> {
  const reference = /\b(?:from|join)\s+((?:"[^"]+"|\w+)(?:\.(?:"[^"]+"|\w+))?)(?:\s+(?:as\s+)?(\w+))?/gi;
  for (const match of text.matchAll(reference)) {
    const alias = match[2] && !KEYWORD_SET.has(match[2].toUpperCase()) && !/^(natural|lateral)$/i.test(match[2]) ? match[2] : undefined;
    yield { name: match[1], alias };
  }
}

function resolveTable(name: string, catalog: Catalog): CatalogTable[] {
  const parts = name.split('.').map((part) => unquoteIdentifier(part).toLowerCase());
  if (parts.length === 2) {
    return catalog.tables.filter((t) => t.schema.toLowerCase() === parts[0] && t.name.toLowerCase() === parts[1]);
  }
  return catalog.tables.filter((t) => t.name.toLowerCase() === parts[0]);
}

function commonPrefix(words: string[]): string {
  let prefix = words[0];
  for (const word of words.slice(1)) {
    let i = 0;
    while (i < prefix.length && i < word.length && prefix[i].toLowerCase() === word[i].toLowerCase()) i += 1;
    prefix = prefix.slice(0, i);
  }
  return prefix;
}

function compareNames(a: string, b: string): number {
  return a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

function unquoteIdentifier(part: string): string {
  return part.startsWith('"') && part.endsWith('"') && part.length >= 2 ? part.slice(1, -1).replace(/""/g, '"') : part;
}
