// The pipeline screen driven by the real runner on a real DuckDB file over the
// course data, rendered with ink-testing-library.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SparkifyConfig } from '../src/pipeline/config.js';
import { AppRoot, openConfiguredWarehouse } from '../src/ui/app.js';

const DATA = join(import.meta.dirname, '..', '..', 'shared', 'data', 'sparkify');
let home: string;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'sparkify-pipeline-ui-'));
  process.env.SPARKIFY_HOME = home;
});

afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

async function until(check: () => boolean, what: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out; last frame:\n${what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function renderApp(config: SparkifyConfig) {
  const app = render(<AppRoot config={config} openWarehouse={openConfiguredWarehouse} />);
  const frame = () => app.lastFrame() ?? '';
  const all = () => app.frames.join('\n');
  const waitFor = async (text: string | RegExp, source = frame) => {
    await until(() => (typeof text === 'string' ? source().includes(text) : text.test(source())), frame);
    await new Promise((r) => setTimeout(r, 30));
  };
  return { app, frame, all, waitFor };
}

const courseConfig = (): SparkifyConfig => ({
  target: 'local',
  localDatabase: join(home, 'warehouse.duckdb'),
  sources: { songData: join(DATA, 'song_data'), logData: join(DATA, 'log_data'), logJsonpaths: join(DATA, 'log_json_path.json') },
  redshift: {},
});

describe('pipeline screen', () => {
  it('lists the plan, runs it, prints finished statements and the summary, and marks every step done', async () => {
    const { app, frame, all, waitFor } = renderApp(courseConfig());
    await waitFor('p runs the pipeline');
    app.stdin.write('p');
    await waitFor('ready · r runs the pipeline');
    expect(frame()).toContain('plan 7 steps · skip-staging off');
    expect(frame()).toContain('❯ · Create schemas');
    expect(frame()).toContain('Transform into the star schema ▸ 10 statements · one transaction');

    app.stdin.write('r');
    await waitFor('last run finished in');
    for (const title of ['Create schemas', 'Load staging.s_events', 'Transform into the star schema', 'Data-quality checks']) {
      expect(frame()).toMatch(new RegExp(`✓ ${title}`));
    }
    const transcript = all();
    expect(transcript).toMatch(/✓ load staging\.s_events .*· 8,056 rows/);
    expect(transcript).toMatch(/run finished in \d+\.\ds/);
    expect(transcript).toContain('analytics.f_songplays 6,820');
    expect(transcript).toContain('analytics.d_users 97');
    expect(transcript).toMatch(/checks: (\d+) of \1 passed/);
    app.unmount();
  });

  it("expands a step, shows a statement's SQL, and toggles skip-staging", async () => {
    const { app, frame, waitFor } = renderApp(courseConfig());
    await waitFor('p runs the pipeline');
    app.stdin.write('p');
    await waitFor('ready · r runs the pipeline');
    app.stdin.write('\u001B[B');
    app.stdin.write('\u001B[B');
    app.stdin.write('\u001B[B');
    app.stdin.write('\u001B[B');
    await waitFor('❯ · Load staging.s_events');
    app.stdin.write('\r');
    await waitFor('▾ 1 statement');
    app.stdin.write('\u001B[B');
    await waitFor(/❯\s+· load staging\.s_events/);
    app.stdin.write('v');
    await waitFor(/copy staging\.s_events/i);
    expect(frame()).toContain(join(DATA, 'log_data'));
    app.stdin.write('v');
    await until(() => !/copy staging\.s_events/i.test(frame()), frame);

    app.stdin.write('k');
    await waitFor('skip-staging on');
    await waitFor('will be skipped');
    app.unmount();
  });

  it('shows a plan problem instead of a plan when no sources are configured', async () => {
    const { app, waitFor } = renderApp({ target: 'local', localDatabase: join(home, 'w.duckdb'), sources: {}, redshift: {} });
    await waitFor('p runs the pipeline');
    app.stdin.write('p');
    await waitFor('no data sources: the load needs song and event files');
    app.unmount();
  });
});
