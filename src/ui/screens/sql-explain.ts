// The EXPLAIN view's work: the plan of a statement, asked of the engine the
// prompt runs on (its session, so temporary tables and settings count).
import { useCallback } from 'react';
import { explainPlan } from '../../pipeline/explain.js';
import type { Warehouse } from '../../pipeline/warehouse/types.js';
import { errorNotice } from './sql-commands.js';
import type { PromptConnection } from './sql-connection.js';
import type { SqlAction } from './sql-reducer.js';

export type BeginWork = (label: string, controller: AbortController) => () => void;

export function useExplain(warehouse: Warehouse, connection: PromptConnection, dispatch: (action: SqlAction) => void, beginWork: BeginWork): (sql: string) => Promise<void> {
  return useCallback(
    async (sql: string) => {
      if (sql.trim() === '') {
        dispatch({ type: 'notice', notice: { text: 'nothing to explain: write a statement first', tone: 'info' } });
        return;
      }
      const controller = new AbortController();
      const done = beginWork('explain', controller);
      dispatch({ type: 'notice', notice: { text: 'reading the plan…', tone: 'info' } });
      try {
        const target = await connection.targetFor([]);
        const plan = await explainPlan(target, warehouse.target, sql, controller.signal);
        dispatch({ type: 'plan-open', sql: sql.trim(), plan });
      } catch (error) {
        dispatch({ type: 'notice', notice: errorNotice(error) });
      } finally {
        done();
      }
    },
    [warehouse, connection, dispatch, beginWork],
  );
}
