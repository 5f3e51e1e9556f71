// Runs an INSERT that names no columns and has fewer values than its table
// has columns as Redshift runs it: the values fill the first columns and the
// rest take their defaults (sql/insert-columns.ts finds the INSERT).
import { insertWithoutColumnList, withColumnList } from '../sql/insert-columns.js';
import { quoteIdent } from './load-columns.js';

/** `statement`, with the column list its values fill written in when it has fewer values than the table has columns. */
export async function withFilledColumns(statement: string, rows: (sql: string) => Promise<(string | null)[][]>): Promise<string> {
  const insert = insertWithoutColumnList(statement);
  if (!insert) return statement;
  const columns = (await rows(`SELECT column_name FROM (DESCRIBE ${insert.table})`)).map(([name]) => name!);
  const width = insert.valuesWidth ?? Number((await rows(`SELECT count(*) FROM (DESCRIBE SELECT * FROM (${insert.body}))`))[0][0]);
  if (width >= columns.length) return statement;
  return withColumnList(statement, columns.slice(0, width).map(quoteIdent));
}
