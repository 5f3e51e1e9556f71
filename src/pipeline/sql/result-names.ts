// The names Redshift gives a query's result columns, read from the statement
// as written. Redshift names columns as PostgreSQL does: an alias; else a
// column reference's column, a call's function (`count`, and `coalesce` for
// NVL, `case` for DECODE, `date_part` for EXTRACT), CASE `case`, a cast its
// inner column or function, or failing those its type (`int4`, `varchar`,
// `bool` for TRUE); any other expression `?column?`. DuckDB names a column
// after its expression's text, which the rewrite changed besides. Names are
// folded to lower case, quoted ones too, as Redshift folds identifiers.
import { codeTokens, tokenize, type Token } from './tokenizer.js';
import { closingParen, isPunct, isWord } from './tokens.js';
import { SqlError } from '../errors.js';

const UNNAMED = '?column?';

/** A name and how sure PostgreSQL's naming is of it: 2 a column or function, 1 a type or CASE, 0 none. */
interface Figured {
  name: string;
  strength: 0 | 1 | 2;
}

const NONE: Figured = { name: UNNAMED, strength: 0 };

/** Words that end a select list at its own level. */
const LIST_ENDS = new Set(['FROM', 'INTO', 'WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'OFFSET', 'UNION', 'INTERSECT', 'EXCEPT', 'MINUS', 'WINDOW', 'QUALIFY', 'FETCH']);

/** Words that can end an expression, so a word after them is an alias; and words never taken as an alias without AS. */
const NOT_ALIASES = new Set([
  'END', 'NULL', 'TRUE', 'FALSE', 'PRECISION', 'ZONE', 'VARYING', 'AND', 'OR', 'NOT', 'IS', 'IN', 'LIKE', 'ILIKE',
  'SIMILAR', 'BETWEEN', 'ESCAPE', 'THEN', 'ELSE', 'WHEN', 'CASE', 'AS', 'DISTINCT', 'ALL', 'SELECT', 'ISNULL', 'NOTNULL',
  'YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND', 'OVER', 'NULLS', 'FIRST', 'LAST', 'ASC', 'DESC', 'COLLATE',
]);

const isKeywordLike = (t: Token) => t.type === 'word' && NOT_ALIASES.has(t.text.toUpperCase());

/**
 * The column name Redshift gives an unaliased call, where it is not the
 * function's own name (the guide's examples show these). The rewrite names
 * the calls it rewrites with these too, so a table made with CREATE TABLE AS
 * has them.
 */
export const REDSHIFT_CALL_NAMES: Readonly<Record<string, string>> = {
  DATEADD: 'date_add', DATE_ADD: 'date_add', DATEDIFF: 'date_diff', DATE_DIFF: 'date_diff', DATE_PART: 'pgdate_part',
  DATEPART: 'pgdate_part', EXTRACT: 'date_part', DECODE: 'case', NVL: 'coalesce',
};

/** Words that stand for a value (PostgreSQL makes them casts or calls, and names them so). */
const VALUE_WORDS: Record<string, Figured> = {
  TRUE: { name: 'bool', strength: 1 },
  FALSE: { name: 'bool', strength: 1 },
  NULL: NONE,
  CURRENT_DATE: { name: 'date', strength: 1 },
  CURRENT_TIME: { name: 'timetz', strength: 1 },
  CURRENT_TIMESTAMP: { name: 'timestamptz', strength: 1 },
  LOCALTIME: { name: 'time', strength: 1 },
  LOCALTIMESTAMP: { name: 'timestamp', strength: 1 },
  SYSDATE: { name: 'timestamp', strength: 1 },
  CURRENT_USER: { name: 'current_user', strength: 2 },
  USER: { name: 'current_user', strength: 2 },
  SESSION_USER: { name: 'session_user', strength: 2 },
};

/** Type names as PostgreSQL's grammar spells them internally, which is how a cast to them is named. */
const TYPE_NAMES: Record<string, string> = {
  INT: 'int4', INTEGER: 'int4', INT4: 'int4', SMALLINT: 'int2', INT2: 'int2', BIGINT: 'int8', INT8: 'int8',
  REAL: 'float4', FLOAT4: 'float4', FLOAT: 'float8', FLOAT8: 'float8', DOUBLE: 'float8',
  NUMERIC: 'numeric', DECIMAL: 'numeric', DEC: 'numeric', BOOLEAN: 'bool', BOOL: 'bool',
  CHAR: 'bpchar', CHARACTER: 'bpchar', NCHAR: 'bpchar', BPCHAR: 'bpchar', VARCHAR: 'varchar', NVARCHAR: 'varchar',
  TIMESTAMPTZ: 'timestamptz', TIMETZ: 'timetz',
};

/** Words that start a typed literal (`DATE '2020-01-01'`). */
const LITERAL_TYPES = new Set(['DATE', 'TIME', 'TIMESTAMP', 'TIMESTAMPTZ', 'TIMETZ', 'INTERVAL']);

/** An identifier as Redshift stores it: unquoted and in lower case. */
function identifier(t: Token): string {
  return (t.type === 'ident' ? t.text.slice(1, -1).replace(/""/g, '"') : t.text).toLowerCase();
}

const isName = (t: Token | undefined) => t !== undefined && (t.type === 'ident' || t.type === 'word');

/** Index just past the group that opens at `open`, or -1 when it does not close. */
function pastGroup(code: Token[], open: number): number {
  const close = closingParen(code, open);
  return close === -1 ? -1 : close + 1;
}

/**
 * The top-level select list of a query (`WITH` and leading parentheses
 * skipped, the first SELECT of a set operation), as the tokens of each item;
 * undefined when the statement is not a query.
 */
function selectList(code: Token[]): Token[][] | undefined {
  let i = 0;
  while (isPunct(code[i], '(')) i++;
  if (isWord(code[i], 'WITH')) {
    i++;
    if (isWord(code[i], 'RECURSIVE')) i++;
    for (;;) {
      i++;
      if (isPunct(code[i], '(')) i = pastGroup(code, i);
      if (i === -1 || !isWord(code[i], 'AS')) return undefined;
      i++;
      if (!isPunct(code[i], '(')) return undefined;
      i = pastGroup(code, i);
      if (i === -1) return undefined;
      if (!isPunct(code[i], ',')) break;
      i++;
    }
    while (isPunct(code[i], '(')) i++;
  }
  if (!isWord(code[i], 'SELECT')) return undefined;
  i++;
  for (;;) {
    if (isWord(code[i], 'ALL')) i++;
    else if (isWord(code[i], 'DISTINCT') && isWord(code[i + 1], 'ON') && isPunct(code[i + 2], '(')) i = pastGroup(code, i + 2);
    else if (isWord(code[i], 'DISTINCT')) i++;
    else if (isWord(code[i], 'TOP') && code[i + 1]?.type === 'number') i += 2;
    else break;
    if (i === -1) return undefined;
  }
  const items: Token[][] = [];
  let item: Token[] = [];
  let depth = 0;
  for (; i < code.length; i++) {
    const t = code[i];
    const ends = t.type === 'word' && LIST_ENDS.has(t.text.toUpperCase()) && !(isWord(t, 'GROUP') && isWord(code[i - 1], 'WITHIN'));
    if (depth === 0 && (isPunct(t, ')') || isPunct(t, ';') || ends)) break;
    if (isPunct(t, '(') || isPunct(t, '[')) depth++;
    else if (isPunct(t, ')') || isPunct(t, ']')) depth--;
    if (depth === 0 && isPunct(t, ',')) {
      items.push(item);
      item = [];
    } else item.push(t);
  }
  items.push(item);
  return items.some((tokens) => tokens.length === 0) ? undefined : items;
}

/** The name of a cast to the type that starts at `at`, and the index after the type. */
function castType(code: Token[], at: number): { name: string; end: number } | undefined {
  const first = code[at];
  if (!isName(first)) return undefined;
  const upper = first.text.toUpperCase();
  let end = at + 1;
  let name = TYPE_NAMES[upper] ?? identifier(first);
  if (upper === 'DOUBLE' && isWord(code[end], 'PRECISION')) end++;
  if ((upper === 'CHARACTER' || upper === 'CHAR') && isWord(code[end], 'VARYING')) {
    end++;
    name = 'varchar';
  }
  if (isPunct(code[end], '(')) {
    const args = code.slice(end + 1, closingParen(code, end));
    if (upper === 'FLOAT' && args.length === 1 && Number(args[0].text) <= 24) name = 'float4';
    end = pastGroup(code, end);
    if (end === -1) return undefined;
  }
  if ((upper === 'TIMESTAMP' || upper === 'TIME') && isWord(code[end], 'WITH', 'WITHOUT') && isWord(code[end + 1], 'TIME') && isWord(code[end + 2], 'ZONE')) {
    if (isWord(code[end], 'WITH')) name = upper === 'TIME' ? 'timetz' : 'timestamptz';
    end += 3;
  }
  return { name, end };
}

/** A cast of a value named `inner` to `type`: the value's own name when it has a strong one, else the type's. */
const cast = (inner: Figured, type: string): Figured => (inner.strength === 2 ? inner : { name: type, strength: 1 });

/** Index after the clauses that belong to a call: WITHIN GROUP (...), IGNORE/RESPECT NULLS, OVER (...) or OVER name. */
function pastCallClauses(code: Token[], at: number): number {
  let i = at;
  for (;;) {
    if (isWord(code[i], 'WITHIN') && isWord(code[i + 1], 'GROUP') && isPunct(code[i + 2], '(')) i = pastGroup(code, i + 2);
    else if (isWord(code[i], 'IGNORE', 'RESPECT') && isWord(code[i + 1], 'NULLS')) i += 2;
    else if (isWord(code[i], 'OVER') && isPunct(code[i + 1], '(')) i = pastGroup(code, i + 1);
    else if (isWord(code[i], 'OVER') && isName(code[i + 1])) i += 2;
    else return i;
    if (i === -1) return -1;
  }
}

/** The operand that starts at `at` and the index after it (casts and subscripts included); undefined when it is not one this reads. */
function operand(code: Token[], at: number): { figured: Figured; end: number } | undefined {
  let figured: Figured;
  let i = at;
  const t = code[i];
  if (t === undefined) return undefined;
  const upper = t.type === 'word' ? t.text.toUpperCase() : '';
  if (isPunct(t, '(')) {
    const end = pastGroup(code, i);
    if (end === -1) return undefined;
    const inner = code.slice(i + 1, end - 1);
    if (isWord(inner[0], 'SELECT', 'WITH')) {
      // A scalar subquery is named after its one column.
      const items = selectList(inner);
      figured = items?.length === 1 ? { ...item(items[0]), strength: 2 } : NONE;
      if (figured.name === UNNAMED) figured = NONE;
    } else {
      const whole = expression(inner);
      if (!whole) return undefined;
      figured = whole;
    }
    i = end;
  } else if (t.type === 'string' || t.type === 'number') {
    figured = NONE;
    i++;
  } else if (upper === 'CASE') {
    let depth = 0;
    for (; i < code.length; i++) {
      if (isWord(code[i], 'CASE')) depth++;
      else if (isWord(code[i], 'END') && --depth === 0) break;
    }
    if (i === code.length) return undefined;
    figured = { name: 'case', strength: 1 };
    i++;
  } else if (upper === 'CAST' && isPunct(code[i + 1], '(')) {
    const end = pastGroup(code, i + 1);
    if (end === -1) return undefined;
    const body = code.slice(i + 2, end - 1);
    const as = body.findLastIndex((x) => isWord(x, 'AS'));
    const inner = as > 0 ? expression(body.slice(0, as)) : undefined;
    const type = as > 0 ? castType(body, as + 1) : undefined;
    if (!inner || !type || type.end !== body.length) return undefined;
    figured = cast(inner, type.name);
    i = end;
  } else if (LITERAL_TYPES.has(upper) && (code[i + 1]?.type === 'string' || isWord(code[i + 1], 'WITH', 'WITHOUT'))) {
    // DATE '2020-01-01', TIMESTAMP WITH TIME ZONE '...', INTERVAL '1 day' [qualifier]: a cast of a literal.
    const type = castType(code, i);
    if (!type || code[type.end]?.type !== 'string') return undefined;
    figured = { name: type.name, strength: 1 };
    i = type.end + 1;
    if (upper === 'INTERVAL') {
      while (isWord(code[i], 'YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND', 'TO')) i++;
    }
  } else if (upper === 'EXISTS' && isPunct(code[i + 1], '(')) {
    i = pastGroup(code, i + 1);
    if (i === -1) return undefined;
    figured = { name: 'exists', strength: 2 };
  } else if (upper === 'APPROXIMATE') {
    return operand(code, i + 1);
  } else if (VALUE_WORDS[upper] && !isPunct(code[i + 1], '(') && !isPunct(code[i + 1], '.')) {
    figured = VALUE_WORDS[upper];
    i++;
  } else if (isName(t)) {
    // A column reference (a.b.c) or a call (schema.f(...)).
    while (isPunct(code[i + 1], '.') && (isName(code[i + 2]) || isPunct(code[i + 2], '*'))) i += 2;
    const last = code[i];
    if (isPunct(last, '*')) return undefined;
    if (isPunct(code[i + 1], '(')) {
      const end = pastGroup(code, i + 1);
      if (end === -1) return undefined;
      const name = last.text.toUpperCase();
      figured = { name: REDSHIFT_CALL_NAMES[name] ?? trimName(name, code.slice(i + 2, end - 1)) ?? identifier(last), strength: name === 'DECODE' ? 1 : 2 };
      i = pastCallClauses(code, end);
      if (i === -1) return undefined;
    } else {
      figured = { name: identifier(last), strength: 2 };
      i++;
    }
  } else return undefined;
  // Casts bind to the operand: x::int, x::varchar(10)::text.
  while (isPunct(code[i], '::')) {
    const type = castType(code, i + 1);
    if (!type) return undefined;
    figured = cast(figured, type.name);
    i = type.end;
  }
  if (isPunct(code[i], '[')) return undefined;
  return { figured, end: i };
}

/** TRIM is PostgreSQL's btrim, ltrim or rtrim by what it trims. */
function trimName(name: string, args: Token[]): string | undefined {
  if (name !== 'TRIM') return undefined;
  if (isWord(args[0], 'LEADING')) return 'ltrim';
  if (isWord(args[0], 'TRAILING')) return 'rtrim';
  return 'btrim';
}

/** The name of a whole expression: its one operand's, `timezone` for AT TIME ZONE, else `?column?`; undefined when it cannot be read. */
function expression(code: Token[]): Figured | undefined {
  const first = operand(code, 0);
  if (!first) return code.length > 0 && !isName(code[0]) && !isPunct(code[0], '(') ? NONE : undefined;
  if (first.end === code.length) return first.figured;
  const rest = code.slice(first.end);
  if (isWord(rest[0], 'AT') && isWord(rest[1], 'TIME') && isWord(rest[2], 'ZONE')) {
    const zone = operand(rest, 3);
    if (zone && zone.end === rest.length) return { name: 'timezone', strength: 2 };
  }
  return NONE;
}

/** The alias a select-list item gives itself, if any. */
function alias(tokens: Token[]): string | undefined {
  const last = tokens.at(-1)!;
  const before = tokens.at(-2);
  if (tokens.length >= 2 && isName(last) && isWord(before, 'AS')) return identifier(last);
  // An alias without AS follows a value's end: a name, a literal, `)`, END, NULL, TRUE or FALSE.
  if (tokens.length >= 2 && isName(last) && !isKeywordLike(last)) {
    const valueEnd = before!.type === 'string' || before!.type === 'number' || isPunct(before, ')') || (isName(before) && !isKeywordLike(before!)) || isWord(before, 'END', 'NULL', 'TRUE', 'FALSE');
    if (valueEnd) return identifier(last);
  }
  return undefined;
}

/** One select-list item's name: its alias, or its expression's name. */
function item(tokens: Token[]): Figured {
  const named = alias(tokens);
  if (named !== undefined) return { name: named, strength: 2 };
  return expression(tokens) ?? { name: '', strength: 0 };
}

/**
 * The names a table or view made from the query `code` (its code tokens)
 * takes from Redshift where the engine would name a column otherwise: for
 * each select-list item with no alias that is not a plain column (nor a star,
 * nor an item this cannot read), its last token and Redshift's name for it
 * (`count`, `?column?`...).
 */
export function namesToGive(code: Token[]): { after: Token; name: string }[] {
  const plainColumn = (tokens: Token[]) => tokens.every((t, i) => (i % 2 === 0 ? isName(t) : isPunct(t, '.')));
  const out: { after: Token; name: string }[] = [];
  const items = selectList(code) ?? [];
  // A relation's columns are named once each: Redshift refuses the statement where DuckDB would add _1.
  const all = items.map((tokens) => (isPunct(tokens.at(-1), '*') ? '' : item(tokens).name));
  const twice = all.find((name, at) => name !== '' && all.indexOf(name) !== at);
  if (twice !== undefined) throw new SqlError(`column "${twice}" specified more than once`);
  for (const tokens of items) {
    if (isPunct(tokens.at(-1), '*') || alias(tokens) !== undefined || plainColumn(tokens)) continue;
    const figured = expression(tokens);
    if (figured?.name) out.push({ after: tokens.at(-1)!, name: figured.name });
  }
  return out;
}

/**
 * Redshift's names for the columns of `sql`'s result, given the names the
 * local engine gave them: the select list's, with a star's columns and any
 * item this cannot read keeping the engine's name (as `engineColumnName` has
 * it); the engine's names throughout when the statement is not a plain query
 * or its list does not match the result.
 */
export function redshiftResultNames(sql: string, engineNames: readonly string[]): string[] {
  const fallback = engineNames.map(engineColumnName);
  const items = selectList(codeTokens(tokenize(sql)));
  if (!items) return fallback;
  const isStar = (tokens: Token[]) => isPunct(tokens.at(-1), '*') && (tokens.length === 1 || isPunct(tokens.at(-2), '.'));
  const firstStar = items.findIndex(isStar);
  const lastStar = items.findLastIndex(isStar);
  const before = firstStar === -1 ? items : items.slice(0, firstStar);
  const after = firstStar === -1 ? [] : items.slice(lastStar + 1);
  if (firstStar === -1 ? items.length !== engineNames.length : before.length + after.length > engineNames.length) return fallback;
  const named = (tokens: Token[], at: number) => item(tokens).name || fallback[at];
  const tail = engineNames.length - after.length;
  return fallback.map((name, at) => (at < before.length ? named(before[at], at) : at >= tail ? named(after[at - tail], at) : name));
}

/**
 * A name the engine gave a column, as Redshift would give it where the
 * statement does not say: DuckDB names an unaliased call after the whole
 * call (`count_star()`, `main."position"(...)` for a macro the rewrite made),
 * Redshift after the function.
 */
export function engineColumnName(name: string): string {
  if (name === 'count_star()') return 'count';
  const call = name.match(/^(?:main\.)?"?([A-Za-z_][A-Za-z0-9_]*)"?\(.*\)$/s);
  return call ? call[1].toLowerCase() : name;
}
