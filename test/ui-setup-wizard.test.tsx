// The setup wizard, rendered with ink-testing-library against a real DuckDB
// file and the real config store in a temporary SPARKIFY_HOME.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configPath, type SparkifyConfig } from '../src/pipeline/config.js';
import { AppRoot, openConfiguredWarehouse } from '../src/ui/app.js';
import { iniProfileNames } from '../src/ui/hooks/setup-checks.js';
import { until, untilReady } from './helpers/ink.js';
import { CTRL_C, CTRL_U, DOWN, ENTER, ESC, UP } from './helpers/keys.js';
import { COURSE_DATA } from './helpers/cli.js';


let home: string;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'sparkify-wizard-'));
  process.env.SPARKIFY_HOME = home;
});

afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});


function renderWizard() {
  let exitCode: number | undefined;
  const app = render(<AppRoot config={null} openWarehouse={openConfiguredWarehouse} onExitCode={(code) => (exitCode = code)} />);
  const frame = () => app.lastFrame() ?? '';
  const all = () => app.frames.join('\n');
  const waitFor = (text: string) => untilReady(() => frame().includes(text), frame);
  const press = async (key: string, expected: string) => {
    app.stdin.write(key);
    await waitFor(expected);
  };
  return { app, frame, all, waitFor, press, exitCode: () => exitCode };
}

