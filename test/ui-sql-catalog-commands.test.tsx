// psql's catalog and file commands on the SQL prompt, on the local engine:
// \dn, \dt with patterns, \d and \d+, \l, \i FILE and \o FILE, each drawn as
// a result set or carried out and taken out of the draft.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { describeTableSql, listTablesSql, parseNamePattern } from '../src/pipeline/catalog-commands.js';
import { UsageError } from '../src/pipeline/errors.js';
import { SqlScreen } from '../src/ui/screens/sql-screen.js';
import { contains, press, waitForFrame } from './helpers/ink.js';
import { ENTER } from './helpers/keys.js';
import { sqlPromptFixture } from './helpers/sql-prompt.js';

const fixture = sqlPromptFixture('sql-catalog', [
  'CREATE SCHEMA analytics',
  'CREATE SCHEMA staging',
  "CREATE TABLE analytics.d_users (user_id INTEGER NOT NULL, level VARCHAR DEFAULT 'free')",
  'CREATE TABLE analytics.d_time (start_time TIMESTAMP NOT NULL)',
  'CREATE TABLE analytics.f_songplays (songplay_id INTEGER)',
  'CREATE TABLE staging.s_events (artist VARCHAR)',
]);

/** A row of the drawn table with these cells, in order. */
const row = (...cells: string[]) => new RegExp(cells.map((cell) => cell.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s*│\\s*'));

const screen = () => render(<SqlScreen warehouse={fixture.warehouse} home={fixture.home} isActive width={100} height={24} />);

describe('psql name patterns', () => {
  it('turns * and ? into LIKE wildcards, folds unquoted letters and splits schema.name', () => {
    expect(parseNamePattern('D_*')).toEqual({ name: 'd!_%' });
    expect(parseNamePattern('analytics.d_?sers')).toEqual({ schema: 'analytics', name: 'd!__sers' });
    expect(parseNamePattern('analytics.*')).toEqual({ schema: 'analytics', name: undefined });
    expect(parseNamePattern('"My*Table"')).toEqual({ name: 'My*Table' });
    expect(parseNamePattern('*')).toEqual({ name: undefined });
    expect(() => parseNamePattern('a.b.c')).toThrow(UsageError);
    expect(() => parseNamePattern('"open')).toThrow(/unterminated/);
  });

  it('\\d takes one table and quotes what it is given', () => {
    expect(describeTableSql('local', "o'brien", false)).toContain("c.table_name = 'o''brien'");
    expect(describeTableSql('local', 'Analytics.D_Users', false)).toContain("c.table_schema = 'analytics'");
    expect(() => describeTableSql('local', 'd_*', true)).toThrow(/one table, not a pattern/);
    expect(listTablesSql('x%')).toContain("like 'x!%' escape '!'");
  });
});

it('\\dn lists the schemas as a result', async () => {
  const app = screen();
  await press(app, '\\dn', ENTER);
  const frame = await waitForFrame(app, contains('staging'));
  expect(frame).toMatch(row('name', 'owner'));
  expect(frame).toContain('analytics');
  expect(frame).not.toContain('information_schema');
  expect(frame).toMatch(/sql>\s*\n/);
});

it('\\dt PATTERN lists only the tables it matches', async () => {
  const app = screen();
  await press(app, '\\dt d_*', ENTER);
  let frame = await waitForFrame(app, contains('d_users'));
  expect(frame).toContain('d_time');
  // Types in psql's words.
  expect(frame).toMatch(/d_users +│ table/);
  expect(frame).not.toContain('base table');
  expect(frame).not.toContain('f_songplays');
  expect(frame).not.toContain('s_events');
  await press(app, '\\dt staging.*', ENTER);
  frame = await waitForFrame(app, contains('s_events'));
  expect(frame).not.toContain('d_users');
  await press(app, '\\dt analytics.d_?ime', ENTER);
  frame = await waitForFrame(app, (f) => f.includes('d_time') && !f.includes('s_events'));
  expect(frame).not.toContain('d_users');
});

it('\\d+ TABLE shows columns, types, nullability and defaults', async () => {
  const app = screen();
  await press(app, '\\d+ analytics.d_users', ENTER);
  const frame = await waitForFrame(app, contains('user_id'));
  expect(frame).toMatch(row('user_id', 'integer', 'not null'));
  expect(frame).toMatch(row('level', 'character varying', '', "'free'"));
});

it('\\l lists the databases', async () => {
  const app = screen();
  await press(app, '\\l', ENTER);
  const frame = await waitForFrame(app, contains('memory'));
  expect(frame).toMatch(row('name', 'path', 'readonly'));
  expect(frame).not.toContain('system');
});

it('\\i FILE runs the statements of the file, and names a file it cannot read', async () => {
  const script = join(fixture.home, 'script.sql');
  await writeFile(script, 'CREATE TEMP TABLE included (n INTEGER);\nINSERT INTO included VALUES (41), (42);\nSELECT max(n) AS included_max FROM included;\n');
  const app = screen();
  await press(app, `\\i ${script}`, ENTER);
  const frame = await waitForFrame(app, contains('included_max'));
  expect(frame).toMatch(/included_max\s*\n\s*integer\s*\n.*\n\s*42\b/);
  await press(app, `\\i ${join(fixture.home, 'missing.sql')}`, ENTER);
  await waitForFrame(app, contains(`cannot read ${join(fixture.home, 'missing.sql')}`));
});

it('a SET and a temporary table carry to the next statements, until \\c starts a new session', async () => {
  const app = screen();
  await press(app, 'SET search_path TO staging;', ENTER);
  await waitForFrame(app, contains('SET'));
  await press(app, 'CREATE TEMP TABLE scratch AS SELECT 8 AS n;', ENTER);
  await waitForFrame(app, contains('SELECT 1'));
  await press(app, 'SELECT n, (SELECT count(*) FROM s_events) AS events FROM scratch;', ENTER);
  const frame = await waitForFrame(app, contains('events'));
  expect(frame).toMatch(row('8', '0'));
  await press(app, '\\c', ENTER);
  await waitForFrame(app, contains('temporary tables and open transaction are gone'));
  await press(app, 'SELECT count(*) FROM s_events;', ENTER);
  await waitForFrame(app, contains('"s_events" does not exist'));
  // The failed statement is back in the draft: Ctrl-U clears it.
  await press(app, '\u0015', 'SELECT n FROM scratch;', ENTER);
  await waitForFrame(app, contains('"scratch" does not exist'));
});

it('\\o FILE copies each result to a file of mode 0600 until \\o alone', async () => {
  const path = join(fixture.home, 'out.txt');
  const app = screen();
  await press(app, `\\o ${path}`, ENTER);
  await waitForFrame(app, contains('as well'));
  expect((await stat(path)).mode & 0o777).toBe(0o600);
  await press(app, 'select 7 * 6 as answer;', ENTER);
  await waitForFrame(app, contains('1 row'));
  await press(app, 'select 3 as kept;', ENTER);
  await waitForFrame(app, contains('kept'));
  await press(app, '\\o', ENTER);
  await waitForFrame(app, contains(`results no longer go to ${path}`));
  await press(app, 'select 5 as after_stop;', ENTER);
  await waitForFrame(app, contains('after_stop'));
  const text = await readFile(path, 'utf8');
  expect(text).toMatch(/│ answer │\n├─+┤\n│\s+42 │/);
  expect(text).toContain('(1 row)');
  expect(text).toContain('kept');
  expect(text).not.toContain('after_stop');
});
