// The warehouse catalog as the SQL prompt uses it: completion of keywords,
// functions, schemas, tables and columns. Read from information_schema, which
// DuckDB and Redshift both have.
import { fuzzyScore } from './fuzzy.js';
import { tableReferences, wordAtCursor } from './sql/cursor-word.js';
import { SUPPORTED_FUNCTIONS } from './sql/functions.js';
import { SQL_KEYWORDS } from './sql/keywords.js';
import type { QueryResult, Row, Warehouse } from './warehouse/types.js';
import { notLoadView } from './warehouse/load-views.js';

export interface CatalogColumn {
  schema: string;
  table: string;
  column: string;
  type: string;
}

export interface CatalogTable {
  schema: string;
  name: string;
  /** Absent: a table. */
  kind?: 'table' | 'view';
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

const SYSTEM_SCHEMAS = "('information_schema', 'pg_catalog', 'pg_internal', 'pg_toast', 'pg_automv', 'catalog_history')";
const USER_SCHEMA = `table_catalog = current_database() and table_schema not in ${SYSTEM_SCHEMAS} and table_schema not like 'pg_temp%' and ${notLoadView()}`;

export const CATALOG_COLUMNS_SQL = `select table_schema, table_name, column_name, data_type
from information_schema.columns
where ${USER_SCHEMA}
order by table_schema, table_name, ordinal_position`;

export const CATALOG_SCHEMAS_SQL = `select schema_name
from information_schema.schemata
where catalog_name = current_database() and schema_name not in ${SYSTEM_SCHEMAS} and schema_name not like 'pg_temp%'
order by schema_name`;

/** Tables and views, to tell one from the other. */
export const CATALOG_TABLES_SQL = `select table_schema, table_name, lower(table_type)
from information_schema.tables
where ${USER_SCHEMA}
order by table_schema, table_name`;

/** Reads schemas, tables and columns of the database the warehouse is connected to. */
export async function loadCatalog(warehouse: Warehouse, options: { signal?: AbortSignal } = {}): Promise<Catalog> {
  const [columnRows, schemaRows, tableRows] = [
    await readAll(await warehouse.query(CATALOG_COLUMNS_SQL, { signal: options.signal })),
    await readAll(await warehouse.query(CATALOG_SCHEMAS_SQL, { signal: options.signal })),
    await readAll(await warehouse.query(CATALOG_TABLES_SQL, { signal: options.signal })),
  ];
  const views = new Set(tableRows.filter(([, , type]) => String(type).includes('view')).map(([schema, name]) => `${String(schema)}.${String(name)}`));
  const columns = columnRows.map(([schema, table, column, type]) => ({
    schema: String(schema),
    table: String(table),
    column: String(column),
    type: String(type).toLowerCase(),
  }));
  const tables = new Map<string, CatalogTable>();
  for (const { schema, table } of columns) {
    tables.set(`${schema}.${table}`, { schema, name: table, ...(views.has(`${schema}.${table}`) ? { kind: 'view' as const } : {}) });
  }
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

export type CompletionKind = 'schema' | 'table' | 'view' | 'column' | 'function' | 'keyword';

export interface CompletionItem {
  /** The text that replaces the word: a name that resolves where it is inserted. */
  label: string;
  kind: CompletionKind;
  /** A column's type, a function's signature. */
  detail?: string;
}

export interface Completion {
  /** Offsets in the text of the word being completed. */
  start: number;
  end: number;
  /** Everything that fits the word, best first. */
  items: CompletionItem[];
}

interface Candidate extends CompletionItem {
  /** Also matched against: a qualified table's own name. */
  alias?: string;
}

/** Words after which only a table name makes sense. */
const TABLE_POSITION_WORDS = new Set(['from', 'join', 'into', 'update', 'table', 'describe']);
/** At an equal score, what is nearer the statement's data comes first. */
const KIND_RANK: Record<CompletionKind, number> = { column: 0, table: 1, view: 1, schema: 2, function: 3, keyword: 4 };

/**
 * Completes the name at `cursor`. `schema.` lists that schema's tables;
 * `table.` or `alias.` lists the table's columns; a bare name matches
 * keywords, functions, schemas, tables and the columns of the tables the
 * statement names. Matching is fuzzy (fuzzy.ts). Returns undefined when
 * nothing fits, and inside a string or a comment.
 */
export function complete(text: string, cursor: number, catalog: Catalog): Completion | undefined {
  const word = wordAtCursor(text, cursor);
  if (!word) return undefined;
  const pool = word.qualifier.length > 0 ? qualifiedCandidates(text, catalog, word.qualifier) : bareCandidates(text, catalog, word.partial, word.previousWord);
  const scored = new Map<string, { item: CompletionItem; score: number }>();
  for (const { alias, ...item } of pool) {
    const score = Math.max(fuzzyScore(word.partial, item.label) ?? -1, alias === undefined ? -1 : (fuzzyScore(word.partial, alias) ?? -1));
    const key = `${item.kind} ${item.label}`;
    if (score >= 0 && !scored.has(key)) scored.set(key, { item, score });
  }
  if (scored.size === 0) return undefined;
  const items = [...scored.values()]
    .sort((a, b) => b.score - a.score || KIND_RANK[a.item.kind] - KIND_RANK[b.item.kind] || compareNames(a.item.label, b.item.label))
    .map(({ item }) => item);
  return { start: word.start, end: word.end, items };
}

/** What replaces the word when `item` is chosen: a schema comes with its dot, ready for a table. */
export function insertionOf(item: CompletionItem): string {
  return item.kind === 'schema' ? `${item.label}.` : item.label;
}

function bareCandidates(text: string, catalog: Catalog, partial: string, previousWord: string | undefined): Candidate[] {
  const schemas = catalog.schemas.map((name): Candidate => ({ label: name, kind: 'schema' }));
  const tables = catalog.tables.map((table) => tableCandidate(table, catalog));
  if (previousWord && TABLE_POSITION_WORDS.has(previousWord)) return [...tables, ...schemas];
  const inCase = partial !== '' && partial === partial.toLowerCase() ? (k: string) => k.toLowerCase() : (k: string) => k;
  const referenced = tableReferences(text).flatMap(({ parts }) => resolveTable(parts, catalog));
  const columns = referenced.length > 0 ? columnsOf(catalog, referenced) : catalog.columns;
  // One item per column name (the first table's type): a thousand tables with a user_id make one user_id.
  const byName = new Map<string, Candidate>();
  for (const c of columns) if (!byName.has(c.column)) byName.set(c.column, { label: c.column, kind: 'column', detail: c.type });
  return [
    ...byName.values(),
    ...tables,
    ...schemas,
    ...SUPPORTED_FUNCTIONS.map((f): Candidate => ({ label: inCase(f.name), kind: 'function', detail: f.signature })),
    ...SQL_KEYWORDS.map((k): Candidate => ({ label: inCase(k), kind: 'keyword' })),
  ];
}

function qualifiedCandidates(text: string, catalog: Catalog, qualifier: string[]): Candidate[] {
  const parts = qualifier.map((part) => part.toLowerCase());
  const columns = (tables: CatalogTable[]) => columnsOf(catalog, tables).map((c): Candidate => ({ label: c.column, kind: 'column', detail: c.type }));
  if (parts.length === 1) {
    const [name] = parts;
    const inSchema = catalog.tables.filter((t) => t.schema.toLowerCase() === name).map((t): Candidate => ({ label: t.name, kind: t.kind ?? 'table' }));
    const aliased = tableReferences(text).find((ref) => ref.alias?.toLowerCase() === name);
    const tables = aliased ? resolveTable(aliased.parts, catalog) : catalog.tables.filter((t) => t.name.toLowerCase() === name);
    return [...inSchema, ...columns(tables)];
  }
  const [schema, table] = parts.slice(-2);
  return columns(catalog.tables.filter((t) => t.schema.toLowerCase() === schema && t.name.toLowerCase() === table));
}

function tableCandidate(table: CatalogTable, catalog: Catalog): Candidate {
  const label = reachableName(table, catalog);
  return { label, kind: table.kind ?? 'table', ...(label === table.name ? {} : { alias: table.name }) };
}

/** Per catalog: each table name (lower case) to the earliest place on the search path that holds it. */
const firstOnPath = new WeakMap<Catalog, Map<string, number>>();

/** A schema's place on the search path, -1 when it is not on it. The local engine calls Redshift's public schema main. */
function pathRank(catalog: Catalog, schema: string): number {
  const lower = schema.toLowerCase();
  return catalog.searchPath?.findIndex((entry) => entry.toLowerCase() === (lower === 'main' ? 'public' : lower)) ?? -1;
}

/** The name that reaches `table` from the search path: bare when it is the first of its name on the path, else schema-qualified. */
function reachableName(table: CatalogTable, catalog: Catalog): string {
  if (!catalog.searchPath) return table.name;
  let first = firstOnPath.get(catalog);
  if (!first) {
    first = new Map();
    for (const t of catalog.tables) {
      const rank = pathRank(catalog, t.schema);
      const name = t.name.toLowerCase();
      if (rank !== -1 && rank < (first.get(name) ?? Infinity)) first.set(name, rank);
    }
    firstOnPath.set(catalog, first);
  }
  const own = pathRank(catalog, table.schema);
  return own !== -1 && first.get(table.name.toLowerCase()) === own ? table.name : `${table.schema}.${table.name}`;
}

function columnsOf(catalog: Catalog, tables: CatalogTable[]): CatalogColumn[] {
  const keys = new Set(tables.map((t) => `${t.schema}.${t.name}`));
  return catalog.columns.filter((c) => keys.has(`${c.schema}.${c.table}`));
}

/** The catalog's tables a written name stands for: schema.table exactly, a bare name in any schema. */
function resolveTable(parts: string[], catalog: Catalog): CatalogTable[] {
  const lower = parts.map((part) => part.toLowerCase());
  if (lower.length >= 2) {
    const [schema, table] = lower.slice(-2);
    return catalog.tables.filter((t) => t.schema.toLowerCase() === schema && t.name.toLowerCase() === table);
  }
  return catalog.tables.filter((t) => t.name.toLowerCase() === lower[0]);
}

function compareNames(a: string, b: string): number {
  return a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : a < b ? -1 : a > b ? 1 : 0;
}
