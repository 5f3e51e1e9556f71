// The SQL prompt screen against a real in-memory DuckDB warehouse: typing,
// running, history, search, completion, scrolling, the chart, \d and exports.
import { readFile, readdir, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { historyPath } from '../src/pipeline/history.js';
import { AppRoot } from '../src/ui/app.js';
import { HelpLine } from '../src/ui/components/help-line.js';
import { KeyHelpOverlay } from '../src/ui/components/key-help-overlay.js';
import { loadExampleQueries } from '../src/ui/screens/sql-examples.js';
import { splitTrailingCommand } from '../src/ui/screens/sql-commands.js';
import { SqlScreen, isStatementComplete, parseMetaCommand } from '../src/ui/screens/sql-screen.js';
import { contains, effectsFlushed, press, waitForFrame } from './helpers/ink.js';
import { BACKSPACE, CTRL_C, CTRL_G, CTRL_J, CTRL_O, CTRL_R, CTRL_T, CTRL_U, CTRL_Y, DOWN, ENTER, ESC, PAGE_DOWN, RIGHT, TAB, UP } from './helpers/keys.js';
import { sqlPromptFixture } from './helpers/sql-prompt.js';

const fixture = sqlPromptFixture('sql-screen', [
  'create schema analytics',
  'create table analytics.d_users (user_id integer, first_name varchar, last_name varchar, level varchar)',
  "insert into analytics.d_users values (1, 'Ada', 'Lovelace', 'paid'), (2, 'Alan', 'Turing', 'free'), (3, 'Grace', 'Hopper', 'paid')",
  'create table analytics.f_songplays (songplay_id bigint, user_id integer, level varchar, weekday varchar)',
  `insert into analytics.f_songplays select i, 1 + i % 3, case when i % 4 = 0 then 'free' else 'paid' end,
     ['Sun','Mon','Tue','Wed','Thu','Fri','Sat'][1 + (i * i) % 7] from generate_series(0, 69) t(i)`,
  `create table analytics.wide as select ${Array.from({ length: 12 }, (_, i) => `${i} as column_number_${i}`).join(', ')}`,
  'create table analytics.numbers as select i as n, i * 2 as twice from generate_series(0, 9999) t(i)',
]);
afterEach(() => {
  vi.useRealTimers();
});

type App = ReturnType<typeof render>;

function renderScreen(props: Partial<Parameters<typeof SqlScreen>[0]> = {}): App {
  return render(<SqlScreen warehouse={fixture.warehouse} home={fixture.home} isActive width={80} height={20} {...props} />);
}

describe('isStatementComplete and parseMetaCommand', () => {
  it('runs on ; outside strings and comments, and on \\ commands', () => {
    expect(isStatementComplete('select 1;')).toBe(true);
    expect(isStatementComplete('select 1;  -- done')).toBe(true);
    expect(isStatementComplete("select ';'")).toBe(false);
    expect(isStatementComplete('select 1')).toBe(false);
    expect(isStatementComplete('\\dt')).toBe(true);
  });

  it('takes a \\ command after the statement on its line, as psql does, and none inside a string or mid-statement', () => {
    expect(splitTrailingCommand('select 1;\\compare')).toEqual({ body: 'select 1;', command: '\\compare' });
    expect(splitTrailingCommand('select 1;  \\save top users')).toEqual({ body: 'select 1;', command: '\\save top users' });
    expect(splitTrailingCommand('select 1\n\\explain')).toEqual({ body: 'select 1', command: '\\explain' });
    expect(splitTrailingCommand('\\x')).toEqual({ body: '', command: '\\x' });
    expect(splitTrailingCommand("select 'a;\\x'")).toBeUndefined();
    expect(splitTrailingCommand('select 1 \\x')).toBeUndefined();
    expect(isStatementComplete("select 'a';\\compare")).toBe(true);
  });

  it('turns \\d and \\dt into catalog queries and refuses others', () => {
    expect(parseMetaCommand('\\dt')).toMatchObject({ kind: 'sql', sql: expect.stringContaining('information_schema.tables') as string });
    expect(parseMetaCommand('\\d analytics.d_users;')).toMatchObject({ kind: 'sql', sql: expect.stringContaining("c.table_name = 'd_users'") as string });
    expect(parseMetaCommand('\\q')).toEqual({ kind: 'quit' });
    expect(parseMetaCommand('\\?')).toEqual({ kind: 'help' });
    expect(parseMetaCommand('\\timing')).toEqual({ kind: 'timing' });
    expect(() => parseMetaCommand('\\zz')).toThrow(/unknown command \\zz/);
  });
});

describe('SqlScreen', () => {
  it('inserts a new line on Enter until the statement ends with ;, then runs it', async () => {
    const app = renderScreen();
    await waitForFrame(app, contains('sql>'));
    await press(app, 'select first_name, level', ENTER, 'from analytics.d_users');
    let frame = await waitForFrame(app, contains('from analytics.d_users'));
    expect(frame).toMatch(/sql> select first_name, level\n\.\.\.  from analytics\.d_users/);
    expect(frame).not.toContain('Ada');
    await press(app, ' order by user_id;', ENTER);
    frame = await waitForFrame(app, contains('Grace'));
    expect(frame).toContain('first_name');
    expect(frame).toMatch(/Ada\s+│ paid/);
    expect(frame).toContain('3 rows in');
    expect(frame).toContain('rows 1–3 of 3 rows');
    app.unmount();
  });

  it('runs at once on Ctrl-J, and shows a SQL error with the statement kept for fixing', async () => {
    const app = renderScreen();
    await press(app, 'select count(*) as n from analytics.d_users', CTRL_J);
    await waitForFrame(app, (f) => /n\s*\n\s*bigint\s*\n.*\n\s*3\b/.test(f));
    await press(app, 'select nope from analytics.d_users;', ENTER);
    const frame = await waitForFrame(app, contains('✗'));
    expect(frame).toMatch(/nope/);
    expect(frame).toContain('sql> select nope from analytics.d_users;');
    app.unmount();
  });

  it('keeps history across sessions: ↑/↓ at the first/last line, secrets redacted', async () => {
    const first = renderScreen();
    await press(first, 'select 1 as one;', ENTER);
    await waitForFrame(first, contains('1 row in'));
    await press(first, "select 'x' as a -- password 'Sw0rdfish!'", CTRL_J);
    await waitForFrame(first, contains('1 row in'));
    first.unmount();
    expect(await readFile(historyPath(fixture.home), 'utf8')).not.toContain('Sw0rdfish');

    const second = renderScreen();
    await waitForFrame(second, contains('sql>'));
    await press(second, 'draft');
    await press(second, UP);
    await waitForFrame(second, contains("password '***'"));
    await press(second, UP);
    await waitForFrame(second, contains('sql> select 1 as one;'));
    await press(second, DOWN, DOWN);
    await waitForFrame(second, contains('sql> draft'));
    second.unmount();
  });

  it('searches the history with Ctrl-R and takes the match on Enter', async () => {
    await writeFile(
      historyPath(fixture.home),
      ['select level from analytics.d_users;', 'select 2;', 'select first_name from analytics.d_users;'].map((s) => JSON.stringify(s)).join('\n') + '\n',
    );
    const app = renderScreen();
    await waitForFrame(app, contains('sql>'));
    await press(app, CTRL_R, 'd_u');
    await waitForFrame(app, contains("(history search) 'd_u': select first_name"));
    await press(app, CTRL_R);
    await waitForFrame(app, contains("'d_u': select level"));
    await press(app, 'zzz');
    await waitForFrame(app, contains("(no match · history search) 'd_uzzz': select level"));
    await press(app, BACKSPACE, BACKSPACE, BACKSPACE, ENTER);
    const frame = await waitForFrame(app, contains('sql> select level from analytics.d_users;'));
    expect(frame).not.toContain('history search');
    await press(app, CTRL_R, 'select', CTRL_G);
    await waitForFrame(app, contains('sql> select level from analytics.d_users;'));
    app.unmount();
  });

  it('completes schemas, tables and columns from the catalog with Tab', async () => {
    const app = renderScreen();
    await press(app, 'select * from anal', TAB);
    await waitForFrame(app, contains('sql> select * from analytics.'));
    await press(app, 'd_', TAB);
    await waitForFrame(app, contains('sql> select * from analytics.d_users'));
    await press(app, ' u where u.first', TAB);
    await waitForFrame(app, contains('where u.first_name'));
    await press(app, ' is not null and u.', TAB);
    const frame = await waitForFrame(app, contains('1/4 ·'));
    expect(frame).toContain('and u.');
    expect(frame).toMatch(/› first_name\s+column\s+character varying/);
    // Typing narrows the menu; Enter takes the chosen name.
    await press(app, 'le');
    await waitForFrame(app, (f) => /› level\s+column/.test(f));
    await press(app, ENTER, " = 'paid';", ENTER);
    await waitForFrame(app, contains('2 rows in'));
    app.unmount();
  });

  it('takes text with its Enter or Tab in one read as typed text, then the key', async () => {
    const app = renderScreen();
    await waitForFrame(app, contains('sql>'));
    app.stdin.write('select * from analytics.d_u\t');
    await waitForFrame(app, contains('sql> select * from analytics.d_users'));
    app.stdin.write(' order by user_id;\r');
    const frame = await waitForFrame(app, contains('3 rows in'));
    expect(frame).toMatch(/Ada/);
    app.unmount();
  });

  it('takes a control key that arrives in one read with text as the key, never as text', async () => {
    const app = renderScreen();
    await waitForFrame(app, contains('sql>'));
    await press(app, 'select 1 as draft');
    await waitForFrame(app, contains('sql> select 1 as draft'));
    // tmux hands over Ctrl-U, the line and its Enter in one read.
    app.stdin.write(`${CTRL_U}select 2 as two;\r`);
    let frame = await waitForFrame(app, contains('1 row in'));
    expect(frame).toMatch(/two\s*\n\s*integer\s*\n.*\n\s*2\b/);
    // A control character with no key here is dropped, not typed.
    app.stdin.write('select 3 \u001Cas three;\r');
    frame = await waitForFrame(app, contains('three'));
    expect(frame).not.toContain('✗');
    const entries = (await readFile(historyPath(fixture.home), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as string);
    expect(entries).toEqual(['select 2 as two;', 'select 3 as three;']);
    app.unmount();
  });

  it('counts a complete result exactly, and turns N+ into the count once the end is read', async () => {
    const app = renderScreen();
    await press(app, 'select i from generate_series(0, 25) t(i);', ENTER);
    let frame = await waitForFrame(app, contains('rows 1–'));
    expect(frame).toContain('✓ 26 rows in');
    expect(frame).toContain('rows 1–13 of 26 rows');
    await press(app, 'select n from analytics.numbers order by n limit 500;', ENTER);
    frame = await waitForFrame(app, contains('✓ 500 rows in'));
    expect(frame).toContain('rows 1–13 of 500 rows');
    await press(app, 'select n from analytics.numbers order by n;', ENTER);
    frame = await waitForFrame(app, contains('rows in'));
    expect(frame).toMatch(/✓ [\d,]+\+ rows in/);
    await press(app, CTRL_T, 'G');
    frame = await waitForFrame(app, contains('rows 9,991–10,000 of 10,000 rows'));
    expect(frame).toContain('✓ 10,000 rows in');
    app.unmount();
  });

  it('shows the whole path of an export, wrapped, however long', async () => {
    const exportDir = join(fixture.home, 'a-folder-with-a-rather-long-name', 'and-another-one-below-it-for-the-exports');
    const app = renderScreen({ exportDir });
    await press(app, 'select first_name from analytics.d_users order by user_id;', ENTER);
    await waitForFrame(app, contains('3 rows in'));
    await press(app, CTRL_T, 'x');
    const frame = await waitForFrame(app, contains('exported 3 rows to'));
    const file = (await readdir(exportDir)).find((f) => f.endsWith('.csv'))!;
    const path = join(exportDir, file);
    expect(path.length).toBeGreaterThan(80);
    expect(frame.replace(/\n/g, '')).toContain(path);
    expect(Math.max(...frame.split('\n').map((line) => line.length))).toBeLessThanOrEqual(80);
    expect(frame.split('\n').length).toBeLessThanOrEqual(20);
    app.unmount();
  });

  it('sees a table created in the prompt without a restart', async () => {
    const app = renderScreen();
    await press(app, 'create table analytics.fresh_table (fresh_column integer);', ENTER);
    await waitForFrame(app, contains('✓'));
    await press(app, 'select fresh_c', TAB);
    await waitForFrame(app, contains('sql> select fresh_column'));
    app.unmount();
    await fixture.warehouse.execute('drop table analytics.fresh_table');
  });

  it('runs a script of statements in turn: command tags for those that do not read, the rows of a last read', async () => {
    const app = renderScreen();
    await press(app, 'create table analytics.script_t (a int); insert into analytics.script_t values (1), (2); select count(*) as script_rows from analytics.script_t;', ENTER);
    const frame = await waitForFrame(app, contains('script_rows'));
    expect(frame).toMatch(/script_rows[\s\S]*\b2\b/);
    await press(app, 'insert into analytics.script_t values (3); drop table analytics.script_t;', ENTER);
    await waitForFrame(app, contains('INSERT 0 1 · DROP TABLE'));
    app.unmount();
  });

  it('scrolls a long result page by page, and moves the cell cursor to the last row and back', async () => {
    const app = renderScreen();
    await press(app, 'select n, twice from analytics.numbers order by n;', ENTER);
    let frame = await waitForFrame(app, contains('rows 1–'));
    expect(frame).toMatch(/rows 1–13 of \d[\d,]*\+ rows/);
    await press(app, PAGE_DOWN);
    frame = await waitForFrame(app, contains('rows 14–26'));
    expect(frame).toMatch(/\b13\s+│\s+26\b/);
    // The cell panel takes three lines: the rows on screen end sooner, from the cursor's row.
    await press(app, CTRL_T);
    frame = await waitForFrame(app, contains('rows 14–23'));
    expect(frame).toContain('─ n (bigint) · row 14 · column 1 of 2');
    await press(app, DOWN, DOWN);
    await waitForFrame(app, contains('row 16 · column 1 of 2'));
    await press(app, 'G');
    frame = await waitForFrame(app, contains('of 10,000 rows'));
    expect(frame).toContain('rows 9,991–10,000 of 10,000 rows');
    expect(frame).toMatch(/\b9999\s+│\s+19998\b/);
    expect(frame).toContain('row 10,000 · column 1 of 2');
    await press(app, 'g');
    frame = await waitForFrame(app, contains('rows 1–10 of 10,000 rows'));
    expect(frame).toMatch(/\b0\s+│\s+0\b/);
    expect(frame).toContain('row 1 · column 1 of 2');
    app.unmount();
  });

  it("draws NULL apart from the string 'NULL'", async () => {
    const app = renderScreen();
    await press(app, "select null as missing, 'NULL' as word;", ENTER);
    const frame = await waitForFrame(app, contains('1 row in'));
    const lines = frame.split('\n');
    const row = lines[lines.findIndex((line) => line.includes('┼')) + 1];
    expect(row.split('│').map((cell) => cell.trim())).toEqual(['∅', 'NULL']);
    app.unmount();
  });

  it('scrolls columns left and right in a wide result', async () => {
    const app = renderScreen();
    await press(app, 'select * from analytics.wide;', ENTER);
    let frame = await waitForFrame(app, contains('columns 1–'));
    expect(frame).toContain('column_number_0');
    expect(frame).not.toContain('column_number_11');
    await press(app, CTRL_T);
    for (let i = 0; i < 11; i += 1) await press(app, RIGHT);
    frame = await waitForFrame(app, contains('column 12 of 12'));
    expect(frame).toContain('column_number_11 (integer) · row 1 · column 12 of 12');
    expect(frame).toMatch(/columns \d+–12 of 12/);
    expect(frame).not.toContain('column_number_0 ');
    app.unmount();
  });

  it('toggles a bar chart for a label and a number column', async () => {
    const app = renderScreen();
    await press(app, 'select level, count(*) as plays from analytics.f_songplays group by 1 order by 2 desc;', ENTER);
    await waitForFrame(app, contains('2 rows in'));
    await press(app, CTRL_T, 'c');
    const frame = await waitForFrame(app, contains('█'));
    const paid = frame.split('\n').find((line) => line.startsWith('paid'))!;
    const free = frame.split('\n').find((line) => line.startsWith('free'))!;
    expect(paid).toMatch(/█+.* 52$/);
    expect(free).toMatch(/█+.* 18$/);
    expect(paid.split('█').length).toBeGreaterThan(free.split('█').length);
    await press(app, 'c');
    await waitForFrame(app, (f) => !f.includes('█') && f.includes('plays'));
    app.unmount();
  });

  it('says when a result cannot be drawn as a chart', async () => {
    const app = renderScreen();
    await press(app, 'select * from analytics.d_users;', ENTER);
    await waitForFrame(app, contains('3 rows in'));
    await press(app, CTRL_T, 'c');
    await waitForFrame(app, contains('a bar chart needs exactly two columns'));
    app.unmount();
  });

  it('lists tables with \\dt and describes one with \\d', async () => {
    const app = renderScreen({ height: 24 });
    await press(app, '\\dt', ENTER);
    let frame = await waitForFrame(app, contains('f_songplays'));
    expect(frame).toMatch(/analytics\s+│ d_users/);
    await press(app, '\\d analytics.d_users', ENTER);
    frame = await waitForFrame(app, contains('first_name'));
    expect(frame).toMatch(/user_id\s+│ INTEGER/i);
    expect(frame).toMatch(/level\s+│ character varying/i);
    await press(app, '\\d no_such_table', ENTER);
    await waitForFrame(app, contains('0 rows'));
    app.unmount();
  });

  it('exports the whole result to CSV and JSON under $SPARKIFY_HOME/exports', async () => {
    const app = renderScreen();
    await press(app, 'select n from analytics.numbers order by n;', ENTER);
    await waitForFrame(app, contains('rows 1–'));
    await press(app, CTRL_T, 'x');
    let frame = await waitForFrame(app, contains('exported 10,000 rows to'));
    const exports = join(fixture.home, 'exports');
    const csvName = (await readdir(exports)).find((f) => f.endsWith('.csv'))!;
    expect(frame.replace(/\n/g, '')).toContain(join(exports, csvName).slice(0, 20));
    const csv = (await readFile(join(exports, csvName), 'utf8')).trim().split('\n');
    expect(csv.length).toBe(10_001);
    expect(csv[0]).toBe('n');
    expect(csv.at(-1)).toBe('9999');

    await press(app, ENTER, 'select first_name, level from analytics.d_users order by user_id;', ENTER);
    await waitForFrame(app, contains('3 rows in'));
    await press(app, CTRL_T, 'j');
    frame = await waitForFrame(app, contains('exported 3 rows'));
    const jsonName = (await readdir(exports)).find((f) => f.endsWith('.json'))!;
    expect(JSON.parse(await readFile(join(exports, jsonName), 'utf8'))).toEqual([
      { first_name: 'Ada', level: 'paid' },
      { first_name: 'Alan', level: 'free' },
      { first_name: 'Grace', level: 'paid' },
    ]);
    app.unmount();
  });

  it('puts an example query in the editor from the Ctrl-O list', async () => {
    const queries = join(fixture.home, 'queries');
    await mkdir(queries);
    await writeFile(join(queries, 'a-users.sql'), '-- title: Users by level\nselect level, count(*) as users from analytics.d_users group by 1 order by 1;\n');
    await writeFile(join(queries, 'b-plays.sql'), '-- title: Plays\nselect count(*) as plays from analytics.f_songplays;\n');
    const app = renderScreen({ queriesDir: queries });
    await press(app, CTRL_O);
    await waitForFrame(app, contains('Users by level'));
    await press(app, DOWN, ENTER);
    await waitForFrame(app, contains('sql> select count(*) as plays from analytics.f_songplays;'));
    await press(app, ENTER);
    await waitForFrame(app, (f) => /plays\s*\n\s*bigint\s*\n.*\n\s*70\b/.test(f));
    app.unmount();
  });

  it('ticks while a statement runs and Ctrl-C cancels it', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    const app = renderScreen();
    await press(app, 'select count(*) from generate_series(0, 10000000000) a;', ENTER);
    await waitForFrame(app, contains('running 0.0s'));
    await vi.advanceTimersByTimeAsync(1_200);
    await waitForFrame(app, contains('running 1.2s'));
    await press(app, CTRL_C);
    const frame = await waitForFrame(app, contains('cancelled'));
    expect(frame).toContain('sql> select count(*) from generate_series(0, 10000000000) a;');
    app.unmount();
  });

  it('hands Ctrl-C to the app when the app tracks work', async () => {
    const cancels: (() => void)[] = [];
    const finished: string[] = [];
    const startWork = (label: string, cancel: () => void) => {
      cancels.push(cancel);
      return () => finished.push(label);
    };
    const app = renderScreen({ startWork });
    await press(app, 'select count(*) from generate_series(0, 10000000000) a;', ENTER);
    await waitForFrame(app, contains('running'));
    await press(app, CTRL_C);
    // The screen has taken the key and drawn what it does with it: it leaves the cancel to the app.
    await effectsFlushed();
    expect(app.lastFrame()).toContain('running');
    cancels[0]();
    await waitForFrame(app, contains('cancelled'));
    expect(finished).toEqual(['query']);
    app.unmount();
  });

  it('fits the table to a new height when the terminal is resized', async () => {
    const app = renderScreen();
    await press(app, 'select n from analytics.numbers order by n;', ENTER);
    await waitForFrame(app, contains('rows 1–13 of'));
    app.rerender(<SqlScreen warehouse={fixture.warehouse} home={fixture.home} isActive width={40} height={10} />);
    const frame = await waitForFrame(app, contains('rows 1–3 of'));
    expect(frame.split('\n').length).toBeLessThanOrEqual(10);
    app.unmount();
  });
});

describe('example queries', () => {
  it('reads the titles of the queries shipped in sql/queries', async () => {
    const examples = await loadExampleQueries();
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) {
      expect(example.title).not.toMatch(/^--/);
      expect(example.sql).not.toMatch(/^-- title:/);
      expect(isStatementComplete(example.sql)).toBe(true);
    }
    expect(examples.map((e) => e.title)).toContain('Top 10 songs by plays');
  });
});

