// `npm run demo` shows each command it runs so that it can be pasted into a
// shell as it is: the multi-line query prints the same result when pasted.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { CLI, REPO, tempHome } from './helpers/cli.js';

const home = tempHome('sparkify-demo-');
afterAll(() => rmSync(home, { recursive: true, force: true }));

it('the query the demo prints, pasted into a shell, gives the same rows', () => {
  const env = { ...process.env, SPARKIFY_HOME: home };
  const demo = spawnSync(process.execPath, [join(REPO, 'scripts/demo.mjs')], { cwd: REPO, env, encoding: 'utf8' });
  expect(demo.status, demo.stderr).toBe(0);
  const shown = demo.stderr.match(/^\$ sparkify (query '(?:[^']|'\\'')*')$/m)?.[1];
  expect(shown, demo.stderr).toBeDefined();
  expect(shown).not.toContain('\\n');
  const pasted = spawnSync('bash', ['-c', `sparkify() { "$NODE" "$CLI" "$@"; }\nsparkify ${shown}`], {
    cwd: REPO,
    env: { ...env, NODE: process.execPath, CLI },
    encoding: 'utf8',
  });
  expect(pasted.status, pasted.stderr).toBe(0);
  expect(pasted.stdout).not.toBe('');
  expect(demo.stdout.endsWith(pasted.stdout)).toBe(true);
});
