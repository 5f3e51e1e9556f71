// The SQL prompt's editor against a real in-memory DuckDB warehouse: the draft
// coloured from the tokenizer at each colour depth and not at all under
// NO_COLOR, the bracket matching the one at the cursor and what is left open,
// and the completion menu (moving, fuzzy order, kinds, accepting, closing).
import { describe, expect, it, vi } from 'vitest';

// Ink's chalk reads FORCE_COLOR once, when it loads: full colour, so what the
// screen asks for is what reaches the terminal (the screen's own depth decides).
vi.hoisted(() => {
  process.env.FORCE_COLOR = '3';
  process.env.COLORTERM = 'truecolor';
});

import { render } from 'ink-testing-library';
import { colorDepth } from '../src/ui/color.js';
import { SqlScreen } from '../src/ui/screens/sql-screen.js';
import { contains, press, waitForFrame } from './helpers/ink.js';
import { CTRL_U, DOWN, ENTER, ESC, LEFT, SHIFT_TAB, TAB, UP } from './helpers/keys.js';
import { sqlPromptFixture } from './helpers/sql-prompt.js';

const SEARCH_PATH = ['analytics', 'staging', 'public'];
const fixture = sqlPromptFixture('sql-editor', [
  'create schema analytics',
  'create table analytics.d_users (user_id integer, first_name varchar, last_name varchar, level varchar)',
  "insert into analytics.d_users values (1, 'Ada', 'Lovelace', 'paid'), (2, 'Alan', 'Turing', 'free')",
  'create table analytics.d_songs (song_id varchar, title varchar, duration double)',
  'create table analytics.played_users (user_id integer)',
  'create view analytics.v_paid as select * from analytics.d_users where level = $$paid$$',
], { searchPath: SEARCH_PATH });

/** The screen with the colours `env` asks for, once it takes keys. */
async function renderScreen(env: NodeJS.ProcessEnv, height = 20) {
  const app = render(
    <SqlScreen warehouse={fixture.warehouse} home={fixture.home} isActive width={80} height={height} searchPath={SEARCH_PATH} colorDepth={colorDepth(env)} />,
  );
  await waitForFrame(app, contains('sql>'));
  return app;
}

