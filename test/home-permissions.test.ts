// The sparkify home is 0700 and the files in it 0600 whatever the umask, and a
// home left open to others is closed again on the next command.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, COURSE_DATA, REPO, tempHome, type CliResult } from './helpers/cli.js';

const scratch = tempHome('sparkify-home-permissions-');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The built CLI under `umask 000`, as a careless shell profile would start it. */
function runOpenUmask(args: string[], home: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', 'umask 000; exec "$@"', 'sh', process.execPath, CLI, ...args], {
      cwd: REPO,
      env: { ...process.env, SPARKIFY_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

const mode = (path: string) => statSync(path).mode & 0o777;

/** Every entry of the home with its mode, for one readable failure. */
function modes(home: string): Record<string, string> {
  return Object.fromEntries([['.', mode(home)], ...readdirSync(home).map((name) => [name, mode(join(home, name))])].map(([k, m]) => [k, (m as number).toString(8)]));
}

describe('under umask 000', () => {
  it('a run makes the home 0700 and its files 0600', async () => {
    const home = join(scratch, 'fresh');
    const result = await runOpenUmask(['run', '--song-data', join(COURSE_DATA, 'song_data'), '--log-data', join(COURSE_DATA, 'log_data')], home);
    expect(result.code).toBe(0);
    const seen = modes(home);
    expect(seen['warehouse.duckdb']).toBe('600');
    expect(Object.values(seen).every((m) => m === '600' || m === '700'), JSON.stringify(seen)).toBe(true);
    expect(seen['.']).toBe('700');
  });

  it('a home left world-writable, with files others may read, is closed by the next command', async () => {
    const home = join(scratch, 'open');
    mkdirSync(home);
    chmodSync(home, 0o777);
    writeFileSync(join(home, 'config.json'), '{"target": "local"}\n');
    chmodSync(join(home, 'config.json'), 0o666);
    const result = await runOpenUmask(['query', 'select 1'], home);
    expect(result.code).toBe(0);
    expect(modes(home)).toEqual({ '.': '700', 'config.json': '600', tmp: '700', 'warehouse.duckdb': '600' });
  });
});
