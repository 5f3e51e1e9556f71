// The result side of the SQL prompt against a real in-memory DuckDB: one
// result per statement of a draft, the cell cursor and its panel, `\x`, copy
// through OSC 52, types under the names, numbers to the right, and keys that
// arrive in a burst.
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_COPY_BYTES, clipboardSequence } from '../src/ui/screens/sql-clipboard.js';
import { SqlScreen } from '../src/ui/screens/sql-screen.js';
import { contains, press, waitForFrame } from './helpers/ink.js';
import { CTRL_T, DOWN, END, ENTER, HOME, PAGE_DOWN, RIGHT, UP } from './helpers/keys.js';
import { sqlPromptFixture } from './helpers/sql-prompt.js';

const fixture = sqlPromptFixture('sql-results', [
  'create schema analytics',
  'create table analytics.numbers as select i as n, i * 2 as twice from generate_series(0, 9999) t(i)',
  `create table analytics.agents as select i as id, 'Mozilla/5.0 (Windows NT 6.3; WOW64; rv:31.0) Gecko/20100101 Firefox/31.0 build ' || i as user_agent,
     i * 1.5 as score from generate_series(1, 3) t(i)`,
]);

type App = ReturnType<typeof render>;

function renderScreen(props: Partial<Parameters<typeof SqlScreen>[0]> = {}): App {
  return render(<SqlScreen warehouse={fixture.warehouse} home={fixture.home} isActive width={80} height={24} {...props} />);
}

/** The OSC 52 payloads written, decoded. */
function clipboardTexts(written: string[]): string[] {
  return written.flatMap((text) => [...text.matchAll(/\u001b\]52;c;([A-Za-z0-9+/=]*)\u0007/g)].map((m) => Buffer.from(m[1], 'base64').toString('utf8')));
}

