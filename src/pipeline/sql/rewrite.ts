// The Redshift → DuckDB rewrite: the model in sql/ is Redshift SQL, runnable
// as-is on Redshift; the local engine passes every statement through here.
// No SQL parser on npm reads Redshift DDL or COPY, so this works on tokens and
// stays small. REWRITE_RULES is the pipeline itself: each rule, in order, takes
// the tokens the one before it left, and each has its own test.
import type { CopySpec } from './copy.js';
import { quoteLiteral, tokenize, untokenize } from './tokenizer.js';
import { notesComment } from './table-notes.js';
import { characterLengthRule, constraintsRule, identityRule, storageRule } from './rules/create-table.js';
import { collateRule, sysdateRule, tempNamesRule, varcharMaxRule } from './rules/expressions.js';
import { FUNCTION_MACROS, functionsRule, literalsRule, operatorsRule, unlistedCallsRule } from './functions.js';
import { CATALOG_VIEWS, catalogRule, createLikeRule, lateBindingViewRule, minusRule, selectIntoRule, topRule } from './syntax.js';
import type { RewriteContext, RewriteRule } from './rules/rule.js';
import { copyRule, searchPathRule, sessionParametersRule, showRule, unsupportedStatementsRule } from './rules/statements.js';
import { alterTableRule, type ColumnAlter } from './rules/alter-table.js';
import { setReturningRule } from './rules/set-returning.js';
import { publicSchemaRule } from './rules/schemas.js';
import { fromFirstRule } from './rules/from-first.js';
import { createdNamesRule } from './rules/created-names.js';

export type { RewriteRule } from './rules/rule.js';

export const REWRITE_RULES: readonly RewriteRule[] = [
  unsupportedStatementsRule,
  copyRule,
  alterTableRule,
  unlistedCallsRule,
  fromFirstRule,
  searchPathRule,
  publicSchemaRule,
  tempNamesRule,
  sessionParametersRule,
  showRule,
  createLikeRule,
  lateBindingViewRule,
  createdNamesRule,
  selectIntoRule,
  topRule,
  minusRule,
  identityRule,
  storageRule,
  constraintsRule,
  characterLengthRule,
  varcharMaxRule,
  collateRule,
  literalsRule,
  operatorsRule,
  functionsRule,
  setReturningRule,
  sysdateRule,
  catalogRule,
];

/** Statements every local connection runs first: settings and Redshift function macros. */
export const DUCKDB_SESSION_SETUP = [
  'SET integer_division = true',
  "SET TimeZone = 'UTC'",
  ...FUNCTION_MACROS,
  ...CATALOG_VIEWS,
];


/** The statements to run, and the calls to functions not in the list of Redshift functions the local engine runs. */
export type RewrittenStatement =
  | { kind: 'sql'; statements: string[]; unlistedCalls: string[]; unlistedTableCalls: string[]; columnAlter?: ColumnAlter }
  | { kind: 'copy'; copy: CopySpec };

/** Rewrites one Redshift statement (no trailing semicolon) for DuckDB. */
export function rewriteForDuckDb(sql: string): RewrittenStatement {
  const context: RewriteContext = { sql, setup: [], after: [], unlistedCalls: [], unlistedTableCalls: [] };
  let tokens = tokenize(sql);
  for (const rule of REWRITE_RULES) {
    tokens = rule.apply(tokens, context);
    if (context.copy) return { kind: 'copy', copy: context.copy };
  }
  // A table comment, not column comments: DuckDB 1.5 cannot replay a column ALTER of a table whose
  // default calls nextval() (an IDENTITY column) from its write-ahead log.
  const notes = context.tableNotes ? [`COMMENT ON TABLE ${context.tableNotes.table} IS ${quoteLiteral(notesComment(context.tableNotes.notes))}`] : [];
  const statements = context.noOp ? [] : [...context.setup, untokenize(tokens), ...notes, ...context.after];
  return { kind: 'sql', statements, unlistedCalls: context.unlistedCalls, unlistedTableCalls: context.unlistedTableCalls, columnAlter: context.columnAlter };
}