describe('SqlScreen while a result holds the engine', () => {
  it('completes with Tab before the catalog was read, by letting go of a half-read result', async () => {
    const app = render(<SqlScreen warehouse={fixture.warehouse} home={fixture.home} isActive width={80} height={20} />);
    await press(app, 'select n from analytics.numbers order by n;', ENTER);
    await waitForFrame(app, contains('rows 1–13 of 1,000+ rows'));
    await press(app, 'select * from analytics.d_us', TAB);
    await waitForFrame(app, contains('sql> select * from analytics.d_users'));
    await press(app, PAGE_DOWN);
    await waitForFrame(app, contains('rows 14–26'));
    app.unmount();
  });

  it('keeps a second statement in the editor while one runs', async () => {
    const app = render(<SqlScreen warehouse={fixture.warehouse} home={fixture.home} isActive width={80} height={20} />);
    await press(app, 'select count(*) from generate_series(0, 10000000000) a;', ENTER);
    await waitForFrame(app, contains('running'));
    await press(app, 'select 1;', ENTER);
    await press(app, CTRL_C);
    const frame = await waitForFrame(app, contains('cancelled'));
    expect(frame).toContain('sql> select 1;');
    await press(app, ENTER);
    await waitForFrame(app, contains('1 row in'));
    app.unmount();
  });
});