const ESCAPE = '\u001B[';
/** The escape sequence that sets these attributes: `sgr('38;5;75')` for colour 75 of xterm's 256. */
const sgr = (...codes: string[]) => `${ESCAPE}${codes.join(';')}m`;
const firstLine = (frame: string) => frame.split('\n')[0];
const strip = (text: string) => text.replace(/\u001B\[[0-9;]*m/g, '');

/** Columns (in the text as shown) of the characters drawn in a style that includes `code` (`48;5;24`). */
function markedAt(line: string, code: string): number[] {
  const at: number[] = [];
  for (const match of line.matchAll(/\u001B\[([0-9;]*)m/g)) {
    if (!`;${match[1]};`.includes(`;${code};`)) continue;
    let j = match.index + match[0].length;
    while (line.startsWith(ESCAPE, j)) j = line.indexOf('m', j) + 1;
    at.push(strip(line.slice(0, j)).length);
  }
  return at;
}

describe('highlighting the draft', () => {
  const draft = "select count(*) from d_users where level = 'paid' and user_id > 10 -- n";

  it('colours keywords, strings, numbers and comments from the tokens (256 colours)', async () => {
    const app = await renderScreen({ TERM: 'xterm-256color' });
    await press(app, draft);
    const line = firstLine(await waitForFrame(app, contains('-- n')));
    expect(line).toContain(`${sgr('38;5;75')}select`);
    expect(line).toContain(`${sgr('38;5;114')}'paid'`);
    expect(line).toContain(`${sgr('38;5;179')}10`);
    expect(line).toContain(`${sgr('38;5;245')}-- n`);
    // Names, functions and operators are drawn as typed, with no colour of their own.
    expect(line).toMatch(/(^|m) d_users /);
    expect(line).toMatch(/(^|m) count\(\*\) /);
    expect(line).toMatch(/(^|m) level = /);
    app.unmount();
  });

  it('draws with named colours on a 16-colour terminal and 24-bit ones where COLORTERM says so', async () => {
    let app = await renderScreen({ TERM: 'xterm' });
    await press(app, 'select 1');
    let line = firstLine(await waitForFrame(app, contains('1')));
    expect(line).toContain(`${sgr('34')}select`);
    app.unmount();
    app = await renderScreen({ TERM: 'xterm-256color', COLORTERM: 'truecolor' });
    await press(app, 'select 1');
    line = firstLine(await waitForFrame(app, contains('1')));
    expect(line).toContain(`${sgr('38;2;97;175;239')}select`);
    app.unmount();
  });

  it('writes no escape code at all under NO_COLOR or on a dumb terminal, cursor and menu included', async () => {
    for (const env of [{ NO_COLOR: '1', TERM: 'xterm-256color' }, { TERM: 'dumb' }]) {
      const app = await renderScreen(env);
      await press(app, draft);
      // The draft and the menu, that is; chalk, off in the app then, takes care of the rest.
      const drawn = (frame: string) => frame.split('\n').filter((line) => !line.includes('end a statement with'));
      let frame = await waitForFrame(app, contains('-- n'));
      expect(drawn(frame).join('\n')).not.toContain('\u001B');
      // The cursor still shows, as a bar.
      expect(firstLine(frame)).toContain('-- n▏');
      await press(app, CTRL_U, 'select * from d_');
      await waitForFrame(app, contains('from d_'));
      await press(app, TAB);
      frame = await waitForFrame(app, contains('› d_songs'));
      expect(drawn(frame).join('\n')).not.toContain('\u001B');
      app.unmount();
    }
  });
});

describe('bracket and quote matching', () => {
  it('marks the bracket that matches the one at the cursor, and follows the cursor', async () => {
    const match = '48;5;24';
    const app = await renderScreen({ TERM: 'xterm-256color' });
    await press(app, 'select (1 + (2 * 3))');
    // sql> select (1 + (2 * 3))
    //             ^12  ^17   ^23 ^24
    let line = firstLine(await waitForFrame(app, (f) => strip(f).includes('3))')));
    // The cursor is just past the last ")": it and the first "(" are the pair.
    expect(markedAt(line, match)).toEqual([12, 24]);
    // With the cursor on the inner ")" (drawn as the cursor), the inner "(" is marked, and only it.
    await press(app, LEFT, LEFT);
    line = firstLine(await waitForFrame(app, (f) => markedAt(firstLine(f), match).length === 1));
    expect(markedAt(line, match)).toEqual([17]);
    // On the inner "(", its ")" is marked.
    await press(app, LEFT.repeat(6));
    line = firstLine(await waitForFrame(app, (f) => markedAt(firstLine(f), match)[0] === 23));
    expect(markedAt(line, match)).toEqual([23]);
    app.unmount();
  });

  it('marks a bracket or a quote left open', async () => {
    const unclosed = '38;5;203';
    const app = await renderScreen({ TERM: 'xterm-256color' });
    await press(app, 'select (1 + 2');
    let line = firstLine(await waitForFrame(app, (f) => strip(f).includes('+ 2')));
    expect(markedAt(line, unclosed)).toEqual([12]);
    await press(app, "), 'open");
    line = firstLine(await waitForFrame(app, (f) => strip(f).includes('open')));
    // sql> select (1 + 2), 'open: the bracket is closed now, the quote is not.
    expect(markedAt(line, unclosed)).toEqual([21]);
    await press(app, ')');
    line = firstLine(await waitForFrame(app, (f) => strip(f).includes('open)')));
    expect(markedAt(line, unclosed)).toEqual([21]);
    app.unmount();
  });
});

describe('what is left open, without colour', () => {
  // Ink's chalk is on in this file: the hint after the mark is dimmed, the mark itself plain.
  const statusLine = (frame: string) => strip(frame.split('\n').find((line) => line.includes('end a statement with')) ?? '');

  it('says on the status line which bracket or quote is left open and where, under NO_COLOR and on a dumb terminal', async () => {
    for (const env of [{ NO_COLOR: '1', TERM: 'xterm-256color' }, { TERM: 'dumb' }]) {
      const app = await renderScreen(env);
      await press(app, 'select (1 + 2');
      let frame = await waitForFrame(app, contains('+ 2'));
      expect(statusLine(frame)).toMatch(/^unclosed \( at line 1, col 8 · end a statement with/);
      await press(app, '),', ENTER, "  'open");
      frame = await waitForFrame(app, contains("'open"));
      expect(statusLine(frame)).toMatch(/^unclosed ' at line 2, col 3 · /);
      await press(app, "'", ENTER, '  [1, 2');
      frame = await waitForFrame(app, contains('[1, 2'));
      expect(statusLine(frame)).toMatch(/^unclosed \[ at line 3, col 3 · /);
      await press(app, CTRL_U, 'select 1) /* note');
      frame = await waitForFrame(app, contains('/* note'));
      expect(statusLine(frame)).toMatch(/^unmatched \) at line 1, col 9 \(\+1 more\) · /);
      expect(frame.split('\n').find((line) => line.includes('end a statement with'))).toMatch(/^unmatched \) at line 1, col 9 \(\+1 more\) · \u001B\[2m/);
      await press(app, CTRL_U, "select ')' as p;");
      frame = await waitForFrame(app, contains('as p;'));
      expect(statusLine(frame)).toMatch(/^end a statement with/);
      app.unmount();
    }
  });

  it('leaves the status line alone where colour marks it in the draft', async () => {
    const app = await renderScreen({ TERM: 'xterm-256color' });
    await press(app, "select 'open");
    const frame = strip(await waitForFrame(app, (f) => strip(f).includes("'open")));
    expect(statusLine(frame)).toMatch(/^end a statement with/);
    app.unmount();
  });
});

describe('the completion menu', () => {
  it('lists every name that fits, best first, each with its kind and a column its type', async () => {
    const app = await renderScreen({ NO_COLOR: '1' });
    await press(app, 'select * from d_');
    await waitForFrame(app, contains('from d_'));
    await press(app, TAB);
    const frame = await waitForFrame(app, contains('1/3 ·'));
    const menu = frame.split('\n').filter((line) => /^\s+[› ] \S+\s+(table|view|schema)\b/.test(line));
    expect(menu.map((line) => line.trim().replace(/^› /, '').split(/\s+/))).toEqual([
      ['d_songs', 'table'],
      ['d_users', 'table'],
      // d_ neither at the start nor at a word start, but there.
      ['played_users', 'table'],
    ]);
    // Drawn under the word it completes.
    expect(frame.split('\n')[1].indexOf('d_songs')).toBe('sql> select * from '.length + 2);
    await press(app, ESC, CTRL_U, 'select ti from d_songs', LEFT.repeat(' from d_songs'.length), TAB);
    const columns = await waitForFrame(app, contains('› title'));
    expect(columns).toMatch(/› title\s+column\s+character varying/);
    await press(app, ESC, CTRL_U, 'select v_', TAB);
    await waitForFrame(app, (f) => /v_paid\s+view/.test(f));
    app.unmount();
  });

  it('moves with ↑↓ and Tab/Shift-Tab (wrapping), inserts on Enter, closes on Esc without leaving', async () => {
    const app = await renderScreen({ NO_COLOR: '1' });
    await press(app, 'select count(*) from d_');
    await waitForFrame(app, contains('from d_'));
    await press(app, TAB);
    await waitForFrame(app, contains('› d_songs'));
    await press(app, DOWN);
    await waitForFrame(app, contains('› d_users'));
    await press(app, TAB);
    await waitForFrame(app, contains('› played_users'));
    await press(app, TAB);
    await waitForFrame(app, contains('› d_songs'));
    await press(app, UP);
    await waitForFrame(app, contains('› played_users'));
    await press(app, SHIFT_TAB, SHIFT_TAB);
    await waitForFrame(app, contains('› d_songs'));
    await press(app, DOWN, ENTER);
    let frame = await waitForFrame(app, contains('sql> select count(*) from d_users'));
    expect(frame).not.toContain('Esc close');
    await press(app, CTRL_U, 'select d_', TAB);
    await waitForFrame(app, contains('Esc close'));
    await press(app, ESC);
    frame = await waitForFrame(app, (f) => !f.includes('Esc close'));
    expect(frame).toContain('sql> select d_');
    app.unmount();
  });

  it('opens over the lines above the cursor when there is no room under the draft, and the screen keeps its height', async () => {
    const height = 16;
    const app = await renderScreen({ NO_COLOR: '1' }, height);
    await press(app, 'select * from analytics.d_users;', ENTER);
    await waitForFrame(app, contains('2 rows'));
    for (const line of ['select', 'user_id,', 'first_name,', 'last_name,', 'level,', 'user_id * 2 as twice,', 'level as tier']) await press(app, line, ENTER);
    await press(app, 'from d_');
    await waitForFrame(app, contains('...  from d_'));
    await press(app, TAB);
    const frame = await waitForFrame(app, contains('1/3 ·'));
    const lines = frame.split('\n');
    expect(lines.length).toBeLessThanOrEqual(height);
    const cursorLine = lines.findIndex((line) => line.startsWith('...  from d_'));
    // The eighth line of the draft, with its three names and the menu's hint line over the four lines above it.
    expect(cursorLine).toBe(7);
    expect(lines.slice(cursorLine - 4, cursorLine).map((line) => line.slice('...  from '.length).trim().split(/\s+/)[0])).toEqual(['›', 'd_users', 'played_users', '1/3']);
    expect(lines[cursorLine - 4]).toMatch(/^\.\.\.  \S*\s*› d_songs\s+table/);
    // The result is still under the status line.
    expect(frame).toContain('Ada');
    await press(app, DOWN, ENTER);
    expect(await waitForFrame(app, contains('...  from d_users'))).not.toContain('1/3 ·');
    app.unmount();
  });

  it('narrows as you type and closes when the name ends', async () => {
    const app = await renderScreen({ NO_COLOR: '1' });
    await press(app, 'select * from d_');
    await waitForFrame(app, contains('from d_'));
    await press(app, TAB);
    await waitForFrame(app, contains('1/3 ·'));
    await press(app, 'u');
    let frame = await waitForFrame(app, contains('1/2 ·'));
    expect(frame).toContain('› d_users');
    expect(frame).not.toContain('d_songs');
    await press(app, ' ');
    frame = await waitForFrame(app, (f) => !f.includes('1/2 ·'));
    expect(frame).toContain('sql> select * from d_u ');
    app.unmount();
  });
});
