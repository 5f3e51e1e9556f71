// Secrets out of SQL text, on tokens: the value after an option that names a
// secret is replaced whatever its form (a '' or E'' string, a $$ string, a
// quoted identifier, after comments or `=`), and secrets inside strings
// (key=value pairs of credentials and connection strings, passwords in URIs)
// and AWS access key ids anywhere are masked. The statement keeps its shape,
// so the history still reads right.
import { tokenize, untokenize, type Token } from './tokenizer.js';
import { isCode, isPunct, nextCode } from './tokens.js';

export const REDACTED = '***';

/**
 * Options whose value is a secret: DuckDB's CREATE SECRET (s3, gcs, r2, azure,
 * http, huggingface, iceberg, postgres, mysql) and ATTACH options, and
 * Redshift's CREATE/ALTER USER, COPY, UNLOAD and CREATE MODEL credentials.
 */
const SECRET_OPTIONS = new Set([
  'PASSWORD',
  'SECRET',
  'KEY_ID',
  'SESSION_TOKEN',
  'TOKEN',
  'BEARER_TOKEN',
  'CONNECTION_STRING',
  'CLIENT_SECRET',
  'ACCOUNT_KEY',
  'ENCRYPTION_KEY',
  'EXTRA_HTTP_HEADERS',
  'CREDENTIALS',
  'ACCESS_KEY_ID',
  'SECRET_ACCESS_KEY',
  'MASTER_SYMMETRIC_KEY',
]);

/** Words that may follow PASSWORD and are not a password. */
const PASSWORD_KEYWORDS = new Set(['DISABLE', 'NULL']);

/** Keys of key=value pairs that hold a secret, in credentials and connection strings. */
const SECRET_PAIR = /\b(aws_secret_access_key|aws_access_key_id|aws_session_token|session_token|token|password|pwd|secret|master_symmetric_key|AccountKey|SharedAccessSignature|client_secret)(\s*=\s*)(?:'[^']*'|"[^"]*"|[^;&\s'"]+)/gi;

/** user:password@ in a URI. */
const URI_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^:/@\s'"]*):([^@/\s'"]+)@/gi;

const ACCESS_KEY_ID = /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g;

/** The statement with every secret value replaced by `***`. */
export function redactSecrets(sql: string): string {
  const tokens = tokenize(sql);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.type === 'word' && SECRET_OPTIONS.has(token.text.toUpperCase())) redactValueAfter(tokens, i);
  }
  return untokenize(tokens.map(maskInside));
}

/** Replaces the value of the option at `at`: the next code token past an optional `=` or AS. */
function redactValueAfter(tokens: Token[], at: number): void {
  const option = tokens[at].text.toUpperCase();
  let i = nextCode(tokens, at + 1);
  if (isPunct(tokens[i], '=') || (tokens[i]?.type === 'word' && tokens[i].text.toUpperCase() === 'AS')) i = nextCode(tokens, i + 1);
  const value = tokens[i];
  if (!value) return;
  if (value.type === 'string' || value.type === 'ident') {
    tokens[i] = { ...value, text: redactedLike(value) };
  } else if (option === 'PASSWORD' && (value.type === 'word' || value.type === 'number') && !PASSWORD_KEYWORDS.has(value.text.toUpperCase())) {
    tokens[i] = { type: 'string', text: `'${REDACTED}'` };
  } else if (isPunct(value, '{') || (value.type === 'word' && value.text.toUpperCase() === 'MAP')) {
    // A map of values (EXTRA_HTTP_HEADERS MAP {'Authorization': 'Bearer ...'}): every string in it.
    const open = isPunct(value, '{') ? i : nextCode(tokens, i + 1);
    if (!isPunct(tokens[open], '{')) return;
    for (let depth = 0, j = open; j < tokens.length; j++) {
      if (isPunct(tokens[j], '{')) depth++;
      else if (isPunct(tokens[j], '}') && --depth === 0) break;
      else if (tokens[j].type === 'string' && isCode(tokens[j])) tokens[j] = { ...tokens[j], text: redactedLike(tokens[j]) };
    }
  }
}

/** `***` in the same quoting as the token: 'x', E'x', $$x$$, "x". */
function redactedLike(token: Token): string {
  const text = token.text;
  if (token.type === 'ident') return `"${REDACTED}"`;
  const dollar = text.match(/^\$[A-Za-z0-9_]*\$/);
  if (dollar) return `${dollar[0]}${REDACTED}${dollar[0]}`;
  return /^[Ee]'/.test(text) ? `E'${REDACTED}'` : `'${REDACTED}'`;
}

/**
 * Secrets inside a string or a comment: key=value pairs, URI passwords,
 * access key ids; a comment is SQL too (`-- password 'x'`), redacted as such.
 */
function maskInside(token: Token): Token {
  if (token.type === 'comment') {
    const [open, body, close] = token.text.startsWith('--') ? ['--', token.text.slice(2), ''] : ['/*', token.text.slice(2, token.text.endsWith('*/') ? -2 : undefined), token.text.endsWith('*/') ? '*/' : ''];
    const redacted = redactSecrets(body);
    if (redacted !== body) return { ...token, text: `${open}${redacted}${close}` };
  }
  const text =
    token.type !== 'string' && token.type !== 'comment' && token.type !== 'ident'
      ? token.text.replace(ACCESS_KEY_ID, REDACTED)
      : token.text
    .replace(SECRET_PAIR, (_, key: string, eq: string) => `${key}${eq}${REDACTED}`)
    .replace(URI_PASSWORD, (_, user: string) => `${user}:${REDACTED}@`)
    .replace(ACCESS_KEY_ID, REDACTED);
  return text === token.text ? token : { ...token, text };
}
