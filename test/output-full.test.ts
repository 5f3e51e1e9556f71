// A result sent to a disk that is full names the output, not the warehouse,
// and exits 11 (disk) whichever writer made it: the row formatter (table) or
// the engine's own (csv, parquet).
import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync, rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, REPO, tempHome } from './helpers/cli.js';

const home = tempHome('sparkify-full-');
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** `sparkify ARGS > /dev/full`: its exit code and stderr. */
function toFullDevice(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const full = openSync('/dev/full', 'w');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO, env: { ...process.env, SPARKIFY_HOME: home }, stdio: ['ignore', full, 'pipe'] });
    closeSync(full);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe.runIf(existsSync('/dev/full'))('query output to a full disk', () => {
  it.each(['table', 'csv', 'parquet'])('--format %s: exit 11, standard output named, no warehouse blamed', async (format) => {
    const result = await toFullDevice(['query', '--format', format, 'select * from generate_series(1, 200000)']);
    expect(result.stderr).toContain('error: cannot write the result to standard output: no space left on the device (ENOSPC)');
    expect(result.stderr).toContain('send it elsewhere (--out FILE');
    expect(result.stderr).not.toMatch(/warehouse|    at /);
    expect(result.code).toBe(11);
  });
});
