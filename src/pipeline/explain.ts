// A statement's plan as a tree of operators, on both engines: DuckDB's
// `EXPLAIN (FORMAT json)` read as it is nested, Redshift's `XN ...` lines by
// their indentation. On Redshift the data-distribution step of each join is
// picked out and explained, with the dist style, dist key and sort key of each
// table the plan scans: they are what makes a star-schema join slow there.
import { UsageError } from './errors.js';
import { classify } from './sql/classify.js';
import { splitStatements } from './sql/tokenizer.js';
import type { ScriptTarget } from './script.js';
import type { QueryResult, Row } from './warehouse/types.js';

export interface PlanNode {
  /** The operator as the engine names it: `HASH_JOIN`, `XN Hash Join DS_BCAST_INNER`. */
  operator: string;
  /** What the engine says of it: conditions, estimated rows, cost. */
  details: string[];
  /** The table it scans, as the plan names it. */
  table?: string;
  /** Redshift's distribution step (DS_BCAST_INNER, DS_DIST_NONE, ...). */
  distribution?: string;
  children: PlanNode[];
}

/** A table's storage on Redshift, as svv_table_info has it. */
export interface TableStorage {
  schema: string;
  table: string;
  diststyle: string;
  sortkey?: string;
}

export interface Plan {
  target: 'local' | 'redshift';
  roots: PlanNode[];
  /** Redshift: storage of each table the plan scans, by the name the plan uses. */
  storage: Map<string, TableStorage>;
}

/** Redshift's distribution steps, each in a line, and whether it moves data between nodes. */
export const DISTRIBUTION_STEPS: Record<string, { moves: boolean; means: string }> = {
  DS_DIST_NONE: { moves: false, means: 'no data moves: both sides are distributed on the join key (a collocated join)' },
  DS_DIST_ALL_NONE: { moves: false, means: 'no data moves: the inner table is DISTSTYLE ALL, a copy on every node' },
  DS_BCAST_INNER: { moves: true, means: 'the whole inner table is copied to every node: costly unless it is small; DISTSTYLE ALL or a shared DISTKEY avoids it' },
  DS_DIST_INNER: { moves: true, means: 'the inner table is redistributed on the join key; a DISTKEY on that column avoids it' },
  DS_DIST_OUTER: { moves: true, means: 'the outer table is redistributed on the join key; a DISTKEY on that column avoids it' },
  DS_DIST_ALL_INNER: { moves: true, means: 'the inner table goes to a single slice because the outer is DISTSTYLE ALL: the join runs on one slice' },
  DS_DIST_BOTH: { moves: true, means: 'both tables are redistributed on the join key: the costliest step; a DISTKEY on the join column of the larger one avoids most of it' },
};

/** The one statement to explain: refuses a script and anything that is not a read or a change of data. */
export function explainableStatement(sql: string): string {
  const statements = splitStatements(sql);
  if (statements.length !== 1) {
    throw new UsageError(statements.length === 0 ? 'nothing to explain' : 'EXPLAIN takes one statement at a time', 'leave one statement in the draft');
  }
  const statement = statements[0].sql;
  const { kind, command } = classify(statement);
  if (command === 'EXPLAIN') throw new UsageError('the draft is an EXPLAIN already', 'leave out the EXPLAIN: the plan view adds it');
  if (kind !== 'read' && kind !== 'dml') throw new UsageError(`${command} has no plan to show`, 'explain a SELECT, INSERT, UPDATE or DELETE');
  return statement;
}

export function explainSql(target: 'local' | 'redshift', statement: string): string {
  return target === 'local' ? `EXPLAIN (FORMAT json) ${statement}` : `EXPLAIN ${statement}`;
}

interface DuckDbNode {
  name: string;
  children?: DuckDbNode[];
  extra_info?: Record<string, string | string[]>;
}

/** Operators that only reshape columns: folded into their child so the tree shows the work. */
const FOLDED = new Set(['PROJECTION']);

function fromDuckDb(node: DuckDbNode): PlanNode {
  const children = (node.children ?? []).map(fromDuckDb);
  if (FOLDED.has(node.name) && children.length === 1) return children[0];
  const details: string[] = [];
  let table: string | undefined;
  for (const [key, value] of Object.entries(node.extra_info ?? {})) {
    const text = Array.isArray(value) ? value.join(', ') : value;
    if (key === 'Table') table = text.split('.').slice(-2).join('.');
    else if (key === 'Estimated Cardinality') details.push(`~${text} rows`);
    else if (key !== 'Projections' && key !== 'Type') details.push(`${key}: ${text}`);
  }
  return { operator: node.name, details, table, children };
}

/** DuckDB's JSON plan (the explain_value of `EXPLAIN (FORMAT json)`) as a tree. */
export function parseDuckDbPlan(json: string): PlanNode[] {
  const parsed = JSON.parse(json) as DuckDbNode[];
  return parsed.map(fromDuckDb);
}

