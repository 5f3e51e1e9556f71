// Named pipes, sockets and devices inside a source folder, through the built
// CLI: skipped as `aws s3 sync` skips them, with one warning that counts them
// and names the first few, and the run goes on with the regular files. A pipe
// read as a file would block the load for ever.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COURSE_DATA, runCli } from './helpers/cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'sparkify-special-'));
const env = { SPARKIFY_HOME: join(scratch, 'home'), FORCE_COLOR: '0' };
const songs = join(scratch, 'song_data');
const days = join(scratch, 'log_data', '2018', '11');
const sources = ['--song-data', songs, '--log-data', join(scratch, 'log_data'), '--log-jsonpaths', join(scratch, 'log_json_path.json')];
let socket: Server;

beforeAll(async () => {
  cpSync(join(COURSE_DATA, 'song_data'), songs, { recursive: true });
  cpSync(join(COURSE_DATA, 'log_json_path.json'), join(scratch, 'log_json_path.json'));
  mkdirSync(days, { recursive: true });
  for (const f of readdirSync(join(COURSE_DATA, 'log_data', '2018', '11')).sort().slice(0, 3)) cpSync(join(COURSE_DATA, 'log_data', '2018', '11', f), join(days, f));
  // In walk order: two in song_data before its A folder, one before the day files, and a link to a pipe after them.
  execFileSync('mkfifo', [join(songs, '0-pipe.json'), join(days, '0-pipe.json'), join(scratch, 'elsewhere.json')]);
  socket = createServer();
  await new Promise<void>((resolve) => socket.listen(join(songs, '1.sock'), resolve));
  symlinkSync(join(scratch, 'elsewhere.json'), join(days, 'zz-link-to-pipe.json'));
});

afterAll(async () => {
  await new Promise((resolve) => socket.close(resolve));
  rmSync(scratch, { recursive: true, force: true });
});

const WARNING =
  `warning: 4 entries in the sources are not regular files (a named pipe, socket or device) and are not loaded: ` +
  `${join(songs, '0-pipe.json')}, ${join(songs, '1.sock')}, ${join(days, '0-pipe.json')} and 1 more\n`;

const warnings = (stderr: string) => stderr.split('\n').filter((line) => line.includes('not regular files'));

describe('named pipes, sockets and devices in a source folder', () => {
  it('run --plan warns once, naming them, and plans the regular files', async () => {
    const plan = await runCli(['run', '--plan', ...sources], { env });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stderr).toContain(WARNING);
    expect(warnings(plan.stderr)).toHaveLength(1);
    expect(plan.stdout).toContain('staging.s_events: 3 files to load');
    expect(plan.stdout).not.toContain('pipe');
  });

  it('run warns once and loads the regular files, without waiting on a pipe', async () => {
    const run = await runCli(['run', ...sources], { env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(WARNING);
    expect(warnings(run.stderr)).toHaveLength(1);
    expect(run.stderr).toMatch(/staging\.s_songs\s+71\b/);
  });

  it('etl warns the same way', async () => {
    const etl = await runCli(['etl', ...sources], { env });
    expect(etl.code, etl.stderr).toBe(0);
    expect(etl.stderr).toContain(WARNING);
    expect(warnings(etl.stderr)).toHaveLength(1);
  });
});
