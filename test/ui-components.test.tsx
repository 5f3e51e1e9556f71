// Small pieces of the app: the live timer, the key table and what is drawn from it.
import { render } from 'ink-testing-library';
import { act } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ElapsedTimer } from '../src/ui/components/elapsed-timer.js';
import { formatSeconds } from '../src/ui/components/format.js';
import { HelpLine } from '../src/ui/components/help-line.js';
import { Header } from '../src/ui/components/header.js';
import { SelectList } from '../src/ui/components/select-list.js';
import { ResultTable } from '../src/ui/components/result-table.js';
import { KeyHelpOverlay, overlayMaxScroll } from '../src/ui/components/key-help-overlay.js';
import { KEY_BINDINGS, bindingsFor, matches, type KeyBinding } from '../src/ui/key-bindings.js';
import { terminalSize } from '../src/ui/hooks/use-terminal-size.js';
import { Box, type Key } from 'ink';

// Tells React that updates here are wrapped in act().
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

afterEach(() => {
  vi.useRealTimers();
});

const NO_KEY: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  super: false, hyper: false, capsLock: false, numLock: false,
};

describe('ElapsedTimer', () => {
  it('ticks in tenths of a second while active and starts again on a new reset key', async () => {
    vi.useFakeTimers();
    const app = render(<ElapsedTimer isActive resetKey="a" />);
    expect(app.lastFrame()).toBe('0.0s');
    await act(async () => {
      await vi.advanceTimersByTimeAsync(1_250);
    });
    expect(app.lastFrame()).toBe('1.2s');
    await act(async () => {
      await vi.advanceTimersByTimeAsync(700);
    });
    expect(app.lastFrame()).toBe('1.9s');

    app.rerender(<ElapsedTimer isActive resetKey="b" />);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(300);
    });
    expect(app.lastFrame()).toBe('0.3s');

    app.rerender(<ElapsedTimer isActive={false} resetKey="b" />);
    const stopped = app.lastFrame();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(2_000);
    });
    expect(app.lastFrame()).toBe(stopped);
    app.unmount();
  });
});

describe('formatSeconds', () => {
  it('prints tenths, and minutes past a minute', () => {
    expect(formatSeconds(0)).toBe('0.0s');
    expect(formatSeconds(12_345)).toBe('12.3s');
    expect(formatSeconds(185_200)).toBe('3m 05.2s');
  });
});

describe('key table', () => {
  it('has one command per row and no key bound twice in the same scope', () => {
    const commands = KEY_BINDINGS.map((b) => b.command);
    expect(new Set(commands).size).toBe(commands.length);
    // The SQL prompt binds keys per mode (editor, result), so its scope is left out.
    for (const scope of ['global', 'home', 'pipeline', 'cluster', 'confirm', 'setup']) {
      const seen = new Set<string>();
      for (const binding of KEY_BINDINGS.filter((b) => b.scope === scope && b.command !== 'overlay.close')) {
        for (const chord of binding.chords) {
          const id = JSON.stringify(chord);
          expect(seen.has(id), `${id} bound twice in ${scope}`).toBe(false);
          seen.add(id);
        }
      }
    }
  });

  it('matches printable keys, Ctrl chords and named keys', () => {
    expect(matches('pipeline.run', 'r', NO_KEY)).toBe(true);
    expect(matches('pipeline.run', 'r', { ...NO_KEY, ctrl: true })).toBe(false);
    expect(matches('app.interrupt', 'c', { ...NO_KEY, ctrl: true })).toBe(true);
    expect(matches('nav.cluster', 'c', { ...NO_KEY, ctrl: true })).toBe(false);
    expect(matches('nav.cluster', 'c', NO_KEY)).toBe(true);
    expect(matches('setup.back', '', { ...NO_KEY, escape: true })).toBe(true);
    expect(matches('list.down', '', { ...NO_KEY, downArrow: true })).toBe(true);
  });

  it('draws the help line and the overlay from the same rows', () => {
    // Wider than the test's terminal: Ink wraps it, the words stay.
    const line = (render(<HelpLine scopes={['pipeline', 'global']} width={400} />).lastFrame() ?? '').replace(/\n/g, ' ');
    for (const binding of KEY_BINDINGS.filter((b) => (b.scope === 'pipeline' || b.scope === 'global') && b.inHelpLine)) {
      expect(line).toContain(`${binding.label} ${(binding as KeyBinding).short ?? binding.description}`);
    }
    const overlay = render(<KeyHelpOverlay scopes={['pipeline', 'global']} height={60} />).lastFrame() ?? '';
    for (const binding of KEY_BINDINGS.filter((b) => (b.scope === 'pipeline' || b.scope === 'global') && (b as KeyBinding).inOverlay !== false)) {
      expect(overlay).toContain(binding.description);
    }
    // ↓ is named beside ↑, once.
    expect(overlay).toContain('↑↓      scroll this overlay');
    expect(overlay).not.toContain('scroll this overlay down');
  });

  it('cuts the help line to the terminal width between keys, never in a word', () => {
    for (const width of [40, 80]) {
      const line = render(<HelpLine scopes={['pipeline', 'global']} width={width} />).lastFrame() ?? '';
      expect(line.length).toBeLessThanOrEqual(width);
      expect(line.endsWith('  …')).toBe(true);
      const shown = line.slice(0, -3).split('  ');
      const entries = bindingsFor(['pipeline', 'global']).filter((b) => b.inHelpLine).map((b) => `${b.label} ${b.short ?? b.description}`);
      expect(shown).toEqual(entries.slice(0, shown.length));
    }
  });
});

