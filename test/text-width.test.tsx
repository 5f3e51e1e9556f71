// One width function for every table: CJK and emoji take two columns in the
// app's result table and bar chart, in the fixed tables of the plain commands
// (cli-table3) and in `sparkify query`'s table alike, so borders line up.
import { rmSync } from 'node:fs';
import { render } from 'ink-testing-library';
import stringWidth from 'string-width';
import { afterAll, describe, expect, it } from 'vitest';
import { listTable, plainColumns } from '../src/pipeline/plain-table.js';
import { padToWidth, textWidth, truncateToWidth } from '../src/pipeline/text-width.js';
import { BarChart } from '../src/ui/components/bar-chart.js';
import { ResultTable } from '../src/ui/components/result-table.js';
import { runCli, tempHome } from './helpers/cli.js';

const WIDE = [['東京', '😀👍🏽', 3], ['Zürich', '🇯🇵', 12345], ['한국어 텍스트', 'ok', 7]];

/** The display columns at which `mark` appears on each line. */
const marks = (line: string, mark: string) => {
  const at: number[] = [];
  let column = 0;
  for (const { segment } of new Intl.Segmenter().segment(line)) {
    if (segment === mark) at.push(column);
    column += textWidth(segment);
  }
  return at;
};

describe('the width helpers', () => {
  it("measure long text as string-width does, clusters across its windows included, and in time that grows with its length", () => {
    const long = [
      'é'.repeat(3000),
      '日本'.repeat(2000),
      '😀'.repeat(1500),
      '👨‍👩‍👧'.repeat(700),
      '🇯🇵'.repeat(900) + '🇫',
      'e\u0301'.repeat(1500),
      'a'.repeat(1023) + 'e\u0301\u0301' + 'x'.repeat(2000),
      '\u0301'.repeat(5000),
      'ab東'.repeat(3000),
    ];
    for (const text of long) expect(textWidth(text)).toBe(stringWidth(text));
    // A value of 300,000 characters in one cell: string-width alone walks it in time that grows
    // with the square of its length (close to a minute here), a window at a time it takes well under a second.
    expect(textWidth('é'.repeat(300_000))).toBe(300_000);
    expect(truncateToWidth('日'.repeat(100_000), 9)).toBe('日日日日…');
  }, 15_000);

  it('pad and cut by display width, never splitting a wide character', () => {
    expect(padToWidth('東京', 6)).toBe('東京  ');
    expect(padToWidth('7', 3, true)).toBe('  7');
    expect(truncateToWidth('東京タワー', 6)).toBe('東京…');
    expect(textWidth(truncateToWidth('東京タワー', 6))).toBeLessThanOrEqual(6);
    expect(truncateToWidth('😀😀😀', 4)).toBe('😀…');
    expect(truncateToWidth('abc', 3)).toBe('abc');
  });
});

describe("the app's result table", () => {
  it('lines up its separators under CJK and emoji values', () => {
    const { lastFrame, unmount } = render(
      <ResultTable columns={[{ name: 'city', type: 'varchar' }, { name: 'mood', type: 'varchar' }, { name: 'n', type: 'integer' }]} rows={WIDE} firstColumn={0} width={80} />,
    );
    const lines = (lastFrame() ?? '').split('\n');
    // Names, types under them, the rule, then one line per row.
    expect(lines).toHaveLength(6);
    const widths = lines.map(textWidth);
    expect(new Set(widths).size).toBe(1);
    const separators = lines.filter((_, i) => i !== 2).map((line) => marks(line, '│'));
    for (const at of separators) expect(at).toEqual(separators[0]);
    expect(marks(lines[2], '┼')).toEqual(separators[0].map((c) => c));
    unmount();
  });

  it('cuts a wide value to the room left without overrunning it', () => {
    const { lastFrame, unmount } = render(
      <ResultTable columns={[{ name: 'city', type: 'varchar' }]} rows={[['東京タワーの夜景東京タワーの夜景東京タワーの夜景']]} firstColumn={0} width={11} />,
    );
    const lines = (lastFrame() ?? '').split('\n');
    for (const line of lines) expect(textWidth(line)).toBeLessThanOrEqual(11);
    expect(lines[3]).toMatch(/^東京タワー…/);
    unmount();
  });

  it('bar chart labels in CJK keep the bars starting at one column', () => {
    const { lastFrame, unmount } = render(
      <BarChart columns={[{ name: 'city', type: 'varchar' }, { name: 'n', type: 'integer' }]} rows={[['東京', 3], ['Zürich', 12], ['😀', 6]]} chart={{ label: 0, value: 1 }} width={40} />,
    );
    const starts = (lastFrame() ?? '').split('\n').slice(1).map((line) => marks(line, '█')[0]);
    expect(new Set(starts).size).toBe(1);
    unmount();
  });
});

describe('the fixed tables (cli-table3)', () => {
  it('a list table aligns its borders under CJK and emoji', () => {
    const lines = listTable(['city', 'mood', 'n'], WIDE.map((row) => row.map(String)), [2]).split('\n');
    const borders = lines.map((line) => marks(line, '│')).filter((at) => at.length > 0);
    for (const at of borders) expect(at).toEqual(borders[0]);
    expect(new Set(lines.map(textWidth)).size).toBe(1);
  });

  it('label and value columns start each value at one column', () => {
    const lines = plainColumns([['都市', '東京'], ['mood', ['😀 first', 'second']], ['n', '3']], { indent: '  ' });
    const starts = lines.map((line) => textWidth(line) - textWidth(line.trimStart().replace(/^\S+\s+/, '')));
    expect(lines).toHaveLength(4);
    expect(lines[2].trim()).toBe('second');
    expect(new Set([starts[0], starts[1], starts[3]]).size).toBe(1);
    expect(textWidth(lines[2]) - textWidth(lines[2].trimStart())).toBe(starts[0]);
  });
});

describe('sparkify query', () => {
  const home = tempHome('sparkify-width-');
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('prints a table of CJK and emoji values with its borders aligned', async () => {
    const sql = "SELECT '東京' AS city, '😀👍🏽' AS mood, 3 AS n UNION ALL SELECT 'Zürich', '🇯🇵', 12345 UNION ALL SELECT '한국어 텍스트', 'ok', 7 ORDER BY n";
    const result = await runCli(['query', sql], { env: { SPARKIFY_HOME: home } });
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(7);
    expect(lines[3]).toContain('東京');
    expect(new Set(lines.map(textWidth)).size).toBe(1);
    const borders = lines.map((line) => marks(line, '│')).filter((at) => at.length > 0);
    for (const at of borders) expect(at).toEqual(borders[0]);
  });
});
