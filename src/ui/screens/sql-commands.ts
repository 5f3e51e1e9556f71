// What the prompt makes of a draft before it reaches the engine: whether Enter
// runs it, and the SQL behind psql's backslash commands.
import { describeTableSql, LIST_TABLES_SQL } from '../../pipeline/completion.js';
import { SparkifyError, UsageError, isAbortError } from '../../pipeline/errors.js';
import { codeTokens, tokenize } from '../../pipeline/sql/tokenizer.js';
import type { Notice } from './sql-reducer.js';

/** True when Enter should run the text: it ends with `;` (outside strings and comments) or is a `\` command. */
export function isStatementComplete(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed.startsWith('\\')) return true;
  const last = codeTokens(tokenize(trimmed)).at(-1);
  return last?.type === 'punct' && last.text === ';';
}

/** psql's backslash commands the prompt knows, as `\?` lists them. */
export const META_COMMANDS: readonly [string, string][] = [
  ['\\q', 'leave sparkify'],
  ['\\?', 'list these commands'],
  ['\\timing', 'show or hide how long each statement took'],
  ['\\dt', 'list tables'],
  ['\\d TABLE', 'describe a table'],
];

/** What a backslash command asks for: SQL to run, or something the prompt does itself. */
export type MetaCommand = { kind: 'sql'; sql: string } | { kind: 'quit' } | { kind: 'help' } | { kind: 'timing' };

export function parseMetaCommand(text: string): MetaCommand {
  const [command, ...rest] = text.trim().replace(/;+$/, '').trim().split(/\s+/);
  const argument = rest.join(' ');
  if (command === '\\q') return { kind: 'quit' };
  if (command === '\\?') return { kind: 'help' };
  if (command === '\\timing') return { kind: 'timing' };
  if (command === '\\dt' || (command === '\\d' && argument === '')) return { kind: 'sql', sql: LIST_TABLES_SQL };
  if (command === '\\d') return { kind: 'sql', sql: describeTableSql(argument) };
  throw new UsageError(`unknown command ${command}`, '\\? lists the commands');
}

export function errorNotice(error: unknown): Notice {
  if (isAbortError(error)) return { text: 'cancelled', tone: 'info' };
  if (error instanceof SparkifyError) return { text: error.message, tone: 'error', hint: error.hint };
  return { text: (error as Error)?.message ?? String(error), tone: 'error' };
}
