// What the prompt makes of a draft before it reaches the engine: whether Enter
// runs it, and the SQL behind psql's backslash commands.
import { describeTableSql, listDatabasesSql, listSchemasSql, listTablesSql, type CatalogTarget } from '../../pipeline/catalog-commands.js';
import { SparkifyError, UsageError, isAbortError } from '../../pipeline/errors.js';
import { codeTokens, tokenize, type Token } from '../../pipeline/sql/tokenizer.js';
import type { Notice } from './sql-reducer.js';

/** True when Enter should run the text: it ends with `;` (outside strings and comments), or its last line is a `\` command. */
export function isStatementComplete(text: string): boolean {
  const trimmed = text.trim();
  if (splitTrailingCommand(trimmed)) return true;
  const last = codeTokens(tokenize(trimmed)).at(-1);
  return last?.type === 'punct' && last.text === ';';
}

/**
 * A backslash command at the end of the draft, and the statement before it
 * (empty when the command is the whole draft): `\save NAME` and `\explain`
 * under a statement act on that statement. As in psql, the command may follow
 * the statement's `;` on its line (`select 1; \compare`): the rest of the
 * line is the command's.
 */
export function splitTrailingCommand(text: string): { body: string; command: string } | undefined {
  const trimmed = text.trim();
  const lineStart = trimmed.lastIndexOf('\n') + 1;
  let offset = 0;
  /** The last code token on the command's line before it. */
  let before: Token | undefined;
  for (const token of tokenize(trimmed)) {
    if (offset >= lineStart && token.type === 'punct' && token.text === '\\') {
      if (before && before.text !== ';') return undefined;
      return { body: trimmed.slice(0, offset).trim(), command: trimmed.slice(offset).trim() };
    }
    if (offset >= lineStart && token.type !== 'space' && token.type !== 'comment') before = token;
    offset += token.text.length;
  }
  return undefined;
}

/** psql's backslash commands the prompt knows, as `\?` lists them. */
export const META_COMMANDS: readonly [string, string][] = [
  ['\\q', 'leave sparkify'],
  ['\\?', 'list these commands'],
  ['\\timing', 'show or hide how long each statement took'],
  ['\\x', 'show each row as a record, one line per column (expanded display)'],
  ['\\i FILE', 'run the statements of a file'],
  ['\\o [FILE]', 'send results to a file as well (\\o alone stops)'],
  ['\\dn', 'list schemas'],
  ['\\dt [PATTERN]', 'list tables (* any text, ? one character, schema.name)'],
  ['\\d TABLE', 'describe a table'],
  ['\\d+ TABLE', 'describe a table with its defaults (Redshift: dist style, dist key, sort key)'],
  ['\\l', 'list databases'],
  ['\\explain [SQL]', 'the plan of SQL (or of the last statement) as a tree; Ctrl-P shows the draft\'s'],
  ['\\compare', 'run the statement above (or the last one) on the other engine too and compare the results (Ctrl-B)'],
  ['\\save NAME', 'save the statement above (or the last one run) as NAME.sql in your queries folder; \\save! replaces'],
  ['\\c', 'a new session (settings, temporary tables and an open transaction go)'],
  ['\\e', 'edit the last statement in $EDITOR (Ctrl-X Ctrl-E edits the draft)'],
];

/** What a backslash command asks for: SQL to run, or something the prompt does itself. */
export type MetaCommand =
  | { kind: 'sql'; sql: string }
  | { kind: 'quit' }
  | { kind: 'help' }
  | { kind: 'timing' }
  /** `\x`: rows as records, one line per column, or back to the table. */
  | { kind: 'expanded' }
  /** `\i FILE`: the file's statements, run as a typed draft would be. */
  | { kind: 'include'; path: string }
  /** `\o FILE` starts copying results to the file; `\o` alone stops. */
  | { kind: 'output'; path?: string }
  /** `\c`: ends the prompt's session; the next statement starts afresh. */
  | { kind: 'reconnect' }
  /** `\explain [SQL]`: the EXPLAIN view of SQL, or of the last statement run. */
  | { kind: 'explain'; sql?: string }
  /** `\e`: the last statement in the user's editor, back as the draft. */
  | { kind: 'edit' }
  /** `\save NAME` (`\save! NAME` replaces): a saved query of the statement. */
  | { kind: 'save'; name: string; replace: boolean }
  /** `\compare`: the statement on both engines, compared. */
  | { kind: 'compare' };

/** Parses a backslash command for the engine it will run on (the catalog queries differ). */
export function parseMetaCommand(text: string, target: CatalogTarget = 'local'): MetaCommand {
  const [command, ...rest] = text.trim().replace(/;+$/, '').trim().split(/\s+/);
  const argument = rest.join(' ');
  // The statement after \explain keeps its own lines and spacing.
  if (command === '\\explain') {
    const statement = text.trim().slice(command.length).trim();
    return statement === '' ? { kind: 'explain' } : { kind: 'explain', sql: statement };
  }
  switch (command) {
    case '\\q':
      return { kind: 'quit' };
    case '\\?':
      return { kind: 'help' };
    case '\\timing':
      return { kind: 'timing' };
    case '\\x':
      return { kind: 'expanded' };
    case '\\i':
      if (argument === '') throw new UsageError('\\i needs a file name', 'write \\i FILE, as in \\i queries/top-songs.sql');
      return { kind: 'include', path: argument };
    case '\\o':
      return argument === '' ? { kind: 'output' } : { kind: 'output', path: argument };
    case '\\dn':
      return { kind: 'sql', sql: listSchemasSql() };
    case '\\dt':
      return { kind: 'sql', sql: listTablesSql(argument) };
    case '\\d':
    case '\\d+':
      if (argument === '') return { kind: 'sql', sql: listTablesSql() };
      return { kind: 'sql', sql: describeTableSql(target, argument, command === '\\d+') };
    case '\\l':
      return { kind: 'sql', sql: listDatabasesSql(target) };
    case '\\e':
      return { kind: 'edit' };
    case '\\compare':
      return { kind: 'compare' };
    case '\\save':
    case '\\save!':
      if (argument === '') throw new UsageError(`${command} needs a name`, `write ${command} NAME under the statement, as in ${command} top-songs`);
      return { kind: 'save', name: argument, replace: command === '\\save!' };
    case '\\c':
    case '\\connect':
      if (argument !== '') throw new UsageError('\\c connects again to the configured database only', 'change the database with `sparkify setup`, then \\c');
      return { kind: 'reconnect' };
  }
  throw new UsageError(`unknown command ${command}`, '\\? lists the commands');
}

export function errorNotice(error: unknown): Notice {
  if (isAbortError(error)) return { text: 'cancelled', tone: 'info' };
  if (error instanceof SparkifyError) return { text: error.message, tone: 'error', hint: error.hint };
  return { text: (error as Error)?.message ?? String(error), tone: 'error' };
}
