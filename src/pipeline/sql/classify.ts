// What a statement does, read from its tokens: whether it returns rows, changes
// data or the schema, loads, controls a transaction or sets an option, and the
// command tag psql prints for it (`CREATE TABLE`, `INSERT 0 5`, `COPY 8056`).
import { codeTokens, tokenize, type Token } from './tokenizer.js';
import { isPunct, isWord } from './tokens.js';

export type StatementKind = 'read' | 'dml' | 'ddl' | 'copy' | 'transaction' | 'set' | 'other';

export interface StatementClass {
  kind: StatementKind;
  /** The command as psql names it: SELECT, INSERT, CREATE TABLE, BEGIN... */
  command: string;
}

const READS = new Set(['SELECT', 'VALUES', 'SHOW', 'EXPLAIN', 'DESCRIBE', 'TABLE']);
const DML = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);
const TRANSACTION: Record<string, string> = { BEGIN: 'BEGIN', START: 'BEGIN', COMMIT: 'COMMIT', END: 'COMMIT', ROLLBACK: 'ROLLBACK', ABORT: 'ROLLBACK' };
const OBJECT_PREFIXES = ['OR', 'REPLACE', 'TEMP', 'TEMPORARY', 'LOCAL', 'GLOBAL', 'UNLOGGED'];
const TWO_WORD_OBJECTS = new Set(['MATERIALIZED', 'EXTERNAL']);

/** Words at parenthesis depth 0, upper-cased. */
function topLevelWords(code: Token[]): string[] {
  const words: string[] = [];
  let depth = 0;
  for (const t of code) {
    if (isPunct(t, '(')) depth++;
    else if (isPunct(t, ')')) depth--;
    else if (depth === 0 && t.type === 'word') words.push(t.text.toUpperCase());
  }
  return words;
}

/** SELECT ... INTO new_table FROM ...: a read that creates a table. */
function selectsInto(words: string[], from: number): boolean {
  for (let i = from; i < words.length; i++) {
    if (words[i] === 'FROM' || words[i] === 'UNION' || words[i] === 'WHERE') return false;
    if (words[i] === 'INTO') return true;
  }
  return false;
}

function objectCommand(verb: string, code: Token[]): string {
  let i = 1;
  while (isWord(code[i], ...OBJECT_PREFIXES)) i++;
  const object = code[i]?.type === 'word' ? code[i].text.toUpperCase() : '';
  if (TWO_WORD_OBJECTS.has(object) && code[i + 1]?.type === 'word') return `${verb} ${object} ${code[i + 1].text.toUpperCase()}`;
  return object ? `${verb} ${object}` : verb;
}

export function classifyTokens(tokens: Token[]): StatementClass {
  const code = codeTokens(tokens);
  const first = code[0];
  if (isPunct(first, '(')) return { kind: 'read', command: 'SELECT' };
  const verb = first?.type === 'word' ? first.text.toUpperCase() : '';
  const words = topLevelWords(code);
  if (verb === 'WITH') {
    const dml = words.find((w) => DML.has(w));
    if (dml) return { kind: 'dml', command: dml };
    const select = words.indexOf('SELECT');
    return select !== -1 && selectsInto(words, select + 1) ? { kind: 'ddl', command: 'SELECT' } : { kind: 'read', command: 'SELECT' };
  }
  if (verb === 'SELECT') return selectsInto(words, 1) ? { kind: 'ddl', command: 'SELECT' } : { kind: 'read', command: 'SELECT' };
  if (READS.has(verb)) return { kind: 'read', command: verb };
  if (DML.has(verb)) return { kind: 'dml', command: verb };
  if (verb === 'COPY') return { kind: 'copy', command: 'COPY' };
  if (TRANSACTION[verb]) return { kind: 'transaction', command: TRANSACTION[verb] };
  if (verb === 'SET' || verb === 'RESET') return { kind: 'set', command: verb };
  if (verb === 'TRUNCATE') return { kind: 'ddl', command: 'TRUNCATE TABLE' };
  if (verb === 'CREATE' || verb === 'DROP' || verb === 'ALTER') {
    const command = objectCommand(verb, code);
    // CREATE TABLE ... AS SELECT reports the rows it wrote, as psql does.
    if (command === 'CREATE TABLE' && words.includes('AS') && words.includes('SELECT')) return { kind: 'ddl', command: 'SELECT' };
    return { kind: 'ddl', command };
  }
  return { kind: 'other', command: verb };
}

export function classify(sql: string): StatementClass {
  return classifyTokens(tokenize(sql));
}

/** True for statements that only read: safe to run as a query and print. */
export function isReadOnly(sql: string): boolean {
  return classify(sql).kind === 'read';
}

/**
 * True for a query that can stand as a subquery (SELECT, WITH ... SELECT,
 * VALUES, TABLE, a parenthesised query), so an engine can nest it in its own
 * export; SHOW, EXPLAIN, DESCRIBE and SELECT ... INTO cannot.
 */
export function isNestableQuery(sql: string): boolean {
  const statement = classify(sql);
  return statement.kind === 'read' && ['SELECT', 'VALUES', 'TABLE'].includes(statement.command);
}

/** True for statements whose engine count is rows changed (INSERT, UPDATE, DELETE, MERGE, CTAS, SELECT INTO). */
export function reportsRowCount(statement: StatementClass): boolean {
  return statement.kind === 'dml' || statement.kind === 'copy' || statement.command === 'SELECT';
}

/** psql's command tag: `INSERT 0 5`, `DELETE 3`, `COPY 8056`, `CREATE TABLE`. */
export function commandTag(statement: StatementClass, rows: number | null): string {
  if (rows === null || !reportsRowCount(statement)) return statement.command;
  return statement.command === 'INSERT' ? `INSERT 0 ${rows}` : `${statement.command} ${rows}`;
}
