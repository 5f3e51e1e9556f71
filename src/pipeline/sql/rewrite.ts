// The Redshift → DuckDB rewrite: the model in sql/ is Redshift SQL, runnable
// as-is on Redshift; the local engine passes every statement through here.
// No SQL parser on npm reads Redshift DDL or COPY, so this works on tokens and
// stays small. REWRITE_RULES is the pipeline itself: each rule, in order, takes
// the tokens the one before it left, and each has its own test.
import type { CopySpec } from './copy.js';
import { tokenize, untokenize } from './tokenizer.js';
import { constraintsRule, identityRule, storageRule } from './rules/create-table.js';
import { datePartsRule, sysdateRule, varcharMaxRule } from './rules/expressions.js';
import type { RewriteContext, RewriteRule } from './rules/rule.js';
import { copyRule, unsupportedStatementsRule } from './rules/statements.js';

export type { RewriteRule } from './rules/rule.js';

export const REWRITE_RULES: readonly RewriteRule[] = [
  unsupportedStatementsRule,
  copyRule,
  identityRule,
  storageRule,
  constraintsRule,
  varcharMaxRule,
  datePartsRule,
  sysdateRule,
];

/** Statements every local connection runs first: settings and Redshift function macros. */
export const DUCKDB_SESSION_SETUP = [
  'SET integer_division = true',
  "CREATE OR REPLACE TEMP MACRO getdate() AS CAST(timezone('UTC', now()) AS TIMESTAMP)",
  "CREATE OR REPLACE TEMP MACRO sysdate() AS CAST(timezone('UTC', now()) AS TIMESTAMP)",
  'CREATE OR REPLACE TEMP MACRO nvl(a, b) AS coalesce(a, b)',
  'CREATE OR REPLACE TEMP MACRO nvl2(e, a, b) AS CASE WHEN e IS NOT NULL THEN a ELSE b END',
  'CREATE OR REPLACE TEMP MACRO len(s) AS length(s)',
  'CREATE OR REPLACE TEMP MACRO charindex(needle, haystack) AS strpos(haystack, needle)',
  `CREATE OR REPLACE TEMP MACRO sparkify_dateadd(part, n, ts) AS CAST(ts AS TIMESTAMP) + CASE part
     WHEN 'year' THEN to_years(CAST(n AS INTEGER)) WHEN 'quarter' THEN to_months(CAST(n AS INTEGER) * 3)
     WHEN 'month' THEN to_months(CAST(n AS INTEGER)) WHEN 'week' THEN to_days(CAST(n AS INTEGER) * 7)
     WHEN 'day' THEN to_days(CAST(n AS INTEGER)) WHEN 'hour' THEN to_hours(CAST(n AS BIGINT))
     WHEN 'minute' THEN to_minutes(CAST(n AS BIGINT)) WHEN 'second' THEN to_seconds(CAST(n AS DOUBLE))
     WHEN 'millisecond' THEN to_milliseconds(CAST(n AS DOUBLE)) WHEN 'microsecond' THEN to_microseconds(CAST(n AS BIGINT))
     END`,
];


export type RewrittenStatement = { kind: 'sql'; statements: string[] } | { kind: 'copy'; copy: CopySpec };

/** Rewrites one Redshift statement (no trailing semicolon) for DuckDB. */
export function rewriteForDuckDb(sql: string): RewrittenStatement {
  const context: RewriteContext = { sql, setup: [] };
  let tokens = tokenize(sql);
  for (const rule of REWRITE_RULES) {
    tokens = rule.apply(tokens, context);
    if (context.copy) return { kind: 'copy', copy: context.copy };
  }
  return { kind: 'sql', statements: [...context.setup, untokenize(tokens)] };
}
