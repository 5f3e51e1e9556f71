// The backslash commands the prompt carries out itself (`\q`, `\?`, `\timing`,
// `\x`, `\i`, `\o`, `\c`, `\e`), and what those that query the catalog hand back to be run.
import { readFile } from 'node:fs/promises';
import { useCallback, useEffect, useRef } from 'react';
import { UsageError, describeSystemError, isSystemError } from '../../pipeline/errors.js';
import { OutputFile, typedPath } from '../../pipeline/output-file.js';
import { saveQuery } from '../../pipeline/saved-queries.js';
import type { Warehouse } from '../../pipeline/warehouse/types.js';
import { editorFromText } from '../components/text-editor.js';
import { META_COMMANDS, errorNotice, parseMetaCommand } from './sql-commands.js';
import type { PromptConnection } from './sql-connection.js';
import type { SqlAction } from './sql-reducer.js';

export interface MetaCommands {
  /**
   * Carries out a backslash command, given the statement above it in the
   * draft (or ''); returns the SQL it stands for, or null when nothing is
   * left to run.
   */
  handle: (command: string, body: string) => Promise<string | null>;
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
  compare: (sql: string) => Promise<void>;
  /** The last statement run (not a backslash command), for `\explain` and `\save` alone. */
  lastStatement: () => string | undefined;
  /** `\e`: opens the user's editor on this text, taking back what it saves as the draft. */
  edit: (text: string) => void;
  /** Where `\save` writes. */
  savedQueriesDir: string;
}

/** Commands that act on the statement above them; the rest stand on a line of their own. */
const TAKES_STATEMENT = new Set(['explain', 'save', 'compare']);

export function useMetaCommands(warehouse: Warehouse, connection: PromptConnection, dispatch: (action: SqlAction) => void, actions: MetaActions): MetaCommands {
  const { onQuit, explain, compare, lastStatement, edit, savedQueriesDir } = actions;
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
    async (typed: string, body: string): Promise<string | null> => {
      try {
        const command = parseMetaCommand(typed, warehouse.target);
        if (body !== '' && !TAKES_STATEMENT.has(command.kind)) {
          throw new UsageError(`${typed.split(/\s+/)[0]} goes on a line of its own`, 'run the statement with ; first, then the command');
        }
        const statement = body === '' ? lastStatement() : body;
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
            const subject = command.sql ?? statement;
            if (subject === undefined) {
              info('\\explain needs a statement: \\explain SELECT ..., or run one first');
              return null;
            }
            dispatch({ type: 'command-done', notice: { text: 'reading the plan…', tone: 'info' } });
            await explain(subject);
            return null;
          }
          case 'compare':
            if (statement === undefined) throw new UsageError('nothing to compare yet', 'write a SELECT, then \\compare on the line under it (or Ctrl-B)');
            dispatch({ type: 'command-done', notice: { text: 'running it on both engines…', tone: 'info' } });
            await compare(statement);
            return null;
          case 'save': {
            if (statement === undefined) throw new UsageError('nothing to save yet', 'write the statement, then \\save NAME on the line under it');
            const path = await saveQuery(savedQueriesDir, command.name, statement, { replace: command.replace });
            dispatch({ type: 'command-done', notice: { text: `saved ${path} (Ctrl-O lists it)`, tone: 'success', wrap: true } });
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
        // A refused command under a statement leaves the statement in the draft, for another try.
        dispatch({ type: 'command-done', notice: errorNotice(error) });
        if (body !== '') dispatch({ type: 'edit', editor: editorFromText(body) });
        return null;
      }
    },
    [warehouse, connection, dispatch, info, onQuit, explain, compare, lastStatement, edit, savedQueriesDir],
  );

  return { handle, timing: useCallback(() => timingRef.current, []), output: useCallback(() => outputRef.current, []) };
}