describe('several statements, several results', () => {
  it('keeps one result per statement, each under its statement, and moves between them with [ and ]', async () => {
    const app = renderScreen();
    await press(app, 'select 1 as first_one; create table analytics.made_here (a int); select n from analytics.numbers where n < 3 order by n;', ENTER);
    let frame = await waitForFrame(app, contains('3 statements'));
    expect(frame).toContain('[ and ] move between results');
    // The last result is shown, under its statement, with a tab for each.
    expect(frame).toMatch(/ #1 1 row · \d+ ms +│ + #2 CREATE TABLE · \d+ ms +│ + #3 3 rows · \d+ ms/);
    expect(frame).toContain('3/3 › select n from analytics.numbers where n < 3 order by n');
    expect(frame).toMatch(/n\s*\n\s*bigint\s*\n.*\n\s*0\n\s*1\n\s*2\n/);
    await press(app, CTRL_T, '[');
    frame = await waitForFrame(app, contains('2/3 › create table analytics.made_here (a int)'));
    expect(frame).toMatch(/✓ CREATE TABLE · \d+ ms/);
    await press(app, '[');
    frame = await waitForFrame(app, contains('1/3 › select 1 as first_one'));
    expect(frame).toMatch(/first_one\s*\n\s*integer\s*\n.*\n\s*1\b/);
    // The first result let go of the engine for the next statements: it still scrolls.
    await press(app, ']', ']');
    frame = await waitForFrame(app, contains('3/3 › select n'));
    await press(app, DOWN, DOWN);
    await waitForFrame(app, contains('─ n (bigint) · row 3 · column 1 of 1'));
    await fixture.warehouse.execute('drop table analytics.made_here');
    app.unmount();
  });

  it('stops at the first error, naming the statement that failed, and runs none after it', async () => {
    const app = renderScreen();
    await press(app, 'select 1 as fine; select nope from analytics.numbers; create table analytics.never_made (a int);', ENTER);
    const frame = await waitForFrame(app, contains('✗ statement 2 (line 1) failed'));
    expect(frame).toContain('#2 ✗ failed');
    expect(frame).toContain('2/2 › select nope from analytics.numbers');
    expect(frame).toMatch(/✗ .*nope/);
    expect(frame).not.toContain(' 3 ');
    const tables = await fixture.warehouse.query("select count(*) as n from information_schema.tables where table_name = 'never_made'");
    const rows = [];
    for await (const page of tables.pages()) rows.push(...page);
    await tables.close();
    expect(rows).toEqual([[0]]);
    app.unmount();
  });

  it('keeps the last 20 results of a longer draft, saying how many were dropped before them', async () => {
    const app = renderScreen();
    const draft = Array.from({ length: 25 }, (_, i) => `select ${i + 1} as r${i + 1};`).join(' ');
    await press(app, draft, ENTER);
    let frame = await waitForFrame(app, contains('25 statements'));
    expect(frame).toMatch(/25 statements in [^·]+ · last 20 kept · \[ and \] move between results\n/);
    expect(frame).toContain('25/25 › select 25 as r25');
    await press(app, CTRL_T, ...Array.from({ length: 19 }, () => '['));
    frame = await waitForFrame(app, contains('6/25 › select 6 as r6'));
    // The first result kept, with the count of those before it where their tabs were.
    expect(frame).toMatch(/^5 dropped ‹ +#6 1 row · \d+ ms/m);
    await press(app, '[');
    await press(app, DOWN);
    frame = await waitForFrame(app, contains('6/25 › select 6 as r6'));
    expect(frame).toMatch(/r6\s*\n\s*integer\s*\n.*\n\s*6\b/);
    // Keys that come in one read (a held key) each count.
    app.stdin.write(']]]');
    await waitForFrame(app, contains('9/25 › select 9 as r9'));
    app.unmount();
  });

  it('keeps every result of the last draft, and a new draft replaces them', async () => {
    const app = renderScreen();
    await press(app, 'select 1 as a; select 2 as b;', ENTER);
    await waitForFrame(app, contains('2 statements'));
    await press(app, 'select 3 as c;', ENTER);
    const frame = await waitForFrame(app, contains('✓ 1 row in'));
    expect(frame).toContain('› select 3 as c');
    expect(frame).not.toContain('2/2');
    expect(frame).not.toMatch(/ #1 1 row · /);
    app.unmount();
  });
});

describe('the result grid', () => {
  it('puts the type under each name, numbers to the right and text to the left', async () => {
    const app = renderScreen();
    await press(app, 'select id, user_agent from analytics.agents order by id;', ENTER);
    const frame = await waitForFrame(app, contains('3 rows in'));
    const lines = frame.split('\n');
    const header = lines.findIndex((line) => line.endsWith('user_agent'));
    expect(lines[header]).toMatch(/^ {4}id │ user_agent/);
    expect(lines[header + 1]).toMatch(/^bigint │ varchar/);
    expect(lines[header + 3]).toMatch(/^ {5}1 │ Mozilla\/5\.0/);
    app.unmount();
  });

  it('shows the whole value of the cell under the cursor, wrapped, with control characters escaped', async () => {
    const app = renderScreen();
    await press(app, "select 7 as id, 'line one' || chr(10) || 'bell' || chr(7) || ' then ' || repeat('long ', 30) as note;", ENTER);
    await waitForFrame(app, contains('1 row in'));
    await press(app, CTRL_T);
    let frame = await waitForFrame(app, contains('─ id (integer) · row 1 · column 1 of 2'));
    await press(app, RIGHT);
    frame = await waitForFrame(app, contains('─ note (varchar) · row 1 · column 2 of 2'));
    const panel = frame.split('\n').slice(frame.split('\n').findIndex((line) => line.startsWith('─ note')) + 1);
    expect(panel[0]).toMatch(/^line one⏎bell\\x07 then long long/);
    expect(panel.join(' ')).not.toMatch(/[\u0007\u001b]/);
    expect(frame).toMatch(/· \d+ chars · 1 more line \(/);
    await press(app, HOME);
    await waitForFrame(app, contains('column 1 of 2'));
    await press(app, END);
    await waitForFrame(app, contains('column 2 of 2'));
    app.unmount();
  });

  it('draws every row that fits as a record with \\x, wide values wrapped, and back', async () => {
    const app = renderScreen();
    await press(app, 'select id, user_agent, score from analytics.agents order by id;', ENTER);
    await waitForFrame(app, contains('3 rows in'));
    await press(app, '\\x', ENTER);
    let frame = await waitForFrame(app, contains('expanded display is on'));
    for (const n of [1, 2, 3]) {
      expect(frame).toContain(`-[ RECORD ${n} ]`);
      // Each value whole: its end on the line under its start.
      expect(frame).toMatch(new RegExp(`user_agent │ Mozilla/5\\.0[^\\n]*\\n {11}│ [^\\n]*Firefox/31\\.0 build ${n}\\n`));
    }
    expect(frame).toMatch(/id {9}│ 1\n/);
    expect(frame).toMatch(/score {6}│ 4\.5\n/);
    expect(frame).toContain('rows 1–3 of 3 rows');
    for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    await press(app, CTRL_T, DOWN, RIGHT);
    await waitForFrame(app, contains('user_agent (varchar) · row 2 · column 2 of 3'));
    frame = app.lastFrame() ?? '';
    expect(frame).toContain('-[ RECORD 1 ]');
    await press(app, ENTER, '\\x', ENTER);
    frame = await waitForFrame(app, contains('expanded display is off'));
    expect(frame).not.toContain('RECORD');
    app.unmount();
  });

  it('shows as many records as fit and scrolls through the rest with the cursor, a page and the last row', async () => {
    const app = renderScreen();
    await press(app, 'select n, twice from analytics.numbers order by n;', ENTER);
    await waitForFrame(app, contains('rows in'));
    await press(app, '\\x', ENTER);
    // 20 lines under the statement at 80x24: six records of three lines.
    let frame = await waitForFrame(app, contains('-[ RECORD 6 ]'));
    expect(frame).not.toContain('-[ RECORD 7 ]');
    expect(frame).toContain('rows 1–6 of');
    // The cell panel takes three of them.
    await press(app, CTRL_T);
    frame = await waitForFrame(app, contains('rows 1–5 of'));
    expect(frame).toContain('─ n (bigint) · row 1 · column 1 of 2');
    expect(frame).not.toContain('-[ RECORD 6 ]');
    await press(app, PAGE_DOWN);
    frame = await waitForFrame(app, contains('rows 6–10 of'));
    expect(frame).toContain('─ n (bigint) · row 6 · column 1 of 2');
    expect(frame).toMatch(/-\[ RECORD 6 \][^\n]*\nn +│ 5\n/);
    // Past the last record on screen, the records move up by one.
    await press(app, DOWN, DOWN, DOWN, DOWN, DOWN);
    frame = await waitForFrame(app, contains('row 11 · column 1'));
    await waitForFrame(app, contains('rows 7–11 of'));
    await press(app, 'G');
    frame = await waitForFrame(app, contains('row 10,000 · column 1'));
    await waitForFrame(app, contains('rows 9,996–10,000 of 10,000'));
    expect(app.lastFrame()).toMatch(/-\[ RECORD 10,000 \][^\n]*\nn +│ 9999\n/);
    app.unmount();
  });

  it('cuts a record taller than the screen around the cursor field', async () => {
    const app = renderScreen();
    await press(app, "select 1 as first_field, repeat('abcdefg ', 300) as long_text, 'the end' as last_field;", ENTER);
    await waitForFrame(app, contains('1 row in'));
    await press(app, '\\x', ENTER);
    let frame = await waitForFrame(app, contains('-[ RECORD 1 ]'));
    expect(frame).toMatch(/first_field │ 1\n/);
    expect(frame).not.toContain('last_field');
    await press(app, CTRL_T, END);
    frame = await waitForFrame(app, contains('─ last_field (varchar) · row 1 · column 3 of 3'));
    expect(frame).toMatch(/last_field +│ the end\n/);
    expect(frame).not.toContain('first_field │');
    for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    app.unmount();
  });
});

describe('the cell cursor without colour', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('marks the cell with ▸ where reverse video is off', async () => {
    vi.stubEnv('NO_COLOR', '1');
    const app = renderScreen();
    await press(app, 'select id, user_agent from analytics.agents order by id;', ENTER);
    await waitForFrame(app, contains('3 rows in'));
    await press(app, CTRL_T);
    let frame = await waitForFrame(app, contains('row 1 · column 1 of 2'));
    expect(frame).toMatch(/\n▸ {4}1 │ Mozilla/);
    await press(app, DOWN, RIGHT);
    frame = await waitForFrame(app, contains('row 2 · column 2 of 2'));
    expect(frame).toMatch(/\n {5}1 │ Mozilla/);
    expect(frame).toMatch(/\n {5}2 ▸ Mozilla/);
    await press(app, ENTER, '\\x', ENTER);
    frame = await waitForFrame(app, contains('-[ RECORD 3 ]'));
    expect(frame).toMatch(/\nid {9}│ 2\n/);
    expect(frame).toMatch(/\nuser_agent ▸ Mozilla/);
    expect(frame).toMatch(/\nuser_agent │ Mozilla[^\n]*\n[^\n]*│ Firefox\/31\.0 build 3/);
    app.unmount();
  });
});

describe('copy to the clipboard through OSC 52', () => {
  it('copies the cell, the row and the whole result as TSV, saying what and how many bytes', async () => {
    const written: string[] = [];
    const app = renderScreen({ writeTerminal: (text) => written.push(text) });
    await press(app, "select 1 as id, 'tab' || chr(9) || 'here' as note, null as nothing union all select 2, 'two', 'x' order by id;", ENTER);
    await waitForFrame(app, contains('2 rows in'));
    await press(app, CTRL_T, RIGHT, 'y');
    let frame = await waitForFrame(app, contains('copied note of row 1'));
    expect(frame).toContain('copied note of row 1 (8 bytes) to the clipboard (OSC 52)');
    expect(clipboardTexts(written).at(-1)).toBe('tab\there');
    await press(app, 'Y');
    frame = await waitForFrame(app, contains('copied row 1 as TSV'));
    expect(clipboardTexts(written).at(-1)).toBe('1\ttab\\there\t\n');
    expect(frame).toContain('(13 bytes)');
    await press(app, 'a');
    frame = await waitForFrame(app, contains('copied 2 rows as TSV'));
    expect(clipboardTexts(written).at(-1)).toBe('id\tnote\tnothing\n1\ttab\\there\t\n2\ttwo\tx\n');
    app.unmount();
  });

  it('cuts the copy of a large result at the limit and says so', async () => {
    const written: string[] = [];
    const app = renderScreen({ writeTerminal: (text) => written.push(text) });
    await press(app, "select n, repeat('x', 100) as filler from analytics.numbers order by n;", ENTER);
    await waitForFrame(app, contains('rows in'));
    await press(app, CTRL_T, 'a');
    const frame = await waitForFrame(app, contains('cut at 131,072 bytes'));
    const text = clipboardTexts(written).at(-1)!;
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_COPY_BYTES);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('n\tfiller');
    expect(lines[1]).toBe(`0\t${'x'.repeat(100)}`);
    expect(frame).toContain(`copied the first ${(lines.length - 1).toLocaleString('en-US')} rows as TSV`);
    app.unmount();
  });

  it('writes the sequence plainly, and inside tmux also wrapped for passthrough', () => {
    const plain = '\u001b]52;c;aGk=\u0007';
    expect(clipboardSequence('hi', {})).toBe(plain);
    expect(clipboardSequence('hi', { TMUX: '/tmp/tmux-1000/default,1,0' })).toBe(`${plain}\u001bPtmux;\u001b\u001b]52;c;aGk=\u0007\u001b\\`);
  });
});

describe('keys in a burst', () => {
  it('moves the cursor for every PgDn of a burst, pages read or not', async () => {
    const app = renderScreen({ pageSize: 100, maxCachedRows: 300 });
    await press(app, 'select n from analytics.numbers order by n;', ENTER);
    await waitForFrame(app, contains('rows in'));
    await press(app, CTRL_T);
    // 24 lines: editor, status, statement, names, types, rule, footer and a cell panel of three leave 14 rows.
    const pageRows = 14;
    await waitForFrame(app, contains(`rows 1–${pageRows} of`));
    app.stdin.write(PAGE_DOWN.repeat(40));
    const row = 1 + 40 * pageRows;
    await waitForFrame(app, contains(`─ n (bigint) · row ${row.toLocaleString('en-US')} · column 1 of 1`));
    // The rows on screen follow the cursor: its value is in the panel.
    const moved = await waitForFrame(app, (f) => f.includes(`\n${row - 1}\n`) || new RegExp(`\\n\\s*${row - 1}\\n`).test(f));
    expect(moved).not.toContain('reading…');
    app.stdin.write(UP.repeat(5));
    await waitForFrame(app, contains(`row ${(row - 5).toLocaleString('en-US')} · column 1 of 1`));
    app.unmount();
  });
});
