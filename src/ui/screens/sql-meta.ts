// The backslash commands the prompt carries out itself (`\q`, `\?`, `\timing`,
// `\x`, `\i`, `\o`, `\c`, `\e`), and what those that query the catalog hand back to be run.
import { readFile } from 'node:fs/promises';
import { useCallback, useEffect, useRef } from 'react';
import { UsageError, describeSystemError, isSystemError } from '../../pipeline/errors.js';
import { OutputFile, typedPath } from '../../pipeline/output-file.js';
import type { Warehouse } from '../../pipeline/warehouse/types.js';
import { META_COMMANDS, errorNotice, parseMetaCommand } from './sql-commands.js';
import type { PromptConnection } from './sql-connection.js';
import type { SqlAction } from './sql-reducer.js';

export interface MetaCommands {
  /** Carries out a backslash command; returns the SQL it stands for, or null when nothing is left to run. */
  handle: (typed: string) => Promise<string | null>;
  /** `\timing`: whether a finished statement says how long it took. */
  timing: () => boolean;
  /** `\o`: the file results go to as well, while one is set. */
  output: () => OutputFile | null;
}

async function readScript(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (!isSystemError(error)) throw error;
    throw new UsageError(`cannot read ${path}: ${describeSystemError(error)}`, 'give \\i the path of a .sql file (relative to the folder sparkify started in)');
  }
}

/** What the commands ask of the rest of the prompt. */
export interface MetaActions {
  onQuit?: () => void;
  explain: (sql: string) => Promise<void>;
  /** The last statement run (not a backslash command), for `\explain` alone. */
  lastStatement: () => string | undefined;
  /** `\e`: opens the user's editor on this text, taking back what it saves as the draft. */
  edit: (text: string) => void;
}

export function useMetaCommands(warehouse: Warehouse, connection: PromptConnection, dispatch: (action: SqlAction) => void, actions: MetaActions): MetaCommands {
  const { onQuit, explain, lastStatement, edit } = actions;
  const timingRef = useRef(true);
  const outputRef = useRef<OutputFile | null>(null);
  useEffect(
    () => () => {
      void outputRef.current?.close();
      outputRef.current = null;
    },
    [],
  );
  const info = useCallback((text: string) => dispatch({ type: 'command-done', notice: { text, tone: 'info', wrap: true } }), [dispatch]);

  const handle = useCallback(
    async (typed: string): Promise<string | null> => {
      try {
        const command = parseMetaCommand(typed, warehouse.target);
        switch (command.kind) {
          case 'quit':
            onQuit?.();
            return null;
          case 'help':
            info(META_COMMANDS.map(([name, what]) => `${name} ${what}`).join(' · '));
            return null;
          case 'timing':
            timingRef.current = !timingRef.current;
            info(`timing is ${timingRef.current ? 'on' : 'off'}`);
            return null;
          case 'expanded':
            dispatch({ type: 'toggle-expanded' });
            return null;
          case 'include': {
            const text = await readScript(typedPath(command.path));
            if (text.trim() === '') {
              info(`${command.path} holds no statements`);
              return null;
            }
            return text;
          }
          case 'output': {
            const before = outputRef.current;
            outputRef.current = null;
            await before?.close();
            if (command.path === undefined) {
              info(before ? `results no longer go to ${before.path}` : 'results go to the screen only');
              return null;
            }
            outputRef.current = await OutputFile.open(typedPath(command.path));
            info(`results go to ${outputRef.current.path} as well (\\o alone stops)`);
            return null;
          }
          case 'reconnect':
            info((await connection.reconnect()) ? 'a new session: its settings, temporary tables and open transaction are gone' : 'a new session');
            return null;
          case 'explain': {
            const statement = command.sql ?? lastStatement();
            if (statement === undefined) {
              info('\\explain needs a statement: \\explain SELECT ..., or run one first');
              return null;
            }
            dispatch({ type: 'command-done', notice: { text: 'reading the plan…', tone: 'info' } });
            await explain(statement);
            return null;
          }
          case 'edit':
            dispatch({ type: 'discard' });
            edit(lastStatement() ?? '');
            return null;
          case 'sql':
            return command.sql;
        }
      } catch (error) {
        dispatch({ type: 'command-done', notice: errorNotice(error) });
        return null;
      }
    },
    [warehouse, connection, dispatch, info, onQuit, explain, lastStatement, edit],
  );

  return { handle, timing: useCallback(() => timingRef.current, []), output: useCallback(() => outputRef.current, []) };
}