describe('SqlScreen in the app', () => {
  /** The app on the in-memory warehouse, on the SQL screen; `exits` gets the exit code when the app leaves. */
  async function renderApp() {
    process.env.SPARKIFY_HOME = fixture.home;
    const exits: number[] = [];
    const app = render(
      <AppRoot config={{ target: 'local', sources: {}, redshift: {} }} openWarehouse={() => Promise.resolve(fixture.warehouse)} onExitCode={(code) => exits.push(code)} />,
    );
    await waitForFrame(app, contains('p runs the pipeline'));
    await press(app, 's');
    await waitForFrame(app, contains('sql>'));
    // The screen's input handler and its registrations attach in effects after the frame.
    await effectsFlushed();
    return { app, exits };
  }

  const onSqlScreen = (frame: string) => frame.split('\n')[0].includes('· SQL ·');

  it('closes the history search and the example list on Esc and keeps the draft; Esc with neither open goes home', async () => {
    const { app } = await renderApp();
    await press(app, 'select 42 as answer');
    await press(app, CTRL_R, 'sel');
    await waitForFrame(app, contains("history search) 'sel'"));
    await press(app, ESC);
    let frame = await waitForFrame(app, (f) => !f.includes('history search'));
    expect(onSqlScreen(frame)).toBe(true);
    expect(frame).toContain('sql> select 42 as answer');
    await press(app, CTRL_O);
    await waitForFrame(app, contains('Top 10 songs by plays'));
    await press(app, ESC);
    frame = await waitForFrame(app, contains('sql> select 42 as answer'));
    expect(onSqlScreen(frame)).toBe(true);
    await press(app, ESC);
    frame = await waitForFrame(app, contains('p runs the pipeline'));
    expect(frame.split('\n')[0]).toContain('· home ·');
    // Back on the prompt, the draft is there again (once home's keys are attached).
    await effectsFlushed();
    await press(app, 's');
    frame = await waitForFrame(app, contains('sql> select 42 as answer'));
    expect(onSqlScreen(frame)).toBe(true);
    app.unmount();
  });

  it('closes the completion list on Esc before it goes home', async () => {
    const { app } = await renderApp();
    await press(app, 'select * from analytics.d_');
    await press(app, '\t');
    await waitForFrame(app, contains('d_users'));
    await press(app, ESC);
    let frame = await waitForFrame(app, (f) => !f.includes('d_artists'));
    expect(onSqlScreen(frame)).toBe(true);
    await press(app, ESC);
    frame = await waitForFrame(app, contains('p runs the pipeline'));
    expect(frame.split('\n')[0]).toContain('· home ·');
    // The kept draft comes back (and is taken, so the next test starts empty), once home's keys are attached.
    await effectsFlushed();
    await press(app, 's');
    await waitForFrame(app, contains('sql> select * from analytics.d_'));
    app.unmount();
  });

  it('clears the draft on Ctrl-C, and leaves on Ctrl-C with nothing typed; a cancel first, and the next Ctrl-C leaves', async () => {
    const first = await renderApp();
    await press(first.app, 'select 1 as one');
    await waitForFrame(first.app, contains('sql> select 1 as one'));
    await press(first.app, CTRL_C);
    await waitForFrame(first.app, (f) => /^sql>\s*$/m.test(f));
    expect(first.exits).toEqual([]);
    await press(first.app, CTRL_C);
    await waitForFrame(first.app, () => first.exits.length > 0);
    expect(first.exits).toEqual([0]);
    first.app.unmount();

    const second = await renderApp();
    await press(second.app, 'select count(*) from generate_series(0, 10000000000) a;', ENTER);
    await waitForFrame(second.app, contains('running'));
    await press(second.app, CTRL_C);
    await waitForFrame(second.app, contains('cancelled'));
    expect(second.app.lastFrame()).toContain('sql> select count(*) from generate_series(0, 10000000000) a;');
    expect(second.exits).toEqual([]);
    await press(second.app, CTRL_C);
    await waitForFrame(second.app, () => second.exits.length > 0);
    second.app.unmount();
  });

  it('opens the key overlay on Ctrl-Y and comes back with the draft and the result as they were', async () => {
    const { app } = await renderApp();
    expect(app.lastFrame()).toContain('Ctrl-Y keys');
    await press(app, 'select 7 as seven;', ENTER);
    await waitForFrame(app, contains('1 row in'));
    await press(app, 'select 8');
    await press(app, CTRL_Y);
    let frame = await waitForFrame(app, contains('keys (Esc closes'));
    expect(frame).toContain('show all keys');
    expect(frame).not.toContain('sql>');
    await press(app, ESC);
    frame = await waitForFrame(app, contains('sql> select 8'));
    expect(onSqlScreen(frame)).toBe(true);
    expect(frame).toContain('✓ 1 row in');
    expect(frame).toMatch(/seven\s*\n\s*integer\s*\n.*\n\s*7\b/);
    app.unmount();
  });

  it('keeps the result and the draft when it goes home and comes back', async () => {
    const { app } = await renderApp();
    await press(app, 'select 41 + 1 as kept;', ENTER);
    await waitForFrame(app, contains('1 row in'));
    await press(app, 'select 9');
    await press(app, ESC);
    await waitForFrame(app, contains('p runs the pipeline'));
    await effectsFlushed();
    await press(app, 's');
    const frame = await waitForFrame(app, contains('sql> select 9'));
    expect(onSqlScreen(frame)).toBe(true);
    expect(frame).toMatch(/kept\s*\n\s*integer\s*\n.*\n\s*42\b/);
    expect(frame).toContain('✓ 1 row in');
    app.unmount();
  });

  it('lists the editor keys in the key overlay', async () => {
    const { app } = await renderApp();
    await press(app, CTRL_Y);
    await waitForFrame(app, contains('keys (Esc closes'));
    for (let i = 0; i < 60; i++) await press(app, DOWN);
    const frame = await waitForFrame(app, contains('completion menu'));
    expect(frame).toContain('delete the word before the cursor');
    expect(frame).toContain('previous name in the completion menu');
    app.unmount();
  });

  it('lists in the overlay the keys of the example list and the history search, from the table the prompt reads them from', () => {
    const { lastFrame, unmount } = render(<KeyHelpOverlay scopes={['sql', 'sql-editor', 'sql-menu']} height={200} />);
    const overlay = lastFrame() ?? '';
    expect(overlay).toContain('in the example list: put the query in the draft');
    expect(overlay).toContain('in the history search: take the match into the draft');
    unmount();
  });

  it('names the key overlay in a help line that fits 80 columns', () => {
    const { lastFrame, unmount } = render(<HelpLine scopes={['sql']} width={80} />);
    expect(lastFrame()).toContain('Ctrl-Y keys');
    expect(lastFrame()).not.toContain('…');
    unmount();
  });
});
