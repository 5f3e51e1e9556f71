// Where the prompt's statements run. On Redshift, a Data API session opened
// by the first statement and kept alive while the prompt is open, so SET,
// temporary tables and transactions carry from one statement to the next as in
// psql. On the local engine a session holds the warehouse file, which another
// terminal may want: the prompt opens one only when a statement leaves
// something in it (SET, a temporary table, BEGIN), and `\c` lets it go.
import { useCallback, useEffect, useRef } from 'react';
import type { ScriptStep, ScriptTarget } from '../../pipeline/script.js';
import { leavesSessionState } from '../../pipeline/sql/session-state.js';
import type { Warehouse, WarehouseSession } from '../../pipeline/warehouse/types.js';

export interface PromptConnection {
  /** Where these steps run: the session when one is open or they need one, else the warehouse. */
  targetFor: (steps: readonly ScriptStep[]) => Promise<ScriptTarget>;
  /** Where the statement last run is run again (reading on, exporting). */
  current: () => ScriptTarget;
  /** True while a session is open. */
  hasSession: () => boolean;
  /** `\c`: ends the session (its settings and temporary tables go); true when there was one. */
  reconnect: () => Promise<boolean>;
}

export function usePromptConnection(warehouse: Warehouse): PromptConnection {
  const sessionRef = useRef<Promise<WarehouseSession> | null>(null);
  const openRef = useRef<WarehouseSession | null>(null);

  const close = useCallback(async (): Promise<boolean> => {
    const pending = sessionRef.current;
    sessionRef.current = null;
    openRef.current = null;
    if (!pending) return false;
    await (await pending.catch(() => null))?.close();
    return true;
  }, []);
  useEffect(() => () => void close(), [warehouse, close]);

  const targetFor = useCallback(
    (steps: readonly ScriptStep[]): Promise<ScriptTarget> => {
      const wanted = warehouse.target === 'redshift' || steps.some((step) => leavesSessionState(step.sql));
      if (!sessionRef.current && !wanted) return Promise.resolve(warehouse);
      if (!sessionRef.current) {
        const opening = warehouse.openSession();
        sessionRef.current = opening;
        opening.then(
          (session) => sessionRef.current === opening && (openRef.current = session),
          () => sessionRef.current === opening && (sessionRef.current = null),
        );
      }
      return sessionRef.current;
    },
    [warehouse],
  );

  return {
    targetFor,
    current: useCallback(() => openRef.current ?? warehouse, [warehouse]),
    hasSession: useCallback(() => sessionRef.current !== null, []),
    reconnect: close,
  };
}