describe('setup wizard', () => {
  it('opens on first run and saves a local target over the course data after checking it', async () => {
    const { app, frame, all, waitFor, press } = renderWizard();
    await waitFor('Where should the star schema live?');
    expect(frame()).toContain('Embedded warehouse (DuckDB file)');
    expect(frame()).toContain('Esc back');

    await press(ENTER, 'Which data?');
    await press(DOWN, '❯ Generate a larger sample');
    await press(DOWN, '❯ Use data in local folders');
    await press(ENTER, 'Folder of song JSON files');
    app.stdin.write(join(COURSE_DATA, 'song_data'));
    await press(ENTER, 'Folder of event log files');
    app.stdin.write(join(COURSE_DATA, 'log_data'));
    await press(ENTER, 'jsonpaths file');
    app.stdin.write(join(COURSE_DATA, 'log_json_path.json'));
    app.stdin.write(ENTER);

    await until(() => all().includes('settings saved to'), frame);
    await waitFor('p runs the pipeline');
    expect(frame()).toContain(join(COURSE_DATA, 'song_data'));

    const saved = JSON.parse(readFileSync(configPath(home), 'utf8')) as SparkifyConfig;
    expect(saved).toMatchObject({
      target: 'local',
      sources: { songData: join(COURSE_DATA, 'song_data'), logData: join(COURSE_DATA, 'log_data'), logJsonpaths: join(COURSE_DATA, 'log_json_path.json') },
    });
    expect(statSync(configPath(home)).mode & 0o777).toBe(0o600);
    // select 1 ran on the warehouse file the app will use.
    expect(existsSync(join(home, 'warehouse.duckdb'))).toBe(true);
    app.unmount();
  });

  it('shows a folder without JSON inline with what to do, and saves nothing', async () => {
    const empty = join(home, 'empty');
    mkdirSync(empty);
    writeFileSync(join(empty, 'notes.txt'), 'no data here');
    const { app, frame, waitFor, press } = renderWizard();
    await waitFor('Where should the star schema live?');
    await press(ENTER, 'Which data?');
    await press(DOWN, '❯ Generate a larger sample');
    await press(DOWN, '❯ Use data in local folders');
    await press(ENTER, 'Folder of song JSON files');
    app.stdin.write(empty);
    await press(ENTER, 'Folder of event log files');
    app.stdin.write(join(home, 'missing'));
    await press(ENTER, 'jsonpaths file');
    app.stdin.write(ENTER);

    await waitFor('nothing was saved');
    expect(frame()).toContain(`✗ song data: ${empty} holds no .json files`);
    expect(frame()).toContain('point at the folder with the data, or generate sample data');
    expect(frame()).toContain(`✗ event logs: ${join(home, 'missing')} does not exist`);
    expect(existsSync(configPath(home))).toBe(false);

    // Esc goes back to the last answer, which can be fixed and checked again.
    await press(ESC, 'jsonpaths file');
    await press(ESC, 'Folder of event log files');
    expect(frame()).toContain(join(home, 'missing'));
    app.unmount();
  });

  it('needs an answer for a required field and walks back with Esc', async () => {
    const { app, frame, waitFor, press } = renderWizard();
    await waitFor('Where should the star schema live?');
    await press(DOWN, '❯ Existing Redshift cluster');
    await press(ENTER, 'AWS region of the warehouse');
    expect(frame()).toMatch(/› us-east-1|› [a-z]{2}-[a-z]+-\d/);
    await press(ENTER, 'Which AWS credentials?');
    await press(ENTER, 'What kind of Redshift?');
    await press(DOWN, '❯ Serverless workgroup');
    await press(ENTER, 'Serverless workgroup name');
    await press(ENTER, 'this one is needed');
    await press(ESC, 'What kind of Redshift?');
    await press(ESC, 'Which AWS credentials?');
    await press(ESC, 'AWS region of the warehouse');
    await press(ESC, 'Where should the star schema live?');
    expect(existsSync(configPath(home))).toBe(false);
    app.unmount();
  });

  it('generates sample data into the sparkify home and saves it as the sources', async () => {
    const { app, frame, all, waitFor, press } = renderWizard();
    await waitFor('Where should the star schema live?');
    await press(ENTER, 'Which data?');
    app.stdin.write(ENTER);
    await until(() => all().includes('settings saved to'), frame, 60_000);
    const saved = JSON.parse(readFileSync(configPath(home), 'utf8')) as SparkifyConfig;
    expect(saved.sources).toEqual({
      songData: join(home, 'sample', 'song_data'),
      logData: join(home, 'sample', 'log_data'),
      logJsonpaths: join(home, 'sample', 'log_json_path.json'),
    });
    expect(all()).toMatch(/sample data: \d+ songs, \d+ events/);
    app.unmount();
  });

  // tmux `send-keys Up Enter` delivers both keys before React renders the
  // move: Enter must choose the item Up moved to, not the one drawn last.
  it.each([
    ['in one read', (write: (key: string) => void) => write(UP + ENTER)],
    ['in two reads with no wait between', (write: (key: string) => void) => (write(UP), write(ENTER))],
  ])('chooses the item an arrow key just moved to when Enter follows it %s', async (_how, send) => {
    // Folders that exist stand in for generated data: generation is skipped and the checks name the folders.
    mkdirSync(join(home, 'sample-large', 'song_data'), { recursive: true });
    mkdirSync(join(home, 'sample-large', 'log_data'), { recursive: true });
    const { app, frame, waitFor, press } = renderWizard();
    await waitFor('Where should the star schema live?');
    await press(ENTER, 'Which data?');
    await press(DOWN, '❯ Generate a larger sample');
    await press(DOWN, '❯ Use data in local folders');
    send((key) => app.stdin.write(key));
    await until(() => frame().includes('nothing was saved') || frame().includes('Folder of song JSON files'), frame);
    expect(frame()).not.toContain('Folder of song JSON files');
    expect(frame()).toContain(`✗ song data: ${join(home, 'sample-large', 'song_data')} holds no .json files`);
    app.unmount();
  });

  it('takes keys sent together: Enter twice chooses once; Ctrl-U, a path and Enter in one read replace the answer', async () => {
    const { app, frame, waitFor, press } = renderWizard();
    await waitFor('Where should the star schema live?');
    await press(ENTER + ENTER, 'Which data?');
    await press(DOWN, '❯ Generate a larger sample');
    await press(DOWN, '❯ Use data in local folders');
    await press(ENTER, 'Folder of song JSON files');
    app.stdin.write('xyz');
    await waitFor('› xyz');
    await press(CTRL_U + join(COURSE_DATA, 'song_data') + ENTER, 'Folder of event log files');
    // Back to the answer just given: it is the path alone, no "xyz", no control character.
    await press(ESC, 'Folder of song JSON files');
    expect(frame()).toContain(`› ${join(COURSE_DATA, 'song_data')}`);
    expect(frame()).not.toContain('xyz');
    expect(frame()).not.toContain('\u0015');
    app.unmount();
  });

  it('leaves on Ctrl-C without writing the config', async () => {
    const { app, frame, waitFor, press, exitCode } = renderWizard();
    await waitFor('Where should the star schema live?');
    await press(ENTER, 'Which data?');
    app.stdin.write(CTRL_C);
    await until(() => exitCode() !== undefined, frame);
    expect(existsSync(configPath(home))).toBe(false);
    app.unmount();
  });
});

describe('AWS profile names', () => {
  it('reads [default] and [profile x] from the config file and [x] from the credentials file', () => {
    const config = '[default]\nregion = us-east-1\n\n[profile analytics]\nsso_session = corp\n[sso-session corp]\n[services local]\n';
    const credentials = '# keys\n[default]\naws_access_key_id = x\n[ci] ; comment\n';
    expect(iniProfileNames(config, true)).toEqual(['default', 'analytics']);
    expect(iniProfileNames(credentials, false)).toEqual(['default', 'ci']);
  });
});
