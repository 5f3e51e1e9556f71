// A column ALTER (ADD, DROP, RENAME COLUMN, ALTER COLUMN ... TYPE) of a table
// with an IDENTITY column, run so that the write-ahead log never holds one:
// DuckDB 1.5 cannot replay a column ALTER of a table whose default calls
// nextval(), so a process killed before its checkpoint would leave a
// warehouse that no longer opens. The action runs on a copy without defaults,
// and a table made anew with the columns it leaves (and the defaults and NOT
// NULL of the table as it was) takes the rows and the table's name. CREATE,
// DROP and RENAME TO replay well.
import type { ColumnAlter } from '../sql/rules/alter-table.js';
import { quoteLiteral } from '../sql/tokenizer.js';

export interface AlterTarget {
  run(sql: string): Promise<unknown>;
  rows(sql: string): Promise<(string | null)[][]>;
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

interface Column {
  name: string;
  type: string;
  default: string | null;
  notNull: boolean;
}

/** The schema and name a table as written resolves to (temp tables first, then the search path), or undefined. */
async function resolveTable(target: AlterTarget, written: string): Promise<{ database: string; schema: string; name: string } | undefined> {
  const parts = splitName(written);
  const name = parts.at(-1)!;
  const schema = parts.at(-2);
  const candidates = await target.rows(
    `SELECT database_name, schema_name, table_name FROM duckdb_tables() WHERE lower(table_name) = lower(${quoteLiteral(name)})` +
      (schema ? ` AND lower(schema_name) = lower(${quoteLiteral(schema)})` : '') +
      ` ORDER BY database_name <> 'temp', list_position(current_schemas(false), schema_name) NULLS LAST`,
  );
  const [database, schemaName, tableName] = candidates[0] ?? [];
  return database && schemaName && tableName ? { database, schema: schemaName, name: tableName } : undefined;
}

/** The parts of a (possibly quoted, schema-qualified) table name as written. */
function splitName(written: string): string[] {
  const parts: string[] = [];
  for (const match of written.matchAll(/"((?:[^"]|"")*)"|([^."]+)/g)) parts.push(match[1] !== undefined ? match[1].replace(/""/g, '"') : match[2].trim().toLowerCase());
  return parts;
}

async function columnsOf(target: AlterTarget, database: string, schema: string, table: string): Promise<Column[]> {
  const rows = await target.rows(
    `SELECT column_name, data_type, column_default, is_nullable FROM duckdb_columns()
     WHERE database_name = ${quoteLiteral(database)} AND schema_name = ${quoteLiteral(schema)} AND table_name = ${quoteLiteral(table)} ORDER BY column_index`,
  );
  return rows.map(([name, type, def, nullable]) => ({ name: name!, type: type!, default: def, notNull: nullable === 'false' }));
}

/**
 * Runs `alter` on a table with an IDENTITY column without a column ALTER of
 * it reaching the log; false, having run nothing, when the table has none
 * (the ALTER then runs as written). Runs inside the caller's transaction.
 */
export async function alterIdentityTable(target: AlterTarget, alter: ColumnAlter): Promise<boolean> {
  const table = await resolveTable(target, alter.table);
  if (!table) return false;
  const before = await columnsOf(target, table.database, table.schema, table.name);
  if (!before.some((c) => c.default?.startsWith('nextval('))) return false;
  const qualified = (name: string) => `${quoteIdent(table.database)}.${quoteIdent(table.schema)}.${quoteIdent(name)}`;
  const stamp = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const copy = `sparkify_alter_${stamp}`;
  const made = `sparkify_altered_${stamp}`;
  const [comment] = (await target.rows(
    `SELECT comment FROM duckdb_tables() WHERE database_name = ${quoteLiteral(table.database)} AND schema_name = ${quoteLiteral(table.schema)} AND table_name = ${quoteLiteral(table.name)}`,
  ))[0] ?? [null];
  await target.run(`CREATE TABLE ${qualified(copy)} AS SELECT * FROM ${qualified(table.name)}`);
  await target.run(`ALTER TABLE ${qualified(copy)} ${alter.action}`);
  const after = await columnsOf(target, table.database, table.schema, copy);
  const was = new Map(before.map((c) => [c.name.toLowerCase(), c]));
  const definitions = after.map((column) => {
    const source = alter.renamed && column.name.toLowerCase() === alter.renamed.to.toLowerCase() ? alter.renamed.from : column.name;
    const old = was.get(source.toLowerCase());
    const def = column.default ?? old?.default;
    const notNull = column.notNull || old?.notNull;
    return `${quoteIdent(column.name)} ${column.type}${def ? ` DEFAULT ${def}` : ''}${notNull ? ' NOT NULL' : ''}`;
  });
  await target.run(`CREATE TABLE ${qualified(made)} (${definitions.join(', ')})`);
  await target.run(`INSERT INTO ${qualified(made)} SELECT * FROM ${qualified(copy)}`);
  await target.run(`DROP TABLE ${qualified(copy)}`);
  await target.run(`DROP TABLE ${qualified(table.name)}`);
  await target.run(`ALTER TABLE ${qualified(made)} RENAME TO ${quoteIdent(table.name)}`);
  if (comment) await target.run(`COMMENT ON TABLE ${qualified(table.name)} IS ${quoteLiteral(comment)}`);
  return true;
}
