// What the fake cluster keeps of each table's storage: the DISTSTYLE, DISTKEY
// and SORTKEY its CREATE TABLE declared, kept in pg_internal tables so
// svv_table_info, pg_attribute and pg_class_info answer with them, and
// the EXPLAIN plans (data-api-explain.ts) choose distribution steps from them.
import { tableLayout } from '../../../src/pipeline/sql/rules/table-layout.js';
import { declaredKeys, type TableKeys } from '../../../src/pipeline/sql/table-notes.js';
import { codeTokens, quoteLiteral, tokenize, type Token } from '../../../src/pipeline/sql/tokenizer.js';
import { isPunct, isWord } from '../../../src/pipeline/sql/tokens.js';
import type { WarehouseSession } from '../../../src/pipeline/warehouse/types.js';

export interface TableStorage {
  schema: string;
  table: string;
  /** As svv_table_info says it: EVEN, ALL, KEY(column), AUTO(EVEN). */
  diststyle: string;
  distkey?: string;
  sortkey: string[];
}

/** The fake's own tables, in a schema the catalog queries leave out as Redshift's. */
export const LAYOUT_SETUP = [
  'CREATE SCHEMA IF NOT EXISTS pg_internal',
  'CREATE TABLE IF NOT EXISTS pg_internal.fake_table_storage (schema VARCHAR, "table" VARCHAR, diststyle VARCHAR, sortkey1 VARCHAR, sortkey_num INTEGER)',
  'CREATE TABLE IF NOT EXISTS pg_internal.fake_column_storage (schema VARCHAR, "table" VARCHAR, "column" VARCHAR, distkey BOOLEAN, sortkey INTEGER)',
];

/** Slices the fake's clusters have (an ra3.large node has two). */
const FAKE_SLICES = 2;

/** Views each connection gets, as a cluster has them: pg_attribute and pg_class_info with the declared keys, and svv_table_info (pg_table_def is the local engine's, which keeps the keys itself). */
export const LAYOUT_VIEWS = [
  // Redshift's pg_attribute carries each column's dist key flag and sort key place (0: not in it), and
  // pg_class_info each table's effective dist style as a number (0 EVEN, 1 KEY, 8 ALL, 10-12 AUTO(...)).
  `CREATE OR REPLACE TEMP VIEW pg_attribute AS SELECT a.*, coalesce(s.distkey, false) AS attisdistkey, coalesce(s.sortkey, 0) AS attsortkeyord
   FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   LEFT JOIN pg_internal.fake_column_storage s ON s.schema = n.nspname AND s."table" = c.relname AND s."column" = a.attname`,
  `CREATE OR REPLACE TEMP VIEW pg_class_info AS SELECT c.oid AS reloid, c.*, NULL::TIMESTAMP AS relcreationtime,
     CASE WHEN t.diststyle = 'EVEN' THEN 0 WHEN t.diststyle LIKE 'KEY(%' THEN 1 WHEN t.diststyle = 'ALL' THEN 8
       WHEN t.diststyle = 'AUTO(ALL)' THEN 10 WHEN t.diststyle = 'AUTO(EVEN)' THEN 11 WHEN t.diststyle LIKE 'AUTO(KEY%' THEN 12 END AS releffectivediststyle
   FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   LEFT JOIN pg_internal.fake_table_storage t ON t.schema = n.nspname AND t."table" = c.relname`,
  // size is in 1 MB blocks as Redshift counts them: every column, and the three hidden ones each table has
  // (INSERT_XID, DELETE_XID, ROW_ID), takes at least one block on each slice that holds rows, and one more
  // block per 1 MB of 8-byte values past that. Empty tables are left out, as the view leaves them out.
  `CREATE OR REPLACE TEMP VIEW svv_table_info AS SELECT current_database() AS database, s.schema, s."table", s.diststyle, s.sortkey1, s.sortkey_num,
     ((c.relnatts + 3) * ${FAKE_SLICES} * ceil(greatest(1, c.reltuples * 8 / ${FAKE_SLICES} / 1048576.0)))::BIGINT AS size,
     c.reltuples::DECIMAL(38, 0) AS tbl_rows
   FROM pg_internal.fake_table_storage s JOIN pg_catalog.pg_namespace n ON n.nspname = s.schema
   JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = s."table"
   WHERE c.reltuples > 0`,
];

