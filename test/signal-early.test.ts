// A SIGTERM as the CLI starts (as its first package, commander, is resolved:
// before the command's modules, the config or the sources) gets our handling:
// a line saying so, exit 130, and a warehouse as it was. It used to be Node's
// default death by signal (143, no word) for the first few hundred ms, until
// the command's work began; the library under conf even re-raised it.
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { COURSE_DATA, REPO, runCli, tempHome, type CliOptions } from './helpers/cli.js';

const home = tempHome();
const env = { SPARKIFY_HOME: home };
const source = ['--song-data', join(COURSE_DATA, 'song_data'), '--log-data', join(COURSE_DATA, 'log_data')];
const ANNOUNCE = join(REPO, 'test/fixtures/announce-commander.mjs');

/** The CLI, sent SIGTERM as soon as it resolves commander. */
function signalledAtOnce(args: string[], options: CliOptions = {}) {
  let sent = false;
  return runCli(args, {
    ...options,
    env: { ...env, ...options.env, NODE_OPTIONS: `--import ${ANNOUNCE}` },
    onStderr: (child, stderr) => {
      if (sent || !stderr.includes('loading-commander')) return;
      sent = true;
      child.kill('SIGTERM');
    },
  });
}

const tables = () =>
  runCli(['query', '--format', 'csv', 'SELECT (SELECT count(*) FROM analytics.f_songplays) AS plays, (SELECT count(*) FROM analytics.d_users) AS users'], { env }).then((r) => r.stdout);
const runCount = () => runCli(['runs', '--format', 'json'], { env }).then((r) => (JSON.parse(r.stdout) as unknown[]).length);

describe('a signal at the very start', () => {
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('sparkify run sent SIGTERM as it starts exits 130 with our line, and the warehouse is as it was', async () => {
    const first = await runCli(['run', ...source], { env });
    expect(first.code, first.stderr).toBe(0);
    const before = await tables();
    expect(before).toBe('plays,users\n6820,97\n');

    const cancelled = await signalledAtOnce(['run', ...source]);
    expect(cancelled.signal, cancelled.stderr).toBeNull();
    expect(cancelled.code, cancelled.stderr).toBe(130);
    expect(cancelled.stderr).toMatch(/^SIGTERM: /m);
    expect(cancelled.stderr).not.toMatch(/✓ (empty|load|create)/);

    expect(await tables()).toBe(before);
    expect(await runCount()).toBe(1);
    const again = await runCli(['run', ...source], { env });
    expect(again.code, again.stderr).toBe(0);
  }, 180_000);

  it('a command with nothing to cancel (--help) still leaves with 130 and a line, not killed by the signal', async () => {
    const result = await signalledAtOnce(['run', '--help']);
    expect(result.signal, result.stderr).toBeNull();
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toContain('SIGTERM: stopped');
  }, 60_000);
});