describe('SelectList', () => {
  it('wraps a long hint beside its label at a space, never cutting a word', () => {
    const hint = 'course-sized: about 8,000 events, in $SPARKIFY_HOME/sample';
    const items = [{ value: 'sample', label: 'Generate sample data', hint }, { value: 'folders', label: 'Use data in local folders' }];
    const frame = render(
      <Box width={60}>
        <SelectList items={items} selected={0} />
      </Box>,
    ).lastFrame() ?? '';
    const lines = frame.split('\n');
    expect(lines[0].startsWith('❯ Generate sample data course-sized')).toBe(true);
    expect(frame).not.toContain('…');
    expect(lines.slice(0, -1).map((line) => line.slice('❯ Generate sample data '.length).trim()).join(' ')).toBe(hint);
    expect(lines.at(-1)).toBe('  Use data in local folders');
  });
});

describe('terminalSize', () => {
  it('takes the size the terminal reports', () => {
    expect(terminalSize({ columns: 200, rows: 50 }, { LINES: '30', COLUMNS: '100' })).toEqual({ columns: 200, rows: 50 });
  });

  it("falls back to the shell's LINES and COLUMNS where the terminal reports none, then to 80x24", () => {
    expect(terminalSize({ columns: 0, rows: 0 }, { LINES: '50', COLUMNS: '200' })).toEqual({ columns: 200, rows: 50 });
    expect(terminalSize({ columns: 120 }, { LINES: '40' })).toEqual({ columns: 120, rows: 40 });
    expect(terminalSize({}, { LINES: 'lots', COLUMNS: '-3' })).toEqual({ columns: 80, rows: 24 });
  });
});

describe('KeyHelpOverlay', () => {
  it('fits the height it is given and scrolls through what does not fit', () => {
    const frameAt = (scroll: number) => render(<KeyHelpOverlay scopes={['pipeline', 'global']} height={10} scroll={scroll} />).lastFrame() ?? '';
    const first = frameAt(0);
    expect(first.split('\n')).toHaveLength(10);
    expect(first).toContain('keys (Esc closes · ↑↓ scroll)');
    expect(first).toMatch(/1–6 of (\d+) · ↓ more/);
    const total = Number(first.match(/of (\d+)/)![1]);
    expect(overlayMaxScroll(['pipeline', 'global'], 10)).toBe(total - 6);
    const last = frameAt(1000);
    expect(last.split('\n')).toHaveLength(10);
    expect(last).toContain(`${total - 5}–${total} of ${total}`);
    expect(last).not.toContain('↓ more');
  });

  it('shows everything, without a scroll hint, when it fits', () => {
    const frame = render(<KeyHelpOverlay scopes={['home', 'global']} height={40} />).lastFrame() ?? '';
    expect(frame).toContain('keys (Esc closes)');
    expect(frame).not.toMatch(/ of \d+/);
    expect(frame).toContain('setup wizard');
  });
});

describe('ResultTable', () => {
  it('shows control characters from the data as escapes, never sends them to the terminal', () => {
    const { lastFrame, unmount } = render(
      <ResultTable
        columns={[{ name: 'x', type: 'varchar' }, { name: 'bell', type: 'varchar' }]}
        rows={[['a\u001b[31mRED', 'ring\u0007'], ['two\nlines', 'tab\there']]}
        firstColumn={0}
        width={80}
      />,
    );
    const frame = lastFrame() ?? '';
    expect(frame).toContain('a\\x1b[31mRED');
    expect(frame).toContain('ring\\x07');
    expect(frame).toContain('two⏎lines');
    expect(frame).toContain('tab\\there');
    expect(frame).not.toMatch(/[\u0007\u001b]/);
    unmount();
  });
});

describe('Header', () => {
  it('names a Serverless target a workgroup on its status line, and a provisioned one a cluster', () => {
    const workgroup = render(
      <Header config={{ target: 'redshift', sources: {}, redshift: { workgroupName: 'learn', region: 'us-west-2' } }} cluster={{ identifier: 'learn', status: 'available' }} busyLabel={null} screenTitle="cluster" />,
    );
    expect(workgroup.lastFrame()).toContain('workgroup learn available');
    expect(workgroup.lastFrame()).not.toContain('cluster learn');
    workgroup.unmount();
    const cluster = render(
      <Header config={{ target: 'redshift', sources: {}, redshift: { clusterIdentifier: 'dwh', region: 'us-west-2' } }} cluster={{ identifier: 'dwh', status: 'paused' }} busyLabel={null} screenTitle="cluster" />,
    );
    expect(cluster.lastFrame()).toContain('cluster dwh paused');
    cluster.unmount();
  });
});