const identifier = (t: Token) => (t.type === 'ident' ? t.text.slice(1, -1) : t.text.toLowerCase());

/** The storage a CREATE TABLE declares (read as the local rewrite reads it); undefined for other statements and temporary tables. */
export function declaredStorage(sql: string): TableStorage | undefined {
  const tokens = tokenize(sql);
  const layout = tableLayout(tokens);
  if (!layout || codeTokens(tokens).slice(0, 4).some((t) => isWord(t, 'TEMP', 'TEMPORARY'))) return undefined;
  const parts = layout.name.split('.').map((part) => (part.startsWith('"') ? part.slice(1, -1) : part.toLowerCase()));
  const [schema, table] = parts.length === 2 ? parts : ['main', parts[0]];
  const keys: TableKeys = declaredKeys(tokens, layout) ?? { diststyle: 'AUTO', sortkey: [], interleaved: false };
  const diststyle = keys.diststyle === 'KEY' ? `KEY(${keys.distkey})` : keys.diststyle === 'AUTO' ? 'AUTO(EVEN)' : keys.diststyle;
  return { schema, table, diststyle, distkey: keys.distkey, sortkey: keys.sortkey };
}

/** The table a DROP TABLE drops, as schema and name. */
export function droppedTable(sql: string): { schema: string; table: string } | undefined {
  const code = codeTokens(tokenize(sql));
  if (!isWord(code[0], 'DROP') || !isWord(code[1], 'TABLE')) return undefined;
  let i = 2;
  if (isWord(code[i], 'IF')) i += 2;
  const names = [identifier(code[i])];
  if (isPunct(code[i + 1], '.')) names.push(identifier(code[i + 2]));
  return names.length === 2 ? { schema: names[0], table: names[1] } : { schema: 'main', table: names[0] };
}

const where = (schema: string, table: string) => `schema = ${quoteLiteral(schema)} AND "table" = ${quoteLiteral(table)}`;

/** Records (or forgets) the storage of the table a statement just created or dropped. */
export async function recordStorage(connection: Pick<WarehouseSession, 'executeBatch'>, sql: string): Promise<void> {
  const created = declaredStorage(sql);
  const gone = created ?? droppedTable(sql);
  if (!gone) return;
  const statements = [`DELETE FROM pg_internal.fake_table_storage WHERE ${where(gone.schema, gone.table)}`, `DELETE FROM pg_internal.fake_column_storage WHERE ${where(gone.schema, gone.table)}`];
  if (created) {
    const { schema, table, diststyle, distkey, sortkey } = created;
    const values = (...v: string[]) => v.join(', ');
    statements.push(
      `INSERT INTO pg_internal.fake_table_storage VALUES (${values(quoteLiteral(schema), quoteLiteral(table), quoteLiteral(diststyle), sortkey[0] ? quoteLiteral(sortkey[0]) : 'NULL', String(sortkey.length))})`,
    );
    const columns = new Set([...(distkey ? [distkey] : []), ...sortkey]);
    for (const column of columns) {
      const place = sortkey.indexOf(column) + 1;
      statements.push(
        `INSERT INTO pg_internal.fake_column_storage VALUES (${values(quoteLiteral(schema), quoteLiteral(table), quoteLiteral(column), String(column === distkey), String(place))})`,
      );
    }
  }
  await connection.executeBatch(statements);
}

/** Every recorded table's storage, by table name (as a plan names it) and by schema.table. */
export async function storedLayouts(connection: Pick<WarehouseSession, 'query'>): Promise<Map<string, TableStorage>> {
  const result = await connection.query(
    `SELECT t.schema, t."table", t.diststyle, (SELECT min(c."column") FROM pg_internal.fake_column_storage c WHERE c.schema = t.schema AND c."table" = t."table" AND c.distkey) AS distkey
     FROM pg_internal.fake_table_storage t`,
  );
  const layouts = new Map<string, TableStorage>();
  for await (const page of result.pages()) {
    for (const [schema, table, diststyle, distkey] of page) {
      const storage = { schema: String(schema), table: String(table), diststyle: String(diststyle), distkey: distkey === null ? undefined : String(distkey), sortkey: [] };
      layouts.set(`${storage.schema}.${storage.table}`, storage);
      if (!layouts.has(storage.table)) layouts.set(storage.table, storage);
    }
  }
  return layouts;
}
