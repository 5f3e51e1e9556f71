// The ledger's tables: made when missing (sql/07_ledger.sql, the newest
// layout) and upgraded in place when an older sparkify made them
// (sql/08_ledger_upgrades.sql, applied in order in one transaction with the
// version row they move to).
import { SparkifyError, ExitCode } from '../errors.js';
import { readSqlFile } from '../plan.js';
import { splitStatements } from '../sql/tokenizer.js';
import type { Warehouse } from '../warehouse/types.js';
import { allRows, insertRows } from './sql-values.js';

/** The layout this sparkify writes. */
export const LEDGER_VERSION = 4;

async function statements(file: string): Promise<{ name: string; sql: string }[]> {
  return splitStatements(await readSqlFile(file)).map((s) => ({ name: s.name ?? '', sql: s.sql }));
}

/** The ledger's version, or undefined when this warehouse has none yet. */
export async function ledgerVersion(warehouse: Warehouse, signal?: AbortSignal): Promise<number | undefined> {
  const exists = await allRows(
    warehouse,
    "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'sparkify' AND table_name = 'schema_version'",
    signal,
  );
  if (Number(exists[0]?.[0] ?? 0) === 0) return undefined;
  const rows = await allRows(warehouse, 'SELECT MAX(version) FROM sparkify.schema_version', signal);
  const version = rows[0]?.[0];
  return version === null || version === undefined ? 0 : Number(version);
}

const versionRow = (version: number) => [
  'DELETE FROM sparkify.schema_version',
  insertRows('sparkify.schema_version', ['version', 'upgraded_at'], [[version, new Date()]])!,
];

/** Makes the ledger when it is missing, upgrades it when it is older; returns what it did. */
export async function ensureLedger(warehouse: Warehouse, signal?: AbortSignal): Promise<'ready' | 'created' | { upgradedFrom: number }> {
  const version = await ledgerVersion(warehouse, signal);
  if (version === LEDGER_VERSION) return 'ready';
  if (version !== undefined && version > LEDGER_VERSION) {
    throw new SparkifyError(`the ledger in this warehouse (schema sparkify) is version ${version}, newer than this sparkify understands (${LEDGER_VERSION})`, {
      exitCode: ExitCode.config,
      hint: 'upgrade sparkify to the version that wrote it, then run again',
    });
  }
  const create = (await statements('07_ledger.sql')).map((s) => s.sql);
  if (version === undefined) {
    await warehouse.executeBatch([...create, ...versionRow(LEDGER_VERSION)], { signal });
    return 'created';
  }
  const upgrades = (await statements('08_ledger_upgrades.sql')).filter((s) => {
    const target = Number(/^version (\d+):/.exec(s.name)?.[1]);
    return target > version && target <= LEDGER_VERSION;
  });
  // Tables a newer layout adds are made by the CREATE ... IF NOT EXISTS; the upgrades add columns to those that were there.
  await warehouse.executeBatch([...create, ...upgrades.map((s) => s.sql), ...versionRow(LEDGER_VERSION)], { signal });
  return { upgradedFrom: version };
}
