// How run history is drawn: sparklines scaled to the longest run, a step
// marked when its latest run took more than twice its median, row changes.
import { describe, expect, it } from 'vitest';
import { slowerThanUsual, sparkline, rowsAdded, rowsAddedText } from '../src/pipeline/ledger/present.js';
import type { RunSummary } from '../src/pipeline/ledger/history.js';

describe('run history, drawn', () => {
  it('draws one bar per run, the longest full height', () => {
    expect(sparkline([1, 2, 4, 8])).toBe('▂▃▅█');
    expect(sparkline([5, 5])).toBe('██');
    expect(sparkline([0, 0])).toBe('▁▁');
  });

  it('marks a latest run that took more than twice the median', () => {
    expect(slowerThanUsual([1, 1, 1, 3])).toBe(3);
    expect(slowerThanUsual([1, 1, 1, 2])).toBeUndefined();
    expect(slowerThanUsual([1, 5])).toBeUndefined();
    expect(slowerThanUsual([3, 1, 1, 1])).toBeUndefined();
  });

  it("says how each analytics table's rows changed since the run before", () => {
    const run = (plays: number, users: number): RunSummary => ({
      runId: 'x', startedAt: 0, target: 'local', mode: 'full', outcome: 'succeeded', checks: { passed: 0, total: 0 },
      tableRows: { 'staging.s_events': 9, 'analytics.f_songplays': plays, 'analytics.d_users': users },
    });
    expect(rowsAddedText(rowsAdded(run(1200, 10), run(1000, 12)))).toBe('plays +200 users -2');
    expect(rowsAddedText(rowsAdded(run(5, 1), undefined))).toBe('plays +5 users +1');
  });
});
