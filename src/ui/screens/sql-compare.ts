// "Same query on the other engine": the statement runs on the prompt's engine
// and on the other configured one (the local file beside a Redshift target,
// or the Redshift target beside the local file), and the results are compared.
import { useCallback, useEffect, useRef } from 'react';
import { compareQuery } from '../../pipeline/compare.js';
import { UsageError } from '../../pipeline/errors.js';
import { classify } from '../../pipeline/sql/classify.js';
import { splitStatements } from '../../pipeline/sql/tokenizer.js';
import type { ScriptTarget } from '../../pipeline/script.js';
import type { Warehouse, WarehouseSession } from '../../pipeline/warehouse/types.js';
import { errorNotice } from './sql-commands.js';
import type { PromptConnection } from './sql-connection.js';
import type { BeginWork } from './sql-explain.js';
import type { SqlAction } from './sql-reducer.js';

const engineName = (warehouse: Pick<Warehouse, 'target'>) => (warehouse.target === 'local' ? 'local' : 'Redshift');

/** The one read a comparison runs on both engines (a change of data must not run twice). */
function comparableStatement(sql: string): string {
  const statements = splitStatements(sql);
  if (statements.length !== 1) throw new UsageError('\\compare takes one statement at a time', 'leave one SELECT in the draft');
  const { kind, command } = classify(statements[0].sql);
  if (kind !== 'read') throw new UsageError(`\\compare runs reads only, not ${command}`, 'it runs the statement on both engines: compare a SELECT');
  return statements[0].sql;
}

/** The other engine and what its queries run on: on Redshift a session, whose search path resolves unqualified names as the prompt's does. */
interface OtherEngine {
  warehouse: Warehouse;
  target: ScriptTarget;
  close(): Promise<void>;
}

async function openOtherEngine(open: () => Promise<Warehouse>): Promise<OtherEngine> {
  const warehouse = await open();
  let session: WarehouseSession | undefined;
  try {
    if (warehouse.target === 'redshift') session = await warehouse.openSession();
  } catch (error) {
    await warehouse.close();
    throw error;
  }
  return {
    warehouse,
    target: session ?? warehouse,
    close: async () => {
      await session?.close().catch(() => undefined);
      await warehouse.close();
    },
  };
}

export function useCompare(
  warehouse: Warehouse,
  connection: PromptConnection,
  openOther: (() => Promise<Warehouse>) | undefined,
  dispatch: (action: SqlAction) => void,
  beginWork: BeginWork,
): (sql: string) => Promise<void> {
  const otherRef = useRef<Promise<OtherEngine> | null>(null);
  useEffect(
    () => () => {
      void otherRef.current?.then((other) => other.close()).catch(() => undefined);
      otherRef.current = null;
    },
    [openOther],
  );
  return useCallback(
    async (sql: string) => {
      const controller = new AbortController();
      const done = beginWork('compare', controller);
      try {
        const statement = comparableStatement(sql);
        if (!openOther) {
          throw new UsageError('\\compare needs both engines: a local warehouse and a Redshift target', 'configure the other one with `sparkify setup` (the config keeps both)');
        }
        dispatch({ type: 'notice', notice: { text: 'running it on both engines…', tone: 'info' } });
        otherRef.current ??= openOtherEngine(openOther);
        const other = await otherRef.current.catch((error: unknown) => {
          otherRef.current = null;
          throw error;
        });
        const here = { label: engineName(warehouse), target: await connection.targetFor([]) };
        const comparison = await compareQuery(statement, here, { label: engineName(other.warehouse), target: other.target }, { signal: controller.signal });
        dispatch({ type: 'compare-open', sql: statement.trim(), comparison });
      } catch (error) {
        dispatch({ type: 'notice', notice: errorNotice(error) });
      } finally {
        done();
      }
    },
    [warehouse, connection, openOther, dispatch, beginWork],
  );
}
