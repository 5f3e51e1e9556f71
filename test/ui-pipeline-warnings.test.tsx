// The pipeline screen says before a run what `sparkify run` warns of, in the
// same words: here an event file that changed since an incremental run loaded it.
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SparkifyConfig } from '../src/pipeline/config.js';
import { runWarnings } from '../src/pipeline/ledger/run-warnings.js';
import { AppRoot, openConfiguredWarehouse } from '../src/ui/app.js';
import { untilReady } from './helpers/ink.js';
import { COURSE_DATA } from './helpers/cli.js';

let home: string;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'sparkify-pipeline-warnings-'));
  process.env.SPARKIFY_HOME = home;
});

afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

describe('run warnings', () => {
  it('words a changed and a gone file for the command line, and for the app with its own remedy', () => {
    const selections = [
      { table: 'staging.s_events', load: [], changed: [{ uri: '/data/day-1.json', size: 1 }], gone: ['/data/day-0.json', '/data/day-9.json'] },
    ] as unknown as Parameters<typeof runWarnings>[0]['selections'];
    expect(runWarnings({ warnings: ['listing s3://bucket/log_data failed'], selections })).toEqual([
      'listing s3://bucket/log_data failed',
      '/data/day-1.json changed since it was loaded; skipped (--reload-changed reloads it)',
      '2 staging.s_events files in the ledger no longer in the source; their rows stay (run --plan names them)',
    ]);
    expect(runWarnings({ warnings: [], selections }, { reloadChanged: 'press i', listGone: 'see the plan' })[0]).toContain('skipped (press i)');
  });

  it('prints the changed file before an incremental run in the app', async () => {
    const days = join(COURSE_DATA, 'log_data', '2018', '11');
    const dayFiles = readdirSync(days).sort().slice(0, 2);
    const logDir = join(home, 'log_data', '2018', '11');
    mkdirSync(logDir, { recursive: true });
    for (const file of dayFiles) cpSync(join(days, file), join(logDir, file));
    const config: SparkifyConfig = {
      target: 'local',
      localDatabase: join(home, 'warehouse.duckdb'),
      sources: { songData: join(COURSE_DATA, 'song_data'), logData: join(home, 'log_data'), logJsonpaths: join(COURSE_DATA, 'log_json_path.json') },
      redshift: {},
    };
    const app = render(<AppRoot config={config} openWarehouse={openConfiguredWarehouse} />);
    const frame = () => app.lastFrame() ?? '';
    const all = () => app.frames.join('\n');
    const waitFor = (text: string, source = frame) => untilReady(() => source().includes(text), frame, 60_000);
    await waitFor('p runs the pipeline');
    app.stdin.write('p');
    await waitFor('ready · r runs the pipeline');
    app.stdin.write('i');
    await waitFor('incremental on');
    app.stdin.write('r');
    await waitFor('last run finished in');
    expect(all()).not.toContain('warning:');
    appendFileSync(join(logDir, dayFiles[0]), '\n');
    app.stdin.write('r');
    // The transcript wraps at the terminal's width: the words, whatever the breaks.
    const words = () => all().replace(/\s+/g, ' ');
    await waitFor(`warning: ${join(logDir, dayFiles[0])} changed since it was loaded; skipped (incremental reloading changed files, i, reloads it)`, words);
    await untilReady(() => (all().match(/^run finished in/gm) ?? []).length >= 2, frame, 60_000);
    app.unmount();
  }, 120_000);
});
