// Redshift's REGEXP_* functions with the 'p' parameter take Perl-compatible
// patterns: lookahead and lookbehind, which DuckDB's own engine (RE2) lacks.
// Those calls run here, in JavaScript's engine, which reads the same syntax;
// the rewrite (functions-strings.ts) sends them here only when the pattern
// needs it, with the string already cut at the call's position.
import type { DuckDBConnection, DuckDBVector } from '@duckdb/node-api';
import { duckdbApi } from './duckdb-api.js';

const { DuckDBScalarFunction, INTEGER, VARCHAR } = duckdbApi;

const compiled = new Map<string, RegExp>();

/** The pattern as a global JavaScript expression: 'i' (after any 'c') makes it case-insensitive. */
function expression(pattern: string, params: string): RegExp {
  const insensitive = params.lastIndexOf('i') > params.lastIndexOf('c');
  const key = `${insensitive ? 'i' : ''}/${pattern}`;
  let found = compiled.get(key);
  if (!found) {
    found = new RegExp(pattern, insensitive ? 'gi' : 'g');
    compiled.set(key, found);
  }
  found.lastIndex = 0;
  return found;
}

/** The matches of `pattern` in `s`, left to right, none overlapping (an empty match moves one on). */
function matches(s: string, pattern: string, params: string): RegExpExecArray[] {
  const re = expression(pattern, params);
  const out: RegExpExecArray[] = [];
  for (let m = re.exec(s); m; m = re.exec(s)) {
    out.push(m);
    if (m[0] === '') re.lastIndex++;
  }
  return out;
}

/** Redshift's replacement text (\1 names a group) in JavaScript's form ($1). */
const replacement = (text: string) => text.replace(/\$/g, '$$$$').replace(/\\(\d)/g, '$$$1');

type Row = (index: number) => unknown[];

type Scalar = typeof INTEGER | typeof VARCHAR;

function define(name: string, parameterTypes: Scalar[], returnType: Scalar, compute: (args: unknown[]) => string | number) {
  return DuckDBScalarFunction.create({
    name,
    returnType,
    parameterTypes,
    mainFunction: (_info, input, output) => {
      const vectors: DuckDBVector[] = Array.from({ length: input.columnCount }, (_, i) => input.getColumnVector(i));
      const row: Row = (index) => vectors.map((v) => v.getItem(index));
      for (let index = 0; index < input.rowCount; index++) {
        const args = row(index);
        output.setItem(index, args.some((arg) => arg === null) ? null : compute(args));
      }
      output.flush();
    },
  });
}

const str = (v: unknown) => String(v);

/** Registers the sparkify_pcre_* functions the rewrite calls for REGEXP_* with 'p' on a connection. */
export function registerPerlRegexp(connection: DuckDBConnection): void {
  connection.registerScalarFunction(
    define('sparkify_pcre_count', [VARCHAR, VARCHAR, VARCHAR], INTEGER, ([s, pattern, params]) => matches(str(s), str(pattern), str(params)).length),
  );
  connection.registerScalarFunction(
    define('sparkify_pcre_substr', [VARCHAR, VARCHAR, INTEGER, VARCHAR], VARCHAR, ([s, pattern, occurrence, params]) => {
      const m = matches(str(s), str(pattern), str(params))[Number(occurrence) - 1];
      return m ? ((str(params).includes('e') ? m[1] : m[0]) ?? '') : '';
    }),
  );
  connection.registerScalarFunction(
    define('sparkify_pcre_instr', [VARCHAR, VARCHAR, INTEGER, INTEGER, VARCHAR], INTEGER, ([s, pattern, occurrence, option, params]) => {
      const m = matches(str(s), str(pattern), str(params))[Number(occurrence) - 1];
      if (!m) return 0;
      return m.index + 1 + (Number(option) === 1 ? m[0].length : 0);
    }),
  );
  connection.registerScalarFunction(
    define('sparkify_pcre_replace', [VARCHAR, VARCHAR, VARCHAR, VARCHAR], VARCHAR, ([s, pattern, replaceWith, params]) => str(s).replace(expression(str(pattern), str(params)), replacement(str(replaceWith)))),
  );
}
