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

/** `\dt` lists tables; `\d name` describes one (`\d` alone lists tables too). */
export function metaCommandSql(text: string): string {
  const [command, ...rest] = text.trim().replace(/;+$/, '').trim().split(/\s+/);
  const argument = rest.join(' ');
  if (command === '\\dt' || (command === '\\d' && argument === '')) return LIST_TABLES_SQL;
  if (command === '\\d') return describeTableSql(argument);
  throw new UsageError(`unknown command ${command}`, 'use \\dt to list tables or \\d table to describe one');
}

export function errorNotice(error: unknown): Notice {
  if (isAbortError(error)) return { text: 'cancelled', tone: 'info' };
  if (error instanceof SparkifyError) return { text: error.message, tone: 'error', hint: error.hint };
  return { text: (error as Error)?.message ?? String(error), tone: 'error' };
}