const NODE_LINE = /^(\s*)->\s+(.*)$/;

function redshiftNode(text: string): PlanNode {
  const cost = text.indexOf('  (cost=');
  const operator = (cost === -1 ? text : text.slice(0, cost)).trim();
  const details = cost === -1 ? [] : [text.slice(cost).trim().replace(/^\(|\)$/g, '')];
  const table = /\bScan on (\S+)/.exec(operator)?.[1];
  const distribution = /\bDS_[A-Z_]+/.exec(operator)?.[0];
  return { operator, details, table, distribution, children: [] };
}

/** Redshift's plan lines (one row of `QUERY PLAN` each) as a tree: `->` opens a child of the node above with less indentation. */
export function parseRedshiftPlan(lines: readonly string[]): PlanNode[] {
  const roots: PlanNode[] = [];
  const stack: { indent: number; node: PlanNode }[] = [];
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    // `----- Tables missing statistics: ... -----`: a note after the plan.
    if (trimmed.startsWith('-----')) {
      roots.push({ operator: trimmed.replace(/^-+\s*|\s*-+$/g, ''), details: [], children: [] });
      stack.length = 0;
      continue;
    }
    const child = NODE_LINE.exec(line);
    if (!child && stack.length > 0) {
      stack[stack.length - 1].node.details.push(trimmed);
      continue;
    }
    const indent = child ? child[1].length : 0;
    const node = redshiftNode(child ? child[2] : trimmed);
    while (stack.length > 0 && stack[stack.length - 1].indent >= indent) stack.pop();
    if (stack.length === 0) roots.push(node);
    else stack[stack.length - 1].node.children.push(node);
    stack.push({ indent, node });
  }
  return roots;
}

/** Every table a plan scans, once each. */
export function scannedTables(roots: readonly PlanNode[]): string[] {
  const found = new Set<string>();
  const visit = (node: PlanNode) => {
    if (node.table) found.add(node.table);
    node.children.forEach(visit);
  };
  roots.forEach(visit);
  return [...found];
}

/** svv_table_info of the tables a Redshift plan names (the plan leaves out their schemas). */
export function tableStorageSql(tables: readonly string[]): string {
  const names = tables.map((table) => `'${table.replace(/'/g, "''")}'`).join(', ');
  return `select schema, "table", diststyle, sortkey1 from svv_table_info where "table" in (${names}) order by schema, "table"`;
}

export function tableStorage(rows: readonly Row[]): Map<string, TableStorage> {
  const storage = new Map<string, TableStorage>();
  for (const [schema, table, diststyle, sortkey] of rows) {
    const name = String(table);
    // The plan names a table without its schema: the first schema in order stands for it.
    if (storage.has(name)) continue;
    storage.set(name, { schema: String(schema), table: name, diststyle: String(diststyle ?? ''), sortkey: sortkey === null ? undefined : String(sortkey) });
  }
  return storage;
}

/** `DISTKEY start_time · SORTKEY start_time`, `DISTSTYLE ALL`: what stands beside a scanned table. */
export function storageLabel(storage: TableStorage): string {
  const key = /^KEY\((.+)\)$/.exec(storage.diststyle)?.[1];
  const dist = key ? `DISTKEY ${key}` : `DISTSTYLE ${storage.diststyle || 'unknown'}`;
  return storage.sortkey ? `${dist} · SORTKEY ${storage.sortkey}` : `${dist} · no SORTKEY`;
}

/** The rows of a plan's result: DuckDB's JSON is in the second column of its one row, Redshift's lines one a row. */
export async function planLines(result: QueryResult): Promise<string[]> {
  const lines: string[] = [];
  try {
    for await (const page of result.pages()) for (const row of page) lines.push(String(row[row.length - 1] ?? ''));
  } finally {
    await result.close();
  }
  return lines;
}

/** The plan of one statement on the engine `target` runs it on, with the storage of its tables on Redshift. */
export async function explainPlan(target: ScriptTarget, engine: 'local' | 'redshift', sql: string, signal?: AbortSignal): Promise<Plan> {
  const statement = explainableStatement(sql);
  const lines = await planLines(await target.query(explainSql(engine, statement), { signal }));
  if (engine === 'local') return { target: engine, roots: lines.flatMap(parseDuckDbPlan), storage: new Map() };
  const roots = parseRedshiftPlan(lines);
  const tables = scannedTables(roots);
  if (tables.length === 0) return { target: engine, roots, storage: new Map() };
  const result = await target.query(tableStorageSql(tables), { signal });
  const rows: Row[] = [];
  try {
    for await (const page of result.pages()) rows.push(...page);
  } finally {
    await result.close();
  }
  return { target: engine, roots, storage: tableStorage(rows) };
}
