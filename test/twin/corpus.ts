// The documented-examples corpus: SQL from the Redshift Database Developer
// Guide with the result the guide shows for it, run on any Warehouse. Examples
// that read TICKIT-style tables name them; the fixtures hold small tables of
// our own with the rows those examples need.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UnsupportedSqlError } from '../../src/pipeline/errors.js';
import type { SqlValue, Warehouse } from '../../src/pipeline/warehouse/types.js';

export interface Example {
  /** The guide's page the example comes from. */
  source: string;
  sql: string;
  /** The rows the guide documents; null where it shows an empty cell or NULL. */
  rows: (string | null)[][];
  /** Fixture tables the example reads. */
  tables?: string[];
  /** The guide's ORDER BY does not fix the order of every row. */
  unordered?: boolean;
  /** The corpus file (family) it belongs to. */
  family: string;
}

export type Outcome =
  | { kind: 'pass' }
  | { kind: 'wrong'; actual: SqlValue[][] }
  | { kind: 'unsupported'; message: string }
  | { kind: 'error'; message: string };

export interface ExampleResult {
  example: Example;
  outcome: Outcome;
}

const corpusDir = join(import.meta.dirname, 'corpus');

export function loadCorpus(): Example[] {
  const examples: Example[] = [];
  for (const file of readdirSync(corpusDir).sort()) {
    if (!file.endsWith('.json') || file === 'fixtures.json') continue;
    const family = file.replace(/\.json$/, '');
    const list = JSON.parse(readFileSync(join(corpusDir, file), 'utf8')) as Omit<Example, 'family'>[];
    for (const example of list) examples.push({ ...example, family });
  }
  return examples;
}

export function loadFixtures(): Record<string, string[]> {
  return JSON.parse(readFileSync(join(corpusDir, 'fixtures.json'), 'utf8')) as Record<string, string[]>;
}

/** Creates every fixture table the corpus reads. */
export async function createFixtures(warehouse: Warehouse): Promise<void> {
  for (const statements of Object.values(loadFixtures())) {
    for (const sql of statements) await warehouse.execute(sql);
  }
}

async function rowsOf(warehouse: Warehouse, sql: string): Promise<SqlValue[][]> {
  const result = await warehouse.query(sql);
  const rows: SqlValue[][] = [];
  for await (const page of result.pages()) rows.push(...page);
  return rows;
}

export async function runExample(warehouse: Warehouse, example: Example): Promise<Outcome> {
  let actual: SqlValue[][];
  try {
    actual = await rowsOf(warehouse, example.sql);
  } catch (error) {
    const message = (error as Error).message;
    if (error instanceof UnsupportedSqlError || /does not support/.test(message)) return { kind: 'unsupported', message };
    return { kind: 'error', message };
  }
  return sameRows(example, actual) ? { kind: 'pass' } : { kind: 'wrong', actual };
}

export async function runCorpus(warehouse: Warehouse, examples = loadCorpus()): Promise<ExampleResult[]> {
  await createFixtures(warehouse);
  const results: ExampleResult[] = [];
  for (const example of examples) results.push({ example, outcome: await runExample(warehouse, example) });
  return results;
}

/** The guide prints through psql: cells padded, NULL blank, booleans t/f, floats to 15 digits. */
export function sameValue(expected: string | null, actual: SqlValue): boolean {
  // The guide prints some timestamps in quotes.
  const want = expected === null ? '' : expected.trim().replace(/^'(\d{4}-\d{2}-\d{2} [^']*)'$/, '$1');
  if (actual === null) return want === '' || want.toUpperCase() === 'NULL';
  const got = String(actual).trim();
  if (got === want) return true;
  if (typeof actual === 'boolean' || /^(t|f|true|false)$/i.test(got)) {
    const truthy = (s: string) => /^(t|true)$/i.test(s);
    return /^(t|f|true|false)$/i.test(want) && truthy(want) === truthy(got);
  }
  if (sameTime(want, got)) return true;
  const a = Number(got);
  const b = Number(want);
  if (got !== '' && want !== '' && Number.isFinite(a) && Number.isFinite(b)) {
    return Math.abs(a - b) <= Math.max(1e-12, 1e-13 * Math.max(Math.abs(a), Math.abs(b)) * 100);
  }
  return false;
}

/** Times print with as many fraction digits as were stored; a value with an offset is an instant. */
function sameTime(want: string, got: string): boolean {
  const shape = /^(\d{4}-\d{2}-\d{2} )?\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}(:?\d{2})?)?$/;
  if (!shape.test(want) || !shape.test(got)) return false;
  const strip = (s: string) => s.replace(/(\.\d*?)0+(?=$|[+-])/, '$1').replace(/\.(?=$|[+-])/, '');
  if (strip(want) === strip(got)) return true;
  const instant = (s: string) => (/[+-]\d{2}(:?\d{2})?$/.test(s) ? Date.parse(s.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00')) : NaN);
  return !Number.isNaN(instant(want)) && instant(want) === instant(got);
}

function sameRow(expected: (string | null)[], actual: SqlValue[]): boolean {
  return expected.length === actual.length && expected.every((value, i) => sameValue(value, actual[i]));
}

/** ORDER BY at the top level of the statement (not inside a window or WITHIN GROUP). */
function ordersRows(sql: string): boolean {
  let depth = 0;
  let top = '';
  for (const c of sql) {
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0) top += c;
  }
  return /\border\s+by\b/i.test(top);
}

/** Whether rows read from an engine are the rows the guide documents for the example. */
export function sameRows(example: Example, actual: SqlValue[][]): boolean {
  const expected = example.rows;
  if (expected.length !== actual.length) return false;
  if (ordersRows(example.sql) && !example.unordered) return expected.every((row, i) => sameRow(row, actual[i]));
  const left = [...actual];
  return expected.every((row) => {
    const at = left.findIndex((candidate) => sameRow(row, candidate));
    if (at === -1) return false;
    left.splice(at, 1);
    return true;
  });
}

/** The report `npm run twin` prints: the count, then every example that does not give the documented result. */
export function describeResults(results: ExampleResult[]): string {
  const passed = results.filter((r) => r.outcome.kind === 'pass').length;
  const lines = [`${passed}/${results.length} documented examples give the documented result`];
  for (const kind of ['wrong', 'error', 'unsupported'] as const) {
    const failing = results.filter((r) => r.outcome.kind === kind);
    if (failing.length === 0) continue;
    const heading = { wrong: 'give a different result', error: 'fail with an engine error', unsupported: 'are refused as not supported locally' }[kind];
    lines.push('', `${failing.length} ${heading}:`);
    for (const { example, outcome } of failing) {
      lines.push(`  [${example.family}] ${example.source}: ${example.sql}`);
      if (outcome.kind === 'wrong') {
        lines.push(`      expected ${JSON.stringify(example.rows)}`, `      got      ${JSON.stringify(outcome.actual)}`);
      } else if (outcome.kind !== 'pass') {
        lines.push(`      ${outcome.message.split('\n')[0]}`);
      }
    }
  }
  return lines.join('\n');
}
