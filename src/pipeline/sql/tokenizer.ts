// A small SQL lexer: enough to split scripts into statements and to rewrite
// code without touching string literals, quoted identifiers or comments.

export type TokenType = 'word' | 'string' | 'ident' | 'number' | 'punct' | 'space' | 'comment';

export interface Token {
  type: TokenType;
  text: string;
}

const WORD_START = /[A-Za-z_]/;
const WORD_PART = /[A-Za-z0-9_$]/;
const DIGIT = /[0-9]/;
const DOLLAR_TAG = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/;

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i];
    const start = i;
    if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
      tokens.push({ type: 'comment', text: sql.slice(start, i) });
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 2;
      tokens.push({ type: 'comment', text: sql.slice(start, i) });
    } else if (c === "'" || ((c === 'E' || c === 'e') && sql[i + 1] === "'")) {
      i += c === "'" ? 1 : 2;
      while (i < n) {
        if (sql[i] === '\\' && c !== "'") i += 2;
        else if (sql[i] === "'" && sql[i + 1] === "'") i += 2;
        else if (sql[i] === "'") {
          i++;
          break;
        } else i++;
      }
      tokens.push({ type: 'string', text: sql.slice(start, i) });
    } else if (c === '"') {
      i++;
      while (i < n) {
        if (sql[i] === '"' && sql[i + 1] === '"') i += 2;
        else if (sql[i] === '"') {
          i++;
          break;
        } else i++;
      }
      tokens.push({ type: 'ident', text: sql.slice(start, i) });
    } else if (c === '$' && DOLLAR_TAG.test(sql.slice(i))) {
      // A dollar-quoted body ($$ ... $$ or $tag$ ... $tag$): one string, semicolons and all.
      const tag = DOLLAR_TAG.exec(sql.slice(i))![0];
      const end = sql.indexOf(tag, i + tag.length);
      i = end === -1 ? n : end + tag.length;
      tokens.push({ type: 'string', text: sql.slice(start, i) });
    } else if (/\s/.test(c)) {
      while (i < n && /\s/.test(sql[i])) i++;
      tokens.push({ type: 'space', text: sql.slice(start, i) });
    } else if (WORD_START.test(c)) {
      while (i < n && WORD_PART.test(sql[i])) i++;
      tokens.push({ type: 'word', text: sql.slice(start, i) });
    } else if (DIGIT.test(c) || (c === '.' && DIGIT.test(sql[i + 1] ?? ''))) {
      while (i < n && /[0-9.eE]/.test(sql[i])) {
        if ((sql[i] === 'e' || sql[i] === 'E') && (sql[i + 1] === '-' || sql[i + 1] === '+')) i++;
        i++;
      }
      tokens.push({ type: 'number', text: sql.slice(start, i) });
    } else {
      // Two-character operators stay together so `::` and `<>` are one token.
      const two = sql.slice(i, i + 2);
      if (['::', '<>', '!=', '<=', '>=', '||'].includes(two)) i += 2;
      else i++;
      tokens.push({ type: 'punct', text: sql.slice(start, i) });
    }
  }
  return tokens;
}

export function untokenize(tokens: Token[]): string {
  return tokens.map((t) => t.text).join('');
}

/** Tokens that carry meaning (no white space, no comments). */
export function codeTokens(tokens: Token[]): Token[] {
  return tokens.filter((t) => t.type !== 'space' && t.type !== 'comment');
}

export interface ScriptStatement {
  /** The `-- name: ...` comment right before the statement, if any. */
  name?: string;
  /** The statement text without its trailing semicolon, trimmed, comments kept. */
  sql: string;
  /** Line (from 1) in the script where the statement's code begins. */
  line: number;
}

/** Splits a script on semicolons outside strings and comments; drops empty statements. */
export function splitStatements(script: string): ScriptStatement[] {
  const statements: ScriptStatement[] = [];
  let current: Token[] = [];
  let line = 1;
  let startLine = 1;
  let hasCode = false;
  const flush = () => {
    if (hasCode) {
      let name: string | undefined;
      let from = 0;
      for (const [index, token] of current.entries()) {
        if (token.type !== 'comment' && token.type !== 'space') break;
        const match = token.type === 'comment' ? token.text.match(/^--\s*name:\s*(.+?)\s*$/) : null;
        if (match) {
          name = match[1];
          from = index + 1;
        }
      }
      // What comes before the name line (a file's header) is not part of the statement.
      statements.push({ name, sql: untokenize(current.slice(name ? from : 0)).trim(), line: startLine });
    }
    current = [];
    hasCode = false;
  };
  for (const token of tokenize(script)) {
    if (!hasCode && token.type !== 'space' && token.type !== 'comment' && token.text !== ';') {
      hasCode = true;
      startLine = line;
    }
    if (token.type === 'punct' && token.text === ';') flush();
    else current.push(token);
    line += countNewlines(token.text);
  }
  flush();
  return statements;
}

function countNewlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/** The statement with leading comments removed: what a reader sees as the SQL. */
export function stripLeadingComments(sql: string): string {
  const tokens = tokenize(sql);
  let i = 0;
  while (i < tokens.length && (tokens[i].type === 'space' || tokens[i].type === 'comment')) i++;
  return untokenize(tokens.slice(i)).trim();
}

/** Value of a single-quoted SQL string literal. */
export function unquote(literal: string): string {
  if (literal.startsWith("'") && literal.endsWith("'")) return literal.slice(1, -1).replace(/''/g, "'");
  return literal;
}

export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
