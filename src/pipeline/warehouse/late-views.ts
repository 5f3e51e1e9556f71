// Late-binding views over tables not made yet, kept until those tables exist:
// Redshift makes such a view at once and binds it when it is read; DuckDB
// binds a view when it is made. The definition waits in
// sparkify.late_binding_views (in the warehouse file, so a later command sees
// it too) and is made as soon as every relation it reads exists.
import { lateBindingView, type LateBindingView } from '../sql/late-views.js';
import { rewriteForDuckDb } from '../sql/rewrite.js';
import { quoteLiteral } from '../sql/tokenizer.js';

export interface LateViewTarget {
  run(sql: string): Promise<unknown>;
  rows(sql: string): Promise<(string | null)[][]>;
}

const PENDING = 'sparkify.late_binding_views';

/** Runs the statements in order; false when one fails. */
async function runAll(statements: string[], target: LateViewTarget): Promise<boolean> {
  try {
    for (const statement of statements) await target.run(statement);
    return true;
  } catch {
    return false;
  }
}

/** Whether a relation (`t` or `schema.t`, lower case) exists as a table or view; public is main. */
async function exists(relation: string, target: LateViewTarget): Promise<boolean> {
  const parts = relation.split('.');
  const [schema, name] = parts.length >= 2 ? [parts[parts.length - 2], parts[parts.length - 1]] : [undefined, parts[0]];
  const matches = (column: string) =>
    `lower(${column}) = ${quoteLiteral(name)}${schema === undefined ? '' : ` AND lower(schema_name) = ${quoteLiteral(schema === 'public' ? 'main' : schema)}`}`;
  const [[count]] = await target.rows(
    `SELECT (SELECT count(*) FROM duckdb_tables() WHERE ${matches('table_name')}) + (SELECT count(*) FROM duckdb_views() WHERE ${matches('view_name')})`,
  );
  return Number(count) > 0;
}

async function missingRelations(view: LateBindingView, target: LateViewTarget): Promise<boolean> {
  for (const relation of view.relations) if (!(await exists(relation, target))) return true;
  return false;
}

/** True when `sql` is a late-binding view over a relation that does not exist yet: it is kept, to be made later. */
export async function deferLateView(sql: string, target: LateViewTarget): Promise<boolean> {
  const view = lateBindingView(sql);
  if (!view || !(await missingRelations(view, target))) return false;
  await target.run(`CREATE SCHEMA IF NOT EXISTS sparkify;
    CREATE TABLE IF NOT EXISTS ${PENDING} (name VARCHAR PRIMARY KEY, definition VARCHAR NOT NULL);
    INSERT OR REPLACE INTO ${PENDING} VALUES (${quoteLiteral(view.name)}, ${quoteLiteral(sql)})`);
  return true;
}

/**
 * Makes each kept view whose relations now all exist, and
 * forgets it; a view over another kept view waits for that one. Runs outside
 * a transaction only, so a view that still fails to bind (a column it reads
 * is missing) stays kept without spoiling the statement that was run.
 */
export async function createReadyLateViews(target: LateViewTarget): Promise<void> {
  const [[kept]] = await target.rows("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'sparkify' AND table_name = 'late_binding_views'");
  if (Number(kept) === 0) return;
  for (let made = true; made; ) {
    made = false;
    for (const [name, definition] of await target.rows(`SELECT name, definition FROM ${PENDING} ORDER BY name`)) {
      const view = lateBindingView(definition!);
      if (!view || (await missingRelations(view, target))) continue;
      const rewritten = rewriteForDuckDb(definition!);
      const created = rewritten.kind === 'sql' && (await runAll(rewritten.statements, target));
      if (!created) continue;
      await target.run(`DELETE FROM ${PENDING} WHERE name = ${quoteLiteral(name!)}`);
      made = true;
    }
  }
}
